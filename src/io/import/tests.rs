use super::*;
use crate::command::Change;

fn sample() -> Model {
    crate::io::sample::test_model("ilze")
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
    // Ids are the next free ones, as `Command::Import` wants.
    assert_eq!(anna.id.0, m.next_id(Table::Participant));
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
    m.apply(&Change::Imported(Box::new(first.dataset)));
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

#[test]
fn a_small_import_is_one_batch_whose_ids_come_out_as_planned() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = crate::store::Store::open(dir.path(), "test").expect("open");
    store.load().expect("load");
    let ds = crate::io::sample::build(&crate::io::sample::EMBEDDED, store.model(), &mut |_| UserId(0)).expect("sample");
    store
        .apply(crate::command::Command::Import(Box::new(ds)))
        .expect("sample in");
    let event = some_event(store.model());
    let opts = Options {
        event: Some(event),
        create_institutions: true,
        ..Options::default()
    };
    let p = plan(store.model(), &sheet(FORM), "form.csv", &opts).expect("plan");
    let planned: Vec<(u32, String)> = p.dataset.participants.iter().map(|x| (x.id.0, x.full_name())).collect();
    let rows = p.dataset.attendance.len();
    let new_people = p.report.new_people;
    let change = store.apply(p.command()).expect("applied");
    assert!(matches!(change, Change::Batch(_)));
    for (id, name) in planned {
        assert_eq!(store.model().participants.get(id).map(|x| x.full_name()), Some(name));
    }
    assert!(store.model().attendance_of_event(event).len() >= rows);
    // One undo step takes it all back.
    let undo = change.inverse().expect("undoable");
    store.apply(undo).expect("undone");
    let again = plan(store.model(), &sheet(FORM), "form.csv", &opts).expect("plan");
    assert_eq!(again.report.new_people, new_people);
    assert_eq!(again.report.new_institutions.len(), 1);
}
