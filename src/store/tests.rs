//! Store tests on temporary databases: round trips through reopen, validation, references,
//! ids, undo through inverse commands, locking and the sample import.

use super::*;
use crate::command::Command;
use crate::domain::*;
use chrono::NaiveDate;

fn dt(d: &str, t: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(&format!("{d} {t}"), "%Y-%m-%d %H:%M").expect("test date")
}

struct Db {
    dir: tempfile::TempDir,
}

impl Db {
    fn new() -> Db {
        Db {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }
    fn open(&self) -> Store {
        let mut s = Store::open(self.dir.path(), "tester").expect("open");
        s.load().expect("load");
        s
    }
}

fn created(c: Change) -> AnyRecord {
    match c {
        Change::Created(r) => r,
        other => panic!("expected Created, got {other:?}"),
    }
}

/// A municipality, a school in it, an event and a participant.
fn basics(s: &mut Store) -> (OrgId, OrgId, EventId, ParticipantId) {
    let mun = created(
        s.apply(Command::Create(
            Organisation::new("Cēsu novada pašvaldība", OrgKind::Municipality).wrap(),
        ))
        .expect("mun"),
    )
    .raw_id();
    let mut school = Organisation::new("Cēsu Valsts ģimnāzija", OrgKind::School);
    school.parent = Some(OrgId(mun));
    let school = created(s.apply(Command::Create(school.wrap())).expect("school")).raw_id();
    let ev = Event::new(
        "Vērtēšana",
        EventFormat::Seminar,
        dt("2025-03-14", "10:00"),
        dt("2025-03-14", "14:00"),
        Hours(40),
    );
    let ev = created(s.apply(Command::Create(ev.wrap())).expect("event")).raw_id();
    let p = Participant::new("Žanete", "Bērziņa", Role::Teacher, Some(OrgId(school)));
    let p = created(s.apply(Command::Create(p.wrap())).expect("participant")).raw_id();
    (OrgId(mun), OrgId(school), EventId(ev), ParticipantId(p))
}

#[test]
fn every_record_kind_survives_reopen() {
    let db = Db::new();
    let (mun, school, ev, p) = {
        let mut s = db.open();
        let ids = basics(&mut s);
        let a = Attendance::new(ids.2, ids.3, AttendanceStatus::Attended);
        s.apply(Command::Create(a.wrap())).expect("attendance");
        let ind = Indicator {
            id: IndicatorId(0),
            code: "4".into(),
            title: "Materiāli".into(),
            unit: Unit::Count,
            baseline: 0.0,
            target: 120.0,
            deadline: NaiveDate::from_ymd_opt(2026, 12, 31),
            definition: Definition::Manual,
            values: vec![ManualValue {
                date: NaiveDate::from_ymd_opt(2025, 6, 30).expect("d"),
                value: 14.0,
                note: "pirmā kārta".into(),
            }],
            notes: Text::default(),
            meta: Meta::unsaved(),
            basis: Basis {
                target: FigureSource::Project {
                    by: "test".into(),
                    on: None,
                },
                ..Basis::default()
            },
        };
        s.apply(Command::Create(ind.wrap())).expect("indicator");
        ids
    };
    let s = db.open();
    let m = s.model();
    assert_eq!(
        m.organisations.get(mun.0).map(|o| o.name.as_str()),
        Some("Cēsu novada pašvaldība")
    );
    assert_eq!(m.organisations.get(school.0).and_then(|o| o.parent), Some(mun));
    assert_eq!(m.events.get(ev.0).map(|e| e.hours), Some(Hours(40)));
    let person = m.participants.get(p.0).expect("participant reloaded");
    assert_eq!(
        (person.given_name.as_str(), person.surname.as_str()),
        ("Žanete", "Bērziņa")
    );
    assert_eq!(m.attendance_of_event(ev).len(), 1);
    assert_eq!(
        m.attendance_pair(ev, p).map(|a| a.status),
        Some(AttendanceStatus::Attended)
    );
    assert_eq!(m.indicators.iter().next().map(|i| i.values.len()), Some(1));
    assert_eq!(m.children_of(mun), &[school]);
    assert_eq!(m.people_of(school), &[p]);
    assert_eq!(m.user_name(person.meta.created_by), "tester");
}

#[test]
fn update_keeps_creation_and_touches_update() {
    let db = Db::new();
    let mut s = db.open();
    let (_, _, _, p) = basics(&mut s);
    let mut person = s.model().participants.get(p.0).cloned().expect("p");
    let created_at = person.meta.created_at;
    person.email = "zanete@example.lv".into();
    let change = s.apply(Command::Update(person.wrap())).expect("update");
    let Change::Updated { before, after } = &change else {
        panic!("{change:?}")
    };
    assert_eq!(after.meta().created_at, created_at);
    assert!(matches!(before.as_ref(), AnyRecord::Participant(b) if b.email.is_empty()));
    drop(s);
    let s = db.open();
    assert_eq!(
        s.model().participants.get(p.0).map(|x| x.email.as_str()),
        Some("zanete@example.lv")
    );
}

#[test]
fn invalid_records_are_refused_and_nothing_is_saved() {
    let db = Db::new();
    let mut s = db.open();
    let e = s
        .apply(Command::Create(Organisation::new("  ", OrgKind::School).wrap()))
        .expect_err("empty name");
    assert!(
        matches!(&e, StoreError::Invalid { errors, .. } if errors.0[0].problem == Problem::Required),
        "{e:?}"
    );
    let mut bad = Participant::new("Jānis", "Ozols", Role::Teacher, None);
    bad.email = "janis.at.example.lv".into();
    let e = s.apply(Command::Create(bad.wrap())).expect_err("bad email");
    assert!(e.to_string().contains("Email"), "{e}");
    let back = Event::new(
        "X",
        EventFormat::Seminar,
        dt("2025-03-14", "10:00"),
        dt("2025-03-13", "10:00"),
        Hours(0),
    );
    assert!(s.apply(Command::Create(back.wrap())).is_err());
    assert_eq!(s.model().total(), 0);
    drop(s);
    assert_eq!(db.open().model().total(), 0);
}

#[test]
fn references_must_exist_and_parents_must_not_loop() {
    let db = Db::new();
    let mut s = db.open();
    let (mun, school, ev, p) = basics(&mut s);
    let orphan = Participant::new("A", "B", Role::Teacher, Some(OrgId(999)));
    assert!(matches!(
        s.apply(Command::Create(orphan.wrap())),
        Err(StoreError::Invalid { .. })
    ));
    let ghost = Attendance::new(EventId(77), p, AttendanceStatus::Registered);
    assert!(s.apply(Command::Create(ghost.wrap())).is_err());
    // The municipality may not become a child of its own school.
    let mut m = s.model().organisations.get(mun.0).cloned().expect("mun");
    m.parent = Some(school);
    let e = s.apply(Command::Update(m.clone().wrap())).expect_err("cycle");
    assert!(
        matches!(&e, StoreError::Invalid { errors, .. } if errors.0[0].problem == Problem::ParentCycle),
        "{e:?}"
    );
    m.parent = Some(mun);
    assert!(s.apply(Command::Update(m.wrap())).is_err(), "own parent");
    // One attendance per person per event.
    s.apply(Command::Create(
        Attendance::new(ev, p, AttendanceStatus::Registered).wrap(),
    ))
    .expect("first");
    let e = s
        .apply(Command::Create(
            Attendance::new(ev, p, AttendanceStatus::Attended).wrap(),
        ))
        .expect_err("dup");
    assert!(matches!(e, StoreError::DuplicateAttendance { .. }));
}

#[test]
fn delete_refuses_what_is_in_use_and_ids_are_never_reused() {
    let db = Db::new();
    let mut s = db.open();
    let (mun, school, ev, p) = basics(&mut s);
    let e = s
        .apply(Command::Delete {
            table: Table::Organisation,
            id: mun.0,
        })
        .expect_err("has a school");
    assert!(
        matches!(
            e,
            StoreError::InUse {
                by: Table::Organisation,
                count: 1,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(
        s.apply(Command::Delete {
            table: Table::Organisation,
            id: school.0
        })
        .is_err(),
        "has people"
    );
    let a = created(
        s.apply(Command::Create(
            Attendance::new(ev, p, AttendanceStatus::Attended).wrap(),
        ))
        .expect("a"),
    );
    assert!(
        s.apply(Command::Delete {
            table: Table::Participant,
            id: p.0
        })
        .is_err(),
        "has attendance"
    );
    s.apply(Command::Delete {
        table: Table::Attendance,
        id: a.raw_id(),
    })
    .expect("delete attendance");
    s.apply(Command::Delete {
        table: Table::Participant,
        id: p.0,
    })
    .expect("delete participant");
    assert!(s.model().participants.get(p.0).is_none());
    drop(s);
    let mut s = db.open();
    assert!(s.model().participants.get(p.0).is_none(), "delete survives reopen");
    let again = created(
        s.apply(Command::Create(Participant::new("C", "D", Role::Other, None).wrap()))
            .expect("new"),
    );
    assert!(again.raw_id() > p.0, "id {} reused", again.raw_id());
}

#[test]
fn inverse_commands_undo_create_update_delete() {
    let db = Db::new();
    let mut s = db.open();
    let (_, school, _, _) = basics(&mut s);
    // Undo an update.
    let mut o = s.model().organisations.get(school.0).cloned().expect("school");
    o.address = "Leona Paegles iela 1, Cēsis".into();
    let ch = s.apply(Command::Update(o.wrap())).expect("update");
    s.apply(ch.inverse().expect("invertible")).expect("undo update");
    assert_eq!(
        s.model().organisations.get(school.0).map(|o| o.address.is_empty()),
        Some(true)
    );
    // Undo a create, then undo that delete (redo).
    let ch = s
        .apply(Command::Create(
            Organisation::new("Jauna skola", OrgKind::School).wrap(),
        ))
        .expect("create");
    let id = created(ch.clone()).raw_id();
    let del = s.apply(ch.inverse().expect("invertible")).expect("undo create");
    assert!(s.model().organisations.get(id).is_none());
    s.apply(del.inverse().expect("invertible")).expect("undo the undo");
    assert_eq!(
        s.model().organisations.get(id).map(|o| o.name.as_str()),
        Some("Jauna skola")
    );
    drop(s);
    assert!(
        db.open().model().organisations.get(id).is_some(),
        "restore survives reopen"
    );
}

#[test]
fn a_second_handle_on_the_same_database_is_locked() {
    let db = Db::new();
    let _first = db.open();
    match Store::open(db.dir.path(), "other") {
        Err(e @ StoreError::Locked { .. }) => {
            let text = e.to_string();
            assert!(
                text.contains(&db.dir.path().display().to_string()) && text.contains("another"),
                "{text}"
            );
        }
        Err(e) => panic!("expected Locked, got {e:?}"),
        Ok(_) => panic!("second open succeeded"),
    }
}

#[test]
fn sample_import_round_trips_and_orders_names() {
    let db = Db::new();
    let mut s = db.open();
    let n = crate::ops::load_sample(&mut s).expect("sample");
    assert!(n > 2000);
    let before = s.model().total();
    assert!(crate::ops::load_sample(&mut s).is_err(), "second load refused");
    drop(s);
    let s = db.open();
    let m = s.model();
    assert_eq!(m.total(), before);
    assert_eq!(m.count(Table::Organisation), 122);
    assert!(m.project.lead.is_some());
    // Participants are listed in Latvian order: Ā sorts with A, not after Z; Š after S.
    let order = m.orders.get(Table::Participant);
    let keys: Vec<String> = order
        .iter()
        .filter_map(|id| m.participants.get(*id))
        .map(|p| crate::domain::collate::key(&format!("{} {}", p.surname, p.given_name)))
        .collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]));
    let first = m.participants.get(order[0]).expect("first");
    assert!(
        crate::domain::fold::fold(&first.surname).starts_with('a'),
        "{}",
        first.surname
    );
    // Attendance made by coordinators keeps who checked in.
    let by: Vec<&str> = m
        .attendance
        .iter()
        .filter_map(|a| a.checked_in_by)
        .map(|u| m.user_name(u))
        .collect();
    assert!(by.contains(&"ilze"), "{:?}", &by[..by.len().min(5)]);
}

#[test]
fn generated_data_is_deterministic_and_loads() {
    let run = || {
        let db = Db::new();
        let mut s = db.open();
        let size = crate::io::generate::Size {
            participants: 500,
            events: 40,
            attendance: 2000,
            seed: 42,
        };
        let g = crate::io::generate::generate(&mut s, size).expect("generate");
        assert_eq!((g.participants, g.events, g.attendance), (500, 40, 2000));
        drop(s);
        let s = db.open();
        let m = s.model();
        assert_eq!(m.count(Table::Attendance), 2000);
        let names: Vec<String> = m.participants.iter().map(|p| p.full_name()).collect();
        let pairs: Vec<(u32, u32)> = m.attendance.iter().map(|a| (a.event.0, a.participant.0)).collect();
        (names, pairs)
    };
    let (a, b) = (run(), run());
    assert_eq!(a, b);
}

#[test]
fn io_errors_are_classified_for_their_messages() {
    use std::io::{Error, ErrorKind};
    let p = std::path::Path::new("/srv/atbalsts/db");
    let full = StoreError::from_io(Error::from_raw_os_error(libc::ENOSPC), p);
    assert!(matches!(full, StoreError::DiskFull { .. }), "{full:?}");
    assert!(
        full.to_string().contains("full") && full.to_string().contains("nothing was saved"),
        "{full}"
    );
    let denied = StoreError::from_io(Error::from(ErrorKind::PermissionDenied), p);
    assert!(matches!(denied, StoreError::Permission { .. }), "{denied:?}");
    assert!(denied.to_string().contains("--db"), "{denied}");
    let locked = StoreError::from_io(Error::other("could not acquire lock on \"/srv/atbalsts/db/db\""), p);
    assert!(matches!(locked, StoreError::Locked { .. }), "{locked:?}");
    let other = StoreError::from_io(Error::other("boom"), p);
    assert!(
        matches!(&other, StoreError::Io { reason, .. } if reason == "boom"),
        "{other:?}"
    );
}

/// A dropped store has let go of the database when `drop` returns: sled opened straight
/// after it (with no retry, as another process would find it) takes its lock at once,
/// after a write each time (which leaves sled's threads something to finish), a hundred
/// times in a row. This is the race that made a reopen fail on a busy machine (issue 25).
#[test]
fn a_dropped_store_lets_go_of_the_database_at_once_a_hundred_times() {
    let db = Db::new();
    for i in 0..100 {
        let mut s = db.open();
        let name = format!("Skola {i}");
        s.apply(Command::Create(Organisation::new(&name, OrgKind::School).wrap()))
            .expect("write");
        drop(s);
        assert!(
            !lock::DbLock::is_held(db.dir.path()),
            "round {i}: owner lock still held"
        );
        let raw = sled::Config::new()
            .path(db.dir.path())
            .open()
            .unwrap_or_else(|e| panic!("round {i}: sled still held after the store was dropped: {e}"));
        close_sled(raw, db.dir.path());
    }
    let s = db.open();
    assert_eq!(s.model().organisations.len(), 100);
}

#[test]
fn a_database_from_before_settings_opens_and_settings_survive_reopen() {
    let db = Db::new();
    {
        // As an older build left it: schema 1, the project in its original layout, no settings.
        let raw = sled::Config::new().path(db.dir.path()).open().expect("sled");
        raw.insert(KEY_SCHEMA, &1u32.to_be_bytes()).expect("schema");
        #[derive(serde::Serialize)]
        struct OldProject {
            name: Text,
            number: Text,
            start: Option<NaiveDate>,
            end: Option<NaiveDate>,
            funding_total_cents: i64,
            funding_esf_cents: i64,
            funding_state_cents: i64,
            lead: Option<OrgId>,
            notes: Text,
        }
        let old = OldProject {
            name: "Vecais".into(),
            number: "1".into(),
            start: NaiveDate::from_ymd_opt(2024, 10, 1),
            end: None,
            funding_total_cents: 5,
            funding_esf_cents: 4,
            funding_state_cents: 1,
            lead: None,
            notes: Text::default(),
        };
        raw.insert(KEY_PROJECT, postcard::to_allocvec(&old).expect("encode"))
            .expect("insert");
        raw.flush().expect("flush");
        close_sled(raw, db.dir.path());
    }
    let mut s = db.open();
    assert_eq!(s.model().project.name, "Vecais");
    assert_eq!(
        s.model().project.settings.seminar_hours_cap,
        Some(Hours(120)),
        "default 12 h"
    );
    let mut p = s.model().project.clone();
    p.settings.seminar_hours_cap = Some(Hours(80));
    s.apply(Command::SetProject(p)).expect("set");
    drop(s);
    let s = db.open();
    assert_eq!(s.model().project.settings.seminar_hours_cap, Some(Hours(80)));
    assert_eq!(s.model().project.funding_total_cents, 5);
    drop(s);
    // The project key keeps its old layout: an older build still reads it. (The store was
    // dropped a moment ago and sled lets go of its lock from a background thread.)
    let raw = raw_open(db.dir.path());
    let v = raw.get(KEY_PROJECT).expect("get").expect("project");
    let back: StoredProject = decode_meta(KEY_PROJECT, &v).expect("old layout");
    assert_eq!(back.name, "Vecais");
}

#[test]
fn a_loaded_store_reloads_in_the_background_and_writes_again_after_install() {
    // The demo loads the sample, then the screen starts its own loader: the store must
    // not look loaded (and must refuse writes) until the loader's result is installed.
    let db = Db::new();
    let mut s = db.open();
    basics(&mut s);
    let loader = s.loader().expect("loader");
    assert!(!s.is_loaded());
    let org = Organisation::new("Jauna skola", OrgKind::School).wrap();
    assert!(matches!(
        s.apply(Command::Create(org.clone())),
        Err(StoreError::NotLoaded)
    ));
    s.install(loader.load().expect("load"));
    assert!(s.is_loaded());
    let id = created(s.apply(Command::Create(org)).expect("writes after install")).raw_id();
    drop(s);
    assert!(db.open().model().organisations.get(id).is_some(), "flushed and kept");
}

#[test]
fn check_in_stamps_tell_walk_ins_from_registrations() {
    let db = Db::new();
    let mut s = db.open();
    let (_, _, ev, p) = basics(&mut s);
    let other = created(
        s.apply(Command::Create(
            Participant::new("Ilze", "Kalna", Role::Teacher, None).wrap(),
        ))
        .expect("person"),
    );
    let other = ParticipantId(other.raw_id());
    // A walk-in: the row is created checked in; its check-in time is its creation time
    // whatever the client said.
    let mut walk_in = Attendance::new(ev, p, AttendanceStatus::Attended);
    walk_in.checked_in_at = Some(Stamp::from_utc(
        chrono::DateTime::from_timestamp(1_000_000_000, 0).expect("t"),
    ));
    let AnyRecord::Attendance(w) = created(s.apply(Command::Create(walk_in.wrap())).expect("walk-in")) else {
        panic!("attendance")
    };
    assert_eq!(w.checked_in_at, Some(w.meta.created_at));
    // A registration checked in within the same second: stamped a second later.
    let reg = Attendance::new(ev, other, AttendanceStatus::Registered);
    let AnyRecord::Attendance(mut r) = created(s.apply(Command::Create(reg.wrap())).expect("registered")) else {
        panic!("attendance")
    };
    r.status = AttendanceStatus::Attended;
    r.checked_in_at = Some(r.meta.created_at);
    let Change::Updated { after, .. } = s.apply(Command::Update(r.clone().wrap())).expect("check in") else {
        panic!("updated")
    };
    let AnyRecord::Attendance(a) = *after else {
        panic!("attendance")
    };
    assert_eq!(a.checked_in_at, Some(r.meta.created_at.next()));
    assert_ne!(a.checked_in_at, Some(a.meta.created_at));
}

#[test]
fn every_change_is_logged_by_id_who_and_when_and_survives_reopen() {
    let db = Db::new();
    let mut s = db.open();
    let (_, _, _, p) = basics(&mut s);
    let mut person = s.model().participants.get(p.0).expect("person").clone();
    person.notes = "x".into();
    s.apply(Command::Update(person.wrap())).expect("update");
    s.apply(Command::Delete {
        table: Table::Participant,
        id: p.0,
    })
    .expect("delete");
    drop(s);
    let s = db.open();
    let log = s.history(10).expect("history");
    assert_eq!(log.len(), 6, "4 created, 1 updated, 1 deleted: {log:?}");
    let p_entries: Vec<&crate::store::Logged> = log.iter().take(3).map(|e| &e.what).collect();
    assert_eq!(
        p_entries,
        [
            &crate::store::Logged::Deleted {
                table: Table::Participant,
                id: p.0
            },
            &crate::store::Logged::Updated {
                table: Table::Participant,
                id: p.0
            },
            &crate::store::Logged::Created {
                table: Table::Participant,
                id: p.0
            },
        ]
    );
    assert!(log.iter().all(|e| s.model().user_name(e.user) == "tester"));
    assert!(log.windows(2).all(|w| w[0].at >= w[1].at), "newest first");
    // A new session goes on numbering after the last entry.
    let mut s = s;
    s.apply(Command::Create(Organisation::new("Vēl viena", OrgKind::School).wrap()))
        .expect("create");
    assert_eq!(s.history(1).expect("history").len(), 1);
    assert!(matches!(
        s.history(1).expect("h")[0].what,
        crate::store::Logged::Created {
            table: Table::Organisation,
            ..
        }
    ));
    assert_eq!(s.history(100).expect("all").len(), 7);
}

/// How many times `needle` occurs in the bytes of every file under `dir` (`grep -r -a -c`).
fn occurrences(dir: &std::path::Path, needle: &str) -> usize {
    let mut n = 0;
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            n += occurrences(&p, needle);
        } else {
            let bytes = std::fs::read(&p).expect("read file");
            n += memchr::memmem::find_iter(&bytes, needle.as_bytes()).count();
        }
    }
    n
}

