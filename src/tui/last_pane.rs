//! The pane each account last used on each database, remembered between starts in a small
//! private file (`panes.toml` in the user's state directory, mode 0600), so that a screen
//! opened again starts where its user was. Only the pane: a fuller resume is for later.

use super::app::Pane;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The most account-and-database pairs kept: the file stays small.
const KEPT: usize = 64;

#[derive(Default, Serialize, Deserialize)]
struct File {
    /// "account database" → the pane's code.
    #[serde(default)]
    panes: BTreeMap<String, String>,
}

/// One account's pane on one database, and where it is kept.
#[derive(Clone, Debug)]
pub struct LastPane {
    path: PathBuf,
    key: String,
    saved: Option<Pane>,
}

impl LastPane {
    /// The default file: `<state dir>/panes.toml`.
    pub fn default_path() -> Option<PathBuf> {
        crate::paths::state_dir().map(|d| d.join("panes.toml"))
    }

    /// The pane `account` last used on the database `db`, as kept in `path` (none yet when
    /// the file is missing or unreadable: it is then written anew).
    pub fn new(path: PathBuf, account: &str, db: &Path) -> LastPane {
        let db = std::fs::canonicalize(db).unwrap_or_else(|_| db.to_owned());
        let key = format!("{account} {}", db.display());
        let saved = read(&path)
            .panes
            .get(&key)
            .and_then(|code| Pane::ALL.into_iter().find(|p| p.code() == code));
        LastPane { path, key, saved }
    }

    /// The pane to start on, if one was remembered.
    pub fn pane(&self) -> Option<Pane> {
        self.saved
    }

    /// Remembers `pane` (the file is written only when it changes; a failure is logged,
    /// never in the way).
    pub fn remember(&mut self, pane: Pane) {
        if self.saved == Some(pane) {
            return;
        }
        self.saved = Some(pane);
        let mut file = read(&self.path);
        file.panes.insert(self.key.clone(), pane.code().to_string());
        while file.panes.len() > KEPT {
            let Some(other) = file.panes.keys().find(|k| **k != self.key).cloned() else {
                break;
            };
            file.panes.remove(&other);
        }
        if let Err(e) = write(&self.path, &file) {
            crate::log!("last pane not kept: {}", e.kind());
        }
    }
}

fn read(path: &Path) -> File {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| toml::from_str(&text).ok())
        .unwrap_or_default()
}

/// Writes the file whole, private: a temporary file (made 0600) renamed over it.
fn write(path: &Path, file: &File) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    crate::paths::create_private_dir(dir)?;
    let text = toml::to_string(file).map_err(std::io::Error::other)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn each_account_and_database_keeps_its_own_pane_in_a_private_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("state/panes.toml");
        let db = dir.path().join("db");
        let mut mine = LastPane::new(path.clone(), "koord1", &db);
        assert_eq!(mine.pane(), None);
        mine.remember(Pane::Events);
        let mut other = LastPane::new(path.clone(), "koord2", &db);
        assert_eq!(other.pane(), None, "another account starts afresh");
        other.remember(Pane::Indicators);
        assert_eq!(LastPane::new(path.clone(), "koord1", &db).pane(), Some(Pane::Events));
        assert_eq!(
            LastPane::new(path.clone(), "koord2", &db).pane(),
            Some(Pane::Indicators)
        );
        let elsewhere = dir.path().join("other-db");
        assert_eq!(LastPane::new(path.clone(), "koord1", &elsewhere).pane(), None);
        let mode = std::fs::metadata(&path).expect("the file").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        // A damaged file is no obstacle: it is written anew.
        std::fs::write(&path, "[panes\n").expect("write");
        let mut again = LastPane::new(path.clone(), "koord1", &db);
        assert_eq!(again.pane(), None);
        again.remember(Pane::Participants);
        assert_eq!(LastPane::new(path, "koord1", &db).pane(), Some(Pane::Participants));
    }
}
