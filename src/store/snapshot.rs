//! The whole project as one value, for a client of the server: the model's records in the
//! store's own chunk encoding (encoded and decoded in parallel), with the project, the
//! account names and the id counters. Rebuilt into a model exactly as a load from disk.

use super::StoreError;
use super::codec::{CHUNK_BITS, chunk_of, chunk_range, decode_chunk, encode_chunk};
use crate::domain::{Project, Record, Table, Text};
use crate::model::{Model, Rows, Tables};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Snapshot {
    pub project: Project,
    pub users: Vec<Text>,
    /// The next id of each table, in `Table::ALL` order.
    pub next: Vec<u32>,
    /// Every non-empty chunk.
    pub chunks: Vec<Chunk>,
}

/// One encoded chunk of a table. Its bytes are shared (the server keeps them between
/// snapshots) and go on the wire as one byte string: copied at once rather than a byte
/// at a time (the same bytes on the wire as a sequence of `u8`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Chunk {
    pub table: Table,
    pub number: u32,
    #[serde(with = "shared_bytes")]
    pub bytes: Arc<[u8]>,
}

/// `Arc<[u8]>` as a byte string.
mod shared_bytes {
    use serde::de::{Error, SeqAccess, Visitor};
    use serde::{Deserializer, Serializer};
    use std::sync::Arc;

