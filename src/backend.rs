//! The seam between what shows or prints project data (the screen, the CLI) and where it
//! lives: a [`Backend`] gives the model replica, applies Commands, reads the change log and
//! reports what happened meanwhile (the load finished, others' changes, the connection).
//! Two implementations: the `Store` itself (this process owns the database) and the
//! server's client (`server::client::Remote`). Knows nothing of the screen.

use crate::command::{Change, Command};
use crate::domain::UserId;
use crate::model::Model;
use crate::store::{LogEntry, Store, StoreError};

/// What happened since the last [`Backend::poll`].
#[derive(Debug)]
pub enum Event {
    /// The data finished loading: the model is complete from now on.
    Loaded,
    /// Loading (or the connection) failed for good.
    Failed(StoreError),
    /// Someone else's change, already applied to the replica.
    Changed { change: Box<Change>, by: UserId },
    /// The connection to the server was lost; the backend is trying to get it back.
    Disconnected,
    /// Connected again: the replica was replaced by a fresh snapshot.
    Reconnected,
    /// Who else is attached changed.
    Peers,
}

/// An erasure made: its change (for undo and the lists), and, when the database files could
/// not be rewritten (a full disk), why: the data holds no trace of the people, the old
/// files still do until a rewrite succeeds (the server tries again by itself; every open
/// does too).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Erased {
    pub change: Change,
    pub owed: Option<StoreError>,
    /// Files this program wrote since the people were added, which may still hold them.
    pub files: Vec<(crate::domain::FileKind, String)>,
}

impl From<crate::store::Erasure> for Erased {
    fn from(e: crate::store::Erasure) -> Erased {
        Erased {
            change: e.change,
            owed: e.rewrite.err(),
            files: e.files,
        }
    }
}

/// One place project data comes from and goes to.
pub trait Backend {
    /// The replica of the whole project (empty until loaded).
    fn model(&self) -> &Model;
    /// Whether the model is complete.
    fn is_loaded(&self) -> bool;
    /// Applies a command; the change is in the replica when this returns.
    fn apply(&mut self, cmd: Command) -> Result<Change, StoreError>;
    /// The change log, newest first.
    fn history(&mut self, limit: usize) -> Result<Vec<LogEntry>, StoreError>;
    /// Who this backend writes as.
    fn user(&self) -> UserId;
    fn user_name(&self) -> String {
        self.model().user_name(self.user()).to_string()
    }
    /// Where the data is, for the status bar.
    fn label(&self) -> String;
    /// Replays a change the replica already holds, part by part (see [`Model::replay`]).
    fn replay(&mut self, change: &Change, seen: &mut dyn FnMut(&Model, &Change));
    /// Every indicator's value as of `asof` (the server answers from running totals it
    /// keeps; elsewhere a scan of the model).
    fn outcomes(&mut self, asof: chrono::NaiveDate) -> Vec<(crate::domain::IndicatorId, crate::indicators::Outcome)> {
        crate::indicators::evaluate_all(self.model(), asof)
    }
    /// What happened since the last call (never blocks).
    fn poll(&mut self) -> Vec<Event>;
    /// The other people attached to the same data (account names), when shared.
    fn peers(&self) -> Vec<String> {
        Vec::new()
    }
    /// Erases people for good: their names and contacts leave the model and the database
    /// files (their attendance stays, without them), in one change. The change can be made
    /// while the files' rewrite fails (a full disk): [`Erased::owed`] says so.
    fn erase(&mut self, ids: &[crate::domain::ParticipantId]) -> Result<Erased, StoreError>;
    /// Rewrites the database files, dropping every old version of every value.
    fn compact(&mut self) -> Result<crate::store::Rewritten, StoreError> {
        Err(StoreError::BadImport("compacting needs the database's owner".into()))
    }
    /// Adds account names (that records name as their authors, e.g. the sample's) to the
    /// database's list, in order, after those it has.
    /// Notes that this program wrote `file` holding people's data (a backup, an export, a
    /// sign-in sheet): an erasure names it as possibly still holding the person.
    fn note_file(&mut self, kind: crate::domain::FileKind, file: &str) -> Result<(), StoreError>;
    fn add_users(&mut self, names: &[crate::domain::Text]) -> Result<(), StoreError> {
        if names.is_empty() {
            Ok(())
        } else {
            Err(StoreError::BadImport(
                "adding account names needs the database's owner".into(),
            ))
        }
    }
    /// Bytes the data takes on disk, where this process can tell.
    fn size_on_disk(&self) -> u64 {
        0
    }
    /// Whether changes may arrive from elsewhere (the screen then wakes up more often).
    fn is_shared(&self) -> bool {
        false
    }
}

/// This process owns the store (tests, one-off use, `--no-server`); the data may still be
/// loading on a background thread (`Store::load_in_background`).
impl Backend for Store {
    fn model(&self) -> &Model {
        Store::model(self)
    }
    fn is_loaded(&self) -> bool {
        Store::is_loaded(self)
    }
    fn apply(&mut self, cmd: Command) -> Result<Change, StoreError> {
        Store::apply(self, cmd)
    }
    fn history(&mut self, limit: usize) -> Result<Vec<LogEntry>, StoreError> {
        Store::history(self, limit)
    }
    fn user(&self) -> UserId {
        Store::user(self)
    }
    fn user_name(&self) -> String {
        Store::user_name(self).to_string()
    }
    fn label(&self) -> String {
        self.path().display().to_string()
    }
    fn replay(&mut self, change: &Change, seen: &mut dyn FnMut(&Model, &Change)) {
        Store::replay(self, change, seen);
    }
    fn poll(&mut self) -> Vec<Event> {
        match self.poll_loaded() {
            None => Vec::new(),
            Some(Ok(())) => vec![Event::Loaded],
            Some(Err(e)) => vec![Event::Failed(e)],
        }
    }
    fn size_on_disk(&self) -> u64 {
        Store::size_on_disk(self)
    }
    fn note_file(&mut self, kind: crate::domain::FileKind, file: &str) -> Result<(), StoreError> {
        Store::note_file(self, kind, file, self.user())
    }
    fn add_users(&mut self, names: &[crate::domain::Text]) -> Result<(), StoreError> {
        names.iter().try_for_each(|n| self.user_id(n).map(|_| ()))
    }
    fn erase(&mut self, ids: &[crate::domain::ParticipantId]) -> Result<Erased, StoreError> {
        Ok(self.erase_many(ids)?.into())
    }
    fn compact(&mut self) -> Result<crate::store::Rewritten, StoreError> {
        Store::compact(self)
    }
}

impl From<Store> for Box<dyn Backend> {
    fn from(store: Store) -> Self {
        Box::new(store)
    }
}
