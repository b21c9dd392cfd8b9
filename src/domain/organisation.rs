//! Organisations: municipalities, agencies, education boards, schools, companies, and the
//! partner facts about them: the register of partnership documents (invitation, council
//! decision, confirmation, funding decision, agreement, amendments), funding and teachers
//! per year, the partner's own period and the founder.

use super::base::{Meta, OrgId, Text};
use super::field::Field;
use super::kinds::{DocKind, DocStatus, OrgKind};
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
    /// Yearly partner funding in euro cents (as the decision names it).
    pub yearly_funding_cents: Option<i64>,
    pub notes: Text,
    pub meta: Meta,
    /// Who founded it (a ministry for state technical schools), apart from `parent`, the
    /// municipality it is located in.
    pub founder: Option<OrgId>,
    /// The partner's own project period (e.g. 2025-07-01..2029-08-31).
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    /// The partnership documents, oldest first.
    pub documents: Vec<PartnerDoc>,
    /// Funding and teachers per year, by year.
    pub years: Vec<PartnerYear>,
}

/// One partnership document: a step of the partnership with its status and file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartnerDoc {
    pub kind: DocKind,
    pub status: DocStatus,
    pub number: Text,
    pub date: Option<NaiveDate>,
    /// A council decision's protocol number and paragraph (§).
    pub protocol: Text,
    pub paragraph: Text,
    /// The parties of an agreement (e.g. "VIAA, LNKC").
    pub parties: Text,
    /// Where the document is kept (a path or a register reference).
    pub file: Text,
    pub note: Text,
}

impl PartnerDoc {
    /// A document of `kind` with `status`, nothing else filled in.
    pub fn new(kind: DocKind, status: DocStatus) -> PartnerDoc {
        PartnerDoc {
            kind,
            status,
            number: Text::default(),
            date: None,
            protocol: Text::default(),
            paragraph: Text::default(),
            parties: Text::default(),
            file: Text::default(),
            note: Text::default(),
        }
    }
}

/// A partner's figures for one calendar year (euro cents; `None`: not known).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PartnerYear {
    pub year: i32,
    pub planned_cents: Option<i64>,
    pub received_cents: Option<i64>,
    pub spent_cents: Option<i64>,
    /// Pre-financing the founder owes (e.g. Daugavpils for SAULES SKOLA).
    pub prefinancing_cents: Option<i64>,
    /// Teachers at the partner (the documents allocate funding by it).
    pub teachers: Option<u32>,
}

