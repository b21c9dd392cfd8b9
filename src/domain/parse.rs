//! Parsing field values as files (CSV, TOML) and people write them: dates, times, hours, money, flags and the
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

/// A date as people type it: `2025-03-14`, `14.03.2025`, `14.03.` or `14.03` (this year),
/// `today`/`šodien`, `tomorrow`/`rīt`, `yesterday`/`vakar`, `+3d`/`-2d`, `+1w` (relative to
/// `today`). `None` if it is none of these.
pub fn typed_date(s: &str, today: NaiveDate) -> Option<NaiveDate> {
    let s = s.trim();
    let folded = super::fold::fold(s);
    // try_days: a typed "+99999999999d" is no date, not a panic (found by tests/properties.rs).
    let days = |n: i64| today.checked_add_signed(chrono::Duration::try_days(n)?);
    match folded.as_str() {
        "today" | "sodien" => return Some(today),
        "tomorrow" | "rit" => return days(1),
        "yesterday" | "vakar" => return days(-1),
        _ => {}
    }
    if let Some(rest) = folded.strip_prefix(['+', '-']) {
        let sign = if folded.starts_with('-') { -1 } else { 1 };
        let (num, unit) = rest.split_at(rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len()));
        let n: i64 = num.parse().ok()?;
        let per = match unit {
            "" | "d" | "de" | "dienas" => 1,
            "w" | "n" | "ned" => 7,
            _ => return None,
        };
        return days(n.checked_mul(sign * per)?);
    }
    if let Ok(Some(d)) = date("", s) {
        return Some(d);
    }
    // "14.03." or "14.03": this year.
    let mut parts = s.trim_end_matches('.').split('.');
    let (Some(d), Some(m), None) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    NaiveDate::from_ymd_opt(
        chrono::Datelike::year(&today),
        m.trim().parse().ok()?,
        d.trim().parse().ok()?,
    )
}

/// A time as people type it: `9:30`, `09:30`, `9.30`, `9`.
pub fn typed_time(s: &str) -> Option<chrono::NaiveTime> {
    let s = s.trim();
    let (h, m) = s.split_once([':', '.']).unwrap_or((s, "0"));
    let (h, m): (u32, u32) = (h.parse().ok()?, if m.is_empty() { 0 } else { m.parse().ok()? });
    chrono::NaiveTime::from_hms_opt(h, m, 0)
}

/// A date and a time as people type them: "14.03.2025 9:30", "+3d 10:00", "today 9:00",
/// "2025-03-14T09:30". The date part is anything [`typed_date`] takes.
pub fn typed_datetime(s: &str, today: NaiveDate) -> Option<NaiveDateTime> {
    let s = s.trim();
    if let Ok(dt) = datetime("", s) {
        return Some(dt);
    }
    let (d, t) = s.rsplit_once(char::is_whitespace)?;
    Some(typed_date(d, today)?.and_time(typed_time(t)?))
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
    match super::fold::fold(s.trim()).as_str() {
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
    fn typed_dates_times_and_shortcuts() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let cases = [
            ("2025-03-14", d(2025, 3, 14)),
            ("14.03.2025", d(2025, 3, 14)),
            ("14.03.2025.", d(2025, 3, 14)),
            ("14.03.", d(2026, 3, 14)),
            ("1.2", d(2026, 2, 1)),
            ("today", Some(today)),
            ("Šodien", Some(today)),
            ("tomorrow", d(2026, 11, 23)),
            ("rīt", d(2026, 11, 23)),
            ("vakar", d(2026, 11, 21)),
            ("+3d", d(2026, 11, 25)),
            ("+3", d(2026, 11, 25)),
            ("-2d", d(2026, 11, 20)),
            ("+1w", d(2026, 11, 29)),
            ("30.02.", None),
            ("soon", None),
            ("+xd", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(typed_date(text, today), want, "{text:?}");
        }
        let t = |h, m| chrono::NaiveTime::from_hms_opt(h, m, 0);
        for (text, want) in [
            ("9:30", t(9, 30)),
            ("09:30", t(9, 30)),
            ("9.05", t(9, 5)),
            ("14", t(14, 0)),
            ("24:00", None),
            ("9:60", None),
            ("25:00", None),
            ("x", None),
        ] {
            assert_eq!(typed_time(text), want, "{text:?}");
        }
        let at = |y, mo, da, h, mi| d(y, mo, da).and_then(|x| x.and_hms_opt(h, mi, 0));
        assert_eq!(typed_datetime("14.03. 9:30", today), at(2026, 3, 14, 9, 30));
        assert_eq!(typed_datetime("+3d 10:00", today), at(2026, 11, 25, 10, 0));
        assert_eq!(typed_datetime("2025-03-14 09:30", today), at(2025, 3, 14, 9, 30));
        assert_eq!(typed_datetime("today", today), None, "a time is needed");
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
