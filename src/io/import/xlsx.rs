//! Reading a spreadsheet (XLSX, and whatever else calamine reads: XLS, ODS) into a
//! [`Sheet`]: the first worksheet or the one named, every cell as text (whole numbers
//! without ".0", so phone numbers survive; dates as ISO dates).

use super::{ReadError, Sheet, Source};
use calamine::{Data, Reader};

/// One cell as text.
fn cell(d: &Data) -> String {
    match d {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.format("%Y-%m-%d").to_string(),
            Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
            None => dt.as_f64().to_string(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
    }
}

/// Reads a workbook's sheet (`None`: the first) into rows numbered as the spreadsheet does.
pub fn read(bytes: Vec<u8>, sheet: Option<&str>) -> Result<Sheet, ReadError> {
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| ReadError::Spreadsheet(e.to_string()))?;
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
    let range = book
        .worksheet_range(&name)
        .map_err(|e| ReadError::Spreadsheet(e.to_string()))?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let rows: Vec<(usize, Vec<String>)> = range
        .rows()
        .enumerate()
        .map(|(i, r)| {
            let mut cells: Vec<String> = vec![String::new(); first_col as usize];
            cells.extend(r.iter().map(cell));
            (first_row as usize + i + 1, cells)
        })
        .collect();
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
