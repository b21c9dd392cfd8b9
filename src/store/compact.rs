//! Rewriting the database into fresh files, so that removed and overwritten values leave
//! no trace on disk (erasure that erases, `atbalsts compact`). Owns the rewrite directory,
//! its roll-forward after a crash, and the "a rewrite is owed" marker; not the records.
//!
//! sled keeps old versions of values in its log until their segments are reused, which on a
//! quiet database can be never. So the live contents of every tree are copied into
//! `<db>/.rewrite/`, checked (sled's checksum of both must agree), and only then swapped in
//! file by file. The swap is journalled by a `READY` file: every open first finishes a swap
//! that was `READY` (roll forward) or throws away one that was not (roll back), so a crash
//! at any moment leaves either the old or the new database, never a mix. Files of our own
//! in the directory (the process lock, a log) are never touched.

use super::StoreError;
use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Where the new copy is built, inside the database directory.
pub const REWRITE_DIR: &str = ".rewrite";
/// How long a rewrite waits for a dropped sled handle to let go of its files.
const RELEASE_WAIT: Duration = Duration::from_secs(5);
/// Present in [`REWRITE_DIR`] once the copy is complete and durable: from then on the swap
/// is finished, never undone.
const READY: &str = "READY";
/// Present in the database directory while an erasure still needs its rewrite (the erase
/// was applied but the process stopped before the old files were replaced).
pub const OWED: &str = ".rewrite-owed";
/// Where a swap puts the old database's files (renames, which cost nothing) so that the
/// swap's pause does not wait for hundreds of megabytes to be freed; removed right after
/// the swap ([`discard_old`]), and by the next open if a process stopped first. An erasure
/// is not done until it is gone ([`owed`] says so meanwhile).
pub const DISCARD_DIR: &str = ".discard";

/// What a rewrite did.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Rewritten {
    pub keys: u64,
    pub bytes_before: u64,
    pub bytes_after: u64,
    pub seconds: f64,
}

/// Whether `name` (a file directly in the database directory) belongs to sled.
fn is_sled_file(name: &str) -> bool {
    name == "db" || name == "conf" || name == "blobs" || name.starts_with("snap.")
}

fn io_err(path: &Path) -> impl Fn(io::Error) -> StoreError + '_ {
    move |e| StoreError::from_io(e, path)
}

/// Marks that a rewrite is owed (before an erasure is applied), durably.
pub fn owe(dir: &Path) -> Result<(), StoreError> {
    let p = dir.join(OWED);
    fs::File::create(&p).and_then(|f| f.sync_all()).map_err(io_err(dir))?;
    sync_dir(dir).map_err(io_err(dir))
}

/// Whether an erasure is still waiting for its rewrite (or for the old files to go).
pub fn owed(dir: &Path) -> bool {
    dir.join(OWED).exists() || dir.join(DISCARD_DIR).exists()
}

/// Removes the old database's files a swap put aside (see [`DISCARD_DIR`]), durably.
pub fn discard_old(dir: &Path) -> io::Result<()> {
    let discard = dir.join(DISCARD_DIR);
    if !discard.exists() {
        return Ok(());
    }
    fs::remove_dir_all(&discard)?;
    sync_dir(dir)
}

