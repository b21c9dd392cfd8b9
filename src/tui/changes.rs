//! How the screen words its changes: a record's short name, why a delete is refused, what
//! an undo takes back, who already checked a person in. (Applying them is the app's:
//! `app/apply.rs`.)

use super::desk::Notice;
use crate::command::Change;
use crate::domain::{AnyRecord, Attendance, EventId, Table};
use crate::i18n::{self, M, f, t};
use crate::model::Model;

/// A short name of a record for messages: a person's or organisation's name, an event's
/// title, an indicator's code.
pub fn record_label(m: &Model, r: &AnyRecord) -> String {
    match r {
        AnyRecord::Organisation(o) => o.name.to_string(),
        AnyRecord::Event(e) => e.title.to_string(),
        AnyRecord::Participant(p) => p.full_name(),
        AnyRecord::Attendance(a) => format!(
            "{} · {}",
            m.participants
                .get(a.participant.0)
                .map(|p| p.full_name())
                .unwrap_or_default(),
            m.events.get(a.event.0).map(|e| e.title.to_string()).unwrap_or_default()
        ),
        AnyRecord::Indicator(i) => format!("{} {}", i.code, i.title),
    }
}

/// Why `table`'s record `id` (called `label`) cannot be deleted, naming what refers to it:
/// "Cēsu novada pašvaldība cannot be deleted: it is the parent of these organisations (7):
/// …"; None when nothing does (an event's own attendance rows go with it, after a question).
pub(in crate::tui) fn delete_refusal(m: &Model, table: Table, id: u32, label: &str) -> Option<String> {
    if table != Table::Organisation {
        return None;
    }
    let org = crate::domain::OrgId(id);
    let names = |t: Table, ids: Vec<u32>| -> Option<(usize, String)> {
        let mut names: Vec<String> = ids
            .iter()
            .filter_map(|id| m.record(t, *id))
            .map(|r| record_label(m, &r))
            .collect();
        let n = names.len();
        if n == 0 {
            return None;
        }
        const SHOWN: usize = 5;
        if n > SHOWN {
            names.truncate(SHOWN);
            names.push(f(M::DetMore, &[&(n - SHOWN)]));
        }
        Some((n, names.join(", ")))
    };
    let held: Vec<String> = [
        (
            M::DelHeldParent,
            names(Table::Organisation, m.children_of(org).iter().map(|o| o.0).collect()),
        ),
        (
            M::DelHeldInstitution,
            names(Table::Participant, m.people_of(org).iter().map(|p| p.0).collect()),
        ),
        (
            M::DelHeldOrganiser,
            names(Table::Event, m.events_of(org).iter().map(|e| e.0).collect()),
        ),
    ]
    .into_iter()
    .filter_map(|(msg, found)| found.map(|(n, list)| f(msg, &[&n, &list])))
    .collect();
    (!held.is_empty()).then(|| f(M::DelRefused, &[&label, &held.join("; ")]))
}

/// "added participant Jānis Bērziņš", "changed event …", "deleted …".
pub fn describe(m: &Model, c: &Change) -> String {
    let (msg, r) = match c {
        Change::Created(r) => (M::ChangeAdded, r),
        Change::Updated { after, .. } => (M::ChangeChanged, after.as_ref()),
        Change::Deleted(r) => (M::ChangeDeleted, r),
        Change::Imported(ds) => return f(M::ChangeImported, &[&ds.len()]),
        Change::ProjectSet { .. } => return t(M::ChangeProject).to_string(),
        Change::Batch(_) => return describe_batch(m, c),
        Change::Unimported(ds) => return f(M::ChangeUnimported, &[&ds.len()]),
    };
    f(msg, &[&i18n::record_name(r.table()), &record_label(m, r)])
}

/// The record a change is about, if it is about one.
fn subject(c: &Change) -> Option<&AnyRecord> {
    match c {
        Change::Created(r) | Change::Deleted(r) => Some(r),
        Change::Updated { after, .. } => Some(after),
        _ => None,
    }
}

