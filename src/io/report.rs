//! The indicator report for the lead agency: a header (project, number, period, reporting
//! partner, the ESF+ line) and one entry per indicator in the interface's language (text and
//! Markdown; Latvian dates dd.mm.gggg.). JSON and CSV for scripts stay in `list`.

use crate::domain::*;
use crate::i18n::{self, Label, M, f, t};
use crate::indicators::{Outcome, Status, evaluate_all};
use crate::model::Model;
use std::io::{self, Write};

pub use crate::i18n::decimal;

/// A value in an indicator's unit ("88,4%", "41", the day a milestone was reached, "—").
pub fn value_in_unit(i: &Indicator, v: f64, reached: Option<chrono::NaiveDate>) -> String {
    match i.unit {
        Unit::Percent => format!("{}%", decimal(v)),
        Unit::Count => decimal(v),
        Unit::Milestone => reached.map_or_else(|| "—".to_string(), i18n::date),
    }
}

/// Where a figure comes from, in words: "not given", "from the documents: …",
/// "set by the project (who, date)".
pub fn source_text(s: &FigureSource) -> String {
    match s {
        FigureSource::NotGiven => t(M::SrcNotGiven).to_string(),
        FigureSource::Documents { reference } if reference.is_empty() => t(M::SrcDocuments).to_string(),
        FigureSource::Documents { reference } => format!("{}: {reference}", t(M::SrcDocuments)),
        FigureSource::Project { by, on } => {
            let parts: Vec<String> = [(!by.is_empty()).then(|| by.to_string()), on.map(i18n::date)]
                .into_iter()
                .flatten()
                .collect();
            if parts.is_empty() {
                t(M::SrcProject).to_string()
            } else {
                format!("{}: {}", t(M::SrcProject), parts.join(", "))
            }
        }
    }
}

/// The target in its unit with its source; a target not given is said so, not printed as 0.
pub fn target_text(i: &Indicator) -> String {
    if matches!(i.unit, Unit::Milestone) {
        return match &i.basis.target {
            FigureSource::NotGiven => "✓".to_string(),
            s => format!("✓ ({})", source_text(s)),
        };
    }
    match &i.basis.target {
        FigureSource::NotGiven => t(M::SrcNotGiven).to_string(),
        s => format!("{} ({})", value_in_unit(i, i.target, None), source_text(s)),
    }
}

/// The baseline, or "not given".
pub fn baseline_text(i: &Indicator) -> String {
    match &i.basis.baseline {
        FigureSource::NotGiven => t(M::SrcNotGiven).to_string(),
        s => format!("{} ({})", value_in_unit(i, i.baseline, None), source_text(s)),
    }
}

/// An official count with its source and date: "43 (source, 01.10.2024.)", "1500 (…, assumed)".
pub fn official_text(c: &OfficialCount) -> String {
    let parts: Vec<String> = [
        (!c.source.is_empty()).then(|| c.source.to_string()),
        c.date.map(i18n::date),
        c.assumed.then(|| t(M::SrcAssumed).to_string()),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        c.count.to_string()
    } else {
        format!("{} ({})", c.count, parts.join(", "))
    }
}

/// The headline with its count and, beside an official denominator, the database's share:
/// "1,3% (19 of 1500) · in the database: 27,9% (19 of 68)".
pub fn headline_text(i: &Indicator, o: &Outcome) -> String {
    let mut s = value_in_unit(i, o.value, o.reached);
    if o.of > 0 {
        s.push_str(&format!(" ({})", f(M::DetCoveredOf, &[&o.covered, &o.of])));
    }
    if o.official.is_some() {
        s.push_str(" · ");
        s.push_str(&f(
            M::DetInDatabase,
            &[&value_in_unit(i, o.db_value, None), &o.covered, &o.db_of],
        ));
    }
    s
}

