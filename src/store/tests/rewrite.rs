//! Tests of the rewrite beside the writes (`Store::start_rewrite`, `poll_rewrite`).

use crate::command::{Change, Command};
use crate::domain::*;
use crate::store::{Store, compact};
use std::path::Path;
use std::time::Duration;

/// Times `needle` occurs in the files under `dir`.
fn occurrences(dir: &Path, needle: &str) -> usize {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                occurrences(&p, needle)
            } else {
                std::fs::read(&p).map_or(0, |b| memchr::memmem::find_iter(&b, needle.as_bytes()).count())
            }
        })
        .sum()
}

fn person(s: &mut Store, given: &str, email: &str) -> ParticipantId {
    let mut p = Participant::new(given, "Pārrakstāmā", Role::Teacher, None);
    p.email = email.into();
    match s.apply(Command::Create(p.wrap())).expect("person") {
        Change::Created(r) => ParticipantId(r.raw_id()),
        other => panic!("{other:?}"),
    }
}

/// An erasure's change, then its files rewritten beside the writes: people added, changed
/// and deleted while the copy runs (and after it, before the swap) are all in the swapped
/// files and survive a reopen; the erased person is in no file; a second erasure made while
/// the first rewrite runs is gone from the files after a rewrite started after it.
#[test]
fn a_rewrite_beside_the_writes_keeps_every_write_made_meanwhile_and_nothing_erased() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::open(dir.path(), "tester").expect("open");
    s.load().expect("load");
    crate::ops::load_sample(&mut s).expect("sample");
    let gone = person(&mut s, "Aizmirstā", "aizmirsta@example.lv");
    let later = person(&mut s, "Vēlākā", "velaka@example.lv");
    let kept_edit = person(&mut s, "Labojamā", "labojama@example.lv");
    let deleted = person(&mut s, "Dzēšamā", "dzesama@example.lv");
    let e = s.erase_change_as(&[gone], s.user()).expect("erased");
    assert!(e.rewrite.is_err(), "owed until rewritten");
    assert!(compact::owed(dir.path()));
    assert!(s.start_rewrite().expect("started"));
    assert!(!s.start_rewrite().expect("one at a time"), "one runs already");
    // Writes while it copies.
    let mut added = Vec::new();
    for i in 0..200 {
        added.push(person(
            &mut s,
            &format!("Starplaikā{}", (b'A' + (i % 26) as u8) as char),
            &format!("starp{i}@example.lv"),
        ));
    }
    let mut edit = s.model().participants.get(kept_edit.0).expect("p").clone();
    edit.phone = "29999999".into();
    s.apply(Command::Update(edit.wrap())).expect("edit");
    s.apply(Command::Delete {
        table: Table::Participant,
        id: deleted.0,
    })
    .expect("delete");
    // The second erasure, while the first rewrite runs.
    let second = s.erase_change_as(&[later], s.user()).expect("second");
    assert!(second.rewrite.is_err());
    let done = loop {
        if let Some(r) = s.poll_rewrite() {
            break r;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let done = done.expect("swapped in");
    assert!(done.keys > 0);
    assert!(!s.is_rewriting());
    assert_eq!(
        occurrences(dir.path(), "aizmirsta@example.lv"),
        0,
        "the first erasure's person"
    );
    assert!(!dir.path().join(compact::REWRITE_DIR).exists());
    assert!(
        !dir.path().join(compact::DISCARD_DIR).exists(),
        "the old files are gone"
    );
    // The second one needs a rewrite started after it.
    assert!(s.start_rewrite().expect("started"));
    while s.poll_rewrite().is_none() {
        std::thread::sleep(Duration::from_millis(2));
    }
    assert_eq!(
        occurrences(dir.path(), "velaka@example.lv"),
        0,
        "the second erasure's person"
    );
    assert!(!compact::owed(dir.path()));
    // A write after the swap goes to the new files.
    let after = person(&mut s, "Pēcākā", "pecaka@example.lv");
    let model = s.model().clone();
    let log = s.history(usize::MAX).expect("log").len();
    drop(s);
    let mut s = Store::open(dir.path(), "tester").expect("reopen");
    s.load().expect("reload");
    let m = s.model();
    for id in added.iter().chain([&kept_edit, &after]) {
        assert_eq!(m.participants.get(id.0), model.participants.get(id.0), "person {id}");
    }
    assert_eq!(
        m.participants.get(kept_edit.0).map(|p| p.phone.as_str()),
        Some("29999999")
    );
    assert!(
        m.participants.get(deleted.0).is_none(),
        "the delete made meanwhile stays"
    );
    assert!(m.participants.get(gone.0).is_none() && m.participants.get(later.0).is_none());
    assert_eq!(m.total(), model.total());
    assert_eq!(s.history(usize::MAX).expect("log").len(), log, "every log entry kept");
}

/// A store dropped while its copy runs (a server stopping) stops the copy, leaves no copy
/// behind, and the rewrite stays owed: the next open does it.
#[test]
fn a_store_dropped_mid_copy_leaves_the_rewrite_owed_for_the_next_open() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::open(dir.path(), "tester").expect("open");
    s.load().expect("load");
    crate::ops::load_sample(&mut s).expect("sample");
    let gone = person(&mut s, "Aizmirstā", "aizmirsta@example.lv");
    s.erase_change_as(&[gone], s.user()).expect("erased");
    s.start_rewrite().expect("started");
    drop(s);
    assert!(!dir.path().join(compact::REWRITE_DIR).exists(), "no copy left");
    let mut s = Store::open(dir.path(), "tester").expect("reopen");
    s.load().expect("reload");
    assert!(!compact::owed(dir.path()), "the open rewrote");
    assert_eq!(occurrences(dir.path(), "aizmirsta@example.lv"), 0);
}
