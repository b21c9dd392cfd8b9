//! An indicator's values entered by hand, edited and deleted one by one (issue 13, item 16),
//! and the small things of the last session's day of use (the participant's, event's and
//! partner's detail at both sizes, the Latvian attendance-list hint and key names), driven by
//! key events through the real keymap on the sample data.

mod common;

use atbalsts::domain::{IndicatorId, ManualValue};
use atbalsts::i18n::Lang;
use atbalsts::tui::app::Pane;
use common::Screen;

/// The sample's first manual count indicator (4: materials), selected on the Indicators pane.
fn materials(s: &mut Screen) -> IndicatorId {
    let id = {
        let m = s.app.model();
        m.indicators
            .iter()
            .find(|i| i.definition == atbalsts::domain::Definition::Manual && i.values.len() >= 3)
            .map(|i| i.id)
            .expect("a manual indicator with values")
    };
    s.keys(&["4"]);
    s.app.select(Pane::Indicators, id.0);
    id
}

fn values(s: &Screen, id: IndicatorId) -> Vec<ManualValue> {
    s.app
        .model()
        .indicators
        .get(id.0)
        .map(|i| i.values.clone())
        .unwrap_or_default()
}

/// The status line (the second line from the bottom).
fn status(s: &mut Screen) -> String {
    let text = s.text();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len() - 2].trim().to_string()
}

#[test]
fn a_value_is_edited_and_deleted_one_by_one_each_one_undo_step() {
    let mut s = Screen::new(120, 40, Lang::En);
    let id = materials(&mut s);
    let before = values(&s, id);
    let n = before.len();
    s.keys(&["V"]);
    let text = s.text();
    assert!(text.contains("values entered by hand"), "{text}");
    // Newest first, as in the detail: every value is listed with its note.
    for v in &before {
        assert!(text.contains(v.note.as_str()), "{} listed:\n{text}", v.note);
    }
    // The second row is the second newest value: edit it (prefilled), save 14.
    let second = before[n - 2].clone();
    s.keys(&["j", "e"]);
    let form = s.app.form().expect("the value's form");
    assert_eq!(
        form.field(atbalsts::domain::Field::Note)
            .map(|f| f.input.text().to_string()),
        Some(second.note.to_string())
    );
    s.keys(&["tab", "ctrl-u"]).typed("14").keys(&["ctrl-s"]);
    assert!(s.app.form().is_none(), "{}", s.text());
    let after = values(&s, id);
    assert_eq!(after.len(), n, "nothing added");
    assert_eq!(after[n - 2].value, 14.0);
    assert_eq!(after[n - 2].note, second.note);
    let said = status(&mut s);
    let was = format!("Changed the value {} of {}", second.value, second.date);
    assert!(said.contains(&was) && said.contains("to 14 of"), "{said}");
    // One undo step gives the old value back.
    s.keys(&["u"]);
    assert_eq!(values(&s, id), before);
    // Delete the newest (g: the first row): Enter is no answer to the question; y is.
    s.keys(&["g", "d"]);
    let newest = before[n - 1].clone();
    let text = s.text();
    let asked = format!("Delete the value {} of {}", newest.value, newest.date);
    assert!(text.contains(&asked), "{text}");
    s.keys(&["enter"]);
    assert!(s.app.confirm().is_some(), "Enter took as yes");
    assert_eq!(values(&s, id).len(), n);
    s.keys(&["y"]);
    assert_eq!(values(&s, id), before[..n - 1].to_vec());
    let said = status(&mut s);
    assert!(
        said.contains(&format!("Deleted the value {} of {}", newest.value, newest.date)),
        "{said}"
    );
    s.keys(&["u"]);
    assert_eq!(values(&s, id), before, "one undo step");
    // The list closes with its key or Esc, back to the pane.
    s.keys(&["esc"]);
    assert!(s.app.layers().is_empty());
}

