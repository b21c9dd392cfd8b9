//! The model replica: the whole project in memory with its indexes (who belongs where, who
//! attended what), folded sort keys and pane orders. Changes arrive only through
//! [`Model::apply`]; rendering, search and indicators read it and never wait on disk.

mod derived;
mod keys;
mod order;
mod rows;

pub use derived::{Bytes, Derived, Unpacked};
pub use keys::{Keys, mask};
pub use order::Orders;
pub use rows::Rows;

use crate::command::{Change, Dataset};
use crate::domain::fold::fold_into;
use crate::domain::*;
use chrono::NaiveDate;
use rayon::prelude::*;

#[derive(Clone, Debug, Default)]
pub struct Model {
    pub project: Project,
    /// Unix user names; a `UserId` is a position here.
    pub users: Vec<Text>,
    pub organisations: Rows<Organisation>,
    pub events: Rows<Event>,
    pub participants: Rows<Participant>,
    pub attendance: Rows<Attendance>,
    pub indicators: Rows<Indicator>,
    /// Indexes, each by the raw id of its owner.
    pub children: Vec<Vec<OrgId>>,
    pub org_events: Vec<Vec<EventId>>,
    pub org_people: Vec<Vec<ParticipantId>>,
    pub event_attendance: Vec<Vec<AttendanceId>>,
    pub person_attendance: Vec<Vec<AttendanceId>>,
    /// Folded "surname given\u{1}email" of each participant ([`person_key`]).
    pub person_keys: Keys,
    /// Folded name of each organisation.
    pub org_keys: Vec<Text>,
    /// Institution of each participant (0 = none), compact for scanning.
    pub person_org: Vec<u32>,
    /// Sorted id lists, one per pane.
    pub orders: Orders,
    /// Counts the changes applied or reverted, so views computed from the model can tell
    /// they are stale.
    pub generation: u64,
}

fn push_at<I>(index: &mut Vec<Vec<I>>, owner: u32, item: I) {
    let i = owner as usize;
    if i >= index.len() {
        index.resize_with(i + 1, Vec::new);
    }
    index[i].push(item);
}

fn remove_at<I: PartialEq>(index: &mut [Vec<I>], owner: u32, item: &I) {
    if let Some(list) = index.get_mut(owner as usize)
        && let Some(pos) = list.iter().position(|x| x == item)
    {
        list.remove(pos);
    }
}

fn set_key(keys: &mut Vec<Text>, id: u32, key: Text) {
    let i = id as usize;
    if i >= keys.len() {
        keys.resize_with(i + 1, Text::default);
    }
    keys[i] = key;
}

/// An index of `items` by owner, built in two passes so each list is allocated once.
fn index<I: Copy>(owners: usize, items: impl Iterator<Item = (u32, I)> + Clone) -> Vec<Vec<I>> {
    let mut counts = vec![0u32; owners];
    for (o, _) in items.clone() {
        if let Some(c) = counts.get_mut(o as usize) {
            *c += 1;
        } else {
            counts.resize(o as usize + 1, 0);
            counts[o as usize] = 1;
        }
    }
    let mut idx: Vec<Vec<I>> = counts.iter().map(|c| Vec::with_capacity(*c as usize)).collect();
    for (o, item) in items {
        idx[o as usize].push(item);
    }
    idx
}

/// Separates the name part of a participant key from the email part.
pub const KEY_SEP: char = '\u{1}';

/// The folded key of a participant, "surname given\u{1}email": sorted by its name part,
/// searched whole.
pub fn person_key(p: &Participant) -> Text {
    let mut k = String::with_capacity(p.surname.len() + p.given_name.len() + p.email.len() + 2);
    person_key_into(p, &mut k);
    Text::from(k)
}

/// Appends [`person_key`] of `p` to `out`.
pub fn person_key_into(p: &Participant, out: &mut String) {
    fold_into(&p.surname, out);
    out.push(' ');
    fold_into(&p.given_name, out);
    out.push(KEY_SEP);
    fold_into(&p.email, out);
}

