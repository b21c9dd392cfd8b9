//! Keys to actions: the `Action` vocabulary, key parsing, and keymaps per context loaded
//! from TOML (the default one compiled in). The help screen and key hints read it.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// What the user asks for. Keymap files name these in snake_case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    Help,
    Close,
    PanePartners,
    PaneEvents,
    PaneParticipants,
    PaneIndicators,
    NextPane,
    PrevPane,
    MoveUp,
    MoveDown,
    PageUp,
    PageDown,
    First,
    Last,
    /// Open the filter line of the pane.
    Filter,
    /// Keep the filter and go back to the list.
    FilterAccept,
    /// Clear the filter and go back to the list.
    FilterClear,
    DeleteBack,
    DeleteWord,
    ClearLine,
    /// Open the command palette.
    Palette,
    /// Run the palette's chosen entry.
    Run,
    /// Add a record in the current pane (or list).
    Add,
    /// Edit the chosen record.
    Edit,
    /// Delete the chosen record (asks first).
    Delete,
    /// Undo the last change this user made in this session.
    Undo,
    /// Open the check-in desk of the chosen event.
    CheckIn,
    /// Open the attendance list of the chosen event.
    Attendance,
    DeleteForward,
    KillToEnd,
    CursorLeft,
    CursorRight,
    LineStart,
    LineEnd,
    /// Forms: next and previous field.
    NextField,
    PrevField,
    /// Forms: save (also Enter on the last field).
    Save,
    /// Confirmations: yes and no.
    Yes,
    No,
    /// Desk: create a walk-in participant from what was typed and check them in.
    WalkIn,
    /// Attendance list: attended <-> registered.
    ToggleAttended,
    MarkAbsent,
    MarkExcused,
    /// Attendance list: everyone registered but not checked in is marked absent (asks first).
    MarkRestAbsent,
    /// Indicators: open the organisations not yet covered in the Partners pane.
    OpenGaps,
    /// The change log of the whole database: every change by every user, who made it and
    /// when (undos included), not only this session's.
    History,
    /// The detail panel over the whole screen, scrollable (again or Esc: back).
    Detail,
    /// Import participants from a file (on an event: registering them for it).
    Import,
    /// The probable duplicate people.
    Duplicates,
    /// Duplicates: skip the chosen pair (they are not one person).
    Skip,
    /// Duplicates: swap which of the pair stays.
    Swap,
    /// The project view: number, period, funding, partners, national counts (editable).
    Project,
    /// The chosen partner's documents and funding by year (editable).
    Documents,
    /// The chosen indicator's values entered by hand (each editable and deletable).
    Values,
    /// Import preview: read the file again in the next encoding (auto, UTF-8, Windows-1257,
    /// Windows-1252).
    Encoding,
    /// Import preview: choose which sheet of a workbook is read.
    Sheet,
    /// Import preview: choose the field a column is read as (`--map`).
    MapColumn,
    /// The last messages shown, whole, newest first, with their time; who else is on.
    Messages,
}

/// Where a binding applies; the active context is tried first, then `Global`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Context {
    Global,
    List,
    Filter,
    Palette,
    Help,
    /// A form for adding or editing a record.
    Form,
    /// A yes/no question.
    Confirm,
    /// The check-in desk of an event.
    Desk,
    /// The attendance list of an event.
    Attendance,
    /// A list to review before it is applied: the import's preview, the duplicates.
    Review,
}

impl Context {
    pub const ALL: [Context; 10] = [
        Context::Global,
        Context::List,
        Context::Filter,
        Context::Palette,
        Context::Help,
        Context::Form,
        Context::Confirm,
        Context::Desk,
        Context::Attendance,
        Context::Review,
    ];

    /// Whether typed characters are text here (global letter keys then do not apply).
    pub fn is_text(self) -> bool {
        matches!(
            self,
            Context::Filter | Context::Palette | Context::Form | Context::Desk | Context::Help
        )
    }
}

