//! The overlay stack and the screen's clock, through the real keymap: layers unwind in the
//! order they were opened, help and questions come back to what was under them, stamps
//! and "today" come from the injected clock (today follows midnight), and a check-in made
//! in the attendance list shows in a filtered pane.

mod common;

use atbalsts::domain::{AttendanceStatus, EventId, EventStatus, Hours, ParticipantId};
use atbalsts::i18n::Lang;
use atbalsts::tui::app::Pane;
use atbalsts::tui::keymap::Context;
use atbalsts::tui::layer::Layer;
use chrono::NaiveDate;
use common::Screen;

/// Opens the event's attendance list, moves to the person's row and presses Space.
fn tick_in_the_attendance_list(s: &mut Screen, event: EventId, person: ParticipantId) {
    s.keys(&["2"]);
    s.app.select(Pane::Events, event.0);
    s.keys(&["r"]);
    let pos = {
        let m = s.app.model();
        let r = s.app.roster().expect("list open");
        r.rows
            .iter()
            .position(|id| m.attendance.get(id.0).is_some_and(|a| a.participant == person))
            .expect("the person's row")
    };
    for _ in 0..pos {
        s.keys(&["down"]);
    }
    s.keys(&["space"]);
}

fn top(s: &Screen) -> Option<Context> {
    s.app.layers().last().map(Layer::context)
}

#[test]
fn help_and_the_palette_over_the_detail_come_back_to_it() {
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&["3", "v", "down"]);
    assert_eq!(s.app.zoom(), Some(1));
    s.keys(&["?"]);
    assert_eq!(top(&s), Some(Context::Help), "{}", s.text());
    s.keys(&["esc"]);
    assert_eq!(s.app.zoom(), Some(1), "back in the detail, where it was");
    s.keys(&[":"]);
    assert_eq!(top(&s), Some(Context::Palette));
    s.keys(&["esc"]);
    assert_eq!(s.app.zoom(), Some(1));
    // Anything else leaves the detail and does what it does in the list.
    s.keys(&["2"]);
    assert!(s.app.layers().is_empty() && s.app.pane == Pane::Events);
}

#[test]
fn a_filter_being_typed_lies_under_the_palette() {
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&["3", "/"]).typed("berz");
    assert_eq!(s.app.context(), Context::Filter);
    s.keys(&["esc"]);
    assert!(s.app.layers().is_empty(), "Esc clears and leaves the filter line");
    assert!(s.app.states[Pane::Participants.index()].view.is_none());
}

#[test]
fn a_question_over_a_walk_in_form_over_the_desk_unwinds_in_order() {
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&["2"]);
    let today = s.app.today();
    let event = s
        .app
        .model()
        .events
        .iter()
        .find(|e| e.start.date() == today)
        .map(|e| e.id)
        .or_else(|| s.app.model().events.iter().next().map(|e| e.id))
        .expect("an event");
    s.app.select(Pane::Events, event.0);
    s.keys(&["c"]);
    if top(&s) == Some(Context::Confirm) {
        s.keys(&["y"]); // not today: open anyway
    }
    assert_eq!(top(&s), Some(Context::Desk));
    s.typed("Zane Ozoliņa").keys(&["ctrl-n"]);
    assert_eq!(top(&s), Some(Context::Form), "the walk-in form over the desk");
    assert_eq!(s.app.layers().len(), 2);
    s.keys(&["esc"]);
    assert_eq!(top(&s), Some(Context::Confirm), "typed text: asks before discarding");
    s.keys(&["n"]);
    assert_eq!(top(&s), Some(Context::Form), "No keeps the form");
    s.keys(&["esc", "y"]);
    assert_eq!(
        top(&s),
        Some(Context::Desk),
        "Yes closes the question and the form, not the desk"
    );
    s.keys(&["esc"]);
    assert!(s.app.layers().is_empty(), "and Esc leaves the desk");
}

#[test]
fn check_in_stamps_and_today_come_from_the_clock_and_today_follows_midnight() {
    let mut s = Screen::new(120, 40, Lang::En);
    let day = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
    assert_eq!(s.app.today(), day);
    // A registered person at some event: tick them in the attendance list at 14:37.
    let (event, person) = {
        let m = s.app.model();
        m.attendance
            .iter()
            .find(|a| a.status == AttendanceStatus::Registered)
            .map(|a| (a.event, a.participant))
            .expect("a registered row")
    };
    s.clock.set(day, 14, 37);
    tick_in_the_attendance_list(&mut s, event, person);
    let stamp = s
        .app
        .model()
        .attendance_pair(event, person)
        .and_then(|a| a.checked_in_at)
        .map(|t| t.riga().format("%Y-%m-%d %H:%M").to_string());
    assert_eq!(stamp.as_deref(), Some("2026-11-22 14:37"));
    s.keys(&["esc"]);
    // Past midnight the screen's today moves on by itself.
    assert!(!s.app.tick(), "nothing to do while the day is the same");
    let next = day.succ_opt().expect("date");
    s.clock.set(next, 0, 1);
    assert!(s.app.tick(), "a new day redraws");
    assert_eq!(s.app.today(), next);
    // A form opened now reads "today" as the new day.
    s.keys(&["2", "a"]);
    assert_eq!(s.app.form().map(|f| f.today), Some(next));
}

#[test]
fn a_check_in_in_the_attendance_list_shows_in_a_filtered_pane() {
    let mut s = Screen::new(120, 40, Lang::En);
    s.keys(&["3", "/"]).typed("hours>0").keys(&["enter"]);
    let with_hours: Vec<u32> = s.app.ids(Pane::Participants).to_vec();
    assert!(!with_hours.is_empty());
    // Someone not marked as attended at a past event of some hours, with no hours yet.
    let today = s.app.today();
    let (event, person): (EventId, u32) = {
        let m = s.app.model();
        m.attendance
            .iter()
            .filter(|a| a.status != AttendanceStatus::Attended && !with_hours.contains(&a.participant.0))
            .find(|a| {
                m.events
                    .get(a.event.0)
                    .is_some_and(|e| e.hours > Hours(0) && e.start.date() < today && e.status == EventStatus::Held)
            })
            .map(|a| (a.event, a.participant.0))
            .expect("a registered person without hours")
    };
    tick_in_the_attendance_list(&mut s, event, atbalsts::domain::ParticipantId(person));
    let now = s
        .app
        .model()
        .attendance_pair(event, atbalsts::domain::ParticipantId(person))
        .map(|a| a.status);
    assert_eq!(now, Some(AttendanceStatus::Attended), "ticked");
    s.keys(&["esc", "3"]);
    assert!(
        s.app.ids(Pane::Participants).contains(&person),
        "the filtered pane lists the person who now has hours"
    );
}