/// The name part ("surname given") of a participant key.
pub fn name_part(key: &str) -> &str {
    key.split_once(KEY_SEP).map_or(key, |(n, _)| n)
}

/// The folded sort key of an organisation.
pub fn org_key(name: &str) -> Text {
    Text::from(crate::domain::fold::fold(name))
}

/// The five tables of a model, as loaded.
pub struct Tables {
    pub organisations: Rows<Organisation>,
    pub events: Rows<Event>,
    pub participants: Rows<Participant>,
    pub attendance: Rows<Attendance>,
    pub indicators: Rows<Indicator>,
}

impl Model {
    /// A model of loaded tables: builds every index (in parallel where it pays).
    pub fn from_rows(project: Project, users: Vec<Text>, t: Tables) -> Model {
        let mut m = Model::bare(project, users, t, None);
        m.rebuild_indexes();
        crate::log!("model: indexes built");
        m.orders = Orders::build(&m);
        crate::log!("model: orders sorted");
        m
    }

    /// A model of loaded tables with their search keys (folded here if `None`) and the
    /// participants' institutions, but no indexes or orders yet.
    fn bare(project: Project, users: Vec<Text>, t: Tables, keys: Option<Keys>) -> Model {
        let person_org = t
            .participants
            .slots()
            .iter()
            .map(|p| p.as_ref().and_then(|p| p.institution).map_or(0, |o| o.0))
            .collect();
        let (person_keys, org_keys) = rayon::join(
            || keys.unwrap_or_else(|| Keys::build(t.participants.slots(), person_key_into)),
            || {
                t.organisations
                    .slots()
                    .iter()
                    .map(|o| o.as_ref().map(|o| org_key(&o.name)).unwrap_or_default())
                    .collect()
            },
        );
        crate::log!("model: keys folded");
        Model {
            project,
            users,
            organisations: t.organisations,
            events: t.events,
            participants: t.participants,
            attendance: t.attendance,
            indicators: t.indicators,
            person_keys,
            org_keys,
            person_org,
            ..Model::default()
        }
    }

    /// A model of the records of a dataset (tests and tools).
    pub fn from_dataset(ds: Dataset, users: Vec<Text>) -> Model {
        Model::from_rows(
            ds.project.unwrap_or_default(),
            users,
            Tables {
                organisations: Rows::from_records(ds.organisations),
                events: Rows::from_records(ds.events),
                participants: Rows::from_records(ds.participants),
                attendance: Rows::from_records(ds.attendance),
                indicators: Rows::from_records(ds.indicators),
            },
        )
    }

    fn rebuild_indexes(&mut self) {
        let n_org = self.organisations.capacity_id() as usize;
        let orgs = || self.organisations.iter();
        let ((children, org_events), (org_people, (event_attendance, person_attendance))) = rayon::join(
            || {
                rayon::join(
                    || index(n_org, orgs().filter_map(|o| Some((o.parent?.0, o.id)))),
                    || index(n_org, self.events.iter().filter_map(|e| Some((e.organiser?.0, e.id)))),
                )
            },
            || {
                rayon::join(
                    || {
                        index(
                            n_org,
                            self.participants.iter().filter_map(|p| Some((p.institution?.0, p.id))),
                        )
                    },
                    || {
                        rayon::join(
                            || {
                                index(
                                    self.events.capacity_id() as usize,
                                    self.attendance.iter().map(|a| (a.event.0, a.id)),
                                )
                            },
                            || {
                                index(
                                    self.participants.capacity_id() as usize,
                                    self.attendance.iter().map(|a| (a.participant.0, a.id)),
                                )
                            },
                        )
                    },
                )
            },
        );
        self.children = children;
        self.org_events = org_events;
        self.org_people = org_people;
        self.event_attendance = event_attendance;
        self.person_attendance = person_attendance;
    }

    /// Applies `change` part by part (a batch's parts in order), calling `seen` after each
    /// with the model as it is then: observers that read the model to follow a change (the
    /// indicator aggregates) see every part against the state it was made in.
    pub fn apply_parts(&mut self, change: &Change, mut seen: impl FnMut(&Model, &Change)) {
        for part in change.parts() {
            self.apply(part);
            seen(self, part);
        }
    }

