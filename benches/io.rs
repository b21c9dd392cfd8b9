//! Files in and out (issue 11; see BENCHMARKS.md, section "Import and export").
//!
//! Run: `cargo bench --bench io`.
//!
//! 1. Import: a 100,000-row registration CSV (`;`, UTF-8, Latvian form headers; names,
//!    emails and the sample's schools) read and planned against the sample project (dry
//!    run), then planned and applied to a real store in a temporary directory (real run).
//!    Baseline: the csv crate alone reading the same bytes into records.
//! 2. Export: 300,000 participants (sample organisations plus synthetic people, in memory)
//!    as CSV for Excel and as XLSX. Baseline: `list --format json` of the same rows.
//! 3. A 300-person sign-in sheet rendered to PDF.
//!
//! Each step is timed BENCH_ITERS times (default 3); the median is reported. Writes
//! `<target>/bench-io.json`.

use atbalsts::command::{Command, Dataset};
use atbalsts::domain::*;
use atbalsts::io::{export, import, list, sheet};
use atbalsts::model::Model;
use serde_json::json;
use std::time::Instant;

mod common;
use common::*;

const IMPORT_ROWS: usize = 100_000;
const EXPORT_PEOPLE: u32 = 300_000;

fn sample() -> Dataset {
    atbalsts::io::sample::build(&atbalsts::io::sample::EMBEDDED, &Model::default(), &mut |_| UserId(0)).expect("sample")
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn time(iters: usize, mut f: impl FnMut()) -> f64 {
    median(
        (0..iters)
            .map(|_| {
                let t0 = Instant::now();
                f();
                ms(t0.elapsed())
            })
            .collect(),
    )
}

const GIVEN: [&str; 8] = ["Anna", "Jānis", "Līga", "Pēteris", "Ieva", "Māris", "Zane", "Kārlis"];
const SURNAMES: [&str; 8] = [
    "Bērziņa",
    "Ozols",
    "Kalniņa",
    "Liepiņš",
    "Zariņa",
    "Krūmiņš",
    "Eglīte",
    "Vītols",
];

fn registration_csv(schools: &[String]) -> Vec<u8> {
    let mut s = String::from("Laikspiedols;Vārds, uzvārds;E-pasta adrese;Izglītības iestāde;Amats\n");
    for i in 0..IMPORT_ROWS {
        let g = GIVEN[i % 8];
        let n = SURNAMES[(i / 8) % 8];
        s.push_str(&format!(
            "2025-03-01 10:{:02};{} {} {};p{}@example.com;{};skolotāja\n",
            i % 60,
            g,
            n,
            i,
            i,
            schools[i % schools.len()]
        ));
    }
    s.into_bytes()
}

fn main() {
    let iters: usize = std::env::var("BENCH_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let ds = sample();
    let schools: Vec<String> = ds
        .organisations
        .iter()
        .filter(|o| o.kind.is_institution())
        .map(|o| o.name.to_string())
        .collect();
    let m = Model::from_dataset(ds.clone(), vec!["?".into()]);
    let bytes = registration_csv(&schools);

    // 1. Import.
    let baseline_parse = time(iters, || {
        let mut r = csv::ReaderBuilder::new().delimiter(b';').from_reader(&bytes[..]);
        let n = r.records().filter(|r| r.is_ok()).count();
        assert_eq!(n, IMPORT_ROWS);
    });
    let opts = import::Options::default();
    let dry = time(iters, || {
        let sheet = import::csv::read(&bytes, None, None).expect("read");
        let p = import::plan(&m, &sheet, "bench.csv", &opts).expect("plan");
        assert_eq!(p.report.new_people, IMPORT_ROWS, "{:?}", p.report.rejected.first());
    });
    // The real run, then its undo (one `Unimport`), per iteration.
    let mut undo_ms = Vec::new();
    let real = median(
        (0..iters)
            .map(|_| {
                let dir = tempfile::tempdir().expect("tempdir");
                let mut store = atbalsts::store::Store::open(dir.path(), "bench").expect("open");
                store.load().expect("load");
                let base =
                    atbalsts::io::sample::build(&atbalsts::io::sample::EMBEDDED, store.model(), &mut |_| UserId(0))
                        .expect("sample");
                store.apply(Command::Import(Box::new(base))).expect("sample");
                let before = store.model().participants.len();
                let t0 = Instant::now();
                let sheet = import::csv::read(&bytes, None, None).expect("read");
                let p = import::plan(store.model(), &sheet, "bench.csv", &opts).expect("plan");
                let change = store.apply(p.command()).expect("apply");
                let took = ms(t0.elapsed());
                assert_eq!(store.model().participants.len(), before + IMPORT_ROWS);
                let t1 = Instant::now();
                store.apply(change.inverse().expect("undoable")).expect("undo");
                undo_ms.push(ms(t1.elapsed()));
                assert_eq!(store.model().participants.len(), before);
                took
            })
            .collect(),
    );
    let undo = median(undo_ms);
    // The other way to make an import undoable: one `Batch` of creations, measured once
    // (it links record by record).
    let batch_real = {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = atbalsts::store::Store::open(dir.path(), "bench").expect("open");
        store.load().expect("load");
        let base = atbalsts::io::sample::build(&atbalsts::io::sample::EMBEDDED, store.model(), &mut |_| UserId(0))
            .expect("sample");
        store.apply(Command::Import(Box::new(base))).expect("sample");
        let t0 = Instant::now();
        let sheet = import::csv::read(&bytes, None, None).expect("read");
        let p = import::plan(store.model(), &sheet, "bench.csv", &opts).expect("plan");
        let parts: Vec<Command> = p
            .dataset
            .participants
            .into_iter()
            .map(|r| Command::Create(r.wrap()))
            .collect();
        store.apply(Command::Batch(parts)).expect("batch");
        ms(t0.elapsed())
    };

    // 2. Export of 300k participants.
    let mut big = ds.clone();
    let first = big.participants.len() as u32 + 1;
    let orgs: Vec<OrgId> = big
        .organisations
        .iter()
        .filter(|o| o.kind.is_institution())
        .map(|o| o.id)
        .collect();
    for i in 0..EXPORT_PEOPLE - big.participants.len() as u32 {
        let mut p = Participant::new(
            GIVEN[i as usize % 8],
            SURNAMES[(i as usize / 8) % 8],
            Role::Teacher,
            Some(orgs[i as usize % orgs.len()]),
        );
        p.id = ParticipantId(first + i);
        p.email = format!("p{i}@example.com").into();
        big.participants.push(p);
    }
    let big = Model::from_dataset(big, vec!["?".into()]);
    let baseline_json = time(iters, || {
        let mut out = Vec::with_capacity(1 << 26);
        list::write(&mut out, list::rows(&big, Table::Participant, None), list::Format::Json).expect("json");
    });
    let csv_ms = time(iters, || {
        let mut out = Vec::with_capacity(1 << 26);
        let n = export::write_csv(
            &mut out,
            list::rows(&big, Table::Participant, None),
            export::CsvOptions::default(),
        )
        .expect("csv");
        assert_eq!(n, EXPORT_PEOPLE as usize);
    });
    let xlsx_ms = time(iters.min(2), || {
        let mut out = Vec::with_capacity(1 << 25);
        let n =
            export::write_xlsx(&mut out, vec![("P".into(), list::rows(&big, Table::Participant, None))]).expect("xlsx");
        assert_eq!(n, EXPORT_PEOPLE as usize);
    });

    // 3. A 300-person sheet.
    let s = sheet::Sheet {
        project: "Pedagogu profesionālā atbalsta sistēmas izveide".into(),
        project_no: "4.2.2.3/1/24/I/001".into(),
        title: "Pašvaldību izglītības speciālistu apmācības".into(),
        facts: vec![
            "Datums: 28.01.2025. · Laiks: 10:00–15:00".into(),
            "Vieta: Cēsis · Stundas: 6".into(),
        ],
        lines: (0..300)
            .map(|i| sheet::Row {
                name: format!("{} {}", GIVEN[i % 8], SURNAMES[i / 8 % 8]),
                institution: schools[i % schools.len()].clone(),
            })
            .collect(),
    };
    let pdf_ms = time(iters, || {
        let pdf = sheet::render(&s).expect("pdf");
        assert!(pdf.starts_with(b"%PDF"));
    });

    let report = json!({
        "loadavg": loadavg(),
        "iterations": iters,
        "import_100k_rows": {
            "baseline_csv_parse_ms": r3(baseline_parse),
            "dry_run_ms": r3(dry),
            "real_run_ms": r3(real),
            "undo_ms": r3(undo),
            "real_run_as_one_batch_of_creations_ms": r3(batch_real),
            "batch_over_bulk": r3(ratio(batch_real, real)),
            "real": verdict(real <= 3000.0),
            "dry_over_baseline": r3(ratio(dry, baseline_parse)),
            "targets_ms": 3000,
            "dry": verdict(dry <= 3000.0),
        },
        "export_300k_participants": {
            "baseline_json_ms": r3(baseline_json),
            "csv_ms": r3(csv_ms),
            "xlsx_ms": r3(xlsx_ms),
            "csv_over_baseline": r3(ratio(csv_ms, baseline_json)),
            "xlsx_over_baseline": r3(ratio(xlsx_ms, baseline_json)),
            "csv": verdict(csv_ms <= 1000.0),
            "xlsx": verdict(xlsx_ms <= 5000.0),
        },
        "sheet_300_people_ms": r3(pdf_ms),
        "sheet": verdict(pdf_ms <= 1000.0),
    });
    let text = serde_json::to_string_pretty(&report).expect("json");
    println!("{text}");
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
    let _ = std::fs::write(std::path::Path::new(&target).join("bench-io.json"), text);
}
