//! `atbalsts import participants`: a registration list (CSV or spreadsheet) turned into new
//! people, matches with people already known, new institutions and registrations, as one
//! `Dataset` for `Command::Import` plus a report. Reads the model; never writes.

pub mod budget;
pub mod clean;
pub mod columns;
pub mod csv;
pub mod xlsx;

use super::progress::{Progress, Silent, Step, every, stop};
use crate::command::Dataset;
use crate::domain::Field as DomainField;
use crate::domain::*;
use crate::i18n::{Label, M, f, t};
use crate::model::Model;
use columns::Field;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

/// Where the rows came from and how they were read.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Source {
    pub format: &'static str,
    pub encoding: Option<&'static str>,
    pub delimiter: Option<char>,
    pub sheet: Option<String>,
}

/// A table read from a file: its header and its non-empty rows with their row numbers as
/// the file or spreadsheet counts them (the header is usually row 1).
#[derive(Clone, Debug)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub header_row: usize,
    pub rows: Vec<(usize, Vec<String>)>,
    pub source: Source,
    /// Every sheet of the workbook it came from, in order (empty for CSV).
    pub sheets: Vec<String>,
}

/// Why a file could not be read as a table.
#[derive(Clone, Debug, PartialEq)]
pub enum ReadError {
    Io(String),
    Empty,
    NotATable,
    Csv(String),
    Spreadsheet(String),
    NoSheet {
        wanted: String,
        sheets: Vec<String>,
    },
    NoNameColumn {
        headers: Vec<String>,
    },
    /// The job was abandoned (the screen's Esc) before it was done.
    Cancelled,
    /// Over one of the reader's [`budget::Limits`].
    OverLimit(budget::Over),
    /// Bytes that are not of the encoding the file was said (or marked) to be in.
    Undecodable {
        row: usize,
        encoding: &'static str,
    },
}

impl ReadError {
    /// The message for the user, in the interface language.
    pub fn message(&self, file: &Path) -> String {
        let file = file.display();
        match self {
            ReadError::Io(e) => f(M::ImpErrRead, &[&file, e]),
            ReadError::Empty => f(M::ImpErrEmpty, &[&file]),
            ReadError::NotATable => f(M::ImpErrNotATable, &[&file]),
            ReadError::Csv(e) => f(M::ImpErrCsv, &[&file, e]),
            ReadError::Spreadsheet(e) => f(M::ImpErrSpreadsheet, &[&file, e]),
            ReadError::NoSheet { wanted, sheets } => f(M::ImpErrNoSheet, &[&file, wanted, &sheets.join(", ")]),
            ReadError::NoNameColumn { headers } => f(
                M::ImpErrNoNameColumn,
                &[&file, &headers.join(" | "), &columns::field_codes()],
            ),
            ReadError::Cancelled => f(M::ImpCancelled, &[&file]),
            ReadError::OverLimit(over) => over.message(&file),
            ReadError::Undecodable { row, encoding } => f(M::ImpErrUndecodable, &[&file, row, encoding]),
        }
    }
}

/// Rows the header is looked for in.
const HEADER_SEARCH: usize = 20;

impl Sheet {
    /// A sheet from raw rows: the header is the first row (among the first few) with a
    /// header that names a field, else the first non-empty row; empty rows are dropped.
    pub fn from_rows(rows: Vec<(usize, Vec<String>)>, source: Source) -> Result<Sheet, ReadError> {
        let blank = |r: &[String]| r.iter().all(|c| clean::text(c).is_empty());
        let mut rows: Vec<(usize, Vec<String>)> = rows.into_iter().filter(|(_, r)| !blank(r)).collect();
        if rows.is_empty() {
            return Err(ReadError::Empty);
        }
        let named = |r: &[String]| {
            r.iter()
                .any(|c| columns::header_field(c).is_some_and(|f| f != Field::Ignore))
        };
        let at = rows.iter().take(HEADER_SEARCH).position(|(_, r)| named(r)).unwrap_or(0);
        let mut rest = rows.split_off(at);
        let (header_row, headers) = rest.remove(0);
        Ok(Sheet {
            headers: headers.iter().map(|h| clean::text(h).to_string()).collect(),
            header_row,
            rows: rest,
            source,
            sheets: Vec::new(),
        })
    }
}

