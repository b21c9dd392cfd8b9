//! Forms, validation, undo, the check-in desk and the attendance list, driven by key events
//! through the real keymap on the sample data, with snapshots at 80x24 in both languages.

mod common;

use atbalsts::domain::{AttendanceStatus, EventId, Field};
use atbalsts::i18n::Lang;
use common::Screen;

/// The participant whose name is `full`, if there is one.
fn person(s: &Screen, full: &str) -> Option<u32> {
    let m = s.app.model();
    m.participants.iter().find(|p| p.full_name() == full).map(|p| p.id.0)
}

#[test]
fn every_form_in_both_languages() {
    for lang in [Lang::En, Lang::Lv] {
        let mut s = Screen::new(80, 24, lang);
        let mut shots = Vec::new();
        for pane in ["1", "2", "3"] {
            shots.push(s.keys(&[pane, "a"]).text());
            s.keys(&["esc"]);
            assert!(s.app.form().is_none(), "Esc on an untouched form closes it");
        }
        // The first indicator (coverage): its definition.
        shots.push(s.keys(&["4", "e"]).text());
        s.keys(&["esc"]);
        // A value by hand for a manual indicator.
        let manual = {
            let m = s.app.model();
            m.indicators
                .iter()
                .find(|i| i.definition == atbalsts::domain::Definition::Manual)
                .map(|i| i.id.0)
        };
        s.app.select(
            atbalsts::tui::app::Pane::Indicators,
            manual.expect("a manual indicator"),
        );
        shots.push(s.keys(&["a"]).text());
        s.keys(&["esc"]);
        // An attendance row, from an event's attendance list.
        shots.push(s.keys(&["2", "r", "a"]).text());
        s.keys(&["esc"]);
        s.keys(&["esc"]);
        assert!(s.app.roster().is_none() && s.app.form().is_none());
        insta::assert_snapshot!(format!("forms_{lang:?}"), shots.join("\n"));
    }
}

#[test]
fn adding_a_participant_with_a_picked_institution() {
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&["3", "a"])
        .typed("Jānis")
        .keys(&["tab"])
        .typed("Kalniņš")
        .keys(&["tab"]);
    let picking = s.typed("cesu pam").text();
    assert!(
        picking.contains("Cēsu"),
        "the institution list offers Cēsu schools:\n{picking}"
    );
    insta::assert_snapshot!(picking);
    s.keys(&["enter"]); // picks the highlighted institution
    let inst = s
        .app
        .form()
        .and_then(|f| f.field(Field::Institution))
        .and_then(|f| f.picked);
    assert!(inst.is_some(), "Enter picked an institution");
    s.keys(&["ctrl-s"]);
    assert!(
        s.app.form().is_none(),
        "saved and closed: {:?}",
        s.app.form().map(|f| f.message.clone())
    );
    let id = person(&s, "Jānis Kalniņš").expect("saved");
    let m = s.app.model();
    assert_eq!(m.participants.get(id).and_then(|p| p.institution).map(|o| o.0), inst);
    assert_eq!(
        s.app.selected_id(atbalsts::tui::app::Pane::Participants),
        Some(id),
        "the new row is selected"
    );
    assert!(s.text().contains("Saved: added participant Jānis Kalniņš"));
}

#[test]
fn validation_messages_appear_next_to_the_fields() {
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&["3", "a", "ctrl-s"]);
    let text = s.text();
    assert!(s.app.form().is_some(), "nothing saved");
    assert_eq!(text.matches("✗ is required").count(), 2, "{text}");
    // A bad email and a bad phone are named.
    s.typed("Anna")
        .keys(&["tab"])
        .typed("Ozola")
        .keys(&["tab", "tab", "tab"])
        .typed("anna@");
    s.keys(&["tab"]).typed("12").keys(&["ctrl-s"]);
    let text = s.text();
    assert!(text.contains("✗ is not an email address"), "{text}");
    assert!(text.contains("✗ is not a phone number"), "{text}");
    insta::assert_snapshot!(text);
    let before = s.app.model().participants.len();
    assert_eq!(person(&s, "Anna Ozola"), None);
    // The focus went to the first bad field (email); fixed, it saves.
    s.keys(&["ctrl-u"])
        .typed("anna.ozola@example.lv")
        .keys(&["down", "ctrl-u", "ctrl-s"]);
    assert!(s.app.form().is_none());
    assert_eq!(s.app.model().participants.len(), before + 1);
}

