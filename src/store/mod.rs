//! The store: the only code that touches sled. `Store::apply(Command) -> Change` is the one
//! way project data changes; it validates against the model replica it owns, writes the
//! touched chunks in one atomic batch, flushes, and only then reports the change.

pub mod codec;
pub mod compact;
pub mod error;
pub mod lock;
mod migrate;
mod plan;
pub mod refs;
pub mod reserve;
pub mod restore;
pub mod retention;
pub mod snapshot;

pub use compact::Rewritten;
pub use error::StoreError;

use crate::command::{Change, Command};
use crate::domain::{Project, Record, Settings, Table, Text, UserId};
use crate::model::{Model, Rows};
use codec::*;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Files remembered as written (see [`Store::note_file`]); older ones are forgotten.
const MAX_FILES: usize = 1000;

/// sled's page cache; the model replica holds the data, so this can stay small.
const CACHE_BYTES: u64 = 8 * 1024 * 1024;

pub struct Store {
    /// `None` only if reopening after the load failed; every write then reports it.
    db: Option<sled::Db>,
    /// The next change-log sequence number.
    log_next: u64,
    /// `log_next` when opened: a store that wrote refreshes sled's snapshot when dropped.
    log_at_open: u64,
    path: PathBuf,
    user: UserId,
    users: Vec<Text>,
    /// How many of `users` are in the database (this process's own name may not be yet).
    users_saved: usize,
    /// A write failed in a way that leaves sled's handle failing every later call (its
    /// global error, e.g. after a full disk): reopen before the next write.
    stale: bool,
    /// sled's file, kept open for the `fdatasync` after each flush (closed on reopen).
    sync_file: Option<std::fs::File>,
    /// How the last write's time went (see [`Store::last_write`]).
    last_write: WriteTimes,
    /// Every chunk encoded as the model holds it, kept from the first [`Store::snapshot`]
    /// on (a server's) and updated by every write, so that a snapshot costs no encoding.
    encoded: Option<Encoded>,
    /// The model's derived parts for snapshots, and the model generation they were taken at.
    derived: Option<(u64, Arc<crate::model::Derived>)>,
    model: Model,
    loaded: bool,
    /// A load running on another thread (see [`Store::load_in_background`]).
    /// (In a mutex only so that the store stays `Sync` for its parallel encoders.)
    loading: Option<std::sync::Mutex<std::sync::mpsc::Receiver<Loaded>>>,
    /// Held from open to drop, through every reopen of sled (declared last: dropped last).
    lock: lock::DbLock,
    /// The people the change being planned erases (its log entry says so).
    erasing: Option<Vec<Forgotten>>,
    /// A rewrite copying the database on another thread (see [`Store::start_rewrite`]).
    rewriting: Option<Rewriting>,
    /// A rewrite swapped in whose old files are being removed on another thread; its
    /// result is handed out once they are gone.
    discarding: Option<Discarding>,
}

/// The end of a rewrite beside the writes: the old files going, and what to report then.
struct Discarding {
    thread: std::thread::JoinHandle<std::io::Result<()>>,
    result: Result<Rewritten, StoreError>,
    started: Instant,
}

/// A rewrite beside the writes: the copying thread, the keys written since it began (copied
/// again at the swap), and how to stop it.
struct Rewriting {
    copy: std::thread::JoinHandle<Result<compact::Copied, StoreError>>,
    written: std::sync::Mutex<BTreeSet<Vec<u8>>>,
    cancel: Arc<std::sync::atomic::AtomicBool>,
    started: Instant,
    bytes_before: u64,
}

/// Where the time of one write (a group commit) went: planning the changes against the
/// model, encoding and writing them to sled, sled's flush, and the `fdatasync` after it.
#[derive(Clone, Copy, Debug, Default)]
pub struct WriteTimes {
    /// Changes written (refused ones not counted).
    pub changes: usize,
    pub plan: Duration,
    /// Encoding the touched chunks.
    pub encode: Duration,
    /// Handing the batch to sled (encoded chunks, log entries).
    pub write: Duration,
    pub flush: Duration,
    pub sync: Duration,
}

/// Every chunk's encoding, by table and chunk number.
type Encoded = BTreeMap<(Table, u32), Arc<[u8]>>;

/// Chunks a write touched, as kept for snapshots (`None`: the chunk is now empty).
type Written = Vec<((Table, u32), Option<Arc<[u8]>>)>;

/// What a background load hands back: the model and the database handle.
type Loaded = Result<(Model, sled::Db), StoreError>;

/// What an erasure did: the change (for undo and the lists), the attendance rows kept
/// without the person, and the rewrite, which can fail after the change was made (then
/// the data is gone from the model but not yet from the files: the next open rewrites).
#[derive(Debug)]
pub struct Erasure {
    pub change: Change,
    pub rows: usize,
    pub rewrite: Result<Rewritten, StoreError>,
    /// Files this program wrote since the first of them was added (backups, exports,
    /// sign-in sheets), which may still hold them.
    pub files: Vec<(FileKind, String)>,
}

/// One applied change in the log: when, by whom, what (by id).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LogEntry {
    pub at: crate::domain::Stamp,
    pub user: UserId,
    pub what: Logged,
}

/// What a logged change did.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Logged {
    Created {
        table: Table,
        id: u32,
    },
    Updated {
        table: Table,
        id: u32,
    },
    Deleted {
        table: Table,
        id: u32,
    },
    Imported {
        records: u32,
    },
    ProjectSet,
    /// One user action of several changes.
    Batch(Vec<Logged>),
    /// An import taken back (its undo).
    Unimported {
        records: u32,
    },
    /// The whole database replaced by a backup (`atbalsts restore`): from which file, how
    /// many records it brought.
    Restored {
        file: String,
        records: u64,
    },
    // New variants go at the end (entries are encoded by position; older entries read
    // as they were written).
    /// An undo of an earlier change (what the undo itself did).
    Undone(Box<Logged>),
    /// The project or its settings changed: each field that changed, old → new.
    ProjectChanged(Vec<FieldChange>),
    /// People erased for good (what the change did is `what`): who, by id and when their
    /// record was made (nothing personal). A restore of an older backup erases them again.
    Erased {
        people: Vec<Forgotten>,
        what: Box<Logged>,
    },
    /// A file this program wrote that holds people's data (a backup, an export, a sign-in
    /// sheet), so that an erasure can say which files may still hold the person.
    Wrote {
        kind: FileKind,
        file: String,
    },
}

