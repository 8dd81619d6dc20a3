//! The locales stay in step with English: the same messages, the same
//! variables, every plural category of each language covered, nothing that
//! fails to parse or to format.

use std::collections::{BTreeMap, BTreeSet};

use dais::i18n::LOCALES;
use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use fluent_syntax::ast;
use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
use unic_langid::LanguageIdentifier;

const CATEGORY_NAMES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// What the tests need to know of one message (or attribute).
#[derive(Debug, Default)]
struct Shape {
    variables: BTreeSet<String>,
    /// Plural selects: the variable and the keys of its variants.
    plurals: Vec<(String, BTreeSet<String>)>,
}

fn walk_pattern(pattern: &ast::Pattern<&str>, shape: &mut Shape) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            walk_expression(expression, shape);
        }
    }
}

fn walk_inline(expression: &ast::InlineExpression<&str>, shape: &mut Shape) {
    match expression {
        ast::InlineExpression::VariableReference { id } => {
            shape.variables.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => walk_expression(expression, shape),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                walk_inline(argument, shape);
            }
        }
        _ => {}
    }
}

fn walk_expression(expression: &ast::Expression<&str>, shape: &mut Shape) {
    match expression {
        ast::Expression::Inline(inline) => walk_inline(inline, shape),
        ast::Expression::Select { selector, variants } => {
            walk_inline(selector, shape);
            let keys: BTreeSet<String> = variants
                .iter()
                .map(|v| match &v.key {
                    ast::VariantKey::Identifier { name } => (*name).to_owned(),
                    ast::VariantKey::NumberLiteral { value } => (*value).to_owned(),
                })
                .collect();
            let plural = keys.iter().all(|k| CATEGORY_NAMES.contains(&k.as_str()))
                && keys.iter().any(|k| k != "other");
            if let (true, ast::InlineExpression::VariableReference { id }) = (plural, selector) {
                shape.plurals.push((id.name.to_owned(), keys));
            }
            for variant in variants {
                walk_pattern(&variant.value, shape);
            }
        }
    }
}

/// Every message and attribute of a locale, by id (`id` or `id.attr`).
fn shapes(tag: &str, source: &str) -> BTreeMap<String, Shape> {
    let resource = fluent_syntax::parser::parse(source).unwrap_or_else(|(_, errors)| {
        panic!("{tag}: the file does not parse: {errors:?}");
    });
    let mut out = BTreeMap::new();
    for entry in &resource.body {
        match entry {
            ast::Entry::Message(message) => {
                let mut shape = Shape::default();
                if let Some(value) = &message.value {
                    walk_pattern(value, &mut shape);
                }
                let id = message.id.name.to_owned();
                assert!(
                    out.insert(id.clone(), shape).is_none(),
                    "{tag}: {id} is defined twice"
                );
                for attribute in &message.attributes {
                    let mut shape = Shape::default();
                    walk_pattern(&attribute.value, &mut shape);
                    out.insert(format!("{id}.{}", attribute.id.name), shape);
                }
            }
            ast::Entry::Junk { content } => panic!("{tag}: junk entry: {content}"),
            _ => {}
        }
    }
    out
}

/// The plural categories a language uses for whole numbers.
fn categories(tag: &str) -> BTreeSet<String> {
    // Plural rules are per language: `zh-CN` follows `zh`.
    let lang: LanguageIdentifier = tag.parse().expect("valid tag");
    let lang = LanguageIdentifier::from_parts(lang.language, None, None, &[]);
    let rules = PluralRules::create(lang, PluralRuleType::CARDINAL).expect("plural rules");
    (0u32..=1000)
        .filter_map(|n| rules.select(n).ok())
        .map(|c| {
            match c {
                PluralCategory::ZERO => "zero",
                PluralCategory::ONE => "one",
                PluralCategory::TWO => "two",
                PluralCategory::FEW => "few",
                PluralCategory::MANY => "many",
                PluralCategory::OTHER => "other",
            }
            .to_owned()
        })
        .collect()
}

fn english() -> BTreeMap<String, Shape> {
    shapes("en", LOCALES[0].1)
}

#[test]
fn no_line_is_indented_with_a_tab() {
    // Fluent silently drops a message whose continuation starts with a tab.
    for (tag, source) in LOCALES {
        for (n, line) in source.lines().enumerate() {
            assert!(!line.starts_with('\t'), "{tag}:{}: tab indentation", n + 1);
        }
    }
}

