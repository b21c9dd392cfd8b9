//! The server's wire protocol: messages both ways (serde, postcard) in frames of a 4-byte
//! little-endian length and the body. A hello exchange carries program, protocol and schema
//! versions first; anything else is refused with what to do.

use crate::command::{Change, Command};
use crate::domain::{Stamp, Text, UserId};
use crate::i18n::Lang;
pub use crate::store::snapshot::Snapshot;
use crate::store::{LogEntry, StoreError};
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};

/// Bumped on any change to these messages (or to the Command and Change they carry).
/// 2: Command::Unimport, Reimport and Undo; Change::Unimported.
/// 3: the snapshot in parts (SnapshotBegin, SnapshotPart, SnapshotEnd) with derived parts.
/// 4: batches name new records by placeholders; StoreError::Unresolved; the server stamps
/// every author; Refusal::TooMany; a data command travels as a typed `ops::Op`.
pub const PROTOCOL: u32 = 4;
/// The socket's file name inside the database directory.
pub const SOCKET: &str = "atbalsts.sock";
/// Taken by a client that starts a server, so that twenty clients start one.
pub const START_LOCK: &str = "atbalsts.start.lock";
/// The access list inside the database directory: accounts outside the directory's owner
/// and group that the server accepts, one name a line (`#` starts a comment).
pub const ACCESS: &str = "atbalsts.access";
/// Larger frames are refused (a snapshot's header with the derived parts of 3M attendance
/// rows is about 40 MB; its chunks come in parts of about [`SNAPSHOT_PART`]).
const MAX_FRAME: u32 = 1 << 31;

/// Bytes of chunks per snapshot part: the client decodes one part while the next arrives.
pub const SNAPSHOT_PART: usize = 1 << 20;

/// This build's program version.
pub fn program() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// What a client is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// The screen: takes a snapshot and the live stream of changes.
    Screen,
    /// A CLI command.
    Command,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hello {
    pub program: String,
    pub protocol: u32,
    pub schema: u32,
    pub role: Role,
}

impl Hello {
    pub fn new(role: Role) -> Hello {
        Hello {
            program: program(),
            protocol: PROTOCOL,
            schema: crate::store::codec::SCHEMA_VERSION,
            role,
        }
    }
}

/// Client to server.
#[derive(Debug, Serialize, Deserialize)]
pub enum ToServer {
    Hello(Hello),
    /// Send the whole project, then every change as it happens.
    Subscribe,
    Apply {
        id: u64,
        cmd: Box<Command>,
    },
    History {
        id: u64,
        limit: u32,
    },
    /// Erase people for good (the answer is `Erased`).
    Erase {
        id: u64,
        ids: Vec<crate::domain::ParticipantId>,
    },
    /// Run a data command against the server's data as the client's account and send back
    /// what it printed, in the client's language.
    Run {
        id: u64,
        op: Box<crate::ops::Op>,
        lang: Lang,
    },
    Status {
        id: u64,
    },
    /// Rewrite the database's files (the answer, `Compacted`, comes when they are; no one
    /// else waits meanwhile).
    Compact {
        id: u64,
    },
    /// The client wrote a file holding people's data (see `Store::note_file`).
    NoteFile {
        id: u64,
        kind: crate::domain::FileKind,
        file: String,
    },
    Stop {
        id: u64,
    },
}

/// Why the server would not talk to a client.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Refusal {
    /// Client and server are different builds.
    Version {
        program: String,
        protocol: u32,
        schema: u32,
    },
    /// This account may not use the database.
    NotAllowed { account: String, group: Option<String> },
    /// The account (or the server) holds as many connections as it may.
    TooMany { account: String, limit: usize },
}

/// Server to client.
#[derive(Debug, Serialize, Deserialize)]
pub enum ToClient {
    Welcome {
        program: String,
        user: String,
        user_id: UserId,
    },
    Refused(Refusal),
    /// A snapshot's header and derived parts; its chunks follow in `SnapshotPart`s, then
    /// `SnapshotEnd`, and only then the changes made since.
    SnapshotBegin(Box<Snapshot>),
    SnapshotPart(Vec<crate::store::snapshot::Chunk>),
    SnapshotEnd,
    Applied {
        id: u64,
        result: Result<Change, StoreError>,
    },
    History {
        id: u64,
        result: Result<Vec<LogEntry>, StoreError>,
    },
    /// The answer to `Compact`.
    Compacted {
        id: u64,
        result: Result<crate::store::Rewritten, StoreError>,
    },
    /// The answer to `NoteFile`.
    Noted {
        id: u64,
        result: Result<(), StoreError>,
    },
    /// The answer to `Erase`.
    Erased {
        id: u64,
        result: Result<crate::backend::Erased, StoreError>,
    },
    Ran {
        id: u64,
        stdout: Vec<u8>,
        stderr: String,
        code: i32,
    },
    Status {
        id: u64,
        status: Status,
    },
    /// Someone else's change (the author's own comes as `Applied`).
    Changed {
        change: Change,
        by: UserId,
    },
    /// The account names (a `UserId` is a position); sent when it grows.
    Users(Vec<Text>),
    /// The accounts attached, when that changes.
    Peers(Vec<String>),
    /// The server is stopping.
    Stopping,
}

