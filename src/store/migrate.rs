//! Schema versions and the migration hook: a database records the schema it was written in;
//! opening it with a newer build runs each step in order, an older build refuses it.

use super::codec::{KEY_SCHEMA, SCHEMA_VERSION};
use super::error::StoreError;

#[derive(Debug)]
pub enum MigrateError {
    Store(StoreError),
    Sled(sled::Error),
}

impl From<sled::Error> for MigrateError {
    fn from(e: sled::Error) -> Self {
        MigrateError::Sled(e)
    }
}

/// A step from schema `n` to `n + 1`.
pub type Step = fn(&sled::Db) -> Result<(), MigrateError>;

/// The steps of this build: `STEPS[0]` goes from schema 1 to 2, and so on.
pub const STEPS: &[Step] = &[v1::to_v2];

/// Brings the database to [`SCHEMA_VERSION`] with `steps`.
pub fn migrate(db: &sled::Db, steps: &[Step]) -> Result<(), MigrateError> {
    migrate_to(db, steps, SCHEMA_VERSION)
}

/// Brings the database to schema `target`; a fresh database is stamped `target` at once.
pub fn migrate_to(db: &sled::Db, steps: &[Step], target: u32) -> Result<(), MigrateError> {
    let found = match db.get(KEY_SCHEMA)? {
        Some(v) if v.len() == 4 => u32::from_be_bytes([v[0], v[1], v[2], v[3]]),
        Some(_) => {
            return Err(MigrateError::Store(StoreError::Corrupt {
                key: "meta/schema".into(),
                reason: "not a 4-byte version".into(),
            }));
        }
        None if db.is_empty() => {
            db.insert(KEY_SCHEMA, &target.to_be_bytes())?;
            db.flush()?;
            return Ok(());
        }
        None => {
            return Err(MigrateError::Store(StoreError::Corrupt {
                key: "meta/schema".into(),
                reason: "missing: this directory holds data of another program".into(),
            }));
        }
    };
    if found > target {
        return Err(MigrateError::Store(StoreError::NewerSchema {
            found,
            supported: target,
        }));
    }
    for v in found..target {
        let step = steps.get(v as usize - 1).ok_or_else(|| {
            MigrateError::Store(StoreError::Corrupt {
                key: "meta/schema".into(),
                reason: format!("no migration from schema {v}"),
            })
        })?;
        step(db)?;
        db.insert(KEY_SCHEMA, &(v + 1).to_be_bytes())?;
        db.flush()?;
    }
    Ok(())
}

/// Schema 1 as written by release 0.1 and the step to schema 2 (indicators gain their
/// reporting basis and richer scopes; organisations a register of partnership documents,
/// a founder, a period and yearly figures; settings the national institution count and the
/// reporting partner).
pub(crate) mod v1 {
    use super::MigrateError;
    use crate::domain::*;
    use crate::store::codec::{
        KEY_SCHEMA, KEY_SETTINGS, chunk_key, decode_chunk, decode_meta, encode_chunk, encode_meta, tag,
    };
    use chrono::NaiveDate;
    use serde::{Deserialize, Serialize};

    #[derive(Clone, Debug, Serialize, Deserialize)]
    pub struct Scope {
        pub org_kinds: Vec<OrgKind>,
        pub roles: Vec<Role>,
        pub formats: Vec<EventFormat>,
        pub activities: Vec<Activity>,
        pub from: Option<NaiveDate>,
        pub to: Option<NaiveDate>,
        pub share: bool,
    }

    #[derive(Clone, Debug, Serialize, Deserialize)]
    pub enum Definition {
        Coverage(Scope),
        Regularity(Scope),
        Milestone {
            scope: Option<Scope>,
            done: Option<NaiveDate>,
        },
        Manual,
        Count {
            table: Table,
            filter: Text,
        },
    }

    #[derive(Clone, Debug, Serialize, Deserialize)]
    pub struct Indicator {
        pub id: IndicatorId,
        pub code: Text,
        pub title: Text,
        pub unit: Unit,
        pub baseline: f64,
        pub target: f64,
        pub deadline: Option<NaiveDate>,
        pub definition: Definition,
        pub values: Vec<ManualValue>,
        pub notes: Text,
        pub meta: Meta,
    }

