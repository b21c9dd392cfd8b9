//! Events: seminars, trainings, masterclasses... with their time (Riga wall clock), hours,
//! place, organiser, target groups and status.

use super::base::{EventId, Hours, Meta, OrgId, Text};
use super::kinds::{Activity, EventFormat, EventStatus, Role};
use super::validate::{Errors, MAX_NAME, MAX_NOTE, Problem};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: EventId,
    pub title: Text,
    pub format: EventFormat,
    pub activity: Activity,
    /// Start, Europe/Riga wall-clock time.
    pub start: NaiveDateTime,
    /// End, Europe/Riga wall-clock time; not before the start.
    pub end: NaiveDateTime,
    /// Academic hours credited to an attendee by default.
    pub hours: Hours,
    /// Address or town; empty when online.
    pub place: Text,
    pub online: bool,
    pub organiser: Option<OrgId>,
    pub target_groups: Vec<Role>,
    pub capacity: Option<u32>,
    pub status: EventStatus,
    pub notes: Text,
    pub meta: Meta,
}

impl Event {
    /// A new, unsaved, planned event.
    pub fn new(title: &str, format: EventFormat, start: NaiveDateTime, end: NaiveDateTime, hours: Hours) -> Event {
        Event {
            id: EventId(0),
            title: super::clean(title),
            format,
            activity: Activity::Municipal,
            start,
            end,
            hours,
            place: Text::default(),
            online: false,
            organiser: None,
            target_groups: Vec::new(),
            capacity: None,
            status: EventStatus::Planned,
            notes: Text::default(),
            meta: Meta::unsaved(),
        }
    }

    pub fn validate(&self) -> Result<(), Errors> {
        let mut e = Errors::default();
        e.text("title", &self.title, true, MAX_NAME);
        if self.end < self.start {
            e.push("end", Problem::EndBeforeStart);
        }
        e.text("place", &self.place, false, MAX_NAME);
        e.text("notes", &self.notes, false, MAX_NOTE);
        e.into_result()
    }
}
