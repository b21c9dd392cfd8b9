//! Helpers shared by the benchmarks: timing, statistics and machine load.

#![allow(dead_code)]

use serde_json::{Value, json};
use std::time::Duration;

/// Nearest-rank percentile of sorted data.
pub fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub fn r3(x: f64) -> Value {
    if x.is_finite() {
        json!((x * 1000.0).round() / 1000.0)
    } else {
        Value::Null
    }
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { f64::NAN }
}

/// CPU time (user + system) of waited-for children so far.
pub fn children_cpu() -> Duration {
    // SAFETY: getrusage only writes the struct we pass.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Busy share of all CPUs (from /proc/stat, machine-wide) over `d` while this process waits:
/// what other processes use, the noise this run is exposed to. (busy %, steal %)
pub fn background_busy(d: Duration) -> (f64, f64) {
    let read = || -> Vec<u64> {
        std::fs::read_to_string("/proc/stat")
            .unwrap_or_default()
            .lines()
            .next()
            .unwrap_or("")
            .split_whitespace()
            .skip(1)
            .filter_map(|v| v.parse().ok())
            .collect()
    };
    let a = read();
    std::thread::sleep(d);
    let b = read();
    if a.len() < 8 || b.len() < 8 {
        return (f64::NAN, f64::NAN);
    }
    let delta: Vec<f64> = a.iter().zip(&b).map(|(x, y)| y.saturating_sub(*x) as f64).collect();
    // user nice system idle iowait irq softirq steal [guest guest_nice: already in user]
    let total: f64 = delta[..8].iter().sum();
    let idle = delta[3] + delta[4];
    (100.0 * (total - idle) / total, 100.0 * delta[7] / total)
}

pub fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "NOT met" }
}

/// A positive whole number from the environment (`BENCH_ITERS=50`).
pub fn env_usize(name: &str) -> Option<usize> {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|&n| n > 0)
}

/// The `atbalsts` binary cargo built for the benchmarks.
pub fn bin() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_BIN_EXE_atbalsts"))
}

/// Cargo's target directory (where the generated databases are kept between runs).
pub fn target_dir() -> std::path::PathBuf {
    bin()
        .parent()
        .and_then(std::path::Path::parent)
        .map(std::path::Path::to_owned)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// The scale asked for: `ATBALSTS_BENCH_SCALE` or `BENCH_SCALE` (3k, 30k, 300k; default 300k).
pub fn scale() -> String {
    std::env::var("ATBALSTS_BENCH_SCALE")
        .or_else(|_| std::env::var("BENCH_SCALE"))
        .unwrap_or_else(|_| "300k".into())
}

/// The generated database of `scale` (participants / events / attendance: 3k = 3 000 /
/// 300 / 30 000, 30k and 300k ten and a hundred times that), made with
/// `atbalsts --no-server generate … --seed 1` the first time and kept under
/// `target/bench-data/` for later runs.
pub fn bench_data(scale: &str) -> std::path::PathBuf {
    let source = target_dir().join("bench-data").join(scale);
    if source.is_dir() {
        return source;
    }
    let (p, e, a) = match scale {
        "3k" => ("3000", "300", "30000"),
        "30k" => ("30000", "3000", "300000"),
        _ => ("300000", "30000", "3000000"),
    };
    println!("  generating {scale} into {}", source.display());
    let ok = std::process::Command::new(bin())
        .arg("--db")
        .arg(&source)
        .args([
            "--no-server",
            "generate",
            "--participants",
            p,
            "--events",
            e,
            "--attendance",
            a,
            "--seed",
            "1",
        ])
        .stdin(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "generate {scale}");
    source
}

/// A copy of a database directory (without a server's socket).
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("create the copy");
    for e in std::fs::read_dir(from).expect("read the database directory") {
        let e = e.expect("entry");
        let dest = to.join(e.file_name());
        if e.file_type().expect("file type").is_dir() {
            copy_dir(&e.path(), &dest);
        } else if e.file_name() != "atbalsts.sock" {
            std::fs::copy(e.path(), dest).expect("copy a database file");
        }
    }
}

/// The disk's cost of one durable write, made as the store makes it: a sled insert of an
/// 8 KiB value (the size of an attendance chunk), sled's flush (which only asks the kernel
/// to write) and an `fdatasync` of sled's file. Interleaved with what a bench measures, it
/// is the baseline its ratios are taken against.
pub struct DurableWrite {
    db: sled::Db,
    file: std::fs::File,
    value: Vec<u8>,
    n: u32,
}

impl DurableWrite {
    pub const LABEL: &'static str = "baseline: sled insert 8 KiB + flush + fdatasync";

    pub fn open(dir: &std::path::Path) -> DurableWrite {
        let db = sled::open(dir).expect("baseline sled");
        let file = std::fs::File::open(dir.join("db")).expect("sled's file");
        DurableWrite {
            db,
            file,
            value: vec![7u8; 8192],
            n: 0,
        }
    }

    /// One durable write; its time in ms.
    pub fn time_one(&mut self) -> f64 {
        let t = std::time::Instant::now();
        self.db
            .insert(self.n.to_be_bytes(), self.value.as_slice())
            .expect("insert");
        self.db.flush().expect("flush");
        self.file.sync_data().expect("fdatasync");
        self.n += 1;
        ms(t.elapsed())
    }
}
