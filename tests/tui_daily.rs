//! Daily-use traps (issue 13), driven by key events through the real keymap on the sample
//! data: the selection follows its record, the desk's line, pickers, hours, confirmations.

mod common;

use atbalsts::domain::Field;
use atbalsts::i18n::Lang;
use atbalsts::tui::app::Pane;
use common::Screen;

/// The participant whose name is `full`, if there is one.
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

#[test]
fn the_selection_follows_the_record_after_a_filter_is_cleared_or_changed() {
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&["3", "/"]).typed("zvirbulis roberts").keys(&["enter"]);
    let id = s.app.selected_id(Pane::Participants);
    assert_eq!(name_of(&s, id), "Roberts Zvirbulis");
    // Clearing the filter (Ctrl-U, Enter) keeps Roberts selected, not row 0 of everyone.
    s.keys(&["/", "ctrl-u", "enter"]);
    assert!(s.app.states[Pane::Participants.index()].view.is_none());
    assert_eq!(s.app.selected_id(Pane::Participants), id);
    assert!(s.text().contains("▶ Zvirbulis"), "{}", s.text());
    // Esc on a filter likewise.
    s.keys(&["/"]).typed("zvirbulis").keys(&["esc"]);
    assert_eq!(s.app.selected_id(Pane::Participants), id);
    // A filter that still lists him keeps him; one that doesn't starts at the top.
    s.keys(&["/"]).typed("roberts");
    assert_eq!(s.app.selected_id(Pane::Participants), id);
    s.keys(&["ctrl-u"]).typed("guna");
    assert_eq!(s.app.states[Pane::Participants.index()].selected, 0);
}

#[test]
fn the_selection_follows_a_record_that_a_save_moves_in_the_order() {
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&["3", "G"]);
    let id = s.app.selected_id(Pane::Participants);
    assert!(id.is_some());
    // Change the surname so that the record sorts first.
    s.keys(&["e", "tab", "ctrl-u"]).typed("Aaabele").keys(&["ctrl-s"]);
    assert!(s.app.form().is_none(), "saved: {}", s.text());
    assert_eq!(s.app.selected_id(Pane::Participants), id);
    assert!(s.text().contains("▶ Aaabele"), "{}", s.text());
    // `e` now edits that record, not the one that took its old row.
    s.keys(&["e"]);
    assert_eq!(s.app.form().map(|f| f.original.raw_id()), id);
    s.keys(&["esc"]);
    // Undo moves it back; the selection goes with it.
    s.keys(&["u"]);
    assert_eq!(s.app.selected_id(Pane::Participants), id);
    // A change made elsewhere (here: straight through the store, as another client's would
    // arrive) that moves the selected record keeps the selection on it.
    let mut p = s
        .app
        .model()
        .participants
        .get(id.unwrap_or_default())
        .cloned()
        .expect("person");
    p.surname = "Aaaaba".into();
    let change = s
        .app
        .backend
        .apply(atbalsts::command::Command::Update(
            atbalsts::domain::AnyRecord::Participant(p),
        ))
        .expect("apply");
    s.app.after_change(&change);
    assert_eq!(s.app.selected_id(Pane::Participants), id);
}

#[test]
fn the_selection_follows_an_event_moved_by_its_new_date() {
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&["2", "j", "j"]);
    let id = s.app.selected_id(Pane::Events);
    s.keys(&["e", "tab", "tab", "tab", "ctrl-u"])
        .typed("01.01.2025 9:00")
        .keys(&["tab", "ctrl-u"])
        .typed("14:00")
        .keys(&["ctrl-s"]);
    assert!(s.app.form().is_none(), "saved: {}", s.text());
    assert_eq!(s.app.selected_id(Pane::Events), id);
}

/// The desk of the first upcoming event (2026-11-26 in the sample), and its id.
fn desk(s: &mut Screen) -> atbalsts::domain::EventId {
    // That event is 4 days ahead: the desk asks first (tested on its own below).
    s.keys(&["2", "c", "y"]);
    s.app.desk().expect("desk open").event
}

fn attended(s: &Screen, event: atbalsts::domain::EventId) -> usize {
    let m = s.app.model();
    m.attendance_of_event(event)
        .iter()
        .filter_map(|a| m.attendance.get(a.0))
        .filter(|a| a.status == atbalsts::domain::AttendanceStatus::Attended)
        .count()
}

/// A registered person at the event who is not checked in yet.
fn registered_name(s: &Screen, event: atbalsts::domain::EventId, skip: usize) -> String {
    let m = s.app.model();
    m.attendance_of_event(event)
        .iter()
        .filter_map(|a| m.attendance.get(a.0))
        .filter(|a| a.status == atbalsts::domain::AttendanceStatus::Registered)
        .filter_map(|a| m.participants.get(a.participant.0))
        .map(|p| p.full_name())
        .nth(skip)
        .expect("a registered person")
}

