//! Aggregates against the full scan: random worlds, random changes (check-ins, deletions,
//! absences, cancelled and moved events, people and schools moved, indicators edited), every
//! indicator compared at several as-of dates after each change.

use super::*;
use crate::command::Dataset;
use crate::indicators::evaluate_all;

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn random_day(r: &mut Rng) -> NaiveDate {
    d(2024, 1, 1) + chrono::Days::new(r.below(3 * 365) as u64)
}

const STATUSES: [AttendanceStatus; 4] = [
    AttendanceStatus::Attended,
    AttendanceStatus::Attended,
    AttendanceStatus::Absent,
    AttendanceStatus::Registered,
];

fn random_event(r: &mut Rng, id: u32) -> Event {
    let start = random_day(r).and_hms_opt(10, 0, 0).expect("time");
    let mut e = Event::new("E", r.pick(EventFormat::ALL), start, start, Hours(40));
    e.id = EventId(id);
    e.activity = r.pick(Activity::ALL);
    e.status = r.pick(&[EventStatus::Held, EventStatus::Held, EventStatus::Cancelled]);
    e
}

fn world(r: &mut Rng) -> Model {
    let mut orgs = Vec::new();
    for i in 1..=4u32 {
        let mut o = Organisation::new(&format!("M{i}"), OrgKind::Municipality);
        o.id = OrgId(i);
        orgs.push(o);
    }
    for i in 5..=14u32 {
        let kind = r.pick(&[OrgKind::School, OrgKind::VocationalSchool, OrgKind::EducationBoard]);
        let mut o = Organisation::new(&format!("S{i}"), kind);
        o.id = OrgId(i);
        o.parent = Some(OrgId(1 + r.below(4) as u32));
        orgs.push(o);
    }
    let participants = (1..=40u32)
        .map(|i| {
            let inst = if r.below(10) == 0 {
                None
            } else {
                Some(OrgId(1 + r.below(14) as u32))
            };
            let mut p = Participant::new("P", &format!("{i}"), r.pick(Role::ALL), inst);
            p.id = ParticipantId(i);
            p
        })
        .collect();
    let events = (1..=15u32).map(|i| random_event(r, i)).collect();
    let attendance = (1..=150u32)
        .map(|i| {
            let mut a = Attendance::new(
                EventId(1 + r.below(15) as u32),
                ParticipantId(1 + r.below(40) as u32),
                r.pick(&STATUSES),
            );
            a.id = AttendanceId(i);
            a
        })
        .collect();
    Model::from_dataset(
        Dataset {
            organisations: orgs,
            events,
            participants,
            attendance,
            indicators: indicators(r),
            ..Dataset::default()
        },
        vec![],
    )
}

fn some<T: Copy>(r: &mut Rng, all: &[T]) -> Vec<T> {
    (0..r.below(3)).map(|_| r.pick(all)).collect()
}

fn random_scope(r: &mut Rng) -> Scope {
    Scope {
        org_kinds: some(r, OrgKind::ALL),
        roles: some(r, Role::ALL),
        formats: some(r, EventFormat::ALL),
        activities: some(r, Activity::ALL),
        from: (r.below(2) == 0).then(|| random_day(r)),
        to: (r.below(2) == 0).then(|| random_day(r)),
        share: r.below(2) == 0,
        except_roles: if r.below(3) == 0 {
            vec![Role::Student]
        } else {
            Vec::new()
        },
        ..Scope::default()
    }
}

fn indicators(r: &mut Rng) -> Vec<Indicator> {
    (1..=10u32)
        .map(|i| {
            let definition = match i % 5 {
                4 if i < 5 => Definition::Count {
                    table: Table::Participant,
                    filter: "hours>=4 role:teacher".into(),
                },
                4 => Definition::Count {
                    table: Table::Event,
                    filter: "-status:cancelled".into(),
                },
                0 => Definition::Coverage(random_scope(r)),
                1 => Definition::Regularity(random_scope(r)),
                2 => Definition::Milestone {
                    scope: Some(random_scope(r)),
                    done: None,
                },
                _ => Definition::Coverage(Scope {
                    org_kinds: vec![OrgKind::Municipality],
                    ..Scope::default()
                }),
            };
            Indicator {
                id: IndicatorId(i),
                code: format!("{i}").into(),
                title: "t".into(),
                unit: Unit::Percent,
                baseline: 0.0,
                target: 50.0,
                deadline: Some(random_day(r)),
                definition,
                values: Vec::new(),
                notes: Text::default(),
                meta: Meta::unsaved(),
                basis: Basis::default(),
            }
        })
        .collect()
}

fn pick_row(r: &mut Rng, m: &Model) -> Option<Attendance> {
    let n = r.below(m.attendance.len());
    m.attendance.iter().nth(n).cloned()
}

