//! The Command -> Change seam: every mutation of project data is one `Command`; applying it
//! yields one `Change`, which updates every model replica and can be inverted for undo.

use crate::domain::{AnyRecord, Attendance, Event, Indicator, Organisation, Participant, Project, Table};
use serde::{Deserialize, Serialize};

/// What a user (or an import) asks the store to do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    /// Add a record; its id and metadata are assigned by the store.
    Create(AnyRecord),
    /// Replace the record with the same id (metadata is kept and touched). The record's
    /// metadata is the version it was read at: if the stored one differs, someone changed
    /// it since and the update is refused ([`StoreError::Conflict`]); an unsaved
    /// placeholder (`Meta::unsaved()`) skips the check.
    ///
    /// [`StoreError::Conflict`]: crate::store::StoreError::Conflict
    Update(AnyRecord),
    /// Remove a record that nothing refers to.
    Delete { table: Table, id: u32 },
    /// Put back a deleted record under its old id (the inverse of a delete).
    Restore(AnyRecord),
    /// Add many records at once, atomically; ids must be the next free ones, in order.
    Import(Box<Dataset>),
    /// Set the project's description.
    SetProject(Project),
    /// Several commands as one user action: planned in order (each sees the ones before
    /// it), written in one atomic batch, logged as one entry and undone in one step. If any
    /// part is refused, nothing is applied.
    Batch(Vec<Command>),
    /// Take back the records an import made (the undo of [`Change::Imported`]): every one
    /// must still be as the import left it (else [`StoreError::Conflict`]) and nothing
    /// outside the import may refer to it (else [`StoreError::InUse`]). The project is
    /// left as it is.
    ///
    /// [`StoreError::Conflict`]: crate::store::StoreError::Conflict
    /// [`StoreError::InUse`]: crate::store::StoreError::InUse
    Unimport(Box<Dataset>),
    /// Put back, under their old ids and with their metadata, the records an
    /// [`Command::Unimport`] took away (the undo of [`Change::Unimported`]).
    Reimport(Box<Dataset>),
    /// The inverse of an earlier change (an undo): applied as the command it holds, and
    /// logged as an undo so that the change log tells it from an action.
    Undo(Box<Command>),
}

/// What happened; applied to the model replica, sent to other clients, inverted by undo.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Created(AnyRecord),
    Updated {
        before: Box<AnyRecord>,
        after: Box<AnyRecord>,
    },
    Deleted(AnyRecord),
    Imported(Box<Dataset>),
    ProjectSet {
        before: Project,
        after: Project,
    },
    /// The changes of a [`Command::Batch`], in the order they were made.
    Batch(Vec<Change>),
    /// The records of an import, taken back in one go (see [`Command::Unimport`]).
    Unimported(Box<Dataset>),
}

impl Change {
    /// The command that undoes this change, if it can be undone.
    pub fn inverse(&self) -> Option<Command> {
        match self {
            Change::Created(r) => Some(Command::Delete {
                table: r.table(),
                id: r.raw_id(),
            }),
            // Back to `before`, as an edit of `after`: refused if someone changed it since.
            Change::Updated { before, after } => {
                let mut back = before.as_ref().clone();
                *back.meta_mut() = *after.meta();
                Some(Command::Update(back))
            }
            Change::Deleted(r) => Some(Command::Restore(r.clone())),
            // An import that set the project cannot give the old one back.
            Change::Imported(ds) if ds.project.is_some() => None,
            Change::Imported(ds) => Some(Command::Unimport(ds.clone())),
            Change::ProjectSet { before, .. } => Some(Command::SetProject(before.clone())),
            Change::Batch(parts) => parts
                .iter()
                .rev()
                .map(Change::inverse)
                .collect::<Option<Vec<_>>>()
                .map(Command::Batch),
            Change::Unimported(ds) => Some(Command::Reimport(ds.clone())),
        }
    }