#[test]
fn an_empty_or_double_enter_at_the_desk_checks_nobody_in() {
    let mut s = Screen::new(80, 24, Lang::En);
    let event = desk(&mut s);
    let before = attended(&s, event);
    s.keys(&["enter"]);
    assert_eq!(attended(&s, event), before, "empty Enter checked someone in");
    assert!(s.text().contains("Type a name first"), "{}", s.text());
    let name = registered_name(&s, event, 0);
    s.typed(&atbalsts::search::fold(&name)).keys(&["enter", "enter"]);
    assert_eq!(attended(&s, event), before + 1, "a double Enter checks in one person");
    // Choosing with the arrows and Enter still works on an empty line.
    s.keys(&["down", "up", "enter"]);
    assert_eq!(attended(&s, event), before + 2);
}

#[test]
fn after_already_in_or_no_match_the_next_name_replaces_the_line() {
    let mut s = Screen::new(80, 24, Lang::En);
    let event = desk(&mut s);
    let first = registered_name(&s, event, 0);
    let typed = atbalsts::search::fold(&first);
    s.typed(&typed).keys(&["enter"]);
    s.typed(&typed).keys(&["enter"]);
    assert!(s.text().contains("ALREADY IN"), "{}", s.text());
    // The next name replaces the old one instead of being glued onto it.
    let second = registered_name(&s, event, 0);
    s.typed(&atbalsts::search::fold(&second));
    assert_eq!(
        s.app.desk().map(|d| d.input.text().to_string()),
        Some(atbalsts::search::fold(&second))
    );
    s.keys(&["enter"]);
    assert!(s.text().contains("CHECKED IN"), "{}", s.text());
    // No match: the text stays (Ctrl-N would use it) but the next key replaces it.
    s.typed("zzqx").keys(&["enter"]);
    assert!(s.text().contains("NOT RECORDED"), "{}", s.text());
    s.typed("ab");
    assert_eq!(s.app.desk().map(|d| d.input.text().to_string()).as_deref(), Some("ab"));
}

#[test]
fn people_not_yet_checked_in_rank_above_those_already_in() {
    let mut s = Screen::new(80, 24, Lang::En);
    let event = desk(&mut s);
    // With nothing typed the list holds the registered people in name order: check in the
    // first one (chosen with the arrows); the second then ranks above them.
    let _ = event;
    let open = s.app.desk().map(|d| d.hits.clone()).unwrap_or_default();
    let (a, b) = (
        atbalsts::domain::ParticipantId(open[0]),
        atbalsts::domain::ParticipantId(open[1]),
    );
    s.keys(&["down", "up", "enter"]);
    assert!(s.text().contains("CHECKED IN"), "{}", s.text());
    let hits = s.app.desk().map(|d| d.hits.clone()).unwrap_or_default();
    let pos = |id: atbalsts::domain::ParticipantId| hits.iter().position(|h| *h == id.0).expect("listed");
    assert!(pos(b) < pos(a), "{:?} {:?}", pos(b), pos(a));
}

#[test]
fn undoing_a_walk_in_at_the_desk_removes_the_row_from_view() {
    let mut s = Screen::new(80, 24, Lang::En);
    desk(&mut s);
    s.typed("peteris jaunzems")
        .keys(&["ctrl-n"])
        .typed("cesu")
        .keys(&["enter", "ctrl-s"]);
    assert!(s.text().contains("CHECKED IN"), "{}", s.text());
    s.keys(&["ctrl-z"]);
    let text = s.text();
    assert!(text.contains("UNDONE"), "{text}");
    let rows = text.lines().filter(|l| l.contains("Peteris Jaunzems")).count();
    // Only the notice names him; no row is left in the list.
    assert_eq!(rows, 1, "{text}");
    // The desk's next Ctrl-Z takes back the person it added, too.
    s.keys(&["ctrl-z"]);
    assert!(person(&s, "Peteris Jaunzems").is_none(), "{}", s.text());
}

/// Opens a new event form and types title, start and end (Tab between fields).
fn new_event(s: &mut Screen, start: &str, end: &str) {
    s.keys(&["2", "a"]).typed("Datumu tests").keys(&["tab", "tab", "tab"]);
    s.typed(start).keys(&["tab"]).typed(end).keys(&["tab"]);
}

#[test]
fn event_hours_follow_the_times_and_cannot_exceed_a_one_day_event() {
    let mut s = Screen::new(80, 24, Lang::En);
    new_event(&mut s, "02.12.2026 10:00", "12:00");
    // 10:00–12:00 is two whole academic hours (of 45 minutes), not the default 4.
    let hours = s
        .app
        .form()
        .and_then(|f| f.field(Field::Hours))
        .map(|f| f.input.text().to_string());
    assert_eq!(hours.as_deref(), Some("2"));
    // Typed hours are kept when the times change afterwards...
    s.keys(&["ctrl-u"]).typed("40").keys(&["ctrl-s"]);
    let text = s.text();
    assert!(s.app.form().is_some(), "40 hours in a 2-hour event were saved");
    assert!(text.contains("more than the event lasts"), "{text}");
    let before = s.app.model().count(atbalsts::domain::Table::Event);
    s.keys(&["ctrl-u"]).typed("2,5").keys(&["ctrl-s"]);
    assert!(s.app.form().is_none(), "{}", s.text());
    assert_eq!(s.app.model().count(atbalsts::domain::Table::Event), before + 1);
}