#[test]
fn erasing_a_person_leaves_nothing_of_them_in_the_files_and_keeps_the_totals() {
    let db = Db::new();
    let mut s = db.open();
    let (_, _, ev, p) = basics(&mut s);
    s.apply(Command::Create(
        Attendance::new(ev, p, AttendanceStatus::Attended).wrap(),
    ))
    .expect("attendance");
    // Several old versions of the record, each with the name, contacts, subjects and notes
    // in it.
    for (n, phone) in ["20000001", "20000002", "20000003"].into_iter().enumerate() {
        let mut q = s.model().participants.get(p.0).expect("person").clone();
        q.email = "zanete.berzina@example.lv".into();
        q.phone = phone.into();
        q.subjects = vec!["ģeogrāfija".into(), "astronomija".into()];
        q.notes = format!("Alerģija pret riekstiem (versija {n})").into();
        s.apply(Command::Update(q.wrap())).expect("update");
    }
    // A second person without attendance: deleted outright.
    let mut other = Participant::new("Ojārs", "Vācietis", Role::Teacher, None);
    other.subjects = vec!["kokapstrāde".into()];
    other.notes = "Ojāra piezīme".into();
    let other = ParticipantId(created(s.apply(Command::Create(other.wrap())).expect("other")).raw_id());
    let dir = db.dir.path();
    for seen in [
        "zanete.berzina@example.lv",
        "Alerģija pret riekstiem",
        "ģeogrāfija",
        "kokapstrāde",
    ] {
        assert!(occurrences(dir, seen) > 0, "the test sees {seen} in the files");
    }
    let rows_before = s.model().count(Table::Attendance);
    let e = s.erase_participant(p).expect("erase");
    assert_eq!((e.rows, e.change.parts().len()), (1, 1), "one change");
    e.rewrite.expect("rewritten");
    s.erase_participant(other)
        .expect("erase the other")
        .rewrite
        .expect("rewritten");
    for needle in [
        "Bērziņa",
        "Žanete",
        "zanete.berzina@example.lv",
        "2000000",
        "Vācietis",
        "Ojārs",
        "Alerģija pret riekstiem",
        "ģeogrāfija",
        "astronomija",
        "kokapstrāde",
        "Ojāra piezīme",
    ] {
        assert_eq!(occurrences(dir, needle), 0, "{needle} left in the files");
    }
    assert!(!dir.join(compact::REWRITE_DIR).exists());
    assert!(s.erase_participant(p).is_err(), "already erased");
    // The rewritten database is the same database, and takes writes at once.
    s.apply(Command::Create(
        Organisation::new("Pēc dzēšanas", OrgKind::School).wrap(),
    ))
    .expect("write after erase");
    drop(s);
    let s = db.open();
    let kept = s.model().participants.get(p.0).expect("anonymous record");
    assert!(kept.is_erased());
    assert_eq!((kept.role, kept.email.as_str()), (Role::Teacher, ""));
    assert!(s.model().participants.get(other.0).is_none());
    assert_eq!(s.model().count(Table::Attendance), rows_before, "attendance kept");
    assert_eq!(s.model().attendance_of_event(ev).len(), 1);
    // The log says what happened, by id only.
    let log = format!("{:?}", s.history(100).expect("history"));
    assert!(!log.contains("Bērziņa") && !log.contains("Žanete"), "{log}");
}

