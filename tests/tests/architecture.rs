//! The shape of the house, checked on every test run (docs/ARCHITECTURE.md
//! says why it is this shape):
//!
//! - no two modules of a crate import each other, directly or around a
//!   loop: modules are compared with their siblings (a module's children are
//!   part of it), so data flows one way through each folder;
//! - the record, the rules and the `words` crate import nothing above them;
//! - no production file passes 700 lines and no function 150 (tests apart):
//!   past that a file or a function usually holds two things.
//!
//! The source is read with `syn`, so `use` trees, paths in code and paths
//! inside macros (`tokio::select!` bodies) all count, and `#[cfg(test)]`
//! items do not.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use syn::spanned::Spanned;
use syn::visit::Visit;

/// The longest a production file may be.
const MAX_FILE_LINES: usize = 700;
/// The longest a production function may be.
const MAX_FN_LINES: usize = 150;

/// A module path inside one crate: `["room", "actor"]`.
type ModPath = Vec<String>;

/// One crate root (a lib or a bin) and the modules reachable from it.
struct Crate {
    /// `dais-server (lib)`, for messages.
    name: String,
    /// Every module, with the file it lives in.
    modules: BTreeMap<ModPath, PathBuf>,
    /// What each module refers to, resolved to the longest module path that
    /// exists, with the file that refers to it (for the messages).
    refs: BTreeMap<ModPath, BTreeSet<(ModPath, PathBuf)>>,
    /// Production functions and files over their length.
    too_long: Vec<String>,
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace")
        .to_path_buf()
}

/// The workspace's member crates, from the top-level Cargo.toml.
fn members(root: &Path) -> Vec<PathBuf> {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("read Cargo.toml");
    let start = manifest.find("members").expect("a members list");
    let open = start + manifest[start..].find('[').expect("members = [");
    let close = open + manifest[open..].find(']').expect("members = [...]");
    manifest[open + 1..close]
        .split(',')
        .map(|m| m.trim().trim_matches('"'))
        .filter(|m| !m.is_empty())
        .map(|m| root.join(m))
        .collect()
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("test")
            || match &a.meta {
                syn::Meta::List(list) if list.path.is_ident("cfg") => {
                    list.tokens.to_string() == "test"
                }
                _ => false,
            }
    })
}

/// Where the children of a module that lives in `file` are.
fn child_dir(file: &Path) -> PathBuf {
    let dir = file.parent().expect("a file has a folder").to_path_buf();
    match file.file_stem().and_then(|s| s.to_str()) {
        Some("mod") | Some("lib") | Some("main") => dir,
        Some(stem) => dir.join(stem),
        None => dir,
    }
}

fn load(root_file: &Path, name: String) -> Crate {
    let mut krate = Crate {
        name,
        modules: BTreeMap::new(),
        refs: BTreeMap::new(),
        too_long: Vec::new(),
    };
    walk_file(&mut krate, root_file, Vec::new());
    krate
}

fn walk_file(krate: &mut Crate, file: &Path, path: ModPath) {
    let text =
        std::fs::read_to_string(file).unwrap_or_else(|e| panic!("read {}: {e}", file.display()));
    let parsed = syn::parse_file(&text).unwrap_or_else(|e| panic!("parse {}: {e}", file.display()));
    // Lines of the file that are test code (inline `#[cfg(test)] mod`)
    // do not count against its length.
    let mut test_lines = 0;
    for item in &parsed.items {
        if let syn::Item::Mod(m) = item {
            if is_cfg_test(&m.attrs) && m.content.is_some() {
                test_lines += m.span().end().line + 1 - m.span().start().line;
            }
        }
    }
    let lines = text.lines().count().saturating_sub(test_lines);
    if lines > MAX_FILE_LINES {
        krate.too_long.push(format!("file {}", relative(file)));
    }
    walk_items(krate, file, &path, &parsed.items);
}