    /// Like [`Model::apply_parts`] for a change this model has already applied: takes it
    /// back, then applies it again part by part.
    pub fn replay(&mut self, change: &Change, seen: impl FnMut(&Model, &Change)) {
        self.revert(change);
        self.apply_parts(change, seen);
    }

    /// Applies one change (from this process's store or from another client).
    pub fn apply(&mut self, change: &Change) {
        self.generation += 1;
        match change {
            Change::Created(r) => self.link(r.clone()),
            Change::Updated { before, after } => {
                self.unlink(before);
                self.link(after.as_ref().clone());
            }
            Change::Deleted(r) => self.unlink(r),
            Change::Imported(ds) => self.import(ds),
            Change::ProjectSet { after, .. } => self.project = after.clone(),
            Change::Batch(parts) => parts.iter().for_each(|c| self.apply(c)),
            Change::Unimported(ds) => self.unimport(ds),
        }
    }

    /// Adds a batch of records at once: rows first, then the indexes and orders are rebuilt
    /// in one go (linking one by one would re-sort and re-rank per record: quadratic).
    fn import(&mut self, ds: &Dataset) {
        if let Some(p) = &ds.project {
            self.project = p.clone();
        }
        let ds = ds.clone();
        for o in ds.organisations {
            set_key(&mut self.org_keys, o.id.0, org_key(&o.name));
            self.organisations.put(o);
        }
        for e in ds.events {
            self.events.put(e);
        }
        let keys: Vec<(u32, Text, u32)> = ds
            .participants
            .par_iter()
            .map(|p| (p.id.0, person_key(p), p.institution.map_or(0, |o| o.0)))
            .collect();
        for (id, key, org) in keys {
            self.person_keys.set(id, &key);
            let i = id as usize;
            if i >= self.person_org.len() {
                self.person_org.resize(i + 1, 0);
            }
            self.person_org[i] = org;
        }
        for p in ds.participants {
            self.participants.put(p);
        }
        for a in ds.attendance {
            self.attendance.put(a);
        }
        for i in ds.indicators {
            self.indicators.put(i);
        }
        self.rebuild_indexes();
        self.orders = Orders::build(self);
    }

    /// Undoes a change that was applied but could not be saved.
    pub fn revert(&mut self, change: &Change) {
        self.generation += 1;
        match change {
            Change::Created(r) => self.unlink(r),
            Change::Updated { before, after } => {
                self.unlink(after);
                self.link(before.as_ref().clone());
            }
            Change::Deleted(r) => self.link(r.clone()),
            Change::Imported(ds) => self.unimport(ds),
            Change::ProjectSet { before, .. } => self.project = before.clone(),
            Change::Batch(parts) => parts.iter().rev().for_each(|c| self.revert(c)),
            Change::Unimported(ds) => self.import(ds),
        }
    }

    /// Takes away the records of an import, in bulk like the import itself (ids stay
    /// used: `next_id` does not go back).
    fn unimport(&mut self, ds: &Dataset) {
        for r in &ds.attendance {
            self.attendance.remove(r.id.0);
        }
        for r in &ds.participants {
            self.participants.remove(r.id.0);
            self.person_keys.set(r.id.0, "");
            if let Some(slot) = self.person_org.get_mut(r.id.0 as usize) {
                *slot = 0;
            }
        }
        for r in &ds.events {
            self.events.remove(r.id.0);
        }
        for r in &ds.indicators {
            self.indicators.remove(r.id.0);
        }
        for r in &ds.organisations {
            self.organisations.remove(r.id.0);
            set_key(&mut self.org_keys, r.id.0, Text::default());
        }
        self.rebuild_indexes();
        self.orders = Orders::build(self);
    }

