//! Indicator aggregates kept up to date change by change: for each indicator with a data
//! scope, the days each organisation had attendances in scope (with counts, so removals are
//! exact). Evaluating from them takes microseconds instead of a scan of all attendance.

use super::{Source, View, contribution, evaluate_with};
use crate::command::Change;
use crate::domain::*;
use crate::model::Model;
use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;

/// The aggregates of every indicator with a data scope; build once with
/// [`Aggregates::build`], then call [`Aggregates::apply`] after each `Model::apply`.
#[derive(Debug, Default)]
pub struct Aggregates {
    scoped: Vec<Scoped>,
    /// Values of count definitions already computed: (indicator, table, as of, value);
    /// dropped when a change touches what they count.
    counts: std::sync::Mutex<Vec<(IndicatorId, Table, NaiveDate, f64)>>,
}

/// One indicator's scope and, per organisation (by raw id), the sorted days (days from CE)
/// with attendances in scope and how many.
#[derive(Clone, Debug)]
struct Scoped {
    id: IndicatorId,
    scope: Scope,
    days: Vec<Vec<(i32, u32)>>,
}

/// The data scope of an indicator, if its value is computed from attendance.
fn scope_of(ind: &Indicator) -> Option<&Scope> {
    match &ind.definition {
        Definition::Coverage(s) | Definition::Regularity(s) => Some(s),
        Definition::Milestone { scope: Some(s), .. } => Some(s),
        _ => None,
    }
}