fn walk_items(krate: &mut Crate, file: &Path, path: &ModPath, items: &[syn::Item]) {
    krate.modules.insert(path.clone(), file.to_path_buf());
    let mut children = Vec::new();
    for item in items {
        if let syn::Item::Mod(m) = item {
            if is_cfg_test(&m.attrs) {
                continue;
            }
            let mut child = path.clone();
            child.push(m.ident.to_string());
            children.push((child, m));
        }
    }
    // Declare every child first, so that relative paths resolve.
    for (child, _) in &children {
        krate.modules.insert(child.clone(), file.to_path_buf());
    }
    let mut refs = Refs {
        here: path.clone(),
        found: Vec::new(),
        fns: Vec::new(),
    };
    for item in items {
        if matches!(item, syn::Item::Mod(_)) {
            continue;
        }
        refs.visit_item(item);
    }
    for (name, lines) in refs.fns {
        if lines > MAX_FN_LINES {
            krate.too_long.push(format!("fn {} {name}", relative(file)));
        }
    }
    let entry = krate.refs.entry(path.clone()).or_default();
    for r in refs.found {
        entry.insert((r, file.to_path_buf()));
    }
    for (child, m) in children {
        match &m.content {
            Some((_, inner)) => walk_items(krate, file, &child, inner),
            None => {
                let dir = child_dir(file);
                let name = m.ident.to_string();
                let flat = dir.join(format!("{name}.rs"));
                let nested = dir.join(&name).join("mod.rs");
                let at = if flat.exists() { flat } else { nested };
                walk_file(krate, &at, child);
            }
        }
    }
}

fn relative(file: &Path) -> String {
    file.strip_prefix(workspace())
        .unwrap_or(file)
        .display()
        .to_string()
}

/// Collects the module paths a module's items name, and its functions'
/// lengths.
struct Refs {
    here: ModPath,
    found: Vec<Vec<String>>,
    fns: Vec<(String, usize)>,
}

impl Refs {
    fn absolute(&self, segments: &[String]) -> Option<Vec<String>> {
        let first = segments.first()?;
        match first.as_str() {
            "crate" => Some(segments[1..].to_vec()),
            "self" => {
                let mut p = self.here.clone();
                p.extend_from_slice(&segments[1..]);
                Some(p)
            }
            "super" => {
                let mut p = self.here.clone();
                let mut rest = segments;
                while rest.first().map(String::as_str) == Some("super") {
                    p.pop();
                    rest = &rest[1..];
                }
                p.extend_from_slice(rest);
                Some(p)
            }
            // A child module named without `self::`.
            _ => {
                let mut p = self.here.clone();
                p.extend_from_slice(segments);
                Some(p)
            }
        }
    }

    fn note(&mut self, segments: Vec<String>) {
        if let Some(abs) = self.absolute(&segments) {
            self.found.push(abs);
        }
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let mut full = prefix.clone();
                full.push(n.ident.to_string());
                self.note(full);
            }
            syn::UseTree::Rename(r) => {
                let mut full = prefix.clone();
                full.push(r.ident.to_string());
                self.note(full);
            }
            syn::UseTree::Glob(_) => self.note(prefix.clone()),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(prefix, t);
                }
            }
        }
    }

    fn function(&mut self, name: &syn::Ident, sig: &syn::Signature, block: &syn::Block) {
        let start = sig.fn_token.span.start().line;
        let end = block.brace_token.span.close().end().line;
        self.fns.push((name.to_string(), end + 1 - start));
    }
}

impl<'ast> Visit<'ast> for Refs {
    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &u.tree);
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        if p.leading_colon.is_none() {
            let segments: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
            if matches!(
                segments.first().map(String::as_str),
                Some("crate" | "super" | "self")
            ) || segments.len() > 1
            {
                self.note(segments);
            }
        }
        syn::visit::visit_path(self, p);
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        // Macro bodies are tokens, not syntax: find `crate :: a :: b`,
        // `super :: a` and `self :: a` runs among them.
        let tokens: Vec<String> = flatten(m.tokens.clone());
        let mut i = 0;
        while i < tokens.len() {
            if matches!(tokens[i].as_str(), "crate" | "super" | "self") {
                let mut segments = vec![tokens[i].clone()];
                let mut j = i + 1;
                while tokens.get(j).map(String::as_str) == Some(":")
                    && tokens.get(j + 1).map(String::as_str) == Some(":")
                {
                    match tokens.get(j + 2) {
                        Some(t) if t.chars().all(|c| c.is_alphanumeric() || c == '_') => {
                            segments.push(t.clone());
                            j += 3;
                        }
                        _ => break,
                    }
                }
                if segments.len() > 1 {
                    self.note(segments);
                }
                i = j;
            } else {
                i += 1;
            }
        }
        syn::visit::visit_macro(self, m);
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if is_cfg_test(&f.attrs) {
            return;
        }
        self.function(&f.sig.ident, &f.sig, &f.block);
        syn::visit::visit_item_fn(self, f);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        if is_cfg_test(&f.attrs) {
            return;
        }
        self.function(&f.sig.ident, &f.sig, &f.block);
        syn::visit::visit_impl_item_fn(self, f);
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        if let Some(block) = &f.default {
            self.function(&f.sig.ident, &f.sig, block);
        }
        syn::visit::visit_trait_item_fn(self, f);
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        if is_cfg_test(&i.attrs) {
            return;
        }
        syn::visit::visit_item_impl(self, i);
    }

    fn visit_item_mod(&mut self, _: &'ast syn::ItemMod) {
        // Inline modules are walked as modules of their own (`walk_items`).
    }
}

