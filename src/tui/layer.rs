//! The overlay stack: what lies over the four panes, bottom to top (a filter being typed,
//! the zoomed detail, the attendance list, the desk, a form, a question, help, the
//! palette). The top layer alone decides the key context, takes each Action and answers
//! with [`Effect`]s; [`App::run`](super::app::App::run) carries them out in one place, and
//! the screen draws the layers in stack order.

use super::app::App;
use super::desk::{Desk, Notice, Roster};
use super::form::{Form, Purpose};
use super::input;
use super::keymap::{Action, Context};
use super::palette;
use crate::command::Command;
use crate::domain::{AnyRecord, AttendanceId, AttendanceStatus, EventId, ParticipantId, Table};
use crate::i18n::{M, f, t};

/// One thing over the panes.
#[derive(Clone, Debug)]
pub enum Layer {
    /// Typing into the pane's filter line.
    Filter,
    /// The selected record's detail over the whole pane, scrolled this many lines (`v`).
    Zoom(usize),
    /// An event's attendance list.
    Roster(Roster),
    /// An event's check-in desk.
    Desk(Desk),
    /// A form for one record.
    Form(Box<Form>),
    /// A yes/no question.
    Confirm(Confirm),
    /// Every key binding, or the change log.
    Help(Help),
    /// The command palette.
    Palette(PaletteState),
    /// `:import`: a file's path, then a preview of what importing it would do.
    Import(Box<super::import::Import>),
    /// `:duplicates`: probable duplicate people, to merge or skip.
    Dups(super::dups::Dups),
    /// The project view.
    Project(super::project::ProjectView),
    /// A partner's documents and yearly figures.
    Documents(super::documents::Documents),
    /// The small form over the project, a partner's document or year.
    Editor(Box<super::editor::Editor>),
    /// An indicator's values entered by hand.
    Values(super::values::Values),
}

/// The help overlay's state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Help {
    pub scroll: usize,
    /// Only lines that contain this are listed.
    pub filter: String,
    pub page: Page,
}

/// What the help overlay lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Page {
    /// Every key binding.
    #[default]
    Keys,
    /// The database's change log, newest first (undos included).
    History,
    /// The last messages shown, whole, newest first, with who else is on now.
    Messages,
}

/// The command palette's input and chosen line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PaletteState {
    pub input: String,
    pub selected: usize,
}

/// What a yes/no question does on yes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pending {
    Delete(Table, u32),
    /// Throw away what was typed in the form under the question.
    DiscardForm,
    /// Mark everyone registered at the event but not checked in as absent.
    RestAbsent(EventId),
    /// Save the form's participant although it looks like an existing one (`o` opens it).
    SaveDuplicate(u32),
    /// Quit although the open form has unsaved input.
    Quit,
    /// Erase a participant together with their attendance rows.
    Erase(u32),
    /// Open the check-in desk although the event is cancelled or not today.
    OpenDesk(EventId),
    /// Apply the import previewed in the layer under the question.
    Import,
    /// Merge person `other` into person `keep`.
    Merge {
        keep: u32,
        other: u32,
    },
    /// Remove a document or a year from a partner, as the partner was when asked.
    RemovePartnerItem(crate::domain::OrgId, super::documents::Item, crate::domain::Meta),
    /// Delete an event together with its attendance rows (one change).
    DeleteEventWithRows(EventId),
    /// Delete an indicator's value entered by hand (by its index), as the indicator was
    /// when asked.
    RemoveValue(crate::domain::IndicatorId, usize, crate::domain::Meta),
}

/// A yes/no question over the screen.
#[derive(Clone, Debug)]
pub struct Confirm {
    pub question: String,
    pub pending: Pending,
}

/// Where a change was made, so the desk can undo its own check-ins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Screen,
    Desk(EventId),
}

