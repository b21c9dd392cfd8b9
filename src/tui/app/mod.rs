//! The application state and its update function: key -> Action (through the keymap) ->
//! new state. Owns the store; the renderer only reads this.

mod apply;
mod import_job;
mod merge;
mod save;

use super::desk::{Desk, Roster};
use super::form::Form;
use super::input;
use super::keymap::{Action, Context, Key, Keymap};
use super::layer::{Confirm, Effect, Help, Layer, Origin, PaletteState};
use super::palette;
use super::progress::{Job, Polled};
use super::select;
use super::theme::Theme;
use super::ui;
use super::views::{self, Views};
use crate::backend::Backend;
use crate::clock::Clock;
use crate::command::Change;
use crate::domain::Table;
use crate::i18n::{M, f, t};
use crate::indicators::{Aggregates, Outcome};
use crate::io::export::ExportFormat;
use crate::io::progress::Step;
use crate::search::filter::{Filter, FilterError};
use crate::search::text::Term;
use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::sync::Arc;

/// Every indicator's value as of `today`, by indicator id.
/// `agg` is built on first use and then kept up to date change by change (see
/// [`App::after_change`]), so recomputing after a check-in takes milliseconds.
pub fn outcomes(m: &crate::model::Model, agg: &mut Option<Aggregates>, today: NaiveDate) -> Vec<Option<Outcome>> {
    let t0 = std::time::Instant::now();
    let agg = agg.get_or_insert_with(|| Aggregates::build(m));
    let mut out = vec![None; m.indicators.capacity_id() as usize];
    for (id, o) in agg.evaluate_all(m, today) {
        out[id.index()] = Some(o);
    }
    crate::log!(
        "indicators: {} computed in {:.1} ms",
        m.indicators.len(),
        t0.elapsed().as_secs_f64() * 1e3
    );
    out
}

/// The four panes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    Partners,
    Events,
    Participants,
    Indicators,
}

impl Pane {
    pub const ALL: [Pane; 4] = [Pane::Partners, Pane::Events, Pane::Participants, Pane::Indicators];
    pub fn table(self) -> Table {
        match self {
            Pane::Partners => Table::Organisation,
            Pane::Events => Table::Event,
            Pane::Participants => Table::Participant,
            Pane::Indicators => Table::Indicator,
        }
    }
    pub fn title(self) -> M {
        match self {
            Pane::Partners => M::PanePartners,
            Pane::Events => M::PaneEvents,
            Pane::Participants => M::PaneParticipants,
            Pane::Indicators => M::PaneIndicators,
        }
    }
    pub fn index(self) -> usize {
        self as usize
    }
    /// The pane's name in saved views and commands.
    pub fn code(self) -> &'static str {
        match self {
            Pane::Partners => "partners",
            Pane::Events => "events",
            Pane::Participants => "participants",
            Pane::Indicators => "indicators",
        }
    }
}

/// A pane's filter: what was typed, the matching ids, and why the text is not (yet) valid.
#[derive(Clone, Debug, Default)]
pub struct View {
    pub expr: String,
    /// The expression `ids` belong to (the last valid one).
    pub applied: String,
    /// Whether a longer expression may search `ids` instead of everything.
    pub narrows: bool,
    pub ids: Vec<u32>,
    pub terms: Vec<Term>,
    pub error: Option<FilterError>,
    /// A list of records given by id, not by a filter (an indicator's gaps): `expr` only
    /// names it; it is never re-parsed.
    pub fixed: bool,
}

/// Selection, scroll position and filter of one pane's table.
#[derive(Clone, Debug, Default)]
pub struct PaneState {
    pub selected: usize,
    pub offset: usize,
    pub view: Option<View>,
    /// The id of the selected record: after the rows change (a filter, a save that moves
    /// the record, a change from anywhere) the selection is put back on it by
    /// [`App::follow`], so `e`/`d` never act on whatever took its row.
    pub anchor: Option<u32>,
}

