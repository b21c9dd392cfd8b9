//! Applying what the views ask (their effects): forms opened and saved, deletes
//! confirmed, undo, check-ins at the desk and the attendance list. Every change goes
//! through the store's Command seam; afterwards the affected panes, lists and indicators
//! are brought up to date.

use crate::backend::Event as BackendEvent;
use crate::command::{Change, Command};
use crate::domain::{AnyRecord, Attendance, AttendanceStatus, Definition, EventId, ParticipantId, Table};
use crate::i18n::{self, M, f, t};
use crate::model::Model;
use crate::store::StoreError;
use crate::tui::app::{App, Pane, View};
use crate::tui::changes::*;
use crate::tui::desk::{Desk, Notice, Roster};
use crate::tui::form::{self, Form, Purpose};
use crate::tui::layer::{Confirm, Effect, Help, Layer, Origin, Page, Pending};

impl App {
    /// `:history`: the database's change log, newest first (the last 2000 changes).
    pub fn open_history(&mut self) {
        match self.backend.history(2000) {
            Ok(entries) => {
                let m = self.backend.model();
                self.journal = entries.iter().map(|e| log_line(m, e)).collect();
                self.open(Layer::Help(Help {
                    page: Page::History,
                    ..Help::default()
                }));
            }
            Err(e) => self.message = Some(e.message()),
        }
    }

    /// Opens a form over the screen.
    pub fn open_form(&mut self, record: AnyRecord, purpose: Purpose) {
        if !self.backend.is_loaded() {
            self.message = Some(t(M::Loading).to_string());
            return;
        }
        let form = Form::new(self.backend.model(), record, purpose, self.today());
        self.open(Layer::Form(Box::new(form)));
    }

    /// `a`: a new record of the pane's kind (on Indicators: a value by hand).
    pub fn add(&mut self) {
        if self.pane == Pane::Indicators {
            let Some(i) = self
                .selected_id(Pane::Indicators)
                .and_then(|id| self.backend.model().indicators.get(id))
            else {
                return;
            };
            if i.definition != Definition::Manual {
                self.message = Some(t(M::IndicatorComputed).to_string());
                return;
            }
            let r = AnyRecord::Indicator(i.clone());
            return self.open_form(r, Purpose::ManualValue(None));
        }
        self.open_form(AnyRecord::blank(self.pane.table(), None, self.today()), Purpose::Record);
    }

    /// `V` on a manual indicator: its values entered by hand, to edit or delete one by one.
    pub fn open_values(&mut self) {
        let chosen = (self.pane == Pane::Indicators)
            .then(|| self.selected_id(Pane::Indicators))
            .flatten()
            .and_then(|id| self.backend.model().indicators.get(id));
        let Some(i) = chosen else {
            self.message = Some(t(M::ValChooseIndicator).to_string());
            return;
        };
        if i.definition != Definition::Manual && i.values.is_empty() {
            self.message = Some(t(M::IndicatorComputed).to_string());
            return;
        }
        let id = i.id;
        self.open(Layer::Values(crate::tui::values::Values {
            indicator: id,
            selected: 0,
        }));
    }

    /// The form for a manual indicator's value: a new one, or the one at `edited`.
    fn open_value_form(&mut self, id: crate::domain::IndicatorId, edited: Option<usize>) {
        if let Some(i) = self.backend.model().indicators.get(id.0) {
            let r = AnyRecord::Indicator(i.clone());
            self.open_form(r, Purpose::ManualValue(edited));
        }
    }

    /// `e`/Enter: edit the selected record.
    pub fn edit(&mut self) {
        let Some(id) = self.selected_id(self.pane) else {
            return;
        };
        if let Some(r) = self.backend.model().record(self.pane.table(), id) {
            self.open_form(r, Purpose::Record);
        }
    }

    /// `d`: asks before deleting the selected record.
    pub fn ask_delete(&mut self) {
        let Some(id) = self.selected_id(self.pane) else {
            return;
        };
        self.ask_delete_of(self.pane.table(), id);
    }

