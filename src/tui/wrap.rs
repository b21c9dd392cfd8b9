//! Text broken into lines of a width, at spaces, so that nothing is cut at the edge: a word
//! longer than a line is split over lines. Serves the status line, the message view, help,
//! the errors under a form's fields and the import's lists.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `text` in lines of at most `width` columns, broken at spaces; the text's own leading
/// spaces stay on the first line, and the lines after it start with `indent` spaces.
pub fn hanging(text: &str, width: usize, indent: usize) -> Vec<String> {
    let width = width.max(1);
    // A continuation line always has room for at least one character.
    let pad = " ".repeat(indent.min(width - 1));
    let body = text.trim_start_matches(' ');
    let mut out = Vec::new();
    let mut line = text[..text.len() - body.len()].to_string();
    let mut has_word = false;
    for word in body.split(' ') {
        let mut word = word;
        loop {
            if line.width() + usize::from(has_word) + word.width() <= width {
                if has_word {
                    line.push(' ');
                }
                line.push_str(word);
                has_word = true;
                break;
            }
            if has_word || line.width() >= width {
                // On to a new line; the word goes there.
                out.push(std::mem::replace(&mut line, pad.clone()));
                has_word = false;
                continue;
            }
            // Longer than a whole line: what fits here, the rest on the next.
            let (head, tail) = split_at_width(word, width - line.width());
            line.push_str(head);
            out.push(std::mem::replace(&mut line, pad.clone()));
            word = tail;
        }
    }
    out.push(line);
    out
}

/// The longest start of `s` at most `width` columns wide (at least one character), and the
/// rest.
fn split_at_width(s: &str, width: usize) -> (&str, &str) {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        used += c.width().unwrap_or(0);
        if used > width && i > 0 {
            return s.split_at(i);
        }
    }
    (s, "")
}

/// A message in lines of `width` columns: one when it fits; else each of its parts
/// (startup warnings are joined by " · ") starts a line of its own, so that each file's
/// name and line stay in sight, and a part longer than the line is wrapped at spaces.
/// Every word is kept.
pub fn message(msg: &str, width: usize) -> Vec<String> {
    if msg.width() <= width {
        return vec![msg.to_string()];
    }
    let mut lines: Vec<String> = Vec::new();
    for (i, part) in msg.split(" · ").enumerate() {
        let part = if i == 0 { part.to_string() } else { format!("   {part}") };
        lines.extend(hanging(&part, width, 3));
    }
    lines
}

/// At most `max` of `lines`; when some are left out, the last one shown ends with `more`
/// (what shows them all), cut to make room. Returns whether any were left out.
pub fn at_most(mut lines: Vec<String>, max: usize, width: usize, more: &str) -> (Vec<String>, bool) {
    if lines.len() <= max.max(1) {
        return (lines, false);
    }
    lines.truncate(max.max(1));
    if let Some(last) = lines.last_mut() {
        *last = ending_with(last, width, more);
    }
    (lines, true)
}

/// `line` with `… more` at its end, cut so that both fit in `width` columns.
pub fn ending_with(line: &str, width: usize, more: &str) -> String {
    let tail = format!("… {more}");
    let room = width.saturating_sub(tail.width());
    let (head, _) = if line.width() <= room {
        (line, "")
    } else {
        split_at_width(line, room)
    };
    format!("{}{tail}", head.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(lines: &[String]) -> Vec<&str> {
        lines.iter().flat_map(|l| l.split_whitespace()).collect()
    }

    #[test]
    fn a_long_message_wraps_at_spaces_and_keeps_every_word() {
        let msg = " ▶ Cēsu novada pašvaldība cannot be deleted: it is the parent of these organisations (7): Cēsu Valsts ģimnāzija, Cēsu pamatskola. Move them first.";
        let lines = message(msg, 40);
        assert!(lines.len() > 1, "{lines:?}");
        for l in &lines {
            assert!(l.width() <= 40, "{l:?}");
        }
        assert_eq!(words(&lines), msg.split_whitespace().collect::<Vec<_>>());
        assert_eq!(message("short", 40), vec!["short".to_string()]);
    }

    #[test]
    fn a_word_longer_than_the_line_is_split_not_cut() {
        let path = "/home/koord1/dokumenti/2026/registracijas-saraksti/cesis.xlsx";
        let lines = hanging(&format!("Exported 12 rows to {path}"), 24, 3);
        for l in &lines {
            assert!(l.width() <= 24, "{l:?} in {lines:?}");
        }
        let back: String = lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join("");
        assert!(back.contains(path), "{lines:?}");
        // Continuation lines are indented; the text's own leading spaces stay.
        assert!(lines[1..].iter().all(|l| l.starts_with("   ")), "{lines:?}");
        assert!(hanging("  a b", 10, 0)[0].starts_with("  a"));
    }

    #[test]
    fn at_most_says_when_lines_were_left_out() {
        let lines: Vec<String> = (0..5).map(|i| format!("line number {i}")).collect();
        let (kept, cut) = at_most(lines.clone(), 3, 20, "! all");
        assert!(cut);
        assert_eq!(kept.len(), 3);
        assert!(kept[2].ends_with("… ! all") && kept[2].width() <= 20, "{kept:?}");
        assert_eq!(
            at_most(lines[..2].to_vec(), 3, 20, "! all"),
            (lines[..2].to_vec(), false)
        );
    }
}
