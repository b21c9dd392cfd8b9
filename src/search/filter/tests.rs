//! Filter language tests on the sample project.

use super::*;

fn sample() -> Model {
    crate::io::sample::test_model("ilze")
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).expect("date")
}

fn run(m: &Model, t: Table, expr: &str) -> Vec<u32> {
    Filter::parse(expr, t, m)
        .unwrap_or_else(|e| panic!("{expr}: {e}"))
        .apply(m, None, today())
}

/// What the screen does while `expr` is typed letter by letter: refilter per keystroke,
/// narrowing only on true extensions. Returns the final rows.
fn typed(m: &Model, expr: &str) -> Vec<u32> {
    let mut applied = String::new();
    let mut ids: Vec<u32> = Vec::new();
    let mut narrows = false;
    for end in expr.char_indices().map(|(i, c)| i + c.len_utf8()) {
        let now = &expr[..end];
        if let Ok(f) = Filter::parse(now, Table::Participant, m) {
            let among = (narrows && extends(&applied, now)).then_some(ids.as_slice());
            ids = f.apply(m, among, today());
            narrows = f.narrows;
            applied = now.to_string();
        }
    }
    ids
}

fn people<'a>(m: &'a Model, expr: &str) -> Vec<&'a Participant> {
    run(m, Table::Participant, expr)
        .iter()
        .filter_map(|id| m.participants.get(*id))
        .collect()
}

#[test]
fn role_in_latvian_and_english_diacritic_blind() {
    let m = sample();
    let lv = people(&m, "role:metodiķis");
    assert!(!lv.is_empty());
    assert!(lv.iter().all(|p| p.role == Role::Methodologist));
    assert_eq!(people(&m, "loma:metodikis").len(), lv.len());
    assert_eq!(people(&m, "role:methodologist").len(), lv.len());
    assert_eq!(people(&m, "ROLE:METOD").len(), lv.len(), "prefix, any case");
    let total = m.count(Table::Participant);
    let students = people(&m, "role:student").len();
    assert_eq!(people(&m, "-role:student").len(), total - students);
    assert_eq!(people(&m, "-role:izglītojamais").len(), total - students);
}

#[test]
fn municipality_by_nominative_or_genitive() {
    let m = sample();
    let a = people(&m, "mun:cēsis");
    assert!(!a.is_empty());
    for p in &a {
        let mun = p
            .institution
            .and_then(|o| m.municipality_of(o))
            .and_then(|o| m.organisations.get(o.0));
        assert!(mun.is_some_and(|o| o.name.starts_with("Cēsu")), "{}", p.full_name());
    }
    assert_eq!(people(&m, "novads:cesu").len(), a.len());
}

#[test]
fn organisations_by_kind_and_partner() {
    let m = sample();
    let schools = run(&m, Table::Organisation, "kind:school");
    assert!(
        schools
            .iter()
            .all(|id| m.organisations.get(*id).is_some_and(|o| o.kind == OrgKind::School))
    );
    let partners = run(&m, Table::Organisation, "partner:yes");
    assert!(!partners.is_empty() && partners.len() < 20);
    assert_eq!(run(&m, Table::Organisation, "partneris:jā"), partners);
    assert_eq!(run(&m, Table::Organisation, "veids:pašvaldība").len(), 43);
}

#[test]
fn events_by_format_status_and_dates() {
    let m = sample();
    let spring = run(&m, Table::Event, "format:seminar from:2025-03-01 to:2025-06-30");
    assert!(!spring.is_empty());
    for id in &spring {
        let e = m.events.get(*id).expect("event");
        assert_eq!(e.format, EventFormat::Seminar);
        assert!(e.start.date() >= NaiveDate::from_ymd_opt(2025, 3, 1).expect("d"));
        assert!(e.start.date() <= NaiveDate::from_ymd_opt(2025, 6, 30).expect("d"));
    }
    assert_eq!(
        run(&m, Table::Event, "formāts:seminārs no:01.03.2025 līdz:30.06.2025"),
        spring
    );
    let held = run(&m, Table::Event, "status:held");
    assert!(
        held.iter()
            .all(|id| m.events.get(*id).is_some_and(|e| e.status == EventStatus::Held))
    );
}

