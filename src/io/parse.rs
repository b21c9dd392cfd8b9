//! Parsing field values from files (CSV, TOML): dates, times, hours, money, flags and the
//! vocabularies, each with an error that says what was expected.

use chrono::{NaiveDate, NaiveDateTime};

/// A value that could not be parsed: which field, what was found, what was expected.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldParseError {
    pub field: String,
    pub found: String,
    pub expected: String,
}

impl std::fmt::Display for FieldParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} = '{}': expected {}", self.field, self.found, self.expected)
    }
}

type R<T> = Result<T, FieldParseError>;

fn err<T>(field: &str, found: &str, expected: impl Into<String>) -> R<T> {
    Err(FieldParseError {
        field: field.into(),
        found: found.into(),
        expected: expected.into(),
    })
}

/// `YYYY-MM-DD` or `DD.MM.YYYY`; empty gives `None`.
pub fn date(field: &str, s: &str) -> R<Option<NaiveDate>> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s.trim_end_matches('.'), "%d.%m.%Y"))
        .map(Some)
        .or_else(|_| err(field, s, "a date like 2025-03-14 or 14.03.2025"))
}

/// `YYYY-MM-DD HH:MM` (also with seconds or `T`); required.
pub fn datetime(field: &str, s: &str) -> R<NaiveDateTime> {
    let s = s.trim();
    [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%d.%m.%Y %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .map_or_else(|| err(field, s, "a date and time like 2025-03-14 09:30"), Ok)
}

/// Hours like `6`, `4.5` or `4,5`; empty gives `None`.
pub fn hours(field: &str, s: &str) -> R<Option<crate::domain::Hours>> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.replace(',', ".")
        .parse::<f64>()
        .ok()
        .and_then(crate::domain::Hours::from_f64)
        .map(Some)
        .map_or_else(|| err(field, s, "a number of hours, 0 or more (e.g. 6 or 4.5)"), Ok)
}

/// Euros like `4000.00`, `4 000,50`; empty gives `None`.
pub fn euro_cents(field: &str, s: &str) -> R<Option<i64>> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() {
        return Ok(None);
    }
    match s.replace(',', ".").parse::<f64>() {
        Ok(v) if (0.0..1e13).contains(&v) => Ok(Some((v * 100.0).round() as i64)),
        _ => err(field, &s, "an amount in euros, e.g. 4000.00"),
    }
}

/// A whole number; empty gives `None`.
pub fn number(field: &str, s: &str) -> R<Option<u32>> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse().map(Some).or_else(|_| err(field, s, "a whole number"))
}

/// `yes`/`no` (also `jā`/`nē`, `true`/`false`, `1`/`0`); empty is no.
pub fn flag(field: &str, s: &str) -> R<bool> {
    match crate::search::fold(s.trim()).as_str() {
        "yes" | "ja" | "true" | "1" | "y" => Ok(true),
        "no" | "ne" | "false" | "0" | "n" | "" => Ok(false),
        _ => err(field, s, "yes or no"),
    }
}

/// One value of a vocabulary by its code.
pub fn code<T: Copy + std::fmt::Display>(field: &str, s: &str, all: &[T], from: impl Fn(&str) -> Option<T>) -> R<T> {
    from(s.trim()).map_or_else(
        || {
            let names: Vec<String> = all.iter().map(|v| v.to_string()).collect();
            err(field, s, format!("one of: {}", names.join(", ")))
        },
        Ok,
    )
}

/// A `|`-separated list of codes; empty gives an empty list.
pub fn codes<T: Copy + std::fmt::Display>(
    field: &str,
    s: &str,
    all: &[T],
    from: impl Fn(&str) -> Option<T> + Copy,
) -> R<Vec<T>> {
    s.split('|')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| code(field, p, all, from))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Hours, Role};

    #[test]
    fn dates_in_both_styles() {
        let d = NaiveDate::from_ymd_opt(2025, 3, 14);
        assert_eq!(date("d", "2025-03-14").expect("iso"), d);
        assert_eq!(date("d", "14.03.2025.").expect("lv"), d);
        assert_eq!(date("d", "").expect("empty"), None);
        let e = date("d", "2025-02-30").expect_err("no such day");
        assert!(e.to_string().contains("2025-02-30"));
    }

    #[test]
    fn numbers_and_flags() {
        assert_eq!(hours("h", "4,5").expect("comma"), Some(Hours(45)));
        assert!(hours("h", "-2").is_err());
        assert_eq!(euro_cents("e", "4 000,50").expect("euros"), Some(400050));
        assert!(flag("p", "jā").expect("lv yes"));
        assert!(flag("p", "maybe").is_err());
    }

    #[test]
    fn vocabulary_errors_list_the_choices() {
        let e = code("role", "pilot", Role::ALL, Role::from_code).expect_err("unknown");
        assert!(e.expected.contains("teacher") && e.expected.contains("student"), "{e}");
        assert_eq!(
            codes("t", "teacher| student", Role::ALL, Role::from_code).expect("list"),
            vec![Role::Teacher, Role::Student]
        );
    }
}
