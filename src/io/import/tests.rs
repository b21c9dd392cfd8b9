use super::*;
use crate::command::{Change, Command};
use crate::store::StoreError;

fn sample() -> Model {
    crate::io::sample::test_model("ilze")
}

/// A database on disk holding the sample (the directory lives as long as the store is used).
fn sample_store() -> (tempfile::TempDir, crate::store::Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = crate::store::Store::open(dir.path(), "test").expect("open");
    store.load().expect("load");
    let ds = crate::io::sample::build(&crate::io::sample::EMBEDDED, store.model(), &mut |_| UserId(0)).expect("sample");
    store
        .apply(crate::command::Command::Import(Box::new(ds)))
        .expect("sample in");
    (dir, store)
}

fn sheet(text: &str) -> Sheet {
    csv::read(text.as_bytes(), None, None).expect("sheet")
}

fn person<'a>(m: &'a Model, given: &str, surname: &str) -> &'a Participant {
    m.participants
        .iter()
        .find(|p| p.given_name == given && p.surname == surname)
        .unwrap_or_else(|| panic!("{given} {surname} in the sample"))
}

fn some_event(m: &Model) -> EventId {
    m.events.iter().next().expect("an event").id
}

const FORM: &str = "Laikspiedols;Vārds, uzvārds;E-pasta adrese;Izglītības iestāde;Amats;Pašvaldība\n\
2025-03-01 10:00;Aija Puriņa; AIJA.PURINA@Example.com ;Ludzas VĢ;skolotāja;Ludzas novads\n\
2025-03-01 10:01;GRĀVĪTIS Andris;;Rīgas Valsts 2. ģimn.;skolotājs;\n\
2025-03-01 10:02;BĒRZIŅA Anna;anna.berzina.psk@example.com;Cēsu 1. psk.;direktora vietniece;Cēsu novads\n\
2025-03-01 10:03;Jānis Kļava;janis(at)example.com;Cēsu 1. psk.;skolotājs;\n\
2025-03-01 10:04;;x@example.com;Cēsu 1. psk.;skolotājs;\n\
2025-03-01 10:05;Mā\u{200B}ra Ze\u{1b}[31mme;mara@example.com;Cēsu VĢ;skolotāja;\n\
2025-03-01 10:06;Pēteris Nezināmais;peteris@example.com;Mēness 9. vidusskola;skolotājs;\n\
2025-03-01 10:07;anna bērziņa;ANNA.BERZINA.PSK@example.com;Cēsu 1. pamatskola;;\n\
2025-03-01 10:08;Ieva Liepa;ieva@example.com;Cēsu VĢ;kosmonaute;\n\
;;;;;\n";