/// A batch in a line: its main record (the first that is not an attendance row) and how many
/// attendance rows came with it: "deleted participant Guna Āboliņa and 4 attendance rows";
/// a batch of several records (an import) by its size.
fn describe_batch(m: &Model, c: &Change) -> String {
    let parts = c.parts();
    let is_row = |p: &&&Change| subject(p).is_some_and(|r| r.table() == Table::Attendance);
    let rows = parts.iter().filter(is_row).count();
    let one_main = parts.len() - rows == 1;
    match parts.iter().find(|p| !is_row(p)) {
        Some(main) if rows > 0 && one_main => f(M::ChangeAndRows, &[&describe(m, main), &rows]),
        Some(main) if parts.len() == 1 => describe(m, main),
        Some(_) => f(M::LogBatch, &[&parts.len(), &describe(m, parts[0])]),
        None if rows > 0 => f(M::ChangeRows, &[&rows]),
        None => t(M::ChangeNothing).to_string(),
    }
}

/// What an undo brought back or took away: "Restored Guna Āboliņa and 4 attendance rows."
/// for an undone deletion, else "Undone: …".
pub(in crate::tui) fn describe_undo(m: &Model, original: &Change) -> String {
    let parts = original.parts();
    let main = parts
        .iter()
        .find(|p| subject(p).is_some_and(|r| r.table() != Table::Attendance))
        .or(parts.first());
    match main {
        Some(Change::Deleted(r)) => {
            let rows = parts.len() - 1;
            let name = record_label(m, r);
            let what = if rows > 0 {
                f(M::ChangeAndRows, &[&name, &rows])
            } else {
                name
            };
            f(M::Restored, &[&what])
        }
        _ => f(M::Undone, &[&describe(m, original)]),
    }
}

/// A line of the change log: "2026-11-22 10:41:03  ilze  added participant Jānis Bērziņš".
/// Records are named as they are now (a deleted one by its id: the log keeps no names).
pub fn log_line(m: &Model, e: &crate::store::LogEntry) -> String {
    let at = e.at.riga();
    format!(
        "{} {}  {:<10}  {}",
        i18n::date(at.date()),
        at.format("%H:%M:%S"),
        m.user_name(e.user),
        log_what(m, &e.what)
    )
}

/// What a logged change did, in words; a batch by its size and its main part (the last
/// one that is not an attendance row, e.g. the person of an erasure).
fn log_what(m: &Model, what: &crate::store::Logged) -> String {
    use crate::store::Logged;
    let name = |table: Table, id: u32| match m.record(table, id) {
        Some(r) => format!("{} {}", i18n::record_name(table), record_label(m, &r)),
        None => format!("{} #{id}", i18n::record_name(table)),
    };
    match what {
        Logged::Created { table, id } => f(M::LogAdded, &[&name(*table, *id)]),
        Logged::Updated { table, id } => f(M::LogChanged, &[&name(*table, *id)]),
        Logged::Deleted { table, id } => f(M::LogDeleted, &[&name(*table, *id)]),
        Logged::Imported { records } => f(M::ChangeImported, &[records]),
        Logged::ProjectSet => t(M::ChangeProject).to_string(),
        Logged::Batch(parts) => {
            let row = |p: &&Logged| {
                matches!(
                    p,
                    Logged::Created {
                        table: Table::Attendance,
                        ..
                    } | Logged::Updated {
                        table: Table::Attendance,
                        ..
                    } | Logged::Deleted {
                        table: Table::Attendance,
                        ..
                    }
                )
            };
            let main = parts.iter().rev().find(|p| !row(p)).or(parts.first());
            let main = main.map(|p| log_what(m, p)).unwrap_or_default();
            f(M::LogBatch, &[&parts.len(), &main])
        }
        Logged::Unimported { records } => f(M::ChangeUnimported, &[records]),
        Logged::Restored { file, records } => f(M::LogRestored, &[records, file]),
        Logged::Erased { what, .. } => f(M::LogErased, &[&log_what(m, what)]),
        Logged::Wrote { kind, file } => f(M::LogWrote, &[&i18n::file_kind(*kind), file]),
        Logged::Undone(inner) => f(M::LogUndone, &[&log_what(m, inner)]),
        Logged::ProjectChanged(fields) if fields.is_empty() => t(M::ChangeProject).to_string(),
        Logged::ProjectChanged(fields) => {
            let each: Vec<String> = fields.iter().map(|c| setting_change(m, c)).collect();
            f(M::LogProjectChanged, &[&each.join("; ")])
        }
    }
}