#[test]
fn an_unfinished_rewrite_is_thrown_away_and_a_ready_one_finished() {
    let db = Db::new();
    let mut s = db.open();
    let (_, _, _, p) = basics(&mut s);
    drop(s);
    let dir = db.dir.path();
    let tmp = dir.join(compact::REWRITE_DIR);
    // Stopped while copying: no READY, so the copy goes and the old database stays.
    std::fs::create_dir(&tmp).expect("mkdir");
    std::fs::write(tmp.join("db"), b"half a copy").expect("write");
    let mut s = db.open();
    assert!(!tmp.exists());
    assert!(s.model().participants.get(p.0).is_some());
    // Stopped after the new `db` was renamed in: READY and the rest of the copy remain.
    s.compact().expect("compact");
    drop(s);
    std::fs::create_dir(&tmp).expect("mkdir");
    std::fs::copy(dir.join("conf"), tmp.join("conf")).expect("copy conf");
    std::fs::write(tmp.join("READY"), b"").expect("ready");
    let s = db.open();
    assert!(!tmp.exists(), "the swap was finished");
    assert!(s.model().participants.get(p.0).is_some());
    drop(s);
    // Stopped after the old `db` went aside, before the new one moved in: the copy (here
    // the same data) is complete, so the swap goes on and the old files go.
    std::fs::create_dir(&tmp).expect("mkdir");
    for entry in std::fs::read_dir(dir).expect("list").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == "db" || name == "conf" || name.starts_with("snap.") {
            std::fs::copy(entry.path(), tmp.join(&name)).expect("copy");
        }
    }
    std::fs::write(tmp.join("READY"), b"").expect("ready");
    let discard = dir.join(compact::DISCARD_DIR);
    std::fs::create_dir(&discard).expect("mkdir discard");
    std::fs::rename(dir.join("db"), discard.join("db")).expect("aside");
    assert!(compact::owed(dir), "old files waiting to go: the erasure is not done");
    let s = db.open();
    assert!(
        !tmp.exists() && !discard.exists(),
        "the swap was finished and the old files went"
    );
    assert!(s.model().participants.get(p.0).is_some());
    drop(s);
    // Stopped after the swap, before the old files were removed.
    std::fs::create_dir(&discard).expect("mkdir discard");
    std::fs::write(discard.join("db"), "Bērziņa").expect("old file");
    let s = db.open();
    assert!(!discard.exists(), "the old files went at the next open");
    assert!(!compact::owed(dir));
    assert!(s.model().participants.get(p.0).is_some());
}

