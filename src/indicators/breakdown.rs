//! Breakdowns of a computed indicator (by municipality, role, event format or gender) and its
//! value month by month. Full scans of the attendance: compute on demand and keep the result.

use super::*;
use crate::i18n::{Label, M, t};

/// What an indicator is split by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum By {
    Municipality,
    Role,
    Format,
    Gender,
}

impl By {
    pub const ALL: [By; 4] = [By::Municipality, By::Role, By::Format, By::Gender];
    /// The heading in the interface.
    pub fn title(self) -> &'static str {
        t(match self {
            By::Municipality => M::ByMunicipality,
            By::Role => M::ByRole,
            By::Format => M::ByFormat,
            By::Gender => M::ByGender,
        })
    }
}

/// One part of a breakdown.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Part {
    pub label: String,
    pub value: f64,
    pub covered: usize,
    pub of: usize,
}

/// The bits an organisation needs (every year of the window so far, for regularity).
fn need_bits(ind: &Indicator, s: &Scope, asof: NaiveDate, base: i32) -> u64 {
    if matches!(ind.definition, Definition::Regularity(_)) {
        // The year the headline reports (see `regular_years`).
        let (_, _, year) = regular_years(s, asof);
        1u64 << (year - base).clamp(0, 63)
    } else {
        0
    }
}

fn share(s: &Scope, covered: usize, of: usize) -> f64 {
    if !s.share {
        covered as f64
    } else if of == 0 {
        0.0
    } else {
        100.0 * covered as f64 / of as f64
    }
}

/// The key of an attendance (already in scope) under `by`, and the label of each key.
fn key_of(m: &Model, by: By, a: &Attendance, org: OrgId) -> Option<usize> {
    match by {
        By::Municipality => m.municipality_of(org).map(|o| o.index()),
        By::Role => m.participants.get(a.participant.0).map(|p| p.role.ordinal()),
        By::Format => m.events.get(a.event.0).map(|e| e.format.ordinal()),
        By::Gender => m
            .participants
            .get(a.participant.0)
            .map(|p| p.gender.map_or(Gender::ALL.len(), |g| g.ordinal())),
    }
}

fn labels(m: &Model, by: By) -> Vec<(usize, String)> {
    match by {
        By::Municipality => m
            .orders
            .get(Table::Organisation)
            .iter()
            .filter_map(|id| m.organisations.get(*id))
            .filter(|o| o.kind == OrgKind::Municipality)
            .map(|o| {
                let name = if o.short_name.is_empty() {
                    &o.name
                } else {
                    &o.short_name
                };
                (o.id.index(), name.to_string())
            })
            .collect(),
        By::Role => Role::ALL.iter().map(|r| (r.ordinal(), r.label().to_string())).collect(),
        By::Format => EventFormat::ALL
            .iter()
            .map(|f| (f.ordinal(), f.label().to_string()))
            .collect(),
        By::Gender => Gender::ALL
            .iter()
            .map(|g| (g.ordinal(), g.label().to_string()))
            .chain([(Gender::ALL.len(), t(M::NotRecorded).to_string())])
            .collect(),
    }
}

