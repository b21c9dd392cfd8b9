//! `:import` in the screen: a file path typed (Tab completes, `~` is home), the file read
//! and planned by `io::import` on a thread of its own with a progress bar (the screen stays
//! responsive; Esc abandons it), a preview of what would happen (nothing is written) whose
//! reading options can be changed there (encoding, sheet, what a column is read as, as the
//! CLI's `--encoding`, `--sheet`, `--map`), then one confirmed Command (one undo step).
//! Owns the import layer's state and drawing; the reading, matching and planning are
//! `io::import`'s, the thread and the bar `super::progress`'s.

use super::app::App;
use super::input::{self, LineInput};
use super::keymap::{Action, Context};
use super::layer::{Confirm, Effect, Layer, Pending};
use super::progress::Job;
use crate::domain::EventId;
use crate::i18n::{self, M, f, t};
use crate::io::import::columns::Field;
use crate::io::import::{self, Known, Plan, ReadError, Sheet};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use std::path::PathBuf;
use std::sync::Arc;

/// The encodings `e` goes through, in order (`None`: detected).
pub const ENCODINGS: [Option<&str>; 4] = [None, Some("utf-8"), Some("windows-1257"), Some("windows-1252")];

/// How the file is read: the CLI's `--encoding`, `--sheet` and `--map`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReadOptions {
    /// `None`: detected.
    pub encoding: Option<&'static str>,
    /// `None`: the first sheet.
    pub sheet: Option<String>,
    /// Columns read as another field than their header says.
    pub map: Vec<(String, Field)>,
}

/// What the background job hands over: the sheet read (kept to plan again without
/// reading), the plan, and the model's generation it was planned against.
pub type Outcome = Result<(Arc<Sheet>, Box<Plan>, u64), ReadError>;

/// A list chosen from in the preview.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pick {
    /// Which sheet of the workbook to read.
    Sheet(usize),
    /// Which column to map.
    Column(usize),
    /// What column `.0` is read as (`.1`: the field chosen in [`Field::ALL`]).
    Field(usize, usize),
}

/// Where the import is.
#[derive(Clone, Debug)]
pub enum Stage {
    /// Typing the path; `error` says why the last try failed (the path is kept).
    Path { error: Option<String> },
    /// Reading and planning in the background, with its progress; `back` is the preview
    /// it replaces (an option changed there), shown again if this one is abandoned or
    /// fails.
    Working {
        file: PathBuf,
        job: Job<Outcome>,
        back: Option<Box<Back>>,
    },
    /// What the import would do; nothing is written yet.
    Preview {
        file: PathBuf,
        sheet: Arc<Sheet>,
        plan: Box<Plan>,
        /// The model's generation the plan was made against.
        generation: u64,
        /// A list being chosen from, if any.
        pick: Option<Pick>,
    },
}

/// The preview an option change started from, and its options.
#[derive(Clone, Debug)]
pub struct Back {
    pub stage: Stage,
    pub options: ReadOptions,
    pub create_institutions: bool,
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
    /// How the file is read.
    pub options: ReadOptions,
    /// The preview's first line shown (or the pick list's).
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
            options: ReadOptions::default(),
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

    /// Whether a job runs in the background (the screen then wakes up often to show it).
    pub fn busy(&self) -> bool {
        matches!(self.stage, Stage::Working { .. })
    }

    /// How far the background job is, while there is one.
    pub fn progress(&self) -> Option<super::progress::Shown> {
        match &self.stage {
            Stage::Working { job, .. } => Some(job.shown),
            _ => None,
        }
    }

    /// A watch on the background job's thread, while there is one (it tells when an
    /// abandoned job has stopped).
    pub fn watch(&self) -> Option<super::progress::Watch> {
        match &self.stage {
            Stage::Working { job, .. } => Some(job.watch()),
            _ => None,
        }
    }

    /// Starts reading the typed file (with the reading options) and planning it, in the
    /// background.
    pub(in crate::tui) fn start(&mut self, m: &crate::model::Model) {
        let typed = self.path.text().trim().to_string();
        if typed.is_empty() {
            self.stage = Stage::Path {
                error: Some(t(M::ImsNeedPath).to_string()),
            };
            return;
        }
        self.choices.clear();
        self.work(m, crate::paths::expand(&typed, None), None);
    }