#[test]
fn an_erasure_whose_rewrite_was_cut_short_is_rewritten_at_the_next_open() {
    let db = Db::new();
    let mut s = db.open();
    let (_, _, _, p) = basics(&mut s);
    // As if the process died between the change and the rewrite.
    compact::owe(db.dir.path()).expect("owe");
    s.apply(Command::Delete {
        table: Table::Participant,
        id: p.0,
    })
    .expect("delete");
    drop(s);
    assert!(occurrences(db.dir.path(), "Bērziņa") > 0, "still in the old files");
    let s = db.open();
    assert!(!compact::owed(db.dir.path()));
    assert_eq!(occurrences(db.dir.path(), "Bērziņa"), 0);
    assert!(s.model().participants.get(p.0).is_none());
}

#[test]
fn opening_writes_nothing_and_a_new_user_is_saved_with_the_first_write() {
    let db = Db::new();
    let s = db.open();
    drop(s);
    let long = format!("intruder\u{1b}[2J{}", "x".repeat(5000));
    let mut s = Store::open(db.dir.path(), &long).expect("open");
    s.load().expect("load");
    drop(s);
    let s = db.open();
    assert!(
        !s.users().iter().any(|u| u.starts_with("intruder")),
        "reading did not record the name"
    );
    drop(s);
    let mut s = Store::open(db.dir.path(), &long).expect("open");
    s.load().expect("load");
    s.apply(Command::Create(Organisation::new("Rakstītāja", OrgKind::School).wrap()))
        .expect("write");
    drop(s);
    let s = db.open();
    let saved = s
        .users()
        .iter()
        .find(|u| u.starts_with("intruder"))
        .expect("saved on write");
    assert_eq!(saved.chars().count(), 64);
    assert!(!saved.contains('\u{1b}'));
}

