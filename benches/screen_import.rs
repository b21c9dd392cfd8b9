//! What the screen's thread pays to start an import in the background (issue 11, item 8):
//! taking the [`import::Known`] snapshot the planning thread works on, at 300,000 people.
//! Baseline: cloning the whole model (the other way to hand the planning a model).
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
    let report = json!({
        "loadavg": loadavg(),
        "iterations": iters,
        "people": PEOPLE,
        "known_snapshot_ms": r3(known_ms),
        "known_snapshot_mb": r3(bytes as f64 / 1e6),
        "baseline_model_clone_ms": r3(clone_ms),
        "known_over_clone": r3(ratio(known_ms, clone_ms)),
    });
    let text = serde_json::to_string_pretty(&report).expect("json");
    println!("{text}");
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
    let _ = std::fs::write(std::path::Path::new(&target).join("bench-screen-import.json"), text);
}