    #[derive(Clone, Debug, Serialize, Deserialize)]
    pub struct Organisation {
        pub id: OrgId,
        pub name: Text,
        pub short_name: Text,
        pub kind: OrgKind,
        pub parent: Option<OrgId>,
        pub reg_no: Text,
        pub address: Text,
        pub contact_person: Text,
        pub phone: Text,
        pub email: Text,
        pub partner: bool,
        pub agreement_date: Option<NaiveDate>,
        pub agreement_no: Text,
        pub yearly_funding_cents: Option<i64>,
        pub notes: Text,
        pub meta: Meta,
    }

    /// An organisation of schema 1 in schema 2: its single agreement becomes a document of
    /// the register. A number written as a council decision ("Lēmums Nr. 417") becomes a
    /// decided council decision, since a decision is not an agreement; anything else an
    /// agreement, signed when dated.
    pub fn organisation(o: Organisation) -> crate::domain::Organisation {
        let mut documents = Vec::new();
        if !o.agreement_no.is_empty() || o.agreement_date.is_some() {
            let folded = crate::domain::fold::fold(&o.agreement_no);
            let mut d = if folded.contains("lemum") {
                let mut d = PartnerDoc::new(DocKind::CouncilDecision, DocStatus::Decided);
                let digits = o.agreement_no.trim_start_matches(|c: char| !c.is_ascii_digit());
                d.number = Text::from(if digits.is_empty() {
                    o.agreement_no.as_str()
                } else {
                    digits
                });
                d
            } else {
                let status = if o.agreement_date.is_some() {
                    DocStatus::Signed
                } else {
                    DocStatus::Planned
                };
                let mut d = PartnerDoc::new(DocKind::CooperationAgreement, status);
                d.number = o.agreement_no.clone();
                d
            };
            d.date = o.agreement_date;
            documents.push(d);
        }
        crate::domain::Organisation {
            id: o.id,
            name: o.name,
            short_name: o.short_name,
            kind: o.kind,
            parent: o.parent,
            reg_no: o.reg_no,
            address: o.address,
            contact_person: o.contact_person,
            phone: o.phone,
            email: o.email,
            partner: o.partner,
            yearly_funding_cents: o.yearly_funding_cents,
            notes: o.notes,
            meta: o.meta,
            founder: None,
            period_from: None,
            period_to: None,
            documents,
            years: Vec::new(),
        }
    }

    #[derive(Clone, Debug, Serialize, Deserialize)]
    pub struct Settings {
        pub seminar_hours_cap: Option<Hours>,
    }

    fn scope(s: Scope) -> crate::domain::Scope {
        crate::domain::Scope {
            org_kinds: s.org_kinds,
            roles: s.roles,
            formats: s.formats,
            activities: s.activities,
            from: s.from,
            to: s.to,
            share: s.share,
            ..Default::default()
        }
    }

    /// An indicator of schema 1 in schema 2: its figures were entered by the project
    /// (a zero baseline counts as not given), its shares are of the database's organisations.
    pub fn indicator(i: Indicator) -> crate::domain::Indicator {
        let definition = match i.definition {
            Definition::Coverage(s) => crate::domain::Definition::Coverage(scope(s)),
            Definition::Regularity(s) => crate::domain::Definition::Regularity(scope(s)),
            Definition::Milestone { scope: s, done } => crate::domain::Definition::Milestone {
                scope: s.map(scope),
                done,
            },
            Definition::Manual => crate::domain::Definition::Manual,
            Definition::Count { table, filter } => crate::domain::Definition::Count { table, filter },
        };
        let by_project = || FigureSource::Project {
            by: Text::default(),
            on: None,
        };
        crate::domain::Indicator {
            id: i.id,
            code: i.code,
            title: i.title,
            unit: i.unit,
            baseline: i.baseline,
            target: i.target,
            deadline: i.deadline,
            definition,
            values: i.values,
            notes: i.notes,
            meta: i.meta,
            basis: Basis {
                target: by_project(),
                baseline: if i.baseline == 0.0 {
                    FigureSource::NotGiven
                } else {
                    by_project()
                },
                denominator: Denominator::Database,
            },
        }
    }

