//! Text as the terminal must receive it: widths, wrapping, and right-to-left
//! lines put into visual order.
//!
//! Everything we store, send and copy stays in logical order. Only what is
//! drawn goes through here: text is normalized to NFC, wrapped in logical
//! order (Chinese breaks between characters), and then, line by line, Arabic
//! is shaped into its presentation forms and the bidi algorithm puts the line
//! into visual order, reversing right-to-left runs grapheme by grapheme so a
//! vowel mark stays on its letter. Fluent's isolation marks take part in the
//! bidi step and are removed before anything reaches the screen.

use std::borrow::Cow;
use std::sync::OnceLock;

use ar_reshaper::{ArabicReshaper, ReshaperConfig};
use serde::Deserialize;
use unicode_bidi::{BidiClass, Level, ParagraphBidiInfo};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Who puts right-to-left text into visual order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum BidiMode {
    /// The client reorders and shapes, and switches the terminal's own bidi off
    /// (most terminals do none; those that do would reverse the text twice).
    #[default]
    App,
    /// The terminal reorders and shapes (GNOME's VTE, Konsole, mlterm).
    Terminal,
    /// Nobody reorders: text is drawn in logical order.
    Off,
}

/// The four isolate controls. Fluent wraps every placeable in FSI … PDI.
const ISOLATES: [char; 4] = ['\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'];

/// Remove the bidi isolation marks, which have no width in a terminal.
pub fn strip_isolates(text: &str) -> Cow<'_, str> {
    if text.contains(ISOLATES) {
        Cow::Owned(text.chars().filter(|c| !ISOLATES.contains(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

fn is_pictographic(c: char) -> bool {
    matches!(c, '\u{1F000}'..='\u{1FAFF}' | '\u{2600}'..='\u{27BF}' | '\u{2B00}'..='\u{2BFF}')
}

/// Unjoin emoji joined with zero-width joiners (👨‍👩‍👧). unicode-width counts
/// a joined sequence as one two-cell picture, but most terminals (xterm,
/// VTE, tmux) draw each part, so the line would be wider than the layout
/// thinks and push the border out. Unjoined, every terminal and the layout
/// agree. A joiner between letters (Arabic, Indic scripts) is kept.
pub fn unjoin_emoji(text: &str) -> Cow<'_, str> {
    if !text.contains('\u{200D}') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut previous = None;
    for c in text.chars() {
        let after_emoji = previous.is_some_and(|p: char| is_pictographic(p) || p == '\u{FE0F}');
        if c == '\u{200D}' && after_emoji {
            continue;
        }
        out.push(c);
        previous = Some(c);
    }
    Cow::Owned(out)
}

/// Display width in terminal cells.
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

fn is_rtl_char(c: char) -> bool {
    matches!(unicode_bidi::bidi_class(c), BidiClass::R | BidiClass::AL)
}

/// True when the text holds any right-to-left letter.
pub fn has_rtl(text: &str) -> bool {
    text.chars().any(is_rtl_char)
}

/// The direction of a paragraph: that of its first strong letter, skipping
/// isolated placeables, or `fallback` when it has none.
pub fn is_rtl_paragraph(text: &str, fallback: bool) -> bool {
    match unicode_bidi::get_base_direction(text) {
        unicode_bidi::Direction::Rtl => true,
        unicode_bidi::Direction::Ltr => false,
        unicode_bidi::Direction::Mixed => fallback,
    }
}

fn shaper() -> &'static ArabicReshaper {
    static SHAPER: OnceLock<ArabicReshaper> = OnceLock::new();
    SHAPER.get_or_init(|| {
        // Vowel marks are part of what was said: keep them.
        let mut config = ReshaperConfig {
            delete_harakat: false,
            ..Default::default()
        };
        // The Allah ligature is one code point that fonts draw two or three
        // cells wide while unicode-width counts one; keep the letters.
        config.update_ligature(
            ar_reshaper::prelude::LigatureNames::ARABIC_LIGATURE_ALLAH,
            false,
        );
        ArabicReshaper::new(config)
    })
}

fn is_arabic_letter(c: char) -> bool {
    matches!(c,
        '\u{0600}'..='\u{06FF}'
        | '\u{0750}'..='\u{077F}'
        | '\u{08A0}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFF}')
}

/// Shape the Arabic words of a text, leaving everything else untouched (the
/// shaper would also drop the zero-width joiners inside emoji sequences).
fn shape(text: &str, shaper: &ArabicReshaper) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let arabic = rest.starts_with(is_arabic_letter);
        let end = rest
            .find(|c: char| is_arabic_letter(c) != arabic)
            .unwrap_or(rest.len());
        let (part, tail) = rest.split_at(end);
        if arabic {
            out.push_str(&shaper.reshape(part));
        } else {
            out.push_str(part);
        }
        rest = tail;
    }
    out
}