#[test]
fn retention_picks_people_with_nothing_for_n_years() {
    let db = Db::new();
    let mut s = db.open();
    let (_, _, ev, p) = basics(&mut s);
    s.apply(Command::Create(
        Attendance::new(ev, p, AttendanceStatus::Attended).wrap(),
    ))
    .expect("attendance");
    // The event was on 2025-03-14; a person registered today has had no time to lapse.
    let fresh = Participant::new("Jauns", "Cilvēks", Role::Teacher, None);
    let fresh = ParticipantId(created(s.apply(Command::Create(fresh.wrap())).expect("fresh")).raw_id());
    let day = |t: &str| NaiveDate::parse_from_str(t, "%Y-%m-%d").expect("date");
    let m = s.model();
    assert!(retention::stale_people(m, 3, day("2028-03-14")).is_empty());
    assert_eq!(retention::stale_people(m, 3, day("2028-03-15")), vec![p]);
    let later = retention::stale_people(m, 1, day("2099-01-01"));
    assert!(later.contains(&p) && later.contains(&fresh));
    let ids = retention::stale_people(m, 3, day("2028-03-15"));
    s.erase_many(&ids).expect("erase").rewrite.expect("rewritten");
    assert!(s.model().participants.get(p.0).is_some_and(|q| q.is_erased()));
    assert!(
        retention::stale_people(s.model(), 3, day("2028-03-15")).is_empty(),
        "not twice"
    );
    assert_eq!(occurrences(db.dir.path(), "Bērziņa"), 0);
}