pub struct App {
    /// Where the data comes from and goes to (this process's store, or the server).
    pub backend: Box<dyn Backend>,
    pub keymap: Keymap,
    pub theme: Theme,
    pub pane: Pane,
    pub states: [PaneState; 4],
    /// What lies over the panes, bottom to top (see [`Layer`]).
    layers: Vec<Layer>,
    pub quit: bool,
    /// Terminal size (columns, rows) at the last resize.
    pub size: (u16, u16),
    /// What time it is (the system's clock; a fixed one in tests).
    clock: Arc<dyn Clock>,
    /// The day the indicators were last computed for (they follow midnight).
    day: NaiveDate,
    /// How the database is named in the status bar.
    pub db_label: String,
    pub views: Views,
    /// A one-off message for the status bar (cleared by the next key).
    pub message: Option<String>,
    /// Indicator values as of today, by indicator id (computed on load and after changes,
    /// never while drawing).
    pub outcomes: Vec<Option<Outcome>>,
    pub outcomes_stale: bool,
    /// The date indicators are shown as of (`None`: today).
    pub asof: Option<NaiveDate>,
    /// Changes this user made in this session, oldest first: what `u` undoes.
    pub history: Vec<(Change, Origin)>,
    /// Panes whose filter results may be out of date after a change (re-run when shown).
    pub stale: [bool; 4],
    /// Running totals behind the indicators (built when first needed).
    pub aggregates: Option<Aggregates>,
    /// The change log as shown by `:history`, newest first (read when it is opened).
    pub journal: Vec<String>,
    /// An export from the screen (`:export`), its file, and its job: the rows are built
    /// from a copy of what they need and written on a thread of its own.
    exporting: Option<(std::path::PathBuf, Job<std::io::Result<usize>>)>,
    /// The messages shown so far, with their time (`!` lists them).
    pub messages: super::messages::Messages,
    /// Where the pane last used is remembered for the next start (none: not remembered).
    last_pane: Option<super::last_pane::LastPane>,
}

impl App {
    pub fn new(
        backend: impl Into<Box<dyn Backend>>,
        keymap: Keymap,
        theme: Theme,
        clock: Arc<dyn Clock>,
        size: (u16, u16),
    ) -> App {
        let backend: Box<dyn Backend> = backend.into();
        let db_label = backend.label();
        let day = clock.today();
        let mut app = App {
            backend,
            keymap,
            theme,
            pane: Pane::Partners,
            states: Default::default(),
            layers: Vec::new(),
            quit: false,
            size,
            clock,
            day,
            db_label,
            views: Views::default(),
            message: None,
            exporting: None,
            outcomes: Vec::new(),
            outcomes_stale: true,
            asof: None,
            history: Vec::new(),
            stale: [false; 4],
            aggregates: None,
            journal: Vec::new(),
            messages: Default::default(),
            last_pane: None,
        };
        if app.backend.is_loaded() {
            app.on_loaded();
        }
        app
    }

    /// The data as this screen has it.
    pub fn model(&self) -> &crate::model::Model {
        self.backend.model()
    }

    /// Now, from the screen's clock.
    pub fn now(&self) -> crate::domain::Stamp {
        self.clock.now()
    }

    /// The day it is (follows midnight).
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// Called on every tick of the event loop: after midnight the indicators are judged
    /// as of the new day. Returns whether anything changed.
    pub fn tick(&mut self) -> bool {
        // What the backend said since (the connection lost, back) is kept too.
        self.note_messages();
        if self.import_step() | self.export_step() {
            self.note_messages();
            return true;
        }
        let today = self.today();
        if today == self.day {
            return false;
        }
        self.day = today;
        self.refresh_indicators();
        true
    }

    /// The layers over the panes, bottom to top.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// The open check-in desk, if any.
    pub fn desk(&self) -> Option<&Desk> {
        self.layers.iter().rev().find_map(|l| match l {
            Layer::Desk(d) => Some(d),
            _ => None,
        })
    }

    /// The open attendance list, if any.
    pub fn roster(&self) -> Option<&Roster> {
        self.layers.iter().rev().find_map(|l| match l {
            Layer::Roster(r) => Some(r),
            _ => None,
        })
    }

    /// The open form, if any.
    pub fn form(&self) -> Option<&Form> {
        self.layers.iter().rev().find_map(|l| match l {
            Layer::Form(f) => Some(&**f),
            _ => None,
        })
    }

    /// The open question, if any.
    pub fn confirm(&self) -> Option<&Confirm> {
        match self.layers.last() {
            Some(Layer::Confirm(c)) => Some(c),
            _ => None,
        }
    }

    /// How far the zoomed detail is scrolled, if it is open.
    pub fn zoom(&self) -> Option<usize> {
        self.layers.iter().rev().find_map(|l| match l {
            Layer::Zoom(z) => Some(*z),
            _ => None,
        })
    }

