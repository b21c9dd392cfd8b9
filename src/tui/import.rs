//! `:import` in the screen: a file path typed (Tab completes, `~` is home), the file read in
//! the background and planned by `io::import`, a preview of what would happen (nothing is
//! written), then one confirmed Command (one undo step). Owns the import layer's state and
//! drawing; the reading, matching and planning are `io::import`'s.

use super::app::App;
use super::input::{self, LineInput};
use super::keymap::{Action, Context};
use super::layer::{Confirm, Effect, Layer, Origin, Pending};
use crate::domain::EventId;
use crate::i18n::{self, M, f, t};
use crate::io::import::{self, Plan, ReadError, Sheet};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// What the background reading hands over (taken once).
type Slot = Arc<Mutex<Option<Result<Sheet, ReadError>>>>;

/// Where the import is.
#[derive(Clone, Debug)]
pub enum Stage {
    /// Typing the path; `error` says why the last try failed (the path is kept).
    Path { error: Option<String> },
    /// The file is being read in the background.
    Reading { file: PathBuf, slot: Slot },
    /// Read; the rows are matched against the database at the next tick (drawn first).
    Planning { file: PathBuf, sheet: Box<Sheet> },
    /// What the import would do; nothing is written yet.
    Preview {
        file: PathBuf,
        sheet: Box<Sheet>,
        plan: Box<Plan>,
    },
}

/// The import layer's state.
#[derive(Clone, Debug)]
pub struct Import {
    /// Everyone imported is registered for this event.
    pub event: Option<EventId>,
    pub path: LineInput,
    pub stage: Stage,
    /// Unknown institutions are created (else their rows are rejected).
    pub create_institutions: bool,
    /// The preview's first line shown.
    pub scroll: usize,
    /// Files a Tab could complete to, when it could not choose.
    pub choices: Vec<String>,
}

impl Import {
    pub fn new(event: Option<EventId>, path: &str) -> Import {
        Import {
            event,
            path: LineInput::new(path),
            stage: Stage::Path { error: None },
            create_institutions: false,
            scroll: 0,
            choices: Vec::new(),
        }
    }

    /// The key context: typing a path, or reviewing the preview.
    pub fn context(&self) -> Context {
        match self.stage {
            Stage::Path { .. } => Context::Form,
            _ => Context::Review,
        }
    }

    /// The plan shown, once there is one.
    pub fn plan(&self) -> Option<&Plan> {
        match &self.stage {
            Stage::Preview { plan, .. } => Some(plan),
            _ => None,
        }
    }

    /// Starts reading the typed file in the background.
    fn start(&mut self) {
        let typed = self.path.text().trim().to_string();
        if typed.is_empty() {
            self.stage = Stage::Path {
                error: Some(t(M::ImsNeedPath).to_string()),
            };
            return;
        }
        let file = expand(&typed);
        let slot: Slot = Arc::new(Mutex::new(None));
        let (into, path) = (Arc::clone(&slot), file.clone());
        std::thread::spawn(move || {
            let read = import::read_file(&path, None, None);
            if let Ok(mut s) = into.lock() {
                *s = Some(read);
            }
        });
        self.choices.clear();
        self.scroll = 0;
        self.stage = Stage::Reading { file, slot };
    }