/// A key with modifiers, normalised so that a typed "G" matches the binding "G".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    /// The key of a terminal event (Shift is part of the character for printable keys).
    pub fn from_event(e: KeyEvent) -> Key {
        let mut mods = e.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        if matches!(e.code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        Key { code: e.code, mods }
    }

    /// Parses "q", "G", "ctrl-c", "shift-tab", "pagedown", "f1"...
    pub fn parse(s: &str) -> Result<Key, String> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = s;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (m, len) = if lower.starts_with("ctrl-") {
                (KeyModifiers::CONTROL, 5)
            } else if lower.starts_with("alt-") {
                (KeyModifiers::ALT, 4)
            } else if lower.starts_with("shift-") && rest.len() > 6 {
                (KeyModifiers::SHIFT, 6)
            } else {
                break;
            };
            mods |= m;
            rest = &rest[len..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" if mods.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" => KeyCode::PageDown,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "space" => KeyCode::Char(' '),
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "insert" => KeyCode::Insert,
                f if f.starts_with('f') && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) => {
                    KeyCode::F(f[1..].parse().unwrap_or(1))
                }
                _ => return Err(crate::i18n::f(crate::i18n::M::KmBadKey, &[&s])),
            },
        };
        if matches!(code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        Ok(Key { code, mods })
    }
}

/// The names of keys as hints and help show them, in the reader's language: "Space" is
/// "Atstarpe" on the Latvian screen; the names printed on keys (Esc, Enter, Tab, Ctrl...)
/// stay as printed.
impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str(crate::i18n::t(crate::i18n::M::KeySpace)),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// A problem in a keymap file, located.
#[derive(Debug, Clone, PartialEq)]
pub struct KeymapError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for KeymapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// Bindings per context, in file order within each.
#[derive(Clone, Debug, Default)]
pub struct Keymap {
    bindings: BTreeMap<Context, Vec<(Key, Action)>>,
}

/// The default keymap's text.
pub const DEFAULT: &str = include_str!("../../keymaps/default.toml");

/// The 1-based line of byte `offset` in `text`.
fn line_at(text: &str, offset: usize) -> usize {
    text.get(..offset).unwrap_or(text).matches('\n').count() + 1
}

impl Keymap {
    /// The compiled-in default keymap.
    pub fn default_keymap() -> Keymap {
        // The default is tested to parse; fall back to empty rather than panic.
        Keymap::parse(DEFAULT, "keymaps/default.toml").unwrap_or_default()
    }

    /// Parses a keymap file; `file` names it in errors. A key bound to "none" is left
    /// unbound.
    pub fn parse(text: &str, file: &str) -> Result<Keymap, KeymapError> {
        let layer = KeymapLayer::parse(text, file)?;
        let bindings = layer
            .bindings
            .into_iter()
            .map(|(ctx, list)| (ctx, list.into_iter().filter_map(|(k, a)| Some((k, a?))).collect()))
            .collect();
        Ok(Keymap { bindings })
    }

    /// The action bound to `key` in `ctx` (then in global; in a text context, global
    /// bindings of plain characters do not apply: "q" types a q).
    pub fn action(&self, ctx: Context, key: Key) -> Option<Action> {
        let find = |c: Context| self.bindings.get(&c)?.iter().find(|(k, _)| *k == key).map(|(_, a)| *a);
        let typed =
            matches!(key.code, KeyCode::Char(_)) && !key.mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        find(ctx).or_else(|| {
            if ctx == Context::Global || (ctx.is_text() && typed) {
                None
            } else {
                find(Context::Global)
            }
        })
    }

    /// The first key bound to `action` in `ctx` or global (for hints).
    pub fn key_for(&self, ctx: Context, action: Action) -> Option<Key> {
        let find = |c: Context| {
            self.bindings
                .get(&c)?
                .iter()
                .find(|(_, a)| *a == action)
                .map(|(k, _)| *k)
        };
        find(ctx).or_else(|| find(Context::Global))
    }