/// One random change, already applied to the model.
fn change(r: &mut Rng, m: &mut Model) -> Change {
    let ch = match r.below(9) {
        0 | 1 => {
            let mut a = Attendance::new(
                EventId(1 + r.below(15) as u32),
                ParticipantId(1 + r.below(40) as u32),
                r.pick(&STATUSES),
            );
            a.id = AttendanceId(m.next_id(Table::Attendance));
            Change::Created(a.wrap())
        }
        2 => match pick_row(r, m) {
            Some(a) => Change::Deleted(a.wrap()),
            None => return change(r, m),
        },
        3 => match pick_row(r, m) {
            Some(a) => {
                let mut b = a.clone();
                b.status = r.pick(&STATUSES);
                Change::Updated {
                    before: Box::new(a.wrap()),
                    after: Box::new(b.wrap()),
                }
            }
            None => return change(r, m),
        },
        4 => {
            let id = 1 + r.below(15) as u32;
            let a = m.events.get(id).cloned().expect("event");
            let mut b = random_event(r, id);
            if r.below(2) == 0 {
                b = a.clone();
                b.status = EventStatus::Cancelled;
            }
            Change::Updated {
                before: Box::new(a.wrap()),
                after: Box::new(b.wrap()),
            }
        }
        5 => {
            let id = 1 + r.below(40) as u32;
            let a = m.participants.get(id).cloned().expect("person");
            let mut b = a.clone();
            b.institution = Some(OrgId(1 + r.below(14) as u32));
            b.role = r.pick(Role::ALL);
            Change::Updated {
                before: Box::new(a.wrap()),
                after: Box::new(b.wrap()),
            }
        }
        6 => {
            // A school moved to another municipality, or changes kind.
            let id = 5 + r.below(10) as u32;
            let a = m.organisations.get(id).cloned().expect("org");
            let mut b = a.clone();
            b.parent = Some(OrgId(1 + r.below(4) as u32));
            if r.below(3) == 0 {
                b.kind = r.pick(OrgKind::ALL);
            }
            Change::Updated {
                before: Box::new(a.wrap()),
                after: Box::new(b.wrap()),
            }
        }
        7 => {
            let id = 1 + r.below(10) as u32;
            let a = m.indicators.get(id).cloned().expect("indicator");
            let mut b = a.clone();
            b.definition = Definition::Coverage(random_scope(r));
            Change::Updated {
                before: Box::new(a.wrap()),
                after: Box::new(b.wrap()),
            }
        }
        _ => {
            // A new person checked in at once.
            let mut p = Participant::new("N", "N", r.pick(Role::ALL), Some(OrgId(1 + r.below(14) as u32)));
            p.id = ParticipantId(m.next_id(Table::Participant));
            Change::Created(p.wrap())
        }
    };
    m.apply(&ch);
    ch
}

fn same(m: &Model, agg: &Aggregates, step: usize) {
    for asof in [
        d(2024, 6, 30),
        d(2025, 8, 31),
        d(2025, 12, 31),
        d(2026, 1, 1),
        d(2027, 6, 1),
    ] {
        let want = evaluate_all(m, asof);
        let got = agg.evaluate_all(m, asof);
        assert_eq!(got, want, "step {step}, as of {asof}");
    }
}

#[test]
fn aggregates_match_the_full_scan_after_random_changes() {
    for seed in 1..=12u64 {
        let mut r = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let mut m = world(&mut r);
        let mut agg = Aggregates::build(&m);
        same(&m, &agg, 0);
        for step in 1..=60 {
            let ch = change(&mut r, &mut m);
            agg.apply(&m, &ch);
            same(&m, &agg, step);
        }
        // Undo the last few the way the store reverts a change it could not save.
        let mut last = Vec::new();
        for _ in 0..5 {
            let ch = change(&mut r, &mut m);
            agg.apply(&m, &ch);
            last.push(ch);
        }
        for ch in last.iter().rev() {
            m.revert(ch);
            agg.revert(&m, ch);
            same(&m, &agg, 999);
        }
        // And it ends where a fresh build is.
        let mut fresh = Aggregates::build(&m);
        agg.scoped.sort_by_key(|s| s.id);
        fresh.scoped.sort_by_key(|s| s.id);
        assert_eq!(agg.scoped.len(), fresh.scoped.len());
        for (a, b) in agg.scoped.iter().zip(&fresh.scoped) {
            let trim = |v: &Vec<Vec<(i32, u32)>>| -> Vec<Vec<(i32, u32)>> {
                let mut v = v.clone();
                while v.last().is_some_and(Vec::is_empty) {
                    v.pop();
                }
                v
            };
            assert_eq!(trim(&a.days), trim(&b.days), "seed {seed}");
        }
    }
}

