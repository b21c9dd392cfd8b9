//! Reading a CSV file into a [`Sheet`]: the encoding (UTF-8 with or without BOM, or
//! Windows-1257 / Windows-1252, told apart by the Latvian letters they give) and the
//! delimiter (`,`, `;` or tab) are detected unless given. Pure over bytes.

use super::budget::{Limits, Lines, Over};
use super::{ReadError, Sheet, Source};
use encoding_rs::{DecoderResult, Encoding, UTF_8, WINDOWS_1252, WINDOWS_1257};
use std::borrow::Cow;

/// Latvian letters that Windows-1257 has and Windows-1252 gives as other characters.
const LATVIAN: &str = "āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ";

/// The encoding of `--encoding`: a WHATWG label ("utf-8", "windows-1257", "cp1252",
/// "latin1"...) or just "1257" / "1252".
pub fn encoding_of(label: &str) -> Option<&'static Encoding> {
    let l = label.trim();
    match l {
        "1257" | "cp1257" | "baltic" => Some(WINDOWS_1257),
        "1252" | "cp1252" => Some(WINDOWS_1252),
        _ => Encoding::for_label(l.as_bytes()),
    }
}

/// Guesses a single-byte encoding for bytes that are not UTF-8: Windows-1257 when the
/// bytes that differ between the two code pages give more Latvian letters there than they
/// give letters in Windows-1252.
pub fn guess_code_page(bytes: &[u8]) -> &'static Encoding {
    let mut baltic = 0usize;
    let mut western = 0usize;
    let mut one = [0u8; 1];
    for &b in bytes.iter().filter(|b| **b >= 0x80) {
        one[0] = b;
        let (c57, _) = WINDOWS_1257.decode_without_bom_handling(&one);
        let (c52, _) = WINDOWS_1252.decode_without_bom_handling(&one);
        if c57 == c52 {
            continue;
        }
        if c57.chars().all(|c| LATVIAN.contains(c)) {
            baltic += 1;
        } else if c52.chars().all(char::is_alphabetic) {
            western += 1;
        }
    }
    if western > baltic { WINDOWS_1252 } else { WINDOWS_1257 }
}

/// Decodes the file's bytes: a forced encoding (a BOM, if any, wins over it), else UTF-8 (a
/// BOM is dropped), else the guessed code page. Gives the text, borrowed when the bytes are
/// already UTF-8, and the encoding's name. Bytes that are not of the encoding the file was
/// said (forced) or marked (BOM) to be in are an error naming their row; a guessed code
/// page is only a guess, and reads every byte.
pub fn decode<'a>(
    bytes: &'a [u8],
    forced: Option<&'static Encoding>,
) -> Result<(Cow<'a, str>, &'static str), ReadError> {
    let marked = Encoding::for_bom(bytes);
    if let Some((enc, bom)) = marked.or(forced.map(|e| (e, 0))) {
        let name = if marked.is_some() && enc == UTF_8 {
            "UTF-8 (BOM)"
        } else {
            enc.name()
        };
        return strict(enc, &bytes[bom..]).map(|text| (text, name));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((Cow::Borrowed(s), UTF_8.name())),
        Err(_) => {
            let enc = guess_code_page(bytes);
            Ok((enc.decode_without_bom_handling(bytes).0, enc.name()))
        }
    }
}

/// `bytes` decoded as `enc`, or [`ReadError::Undecodable`] naming the row of the first
/// byte that is not `enc`.
fn strict<'a>(enc: &'static Encoding, bytes: &'a [u8]) -> Result<Cow<'a, str>, ReadError> {
    if let Some(text) = enc.decode_without_bom_handling_and_without_replacement(bytes) {
        return Ok(text);
    }
    // Decoded again a piece at a time, counting the lines, up to the fault.
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut piece = vec![0u8; 64 * 1024];
    let (mut at, mut row) = (0, 1);
    loop {
        let (result, read, written) = decoder.decode_to_utf8_without_replacement(&bytes[at..], &mut piece, true);
        row += memchr::memchr_iter(b'\n', &piece[..written]).count();
        at += read;
        if result != DecoderResult::OutputFull {
            return Err(ReadError::Undecodable {
                row,
                encoding: enc.name(),
            });
        }
    }
}

