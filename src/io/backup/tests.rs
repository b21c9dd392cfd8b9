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
