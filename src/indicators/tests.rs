//! Indicator tests: each definition kind on hand-built data with known answers and edge
//! cases, and the sample project's values.

use super::*;
use crate::command::{Change, Dataset};
use crate::i18n::Label;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn at(s: &str) -> chrono::NaiveDateTime {
    d(s).and_hms_opt(10, 0, 0).expect("time")
}

/// Municipalities A, B, C; school S1 in A, S2 in B; a specialist in each municipality and a
/// leader at each school; trainings on 2025-03-01, on the deadline 2025-08-31, after it, and
/// a cancelled one.
fn world() -> Model {
    let mut orgs = vec![
        Organisation::new("A novads", OrgKind::Municipality),
        Organisation::new("B novads", OrgKind::Municipality),
        Organisation::new("C novads", OrgKind::Municipality),
        Organisation::new("S1 skola", OrgKind::School),
        Organisation::new("S2 skola", OrgKind::School),
    ];
    for (i, o) in orgs.iter_mut().enumerate() {
        o.id = OrgId(i as u32 + 1);
    }
    orgs[3].parent = Some(OrgId(1));
    orgs[4].parent = Some(OrgId(2));
    let people = [
        ("A", Role::MunicipalEducationSpecialist, 1),
        ("B", Role::MunicipalEducationSpecialist, 2),
        ("C", Role::MunicipalEducationSpecialist, 3),
        ("L1", Role::LeadershipTeam, 4),
        ("L2", Role::LeadershipTeam, 5),
    ];
    let participants = people
        .iter()
        .enumerate()
        .map(|(i, (n, r, o))| {
            let mut p = Participant::new(n, "Test", *r, Some(OrgId(*o)));
            p.id = ParticipantId(i as u32 + 1);
            p
        })
        .collect();
    let ev = |i: u32, day: &str, status: EventStatus| {
        let mut e = Event::new("Mācības", EventFormat::Training, at(day), at(day), Hours(60));
        e.id = EventId(i);
        e.status = status;
        e
    };
    let events = vec![
        ev(1, "2025-03-01", EventStatus::Held),
        ev(2, "2025-08-31", EventStatus::Held),
        ev(3, "2025-09-01", EventStatus::Held),
        ev(4, "2025-04-01", EventStatus::Cancelled),
        ev(5, "2026-02-01", EventStatus::Held),
    ];
    // (event, participant, status)
    let rows = [
        (1, 1, AttendanceStatus::Attended), // A covered in March
        (2, 2, AttendanceStatus::Attended), // B covered on the deadline day
        (3, 3, AttendanceStatus::Attended), // C only after the deadline
        (4, 3, AttendanceStatus::Attended), // ... and at a cancelled event
        (1, 4, AttendanceStatus::Absent),   // L1 absent: does not count
        (2, 5, AttendanceStatus::Attended), // L2 in 2025
        (5, 5, AttendanceStatus::Attended), // ... and 2026
        (5, 4, AttendanceStatus::Attended), // L1 only in 2026
    ];
    let attendance = rows
        .iter()
        .enumerate()
        .map(|(i, (e, p, st))| {
            let mut a = Attendance::new(EventId(*e), ParticipantId(*p), *st);
            a.id = AttendanceId(i as u32 + 1);
            a
        })
        .collect();
    Model::from_dataset(
        Dataset {
            organisations: orgs,
            events,
            participants,
            attendance,
            ..Dataset::default()
        },
        vec![],
    )
}

fn indicator(definition: Definition, target: f64, deadline: &str) -> Indicator {
    Indicator {
        id: IndicatorId(1),
        code: "1".into(),
        title: "t".into(),
        unit: Unit::Percent,
        baseline: 0.0,
        target,
        deadline: Some(d(deadline)),
        definition,
        values: Vec::new(),
        notes: Text::default(),
        meta: Meta::unsaved(),
        basis: Basis {
            target: FigureSource::Documents {
                reference: "test".into(),
            },
            ..Basis::default()
        },
    }
}

fn specialists(to: &str) -> Scope {
    Scope {
        org_kinds: vec![OrgKind::Municipality],
        roles: vec![Role::MunicipalEducationSpecialist],
        formats: vec![EventFormat::Training],
        activities: Vec::new(),
        from: Some(d("2024-10-01")),
        to: Some(d(to)),
        share: true,
        ..Scope::default()
    }
}