/// One erased person, as the change log remembers them: their id and when their record
/// was made (which tells the same person in a backup from another with the same id).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Forgotten {
    pub id: u32,
    pub created_at: crate::domain::Stamp,
}

pub use crate::domain::FileKind;

/// One field of the project that a change set: its code (`seminar_hours_cap`, `lead`…)
/// and its values before and after, written plainly (ISO dates, hours, ids; no names of
/// people are ever involved).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// The fields that differ between two versions of the project.
fn project_diff(a: &crate::domain::Project, b: &crate::domain::Project) -> Vec<FieldChange> {
    fn opt<T: std::fmt::Display>(v: &Option<T>) -> String {
        v.as_ref().map(|x| x.to_string()).unwrap_or_default()
    }
    let hours = |h: &Option<crate::domain::Hours>| h.map(|h| h.as_f64().to_string()).unwrap_or_default();
    let count = |c: &Option<crate::domain::OfficialCount>| {
        c.as_ref()
            .map(|c| {
                let date = c.date.map(|d| format!(", {d}")).unwrap_or_default();
                format!("{} ({}{date})", c.count, c.source)
            })
            .unwrap_or_default()
    };
    let (sa, sb) = (&a.settings, &b.settings);
    let pairs: [(&str, String, String); 12] = [
        ("name", a.name.to_string(), b.name.to_string()),
        ("number", a.number.to_string(), b.number.to_string()),
        ("start", opt(&a.start), opt(&b.start)),
        ("end", opt(&a.end), opt(&b.end)),
        (
            "funding_total",
            a.funding_total_cents.to_string(),
            b.funding_total_cents.to_string(),
        ),
        (
            "funding_esf",
            a.funding_esf_cents.to_string(),
            b.funding_esf_cents.to_string(),
        ),
        (
            "funding_state",
            a.funding_state_cents.to_string(),
            b.funding_state_cents.to_string(),
        ),
        ("lead", opt(&a.lead.map(|o| o.0)), opt(&b.lead.map(|o| o.0))),
        ("notes", a.notes.to_string(), b.notes.to_string()),
        (
            "seminar_hours_cap",
            hours(&sa.seminar_hours_cap),
            hours(&sb.seminar_hours_cap),
        ),
        ("institutions", count(&sa.institutions), count(&sb.institutions)),
        (
            "reporting_partner",
            opt(&sa.reporting_partner.map(|o| o.0)),
            opt(&sb.reporting_partner.map(|o| o.0)),
        ),
    ];
    pairs
        .into_iter()
        .filter(|(_, x, y)| x != y)
        .map(|(field, before, after)| FieldChange {
            field: field.to_string(),
            before,
            after,
        })
        .collect()
}

impl Logged {
    pub fn of(c: &Change) -> Logged {
        match c {
            Change::Created(r) => Logged::Created {
                table: r.table(),
                id: r.raw_id(),
            },
            Change::Updated { after, .. } => Logged::Updated {
                table: after.table(),
                id: after.raw_id(),
            },
            Change::Deleted(r) => Logged::Deleted {
                table: r.table(),
                id: r.raw_id(),
            },
            Change::Imported(ds) => Logged::Imported {
                records: u32::try_from(ds.len()).unwrap_or(u32::MAX),
            },
            Change::ProjectSet { before, after } => Logged::ProjectChanged(project_diff(before, after)),
            Change::Batch(parts) => Logged::Batch(parts.iter().map(Logged::of).collect()),
            Change::Unimported(ds) => Logged::Unimported {
                records: u32::try_from(ds.len()).unwrap_or(u32::MAX),
            },
        }
    }
}

/// The command that erases participant `id`: someone with attendance becomes an anonymous
/// record ([`crate::domain::Participant::erased`]: the indicators still count their rows),
/// someone without is deleted. An unknown or already erased id is refused.
pub fn erase_command(m: &Model, id: crate::domain::ParticipantId) -> Result<Command, StoreError> {
    match m.participants.get(id.0) {
        Some(p) if !p.is_erased() => Ok(if m.attendance_of_person(id).is_empty() {
            Command::Delete {
                table: Table::Participant,
                id: id.0,
            }
        } else {
            Command::Update(crate::domain::AnyRecord::Participant(p.erased()))
        }),
        _ => Err(StoreError::NotFound {
            table: Table::Participant,
            id: id.0,
        }),
    }
}

/// Reads the whole database into a model; runs on a background thread while the first
/// frame is already on screen.
pub struct Loader {
    db: sled::Db,
    path: PathBuf,
    users: Vec<Text>,
}

impl Store {
    /// Opens (creating if needed) the database in directory `path` as Unix user `user`.
    /// Fast: reads only metadata. Call [`Store::load`] (or use [`Store::loader`]) next.
    pub fn open(path: &Path, user: &str) -> Result<Store, StoreError> {
        crate::log!("open: start");
        let lock = lock::DbLock::acquire(path, std::time::Duration::from_secs(1))?;
        // Under the lock: finish or undo a rewrite a stopped process left behind.
        compact::recover(path)?;
        let mut db = match Self::open_sled(path) {
            // sled writes a small snapshot when it opens a log that ran past the last one
            // (after a crash): on a full disk the reserve makes room for it, and writes
            // are refused until the reserve can be made again.
            Err(StoreError::DiskFull { .. }) if reserve::release(path) => {
                crate::log!("open: the disk is full: the reserve was given up so that the data opens");
                Self::open_sled(path)?
            }
            other => other?,
        };
        if compact::owed(path) {
            // An erasure was applied but its rewrite did not happen: do it now. If it cannot
            // (a full disk), reading still works and the next open tries again.
            match compact::rewrite(db, path, Self::open_sled) {
                Ok(r) => crate::log!("open: owed rewrite done in {:.0} ms", r.seconds * 1e3),
                Err(_) => crate::log!("open: owed rewrite failed; the next open tries again"),
            }
            db = Self::open_sled(path)?;
        }
        crate::log!("open: sled opened rss_kib={}", crate::log::memory_kib().0);
        let sled_err = |e| StoreError::from_sled(e, path);
        migrate::migrate(&db, migrate::STEPS).map_err(|e| match e {
            migrate::MigrateError::Store(s) => s,
            migrate::MigrateError::Sled(s) => sled_err(s),
        })?;
        let mut users: Vec<Text> = match db.get(KEY_USERS).map_err(sled_err)? {
            Some(v) => decode_meta(KEY_USERS, &v)?,
            None => vec![Text::from("?")],
        };
        // A new name is only remembered here; it is saved with this process's first write
        // (reading must not write: a full disk, a read-only copy), cleaned and bounded.
        let users_saved = users.len();
        let user = Text::from(user_name(user));
        let user = match users.iter().position(|u| *u == user) {
            Some(i) => UserId(i as u16),
            None => {
                users.push(user);
                UserId(u16::try_from(users.len() - 1).map_err(|_| StoreError::BadImport("too many user names".into()))?)
            }
        };
        let log_next = match db.scan_prefix(LOG_PREFIX).next_back() {
            Some(kv) => {
                let (k, _) = kv.map_err(sled_err)?;
                k.get(4..12)
                    .and_then(|b| <[u8; 8]>::try_from(b).ok())
                    .map_or(0, |b| u64::from_be_bytes(b) + 1)
            }
            None => 0,
        };
        Ok(Store {
            users_saved,
            stale: false,
            sync_file: None,
            last_write: WriteTimes::default(),
            encoded: None,
            derived: None,
            log_next,
            log_at_open: log_next,
            db: Some(db),
            path: path.to_owned(),
            user,
            users,
            model: Model::default(),
            loaded: false,
            loading: None,
            lock,
            erasing: None,
            rewriting: None,
            discarding: None,
        })
    }

