//! Probable duplicate people (the same email; the same name at the same institution; very
//! close names at the same institution) and merging two of them into one, as one
//! `Command::Batch` (one change, one undo step). Reads the model; never writes.

use crate::command::Command;
use crate::domain::{AnyRecord, Attendance, AttendanceStatus, Participant, ParticipantId, Record};
use crate::io::import::clean;
use crate::model::Model;
use serde::Serialize;
use std::collections::HashMap;

/// Why people are thought to be one person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The same email, case and spaces ignored.
    SameEmail,
    /// The same name (folded, in any word order) at the same institution (or both without).
    SameName,
    /// Names one typing slip apart at the same institution.
    CloseName,
}

impl Reason {
    pub fn code(self) -> &'static str {
        match self {
            Reason::SameEmail => "same_email",
            Reason::SameName => "same_name",
            Reason::CloseName => "close_name",
        }
    }

    /// Why, in words (a message key).
    pub fn message(self) -> crate::i18n::M {
        use crate::i18n::M;
        match self {
            Reason::SameEmail => M::DupSameEmail,
            Reason::SameName => M::DupSameName,
            Reason::CloseName => M::DupCloseName,
        }
    }
}

/// People who are probably one person, lowest id first, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Group {
    pub reasons: Vec<Reason>,
    pub people: Vec<ParticipantId>,
}

/// Names this much apart (Damerau-Levenshtein, on folded names) count as close; names
/// shorter than [`CLOSE_MIN_CHARS`] are never close (short names differ by one letter too
/// often: "Ina Ozola" / "Ilze Ozola" is not a typing slip).
const CLOSE_DISTANCE: usize = 1;
const CLOSE_MIN_CHARS: usize = 8;

/// Every group of probable duplicates among the people who are not erased, largest
/// evidence first (email, then name, then close name), then by lowest id.
pub fn find(m: &Model) -> Vec<Group> {
    let people: Vec<&Participant> = m.participants.iter().filter(|p| !p.is_erased()).collect();
    let mut pairs: Vec<(u32, u32, Reason)> = Vec::new();
    // Same email.
    let mut by_email: HashMap<String, Vec<u32>> = HashMap::new();
    for p in &people {
        let e = clean::email(&p.email);
        if !e.is_empty() {
            by_email.entry(e.to_string()).or_default().push(p.id.0);
        }
    }
    pairs_of(by_email.values(), Reason::SameEmail, &mut pairs);
    // Same name at the same institution.
    let keys: HashMap<u32, String> = people
        .iter()
        .map(|p| (p.id.0, clean::name_key(&p.given_name, &p.surname)))
        .collect();
    let mut by_name: HashMap<(&str, Option<u32>), Vec<u32>> = HashMap::new();
    for p in &people {
        if let Some(k) = keys.get(&p.id.0).filter(|k| !k.is_empty()) {
            by_name
                .entry((k.as_str(), p.institution.map(|o| o.0)))
                .or_default()
                .push(p.id.0);
        }
    }
    pairs_of(by_name.values(), Reason::SameName, &mut pairs);
    // Close names at the same institution: names sharing a one-letter deletion (a slip, a
    // missing or extra letter, two letters swapped) are candidates, then measured.
    let mut by_deletion: HashMap<(String, u32), Vec<u32>> = HashMap::new();
    for p in &people {
        let (Some(org), Some(k)) = (p.institution, keys.get(&p.id.0)) else {
            continue;
        };
        if k.chars().count() < CLOSE_MIN_CHARS {
            continue;
        }
        let chars: Vec<char> = k.chars().collect();
        let mut variants: Vec<String> = (0..chars.len())
            .map(|i| {
                chars
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, c)| c)
                    .collect()
            })
            .collect();
        variants.push(k.clone());
        variants.sort_unstable();
        variants.dedup();
        for v in variants {
            by_deletion.entry((v, org.0)).or_default().push(p.id.0);
        }
    }
    for ids in by_deletion.values().filter(|ids| ids.len() > 1) {
        for (i, a) in ids.iter().enumerate() {
            for b in &ids[i + 1..] {
                let (ka, kb) = (&keys[a], &keys[b]);
                if ka != kb && strsim::damerau_levenshtein(ka, kb) <= CLOSE_DISTANCE {
                    pairs.push((*a.min(b), *a.max(b), Reason::CloseName));
                }
            }
        }
    }
    groups(pairs)
}

/// Every pair within each list of ids (lists of one give none).
fn pairs_of<'a>(lists: impl Iterator<Item = &'a Vec<u32>>, why: Reason, out: &mut Vec<(u32, u32, Reason)>) {
    for ids in lists.filter(|ids| ids.len() > 1) {
        for (i, a) in ids.iter().enumerate() {
            for b in &ids[i + 1..] {
                out.push((*a.min(b), *a.max(b), why));
            }
        }
    }
}

