//! The command palette (`:`): every command and action in one fuzzy list, each with the key
//! that does it, plus the saved views and `view save NAME`.

use super::actions;
use super::keymap::{Action, Context, Key, Keymap};
use super::views::Views;
use crate::i18n::{Lang, M, t};
use crate::search::fold;
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
    /// `import FILE`: the import layer, reading FILE at once.
    Import(String),
}

/// One line of the palette.
#[derive(Clone, Debug)]
pub struct Entry {
    pub label: String,
    pub desc: String,
    pub key: Option<Key>,
    pub run: Run,
}

/// The rest of `input` after the command `word` in either language (diacritics and case
/// ignored: "eksports x.csv", "export x.csv"), if it starts with it.
fn after(input: &str, word: M) -> Option<&str> {
    [Lang::En, Lang::Lv].into_iter().find_map(|lang| {
        let w = word.tr(lang);
        let n = w.chars().count();
        let end = input.char_indices().nth(n).map_or(input.len(), |(i, _)| i);
        let (head, rest) = input.split_at(end);
        let whole = rest.is_empty() || rest.starts_with(char::is_whitespace);
        (head.chars().count() == n && whole && fold(head) == fold(w)).then(|| rest.trim())
    })
}

fn entry(label: String, desc: M, run: Run) -> Entry {
    Entry {
        label,
        desc: t(desc).to_string(),
        key: None,
        run,
    }
}

/// The entries matching `input`, best first. Commands are shown in the reader's language
/// and found by their words in either.
pub fn entries(input: &str, keymap: &Keymap, views: &Views) -> Vec<Entry> {
    let trimmed = input.trim_start();
    if let Some(date) = after(trimmed, M::CmdAsOf) {
        let desc = if date.is_empty() {
            M::PaletteAsOfToday
        } else {
            M::PaletteAsOf
        };
        return vec![entry(
            format!("{} {date}", t(M::CmdAsOf)),
            desc,
            Run::AsOf(date.to_string()),
        )];
    }
    if let Some(file) = after(trimmed, M::CmdExport) {
        let run = Run::Export(file.to_string());
        return vec![entry(format!("{} {file}", t(M::CmdExport)), M::PaletteExport, run)];
    }
    if let Some(file) = after(trimmed, M::CmdImport).filter(|f| !f.is_empty()) {
        let run = Run::Import(file.to_string());
        return vec![entry(format!("{} {file}", t(M::CmdImport)), M::ActImport, run)];
    }
    if let Some(name) = after(trimmed, M::CmdViewDelete) {
        let run = Run::DeleteView(name.to_string());
        return vec![entry(
            format!("{} {name}", t(M::CmdViewDelete)),
            M::PaletteDeleteView,
            run,
        )];
    }
    if let Some(names) = after(trimmed, M::CmdViewRename) {
        let (old, new) = names.split_once('=').unwrap_or((names, ""));
        let run = Run::RenameView(old.trim().to_string(), new.trim().to_string());
        return vec![entry(
            format!("{} {names}", t(M::CmdViewRename)),
            M::PaletteRenameView,
            run,
        )];
    }
    if let Some(name) = after(trimmed, M::CmdViewSave) {
        let desc = if name.is_empty() {
            M::PaletteNameNeeded
        } else {
            M::PaletteSaveView
        };
        let run = Run::SaveView(name.to_string());
        return vec![entry(format!("{} {name}", t(M::CmdViewSave)), desc, run)];
    }
    let all = commands(keymap, views);
    let q = fold(trimmed);
    if q.is_empty() {
        return all.into_iter().map(|(_, e)| e).collect();
    }
    let matcher = SkimMatcherV2::default();
    let mut scored: Vec<(i64, usize, Entry)> = all
        .into_iter()
        .enumerate()
        .filter_map(|(i, (words, e))| {
            let hay = fold(&format!("{} {} {words}", e.label, e.desc));
            let words_ok = q.split_whitespace().all(|w| hay.contains(w));
            let score = matcher
                .fuzzy_match(&hay, &q)
                .map(|s| s + if words_ok { 1000 } else { 0 });
            score.map(|s| (s, i, e))
        })
        .collect();
    // When some entries hold every word typed, the loose fuzzy matches are only noise.
    if scored.iter().any(|(s, _, _)| *s >= 1000) {
        scored.retain(|(s, _, _)| *s >= 1000);
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, _, e)| e).collect()
}

