//! Participants: the people who attend events. The minimum needed for the project's
//! reporting; deliberately no personal code.

use super::base::{Meta, OrgId, ParticipantId, Text};
use super::kinds::{Gender, Role};
use super::validate::{Errors, MAX_NAME, MAX_NOTE};
use serde::{Deserialize, Serialize};

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

    /// "Given Surname".
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.surname)
    }

    pub fn validate(&self) -> Result<(), Errors> {
        let mut e = Errors::default();
        e.text("given_name", &self.given_name, true, MAX_NAME);
        e.text("surname", &self.surname, true, MAX_NAME);
        e.email("email", &self.email);
        e.phone("phone", &self.phone);
        for s in &self.subjects {
            e.text("subjects", s, true, MAX_NAME);
        }
        e.text("notes", &self.notes, false, MAX_NOTE);
        e.into_result()
    }
}
