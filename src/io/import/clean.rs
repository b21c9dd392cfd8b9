//! Cleaning text as it comes from web forms and spreadsheets: invisible characters removed,
//! names split and capitalised sensibly, emails normalised, institution names folded with
//! the usual Latvian abbreviations expanded. Pure functions only.

use crate::domain::fold::fold;
use crate::domain::{Text, clean};

/// Characters that are invisible or reorder text: zero-width spaces and joiners, bidi marks
/// and embeddings, the BOM, the soft hyphen, the word joiner.
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}' | '\u{180E}')
}

/// One cell's text: NFC, invisible characters dropped, control characters and runs of white
/// space (incl. no-break spaces) collapsed to one space, trimmed.
pub fn text(s: &str) -> Text {
    if s.chars().any(|c| invisible(c) || c == '\x1b') {
        let mut kept = String::with_capacity(s.len());
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                // A terminal escape sequence (ESC [ parameters letter) goes whole.
                if chars.next_if_eq(&'[').is_some() {
                    while chars.next_if(|c| !c.is_ascii_alphabetic() && !c.is_control()).is_some() {}
                    chars.next_if(char::is_ascii_alphabetic);
                }
            } else if !invisible(c) {
                kept.push(c);
            }
        }
        clean(&kept)
    } else {
        clean(s)
    }
}

/// An email address as stored: cleaned, without spaces, lowercase.
pub fn email(s: &str) -> Text {
    let t = text(s);
    let t = t.trim_start_matches("mailto:");
    Text::from(
        t.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect::<String>(),
    )
}

/// A word of a name capitalised: "BĒRZIŅA" and "bērziņa" give "Bērziņa", each part of
/// "anna-marija" its capital; a word already in mixed case ("McDonald") is kept.
pub fn capitalise(word: &str) -> String {
    let has_upper = word.chars().any(char::is_uppercase);
    let has_lower = word.chars().any(char::is_lowercase);
    if has_upper && has_lower {
        return word.to_string();
    }
    let mut out = String::with_capacity(word.len());
    let mut start = true;
    for c in word.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = matches!(c, '-' | '\'' | '’' | '.');
    }
    out
}

fn capitalise_all(words: &[&str]) -> Text {
    Text::from(words.iter().map(|w| capitalise(w)).collect::<Vec<_>>().join(" "))
}

/// Whether a word is written in capitals ("BĒRZIŅA"; a single letter does not count).
fn shouting(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() > 1
        && word.chars().any(char::is_uppercase)
        && !word.chars().any(char::is_lowercase)
}

/// Splits one "Vārds, uzvārds" cell into (given names, surname), capitalised:
/// "Anna Bērziņa", "BĒRZIŅA Anna" (the word in capitals is the surname), "Bērziņa, Anna"
/// (surname before a comma). Otherwise the last word is the surname.
pub fn split_full_name(s: &str) -> (Text, Text) {
    let s = text(s);
    if let Some((before, after)) = s.split_once(',') {
        let (b, a) = (before.trim(), after.trim());
        if !b.is_empty() && !a.is_empty() {
            let b_words: Vec<&str> = b.split(' ').collect();
            let a_words: Vec<&str> = a.split(' ').collect();
            return (capitalise_all(&a_words), capitalise_all(&b_words));
        }
    }
    let s = s.replace(',', " ");
    let words: Vec<&str> = s.split_whitespace().collect();
    match words.len() {
        0 => (Text::default(), Text::default()),
        1 => (Text::default(), capitalise_all(&words)),
        _ => {
            let caps: Vec<bool> = words.iter().map(|w| shouting(w)).collect();
            let n_caps = caps.iter().filter(|c| **c).count();
            if n_caps > 0 && n_caps < words.len() {
                let surname: Vec<&str> = words.iter().zip(&caps).filter(|(_, c)| **c).map(|(w, _)| *w).collect();
                let given: Vec<&str> = words.iter().zip(&caps).filter(|(_, c)| !**c).map(|(w, _)| *w).collect();
                (capitalise_all(&given), capitalise_all(&surname))
            } else {
                let (given, surname) = words.split_at(words.len() - 1);
                (capitalise_all(given), capitalise_all(surname))
            }
        }
    }
}

/// A name given in its own column, cleaned and capitalised word by word.
pub fn name(s: &str) -> Text {
    let s = text(s);
    let words: Vec<&str> = s.split(' ').filter(|w| !w.is_empty()).collect();
    capitalise_all(&words)
}

