//! The filter language of every pane and of `atbalsts list --filter`: free text plus field
//! filters (`role:metodiķis mun:cēsis -role:student hours<36 from:2025-03-01`), all of which
//! must hold. Field names and values in Latvian or English, diacritic-blind.

use super::people::{self, Among};
use super::text::{Term, terms};
use crate::domain::*;
use crate::i18n::{self, Label, Lang, M};
use crate::model::Model;
use chrono::NaiveDate;

/// A filter that could not be understood: the offending token and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterError {
    pub token: String,
    pub message: String,
}

impl std::fmt::Display for FilterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.token, self.message)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Lt,
    Le,
    Eq,
    Ge,
    Gt,
}

impl Cmp {
    fn holds<T: PartialOrd>(self, a: T, b: T) -> bool {
        match self {
            Cmp::Lt => a < b,
            Cmp::Le => a <= b,
            Cmp::Eq => a == b,
            Cmp::Ge => a >= b,
            Cmp::Gt => a > b,
        }
    }
}

/// One condition on a record.
#[derive(Clone, Debug, PartialEq)]
enum Test {
    Role(Vec<Role>),
    Kind(Vec<OrgKind>),
    Format(Vec<EventFormat>),
    Activity(Vec<Activity>),
    Status(Vec<EventStatus>),
    Gender(Vec<Gender>),
    Unit(Vec<Unit>),
    /// Lies in one of these municipalities.
    Municipality(Vec<OrgId>),
    /// Works at / organised by one of these organisations.
    Org(Vec<OrgId>),
    Partner(bool),
    /// The partnership's stage (signed, decided, ...).
    Stage(Vec<Stage>),
    Online(bool),
    From(NaiveDate),
    To(NaiveDate),
    Hours(Cmp, Hours),
}

#[derive(Clone, Debug, PartialEq)]
struct Clause {
    negate: bool,
    test: Test,
}

/// A parsed filter for one table.
pub struct Filter {
    table: Table,
    clauses: Vec<Clause>,
    text: Vec<Term>,
    not_text: Vec<Term>,
    /// Whether a longer expression can only match a subset of this one's matches (so the
    /// previous results can be searched instead of everything).
    pub narrows: bool,
}

/// The field names: (canonical, English and Latvian spellings, folded).
const FIELDS: &[(&str, &[&str])] = &[
    ("role", &["role", "loma", "amats"]),
    ("kind", &["kind", "type", "veids", "tips"]),
    ("format", &["format", "formats"]),
    ("activity", &["activity", "darbiba", "line"]),
    ("status", &["status", "statuss"]),
    ("gender", &["gender", "dzimums"]),
    ("unit", &["unit", "mervieniba"]),
    ("mun", &["mun", "municipality", "pasvaldiba", "novads"]),
    (
        "org",
        &["org", "inst", "institution", "iestade", "organiser", "rikotajs"],
    ),
    ("partner", &["partner", "partneris"]),
    ("stage", &["stage", "posms"]),
    ("online", &["online", "tiessaiste"]),
    ("from", &["from", "no"]),
    ("to", &["to", "lidz"]),
    ("hours", &["hours", "h", "stundas"]),
];

/// A field's name as the Latvian screen shows it (with its diacritics; typing it without
/// them works too).
fn latvian_name(field: &str) -> &str {
    match field {
        "role" => "loma",
        "kind" => "veids",
        "format" => "formāts",
        "activity" => "darbība",
        "status" => "statuss",
        "gender" => "dzimums",
        "unit" => "mērvienība",
        "mun" => "pašvaldība",
        "org" => "iestāde",
        "partner" => "partneris",
        "stage" => "posms",
        "online" => "tiešsaistē",
        "from" => "no",
        "to" => "līdz",
        "hours" => "stundas",
        other => other,
    }
}

/// A field's name in the language of the interface.
fn field_label(field: &str) -> &str {
    match crate::i18n::lang() {
        Lang::En => field,
        Lang::Lv => latvian_name(field),
    }
}

/// Which fields each pane understands.
fn applies(field: &str, t: Table) -> bool {
    match t {
        Table::Organisation => matches!(field, "kind" | "mun" | "partner" | "stage"),
        Table::Event => matches!(
            field,
            "format" | "activity" | "status" | "mun" | "org" | "online" | "from" | "to" | "hours"
        ),
        Table::Participant => matches!(field, "role" | "gender" | "mun" | "org" | "hours"),
        Table::Indicator => matches!(field, "unit"),
        Table::Attendance => false,
    }
}

