//! Field validation shared by every record: the problems a field can have and the small
//! checks (required, email, phone, length). Messages are worded in `i18n`.

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

/// One invalid field of a record: the field's code (as in files and JSON) and the problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub problem: Problem,
}

/// A [`FieldError`] as read from the wire (an error from the server).
#[derive(Deserialize)]
struct WireFieldError {
    field: String,
    problem: Problem,
}

impl<'de> Deserialize<'de> for FieldError {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<FieldError, D::Error> {
        let w = WireFieldError::deserialize(d)?;
        Ok(FieldError {
            field: intern(w.field),
            problem: w.problem,
        })
    }
}

/// A field code read from the wire, kept as a `&'static str` like the codes written in the
/// source: each distinct code is stored once per process (codes are few and short; a longer
/// one is cut).
fn intern(mut code: String) -> &'static str {
    use std::collections::HashSet;
    use std::sync::Mutex;
    static CODES: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);
    if code.len() > 64 {
        code = code.chars().take(32).collect();
    }
    let mut guard = CODES.lock().unwrap_or_else(|e| e.into_inner());
    let set = guard.get_or_insert_with(HashSet::new);
    if let Some(known) = set.get(code.as_str()) {
        return known;
    }
    let leaked: &'static str = Box::leak(code.into_boxed_str());
    set.insert(leaked);
    leaked
}

/// Every invalid field of a record, in field order; empty means valid.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    pub fn push(&mut self, field: &'static str, problem: Problem) {
        self.0.push(FieldError { field, problem });
    }
    /// `Ok(())` when no field is invalid.
    pub fn into_result(self) -> Result<(), Errors> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }
    /// Records `Required` when `value` is empty and `TooLong` past `max` characters.
    pub fn text(&mut self, field: &'static str, value: &str, required: bool, max: usize) {
        if required && value.is_empty() {
            self.push(field, Problem::Required);
        } else if value.chars().count() > max {
            self.push(field, Problem::TooLong);
        }
    }
    /// Checks an optional email address.
    pub fn email(&mut self, field: &'static str, value: &str) {
        if !value.is_empty() && !is_email(value) {
            self.push(field, Problem::BadEmail);
        }
    }
    /// Checks an optional phone number.
    pub fn phone(&mut self, field: &'static str, value: &str) {
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
        e.text("name", "", true, 10);
        e.text("notes", "", false, 10);
        e.text("title", "abcdefghijk", true, 10);
        assert_eq!(
            e.0,
            vec![
                FieldError {
                    field: "name",
                    problem: Problem::Required
                },
                FieldError {
                    field: "title",
                    problem: Problem::TooLong
                },
            ]
        );
    }
}
