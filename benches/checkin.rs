//! Check-in desk benchmark (issue 5; see BENCHMARKS.md, section "Check-in desk").
//!
//! Run: `cargo bench --bench checkin` (BENCH_SCALE=3k|30k|300k, default 300k).
//!
//! 1. A private copy of `<target>/bench-data/<scale>` (made by the startup bench, or here
//!    with `atbalsts generate`) is opened and loaded in-process, and the real `App` is built
//!    at 80x24 on a ratatui `TestBackend`, with the default keymap.
//! 2. On the Events pane, `c` opens the desk of an event. For each of BENCH_ITERS people
//!    not yet at the event, their email is typed key by key (each key: `handle_key` + draw,
//!    the live search), then Enter is pressed. "Enter to durable and confirmed on screen" is
//!    `handle_key(Enter)` (check-in through `Store::apply`: written and flushed) plus the
//!    draw, checked to show "CHECKED IN" and the name.
//! 3. Baseline, interleaved: a bare sled insert of an 8 KiB value (the size of an attendance
//!    chunk) plus `flush` and `fdatasync` (as the store writes), in a sled database in the
//!    same directory: the disk's own cost of a durable write (`common::DurableWrite`).
//! 4. Checks (assert): every check-in is in the database after reopening it.
//!
//! Writes `<target>/bench-checkin.json`.

use atbalsts::domain::{AttendanceStatus, Table};
use atbalsts::tui::app::App;
use atbalsts::tui::keymap::Keymap;
use atbalsts::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;
use std::time::Instant;

mod common;
use common::*;

/// Target: Enter to durable and confirmed on screen, p99.
const T_ENTER_P99_MS: f64 = 2.0;

