//! Where things live: the database directory (--db, ATBALSTS_DB, or the platform data
//! directory), its private permissions, and the config directory.

use std::io;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Environment variable naming the database directory.
pub const DB_ENV: &str = "ATBALSTS_DB";

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("lv", "atbalsts", "atbalsts")
}

/// The database directory: `arg`, else `$ATBALSTS_DB`, else `configured` (config.toml's
/// `db`), else `<data dir>/db`.
pub fn resolve_db(arg: Option<&Path>, configured: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = arg {
        return Some(p.to_owned());
    }
    if let Some(p) = std::env::var_os(DB_ENV).filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(p));
    }
    if let Some(p) = configured {
        return Some(p.to_owned());
    }
    project_dirs().map(|d| d.data_dir().join("db"))
}

/// The user's config directory for atbalsts.
pub fn config_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().to_owned())
}

/// A path for messages: the home directory written `~`, so that it fits a status bar.
pub fn display(p: &Path) -> String {
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
    match home.as_deref().and_then(|h| p.strip_prefix(h).ok()) {
        Some(rest) if rest.as_os_str().is_empty() => "~".to_string(),
        Some(rest) => format!("~/{}", rest.display()),
        None => p.display().to_string(),
    }
}

/// `~/x` with the home directory; a relative path taken from `base` (when given); any
/// other path as it is. For paths written in the user's settings files.
pub fn expand(text: &str, base: Option<&Path>) -> PathBuf {
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
    if let (Some(rest), Some(home)) = (text.strip_prefix("~/"), &home) {
        return home.join(rest);
    }
    if let (Some(home), "~") = (&home, text) {
        return home.clone();
    }
    let p = PathBuf::from(text);
    match base {
        Some(b) if p.is_relative() => b.join(p),
        _ => p,
    }
}

/// Makes sure the database directory exists and that what we create in it stays private.
///
/// A new directory is made 0700. An existing one keeps its mode; if it is shared with a
/// group (a team database), new files are made group-accessible (umask 007), otherwise
/// owner-only (umask 077). Nothing is ever world-readable.
pub fn prepare_db_dir(path: &Path) -> io::Result<()> {
    let shared = match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => m.permissions().mode() & 0o070 != 0,
        Ok(_) => {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                "exists and is not a directory",
            ));
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            std::fs::DirBuilder::new().recursive(true).mode(0o700).create(path)?;
            // DirBuilder's mode is filtered by the umask; set it exactly.
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))?;
            false
        }
        Err(e) => return Err(e),
    };
    // SAFETY: umask only sets the process's file-creation mask; it cannot fail.
    unsafe {
        libc::umask(if shared { 0o007 } else { 0o077 });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_directory_is_private() {
        let base = tempfile::tempdir().expect("tempdir");
        let db = base.path().join("a/b/db");
        prepare_db_dir(&db).expect("prepare");
        let mode = std::fs::metadata(&db).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
    }

    #[test]
    fn group_directory_is_kept() {
        let base = tempfile::tempdir().expect("tempdir");
        let db = base.path().join("team");
        std::fs::create_dir(&db).expect("mkdir");
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o770)).expect("chmod");
        prepare_db_dir(&db).expect("prepare");
        let mode = std::fs::metadata(&db).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o770);
    }

    #[test]
    fn a_file_in_the_way_is_an_error() {
        let base = tempfile::tempdir().expect("tempdir");
        let f = base.path().join("file");
        std::fs::write(&f, "x").expect("write");
        assert!(prepare_db_dir(&f).is_err());
    }

    #[test]
    fn settings_paths_expand_against_the_file() {
        let base = Path::new("/etc/cfg");
        assert_eq!(expand("/abs/db", Some(base)), PathBuf::from("/abs/db"));
        assert_eq!(expand("team/db", Some(base)), PathBuf::from("/etc/cfg/team/db"));
        assert_eq!(expand("team/db", None), PathBuf::from("team/db"));
        if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
            assert_eq!(expand("~/db", Some(base)), PathBuf::from(&home).join("db"));
            assert_eq!(display(&PathBuf::from(&home).join("x.toml")), "~/x.toml");
        }
        assert_eq!(display(Path::new("/nowhere-home/x")), "/nowhere-home/x");
    }

    #[test]
    fn explicit_argument_wins() {
        assert_eq!(
            resolve_db(Some(Path::new("/x")), Some(Path::new("/from-config"))),
            Some(PathBuf::from("/x"))
        );
    }
}