/// How far a partnership has come: the furthest status of its documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    None,
    Planned,
    Draft,
    Decided,
    Signed,
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl Stage {
    pub const ALL: &'static [Stage] = &[Stage::None, Stage::Planned, Stage::Draft, Stage::Decided, Stage::Signed];
    /// The stable code (`stage:signed`).
    pub fn code(self) -> &'static str {
        match self {
            Stage::None => "none",
            Stage::Planned => "planned",
            Stage::Draft => "draft",
            Stage::Decided => "decided",
            Stage::Signed => "signed",
        }
    }
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
            yearly_funding_cents: None,
            notes: Text::default(),
            meta: Meta::unsaved(),
            founder: None,
            period_from: None,
            period_to: None,
            documents: Vec::new(),
            years: Vec::new(),
        }
    }

    /// The stage of the partnership: signed once an agreement (or amendment) is signed,
    /// else decided once a decision is taken, else draft or planned.
    pub fn stage(&self) -> Stage {
        self.documents
            .iter()
            .map(|d| match (d.status, d.kind) {
                (DocStatus::Signed, DocKind::CooperationAgreement | DocKind::Amendment) => Stage::Signed,
                (DocStatus::Signed | DocStatus::Decided, _) => Stage::Decided,
                (DocStatus::Draft, _) => Stage::Draft,
                (DocStatus::Planned, _) => Stage::Planned,
            })
            .max()
            .unwrap_or(Stage::None)
    }

    /// The cooperation agreement, if the register holds one.
    pub fn agreement(&self) -> Option<&PartnerDoc> {
        self.documents.iter().find(|d| d.kind == DocKind::CooperationAgreement)
    }

    /// Sets the cooperation agreement's number and date (as the form edits them): signed
    /// when dated, planned when only numbered; both empty removes an agreement that has
    /// nothing else recorded.
    pub fn set_agreement(&mut self, number: Text, date: Option<NaiveDate>) {
        let pos = self
            .documents
            .iter()
            .position(|d| d.kind == DocKind::CooperationAgreement);
        match pos {
            Some(i) if number.is_empty() && date.is_none() => {
                let d = &self.documents[i];
                if d.file.is_empty() && d.parties.is_empty() && d.note.is_empty() {
                    self.documents.remove(i);
                } else {
                    self.documents[i].number = number;
                    self.documents[i].date = None;
                }
            }
            Some(i) => {
                let d = &mut self.documents[i];
                d.number = number;
                d.date = date;
                if date.is_some() {
                    d.status = DocStatus::Signed;
                }
            }
            None if number.is_empty() && date.is_none() => {}
            None => {
                let status = if date.is_some() {
                    DocStatus::Signed
                } else {
                    DocStatus::Planned
                };
                let mut d = PartnerDoc::new(DocKind::CooperationAgreement, status);
                d.number = number;
                d.date = date;
                self.documents.push(d);
            }
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
        e.text(Field::Name, &self.name, true, MAX_NAME);
        e.text(Field::ShortName, &self.short_name, false, MAX_NAME);
        if self.parent == Some(self.id) && self.id != OrgId(0) {
            e.push(Field::Parent, Problem::OwnParent);
        }
        e.text(Field::RegNo, &self.reg_no, false, MAX_SHORT);
        e.text(Field::Address, &self.address, false, MAX_NAME);
        e.text(Field::ContactPerson, &self.contact_person, false, MAX_NAME);
        e.phone(Field::Phone, &self.phone);
        e.email(Field::Email, &self.email);
        if self.yearly_funding_cents.is_some_and(|c| c < 0) {
            e.push(Field::YearlyFundingEur, Problem::BadNumber);
        }
        if self.founder == Some(self.id) && self.id != OrgId(0) {
            e.push(Field::Founder, Problem::OwnParent);
        }
        if let (Some(a), Some(b)) = (self.period_from, self.period_to)
            && b < a
        {
            e.push(Field::PeriodTo, Problem::EndBeforeStart);
        }
        for d in &self.documents {
            for t in [&d.number, &d.protocol, &d.paragraph, &d.parties, &d.file] {
                e.text(Field::Documents, t, false, MAX_NAME);
            }
            e.text(Field::Documents, &d.note, false, MAX_NOTE);
        }
        let money = |c: Option<i64>| c.is_some_and(|c| c < 0);
        if self.years.iter().any(|y| {
            money(y.planned_cents) || money(y.received_cents) || money(y.spent_cents) || money(y.prefinancing_cents)
        }) {
            e.push(Field::Years, Problem::BadNumber);
        }
        e.text(Field::Notes, &self.notes, false, MAX_NOTE);
        e.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stage_is_the_furthest_step_and_a_decision_is_not_an_agreement() {
        let mut o = Organisation::new("Ludzas novada pašvaldība", OrgKind::Municipality);
        assert_eq!(o.stage(), Stage::None);
        o.documents
            .push(PartnerDoc::new(DocKind::CooperationAgreement, DocStatus::Planned));
        assert_eq!(o.stage(), Stage::Planned);
        o.documents
            .push(PartnerDoc::new(DocKind::CouncilDecision, DocStatus::Decided));
        assert_eq!(o.stage(), Stage::Decided, "a decision, the agreement still planned");
        assert!(o.agreement().is_some_and(|d| d.date.is_none()));
        o.set_agreement("1-2/3".into(), NaiveDate::from_ymd_opt(2025, 4, 16));
        assert_eq!(o.stage(), Stage::Signed);
        assert_eq!(o.documents.len(), 2, "the agreement was updated, not added");
        o.set_agreement(Text::default(), None);
        assert_eq!(o.stage(), Stage::Decided, "an empty agreement is removed");
        let mut bad = o.clone();
        bad.period_from = NaiveDate::from_ymd_opt(2029, 8, 31);
        bad.period_to = NaiveDate::from_ymd_opt(2025, 7, 1);
        assert!(bad.validate().is_err());
    }
}
