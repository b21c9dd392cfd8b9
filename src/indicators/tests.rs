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

#[test]
fn regularity_needs_every_year_so_far() {
    let m = world();
    let s = Scope {
        org_kinds: vec![OrgKind::School],
        roles: Vec::new(),
        formats: Vec::new(),
        activities: Vec::new(),
        from: Some(d("2025-01-01")),
        to: Some(d("2029-12-31")),
        share: true,
    };
    let ind = indicator(Definition::Regularity(s), 75.0, "2029-12-31");
    // In 2025 only S2 had support: 1 of 2.
    assert_eq!(evaluate(&m, &ind, d("2025-12-31")).covered, 1);
    // In 2026 S2 again (both years), S1 only in 2026: still 1 of 2.
    let o = evaluate(&m, &ind, d("2026-06-01"));
    assert_eq!((o.covered, o.of), (1, 2));
    assert_eq!(o.gaps, vec![OrgId(4)]);
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

#[test]
fn the_sample_indicators() {
    let ds =
        crate::io::sample::build(&crate::io::sample::EMBEDDED, &Model::default(), &mut |_| UserId(1)).expect("sample");
    let m = Model::from_dataset(ds, vec![]);
    let asof = d("2026-11-22");
    let by_code = |code: &str| {
        let i = m.indicators.iter().find(|i| i.code == code).expect("indicator");
        evaluate(&m, i, asof)
    };
    let i1 = by_code("1");
    assert_eq!((i1.covered, i1.of), (38, 43));
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
    let i2 = by_code("2");
    assert_eq!((i2.covered, i2.of), (19, 64));
    assert_eq!(i2.status, Status::Met);
    let i3 = by_code("3");
    assert_eq!(i3.reached, Some(d("2025-02-20")));
    let i10 = by_code("10");
    assert_eq!((i10.covered, i10.of), (41, 64));
    assert_eq!(by_code("5").reached, Some(d("2025-08-20")));
    assert_eq!(by_code("7").status, Status::Overdue);
    assert_eq!(by_code("4").value, 88.0);
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