#[test]
fn a_web_form_export_is_matched_cleaned_and_checked() {
    let m = sample();
    let event = some_event(&m);
    let opts = Options {
        event: Some(event),
        ..Options::default()
    };
    let s = sheet(FORM);
    assert_eq!(s.source.delimiter, Some(';'));
    let plan = plan(&m, &s, "form.csv", &opts).expect("plan");
    let r = &plan.report;
    assert_eq!(r.rows, 9, "the empty row is dropped");
    // Aija by email (case and spaces ignored), Andris by name at the same school.
    assert_eq!(r.matched_people, 2, "{r:#?}");
    // Anna Bērziņa and Māra Zeme; Anna's second row is the same person.
    assert_eq!(r.new_people, 2, "{r:#?}");
    assert_eq!(r.repeated_rows, 1);
    let rejected: Vec<(usize, Reason)> = r.rejected.iter().map(|x| (x.row, x.reason)).collect();
    assert_eq!(
        rejected,
        vec![
            (5, Reason::BadEmail),
            (6, Reason::MissingName),
            (8, Reason::UnknownInstitution),
            (10, Reason::UnknownRole)
        ]
    );
    assert_eq!(
        r.unknown_institutions,
        vec![Unknown {
            name: "Mēness 9. vidusskola".into(),
            rows: 1
        }]
    );
    let anna = &plan.dataset.participants[0];
    assert_eq!((anna.given_name.as_str(), anna.surname.as_str()), ("Anna", "Bērziņa"));
    assert_eq!(anna.role, Role::LeadershipTeam);
    let cesu1 = m
        .organisations
        .iter()
        .find(|o| o.name == "Cēsu 1. pamatskola")
        .expect("school");
    assert_eq!(anna.institution, Some(cesu1.id));
    let mara = &plan.dataset.participants[1];
    assert_eq!((mara.given_name.as_str(), mara.surname.as_str()), ("Māra", "Zeme"));
    // Every accepted person is registered once; nobody was registered before.
    let already = [person(&m, "Aija", "Puriņa").id, person(&m, "Andris", "Grāvītis").id]
        .iter()
        .filter(|p| m.attendance_pair(event, **p).is_some())
        .count();
    assert_eq!(r.new_registrations + r.already_registered, 4);
    assert_eq!(r.already_registered, already);
    assert_eq!(plan.dataset.attendance.len(), r.new_registrations);
    // New people are named by placeholders, and their rows refer to them so: the store
    // gives the ids when it applies.
    assert_eq!(anna.id, ParticipantId::new_in_batch(0));
    assert_eq!(mara.id, ParticipantId::new_in_batch(1));
    assert!(plan.dataset.attendance.iter().any(|a| a.participant == anna.id));
    let text = r.text();
    assert!(
        text.contains("row 5") && text.contains("janis(at)example.com"),
        "{text}"
    );
}

#[test]
fn importing_the_same_file_twice_changes_nothing_the_second_time() {
    let mut m = sample();
    let event = some_event(&m);
    let opts = Options {
        event: Some(event),
        create_institutions: true,
        ..Options::default()
    };
    let s = sheet(FORM);
    let first = plan(&m, &s, "form.csv", &opts).expect("plan");
    assert_eq!(first.report.new_institutions, vec!["Mēness 9. vidusskola".to_string()]);
    assert_eq!(first.dataset.organisations[0].kind, OrgKind::School);
    assert!(first.report.changes());
    // Applied as the store applies it: the placeholders get the next free ids.
    let ds = crate::store::refs::resolve_dataset(first.dataset, |t| m.next_id(t)).expect("resolved");
    m.apply(&Change::Imported(Box::new(ds)));
    let second = plan(&m, &s, "form.csv", &opts).expect("plan");
    assert!(!second.report.changes(), "{:#?}", second.report);
    assert!(second.dataset.is_empty());
    assert_eq!(
        second.report.matched_people,
        first.report.matched_people + first.report.new_people
    );
    assert_eq!(
        second.report.already_registered,
        first.report.already_registered + first.report.new_registrations
    );
}

#[test]
fn long_names_and_separate_name_columns() {
    let m = sample();
    let long = "Ā".repeat(10_000);
    let text = format!("Vārds\tUzvārds\tE-pasts\n{long}\tBērziņš\t\nJĀNIS\tbērziņš\t\nJānis\t\t\n");
    let plan = plan(&m, &sheet(&text), "x.tsv", &Options::default()).expect("plan");
    let r = &plan.report;
    assert_eq!(r.delimiter, Some('\t'));
    assert_eq!(r.rejected[0].row, 2);
    assert_eq!(r.rejected[0].reason, Reason::TooLong);
    assert!(r.rejected[0].value.chars().count() <= 81);
    assert_eq!(r.rejected[1].reason, Reason::MissingName);
    assert_eq!(plan.dataset.participants.len(), 1);
    assert_eq!(plan.dataset.participants[0].full_name(), "Jānis Bērziņš");
    assert_eq!(plan.dataset.participants[0].role, Role::Other);
}

