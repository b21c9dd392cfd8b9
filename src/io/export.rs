//! `atbalsts export`: the rows `list` builds, written for people's spreadsheets: CSV for
//! Excel (UTF-8 with BOM and `;` by default) or XLSX with typed cells (dates as dates,
//! numbers as numbers), a bold frozen header and fitted columns. Formulas never get in: a CSV
//! text cell that a spreadsheet would run gets a leading `'`. Reads rows; writes files only.
//! The screen's export takes a [`Taken`] copy of what its rows need and builds and writes
//! them on a thread of its own.

use super::list::{Fields, cell};
use super::progress::{Progress, Silent, Step, every};
use crate::domain::{Attendance, Record, Table};
use crate::model::{Model, Rows, Tables};
use encoding_rs::Encoding;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use serde_json::Value;
use std::borrow::Cow;
use std::io::{self, Write};

/// The formats `export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Json,
    /// A Markdown table (as `list --format md`).
    Md,
}

impl ExportFormat {
    /// The format a file name's extension implies.
    pub fn of_path(p: &std::path::Path) -> Option<ExportFormat> {
        match p.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" | "txt" | "tsv" => Some(ExportFormat::Csv),
            "xlsx" => Some(ExportFormat::Xlsx),
            "json" => Some(ExportFormat::Json),
            "md" => Some(ExportFormat::Md),
            _ => None,
        }
    }
}

/// Writes the rows of `sheets` to `out` in `format`, reporting the rows written to `p` (the
/// caller names the step and its total); returns the rows of the first sheet. Only XLSX
/// takes more than the first sheet; CSV is written with `csv`.
pub fn write_as(
    out: &mut dyn Write,
    format: ExportFormat,
    mut sheets: Vec<SheetRows<'_>>,
    csv: CsvOptions,
    p: &mut dyn Progress,
) -> io::Result<usize> {
    if format == ExportFormat::Xlsx {
        return write_xlsx_with_progress(out, sheets, p).map_err(io::Error::other);
    }
    let rows: Box<dyn Iterator<Item = Fields> + '_> = match sheets.is_empty() {
        true => Box::new(std::iter::empty()),
        false => sheets.swap_remove(0).1,
    };
    match format {
        ExportFormat::Csv => write_csv_with_progress(out, rows, csv, p),
        ExportFormat::Json | ExportFormat::Md | ExportFormat::Xlsx => {
            let mut n = 0u64;
            let counted = rows.inspect(|_| {
                n += 1;
                every(p, n);
            });
            let as_list = match format {
                ExportFormat::Md => super::list::Format::Md,
                _ => super::list::Format::Json,
            };
            super::list::write(out, counted, as_list)?;
            Ok(n as usize)
        }
    }
}