    /// Reads `file` (unless its `sheet` is given: plans that again) and plans it against
    /// what the model holds now, on a thread of its own.
    fn work(&mut self, m: &crate::model::Model, file: PathBuf, sheet: Option<Arc<Sheet>>) {
        let opts = import::Options {
            event: self.event,
            create_institutions: self.create_institutions,
            map: self.options.map.clone(),
            ..import::Options::default()
        };
        let known = Known::of(m, self.event);
        let read = self.options.clone();
        let path = file.clone();
        let job = Job::spawn(move |r| {
            let sheet = match sheet {
                Some(s) => s,
                None => Arc::new(import::read_file_with_progress(
                    &path,
                    read.encoding,
                    read.sheet.as_deref(),
                    r,
                )?),
            };
            if crate::io::progress::Progress::cancelled(r) {
                // Abandoned: the result is never looked at.
                return Err(ReadError::Cancelled);
            }
            let name = path.display().to_string();
            let plan = import::plan_known(&known, &sheet, &name, &opts, r)?;
            Ok((sheet, Box::new(plan), known.generation))
        });
        self.scroll = 0;
        self.stage = Stage::Working { file, job, back: None };
    }

    /// [`Import::work`] from the preview after its options changed (`before`: as they were):
    /// the preview comes back if the new one is abandoned or fails.
    pub(in crate::tui) fn rework(&mut self, m: &crate::model::Model, before: (ReadOptions, bool), reread: bool) {
        let Stage::Preview { file, sheet, .. } = &self.stage else {
            return;
        };
        let (file, sheet) = (file.clone(), (!reread).then(|| Arc::clone(sheet)));
        let stage = std::mem::replace(&mut self.stage, Stage::Path { error: None });
        let back = Back {
            stage,
            options: before.0,
            create_institutions: before.1,
        };
        self.work(m, file, sheet);
        if let Stage::Working { back: slot, .. } = &mut self.stage {
            *slot = Some(Box::new(back));
        }
    }

    /// The background job is abandoned (`None`) or failed (why): back to the preview it
    /// started from (its options as they were when abandoned, the new ones when it failed,
    /// so that the next option can be tried), else to the path. Returns why, when the
    /// preview is shown again (for the status line).
    pub(in crate::tui) fn give_up(&mut self, error: Option<String>) -> Option<String> {
        let Stage::Working { back, .. } = &mut self.stage else {
            return None;
        };
        match back.take() {
            Some(back) => {
                let Back {
                    mut stage,
                    options,
                    create_institutions,
                } = *back;
                if let Stage::Preview { pick, .. } = &mut stage {
                    *pick = None;
                }
                self.stage = stage;
                if error.is_none() {
                    self.options = options;
                    self.create_institutions = create_institutions;
                }
                error
            }
            None => {
                self.back_to_path(error);
                None
            }
        }
    }

    /// Back to the path (another file: its own reading options).
    fn back_to_path(&mut self, error: Option<String>) {
        self.stage = Stage::Path { error };
        self.options = ReadOptions::default();
        self.scroll = 0;
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
            crate::paths::expand(dir_typed, None)
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
        // The lists of institutions and the rejected rows are read whole: wrapped, not cut.
        let wrapped = |text: &str, style: ratatui::style::Style| -> Vec<Line<'static>> {
            super::wrap::hanging(text, width, 2)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, style)))
                .collect()
        };
        if !r.new_institutions.is_empty() {
            out.extend(wrapped(
                &f(
                    M::ImpNewInstitutions,
                    &[&r.new_institutions.len(), &r.new_institutions.join("; ")],
                ),
                ratatui::style::Style::default(),
            ));
        }
        if !r.unknown_institutions.is_empty() {
            let names: Vec<String> = r
                .unknown_institutions
                .iter()
                .map(|u| format!("{} ({})", u.name, u.rows))
                .collect();
            out.extend(wrapped(&f(M::ImsUnknown, &[&names.join("; ")]), th.warn()));
        }
        out.push(Line::from(Span::styled(t(M::ImsColumnsTitle).to_string(), th.title())));
        for c in &r.columns {
            out.push(Line::from(short(&format!("  {}", c.says()), width)));
        }
        out.push(Line::from(Span::styled(
            f(M::ImpRejected, &[&r.rejected.len()]),
            th.title(),
        )));
        for rej in &r.rejected {
            out.extend(wrapped(&rej.line(), ratatui::style::Style::default()));
        }
        out
    }
}

/// The file's name without its directory.
pub(in crate::tui) fn file_name(file: &std::path::Path) -> String {
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
    // Box borders (2), header (2), keys (3), the status lines under the box (2).
    (size.1 as usize).saturating_sub(9).max(1)
}

