//! `atbalsts list` and `atbalsts stats`: every field of every record (ids included) as text
//! (tab-separated), JSON (an array of objects with stable field names) or CSV. One row
//! builder per table serves all three formats.

use crate::domain::*;
use crate::model::Model;
use serde_json::{Value, json};
use std::io::{self, Write};

/// Output format for scripts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize)]
pub enum Format {
    Text,
    Json,
    Csv,
    /// A Markdown table (for reports).
    Md,
}

/// One row: field names and values, in column order.
pub type Fields = Vec<(&'static str, Value)>;

fn meta_fields(m: &Model, meta: &Meta, out: &mut Fields) {
    out.push(("created_at", json!(meta.created_at)));
    out.push(("created_by", json!(m.user_name(meta.created_by))));
    out.push(("updated_at", json!(meta.updated_at)));
    out.push(("updated_by", json!(m.user_name(meta.updated_by))));
}

fn org_name(m: &Model, id: Option<OrgId>) -> Value {
    id.and_then(|i| m.organisations.get(i.0))
        .map_or(Value::Null, |o| json!(o.name))
}

fn organisation(m: &Model, o: &Organisation) -> Fields {
    let mut f = vec![
        ("id", json!(o.id)),
        ("name", json!(o.name)),
        ("short_name", json!(o.short_name)),
        ("kind", json!(o.kind)),
        ("parent_id", json!(o.parent)),
        ("parent", org_name(m, o.parent)),
        ("reg_no", json!(o.reg_no)),
        ("address", json!(o.address)),
        ("contact_person", json!(o.contact_person)),
        ("phone", json!(o.phone)),
        ("email", json!(o.email)),
        ("partner", json!(o.partner)),
        ("agreement_date", json!(o.agreement().and_then(|d| d.date))),
        ("agreement_no", json!(o.agreement().map(|d| &d.number))),
        (
            "yearly_funding_eur",
            json!(o.yearly_funding_cents.map(|c| c as f64 / 100.0)),
        ),
        ("notes", json!(o.notes)),
        ("stage", json!(o.stage())),
        ("founder_id", json!(o.founder)),
        ("founder", org_name(m, o.founder)),
        ("period_from", json!(o.period_from)),
        ("period_to", json!(o.period_to)),
        (
            "documents",
            json!(
                o.documents
                    .iter()
                    .map(
                        |d| json!({"kind": d.kind, "status": d.status, "number": d.number, "date": d.date,
                        "protocol": d.protocol, "paragraph": d.paragraph, "parties": d.parties,
                        "file": d.file, "note": d.note})
                    )
                    .collect::<Vec<_>>()
            ),
        ),
        (
            "years",
            json!(
                o.years
                    .iter()
                    .map(|y| {
                        let eur = |c: Option<i64>| c.map(|c| c as f64 / 100.0);
                        json!({"year": y.year, "planned_eur": eur(y.planned_cents),
                            "received_eur": eur(y.received_cents), "spent_eur": eur(y.spent_cents),
                            "prefinancing_eur": eur(y.prefinancing_cents), "teachers": y.teachers})
                    })
                    .collect::<Vec<_>>()
            ),
        ),
    ];
    meta_fields(m, &o.meta, &mut f);
    f
}

fn event(m: &Model, e: &Event) -> Fields {
    let n = m.status_counts(e.id);
    let mut f = vec![
        ("id", json!(e.id)),
        ("title", json!(e.title)),
        ("format", json!(e.format)),
        ("activity", json!(e.activity)),
        ("start", json!(e.start.format("%Y-%m-%d %H:%M").to_string())),
        ("end", json!(e.end.format("%Y-%m-%d %H:%M").to_string())),
        ("hours", json!(e.hours)),
        ("place", json!(e.place)),
        ("online", json!(e.online)),
        ("organiser_id", json!(e.organiser)),
        ("organiser", org_name(m, e.organiser)),
        ("target_groups", json!(e.target_groups)),
        ("capacity", json!(e.capacity)),
        ("status", json!(e.status)),
        ("registered", json!(n.iter().sum::<usize>())),
        ("attended", json!(n[AttendanceStatus::Attended.ordinal()])),
        ("notes", json!(e.notes)),
    ];
    meta_fields(m, &e.meta, &mut f);
    f
}

fn participant(m: &Model, p: &Participant, today: chrono::NaiveDate) -> Fields {
    let mut f = vec![
        ("id", json!(p.id)),
        ("given_name", json!(p.given_name)),
        ("surname", json!(p.surname)),
        ("email", json!(p.email)),
        ("phone", json!(p.phone)),
        ("institution_id", json!(p.institution)),
        ("institution", org_name(m, p.institution)),
        ("role", json!(p.role)),
        ("subjects", json!(p.subjects)),
        ("gender", json!(p.gender)),
        ("hours_3y", json!(m.hours_last_3_years(p.id, today))),
        ("notes", json!(p.notes)),
    ];
    meta_fields(m, &p.meta, &mut f);
    f
}

fn attendance(m: &Model, a: &Attendance) -> Fields {
    let event = m.events.get(a.event.0);
    let person = m.participants.get(a.participant.0);
    let mut f = vec![
        ("id", json!(a.id)),
        ("event_id", json!(a.event)),
        ("event", event.map_or(Value::Null, |e| json!(e.title))),
        ("participant_id", json!(a.participant)),
        ("participant", person.map_or(Value::Null, |p| json!(p.full_name()))),
        ("status", json!(a.status)),
        ("checked_in_at", json!(a.checked_in_at)),
        ("checked_in_by", json!(a.checked_in_by.map(|u| m.user_name(u)))),
        ("hours", json!(a.hours)),
        ("hours_credited", json!(event.map(|e| a.credited(e.hours)))),
    ];
    meta_fields(m, &a.meta, &mut f);
    f
}

fn indicator(m: &Model, i: &Indicator) -> Fields {
    let mut f = vec![
        ("id", json!(i.id)),
        ("code", json!(i.code)),
        ("title", json!(i.title)),
        ("unit", json!(i.unit)),
        ("baseline", json!(i.baseline)),
        ("target", json!(i.target)),
        ("deadline", json!(i.deadline)),
        ("definition", json!(i.definition)),
        ("values", json!(i.values)),
        ("notes", json!(i.notes)),
    ];
    meta_fields(m, &i.meta, &mut f);
    f
}

/// Rows of a table: the given ids in their order, or every record in display order.
pub fn rows(m: &Model, t: Table, ids: Option<Vec<u32>>) -> Box<dyn Iterator<Item = Fields> + '_> {
    let today = today();
    if let Some(ids) = ids {
        return Box::new(ids.into_iter().filter_map(move |id| match t {
            Table::Organisation => m.organisations.get(id).map(|o| organisation(m, o)),
            Table::Event => m.events.get(id).map(|e| event(m, e)),
            Table::Participant => m.participants.get(id).map(|p| participant(m, p, today)),
            Table::Attendance => m.attendance.get(id).map(|a| attendance(m, a)),
            Table::Indicator => m.indicators.get(id).map(|i| indicator(m, i)),
        }));
    }
    match t {
        Table::Organisation => Box::new(
            m.orders
                .get(t)
                .iter()
                .filter_map(|id| m.organisations.get(*id))
                .map(|o| organisation(m, o)),
        ),
        Table::Event => Box::new(
            m.orders
                .get(t)
                .iter()
                .filter_map(|id| m.events.get(*id))
                .map(|e| event(m, e)),
        ),
        Table::Participant => Box::new(
            m.orders
                .get(t)
                .iter()
                .filter_map(|id| m.participants.get(*id))
                .map(move |p| participant(m, p, today)),
        ),
        Table::Attendance => Box::new(m.attendance.iter().map(|a| attendance(m, a))),
        Table::Indicator => Box::new(
            m.orders
                .get(t)
                .iter()
                .filter_map(|id| m.indicators.get(*id))
                .map(|i| indicator(m, i)),
        ),
    }
}

