//! Turning a command into the change it would make, against the current model: assigns ids
//! and metadata, validates fields and references. Pure: writes nothing.

use super::error::StoreError;
use crate::command::{Change, Command, Dataset};
use crate::domain::*;
use crate::model::Model;
use std::collections::HashSet;

fn invalid(table: Table, field: Field, problem: Problem) -> StoreError {
    let mut e = Errors::default();
    e.push(field, problem);
    StoreError::Invalid { table, errors: e }
}

fn check<T: Record>(r: &T) -> Result<(), StoreError> {
    r.check().map_err(|errors| StoreError::Invalid {
        table: T::TABLE,
        errors,
    })
}

/// Checks the references of one record; `new_*` hold ids being created alongside it.
fn check_refs(
    m: &Model,
    r: &AnyRecord,
    new_orgs: &HashSet<u32>,
    new_events: &HashSet<u32>,
    new_people: &HashSet<u32>,
) -> Result<(), StoreError> {
    let org_known = |id: OrgId| m.organisations.contains(id.0) || new_orgs.contains(&id.0);
    let bad = |t, f| Err(invalid(t, f, Problem::UnknownReference));
    match r {
        AnyRecord::Organisation(o) => {
            if let Some(p) = o.parent {
                if !org_known(p) {
                    return bad(Table::Organisation, Field::Parent);
                }
                // Walk up from the new parent: reaching this organisation is a cycle.
                let mut cur = Some(p);
                for _ in 0..64 {
                    let Some(c) = cur else { break };
                    if c == o.id {
                        return Err(invalid(Table::Organisation, Field::Parent, Problem::ParentCycle));
                    }
                    cur = m.organisations.get(c.0).and_then(|x| x.parent);
                }
            }
        }
        AnyRecord::Event(e) => {
            if let Some(o) = e.organiser
                && !org_known(o)
            {
                return bad(Table::Event, Field::Organiser);
            }
        }
        AnyRecord::Participant(p) => {
            if let Some(o) = p.institution
                && !org_known(o)
            {
                return bad(Table::Participant, Field::Institution);
            }
        }
        AnyRecord::Attendance(a) => {
            if !(m.events.contains(a.event.0) || new_events.contains(&a.event.0)) {
                return bad(Table::Attendance, Field::Event);
            }
            if !(m.participants.contains(a.participant.0) || new_people.contains(&a.participant.0)) {
                return bad(Table::Attendance, Field::Participant);
            }
            if let Some(other) = m.attendance_pair(a.event, a.participant)
                && other.id != a.id
            {
                return Err(StoreError::DuplicateAttendance {
                    event: a.event.0,
                    participant: a.participant.0,
                });
            }
        }
        AnyRecord::Indicator(_) => {}
    }
    Ok(())
}

fn check_any(r: &AnyRecord) -> Result<(), StoreError> {
    r.check().map_err(|errors| StoreError::Invalid {
        table: r.table(),
        errors,
    })
}

/// What refers to a record (the first kind found and how many), which blocks deleting it.
fn users_of(m: &Model, t: Table, id: u32) -> Option<(Table, usize)> {
    let non_empty = |t: Table, n: usize| (n > 0).then_some((t, n));
    match t {
        Table::Organisation => {
            let o = OrgId(id);
            non_empty(Table::Organisation, m.children_of(o).len())
                .or_else(|| non_empty(Table::Participant, m.people_of(o).len()))
                .or_else(|| non_empty(Table::Event, m.events_of(o).len()))
        }
        Table::Event => non_empty(Table::Attendance, m.attendance_of_event(EventId(id)).len()),
        Table::Participant => non_empty(Table::Attendance, m.attendance_of_person(ParticipantId(id)).len()),
        Table::Attendance | Table::Indicator => None,
    }
}

/// Who checked in attendance row `a` (as sent in an update of `b`, by `user`): unchanged if
/// its check-in is; else the check-in of a row the database holds for the same event (a
/// merge of two people joins their rows and keeps the earlier check-in with its author);
/// else the check-in is new (or taken back) and its author is `user`. A client never says
/// who checked someone in.
fn check_in_author(m: &Model, a: &Attendance, b: &Attendance, user: UserId) -> Option<UserId> {
    if a.checked_in_at == b.checked_in_at && a.checked_in_by == b.checked_in_by {
        return b.checked_in_by;
    }
    let copied = a.checked_in_at.is_some()
        && m.attendance_of_event(a.event)
            .iter()
            .filter_map(|id| m.attendance.get(id.0))
            .any(|o| o.id != a.id && o.checked_in_at == a.checked_in_at && o.checked_in_by == a.checked_in_by);
    if copied {
        a.checked_in_by
    } else if a.checked_in_at == b.checked_in_at {
        // Only the author was sent changed: not the client's to say.
        b.checked_in_by
    } else {
        a.checked_in_at.map(|_| user)
    }
}