#[test]
fn coverage_counts_the_deadline_day_not_after_nor_cancelled() {
    let m = world();
    let ind = indicator(Definition::Coverage(specialists("2025-08-31")), 90.0, "2025-08-31");
    let o = evaluate(&m, &ind, d("2026-01-01"));
    assert_eq!((o.covered, o.of), (2, 3));
    assert!((o.value - 200.0 / 3.0).abs() < 1e-9);
    assert_eq!(
        o.gaps,
        vec![OrgId(3)],
        "C attended only after the deadline or at a cancelled event"
    );
    assert_eq!(o.status, Status::NotMet);
}

/// A window takes attendance on its first and on its last day, and not on the day before or
/// after: the same by a full scan and by the running totals.
#[test]
fn a_window_counts_its_first_and_last_day_and_not_the_days_around_it() {
    let m = world();
    // Specialists attended: A on 2025-03-01, B on 2025-08-31, C on 2025-09-01 (and at an
    // event cancelled on 2025-04-01).
    let covered = |from: &str, to: &str| -> Vec<&str> {
        let mut s = specialists(to);
        s.from = Some(d(from));
        let ind = indicator(Definition::Coverage(s), 90.0, to);
        let asof = d("2026-12-31");
        let scan = evaluate(&m, &ind, asof);
        let running = agg::Aggregates::for_one(&m, &ind).evaluate(&m, &ind, asof);
        assert_eq!(scan.gaps, running.gaps, "{from}..{to}: the scan and the running totals");
        [(OrgId(1), "A"), (OrgId(2), "B"), (OrgId(3), "C")]
            .into_iter()
            .filter(|(id, _)| !scan.gaps.contains(id))
            .map(|(_, name)| name)
            .collect()
    };
    assert_eq!(
        covered("2025-03-01", "2025-08-31"),
        ["A", "B"],
        "the first and the last day"
    );
    assert_eq!(
        covered("2025-03-02", "2025-08-30"),
        Vec::<&str>::new(),
        "a day before, a day after"
    );
    assert_eq!(covered("2025-08-31", "2025-09-01"), ["B", "C"]);
    assert_eq!(covered("2025-09-01", "2025-09-01"), ["C"], "a window of one day");
    assert_eq!(covered("2025-09-02", "2026-12-31"), Vec::<&str>::new());
}

#[test]
fn as_of_dates_see_the_past() {
    let m = world();
    let ind = indicator(Definition::Coverage(specialists("2025-08-31")), 90.0, "2025-08-31");
    assert_eq!(evaluate(&m, &ind, d("2025-02-28")).covered, 0);
    assert_eq!(evaluate(&m, &ind, d("2025-03-01")).covered, 1);
    assert_eq!(evaluate(&m, &ind, d("2025-08-30")).covered, 1);
    assert_eq!(evaluate(&m, &ind, d("2025-08-31")).covered, 2);
}

#[test]
fn absent_does_not_count_and_schools_count_for_themselves() {
    let m = world();
    let mut s = specialists("2025-08-31");
    s.org_kinds = vec![OrgKind::School];
    s.roles = vec![Role::LeadershipTeam];
    let ind = indicator(Definition::Coverage(s), 20.0, "2025-08-31");
    let o = evaluate(&m, &ind, d("2025-12-31"));
    // L1 was absent in 2025; L2 attended on the deadline day.
    assert_eq!((o.covered, o.of), (1, 2));
    assert_eq!(o.gaps, vec![OrgId(4)]);
    assert_eq!(o.status, Status::Met, "50% >= 20%");
}

#[test]
fn a_school_moved_to_another_municipality_moves_its_coverage() {
    let mut m = world();
    // Count leaders by municipality: S2's leader covers B.
    let mut s = specialists("2026-12-31");
    s.roles = vec![Role::LeadershipTeam];
    let ind = indicator(Definition::Coverage(s), 100.0, "2026-12-31");
    let before = evaluate(&m, &ind, d("2026-06-01"));
    assert!(!before.gaps.contains(&OrgId(2)));
    let old = m.organisations.get(5).cloned().expect("S2");
    let mut moved = old.clone();
    moved.parent = Some(OrgId(3));
    m.apply(&Change::Updated {
        before: Box::new(old.wrap()),
        after: Box::new(moved.wrap()),
    });
    let after = evaluate(&m, &ind, d("2026-06-01"));
    assert!(
        after.gaps.contains(&OrgId(2)) && !after.gaps.contains(&OrgId(3)),
        "{:?}",
        after.gaps
    );
}