#[test]
fn a_count_refuses_a_fraction_and_the_form_keeps_it_in_both_languages() {
    for (lang, typed, said) in [
        (Lang::En, "12.5", "A count is a whole number: 12.5"),
        (Lang::Lv, "12,5", "Skaits ir vesels skaitlis: 12,5"),
    ] {
        let mut s = Screen::new(80, 24, lang);
        let id = materials(&mut s);
        let n = values(&s, id).len();
        s.keys(&["a"])
            .typed("01.11.2026")
            .keys(&["tab"])
            .typed(typed)
            .keys(&["ctrl-s"]);
        let text = s.text();
        assert!(s.app.form().is_some(), "{typed} saved:\n{text}");
        assert!(text.contains(said), "{text}");
        assert!(text.contains(typed), "what was typed stays:\n{text}");
        assert_eq!(values(&s, id).len(), n);
        // A whole number saves, and the status line says what was added.
        s.keys(&["backspace", "backspace", "ctrl-s"]);
        assert!(s.app.form().is_none(), "{}", s.text());
        assert_eq!(values(&s, id).len(), n + 1);
        let added = match lang {
            Lang::En => "Added the value 12 of 2026-11-01",
            Lang::Lv => "Pievienota vērtība 12 (01.11.2026.)",
        };
        assert!(status(&mut s).contains(added), "{}", s.text());
    }
}

#[test]
fn a_value_changed_meanwhile_is_reported_and_nothing_is_lost() {
    let mut s = Screen::new(120, 40, Lang::En);
    let id = materials(&mut s);
    let before = values(&s, id);
    // Another client changes the indicator's values while this screen edits one.
    let other = |s: &mut Screen, note: &str| {
        let mut i = s.app.model().indicators.get(id.0).cloned().expect("indicator");
        i.values[0].note = note.into();
        let change = s
            .app
            .backend
            .apply(atbalsts::command::Command::Update(
                atbalsts::domain::AnyRecord::Indicator(i),
            ))
            .expect("apply");
        s.app.after_change(&change);
    };
    s.keys(&["V", "e", "tab", "ctrl-u"]).typed("99");
    other(&mut s, "citur labots");
    s.keys(&["ctrl-s"]);
    let text = s.text();
    assert!(
        s.app.form().is_some(),
        "the form stays open with what was typed:\n{text}"
    );
    assert!(text.contains("99"), "{text}");
    assert!(
        !values(&s, id).iter().any(|v| v.value == 99.0),
        "not saved over the other change"
    );
    s.keys(&["esc", "y"]);
    // A delete asked before another change does nothing and says why.
    s.keys(&["d"]);
    other(&mut s, "vēlreiz labots");
    s.keys(&["y"]);
    assert_eq!(values(&s, id).len(), before.len());
    assert!(
        status(&mut s).contains("Someone changed this indicator meanwhile"),
        "{}",
        s.text()
    );
}

#[test]
fn d_on_an_indicator_says_its_values_go_too_and_values_of_a_computed_one_are_refused() {
    let mut s = Screen::new(120, 40, Lang::En);
    let id = materials(&mut s);
    let n = values(&s, id).len();
    s.keys(&["d"]);
    let text = s.text();
    assert!(
        text.contains(&format!("together with its values entered by hand ({n})")),
        "{text}"
    );
    s.keys(&["n"]);
    // A computed indicator has no values to list.
    s.keys(&["g", "V"]);
    assert!(s.app.layers().is_empty());
    assert!(status(&mut s).contains("computed from the data"), "{}", s.text());
    // On another pane V says what to choose.
    s.keys(&["2", "V"]);
    assert!(status(&mut s).contains("Choose an indicator first"), "{}", s.text());
}

#[test]
fn the_values_list_at_80x24_in_both_languages() {
    for lang in [Lang::En, Lang::Lv] {
        let mut s = Screen::new(80, 24, lang);
        materials(&mut s);
        s.keys(&["V", "j"]);
        insta::assert_snapshot!(format!("values_{lang:?}"), s.text());
    }
}

/// The detail panel's lines (between its top and bottom border) of the screen's text.
fn panel(text: &str, title: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let top = lines
        .iter()
        .rposition(|l| l.starts_with('┌') && l.contains(title))
        .unwrap_or_else(|| panic!("a panel '{title}':\n{text}"));
    lines[top + 1..]
        .iter()
        .take_while(|l| !l.starts_with('└'))
        .map(|l| l.trim_start_matches('│').trim_end_matches('│').trim_end().to_string())
        .collect()
}

