//! Which keys apply: a compiled-in preset (`default`, or `vim` over the default) with the
//! user's keymap file applied over it key by key. Reads files only; never fails: a bad file
//! is reported as a warning and the preset's keys are used.

use super::keymap::{DEFAULT, Keymap, KeymapLayer};
use crate::i18n::{M, f};
use std::path::{Path, PathBuf};

/// The vim preset's text (applied over the default).
pub const VIM: &str = include_str!("../../keymaps/vim.toml");

/// The presets by name: each is its file applied over the default keymap (the default over
/// nothing).
pub const PRESETS: [(&str, &str); 2] = [("default", DEFAULT), ("vim", VIM)];

/// "default, vim".
pub fn preset_names() -> String {
    PRESETS.map(|(n, _)| n).join(", ")
}

/// The keymap of a preset, by name (`None` if there is no such preset).
pub fn preset(name: &str) -> Option<Keymap> {
    let (_, text) = PRESETS.iter().find(|(n, _)| *n == name)?;
    let mut map = Keymap::default_keymap();
    if *text != DEFAULT {
        // The presets are tested to parse; an empty layer rather than a panic.
        map.merge(&KeymapLayer::parse(text, &format!("keymaps/{name}.toml")).unwrap_or_default());
    }
    Some(map)
}

/// Which keys the user chose: a preset, or their own file applied over the default preset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeymapChoice {
    Preset(&'static str),
    File(PathBuf),
}

impl Default for KeymapChoice {
    fn default() -> Self {
        KeymapChoice::Preset("default")
    }
}

impl KeymapChoice {
    /// A preset's name (`default`, `vim`), else the path of a keymap file: `~/` is the home
    /// directory, and a relative path is taken from `base` when given (the settings file's
    /// directory).
    pub fn parse(text: &str, base: Option<&Path>) -> KeymapChoice {
        match PRESETS.iter().find(|(n, _)| *n == text) {
            Some((n, _)) => KeymapChoice::Preset(n),
            None => KeymapChoice::File(crate::paths::expand(text, base)),
        }
    }
}

/// Where the user's own keymap file is looked for: `<config dir>/keymap.toml`.
pub fn default_user_file() -> Option<PathBuf> {
    crate::paths::config_dir().map(|d| d.join("keymap.toml"))
}

/// The keys to use, and the warnings to show (already in the interface language).
///
/// - `Preset(name)`: the preset, with `user_file` (normally [`default_user_file`]) applied
///   over it if that file exists; a missing one is silent.
/// - `File(path)`: the default preset with `path` applied over it; a missing one is a
///   warning.
///
/// A file that cannot be read or parsed is not used at all (never half of it); the warning
/// names the file, the line and the fix.
pub fn load(choice: &KeymapChoice, user_file: Option<&Path>) -> (Keymap, Vec<String>) {
    let (name, layer_file, required) = match choice {
        KeymapChoice::Preset(name) => (*name, user_file, false),
        KeymapChoice::File(p) => ("default", Some(p.as_path()), true),
    };
    let mut map = preset(name).unwrap_or_else(Keymap::default_keymap);
    let mut warnings = Vec::new();
    if let Some(path) = layer_file {
        match read_layer(path, required) {
            Ok(Some(layer)) => map.merge(&layer),
            Ok(None) => {}
            Err(e) => warnings.push(f(M::KmNotUsed, &[&e])),
        }
    }
    (map, warnings)
}