fn day_num(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

fn date_of(n: i32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(n).unwrap_or(NaiveDate::MIN)
}

impl Scoped {
    /// One parallel pass over all attendance, then a sort of the (organisation, day) pairs.
    fn build(m: &Model, id: IndicatorId, scope: &Scope) -> Scoped {
        let now = View::now(m);
        let mut keys: Vec<u64> = m
            .attendance
            .slots()
            .par_iter()
            .with_min_len(8192)
            .filter_map(|a| {
                let (day, org) = contribution(&now, scope, a.as_ref()?)?;
                Some(((org.0 as u64) << 32) | day_num(day).max(0) as u32 as u64)
            })
            .collect();
        keys.par_sort_unstable();
        let mut days: Vec<Vec<(i32, u32)>> = vec![Vec::new(); m.organisations.capacity_id() as usize];
        let mut i = 0;
        while i < keys.len() {
            let k = keys[i];
            let run = keys[i..].iter().take_while(|x| **x == k).count();
            let org = (k >> 32) as usize;
            if org >= days.len() {
                days.resize_with(org + 1, Vec::new);
            }
            days[org].push(((k & 0xffff_ffff) as i32, run as u32));
            i += run;
        }
        for d in &mut days {
            d.shrink_to_fit();
        }
        Scoped {
            id,
            scope: scope.clone(),
            days,
        }
    }

    fn bump(&mut self, org: OrgId, day: NaiveDate, add: bool) {
        let i = org.index();
        if i >= self.days.len() {
            self.days.resize_with(i + 1, Vec::new);
        }
        let list = &mut self.days[i];
        let n = day_num(day);
        match list.binary_search_by_key(&n, |e| e.0) {
            Ok(pos) if add => list[pos].1 += 1,
            Ok(pos) => {
                list[pos].1 -= 1;
                if list[pos].1 == 0 {
                    list.remove(pos);
                }
            }
            Err(pos) if add => list.insert(pos, (n, 1)),
            // Removing what was never added: nothing to undo.
            Err(_) => {}
        }
    }

    /// Years (bit = year - base, clamped 0..=63) with a day on or before `asof`; skips to
    /// the next year by binary search, so the cost is per year, not per day.
    fn years_of(list: &[(i32, u32)], asof: i32, base: i32) -> u64 {
        let mut bits = 0u64;
        let mut i = 0;
        while let Some(&(n, _)) = list.get(i) {
            if n > asof {
                break;
            }
            let b = (date_of(n).year() - base).clamp(0, 63);
            bits |= 1u64 << b;
            if b == 63 {
                break;
            }
            let Some(next) = NaiveDate::from_ymd_opt(base + b + 1, 1, 1) else {
                break;
            };
            let next = day_num(next);
            i += list[i..].partition_point(|e| e.0 < next);
        }
        bits
    }
}

impl Aggregates {
    /// The aggregates of every indicator of the model (one scan of the attendance per
    /// indicator with a data scope).
    pub fn build(m: &Model) -> Aggregates {
        let scoped = m
            .indicators
            .iter()
            .filter_map(|i| Some(Scoped::build(m, i.id, scope_of(i)?)))
            .collect();
        Aggregates {
            scoped,
            counts: Default::default(),
        }
    }

    /// The aggregates of one indicator only (for its history).
    pub fn for_one(m: &Model, ind: &Indicator) -> Aggregates {
        Aggregates {
            scoped: scope_of(ind).map(|s| Scoped::build(m, ind.id, s)).into_iter().collect(),
            counts: Default::default(),
        }
    }

    /// The indicator's value at each month end up to `asof` or its deadline (see
    /// [`super::breakdown::months`]): microseconds per month for scoped indicators.
    pub fn history(&self, m: &Model, ind: &Indicator, asof: NaiveDate) -> Vec<(NaiveDate, f64)> {
        super::breakdown::months(m, ind, asof)
            .into_iter()
            .map(|d| (d, self.evaluate(m, ind, d).value))
            .collect()
    }

    /// Drops cached counts a change to a record of `changed` may alter (`None`: all).
    fn forget(&self, changed: Option<Table>) {
        let Ok(mut c) = self.counts.lock() else {
            return;
        };
        c.retain(|(_, counted, _, _)| match changed {
            None | Some(Table::Organisation) | Some(Table::Indicator) => false,
            // Attendance and events change the hours ledger of participants.
            Some(Table::Attendance) => *counted != Table::Participant,
            Some(Table::Event) => *counted == Table::Organisation,
            Some(Table::Participant) => *counted != Table::Participant,
        });
    }

    /// Brings the aggregates up to date with a change already applied to `m`
    /// (call right after `Model::apply(change)`).
    pub fn apply(&mut self, m: &Model, change: &Change) {
        self.forget(changed_table(change));
        match change {
            Change::Created(r) => self.record(m, None, Some(r)),
            Change::Deleted(r) => self.record(m, Some(r), None),
            Change::Updated { before, after } => self.record(m, Some(before), Some(after)),
            Change::Imported(_) | Change::Unimported(_) => *self = Aggregates::build(m),
            Change::ProjectSet { .. } => {}
            // Parts must be seen against the model as it was at each (see `Model::replay`);
            // against the final model only a rebuild is right.
            Change::Batch(_) => *self = Aggregates::build(m),
        }
    }

    /// Brings the aggregates up to date with a change already reverted in `m`
    /// (call right after `Model::revert(change)`).
    pub fn revert(&mut self, m: &Model, change: &Change) {
        self.forget(changed_table(change));
        match change {
            Change::Created(r) => self.record(m, Some(r), None),
            Change::Deleted(r) => self.record(m, None, Some(r)),
            Change::Updated { before, after } => self.record(m, Some(after), Some(before)),
            Change::Imported(_) | Change::Unimported(_) => *self = Aggregates::build(m),
            Change::ProjectSet { .. } => {}
            Change::Batch(_) => *self = Aggregates::build(m),
        }
    }

    /// One record went from `before` to `after` (`None`: absent); `m` is already `after`.
    fn record(&mut self, m: &Model, before: Option<&AnyRecord>, after: Option<&AnyRecord>) {
        let Some(r) = before.or(after) else {
            return;
        };
        let now = View::now(m);
        match r {
            AnyRecord::Attendance(_) => {
                if let Some(AnyRecord::Attendance(a)) = before {
                    self.count(&now, a, false);
                }
                if let Some(AnyRecord::Attendance(a)) = after {
                    self.count(&now, a, true);
                }
            }
            AnyRecord::Event(e) => {
                let was = match before {
                    Some(AnyRecord::Event(b)) => Some(b),
                    _ => None,
                };
                let then = View {
                    event: Some((e.id.0, was)),
                    ..now
                };
                self.recount(m, &then, m.attendance_of_event(e.id));
            }
            AnyRecord::Participant(p) => {
                let was = match before {
                    Some(AnyRecord::Participant(b)) => Some(b),
                    _ => None,
                };
                let then = View {
                    person: Some((p.id.0, was)),
                    ..now
                };
                self.recount(m, &then, m.attendance_of_person(p.id));
            }
            AnyRecord::Organisation(o) => {
                let was = match before {
                    Some(AnyRecord::Organisation(b)) => Some(b),
                    _ => None,
                };
                let then = View {
                    org: Some((o.id.0, was)),
                    ..now
                };
                // Everyone at the organisation or below it may count for another one now.
                let mut level = vec![o.id];
                let mut seen = std::collections::HashSet::new();
                for _ in 0..16 {
                    let mut next = Vec::new();
                    for org in level {
                        if !seen.insert(org) {
                            continue;
                        }
                        for p in m.people_of(org) {
                            self.recount(m, &then, m.attendance_of_person(*p));
                        }
                        next.extend_from_slice(m.children_of(org));
                    }
                    if next.is_empty() {
                        break;
                    }
                    level = next;
                }
            }
            AnyRecord::Indicator(i) => self.sync(m, i.id),
        }
    }

    /// Takes attendances out as they counted under `then` and puts them back as they count now.
    fn recount(&mut self, m: &Model, then: &View, ids: &[AttendanceId]) {
        let now = View::now(m);
        for a in ids.iter().filter_map(|a| m.attendance.get(a.0)) {
            self.count(then, a, false);
            self.count(&now, a, true);
        }
    }

    fn count(&mut self, v: &View, a: &Attendance, add: bool) {
        for s in &mut self.scoped {
            if let Some((day, org)) = contribution(v, &s.scope, a) {
                s.bump(org, day, add);
            }
        }
    }

    /// Rebuilds one indicator's aggregate if its scope changed (or drops it).
    fn sync(&mut self, m: &Model, id: IndicatorId) {
        let want = m.indicators.get(id.0).and_then(scope_of);
        let pos = self.scoped.iter().position(|s| s.id == id);
        match (pos, want) {
            (Some(p), Some(s)) if self.scoped[p].scope == *s => {}
            (Some(p), Some(s)) => self.scoped[p] = Scoped::build(m, id, s),
            (Some(p), None) => {
                self.scoped.remove(p);
            }
            (None, Some(s)) => self.scoped.push(Scoped::build(m, id, s)),
            (None, None) => {}
        }
    }

    fn scoped(&self, id: IndicatorId, s: &Scope) -> Option<&Scoped> {
        self.scoped.iter().find(|x| x.id == id && x.scope == *s)
    }

    /// An indicator's value as of `asof`: the same as [`super::evaluate`].
    pub fn evaluate(&self, m: &Model, ind: &Indicator, asof: NaiveDate) -> super::Outcome {
        evaluate_with(self, m, ind, asof)
    }

    /// Every indicator, in display order, as of `asof`: the same as [`super::evaluate_all`].
    pub fn evaluate_all(&self, m: &Model, asof: NaiveDate) -> Vec<(IndicatorId, super::Outcome)> {
        m.orders
            .get(Table::Indicator)
            .iter()
            .filter_map(|id| m.indicators.get(*id))
            .map(|i| (i.id, self.evaluate(m, i, asof)))
            .collect()
    }

    /// Bytes held (approximately), for the benchmark.
    pub fn heap_bytes(&self) -> usize {
        self.scoped
            .iter()
            .map(|s| {
                s.days.capacity() * std::mem::size_of::<Vec<(i32, u32)>>()
                    + s.days.iter().map(|d| d.capacity() * 8).sum::<usize>()
            })
            .sum()
    }
}

/// The table of the record a change touched (`None`: many, or the project).
fn changed_table(change: &Change) -> Option<Table> {
    match change {
        Change::Created(r) | Change::Deleted(r) => Some(r.table()),
        Change::Updated { after, .. } => Some(after.table()),
        Change::Imported(_) | Change::ProjectSet { .. } | Change::Batch(_) | Change::Unimported(_) => None,
    }
}

impl Source for Aggregates {
    fn years(&self, m: &Model, ind: &Indicator, s: &Scope, asof: NaiveDate, base: i32) -> Vec<u64> {
        let Some(sc) = self.scoped(ind.id, s) else {
            return super::Scan.years(m, ind, s, asof, base);
        };
        let asof = day_num(asof);
        sc.days.iter().map(|l| Scoped::years_of(l, asof, base)).collect()
    }

    fn count(&self, m: &Model, ind: &Indicator, table: Table, filter: &str, asof: NaiveDate) -> f64 {
        let hit = self.counts.lock().ok().and_then(|c| {
            c.iter()
                .find(|(id, t, d, _)| *id == ind.id && *t == table && *d == asof)
                .map(|x| x.3)
        });
        if let Some(v) = hit {
            return v;
        }
        let v = super::count(m, table, filter, asof) as f64;
        if let Ok(mut c) = self.counts.lock() {
            c.push((ind.id, table, asof, v));
        }
        v
    }

    fn first_day(&self, m: &Model, ind: &Indicator, s: &Scope, asof: NaiveDate) -> Option<NaiveDate> {
        let Some(sc) = self.scoped(ind.id, s) else {
            return super::Scan.first_day(m, ind, s, asof);
        };
        sc.days
            .iter()
            .filter_map(|l| l.first().map(|e| e.0))
            .min()
            .filter(|n| *n <= day_num(asof))
            .map(date_of)
    }
}

#[cfg(test)]
mod tests;