    fn ask_delete_of(&mut self, table: Table, id: u32) {
        let m = self.backend.model();
        let Some(r) = m.record(table, id) else {
            return;
        };
        // A person is erased, not just deleted: their rows stay without them, and the
        // database files are rewritten so that nothing of them is left (store::compact).
        let rows = m.attendance_of_person(ParticipantId(id)).len();
        if table == Table::Participant {
            let question = if rows > 0 {
                f(M::AskEraseKeep, &[&record_label(m, &r), &rows])
            } else {
                f(M::AskDelete, &[&i18n::record_name(table), &record_label(m, &r)])
            };
            return self.open(Layer::Confirm(Confirm {
                question,
                pending: Pending::Erase(id),
            }));
        }
        // Refused before the question, naming what holds the record.
        if let Some(why) = delete_refusal(m, table, id, &record_label(m, &r)) {
            self.message = Some(why);
            return;
        }
        let rows = match table {
            Table::Event => m.attendance_of_event(EventId(id)).len(),
            _ => 0,
        };
        let values = match &r {
            AnyRecord::Indicator(i) => i.values.len(),
            _ => 0,
        };
        let (question, pending) = if rows > 0 {
            let q = f(M::AskDeleteEventRows, &[&record_label(m, &r), &rows]);
            (q, Pending::DeleteEventWithRows(EventId(id)))
        } else if values > 0 {
            // What else goes: the values entered by hand.
            let q = f(M::AskDeleteIndicatorValues, &[&record_label(m, &r), &values]);
            (q, Pending::Delete(table, id))
        } else {
            let q = f(M::AskDelete, &[&i18n::record_name(table), &record_label(m, &r)]);
            (q, Pending::Delete(table, id))
        };
        self.open(Layer::Confirm(Confirm { question, pending }));
    }

    /// Deletes an event with its attendance rows: one change, one undo step.
    fn delete_event_with_rows(&mut self, event: EventId) {
        let m = self.backend.model();
        let mut parts: Vec<Command> = m
            .attendance_of_event(event)
            .iter()
            .map(|a| Command::Delete {
                table: Table::Attendance,
                id: a.0,
            })
            .collect();
        parts.push(Command::Delete {
            table: Table::Event,
            id: event.0,
        });
        self.message = Some(match self.apply(Command::Batch(parts), Origin::Screen) {
            Ok(ch) => describe(self.backend.model(), &ch),
            Err(e) => e.message(),
        });
    }

    /// Applies a command made on this screen: on success records it for undo and brings
    /// the screen up to date; on failure says why in the status bar.
    pub fn apply(&mut self, cmd: Command, origin: Origin) -> Result<Change, StoreError> {
        let change = self.backend.apply(cmd)?;
        self.history.push((change.clone(), origin));
        self.after_change(&change);
        Ok(change)
    }

    /// Takes what the backend reports (the load finished, others' changes, the connection);
    /// returns whether the screen needs drawing again.
    pub fn poll_backend(&mut self) -> Result<bool, StoreError> {
        let events = self.backend.poll();
        let redraw = !events.is_empty();
        for e in events {
            match e {
                BackendEvent::Loaded => {
                    self.on_loaded();
                    // The connection was lost before the first snapshot came whole, and
                    // the server answered again: say so instead of still "reconnecting".
                    if self.message.as_deref() == Some(t(M::ServerLost)) {
                        self.message = Some(t(M::ServerBack).to_string());
                    }
                    crate::log!(
                        "loaded_ms={:.1} records={}",
                        crate::log::since_start_ms(),
                        self.backend.model().total()
                    );
                }
                BackendEvent::Failed(e) => return Err(e),
                BackendEvent::Changed { change, .. } => self.after_change(&change),
                BackendEvent::Disconnected => self.message = Some(t(M::ServerLost).to_string()),
                BackendEvent::Reconnected => {
                    // A fresh replica: every total and list is rebuilt, selections kept by id.
                    self.aggregates = None;
                    self.refresh_after(None);
                    self.message = Some(t(M::ServerBack).to_string());
                }
                BackendEvent::Peers => {}
            }
        }
        Ok(redraw)
    }

