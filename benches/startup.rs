//! Start-up, memory and frame-time benchmarks for `atbalsts` (see BENCHMARKS.md).
//!
//! Run: `cargo bench --bench startup` (all three scales), or a quick run with
//! `BENCH_SCALES=3k,30k cargo bench --bench startup` (or `cargo bench --bench startup -- 3k`).
//!
//! Environment knobs:
//! - `BENCH_SCALES`: scales to run, any of `3k,30k,300k` (default: all)
//! - `BENCH_FRAME_SCALES`: scales for the in-process frame timing (default: `3k,300k` among
//!   the selected scales, else the largest selected)
//! - `BENCH_RUNS`: start-up runs per scale (default 7; one extra warm-up run is always made
//!   and reported separately)
//! - `BENCH_FRAMES`: frames per pane (default 200)
//! - `BENCH_KEYS`: key presses per scroll test (default 500)
//! - `BENCH_BIN`: the `atbalsts` binary to start (default: the one cargo built for this bench;
//!   the in-process frame timing always uses the library compiled into the bench)
//! - `BENCH_DATA`: where generated databases are kept (default `<target>/bench-data`; reused
//!   on later runs)
//!
//! Writes `<target>/bench-results.json` with every figure.
//!
//! Noise: the machine may be shared. Every section measures a baseline in the same run,
//! interleaved with the measurement, and reports medians / p95 / p99 rather than means.

use atbalsts::tui::app::{App, Pane};
use atbalsts::tui::keymap::{Action, Keymap};
use atbalsts::tui::theme::Theme;
use atbalsts::tui::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::widgets::Paragraph;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

// ---------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------

struct Scale {
    name: &'static str,
    participants: u32,
    events: u32,
    attendance: u64,
}

const SCALES: [Scale; 3] = [
    Scale {
        name: "3k",
        participants: 3_000,
        events: 300,
        attendance: 30_000,
    },
    Scale {
        name: "30k",
        participants: 30_000,
        events: 3_000,
        attendance: 300_000,
    },
    Scale {
        name: "300k",
        participants: 300_000,
        events: 30_000,
        attendance: 3_000_000,
    },
];
const SEED: u64 = 1;

/// Targets from the issue.
const T_FIRST_FRAME_MS: f64 = 150.0;
const T_LOADED_MS: f64 = 600.0;
const T_RSS_BYTES: f64 = 300e6; // "300 MB" read as 300·10^6 bytes (286 MiB): the stricter reading
const T_FRAME_MS: f64 = 2.0;
const T_KEY_MS: f64 = 5.0;

const TUI_SIZE: (u16, u16) = (80, 24);
const POLL: Duration = Duration::from_millis(5);
const LOAD_TIMEOUT: Duration = Duration::from_secs(30);
const QUIT_TIMEOUT: Duration = Duration::from_secs(10);
/// VmRSS is read this long after `loaded_ms=` appears (the loaded screen is drawn by then).
const SETTLE: Duration = Duration::from_millis(250);

struct Cfg {
    bin: PathBuf,
    target: PathBuf,
    data: PathBuf,
    scales: Vec<&'static Scale>,
    frame_scales: Vec<&'static Scale>,
    runs: usize,
    frames: usize,
    keys: usize,
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(default)
}

fn parse_scales(list: &str) -> Vec<&'static Scale> {
    let want: Vec<String> = list
        .split([',', ' '])
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .collect();
    for w in &want {
        if !SCALES.iter().any(|s| s.name == w) {
            eprintln!("unknown scale '{w}' (use 3k, 30k, 300k)");
            std::process::exit(2);
        }
    }
    SCALES.iter().filter(|s| want.iter().any(|w| w == s.name)).collect()
}

fn config() -> Cfg {
    let built = PathBuf::from(env!("CARGO_BIN_EXE_atbalsts"));
    // <target>/<profile>/atbalsts
    let target = built
        .parent()
        .and_then(Path::parent)
        .map(Path::to_owned)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let data = std::env::var_os("BENCH_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| target.join("bench-data"));
    // Positional arguments (cargo passes `--bench`; skip flags) override BENCH_SCALES.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let scales = if !args.is_empty() {
        parse_scales(&args.join(","))
    } else if let Ok(v) = std::env::var("BENCH_SCALES") {
        parse_scales(&v)
    } else {
        SCALES.iter().collect()
    };
    let frame_scales = match std::env::var("BENCH_FRAME_SCALES") {
        Ok(v) => parse_scales(&v),
        Err(_) => {
            let f: Vec<&Scale> = scales
                .iter()
                .copied()
                .filter(|s| s.name == "3k" || s.name == "300k")
                .collect();
            if f.is_empty() {
                scales.last().copied().into_iter().collect()
            } else {
                f
            }
        }
    };
    // BENCH_BIN: measure another build of the binary (e.g. a saved copy while sources change).
    let bin = std::env::var_os("BENCH_BIN").map(PathBuf::from).unwrap_or(built);
    Cfg {
        bin,
        target,
        data,
        scales,
        frame_scales,
        runs: env_usize("BENCH_RUNS", 7),
        frames: env_usize("BENCH_FRAMES", 200),
        keys: env_usize("BENCH_KEYS", 500),
    }
}

// ---------------------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug)]
struct Sum {
    n: usize,
    min: f64,
    p50: f64,
    p95: f64,
    p99: f64,
    max: f64,
    mean: f64,
}

fn summarize(v: &[f64]) -> Sum {
    let mut s: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
    s.sort_by(|a, b| a.total_cmp(b));
    let n = s.len();
    Sum {
        n,
        min: s.first().copied().unwrap_or(f64::NAN),
        p50: median(&s),
        p95: pct(&s, 95.0),
        p99: pct(&s, 99.0),
        max: s.last().copied().unwrap_or(f64::NAN),
        mean: if n == 0 {
            f64::NAN
        } else {
            s.iter().sum::<f64>() / n as f64
        },
    }
}

