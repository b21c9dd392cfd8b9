//! The check-in desk and the attendance list of one event: who is registered, who came,
//! the live list of matches for what is typed, and the counts in the header. State and
//! queries only; the App applies check-ins through the store.

use super::input::LineInput;
use super::select;
use crate::domain::{AttendanceId, AttendanceStatus, EventId, ParticipantId, Stamp};
use crate::model::Model;
use crate::search::people::{Among, search};
use crate::search::text::terms;
use std::collections::HashMap;

/// Most matches kept for the desk's list (more than a screen; the first are what count).
const MAX_HITS: usize = 500;

/// How the last check-in went, for the big confirmation line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// Checked in: name and institution.
    CheckedIn(String),
    /// Was already checked in (at that time): nothing changed.
    Already(String),
    /// The last check-in was undone.
    Undone(String),
    /// Something went wrong; nothing was recorded.
    Failed(String),
}

/// The desk of one event.
#[derive(Clone, Debug)]
pub struct Desk {
    pub event: EventId,
    pub input: LineInput,
    /// Matching participants, registered ones first.
    pub hits: Vec<u32>,
    pub selected: usize,
    pub offset: usize,
    pub notice: Option<Notice>,
    /// This event's attendance rows by participant.
    pub rows: HashMap<u32, AttendanceId>,
    /// The typed text is "selected" after an outcome: the next typed character replaces it
    /// (Ctrl-N still sees it), so a new name never gets glued onto the last one.
    pub replace: bool,
    /// The user chose a row with the arrow keys: Enter on an empty line checks them in
    /// (otherwise an empty Enter checks in nobody).
    pub picked: bool,
}

/// Whether an attendance row was made by checking in someone not registered before (a
/// walk-in): the store stamps a check-in made with its row with the row's creation time.
pub fn is_walk_in(a: &crate::domain::Attendance) -> bool {
    a.checked_in_at == Some(a.meta.created_at)
}

/// "checked in N of M registered (+W walk-ins)": (N, M, W).
pub fn counts(m: &Model, event: EventId) -> (usize, usize, usize) {
    let (mut came, mut registered, mut walk_ins) = (0, 0, 0);
    for a in m
        .attendance_of_event(event)
        .iter()
        .filter_map(|id| m.attendance.get(id.0))
    {
        if is_walk_in(a) {
            walk_ins += 1;
        } else {
            registered += 1;
            came += usize::from(a.status == AttendanceStatus::Attended);
        }
    }
    (came, registered, walk_ins)
}

/// The event's attendance rows, in participants' name order.
pub fn roster(m: &Model, event: EventId) -> Vec<AttendanceId> {
    let mut rows: Vec<(u32, AttendanceId)> = m
        .attendance_of_event(event)
        .iter()
        .filter_map(|id| Some((m.orders.person_rank(m.attendance.get(id.0)?.participant.0), *id)))
        .collect();
    rows.sort_unstable();
    rows.into_iter().map(|(_, id)| id).collect()
}

impl Desk {
    pub fn new(m: &Model, event: EventId) -> Desk {
        let mut d = Desk {
            event,
            input: LineInput::default(),
            hits: Vec::new(),
            selected: 0,
            offset: 0,
            notice: None,
            rows: HashMap::new(),
            replace: false,
            picked: false,
        };
        d.refresh(m);
        d.search(m);
        d
    }

    /// Re-reads this event's attendance rows after a change (the marks in the list follow;
    /// the matches stay, so a check-in costs no new search: clearing the input does one).
    pub fn refresh(&mut self, m: &Model) {
        self.rows = m
            .attendance_of_event(self.event)
            .iter()
            .filter_map(|id| Some((m.attendance.get(id.0)?.participant.0, *id)))
            .collect();
    }

    /// Recomputes the matches for the typed text: with nothing typed, the registered
    /// people in name order; else everyone matching, registered first.
    pub fn search(&mut self, m: &Model) {
        let ts = terms(self.input.text());
        let hits = if ts.is_empty() {
            roster(m, self.event)
                .into_iter()
                .filter_map(|a| Some(m.attendance.get(a.0)?.participant.0))
                .collect()
        } else {
            search(m, &ts, Among::All)
        };
        // Registered and not yet in first, then those already in (so that Enter on them
        // only says so), then everyone else; each group in search order (stable).
        // One pass (a one-letter query can match most of a large database).
        let mut groups: [Vec<u32>; 3] = Default::default();
        for p in hits {
            let g = &mut groups[self.rank(m, p) as usize];
            if g.len() < MAX_HITS {
                g.push(p);
            }
        }
        let [mut first, second, third] = groups;
        first.extend(second);
        first.extend(third);
        first.truncate(MAX_HITS);
        self.hits = first;
        self.selected = 0;
        self.offset = 0;
        self.picked = false;
    }