    /// Adds a record with its index entries and its place in the pane order.
    fn link(&mut self, r: AnyRecord) {
        match r {
            AnyRecord::Organisation(o) => {
                if let Some(p) = o.parent {
                    push_at(&mut self.children, p.0, o.id);
                }
                set_key(&mut self.org_keys, o.id.0, org_key(&o.name));
                let id = o.id.0;
                self.organisations.put(o);
                Orders::insert(self, Table::Organisation, id);
            }
            AnyRecord::Event(e) => {
                if let Some(o) = e.organiser {
                    push_at(&mut self.org_events, o.0, e.id);
                }
                let id = e.id.0;
                self.events.put(e);
                Orders::insert(self, Table::Event, id);
            }
            AnyRecord::Participant(p) => {
                if let Some(o) = p.institution {
                    push_at(&mut self.org_people, o.0, p.id);
                }
                self.person_keys.set(p.id.0, &person_key(&p));
                let i = p.id.index();
                if i >= self.person_org.len() {
                    self.person_org.resize(i + 1, 0);
                }
                self.person_org[i] = p.institution.map_or(0, |o| o.0);
                let id = p.id.0;
                self.participants.put(p);
                Orders::insert(self, Table::Participant, id);
            }
            AnyRecord::Attendance(a) => {
                push_at(&mut self.event_attendance, a.event.0, a.id);
                push_at(&mut self.person_attendance, a.participant.0, a.id);
                self.attendance.put(a);
            }
            AnyRecord::Indicator(i) => {
                let id = i.id.0;
                self.indicators.put(i);
                Orders::insert(self, Table::Indicator, id);
            }
        }
    }

    /// Removes a record (as it was) with its index entries.
    fn unlink(&mut self, r: &AnyRecord) {
        let id = r.raw_id();
        Orders::remove(self, r.table(), id);
        match r {
            AnyRecord::Organisation(o) => {
                if let Some(p) = o.parent {
                    remove_at(&mut self.children, p.0, &o.id);
                }
                self.organisations.remove(id);
            }
            AnyRecord::Event(e) => {
                if let Some(o) = e.organiser {
                    remove_at(&mut self.org_events, o.0, &e.id);
                }
                self.events.remove(id);
            }
            AnyRecord::Participant(p) => {
                if let Some(o) = p.institution {
                    remove_at(&mut self.org_people, o.0, &p.id);
                }
                // The search scans keys by id: a deleted person must leave none behind.
                self.person_keys.set(id, "");
                if let Some(slot) = self.person_org.get_mut(id as usize) {
                    *slot = 0;
                }
                self.participants.remove(id);
            }
            AnyRecord::Attendance(a) => {
                remove_at(&mut self.event_attendance, a.event.0, &a.id);
                remove_at(&mut self.person_attendance, a.participant.0, &a.id);
                self.attendance.remove(id);
            }
            AnyRecord::Indicator(_) => {
                self.indicators.remove(id);
            }
        }
    }

    /// A copy of record `id` of table `t`, if there is one (the one lookup by table and id:
    /// the store's planning and the screen both use it).
    pub fn record(&self, t: Table, id: u32) -> Option<AnyRecord> {
        match t {
            Table::Organisation => self.organisations.get(id).cloned().map(AnyRecord::Organisation),
            Table::Event => self.events.get(id).cloned().map(AnyRecord::Event),
            Table::Participant => self.participants.get(id).cloned().map(AnyRecord::Participant),
            Table::Attendance => self.attendance.get(id).cloned().map(AnyRecord::Attendance),
            Table::Indicator => self.indicators.get(id).cloned().map(AnyRecord::Indicator),
        }
    }

    /// Whether record `id` of a table exists.
    pub fn contains(&self, t: Table, id: u32) -> bool {
        match t {
            Table::Organisation => self.organisations.contains(id),
            Table::Event => self.events.contains(id),
            Table::Participant => self.participants.contains(id),
            Table::Attendance => self.attendance.contains(id),
            Table::Indicator => self.indicators.contains(id),
        }
    }

    /// Number of records in a table.
    pub fn count(&self, t: Table) -> usize {
        match t {
            Table::Organisation => self.organisations.len(),
            Table::Event => self.events.len(),
            Table::Participant => self.participants.len(),
            Table::Attendance => self.attendance.len(),
            Table::Indicator => self.indicators.len(),
        }
    }