fn schools_per_year() -> Scope {
    Scope {
        org_kinds: vec![OrgKind::School],
        from: Some(d("2025-01-01")),
        to: Some(d("2029-08-31")),
        share: true,
        ..Scope::default()
    }
}

#[test]
fn regularity_is_per_calendar_year_and_never_collapses_on_1_january() {
    let m = world();
    let ind = indicator(Definition::Regularity(schools_per_year()), 75.0, "2029-08-31");
    let years = |asof: &str| -> Vec<(i32, usize, bool)> {
        evaluate(&m, &ind, d(asof))
            .years
            .iter()
            .map(|y| (y.year, y.covered, y.complete))
            .collect()
    };
    // 2025: only S2 (L2 on 2025-08-31; L1 was absent). 2026: S1 and S2 (2026-02-01).
    let o = evaluate(&m, &ind, d("2025-12-31"));
    assert_eq!((o.covered, o.of, o.value), (1, 2, 50.0), "2025 so far");
    assert_eq!(years("2025-12-31"), vec![(2025, 1, false)]);
    for day in ["2026-01-01", "2026-01-05"] {
        let o = evaluate(&m, &ind, d(day));
        assert_eq!(
            (o.covered, o.value),
            (1, 50.0),
            "{day}: the completed 2025 is the headline"
        );
        assert_eq!(years(day), vec![(2025, 1, true), (2026, 0, false)], "{day}");
    }
    // S1 missed 2025 and still counts for 2026.
    assert_eq!(years("2026-06-01"), vec![(2025, 1, true), (2026, 2, false)]);
    let o = evaluate(&m, &ind, d("2027-01-02"));
    assert_eq!((o.covered, o.value), (2, 100.0), "2026 completed: both schools");
    assert!(o.gaps.is_empty());
    // After the window's end its last year is complete.
    let last = evaluate(&m, &ind, d("2029-09-01"));
    assert_eq!(last.years.last().map(|y| (y.year, y.complete)), Some((2029, true)));
    assert_eq!(last.years.len(), 5);
}

#[test]
fn regularity_counts_professional_support_only() {
    let mut m = world();
    // A student of S1 at an excellence event (activity 3.1) in 2025.
    let mut student = Participant::new("S", "Students", Role::Student, Some(OrgId(4)));
    student.id = ParticipantId(6);
    let mut camp = Event::new(
        "Nometne",
        EventFormat::Camp,
        at("2025-07-01"),
        at("2025-07-01"),
        Hours(60),
    );
    camp.id = EventId(6);
    camp.status = EventStatus::Held;
    camp.activity = Activity::Networking;
    let mut a = Attendance::new(EventId(6), ParticipantId(6), AttendanceStatus::Attended);
    a.id = AttendanceId(100);
    for r in [student.wrap(), camp.wrap(), a.wrap()] {
        m.apply(&Change::Created(r));
    }
    let mut loose = schools_per_year();
    let any = indicator(Definition::Regularity(loose.clone()), 75.0, "2029-08-31");
    assert_eq!(
        evaluate(&m, &any, d("2025-12-31")).covered,
        2,
        "the camp counts without the rules"
    );
    loose.activities = vec![Activity::Municipal, Activity::School];
    loose.except_roles = vec![Role::Student];
    let strict = indicator(Definition::Regularity(loose.clone()), 75.0, "2029-08-31");
    assert_eq!(
        evaluate(&m, &strict, d("2025-12-31")).covered,
        1,
        "activity lines 1-2, no students"
    );
    // Each rule alone is enough here.
    loose.activities.clear();
    let no_students = indicator(Definition::Regularity(loose), 75.0, "2029-08-31");
    assert_eq!(evaluate(&m, &no_students, d("2025-12-31")).covered, 1);
}

