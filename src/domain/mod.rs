//! The pure domain: record types, vocabularies and validation. Knows nothing of sled, the
//! terminal or files; everything else builds on it.

pub mod attendance;
pub mod base;
pub mod collate;
pub mod event;
pub mod field;
pub mod fold;
pub mod indicator;
pub mod kinds;
pub mod organisation;
pub mod parse;
pub mod participant;
pub mod refs;
pub mod text;
pub mod validate;

pub use attendance::Attendance;
pub use base::*;
pub use event::Event;
pub use field::Field;
pub use indicator::{Basis, Definition, Denominator, FigureSource, Indicator, ManualValue, OfficialCount, Scope};
pub use kinds::*;
pub use organisation::{Organisation, PartnerDoc, PartnerYear, Stage};
pub use participant::Participant;
pub use refs::References;
pub use text::{strip_hidden, visible};
pub use validate::{Errors, FieldError, Problem};

use serde::{Deserialize, Serialize, de::DeserializeOwned};

/// The five kinds of record, each kept in its own table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Table {
    Organisation,
    Event,
    Participant,
    Attendance,
    Indicator,
}

impl Table {
    pub const ALL: [Table; 5] = [
        Table::Organisation,
        Table::Event,
        Table::Participant,
        Table::Attendance,
        Table::Indicator,
    ];
    /// Plural code used by the CLI (`atbalsts list organisations`) and JSON.
    pub fn plural(self) -> &'static str {
        match self {
            Table::Organisation => "organisations",
            Table::Event => "events",
            Table::Participant => "participants",
            Table::Attendance => "attendance",
            Table::Indicator => "indicators",
        }
    }
}

/// What every stored record offers the store and the model.
pub trait Record:
    refs::References + Clone + std::fmt::Debug + Serialize + DeserializeOwned + Send + Sync + 'static
{
    const TABLE: Table;
    fn raw_id(&self) -> u32;
    fn set_raw_id(&mut self, id: u32);
    fn meta(&self) -> &Meta;
    fn meta_mut(&mut self) -> &mut Meta;
    fn check(&self) -> Result<(), Errors>;
    fn wrap(self) -> AnyRecord;
}

macro_rules! record_impl {
    ($ty:ident, $id:ident, $table:ident) => {
        impl Record for $ty {
            const TABLE: Table = Table::$table;
            fn raw_id(&self) -> u32 {
                self.id.0
            }
            fn set_raw_id(&mut self, id: u32) {
                self.id = $id(id);
            }
            fn meta(&self) -> &Meta {
                &self.meta
            }
            fn meta_mut(&mut self) -> &mut Meta {
                &mut self.meta
            }
            fn check(&self) -> Result<(), Errors> {
                self.validate()
            }
            fn wrap(self) -> AnyRecord {
                AnyRecord::$table(self)
            }
        }
    };
}
record_impl!(Organisation, OrgId, Organisation);
record_impl!(Event, EventId, Event);
record_impl!(Participant, ParticipantId, Participant);
record_impl!(Attendance, AttendanceId, Attendance);
record_impl!(Indicator, IndicatorId, Indicator);

/// Any one record, as carried by commands and changes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnyRecord {
    Organisation(Organisation),
    Event(Event),
    Participant(Participant),
    Attendance(Attendance),
    Indicator(Indicator),
}

/// Runs `$body` with `$x` bound to the record inside any variant.
macro_rules! on_any {
    ($r:expr, $x:ident => $body:expr) => {
        match $r {
            AnyRecord::Organisation($x) => $body,
            AnyRecord::Event($x) => $body,
            AnyRecord::Participant($x) => $body,
            AnyRecord::Attendance($x) => $body,
            AnyRecord::Indicator($x) => $body,
        }
    };
}

impl AnyRecord {
    /// The defaults of a new record of `table` (an attendance row at `event`, when given;
    /// an event on `today` at 10:00): what a new form starts from, and what a list's
    /// column names are taken from when it has no rows.
    pub fn blank(table: Table, event: Option<EventId>, today: chrono::NaiveDate) -> AnyRecord {
        let ten = today.and_hms_opt(10, 0, 0).unwrap_or_default();
        match table {
            Table::Organisation => AnyRecord::Organisation(Organisation::new("", OrgKind::School)),
            Table::Event => AnyRecord::Event(Event::new("", EventFormat::Seminar, ten, ten, Hours(40))),
            Table::Participant => AnyRecord::Participant(Participant::new("", "", Role::Teacher, None)),
            Table::Attendance => AnyRecord::Attendance(Attendance::new(
                event.unwrap_or(EventId(0)),
                ParticipantId(0),
                AttendanceStatus::Registered,
            )),
            Table::Indicator => AnyRecord::Indicator(Indicator {
                id: IndicatorId(0),
                code: Text::default(),
                title: Text::default(),
                unit: Unit::Count,
                baseline: 0.0,
                target: 0.0,
                deadline: None,
                definition: Definition::Manual,
                values: Vec::new(),
                notes: Text::default(),
                meta: Meta::unsaved(),
                basis: Basis::default(),
            }),
        }
    }

    pub fn table(&self) -> Table {
        on_any!(self, r => record_table(r))
    }
    pub fn raw_id(&self) -> u32 {
        on_any!(self, r => r.raw_id())
    }
    pub fn set_raw_id(&mut self, id: u32) {
        on_any!(self, r => r.set_raw_id(id))
    }
    pub fn meta(&self) -> &Meta {
        on_any!(self, r => r.meta())
    }
    pub fn meta_mut(&mut self) -> &mut Meta {
        on_any!(self, r => r.meta_mut())
    }
    /// Validates the record's fields.
    pub fn check(&self) -> Result<(), Errors> {
        on_any!(self, r => r.check())
    }
}

fn record_table<T: Record>(_: &T) -> Table {
    T::TABLE
}

/// A kind of file this program writes that holds people's data (an erasure names those
/// written since the person was added as possibly still holding them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Backup,
    Export,
    Sheet,
}

/// The project the database is about (one per database).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub name: Text,
    pub number: Text,
    pub start: Option<chrono::NaiveDate>,
    pub end: Option<chrono::NaiveDate>,
    pub funding_total_cents: i64,
    pub funding_esf_cents: i64,
    pub funding_state_cents: i64,
    pub lead: Option<OrgId>,
    pub notes: Text,
    /// Project-wide rules every coordinator must see the same (stored under their own key:
    /// see `store`).
    #[serde(default)]
    pub settings: Settings,
}

/// Project-wide settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Seminars and conferences count at most this many hours in the 3-year professional
    /// development ledger (`None`: no cap).
    pub seminar_hours_cap: Option<Hours>,
    /// The national number of education institutions (the denominator "no izglītības
    /// iestāžu kopskaita" of indicators 2 and 10), entered by the coordinator.
    pub institutions: Option<OfficialCount>,
    /// The partner on whose behalf reports are made (their header); else the lead.
    pub reporting_partner: Option<OrgId>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            seminar_hours_cap: Some(Hours(120)),
            institutions: None,
            reporting_partner: None,
        }
    }
}

impl Settings {
    /// Event formats whose hours the cap limits.
    pub const CAPPED: [EventFormat; 2] = [EventFormat::Seminar, EventFormat::Conference];
}
