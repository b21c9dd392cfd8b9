//! Real processes on a temporary database, shared by the server tests: the database with
//! its server, the server processes of a database, throwaway accounts and a team group.
#![allow(dead_code)]

use atbalsts::backend::{Backend, Event};
use atbalsts::server::client::Remote;
use atbalsts::server::proto;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Proc, Output, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_atbalsts");

/// A private scratch directory with a sample database; stops its server when dropped.
pub struct Db {
    pub dir: tempfile::TempDir,
}

impl Db {
    pub fn sample() -> Db {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).expect("chmod");
        let db = Db { dir };
        let out = db.cli(&["init", "--sample", "--no-server"]);
        assert!(out.status.success(), "init: {}", describe(&out));
        db
    }
    pub fn path(&self) -> PathBuf {
        self.dir.path().join("db")
    }
    pub fn cli(&self, args: &[&str]) -> Output {
        self.cli_env(args, &[])
    }
    pub fn cli_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut c = Proc::new(BIN);
        c.arg("--db").arg(self.path()).args(args);
        c.env("LANG", "C.UTF-8")
            .env("ATBALSTS_SERVER_IDLE", "20")
            .env_remove("ATBALSTS_DB")
            .env_remove("ATBALSTS_NO_SERVER")
            .stdin(Stdio::null());
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().expect("run atbalsts")
    }
    /// `atbalsts serve` in the foreground, as systemd would run it.
    pub fn serve(&self) -> Child {
        let child = Proc::new(BIN)
            .arg("--db")
            .arg(self.path())
            .args(["serve", "--idle", "30"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve");
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self.path().join(proto::SOCKET).exists() || self.status().is_none() {
            assert!(Instant::now() < deadline, "the server did not start");
            std::thread::sleep(Duration::from_millis(10));
        }
        child
    }
    pub fn status(&self) -> Option<String> {
        let out = self.cli(&["server", "status"]);
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        let _ = self.cli(&["server", "stop"]);
    }
}

pub fn describe(out: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Pids of `atbalsts serve` processes on `db`.
pub fn servers_of(db: &Path) -> Vec<u32> {
    let want = db.to_string_lossy().into_owned();
    let mut pids = Vec::new();
    for e in std::fs::read_dir("/proc").expect("proc").flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(cmd) = std::fs::read(e.path().join("cmdline")) else {
            continue;
        };
        let args: Vec<String> = cmd
            .split(|b| *b == 0)
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        if args.iter().any(|a| a == "serve") && args.contains(&want) {
            pids.push(pid);
        }
    }
    pids
}

/// Polls `b` until `pred` holds of an event, at most `limit`.
pub fn wait_event(b: &mut Remote, limit: Duration, pred: impl Fn(&Event) -> bool) -> Option<Duration> {
    let t0 = Instant::now();
    while t0.elapsed() < limit {
        if b.poll().iter().any(&pred) {
            return Some(t0.elapsed());
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    None
}

pub fn loaded(dir: &Path) -> Remote {
    serve_with_the_binary();
    // A server being killed and replaced meanwhile (the team test) may turn one try away.
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut r = loop {
        match Remote::start(dir) {
            Ok(r) => break r,
            Err(e) if Instant::now() < deadline => {
                println!("connect: {e}; trying again");
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => panic!("connect: {e:?}"),
        }
    };
    assert!(
        wait_event(&mut r, Duration::from_secs(30), |e| matches!(e, Event::Loaded)).is_some(),
        "snapshot"
    );
    r
}

/// Throwaway accounts and a group, removed when dropped.
pub struct Throwaway {
    pub users: Vec<String>,
    pub group: String,
}

impl Throwaway {
    /// `n` accounts and a group, made with useradd/groupadd (`tag` tells tests apart); the
    /// accounts' primary group is the new one when `in_group`. `Err(why)` when that cannot
    /// be done here (not root).
    pub fn make(tag: &str, n: usize, in_group: bool) -> Result<Throwaway, String> {
        if atbalsts::account::my_uid() != 0 {
            return Err("not root".into());
        }
        let tag = format!("atb{tag}{}", std::process::id() % 1_000_000);
        let mut t = Throwaway {
            users: Vec::new(),
            group: format!("{tag}g"),
        };
        let run = |args: &[&str]| -> Result<(), String> {
            let out = Proc::new(args[0])
                .args(&args[1..])
                .stdin(Stdio::null())
                .output()
                .map_err(|e| format!("{}: {e}", args[0]))?;
            if out.status.success() {
                Ok(())
            } else {
                Err(format!("{}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr)))
            }
        };
        run(&["groupadd", &t.group])?;
        // From here on, drop removes what exists.
        for i in 0..n {
            let user = format!("{tag}u{i}");
            let group = t.group.clone();
            let mut args = vec!["useradd", "-M", "-s", "/bin/false"];
            if in_group {
                args.extend(["-g", &group]);
            } else {
                args.push("-N");
            }
            args.push(&user);
            run(&args)?;
            t.users.push(user);
        }
        Ok(t)
    }
}

impl Drop for Throwaway {
    fn drop(&mut self) {
        for user in &self.users {
            let _ = Proc::new("userdel").arg(user).stdin(Stdio::null()).output();
        }
        let _ = Proc::new("groupdel").arg(&self.group).stdin(Stdio::null()).output();
    }
}

/// Makes `db` a team database of `group` (setgid, group read-write, others may pass through
/// its parent) and puts a copy of the binary where its accounts can run it; returns it.
pub fn team(db: &Db, group: &str) -> PathBuf {
    let top = db.dir.path();
    std::fs::set_permissions(top, std::fs::Permissions::from_mode(0o711)).expect("chmod");
    let chgrp = Proc::new("chgrp")
        .arg("-R")
        .arg(group)
        .arg(db.path())
        .output()
        .expect("chgrp");
    assert!(chgrp.status.success(), "{}", describe(&chgrp));
    std::fs::set_permissions(db.path(), std::fs::Permissions::from_mode(0o2770)).expect("chmod");
    // The database's files, made private by init, are the group's too.
    for e in std::fs::read_dir(db.path()).expect("read_dir").flatten() {
        let mode = if e.path().is_dir() { 0o2770 } else { 0o660 };
        std::fs::set_permissions(e.path(), std::fs::Permissions::from_mode(mode)).expect("chmod");
    }
    let bin = top.join("atbalsts");
    std::fs::copy(BIN, &bin).expect("copy the binary");
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    bin
}

/// `bin --db DB args` run as account `user` (with `runuser`), its output.
pub fn as_user(user: &str, bin: &Path, db: &Path, args: &[&str]) -> Output {
    as_user_cmd(user, bin, db, args).output().expect("runuser")
}

/// The command of [`as_user`], to spawn.
pub fn as_user_cmd(user: &str, bin: &Path, db: &Path, args: &[&str]) -> Proc {
    let mut c = Proc::new("runuser");
    c.args(["-u", user, "--"])
        .arg(bin)
        .arg("--db")
        .arg(db)
        .args(args)
        .env("HOME", "/nonexistent")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .env("LANG", "C.UTF-8")
        .env("ATBALSTS_SERVER_IDLE", "20")
        .env_remove("ATBALSTS_DB")
        .env_remove("ATBALSTS_NO_SERVER")
        .env_remove("ATBALSTS_LOG")
        .stdin(Stdio::null());
    c
}

/// A client in this test process that finds no server starts the real binary (not the test
/// program, which is what it would start by default).
pub fn serve_with_the_binary() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    // SAFETY: set once, before this test's clients read it; nothing else in the tests sets
    // the environment.
    ONCE.call_once(|| unsafe { std::env::set_var("ATBALSTS_SERVER_EXE", BIN) });
}

/// Waits for `r` to be back on a server after a loss (it starts one if none runs).
pub fn back(r: &mut Remote) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if r.poll().iter().any(|e| matches!(e, Event::Reconnected | Event::Loaded)) {
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("the client did not get back on a server");
}