fn err<T>(token: &str, message: String) -> Result<T, FilterError> {
    Err(FilterError {
        token: token.to_string(),
        message,
    })
}

fn is_yes(v: &str) -> Option<bool> {
    match v {
        "yes" | "ja" | "true" | "1" | "y" => Some(true),
        "no" | "ne" | "false" | "0" | "n" => Some(false),
        _ => None,
    }
}

/// Values of a vocabulary matching `v` (folded) by code or either language's label, whole
/// or as a prefix.
fn vocab<T: Label + Copy + std::fmt::Display>(all: &[T], v: &str) -> Vec<T> {
    let names = |x: T| {
        let (en, lv) = x.pair();
        [super::fold(&x.to_string()), super::fold(en), super::fold(lv)]
    };
    let exact: Vec<T> = all
        .iter()
        .copied()
        .filter(|x| names(*x).iter().any(|n| n == v))
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    all.iter()
        .copied()
        .filter(|x| names(*x).iter().any(|n| n.starts_with(v)))
        .collect()
}

/// Organisations (of `kind` if given) whose folded name or short name contains `v`, or
/// whose first word shares a stem with it ("cēsis" finds "Cēsu novads": Latvian endings
/// differ between the nominative and the genitive).
fn orgs_like(m: &Model, v: &str, kind: Option<OrgKind>) -> Vec<OrgId> {
    let stem_len = v.chars().count().saturating_sub(2).max(3);
    let stem: String = v.chars().take(stem_len).collect();
    m.organisations
        .iter()
        .filter(|o| kind.is_none_or(|k| o.kind == k))
        .filter(|o| {
            let name = super::fold(&o.name);
            let short = super::fold(&o.short_name);
            name.contains(v)
                || short.contains(v)
                || (v.len() >= 3 && (name.starts_with(&stem) || short.starts_with(&stem)))
        })
        .map(|o| o.id)
        .collect()
}

fn parse_value(m: &Model, field: &str, op: Cmp, raw: &str, token: &str) -> Result<Test, FilterError> {
    let v = super::fold(raw);
    let list = |names: Vec<String>| names.join(", ");
    if op != Cmp::Eq && field != "hours" {
        return err(token, i18n::f(M::FltOnlyHoursCompares, &[&field_label(field)]));
    }
    if v.is_empty() {
        return err(token, i18n::f(M::FltMissingValue, &[]));
    }
    macro_rules! voc {
        ($ty:ty, $variant:ident) => {{
            let found = vocab(<$ty>::ALL, &v);
            if found.is_empty() {
                let choices = list(<$ty>::ALL.iter().map(|x| x.label().to_string()).collect());
                return err(
                    token,
                    i18n::f(M::FltNoSuchValue, &[&field_label(field), &raw, &choices]),
                );
            }
            Ok(Test::$variant(found))
        }};
    }
    match field {
        "role" => voc!(Role, Role),
        "kind" => voc!(OrgKind, Kind),
        "format" => voc!(EventFormat, Format),
        "activity" => voc!(Activity, Activity),
        "status" => voc!(EventStatus, Status),
        "gender" => voc!(Gender, Gender),
        "unit" => voc!(Unit, Unit),
        "stage" => voc!(Stage, Stage),
        "mun" => {
            let found = orgs_like(m, &v, Some(OrgKind::Municipality));
            if found.is_empty() {
                err(token, i18n::f(M::FltNoMunicipality, &[&raw]))
            } else {
                Ok(Test::Municipality(found))
            }
        }
        "org" => {
            let found = orgs_like(m, &v, None);
            if found.is_empty() {
                err(token, i18n::f(M::FltNoOrganisation, &[&raw]))
            } else {
                Ok(Test::Org(found))
            }
        }
        "partner" | "online" => match is_yes(&v) {
            Some(b) if field == "partner" => Ok(Test::Partner(b)),
            Some(b) => Ok(Test::Online(b)),
            None => err(token, i18n::f(M::FltYesNo, &[])),
        },
        "from" | "to" => {
            let d = crate::domain::parse::date(field, raw).ok().flatten();
            match d {
                Some(d) if field == "from" => Ok(Test::From(d)),
                Some(d) => Ok(Test::To(d)),
                None => err(token, i18n::f(M::FltDate, &[])),
            }
        }
        "hours" => match raw.replace(',', ".").parse::<f64>().ok().and_then(Hours::from_f64) {
            Some(h) => Ok(Test::Hours(op, h)),
            None => err(token, i18n::f(M::FltHours, &[])),
        },
        _ => err(
            token,
            i18n::f(M::FltUnknownField, &[&field, &field_names(Table::Participant)]),
        ),
    }
}

