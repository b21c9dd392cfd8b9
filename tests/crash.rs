//! Crash harness: the real binary's writers (`erase`, `settings`, `compact`) on one sample
//! database, killed with SIGKILL at random moments. Afterwards the database opens, every
//! acknowledged write is there (an erased person stays erased and leaves no email in the
//! files; the last acknowledged setting or a later attempted one is in force), nothing is
//! doubled, and the attendance total never moves.
//!
//! CRASH_KILLS (default 200) sets how many runs are killed; CRASH_SEED replays a run.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_atbalsts");

fn atbalsts(db: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    // The writer killed is the process that owns the database (the server's own kill -9
    // is in tests/server.rs).
    c.env("ATBALSTS_NO_SERVER", "1")
        .arg("--db")
        .arg(db)
        .arg("--lang")
        .arg("en")
        .args(args)
        .env_remove("ATBALSTS_LOG")
        .env_remove("ATBALSTS_CONFIG")
        .env("HOME", db.parent().unwrap_or(db))
        .stdin(Stdio::null());
    c
}

fn json(db: &Path, args: &[&str]) -> Value {
    let out = atbalsts(db, args).output().expect("run");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// xorshift64*: enough randomness for kill times, replayable from the seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn count_in_files(dir: &Path, needle: &[u8]) -> usize {
    let mut n = 0;
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            n += count_in_files(&p, needle);
        } else if let Ok(bytes) = std::fs::read(&p) {
            n += bytes.windows(needle.len()).filter(|w| *w == needle).count();
        }
    }
    n
}