/// The change `cmd` would make to `m`, made at `now` by `user`.
pub fn plan(m: &Model, cmd: Command, now: Stamp, user: UserId) -> Result<Change, StoreError> {
    let none = HashSet::new();
    match cmd {
        Command::Create(r) => {
            let mut r = r;
            let id = m.next_id(r.table());
            if placeholder(id).is_some() {
                return Err(StoreError::BadImport(format!(
                    "{}: no free ids left",
                    r.table().plural()
                )));
            }
            r.set_raw_id(id);
            *r.meta_mut() = Meta::new(now, user);
            // A check-in recorded with its row is stamped with the moment it is stored, the
            // same as the row's creation: that is how a walk-in is told from a registration.
            // Who checked in is the account that made the change, never what a client said.
            if let AnyRecord::Attendance(a) = &mut r {
                if a.checked_in_at.is_some() {
                    a.checked_in_at = Some(now);
                }
                a.checked_in_by = a.checked_in_at.map(|_| user);
            }
            check_any(&r)?;
            check_refs(m, &r, &none, &none, &none)?;
            Ok(Change::Created(r))
        }
        Command::Update(r) => {
            let t = r.table();
            let before = m.record(t, r.raw_id()).ok_or(StoreError::NotFound {
                table: t,
                id: r.raw_id(),
            })?;
            let (sent, stored) = (*r.meta(), *before.meta());
            if sent != Meta::unsaved() && sent != stored {
                return Err(StoreError::Conflict {
                    table: t,
                    id: r.raw_id(),
                    by: m.user_name(stored.updated_by).to_string(),
                    at: stored.updated_at,
                });
            }
            let mut r = r;
            // Every update leaves a different version behind, also within one second: the
            // stamp moves on by a second if it would not change (as check-in stamps do).
            let at = if now > stored.updated_at {
                now
            } else {
                stored.updated_at.next()
            };
            *r.meta_mut() = stored.touched(at, user);
            // A check-in on a row that existed before (a registration) is never stamped with
            // the row's creation time, which marks walk-ins (see `Create`): in the rare case
            // of the same second, it is stamped one second later.
            if let (AnyRecord::Attendance(a), AnyRecord::Attendance(b)) = (&mut r, &before) {
                if a.checked_in_at != b.checked_in_at && a.checked_in_at == Some(b.meta.created_at) {
                    a.checked_in_at = Some(b.meta.created_at.next());
                }
                a.checked_in_by = check_in_author(m, a, b, user);
            }
            check_any(&r)?;
            check_refs(m, &r, &none, &none, &none)?;
            Ok(Change::Updated {
                before: Box::new(before),
                after: Box::new(r),
            })
        }
        Command::Delete { table, id } => {
            let r = m.record(table, id).ok_or(StoreError::NotFound { table, id })?;
            if let Some((by, count)) = users_of(m, table, id) {
                return Err(StoreError::InUse { table, id, by, count });
            }
            Ok(Change::Deleted(r))
        }
        Command::Restore(r) => {
            let (t, id) = (r.table(), r.raw_id());
            if id == 0 || id >= m.next_id(t) || m.record(t, id).is_some() {
                return Err(StoreError::BadImport(format!("cannot restore {} {id}", t.plural())));
            }
            check_any(&r)?;
            check_refs(m, &r, &none, &none, &none)?;
            Ok(Change::Created(r))
        }
        Command::Import(ds) => plan_import(m, *ds, now, user),
        Command::Unimport(ds) => plan_unimport(m, &ds),
        Command::Reimport(ds) => plan_reimport(m, *ds),
        // A batch's parts are planned one by one against the model as each leaves it
        // (`Store::apply`); here only an empty one can be answered.
        Command::Batch(parts) if parts.is_empty() => Ok(Change::Batch(Vec::new())),
        Command::Batch(_) => Err(StoreError::BadImport(
            "a batch is planned part by part by the store".into(),
        )),
        Command::Undo(inner) => plan(m, *inner, now, user),
        Command::SetProject(p) => {
            if let Some(lead) = p.lead
                && !m.organisations.contains(lead.0)
            {
                return Err(invalid(Table::Organisation, Field::Lead, Problem::UnknownReference));
            }
            Ok(Change::ProjectSet {
                before: m.project.clone(),
                after: p,
            })
        }
    }
}