#[test]
fn an_unfinished_sled_snapshot_does_not_make_the_database_look_damaged() {
    let db = Db::new();
    let mut s = db.open();
    let (_, _, _, p) = basics(&mut s);
    drop(s);
    // What sled leaves when the disk fills (or the process dies) while it writes a snapshot.
    std::fs::write(db.dir.path().join("snap.7FFFFFFFFFFFFFFF.generating"), b"").expect("write");
    let s = db.open();
    assert!(s.model().participants.get(p.0).is_some());
}

/// A small tmpfs (needs root; skipped with a note otherwise): fill it, see a write refused,
/// read anyway, free the space, and write again with the same store.
#[test]
fn a_full_disk_refuses_writes_allows_reading_and_the_same_store_writes_after_space_is_freed() {
    let base = tempfile::tempdir().expect("tempdir");
    let mnt = base.path().join("mnt");
    std::fs::create_dir(&mnt).expect("mkdir");
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=16m", "tmpfs"])
        .arg(&mnt)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    }
    struct Unmount(std::path::PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(mnt.clone());
    let dir = mnt.join("db");
    crate::paths::prepare_db_dir(&dir).expect("db dir");
    let mut s = Store::open(&dir, "tester").expect("open");
    s.load().expect("load");
    let (_, school, _, _) = basics(&mut s);
    let count = s.model().count(Table::Organisation);
    drop(s);
    // Fill the disk to the last byte.
    let filler = mnt.join("filler");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).expect("filler");
        let block = vec![0u8; 4096];
        while f.write_all(&block).is_ok() {}
        while f.write_all(&[0]).is_ok() {}
    }
    // Opening and reading write nothing (no user name, no sled snapshot): it works.
    let mut s = Store::open(&dir, "someone-new").expect("open while full");
    s.load().expect("load while full");
    assert_eq!(s.model().count(Table::Organisation), count);
    let mut failed = 0;
    for i in 0..200 {
        let mut o = Organisation::new(&format!("Skola {i} {}", "x".repeat(150)), OrgKind::School);
        o.parent = Some(school);
        match s.apply(Command::Create(o.wrap())) {
            Ok(_) => {}
            Err(StoreError::DiskFull { .. }) => {
                failed += 1;
                if failed == 3 {
                    break;
                }
            }
            Err(e) => panic!("unexpected: {e:?}"),
        }
    }
    assert_eq!(failed, 3, "the disk is full");
    let count = s.model().count(Table::Organisation);
    std::fs::remove_file(&filler).expect("free space");
    s.apply(Command::Create(
        Organisation::new("Pēc atbrīvošanas", OrgKind::School).wrap(),
    ))
    .expect("the same store writes again once there is space");
    drop(s);
    let s = Store::open(&dir, "tester")
        .and_then(|mut s| s.load().map(|()| s))
        .expect("reopen");
    assert_eq!(s.model().count(Table::Organisation), count + 1);
}

