//! Model tests: indexes and orders kept right through changes, revert, hours rule.

use super::*;
use crate::command::Change;

fn dt(d: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(&format!("{d} 10:00"), "%Y-%m-%d %H:%M").expect("date")
}

fn day(d: &str) -> NaiveDate {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("date")
}

/// Two municipalities, a school, three people, three events and some attendance.
fn sample() -> Model {
    let mut orgs = vec![
        Organisation::new("Rīgas valstspilsētas pašvaldība", OrgKind::Municipality),
        Organisation::new("Ādažu novada pašvaldība", OrgKind::Municipality),
        Organisation::new("Ādažu vidusskola", OrgKind::School),
    ];
    for (i, o) in orgs.iter_mut().enumerate() {
        o.id = OrgId(i as u32 + 1);
    }
    orgs[2].parent = Some(OrgId(2));
    let mut people = vec![
        Participant::new("Jānis", "Ozols", Role::Teacher, Some(OrgId(3))),
        Participant::new("Anna", "Ābola", Role::LeadershipTeam, Some(OrgId(3))),
        Participant::new("Ģirts", "Zariņš", Role::MunicipalEducationSpecialist, Some(OrgId(1))),
    ];
    for (i, p) in people.iter_mut().enumerate() {
        p.id = ParticipantId(i as u32 + 1);
    }
    let mut events = vec![
        Event::new(
            "Old",
            EventFormat::Seminar,
            dt("2022-01-10"),
            dt("2022-01-10"),
            Hours(60),
        ),
        Event::new(
            "Recent",
            EventFormat::Training,
            dt("2025-03-14"),
            dt("2025-03-14"),
            Hours(45),
        ),
        Event::new(
            "Cancelled",
            EventFormat::Training,
            dt("2025-04-01"),
            dt("2025-04-01"),
            Hours(80),
        ),
    ];
    for (i, e) in events.iter_mut().enumerate() {
        e.id = EventId(i as u32 + 1);
    }
    events[2].status = EventStatus::Cancelled;
    let rows = [
        (1, 1, AttendanceStatus::Attended),
        (2, 1, AttendanceStatus::Attended),
        (3, 1, AttendanceStatus::Attended),
        (2, 2, AttendanceStatus::Absent),
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
            project: None,
            organisations: orgs,
            events,
            participants: people,
            attendance,
            indicators: Vec::new(),
        },
        vec!["?".into()],
    )
}

#[test]
fn a_record_is_found_by_table_and_id() {
    let m = sample();
    for t in Table::ALL {
        // Each table's first record comes back as itself; an id past the end as nothing.
        let Some(first) = m
            .orders
            .get(t)
            .first()
            .copied()
            .or_else(|| (t == Table::Attendance).then_some(1))
        else {
            continue;
        };
        let r = m.record(t, first).expect("a record");
        assert_eq!((r.table(), r.raw_id()), (t, first));
        assert!(m.record(t, m.next_id(t)).is_none(), "{t:?}");
    }
    assert!(matches!(m.record(Table::Participant, 2), Some(AnyRecord::Participant(p)) if p.surname == "Ābola"));
}

#[test]
fn indexes_are_built() {
    let m = sample();
    assert_eq!(m.children_of(OrgId(2)), &[OrgId(3)]);
    assert_eq!(m.people_of(OrgId(3)), &[ParticipantId(1), ParticipantId(2)]);
    assert_eq!(m.attendance_of_event(EventId(2)).len(), 2);
    assert_eq!(m.attendance_of_person(ParticipantId(1)).len(), 3);
    assert_eq!(m.status_counts(EventId(2)), [0, 1, 1, 0]);
    assert_eq!(m.municipality_of(OrgId(3)), Some(OrgId(2)));
    assert_eq!(m.municipality_of(OrgId(1)), Some(OrgId(1)));
}

#[test]
fn hours_count_attended_recent_not_cancelled() {
    let m = sample();
    // 2022-01-10 is more than three years before 2025-06-01; the cancelled event is out too.
    assert_eq!(m.hours_last_3_years(ParticipantId(1), day("2025-06-01")), Hours(45));
    // On 2025-01-09 the 2022 seminar is still inside the window, the 2025 one not yet.
    assert_eq!(m.hours_last_3_years(ParticipantId(1), day("2025-01-09")), Hours(60));
    // Absent gives nothing.
    assert_eq!(m.hours_last_3_years(ParticipantId(2), day("2025-06-01")), Hours(0));
}

#[test]
fn orders_follow_folded_names_through_changes() {
    let mut m = sample();
    let names = |m: &Model| -> Vec<String> {
        m.orders
            .get(Table::Participant)
            .iter()
            .filter_map(|id| m.participants.get(*id))
            .map(|p| p.surname.to_string())
            .collect()
    };
    // Ābola sorts as "abola", before Ozols and Zariņš.
    assert_eq!(names(&m), ["Ābola", "Ozols", "Zariņš"]);
    let mut p = Participant::new("Pēteris", "Bērziņš", Role::Teacher, None);
    p.id = ParticipantId(4);
    m.apply(&Change::Created(p.clone().wrap()));
    assert_eq!(names(&m), ["Ābola", "Bērziņš", "Ozols", "Zariņš"]);
    let mut renamed = p.clone();
    renamed.surname = "Ziediņš".into();
    m.apply(&Change::Updated {
        before: Box::new(p.wrap()),
        after: Box::new(renamed.clone().wrap()),
    });
    // Folded, Zariņš is "zarins" and Ziediņš "ziedins": Zariņš first.
    assert_eq!(names(&m), ["Ābola", "Ozols", "Zariņš", "Ziediņš"]);
    // Incremental order equals a full sort.
    let full = Orders::build(&m);
    assert_eq!(full.get(Table::Participant), m.orders.get(Table::Participant));
}