#[test]
fn an_official_denominator_is_the_headline_and_the_database_share_stays() {
    let mut m = world();
    let mut ind = indicator(Definition::Coverage(specialists("2025-08-31")), 90.0, "2025-08-31");
    ind.basis.denominator = Denominator::Fixed(OfficialCount {
        count: 43,
        source: "likums".into(),
        date: Some(d("2024-10-01")),
        assumed: false,
    });
    let o = evaluate(&m, &ind, d("2026-01-01"));
    assert_eq!((o.covered, o.of, o.db_of), (2, 43, 3));
    assert!((o.value - 200.0 / 43.0).abs() < 1e-9);
    assert!((o.db_value - 200.0 / 3.0).abs() < 1e-9);
    assert_eq!(o.official.as_ref().map(|c| c.count), Some(43));
    // The national count of institutions is a project setting; unset, the database's count
    // is all there is.
    let mut s = specialists("2026-12-31");
    s.org_kinds = vec![OrgKind::School];
    s.roles = vec![Role::LeadershipTeam];
    let mut i2 = indicator(Definition::Coverage(s), 20.0, "2026-12-31");
    i2.basis.denominator = Denominator::Institutions;
    let o = evaluate(&m, &i2, d("2026-06-01"));
    assert_eq!((o.covered, o.of, o.official.is_none()), (2, 2, true));
    m.project.settings.institutions = Some(OfficialCount {
        count: 1000,
        source: "pieņemts".into(),
        date: None,
        assumed: true,
    });
    let o = evaluate(&m, &i2, d("2026-06-01"));
    assert_eq!((o.covered, o.of, o.db_of), (2, 1000, 2));
    assert!((o.value - 0.2).abs() < 1e-9);
    assert_eq!(o.status, Status::AtRisk, "0.2% of all institutions, not 100%");
}

#[test]
fn milestones_by_data_and_by_hand() {
    let m = world();
    let s = Scope {
        roles: vec![Role::MunicipalEducationSpecialist],
        ..Scope::default()
    };
    let ind = indicator(
        Definition::Milestone {
            scope: Some(s),
            done: None,
        },
        1.0,
        "2025-08-31",
    );
    let o = evaluate(&m, &ind, d("2025-12-31"));
    assert_eq!(o.reached, Some(d("2025-03-01")));
    assert_eq!(o.status, Status::Met);
    assert_eq!(evaluate(&m, &ind, d("2025-02-01")).status, Status::OnTrack);
    let manual = indicator(
        Definition::Milestone {
            scope: None,
            done: Some(d("2026-03-15")),
        },
        1.0,
        "2026-03-31",
    );
    assert_eq!(evaluate(&m, &manual, d("2026-03-14")).value, 0.0);
    assert_eq!(evaluate(&m, &manual, d("2026-03-15")).reached, Some(d("2026-03-15")));
    let never = indicator(
        Definition::Milestone {
            scope: None,
            done: None,
        },
        1.0,
        "2026-06-30",
    );
    assert_eq!(evaluate(&m, &never, d("2026-07-01")).status, Status::Overdue);
}

#[test]
fn milestone_late_in_its_window_is_at_risk_and_reached_late_is_met_late() {
    let mut m = world();
    m.project.start = Some(d("2025-01-01"));
    let never = indicator(
        Definition::Milestone {
            scope: None,
            done: None,
        },
        1.0,
        "2025-12-31",
    );
    assert_eq!(evaluate(&m, &never, d("2025-03-01")).status, Status::OnTrack);
    assert_eq!(
        evaluate(&m, &never, d("2025-12-01")).status,
        Status::AtRisk,
        "nothing done with a month left"
    );
    let late = indicator(
        Definition::Milestone {
            scope: None,
            done: Some(d("2026-01-10")),
        },
        1.0,
        "2025-12-31",
    );
    assert_eq!(evaluate(&m, &late, d("2026-02-01")).status, Status::MetLate);
    assert_eq!(evaluate(&m, &late, d("2026-01-09")).status, Status::Overdue);
    // Without a deadline the project's end is the deadline.
    let mut open = never.clone();
    open.deadline = None;
    assert_eq!(evaluate(&m, &open, d("2025-06-01")).status, Status::Open);
    m.project.end = Some(d("2029-08-31"));
    let o = evaluate(&m, &open, d("2029-09-01"));
    assert_eq!((o.deadline, o.status), (Some(d("2029-08-31")), Status::Overdue));
}