/// The rows of a pick list: the sheets, the columns (with what each is read as), or the
/// fields a column can be read as, in the reader's words with the code `--map` takes.
fn pick_rows(im: &Import, pick: Pick) -> Vec<String> {
    let Stage::Preview { sheet, plan, .. } = &im.stage else {
        return Vec::new();
    };
    match pick {
        Pick::Sheet(_) => sheet.sheets.clone(),
        Pick::Column(_) => plan.report.columns.iter().map(|c| c.says()).collect(),
        Pick::Field(..) => Field::ALL
            .iter()
            .map(|fl| format!("{} ({})", t(fl.says()), fl.code()))
            .collect(),
    }
}

/// The chosen row of a pick list.
fn picked(pick: Pick) -> usize {
    match pick {
        Pick::Sheet(i) | Pick::Column(i) | Pick::Field(_, i) => i,
    }
}

/// The preview's answer to an action while a list is chosen from.
fn on_pick(im: &mut Import, pick: Pick, a: Action, app: &App) -> Vec<Effect> {
    let n = pick_rows(im, pick).len();
    let page = body_rows(app.size).saturating_sub(1);
    let Stage::Preview {
        sheet,
        plan,
        pick: slot,
        ..
    } = &mut im.stage
    else {
        return vec![];
    };
    if let Some(d) = super::select::moved(a, page) {
        let at = super::select::step(picked(pick), d, n);
        *slot = Some(match pick {
            Pick::Sheet(_) => Pick::Sheet(at),
            Pick::Column(_) => Pick::Column(at),
            Pick::Field(c, _) => Pick::Field(c, at),
        });
        return vec![];
    }
    match a {
        Action::Close | Action::No => {
            *slot = match pick {
                Pick::Field(c, _) => Some(Pick::Column(c)),
                _ => None,
            };
            vec![]
        }
        Action::Quit => vec![Effect::Quit],
        Action::Run | Action::Yes => match pick {
            Pick::Sheet(i) => {
                let name = sheet.sheets.get(i).cloned();
                let before = (im.options.clone(), im.create_institutions);
                im.options.sheet = name;
                im.rework(app.model(), before, true);
                vec![]
            }
            Pick::Column(c) => {
                let now = plan
                    .report
                    .columns
                    .get(c)
                    .and_then(|u| u.field)
                    .and_then(|code| Field::ALL.iter().position(|fl| fl.code() == code))
                    .unwrap_or(Field::ALL.len() - 1);
                *slot = Some(Pick::Field(c, now));
                vec![]
            }
            Pick::Field(c, i) => {
                let header = sheet.headers.get(c).cloned();
                let before = (im.options.clone(), im.create_institutions);
                if let (Some(header), Some(field)) = (header, Field::ALL.get(i)) {
                    im.options.map.retain(|(h, _)| *h != header);
                    im.options.map.push((header, *field));
                }
                im.rework(app.model(), before, false);
                vec![]
            }
        },
        _ => vec![],
    }
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
                im.start(app.model());
                vec![]
            }
            a if input::is_edit(a) => {
                im.path.edit(a);
                im.choices.clear();
                vec![]
            }
            _ => vec![],
        },
        Stage::Working { .. } => match a {
            // Abandons the job (its result is dropped; nothing was written) and goes back
            // to the path.
            Action::Close => {
                im.give_up(None);
                vec![]
            }
            Action::Quit => vec![Effect::Quit],
            Action::Help => vec![Effect::Global(a)],
            // Nothing else means anything until the preview is there: such keys are not
            // kept for it (a key meant for the bar must not confirm the preview).
            _ => vec![],
        },
        Stage::Preview { pick: Some(pick), .. } => {
            let pick = *pick;
            on_pick(im, pick, a, app)
        }
        Stage::Preview { file, plan, sheet, .. } => {
            let total = im.preview_lines(app, usize::MAX / 4).len();
            let page = body_rows(app.size);
            let last = total.saturating_sub(page);
            if let Some(d) = super::select::moved(a, page) {
                im.scroll = im.scroll.saturating_add_signed(d).min(last);
                return vec![];
            }
            match a {
                Action::Close | Action::No => {
                    // Back to the path, to choose another file.
                    im.back_to_path(None);
                    vec![]
                }
                Action::Quit => vec![Effect::Quit],
                Action::Add => {
                    // Plan again with (or without) the unknown institutions created.
                    let before = (im.options.clone(), im.create_institutions);
                    im.create_institutions = !im.create_institutions;
                    im.rework(app.model(), before, false);
                    vec![]
                }
                Action::Encoding => {
                    if sheet.source.format != "csv" {
                        return vec![Effect::Say(t(M::ImsOnlyCsv).to_string())];
                    }
                    let before = (im.options.clone(), im.create_institutions);
                    let at = ENCODINGS.iter().position(|e| *e == im.options.encoding).unwrap_or(0);
                    im.options.encoding = ENCODINGS[(at + 1) % ENCODINGS.len()];
                    im.rework(app.model(), before, true);
                    vec![]
                }
                Action::Sheet => {
                    if sheet.sheets.len() < 2 {
                        let what = sheet.source.sheet.clone().unwrap_or_else(|| "CSV".to_string());
                        return vec![Effect::Say(f(M::ImsOneSheet, &[&what]))];
                    }
                    let now = sheet
                        .source
                        .sheet
                        .as_ref()
                        .and_then(|s| sheet.sheets.iter().position(|n| n == s))
                        .unwrap_or(0);
                    set_pick(im, Some(Pick::Sheet(now)));
                    vec![]
                }
                Action::MapColumn => {
                    set_pick(im, Some(Pick::Column(0)));
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

/// Opens (or closes) a pick list in the preview.
fn set_pick(im: &mut Import, to: Option<Pick>) {
    if let Stage::Preview { pick, .. } = &mut im.stage {
        *pick = to;
    }
}

/// A typed character: into the path while typing it.
pub fn on_char(im: &mut Import, c: char) {
    if let Stage::Path { .. } = im.stage {
        im.path.insert(c);
        im.choices.clear();
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
        Stage::Working { file, job, .. } => {
            lines.push(Line::from(""));
            lines.push(Line::from(short(&f(M::ImsReading, &[&file_name(file)]), inner_w)));
            lines.push(Line::from(""));
            lines.extend(super::progress::bar_lines(&job.shown, inner_w, &th));
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                f(M::ImsWaitKeys, &[&key(app, Context::Review, Action::Close)]),
                th.key(),
            )));
            let p = Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(boxed(app, t(M::ImsTitle).to_string()));
            frame.render_widget(p, r);
        }
        Stage::Preview { pick, sheet, .. } => {
            let ctx = Context::Review;
            let page = body_rows(app.size);
            lines.push(Line::from(""));
            match pick {
                Some(pick) => {
                    let (run, back) = (key(app, ctx, Action::Run), key(app, ctx, Action::Close));
                    let title = match pick {
                        Pick::Sheet(_) => f(M::ImsPickSheet, &[&run, &back]),
                        Pick::Column(_) => f(M::ImsPickColumn, &[&run, &back]),
                        Pick::Field(c, _) => f(
                            M::ImsPickField,
                            &[&sheet.headers.get(*c).cloned().unwrap_or_default(), &run, &back],
                        ),
                    };
                    lines.push(Line::from(Span::styled(short(&title, inner_w), th.title())));
                    let rows = pick_rows(im, *pick);
                    let at = picked(*pick);
                    let view = page.saturating_sub(1);
                    let from = super::select::in_view(at, 0, view);
                    for (i, row) in rows.iter().enumerate().skip(from).take(view) {
                        let mark = if i == at { '›' } else { ' ' };
                        let text = short(&format!("{mark} {row} "), inner_w);
                        lines.push(if i == at {
                            Line::from(Span::styled(text, th.selected()))
                        } else {
                            Line::from(text)
                        });
                    }
                }
                None => {
                    let body = im.preview_lines(app, inner_w);
                    let scroll = im.scroll.min(body.len().saturating_sub(page));
                    lines.extend(body.into_iter().skip(scroll).take(page));
                }
            }
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
            let encoding = im.options.encoding.unwrap_or(t(M::ImsAuto));
            let sheet_name = sheet.source.sheet.clone().unwrap_or_else(|| "–".to_string());
            let options = f(
                M::ImsOptionKeys,
                &[
                    &key(app, ctx, Action::Encoding),
                    &encoding,
                    &key(app, ctx, Action::Sheet),
                    &sheet_name,
                    &key(app, ctx, Action::MapColumn),
                ],
            );
            let inner = r.height.saturating_sub(2) as usize;
            // While a list is chosen from, its title line says the keys.
            let hints = if pick.is_some() {
                vec![]
            } else {
                vec![keys, create, options]
            };
            while lines.len() + hints.len() < inner {
                lines.push(Line::from(""));
            }
            lines.truncate(inner.saturating_sub(hints.len()));
            lines.extend(
                hints
                    .iter()
                    .map(|h| Line::from(Span::styled(short(h, inner_w), th.key()))),
            );
            let p = Paragraph::new(lines).block(boxed(app, t(M::ImsTitle).to_string()));
            frame.render_widget(p, r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