#[test]
fn event_form_reads_typed_dates_and_refuses_end_before_start() {
    let mut s = Screen::new(80, 24, Lang::Lv);
    s.keys(&["2", "a"]).typed("Matemātikas seminārs");
    s.keys(&["tab", "tab", "tab"])
        .typed("14.03. 9:30")
        .keys(&["tab"])
        .typed("8:00");
    s.keys(&["ctrl-s"]);
    let text = s.text();
    assert!(
        text.contains("✗ ir pirms sākuma"),
        "end before start, in Latvian:\n{text}"
    );
    insta::assert_snapshot!(text);
    s.keys(&["ctrl-u"]).typed("13:00").keys(&["ctrl-s"]);
    assert!(s.app.form().is_none(), "{:?}", s.app.form().map(|f| f.fields.clone()));
    let m = s.app.model();
    let e = m
        .events
        .iter()
        .find(|e| e.title == "Matemātikas seminārs")
        .expect("saved");
    assert_eq!(e.start.to_string(), "2026-03-14 09:30:00");
    assert_eq!(e.end.to_string(), "2026-03-14 13:00:00");
}

#[test]
fn every_problem_shows_at_once() {
    let mut s = Screen::new(60, 15, Lang::En);
    s.keys(&["2", "a", "ctrl-s"]);
    let form = s.app.form().expect("not saved");
    let bad: Vec<Field> = form
        .fields
        .iter()
        .filter(|f| f.error.is_some())
        .map(|f| f.code)
        .collect();
    assert_eq!(bad, [Field::Title, Field::Start, Field::End]);
    assert_eq!(form.focus, 0, "the cursor goes to the first");
    insta::assert_snapshot!(s.text());
}

#[test]
fn undo_walks_back_my_changes_one_by_one() {
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&["3", "a"])
        .typed("Undo")
        .keys(&["tab"])
        .typed("Testa")
        .keys(&["ctrl-s"]);
    let id = person(&s, "Undo Testa").expect("added");
    // Edit: the surname.
    s.keys(&["e", "tab", "ctrl-u"]).typed("Testiņa").keys(&["ctrl-s"]);
    assert_eq!(person(&s, "Undo Testiņa"), Some(id));
    // Delete, confirmed.
    s.keys(&["d"]);
    assert!(s.text().contains("Delete participant Undo Testiņa?"));
    s.keys(&["y"]);
    assert_eq!(person(&s, "Undo Testiņa"), None);
    s.keys(&["u"]);
    assert!(s.text().contains("Restored Undo Testiņa."), "{}", s.text());
    assert_eq!(person(&s, "Undo Testiņa"), Some(id), "restored under the same id");
    s.keys(&["u"]);
    assert_eq!(person(&s, "Undo Testa"), Some(id), "the edit is undone");
    s.keys(&["u"]);
    assert_eq!(person(&s, "Undo Testa"), None, "the add is undone");
    s.keys(&["u"]);
    assert!(s.text().contains("Nothing to undo"));
    // The history lists every change, the undos as changes of their own, newest first, with
    // who made them. The person is gone now, so the log names them by id only.
    s.keys(&[":"]).typed("history").keys(&["enter"]);
    let history = s.text();
    assert!(history.contains("History: who changed what"), "{history}");
    let me = format!("participant #{id}");
    let lines: Vec<&str> = history.lines().filter(|l| l.contains(&me)).collect();
    assert_eq!(lines.len(), 6, "add, edit, delete and three undos:\n{history}");
    assert!(
        lines[0].contains("deleted") && lines[0].contains("koordinators"),
        "{}",
        lines[0]
    );
    assert!(lines[5].contains("added"), "{}", lines[5]);
    assert!(!history.contains("Undo Test"), "no name of an erased person in the log");
    s.typed("deleted");
    let filtered = s.text();
    assert_eq!(filtered.lines().filter(|l| l.contains(&me)).count(), 2, "{filtered}");
}