/// A text cell made safe for spreadsheets: one starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return would be taken for a formula, so it gets a leading `'`.
pub fn neutralise(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// How CSV is written.
#[derive(Clone, Copy, Debug)]
pub struct CsvOptions {
    pub delimiter: u8,
    pub encoding: &'static Encoding,
    /// A byte order mark first (UTF-8 only): how Excel knows the file is UTF-8.
    pub bom: bool,
}

impl Default for CsvOptions {
    /// For a Latvian Excel: UTF-8 with BOM, `;`.
    fn default() -> CsvOptions {
        CsvOptions {
            delimiter: b';',
            encoding: encoding_rs::UTF_8,
            bom: true,
        }
    }
}

impl CsvOptions {
    /// From `--delimiter` (`;`, `,`, `tab`) and `--encoding` (`utf-8-bom`, `utf-8`,
    /// `windows-1257`...); `Err` names the value not understood.
    pub fn parse(delimiter: Option<&str>, encoding: Option<&str>) -> Result<CsvOptions, String> {
        let mut o = CsvOptions::default();
        if let Some(d) = delimiter {
            o.delimiter = match d {
                "tab" | "\\t" | "\t" => b'\t',
                d if d.len() == 1 && d.is_ascii() && !d.as_bytes()[0].is_ascii_alphanumeric() => d.as_bytes()[0],
                other => return Err(other.to_string()),
            };
        }
        if let Some(e) = encoding {
            let e = e.trim().to_ascii_lowercase();
            if e == "utf-8-bom" || e == "utf8-bom" {
                return Ok(o);
            }
            o.encoding = super::import::csv::encoding_of(&e).ok_or(e)?;
            o.bom = false;
        }
        Ok(o)
    }
}

/// A value as one CSV cell: text neutralised, numbers and flags as they are.
fn csv_cell(v: &Value) -> String {
    let s = cell(v);
    match v {
        Value::String(_) | Value::Array(_) | Value::Object(_) => neutralise(&s).into_owned(),
        _ => s,
    }
}

fn write_rows<W: Write>(
    w: W,
    rows: impl Iterator<Item = Fields>,
    delimiter: u8,
    p: &mut dyn Progress,
) -> io::Result<usize> {
    let mut w = ::csv::WriterBuilder::new().delimiter(delimiter).from_writer(w);
    let mut n = 0;
    for r in rows {
        if n == 0 {
            w.write_record(r.iter().map(|(k, _)| *k))?;
        }
        w.write_record(r.iter().map(|(_, v)| csv_cell(v)))?;
        n += 1;
        every(p, n as u64);
    }
    w.flush()?;
    Ok(n)
}

/// Writes rows as CSV; returns the number of rows.
pub fn write_csv(out: &mut dyn Write, rows: impl Iterator<Item = Fields>, o: CsvOptions) -> io::Result<usize> {
    write_csv_with_progress(out, rows, o, &mut Silent)
}

/// [`write_csv`], reporting the rows written to `p` (the caller names the step and its
/// total).
pub fn write_csv_with_progress(
    out: &mut dyn Write,
    rows: impl Iterator<Item = Fields>,
    o: CsvOptions,
    p: &mut dyn Progress,
) -> io::Result<usize> {
    if o.encoding == encoding_rs::UTF_8 {
        if o.bom {
            out.write_all(b"\xEF\xBB\xBF")?;
        }
        return write_rows(out, rows, o.delimiter, p);
    }
    let mut buf = Vec::new();
    let n = write_rows(&mut buf, rows, o.delimiter, p)?;
    let text = String::from_utf8_lossy(&buf);
    let (bytes, _, _) = o.encoding.encode(&text);
    out.write_all(&bytes)?;
    Ok(n)
}

/// Whether a field holds a date or a moment (by its name, as `list` names them).
fn date_field(name: &str) -> bool {
    name.ends_with("_at") || name.ends_with("_date") || matches!(name, "start" | "end" | "deadline" | "as_of")
}

/// A date or moment as Excel wants it: RFC 3339 moments in Riga's wall-clock time (Excel has
/// no time zones), `YYYY-MM-DD HH:MM` and `YYYY-MM-DD` as they are. The flag says whether
/// it has a time of day.
fn excel_date(s: &str) -> Option<ExcelDate> {
    use chrono::{NaiveDate, NaiveDateTime};
    let (dt, timed) = if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        (t.with_timezone(&chrono_tz::Europe::Riga).naive_local(), true)
    } else if let Ok(t) = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M") {
        (t, true)
    } else {
        (
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()?
                .and_time(chrono::NaiveTime::MIN),
            false,
        )
    };
    Some((dt, timed))
}

/// A moment for Excel and whether it has a time of day.
type ExcelDate = (chrono::NaiveDateTime, bool);

/// Longest text Excel keeps in a cell.
const EXCEL_MAX_CHARS: usize = 32_767;
/// Rows looked at to fit the column widths.
const WIDTH_SAMPLE: usize = 500;

struct Formats {
    header: Format,
    date: Format,
    datetime: Format,
}

/// The last date text read in each column and what it was read as: rows made by one import
/// or one user share their moments, so most date cells are read once.
#[derive(Default)]
struct Dates {
    last: Vec<Option<(String, Option<ExcelDate>)>>,
}

impl Dates {
    fn read(&mut self, col: usize, s: &str) -> Option<ExcelDate> {
        if col >= self.last.len() {
            self.last.resize(col + 1, None);
        }
        match &self.last[col] {
            Some((text, read)) if text == s => *read,
            _ => {
                let read = excel_date(s);
                self.last[col] = Some((s.to_string(), read));
                read
            }
        }
    }
}

