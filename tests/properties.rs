//! Property tests (proptest), bounded for CI: PROPTEST_CASES overrides the case count of
//! the pure targets (default 256; the store target runs a tenth of it, at least 16).
//!
//! - the filter language: any text parses or is refused without a panic; a plain word and
//!   its negation leave out no record;
//! - dates and times as people type them: nothing panics; every date written either way
//!   reads back as itself;
//! - the keymap: any key name or keymap file parses or is refused without a panic; a
//!   key's name reads back as the same key;
//! - Command/undo: random creates, updates, deletes and undos of organisations through
//!   `Store::apply` agree with a plain map and an undo stack, also after reopening.

use atbalsts::command::{Change, Command};
use atbalsts::domain::{OrgKind, Organisation, Record, Table};
use atbalsts::io::parse;
use atbalsts::search::filter::Filter;
use atbalsts::store::Store;
use atbalsts::tui::keymap::{Key, Keymap};
use chrono::NaiveDate;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::sync::OnceLock;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

/// The sample project's model, built once.
fn sample() -> &'static atbalsts::model::Model {
    static MODEL: OnceLock<atbalsts::model::Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(dir.path(), "prop").expect("open");
        store.load().expect("load");
        atbalsts::ops::load_sample(&mut store).expect("sample");
        store.model().clone()
    })
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).expect("date")
}

const TABLES: [Table; 4] = [Table::Organisation, Table::Event, Table::Participant, Table::Indicator];

/// Filter-like text: field names, operators, signs, quotes and words mixed at random.
fn filter_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        "[a-zāčēģīķļņšūž]{1,8}",
        "(role|mun|org|kind|hours|date|from|to|format|status|gender|city|is|has):[-a-zāēī0-9.<>=]{0,10}",
        "-?[a-z]{1,6}[<>=]{1,2}[0-9.,-]{0,8}",
        "\"[^\"]{0,10}\"?",
        any::<String>(),
    ];
    prop::collection::vec(token, 0..6).prop_map(|t| t.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn filter_text_parses_or_is_refused_and_never_panics(expr in filter_text(), t in 0usize..4) {
        let m = sample();
        if let Ok(f) = Filter::parse(&expr, TABLES[t], m) {
            let ids = f.apply(m, None, today());
            prop_assert!(ids.len() <= m.count(TABLES[t]));
        }
    }

    /// A word and its negation leave out no record. (They can overlap: a word also finds
    /// near, fuzzy matches, which its negation does not exclude.)
    #[test]
    fn a_word_and_its_negation_leave_out_no_record(word in "[a-zāēīū]{2,6}", t in 0usize..4) {
        let m = sample();
        let table = TABLES[t];
        let yes = Filter::parse(&word, table, m).expect("a word").apply(m, None, today());
        let no = Filter::parse(&format!("-{word}"), table, m).expect("its negation").apply(m, None, today());
        let mut both: Vec<u32> = yes.iter().chain(no.iter()).copied().collect();
        both.sort_unstable();
        both.dedup();
        prop_assert_eq!(both.len(), m.count(table), "every record in one of them");
    }

    #[test]
    fn typed_dates_and_times_never_panic(s in any::<String>(), n in any::<i64>(), unit in "(d|w|n|dienas|x|)") {
        let _ = parse::typed_date(&s, today());
        let _ = parse::typed_time(&s);
        let _ = parse::typed_datetime(&s, today());
        let _ = parse::date("f", &s);
        let _ = parse::datetime("f", &s);
        let _ = parse::typed_date(&format!("{n:+}{unit}"), today());
        let _ = parse::typed_datetime(&format!("{n:+}{unit} 9:30"), today());
    }

    #[test]
    fn every_date_written_either_way_reads_back(days in 0i64..80_000, h in 0u32..24, min in 0u32..60) {
        let d = NaiveDate::from_ymd_opt(1900, 1, 1).expect("date") + chrono::Duration::days(days);
        prop_assert_eq!(parse::typed_date(&d.format("%Y-%m-%d").to_string(), today()), Some(d));
        prop_assert_eq!(parse::typed_date(&d.format("%d.%m.%Y").to_string(), today()), Some(d));
        prop_assert_eq!(parse::date("f", &d.format("%d.%m.%Y.").to_string()).ok().flatten(), Some(d));
        let t = chrono::NaiveTime::from_hms_opt(h, min, 0).expect("time");
        prop_assert_eq!(parse::typed_time(&format!("{h}:{min:02}")), Some(t));
        prop_assert_eq!(
            parse::typed_datetime(&format!("{} {h}:{min:02}", d.format("%d.%m.%Y")), today()),
            Some(d.and_time(t))
        );
    }

    #[test]
    fn any_key_name_or_keymap_file_parses_or_is_refused(s in any::<String>(), file in "(\\[[a-z]{0,8}\\]\n|[a-z-]{1,10} = \"?[a-z_]{0,12}\"?\n|#.*\n|.{0,20}\n){0,8}") {
        let _ = Key::parse(&s);
        let _ = Keymap::parse(&file, "prop.toml");
        let _ = Keymap::parse(&s, "prop.toml");
    }

    #[test]
    fn a_keys_name_reads_back_as_the_same_key(
        ctrl in any::<bool>(), alt in any::<bool>(),
        base in prop_oneof![
            "[a-zA-Z0-9:/?.,;]",
            Just("enter".to_string()), Just("esc".to_string()), Just("tab".to_string()),
            Just("pgup".to_string()), Just("pgdn".to_string()), Just("home".to_string()),
            Just("end".to_string()), Just("backspace".to_string()), Just("del".to_string()),
            Just("space".to_string()), "f([1-9]|1[0-2])",
        ],
    ) {
        let name = format!("{}{}{base}", if ctrl { "ctrl-" } else { "" }, if alt { "alt-" } else { "" });
        let key = Key::parse(&name).expect("a valid key name");
        let shown = key.to_string();
        prop_assert_eq!(Key::parse(&shown), Ok(key), "{} shown as {}", name, shown);
    }
}

