//! Matching one folded query term against folded text: how well it matches (exact word,
//! word prefix, substring, fuzzy) and where, for highlighting. ASCII-byte fast paths.

use memchr::memmem::Finder;

/// How a term matched, best last (so `max` picks the best).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    None = 0,
    Fuzzy = 1,
    Substring = 2,
    Prefix = 3,
    Word = 4,
}

/// One query term, folded, with its substring finder built once.
#[derive(Clone, Debug)]
pub struct Term {
    pub text: String,
    /// The bytes of the term ([`crate::model::keys::mask`]).
    pub mask: u64,
    finder: Finder<'static>,
}

impl Term {
    pub fn new(folded: &str) -> Term {
        Term {
            text: folded.to_string(),
            mask: crate::model::mask(folded.as_bytes()),
            finder: Finder::new(folded.as_bytes()).into_owned(),
        }
    }

    /// Whether fuzzy matching applies: two letters are too few to mean anything scattered
    /// ("mr" would match a fifth of the country).
    pub fn fuzzy_ok(&self) -> bool {
        self.text.len() >= 3
    }

    /// The best substring match of this term in `hay`: its kind and position. A single
    /// letter matches only at the start of a word ("b" finds Bērziņš, not every "pašvaldība").
    pub fn find(&self, hay: &[u8]) -> Option<(Kind, usize)> {
        let best = self.find_any(hay);
        if self.text.len() == 1 {
            best.filter(|(k, _)| *k >= Kind::Prefix)
        } else {
            best
        }
    }

    fn find_any(&self, hay: &[u8]) -> Option<(Kind, usize)> {
        let n = self.text.len();
        let mut best: Option<(Kind, usize)> = None;
        for pos in self.finder.find_iter(hay) {
            let starts = pos == 0 || !is_word_byte(hay[pos - 1]);
            let ends = pos + n == hay.len() || !is_word_byte(hay[pos + n]);
            let kind = match (starts, ends) {
                (true, true) => Kind::Word,
                (true, false) => Kind::Prefix,
                _ => Kind::Substring,
            };
            if best.is_none_or(|(k, _)| kind > k) {
                best = Some((kind, pos));
                if kind == Kind::Word {
                    break;
                }
            }
        }
        best
    }

    /// Whether the term's bytes occur in order within one word of `hay` (the cheap test
    /// before fuzzy scoring: "mrt" is in "martins", "berzins" is not in "berzupe inese").
    pub fn is_subsequence_of(&self, hay: &[u8]) -> bool {
        let want = self.text.as_bytes();
        hay.split(|b| !is_word_byte(*b)).any(|word| {
            let mut it = word.iter();
            word.len() >= want.len() && want.iter().all(|b| it.any(|h| h == b))
        })
    }
}

/// Letters and digits; bytes of non-ASCII characters count as letters.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// Splits a query into folded terms (spaces separate; empty terms dropped).
pub fn terms(query: &str) -> Vec<Term> {
    let folded = super::fold(query);
    folded.split_whitespace().map(Term::new).collect()
}

/// Which characters of `original` are covered by a substring match of any term in its
/// folded form (for highlighting). Folding maps each character to one or more bytes, so
/// positions are mapped back character by character.
pub fn highlight(original: &str, terms: &[Term]) -> Vec<bool> {
    let mut folded = String::with_capacity(original.len());
    let mut owner: Vec<usize> = Vec::with_capacity(original.len());
    for (i, c) in original.chars().enumerate() {
        let before = folded.len();
        let mut buf = [0u8; 4];
        super::fold_into(c.encode_utf8(&mut buf), &mut folded);
        owner.extend(std::iter::repeat_n(i, folded.len() - before));
    }
    let mut marks = vec![false; original.chars().count()];
    for t in terms {
        if t.text.is_empty() {
            continue;
        }
        for pos in t.finder.find_iter(folded.as_bytes()) {
            for o in &owner[pos..pos + t.text.len()] {
                marks[*o] = true;
            }
        }
    }
    marks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_rank_word_over_prefix_over_substring() {
        let t = Term::new("berz");
        assert_eq!(t.find(b"berz janis").map(|x| x.0), Some(Kind::Word));
        assert_eq!(t.find(b"berzins janis").map(|x| x.0), Some(Kind::Prefix));
        assert_eq!(t.find(b"ozolberzs").map(|x| x.0), Some(Kind::Substring));
        // The best occurrence wins, not the first.
        assert_eq!(t.find(b"aberzi berzins").map(|x| x.0), Some(Kind::Prefix));
        assert_eq!(t.find(b"ozols"), None);
    }

    #[test]
    fn one_letter_only_starts_a_word() {
        let b = Term::new("b");
        assert_eq!(b.find(b"berzins janis").map(|x| x.0), Some(Kind::Prefix));
        assert_eq!(b.find(b"pasvaldiba"), None);
        assert!(!Term::new("mr").fuzzy_ok() && Term::new("mrt").fuzzy_ok());
    }

    #[test]
    fn letters_outside_ascii_are_part_of_words() {
        // Folding keeps Cyrillic: "ан" inside "иван" is a substring, not a word start.
        let t = Term::new("ан");
        assert_eq!(t.find("иван".as_bytes()).map(|x| x.0), Some(Kind::Substring));
        assert_eq!(t.find("иван ан".as_bytes()), Some((Kind::Word, "иван ".len())));
    }

    #[test]
    fn the_first_of_equally_good_matches_is_kept() {
        // Two substrings: the first position wins (it decides name against email field).
        assert_eq!(Term::new("ab").find(b"xab yab"), Some((Kind::Substring, 1)));
        assert_eq!(Term::new("ab").find(b"ab cab ab"), Some((Kind::Word, 0)));
    }

    #[test]
    fn subsequence() {
        let t = Term::new("mrt");
        assert!(t.is_subsequence_of(b"martins"));
        assert!(!t.is_subsequence_of(b"tmr"));
        assert!(!Term::new("berzins").is_subsequence_of(b"berzupe inese"));
    }

    #[test]
    fn highlight_maps_back_to_latvian_letters() {
        let marks = highlight("Bērziņš", &terms("rzin"));
        let lit: String = "Bērziņš"
            .chars()
            .zip(&marks)
            .map(|(c, m)| if *m { c } else { '.' })
            .collect();
        assert_eq!(lit, "..rziņ.");
    }

    #[test]
    fn terms_fold_and_split() {
        let t: Vec<String> = terms("  Kalniņa  CĒSU ").into_iter().map(|t| t.text).collect();
        assert_eq!(t, ["kalnina", "cesu"]);
    }
}