#[test]
fn without_a_name_column_the_file_is_refused_with_its_headers() {
    let m = sample();
    let s = sheet("Kas?,Kur?\nx,y\n");
    let e = plan(&m, &s, "x.csv", &Options::default()).expect_err("no names");
    assert_eq!(
        e,
        ReadError::NoNameColumn {
            headers: vec!["Kas?".into(), "Kur?".into()]
        }
    );
    // --map names it.
    let opts = Options {
        map: vec![columns::parse_map("Kas?=full_name").expect("map")],
        ..Options::default()
    };
    let p = plan(&m, &s, "x.csv", &opts).expect("plan");
    assert_eq!(p.report.rejected[0].reason, Reason::MissingName);
}

#[test]
fn a_title_above_the_header_is_skipped() {
    let s = sheet("Pieteikumi semināram 14.03.2025\n\nVārds;Uzvārds\nAnna;Ozola\n");
    assert_eq!(s.header_row, 3);
    assert_eq!(s.headers, vec!["Vārds", "Uzvārds"]);
    assert_eq!(s.rows, vec![(4, vec!["Anna".to_string(), "Ozola".to_string()])]);
}

#[test]
fn roles_from_job_titles() {
    assert_eq!(role_of("Sākumskolas skolotāja"), Some(Role::Teacher));
    assert_eq!(role_of("direktora vietnieks mācību darbā"), Some(Role::LeadershipTeam));
    assert_eq!(role_of("mācīšanās konsultante"), Some(Role::LearningConsultant));
    assert_eq!(
        role_of("municipal_education_specialist"),
        Some(Role::MunicipalEducationSpecialist)
    );
    assert_eq!(role_of("metodiķis"), Some(Role::Methodologist));
    assert_eq!(role_of("kosmonaute"), None);
}

#[test]
fn same_name_at_two_schools_is_told_apart_by_municipality() {
    let mut m = sample();
    // Two schools of the same name in different municipalities.
    let muns: Vec<OrgId> = m
        .organisations
        .iter()
        .filter(|o| o.kind == OrgKind::Municipality)
        .take(2)
        .map(|o| o.id)
        .collect();
    let mut ds = Dataset::default();
    for (i, mun) in muns.iter().enumerate() {
        let mut o = Organisation::new("Sporta skola", OrgKind::School);
        o.id = OrgId(m.next_id(Table::Organisation) + i as u32);
        o.parent = Some(*mun);
        ds.organisations.push(o);
    }
    let ids: Vec<OrgId> = ds.organisations.iter().map(|o| o.id).collect();
    m.apply(&Change::Imported(Box::new(ds)));
    let mun_name = m.organisations.get(muns[1].0).expect("mun").name.clone();
    let text =
        format!("Vārds, uzvārds;Skola;Pašvaldība\nAnna Ozola;Sporta skola;{mun_name}\nIeva Liepa;Sporta skola;\n");
    let p = plan(&m, &sheet(&text), "x.csv", &Options::default()).expect("plan");
    assert_eq!(p.dataset.participants[0].institution, Some(ids[1]));
    assert_eq!(p.report.rejected[0].reason, Reason::AmbiguousInstitution);
}

/// What an applied plan made, by name: each new person's name with their institution's
/// name, and the names registered for `event` by the plan (not before).
fn made_by_name(m: &Model, change: &Change, event: EventId) -> (Vec<(String, String)>, Vec<String>) {
    let org = |o: Option<OrgId>| {
        o.and_then(|o| m.organisations.get(o.0))
            .map_or_else(String::new, |o| o.name.to_string())
    };
    let mut people = Vec::new();
    let mut registered = Vec::new();
    let mut each = |r: &crate::domain::AnyRecord| match r {
        AnyRecord::Participant(p) => people.push((p.full_name(), org(p.institution))),
        AnyRecord::Attendance(a) => {
            assert_eq!(a.event, event, "a row for the import's event");
            let p = m.participants.get(a.participant.0).expect("the row's person exists");
            registered.push(p.full_name());
        }
        _ => {}
    };
    for part in change.parts() {
        match part {
            Change::Created(r) => each(r),
            Change::Imported(ds) => {
                ds.participants.iter().for_each(|p| each(&p.clone().wrap()));
                ds.attendance.iter().for_each(|a| each(&a.clone().wrap()));
            }
            other => panic!("an import only creates: {other:?}"),
        }
    }
    people.sort();
    registered.sort();
    (people, registered)
}