/// The attendance list of one event, for `atbalsts attendance`: one row per person
/// registered, in the Participants pane's order (surname and given name in Latvian order,
/// then id). The check-in time is Riga's local time with its offset (RFC 3339). `None` if
/// there is no such event.
pub fn attendance_of_event(m: &Model, id: EventId) -> Option<Vec<Fields>> {
    let e = m.events.get(id.0)?;
    let mut rows: Vec<(u32, u32, Fields)> = m
        .attendance_of_event(id)
        .iter()
        .filter_map(|a| m.attendance.get(a.0))
        .map(|a| {
            let f = event_attendance(m, e, a);
            (m.orders.person_rank(a.participant.0), a.participant.0, f)
        })
        .collect();
    rows.sort_by_key(|r| (r.0, r.1));
    Some(rows.into_iter().map(|(_, _, f)| f).collect())
}

/// One row of an event's attendance list.
fn event_attendance(m: &Model, e: &Event, a: &Attendance) -> Fields {
    let p = m.participants.get(a.participant.0);
    let at = a.checked_in_at.map(|s| s.rfc3339());
    vec![
        ("participant_id", json!(a.participant)),
        ("name", p.map_or(Value::Null, |p| json!(p.full_name()))),
        ("institution", org_name(m, p.and_then(|p| p.institution))),
        ("role", p.map_or(Value::Null, |p| json!(p.role))),
        ("status", json!(a.status)),
        ("checked_in_at", json!(at)),
        ("checked_in_by", json!(a.checked_in_by.map(|u| m.user_name(u)))),
        ("hours_credited", json!(a.credited(e.hours))),
    ]
}

