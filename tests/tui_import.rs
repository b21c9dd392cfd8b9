//! `:import` and `:duplicates` in the screen, driven by key events through the real keymap
//! on the sample data, with fixture files written here in a temporary directory: the path,
//! the preview's counts and rejected rows, errors shown in the layer, a confirmed import as
//! one change that `u` undoes whole; the duplicates view, a merge and its undo. Snapshots at
//! 80x24 and 120x40 in both languages.

mod common;

use atbalsts::command::Command;
use atbalsts::domain::{AnyRecord, Attendance, AttendanceStatus, EventId, ParticipantId};
use atbalsts::i18n::Lang;
use atbalsts::io::import::Reason;
use atbalsts::io::import::columns::Field;
use atbalsts::tui::app::Pane;
use atbalsts::tui::import::Stage;
use atbalsts::tui::keymap::Context;
use atbalsts::tui::layer::{Layer, Origin};
use common::Screen;
use std::path::{Path, PathBuf};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// The rows of the fixture list and what each is.
struct Fixture {
    dir: tempfile::TempDir,
    /// Someone already in the database, found by email.
    known: (u32, String),
}

impl Fixture {
    /// A registration list as a web form exports it (`;`, Latvian headers, UTF-8 with BOM):
    /// two new people, one person already in the database (email in other case), a bad
    /// email, a row without a surname, a school no organisation matches, and eight more
    /// rows without surnames.
    fn new(s: &Screen) -> Fixture {
        let m = s.app.model();
        let p = m
            .participants
            .iter()
            .find(|p| !p.email.is_empty() && p.institution.is_some())
            .expect("a sample person with email and institution");
        let school = |id: u32| m.organisations.get(id).map(|o| o.name.to_string()).unwrap_or_default();
        let inst = school(p.institution.map(|o| o.0).unwrap_or_default());
        let csv = format!(
            "\u{feff}Laikspiedols;Vārds;Uzvārds;E-pasta adrese;Izglītības iestāde;Amats\n\
             2026-11-01 10:00;Ieva;Kalniņa;ieva.kalnina@example.com;{inst};skolotāja\n\
             2026-11-01 10:05;{};{};{};{inst};skolotāja\n\
             2026-11-01 10:07;Oskars;Liepiņš;oskars(at)example.com;{inst};skolotājs\n\
             2026-11-01 10:09;Marta;;marta@example.com;{inst};skolotāja\n\
             2026-11-01 10:12;Jurģis;Ozoliņš;jurgis@example.com;Neesošā pamatskola;direktors\n\
             2026-11-01 10:15;Elza;Zariņa;elza.zarina@example.com;{inst};metodiķe\n",
            p.given_name,
            p.surname,
            p.email.to_uppercase(),
        );
        // Rows 8 to 15: given names without surnames (enough for the preview to scroll).
        let csv = (1..=8).fold(csv, |acc, i| {
            format!("{acc}2026-11-01 11:0{i};Anna{i};;anna{i}@example.com;{inst};skolotāja\n")
        });
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("saraksts.csv"), csv).expect("write");
        Fixture {
            dir,
            known: (p.id.0, p.full_name()),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// The screen's text with the temporary directory named `<tmp>`.
fn shown(s: &mut Screen, dir: &Path) -> String {
    s.text().replace(&dir.display().to_string(), "<tmp>")
}

/// Waits (ticking the screen as its event loop does) until the import is no longer reading
/// or planning.
fn settle(s: &mut Screen) {
    for _ in 0..500 {
        s.app.tick();
        if s.app.import().is_some_and(|im| im.busy()) {
            std::thread::sleep(std::time::Duration::from_millis(5));
        } else {
            return;
        }
    }
    panic!("the import did not finish");
}

/// Opens `:import` (by its word in the screen's language) and types the path.
fn open_import(s: &mut Screen, lang: Lang, path: &Path) {
    let word = if lang == Lang::Lv { "imports" } else { "import" };
    s.keys(&[":"]).typed(word).keys(&["enter"]);
    assert!(matches!(s.app.import().map(|im| &im.stage), Some(Stage::Path { .. })));
    s.typed(&path.display().to_string());
}

fn counts(s: &Screen, event: EventId) -> (usize, usize, usize) {
    let m = s.app.model();
    (
        m.participants.len(),
        m.attendance_of_event(event).len(),
        m.organisations.len(),
    )
}

/// The first event in the Events pane, selected there.
fn select_an_event(s: &mut Screen) -> EventId {
    s.keys(&["2"]);
    let id = s.app.selected_id(Pane::Events).expect("an event");
    EventId(id)
}

#[test]
fn an_import_is_previewed_then_applied_as_one_change_that_u_undoes() {
    for lang in [Lang::En, Lang::Lv] {
        for (cols, rows) in SIZES {
            let mut s = Screen::new(cols, rows, lang);
            let fx = Fixture::new(&s);
            let event = select_an_event(&mut s);
            let before = counts(&s, event);
            open_import(&mut s, lang, &fx.path("saraksts.csv"));
            let mut shots = vec![shown(&mut s, fx.dir.path())];
            s.keys(&["enter"]);
            settle(&mut s);
            let plan = s.app.import().and_then(|im| im.plan()).expect("a preview");
            let r = &plan.report;
            assert_eq!((r.rows, r.new_people, r.matched_people), (14, 2, 1), "{r:?}");
            assert_eq!(r.new_registrations + r.already_registered, 3);
            let why: Vec<(usize, Reason)> = r.rejected.iter().map(|x| (x.row, x.reason)).collect();
            assert_eq!(why.len(), 11);
            assert!(why[3..].iter().all(|(_, w)| *w == Reason::MissingName));
            assert_eq!(
                why[..3],
                [
                    (4, Reason::BadEmail),
                    (5, Reason::MissingName),
                    (6, Reason::UnknownInstitution)
                ]
            );
            assert_eq!(r.unknown_institutions.len(), 1);
            assert_eq!(counts(&s, event), before, "a preview writes nothing");
            shots.push(s.text());
            // The rejected rows scroll into view at the small size.
            s.keys(&["G"]);
            shots.push(s.text());
            // Enter asks; Enter again does not answer it.
            s.keys(&["enter"]);
            assert!(matches!(s.app.layers().last(), Some(Layer::Confirm(_))));
            shots.push(s.text());
            s.keys(&["enter"]);
            assert_eq!(counts(&s, event), before, "Enter alone does not import");
            let yes = if lang == Lang::Lv { "j" } else { "y" };
            s.keys(&[yes]);
            assert!(s.app.import().is_none(), "the import closes once done");
            let after = counts(&s, event);
            assert_eq!(after.0, before.0 + 2, "two new people");
            assert_eq!(after.1, before.1 + r_new(&s, before, event), "their registrations");
            let known = s.app.model().participants.get(fx.known.0).expect("known person");
            assert_eq!(known.full_name(), fx.known.1, "the matched person is not a twin");
            assert!(
                s.app
                    .model()
                    .attendance_pair(event, ParticipantId(fx.known.0))
                    .is_some(),
                "the matched person is registered"
            );
            shots.push(s.text());
            s.keys(&["u"]);
            assert_eq!(counts(&s, event), before, "u undoes the whole import");
            shots.push(s.text());
            let name = format!("import_{lang:?}_{cols}x{rows}");
            insta::assert_snapshot!(name, shots.join("\n"));
        }
    }
}

/// Registrations the import made (attendance rows of the event now, less before).
fn r_new(s: &Screen, before: (usize, usize, usize), event: EventId) -> usize {
    s.app.model().attendance_of_event(event).len() - before.1
}

#[test]
fn unknown_institutions_can_be_created_from_the_preview() {
    let mut s = Screen::new(80, 24, Lang::En);
    let fx = Fixture::new(&s);
    s.keys(&["3"]);
    let orgs = s.app.model().organisations.len();
    open_import(&mut s, Lang::En, &fx.path("saraksts.csv"));
    s.keys(&["enter"]);
    settle(&mut s);
    assert_eq!(s.app.context(), Context::Review);
    s.keys(&["a"]);
    settle(&mut s);
    let r = &s.app.import().and_then(|im| im.plan()).expect("preview").report;
    assert_eq!(r.new_institutions, vec!["Neesošā pamatskola".to_string()]);
    assert_eq!((r.new_people, r.new_registrations), (3, 0), "no event: people only");
    assert_eq!(r.rejected.len(), 10);
    s.keys(&["enter", "y"]);
    assert_eq!(s.app.model().organisations.len(), orgs + 1);
    assert!(s.text().contains("new institutions: 1"), "{}", s.text());
    s.keys(&["u"]);
    assert_eq!(s.app.model().organisations.len(), orgs);
}

#[test]
fn an_xlsx_list_is_previewed_and_imported() {
    let mut s = Screen::new(80, 24, Lang::Lv);
    let fx = Fixture::new(&s);
    let file = fx.path("saraksts.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows = [
        ["Vārds, uzvārds", "E-pasts", "Amats"],
        ["Līga Bērziņa", "liga.berzina@example.com", "skolotāja"],
        ["Ādams Ēriks Ūdris", "adams@example.com", "logopēds"],
        ["Kārlis Vītols", "nav-epasta", "skolotājs"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *v).expect("cell");
        }
    }
    book.save(&file).expect("xlsx");
    s.keys(&["3"]);
    let people = s.app.model().participants.len();
    open_import(&mut s, Lang::Lv, &file);
    s.keys(&["enter"]);
    settle(&mut s);
    let r = &s.app.import().and_then(|im| im.plan()).expect("preview").report;
    assert_eq!((r.format, r.new_people, r.rejected.len()), ("xlsx", 2, 1), "{r:?}");
    let text = s.text();
    assert!(text.contains("Jauni dalībnieki: 2"), "{text}");
    assert!(text.contains("4. rinda: nav e-pasta adrese: nav-epasta"), "{text}");
    s.keys(&["enter", "j"]);
    assert_eq!(s.app.model().participants.len(), people + 2);
    assert!(
        s.app
            .model()
            .participants
            .iter()
            .any(|p| p.full_name() == "Ādams Ēriks Ūdris"),
        "letters intact"
    );
}

#[test]
fn files_that_cannot_be_imported_are_told_in_the_layer_and_the_path_is_kept() {
    for lang in [Lang::En, Lang::Lv] {
        let mut s = Screen::new(80, 24, lang);
        let fx = Fixture::new(&s);
        std::fs::write(fx.path("tukss.csv"), "").expect("write");
        std::fs::write(
            fx.path("attels.png"),
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01",
        )
        .expect("write");
        let people = s.app.model().participants.len();
        let mut shots = Vec::new();
        for name in ["nav-tada.csv", "tukss.csv", "attels.png"] {
            open_import(&mut s, lang, &fx.path(name));
            s.keys(&["enter"]);
            settle(&mut s);
            let im = s.app.import().expect("still open");
            assert!(
                matches!(&im.stage, Stage::Path { error: Some(_) }),
                "{name}: {:?}",
                im.stage
            );
            assert_eq!(im.path.text(), fx.path(name).display().to_string(), "the path is kept");
            shots.push(shown(&mut s, fx.dir.path()));
            s.keys(&["esc"]);
            assert!(s.app.layers().is_empty());
        }
        assert_eq!(s.app.model().participants.len(), people, "nothing written");
        insta::assert_snapshot!(format!("import_errors_{lang:?}"), shots.join("\n"));
    }
}

#[test]
fn tab_completes_the_path_in_the_screen() {
    let mut s = Screen::new(80, 24, Lang::En);
    let fx = Fixture::new(&s);
    open_import(&mut s, Lang::En, &fx.dir.path().join("sar"));
    s.keys(&["tab"]);
    let im = s.app.import().expect("open");
    assert_eq!(im.path.text(), fx.path("saraksts.csv").display().to_string());
    assert_eq!(im.context(), Context::Form);
}

/// Makes a second record of a sample person who attended something (same name and
/// institution, the email in other case, a row at another event), as a second
/// registration form would; returns (original, copy).
fn make_duplicate(s: &mut Screen) -> (u32, u32) {
    let m = s.app.model();
    let (orig, event) = m
        .participants
        .iter()
        .filter(|p| p.institution.is_some() && !p.email.is_empty())
        .find_map(|p| {
            let mine = m.attendance_of_person(p.id);
            let other = m.events.iter().find(|e| {
                !mine
                    .iter()
                    .any(|a| m.attendance.get(a.0).is_some_and(|a| a.event == e.id))
            })?;
            Some((p.clone(), other.id))
        })
        .expect("a person and an event they have no row for");
    let mut copy = orig.clone();
    copy.id = ParticipantId::new_in_batch(0);
    copy.email = orig.email.to_uppercase();
    copy.phone = Default::default();
    let row = Attendance::new(event, copy.id, AttendanceStatus::Attended);
    s.app
        .apply(
            Command::Batch(vec![
                Command::Create(AnyRecord::Participant(copy)),
                Command::Create(AnyRecord::Attendance(row)),
            ]),
            Origin::Screen,
        )
        .expect("the copy");
    let copy_id = s.app.model().participants.iter().map(|p| p.id.0).max().expect("people");
    (orig.id.0, copy_id)
}

#[test]
fn duplicates_are_listed_merged_as_one_change_and_undone() {
    for lang in [Lang::En, Lang::Lv] {
        for (cols, rows) in SIZES {
            let mut s = Screen::new(cols, rows, lang);
            let (orig, copy) = make_duplicate(&mut s);
            let rows_before = s.app.model().attendance_of_person(ParticipantId(orig)).len();
            let word = if lang == Lang::Lv { "dublikāti" } else { "duplicates" };
            s.keys(&[":"]).typed(word).keys(&["enter"]);
            let d = s.app.dups().expect("the duplicates view");
            let at = d
                .pairs
                .iter()
                .position(|p| (p.a, p.b) == (orig, copy))
                .expect("the pair is listed");
            for _ in 0..at {
                s.keys(&["down"]);
            }
            // The one with more attendance stays; Tab swaps and swaps back.
            let chosen = s.app.dups().and_then(|d| d.chosen()).cloned().expect("chosen");
            assert_eq!(chosen.keep_other(), (orig, copy));
            s.keys(&["tab"]);
            let swapped = s.app.dups().and_then(|d| d.chosen()).map(|p| p.keep_other());
            assert_eq!(swapped, Some((copy, orig)));
            s.keys(&["tab"]);
            let mut shots = vec![s.text()];
            s.keys(&["enter"]);
            assert!(matches!(s.app.layers().last(), Some(Layer::Confirm(_))));
            shots.push(s.text());
            let yes = if lang == Lang::Lv { "j" } else { "y" };
            s.keys(&[yes]);
            let m = s.app.model();
            assert!(m.participants.get(copy).is_none(), "the copy is gone");
            assert_eq!(
                m.attendance_of_person(ParticipantId(orig)).len(),
                rows_before + 1,
                "its row moved to the one who stays"
            );
            let d = s.app.dups().expect("still open");
            assert!(!d.pairs.iter().any(|p| p.b == copy), "the list updated");
            shots.push(s.text());
            s.keys(&["u"]);
            let m = s.app.model();
            assert!(m.participants.get(copy).is_some(), "u brings the copy back");
            assert_eq!(m.attendance_of_person(ParticipantId(orig)).len(), rows_before);
            assert!(
                s.app
                    .dups()
                    .is_some_and(|d| d.pairs.iter().any(|p| (p.a, p.b) == (orig, copy)))
            );
            // s skips the pair for as long as the view is open.
            let n = s.app.dups().map(|d| d.pairs.len()).unwrap_or(0);
            s.keys(&["s"]);
            assert_eq!(s.app.dups().map(|d| d.pairs.len()), Some(n - 1));
            s.keys(&["esc"]);
            assert!(s.app.layers().is_empty());
            insta::assert_snapshot!(format!("duplicates_{lang:?}_{cols}x{rows}"), shots.join("\n"));
        }
    }
}

/// A letters-only word for row `i` ("ba", "bb"…), so that generated names are valid.
fn word(mut i: usize) -> String {
    let mut w = String::new();
    loop {
        w.push((b'a' + (i % 20) as u8) as char);
        i /= 20;
        if i == 0 {
            break;
        }
    }
    format!("B{w}")
}

/// A registration list of `n` new people (UTF-8, `;`).
fn big_list(dir: &Path, n: usize) -> PathBuf {
    let mut csv = String::from("Vārds;Uzvārds;E-pasts\n");
    for i in 0..n {
        csv.push_str(&format!("{};{};rinda{i}@example.com\n", word(i), word(i + 7)));
    }
    let file = dir.join("liels.csv");
    std::fs::write(&file, csv).expect("write");
    file
}

/// The screen's text with the bar's moving parts steadied: every number as `N`, the bar's
/// cells all empty (the share done differs from run to run).
fn steady(text: &str) -> String {
    let mut out = String::new();
    let mut in_number = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !in_number {
                out.push('N');
            }
            in_number = true;
            continue;
        }
        in_number = false;
        out.push(if c == '█' { '░' } else { c });
    }
    out
}