#[test]
fn hours_compare_with_the_three_year_total() {
    let m = sample();
    let short = people(&m, "hours<36");
    assert!(!short.is_empty());
    assert!(short.iter().all(|p| m.hours_last_3_years(p.id, today()) < Hours(360)));
    let done = people(&m, "hours>=36");
    assert_eq!(short.len() + done.len(), m.count(Table::Participant));
}

#[test]
fn free_text_and_fields_combine() {
    let m = sample();
    let r = people(&m, "role:teacher berz");
    assert!(
        r.iter()
            .all(|p| p.role == Role::Teacher && crate::search::fold(&p.full_name()).contains("berz"))
    );
    let all_berz = people(&m, "berz");
    assert!(all_berz.len() >= r.len());
    // Free text on other panes: a title substring, diacritic-blind.
    let ev = run(&m, Table::Event, "makslig");
    assert!(!ev.is_empty());
    assert!(ev.iter().all(|id| {
        m.events
            .get(*id)
            .is_some_and(|e| crate::search::fold(&e.title).contains("makslig"))
    }));
}

#[test]
fn errors_are_clear_not_ignored() {
    let m = sample();
    let e = Filter::parse("berz colour:red", Table::Participant, &m)
        .err()
        .expect("unknown field");
    assert_eq!(e.token, "colour:red");
    assert!(e.message.contains("unknown field") && e.message.contains("role"), "{e}");
    let e = Filter::parse("format:seminar", Table::Participant, &m)
        .err()
        .expect("wrong pane");
    assert!(e.message.contains("does not apply"), "{e}");
    let e = Filter::parse("role:pilot", Table::Participant, &m)
        .err()
        .expect("bad value");
    assert!(e.message.contains("teacher"), "{e}");
    let e = Filter::parse("from:2025-13-01", Table::Event, &m)
        .err()
        .expect("bad date");
    assert!(e.message.contains("date"), "{e}");
    let e = Filter::parse("hours<many", Table::Participant, &m)
        .err()
        .expect("bad hours");
    assert!(e.message.contains("hours"), "{e}");
    let e = Filter::parse("role<3", Table::Participant, &m).err().expect("bad op");
    assert!(e.message.contains("':'"), "{e}");
    assert!(Filter::parse("mun:atlantis", Table::Participant, &m).is_err());
}

#[test]
fn errors_and_field_names_are_latvian_in_the_latvian_interface() {
    let m = sample();
    crate::i18n::set_thread_lang(Lang::Lv);
    let msg = |expr: &str, t: Table| {
        Filter::parse(expr, t, &m)
            .err()
            .map(|e| e.message)
            .unwrap_or_else(|| panic!("{expr} should fail"))
    };
    let e = msg("krāsa:sarkana", Table::Participant);
    assert!(e.starts_with("nezināms lauks 'krāsa'"), "{e}");
    assert!(e.contains("loma, dzimums, pašvaldība, iestāde, stundas"), "{e}");
    assert!(msg("formāts:seminārs", Table::Participant).contains("'formāts' šeit neder"));
    let e = msg("loma:pilots", Table::Participant);
    assert!(
        e.starts_with("loma: nav vērtības 'pilots'") && e.contains("pedagogs"),
        "{e}"
    );
    assert!(msg("no:2025-13-01", Table::Event).contains("vajag datumu"));
    assert!(msg("stundas<daudz", Table::Participant).contains("vajag stundu skaitu"));
    assert!(msg("pašvaldība:atlantīda", Table::Participant).contains("nav pašvaldības"));
    assert!(msg("partneris:varbūt", Table::Organisation).contains("vajag jā vai nē"));
    for e in [msg("loma<3", Table::Participant), msg("loma:", Table::Participant)] {
        assert!(
            !e.contains("expected") && !e.contains("takes") && !e.contains("missing"),
            "{e}"
        );
    }
    // The hint under the filter line names the fields as the Latvian screen writes them.
    let hint = help_fields(Lang::Lv, Table::Participant);
    assert_eq!(hint, "loma dzimums pašvaldība iestāde stundas");
    assert!(!hint.contains("municipality") && !hint.contains("inst") && !hint.contains(" h"));
    // The Latvian names work as typed in the hint.
    assert!(!run(&m, Table::Participant, "pašvaldība:cēsis stundas<36").is_empty());
    crate::i18n::set_thread_lang(Lang::En);
}