    /// A loader for this database, to run on another thread. It takes the database handle
    /// (writes wait until [`Store::install`] gives it back): only a sole handle can be
    /// reopened, which is how the loader keeps sled's cache from holding every page read.
    pub fn loader(&mut self) -> Result<Loader, StoreError> {
        let db = self.db.take().ok_or_else(|| self.closed())?;
        // Until `install`, this store has no handle: it must not look loaded (the demo loads
        // the sample before the screen starts its own loader).
        self.loaded = false;
        Ok(Loader {
            db,
            path: self.path.clone(),
            users: self.users.clone(),
        })
    }

    /// Takes what this store's [`Loader`] produced: the model and the database handle.
    pub fn install(&mut self, (model, db): (Model, sled::Db)) {
        self.model = model;
        self.forget_snapshot();
        self.db = Some(db);
        self.loaded = true;
        release_free_memory();
        let (rss, peak) = crate::log::memory_kib();
        crate::log!("install: rss_kib={rss} peak_kib={peak}");
    }

    /// Opens sled, waiting up to a second for the lock: a handle dropped a moment ago (our
    /// own, before a reopen, or a process that is just exiting) releases it asynchronously.
    fn open_sled(path: &Path) -> Result<sled::Db, StoreError> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(1);
        loop {
            compact::remove_half_snapshots(path);
            match sled::Config::new().path(path).cache_capacity(CACHE_BYTES).open() {
                Ok(db) => return Ok(db),
                Err(e) => match StoreError::from_sled(e, path) {
                    StoreError::Locked { .. } if std::time::Instant::now() < deadline => {
                        std::thread::sleep(std::time::Duration::from_millis(10));
                    }
                    other => return Err(other),
                },
            }
        }
    }

    /// Starts loading on a background thread; [`Store::poll_loaded`] installs the result.
    pub fn load_in_background(&mut self) -> Result<(), StoreError> {
        let loader = self.loader()?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(loader.load());
        });
        self.loading = Some(std::sync::Mutex::new(rx));
        Ok(())
    }

    /// Whether a background load has ended since the last call: `Some(Ok)` once it is in.
    pub fn poll_loaded(&mut self) -> Option<Result<(), StoreError>> {
        let received = self.loading.as_ref()?.lock().map(|rx| rx.try_recv());
        let result = match received.unwrap_or(Err(std::sync::mpsc::TryRecvError::Disconnected)) {
            Ok(Ok(loaded)) => {
                self.install(loaded);
                Ok(())
            }
            Ok(Err(e)) => Err(e),
            Err(std::sync::mpsc::TryRecvError::Empty) => return None,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => Err(StoreError::NotLoaded),
        };
        self.loading = None;
        Some(result)
    }

    /// Loads everything now (for the CLI and tests).
    pub fn load(&mut self) -> Result<(), StoreError> {
        let loaded = self.loader()?.load()?;
        self.install(loaded);
        Ok(())
    }

    /// The owner lock's file (held while this store lives).
    pub fn lock_file(&self) -> &Path {
        self.lock.path()
    }

    pub fn is_loaded(&self) -> bool {
        self.loaded
    }
    pub fn model(&self) -> &Model {
        &self.model
    }
    pub fn path(&self) -> &Path {
        &self.path
    }
    /// The user this store writes as.
    pub fn user(&self) -> UserId {
        self.user
    }
    pub fn user_name(&self) -> &str {
        self.users.get(self.user.index()).map(|s| s.as_str()).unwrap_or("?")
    }

    /// Known Unix user names (a `UserId` is a position).
    pub fn users(&self) -> &[Text] {
        &self.users
    }

    /// The id of account `name`, adding it to the list of names (and saving it) if it is
    /// new. Names are cut to 64 characters.
    pub fn user_id(&mut self, name: &str) -> Result<UserId, StoreError> {
        let name: String = name.chars().filter(|c| !c.is_control()).take(64).collect();
        if let Some(i) = self.users.iter().position(|u| u.as_str() == name) {
            return Ok(UserId(i as u16));
        }
        let mut users = self.users.clone();
        users.push(Text::from(name.as_str()));
        let id = u16::try_from(users.len() - 1).map_err(|_| StoreError::BadImport("too many user names".into()))?;
        self.set_users(users)?;
        Ok(UserId(id))
    }

    /// Saves a longer list of user names (names are only ever appended).
    pub fn set_users(&mut self, users: Vec<Text>) -> Result<(), StoreError> {
        if users.len() < self.users.len() || users[..self.users.len()] != self.users[..] {
            return Err(StoreError::BadImport("user list may only grow".into()));
        }
        let err = |e| StoreError::from_sled(e, &self.path);
        let db = self.db()?;
        db.insert(KEY_USERS, encode_meta(&users)?).map_err(err)?;
        db.flush().map_err(err)?;
        self.note_written([KEY_USERS]);
        self.model.users = users.clone();
        self.users_saved = users.len();
        self.users = users;
        Ok(())
    }

    /// Before a write: a handle left failing by an earlier failed write is reopened (so
    /// that freeing disk space is enough, no restart), and this process's user name is
    /// saved if it is new.
    fn before_write(&mut self) -> Result<(), StoreError> {
        if self.stale {
            // A copy beside the writes holds a handle: it goes (the rewrite stays owed).
            if let Some(r) = self.rewriting.take() {
                r.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
                let _ = r.copy.join();
                let _ = std::fs::remove_dir_all(self.path.join(compact::REWRITE_DIR));
            }
            if let Some(db) = self.db.take() {
                close_sled(db, &self.path);
            }
            self.sync_file = None;
            self.db = Some(Self::open_sled(&self.path)?);
            self.stale = false;
            crate::log!("write: reopened the database after a failed write");
        }
        // The reserve first (see `reserve`): on a disk too full for it, nothing is written,
        // so the last space stays for the data and a read never finds the disk too full.
        if let Err(e) = reserve::ensure(&self.path) {
            let e = StoreError::from_io(e, &self.path);
            if matches!(e, StoreError::DiskFull { .. }) {
                return Err(e);
            }
            crate::log!("write: no reserve made: {}", e.message().len());
        }
        if self.users_saved < self.users.len() {
            let err = |e| StoreError::from_sled(e, &self.path);
            let db = self.db()?;
            db.insert(KEY_USERS, encode_meta(&self.users)?).map_err(err)?;
            db.flush().map_err(err)?;
            self.note_written([KEY_USERS]);
            self.users_saved = self.users.len();
        }
        Ok(())
    }

    /// After sled's flush (which only asks the kernel to write, `sync_file_range`): an
    /// `fdatasync` of sled's file, so that an acknowledged change also survives a power cut
    /// (it covers the disk's cache and a grown file's length; about 0.1 ms here, see
    /// BENCHMARKS.md). sled already holds the change, so a failure is logged and the next
    /// write reopens the database rather than the change being reported as lost.
    fn sync_to_disk(&mut self) {
        if self.sync_file.is_none() {
            self.sync_file = std::fs::File::open(self.path.join("db")).ok();
        }
        let synced = match &self.sync_file {
            Some(f) => f.sync_data(),
            None => Err(std::io::Error::other("sled's file did not open")),
        };
        if synced.is_err() {
            self.sync_file = None;
            crate::log!("write: fdatasync after the flush failed");
            self.stale = true;
        }
    }

    /// Notes a failed write: I/O failures poison sled's handle, so the next write reopens.
    fn after_failed_write(&mut self, e: &StoreError) {
        if matches!(
            e,
            StoreError::DiskFull { .. } | StoreError::Io { .. } | StoreError::Permission { .. }
        ) {
            self.stale = true;
        }
    }

    /// Applies one command: validate, write, flush, then update the model and report.
    pub fn apply(&mut self, cmd: Command) -> Result<Change, StoreError> {
        self.apply_as(cmd, self.user)
    }

    /// Applies one command made by `user` (the server applies every client's commands as
    /// the account at the other end of its socket).
    pub fn apply_as(&mut self, cmd: Command, user: UserId) -> Result<Change, StoreError> {
        let mut out = self.apply_group(vec![(cmd, user)]);
        out.pop().unwrap_or(Err(StoreError::NotLoaded))
    }

    /// Applies several commands, each by its user, in order, as one group commit: each is
    /// planned against the model as the ones before it left it and may be refused alone;
    /// then every accepted change is written in one sled batch (a chunk that several
    /// changed, e.g. one event's attendance at ten desks, is encoded and written once), with
    /// one log entry each, under one flush and `fdatasync`. None is reported applied before
    /// that; if the write or the flush fails, every one of them is undone in the model and
    /// reported failed. Each stays its own change and undo step.
    pub fn apply_group(&mut self, cmds: Vec<(Command, UserId)>) -> Vec<Result<Change, StoreError>> {
        let timer = Instant::now();
        if !self.loaded {
            return cmds.into_iter().map(|_| Err(StoreError::NotLoaded)).collect();
        }
        if let Err(e) = self.before_write() {
            self.after_failed_write(&e);
            return cmds.into_iter().map(|_| Err(e.clone())).collect();
        }
        let mut out: Vec<Result<(Change, LogEntry), StoreError>> = Vec::with_capacity(cmds.len());
        for (cmd, user) in cmds {
            out.push(self.plan_logged(cmd, user));
        }
        let planned = timer.elapsed();
        let written: Vec<(&Change, &LogEntry)> = out
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|(c, e)| (c, e))
            .collect();
        let n = written.len() as u64;
        let mut times = WriteTimes {
            changes: n as usize,
            plan: planned,
            ..WriteTimes::default()
        };
        let result = if n == 0 {
            Ok(Vec::new())
        } else {
            let persisted = self.persist(&written, &mut times);
            persisted.and_then(|chunks| self.flush_written(&mut times).map(|()| chunks))
        };
        self.last_write = times;
        if let (Ok(chunks), Some(encoded)) = (&result, self.encoded.as_mut()) {
            for (key, bytes) in chunks {
                match bytes {
                    Some(b) => encoded.insert(*key, Arc::clone(b)),
                    None => encoded.remove(key),
                };
            }
        }
        if let Err(e) = result {
            self.after_failed_write(&e);
            for r in out.iter_mut().rev() {
                if let Ok((change, _)) = r {
                    self.model.revert(change);
                    *r = Err(e.clone());
                }
            }
        } else {
            self.log_next += n;
        }
        out.into_iter().map(|r| r.map(|(c, _)| c)).collect()
    }

    /// How long the last write's stages took (for the server's log and the benchmarks).
    pub fn last_write(&self) -> WriteTimes {
        self.last_write
    }

    /// Plans a command against the model (applying it there) and makes its log entry.
    fn plan_logged(&mut self, cmd: Command, user: UserId) -> Result<(Change, LogEntry), StoreError> {
        let now = crate::domain::Stamp::now();
        let undo = matches!(cmd, Command::Undo(_));
        let change = self.plan_apply(cmd, now, user)?;
        let what = Logged::of(&change);
        let what = if undo { Logged::Undone(Box::new(what)) } else { what };
        let what = match self.erasing.take() {
            Some(people) => Logged::Erased {
                people,
                what: Box::new(what),
            },
            None => what,
        };
        let entry = LogEntry { at: now, user, what };
        Ok((change, entry))
    }

    /// Flushes what was written and syncs it to the disk: only then is a change durable.
    fn flush_written(&mut self, times: &mut WriteTimes) -> Result<(), StoreError> {
        let t = Instant::now();
        self.db()?.flush().map_err(|e| StoreError::from_sled(e, &self.path))?;
        times.flush = t.elapsed();
        let t = Instant::now();
        self.sync_to_disk();
        times.sync = t.elapsed();
        Ok(())
    }

    /// Plans `cmd` and applies it to the model (a batch part by part, each seeing the ones
    /// before it, its placeholders resolved to the ids given); on a refusal the model is left
    /// as it was.
    fn plan_apply(&mut self, cmd: Command, now: crate::domain::Stamp, user: UserId) -> Result<Change, StoreError> {
        self.plan_part(cmd, now, user, &mut refs::Placeholders::default())
    }

    fn plan_in(
        &mut self,
        cmd: Command,
        now: crate::domain::Stamp,
        user: UserId,
        new: &mut refs::Placeholders,
    ) -> Result<Change, StoreError> {
        match cmd {
            Command::Batch(cmds) => {
                let mut done: Vec<Change> = Vec::with_capacity(cmds.len());
                for c in cmds {
                    match self.plan_part(c, now, user, new) {
                        Ok(change) => done.push(change),
                        Err(e) => {
                            done.iter().rev().for_each(|c| self.model.revert(c));
                            return Err(e);
                        }
                    }
                }
                Ok(Change::Batch(done))
            }
            Command::Undo(inner) => self.plan_in(*inner, now, user, new),
            single => {
                let change = plan::plan(&self.model, single, now, user)?;
                self.model.apply(&change);
                Ok(change)
            }
        }
    }

    /// One part of a batch: its placeholders resolved, planned, and the id its new record
    /// got noted for the parts after it.
    fn plan_part(
        &mut self,
        cmd: Command,
        now: crate::domain::Stamp,
        user: UserId,
        new: &mut refs::Placeholders,
    ) -> Result<Change, StoreError> {
        let (cmd, made) = new.resolve(cmd)?;
        let change = self.plan_in(cmd, now, user, new)?;
        if let Change::Created(r) = &change
            && let Err(e) = new.made(made, r.raw_id())
        {
            self.model.revert(&change);
            return Err(e);
        }
        Ok(change)
    }

    /// Replays a change this store has applied, part by part, for observers that must see
    /// each part against the model as it was then (see [`Model::replay`]).
    pub fn replay(&mut self, change: &Change, seen: impl FnMut(&Model, &Change)) {
        self.model.replay(change, seen);
    }

    /// Erases a participant (a person's right to be forgotten) in one change (one undo
    /// step; see [`erase_command`]), then rewrites the database so that no file keeps the
    /// old values (see [`compact`]). A person with attendance keeps an anonymous record so
    /// that indicator totals and event counts stay as they were.
    pub fn erase_participant(&mut self, id: crate::domain::ParticipantId) -> Result<Erasure, StoreError> {
        self.erase_many(&[id])
    }

    /// Erases several participants in one change (a batch) and rewrites the database once.
    /// Unknown or already erased ids are refused before anything changes.
    pub fn erase_many(&mut self, ids: &[crate::domain::ParticipantId]) -> Result<Erasure, StoreError> {
        self.erase_many_as(ids, self.user)
    }

    /// [`Store::erase_many`] by `user` (the server erases as the client's account).
    pub fn erase_many_as(&mut self, ids: &[crate::domain::ParticipantId], user: UserId) -> Result<Erasure, StoreError> {
        let mut e = self.erase_change_as(ids, user)?;
        e.rewrite = self.compact();
        Ok(e)
    }

    /// The change of an erasure, made and logged, with the rewrite owed (its `rewrite` is
    /// an error saying so until someone rewrites: [`Store::compact`] here, or
    /// [`Store::start_rewrite`] beside the writes, as the server does).
    pub fn erase_change_as(
        &mut self,
        ids: &[crate::domain::ParticipantId],
        user: UserId,
    ) -> Result<Erasure, StoreError> {
        let mut parts = ids
            .iter()
            .map(|id| erase_command(&self.model, *id))
            .collect::<Result<Vec<Command>, StoreError>>()?;
        let rows = ids.iter().map(|id| self.model.attendance_of_person(*id).len()).sum();
        let cmd = if parts.len() == 1 {
            parts.remove(0)
        } else {
            Command::Batch(parts)
        };
        // If the process stops after the change but before the rewrite, the next open
        // does the rewrite.
        compact::owe(&self.path)?;
        let people: Vec<Forgotten> = ids
            .iter()
            .filter_map(|id| self.model.participants.get(id.0))
            .map(|p| Forgotten {
                id: p.id.0,
                created_at: p.meta.created_at,
            })
            .collect();
        let files = match people.iter().map(|p| p.created_at).min() {
            Some(since) => self.files_since(since).unwrap_or_default(),
            None => Vec::new(),
        };
        self.erasing = Some(people);
        let applied = self.apply_as(cmd, user);
        self.erasing = None;
        let change = applied?;
        Ok(Erasure {
            change,
            rows,
            rewrite: Err(StoreError::Io {
                path: self.path.clone(),
                reason: "the files are not rewritten yet".into(),
            }),
            files,
        })
    }

    /// Rewrites the database into fresh files (dropping every old version of every value)
    /// and swaps them in; the model is unchanged. Needs the only handle (not while loading).
    pub fn compact(&mut self) -> Result<Rewritten, StoreError> {
        // One rewrite at a time: one running beside the writes is waited for first.
        while self.is_rewriting() {
            match self.poll_rewrite() {
                Some(_) => {}
                None => std::thread::sleep(Duration::from_millis(5)),
            }
        }
        self.before_write()?;
        let db = self.db.take().ok_or_else(|| self.closed())?;
        let result = compact::rewrite(db, &self.path, Self::open_sled);
        // Reopen in every case: before the swap the old files are untouched.
        self.db = Some(Self::open_sled(&self.path)?);
        let r = result?;
        crate::log!(
            "compact: {} keys, {} -> {} bytes in {:.0} ms",
            r.keys,
            r.bytes_before,
            r.bytes_after,
            r.seconds * 1e3
        );
        Ok(r)
    }

    /// Notes in the change log that this program wrote `file` (a backup, an export, a
    /// sign-in sheet) holding people's data, as `user`.
    pub fn note_file(&mut self, kind: FileKind, file: &str, user: UserId) -> Result<(), StoreError> {
        self.before_write()?;
        let at = crate::domain::Stamp::now();
        let entry = LogEntry {
            at,
            user,
            what: Logged::Wrote {
                kind,
                file: file.to_string(),
            },
        };
        let mut files = self.files()?;
        files.retain(|(_, _, f)| f != file);
        files.push((at, kind, file.to_string()));
        if files.len() > MAX_FILES {
            files.drain(..files.len() - MAX_FILES);
        }
        let err = |e| StoreError::from_sled(e, &self.path);
        let mut batch = sled::Batch::default();
        let key = log_key(self.log_next);
        batch.insert(&key[..], encode_meta(&entry)?);
        batch.insert(KEY_FILES, encode_meta(&files)?);
        self.note_written([&key[..], KEY_FILES]);
        let db = self.db()?;
        db.apply_batch(batch).map_err(err)?;
        db.flush().map_err(err)?;
        self.log_next += 1;
        Ok(())
    }

    /// The files this program wrote (see [`Store::note_file`]), oldest first.
    fn files(&self) -> Result<Vec<(crate::domain::Stamp, FileKind, String)>, StoreError> {
        let err = |e| StoreError::from_sled(e, &self.path);
        match self.db()?.get(KEY_FILES).map_err(err)? {
            Some(v) => decode_meta(KEY_FILES, &v),
            None => Ok(Vec::new()),
        }
    }

    /// The files this program wrote since `since` (when a person's record was made), which
    /// may still hold that person: oldest first.
    pub fn files_since(&self, since: crate::domain::Stamp) -> Result<Vec<(FileKind, String)>, StoreError> {
        Ok(self
            .files()?
            .into_iter()
            .filter(|(at, _, _)| *at >= since)
            .map(|(_, k, f)| (k, f))
            .collect())
    }

    /// Starts rewriting the database into fresh files beside the writes: a thread copies
    /// the data while this store goes on applying changes (each key written meanwhile is
    /// noted); [`Store::poll_rewrite`] then swaps the copy in after copying those keys again,
    /// a pause of milliseconds instead of the whole rewrite's seconds. Returns whether it
    /// started (`false`: one is running already).
    pub fn start_rewrite(&mut self) -> Result<bool, StoreError> {
        if self.is_rewriting() {
            return Ok(false);
        }
        self.before_write()?;
        let db = self.db()?.clone();
        let bytes_before = db.size_on_disk().unwrap_or(0);
        let cancel = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (path, stop) = (self.path.clone(), Arc::clone(&cancel));
        let copy = std::thread::spawn(move || compact::copy_live(&db, &path, Self::open_sled, &stop));
        self.rewriting = Some(Rewriting {
            copy,
            written: std::sync::Mutex::new(BTreeSet::new()),
            cancel,
            started: Instant::now(),
            bytes_before,
        });
        crate::log!("rewrite: started beside the writes");
        Ok(true)
    }

    /// Whether a rewrite runs beside the writes.
    pub fn is_rewriting(&self) -> bool {
        self.rewriting.is_some() || self.discarding.is_some()
    }

    /// Finishes a rewrite beside the writes once its copy is done (see
    /// [`Store::start_rewrite`]): `None` while it copies, else how it ended. The swap takes
    /// the only handle and reopens the database (also after a failure, which leaves the old
    /// files as they were and the rewrite owed).
    pub fn poll_rewrite(&mut self) -> Option<Result<Rewritten, StoreError>> {
        if let Some(d) = &self.discarding {
            if !d.thread.is_finished() {
                return None;
            }
            return self.discarding.take().map(|d| self.discarded(d));
        }
        if !self.rewriting.as_ref()?.copy.is_finished() {
            return None;
        }
        let r = self.rewriting.take()?;
        let copied = r.copy.join().unwrap_or_else(|_| {
            Err(StoreError::Io {
                path: self.path.clone(),
                reason: "the rewrite's thread stopped".into(),
            })
        });
        let written = r.written.into_inner().unwrap_or_else(|p| p.into_inner());
        let t = Instant::now();
        let result = copied.and_then(|copied| {
            let keys = copied.keys;
            let db = self.db.take().ok_or_else(|| self.closed())?;
            self.sync_file = None;
            let swapped = compact::swap_in(db, copied, &self.path, &written);
            let swap = t.elapsed();
            self.db = Some(Self::open_sled(&self.path)?);
            crate::log!(
                "rewrite: swap {:.1} ms, reopen {:.1} ms",
                swap.as_secs_f64() * 1e3,
                (t.elapsed() - swap).as_secs_f64() * 1e3
            );
            swapped.map(|()| keys)
        });
        if self.db.is_none() {
            self.db = Self::open_sled(&self.path).ok();
        }
        let pause = t.elapsed();
        let result = result.map(|keys| {
            crate::log!(
                "rewrite: swapped in after {:.0} ms, {} keys written meanwhile copied again, swap pause {:.1} ms",
                r.started.elapsed().as_secs_f64() * 1e3,
                written.len(),
                pause.as_secs_f64() * 1e3
            );
            Rewritten {
                keys,
                bytes_before: r.bytes_before,
                bytes_after: self.size_on_disk(),
                seconds: 0.0,
            }
        });
        // The old files go beside the writes; the rewrite is done when they are gone.
        let path = self.path.clone();
        self.discarding = Some(Discarding {
            thread: std::thread::spawn(move || compact::discard_old(&path)),
            result,
            started: r.started,
        });
        None
    }

    /// A rewrite's result once its old files are gone (a failure to remove them leaves
    /// the rewrite owed: the next one, or the next open, removes them).
    fn discarded(&mut self, d: Discarding) -> Result<Rewritten, StoreError> {
        let removed = d
            .thread
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("the removing thread stopped")));
        release_free_memory();
        let r = match (d.result, removed) {
            (Ok(r), Ok(())) => r,
            (Ok(_), Err(e)) => return Err(StoreError::from_io(e, &self.path)),
            (Err(e), _) => return Err(e),
        };
        let r = Rewritten {
            seconds: d.started.elapsed().as_secs_f64(),
            ..r
        };
        crate::log!("rewrite: done beside the writes in {:.0} ms", r.seconds * 1e3);
        Ok(r)
    }

    /// Notes keys written while a rewrite copies (they are copied again at its swap).
    fn note_written<'k>(&self, keys: impl IntoIterator<Item = &'k [u8]>) {
        if let Some(r) = &self.rewriting {
            let mut set = r.written.lock().unwrap_or_else(|p| p.into_inner());
            set.extend(keys.into_iter().map(<[u8]>::to_vec));
        }
    }

    /// The change log, newest first, at most `limit` entries.
    pub fn history(&self, limit: usize) -> Result<Vec<LogEntry>, StoreError> {
        let db = self.db()?;
        let err = |e| StoreError::from_sled(e, &self.path);
        db.scan_prefix(LOG_PREFIX)
            .rev()
            .take(limit)
            .map(|kv| {
                let (k, v) = kv.map_err(err)?;
                decode_meta(&k, &v)
            })
            .collect()
    }

    /// Writes every chunk the changes touched (each once, as the model holds it now), the
    /// id counters, the project and one log entry per change (numbered from `log_next`), in
    /// one atomic batch.
    /// Returns the chunks written (`None`: now empty, removed) when the store keeps them
    /// encoded for snapshots, else nothing.
    fn persist(&self, changes: &[(&Change, &LogEntry)], times: &mut WriteTimes) -> Result<Written, StoreError> {
        let t = Instant::now();
        let mut touched: BTreeSet<(Table, u32)> = BTreeSet::new();
        let mut project = false;
        for part in changes.iter().flat_map(|(change, _)| change.parts()) {
            let mut note = |r: &crate::domain::AnyRecord| {
                touched.insert((r.table(), chunk_of(r.raw_id())));
            };
            match part {
                Change::Created(r) | Change::Deleted(r) => note(r),
                Change::Updated { after, .. } => note(after),
                Change::ProjectSet { .. } => project = true,
                Change::Batch(_) => {} // flattened by `parts`
                Change::Imported(ds) | Change::Unimported(ds) => {
                    project |= ds.project.is_some();
                    let mut add = |t: Table, ids: &mut dyn Iterator<Item = u32>| {
                        for id in ids {
                            touched.insert((t, chunk_of(id)));
                        }
                    };
                    add(Table::Organisation, &mut ds.organisations.iter().map(|r| r.raw_id()));
                    add(Table::Event, &mut ds.events.iter().map(|r| r.raw_id()));
                    add(Table::Participant, &mut ds.participants.iter().map(|r| r.raw_id()));
                    add(Table::Attendance, &mut ds.attendance.iter().map(|r| r.raw_id()));
                    add(Table::Indicator, &mut ds.indicators.iter().map(|r| r.raw_id()));
                }
            }
        }
        let touched: Vec<(Table, u32)> = touched.into_iter().collect();
        let one = |&(t, c): &(Table, u32)| Ok((chunk_key(t, c), snapshot::encode_one(&self.model, t, c)?));
        // A desk's change touches a chunk or two: encoded right here, since handing them to
        // rayon's pool costs a wake-up of its threads that, on a busy machine, can take longer
        // than the encoding (it showed in the check-in's p99).
        let encoded: Vec<([u8; 5], Vec<u8>)> = if touched.len() <= 4 {
            touched.iter().map(one).collect::<Result<_, StoreError>>()?
        } else {
            touched.par_iter().map(one).collect::<Result<_, StoreError>>()?
        };
        times.encode = t.elapsed();
        let t = Instant::now();
        let mut batch = sled::Batch::default();
        let mut kept: Written = Vec::new();
        if self.rewriting.is_some() {
            let logs: Vec<[u8; 12]> = (self.log_next..).take(changes.len()).map(log_key).collect();
            self.note_written(
                encoded
                    .iter()
                    .map(|(k, _)| &k[..])
                    .chain(logs.iter().map(|k| &k[..]))
                    .chain([KEY_NEXT, KEY_PROJECT, KEY_SETTINGS]),
            );
        }
        for ((key, value), at) in encoded.into_iter().zip(touched) {
            if snapshot::is_empty(&value) {
                batch.remove(&key[..]);
                kept.push((at, None));
            } else if self.encoded.is_some() {
                let shared: Arc<[u8]> = Arc::from(value);
                batch.insert(&key[..], &*shared);
                kept.push((at, Some(shared)));
            } else {
                batch.insert(&key[..], value);
            }
        }
        if self.encoded.is_none() {
            kept.clear();
        }
        let next: Vec<u32> = Table::ALL.iter().map(|t| self.model.next_id(*t)).collect();
        batch.insert(KEY_NEXT, encode_meta(&next)?);
        for (seq, (_, entry)) in (self.log_next..).zip(changes) {
            batch.insert(&log_key(seq)[..], encode_meta(entry)?);
        }
        if project {
            batch.insert(KEY_PROJECT, encode_meta(&StoredProject::of(&self.model.project))?);
            batch.insert(KEY_SETTINGS, encode_meta(&self.model.project.settings)?);
        }
        let err = |e| StoreError::from_sled(e, &self.path);
        let db = self.db()?;
        db.apply_batch(batch).map_err(err)?;
        times.write = t.elapsed();
        Ok(kept)
    }

    /// The whole project for a client of the server: the first call encodes every chunk
    /// and keeps them; later ones share what every write since has kept up to date. The
    /// derived parts are taken again only after a change (screens attaching together
    /// share them).
    pub fn snapshot(&mut self) -> Result<snapshot::Snapshot, StoreError> {
        if self.encoded.is_none() {
            let all = snapshot::encode_all(&self.model)?;
            self.encoded = Some(all.into_iter().map(|c| ((c.table, c.number), c.bytes)).collect());
        }
        let generation = self.model.generation;
        let derived = match &self.derived {
            Some((g, d)) if *g == generation => Arc::clone(d),
            _ => {
                let t = std::time::Instant::now();
                let d = Arc::new(crate::model::Derived::of(&self.model));
                crate::log!(
                    "snapshot: derived parts taken in {:.1} ms",
                    t.elapsed().as_secs_f64() * 1e3
                );
                self.derived = Some((generation, Arc::clone(&d)));
                d
            }
        };
        let chunks = self.encoded.iter().flatten();
        Ok(snapshot::Snapshot {
            chunks: chunks
                .map(|(&(table, number), bytes)| snapshot::Chunk {
                    table,
                    number,
                    bytes: Arc::clone(bytes),
                })
                .collect(),
            derived: Some(derived),
            ..snapshot::header(&self.model)
        })
    }

    /// Drops what snapshots keep, for a model replaced whole (a load, a restore).
    fn forget_snapshot(&mut self) {
        self.encoded = None;
        self.derived = None;
    }

    /// Bytes the database occupies on disk.
    pub fn size_on_disk(&self) -> u64 {
        self.db.as_ref().and_then(|d| d.size_on_disk().ok()).unwrap_or(0)
    }

    fn db(&self) -> Result<&sled::Db, StoreError> {
        self.db.as_ref().ok_or_else(|| self.closed())
    }

    fn closed(&self) -> StoreError {
        StoreError::Io {
            path: self.path.clone(),
            reason: "the database is not open (loading failed); restart atbalsts".into(),
        }
    }
}

