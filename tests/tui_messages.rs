//! Messages read whole at 80x24 (issue 24, items 4, 6, 7, 12): a long status message wraps
//! over up to three lines and says that `!` shows it all; `!` lists the last messages with
//! their time, newest first, and who else is on; a form's errors wrap under their field;
//! help finds every command, says when nothing matches, clears its filter with Ctrl-U and
//! cuts no description; `:export` says the whole path and its errors in the screen's
//! language; the screen starts on the pane last used. Driven by key events through the real
//! keymap, drawn on a TestBackend.

mod common;

use atbalsts::command::Command;
use atbalsts::domain::{AnyRecord, Field};
use atbalsts::i18n::{Lang, M};
use atbalsts::tui::app::Pane;
use atbalsts::tui::keymap::Context;
use atbalsts::tui::last_pane::LastPane;
use common::Screen;

fn tr(lang: Lang, m: M) -> &'static str {
    m.tr(lang)
}

/// The text inside the box that spans the screen's width (help at 80 columns, the messages,
/// the history): each row without its borders, the rows joined by spaces, runs of spaces
/// made one, so that wrapped text reads as written.
fn inside_box(text: &str) -> String {
    let rows: Vec<&str> = text.lines().collect();
    let inner: Vec<&str> = rows
        .iter()
        .skip(2)
        .take(rows.len().saturating_sub(4))
        .map(|l| l.trim_start_matches('│').trim_end().trim_end_matches('│'))
        .collect();
    one_spaced(&inner.join(" "))
}