/// What a layer asks for in answer to an Action. Carried out in order by `App::run`.
#[derive(Clone, Debug)]
pub enum Effect {
    /// Take the top layer off.
    Close,
    /// Put a layer on top.
    Open(Box<Layer>),
    /// The action is for what lies under this layer: the panes.
    Pass(Action),
    /// Not this layer's: help, the change log and quitting work from anywhere.
    Global(Action),
    Quit,
    /// A line in the status bar.
    Say(String),
    /// Apply a command; on success say `done` (if any), on failure why.
    Apply {
        cmd: Box<Command>,
        origin: Origin,
        done: Option<String>,
    },
    /// Ask before doing something that cannot be taken back lightly.
    AskDelete(Table, u32),
    Delete(Table, u32),
    Erase(u32),
    /// Mark everyone still only registered at the event absent (one change).
    RestAbsent(EventId),
    /// The panes catch up with what changed under the desk or the attendance list.
    CatchUp,
    CheckIn(EventId, ParticipantId),
    /// Open the desk of an event (asking first if it is cancelled or not today).
    OpenDesk(EventId),
    /// A form for someone not in the database, prefilled from what was typed at the desk.
    WalkIn(EventId, String),
    /// A form for a new attendance row of the event.
    AddAttendance(EventId),
    /// A form for an existing record.
    EditRecord(Table, u32),
    /// Undo my last change (at a desk: its last check-in).
    Undo(Option<EventId>),
    /// Save the form on top (`anyway`: although it looks like an existing person).
    SaveForm {
        anyway: bool,
    },
    /// Instead of the form's new person, the existing one: checked in at a desk, else opened.
    UseExisting(u32),
    /// Carry out the palette's chosen entry.
    RunPalette(palette::Run),
    /// Edit the pane's filter text.
    EditFilter(Action),
    /// Add typed (or pasted) text to the pane's filter.
    TypeFilter(String),
    /// Leave the filter line (an empty filter is dropped).
    FilterDone,
    /// Leave the filter line and drop the filter.
    FilterClear,
    /// Apply the import previewed in the import layer on top (one change).
    ImportApply,
    /// Merge person `other` into person `keep` (one change).
    Merge {
        keep: u32,
        other: u32,
    },
    /// Save the small editor on top (it stays open on a problem).
    SaveEditor,
    /// Delete an event with its attendance rows, in one change and one undo step.
    DeleteEventWithRows(EventId),
    /// The form for an indicator's value entered by hand: a new one, or the one at this
    /// index (prefilled; saving replaces it).
    ValueForm(crate::domain::IndicatorId, Option<usize>),
}

impl Layer {
    /// The context whose key bindings apply while this layer is on top.
    pub fn context(&self) -> Context {
        match self {
            Layer::Filter => Context::Filter,
            Layer::Zoom(_) => Context::List,
            Layer::Roster(r) if r.searching => Context::Filter,
            Layer::Roster(_) => Context::Attendance,
            Layer::Desk(_) => Context::Desk,
            Layer::Form(_) => Context::Form,
            Layer::Confirm(_) => Context::Confirm,
            Layer::Help(_) => Context::Help,
            Layer::Palette(_) => Context::Palette,
            Layer::Import(im) => im.context(),
            Layer::Dups(_) => Context::Review,
            Layer::Project(_) | Layer::Documents(_) => Context::List,
            Layer::Editor(_) => Context::Form,
            Layer::Values(_) => Context::List,
        }
    }

    /// Whether the layer takes the whole screen (the panes under it are not drawn).
    pub fn covers(&self) -> bool {
        matches!(self, Layer::Roster(_) | Layer::Desk(_))
    }

    /// This layer's answer to an action; `app` is the screen under it (read only).
    pub fn on_action(&mut self, a: Action, app: &App) -> Vec<Effect> {
        match self {
            Layer::Filter => filter_action(a),
            Layer::Zoom(scroll) => zoom_action(scroll, a, app),
            Layer::Roster(r) => roster_action(r, a, app),
            Layer::Desk(d) => desk_action(d, a, app),
            Layer::Form(form) => form_action(form, a, app),
            Layer::Confirm(c) => answer(c, a, app),
            Layer::Help(h) => help_action(h, a, app),
            Layer::Palette(p) => palette_action(p, a, app),
            Layer::Import(im) => super::import::on_action(im, a, app),
            Layer::Dups(d) => super::dups::on_action(d, a, app),
            Layer::Project(v) => super::project::on_action(v, a, app),
            Layer::Documents(d) => super::documents::on_action(d, a, app),
            Layer::Editor(e) => e.on_action(a, app.model()),
            Layer::Values(v) => super::values::on_action(v, a, app),
        }
    }

