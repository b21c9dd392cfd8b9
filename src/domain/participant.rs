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
    ///
    /// Every field is named below, so a field added to [`Participant`] does not compile here
    /// until it is decided whether an erasure keeps it.
    pub fn erased(&self) -> Participant {
        let Participant {
            id,
            given_name: _,
            surname: _,
            email: _,
            phone: _,
            institution,
            role,
            subjects: _,
            gender,
            notes: _,
            meta,
        } = self;
        Participant {
            id: *id,
            given_name: Text::from(ERASED),
            surname: Text::from(ERASED),
            email: Text::default(),
            phone: Text::default(),
            institution: *institution,
            role: *role,
            subjects: Vec::new(),
            gender: *gender,
            notes: Text::default(),
            meta: *meta,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::base::{Stamp, UserId};

    /// A participant with every field filled in.
    fn everything() -> Participant {
        let mut p = Participant::new("Anna", "Bērziņa", Role::Teacher, Some(OrgId(7)));
        p.id = ParticipantId(42);
        p.email = "anna.berzina@skola.lv".into();
        p.phone = "+371 29123456".into();
        p.subjects = vec!["matemātika".into(), "fizika".into()];
        p.gender = Some(Gender::Female);
        p.notes = "vegetāriete; atnāk ar bērnu".into();
        let at = chrono::DateTime::from_timestamp(1_700_000_000, 0).expect("a time");
        p.meta = Meta::new(Stamp::from_utc(at), UserId(3));
        p
    }

    #[test]
    fn an_erasure_clears_every_personal_field_and_keeps_only_what_the_indicators_count() {
        let p = everything();
        let e = p.erased();
        // Cleared: who the person is and anything written about them.
        assert_eq!((e.given_name.as_str(), e.surname.as_str()), (ERASED, ERASED));
        assert_eq!(e.email, "", "email");
        assert_eq!(e.phone, "", "phone");
        assert_eq!(e.subjects, Vec::<Text>::new(), "subjects");
        assert_eq!(e.notes, "", "notes");
        // Kept: the record's identity and version, and what the indicators break down by.
        assert_eq!(e.id, p.id);
        assert_eq!(e.meta, p.meta);
        assert_eq!(e.role, p.role);
        assert_eq!(e.institution, p.institution);
        assert_eq!(e.gender, p.gender);
        // Nothing of the person's text is anywhere in the erased record.
        let stored = serde_json::to_string(&e).expect("json");
        for personal in [
            "Anna",
            "Bērziņa",
            "anna.berzina",
            "29123456",
            "matemātika",
            "fizika",
            "vegetāriete",
        ] {
            assert!(!stored.contains(personal), "{personal} is still in {stored}");
        }
        assert!(e.is_erased() && !p.is_erased());
        assert_eq!(e.erased(), e, "erasing twice changes nothing more");
    }

    /// A dash typed for a name that is not known is not an erasure: only both names and no
    /// contact are (an erased record is hidden from lists, duplicates and retention).
    #[test]
    fn a_dash_for_one_name_is_not_an_erased_person() {
        for (given, surname) in [("Anna", ERASED), (ERASED, "Bērziņa")] {
            let p = Participant::new(given, surname, Role::Teacher, None);
            assert!(!p.is_erased(), "{given} {surname}");
        }
        let mut e = everything().erased();
        e.phone = "+371 29123456".into();
        assert!(!e.is_erased(), "a phone number given again");
    }
}
