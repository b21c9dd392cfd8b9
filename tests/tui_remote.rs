//! The screen attached to a team server, with the rest of the team played by the fake
//! backend (tests/common/fake.rs): others' changes arriving with no key pressed, a save
//! that someone else's edit got to first, two desks checking in the same person, a lost
//! connection and the reconnect, who else is on. Real keys through the real keymap, on the
//! sample data at 80x24.

mod common;

use atbalsts::command::Command;
use atbalsts::domain::{AnyRecord, AttendanceStatus, EventId, Field, Participant, ParticipantId, Role};
use atbalsts::i18n::{Lang, M, t};
use atbalsts::tui::app::Pane;
use common::Screen;

/// The participant whose name is `full` in the screen's replica, if there is one.
fn person(s: &Screen, full: &str) -> Option<u32> {
    let m = s.app.model();
    m.participants.iter().find(|p| p.full_name() == full).map(|p| p.id.0)
}

fn name_of(s: &Screen, id: Option<u32>) -> String {
    let m = s.app.model();
    id.and_then(|id| m.participants.get(id))
        .map(|p| p.full_name())
        .unwrap_or_default()
}

fn new_person(given: &str, surname: &str) -> Command {
    Command::Create(AnyRecord::Participant(Participant::new(
        given,
        surname,
        Role::Teacher,
        None,
    )))
}

/// The line of the screen that holds `what` (for messages).
fn line_with<'a>(text: &'a str, what: &str) -> Option<&'a str> {
    text.lines().find(|l| l.contains(what))
}