/// A person's name as a matching key: the folded words in sorted order, so "Bērziņa Anna"
/// and "anna berzina" are the same person's name.
pub fn name_key(given: &str, surname: &str) -> String {
    let mut words: Vec<String> = fold(given)
        .split(|c: char| !c.is_alphanumeric())
        .chain(fold(surname).split(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    words.sort_unstable();
    words.join(" ")
}

/// Abbreviations in institution names and their full folded words.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("vsk", "vidusskola"),
    ("vidussk", "vidusskola"),
    ("psk", "pamatskola"),
    ("pamatsk", "pamatskola"),
    ("gimn", "gimnazija"),
    ("g", "gimnazija"),
    ("vg", "valsts gimnazija"),
    ("sk", "skola"),
    ("pii", "pirmsskolas izglitibas iestade"),
    ("pirmsk", "pirmsskolas"),
    ("nov", "novada"),
    ("tehn", "tehnikums"),
    ("pr", "pirmsskola"),
    ("vald", "valdorfa"),
    ("valsts", "valsts"),
];

/// Words that carry no identity in an institution's name.
const NOISE: &[&str] = &["un", "the", "of"];

/// An institution's name as a matching key: folded, punctuation and quotes dropped, the usual
/// abbreviations expanded ("Cēsu 1. psk." and "Cēsu 1. pamatskola" give the same key).
pub fn institution_key(s: &str) -> String {
    let folded = fold(&text(s));
    let mut words: Vec<&str> = Vec::new();
    for raw in folded.split(|c: char| !c.is_alphanumeric()) {
        if raw.is_empty() || NOISE.contains(&raw) {
            continue;
        }
        match ABBREVIATIONS.iter().find(|(a, _)| *a == raw) {
            Some((_, full)) => words.extend(full.split(' ')),
            None => words.push(raw),
        }
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_and_control_characters_go() {
        assert_eq!(
            text("An\u{200B}na\u{00A0}\u{00A0}Bē\u{202E}rziņa\t\r\n"),
            "Anna Bērziņa"
        );
        assert_eq!(text("\u{FEFF}Vārds"), "Vārds");
        // "e" + combining macron becomes "ē" (NFC).
        assert_eq!(text("Be\u{304}rziņa"), "Bērziņa");
        assert_eq!(text("a\x1b[31mb\x07"), "ab");
        assert_eq!(text("Ze\x1b[1;31mme\x1b"), "Zeme");
    }

    #[test]
    fn names_are_capitalised_sensibly() {
        assert_eq!(split_full_name("BĒRZIŅA Anna"), ("Anna".into(), "Bērziņa".into()));
        assert_eq!(split_full_name("anna bērziņa"), ("Anna".into(), "Bērziņa".into()));
        assert_eq!(
            split_full_name("Bērziņa, Anna Marija"),
            ("Anna Marija".into(), "Bērziņa".into())
        );
        assert_eq!(
            split_full_name("Anna Marija ZVAIGZNE-OZOLA"),
            ("Anna Marija".into(), "Zvaigzne-Ozola".into())
        );
        assert_eq!(
            split_full_name("  Jānis   Bērziņš "),
            ("Jānis".into(), "Bērziņš".into())
        );
        assert_eq!(split_full_name("Bērziņš"), ("".into(), "Bērziņš".into()));
        assert_eq!(split_full_name(""), ("".into(), "".into()));
        assert_eq!(name("mcDonald"), "mcDonald");
        assert_eq!(name("ĻAUDIS"), "Ļaudis");
        assert_eq!(capitalise("o'brien"), "O'Brien");
    }

    #[test]
    fn name_keys_ignore_order_case_and_marks() {
        assert_eq!(name_key("Anna", "Bērziņa"), name_key("BERZINA", "anna"));
        assert_ne!(name_key("Anna", "Bērziņa"), name_key("Anna", "Bērziņš"));
    }

    #[test]
    fn emails_lose_spaces_and_case() {
        assert_eq!(email(" Anna.Berzina @Example.COM "), "anna.berzina@example.com");
        assert_eq!(email("mailto:a@b.lv"), "a@b.lv");
    }

    #[test]
    fn institution_abbreviations() {
        assert_eq!(institution_key("Cēsu 1. psk."), institution_key("CĒSU 1. PAMATSKOLA"));
        assert_eq!(
            institution_key("Rīgas 64. vsk"),
            institution_key("Rīgas 64. vidusskola")
        );
        assert_eq!(
            institution_key("Cēsu Valsts ģimn."),
            institution_key("Cēsu valsts ģimnāzija")
        );
        assert_eq!(institution_key("Cēsu VĢ"), institution_key("Cēsu Valsts ģimnāzija"));
        assert_eq!(
            institution_key("Daugavpils Dizaina un mākslas vidusskola \"SAULES SKOLA\""),
            institution_key("Daugavpils dizaina mākslas vidusskola Saules skola")
        );
        assert_ne!(institution_key("Cēsu 1. psk."), institution_key("Cēsu 2. psk."));
    }
}