/// Drops a sled handle and waits until sled has let go of its files (see
/// [`lock::wait_sled_released`]), so that it can be opened again at once, here or by the
/// process that takes the database next (the owner lock is still held meanwhile).
pub(crate) fn close_sled(db: sled::Db, path: &Path) {
    drop(db);
    lock::wait_sled_released(path, SLED_RELEASE_WAIT);
}

/// How long a dropped store waits for sled to let go of its files (see
/// [`lock::wait_sled_released`]); normally a few milliseconds.
const SLED_RELEASE_WAIT: Duration = Duration::from_secs(10);

impl Drop for Store {
    /// A store that wrote leaves sled's snapshot up to date (sled writes one when it opens a
    /// log that ran past its snapshot): so the next process that only reads writes nothing,
    /// and can read while the disk is full.
    fn drop(&mut self) {
        // A rewrite beside the writes is stopped and its copy thrown away (the next open
        // finishes an owed one; a READY copy is only made in `poll_rewrite`).
        if let Some(r) = self.rewriting.take() {
            r.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
            let _ = r.copy.join();
            let _ = std::fs::remove_dir_all(self.path.join(compact::REWRITE_DIR));
        }
        if let Some(d) = self.discarding.take() {
            let _ = d.thread.join();
        }
        if let Some(db) = self.db.take() {
            close_sled(db, &self.path);
            if self.log_next != self.log_at_open
                && let Ok(db) = Self::open_sled(&self.path)
            {
                close_sled(db, &self.path);
            }
        }
    }
}

