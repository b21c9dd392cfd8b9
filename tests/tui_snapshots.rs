//! Snapshot tests of every pane, driven by real key events through the real keymap, rendered
//! with ratatui's TestBackend on the sample data (today fixed to 2026-11-22).

mod common;

use atbalsts::i18n::Lang;
use common::Screen;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[test]
fn partners_80x24() {
    let mut s = Screen::new(80, 24, Lang::En);
    insta::assert_snapshot!(s.keys(&["1"]).text());
}

#[test]
fn events_80x24_start_at_the_next_event() {
    let mut s = Screen::new(80, 24, Lang::En);
    let text = s.keys(&["2"]).text();
    // The selected row (▶) is the first event on or after today.
    let selected = text.lines().find(|l| l.contains('▶')).expect("a selected row");
    assert!(selected.contains("2026-11-26"), "{selected}");
    insta::assert_snapshot!(text);
}

#[test]
fn participants_80x24() {
    let mut s = Screen::new(80, 24, Lang::En);
    insta::assert_snapshot!(s.keys(&["3"]).text());
}

#[test]
fn indicators_80x24() {
    let mut s = Screen::new(80, 24, Lang::En);
    insta::assert_snapshot!(s.keys(&["4"]).text());
}

/// A tall terminal leaves room for the breakdowns under the gap list.
#[test]
fn indicators_detail_120x60() {
    let mut s = Screen::new(120, 60, Lang::En);
    let text = s.keys(&["4"]).text();
    assert!(text.contains("By role:") && text.contains("Month by month:"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn every_pane_120x40() {
    let mut s = Screen::new(120, 40, Lang::En);
    let all: Vec<String> = ["1", "2", "3", "4"].iter().map(|k| s.keys(&[k]).text()).collect();
    insta::assert_snapshot!(all.join("\n"));
}

#[test]
fn latvian_partners_and_events() {
    let mut s = Screen::new(80, 24, Lang::Lv);
    let partners = s.text();
    assert!(
        partners.contains("Partneri") && partners.contains("Ādažu novada pašvaldība"),
        "{partners}"
    );
    let events = s.keys(&["tab"]).text();
    // Latvian dates: 26.11.2026.
    assert!(events.contains("26.11.2026."), "{events}");
    insta::assert_snapshot!(format!("{partners}\n{events}"));
}

#[test]
fn scrolling_moves_selection_and_keeps_it_visible() {
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&["3"]);
    let top = s.text();
    s.keys(&["j", "j", "down"]);
    assert_eq!(s.app.states[2].selected, 3);
    s.keys(&["pagedown", "pagedown"]);
    let page = s.app.page();
    assert_eq!(s.app.states[2].selected, 3 + 2 * page);
    s.keys(&["G"]);
    let n = s.app.rows(atbalsts::tui::app::Pane::Participants);
    assert_eq!(s.app.states[2].selected, n - 1);
    let bottom = s.text();
    assert!(bottom.contains('▶'), "selection visible at the end");
    assert_ne!(top, bottom);
    s.keys(&["g"]);
    assert_eq!(s.app.states[2].selected, 0);
    insta::assert_snapshot!(bottom);
}

#[test]
fn help_lists_bindings_from_the_keymap() {
    let mut s = Screen::new(80, 24, Lang::En);
    let text = s.keys(&["?"]).text();
    assert!(
        text.contains("Help")
            && text.lines().nth(2).is_some_and(|l| l.contains("Lists"))
            && text.contains("Add a record"),
        "{text}"
    );
    insta::assert_snapshot!(text);
    // Typing inside help filters it (q is typed, it does not quit): only matching bindings.
    let filtered = s.keys(&["u", "n", "d", "o"]).text();
    assert!(!s.app.quit);
    assert!(
        filtered.contains("/undo") && filtered.contains("Undo my last change"),
        "{filtered}"
    );
    assert!(!filtered.contains("Go to Partners"), "{filtered}");
    s.keys(&["esc"]);
    assert!(!s.text().contains("closes help"));
    s.keys(&["q"]);
    assert!(s.app.quit);
}

#[test]
fn tiny_terminal_says_so() {
    let mut s = Screen::new(20, 5, Lang::En);
    let text = s.text();
    assert!(text.contains("Terminal") && text.contains("small"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn pane_switching_wraps_both_ways() {
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&["backtab"]);
    assert_eq!(s.app.pane, atbalsts::tui::app::Pane::Indicators);
    s.keys(&["tab"]);
    assert_eq!(s.app.pane, atbalsts::tui::app::Pane::Partners);
}

/// The style of the first cell on screen showing `text` at the start of a run.
fn style_at(s: &Screen, needle: &str) -> Option<ratatui::style::Style> {
    let buf = s.term.backend().buffer();
    for y in 0..buf.area.height {
        let line: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol().to_string()).collect();
        if let Some(col) = line.find(needle) {
            let x = line[..col].chars().count() as u16;
            return Some(buf[(x, y)].style());
        }
    }
    None
}

#[test]
fn filter_narrows_live_highlights_and_clears() {
    use ratatui::style::Modifier;
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&["3", "/"]);
    for c in "berzins".chars() {
        s.keys(&[&c.to_string()]);
    }
    let text = s.text();
    let n = s.app.rows(atbalsts::tui::app::Pane::Participants);
    assert!(n > 0 && n < 400, "{n} rows");
    // Every listed person is a Bērziņš/Bērziņa: the search was diacritic-blind.
    let model = s.app.model();
    for id in s.app.ids(atbalsts::tui::app::Pane::Participants) {
        let p = model.participants.get(*id).expect("listed participant");
        assert!(
            atbalsts::search::fold(&p.full_name()).contains("berzin"),
            "{}",
            p.full_name()
        );
    }
    assert!(text.contains("/berzins"), "{text}");
    // The matched letters are styled (underlined), not only coloured.
    let style = style_at(&s, "Bērziņ").expect("a Bērziņ… cell");
    assert!(style.add_modifier.contains(Modifier::UNDERLINED), "{style:?}");
    insta::assert_snapshot!(text);
    // Enter keeps the filter; "q" then quits rather than typing.
    s.keys(&["enter"]);
    assert!(s.text().contains(&format!("({n} of 400)")));
    // "/" again and Esc clears the filter.
    s.keys(&["/", "esc"]);
    assert_eq!(s.app.rows(atbalsts::tui::app::Pane::Participants), 400);
}

#[test]
fn filter_fields_and_errors_on_the_filter_line() {
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&["3", "/"]);
    for c in "role:metodiķis colour:red".chars() {
        s.keys(&[&c.to_string()]);
    }
    let text = s.text();
    assert!(text.contains("✗ colour:red: unknown field"), "{text}");
    insta::assert_snapshot!(text);
    // Ctrl-W deletes the bad word; the error goes and only methodologists are listed.
    s.app
        .handle_key(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL));
    assert!(!s.text().contains('✗'));
    let model = s.app.model();
    let ids = s.app.ids(atbalsts::tui::app::Pane::Participants).to_vec();
    assert!(!ids.is_empty());
    let methodologist = |id: &u32| {
        model
            .participants
            .get(*id)
            .is_some_and(|p| p.role == atbalsts::domain::Role::Methodologist)
    };
    assert!(ids.iter().all(methodologist));
}