/// The column names of a list of rows, for a list with no rows: the names the rows would
/// have, taken from the one row builder of each kind (run on a blank record).
pub fn columns(m: &Model, of: Columns) -> Vec<&'static str> {
    let day = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
    let blank = |t| AnyRecord::blank(t, None, day);
    let (AnyRecord::Event(event), AnyRecord::Participant(person), AnyRecord::Attendance(row)) =
        (blank(Table::Event), blank(Table::Participant), blank(Table::Attendance))
    else {
        unreachable!("AnyRecord::blank gives a record of the table asked for")
    };
    let row = match of {
        Columns::Table(t) => match blank(t) {
            AnyRecord::Organisation(o) => organisation(m, &o),
            AnyRecord::Event(e) => self::event(m, &e),
            AnyRecord::Participant(p) => participant(m, &p, today()),
            AnyRecord::Attendance(a) => attendance(m, &a),
            AnyRecord::Indicator(i) => indicator(m, &i),
        },
        Columns::EventAttendance => event_attendance(m, &event, &row),
        Columns::Search => search_row(m, &person, 0),
    };
    row.into_iter().map(|(k, _)| k).collect()
}

/// The lists [`columns`] names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Columns {
    /// `list TABLE`.
    Table(Table),
    /// `attendance EVENT`.
    EventAttendance,
    /// `search`.
    Search,
}

/// Search hits (participant id, score) with what identifies the person.
pub fn search_rows<'a>(m: &'a Model, hits: &'a [(u32, u32)]) -> impl Iterator<Item = Fields> + 'a {
    hits.iter()
        .filter_map(move |(id, score)| Some(search_row(m, m.participants.get(*id)?, *score)))
}

/// One search hit.
fn search_row(m: &Model, p: &Participant, score: u32) -> Fields {
    let mun = p.institution.and_then(|o| m.municipality_of(o));
    vec![
        ("id", json!(p.id)),
        ("score", json!(score)),
        ("surname", json!(p.surname)),
        ("given_name", json!(p.given_name)),
        ("institution", org_name(m, p.institution)),
        ("municipality", org_name(m, mun)),
        ("email", json!(p.email)),
        ("role", json!(p.role)),
    ]
}

/// Indicator values as of a date, as in the Indicators pane.
pub fn indicator_report(m: &Model, asof: chrono::NaiveDate) -> Vec<Fields> {
    indicator_report_of(m, asof, crate::indicators::evaluate_all(m, asof))
}

/// The indicator report of values already computed.
pub fn indicator_report_of(
    m: &Model,
    asof: chrono::NaiveDate,
    rows: Vec<(crate::domain::IndicatorId, crate::indicators::Outcome)>,
) -> Vec<Fields> {
    rows.into_iter()
        .filter_map(|(id, o)| {
            let i = m.indicators.get(id.0)?;
            let gaps: Vec<&str> = o
                .gaps
                .iter()
                .filter_map(|g| m.organisations.get(g.0))
                .map(|g| g.name.as_str())
                .collect();
            let round = |v: f64| (v * 10.0).round() / 10.0;
            let official = o.official.as_ref();
            Some(vec![
                ("code", json!(i.code)),
                ("title", json!(i.title)),
                ("unit", json!(i.unit)),
                ("value", json!(round(o.value))),
                // Figures not given are null, never 0.
                ("target", json!(i.basis.target.given().then_some(i.target))),
                ("target_source", source_json(&i.basis.target)),
                ("baseline", json!(i.basis.baseline.given().then_some(i.baseline))),
                ("baseline_source", source_json(&i.basis.baseline)),
                ("deadline", json!(o.deadline)),
                (
                    "deadline_is_project_end",
                    json!(i.deadline.is_none() && o.deadline.is_some()),
                ),
                ("status", json!(o.status)),
                ("covered", json!(o.covered)),
                ("of", json!(o.of)),
                ("of_source", json!(official.map(|c| &c.source))),
                ("of_date", json!(official.and_then(|c| c.date))),
                ("of_assumed", json!(official.map(|c| c.assumed))),
                ("value_in_database", json!(official.map(|_| round(o.db_value)))),
                ("of_in_database", json!(o.db_of)),
                (
                    "years",
                    json!(
                        o.years
                            .iter()
                            .map(
                                |y| json!({"year": y.year, "covered": y.covered, "value": round(y.value),
                                "value_in_database": round(y.db_value), "complete": y.complete})
                            )
                            .collect::<Vec<_>>()
                    ),
                ),
                ("reached", json!(o.reached)),
                ("as_of", json!(asof)),
                ("not_covered", json!(gaps)),
            ])
        })
        .collect()
}