/// A token stream as a flat list of token texts, groups opened in place.
fn flatten(tokens: proc_macro2::TokenStream) -> Vec<String> {
    let mut out = Vec::new();
    for t in tokens {
        match t {
            proc_macro2::TokenTree::Group(g) => out.extend(flatten(g.stream())),
            proc_macro2::TokenTree::Punct(p) => out.push(p.as_char().to_string()),
            other => out.push(other.to_string()),
        }
    }
    out
}

impl Crate {
    /// The longest declared module that `path` starts with.
    fn resolve(&self, path: &[String]) -> Option<ModPath> {
        (0..=path.len())
            .rev()
            .map(|n| path[..n].to_vec())
            .find(|p| self.modules.contains_key(p))
    }

    /// Edges between siblings: `a -> b` when something in `a` (or below it)
    /// names something in `b` (or below it), and neither holds the other.
    fn sibling_edges(&self) -> BTreeMap<ModPath, BTreeMap<ModPath, String>> {
        let mut edges: BTreeMap<ModPath, BTreeMap<ModPath, String>> = BTreeMap::new();
        for (from, targets) in &self.refs {
            for (target, file) in targets {
                let Some(to) = self.resolve(target) else {
                    continue;
                };
                let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
                if common == from.len() || common == to.len() {
                    continue;
                }
                let a = from[..=common].to_vec();
                let b = to[..=common].to_vec();
                edges
                    .entry(a)
                    .or_default()
                    .entry(b)
                    .or_insert_with(|| format!("{} names {}", relative(file), to.join("::")));
            }
        }
        edges
    }

    /// Every import loop among siblings, as its modules and one reference
    /// along each edge.
    fn cycles(&self) -> Vec<(Vec<String>, Vec<String>)> {
        let edges = self.sibling_edges();
        let components = strongly_connected(&edges);
        components
            .into_iter()
            .map(|members| {
                let names: Vec<String> = members.iter().map(|m| m.join("::")).collect();
                let mut why = Vec::new();
                for a in &members {
                    for (b, reason) in edges.get(a).into_iter().flatten() {
                        if members.contains(b) {
                            why.push(format!("{} -> {}: {reason}", a.join("::"), b.join("::")));
                        }
                    }
                }
                (names, why)
            })
            .collect()
    }