/// `atbalsts server status`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Status {
    pub pid: u32,
    pub program: String,
    pub db: String,
    pub started: Stamp,
    pub detached: bool,
    pub clients: Vec<Attached>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attached {
    pub account: String,
    pub pid: u32,
    pub role: Role,
    pub since: Stamp,
}

/// Writes one frame: four bytes of length, then the body (its size counted first).
pub fn send<T: Serialize>(w: &mut impl Write, msg: &T) -> std::io::Result<()> {
    let size = postcard::experimental::serialized_size(msg).map_err(std::io::Error::other)?;
    let len = u32::try_from(size)
        .ok()
        .filter(|n| *n < MAX_FRAME)
        .ok_or_else(|| std::io::Error::other("message too large"))?;
    if size <= STREAMED {
        let mut frame = Vec::with_capacity(4 + size);
        frame.extend_from_slice(&len.to_le_bytes());
        let frame = postcard::to_extend(msg, frame).map_err(std::io::Error::other)?;
        w.write_all(&frame)?;
        return w.flush();
    }
    // A snapshot: encoded straight into the socket through a buffer, never held whole
    // (ten screens attaching at once would otherwise hold ten copies of the project).
    let mut out = std::io::BufWriter::with_capacity(STREAMED, w);
    out.write_all(&len.to_le_bytes())?;
    let mut out = postcard::to_io(msg, out).map_err(std::io::Error::other)?;
    out.flush()
}

/// Frames larger than this are encoded into the socket as they go, not into memory first.
const STREAMED: usize = 256 * 1024;

/// The largest frame a server takes before the hello: a hello is a few dozen bytes.
pub const HELLO_LIMIT: u32 = 4 * 1024;
/// The largest frame a server takes from a client that said hello: a command (a bulk
/// import of 300,000 people is about 30 MB). Larger ones are refused; every frame is read
/// in pieces as it arrives, so a length alone costs nothing.
pub const COMMAND_LIMIT: u32 = 256 * 1024 * 1024;
/// What a client takes from its server (a snapshot's header at 300k people is ~40 MB).
pub const SERVER_LIMIT: u32 = MAX_FRAME - 1;
/// Bytes a frame's buffer grows by as the body arrives.
const PIECE: usize = 64 * 1024;

/// Reads one frame of at most `limit` bytes; `Ok(None)` at a clean end of the stream.
pub fn recv<T: for<'de> Deserialize<'de>>(r: &mut impl Read, limit: u32) -> std::io::Result<Option<T>> {
    match recv_into(r, Vec::new(), limit)? {
        Some(body) => decode(&body).map(Some),
        None => Ok(None),
    }
}

/// Decodes a frame's body.
pub fn decode<T: for<'de> Deserialize<'de>>(body: &[u8]) -> std::io::Result<T> {
    postcard::from_bytes(body).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// Reads one frame's body into `buf` (a buffer handed back for reuse: no fresh pages per
/// frame); `Ok(None)` at a clean end of the stream. A length over `limit` is refused before
/// anything is allocated, and the body is taken in pieces as it arrives: a peer that
/// announces a large frame and sends nothing costs nothing.
pub fn recv_into(r: &mut impl Read, mut buf: Vec<u8>, limit: u32) -> std::io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 4];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let len = u32::from_le_bytes(len);
    if len > limit.min(MAX_FRAME - 1) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("frame of {len} bytes over the limit of {limit}"),
        ));
    }
    let len = len as usize;
    buf.clear();
    while buf.len() < len {
        let at = buf.len();
        let piece = (len - at).min(PIECE.max(buf.capacity() - at));
        buf.resize(at + piece, 0);
        r.read_exact(&mut buf[at..])?;
    }
    Ok(Some(buf))
}