    pub fn serialize<S: Serializer>(b: &Arc<[u8]>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(b)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<[u8]>, D::Error> {
        struct Bytes;
        impl<'de> Visitor<'de> for Bytes {
            type Value = Arc<[u8]>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Self::Value, E> {
                Ok(Arc::from(v))
            }
            fn visit_byte_buf<E: Error>(self, v: Vec<u8>) -> Result<Self::Value, E> {
                Ok(Arc::from(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut v = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(b) = seq.next_element::<u8>()? {
                    v.push(b);
                }
                Ok(Arc::from(v))
            }
        }
        d.deserialize_byte_buf(Bytes)
    }
}

/// Encodes every record of `m` (the non-empty chunks).
pub fn of(m: &Model) -> Result<Snapshot, StoreError> {
    Ok(Snapshot {
        chunks: encode_all(m)?,
        ..header(m)
    })
}

/// A snapshot of `m` without its chunks.
pub fn header(m: &Model) -> Snapshot {
    Snapshot {
        project: m.project.clone(),
        users: m.users.clone(),
        next: Table::ALL.iter().map(|t| m.next_id(*t)).collect(),
        chunks: Vec::new(),
    }
}

/// Every non-empty chunk of `m`, encoded in parallel, in table and chunk order.
pub fn encode_all(m: &Model) -> Result<Vec<Chunk>, StoreError> {
    let mut work: Vec<(Table, u32)> = Vec::new();
    for t in Table::ALL {
        let last = chunk_of(m.next_id(t).max(1) - 1);
        work.extend((0..=last).map(|c| (t, c)));
    }
    work.par_iter()
        .map(|&(table, number)| {
            Ok(Chunk {
                table,
                number,
                bytes: Arc::from(encode_one(m, table, number)?),
            })
        })
        .filter(|r: &Result<Chunk, StoreError>| r.as_ref().map_or(true, |c| !is_empty(&c.bytes)))
        .collect()
}

/// One chunk of one table as the model holds it now.
pub fn encode_one(m: &Model, t: Table, chunk: u32) -> Result<Vec<u8>, StoreError> {
    let (from, to) = chunk_range(chunk);
    match t {
        Table::Organisation => encode_chunk(m.organisations.range(from, to)),
        Table::Event => encode_chunk(m.events.range(from, to)),
        Table::Participant => encode_chunk(m.participants.range(from, to)),
        Table::Attendance => encode_chunk(m.attendance.range(from, to)),
        Table::Indicator => encode_chunk(m.indicators.range(from, to)),
    }
}

/// An encoded chunk with no records (`[format, length 0]`).
pub fn is_empty(bytes: &[u8]) -> bool {
    bytes.len() <= 2
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
fn rows<T: Record>(chunks: &[Chunk], t: Table, next: u32) -> Result<Rows<T>, StoreError> {
    let mine: Vec<&Chunk> = chunks.iter().filter(|c| c.table == t).collect();
    let last = mine
        .iter()
        .map(|c| c.number)
        .max()
        .unwrap_or(0)
        .max(chunk_of(next.max(1) - 1));
    let decoded: Vec<Vec<T>> = mine
        .par_iter()
        .map(|c| {
            let key = super::codec::chunk_key(t, c.number);
            decode_chunk::<T>(&key, &c.bytes)
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

    /// The bytes on the wire are the same as when a chunk's bytes were a `Vec<u8>` (a
    /// sequence of `u8`): no protocol change, and a client of either kind reads them.
    #[test]
    fn chunk_bytes_are_the_same_on_the_wire_as_a_sequence_of_bytes() {
        #[derive(Serialize)]
        struct Before {
            project: Project,
            users: Vec<Text>,
            next: Vec<u32>,
            chunks: Vec<(Table, u32, Vec<u8>)>,
        }
        let bytes: Vec<u8> = (0..=255u8).chain([7, 0, 1]).collect();
        let now = Snapshot {
            next: vec![3, 1, 4, 1, 5],
            chunks: vec![Chunk {
                table: Table::Attendance,
                number: 9,
                bytes: Arc::from(bytes.clone()),
            }],
            ..Snapshot::default()
        };
        let before = Before {
            project: Project::default(),
            users: Vec::new(),
            next: now.next.clone(),
            chunks: vec![(Table::Attendance, 9, bytes.clone())],
        };
        let wire = postcard::to_allocvec(&now).expect("encode");
        assert_eq!(wire, postcard::to_allocvec(&before).expect("encode"));
        let back: Snapshot = postcard::from_bytes(&wire).expect("decode");
        assert_eq!(&back.chunks[0].bytes[..], &bytes[..]);
        assert_eq!((back.chunks[0].table, back.chunks[0].number), (Table::Attendance, 9));
    }

    /// A store keeps its chunks encoded from its first snapshot on; after changes of every
    /// kind (a creation, an edit, a deletion that empties a chunk, a batch) its snapshot is
    /// the one a fresh encoding of the model gives.
    #[test]
    fn a_kept_snapshot_follows_every_write() {
        use crate::command::{Change, Command};
        use crate::domain::{AnyRecord, OrgKind, Organisation};
        let dir = tempfile::tempdir().expect("tempdir");
        let mut s = super::super::Store::open(dir.path(), "tester").expect("open");
        s.load().expect("load");
        crate::cli::load_sample(&mut s).expect("sample");
        let _ = s.snapshot().expect("first snapshot keeps the chunks");
        let created = |c: Change| match c {
            Change::Created(r) => r,
            other => panic!("{other:?}"),
        };
        let org = |name: &str| AnyRecord::Organisation(Organisation::new(name, OrgKind::School));
        s.apply(Command::Batch(vec![
            Command::Create(org("A")),
            Command::Create(org("B")),
        ]))
        .expect("batch");
        // A chunk of its own far from the others: the 256th organisation starts one.
        let mut last = None;
        while !s.model().next_id(Table::Organisation).is_multiple_of(256) {
            last = Some(created(s.apply(Command::Create(org("Skola"))).expect("org")));
        }
        let alone = created(s.apply(Command::Create(org("Viena pati"))).expect("org"));
        let mut edited = last.expect("an organisation");
        if let AnyRecord::Organisation(o) = &mut edited {
            o.name = "Pārdēvēta skola".into();
        }
        s.apply(Command::Update(edited)).expect("edit");
        let (table, id) = (alone.table(), alone.raw_id());
        s.apply(Command::Delete { table, id })
            .expect("delete: its chunk is empty again");
        let kept = s.snapshot().expect("kept");
        let fresh = of(s.model()).expect("fresh");
        let key = |c: &Chunk| (c.table, c.number, c.bytes.to_vec());
        assert_eq!(
            kept.chunks.iter().map(key).collect::<Vec<_>>(),
            fresh.chunks.iter().map(key).collect::<Vec<_>>()
        );
        assert_eq!(kept.next, fresh.next);
    }
}