/// Median of sorted data (mean of the two middle values for even n).
fn median(s: &[f64]) -> f64 {
    match s.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => s[n / 2],
        n => (s[n / 2 - 1] + s[n / 2]) / 2.0,
    }
}

impl Sum {
    fn json(&self) -> Value {
        json!({"n": self.n, "min": r3(self.min), "p50": r3(self.p50), "p95": r3(self.p95),
               "p99": r3(self.p99), "max": r3(self.max), "mean": r3(self.mean)})
    }
}

/// CPU time of the calling thread (excludes time the thread was preempted).
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime only writes the timespec we pass.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// CPU time (user + system, all threads incl. finished ones) of a live process, in ms.
fn proc_cpu_ms(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let f: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, r)| r.split_whitespace().collect())
        .unwrap_or_default();
    // After the command name: state is field 3, utime 14, stime 15.
    let get = |i: usize| f.get(i - 3).and_then(|v| v.parse::<f64>().ok()).unwrap_or(f64::NAN);
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    (get(14) + get(15)) * 1000.0 / hz
}

// ---------------------------------------------------------------------------------------
// System information and small helpers
// ---------------------------------------------------------------------------------------

/// Which build is measured: the binary's size, modification time and a fingerprint of its
/// bytes, the bench executable's modification time, and the git commit with the number of
/// uncommitted files under src/ (the sources change while engineers work).
fn build_identity(bin: &Path) -> Value {
    use std::hash::{Hash, Hasher};
    let mtime = |p: &Path| {
        std::fs::metadata(p)
            .and_then(|m| m.modified())
            .map(|t| chrono::DateTime::<chrono::Utc>::from(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_default()
    };
    let bytes = std::fs::read(bin).unwrap_or_default();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(env!("CARGO_MANIFEST_DIR"))
            .args(args)
            .stderr(Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    };
    let bench_exe = std::env::current_exe().unwrap_or_default();
    json!({
        "binary_bytes": bytes.len(),
        "binary_mtime": mtime(bin),
        "binary_fingerprint": format!("{:016x}", h.finish()),
        "bench_exe_mtime": mtime(&bench_exe),
        "git_head": git(&["rev-parse", "--short", "HEAD"]).map(|s| s.trim().to_string()),
        "git_uncommitted_src_files": git(&["status", "--porcelain", "--", "src", "Cargo.toml", "Cargo.lock"])
            .map(|s| s.lines().count()),
    })
}

fn machine() -> Value {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_kib = field_kib(&meminfo, "MemTotal:");
    json!({
        "nproc": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        "cpu": cpu,
        "mem_total_kib": mem_kib,
        "kernel": std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default().trim(),
        "loadavg_at_start": loadavg(),
    })
}

use atbalsts::log::status_kib as field_kib;

mod common;
use common::*;

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            match e.file_type() {
                Ok(t) if t.is_dir() => files_under(&p, out),
                Ok(t) if t.is_file() => out.push(p),
                _ => {}
            }
        }
    }
}

fn dir_bytes(dir: &Path) -> u64 {
    let mut files = Vec::new();
    files_under(dir, &mut files);
    files
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum()
}

/// Baseline: `std::fs::read` of every file in the database directory (from page cache).
fn raw_read_ms(dir: &Path) -> (f64, u64) {
    let t = Instant::now();
    let mut files = Vec::new();
    files_under(dir, &mut files);
    let mut bytes = 0u64;
    for f in &files {
        if let Ok(b) = std::fs::read(f) {
            bytes += b.len() as u64;
            std::hint::black_box(&b);
        }
    }
    (ms(t.elapsed()), bytes)
}

/// `atbalsts --db DIR stats --format json` as a whole process: (wall ms, CPU ms, output).
fn stats_run(bin: &Path, db: &Path) -> Result<(f64, f64, Value), String> {
    let c0 = children_cpu();
    let t = Instant::now();
    let out = Command::new(bin)
        .arg("--db")
        .arg(db)
        .args(["stats", "--format", "json"])
        .env_remove("ATBALSTS_LOG")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    let wall = ms(t.elapsed());
    let cpu = ms(children_cpu().saturating_sub(c0));
    if !out.status.success() {
        return Err(format!("stats failed: {}", String::from_utf8_lossy(&out.stderr).trim()));
    }
    let v: Value = serde_json::from_slice(&out.stdout).map_err(|e| format!("stats output is not JSON: {e}"))?;
    Ok((wall, cpu, v))
}

// ---------------------------------------------------------------------------------------
// Data generation
// ---------------------------------------------------------------------------------------

fn counts_match(s: &Scale, v: &Value) -> bool {
    v["participants"].as_u64() == Some(s.participants as u64)
        && v["events"].as_u64() == Some(s.events as u64)
        && v["attendance"].as_u64() == Some(s.attendance)
}