/// Text as Excel keeps it: at most [`EXCEL_MAX_CHARS`] characters.
fn clipped(s: &str) -> &str {
    // Only a string that long in bytes can be too long in characters.
    if s.len() <= EXCEL_MAX_CHARS {
        return s;
    }
    match s.char_indices().nth(EXCEL_MAX_CHARS) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Writes one cell; the value's type decides the cell's type (`date`: the column holds
/// dates or moments).
fn xlsx_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    date: bool,
    v: &Value,
    f: &Formats,
    dates: &mut Dates,
) -> Result<(), XlsxError> {
    match v {
        Value::Null => {}
        Value::Bool(b) => {
            ws.write_boolean(row, col, *b)?;
        }
        Value::Number(n) => {
            ws.write_number(row, col, n.as_f64().unwrap_or(0.0))?;
        }
        Value::String(s) if date => match dates.read(col as usize, s) {
            Some((d, true)) => {
                ws.write_datetime_with_format(row, col, d, &f.datetime)?;
            }
            Some((d, false)) => {
                ws.write_datetime_with_format(row, col, d, &f.date)?;
            }
            None => {
                ws.write_string(row, col, clipped(s))?;
            }
        },
        // A string cell is never a formula in XLSX, whatever it starts with.
        Value::String(s) => {
            ws.write_string(row, col, clipped(s))?;
        }
        other => {
            let s = cell(other);
            ws.write_string(row, col, clipped(&s))?;
        }
    }
    Ok(())
}

/// The display width of a value, for fitting columns.
fn width_of(key: &str, v: &Value) -> usize {
    match v {
        Value::String(_) if date_field(key) => 16,
        Value::String(s) => s.chars().count(),
        Value::Number(_) => 8,
        Value::Bool(_) => 5,
        other => cell(other).chars().count(),
    }
}

/// Writes one worksheet: bold frozen header, columns fitted to the first rows (8 to 50
/// characters); returns the number of rows.
fn write_sheet(
    book: &mut Workbook,
    name: &str,
    rows: &mut dyn Iterator<Item = Fields>,
    f: &Formats,
    p: &mut dyn Progress,
) -> Result<usize, XlsxError> {
    let mut ws = book.new_worksheet_with_constant_memory()?;
    let name: String = name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    ws.set_name(&name)?;
    let head: Vec<Fields> = (&mut *rows).take(WIDTH_SAMPLE).collect();
    let Some(first) = head.first() else {
        book.push_worksheet(ws);
        return Ok(0);
    };
    let keys: Vec<&'static str> = first.iter().map(|(k, _)| *k).collect();
    for (c, k) in keys.iter().enumerate() {
        let mut widths: Vec<usize> = head
            .iter()
            .filter_map(|r| r.get(c).map(|(k, v)| width_of(k, v)))
            .collect();
        widths.sort_unstable();
        // The 90th percentile: one long note does not make a column huge.
        let typical = widths.get(widths.len() * 9 / 10).copied().unwrap_or(0);
        let w = typical.max(k.chars().count()).clamp(8, 50);
        ws.set_column_width(c as u16, w as f64 + 1.0)?;
        ws.write_string_with_format(0, c as u16, *k, &f.header)?;
    }
    ws.set_freeze_panes(1, 0)?;
    let is_date: Vec<bool> = keys.iter().map(|k| date_field(k)).collect();
    let mut dates = Dates::default();
    let mut n = 0u32;
    for r in head.into_iter().chain(rows) {
        n += 1;
        for (c, (k, v)) in r.iter().enumerate() {
            // Rows of one sheet have the same fields; a stray one is judged by its name.
            let date = match (is_date.get(c), keys.get(c)) {
                (Some(d), Some(key)) if key == k => *d,
                _ => date_field(k),
            };
            xlsx_cell(&mut ws, n, c as u16, date, v, f, &mut dates)?;
        }
        every(p, u64::from(n));
    }
    book.push_worksheet(ws);
    Ok(n as usize)
}

/// One worksheet's name and rows.
pub type SheetRows<'a> = (String, Box<dyn Iterator<Item = Fields> + 'a>);

