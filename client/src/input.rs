//! The text being typed: a string in logical order and a cursor that always
//! stands on a grapheme boundary, so that no edit splits a letter from its
//! vowel mark or an emoji from its joiners.

// A reader comes to this module's public items from the rest of the
// client, so each says what it is for.
#![warn(missing_docs)]

use unicode_segmentation::UnicodeSegmentation;

/// A text being typed, and where the cursor stands in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    /// Byte offset of the cursor, on a grapheme boundary.
    cursor: usize,
}

impl TextInput {
    /// The text, in logical order.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether nothing is typed.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Empty the input and hand back what it held.
    pub fn take(&mut self) -> String {
        self.cursor = 0;
        std::mem::take(&mut self.text)
    }

    /// Replace the text (cleaned as [`TextInput::insert`] cleans it),
    /// the cursor at its end.
    pub fn set(&mut self, text: &str) {
        self.text = clean(text);
        self.cursor = self.text.len();
    }

    /// Insert typed or pasted text at the cursor. Line ends become `\n`,
    /// tabs a space, other control characters are dropped.
    pub fn insert(&mut self, text: &str) {
        let text = clean(text);
        self.text.insert_str(self.cursor, &text);
        self.cursor += text.len();
    }

    /// Insert one typed character at the cursor.
    pub fn insert_char(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.insert(c.encode_utf8(&mut buf));
    }

    fn prev_boundary(&self) -> usize {
        self.text[..self.cursor]
            .grapheme_indices(true)
            .next_back()
            .map_or(0, |(i, _)| i)
    }

    fn next_boundary(&self) -> usize {
        self.text[self.cursor..]
            .graphemes(true)
            .next()
            .map_or(self.cursor, |g| self.cursor + g.len())
    }

    /// Delete the grapheme before the cursor.
    pub fn backspace(&mut self) {
        let start = self.prev_boundary();
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    /// Delete the grapheme after the cursor.
    pub fn delete(&mut self) {
        let end = self.next_boundary();
        self.text.replace_range(self.cursor..end, "");
    }

    /// Back one grapheme, in logical order (the caller mirrors the arrows
    /// in right-to-left text).
    pub fn left(&mut self) {
        self.cursor = self.prev_boundary();
    }

    /// On one grapheme, in logical order.
    pub fn right(&mut self) {
        self.cursor = self.next_boundary();
    }

    /// To the start of the current line.
    pub fn home(&mut self) {
        self.cursor = self.text[..self.cursor].rfind('\n').map_or(0, |i| i + 1);
    }

    /// To the end of the current line.
    pub fn end(&mut self) {
        self.cursor = self.text[self.cursor..]
            .find('\n')
            .map_or(self.text.len(), |i| self.cursor + i);
    }

    /// Delete from the start of the line to the cursor.
    pub fn kill_to_start(&mut self) {
        let start = self.text[..self.cursor].rfind('\n').map_or(0, |i| i + 1);
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    /// Delete the word before the cursor.
    pub fn kill_word(&mut self) {
        let before = &self.text[..self.cursor];
        let trimmed = before.trim_end_matches(' ');
        let start = trimmed
            .unicode_word_indices()
            .next_back()
            .map_or(0, |(i, _)| i);
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    /// The cursor is on the first line of the text (↑ recalls history).
    pub fn on_first_line(&self) -> bool {
        !self.text[..self.cursor].contains('\n')
    }

    /// The cursor is on the last line of the text (↓ recalls history).
    pub fn on_last_line(&self) -> bool {
        !self.text[self.cursor..].contains('\n')
    }

    /// The cursor one line up, at the same grapheme column or the line's end.
    pub fn up(&mut self) {
        let (_, line, column) = self.lines_and_cursor();
        if line > 0 {
            self.goto(line - 1, column);
        }
    }

    /// The cursor one line down, at the same grapheme column or the line's end.
    pub fn down(&mut self) {
        let (lines, line, column) = self.lines_and_cursor();
        if line + 1 < lines.len() {
            self.goto(line + 1, column);
        }
    }

    fn goto(&mut self, line: usize, column: usize) {
        let start: usize = self.text.split('\n').take(line).map(|l| l.len() + 1).sum();
        let text = self.text[start..].split('\n').next().unwrap_or_default();
        let offset: usize = text.graphemes(true).take(column).map(str::len).sum();
        self.cursor = start + offset;
    }

    /// The cursor is at the end of the text.
    pub fn at_end(&self) -> bool {
        self.cursor == self.text.len()
    }

    /// The cursor is at the start of the text.
    pub fn at_start(&self) -> bool {
        self.cursor == 0
    }

    /// The word before the cursor, and where it starts (for completion).
    pub fn word_before_cursor(&self) -> (usize, &str) {
        let before = &self.text[..self.cursor];
        let start = before.rfind(|c: char| c.is_whitespace()).map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
        (start, &before[start..])
    }

    /// Replace the text from `start` to the cursor with `with`.
    pub fn replace_before_cursor(&mut self, start: usize, with: &str) {
        self.text.replace_range(start..self.cursor, with);
        self.cursor = start + with.len();
    }

    /// How many graphemes stand before the cursor.
    pub fn cursor_graphemes(&self) -> usize {
        self.text[..self.cursor].graphemes(true).count()
    }

    /// The lines of the text, and the cursor as (line, grapheme index in it).
    pub fn lines_and_cursor(&self) -> (Vec<&str>, usize, usize) {
        let lines: Vec<&str> = self.text.split('\n').collect();
        let before = &self.text[..self.cursor];
        let line = before.matches('\n').count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = self.text[line_start..self.cursor].graphemes(true).count();
        (lines, line, column)
    }
}

fn clean(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    text.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backspace_removes_a_whole_grapheme() {
        let mut input = TextInput::default();
        input.insert("aبَ👨\u{200d}👩");
        input.backspace();
        assert_eq!(input.text(), "aبَ");
        input.backspace();
        assert_eq!(input.text(), "a");
    }

    #[test]
    fn pasted_line_ends_are_normalized() {
        let mut input = TextInput::default();
        input.insert("one\r\ntwo\rthree\tfour\u{7}");
        assert_eq!(input.text(), "one\ntwo\nthree four");
        let (lines, line, column) = input.lines_and_cursor();
        assert_eq!(lines.len(), 3);
        assert_eq!((line, column), (2, 10));
    }

    #[test]
    fn cursor_moves_by_grapheme_and_line() {
        let mut input = TextInput::default();
        input.insert("中文\nab");
        input.home();
        input.left();
        input.left();
        input.insert_char('x');
        assert_eq!(input.text(), "中x文\nab");
        input.end();
        input.delete();
        assert_eq!(input.text(), "中x文ab");
    }

    #[test]
    fn kill_word_deletes_the_last_word() {
        let mut input = TextInput::default();
        input.insert("we support this ");
        input.kill_word();
        assert_eq!(input.text(), "we support ");
    }
}
