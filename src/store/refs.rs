//! A batch's placeholders: the records a batch or an import creates are named "new #k" by
//! the client (see [`crate::domain::NEW_BIT`]) and referred to by those; here they become
//! the ids the store gives, inside the one apply. A placeholder the batch does not create is
//! refused, never guessed.

use super::error::StoreError;
use crate::command::{Command, Dataset};
use crate::domain::{AnyRecord, Record, References, Table, placeholder};
use std::collections::HashMap;

/// The placeholders a batch has resolved so far: (table, k) → the id given.
#[derive(Debug, Default)]
pub struct Placeholders {
    made: HashMap<(Table, u32), u32>,
}

impl Placeholders {
    /// The real id of raw id `id` of table `t`: itself when not a placeholder.
    fn id(&self, t: Table, id: u32) -> Result<u32, StoreError> {
        match placeholder(id) {
            None => Ok(id),
            Some(k) => self
                .made
                .get(&(t, k))
                .copied()
                .ok_or(StoreError::Unresolved { table: t, new: k }),
        }
    }

    /// Notes that new record `k` of table `t` got id `id`; a placeholder used twice is refused.
    fn note(&mut self, t: Table, k: u32, id: u32) -> Result<(), StoreError> {
        match self.made.insert((t, k), id) {
            None => Ok(()),
            Some(_) => Err(StoreError::Unresolved { table: t, new: k }),
        }
    }

    /// Resolves every reference of `r` (not its own id).
    pub fn resolve_refs(&self, r: &mut impl References) -> Result<(), StoreError> {
        r.try_refs_mut(|_, t, id| {
            *id = self.id(t, *id)?;
            Ok(())
        })
    }

    /// The command with its references resolved, and the placeholder its record takes if it
    /// creates one under a placeholder (to be noted with [`Placeholders::made`] once the store
    /// has given the id). The target of an update, a delete or a restore may be a record
    /// made earlier in the batch.
    pub fn resolve(&self, cmd: Command) -> Result<(Command, Option<(Table, u32)>), StoreError> {
        Ok(match cmd {
            Command::Create(mut r) => {
                self.resolve_refs(&mut r)?;
                let new = placeholder(r.raw_id()).map(|k| (r.table(), k));
                (Command::Create(r), new)
            }
            Command::Update(r) => (Command::Update(self.record(r)?), None),
            Command::Restore(r) => (Command::Restore(self.record(r)?), None),
            Command::Delete { table, id } => (
                Command::Delete {
                    table,
                    id: self.id(table, id)?,
                },
                None,
            ),
            Command::SetProject(mut p) => {
                if let Some(lead) = p.lead.as_mut() {
                    lead.0 = self.id(Table::Organisation, lead.0)?;
                }
                if let Some(r) = p.settings.reporting_partner.as_mut() {
                    r.0 = self.id(Table::Organisation, r.0)?;
                }
                (Command::SetProject(p), None)
            }
            other => (other, None),
        })
    }

    /// A record with its own id and its references resolved.
    fn record(&self, mut r: AnyRecord) -> Result<AnyRecord, StoreError> {
        let id = self.id(r.table(), r.raw_id())?;
        r.set_raw_id(id);
        self.resolve_refs(&mut r)?;
        Ok(r)
    }

    /// Notes the id the store gave the record created under placeholder `new`.
    pub fn made(&mut self, new: Option<(Table, u32)>, id: u32) -> Result<(), StoreError> {
        match new {
            Some((t, k)) => self.note(t, k, id),
            None => Ok(()),
        }
    }
}

/// An import's records under placeholders get the next free ids of their tables, in order,
/// and every reference to them is resolved; records already under real ids keep them (the
/// store checks that those are the next free ones). `next` gives a table's next free id.
pub fn resolve_dataset(mut ds: Dataset, next: impl Fn(Table) -> u32) -> Result<Dataset, StoreError> {
    let mut new = Placeholders::default();
    fn give<T: Record>(rows: &mut [T], next: u32, new: &mut Placeholders) -> Result<(), StoreError> {
        for (i, r) in rows.iter_mut().enumerate() {
            if let Some(k) = placeholder(r.raw_id()) {
                let id = next + i as u32;
                new.note(T::TABLE, k, id)?;
                r.set_raw_id(id);
            }
        }
        Ok(())
    }
    give(&mut ds.organisations, next(Table::Organisation), &mut new)?;
    give(&mut ds.events, next(Table::Event), &mut new)?;
    give(&mut ds.participants, next(Table::Participant), &mut new)?;
    give(&mut ds.attendance, next(Table::Attendance), &mut new)?;
    give(&mut ds.indicators, next(Table::Indicator), &mut new)?;
    if new.made.is_empty() {
        return Ok(ds);
    }
    fn refs<T: Record>(rows: &mut [T], new: &Placeholders) -> Result<(), StoreError> {
        rows.iter_mut().try_for_each(|r| new.resolve_refs(r))
    }
    refs(&mut ds.organisations, &new)?;
    refs(&mut ds.events, &new)?;
    refs(&mut ds.participants, &new)?;
    refs(&mut ds.attendance, &new)?;
    refs(&mut ds.indicators, &new)?;
    if let Some(p) = ds.project.as_mut() {
        if let Some(lead) = p.lead.as_mut() {
            lead.0 = new.id(Table::Organisation, lead.0)?;
        }
        if let Some(r) = p.settings.reporting_partner.as_mut() {
            r.0 = new.id(Table::Organisation, r.0)?;
        }
    }
    Ok(ds)
}
