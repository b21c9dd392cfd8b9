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
pub const STEPS: &[Step] = &[];

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
