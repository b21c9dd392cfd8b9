//! Indicator values computed from the model as of a date: coverage and regularity of
//! organisations, milestones, manual values; their status against target and deadline, and
//! the gap list (who is not covered yet). Pure over the model; never touches the store.

use crate::domain::*;
use crate::model::Model;
use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;

/// Where an indicator stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The target is reached.
    Met,
    /// At or above the straight line from baseline (at the start) to target (at the deadline).
    OnTrack,
    /// Below that line, deadline not yet passed.
    AtRisk,
    /// A milestone whose deadline passed without it being reached.
    Overdue,
    /// A measure whose deadline passed below target.
    NotMet,
    /// No deadline and not yet met.
    Open,
    /// Reached, but after its deadline.
    MetLate,
    /// The documents give no target (and the project set none): a value, not a verdict.
    NoTarget,
}

/// The status's words are message keys in `i18n`; this maps each status to its key.
impl crate::i18n::Label for Status {
    fn pair(self) -> (&'static str, &'static str) {
        use crate::i18n::{Lang, M};
        let m = match self {
            Status::Met => M::IndStatusMet,
            Status::OnTrack => M::IndStatusOnTrack,
            Status::AtRisk => M::IndStatusAtRisk,
            Status::Overdue => M::IndStatusOverdue,
            Status::NotMet => M::IndStatusNotMet,
            Status::Open => M::IndStatusOpen,
            Status::MetLate => M::IndStatusMetLate,
            Status::NoTarget => M::IndStatusNoTarget,
        };
        (m.tr(Lang::En), m.tr(Lang::Lv))
    }
}

/// An indicator's value as of a date.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Outcome {
    /// The headline value: over the denominator the document names.
    pub value: f64,
    /// Organisations covered and in the headline denominator (coverage and regularity).
    pub covered: usize,
    pub of: usize,
    /// The official count the headline is a share of (`None`: the database's organisations).
    pub official: Option<OfficialCount>,
    /// The share among the organisations in the database, and how many there are
    /// (shown next to an official headline).
    pub db_value: f64,
    pub db_of: usize,
    /// Regularity: each calendar year of the window up to the as-of date.
    pub years: Vec<YearValue>,
    /// When a milestone was reached.
    pub reached: Option<NaiveDate>,
    /// Organisations not covered yet, by name.
    pub gaps: Vec<OrgId>,
    /// The deadline the status is judged against: the indicator's, else the project's end.
    pub deadline: Option<NaiveDate>,
    pub status: Status,
}

/// One calendar year of a regularity indicator.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct YearValue {
    pub year: i32,
    /// Organisations supported at least once that year.
    pub covered: usize,
    /// The headline value for that year (over the headline denominator).
    pub value: f64,
    /// The share among the organisations in the database.
    pub db_value: f64,
    /// False for the current year, still under way ("so far").
    pub complete: bool,
}

/// The model as it is, or as it was just before one change: one event, participant or
/// organisation replaced by its earlier version (`Some`) or absent (`None`).
#[derive(Clone, Copy)]
pub(crate) struct View<'a> {
    pub m: &'a Model,
    pub event: Option<(u32, Option<&'a Event>)>,
    pub person: Option<(u32, Option<&'a Participant>)>,
    pub org: Option<(u32, Option<&'a Organisation>)>,
}

impl<'a> View<'a> {
    /// The model as it is.
    pub fn now(m: &'a Model) -> View<'a> {
        View {
            m,
            event: None,
            person: None,
            org: None,
        }
    }
    fn event(&self, id: u32) -> Option<&'a Event> {
        match self.event {
            Some((i, e)) if i == id => e,
            _ => self.m.events.get(id),
        }
    }
    fn person(&self, id: u32) -> Option<&'a Participant> {
        match self.person {
            Some((i, p)) if i == id => p,
            _ => self.m.participants.get(id),
        }
    }
    fn org(&self, id: u32) -> Option<&'a Organisation> {
        match self.org {
            Some((i, o)) if i == id => o,
            _ => self.m.organisations.get(id),
        }
    }
}

/// The organisation an attendance counts for: the participant's institution or its nearest
/// ancestor of one of the scope's kinds.
fn counted_org(v: &View, s: &Scope, institution: Option<OrgId>) -> Option<OrgId> {
    let mut cur = institution;
    for _ in 0..16 {
        let o = v.org(cur?.0)?;
        if s.org_kinds.is_empty() || s.org_kinds.contains(&o.kind) {
            return Some(o.id);
        }
        cur = o.parent;
    }
    None
}