/// A milestone reached on its deadline day is met, not met late, and one not reached is
/// overdue only the day after; with no project start its window starts where its scope does
/// (else a year before the deadline).
#[test]
fn a_milestone_on_its_deadline_day_is_met_and_its_window_starts_with_its_scope() {
    let m = world();
    assert_eq!(m.project.start, None);
    let on_the_day = indicator(
        Definition::Milestone {
            scope: None,
            done: Some(d("2025-12-31")),
        },
        1.0,
        "2025-12-31",
    );
    assert_eq!(evaluate(&m, &on_the_day, d("2026-01-15")).status, Status::Met);
    // Never reached (an event that does not exist); the scope opens on 2023-01-01, so by
    // 2025-06-01 four fifths of the window have passed: at risk. Measured from a year
    // before the deadline, under half has.
    let scoped = indicator(
        Definition::Milestone {
            scope: Some(Scope {
                from: Some(d("2023-01-01")),
                events: vec![EventId(99)],
                ..Scope::default()
            }),
            done: None,
        },
        1.0,
        "2025-12-31",
    );
    assert_eq!(evaluate(&m, &scoped, d("2025-06-01")).status, Status::AtRisk);
    let unscoped = indicator(
        Definition::Milestone {
            scope: None,
            done: None,
        },
        1.0,
        "2025-12-31",
    );
    assert_eq!(evaluate(&m, &unscoped, d("2025-06-01")).status, Status::OnTrack);
    // The deadline day is still in time; the day after is not.
    assert_eq!(evaluate(&m, &unscoped, d("2025-12-31")).status, Status::AtRisk);
    assert_eq!(evaluate(&m, &unscoped, d("2026-01-01")).status, Status::Overdue);
}

#[test]
fn a_milestone_tied_to_a_programme_or_designated_events() {
    let mut m = world();
    // Event 2 (2025-08-31) is the first module of the preparation programme.
    let mut e = m.events.get(2).cloned().expect("event 2");
    let before = e.clone();
    e.title = "Metodiķu un didaktiķu sagatavošana: 1. modulis".into();
    m.apply(&Change::Updated {
        before: Box::new(before.wrap()),
        after: Box::new(e.wrap()),
    });
    let mut s = Scope::default();
    let reached = |m: &Model, s: &Scope| {
        let ind = indicator(
            Definition::Milestone {
                scope: Some(s.clone()),
                done: None,
            },
            1.0,
            "2025-08-31",
        );
        evaluate(m, &ind, d("2026-12-31")).reached
    };
    assert_eq!(reached(&m, &s), Some(d("2025-03-01")), "any event");
    s.programme = "metodiku un didaktiku sagatavosana".into();
    assert_eq!(reached(&m, &s), Some(d("2025-08-31")), "diacritics and case ignored");
    s.programme = Text::default();
    s.events = vec![EventId(5)];
    assert_eq!(reached(&m, &s), Some(d("2026-02-01")), "a designated event");
}

#[test]
fn a_target_or_baseline_not_given_is_no_verdict_and_no_zero() {
    let m = world();
    let mut ind = indicator(Definition::Manual, 100.0, "2026-12-31");
    ind.basis.target = FigureSource::NotGiven;
    ind.baseline = 5.0;
    let o = evaluate(&m, &ind, d("2025-01-01"));
    assert_eq!(o.status, Status::NoTarget);
    assert_eq!(o.value, 0.0, "a baseline not given is not a value");
    ind.basis.baseline = FigureSource::Project {
        by: "koordinators".into(),
        on: None,
    };
    assert_eq!(evaluate(&m, &ind, d("2025-01-01")).value, 5.0);
}

#[test]
fn manual_values_as_of_and_the_on_track_line() {
    let m = world();
    let mut ind = indicator(Definition::Manual, 100.0, "2026-12-31");
    ind.unit = Unit::Count;
    ind.values = vec![
        ManualValue {
            date: d("2025-06-30"),
            value: 10.0,
            note: Text::default(),
        },
        ManualValue {
            date: d("2026-06-30"),
            value: 80.0,
            note: Text::default(),
        },
    ];
    assert_eq!(
        evaluate(&m, &ind, d("2025-01-01")).value,
        0.0,
        "baseline before any value"
    );
    assert_eq!(evaluate(&m, &ind, d("2025-07-01")).value, 10.0);
    // Project start unknown: the line starts a year before the deadline (2025-12-31).
    // On 2026-07-01 about half the year passed: 80 is above the line at ~50.
    assert_eq!(evaluate(&m, &ind, d("2026-07-01")).status, Status::OnTrack);
    ind.values[1].value = 20.0;
    assert_eq!(evaluate(&m, &ind, d("2026-07-01")).status, Status::AtRisk);
}

