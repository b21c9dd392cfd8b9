//! The command palette (`:`): every command and action in one fuzzy list, each with the key
//! that does it, plus the saved views and `view save NAME`.

use super::keymap::{Action, Context, Key, Keymap};
use super::views::Views;
use crate::i18n::{self, M, t};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

/// What choosing an entry does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Run {
    Action(Action),
    SaveView(String),
    LoadView(String),
    /// `view delete NAME`.
    DeleteView(String),
    /// `view rename OLD = NEW`.
    RenameView(String, String),
    /// Show indicators as of a date (empty: today again).
    AsOf(String),
    /// Write the pane's listed rows to a file (empty: a name from the pane and the date).
    Export(String),
    /// A form for a new indicator of this kind of definition.
    NewIndicator(crate::tui::form::DefinitionKind),
}

/// One line of the palette.
#[derive(Clone, Debug)]
pub struct Entry {
    pub label: String,
    pub desc: String,
    pub key: Option<Key>,
    pub run: Run,
}

/// The palette's commands: typed words and the action they run.
const COMMANDS: &[(&str, Action)] = &[
    ("goto partners", Action::PanePartners),
    ("goto events", Action::PaneEvents),
    ("goto participants", Action::PaneParticipants),
    ("goto indicators", Action::PaneIndicators),
    ("filter", Action::Filter),
    ("add", Action::Add),
    ("edit", Action::Edit),
    ("delete", Action::Delete),
    ("undo", Action::Undo),
    ("check-in desk", Action::CheckIn),
    ("attendance list", Action::Attendance),
    ("gaps of indicator", Action::OpenGaps),
    ("history", Action::History),
    ("next pane", Action::NextPane),
    ("previous pane", Action::PrevPane),
    ("first row", Action::First),
    ("last row", Action::Last),
    ("help", Action::Help),
    ("quit", Action::Quit),
];

/// The entries matching `input`, best first.
pub fn entries(input: &str, keymap: &Keymap, views: &Views) -> Vec<Entry> {
    let mut all: Vec<Entry> = COMMANDS
        .iter()
        .map(|(label, a)| Entry {
            label: (*label).to_string(),
            desc: i18n::action(*a).to_string(),
            key: keymap.key_for(Context::List, *a),
            run: Run::Action(*a),
        })
        .collect();
    for (name, v) in &views.views {
        all.push(Entry {
            label: format!("view {name}"),
            desc: format!("{}: /{}", v.pane, v.filter),
            key: None,
            run: Run::LoadView(name.clone()),
        });
    }
    let trimmed = input.trim_start();
    if let Some(date) = trimmed.strip_prefix("asof").map(str::trim) {
        let desc = if date.is_empty() {
            t(M::PaletteAsOfToday)
        } else {
            t(M::PaletteAsOf)
        };
        return vec![Entry {
            label: format!("asof {date}"),
            desc: desc.to_string(),
            key: None,
            run: Run::AsOf(date.to_string()),
        }];
    }
    if let Some(file) = trimmed.strip_prefix("export").map(str::trim) {
        return vec![Entry {
            label: format!("export {file}"),
            desc: t(M::PaletteExport).to_string(),
            key: None,
            run: Run::Export(file.to_string()),
        }];
    }
    if let Some(name) = trimmed.strip_prefix("view delete").map(str::trim) {
        return vec![Entry {
            label: format!("view delete {name}"),
            desc: t(M::PaletteDeleteView).to_string(),
            key: None,
            run: Run::DeleteView(name.to_string()),
        }];
    }
    if let Some(names) = trimmed.strip_prefix("view rename").map(str::trim) {
        let (old, new) = names.split_once('=').unwrap_or((names, ""));
        return vec![Entry {
            label: format!("view rename {names}"),
            desc: t(M::PaletteRenameView).to_string(),
            key: None,
            run: Run::RenameView(old.trim().to_string(), new.trim().to_string()),
        }];
    }
    if let Some(name) = trimmed.strip_prefix("view save").map(str::trim) {
        let run = Run::SaveView(name.to_string());
        let desc = if name.is_empty() {
            t(M::PaletteNameNeeded).to_string()
        } else {
            t(M::PaletteSaveView).to_string()
        };
        return vec![Entry {
            label: format!("view save {name}"),
            desc,
            key: None,
            run,
        }];
    }
    all.push(Entry {
        label: "asof DATE".into(),
        desc: t(M::PaletteAsOf).to_string(),
        key: None,
        run: Run::AsOf(String::new()),
    });
    for kind in crate::tui::form::DefinitionKind::ALL {
        all.push(Entry {
            label: format!("new indicator {}", kind.code()),
            desc: kind.describe().to_string(),
            key: None,
            run: Run::NewIndicator(kind),
        });
    }
    all.push(Entry {
        label: "export [FILE]".into(),
        desc: t(M::PaletteExport).to_string(),
        key: None,
        run: Run::Export(String::new()),
    });
    all.push(Entry {
        label: "view save NAME".into(),
        desc: t(M::PaletteSaveView).to_string(),
        key: None,
        run: Run::SaveView(String::new()),
    });
    let q = crate::search::fold(trimmed);
    if q.is_empty() {
        return all;
    }
    let matcher = SkimMatcherV2::default();
    let mut scored: Vec<(i64, usize, Entry)> = all
        .into_iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let hay = crate::search::fold(&format!("{} {}", e.label, e.desc));
            let words_ok = q.split_whitespace().all(|w| hay.contains(w));
            let score = matcher
                .fuzzy_match(&hay, &q)
                .map(|s| s + if words_ok { 1000 } else { 0 });
            score.map(|s| (s, i, e))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, _, e)| e).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_match_fuzzily_and_show_keys() {
        let km = Keymap::default_keymap();
        let v = Views::default();
        let e = entries("goto ev", &km, &v);
        assert_eq!(e[0].run, Run::Action(Action::PaneEvents));
        assert_eq!(e[0].key.map(|k| k.to_string()), Some("2".into()));
        assert_eq!(entries("quit", &km, &v)[0].run, Run::Action(Action::Quit));
        assert_eq!(entries("undo", &km, &v)[0].key.map(|k| k.to_string()), Some("u".into()));
        assert_eq!(entries("export x.json", &km, &v)[0].run, Run::Export("x.json".into()));
        assert_eq!(
            entries("gtparti", &km, &v)[0].run,
            Run::Action(Action::PaneParticipants)
        );
    }

    #[test]
    fn views_are_listed_and_saved_by_name() {
        let km = Keymap::default_keymap();
        let mut v = Views::default();
        v.views.insert(
            "cesu metodiki".into(),
            super::super::views::View {
                pane: "participants".into(),
                filter: "role:metod".into(),
            },
        );
        assert_eq!(entries("cesu", &km, &v)[0].run, Run::LoadView("cesu metodiki".into()));
        assert_eq!(
            entries("view save my list", &km, &v)[0].run,
            Run::SaveView("my list".into())
        );
    }

    #[test]
    fn asof_takes_the_date_typed() {
        let e = entries("asof 31.08.2025", &Keymap::default_keymap(), &Views::default());
        assert_eq!(e[0].run, Run::AsOf("31.08.2025".into()));
    }
}