/// Times of day ("14:07", stamped by the store's clock) as "hh:mm", for snapshots.
fn no_times(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < c.len() {
        let time = i + 5 <= c.len()
            && c[i].is_ascii_digit()
            && c[i + 1].is_ascii_digit()
            && c[i + 2] == ':'
            && c[i + 3].is_ascii_digit()
            && c[i + 4].is_ascii_digit()
            && (i == 0 || !c[i - 1].is_ascii_digit());
        if time {
            out.push_str("hh:mm");
            i += 5;
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// The status bar (the line above the key hints) of a drawn screen.
fn status(text: &str) -> &str {
    let lines: Vec<&str> = text.lines().collect();
    lines.get(lines.len().saturating_sub(2)).copied().unwrap_or_default()
}

/// The status bar's message, read whole: it grows upwards over the panes when it is longer
/// than the line (its lines joined with spaces).
fn status_message(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let hints = lines.len().saturating_sub(1);
    let Some(first) = lines[..hints].iter().rposition(|l| l.starts_with(" ▶ ")) else {
        return String::new();
    };
    let parts: Vec<&str> = lines[first..hints].iter().map(|l| l.trim()).collect();
    parts.join(" ").trim_start_matches("▶ ").to_string()
}

/// The open form's message as drawn (its lines joined with spaces).
fn form_message(text: &str) -> String {
    let inside: Vec<&str> = text
        .lines()
        .map(|l| l.trim_start_matches('│').trim_end_matches('│').trim_end())
        .collect();
    let Some(first) = inside.iter().position(|l| l.starts_with("✗ ")) else {
        return String::new();
    };
    let mut parts = vec![inside[first]];
    parts.extend(
        inside[first + 1..]
            .iter()
            .take_while(|l| l.starts_with("   "))
            .map(|l| l.trim()),
    );
    parts.join(" ")
}

#[test]
fn another_coordinators_new_participant_shows_without_a_key_and_the_selection_stays() {
    let (mut s, team) = Screen::with_fake(80, 24, Lang::En);
    // The whole list, the sixth person selected.
    s.keys(&["3", "down", "down", "down", "down", "down"]);
    let chosen = s.app.selected_id(Pane::Participants);
    assert_eq!(name_of(&s, chosen), "Aiga Andersone");
    team.other("ilze", new_person("Aiga", "Ābele")).expect("ilze adds");
    assert!(!s.text().contains("Ābele"), "nothing before the screen hears of it");
    s.poll();
    let text = s.text();
    assert!(text.contains("Participants (401)"), "{text}");
    assert!(text.contains("│  Ābele     Aiga"), "first in the list now:\n{text}");
    assert_eq!(
        s.app.selected_id(Pane::Participants),
        chosen,
        "still on the same record"
    );
    assert!(text.contains("│▶ Andersone Aiga"), "{text}");
    // A filter is run again: a new match shows in it, the selection keeps its record.
    s.keys(&["/"]).typed("berzins").keys(&["enter", "down", "down"]);
    let chosen = s.app.selected_id(Pane::Participants);
    assert_eq!(name_of(&s, chosen), "Raimonds Bērziņš");
    assert!(s.text().contains("Participants (3 of 401) /berzins"));
    team.other("ilze", new_person("Andris", "Bērziņš")).expect("ilze adds");
    team.other("ilze", new_person("Ilona", "Kļaviņa")).expect("ilze adds");
    s.poll();
    assert_eq!(s.app.selected_id(Pane::Participants), chosen);
    let text = s.text();
    assert!(
        !text.contains("Kļaviņa"),
        "a change that does not match stays out:\n{text}"
    );
    insta::assert_snapshot!(text);
}

/// The participant `id` as the server has it now.
fn stored_person(team: &common::fake::FakeHandle, id: u32) -> Participant {
    team.stored(|m| m.participants.get(id).cloned()).expect("stored")
}

#[test]
fn a_save_over_another_coordinators_edit_is_refused_naming_them_and_keeps_what_was_typed() {
    // Heard of before the save (En), and not yet (Lv: the server has it, the screen does
    // not: the server refuses all the same).
    for (lang, heard) in [(Lang::En, true), (Lang::Lv, false)] {
        let (mut s, team) = Screen::with_fake(80, 24, lang);
        s.keys(&["3", "/"]).typed("berzins raimonds").keys(&["enter"]);
        let id = s.app.selected_id(Pane::Participants).expect("Raimonds");
        let mine = "raimonds@valmiera.lv";
        s.keys(&["e", "tab", "tab", "tab", "tab", "ctrl-u"]).typed(mine);
        let before = stored_person(&team, id);
        let mut theirs = before.clone();
        theirs.phone = "+371 26000000".into();
        team.other("ilze", Command::Update(AnyRecord::Participant(theirs)))
            .expect("ilze edits");
        if heard {
            s.poll();
            assert!(s.app.form().is_some(), "the form stays open under others' changes");
        }
        s.keys(&["ctrl-s"]);
        let text = s.text();
        let form = s.app.form().expect("the form stays open");
        assert_eq!(form.field(Field::Email).map(|f| f.input.text()), Some(mine), "{text}");
        let said = form.message.clone().unwrap_or_default();
        let refused = match lang {
            Lang::En => "was changed by ilze at",
            Lang::Lv => "mainīja ilze plkst.",
        };
        assert!(said.contains(refused), "{said}");
        assert_eq!(
            form_message(&text),
            format!("✗ {said}"),
            "read whole on the screen:\n{text}"
        );
        let nothing = match lang {
            Lang::En => "nothing was saved",
            Lang::Lv => "nekas netika saglabāts",
        };
        assert!(said.contains(nothing), "{said}");
        // The server has ilze's phone and the old email: nothing of mine.
        let now = stored_person(&team, id);
        assert_eq!(now.phone.as_str(), "+371 26000000");
        assert_eq!(now.email, before.email);
        s.poll();
        assert_eq!(
            s.app.model().participants.get(id).map(|p| p.phone.as_str()),
            Some("+371 26000000")
        );
        insta::assert_snapshot!(format!("conflict_{lang:?}"), no_times(&s.text()));
    }
}

/// The status of `person`'s row at `event` as the server has it, and who checked them in.
fn checked_in_by(
    team: &common::fake::FakeHandle,
    event: EventId,
    person: ParticipantId,
) -> Option<(AttendanceStatus, String)> {
    team.stored(|m| {
        let a = m.attendance_pair(event, person)?;
        Some((a.status, m.user_name(a.checked_in_by?).to_string()))
    })
}

/// Checks `person` in at `event` from another desk (ilze's).
fn other_desk_checks_in(team: &common::fake::FakeHandle, event: EventId, person: ParticipantId) {
    let row = team.stored(|m| m.attendance_pair(event, person).cloned());
    let cmd = match row {
        Some(mut a) => {
            a.status = AttendanceStatus::Attended;
            a.checked_in_at = Some(atbalsts::domain::Stamp::now());
            Command::Update(AnyRecord::Attendance(a))
        }
        None => {
            let mut a = atbalsts::domain::Attendance::new(event, person, AttendanceStatus::Attended);
            a.checked_in_at = Some(atbalsts::domain::Stamp::now());
            Command::Create(AnyRecord::Attendance(a))
        }
    };
    team.other("ilze", cmd).expect("ilze checks in");
}

fn rows_of(team: &common::fake::FakeHandle, event: EventId, person: ParticipantId) -> usize {
    team.stored(|m| {
        m.attendance_of_event(event)
            .iter()
            .filter(|a| m.attendance.get(a.0).is_some_and(|r| r.participant == person))
            .count()
    })
}

#[test]
fn two_desks_check_in_the_same_person_and_the_second_says_who_was_first() {
    let (mut s, team) = Screen::with_fake(80, 24, Lang::En);
    s.keys(&["2", "c", "y"]);
    let event = s.app.desk().expect("desk").event;
    let anna = ParticipantId(person(&s, "Anna Bērziņa").expect("registered"));
    let sigita = ParticipantId(person(&s, "Sigita Celmiņa").expect("registered"));
    // Someone not registered, who walks in at both desks.
    let walk_in = {
        let m = s.app.model();
        m.participants
            .iter()
            .find(|p| m.attendance_pair(event, p.id).is_none() && p.full_name() == "Guna Āboliņa")
            .map(|p| p.id)
            .expect("not on the list")
    };
    let rows = team.stored(|m| m.attendance.len());

    // Ilze's desk checks Anna in; this desk's list shows it with no key pressed.
    other_desk_checks_in(&team, event, anna);
    assert!(s.text().contains("checked in 0 of 35 registered"));
    s.poll();
    let text = s.text();
    assert!(text.contains("checked in 1 of 35 registered"), "{text}");
    let anna_line = line_with(&text, "Anna Bērziņa").expect("listed");
    assert!(anna_line.contains('✔'), "{anna_line}");
    // Checking her in here says she is in, and by whom.
    s.typed("anna berzina").keys(&["enter"]);
    let text = s.text();
    let said = line_with(&text, "ALREADY IN").unwrap_or_default();
    assert!(
        said.contains("Anna Bērziņa") && said.contains("was already checked in by ilze at"),
        "{text}"
    );

    // Ilze's desk gets to Sigita first, and this desk has not heard yet: the server
    // refuses the second check-in, and the desk says who was first.
    other_desk_checks_in(&team, event, sigita);
    s.typed("sigita celmina").keys(&["enter"]);
    let text = s.text();
    let said = line_with(&text, "ALREADY IN").unwrap_or_default();
    assert!(
        said.contains("Sigita Celmiņa") && said.contains("was already checked in by ilze at"),
        "{text}"
    );
    // The same for a walk-in (a new row at both desks).
    other_desk_checks_in(&team, event, walk_in);
    s.typed("guna abolina").keys(&["enter"]);
    let text = s.text();
    let said = line_with(&text, "ALREADY IN").unwrap_or_default();
    assert!(
        said.contains("Guna Āboliņa") && said.contains("was already checked in by ilze at"),
        "{text}"
    );
    s.poll();

    // Nothing doubled: one row each, ilze's, and nothing of this desk's to undo.
    assert_eq!(
        team.stored(|m| m.attendance.len()),
        rows + 1,
        "only the walk-in's row is new"
    );
    for p in [anna, sigita, walk_in] {
        assert_eq!(rows_of(&team, event, p), 1);
        assert_eq!(
            checked_in_by(&team, event, p),
            Some((AttendanceStatus::Attended, "ilze".into()))
        );
    }
    assert!(
        s.text().contains("checked in 2 of 35 registered (+1 walk-ins)"),
        "{}",
        s.text()
    );
    s.keys(&["ctrl-z"]);
    let text = s.text();
    assert!(
        text.contains("Nothing to undo"),
        "ilze's check-ins are not this desk's:\n{text}"
    );
    assert_eq!(
        checked_in_by(&team, event, sigita),
        Some((AttendanceStatus::Attended, "ilze".into()))
    );
    s.typed("anna berzina").keys(&["enter"]);
    insta::assert_snapshot!(no_times(&s.text()));
}

#[test]
fn a_lost_connection_is_said_a_save_is_refused_and_the_reconnect_brings_what_changed_meanwhile() {
    for lang in [Lang::En, Lang::Lv] {
        let (mut s, team) = Screen::with_fake(80, 24, lang);
        s.keys(&["3"]);
        let people = team.stored(|m| m.participants.len());
        team.lose();
        s.poll();
        let text = s.text();
        assert_eq!(status_message(&text), t(M::ServerLost), "{text}");
        insta::assert_snapshot!(format!("lost_{lang:?}"), text);

        // Meanwhile ilze adds someone: the server has her, this screen does not yet.
        team.other("ilze", new_person("Aiga", "Ābele")).expect("ilze adds");
        s.poll();
        assert!(person(&s, "Aiga Ābele").is_none());

        // A save while the connection is lost: refused, saying so; the form keeps it all.
        s.keys(&["a"])
            .typed("Guna")
            .keys(&["tab"])
            .typed("Ozola")
            .keys(&["ctrl-s"]);
        let text = s.text();
        let form = s.app.form().expect("the form stays open");
        assert_eq!(form.field(Field::Surname).map(|f| f.input.text()), Some("Ozola"));
        let said = form.message.clone().unwrap_or_default();
        let nothing = match lang {
            Lang::En => "nothing was confirmed",
            Lang::Lv => "nekas netika apstiprināts",
        };
        assert!(said.contains(t(M::ServerLost)) && said.contains(nothing), "{said}");
        assert_eq!(
            form_message(&text),
            format!("✗ {said}"),
            "read whole on the screen:\n{text}"
        );
        insta::assert_snapshot!(format!("lost_save_{lang:?}"), text);
        assert_eq!(team.stored(|m| m.participants.len()), people + 1, "only ilze's");
        assert!(person(&s, "Guna Ozola").is_none());

        // Back: the new snapshot has ilze's person, and the status says so.
        team.reconnect();
        s.poll();
        let text = s.text();
        assert_eq!(status_message(&text), t(M::ServerBack), "{text}");
        assert!(person(&s, "Aiga Ābele").is_some());
        // What was typed is saved now, with the same keys.
        s.keys(&["ctrl-s"]);
        assert!(s.app.form().is_none(), "{}", s.text());
        assert_eq!(team.stored(|m| m.participants.len()), people + 2);
        assert!(team.stored(|m| m.participants.iter().any(|p| p.full_name() == "Guna Ozola")));
        s.keys(&["home"]);
        let text = s.text();
        let top = text.lines().nth(3).unwrap_or_default();
        assert!(top.contains("▶ Ābele") && top.contains("Aiga"), "{text}");
        assert!(text.contains("(402)"), "{text}");
    }
}

/// The desk's count of the sample's next event: `n` of its 35 registered people in.
fn counts(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En => format!("checked in {n} of 35 registered"),
        Lang::Lv => format!("{n} no 35"),
    }
}

#[test]
fn at_the_desk_a_check_in_without_the_connection_is_not_recorded() {
    for lang in [Lang::En, Lang::Lv] {
        let (mut s, team) = Screen::with_fake(80, 24, lang);
        s.keys(&["2", "c", "y"]);
        let event = s.app.desk().expect("desk").event;
        let anna = ParticipantId(person(&s, "Anna Bērziņa").expect("registered"));
        let sigita = ParticipantId(person(&s, "Sigita Celmiņa").expect("registered"));
        let rows = team.stored(|m| m.attendance.len());
        team.lose();
        s.poll();
        s.typed("anna berzina").keys(&["enter"]);
        let text = s.text();
        // The desk's big line says it was not recorded, and why.
        let said = line_with(&text, t(M::NoticeFailed)).unwrap_or_default();
        assert!(said.starts_with(&format!(" {}  ", t(M::NoticeFailed))), "{text}");
        let why = match s.app.desk().and_then(|d| d.notice.clone()) {
            Some(atbalsts::tui::desk::Notice::Failed(why)) => why,
            other => panic!("{other:?}"),
        };
        assert!(why.contains(t(M::ServerLost)), "{why}");
        assert_eq!(
            team.stored(|m| m.attendance_pair(event, anna).map(|a| a.status)),
            Some(AttendanceStatus::Registered)
        );
        assert_eq!(
            s.app.model().attendance_pair(event, anna).map(|a| a.status),
            Some(AttendanceStatus::Registered)
        );
        assert_eq!(team.stored(|m| m.attendance.len()), rows);
        // Ilze's desk, still connected, checks Sigita in meanwhile; back, this desk shows
        // it, and Enter on the name still there checks Anna in.
        other_desk_checks_in(&team, event, sigita);
        team.reconnect();
        s.poll();
        let text = s.text();
        assert!(text.contains(&counts(lang, 1)), "{text}");
        s.keys(&["enter"]);
        let text = s.text();
        assert!(text.contains(&counts(lang, 2)), "{text}");
        assert!(
            line_with(&text, t(M::NoticeIn)).is_some_and(|l| l.contains("Anna Bērziņa")),
            "{text}"
        );
        assert_eq!(
            team.stored(|m| m.attendance_pair(event, anna).map(|a| a.status)),
            Some(AttendanceStatus::Attended)
        );
    }
}

#[test]
fn the_status_bar_names_who_else_is_on() {
    for lang in [Lang::En, Lang::Lv] {
        let (mut s, team) = Screen::with_fake(80, 24, lang);
        assert!(!s.text().contains(&atbalsts::i18n::f(M::ServerPeers, &[&"ilze"])));
        // The server lists every screen attached, this one too.
        team.peers(&["koordinators", "ilze", "janis"]);
        s.poll();
        let text = s.text();
        let line = status(&text);
        let others = atbalsts::i18n::f(M::ServerPeers, &[&"ilze, janis"]);
        assert!(line.contains(&others), "{text}");
        insta::assert_snapshot!(format!("peers_{lang:?}"), line);
        // They leave.
        team.peers(&["koordinators"]);
        s.poll();
        let text = s.text();
        assert!(
            !status(&text).contains(&atbalsts::i18n::f(M::ServerPeers, &[&""])),
            "{text}"
        );
    }
}