/// A plan made, then a colleague adds a person and a school before it is applied: the
/// import still registers exactly the people it planned (as a batch and as a bulk import),
/// each new person is at the new school the plan made, and nothing names the colleague's
/// records. (Before the store resolved placeholders, the rows kept the ids the client
/// guessed and registered the colleague's person.)
#[test]
fn a_plan_applied_after_a_colleague_added_people_registers_exactly_its_people() {
    for bulk in [false, true] {
        let (_dir, mut store) = sample_store();
        let event = some_event(store.model());
        let opts = Options {
            event: Some(event),
            create_institutions: true,
            ..Options::default()
        };
        let p = plan(store.model(), &sheet(FORM), "form.csv", &opts).expect("plan");
        let mut expect_people: Vec<(String, String)> = p
            .dataset
            .participants
            .iter()
            .map(|x| {
                let school = match x.institution.map(|o| o.0) {
                    Some(id) if placeholder(id).is_some() => p
                        .dataset
                        .organisations
                        .iter()
                        .find(|o| o.id.0 == id)
                        .map(|o| o.name.to_string())
                        .expect("a new school of the plan"),
                    Some(id) => store.model().organisations.get(id).expect("known").name.to_string(),
                    None => String::new(),
                };
                (x.full_name(), school)
            })
            .collect();
        expect_people.sort();
        let mut expect_rows: Vec<String> = p
            .dataset
            .attendance
            .iter()
            .map(|a| match placeholder(a.participant.0) {
                Some(k) => p.dataset.participants[k as usize].full_name(),
                None => store
                    .model()
                    .participants
                    .get(a.participant.0)
                    .expect("known")
                    .full_name(),
            })
            .collect();
        expect_rows.sort();
        assert!(
            p.report.new_people >= 3 && !p.dataset.organisations.is_empty(),
            "{:?}",
            p.report
        );
        // The colleague's changes, made between the plan and its apply.
        let colleague = Participant::new("Kolēģa", "Jaunā", Role::Teacher, None);
        store
            .apply(Command::Create(colleague.wrap()))
            .expect("colleague's person");
        let school = Organisation::new("Kolēģa skola", OrgKind::School);
        store.apply(Command::Create(school.wrap())).expect("colleague's school");
        let cmd = if bulk {
            Command::Import(Box::new(p.dataset.clone()))
        } else {
            p.command()
        };
        let change = store.apply(cmd).expect("applied");
        let (people, rows) = made_by_name(store.model(), &change, event);
        assert_eq!(people, expect_people, "bulk: {bulk}");
        assert_eq!(rows, expect_rows, "bulk: {bulk}");
        assert!(!rows.iter().any(|n| n.contains("Kolēģa")), "{rows:?}");
        // One undo step takes it all back.
        let undo = change.inverse().expect("undoable");
        store.apply(undo).expect("undone");
    }
}

/// A batch that refers to a new record it does not create is refused, and nothing of it
/// is applied.
#[test]
fn a_batch_referring_to_a_new_record_it_does_not_make_is_refused_whole() {
    let (_dir, mut store) = sample_store();
    let event = some_event(store.model());
    let before = store.model().total();
    let person = Participant::new("Ilze", "Jauna", Role::Teacher, None);
    let mut row = Attendance::new(event, ParticipantId::new_in_batch(1), AttendanceStatus::Registered);
    row.id = AttendanceId::new_in_batch(0);
    let mut first = person.clone();
    first.id = ParticipantId::new_in_batch(0);
    let cmd = Command::Batch(vec![Command::Create(first.wrap()), Command::Create(row.clone().wrap())]);
    match store.apply(cmd) {
        Err(StoreError::Unresolved {
            table: Table::Participant,
            new: 1,
        }) => {}
        other => panic!("refused as unresolved: {other:?}"),
    }
    assert_eq!(store.model().total(), before, "nothing applied");
    // Two records under one placeholder are refused too.
    let mut second = person.clone();
    second.id = ParticipantId::new_in_batch(0);
    let mut twice = person;
    twice.id = ParticipantId::new_in_batch(0);
    let err = store
        .apply(Command::Batch(vec![
            Command::Create(second.wrap()),
            Command::Create(twice.wrap()),
        ]))
        .expect_err("one placeholder, two records");
    assert!(matches!(err, StoreError::Unresolved { .. }), "{err:?}");
    assert_eq!(store.model().total(), before, "nothing applied");
    // A single row naming a placeholder outside any batch is refused as well.
    let err = store.apply(Command::Create(row.wrap())).expect_err("no batch");
    assert!(matches!(err, StoreError::Unresolved { .. }), "{err:?}");
}