    /// Brings lists, the desk and the indicators up to date after `change`. Panes showing
    /// a filter are re-filtered now if they are in view, else when next shown; attendance
    /// changes (check-ins) leave the panes for later, so the desk stays fast.
    pub fn after_change(&mut self, change: &Change) {
        if let Some(agg) = self.aggregates.as_mut() {
            match change {
                Change::Batch(_) => self.backend.replay(change, &mut |m, part| agg.apply(m, part)),
                single => agg.apply(self.backend.model(), single),
            }
        }
        // One table if every part is of it (e.g. "mark the rest absent"), else any.
        let mut tables = change.parts().into_iter().map(|p| match p {
            Change::Created(r) | Change::Deleted(r) => Some(r.table()),
            Change::Updated { after, .. } => Some(after.table()),
            _ => None,
        });
        let first = tables.next().flatten();
        let table = if tables.all(|t| t == first) { first } else { None };
        self.refresh_after(table);
    }

    /// Brings lists, the desk and the indicators up to date after a change to records of
    /// `table` (`None`: any).
    fn refresh_after(&mut self, table: Option<Table>) {
        for p in Pane::ALL {
            let affected = match table {
                Some(Table::Attendance) => matches!(p, Pane::Events | Pane::Participants),
                Some(t) => t == p.table() || t == Table::Organisation,
                None => true,
            };
            if affected && self.states[p.index()].view.is_some() {
                self.stale[p.index()] = true;
            }
        }
        if !self.layers().iter().any(Layer::covers) {
            self.refresh_stale(self.pane);
        }
        for p in Pane::ALL {
            // A list in the model's order (no filter) may have moved its records.
            let reordered = self.states[p.index()].view.is_none() && table.is_none_or(|t| t == p.table());
            if reordered {
                self.follow(p, false);
            } else {
                self.clamp(p);
            }
        }
        self.refresh_layers();
        self.refresh_indicators();
    }

    /// Re-runs a pane's filter if a change may have made it out of date, keeping the
    /// selection on the same record where it is still listed.
    pub fn refresh_stale(&mut self, pane: Pane) {
        let i = pane.index();
        if !std::mem::take(&mut self.stale[i]) {
            return;
        }
        if let Some(v) = self.states[i].view.as_mut() {
            v.narrows = false;
            v.applied.clear();
        }
        self.filter_rows(pane);
        self.follow(pane, false);
    }

    /// Selects record `id` in a pane if it is listed there.
    pub fn select(&mut self, pane: Pane, id: u32) {
        if let Some(pos) = self.ids(pane).iter().position(|x| *x == id) {
            self.states[pane.index()].selected = pos;
            self.clamp(pane);
            self.mark(pane);
        }
    }

    fn clamp(&mut self, pane: Pane) {
        let page = self.page();
        let n = self.rows(pane);
        let st = &mut self.states[pane.index()];
        super::select::move_in_list(&mut st.selected, &mut st.offset, n, 0, page);
    }

    /// `u`: undoes the last change this user made here (or, at a desk, its last check-in),
    /// as a new change of its own.
    pub fn undo(&mut self, desk: Option<EventId>) {
        let pos = match desk {
            Some(e) => self.history.iter().rposition(|(_, o)| *o == Origin::Desk(e)),
            None => self.history.len().checked_sub(1),
        };
        let Some((change, origin)) = pos.map(|p| self.history.remove(p)) else {
            let msg = t(M::NothingToUndo).to_string();
            return self.notify_failure(desk, msg);
        };
        let Some(cmd) = change.inverse() else {
            self.message = Some(t(M::CannotUndo).to_string());
            return;
        };
        match self.backend.apply(Command::Undo(Box::new(cmd))) {
            Ok(undone) => {
                // The records it touched have new versions: my earlier changes to them can
                // still be undone after this one.
                for (earlier, _) in self.history.iter_mut() {
                    earlier.rebase_onto(&undone);
                }
                self.after_change(&undone);
                let said = describe(self.backend.model(), &change);
                let (m, desk_layer) = self.model_and_desk();
                match desk_layer.filter(|_| desk.is_some()) {
                    // The desk's line says "↶ UNDONE" itself; the list drops a row undone.
                    Some(d) => {
                        d.search(m);
                        d.notice = Some(Notice::Undone(said));
                    }
                    None => self.message = Some(describe_undo(self.backend.model(), &change)),
                }
            }
            Err(e) => {
                // Keep it: the user may fix what stands in the way and try again.
                self.history.push((change, origin));
                self.notify_failure(desk, f(M::UndoFailed, &[&e.message()]));
            }
        }
    }

