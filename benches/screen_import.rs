//! What the screen's thread pays to start an import in the background (issue 11, item 8):
//! taking the [`import::Known`] snapshot the planning thread works on, at 300,000 people.
//! Baseline: cloning the whole model (the other way to hand the planning a model).
//! Also: how soon a plan of 300,000 rows stops once it is cancelled (the screen's Esc),
//! against the time the whole plan takes (what an abandoned plan cost before it could stop).
//!
//! Run: `cargo bench --bench screen_import`. Each step is timed BENCH_ITERS times (default
//! 5); the median is reported. Writes `<target>/bench-screen-import.json`.

use atbalsts::domain::*;
use atbalsts::io::import;
use atbalsts::model::Model;
use serde_json::json;
use std::time::Instant;

mod common;
use common::*;

const PEOPLE: u32 = 300_000;

/// A progress that reports nothing and says cancelled once its flag is set.
#[derive(Default)]
struct Flag(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl atbalsts::io::progress::Progress for Flag {
    fn step(&mut self, _: atbalsts::io::progress::Step, _: Option<u64>) {}
    fn done(&mut self, _: u64) {}
    fn cancelled(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let iters = env_usize("BENCH_ITERS").unwrap_or(5);
    let mut ds = atbalsts::io::sample::build(&atbalsts::io::sample::EMBEDDED, &Model::default(), &mut |_| UserId(0))
        .expect("sample");
    let orgs: Vec<OrgId> = ds
        .organisations
        .iter()
        .filter(|o| o.kind.is_institution())
        .map(|o| o.id)
        .collect();
    let first = ds.participants.len() as u32 + 1;
    for i in 0..PEOPLE - ds.participants.len() as u32 {
        let mut p = Participant::new("Anna", "Bērziņa", Role::Teacher, Some(orgs[i as usize % orgs.len()]));
        p.id = ParticipantId(first + i);
        p.email = format!("p{i}@example.com").into();
        ds.participants.push(p);
    }
    let event = ds.events.first().map(|e| e.id);
    let m = Model::from_dataset(ds, vec!["?".into()]);
    let mut bytes = 0;
    let known_ms = median(
        (0..iters)
            .map(|_| {
                let t0 = Instant::now();
                let k = import::Known::of(&m, event);
                let took = ms(t0.elapsed());
                bytes = k.approx_bytes();
                took
            })
            .collect(),
    );
    let clone_ms = median(
        (0..iters)
            .map(|_| {
                let t0 = Instant::now();
                let c = m.clone();
                let took = ms(t0.elapsed());
                assert_eq!(c.participants.len(), m.participants.len());
                took
            })
            .collect(),
    );
    // A list of 300,000 new people, planned on a thread and cancelled midway.
    let mut text = String::from("Vārds;Uzvārds;E-pasts\n");
    for i in 0..PEOPLE {
        text.push_str(&format!("Ilze;Kalniņa{i};ilze{i}@example.lv\n"));
    }
    let sheet = std::sync::Arc::new(import::csv::read(text.as_bytes(), None, None).expect("sheet"));
    let known = std::sync::Arc::new(import::Known::of(&m, None));
    let t0 = Instant::now();
    let whole = import::plan_known(
        &known,
        &sheet,
        "list.csv",
        &import::Options::default(),
        &mut Flag::default(),
    );
    let whole_ms = ms(t0.elapsed());
    assert_eq!(whole.map(|p| p.report.rows).ok(), Some(PEOPLE as usize));
    // How soon after the cancel the plan returns, and the thread ends (after freeing what
    // the plan had built).
    let stops: Vec<(f64, f64)> = (0..iters)
        .map(|i| {
            let flag = Flag::default();
            let cancel = std::sync::Arc::clone(&flag.0);
            let (sheet, known) = (std::sync::Arc::clone(&sheet), std::sync::Arc::clone(&known));
            let job = std::thread::spawn(move || {
                let mut p = flag;
                let got = import::plan_known(&known, &sheet, "list.csv", &import::Options::default(), &mut p);
                let returned = Instant::now();
                (matches!(got, Err(import::ReadError::Cancelled)), returned)
            });
            // Cancelled at different points of the plan (indexing what is known, matching).
            std::thread::sleep(std::time::Duration::from_secs_f64(
                whole_ms / 1e3 * (0.2 + 0.6 * i as f64 / iters.max(1) as f64),
            ));
            let t = Instant::now();
            cancel.store(true, std::sync::atomic::Ordering::Relaxed);
            let (cancelled, returned) = job.join().expect("the plan's thread");
            let ended = ms(t.elapsed());
            assert!(cancelled, "cancelled midway");
            (ms(returned.saturating_duration_since(t)), ended)
        })
        .collect();
    let returned: Vec<f64> = stops.iter().map(|s| s.0).collect();
    let ended: Vec<f64> = stops.iter().map(|s| s.1).collect();
    let max = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
    let report = json!({
        "loadavg": loadavg(),
        "iterations": iters,
        "people": PEOPLE,
        "known_snapshot_ms": r3(known_ms),
        "known_snapshot_mb": r3(bytes as f64 / 1e6),
        "baseline_model_clone_ms": r3(clone_ms),
        "known_over_clone": r3(ratio(known_ms, clone_ms)),
        "plan_rows": PEOPLE,
        "baseline_whole_plan_ms": r3(whole_ms),
        "cancelled_plan_returns_ms_median": r3(median(returned.clone())),
        "cancelled_plan_returns_ms_max": r3(max(&returned)),
        "cancelled_thread_ends_ms_median": r3(median(ended.clone())),
        "cancelled_thread_ends_ms_max": r3(max(&ended)),
        "thread_ends_over_whole_plan": r3(ratio(max(&ended), whole_ms)),
    });
    let text = serde_json::to_string_pretty(&report).expect("json");
    println!("{text}");
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
    let _ = std::fs::write(std::path::Path::new(&target).join("bench-screen-import.json"), text);
}
