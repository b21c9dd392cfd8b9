//! Ranked fuzzy search of participants over name, email, institution and municipality, blind
//! to diacritics and case; every term must match somewhere, in any order.
//!
//! Ranking: per term the best of exact word > word prefix > substring > fuzzy (name fields
//! weigh more than institution), summed over terms; ties by name order then id, so equal
//! scores never shuffle. Scanning is spread over the cores; fuzzy-matcher scores only the
//! terms that did not match as a substring.

use super::text::{Kind, Term};
use crate::domain::OrgId;
use crate::model::{KEY_SEP, Model};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use rayon::prelude::*;

/// Weight of the field a term matched in (within one match kind).
#[derive(Clone, Copy)]
enum Field {
    Municipality = 0,
    Email = 1,
    Institution = 2,
    Name = 3,
}

fn value(kind: Kind, field: Field) -> u32 {
    kind as u32 * 4 + field as u32
}

/// What each organisation contributes for one term: its own match and its municipality's.
struct OrgScores {
    inst: Vec<u8>,
    mun: Vec<u8>,
}

fn org_scores(m: &Model, terms: &[Term]) -> Vec<OrgScores> {
    let n = m.organisations.capacity_id() as usize;
    let own: Vec<Vec<u8>> = terms
        .iter()
        .map(|t| {
            let mut v = vec![0u8; n];
            // A single letter finds people by their own name only: as the first key typed it
            // would otherwise list whole municipalities ("k": every Krāslava, Ķekava... pupil).
            if t.text.len() == 1 {
                return v;
            }
            for o in m.organisations.iter() {
                let mut key = String::new();
                super::fold_into(&o.name, &mut key);
                key.push(' ');
                super::fold_into(&o.short_name, &mut key);
                let k = t.find(key.as_bytes()).map_or(Kind::None, |x| x.0);
                v[o.id.index()] = k as u8;
            }
            v
        })
        .collect();
    let mun_of: Vec<Option<OrgId>> = (0..n as u32).map(|i| m.municipality_of(OrgId(i))).collect();
    own.into_iter()
        .map(|inst| {
            let mun = mun_of.iter().map(|mo| mo.map_or(0, |x| inst[x.index()])).collect();
            OrgScores { inst, mun }
        })
        .collect()
}

/// A ranked hit: lower sorts first.
fn sort_key(score: u32, rank: u32) -> u64 {
    ((u32::MAX - score) as u64) << 32 | rank as u64
}

/// Which participants to search.
#[derive(Clone, Copy)]
pub enum Among<'a> {
    /// Everyone.
    All,
    /// Only these ids (e.g. the previous results when the query only grew), any order.
    Ids(&'a [u32]),
}

/// Searches for `terms`; returns the matching ids, best first. With no terms, returns the
/// candidates in name order.
pub fn search(m: &Model, terms: &[Term], among: Among<'_>) -> Vec<u32> {
    ranked(m, terms, among).into_iter().map(|(id, _)| id).collect()
}

/// Scores one participant: `None` if some term matches nowhere.
fn score(m: &Model, terms: &[&Term], orgs: &[&OrgScores], matcher: &SkimMatcherV2, id: u32) -> Option<u32> {
    let key_mask = m.person_keys.mask(id);
    if key_mask == 0 {
        return None;
    }
    let inst = m.person_org.get(id as usize).map_or(usize::MAX, |o| *o as usize);
    // Cheap rejection first: a term with a letter absent from the key can only match through
    // the institution or municipality (looked up, not scanned).
    for (t, o) in terms.iter().zip(orgs) {
        let org_hit = o.inst.get(inst).copied().unwrap_or(0) > 0 || o.mun.get(inst).copied().unwrap_or(0) > 0;
        if !org_hit && t.mask & !key_mask != 0 {
            return None;
        }
    }
    let key = m.person_keys.get(id).as_bytes();
    let name_len = memchr::memchr(KEY_SEP as u8, key).unwrap_or(key.len());
    let mut total = 0u32;
    // Terms with no substring match anywhere; scored fuzzily once all others matched.
    let mut fuzzy: u32 = 0;
    for (i, (t, o)) in terms.iter().zip(orgs).enumerate() {
        let mut best = 0u32;
        if let Some((kind, pos)) = t.find(key) {
            best = value(kind, if pos < name_len { Field::Name } else { Field::Email });
        }
        let ik = o.inst.get(inst).copied().unwrap_or(0) as u32;
        let mk = o.mun.get(inst).copied().unwrap_or(0) as u32;
        best = best.max(if ik > 0 { ik * 4 + Field::Institution as u32 } else { 0 });
        best = best.max(if mk > 0 { mk * 4 + Field::Municipality as u32 } else { 0 });
        if best == 0 {
            if !t.fuzzy_ok() || !t.is_subsequence_of(&key[..name_len]) {
                return None;
            }
            fuzzy |= 1 << i.min(31);
        }
        total += best;
    }
    let mut fuzz = 0i64;
    if fuzzy != 0 {
        let name = std::str::from_utf8(&key[..name_len]).ok()?;
        for (i, t) in terms.iter().enumerate() {
            if fuzzy & (1 << i.min(31)) != 0 {
                fuzz += matcher.fuzzy_match(name, &t.text)?;
                total += value(Kind::Fuzzy, Field::Name);
            }
        }
    }
    // Fuzzy quality breaks ties within a total, never beats a better match kind.
    Some(total * 256 + fuzz.clamp(0, 255) as u32)
}