#[test]
fn every_locale_has_exactly_the_messages_of_english() {
    let en = english();
    for (tag, source) in &LOCALES[1..] {
        let other = shapes(tag, source);
        let missing: Vec<_> = en.keys().filter(|k| !other.contains_key(*k)).collect();
        let extra: Vec<_> = other.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{tag} lacks {missing:?}");
        assert!(extra.is_empty(), "{tag} has messages en lacks: {extra:?}");
    }
}

#[test]
fn every_message_uses_the_variables_of_english() {
    let en = english();
    for (tag, source) in &LOCALES[1..] {
        for (id, shape) in shapes(tag, source) {
            if let Some(reference) = en.get(&id) {
                assert_eq!(
                    shape.variables, reference.variables,
                    "{tag}: {id} uses other variables than en"
                );
            }
        }
    }
}

#[test]
fn every_plural_covers_the_categories_of_its_language() {
    let en = english();
    for (tag, source) in LOCALES {
        let needed = categories(tag);
        for (id, shape) in shapes(tag, source) {
            for (variable, keys) in &shape.plurals {
                let uncovered: Vec<_> = needed.iter().filter(|c| !keys.contains(*c)).collect();
                assert!(
                    uncovered.is_empty(),
                    "{tag}: {id} selects on ${variable} without {uncovered:?}"
                );
            }
            // Where English needs a plural, so does every language with
            // more than one form.
            if needed.len() > 1 {
                for (variable, _) in en
                    .get(&id)
                    .map(|s| s.plurals.as_slice())
                    .unwrap_or_default()
                {
                    assert!(
                        shape.plurals.iter().any(|(v, _)| v == variable),
                        "{tag}: {id} needs plural forms for ${variable}"
                    );
                }
            }
        }
    }
}

/// Variables that carry numbers; all others carry text.
const NUMERIC: &[&str] = &[
    "count",
    "online",
    "seconds",
    "round",
    "attempt",
    "width",
    "height",
    "current_width",
    "current_height",
];

#[test]
fn every_message_formats_in_every_locale_without_error() {
    for (tag, source) in LOCALES {
        let lang: LanguageIdentifier = tag.parse().expect("valid tag");
        let resource = FluentResource::try_new((*source).to_owned()).expect("parses");
        let mut bundle = FluentBundle::new(vec![lang]);
        bundle.add_resource(resource).expect("no duplicate ids");
        for (id, shape) in shapes(tag, source) {
            let (message_id, attribute) = match id.split_once('.') {
                Some((m, a)) => (m.to_owned(), Some(a.to_owned())),
                None => (id.clone(), None),
            };
            let message = bundle.get_message(&message_id).expect("message exists");
            let pattern = match &attribute {
                Some(a) => message.get_attribute(a).expect("attribute").value(),
                None => message.value().expect("message has a value"),
            };
            for n in [0, 1, 2, 3, 5, 11, 21, 100, 101] {
                let mut args = FluentArgs::new();
                for variable in &shape.variables {
                    if NUMERIC.contains(&variable.as_str()) {
                        args.set(variable.clone(), FluentValue::from(n));
                    } else {
                        args.set(variable.clone(), FluentValue::from("Kenya"));
                    }
                }
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
                assert!(errors.is_empty(), "{tag}: {id}: {errors:?}");
                assert!(!text.trim().is_empty(), "{tag}: {id} is empty");
            }
        }
    }
}

#[test]
fn plural_messages_differ_where_the_language_has_forms() {
    // Arabic has six forms: a count of 2 and a count of 5 read differently.
    let ar = LOCALES
        .iter()
        .find(|(t, _)| *t == "ar")
        .expect("ar shipped");
    let lang: LanguageIdentifier = "ar".parse().expect("valid");
    let mut bundle = FluentBundle::new(vec![lang]);
    bundle
        .add_resource(FluentResource::try_new(ar.1.to_owned()).expect("parses"))
        .expect("adds");
    let message = bundle.get_message("poll-votes").expect("exists");
    let pattern = message.value().expect("value");
    let format = |n: i64| {
        let mut args = FluentArgs::new();
        args.set("count", n);
        let mut errors = Vec::new();
        // Without its digits, so that only the wording is compared.
        bundle
            .format_pattern(pattern, Some(&args), &mut errors)
            .chars()
            .filter(|c| !c.is_ascii_digit())
            .collect::<String>()
    };
    assert_ne!(format(2), format(5));
    assert_ne!(format(5), format(11));
}