    /// Says why something failed: on the desk's line when at a desk, else in the status bar.
    fn notify_failure(&mut self, desk: Option<EventId>, msg: String) {
        match self.model_and_desk().1.filter(|_| desk.is_some()) {
            Some(d) => d.notice = Some(Notice::Failed(msg)),
            None => self.message = Some(msg),
        }
    }

    /// Saves the open form: reads and checks it, warns of a probable duplicate
    /// participant first (unless `anyway`), then creates or updates the record.
    pub fn save_form(&mut self, anyway: bool) {
        let Some(Layer::Form(mut form)) = self.close() else {
            return;
        };
        let m = self.backend.model();
        let Some(record) = form.build(m) else {
            return self.open(Layer::Form(form));
        };
        if let AnyRecord::Participant(p) = &record
            && !anyway
        {
            let dups = crate::search::duplicates::duplicates(m, p);
            if let Some(first) = dups.first().copied() {
                let other = form::ref_label(m, Table::Participant, first.0);
                form.duplicates = dups;
                self.open(Layer::Form(form));
                return self.open(Layer::Confirm(Confirm {
                    question: f(M::AskDuplicate, &[&other]),
                    pending: Pending::SaveDuplicate(first.0),
                }));
            }
        }
        let (cmd, origin) = match form.purpose {
            // A walk-in is one action: the new person and their check-in, one undo step.
            Purpose::WalkIn(event) => (self.walk_in(event, record), Origin::Desk(event)),
            _ if form.is_new() && !matches!(form.purpose, Purpose::ManualValue(_)) => {
                (Command::Create(record), Origin::Screen)
            }
            _ => (Command::Update(record), Origin::Screen),
        };
        // A value by hand says which value it added or changed.
        let value_done = match (&form.purpose, &form.original, &cmd) {
            (
                Purpose::ManualValue(edited),
                AnyRecord::Indicator(before),
                Command::Update(AnyRecord::Indicator(after)),
            ) => Some(crate::tui::values::saved(before, *edited, after)),
            _ => None,
        };
        match self.apply(cmd, origin) {
            Ok(change) => {
                let m = self.backend.model();
                self.message = Some(value_done.unwrap_or_else(|| f(M::Saved, &[&describe(m, &change)])));
                if let Change::Batch(parts) = &change
                    && let Some(Change::Created(r @ AnyRecord::Participant(_))) = parts.first()
                {
                    let name = record_label(m, r);
                    self.desk_notice(Notice::CheckedIn(name));
                } else if let Change::Created(r) = &change {
                    let (table, id) = (r.table(), r.raw_id());
                    if let Some(p) = Pane::ALL.into_iter().find(|p| p.table() == table) {
                        self.select(p, id);
                    }
                }
            }
            Err(StoreError::Invalid { errors, .. }) => {
                form.show_errors(&errors);
                self.open(Layer::Form(form));
            }
            Err(e) => {
                form.message = Some(e.message());
                self.open(Layer::Form(form));
            }
        }
    }