/// Mirror a bracket-like character shown inside a right-to-left run.
fn mirror(grapheme: &str) -> &str {
    match grapheme {
        "(" => ")",
        ")" => "(",
        "[" => "]",
        "]" => "[",
        "{" => "}",
        "}" => "{",
        "<" => ">",
        ">" => "<",
        "«" => "»",
        "»" => "«",
        "‹" => "›",
        "›" => "‹",
        "⁅" => "⁆",
        "⁆" => "⁅",
        "〈" => "〉",
        "〉" => "〈",
        "≤" => "≥",
        "≥" => "≤",
        other => other,
    }
}

/// One line of text ready for the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisualLine {
    /// The text in visual order, without isolation marks.
    pub text: String,
    /// The line belongs to a right-to-left paragraph: draw it right-aligned.
    pub rtl: bool,
}

/// Put one logical line (no newline inside) into visual order.
///
/// `rtl` is the direction of the paragraph the line belongs to.
pub fn visual_line(line: &str, rtl: bool, mode: BidiMode) -> String {
    let line: String = line.nfc().collect();
    if mode != BidiMode::App || !has_rtl(&line) {
        return unjoin_emoji(&strip_isolates(&line)).into_owned();
    }
    let shaped = shape(&line, shaper());
    // Reordered with joined emoji as one unit, then unjoined for the terminal.
    let visual: String = reorder(&shaped, rtl).into_iter().map(|(g, _)| g).collect();
    unjoin_emoji(&visual).into_owned()
}

/// Reorder a line and return its graphemes in visual order, each with the
/// index of that grapheme in logical order (isolation marks dropped).
///
/// The bidi algorithm gives a level to every character; a grapheme takes
/// the level of its first character, and rule L2 (reverse every run at or
/// above each level, from the highest down to the lowest odd one) is applied
/// to whole graphemes. A vowel mark stays on its letter and an emoji joined
/// with zero-width joiners stays one picture, even inside a right-to-left run.
fn reorder(line: &str, rtl: bool) -> Vec<(&str, usize)> {
    let graphemes: Vec<(usize, &str)> = line.grapheme_indices(true).collect();
    let level = if rtl { Level::rtl() } else { Level::ltr() };
    let info = ParagraphBidiInfo::new(line, Some(level));
    let byte_levels = info.reordered_levels(0..line.len());
    let levels: Vec<u8> = graphemes
        .iter()
        .map(|(start, _)| byte_levels.get(*start).map_or(0, |l| l.number()))
        .collect();
    let mut order: Vec<usize> = (0..graphemes.len()).collect();
    let highest = levels.iter().copied().max().unwrap_or(0);
    let lowest_odd = levels.iter().copied().filter(|l| l % 2 == 1).min();
    if let Some(lowest_odd) = lowest_odd {
        for level in (lowest_odd..=highest).rev() {
            let mut i = 0;
            while i < order.len() {
                if levels[order[i]] >= level {
                    let start = i;
                    while i < order.len() && levels[order[i]] >= level {
                        i += 1;
                    }
                    order[start..i].reverse();
                } else {
                    i += 1;
                }
            }
        }
    }
    order
        .into_iter()
        .filter_map(|i| {
            let g = graphemes[i].1;
            if g.chars().all(|c| ISOLATES.contains(&c)) {
                return None;
            }
            let shown = if levels[i] % 2 == 1 { mirror(g) } else { g };
            Some((shown, i))
        })
        .collect()
}

