//! The client side of the server: connecting (starting `atbalsts serve --detach` when none
//! answers, under a lock so that twenty clients start one), the hello, and [`Remote`], the
//! screen's backend whose replica comes from the server's snapshot and live changes.

use super::proto::{self, Hello, Refusal, Role, ToClient, ToServer};
use crate::backend::{Backend, Event};
use crate::command::{Change, Command};
use crate::domain::UserId;
use crate::i18n::{M, f};
use crate::model::Model;
use crate::store::{LogEntry, StoreError};
use std::os::unix::io::AsRawFd;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long a client waits for a server it started.
const START_WAIT: Duration = Duration::from_secs(10);
/// How long a request may take before the server is taken for gone.
const ANSWER_WAIT: Duration = Duration::from_secs(120);

/// Why no server could be reached.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("{}", f(M::ServerVersion, &[&.0.display(), .1, .2]))]
    Version(PathBuf, String, String),
    #[error("{}", match .2 { Some(g) => f(M::ServerNotAllowedGroup, &[.1, &.0.display(), g]), None => f(M::ServerNotAllowed, &[.1, &.0.display()]) })]
    NotAllowed(PathBuf, String, Option<String>),
    #[error("{}", f(M::ServerNoStart, &[&.0.display(), .1]))]
    NoStart(PathBuf, String),
    #[error("{}", f(M::ServerNotRunning, &[&.0.display()]))]
    NotRunning(PathBuf),
    #[error("{}", f(M::ServerTooMany, &[.1, &.0.display(), .2]))]
    TooMany(PathBuf, String, usize),
    /// No server runs, and this account may not start one there (the directory's owner).
    #[error("{}", f(M::ServerForeign, &[&.0.display(), .1, &crate::account::me(), .1, .1]))]
    Foreign(PathBuf, String),
}

impl From<ConnectError> for StoreError {
    fn from(e: ConnectError) -> StoreError {
        match e {
            ConnectError::NotRunning(path) => StoreError::Server {
                path,
                reason: "not running".into(),
            },
            other => StoreError::Server {
                path: PathBuf::new(),
                reason: other.to_string(),
            },
        }
    }
}

/// A connection that has said hello.
pub struct Conn {
    pub stream: UnixStream,
    /// The database directory (for messages).
    pub dir: PathBuf,
    pub user: String,
    pub user_id: UserId,
    next_id: u64,
}

impl Conn {
    pub fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }
}

/// Connects to the server of the database in `dir`, if one answers.
pub fn connect(dir: &Path, role: Role) -> Result<Option<Conn>, ConnectError> {
    let sock = dir.join(proto::SOCKET);
    let mut stream = match UnixStream::connect(&sock) {
        Ok(s) => s,
        // The directory or socket keeps this account out: the server never hears of it.
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            use std::os::unix::fs::MetadataExt;
            let group = std::fs::metadata(dir)
                .ok()
                .filter(|m| m.mode() & 0o2070 == 0o2070)
                .and_then(|m| crate::account::group_name(m.gid()));
            return Err(ConnectError::NotAllowed(dir.to_owned(), crate::account::me(), group));
        }
        Err(_) => return Ok(None),
    };
    // A server that refuses this account answers and closes before reading the hello, so
    // the hello may not get through: its refusal is read all the same. A server that is
    // gone before it answered (killed, stopping) is no server: the caller starts one.
    let _ = proto::send(&mut stream, &ToServer::Hello(Hello::new(role)));
    let Ok(answer) = proto::recv::<ToClient>(&mut stream, proto::SERVER_LIMIT) else {
        return Ok(None);
    };
    match answer {
        Some(ToClient::Welcome { user, user_id, .. }) => Ok(Some(Conn {
            stream,
            dir: dir.to_owned(),
            user,
            user_id,
            next_id: 0,
        })),
        Some(ToClient::Refused(Refusal::Version { program, .. })) => {
            Err(ConnectError::Version(dir.to_owned(), program, proto::program()))
        }
        Some(ToClient::Refused(Refusal::NotAllowed { account, group })) => {
            Err(ConnectError::NotAllowed(dir.to_owned(), account, group))
        }
        Some(ToClient::Refused(Refusal::TooMany { account, limit })) => {
            Err(ConnectError::TooMany(dir.to_owned(), account, limit))
        }
        // A server that is stopping, or something else on the socket.
        _ => Ok(None),
    }
}

