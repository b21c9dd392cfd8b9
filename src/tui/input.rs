//! One line of editable text with a cursor and the readline keys (Ctrl-A/E/W/U/K, Left/Right,
//! Home/End, Backspace/Delete). Used by form fields, the check-in desk, the filter line and
//! the command palette, so every text line edits the same way.

use super::keymap::Action;

/// Text and a cursor (a char boundary, in bytes).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineInput {
    text: String,
    cursor: usize,
}

impl LineInput {
    /// A line holding `text`, cursor at the end.
    pub fn new(text: impl Into<String>) -> LineInput {
        let text = text.into();
        let cursor = text.len();
        LineInput { text, cursor }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The cursor's position in characters (for drawing).
    pub fn cursor_chars(&self) -> usize {
        self.text[..self.cursor].chars().count()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Replaces the text; cursor at the end.
    pub fn set(&mut self, text: impl Into<String>) {
        *self = LineInput::new(text);
    }

    pub fn clear(&mut self) {
        self.set(String::new());
    }

    /// Types a character at the cursor (control characters are refused).
    pub fn insert(&mut self, c: char) {
        if c.is_control() {
            return;
        }
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
    }

    fn prev_boundary(&self) -> usize {
        self.text[..self.cursor]
            .char_indices()
            .next_back()
            .map_or(0, |(i, _)| i)
    }

    fn next_boundary(&self) -> usize {
        self.text[self.cursor..]
            .chars()
            .next()
            .map_or(self.cursor, |c| self.cursor + c.len_utf8())
    }

    /// The start of the word before the cursor (skipping spaces first), as Ctrl-W sees it.
    fn word_start(&self) -> usize {
        let before = &self.text[..self.cursor];
        let trimmed = before.trim_end();
        trimmed
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8())
    }

    /// Applies an editing action; returns whether it was one (and so was handled).
    pub fn edit(&mut self, a: Action) -> bool {
        match a {
            Action::DeleteBack => {
                let p = self.prev_boundary();
                self.text.replace_range(p..self.cursor, "");
                self.cursor = p;
            }
            Action::DeleteForward => {
                let n = self.next_boundary();
                self.text.replace_range(self.cursor..n, "");
            }
            Action::DeleteWord => {
                let w = self.word_start();
                self.text.replace_range(w..self.cursor, "");
                self.cursor = w;
            }
            Action::ClearLine => {
                self.text.replace_range(..self.cursor, "");
                self.cursor = 0;
            }
            Action::KillToEnd => self.text.truncate(self.cursor),
            Action::CursorLeft => self.cursor = self.prev_boundary(),
            Action::CursorRight => self.cursor = self.next_boundary(),
            Action::LineStart => self.cursor = 0,
            Action::LineEnd => self.cursor = self.text.len(),
            _ => return false,
        }
        true
    }
}

/// Applies an editing action to text whose cursor is always at its end (the filter line and
/// the palette); returns whether it was one.
pub fn edit_at_end(s: &mut String, a: Action) -> bool {
    let mut line = LineInput::new(std::mem::take(s));
    let done = line.edit(a);
    *s = line.text;
    done
}

/// Whether an action edits a line of text.
pub fn is_edit(a: Action) -> bool {
    LineInput::default().clone().edit(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(s: &str) -> LineInput {
        let mut l = LineInput::default();
        s.chars().for_each(|c| l.insert(c));
        l
    }

    #[test]
    fn readline_keys_with_latvian_letters() {
        let mut l = typed("Jānis Bērziņš");
        l.edit(Action::DeleteWord);
        assert_eq!(l.text(), "Jānis ");
        l.edit(Action::LineStart);
        l.insert('Ā');
        assert_eq!(l.text(), "ĀJānis ");
        assert_eq!(l.cursor_chars(), 1);
        l.edit(Action::CursorRight);
        l.edit(Action::CursorRight);
        l.edit(Action::DeleteBack);
        assert_eq!(l.text(), "ĀJnis ");
        l.edit(Action::DeleteForward);
        assert_eq!(l.text(), "ĀJis ");
        l.edit(Action::KillToEnd);
        assert_eq!(l.text(), "ĀJ");
        l.edit(Action::LineEnd);
        l.insert('x');
        l.edit(Action::CursorLeft);
        l.edit(Action::ClearLine);
        assert_eq!((l.text(), l.cursor_chars()), ("x", 0));
    }

    #[test]
    fn edges_do_nothing_and_controls_are_refused() {
        let mut l = LineInput::default();
        for a in [
            Action::DeleteBack,
            Action::DeleteForward,
            Action::DeleteWord,
            Action::CursorLeft,
            Action::CursorRight,
        ] {
            assert!(l.edit(a));
        }
        l.insert('\u{7}');
        l.insert('\n');
        assert!(l.is_empty());
        let mut l = typed("a  b  ");
        l.edit(Action::DeleteWord);
        assert_eq!(l.text(), "a  ");
        assert!(!l.edit(Action::Quit));
        assert!(is_edit(Action::LineStart) && !is_edit(Action::Save));
    }
}