    /// After an undo (`undo`, the change it made) the records it touched have new versions;
    /// an earlier change to the same records is moved onto them, so that it can be undone
    /// next (its undo is an edit of the version the previous undo left).
    pub fn rebase_onto(&mut self, undo: &Change) {
        let newer: Vec<(crate::domain::Table, u32, crate::domain::Meta)> = undo
            .parts()
            .into_iter()
            .filter_map(|p| match p {
                Change::Created(r) => Some(r),
                Change::Updated { after, .. } => Some(after.as_ref()),
                _ => None,
            })
            .map(|r| (r.table(), r.raw_id(), *r.meta()))
            .collect();
        self.rebase_parts(&newer);
    }

    fn rebase_parts(&mut self, newer: &[(crate::domain::Table, u32, crate::domain::Meta)]) {
        match self {
            Change::Batch(parts) => parts.iter_mut().for_each(|p| p.rebase_parts(newer)),
            Change::Updated { after, .. } => {
                if let Some((_, _, meta)) = newer
                    .iter()
                    .find(|(t, id, _)| *t == after.table() && *id == after.raw_id())
                {
                    *after.meta_mut() = *meta;
                }
            }
            // An import is undone by comparing versions: it moves onto the newer ones too.
            Change::Imported(ds) => {
                for (t, id, meta) in newer {
                    ds.set_meta(*t, *id, *meta);
                }
            }
            _ => {}
        }
    }

    /// The single changes this change is made of, in order (a batch's parts, flattened).
    pub fn parts(&self) -> Vec<&Change> {
        let mut out = Vec::new();
        self.collect_parts(&mut out);
        out
    }

    fn collect_parts<'a>(&'a self, out: &mut Vec<&'a Change>) {
        match self {
            Change::Batch(parts) => parts.iter().for_each(|p| p.collect_parts(out)),
            single => out.push(single),
        }
    }
}

/// A batch of new records for [`Command::Import`] (sample data, generated data, CSV import).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    pub project: Option<Project>,
    pub organisations: Vec<Organisation>,
    pub events: Vec<Event>,
    pub participants: Vec<Participant>,
    pub attendance: Vec<Attendance>,
    pub indicators: Vec<Indicator>,
}

impl Command {
    /// This command as the server takes it from a client: whatever it says of who checked
    /// people in is dropped (the store stamps the account that made the change; ids and
    /// metadata the store assigns anyway). An undo's records keep theirs: they put back
    /// what the server itself sent.
    pub fn from_client(self) -> Command {
        match self {
            Command::Import(mut ds) => {
                ds.attendance.iter_mut().for_each(|a| a.checked_in_by = None);
                Command::Import(ds)
            }
            Command::Batch(parts) => Command::Batch(parts.into_iter().map(Command::from_client).collect()),
            other => other,
        }
    }
}

impl Dataset {
    /// Number of records of all kinds.
    pub fn len(&self) -> usize {
        self.organisations.len()
            + self.events.len()
            + self.participants.len()
            + self.attendance.len()
            + self.indicators.len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0 && self.project.is_none()
    }

    /// Sets the metadata of its record `id` of table `t`, if it holds that record.
    fn set_meta(&mut self, t: Table, id: u32, meta: crate::domain::Meta) {
        fn set<T: crate::domain::Record>(rows: &mut [T], id: u32, meta: crate::domain::Meta) {
            // Imports hold their records in id order.
            if let Ok(i) = rows.binary_search_by_key(&id, |r| r.raw_id()) {
                *rows[i].meta_mut() = meta;
            }
        }
        match t {
            Table::Organisation => set(&mut self.organisations, id, meta),
            Table::Event => set(&mut self.events, id, meta),
            Table::Participant => set(&mut self.participants, id, meta),
            Table::Attendance => set(&mut self.attendance, id, meta),
            Table::Indicator => set(&mut self.indicators, id, meta),
        }
    }
}
