//! The retention rule: which participants have had nothing to do with the project for N
//! years (their last event ended, or they were registered, before the cut-off). Pure over
//! the model; erasing them is [`super::Store::erase_many`].

use crate::domain::ParticipantId;
use crate::model::Model;
use chrono::{Months, NaiveDate};

/// The day before which a person's last contact must lie to be erased after `years`.
pub fn cutoff(today: NaiveDate, years: u32) -> NaiveDate {
    today
        .checked_sub_months(Months::new(years.saturating_mul(12)))
        .unwrap_or(NaiveDate::MIN)
}

/// Participants (not yet erased) whose last event ended before [`cutoff`], or who have no
/// attendance and were registered before it; by id.
pub fn stale_people(m: &Model, years: u32, today: NaiveDate) -> Vec<ParticipantId> {
    let cut = cutoff(today, years);
    m.participants
        .iter()
        .filter(|p| !p.is_erased())
        .filter(|p| {
            let last = m
                .attendance_of_person(p.id)
                .iter()
                .filter_map(|a| m.attendance.get(a.0))
                .filter_map(|a| m.events.get(a.event.0))
                .map(|e| e.end.date())
                .max()
                .unwrap_or_else(|| p.meta.created_at.riga().date());
            last < cut
        })
        .map(|p| p.id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cutoff_counts_whole_years_back() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        assert_eq!(cutoff(d("2026-12-01"), 3), d("2023-12-01"));
        assert_eq!(cutoff(d("2024-02-29"), 1), d("2023-02-28"));
        assert_eq!(cutoff(d("2026-12-01"), 0), d("2026-12-01"));
    }
}