/// Checks that `ids` are exactly the next free ids of table `t`, in order.
fn check_ids(m: &Model, t: Table, ids: impl Iterator<Item = u32>) -> Result<HashSet<u32>, StoreError> {
    let next = m.next_id(t);
    let mut set = HashSet::new();
    for (i, id) in ids.enumerate() {
        if id != next + i as u32 {
            return Err(StoreError::BadImport(format!(
                "{}: id {id} where {} was expected",
                t.plural(),
                next + i as u32
            )));
        }
        set.insert(id);
    }
    Ok(set)
}

/// The ids of each table a dataset creates.
struct NewIds {
    orgs: HashSet<u32>,
    events: HashSet<u32>,
    people: HashSet<u32>,
}

fn plan_import(m: &Model, ds: Dataset, now: Stamp, user: UserId) -> Result<Change, StoreError> {
    let mut ds = super::refs::resolve_dataset(ds, |t| m.next_id(t))?;
    let ids = NewIds {
        orgs: check_ids(m, Table::Organisation, ds.organisations.iter().map(|r| r.id.0))?,
        events: check_ids(m, Table::Event, ds.events.iter().map(|r| r.id.0))?,
        people: check_ids(m, Table::Participant, ds.participants.iter().map(|r| r.id.0))?,
    };
    check_ids(m, Table::Attendance, ds.attendance.iter().map(|r| r.id.0))?;
    check_ids(m, Table::Indicator, ds.indicators.iter().map(|r| r.id.0))?;
    let meta = Meta::new(now, user);
    ds.organisations.iter_mut().for_each(|r| r.meta = meta);
    ds.events.iter_mut().for_each(|r| r.meta = meta);
    ds.participants.iter_mut().for_each(|r| r.meta = meta);
    for r in ds.attendance.iter_mut() {
        r.meta = meta;
        // A check-in without its author is this account's (the server clears what a client
        // says; the sample and restored data bring their own).
        if r.checked_in_at.is_some() && r.checked_in_by.is_none() {
            r.checked_in_by = Some(user);
        }
    }
    ds.indicators.iter_mut().for_each(|r| r.meta = meta);
    check_dataset(m, &ds, &ids)?;
    Ok(Change::Imported(Box::new(ds)))
}

/// Checks that `ids` are ids of records once made and now absent (taken back by an
/// unimport), each once.
fn check_free_ids(m: &Model, t: Table, ids: impl Iterator<Item = u32>) -> Result<HashSet<u32>, StoreError> {
    let next = m.next_id(t);
    let mut set = HashSet::new();
    for id in ids {
        if id == 0 || id >= next || m.record(t, id).is_some() || !set.insert(id) {
            return Err(StoreError::BadImport(format!("cannot restore {} {id}", t.plural())));
        }
    }
    Ok(set)
}

/// Puts back the records an unimport took away, with their ids and metadata.
fn plan_reimport(m: &Model, ds: Dataset) -> Result<Change, StoreError> {
    let ids = NewIds {
        orgs: check_free_ids(m, Table::Organisation, ds.organisations.iter().map(|r| r.id.0))?,
        events: check_free_ids(m, Table::Event, ds.events.iter().map(|r| r.id.0))?,
        people: check_free_ids(m, Table::Participant, ds.participants.iter().map(|r| r.id.0))?,
    };
    check_free_ids(m, Table::Attendance, ds.attendance.iter().map(|r| r.id.0))?;
    check_free_ids(m, Table::Indicator, ds.indicators.iter().map(|r| r.id.0))?;
    check_dataset(m, &ds, &ids)?;
    Ok(Change::Imported(Box::new(ds)))
}