    /// A printable character typed while this layer is on top (text layers only).
    pub fn on_char(&mut self, c: char, app: &App) -> Vec<Effect> {
        match self {
            Layer::Form(form) => {
                form.key(app.model(), None, Some(c));
                vec![]
            }
            Layer::Desk(d) => {
                d.type_char(app.model(), c);
                vec![]
            }
            Layer::Help(h) => {
                h.filter.push(c);
                h.scroll = 0;
                vec![]
            }
            Layer::Palette(p) => {
                p.input.push(c);
                p.selected = 0;
                vec![]
            }
            Layer::Filter => vec![Effect::TypeFilter(c.to_string())],
            Layer::Roster(r) if r.searching => {
                let mut q = r.query.clone();
                q.push(c);
                r.set_query(app.model(), q);
                vec![]
            }
            Layer::Zoom(_) | Layer::Roster(_) | Layer::Confirm(_) => vec![],
            Layer::Import(im) => {
                super::import::on_char(im, c);
                vec![]
            }
            Layer::Dups(_) => vec![],
            Layer::Project(_) | Layer::Documents(_) => vec![],
            Layer::Editor(e) => {
                e.type_char(app.model(), c);
                vec![]
            }
            Layer::Values(_) => vec![],
        }
    }
}

fn filter_action(a: Action) -> Vec<Effect> {
    match a {
        Action::FilterAccept => vec![Effect::Close, Effect::FilterDone],
        Action::FilterClear => vec![Effect::Close, Effect::FilterClear],
        a if input::is_edit(a) => vec![Effect::EditFilter(a)],
        // Moving in the list while typing, help, the palette...
        a => vec![Effect::Pass(a)],
    }
}

fn zoom_action(scroll: &mut usize, a: Action, app: &App) -> Vec<Effect> {
    let last = super::select::last(app.detail_lines());
    let page = app.page();
    *scroll = match a {
        Action::Detail | Action::Close => return vec![Effect::Close],
        Action::MoveDown => (*scroll + 1).min(last),
        Action::MoveUp => scroll.saturating_sub(1),
        Action::PageDown => (*scroll + page).min(last),
        Action::PageUp => scroll.saturating_sub(page),
        Action::First => 0,
        Action::Last => last,
        // Over the detail, which stays open under them.
        Action::Help | Action::History | Action::Palette | Action::Quit => return vec![Effect::Global(a)],
        // Anything else leaves the detail and does what it does in the list.
        a => return vec![Effect::Close, Effect::Pass(a)],
    };
    vec![]
}

fn help_action(h: &mut Help, a: Action, app: &App) -> Vec<Effect> {
    let page = app.page();
    h.scroll = match a {
        // Backspace, Ctrl-W, Ctrl-U (clears it)...: the filter is edited as any line.
        a if input::is_edit(a) => {
            input::edit_at_end(&mut h.filter, a);
            h.scroll = 0;
            return vec![];
        }
        Action::Close | Action::Help => return vec![Effect::Close],
        Action::Quit => return vec![Effect::Quit],
        Action::MoveDown => h.scroll + 1,
        Action::MoveUp => h.scroll.saturating_sub(1),
        Action::PageDown => h.scroll + page,
        Action::PageUp => h.scroll.saturating_sub(page),
        Action::First => 0,
        Action::Last => usize::MAX / 2,
        _ => h.scroll,
    };
    h.scroll = super::select::clamp(h.scroll, super::ui::help_lines(app, h));
    vec![]
}

fn palette_action(p: &mut PaletteState, a: Action, app: &App) -> Vec<Effect> {
    let entries = palette::entries(&p.input, &app.keymap, &app.views);
    match a {
        Action::Close | Action::FilterClear => vec![Effect::Close],
        Action::Run | Action::FilterAccept => {
            let chosen = entries.get(super::select::clamp(p.selected, entries.len())).cloned();
            match chosen {
                Some(e) => vec![Effect::Close, Effect::RunPalette(e.run)],
                None => vec![],
            }
        }
        Action::MoveDown => {
            p.selected = super::select::step(p.selected, 1, entries.len());
            vec![]
        }
        Action::MoveUp => {
            p.selected = super::select::step(p.selected, -1, entries.len());
            vec![]
        }
        Action::Quit => vec![Effect::Quit],
        a if input::is_edit(a) => {
            input::edit_at_end(&mut p.input, a);
            p.selected = 0;
            vec![]
        }
        _ => vec![],
    }
}

