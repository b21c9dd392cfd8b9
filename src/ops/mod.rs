//! The data commands as typed operations, below every front end: the CLI parses its
//! arguments into an [`Op`], the server's socket carries it (postcard) and the server runs it
//! against its data as the client's account; with `--no-server` the same code runs in the
//! command's own process. Files (import, export, the sign-in sheet, backup) are not here:
//! they are the user's and stay in the client.

mod erase;
mod people;
mod settings;
mod setup;

pub use erase::files_list;
pub use settings::Setting;
pub use setup::{load_indicator_definitions, load_sample};

use crate::backend::Backend;
use crate::domain::Table;
use crate::i18n::{M, f, t};
use crate::io::{generate, list};
use crate::progress_bar::Bar;
use crate::store::StoreError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;

/// A data command with its arguments, checked and typed (dates are dates, ids are ids).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Op {
    /// Load the indicators' definitions into a new database, or the sample (`sample`).
    Init {
        sample: bool,
    },
    /// Fill an empty database with synthetic data.
    Generate {
        participants: u32,
        events: u32,
        attendance: u64,
        seed: u64,
    },
    Stats {
        format: list::Format,
    },
    List {
        table: Table,
        format: list::Format,
        filter: Option<String>,
    },
    /// The indicators as of `asof` (default: today), split `by` something or not.
    Report {
        asof: Option<NaiveDate>,
        format: list::Format,
        by: Option<crate::indicators::By>,
    },
    /// Show the project's settings after setting one (or none).
    Settings {
        set: Option<Setting>,
    },
    /// Erase one person, or everyone not seen for some years; without `yes`, say who.
    Erase {
        who: Erasing,
        yes: bool,
    },
    Compact,
    Attendance {
        event: u32,
        format: list::Format,
    },
    Search {
        query: String,
        limit: usize,
        format: list::Format,
    },
    Duplicates {
        format: ReportFormat,
    },
    /// Merge person `other` into person `keep`; without `yes`, say what it would do.
    Merge {
        keep: u32,
        other: u32,
        yes: bool,
    },
}

/// Who an erasure is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Erasing {
    Person(u32),
    /// Everyone with nothing for this many years.
    Retention(u32),
}

/// How a report of `import`, `duplicates` and the like is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
pub enum ReportFormat {
    Text,
    Json,
}

impl Op {
    /// The command's word, for the log (never its arguments, which can name people).
    pub fn word(&self) -> &'static str {
        match self {
            Op::Init { .. } => "init",
            Op::Generate { .. } => "generate",
            Op::Stats { .. } => "stats",
            Op::List { .. } => "list",
            Op::Report { .. } => "report",
            Op::Settings { .. } => "settings",
            Op::Erase { .. } => "erase",
            Op::Compact => "compact",
            Op::Attendance { .. } => "attendance",
            Op::Search { .. } => "search",
            Op::Duplicates { .. } => "duplicates",
            Op::Merge { .. } => "merge",
        }
    }
}

/// An error for the user: one message, and the exit code.
#[derive(Debug, PartialEq)]
pub struct Failure {
    pub message: String,
    pub code: i32,
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        let code = if matches!(e, StoreError::Locked { .. }) { 3 } else { 1 };
        Failure {
            message: e.to_string(),
            code,
        }
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        // A closed pipe (`atbalsts list ... | head`) is not an error worth a message, in
        // every format: the CSV writer wraps it, so its cause is looked at too.
        let wrapped = e.get_ref().is_some_and(|inner| {
            inner
                .to_string()
                .contains(&std::io::Error::from(std::io::ErrorKind::BrokenPipe).to_string())
                || inner.to_string().contains("os error 32")
        });
        let code = if e.kind() == std::io::ErrorKind::BrokenPipe || wrapped {
            0
        } else {
            1
        };
        Failure {
            message: if code == 0 { String::new() } else { e.to_string() },
            code,
        }
    }
}

/// A failure of what was asked (exit code 2).
pub fn fail(message: String) -> Failure {
    Failure { message, code: 2 }
}

/// ` --db PATH` (quoted for the shell when needed): every command a message suggests
/// repeats it, so that a pasted suggestion acts on the same database.
pub fn db_arg(db: &Path) -> String {
    let p = db.display().to_string();
    let plain = !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+=:,@%".contains(c));
    if plain {
        format!(" --db {p}")
    } else {
        format!(" --db '{}'", p.replace('\'', "'\\''"))
    }
}