#[test]
fn the_participant_detail_at_80x24_shows_the_events_heading_and_an_event() {
    let mut s = Screen::new(80, 24, Lang::En);
    // Someone with every field filled in and several events.
    let (id, name) = {
        let m = s.app.model();
        m.participants
            .iter()
            .filter(|p| !p.email.is_empty() && !p.subjects.is_empty() && p.gender.is_some())
            .max_by_key(|p| m.attendance_of_person(p.id).len())
            .map(|p| (p.id.0, p.full_name()))
            .expect("someone")
    };
    s.keys(&["3"]);
    s.app.select(Pane::Participants, id);
    let text = s.text();
    let lines = panel(&text, &name);
    let heading = lines
        .iter()
        .position(|l| l.starts_with("Events ("))
        .unwrap_or_else(|| panic!("no Events heading:\n{text}"));
    let first = lines.get(heading + 1).map(String::as_str).unwrap_or_default();
    // The newest event's date is on the line under it (with how many more, when they
    // do not fit).
    assert!(first.contains("2026-"), "no event under the heading:\n{text}");
    // The full detail still has every field.
    s.keys(&["v"]);
    assert!(s.text().contains("Email:"), "{}", s.text());
}

#[test]
fn the_event_detail_at_120x40_leaves_no_blank_line_under_and_n_more() {
    let mut s = Screen::new(120, 40, Lang::En);
    let (id, title) = {
        let m = s.app.model();
        m.events
            .iter()
            .max_by_key(|e| m.attendance_of_event(e.id).len())
            .map(|e| (e.id.0, e.title.to_string()))
            .expect("an event")
    };
    s.keys(&["2"]);
    s.app.select(Pane::Events, id);
    let text = s.text();
    let lines = panel(&text, &title);
    let last = lines.last().cloned().unwrap_or_default();
    assert!(last.contains("… and"), "the last line of the panel:\n{text}");
    assert!(lines.iter().all(|l| !l.trim().is_empty()), "a blank line:\n{text}");
}

#[test]
fn the_latvian_attendance_list_keeps_its_way_back_and_names_keys_in_latvian() {
    let mut s = Screen::new(80, 24, Lang::Lv);
    s.keys(&["2", "r"]);
    let text = s.text();
    let hint = text.lines().last().unwrap_or_default().to_string();
    assert!(hint.contains("Esc atpakaļ"), "{text}");
    assert!(hint.contains("Atstarpe ieradās"), "{hint}");
    assert!(!text.contains("Space"), "{text}");
    // The help screen names the key the same way; the English screen keeps "Space".
    s.keys(&["?"]).typed("atstarpe");
    assert!(s.text().contains("Atstarpe"), "{}", s.text());
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&["2", "r"]);
    let hint = s.text().lines().last().unwrap_or_default().to_string();
    assert!(hint.contains("Space attended") && hint.contains("Esc back"), "{hint}");
}

#[test]
fn the_partner_detail_at_80x24_shows_its_institutions_heading_and_one() {
    let mut s = Screen::new(80, 24, Lang::En);
    // A partner municipality with documents, institutions and events of its own.
    let (name, institutions) = {
        let m = s.app.model();
        m.organisations
            .iter()
            .filter(|o| o.partner && !o.documents.is_empty() && !m.events_of(o.id).is_empty())
            .max_by_key(|o| m.children_of(o.id).len())
            .map(|o| (o.name.to_string(), m.children_of(o.id).len()))
            .expect("a partner with institutions")
    };
    assert!(institutions > 1, "{name}");
    s.keys(&["1", "/"]).typed(&name).keys(&["enter"]);
    let text = s.text();
    let lines = panel(&text, &name);
    let heading = lines
        .iter()
        .position(|l| l.starts_with("Institutions ("))
        .unwrap_or_else(|| panic!("no Institutions heading:\n{text}"));
    // An institution under it (with how many more, when they do not fit), not only a count.
    let first = lines.get(heading + 1).map(String::as_str).unwrap_or_default();
    assert!(
        first.starts_with("  ") && !first.trim().is_empty() && !first.contains("… and"),
        "no institution under the heading:\n{text}"
    );
    insta::assert_snapshot!("partner_detail_80x24", text);
    // The full detail still has every field.
    s.keys(&["v"]);
    assert!(s.text().contains("Reg. no.:"), "{}", s.text());
}