/// A part's stable code where it has one (role, format, gender: the codes `list` writes),
/// else its label (a municipality's name).
fn part_code(by: crate::indicators::By, label: &str) -> String {
    use crate::i18n::Label;
    use crate::indicators::By;
    let code = match by {
        By::Role => Role::ALL.iter().find(|r| r.label() == label).map(|r| r.to_string()),
        By::Format => EventFormat::ALL
            .iter()
            .find(|r| r.label() == label)
            .map(|r| r.to_string()),
        By::Gender => Gender::ALL.iter().find(|r| r.label() == label).map(|r| r.to_string()),
        By::Municipality => None,
    };
    code.unwrap_or_else(|| label.to_string())
}

/// Where a figure comes from, for scripts: "not_given", "documents: …", "project: who, date".
fn source_json(s: &FigureSource) -> Value {
    match s {
        FigureSource::NotGiven => json!("not_given"),
        FigureSource::Documents { reference } => json!(format!("documents: {reference}")),
        FigureSource::Project { by, on } => json!(format!(
            "project: {by}{}",
            on.map(|d| format!(", {d}")).unwrap_or_default()
        )),
    }
}

/// Computed indicators split by `by`, one row per part, as of a date.
pub fn indicator_breakdown(m: &Model, asof: chrono::NaiveDate, by: crate::indicators::By) -> Vec<Fields> {
    m.orders
        .get(Table::Indicator)
        .iter()
        .filter_map(|id| m.indicators.get(*id))
        .flat_map(|i| {
            crate::indicators::breakdown(m, i, asof, by).into_iter().map(move |p| {
                vec![
                    ("code", json!(i.code)),
                    ("title", json!(i.title)),
                    ("unit", json!(i.unit)),
                    ("by", json!(by)),
                    ("part", json!(part_code(by, &p.label))),
                    ("value", json!((p.value * 10.0).round() / 10.0)),
                    ("covered", json!(p.covered)),
                    ("of", json!(p.of)),
                    ("as_of", json!(asof)),
                ]
            })
        })
        .collect()
}

/// A value as one cell of text or CSV: lists joined with `|`, null empty.
pub fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(|x| !x.is_object() && !x.is_array()) => {
            items.iter().map(cell).collect::<Vec<_>>().join("|")
        }
        other => other.to_string(),
    }
}

/// Writes rows in `format`.
pub fn write(out: &mut dyn Write, rows: impl Iterator<Item = Fields>, format: Format) -> io::Result<()> {
    write_headed(out, rows, format, &[])
}