#[test]
fn narrowing_flag() {
    let m = sample();
    assert!(
        Filter::parse("berz role:teach", Table::Participant, &m)
            .map(|f| f.narrows)
            .unwrap_or(false)
    );
    assert!(
        !Filter::parse("hours<3", Table::Participant, &m)
            .map(|f| f.narrows)
            .unwrap_or(true)
    );
    assert!(
        !Filter::parse("-berz", Table::Participant, &m)
            .map(|f| f.narrows)
            .unwrap_or(true)
    );
    // Searching among the previous results gives the same as searching everything.
    let f = Filter::parse("berzi", Table::Participant, &m).expect("parse");
    let prev = Filter::parse("berz", Table::Participant, &m)
        .expect("parse")
        .apply(&m, None, today());
    assert_eq!(f.apply(&m, Some(&prev), today()), f.apply(&m, None, today()));
}

#[test]
fn only_true_extensions_narrow() {
    assert!(extends("berz", "berzi"));
    assert!(extends("berz", "berz cesu"));
    assert!(extends("berz ", "berz c"));
    assert!(extends("role:met", "role:meto"));
    assert!(!extends("role", "role:m"), "free text became a field");
    assert!(!extends("berz", "ber"));
    assert!(!extends("berz cesu", "berz ces"));
    assert!(!extends("berz ", "berzi"));
    assert!(!extends("", "b"));
}

#[test]
fn typing_a_field_letter_by_letter_gives_the_field_result() {
    let m = sample();
    let ids = typed(&m, "role:metodiķis");
    assert_eq!(ids, run(&m, Table::Participant, "role:metodiķis"));
    assert!(!ids.is_empty());
}

#[test]
fn negated_words_still_exclude_with_free_text() {
    let m = sample();
    let with = people(&m, "anna");
    let without = people(&m, "anna -ozol");
    assert!(without.len() < with.len(), "{} vs {}", without.len(), with.len());
    assert!(
        without
            .iter()
            .all(|p| !crate::search::fold(&p.full_name()).contains("ozol"))
    );
}

#[test]
fn short_words_match_word_starts_and_typing_stays_exact() {
    let m = sample();
    // One letter: only names (or institutions, emails) with a word starting with it.
    for p in people(&m, "z") {
        let words = crate::search::fold(&format!("{} {} {}", p.surname, p.given_name, p.email));
        let org = p
            .institution
            .and_then(|o| m.organisations.get(o.0))
            .map(|o| crate::search::fold(&format!("{} {}", o.name, o.short_name)))
            .unwrap_or_default();
        let mun = p
            .institution
            .and_then(|o| m.municipality_of(o))
            .and_then(|o| m.organisations.get(o.0))
            .map(|o| crate::search::fold(&format!("{} {}", o.name, o.short_name)))
            .unwrap_or_default();
        let starts = |s: &str| {
            s.split(|c: char| !c.is_ascii_alphanumeric())
                .any(|w| w.starts_with('z'))
        };
        assert!(starts(&words) || starts(&org) || starts(&mun), "{}", p.full_name());
    }
    // Typed letter by letter (as the screen narrows) gives exactly the full search.
    for expr in ["mrt ozol", "kalnina cesu", "berzins", "b"] {
        assert_eq!(typed(&m, expr), run(&m, Table::Participant, expr), "{expr}");
    }
}

#[test]
fn partners_by_the_stage_of_their_documents() {
    let m = sample();
    let names = |expr: &str| -> Vec<String> {
        run(&m, Table::Organisation, expr)
            .into_iter()
            .filter_map(|id| m.organisations.get(id))
            .map(|o| o.short_name.to_string())
            .collect()
    };
    assert_eq!(names("stage:signed"), vec!["Cēsu novads"]);
    let decided = names("posms:lēmums");
    assert_eq!(decided.len(), 2, "{decided:?}");
    assert!(decided.contains(&"Ludzas novads".to_string()) && decided.contains(&"Ventspils IP".to_string()));
    assert_eq!(names("stage:draft"), vec!["SAULES SKOLA"]);
    assert!(Filter::parse("stage:nonsense", Table::Organisation, &m).is_err());
}
