use super::*;
use crate::domain::{Stamp, UserId};
use crate::store::Logged;

fn sample() -> Model {
    crate::io::sample::test_model("anna")
}

fn log() -> Vec<LogEntry> {
    vec![
        LogEntry {
            at: Stamp::from_utc(chrono::DateTime::from_timestamp(1_750_000_000, 0).expect("time")),
            user: UserId(1),
            what: Logged::Imported { records: 3 },
        },
        LogEntry {
            at: Stamp::from_utc(chrono::DateTime::from_timestamp(1_750_000_100, 0).expect("time")),
            user: UserId(0),
            what: Logged::Batch(vec![Logged::Created {
                table: Table::Participant,
                id: 2,
            }]),
        },
    ]
}

fn dump(m: &Model, log: &[LogEntry]) -> String {
    let mut out = Vec::new();
    write(&mut out, m, log, &mut |_| {}).expect("write");
    String::from_utf8(out).expect("utf-8")
}

fn read_str(s: &str) -> Result<Read, BadBackup> {
    read(s.as_bytes(), &mut |_| {})
}

fn same<T: Record + PartialEq>(a: &Rows<T>, b: &Rows<T>) {
    assert_eq!(a.len(), b.len());
    assert_eq!(a.next_id(), b.next_id());
    assert!(a.iter().zip(b.iter()).all(|(x, y)| x == y));
}

#[test]
fn round_trip_keeps_every_record_user_setting_and_log_entry() {
    let m = sample();
    assert!(m.participants.len() > 10 && m.attendance.len() > 10 && m.indicators.len() > 5);
    let text = dump(&m, &log());
    let back = read_str(&text).expect("read");
    assert_eq!(back.header.counts.participants, m.participants.len() as u64);
    let r = back.restored;
    assert_eq!(r.users, m.users);
    assert_eq!(r.project, m.project);
    assert_eq!(r.log, log());
    same(&r.tables.organisations, &m.organisations);
    same(&r.tables.events, &m.events);
    same(&r.tables.participants, &m.participants);
    same(&r.tables.attendance, &m.attendance);
    same(&r.tables.indicators, &m.indicators);
}

#[test]
fn every_line_is_one_json_object_and_readable() {
    let m = sample();
    let text = dump(&m, &[]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("{\"header\":{\"format\":\"atbalsts-backup\""));
    assert!(lines.iter().any(|l| l.starts_with("{\"participant\":")));
    assert_eq!(lines.last().map(|l| l.starts_with("{\"end\":")), Some(true));
    assert!(text.contains("Pedagogu profesionālā atbalsta sistēmas izveide"));
}

#[test]
fn deleted_tail_ids_are_not_reused_after_restore() {
    let mut m = sample();
    let last = m.participants.next_id() - 1;
    let people = m.participants.iter().filter(|p| p.id.0 != last).cloned().collect();
    let mut rows = Rows::from_records(people);
    rows.reserve_to(last + 1);
    m.participants = rows;
    m.attendance = Rows::default();
    let back = read_str(&dump(&m, &[])).expect("read");
    assert_eq!(back.restored.tables.participants.next_id(), last + 1);
}

#[test]
fn a_cut_off_file_is_refused_at_its_end() {
    let text = dump(&sample(), &log());
    let lines: Vec<&str> = text.lines().collect();
    // Cut after the header and some lines, and in the middle of a line.
    let cut = lines[..lines.len() / 2].join("\n");
    let e = read_str(&cut).err().expect("refused");
    assert_eq!(e.line, (lines.len() / 2) as u64);
    assert!(e.reason.contains("incomplete"), "{e}");
    // Cut in the middle of the last line before the closing one.
    let before_end: usize = lines[..lines.len() - 2].iter().map(|l| l.len() + 1).sum();
    let half_line = &text[..before_end + lines[lines.len() - 2].len() / 2];
    let e = read_str(half_line).err().expect("refused");
    assert_eq!(e.line, lines.len() as u64 - 1);
}

#[test]
fn a_dropped_line_is_told_by_the_counts() {
    let text = dump(&sample(), &[]);
    let mut lines: Vec<&str> = text.lines().collect();
    let i = lines
        .iter()
        .rposition(|l| l.starts_with("{\"indicator\":"))
        .expect("indicator");
    lines.remove(i);
    let e = read_str(&lines.join("\n")).err().expect("refused");
    assert_eq!(e.line, lines.len() as u64);
    assert!(e.reason.contains("header says"), "{e}");
}

#[test]
fn a_broken_line_is_refused_with_its_number() {
    let text = dump(&sample(), &[]);
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[5] = "{\"participant\": {\"id\": 1, ".into();
    let e = read_str(&lines.join("\n")).err().expect("refused");
    assert_eq!(e.line, 6);
}

#[test]
fn a_row_of_an_unknown_person_is_refused() {
    let text = dump(&sample(), &[]);
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with("{\"attendance\":{\"id\":1,") {
                let v: serde_json::Value = serde_json::from_str(l).expect("json");
                let mut v = v;
                v["attendance"]["participant"] = serde_json::json!(999_999);
                v.to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("{\"attendance\":{\"id\":1,"))
        .expect("row 1");
    let e = read_str(&lines.join("\n")).err().expect("refused");
    assert_eq!(e.line, at as u64 + 1);
    assert!(e.reason.contains("participant 999999"), "{e}");
}

