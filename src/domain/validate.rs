//! Field validation shared by every record: the problems a field can have and the small
//! checks (required, email, phone, length). Messages are worded in `i18n`.

use super::Field;
use serde::{Deserialize, Serialize};

/// What is wrong with one field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    Required,
    TooLong,
    BadEmail,
    BadPhone,
    EndBeforeStart,
    BadHours,
    OwnParent,
    ParentCycle,
    UnknownReference,
    BadNumber,
    /// More hours than a one-day event lasts (in academic hours of 45 minutes).
    HoursOverLength,
}

/// One invalid field of a record: the field (written as its code in files and JSON) and the
/// problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Field,
    pub problem: Problem,
}

/// Every invalid field of a record, in field order; empty means valid.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    pub fn push(&mut self, field: Field, problem: Problem) {
        self.0.push(FieldError { field, problem });
    }
    /// `Ok(())` when no field is invalid.
    pub fn into_result(self) -> Result<(), Errors> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }
    /// Records `Required` when `value` is empty and `TooLong` past `max` characters.
    pub fn text(&mut self, field: Field, value: &str, required: bool, max: usize) {
        if required && value.is_empty() {
            self.push(field, Problem::Required);
        } else if value.chars().count() > max {
            self.push(field, Problem::TooLong);
        }
    }
    /// Checks an optional email address.
    pub fn email(&mut self, field: Field, value: &str) {
        if !value.is_empty() && !is_email(value) {
            self.push(field, Problem::BadEmail);
        }
    }
    /// Checks an optional phone number.
    pub fn phone(&mut self, field: Field, value: &str) {
        if !value.is_empty() && !is_phone(value) {
            self.push(field, Problem::BadPhone);
        }
    }
}

/// Longest name or title accepted.
pub const MAX_NAME: usize = 200;
/// Longest short field (codes, phone, numbers).
pub const MAX_SHORT: usize = 64;
/// Longest note.
pub const MAX_NOTE: usize = 4000;

/// A plausible email address: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !s.chars().any(char::is_whitespace)
        && domain.split('.').count() >= 2
        && domain.split('.').all(|p| !p.is_empty())
}

/// A plausible phone number: digits with optional leading `+`, spaces, dashes or
/// parentheses, 7 to 15 digits in all.
pub fn is_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let allowed = s
        .char_indices()
        .all(|(i, c)| c.is_ascii_digit() || " -()".contains(c) || (c == '+' && i == 0));
    allowed && (7..=15).contains(&digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in ["a@b.lv", "janis.berzins@example.lv"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in ["", "a", "a@b", "@b.lv", "a@@b.lv", "a b@c.lv", "a@b..lv"] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn phones() {
        for ok in ["65707400", "+371 65707400", "+371 2612-3456"] {
            assert!(is_phone(ok), "{ok}");
        }
        for bad in ["123", "tel 6570", "6570740a", "37+165707400"] {
            assert!(!is_phone(bad), "{bad}");
        }
    }

    #[test]
    fn text_rules() {
        let mut e = Errors::default();
        e.text(Field::Name, "", true, 10);
        e.text(Field::Notes, "", false, 10);
        e.text(Field::Title, "abcdefghijk", true, 10);
        assert_eq!(
            e.0,
            vec![
                FieldError {
                    field: Field::Name,
                    problem: Problem::Required
                },
                FieldError {
                    field: Field::Title,
                    problem: Problem::TooLong
                },
            ]
        );
    }
}
