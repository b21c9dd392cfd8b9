//! Attendance: one participant at one event, with status, check-in time and who checked
//! them in, and the hours credited.

use super::base::{AttendanceId, EventId, Hours, Meta, ParticipantId, Stamp, UserId};
use super::kinds::AttendanceStatus;
use super::validate::Errors;
use serde::{Deserialize, Serialize};

/// Kept small on purpose: there are millions of these (40 bytes each in memory).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attendance {
    pub id: AttendanceId,
    pub event: EventId,
    pub participant: ParticipantId,
    pub status: AttendanceStatus,
    pub checked_in_at: Option<Stamp>,
    pub checked_in_by: Option<UserId>,
    /// Hours credited; `None` means the event's hours.
    pub hours: Option<Hours>,
    pub meta: Meta,
}

impl Attendance {
    /// A new, unsaved attendance row.
    pub fn new(event: EventId, participant: ParticipantId, status: AttendanceStatus) -> Attendance {
        Attendance {
            id: AttendanceId(0),
            event,
            participant,
            status,
            checked_in_at: None,
            checked_in_by: None,
            hours: None,
            meta: Meta::unsaved(),
        }
    }

    pub fn validate(&self) -> Result<(), Errors> {
        Errors::default().into_result()
    }

    /// Hours credited for this attendance, given its event's hours; only attended counts.
    pub fn credited(&self, event_hours: Hours) -> Hours {
        if self.status == AttendanceStatus::Attended {
            self.hours.unwrap_or(event_hours)
        } else {
            Hours(0)
        }
    }
}
