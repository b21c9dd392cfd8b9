use super::*;
use crate::command::{Change, Dataset};
use crate::domain::*;
use crate::store::Store;

/// Ids in the tests are 1, 2, 3...; a fresh store's first id is this (every table alike).
const BASE: u32 = 256;

/// The stored id of test id `n`.
fn at(n: u32) -> u32 {
    BASE + n - 1
}

fn person(id: u32, given: &str, surname: &str, email: &str, org: Option<u32>) -> Participant {
    let mut p = Participant::new(given, surname, Role::Teacher, org.map(|o| OrgId(at(o))));
    p.id = ParticipantId(at(id));
    p.email = Text::from(email);
    p
}

fn row(id: u32, event: u32, person: u32, status: AttendanceStatus, secs: Option<u32>) -> Attendance {
    let mut a = Attendance::new(EventId(at(event)), ParticipantId(at(person)), status);
    a.id = AttendanceId(at(id));
    a.checked_in_at =
        secs.map(|s| Stamp::from_utc(chrono::DateTime::from_timestamp(1_750_000_000 + s as i64, 0).expect("t")));
    a
}

/// Two schools, two events, and people with the kinds of twins a coordinator meets.
fn dataset() -> Dataset {
    let orgs: Vec<Organisation> = ["Cēsu Valsts ģimnāzija", "Priekuļu vidusskola"]
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut o = Organisation::new(n, OrgKind::School);
            o.id = OrgId(at(i as u32 + 1));
            o
        })
        .collect();
    let day = chrono::NaiveDate::from_ymd_opt(2025, 3, 14).expect("date");
    let events: Vec<Event> = (1..=2)
        .map(|i| {
            let mut e = Event::new(
                &format!("Seminārs {i}"),
                EventFormat::Seminar,
                day.and_hms_opt(10, 0, 0).expect("t"),
                day.and_hms_opt(12, 0, 0).expect("t"),
                Hours(20),
            );
            e.id = EventId(at(i));
            e
        })
        .collect();
    let mut with_phone = person(2, "Anna", "Berzina", "", Some(1));
    with_phone.phone = Text::from("+371 20000000");
    let participants = vec![
        person(1, "Anna", "Bērziņa", "anna@example.com", Some(1)),
        with_phone,                                                    // same name, same school
        person(3, "Jānis", "Kalniņš", "Janis.K@Example.com", Some(2)), // same email as 4
        person(4, "J.", "Kalniņš", "janis.k@example.com", None),
        person(5, "Marta", "Ozoliņa", "", Some(2)),
        person(6, "Marta", "Ozolina", "", Some(1)), // same name, other school: not a twin
        person(7, "Kristīne", "Liepiņa", "", Some(2)),
        person(8, "Kristine", "Liepina", "k@example.com", Some(2)), // same name
        person(9, "Krišjānis", "Valdemārs", "", Some(1)),
        person(10, "Krisjanis", "Valdemars", "", Some(2)), // other school
        person(11, "Aleksandrs", "Čaks", "", Some(1)),
        person(12, "Aleksandra", "Čaks", "", Some(1)), // one letter apart
    ];
    let attendance = vec![
        row(1, 1, 1, AttendanceStatus::Registered, None),
        row(2, 1, 2, AttendanceStatus::Attended, Some(60)),
        row(3, 2, 2, AttendanceStatus::Attended, Some(10)),
        row(4, 2, 1, AttendanceStatus::Attended, Some(30)),
    ];
    Dataset {
        organisations: orgs,
        events,
        participants,
        attendance,
        ..Dataset::default()
    }
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Store::open(dir.path(), "tester").expect("open");
    s.load().expect("load");
    s.apply(Command::Import(Box::new(dataset()))).expect("import");
    (dir, s)
}

fn ids(g: &Group) -> Vec<u32> {
    g.people.iter().map(|p| p.0 - BASE + 1).collect()
}

#[test]
fn finds_the_twins_and_only_them() {
    let m = Model::from_dataset(dataset(), vec![Text::from("?")]);
    let found = find(&m);
    let by_people: Vec<(Vec<u32>, Vec<Reason>)> = found.iter().map(|g| (ids(g), g.reasons.clone())).collect();
    assert_eq!(
        by_people,
        vec![
            (vec![3, 4], vec![Reason::SameEmail]),
            (vec![1, 2], vec![Reason::SameName]),
            (vec![7, 8], vec![Reason::SameName]),
            (vec![11, 12], vec![Reason::CloseName]),
        ]
    );
}