/// Extensions read as spreadsheets.
const SPREADSHEETS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// Reads a file as a table: a spreadsheet by its extension or its signature (zip or OLE),
/// else CSV.
pub fn read_file(path: &Path, encoding: Option<&str>, sheet: Option<&str>) -> Result<Sheet, ReadError> {
    read_file_with_progress(path, encoding, sheet, &mut Silent)
}

/// [`read_file`], telling `p` that it reads ([`Step::Reading`], the file's size in bytes;
/// the count comes when the bytes are in, before they are decoded).
pub fn read_file_with_progress(
    path: &Path,
    encoding: Option<&str>,
    sheet: Option<&str>,
    p: &mut dyn Progress,
) -> Result<Sheet, ReadError> {
    p.step(Step::Reading, std::fs::metadata(path).ok().map(|m| m.len()));
    let bytes = budget::read(path, &budget::Limits::default())?;
    p.done(bytes.len() as u64);
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let zip_or_ole = budget::packed(&bytes);
    if SPREADSHEETS.contains(&ext.as_str()) || zip_or_ole {
        if bytes.is_empty() {
            return Err(ReadError::Empty);
        }
        return xlsx::read(bytes, sheet);
    }
    let forced = match encoding {
        Some(label) => Some(csv::encoding_of(label).ok_or_else(|| ReadError::Io(f(M::ImpErrEncoding, &[&label])))?),
        None => None,
    };
    csv::read(&bytes, forced, None)
}

/// What an import does besides reading.
#[derive(Clone, Debug)]
pub struct Options {
    /// Register every row's person for this event.
    pub event: Option<EventId>,
    /// Create institutions that are not known yet (else their rows are rejected).
    pub create_institutions: bool,
    /// The role of rows that give none.
    pub default_role: Role,
    /// `--map COLUMN=FIELD` overrides.
    pub map: Vec<(String, Field)>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            event: None,
            create_institutions: false,
            default_role: Role::Other,
            map: Vec::new(),
        }
    }
}

/// Why a row was not imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    MissingName,
    TooLong,
    BadEmail,
    BadPhone,
    UnknownRole,
    UnknownGender,
    UnknownInstitution,
    AmbiguousInstitution,
}

impl Reason {
    /// Why, as a message key.
    pub fn message(self) -> M {
        match self {
            Reason::MissingName => M::ImpWhyMissingName,
            Reason::TooLong => M::ImpWhyTooLong,
            Reason::BadEmail => M::ImpWhyBadEmail,
            Reason::BadPhone => M::ImpWhyBadPhone,
            Reason::UnknownRole => M::ImpWhyUnknownRole,
            Reason::UnknownGender => M::ImpWhyUnknownGender,
            Reason::UnknownInstitution => M::ImpWhyUnknownInstitution,
            Reason::AmbiguousInstitution => M::ImpWhyAmbiguousInstitution,
        }
    }
}

/// One rejected row: its number in the file, why, and the value at fault (shortened).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rejected {
    pub row: usize,
    pub reason: Reason,
    pub value: String,
}

impl Rejected {
    /// The report's line for this row: its number, the reason, and the value when there
    /// is one (an empty name shows no dangling colon).
    pub fn line(&self) -> String {
        if self.value.trim().is_empty() {
            f(M::ImpRejectedRowEmpty, &[&self.row, &t(self.reason.message())])
        } else {
            f(M::ImpRejectedRow, &[&self.row, &t(self.reason.message()), &self.value])
        }
    }
}

/// A column and what it was read as (`None`: not read).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ColumnUse {
    pub header: String,
    pub field: Option<&'static str>,
}

impl ColumnUse {
    /// "header → field's words (code)", or "header → –" when not read.
    pub fn says(&self) -> String {
        match self.field.and_then(Field::from_code) {
            Some(fl) => format!("{} → {} ({})", self.header, t(fl.says()), fl.code()),
            None => format!("{} → –", self.header),
        }
    }
}

/// An institution no organisation matches, and how many rows name it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Unknown {
    pub name: String,
    pub rows: usize,
}

/// What an import did or would do.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Report {
    pub file: String,
    pub format: &'static str,
    pub encoding: Option<&'static str>,
    pub delimiter: Option<char>,
    pub sheet: Option<String>,
    pub columns: Vec<ColumnUse>,
    /// Non-empty data rows read.
    pub rows: usize,
    pub new_people: usize,
    pub matched_people: usize,
    /// Rows naming a person an earlier row of the same file already named.
    pub repeated_rows: usize,
    pub new_registrations: usize,
    pub already_registered: usize,
    pub new_institutions: Vec<String>,
    pub unknown_institutions: Vec<Unknown>,
    pub rejected: Vec<Rejected>,
    pub dry_run: bool,
    pub committed: bool,
}