/// The delimiter: of tab, `;` and `,` (in that order on a tie), the one a line among the
/// first twenty has most of outside quotes (a title line above the header has few); `,`
/// when there is none.
pub fn detect_delimiter(text: &str) -> u8 {
    let mut best = [0usize; 3];
    for line in text.lines().filter(|l| !l.trim().is_empty()).take(20) {
        let mut counts = [0usize; 3];
        let mut quoted = false;
        for c in line.chars() {
            match c {
                '"' => quoted = !quoted,
                '\t' if !quoted => counts[0] += 1,
                ';' if !quoted => counts[1] += 1,
                ',' if !quoted => counts[2] += 1,
                _ => {}
            }
        }
        for i in 0..3 {
            best[i] = best[i].max(counts[i]);
        }
    }
    let pick = (0..3).max_by_key(|i| (best[*i], 3 - *i)).unwrap_or(2);
    if best[pick] == 0 {
        b','
    } else {
        [b'\t', b';', b','][pick]
    }
}

/// Reads CSV bytes into a sheet of rows (row numbers are the file's line numbers), within
/// the default [`Limits`].
pub fn read(bytes: &[u8], forced: Option<&'static Encoding>, delimiter: Option<u8>) -> Result<Sheet, ReadError> {
    read_within(bytes, forced, delimiter, &Limits::default())
}

/// [`read`] within `limits`: a line longer than a row may be is refused before the bytes
/// are decoded, and a record is parsed into buffers no larger than the limits.
pub fn read_within(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
    delimiter: Option<u8>,
    limits: &Limits,
) -> Result<Sheet, ReadError> {
    limits.file(bytes.len() as u64)?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ReadError::Empty);
    }
    if bytes.iter().take(8192).any(|b| *b == 0) && forced.is_none_or(|e| e != encoding_rs::UTF_16LE) {
        return Err(ReadError::NotATable);
    }
    Lines::new(limits).feed(bytes)?;
    let (text, encoding) = decode(bytes, forced)?;
    let delim = delimiter.unwrap_or_else(|| detect_delimiter(&text));
    let rows = records(text.as_bytes(), delim, limits)?;
    Sheet::from_rows(
        rows,
        Source {
            format: "csv",
            encoding: Some(encoding),
            delimiter: Some(delim as char),
            sheet: None,
        },
    )
}