#[test]
fn revert_undoes_apply() {
    let mut m = sample();
    let before_counts = m.status_counts(EventId(1));
    let mut a = Attendance::new(EventId(1), ParticipantId(3), AttendanceStatus::Attended);
    a.id = AttendanceId(5);
    let change = Change::Created(a.wrap());
    m.apply(&change);
    assert_eq!(m.status_counts(EventId(1))[1], before_counts[1] + 1);
    m.revert(&change);
    assert_eq!(m.status_counts(EventId(1)), before_counts);
    assert!(m.attendance.get(5).is_none());
    assert_eq!(m.attendance_of_person(ParticipantId(3)).len(), 0);
}

#[test]
fn record_sizes_stay_small() {
    // Millions of these live in memory: a size regression is a memory regression.
    assert!(std::mem::size_of::<Option<Attendance>>() <= 40);
    assert!(std::mem::size_of::<Option<Participant>>() <= 192);
}

#[test]
fn full_sort_matches_pairwise_order_for_long_and_equal_names() {
    // Names around the 16-byte prefix used by the fast sort, and duplicates.
    let names = [
        ("Anna Marija", "Ozoliņa"),
        ("Anna Mar", "Ozoliņa"),
        ("Anna", "Ozoliņa"),
        ("Anna Marija", "Ozoliņa"),
        ("Ann", "Ozoliņa-Bērziņa"),
        ("Jānis", "Bērziņš"),
        ("Jānis", "Bērziņš"),
    ];
    let participants = names
        .iter()
        .enumerate()
        .map(|(i, (g, s))| {
            let mut p = Participant::new(g, s, Role::Teacher, None);
            p.id = ParticipantId(i as u32 + 1);
            p
        })
        .collect();
    let m = Model::from_dataset(
        Dataset {
            participants,
            ..Dataset::default()
        },
        vec![],
    );
    let got = m.orders.get(Table::Participant).to_vec();
    let mut want = got.clone();
    want.sort_by(|a, b| Orders::cmp(&m, Table::Participant, *a, *b));
    assert_eq!(got, want);
}

#[test]
fn import_and_its_revert_keep_indexes_right() {
    let mut m = sample();
    let before = (
        m.total(),
        m.orders.get(Table::Participant).to_vec(),
        m.status_counts(EventId(2)),
    );
    let mut p = Participant::new("Līga", "Kļaviņa", Role::Mentor, Some(OrgId(3)));
    p.id = ParticipantId(4);
    let mut a = Attendance::new(EventId(2), ParticipantId(4), AttendanceStatus::Attended);
    a.id = AttendanceId(5);
    let ds = Dataset {
        participants: vec![p],
        attendance: vec![a],
        ..Dataset::default()
    };
    let change = Change::Imported(Box::new(ds));
    m.apply(&change);
    assert_eq!(m.people_of(OrgId(3)).len(), 3);
    assert_eq!(m.status_counts(EventId(2))[1], before.2[1] + 1);
    assert_eq!(m.orders.get(Table::Participant).len(), 4);
    m.revert(&change);
    assert_eq!(
        (
            m.total(),
            m.orders.get(Table::Participant).to_vec(),
            m.status_counts(EventId(2))
        ),
        before
    );
}

#[test]
fn seminars_and_conferences_count_at_most_the_cap() {
    let mut m = sample();
    // Person 3: two 8 h seminars, a 6 h conference (of which 5 h credited by hand) and a
    // 10 h training, all in 2025.
    let events = [
        (EventFormat::Seminar, "2025-02-01", 80),
        (EventFormat::Seminar, "2025-03-01", 80),
        (EventFormat::Conference, "2025-04-01", 60),
        (EventFormat::Training, "2025-05-01", 100),
    ];
    for (i, (format, d, h)) in events.into_iter().enumerate() {
        let mut e = Event::new("E", format, dt(d), dt(d), Hours(h));
        e.id = EventId(10 + i as u32);
        m.apply(&Change::Created(e.wrap()));
        let mut a = Attendance::new(EventId(10 + i as u32), ParticipantId(3), AttendanceStatus::Attended);
        a.id = AttendanceId(10 + i as u32);
        if format == EventFormat::Conference {
            a.hours = Some(Hours(50));
        }
        m.apply(&Change::Created(a.wrap()));
    }
    let on = day("2025-06-01");
    assert_eq!(
        m.project.settings.seminar_hours_cap,
        Some(Hours(120)),
        "12 h by default"
    );
    // 8 + 8 + 5 = 21 h of seminars and conferences, capped at 12; plus 10 h of training.
    assert_eq!(m.hours_last_3_years(ParticipantId(3), on), Hours(220));
    m.project.settings.seminar_hours_cap = Some(Hours(200));
    assert_eq!(m.hours_last_3_years(ParticipantId(3), on), Hours(300));
    m.project.settings.seminar_hours_cap = None;
    assert_eq!(m.hours_last_3_years(ParticipantId(3), on), Hours(310));
    // The cap is per 3-year window: on 2025-03-15 only the first two seminars (16 h) count.
    m.project.settings.seminar_hours_cap = Some(Hours(120));
    assert_eq!(m.hours_last_3_years(ParticipantId(3), day("2025-03-15")), Hours(120));
    // The participants filter uses the same ledger.
    let f = crate::search::filter::Filter::parse("hours<25", Table::Participant, &m).expect("filter");
    assert!(f.apply(&m, None, on).contains(&3), "22 h < 25 with the cap");
    m.project.settings.seminar_hours_cap = None;
    assert!(!f.apply(&m, None, on).contains(&3), "31 h without it");
}