/// "Seminar hours cap: 12 → 8" (an organisation by its name, money in euros, "—" for none).
fn setting_change(m: &Model, c: &crate::store::FieldChange) -> String {
    let code = c.field.as_str();
    let value = |v: &str| -> String {
        if v.is_empty() {
            return "—".to_string();
        }
        match code {
            "lead" | "reporting_partner" => v
                .parse::<u32>()
                .ok()
                .and_then(|id| m.organisations.get(id))
                .map_or_else(|| format!("#{v}"), |o| o.name.to_string()),
            "funding_total" | "funding_esf" | "funding_state" => {
                v.parse::<i64>().map_or_else(|_| v.to_string(), i18n::money)
            }
            "seminar_hours_cap" => v.parse::<f64>().map_or_else(|_| v.to_string(), i18n::decimal),
            _ => v.to_string(),
        }
    };
    let label = match code {
        "seminar_hours_cap" => t(M::SetHoursCap),
        "institutions" => t(M::SetInstitutions),
        "reporting_partner" => t(M::SetReportingPartner),
        "number" => t(M::SetNumber),
        "funding_total" => t(M::SetFundingTotal),
        "funding_esf" => t(M::SetFundingEsf),
        "funding_state" => t(M::SetFundingState),
        other => crate::domain::Field::ALL
            .iter()
            .find(|f| f.code() == other)
            .map_or(other, |f| i18n::Label::label(*f)),
    };
    format!("{label}: {} → {}", value(&c.before), value(&c.after))
}

/// "Already checked in at 16:33", naming who did it when it was someone else (another
/// desk, a colleague's screen).
pub(in crate::tui) fn already_in(m: &Model, name: &str, a: &Attendance, me: crate::domain::UserId) -> Notice {
    let at = a
        .checked_in_at
        .map(|s| s.riga().format("%H:%M").to_string())
        .unwrap_or_default();
    match a.checked_in_by.filter(|u| *u != me) {
        Some(by) => Notice::Already(f(M::AlreadyInBy, &[&name, &m.user_name(by), &at])),
        None => Notice::Already(f(M::AlreadyIn, &[&name, &at])),
    }
}

/// Why checking people in at `event` today is probably a mistake (it is cancelled, or not
/// held today), short for the desk's header and in full for the question; `None` when all
/// is well.
pub fn desk_warning(m: &Model, event: EventId, today: chrono::NaiveDate) -> Option<(String, String)> {
    let e = m.events.get(event.0)?;
    let (mut short, mut long) = (Vec::new(), Vec::new());
    if e.status == crate::domain::EventStatus::Cancelled {
        short.push(t(M::DeskCancelledShort).to_string());
        long.push(t(M::DeskCancelled).to_string());
    }
    if today < e.start.date() || today > e.end.date() {
        short.push(t(M::DeskNotTodayShort).to_string());
        long.push(f(M::DeskNotToday, &[&i18n::date(e.start.date())]));
    }
    (!short.is_empty()).then(|| (short.join(" · "), long.join(" ")))
}

/// "bērziņš" → "Bērziņš" (names typed fast at the desk are often all lower case).
pub(in crate::tui) fn capitalise(s: &str) -> String {
    s.split('-')
        .map(|part| {
            let mut c = part.chars();
            match c.next() {
                Some(first) if part.chars().all(|ch| !ch.is_uppercase()) => first.to_uppercase().chain(c).collect(),
                _ => part.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AttendanceStatus, UserId};

    #[test]
    fn already_checked_in_names_who_did_it_when_it_was_someone_else() {
        crate::i18n::set_thread_lang(crate::i18n::Lang::En);
        let m = crate::io::sample::test_model("koordinators");
        let mut a = m
            .attendance
            .iter()
            .find(|a| a.status == AttendanceStatus::Attended)
            .cloned()
            .expect("an attended row");
        a.checked_in_at = Some(crate::domain::Stamp::from_riga(
            chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
                .and_then(|d| d.and_hms_opt(16, 33, 0))
                .expect("time"),
        ));
        a.checked_in_by = Some(UserId(1));
        let by_other = already_in(&m, "Svetlana Grāvīte", &a, UserId(2));
        assert_eq!(
            by_other,
            Notice::Already("Svetlana Grāvīte was already checked in by koordinators at 16:33".into())
        );
        let by_me = already_in(&m, "Svetlana Grāvīte", &a, UserId(1));
        assert_eq!(
            by_me,
            Notice::Already("Svetlana Grāvīte was already checked in at 16:33; nothing changed.".into())
        );
    }
}
