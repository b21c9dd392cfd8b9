//! Organisations: municipalities, agencies, education boards, schools, companies, and the
//! partner facts about them (agreement, yearly funding).

use super::base::{Meta, OrgId, Text};
use super::kinds::OrgKind;
use super::validate::{Errors, MAX_NAME, MAX_NOTE, MAX_SHORT, Problem};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: OrgId,
    pub name: Text,
    pub short_name: Text,
    pub kind: OrgKind,
    /// The organisation this one belongs to (a school's municipality).
    pub parent: Option<OrgId>,
    pub reg_no: Text,
    pub address: Text,
    pub contact_person: Text,
    pub phone: Text,
    pub email: Text,
    pub partner: bool,
    pub agreement_date: Option<NaiveDate>,
    pub agreement_no: Text,
    /// Yearly partner funding in euro cents.
    pub yearly_funding_cents: Option<i64>,
    pub notes: Text,
    pub meta: Meta,
}

impl Organisation {
    /// A new, unsaved organisation with only a name and kind.
    pub fn new(name: &str, kind: OrgKind) -> Organisation {
        Organisation {
            id: OrgId(0),
            name: super::clean(name),
            short_name: Text::default(),
            kind,
            parent: None,
            reg_no: Text::default(),
            address: Text::default(),
            contact_person: Text::default(),
            phone: Text::default(),
            email: Text::default(),
            partner: false,
            agreement_date: None,
            agreement_no: Text::default(),
            yearly_funding_cents: None,
            notes: Text::default(),
            meta: Meta::unsaved(),
        }
    }

    /// The short name when there is one, else the full name.
    pub fn label(&self) -> &str {
        if self.short_name.is_empty() {
            &self.name
        } else {
            &self.short_name
        }
    }

    pub fn validate(&self) -> Result<(), Errors> {
        let mut e = Errors::default();
        e.text("name", &self.name, true, MAX_NAME);
        e.text("short_name", &self.short_name, false, MAX_NAME);
        if self.parent == Some(self.id) && self.id != OrgId(0) {
            e.push("parent", Problem::OwnParent);
        }
        e.text("reg_no", &self.reg_no, false, MAX_SHORT);
        e.text("address", &self.address, false, MAX_NAME);
        e.text("contact_person", &self.contact_person, false, MAX_NAME);
        e.phone("phone", &self.phone);
        e.email("email", &self.email);
        e.text("agreement_no", &self.agreement_no, false, MAX_NAME);
        if self.yearly_funding_cents.is_some_and(|c| c < 0) {
            e.push("yearly_funding_eur", Problem::BadNumber);
        }
        e.text("notes", &self.notes, false, MAX_NOTE);
        e.into_result()
    }
}
