//! The user's settings file, `config.toml` (config directory, or `--config` /
//! `ATBALSTS_CONFIG`): language, keymap, theme and database. Only reads it; a problem in it
//! is a warning naming the file and line, never a reason not to start.

use crate::i18n::{Lang, M, f, t};
use crate::tui::keymap_load::KeymapChoice;
use crate::tui::theme::Theme;
use std::fmt;
use std::path::{Path, PathBuf};

/// Environment variable naming the settings file.
pub const CONFIG_ENV: &str = "ATBALSTS_CONFIG";

/// Every setting the file knows, in the order the README lists them.
pub const KEYS: [&str; 4] = ["lang", "keymap", "theme", "db"];

/// Colour or not. NO_COLOR (non-empty) turns colour off whatever is chosen here.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ThemeChoice {
    /// Colour unless NO_COLOR is set.
    #[default]
    Auto,
    /// No colour at all: reverse video, bold and underline only.
    Mono,
    /// Colour (still off under NO_COLOR).
    Colour,
}

impl ThemeChoice {
    /// `auto`, `mono` or `colour` (also `color`).
    pub fn parse(s: &str) -> Option<ThemeChoice> {
        match s {
            "auto" => Some(ThemeChoice::Auto),
            "mono" => Some(ThemeChoice::Mono),
            "colour" | "color" => Some(ThemeChoice::Colour),
            _ => None,
        }
    }

    /// The theme to draw with: the environment's (NO_COLOR), made mono if chosen.
    pub fn theme(self) -> Theme {
        let env = Theme::from_env();
        Theme {
            color: env.color && self != ThemeChoice::Mono,
        }
    }
}

/// The settings found in the file; `None` where the file does not set one (or sets it
/// wrongly, with a warning).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    pub lang: Option<Lang>,
    pub keymap: Option<KeymapChoice>,
    pub theme: Option<ThemeChoice>,
    pub db: Option<PathBuf>,
}

/// A problem in the settings file. Shown in the interface language of the moment it is
/// displayed (the file itself may choose the language).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    /// The file could not be read (a missing file named by --config or ATBALSTS_CONFIG).
    Unreadable { file: String, reason: String },
    /// Not TOML: nothing of the file is used.
    Syntax { file: String, line: usize, reason: String },
    /// A setting that does not exist (a typo, most likely).
    UnknownKey { file: String, line: usize, key: String },
    /// A known setting with a value of the wrong type or out of its choices.
    BadValue {
        file: String,
        line: usize,
        key: &'static str,
        value: String,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Warning::Unreadable { file, reason } => f(M::CfgUnreadable, &[file, reason]),
            Warning::Syntax { file, line, reason } => f(M::CfgSyntax, &[file, line, reason]),
            Warning::UnknownKey { file, line, key } => f(M::CfgUnknownKey, &[file, line, key, &KEYS.join(", ")]),
            Warning::BadValue { file, line, key, value } => {
                let expected = match *key {
                    "lang" => M::CfgExpectLang,
                    "keymap" => M::CfgExpectKeymap,
                    "theme" => M::CfgExpectTheme,
                    _ => M::CfgExpectDb,
                };
                f(M::CfgBadValue, &[file, line, key, value, &t(expected)])
            }
        };
        out.write_str(&text)
    }
}

/// The usual place: `<config dir>/config.toml` (next to views.toml and keymap.toml).
pub fn default_path() -> Option<PathBuf> {
    crate::paths::config_dir().map(|d| d.join("config.toml"))
}

/// Which settings file to read: `arg` (--config), else `$ATBALSTS_CONFIG`, else the usual
/// place; and whether it was named explicitly (then a missing file is worth a warning).
pub fn locate(arg: Option<&Path>) -> Option<(PathBuf, bool)> {
    if let Some(p) = arg {
        return Some((p.to_owned(), true));
    }
    if let Some(p) = std::env::var_os(CONFIG_ENV).filter(|v| !v.is_empty()) {
        return Some((PathBuf::from(p), true));
    }
    default_path().map(|p| (p, false))
}

