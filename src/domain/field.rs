//! Every field of a record that forms, validation errors and labels name: one enum whose
//! snake_case codes are the names files, JSON and the server's wire already use.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! fields {
    ($($v:ident => $code:literal,)*) => {
        /// A record's field, by its code (`given_name`, `yearly_funding_eur`...).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Field { $($v),* }

        impl Field {
            /// Every field.
            pub const ALL: &'static [Field] = &[$(Field::$v),*];
            /// The code written in files, JSON and validation errors.
            pub fn code(self) -> &'static str {
                match self { $(Field::$v => $code),* }
            }
        }
    };
}

fields! {
    // Organisations
    Name => "name",
    ShortName => "short_name",
    Kind => "kind",
    Parent => "parent",
    RegNo => "reg_no",
    Address => "address",
    ContactPerson => "contact_person",
    Phone => "phone",
    Email => "email",
    Partner => "partner",
    AgreementDate => "agreement_date",
    AgreementNo => "agreement_no",
    YearlyFundingEur => "yearly_funding_eur",
    Founder => "founder",
    PeriodTo => "period_to",
    Documents => "documents",
    Years => "years",
    Notes => "notes",
    // The project
    Lead => "lead",
    // Events
    Title => "title",
    Format => "format",
    Activity => "activity",
    Start => "start",
    End => "end",
    Hours => "hours",
    Place => "place",
    Online => "online",
    Organiser => "organiser",
    TargetGroups => "target_groups",
    Capacity => "capacity",
    Status => "status",
    // Participants
    GivenName => "given_name",
    Surname => "surname",
    Institution => "institution",
    Role => "role",
    Gender => "gender",
    Subjects => "subjects",
    // Attendance
    Event => "event",
    Participant => "participant",
    // Indicators
    Code => "code",
    Unit => "unit",
    Baseline => "baseline",
    Target => "target",
    Deadline => "deadline",
    Done => "done",
    Of => "of",
    Filter => "filter",
    Definition => "definition",
    OrgKinds => "org_kinds",
    Roles => "roles",
    ExceptRoles => "except_roles",
    Formats => "formats",
    Activities => "activities",
    Programme => "programme",
    From => "from",
    To => "to",
    Share => "share",
    Values => "values",
    // A value entered by hand
    Date => "date",
    Value => "value",
    Note => "note",
}

impl Field {
    /// The field of a code (`None` for a code no record has).
    pub fn from_code(code: &str) -> Option<Field> {
        Field::ALL.iter().copied().find(|f| f.code() == code)
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Written as its code in every format (JSON and the server's postcard frames alike), as the
/// field codes were before they were typed.
impl Serialize for Field {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Field, D::Error> {
        let code = String::deserialize(d)?;
        Field::from_code(&code).ok_or_else(|| serde::de::Error::custom(format!("unknown field '{code}'")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_snake_case_and_read_back() {
        let mut seen = std::collections::HashSet::new();
        for f in Field::ALL {
            let code = f.code();
            assert!(seen.insert(code), "{code} twice");
            assert!(
                !code.is_empty() && code.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{code}"
            );
            assert_eq!(Field::from_code(code), Some(*f));
            assert_eq!(f.to_string(), code);
        }
        assert_eq!(Field::from_code("colour"), None);
    }

    #[test]
    fn serde_writes_the_code_in_json_and_postcard() {
        let json = serde_json::to_string(&Field::YearlyFundingEur).expect("json");
        assert_eq!(json, "\"yearly_funding_eur\"");
        assert_eq!(
            serde_json::from_str::<Field>(&json).expect("back"),
            Field::YearlyFundingEur
        );
        let bytes = postcard::to_allocvec(&Field::GivenName).expect("postcard");
        assert_eq!(postcard::to_allocvec("given_name").expect("postcard str"), bytes);
        assert_eq!(postcard::from_bytes::<Field>(&bytes).expect("back"), Field::GivenName);
        let err = serde_json::from_str::<Field>("\"colour\"").expect_err("unknown");
        assert!(err.to_string().contains("colour"), "{err}");
    }
}