    /// Carries out what a layer asked for, in order.
    pub fn run(&mut self, effects: Vec<Effect>) {
        for e in effects {
            match e {
                Effect::Close => {
                    self.close();
                }
                Effect::Open(layer) => self.open(*layer),
                Effect::Pass(a) => self.list_action(a),
                Effect::Global(a) => self.global_action(a),
                Effect::Quit => self.request_quit(),
                Effect::Say(text) => self.message = Some(text),
                Effect::Apply { cmd, origin, done } => match self.apply(*cmd, origin) {
                    Ok(_) => {
                        if done.is_some() {
                            self.message = done;
                        }
                    }
                    Err(e) => self.message = Some(e.message()),
                },
                Effect::AskDelete(table, id) => self.ask_delete_of(table, id),
                Effect::Delete(table, id) => match self.apply(Command::Delete { table, id }, Origin::Screen) {
                    Ok(ch) => self.message = Some(describe(self.backend.model(), &ch)),
                    Err(e) => self.message = Some(e.message()),
                },
                Effect::Erase(id) => self.erase(ParticipantId(id)),
                Effect::RestAbsent(event) => self.mark_rest_absent(event),
                Effect::CatchUp => self.catch_up(),
                Effect::CheckIn(event, person) => self.check_in(event, person),
                Effect::OpenDesk(event) => self.desk_of(event),
                Effect::WalkIn(event, typed) => self.open_walk_in(event, &typed),
                Effect::AddAttendance(event) => {
                    let r = AnyRecord::blank(Table::Attendance, Some(event), self.today());
                    self.open_form(r, Purpose::Record);
                    self.with_form(|form| form.focus = 1);
                }
                Effect::EditRecord(table, id) => {
                    if let Some(r) = self.backend.model().record(table, id) {
                        self.open_form(r, Purpose::Record);
                    }
                }
                Effect::Undo(desk) => self.undo(desk),
                Effect::SaveForm { anyway } => self.save_form(anyway),
                Effect::UseExisting(id) => self.use_existing(id),
                Effect::RunPalette(run) => self.run_palette(run),
                Effect::EditFilter(a) => self.edit_filter_by(a),
                Effect::TypeFilter(text) => self.type_filter(&text),
                Effect::FilterDone => self.filter_done(false),
                Effect::FilterClear => self.filter_done(true),
                Effect::ImportApply => self.import_apply(),
                Effect::Merge { keep, other } => self.merge(keep, other),
                Effect::SaveEditor => self.save_editor(),
                Effect::DeleteEventWithRows(event) => self.delete_event_with_rows(event),
                Effect::ValueForm(id, edited) => self.open_value_form(id, edited),
            }
        }
    }

    /// `o` on "looks like an existing person": instead of the form's new person, the
    /// existing one: checked in at a desk, else opened in a form.
    fn use_existing(&mut self, id: u32) {
        let purpose = match self.close() {
            Some(Layer::Form(f)) => f.purpose,
            Some(other) => return self.open(other),
            None => return,
        };
        match purpose {
            Purpose::WalkIn(event) => self.check_in(event, ParticipantId(id)),
            _ => {
                if let Some(r) = self.backend.model().record(Table::Participant, id) {
                    self.open_form(r, Purpose::Record);
                }
            }
        }
    }

    /// Changes the form on top, if there is one.
    fn with_form(&mut self, f: impl FnOnce(&mut Form)) {
        if let Some(Layer::Form(form)) = self.layers_mut().last_mut() {
            f(form);
        }
    }

    /// The model and the open desk, borrowed together.
    fn model_and_desk(&mut self) -> (&Model, Option<&mut Desk>) {
        let (backend, layers) = self.split();
        let desk = layers.iter_mut().rev().find_map(|l| match l {
            Layer::Desk(d) => Some(d),
            _ => None,
        });
        (backend.model(), desk)
    }

    /// Re-reads the rows of the open desk and attendance list.
    fn refresh_layers(&mut self) {
        let (backend, layers) = self.split();
        let m = backend.model();
        for l in layers.iter_mut() {
            match l {
                Layer::Desk(d) => d.refresh(m),
                Layer::Roster(r) => r.refresh(m),
                Layer::Dups(d) => d.refresh(m),
                _ => {}
            }
        }
    }