/// Reads the settings in `path`. A missing file gives no settings, silently unless
/// `required`; any other problem is a warning and the settings that could be read.
pub fn load(path: &Path, required: bool) -> (Config, Vec<Warning>) {
    let file = crate::paths::display(path);
    match std::fs::read_to_string(path) {
        Ok(text) => parse(&text, &file, path.parent()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => (Config::default(), Vec::new()),
        Err(e) => (
            Config::default(),
            vec![Warning::Unreadable {
                file,
                reason: e.to_string(),
            }],
        ),
    }
}

/// The 1-based line of byte `offset` in `text`.
fn line_at(text: &str, offset: usize) -> usize {
    text.get(..offset).unwrap_or(text).matches('\n').count() + 1
}

/// Parses settings; `file` names the file in warnings, and relative paths in it (keymap,
/// db) are taken from `base`, the file's directory.
pub fn parse(text: &str, file: &str, base: Option<&Path>) -> (Config, Vec<Warning>) {
    let mut config = Config::default();
    let mut warnings = Vec::new();
    let doc = match toml::de::DeTable::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            warnings.push(Warning::Syntax {
                file: file.to_string(),
                line: line_at(text, e.span().map_or(0, |s| s.start)),
                reason: e.message().trim_end().to_string(),
            });
            return (config, warnings);
        }
    };
    for (key, value) in doc.get_ref() {
        let line = line_at(text, key.span().start);
        let name: &str = key.get_ref();
        let Some(known) = KEYS.iter().copied().find(|k| *k == name) else {
            warnings.push(Warning::UnknownKey {
                file: file.to_string(),
                line,
                key: name.to_string(),
            });
            continue;
        };
        let s = value.get_ref().as_str();
        let ok = match (known, s) {
            ("lang", Some(s)) => Lang::parse(s).map(|l| config.lang = Some(l)).is_some(),
            ("keymap", Some(s)) if !s.trim().is_empty() => {
                config.keymap = Some(KeymapChoice::parse(s, base));
                true
            }
            ("theme", Some(s)) => ThemeChoice::parse(s).map(|c| config.theme = Some(c)).is_some(),
            ("db", Some(s)) if !s.trim().is_empty() => {
                config.db = Some(crate::paths::expand(s, base));
                true
            }
            _ => false,
        };
        if !ok {
            let span = value.span();
            let mut shown: String = text.get(span).unwrap_or("?").chars().take(40).collect();
            if shown.contains('\n') {
                shown = shown.lines().next().unwrap_or("?").to_string() + " …";
            }
            warnings.push(Warning::BadValue {
                file: file.to_string(),
                line: line_at(text, value.span().start),
                key: known,
                value: shown,
            });
        }
    }
    (config, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> (Config, Vec<Warning>) {
        parse(text, "config.toml", Some(Path::new("/cfg")))
    }

    #[test]
    fn every_setting() {
        let (c, w) =
            parsed("# my settings\nlang = \"lv\"\nkeymap = \"vim\"\ntheme = \"mono\"\ndb = \"/srv/atbalsts/db\"\n");
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(
            c,
            Config {
                lang: Some(Lang::Lv),
                keymap: Some(KeymapChoice::Preset("vim")),
                theme: Some(ThemeChoice::Mono),
                db: Some(PathBuf::from("/srv/atbalsts/db")),
            }
        );
    }

    #[test]
    fn empty_file_sets_nothing() {
        assert_eq!(parsed(""), (Config::default(), vec![]));
        assert_eq!(parsed("# only a comment\n"), (Config::default(), vec![]));
    }

    #[test]
    fn relative_paths_are_taken_from_the_file() {
        let (c, w) = parsed("keymap = \"keys.toml\"\ndb = \"team/db\"\n");
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(c.keymap, Some(KeymapChoice::File(PathBuf::from("/cfg/keys.toml"))));
        assert_eq!(c.db, Some(PathBuf::from("/cfg/team/db")));
    }

    #[test]
    fn theme_words() {
        for (word, want) in [
            ("auto", ThemeChoice::Auto),
            ("mono", ThemeChoice::Mono),
            ("colour", ThemeChoice::Colour),
            ("color", ThemeChoice::Colour),
        ] {
            assert_eq!(ThemeChoice::parse(word), Some(want));
        }
        assert_eq!(ThemeChoice::parse("rainbow"), None);
        assert!(!ThemeChoice::Mono.theme().color);
    }

    #[test]
    fn unknown_key_is_named_with_its_line_and_the_keys_there_are() {
        let (c, w) = parsed("lang = \"en\"\n\ncolour = \"yes\"\n");
        assert_eq!(c.lang, Some(Lang::En), "the good settings still apply");
        assert_eq!(
            w,
            vec![Warning::UnknownKey {
                file: "config.toml".into(),
                line: 3,
                key: "colour".into()
            }]
        );
        crate::i18n::set_thread_lang(Lang::En);
        let text = w[0].to_string();
        assert!(text.starts_with("config.toml:3: "), "{text}");
        for k in KEYS {
            assert!(text.contains(k), "{text}");
        }
    }

    #[test]
    fn a_table_is_an_unknown_key_too() {
        let (_, w) = parsed("[colours]\nheader = \"cyan\"\n");
        assert!(
            matches!(&w[..], [Warning::UnknownKey { line: 1, key, .. }] if key == "colours"),
            "{w:?}"
        );
    }

    #[test]
    fn wrong_types_and_values_are_warned_about() {
        let (c, w) = parsed("lang = \"de\"\nkeymap = 5\ntheme = true\ndb = \"\"\n");
        assert_eq!(c, Config::default());
        let got: Vec<(usize, &str, &str)> = w
            .iter()
            .map(|w| match w {
                Warning::BadValue { line, key, value, .. } => (*line, *key, value.as_str()),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            got,
            [
                (1, "lang", "\"de\""),
                (2, "keymap", "5"),
                (3, "theme", "true"),
                (4, "db", "\"\"")
            ]
        );
        crate::i18n::set_thread_lang(Lang::En);
        let text = w[0].to_string();
        assert!(
            text.contains("config.toml:1") && text.contains("\"lv\" or \"en\""),
            "{text}"
        );
        crate::i18n::set_thread_lang(Lang::Lv);
        assert!(w[2].to_string().contains("vajag"), "{}", w[2]);
        crate::i18n::set_thread_lang(Lang::En);
    }

    #[test]
    fn a_syntax_error_ignores_the_whole_file() {
        let (c, w) = parsed("lang = \"lv\"\ntheme = mono\n");
        assert_eq!(c, Config::default());
        assert!(matches!(&w[..], [Warning::Syntax { line: 2, .. }]), "{w:?}");
    }

    #[test]
    fn missing_file_is_silent_unless_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("config.toml");
        assert_eq!(load(&p, false), (Config::default(), vec![]));
        let (c, w) = load(&p, true);
        assert_eq!(c, Config::default());
        assert!(
            matches!(&w[..], [Warning::Unreadable { file, .. }] if file.ends_with("config.toml")),
            "{w:?}"
        );
    }

    #[test]
    fn load_reads_the_file_and_its_directory() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("config.toml");
        std::fs::write(&p, "keymap = \"mine.toml\"\n").expect("write");
        let (c, w) = load(&p, false);
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(c.keymap, Some(KeymapChoice::File(dir.path().join("mine.toml"))));
    }

    #[test]
    fn an_explicit_file_wins() {
        assert_eq!(
            locate(Some(Path::new("/x/c.toml"))),
            Some((PathBuf::from("/x/c.toml"), true))
        );
    }
}
