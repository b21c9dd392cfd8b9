//! The whole project for a client of the server: the model's records in the store's own
//! chunk encoding, with the project, the account names, the id counters and the server's
//! derived parts (search keys, orders, indexes). Sent as a header and parts; a [`Builder`]
//! decodes each part straight into the records' slots while the next one arrives.

use super::StoreError;
use super::codec::{CHUNK_BITS, chunk_key, chunk_of, chunk_range, decode_chunk_each, encode_chunk};
use crate::domain::{Project, Record, Table, Text};
use crate::model::{Derived, Model, Rows, Tables};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, mpsc};

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Snapshot {
    pub project: Project,
    pub users: Vec<Text>,
    /// The next id of each table, in `Table::ALL` order.
    pub next: Vec<u32>,
    /// Every non-empty chunk.
    pub chunks: Vec<Chunk>,
    /// The server's search keys, orders and indexes; built by the client if absent.
    pub derived: Option<Arc<Derived>>,
}

impl Snapshot {
    /// The header (no chunks) and the chunks in parts of about `bytes` each, in order:
    /// the frames a snapshot is sent in.
    pub fn split(mut self, bytes: usize) -> (Snapshot, Vec<Vec<Chunk>>) {
        let mut parts = Vec::new();
        let mut part = Vec::new();
        let mut size = 0;
        for c in std::mem::take(&mut self.chunks) {
            size += c.bytes.len();
            part.push(c);
            if size >= bytes {
                parts.push(std::mem::take(&mut part));
                size = 0;
            }
        }
        if !part.is_empty() {
            parts.push(part);
        }
        (self, parts)
    }
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

/// A chunk read in place from a received frame (the same bytes on the wire as [`Chunk`]).
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct ChunkRef<'a> {
    pub table: Table,
    pub number: u32,
    pub bytes: &'a [u8],
}

/// `Arc<[u8]>` as a byte string.
mod shared_bytes {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::sync::Arc;

