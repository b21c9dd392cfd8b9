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
