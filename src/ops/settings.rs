//! `settings`: the project's settings shared by everyone on the database, shown after
//! setting one (each a typed value: the CLI has read the hours and dates already).

use super::{Failure, fail};
use crate::backend::Backend;
use crate::domain::{Hours, OfficialCount, OrgId, Text};
use crate::i18n::{M, f, t};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::io::Write;

/// A setting to change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Setting {
    /// Seminars and conferences count at most this many hours in the 3-year ledger
    /// (`None`: no cap).
    HoursCap(Option<Hours>),
    /// The national number of education institutions, with its source and date.
    Institutions {
        count: u32,
        source: Text,
        date: Option<NaiveDate>,
        assumed: bool,
    },
    /// The organisation reports are made for.
    ReportingPartner(u32),
}

/// Sets `set` (if any), then prints the settings.
pub fn run(store: &mut dyn Backend, set: Option<Setting>, out: &mut dyn Write) -> Result<(), Failure> {
    if let Some(set) = set {
        let mut p = store.model().project.clone();
        match set {
            Setting::HoursCap(cap) => p.settings.seminar_hours_cap = cap,
            Setting::Institutions {
                count,
                source,
                date,
                assumed,
            } => {
                p.settings.institutions = Some(OfficialCount {
                    count,
                    source: crate::domain::clean(&source),
                    date,
                    assumed,
                })
            }
            Setting::ReportingPartner(id) => {
                if store.model().organisations.get(id).is_none() {
                    return Err(fail(f(M::ErrNoOrganisation, &[&id])));
                }
                p.settings.reporting_partner = Some(OrgId(id));
            }
        }
        store.apply(crate::command::Command::SetProject(p))?;
    }
    let m = store.model();
    if let Some(c) = &m.project.settings.institutions {
        writeln!(out, "institutions: {}", crate::io::report::official_text(c))?;
    }
    if let Some(o) = m
        .project
        .settings
        .reporting_partner
        .and_then(|o| m.organisations.get(o.0))
    {
        writeln!(out, "reporting-partner: {} ({})", o.name, o.id.0)?;
    }
    writeln!(
        out,
        "{}",
        match m.project.settings.seminar_hours_cap {
            Some(h) => f(M::SettingHoursCap, &[&h]),
            None => t(M::SettingNoHoursCap).to_string(),
        }
    )?;
    Ok(())
}
