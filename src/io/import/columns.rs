//! Which column holds what: headers as web forms and spreadsheets write them, in Latvian or
//! English ("Vārds, uzvārds", "E-pasta adrese", "Izglītības iestāde"...), and `--map`
//! overrides. Pure.

use crate::domain::fold::fold;
use serde::Serialize;

/// A field of a participant row an import can fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Given name and surname in one column.
    FullName,
    GivenName,
    Surname,
    Email,
    Phone,
    Institution,
    Municipality,
    Role,
    Subjects,
    Gender,
    Notes,
    /// A column deliberately not read (form timestamps and the like).
    Ignore,
}

impl Field {
    pub const ALL: [Field; 12] = [
        Field::FullName,
        Field::GivenName,
        Field::Surname,
        Field::Email,
        Field::Phone,
        Field::Institution,
        Field::Municipality,
        Field::Role,
        Field::Subjects,
        Field::Gender,
        Field::Notes,
        Field::Ignore,
    ];

    /// The code used by `--map` and JSON.
    pub fn code(self) -> &'static str {
        match self {
            Field::FullName => "full_name",
            Field::GivenName => "given_name",
            Field::Surname => "surname",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::Institution => "institution",
            Field::Municipality => "municipality",
            Field::Role => "role",
            Field::Subjects => "subjects",
            Field::Gender => "gender",
            Field::Notes => "notes",
            Field::Ignore => "ignore",
        }
    }

    /// The field's words in the reader's language (the report shows them with the code
    /// that `--map` takes).
    pub fn says(self) -> crate::i18n::M {
        use crate::i18n::M;
        match self {
            Field::FullName => M::ImpColFullName,
            Field::GivenName => M::ImpColGivenName,
            Field::Surname => M::ImpColSurname,
            Field::Email => M::ImpColEmail,
            Field::Phone => M::ImpColPhone,
            Field::Institution => M::ImpColInstitution,
            Field::Municipality => M::ImpColMunicipality,
            Field::Role => M::ImpColRole,
            Field::Subjects => M::ImpColSubjects,
            Field::Gender => M::ImpColGender,
            Field::Notes => M::ImpColNotes,
            Field::Ignore => M::ImpColIgnore,
        }
    }

    pub fn from_code(s: &str) -> Option<Field> {
        let code = s.trim().to_ascii_lowercase().replace('-', "_");
        Field::ALL
            .into_iter()
            .find(|f| f.code() == code)
            .or_else(|| header_field(s))
    }
}

/// Headers (folded, see [`header_key`]) and the field each names.
const HEADERS: &[(&str, Field)] = &[
    ("vards uzvards", Field::FullName),
    ("vards un uzvards", Field::FullName),
    ("dalibnieka vards uzvards", Field::FullName),
    ("dalibnieks", Field::FullName),
    ("name", Field::FullName),
    ("full name", Field::FullName),
    ("name and surname", Field::FullName),
    ("first and last name", Field::FullName),
    ("participant", Field::FullName),
    ("vards", Field::GivenName),
    ("first name", Field::GivenName),
    ("firstname", Field::GivenName),
    ("given name", Field::GivenName),
    ("given names", Field::GivenName),
    ("given_name", Field::GivenName),
    ("uzvards", Field::Surname),
    ("last name", Field::Surname),
    ("lastname", Field::Surname),
    ("surname", Field::Surname),
    ("family name", Field::Surname),
    ("e pasts", Field::Email),
    ("epasts", Field::Email),
    ("e pasta adrese", Field::Email),
    ("epasta adrese", Field::Email),
    ("e pasta adrese darba", Field::Email),
    ("email", Field::Email),
    ("e mail", Field::Email),
    ("email address", Field::Email),
    ("e mail address", Field::Email),
    ("talrunis", Field::Phone),
    ("talruna numurs", Field::Phone),
    ("telefons", Field::Phone),
    ("telefona numurs", Field::Phone),
    ("tel", Field::Phone),
    ("mob", Field::Phone),
    ("phone", Field::Phone),
    ("phone number", Field::Phone),
    ("telephone", Field::Phone),
    ("mobile", Field::Phone),
    ("izglitibas iestade", Field::Institution),
    ("iestade", Field::Institution),
    ("skola", Field::Institution),
    ("darbavieta", Field::Institution),
    ("darba vieta", Field::Institution),
    ("izglitibas iestade darba vieta", Field::Institution),
    ("iestades nosaukums", Field::Institution),
    ("institution", Field::Institution),
    ("school", Field::Institution),
    ("organisation", Field::Institution),
    ("organization", Field::Institution),
    ("workplace", Field::Institution),
    ("pasvaldiba", Field::Municipality),
    ("novads", Field::Municipality),
    ("novads pilseta", Field::Municipality),
    ("municipality", Field::Municipality),
    ("amats", Field::Role),
    ("loma", Field::Role),
    ("role", Field::Role),
    ("position", Field::Role),
    ("job title", Field::Role),
    ("macibu prieksmets", Field::Subjects),
    ("macibu prieksmeti", Field::Subjects),
    ("prieksmets", Field::Subjects),
    ("prieksmeti", Field::Subjects),
    ("subject", Field::Subjects),
    ("subjects", Field::Subjects),
    ("dzimums", Field::Gender),
    ("gender", Field::Gender),
    ("sex", Field::Gender),
    ("piezimes", Field::Notes),
    ("komentars", Field::Notes),
    ("komentari", Field::Notes),
    ("notes", Field::Notes),
    ("comment", Field::Notes),
    ("comments", Field::Notes),
    ("timestamp", Field::Ignore),
    ("laikspiedols", Field::Ignore),
    ("laika zimogs", Field::Ignore),
    ("iesniegts", Field::Ignore),
    ("submitted", Field::Ignore),
    ("nr", Field::Ignore),
    ("no", Field::Ignore),
    ("n p k", Field::Ignore),
    ("npk", Field::Ignore),
    ("id", Field::Ignore),
];

