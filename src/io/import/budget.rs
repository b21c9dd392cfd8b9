//! What reading one file may cost: the [`Limits`] (the file, a row, a cell, the number of
//! rows and columns, a spreadsheet's unpacked parts and how much they grow), the checks the
//! readers make against them while they read, and [`Over`], which limit was passed where.

use super::ReadError;
use crate::i18n::{M, decimal, f};
use std::fmt::Display;
use std::io::Read;
use std::path::Path;

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;

/// How much a reader may take in; the defaults are far beyond any registration list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of the file.
    pub file: u64,
    /// Bytes of one row: a CSV line or record, a spreadsheet row's cells together.
    pub row: usize,
    /// Bytes of one cell.
    pub cell: usize,
    /// Rows with something in them.
    pub rows: usize,
    /// Columns of a row.
    pub columns: usize,
    /// Parts of a zipped spreadsheet (one has a few dozen).
    pub parts: usize,
    /// Unpacked bytes of one part of a zipped spreadsheet (a sheet, its shared strings...).
    pub part: u64,
    /// How many times a part may grow when unpacked, once it is over [`Limits::ratio_from`].
    pub ratio: u64,
    /// Unpacked bytes from which a part's growth is looked at (small parts of zeros grow
    /// a lot and harm nobody).
    pub ratio_from: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            file: 256 * MIB,
            row: MIB as usize,
            cell: 64 * KIB as usize,
            rows: 1_000_000,
            columns: 1_000,
            parts: 10_000,
            part: 200 * MIB,
            ratio: 100,
            ratio_from: MIB,
        }
    }
}

/// Which limit a file passed, and where (rows as the file counts them, columns from 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Over {
    File { size: u64, limit: u64 },
    Row { row: usize, limit: usize },
    Cell { row: usize, column: usize, limit: usize },
    Rows { row: usize, limit: usize },
    Columns { row: usize, limit: usize },
    Parts { limit: usize },
    Part { part: String, size: u64, limit: u64 },
    Ratio { part: String, ratio: u64, limit: u64 },
}

impl Over {
    /// The message for the user, naming the file.
    pub fn message(&self, file: &dyn Display) -> String {
        match self {
            Over::File { size, limit } => f(M::ImpErrFileTooBig, &[file, &bytes(*size), &bytes(*limit)]),
            Over::Row { row, limit } => f(M::ImpErrRowTooLong, &[file, row, &bytes(*limit as u64)]),
            Over::Cell { row, column, limit } => f(M::ImpErrCellTooLong, &[file, row, column, &bytes(*limit as u64)]),
            Over::Rows { row, limit } => f(M::ImpErrTooManyRows, &[file, limit, row]),
            Over::Columns { row, limit } => f(M::ImpErrTooManyColumns, &[file, row, limit]),
            Over::Parts { limit } => f(M::ImpErrTooManyParts, &[file, limit]),
            Over::Part { part, size, limit } => f(M::ImpErrPartTooBig, &[file, part, &bytes(*size), &bytes(*limit)]),
            Over::Ratio { part, ratio, limit } => f(M::ImpErrZipBomb, &[file, part, ratio, limit]),
        }
    }
}

/// A size as the limits are given: "1 MiB", "64 KiB", "2,5 GiB" in Latvian.
fn bytes(n: u64) -> String {
    let (unit, name) = match n {
        0..KIB => return format!("{n} B"),
        KIB..MIB => (KIB, "KiB"),
        MIB..0x4000_0000 => (MIB, "MiB"),
        _ => (1024 * MIB, "GiB"),
    };
    format!("{} {name}", decimal(n as f64 / unit as f64))
}

/// `Err` of the limit passed.
fn over<T>(o: Over) -> Result<T, ReadError> {
    Err(ReadError::OverLimit(o))
}

impl Limits {
    /// A file of `size` bytes.
    pub fn file(&self, size: u64) -> Result<(), ReadError> {
        if size > self.file {
            return over(Over::File { size, limit: self.file });
        }
        Ok(())
    }

    /// Row `row` (the file's count) of `len` bytes so far.
    pub fn row(&self, row: usize, len: usize) -> Result<(), ReadError> {
        if len > self.row {
            return over(Over::Row { row, limit: self.row });
        }
        Ok(())
    }

    /// A cell of `len` bytes in row `row`, column `column` (from 1).
    pub fn cell(&self, row: usize, column: usize, len: usize) -> Result<(), ReadError> {
        if len > self.cell {
            return over(Over::Cell {
                row,
                column,
                limit: self.cell,
            });
        }
        Ok(())
    }

    /// Row `row` as the `count`th row with something in it.
    pub fn rows(&self, row: usize, count: usize) -> Result<(), ReadError> {
        if count > self.rows {
            return over(Over::Rows { row, limit: self.rows });
        }
        Ok(())
    }

    /// Row `row` with `columns` columns.
    pub fn columns(&self, row: usize, columns: usize) -> Result<(), ReadError> {
        if columns > self.columns {
            return over(Over::Columns {
                row,
                limit: self.columns,
            });
        }
        Ok(())
    }

    /// A zipped part that says it unpacks from `packed` to `size` bytes.
    pub fn part(&self, part: &str, size: u64, packed: u64) -> Result<(), ReadError> {
        if size > self.part {
            return over(Over::Part {
                part: part.to_string(),
                size,
                limit: self.part,
            });
        }
        let ratio = size / packed.max(1);
        if size > self.ratio_from && ratio > self.ratio {
            return over(Over::Ratio {
                part: part.to_string(),
                ratio,
                limit: self.ratio,
            });
        }
        Ok(())
    }
}

