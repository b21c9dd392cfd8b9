//! Changing data from the screen: forms opened and saved, deletes confirmed, undo, the
//! check-in desk and the attendance list. Every change goes through the store's Command
//! seam; afterwards the affected panes, lists and indicators are brought up to date.

use super::app::{App, Confirm, Mode, Origin, Pane, Pending, View};
use super::desk::{Desk, Notice, Roster};
use super::form::{self, Form, Purpose};
use super::input;
use super::keymap::Action;
use crate::backend::Event as BackendEvent;
use crate::command::{Change, Command};
use crate::domain::{
    AnyRecord, Attendance, AttendanceId, AttendanceStatus, Definition, EventId, ParticipantId, Stamp, Table,
};
use crate::i18n::{self, M, f, t};
use crate::model::Model;
use crate::store::StoreError;

/// A short name of a record for messages: a person's or organisation's name, an event's
/// title, an indicator's code.
pub fn record_label(m: &Model, r: &AnyRecord) -> String {
    match r {
        AnyRecord::Organisation(o) => o.name.to_string(),
        AnyRecord::Event(e) => e.title.to_string(),
        AnyRecord::Participant(p) => p.full_name(),
        AnyRecord::Attendance(a) => format!(
            "{} · {}",
            m.participants
                .get(a.participant.0)
                .map(|p| p.full_name())
                .unwrap_or_default(),
            m.events.get(a.event.0).map(|e| e.title.to_string()).unwrap_or_default()
        ),
        AnyRecord::Indicator(i) => format!("{} {}", i.code, i.title),
    }
}

/// "added participant Jānis Bērziņš", "changed event …", "deleted …".
pub fn describe(m: &Model, c: &Change) -> String {
    let (msg, r) = match c {
        Change::Created(r) => (M::ChangeAdded, r),
        Change::Updated { after, .. } => (M::ChangeChanged, after.as_ref()),
        Change::Deleted(r) => (M::ChangeDeleted, r),
        Change::Imported(ds) => return f(M::ChangeImported, &[&ds.len()]),
        Change::ProjectSet { .. } => return t(M::ChangeProject).to_string(),
        Change::Batch(_) => return describe_batch(m, c),
    };
    f(msg, &[&i18n::record_name(r.table()), &record_label(m, r)])
}

/// The record a change is about, if it is about one.
fn subject(c: &Change) -> Option<&AnyRecord> {
    match c {
        Change::Created(r) | Change::Deleted(r) => Some(r),
        Change::Updated { after, .. } => Some(after),
        _ => None,
    }
}

/// A batch in a line: its main record (the first that is not an attendance row) and how many
/// attendance rows came with it: "deleted participant Guna Āboliņa and 4 attendance rows".
fn describe_batch(m: &Model, c: &Change) -> String {
    let parts = c.parts();
    let is_row = |p: &&&Change| subject(p).is_some_and(|r| r.table() == Table::Attendance);
    let rows = parts.iter().filter(is_row).count();
    match parts.iter().find(|p| !is_row(p)) {
        Some(main) if rows > 0 => f(M::ChangeAndRows, &[&describe(m, main), &rows]),
        Some(main) if parts.len() == 1 => describe(m, main),
        Some(_) => f(M::LogBatch, &[&parts.len(), &describe(m, parts[0])]),
        None if rows > 0 => f(M::ChangeRows, &[&rows]),
        None => t(M::ChangeNothing).to_string(),
    }
}

/// What an undo brought back or took away: "Restored Guna Āboliņa and 4 attendance rows."
/// for an undone deletion, else "Undone: …".
fn describe_undo(m: &Model, original: &Change) -> String {
    let parts = original.parts();
    let main = parts
        .iter()
        .find(|p| subject(p).is_some_and(|r| r.table() != Table::Attendance))
        .or(parts.first());
    match main {
        Some(Change::Deleted(r)) => {
            let rows = parts.len() - 1;
            let name = record_label(m, r);
            let what = if rows > 0 {
                f(M::ChangeAndRows, &[&name, &rows])
            } else {
                name
            };
            f(M::Restored, &[&what])
        }
        _ => f(M::Undone, &[&describe(m, original)]),
    }
}

