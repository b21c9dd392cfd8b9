//! A team at work on one database at the same moment, with real processes: two accounts
//! importing registration lists with `--event`, walk-ins and new people with new schools,
//! all at once while the server is killed again and again. Afterwards every acknowledged
//! record names exactly the right person, event, school and author (the server decides ids
//! and authors; nothing a client planned on an older copy may point elsewhere).

use atbalsts::backend::Backend;
use atbalsts::command::Command;
use atbalsts::domain::{
    Attendance, AttendanceStatus, OrgId, OrgKind, Organisation, Participant, ParticipantId, Record, Role, Stamp,
};
use atbalsts::store::StoreError;
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Command as Proc, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

mod procs;
use procs::{BIN, Db, Throwaway, back, loaded, servers_of};

/// How long the writers write.
const RUN: Duration = Duration::from_secs(8);

/// A number as letters (names take no digits): 0 → "A", 27 → "BB".
fn letters(mut n: usize) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, (b'A' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            return s;
        }
        n -= 1;
    }
}

/// One write a writer tried: what it made (a key to find it by) and whether the server
/// acknowledged it.
struct Attempt {
    key: String,
    acknowledged: bool,
}

/// The account a writer acts as: a throwaway team member (when this runs as root), or this
/// process's own account.
#[derive(Clone)]
struct Account {
    name: String,
    user: Option<String>,
}

/// Imports one new person with a new school into `event`, in a loop, as `who`; each list is
/// a file of its own.
fn importer(w: usize, who: Account, bin: PathBuf, db: PathBuf, event: u32, stop: Arc<AtomicBool>) -> Vec<Attempt> {
    let mut out = Vec::new();
    let file = db.parent().expect("top").join(format!("list{w}.csv"));
    let mut i = 0;
    while !stop.load(Ordering::Relaxed) {
        let email = format!("w{w}n{i}@race.lv");
        let text = format!(
            "Vārds;Uzvārds;E-pasts;Izglītības iestāde\nRase{};Sacīkste{};{email};Sacīkšu skola {w} {}\n",
            letters(i),
            letters(w),
            letters(i)
        );
        std::fs::write(&file, text).expect("list");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let event = event.to_string();
        let file_arg = file.to_string_lossy().into_owned();
        let args = [
            "import",
            "participants",
            file_arg.as_str(),
            "--event",
            event.as_str(),
            "--create-institutions",
        ];
        let done = match &who.user {
            Some(u) => procs::as_user(u, &bin, &db, &args),
            None => Proc::new(BIN)
                .arg("--db")
                .arg(&db)
                .args(args)
                .env("ATBALSTS_SERVER_IDLE", "20")
                .env_remove("ATBALSTS_NO_SERVER")
                .stdin(Stdio::null())
                .output()
                .expect("import"),
        };
        out.push(Attempt {
            key: email,
            acknowledged: done.status.success(),
        });
        i += 1;
    }
    out
}

/// Applies commands made by `make(i)` in a loop through a screen's connection; a loss of
/// the server is not an acknowledgement, anything else refused is a failure.
fn screen_writer(db: PathBuf, stop: Arc<AtomicBool>, make: impl Fn(usize) -> (String, Command)) -> Vec<Attempt> {
    let mut r = loaded(&db);
    let mut out = Vec::new();
    let mut i = 0;
    while !stop.load(Ordering::Relaxed) {
        let (key, cmd) = make(i);
        let acknowledged = match r.apply(cmd) {
            Ok(_) => true,
            Err(StoreError::Server { .. }) => {
                back(&mut r);
                false
            }
            Err(e) => panic!("{key}: refused: {e:?}"),
        };
        out.push(Attempt { key, acknowledged });
        let _ = r.poll();
        i += 1;
    }
    out
}