    /// Whether the pane's filter line is being typed into.
    pub fn filtering(&self) -> bool {
        matches!(self.layers.last(), Some(Layer::Filter))
    }

    /// Puts a layer on top.
    pub fn open(&mut self, layer: Layer) {
        self.layers.push(layer);
    }

    /// Takes the top layer off.
    pub fn close(&mut self) -> Option<Layer> {
        self.layers.pop()
    }

    pub(super) fn layers_mut(&mut self) -> &mut Vec<Layer> {
        &mut self.layers
    }

    /// The backend and the layers, borrowed apart (to read the model while changing a
    /// layer).
    pub(super) fn split(&mut self) -> (&dyn Backend, &mut Vec<Layer>) {
        (&*self.backend, &mut self.layers)
    }

    /// Recomputes the indicator values now if they are wanted on screen, else marks them
    /// stale: they are computed when the Indicators pane is shown (~90 ms at 3M attendance
    /// rows), so loading never waits for them.
    pub fn refresh_indicators(&mut self) {
        self.outcomes_stale = true;
        if self.pane == Pane::Indicators && self.backend.is_loaded() {
            let day = self.asof.unwrap_or(self.today());
            self.outcomes = outcomes(self.backend.model(), &mut self.aggregates, day);
            self.outcomes_stale = false;
        }
    }

    /// Called once the data is in: the events pane starts at the next upcoming event.
    pub fn on_loaded(&mut self) {
        self.refresh_indicators();
        let m = self.backend.model();
        let order = m.orders.get(Table::Event);
        let today = self.today();
        let upcoming = order.partition_point(|id| m.events.get(*id).is_some_and(|e| e.start.date() < today));
        let i = Pane::Events.index();
        self.states[i].selected = select::clamp(upcoming, order.len());
        self.scroll_into_view(Pane::Events);
        for p in Pane::ALL {
            self.mark(p);
        }
    }

    /// Remembers the record now selected in a pane (after the user moved).
    pub fn mark(&mut self, pane: Pane) {
        self.states[pane.index()].anchor = self.selected_id(pane);
    }

    /// Puts a pane's selection back on its remembered record after its rows changed. A
    /// record no longer listed leaves the selection at the first row (`top`: a new filter)
    /// or at the same position (a deleted record: the next one), which is then remembered.
    pub fn follow(&mut self, pane: Pane, top: bool) {
        let i = pane.index();
        let found = self.states[i]
            .anchor
            .and_then(|id| self.ids(pane).iter().position(|x| *x == id));
        match found {
            Some(pos) => self.states[i].selected = pos,
            None if top => {
                self.states[i].selected = 0;
                self.states[i].offset = 0;
            }
            None => {}
        }
        self.scroll_into_view(pane);
        self.mark(pane);
    }

    /// The context of the screen under any help or palette (help lists its keys first).
    pub fn screen_context(&self) -> Context {
        self.layers
            .iter()
            .rev()
            .find(|l| l.covers())
            .map_or(Context::List, Layer::context)
    }

    /// The context whose bindings apply now: the top layer's.
    pub fn context(&self) -> Context {
        self.layers.last().map_or(Context::List, Layer::context)
    }

    /// Keeps the messages on screen now that were not there before (see
    /// [`super::messages`]).
    pub fn note_messages(&mut self) {
        let now = super::messages::on_screen(self);
        let at = self.now();
        self.messages.note(at, now);
    }

    /// Opens the last messages, whole, newest first (`!`).
    pub fn open_messages(&mut self) {
        self.open(Layer::Help(Help {
            page: super::layer::Page::Messages,
            ..Help::default()
        }));
    }

    /// Remembers the pane used in `last`, and starts on the one remembered there.
    pub fn remember_panes(&mut self, last: super::last_pane::LastPane) {
        let pane = last.pane();
        self.last_pane = Some(last);
        if let Some(pane) = pane {
            self.switch(pane);
        }
    }

    /// Handles one terminal key event; returns whether anything changed.
    pub fn handle_key(&mut self, ev: KeyEvent) -> bool {
        let changed = self.key(ev);
        self.note_messages();
        changed
    }

