//! The team server with real processes on a temporary database: clients starting one server
//! between them, changes reaching other screens live, two desks checking in the same person,
//! an edit from an older version, kill -9 of the server while a client writes, a stale
//! socket, a client of another version, and the author taken from the kernel, not $USER.

use atbalsts::backend::{Backend, Event};
use atbalsts::command::Command;
use atbalsts::domain::{AnyRecord, AttendanceStatus, Participant, Role, Table};
use atbalsts::server::client::Remote;
use atbalsts::server::proto::{self, Hello, Refusal, ToClient, ToServer};
use atbalsts::store::StoreError;
use std::os::unix::fs::PermissionsExt;

use std::process::{Child, Command as Proc, Output, Stdio};
use std::time::{Duration, Instant};

mod procs;
use procs::{BIN, Db, Throwaway, describe, loaded, servers_of, wait_event};

#[test]
fn twenty_clients_started_at_once_end_with_one_server_and_twenty_answers() {
    let db = Db::sample();
    assert!(servers_of(&db.path()).is_empty());
    let children: Vec<Child> = (0..20)
        .map(|_| {
            Proc::new(BIN)
                .arg("--db")
                .arg(db.path())
                .args(["stats", "--format", "json"])
                .env("ATBALSTS_SERVER_IDLE", "20")
                .env_remove("ATBALSTS_NO_SERVER")
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    let outs: Vec<Output> = children
        .into_iter()
        .map(|c| c.wait_with_output().expect("wait"))
        .collect();
    for o in &outs {
        assert!(o.status.success(), "{}", describe(o));
    }
    let first = &outs[0].stdout;
    assert!(outs.iter().all(|o| &o.stdout == first), "twenty equal answers");
    let v: serde_json::Value = serde_json::from_slice(first).expect("json");
    assert_eq!(v["participants"], 400, "{v}");
    assert_eq!(servers_of(&db.path()).len(), 1, "exactly one server");
}

#[test]
fn a_change_reaches_the_other_screen_live_and_the_author_is_the_account() {
    let db = Db::sample();
    let mut server = db.serve();
    let mut a = loaded(&db.path());
    let mut b = loaded(&db.path());
    assert_eq!(a.model().count(Table::Participant), 400);
    // a adds a person; b sees it with no request of its own.
    let p = Participant::new("Guna", "Āboliņa", Role::Teacher, None);
    let change = a.apply(Command::Create(AnyRecord::Participant(p))).expect("create");
    let id = match &change {
        atbalsts::command::Change::Created(r) => r.raw_id(),
        other => panic!("{other:?}"),
    };
    let took = wait_event(&mut b, Duration::from_secs(2), |e| matches!(e, Event::Changed { .. }))
        .expect("the change reaches b");
    assert!(took < Duration::from_millis(200), "took {took:?}");
    let seen = b.model().participants.get(id).expect("in b's replica");
    assert_eq!(seen.full_name(), "Guna Āboliņa");
    // The author is the account the kernel names for a's socket.
    let me = atbalsts::account::me();
    assert_eq!(b.model().user_name(seen.meta.created_by), me);
    // A CLI command with another $USER still writes as the account.
    let out = db.cli_env(
        &["settings", "hours-cap", "20"],
        &[("USER", "someone-else"), ("LOGNAME", "someone-else")],
    );
    assert!(out.status.success(), "{}", describe(&out));
    let stats = db.cli(&["stats"]);
    let text = String::from_utf8_lossy(&stats.stdout);
    assert!(!text.contains("someone-else"), "{text}");
    drop(a);
    drop(b);
    let _ = server.kill();
    let _ = server.wait();
}

#[test]
fn the_same_person_at_two_desks_is_checked_in_once_and_an_old_edit_is_refused() {
    let db = Db::sample();
    let mut server = db.serve();
    let mut a = loaded(&db.path());
    let mut b = loaded(&db.path());
    // A registration not yet checked in, as both desks read it.
    let row = a
        .model()
        .attendance
        .iter()
        .find(|r| r.status == AttendanceStatus::Registered)
        .cloned()
        .expect("a registration");
    let mut mine = row.clone();
    mine.status = AttendanceStatus::Attended;
    let mut theirs = row.clone();
    theirs.status = AttendanceStatus::Attended;
    let ra = a.apply(Command::Update(AnyRecord::Attendance(mine)));
    let rb = b.apply(Command::Update(AnyRecord::Attendance(theirs)));
    assert!(ra.is_ok(), "{ra:?}");
    match rb {
        Err(StoreError::Conflict { id, by, .. }) => {
            assert_eq!(id, row.id.0);
            assert_eq!(by, atbalsts::account::me());
        }
        other => panic!("the second desk must be refused: {other:?}"),
    }
    // The refusal leaves b's replica current: it now shows the row as checked in.
    let _ = b.poll();
    assert_eq!(
        b.model().attendance.get(row.id.0).map(|r| r.status),
        Some(AttendanceStatus::Attended)
    );
    drop(a);
    drop(b);
    let _ = server.kill();
    let _ = server.wait();
}

#[test]
fn kill_9_of_the_server_loses_nothing_acknowledged_and_a_client_reconnects() {
    let db = Db::sample();
    let mut server = db.serve();
    let mut a = loaded(&db.path());
    let mut acknowledged = Vec::new();
    let mut write = |a: &mut Remote, i: usize| -> bool {
        let p = Participant::new("Kill", &format!("Test{i}"), Role::Teacher, None);
        match a.apply(Command::Create(AnyRecord::Participant(p))) {
            Ok(_) => {
                acknowledged.push(format!("Kill Test{i}"));
                true
            }
            Err(StoreError::Server { .. }) => false,
            Err(e) => panic!("{e:?}"),
        }
    };
    for i in 0..30 {
        assert!(write(&mut a, i));
    }
    let _ = server.kill(); // SIGKILL
    let _ = server.wait();
    // The next write finds the server gone: refused, never applied later.
    assert!(!write(&mut a, 30));
    assert_eq!(acknowledged.len(), 30);
    // The socket file is left behind (stale); a new server replaces it.
    assert!(db.path().join(proto::SOCKET).exists());
    let mut server = db.serve();
    // The client gets back on its own: a fresh snapshot replaces its replica.
    let back = wait_event(&mut a, Duration::from_secs(20), |e| matches!(e, Event::Reconnected));
    assert!(back.is_some(), "reconnected");
    let names: std::collections::HashSet<String> = a.model().participants.iter().map(|p| p.full_name()).collect();
    for n in &acknowledged {
        assert!(names.contains(n), "{n} lost");
    }
    let doubled = a
        .model()
        .participants
        .iter()
        .filter(|p| p.given_name.as_str() == "Kill")
        .count();
    assert_eq!(doubled, acknowledged.len(), "nothing doubled");
    drop(a);
    let _ = server.kill();
    let _ = server.wait();
}

#[test]
fn a_stale_socket_is_replaced_and_a_client_of_another_version_is_told_what_to_do() {
    let db = Db::sample();
    let mut server = db.serve();
    // Another version says hello: refused with this server's version.
    let mut s = std::os::unix::net::UnixStream::connect(db.path().join(proto::SOCKET)).expect("connect");
    let mut hello = Hello::new(proto::Role::Command);
    hello.protocol += 1;
    proto::send(&mut s, &ToServer::Hello(hello)).expect("send");
    match proto::recv::<ToClient>(&mut s, proto::SERVER_LIMIT).expect("answer") {
        Some(ToClient::Refused(Refusal::Version { program, .. })) => assert_eq!(program, env!("CARGO_PKG_VERSION")),
        other => panic!("{other:?}"),
    }
    drop(s);
    let _ = server.kill();
    let _ = server.wait();
    assert!(db.path().join(proto::SOCKET).exists(), "stale socket left by kill -9");
    // The next command starts a new server in its place.
    let out = db.cli(&["stats"]);
    assert!(out.status.success(), "{}", describe(&out));
    assert_eq!(servers_of(&db.path()).len(), 1);
    // Without the server, the database is refused while one holds it, and allowed after.
    let out = db.cli(&["--no-server", "stats"]);
    assert_eq!(out.status.code(), Some(3), "{}", describe(&out));
    let out = db.cli(&["server", "stop"]);
    assert!(out.status.success(), "{}", describe(&out));
    let deadline = Instant::now() + Duration::from_secs(30);
    while !servers_of(&db.path()).is_empty() {
        assert!(Instant::now() < deadline, "server did not stop");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        !db.path().join(proto::SOCKET).exists(),
        "a stopped server removes its socket"
    );
    let out = db.cli(&["--no-server", "stats"]);
    assert!(out.status.success(), "{}", describe(&out));
}

#[test]
fn a_directory_others_can_read_is_refused_with_the_fix() {
    let db = Db::sample();
    std::fs::set_permissions(db.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let out = db.cli(&["stats"]);
    assert!(!out.status.success(), "{}", describe(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("chmod"), "{err}");
    assert!(servers_of(&db.path()).is_empty());
}

#[test]
fn an_account_outside_the_team_is_refused_naming_the_group_and_accepted_once_on_the_access_list() {
    let who = match Throwaway::make("a", 1, false) {
        Ok(t) => t,
        Err(why) => {
            println!("skipped: a throwaway account cannot be made here ({why})");
            return;
        }
    };
    let user = who.users[0].clone();
    let db = Db::sample();
    // A team directory (setgid, group who.group) that others may pass through to the socket,
    // with an access list naming nobody yet.
    let bin = procs::team(&db, &who.group);
    std::fs::set_permissions(db.path(), std::fs::Permissions::from_mode(0o2771)).expect("chmod");
    let list = db.path().join(proto::ACCESS);
    std::fs::write(&list, "# accounts outside the group\n").expect("access list");
    let mut server = db.serve();
    let as_them = |lang: &str| procs::as_user(&user, &bin, &db.path(), &["--lang", lang, "stats"]);
    let out = as_them("en");
    assert!(!out.status.success(), "{}", describe(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&user), "names the account: {err}");
    assert!(
        err.contains(&format!("added to the group {}", who.group)),
        "names the group to join: {err}"
    );
    assert!(err.contains("atbalsts.access"), "names the access list: {err}");
    let out = as_them("lv");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("grupai {}", who.group)), "{err}");
    // On the access list: accepted, and the answer is the database's.
    std::fs::write(&list, format!("# accounts outside the group\n{user}\n")).expect("access list");
    let out = as_them("en");
    assert!(out.status.success(), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("400"),
        "{}",
        describe(&out)
    );
    // Off the list again: refused again, at once.
    std::fs::write(&list, "").expect("access list");
    assert!(!as_them("en").status.success());
    let _ = server.kill();
    let _ = server.wait();
}

#[test]
fn the_server_log_has_connections_refusals_and_timings_but_no_personal_data() {
    let db = Db::sample();
    let log = db.dir.path().join("server.log");
    let mut server = Proc::new(BIN)
        .arg("--db")
        .arg(db.path())
        .arg(format!("--log={}", log.display()))
        .args(["serve", "--idle", "30"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve");
    let deadline = Instant::now() + Duration::from_secs(30);
    while db.status().is_none() {
        assert!(Instant::now() < deadline, "the server did not start");
        std::thread::sleep(Duration::from_millis(10));
    }
    // A screen adds a person; a command searches for her; another version is refused.
    let mut a = loaded(&db.path());
    let mut p = Participant::new("Zelma", "Kārkliņa", Role::Teacher, None);
    p.email = "zelma.karklina@example.lv".into();
    a.apply(Command::Create(AnyRecord::Participant(p))).expect("create");
    let out = db.cli(&["search", "Kārkliņa"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Kārkliņa"),
        "{}",
        describe(&out)
    );
    let mut s = std::os::unix::net::UnixStream::connect(db.path().join(proto::SOCKET)).expect("connect");
    let mut hello = Hello::new(proto::Role::Command);
    hello.protocol += 1;
    proto::send(&mut s, &ToServer::Hello(hello)).expect("send");
    let _ = proto::recv::<ToClient>(&mut s, proto::SERVER_LIMIT);
    drop(s);
    drop(a);
    let out = db.cli(&["server", "stop"]);
    assert!(out.status.success(), "{}", describe(&out));
    let _ = server.wait();
    let text = std::fs::read_to_string(&log).expect("the log");
    let me = atbalsts::account::me();
    for want in [
        "serve: listening".to_string(),
        format!("connected account={me}"),
        "hello as Screen".into(),
        "subscribe (snapshot) in".into(),
        "apply in".into(),
        "ran a command for uid=".into(),
        ": search, exit 0".into(),
        "search (8 chars)".into(),
        "refused: program".into(),
        format!("left account={me}"),
        "serve: stopped".into(),
    ] {
        assert!(text.contains(&want), "the log has {want:?}:\n{text}");
    }
    for never in ["Zelma", "Kārkliņa", "karklina", "example.lv"] {
        assert!(!text.contains(never), "the log must not hold {never:?}:\n{text}");
    }
    let mode = std::fs::metadata(&log).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn the_servers_indicator_report_follows_changes_like_a_fresh_scan() {
    use atbalsts::domain::{Activity, Attendance, EventId, EventStatus, ParticipantId};
    use chrono::Datelike;
    let db = Db::sample();
    let mut server = db.serve();
    let report = |db: &Db, extra: &[&str]| {
        let mut args = vec!["report", "indicators", "--format", "json", "--asof", "2026-11-22"];
        args.extend_from_slice(extra);
        let out = db.cli(&args);
        assert!(out.status.success(), "{}", describe(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let before = report(&db, &[]); // the server builds its totals here
    let mut a = loaded(&db.path());
    // Changes the totals must follow: single check-ins, a batch (the rest of an event
    // absent), and a walk-in (a new person and their row in one batch) at a held event.
    let (held, rows): (EventId, Vec<Attendance>) = {
        let m = a.model();
        let e = m
            .events
            .iter()
            .filter(|e| e.status == EventStatus::Held)
            .max_by_key(|e| {
                m.attendance_of_event(e.id)
                    .iter()
                    .filter_map(|r| m.attendance.get(r.0))
                    .filter(|r| r.status != AttendanceStatus::Attended)
                    .count()
            })
            .map(|e| e.id)
            .expect("a held event");
        let rows = m
            .attendance_of_event(e)
            .iter()
            .filter_map(|r| m.attendance.get(r.0).cloned())
            .filter(|r| r.status != AttendanceStatus::Attended)
            .collect();
        (e, rows)
    };
    assert!(rows.len() >= 2, "rows to change at the held event");
    let mut first = rows[0].clone();
    first.status = AttendanceStatus::Attended;
    a.apply(Command::Update(AnyRecord::Attendance(first)))
        .expect("check-in");
    let rest: Vec<Command> = rows[1..]
        .iter()
        .cloned()
        .map(|mut r| {
            r.status = AttendanceStatus::Attended;
            Command::Update(AnyRecord::Attendance(r))
        })
        .collect();
    a.apply(Command::Batch(rest)).expect("batch");
    // A school the sample's 2026 regularity (#10) misses gets a teacher at a school-support
    // event held in 2026: that figure must move.
    let (school, support) = {
        let m = a.model();
        let school = m
            .organisations
            .iter()
            .find(|o| o.name == "Baldones vidusskola")
            .map(|o| o.id);
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        let support = m
            .events
            .iter()
            .filter(|e| e.status == EventStatus::Held && e.activity == Activity::School)
            .filter(|e| e.start.date().year() == 2026 && e.start.date() <= day)
            .map(|e| e.id)
            .next()
            .unwrap_or(held);
        (school, support)
    };
    assert!(school.is_some(), "the sample has Baldones vidusskola");
    let mut p = Participant::new("Guna", "Āboliņa", Role::Teacher, school);
    p.id = ParticipantId::new_in_batch(0);
    let row = Attendance::new(support, p.id, AttendanceStatus::Attended);
    a.apply(Command::Batch(vec![
        Command::Create(AnyRecord::Participant(p)),
        Command::Create(AnyRecord::Attendance(row)),
    ]))
    .expect("walk-in");
    // Four desks checking people in at the same moment: the server applies what arrives
    // together as one group, and its totals must follow every change in the group.
    let pairs: Vec<(EventId, ParticipantId)> = {
        let m = a.model();
        m.participants
            .iter()
            .filter(|p| m.attendance_pair(support, p.id).is_none())
            .take(8)
            .map(|p| (support, p.id))
            .collect()
    };
    assert_eq!(pairs.len(), 8, "people not yet at the event");
    let go = std::sync::Arc::new(std::sync::Barrier::new(4));
    let desks: Vec<_> = pairs
        .chunks(2)
        .map(|two| {
            let (two, go, dir) = (two.to_vec(), go.clone(), db.path());
            std::thread::spawn(move || {
                let mut desk = loaded(&dir);
                go.wait();
                for (e, p) in two {
                    let row = Attendance::new(e, p, AttendanceStatus::Attended);
                    desk.apply(Command::Create(AnyRecord::Attendance(row)))
                        .expect("a desk's check-in");
                }
            })
        })
        .collect();
    for d in desks {
        d.join().expect("a desk");
    }
    let served = report(&db, &[]);
    let by_role = report(&db, &["--by", "role"]);
    drop(a);
    let out = db.cli(&["server", "stop"]);
    assert!(out.status.success(), "{}", describe(&out));
    let _ = server.wait();
    let fresh = report(&db, &["--no-server"]);
    assert_eq!(served, fresh, "the server's running totals agree with a fresh scan");
    // The report before the changes built the server's totals, so the one after read them.
    assert!(before.contains("\"code\":\"10\""), "{before}");
    assert_eq!(by_role, report(&db, &["--no-server", "--by", "role"]));
}

/// The server's resident memory, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

/// One frame: a little-endian length, then the body.
fn frame(body: &[u8]) -> Vec<u8> {
    let mut v = (body.len() as u32).to_le_bytes().to_vec();
    v.extend_from_slice(body);
    v
}

/// A hundred peers announcing a 2 GiB frame before their hello, ten that say hello and then
/// announce a 200 MiB command and send nothing, and a peer that never says hello: the server
/// allocates nothing for what has not arrived (before, each 2 GiB length cost 2 GiB), drops
/// the silent peer after the hello's deadline, and a desk writes all the while.
#[test]
fn hostile_peers_cost_the_server_little_and_a_desk_keeps_writing() {
    use std::io::{Read, Write};
    let db = Db::sample();
    let mut server = db.serve();
    let pid = servers_of(&db.path())[0];
    let mut desk = loaded(&db.path());
    let sock = db.path().join(proto::SOCKET);
    let before = rss_kib(pid);
    let mut held = Vec::new();
    for _ in 0..100 {
        let mut s = std::os::unix::net::UnixStream::connect(&sock).expect("connect");
        s.write_all(&0x7fff_fff0u32.to_le_bytes()).expect("prefix");
        held.push(s);
    }
    let hello = postcard::to_allocvec(&ToServer::Hello(Hello::new(proto::Role::Command))).expect("hello");
    for _ in 0..10 {
        let mut s = std::os::unix::net::UnixStream::connect(&sock).expect("connect");
        s.write_all(&frame(&hello)).expect("hello");
        match proto::recv::<ToClient>(&mut s, proto::SERVER_LIMIT).expect("welcome") {
            Some(ToClient::Welcome { .. }) => {}
            other => panic!("{other:?}"),
        }
        s.write_all(&(200u32 << 20).to_le_bytes()).expect("prefix");
        s.write_all(&[0u8; 1000]).expect("a little of the body");
        held.push(s);
    }
    let silent = std::os::unix::net::UnixStream::connect(&sock).expect("connect");
    // The desk writes while they hang on.
    for i in 0..30 {
        let p = Participant::new(
            "Rakstītāja",
            &format!("Galda{}", (b'A' + i) as char),
            Role::Teacher,
            None,
        );
        desk.apply(Command::Create(AnyRecord::Participant(p)))
            .expect("the desk writes");
    }
    let after = rss_kib(pid);
    println!("server RSS {before} KiB before, {after} KiB with 110 hostile peers held");
    assert!(
        after < before + 32 * 1024,
        "110 hostile peers cost {} KiB (before {before}, after {after})",
        after - before
    );
    // Those over the limit are dropped at once: the stream ends for them.
    let mut first = held.remove(0);
    first.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    let mut buf = [0u8; 16];
    assert_eq!(
        first.read(&mut buf).expect("end"),
        0,
        "a 2 GiB length before the hello is dropped"
    );
    // The peer that never says hello is dropped after the deadline.
    let mut silent = silent;
    silent
        .set_read_timeout(Some(atbalsts::server::conn::HELLO_WAIT + Duration::from_secs(10)))
        .expect("timeout");
    let t0 = Instant::now();
    assert_eq!(silent.read(&mut buf).expect("end"), 0, "no hello, no connection");
    assert!(t0.elapsed() < atbalsts::server::conn::HELLO_WAIT + Duration::from_secs(5));
    drop(held);
    drop(desk);
    let _ = server.kill();
    let _ = server.wait();
}

/// An account holds at most its share of connections; the next is refused with what to do,
/// and a place frees when one closes.
#[test]
fn an_account_is_refused_past_its_share_of_connections_with_what_to_do() {
    let db = Db::sample();
    let mut server = db.serve();
    let sock = db.path().join(proto::SOCKET);
    let hello = |s: &mut std::os::unix::net::UnixStream| {
        proto::send(s, &ToServer::Hello(Hello::new(proto::Role::Command))).expect("hello");
        proto::recv::<ToClient>(s, proto::SERVER_LIMIT).expect("answer")
    };
    let mut held = Vec::new();
    for _ in 0..atbalsts::server::conn::PER_ACCOUNT {
        let mut s = std::os::unix::net::UnixStream::connect(&sock).expect("connect");
        assert!(matches!(hello(&mut s), Some(ToClient::Welcome { .. })));
        held.push(s);
    }
    let out = db.cli(&["stats"]);
    assert!(!out.status.success(), "{}", describe(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("as many connections to the server of {}", db.path().display()))
            && err.contains(&atbalsts::server::conn::PER_ACCOUNT.to_string()),
        "{err}"
    );
    held.pop();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let out = db.cli(&["stats"]);
        if out.status.success() {
            break;
        }
        assert!(Instant::now() < deadline, "a freed place is taken: {}", describe(&out));
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(held);
    let _ = server.kill();
    let _ = server.wait();
}

/// A small tmpfs mounted on a database's directory (root only), unmounted when dropped.
struct Tmpfs(std::path::PathBuf);

impl Tmpfs {
    fn mount(at: &std::path::Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(at).ok()?;
        let ok = Proc::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0700"), "tmpfs"])
            .arg(at)
            .stdin(Stdio::null())
            .output()
            .ok()?
            .status
            .success();
        ok.then(|| Tmpfs(at.to_owned()))
    }

    /// Fills the disk up to `leave` bytes free (0: full), in the file `fill`.
    fn fill(&self, leave: u64) {
        use std::io::Write;
        let mut f = std::fs::File::create(self.0.join("fill")).expect("fill");
        let chunk = vec![1u8; 4096];
        while free(&self.0) > leave + chunk.len() as u64 {
            if f.write_all(&chunk).is_err() {
                break;
            }
        }
        while leave == 0 && f.write_all(&chunk[..512]).is_ok() {}
        let _ = f.sync_all();
    }

    fn unfill(&self) {
        std::fs::remove_file(self.0.join("fill")).expect("unfill");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Proc::new("umount").arg("-l").arg(&self.0).output();
    }
}

/// Bytes free on the file system of `p`.
fn free(p: &std::path::Path) -> u64 {
    let c = std::ffi::CString::new(p.as_os_str().as_encoded_bytes()).expect("path");
    // SAFETY: statvfs fills the struct it is given; the path is a valid C string.
    unsafe {
        let mut s: libc::statvfs = std::mem::zeroed();
        assert_eq!(libc::statvfs(c.as_ptr(), &mut s), 0, "statvfs");
        s.f_bavail as u64 * s.f_frsize as u64
    }
}

/// Whether any of the database's files holds `needle`.
fn in_files(dir: &std::path::Path, needle: &str) -> bool {
    fn walk(d: &std::path::Path, needle: &[u8]) -> bool {
        std::fs::read_dir(d).into_iter().flatten().flatten().any(|e| {
            let p = e.path();
            if p.is_dir() {
                walk(&p, needle)
            } else {
                std::fs::read(&p).is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle))
            }
        })
    }
    walk(dir, needle.as_bytes())
}

/// A full disk: after the server was killed on it, the data still opens and reads (the
/// reserve makes room for sled's snapshot), writes are refused saying the disk is full and
/// change nothing, and once space is freed writes work again with no restart. An erasure
/// whose rewrite has no room is made and said as such (exit 1, not "nothing was saved"),
/// and the next start rewrites the files.
#[test]
fn a_full_disk_keeps_reads_refuses_writes_plainly_and_recovers_by_itself() {
    let top = tempfile::tempdir().expect("tempdir");
    let db = Db { dir: top };
    let Some(disk) = Tmpfs::mount(&db.path(), "24m") else {
        println!("skipped: a tmpfs cannot be mounted here (not root)");
        return;
    };
    let out = db.cli(&["init", "--sample", "--no-server"]);
    assert!(out.status.success(), "init: {}", describe(&out));
    let list = db.dir.path().join("one.csv");
    let import = |n: &str| {
        std::fs::write(
            &list,
            format!("Vārds;Uzvārds;E-pasts\nPilna{n};Diska;pilna.{n}@example.com\n"),
        )
        .expect("list");
        db.cli(&["import", "participants", list.to_str().expect("utf-8")])
    };
    let people = || {
        let out = db.cli(&["stats", "--format", "json"]);
        assert!(out.status.success(), "stats: {}", describe(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        v["participants"].as_u64().expect("a count")
    };
    assert!(import("A").status.success());
    assert!(db.path().join("atbalsts.reserve").exists(), "a writer keeps a reserve");
    for pid in servers_of(&db.path()) {
        // SAFETY: a signal to this test's server.
        unsafe { libc::kill(pid as i32, libc::SIGKILL) };
    }
    disk.fill(0);
    // Reads work: the server opens the data on the full disk.
    let before = people();
    assert_eq!(before, 401);
    // Writes are refused, plainly, and change nothing.
    let out = import("B");
    assert!(!out.status.success(), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is full"),
        "{}",
        describe(&out)
    );
    assert_eq!(people(), before);
    // Space back: the same server writes again.
    disk.unfill();
    let out = import("C");
    assert!(out.status.success(), "{}", describe(&out));
    assert_eq!(people(), before + 1);
    // An erasure with room for its change but not for the rewrite of the files.
    let id = {
        let out = db.cli(&["search", "pilna.c@example.com", "--format", "json"]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        v[0]["id"].as_u64().expect("the person's id").to_string()
    };
    assert!(in_files(&db.path(), "pilna.c@example.com"));
    disk.fill(64 * 1024);
    let out = db.cli(&["erase", &id, "--yes"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("old files still hold") && err.contains("the disk is full"),
        "{err}"
    );
    assert!(!err.contains("nothing was saved"), "{err}");
    assert_eq!(people(), before, "a person with no attendance is erased whole");
    disk.unfill();
    let out = db.cli(&["server", "stop"]);
    assert!(out.status.success(), "{}", describe(&out));
    let _ = people();
    assert!(
        !in_files(&db.path(), "pilna.c@example.com"),
        "the next start rewrote the files"
    );
    drop(db);
    drop(disk);
}

/// Files under `dir` owned by `uid`.
fn owned_by(dir: &std::path::Path, uid: u32) -> Vec<String> {
    use std::os::unix::fs::MetadataExt;
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let p = e.path();
        if std::fs::symlink_metadata(&p).is_ok_and(|m| m.uid() == uid) {
            out.push(p.display().to_string());
        }
        if p.is_dir() {
            out.extend(owned_by(&p, uid));
        }
    }
    out
}

/// Another account on someone's private database: root's `stats`, `--no-server` and
/// `serve` are refused with what to do and leave no file of root's there (before, root's
/// server left root-owned files that locked the owner out); an account without permission
/// is told it has none (before: "No database at …; create one"). The owner works on.
#[test]
fn another_account_never_makes_files_in_a_private_database_and_is_told_what_to_do() {
    let who = match Throwaway::make("o", 2, false) {
        Ok(t) => t,
        Err(why) => {
            println!("skipped: throwaway accounts cannot be made here ({why})");
            return;
        }
    };
    let (owner, stranger) = (who.users[0].clone(), who.users[1].clone());
    let top = tempfile::tempdir().expect("tempdir");
    let chown = Proc::new("chown").arg(&owner).arg(top.path()).output().expect("chown");
    assert!(chown.status.success(), "{}", describe(&chown));
    std::fs::set_permissions(top.path(), std::fs::Permissions::from_mode(0o711)).expect("chmod");
    let bin = top.path().join("atbalsts");
    std::fs::copy(BIN, &bin).expect("copy the binary");
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let db = top.path().join("db");
    let out = procs::as_user(&owner, &bin, &db, &["init", "--sample", "--no-server"]);
    assert!(out.status.success(), "{}", describe(&out));
    let as_root = |args: &[&str]| {
        Proc::new(BIN)
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("LANG", "C.UTF-8")
            .env("ATBALSTS_SERVER_IDLE", "20")
            .env_remove("ATBALSTS_NO_SERVER")
            .stdin(Stdio::null())
            .output()
            .expect("run")
    };
    for args in [&["stats"][..], &["--no-server", "stats"], &["serve", "--idle", "1"]] {
        let out = as_root(args);
        assert!(!out.status.success(), "{args:?}: {}", describe(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("belongs to {owner}")) && err.contains(&format!("as {owner}")),
            "{args:?}: {err}"
        );
        assert!(
            owned_by(&db, 0).is_empty(),
            "{args:?}: root's files {:?}",
            owned_by(&db, 0)
        );
    }
    let out = procs::as_user(&stranger, &bin, &db, &["stats"]);
    assert!(!out.status.success(), "{}", describe(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("No permission to use the database") && err.contains(&owner),
        "{err}"
    );
    // The owner is not locked out.
    let out = procs::as_user(&owner, &bin, &db, &["stats"]);
    assert!(out.status.success(), "{}", describe(&out));
    let _ = procs::as_user(&owner, &bin, &db, &["server", "stop"]);
}

/// Erasures from the command line while a desk writes, the server killed twice meanwhile:
/// an erasure's rewrite runs beside the desk's writes (each erasure answers once its files
/// are rewritten), every write the desk got acknowledged is there afterwards, and every
/// erasure that said it was done left nothing of the person in the files (one cut short by
/// a kill is finished by the next open).
#[test]
fn erasures_rewrite_beside_a_desk_and_a_kill_mid_job_loses_nothing_acknowledged() {
    let db = Db::sample();
    let dir = db.path();
    let mut desk = loaded(&dir);
    let mut to_erase = Vec::new();
    for i in 0..6u8 {
        let mut p = Participant::new(
            "Dzēšamā",
            &format!("Persona{}", (b'A' + i) as char),
            Role::Teacher,
            None,
        );
        p.email = format!("dzest{i}@example.lv").into();
        match desk.apply(Command::Create(AnyRecord::Participant(p))).expect("person") {
            atbalsts::command::Change::Created(r) => to_erase.push((r.raw_id(), format!("dzest{i}@example.lv"))),
            other => panic!("{other:?}"),
        }
    }
    let eraser = {
        let (db_dir, people) = (dir.clone(), to_erase.clone());
        std::thread::spawn(move || {
            people
                .into_iter()
                .map(|(id, email)| {
                    let out = Proc::new(BIN)
                        .arg("--db")
                        .arg(&db_dir)
                        .args(["erase", &id.to_string(), "--yes"])
                        .env("ATBALSTS_SERVER_IDLE", "20")
                        .env_remove("ATBALSTS_NO_SERVER")
                        .stdin(Stdio::null())
                        .output()
                        .expect("erase");
                    (id, email, out.status.success())
                })
                .collect::<Vec<_>>()
        })
    };
    let mut acknowledged = Vec::new();
    let mut kills = 0;
    let mut i = 0u32;
    while !eraser.is_finished() || i < 60 {
        let name = format!("Galds{i}");
        let p = Participant::new("Rakstītāja", &name, Role::Teacher, None);
        match desk.apply(Command::Create(AnyRecord::Participant(p))) {
            Ok(_) => acknowledged.push(name),
            Err(StoreError::Server { .. }) => procs::back(&mut desk),
            Err(e) => panic!("{e:?}"),
        }
        let _ = desk.poll();
        if (i == 20 || i == 50) && kills < 2 {
            for pid in servers_of(&dir) {
                // SAFETY: a signal to this test's server.
                unsafe { libc::kill(pid as i32, libc::SIGKILL) };
                kills += 1;
            }
        }
        i += 1;
    }
    let erased = eraser.join().expect("eraser");
    drop(desk);
    let out = db.cli(&["server", "stop"]);
    assert!(out.status.success(), "{}", describe(&out));
    // The next open finishes any rewrite a kill cut short.
    let check = loaded(&dir);
    let m = check.model();
    let names: std::collections::HashSet<String> = m.participants.iter().map(|p| p.surname.to_string()).collect();
    for n in &acknowledged {
        assert!(names.contains(n), "{n}: acknowledged, then lost");
    }
    let done: Vec<&(u32, String, bool)> = erased.iter().filter(|(_, _, ok)| *ok).collect();
    assert!(!done.is_empty(), "some erasures got through: {erased:?}");
    for (id, email, _) in done {
        assert!(m.participants.get(*id).is_none(), "{id} erased");
        let files = std::fs::read_dir(&dir)
            .expect("dir")
            .flatten()
            .filter(|e| e.path().is_file())
            .filter(|e| std::fs::read(e.path()).is_ok_and(|b| b.windows(email.len()).any(|w| w == email.as_bytes())))
            .count();
        assert_eq!(files, 0, "{email} left in the files");
    }
    println!(
        "{} desk writes acknowledged, {} erasures done of {}, {kills} kills",
        acknowledged.len(),
        erased.iter().filter(|e| e.2).count(),
        erased.len()
    );
}