/// Every kind's list as JSON, as `atbalsts list` prints it.
fn lists(m: &Model) -> Vec<String> {
    Table::ALL
        .iter()
        .map(|t| {
            let mut out = Vec::new();
            crate::io::list::write(
                &mut out,
                crate::io::list::rows(m, *t, None),
                crate::io::list::Format::Json,
            )
            .expect("list");
            String::from_utf8(out).expect("utf-8")
        })
        .collect()
}

/// A registration list of `n` new people, every 100th at a school nobody knows yet.
fn big_list(n: usize) -> String {
    let mut s = String::from("Vārds, uzvārds;E-pasta adrese;Izglītības iestāde;Amats\n");
    for i in 0..n {
        let school = if i % 100 == 0 {
            format!("Jaunā {} skola", i / 100)
        } else {
            "Cēsu VĢ".to_string()
        };
        s.push_str(&format!("Anna Ozola{i};anna{i}@example.com;{school};skolotāja\n"));
    }
    s
}

#[test]
fn a_big_import_is_one_change_and_its_undo_gives_back_the_database_as_it_was() {
    let (dir, mut store) = sample_store();
    let before = lists(store.model());
    let before_people = store.model().participants.len();
    let opts = Options {
        event: Some(some_event(store.model())),
        create_institutions: true,
        ..Options::default()
    };
    let p = plan(store.model(), &sheet(&big_list(6000)), "big.csv", &opts).expect("plan");
    assert_eq!(p.report.new_people, 6000);
    assert_eq!(p.report.new_institutions.len(), 60);
    assert!(p.dataset.len() > BATCH_MAX);
    let change = store.apply(p.command()).expect("imported");
    assert!(matches!(change, Change::Imported(_)), "one bulk change");
    let after = lists(store.model());
    assert_ne!(after, before);

    // Someone edits an imported person: the undo is refused and changes nothing.
    let first = store.model().participants.iter().last().expect("someone").clone();
    let mut edited = first.clone();
    edited.notes = "zvanīja".into();
    let edit = store
        .apply(crate::command::Command::Update(edited.wrap()))
        .expect("edited");
    let refused = store.apply(change.inverse().expect("undoable"));
    assert!(
        matches!(refused, Err(crate::store::StoreError::Conflict { .. })),
        "{refused:?}"
    );
    assert_ne!(lists(store.model()), after);
    // Once the edit is undone (as the screen does: the earlier change moved onto the
    // versions the undo left), the import's undo gives the database back as it was.
    let edit_undone = store.apply(edit.inverse().expect("undoable")).expect("edit undone");
    let mut change = change;
    change.rebase_onto(&edit_undone);
    let undone = store.apply(change.inverse().expect("undoable")).expect("undone");
    assert!(matches!(undone, Change::Unimported(_)));
    assert_eq!(lists(store.model()), before, "undo gives the database back as it was");
    // The undo of the undo brings the import back, ids and contents as they were.
    let redone = store.apply(undone.inverse().expect("redoable")).expect("redone");
    let again = lists(store.model());
    assert_eq!(again[Table::Organisation as usize], after[Table::Organisation as usize]);
    assert_eq!(store.model().participants.len(), before_people + 6000);
    store.apply(redone.inverse().expect("undoable")).expect("undone again");
    drop(store);
    let mut store = crate::store::Store::open(dir.path(), "test").expect("reopen");
    store.load().expect("load");
    assert_eq!(lists(store.model()), before, "as before, read from the disk");
    // One log entry per change: the last undo and the redo before it.
    let log = store.history(2).expect("log");
    assert!(
        matches!(log[0].what, crate::store::Logged::Unimported { records: 12060 }),
        "{:?}",
        log[0].what
    );
    assert!(matches!(log[1].what, crate::store::Logged::Imported { records: 12060 }));
}