/// Zip compression of the workbook: 3, as Excel itself writes, about twice as fast as the
/// default 6 for a file a few per cent larger.
const ZIP_LEVEL: u8 = 3;

/// Writes a workbook of one or more sheets to `out`; returns the rows of the first sheet.
pub fn write_xlsx(out: &mut dyn Write, sheets: Vec<SheetRows<'_>>) -> Result<usize, XlsxError> {
    write_xlsx_with_progress(out, sheets, &mut Silent)
}

/// [`write_xlsx`], reporting to `p` the rows written (the caller names that step and its
/// total) and then the packing of the file ([`Step::Packing`]).
pub fn write_xlsx_with_progress(
    out: &mut dyn Write,
    sheets: Vec<SheetRows<'_>>,
    p: &mut dyn Progress,
) -> Result<usize, XlsxError> {
    let mut book = Workbook::new();
    book.set_zip_compression_level(ZIP_LEVEL);
    let f = Formats {
        header: Format::new().set_bold(),
        date: Format::new().set_num_format("dd.mm.yyyy"),
        datetime: Format::new().set_num_format("dd.mm.yyyy hh:mm"),
    };
    let mut first = None;
    for (name, mut rows) in sheets {
        let n = write_sheet(&mut book, &name, &mut rows, &f, p)?;
        first.get_or_insert(n);
    }
    p.step(Step::Packing, None);
    let mut buf = io::Cursor::new(Vec::new());
    book.save_to_writer(&mut buf)?;
    out.write_all(buf.get_ref()).map_err(XlsxError::IoError)?;
    Ok(first.unwrap_or(0))
}

/// What an export's rows need of the data, copied out of the model on the screen's thread
/// (which holds the model) so that the rows are built and written on another: the records
/// of the ids exported, the organisations and users they name, and for people and events
/// the attendance (and events) their hours and counts come from. Only records are copied;
/// the search keys, orders and indexes are not (the other thread builds its model).
pub struct Taken {
    table: Table,
    ids: Vec<u32>,
    project: crate::domain::Project,
    users: Vec<crate::domain::Text>,
    tables: Tables,
}

/// Whether `n` records of a table of `of` are few enough to be copied one by one; else the
/// table is copied in one pass in slot order (on every core), keeping those chosen:
/// reading memory in order is several times faster than looking each one up.
fn few(n: usize, of: usize) -> bool {
    n.saturating_mul(8) < of
}

/// The records of `rows` that `keep` says, in one parallel pass in slot order.
fn kept<T: Record>(rows: &Rows<T>, keep: impl Fn(&T) -> bool + Sync) -> Rows<T> {
    use rayon::prelude::*;
    let slots: Vec<Option<T>> = rows
        .slots()
        .par_iter()
        .map(|r| r.as_ref().filter(|r| keep(r)).cloned())
        .collect();
    let live = slots.par_iter().filter(|s| s.is_some()).count();
    Rows::from_slots(slots, live)
}

/// The records of `rows` with the given ids, looked up one by one.
fn by_ids<T: Record>(rows: &Rows<T>, ids: impl Iterator<Item = u32>) -> Rows<T> {
    Rows::from_records(ids.filter_map(|id| rows.get(id)).cloned().collect())
}

/// Which ids are chosen, by id.
fn chosen(ids: &[u32], capacity: u32) -> Vec<bool> {
    let mut set = vec![false; capacity as usize];
    for id in ids {
        if let Some(s) = set.get_mut(*id as usize) {
            *s = true;
        }
    }
    set
}

/// The records of `ids` in `rows`.
fn picked<T: Record>(rows: &Rows<T>, ids: &[u32]) -> Rows<T> {
    if few(ids.len(), rows.len()) {
        return by_ids(rows, ids.iter().copied());
    }
    let set = chosen(ids, rows.capacity_id());
    kept(rows, |r| set.get(r.raw_id() as usize).copied().unwrap_or(false))
}

