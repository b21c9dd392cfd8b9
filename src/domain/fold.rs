//! Folding text to lowercase ASCII search keys: "Bērziņš" -> "berzins", "ŽANETE" -> "zanete".
//! Latvian letters are mapped directly (fast path); other letters via NFD with marks removed.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Appends the folded form of `s` to `out`.
pub fn fold_into(s: &str, out: &mut String) {
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        match c {
            'ā' | 'Ā' => out.push('a'),
            'č' | 'Č' => out.push('c'),
            'ē' | 'Ē' => out.push('e'),
            'ģ' | 'Ģ' => out.push('g'),
            'ī' | 'Ī' => out.push('i'),
            'ķ' | 'Ķ' => out.push('k'),
            'ļ' | 'Ļ' => out.push('l'),
            'ņ' | 'Ņ' => out.push('n'),
            'š' | 'Š' => out.push('s'),
            'ū' | 'Ū' => out.push('u'),
            'ž' | 'Ž' => out.push('z'),
            'ō' | 'Ō' => out.push('o'),
            'ŗ' | 'Ŗ' => out.push('r'),
            'ł' | 'Ł' => out.push('l'),
            'ø' | 'Ø' => out.push('o'),
            'đ' | 'Đ' => out.push('d'),
            'ß' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            _ => {
                for d in c.to_lowercase().flat_map(|l| l.nfd()) {
                    if !is_combining_mark(d) {
                        out.push(d);
                    }
                }
            }
        }
    }
}

/// The folded form of `s`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn every_latvian_letter_both_cases() {
        let pairs = [
            ("ā", "a"),
            ("Ā", "a"),
            ("č", "c"),
            ("Č", "c"),
            ("ē", "e"),
            ("Ē", "e"),
            ("ģ", "g"),
            ("Ģ", "g"),
            ("ī", "i"),
            ("Ī", "i"),
            ("ķ", "k"),
            ("Ķ", "k"),
            ("ļ", "l"),
            ("Ļ", "l"),
            ("ņ", "n"),
            ("Ņ", "n"),
            ("š", "s"),
            ("Š", "s"),
            ("ū", "u"),
            ("Ū", "u"),
            ("ž", "z"),
            ("Ž", "z"),
        ];
        for (letter, folded) in pairs {
            assert_eq!(fold(letter), folded, "{letter}");
        }
    }

    #[test]
    fn names_fold_the_same() {
        assert_eq!(fold("Bērziņš"), "berzins");
        assert_eq!(fold("BĒRZIŅŠ"), "berzins");
        assert_eq!(fold("Žanete"), "zanete");
        assert_eq!(fold("Cēsu Valsts ģimnāzija"), "cesu valsts gimnazija");
        // Other scripts' accents fold through NFD.
        assert_eq!(fold("Müller Łukasz Øre"), "muller lukasz ore");
    }
}