fn summary(name: &str, v: &mut [f64]) -> serde_json::Value {
    v.sort_by(f64::total_cmp);
    let (p50, p95, p99, max) = (pct(v, 50.0), pct(v, 95.0), pct(v, 99.0), pct(v, 100.0));
    println!(
        "  {name:<44} n={:<5} p50 {p50:>7.3}  p95 {p95:>7.3}  p99 {p99:>7.3}  max {max:>7.3} ms",
        v.len()
    );
    json!({"n": v.len(), "p50": r3(p50), "p95": r3(p95), "p99": r3(p99), "max": r3(max)})
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn screen(term: &Terminal<TestBackend>) -> String {
    let buf = term.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

fn main() {
    let target = target_dir();
    let scale = scale();
    let iters = env_usize("BENCH_ITERS").unwrap_or(300);
    let source = bench_data(&scale);
    let work = target.join("bench-checkin");
    let _ = std::fs::remove_dir_all(&work);
    let db = work.join(&scale);
    copy_dir(&source, &db);
    println!(
        "atbalsts check-in benchmark (issue 5) | {scale} | rayon threads {} | load {}",
        rayon::current_num_threads(),
        loadavg()
    );

    let t = Instant::now();
    let mut store = atbalsts::store::Store::open(&db, "bench").expect("open the store");
    store.load().expect("load");
    println!("  loaded in {:.0} ms", ms(t.elapsed()));
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
    let mut app = App::new(
        store,
        Keymap::default_keymap(),
        Theme { color: false },
        std::sync::Arc::new(atbalsts::clock::FixedClock::at(today, 10, 0)),
        (80, 24),
    );
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");

    // The desk of the event the Events pane opens at.
    app.handle_key(key(KeyCode::Char('2')));
    app.handle_key(key(KeyCode::Char('c')));
    // An event not held today asks before its desk opens.
    if app.confirm().is_some() {
        app.handle_key(key(KeyCode::Char('y')));
    }
    assert!(app.desk().is_some(), "the desk is open");
    let event = app.desk().expect("the desk opened").event;
    let people: Vec<(u32, String)> = {
        let m = app.model();
        // Spread over the whole table.
        let step = (m.participants.len() / (iters * 2)).max(1);
        m.participants
            .iter()
            .filter(|p| !p.email.is_empty() && m.attendance_pair(event, p.id).is_none())
            .step_by(step)
            .take(iters)
            .map(|p| (p.id.0, p.email.to_lowercase().to_string()))
            .collect()
    };
    assert_eq!(people.len(), iters, "enough people to check in");

    let mut baseline = DurableWrite::open(&work.join("baseline-sled"));
    let (mut enter, mut keys, mut base) = (Vec::new(), Vec::new(), Vec::new());
    let mut enter_handle = Vec::new();
    for (id, email) in &people {
        for c in email.chars() {
            let t = Instant::now();
            app.handle_key(key(KeyCode::Char(c)));
            let app_ref = &app;
            term.draw(|f| atbalsts::tui::ui::render(app_ref, f)).expect("draw");
            keys.push(ms(t.elapsed()));
        }
        assert_eq!(app.desk().and_then(|d| d.chosen()).map(|p| p.0), Some(*id), "{email}");
        let t = Instant::now();
        app.handle_key(key(KeyCode::Enter));
        let handled = t.elapsed();
        let app_ref = &app;
        term.draw(|f| atbalsts::tui::ui::render(app_ref, f)).expect("draw");
        enter.push(ms(t.elapsed()));
        enter_handle.push(ms(handled));
        let shown = screen(&term);
        assert!(shown.contains("CHECKED IN"), "confirmed on screen:\n{shown}");
        // Baseline, interleaved: the disk's cost of one durable write of a chunk.
        base.push(baseline.time_one());
    }
    let in_memory = app.history.len();
    drop(app);
    drop(baseline);

    // Every check-in is on disk.
    let mut store = atbalsts::store::Store::open(&db, "bench").expect("reopen");
    store.load().expect("reload");
    let m = store.model();
    let recorded = people
        .iter()
        .filter(|(id, _)| {
            m.attendance_pair(event, atbalsts::domain::ParticipantId(*id))
                .is_some_and(|a| a.status == AttendanceStatus::Attended)
        })
        .count();
    assert_eq!(recorded, iters, "all check-ins survive a reopen ({in_memory} made)");
    println!(
        "  {} check-ins at event {} ({} attendance rows in all), all on disk after reopening",
        iters,
        event.0,
        m.count(Table::Attendance)
    );

    let e = summary("Enter → durable + confirmed on screen", &mut enter);
    let h = summary("  of which handle_key (check-in, flushed)", &mut enter_handle);
    let k = summary("typing at the desk (key + live search + draw)", &mut keys);
    let b = summary(DurableWrite::LABEL, &mut base);
    let p99 = e["p99"].as_f64().unwrap_or(f64::NAN);
    let ratio_p50 = ratio(
        e["p50"].as_f64().unwrap_or(f64::NAN),
        b["p50"].as_f64().unwrap_or(f64::NAN),
    );
    let ratio_p99 = ratio(p99, b["p99"].as_f64().unwrap_or(f64::NAN));
    println!("  ratio Enter ÷ baseline: p50 {ratio_p50:.2}, p99 {ratio_p99:.2}");
    println!(
        "  target Enter p99 < {T_ENTER_P99_MS} ms: {} ({p99:.3} ms)",
        verdict(p99 < T_ENTER_P99_MS)
    );
    let out = json!({
        "scale": scale, "iters": iters, "load": loadavg(),
        "enter_ms": e, "enter_handle_ms": h, "key_ms": k, "baseline_ms": b,
        "ratio_p50": r3(ratio_p50), "ratio_p99": r3(ratio_p99),
    });
    let path = target.join("bench-checkin.json");
    std::fs::write(&path, serde_json::to_string_pretty(&out).unwrap_or_default()).expect("write results");
    println!("  results in {}", path.display());
    let _ = std::fs::remove_dir_all(&work);
}
