//! The database's owner lock: an exclusive `flock` on `<db>/atbalsts.lock`, taken before
//! sled is opened and held until the owning process lets go of its `Store`. sled's own lock
//! is released whenever its handle is dropped (the loader reopens it to trim its cache), so
//! it cannot be what keeps a second process out between a load and the model built from it.

use super::StoreError;
use std::fs::File;
use std::io::{Read, Seek, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The lock file's name inside the database directory.
pub const LOCK_FILE: &str = "atbalsts.lock";

/// Holds the database for this process while it lives.
#[derive(Debug)]
pub struct DbLock {
    /// Open while the lock is held: closing it releases the lock.
    _file: File,
    path: PathBuf,
}

impl DbLock {
    /// Takes the lock of the database in `dir`, waiting up to `wait` for a process that is
    /// just exiting. Refused with [`StoreError::Locked`] (naming the holder when known).
    pub fn acquire(dir: &Path, wait: Duration) -> Result<DbLock, StoreError> {
        let path = dir.join(LOCK_FILE);
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            // Group members of a team directory take it too; the umask set for a private
            // directory makes it 0600 there.
            .mode(0o660)
            .open(&path)
            .map_err(|e| StoreError::from_io(e, dir))?;
        let deadline = Instant::now() + wait;
        loop {
            // SAFETY: flock on a file descriptor we own; no memory is involved.
            let r = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
            if r == 0 {
                break;
            }
            let err = std::io::Error::last_os_error();
            if err.raw_os_error() != Some(libc::EWOULDBLOCK) {
                return Err(StoreError::from_io(err, dir));
            }
            if Instant::now() >= deadline {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                crate::log!("lock: held by another process ({} bytes of holder info)", holder.len());
                return Err(StoreError::Locked { path: dir.to_owned() });
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        // Who holds it, for `server status` and messages: the pid only (no names in files
        // that outlive the process).
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = writeln!(file, "{}", std::process::id());
        Ok(DbLock { _file: file, path })
    }

    /// The lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether some process holds the lock of the database in `dir` right now.
    pub fn is_held(dir: &Path) -> bool {
        flock_held(&dir.join(LOCK_FILE), libc::LOCK_SH)
    }
}

/// Whether some open file description holds a `flock` on `file` that keeps out one of
/// `kind` (`LOCK_SH` or `LOCK_EX`) right now; a missing file is not held.
fn flock_held(file: &Path, kind: libc::c_int) -> bool {
    let Ok(file) = std::fs::File::open(file) else {
        return false;
    };
    // SAFETY: flock on a file descriptor we own; a successful probe is released at once.
    unsafe {
        if libc::flock(file.as_raw_fd(), kind | libc::LOCK_NB) == 0 {
            libc::flock(file.as_raw_fd(), libc::LOCK_UN);
            false
        } else {
            true
        }
    }
}

/// sled's own lock: an exclusive `flock` on its log, `<db>/db`.
pub const SLED_FILE: &str = "db";

/// Waits, up to `wait`, until sled's lock on the database in `dir` is released; whether
/// it was. A dropped `sled::Db` does not release it at once: its background threads (the
/// flusher, a log write in flight) keep the file open until they end, which on a busy
/// machine can take longer than a reopen waits (sled issue #1289). A [`super::Store`]
/// waits for it when dropped, before its own [`DbLock`] goes, so that whoever takes the
/// database next finds sled free.
pub fn wait_sled_released(dir: &Path, wait: Duration) -> bool {
    let deadline = Instant::now() + wait;
    loop {
        if !flock_held(&dir.join(SLED_FILE), libc::LOCK_EX) {
            return true;
        }
        if Instant::now() >= deadline {
            crate::log!(
                "lock: sled still held {} ms after its handle was dropped",
                wait.as_millis()
            );
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = DbLock::acquire(dir.path(), Duration::ZERO).expect("first");
        assert!(DbLock::is_held(dir.path()));
        let second = DbLock::acquire(dir.path(), Duration::from_millis(30));
        assert!(matches!(second, Err(StoreError::Locked { .. })), "{second:?}");
        drop(first);
        assert!(!DbLock::is_held(dir.path()));
        DbLock::acquire(dir.path(), Duration::ZERO).expect("after release");
    }

    #[test]
    fn the_lock_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let lock = DbLock::acquire(dir.path(), Duration::ZERO).expect("lock");
        let mode = std::fs::metadata(lock.path()).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode & 0o007, 0, "no access for others: {mode:o}");
        assert_eq!(mode & 0o600, 0o600, "the owner reads and writes it: {mode:o}");
    }
}