fn one_spaced(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The rows of the status message over the key hints (those starting with " ▶ " and the
/// lines under it).
fn status_rows(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let hints = lines.len().saturating_sub(1);
    match lines[..hints].iter().rposition(|l| l.starts_with(" ▶ ")) {
        Some(first) => lines[first..hints].iter().map(|l| l.to_string()).collect(),
        None => Vec::new(),
    }
}

/// The refusal to delete an organiser of events: a message several lines long at 80
/// columns (the organiser chosen is one whose message takes four to ten lines).
fn long_refusal(s: &mut Screen) -> String {
    s.keys(&["1"]);
    let orgs: Vec<u32> = s.app.model().organisations.iter().map(|o| o.id.0).collect();
    for id in orgs {
        s.app.select(Pane::Partners, id);
        s.keys(&["d"]);
        if s.app.confirm().is_some() {
            s.keys(&["esc"]);
            continue;
        }
        let msg = s.app.message.clone().unwrap_or_default();
        if (4 * 80..10 * 78).contains(&msg.chars().count()) {
            return msg;
        }
    }
    panic!("no organiser with a message of four to ten lines");
}

#[test]
fn a_long_message_takes_three_lines_and_bang_shows_it_whole_with_its_time() {
    for lang in [Lang::En, Lang::Lv] {
        let mut s = Screen::new(80, 24, lang);
        let msg = long_refusal(&mut s);
        let text = s.text();
        let rows = status_rows(&text);
        assert_eq!(rows.len(), 3, "{text}");
        let more = atbalsts::i18n::f(M::MessagesMore, &[&"!"]);
        assert!(rows[2].trim_end().ends_with(&format!("… {more}")), "{text}");
        // `!` lists it whole, with the time it was said.
        s.keys(&["!"]);
        let view = s.text();
        let inside = inside_box(&view);
        assert!(inside.contains(&format!("10:00 {}", one_spaced(&msg))), "{msg}\n{view}");
        insta::assert_snapshot!(format!("messages_{lang:?}"), view);
        // Esc closes it; the message was cleared by the key, the panes are back.
        s.keys(&["esc"]);
        assert!(s.app.layers().is_empty());
        assert!(!s.text().contains(tr(lang, M::MessagesTitle)));
    }
}

#[test]
fn the_messages_are_listed_newest_first_and_typing_searches_them() {
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&["u"]);
    let nothing = s.app.message.clone().expect("nothing to undo");
    long_refusal(&mut s);
    s.keys(&["esc", "!"]);
    let inside = inside_box(&s.text());
    let (refusal, undo) = (
        inside.find("cannot be deleted").expect("the refusal"),
        inside.find(&nothing).expect("the undo's message"),
    );
    assert!(refusal < undo, "newest first: {inside}");
    s.typed("undo");
    let inside = inside_box(&s.text());
    assert!(
        inside.contains(&nothing) && !inside.contains("cannot be deleted"),
        "{inside}"
    );
    s.typed("xyz");
    assert!(s.text().contains("No message matches 'undoxyz'"), "{}", s.text());
    s.keys(&["ctrl-u"]);
    assert!(inside_box(&s.text()).contains("cannot be deleted"));
}

#[test]
fn the_status_bar_names_colleagues_whole_and_bang_lists_them_all() {
    for lang in [Lang::En, Lang::Lv] {
        let (mut s, team) = Screen::with_fake(80, 24, lang);
        // Two colleagues fit beside the counts; six take a line of their own.
        team.peers(&["koordinators", "ilze", "janis"]);
        s.poll();
        let text = s.text();
        let lines: Vec<&str> = text.lines().collect();
        let here = |names: &str| atbalsts::i18n::f(M::ServerPeers, &[&names]);
        assert!(lines[22].contains(&here("ilze, janis")), "{text}");
        let others = [
            "ilze.kalnina",
            "janis.berzins",
            "peteris.ozols",
            "anna.liepa",
            "marta.grinberga",
            "dace.vitola",
        ];
        let mut attached = vec!["koordinators"];
        attached.extend(others);
        team.peers(&attached);
        s.poll();
        let text = s.text();
        let lines: Vec<&str> = text.lines().collect();
        let (counts, status) = (lines[21], lines[22]);
        assert!(counts.contains(" · ") && !counts.contains(&here("")), "{text}");
        assert!(status.starts_with(&format!(" {}", here("ilze.kalnina"))), "{text}");
        // Every name is there whole, or counted; the line says where the rest is.
        let shown = others.iter().filter(|n| status.contains(**n)).count();
        assert!(shown >= 2 && shown < others.len(), "{status}");
        assert!(status.contains(&format!("+{}", others.len() - shown)), "{status}");
        let more = atbalsts::i18n::f(M::MessagesMore, &[&"!"]);
        assert!(status.trim_end().ends_with(&more), "{status}");
        insta::assert_snapshot!(format!("peers_many_{lang:?}"), format!("{counts}\n{status}"));
        s.keys(&["!"]);
        let inside = inside_box(&s.text());
        assert!(inside.starts_with(&here(&others.join(", "))), "{inside}");
        assert!(inside.contains("koordinators") && inside.contains("demo"), "{inside}");
    }
}

#[test]
fn a_form_error_wraps_under_its_field_and_is_kept_with_the_messages() {
    for lang in [Lang::En, Lang::Lv] {
        let mut s = Screen::new(80, 24, lang);
        s.keys(&["2", "a"]).typed("Kļūdu tests").keys(&["tab", "tab", "tab"]);
        s.typed("22.11.2026 10:00").keys(&["tab"]).typed("12:00").keys(&["tab"]);
        s.keys(&["tab", "tab", "tab", "tab"]).typed("foo, bar, baz");
        s.keys(&["ctrl-s"]);
        let error = s
            .app
            .form()
            .and_then(|f| f.field(Field::TargetGroups))
            .and_then(|f| f.error.clone())
            .expect("the target groups are refused");
        assert!(error.chars().count() > 60, "a long error: {error}");
        let text = s.text();
        let drawn: Vec<String> = text
            .lines()
            .map(|l| {
                l.trim_start_matches('│')
                    .trim_end()
                    .trim_end_matches('│')
                    .trim()
                    .to_string()
            })
            .collect();
        let first = drawn
            .iter()
            .position(|l| l.starts_with("✗ "))
            .expect("the error under the field");
        let mut read = drawn[first].clone();
        for l in &drawn[first + 1..] {
            if read.chars().count() >= error.chars().count() + 2 {
                break;
            }
            read = format!("{read} {l}");
        }
        assert_eq!(one_spaced(&read), one_spaced(&format!("✗ {error}")), "{text}");
        // Out of the form, `!` has it with the field's name.
        let yes = if lang == Lang::Lv { "j" } else { "y" };
        s.keys(&["esc", yes, "!"]);
        let inside = inside_box(&s.text());
        let label = atbalsts::i18n::Label::label(Field::TargetGroups);
        assert!(inside.contains(&one_spaced(&format!("{label}: {error}"))), "{inside}");
    }
}

#[test]
fn a_conflict_refused_in_a_form_is_kept_with_the_messages() {
    let (mut s, team) = Screen::with_fake(80, 24, Lang::Lv);
    s.keys(&["3"]);
    let id = s.app.selected_id(Pane::Participants).expect("a person");
    s.keys(&["e", "tab", "tab", "tab", "tab", "ctrl-u"])
        .typed("jauns@example.com");
    let mut theirs = s.app.model().participants.get(id).expect("the person").clone();
    theirs.phone = "+371 26000000".into();
    team.other("ilze", Command::Update(AnyRecord::Participant(theirs)))
        .expect("ilze edits");
    s.keys(&["ctrl-s"]);
    let said = s.app.form().and_then(|f| f.message.clone()).expect("refused");
    s.keys(&["esc", "j", "!"]);
    let inside = inside_box(&s.text());
    assert!(inside.contains(&one_spaced(&said)), "{said}\n{inside}");
}

#[test]
fn help_finds_every_command_says_when_nothing_matches_and_ctrl_u_clears() {
    for lang in [Lang::En, Lang::Lv] {
        let mut s = Screen::new(80, 24, lang);
        s.keys(&["?"]);
        // Export, history, import and the messages, by their words in either language.
        for (typed, found) in [
            ("eksp", M::CmdExport),
            ("export", M::CmdExport),
            ("vesture", M::CmdHistory),
            ("history", M::CmdHistory),
            ("import", M::CmdImport),
            ("zinojumi", M::CmdMessages),
        ] {
            s.keys(&["ctrl-u"]).typed(typed);
            let inside = inside_box(&s.text());
            assert!(inside.contains(&format!(":{}", tr(lang, found))), "{typed}: {inside}");
        }
        // Every command of the palette, by its name.
        let km = atbalsts::tui::keymap::Keymap::default_keymap();
        let views = atbalsts::tui::views::Views::default();
        for (_, e) in atbalsts::tui::palette::commands(&km, &views) {
            s.keys(&["ctrl-u"]).typed(&e.label);
            let inside = inside_box(&s.text());
            assert!(inside.contains(&format!(":{}", e.label)), "{}: {inside}", e.label);
        }
        // Ctrl-U clears what was typed: the whole help again.
        s.keys(&["ctrl-u"]);
        let title = s.text().lines().nth(1).unwrap_or_default().to_string();
        assert!(title.contains(tr(lang, M::HelpFilter)), "{title}");
        // Nothing matches: said.
        s.typed("zzqx");
        let said = atbalsts::i18n::f(M::HelpNoMatch, &[&"zzqx", &"Backspace", &"Ctrl-u"]);
        assert!(inside_box(&s.text()).contains(&one_spaced(&said)), "{}", s.text());
    }
}

#[test]
fn help_descriptions_are_whole_at_80_columns() {
    for lang in [Lang::En, Lang::Lv] {
        let mut s = Screen::new(80, 24, lang);
        s.keys(&["?"]);
        // Page through the help, reading every line.
        let mut read = String::new();
        let mut last = None;
        while last != Some(s.text()) {
            let text = s.text();
            read.push(' ');
            read.push_str(&inside_box(&text));
            last = Some(text);
            s.keys(&["pagedown"]);
        }
        let km = &s.app.keymap;
        for ctx in Context::ALL {
            for (key, action) in km.bindings(ctx) {
                let desc = one_spaced(atbalsts::tui::actions::describe(*action));
                assert!(
                    read.contains(&format!("{key} {desc}")),
                    "{ctx:?} {key}: {desc} is not whole in:\n{read}"
                );
            }
        }
    }
}

#[test]
fn export_says_the_whole_path_and_its_errors_in_the_screens_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nav-tadas-mapes");
    let mut s = Screen::new(80, 24, Lang::Lv);
    s.keys(&["3", ":"])
        .typed(&format!("eksports {}/saraksts.csv", missing.display()))
        .keys(&["enter"]);
    s.settle();
    let msg = s.newest_message();
    assert!(msg.contains(&format!("nav mapes {}", missing.display())), "{msg}");
    assert!(!msg.contains("no directory"), "{msg}");
    // A file named without its directory is said with it.
    let name = format!("target/eksports-{}.csv", std::process::id());
    s.keys(&[":"]).typed(&format!("eksports {name}")).keys(&["enter"]);
    s.settle();
    let whole = std::env::current_dir().expect("cwd").join(&name);
    let msg = s.newest_message();
    let _ = std::fs::remove_file(&whole);
    assert!(msg.ends_with(&whole.display().to_string()), "{msg}");
}

#[test]
fn the_screen_starts_on_the_pane_its_account_last_used_on_that_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("state/panes.toml");
    let db = dir.path().join("db");
    let mut s = Screen::new(80, 24, Lang::En);
    s.app.remember_panes(LastPane::new(file.clone(), "koordinators", &db));
    assert_eq!(s.app.pane, Pane::Partners);
    s.keys(&["3"]);
    let mut again = Screen::new(80, 24, Lang::En);
    again
        .app
        .remember_panes(LastPane::new(file.clone(), "koordinators", &db));
    assert_eq!(again.app.pane, Pane::Participants);
    assert!(
        again
            .text()
            .lines()
            .next()
            .is_some_and(|l| l.contains("[ 3 Participants]"))
    );
    // Another account, or another database, starts as before.
    let mut other = Screen::new(80, 24, Lang::En);
    other.app.remember_panes(LastPane::new(file.clone(), "ilze", &db));
    assert_eq!(other.app.pane, Pane::Partners);
    other
        .app
        .remember_panes(LastPane::new(file, "koordinators", &dir.path().join("cits")));
    assert_eq!(other.app.pane, Pane::Partners);
}