#[test]
fn a_probable_duplicate_is_shown_before_saving() {
    let mut s = Screen::new(80, 24, Lang::En);
    let (given, surname, inst, id) = {
        let m = s.app.model();
        let p = m
            .participants
            .iter()
            .find(|p| p.institution.is_some())
            .expect("someone");
        let inst = m
            .organisations
            .get(p.institution.map_or(0, |o| o.0))
            .expect("org")
            .name
            .to_string();
        (p.given_name.to_string(), p.surname.to_string(), inst, p.id.0)
    };
    let folded = atbalsts::search::fold(&format!("{given} {surname}"));
    let (g, sn) = folded.split_once(' ').expect("two words");
    s.keys(&["3", "a"])
        .typed(g)
        .keys(&["tab"])
        .typed(sn)
        .keys(&["tab"])
        .typed(&inst)
        .keys(&["enter"]);
    s.keys(&["ctrl-s"]);
    let text = s.text();
    assert!(text.contains("Probably already entered"), "{text}");
    // o opens the existing one instead.
    s.keys(&["o"]);
    let form = s.app.form().expect("the existing participant's form");
    assert_eq!(form.original.raw_id(), id);
}

#[test]
fn check_in_desk_three_people_without_diacritics_then_undo() {
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&["2", "c", "y"]);
    let event = s.app.desk().expect("desk open").event;
    insta::assert_snapshot!("desk_open", s.text());
    let people: Vec<String> = {
        let m = s.app.model();
        m.participants
            .iter()
            .filter(|p| m.attendance_pair(event, p.id).is_none())
            .filter(|p| !p.full_name().is_ascii())
            .take(3)
            .map(|p| p.full_name())
            .collect()
    };
    assert_eq!(people.len(), 3);
    for name in &people {
        let typed = atbalsts::search::fold(name);
        s.typed(&typed);
        let chosen = s.app.desk().and_then(|d| d.chosen()).expect("a match");
        assert_eq!(
            s.app
                .model()
                .participants
                .get(chosen.0)
                .map(|p| p.full_name())
                .as_deref(),
            Some(name.as_str())
        );
        s.keys(&["enter"]);
        let text = s.text();
        assert!(text.contains("✔ CHECKED IN") && text.contains(name.as_str()), "{text}");
        let a = s.app.model().attendance_pair(event, chosen).expect("recorded");
        assert_eq!(a.status, AttendanceStatus::Attended);
        assert!(a.checked_in_at.is_some() && a.checked_in_by.is_some());
    }
    insta::assert_snapshot!("desk_after_three", s.text().replace(char::is_numeric, "9"));
    assert!(s.text().contains("(+3 walk-ins)"), "{}", s.text());
    // A registered person checked in counts as registered, not as a walk-in (even within the
    // second the sample was imported).
    let registered = s.app.desk().map_or(0, |d| d.rows.len());
    s.keys(&["ctrl-u", "down", "up", "enter"]);
    assert!(
        s.text()
            .contains(&format!("checked in 1 of {} registered (+3 walk-ins)", registered - 3)),
        "{}",
        s.text()
    );
    s.keys(&["ctrl-z"]);
    // Checking in the last one again changes nothing.
    let last = atbalsts::search::fold(&people[2]);
    let rows = s.app.model().count(atbalsts::domain::Table::Attendance);
    s.typed(&last).keys(&["enter"]);
    assert!(s.text().contains("ALREADY IN"));
    assert_eq!(s.app.model().count(atbalsts::domain::Table::Attendance), rows);
    // Ctrl-Z undoes the last check-in made at this desk.
    s.keys(&["ctrl-u", "ctrl-z"]);
    assert!(s.text().contains("UNDONE"), "{}", s.text());
    assert_eq!(s.app.model().count(atbalsts::domain::Table::Attendance), rows - 1);
}

