//! Events: seminars, trainings, masterclasses... with their time (Riga wall clock), hours,
//! place, organiser, target groups and status.

use super::base::{EventId, Hours, Meta, OrgId, Text};
use super::field::Field;
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

/// Minutes in an academic hour, the unit of an event's hours.
pub const ACADEMIC_HOUR_MINUTES: i64 = 45;

/// The most hours a one-day event from `start` to `end` can credit (its length in
/// academic hours); `None` for an event over several days (its hours are not checked).
pub fn max_hours(start: NaiveDateTime, end: NaiveDateTime) -> Option<Hours> {
    if start.date() != end.date() || end < start {
        return None;
    }
    let tenths = (end - start).num_minutes() * 10 / ACADEMIC_HOUR_MINUTES;
    Some(Hours(tenths.clamp(0, u16::MAX as i64) as u16))
}

/// The hours a new one-day event is given from its times: its length in whole academic
/// hours (in tenths when shorter than one); the coordinator lowers them for breaks.
pub fn default_hours(start: NaiveDateTime, end: NaiveDateTime) -> Option<Hours> {
    let max = max_hours(start, end)?;
    Some(if max.0 >= 10 { Hours(max.0 / 10 * 10) } else { max })
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
        e.text(Field::Title, &self.title, true, MAX_NAME);
        if self.end < self.start {
            e.push(Field::End, Problem::EndBeforeStart);
        } else if max_hours(self.start, self.end).is_some_and(|max| self.hours > max) {
            e.push(Field::Hours, Problem::HoursOverLength);
        }
        e.text(Field::Place, &self.place, false, MAX_NAME);
        e.text(Field::Notes, &self.notes, false, MAX_NOTE);
        e.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: u32, m: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 2)
            .and_then(|d| d.and_hms_opt(h, m, 0))
            .expect("time")
    }

    #[test]
    fn hours_are_checked_against_a_one_day_event_s_length() {
        // 10:00–16:00 is 8 academic hours; 10:00–12:00 is 2.6.
        assert_eq!(max_hours(at(10, 0), at(16, 0)), Some(Hours(80)));
        assert_eq!(default_hours(at(10, 0), at(12, 0)), Some(Hours(20)));
        assert_eq!(default_hours(at(10, 0), at(10, 30)), Some(Hours(6)));
        let mut e = Event::new("S", EventFormat::Seminar, at(10, 0), at(12, 0), Hours(40));
        let err = e.validate().expect_err("4 h in 2 clock hours");
        assert_eq!(err.0[0].field, Field::Hours);
        e.hours = Hours(26);
        assert!(e.validate().is_ok());
        // Several days: not checked.
        e.end = at(12, 0) + chrono::Duration::days(2);
        e.hours = Hours(400);
        assert!(e.validate().is_ok());
    }
}