/// Organisations covered by hand, straight from the rows: attended, event not cancelled,
/// `event_ok` and `role_ok`, counted for the participant's institution or its nearest
/// ancestor of `kinds`; the event days with it.
fn by_hand(
    m: &Model,
    kinds: &[OrgKind],
    event_ok: &dyn Fn(&Event) -> bool,
    role_ok: &dyn Fn(Role) -> bool,
) -> Vec<(OrgId, NaiveDate)> {
    let mut out = Vec::new();
    for a in m.attendance.iter() {
        let (Some(e), Some(p)) = (m.events.get(a.event.0), m.participants.get(a.participant.0)) else {
            continue;
        };
        if a.status != AttendanceStatus::Attended
            || e.status == EventStatus::Cancelled
            || !event_ok(e)
            || !role_ok(p.role)
        {
            continue;
        }
        let mut org = p.institution.and_then(|o| m.organisations.get(o.0));
        while let Some(o) = org {
            if kinds.contains(&o.kind) {
                out.push((o.id, e.start.date()));
                break;
            }
            org = o.parent.and_then(|x| m.organisations.get(x.0));
        }
    }
    out
}

fn distinct(rows: &[(OrgId, NaiveDate)], day_ok: impl Fn(NaiveDate) -> bool) -> usize {
    let mut ids: Vec<OrgId> = rows.iter().filter(|r| day_ok(r.1)).map(|r| r.0).collect();
    ids.sort();
    ids.dedup();
    ids.len()
}