    pub fn serialize<S: Serializer>(b: &Arc<[u8]>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(b)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<[u8]>, D::Error> {
        crate::model::Bytes::deserialize(d).map(|b| Arc::from(b.0))
    }
}

/// Encodes every record of `m` (the non-empty chunks), with its derived parts.
pub fn of(m: &Model) -> Result<Snapshot, StoreError> {
    Ok(Snapshot {
        chunks: encode_all(m)?,
        derived: Some(Arc::new(Derived::of(m))),
        ..header(m)
    })
}

/// A snapshot of `m` without its chunks or derived parts.
pub fn header(m: &Model) -> Snapshot {
    Snapshot {
        project: m.project.clone(),
        users: m.users.clone(),
        next: Table::ALL.iter().map(|t| m.next_id(*t)).collect(),
        chunks: Vec::new(),
        derived: None,
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

/// Builds a model from a snapshot that arrives in parts, on a thread of its own: the
/// derived parts are unpacked and the slots allocated while the first parts arrive, and
/// each part's chunks are decoded in parallel straight into their records' slots.
pub struct Builder {
    /// Received frames, each with where its list of chunks starts.
    parts: mpsc::Sender<(Vec<u8>, usize)>,
    /// Frames' buffers handed back once decoded, for the next frames.
    spare: mpsc::Receiver<Vec<u8>>,
    /// Frames handed over and not yet handed back.
    in_flight: std::cell::Cell<usize>,
    /// Set when the connection is lost midway: the thread stops without building.
    abandoned: Arc<std::sync::atomic::AtomicBool>,
    done: std::thread::JoinHandle<Result<Model, StoreError>>,
}

/// Frames a [`Builder`] holds at most, decoding or waiting.
const IN_FLIGHT: usize = 4;

impl Builder {
    /// Starts building from the snapshot's header (its chunks come with [`Builder::add`]).
    pub fn start(head: Snapshot) -> Builder {
        let (parts, rx) = mpsc::channel();
        let (back, spare) = mpsc::channel();
        let abandoned = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stop = Arc::clone(&abandoned);
        let done = std::thread::spawn(move || build(head, rx, back, &stop));
        Builder {
            parts,
            spare,
            in_flight: std::cell::Cell::new(0),
            abandoned,
            done,
        }
    }

    /// Gives up on a snapshot whose connection was lost: its thread stops at the next part
    /// instead of building a model nobody will use.
    pub fn abandon(self) {
        self.abandoned.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// A buffer to read the next frame into: a decoded frame's, waiting for one while
    /// [`IN_FLIGHT`] frames are still to decode (so the snapshot is never held whole and
    /// its frames reuse the same few buffers instead of fresh pages each).
    pub fn buffer(&self) -> Vec<u8> {
        let got = if self.in_flight.get() >= IN_FLIGHT {
            self.spare.recv().ok()
        } else {
            self.spare.try_recv().ok()
        };
        if got.is_some() {
            self.in_flight.set(self.in_flight.get().saturating_sub(1));
        }
        got.unwrap_or_default()
    }

    /// Hands over the next part as the frame it came in: `body[at..]` is its list of
    /// chunks, read in place (never copied).
    pub fn add_frame(&self, body: Vec<u8>, at: usize) {
        if self.parts.send((body, at)).is_ok() {
            self.in_flight.set(self.in_flight.get() + 1);
        }
    }

    /// The model, once every part is decoded.
    pub fn finish(self) -> Result<Model, StoreError> {
        drop(self.parts);
        self.done.join().unwrap_or_else(|_| {
            Err(StoreError::Corrupt {
                key: "snapshot".into(),
                reason: "building the model failed".into(),
            })
        })
    }
}

fn build(
    head: Snapshot,
    parts: mpsc::Receiver<(Vec<u8>, usize)>,
    back: mpsc::Sender<Vec<u8>>,
    abandoned: &std::sync::atomic::AtomicBool,
) -> Result<Model, StoreError> {
    let gone = || {
        abandoned
            .load(std::sync::atomic::Ordering::Relaxed)
            .then(|| StoreError::Corrupt {
                key: "snapshot".into(),
                reason: "the connection was lost before its end".into(),
            })
    };
    let next_of = |t: Table| head.next.get(t as usize).copied().unwrap_or(1).max(1);
    let Snapshot {
        project,
        users,
        derived,
        ..
    } = head;
    let caps = [Table::Organisation, Table::Event, Table::Participant, Table::Attendance].map(next_of);
    let (mut slots, unpacked) = rayon::join(
        || Slots::new(next_of),
        || derived.map(|d| Arc::try_unwrap(d).unwrap_or_else(|d| (*d).clone()).unpack(caps)),
    );
    for part in parts {
        if let Some(e) = gone() {
            return Err(e);
        }
        let (body, at) = part;
        let chunks: Vec<ChunkRef> =
            postcard::from_bytes(body.get(at..).unwrap_or_default()).map_err(|e| StoreError::Corrupt {
                key: "snapshot part".into(),
                reason: e.to_string(),
            })?;
        slots.fill(&chunks)?;
        drop(chunks);
        let _ = back.send(body);
    }
    if let Some(e) = gone() {
        return Err(e);
    }
    let tables = slots.into_tables();
    Ok(match unpacked {
        Some(u) => u.into_model(project, users, tables),
        None => Model::from_rows(project, users, tables),
    })
}

/// Every table's slots (slot = id), filled part by part, and how many records each holds.
struct Slots {
    organisations: Vec<Option<crate::domain::Organisation>>,
    events: Vec<Option<crate::domain::Event>>,
    participants: Vec<Option<crate::domain::Participant>>,
    attendance: Vec<Option<crate::domain::Attendance>>,
    indicators: Vec<Option<crate::domain::Indicator>>,
    live: [usize; 5],
}

/// `n` empty slots, written in parallel.
fn empty<T: Send>(n: u32) -> Vec<Option<T>> {
    (0..n).into_par_iter().map(|_| None).collect()
}

impl Slots {
    fn new(next_of: impl Fn(Table) -> u32) -> Slots {
        Slots {
            organisations: empty(next_of(Table::Organisation)),
            events: empty(next_of(Table::Event)),
            participants: empty(next_of(Table::Participant)),
            attendance: empty(next_of(Table::Attendance)),
            indicators: empty(next_of(Table::Indicator)),
            live: [0; 5],
        }
    }

    fn fill(&mut self, part: &[ChunkRef]) -> Result<(), StoreError> {
        self.live[Table::Organisation as usize] += fill(&mut self.organisations, part)?;
        self.live[Table::Event as usize] += fill(&mut self.events, part)?;
        self.live[Table::Participant as usize] += fill(&mut self.participants, part)?;
        self.live[Table::Attendance as usize] += fill(&mut self.attendance, part)?;
        self.live[Table::Indicator as usize] += fill(&mut self.indicators, part)?;
        Ok(())
    }

    fn into_tables(self) -> Tables {
        let live = |t: Table| self.live[t as usize];
        Tables {
            organisations: Rows::from_slots(self.organisations, live(Table::Organisation)),
            events: Rows::from_slots(self.events, live(Table::Event)),
            participants: Rows::from_slots(self.participants, live(Table::Participant)),
            attendance: Rows::from_slots(self.attendance, live(Table::Attendance)),
            indicators: Rows::from_slots(self.indicators, live(Table::Indicator)),
        }
    }
}

/// Decodes the chunks of `T`'s table in `part` into their slots, in parallel; returns how
/// many records they held.
fn fill<T: Record>(slots: &mut [Option<T>], part: &[ChunkRef]) -> Result<usize, StoreError> {
    let mut mine: Vec<&ChunkRef> = part.iter().filter(|c| c.table == T::TABLE).collect();
    if mine.is_empty() {
        return Ok(0);
    }
    mine.sort_by_key(|c| c.number);
    let mut windows = slots.chunks_mut(1 << CHUNK_BITS).enumerate();
    let mut jobs = Vec::with_capacity(mine.len());
    for c in mine {
        let Some((_, w)) = windows.by_ref().find(|(n, _)| *n as u32 == c.number) else {
            return Err(outside(T::TABLE, c.number));
        };
        jobs.push((w, c));
    }
    jobs.into_par_iter()
        .map(|(w, c)| {
            let base = c.number << CHUNK_BITS;
            let mut live = 0;
            decode_chunk_each::<T>(&chunk_key(T::TABLE, c.number), c.bytes, |r| {
                let slot = r
                    .raw_id()
                    .checked_sub(base)
                    .and_then(|i| w.get_mut(i as usize))
                    .ok_or_else(|| outside(T::TABLE, c.number))?;
                if slot.replace(r).is_none() {
                    live += 1;
                }
                Ok(())
            })?;
            Ok(live)
        })
        .try_reduce(|| 0, |a, b| Ok(a + b))
}

/// A chunk, or a record in it, outside the ids the snapshot's header gives its table.
fn outside(t: Table, chunk: u32) -> StoreError {
    StoreError::Corrupt {
        key: format!("snapshot {}", t.plural()),
        reason: format!("chunk {chunk} does not fit the table's ids"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_rebuilds_the_same_model() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut s = super::super::Store::open(dir.path(), "tester").expect("open");
        s.load().expect("load");
        crate::ops::load_sample(&mut s).expect("sample");
        let m = s.model();
        let snap = of(m).expect("snapshot");
        let bytes = postcard::to_allocvec(&snap).expect("encode");
        let back: Snapshot = postcard::from_bytes(&bytes).expect("decode");
        let copy = received(back, 1 << 20).expect("model");
        for t in Table::ALL {
            assert_eq!(copy.next_id(t), m.next_id(t), "{t:?}");
            assert_eq!(copy.count(t), m.count(t), "{t:?}");
        }
        let names = |m: &Model| m.participants.iter().map(|p| p.full_name()).collect::<Vec<_>>();
        assert_eq!(names(&copy), names(m));
        assert_eq!(copy.project, m.project);
        assert_eq!(copy.orders.get(Table::Participant), m.orders.get(Table::Participant));
    }

    /// What a client's replica must equal: the records, and the derived parts exactly as
    /// the server holds them (orders, ranks, indexes with their lists' order, keys).
    fn assert_same(copy: &Model, m: &Model) {
        for t in Table::ALL {
            assert_eq!(copy.next_id(t), m.next_id(t), "{t:?}");
            assert_eq!(copy.count(t), m.count(t), "{t:?}");
            assert_eq!(copy.orders.get(t), m.orders.get(t), "{t:?}");
        }
        assert_eq!(copy.participants.slots(), m.participants.slots());
        assert_eq!(copy.attendance.slots(), m.attendance.slots());
        assert_eq!(copy.events.slots(), m.events.slots());
        assert_eq!(copy.children, m.children);
        assert_eq!(copy.org_events, m.org_events);
        assert_eq!(copy.org_people, m.org_people);
        assert_eq!(copy.event_attendance, m.event_attendance);
        assert_eq!(copy.person_attendance, m.person_attendance);
        assert_eq!(copy.person_org, m.person_org);
        assert_eq!(copy.org_keys, m.org_keys);
        for id in 0..m.next_id(Table::Participant) + 2 {
            assert_eq!(copy.person_keys.get(id), m.person_keys.get(id), "{id}");
            assert_eq!(copy.person_keys.mask(id), m.person_keys.mask(id), "{id}");
            assert_eq!(copy.orders.person_rank(id), m.orders.person_rank(id), "{id}");
        }
    }

    /// A store after changes of every kind that move records in the orders and in the
    /// indexes' lists (renames, check-ins, a moved person, deletions).
    fn changed_store(dir: &std::path::Path) -> super::super::Store {
        use crate::command::Command;
        use crate::domain::{AnyRecord, Attendance, AttendanceStatus};
        let mut s = super::super::Store::open(dir, "tester").expect("open");
        s.load().expect("load");
        crate::ops::load_sample(&mut s).expect("sample");
        let m = s.model();
        let people: Vec<_> = m.participants.iter().take(6).cloned().collect();
        let event = m.events.iter().last().expect("an event").id;
        let org = m.organisations.iter().last().expect("an organisation").id;
        let first_row = m.attendance.iter().next().expect("a row").clone();
        let mut renamed = people[0].clone();
        renamed.surname = "Ābele".into();
        s.apply(Command::Update(AnyRecord::Participant(renamed)))
            .expect("rename");
        let mut moved = people[1].clone();
        moved.institution = Some(org);
        s.apply(Command::Update(AnyRecord::Participant(moved))).expect("move");
        for p in &people[2..5] {
            let a = Attendance::new(event, p.id, AttendanceStatus::Attended);
            s.apply(Command::Create(AnyRecord::Attendance(a))).expect("check-in");
        }
        let mut row = first_row;
        row.status = AttendanceStatus::Absent;
        s.apply(Command::Update(AnyRecord::Attendance(row)))
            .expect("row edited: last in its lists");
        let (table, id) = (Table::Participant, people[5].id.0);
        let rows: Vec<u32> = s
            .model()
            .person_attendance
            .get(id as usize)
            .map_or(Vec::new(), |l| l.iter().map(|a| a.0).collect());
        let mut gone: Vec<Command> = rows
            .into_iter()
            .map(|id| Command::Delete {
                table: Table::Attendance,
                id,
            })
            .collect();
        gone.push(Command::Delete { table, id });
        s.apply(Command::Batch(gone)).expect("delete");
        s
    }

    /// The snapshot as a client receives it: the header, then its chunks in parts of
    /// `bytes` as frames, decoded in place.
    fn received(s: Snapshot, bytes: usize) -> Result<Model, StoreError> {
        let (head, parts) = s.split(bytes);
        let head: Snapshot = postcard::from_bytes(&postcard::to_allocvec(&head).expect("encode")).expect("decode");
        let b = Builder::start(head);
        for part in parts {
            let frame = postcard::to_allocvec(&part).expect("encode");
            let buf = b.buffer();
            assert!(buf.capacity() < 1 << 20, "a spare buffer, not a copy of the snapshot");
            b.add_frame(frame, 0);
        }
        b.finish()
    }

    #[test]
    fn a_snapshot_in_parts_rebuilds_the_servers_model_with_its_derived_parts() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut s = changed_store(dir.path());
        let snap = s.snapshot().expect("snapshot");
        let chunks = snap.chunks.len();
        let (_, parts) = of(s.model()).expect("again").split(1);
        assert_eq!(parts.len(), chunks, "one chunk a part at 1 byte");
        let copy = received(snap, 1).expect("model");
        assert_same(&copy, s.model());
        // The lists' order is the server's, not a fresh build's: a fresh build would
        // differ here (the edited row went to the end of its lists).
        let fresh = Model::from_rows(
            s.model().project.clone(),
            s.model().users.clone(),
            Tables {
                organisations: s.model().organisations.clone(),
                events: s.model().events.clone(),
                participants: s.model().participants.clone(),
                attendance: s.model().attendance.clone(),
                indicators: s.model().indicators.clone(),
            },
        );
        assert_ne!(
            fresh.event_attendance, copy.event_attendance,
            "derived parts taken, not rebuilt"
        );
    }

    /// Derived parts that do not fit the records (another build's, or damaged) are not
    /// trusted: the client builds them, and the model is still whole.
    #[test]
    fn derived_parts_that_do_not_fit_are_built_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut s = changed_store(dir.path());
        let mut snap = s.snapshot().expect("snapshot");
        let other = tempfile::tempdir().expect("tempdir");
        let mut o = super::super::Store::open(other.path(), "tester").expect("open");
        o.load().expect("load");
        snap.derived = Some(Arc::new(Derived::of(o.model())));
        let copy = received(snap, 4096).expect("model");
        let fresh = received(
            Snapshot {
                derived: None,
                ..of(s.model()).expect("snapshot")
            },
            4096,
        )
        .expect("fresh");
        for t in Table::ALL {
            assert_eq!(copy.orders.get(t), fresh.orders.get(t), "{t:?}");
        }
        assert_eq!(copy.person_attendance, fresh.person_attendance);
        assert_eq!(copy.person_keys.get(3), fresh.person_keys.get(3));
    }

    /// A snapshot given up midway (its connection lost) is not built.
    #[test]
    fn an_abandoned_snapshot_is_not_built() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut s = changed_store(dir.path());
        let (head, parts) = s.snapshot().expect("snapshot").split(1);
        let b = Builder::start(head);
        b.abandoned.store(true, std::sync::atomic::Ordering::Relaxed);
        for part in parts {
            b.add_frame(postcard::to_allocvec(&part).expect("encode"), 0);
        }
        match b.finish() {
            Err(StoreError::Corrupt { reason, .. }) => assert!(reason.contains("lost"), "{reason}"),
            other => panic!("{:?}", other.map(|m| m.total())),
        }
    }

    /// A part that names a chunk outside the header's ids, or a record outside its chunk,
    /// is refused with what is wrong, not a panic or a silently shorter table.
    #[test]
    fn a_part_outside_the_headers_ids_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut s = changed_store(dir.path());
        let mut snap = s.snapshot().expect("snapshot");
        snap.next[Table::Attendance as usize] = 5;
        match received(snap, 1 << 20) {
            Err(StoreError::Corrupt { reason, .. }) => assert!(reason.contains("does not fit"), "{reason}"),
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("accepted"),
        }
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
            derived: Option<u8>,
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
            derived: None,
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
        crate::ops::load_sample(&mut s).expect("sample");
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
