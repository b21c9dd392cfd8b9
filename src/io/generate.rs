//! Synthetic data at national scale for benchmarks and tests: deterministic for a seed,
//! Latvian-looking names, written through `Command::Import` in slices.

use super::sample::{self, EMBEDDED};
use crate::command::{Command, Dataset};
use crate::domain::*;
use crate::store::StoreError;
use chrono::{Duration, NaiveDate};
use std::collections::HashSet;

/// How much to generate.
#[derive(Clone, Copy, Debug)]
pub struct Size {
    pub participants: u32,
    pub events: u32,
    pub attendance: u64,
    pub seed: u64,
}

/// What was generated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Generated {
    pub organisations: usize,
    pub events: usize,
    pub participants: usize,
    pub attendance: usize,
}

/// SplitMix64: small, fast, deterministic; quality is ample for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const MALE: &[&str] = &[
    "Jānis",
    "Andris",
    "Māris",
    "Juris",
    "Edgars",
    "Aivars",
    "Guntis",
    "Ivars",
    "Kārlis",
    "Mārtiņš",
    "Artūrs",
    "Dāvis",
    "Ģirts",
    "Raimonds",
    "Uldis",
    "Valdis",
    "Roberts",
    "Rihards",
    "Normunds",
    "Oskars",
    "Pēteris",
    "Ēriks",
    "Krišjānis",
    "Toms",
    "Gatis",
    "Aigars",
    "Kristaps",
    "Emīls",
];
const FEMALE: &[&str] = &[
    "Anna",
    "Ilze",
    "Inese",
    "Dace",
    "Līga",
    "Kristīne",
    "Ieva",
    "Sandra",
    "Māra",
    "Žanete",
    "Ināra",
    "Baiba",
    "Zane",
    "Agnese",
    "Evija",
    "Laura",
    "Sanita",
    "Gunta",
    "Vija",
    "Ērika",
    "Anniņa",
    "Ļuba",
    "Sarmīte",
    "Dzintra",
    "Marta",
    "Elīna",
    "Anete",
    "Rūta",
    "Solvita",
    "Ligita",
];
/// Surnames as (masculine, feminine).
const SURNAMES: &[(&str, &str)] = &[
    ("Bērziņš", "Bērziņa"),
    ("Kalniņš", "Kalniņa"),
    ("Ozoliņš", "Ozoliņa"),
    ("Jansons", "Jansone"),
    ("Ozols", "Ozola"),
    ("Liepiņš", "Liepiņa"),
    ("Krūmiņš", "Krūmiņa"),
    ("Balodis", "Balode"),
    ("Zariņš", "Zariņa"),
    ("Pētersons", "Pētersone"),
    ("Vītols", "Vītola"),
    ("Kļaviņš", "Kļaviņa"),
    ("Kārkliņš", "Kārkliņa"),
    ("Eglītis", "Eglīte"),
    ("Lapiņš", "Lapiņa"),
    ("Vanags", "Vanaga"),
    ("Ķeniņš", "Ķeniņa"),
    ("Šteins", "Šteina"),
    ("Žagars", "Žagare"),
    ("Gailītis", "Gailīte"),
    ("Siliņš", "Siliņa"),
    ("Rozītis", "Rozīte"),
    ("Dūmiņš", "Dūmiņa"),
    ("Grīnbergs", "Grīnberga"),
    ("Bērtulsons", "Bērtulsone"),
    ("Priede", "Priede"),
    ("Strautiņš", "Strautiņa"),
    ("Mucenieks", "Muceniece"),
    ("Ābols", "Ābola"),
    ("Āboliņš", "Āboliņa"),
    ("Čakste", "Čakste"),
    ("Ģērmanis", "Ģērmane"),
    ("Lūsis", "Lūse"),
    ("Sproģis", "Sproģe"),
    ("Celmiņš", "Celmiņa"),
    ("Puriņš", "Puriņa"),
    ("Zvaigzne", "Zvaigzne"),
    ("Krastiņš", "Krastiņa"),
    ("Avotiņš", "Avotiņa"),
    ("Jurēvičs", "Jurēviča"),
];
const SUBJECTS: &[&str] = &[
    "matemātika",
    "fizika",
    "ķīmija",
    "bioloģija",
    "latviešu valoda",
    "vēsture",
    "datorika",
    "programmēšana",
    "inženierzinības",
    "vizuālā māksla",
    "mūzika",
    "angļu valoda",
    "sports",
];
const TOPICS: &[&str] = &[
    "Vērtēšana mācību procesā",
    "Mācību satura plānošana",
    "Valsts pārbaudes darbi",
    "Pedagogu mācīšanās kopienas",
    "Mākslīgais intelekts izglītībā",
    "Metodiķu tīkla sanāksme",
    "Vadības komandu mācības",
    "Iekļaujošā izglītība",
    "Dabaszinātņu laboratorijas darbi",
    "Digitālās prasmes stundā",
    "Olimpiāžu sagatavošana",
    "Skolēnu pētnieciskie darbi",
];
const ROLES: &[(Role, u32)] = &[
    (Role::Teacher, 70),
    (Role::LeadershipTeam, 8),
    (Role::Methodologist, 3),
    (Role::Didactician, 1),
    (Role::LearningConsultant, 2),
    (Role::Mentor, 2),
    (Role::SupportStaff, 3),
    (Role::MunicipalEducationSpecialist, 1),
    (Role::IndustryExpert, 1),
    (Role::Student, 8),
    (Role::Other, 1),
];