/// The fields a pane takes, for error messages, in the interface's language.
fn field_names(table: Table) -> String {
    FIELDS
        .iter()
        .map(|(c, _)| *c)
        .filter(|c| applies(c, table))
        .map(field_label)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Filter {
    /// Parses `expr` for the pane of `table`.
    pub fn parse(expr: &str, table: Table, m: &Model) -> Result<Filter, FilterError> {
        let mut f = Filter {
            table,
            clauses: Vec::new(),
            text: Vec::new(),
            not_text: Vec::new(),
            narrows: true,
        };
        for token in expr.split_whitespace() {
            let (negate, body) = match token.strip_prefix('-') {
                Some(rest) if !rest.is_empty() => (true, rest),
                _ => (false, token),
            };
            let split = body.find([':', '<', '>', '=']);
            let Some(at) = split else {
                let t = terms(body);
                // Terms under 3 letters match differently (word starts only, no fuzzy), so
                // growing one is not a narrowing.
                if negate || t.iter().any(|t| !t.fuzzy_ok()) {
                    f.narrows = false;
                }
                if negate {
                    f.not_text.extend(t);
                } else {
                    f.text.extend(t);
                }
                continue;
            };
            let name = super::fold(&body[..at]);
            let rest = &body[at..];
            let (op, value) = if let Some(v) = rest.strip_prefix("<=") {
                (Cmp::Le, v)
            } else if let Some(v) = rest.strip_prefix(">=") {
                (Cmp::Ge, v)
            } else if let Some(v) = rest.strip_prefix('<') {
                (Cmp::Lt, v)
            } else if let Some(v) = rest.strip_prefix('>') {
                (Cmp::Gt, v)
            } else {
                (Cmp::Eq, &rest[1..])
            };
            let Some((field, _)) = FIELDS.iter().find(|(_, names)| names.contains(&name.as_str())) else {
                return err(token, i18n::f(M::FltUnknownField, &[&&body[..at], &field_names(table)]));
            };
            if !applies(field, table) {
                return err(
                    token,
                    i18n::f(M::FltNotHere, &[&field_label(field), &field_names(table)]),
                );
            }
            let test = parse_value(m, field, op, value, token)?;
            // Comparisons and negations do not shrink as they are typed ("hours<3" -> "<36").
            if negate || matches!(test, Test::Hours(..) | Test::From(_) | Test::To(_)) {
                f.narrows = false;
            }
            f.clauses.push(Clause { negate, test });
        }
        Ok(f)
    }

    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty() && self.text.is_empty() && self.not_text.is_empty()
    }

    /// The free-text terms (for highlighting).
    pub fn terms(&self) -> &[Term] {
        &self.text
    }

    fn holds(&self, m: &Model, id: u32, today: NaiveDate) -> bool {
        self.clauses
            .iter()
            .all(|c| test(m, self.table, id, &c.test, today) != c.negate)
            && (self.not_text.is_empty() || !self.not_text.iter().any(|t| text_hit(m, self.table, id, t)))
    }

    /// The matching ids among `among` (all when `None`): ranked by search score when there
    /// is free text on participants, else in the pane's order.
    pub fn apply(&self, m: &Model, among: Option<&[u32]>, today: NaiveDate) -> Vec<u32> {
        let base: Vec<u32> = match among {
            Some(ids) => ids.to_vec(),
            None => m.orders.get(self.table).to_vec(),
        };
        use rayon::prelude::*;
        let kept: Vec<u32> = if self.clauses.is_empty() && self.not_text.is_empty() {
            base
        } else {
            base.into_par_iter()
                .with_min_len(4096)
                .filter(|id| self.holds(m, *id, today))
                .collect()
        };
        if self.text.is_empty() {
            return kept;
        }
        if self.table == Table::Participant {
            // Scanning everyone in id order beats sorting a large candidate list by id. That is
            // only right when nothing but the text restricts: no clauses, no negated words (an
            // extension can then only match among the previous results anyway).
            let unrestricted = self.clauses.is_empty() && self.not_text.is_empty();
            let most = kept.len() * 2 > m.count(Table::Participant);
            let among = if unrestricted && (among.is_none() || most) {
                Among::All
            } else {
                Among::Ids(&kept)
            };
            return people::search(m, &self.text, among);
        }
        kept.into_iter()
            .filter(|id| self.text.iter().all(|t| text_hit(m, self.table, *id, t)))
            .collect()
    }
}