impl Loader {
    /// Reads and decodes every chunk (decoding spread over the cores) and builds the model;
    /// gives back the model and a fresh database handle.
    ///
    /// sled keeps every page a scan read resident (its `cache_capacity` is only a hint), so
    /// the biggest table is read alone and the handle reopened before the rest, and again
    /// before the indexes are built: the peak stays near the model's own size.
    pub fn load(self) -> Result<(Model, sled::Db), StoreError> {
        let Loader { db, path, users } = self;
        let err = |e| StoreError::from_sled(e, &path);
        let settings: Settings = match db.get(KEY_SETTINGS).map_err(err)? {
            Some(v) => decode_meta(KEY_SETTINGS, &v)?,
            None => Settings::default(),
        };
        let project: Project = match db.get(KEY_PROJECT).map_err(err)? {
            Some(v) => decode_meta::<StoredProject>(KEY_PROJECT, &v)?.with(settings),
            None => Project {
                settings,
                ..Project::default()
            },
        };
        let next: Vec<u32> = match db.get(KEY_NEXT).map_err(err)? {
            Some(v) => decode_meta(KEY_NEXT, &v)?,
            None => Vec::new(),
        };
        let next_of = |t: Table| next.get(t as usize).copied().unwrap_or(1);
        let attendance = table(&db, &path, Table::Attendance, next_of(Table::Attendance))?;
        let db = reopen(db, &path)?;
        let ((organisations, events), (participants, indicators)) = rayon::join(
            || {
                rayon::join(
                    || table(&db, &path, Table::Organisation, next_of(Table::Organisation)),
                    || table(&db, &path, Table::Event, next_of(Table::Event)),
                )
            },
            || {
                rayon::join(
                    || table(&db, &path, Table::Participant, next_of(Table::Participant)),
                    || table(&db, &path, Table::Indicator, next_of(Table::Indicator)),
                )
            },
        );
        let tables = crate::model::Tables {
            organisations: organisations?,
            events: events?,
            participants: participants?,
            attendance,
            indicators: indicators?,
        };
        let db = reopen(db, &path)?;
        crate::log!("load: tables read and decoded rss_kib={}", crate::log::memory_kib().0);
        let model = Model::from_rows(project, users, tables);
        let (rss, peak) = crate::log::memory_kib();
        crate::log!("load: model built rss_kib={rss} peak_kib={peak}");
        Ok((model, db))
    }
}