#[test]
fn walk_in_is_created_and_checked_in_with_one_save() {
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&["2", "c", "y"]).typed("zane bērziņa").keys(&["ctrl-n"]);
    let text = s.text();
    assert!(text.contains("Walk-in"), "{text}");
    insta::assert_snapshot!(text);
    s.typed("cesu").keys(&["enter", "ctrl-s"]);
    let event = s.app.desk().expect("back at the desk").event;
    let id = person(&s, "Zane Bērziņa").expect("created, capitalised");
    let a = s
        .app
        .model()
        .attendance_pair(event, atbalsts::domain::ParticipantId(id))
        .cloned();
    assert_eq!(a.map(|a| a.status), Some(AttendanceStatus::Attended));
    assert!(s.text().contains("(+1 walk-ins)"), "{}", s.text());
    // The walk-in is one action: one undo at the desk takes the person and the row.
    s.keys(&["ctrl-z"]);
    assert_eq!(person(&s, "Zane Bērziņa"), None, "the person is gone with the undo");
    assert!(
        s.app
            .model()
            .attendance_pair(event, atbalsts::domain::ParticipantId(id))
            .is_none()
    );
    assert!(!s.text().contains("(+1 walk-ins)"), "{}", s.text());
}

#[test]
fn attendance_list_ticks_and_marks_the_rest_absent() {
    let mut s = Screen::new(80, 24, Lang::En);
    // An event with registered people not yet marked.
    let event = {
        let m = s.app.model();
        m.events
            .iter()
            .find(|e| {
                m.attendance_of_event(e.id)
                    .iter()
                    .filter_map(|a| m.attendance.get(a.0))
                    .filter(|a| a.status == AttendanceStatus::Registered)
                    .count()
                    >= 3
            })
            .map(|e| e.id)
            .expect("an upcoming event with registrations")
    };
    s.keys(&["2"]);
    s.app.select(atbalsts::tui::app::Pane::Events, event.0);
    s.keys(&["r"]);
    insta::assert_snapshot!(s.text());
    // Help works here too, and lists this list's keys; Esc comes back to the list.
    let help = s.keys(&["?"]).text();
    assert!(
        help.contains("Attendance list") && help.contains("Mark excused"),
        "{help}"
    );
    s.keys(&["esc"]);
    assert!(s.app.roster().is_some() && s.text().contains("Space attended"));
    let status = |s: &Screen, i: usize| {
        let r = s.app.roster().expect("list open");
        s.app.model().attendance.get(r.rows[i].0).map(|a| a.status)
    };
    let first = status(&s, 0);
    s.keys(&["space"]);
    assert_ne!(status(&s, 0), first, "Space toggles attended");
    assert_eq!(status(&s, 0), Some(AttendanceStatus::Attended));
    let count = |s: &Screen, st: AttendanceStatus| {
        let m = s.app.model();
        m.attendance_of_event(EventId(event.0))
            .iter()
            .filter_map(|a| m.attendance.get(a.0))
            .filter(|a| a.status == st)
            .count()
    };
    let registered = count(&s, AttendanceStatus::Registered);
    let absent = count(&s, AttendanceStatus::Absent);
    s.keys(&["N"]);
    assert!(s.text().contains("as absent?"));
    s.keys(&["y"]);
    assert_eq!(
        count(&s, AttendanceStatus::Registered),
        0,
        "everyone registered and not ticked is now absent"
    );
    assert_eq!(count(&s, AttendanceStatus::Absent), absent + registered);
    assert_eq!(
        status(&s, 0),
        Some(AttendanceStatus::Attended),
        "the one just ticked stays attended"
    );
    // One undo step brings every one of them back.
    s.keys(&["u"]);
    assert_eq!(count(&s, AttendanceStatus::Registered), registered);
    assert_eq!(count(&s, AttendanceStatus::Absent), absent);
    assert_eq!(
        status(&s, 0),
        Some(AttendanceStatus::Attended),
        "the tick is a change of its own"
    );
}