/// Whether a free-text term occurs in a record's main text (name, title, code).
fn text_hit(m: &Model, table: Table, id: u32, t: &Term) -> bool {
    let hay = match table {
        Table::Organisation => m.organisations.get(id).map(|o| format!("{} {}", o.name, o.short_name)),
        Table::Event => m.events.get(id).map(|e| format!("{} {}", e.title, e.place)),
        Table::Participant => m
            .participants
            .get(id)
            .map(|p| format!("{} {} {}", p.surname, p.given_name, p.email)),
        Table::Indicator => m.indicators.get(id).map(|i| format!("{} {}", i.code, i.title)),
        Table::Attendance => None,
    };
    hay.is_some_and(|h| t.find(super::fold(&h).as_bytes()).is_some())
}

fn in_mun(m: &Model, org: Option<OrgId>, muns: &[OrgId]) -> bool {
    org.and_then(|o| m.municipality_of(o))
        .is_some_and(|x| muns.contains(&x))
}

fn test(m: &Model, table: Table, id: u32, t: &Test, today: NaiveDate) -> bool {
    match table {
        Table::Organisation => {
            let Some(o) = m.organisations.get(id) else { return false };
            match t {
                Test::Kind(k) => k.contains(&o.kind),
                Test::Municipality(ms) => in_mun(m, Some(o.id), ms),
                Test::Partner(b) => o.partner == *b,
                Test::Stage(st) => st.contains(&o.stage()),
                _ => false,
            }
        }
        Table::Event => {
            let Some(e) = m.events.get(id) else { return false };
            match t {
                Test::Format(f) => f.contains(&e.format),
                Test::Activity(a) => a.contains(&e.activity),
                Test::Status(s) => s.contains(&e.status),
                Test::Municipality(ms) => in_mun(m, e.organiser, ms),
                Test::Org(os) => e.organiser.is_some_and(|o| os.contains(&o)),
                Test::Online(b) => e.online == *b,
                Test::From(d) => e.start.date() >= *d,
                Test::To(d) => e.start.date() <= *d,
                Test::Hours(c, h) => c.holds(e.hours, *h),
                _ => false,
            }
        }
        Table::Participant => {
            let Some(p) = m.participants.get(id) else { return false };
            match t {
                Test::Role(r) => r.contains(&p.role),
                Test::Gender(g) => p.gender.is_some_and(|x| g.contains(&x)),
                Test::Municipality(ms) => in_mun(m, p.institution, ms),
                Test::Org(os) => p.institution.is_some_and(|o| os.contains(&o)),
                Test::Hours(c, h) => c.holds(m.hours_last_3_years(p.id, today), *h),
                _ => false,
            }
        }
        Table::Indicator => {
            let Some(i) = m.indicators.get(id) else { return false };
            match t {
                Test::Unit(u) => u.contains(&i.unit),
                _ => false,
            }
        }
        Table::Attendance => false,
    }
}

/// Whether `new` only narrows `old` (both parsed with `narrows`): the same tokens, the last
/// one possibly longer but of the same sort. "berz" -> "berzi" narrows; "role" (free text)
/// -> "role:m" (a field) does not.
pub fn extends(old: &str, new: &str) -> bool {
    let is_field = |t: &str| t.contains([':', '<', '>', '=']);
    let old_t: Vec<&str> = old.split_whitespace().collect();
    let new_t: Vec<&str> = new.split_whitespace().collect();
    let Some((last, done)) = old_t.split_last() else {
        return false;
    };
    if new_t.len() < old_t.len() || !new.starts_with(old) {
        return false;
    }
    let same_before = done.iter().zip(&new_t).all(|(a, b)| a == b);
    let grown = new_t[done.len()];
    let last_ok = if old.ends_with(char::is_whitespace) {
        grown == *last
    } else {
        grown.starts_with(last) && is_field(last) == is_field(grown)
    };
    same_before && last_ok
}

/// Field names in the interface language, for the help line.
pub fn help_fields(lang: Lang, table: Table) -> String {
    FIELDS
        .iter()
        .filter(|(c, _)| applies(c, table))
        .map(|(c, _)| match lang {
            Lang::En => (*c).to_string(),
            Lang::Lv => latvian_name(c).to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests;