#[test]
fn writers_at_once_with_the_server_killed_leave_every_record_with_the_right_person_event_and_author() {
    let team = match Throwaway::make("t", 2, true) {
        Ok(t) => Some(t),
        Err(why) => {
            println!("two accounts cannot be made here ({why}): both importers act as this account");
            None
        }
    };
    let db = Db::sample();
    let me = atbalsts::account::me();
    let (bin, importers): (PathBuf, Vec<Account>) = match &team {
        Some(t) => (
            procs::team(&db, &t.group),
            t.users
                .iter()
                .map(|u| Account {
                    name: u.clone(),
                    user: Some(u.clone()),
                })
                .collect(),
        ),
        None => (
            PathBuf::from(BIN),
            vec![
                Account {
                    name: me.clone(),
                    user: None
                };
                2
            ],
        ),
    };
    let dir = db.path();
    let (events, before): (Vec<u32>, HashMap<u32, usize>) = {
        let r = loaded(&dir);
        let m = r.model();
        let events: Vec<u32> = m.events.iter().take(3).map(|e| e.id.0).collect();
        let before = events
            .iter()
            .map(|e| (*e, m.attendance_of_event(atbalsts::domain::EventId(*e)).len()))
            .collect();
        (events, before)
    };
    assert_eq!(events.len(), 3);
    let stop = Arc::new(AtomicBool::new(false));
    let kills = Arc::new(AtomicUsize::new(0));
    let mut threads = Vec::new();
    for (w, who) in importers.iter().enumerate() {
        let (who, bin, db, stop, event) = (who.clone(), bin.clone(), dir.clone(), Arc::clone(&stop), events[w]);
        threads.push(std::thread::spawn(move || importer(w, who, bin, db, event, stop)));
    }
    // Walk-ins at the third event: the new person and their check-in, one batch.
    let walk_in_event = events[2];
    {
        let (db, stop) = (dir.clone(), Arc::clone(&stop));
        threads.push(std::thread::spawn(move || {
            screen_writer(db, stop, |i| {
                let mut p = Participant::new(&format!("Ienāca{}", letters(i)), "Gājēja", Role::Teacher, None);
                p.id = ParticipantId::new_in_batch(0);
                let mut row = Attendance::new(
                    atbalsts::domain::EventId(walk_in_event),
                    p.id,
                    AttendanceStatus::Attended,
                );
                row.checked_in_at = Some(Stamp::now());
                let key = p.full_name();
                (
                    key,
                    Command::Batch(vec![Command::Create(p.wrap()), Command::Create(row.wrap())]),
                )
            })
        }));
    }
    // A colleague adding a new school and a person at it, one batch.
    {
        let (db, stop) = (dir.clone(), Arc::clone(&stop));
        threads.push(std::thread::spawn(move || {
            screen_writer(db, stop, |i| {
                let mut school = Organisation::new(&format!("Kolēģa skola {}", letters(i)), OrgKind::School);
                school.id = OrgId::new_in_batch(0);
                let mut p = Participant::new(
                    &format!("Jauna{}", letters(i)),
                    "Kolēģe",
                    Role::Teacher,
                    Some(school.id),
                );
                p.id = ParticipantId::new_in_batch(0);
                (
                    p.full_name(),
                    Command::Batch(vec![Command::Create(school.wrap()), Command::Create(p.wrap())]),
                )
            })
        }));
    }
    // The server is killed every 0.6–1.5 s while they write.
    {
        let (db, stop, kills) = (dir.clone(), Arc::clone(&stop), Arc::clone(&kills));
        threads.push(std::thread::spawn(move || {
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                std::thread::sleep(Duration::from_millis(600 + (n * 337) % 900));
                for pid in servers_of(&db) {
                    // SAFETY: a signal to a process of this test.
                    unsafe {
                        libc::kill(pid as i32, libc::SIGKILL);
                    }
                    kills.fetch_add(1, Ordering::Relaxed);
                }
            }
            Vec::new()
        }));
    }
    // At least RUN, and until the server was killed three times (a busy machine restarts
    // it slowly), at most four times RUN.
    let t0 = Instant::now();
    while t0.elapsed() < RUN || (kills.load(Ordering::Relaxed) < 3 && t0.elapsed() < 4 * RUN) {
        std::thread::sleep(Duration::from_millis(50));
    }
    stop.store(true, Ordering::Relaxed);
    let mut results: Vec<Vec<Attempt>> = threads.into_iter().map(|t| t.join().expect("writer")).collect();
    let _killer = results.pop();
    let colleague = results.pop().expect("colleague");
    let walk_ins = results.pop().expect("walk-ins");
    let imports = results;

    let r = loaded(&dir);
    let m = r.model();
    let author = |u: atbalsts::domain::UserId| m.user_name(u).to_string();
    let org_name = |o: Option<OrgId>| {
        o.and_then(|o| m.organisations.get(o.0))
            .map_or_else(String::new, |o| o.name.to_string())
    };
    let rows_of = |p: &Participant| -> Vec<Attendance> {
        m.attendance_of_person(p.id)
            .iter()
            .filter_map(|a| m.attendance.get(a.0).cloned())
            .collect()
    };
    let mut acknowledged = 0;
    for (w, attempts) in imports.iter().enumerate() {
        let who = &importers[w].name;
        for a in attempts {
            let people: Vec<&Participant> = m.participants.iter().filter(|p| p.email == a.key).collect();
            if a.acknowledged {
                acknowledged += 1;
                assert_eq!(people.len(), 1, "{}: acknowledged, so there once", a.key);
            } else {
                assert!(people.len() <= 1, "{}: at most once", a.key);
            }
            for p in people {
                let i = p.given_name.trim_start_matches("Rase");
                assert_eq!(org_name(p.institution), format!("Sacīkšu skola {w} {i}"), "{}", a.key);
                assert_eq!(&author(p.meta.created_by), who, "{}: made by its importer", a.key);
                let school = p.institution.and_then(|o| m.organisations.get(o.0)).expect("school");
                assert_eq!(
                    &author(school.meta.created_by),
                    who,
                    "{}: the school by its importer",
                    a.key
                );
                let rows = rows_of(p);
                assert_eq!(rows.len(), 1, "{}: registered once: {rows:?}", a.key);
                assert_eq!(rows[0].event.0, events[w], "{}: for its importer's event", a.key);
                assert_eq!(rows[0].status, AttendanceStatus::Registered);
                assert_eq!(
                    &author(rows[0].meta.created_by),
                    who,
                    "{}: registered by its importer",
                    a.key
                );
            }
        }
    }
    // Nobody else was registered for the importers' events: every new row there is a
    // person of that importer's lists.
    for (w, e) in events.iter().take(2).enumerate() {
        let rows = m.attendance_of_event(atbalsts::domain::EventId(*e));
        let others = rows
            .iter()
            .filter_map(|a| m.attendance.get(a.0))
            .filter_map(|a| m.participants.get(a.participant.0))
            .filter(|p| !p.email.starts_with(&format!("w{w}n")))
            .count();
        assert_eq!(others, before[e], "event {e}: only its importer's people were added");
    }
    for a in &walk_ins {
        let people: Vec<&Participant> = m.participants.iter().filter(|p| p.full_name() == a.key).collect();
        assert!(people.len() <= 1 && (people.len() == 1 || !a.acknowledged), "{}", a.key);
        acknowledged += usize::from(a.acknowledged);
        for p in people {
            let rows = rows_of(p);
            assert_eq!(rows.len(), 1, "{}: {rows:?}", a.key);
            assert_eq!(rows[0].event.0, walk_in_event, "{}", a.key);
            assert_eq!(rows[0].status, AttendanceStatus::Attended);
            assert_eq!(
                rows[0].checked_in_by.map(author),
                Some(me.clone()),
                "{}: checked in by",
                a.key
            );
            assert_eq!(author(p.meta.created_by), me, "{}", a.key);
        }
    }
    for a in &colleague {
        let people: Vec<&Participant> = m.participants.iter().filter(|p| p.full_name() == a.key).collect();
        assert!(people.len() <= 1 && (people.len() == 1 || !a.acknowledged), "{}", a.key);
        acknowledged += usize::from(a.acknowledged);
        for p in people {
            let i = p.given_name.trim_start_matches("Jauna");
            assert_eq!(org_name(p.institution), format!("Kolēģa skola {i}"), "{}", a.key);
            assert!(rows_of(p).is_empty(), "{}", a.key);
        }
    }
    let kills = kills.load(Ordering::Relaxed);
    println!(
        "acknowledged {acknowledged}: imports {:?}, walk-ins {}, colleague {}; server kills {kills}",
        imports
            .iter()
            .map(|a| a.iter().filter(|x| x.acknowledged).count())
            .collect::<Vec<_>>(),
        walk_ins.iter().filter(|x| x.acknowledged).count(),
        colleague.iter().filter(|x| x.acknowledged).count()
    );
    assert!(kills >= 3, "the server was killed only {kills} times");
    for (w, a) in imports.iter().enumerate() {
        assert!(
            a.iter().filter(|x| x.acknowledged).count() >= 3,
            "importer {w} got through"
        );
    }
    assert!(walk_ins.iter().filter(|x| x.acknowledged).count() >= 3);
    assert!(colleague.iter().filter(|x| x.acknowledged).count() >= 3);
}