#[test]
fn typing_q_in_the_filter_types_a_q() {
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&["/", "q"]);
    assert!(!s.app.quit);
    assert!(s.text().contains("/q"));
}

fn type_text(s: &mut Screen, text: &str) {
    for c in text.chars() {
        s.keys(&[&c.to_string()]);
    }
}

#[test]
fn palette_runs_commands_by_name() {
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&[":"]);
    type_text(&mut s, "goto ev");
    let text = s.text();
    assert!(text.contains("goto events") && text.contains("Commands"), "{text}");
    insta::assert_snapshot!(text);
    s.keys(&["enter"]);
    assert_eq!(s.app.pane, atbalsts::tui::app::Pane::Events);
    // Esc closes without running anything.
    s.keys(&[":"]);
    type_text(&mut s, "quit");
    s.keys(&["esc"]);
    assert!(!s.app.quit);
}

#[test]
fn saved_views_round_trip_through_the_palette() {
    use atbalsts::tui::views::Views;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("views.toml");
    let mut s = Screen::new(80, 24, Lang::En);
    s.app.views = Views::load(Some(path.clone())).expect("views");
    // Saving with no filter says so.
    s.keys(&["3", ":"]);
    type_text(&mut s, "view save nothing");
    s.keys(&["enter"]);
    assert!(s.text().contains("no filter to save"), "{}", s.text());
    // Filter, save it, clear it, recall it.
    s.keys(&["/"]);
    type_text(&mut s, "role:metodiķis");
    s.keys(&["enter", ":"]);
    type_text(&mut s, "view save metodiķi");
    s.keys(&["enter"]);
    let screen = s.text();
    assert!(screen.contains("View 'metodiķi' saved."), "{screen}");
    let filtered = s.app.rows(atbalsts::tui::app::Pane::Participants);
    assert!(filtered > 0, "{screen}");
    s.keys(&["/", "esc", "1"]);
    assert_eq!(s.app.rows(atbalsts::tui::app::Pane::Participants), 400);
    // A new session reads the file; the palette finds the view by a few letters.
    let mut s2 = Screen::new(80, 24, Lang::En);
    s2.app.views = Views::load(Some(path)).expect("reload");
    s2.keys(&[":"]);
    type_text(&mut s2, "metod");
    s2.keys(&["enter"]);
    let screen = s2.text();
    assert_eq!(s2.app.pane, atbalsts::tui::app::Pane::Participants, "{screen}");
    assert_eq!(
        s2.app.rows(atbalsts::tui::app::Pane::Participants),
        filtered,
        "{screen}"
    );
    assert!(s2.text().contains("/role:metodiķis"));
}

#[test]
fn indicators_as_of_a_date_from_the_palette() {
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&["4"]);
    let today = s.text();
    assert!(today.contains("88.4%"), "{today}");
    s.keys(&[":"]);
    type_text(&mut s, "asof 2025-03-31");
    s.keys(&["enter"]);
    let then = s.text();
    assert!(then.contains("as of 2025-03-31"), "{then}");
    assert!(
        !then.contains("88.4%"),
        "fewer municipalities were covered in March 2025:\n{then}"
    );
    insta::assert_snapshot!(then);
    // A bad date says so and changes nothing.
    s.keys(&[":"]);
    type_text(&mut s, "asof 31.02.2025");
    s.keys(&["enter"]);
    assert!(s.text().contains("Not a date"), "{}", s.text());
    assert_eq!(s.app.asof, chrono::NaiveDate::from_ymd_opt(2025, 3, 31));
    // "asof" alone goes back to today.
    s.keys(&[":"]);
    type_text(&mut s, "asof");
    s.keys(&["enter"]);
    assert!(s.text().contains("88.4%"));
}