#[test]
fn the_sample_indicators() {
    let ds =
        crate::io::sample::build(&crate::io::sample::EMBEDDED, &Model::default(), &mut |_| UserId(1)).expect("sample");
    let m = Model::from_dataset(ds, vec![]);
    let asof = d("2026-11-22");
    let by_code = |code: &str, asof: NaiveDate| {
        let i = m.indicators.iter().find(|i| i.code == code).expect("indicator");
        evaluate(&m, i, asof)
    };
    let trainings = [
        EventFormat::Training,
        EventFormat::Seminar,
        EventFormat::LearningCommunity,
    ];
    let window = |e: &Event| {
        let day = e.start.date();
        trainings.contains(&e.format) && day >= d("2024-10-01") && day <= d("2025-08-31")
    };

    // #1: municipalities with a specialist at a training by 2025-08-31, of all 43.
    let rows = by_hand(&m, &[OrgKind::Municipality], &window, &|r| {
        r == Role::MunicipalEducationSpecialist
    });
    let i1 = by_code("1", asof);
    assert_eq!((i1.covered, i1.of), (distinct(&rows, |_| true), 43));
    assert_eq!((i1.covered, i1.of, i1.db_of), (38, 43, 43));
    assert!((i1.value - 100.0 * 38.0 / 43.0).abs() < 1e-9, "88.4%");
    assert_eq!(i1.official.as_ref().map(|c| c.count), Some(43));
    assert_eq!(i1.status, Status::NotMet, "88.4% < 90% after the deadline");
    let names: Vec<&str> = i1
        .gaps
        .iter()
        .filter_map(|o| m.organisations.get(o.0))
        .map(|o| o.short_name.as_str())
        .collect();
    assert_eq!(names.len(), 5, "{names:?}");
    for want in ["Varakļān", "Alūksn", "Saulkrast", "Balv", "Krāslav"] {
        assert!(
            names.iter().any(|n| n.starts_with(want)),
            "{want} missing from {names:?}"
        );
    }

    // #2: institutions with a leadership-team member at a training, of the national count
    // (a project setting; the sample's is marked assumed), beside the database's share.
    let institutions: Vec<OrgKind> = OrgKind::ALL.iter().copied().filter(|k| k.is_institution()).collect();
    let rows = by_hand(&m, &institutions, &window, &|r| r == Role::LeadershipTeam);
    let national = m
        .project
        .settings
        .institutions
        .clone()
        .expect("the sample sets the national count");
    assert!(
        national.assumed,
        "the sample's national count is an assumption and says so"
    );
    let in_db = m.organisations.iter().filter(|o| o.kind.is_institution()).count();
    let i2 = by_code("2", asof);
    assert_eq!(
        (i2.covered, i2.of, i2.db_of),
        (distinct(&rows, |_| true), national.count as usize, in_db)
    );
    assert!((i2.value - 100.0 * i2.covered as f64 / national.count as f64).abs() < 1e-9);
    assert!(i2.covered > 10 && i2.value < 20.0, "{} of {}", i2.covered, i2.of);
    assert_eq!(i2.status, Status::NotMet);

    // #3: reached by the methodologist-preparation training, not by a seminar one of them
    // attended earlier.
    let i3 = by_code("3", asof);
    assert_eq!(i3.reached, Some(d("2025-04-24")));
    assert_eq!(i3.status, Status::Met);
    let earlier = by_hand(
        &m,
        &[OrgKind::Municipality, OrgKind::School, OrgKind::EducationBoard],
        &window,
        &|r| matches!(r, Role::Methodologist | Role::Didactician),
    );
    assert!(
        earlier.iter().any(|r| r.1 < d("2025-04-24")),
        "a methodologist attended something earlier, which must not count"
    );

    // #10 per calendar year: professional support (activity lines 1-2, not students).
    let support =
        |e: &Event| matches!(e.activity, Activity::Municipal | Activity::School) && e.start.date() >= d("2025-01-01");
    let rows = by_hand(&m, &institutions, &support, &|r| r != Role::Student);
    let in_year = |y: i32, to: NaiveDate| distinct(&rows, |day| day.year() == y && day <= to);
    let boundary = [d("2025-12-31"), d("2026-01-01"), d("2026-01-05")];
    let mut headline = Vec::new();
    for day in boundary {
        let o = by_code("10", day);
        assert_eq!(o.years[0].covered, in_year(2025, day), "{day}");
        assert_eq!(o.of, national.count as usize);
        headline.push(o.covered);
    }
    assert!(headline[0] > 30, "{headline:?}");
    assert_eq!(
        headline,
        vec![in_year(2025, d("2025-12-31")); 3],
        "no collapse on 1 January"
    );
    let o = by_code("10", asof);
    let got: Vec<(i32, usize, bool)> = o.years.iter().map(|y| (y.year, y.covered, y.complete)).collect();
    assert_eq!(
        got,
        vec![(2025, in_year(2025, asof), true), (2026, in_year(2026, asof), false)]
    );
    assert_eq!(o.status, Status::NoTarget, "the documents give no target for #10");

    assert_eq!(by_code("5", asof).reached, Some(d("2025-08-20")));
    assert_eq!(by_code("7", asof).status, Status::Overdue);
    assert_eq!(by_code("9", asof).status, Status::AtRisk, "nothing done, a month left");
    assert_eq!(by_code("4", asof).value, 88.0);
    for code in ["4", "10", "11"] {
        let i = m.indicators.iter().find(|i| i.code == code).expect("indicator");
        assert!(
            !matches!(i.basis.target, FigureSource::Documents { .. }),
            "#{code}: the documents give no target"
        );
        assert!(!i.basis.baseline.given(), "#{code}: no baseline given");
        assert_eq!(
            by_code(code, asof).deadline,
            m.project.end,
            "#{code}: the project's end"
        );
    }
    assert_eq!(m.project.end, Some(d("2029-08-31")));
}

