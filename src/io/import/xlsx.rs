//! Reading a spreadsheet (XLSX, and whatever else calamine reads: XLSB, XLS, ODS) into a
//! [`Sheet`]: the first worksheet or the one named, every cell as text (whole numbers
//! without ".0", so phone numbers survive; dates as ISO dates). A zipped workbook's parts
//! are sized up before anything is unpacked, and XLSX/XLSB cells are taken one at a time,
//! so a zip bomb or a stray far-away cell costs no memory.

use super::budget::{Limits, Over};
use super::{ReadError, Sheet, Source};
use calamine::{Data, DataRef, Reader, Sheets};
use std::collections::BTreeMap;
use std::io::Cursor;

/// One cell as text.
fn cell(d: Data) -> String {
    match d {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s,
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.format("%Y-%m-%d").to_string(),
            Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
            None => dt.as_f64().to_string(),
        },
    }
}

/// Refuses a zip of more parts than a spreadsheet may have, or whose parts say they unpack
/// to more than a part may be, or grow more than a part may. Only the central directory is
/// read; the zip reader that unpacks later stops at a part's stated size, so a part cannot
/// lie its way past this. Not a zip (XLS): nothing to look at.
pub fn check_parts(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    // Every part has a header in the central directory: they are counted before the zip
    // reader makes room for each (a zip of a million empty parts took 475 MB).
    if memchr::memmem::find_iter(bytes, b"PK\x01\x02")
        .nth(limits.parts)
        .is_some()
    {
        return Err(ReadError::OverLimit(Over::Parts { limit: limits.parts }));
    }
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|e| ReadError::Spreadsheet(e.to_string()))?;
        limits.part(&part.name().unwrap_or_default(), part.size(), part.compressed_size())?;
    }
    Ok(())
}

/// Rows of cells from cells given one at a time (0-based positions, any order), within
/// the limits: a row's cells from column A, rows in order, numbered from 1.
fn rows_of<E: std::fmt::Display>(
    cells: impl Iterator<Item = Result<((u32, u32), Data), E>>,
    limits: &Limits,
) -> Result<Vec<(usize, Vec<String>)>, ReadError> {
    // Each row's cells and their bytes together.
    let mut rows: BTreeMap<u32, (Vec<String>, usize)> = BTreeMap::new();
    for c in cells {
        let ((r, c), data) = c.map_err(|e| ReadError::Spreadsheet(e.to_string()))?;
        let text = cell(data);
        if text.is_empty() {
            continue;
        }
        let (row, column) = (r as usize + 1, c as usize + 1);
        limits.cell(row, column, text.len())?;
        limits.columns(row, column)?;
        let count = rows.len() + 1;
        let (cells, len) = match rows.entry(r) {
            std::collections::btree_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::btree_map::Entry::Vacant(v) => {
                limits.rows(row, count)?;
                v.insert((Vec::new(), 0))
            }
        };
        *len += text.len();
        limits.row(row, *len)?;
        if cells.len() < column {
            cells.resize(column, String::new());
        }
        cells[column - 1] = text;
    }
    Ok(rows
        .into_iter()
        .map(|(r, (cells, _))| (r as usize + 1, cells))
        .collect())
}

/// Reads a workbook's sheet (`None`: the first) into rows numbered as the spreadsheet does,
/// within the default [`Limits`].
pub fn read(bytes: Vec<u8>, sheet: Option<&str>) -> Result<Sheet, ReadError> {
    read_within(&bytes, sheet, &Limits::default())
}