/// Takes back the records of an import: each as the import left it, none used by a record
/// outside the import.
fn plan_unimport(m: &Model, ds: &Dataset) -> Result<Change, StoreError> {
    fn current<T: Record + Clone>(m: &Model, r: &T) -> Result<T, StoreError> {
        let (t, id) = (T::TABLE, r.raw_id());
        let now = m.record(t, id).ok_or(StoreError::NotFound { table: t, id })?;
        let stored = *now.meta();
        if stored != *r.meta() {
            return Err(StoreError::Conflict {
                table: t,
                id,
                by: m.user_name(stored.updated_by).to_string(),
                at: stored.updated_at,
            });
        }
        Ok(r.clone())
    }
    let set = |ids: &mut dyn Iterator<Item = u32>| ids.collect::<HashSet<u32>>();
    let orgs = set(&mut ds.organisations.iter().map(|r| r.id.0));
    let events = set(&mut ds.events.iter().map(|r| r.id.0));
    let people = set(&mut ds.participants.iter().map(|r| r.id.0));
    let rows = set(&mut ds.attendance.iter().map(|r| r.id.0));
    let in_use = |table: Table, id: u32, by: Table, outside: usize| {
        if outside > 0 {
            Err(StoreError::InUse {
                table,
                id,
                by,
                count: outside,
            })
        } else {
            Ok(())
        }
    };
    let outside = |ids: &[u32], inside: &HashSet<u32>| ids.iter().filter(|id| !inside.contains(id)).count();
    let mut out = Dataset::default();
    for r in &ds.attendance {
        out.attendance.push(current(m, r)?);
    }
    for r in &ds.participants {
        out.participants.push(current(m, r)?);
        let used: Vec<u32> = m.attendance_of_person(r.id).iter().map(|a| a.0).collect();
        in_use(Table::Participant, r.id.0, Table::Attendance, outside(&used, &rows))?;
    }
    for r in &ds.events {
        out.events.push(current(m, r)?);
        let used: Vec<u32> = m.attendance_of_event(r.id).iter().map(|a| a.0).collect();
        in_use(Table::Event, r.id.0, Table::Attendance, outside(&used, &rows))?;
    }
    for r in &ds.indicators {
        out.indicators.push(current(m, r)?);
    }
    for r in &ds.organisations {
        out.organisations.push(current(m, r)?);
        let o = r.id;
        let children: Vec<u32> = m.children_of(o).iter().map(|x| x.0).collect();
        let staff: Vec<u32> = m.people_of(o).iter().map(|x| x.0).collect();
        let held: Vec<u32> = m.events_of(o).iter().map(|x| x.0).collect();
        in_use(Table::Organisation, o.0, Table::Organisation, outside(&children, &orgs))?;
        in_use(Table::Organisation, o.0, Table::Participant, outside(&staff, &people))?;
        in_use(Table::Organisation, o.0, Table::Event, outside(&held, &events))?;
    }
    Ok(Change::Unimported(Box::new(out)))
}

/// Checks a dataset's records and references against the model plus the records it makes
/// (`ids`): fields, parents before children, no second attendance row for a pair.
fn check_dataset(m: &Model, ds: &Dataset, ids: &NewIds) -> Result<(), StoreError> {
    let NewIds { orgs, events, people } = ids;
    for r in &ds.organisations {
        check(r)?;
    }
    // Parents may be created in the same import: check cycles over model + import.
    for r in &ds.organisations {
        if let Some(p) = r.parent {
            if !(m.organisations.contains(p.0) || orgs.contains(&p.0)) {
                return Err(invalid(Table::Organisation, Field::Parent, Problem::UnknownReference));
            }
            if p.0 >= r.id.0 && orgs.contains(&p.0) {
                // Parents come first in an import, which also rules out cycles.
                return Err(StoreError::BadImport(format!(
                    "organisation {} refers to parent {} that comes after it",
                    r.id, p
                )));
            }
        }
    }
    for r in &ds.events {
        check(r)?;
        check_refs(m, &AnyRecord::Event(r.clone()), orgs, events, people)?;
    }
    for r in &ds.participants {
        check(r)?;
        if let Some(o) = r.institution
            && !(m.organisations.contains(o.0) || orgs.contains(&o.0))
        {
            return Err(invalid(
                Table::Participant,
                Field::Institution,
                Problem::UnknownReference,
            ));
        }
    }
    let mut pairs: HashSet<(u32, u32)> = HashSet::with_capacity(ds.attendance.len());
    for r in &ds.attendance {
        if !(m.events.contains(r.event.0) || events.contains(&r.event.0)) {
            return Err(invalid(Table::Attendance, Field::Event, Problem::UnknownReference));
        }
        if !(m.participants.contains(r.participant.0) || people.contains(&r.participant.0)) {
            return Err(invalid(
                Table::Attendance,
                Field::Participant,
                Problem::UnknownReference,
            ));
        }
        let dup_in_model =
            !m.attendance_of_event(r.event).is_empty() && m.attendance_pair(r.event, r.participant).is_some();
        if !pairs.insert((r.event.0, r.participant.0)) || dup_in_model {
            return Err(StoreError::DuplicateAttendance {
                event: r.event.0,
                participant: r.participant.0,
            });
        }
    }
    for r in &ds.indicators {
        check(r)?;
    }
    if let Some(p) = &ds.project
        && let Some(lead) = p.lead
        && !(m.organisations.contains(lead.0) || orgs.contains(&lead.0))
    {
        return Err(invalid(Table::Organisation, Field::Lead, Problem::UnknownReference));
    }
    Ok(())
}
