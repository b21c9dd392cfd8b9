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

/// The user's directory for what the screen remembers between starts (the platform state
/// directory, `~/.local/state/atbalsts`; else the local data directory).
pub fn state_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.state_dir().unwrap_or_else(|| d.data_local_dir()).to_owned())
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
/// other path as it is. For paths written in the user's settings files and typed on the
/// screen (`:import`, `:export`: `base` none, the working directory).
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

/// What kind of database directory [`prepare_db_dir`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DbDir {
    /// Only its owner can enter it (0700): files are made 0600.
    Private,
    /// A team directory, chosen on purpose: group-shared with the setgid bit (2770), so
    /// every file belongs to the group; files are made 0660. `group` names the group.
    Team { group: String },
    /// Others can read or change it (world bits, or group bits without setgid): refused.
    /// `mode` is its permission bits, for the message.
    Open { mode: u32 },
}

/// Makes sure the database directory exists, decides whether it may be used, and keeps
/// what is created in it private (or group-only in a team directory).
///
/// A new directory is made 0700. An existing one is used only if it is private (no group
/// or other bits) or a team directory (setgid, no other bits); anything else is [`DbDir::Open`]
/// and must not be opened. Files already inside with wider modes are narrowed. The process
/// umask is set to 077 (private) or 007 (team), so nothing made later is ever world-readable.
pub fn prepare_db_dir(path: &Path) -> io::Result<DbDir> {
    let mode = match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => m.permissions().mode(),
        Ok(_) => {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                "exists and is not a directory",
            ));
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // Created parents are private too (umask while creating).
            // SAFETY: umask only sets the process's file-creation mask; it cannot fail.
            unsafe {
                libc::umask(0o077);
            }
            std::fs::DirBuilder::new().recursive(true).mode(0o700).create(path)?;
            // DirBuilder's mode is filtered by the umask; set it exactly.
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))?;
            0o700
        }
        Err(e) => return Err(e),
    };
    let kind = classify(mode, path);
    let (umask, keep) = match &kind {
        DbDir::Private => (0o077, 0o700),
        DbDir::Team { .. } => (0o007, 0o770),
        DbDir::Open { .. } => return Ok(kind),
    };
    // SAFETY: as above.
    unsafe {
        libc::umask(umask);
    }
    narrow_files(path, keep);
    Ok(kind)
}

/// What kind of database directory `path` is, by looking only (`None`: no directory).
pub fn db_dir_kind(path: &Path) -> Option<DbDir> {
    let meta = std::fs::metadata(path).ok().filter(|m| m.is_dir())?;
    Some(classify(meta.permissions().mode(), path))
}

/// The kind of a directory with permission bits `mode`.
fn classify(mode: u32, path: &Path) -> DbDir {
    let setgid = mode & 0o2000 != 0;
    // Others may pass through (o+x, never read or write) to the server's socket only when
    // the directory has an access list naming who else the server accepts.
    let others = if path.join(crate::server::proto::ACCESS).is_file() {
        mode & 0o006
    } else {
        mode & 0o007
    };
    if others != 0 || (mode & 0o070 != 0 && !setgid) {
        DbDir::Open { mode: mode & 0o7777 }
    } else if mode & 0o070 != 0 {
        DbDir::Team {
            group: group_of(path).unwrap_or_else(|| "?".into()),
        }
    } else {
        DbDir::Private
    }
}

/// The name of the group owning `path`.
fn group_of(path: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let gid = std::fs::metadata(path).ok()?.gid();
    // SAFETY: getgrgid returns a pointer to static storage or null; we copy the name out
    // at once and never keep the pointer.
    unsafe {
        let g = libc::getgrgid(gid);
        if g.is_null() || (*g).gr_name.is_null() {
            return Some(gid.to_string());
        }
        Some(std::ffi::CStr::from_ptr((*g).gr_name).to_string_lossy().into_owned())
    }
}