/// A header as a lookup key: folded, a parenthesised remark and punctuation (`*`, `:`, `,`,
/// `-`, `.`) dropped, spaces collapsed.
pub fn header_key(h: &str) -> String {
    let mut s = fold(&super::clean::text(h));
    if let Some(i) = s.find('(')
        && i > 0
    {
        s.truncate(i);
    }
    s.split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The field a header names, if it is a known header.
pub fn header_field(h: &str) -> Option<Field> {
    let k = header_key(h);
    HEADERS.iter().find(|(name, _)| *name == k).map(|(_, f)| *f)
}

/// Each column's field (`None`: not recognised, so not read), `--map` first.
pub fn map_columns(headers: &[String], overrides: &[(String, Field)]) -> Vec<Option<Field>> {
    headers
        .iter()
        .map(|h| {
            let k = header_key(h);
            overrides
                .iter()
                .find(|(col, _)| header_key(col) == k)
                .map(|(_, f)| *f)
                .or_else(|| header_field(h))
        })
        .collect()
}

/// Parses one `--map COLUMN=FIELD`; the error names the fields there are.
pub fn parse_map(s: &str) -> Result<(String, Field), String> {
    let (col, field) = s.rsplit_once('=').ok_or_else(|| s.to_string())?;
    let f = Field::from_code(field).ok_or_else(|| field.to_string())?;
    Ok((col.trim().to_string(), f))
}

/// Every field code, for messages.
pub fn field_codes() -> String {
    Field::ALL.map(Field::code).join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_as_forms_write_them() {
        let cases = [
            ("Vārds, uzvārds", Field::FullName),
            ("VĀRDS UZVĀRDS*", Field::FullName),
            ("Vārds", Field::GivenName),
            ("Uzvārds:", Field::Surname),
            ("E-pasta adrese", Field::Email),
            ("E-pasts (darba)", Field::Email),
            ("Email Address", Field::Email),
            ("Izglītības iestāde", Field::Institution),
            ("Amats", Field::Role),
            ("Pašvaldība", Field::Municipality),
            ("Tālrunis", Field::Phone),
            ("Timestamp", Field::Ignore),
            ("Laikspiedols", Field::Ignore),
            ("First name", Field::GivenName),
            ("Last name", Field::Surname),
        ];
        for (h, f) in cases {
            assert_eq!(header_field(h), Some(f), "{h}");
        }
        assert_eq!(header_field("Kāpēc piesakāties?"), None);
    }

    #[test]
    fn map_overrides_headers() {
        let headers = vec!["Skola".to_string(), "Kontakts".to_string(), "Vārds".to_string()];
        let map = vec![
            parse_map("kontakts=email").expect("map"),
            parse_map("Skola=ignore").expect("map"),
        ];
        assert_eq!(
            map_columns(&headers, &map),
            vec![Some(Field::Ignore), Some(Field::Email), Some(Field::GivenName)]
        );
        assert_eq!(parse_map("x=nosuch"), Err("nosuch".to_string()));
        assert_eq!(parse_map("nothing"), Err("nothing".to_string()));
        // A Latvian header works as a field name too.
        assert_eq!(parse_map("Kontakts=e-pasts").map(|m| m.1), Ok(Field::Email));
    }
}