/// A whole email typed as the only term names one person: when someone's email is exactly
/// that, only they are kept. Otherwise the desk, which lists registered people first, would
/// put a registered "ilona.kalnina@…" (the typed "a.kalnina@…" inside it) above the person
/// whose email was typed, and Enter would check in the wrong one.
fn only_exact_email(m: &Model, terms: &[&Term], hits: &mut Vec<(u64, u32, u32)>) {
    let [t] = terms else { return };
    if !t.text.contains('@') {
        return;
    }
    let email_of = |id: u32| {
        let key = m.person_keys.get(id);
        key.split_once(KEY_SEP).map_or("", |(_, e)| e)
    };
    if hits.iter().any(|h| email_of(h.1) == t.text) {
        hits.retain(|h| email_of(h.1) == t.text);
    }
}

/// Like [`search`], with each hit's score.
pub fn ranked(m: &Model, terms: &[Term], among: Among<'_>) -> Vec<(u32, u32)> {
    if terms.is_empty() {
        return match among {
            Among::All => m
                .orders
                .get(crate::domain::Table::Participant)
                .iter()
                .map(|id| (*id, 0))
                .collect(),
            Among::Ids(ids) => {
                let mut v: Vec<(u32, u32)> = ids.iter().map(|id| (*id, 0)).collect();
                v.sort_by_key(|(id, _)| m.orders.person_rank(*id));
                v
            }
        };
    }
    let t0 = std::time::Instant::now();
    let scores = org_scores(m, terms);
    // Longest (most selective) terms first, so most people are rejected after one check.
    let mut order: Vec<usize> = (0..terms.len()).collect();
    order.sort_by_key(|i| std::cmp::Reverse(terms[*i].text.len()));
    let terms: Vec<&Term> = order.iter().map(|i| &terms[*i]).collect();
    let orgs: Vec<&OrgScores> = order.iter().map(|i| &scores[*i]).collect();
    let matcher = SkimMatcherV2::default();
    let hit = |id: u32| score(m, &terms, &orgs, &matcher, id).map(|s| (sort_key(s, m.orders.person_rank(id)), id, s));
    // Scan in id order: keys stream through memory instead of being fetched at random.
    let mut hits: Vec<(u64, u32, u32)> = match among {
        Among::All => (1..m.participants.capacity_id())
            .into_par_iter()
            .with_min_len(4096)
            .filter_map(hit)
            .collect(),
        Among::Ids(ids) => {
            let mut by_id = ids.to_vec();
            by_id.par_sort_unstable();
            by_id.par_iter().with_min_len(4096).filter_map(|id| hit(*id)).collect()
        }
    };
    let scanned = t0.elapsed();
    only_exact_email(m, &terms, &mut hits);
    hits.par_sort_unstable_by_key(|h| h.0);
    crate::log!(
        "people: {} hits, scan {:.2} ms, sort {:.2} ms",
        hits.len(),
        scanned.as_secs_f64() * 1e3,
        (t0.elapsed() - scanned).as_secs_f64() * 1e3
    );
    hits.into_iter().map(|(_, id, score)| (id, score)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::Dataset;
    use crate::domain::*;
    use crate::search::text::terms;

    /// The ranking's weights: the kind of match decides first (exact word > prefix >
    /// substring > fuzzy), then the field (name > institution > email > municipality).
    /// (A mutation that made every weight equal survived the tests before this one.)
    #[test]
    fn a_better_match_kind_outranks_and_then_the_field_decides() {
        use super::Field::*;
        use super::Kind as K;
        let kinds = [K::Fuzzy, K::Substring, K::Prefix, K::Word];
        for k in kinds {
            assert!(value(k, Name) > value(k, Institution));
            assert!(value(k, Institution) > value(k, Email));
            assert!(value(k, Email) > value(k, Municipality));
        }
        for w in kinds.windows(2) {
            assert!(value(w[1], Municipality) > value(w[0], Name), "the kind decides first");
        }
    }

    fn model() -> Model {
        let mut orgs = vec![
            Organisation::new("Cēsu novada pašvaldība", OrgKind::Municipality),
            Organisation::new("Cēsu Valsts ģimnāzija", OrgKind::School),
            Organisation::new("Ludzas novada pašvaldība", OrgKind::Municipality),
            Organisation::new("Ludzas 2. vidusskola", OrgKind::School),
        ];
        for (i, o) in orgs.iter_mut().enumerate() {
            o.id = OrgId(i as u32 + 1);
        }
        orgs[1].parent = Some(OrgId(1));
        orgs[3].parent = Some(OrgId(3));
        let people = [
            ("Jānis", "Bērziņš", 4, ""),
            ("Jānis", "Bērziņš", 2, ""),
            ("Anna", "Kalniņa", 2, "anna.kalnina@example.lv"),
            ("Anna", "Kalniņa", 4, ""),
            ("Žanete", "Ozola", 4, ""),
            ("Mārtiņš", "Ozoliņš", 2, ""),
            ("Berta", "Zariņa", 4, ""),
            ("Inese", "Berzupe", 4, ""),
        ];
        let participants = people
            .iter()
            .enumerate()
            .map(|(i, (g, s, inst, email))| {
                let mut p = Participant::new(g, s, Role::Teacher, Some(OrgId(*inst)));
                p.id = ParticipantId(i as u32 + 1);
                p.email = (*email).into();
                p
            })
            .collect();
        Model::from_dataset(
            Dataset {
                organisations: orgs,
                participants,
                ..Dataset::default()
            },
            vec![],
        )
    }

    fn names(m: &Model, q: &str) -> Vec<String> {
        search(m, &terms(q), Among::All)
            .iter()
            .filter_map(|id| m.participants.get(*id))
            .map(|p| format!("{} {}", p.given_name, p.surname))
            .collect()
    }

    #[test]
    fn diacritics_and_case_fold_both_ways() {
        let m = model();
        let a = names(&m, "berzins");
        assert_eq!(a, ["Jānis Bērziņš", "Jānis Bērziņš"]);
        assert_eq!(names(&m, "BĒRZIŅŠ"), a);
        assert_eq!(names(&m, "Bērziņš"), a);
        assert_eq!(names(&m, "zanete"), ["Žanete Ozola"]);
    }

    #[test]
    fn all_terms_must_match_in_any_order() {
        let m = model();
        assert_eq!(names(&m, "cesu kalnina"), ["Anna Kalniņa"]);
        assert_eq!(names(&m, "kalnina cesu"), ["Anna Kalniņa"]);
        let ids = search(&m, &terms("kalnina cesu"), Among::All);
        assert_eq!(m.participants.get(ids[0]).and_then(|p| p.institution), Some(OrgId(2)));
        assert!(names(&m, "kalnina riga").is_empty());
    }

    #[test]
    fn exact_word_beats_prefix_beats_substring_beats_fuzzy() {
        let m = model();
        // "berz": prefix of Bērziņš (x2) and Berzupe; no exact word. "ozola": exact word for
        // Ozola, prefix of nothing else ... "ozol": prefix of Ozola and Ozoliņš.
        let r = names(&m, "ozola");
        assert_eq!(r.first().map(String::as_str), Some("Žanete Ozola"));
        // Exact "anna" (given name) ranks above "anna" inside an email only.
        let m2 = model();
        let ranked = ranked(&m2, &terms("anna"), Among::All);
        assert!(ranked.windows(2).all(|w| w[0].1 >= w[1].1));
        // Fuzzy: "mrt" is no substring of any name but a subsequence of Mārtiņš.
        assert_eq!(names(&m, "mrt ozol"), ["Mārtiņš Ozoliņš"]);
        // A substring match ("erzu" in Berzupe) outranks a fuzzy one.
        let r = names(&m, "brz");
        assert!(!r.is_empty());
    }

    #[test]
    fn ties_break_by_name_then_id_and_never_shuffle() {
        let m = model();
        let a = search(&m, &terms("janis"), Among::All);
        assert_eq!(a.len(), 2);
        assert!(a[0] < a[1], "same name, same score: lower id first");
        for _ in 0..5 {
            assert_eq!(search(&m, &terms("janis"), Among::All), a);
        }
        // Searching among the previous hits gives the same ranking.
        assert_eq!(search(&m, &terms("janis"), Among::Ids(&a)), a);
    }

    #[test]
    fn results_follow_create_edit_delete() {
        use crate::command::Change;
        let mut m = model();
        let mut p = Participant::new("Ģirts", "Ķeniņš", Role::Mentor, Some(OrgId(2)));
        p.id = ParticipantId(100);
        m.apply(&Change::Created(p.clone().wrap()));
        assert_eq!(names(&m, "kenins"), ["Ģirts Ķeniņš"]);
        let mut renamed = p.clone();
        renamed.surname = "Šteins".into();
        m.apply(&Change::Updated {
            before: Box::new(p.wrap()),
            after: Box::new(renamed.clone().wrap()),
        });
        assert!(names(&m, "kenins").is_empty());
        assert_eq!(names(&m, "steins girts"), ["Ģirts Šteins"]);
        m.apply(&Change::Deleted(renamed.wrap()));
        assert!(names(&m, "steins").is_empty());
    }

    #[test]
    fn institution_and_municipality_are_searched() {
        let m = model();
        // Five people work at Ludzas 2. vidusskola, three at Cēsu Valsts ģimnāzija.
        assert_eq!(names(&m, "ludzas").len(), 5);
        assert_eq!(names(&m, "gimnazija").len(), 3);
        // Through the municipality: Cēsu novads is the school's parent.
        assert_eq!(names(&m, "cesu novada").len(), 3);
    }

    #[test]
    fn a_whole_email_lists_only_its_owner() {
        let mut m = model();
        let mut add = |id: u32, given: &str, email: &str| {
            let mut p = Participant::new(given, "Kalniņa", Role::Teacher, Some(OrgId(2)));
            p.id = ParticipantId(id);
            p.email = email.into();
            m.apply(&crate::command::Change::Created(p.wrap()));
        };
        // Ilona sorts before Zane; her email contains Zane's whole email.
        add(20, "Ilona", "ilona.kalnina@example.com");
        add(21, "Zane", "a.kalnina@example.com");
        assert_eq!(search(&m, &terms("a.kalnina@example.com"), Among::All), vec![21]);
        assert_eq!(search(&m, &terms("A.Kalniņa@Example.com"), Among::All), vec![21]);
        // Among the previous hits (narrowing as the filter does) the same.
        let part = search(&m, &terms("kalnina@example"), Among::All);
        assert!(part.len() >= 2, "{part:?}");
        assert_eq!(search(&m, &terms("a.kalnina@example.com"), Among::Ids(&part)), vec![21]);
        // An incomplete email still lists everyone it is part of.
        let partial = search(&m, &terms("a.kalnina@example.co"), Among::All);
        assert!(partial.contains(&20) && partial.contains(&21), "{partial:?}");
        // With other terms, nothing is dropped.
        assert_eq!(search(&m, &terms("ilona a.kalnina@example.com"), Among::All), vec![20]);
    }

    #[test]
    fn every_sample_email_typed_in_full_finds_its_person_first() {
        // The desk checks people in by typing their email: the person must be the top hit.
        let ds = crate::io::sample::build(&crate::io::sample::EMBEDDED, &Model::default(), &mut |_| UserId(1))
            .expect("sample");
        let m = Model::from_dataset(ds, vec![]);
        let mut tried = 0;
        for p in m.participants.iter().filter(|p| !p.email.is_empty()) {
            let hits = search(&m, &terms(&p.email), Among::All);
            assert_eq!(hits.first(), Some(&p.id.0), "{}: {} hits", p.email, hits.len());
            tried += 1;
        }
        assert!(tried > 100, "the sample has people with emails: {tried}");
    }
}