/// The records of CSV `text` with the line each starts on. A record is parsed into an
/// output buffer of one row's limit and a column-ends buffer of the column limit, so a
/// record over either is refused when it fills them, without growing anything.
fn records(text: &[u8], delim: u8, limits: &Limits) -> Result<Vec<(usize, Vec<String>)>, ReadError> {
    use ::csv_core::ReadRecordResult as R;
    let mut reader = ::csv_core::ReaderBuilder::new().delimiter(delim).build();
    // Unquoting only shortens, so a small file needs no more than its own length.
    let mut out = vec![0u8; limits.row.min(text.len()).saturating_add(1)];
    let mut ends = vec![0usize; limits.columns.saturating_add(1)];
    let mut rows = Vec::new();
    // Line numbers from byte offsets: a record's own line is past the blank lines before it.
    let (mut at, mut counted_to, mut newlines) = (0usize, 0usize, 0usize);
    loop {
        let mut start = at;
        while start < text.len() && matches!(text[start], b'\n' | b'\r') {
            start += 1;
        }
        newlines += memchr::memchr_iter(b'\n', &text[counted_to..start]).count();
        counted_to = start;
        let row = newlines + 1;
        let (mut nout, mut nend) = (0, 0);
        loop {
            let input = &text[at..];
            let (result, nin, o, e) = reader.read_record(input, &mut out[nout..], &mut ends[nend..]);
            (at, nout, nend) = (at + nin, nout + o, nend + e);
            match result {
                R::InputEmpty if !input.is_empty() => continue,
                R::InputEmpty | R::End => return Ok(rows),
                R::Record => break,
                R::OutputFull => return Err(ReadError::OverLimit(Over::Row { row, limit: limits.row })),
                R::OutputEndsFull => {
                    return Err(ReadError::OverLimit(Over::Columns {
                        row,
                        limit: limits.columns,
                    }));
                }
            }
        }
        limits.rows(row, rows.len() + 1)?;
        limits.columns(row, nend)?;
        limits.row(row, nout)?;
        let mut cells = Vec::with_capacity(nend);
        let mut from = 0;
        for (column, &end) in ends[..nend].iter().enumerate() {
            limits.cell(row, column + 1, end - from)?;
            // Fields of UTF-8 text cut at ASCII bytes are UTF-8: nothing is replaced.
            cells.push(String::from_utf8_lossy(&out[from..end]).into_owned());
            from = end;
        }
        rows.push((row, cells));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_pages_are_told_apart() {
        let (lv, _, _) = WINDOWS_1257.encode("Vārds;Uzvārds\nAnna;Bērziņa\nŽanis;Šņore\n");
        assert_eq!(guess_code_page(&lv).name(), "windows-1257");
        let (de, _, _) = WINDOWS_1252.encode("Name;Ort\nRené;Besançon\nÀngel;Mañana\n");
        assert_eq!(guess_code_page(&de).name(), "windows-1252");
        let (text, enc) = decode(&lv, None).expect("decoded");
        assert_eq!(enc, "windows-1257");
        assert!(text.contains("Bērziņa") && text.contains("Šņore"), "{text}");
        let (text, enc) = decode(&de, None).expect("decoded");
        assert_eq!(enc, "windows-1252");
        assert!(text.contains("Besançon"), "{text}");
        // A guess reads every byte: one the code page lacks is only replaced.
        let mut odd = lv.into_owned();
        odd.extend_from_slice(b"\xA1\n");
        assert!(decode(&odd, None).is_ok_and(|(t, _)| t.ends_with("\u{FFFD}\n")));
    }

    #[test]
    fn bom_and_forced_encoding() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice("Vārds".as_bytes());
        assert_eq!(decode(&bytes, None), Ok((Cow::Borrowed("Vārds"), "UTF-8 (BOM)")));
        assert_eq!(
            decode(&bytes, encoding_of("1257")).map(|d| d.1),
            Ok("UTF-8 (BOM)"),
            "the BOM wins"
        );
        let (lv, _, _) = WINDOWS_1257.encode("Bērziņa");
        assert_eq!(
            decode(&lv, encoding_of("cp1257")).map(|d| d.0),
            Ok(Cow::Borrowed("Bērziņa"))
        );
        assert!(encoding_of("nosuch").is_none());
        assert_eq!(encoding_of("latin1").map(|e| e.name()), Some("windows-1252"));
    }

    #[test]
    fn delimiters() {
        assert_eq!(detect_delimiter("Vārds, uzvārds;E-pasts;Skola\n"), b';');
        assert_eq!(detect_delimiter("\"Vārds, uzvārds\",E-pasts\n"), b',');
        assert_eq!(detect_delimiter("a\tb\tc\n"), b'\t');
        assert_eq!(detect_delimiter("\n\nVārds\n"), b',');
    }

    #[test]
    fn empty_and_binary_files() {
        assert!(matches!(read(b"", None, None), Err(ReadError::Empty)));
        assert!(matches!(read(b" \n\r\n", None, None), Err(ReadError::Empty)));
        assert!(matches!(
            read(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", None, None),
            Err(ReadError::NotATable)
        ));
    }

    #[test]
    fn quoted_cells_across_lines_keep_their_row_number() {
        let s = read("Vārds;Piezīmes\nAnna;\"a\nb\"\nJānis;c\n".as_bytes(), None, None).expect("sheet");
        assert_eq!(s.rows.len(), 2);
        assert_eq!(s.rows[0].0, 2);
        assert_eq!(s.rows[1].0, 4);
    }

    /// Limits small enough to pass in a unit test.
    fn tiny() -> Limits {
        Limits {
            file: 4096,
            row: 64,
            cell: 16,
            rows: 3,
            columns: 4,
            ..Limits::default()
        }
    }

    fn over(text: &[u8]) -> Option<Over> {
        match read_within(text, None, None, &tiny()) {
            Err(ReadError::OverLimit(o)) => Some(o),
            _ => None,
        }
    }

    #[test]
    fn a_row_past_its_limits_is_refused_with_its_row() {
        let long = format!("Vārds;E-pasts\n\nAnna;{}\n", "x".repeat(100));
        assert_eq!(over(long.as_bytes()), Some(Over::Row { row: 3, limit: 64 }));
        // A record of short lines inside quotes is as long as all of them.
        let quoted = format!("Vārds;Piezīmes\nAnna;\"{}\"\n", "abcdefghij\n".repeat(10));
        assert_eq!(over(quoted.as_bytes()), Some(Over::Row { row: 2, limit: 64 }));
        let cell = format!("Vārds;E-pasts\nAnna;a@b.lv\nJānis;{}\n", "y".repeat(20));
        assert_eq!(
            over(cell.as_bytes()),
            Some(Over::Cell {
                row: 3,
                column: 2,
                limit: 16
            })
        );
        assert_eq!(
            over(b"Vardi\na;b;c;d;e;f;g;h\n"),
            Some(Over::Columns { row: 2, limit: 4 })
        );
        assert_eq!(over(b"Vardi\na;b;c;d;e\n"), Some(Over::Columns { row: 2, limit: 4 }));
        assert!(over(b"Vardi\na;b;c;d\n").is_none());
    }

    #[test]
    fn too_many_rows_or_bytes_are_refused() {
        assert_eq!(over(b"Vardi\na\nb\n\nc\nd\n"), Some(Over::Rows { row: 5, limit: 3 }));
        assert!(over(b"Vardi\na\nb\n").is_none());
        let big = "Vardi\nAnna\n".repeat(400);
        assert_eq!(
            over(big.as_bytes()),
            Some(Over::File {
                size: 4400,
                limit: 4096
            })
        );
    }

    #[test]
    fn bytes_not_of_the_said_encoding_are_an_error_naming_their_row() {
        let bad = b"Vards;Uzvards\nAnna;Berzina\nSlikts \xff\xfe;Kodejums\n";
        assert_eq!(
            read(bad, Some(UTF_8), None).err(),
            Some(ReadError::Undecodable {
                row: 3,
                encoding: "UTF-8"
            })
        );
        let mut marked = b"\xEF\xBB\xBF".to_vec();
        marked.extend_from_slice(bad);
        assert_eq!(
            read(&marked, None, None).err(),
            Some(ReadError::Undecodable {
                row: 3,
                encoding: "UTF-8"
            })
        );
        // Unmarked and not UTF-8: read as the code page it looks like.
        let sheet = read(bad, None, None).expect("sheet");
        assert_eq!(sheet.source.encoding, Some("windows-1257"));
        // Far down a large file, the row is still counted right.
        let mut far = "Vārds\n".repeat(50_000).into_bytes();
        far.extend_from_slice(b"\xC3(\n");
        assert_eq!(
            read(&far, encoding_of("utf-8"), None).err(),
            Some(ReadError::Undecodable {
                row: 50_001,
                encoding: "UTF-8"
            })
        );
    }
}
