//! The project view and a partner's documents and yearly figures in the screen, driven by
//! key events through the real keymap on the sample data: snapshots at 80x24 and 120x40 in
//! both languages; every save one change and one undo step; bad input kept and explained.

mod common;

use atbalsts::domain::{DocKind, DocStatus, Stage};
use atbalsts::i18n::Lang;
use atbalsts::tui::app::Pane;
use atbalsts::tui::layer::Layer;
use common::Screen;

/// The organisation whose short name is `short`.
fn org(s: &Screen, short: &str) -> atbalsts::domain::Organisation {
    let m = s.app.model();
    m.organisations
        .iter()
        .find(|o| o.short_name == short)
        .cloned()
        .unwrap_or_else(|| panic!("no {short} in the sample"))
}

fn top(s: &Screen) -> Option<&Layer> {
    s.app.layers().last()
}

#[test]
fn the_project_view_at_two_sizes_in_both_languages() {
    for lang in [Lang::En, Lang::Lv] {
        let mut shots = Vec::new();
        for (cols, rows) in [(80, 24), (120, 40)] {
            let mut s = Screen::new(cols, rows, lang);
            let shot = s.keys(&["P"]).text();
            assert!(matches!(top(&s), Some(Layer::Project(_))), "P opens the project view");
            let p = s.app.model().project.clone();
            assert!(
                shot.contains(p.number.as_str()),
                "the project's number is shown:\n{shot}"
            );
            shots.push(format!("{cols}x{rows}\n{shot}"));
            // At 80x24 it scrolls to the partners at the end.
            if rows == 24 {
                let end = s.keys(&["G"]).text();
                assert_ne!(end, shot, "G scrolls the view");
                shots.push(format!("{cols}x{rows}, scrolled to the end\n{end}"));
            }
            s.keys(&["esc"]);
            assert!(s.app.layers().is_empty(), "Esc closes the view");
        }
        insta::assert_snapshot!(format!("project_view_{lang:?}"), shots.join("\n"));
    }
}

#[test]
fn the_palette_opens_the_project_view_by_its_word_in_either_language() {
    for word in ["project", "projekts"] {
        let mut s = Screen::new(80, 24, Lang::Lv);
        s.keys(&[":"]).typed(word).keys(&["enter"]);
        assert!(matches!(top(&s), Some(Layer::Project(_))), "{word}");
    }
}

#[test]
fn editing_the_project_is_one_change_and_one_undo_step() {
    let mut s = Screen::new(80, 24, Lang::En);
    let before = s.app.model().project.clone();
    s.keys(&["P", "e"]);
    assert!(matches!(top(&s), Some(Layer::Editor(_))));
    // The national number of education institutions: the tenth line.
    for _ in 0..9 {
        s.keys(&["tab"]);
    }
    s.keys(&["ctrl-u"]).typed("1475");
    s.keys(&["tab"]).keys(&["ctrl-u"]).typed("VIIS, 2025/26");
    let editing = s.text();
    insta::assert_snapshot!("project_editor_En", editing);
    let changes = s.app.history.len();
    s.keys(&["ctrl-s"]);
    assert!(matches!(top(&s), Some(Layer::Project(_))), "saved and back in the view");
    assert_eq!(s.app.history.len(), changes + 1, "one change");
    let after = s.app.model().project.clone();
    let inst = after.settings.institutions.clone().expect("a count");
    assert_eq!((inst.count, inst.source.as_str()), (1475, "VIIS, 2025/26"));
    assert_eq!(after.name, before.name, "the rest is kept");
    let shown = s.keys(&["pagedown"]).text();
    assert!(
        shown.contains("1475 (VIIS, 2025/26"),
        "the view shows the new count:\n{shown}"
    );
    s.keys(&["u"]);
    assert_eq!(s.app.model().project, before, "one undo puts it all back");
}

#[test]
fn bad_project_input_is_explained_and_nothing_is_saved() {
    let mut s = Screen::new(80, 24, Lang::Lv);
    let before = s.app.model().project.clone();
    s.keys(&["P", "e", "tab", "tab", "ctrl-u"]).typed("31.02.2025");
    s.keys(&["ctrl-s"]);
    assert!(matches!(top(&s), Some(Layer::Editor(_))), "the editor stays open");
    let shot = s.text();
    assert!(shot.contains("nav datums"), "says what is wrong:\n{shot}");
    assert_eq!(s.app.model().project, before);
    // Esc asks before throwing the typing away; yes closes the editor, the view stays.
    s.keys(&["esc", "j"]);
    assert!(matches!(top(&s), Some(Layer::Project(_))));
}

#[test]
fn a_partners_documents_at_two_sizes_in_both_languages() {
    for lang in [Lang::En, Lang::Lv] {
        let mut shots = Vec::new();
        for (cols, rows) in [(80, 24), (120, 40)] {
            let mut s = Screen::new(cols, rows, lang);
            let ludza = org(&s, "Ludzas novads");
            s.app.select(Pane::Partners, ludza.id.0);
            shots.push(format!("{cols}x{rows}\n{}", s.keys(&["D"]).text()));
            assert!(matches!(top(&s), Some(Layer::Documents(_))));
            // The first document (the invitation letter) in the editor.
            shots.push(format!("{cols}x{rows}, editing\n{}", s.keys(&["down", "e"]).text()));
        }
        insta::assert_snapshot!(format!("partner_documents_{lang:?}"), shots.join("\n"));
    }
}