/// Whether `bytes` begin as a zip (XLSX, XLSB, ODS) or an OLE file (XLS) does, not text.
pub fn packed(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0")
}

/// Text fed a piece at a time, refused at the first line longer than a row may be (named
/// by its number).
pub struct Lines<'a> {
    limits: &'a Limits,
    line: usize,
    /// Bytes of the line so far.
    run: usize,
}

impl<'a> Lines<'a> {
    pub fn new(limits: &'a Limits) -> Lines<'a> {
        Lines {
            limits,
            line: 1,
            run: 0,
        }
    }

    /// The next piece of the text.
    pub fn feed(&mut self, mut piece: &[u8]) -> Result<(), ReadError> {
        while let Some(end) = memchr::memchr(b'\n', piece) {
            self.limits.row(self.line, self.run + end)?;
            (self.line, self.run, piece) = (self.line + 1, 0, &piece[end + 1..]);
        }
        self.run += piece.len();
        self.limits.row(self.line, self.run)
    }
}

/// Bytes read at a time, so a text's line over the limit is refused when it comes in.
const PIECE: u64 = 64 * KIB;

/// The bytes of the file at `path`, refused without being read when it is larger than
/// the limit (and, for a pipe or a file that grows, once more than the limit came in).
/// Text (not a [`packed`] spreadsheet) is refused at the first line longer than a row may
/// be, as it comes in.
pub fn read(path: &Path, limits: &Limits) -> Result<Vec<u8>, ReadError> {
    let io = |e: std::io::Error| ReadError::Io(e.to_string());
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    limits.file(size)?;
    // Reserved, not touched: pages not yet read take no memory.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    let mut file = file.take(limits.file.saturating_add(1));
    let mut lines = Lines::new(limits);
    let mut text = None;
    loop {
        let from = bytes.len();
        if (&mut file).take(PIECE).read_to_end(&mut bytes).map_err(io)? == 0 {
            break;
        }
        if *text.get_or_insert_with(|| !packed(&bytes)) {
            lines.feed(&bytes[from..])?;
        }
    }
    limits.file(bytes.len() as u64)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, set_thread_lang};

    #[test]
    fn sizes_read_as_the_limits_are_given() {
        set_thread_lang(Lang::Lv);
        assert_eq!(bytes(64 * KIB), "64 KiB");
        assert_eq!(bytes(5 * MIB / 2), "2,5 MiB");
        set_thread_lang(Lang::En);
        assert_eq!(bytes(3 * 1024 * MIB), "3 GiB");
        assert_eq!(bytes(200), "200 B");
    }

    #[test]
    fn every_limit_names_where_it_was_passed() {
        set_thread_lang(Lang::En);
        let l = Limits::default();
        let file = Path::new("a.csv").display();
        let say = |r: Result<(), ReadError>| match r {
            Err(ReadError::OverLimit(o)) => o.message(&file),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            say(l.row(7, 2 * MIB as usize)),
            "a.csv: row 7 is longer than the limit of 1 MiB. Nothing was imported."
        );
        assert!(say(l.cell(3, 2, 65 * KIB as usize)).contains("row 3, column 2"));
        assert!(say(l.rows(1_000_002, 1_000_001)).contains("more than 1000000 rows"));
        assert!(say(l.part("xl/worksheets/sheet1.xml", 3 << 30, 12 << 20)).contains("3 GiB"));
        assert!(say(l.part("xl/sharedStrings.xml", 100 * MIB, MIB / 2)).contains("zip bomb"));
        assert!(l.part("xl/styles.xml", 900 * KIB, 1).is_ok(), "small parts may grow");
        assert!(l.part("xl/worksheets/sheet1.xml", 150 * MIB, 10 * MIB).is_ok());
        set_thread_lang(Lang::Lv);
        assert_eq!(
            say(l.file(300 * MIB)),
            "a.csv ir 300 MiB liels, vairāk nekā 256 MiB, ko var importēt no viena faila. Nekas netika importēts."
        );
    }

    #[test]
    fn a_file_over_the_limit_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("big.csv");
        std::fs::write(&path, vec![b'x'; 2000]).expect("write");
        let tiny = Limits {
            file: 1000,
            ..Limits::default()
        };
        assert_eq!(
            read(&path, &tiny),
            Err(ReadError::OverLimit(Over::File {
                size: 2000,
                limit: 1000
            }))
        );
        assert_eq!(read(&path, &Limits::default()).map(|b| b.len()), Ok(2000));
    }

    #[test]
    fn a_long_line_is_refused_as_it_comes_in() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("line.csv");
        let mut text = b"Name\nAnna\n".to_vec();
        text.resize(text.len() + 3 * PIECE as usize, b'x');
        std::fs::write(&path, &text).expect("write");
        let short = Limits {
            row: 100_000,
            ..Limits::default()
        };
        assert_eq!(
            read(&path, &short),
            Err(ReadError::OverLimit(Over::Row { row: 3, limit: 100_000 }))
        );
        // Lines split across pieces add up; a zip's bytes are no lines.
        let mut lines = Lines::new(&short);
        assert_eq!(lines.feed(&[b'x'; 60_000]), Ok(()));
        assert!(lines.feed(&[b'x'; 60_000]).is_err());
        text[..4].copy_from_slice(b"PK\x03\x04");
        std::fs::write(&path, &text).expect("write");
        assert_eq!(read(&path, &short).map(|b| b.len()), Ok(text.len()));
    }
}