/// The attendance rows of the `owners` chosen (events or people; `owner` reads a row's,
/// `of` lists an owner's rows through the model's index).
fn attendance_of<'m, I: Iterator<Item = &'m crate::domain::AttendanceId>>(
    m: &'m Model,
    owners: &[u32],
    table_len: usize,
    owner: impl Fn(&Attendance) -> u32 + Sync,
    of: impl Fn(u32) -> I,
) -> Rows<Attendance> {
    if few(owners.len(), table_len) {
        return by_ids(&m.attendance, owners.iter().flat_map(|o| of(*o)).map(|a| a.0));
    }
    let set = chosen(owners, owners.iter().max().map_or(0, |m| m + 1));
    kept(&m.attendance, |a| set.get(owner(a) as usize).copied().unwrap_or(false))
}

impl Taken {
    /// The copy the rows of `ids` of `table` (in that order) are built from.
    pub fn of(m: &Model, table: Table, ids: Vec<u32>) -> Taken {
        let mut tables = Tables {
            organisations: m.organisations.clone(),
            events: Rows::default(),
            participants: Rows::default(),
            attendance: Rows::default(),
            indicators: Rows::default(),
        };
        match table {
            Table::Organisation => {}
            Table::Event => {
                tables.events = picked(&m.events, &ids);
                tables.attendance = attendance_of(
                    m,
                    &ids,
                    m.events.len(),
                    |a| a.event.0,
                    |e| m.attendance_of_event(crate::domain::EventId(e)).iter(),
                );
            }
            Table::Participant => {
                tables.participants = picked(&m.participants, &ids);
                tables.events = m.events.clone();
                tables.attendance = attendance_of(
                    m,
                    &ids,
                    m.participants.len(),
                    |a| a.participant.0,
                    |p| m.attendance_of_person(crate::domain::ParticipantId(p)).iter(),
                );
            }
            Table::Attendance => {
                // Its rows name the events and people too.
                tables.attendance = picked(&m.attendance, &ids);
                tables.events = m.events.clone();
                tables.participants = m.participants.clone();
            }
            Table::Indicator => tables.indicators = picked(&m.indicators, &ids),
        }
        Taken {
            table,
            ids,
            project: m.project.clone(),
            users: m.users.clone(),
            tables,
        }
    }

    /// Records it holds, of every kind.
    pub fn len(&self) -> usize {
        let t = &self.tables;
        t.organisations.len() + t.events.len() + t.participants.len() + t.attendance.len() + t.indicators.len()
    }

    /// Whether it holds no records.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The model the rows are built from (on the job's thread), the table and the ids.
    pub fn into_model(self) -> (Model, Table, Vec<u32>) {
        let Taken {
            table,
            ids,
            project,
            users,
            tables,
        } = self;
        (Model::from_rows(project, users, tables), table, ids)
    }

    /// Builds the rows ([`Step::Gathering`]) and writes them to `path` atomically in
    /// `format` as one sheet named `sheet`, reporting the rows written ([`Step::Writing`]);
    /// returns the rows written.
    pub fn write(
        self,
        path: &std::path::Path,
        format: ExportFormat,
        sheet: String,
        p: &mut dyn Progress,
    ) -> io::Result<usize> {
        p.step(Step::Gathering, None);
        let (m, table, ids) = self.into_model();
        p.step(Step::Writing, Some(ids.len() as u64));
        let rows = super::list::rows(&m, table, Some(ids));
        write_file_atomically(path, |out| {
            write_as(out, format, vec![(sheet, rows)], CsvOptions::default(), p)
        })
    }
}

/// Why writing `path` failed, in the reader's language (the system's own words only for a
/// failure with no wording here).
pub fn why(e: &io::Error, path: &std::path::Path) -> String {
    use crate::i18n::{M, f, t};
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    match e.kind() {
        io::ErrorKind::NotFound => f(M::IoNoDir, &[&dir.display()]),
        io::ErrorKind::PermissionDenied => f(M::IoNoPermission, &[&dir.display()]),
        io::ErrorKind::StorageFull => t(M::IoDiskFull).to_string(),
        _ if e.raw_os_error() == Some(libc::ENOSPC) => t(M::IoDiskFull).to_string(),
        io::ErrorKind::IsADirectory => f(M::IoIsDir, &[&path.display()]),
        io::ErrorKind::ReadOnlyFilesystem => f(M::IoReadOnly, &[&dir.display()]),
        _ => e.to_string(),
    }
}