/// Each calendar year of a regularity indicator: "2025: 3,4% (51); 2026 so far: 2,9% (44)".
pub fn years_text(i: &Indicator, o: &Outcome) -> String {
    o.years
        .iter()
        .map(|y| {
            let year = if y.complete {
                y.year.to_string()
            } else {
                f(M::YearSoFar, &[&y.year])
            };
            format!("{year}: {} ({})", value_in_unit(i, y.value, None), y.covered)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The deadline the status is judged by, marked when it is the project's end.
pub fn deadline_text(i: &Indicator, o: &Outcome) -> String {
    match (i.deadline, o.deadline) {
        (Some(d), _) => i18n::date(d),
        (None, Some(d)) => format!("{} ({})", i18n::date(d), t(M::ProjectEndNote)),
        (None, None) => "—".to_string(),
    }
}

/// A status in words.
pub fn status_words(s: Status) -> &'static str {
    s.label()
}

/// The header lines: title, project, number, period, reporting partner, as-of date.
fn header(m: &Model, asof: chrono::NaiveDate) -> Vec<(M, String)> {
    let p = &m.project;
    let period = match (p.start, p.end) {
        (None, None) => String::new(),
        (a, b) => format!(
            "{}–{}",
            a.map(i18n::date).unwrap_or_default(),
            b.map(i18n::date).unwrap_or_default()
        ),
    };
    let partner = p
        .settings
        .reporting_partner
        .or(p.lead)
        .and_then(|o| m.organisations.get(o.0))
        .map(|o| o.name.to_string())
        .unwrap_or_default();
    let funding = (p.funding_total_cents > 0).then(|| {
        f(
            M::RepFundingParts,
            &[
                &i18n::money(p.funding_total_cents),
                &i18n::money(p.funding_esf_cents),
                &i18n::money(p.funding_state_cents),
            ],
        )
    });
    [
        (M::RepProject, p.name.to_string()),
        (M::RepNumber, p.number.to_string()),
        (M::RepPeriod, period),
        (M::RepFunding, funding.unwrap_or_default()),
        (M::RepPartner, partner),
        (M::RepAsOf, i18n::date(asof)),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect()
}

/// Markdown cell text: no pipes or line breaks.
fn md(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\t'], " ")
}

/// Writes the report as text (`markdown = false`) or Markdown.
pub fn write_indicators(out: &mut dyn Write, m: &Model, asof: chrono::NaiveDate, markdown: bool) -> io::Result<()> {
    write_indicators_of(out, m, asof, evaluate_all(m, asof), markdown)
}

/// Writes the report of indicator values already computed (`rows`, as of `asof`).
pub fn write_indicators_of(
    out: &mut dyn Write,
    m: &Model,
    asof: chrono::NaiveDate,
    rows: Vec<(crate::domain::IndicatorId, Outcome)>,
    markdown: bool,
) -> io::Result<()> {
    let title = t(M::RepTitle);
    if markdown {
        writeln!(out, "# {title}\n")?;
        for (k, v) in header(m, asof) {
            writeln!(out, "- **{}:** {}", t(k), md(&v))?;
        }
        writeln!(out)?;
        let cols = [
            M::ColNo,
            M::ColIndicator,
            M::ColValue,
            M::ColOfficial,
            M::ColYears,
            M::ColTarget,
            M::ColBaselineShort,
            M::ColDeadline,
            M::ColStatus,
        ];
        let names: Vec<&str> = cols.iter().map(|c| t(*c)).collect();
        writeln!(out, "| {} |", names.join(" | "))?;
        writeln!(out, "|{}", "---|".repeat(names.len()))?;
        for (id, o) in &rows {
            let Some(i) = m.indicators.get(id.0) else {
                continue;
            };
            let cells = [
                i.code.to_string(),
                i.title.to_string(),
                headline_text(i, o),
                o.official.as_ref().map(official_text).unwrap_or_default(),
                years_text(i, o),
                target_text(i),
                baseline_text(i),
                deadline_text(i, o),
                status_words(o.status).to_string(),
            ];
            let cells: Vec<String> = cells.iter().map(|c| md(c)).collect();
            writeln!(out, "| {} |", cells.join(" | "))?;
        }
        writeln!(out, "\n{}", t(M::RepEsf))?;
    } else {
        writeln!(out, "{title}")?;
        for (k, v) in header(m, asof) {
            writeln!(out, "{}: {v}", t(k))?;
        }
        for (id, o) in &rows {
            let Some(i) = m.indicators.get(id.0) else {
                continue;
            };
            writeln!(out)?;
            writeln!(out, "{}. {}", i.code, i.title)?;
            writeln!(out, "   {}: {}", t(M::DetValue), headline_text(i, o))?;
            if let Some(c) = &o.official {
                writeln!(out, "   {}: {}", t(M::DetOfficial), official_text(c))?;
            }
            if !o.years.is_empty() {
                writeln!(out, "   {}: {}", t(M::DetYears), years_text(i, o))?;
            }
            writeln!(out, "   {}: {}", t(M::DetTarget), target_text(i))?;
            writeln!(out, "   {}: {}", t(M::DetBaseline), baseline_text(i))?;
            writeln!(out, "   {}: {}", t(M::DetDeadline), deadline_text(i, o))?;
            writeln!(out, "   {}: {}", t(M::ColStatus), status_words(o.status))?;
        }
        writeln!(out, "\n{}", t(M::RepEsf))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, set_thread_lang};

    fn sample() -> Model {
        crate::io::sample::test_model("koordinators")
    }

    fn report(m: &Model, markdown: bool) -> String {
        let mut out = Vec::new();
        let asof = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("d");
        write_indicators(&mut out, m, asof, markdown).expect("write");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn the_latvian_report_is_latvian_throughout() {
        set_thread_lang(Lang::Lv);
        let m = sample();
        let text = report(&m, false);
        insta::assert_snapshot!("indicators_lv_text", text);
        let md = report(&m, true);
        insta::assert_snapshot!("indicators_lv_md", md);
        for s in [&text, &md] {
            assert!(s.contains("Projekts tiek līdzfinansēts no Eiropas Sociālā fonda Plus finanšu līdzekļiem"));
            assert!(s.contains("4.2.2.3/1/24/I/001") && s.contains("01.10.2024.–31.08.2029."));
            assert!(s.contains("Cēsu novada pašvaldība"), "the reporting partner");
            // No ISO dates, no status codes, no English words of the report.
            let iso = regex_like_iso(s);
            assert!(iso.is_none(), "ISO date {iso:?} in the Latvian report");
            for code in [
                "not_met",
                "on_track",
                "at_risk",
                "no_target",
                "Target",
                "Baseline",
                "not given",
            ] {
                assert!(!s.contains(code), "{code} in the Latvian report");
            }
            assert!(s.contains("nav dota"), "baselines not given say so");
        }
        set_thread_lang(Lang::En);
    }

    /// The first "dddd-dd-dd" in `s`, if any.
    fn regex_like_iso(s: &str) -> Option<String> {
        let b = s.as_bytes();
        (0..b.len().saturating_sub(9)).find_map(|i| {
            let w = &b[i..i + 10];
            let digits = |r: std::ops::Range<usize>| w[r].iter().all(u8::is_ascii_digit);
            (digits(0..4) && w[4] == b'-' && digits(5..7) && w[7] == b'-' && digits(8..10))
                .then(|| String::from_utf8_lossy(w).into_owned())
        })
    }

    #[test]
    fn scripts_keep_english_keys_iso_dates_and_null_for_figures_not_given() {
        set_thread_lang(Lang::Lv);
        let m = sample();
        let asof = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).expect("d");
        let rows = crate::io::list::indicator_report(&m, asof);
        let get = |code: &str, key: &str| -> serde_json::Value {
            let r = rows.iter().find(|r| r[0].1 == serde_json::json!(code)).expect("row");
            r.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone()).expect(key)
        };
        assert_eq!(get("1", "deadline"), serde_json::json!("2025-08-31"));
        assert_eq!(get("1", "status"), serde_json::json!("not_met"));
        assert_eq!(get("1", "of"), serde_json::json!(43));
        assert_eq!(get("10", "target"), serde_json::Value::Null);
        assert_eq!(get("10", "target_source"), serde_json::json!("not_given"));
        assert_eq!(get("1", "baseline"), serde_json::Value::Null);
        assert_eq!(get("4", "deadline_is_project_end"), serde_json::json!(true));
        assert_eq!(get("2", "of_assumed"), serde_json::json!(true));
        let years = get("10", "years");
        assert_eq!(years[0]["year"], serde_json::json!(2025));
        assert_eq!(years[0]["complete"], serde_json::json!(true));
        assert_eq!(years[1]["complete"], serde_json::json!(false));
        set_thread_lang(Lang::En);
    }
}