#[test]
fn a_manual_indicator_takes_a_value_by_hand() {
    let mut s = Screen::new(80, 24, Lang::En);
    let id = {
        let m = s.app.model();
        m.indicators
            .iter()
            .find(|i| i.definition == atbalsts::domain::Definition::Manual)
            .map(|i| i.id.0)
            .expect("a manual indicator")
    };
    s.keys(&["4"]);
    s.app.select(atbalsts::tui::app::Pane::Indicators, id);
    let before = s.app.model().indicators.get(id).map(|i| i.values.len()).unwrap_or(0);
    s.keys(&["a"])
        .typed("today")
        .keys(&["tab"])
        // A count of materials: a whole number (fractions are refused, see tui_values).
        .typed("12")
        .keys(&["tab"])
        .typed("Skaitīts sanāksmē");
    insta::assert_snapshot!(s.text());
    s.keys(&["enter"]);
    let i = s.app.model().indicators.get(id).expect("indicator").clone();
    assert_eq!(i.values.len(), before + 1);
    let v = i
        .values
        .iter()
        .find(|v| v.note == "Skaitīts sanāksmē")
        .expect("the value");
    assert_eq!((v.value, v.date), (12.0, s.app.today()));
}

#[test]
fn export_writes_the_listed_rows_of_the_pane() {
    let mut s = Screen::new(80, 24, Lang::En);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("cesis.csv");
    s.keys(&["1", "/"]).typed("cēsu").keys(&["enter", ":"]);
    s.typed(&format!("export {}", file.display())).keys(&["enter"]);
    s.settle();
    let listed = s.app.rows(atbalsts::tui::app::Pane::Partners);
    assert!(listed > 0);
    assert!(s.text().contains(&format!("Exported {listed} rows")), "{}", s.text());
    let csv = std::fs::read_to_string(&file).expect("written");
    assert_eq!(csv.lines().count(), listed + 1, "a header and the listed rows:\n{csv}");
    assert!(csv.contains("Cēsu"));
    // A directory that does not exist: a clear message, nothing written.
    s.keys(&[":"]).typed("export /nonexistent/dir/x.csv").keys(&["enter"]);
    s.settle();
    assert!(
        s.text().contains("Could not write /nonexistent/dir/x.csv"),
        "{}",
        s.text()
    );
}