/// The date and organisation an attendance counts for under `s`, on any date (the as-of
/// date is applied by the caller).
pub(crate) fn contribution(v: &View, s: &Scope, a: &Attendance) -> Option<(NaiveDate, OrgId)> {
    if a.status != AttendanceStatus::Attended {
        return None;
    }
    let e = v.event(a.event.0)?;
    let day = e.start.date();
    let within = e.status != EventStatus::Cancelled
        && s.from.is_none_or(|f| day >= f)
        && s.to.is_none_or(|t| day <= t)
        && (s.formats.is_empty() || s.formats.contains(&e.format))
        && (s.activities.is_empty() || s.activities.contains(&e.activity))
        && (s.events.is_empty() || s.events.contains(&e.id))
        && in_programme(&s.programme, &e.title);
    if !within {
        return None;
    }
    let p = v.person(a.participant.0)?;
    if (!s.roles.is_empty() && !s.roles.contains(&p.role)) || s.except_roles.contains(&p.role) {
        return None;
    }
    Some((day, counted_org(v, s, p.institution)?))
}

/// Whether an event's title belongs to a programme (starts with its name; diacritics and
/// case ignored); an empty programme takes every event.
pub(crate) fn in_programme(programme: &str, title: &str) -> bool {
    if programme.is_empty() {
        return true;
    }
    if title.starts_with(programme) {
        return true;
    }
    let fold = crate::domain::fold::fold;
    fold(title).starts_with(fold(programme).trim())
}

/// The date and organisation of an attendance that counts for `s` as of `asof`.
fn in_scope(m: &Model, s: &Scope, a: &Attendance, asof: NaiveDate) -> Option<(NaiveDate, OrgId)> {
    contribution(&View::now(m), s, a).filter(|(day, _)| *day <= asof)
}

/// Every organisation in the denominator of a scope, by name.
fn denominator(m: &Model, s: &Scope) -> Vec<OrgId> {
    m.orders
        .get(Table::Organisation)
        .iter()
        .filter_map(|id| m.organisations.get(*id))
        .filter(|o| s.org_kinds.is_empty() || s.org_kinds.contains(&o.kind))
        .map(|o| o.id)
        .collect()
}

/// For each organisation (by id), the calendar years with an attendance in scope, as a bit
/// set (bit = year - base); one parallel pass over all attendance.
fn years_by_org(m: &Model, s: &Scope, asof: NaiveDate, base: i32) -> Vec<u64> {
    let n = m.organisations.capacity_id() as usize;
    m.attendance
        .slots()
        .par_iter()
        .with_min_len(8192)
        .fold(
            || vec![0u64; n],
            |mut acc, a| {
                if let Some((day, org)) = a.as_ref().and_then(|a| in_scope(m, s, a, asof))
                    && let Some(slot) = acc.get_mut(org.index())
                {
                    *slot |= 1u64 << (day.year() - base).clamp(0, 63);
                }
                acc
            },
        )
        .reduce(
            || vec![0u64; n],
            |mut a, b| {
                for (x, y) in a.iter_mut().zip(b) {
                    *x |= y;
                }
                a
            },
        )
}

/// The first day an attendance in scope happened, as of `asof`.
fn first_day(m: &Model, s: &Scope, asof: NaiveDate) -> Option<NaiveDate> {
    m.attendance
        .slots()
        .par_iter()
        .with_min_len(8192)
        .filter_map(|a| a.as_ref().and_then(|a| in_scope(m, s, a, asof)).map(|(d, _)| d))
        .min()
}

/// The project's start, for the "on track" line (else a year before the deadline).
fn start_of(m: &Model, ind: &Indicator, deadline: NaiveDate) -> NaiveDate {
    let from = match &ind.definition {
        Definition::Coverage(s) | Definition::Regularity(s) => s.from,
        Definition::Milestone { scope: Some(s), .. } => s.from,
        _ => None,
    };
    m.project
        .start
        .or(from)
        .unwrap_or_else(|| deadline.checked_sub_months(chrono::Months::new(12)).unwrap_or(deadline))
}

/// The deadline an indicator is judged against: its own, else the project's end.
pub fn deadline_of(m: &Model, ind: &Indicator) -> Option<NaiveDate> {
    ind.deadline.or(m.project.end)
}

