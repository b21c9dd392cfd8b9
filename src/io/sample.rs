//! The sample project (sample-data/, compiled into the binary): parsed into a `Dataset` whose
//! records refer to each other by the files' text keys, resolved to ids here.

use super::parse::{self, FieldParseError};
use crate::command::Dataset;
use crate::domain::*;
use crate::model::Model;
use serde::Deserialize;
use std::collections::HashMap;

/// The texts of the sample files.
pub struct SampleFiles {
    pub project: &'static str,
    pub organisations: &'static str,
    pub events: &'static str,
    pub participants: &'static str,
    pub attendance: &'static str,
    pub indicators: &'static str,
    /// Partnership documents, periods and yearly figures per partner.
    pub partners: &'static str,
}

/// The sample data shipped in `sample-data/`.
pub const EMBEDDED: SampleFiles = SampleFiles {
    project: include_str!("../../sample-data/project.toml"),
    organisations: include_str!("../../sample-data/organisations.csv"),
    events: include_str!("../../sample-data/events.csv"),
    participants: include_str!("../../sample-data/participants.csv"),
    attendance: include_str!("../../sample-data/attendance.csv"),
    indicators: include_str!("../../sample-data/indicators.toml"),
    partners: include_str!("../../sample-data/partners.toml"),
};

/// A problem in a sample file, with the line it is on.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleError {
    pub file: &'static str,
    pub line: u64,
    pub message: String,
}

impl std::fmt::Display for SampleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// Rows of one CSV file, read by column name.
struct Csv {
    file: &'static str,
    headers: csv::StringRecord,
    rows: Vec<(u64, csv::StringRecord)>,
}

impl Csv {
    fn read(file: &'static str, text: &str) -> Result<Csv, SampleError> {
        let mut r = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
        let headers = r
            .headers()
            .map_err(|e| SampleError {
                file,
                line: 1,
                message: e.to_string(),
            })?
            .clone();
        let mut rows = Vec::new();
        for rec in r.records() {
            let rec = rec.map_err(|e| SampleError {
                file,
                line: e.position().map(|p| p.line()).unwrap_or(0),
                message: e.to_string(),
            })?;
            let line = rec.position().map(|p| p.line()).unwrap_or(0);
            rows.push((line, rec));
        }
        Ok(Csv { file, headers, rows })
    }

    fn col(&self, name: &str) -> Result<usize, SampleError> {
        self.headers.iter().position(|h| h == name).ok_or_else(|| SampleError {
            file: self.file,
            line: 1,
            message: format!("missing column '{name}'"),
        })
    }
}

/// Reads one row's fields by name, turning parse errors into located errors.
struct Row<'a> {
    csv: &'a Csv,
    line: u64,
    rec: &'a csv::StringRecord,
}

impl Row<'_> {
    fn raw(&self, name: &str) -> Result<&str, SampleError> {
        let i = self.csv.col(name)?;
        Ok(self.rec.get(i).unwrap_or(""))
    }
    fn text(&self, name: &str) -> Result<Text, SampleError> {
        Ok(clean(self.raw(name)?))
    }
    fn err(&self, message: String) -> SampleError {
        SampleError {
            file: self.csv.file,
            line: self.line,
            message,
        }
    }
    fn parsed<T>(&self, r: Result<T, FieldParseError>) -> Result<T, SampleError> {
        r.map_err(|e| self.err(e.to_string()))
    }
    fn key<I: Copy>(&self, name: &str, keys: &HashMap<String, I>) -> Result<Option<I>, SampleError> {
        let k = self.raw(name)?.trim();
        if k.is_empty() {
            return Ok(None);
        }
        keys.get(k)
            .copied()
            .map(Some)
            .ok_or_else(|| self.err(format!("{name} = '{k}': no such key")))
    }
}

fn rows(csv: &Csv) -> impl Iterator<Item = Row<'_>> {
    csv.rows.iter().map(move |(line, rec)| Row { csv, line: *line, rec })
}