/// Wrap a paragraph (it may hold newlines) to `width` cells and put each
/// line into visual order. Chinese and Japanese break between characters.
pub fn layout(text: &str, width_cells: usize, ui_rtl: bool, mode: BidiMode) -> Vec<VisualLine> {
    let text: String = text.nfc().collect();
    let text = if mode == BidiMode::App && has_rtl(&text) {
        Cow::Owned(shape(&text, shaper()))
    } else {
        Cow::Borrowed(text.as_str())
    };
    let width_cells = width_cells.max(1);
    let mut out = Vec::new();
    for paragraph in text.split('\n') {
        let rtl = is_rtl_paragraph(paragraph, ui_rtl);
        if paragraph.trim().is_empty() {
            out.push(VisualLine {
                text: String::new(),
                rtl,
            });
            continue;
        }
        for line in wrap(paragraph, width_cells) {
            let text: String = if mode == BidiMode::App && has_rtl(&line) {
                reorder(&line, rtl).into_iter().map(|(g, _)| g).collect()
            } else {
                strip_isolates(&line).into_owned()
            };
            let text = unjoin_emoji(&text).into_owned();
            out.push(VisualLine { text, rtl });
        }
    }
    out
}

/// Wrap one paragraph in logical order, never giving a line wider than
/// `width` cells (textwrap counts a joined emoji as the sum of its parts, so
/// its lines can only be narrower than unicode-width would allow).
fn wrap(paragraph: &str, width_cells: usize) -> Vec<String> {
    let options = textwrap::Options::new(width_cells).break_words(true);
    textwrap::wrap(paragraph, options)
        .into_iter()
        .flat_map(|line| hard_split(&line, width_cells))
        .collect()
}