/// The database for a scale: reused when present and complete, else generated.
fn ensure_db(cfg: &Cfg, s: &Scale) -> Result<(PathBuf, Value), String> {
    let db = cfg.data.join(s.name);
    let marker = cfg.data.join(format!("{}.ok", s.name));
    let spec = format!(
        "participants={} events={} attendance={} seed={SEED}",
        s.participants, s.events, s.attendance
    );
    if std::fs::read_to_string(&marker).ok().as_deref() == Some(spec.as_str()) && db.is_dir() {
        match stats_run(&cfg.bin, &db) {
            Ok((_, _, v)) if counts_match(s, &v) => {
                println!("  {:>4}: reusing {}", s.name, db.display());
                return Ok((db, json!({"reused": true})));
            }
            Ok(_) => println!("  {:>4}: cached database has other counts; regenerating", s.name),
            Err(e) => println!("  {:>4}: cached database unusable ({e}); regenerating", s.name),
        }
    }
    let _ = std::fs::remove_file(&marker);
    if db.exists() {
        std::fs::remove_dir_all(&db).map_err(|e| format!("cannot remove {}: {e}", db.display()))?;
    }
    std::fs::create_dir_all(&cfg.data).map_err(|e| format!("cannot create {}: {e}", cfg.data.display()))?;
    print!("  {:>4}: generating {spec} ... ", s.name);
    let _ = std::io::Write::flush(&mut std::io::stdout());
    let t = Instant::now();
    let out = Command::new(&cfg.bin)
        .arg("--db")
        .arg(&db)
        .arg("generate")
        .args(["--participants", &s.participants.to_string()])
        .args(["--events", &s.events.to_string()])
        .args(["--attendance", &s.attendance.to_string()])
        .args(["--seed", &SEED.to_string()])
        .env_remove("ATBALSTS_LOG")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run generate: {e}"))?;
    let secs = t.elapsed().as_secs_f64();
    if !out.status.success() {
        return Err(format!(
            "generate failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    println!("{secs:.1} s");
    std::fs::write(&marker, &spec).map_err(|e| format!("cannot write {}: {e}", marker.display()))?;
    Ok((db, json!({"reused": false, "generate_wall_s": r3(secs)})))
}

// ---------------------------------------------------------------------------------------
// Start-up: the real binary as a TUI inside tmux
// ---------------------------------------------------------------------------------------

struct Tmux {
    /// Our own server's socket (`tmux -S`), removed at the end.
    socket: PathBuf,
}

impl Tmux {
    fn cmd(&self) -> Command {
        let mut c = Command::new("tmux");
        c.arg("-S")
            .arg(&self.socket)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }
    fn run(&self, args: &[&str]) -> Result<String, String> {
        let out = self
            .cmd()
            .args(args)
            .output()
            .map_err(|e| format!("cannot run tmux: {e}"))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(format!(
                "tmux {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    }
    fn kill_server(&self) {
        let _ = self.cmd().arg("kill-server").output();
    }
}

#[derive(Default, Clone)]
struct TuiRun {
    first_frame_ms: f64,
    loaded_ms: f64,
    records: u64,
    sled_open_ms: f64,
    /// From the bench's `tmux new-session` to the binary's `main()` (tmux server start + exec).
    spawn_to_main_ms: f64,
    log_rss_kib: u64,
    log_peak_kib: u64,
    proc_rss_kib: u64,
    proc_hwm_kib: u64,
    quit_ms: f64,
    /// CPU time of the process (all threads) when VmRSS is read, ms (10 ms ticks).
    cpu_ms: f64,
    phases: Vec<(f64, String)>,
}

impl TuiRun {
    fn json(&self) -> Value {
        json!({
            "first_frame_ms": r3(self.first_frame_ms), "loaded_ms": r3(self.loaded_ms),
            "records": self.records, "sled_open_ms": r3(self.sled_open_ms),
            "spawn_to_main_ms": r3(self.spawn_to_main_ms),
            "log_rss_kib": self.log_rss_kib, "log_peak_kib": self.log_peak_kib,
            "proc_vmrss_kib": self.proc_rss_kib, "proc_vmhwm_kib": self.proc_hwm_kib,
            "quit_ms": r3(self.quit_ms), "cpu_ms_at_settle": r3(self.cpu_ms),
            "phases": self.phases.iter().map(|(t, m)| json!([r3(*t), m])).collect::<Vec<_>>(),
        })
    }
}

/// The number after `key` (e.g. `loaded_ms=`) in `line`.
fn num_after(line: &str, key: &str) -> Option<f64> {
    let i = line.find(key)? + key.len();
    line[i..].split(|c: char| c.is_whitespace()).next()?.parse().ok()
}

/// A log line: `<rfc3339 utc> +<ms>ms <message>`.
fn parse_line(line: &str) -> Option<(chrono::DateTime<chrono::Utc>, f64, &str)> {
    let (ts, rest) = line.split_once(' ')?;
    let ts = chrono::DateTime::parse_from_rfc3339(ts)
        .ok()?
        .with_timezone(&chrono::Utc);
    let rest = rest.strip_prefix('+')?;
    let (ms, msg) = rest.split_once("ms ")?;
    Some((ts, ms.parse().ok()?, msg))
}

fn proc_alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // state is the field after the ")" that closes the command name
        Ok(s) => s
            .rsplit_once(')')
            .and_then(|(_, r)| r.split_whitespace().next())
            .is_some_and(|st| st != "Z" && st != "X"),
        Err(_) => false,
    }
}

fn tui_run(cfg: &Cfg, tmux: &Tmux, db: &Path, log: &Path) -> Result<TuiRun, String> {
    let _ = std::fs::remove_file(log);
    let log_env = format!("ATBALSTS_LOG={}", log.display());
    let (cols, rows) = (TUI_SIZE.0.to_string(), TUI_SIZE.1.to_string());
    let spawn_wall = SystemTime::now();
    let t0 = Instant::now();
    let bin = cfg.bin.to_string_lossy();
    let dbs = db.to_string_lossy();
    tmux.run(&[
        "new-session",
        "-d",
        "-s",
        "bench",
        "-x",
        &cols,
        "-y",
        &rows,
        "-e",
        &log_env,
        "--",
        &bin,
        "--db",
        &dbs,
    ])?;
    let fail = |msg: String| -> String {
        let screen = tmux.run(&["capture-pane", "-p", "-t", "bench"]).unwrap_or_default();
        tmux.kill_server();
        let log_text = std::fs::read_to_string(log).unwrap_or_default();
        format!(
            "{msg}\n--- screen ---\n{}\n--- log ---\n{}",
            screen.trim_end(),
            log_text.trim_end()
        )
    };
    let pid: u32 = match tmux.run(&["list-panes", "-t", "bench", "-F", "#{pane_pid}"]) {
        Ok(s) => s
            .trim()
            .parse()
            .map_err(|_| fail(format!("bad pane pid '{}'", s.trim())))?,
        Err(e) => return Err(fail(e)),
    };
    // Wait for the model to be installed.
    let text = loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if text.contains("loaded_ms=") {
            break text;
        }
        if t0.elapsed() > LOAD_TIMEOUT {
            return Err(fail(format!("no loaded_ms= in the log after {LOAD_TIMEOUT:?}")));
        }
        if !proc_alive(pid) && t0.elapsed() > Duration::from_millis(500) {
            return Err(fail("the program exited before loading".into()));
        }
        std::thread::sleep(POLL);
    };
    std::thread::sleep(SETTLE);
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
    let mut r = TuiRun::default();
    if comm.trim() == "atbalsts" {
        r.proc_rss_kib = field_kib(&status, "VmRSS:");
        r.proc_hwm_kib = field_kib(&status, "VmHWM:");
        r.cpu_ms = proc_cpu_ms(pid);
    } else {
        eprintln!(
            "    pane pid {pid} is '{}', not atbalsts: no /proc cross-check",
            comm.trim()
        );
    }
    let mut main_start = None;
    for line in text.lines() {
        let Some((ts, at, msg)) = parse_line(line) else {
            continue;
        };
        if main_start.is_none() {
            main_start = Some(ts - chrono::Duration::microseconds((at * 1000.0) as i64));
        }
        r.phases.push((at, msg.to_string()));
        if let Some(v) = num_after(msg, "first_frame_ms=") {
            r.first_frame_ms = v;
        }
        if let Some(v) = num_after(msg, "loaded_ms=") {
            r.loaded_ms = v;
            r.records = num_after(msg, "records=").unwrap_or(0.0) as u64;
        }
        if msg.starts_with("open: sled opened") {
            r.sled_open_ms = at;
        }
        if msg.starts_with("install:") {
            r.log_rss_kib = num_after(msg, "rss_kib=").unwrap_or(0.0) as u64;
            r.log_peak_kib = num_after(msg, "peak_kib=").unwrap_or(0.0) as u64;
        }
    }
    if let Some(ms0) = main_start {
        let spawn: chrono::DateTime<chrono::Utc> = spawn_wall.into();
        r.spawn_to_main_ms = (ms0 - spawn).num_microseconds().unwrap_or(0) as f64 / 1000.0;
    }
    // Quit and wait for the process to be gone (sled must be closed before the next run).
    let tq = Instant::now();
    tmux.run(&["send-keys", "-t", "bench", "q"]).map_err(&fail)?;
    while proc_alive(pid) {
        if tq.elapsed() > QUIT_TIMEOUT {
            return Err(fail(format!("still running {QUIT_TIMEOUT:?} after q")));
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    r.quit_ms = ms(tq.elapsed());
    tmux.kill_server(); // normally already gone with its last session
    Ok(r)
}

struct StartupResult {
    scale: &'static str,
    disk_bytes: u64,
    runs: Vec<TuiRun>,
    raw: Vec<f64>,
    stats: Vec<f64>,
    stats_cpu: Vec<f64>,
    json: Value,
}

/// A log message without its `key=value` figures ("load: model built rss_kib=1" -> "load:
/// model built"; "first_frame_ms=5" -> "first_frame_ms").
fn phase_label(msg: &str) -> String {
    let words: Vec<&str> = msg.split_whitespace().filter(|w| !w.contains('=')).collect();
    if words.is_empty() {
        msg.split('=').next().unwrap_or("").to_string()
    } else {
        words.join(" ")
    }
}

/// Median time since main() of each log message, in first-run order.
fn phase_medians(runs: &[TuiRun]) -> Vec<(String, Sum)> {
    let mut labels: Vec<String> = Vec::new();
    for r in runs {
        for (_, m) in &r.phases {
            let l = phase_label(m);
            if !labels.contains(&l) {
                labels.push(l);
            }
        }
    }
    let mut out: Vec<(String, Sum)> = labels
        .into_iter()
        .map(|l| {
            let v: Vec<f64> = runs
                .iter()
                .filter_map(|r| r.phases.iter().find(|(_, m)| phase_label(m) == l).map(|(t, _)| *t))
                .collect();
            (l, summarize(&v))
        })
        .collect();
    out.sort_by(|a, b| a.1.p50.total_cmp(&b.1.p50));
    out
}

fn startup(cfg: &Cfg, s: &'static Scale, db: &Path, tmux: &Tmux) -> Result<StartupResult, String> {
    let logs = cfg.data.join("logs");
    std::fs::create_dir_all(&logs).map_err(|e| e.to_string())?;
    let load_before = loadavg();
    let (busy, steal) = background_busy(Duration::from_secs(1));
    println!(
        "  {:>4}: other load before: {busy:.0}% of all CPUs busy (steal {steal:.0}%), loadavg {load_before}",
        s.name
    );
    // Warm-up (page cache, tmux): one of each, reported separately.
    let (warm_raw, bytes) = raw_read_ms(db);
    let (warm_stats, _, _) = stats_run(&cfg.bin, db)?;
    let warm = tui_run(cfg, tmux, db, &logs.join(format!("{}-warmup.log", s.name)))?;
    let mut runs = Vec::new();
    let mut raw = Vec::new();
    let mut stats = Vec::new();
    let mut stats_cpu = Vec::new();
    for i in 0..cfg.runs {
        raw.push(raw_read_ms(db).0);
        let (wall, cpu, _) = stats_run(&cfg.bin, db)?;
        stats.push(wall);
        stats_cpu.push(cpu);
        let r = tui_run(cfg, tmux, db, &logs.join(format!("{}-{i}.log", s.name)))?;
        println!(
            "    {:>4} run {}: first_frame {:>6.1} ms  loaded {:>6.1} ms (cpu {:>6.0} ms)  rss {:>7} KiB (log) {:>7} KiB (/proc)  peak {:>7} KiB  | raw read {:>6.1} ms  stats {:>6.1} ms (cpu {:>6.1} ms)",
            s.name,
            i + 1,
            r.first_frame_ms,
            r.loaded_ms,
            r.cpu_ms,
            r.log_rss_kib,
            r.proc_rss_kib,
            r.log_peak_kib,
            raw[i],
            stats[i],
            stats_cpu[i]
        );
        runs.push(r);
    }
    let col = |f: fn(&TuiRun) -> f64| summarize(&runs.iter().map(f).collect::<Vec<_>>());
    let ff = col(|r| r.first_frame_ms);
    let ld = col(|r| r.loaded_ms);
    let rawsum = summarize(&raw);
    let statsum = summarize(&stats);
    let phases = phase_medians(&runs);
    let json = json!({
        "scale": s.name,
        "participants": s.participants, "events": s.events, "attendance": s.attendance,
        "records": runs.first().map(|r| r.records),
        "db_bytes": bytes, "db_files_bytes": dir_bytes(db),
        "loadavg_before": load_before, "loadavg_after": loadavg(),
        "background_busy_pct_before": r3(busy), "background_steal_pct_before": r3(steal),
        "tui_size": [TUI_SIZE.0, TUI_SIZE.1],
        "first_frame_ms": ff.json(),
        "loaded_ms": ld.json(),
        "first_frame_from_spawn_ms": col(|r| r.spawn_to_main_ms + r.first_frame_ms).json(),
        "spawn_to_main_ms": col(|r| r.spawn_to_main_ms).json(),
        "sled_open_ms": col(|r| r.sled_open_ms).json(),
        "log_rss_kib": col(|r| r.log_rss_kib as f64).json(),
        "log_peak_kib": col(|r| r.log_peak_kib as f64).json(),
        "proc_vmrss_kib": col(|r| r.proc_rss_kib as f64).json(),
        "proc_vmhwm_kib": col(|r| r.proc_hwm_kib as f64).json(),
        "quit_ms": col(|r| r.quit_ms).json(),
        "tui_cpu_ms_at_settle": col(|r| r.cpu_ms).json(),
        "phases_ms_since_main": phases.iter().map(|(l, s)| json!({"phase": l, "ms": s.json()})).collect::<Vec<_>>(),
        "baseline_stats_process_cpu_ms": summarize(&stats_cpu).json(),
        "baseline_raw_read_ms": rawsum.json(),
        "baseline_stats_process_ms": statsum.json(),
        "ratio_loaded_over_raw_read_p50": r3(ratio(ld.p50, rawsum.p50)),
        "ratio_loaded_over_stats_process_p50": r3(ratio(ld.p50, statsum.p50)),
        "warmup": {"raw_read_ms": r3(warm_raw), "stats_process_ms": r3(warm_stats), "tui": warm.json()},
        "runs": runs.iter().map(TuiRun::json).collect::<Vec<_>>(),
        "raw_read_ms_runs": raw.iter().map(|x| r3(*x)).collect::<Vec<_>>(),
        "stats_process_ms_runs": stats.iter().map(|x| r3(*x)).collect::<Vec<_>>(),
    });
    Ok(StartupResult {
        scale: s.name,
        disk_bytes: bytes,
        runs,
        raw,
        stats,
        stats_cpu,
        json,
    })
}

// ---------------------------------------------------------------------------------------
// Frames: in-process rendering with ratatui's TestBackend
// ---------------------------------------------------------------------------------------

fn pane_action(p: Pane) -> Action {
    match p {
        Pane::Partners => Action::PanePartners,
        Pane::Events => Action::PaneEvents,
        Pane::Participants => Action::PaneParticipants,
        Pane::Indicators => Action::PaneIndicators,
    }
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Wall and thread-CPU time of one closure call, ms.
fn timed<R>(f: impl FnOnce() -> R) -> (R, f64, f64) {
    let (c, t) = (thread_cpu(), Instant::now());
    let r = f();
    let wall = ms(t.elapsed());
    (r, wall, ms(thread_cpu().saturating_sub(c)))
}

fn draw(term: &mut Terminal<TestBackend>, app: &App) {
    term.draw(|f| ui::render(app, f)).expect("draw");
}

fn draw_baseline(term: &mut Terminal<TestBackend>, line: &str) {
    term.draw(|f| f.render_widget(Paragraph::new(line), f.area()))
        .expect("draw");
}

struct FrameRow {
    scale: &'static str,
    size: (u16, u16),
    what: String,
    /// Wall time.
    sum: Sum,
    /// Thread CPU time of the same iterations (no preemption inside).
    cpu: Sum,
    base: Sum,
    /// Iterations over the target (wall).
    over: usize,
    n: usize,
}

/// Wall/CPU/baseline samples of one measured loop.
#[derive(Default)]
struct Samples {
    wall: Vec<f64>,
    cpu: Vec<f64>,
    base: Vec<f64>,
}

impl Samples {
    fn json(&self, limit: f64) -> Value {
        let (w, c, b) = (summarize(&self.wall), summarize(&self.cpu), summarize(&self.base));
        json!({"wall_ms": w.json(), "thread_cpu_ms": c.json(), "baseline_wall_ms": b.json(),
               "ratio_p50_over_baseline": r3(ratio(w.p50, b.p50)),
               "over_target": self.wall.iter().filter(|x| **x >= limit).count(), "target_ms": limit})
    }
    fn row(&self, scale: &'static str, size: (u16, u16), what: String, limit: f64) -> FrameRow {
        FrameRow {
            scale,
            size,
            what,
            sum: summarize(&self.wall),
            cpu: summarize(&self.cpu),
            base: summarize(&self.base),
            over: self.wall.iter().filter(|x| **x >= limit).count(),
            n: self.wall.len(),
        }
    }
}

fn frames(cfg: &Cfg, s: &'static Scale, db: &Path, rows: &mut Vec<FrameRow>) -> Result<Value, String> {
    let user = atbalsts::cli::current_user();
    let t = Instant::now();
    let mut store = atbalsts::store::Store::open(db, &user).map_err(|e| e.to_string())?;
    let open_ms = ms(t.elapsed());
    let t = Instant::now();
    store.load().map_err(|e| e.to_string())?;
    let load_ms = ms(t.elapsed());
    let total = store.model().total();
    let today = atbalsts::domain::today();
    let mut app = App::new(
        store,
        Keymap::default_keymap(),
        Theme { color: true },
        std::sync::Arc::new(atbalsts::clock::FixedClock::at(today, 10, 0)),
        TUI_SIZE,
    );
    println!(
        "  {:>4}: in-process open {open_ms:.1} ms, load {load_ms:.1} ms, {total} records",
        s.name
    );
    let line = "atbalsts"; // the one-line baseline screen
    let load_before = loadavg();
    let (busy, steal) = background_busy(Duration::from_secs(1));
    println!(
        "  {:>4}: other load before: {busy:.0}% of all CPUs busy (steal {steal:.0}%), loadavg {load_before}",
        s.name
    );
    let mut sizes = Vec::new();
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        app.resize(w, h);
        let mut term = Terminal::new(TestBackend::new(w, h)).map_err(|e| e.to_string())?;
        let mut base = Terminal::new(TestBackend::new(w, h)).map_err(|e| e.to_string())?;
        let mut all_base = Vec::new();
        let mut panes = serde_json::Map::new();
        for p in Pane::ALL {
            app.update(pane_action(p));
            for _ in 0..10 {
                draw(&mut term, &app);
                draw_baseline(&mut base, line);
            }
            // Interleaved: baseline frame, then the pane's frame.
            let mut sm = Samples::default();
            for _ in 0..cfg.frames {
                sm.base.push(timed(|| draw_baseline(&mut base, line)).1);
                let (_, wall, cpu) = timed(|| draw(&mut term, &app));
                sm.wall.push(wall);
                sm.cpu.push(cpu);
            }
            all_base.extend_from_slice(&sm.base);
            let mut j = sm.json(T_FRAME_MS);
            j["rows"] = json!(app.rows(p));
            panes.insert(format!("{p:?}"), j);
            rows.push(sm.row(
                s.name,
                (w, h),
                format!("frame {p:?} ({} rows)", app.rows(p)),
                T_FRAME_MS,
            ));
        }
        // Scroll key to redrawn screen, participants pane: key through the real keymap + draw.
        app.update(Action::PaneParticipants);
        let mut scroll = serde_json::Map::new();
        let tests: [(&str, &[KeyCode]); 3] = [
            ("Down", &[KeyCode::Down]),
            ("PageDown", &[KeyCode::PageDown]),
            ("End/Home", &[KeyCode::End, KeyCode::Home]),
        ];
        for (name, codes) in tests {
            app.update(Action::First);
            draw(&mut term, &app);
            let mut sm = Samples::default();
            let mut key_only = Vec::new();
            for i in 0..cfg.keys {
                sm.base.push(timed(|| draw_baseline(&mut base, line)).1);
                let code = codes[i % codes.len()];
                let (c, t) = (thread_cpu(), Instant::now());
                let changed = app.handle_key(key(code));
                key_only.push(ms(t.elapsed()));
                assert!(changed, "key {code:?} is not bound in the default keymap");
                draw(&mut term, &app);
                sm.wall.push(ms(t.elapsed()));
                sm.cpu.push(ms(thread_cpu().saturating_sub(c)));
            }
            let mut j = sm.json(T_KEY_MS);
            j["key_only_wall_ms"] = summarize(&key_only).json();
            j["final_selected"] = json!(app.states[Pane::Participants.index()].selected);
            scroll.insert(name.to_string(), j);
            rows.push(sm.row(s.name, (w, h), format!("key {name} + draw (Participants)"), T_KEY_MS));
        }
        sizes.push(
            json!({"size": [w, h], "baseline_one_line_paragraph_ms": summarize(&all_base).json(),
            "panes": panes, "scroll_participants": scroll}),
        );
    }
    Ok(
        json!({"scale": s.name, "records": total, "in_process_open_ms": r3(open_ms),
        "in_process_load_ms": r3(load_ms), "today": today.to_string(),
        "loadavg_before": load_before, "loadavg_after": loadavg(),
        "background_busy_pct_before": r3(busy), "background_steal_pct_before": r3(steal), "sizes": sizes}),
    )
}

// ---------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------

fn main() {
    let cfg = config();
    if !cfg.bin.is_file() {
        eprintln!("{} is missing: run `cargo build --release` first", cfg.bin.display());
        std::process::exit(1);
    }
    // A private copy, so that a concurrent `cargo build` cannot swap the binary mid-run.
    let bindir = cfg.data.join(format!("bin-{}", std::process::id()));
    std::fs::create_dir_all(&bindir).expect("create bench-data");
    let copy = bindir.join("atbalsts");
    std::fs::copy(&cfg.bin, &copy).expect("copy the binary");
    let build = build_identity(&cfg.bin);
    let cfg = Cfg { bin: copy, ..cfg };

    let started = chrono::Utc::now();
    let mach = machine();
    println!("atbalsts start-up and frame benchmark");
    println!(
        "  build: git {} + {} uncommitted src files | binary {} bytes, built {}, fingerprint {}",
        build["git_head"].as_str().unwrap_or("?"),
        build["git_uncommitted_src_files"],
        build["binary_bytes"],
        build["binary_mtime"].as_str().unwrap_or("?"),
        build["binary_fingerprint"].as_str().unwrap_or("?")
    );
    println!(
        "  machine: {} x {} | {} MiB | load {}",
        mach["nproc"],
        mach["cpu"].as_str().unwrap_or("?"),
        mach["mem_total_kib"].as_u64().unwrap_or(0) / 1024,
        loadavg()
    );
    println!(
        "  scales: {} | frame scales: {} | runs {} | frames {} | keys {}",
        cfg.scales.iter().map(|s| s.name).collect::<Vec<_>>().join(","),
        cfg.frame_scales.iter().map(|s| s.name).collect::<Vec<_>>().join(","),
        cfg.runs,
        cfg.frames,
        cfg.keys
    );

    // 1. Data.
    println!("\n== Data ({})", cfg.data.display());
    let mut all: Vec<&'static Scale> = cfg.scales.clone();
    for s in &cfg.frame_scales {
        if !all.iter().any(|a| a.name == s.name) {
            all.push(s);
        }
    }
    all.sort_by_key(|s| s.participants);
    let mut dbs = Vec::new();
    let mut data_json = serde_json::Map::new();
    for s in &all {
        match ensure_db(&cfg, s) {
            Ok((db, j)) => {
                data_json.insert(s.name.into(), j);
                dbs.push((s.name, db));
            }
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
    }
    let db_of = |name: &str| {
        dbs.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, d)| d.clone())
            .expect("db")
    };

    // 2. Start-up.
    println!(
        "\n== Start-up: the release binary as a TUI in tmux at {}x{}",
        TUI_SIZE.0, TUI_SIZE.1
    );
    let have_tmux = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    let tmux = Tmux {
        socket: std::env::temp_dir().join(format!("atbalsts-bench-{}.tmux", std::process::id())),
    };
    let mut startups = Vec::new();
    if !have_tmux {
        println!("  tmux not found: start-up section skipped");
    } else {
        for s in &cfg.scales {
            match startup(&cfg, s, &db_of(s.name), &tmux) {
                Ok(r) => startups.push(r),
                Err(e) => eprintln!("  {}: start-up failed: {e}", s.name),
            }
        }
        tmux.kill_server();
        let _ = std::fs::remove_file(&tmux.socket);
    }

    // 3. Frames.
    println!("\n== Frames: in-process, ratatui TestBackend");
    let mut frame_rows = Vec::new();
    let mut frames_json = Vec::new();
    for s in &cfg.frame_scales {
        match frames(&cfg, s, &db_of(s.name), &mut frame_rows) {
            Ok(j) => frames_json.push(j),
            Err(e) => eprintln!("  {}: frame timing failed: {e}", s.name),
        }
    }

    // Tables.
    let mib = |k: f64| k / 1024.0;
    println!(
        "\n== Start-up summary: {} runs per scale after 1 warm-up; ms since main(); median / max",
        cfg.runs
    );
    println!(
        "{:>5} {:>8} {:>15} {:>15} {:>9} {:>15} {:>15} {:>15} {:>9} {:>11} {:>8} {:>8}",
        "scale",
        "disk MB",
        "first frame",
        "loaded",
        "load cpu",
        "RSS MiB (log)",
        "VmRSS MiB",
        "peak MiB",
        "raw read",
        "stats proc",
        "ld/raw",
        "ld/stats"
    );
    for r in &startups {
        let col = |f: fn(&TuiRun) -> f64| summarize(&r.runs.iter().map(f).collect::<Vec<_>>());
        let (ff, ld, cpu) = (col(|r| r.first_frame_ms), col(|r| r.loaded_ms), col(|r| r.cpu_ms));
        let (rss, vm, pk) = (
            col(|r| r.log_rss_kib as f64),
            col(|r| r.proc_rss_kib as f64),
            col(|r| r.log_peak_kib as f64),
        );
        let (raw, st) = (summarize(&r.raw), summarize(&r.stats));
        println!(
            "{:>5} {:>8.1} {:>7.1} /{:>6.1} {:>7.1} /{:>6.1} {:>9.0} {:>7.1} /{:>6.1} {:>7.1} /{:>6.1} {:>7.1} /{:>6.1} {:>9.1} {:>11.1} {:>7.1}x {:>7.2}x",
            r.scale,
            r.disk_bytes as f64 / 1e6,
            ff.p50,
            ff.max,
            ld.p50,
            ld.max,
            cpu.p50,
            mib(rss.p50),
            mib(rss.max),
            mib(vm.p50),
            mib(vm.max),
            mib(pk.p50),
            mib(pk.max),
            raw.p50,
            st.p50,
            ratio(ld.p50, raw.p50),
            ratio(ld.p50, st.p50)
        );
    }
    println!(
        "  (load cpu: CPU time of the TUI process, all threads, read with VmRSS; stats proc: wall time of `stats`)"
    );
    for r in &startups {
        let spawn = summarize(&r.runs.iter().map(|x| x.spawn_to_main_ms).collect::<Vec<_>>());
        let quit = summarize(&r.runs.iter().map(|x| x.quit_ms).collect::<Vec<_>>());
        let scpu = summarize(&r.stats_cpu);
        println!(
            "  {:>4}: spawn (tmux) -> main {:.1} ms; q -> process gone {:.1} ms; stats process CPU {:.1} ms. Log timeline (median ms since main):",
            r.scale, spawn.p50, quit.p50, scpu.p50
        );
        let phases = phase_medians(&r.runs);
        let line: Vec<String> = phases.iter().map(|(l, s)| format!("{:.1} {l}", s.p50)).collect();
        for chunk in line.chunks(4) {
            println!("        {}", chunk.join(" | "));
        }
    }
    let mut growth = Vec::new();
    for w in startups.windows(2) {
        let med = |r: &StartupResult, f: fn(&TuiRun) -> f64| summarize(&r.runs.iter().map(f).collect::<Vec<_>>()).p50;
        let g = json!({
            "from": w[0].scale, "to": w[1].scale,
            "first_frame_x": r3(ratio(med(&w[1], |r| r.first_frame_ms), med(&w[0], |r| r.first_frame_ms))),
            "loaded_x": r3(ratio(med(&w[1], |r| r.loaded_ms), med(&w[0], |r| r.loaded_ms))),
            "load_cpu_x": r3(ratio(med(&w[1], |r| r.cpu_ms), med(&w[0], |r| r.cpu_ms))),
            "rss_x": r3(ratio(med(&w[1], |r| r.log_rss_kib as f64), med(&w[0], |r| r.log_rss_kib as f64))),
            "raw_read_x": r3(ratio(summarize(&w[1].raw).p50, summarize(&w[0].raw).p50)),
            "stats_process_x": r3(ratio(summarize(&w[1].stats).p50, summarize(&w[0].stats).p50)),
            "disk_x": r3(ratio(w[1].disk_bytes as f64, w[0].disk_bytes as f64)),
        });
        println!(
            "  growth {} -> {}: first frame x{}, loaded x{}, load cpu x{}, RSS x{}, stats proc x{}, raw read x{}, disk x{}",
            w[0].scale,
            w[1].scale,
            g["first_frame_x"],
            g["loaded_x"],
            g["load_cpu_x"],
            g["rss_x"],
            g["stats_process_x"],
            g["raw_read_x"],
            g["disk_x"]
        );
        growth.push(g);
    }

    println!(
        "\n== Frame summary: ms per iteration (wall; cpu = thread CPU time of the same iterations); base = one-line Paragraph, interleaved"
    );
    println!(
        "{:>5} {:>7} {:<38} {:>7} {:>7} {:>7} {:>7} {:>8} {:>8} {:>8} {:>7} {:>9}",
        "scale", "size", "what", "p50", "p95", "p99", "max", "cpu p99", "base p50", "base p99", "x base", "over tgt"
    );
    for r in &frame_rows {
        println!(
            "{:>5} {:>7} {:<38} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>8.3} {:>8.4} {:>8.3} {:>6.1}x {:>5}/{:<4}",
            r.scale,
            format!("{}x{}", r.size.0, r.size.1),
            r.what,
            r.sum.p50,
            r.sum.p95,
            r.sum.p99,
            r.sum.max,
            r.cpu.p99,
            r.base.p50,
            r.base.p99,
            ratio(r.sum.p50, r.base.p50),
            r.over,
            r.n
        );
    }

    // Targets, judged at the largest scale measured.
    let mut targets = Vec::new();
    println!("\n== Targets (start-up: median of runs, worst run in brackets)");
    if let Some(r) = startups.last() {
        let col = |f: fn(&TuiRun) -> f64| summarize(&r.runs.iter().map(f).collect::<Vec<_>>());
        let kib_mb = 1024.0 / 1e6;
        let checks: [(&str, Sum, f64, &str); 5] = [
            (
                "first frame on screen (ms since main)",
                col(|r| r.first_frame_ms),
                T_FIRST_FRAME_MS,
                "ms",
            ),
            (
                "all data loaded (ms since main)",
                col(|r| r.loaded_ms),
                T_LOADED_MS,
                "ms",
            ),
            (
                "resident after load (MB, log VmRSS)",
                col(|r| r.log_rss_kib as f64),
                T_RSS_BYTES / 1e6,
                "MB",
            ),
            (
                "resident settled (MB, /proc VmRSS)",
                col(|r| r.proc_rss_kib as f64),
                T_RSS_BYTES / 1e6,
                "MB",
            ),
            (
                "peak resident during load (MB, VmHWM)",
                col(|r| r.log_peak_kib as f64),
                T_RSS_BYTES / 1e6,
                "MB",
            ),
        ];
        for (name, s, limit, unit) in checks {
            let k = if unit == "MB" { kib_mb } else { 1.0 };
            let (p50, max) = (s.p50 * k, s.max * k);
            println!(
                "  {name:<40} [{}] {p50:>8.1} {unit} [{max:.1}]  target < {limit:.0} {unit}: {} [{}]",
                r.scale,
                verdict(p50 < limit),
                verdict(max < limit)
            );
            targets.push(json!({"target": name, "scale": r.scale, "limit": limit, "unit": unit,
                "median": r3(p50), "max": r3(max), "median_met": p50 < limit, "worst_met": max < limit}));
        }
    }
    if let Some(big) = cfg.frame_scales.last() {
        for (name, limit, prefix) in [
            ("one frame rendered (worst pane)", T_FRAME_MS, "frame"),
            ("scroll key to redrawn screen (worst)", T_KEY_MS, "key"),
        ] {
            let sel: Vec<&FrameRow> = frame_rows
                .iter()
                .filter(|r| r.scale == big.name && r.what.starts_with(prefix))
                .collect();
            let worst = |f: fn(&FrameRow) -> f64| {
                sel.iter()
                    .map(|r| (f(r), format!("{} {}x{}", r.what, r.size.0, r.size.1)))
                    .fold(
                        (f64::NAN, String::new()),
                        |a, b| if a.0.is_nan() || b.0 > a.0 { b } else { a },
                    )
            };
            let (p50, at50) = worst(|r| r.sum.p50);
            let (p99, at99) = worst(|r| r.sum.p99);
            let (cpu99, _) = worst(|r| r.cpu.p99);
            let over: usize = sel.iter().map(|r| r.over).sum();
            let n: usize = sel.iter().map(|r| r.n).sum();
            println!(
                "  {name:<40} [{}] p50 {p50:.3} ms, p99 {p99:.3} ms (cpu p99 {cpu99:.3} ms)  target < {limit} ms: p50 {}, p99 {}; {over}/{n} over",
                big.name,
                verdict(p50 < limit),
                verdict(p99 < limit)
            );
            targets.push(json!({"target": name, "scale": big.name, "limit": limit, "unit": "ms",
                "worst_p50": r3(p50), "worst_p50_at": at50, "worst_p99": r3(p99), "worst_p99_at": at99,
                "worst_thread_cpu_p99": r3(cpu99), "iterations_over_target": over, "iterations": n,
                "p50_met": p50 < limit, "p99_met": p99 < limit}));
        }
    }

    let out = json!({
        "started_utc": started.to_rfc3339(),
        "machine": mach,
        "loadavg_at_end": loadavg(),
        "binary": env!("CARGO_BIN_EXE_atbalsts"),
        "build": build,
        "config": {"scales": cfg.scales.iter().map(|s| s.name).collect::<Vec<_>>(),
                   "frame_scales": cfg.frame_scales.iter().map(|s| s.name).collect::<Vec<_>>(),
                   "runs": cfg.runs, "frames": cfg.frames, "keys": cfg.keys, "seed": SEED,
                   "tui_size": [TUI_SIZE.0, TUI_SIZE.1], "settle_ms": SETTLE.as_millis() as u64},
        "data": data_json,
        "startup": startups.iter().map(|r| r.json.clone()).collect::<Vec<_>>(),
        "startup_growth": growth,
        "frames": frames_json,
        "targets": targets,
    });
    let path = cfg.target.join("bench-results.json");
    match std::fs::write(&path, serde_json::to_string_pretty(&out).unwrap_or_default()) {
        Ok(()) => println!("\nwrote {}", path.display()),
        Err(e) => eprintln!("cannot write {}: {e}", path.display()),
    }
    let _ = std::fs::remove_dir_all(&bindir);
}
