//! The whole project as one value, for a client of the server: the model's records in the
//! store's own chunk encoding (encoded and decoded in parallel), with the project, the
//! account names and the id counters. Rebuilt into a model exactly as a load from disk.

use super::StoreError;
use super::codec::{CHUNK_BITS, chunk_of, chunk_range, decode_chunk, encode_chunk};
use crate::domain::{Project, Record, Table, Text};
use crate::model::{Model, Rows, Tables};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Snapshot {
    pub project: Project,
    pub users: Vec<Text>,
    /// The next id of each table, in `Table::ALL` order.
    pub next: Vec<u32>,
    /// (table, chunk number, encoded chunk) for every non-empty chunk.
    pub chunks: Vec<(Table, u32, Vec<u8>)>,
}

/// Encodes every record of `m`.
pub fn of(m: &Model) -> Result<Snapshot, StoreError> {
    let mut work: Vec<(Table, u32)> = Vec::new();
    for t in Table::ALL {
        let last = chunk_of(m.next_id(t).max(1) - 1);
        work.extend((0..=last).map(|c| (t, c)));
    }
    let chunks = work
        .par_iter()
        .map(|&(t, c)| {
            let (from, to) = chunk_range(c);
            let bytes = match t {
                Table::Organisation => encode_chunk(m.organisations.range(from, to))?,
                Table::Event => encode_chunk(m.events.range(from, to))?,
                Table::Participant => encode_chunk(m.participants.range(from, to))?,
                Table::Attendance => encode_chunk(m.attendance.range(from, to))?,
                Table::Indicator => encode_chunk(m.indicators.range(from, to))?,
            };
            Ok((t, c, bytes))
        })
        .filter(|r: &Result<(Table, u32, Vec<u8>), StoreError>| r.as_ref().map_or(true, |(_, _, b)| b.len() > 2))
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(Snapshot {
        project: m.project.clone(),
        users: m.users.clone(),
        next: Table::ALL.iter().map(|t| m.next_id(*t)).collect(),
        chunks,
    })
}

/// Rebuilds the model a snapshot was taken of.
pub fn into_model(s: Snapshot) -> Result<Model, StoreError> {
    let next_of = |t: Table| s.next.get(t as usize).copied().unwrap_or(1);
    let chunks = &s.chunks;
    let ((organisations, events), (participants, (attendance, indicators))) = rayon::join(
        || {
            rayon::join(
                || rows(chunks, Table::Organisation, next_of(Table::Organisation)),
                || rows(chunks, Table::Event, next_of(Table::Event)),
            )
        },
        || {
            rayon::join(
                || rows(chunks, Table::Participant, next_of(Table::Participant)),
                || {
                    rayon::join(
                        || rows(chunks, Table::Attendance, next_of(Table::Attendance)),
                        || rows(chunks, Table::Indicator, next_of(Table::Indicator)),
                    )
                },
            )
        },
    );
    let tables = Tables {
        organisations: organisations?,
        events: events?,
        participants: participants?,
        attendance: attendance?,
        indicators: indicators?,
    };
    Ok(Model::from_rows(s.project, s.users, tables))
}

/// One table's rows from its chunks, decoded in parallel straight into their slots.
fn rows<T: Record>(chunks: &[(Table, u32, Vec<u8>)], t: Table, next: u32) -> Result<Rows<T>, StoreError> {
    let mine: Vec<&(Table, u32, Vec<u8>)> = chunks.iter().filter(|(ct, _, _)| *ct == t).collect();
    let last = mine
        .iter()
        .map(|(_, c, _)| *c)
        .max()
        .unwrap_or(0)
        .max(chunk_of(next.max(1) - 1));
    let decoded: Vec<Vec<T>> = mine
        .par_iter()
        .map(|(_, c, bytes)| {
            let key = super::codec::chunk_key(t, *c);
            decode_chunk::<T>(&key, bytes)
        })
        .collect::<Result<_, StoreError>>()?;
    let mut slots: Vec<Option<T>> = Vec::new();
    slots.resize_with(((last as usize) + 1) << CHUNK_BITS, || None);
    let mut live = 0;
    let mut end = next.max(1) as usize;
    for r in decoded.into_iter().flatten() {
        end = end.max(r.raw_id() as usize + 1);
        let i = r.raw_id() as usize;
        let slot = slots.get_mut(i).ok_or_else(|| StoreError::Corrupt {
            key: format!("snapshot {}", t.plural()),
            reason: format!("record {} outside its chunk", r.raw_id()),
        })?;
        *slot = Some(r);
        live += 1;
    }
    // Exactly the ids the server has: the next new record gets the same id on both sides.
    slots.truncate(end);
    let mut rows = Rows::from_slots(slots, live);
    rows.reserve_to(next);
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_rebuilds_the_same_model() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut s = super::super::Store::open(dir.path(), "tester").expect("open");
        s.load().expect("load");
        crate::cli::load_sample(&mut s).expect("sample");
        let m = s.model();
        let snap = of(m).expect("snapshot");
        let bytes = postcard::to_allocvec(&snap).expect("encode");
        let back: Snapshot = postcard::from_bytes(&bytes).expect("decode");
        let copy = into_model(back).expect("model");
        for t in Table::ALL {
            assert_eq!(copy.next_id(t), m.next_id(t), "{t:?}");
            assert_eq!(copy.count(t), m.count(t), "{t:?}");
        }
        let names = |m: &Model| m.participants.iter().map(|p| p.full_name()).collect::<Vec<_>>();
        assert_eq!(names(&copy), names(m));
        assert_eq!(copy.project, m.project);
        assert_eq!(copy.orders.get(Table::Participant), m.orders.get(Table::Participant));
    }
}