#[test]
fn erased_people_are_no_twins() {
    let mut ds = dataset();
    ds.participants[1] = ds.participants[1].erased();
    let m = Model::from_dataset(ds, vec![Text::from("?")]);
    assert!(find(&m).iter().all(|g| !g.people.contains(&ParticipantId(at(2)))));
}

#[test]
fn merge_moves_rows_joins_conflicts_fills_fields_in_one_undoable_change() {
    let (_dir, mut s) = store();
    let before_rows = s.model().attendance.len();
    let plan = plan_merge(s.model(), at(1), at(2)).expect("plan");
    assert_eq!((plan.moved, plan.joined), (0, 2));
    assert_eq!(plan.filled, vec!["phone"]);
    let change = s.apply(plan.command).expect("merge");
    let m = s.model();
    assert!(m.participants.get(at(2)).is_none());
    assert_eq!(
        m.participants.get(at(1)).map(|p| p.phone.as_str()),
        Some("+371 20000000")
    );
    // Event 1: KEEP was registered, OTHER attended: attended, with OTHER's check-in.
    let r1 = m.attendance_pair(EventId(at(1)), ParticipantId(at(1))).expect("row");
    assert_eq!(r1.status, AttendanceStatus::Attended);
    assert!(r1.checked_in_at.is_some());
    // Event 2: both attended: the earlier check-in (OTHER's, 10 s) stays.
    let r2 = m.attendance_pair(EventId(at(2)), ParticipantId(at(1))).expect("row");
    let earliest = Stamp::from_utc(chrono::DateTime::from_timestamp(1_750_000_010, 0).expect("t"));
    assert_eq!(r2.checked_in_at, Some(earliest));
    assert_eq!(m.attendance.len(), before_rows - 2);
    assert!(m.attendance_of_person(ParticipantId(at(2))).is_empty());
    // One change, one undo step: everything back.
    assert!(matches!(change, Change::Batch(_)));
    let undo = change.inverse().expect("undoable");
    s.apply(undo).expect("undo");
    let m = s.model();
    assert_eq!(m.participants.get(at(2)).map(|p| p.surname.as_str()), Some("Berzina"));
    assert_eq!(m.participants.get(at(1)).map(|p| p.phone.as_str()), Some(""));
    assert_eq!(m.attendance.len(), before_rows);
    assert_eq!(
        m.attendance_pair(EventId(at(1)), ParticipantId(at(1)))
            .map(|r| r.status),
        Some(AttendanceStatus::Registered)
    );
}

#[test]
fn merge_moves_rows_of_events_only_other_attended() {
    let (_dir, mut s) = store();
    let plan = plan_merge(s.model(), at(2), at(1)).expect("plan");
    assert_eq!(plan.joined, 2);
    let plan = plan_merge(s.model(), at(4), at(3)).expect("plan");
    assert_eq!((plan.moved, plan.joined), (0, 0));
    assert_eq!(plan.filled, vec!["institution"]);
    s.apply(plan.command).expect("merge");
    assert_eq!(
        s.model().participants.get(at(4)).and_then(|p| p.institution),
        Some(OrgId(at(2)))
    );
    // Person 5 has no rows; give them one and move it to person 7.
    s.apply(Command::Create(row(0, 1, 5, AttendanceStatus::Registered, None).wrap()))
        .expect("row");
    let plan = plan_merge(s.model(), at(7), at(5)).expect("plan");
    assert_eq!((plan.moved, plan.joined), (1, 0));
    s.apply(plan.command).expect("merge");
    assert!(
        s.model()
            .attendance_pair(EventId(at(1)), ParticipantId(at(7)))
            .is_some()
    );
}

#[test]
fn merge_refuses_unknown_or_same_people() {
    let m = Model::from_dataset(dataset(), vec![Text::from("?")]);
    assert_eq!(plan_merge(&m, at(1), at(1)).err(), Some(MergeError::Same(at(1))));
    assert_eq!(plan_merge(&m, at(1), 99).err(), Some(MergeError::NoPerson(99)));
    assert_eq!(plan_merge(&m, 99, at(1)).err(), Some(MergeError::NoPerson(99)));
}