#[test]
fn event_hours_follow_the_times_in_latvian_too() {
    let mut s = Screen::new(80, 24, Lang::Lv);
    new_event(&mut s, "rīt 9:00", "15:00");
    let hours = s
        .app
        .form()
        .and_then(|f| f.field(Field::Hours))
        .map(|f| f.input.text().to_string());
    assert_eq!(hours.as_deref(), Some("8"));
}

#[test]
fn pickers_know_short_names_and_acronyms() {
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&["3", "a"])
        .typed("Jānis")
        .keys(&["tab"])
        .typed("Testiņš")
        .keys(&["tab"]);
    let text = s.typed("viaa").text();
    let first = text.lines().find(|l| l.contains('▶') && l.contains("aģentūra"));
    assert!(first.is_some(), "VIAA is offered first:\n{text}");
    // Typed and saved without picking from the list: the exact short name is taken.
    s.keys(&["ctrl-u"]).typed("cesu vg").keys(&["ctrl-s"]);
    let text = s.text();
    assert!(s.app.form().is_none(), "{text}");
    let m = s.app.model();
    let p = m
        .participants
        .iter()
        .find(|p| p.full_name() == "Jānis Testiņš")
        .expect("saved");
    let org = p
        .institution
        .and_then(|o| m.organisations.get(o.0))
        .map(|o| o.short_name.to_string());
    assert_eq!(org.as_deref(), Some("Cēsu VĢ"));
}

#[test]
fn the_desk_warns_before_checking_in_at_an_event_not_today_or_cancelled() {
    let mut s = Screen::new(120, 40, Lang::En);
    // The sample's first upcoming event is on 2026-11-26; today is 2026-11-22.
    s.keys(&["2", "c"]);
    assert!(
        s.app.desk().is_none() && s.app.confirm().is_some(),
        "asks first: {}",
        s.text()
    );
    assert!(
        s.text().contains("not today") && s.text().contains("anyway?"),
        "{}",
        s.text()
    );
    s.keys(&["n"]);
    assert!(s.app.desk().is_none());
    s.keys(&["c", "y"]);
    let event = s.app.desk().expect("desk open").event;
    let text = s.text();
    assert!(text.contains("⚠ not today"), "{text}");
    let before = attended(&s, event);
    let name = registered_name(&s, event, 0);
    s.typed(&atbalsts::search::fold(&name)).keys(&["enter"]);
    assert_eq!(attended(&s, event), before + 1);
    // A cancelled event says so.
    s.keys(&["esc", "esc"]);
    let cancelled = {
        let m = s.app.model();
        m.events
            .iter()
            .find(|e| e.status == atbalsts::domain::EventStatus::Cancelled)
            .map(|e| e.id.0)
    };
    if let Some(id) = cancelled {
        s.app.select(Pane::Events, id);
        s.keys(&["c"]);
        assert!(s.text().contains("cancelled"), "{}", s.text());
        s.keys(&["y"]);
        assert!(s.text().contains("⚠ CANCELLED"), "{}", s.text());
    }
}

#[test]
fn enter_does_not_answer_yes_to_a_destructive_question() {
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&["3"]);
    let id = s.app.selected_id(Pane::Participants);
    // d, then a habitual Enter: the question stays, nothing is deleted or erased.
    s.keys(&["d", "enter"]);
    assert!(s.app.confirm().is_some(), "{}", s.text());
    assert!(s.app.model().participants.get(id.unwrap_or_default()).is_some());
    s.keys(&["n"]);
    assert!(s.app.confirm().is_none());
    // The Latvian question shows j for jā.
    let mut s = Screen::new(80, 24, Lang::Lv);
    s.keys(&["3", "d"]);
    assert!(s.text().contains("j jā"), "{}", s.text());
}

/// The design names crossterm as a direct dependency: it must be the very crate ratatui
/// re-exports (a different version would be a different type here and not compile).
#[test]
fn crossterm_is_the_one_ratatui_re_exports_and_no_stray_files() {
    let k: ratatui::crossterm::event::KeyEvent =
        crossterm::event::KeyEvent::new(crossterm::event::KeyCode::Enter, crossterm::event::KeyModifiers::NONE);
    assert_eq!(k.code, ratatui::crossterm::event::KeyCode::Enter);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(
        !root.join("stats").exists(),
        "a stray file `stats` at the repository root"
    );
}

