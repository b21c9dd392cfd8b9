//! `duplicates` and `merge`: probable duplicate people, and joining two into one.

use super::{Failure, ReportFormat, db_arg, fail};
use crate::backend::Backend;
use crate::i18n::{M, f as f_, t};
use std::io::Write;
use std::path::Path;

/// `atbalsts duplicates`: the groups of probable duplicate people.
pub fn duplicates(
    m: &crate::model::Model,
    format: ReportFormat,
    db: &Path,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    use crate::domain::visible;
    let groups = crate::io::duplicates::find(m);
    let person = |id: crate::domain::ParticipantId| {
        let p = m.participants.get(id.0);
        let institution = p
            .and_then(|p| p.institution)
            .and_then(|o| m.organisations.get(o.0))
            .map(|o| o.label().to_string())
            .unwrap_or_default();
        (p, institution, m.attendance_of_person(id).len())
    };
    match format {
        ReportFormat::Json => {
            let json: Vec<serde_json::Value> = groups
                .iter()
                .map(|g| {
                    let people: Vec<serde_json::Value> = g
                        .people
                        .iter()
                        .map(|id| {
                            let (p, institution, rows) = person(*id);
                            serde_json::json!({
                                "id": id.0,
                                "given_name": p.map(|p| p.given_name.as_str()),
                                "surname": p.map(|p| p.surname.as_str()),
                                "email": p.map(|p| p.email.as_str()),
                                "institution": institution,
                                "attendance": rows,
                            })
                        })
                        .collect();
                    serde_json::json!({ "reasons": g.reasons, "people": people })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &json).map_err(std::io::Error::other)?;
            out.write_all(b"\n")?;
        }
        ReportFormat::Text => {
            if groups.is_empty() {
                writeln!(out, "{}", t(M::DupNone))?;
                return Ok(());
            }
            writeln!(out, "{}", f_(M::DupGroups, &[&groups.len()]))?;
            for g in &groups {
                let why: Vec<&str> = g.reasons.iter().map(|r| t(r.message())).collect();
                writeln!(out, "\n{}", why.join(", "))?;
                for id in &g.people {
                    let (p, institution, rows) = person(*id);
                    let (name, email) = p.map_or((String::new(), ""), |p| (p.full_name(), p.email.as_str()));
                    writeln!(
                        out,
                        "  {:>6}  {}  {}  {}  {}",
                        id.0,
                        visible(&name),
                        visible(&institution),
                        visible(email),
                        f_(M::DupRows, &[&rows])
                    )?;
                }
            }
            writeln!(out, "\n{}", f_(M::DupHowToMerge, &[&db_arg(db)]))?;
        }
    }
    Ok(())
}

/// `atbalsts merge KEEP OTHER [--yes]`: says what merging would do, or does it (one change).
pub fn merge(
    store: &mut dyn Backend,
    keep: u32,
    other: u32,
    yes: bool,
    db: &Path,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    use crate::io::duplicates::{MergeError, plan_merge};
    let plan = plan_merge(store.model(), keep, other).map_err(|e| match e {
        MergeError::NoPerson(id) => fail(f_(M::ErrNoParticipant, &[&id, &db_arg(db)])),
        MergeError::Same(id) => fail(f_(M::MergeErrSame, &[&id, &id])),
    })?;
    let name = |id: u32| {
        store
            .model()
            .participants
            .get(id)
            .map(|p| crate::domain::visible(&p.full_name()))
            .unwrap_or_default()
    };
    let filled = if plan.filled.is_empty() {
        "-".to_string()
    } else {
        plan.filled.join(", ")
    };
    let args: [&dyn std::fmt::Display; 7] = [
        &other,
        &name(other),
        &keep,
        &name(keep),
        &plan.moved,
        &plan.joined,
        &filled,
    ];
    if !yes {
        writeln!(out, "{}", f_(M::MergeWould, &args))?;
        writeln!(out, "{}", f_(M::MergeRun, &[&keep, &other, &db_arg(db)]))?;
        return Ok(());
    }
    let said = f_(M::MergeDone, &args);
    store.apply(plan.command)?;
    writeln!(out, "{said}")?;
    Ok(())
}