/// A line of the change log: "2026-11-22 10:41:03  ilze  added participant Jānis Bērziņš".
/// Records are named as they are now (a deleted one by its id: the log keeps no names).
pub fn log_line(m: &Model, e: &crate::store::LogEntry) -> String {
    format!(
        "{}  {:<10}  {}",
        e.at.riga().format("%Y-%m-%d %H:%M:%S"),
        m.user_name(e.user),
        log_what(m, &e.what)
    )
}

/// What a logged change did, in words; a batch by its size and its main part (the last
/// one that is not an attendance row, e.g. the person of an erasure).
fn log_what(m: &Model, what: &crate::store::Logged) -> String {
    use crate::store::Logged;
    let name = |table: Table, id: u32| match get(m, table, id) {
        Some(r) => format!("{} {}", i18n::record_name(table), record_label(m, &r)),
        None => format!("{} #{id}", i18n::record_name(table)),
    };
    match what {
        Logged::Created { table, id } => f(M::LogAdded, &[&name(*table, *id)]),
        Logged::Updated { table, id } => f(M::LogChanged, &[&name(*table, *id)]),
        Logged::Deleted { table, id } => f(M::LogDeleted, &[&name(*table, *id)]),
        Logged::Imported { records } => f(M::ChangeImported, &[records]),
        Logged::ProjectSet => t(M::ChangeProject).to_string(),
        Logged::Batch(parts) => {
            let row = |p: &&Logged| {
                matches!(
                    p,
                    Logged::Created {
                        table: Table::Attendance,
                        ..
                    } | Logged::Updated {
                        table: Table::Attendance,
                        ..
                    } | Logged::Deleted {
                        table: Table::Attendance,
                        ..
                    }
                )
            };
            let main = parts.iter().rev().find(|p| !row(p)).or(parts.first());
            let main = main.map(|p| log_what(m, p)).unwrap_or_default();
            f(M::LogBatch, &[&parts.len(), &main])
        }
    }
}

impl App {
    /// `:history`: the database's change log, newest first (the last 2000 changes).
    pub fn open_history(&mut self) {
        match self.store.history(2000) {
            Ok(entries) => {
                let m = self.store.model();
                self.journal = entries.iter().map(|e| log_line(m, e)).collect();
                self.mode = Mode::Help {
                    scroll: 0,
                    filter: String::new(),
                    page: super::app::Page::History,
                };
            }
            Err(e) => self.message = Some(i18n::store_error(&e)),
        }
    }

    /// Opens a form over the screen.
    pub fn open_form(&mut self, record: AnyRecord, purpose: Purpose) {
        if !self.store.is_loaded() {
            self.message = Some(t(M::Loading).to_string());
            return;
        }
        self.form = Some(Form::new(self.store.model(), record, purpose, self.today));
    }

    /// `a`: a new record of the pane's kind (on Indicators: a value by hand).
    pub fn add(&mut self) {
        if self.pane == Pane::Indicators {
            let Some(i) = self
                .selected_id(Pane::Indicators)
                .and_then(|id| self.store.model().indicators.get(id))
            else {
                return;
            };
            if i.definition != Definition::Manual {
                self.message = Some(t(M::IndicatorComputed).to_string());
                return;
            }
            let r = AnyRecord::Indicator(i.clone());
            return self.open_form(r, Purpose::ManualValue);
        }
        self.open_form(form::blank(self.pane.table(), None, self.today), Purpose::Record);
    }