    /// Tab: completes the path to the longest name the directory's files share.
    fn complete(&mut self) {
        let typed = self.path.text().to_string();
        let (dir_typed, prefix) = match typed.rfind('/') {
            Some(i) => (&typed[..=i], &typed[i + 1..]),
            None => ("", typed.as_str()),
        };
        let dir = if dir_typed.is_empty() {
            PathBuf::from(".")
        } else {
            expand(dir_typed)
        };
        let Ok(entries) = std::fs::read_dir(&dir) else {
            self.stage = Stage::Path {
                error: Some(f(M::ImsNoMatch, &[&typed])),
            };
            return;
        };
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name().to_str()?.to_string();
                let hidden = name.starts_with('.') && !prefix.starts_with('.');
                (!hidden && name.starts_with(prefix)).then(|| match e.file_type() {
                    Ok(ft) if ft.is_dir() => format!("{name}/"),
                    _ => name,
                })
            })
            .collect();
        names.sort();
        let common = names
            .iter()
            .skip(1)
            .fold(names.first().cloned().unwrap_or_default(), |acc, n| {
                acc.chars()
                    .zip(n.chars())
                    .take_while(|(a, b)| a == b)
                    .map(|(a, _)| a)
                    .collect()
            });
        self.stage = Stage::Path { error: None };
        match names.len() {
            0 => {
                self.stage = Stage::Path {
                    error: Some(f(M::ImsNoMatch, &[&typed])),
                };
                self.choices.clear();
            }
            1 => {
                self.path.set(format!("{dir_typed}{common}"));
                self.choices.clear();
            }
            _ => {
                self.path.set(format!("{dir_typed}{common}"));
                self.choices = names;
            }
        }
    }

    /// The preview's lines (all of them; the layer scrolls through them).
    fn preview_lines(&self, app: &App, width: usize) -> Vec<Line<'static>> {
        let Stage::Preview { file, plan, .. } = &self.stage else {
            return Vec::new();
        };
        let th = app.theme;
        let r = &plan.report;
        let mut out = Vec::new();
        let how = match (r.encoding, r.delimiter, &r.sheet) {
            (Some(e), Some(d), _) => format!("CSV, {e}, '{}'", if d == '\t' { "\\t".into() } else { d.to_string() }),
            (_, _, Some(sheet)) => format!("{} ({sheet})", r.format.to_uppercase()),
            _ => r.format.to_uppercase(),
        };
        out.push(Line::from(f(M::ImpRead, &[&file_name(file), &how, &r.rows])));
        out.push(Line::from(Span::styled(t(M::ImsNothingWritten).to_string(), th.warn())));
        out.push(Line::from(""));
        let count = |m: M, n: &dyn std::fmt::Display| Line::from(Span::styled(f(m, &[n]), th.title()));
        out.push(count(M::ImpNewPeople, &r.new_people));
        out.push(count(M::ImpMatchedPeople, &r.matched_people));
        if r.repeated_rows > 0 {
            out.push(Line::from(f(M::ImpRepeatedRows, &[&r.repeated_rows])));
        }
        if self.event.is_some() {
            out.push(Line::from(Span::styled(
                f(M::ImpRegistrations, &[&r.new_registrations, &r.already_registered]),
                th.title(),
            )));
        }
        if !r.new_institutions.is_empty() {
            out.push(Line::from(f(
                M::ImpNewInstitutions,
                &[&r.new_institutions.len(), &r.new_institutions.join("; ")],
            )));
        }
        if !r.unknown_institutions.is_empty() {
            let names: Vec<String> = r
                .unknown_institutions
                .iter()
                .map(|u| format!("{} ({})", u.name, u.rows))
                .collect();
            out.push(Line::from(Span::styled(
                f(M::ImsUnknown, &[&names.join("; ")]),
                th.warn(),
            )));
        }
        out.push(Line::from(Span::styled(
            f(M::ImpRejected, &[&r.rejected.len()]),
            th.title(),
        )));
        for rej in &r.rejected {
            let line = rej.line();
            out.push(Line::from(short(&line, width)));
        }
        out
    }
}

/// `~` and `~/…` as the home directory.
pub fn expand(typed: &str) -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    match (typed.strip_prefix('~'), home) {
        (Some(""), Some(h)) => h,
        (Some(rest), Some(h)) if rest.starts_with('/') => h.join(rest.trim_start_matches('/')),
        _ => PathBuf::from(typed),
    }
}

/// The file's name without its directory.
fn file_name(file: &std::path::Path) -> String {
    file.file_name()
        .map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().to_string())
}

/// A line cut to `width` characters.
fn short(s: &str, width: usize) -> String {
    match s.char_indices().nth(width.saturating_sub(1)) {
        Some((i, _)) if s.chars().count() > width => format!("{}…", &s[..i]),
        _ => s.to_string(),
    }
}

/// Lines of the preview in view at the current size.
fn body_rows(size: (u16, u16)) -> usize {
    // Box borders (2), header (2), keys (2), the status lines under the box (2).
    (size.1 as usize).saturating_sub(8).max(1)
}