/// Writes rows in `format`; with no rows, text, CSV and Markdown still get their header
/// line, of `header` (so a script tells an empty list from a failure).
pub fn write_headed(
    out: &mut dyn Write,
    rows: impl Iterator<Item = Fields>,
    format: Format,
    header: &[&'static str],
) -> io::Result<()> {
    let mut rows = rows.peekable();
    let names: Vec<&str> = match rows.peek() {
        Some(first) => first.iter().map(|(k, _)| *k).collect(),
        None => header.to_vec(),
    };
    match format {
        Format::Json => {
            out.write_all(b"[")?;
            let mut first = true;
            for r in rows {
                out.write_all(if first { b"\n  " } else { b",\n  " })?;
                first = false;
                let obj: serde_json::Map<String, Value> = r.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
                serde_json::to_writer(&mut *out, &obj)?;
            }
            out.write_all(if first { b"]\n" } else { b"\n]\n" })?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            if !names.is_empty() {
                w.write_record(&names)?;
            }
            for r in rows {
                // Text a spreadsheet would run as a formula gets a leading `'`.
                w.write_record(r.iter().map(|(_, v)| match v {
                    Value::Number(_) | Value::Bool(_) | Value::Null => cell(v),
                    _ => crate::io::export::neutralise(&cell(v)).into_owned(),
                }))?;
            }
            w.flush()?;
        }
        Format::Md => {
            if !names.is_empty() {
                writeln!(out, "| {} |", names.join(" | "))?;
                writeln!(out, "|{}", "---|".repeat(names.len()))?;
            }
            for r in rows {
                let cells: Vec<String> = r
                    .iter()
                    .map(|(_, v)| cell(v).replace('|', "\\|").replace(['\n', '\t'], " "))
                    .collect();
                writeln!(out, "| {} |", cells.join(" | "))?;
            }
        }
        Format::Text => {
            if !names.is_empty() {
                writeln!(out, "{}", names.join("\t"))?;
            }
            for r in rows {
                let cells: Vec<String> = r.iter().map(|(_, v)| cell(v).replace(['\t', '\n'], " ")).collect();
                writeln!(out, "{}", cells.join("\t"))?;
            }
        }
    }
    Ok(())
}

/// Record counts and where the database is.
pub fn stats(m: &Model, path: &std::path::Path, bytes: u64) -> Fields {
    let mut f: Fields = vec![("database", json!(path.display().to_string()))];
    for t in Table::ALL {
        f.push((t.plural(), json!(m.count(t))));
    }
    f.push(("users", json!(m.users.iter().skip(1).collect::<Vec<_>>())));
    f.push(("size_on_disk_bytes", json!(bytes)));
    f
}

/// Writes stats: `key: value` lines as text, an object as JSON.
pub fn write_stats(out: &mut dyn Write, f: Fields, format: Format) -> io::Result<()> {
    match format {
        Format::Json => {
            let obj: serde_json::Map<String, Value> = f.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            serde_json::to_writer_pretty(&mut *out, &obj)?;
            writeln!(out)
        }
        Format::Csv | Format::Md => write(out, std::iter::once(f), format),
        Format::Text => {
            for (k, v) in f {
                writeln!(out, "{k}: {}", cell(&v))?;
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Model {
        crate::io::sample::test_model("koordinators")
    }

    #[test]
    fn attendance_rows_of_an_event() {
        let m = sample();
        // A held event with people who came.
        let e = m
            .events
            .iter()
            .find(|e| e.status == EventStatus::Held && m.status_counts(e.id)[AttendanceStatus::Attended.ordinal()] > 0)
            .expect("a held event");
        let rows = attendance_of_event(&m, e.id).expect("rows");
        assert_eq!(rows.len(), m.attendance_of_event(e.id).len());
        let keys: Vec<&str> = rows[0].iter().map(|(k, _)| *k).collect();
        assert_eq!(
            keys,
            [
                "participant_id",
                "name",
                "institution",
                "role",
                "status",
                "checked_in_at",
                "checked_in_by",
                "hours_credited"
            ]
        );
        // Sorted by surname, given name (Latvian order), then id.
        let order: Vec<(String, u64)> = rows
            .iter()
            .map(|r| {
                let id = r[0].1.as_u64().expect("id");
                let p = m.participants.get(id as u32).expect("person");
                let key = crate::domain::collate::key(&format!("{} {}", p.surname, p.given_name));
                (key, id)
            })
            .collect();
        assert!(order.windows(2).all(|w| w[0] <= w[1]), "{order:?}");
        for r in &rows {
            let status = r[4].1.as_str().expect("status");
            let hours = r[7].1.as_f64().expect("hours");
            if status == "attended" {
                assert!(hours > 0.0, "{r:?}");
            } else {
                assert_eq!(hours, 0.0, "{r:?}");
            }
            // Check-in times are Riga's local time with its offset.
            if let Some(at) = r[5].1.as_str() {
                let t = chrono::DateTime::parse_from_rfc3339(at).expect("RFC 3339");
                assert!([7200, 10800].contains(&t.offset().local_minus_utc()), "{at}");
                assert_eq!(r[6].1, json!("koordinators"));
            }
        }
        assert!(
            rows.iter().any(|r| r[5].1.is_string()),
            "some check-in times in a held event"
        );
    }

    #[test]
    fn no_such_event() {
        let m = sample();
        assert!(attendance_of_event(&m, EventId(u32::MAX)).is_none());
    }
}
