//! The order in which each pane lists its records, kept sorted as records change
//! (organisations and participants by name in Latvian order ([`crate::domain::collate`]),
//! events by start, indicators by code).

use super::Model;
use crate::domain::{Table, collate};
use rayon::prelude::*;
use std::cmp::Ordering;

#[derive(Clone, Debug, Default)]
pub struct Orders {
    organisations: Vec<u32>,
    events: Vec<u32>,
    participants: Vec<u32>,
    indicators: Vec<u32>,
    /// Attendance has no pane of its own; always empty.
    none: Vec<u32>,
    /// Position of each participant (by id) in `participants`: an integer tie-break for
    /// search ranking.
    person_rank: Vec<u32>,
}

/// Compares codes like "2" < "10" < "10a" numerically where they start with digits.
fn natural(a: &str, b: &str) -> Ordering {
    let num = |s: &str| {
        let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
        digits.parse::<u64>().ok()
    };
    match (num(a), num(b)) {
        (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.cmp(b)),
        _ => a.cmp(b),
    }
}

/// A participant's name as it is sorted: surname, then given name.
fn name_parts(m: &Model, id: u32) -> [&str; 2] {
    m.participants
        .get(id)
        .map_or(["", ""], |p| [p.surname.as_str(), p.given_name.as_str()])
}

impl Orders {
    /// Ids of a table in display order.
    pub fn get(&self, t: Table) -> &[u32] {
        match t {
            Table::Organisation => &self.organisations,
            Table::Event => &self.events,
            Table::Participant => &self.participants,
            Table::Indicator => &self.indicators,
            Table::Attendance => &self.none,
        }
    }

    fn get_mut(&mut self, t: Table) -> Option<&mut Vec<u32>> {
        match t {
            Table::Organisation => Some(&mut self.organisations),
            Table::Event => Some(&mut self.events),
            Table::Participant => Some(&mut self.participants),
            Table::Indicator => Some(&mut self.indicators),
            Table::Attendance => None,
        }
    }

    /// A participant's position in the name order (`u32::MAX` if unknown).
    pub fn person_rank(&self, id: u32) -> u32 {
        self.person_rank.get(id as usize).copied().unwrap_or(u32::MAX)
    }

    fn rerank(&mut self) {
        let n = self.participants.iter().max().map_or(0, |m| *m as usize + 1);
        let mut rank = vec![u32::MAX; n];
        for (i, id) in self.participants.iter().enumerate() {
            rank[*id as usize] = i as u32;
        }
        self.person_rank = rank;
    }

    /// The display order of two records of a table (ties broken by id: never shuffles).
    pub fn cmp(m: &Model, t: Table, a: u32, b: u32) -> Ordering {
        let by = match t {
            Table::Organisation => {
                let name = |id| m.organisations.get(id).map_or("", |o| o.name.as_str());
                collate::cmp(name(a), name(b))
            }
            Table::Participant => collate::cmp_parts(&name_parts(m, a), &name_parts(m, b)),
            Table::Event => {
                let start = |id| m.events.get(id).map(|e| e.start);
                start(a).cmp(&start(b))
            }
            Table::Indicator => {
                let code = |id| m.indicators.get(id).map(|i| i.code.as_str()).unwrap_or("");
                natural(code(a), code(b))
            }
            Table::Attendance => Ordering::Equal,
        };
        by.then(a.cmp(&b))
    }

    /// Every order, sorted from scratch (at load).
    pub fn build(m: &Model) -> Orders {
        let sorted = |t: Table, ids: Vec<u32>| {
            let mut ids = ids;
            ids.par_sort_unstable_by(|a, b| Orders::cmp(m, t, *a, *b));
            ids
        };
        // Participants: sort by a packed 16-byte prefix of the name's collation key first
        // (integer compares on contiguous data), the full names only where prefixes tie.
        // Comparing the names themselves for every pair made loading 2x slower.
        // A name shorter than 16 bytes is all in its (zero-padded) prefix: when both are,
        // equal prefixes mean equal names and the id decides, with no string compare.
        let mut people: Vec<(u128, bool, u32)> = m
            .participants
            .iter()
            .map(|p| {
                let (prefix, longer) = collate::prefix(&[p.surname.as_str(), p.given_name.as_str()]);
                (prefix, longer, p.id.0)
            })
            .collect();
        people.par_sort_unstable_by(|a, b| {
            a.0.cmp(&b.0).then_with(|| {
                if a.1 || b.1 {
                    Orders::cmp(m, Table::Participant, a.2, b.2)
                } else {
                    a.2.cmp(&b.2)
                }
            })
        });
        let mut o = Orders {
            organisations: sorted(Table::Organisation, m.organisations.iter().map(|r| r.id.0).collect()),
            events: sorted(Table::Event, m.events.iter().map(|r| r.id.0).collect()),
            participants: people.into_iter().map(|(_, _, id)| id).collect(),
            indicators: sorted(Table::Indicator, m.indicators.iter().map(|r| r.id.0).collect()),
            none: Vec::new(),
            person_rank: Vec::new(),
        };
        o.rerank();
        o
    }

    /// Orders taken as they are (from the server), checked to hold each live record of
    /// their table exactly once.
    pub fn from_lists(
        m: &Model,
        organisations: Vec<u32>,
        events: Vec<u32>,
        participants: Vec<u32>,
        indicators: Vec<u32>,
    ) -> Result<Orders, String> {
        for (t, list) in [
            (Table::Organisation, &organisations),
            (Table::Event, &events),
            (Table::Participant, &participants),
            (Table::Indicator, &indicators),
        ] {
            let mut seen = vec![false; m.next_id(t) as usize];
            let once = list.iter().all(|id| match seen.get_mut(*id as usize) {
                Some(s) if !*s && m.contains(t, *id) => {
                    *s = true;
                    true
                }
                _ => false,
            });
            if !once || list.len() != m.count(t) {
                return Err(format!("the order of {} does not fit the records", t.plural()));
            }
        }
        let mut o = Orders {
            organisations,
            events,
            participants,
            indicators,
            none: Vec::new(),
            person_rank: Vec::new(),
        };
        o.rerank();
        Ok(o)
    }

    /// Puts a record (already in the model) at its place.
    pub fn insert(m: &mut Model, t: Table, id: u32) {
        let Some(list) = m.orders.get_mut(t) else { return };
        let mut list = std::mem::take(list);
        let pos = list.partition_point(|x| Orders::cmp(m, t, *x, id) == Ordering::Less);
        if list.get(pos) != Some(&id) {
            list.insert(pos, id);
        }
        if let Some(slot) = m.orders.get_mut(t) {
            *slot = list;
        }
        if t == Table::Participant {
            m.orders.rerank();
        }
    }

    /// Takes a record out of its order.
    pub fn remove(m: &mut Model, t: Table, id: u32) {
        if let Some(list) = m.orders.get_mut(t)
            && let Some(pos) = list.iter().position(|x| *x == id)
        {
            list.remove(pos);
            if t == Table::Participant {
                m.orders.rerank();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::natural;
    use std::cmp::Ordering;

    #[test]
    fn natural_codes() {
        assert_eq!(natural("2", "10"), Ordering::Less);
        assert_eq!(natural("10", "10a"), Ordering::Less);
        assert_eq!(natural("b", "a"), Ordering::Greater);
    }
}