/// One step of the undo state machine.
#[derive(Clone, Debug)]
enum Op {
    Create(String),
    Rename(usize, String),
    Delete(usize),
    Undo,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => "[A-Za-zĀ-ž ]{1,12}".prop_map(Op::Create),
        2 => (any::<usize>(), "[A-Za-zĀ-ž ]{1,12}").prop_map(|(i, n)| Op::Rename(i, n)),
        1 => any::<usize>().prop_map(Op::Delete),
        2 => Just(Op::Undo),
    ]
}

/// The organisations of a store, id -> name.
fn orgs(s: &Store) -> BTreeMap<u32, String> {
    s.model()
        .organisations
        .iter()
        .map(|o| (o.id.0, o.name.to_string()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases((cases() / 10).max(16)))]

    #[test]
    fn commands_and_undo_agree_with_a_map_and_a_stack(ops in prop::collection::vec(op(), 1..30)) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut s = Store::open(dir.path(), "prop").expect("open");
        s.load().expect("load");
        // The reference: names by id, and what undo puts back (None: the id is removed).
        let mut model: BTreeMap<u32, String> = BTreeMap::new();
        let mut undo: Vec<(Change, u32, Option<String>)> = Vec::new();
        for op in ops {
            let pick = |i: usize, m: &BTreeMap<u32, String>| m.keys().nth(i % m.len().max(1)).copied();
            match op {
                Op::Create(name) => {
                    let name = atbalsts::domain::clean(&name).to_string();
                    let c = s.apply(Command::Create(Organisation::new(&name, OrgKind::School).wrap()));
                    if name.is_empty() {
                        prop_assert!(c.is_err(), "an empty name is refused");
                        continue;
                    }
                    let c = c.expect("create");
                    let id = match &c { Change::Created(r) => r.raw_id(), other => panic!("{other:?}") };
                    prop_assert!(!model.contains_key(&id), "ids are never reused");
                    model.insert(id, name);
                    undo.push((c, id, None));
                }
                Op::Rename(i, name) => {
                    let Some(id) = pick(i, &model) else { continue };
                    let name = atbalsts::domain::clean(&name).to_string();
                    let mut o = s.model().organisations.get(id).expect("present").clone();
                    o.name = name.as_str().into();
                    match s.apply(Command::Update(o.wrap())) {
                        Ok(c) => {
                            let before = model.insert(id, name);
                            undo.push((c, id, before));
                        }
                        Err(_) => prop_assert!(name.is_empty(), "only an empty name is refused"),
                    }
                }
                Op::Delete(i) => {
                    let Some(id) = pick(i, &model) else { continue };
                    let c = s.apply(Command::Delete { table: Table::Organisation, id }).expect("delete");
                    let before = model.remove(&id);
                    undo.push((c, id, before));
                }
                Op::Undo => {
                    let Some((c, id, before)) = undo.pop() else { continue };
                    let done = s.apply(c.inverse().expect("undoable")).expect("undo");
                    for (earlier, _, _) in undo.iter_mut() {
                        earlier.rebase_onto(&done);
                    }
                    match before {
                        Some(name) => model.insert(id, name),
                        None => model.remove(&id),
                    };
                }
            }
            prop_assert_eq!(&orgs(&s), &model);
        }
        drop(s);
        let mut s = Store::open(dir.path(), "prop").expect("reopen");
        s.load().expect("load");
        prop_assert_eq!(&orgs(&s), &model, "the same after reopening");
    }
}
