//! Restoring a backup: a store-level bulk load that writes records with their ids and
//! metadata exactly as they were (not through `apply`, which would stamp them anew), in one
//! sled batch that replaces whatever the database held. The file is read and checked by
//! `io::backup`; this only writes.

use super::codec::*;
use super::{LogEntry, Logged, Store, StoreError};
use crate::domain::{Project, Table, Text, UserId};
use crate::model::{Model, Tables};

/// Everything a backup holds, checked (see `io::backup::read`).
pub struct Restored {
    pub project: Project,
    /// Unix user names; records name their authors by position here.
    pub users: Vec<Text>,
    pub tables: Tables,
    /// The change log, oldest first.
    pub log: Vec<LogEntry>,
}

impl Store {
    /// Whether the database holds anything: a record, a change-log entry or a project.
    pub fn holds_data(&self) -> Result<bool, StoreError> {
        Ok(self.model.total() > 0 || !self.history(1)?.is_empty() || self.model.project != Project::default())
    }

    /// Replaces the whole database with `r`, keeping every id and every record's metadata:
    /// everything is written in one atomic sled batch and flushed (a failure leaves the
    /// database as it was). The change log gets an entry of its own after the backup's:
    /// who restored, when, from which file (`from`) and how many records. If the database
    /// held data before, it is then rewritten into fresh files so that none of the replaced
    /// values stays readable in them.
    ///
    /// Erasures made in this database that the backup does not hold are made again (the
    /// person is told by id and when their record was made), and their log entries kept:
    /// an old backup never brings back someone who asked to be forgotten. Returns the ids
    /// erased again.
    pub fn restore(&mut self, r: Restored, from: &str) -> Result<Vec<u32>, StoreError> {
        if !self.loaded {
            return Err(StoreError::NotLoaded);
        }
        let had_data = self.holds_data()?;
        let erasures: Vec<LogEntry> = self
            .history(usize::MAX)?
            .into_iter()
            .rev()
            .filter(|e| matches!(e.what, Logged::Erased { .. }))
            .collect();
        let Restored {
            project,
            mut users,
            tables,
            mut log,
        } = r;
        // This process writes as its own account: its name is added if the backup does
        // not know it (the restore's own log entry names it).
        let me = self.users.get(self.user.index()).cloned().unwrap_or_default();
        let user = match users.iter().position(|u| *u == me) {
            Some(i) => UserId(i as u16),
            None => {
                users.push(me);
                UserId(u16::try_from(users.len() - 1).map_err(|_| StoreError::BadImport("too many user names".into()))?)
            }
        };
        let model = Model::from_rows(project, users.clone(), tables);
        // The erasures this database made that the backup does not know of: their record is
        // kept (the users they name are this database's, which the backup's list may lack:
        // the restoring account is named instead).
        let missing: Vec<LogEntry> = erasures
            .into_iter()
            .filter(|e| !log.iter().any(|b| b.at == e.at && b.what == e.what))
            .collect();
        let forgotten: Vec<super::Forgotten> = missing
            .iter()
            .flat_map(|e| match &e.what {
                Logged::Erased { people, .. } => people.clone(),
                _ => Vec::new(),
            })
            .collect();
        log.extend(missing.into_iter().map(|e| LogEntry { user, ..e }));
        log.push(LogEntry {
            at: crate::domain::Stamp::now(),
            user,
            what: Logged::Restored {
                file: from.to_string(),
                records: model.total() as u64,
            },
        });
        self.forget_snapshot();
        let before = std::mem::replace(&mut self.model, model);
        if let Err(e) = self.write_all(&users, &log) {
            self.model = before;
            return Err(e);
        }
        self.users_saved = users.len();
        self.users = users;
        self.user = user;
        self.model.users = self.users.clone();
        self.log_next = log.len() as u64;
        // A store that wrote refreshes sled's snapshot when dropped (see `Drop for Store`).
        self.log_at_open = u64::MAX;
        let again: Vec<crate::domain::ParticipantId> = forgotten
            .iter()
            .filter(|f| {
                self.model
                    .participants
                    .get(f.id)
                    .is_some_and(|p| p.meta.created_at == f.created_at && !p.is_erased())
            })
            .map(|f| crate::domain::ParticipantId(f.id))
            .collect();
        if !again.is_empty() {
            // Erasing rewrites the files too.
            self.erase_many(&again)?.rewrite?;
        } else if had_data {
            self.compact()?;
        }
        Ok(again.iter().map(|p| p.0).collect())
    }

    /// Writes this store's model (just replaced by a backup's), `users` and `log` as the
    /// whole database, in one batch, and flushes.
    fn write_all(&self, users: &[Text], log: &[LogEntry]) -> Result<(), StoreError> {
        let err = |e| StoreError::from_sled(e, &self.path);
        let db = self.db()?;
        let mut batch = sled::Batch::default();
        // Everything but the schema version goes (later inserts of the same key win).
        for kv in db.iter() {
            let (k, _) = kv.map_err(err)?;
            if &k[..] != KEY_SCHEMA {
                batch.remove(k);
            }
        }
        let m = &self.model;
        for c in super::snapshot::encode_all(m)? {
            batch.insert(&chunk_key(c.table, c.number)[..], &*c.bytes);
        }
        let next: Vec<u32> = Table::ALL.iter().map(|t| m.next_id(*t)).collect();
        batch.insert(KEY_NEXT, encode_meta(&next)?);
        batch.insert(KEY_USERS, encode_meta(&users)?);
        batch.insert(KEY_PROJECT, encode_meta(&StoredProject::of(&m.project))?);
        batch.insert(KEY_SETTINGS, encode_meta(&m.project.settings)?);
        for (seq, entry) in log.iter().enumerate() {
            batch.insert(&log_key(seq as u64)[..], encode_meta(entry)?);
        }
        db.apply_batch(batch).map_err(err)?;
        db.flush().map_err(err)?;
        Ok(())
    }
}