#[test]
fn the_detail_takes_the_whole_screen_and_scrolls_at_80x24() {
    let mut s = Screen::new(80, 24, Lang::En);
    // The participant with the most events.
    let id = {
        let m = s.app.model();
        m.participants
            .iter()
            .max_by_key(|p| m.attendance_of_person(p.id).len())
            .map(|p| p.id.0)
            .expect("someone")
    };
    s.keys(&["3"]);
    s.app.select(Pane::Participants, id);
    let panel = s.text();
    let events = s
        .app
        .model()
        .attendance_of_person(atbalsts::domain::ParticipantId(id))
        .len();
    assert!(events > 3, "{events}");
    // In the small panel "… and N more" never stands alone.
    if panel.contains("more") {
        let more = panel.lines().position(|l| l.contains("… and")).expect("the more line");
        let before = panel.lines().nth(more - 1).unwrap_or_default();
        assert!(
            !before.contains("Events ("),
            "no event listed before '… and N more':\n{panel}"
        );
    }
    s.keys(&["v"]);
    let zoomed = s.text();
    assert!(zoomed.contains("Events (") && !zoomed.contains("… and"), "{zoomed}");
    let listed = zoomed.lines().filter(|l| l.contains(" h") || l.contains("20")).count();
    assert!(listed >= 3, "{zoomed}");
    // It scrolls to the end and back; Esc returns to the list.
    s.keys(&["G"]);
    assert!(s.app.zoom().is_some_and(|z| z > 0) || s.app.detail_lines() <= 20);
    s.keys(&["g", "esc"]);
    assert!(s.app.zoom().is_none());
    assert!(s.text().contains("Participants ("), "{}", s.text());
    // Every pane's detail can be opened this way (an event's attendance, a partner's
    // institutions).
    for pane in ["1", "2", "4"] {
        s.keys(&[pane, "v"]);
        assert!(s.app.zoom().is_some(), "pane {pane}");
        s.keys(&["v"]);
        assert!(s.app.zoom().is_none());
    }
}

#[test]
fn the_attendance_list_moves_like_the_lists_says_what_was_undone_and_draws_its_last_row() {
    let mut s = Screen::new(80, 24, Lang::En);
    // The event with the most rows.
    let event = {
        let m = s.app.model();
        m.events
            .iter()
            .max_by_key(|e| m.attendance_of_event(e.id).len())
            .map(|e| e.id.0)
            .expect("an event")
    };
    s.keys(&["2"]);
    s.app.select(Pane::Events, event);
    s.keys(&["r", "G"]);
    let r = s.app.roster().expect("the list");
    let n = r.rows.len();
    assert!(n > 18, "{n}");
    assert_eq!(r.selected, n - 1, "G goes to the last row");
    let text = s.text();
    assert!(
        text.lines().any(|l| l.starts_with("▶")),
        "the last row is drawn:\n{text}"
    );
    s.keys(&["g"]);
    assert_eq!(s.app.roster().map(|r| r.selected), Some(0));
    s.keys(&["ctrl-d"]);
    assert!(s.app.roster().is_some_and(|r| r.selected > 0));
    // At 80x24 the list fills every row between the legend and the status line.
    let text = s.text();
    let blank = text.lines().filter(|l| l.trim().is_empty()).count();
    assert!(blank <= 1, "{text}");
    // Undo says what it undid.
    s.keys(&["x", "u"]);
    assert!(s.text().contains("Undone"), "{}", s.text());
    // An event nobody registered for says how to add.
    s.keys(&["esc", "a"])
        .typed("Tukšs")
        .keys(&["tab", "tab", "tab"])
        .typed("22.11.2026 10:00")
        .keys(&["tab"])
        .typed("12:00")
        .keys(&["ctrl-s"]);
    assert!(s.app.form().is_none(), "{}", s.text());
    s.keys(&["r"]);
    assert!(s.text().contains("Nobody registered yet"), "{}", s.text());
}

#[test]
fn saved_views_can_be_renamed_and_deleted() {
    use atbalsts::tui::views::Views;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("views.toml");
    let mut s = Screen::new(80, 24, Lang::En);
    s.app.views = Views::load(Some(path.clone())).expect("views");
    s.keys(&["3", "/"])
        .typed("role:metodiķis")
        .keys(&["enter", ":"])
        .typed("view save cēsu skolotāji")
        .keys(&["enter"]);
    assert!(s.app.views.views.contains_key("cēsu skolotāji"));
    s.keys(&[":"])
        .typed("view rename cēsu skolotāji = metodiķi")
        .keys(&["enter"]);
    assert!(s.text().contains("Renamed the view"), "{}", s.text());
    assert!(s.app.views.views.contains_key("metodiķi") && !s.app.views.views.contains_key("cēsu skolotāji"));
    s.keys(&[":"]).typed("view delete nav tāda").keys(&["enter"]);
    assert!(s.text().contains("No saved view 'nav tāda'"), "{}", s.text());
    s.keys(&[":"]).typed("view delete metodiķi").keys(&["enter"]);
    assert!(s.text().contains("Deleted the view 'metodiķi'"), "{}", s.text());
    assert!(s.app.layers().is_empty(), "nothing left open over the panes");
    // The file agrees.
    let again = Views::load(Some(path)).expect("reload");
    assert!(again.views.is_empty(), "{:?}", again.views.keys().collect::<Vec<_>>());
}

/// Surnames in the order the Participants pane lists them.
fn surnames_in_order(s: &Screen) -> Vec<String> {
    let m = s.app.backend.model();
    m.orders
        .get(atbalsts::domain::Table::Participant)
        .iter()
        .filter_map(|id| m.participants.get(*id))
        .map(|p| p.surname.to_string())
        .collect()
}

