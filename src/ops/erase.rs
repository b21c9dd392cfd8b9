//! `erase`: one person, or everyone not seen for some years; a dry run says who.

use super::{Failure, db_arg, fail};
use crate::backend::Backend;
use crate::i18n::{self, M, f};
use std::io::Write;
use std::path::Path;

/// `erase ID`: says what would go (exit 0), or with `yes` erases the person for good.
pub fn one(
    store: &mut dyn Backend,
    participant_id: u32,
    yes: bool,
    db: &Path,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let id = crate::domain::ParticipantId(participant_id);
    let Some(p) = store
        .model()
        .participants
        .get(participant_id)
        .filter(|p| !p.is_erased())
    else {
        return Err(fail(f(M::ErrNoParticipant, &[&participant_id, &db_arg(db)])));
    };
    let name = p.full_name();
    let rows = store.model().attendance_of_person(id).len();
    if !yes {
        // A dry run that worked: say what would happen, exit 0.
        let again = format!("atbalsts erase {participant_id} --yes{}", db_arg(db));
        writeln!(out, "{}", f(M::EraseWouldKeep, &[&name, &rows, &again]))?;
        return Ok(());
    }
    let erased = store.erase(&[id])?;
    said_files(&erased.files, out)?;
    owed(erased.owed, db)?;
    writeln!(out, "{}", f(M::ErasedKeep, &[&name, &rows]))?;
    Ok(())
}

/// `erase --retention YEARS`: lists who would go, or with `yes` erases them in one change.
pub fn retention(store: &mut dyn Backend, years: u32, yes: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let today = crate::domain::today();
    let ids = crate::store::retention::stale_people(store.model(), years, today);
    if ids.is_empty() {
        writeln!(out, "{}", f(M::RetentionNone, &[&years]))?;
        return Ok(());
    }
    if !yes {
        let cut = crate::store::retention::cutoff(today, years);
        writeln!(
            out,
            "{}",
            f(M::RetentionPreview, &[&ids.len(), &years, &i18n::date(cut)])
        )?;
        for id in &ids {
            if let Some(p) = store.model().participants.get(id.0) {
                writeln!(out, "{}\t{}", id.0, crate::domain::visible(&p.full_name()))?;
            }
        }
        writeln!(out, "{}", f(M::RetentionRun, &[&years]))?;
        return Ok(());
    }
    let erased = store.erase(&ids)?;
    said_files(&erased.files, out)?;
    owed(erased.owed, store.label().as_ref())?;
    writeln!(out, "{}", f(M::RetentionDone, &[&ids.len(), &years]))?;
    Ok(())
}

/// An erasure whose files could not be rewritten: made, but said as a failure (exit 1) with
/// what is left and what happens next.
fn owed(why: Option<crate::store::StoreError>, db: &Path) -> Result<(), Failure> {
    match why {
        None => Ok(()),
        Some(e) => Err(Failure {
            message: f(M::ErasedRewriteOwed, &[&db.display(), &super::reason(&e)]),
            code: 1,
        }),
    }
}

/// Says which files this program wrote that may still hold the people erased.
fn said_files(files: &[(crate::domain::FileKind, String)], out: &mut dyn Write) -> Result<(), Failure> {
    if !files.is_empty() {
        writeln!(out, "{}", f(M::ErasedFilesMayHold, &[&files_list(files)]))?;
    }
    Ok(())
}

/// "a backup: /path; an export: /other".
pub fn files_list(files: &[(crate::domain::FileKind, String)]) -> String {
    files
        .iter()
        .map(|(k, file)| format!("{}: {}", i18n::file_kind(*k), crate::domain::visible(file)))
        .collect::<Vec<_>>()
        .join("; ")
}