/// Writes `what` to `path` atomically (a temporary file in the same directory, private,
/// renamed over the target), so a failed export leaves no half file.
pub fn write_file_atomically(
    path: &std::path::Path,
    what: impl FnOnce(&mut std::fs::File) -> io::Result<usize>,
) -> io::Result<usize> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    if !dir.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("no directory {}", dir.display()),
        ));
    }
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    let n = what(tmp.as_file_mut())?;
    tmp.as_file_mut().flush()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rows() -> Vec<Fields> {
        vec![
            vec![
                ("id", json!(1)),
                ("name", json!("=HYPERLINK(\"http://x\")")),
                ("phone", json!("+371 20000000")),
                ("start", json!("2025-03-14 10:00")),
                ("created_at", json!("2025-03-14T08:00:00+00:00")),
                ("partner", json!(true)),
                ("subjects", json!(["ķīmija", "fizika"])),
            ],
            vec![
                ("id", json!(2)),
                ("name", json!("Bērziņš; Jānis")),
                ("phone", json!("-")),
                ("start", json!("2025-03-15 09:00")),
                ("created_at", json!(null)),
                ("partner", json!(false)),
                ("subjects", json!([])),
            ],
        ]
    }

    /// One writer for the CLI and the screen: every format writes the first sheet's rows
    /// and counts them; a file name's extension picks the format (Markdown included).
    #[test]
    fn write_as_writes_every_format_and_counts_the_rows() {
        let n = rows().len();
        for format in [
            ExportFormat::Csv,
            ExportFormat::Json,
            ExportFormat::Md,
            ExportFormat::Xlsx,
        ] {
            let mut out = Vec::new();
            let sheets: Vec<SheetRows> = vec![("Rows".into(), Box::new(rows().into_iter()))];
            let written = write_as(&mut out, format, sheets, CsvOptions::default(), &mut Silent).expect("written");
            assert_eq!(written, n, "{format:?}");
            let text = String::from_utf8_lossy(&out);
            match format {
                ExportFormat::Csv => assert_eq!(text.lines().count(), n + 1, "header and rows"),
                ExportFormat::Json => {
                    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
                    assert_eq!(v.as_array().map(Vec::len), Some(n));
                }
                ExportFormat::Md => assert_eq!(text.lines().filter(|l| l.starts_with('|')).count(), n + 2),
                ExportFormat::Xlsx => assert!(out.starts_with(b"PK"), "a zip"),
            }
        }
        assert_eq!(
            ExportFormat::of_path(std::path::Path::new("a.MD")),
            Some(ExportFormat::Md)
        );
        assert_eq!(ExportFormat::of_path(std::path::Path::new("a.pdf")), None);
    }

    /// The copy the screen takes holds all its rows need: every table's rows built from it
    /// equal those built from the model itself (hours, counts, names and users included),
    /// in the order of the ids given.
    #[test]
    fn rows_from_the_taken_copy_equal_the_models() {
        use crate::domain::Table;
        let m = crate::io::sample::test_model("ilze");
        for table in [
            Table::Organisation,
            Table::Event,
            Table::Participant,
            Table::Attendance,
            Table::Indicator,
        ] {
            let mut ids: Vec<u32> = match table {
                Table::Attendance => m.attendance.iter().map(|a| a.id.0).collect(),
                t => m.orders.get(t).to_vec(),
            };
            // Every other one, backwards (copied in one pass), and two of them (looked up
            // one by one): the copy keeps the order given.
            ids = ids.into_iter().rev().step_by(2).collect();
            let two = vec![ids[ids.len() - 1], ids[0]];
            for ids in [ids, two] {
                assert!(ids.len() > 1, "{table:?}");
                let want: Vec<Fields> = crate::io::list::rows(&m, table, Some(ids.clone())).collect();
                let taken = Taken::of(&m, table, ids.clone());
                assert!(!taken.is_empty());
                let (copy, t, kept) = taken.into_model();
                assert_eq!((t, &kept), (table, &ids));
                let got: Vec<Fields> = crate::io::list::rows(&copy, table, Some(kept)).collect();
                assert_eq!(got, want, "{table:?} {}", ids.len());
            }
        }
        // People's hours come from the copy's attendance: some are not zero.
        let people: Vec<u32> = m.participants.iter().map(|p| p.id.0).collect();
        let (copy, ..) = Taken::of(&m, Table::Participant, people).into_model();
        let hours = |m: &crate::model::Model| -> Vec<u16> {
            m.participants
                .iter()
                .map(|p| m.hours_last_3_years(p.id, crate::domain::today()).0)
                .collect()
        };
        assert_eq!(hours(&copy), hours(&m));
        assert!(hours(&m).iter().any(|h| *h > 0));
    }

    #[test]
    fn csv_for_excel_has_bom_semicolons_and_no_formulas() {
        let mut out = Vec::new();
        let n = write_csv(&mut out, rows().into_iter(), CsvOptions::default()).expect("csv");
        assert_eq!(n, 2);
        let text = String::from_utf8(out).expect("utf-8");
        let text = text.strip_prefix('\u{FEFF}').expect("BOM");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "id;name;phone;start;created_at;partner;subjects");
        assert_eq!(
            lines[1],
            "1;\"'=HYPERLINK(\"\"http://x\"\")\";'+371 20000000;2025-03-14 10:00;2025-03-14T08:00:00+00:00;true;ķīmija|fizika"
        );
        assert_eq!(lines[2], "2;\"Bērziņš; Jānis\";'-;2025-03-15 09:00;;false;");
    }

    #[test]
    fn csv_in_a_code_page() {
        let o = CsvOptions::parse(Some(","), Some("windows-1257")).expect("options");
        let mut out = Vec::new();
        write_csv(&mut out, rows().into_iter(), o).expect("csv");
        assert!(!out.starts_with(b"\xEF\xBB\xBF"));
        let (text, _, bad) = encoding_rs::WINDOWS_1257.decode(&out);
        assert!(!bad);
        assert!(text.contains(",Bērziņš; Jānis,"), "{text}");
        assert_eq!(CsvOptions::parse(Some("x"), None).err(), Some("x".to_string()));
        assert_eq!(
            CsvOptions::parse(None, Some("klingon")).err(),
            Some("klingon".to_string())
        );
        assert_eq!(CsvOptions::parse(Some("tab"), None).map(|o| o.delimiter), Ok(b'\t'));
    }

    #[test]
    fn neutralising() {
        for bad in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralise(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(neutralise("Anna"), "Anna");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn xlsx_cells_are_typed() {
        let mut out = Vec::new();
        let n = write_xlsx(&mut out, vec![("Dalībnieki".into(), Box::new(rows().into_iter()))]).expect("xlsx");
        assert_eq!(n, 2);
        use calamine::{Data, Reader};
        let mut book = calamine::open_workbook_auto_from_rs(io::Cursor::new(out)).expect("open");
        assert_eq!(book.sheet_names(), vec!["Dalībnieki".to_string()]);
        let range = book.worksheet_range("Dalībnieki").expect("sheet");
        let row: Vec<&Data> = range.rows().nth(1).expect("row").iter().collect();
        assert_eq!(row[0], &Data::Float(1.0));
        // In XLSX the text stays as written: a string cell is never a formula.
        assert_eq!(row[1], &Data::String("=HYPERLINK(\"http://x\")".into()));
        match row[3] {
            Data::DateTime(d) => assert_eq!(
                d.as_datetime().map(|t| t.to_string()),
                Some("2025-03-14 10:00:00".to_string())
            ),
            other => panic!("start is not a date: {other:?}"),
        }
        // 08:00 UTC is 10:00 in Riga in March.
        match row[4] {
            Data::DateTime(d) => assert_eq!(
                d.as_datetime().map(|t| t.format("%H:%M").to_string()),
                Some("10:00".into())
            ),
            other => panic!("created_at is not a date: {other:?}"),
        }
        assert_eq!(row[5], &Data::Bool(true));
        assert_eq!(row[6], &Data::String("ķīmija|fizika".into()));
    }
}
