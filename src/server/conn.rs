//! One connection's threads and budgets: the reader (a hello within a deadline and a few
//! KiB, then frames within the command limit, each read in pieces as it arrives), the
//! writer behind a bounded queue (a subscriber too far behind is cut off and resyncs from a
//! snapshot), and how many connections an account may hold.

use super::proto::{self, ToClient, ToServer};
use std::collections::HashMap;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a new connection has to say hello.
pub const HELLO_WAIT: Duration = Duration::from_secs(5);
/// Connections one account may hold at once (a coordinator has a screen or two and a few
/// commands; twenty commands started at once are far below it).
pub const PER_ACCOUNT: usize = 128;
/// Connections the server holds at once, all accounts together.
pub const IN_ALL: usize = 1024;
/// Bytes of messages waiting for one client before it is taken for stuck and cut off.
pub const QUEUE_BYTES: usize = 64 * 1024 * 1024;
/// Messages waiting for one client before it is cut off (a snapshot at 300k people is a
/// few hundred parts, sent as a whole).
pub const QUEUE_MESSAGES: usize = 100_000;
/// What a message that shares its bytes (a snapshot's part) counts for in the queue.
const SHARED_BYTES: usize = 64;

/// Live connections by account (uid), shared by the acceptor and the readers.
#[derive(Clone, Default)]
pub struct Counts(Arc<Mutex<HashMap<u32, usize>>>);

/// Why a connection was not taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Full {
    Account,
    Server,
}

/// A connection counted for its account until dropped.
pub struct Slot {
    counts: Counts,
    uid: u32,
}

impl Counts {
    /// Counts a new connection of `uid`, or says which limit it would pass.
    pub fn take(&self, uid: u32) -> Result<Slot, Full> {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let all: usize = map.values().sum();
        let mine = map.entry(uid).or_insert(0);
        if *mine >= PER_ACCOUNT {
            return Err(Full::Account);
        }
        if all >= IN_ALL {
            return Err(Full::Server);
        }
        *mine += 1;
        Ok(Slot {
            counts: self.clone(),
            uid,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut map = self.counts.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = map.get_mut(&self.uid) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                map.remove(&self.uid);
            }
        }
    }
}

/// The way to one client: its queue, what waits in it, and its socket (to cut it off).
pub struct Outbox {
    tx: Sender<(Arc<ToClient>, usize)>,
    waiting: Arc<Waiting>,
    stream: UnixStream,
    /// Cut off: nothing more is queued.
    cut: std::sync::atomic::AtomicBool,
}

/// What waits in a queue: bytes and messages.
#[derive(Default)]
struct Waiting {
    bytes: AtomicUsize,
    messages: AtomicUsize,
}

/// Why a message was not queued.
#[derive(Debug, PartialEq, Eq)]
pub enum Behind {
    /// Too much waits unread: the client was cut off.
    TooFar { bytes: usize, messages: usize },
    /// The writer is gone (the connection closed).
    Closed,
}