#[test]
fn a_big_list_shows_a_moving_bar_while_the_screen_stays_responsive_then_the_preview() {
    for lang in [Lang::En, Lang::Lv] {
        let mut s = Screen::new(80, 24, lang);
        let fx = Fixture::new(&s);
        let file = big_list(fx.dir.path(), 20_000);
        s.keys(&["3"]);
        let people = s.app.model().participants.len();
        let selected = s.app.selected_id(Pane::Participants);
        open_import(&mut s, lang, &file);
        s.keys(&["enter"]);
        assert!(s.app.busy(), "the file is read in the background");
        // Ticking as the event loop does, until the rows are being matched.
        let mut bar = None;
        let mut counts = Vec::new();
        for _ in 0..20_000 {
            s.app.tick();
            let Some(p) = s.app.import().and_then(|im| im.progress()) else {
                break;
            };
            if p.step == Some(atbalsts::io::progress::Step::Planning) {
                counts.push(p.done);
                if bar.is_none() {
                    assert_eq!(p.total, Some(20_000), "{p:?}");
                    bar = Some(s.text());
                    // Keys meanwhile go nowhere: not to the list under the layer, and not
                    // kept for the preview (Enter must not confirm what was not seen).
                    s.keys(&["j", "enter"]);
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let bar = bar.expect("the bar was shown while the rows were matched");
        let pc = if lang == Lang::Lv {
            "Salīdzina rindas"
        } else {
            "Matching rows"
        };
        assert!(bar.contains(pc) && bar.contains('%') && bar.contains("20000"), "{bar}");
        assert!(
            counts.windows(2).all(|w| w[0] <= w[1]),
            "the count only grows: {counts:?}"
        );
        settle(&mut s);
        let r = &s.app.import().and_then(|im| im.plan()).expect("a preview").report;
        assert_eq!((r.rows, r.new_people, r.rejected.len()), (20_000, 20_000, 0));
        assert_eq!(s.app.model().participants.len(), people, "a preview writes nothing");
        assert!(
            matches!(s.app.layers().last(), Some(Layer::Import(_))),
            "no question asked"
        );
        assert_eq!(s.app.import().map(|im| im.scroll), Some(0));
        assert_eq!(s.app.selected_id(Pane::Participants), selected, "the list did not move");
        let preview = shown(&mut s, fx.dir.path());
        insta::assert_snapshot!(
            format!("import_progress_{lang:?}_80x24"),
            format!(
                "{}\n{preview}",
                steady(&bar.replace(&fx.dir.path().display().to_string(), "<tmp>"))
            )
        );
    }
}

#[test]
fn esc_while_the_file_is_read_abandons_it_and_writes_nothing() {
    let mut s = Screen::new(80, 24, Lang::En);
    let fx = Fixture::new(&s);
    let file = big_list(fx.dir.path(), 20_000);
    let event = select_an_event(&mut s);
    let before = counts(&s, event);
    open_import(&mut s, Lang::En, &file);
    s.keys(&["enter"]);
    assert!(s.app.busy());
    s.keys(&["esc"]);
    assert!(!s.app.busy(), "Esc stops waiting at once");
    let im = s.app.import().expect("the layer stays, at the path");
    assert!(matches!(im.stage, Stage::Path { error: None }), "{:?}", im.stage);
    assert_eq!(im.path.text(), file.display().to_string());
    // Whatever the abandoned job still does, its result never arrives.
    for _ in 0..50 {
        s.app.tick();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(s.app.import().and_then(|im| im.plan()).is_none());
    assert_eq!(counts(&s, event), before, "nothing written");
    assert!(s.text().contains("File (CSV or Excel):"), "{}", s.text());
}

/// Esc while a long list is being matched stops the job mid-stage: its thread sees the
/// cancel between rows and ends at once, without matching the rest.
#[test]
fn esc_while_matching_stops_the_job_mid_stage() {
    use atbalsts::io::progress::Step;
    use atbalsts::tui::progress::Ended;
    let mut s = Screen::new(80, 24, Lang::En);
    let fx = Fixture::new(&s);
    let file = big_list(fx.dir.path(), 200_000);
    let event = select_an_event(&mut s);
    let before = counts(&s, event);
    open_import(&mut s, Lang::En, &file);
    s.keys(&["enter"]);
    // Until matching has begun (the file is read).
    let mut matching = false;
    for _ in 0..2000 {
        s.app.tick();
        let shown = s.app.import().and_then(|im| im.progress());
        if shown.is_some_and(|p| p.step == Some(Step::Planning) && p.done > 0) {
            matching = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(matching, "matching began: {}", s.text());
    let watch = s.app.import().and_then(|im| im.watch()).expect("a job");
    s.keys(&["esc"]);
    let esc = std::time::Instant::now();
    assert!(!s.app.busy(), "Esc stops waiting at once");
    let ended = (0..2000).find_map(|_| {
        std::thread::sleep(std::time::Duration::from_millis(5));
        watch.ended()
    });
    let took = esc.elapsed();
    assert_eq!(ended, Some(Ended::Cancelled), "the job stopped mid-stage ({took:?})");
    eprintln!("the abandoned job ended {took:?} after Esc");
    for _ in 0..10 {
        s.app.tick();
    }
    assert!(s.app.import().and_then(|im| im.plan()).is_none());
    assert_eq!(counts(&s, event), before, "nothing written");
}

#[test]
fn e_reads_the_file_again_in_another_encoding_and_fixes_its_letters() {
    let mut s = Screen::new(80, 24, Lang::En);
    let fx = Fixture::new(&s);
    let text = "Name;Email;School\r\n\
                Anna Liepa;anna@example.com;Rīgas Ēkas pamatskola\r\n\
                Juris Kalns;juris@example.com;Rīgas Ēkas pamatskola\r\n";
    let (bytes, _, bad) = encoding_rs::WINDOWS_1257.encode(text);
    assert!(!bad);
    let file = fx.path("baltic.csv");
    std::fs::write(&file, &bytes).expect("write");
    s.keys(&["3"]);
    open_import(&mut s, Lang::En, &file);
    s.keys(&["enter"]);
    settle(&mut s);
    let school = "Rīgas Ēkas pamatskola (2)";
    assert!(s.text().contains(school), "detected: {}", s.text());
    s.keys(&["e"]);
    settle(&mut s);
    // Not UTF-8: an error naming the row (issue #22), never U+FFFD; the preview stays as
    // it was and the next `e` tries the next encoding.
    let im = s.app.import().expect("open");
    assert_eq!(im.options.encoding, Some("utf-8"));
    let r = &im.plan().expect("preview").report;
    assert_eq!(r.encoding, Some("windows-1257"), "{r:?}");
    let said = s.app.message.clone().unwrap_or_default();
    assert!(
        said.starts_with("baltic.csv: row 2 has bytes that are not UTF-8"),
        "{said}"
    );
    let wrong = s.text();
    assert!(!wrong.contains('\u{FFFD}'), "{wrong}");
    assert!(wrong.contains("encoding: utf-8"), "the options line says it: {wrong}");
    s.keys(&["e"]);
    settle(&mut s);
    let r = &s.app.import().and_then(|im| im.plan()).expect("preview").report;
    assert_eq!(r.encoding, Some("windows-1257"));
    assert!(s.text().contains(school), "fixed: {}", s.text());
    // Windows-1252 gives other letters; then back to detecting.
    s.keys(&["e"]);
    settle(&mut s);
    assert!(!s.text().contains(school), "{}", s.text());
    s.keys(&["e"]);
    settle(&mut s);
    assert_eq!(s.app.import().map(|im| im.options.encoding), Some(None));
    assert!(s.text().contains(school) && s.text().contains("encoding: automatic"));
}

#[test]
fn m_maps_an_unknown_column_to_a_field_and_it_counts() {
    for lang in [Lang::En, Lang::Lv] {
        let mut s = Screen::new(80, 24, lang);
        let fx = Fixture::new(&s);
        let file = fx.path("kur.csv");
        std::fs::write(
            &file,
            "Vārds, uzvārds;E-pasts;Kur strādājat\n\
             Anna Liepa;anna@example.com;Neesošā pamatskola\n\
             Juris Kalns;juris@example.com;Neesošā pamatskola\n",
        )
        .expect("write");
        s.keys(&["3"]);
        let people = s.app.model().participants.len();
        open_import(&mut s, lang, &file);
        s.keys(&["enter"]);
        settle(&mut s);
        let r = &s.app.import().and_then(|im| im.plan()).expect("preview").report;
        assert_eq!(r.columns[2].field, None, "not a known header");
        assert_eq!((r.new_people, r.rejected.len()), (2, 0));
        let mut shots = vec![shown(&mut s, fx.dir.path())];
        // m: the columns; the third; Enter: the fields; the institution (6th); Enter.
        s.keys(&["m", "j", "j"]);
        shots.push(shown(&mut s, fx.dir.path()));
        s.keys(&["enter", "g", "j", "j", "j", "j", "j"]);
        shots.push(shown(&mut s, fx.dir.path()));
        s.keys(&["enter"]);
        settle(&mut s);
        let im = s.app.import().expect("open");
        assert_eq!(im.options.map, vec![("Kur strādājat".to_string(), Field::Institution)]);
        let r = &im.plan().expect("preview").report;
        assert_eq!(r.columns[2].field, Some("institution"));
        assert_eq!(r.unknown_institutions.len(), 1);
        assert_eq!((r.new_people, r.rejected.len()), (0, 2), "the column now counts");
        shots.push(shown(&mut s, fx.dir.path()));
        // Esc in a pick list goes back a step, not out of the preview.
        s.keys(&["m", "enter", "esc"]);
        assert!(s.text().contains(if lang == Lang::Lv {
            "Kura kolonna?"
        } else {
            "Which column?"
        }));
        s.keys(&["esc"]);
        assert!(s.app.import().and_then(|im| im.plan()).is_some());
        assert_eq!(s.app.model().participants.len(), people, "nothing written");
        insta::assert_snapshot!(format!("import_map_{lang:?}_80x24"), shots.join("\n"));
    }
}

#[test]
fn shift_s_chooses_another_sheet_of_a_workbook() {
    let mut s = Screen::new(80, 24, Lang::En);
    let fx = Fixture::new(&s);
    let file = fx.path("divas.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, rows) in [
        (
            "Pirmā",
            vec![["Vārds, uzvārds", "E-pasts"], ["Līga Bērziņa", "liga@example.com"]],
        ),
        (
            "Otrā",
            vec![
                ["Vārds, uzvārds", "E-pasts"],
                ["Ādams Ūdris", "adams@example.com"],
                ["Kārlis Vītols", "karlis@example.com"],
            ],
        ),
    ] {
        let sheet = book.add_worksheet();
        sheet.set_name(name).expect("name");
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *v).expect("cell");
            }
        }
    }
    book.save(&file).expect("xlsx");
    s.keys(&["3"]);
    open_import(&mut s, Lang::En, &file);
    s.keys(&["enter"]);
    settle(&mut s);
    let r = &s.app.import().and_then(|im| im.plan()).expect("preview").report;
    assert_eq!((r.sheet.as_deref(), r.new_people), (Some("Pirmā"), 1));
    s.keys(&["S"]);
    assert!(
        s.text().contains("Which sheet?") && s.text().contains("Otrā"),
        "{}",
        s.text()
    );
    s.keys(&["j", "enter"]);
    settle(&mut s);
    let r = &s.app.import().and_then(|im| im.plan()).expect("preview").report;
    assert_eq!((r.sheet.as_deref(), r.new_people), (Some("Otrā"), 2));
    assert!(s.text().contains("sheet: Otrā"), "{}", s.text());
}
