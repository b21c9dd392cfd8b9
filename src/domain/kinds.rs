//! The closed vocabularies of the domain (organisation kinds, event formats, roles, statuses)
//! with their stable snake_case codes. Display labels live in `i18n`, not here.

use serde::{Deserialize, Serialize};

macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $code:literal),* $(,)? }) => {
        $(#[$doc])*
        ///
        /// Stored by position: append new variants at the end only (see `store::codec`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $code)] $variant),*
        }
        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            /// The stable code used in files, the CLI and JSON.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }
            /// The value of a code (exact, as written in files).
            pub fn from_code(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)* _ => None }
            }
            /// Position in [`Self::ALL`].
            pub fn ordinal(self) -> usize {
                self as usize
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

code_enum!(
    /// What an organisation is.
    OrgKind {
        Municipality = "municipality",
        StateAgency = "state_agency",
        EducationBoard = "education_board",
        School = "school",
        VocationalSchool = "vocational_school",
        CompetenceCentre = "competence_centre",
        College = "college",
        Company = "company",
        Other = "other",
        Preschool = "preschool",
        InterestEducation = "interest_education",
        ProfessionalOrientation = "professional_orientation",
    }
);

impl OrgKind {
    /// Education institutions (target group 2 of MK 358: preschool, general, vocational,
    /// professional-orientation and interest education; indicators 2 and 10).
    pub fn is_institution(self) -> bool {
        matches!(
            self,
            OrgKind::School
                | OrgKind::VocationalSchool
                | OrgKind::CompetenceCentre
                | OrgKind::College
                | OrgKind::Preschool
                | OrgKind::InterestEducation
                | OrgKind::ProfessionalOrientation
        )
    }
}

code_enum!(
    /// The format of an event.
    EventFormat {
        Seminar = "seminar",
        Training = "training",
        Masterclass = "masterclass",
        LearningCommunity = "learning_community",
        Conference = "conference",
        Olympiad = "olympiad",
        Camp = "camp",
        ExperienceExchange = "experience_exchange",
        Other = "other",
        Session = "session",
        Workshop = "workshop",
        ScienceExhibition = "science_exhibition",
        Contest = "contest",
        YoungScientistsSchool = "young_scientists_school",
        Selection = "selection",
    }
);

code_enum!(
    /// The activity line of project 4.2.2.3 an event belongs to.
    Activity {
        Municipal = "1",
        School = "2",
        Networking = "3.1",
        Organising = "3.2",
        International = "3.3",
    }
);

code_enum!(
    /// Whether an event is still to come, took place, or was called off.
    EventStatus {
        Planned = "planned",
        Held = "held",
        Cancelled = "cancelled",
    }
);

code_enum!(
    /// A participant's role (target group 3 and 4 of MK 358).
    Role {
        Teacher = "teacher",
        LeadershipTeam = "leadership_team",
        Methodologist = "methodologist",
        Didactician = "didactician",
        LearningConsultant = "learning_consultant",
        Mentor = "mentor",
        SupportStaff = "support_staff",
        MunicipalEducationSpecialist = "municipal_education_specialist",
        IndustryExpert = "industry_expert",
        Student = "student",
        Other = "other",
        ConventRepresentative = "convent_representative",
        WorkBasedLearning = "work_based_learning",
        SupportSpecialist = "support_specialist",
    }
);

code_enum!(
    /// Gender, recorded only where the participant gave it (ESF+ breakdowns).
    Gender {
        Female = "female",
        Male = "male",
    }
);

code_enum!(
    /// The state of one participant at one event.
    AttendanceStatus {
        Registered = "registered",
        Attended = "attended",
        Absent = "absent",
        Excused = "excused",
    }
);

code_enum!(
    /// A step of a partnership, one document each.
    DocKind {
        InvitationLetter = "invitation_letter",
        CouncilDecision = "council_decision",
        CooperationConfirmation = "cooperation_confirmation",
        FundingDecision = "funding_decision",
        CooperationAgreement = "cooperation_agreement",
        Amendment = "amendment",
    }
);

code_enum!(
    /// Where a partnership document stands.
    DocStatus {
        Planned = "planned",
        Draft = "draft",
        Decided = "decided",
        Signed = "signed",
    }
);

code_enum!(
    /// The unit an indicator is measured in.
    Unit {
        Percent = "percent",
        Count = "count",
        Milestone = "milestone",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(*r));
        }
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::from_code(k.code()), Some(*k));
        }
        assert_eq!(Activity::from_code("3.1"), Some(Activity::Networking));
        assert_eq!(EventFormat::from_code("webinar"), None);
    }

    #[test]
    fn serde_uses_codes() {
        let json = serde_json::to_string(&Role::MunicipalEducationSpecialist).expect("json");
        assert_eq!(json, "\"municipal_education_specialist\"");
        let a: Activity = serde_json::from_str("\"3.2\"").expect("parse");
        assert_eq!(a, Activity::Organising);
    }
}