/// The layer in `path`; `None` if the file is missing and not `required`.
fn read_layer(path: &Path, required: bool) -> Result<Option<KeymapLayer>, String> {
    let shown = crate::paths::display(path);
    match std::fs::read_to_string(path) {
        Ok(text) => KeymapLayer::parse(&text, &shown).map(Some).map_err(|e| e.to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => Ok(None),
        Err(e) => Err(f(M::KmUnreadable, &[&shown, &e, &preset_names()])),
    }
}

#[cfg(test)]
mod tests {
    use super::super::keymap::{Action, Context, Key, KeymapError, context_name};
    use super::*;

    fn key(s: &str) -> Key {
        Key::parse(s).expect("valid key")
    }

    fn layer(text: &str) -> KeymapLayer {
        KeymapLayer::parse(text, "user.toml").expect("parses")
    }

    fn parse_err(text: &str) -> KeymapError {
        KeymapLayer::parse(text, "user.toml").expect_err("an error")
    }

    /// A keymap file in a fresh directory.
    fn file(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("keymap.toml");
        std::fs::write(&p, text).expect("write");
        (dir, p)
    }

    #[test]
    fn every_preset_parses() {
        for (name, text) in PRESETS {
            KeymapLayer::parse(text, name).unwrap_or_else(|e| panic!("preset {name}: {e}"));
            assert!(preset(name).is_some());
        }
        assert!(preset("emacs").is_none());
    }

    #[test]
    fn vim_overrides_single_keys_of_the_default() {
        let vim = preset("vim").expect("vim");
        assert_eq!(vim.action(Context::List, key("l")), Some(Action::NextPane));
        assert_eq!(vim.action(Context::List, key("h")), Some(Action::PrevPane));
        assert_eq!(vim.action(Context::List, key("ctrl-f")), Some(Action::PageDown));
        assert_eq!(vim.action(Context::List, key("ctrl-b")), Some(Action::PageUp));
        assert_eq!(vim.action(Context::Help, key("ctrl-f")), Some(Action::PageDown));
        // The default's keys are still there.
        assert_eq!(vim.action(Context::List, key("j")), Some(Action::MoveDown));
        assert_eq!(vim.action(Context::List, key("/")), Some(Action::Filter));
        assert_eq!(vim.action(Context::List, key("?")), Some(Action::Help));
        assert_eq!(vim.action(Context::List, key("q")), Some(Action::Quit));
        // In the filter line, h and l are typed, not pane switches.
        assert_eq!(vim.action(Context::Filter, key("l")), None);
    }

    #[test]
    fn a_user_binding_replaces_that_key_only() {
        let mut km = Keymap::default_keymap();
        let before = km.bindings(Context::Global).len();
        km.merge(&layer("[global]\n\"x\" = \"quit\"\n\"q\" = \"help\"\n"));
        assert_eq!(km.action(Context::List, key("x")), Some(Action::Quit));
        assert_eq!(km.action(Context::List, key("q")), Some(Action::Help));
        assert_eq!(km.action(Context::List, key("ctrl-c")), Some(Action::Quit));
        assert_eq!(km.bindings(Context::Global).len(), before + 1);
        // The new key goes before the other quit keys, so the hint shows it; q kept its
        // place, so the help keeps the file's order.
        assert_eq!(km.key_for(Context::List, Action::Quit), Some(key("x")));
        assert_eq!(km.bindings(Context::Global)[0], (key("x"), Action::Quit));
        assert_eq!(km.bindings(Context::Global)[1], (key("q"), Action::Help));
        // Two new keys of one action keep the layer's order.
        km.merge(&layer("[list]\n\"n\" = \"move_down\"\n\"m\" = \"move_down\"\n"));
        let down: Vec<Key> = km
            .bindings(Context::List)
            .iter()
            .filter(|(_, a)| *a == Action::MoveDown)
            .map(|(k, _)| *k)
            .collect();
        assert_eq!(down, [key("n"), key("m"), key("down"), key("j")]);
        // A key for an action the context did not have goes last.
        km.merge(&layer("[palette]\n\"ctrl-g\" = \"help\"\n"));
        let palette = km.bindings(Context::Palette);
        assert_eq!(palette.last(), Some(&(key("ctrl-g"), Action::Help)));
        // Other contexts are untouched: in help, Esc still closes.
        assert_eq!(km.action(Context::Help, key("esc")), Some(Action::Close));
    }

    #[test]
    fn none_unbinds_a_key() {
        let mut km = Keymap::default_keymap();
        km.merge(&layer(
            "[global]\n\"q\" = \"none\"\n\"ctrl-c\" = \"none\"\n\"x\" = \"quit\"\n",
        ));
        assert_eq!(km.action(Context::List, key("q")), None);
        assert_eq!(km.action(Context::List, key("ctrl-c")), None);
        assert_eq!(km.key_for(Context::List, Action::Quit), Some(key("x")));
        // Unbinding a key that is not bound is no error.
        km.merge(&layer("[list]\n\"z\" = \"none\"\n"));
        assert_eq!(km.action(Context::List, key("z")), None);
    }

    #[test]
    fn user_layer_over_the_vim_preset() {
        let (_d, p) = file("[global]\n\"l\" = \"none\"\n");
        let (km, warnings) = load(&KeymapChoice::Preset("vim"), Some(&p));
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(km.action(Context::List, key("l")), None);
        assert_eq!(km.action(Context::List, key("h")), Some(Action::PrevPane));
    }

    #[test]
    fn explicit_file_goes_over_the_default() {
        let (_d, p) = file("[list]\n\"n\" = \"move_down\"\n");
        let (km, warnings) = load(&KeymapChoice::File(p), None);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(km.action(Context::List, key("n")), Some(Action::MoveDown));
        assert_eq!(km.action(Context::List, key("j")), Some(Action::MoveDown));
    }

    #[test]
    fn missing_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("keymap.toml");
        // The usual place: silent.
        let (km, warnings) = load(&KeymapChoice::default(), Some(&p));
        assert!(warnings.is_empty());
        assert_eq!(km.action(Context::List, key("q")), Some(Action::Quit));
        // A file the user named: a warning that names it and the presets.
        let (km, warnings) = load(&KeymapChoice::File(p.clone()), None);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("keymap.toml") && warnings[0].contains("vim"),
            "{warnings:?}"
        );
        assert_eq!(km.action(Context::List, key("q")), Some(Action::Quit));
    }

    #[test]
    fn a_bad_file_is_not_used_and_named_in_the_warning() {
        let (_d, p) = file("[global]\n\"x\" = \"quit\"\n\"q\" = \"fly\"\n");
        let (km, warnings) = load(&KeymapChoice::Preset("vim"), Some(&p));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("keymap.toml:3") && warnings[0].contains("fly"),
            "{warnings:?}"
        );
        // Nothing of the file applies (not even its good first line); the preset does
        // (vim binds x to delete in lists).
        assert_eq!(km.action(Context::List, key("x")), Some(Action::Delete));
        assert_eq!(km.action(Context::List, key("q")), Some(Action::Quit));
        assert_eq!(km.action(Context::List, key("l")), Some(Action::NextPane));
    }

    #[test]
    fn choice_from_text() {
        assert_eq!(KeymapChoice::parse("vim", None), KeymapChoice::Preset("vim"));
        assert_eq!(KeymapChoice::parse("default", None), KeymapChoice::Preset("default"));
        assert_eq!(
            KeymapChoice::parse("keys.toml", Some(Path::new("/cfg"))),
            KeymapChoice::File(PathBuf::from("/cfg/keys.toml"))
        );
        assert_eq!(
            KeymapChoice::parse("/k/vim", Some(Path::new("/cfg"))),
            KeymapChoice::File(PathBuf::from("/k/vim"))
        );
    }

    #[test]
    fn error_unknown_action() {
        let e = parse_err("[list]\n\n\"x\" = \"fly\"\n");
        assert_eq!((e.file.as_str(), e.line), ("user.toml", 3));
        assert!(e.message.contains("'fly'") && e.message.contains("none"), "{e}");
        let e = parse_err("[list]\n\"x\" = 3\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("in quotes"), "{e}");
    }

    #[test]
    fn error_unparsable_key() {
        let e = parse_err("[help]\n\"q\" = \"close\"\n\"hyper-q\" = \"close\"\n");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("hyper-q") && e.message.contains("ctrl-c"), "{e}");
    }

    #[test]
    fn error_same_key_twice_in_a_context() {
        // "G" in [list] and [help] is fine; Tab and tab in one context is not.
        layer("[list]\n\"G\" = \"last\"\n[help]\n\"G\" = \"last\"\n");
        let e = parse_err("[list]\n\"tab\" = \"quit\"\n\"Tab\" = \"help\"\n");
        assert_eq!(e.line, 3);
        assert!(
            e.message.contains("twice") && e.message.contains("quit") && e.message.contains("help"),
            "{e}"
        );
    }

    #[test]
    fn error_unknown_context_lists_every_context() {
        let e = parse_err("[list]\n\"j\" = \"move_down\"\n\n[lisst]\n\"k\" = \"move_up\"\n");
        assert_eq!(e.line, 4);
        for ctx in Context::ALL {
            assert!(e.message.contains(&format!("[{}]", context_name(ctx))), "{e}");
        }
        assert!(e.message.contains("lisst"), "{e}");
        let e = parse_err("\"q\" = \"quit\"\n");
        assert_eq!(e.line, 1);
        assert!(e.message.contains("[global]"), "{e}");
    }

    #[test]
    fn error_toml_syntax() {
        let e = parse_err("[list]\n\"j\" = \"move_down\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("TOML"), "{e}");
        // The same key twice as TOML text is a syntax error too, with its line.
        let e = parse_err("[list]\n\"j\" = \"move_down\"\n\"j\" = \"move_up\"\n");
        assert_eq!(e.line, 3);
    }
}