/// Takes every permission outside `keep` off the files (and `blobs/`) in `dir` that this
/// user may change; the others are left (opening them will say what is wrong).
fn narrow_files(dir: &Path, keep: u32) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let Ok(meta) = entry.metadata() else { continue };
        // The server's socket carries no data and gets its mode from the server.
        if std::os::unix::fs::FileTypeExt::is_socket(&meta.file_type()) {
            continue;
        }
        let mode = meta.permissions().mode();
        let want = if meta.is_dir() { keep } else { keep & 0o666 };
        if mode & 0o777 & !want != 0 {
            let _ = std::fs::set_permissions(
                entry.path(),
                std::fs::Permissions::from_mode(mode & 0o7000 | mode & want),
            );
        }
        if meta.is_dir() && entry.file_name() == "blobs" {
            narrow_files(&entry.path(), keep);
        }
    }
}

/// Creates a directory of the user's own (the config directory) owner-only, and takes
/// group and other write permission off it if it exists: nobody else may plant settings
/// or keymaps there, whatever umask a team database set.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    if !dir.exists() {
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
    }
    let mode = std::fs::metadata(dir)?.permissions().mode();
    if mode & 0o022 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode & !0o022))?;
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
        assert_eq!(prepare_db_dir(&db).expect("prepare"), DbDir::Private);
        let mode = std::fs::metadata(&db).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
    }

    fn dir_with_mode(base: &Path, name: &str, mode: u32) -> PathBuf {
        let db = base.join(name);
        std::fs::create_dir(&db).expect("mkdir");
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(mode)).expect("chmod");
        db
    }

    #[test]
    fn a_setgid_group_directory_is_a_team_directory_and_its_files_are_narrowed() {
        let base = tempfile::tempdir().expect("tempdir");
        let db = dir_with_mode(base.path(), "team", 0o2770);
        let file = db.join("db");
        std::fs::write(&file, "x").expect("write");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o666)).expect("chmod");
        assert!(matches!(prepare_db_dir(&db).expect("prepare"), DbDir::Team { .. }));
        let mode = std::fs::metadata(&db).expect("meta").permissions().mode() & 0o7777;
        assert_eq!(mode, 0o2770);
        let mode = std::fs::metadata(&file).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o660);
    }

    #[test]
    fn directories_others_can_enter_are_refused() {
        let base = tempfile::tempdir().expect("tempdir");
        for (name, mode) in [
            ("world", 0o777),
            ("readable", 0o755),
            ("group", 0o770),
            ("sticky", 0o1777),
        ] {
            let db = dir_with_mode(base.path(), name, mode);
            assert_eq!(prepare_db_dir(&db).expect("prepare"), DbDir::Open { mode }, "{name}");
        }
    }

    #[test]
    fn files_in_a_private_directory_are_made_private() {
        let base = tempfile::tempdir().expect("tempdir");
        let db = dir_with_mode(base.path(), "mine", 0o700);
        let file = db.join("conf");
        std::fs::write(&file, "x").expect("write");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        assert_eq!(prepare_db_dir(&db).expect("prepare"), DbDir::Private);
        let mode = std::fs::metadata(&file).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn the_config_directory_is_never_group_writable() {
        let base = tempfile::tempdir().expect("tempdir");
        let cfg = dir_with_mode(base.path(), "cfg", 0o770);
        create_private_dir(&cfg).expect("fix");
        let mode = std::fs::metadata(&cfg).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o750);
        let new = base.path().join("a/b");
        create_private_dir(&new).expect("create");
        let mode = std::fs::metadata(&new).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode & 0o022, 0);
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
        // As typed on the screen: a `~` inside a name is a letter.
        assert_eq!(expand("/tmp/x.csv", None), PathBuf::from("/tmp/x.csv"));
        assert_eq!(expand("x~.csv", None), PathBuf::from("x~.csv"));
        if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
            assert_eq!(expand("~", None), PathBuf::from(&home));
            assert_eq!(expand("~/a/b.csv", None), PathBuf::from(&home).join("a/b.csv"));
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