    /// `e`/Enter: edit the selected record.
    pub fn edit(&mut self) {
        let Some(id) = self.selected_id(self.pane) else {
            return;
        };
        if let Some(r) = get(self.store.model(), self.pane.table(), id) {
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
        let m = self.store.model();
        let Some(r) = get(m, table, id) else {
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
            self.confirm = Some(Confirm {
                question,
                pending: Pending::Erase(id),
            });
            return;
        }
        self.confirm = Some(Confirm {
            question: f(M::AskDelete, &[&i18n::record_name(table), &record_label(m, &r)]),
            pending: Pending::Delete(table, id),
        });
    }

    /// Applies a command made on this screen: on success records it for undo and brings
    /// the screen up to date; on failure says why in the status bar.
    pub fn apply(&mut self, cmd: Command, origin: Origin) -> Result<Change, StoreError> {
        let change = self.store.apply(cmd)?;
        self.history.push((change.clone(), origin));
        self.after_change(&change);
        Ok(change)
    }

    /// Takes what the backend reports (the load finished, others' changes, the connection);
    /// returns whether the screen needs drawing again.
    pub fn poll_backend(&mut self) -> Result<bool, StoreError> {
        let events = self.store.poll();
        let redraw = !events.is_empty();
        for e in events {
            match e {
                BackendEvent::Loaded => {
                    self.on_loaded();
                    crate::log!(
                        "loaded_ms={:.1} records={}",
                        crate::log::since_start_ms(),
                        self.store.model().total()
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
                Change::Batch(_) => self.store.replay(change, &mut |m, part| agg.apply(m, part)),
                single => agg.apply(self.store.model(), single),
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
        if self.desk.is_none() && self.roster.is_none() {
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
        let m = self.store.model();
        if let Some(d) = self.desk.as_mut() {
            d.refresh(m);
        }
        if let Some(r) = self.roster.as_mut() {
            r.refresh(m);
        }
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
        super::desk::move_in_list(&mut st.selected, &mut st.offset, n, 0, page);
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
        match self.store.apply(cmd) {
            Ok(undone) => {
                // The records it touched have new versions: my earlier changes to them can
                // still be undone after this one.
                for (earlier, _) in self.history.iter_mut() {
                    earlier.rebase_onto(&undone);
                }
                self.after_change(&undone);
                match self.desk.as_mut().filter(|_| desk.is_some()) {
                    // The desk's line says "↶ UNDONE" itself; the list drops a row undone.
                    Some(d) => {
                        d.search(self.store.model());
                        d.notice = Some(Notice::Undone(describe(self.store.model(), &change)));
                    }
                    None => self.message = Some(describe_undo(self.store.model(), &change)),
                }
            }
            Err(e) => {
                // Keep it: the user may fix what stands in the way and try again.
                self.history.push((change, origin));
                self.notify_failure(desk, f(M::UndoFailed, &[&i18n::store_error(&e)]));
            }
        }
    }

    /// Says why something failed: on the desk's line when at a desk, else in the status bar.
    fn notify_failure(&mut self, desk: Option<EventId>, msg: String) {
        match self.desk.as_mut().filter(|_| desk.is_some()) {
            Some(d) => d.notice = Some(Notice::Failed(msg)),
            None => self.message = Some(msg),
        }
    }

    /// Keys while a form is open.
    pub fn form_action(&mut self, a: Action) {
        let Some(form) = self.form.as_mut() else {
            return;
        };
        match a {
            Action::Close if form.fields.get(form.focus).is_some_and(|f| f.picking()) => {
                form.key(self.store.model(), Some(a), None);
            }
            Action::Close if form.touched => {
                self.confirm = Some(Confirm {
                    question: t(M::AskDiscard).to_string(),
                    pending: Pending::DiscardForm,
                });
            }
            Action::Close => self.form = None,
            Action::Quit if form.touched => {
                self.confirm = Some(Confirm {
                    question: t(M::AskQuitForm).to_string(),
                    pending: Pending::Quit,
                });
            }
            Action::Quit => self.quit = true,
            _ => {
                if form.key(self.store.model(), Some(a), None) {
                    self.save_form(false);
                }
            }
        }
    }

    /// Saves the open form: reads and checks it, warns of a probable duplicate
    /// participant first (unless `anyway`), then creates or updates the record.
    pub fn save_form(&mut self, anyway: bool) {
        let Some(mut form) = self.form.take() else {
            return;
        };
        let m = self.store.model();
        let Some(record) = form.build(m) else {
            self.form = Some(form);
            return;
        };
        if let AnyRecord::Participant(p) = &record
            && !anyway
        {
            let dups = crate::search::duplicates::duplicates(m, p);
            if let Some(first) = dups.first() {
                let other = form::ref_label(m, Table::Participant, first.0);
                self.confirm = Some(Confirm {
                    question: f(M::AskDuplicate, &[&other]),
                    pending: Pending::SaveDuplicate(first.0),
                });
                form.duplicates = dups;
                self.form = Some(form);
                return;
            }
        }
        let (cmd, origin) = match form.purpose {
            // A walk-in is one action: the new person and their check-in, one undo step.
            Purpose::WalkIn(event) => (self.walk_in(event, record), Origin::Desk(event)),
            _ if form.is_new() && form.purpose != Purpose::ManualValue => (Command::Create(record), Origin::Screen),
            _ => (Command::Update(record), Origin::Screen),
        };
        match self.apply(cmd, origin) {
            Ok(change) => {
                let m = self.store.model();
                self.message = Some(f(M::Saved, &[&describe(m, &change)]));
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
                self.form = Some(form);
            }
            Err(e) => {
                form.message = Some(i18n::store_error(&e));
                self.form = Some(form);
            }
        }
    }

    /// Keys while a question is asked.
    pub fn answer(&mut self, a: Action) {
        let Some(c) = self.confirm.take() else {
            return;
        };
        // Enter answers yes only where nothing is lost or changed for good.
        let a = match (a, &c.pending) {
            (Action::Run, Pending::OpenDesk(_)) => Action::Yes,
            (a, _) => a,
        };
        match (a, c.pending) {
            (Action::Yes, Pending::Delete(table, id)) => {
                match self.apply(Command::Delete { table, id }, Origin::Screen) {
                    Ok(ch) => self.message = Some(describe(self.store.model(), &ch)),
                    Err(e) => self.message = Some(i18n::store_error(&e)),
                }
            }
            (Action::Yes, Pending::DiscardForm) => self.form = None,
            (Action::Yes, Pending::RestAbsent(event)) => self.mark_rest_absent(event),
            (Action::Yes, Pending::SaveDuplicate(_)) => self.save_form(true),
            (Action::Yes, Pending::Quit) => self.quit = true,
            (Action::Yes, Pending::Erase(id)) => self.erase(ParticipantId(id)),
            (Action::Yes, Pending::OpenDesk(event)) => self.desk = Some(Desk::new(self.store.model(), event)),
            (Action::Edit, Pending::SaveDuplicate(id)) => match self.form.take().map(|f| f.purpose) {
                // At the desk: check the existing person in instead of making a twin.
                Some(Purpose::WalkIn(event)) => self.check_in(event, ParticipantId(id)),
                // Elsewhere: open the existing participant instead.
                _ => {
                    if let Some(r) = get(self.store.model(), Table::Participant, id) {
                        self.open_form(r, Purpose::Record);
                    }
                }
            },
            (Action::Quit, _) => self.quit = true,
            (Action::No | Action::Close, _) => {}
            (_, pending) => {
                // Any other key leaves the question open.
                self.confirm = Some(Confirm {
                    question: c.question,
                    pending,
                });
            }
        }
    }

    /// Erases a participant (see [`crate::store::Store::erase_participant`]); `u` undoes it
    /// in this session.
    fn erase(&mut self, id: ParticipantId) {
        let name = get(self.store.model(), Table::Participant, id.0)
            .map(|r| record_label(self.store.model(), &r))
            .unwrap_or_default();
        let rows = self.store.model().attendance_of_person(id).len();
        self.message = Some(match self.store.erase(&[id]) {
            Ok(change) => {
                self.history.push((change.clone(), Origin::Screen));
                self.after_change(&change);
                f(M::ErasedKeep, &[&name, &rows])
            }
            Err(e) => i18n::store_error(&e),
        });
    }

    /// Checks `person` in at `event`: attendance "attended", now, by this user; persisted
    /// and flushed before the desk says so.
    pub fn check_in(&mut self, event: EventId, person: ParticipantId) {
        let m = self.store.model();
        let name = form::ref_label(m, Table::Participant, person.0);

        let now = Stamp::now();
        let cmd = match m.attendance_pair(event, person) {
            Some(a) if a.status == AttendanceStatus::Attended => {
                let at = a
                    .checked_in_at
                    .map(|s| s.riga().format("%H:%M").to_string())
                    .unwrap_or_default();
                return self.desk_notice(Notice::Already(f(M::AlreadyIn, &[&name, &at])));
            }
            Some(a) => {
                let mut a = a.clone();
                a.status = AttendanceStatus::Attended;
                a.checked_in_at = Some(now);
                a.checked_in_by = Some(self.store.user());
                Command::Update(AnyRecord::Attendance(a))
            }
            None => {
                let mut a = Attendance::new(event, person, AttendanceStatus::Attended);
                a.checked_in_at = Some(now);
                a.checked_in_by = Some(self.store.user());
                Command::Create(AnyRecord::Attendance(a))
            }
        };
        let notice = match self.apply(cmd, Origin::Desk(event)) {
            Ok(_) => Notice::CheckedIn(name),
            // Another desk got there first: say who and when (the replica has their row).
            Err(StoreError::Conflict { .. } | StoreError::DuplicateAttendance { .. })
                if let Some(a) = self
                    .store
                    .model()
                    .attendance_pair(event, person)
                    .filter(|a| a.status == AttendanceStatus::Attended) =>
            {
                let m = self.store.model();
                let at = a
                    .checked_in_at
                    .map(|s| s.riga().format("%H:%M").to_string())
                    .unwrap_or_default();
                let by = a.checked_in_by.map(|u| m.user_name(u).to_string()).unwrap_or_default();
                Notice::Already(f(M::AlreadyInBy, &[&name, &by, &at]))
            }
            Err(e) => Notice::Failed(i18n::store_error(&e)),
        };
        self.desk_notice(notice);
    }

    /// The command of a walk-in at `event`: the new person and their check-in row, as one
    /// batch (the row names the person by id 0: the one the batch creates).
    fn walk_in(&self, event: EventId, person: AnyRecord) -> Command {
        let mut a = Attendance::new(event, ParticipantId(0), AttendanceStatus::Attended);
        a.checked_in_at = Some(Stamp::now());
        a.checked_in_by = Some(self.store.user());
        Command::Batch(vec![Command::Create(person), Command::Create(AnyRecord::Attendance(a))])
    }

    fn desk_notice(&mut self, n: Notice) {
        match self.desk.as_mut() {
            Some(d) => {
                d.ready(self.store.model(), matches!(n, Notice::CheckedIn(_)));
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
        if let Some(r) = &self.roster {
            return Some(r.event);
        }
        (self.pane == Pane::Events)
            .then(|| self.selected_id(Pane::Events))
            .flatten()
            .map(EventId)
    }

    /// `c` on an event: the check-in desk.
    pub fn open_desk(&mut self) {
        match self.current_event().filter(|_| self.store.is_loaded()) {
            Some(e) => self.desk_of(e),
            None => self.message = Some(t(M::ChooseEvent).to_string()),
        }
    }

    /// Opens the desk of `event`; a cancelled event or one not today asks first, before
    /// anything is typed (so fast typing never lands in a question).
    fn desk_of(&mut self, event: EventId) {
        let m = self.store.model();
        match desk_warning(m, event, self.today) {
            Some((_, why)) => {
                self.confirm = Some(Confirm {
                    question: f(M::AskDeskAnyway, &[&why]),
                    pending: Pending::OpenDesk(event),
                });
            }
            None => self.desk = Some(Desk::new(m, event)),
        }
    }

    /// `r` on an event: its attendance list.
    pub fn open_roster(&mut self) {
        match self.current_event().filter(|_| self.store.is_loaded()) {
            Some(e) => self.roster = Some(Roster::new(self.store.model(), e)),
            None => self.message = Some(t(M::ChooseEvent).to_string()),
        }
    }

    /// Leaves the desk or the list: the panes catch up with the check-ins.
    fn close_overlay(&mut self) {
        if self.desk.take().is_none() {
            self.roster = None;
        }
        if let Some(r) = self.roster.as_mut() {
            r.refresh(self.store.model());
        }
        self.refresh_stale(self.pane);
    }

    /// Keys at the check-in desk.
    pub fn desk_action(&mut self, a: Action) {
        let page = self.desk_page();
        let Some(desk) = self.desk.as_mut() else {
            return;
        };
        match a {
            Action::Close => self.close_overlay(),
            Action::Quit => self.quit = true,
            Action::MoveDown => desk.move_by(1, page),
            Action::MoveUp => desk.move_by(-1, page),
            Action::PageDown => desk.move_by(page as isize, page),
            Action::PageUp => desk.move_by(-(page as isize), page),
            Action::Run => {
                let (event, chosen) = (desk.event, desk.to_check_in());
                match chosen {
                    Some(p) => self.check_in(event, p),
                    None if desk.input.text().trim().is_empty() => {
                        desk.notice = Some(Notice::Failed(t(M::DeskTypeName).to_string()));
                    }
                    None => {
                        desk.notice = Some(Notice::Failed(t(M::DeskNoMatch).to_string()));
                        desk.ready(self.store.model(), false);
                    }
                }
            }
            Action::Undo => {
                let e = desk.event;
                self.undo(Some(e));
            }
            Action::WalkIn => {
                let (event, typed) = (desk.event, desk.input.text().to_string());
                self.open_walk_in(event, &typed);
            }
            a if input::is_edit(a) && desk.input.edit(a) => {
                desk.replace = false;
                desk.search(self.store.model());
            }
            _ => {}
        }
    }

    /// Rows of the desk's list at the current size.
    pub fn desk_page(&self) -> usize {
        super::overlay::desk_rows(self.size)
    }

    /// Ctrl-N at the desk: a short form for someone not in the database, prefilled from
    /// what was typed ("Jānis Bērziņš" → given name and surname).
    fn open_walk_in(&mut self, event: EventId, typed: &str) {
        let mut words = typed.split_whitespace();
        let given = words.next().unwrap_or_default().to_string();
        let surname = words.collect::<Vec<_>>().join(" ");
        self.open_form(
            form::blank(Table::Participant, None, self.today),
            Purpose::WalkIn(event),
        );
        if let Some(form) = self.form.as_mut() {
            form.prefill("given_name", &capitalise(&given));
            form.prefill("surname", &capitalise(&surname));
            form.touched = !typed.trim().is_empty();
            form.focus = if given.is_empty() {
                0
            } else if surname.is_empty() {
                1
            } else {
                2
            };
        }
    }

    /// Keys in an event's attendance list.
    pub fn roster_action(&mut self, a: Action) {
        let page = super::overlay::roster_rows(self.size);
        let Some(roster) = self.roster.as_mut() else {
            return;
        };
        let event = roster.event;
        let chosen = roster.chosen();
        match a {
            Action::Close => self.close_overlay(),
            Action::Quit => self.quit = true,
            Action::MoveDown => roster.move_by(1, page),
            Action::MoveUp => roster.move_by(-1, page),
            Action::PageDown => roster.move_by(page as isize, page),
            Action::PageUp => roster.move_by(-(page as isize), page),
            Action::First => roster.move_by(isize::MIN / 2, page),
            Action::Last => roster.move_by(isize::MAX / 2, page),
            Action::CheckIn => self.desk_of(event),
            Action::Undo => self.undo(None),
            Action::Add => {
                let r = form::blank(Table::Attendance, Some(event), self.today);
                self.open_form(r, Purpose::Record);
                if let Some(form) = self.form.as_mut() {
                    form.focus = 1;
                }
            }
            Action::Edit => {
                if let Some(r) = chosen.and_then(|id| get(self.store.model(), Table::Attendance, id.0)) {
                    self.open_form(r, Purpose::Record);
                }
            }
            Action::Delete => {
                if let Some(id) = chosen {
                    self.ask_delete_of(Table::Attendance, id.0);
                }
            }
            Action::ToggleAttended => {
                let next = |s| match s {
                    AttendanceStatus::Attended => AttendanceStatus::Registered,
                    _ => AttendanceStatus::Attended,
                };
                self.set_status(chosen, next);
                if let Some(r) = self.roster.as_mut() {
                    r.move_by(1, page);
                }
            }
            Action::MarkAbsent => self.set_status(chosen, |_| AttendanceStatus::Absent),
            Action::MarkExcused => self.set_status(chosen, |_| AttendanceStatus::Excused),
            Action::MarkRestAbsent => {
                let n = self.rest(event).len();
                self.confirm = Some(Confirm {
                    question: f(M::AskRestAbsent, &[&n]),
                    pending: Pending::RestAbsent(event),
                });
            }
            _ => {}
        }
    }

    /// Sets an attendance row's status (ticking attended records the time and user).
    fn set_status(&mut self, id: Option<AttendanceId>, to: impl Fn(AttendanceStatus) -> AttendanceStatus) {
        let Some(a) = id.and_then(|id| self.store.model().attendance.get(id.0)) else {
            return;
        };
        let mut a = a.clone();
        a.status = to(a.status);
        if a.status == AttendanceStatus::Attended {
            a.checked_in_at = Some(Stamp::now());
            a.checked_in_by = Some(self.store.user());
        }
        let origin = Origin::Desk(a.event);
        if let Err(e) = self.apply(Command::Update(AnyRecord::Attendance(a)), origin) {
            self.message = Some(i18n::store_error(&e));
        }
    }

    /// Registered at `event` and not (yet) marked: attended, absent or excused.
    fn rest(&self, event: EventId) -> Vec<AttendanceId> {
        let m = self.store.model();
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

    /// `N` in the attendance list: everyone still only registered is marked absent, as one
    /// change (one undo step).
    fn mark_rest_absent(&mut self, event: EventId) {
        let m = self.store.model();
        let parts: Vec<Command> = self
            .rest(event)
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
            Err(e) => i18n::store_error(&e),
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
            .and_then(|id| self.store.model().indicators.get(id))
            .map(|i| i.code.to_string())
            .unwrap_or_default();
        let label = f(M::GapsOf, &[&code]);
        // Already in name order.
        let ids: Vec<u32> = gaps.iter().map(|o| o.0).collect();
        self.pane = Pane::Partners;
        self.states[Pane::Partners.index()] = super::app::PaneState {
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
        self.mode = Mode::Normal;
    }
}

/// Why checking people in at `event` today is probably a mistake (it is cancelled, or not
/// held today), short for the desk's header and in full for the question; `None` when all
/// is well.
pub fn desk_warning(m: &Model, event: EventId, today: chrono::NaiveDate) -> Option<(String, String)> {
    let e = m.events.get(event.0)?;
    let (mut short, mut long) = (Vec::new(), Vec::new());
    if e.status == crate::domain::EventStatus::Cancelled {
        short.push(t(M::DeskCancelledShort).to_string());
        long.push(t(M::DeskCancelled).to_string());
    }
    if today < e.start.date() || today > e.end.date() {
        short.push(t(M::DeskNotTodayShort).to_string());
        long.push(f(M::DeskNotToday, &[&i18n::date(e.start.date())]));
    }
    (!short.is_empty()).then(|| (short.join(" · "), long.join(" ")))
}

/// A copy of one record.
fn get(m: &Model, table: Table, id: u32) -> Option<AnyRecord> {
    Some(match table {
        Table::Organisation => AnyRecord::Organisation(m.organisations.get(id)?.clone()),
        Table::Event => AnyRecord::Event(m.events.get(id)?.clone()),
        Table::Participant => AnyRecord::Participant(m.participants.get(id)?.clone()),
        Table::Attendance => AnyRecord::Attendance(m.attendance.get(id)?.clone()),
        Table::Indicator => AnyRecord::Indicator(m.indicators.get(id)?.clone()),
    })
}

/// "bērziņš" → "Bērziņš" (names typed fast at the desk are often all lower case).
fn capitalise(s: &str) -> String {
    s.split('-')
        .map(|part| {
            let mut c = part.chars();
            match c.next() {
                Some(first) if part.chars().all(|ch| !ch.is_uppercase()) => first.to_uppercase().chain(c).collect(),
                _ => part.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}