#[test]
fn editing_a_document_is_one_undo_step_and_moves_the_stage() {
    let mut s = Screen::new(80, 24, Lang::En);
    let ludza = org(&s, "Ludzas novads");
    assert_eq!(ludza.stage(), Stage::Decided);
    s.app.select(Pane::Partners, ludza.id.0);
    // A new document: a cooperation agreement, signed, numbered and dated.
    s.keys(&["D", "a"]);
    s.keys(&["right", "right", "right", "tab"]); // council decision -> cooperation agreement
    s.keys(&["right", "right", "right", "tab"]); // planned -> signed
    s.typed("1-2/88").keys(&["tab"]).typed("16.04.2025");
    for _ in 0..3 {
        s.keys(&["tab"]);
    }
    s.typed("VIAA, LNKC");
    let changes = s.app.history.len();
    s.keys(&["ctrl-s"]);
    assert!(matches!(top(&s), Some(Layer::Documents(_))), "saved, the list again");
    assert_eq!(s.app.history.len(), changes + 1, "one change");
    let now = org(&s, "Ludzas novads");
    let added = now.documents.last().cloned().expect("added");
    assert_eq!(
        (added.kind, added.status),
        (DocKind::CooperationAgreement, DocStatus::Signed)
    );
    assert_eq!(added.number, "1-2/88");
    assert_eq!(added.date, chrono::NaiveDate::from_ymd_opt(2025, 4, 16));
    assert_eq!(added.parties, "VIAA, LNKC");
    assert_eq!(now.stage(), Stage::Signed);
    // The Partners pane's stage filter follows.
    s.keys(&["esc", "/"]).typed("stage:signed").keys(&["enter"]);
    let listed: Vec<u32> = s.app.ids(Pane::Partners).to_vec();
    assert!(listed.contains(&ludza.id.0), "stage:signed lists Ludza now");
    // Editing the document's file reference: one change; one undo puts it back.
    s.app.select(Pane::Partners, ludza.id.0);
    s.keys(&["D", "down", "e"]);
    for _ in 0..7 {
        s.keys(&["tab"]);
    }
    s.keys(&["ctrl-u"]).typed("lēmumi/ludza-417.pdf").keys(&["ctrl-s"]);
    assert_eq!(org(&s, "Ludzas novads").documents[0].file, "lēmumi/ludza-417.pdf");
    assert_eq!(s.app.history.len(), changes + 2);
    s.keys(&["u"]);
    assert_eq!(org(&s, "Ludzas novads").documents, now.documents, "one undo step");
    s.keys(&["u"]);
    assert_eq!(org(&s, "Ludzas novads").documents, ludza.documents, "and the addition");
}

#[test]
fn years_are_added_checked_and_removed_after_a_question() {
    let mut s = Screen::new(120, 40, Lang::Lv);
    let saule = org(&s, "SAULES SKOLA");
    s.app.select(Pane::Partners, saule.id.0);
    s.keys(&["D", "G", "a"]);
    assert!(matches!(top(&s), Some(Layer::Editor(_))));
    s.keys(&["ctrl-u"]).typed("2027").keys(&["tab"]).typed("4000,00");
    s.keys(&["tab"]).typed("daudz"); // received: not an amount
    s.keys(&["ctrl-s"]);
    assert!(s.text().contains("nav summa"), "a bad amount is named");
    assert_eq!(org(&s, "SAULES SKOLA").years, saule.years, "nothing saved");
    s.keys(&["ctrl-u"]).typed("1000");
    for _ in 0..3 {
        s.keys(&["tab"]);
    }
    s.typed("31").keys(&["ctrl-s"]);
    let y = org(&s, "SAULES SKOLA")
        .years
        .into_iter()
        .find(|y| y.year == 2027)
        .expect("2027 added");
    assert_eq!(
        (y.planned_cents, y.received_cents, y.teachers),
        (Some(400_000), Some(100_000), Some(31))
    );
    // A second 2027 is refused.
    s.keys(&["G", "a", "ctrl-u"]).typed("2027").keys(&["ctrl-s"]);
    assert!(s.text().contains("šim gadam dati jau ir"));
    s.keys(&["esc", "j"]);
    // Removing it asks first; yes removes it as one change.
    s.keys(&["G", "d"]);
    assert!(matches!(top(&s), Some(Layer::Confirm(_))));
    let changes = s.app.history.len();
    s.keys(&["j"]);
    assert_eq!(s.app.history.len(), changes + 1);
    assert!(org(&s, "SAULES SKOLA").years.iter().all(|y| y.year != 2027));
}

#[test]
fn documents_need_a_partner_chosen() {
    let mut s = Screen::new(80, 24, Lang::En);
    s.keys(&["2", "D"]);
    assert!(s.app.layers().is_empty());
    assert!(s.text().contains("Partners pane"), "says where to choose one");
}
