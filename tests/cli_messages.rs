//! What the command line says when things go wrong: a closed pipe ends every output format
//! the same quiet way, escapes in arguments are shown and not sent, a damaged database names
//! its file and says what to do, an open directory is refused with the chmod that fixes it.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_atbalsts");

fn atbalsts(db: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--db")
        .arg(db)
        .arg("--lang")
        .arg("en")
        .env_remove("ATBALSTS_LOG")
        .env_remove("ATBALSTS_CONFIG")
        .env("HOME", db.parent().unwrap_or(db))
        .stdin(Stdio::null());
    c
}

fn sample() -> (tempfile::TempDir, std::path::PathBuf) {
    let root = tempfile::tempdir().expect("tempdir");
    let db = root.path().join("db");
    let out = atbalsts(&db).args(["init", "--sample"]).output().expect("init");
    assert!(out.status.success());
    (root, db)
}

#[test]
fn a_closed_pipe_ends_every_format_quietly() {
    let (_root, db) = sample();
    for format in ["text", "csv", "json"] {
        let mut child = atbalsts(&db)
            .args(["list", "attendance", "--format", format])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut first)
            .expect("a line");
        // The reader is gone now (like `| head -1`).
        let out = child.wait_with_output().expect("wait");
        assert!(!first.is_empty());
        assert_eq!(out.status.code(), Some(0), "{format}");
        assert!(
            out.stderr.is_empty(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn escapes_in_arguments_are_shown_not_sent() {
    let (_root, db) = sample();
    let out = atbalsts(&db)
        .args([
            "report",
            "indicators",
            "--asof",
            "X\u{1b}]52;c;SGVsbG8=\u{7}\u{1b}[2JY\u{202E}",
        ])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{7}') && !err.contains('\u{202E}'),
        "{err:?}"
    );
    assert!(
        err.contains("X\\u{1b}]52;c;SGVsbG8=\\u{7}\\u{1b}[2JY\\u{202e}"),
        "{err}"
    );
}

#[test]
fn a_damaged_database_names_its_file_and_what_to_do() {
    let (_root, db) = sample();
    // The server has the data in memory: stop it, then damage the file under it.
    let stop = atbalsts(&db).args(["server", "stop"]).output().expect("stop");
    assert!(stop.status.success());
    let file = db.join("db");
    let bytes = std::fs::read(&file).expect("read");
    std::fs::write(&file, &bytes[..4096]).expect("truncate");
    let out = atbalsts(&db).arg("stats").output().expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("is damaged") && err.contains(&file.display().to_string()),
        "{err}"
    );
    assert!(
        err.contains("backup") && !err.contains("None") && !err.contains("Some("),
        "{err}"
    );
}

#[test]
fn a_directory_others_can_read_is_refused_with_the_chmod_that_fixes_it() {
    let (_root, db) = sample();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let out = atbalsts(&db).arg("stats").output().expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains(&format!("chmod 700 {}", db.display())), "{err}");
    let fixed = Command::new("chmod").arg("700").arg(&db).status().expect("chmod");
    assert!(fixed.success());
    let out = atbalsts(&db).arg("stats").output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The team notice is said where it informs: by `init` (on standard error) and by
/// `server status`; never by the everyday commands, whose standard error a script or cron
/// mail reads.
#[test]
fn the_team_notice_is_said_by_init_and_server_status_only() {
    let root = tempfile::tempdir().expect("tempdir");
    let db = root.path().join("team");
    std::fs::create_dir(&db).expect("team directory");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o2770)).expect("setgid");
    let run = |args: &[&str]| {
        let out = atbalsts(&db)
            .args(args)
            .env("ATBALSTS_SERVER_IDLE", "20")
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (_, err) = run(&["init", "--sample"]);
    assert!(err.contains("Team database"), "{err}");
    let (events, err) = run(&["list", "events"]);
    assert!(err.is_empty(), "{err}");
    let event = events
        .lines()
        .nth(1)
        .and_then(|l| l.split('\t').next())
        .expect("an event's id")
        .to_string();
    for args in [
        &["stats"][..],
        &["attendance", &event],
        &["report", "indicators"],
        &["search", "berzins"],
    ] {
        let (out, err) = run(args);
        assert!(!out.is_empty(), "{args:?}");
        assert!(err.is_empty(), "{args:?}: {err}");
    }
    let (out, err) = run(&["server", "status"]);
    assert!(out.contains("Team database"), "{out}");
    assert!(err.is_empty(), "{err}");
    let _ = atbalsts(&db).args(["server", "stop"]).output();
}