/// The import layer's answer to an action.
pub fn on_action(im: &mut Import, a: Action, app: &App) -> Vec<Effect> {
    match &im.stage {
        Stage::Path { .. } => match a {
            Action::Close => vec![Effect::Close],
            Action::Quit => vec![Effect::Quit],
            Action::NextField => {
                im.complete();
                vec![]
            }
            Action::Run | Action::Save => {
                im.start();
                vec![]
            }
            a if input::is_edit(a) => {
                im.path.edit(a);
                im.choices.clear();
                vec![]
            }
            _ => vec![],
        },
        Stage::Reading { .. } | Stage::Planning { .. } => match a {
            // Stops waiting: the reading thread's result is dropped.
            Action::Close => vec![Effect::Close],
            Action::Quit => vec![Effect::Quit],
            _ => vec![],
        },
        Stage::Preview { file, plan, .. } => {
            let total = im.preview_lines(app, usize::MAX / 4).len();
            let page = body_rows(app.size);
            let last = total.saturating_sub(page);
            match a {
                Action::Close | Action::No => {
                    // Back to the path, to choose another file.
                    im.stage = Stage::Path { error: None };
                    vec![]
                }
                Action::Quit => vec![Effect::Quit],
                Action::MoveDown => {
                    im.scroll = (im.scroll + 1).min(last);
                    vec![]
                }
                Action::MoveUp => {
                    im.scroll = im.scroll.saturating_sub(1);
                    vec![]
                }
                Action::PageDown => {
                    im.scroll = (im.scroll + page).min(last);
                    vec![]
                }
                Action::PageUp => {
                    im.scroll = im.scroll.saturating_sub(page);
                    vec![]
                }
                Action::First => {
                    im.scroll = 0;
                    vec![]
                }
                Action::Last => {
                    im.scroll = last;
                    vec![]
                }
                Action::Add => {
                    // Plan again with (or without) the unknown institutions created.
                    im.create_institutions = !im.create_institutions;
                    if let Stage::Preview { file, sheet, .. } =
                        std::mem::replace(&mut im.stage, Stage::Path { error: None })
                    {
                        im.stage = Stage::Planning { file, sheet };
                    }
                    vec![]
                }
                Action::Run | Action::Yes => {
                    let r = &plan.report;
                    if !r.changes() {
                        return vec![Effect::Say(t(M::ImpNothingToDo).to_string())];
                    }
                    let name = file_name(file);
                    let question = f(
                        M::ImsAsk,
                        &[&name, &r.new_people, &r.new_registrations, &r.new_institutions.len()],
                    );
                    vec![Effect::Open(Box::new(Layer::Confirm(Confirm {
                        question,
                        pending: Pending::Import,
                    })))]
                }
                Action::Undo | Action::Help | Action::History | Action::Palette => vec![Effect::Global(a)],
                _ => vec![],
            }
        }
    }
}

/// A typed character: into the path while typing it.
pub fn on_char(im: &mut Import, c: char) {
    if let Stage::Path { .. } = im.stage {
        im.path.insert(c);
        im.choices.clear();
    }
}

impl App {
    /// `:import [FILE]` (on an event: registering everyone for it): the import layer; a
    /// file given is read at once.
    pub fn open_import(&mut self, file: &str) {
        if !self.backend.is_loaded() {
            self.message = Some(t(M::Loading).to_string());
            return;
        }
        let event = (self.pane == super::app::Pane::Events)
            .then(|| self.selected_id(super::app::Pane::Events))
            .flatten()
            .map(EventId);
        let mut im = Import::new(event, file.trim());
        if !file.trim().is_empty() {
            im.start();
        }
        self.open(Layer::Import(Box::new(im)));
    }

    /// The open import layer, if any.
    pub fn import(&self) -> Option<&Import> {
        self.layers().iter().rev().find_map(|l| match l {
            Layer::Import(im) => Some(&**im),
            _ => None,
        })
    }