    /// The id the next new record of a table gets.
    pub fn next_id(&self, t: Table) -> u32 {
        match t {
            Table::Organisation => self.organisations.next_id(),
            Table::Event => self.events.next_id(),
            Table::Participant => self.participants.next_id(),
            Table::Attendance => self.attendance.next_id(),
            Table::Indicator => self.indicators.next_id(),
        }
    }

    /// Total records of every kind.
    pub fn total(&self) -> usize {
        Table::ALL.iter().map(|t| self.count(*t)).sum()
    }

    pub fn user_name(&self, u: UserId) -> &str {
        self.users.get(u.index()).map(|s| s.as_str()).unwrap_or("?")
    }

    fn list<I: Copy>(index: &[Vec<I>], owner: u32) -> &[I] {
        index.get(owner as usize).map(Vec::as_slice).unwrap_or(&[])
    }
    /// Organisations whose parent is `org`.
    pub fn children_of(&self, org: OrgId) -> &[OrgId] {
        Self::list(&self.children, org.0)
    }
    /// Events organised by `org`.
    pub fn events_of(&self, org: OrgId) -> &[EventId] {
        Self::list(&self.org_events, org.0)
    }
    /// Participants working at `org`.
    pub fn people_of(&self, org: OrgId) -> &[ParticipantId] {
        Self::list(&self.org_people, org.0)
    }
    /// Attendance rows of an event.
    pub fn attendance_of_event(&self, e: EventId) -> &[AttendanceId] {
        Self::list(&self.event_attendance, e.0)
    }
    /// Attendance rows of a participant.
    pub fn attendance_of_person(&self, p: ParticipantId) -> &[AttendanceId] {
        Self::list(&self.person_attendance, p.0)
    }
    /// The attendance row of a participant at an event, if any.
    pub fn attendance_pair(&self, e: EventId, p: ParticipantId) -> Option<&Attendance> {
        self.attendance_of_event(e)
            .iter()
            .filter_map(|a| self.attendance.get(a.0))
            .find(|a| a.participant == p)
    }

    /// Counts of an event's attendance by status, in [`AttendanceStatus::ALL`] order.
    pub fn status_counts(&self, e: EventId) -> [usize; 4] {
        let mut n = [0; 4];
        for a in self
            .attendance_of_event(e)
            .iter()
            .filter_map(|a| self.attendance.get(a.0))
        {
            n[a.status.ordinal()] += 1;
        }
        n
    }

    /// Hours credited to a participant for attended events that started in the three years
    /// up to and including `today` (the 36-hour professional-development rule). Seminars and
    /// conferences together count at most the project's cap (`Settings::seminar_hours_cap`).
    pub fn hours_last_3_years(&self, p: ParticipantId, today: NaiveDate) -> Hours {
        let from = today
            .checked_sub_months(chrono::Months::new(36))
            .unwrap_or(NaiveDate::MIN);
        let (mut other, mut capped): (u32, u32) = (0, 0);
        for a in self
            .attendance_of_person(p)
            .iter()
            .filter_map(|a| self.attendance.get(a.0))
        {
            if let Some(e) = self.events.get(a.event.0) {
                let day = e.start.date();
                if day > from && day <= today && e.status != EventStatus::Cancelled {
                    let h = a.credited(e.hours).0 as u32;
                    if Settings::CAPPED.contains(&e.format) {
                        capped += h;
                    } else {
                        other += h;
                    }
                }
            }
        }
        if let Some(cap) = self.project.settings.seminar_hours_cap {
            capped = capped.min(cap.0 as u32);
        }
        Hours((other + capped).min(u16::MAX as u32) as u16)
    }

    /// The municipality an organisation lies in: itself or its nearest municipal ancestor.
    pub fn municipality_of(&self, org: OrgId) -> Option<OrgId> {
        let mut cur = Some(org);
        for _ in 0..16 {
            let o = self.organisations.get(cur?.0)?;
            if o.kind == OrgKind::Municipality {
                return Some(o.id);
            }
            cur = o.parent;
        }
        None
    }
}

#[cfg(test)]
mod tests;