#[test]
fn a_check_in_on_the_deadline_day_and_a_cancelled_event() {
    let mut r = Rng(7);
    let mut m = world(&mut r);
    let ind = Indicator {
        id: IndicatorId(9),
        code: "9".into(),
        title: "t".into(),
        unit: Unit::Count,
        baseline: 0.0,
        target: 1.0,
        deadline: Some(d(2025, 8, 31)),
        definition: Definition::Coverage(Scope {
            org_kinds: vec![OrgKind::Municipality],
            to: Some(d(2025, 8, 31)),
            ..Scope::default()
        }),
        values: Vec::new(),
        notes: Text::default(),
        meta: Meta::unsaved(),
        basis: Basis::default(),
    };
    // Only this indicator, and no attendance yet.
    let ids: Vec<u32> = m.attendance.iter().map(|a| a.id.0).collect();
    for id in ids {
        let a = m.attendance.get(id).cloned().expect("row");
        m.apply(&Change::Deleted(a.wrap()));
    }
    m.apply(&Change::Created(ind.clone().wrap()));
    let mut agg = Aggregates::build(&m);
    let mut e = m.events.get(1).cloned().expect("event");
    let before = e.clone();
    e.start = d(2025, 8, 31).and_hms_opt(17, 0, 0).expect("time");
    e.status = EventStatus::Held;
    let ch = Change::Updated {
        before: Box::new(before.wrap()),
        after: Box::new(e.clone().wrap()),
    };
    m.apply(&ch);
    agg.apply(&m, &ch);
    let mut p = m.participants.get(1).cloned().expect("person");
    let pb = p.clone();
    p.institution = Some(OrgId(5));
    let ch = Change::Updated {
        before: Box::new(pb.wrap()),
        after: Box::new(p.wrap()),
    };
    m.apply(&ch);
    agg.apply(&m, &ch);
    let mut a = Attendance::new(EventId(1), ParticipantId(1), AttendanceStatus::Attended);
    a.id = AttendanceId(m.next_id(Table::Attendance));
    let ch = Change::Created(a.wrap());
    m.apply(&ch);
    agg.apply(&m, &ch);
    let o = agg.evaluate(&m, &ind, d(2025, 8, 31));
    assert_eq!(o.covered, 1, "the deadline day counts");
    assert_eq!(
        agg.evaluate(&m, &ind, d(2025, 8, 30)).covered,
        0,
        "not before it happened"
    );
    let mut c = e.clone();
    c.status = EventStatus::Cancelled;
    let ch = Change::Updated {
        before: Box::new(e.wrap()),
        after: Box::new(c.wrap()),
    };
    m.apply(&ch);
    agg.apply(&m, &ch);
    assert_eq!(
        agg.evaluate(&m, &ind, d(2025, 12, 31)).covered,
        0,
        "cancelled events do not count"
    );
}

/// A batch (a walk-in: person + row; an erasure: rows + person) followed part by part with
/// `Model::replay` gives the same figures as a full scan; following it against the final
/// model alone would count the walk-in's row twice and miss the erased rows.
#[test]
fn batches_are_followed_part_by_part() {
    let mut r = Rng(0x5eed_0001);
    let mut m = world(&mut r);
    let mut agg = Aggregates::build(&m);
    // A walk-in: a new teacher and their check-in at event 3, as one change.
    let mut p = Participant::new("Guna", "Āboliņa", Role::Teacher, Some(OrgId(6)));
    p.id = ParticipantId(m.next_id(Table::Participant));
    let mut a = Attendance::new(EventId(3), p.id, AttendanceStatus::Attended);
    a.id = AttendanceId(m.next_id(Table::Attendance));
    let walk_in = Change::Batch(vec![Change::Created(p.clone().wrap()), Change::Created(a.wrap())]);
    m.apply(&walk_in);
    m.replay(&walk_in, |m, part| agg.apply(m, part));
    same(&m, &agg, 1);
    // Erasing someone with rows: the rows, then the person.
    let who = (1..=40)
        .map(ParticipantId)
        .find(|id| m.attendance_of_person(*id).len() >= 2)
        .expect("a person with rows");
    let mut parts: Vec<Change> = m
        .attendance_of_person(who)
        .iter()
        .filter_map(|id| m.attendance.get(id.0).cloned())
        .map(|a| Change::Deleted(a.wrap()))
        .collect();
    parts.push(Change::Deleted(
        m.participants.get(who.0).cloned().expect("person").wrap(),
    ));
    let erase = Change::Batch(parts);
    m.apply(&erase);
    m.replay(&erase, |m, part| agg.apply(m, part));
    same(&m, &agg, 2);
    // Undone in one step (the inverse batch), followed the same way.
    let back = Change::Batch(
        erase
            .parts()
            .into_iter()
            .rev()
            .map(|c| match c {
                Change::Deleted(r) => Change::Created(r.clone()),
                other => other.clone(),
            })
            .collect(),
    );
    m.apply(&back);
    m.replay(&back, |m, part| agg.apply(m, part));
    same(&m, &agg, 3);
}

/// Every indicator computed from attendance keeps running totals (a missing one would fall
/// back to the full scan on every report: right figures, but the slow path).
#[test]
fn every_indicator_with_a_data_scope_has_running_totals() {
    let mut r = Rng(7);
    let m = world(&mut r);
    let agg = Aggregates::build(&m);
    for i in m.indicators.iter() {
        let scope = match &i.definition {
            Definition::Coverage(s) | Definition::Regularity(s) => Some(s),
            Definition::Milestone { scope: Some(s), .. } => Some(s),
            _ => None,
        };
        let kept = scope.is_some_and(|s| agg.scoped(i.id, s).is_some());
        assert_eq!(kept, scope.is_some(), "indicator {} ({:?})", i.code, i.definition);
    }
    assert_eq!(agg.scoped.len(), 8, "ten indicators, two of them counts");
}