#[test]
fn counts_of_unique_records_matching_a_filter() {
    let m = world();
    let count = |table: Table, filter: &str, asof: &str| {
        let mut ind = indicator(
            Definition::Count {
                table,
                filter: filter.into(),
            },
            2.0,
            "2026-12-31",
        );
        ind.unit = Unit::Count;
        evaluate(&m, &ind, d(asof)).value
    };
    assert_eq!(count(Table::Participant, "role:leadership_team", "2026-01-01"), 2.0);
    assert_eq!(count(Table::Participant, "", "2026-01-01"), 5.0, "everyone once");
    assert_eq!(count(Table::Organisation, "kind:school", "2026-01-01"), 2.0);
    // Events count once they started; the cancelled one only without -status:cancelled.
    assert_eq!(count(Table::Event, "format:training", "2025-08-31"), 3.0);
    assert_eq!(
        count(Table::Event, "format:training -status:cancelled", "2025-08-31"),
        2.0
    );
    assert_eq!(
        count(Table::Event, "format:training -status:cancelled", "2025-09-01"),
        3.0
    );
    // Hours as of the date: L2 has 6 h by 2025-12-31 and 12 h after 2026-02-01.
    assert_eq!(count(Table::Participant, "hours>=10", "2025-12-31"), 0.0);
    assert_eq!(count(Table::Participant, "hours>=10", "2026-03-01"), 1.0);
    assert_eq!(
        count(Table::Participant, "nosuchfield:x", "2026-03-01"),
        0.0,
        "bad filter"
    );
}

#[test]
fn breakdowns_by_municipality_role_and_gender() {
    let mut m = world();
    let ind = indicator(Definition::Coverage(specialists("2025-08-31")), 90.0, "2025-08-31");
    let by_mun = breakdown(&m, &ind, d("2026-01-01"), By::Municipality);
    let got: Vec<(&str, usize, usize)> = by_mun.iter().map(|p| (p.label.as_str(), p.covered, p.of)).collect();
    assert_eq!(got, vec![("A novads", 1, 1), ("B novads", 1, 1), ("C novads", 0, 1)]);
    let mut s = specialists("2026-12-31");
    s.org_kinds = vec![OrgKind::School];
    s.roles = Vec::new();
    let schools = indicator(Definition::Coverage(s), 50.0, "2026-12-31");
    let roles = breakdown(&m, &schools, d("2026-06-01"), By::Role);
    assert_eq!(roles.len(), 1, "{roles:?}");
    assert_eq!((roles[0].covered, roles[0].of), (2, 2));
    assert_eq!(roles[0].label, Role::LeadershipTeam.label());
    assert_eq!(
        breakdown(&m, &schools, d("2025-12-31"), By::Role)[0].covered,
        1,
        "as of"
    );
    let gender = breakdown(&m, &schools, d("2026-06-01"), By::Gender);
    assert_eq!(gender.len(), 1, "nobody's gender is recorded: {gender:?}");
    // S2 moves from B to C: its coverage goes with it.
    let by = |m: &Model| -> Vec<(String, usize)> {
        breakdown(m, &schools, d("2026-06-01"), By::Municipality)
            .into_iter()
            .map(|p| (p.label, p.covered))
            .collect()
    };
    assert_eq!(by(&m), vec![("A novads".to_string(), 1), ("B novads".to_string(), 1)]);
    let old = m.organisations.get(5).cloned().expect("S2");
    let mut moved = old.clone();
    moved.parent = Some(OrgId(3));
    m.apply(&Change::Updated {
        before: Box::new(old.wrap()),
        after: Box::new(moved.wrap()),
    });
    assert_eq!(by(&m), vec![("A novads".to_string(), 1), ("C novads".to_string(), 1)]);
}

#[test]
fn history_month_by_month_up_to_the_deadline() {
    let m = world();
    let ind = indicator(Definition::Coverage(specialists("2025-08-31")), 90.0, "2025-08-31");
    let h = history(&m, &ind, d("2026-01-01"));
    assert_eq!(h.first().map(|x| x.0), Some(d("2024-10-31")), "from the scope's start");
    assert_eq!(h.last().map(|x| x.0), Some(d("2025-08-31")), "to the deadline");
    assert_eq!(h.len(), 11);
    let at = |day: &str| h.iter().find(|x| x.0 == d(day)).map(|x| x.1).expect("month");
    assert_eq!(at("2025-02-28"), 0.0);
    assert!((at("2025-03-31") - 100.0 / 3.0).abs() < 1e-9);
    assert!((at("2025-08-31") - 200.0 / 3.0).abs() < 1e-9, "the deadline day counts");
    // As of a date before the deadline, the last point is that date.
    let h = history(&m, &ind, d("2025-03-15"));
    assert_eq!(h.last().copied(), Some((d("2025-03-15"), 100.0 / 3.0)));
    for (day, v) in history(&m, &ind, d("2025-08-31")) {
        assert_eq!(v, evaluate(&m, &ind, day).value, "{day}");
    }
}