/// A milestone not reached is at risk once this share of its window has passed.
const MILESTONE_LATE: f64 = 0.75;

fn status(m: &Model, ind: &Indicator, out: &Outcome, asof: NaiveDate) -> Status {
    let milestone = matches!(ind.definition, Definition::Milestone { .. });
    let deadline = out.deadline;
    if milestone {
        if let Some(r) = out.reached {
            return match deadline {
                Some(d) if r > d => Status::MetLate,
                _ => Status::Met,
            };
        }
    } else {
        if !ind.basis.target.given() {
            return Status::NoTarget;
        }
        if out.value >= ind.target {
            return Status::Met;
        }
    }
    let Some(deadline) = deadline else {
        return Status::Open;
    };
    if asof > deadline {
        return if milestone { Status::Overdue } else { Status::NotMet };
    }
    let start = start_of(m, ind, deadline);
    let total = (deadline - start).num_days().max(1) as f64;
    let elapsed = (asof - start).num_days().clamp(0, total as i64) as f64;
    if milestone {
        // Nothing done yet: fine early in the window, at risk late in it.
        return if elapsed / total >= MILESTONE_LATE {
            Status::AtRisk
        } else {
            Status::OnTrack
        };
    }
    let baseline = if ind.basis.baseline.given() { ind.baseline } else { 0.0 };
    let expected = baseline + (ind.target - baseline) * elapsed / total;
    if out.value >= expected {
        Status::OnTrack
    } else {
        Status::AtRisk
    }
}

/// Where the per-organisation figures come from: a full scan of the attendance, or the
/// incrementally kept [`Aggregates`].
pub(crate) trait Source {
    /// For each organisation (by raw id), the years with an attendance in scope as of
    /// `asof`, as a bit set (bit = year - base, clamped to 0..=63).
    fn years(&self, m: &Model, ind: &Indicator, s: &Scope, asof: NaiveDate, base: i32) -> Vec<u64>;
    /// The first day an attendance in scope happened, as of `asof`.
    fn first_day(&self, m: &Model, ind: &Indicator, s: &Scope, asof: NaiveDate) -> Option<NaiveDate>;
    /// The value of a count definition as of `asof`.
    fn count(&self, m: &Model, ind: &Indicator, table: Table, filter: &str, asof: NaiveDate) -> f64 {
        let _ = ind;
        count(m, table, filter, asof) as f64
    }
}

/// Unique records of `table` matching `filter` as of `asof`: events only once they started;
/// an expression that does not parse counts nothing.
pub fn count(m: &Model, table: Table, filter: &str, asof: NaiveDate) -> usize {
    let Ok(f) = crate::search::filter::Filter::parse(filter, table, m) else {
        return 0;
    };
    let ids = f.apply(m, None, asof);
    match table {
        Table::Event => ids
            .iter()
            .filter_map(|id| m.events.get(*id))
            .filter(|e| e.start.date() <= asof)
            .count(),
        _ => {
            // Ids come from one pane order, so each record once; dedup defends that.
            let mut ids = ids;
            ids.sort_unstable();
            ids.dedup();
            ids.len()
        }
    }
}

/// The full scan over all attendance.
pub(crate) struct Scan;

impl Source for Scan {
    fn years(&self, m: &Model, _: &Indicator, s: &Scope, asof: NaiveDate, base: i32) -> Vec<u64> {
        years_by_org(m, s, asof, base)
    }
    fn first_day(&self, m: &Model, _: &Indicator, s: &Scope, asof: NaiveDate) -> Option<NaiveDate> {
        first_day(m, s, asof)
    }
}

/// An indicator's value as of `asof` (a full scan of the attendance).
pub fn evaluate(m: &Model, ind: &Indicator, asof: NaiveDate) -> Outcome {
    evaluate_with(&Scan, m, ind, asof)
}

/// The headline denominator an indicator's basis names (`None`: the database's count).
pub fn official_count(m: &Model, ind: &Indicator) -> Option<OfficialCount> {
    match &ind.basis.denominator {
        Denominator::Database => None,
        Denominator::Fixed(c) => Some(c.clone()),
        Denominator::Institutions => m.project.settings.institutions.clone(),
    }
}

