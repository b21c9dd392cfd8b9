//! Result indicators: targets and deadlines with either a computed definition over the data
//! or values entered by hand. The computation lives in `indicators`, not here.

use super::base::{EventId, IndicatorId, Meta, Text};
use super::field::Field;
use super::kinds::{Activity, EventFormat, OrgKind, Role, Unit};
use super::validate::{Errors, MAX_NAME, MAX_NOTE, MAX_SHORT, Problem};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub id: IndicatorId,
    pub code: Text,
    pub title: Text,
    pub unit: Unit,
    pub baseline: f64,
    pub target: f64,
    pub deadline: Option<NaiveDate>,
    pub definition: Definition,
    /// Values entered by hand, oldest first (manual indicators; history is kept).
    pub values: Vec<ManualValue>,
    pub notes: Text,
    pub meta: Meta,
    /// Where the target and baseline come from, and what a share is a share of.
    pub basis: Basis,
}

/// Where a figure (a target or a baseline) comes from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureSource {
    /// The documents give none: the figure is not reported as if it were official.
    #[default]
    NotGiven,
    /// Taken from the project's documents (which one, e.g. "MK 358; projekta apraksts").
    Documents { reference: Text },
    /// Set by the project: who set it and when.
    Project { by: Text, on: Option<NaiveDate> },
}

impl FigureSource {
    /// Whether a figure exists at all.
    pub fn given(&self) -> bool {
        !matches!(self, FigureSource::NotGiven)
    }
}

/// An official count used as a denominator ("no kopskaita"), with where and when it was
/// taken from; `assumed` marks a placeholder (sample data) that must be replaced.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OfficialCount {
    pub count: u32,
    pub source: Text,
    pub date: Option<NaiveDate>,
    #[serde(default)]
    pub assumed: bool,
}

/// What a share is a share of: the headline denominator, the one the document names.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Denominator {
    /// The organisations of the scope's kinds in the database.
    #[default]
    Database,
    /// A fixed official count (e.g. 43 municipalities).
    Fixed(OfficialCount),
    /// The national number of education institutions, a project setting.
    Institutions,
}

/// An indicator's reporting basis.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Basis {
    pub target: FigureSource,
    pub baseline: FigureSource,
    pub denominator: Denominator,
}

/// Which attendances count: organisations of these kinds, people in these roles, events of
/// these formats and activity lines, within a date window. An empty list means "any".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Scope {
    pub org_kinds: Vec<OrgKind>,
    pub roles: Vec<Role>,
    pub formats: Vec<EventFormat>,
    pub activities: Vec<Activity>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Report a share of all organisations of the kinds (true) or a count (false).
    pub share: bool,
    /// People in these roles never count (e.g. students for professional support).
    pub except_roles: Vec<Role>,
    /// Only these designated events count (empty: any event).
    pub events: Vec<EventId>,
    /// Only events of this programme count: titles starting with it, diacritics and case
    /// ignored (e.g. "Metodiķu un didaktiķu sagatavošana"); empty: any.
    pub programme: Text,
}

/// How an indicator's value is obtained.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Definition {
    /// Organisations with at least one attendance in scope.
    Coverage(Scope),
    /// Per calendar year of the window: organisations with at least one attendance in scope
    /// that year. The headline is the latest completed year (the current year "so far"
    /// until one is completed), so the value never collapses on 1 January.
    Regularity(Scope),
    /// Reached when an attendance in scope exists (`scope`), or when marked done by hand.
    Milestone {
        scope: Option<Scope>,
        done: Option<NaiveDate>,
    },
    /// Values entered by hand.
    Manual,
    /// The number of unique participants, events or organisations matching a filter
    /// expression of the filter language (`role:metodiķis mun:cēsis`); a person counts once.
    /// As of a date: events that started by then; hours filters counted as of then.
    /// (Stored by position: this variant must stay last, new ones go after it.)
    Count { table: super::Table, filter: Text },
}

/// A value entered by hand, with its date and a note.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManualValue {
    pub date: NaiveDate,
    pub value: f64,
    pub note: Text,
}

impl Indicator {
    pub fn validate(&self) -> Result<(), Errors> {
        let mut e = Errors::default();
        e.text(Field::Code, &self.code, true, MAX_SHORT);
        e.text(Field::Title, &self.title, true, MAX_NAME);
        if !self.target.is_finite() || !self.baseline.is_finite() {
            e.push(Field::Target, Problem::BadNumber);
        }
        if self.values.iter().any(|v| !v.value.is_finite()) {
            e.push(Field::Values, Problem::BadNumber);
        }
        e.text(Field::Notes, &self.notes, false, MAX_NOTE);
        if let Definition::Coverage(sc) | Definition::Regularity(sc) | Definition::Milestone { scope: Some(sc), .. } =
            &self.definition
        {
            e.text(Field::Programme, &sc.programme, false, MAX_NAME);
        }
        for (field, src) in [
            (Field::Target, &self.basis.target),
            (Field::Baseline, &self.basis.baseline),
        ] {
            match src {
                FigureSource::Documents { reference: t } | FigureSource::Project { by: t, .. } => {
                    e.text(field, t, false, MAX_NAME)
                }
                FigureSource::NotGiven => {}
            }
        }
        if let Denominator::Fixed(c) = &self.basis.denominator {
            e.text(Field::Of, &c.source, false, MAX_NAME);
        }
        if let Definition::Count { table, filter } = &self.definition {
            if !matches!(
                table,
                super::Table::Participant | super::Table::Event | super::Table::Organisation
            ) {
                e.push(Field::Definition, Problem::UnknownReference);
            }
            e.text(Field::Definition, filter, false, MAX_NOTE);
        }
        e.into_result()
    }

    /// The latest manual value on or before `date`.
    pub fn manual_value_at(&self, date: NaiveDate) -> Option<f64> {
        self.values
            .iter()
            .filter(|v| v.date <= date)
            .max_by_key(|v| v.date)
            .map(|v| v.value)
    }
}