/// An export is written on a thread of its own: the status line shows how far it is, keys
/// keep working, and `q` waits for it (quitting would leave no file).
#[test]
fn a_large_export_runs_in_the_background_and_q_waits_for_it() {
    let mut s = Screen::generated(80, 24, Lang::En, 40_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("people.xlsx");
    s.keys(&["3", ":"])
        .typed(&format!("export {}", file.display()))
        .keys(&["enter"]);
    let listed = s.app.rows(atbalsts::tui::app::Pane::Participants);
    assert_eq!(listed, 40_000);
    assert!(s.app.busy(), "written on a thread of its own");
    // The rows are gathered on the job's thread too: the status line says so and keys work
    // at once, while it gathers.
    let text = s.text();
    assert!(
        text.contains("Gathering the rows") && text.contains("you can keep working"),
        "{text}"
    );
    let first = s.app.selected_id(atbalsts::tui::app::Pane::Participants);
    s.keys(&["j"]);
    let text = s.text();
    assert!(text.contains("Gathering the rows"), "{text}");
    assert_ne!(
        s.app.selected_id(atbalsts::tui::app::Pane::Participants),
        first,
        "a key works while the rows are gathered"
    );
    // Then the writer's progress.
    s.app.tick();
    let mut text = s.text();
    for _ in 0..400 {
        if text.contains("Writing rows") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
        s.app.tick();
        text = s.text();
    }
    assert!(
        text.contains("Writing rows") && text.contains("you can keep working"),
        "{text}"
    );
    let before = s.app.selected_id(atbalsts::tui::app::Pane::Participants);
    s.keys(&["j"]);
    assert_ne!(
        s.app.selected_id(atbalsts::tui::app::Pane::Participants),
        before,
        "keys keep working"
    );
    s.keys(&["q"]);
    assert!(!s.app.quit, "q waits for the export");
    assert!(s.text().contains("still being written"), "{}", s.text());
    s.settle();
    assert!(s.text().contains("Exported 40000 rows"), "{}", s.text());
    let bytes = std::fs::read(&file).expect("written");
    assert!(bytes.starts_with(b"PK"), "an XLSX (a zip)");
    s.keys(&["q"]);
    assert!(s.app.quit, "q quits once the export is written");
}

#[test]
fn indicators_follow_check_ins_through_the_running_totals() {
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&["4"]); // builds the running totals
    assert!(s.app.aggregates.is_some());
    // Check in, at an event of each format, a few people not yet there; then undo one.
    s.keys(&["2"]);
    let events: Vec<u32> = s.app.model().orders.get(atbalsts::domain::Table::Event).to_vec();
    for e in events.iter().step_by(7) {
        s.app.select(atbalsts::tui::app::Pane::Events, *e);
        s.keys(&["c", "y"])
            .typed("a")
            .keys(&["down", "down", "enter", "ctrl-z", "enter", "esc"]);
    }
    s.keys(&["4"]);
    let m = s.app.model();
    let fresh = atbalsts::indicators::evaluate_all(m, s.app.today());
    assert!(!fresh.is_empty());
    for (id, o) in fresh {
        assert_eq!(s.app.outcomes[id.0 as usize].as_ref(), Some(&o), "indicator {id:?}");
    }
    // The detail's month-by-month chart from the running totals is the full scan's.
    let agg = s.app.aggregates.as_ref().expect("built");
    for i in m.indicators.iter() {
        assert_eq!(
            agg.history(m, i, s.app.today()),
            atbalsts::indicators::history(m, i, s.app.today()),
            "{}",
            i.code
        );
    }
}

#[test]
fn typed_input_is_never_thrown_away_without_asking() {
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&["3", "a"]).typed("Pusē");
    s.keys(&["esc"]);
    assert!(s.text().contains("Throw away what was typed in this form?"));
    s.keys(&["n"]);
    assert!(s.app.form().is_some(), "No keeps the form");
    assert_eq!(
        s.app
            .form()
            .and_then(|f| f.field(Field::GivenName))
            .map(|f| f.input.text()),
        Some("Pusē")
    );
    s.keys(&["ctrl-c"]);
    assert!(s.text().contains("Quit without saving this form?"));
    s.keys(&["esc"]);
    assert!(!s.app.quit && s.app.form().is_some());
    s.keys(&["ctrl-c", "y"]);
    assert!(s.app.quit);
}

#[test]
fn a_walk_in_who_is_already_known_is_checked_in_instead_of_entered_twice() {
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&["2", "c", "y"]);
    let event = s.app.desk().expect("desk").event;
    let (name, inst, id) = {
        let m = s.app.model();
        let p = m
            .participants
            .iter()
            .find(|p| p.institution.is_some() && m.attendance_pair(event, p.id).is_none())
            .expect("someone not on the list");
        let inst = m
            .organisations
            .get(p.institution.map_or(0, |o| o.0))
            .expect("org")
            .name
            .to_string();
        (atbalsts::search::fold(&p.full_name()), inst, p.id)
    };
    let people = s.app.model().participants.len();
    s.typed(&name).keys(&["ctrl-n"]).typed(&inst).keys(&["enter", "ctrl-s"]);
    let text = s.text();
    assert!(
        text.contains("Probably already entered") && text.contains("o check in the existing one"),
        "{text}"
    );
    s.keys(&["o"]);
    assert!(s.app.form().is_none());
    assert_eq!(s.app.model().participants.len(), people, "nobody new");
    let a = s.app.model().attendance_pair(event, id).map(|a| a.status);
    assert_eq!(a, Some(AttendanceStatus::Attended));
    assert!(s.text().contains("✔ CHECKED IN"));
}