fn form_action(form: &mut Form, a: Action, app: &App) -> Vec<Effect> {
    let ask = |question: M, pending| {
        vec![Effect::Open(Box::new(Layer::Confirm(Confirm {
            question: t(question).to_string(),
            pending,
        })))]
    };
    match a {
        Action::Close if form.fields.get(form.focus).is_some_and(|f| f.picking()) => {
            form.key(app.model(), Some(a), None);
            vec![]
        }
        Action::Close if form.touched => ask(M::AskDiscard, Pending::DiscardForm),
        Action::Close => vec![Effect::Close],
        Action::Quit if form.touched => ask(M::AskQuitForm, Pending::Quit),
        Action::Quit => vec![Effect::Quit],
        _ if form.key(app.model(), Some(a), None) => vec![Effect::SaveForm { anyway: false }],
        _ => vec![],
    }
}

/// Keys while a question is asked. Enter answers yes only where nothing is lost or changed
/// for good; any key that is not an answer leaves the question open.
fn answer(c: &Confirm, a: Action, app: &App) -> Vec<Effect> {
    let a = match (a, &c.pending) {
        (Action::Run, Pending::OpenDesk(_)) => Action::Yes,
        (a, _) => a,
    };
    let then = match (a, &c.pending) {
        (Action::Yes, Pending::Delete(table, id)) => Effect::Delete(*table, *id),
        // Closes the form under the question too.
        (Action::Yes, Pending::DiscardForm) => Effect::Close,
        (Action::Yes, Pending::RestAbsent(event)) => Effect::RestAbsent(*event),
        (Action::Yes, Pending::SaveDuplicate(_)) => Effect::SaveForm { anyway: true },
        (Action::Yes, Pending::Quit) | (Action::Quit, _) => return vec![Effect::Quit],
        (Action::Yes, Pending::Erase(id)) => Effect::Erase(*id),
        (Action::Yes, Pending::OpenDesk(event)) => Effect::Open(Box::new(Layer::Desk(Desk::new(app.model(), *event)))),
        (Action::Edit, Pending::SaveDuplicate(id)) => Effect::UseExisting(*id),
        (Action::Yes, Pending::Import) => Effect::ImportApply,
        (Action::Yes, Pending::Merge { keep, other }) => Effect::Merge {
            keep: *keep,
            other: *other,
        },
        (Action::Yes, Pending::RemovePartnerItem(org, item, meta)) => super::documents::remove(app, *org, *item, *meta),
        (Action::Yes, Pending::DeleteEventWithRows(event)) => Effect::DeleteEventWithRows(*event),
        (Action::Yes, Pending::RemoveValue(id, index, meta)) => super::values::remove(app, *id, *index, *meta),
        (Action::No | Action::Close, _) => return vec![Effect::Close],
        _ => return vec![],
    };
    vec![Effect::Close, then]
}

fn desk_action(desk: &mut Desk, a: Action, app: &App) -> Vec<Effect> {
    let page = app.desk_page();
    let m = app.model();
    match a {
        Action::Close => return vec![Effect::Close, Effect::CatchUp],
        Action::Quit => return vec![Effect::Quit],
        Action::MoveDown => desk.move_by(1, page),
        Action::MoveUp => desk.move_by(-1, page),
        Action::PageDown => desk.move_by(page as isize, page),
        Action::PageUp => desk.move_by(-(page as isize), page),
        Action::Run => match desk.to_check_in() {
            Some(p) => return vec![Effect::CheckIn(desk.event, p)],
            None if desk.input.text().trim().is_empty() => {
                desk.notice = Some(Notice::Failed(t(M::DeskTypeName).to_string()));
            }
            None => {
                desk.notice = Some(Notice::Failed(t(M::DeskNoMatch).to_string()));
                desk.ready(m, false);
            }
        },
        Action::Undo => return vec![Effect::Undo(Some(desk.event))],
        Action::WalkIn => return vec![Effect::WalkIn(desk.event, desk.input.text().to_string())],
        a if input::is_edit(a) && desk.input.edit(a) => {
            desk.replace = false;
            desk.search(m);
        }
        a => return vec![Effect::Global(a)],
    }
    vec![]
}