/// An indicator split by `by`, as of `asof`: for coverage and regularity, the organisations
/// covered by attendances of each part (by municipality: the organisations lying in it);
/// for milestones, whether each part reached it; for counts, the records in each part.
/// Parts with nothing in them are left out. Manual indicators have no breakdown.
pub fn breakdown(m: &Model, ind: &Indicator, asof: NaiveDate, by: By) -> Vec<Part> {
    let names = labels(m, by);
    let n = names.iter().map(|(k, _)| k + 1).max().unwrap_or(0);
    let parts = |per: &dyn Fn(usize) -> Option<(f64, usize, usize)>| -> Vec<Part> {
        names
            .iter()
            .filter_map(|(k, label)| {
                let (value, covered, of) = per(*k)?;
                Some(Part {
                    label: label.clone(),
                    value,
                    covered,
                    of,
                })
            })
            .collect()
    };
    match &ind.definition {
        Definition::Coverage(s) | Definition::Regularity(s) => {
            let all = denominator(m, s);
            let base = s.from.map_or(2000, |d| d.year());
            let need = need_bits(ind, s, asof, base);
            let ok = |got: u64| got != 0 && got & need == need;
            if by == By::Municipality {
                let years = years_by_org(m, s, asof, base);
                let mut tally = vec![(0usize, 0usize); n];
                for o in &all {
                    if let Some(k) = m.municipality_of(*o).map(|x| x.index())
                        && let Some(t) = tally.get_mut(k)
                    {
                        t.1 += 1;
                        t.0 += ok(years.get(o.index()).copied().unwrap_or(0)) as usize;
                    }
                }
                return parts(&|k| {
                    let (c, of) = tally.get(k).copied()?;
                    (of > 0).then(|| (share(s, c, of), c, of))
                });
            }
            let orgs = m.organisations.capacity_id() as usize;
            let per_key = m
                .attendance
                .slots()
                .par_iter()
                .with_min_len(8192)
                .fold(
                    || vec![0u64; n * orgs],
                    |mut acc, a| {
                        if let Some(a) = a.as_ref()
                            && let Some((day, org)) = in_scope(m, s, a, asof)
                            && let Some(k) = key_of(m, by, a, org)
                            && let Some(slot) = acc.get_mut(k * orgs + org.index())
                        {
                            *slot |= 1u64 << (day.year() - base).clamp(0, 63);
                        }
                        acc
                    },
                )
                .reduce(
                    || vec![0u64; n * orgs],
                    |mut a, b| {
                        for (x, y) in a.iter_mut().zip(b) {
                            *x |= y;
                        }
                        a
                    },
                );
            parts(&|k| {
                let c = all
                    .iter()
                    .filter(|o| ok(per_key.get(k * orgs + o.index()).copied().unwrap_or(0)))
                    .count();
                (c > 0).then(|| (share(s, c, all.len()), c, all.len()))
            })
        }
        Definition::Milestone { scope: Some(s), .. } => {
            let first: Vec<Option<NaiveDate>> = m
                .attendance
                .slots()
                .par_iter()
                .with_min_len(8192)
                .fold(
                    || vec![None; n],
                    |mut acc: Vec<Option<NaiveDate>>, a| {
                        if let Some(a) = a.as_ref()
                            && let Some((day, org)) = in_scope(m, s, a, asof)
                            && let Some(k) = key_of(m, by, a, org)
                            && let Some(slot) = acc.get_mut(k)
                        {
                            *slot = Some(slot.map_or(day, |d| d.min(day)));
                        }
                        acc
                    },
                )
                .reduce(
                    || vec![None; n],
                    |a, b| {
                        a.into_iter()
                            .zip(b)
                            .map(|(x, y)| x.into_iter().chain(y).min())
                            .collect()
                    },
                );
            parts(&|k| first.get(k).copied().flatten().map(|_| (1.0, 1, 1)))
        }
        Definition::Count { table, filter } => {
            let Ok(f) = crate::search::filter::Filter::parse(filter, *table, m) else {
                return Vec::new();
            };
            let mut tally = vec![0usize; n];
            for id in f.apply(m, None, asof) {
                let k = match table {
                    Table::Participant => m.participants.get(id).and_then(|p| match by {
                        By::Municipality => p.institution.and_then(|o| m.municipality_of(o)).map(|o| o.index()),
                        By::Role => Some(p.role.ordinal()),
                        By::Gender => Some(p.gender.map_or(Gender::ALL.len(), |g| g.ordinal())),
                        By::Format => None,
                    }),
                    Table::Event => m
                        .events
                        .get(id)
                        .filter(|e| e.start.date() <= asof)
                        .and_then(|e| match by {
                            By::Municipality => e.organiser.and_then(|o| m.municipality_of(o)).map(|o| o.index()),
                            By::Format => Some(e.format.ordinal()),
                            _ => None,
                        }),
                    _ => match by {
                        By::Municipality => m.municipality_of(OrgId(id)).map(|o| o.index()),
                        _ => None,
                    },
                };
                if let Some(slot) = k.and_then(|k| tally.get_mut(k)) {
                    *slot += 1;
                }
            }
            parts(&|k| tally.get(k).copied().filter(|c| *c > 0).map(|c| (c as f64, c, 0)))
        }
        _ => Vec::new(),
    }
}

/// Month ends from the project's start (else the scope's start, else a year before the
/// deadline) up to `asof` and the deadline, whichever is earlier; `asof` itself last.
pub fn months(m: &Model, ind: &Indicator, asof: NaiveDate) -> Vec<NaiveDate> {
    let end = ind.deadline.map_or(asof, |d| d.min(asof));
    let start = start_of(m, ind, ind.deadline.unwrap_or(asof));
    let mut out = Vec::new();
    let mut first = NaiveDate::from_ymd_opt(start.year(), start.month(), 1);
    while let Some(f) = first {
        let Some(next) = f.checked_add_months(chrono::Months::new(1)) else {
            break;
        };
        let last = next.pred_opt().unwrap_or(next);
        if last >= end || out.len() >= 240 {
            break;
        }
        out.push(last);
        first = Some(next);
    }
    out.push(end);
    out
}

/// The indicator's value at each of [`months`], from one scan of the attendance.
pub fn history(m: &Model, ind: &Indicator, asof: NaiveDate) -> Vec<(NaiveDate, f64)> {
    let agg = Aggregates::for_one(m, ind);
    agg.history(m, ind, asof)
}
