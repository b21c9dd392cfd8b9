//! Everything that can go wrong in the store, as values; the wording (Latvian and English)
//! lives in `i18n`.

use crate::domain::{Errors, Table};
use std::path::PathBuf;

/// Serde, so that an error crosses the server's socket as a value and is worded at the
/// client, in its reader's language.
#[derive(Debug, Clone, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum StoreError {
    /// Another process has the database open.
    #[error("{}", crate::i18n::store_error(self))]
    Locked { path: PathBuf },
    /// The disk is full; nothing was saved.
    #[error("{}", crate::i18n::store_error(self))]
    DiskFull { path: PathBuf },
    /// No permission to read or write the database directory.
    #[error("{}", crate::i18n::store_error(self))]
    Permission { path: PathBuf },
    #[error("{}", crate::i18n::store_error(self))]
    Io { path: PathBuf, reason: String },
    #[error("{}", crate::i18n::store_error(self))]
    Corrupt { key: String, reason: String },
    /// sled cannot read its files: which directory and which file.
    #[error("{}", crate::i18n::store_error(self))]
    Damaged { path: PathBuf, file: PathBuf },
    #[error("{}", crate::i18n::store_error(self))]
    NewerSchema { found: u32, supported: u32 },
    #[error("{}", crate::i18n::store_error(self))]
    Encode(String),
    #[error("{}", crate::i18n::store_error(self))]
    Invalid { table: Table, errors: Errors },
    #[error("{}", crate::i18n::store_error(self))]
    NotFound { table: Table, id: u32 },
    /// The record is referred to by others and cannot be deleted.
    #[error("{}", crate::i18n::store_error(self))]
    InUse {
        table: Table,
        id: u32,
        by: Table,
        count: usize,
    },
    #[error("{}", crate::i18n::store_error(self))]
    DuplicateAttendance { event: u32, participant: u32 },
    #[error("{}", crate::i18n::store_error(self))]
    BadImport(String),
    /// The data is still loading.
    #[error("{}", crate::i18n::store_error(self))]
    NotLoaded,
    /// The record was changed by someone else since it was read (an edit from an older
    /// version, or an undo of a change someone has changed since).
    #[error("{}", crate::i18n::store_error(self))]
    Conflict {
        table: Table,
        id: u32,
        by: String,
        at: crate::domain::Stamp,
    },
    /// The server could not be reached, or stopped before it confirmed the change.
    #[error("{}", crate::i18n::store_error(self))]
    Server { path: PathBuf, reason: String },
}

impl StoreError {
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