#[test]
fn other_files_are_not_backups() {
    assert_eq!(read_str("").err().map(|e| e.line), Some(0));
    let e = read_str("name;email\nAnna;a@example.com\n").err().expect("refused");
    assert_eq!(e.line, 1);
    assert!(e.reason.contains("not an atbalsts backup"), "{e}");
    let newer = dump(&sample(), &[]).replacen("\"version\":1", "\"version\":99", 1);
    let e = read_str(&newer).err().expect("refused");
    assert!(e.reason.contains("newer"), "{e}");
    let twice = {
        let t = dump(&sample(), &[]);
        format!("{t}{t}")
    };
    assert!(
        read_str(&twice)
            .err()
            .expect("refused")
            .reason
            .contains("after the closing line")
    );
}

#[test]
fn a_restore_leaves_an_entry_of_its_own_in_the_change_log() {
    let m = sample();
    let text = dump(&m, &log());
    let back = read_str(&text).expect("read");
    let dir = tempfile::tempdir().expect("tempdir");
    // Restored by someone the backup does not know.
    let mut store = crate::store::Store::open(dir.path(), "ilze").expect("open");
    store.load().expect("load");
    store
        .restore(back.restored, "/srv/kopijas/2026-12-01.jsonl")
        .expect("restored");
    let history = store.history(10).expect("log");
    assert_eq!(history.len(), log().len() + 1, "the backup's entries and the restore's");
    let entry = &history[0];
    assert_eq!(
        entry.what,
        Logged::Restored {
            file: "/srv/kopijas/2026-12-01.jsonl".into(),
            records: m.total() as u64,
        }
    );
    assert_eq!(store.model().user_name(entry.user), "ilze");
    let age = Stamp::now().rfc3339();
    assert_eq!(entry.at.rfc3339()[..10], age[..10], "made now");
    // As `:history` shows it: who, what, from which file.
    let line = crate::tui::changes::log_line(store.model(), entry);
    assert!(line.contains("ilze"), "{line}");
    assert!(line.contains("/srv/kopijas/2026-12-01.jsonl"), "{line}");
    assert!(line.contains(&m.total().to_string()), "{line}");
    // It survives a reopen, with its author's name.
    drop(store);
    let mut store = crate::store::Store::open(dir.path(), "someone").expect("reopen");
    store.load().expect("load");
    let entry = store.history(1).expect("log").remove(0);
    assert!(matches!(entry.what, Logged::Restored { .. }));
    assert_eq!(store.model().user_name(entry.user), "ilze");
}

/// Whether any file under `dir` holds `needle`.
fn in_files(dir: &std::path::Path, needle: &str) -> bool {
    std::fs::read_dir(dir).into_iter().flatten().flatten().any(|e| {
        let p = e.path();
        if p.is_dir() {
            in_files(&p, needle)
        } else {
            std::fs::read(&p).is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle.as_bytes()))
        }
    })
}

/// A backup made before an erasure, restored over the database: the person stays erased
/// (and out of the files), the erasure's log entry is kept, and the restore says whom it
/// erased again; a backup made after the erasure brings nobody back either and erases no
/// one again. The erasure names the backup as a file that may still hold the person.
#[test]
fn an_old_backup_restored_never_brings_back_an_erased_person() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = crate::store::Store::open(dir.path(), "ilze").expect("open");
    store.load().expect("load");
    crate::ops::load_sample(&mut store).expect("sample");
    let person = store
        .model()
        .participants
        .iter()
        .find(|p| {
            let m = store.model();
            !p.email.is_empty()
                && m.attendance_of_person(p.id).len() > 1
                && m.participants.iter().filter(|o| o.surname == p.surname).count() == 1
        })
        .cloned()
        .expect("a person with an email, attendance and a surname of their own");
    let old = {
        let mut log = store.history(usize::MAX).expect("log");
        log.reverse();
        dump(store.model(), &log)
    };
    store
        .note_file(crate::domain::FileKind::Backup, "/srv/kopijas/vecā.jsonl", store.user())
        .expect("noted");
    let erased = store.erase_participant(person.id).expect("erased");
    assert!(erased.rewrite.is_ok());
    assert_eq!(
        erased.files,
        vec![(crate::domain::FileKind::Backup, "/srv/kopijas/vecā.jsonl".to_string())],
        "the backup written since the person was added may hold them"
    );
    assert!(!in_files(dir.path(), person.email.as_str()));
    let newer = {
        let mut log = store.history(usize::MAX).expect("log");
        log.reverse();
        dump(store.model(), &log)
    };
    // The old backup: the person is erased again.
    let again = store
        .restore(read_str(&old).expect("read").restored, "vecā.jsonl")
        .expect("restored");
    assert_eq!(again, vec![person.id.0]);
    let p = store
        .model()
        .participants
        .get(person.id.0)
        .expect("the record stays, anonymous");
    assert!(p.is_erased(), "{p:?}");
    assert_eq!(
        store.model().attendance_of_person(person.id).len(),
        person_rows(&old, person.id.0),
        "their attendance stays"
    );
    assert!(
        !in_files(dir.path(), person.email.as_str()),
        "nothing of them in the files"
    );
    assert!(!in_files(dir.path(), person.surname.as_str()));
    let erasures = store
        .history(usize::MAX)
        .expect("log")
        .into_iter()
        .filter(|e| matches!(e.what, Logged::Erased { .. }))
        .count();
    assert_eq!(erasures, 2, "the first erasure's record kept, and the one made again");
    // A backup made after the erasure: nothing to erase again, nobody back.
    let again = store
        .restore(read_str(&newer).expect("read").restored, "jaunā.jsonl")
        .expect("restored");
    assert!(again.is_empty(), "{again:?}");
    assert!(
        store
            .model()
            .participants
            .get(person.id.0)
            .is_some_and(|p| p.is_erased())
    );
}

/// The attendance rows of participant `id` in a backup's text.
fn person_rows(text: &str, id: u32) -> usize {
    read_str(text)
        .expect("read")
        .restored
        .tables
        .attendance
        .iter()
        .filter(|a| a.participant.0 == id)
        .count()
}