    /// Every binding of a context, in file order.
    pub fn bindings(&self, ctx: Context) -> &[(Key, Action)] {
        self.bindings.get(&ctx).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// The name of a context as keymap files write it (`list`, `filter`...).
pub fn context_name(ctx: Context) -> String {
    toml::Value::try_from(ctx)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| format!("{ctx:?}").to_ascii_lowercase())
}

/// The name of an action as keymap files write it (`quit`, `move_down`...).
pub fn action_name(a: Action) -> String {
    toml::Value::try_from(a)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| format!("{a:?}"))
}

/// "[global], [list] or [help]": every context, for error messages.
fn context_names() -> String {
    let names: Vec<String> = Context::ALL.iter().map(|c| format!("[{}]", context_name(*c))).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            format!("{} {} {last}", rest.join(", "), crate::i18n::t(crate::i18n::M::Or))
        }
        _ => names.concat(),
    }
}

/// One keymap file's bindings before they are applied: per context, in file order, each key
/// bound to an action or unbound (`"none"`). The compiled-in presets and the user's file
/// are layers; [`Keymap::merge`] applies one over another.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KeymapLayer {
    bindings: BTreeMap<Context, Vec<(Key, Option<Action>)>>,
}

/// The action name that unbinds a key in a keymap file.
pub const UNBIND: &str = "none";

impl KeymapLayer {
    /// Parses a keymap file; `file` names it in errors, which give the line and the fix.
    pub fn parse(text: &str, file: &str) -> Result<KeymapLayer, KeymapError> {
        use crate::i18n::{M, f};
        let err = |offset: usize, message: String| KeymapError {
            file: file.to_string(),
            line: line_at(text, offset),
            message,
        };
        let doc = toml::de::DeTable::parse(text).map_err(|e| {
            err(
                e.span().map_or(0, |s| s.start.min(text.len())),
                f(M::KmSyntax, &[&e.message().trim_end()]),
            )
        })?;
        let mut layer = KeymapLayer::default();
        for (ctx_name, entries) in doc.get_ref() {
            let at = ctx_name.span().start;
            let ctx_str: &str = ctx_name.get_ref();
            let ctx = Context::deserialize(toml::Value::String(ctx_str.to_string()))
                .map_err(|_| err(at, f(M::KmUnknownContext, &[&ctx_str, &context_names()])))?;
            let toml::de::DeValue::Table(entries) = entries.get_ref() else {
                return Err(err(at, f(M::KmOutsideContext, &[&ctx_str])));
            };
            let list = layer.bindings.entry(ctx).or_default();
            for (key_name, value) in entries {
                let at = key_name.span().start;
                let key_str: &str = key_name.get_ref();
                let key = Key::parse(key_str).map_err(|m| err(at, m))?;
                let Some(name) = value.get_ref().as_str() else {
                    return Err(err(at, f(M::KmActionNotString, &[&key_str, &UNBIND])));
                };
                let action = if name == UNBIND {
                    None
                } else {
                    Some(
                        Action::deserialize(toml::Value::String(name.to_string()))
                            .map_err(|_| err(at, f(M::KmUnknownAction, &[&name, &key_str, &UNBIND])))?,
                    )
                };
                if let Some((_, other)) = list.iter().find(|(k, _)| *k == key) {
                    let shown = |a: &Option<Action>| a.map_or(UNBIND.to_string(), action_name);
                    return Err(err(
                        at,
                        f(M::KmTwice, &[&key_str, &ctx_str, &shown(other), &shown(&action)]),
                    ));
                }
                list.push((key, action));
            }
        }
        Ok(layer)
    }

    /// The bindings of a context in this layer (`None`: unbound), in file order.
    pub fn bindings(&self, ctx: Context) -> &[(Key, Option<Action>)] {
        self.bindings.get(&ctx).map(Vec::as_slice).unwrap_or(&[])
    }
}