/// Split a line at grapheme boundaries so that no piece is wider than `width`.
fn hard_split(line: &str, width_cells: usize) -> Vec<String> {
    if width(line) <= width_cells {
        return vec![line.to_owned()];
    }
    let mut out = Vec::new();
    let mut current = String::new();
    let mut used = 0;
    for g in line.graphemes(true) {
        let w = width(g);
        if used + w > width_cells && !current.is_empty() {
            out.push(std::mem::take(&mut current));
            used = 0;
        }
        current.push_str(g);
        used += w;
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Cut text to at most `width` cells, ending with `…` when it was cut.
pub fn truncate(text: &str, width_cells: usize) -> String {
    let text = unjoin_emoji(text);
    let text = text.as_ref();
    if width(text) <= width_cells {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in text.graphemes(true) {
        let w = width(g);
        if used + w + 1 > width_cells {
            break;
        }
        out.push_str(g);
        used += w;
    }
    if width_cells > 0 {
        out.push('…');
    }
    out
}

/// The shaper for text being edited: no ligatures, so that every letter
/// keeps its own cell and the cursor can be placed on it.
fn input_shaper() -> &'static ArabicReshaper {
    static SHAPER: OnceLock<ArabicReshaper> = OnceLock::new();
    SHAPER.get_or_init(|| {
        ArabicReshaper::new(ReshaperConfig {
            delete_harakat: false,
            support_ligatures: false,
            ..Default::default()
        })
    })
}

/// The input line: its text in visual order and the cell at which the
/// cursor stands, given the cursor's grapheme index in logical order.
///
/// A right-to-left line starts with one blank cell, where the cursor stands
/// when it is at the end of the text (the left end, on screen).
pub fn input_line(line: &str, cursor: usize, mode: BidiMode) -> (String, usize) {
    if mode != BidiMode::App || !has_rtl(line) {
        let before: String = line.graphemes(true).take(cursor).collect();
        let shown = strip_isolates(&unjoin_emoji(line)).into_owned();
        return (shown, width(&unjoin_emoji(&before)));
    }
    let shaped = shape(line, input_shaper());
    // Shaping maps letter to letter; should it ever merge two, fall back to
    // the unshaped text so that grapheme indices still match the cursor's.
    let same_count = shaped.graphemes(true).count() == line.graphemes(true).count();
    let source = if same_count { shaped.as_str() } else { line };
    let rtl = is_rtl_paragraph(source, false);
    let mut text = String::new();
    let mut column = 0;
    if rtl {
        text.push(' ');
        column = 1;
    }
    let mut cursor_cell = None;
    for (g, logical) in reorder(source, rtl) {
        if logical == cursor {
            cursor_cell = Some(column);
        }
        let g = unjoin_emoji(g);
        text.push_str(&g);
        column += width(&g);
    }
    let end = if rtl { 0 } else { column };
    (text, cursor_cell.unwrap_or(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isolation_marks_never_reach_the_screen() {
        assert_eq!(strip_isolates("a\u{2068}b\u{2069}c"), "abc");
        let line = visual_line("قال \u{2068}Brazil\u{2069}", true, BidiMode::App);
        assert!(!line.contains('\u{2068}') && !line.contains('\u{2069}'));
    }

    #[test]
    fn latin_text_is_left_alone() {
        assert_eq!(
            visual_line("Hello (world)", false, BidiMode::App),
            "Hello (world)"
        );
    }

    #[test]
    fn hebrew_is_reversed_and_brackets_mirrored() {
        // "שלום (עולם)" in logical order, shown right to left.
        let shown = visual_line("שלום (עולם)", true, BidiMode::App);
        assert_eq!(shown, "(םלוע) םולש");
    }

    #[test]
    fn a_latin_name_inside_arabic_keeps_its_own_order() {
        let shown = visual_line("مرحبا \u{2068}Ana Silva\u{2069}", true, BidiMode::App);
        assert!(shown.starts_with("Ana Silva "), "{shown}");
    }

    #[test]
    fn vowel_marks_stay_on_their_letter() {
        // بَ (beh + fatha) followed by تِ (teh + kasra): reversing by char
        // would put each mark before the wrong letter.
        let shown = visual_line("بَتِ", true, BidiMode::Off);
        assert_eq!(shown, "بَتِ");
        let reordered = reorder("بَتِ", true);
        let graphemes: Vec<&str> = reordered.iter().map(|(g, _)| *g).collect();
        assert_eq!(graphemes, vec!["تِ", "بَ"]);
    }

    #[test]
    fn arabic_is_shaped_with_lam_alef_ligature() {
        // لا (lam + alef) becomes one presentation form, one cell wide.
        let shown = visual_line("لا", true, BidiMode::App);
        assert_eq!(shown.chars().count(), 1);
        assert_eq!(width(&shown), 1);
    }

    #[test]
    fn chinese_wraps_between_characters() {
        let lines = layout(
            "我们支持这项决议草案并希望尽快通过",
            10,
            false,
            BidiMode::App,
        );
        assert!(lines.len() > 1);
        for line in &lines {
            assert!(width(&line.text) <= 10, "{line:?}");
        }
    }

    #[test]
    fn joined_emoji_is_never_split_or_too_wide() {
        let family = "👨\u{200d}👩\u{200d}👧";
        let text = format!("{family}{family}{family}{family}");
        for line in layout(&text, 3, false, BidiMode::App) {
            assert!(width(&line.text) <= 3, "{line:?}");
        }
    }

    #[test]
    fn a_joined_emoji_inside_hebrew_keeps_its_order_and_true_width() {
        let family = "👨\u{200d}👩\u{200d}👧";
        let shown = visual_line(&format!("שלום {family} עולם"), true, BidiMode::App);
        // Unjoined (terminals draw the parts anyway), in logical order.
        assert!(shown.contains("👨👩👧"), "{shown:?}");
        assert_eq!(width(&shown), width("שלום") + 6 + width("עולם") + 2);
    }

    #[test]
    fn a_joiner_between_arabic_letters_is_kept() {
        assert_eq!(unjoin_emoji("ب\u{200d}"), "ب\u{200d}");
        assert_eq!(unjoin_emoji("a👍\u{200d}b"), "a👍b");
    }

    #[test]
    fn numbers_inside_arabic_keep_their_order() {
        let shown = visual_line("بقي 120 ثانية", true, BidiMode::App);
        assert!(shown.contains("120"), "{shown}");
    }

    #[test]
    fn rtl_paragraphs_are_marked_for_right_alignment() {
        let lines = layout("نحن ندعم هذا\nWe agree", 40, false, BidiMode::App);
        assert!(lines[0].rtl);
        assert!(!lines[1].rtl);
    }

    #[test]
    fn truncation_respects_wide_characters() {
        assert_eq!(truncate("中文中文", 5), "中文…");
        assert_eq!(truncate("abc", 5), "abc");
    }

    #[test]
    fn cursor_after_wide_characters_lands_on_the_right_cell() {
        let (_, cell) = input_line("中文ab", 2, BidiMode::App);
        assert_eq!(cell, 4);
    }

    #[test]
    fn cursor_at_the_end_of_arabic_input_stands_at_the_left() {
        let (text, cell) = input_line("سلام", 4, BidiMode::App);
        assert_eq!(cell, 0);
        assert_eq!(width(&text), 5);
        // At the start of the text it stands on the rightmost letter.
        let (_, cell) = input_line("سلام", 0, BidiMode::App);
        assert_eq!(cell, 4);
    }
}