#[test]
fn a_new_count_indicator_from_the_palette_counts_from_the_data() {
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&[":"]).typed("new indicator count").keys(&["enter"]);
    assert!(s.text().contains("New indicator"), "{}", s.text());
    s.typed("12").keys(&["tab"]).typed("Metodiķi apmācīti");
    // Code, title, unit, baseline, target, deadline, counts (of), filter, notes.
    s.keys(&["tab", "tab", "tab"])
        .typed("100")
        .keys(&["tab", "tab", "tab"])
        .typed("role:bogus");
    s.keys(&["ctrl-s"]);
    let text = s.text();
    assert!(
        text.contains("✗") && text.contains("bogus"),
        "the filter is checked:\n{text}"
    );
    insta::assert_snapshot!(text);
    s.keys(&["ctrl-u"]).typed("role:metodiķis").keys(&["ctrl-s"]);
    assert!(s.app.form().is_none(), "{:?}", s.app.form().map(|f| f.fields.clone()));
    let m = s.app.model();
    let i = m.indicators.iter().find(|i| i.code == "12").expect("saved").clone();
    let want = m
        .participants
        .iter()
        .filter(|p| p.role == atbalsts::domain::Role::Methodologist)
        .count() as f64;
    s.keys(&["4"]);
    let o = s.app.outcomes[i.id.0 as usize].clone().expect("computed");
    assert_eq!(o.value, want, "every methodologist counted once");
}

#[test]
fn a_person_with_attendance_is_erased_after_asking_and_their_rows_stay_without_them() {
    let mut s = Screen::new(80, 24, Lang::En);
    let (id, name, rows) = {
        let m = s.app.model();
        let p = m
            .participants
            .iter()
            .find(|p| m.attendance_of_person(p.id).len() >= 2 && !p.email.is_empty())
            .expect("someone who attended");
        (p.id.0, p.full_name(), m.attendance_of_person(p.id).len())
    };
    let email = s.app.model().participants.get(id).expect("p").email.to_string();
    let before = s.app.model().count(atbalsts::domain::Table::Attendance);
    s.keys(&["3"]);
    s.app.select(atbalsts::tui::app::Pane::Participants, id);
    s.keys(&["d"]);
    let text = s.text();
    assert!(text.contains(&format!("Erase {name}?")), "{text}");
    s.keys(&["y"]);
    assert!(
        s.text().contains(&format!("Erased {name}: no name or contact")),
        "{}",
        s.text()
    );
    let m = s.app.model();
    assert!(m.participants.get(id).is_some_and(|p| p.is_erased()));
    assert_eq!(
        m.count(atbalsts::domain::Table::Attendance),
        before,
        "rows kept: {rows}"
    );
    // Nothing of the person is left in the database's files.
    let mut found = 0;
    for entry in std::fs::read_dir(s.app.backend.label()).expect("dir").flatten() {
        if entry.path().is_file() {
            let bytes = std::fs::read(entry.path()).expect("read");
            found += bytes.windows(email.len()).filter(|w| *w == email.as_bytes()).count();
        }
    }
    assert_eq!(found, 0, "{email} left in the files");
    // In this session it can still be undone, in one step.
    s.keys(&["u"]);
    assert_eq!(s.app.model().participants.get(id).map(|p| p.full_name()), Some(name));
}