/// Copies every tree of `db` into a fresh database in `<dir>/.rewrite`, checks it, closes
/// both and swaps the copy in. `db` must be the only handle; the caller reopens `dir`
/// afterwards, also after an error (before the swap the old database is untouched).
pub fn rewrite(
    db: sled::Db,
    dir: &Path,
    open: impl Fn(&Path) -> Result<sled::Db, StoreError>,
) -> Result<Rewritten, StoreError> {
    let t0 = Instant::now();
    let tmp = dir.join(REWRITE_DIR);
    let bytes_before = db.size_on_disk().unwrap_or(0);
    let copied = copy_into(&db, &tmp, &open);
    // Both handles must be closed (their files released) before any file moves.
    drop(db);
    super::lock::wait_sled_released(dir, RELEASE_WAIT);
    super::lock::wait_sled_released(&tmp, RELEASE_WAIT);
    let prepared = copied.and_then(|keys| {
        // Durable copy first, then the journal mark, then the swap.
        let mark = || -> io::Result<()> {
            sync_tree(&tmp)?;
            fs::File::create(tmp.join(READY))?.sync_all()?;
            sync_dir(&tmp)
        };
        mark().map_err(io_err(dir)).map(|()| keys)
    });
    let keys = match prepared {
        Ok(k) => k,
        Err(e) => {
            let _ = fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    finish(dir).map_err(io_err(dir))?;
    discard_old(dir).map_err(io_err(dir))?;
    let _ = fs::remove_file(dir.join(OWED));
    let _ = sync_dir(dir);
    Ok(Rewritten {
        keys,
        bytes_before,
        bytes_after: dir_bytes(dir),
        seconds: t0.elapsed().as_secs_f64(),
    })
}

/// Bytes of sled's files in `dir`.
fn dir_bytes(dir: &Path) -> u64 {
    fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| is_sled_file(&e.file_name().to_string_lossy()))
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

/// Copies all trees of `db` into a new database at `tmp` and checks the copy.
fn copy_into(
    db: &sled::Db,
    tmp: &Path,
    open: &impl Fn(&Path) -> Result<sled::Db, StoreError>,
) -> Result<u64, StoreError> {
    let new = open_fresh(tmp, open)?;
    let keys = copy_trees(db, &new, tmp, &AtomicBool::new(false))?;
    let sled_err = |e| StoreError::from_sled(e, tmp);
    new.flush().map_err(sled_err)?;
    let (a, b) = (db.checksum().map_err(sled_err)?, new.checksum().map_err(sled_err)?);
    drop(new);
    if a != b {
        return Err(StoreError::Io {
            path: tmp.to_owned(),
            reason: "the rewritten copy differs from the database; nothing was changed".into(),
        });
    }
    Ok(keys)
}

/// A new, empty database at `tmp` (anything there before is removed).
fn open_fresh(tmp: &Path, open: &impl Fn(&Path) -> Result<sled::Db, StoreError>) -> Result<sled::Db, StoreError> {
    if tmp.exists() {
        fs::remove_dir_all(tmp).map_err(io_err(tmp))?;
    }
    open(tmp)
}

/// Copies every tree of `db` into `new`, in batches; stops with an error once `cancel` is set.
fn copy_trees(db: &sled::Db, new: &sled::Db, tmp: &Path, cancel: &AtomicBool) -> Result<u64, StoreError> {
    let sled_err = |e| StoreError::from_sled(e, tmp);
    let mut keys = 0u64;
    for name in db.tree_names() {
        let from = db.open_tree(&name).map_err(sled_err)?;
        let to = new.open_tree(&name).map_err(sled_err)?;
        let mut batch = sled::Batch::default();
        let mut in_batch = 0;
        for kv in from.iter() {
            let (k, v) = kv.map_err(sled_err)?;
            batch.insert(k, v);
            in_batch += 1;
            keys += 1;
            if in_batch == 1024 {
                if cancel.load(Ordering::Relaxed) {
                    return Err(StoreError::Io {
                        path: tmp.to_owned(),
                        reason: "the rewrite was stopped".into(),
                    });
                }
                to.apply_batch(std::mem::take(&mut batch)).map_err(sled_err)?;
                in_batch = 0;
            }
        }
        to.apply_batch(batch).map_err(sled_err)?;
    }
    Ok(keys)
}

/// The first part of a rewrite beside the writes (see [`Store::start_rewrite`]): copies
/// every tree of `db` into `<dir>/.rewrite` while the store goes on writing to `db`, and
/// makes the copy durable. It is not compared with `db` (which changes meanwhile): the keys
/// written since it began are copied again by [`swap_in`]. Stops early once `cancel` is set.
/// Returns the number of keys and the copy, open: closed and opened once here, so that sled
/// has written its snapshot of it and opening it after the swap reads only what the swap
/// added (the swap's pause stays milliseconds, whatever the database's size).
///
/// [`Store::start_rewrite`]: super::Store::start_rewrite
pub fn copy_live(
    db: &sled::Db,
    dir: &Path,
    open: impl Fn(&Path) -> Result<sled::Db, StoreError>,
    cancel: &AtomicBool,
) -> Result<Copied, StoreError> {
    let tmp = dir.join(REWRITE_DIR);
    let new = open_fresh(&tmp, &open)?;
    let copied = copy_trees(db, &new, &tmp, cancel).and_then(|keys| {
        new.flush().map_err(|e| StoreError::from_sled(e, &tmp))?;
        Ok(keys)
    });
    drop(new);
    super::lock::wait_sled_released(&tmp, RELEASE_WAIT);
    let reopened = copied.and_then(|keys| {
        let new = open(&tmp)?;
        // Files modified from here on are synced again in the swap (`sync_changed`); a
        // little earlier, for the file system's coarse clock (a few ms). Not more: the
        // copy's blobs are written just before, and sled does not fsync blobs itself.
        let synced_at = std::time::SystemTime::now() - Duration::from_millis(50);
        sync_tree(&tmp).map_err(io_err(dir))?;
        Ok(Copied {
            keys,
            db: new,
            synced_at,
        })
    });
    if reopened.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    reopened
}

/// A copy made by [`copy_live`], open, durable as of `synced_at`.
pub struct Copied {
    pub keys: u64,
    pub db: sled::Db,
    synced_at: std::time::SystemTime,
}

/// The last part of a rewrite beside the writes, with no write in between: the keys written
/// since the copy began (`written`) get their current values (or their removal) in the
/// copy (`new`, from [`copy_live`]), durably; then the copy is swapped in as [`rewrite`]
/// does. `db` must be the only handle; the caller reopens `dir` afterwards, also after an error (before the swap the
/// old database is untouched and the copy is thrown away).
pub fn swap_in(db: sled::Db, copied: Copied, dir: &Path, written: &BTreeSet<Vec<u8>>) -> Result<(), StoreError> {
    let tmp = dir.join(REWRITE_DIR);
    let Copied { db: new, synced_at, .. } = copied;
    let t = Instant::now();
    let mut stages: Vec<(&str, f64)> = Vec::new();
    let mut stage = |name: &'static str| stages.push((name, t.elapsed().as_secs_f64() * 1e3));
    let caught_up = (|| {
        let sled_err = |e| StoreError::from_sled(e, &tmp);
        let mut batch = sled::Batch::default();
        for k in written {
            match db.get(k).map_err(|e| StoreError::from_sled(e, dir))? {
                Some(v) => batch.insert(&k[..], v),
                None => batch.remove(&k[..]),
            }
        }
        new.apply_batch(batch).map_err(sled_err)?;
        new.flush().map_err(sled_err)?;
        drop(new);
        Ok(())
    })();
    stage("caught up");
    drop(db);
    stage("old dropped");
    super::lock::wait_sled_released(dir, RELEASE_WAIT);
    super::lock::wait_sled_released(&tmp, RELEASE_WAIT);
    stage("released");
    let prepared = caught_up.and_then(|()| {
        let mut mark = || -> io::Result<()> {
            // Only what changed since the copy was synced: one fsync per file costs
            // milliseconds on a busy disk, and a 300k database has hundreds of blobs
            // (syncing them all again took 0.4-0.7 s here while others built).
            let files = sync_changed(&tmp, synced_at)?;
            stage(if files > 3 {
                "synced more than 3 files"
            } else {
                "synced"
            });
            fs::File::create(tmp.join(READY))?.sync_all()?;
            sync_dir(&tmp)?;
            stage("marked ready");
            Ok(())
        };
        mark().map_err(io_err(dir))
    });
    if let Err(e) = prepared {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    finish(dir).map_err(io_err(dir))?;
    let _ = fs::remove_file(dir.join(OWED));
    let _ = sync_dir(dir);
    stage("swapped");
    // The old files are in DISCARD_DIR: the caller removes them (`discard_old`) once the
    // new database is open, beside the writes.
    crate::log!("rewrite: swap stages (ms from its start) {stages:?}");
    Ok(())
}

/// Called before sled opens `dir`: finishes a swap that was ready, or removes a copy that
/// was not. Cheap when there is nothing to do (one `stat`).
pub fn recover(dir: &Path) -> Result<(), StoreError> {
    let tmp = dir.join(REWRITE_DIR);
    if !tmp.exists() {
        return discard_old(dir).map_err(io_err(dir));
    }
    if tmp.join(READY).exists() {
        crate::log!("rewrite: finishing an interrupted swap");
        finish(dir).and_then(|()| discard_old(dir)).map_err(io_err(dir))
    } else {
        crate::log!("rewrite: removing an unfinished copy");
        fs::remove_dir_all(&tmp).map_err(io_err(dir))
    }
}

/// Removes snapshots sled did not finish (`snap.*.generating`, left by a full disk or a
/// kill while writing one): sled 0.34 takes them for the newest snapshot and then reports
/// the whole database as corrupt, even after space is freed. A finished snapshot is renamed
/// from it, so such a file is never needed (sled rebuilds the snapshot from its log).
pub fn remove_half_snapshots(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            crate::log!("sled: removing an unfinished snapshot");
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The swap, idempotent so that it can be rerun from any point after `READY`:
/// 1. while the new `db` is still in `.rewrite`, no new file has moved in yet: every sled
///    file in the directory is old and is moved aside into [`DISCARD_DIR`];
/// 2. the new `db` moves in, then the rest of the copy's files (config, snapshots, blobs);
/// 3. `.rewrite` is removed (its `READY` last).
///
/// Only renames: the old files are freed later by [`discard_old`].
fn finish(dir: &Path) -> io::Result<()> {
    let tmp = dir.join(REWRITE_DIR);
    let discard = dir.join(DISCARD_DIR);
    let aside = |path: &Path, name: &str| -> io::Result<()> {
        fs::create_dir_all(&discard)?;
        let target = discard.join(name);
        if target.is_dir() {
            fs::remove_dir_all(&target)?;
        }
        fs::rename(path, target)
    };
    if tmp.join("db").exists() {
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if is_sled_file(&name) {
                aside(&entry.path(), &name)?;
            }
        }
        fs::rename(tmp.join("db"), dir.join("db"))?;
    }
    for entry in fs::read_dir(&tmp)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_sled_file(&name) {
            let target = dir.join(&name);
            if name == "blobs" && target.exists() {
                aside(&target, &name)?;
            }
            fs::rename(entry.path(), target)?;
        }
    }
    sync_dir(dir)?;
    for entry in fs::read_dir(&tmp)? {
        let entry = entry?;
        if entry.file_name() != READY {
            let p = entry.path();
            if p.is_dir() {
                fs::remove_dir_all(&p)?
            } else {
                fs::remove_file(&p)?
            }
        }
    }
    fs::remove_file(tmp.join(READY))?;
    fs::remove_dir(&tmp)?;
    sync_dir(dir)
}

/// fsyncs a directory (its entries: renames and removals).
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

/// fsyncs the files under `dir` modified since `since`, and the directories; how many
/// files it synced.
fn sync_changed(dir: &Path, since: std::time::SystemTime) -> io::Result<usize> {
    let mut files = 0;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let p: PathBuf = entry.path();
        let meta = entry.metadata()?;
        if meta.is_dir() {
            files += sync_changed(&p, since)?;
        } else if meta.modified().map_or(true, |m| m >= since) {
            fs::File::open(&p)?.sync_all()?;
            files += 1;
        }
    }
    sync_dir(dir)?;
    Ok(files)
}

/// fsyncs every file under `dir` and the directories themselves.
fn sync_tree(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let p: PathBuf = entry?.path();
        if p.is_dir() {
            sync_tree(&p)?;
        } else {
            fs::File::open(&p)?.sync_all()?;
        }
    }
    sync_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only sled's own files are copied and swapped: a lock, a marker, the rewrite's
    /// directory or a settings file next to them are left where they are.
    #[test]
    fn only_sleds_files_are_sleds() {
        for name in ["db", "conf", "blobs", "snap.00000000004A2F10"] {
            assert!(is_sled_file(name), "{name}");
        }
        for name in [
            OWED,
            ".rewrite",
            "owner.lock",
            "settings.toml",
            "dbx",
            "snap",
            "blobs.old",
        ] {
            assert!(!is_sled_file(name), "{name}");
        }
    }
}