/// Connects to the database's server, starting one if none answers: under an exclusive
/// lock on the start-lock file, check again, then start `atbalsts serve --detach` and wait
/// for it to answer.
pub fn connect_or_start(dir: &Path, role: Role) -> Result<Conn, ConnectError> {
    if let Some(c) = connect(dir, role)? {
        return Ok(c);
    }
    let no_start = |e: String| ConnectError::NoStart(dir.to_owned(), e);
    if let Some(owner) = crate::server::access::foreign_owner(dir) {
        return Err(ConnectError::Foreign(dir.to_owned(), owner));
    }
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(proto::START_LOCK))
        .map_err(|e| no_start(e.to_string()))?;
    // SAFETY: flock on a descriptor we own; released when `lock` is closed.
    if unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX) } != 0 {
        return Err(no_start(std::io::Error::last_os_error().to_string()));
    }
    if let Some(c) = connect(dir, role)? {
        return Ok(c);
    }
    if crate::store::lock::DbLock::is_held(dir) {
        // Held, but not answering: a server just starting (loading a large database on a
        // busy machine takes seconds), or a process without one.
        let deadline = Instant::now() + START_WAIT;
        while Instant::now() < deadline {
            if let Some(c) = connect(dir, role)? {
                return Ok(c);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        return Err(no_start(crate::i18n::t(M::ServerHeldWithout).to_string()));
    }
    let _ = std::fs::remove_file(dir.join(proto::SOCKET));
    let mut child = spawn_server(dir).map_err(|e| no_start(e.to_string()))?;
    let deadline = Instant::now() + START_WAIT;
    loop {
        if let Some(c) = connect(dir, role)? {
            return Ok(c);
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(no_start(format!(
                "the server exited ({status}); run `atbalsts serve --db {}` to see why",
                dir.display()
            )));
        }
        if Instant::now() >= deadline {
            return Err(no_start("the server did not answer in time".into()));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The program started as the server: `ATBALSTS_SERVER_EXE` when set (a packaged server
/// elsewhere; tests that are not this program themselves), else this program.
fn server_exe() -> std::io::Result<PathBuf> {
    match std::env::var_os("ATBALSTS_SERVER_EXE").filter(|v| !v.is_empty()) {
        Some(exe) => Ok(PathBuf::from(exe)),
        None => std::env::current_exe(),
    }
}

/// Starts `atbalsts serve --detach --db DIR` in a session of its own, its output discarded.
fn spawn_server(dir: &Path) -> std::io::Result<std::process::Child> {
    use std::os::unix::process::CommandExt;
    let exe = server_exe()?;
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("serve")
        .arg("--detach")
        .arg("--db")
        .arg(dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    // SAFETY: setsid is async-signal-safe; it detaches the server from the terminal.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    cmd.spawn()
}

/// Sends one request and waits for its answer (a command's connection carries nothing else).
pub fn ask(conn: &mut Conn, req: ToServer) -> Result<ToClient, StoreError> {
    let path = conn.dir.clone();
    let lost = |e: std::io::Error| StoreError::Server {
        path: path.clone(),
        reason: e.to_string(),
    };
    proto::send(&mut conn.stream, &req).map_err(lost)?;
    loop {
        match proto::recv::<ToClient>(&mut conn.stream, proto::SERVER_LIMIT).map_err(lost)? {
            None | Some(ToClient::Stopping) => {
                return Err(StoreError::Server {
                    path: path.clone(),
                    reason: "the server stopped".into(),
                });
            }
            Some(ToClient::Changed { .. } | ToClient::Users(_) | ToClient::Peers(_)) => {}
            Some(answer) => return Ok(answer),
        }
    }
}

/// What the reader thread hands the screen.
enum Incoming {
    Snapshot(Box<Result<Model, StoreError>>),
    Msg(Box<ToClient>),
    Gone,
}

/// The screen's backend over the server: a replica built from a snapshot, kept current by
/// the changes the server sends; commands go to the server and come back as changes.
pub struct Remote {
    dir: PathBuf,
    conn: Option<Conn>,
    rx: Option<Receiver<Incoming>>,
    model: Model,
    loaded: bool,
    user: UserId,
    user_name: String,
    peers: Vec<String>,
    /// Events met while waiting for an answer, for the next poll.
    pending: Vec<Event>,
    /// Reconnecting after the server went away (`Some(when to try next)`).
    retry: Option<Instant>,
}

impl Remote {
    /// Connects (starting a server if needed) and asks for the snapshot, which arrives in
    /// the background: the first frame does not wait for it.
    pub fn start(dir: &Path) -> Result<Remote, ConnectError> {
        let conn = connect_or_start(dir, Role::Screen)?;
        let mut r = Remote {
            dir: dir.to_owned(),
            user: conn.user_id,
            user_name: conn.user.clone(),
            conn: None,
            rx: None,
            model: Model::default(),
            loaded: false,
            peers: Vec::new(),
            pending: Vec::new(),
            retry: None,
        };
        r.attach(conn)
            .map_err(|e| ConnectError::NoStart(dir.to_owned(), e.to_string()))?;
        Ok(r)
    }

    /// Subscribes on `conn` and starts its reader thread.
    fn attach(&mut self, mut conn: Conn) -> std::io::Result<()> {
        proto::send(&mut conn.stream, &ToServer::Subscribe)?;
        let mut reader = conn.stream.try_clone()?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let asked = Instant::now();
            // The snapshot being built while its parts arrive (changes made meanwhile
            // follow its end on the socket, so they are passed on only after the model).
            let mut building: Option<(crate::store::snapshot::Builder, Instant)> = None;
            loop {
                let buf = building.as_ref().map(|(b, _)| b.buffer()).unwrap_or_default();
                let body = match proto::recv_into(&mut reader, buf, proto::SERVER_LIMIT) {
                    Ok(Some(body)) => body,
                    Ok(None) | Err(_) => {
                        if let Some((b, _)) = building.take() {
                            b.abandon();
                        }
                        let _ = tx.send(Incoming::Gone);
                        return;
                    }
                };
                if let (Some((b, _)), Some(at)) = (&building, proto::snapshot_part_at(&body)) {
                    b.add_frame(body, at);
                    continue;
                }
                let incoming = match proto::decode::<ToClient>(&body).map(Some) {
                    Ok(Some(ToClient::SnapshotBegin(head))) => {
                        crate::log!("snapshot: header in {:.1} ms", asked.elapsed().as_secs_f64() * 1e3);
                        building = Some((crate::store::snapshot::Builder::start(*head), Instant::now()));
                        continue;
                    }
                    // Parts are taken in place above while a snapshot is being built; one
                    // without its header is nothing to build.
                    Ok(Some(ToClient::SnapshotPart(_))) => continue,
                    Ok(Some(ToClient::SnapshotEnd)) => {
                        let Some((b, began)) = building.take() else { continue };
                        let received = began.elapsed();
                        let model = b.finish();
                        crate::log!(
                            "snapshot: parts received in {:.1} ms, model built {:.1} ms after the last",
                            received.as_secs_f64() * 1e3,
                            (began.elapsed() - received).as_secs_f64() * 1e3
                        );
                        Incoming::Snapshot(Box::new(model))
                    }
                    Ok(Some(msg)) => Incoming::Msg(Box::new(msg)),
                    Ok(None) | Err(_) => {
                        if let Some((b, _)) = building.take() {
                            b.abandon();
                        }
                        let _ = tx.send(Incoming::Gone);
                        return;
                    }
                };
                if tx.send(incoming).is_err() {
                    return;
                }
            }
        });
        self.user = conn.user_id;
        self.user_name = conn.user.clone();
        self.conn = Some(conn);
        self.rx = Some(rx);
        Ok(())
    }

    fn lost(&mut self) -> Event {
        self.conn = None;
        self.rx = None;
        self.retry = Some(Instant::now());
        Event::Disconnected
    }

    /// Takes one message from the server into the replica; returns the event it makes.
    fn take(&mut self, incoming: Incoming) -> Option<Event> {
        match incoming {
            Incoming::Snapshot(result) if result.is_ok() => {
                let again = self.loaded;
                if let Ok(model) = *result {
                    self.model = model;
                }
                self.loaded = true;
                Some(if again { Event::Reconnected } else { Event::Loaded })
            }
            Incoming::Snapshot(result) => result.err().map(Event::Failed),
            Incoming::Gone => Some(self.lost()),
            Incoming::Msg(msg) => self.take_msg(*msg),
        }
    }

    /// A message from the server other than the snapshot.
    fn take_msg(&mut self, msg: ToClient) -> Option<Event> {
        match msg {
            ToClient::Changed { change, by } => {
                self.model.apply(&change);
                Some(Event::Changed {
                    change: Box::new(change),
                    by,
                })
            }
            ToClient::Users(users) => {
                self.model.users = users;
                None
            }
            ToClient::Peers(peers) => {
                self.peers = peers;
                Some(Event::Peers)
            }
            ToClient::Stopping => Some(self.lost()),
            _ => None,
        }
    }

    /// Sends a request and waits for the answer `id`, taking others' changes met on the way
    /// into the replica first (the server made them before ours).
    fn request(&mut self, req: ToServer, id: u64) -> Result<ToClient, StoreError> {
        let dir = self.dir.clone();
        let lost = |reason: String| StoreError::Server {
            path: dir.clone(),
            reason,
        };
        let Some(conn) = self.conn.as_mut() else {
            return Err(lost(crate::i18n::t(M::ServerLost).to_string()));
        };
        if let Err(e) = proto::send(&mut conn.stream, &req) {
            let ev = self.lost();
            self.pending.push(ev);
            return Err(lost(e.to_string()));
        }
        let deadline = Instant::now() + ANSWER_WAIT;
        loop {
            let Some(rx) = self.rx.as_ref() else {
                return Err(lost("no connection".into()));
            };
            let wait = deadline.saturating_duration_since(Instant::now());
            let incoming = match rx.recv_timeout(wait) {
                Ok(i) => i,
                Err(RecvTimeoutError::Timeout) => return Err(lost("no answer".into())),
                Err(RecvTimeoutError::Disconnected) => Incoming::Gone,
            };
            let answer = match incoming {
                Incoming::Msg(m)
                    if matches!(
                        *m,
                        ToClient::Applied { .. }
                            | ToClient::History { .. }
                            | ToClient::Erased { .. }
                            | ToClient::Noted { .. }
                            | ToClient::Compacted { .. }
                    ) =>
                {
                    *m
                }
                other => {
                    let gone = match &other {
                        Incoming::Gone => true,
                        Incoming::Msg(m) => matches!(**m, ToClient::Stopping),
                        Incoming::Snapshot(_) => false,
                    };
                    if let Some(ev) = self.take(other) {
                        self.pending.push(ev);
                    }
                    if gone {
                        // Sent but not confirmed: never sent again (it may or may not have
                        // been applied; the next snapshot shows which).
                        return Err(lost(crate::i18n::t(M::ServerUnconfirmed).to_string()));
                    }
                    continue;
                }
            };
            match &answer {
                ToClient::Applied { id: got, .. }
                | ToClient::History { id: got, .. }
                | ToClient::Erased { id: got, .. }
                | ToClient::Noted { id: got, .. }
                | ToClient::Compacted { id: got, .. }
                    if *got == id =>
                {
                    return Ok(answer);
                }
                _ => continue,
            }
        }
    }

    /// Sends a request that makes a change and takes the change into the replica.
    fn change(&mut self, req: impl FnOnce(u64) -> ToServer) -> Result<Change, StoreError> {
        let id = self.conn.as_mut().map_or(0, Conn::next_id);
        match self.request(req(id), id)? {
            ToClient::Applied { result, .. } => {
                let change = result?;
                self.model.apply(&change);
                Ok(change)
            }
            _ => Err(StoreError::NotLoaded),
        }
    }

    /// Tries to get the connection back (a new server is started if none runs).
    fn reconnect(&mut self) -> Option<Event> {
        let due = self.retry.is_some_and(|t| Instant::now() >= t);
        if !due {
            return None;
        }
        match connect_or_start(&self.dir, Role::Screen) {
            Ok(conn) => {
                self.retry = None;
                if self.attach(conn).is_err() {
                    self.retry = Some(Instant::now() + Duration::from_millis(500));
                }
                None
            }
            Err(e) => {
                crate::log!("reconnect failed: {}", e.to_string().len());
                self.retry = Some(Instant::now() + Duration::from_millis(500));
                None
            }
        }
    }
}

impl Backend for Remote {
    fn model(&self) -> &Model {
        &self.model
    }
    fn is_loaded(&self) -> bool {
        self.loaded
    }
    fn apply(&mut self, cmd: Command) -> Result<Change, StoreError> {
        self.change(|id| ToServer::Apply { id, cmd: Box::new(cmd) })
    }
    fn erase(&mut self, ids: &[crate::domain::ParticipantId]) -> Result<crate::backend::Erased, StoreError> {
        let id = self.conn.as_mut().map_or(0, Conn::next_id);
        match self.request(ToServer::Erase { id, ids: ids.to_vec() }, id)? {
            ToClient::Erased { result, .. } => {
                let erased = result?;
                self.model.apply(&erased.change);
                Ok(erased)
            }
            _ => Err(StoreError::NotLoaded),
        }
    }
    fn compact(&mut self) -> Result<crate::store::Rewritten, StoreError> {
        let id = self.conn.as_mut().map_or(0, Conn::next_id);
        match self.request(ToServer::Compact { id }, id)? {
            ToClient::Compacted { result, .. } => result,
            _ => Err(StoreError::NotLoaded),
        }
    }
    fn note_file(&mut self, kind: crate::domain::FileKind, file: &str) -> Result<(), StoreError> {
        let id = self.conn.as_mut().map_or(0, Conn::next_id);
        let file = file.to_string();
        match self.request(ToServer::NoteFile { id, kind, file }, id)? {
            ToClient::Noted { result, .. } => result,
            _ => Err(StoreError::NotLoaded),
        }
    }
    fn history(&mut self, limit: usize) -> Result<Vec<LogEntry>, StoreError> {
        let id = match self.conn.as_mut() {
            Some(c) => c.next_id(),
            None => 0,
        };
        let limit = u32::try_from(limit).unwrap_or(u32::MAX);
        match self.request(ToServer::History { id, limit }, id)? {
            ToClient::History { result, .. } => result,
            _ => Err(StoreError::NotLoaded),
        }
    }
    fn user(&self) -> UserId {
        self.user
    }
    fn user_name(&self) -> String {
        self.user_name.clone()
    }
    fn label(&self) -> String {
        self.dir.display().to_string()
    }
    fn replay(&mut self, change: &Change, seen: &mut dyn FnMut(&Model, &Change)) {
        self.model.replay(change, seen);
    }
    fn poll(&mut self) -> Vec<Event> {
        let mut out = std::mem::take(&mut self.pending);
        if let Some(ev) = self.reconnect() {
            out.push(ev);
        }
        while let Some(incoming) = self.rx.as_ref().and_then(|rx| rx.try_recv().ok()) {
            if let Some(ev) = self.take(incoming) {
                let gone = matches!(ev, Event::Disconnected);
                out.push(ev);
                if gone {
                    break;
                }
            }
        }
        out
    }
    fn peers(&self) -> Vec<String> {
        self.peers.clone()
    }
    fn is_shared(&self) -> bool {
        true
    }
}
