//! Reading a CSV file into a [`Sheet`]: the encoding (UTF-8 with or without BOM, or
//! Windows-1257 / Windows-1252, told apart by the Latvian letters they give) and the
//! delimiter (`,`, `;` or tab) are detected unless given. Pure over bytes.

use super::{ReadError, Sheet, Source};
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252, WINDOWS_1257};
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

/// Decodes the file's bytes: a forced encoding, else UTF-8 (a BOM is dropped), else the
/// guessed code page. Gives the text and the encoding's name.
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> (String, &'static str) {
    if let Some(enc) = forced {
        let (text, _, _) = enc.decode(bytes);
        return (text.into_owned(), enc.name());
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest).into_owned(), "UTF-8 (BOM)");
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), UTF_8.name()),
        Err(_) => {
            let enc = guess_code_page(bytes);
            let (text, _) = enc.decode_without_bom_handling(bytes);
            (Cow::into_owned(text), enc.name())
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

/// Reads CSV bytes into a sheet of rows (row numbers are the file's line numbers).
pub fn read(bytes: &[u8], forced: Option<&'static Encoding>, delimiter: Option<u8>) -> Result<Sheet, ReadError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ReadError::Empty);
    }
    if bytes.iter().take(8192).any(|b| *b == 0) && forced.is_none_or(|e| e != encoding_rs::UTF_16LE) {
        return Err(ReadError::NotATable);
    }
    let (text, encoding) = decode(bytes, forced);
    let delim = delimiter.unwrap_or_else(|| detect_delimiter(&text));
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delim)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = ::csv::StringRecord::new();
    // Line numbers from byte offsets: the reader's own count starts at the blank lines it
    // skipped before a record.
    let bytes = text.as_bytes();
    let (mut counted_to, mut newlines) = (0usize, 0usize);
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let mut at = record.position().map_or(0, |p| p.byte() as usize).min(bytes.len());
                while at < bytes.len() && matches!(bytes[at], b'\n' | b'\r') {
                    at += 1;
                }
                if at > counted_to {
                    newlines += memchr::memchr_iter(b'\n', &bytes[counted_to..at]).count();
                    counted_to = at;
                }
                rows.push((newlines + 1, record.iter().map(str::to_string).collect()));
            }
            Err(e) => return Err(ReadError::Csv(e.to_string())),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_pages_are_told_apart() {
        let (lv, _, _) = WINDOWS_1257.encode("Vārds;Uzvārds\nAnna;Bērziņa\nŽanis;Šņore\n");
        assert_eq!(guess_code_page(&lv).name(), "windows-1257");
        let (de, _, _) = WINDOWS_1252.encode("Name;Ort\nRené;Besançon\nÀngel;Mañana\n");
        assert_eq!(guess_code_page(&de).name(), "windows-1252");
        let (text, enc) = decode(&lv, None);
        assert_eq!(enc, "windows-1257");
        assert!(text.contains("Bērziņa") && text.contains("Šņore"), "{text}");
    }

    #[test]
    fn bom_and_forced_encoding() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice("Vārds".as_bytes());
        assert_eq!(decode(&bytes, None), ("Vārds".to_string(), "UTF-8 (BOM)"));
        let (lv, _, _) = WINDOWS_1257.encode("Bērziņa");
        assert_eq!(decode(&lv, encoding_of("cp1257")).0, "Bērziņa");
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
}