/// [`read`] within `limits`.
pub fn read_within(bytes: &[u8], sheet: Option<&str>, limits: &Limits) -> Result<Sheet, ReadError> {
    limits.file(bytes.len() as u64)?;
    check_parts(bytes, limits)?;
    let spreadsheet = |e: &dyn std::fmt::Display| ReadError::Spreadsheet(e.to_string());
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| spreadsheet(&e))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(want) => names
            .iter()
            .find(|n| n.as_str() == want)
            .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(want)))
            .cloned()
            .ok_or_else(|| ReadError::NoSheet {
                wanted: want.to_string(),
                sheets: names.clone(),
            })?,
        None => names.first().cloned().ok_or(ReadError::Empty)?,
    };
    let of = |c: calamine::Cell<DataRef<'_>>| (c.get_position(), Data::from(c.get_value().clone()));
    let rows = match &mut book {
        Sheets::Xlsx(x) => match x.worksheet_cells_reader(&name) {
            Ok(mut r) => rows_of(
                std::iter::from_fn(|| r.next_cell().map(|c| c.map(of)).transpose()),
                limits,
            )?,
            // A chart sheet: no cells.
            Err(calamine::XlsxError::NotAWorksheet(_)) => Vec::new(),
            Err(e) => return Err(spreadsheet(&e)),
        },
        Sheets::Xlsb(x) => {
            let mut r = x.worksheet_cells_reader(&name).map_err(|e| spreadsheet(&e))?;
            rows_of(
                std::iter::from_fn(|| r.next_cell().map(|c| c.map(of)).transpose()),
                limits,
            )?
        }
        // XLS and ODS sheets are whole once the workbook is open.
        _ => {
            let range = book.worksheet_range(&name).map_err(|e| spreadsheet(&e))?;
            let (row0, col0) = range.start().unwrap_or((0, 0));
            let cells = range
                .used_cells()
                .map(|(r, c, d)| Ok::<_, std::convert::Infallible>(((row0 + r as u32, col0 + c as u32), d.clone())));
            rows_of(cells, limits)?
        }
    };
    let mut read = Sheet::from_rows(
        rows,
        Source {
            format: "xlsx",
            encoding: None,
            delimiter: None,
            sheet: Some(name),
        },
    )?;
    read.sheets = names;
    Ok(read)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    /// A zip of one part holding `size` bytes of one repeated row.
    fn zipped(name: &str, size: usize) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        w.start_file(name, options).expect("part");
        let row = b"<row><c t=\"inlineStr\"><is><t>Anna</t></is></c></row>";
        for _ in 0..size / row.len() {
            w.write_all(row).expect("row");
        }
        w.finish().expect("zip").into_inner()
    }

    #[test]
    fn a_part_said_to_unpack_past_the_limits_is_refused_unread() {
        let sheet = "xl/worksheets/sheet1.xml";
        let bomb = zipped(sheet, 3 << 20);
        let limits = Limits {
            part: 2 << 20,
            ..Limits::default()
        };
        assert!(matches!(
            check_parts(&bomb, &limits),
            Err(ReadError::OverLimit(Over::Part { part, size, limit: 0x20_0000 })) if part == sheet && size > 3_000_000
        ));
        // Under the size limit, but grown hundreds of times: a bomb all the same.
        assert!(matches!(
            check_parts(&bomb, &Limits::default()),
            Err(ReadError::OverLimit(Over::Ratio { ratio, limit: 100, .. })) if ratio > 100
        ));
        assert_eq!(check_parts(&zipped(sheet, 100_000), &Limits::default()), Ok(()));
        assert_eq!(check_parts(b"not a zip", &Limits::default()), Ok(()));
    }

    #[test]
    fn a_zip_of_too_many_parts_is_refused_before_they_are_listed() {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..11 {
            w.start_file(format!("p{i}"), zip::write::SimpleFileOptions::default())
                .expect("part");
        }
        let many = w.finish().expect("zip").into_inner();
        let ten = Limits {
            parts: 10,
            ..Limits::default()
        };
        assert_eq!(
            check_parts(&many, &ten),
            Err(ReadError::OverLimit(Over::Parts { limit: 10 }))
        );
        assert_eq!(check_parts(&many, &Limits { parts: 11, ..ten }), Ok(()));
    }

    #[test]
    fn a_part_that_lies_about_its_size_stops_at_the_size_it_said() {
        // The bomb above, with its stated size (central directory and local header) cut
        // to 1000 bytes: check_parts lets it by, and unpacking stops at 1000 bytes.
        let mut bomb = zipped("xl/worksheets/sheet1.xml", 3 << 20);
        for sig in [&b"PK\x03\x04"[..], &b"PK\x01\x02"[..]] {
            let at = bomb.windows(4).position(|w| w == sig).expect("header");
            let field = at + if sig[2] == 3 { 22 } else { 24 };
            bomb[field..field + 4].copy_from_slice(&1000u32.to_le_bytes());
        }
        assert_eq!(check_parts(&bomb, &Limits::default()), Ok(()));
        let mut zip = zip::ZipArchive::new(Cursor::new(&bomb[..])).expect("zip");
        let mut out = Vec::new();
        let got = zip.by_index(0).expect("part").read_to_end(&mut out);
        assert!(got.is_err(), "{got:?}");
        assert!(out.len() <= 64 * 1024, "{}", out.len());
    }

    /// Cells given one at a time, as the XLSX reader gives them.
    fn cells(
        list: &[((u32, u32), &str)],
    ) -> impl Iterator<Item = Result<((u32, u32), Data), std::convert::Infallible>> {
        list.iter()
            .map(|(at, v)| Ok((*at, Data::String(v.to_string()))))
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn cells_make_rows_in_order_however_far_apart() {
        let got = rows_of(
            cells(&[((2, 1), "b"), ((0, 0), "Vārds"), ((1_048_575, 0), "far"), ((2, 0), "a")]),
            &Limits::default(),
        )
        .expect("rows");
        assert_eq!(
            got,
            [
                (1, vec!["Vārds".to_string()]),
                (3, vec!["a".to_string(), "b".to_string()]),
                (1_048_576, vec!["far".to_string()]),
            ]
        );
        assert_eq!(
            rows_of(cells(&[((0, 0), "Vārds"), ((41, 16_383), "x")]), &Limits::default()),
            Err(ReadError::OverLimit(Over::Columns { row: 42, limit: 1000 }))
        );
    }

    #[test]
    fn cells_past_the_limits_are_refused_with_their_row() {
        let tiny = Limits {
            row: 10,
            cell: 6,
            rows: 2,
            ..Limits::default()
        };
        assert_eq!(
            rows_of(
                cells(&[((0, 0), "a"), ((1, 0), "b"), ((1, 1), "c"), ((5, 0), "d")]),
                &tiny
            ),
            Err(ReadError::OverLimit(Over::Rows { row: 6, limit: 2 }))
        );
        assert_eq!(
            rows_of(cells(&[((3, 2), "1234567")]), &tiny),
            Err(ReadError::OverLimit(Over::Cell {
                row: 4,
                column: 3,
                limit: 6
            }))
        );
        assert_eq!(
            rows_of(cells(&[((3, 0), "123456"), ((3, 1), "123456")]), &tiny),
            Err(ReadError::OverLimit(Over::Row { row: 4, limit: 10 }))
        );
    }

    #[test]
    fn a_workbook_with_a_stray_cell_far_away_reads_without_filling_the_gap() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        ws.write_string(0, 0, "Vārds, uzvārds").expect("cell");
        ws.write_string(1, 0, "Anna Bērziņa").expect("cell");
        ws.write_number(1, 1, 29_123_456.0).expect("cell");
        ws.write_string(1_048_575, 0, "tālu").expect("cell");
        let bytes = book.save_to_buffer().expect("xlsx");
        let sheet = read(bytes, None).expect("sheet");
        assert_eq!(sheet.headers, ["Vārds, uzvārds"]);
        assert_eq!(
            sheet.rows,
            [
                (2, vec!["Anna Bērziņa".to_string(), "29123456".to_string()]),
                (1_048_576, vec!["tālu".to_string()])
            ]
        );
    }
}