#[test]
fn an_edit_from_an_older_version_is_refused_with_who_and_when() {
    let db = Db::new();
    let mut s = db.open();
    let (_, _, _, p) = basics(&mut s);
    let read = s.model().participants.get(p.0).cloned().expect("person");
    // Someone else saves first.
    let mut theirs = read.clone();
    theirs.surname = "Kalniņa".into();
    let change = s.apply(Command::Update(theirs.wrap())).expect("first save");
    // My edit of the version I read is refused, naming them and the time.
    let mut mine = read.clone();
    mine.given_name = "Anna".into();
    match s.apply(Command::Update(mine.wrap())) {
        Err(StoreError::Conflict { table, id, by, .. }) => {
            assert_eq!((table, id, by.as_str()), (Table::Participant, p.0, "tester"));
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(
        s.model().participants.get(p.0).map(|x| x.surname.to_string()),
        Some("Kalniņa".into())
    );
    // Undo of a change that was changed again since is refused too...
    let mut again = s.model().participants.get(p.0).cloned().expect("person");
    again.email = "a@example.com".into();
    s.apply(Command::Update(again.wrap())).expect("second save");
    let undo = change.inverse().expect("invertible");
    assert!(matches!(s.apply(undo), Err(StoreError::Conflict { .. })));
    // ...while the undo of the latest one goes through.
    let last = s.history(1).expect("log");
    assert_eq!(last.len(), 1);
}

/// The fixture: every key and value of a database written by release 0.1 (schema 1):
/// `atbalsts init --sample` then `atbalsts settings hours-cap 10` (postcard, key order).
const SCHEMA1_SAMPLE: &[u8] = include_bytes!("../../tests/fixtures/schema1-sample.bin");

/// Opens sled directly, waiting for a handle dropped a moment ago (sled lets go of its lock
/// from a background thread).
fn raw_open(path: &std::path::Path) -> sled::Db {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        match sled::Config::new().path(path).open() {
            Ok(db) => return db,
            Err(e) if std::time::Instant::now() < deadline && e.to_string().contains("lock") => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(e) => panic!("sled: {e:?}"),
        }
    }
}

fn restore_raw(path: &std::path::Path, bytes: &[u8]) {
    let pairs: Vec<(Vec<u8>, Vec<u8>)> = postcard::from_bytes(bytes).expect("fixture");
    let raw = raw_open(path);
    for (k, v) in pairs {
        raw.insert(k, v).expect("insert");
    }
    raw.flush().expect("flush");
    close_sled(raw, path);
}

/// Writes the fixture from the database in $ATBALSTS_DUMP_FROM (run by hand with the
/// release binary's database: `cargo test --release --lib dump_schema1 -- --ignored`).
#[test]
#[ignore]
fn dump_schema1_fixture() {
    let from = std::env::var("ATBALSTS_DUMP_FROM").expect("ATBALSTS_DUMP_FROM");
    let raw = sled::Config::new().path(from).open().expect("sled");
    let pairs: Vec<(Vec<u8>, Vec<u8>)> = raw
        .iter()
        .map(|kv| kv.map(|(k, v)| (k.to_vec(), v.to_vec())).expect("read"))
        .collect();
    let bytes = postcard::to_allocvec(&pairs).expect("encode");
    std::fs::write(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schema1-sample.bin"),
        bytes,
    )
    .expect("write");
}

#[test]
fn a_schema_1_database_from_the_release_opens_and_migrates() {
    let db = Db::new();
    restore_raw(db.dir.path(), SCHEMA1_SAMPLE);
    {
        let raw = raw_open(db.dir.path());
        let v = raw.get(KEY_SCHEMA).expect("get").expect("schema");
        assert_eq!(v.as_ref(), &1u32.to_be_bytes(), "the fixture is schema 1");
    }
    let mut s = db.open();
    let m = s.model();
    assert!(m.count(Table::Organisation) > 100);
    assert_eq!(m.count(Table::Indicator), 11);
    assert_eq!(m.project.settings.seminar_hours_cap, Some(Hours(100)), "10 h survives");
    assert_eq!(m.project.settings.institutions, None);
    assert_eq!(m.project.number, "4.2.2.3/1/24/I/001");
    // Indicators keep their figures; a zero baseline was never given, targets were set by
    // the project, shares stay over the database.
    let i4 = m.indicators.iter().find(|i| i.code == "4").cloned().expect("#4");
    assert_eq!((i4.target, i4.values.len()), (120.0, 4));
    assert!(!i4.basis.baseline.given());
    assert!(matches!(i4.basis.target, FigureSource::Project { .. }));
    // The single agreement fields became the register: Ludza's and Ventspils' council
    // decisions are decisions, Cēsis' dated agreement is signed.
    let org = |short: &str| {
        m.organisations
            .iter()
            .find(|o| o.short_name == short)
            .cloned()
            .expect(short)
    };
    let ludza = org("Ludzas novads");
    assert_eq!(ludza.stage(), Stage::Decided);
    assert_eq!(ludza.documents[0].kind, DocKind::CouncilDecision);
    assert_eq!(ludza.documents[0].number, "417");
    assert_eq!(ludza.documents[0].date, NaiveDate::from_ymd_opt(2024, 10, 23));
    assert_eq!(org("Ventspils IP").stage(), Stage::Decided);
    let cesis = org("Cēsu novads");
    assert_eq!(cesis.stage(), Stage::Signed);
    assert_eq!(
        cesis.agreement().and_then(|d| d.date),
        NaiveDate::from_ymd_opt(2025, 4, 16)
    );
    assert_eq!(org("SAULES SKOLA").yearly_funding_cents, Some(400_000));
    let i1 = m.indicators.iter().find(|i| i.code == "1").cloned().expect("#1");
    assert_eq!(i1.basis.denominator, Denominator::Database);
    let asof = NaiveDate::from_ymd_opt(2026, 11, 22).expect("d");
    let o = crate::indicators::evaluate(m, &i1, asof);
    assert_eq!((o.covered, o.of), (38, 43));
    let before = (m.count(Table::Participant), m.count(Table::Attendance));
    assert!(before.1 > 1000);
    // Writable, and it stays schema 2 after a reopen.
    let mut p = m.project.clone();
    p.settings.institutions = Some(OfficialCount {
        count: 1234,
        source: "VIIS".into(),
        date: NaiveDate::from_ymd_opt(2025, 9, 1),
        assumed: false,
    });
    s.apply(Command::SetProject(p)).expect("set");
    drop(s);
    let s = db.open();
    assert_eq!(
        s.model().project.settings.institutions.as_ref().map(|c| c.count),
        Some(1234)
    );
    assert_eq!(
        (s.model().count(Table::Participant), s.model().count(Table::Attendance)),
        before
    );
    drop(s);
    let raw = raw_open(db.dir.path());
    let v = raw.get(KEY_SCHEMA).expect("get").expect("schema");
    assert_eq!(v.as_ref(), &crate::store::codec::SCHEMA_VERSION.to_be_bytes());
}

#[test]
fn two_edits_are_undone_one_after_the_other() {
    let db = Db::new();
    let mut s = db.open();
    let (_, _, _, p) = basics(&mut s);
    let mut a = s.model().participants.get(p.0).cloned().expect("person");
    a.surname = "Pirmā".into();
    let first = s.apply(Command::Update(a.wrap())).expect("first edit");
    let mut b = s.model().participants.get(p.0).cloned().expect("person");
    b.surname = "Otrā".into();
    let second = s.apply(Command::Update(b.wrap())).expect("second edit");
    let undone = s.apply(second.inverse().expect("inverse")).expect("undo the second");
    // Without rebasing, the first edit's undo names a version the undo replaced.
    assert!(matches!(
        s.apply(first.inverse().expect("inverse")),
        Err(StoreError::Conflict { .. })
    ));
    let mut first = first;
    first.rebase_onto(&undone);
    s.apply(first.inverse().expect("inverse")).expect("undo the first");
    assert_eq!(
        s.model().participants.get(p.0).map(|x| x.surname.to_string()),
        Some("Bērziņa".into())
    );
}

#[test]
fn a_group_of_changes_is_applied_in_order_each_refused_alone_and_survives_reopen() {
    let db = Db::new();
    let mut s = db.open();
    let (_, school, event, p) = basics(&mut s);
    let logged = s.history(100).expect("history").len();
    let other = s.user_id("kolēģe").expect("user");
    let second = Participant::new("Anna", "Bērziņa", Role::Teacher, Some(school));
    let bad = Participant::new("", "", Role::Teacher, None);
    let row = Attendance::new(event, p, AttendanceStatus::Attended);
    let results = s.apply_group(vec![
        (Command::Create(second.wrap()), other),
        (Command::Create(bad.wrap()), other),
        (Command::Create(row.clone().wrap()), s.user()),
        // Sees the row made just before it in the same group: the same person twice.
        (Command::Create(row.wrap()), other),
    ]);
    assert!(results[0].is_ok(), "{:?}", results[0]);
    assert!(
        matches!(results[1], Err(StoreError::Invalid { .. })),
        "{:?}",
        results[1]
    );
    assert!(results[2].is_ok(), "{:?}", results[2]);
    assert!(results[3].is_err(), "the second row for the same person is refused");
    drop(s);
    let s = db.open();
    let log = s.history(100).expect("history");
    assert_eq!(log.len(), logged + 2, "one entry for each change applied");
    assert_eq!(s.model().user_name(log[1].user), "kolēģe", "each by its own user");
    assert!(s.model().participants.iter().any(|q| q.surname == "Bērziņa"));
    assert!(s.model().attendance_pair(event, p).is_some());
}

#[test]
fn ten_check_ins_at_one_event_in_one_group_are_written_together_and_each_logged() {
    let db = Db::new();
    let mut s = db.open();
    let (_, school, event, _) = basics(&mut s);
    let logged = s.history(100).expect("history").len();
    let people: Vec<_> = (0..10)
        .map(|i| {
            let p = Participant::new("Jānis", &format!("Ozols{i}"), Role::Teacher, Some(school));
            match s.apply(Command::Create(p.wrap())).expect("person") {
                Change::Created(r) => crate::domain::ParticipantId(r.raw_id()),
                other => panic!("{other:?}"),
            }
        })
        .collect();
    let desks: Vec<_> = (0..10)
        .map(|i| s.user_id(&format!("galds{i}")).expect("user"))
        .collect();
    let group = people
        .iter()
        .zip(&desks)
        .map(|(p, u)| {
            let row = Attendance::new(event, *p, AttendanceStatus::Attended);
            (Command::Create(row.wrap()), *u)
        })
        .collect();
    let results = s.apply_group(group);
    assert!(results.iter().all(|r| r.is_ok()), "{results:?}");
    assert_eq!(s.last_write().changes, 10, "the ten went to the disk as one write");
    drop(s);
    let s = db.open();
    for p in &people {
        assert!(
            s.model().attendance_pair(event, *p).is_some(),
            "{p:?} kept after reopen"
        );
    }
    let log = s.history(100).expect("history");
    assert_eq!(
        log.len(),
        logged + 10 + 10,
        "ten people, then ten check-ins, each its own entry"
    );
    let authors: Vec<&str> = log[..10].iter().rev().map(|e| s.model().user_name(e.user)).collect();
    let expected: Vec<String> = (0..10).map(|i| format!("galds{i}")).collect();
    assert_eq!(authors, expected, "each check-in by its desk, in arrival order");
}

mod rewrite;
