//! Saved views: a pane's filter kept under a name in the user's `views.toml` (config
//! directory), recalled from the command palette. A user preference, not project data.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One saved view: which pane, which filter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    pub pane: String,
    pub filter: String,
}

/// All saved views, by name, and where they are kept.
#[derive(Clone, Debug, Default)]
pub struct Views {
    pub views: BTreeMap<String, View>,
    path: Option<PathBuf>,
    /// Set when the file could not be read: saving then refuses rather than overwrite it.
    broken: Option<String>,
}

#[derive(Default, Serialize, Deserialize)]
struct File {
    #[serde(default)]
    views: BTreeMap<String, View>,
}

impl Views {
    /// Views kept in `path` (none yet if it does not exist). A broken file is an error
    /// naming it; the caller starts with no views and keeps the file untouched.
    pub fn load(path: Option<PathBuf>) -> Result<Views, String> {
        let Some(p) = path else { return Ok(Views::default()) };
        match std::fs::read_to_string(&p) {
            Ok(text) => {
                let f: File = toml::from_str(&text).map_err(|e| format!("{}: {}", p.display(), e.message()))?;
                Ok(Views {
                    views: f.views,
                    path: Some(p),
                    broken: None,
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Views {
                views: BTreeMap::new(),
                path: Some(p),
                broken: None,
            }),
            Err(e) => Err(format!("{}: {e}", p.display())),
        }
    }

    /// No views, and saving refuses with `reason` (the file could not be read).
    pub fn unusable(reason: String) -> Views {
        Views {
            broken: Some(reason),
            ..Views::default()
        }
    }

    /// The default location: `<config dir>/views.toml`.
    pub fn default_path() -> Option<PathBuf> {
        crate::paths::config_dir().map(|d| d.join("views.toml"))
    }

    /// Saves (or replaces) a view and writes the file; written whole to a temporary file
    /// first, so a full disk never leaves half a file.
    pub fn save(&mut self, name: &str, view: View) -> Result<(), String> {
        if let Some(reason) = &self.broken {
            return Err(reason.clone());
        }
        self.views.insert(name.to_string(), view);
        let Some(p) = &self.path else { return Ok(()) };
        write_atomic(
            p,
            &toml::to_string(&File {
                views: self.views.clone(),
            })
            .map_err(|e| e.to_string())?,
        )
        .map_err(|e| format!("{}: {e}", p.display()))
    }
}

fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        crate::paths::create_private_dir(dir)?;
    }
    let tmp = path.with_extension("toml.tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_and_reload() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("cfg/views.toml");
        let mut v = Views::load(Some(p.clone())).expect("missing file is fine");
        let view = View {
            pane: "participants".into(),
            filter: "role:metodiķis mun:cēsis".into(),
        };
        v.save("cēsu metodiķi", view.clone()).expect("save");
        let back = Views::load(Some(p)).expect("load");
        assert_eq!(back.views.get("cēsu metodiķi"), Some(&view));
    }

    #[test]
    fn broken_file_is_a_named_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("views.toml");
        std::fs::write(&p, "[views\n").expect("write");
        let e = Views::load(Some(p.clone())).expect_err("broken");
        assert!(e.contains("views.toml"), "{e}");
        // Saving then refuses, and the broken file is left as it was for the user to fix.
        let mut v = Views::unusable(e.clone());
        let view = View {
            pane: "events".into(),
            filter: "format:seminar".into(),
        };
        assert_eq!(v.save("x", view), Err(e));
        assert_eq!(std::fs::read_to_string(&p).expect("read"), "[views\n");
    }
}
