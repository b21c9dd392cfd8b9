//! Erasure and durability benchmark (issue 14; see BENCHMARKS.md, "Erasure and fsync").
//!
//! Run: `cargo bench --bench erase` (BENCH_SCALE=3k|30k|300k, default 300k; BENCH_ITERS
//! writes for the fsync comparison, default 300).
//!
//! 1. A private copy of `<target>/bench-data/<scale>` (generated here if missing) is opened
//!    and loaded in-process: the load is the baseline of the run.
//! 2. `Store::compact` three times, then `Store::erase_participant` of three people with
//!    attendance (the change and the rewrite of the whole database). Checks (assert): none
//!    of their emails is left in any file of the directory; attendance count unchanged.
//! 3. fsync: BENCH_ITERS 8 KiB sled writes + flush (sync_file_range) interleaved with the
//!    same followed by an `fdatasync` of sled's file: what the fsync adds per write; then
//!    BENCH_ITERS small writes through `Store::apply`, which now does both.
//!
//! Writes `<target>/bench-erase.json`.

use atbalsts::command::Command;
use atbalsts::domain::{Hours, Table};
use serde_json::json;
use std::path::Path;
use std::time::Instant;

mod common;
use common::*;

/// Occurrences of `needle` in every file under `dir`.
fn occurrences(dir: &Path, needle: &[u8]) -> usize {
    let mut n = 0;
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            n += occurrences(&p, needle);
        } else if let Ok(bytes) = std::fs::read(&p) {
            n += memchr::memmem::find_iter(&bytes, needle).count();
        }
    }
    n
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

fn main() {
    let target = target_dir();
    let scale = scale();
    let iters = env_usize("BENCH_ITERS").unwrap_or(300);
    let source = bench_data(&scale);
    let work = target.join("bench-erase");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("work dir");
    let db = work.join(&scale);
    copy_dir(&source, &db);
    let _ = std::fs::remove_file(db.join("atbalsts.lock"));
    println!("atbalsts erase benchmark (issue 14) | {scale} | load {}", loadavg());

    let t = Instant::now();
    let mut store = atbalsts::store::Store::open(&db, "bench").expect("open the store");
    store.load().expect("load");
    let load_ms = ms(t.elapsed());
    println!("  baseline: open + load {load_ms:.0} ms");

    let mut compact_ms = Vec::new();
    let mut size = (0, 0);
    for _ in 0..3 {
        let r = store.compact().expect("compact");
        compact_ms.push(r.seconds * 1e3);
        size = (r.bytes_before, r.bytes_after);
    }
    let compact_ms = sorted(compact_ms);
    println!(
        "  compact: median {:.0} ms (x{:.2} of the load), {} -> {} KiB",
        pct(&compact_ms, 50.0),
        ratio(pct(&compact_ms, 50.0), load_ms),
        size.0 / 1024,
        size.1 / 1024
    );

    let m = store.model();
    let people: Vec<(atbalsts::domain::ParticipantId, String)> = m
        .participants
        .iter()
        .filter(|p| !p.email.is_empty() && m.attendance_of_person(p.id).len() >= 2)
        .filter(|p| m.participants.iter().filter(|q| q.email == p.email).count() == 1)
        .take(3)
        .map(|p| (p.id, p.email.to_string()))
        .collect();
    let rows_before = m.count(Table::Attendance);
    let mut erase_ms = Vec::new();
    let mut left_before = 0;
    let mut left_after = 0;
    for (id, email) in &people {
        left_before += occurrences(&db, email.as_bytes());
        let t = Instant::now();
        store.erase_participant(*id).expect("erase").rewrite.expect("rewrite");
        erase_ms.push(ms(t.elapsed()));
        left_after += occurrences(&db, email.as_bytes());
    }
    assert!(left_before > 0, "the emails were in the files before");
    assert_eq!(left_after, 0, "an erased email is still in the files");
    assert_eq!(store.model().count(Table::Attendance), rows_before);
    let erase_ms = sorted(erase_ms);
    println!(
        "  erase (change + rewrite): median {:.0} ms, max {:.0} ms; emails in files {left_before} -> {left_after}",
        pct(&erase_ms, 50.0),
        pct(&erase_ms, 100.0)
    );

    // fsync: an 8 KiB sled write + flush (what sled 0.34 calls durable: sync_file_range),
    // with and without an fdatasync of sled's file after it (what `Store::apply` now adds),
    // interleaved, on a sled database in the same directory.
    let raw_dir = work.join("raw-sled");
    let raw = sled::Config::new().path(&raw_dir).open().expect("raw sled");
    let file = std::fs::File::open(raw_dir.join("db")).expect("open sled's file");
    let value = vec![7u8; 8192];
    let mut plain = Vec::new();
    let mut synced = Vec::new();
    for i in 0..iters * 2 {
        let t = Instant::now();
        raw.insert((i as u64).to_be_bytes(), value.as_slice()).expect("insert");
        raw.flush().expect("flush");
        if i % 2 == 1 {
            file.sync_data().expect("fdatasync");
            synced.push(ms(t.elapsed()));
        } else {
            plain.push(ms(t.elapsed()));
        }
    }
    drop(raw);
    // And through the store (flush + fdatasync since this change): a small setting write.
    let mut store_ms = Vec::new();
    for i in 0..iters {
        let mut p = store.model().project.clone();
        p.settings.seminar_hours_cap = Some(Hours::from_f64(8.0 + (i % 7) as f64).expect("hours"));
        let t = Instant::now();
        store.apply(Command::SetProject(p)).expect("write");
        store_ms.push(ms(t.elapsed()));
    }
    let store_ms = sorted(store_ms);
    println!(
        "  Store::apply (small write, flush + fdatasync): p50 {:.3} ms p99 {:.3} ms",
        pct(&store_ms, 50.0),
        pct(&store_ms, 99.0)
    );
    let (plain, synced) = (sorted(plain), sorted(synced));
    println!(
        "  write: flush p50 {:.3} ms p99 {:.3} ms | flush + fdatasync p50 {:.3} ms p99 {:.3} ms (x{:.1} at p50)",
        pct(&plain, 50.0),
        pct(&plain, 99.0),
        pct(&synced, 50.0),
        pct(&synced, 99.0),
        ratio(pct(&synced, 50.0), pct(&plain, 50.0))
    );

    let out = json!({
        "scale": scale,
        "load_ms": r3(load_ms),
        "compact_ms": {"p50": r3(pct(&compact_ms, 50.0)), "max": r3(pct(&compact_ms, 100.0)), "ratio_to_load": r3(ratio(pct(&compact_ms, 50.0), load_ms))},
        "bytes": {"before": size.0, "after": size.1},
        "erase_ms": {"p50": r3(pct(&erase_ms, 50.0)), "max": r3(pct(&erase_ms, 100.0))},
        "emails_in_files": {"before": left_before, "after": left_after},
        "store_apply_ms": {"p50": r3(pct(&store_ms, 50.0)), "p99": r3(pct(&store_ms, 99.0))},
        "write_ms": {"flush_p50": r3(pct(&plain, 50.0)), "flush_p99": r3(pct(&plain, 99.0)),
            "fsync_p50": r3(pct(&synced, 50.0)), "fsync_p99": r3(pct(&synced, 99.0))},
        "loadavg": loadavg(),
    });
    let path = target.join("bench-erase.json");
    std::fs::write(&path, serde_json::to_string_pretty(&out).unwrap_or_default()).expect("write json");
    println!("  wrote {}", path.display());
    drop(store);
    let _ = std::fs::remove_dir_all(&work);
}