    /// Rewrites every indicator and organisation chunk and the settings in one atomic batch (which also
    /// stamps schema 2, so a crash leaves either schema 1 or schema 2, never a mix).
    pub fn to_v2(db: &sled::Db) -> Result<(), MigrateError> {
        let mut batch = sled::Batch::default();
        for kv in db.scan_prefix([tag(Table::Indicator)]) {
            let (k, v) = kv?;
            if k.len() != 5 {
                continue;
            }
            let old: Vec<Indicator> = decode_chunk(&k, &v).map_err(MigrateError::Store)?;
            let new: Vec<crate::domain::Indicator> = old.into_iter().map(indicator).collect();
            let chunk = u32::from_be_bytes([k[1], k[2], k[3], k[4]]);
            let bytes = encode_chunk(new.iter()).map_err(MigrateError::Store)?;
            batch.insert(&chunk_key(Table::Indicator, chunk)[..], bytes);
        }
        for kv in db.scan_prefix([tag(Table::Organisation)]) {
            let (k, v) = kv?;
            if k.len() != 5 {
                continue;
            }
            let old: Vec<Organisation> = decode_chunk(&k, &v).map_err(MigrateError::Store)?;
            let new: Vec<crate::domain::Organisation> = old.into_iter().map(organisation).collect();
            let chunk = u32::from_be_bytes([k[1], k[2], k[3], k[4]]);
            let bytes = encode_chunk(new.iter()).map_err(MigrateError::Store)?;
            batch.insert(&chunk_key(Table::Organisation, chunk)[..], bytes);
        }
        if let Some(v) = db.get(KEY_SETTINGS)? {
            let old: Settings = decode_meta(KEY_SETTINGS, &v).map_err(MigrateError::Store)?;
            let new = crate::domain::Settings {
                seminar_hours_cap: old.seminar_hours_cap,
                ..crate::domain::Settings::default()
            };
            batch.insert(KEY_SETTINGS, encode_meta(&new).map_err(MigrateError::Store)?);
        }
        batch.insert(KEY_SCHEMA, &2u32.to_be_bytes());
        db.apply_batch(batch)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_db() -> (tempfile::TempDir, sled::Db) {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = sled::Config::new().path(dir.path()).open().expect("open");
        (dir, db)
    }

    fn version(db: &sled::Db) -> u32 {
        let v = db.get(KEY_SCHEMA).expect("get").expect("schema key");
        u32::from_be_bytes([v[0], v[1], v[2], v[3]])
    }

    #[test]
    fn fresh_database_is_stamped_current() {
        let (_d, db) = temp_db();
        migrate(&db, STEPS).expect("migrate");
        assert_eq!(version(&db), SCHEMA_VERSION);
    }

    #[test]
    fn steps_run_in_order_from_the_stored_version() {
        let (_d, db) = temp_db();
        db.insert(KEY_SCHEMA, &1u32.to_be_bytes()).expect("insert");
        fn to2(db: &sled::Db) -> Result<(), MigrateError> {
            db.insert("log", "2")?;
            Ok(())
        }
        fn to3(db: &sled::Db) -> Result<(), MigrateError> {
            let prev = db.get("log")?.expect("step 2 ran first");
            db.insert("log", [&prev[..], b"3"].concat())?;
            Ok(())
        }
        migrate_to(&db, &[to2, to3], 3).expect("migrate");
        assert_eq!(version(&db), 3);
        assert_eq!(db.get("log").expect("get").expect("log").as_ref(), b"23");
    }

    #[test]
    fn newer_schema_is_refused() {
        let (_d, db) = temp_db();
        db.insert(KEY_SCHEMA, &9u32.to_be_bytes()).expect("insert");
        let e = migrate(&db, STEPS).expect_err("must refuse");
        assert!(matches!(
            e,
            MigrateError::Store(StoreError::NewerSchema { found: 9, .. })
        ));
    }

    #[test]
    fn foreign_data_is_refused() {
        let (_d, db) = temp_db();
        db.insert("something", "else").expect("insert");
        assert!(matches!(
            migrate(&db, STEPS),
            Err(MigrateError::Store(StoreError::Corrupt { .. }))
        ));
    }
}