/// Where the list of chunks starts if `body` is a `SnapshotPart` (read in place by the
/// client, not decoded into a message).
pub fn snapshot_part_at(body: &[u8]) -> Option<usize> {
    // The variant's tag as postcard writes it (an empty part is the tag and a zero
    // length), worked out once: this runs on every frame a screen receives.
    static TAG: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let tag = TAG.get_or_init(|| {
        let mut empty = postcard::to_allocvec(&ToClient::SnapshotPart(Vec::new())).unwrap_or_default();
        empty.pop();
        empty
    });
    (!tag.is_empty() && body.starts_with(tag)).then_some(tag.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AnyRecord, Participant, Role as PRole, Table};

    #[test]
    fn messages_round_trip_through_frames() {
        let (mut a, mut b) = std::os::unix::net::UnixStream::pair().expect("pair");
        let p = Participant::new("Guna", "Āboliņa", PRole::Teacher, None);
        send(
            &mut a,
            &ToServer::Apply {
                id: 7,
                cmd: Box::new(Command::Batch(vec![Command::Create(AnyRecord::Participant(p.clone()))])),
            },
        )
        .expect("send");
        match recv::<ToServer>(&mut b, COMMAND_LIMIT).expect("recv") {
            Some(ToServer::Apply { id: 7, cmd }) => {
                assert_eq!(*cmd, Command::Batch(vec![Command::Create(AnyRecord::Participant(p))]));
            }
            other => panic!("{other:?}"),
        }
        // Errors cross as values, field codes and all.
        let mut errors = crate::domain::Errors::default();
        errors.push(crate::domain::Field::Email, crate::domain::Problem::BadEmail);
        let err = StoreError::Invalid {
            table: Table::Participant,
            errors: errors.clone(),
        };
        send(
            &mut b,
            &ToClient::Applied {
                id: 1,
                result: Err(err),
            },
        )
        .expect("send");
        match recv::<ToClient>(&mut a, SERVER_LIMIT).expect("recv") {
            Some(ToClient::Applied {
                result: Err(StoreError::Invalid { errors: back, .. }),
                ..
            }) => assert_eq!(back, errors),
            other => panic!("{other:?}"),
        }
        drop(b);
        assert!(recv::<ToClient>(&mut a, SERVER_LIMIT).expect("clean end").is_none());
    }

    /// A snapshot larger than one buffer is streamed into the socket: the frame read on the
    /// other side is the whole of it, byte for byte, and the next frame follows intact.
    #[test]
    fn a_large_snapshot_is_streamed_whole_and_the_next_frame_follows() {
        use crate::store::snapshot::Chunk;
        let (mut a, mut b) = std::os::unix::net::UnixStream::pair().expect("pair");
        let chunks: Vec<Chunk> = (0..200u32)
            .map(|n| Chunk {
                table: Table::Attendance,
                number: n,
                bytes: (0..8192u32).map(|i| (i * 31 + n) as u8).collect::<Vec<u8>>().into(),
            })
            .collect();
        let snap = Snapshot {
            next: vec![1, 2, 3, 4, 5],
            chunks: chunks.clone(),
            ..Snapshot::default()
        };
        assert!(postcard::experimental::serialized_size(&snap).expect("size") > STREAMED);
        let writer = std::thread::spawn(move || {
            send(&mut a, &ToClient::SnapshotBegin(Box::new(snap))).expect("send");
            send(&mut a, &ToClient::Stopping).expect("send");
        });
        match recv::<ToClient>(&mut b, SERVER_LIMIT).expect("recv") {
            Some(ToClient::SnapshotBegin(back)) => {
                assert_eq!(back.next, vec![1, 2, 3, 4, 5]);
                assert_eq!(back.chunks.len(), chunks.len());
                for (x, y) in back.chunks.iter().zip(&chunks) {
                    assert_eq!((x.number, &x.bytes[..]), (y.number, &y.bytes[..]));
                }
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            recv::<ToClient>(&mut b, SERVER_LIMIT).expect("recv"),
            Some(ToClient::Stopping)
        ));
        writer.join().expect("writer");
    }

    /// A snapshot's part is told from every other message by its tag alone (the client
    /// reads its chunks in place), and the chunks start right after the tag.
    #[test]
    fn a_snapshot_part_is_recognised_without_decoding_it() {
        use crate::store::snapshot::{Chunk, ChunkRef};
        let part = ToClient::SnapshotPart(vec![Chunk {
            table: Table::Event,
            number: 3,
            bytes: vec![1u8, 2, 3].into(),
        }]);
        let body = postcard::to_allocvec(&part).expect("encode");
        let at = snapshot_part_at(&body).expect("a part");
        let chunks: Vec<ChunkRef> = postcard::from_bytes(&body[at..]).expect("chunks in place");
        assert_eq!(
            (chunks[0].table, chunks[0].number, chunks[0].bytes),
            (Table::Event, 3, &[1u8, 2, 3][..])
        );
        for other in [
            ToClient::SnapshotEnd,
            ToClient::Stopping,
            ToClient::Peers(vec!["anna".into()]),
        ] {
            let body = postcard::to_allocvec(&other).expect("encode");
            assert_eq!(snapshot_part_at(&body), None, "{other:?}");
        }
    }

    #[test]
    fn a_broken_frame_is_an_error_not_a_panic() {
        let (mut a, mut b) = std::os::unix::net::UnixStream::pair().expect("pair");
        a.write_all(&[3, 0, 0, 0, 0xff, 0xff, 0xff]).expect("write");
        assert!(recv::<ToServer>(&mut b, COMMAND_LIMIT).is_err());
        a.write_all(&u32::MAX.to_le_bytes()).expect("write");
        assert!(recv::<ToServer>(&mut b, COMMAND_LIMIT).is_err());
    }
}