/// Where the first surname that starts with `letter` stands, and the last.
fn span(names: &[String], letter: char) -> (usize, usize) {
    let at: Vec<usize> = names
        .iter()
        .enumerate()
        .filter(|(_, n)| n.starts_with(letter))
        .map(|(i, _)| i)
        .collect();
    (
        at.first().copied().unwrap_or(usize::MAX),
        at.last().copied().unwrap_or(0),
    )
}

#[test]
fn lists_sort_in_latvian_order_s_before_s_caron_and_a_with_a_macron() {
    let s = Screen::new(120, 40, Lang::Lv);
    let names = surnames_in_order(&s);
    // Every Š, Ķ, Ļ, Ž, Č surname after every S, K, L, Z, C one (and before T, L, M...).
    for (plain, own, next) in [
        ('S', 'Š', 'T'),
        ('K', 'Ķ', 'L'),
        ('L', 'Ļ', 'M'),
        ('C', 'Č', 'D'),
        ('Z', 'Ž', '~'),
    ] {
        let (_, last_plain) = span(&names, plain);
        let (first_own, last_own) = span(&names, own);
        let (first_next, _) = span(&names, next);
        if first_own == usize::MAX {
            continue;
        }
        assert!(last_plain < first_own, "{plain} before {own}: {names:?}");
        assert!(next == '~' || last_own < first_next, "{own} before {next}: {names:?}");
    }
    assert!(names.iter().any(|n| n.starts_with('Š')), "the sample has Š names");
    // Ā sorts among A: some A name comes after the first Ā name.
    let (first_a_macron, _) = span(&names, 'Ā');
    let (_, last_a) = span(&names, 'A');
    assert!(first_a_macron < last_a, "{names:?}");
    // The CLI's list of participants is in the same order.
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db");
    let bin = env!("CARGO_BIN_EXE_atbalsts");
    let run = |args: &[&str]| {
        std::process::Command::new(bin)
            .arg("--db")
            .arg(&db)
            .args(args)
            .env_remove("ATBALSTS_CONFIG")
            .env("HOME", dir.path())
            .env("ATBALSTS_NO_SERVER", "1")
            .output()
            .expect("run")
    };
    assert!(run(&["init", "--sample"]).status.success());
    let out = run(&["list", "participants", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let listed: Vec<String> = rows
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["surname"].as_str().map(str::to_string))
        .collect();
    assert_eq!(listed.len(), names.len());
    let (_, last_s) = span(&listed, 'S');
    let (first_sh, _) = span(&listed, 'Š');
    assert!(last_s < first_sh, "{listed:?}");
}

#[test]
fn the_latvian_screen_agrees_numbers_and_writes_a_decimal_comma() {
    let mut s = Screen::new(120, 40, Lang::Lv);
    // Indicators: shares with a decimal comma, days with their number's form.
    s.keys(&["4"]);
    let text = s.text();
    assert!(text.contains("88,4%"), "{text}");
    assert!(!text.contains("88.4"), "{text}");
    let days = text
        .lines()
        .find(|l| l.contains("pēc termiņa") || l.contains("vēl "))
        .unwrap_or_else(|| panic!("a deadline line:\n{text}"));
    assert!(!days.contains("atlikušas") && !days.contains("pagājušas"), "{days}");
    // Events: the detail says "4 stundas", "1 stunda", never "4 stund".
    s.keys(&["2"]);
    let text = s.text();
    assert!(text.contains(" St. "), "the column is St.: {text}");
    assert!(
        text.contains(" stundas") || text.contains(" stunda") || text.contains(" stundu"),
        "{text}"
    );
    assert!(!text.contains("stund\n") && !text.contains("Stund "), "{text}");
    // Participants: hours credited per event as "st.".
    s.keys(&["3"]);
    let text = s.text();
    assert!(text.contains(" st."), "{text}");
    assert!(!text.contains(" h\n"), "{text}");
    // An event's hours with a fraction show a decimal comma in the table and the detail.
    s.keys(&["2", "a"])
        .typed("Pusstundas seminārs")
        .keys(&["tab", "tab", "tab"])
        .typed("22.11.2026 10:00")
        .keys(&["tab"])
        .typed("12:00")
        .keys(&["tab", "ctrl-u"])
        .typed("1,5")
        .keys(&["ctrl-s"]);
    assert!(s.app.form().is_none(), "{}", s.text());
    let text = s.text();
    assert!(text.contains("1,5 stundas"), "{text}");
    assert!(!text.contains("1.5"), "{text}");
}

fn form_error(s: &Screen, code: Field) -> Option<String> {
    s.app.form()?.field(code)?.error.clone()
}

#[test]
fn a_form_shows_every_problem_at_once() {
    let mut s = Screen::new(120, 40, Lang::En);
    // An end before the start, two bad target groups and bad places, in one save.
    new_event(&mut s, "22.11.2026 10:00", "9:30");
    s.keys(&["tab", "tab", "tab", "tab"])
        .typed("foo, teacher, bar")
        .keys(&["tab"])
        .typed("many");
    s.keys(&["ctrl-s"]);
    assert!(s.app.form().is_some(), "not saved");
    let end = form_error(&s, Field::End).unwrap_or_default();
    assert!(end.contains("before the start"), "{end:?}\n{}", s.text());
    let groups = form_error(&s, Field::TargetGroups).unwrap_or_default();
    assert!(groups.contains("'foo'") && groups.contains("'bar'"), "{groups:?}");
    assert!(form_error(&s, Field::Capacity).is_some());
    s.keys(&["esc", "y"]);
    // An organisation's bad email in the first round, with a bad date and bad funding.
    let mut s = Screen::new(120, 40, Lang::En);
    s.keys(&["1", "a"]).typed("Testa skola");
    s.keys(&["tab", "tab", "tab", "tab", "tab", "tab", "tab", "tab"])
        .typed("not-an-email");
    s.keys(&["tab", "tab"])
        .typed("32.13.2025")
        .keys(&["tab", "tab"])
        .typed("lots");
    s.keys(&["ctrl-s"]);
    assert!(s.app.form().is_some(), "not saved");
    let email = form_error(&s, Field::Email).unwrap_or_default();
    assert!(email.contains("email"), "{email:?}\n{}", s.text());
    assert!(form_error(&s, Field::AgreementDate).is_some());
    assert!(form_error(&s, Field::YearlyFundingEur).is_some());
}

// --- daily3: refused deletes, the attendance list's search, details, columns, history

/// The organisation whose name is `name`.
fn org(s: &Screen, name: &str) -> u32 {
    let m = s.app.model();
    m.organisations
        .iter()
        .find(|o| o.name.as_str() == name)
        .map(|o| o.id.0)
        .expect("organisation")
}

#[test]
fn a_refused_delete_is_refused_before_the_question_and_names_what_holds_it() {
    let mut s = Screen::new(120, 40, Lang::En);
    // An organisation that organises events: no question, a message naming the events.
    let (id, events) = {
        let m = s.app.model();
        let o = m
            .organisations
            .iter()
            .find(|o| m.children_of(o.id).is_empty() && !m.events_of(o.id).is_empty())
            .expect("an organiser with no member institutions");
        let titles: Vec<String> = m
            .events_of(o.id)
            .iter()
            .filter_map(|e| m.events.get(e.0))
            .map(|e| e.title.to_string())
            .collect();
        (o.id.0, titles)
    };
    s.keys(&["1"]);
    s.app.select(Pane::Partners, id);
    s.keys(&["d"]);
    assert!(s.app.confirm().is_none(), "no question first: {}", s.text());
    let msg = s.app.message.clone().unwrap_or_default();
    assert!(msg.contains("organiser of these events"), "{msg}");
    assert!(msg.contains(&events[0]), "names an event by its title: {msg}");
    assert!(!msg.contains(&format!(" {id}:")), "no ids: {msg}");
    // A municipality with member institutions: named by their names.
    let cesis = org(&s, "Cēsu novada pašvaldība");
    s.app.select(Pane::Partners, cesis);
    s.keys(&["d"]);
    assert!(s.app.confirm().is_none());
    let msg = s.app.message.clone().unwrap_or_default();
    assert!(msg.starts_with("Cēsu novada pašvaldība cannot be deleted"), "{msg}");
    let child = {
        let m = s.app.model();
        m.organisations
            .get(m.children_of(atbalsts::domain::OrgId(cesis))[0].0)
            .map(|o| o.name.to_string())
    };
    assert!(msg.contains(&child.expect("a member")), "{msg}");
    assert!(s.app.model().organisations.get(cesis).is_some());
}

#[test]
fn an_event_is_deleted_with_its_registrations_in_one_confirmed_undoable_step() {
    let mut s = Screen::new(80, 24, Lang::En);
    let (event, rows) = {
        let m = s.app.model();
        let e = m
            .events
            .iter()
            .find(|e| m.attendance_of_event(e.id).len() > 3)
            .expect("an event with rows");
        (e.id, m.attendance_of_event(e.id).len())
    };
    let before = s.app.model().attendance.len();
    s.keys(&["2"]);
    s.app.select(Pane::Events, event.0);
    s.keys(&["d"]);
    let q = s.app.confirm().map(|c| c.question.clone()).unwrap_or_default();
    assert!(q.contains(&format!("attendance rows ({rows})")), "{q}");
    // Enter is not yes for it.
    s.keys(&["enter"]);
    assert!(s.app.model().events.get(event.0).is_some());
    s.keys(&["y"]);
    assert!(s.app.model().events.get(event.0).is_none(), "{}", s.text());
    assert_eq!(s.app.model().attendance.len(), before - rows);
    assert!(
        s.text().contains(&format!("and {rows} attendance rows")),
        "{}",
        s.text()
    );
    // One undo brings back the event and every row.
    s.keys(&["u"]);
    assert!(s.app.model().events.get(event.0).is_some());
    assert_eq!(s.app.model().attendance_of_event(event).len(), rows);
    assert_eq!(s.app.model().attendance.len(), before);
}

/// The event with the most attendance rows, opened in its attendance list.
fn biggest_roster(s: &mut Screen) -> atbalsts::domain::EventId {
    let event = {
        let m = s.app.model();
        m.events
            .iter()
            .max_by_key(|e| m.attendance_of_event(e.id).len())
            .map(|e| e.id)
            .expect("an event")
    };
    s.keys(&["2"]);
    s.app.select(Pane::Events, event.0);
    s.keys(&["r"]);
    event
}

#[test]
fn the_attendance_list_searches_with_slash_and_esc_clears() {
    let mut s = Screen::new(80, 24, Lang::En);
    let event = biggest_roster(&mut s);
    let all = s.app.roster().map(|r| r.rows.len()).unwrap_or_default();
    // Someone on the list, typed without diacritics.
    let (surname, folded) = {
        let m = s.app.model();
        let last = m
            .attendance_of_event(event)
            .last()
            .and_then(|a| m.attendance.get(a.0))
            .expect("row");
        let p = m.participants.get(last.participant.0).expect("person");
        (p.surname.to_string(), atbalsts::search::fold(&p.surname))
    };
    let absent = |s: &Screen| {
        let m = s.app.model();
        m.attendance_of_event(event)
            .iter()
            .filter(|a| {
                m.attendance
                    .get(a.0)
                    .is_some_and(|a| a.status == atbalsts::domain::AttendanceStatus::Absent)
            })
            .count()
    };
    let absent_before = absent(&s);
    // Letters that are keys of the list (n marks absent, x excused) go into the search.
    s.keys(&["/"]).typed(&folded);
    let r = s.app.roster().expect("the list");
    assert!(r.rows.len() < all && !r.rows.is_empty(), "{} of {all}", r.rows.len());
    assert_eq!(absent(&s), absent_before, "typing marked nobody");
    let text = s.text();
    assert!(text.contains(&surname), "{text}");
    assert!(text.contains(&format!("of {all}")), "{text}");
    // Enter keeps the search and gives the keys back to the list: Space ticks the match.
    s.keys(&["enter"]);
    assert_eq!(s.app.context(), atbalsts::tui::keymap::Context::Attendance);
    let chosen = s.app.roster().and_then(|r| r.chosen()).expect("a row");
    let status = |s: &Screen| s.app.model().attendance.get(chosen.0).map(|a| a.status);
    let was = status(&s);
    s.keys(&["space"]);
    assert_ne!(status(&s), was, "Space ticked the row found");
    // Esc clears the search (the list is whole again), a second Esc leaves the list.
    s.keys(&["esc"]);
    assert_eq!(s.app.roster().map(|r| r.rows.len()), Some(all));
    s.keys(&["/"]).typed("zzzqqq");
    assert!(
        s.text().contains("Nobody on this list matches 'zzzqqq'"),
        "{}",
        s.text()
    );
    s.keys(&["esc"]);
    assert_eq!(s.app.roster().map(|r| (r.rows.len(), r.searching)), Some((all, false)));
    s.keys(&["esc"]);
    assert!(s.app.roster().is_none());
}

#[test]
fn details_show_gender_and_notes_names_given_first_and_events_newest_first() {
    let mut s = Screen::new(120, 40, Lang::En);
    // A participant with a gender and notes, as a form would have entered them.
    let id = person(&s, "Roberts Zvirbulis").expect("sample person");
    let mut p = s.app.model().participants.get(id).cloned().expect("person");
    p.gender = Some(atbalsts::domain::Gender::Male);
    p.notes = "Prefers morning sessions".into();
    let change = s
        .app
        .backend
        .apply(atbalsts::command::Command::Update(
            atbalsts::domain::AnyRecord::Participant(p),
        ))
        .expect("apply");
    s.app.after_change(&change);
    s.keys(&["3"]);
    s.app.select(Pane::Participants, id);
    let text = s.text();
    assert!(text.contains("Gender: male"), "{text}");
    assert!(text.contains("Notes: Prefers morning sessions"), "{text}");
    // An event's notes, and its people given name first.
    let (event, notes, attendee) = {
        let m = s.app.model();
        let e = m
            .events
            .iter()
            .find(|e| !e.notes.is_empty() && !m.attendance_of_event(e.id).is_empty())
            .expect("an event with notes and people");
        let a = m.attendance.get(m.attendance_of_event(e.id)[0].0).expect("row");
        let p = m.participants.get(a.participant.0).expect("person");
        (e.id.0, e.notes.to_string(), p.full_name())
    };
    s.keys(&["2"]);
    s.app.select(Pane::Events, event);
    s.keys(&["v"]);
    let text = s.text();
    let first_words: String = notes.chars().take(30).collect();
    assert!(text.contains(&format!("Notes: {first_words}")), "{text}");
    assert!(text.contains(&format!(" {attendee} · ")), "given name first: {text}");
    s.keys(&["esc"]);
    // A partner's events newest first, as a participant's are.
    let partner = {
        let m = s.app.model();
        m.organisations
            .iter()
            .filter(|o| m.children_of(o.id).is_empty())
            .max_by_key(|o| m.events_of(o.id).len())
            .map(|o| o.id.0)
            .expect("an organiser")
    };
    s.keys(&["1"]);
    s.app.select(Pane::Partners, partner);
    s.keys(&["v"]);
    let text = s.text();
    let dates: Vec<String> = text
        .lines()
        .filter_map(|l| {
            let l = l.trim_start_matches(['│', ' ']);
            let d = l.get(..10)?;
            (d.len() == 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-').then(|| d.to_string())
        })
        .collect();
    assert!(dates.len() >= 2, "{text}");
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "newest first:\n{text}");
}

#[test]
fn short_columns_get_their_width_and_indicator_titles_stay_distinguishable() {
    // At 80x24 in Latvian the five "Izstrādāti metodiskā atbalsta materiāli …" titles show
    // what tells them apart.
    let mut s = Screen::new(80, 24, Lang::Lv);
    let text = s.keys(&["4"]).text();
    for word in ["dabaszinātņu", "matemātikas", "fizikas", "latviešu", "vēstures"] {
        assert!(text.contains(word), "{word}:\n{text}");
    }
    insta::assert_snapshot!("indicators_80x24_lv", text);
    // At 120x40 the kinds, roles, formats, municipalities and statuses are whole.
    let mut s = Screen::new(120, 40, Lang::En);
    for (key, pane) in [
        ("1", Pane::Partners),
        ("2", Pane::Events),
        ("3", Pane::Participants),
        ("4", Pane::Indicators),
    ] {
        let text = s.keys(&[key]).text();
        let fixed: &[usize] = match pane {
            Pane::Partners => &[1, 2],
            Pane::Events => &[2, 4],
            Pane::Participants => &[3],
            Pane::Indicators => &[5],
        };
        // The rows on screen (the Events pane opens at the next event, not at the top).
        let offset = s.app.states[pane.index()].offset;
        let ids: Vec<u32> = s.app.ids(pane).iter().skip(offset).take(10).copied().collect();
        for id in ids {
            let cells = atbalsts::tui::panes::cells(s.app.model(), pane, id, s.app.today(), &s.app.outcomes);
            for i in fixed {
                let cell = &cells[*i];
                if cell.chars().count() <= 30 {
                    assert!(
                        text.contains(cell.as_str()),
                        "{pane:?} column {i}: '{cell}' cut:\n{text}"
                    );
                }
            }
        }
        insta::assert_snapshot!(format!("columns_120x40_{key}"), text);
    }
}

#[test]
fn history_tells_undos_from_actions_and_shows_a_setting_old_to_new() {
    let mut s = Screen::new(120, 40, Lang::En);
    let mut project = s.app.model().project.clone();
    let old = project.settings.seminar_hours_cap;
    assert_eq!(old, Some(atbalsts::domain::Hours(120)));
    project.settings.seminar_hours_cap = Some(atbalsts::domain::Hours(80));
    let change = s
        .app
        .backend
        .apply(atbalsts::command::Command::SetProject(project))
        .expect("set");
    s.app.after_change(&change);
    // An action and its undo.
    s.keys(&["3", "e", "tab", "ctrl-u"])
        .typed("Aaabele")
        .keys(&["ctrl-s", "u"]);
    s.keys(&[":"]).typed("history").keys(&["enter"]);
    let text = s.text();
    assert!(text.contains("undid: changed participant"), "{text}");
    assert!(text.contains("  changed participant"), "the action itself: {text}");
    assert!(
        text.contains("Seminar and conference hours cap (3 years): 12 → 8"),
        "{text}"
    );
    assert!(text.contains("Esc closes the history"), "{text}");
    // A search with no hits says so (not "nothing has changed yet").
    s.typed("zzzz");
    assert!(s.text().contains("No change matches 'zzzz'"), "{}", s.text());
}

#[test]
fn deleting_an_indicator_says_that_its_values_go_with_it() {
    let mut s = Screen::new(80, 24, Lang::En);
    let (id, n) = {
        let m = s.app.model();
        let i = m
            .indicators
            .iter()
            .find(|i| !i.values.is_empty())
            .expect("manual values");
        (i.id.0, i.values.len())
    };
    s.keys(&["4"]);
    s.app.select(Pane::Indicators, id);
    s.keys(&["d"]);
    let q = s.app.confirm().map(|c| c.question.clone()).unwrap_or_default();
    assert!(q.contains(&format!("values entered by hand ({n})")), "{q}");
    s.keys(&["n"]);
    assert!(s.app.model().indicators.get(id).is_some());
}

#[test]
fn opening_the_filter_line_keeps_every_row_listed_until_something_is_typed() {
    let mut s = Screen::new(80, 24, Lang::Lv);
    let all = s.keys(&["1"]).app.rows(Pane::Partners);
    s.keys(&["/"]);
    assert_eq!(s.app.rows(Pane::Partners), all);
    assert!(!s.text().contains("Filtram nekas neatbilst"), "{}", s.text());
}
