//! A few MiB kept in reserve in the database directory (`atbalsts.reserve`), so that a full
//! disk never keeps the data from being read: sled writes a small snapshot when it opens a
//! log that ran past the last one (after a crash), and on a full disk that open fails. Then
//! the reserve is given up, the open succeeds, and writes are refused until the reserve can
//! be made again (space freed), which also keeps the last space for the data's own writes.

use std::io::Write;
use std::path::Path;

/// The reserve's file name inside the database directory.
pub const RESERVE: &str = "atbalsts.reserve";
/// Its size: many times what sled's snapshot takes at 300,000 people.
pub const SIZE: usize = 4 * 1024 * 1024;

/// Whether the reserve is there, whole.
pub fn present(dir: &Path) -> bool {
    std::fs::metadata(dir.join(RESERVE)).is_ok_and(|m| m.len() >= SIZE as u64)
}

/// Makes the reserve if it is missing: real blocks (zeros written and synced), never a
/// sparse file, and only when as much again stays free beside it (a reserve given up on a
/// full disk is not taken back from the room it made). `Err` when it cannot (a full disk:
/// `StorageFull`).
pub fn ensure(dir: &Path) -> std::io::Result<()> {
    if present(dir) {
        return Ok(());
    }
    if free(dir).is_some_and(|n| n < 2 * SIZE as u64) {
        return Err(std::io::Error::from_raw_os_error(libc::ENOSPC));
    }
    let path = dir.join(RESERVE);
    let made = (|| {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .truncate(true)
            .write(true)
            .open(&path)?;
        let zeros = vec![0u8; 64 * 1024];
        for _ in 0..SIZE / zeros.len() {
            f.write_all(&zeros)?;
        }
        f.sync_all()
    })();
    if made.is_err() {
        // Half a reserve holds space the data may need more.
        let _ = std::fs::remove_file(&path);
    }
    made
}

/// Bytes free for this process on the file system of `dir` (`None`: not known).
fn free(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: statvfs only fills the struct it is given; the path is a valid C string.
    unsafe {
        let mut s: libc::statvfs = std::mem::zeroed();
        (libc::statvfs(c.as_ptr(), &mut s) == 0).then(|| s.f_bavail as u64 * s.f_frsize as u64)
    }
}

/// Gives the reserve up (a full disk): whether there was one to give.
pub fn release(dir: &Path) -> bool {
    std::fs::remove_file(dir.join(RESERVE)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reserve_is_made_whole_once_and_given_up() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(!present(dir.path()));
        ensure(dir.path()).expect("made");
        assert!(present(dir.path()));
        // Real blocks, not a hole.
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(dir.path().join(RESERVE)).expect("meta");
        assert!(m.blocks() * 512 >= SIZE as u64, "{} blocks", m.blocks());
        ensure(dir.path()).expect("again: nothing to do");
        assert!(release(dir.path()));
        assert!(!present(dir.path()));
        assert!(!release(dir.path()), "nothing left to give");
    }
}