impl Report {
    /// Whether a real run would change anything.
    pub fn changes(&self) -> bool {
        self.new_people + self.new_registrations + self.new_institutions.len() > 0
    }

    /// The report as text for people, in the interface language.
    pub fn text(&self) -> String {
        let mut s = String::new();
        let mut line = |l: String| {
            s.push_str(&l);
            s.push('\n');
        };
        let how = match (self.encoding, self.delimiter, &self.sheet) {
            (Some(e), Some(d), _) => format!("CSV, {e}, '{}'", if d == '\t' { "\\t".into() } else { d.to_string() }),
            (_, _, Some(sheet)) => format!("{} ({sheet})", self.format.to_uppercase()),
            _ => self.format.to_uppercase(),
        };
        line(f(M::ImpRead, &[&self.file, &how, &self.rows]));
        let used: Vec<String> = self.columns.iter().map(ColumnUse::says).collect();
        line(f(M::ImpColumns, &[&used.join("; ")]));
        line(f(M::ImpNewPeople, &[&self.new_people]));
        line(f(M::ImpMatchedPeople, &[&self.matched_people]));
        if self.repeated_rows > 0 {
            line(f(M::ImpRepeatedRows, &[&self.repeated_rows]));
        }
        line(f(
            M::ImpRegistrations,
            &[&self.new_registrations, &self.already_registered],
        ));
        if !self.new_institutions.is_empty() {
            line(f(
                M::ImpNewInstitutions,
                &[&self.new_institutions.len(), &self.new_institutions.join("; ")],
            ));
        }
        if !self.unknown_institutions.is_empty() {
            let names: Vec<String> = self
                .unknown_institutions
                .iter()
                .map(|u| format!("{} ({})", u.name, u.rows))
                .collect();
            line(f(M::ImpUnknownInstitutions, &[&names.join("; ")]));
        }
        line(f(M::ImpRejected, &[&self.rejected.len()]));
        for r in &self.rejected {
            line(r.line());
        }
        line(
            if self.dry_run {
                t(M::ImpDryRun)
            } else if self.committed {
                t(M::ImpCommitted)
            } else {
                t(M::ImpNothingToDo)
            }
            .to_string(),
        );
        s
    }
}

/// The records to create and the report.
#[derive(Clone, Debug)]
pub struct Plan {
    pub dataset: Dataset,
    pub report: Report,
}

/// Imports up to this many records go as one batch of creations; larger ones as one bulk
/// import (indexes rebuilt once). Both are one change and one undo step (the bulk one is
/// undone by `Command::Unimport`).
pub const BATCH_MAX: usize = 5000;

impl Plan {
    /// The one command that makes this plan's records: a batch of creations, or a bulk
    /// import when large. New records are named by placeholders ("new #k", see
    /// [`crate::domain::NEW_BIT`]) and the rows refer to them so: the store gives the ids
    /// when it applies, against the data as it is then, never as it was when planned.
    pub fn command(self) -> crate::command::Command {
        use crate::command::Command;
        let ds = self.dataset;
        if ds.len() > BATCH_MAX {
            return Command::Import(Box::new(ds));
        }
        let parts: Vec<Command> = ds
            .organisations
            .into_iter()
            .map(|r| Command::Create(r.wrap()))
            .chain(ds.participants.into_iter().map(|r| Command::Create(r.wrap())))
            .chain(ds.attendance.into_iter().map(|r| Command::Create(r.wrap())))
            .collect();
        Command::Batch(parts)
    }
}