/// The ids `--filter EXPR` selects (`None`: no filter, every record).
pub fn filtered_ids(m: &crate::model::Model, t: Table, filter: Option<&str>) -> Result<Option<Vec<u32>>, Failure> {
    match filter.filter(|f| !f.trim().is_empty()) {
        Some(expr) if t != Table::Attendance => {
            let f = crate::search::filter::Filter::parse(expr, t, m).map_err(|e| fail(format!("--filter: {e}")))?;
            Ok(Some(f.apply(m, None, crate::domain::today())))
        }
        Some(_) => Err(fail("--filter: attendance rows cannot be filtered yet".into())),
        None => Ok(None),
    }
}

/// Why a write failed, in a few words for a longer message (a full disk is said as such,
/// not as "nothing was saved").
pub fn reason(e: &StoreError) -> String {
    match e {
        StoreError::DiskFull { .. } => t(M::ReasonDiskFull).to_string(),
        other => other.message(),
    }
}

/// Runs `op` against `store` (this process's, or the server's as a client's account),
/// printing into `out`; `db` is the database's directory (for messages).
pub fn run(op: Op, store: &mut dyn Backend, db: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    match op {
        Op::Init { sample } => {
            if sample {
                load_sample(store)?;
            } else if store.model().total() == 0 {
                load_indicator_definitions(store)?;
            }
            writeln!(out, "{}", f(M::InitDone, &[&db.display(), &store.model().total()]))?;
            Ok(())
        }
        Op::Generate {
            participants,
            events,
            attendance,
            seed,
        } => {
            let n = store.model().total();
            if n > 0 {
                return Err(fail(f(M::ErrNotEmpty, &[&db.display(), &n])));
            }
            let t0 = std::time::Instant::now();
            let mut bar = Bar::new();
            let g = generate::generate_with_progress(
                store,
                generate::Size {
                    participants,
                    events,
                    attendance,
                    seed,
                },
                &mut bar,
            )?;
            bar.finish();
            let secs = t0.elapsed().as_secs_f64();
            writeln!(
                out,
                "{}",
                f(
                    M::GenerateDone,
                    &[
                        &g.organisations,
                        &g.events,
                        &g.participants,
                        &g.attendance,
                        &db.display(),
                        &secs
                    ]
                )
            )?;
            Ok(())
        }
        Op::Stats { format } => {
            let s = list::stats(store.model(), db, store.size_on_disk());
            list::write_stats(out, s, format)?;
            Ok(())
        }
        Op::Report { asof, format, by } => {
            let asof = asof.unwrap_or_else(crate::domain::today);
            let t0 = std::time::Instant::now();
            if by.is_none() && matches!(format, list::Format::Text | list::Format::Md) {
                // For people: in the interface's language, with the project's header.
                let rows = store.outcomes(asof);
                crate::io::report::write_indicators_of(out, store.model(), asof, rows, format == list::Format::Md)?;
                out.flush()?;
                return Ok(());
            }
            let rows = match by {
                Some(by) => list::indicator_breakdown(store.model(), asof, by),
                None => {
                    let rows = store.outcomes(asof);
                    list::indicator_report_of(store.model(), asof, rows)
                }
            };
            crate::log!(
                "report: {} indicators in {:.1} ms",
                rows.len(),
                t0.elapsed().as_secs_f64() * 1e3
            );
            list::write(out, rows.into_iter(), format)?;
            out.flush()?;
            Ok(())
        }
        Op::Attendance { event, format } => {
            let rows = list::attendance_of_event(store.model(), crate::domain::EventId(event))
                .ok_or_else(|| fail(f(M::ErrNoEvent, &[&event, &db_arg(db)])))?;
            let header = list::columns(store.model(), list::Columns::EventAttendance);
            list::write_headed(out, rows.into_iter(), format, &header)?;
            out.flush()?;
            Ok(())
        }
        Op::Erase { who, yes } => match who {
            Erasing::Person(id) => erase::one(store, id, yes, db, out),
            Erasing::Retention(years) => erase::retention(store, years, yes, out),
        },
        Op::Compact => {
            let r = store.compact()?;
            writeln!(
                out,
                "{}",
                f(
                    M::Compacted,
                    &[&r.seconds, &r.keys, &(r.bytes_before / 1024), &(r.bytes_after / 1024)]
                )
            )?;
            Ok(())
        }
        Op::Settings { set } => settings::run(store, set, out),
        Op::Search { query, limit, format } => {
            let m = store.model();
            let t0 = std::time::Instant::now();
            let terms = crate::search::text::terms(&query);
            let hits = crate::search::people::ranked(m, &terms, crate::search::people::Among::All);
            crate::log!(
                "search ({} chars): {} hits in {:.2} ms",
                query.chars().count(),
                hits.len(),
                t0.elapsed().as_secs_f64() * 1000.0
            );
            let header = list::columns(m, list::Columns::Search);
            list::write_headed(
                out,
                list::search_rows(m, &hits[..hits.len().min(limit)]),
                format,
                &header,
            )?;
            out.flush()?;
            Ok(())
        }
        Op::List { table, format, filter } => {
            let m = store.model();
            let ids = filtered_ids(m, table, filter.as_deref())?;
            let header = list::columns(m, list::Columns::Table(table));
            list::write_headed(out, list::rows(m, table, ids), format, &header)?;
            out.flush()?;
            Ok(())
        }
        Op::Duplicates { format } => people::duplicates(store.model(), format, db, out),
        Op::Merge { keep, other, yes } => people::merge(store, keep, other, yes, db, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(op: Op, store: &mut crate::store::Store, dir: &Path) -> String {
        let mut out = Vec::new();
        run(op, store, dir, &mut out).expect("ran");
        String::from_utf8(out).expect("UTF-8")
    }

    /// A script tells an empty list from a failure: with no rows, `list` of every kind,
    /// `attendance` and `search` still print their header line, in text and CSV.
    #[test]
    fn empty_lists_print_their_header_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = crate::store::Store::open(dir.path(), "tester").expect("open");
        store.load().expect("load");
        let at = |h| {
            NaiveDate::from_ymd_opt(2026, 12, 5)
                .and_then(|d| d.and_hms_opt(h, 0, 0))
                .expect("time")
        };
        let event = crate::domain::Event::new(
            "Seminārs",
            crate::domain::EventFormat::Seminar,
            at(10),
            at(14),
            crate::domain::Hours(40),
        );
        let change = store
            .apply(crate::command::Command::Create(crate::domain::AnyRecord::Event(event)))
            .expect("an event");
        let crate::command::Change::Created(crate::domain::AnyRecord::Event(event)) = change else {
            panic!("created {change:?}");
        };
        let event = event.id.0;
        for format in [list::Format::Text, list::Format::Csv] {
            let sep = if format == list::Format::Text { '\t' } else { ',' };
            for table in [
                Table::Organisation,
                Table::Participant,
                Table::Attendance,
                Table::Indicator,
            ] {
                let text = output(
                    Op::List {
                        table,
                        format,
                        filter: None,
                    },
                    &mut store,
                    dir.path(),
                );
                let first = text.lines().next().unwrap_or_default();
                assert!(first.starts_with(&format!("id{sep}")), "{table:?} {format:?}: {text:?}");
                assert_eq!(text.lines().count(), 1, "{table:?} {format:?}: {text:?}");
            }
            let text = output(Op::Attendance { event, format }, &mut store, dir.path());
            // The names a row of the list has (io::list's tests check them against rows).
            let names = list::columns(store.model(), list::Columns::EventAttendance);
            assert_eq!(names.first(), Some(&"participant_id"));
            assert_eq!(
                text.lines().collect::<Vec<_>>(),
                [names.join(&sep.to_string())],
                "{format:?}"
            );
            let text = output(
                Op::Search {
                    query: "nobody".into(),
                    limit: 10,
                    format,
                },
                &mut store,
                dir.path(),
            );
            assert!(text.starts_with(&format!("id{sep}score{sep}")), "{text:?}");
        }
    }

    /// Every operation crosses the server's socket as it was made.
    #[test]
    fn operations_round_trip_through_postcard() {
        let ops = vec![
            Op::Init { sample: true },
            Op::Report {
                asof: NaiveDate::from_ymd_opt(2025, 8, 31),
                format: list::Format::Md,
                by: Some(crate::indicators::By::Role),
            },
            Op::Settings {
                set: Some(Setting::Institutions {
                    count: 640,
                    source: "VIIS".into(),
                    date: NaiveDate::from_ymd_opt(2025, 9, 1),
                    assumed: false,
                }),
            },
            Op::Erase {
                who: Erasing::Retention(3),
                yes: false,
            },
            Op::List {
                table: Table::Participant,
                format: list::Format::Csv,
                filter: Some("mun:cēsis -role:student".into()),
            },
            Op::Merge {
                keep: 1,
                other: 2,
                yes: true,
            },
        ];
        for op in ops {
            let bytes = postcard::to_allocvec(&op).expect("encode");
            assert_eq!(postcard::from_bytes::<Op>(&bytes).expect("decode"), op);
        }
    }
}
