//! Participants: the people who attend events. The minimum needed for the project's
//! reporting; deliberately no personal code.

use super::base::{Meta, OrgId, ParticipantId, Text};
use super::field::Field;
use super::kinds::{Gender, Role};
use super::validate::{Errors, MAX_NAME, MAX_NOTE};
use serde::{Deserialize, Serialize};

/// The name left on an erased person's record (see [`Participant::erased`]).
pub const ERASED: &str = "—";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    pub id: ParticipantId,
    pub given_name: Text,
    pub surname: Text,
    pub email: Text,
    pub phone: Text,
    /// Where the person works or studies.
    pub institution: Option<OrgId>,
    pub role: Role,
    pub subjects: Vec<Text>,
    pub gender: Option<Gender>,
    pub notes: Text,
    pub meta: Meta,
}

impl Participant {
    /// A new, unsaved participant.
    pub fn new(given_name: &str, surname: &str, role: Role, institution: Option<OrgId>) -> Participant {
        Participant {
            id: ParticipantId(0),
            given_name: super::clean(given_name),
            surname: super::clean(surname),
            email: Text::default(),
            phone: Text::default(),
            institution,
            role,
            subjects: Vec::new(),
            gender: None,
            notes: Text::default(),
            meta: Meta::unsaved(),
        }
    }

    /// What stays of a person who asked to be forgotten but attended events: no name, no
    /// contact, no notes or subjects; only what the indicators count (role, institution,
    /// gender), so the project's totals do not change. Both names become [`ERASED`].
    pub fn erased(&self) -> Participant {
        Participant {
            id: self.id,
            given_name: Text::from(ERASED),
            surname: Text::from(ERASED),
            email: Text::default(),
            phone: Text::default(),
            institution: self.institution,
            role: self.role,
            subjects: Vec::new(),
            gender: self.gender,
            notes: Text::default(),
            meta: self.meta,
        }
    }

    /// Whether this is what [`Participant::erased`] left.
    pub fn is_erased(&self) -> bool {
        self.given_name == ERASED && self.surname == ERASED && self.email.is_empty() && self.phone.is_empty()
    }

    /// "Given Surname".
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.surname)
    }

    pub fn validate(&self) -> Result<(), Errors> {
        let mut e = Errors::default();
        e.text(Field::GivenName, &self.given_name, true, MAX_NAME);
        e.text(Field::Surname, &self.surname, true, MAX_NAME);
        e.email(Field::Email, &self.email);
        e.phone(Field::Phone, &self.phone);
        for s in &self.subjects {
            e.text(Field::Subjects, s, true, MAX_NAME);
        }
        e.text(Field::Notes, &self.notes, false, MAX_NOTE);
        e.into_result()
    }
}