/// A value as shown in a report: at most 80 characters.
fn shown(s: &str) -> String {
    let s = clean::text(s);
    match s.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// A role as a form writes it: a code, a label in either language, or a word of a job
/// title ("sākumskolas skolotāja", "direktora vietniece"). `None`: not recognised.
pub fn role_of(s: &str) -> Option<Role> {
    let k = crate::domain::fold::fold(s.trim());
    if let Some(r) = Role::from_code(&k.replace([' ', '-'], "_")) {
        return Some(r);
    }
    if let Some(r) = Role::ALL.iter().find(|r| {
        let (en, lv) = r.pair();
        crate::domain::fold::fold(en) == k || crate::domain::fold::fold(lv) == k
    }) {
        return Some(*r);
    }
    const WORDS: &[(&str, Role)] = &[
        ("macisanas konsultant", Role::LearningConsultant),
        ("macibu konsultant", Role::LearningConsultant),
        ("learning consultant", Role::LearningConsultant),
        ("izglitibas specialist", Role::MunicipalEducationSpecialist),
        ("education specialist", Role::MunicipalEducationSpecialist),
        ("metodik", Role::Methodologist),
        ("methodolog", Role::Methodologist),
        ("didakti", Role::Didactician),
        ("mentor", Role::Mentor),
        ("direktor", Role::LeadershipTeam),
        ("vietniek", Role::LeadershipTeam),
        ("vaditaj", Role::LeadershipTeam),
        ("vadibas komand", Role::LeadershipTeam),
        ("principal", Role::LeadershipTeam),
        ("deputy", Role::LeadershipTeam),
        ("head", Role::LeadershipTeam),
        ("psiholog", Role::SupportStaff),
        ("logoped", Role::SupportStaff),
        ("socialais pedagog", Role::SupportStaff),
        ("speciala pedagog", Role::SupportStaff),
        ("bibliotekar", Role::SupportStaff),
        ("skolotaja palig", Role::SupportStaff),
        ("atbalsta personal", Role::SupportStaff),
        ("eksperts", Role::IndustryExpert),
        ("expert", Role::IndustryExpert),
        ("skolotaj", Role::Teacher),
        ("pedagog", Role::Teacher),
        ("teacher", Role::Teacher),
        ("skolen", Role::Student),
        ("izglitojam", Role::Student),
        ("student", Role::Student),
        ("audzekn", Role::Student),
    ];
    WORDS.iter().find(|(w, _)| k.contains(w)).map(|(_, r)| *r)
}

/// A gender as forms write it; `Ok(None)` when not given or declined.
fn gender_of(s: &str) -> Result<Option<Gender>, ()> {
    match crate::domain::fold::fold(s.trim()).as_str() {
        "" | "-" | "cits" | "other" | "nevelos noradit" | "prefer not to say" => Ok(None),
        "s" | "siev" | "sieviete" | "f" | "female" | "woman" => Ok(Some(Gender::Female)),
        "v" | "vir" | "virietis" | "m" | "male" | "man" => Ok(Some(Gender::Male)),
        _ => Err(()),
    }
}

/// The municipality part of a municipality's name: "Cēsu novada pašvaldība" and "Cēsu
/// novads" both give "cesu".
fn municipality_key(s: &str) -> String {
    let k = clean::institution_key(s);
    let mut words: Vec<&str> = k.split(' ').collect();
    while let Some(last) = words.last() {
        if [
            "pasvaldiba",
            "novads",
            "novada",
            "valstspilseta",
            "valstspilsetas",
            "pilseta",
            "pilsetas",
        ]
        .contains(last)
        {
            words.pop();
        } else {
            break;
        }
    }
    words.join(" ")
}

/// A guess at a new institution's kind from its name.
fn kind_of(name: &str) -> OrgKind {
    let k = crate::domain::fold::fold(name);
    if k.contains("koledz") || k.contains("college") {
        OrgKind::College
    } else if k.contains("tehnikum") || k.contains("profesional") || k.contains("arodskol") {
        OrgKind::VocationalSchool
    } else if k.contains("kompetences centr") {
        OrgKind::CompetenceCentre
    } else if k.contains("parvalde") {
        OrgKind::EducationBoard
    } else if k.contains("pasvaldiba") {
        OrgKind::Municipality
    } else {
        OrgKind::School
    }
}

/// One known person as the matching sees them.
#[derive(Clone, Debug)]
struct Person {
    id: u32,
    given_name: Text,
    surname: Text,
    email: Text,
    institution: Option<u32>,
}

/// What planning reads of the database, taken out of the model so that it can be planned
/// against on another thread while the model changes (the screen plans in the background):
/// each person's name, email and institution (about 90 bytes a person, not the whole
/// record), the organisations and who is already registered for the event.
#[derive(Clone, Debug)]
pub struct Known {
    people: Vec<Person>,
    /// The organisations (in a model of their own, for `Model::municipality_of`).
    orgs: Model,
    event: Option<EventId>,
    /// People registered for `event`.
    registered: std::collections::HashSet<u32>,
    /// The model's generation when taken.
    pub generation: u64,
}

impl Known {
    /// What planning an import (registering for `event`) needs of `m`.
    pub fn of(m: &Model, event: Option<EventId>) -> Known {
        // Sized once: a collected filter (the model's slots) would grow to the next power
        // of two (300,000 people would take the room of 524,288).
        let mut people = Vec::with_capacity(m.participants.len());
        people.extend(m.participants.iter().map(|p| Person {
            id: p.id.0,
            given_name: p.given_name.clone(),
            surname: p.surname.clone(),
            email: p.email.clone(),
            institution: p.institution.map(|o| o.0),
        }));
        let registered = event
            .map(|e| {
                m.attendance_of_event(e)
                    .iter()
                    .filter_map(|a| m.attendance.get(a.0))
                    .map(|a| a.participant.0)
                    .collect()
            })
            .unwrap_or_default();
        Known {
            people,
            orgs: Model {
                organisations: m.organisations.clone(),
                ..Model::default()
            },
            event,
            registered,
            generation: m.generation,
        }
    }
}

impl Known {
    /// Bytes it holds, about (its people's names and emails are inline up to 24 bytes
    /// each; longer ones are counted too).
    pub fn approx_bytes(&self) -> usize {
        let long = |t: &Text| if t.len() > 24 { t.len() } else { 0 };
        self.people.capacity() * std::mem::size_of::<Person>()
            + self
                .people
                .iter()
                .map(|p| long(&p.given_name) + long(&p.surname) + long(&p.email))
                .sum::<usize>()
            + self.registered.capacity() * 8
    }
}

/// A key for the index: inline when short (no allocation to make or free).
fn inline(s: &str) -> Text {
    Text::from(s)
}

/// Lookups over what is known and what this import adds.
struct Index<'m> {
    m: &'m Model,
    /// Keys inline up to 24 bytes (most emails and names): a 300,000-person index is built
    /// and freed without an allocation each.
    by_email: HashMap<Text, u32>,
    by_name: HashMap<(Text, Option<u32>), u32>,
    orgs: HashMap<String, Vec<u32>>,
    municipalities: HashMap<String, u32>,
}