impl Outbox {
    /// Starts the writer thread of `stream`.
    pub fn start(stream: &UnixStream) -> std::io::Result<Outbox> {
        let (tx, rx) = mpsc::channel::<(Arc<ToClient>, usize)>();
        let waiting = Arc::new(Waiting::default());
        let writer = stream.try_clone()?;
        let w = Arc::clone(&waiting);
        std::thread::spawn(move || write_loop(writer, rx, w));
        Ok(Outbox {
            tx,
            waiting,
            stream: stream.try_clone()?,
            cut: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// Queues `msg`; one that shares its bytes (a snapshot's part) counts little. A client
    /// with more than [`QUEUE_BYTES`] or [`QUEUE_MESSAGES`] waiting is cut off instead (its
    /// socket shut: a screen reconnects and takes a fresh snapshot).
    pub fn send(&self, msg: Arc<ToClient>) -> Result<(), Behind> {
        let bytes = match msg.as_ref() {
            ToClient::SnapshotPart(_) | ToClient::SnapshotBegin(_) => SHARED_BYTES,
            other => postcard::experimental::serialized_size(other).unwrap_or(SHARED_BYTES),
        };
        self.send_sized(msg, bytes)
    }

    /// [`Outbox::send`] of a message whose size is known.
    pub fn send_sized(&self, msg: Arc<ToClient>, bytes: usize) -> Result<(), Behind> {
        if self.cut.load(Ordering::Relaxed) {
            return Err(Behind::Closed);
        }
        let queued = self.waiting.bytes.load(Ordering::Relaxed);
        let messages = self.waiting.messages.load(Ordering::Relaxed);
        if queued + bytes > QUEUE_BYTES || messages >= QUEUE_MESSAGES {
            self.cut_off();
            return Err(Behind::TooFar {
                bytes: queued,
                messages,
            });
        }
        self.waiting.bytes.fetch_add(bytes, Ordering::Relaxed);
        self.waiting.messages.fetch_add(1, Ordering::Relaxed);
        self.tx.send((msg, bytes)).map_err(|_| Behind::Closed)
    }

    /// Shuts the connection: the writer's blocked write and the reader both end.
    pub fn cut_off(&self) {
        self.cut.store(true, Ordering::Relaxed);
        let _ = self.stream.shutdown(std::net::Shutdown::Both);
    }
}

fn write_loop(mut stream: UnixStream, rx: Receiver<(Arc<ToClient>, usize)>, waiting: Arc<Waiting>) {
    for (msg, bytes) in rx {
        let sent = proto::send(&mut stream, msg.as_ref());
        waiting.bytes.fetch_sub(bytes, Ordering::Relaxed);
        waiting.messages.fetch_sub(1, Ordering::Relaxed);
        if sent.is_err() {
            break;
        }
    }
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// Reads a connection's requests: first a hello, within [`HELLO_WAIT`] and
/// [`proto::HELLO_LIMIT`] bytes (anything else ends the connection), then requests of up to
/// [`proto::COMMAND_LIMIT`] bytes, each handed to `forward`. Returns when the connection
/// ends or `forward` says the server is gone.
pub fn read_loop(mut stream: UnixStream, mut forward: impl FnMut(ToServer) -> bool) -> &'static str {
    if stream.set_read_timeout(Some(HELLO_WAIT)).is_err() {
        return "no timeout";
    }
    let hello = match proto::recv::<ToServer>(&mut stream, proto::HELLO_LIMIT) {
        Ok(Some(h @ ToServer::Hello(_))) => h,
        Ok(Some(_)) => return "a request before the hello",
        Ok(None) => return "closed before the hello",
        Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
            return "no hello in time";
        }
        Err(_) => return "not a hello",
    };
    if stream.set_read_timeout(None).is_err() || !forward(hello) {
        return "closed";
    }
    loop {
        match proto::recv::<ToServer>(&mut stream, proto::COMMAND_LIMIT) {
            Ok(Some(req)) => {
                if !forward(req) {
                    return "closed";
                }
            }
            Ok(None) => return "closed",
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => return "a frame over the limit or not ours",
            Err(_) => return "closed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_holds_at_most_its_share_and_a_closed_one_frees_its_place() {
        let counts = Counts::default();
        let mut held: Vec<Slot> = (0..PER_ACCOUNT).map(|_| counts.take(7).expect("room")).collect();
        assert_eq!(counts.take(7).err(), Some(Full::Account));
        // Another account is not held back by this one.
        let other = counts.take(8).expect("another account");
        held.pop();
        assert!(counts.take(7).is_ok(), "a closed connection frees its place");
        drop(other);
    }

    /// A client that reads nothing is cut off once too much waits for it, and its socket
    /// is shut (its screen sees the end and resyncs); the server's queue stops growing.
    #[test]
    fn a_client_that_never_reads_is_cut_off_when_its_queue_is_full() {
        let (server_side, client_side) = UnixStream::pair().expect("pair");
        let out = Outbox::start(&server_side).expect("outbox");
        let big = Arc::new(ToClient::Peers(vec!["x".repeat(1024 * 1024)]));
        let mut sent = 0usize;
        let behind = loop {
            match out.send(Arc::clone(&big)) {
                Ok(()) => sent += 1,
                Err(b) => break b,
            }
            assert!(sent < 1000, "never cut off");
        };
        assert!(matches!(behind, Behind::TooFar { .. }), "{behind:?}");
        assert!(sent * (1024 * 1024) <= QUEUE_BYTES + 1024 * 1024, "{sent} MiB queued");
        // The client's side sees the end of the stream once it reads what was written.
        let mut c = client_side;
        c.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
        let mut ended = false;
        for _ in 0..2000 {
            match proto::recv::<ToClient>(&mut c, proto::SERVER_LIMIT) {
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => {
                    ended = true;
                    break;
                }
            }
        }
        assert!(ended, "the cut-off client's stream ends");
    }

    /// Before its hello a peer may send a few KiB, and must send them in time; a request
    /// before the hello ends the connection.
    #[test]
    fn the_reader_wants_a_small_hello_first() {
        use std::io::Write;
        let reasons: Vec<&str> = [
            // A 2 GiB length before the hello.
            0x7fff_fff0u32.to_le_bytes().to_vec(),
            // A request before the hello.
            {
                let mut v = Vec::new();
                let body = postcard::to_allocvec(&ToServer::Subscribe).expect("encode");
                v.extend_from_slice(&(body.len() as u32).to_le_bytes());
                v.extend_from_slice(&body);
                v
            },
        ]
        .into_iter()
        .map(|bytes| {
            let (a, mut b) = UnixStream::pair().expect("pair");
            b.write_all(&bytes).expect("write");
            read_loop(a, |_| true)
        })
        .collect();
        assert_eq!(reasons, vec!["not a hello", "a request before the hello"]);
    }
}