    fn key(&mut self, ev: KeyEvent) -> bool {
        if ev.kind == KeyEventKind::Release {
            return false;
        }
        let key = Key::from_event(ev);
        self.message = None;
        let ctx = self.context();
        match self.keymap.action(ctx, key) {
            Some(a) => {
                self.update(a);
                true
            }
            None if ctx.is_text() => match key.code {
                KeyCode::Char(c) if !key.mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
                    self.with_top(|layer, app| layer.on_char(c, app));
                    true
                }
                _ => false,
            },
            None => false,
        }
    }

    /// Lets the top layer answer (with the screen under it to read), then carries out
    /// what it asked for.
    fn with_top(&mut self, f: impl FnOnce(&mut Layer, &App) -> Vec<Effect>) {
        let Some(mut top) = self.layers.pop() else {
            return;
        };
        let effects = f(&mut top, self);
        self.layers.push(top);
        self.run(effects);
    }

    /// The ids a pane lists, in order: the filter's results, or everything.
    pub fn ids(&self, pane: Pane) -> &[u32] {
        if !self.backend.is_loaded() {
            return &[];
        }
        match &self.states[pane.index()].view {
            Some(v) => &v.ids,
            None => self.backend.model().orders.get(pane.table()),
        }
    }

    /// Number of rows in a pane's table.
    pub fn rows(&self, pane: Pane) -> usize {
        self.ids(pane).len()
    }

    /// The id of the selected record of a pane.
    pub fn selected_id(&self, pane: Pane) -> Option<u32> {
        self.ids(pane).get(self.states[pane.index()].selected).copied()
    }

    /// A bracketed paste: where text is typed, the whole text at once (cleaned of control
    /// and hidden characters, line breaks made spaces) with one search after it; elsewhere
    /// nothing, so a pasted "q" or "d" never acts. Returns whether anything changed.
    pub fn paste(&mut self, text: &str) -> bool {
        let text = crate::domain::clean(text);
        if text.is_empty() || !self.context().is_text() {
            return false;
        }
        self.message = None;
        self.with_top(|layer, app| match layer {
            Layer::Desk(desk) => {
                text.chars().for_each(|c| desk.input.insert(c));
                desk.search(app.model());
                vec![]
            }
            Layer::Filter => vec![Effect::TypeFilter(text.to_string())],
            layer => text.chars().flat_map(|c| layer.on_char(c, app)).collect(),
        });
        self.note_messages();
        true
    }

    /// Whether the terminal is below the smallest size the screen is drawn at.
    pub fn too_small(&self) -> bool {
        self.size.0 < ui::MIN_COLS || self.size.1 < ui::MIN_ROWS
    }

    /// While the terminal is too small nothing is drawn but the notice, so keys do nothing
    /// but quit (whatever key quits in this context).
    pub fn handle_key_too_small(&mut self, ev: KeyEvent) -> bool {
        if ev.kind == KeyEventKind::Release {
            return false;
        }
        let key = Key::from_event(ev);
        let quit = self.keymap.action(self.context(), key) == Some(Action::Quit)
            || (key.code == KeyCode::Char('c') && key.mods.contains(KeyModifiers::CONTROL));
        if quit {
            self.request_quit();
        }
        quit
    }

    /// The palette's entries for its current input (empty when it is not open).
    pub fn palette_entries(&self) -> Vec<palette::Entry> {
        match self.layers.last() {
            Some(Layer::Palette(p)) => palette::entries(&p.input, &self.keymap, &self.views),
            _ => Vec::new(),
        }
    }

    /// Carries out a palette entry (the palette is already closed).
    pub(super) fn run_palette(&mut self, run: palette::Run) {
        match run {
            palette::Run::Action(a) => self.update(a),
            palette::Run::SaveView(name) if name.trim().is_empty() => {
                self.message = Some(t(M::PaletteNameNeeded).to_string());
            }
            palette::Run::SaveView(name) => {
                let filter = self.states[self.pane.index()]
                    .view
                    .as_ref()
                    .map(|v| v.applied.trim().to_string());
                let Some(filter) = filter.filter(|f| !f.is_empty()) else {
                    self.message = Some(t(M::PaletteNoFilter).to_string());
                    return;
                };
                let view = views::View {
                    pane: self.pane.code().to_string(),
                    filter,
                };
                self.message = Some(match self.views.save(name.trim(), view) {
                    Ok(()) => f(M::ViewSaved, &[&name.trim()]),
                    Err(e) => f(M::ViewNotSaved, &[&e]),
                });
            }
            palette::Run::DeleteView(name) => {
                self.message = Some(match self.views.delete(&name) {
                    Ok(true) => f(M::ViewDeleted, &[&name]),
                    Ok(false) => f(M::ViewNoSuch, &[&name]),
                    Err(e) => f(M::ViewNotSaved, &[&e]),
                });
            }
            palette::Run::RenameView(old, new) if new.is_empty() => {
                self.message = Some(f(M::ViewRenameHow, &[&old]));
            }
            palette::Run::RenameView(old, new) => {
                self.message = Some(match self.views.rename(&old, &new) {
                    Ok(true) => f(M::ViewRenamed, &[&old, &new]),
                    Ok(false) => f(M::ViewNoSuch, &[&old]),
                    Err(e) => f(M::ViewNotSaved, &[&e]),
                });
            }
            palette::Run::AsOf(text) if text.trim().is_empty() => {
                self.asof = None;
                self.switch(Pane::Indicators);
                self.refresh_indicators();
            }
            palette::Run::AsOf(text) => match crate::io::parse::date("asof", &text).ok().flatten() {
                Some(d) => {
                    self.asof = Some(d);
                    self.switch(Pane::Indicators);
                    self.refresh_indicators();
                }
                None => self.message = Some(f(M::PaletteBadDate, &[&text.trim()])),
            },
            palette::Run::Export(file) => self.export(&file),
            palette::Run::Import(file) => self.open_import(&file),
            palette::Run::NewIndicator(kind) => {
                self.switch(Pane::Indicators);
                self.open_form(super::form::blank_indicator(kind), super::form::Purpose::Record);
            }
            palette::Run::LoadView(name) => {
                let Some(v) = self.views.views.get(&name).cloned() else {
                    return;
                };
                let pane = Pane::ALL.into_iter().find(|p| p.code() == v.pane).unwrap_or(self.pane);
                self.switch(pane);
                self.states[pane.index()].view = Some(View {
                    expr: v.filter,
                    ..View::default()
                });
                self.refilter(pane);
            }
        }
    }

    /// `:export [FILE]`: the rows this pane lists (its filter applied), by the file's
    /// extension as CSV for Excel (UTF-8 with BOM, `;`), XLSX, JSON or Markdown, written
    /// atomically (see `io::export`).
    fn export(&mut self, file: &str) {
        if !self.backend.is_loaded() {
            return;
        }
        if let Some((path, _)) = &self.exporting {
            self.message = Some(f(M::ExportBusy, &[&path.display()]));
            return;
        }
        // `~/` is the home directory, as in `:import`; the messages name the whole path.
        let path = if file.trim().is_empty() {
            std::path::PathBuf::from(format!("{}-{}.csv", self.pane.code(), self.today()))
        } else {
            crate::paths::expand(file.trim(), None)
        };
        let path = std::path::absolute(&path).unwrap_or(path);
        // By the extension, as `atbalsts export -o FILE` (none: CSV).
        let format = match path.extension() {
            None => ExportFormat::Csv,
            Some(ext) => match ExportFormat::of_path(&path) {
                Some(format) => format,
                None => {
                    let e = f(M::ExpErrExtension, &[&ext.to_string_lossy()]);
                    self.message = Some(f(M::ExportFailed, &[&path.display(), &e]));
                    return;
                }
            },
        };
        // Only a copy of what the rows need is taken here (the model stays on this thread);
        // the rows are built and written on the job's thread.
        let ids = self.ids(self.pane).to_vec();
        let table = self.pane.table();
        let taken = crate::io::export::Taken::of(self.backend.model(), table, ids);
        let sheet = crate::i18n::Label::label(table).to_string();
        let file = path.clone();
        let mut job = Job::spawn(move |p| taken.write(&file, format, sheet, p));
        job.shown.step = Some(Step::Gathering);
        self.message = None;
        self.exporting = Some((path, job));
    }

    /// Quits, unless an export is still being written (quitting would leave no file): then
    /// says so, and the next `q` after it ends quits.
    pub(super) fn request_quit(&mut self) {
        match &self.exporting {
            Some((path, _)) => self.message = Some(f(M::ExportBusy, &[&path.display()])),
            None => self.quit = true,
        }
    }

    /// Takes the export's progress, or says how it ended. Returns whether anything changed
    /// on screen.
    fn export_step(&mut self) -> bool {
        let Some((path, job)) = self.exporting.as_mut() else {
            return false;
        };
        let said = match job.poll() {
            Polled::Quiet => return false,
            Polled::Moved => return true,
            Polled::Finished(Ok(n)) => {
                let file = std::fs::canonicalize(&*path).unwrap_or_else(|_| path.clone());
                let said = f(M::Exported, &[&n, &file.display()]);
                match self
                    .backend
                    .note_file(crate::domain::FileKind::Export, &file.display().to_string())
                {
                    Ok(()) => said,
                    Err(e) => format!("{said} {}", f(M::NoteFileFailed, &[&file.display(), &e])),
                }
            }
            Polled::Finished(Err(e)) => f(M::ExportFailed, &[&path.display(), &crate::io::export::why(&e, path)]),
            Polled::Lost => f(M::ExportFailed, &[&path.display(), &t(M::ImsLost)]),
        };
        self.message = Some(said);
        self.exporting = None;
        true
    }

    /// Whether an export is being gathered or written.
    pub fn is_exporting(&self) -> bool {
        self.exporting.is_some()
    }

    /// How far the background export is, as one line for the status bar.
    pub fn export_progress(&self) -> Option<String> {
        self.exporting.as_ref().map(|(_, job)| {
            format!(
                "{} · {}",
                super::progress::one_line(&job.shown),
                t(M::ExportKeepWorking)
            )
        })
    }

    /// Changes the current pane's filter text and recomputes its rows.
    fn edit_filter(&mut self, f: impl FnOnce(&mut String)) {
        let i = self.pane.index();
        let view = self.states[i].view.get_or_insert_with(View::default);
        f(&mut view.expr);
        self.refilter(self.pane);
    }

    /// Recomputes a pane's rows from its filter text (the user changed it): the selection
    /// stays on its record if that is still listed, else goes to the first row.
    pub fn refilter(&mut self, pane: Pane) {
        self.filter_rows(pane);
        self.follow(pane, true);
    }

    /// Recomputes a pane's rows from its filter text. Invalid text keeps the last valid
    /// rows and shows why; text that only grew searches the previous rows.
    pub fn filter_rows(&mut self, pane: Pane) {
        let i = pane.index();
        if !self.backend.is_loaded() {
            return;
        }
        let today = self.today();
        let m = self.backend.model();
        let Some(view) = self.states[i].view.as_mut() else {
            return;
        };
        if view.fixed {
            // Drop records deleted since.
            view.ids.retain(|id| match pane {
                Pane::Partners => m.organisations.get(*id).is_some(),
                Pane::Events => m.events.get(*id).is_some(),
                Pane::Participants => m.participants.get(*id).is_some(),
                Pane::Indicators => m.indicators.get(*id).is_some(),
            });
            return;
        }
        let t0 = std::time::Instant::now();
        match Filter::parse(&view.expr, pane.table(), m) {
            Err(e) => view.error = Some(e),
            Ok(filter) => {
                let narrowing = view.narrows && crate::search::filter::extends(&view.applied, &view.expr);
                let among = narrowing.then_some(view.ids.as_slice());
                view.ids = filter.apply(m, among, today);
                view.terms = filter.terms().to_vec();
                view.narrows = filter.narrows;
                view.applied = view.expr.clone();
                view.error = None;
            }
        }
        crate::log!(
            "filter ({} chars): {} rows in {:.2} ms",
            view.expr.chars().count(),
            view.ids.len(),
            t0.elapsed().as_secs_f64() * 1e3
        );
    }

    /// Lines of the selected record's whole detail (nothing left out), for scrolling it.
    pub fn detail_lines(&self) -> usize {
        ui::detail_of(self, usize::MAX / 4).1.len()
    }

    /// Visible table rows at the current size.
    pub fn page(&self) -> usize {
        ui::table_rows(self.size).max(1)
    }

    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.size = (cols, rows);
        for p in Pane::ALL {
            self.scroll_into_view(p);
        }
    }

    fn scroll_into_view(&mut self, pane: Pane) {
        let page = self.page();
        let n = self.rows(pane);
        let st = &mut self.states[pane.index()];
        st.selected = select::clamp(st.selected, n);
        st.offset = select::in_view(st.selected, st.offset, page).min(n.saturating_sub(page));
    }

    fn move_by(&mut self, delta: isize) {
        let n = self.rows(self.pane);
        if n == 0 {
            return;
        }
        let st = &mut self.states[self.pane.index()];
        st.selected = select::step(st.selected, delta, n);
        self.scroll_into_view(self.pane);
        self.mark(self.pane);
    }

    fn switch(&mut self, pane: Pane) {
        self.pane = pane;
        if let Some(last) = &mut self.last_pane {
            last.remember(pane);
        }
        self.refresh_stale(pane);
        if pane == Pane::Indicators && self.outcomes_stale {
            self.refresh_indicators();
        }
        self.scroll_into_view(pane);
    }

    /// Applies one action: the top layer's, or the panes' when nothing is over them.
    pub fn update(&mut self, a: Action) {
        // The messages open over anything (a key bound to them is no text anywhere).
        if a == Action::Messages {
            return self.open_messages();
        }
        if self.layers.is_empty() {
            self.list_action(a);
        } else {
            self.with_top(|layer, app| layer.on_action(a, app));
        }
    }

    /// Actions that work from any layer that has no use for them.
    pub(super) fn global_action(&mut self, a: Action) {
        match a {
            Action::Quit => self.request_quit(),
            Action::Help => self.open(Layer::Help(Help::default())),
            Action::History => self.open_history(),
            Action::Palette => self.open(Layer::Palette(PaletteState::default())),
            Action::Messages => self.open_messages(),
            _ => {}
        }
    }

    /// An action for the panes.
    pub(super) fn list_action(&mut self, a: Action) {
        let page = self.page();
        match a {
            Action::Quit | Action::Help | Action::History | Action::Palette => self.global_action(a),
            Action::Close => {}
            Action::PanePartners => self.switch(Pane::Partners),
            Action::PaneEvents => self.switch(Pane::Events),
            Action::PaneParticipants => self.switch(Pane::Participants),
            Action::PaneIndicators => self.switch(Pane::Indicators),
            Action::NextPane => self.switch(Pane::ALL[(self.pane.index() + 1) % 4]),
            Action::PrevPane => self.switch(Pane::ALL[(self.pane.index() + 3) % 4]),
            a if let Some(delta) = super::select::moved(a, page) => self.move_by(delta),
            Action::Filter if !self.filtering() => {
                let view = &mut self.states[self.pane.index()].view;
                if view.as_ref().is_some_and(|v| v.fixed) {
                    *view = None;
                }
                let fresh = view.is_none();
                view.get_or_insert_with(View::default);
                // A new, empty filter lists every row until something is typed.
                if fresh {
                    self.filter_rows(self.pane);
                }
                self.open(Layer::Filter);
            }
            Action::Add => self.add(),
            Action::Edit => self.edit(),
            Action::Delete => self.ask_delete(),
            Action::Undo => self.undo(None),
            Action::CheckIn => self.open_desk(),
            Action::Attendance => self.open_roster(),
            Action::OpenGaps => self.open_gaps(),
            Action::Detail if self.selected_id(self.pane).is_some() && self.zoom().is_none() => {
                self.open(Layer::Zoom(0))
            }
            Action::Import => self.open_import(""),
            Action::Duplicates => self.open_dups(),
            Action::Project => self.open(Layer::Project(super::project::ProjectView::default())),
            Action::Documents => match self.selected_id(Pane::Partners).filter(|_| self.pane == Pane::Partners) {
                Some(id) => self.open(Layer::Documents(super::documents::Documents {
                    org: crate::domain::OrgId(id),
                    selected: 0,
                })),
                None => self.message = Some(t(M::DocChoosePartner).to_string()),
            },
            Action::Values => self.open_values(),
            _ => {}
        }
    }

    /// Leaves the filter line: an empty filter is dropped (`clear`: any filter is).
    pub(super) fn filter_done(&mut self, clear: bool) {
        let i = self.pane.index();
        if clear || self.states[i].view.as_ref().is_some_and(|v| v.expr.trim().is_empty()) {
            self.states[i].view = None;
            self.follow(self.pane, false);
        }
    }

    /// Edits the pane's filter text by a line-editing action.
    pub(super) fn edit_filter_by(&mut self, a: Action) {
        self.edit_filter(|s| {
            input::edit_at_end(s, a);
        });
    }

    /// Adds typed text to the pane's filter.
    pub(super) fn type_filter(&mut self, text: &str) {
        self.edit_filter(|s| s.push_str(text));
    }
}
