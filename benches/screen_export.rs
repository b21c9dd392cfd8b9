//! What the screen's thread pays to start an export in the background (issue 11's last
//! part): taking the [`export::Taken`] copy the job builds and writes the rows from, at
//! 300,000 people (the generated 300k database: 30,000 events, 3,000,000 attendance rows).
//! Baseline, in the same run: building the rows on the screen's thread, as the screen did
//! before (`list::rows` collected). Also timed, for information: the job's own work before
//! it writes (the copy's model and its rows), which no longer holds the screen.
//!
//! Run: `cargo bench --bench screen_export` (BENCH_ITERS, default 3; the median is
//! reported; ATBALSTS_BENCH_SCALE 3k/30k/300k). Writes `<target>/bench-screen-export.json`.

use atbalsts::domain::Table;
use atbalsts::io::{export, list};
use serde_json::json;
use std::time::Instant;

mod common;
use common::*;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let iters = env_usize("BENCH_ITERS").unwrap_or(3);
    let scale = scale();
    let source = bench_data(&scale);
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&source, dir.path());
    let t = Instant::now();
    let mut store = atbalsts::store::Store::open(dir.path(), "bench").expect("open the store");
    store.load().expect("load the store");
    let m = store.model();
    println!(
        "loaded {scale} in {:.0} ms: {} people, {} events, {} attendance rows | load {}",
        ms(t.elapsed()),
        m.participants.len(),
        m.events.len(),
        m.attendance.len(),
        loadavg()
    );
    let mut tables = Vec::new();
    for table in [Table::Participant, Table::Event] {
        // Every row of the pane, as `:export` with no filter takes them.
        let ids: Vec<u32> = m.orders.get(table).to_vec();
        let (mut before, mut pause, mut job, mut copied) = (Vec::new(), Vec::new(), Vec::new(), 0);
        for _ in 0..iters {
            let t = Instant::now();
            let rows: Vec<list::Fields> = list::rows(m, table, Some(ids.clone())).collect();
            before.push(ms(t.elapsed()));
            assert_eq!(rows.len(), ids.len());
            drop(rows);
            let t = Instant::now();
            let taken = export::Taken::of(m, table, ids.clone());
            pause.push(ms(t.elapsed()));
            copied = taken.len();
            let t = Instant::now();
            let (copy, table, kept) = taken.into_model();
            let n = list::rows(&copy, table, Some(kept)).count();
            job.push(ms(t.elapsed()));
            assert_eq!(n, ids.len());
        }
        let (before, pause, job) = (median(before), median(pause), median(job));
        println!(
            "{table:?}: {} rows | screen's thread: before {before:.1} ms, now {pause:.1} ms ({:.3} of before) | the job's rows {job:.1} ms",
            ids.len(),
            ratio(pause, before)
        );
        tables.push(json!({
            "table": format!("{table:?}"),
            "rows": ids.len(),
            "records_copied": copied,
            "baseline_rows_on_screen_thread_ms": r3(before),
            "screen_thread_pause_ms": r3(pause),
            "pause_over_baseline": r3(ratio(pause, before)),
            "job_model_and_rows_ms": r3(job),
        }));
    }
    let report = json!({
        "loadavg": loadavg(),
        "iterations": iters,
        "scale": scale,
        "tables": tables,
    });
    let text = serde_json::to_string_pretty(&report).expect("json");
    println!("{text}");
    let _ = std::fs::write(target_dir().join("bench-screen-export.json"), text);
}