    /// What `module` names outside itself that starts with one of `above`.
    fn names_above(&self, module: &[String], above: &[&[&str]]) -> Vec<String> {
        let mut out = Vec::new();
        for (from, targets) in &self.refs {
            if !from.starts_with(module) {
                continue;
            }
            for (target, file) in targets {
                let Some(to) = self.resolve(target) else {
                    continue;
                };
                for up in above {
                    let up: Vec<String> = up.iter().map(|s| s.to_string()).collect();
                    if to.starts_with(&up) && !to.starts_with(module) {
                        out.push(format!("{} names {}", relative(file), to.join("::")));
                    }
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

/// Tarjan's strongly connected components with more than one member.
fn strongly_connected(edges: &BTreeMap<ModPath, BTreeMap<ModPath, String>>) -> Vec<Vec<ModPath>> {
    struct State<'a> {
        edges: &'a BTreeMap<ModPath, BTreeMap<ModPath, String>>,
        index: BTreeMap<ModPath, usize>,
        low: BTreeMap<ModPath, usize>,
        stack: Vec<ModPath>,
        on_stack: BTreeSet<ModPath>,
        next: usize,
        out: Vec<Vec<ModPath>>,
    }
    fn visit(s: &mut State, v: &ModPath) {
        s.index.insert(v.clone(), s.next);
        s.low.insert(v.clone(), s.next);
        s.next += 1;
        s.stack.push(v.clone());
        s.on_stack.insert(v.clone());
        let targets: Vec<ModPath> = s
            .edges
            .get(v)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        for w in targets {
            if !s.index.contains_key(&w) {
                visit(s, &w);
                let lw = s.low[&w];
                let lv = s.low[v];
                s.low.insert(v.clone(), lv.min(lw));
            } else if s.on_stack.contains(&w) {
                let iw = s.index[&w];
                let lv = s.low[v];
                s.low.insert(v.clone(), lv.min(iw));
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(&w);
                let done = &w == v;
                component.push(w);
                if done {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    let nodes: BTreeSet<ModPath> = edges
        .iter()
        .flat_map(|(a, bs)| std::iter::once(a.clone()).chain(bs.keys().cloned()))
        .collect();
    for v in &nodes {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.out
}

/// Every crate root of the workspace: each member's lib and its binaries.
fn crates() -> Vec<Crate> {
    let mut out = Vec::new();
    for member in members(&workspace()) {
        let package = member
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_string();
        let src = member.join("src");
        for (root, kind) in [("lib.rs", "lib"), ("main.rs", "bin")] {
            let file = src.join(root);
            if file.exists() {
                out.push(load(&file, format!("{package} ({kind})")));
            }
        }
        if let Ok(entries) = std::fs::read_dir(src.join("bin")) {
            for entry in entries.flatten() {
                let file = entry.path();
                if file.extension().is_some_and(|e| e == "rs") {
                    out.push(load(&file, format!("{package} ({})", relative(&file))));
                }
            }
        }
    }
    out
}

/// Everything that is against the shape, one line each.
fn violations() -> Vec<String> {
    let crates = crates();
    assert!(
        crates.iter().any(|c| c.name == "server (lib)"),
        "the server's library was read"
    );
    let mut out = Vec::new();
    for krate in &crates {
        for (names, why) in krate.cycles() {
            out.push(format!("cycle in {}: {}", krate.name, names.join(", ")));
            for w in why {
                eprintln!("  {} cycle: {w}", krate.name);
            }
        }
        for long in &krate.too_long {
            out.push(format!("too long: {long}"));
        }
    }
    // The ground floors of the server import nothing above them.
    let above: &[&[&str]] = &[
        &["room", "actor"],
        &["room", "outlet"],
        &["registry"],
        &["cluster"],
        &["web"],
        &["connection"],
        &["server"],
        &["listener"],
        &["ws"],
        &["export"],
    ];
    if let Some(server) = crates.iter().find(|c| c.name == "server (lib)") {
        for floor in [&["record"][..], &["room", "rules"][..]] {
            let floor: Vec<String> = floor.iter().map(|s| s.to_string()).collect();
            if !server.modules.contains_key(&floor) {
                continue;
            }
            for name in server.names_above(&floor, above) {
                out.push(format!("{} looks up: {name}", floor.join("::")));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn modules_import_one_way_and_stay_small() {
    let found = violations();
    assert!(
        found.is_empty(),
        "against the shape (see docs/ARCHITECTURE.md):\n  {}",
        found.join("\n  ")
    );
}

#[test]
fn words_depends_on_neither_the_server_nor_the_client() {
    let manifest = workspace().join("words").join("Cargo.toml");
    let Ok(text) = std::fs::read_to_string(&manifest) else {
        // Before the words crate exists, nothing to check.
        assert!(
            !workspace().join("words").exists(),
            "words/ exists but its Cargo.toml cannot be read"
        );
        return;
    };
    for above in ["dais-server", "dais-client", "\ndais ", "\ndais="] {
        assert!(
            !text.contains(above),
            "words/Cargo.toml depends on {above:?}: the words are below the server and the client"
        );
    }
}