    /// Moves a background import on by one step (the file read: plan it at the next tick,
    /// so that "checking" is drawn first). Returns whether anything changed on screen.
    pub fn import_step(&mut self) -> bool {
        let (backend, layers) = self.split();
        let Some(im) = layers.iter_mut().rev().find_map(|l| match l {
            Layer::Import(im) => Some(im),
            _ => None,
        }) else {
            return false;
        };
        match &im.stage {
            Stage::Reading { file, slot } => {
                let taken = slot.lock().ok().and_then(|mut s| s.take());
                let Some(read) = taken else {
                    return false;
                };
                im.stage = match read {
                    Ok(sheet) => Stage::Planning {
                        file: file.clone(),
                        sheet: Box::new(sheet),
                    },
                    // The path is on the line above: the message names the file alone.
                    Err(e) => Stage::Path {
                        error: Some(e.message(std::path::Path::new(&file_name(file)))),
                    },
                };
                true
            }
            Stage::Planning { file, sheet } => {
                let opts = import::Options {
                    event: im.event,
                    create_institutions: im.create_institutions,
                    ..import::Options::default()
                };
                let name = file.display().to_string();
                im.stage = match import::plan(backend.model(), sheet, &name, &opts) {
                    Ok(plan) => Stage::Preview {
                        file: file.clone(),
                        sheet: sheet.clone(),
                        plan: Box::new(plan),
                    },
                    // The path is on the line above: the message names the file alone.
                    Err(e) => Stage::Path {
                        error: Some(e.message(std::path::Path::new(&file_name(file)))),
                    },
                };
                true
            }
            _ => false,
        }
    }

    /// `y` on the import's question: plans again against the data as it is now (someone
    /// may have changed it since the preview) and applies the plan as one command; the
    /// status line says what happened and that `u` undoes it.
    pub(super) fn import_apply(&mut self) {
        let Some(Layer::Import(im)) = self.layers().last() else {
            return;
        };
        let Stage::Preview { file, sheet, .. } = &im.stage else {
            return;
        };
        let opts = import::Options {
            event: im.event,
            create_institutions: im.create_institutions,
            ..import::Options::default()
        };
        let name = file.display().to_string();
        let short_name = file_name(file);
        let plan = match import::plan(self.model(), sheet, &name, &opts) {
            Ok(p) => p,
            Err(e) => {
                self.message = Some(f(M::ImsFailed, &[&e.message(file)]));
                return;
            }
        };
        let r = plan.report.clone();
        match self.apply(plan.command(), Origin::Screen) {
            Ok(_) => {
                self.close();
                let undo = self
                    .keymap
                    .key_for(Context::List, Action::Undo)
                    .map_or_else(|| "u".to_string(), |k| k.to_string());
                self.message = Some(f(
                    M::ImsDone,
                    &[
                        &short_name,
                        &r.new_people,
                        &r.new_registrations,
                        &r.new_institutions.len(),
                        &r.rejected.len(),
                        &undo,
                    ],
                ));
            }
            Err(e) => self.message = Some(f(M::ImsFailed, &[&e.message()])),
        }
    }
}

fn boxed<'a>(app: &App, title: String) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.border())
        .title(Span::styled(format!(" {title} "), app.theme.title()))
}

fn key(app: &App, ctx: Context, a: Action) -> String {
    app.keymap
        .key_for(ctx, a)
        .map(|k| k.to_string())
        .unwrap_or_else(|| "—".into())
}

/// The area of a big overlay: the screen less its two status lines.
pub fn overlay_area(area: Rect) -> Rect {
    let w = area.width.min(110);
    let h = area.height.saturating_sub(2).max(3);
    Rect::new(area.x + (area.width - w) / 2, area.y, w, h)
}

