//! Everything that can go wrong in the store, as values; each maps itself to a message key
//! of `i18n` (where the Latvian and English words live).

use crate::domain::{Errors, Table};
use std::path::PathBuf;

/// Serde, so that an error crosses the server's socket as a value and is worded at the
/// client, in its reader's language.
#[derive(Debug, Clone, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum StoreError {
    /// Another process has the database open.
    #[error("{}", self.message())]
    Locked { path: PathBuf },
    /// The disk is full; nothing was saved.
    #[error("{}", self.message())]
    DiskFull { path: PathBuf },
    /// No permission to read or write the database directory.
    #[error("{}", self.message())]
    Permission { path: PathBuf },
    #[error("{}", self.message())]
    Io { path: PathBuf, reason: String },
    #[error("{}", self.message())]
    Corrupt { key: String, reason: String },
    /// sled cannot read its files: which directory and which file.
    #[error("{}", self.message())]
    Damaged { path: PathBuf, file: PathBuf },
    #[error("{}", self.message())]
    NewerSchema { found: u32, supported: u32 },
    #[error("{}", self.message())]
    Encode(String),
    #[error("{}", self.message())]
    Invalid { table: Table, errors: Errors },
    #[error("{}", self.message())]
    NotFound { table: Table, id: u32 },
    /// The record is referred to by others and cannot be deleted.
    #[error("{}", self.message())]
    InUse {
        table: Table,
        id: u32,
        by: Table,
        count: usize,
    },
    #[error("{}", self.message())]
    DuplicateAttendance { event: u32, participant: u32 },
    #[error("{}", self.message())]
    BadImport(String),
    /// The data is still loading.
    #[error("{}", self.message())]
    NotLoaded,
    /// The record was changed by someone else since it was read (an edit from an older
    /// version, or an undo of a change someone has changed since).
    #[error("{}", self.message())]
    Conflict {
        table: Table,
        id: u32,
        by: String,
        at: crate::domain::Stamp,
    },
    /// The server could not be reached, or stopped before it confirmed the change.
    #[error("{}", self.message())]
    Server { path: PathBuf, reason: String },
    /// A batch refers to its new record `new` of `table` (a placeholder) that it does not
    /// create, or creates two records under one placeholder.
    #[error("{}", self.message())]
    Unresolved { table: Table, new: u32 },
}

impl StoreError {
    /// One line saying what went wrong, in the reader's language.
    pub fn message(&self) -> String {
        use crate::i18n::{Label, M, f, problem, t};
        match self {
            StoreError::Locked { path } => f(M::StoreLocked, &[&path.display()]),
            StoreError::DiskFull { path } => f(M::StoreDiskFull, &[&path.display()]),
            StoreError::Permission { path } => f(M::StorePermission, &[&path.display()]),
            StoreError::Io { path, reason } => f(M::StoreIo, &[&path.display(), reason]),
            StoreError::Corrupt { key, reason } => f(M::StoreCorrupt, &[key, reason]),
            StoreError::Damaged { path, file } => f(M::StoreDamaged, &[&path.display(), &file.display()]),
            StoreError::NewerSchema { found, supported } => f(M::StoreNewer, &[found, supported]),
            StoreError::Encode(r) => f(M::StoreEncode, &[r]),
            StoreError::Invalid { errors, .. } => {
                let parts: Vec<String> = errors.0.iter().map(problem).collect();
                f(M::StoreInvalid, &[&parts.join("; ")])
            }
            StoreError::NotFound { table, id } => f(M::StoreNotFound, &[&table.label(), id]),
            StoreError::InUse { table, id, by, count } => f(M::StoreInUse, &[&table.label(), id, count, &by.label()]),
            StoreError::DuplicateAttendance { event, participant } => f(M::StoreDuplicateAtt, &[participant, event]),
            StoreError::BadImport(r) => f(M::StoreBadImport, &[r]),
            StoreError::NotLoaded => t(M::StoreNotLoaded).to_string(),
            StoreError::Conflict { table, id, by, at } => {
                f(M::StoreConflict, &[&table.label(), id, by, &at.riga().format("%H:%M")])
            }
            StoreError::Server { path, reason } => f(M::StoreServer, &[&path.display(), reason]),
            StoreError::Unresolved { table, new } => f(M::StoreUnresolved, &[&table.label(), new]),
        }
    }

    /// Classifies a sled error for the database at `path`.
    pub fn from_sled(e: sled::Error, path: &std::path::Path) -> StoreError {
        match e {
            sled::Error::Io(io) => StoreError::from_io(io, path),
            // sled's own position (`at`) means nothing to a user; its log is the `db` file
            // (a blob, when it names one, lives under `blobs/`).
            sled::Error::Corruption { at, .. } => StoreError::Damaged {
                path: path.to_owned(),
                file: if format!("{at:?}").contains("Blob") {
                    path.join("blobs")
                } else {
                    path.join("db")
                },
            },
            other => StoreError::Io {
                path: path.to_owned(),
                reason: other.to_string(),
            },
        }
    }

    /// Classifies an I/O error for the database at `path`.
    pub fn from_io(io: std::io::Error, path: &std::path::Path) -> StoreError {
        let path = path.to_owned();
        let text = io.to_string();
        if text.contains("could not acquire lock") || io.raw_os_error() == Some(libc::EWOULDBLOCK) {
            StoreError::Locked { path }
        } else if io.raw_os_error() == Some(libc::ENOSPC) || io.kind() == std::io::ErrorKind::StorageFull {
            StoreError::DiskFull { path }
        } else if io.kind() == std::io::ErrorKind::PermissionDenied {
            StoreError::Permission { path }
        } else {
            StoreError::Io { path, reason: text }
        }
    }
}
