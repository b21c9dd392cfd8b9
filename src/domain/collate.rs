//! Latvian alphabetical order, the one collation every sorted list uses (panes, CLI lists,
//! exports): Č after C, Ģ after G, Ķ after K, Ļ after L, Ņ after N, Š after S, Ž after Z
//! (separate letters), while Ā Ē Ī Ū sort with A E I U; case and other accents are ignored.

use std::cmp::Ordering;
use unicode_normalization::UnicodeNormalization;

/// Follows a letter that sorts after its base letter (č after c and after every "c…").
/// Higher than every ASCII letter, digit and space, lower than any other character.
const AFTER: u32 = 0x7F;

/// The collation units of one character, in order (at most two).
fn units(c: char, out: &mut impl FnMut(u32)) {
    if c.is_ascii() {
        out(c.to_ascii_lowercase() as u32);
        return;
    }
    let base = match c {
        'ā' | 'Ā' => Some('a'),
        'ē' | 'Ē' => Some('e'),
        'ī' | 'Ī' => Some('i'),
        'ū' | 'Ū' => Some('u'),
        'ō' | 'Ō' => Some('o'),
        _ => None,
    };
    if let Some(b) = base {
        out(b as u32);
        return;
    }
    let own = match c {
        'č' | 'Č' => Some('c'),
        'ģ' | 'Ģ' => Some('g'),
        'ķ' | 'Ķ' => Some('k'),
        'ļ' | 'Ļ' => Some('l'),
        'ņ' | 'Ņ' => Some('n'),
        'ŗ' | 'Ŗ' => Some('r'),
        'š' | 'Š' => Some('s'),
        'ž' | 'Ž' => Some('z'),
        _ => None,
    };
    if let Some(b) = own {
        out(b as u32);
        out(AFTER);
        return;
    }
    // Any other letter: lower case without its accents (é with e, ö with o).
    for d in c.to_lowercase().flat_map(|l| l.nfd()) {
        if !is_mark(d) {
            out(d as u32);
        }
    }
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// Appends the collation key of `s` to `out`: comparing keys byte by byte (or as strings)
/// gives the Latvian order of the texts.
pub fn key_into(s: &str, out: &mut String) {
    for c in s.chars() {
        units(c, &mut |u| {
            out.push(char::from_u32(u).unwrap_or(char::REPLACEMENT_CHARACTER))
        });
    }
}

/// The collation key of `s` (see [`key_into`]).
pub fn key(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    key_into(s, &mut out);
    out
}

/// The Latvian order of two texts, without building their keys.
pub fn cmp(a: &str, b: &str) -> Ordering {
    cmp_parts(&[a], &[b])
}

/// The Latvian order of two texts each made of parts joined by a space (a surname and a
/// given name), without building them.
pub fn cmp_parts(a: &[&str], b: &[&str]) -> Ordering {
    let mut ua = Units::new(a);
    let mut ub = Units::new(b);
    loop {
        match (ua.next(), ub.next()) {
            (None, None) => return Ordering::Equal,
            (x, y) => match x.cmp(&y) {
                Ordering::Equal => {}
                other => return other,
            },
        }
    }
}

/// The units of parts joined by spaces, one at a time.
struct Units<'a> {
    parts: &'a [&'a str],
    part: usize,
    chars: std::str::Chars<'a>,
    pending: [u32; 4],
    len: usize,
}

impl<'a> Units<'a> {
    fn new(parts: &'a [&'a str]) -> Units<'a> {
        Units {
            parts,
            part: 0,
            chars: parts.first().copied().unwrap_or("").chars(),
            pending: [0; 4],
            len: 0,
        }
    }
}

impl Iterator for Units<'_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        loop {
            if self.len > 0 {
                let u = self.pending[0];
                self.pending.copy_within(1.., 0);
                self.len -= 1;
                return Some(u);
            }
            match self.chars.next() {
                Some(c) => {
                    let (pending, len) = (&mut self.pending, &mut self.len);
                    units(c, &mut |u| {
                        if *len < pending.len() {
                            pending[*len] = u;
                            *len += 1;
                        }
                    });
                }
                None => {
                    self.part += 1;
                    let next = self.parts.get(self.part)?;
                    self.chars = next.chars();
                    return Some(' ' as u32);
                }
            }
        }
    }
}