#[test]
fn an_import_whose_people_were_checked_in_elsewhere_is_not_undone() {
    let (_dir, mut store) = sample_store();
    let p = plan(
        store.model(),
        &sheet(&big_list(6000)),
        "big.csv",
        &Options {
            create_institutions: true,
            ..Options::default()
        },
    )
    .expect("plan");
    let change = store.apply(p.command()).expect("imported");
    let person = store.model().participants.iter().last().expect("someone").id;
    let event = some_event(store.model());
    store
        .apply(crate::command::Command::Create(
            Attendance::new(event, person, AttendanceStatus::Attended).wrap(),
        ))
        .expect("checked in");
    let before = lists(store.model());
    let refused = store.apply(change.inverse().expect("undoable"));
    assert!(
        matches!(
            refused,
            Err(crate::store::StoreError::InUse {
                table: Table::Participant,
                by: Table::Attendance,
                ..
            })
        ),
        "{refused:?}"
    );
    assert_eq!(lists(store.model()), before, "nothing changed");
}

#[test]
fn a_rejected_row_without_a_value_shows_no_dangling_colon() {
    let empty = Rejected {
        row: 4,
        reason: Reason::MissingName,
        value: String::new(),
    };
    let bad = Rejected {
        row: 5,
        reason: Reason::BadEmail,
        value: "liene@@example.com".into(),
    };
    let (a, b) = (empty.line(), bad.line());
    assert!(a.contains('4') && !a.trim_end().ends_with(':'), "{a:?}");
    assert!(b.contains('5') && b.ends_with(": liene@@example.com"), "{b:?}");
}

#[test]
fn the_report_names_each_column_in_the_readers_language_with_its_map_code() {
    let m = sample();
    let plan = plan(&m, &sheet(FORM), "form.csv", &Options::default()).expect("plan");
    crate::i18n::set_thread_lang(crate::i18n::Lang::Lv);
    let lv = plan.report.text();
    crate::i18n::set_thread_lang(crate::i18n::Lang::En);
    let en = plan.report.text();
    let columns = |s: &str| s.lines().nth(1).unwrap_or_default().to_string();
    let (lv, en) = (columns(&lv), columns(&en));
    assert!(lv.contains("→ e-pasts (email)"), "{lv}");
    assert!(en.contains("→ email (email)"), "{en}");
    assert!(!lv.contains("→ email;"), "no bare codes in Latvian: {lv}");
}

/// Cancels the job once `after` rows were reported done (`0`: from the start), and keeps
/// the last count reported.
struct CancelAfter {
    after: u64,
    last: u64,
    asked: std::cell::Cell<u32>,
}

impl Progress for CancelAfter {
    fn step(&mut self, _: Step, _: Option<u64>) {}
    fn done(&mut self, done: u64) {
        self.last = done;
    }
    fn cancelled(&self) -> bool {
        self.asked.set(self.asked.get() + 1);
        self.last >= self.after
    }
}