/// Draws the import layer.
pub fn render(app: &App, im: &Import, frame: &mut Frame<'_>, area: Rect) {
    let th = app.theme;
    let r = overlay_area(area);
    frame.render_widget(Clear, r);
    let inner_w = r.width.saturating_sub(2) as usize;
    let into = match im.event.and_then(|e| app.model().events.get(e.0)) {
        Some(e) => f(M::ImsInto, &[&format!("{} ({})", e.title, i18n::date(e.start.date()))]),
        None => t(M::ImsNoEvent).to_string(),
    };
    let mut lines = vec![Line::from(short(&into, inner_w))];
    match &im.stage {
        Stage::Path { error } => {
            let at = im.path.cursor_chars();
            let text = im.path.text();
            let split = text.char_indices().nth(at).map_or(text.len(), |(i, _)| i);
            lines.push(Line::from(""));
            lines.push(Line::from(vec![
                Span::styled(format!("{} ", t(M::ImsFile)), th.title()),
                Span::raw(text[..split].to_string()),
                Span::styled("▏", th.key()),
                Span::raw(text[split..].to_string()),
            ]));
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                f(
                    M::ImsPathKeys,
                    &[
                        &key(app, Context::Form, Action::NextField),
                        &key(app, Context::Form, Action::Run),
                        &key(app, Context::Form, Action::Close),
                    ],
                ),
                th.key(),
            )));
            if let Some(e) = error {
                lines.push(Line::from(""));
                lines.push(Line::from(Span::styled(format!("✗ {e}"), th.warn())));
            }
            if !im.choices.is_empty() {
                lines.push(Line::from(""));
                lines.extend(im.choices.iter().map(|c| Line::from(format!("  {c}"))));
            }
            let p = Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(boxed(app, t(M::ImsTitle).to_string()));
            frame.render_widget(p, r);
        }
        Stage::Reading { file, .. } => {
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                format!("⏳ {}", f(M::ImsReading, &[&file.display()])),
                th.title(),
            )));
            lines.push(Line::from(Span::styled(
                f(M::ImsWaitKeys, &[&key(app, Context::Review, Action::Close)]),
                th.key(),
            )));
            let p = Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(boxed(app, t(M::ImsTitle).to_string()));
            frame.render_widget(p, r);
        }
        Stage::Planning { sheet, .. } => {
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                format!("⏳ {}", f(M::ImsPlanning, &[&sheet.rows.len()])),
                th.title(),
            )));
            let p = Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(boxed(app, t(M::ImsTitle).to_string()));
            frame.render_widget(p, r);
        }
        Stage::Preview { .. } => {
            let body = im.preview_lines(app, inner_w);
            let page = body_rows(app.size);
            let scroll = im.scroll.min(body.len().saturating_sub(page));
            lines.push(Line::from(""));
            lines.extend(body.into_iter().skip(scroll).take(page));
            let ctx = Context::Review;
            let create = if im.create_institutions {
                M::ImsKeyNoCreate
            } else {
                M::ImsKeyCreate
            };
            let keys = f(
                M::ImsKeys,
                &[
                    &key(app, ctx, Action::Run),
                    &key(app, ctx, Action::MoveDown),
                    &key(app, ctx, Action::Close),
                ],
            );
            let create = f(create, &[&key(app, ctx, Action::Add)]);
            let inner = r.height.saturating_sub(2) as usize;
            while lines.len() + 2 < inner {
                lines.push(Line::from(""));
            }
            lines.truncate(inner.saturating_sub(2));
            lines.push(Line::from(Span::styled(short(&keys, inner_w), th.key())));
            lines.push(Line::from(Span::styled(short(&create, inner_w), th.key())));
            let p = Paragraph::new(lines).block(boxed(app, t(M::ImsTitle).to_string()));
            frame.render_widget(p, r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn home_is_expanded_and_other_paths_are_kept() {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        if let Some(h) = home {
            assert_eq!(expand("~"), h);
            assert_eq!(expand("~/a/b.csv"), h.join("a/b.csv"));
        }
        assert_eq!(expand("/tmp/x.csv"), PathBuf::from("/tmp/x.csv"));
        assert_eq!(expand("x~.csv"), PathBuf::from("x~.csv"));
    }

    #[test]
    fn tab_completes_to_the_common_start_and_lists_the_choices() {
        let dir = tempfile::tempdir().expect("tempdir");
        for n in ["saraksts-1.csv", "saraksts-2.csv", "cits.xlsx"] {
            std::fs::write(dir.path().join(n), "x").expect("write");
        }
        std::fs::create_dir(dir.path().join("mape")).expect("dir");
        let base = format!("{}/", dir.path().display());
        let mut im = Import::new(None, &format!("{base}sar"));
        im.complete();
        assert_eq!(im.path.text(), format!("{base}saraksts-"));
        assert_eq!(im.choices, vec!["saraksts-1.csv", "saraksts-2.csv"]);
        let mut im = Import::new(None, &format!("{base}c"));
        im.complete();
        assert_eq!(im.path.text(), format!("{base}cits.xlsx"));
        assert!(im.choices.is_empty());
        let mut im = Import::new(None, &format!("{base}ma"));
        im.complete();
        assert_eq!(im.path.text(), format!("{base}mape/"), "a directory gets its slash");
        let mut im = Import::new(None, &format!("{base}zz"));
        im.complete();
        assert!(matches!(im.stage, Stage::Path { error: Some(_) }));
    }
}