/// The first 16 bytes of the key of `parts` joined by spaces, zero-padded and big-endian,
/// and whether the key is longer: orders like the key itself where prefixes differ (a
/// cheap first comparison for sorting many names).
pub fn prefix(parts: &[&str]) -> (u128, bool) {
    let mut b = [0u8; 16];
    let mut n = 0;
    let mut buf = [0u8; 4];
    for u in Units::new(parts) {
        let c = char::from_u32(u).unwrap_or(char::REPLACEMENT_CHARACTER);
        for byte in c.encode_utf8(&mut buf).bytes() {
            if n == b.len() {
                return (u128::from_be_bytes(b), true);
            }
            b[n] = byte;
            n += 1;
        }
    }
    (u128::from_be_bytes(b), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| cmp(a, b));
        v
    }

    #[test]
    fn latvian_letters_follow_their_base_letter() {
        assert_eq!(
            sorted(&[
                "Šulca",
                "Strazdiņa",
                "Sproģis",
                "Šteina",
                "Zvaigzne",
                "Žīgure",
                "Ābele",
                "Bērziņš"
            ]),
            [
                "Ābele",
                "Bērziņš",
                "Sproģis",
                "Strazdiņa",
                "Šteina",
                "Šulca",
                "Zvaigzne",
                "Žīgure"
            ]
        );
        assert_eq!(
            sorted(&[
                "Ķepe",
                "Kalniņa",
                "Kuzņecovs",
                "Ļaviņa",
                "Lapiņa",
                "Lūse",
                "Čakla",
                "Celma",
                "Cīrule"
            ]),
            [
                "Celma",
                "Cīrule",
                "Čakla",
                "Kalniņa",
                "Kuzņecovs",
                "Ķepe",
                "Lapiņa",
                "Lūse",
                "Ļaviņa"
            ]
        );
        assert_eq!(
            sorted(&["Ņikiforova", "Ozola", "Novika"]),
            ["Novika", "Ņikiforova", "Ozola"]
        );
        assert_eq!(
            sorted(&["Ģērmane", "Grava", "Hofmane"]),
            ["Grava", "Ģērmane", "Hofmane"]
        );
    }

    #[test]
    fn long_vowels_and_case_sort_with_the_plain_letter() {
        assert_eq!(sorted(&["Ābols", "Abava", "Ačkasova"]), ["Abava", "Ābols", "Ačkasova"]);
        assert_eq!(cmp("ĀBELE", "abele"), Ordering::Equal);
        assert_eq!(cmp("Ēvalds", "Evalds"), Ordering::Equal);
        assert_eq!(sorted(&["Īvāns", "Ivanova", "Irbe"]), ["Irbe", "Ivanova", "Īvāns"]);
        assert_eq!(cmp("Müller", "Muller"), Ordering::Equal);
    }

    #[test]
    fn a_shorter_name_comes_first_and_parts_are_joined_by_a_space() {
        assert_eq!(cmp("Ozola", "Ozoliņa"), Ordering::Less);
        assert_eq!(cmp("Sīle", "Sīlis"), Ordering::Less);
        assert_eq!(cmp_parts(&["Ozola", "Zane"], &["Ozola", "Ērika"]), Ordering::Greater);
        assert_eq!(cmp_parts(&["Ozola", "Zane"], &["Ozolas", "Anna"]), Ordering::Less);
        assert_eq!(cmp_parts(&["Šulca", "Anna"], &["Šulca Anna"]), Ordering::Equal);
    }

    #[test]
    fn the_key_the_prefix_and_the_comparison_agree() {
        let names = [
            ["Šteina", "Ilze"],
            ["Strazdiņa", "Rūta"],
            ["Ķīsis", "Jānis"],
            ["Kalniņš", "Pēteris Aleksandrs"],
            ["Kalniņš", "Pēteris"],
            ["Ļaviņa-Bērziņa", "Agnese"],
            ["Ļaviņa-Bērziņa", "Aiga"],
            ["Zvirbulis", "Roberts"],
            ["Žīgure", "Māra"],
        ];
        for a in &names {
            for b in &names {
                let by_cmp = cmp_parts(a, b);
                let by_key = key(&a.join(" ")).cmp(&key(&b.join(" ")));
                assert_eq!(by_cmp, by_key, "{a:?} {b:?}");
                let (pa, la) = prefix(a);
                let (pb, lb) = prefix(b);
                if pa != pb {
                    assert_eq!(pa.cmp(&pb), by_cmp, "{a:?} {b:?}");
                } else if !la && !lb {
                    assert_eq!(by_cmp, Ordering::Equal, "{a:?} {b:?}");
                }
            }
        }
    }
}