/// The calendar years of a regularity window as of `asof`: (first, last) and the year the
/// headline reports (the latest completed one, else the current year so far).
pub fn regular_years(s: &Scope, asof: NaiveDate) -> (i32, i32, i32) {
    let first = s.from.map_or(asof.year(), |d| d.year());
    let last = s.to.map_or(asof, |t| t.min(asof)).year().max(first);
    let headline = (first..=last)
        .rev()
        .find(|y| year_complete(s, asof, *y))
        .unwrap_or(last);
    (first, last, headline)
}

/// Whether calendar year `y` of a window is over as of `asof` (the window's end counts).
pub fn year_complete(s: &Scope, asof: NaiveDate, y: i32) -> bool {
    y < asof.year() || s.to.is_some_and(|t| t < asof && y == t.year())
}

/// The bit base of a scope's year sets.
pub(crate) fn year_base(s: &Scope) -> i32 {
    s.from.map_or(2000, |d| d.year())
}

fn share_of(covered: usize, of: usize) -> f64 {
    if of == 0 {
        0.0
    } else {
        100.0 * covered as f64 / of as f64
    }
}

/// An indicator's value as of `asof`, with the figures from `src`.
pub(crate) fn evaluate_with(src: &dyn Source, m: &Model, ind: &Indicator, asof: NaiveDate) -> Outcome {
    let mut out = Outcome {
        value: 0.0,
        covered: 0,
        of: 0,
        official: None,
        db_value: 0.0,
        db_of: 0,
        years: Vec::new(),
        reached: None,
        gaps: Vec::new(),
        deadline: deadline_of(m, ind),
        status: Status::Open,
    };
    match &ind.definition {
        Definition::Coverage(s) | Definition::Regularity(s) => {
            let all = denominator(m, s);
            let base = year_base(s);
            let years = src.years(m, ind, s, asof, base);
            let bit = |y: i32| 1u64 << (y - base).clamp(0, 63);
            let got = |o: &OrgId| years.get(o.index()).copied().unwrap_or(0);
            let official = if s.share { official_count(m, ind) } else { None };
            let headline_of = official.as_ref().map_or(all.len(), |c| c.count as usize);
            let value = |covered: usize, of: usize| if s.share { share_of(covered, of) } else { covered as f64 };
            let need: u64 = if matches!(ind.definition, Definition::Regularity(_)) {
                let (first, last, headline) = regular_years(s, asof);
                for y in first..=last.min(first + 63) {
                    let c = all.iter().filter(|o| got(o) & bit(y) != 0).count();
                    out.years.push(YearValue {
                        year: y,
                        covered: c,
                        value: value(c, headline_of),
                        db_value: value(c, all.len()),
                        complete: year_complete(s, asof, y),
                    });
                }
                bit(headline)
            } else {
                0
            };
            let covered = |o: &OrgId| got(o) != 0 && got(o) & need == need;
            out.db_of = all.len();
            out.covered = all.iter().filter(|o| covered(o)).count();
            out.gaps = all.into_iter().filter(|o| !covered(o)).collect();
            out.of = headline_of;
            out.value = value(out.covered, out.of);
            out.db_value = value(out.covered, out.db_of);
            out.official = official;
        }
        Definition::Milestone { scope, done } => {
            let by_data = scope.as_ref().and_then(|s| src.first_day(m, ind, s, asof));
            let by_hand = done.filter(|d| *d <= asof);
            out.reached = match (by_data, by_hand) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            out.value = if out.reached.is_some() { 1.0 } else { 0.0 };
        }
        Definition::Manual => {
            let baseline = if ind.basis.baseline.given() { ind.baseline } else { 0.0 };
            out.value = ind.manual_value_at(asof).unwrap_or(baseline)
        }
        Definition::Count { table, filter } => out.value = src.count(m, ind, *table, filter, asof),
    }
    out.status = status(m, ind, &out, asof);
    out
}

/// Every indicator, in display order, as of `asof`.
pub fn evaluate_all(m: &Model, asof: NaiveDate) -> Vec<(IndicatorId, Outcome)> {
    m.orders
        .get(Table::Indicator)
        .iter()
        .filter_map(|id| m.indicators.get(*id))
        .map(|i| (i.id, evaluate(m, i, asof)))
        .collect()
}

#[cfg(test)]
mod tests;

mod agg;
pub mod breakdown;
pub use agg::Aggregates;
pub use breakdown::{By, Part, breakdown, history};