fn unique<I: Copy>(row: &Row<'_>, keys: &mut HashMap<String, I>, id: I) -> Result<(), SampleError> {
    let k = row.raw("key")?.trim().to_string();
    if k.is_empty() || keys.insert(k.clone(), id).is_some() {
        return Err(row.err(format!("key '{k}' is empty or used twice")));
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectFile {
    name: String,
    number: String,
    start: Option<chrono::NaiveDate>,
    end: Option<chrono::NaiveDate>,
    funding_total_cents: i64,
    funding_esf_cents: i64,
    funding_state_cents: i64,
    lead: Option<String>,
    /// The organisation key of the partner reports are made for.
    reporting_partner: Option<String>,
    #[serde(default)]
    notes: String,
    /// `[settings]`, e.g. `seminar_hours_cap = 12`.
    #[serde(default)]
    settings: Settings,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorsFile {
    indicator: Vec<IndicatorRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorRow {
    code: String,
    title: String,
    unit: Unit,
    baseline: f64,
    target: f64,
    deadline: Option<chrono::NaiveDate>,
    #[serde(default)]
    notes: String,
    definition: DefinitionRow,
    #[serde(default)]
    values: Vec<ValueRow>,
    /// Where the target comes from (`kind = "documents" | "project" | "not_given"`).
    #[serde(default)]
    target_source: Option<SourceRow>,
    #[serde(default)]
    baseline_source: Option<SourceRow>,
    /// What a share is of (`kind = "database" | "fixed" | "institutions"`).
    #[serde(default)]
    denominator: Option<DenominatorRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceRow {
    kind: String,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    by: String,
    on: Option<chrono::NaiveDate>,
}

impl SourceRow {
    fn source(row: Option<SourceRow>) -> Result<FigureSource, String> {
        let Some(r) = row else {
            return Ok(FigureSource::NotGiven);
        };
        match r.kind.as_str() {
            "not_given" => Ok(FigureSource::NotGiven),
            "documents" => Ok(FigureSource::Documents {
                reference: clean(&r.reference),
            }),
            "project" => Ok(FigureSource::Project {
                by: clean(&r.by),
                on: r.on,
            }),
            k => Err(format!("source kind = '{k}': expected documents, project or not_given")),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DenominatorRow {
    kind: String,
    count: Option<u32>,
    #[serde(default)]
    source: String,
    date: Option<chrono::NaiveDate>,
    #[serde(default)]
    assumed: bool,
}

impl DenominatorRow {
    fn denominator(row: Option<DenominatorRow>) -> Result<Denominator, String> {
        let Some(r) = row else {
            return Ok(Denominator::Database);
        };
        match r.kind.as_str() {
            "database" => Ok(Denominator::Database),
            "institutions" => Ok(Denominator::Institutions),
            "fixed" => Ok(Denominator::Fixed(OfficialCount {
                count: r.count.ok_or("denominator kind = 'fixed' needs count")?,
                source: clean(&r.source),
                date: r.date,
                assumed: r.assumed,
            })),
            k => Err(format!(
                "denominator kind = '{k}': expected database, fixed or institutions"
            )),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DefinitionRow {
    kind: String,
    #[serde(default)]
    org_kinds: Vec<OrgKind>,
    #[serde(default)]
    roles: Vec<Role>,
    #[serde(default)]
    formats: Vec<EventFormat>,
    #[serde(default)]
    activities: Vec<Activity>,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
    #[serde(default)]
    share: bool,
    /// Roles that never count (e.g. `["student"]`).
    #[serde(default)]
    except_roles: Vec<Role>,
    /// Keys of designated events (events.csv).
    #[serde(default)]
    events: Vec<String>,
    /// Events whose title starts with this programme name.
    #[serde(default)]
    programme: String,
    #[serde(default)]
    manual: bool,
    done: Option<chrono::NaiveDate>,
    year: Option<String>,
    /// For `kind = "count"`: what is counted (participants, events, organisations) ...
    of: Option<String>,
    /// ... and the filter expression they must match.
    filter: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ValueRow {
    date: chrono::NaiveDate,
    value: f64,
    #[serde(default)]
    note: String,
}

fn toml_err(file: &'static str, text: &str, e: toml::de::Error) -> SampleError {
    let line = e
        .span()
        .map(|s| text[..s.start.min(text.len())].lines().count() as u64)
        .unwrap_or(0);
    SampleError {
        file,
        line,
        message: e.message().to_string(),
    }
}

fn definition(d: DefinitionRow, events: &HashMap<String, EventId>) -> Result<Definition, String> {
    let scope = Scope {
        org_kinds: d.org_kinds,
        roles: d.roles,
        formats: d.formats,
        activities: d.activities,
        from: d.from,
        to: d.to,
        share: d.share,
        except_roles: d.except_roles,
        events: d
            .events
            .iter()
            .map(|k| {
                events
                    .get(k)
                    .copied()
                    .ok_or_else(|| format!("events: '{k}': no such event key"))
            })
            .collect::<Result<_, _>>()?,
        programme: clean(&d.programme),
    };
    match d.kind.as_str() {
        "coverage" => Ok(Definition::Coverage(scope)),
        "regularity" => match d.year.as_deref() {
            None | Some("calendar") => Ok(Definition::Regularity(scope)),
            Some(y) => Err(format!("year = '{y}': expected calendar")),
        },
        "milestone" if d.manual => Ok(Definition::Milestone {
            scope: None,
            done: d.done,
        }),
        "milestone" => Ok(Definition::Milestone {
            scope: Some(scope),
            done: d.done,
        }),
        "manual" => Ok(Definition::Manual),
        "count" => {
            let table = match d.of.as_deref() {
                Some("participants") => Table::Participant,
                Some("events") => Table::Event,
                Some("organisations") => Table::Organisation,
                other => {
                    return Err(format!(
                        "of = '{}': expected participants, events or organisations",
                        other.unwrap_or("")
                    ));
                }
            };
            Ok(Definition::Count {
                table,
                filter: clean(d.filter.as_deref().unwrap_or("")),
            })
        }
        k => Err(format!(
            "kind = '{k}': expected coverage, regularity, milestone, count or manual"
        )),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartnersFile {
    #[serde(default)]
    partner: Vec<PartnerRow>,
}

/// One partner's documents, period and years (partners.toml).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartnerRow {
    org: String,
    period_from: Option<chrono::NaiveDate>,
    period_to: Option<chrono::NaiveDate>,
    #[serde(default)]
    documents: Vec<DocRow>,
    #[serde(default)]
    years: Vec<YearRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocRow {
    kind: DocKind,
    status: DocStatus,
    #[serde(default)]
    number: String,
    date: Option<chrono::NaiveDate>,
    #[serde(default)]
    protocol: String,
    #[serde(default)]
    paragraph: String,
    #[serde(default)]
    parties: String,
    #[serde(default)]
    file: String,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearRow {
    year: i32,
    planned_eur: Option<f64>,
    received_eur: Option<f64>,
    spent_eur: Option<f64>,
    prefinancing_eur: Option<f64>,
    teachers: Option<u32>,
}

/// Fills in the partner facts of partners.toml.
fn partners(text: &str, orgs: &HashMap<String, OrgId>, out: &mut [Organisation]) -> Result<(), SampleError> {
    let file: PartnersFile = toml::from_str(text).map_err(|e| toml_err("partners.toml", text, e))?;
    let err = |message: String| SampleError {
        file: "partners.toml",
        line: 0,
        message,
    };
    let cents = |v: Option<f64>| v.map(|e| (e * 100.0).round() as i64);
    for p in file.partner {
        let id = orgs
            .get(&p.org)
            .ok_or_else(|| err(format!("org = '{}': no such organisation key", p.org)))?;
        let o = out
            .iter_mut()
            .find(|o| o.id == *id)
            .ok_or_else(|| err(format!("org = '{}': not in this file set", p.org)))?;
        o.period_from = p.period_from;
        o.period_to = p.period_to;
        o.documents = p
            .documents
            .into_iter()
            .map(|d| PartnerDoc {
                kind: d.kind,
                status: d.status,
                number: clean(&d.number),
                date: d.date,
                protocol: clean(&d.protocol),
                paragraph: clean(&d.paragraph),
                parties: clean(&d.parties),
                file: clean(&d.file),
                note: clean(&d.note),
            })
            .collect();
        o.years = p
            .years
            .into_iter()
            .map(|y| PartnerYear {
                year: y.year,
                planned_cents: cents(y.planned_eur),
                received_cents: cents(y.received_eur),
                spent_cents: cents(y.spent_eur),
                prefinancing_cents: cents(y.prefinancing_eur),
                teachers: y.teachers,
            })
            .collect();
        o.validate().map_err(|e| err(format!("{}: {}", p.org, describe(&e))))?;
    }
    Ok(())
}

/// The sample as a model, every record written by `user` (for unit tests).
#[cfg(test)]
pub fn test_model(user: &str) -> Model {
    let ds = build(&EMBEDDED, &Model::default(), &mut |_| UserId(1)).expect("the sample parses");
    Model::from_dataset(ds, vec!["?".into(), user.into()])
}

/// Parses the sample files into records with ids following those already in `m`.
/// `user` interns the user names found in the attendance file.
pub fn build(files: &SampleFiles, m: &Model, user: &mut dyn FnMut(&str) -> UserId) -> Result<Dataset, SampleError> {
    let meta = Meta::new(Stamp::now(), UserId(0));
    let mut ds = Dataset::default();

    let mut orgs: HashMap<String, OrgId> = HashMap::new();
    let csv = Csv::read("organisations.csv", files.organisations)?;
    let first = m.next_id(Table::Organisation);
    for (i, r) in rows(&csv).enumerate() {
        let id = OrgId(first + i as u32);
        unique(&r, &mut orgs, id)?;
        ds.organisations.push(Organisation {
            id,
            name: r.text("name")?,
            short_name: r.text("short_name")?,
            kind: r.parsed(parse::code("kind", r.raw("kind")?, OrgKind::ALL, OrgKind::from_code))?,
            parent: r.key("parent", &orgs)?,
            reg_no: r.text("reg_no")?,
            address: r.text("address")?,
            contact_person: r.text("contact_person")?,
            phone: r.text("phone")?,
            email: r.text("email")?,
            partner: r.parsed(parse::flag("partner", r.raw("partner")?))?,
            yearly_funding_cents: r.parsed(parse::euro_cents("yearly_funding_eur", r.raw("yearly_funding_eur")?))?,
            notes: r.text("notes")?,
            meta,
            founder: None,
            period_from: None,
            period_to: None,
            documents: Vec::new(),
            years: Vec::new(),
        });
        if let Some(last) = ds.organisations.last()
            && let Err(e) = last.validate()
        {
            return Err(r.err(describe(&e)));
        }
    }
    // Founders may come later in the file (the ministry is listed last).
    if csv.col("founder").is_ok() {
        for (i, r) in rows(&csv).enumerate() {
            if let Some(f) = r.key("founder", &orgs)?
                && let Some(o) = ds.organisations.get_mut(i)
            {
                o.founder = Some(f);
            }
        }
    }
    partners(files.partners, &orgs, &mut ds.organisations)?;

    let mut events: HashMap<String, EventId> = HashMap::new();
    let csv = Csv::read("events.csv", files.events)?;
    let first = m.next_id(Table::Event);
    for (i, r) in rows(&csv).enumerate() {
        let id = EventId(first + i as u32);
        unique(&r, &mut events, id)?;
        let place = r.text("place")?;
        let online = place.eq_ignore_ascii_case("online");
        let e = Event {
            id,
            title: r.text("title")?,
            format: r.parsed(parse::code(
                "format",
                r.raw("format")?,
                EventFormat::ALL,
                EventFormat::from_code,
            ))?,
            activity: r.parsed(parse::code(
                "activity",
                r.raw("activity")?,
                Activity::ALL,
                Activity::from_code,
            ))?,
            start: r.parsed(parse::datetime("start", r.raw("start")?))?,
            end: r.parsed(parse::datetime("end", r.raw("end")?))?,
            hours: r.parsed(parse::hours("hours", r.raw("hours")?))?.unwrap_or_default(),
            place: if online { Text::default() } else { place },
            online,
            organiser: r.key("organiser", &orgs)?,
            target_groups: r.parsed(parse::codes(
                "target_groups",
                r.raw("target_groups")?,
                Role::ALL,
                Role::from_code,
            ))?,
            capacity: r.parsed(parse::number("capacity", r.raw("capacity")?))?,
            status: r.parsed(parse::code(
                "status",
                r.raw("status")?,
                EventStatus::ALL,
                EventStatus::from_code,
            ))?,
            notes: r.text("notes")?,
            meta,
        };
        e.validate().map_err(|err| r.err(describe(&err)))?;
        ds.events.push(e);
    }

    let mut people: HashMap<String, ParticipantId> = HashMap::new();
    let csv = Csv::read("participants.csv", files.participants)?;
    let first = m.next_id(Table::Participant);
    for (i, r) in rows(&csv).enumerate() {
        let id = ParticipantId(first + i as u32);
        unique(&r, &mut people, id)?;
        let gender = r.raw("gender")?.trim();
        let p = Participant {
            id,
            given_name: r.text("given_name")?,
            surname: r.text("surname")?,
            email: r.text("email")?,
            phone: r.text("phone")?,
            institution: r.key("institution", &orgs)?,
            role: r.parsed(parse::code("role", r.raw("role")?, Role::ALL, Role::from_code))?,
            subjects: r
                .raw("subjects")?
                .split('|')
                .map(clean)
                .filter(|s| !s.is_empty())
                .collect(),
            gender: if gender.is_empty() {
                None
            } else {
                Some(r.parsed(parse::code("gender", gender, Gender::ALL, Gender::from_code))?)
            },
            notes: r.text("notes")?,
            meta,
        };
        p.validate().map_err(|err| r.err(describe(&err)))?;
        ds.participants.push(p);
    }

    let csv = Csv::read("attendance.csv", files.attendance)?;
    let first = m.next_id(Table::Attendance);
    for (i, r) in rows(&csv).enumerate() {
        let at = r.raw("checked_in_at")?.trim();
        let by = r.raw("checked_in_by")?.trim();
        ds.attendance.push(Attendance {
            id: AttendanceId(first + i as u32),
            event: r.key("event", &events)?.ok_or_else(|| r.err("event is empty".into()))?,
            participant: r
                .key("participant", &people)?
                .ok_or_else(|| r.err("participant is empty".into()))?,
            status: r.parsed(parse::code(
                "status",
                r.raw("status")?,
                AttendanceStatus::ALL,
                AttendanceStatus::from_code,
            ))?,
            checked_in_at: if at.is_empty() {
                None
            } else {
                Some(Stamp::from_riga(r.parsed(parse::datetime("checked_in_at", at))?))
            },
            checked_in_by: (!by.is_empty()).then(|| user(by)),
            hours: r.parsed(parse::hours("hours", r.raw("hours")?))?,
            meta,
        });
    }

    let file: IndicatorsFile =
        toml::from_str(files.indicators).map_err(|e| toml_err("indicators.toml", files.indicators, e))?;
    let first = m.next_id(Table::Indicator);
    for (i, row) in file.indicator.into_iter().enumerate() {
        let code = row.code.clone();
        let located = |message: String| SampleError {
            file: "indicators.toml",
            line: 0,
            message: format!("indicator {code}: {message}"),
        };
        let ind = Indicator {
            id: IndicatorId(first + i as u32),
            code: clean(&row.code),
            title: clean(&row.title),
            unit: row.unit,
            baseline: row.baseline,
            target: row.target,
            deadline: row.deadline,
            definition: definition(row.definition, &events).map_err(located)?,
            values: row
                .values
                .into_iter()
                .map(|v| ManualValue {
                    date: v.date,
                    value: v.value,
                    note: clean(&v.note),
                })
                .collect(),
            notes: clean_multiline(&row.notes),
            meta,
            basis: Basis {
                target: SourceRow::source(row.target_source).map_err(located)?,
                baseline: SourceRow::source(row.baseline_source).map_err(located)?,
                denominator: DenominatorRow::denominator(row.denominator).map_err(located)?,
            },
        };
        ind.validate().map_err(|e| located(describe(&e)))?;
        ds.indicators.push(ind);
    }

    let p: ProjectFile = toml::from_str(files.project).map_err(|e| toml_err("project.toml", files.project, e))?;
    let lead = match p.lead.as_deref() {
        Some(k) => Some(*orgs.get(k).ok_or_else(|| SampleError {
            file: "project.toml",
            line: 0,
            message: format!("lead = '{k}': no such organisation key"),
        })?),
        None => None,
    };
    ds.project = Some(Project {
        name: clean(&p.name),
        number: clean(&p.number),
        start: p.start,
        end: p.end,
        funding_total_cents: p.funding_total_cents,
        funding_esf_cents: p.funding_esf_cents,
        funding_state_cents: p.funding_state_cents,
        lead,
        notes: clean_multiline(&p.notes),
        settings: Settings {
            reporting_partner: match p.reporting_partner.as_deref() {
                Some(k) => Some(*orgs.get(k).ok_or_else(|| SampleError {
                    file: "project.toml",
                    line: 0,
                    message: format!("reporting_partner = '{k}': no such organisation key"),
                })?),
                None => None,
            },
            ..p.settings
        },
    });
    Ok(ds)
}

fn describe(e: &Errors) -> String {
    e.0.iter().map(crate::i18n::problem).collect::<Vec<_>>().join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> impl FnMut(&str) -> UserId {
        let mut seen: Vec<String> = Vec::new();
        move |n: &str| {
            let i = seen.iter().position(|s| s == n).unwrap_or_else(|| {
                seen.push(n.to_string());
                seen.len() - 1
            });
            UserId(i as u16 + 1)
        }
    }

    #[test]
    fn embedded_sample_parses() {
        let ds = build(&EMBEDDED, &Model::default(), &mut names()).expect("sample parses");
        let municipalities = ds
            .organisations
            .iter()
            .filter(|o| o.kind == OrgKind::Municipality)
            .count();
        assert_eq!(municipalities, 43);
        assert!(ds.organisations.iter().filter(|o| o.kind.is_institution()).count() >= 50);
        assert!((30..=60).contains(&ds.events.len()), "{}", ds.events.len());
        assert!((350..=450).contains(&ds.participants.len()));
        assert!((1200..=1800).contains(&ds.attendance.len()));
        assert_eq!(ds.indicators.len(), 11);
        let accented = ds
            .participants
            .iter()
            .filter(|p| p.surname.chars().any(|c| "āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ".contains(c)))
            .count();
        assert!(accented > 100, "{accented} surnames with Latvian letters");
        assert!(ds.project.as_ref().is_some_and(|p| p.lead.is_some()));
        assert_eq!(
            ds.project.as_ref().and_then(|p| p.settings.seminar_hours_cap),
            Some(Hours(120))
        );
    }

    #[test]
    fn count_definitions_and_settings_parse() {
        let files = SampleFiles {
            indicators: "[[indicator]]\ncode = \"12\"\ntitle = \"Metodiķi\"\nunit = \"count\"\nbaseline = 0\ntarget = 100\n\n[indicator.definition]\nkind = \"count\"\nof = \"participants\"\nfilter = \"role:methodologist\"\n",
            project: "name = \"P\"\nnumber = \"1\"\nfunding_total_cents = 0\nfunding_esf_cents = 0\nfunding_state_cents = 0\n\n[settings]\nseminar_hours_cap = 7.5\n",
            ..EMBEDDED
        };
        let ds = build(&files, &Model::default(), &mut names()).expect("parses");
        assert_eq!(
            ds.indicators[0].definition,
            Definition::Count {
                table: Table::Participant,
                filter: "role:methodologist".into()
            }
        );
        assert_eq!(
            ds.project.as_ref().and_then(|p| p.settings.seminar_hours_cap),
            Some(Hours(75))
        );
        let m = Model::from_dataset(ds, vec![]);
        let v = crate::indicators::evaluate(&m, &m.indicators.iter().next().cloned().expect("one"), today()).value;
        let want = m.participants.iter().filter(|p| p.role == Role::Methodologist).count();
        assert_eq!(v, want as f64);
        assert!(want > 0);
        let bad = SampleFiles {
            indicators: "[[indicator]]\ncode = \"12\"\ntitle = \"X\"\nunit = \"count\"\nbaseline = 0\ntarget = 1\n\n[indicator.definition]\nkind = \"count\"\nof = \"attendance\"\n",
            ..EMBEDDED
        };
        let e = build(&bad, &Model::default(), &mut names()).expect_err("bad table");
        assert!(e.message.contains("attendance"), "{e}");
    }

    #[test]
    fn errors_name_file_line_and_value() {
        let broken = SampleFiles {
            organisations: "key,name,short_name,kind,parent,reg_no,address,contact_person,phone,email,partner,yearly_funding_eur,notes\nx,X,,planet,,,,,,,no,,\n",
            partners: "",
            ..EMBEDDED
        };
        let e = build(&broken, &Model::default(), &mut names()).expect_err("bad kind");
        assert_eq!((e.file, e.line), ("organisations.csv", 2));
        assert!(
            e.message.contains("planet") && e.message.contains("municipality"),
            "{e}"
        );
    }

    #[test]
    fn unknown_reference_is_an_error() {
        let broken = SampleFiles {
            attendance: "event,participant,status,checked_in_at,checked_in_by,hours\nnope,p001,attended,,,\n",
            ..EMBEDDED
        };
        let e = build(&broken, &Model::default(), &mut names()).expect_err("bad key");
        assert!(e.message.contains("nope"), "{e}");
    }
}