#[test]
fn sigkill_at_random_moments_loses_no_acknowledged_write() {
    let kills_wanted: usize = std::env::var("CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let seed: u64 = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
                | 1
        });
    eprintln!("crash harness: CRASH_SEED={seed} CRASH_KILLS={kills_wanted}");
    let mut rng = Rng(seed);
    let root = tempfile::tempdir().expect("tempdir");
    let db: PathBuf = root.path().join("db");
    let out = atbalsts(&db, &["init", "--sample"]).output().expect("init");
    assert!(out.status.success());

    let people = json(&db, &["list", "participants", "--format", "json"]);
    let rows = json(&db, &["list", "attendance", "--format", "json"]);
    let attendance_total = rows.as_array().map_or(0, Vec::len);
    let people = people.as_array().expect("people");
    // People to erase, with their emails (unique ones, so that grep can tell).
    let mut to_erase: Vec<(u64, String)> = people
        .iter()
        .filter(|p| {
            let e = p["email"].as_str().unwrap_or("");
            // Unique, and not inside anyone else's (aiga.berzina@ is in daiga.berzina@),
            // so that a byte search can tell.
            !e.is_empty()
                && people
                    .iter()
                    .filter(|q| q["email"].as_str().is_some_and(|o| o.contains(e)))
                    .count()
                    == 1
        })
        .filter_map(|p| Some((p["id"].as_u64()?, p["email"].as_str()?.to_string())))
        .collect();
    to_erase.reverse();

    // How long a run takes here, so that kills land inside runs.
    let t = Instant::now();
    let out = atbalsts(&db, &["settings", "hours-cap", "12"])
        .output()
        .expect("settings");
    assert!(out.status.success());
    let run_us = (t.elapsed().as_micros() as u64).max(5_000);

    let mut erased: Vec<(u64, String)> = Vec::new(); // acknowledged
    let mut attempted_erase: Vec<u64> = Vec::new();
    let mut cap_acked: Option<u64> = Some(12);
    let mut cap_tried_since_ack: Vec<u64> = Vec::new();
    let (mut kills, mut acks, mut runs) = (0usize, 0usize, 0usize);
    let started = Instant::now();
    while kills < kills_wanted {
        runs += 1;
        let op = rng.below(10);
        let (args, erase, cap): (Vec<String>, Option<(u64, String)>, Option<u64>) = match op {
            0..=3 if !to_erase.is_empty() => {
                let (id, email) = to_erase.pop().expect("someone");
                (
                    vec!["erase".into(), id.to_string(), "--yes".into()],
                    Some((id, email)),
                    None,
                )
            }
            0..=4 => (vec!["compact".into()], None, None),
            _ => {
                let v = 1 + rng.below(60);
                (
                    vec!["settings".into(), "hours-cap".into(), v.to_string()],
                    None,
                    Some(v),
                )
            }
        };
        let args_ref: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut child = atbalsts(&db, &args_ref)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        if let Some((id, _)) = &erase {
            attempted_erase.push(*id);
        }
        if let Some(v) = cap {
            cap_tried_since_ack.push(v);
        }
        std::thread::sleep(Duration::from_micros(rng.below(run_us * 2)));
        let killed = child.kill().is_ok(); // SIGKILL; fails if it already exited
        let out = child.wait_with_output().expect("wait");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let finished = out.status.success();
        if killed && !finished {
            kills += 1;
        }
        if finished {
            match (&erase, cap) {
                (Some(e), _) if stdout.starts_with("Erased") => {
                    erased.push(e.clone());
                    acks += 1;
                }
                (_, Some(v)) if stdout.contains("hours") => {
                    cap_acked = Some(v);
                    cap_tried_since_ack.clear();
                    acks += 1;
                }
                (None, None) if stdout.starts_with("Rewrote") => acks += 1,
                _ => {}
            }
        } else if let Some(code) = out.status.code() {
            // Not killed but failed: only "in use" (a killed predecessor's lock) is allowed,
            // and the lock is the owner's flock, which dies with its process.
            panic!(
                "run {runs} {args:?} failed with {code}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    eprintln!(
        "crash harness: {runs} runs, {kills} SIGKILLs, {acks} writes acknowledged, {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // The database opens, and holds every acknowledged write exactly once.
    let people = json(&db, &["list", "participants", "--format", "json"]);
    let people = people.as_array().expect("people");
    let mut ids: Vec<u64> = people.iter().filter_map(|p| p["id"].as_u64()).collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "no participant doubled");
    for (id, email) in &erased {
        let p = people.iter().find(|p| p["id"].as_u64() == Some(*id));
        // Erased with attendance: an anonymous record; without: gone.
        if let Some(p) = p {
            assert_eq!(p["email"].as_str(), Some(""), "acknowledged erasure of {id} undone");
        }
        assert_eq!(count_in_files(&db, email.as_bytes()), 0, "{email} left in the files");
    }
    // A person whose erasure was attempted but killed is either untouched or erased.
    for id in &attempted_erase {
        if let Some(p) = people.iter().find(|p| p["id"].as_u64() == Some(*id)) {
            let erased = p["surname"].as_str() == Some("—");
            assert!(
                erased || !p["email"].as_str().unwrap_or("").is_empty(),
                "half-erased {id}: {p}"
            );
        }
    }
    let rows = json(&db, &["list", "attendance", "--format", "json"]);
    assert_eq!(
        rows.as_array().map_or(0, Vec::len),
        attendance_total,
        "attendance total unchanged"
    );
    let mut att_ids: Vec<u64> = rows
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["id"].as_u64())
        .collect();
    att_ids.sort_unstable();
    att_ids.dedup();
    assert_eq!(att_ids.len(), attendance_total, "no attendance row doubled");
    let out = atbalsts(&db, &["settings"]).output().expect("settings");
    let shown = String::from_utf8_lossy(&out.stdout).to_string();
    let cap_now: Option<u64> = shown
        .lines()
        .find(|l| l.starts_with("hours-cap"))
        .unwrap_or_default()
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| !w.is_empty())
        .and_then(|w| w.parse().ok());
    let allowed: Vec<Option<u64>> = std::iter::once(cap_acked)
        .chain(cap_tried_since_ack.iter().map(|v| Some(*v)))
        .collect();
    assert!(
        allowed.contains(&cap_now),
        "hours cap {cap_now:?}, allowed {allowed:?} ({shown})"
    );
    assert!(!db.join(".rewrite").exists() || kills > 0);
    assert!(kills >= kills_wanted);
}