/// The name to record for Unix user `name`: printable characters only, at most 64.
fn user_name(name: &str) -> String {
    let clean: String = crate::domain::clean(name).chars().take(64).collect();
    if clean.is_empty() { "?".into() } else { clean }
}

/// Drops the sole handle (and with it sled's cache) and opens the database again.
fn reopen(db: sled::Db, path: &Path) -> Result<sled::Db, StoreError> {
    close_sled(db, path);
    release_free_memory();
    Store::open_sled(path)
}

/// Reads one table: its chunk keys are split into ranges that are scanned and decoded in
/// parallel, each straight into its own part of the dense row array.
fn table<T: Record>(db: &sled::Db, path: &Path, t: Table, next: u32) -> Result<Rows<T>, StoreError> {
    let err = |e| StoreError::from_sled(e, path);
    // The last chunk on disk, in case the counter is behind (never trust one source).
    let last_on_disk = match db.scan_prefix([tag(t)]).next_back() {
        Some(kv) => {
            let (k, _) = kv.map_err(err)?;
            k.get(1..5).map_or(0, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        }
        None => 0,
    };
    let chunks = (chunk_of(next.max(1) - 1).max(last_on_disk) + 1) as usize;
    let per_part = chunks.div_ceil(32).max(1);
    let span = per_part << CHUNK_BITS;
    let mut slots: Vec<Option<T>> = Vec::new();
    slots.resize_with(chunks << CHUNK_BITS, || None);
    let live: Vec<usize> = slots
        .par_chunks_mut(span)
        .enumerate()
        .map(|(part, slice)| {
            let first = (part * per_part) as u32;
            let base = (first as usize) << CHUNK_BITS;
            let from = chunk_key(t, first);
            let to = chunk_key(t, first + per_part as u32);
            let mut n = 0;
            for kv in db.range(from..to) {
                let (k, v) = kv.map_err(err)?;
                decode_chunk_each::<T>(&k, &v, |r| {
                    let i = (r.raw_id() as usize).wrapping_sub(base);
                    let slot = slice.get_mut(i).ok_or_else(|| StoreError::Corrupt {
                        key: String::from_utf8_lossy(&k).into_owned(),
                        reason: format!("record {} outside its chunk", r.raw_id()),
                    })?;
                    *slot = Some(r);
                    n += 1;
                    Ok(())
                })?;
            }
            Ok(n)
        })
        .collect::<Result<_, StoreError>>()?;
    crate::log!("load: {} decoded", t.plural());
    let mut rows = Rows::from_slots(slots, live.iter().sum());
    rows.reserve_to(next);
    Ok(rows)
}

/// Hands memory freed during the load (sled's read buffers) back to the system.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free heap pages; it has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests;