fn roster_action(roster: &mut Roster, a: Action, app: &App) -> Vec<Effect> {
    let page = super::overlay::roster_rows(app.size);
    let event = roster.event;
    let chosen = roster.chosen();
    if roster.searching {
        match a {
            Action::FilterAccept => roster.searching = false,
            Action::FilterClear => {
                roster.searching = false;
                roster.set_query(app.model(), String::new());
            }
            a if input::is_edit(a) => {
                let mut q = roster.query.clone();
                input::edit_at_end(&mut q, a);
                roster.set_query(app.model(), q);
            }
            Action::MoveDown => roster.move_by(1, page),
            Action::MoveUp => roster.move_by(-1, page),
            Action::PageDown => roster.move_by(page as isize, page),
            Action::PageUp => roster.move_by(-(page as isize), page),
            a => return vec![Effect::Global(a)],
        }
        return vec![];
    }
    match a {
        Action::Filter => {
            roster.searching = true;
            return vec![];
        }
        // Esc first drops a search, then leaves the list.
        Action::Close if !roster.query.is_empty() => roster.set_query(app.model(), String::new()),
        Action::Close => return vec![Effect::Close, Effect::CatchUp],
        Action::Quit => return vec![Effect::Quit],
        a if let Some(delta) = super::select::moved(a, page) => roster.move_by(delta, page),
        Action::CheckIn => return vec![Effect::OpenDesk(event)],
        Action::Undo => return vec![Effect::Undo(None)],
        Action::Add => return vec![Effect::AddAttendance(event)],
        Action::Edit => {
            return chosen
                .map(|id| Effect::EditRecord(Table::Attendance, id.0))
                .into_iter()
                .collect();
        }
        Action::Delete => {
            return chosen
                .map(|id| Effect::AskDelete(Table::Attendance, id.0))
                .into_iter()
                .collect();
        }
        Action::ToggleAttended => {
            let next = |s| match s {
                AttendanceStatus::Attended => AttendanceStatus::Registered,
                _ => AttendanceStatus::Attended,
            };
            let fx = set_status(app, chosen, next);
            // On to the next name, as when ticking a paper list.
            roster.move_by(1, page);
            return fx;
        }
        Action::MarkAbsent => return set_status(app, chosen, |_| AttendanceStatus::Absent),
        Action::MarkExcused => return set_status(app, chosen, |_| AttendanceStatus::Excused),
        Action::MarkRestAbsent => {
            let n = rest(app.model(), event).len();
            return vec![Effect::Open(Box::new(Layer::Confirm(Confirm {
                question: f(M::AskRestAbsent, &[&n]),
                pending: Pending::RestAbsent(event),
            })))];
        }
        a => return vec![Effect::Global(a)],
    }
    vec![]
}

/// The change of an attendance row's status (ticking attended records the time; the store
/// records who).
fn set_status(app: &App, id: Option<AttendanceId>, to: impl Fn(AttendanceStatus) -> AttendanceStatus) -> Vec<Effect> {
    let Some(a) = id.and_then(|id| app.model().attendance.get(id.0)) else {
        return vec![];
    };
    let mut a = a.clone();
    a.status = to(a.status);
    if a.status == AttendanceStatus::Attended {
        a.checked_in_at = Some(app.now());
    }
    let origin = Origin::Desk(a.event);
    vec![Effect::Apply {
        cmd: Box::new(Command::Update(AnyRecord::Attendance(a))),
        origin,
        done: None,
    }]
}

/// Registered at `event` and not (yet) marked: attended, absent or excused.
pub fn rest(m: &crate::model::Model, event: EventId) -> Vec<AttendanceId> {
    m.attendance_of_event(event)
        .iter()
        .copied()
        .filter(|id| {
            m.attendance
                .get(id.0)
                .is_some_and(|a| a.status == AttendanceStatus::Registered)
        })
        .collect()
}

/// Whether the form on top is a walk-in at a desk (the question under it then offers to
/// check the existing person in).
pub fn walk_in_form(layers: &[Layer]) -> bool {
    layers
        .iter()
        .rev()
        .find_map(|l| match l {
            Layer::Form(f) => Some(matches!(f.purpose, Purpose::WalkIn(_))),
            _ => None,
        })
        .unwrap_or(false)
}
