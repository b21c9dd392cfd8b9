//! Hostile text: characters that reorder or hide what is shown (bidi controls, zero-width
//! marks, floods of combining marks) are removed on input, and untrusted text printed to a
//! terminal gets its control characters shown as visible escapes. Used by every input path
//! (forms, CLI, import) through [`super::clean`], and by the screen before drawing.

/// Bidi embeddings, overrides, isolates and marks: they reorder the text around them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Characters that show nothing and have no place in a name or a title: zero-width space,
/// word joiner, byte-order mark, soft hyphen, invisible operators, Mongolian vowel separator,
/// interlinear annotation and tag characters. ZWNJ and ZWJ are handled apart ([`keep_joiner`]).
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}' | '\u{FFF9}'..='\u{FFFB}' | '\u{E0000}'..='\u{E007F}'
    )
}

/// Zero-width non-joiner (U+200C) and joiner (U+200D).
fn is_joiner(c: char) -> bool {
    c == '\u{200C}' || c == '\u{200D}'
}

/// A joiner stays where a name needs it: between two letters at least one of which is
/// outside the Latin, Greek and Cyrillic blocks (Persian, Indic scripts write names with
/// them). Anywhere else it only hides something.
pub fn keep_joiner(prev: Option<char>, next: Option<char>) -> bool {
    match (prev, next) {
        // A virama before a joiner is a mark, not a letter, in Indic scripts.
        (Some(a), Some(b)) => {
            let letter = |c: char| c.is_alphabetic() || (c > '\u{052F}' && !c.is_whitespace() && !c.is_control());
            letter(a) && letter(b) && (a > '\u{052F}' || b > '\u{052F}')
        }
        _ => false,
    }
}

/// The most combining marks kept on one letter (Latvian needs one; Vietnamese two).
pub const MAX_MARKS: usize = 3;

/// Whether `c` is a combining mark (the general categories Mn, Mc, Me, approximated by the
/// blocks that hold them).
fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}' | '\u{0483}'..='\u{0489}' | '\u{0591}'..='\u{05BD}' | '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// `s` without bidi controls, invisible characters, stray joiners and more than
/// [`MAX_MARKS`] combining marks in a row. Everything else is left as it is.
pub fn strip_hidden(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut marks = 0;
    for (i, &c) in chars.iter().enumerate() {
        if is_bidi_control(c) || is_invisible(c) {
            continue;
        }
        if is_joiner(c) {
            let prev = out.chars().next_back();
            let next = chars[i + 1..]
                .iter()
                .copied()
                .find(|n| !is_bidi_control(*n) && !is_invisible(*n));
            if keep_joiner(prev, next) {
                out.push(c);
            }
            continue;
        }
        if is_mark(c) {
            marks += 1;
            if marks > MAX_MARKS {
                continue;
            }
        } else {
            marks = 0;
        }
        out.push(c);
    }
    out
}

/// Whether `s` holds anything [`strip_hidden`] would remove.
pub fn has_hidden(s: &str) -> bool {
    s.chars()
        .any(|c| is_bidi_control(c) || is_invisible(c) || is_joiner(c) || is_mark(c))
        && strip_hidden(s) != s
}

/// `s` for a terminal: control characters (except line breaks), bidi controls, invisible
/// characters and joiners are written as visible escapes (`\u{1b}`), so that text a user
/// typed or a file held can neither move the cursor nor reorder the line.
pub fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '\n' {
            out.push(c);
        } else if c.is_control() || is_bidi_control(c) || is_invisible(c) || is_joiner(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_and_zero_width_are_removed() {
        assert_eq!(strip_hidden("Bidi\u{202E}anizreb\u{200B}\u{200D}Z"), "BidianizrebZ");
        assert_eq!(strip_hidden("\u{2066}Anna\u{2069}\u{FEFF}"), "Anna");
        assert_eq!(strip_hidden("Jānis"), "Jānis");
    }

    #[test]
    fn joiners_stay_inside_names_that_need_them() {
        // Persian "Mehrnaz" style: ZWNJ between two Arabic-script letters stays.
        assert_eq!(strip_hidden("\u{0645}\u{200C}\u{0647}"), "\u{0645}\u{200C}\u{0647}");
        // Devanagari with ZWJ stays; between Latin letters or at the ends it goes.
        assert_eq!(
            strip_hidden("\u{0915}\u{094D}\u{200D}\u{0937}"),
            "\u{0915}\u{094D}\u{200D}\u{0937}"
        );
        assert_eq!(strip_hidden("An\u{200D}na\u{200C}"), "Anna");
    }

    #[test]
    fn floods_of_combining_marks_are_cut() {
        let zalgo = format!("Z{}", "\u{0301}".repeat(20));
        assert_eq!(strip_hidden(&zalgo).chars().count(), 1 + MAX_MARKS);
        assert_eq!(strip_hidden("e\u{0304}"), "e\u{0304}");
    }

    #[test]
    fn escapes_are_shown_not_sent() {
        assert_eq!(visible("X\u{1b}]52;c;SGVsbG8=\u{7}Y"), "X\\u{1b}]52;c;SGVsbG8=\\u{7}Y");
        assert_eq!(visible("a\u{202E}b\nc"), "a\\u{202e}b\nc");
        assert_eq!(visible("Bērziņš"), "Bērziņš");
    }
}