/// The connected groups of `pairs`, each with the reasons that linked it.
fn groups(mut pairs: Vec<(u32, u32, Reason)>) -> Vec<Group> {
    pairs.sort_unstable();
    pairs.dedup();
    let mut parent: HashMap<u32, u32> = HashMap::new();
    fn root(parent: &mut HashMap<u32, u32>, x: u32) -> u32 {
        let mut r = x;
        while let Some(&p) = parent.get(&r).filter(|p| **p != r) {
            r = p;
        }
        parent.insert(x, r);
        r
    }
    for &(a, b, _) in &pairs {
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        if ra != rb {
            parent.insert(ra.max(rb), ra.min(rb));
        }
    }
    let mut by_root: HashMap<u32, Group> = HashMap::new();
    for &(a, b, why) in &pairs {
        let r = root(&mut parent, a);
        let g = by_root.entry(r).or_insert_with(|| Group {
            reasons: Vec::new(),
            people: Vec::new(),
        });
        g.reasons.push(why);
        g.people.extend([ParticipantId(a), ParticipantId(b)]);
    }
    let mut out: Vec<Group> = by_root
        .into_values()
        .map(|mut g| {
            g.reasons.sort_unstable();
            g.reasons.dedup();
            g.people.sort_unstable();
            g.people.dedup();
            g
        })
        .collect();
    out.sort_by(|a, b| a.reasons[0].cmp(&b.reasons[0]).then(a.people[0].cmp(&b.people[0])));
    out
}

/// Why two people cannot be merged.
#[derive(Debug, PartialEq)]
pub enum MergeError {
    /// No such (unerased) person.
    NoPerson(u32),
    /// The same id twice.
    Same(u32),
}

/// What merging OTHER into KEEP would do.
#[derive(Debug)]
pub struct Merge {
    pub keep: ParticipantId,
    pub other: ParticipantId,
    /// Rows of OTHER moved to KEEP (events KEEP has no row for).
    pub moved: usize,
    /// Events both have a row for: KEEP's row keeps the better status and the earlier
    /// check-in; OTHER's row goes.
    pub joined: usize,
    /// KEEP's fields that were empty and are filled from OTHER (field codes).
    pub filled: Vec<&'static str>,
    /// The one command that does it.
    pub command: Command,
}

/// How good a status is when two rows of one event are joined: attended beats excused,
/// which beats registered, which beats absent.
fn rank(s: AttendanceStatus) -> u8 {
    match s {
        AttendanceStatus::Attended => 3,
        AttendanceStatus::Excused => 2,
        AttendanceStatus::Registered => 1,
        AttendanceStatus::Absent => 0,
    }
}

/// KEEP's row joined with OTHER's row of the same event.
fn joined(keep: &Attendance, other: &Attendance) -> Attendance {
    let mut r = keep.clone();
    if rank(other.status) > rank(keep.status) {
        r.status = other.status;
        r.hours = other.hours;
        r.checked_in_by = other.checked_in_by;
    }
    r.checked_in_at = match (keep.checked_in_at, other.checked_in_at) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    if other.checked_in_at.is_some() && r.checked_in_at == other.checked_in_at {
        r.checked_in_by = other.checked_in_by.or(r.checked_in_by);
    }
    r
}

/// Plans merging person `other` into person `keep`: OTHER's attendance moves to KEEP (a
/// conflict, both at one event, keeps the better status and the earlier check-in), KEEP's
/// empty fields are filled from OTHER, and OTHER is deleted; all as one batch.
pub fn plan_merge(m: &Model, keep: u32, other: u32) -> Result<Merge, MergeError> {
    if keep == other {
        return Err(MergeError::Same(keep));
    }
    let person = |id: u32| {
        m.participants
            .get(id)
            .filter(|p| !p.is_erased())
            .ok_or(MergeError::NoPerson(id))
    };
    let (k, o) = (person(keep)?, person(other)?);
    let mut parts: Vec<Command> = Vec::new();
    let (mut moved, mut joined_rows) = (0, 0);
    let mut drop_rows: Vec<Command> = Vec::new();
    for row in m
        .attendance_of_person(o.id)
        .iter()
        .filter_map(|a| m.attendance.get(a.0))
    {
        match m.attendance_pair(row.event, k.id) {
            None => {
                let mut r = row.clone();
                r.participant = k.id;
                parts.push(Command::Update(r.wrap()));
                moved += 1;
            }
            Some(mine) => {
                let j = joined(mine, row);
                if j != *mine {
                    parts.push(Command::Update(j.wrap()));
                }
                drop_rows.push(Command::Delete {
                    table: Attendance::TABLE,
                    id: row.id.0,
                });
                joined_rows += 1;
            }
        }
    }
    parts.extend(drop_rows);
    let mut filled = Vec::new();
    let mut k2 = k.clone();
    if k2.email.is_empty() && !o.email.is_empty() {
        k2.email = o.email.clone();
        filled.push("email");
    }
    if k2.phone.is_empty() && !o.phone.is_empty() {
        k2.phone = o.phone.clone();
        filled.push("phone");
    }
    if k2.institution.is_none() && o.institution.is_some() {
        k2.institution = o.institution;
        filled.push("institution");
    }
    if k2.gender.is_none() && o.gender.is_some() {
        k2.gender = o.gender;
        filled.push("gender");
    }
    if k2.subjects.is_empty() && !o.subjects.is_empty() {
        k2.subjects = o.subjects.clone();
        filled.push("subjects");
    }
    if k2.notes.is_empty() && !o.notes.is_empty() {
        k2.notes = o.notes.clone();
        filled.push("notes");
    }
    // OTHER goes before KEEP takes its email: no moment with two people of one email.
    parts.push(Command::Delete {
        table: Participant::TABLE,
        id: o.id.0,
    });
    if !filled.is_empty() {
        parts.push(Command::Update(AnyRecord::Participant(k2)));
    }
    Ok(Merge {
        keep: k.id,
        other: o.id,
        moved,
        joined: joined_rows,
        filled,
        command: Command::Batch(parts),
    })
}

#[cfg(test)]
mod tests;