impl<'m> Index<'m> {
    /// The lookups over what `k` holds; `None` when `p` says the job is cancelled meanwhile.
    fn new(k: &'m Known, progress: &dyn Progress) -> Option<Index<'m>> {
        let m = &k.orgs;
        let mut by_email = HashMap::with_capacity(k.people.len());
        let mut by_name = HashMap::with_capacity(k.people.len());
        for (n, p) in k.people.iter().enumerate() {
            if stop(progress, n as u64) {
                return None;
            }
            if !p.email.is_empty() {
                by_email.entry(inline(clean::email(&p.email).as_str())).or_insert(p.id);
            }
            by_name
                .entry((inline(&clean::name_key(&p.given_name, &p.surname)), p.institution))
                .or_insert(p.id);
        }
        let mut orgs: HashMap<String, Vec<u32>> = HashMap::new();
        let mut municipalities = HashMap::new();
        for o in m.organisations.iter() {
            for name in [&o.name, &o.short_name] {
                if !name.is_empty() {
                    let ids = orgs.entry(clean::institution_key(name)).or_default();
                    if !ids.contains(&o.id.0) {
                        ids.push(o.id.0);
                    }
                }
            }
            if o.kind == OrgKind::Municipality {
                municipalities.entry(municipality_key(&o.name)).or_insert(o.id.0);
            }
        }
        Some(Index {
            m,
            by_email,
            by_name,
            orgs,
            municipalities,
        })
    }

    /// The organisation a row's institution names: `Ok(None)` when empty, `Err` when unknown
    /// or ambiguous.
    fn institution(&self, name: &str, municipality: Option<u32>) -> Result<Option<u32>, Reason> {
        if name.is_empty() {
            return Ok(None);
        }
        let Some(ids) = self.orgs.get(&clean::institution_key(name)) else {
            return Err(Reason::UnknownInstitution);
        };
        if let [one] = ids.as_slice() {
            return Ok(Some(*one));
        }
        let narrowed: Vec<u32> = match municipality {
            Some(mun) => ids
                .iter()
                .copied()
                .filter(|id| self.m.municipality_of(OrgId(*id)).is_some_and(|x| x.0 == mun))
                .collect(),
            None => ids.clone(),
        };
        let schools: Vec<u32> = narrowed
            .iter()
            .copied()
            .filter(|id| self.m.organisations.get(*id).is_some_and(|o| o.kind.is_institution()))
            .collect();
        match (narrowed.as_slice(), schools.as_slice()) {
            ([one], _) | (_, [one]) => Ok(Some(*one)),
            _ => Err(Reason::AmbiguousInstitution),
        }
    }
}

/// One row's person as read, before matching.
struct Row {
    person: Participant,
    institution_text: String,
    municipality: Option<u32>,
}

/// Reads one row's cells into a person; `Err` says why the row is rejected.
fn read_row(cells: &[String], fields: &[Option<Field>], ix: &Index, opts: &Options) -> Result<Row, (Reason, String)> {
    let mut given = Text::default();
    let mut surname = Text::default();
    let mut full = None;
    let mut p = Participant::new("", "", opts.default_role, None);
    let mut institution_text = String::new();
    let mut municipality = None;
    for (cell, field) in cells.iter().zip(fields) {
        let Some(field) = field else { continue };
        match field {
            Field::FullName => full = Some(cell.as_str()),
            Field::GivenName => given = clean::name(cell),
            Field::Surname => surname = clean::name(cell),
            Field::Email => p.email = clean::email(cell),
            Field::Phone => p.phone = clean::text(cell),
            Field::Institution => institution_text = clean::text(cell).to_string(),
            Field::Municipality => {
                let k = municipality_key(cell);
                municipality = (!k.is_empty()).then(|| ix.municipalities.get(&k).copied()).flatten();
            }
            Field::Role => {
                let v = clean::text(cell);
                if !v.is_empty() {
                    p.role = role_of(&v).ok_or((Reason::UnknownRole, shown(&v)))?;
                }
            }
            Field::Subjects => {
                p.subjects = clean::text(cell)
                    .split([',', ';', '/'])
                    .map(clean::text)
                    .filter(|s| !s.is_empty())
                    .collect();
            }
            Field::Gender => p.gender = gender_of(cell).map_err(|_| (Reason::UnknownGender, shown(cell)))?,
            Field::Notes => p.notes = clean::text(cell),
            Field::Ignore => {}
        }
    }
    if let Some(full) = full
        && given.is_empty()
        && surname.is_empty()
    {
        (given, surname) = clean::split_full_name(full);
    }
    p.given_name = given;
    p.surname = surname;
    if let Err(errors) = p.validate() {
        let e = &errors.0[0];
        let value = match e.field {
            DomainField::GivenName | DomainField::Surname => format!("{} {}", p.given_name, p.surname),
            DomainField::Email => p.email.to_string(),
            DomainField::Phone => p.phone.to_string(),
            DomainField::Subjects => p.subjects.join(", "),
            _ => p.notes.to_string(),
        };
        let reason = match e.problem {
            Problem::Required => Reason::MissingName,
            Problem::BadEmail => Reason::BadEmail,
            Problem::BadPhone => Reason::BadPhone,
            _ => Reason::TooLong,
        };
        return Err((reason, shown(value.trim())));
    }
    Ok(Row {
        person: p,
        institution_text,
        municipality,
    })
}

/// Plans the import of `sheet` into `m`: which rows are new people, which match known ones,
/// which institutions and registrations are new, which rows are rejected and why.
pub fn plan(m: &Model, sheet: &Sheet, file: &str, opts: &Options) -> Result<Plan, ReadError> {
    plan_with_progress(m, sheet, file, opts, &mut Silent)
}

/// [`plan_known`] against the model as it is.
pub fn plan_with_progress(
    m: &Model,
    sheet: &Sheet,
    file: &str,
    opts: &Options,
    p: &mut dyn Progress,
) -> Result<Plan, ReadError> {
    plan_known(&Known::of(m, opts.event), sheet, file, opts, p)
}

/// [`plan`] against what `known` holds (taken with the same `opts.event`), reporting to `p`
/// the rows looked at ([`Step::Planning`], out of the sheet's rows). Stops early with
/// [`ReadError::Cancelled`] once `p` says the job is cancelled (looked at every
/// [`super::progress::CHECK_EVERY`] rows and known people).
pub fn plan_known(
    known: &Known,
    sheet: &Sheet,
    file: &str,
    opts: &Options,
    p: &mut dyn Progress,
) -> Result<Plan, ReadError> {
    p.step(Step::Planning, Some(sheet.rows.len() as u64));
    let fields = columns::map_columns(&sheet.headers, &opts.map);
    let has = |f: Field| fields.contains(&Some(f));
    if !(has(Field::FullName) || (has(Field::GivenName) && has(Field::Surname))) {
        return Err(ReadError::NoNameColumn {
            headers: sheet.headers.clone(),
        });
    }
    let mut report = Report {
        file: file.to_string(),
        format: sheet.source.format,
        encoding: sheet.source.encoding,
        delimiter: sheet.source.delimiter,
        sheet: sheet.source.sheet.clone(),
        columns: sheet
            .headers
            .iter()
            .zip(&fields)
            .map(|(h, f)| ColumnUse {
                header: h.clone(),
                field: f.map(Field::code),
            })
            .collect(),
        rows: sheet.rows.len(),
        ..Report::default()
    };
    let mut ix = Index::new(known, p).ok_or(ReadError::Cancelled)?;
    let mut ds = Dataset::default();
    let mut unknown: Vec<Unknown> = Vec::new();
    let mut seen_people: std::collections::HashSet<u32> = std::collections::HashSet::new();
    let mut registered: std::collections::HashSet<u32> = std::collections::HashSet::new();
    for (done, (row_no, cells)) in sheet.rows.iter().enumerate() {
        every(p, done as u64);
        if stop(p, done as u64) {
            return Err(ReadError::Cancelled);
        }
        let row = match read_row(cells, &fields, &ix, opts) {
            Ok(r) => r,
            Err((reason, value)) => {
                report.rejected.push(Rejected {
                    row: *row_no,
                    reason,
                    value,
                });
                continue;
            }
        };
        let Row {
            mut person,
            institution_text,
            municipality,
        } = row;
        let institution = match ix.institution(&institution_text, municipality) {
            Ok(i) => i,
            Err(Reason::UnknownInstitution) if opts.create_institutions => {
                // Named by a placeholder: the store gives the id when it applies.
                let id = OrgId::new_in_batch(ds.organisations.len() as u32).0;
                let mut o = Organisation::new(&institution_text, kind_of(&institution_text));
                o.id = OrgId(id);
                o.parent = municipality.map(OrgId);
                report.new_institutions.push(o.name.to_string());
                ix.orgs.insert(clean::institution_key(&o.name), vec![id]);
                ds.organisations.push(o);
                Some(id)
            }
            Err(reason) => {
                if reason == Reason::UnknownInstitution {
                    match unknown.iter_mut().find(|u| u.name == institution_text) {
                        Some(u) => u.rows += 1,
                        None => unknown.push(Unknown {
                            name: institution_text.clone(),
                            rows: 1,
                        }),
                    }
                }
                report.rejected.push(Rejected {
                    row: *row_no,
                    reason,
                    value: shown(&institution_text),
                });
                continue;
            }
        };
        person.institution = institution.map(OrgId);
        let name_key = inline(&clean::name_key(&person.given_name, &person.surname));
        let found = (!person.email.is_empty())
            .then(|| ix.by_email.get(person.email.as_str()).copied())
            .flatten()
            .or_else(|| ix.by_name.get(&(name_key.clone(), institution)).copied());
        let id = match found {
            Some(id) => {
                if seen_people.insert(id) {
                    report.matched_people += 1;
                } else {
                    report.repeated_rows += 1;
                }
                id
            }
            None => {
                let id = ParticipantId::new_in_batch(ds.participants.len() as u32).0;
                person.id = ParticipantId(id);
                if !person.email.is_empty() {
                    ix.by_email.insert(inline(&person.email), id);
                }
                ix.by_name.insert((name_key, institution), id);
                seen_people.insert(id);
                ds.participants.push(person);
                report.new_people += 1;
                id
            }
        };
        if let Some(event) = opts.event {
            let was = placeholder(id).is_none() && known.event == Some(event) && known.registered.contains(&id);
            if was {
                if registered.insert(id) {
                    report.already_registered += 1;
                }
            } else if registered.insert(id) {
                let mut a = Attendance::new(event, ParticipantId(id), AttendanceStatus::Registered);
                a.id = AttendanceId::new_in_batch(ds.attendance.len() as u32);
                ds.attendance.push(a);
                report.new_registrations += 1;
            }
        }
    }
    report.unknown_institutions = unknown;
    Ok(Plan { dataset: ds, report })
}

#[cfg(test)]
mod tests;