impl Keymap {
    /// Applies `layer` over this keymap, one key at a time: a key bound in the layer gets the
    /// layer's action in that context (in the place it had, so the help keeps its order), a
    /// key set to "none" is unbound there, and every other binding stays. A key new to the
    /// context goes just before the other keys of its action, so that hints show the user's
    /// key first; a key for an action not yet bound there goes last.
    pub fn merge(&mut self, layer: &KeymapLayer) {
        for (ctx, entries) in &layer.bindings {
            let list = self.bindings.entry(*ctx).or_default();
            // Keys this layer added: the layer's own keys keep the layer's order.
            let mut added: Vec<Key> = Vec::new();
            for (key, action) in entries {
                let at = list.iter().position(|(k, _)| k == key);
                match (at, action) {
                    (Some(i), Some(a)) => list[i].1 = *a,
                    (Some(i), None) => {
                        list.remove(i);
                    }
                    (None, Some(a)) => {
                        let i = list
                            .iter()
                            .position(|(k, b)| b == a && !added.contains(k))
                            .unwrap_or(list.len());
                        list.insert(i, (*key, *a));
                        added.push(*key);
                    }
                    (None, None) => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Key {
        Key::parse(s).expect("valid key")
    }

    #[test]
    fn default_keymap_parses_and_keeps_the_contract() {
        let km = Keymap::parse(DEFAULT, "default.toml").expect("default parses");
        for (k, a) in [
            ("1", Action::PanePartners),
            ("4", Action::PaneIndicators),
            ("tab", Action::NextPane),
            ("shift-tab", Action::PrevPane),
            ("?", Action::Help),
            ("q", Action::Quit),
        ] {
            assert_eq!(km.action(Context::List, key(k)), Some(a), "{k}");
        }
        assert_eq!(km.action(Context::List, key("j")), Some(Action::MoveDown));
        assert_eq!(km.action(Context::List, key("down")), Some(Action::MoveDown));
        // In help, letters filter the list: q is typed, not quit.
        assert_eq!(km.action(Context::Help, key("q")), None);
        assert_eq!(km.action(Context::Help, key("esc")), Some(Action::Close));
    }

    #[test]
    fn terminal_events_match_bindings() {
        let km = Keymap::default_keymap();
        let shifted_g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(km.action(Context::List, Key::from_event(shifted_g)), Some(Action::Last));
        let backtab = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(
            km.action(Context::List, Key::from_event(backtab)),
            Some(Action::PrevPane)
        );
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(km.action(Context::Help, Key::from_event(ctrl_c)), Some(Action::Quit));
    }

    #[test]
    fn errors_name_file_line_and_fix() {
        let e = Keymap::parse("[list]\n\"x\" = \"fly\"\n", "my.toml").expect_err("unknown action");
        assert_eq!((e.file.as_str(), e.line), ("my.toml", 2));
        assert!(e.message.contains("fly"), "{e}");

        let e = Keymap::parse("[list]\n\"ctrl-banana\" = \"quit\"\n", "my.toml").expect_err("bad key");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("ctrl-banana"), "{e}");

        let e = Keymap::parse("[list]\n\"j\" = \"quit\"\n\"ctrl-x\" = \"help\"\n[lisst]\n", "my.toml")
            .expect_err("bad context");
        assert!(e.message.contains("lisst"), "{e}");

        let e = Keymap::parse("[list]\n\"tab\" = \"quit\"\n\"Tab\" = \"help\"\n", "k.toml").expect_err("twice");
        assert!(e.message.contains("twice"), "{e}");

        let e = Keymap::parse("[list\n", "k.toml").expect_err("toml syntax");
        assert_eq!(e.line, 1);
    }

    #[test]
    fn keys_display_for_hints() {
        assert_eq!(key("ctrl-c").to_string(), "Ctrl-c");
        assert_eq!(key("shift-tab").to_string(), "Shift-Tab");
        assert_eq!(key("pagedown").to_string(), "PgDn");
        assert_eq!(key("f1").to_string(), "F1");
    }
}
