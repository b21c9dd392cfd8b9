//! The references a record makes to other records (an organisation's parent and founder, an
//! event's organiser, a person's institution, an attendance row's event and person, an
//! indicator's designated events): one visitor, so that the store checks and resolves every
//! one of them and a new reference field cannot be forgotten there.

use super::{AnyRecord, Attendance, Definition, Event, Field, Indicator, Organisation, Participant, Table};

/// A record's references to other records.
pub trait References {
    /// Calls `f` with every reference this record makes: the field it is in, the table it
    /// points into and the raw id, which `f` may change (the store resolves a batch's
    /// placeholders so). Stops at the first error `f` returns.
    fn try_refs_mut<E>(&mut self, f: impl FnMut(Field, Table, &mut u32) -> Result<(), E>) -> Result<(), E>;

    /// The references this record makes: field, table, raw id.
    fn refs(&self) -> Vec<(Field, Table, u32)>
    where
        Self: Clone,
    {
        let mut out = Vec::new();
        let mut copy = self.clone();
        let _ = copy.try_refs_mut(|field, t, id| {
            out.push((field, t, *id));
            Ok::<(), ()>(())
        });
        out
    }
}

/// Calls `f` on an optional reference.
fn opt<E>(
    f: &mut impl FnMut(Field, Table, &mut u32) -> Result<(), E>,
    field: Field,
    t: Table,
    id: Option<&mut u32>,
) -> Result<(), E> {
    match id {
        Some(id) => f(field, t, id),
        None => Ok(()),
    }
}

impl References for Organisation {
    fn try_refs_mut<E>(&mut self, mut f: impl FnMut(Field, Table, &mut u32) -> Result<(), E>) -> Result<(), E> {
        opt(
            &mut f,
            Field::Parent,
            Table::Organisation,
            self.parent.as_mut().map(|x| &mut x.0),
        )?;
        opt(
            &mut f,
            Field::Founder,
            Table::Organisation,
            self.founder.as_mut().map(|x| &mut x.0),
        )
    }
}

impl References for Event {
    fn try_refs_mut<E>(&mut self, mut f: impl FnMut(Field, Table, &mut u32) -> Result<(), E>) -> Result<(), E> {
        opt(
            &mut f,
            Field::Organiser,
            Table::Organisation,
            self.organiser.as_mut().map(|x| &mut x.0),
        )
    }
}

impl References for Participant {
    fn try_refs_mut<E>(&mut self, mut f: impl FnMut(Field, Table, &mut u32) -> Result<(), E>) -> Result<(), E> {
        opt(
            &mut f,
            Field::Institution,
            Table::Organisation,
            self.institution.as_mut().map(|x| &mut x.0),
        )
    }
}

impl References for Attendance {
    fn try_refs_mut<E>(&mut self, mut f: impl FnMut(Field, Table, &mut u32) -> Result<(), E>) -> Result<(), E> {
        f(Field::Event, Table::Event, &mut self.event.0)?;
        f(Field::Participant, Table::Participant, &mut self.participant.0)
    }
}

impl References for Indicator {
    fn try_refs_mut<E>(&mut self, mut f: impl FnMut(Field, Table, &mut u32) -> Result<(), E>) -> Result<(), E> {
        match &mut self.definition {
            Definition::Coverage(sc) | Definition::Regularity(sc) | Definition::Milestone { scope: Some(sc), .. } => sc
                .events
                .iter_mut()
                .try_for_each(|e| f(Field::Definition, Table::Event, &mut e.0)),
            Definition::Milestone { scope: None, .. } | Definition::Manual | Definition::Count { .. } => Ok(()),
        }
    }
}

impl References for AnyRecord {
    fn try_refs_mut<E>(&mut self, f: impl FnMut(Field, Table, &mut u32) -> Result<(), E>) -> Result<(), E> {
        match self {
            AnyRecord::Organisation(r) => r.try_refs_mut(f),
            AnyRecord::Event(r) => r.try_refs_mut(f),
            AnyRecord::Participant(r) => r.try_refs_mut(f),
            AnyRecord::Attendance(r) => r.try_refs_mut(f),
            AnyRecord::Indicator(r) => r.try_refs_mut(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::*;

    /// Every reference field of every kind of record is visited, with its table.
    #[test]
    fn every_reference_is_visited_with_its_table() {
        let mut o = Organisation::new("Skola", OrgKind::School);
        o.parent = Some(OrgId(3));
        o.founder = Some(OrgId(4));
        assert_eq!(
            o.wrap().refs(),
            vec![
                (Field::Parent, Table::Organisation, 3),
                (Field::Founder, Table::Organisation, 4)
            ]
        );
        let p = Participant::new("Anna", "Bērziņa", Role::Teacher, Some(OrgId(5)));
        assert_eq!(p.wrap().refs(), vec![(Field::Institution, Table::Organisation, 5)]);
        let a = Attendance::new(EventId(6), ParticipantId(7), AttendanceStatus::Registered);
        assert_eq!(
            a.clone().wrap().refs(),
            vec![
                (Field::Event, Table::Event, 6),
                (Field::Participant, Table::Participant, 7)
            ]
        );
        let start = chrono::NaiveDate::from_ymd_opt(2026, 3, 4)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .expect("date");
        let mut e = Event::new("Seminārs", EventFormat::Seminar, start, start, Hours(40));
        e.organiser = Some(OrgId(8));
        assert_eq!(e.wrap().refs(), vec![(Field::Organiser, Table::Organisation, 8)]);
        let mut none = Participant::new("Anna", "Bērziņa", Role::Teacher, None).wrap();
        assert!(none.refs().is_empty());
        // Changing through the visitor changes the record.
        let mut a = a.wrap();
        a.try_refs_mut(|_, t, id| {
            if t == Table::Participant {
                *id = 70;
            }
            Ok::<(), ()>(())
        })
        .expect("no error");
        assert!(matches!(a, AnyRecord::Attendance(ref x) if x.participant == ParticipantId(70)));
        let _ = none.try_refs_mut(|_, _, _| Err::<(), &str>("never called"));
    }
}