fn weighted(rng: &mut Rng) -> Role {
    let total: u32 = ROLES.iter().map(|r| r.1).sum();
    let mut x = rng.below(total as u64) as u32;
    for (role, w) in ROLES {
        if x < *w {
            return *role;
        }
        x -= w;
    }
    Role::Other
}

/// Attendance rows per import command: keeps each atomic batch moderate.
const SLICE: usize = 250_000;

/// Generates data into an empty, loaded store.
pub fn generate(store: &mut dyn crate::backend::Backend, size: Size) -> Result<Generated, StoreError> {
    generate_with_progress(store, size, &mut super::progress::Silent)
}

/// [`generate`], reporting to `p` the records made and saved so far ([`Step::Generating`],
/// out of the people, events and attendance rows asked for).
///
/// [`Step::Generating`]: super::progress::Step::Generating
pub fn generate_with_progress(
    store: &mut dyn crate::backend::Backend,
    size: Size,
    p: &mut dyn super::progress::Progress,
) -> Result<Generated, StoreError> {
    let total = u64::from(size.participants) + u64::from(size.events) + size.attendance;
    p.step(super::progress::Step::Generating, Some(total));
    let mut rng = Rng::new(size.seed);
    let meta = Meta::new(Stamp::now(), store.user());
    let mut ds = Dataset::default();

    // Organisations: the sample's real ones (agencies, 43 municipalities...), then schools.
    let base = sample::build(&EMBEDDED, store.model(), &mut |_| UserId(0))
        .map_err(|e| StoreError::BadImport(e.to_string()))?;
    ds.project = base.project;
    ds.organisations = base.organisations;
    // The 11 indicators of the project: their definitions name kinds and roles, not ids.
    ds.indicators = base.indicators;
    let municipalities: Vec<(OrgId, Text)> = ds
        .organisations
        .iter()
        .filter(|o| o.kind == OrgKind::Municipality)
        .map(|o| (o.id, o.short_name.clone()))
        .collect();
    let n_schools = (size.participants / 300).max(10);
    let first_org = store.model().next_id(Table::Organisation) + ds.organisations.len() as u32;
    let mut institutions: Vec<OrgId> = Vec::new();
    for (i, id) in (0..n_schools).zip(first_org..) {
        let (mun, mun_name) = rng.pick(&municipalities).clone();
        let (kind, suffix) = match i % 10 {
            0 => (OrgKind::VocationalSchool, "tehnikums"),
            1 | 2 => (OrgKind::School, "pamatskola"),
            3 => (OrgKind::School, "ģimnāzija"),
            _ => (OrgKind::School, "vidusskola"),
        };
        let name = format!("{} {}. {}", mun_name.trim_end_matches(" novads"), i / 43 + 1, suffix);
        let id = OrgId(id);
        institutions.push(id);
        let mut school = Organisation::new(&name, kind);
        school.id = id;
        school.parent = Some(mun);
        school.meta = meta;
        ds.organisations.push(school);
    }

    let first = store.model().next_id(Table::Participant);
    for i in 0..size.participants {
        let female = rng.below(100) < 80;
        let (m, f) = *rng.pick(SURNAMES);
        let given = if female { *rng.pick(FEMALE) } else { *rng.pick(MALE) };
        let role = weighted(&mut rng);
        let institution = if role == Role::MunicipalEducationSpecialist {
            rng.pick(&municipalities).0
        } else {
            *rng.pick(&institutions)
        };
        let surname = if female { f } else { m };
        let email = if rng.below(10) < 8 {
            format!(
                "{}.{}{}@example.lv",
                crate::domain::fold::fold(given),
                crate::domain::fold::fold(surname),
                i
            )
        } else {
            String::new()
        };
        ds.participants.push(Participant {
            id: ParticipantId(first + i),
            given_name: Text::from(given),
            surname: Text::from(surname),
            email: Text::from(email),
            phone: Text::default(),
            institution: Some(institution),
            role,
            subjects: if role == Role::Teacher {
                vec![Text::from(*rng.pick(SUBJECTS))]
            } else {
                Vec::new()
            },
            gender: Some(if female { Gender::Female } else { Gender::Male }),
            notes: Text::default(),
            meta,
        });
    }

    let start_day = NaiveDate::from_ymd_opt(2024, 10, 1).unwrap_or_default();
    let span_days = 5 * 365;
    let today = today();
    let first = store.model().next_id(Table::Event);
    let orgs_len = ds.organisations.len() as u64;
    for i in 0..size.events {
        let day = start_day + Duration::days(rng.below(span_days) as i64);
        let start = day
            .and_hms_opt(9 + rng.below(6) as u32, if rng.below(2) == 0 { 0 } else { 30 }, 0)
            .unwrap_or_default();
        let hours = Hours(10 * (2 + rng.below(7) as u16));
        let format = *rng.pick(EventFormat::ALL);
        let status = if rng.below(50) == 0 {
            EventStatus::Cancelled
        } else if day < today {
            EventStatus::Held
        } else {
            EventStatus::Planned
        };
        let organiser = ds.organisations[rng.below(orgs_len.min(60)) as usize].id;
        ds.events.push(Event {
            id: EventId(first + i),
            title: Text::from(format!("{} #{}", rng.pick(TOPICS), i + 1)),
            format,
            activity: *rng.pick(Activity::ALL),
            start,
            end: start + Duration::minutes(hours.0 as i64 * 45 / 10 + 30),
            hours,
            place: Text::default(),
            online: rng.below(3) == 0,
            organiser: Some(organiser),
            target_groups: vec![weighted(&mut rng)],
            capacity: Some(200),
            status,
            notes: Text::default(),
            meta,
        });
    }

    let mut done = Generated {
        organisations: ds.organisations.len(),
        events: ds.events.len(),
        participants: ds.participants.len(),
        attendance: 0,
    };
    let events: Vec<(EventId, EventStatus)> = ds.events.iter().map(|e| (e.id, e.status)).collect();
    let p_first = first_participant(&ds);
    store.apply(Command::Import(Box::new(ds)))?;
    let mut made = (done.participants + done.events) as u64;
    p.done(made);

    // Attendance, event by event, each event's people distinct.
    let n_events = events.len().max(1) as u64;
    let n_people = size.participants as u64;
    let mut next_att = store.model().next_id(Table::Attendance);
    let mut batch: Vec<Attendance> = Vec::with_capacity(SLICE);
    let mut seen: HashSet<u32> = HashSet::new();
    for (i, (event, status)) in events.iter().enumerate() {
        if n_people == 0 {
            break;
        }
        let share = size.attendance / n_events + u64::from((i as u64) < size.attendance % n_events);
        let k = share.min(n_people);
        seen.clear();
        while (seen.len() as u64) < k {
            let p = p_first + rng.below(n_people) as u32;
            if !seen.insert(p) {
                continue;
            }
            let st = match status {
                EventStatus::Held if rng.below(10) < 9 => AttendanceStatus::Attended,
                EventStatus::Held => AttendanceStatus::Absent,
                _ => AttendanceStatus::Registered,
            };
            batch.push(Attendance {
                id: AttendanceId(next_att),
                event: *event,
                participant: ParticipantId(p),
                status: st,
                checked_in_at: None,
                checked_in_by: None,
                hours: None,
                meta,
            });
            next_att += 1;
        }
        if batch.len() >= SLICE || i + 1 == events.len() {
            done.attendance += batch.len();
            let slice = Dataset {
                attendance: std::mem::take(&mut batch),
                ..Dataset::default()
            };
            store.apply(Command::Import(Box::new(slice)))?;
            made = (done.participants + done.events + done.attendance) as u64;
            p.done(made);
        }
    }
    Ok(done)
}

fn first_participant(ds: &Dataset) -> u32 {
    ds.participants.first().map(|p| p.id.0).unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn rng_is_deterministic_and_in_range() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..1000 {
            let x = a.below(10);
            assert_eq!(x, b.below(10));
            assert!(x < 10);
        }
        assert_ne!(Rng::new(1).next_u64(), Rng::new(2).next_u64());
    }
}