    /// Erases a participant (see [`crate::store::Store::erase_participant`]); `u` undoes it
    /// in this session.
    fn erase(&mut self, id: ParticipantId) {
        let name = self
            .backend
            .model()
            .record(Table::Participant, id.0)
            .map(|r| record_label(self.backend.model(), &r))
            .unwrap_or_default();
        let rows = self.backend.model().attendance_of_person(id).len();
        self.message = Some(match self.backend.erase(&[id]) {
            Ok(erased) => {
                self.history.push((erased.change.clone(), Origin::Screen));
                self.after_change(&erased.change);
                let said = match erased.owed {
                    None => f(M::ErasedKeep, &[&name, &rows]),
                    Some(e) => f(M::ErasedRewriteOwed, &[&self.backend.label(), &crate::ops::reason(&e)]),
                };
                if erased.files.is_empty() {
                    said
                } else {
                    let files = crate::ops::files_list(&erased.files);
                    format!("{said} {}", f(M::ErasedFilesMayHold, &[&files]))
                }
            }
            Err(e) => e.message(),
        });
    }

    /// Checks `person` in at `event`: attendance "attended", now (the store stamps who: the
    /// account that made the change); persisted and flushed before the desk says so.
    pub fn check_in(&mut self, event: EventId, person: ParticipantId) {
        let m = self.backend.model();
        let name = form::ref_label(m, Table::Participant, person.0);

        let now = self.now();
        let cmd = match m.attendance_pair(event, person) {
            Some(a) if a.status == AttendanceStatus::Attended => {
                let notice = already_in(m, &name, a, self.backend.user());
                return self.desk_notice(notice);
            }
            Some(a) => {
                let mut a = a.clone();
                a.status = AttendanceStatus::Attended;
                a.checked_in_at = Some(now);
                Command::Update(AnyRecord::Attendance(a))
            }
            None => {
                let mut a = Attendance::new(event, person, AttendanceStatus::Attended);
                a.checked_in_at = Some(now);
                Command::Create(AnyRecord::Attendance(a))
            }
        };
        let notice = match self.apply(cmd, Origin::Desk(event)) {
            Ok(_) => Notice::CheckedIn(name),
            // Another desk got there first: say who and when (the replica has their row).
            Err(StoreError::Conflict { .. } | StoreError::DuplicateAttendance { .. })
                if let Some(a) = self
                    .backend
                    .model()
                    .attendance_pair(event, person)
                    .filter(|a| a.status == AttendanceStatus::Attended) =>
            {
                already_in(self.backend.model(), &name, a, self.backend.user())
            }
            Err(e) => Notice::Failed(e.message()),
        };
        self.desk_notice(notice);
    }

    /// The command of a walk-in at `event`: the new person and their check-in row, as one
    /// batch (the row names the person by the placeholder the batch creates them under; the
    /// store gives the id, and stamps who checked them in).
    fn walk_in(&self, event: EventId, person: AnyRecord) -> Command {
        let mut person = person;
        let new = ParticipantId::new_in_batch(0);
        person.set_raw_id(new.0);
        let mut a = Attendance::new(event, new, AttendanceStatus::Attended);
        a.checked_in_at = Some(self.now());
        Command::Batch(vec![Command::Create(person), Command::Create(AnyRecord::Attendance(a))])
    }

    fn desk_notice(&mut self, n: Notice) {
        let (m, desk) = self.model_and_desk();
        match desk {
            Some(d) => {
                d.ready(m, matches!(n, Notice::CheckedIn(_)));
                d.notice = Some(n);
            }
            None => {
                self.message = Some(match n {
                    Notice::CheckedIn(s) => f(M::CheckedIn, &[&s]),
                    Notice::Already(s) | Notice::Undone(s) | Notice::Failed(s) => s,
                })
            }
        }
    }

    /// The event the user means: the one whose list or desk is open, else the selected one.
    fn current_event(&self) -> Option<EventId> {
        if let Some(r) = self.roster() {
            return Some(r.event);
        }
        (self.pane == Pane::Events)
            .then(|| self.selected_id(Pane::Events))
            .flatten()
            .map(EventId)
    }

    /// `c` on an event: the check-in desk.
    pub fn open_desk(&mut self) {
        match self.current_event().filter(|_| self.backend.is_loaded()) {
            Some(e) => self.desk_of(e),
            None => self.message = Some(t(M::ChooseEvent).to_string()),
        }
    }

