//! Hostile and careless input at the screen, through the real event handling
//! (`tui::handle_event`): pastes (bracketed) go in whole and never act as keys, hidden
//! characters never reach the terminal, and keys do nothing but quit while the terminal is
//! too small.

mod common;

use atbalsts::i18n::Lang;
use atbalsts::tui::handle_event;
use common::Screen;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

fn key(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

#[test]
fn a_large_paste_goes_into_the_desk_search_at_once_and_cleaned() {
    let mut s = Screen::new(100, 30, Lang::En);
    s.keys(&["2", "c", "y"]); // y: the event is not today
    assert!(s.app.desk().is_some(), "desk open");
    let name = "Bērziņ\u{202E}a\u{200B}";
    let junk = "x".repeat(2500);
    let pasted = format!("{name}\n{junk}");
    assert!(handle_event(&mut s.app, Event::Paste(pasted)));
    let input = s.app.desk().map(|d| d.input.text().to_string()).unwrap_or_default();
    assert_eq!(input.chars().count(), "Bērziņa ".chars().count() + 2500);
    assert!(input.starts_with("Bērziņa "), "hidden characters removed: {input:?}");
    assert!(!s.text().contains('\u{202E}'));
}

#[test]
fn a_paste_where_nothing_is_typed_does_nothing() {
    let mut s = Screen::new(100, 30, Lang::En);
    s.keys(&["3"]);
    let before = s.text();
    assert!(!handle_event(&mut s.app, Event::Paste("dq".into())));
    assert!(!s.app.quit && s.app.confirm().is_none(), "no key of the paste acted");
    assert_eq!(s.text(), before);
}

#[test]
fn while_the_terminal_is_too_small_keys_do_nothing_but_quit() {
    let mut s = Screen::new(100, 30, Lang::En);
    s.keys(&["2"]);
    let checked = s.app.model().count(atbalsts::domain::Table::Attendance);
    handle_event(&mut s.app, Event::Resize(40, 10));
    for ev in [
        key('c'),
        Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        key('d'),
        key('y'),
    ] {
        assert!(!handle_event(&mut s.app, ev));
    }
    assert!(
        s.app.desk().is_none() && s.app.confirm().is_none(),
        "nothing opened blind"
    );
    handle_event(&mut s.app, Event::Resize(100, 30));
    assert_eq!(s.app.model().count(atbalsts::domain::Table::Attendance), checked);
    handle_event(&mut s.app, Event::Resize(40, 10));
    assert!(handle_event(&mut s.app, key('q')));
    assert!(s.app.quit, "q still quits");
}

#[test]
fn hidden_characters_in_stored_text_are_taken_out_of_the_frame() {
    let mut buf = ratatui::buffer::Buffer::empty(ratatui::layout::Rect::new(0, 0, 10, 1));
    buf.set_string(0, 0, "Ab\u{202E}c\u{200B}d", ratatui::style::Style::default());
    atbalsts::tui::scrub(&mut buf);
    let shown: String = buf.content.iter().map(|c| c.symbol()).collect();
    assert!(shown.starts_with("Ab"), "{shown:?}");
    assert!(!shown.contains('\u{202E}') && !shown.contains('\u{200B}'), "{shown:?}");
}