#[test]
fn a_cancelled_plan_stops_early_with_cancelled() {
    let m = sample();
    let s = sheet(&big_list(50_000));
    // Cancelled before it starts: it stops while indexing what is known.
    let mut p = CancelAfter {
        after: 0,
        last: 0,
        asked: Default::default(),
    };
    let got = plan_known(&Known::of(&m, None), &s, "big.csv", &Options::default(), &mut p);
    assert_eq!(got.err(), Some(ReadError::Cancelled));
    assert_eq!(p.asked.get(), 1, "the first look stops it");
    // Cancelled midway: it stops at the next look, long before the last row.
    let mut p = CancelAfter {
        after: 8192,
        last: 0,
        asked: Default::default(),
    };
    let got = plan_known(&Known::of(&m, None), &s, "big.csv", &Options::default(), &mut p);
    assert_eq!(got.err(), Some(ReadError::Cancelled));
    assert_eq!(p.last, 8192, "no row reported after the cancel");
    assert!(
        u64::from(p.asked.get()) * crate::io::progress::CHECK_EVERY
            <= 8192 + 2 * crate::io::progress::CHECK_EVERY + m.participants.len() as u64,
        "looked every {} rows: {} looks",
        crate::io::progress::CHECK_EVERY,
        p.asked.get()
    );
    // Not cancelled, the same plan runs to the end.
    let mut p = CancelAfter {
        after: u64::MAX,
        last: 0,
        asked: Default::default(),
    };
    let plan = plan_known(&Known::of(&m, None), &s, "big.csv", &Options::default(), &mut p).expect("plan");
    assert_eq!(plan.report.rows, 50_000);
    assert!(p.last >= 49_152, "{}", p.last);
    assert_eq!(
        ReadError::Cancelled.message(Path::new("big.csv")),
        "The import of big.csv was abandoned; nothing was written."
    );
}

/// People stored through a form keep their email as typed (capitals and all); a list with
/// the same address in other capitals and with spaces, and the names typed without
/// diacritics, finds them and adds nobody.
#[test]
fn a_stored_email_with_capitals_and_a_name_without_diacritics_are_matched() {
    let (_dir, mut store) = sample_store();
    let school = |m: &Model, name: &str| {
        m.organisations
            .iter()
            .find(|o| o.name == name)
            .map(|o| o.id)
            .unwrap_or_else(|| panic!("{name} in the sample"))
    };
    let cesu1 = school(store.model(), "Cēsu 1. pamatskola");
    let mut anna = Participant::new("Anna", "Bērziņa", Role::Teacher, Some(cesu1));
    anna.email = "Anna.Berzina@Skola.lv".into();
    let janis = Participant::new("Jānis", "Ķirsītis", Role::Teacher, Some(cesu1));
    for p in [anna, janis] {
        store
            .apply(crate::command::Command::Create(p.wrap()))
            .expect("stored as a form stores it");
    }
    let m = store.model();
    let stored = |given: &str, surname: &str| {
        m.participants
            .iter()
            .find(|p| p.given_name == given && p.surname == surname && p.institution == Some(cesu1))
            .unwrap_or_else(|| panic!("{given} {surname} stored"))
    };
    // The premise: the store keeps the capitals.
    assert_eq!(stored("Anna", "Bērziņa").email, "Anna.Berzina@Skola.lv");
    let (anna, janis) = (stored("Anna", "Bērziņa").id, stored("Jānis", "Ķirsītis").id);
    let event = some_event(m);
    let opts = Options {
        event: Some(event),
        ..Options::default()
    };
    // Anna at another school, so only her email can find her; Jānis by name at his school.
    let list = "Vārds, uzvārds;E-pasta adrese;Izglītības iestāde;Amats\n\
                Anna Berzina; anna.berzina@SKOLA.lv ;Ludzas VĢ;skolotāja\n\
                Janis Kirsitis;;Cēsu 1. pamatskola;skolotājs\n";
    let plan = plan(m, &sheet(list), "list.csv", &opts).expect("plan");
    let r = &plan.report;
    assert_eq!((r.matched_people, r.new_people), (2, 0), "{r:#?}");
    assert!(plan.dataset.participants.is_empty(), "nobody new");
    let registered: Vec<ParticipantId> = plan.dataset.attendance.iter().map(|a| a.participant).collect();
    assert_eq!(registered, vec![anna, janis], "each row registers the stored person");
}