    /// 0: registered, not checked in yet; 1: checked in (or marked); 2: not registered.
    fn rank(&self, m: &Model, person: u32) -> u8 {
        match self.rows.get(&person).and_then(|a| m.attendance.get(a.0)) {
            Some(a) if a.status == AttendanceStatus::Registered => 0,
            Some(_) => 1,
            None => 2,
        }
    }

    /// Types a character: it replaces the text left "selected" by the last outcome.
    pub fn type_char(&mut self, m: &Model, c: char) {
        if std::mem::take(&mut self.replace) {
            self.input.clear();
        }
        self.input.insert(c);
        self.search(m);
    }

    /// Makes the line ready for the next name after an outcome: cleared after a check-in,
    /// else left selected so that the next key replaces it.
    pub fn ready(&mut self, m: &Model, cleared: bool) {
        if cleared {
            self.input.clear();
            self.replace = false;
            self.search(m);
        } else {
            self.replace = !self.input.is_empty();
            self.picked = false;
        }
    }

    /// The highlighted participant.
    pub fn chosen(&self) -> Option<ParticipantId> {
        self.hits.get(self.selected).copied().map(ParticipantId)
    }

    /// When `person` was checked in here, if they were.
    pub fn checked_in_at(&self, m: &Model, person: u32) -> Option<Stamp> {
        let a = m.attendance.get(self.rows.get(&person)?.0)?;
        (a.status == AttendanceStatus::Attended)
            .then_some(a.checked_in_at)
            .flatten()
    }

    /// Whether `person` has a row at this event.
    pub fn is_registered(&self, person: u32) -> bool {
        self.rows.contains_key(&person)
    }

    pub fn move_by(&mut self, delta: isize, page: usize) {
        select::move_in_list(&mut self.selected, &mut self.offset, self.hits.len(), delta, page);
        self.picked = true;
    }

    /// The person Enter checks in: the highlighted match, but with nothing typed only one
    /// chosen with the arrow keys (an empty or double Enter checks in nobody).
    pub fn to_check_in(&self) -> Option<ParticipantId> {
        if self.input.text().trim().is_empty() && !self.picked {
            return None;
        }
        self.chosen()
    }
}

/// The attendance list of one event (for marking absent or excused, and ticking a paper
/// list): rows in name order, narrowed by what was typed after `/`.
#[derive(Clone, Debug)]
pub struct Roster {
    pub event: EventId,
    pub rows: Vec<AttendanceId>,
    pub selected: usize,
    pub offset: usize,
    /// The search typed after `/` (empty: every row).
    pub query: String,
    /// Whether keys go to the search line.
    pub searching: bool,
}

impl Roster {
    pub fn new(m: &Model, event: EventId) -> Roster {
        Roster {
            event,
            rows: roster(m, event),
            selected: 0,
            offset: 0,
            query: String::new(),
            searching: false,
        }
    }

    /// Re-reads the rows, keeping the selection on the same row where it still exists.
    pub fn refresh(&mut self, m: &Model) {
        let keep = self.rows.get(self.selected).copied();
        self.rows = self.narrowed(m);
        if let Some(pos) = keep.and_then(|k| self.rows.iter().position(|r| *r == k)) {
            self.selected = pos;
        }
        self.selected = select::clamp(self.selected, self.rows.len());
        self.offset = self.offset.min(self.selected);
    }

    /// The rows whose person matches the search (as the desk matches names), in name order.
    fn narrowed(&self, m: &Model) -> Vec<AttendanceId> {
        let all = roster(m, self.event);
        let ts = terms(&self.query);
        if ts.is_empty() {
            return all;
        }
        let people: Vec<u32> = all
            .iter()
            .filter_map(|a| Some(m.attendance.get(a.0)?.participant.0))
            .collect();
        let hits: std::collections::HashSet<u32> = search(m, &ts, Among::Ids(&people)).into_iter().collect();
        all.into_iter()
            .filter(|a| m.attendance.get(a.0).is_some_and(|r| hits.contains(&r.participant.0)))
            .collect()
    }

    /// A new search text: the list narrows and starts at its first row.
    pub fn set_query(&mut self, m: &Model, query: String) {
        self.query = query;
        self.rows = self.narrowed(m);
        self.selected = 0;
        self.offset = 0;
    }

    pub fn chosen(&self) -> Option<AttendanceId> {
        self.rows.get(self.selected).copied()
    }

    pub fn move_by(&mut self, delta: isize, page: usize) {
        select::move_in_list(&mut self.selected, &mut self.offset, self.rows.len(), delta, page);
    }
}