/// Every entry of the palette with nothing typed, each with the words it is also found by
/// (its command words in both languages): the palette's list, and help's list of commands.
pub fn commands(keymap: &Keymap, views: &Views) -> Vec<(String, Entry)> {
    let mut all: Vec<(String, Entry)> = Vec::new();
    for (words, a) in actions::COMMANDS {
        let e = Entry {
            label: t(*words).to_string(),
            desc: actions::describe(*a).to_string(),
            key: keymap.key_for(Context::List, *a),
            run: Run::Action(*a),
        };
        all.push((format!("{} {}", words.tr(Lang::En), words.tr(Lang::Lv)), e));
    }
    let both = |m: M| format!("{} {}", m.tr(Lang::En), m.tr(Lang::Lv));
    for (name, v) in &views.views {
        let e = Entry {
            label: format!("{} {name}", t(M::CmdView)),
            desc: format!("{}: /{}", v.pane, v.filter),
            key: None,
            run: Run::LoadView(name.clone()),
        };
        all.push((format!("{} {name}", both(M::CmdView)), e));
    }
    let asof = format!("{} {}", t(M::CmdAsOf), t(M::CmdDate));
    all.push((both(M::CmdAsOf), entry(asof, M::PaletteAsOf, Run::AsOf(String::new()))));
    for kind in crate::tui::form::DefinitionKind::ALL {
        let e = Entry {
            label: format!("{} {}", t(M::CmdNewIndicator), kind.code()),
            desc: kind.describe().to_string(),
            key: None,
            run: Run::NewIndicator(kind),
        };
        all.push((format!("{} {}", both(M::CmdNewIndicator), kind.code()), e));
    }
    let export = format!("{} [{}]", t(M::CmdExport), t(M::CmdFile));
    all.push((
        both(M::CmdExport),
        entry(export, M::PaletteExport, Run::Export(String::new())),
    ));
    let save = format!("{} {}", t(M::CmdViewSave), t(M::CmdName));
    all.push((
        both(M::CmdViewSave),
        entry(save, M::PaletteSaveView, Run::SaveView(String::new())),
    ));
    all
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
    fn commands_are_found_by_their_latvian_words_too() {
        let km = Keymap::default_keymap();
        let v = Views::default();
        assert_eq!(entries("eksports x.csv", &km, &v)[0].run, Run::Export("x.csv".into()));
        assert_eq!(entries("Eksports", &km, &v)[0].run, Run::Export(String::new()));
        assert_eq!(
            entries("uz datumu 31.08.2025", &km, &v)[0].run,
            Run::AsOf("31.08.2025".into())
        );
        assert_eq!(
            entries("skats saglabat mani", &km, &v)[0].run,
            Run::SaveView("mani".into())
        );
        assert_eq!(entries("atsaukt", &km, &v)[0].run, Run::Action(Action::Undo));
        assert_eq!(entries("vesture", &km, &v)[0].run, Run::Action(Action::History));
        // A word that only begins like a command is not it.
        assert_ne!(
            entries("exportx", &km, &v).first().map(|e| e.run.clone()),
            Some(Run::Export("x".into()))
        );
    }

    #[test]
    fn the_palette_names_commands_in_the_readers_language() {
        crate::i18n::set_thread_lang(Lang::Lv);
        let e = entries("undo", &Keymap::default_keymap(), &Views::default());
        crate::i18n::set_thread_lang(Lang::En);
        assert_eq!(e[0].run, Run::Action(Action::Undo));
        assert_eq!(e[0].label, "atsaukt");
        assert_eq!(e[0].desc, "Atsaukt manu pēdējo izmaiņu");
    }

    #[test]
    fn asof_takes_the_date_typed() {
        let e = entries("asof 31.08.2025", &Keymap::default_keymap(), &Views::default());
        assert_eq!(e[0].run, Run::AsOf("31.08.2025".into()));
    }
}