    /// Opens the desk of `event`; a cancelled event or one not today asks first, before
    /// anything is typed (so fast typing never lands in a question).
    fn desk_of(&mut self, event: EventId) {
        let m = self.backend.model();
        match desk_warning(m, event, self.today()) {
            Some((_, why)) => {
                self.open(Layer::Confirm(Confirm {
                    question: f(M::AskDeskAnyway, &[&why]),
                    pending: Pending::OpenDesk(event),
                }));
            }
            None => {
                let desk = Desk::new(m, event);
                self.open(Layer::Desk(desk));
            }
        }
    }

    /// `r` on an event: its attendance list.
    pub fn open_roster(&mut self) {
        match self.current_event().filter(|_| self.backend.is_loaded()) {
            Some(e) => {
                let roster = Roster::new(self.backend.model(), e);
                self.open(Layer::Roster(roster));
            }
            None => self.message = Some(t(M::ChooseEvent).to_string()),
        }
    }

    /// After the desk or the list closed: the list under it and the panes catch up with
    /// the check-ins.
    fn catch_up(&mut self) {
        self.refresh_layers();
        self.refresh_stale(self.pane);
    }

    /// Rows of the desk's list at the current size.
    pub fn desk_page(&self) -> usize {
        crate::tui::overlay::desk_rows(self.size)
    }

    /// Ctrl-N at the desk: a short form for someone not in the database, prefilled from
    /// what was typed ("Jānis Bērziņš" → given name and surname).
    fn open_walk_in(&mut self, event: EventId, typed: &str) {
        let mut words = typed.split_whitespace();
        let given = words.next().unwrap_or_default().to_string();
        let surname = words.collect::<Vec<_>>().join(" ");
        self.open_form(
            AnyRecord::blank(Table::Participant, None, self.today()),
            Purpose::WalkIn(event),
        );
        self.with_form(|form| {
            form.prefill(crate::domain::Field::GivenName, &capitalise(&given));
            form.prefill(crate::domain::Field::Surname, &capitalise(&surname));
            form.touched = !typed.trim().is_empty();
            form.focus = if given.is_empty() {
                0
            } else if surname.is_empty() {
                1
            } else {
                2
            };
        });
    }

    /// `N` in the attendance list: everyone still only registered is marked absent, as one
    /// change (one undo step).
    fn mark_rest_absent(&mut self, event: EventId) {
        let m = self.backend.model();
        let parts: Vec<Command> = crate::tui::layer::rest(m, event)
            .into_iter()
            .filter_map(|id| m.attendance.get(id.0).cloned())
            .map(|mut a| {
                a.status = AttendanceStatus::Absent;
                Command::Update(AnyRecord::Attendance(a))
            })
            .collect();
        let n = parts.len();
        if n == 0 {
            self.message = Some(f(M::MarkedAbsent, &[&0]));
            return;
        }
        self.message = Some(match self.apply(Command::Batch(parts), Origin::Screen) {
            Ok(_) => f(M::MarkedAbsent, &[&n]),
            Err(e) => e.message(),
        });
    }

    /// `o` on an indicator: the Partners pane lists the organisations it still misses.
    pub fn open_gaps(&mut self) {
        if self.pane != Pane::Indicators {
            return;
        }
        let gaps = self
            .selected_id(Pane::Indicators)
            .and_then(|id| self.outcomes.get(id as usize).cloned().flatten())
            .map(|o| o.gaps)
            .unwrap_or_default();
        if gaps.is_empty() {
            self.message = Some(t(M::NoGaps).to_string());
            return;
        }
        let code = self
            .selected_id(Pane::Indicators)
            .and_then(|id| self.backend.model().indicators.get(id))
            .map(|i| i.code.to_string())
            .unwrap_or_default();
        let label = f(M::GapsOf, &[&code]);
        // Already in name order.
        let ids: Vec<u32> = gaps.iter().map(|o| o.0).collect();
        self.pane = Pane::Partners;
        self.states[Pane::Partners.index()] = super::PaneState {
            selected: 0,
            offset: 0,
            anchor: ids.first().copied(),
            view: Some(View {
                expr: label.clone(),
                applied: label,
                ids,
                fixed: true,
                ..View::default()
            }),
        };
        // The gaps show in the panes: nothing stays over them.
        self.layers_mut().clear();
    }
}
