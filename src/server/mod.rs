//! `atbalsts serve`: one process owns the database (its `Store`, the one write path) and
//! serves every screen and command over a Unix socket in the database directory, like tmux.
//! Commands are applied in arrival order on one thread; each change goes back to its author
//! and to every other attached screen. Who is who comes from the kernel (SO_PEERCRED).

pub mod access;
pub mod client;
pub mod conn;
pub mod proto;

use access::Access;
pub use access::check_private;

use crate::backend::{Backend, Event};
use crate::command::{Change, Command};
use crate::domain::{Stamp, UserId};
use crate::indicators::Aggregates;
use crate::model::Model;
use crate::store::{LogEntry, Store, StoreError};
use proto::{Attached, Hello, Refusal, Role, Status, ToClient, ToServer};
use std::collections::HashMap;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

/// How the server runs.
#[derive(Clone, Debug)]
pub struct Options {
    /// Started by a client (not by systemd or by hand).
    pub detached: bool,
    /// Exit this long after the last client left (`None`: never).
    pub idle: Option<Duration>,
}

/// How long an auto-started server waits for a new client after the last one left.
pub fn default_idle() -> Duration {
    let secs = std::env::var("ATBALSTS_SERVER_IDLE")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(300);
    Duration::from_secs(secs)
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Refused(String),
    #[error("{}: {}", .0.display(), .1)]
    Io(PathBuf, std::io::Error),
}

/// Messages to the server's one apply thread.
enum Msg {
    Joined { conn: u64, client: Box<Client> },
    Request { conn: u64, req: Box<ToServer> },
    Left { conn: u64 },
}

/// One attached client.
struct Client {
    account: String,
    uid: u32,
    pid: u32,
    since: Stamp,
    role: Option<Role>,
    user: Option<UserId>,
    subscribed: bool,
    out: conn::Outbox,
}

/// Runs the server on the database in `dir` until stopped (SIGTERM, `server stop`, or idle).
pub fn serve(dir: &Path, opts: Options) -> Result<(), ServeError> {
    check_private(dir)?;
    let access = Access::of(dir).map_err(|e| ServeError::Io(dir.to_owned(), e))?;
    let me = crate::account::me();
    let mut store = Store::open(dir, &me)?;
    store.load()?;
    let sock = dir.join(proto::SOCKET);
    // Only a server holding the database lock gets here: a socket left behind is stale.
    let _ = std::fs::remove_file(&sock);
    let listener = UnixListener::bind(&sock).map_err(|e| ServeError::Io(sock.clone(), e))?;
    let mode = access.socket_mode();
    std::fs::set_permissions(&sock, std::fs::Permissions::from_mode(mode))
        .map_err(|e| ServeError::Io(sock.clone(), e))?;
    crate::log!(
        "serve: listening pid={} records={} socket mode {:o} access list {} accounts, ready at {:.1} ms",
        std::process::id(),
        store.model().total(),
        mode,
        access::list(dir).len(),
        crate::log::since_start_ms()
    );

    let stop = Arc::new(AtomicBool::new(false));
    watch_signals(Arc::clone(&stop));
    let (tx, rx) = mpsc::channel::<Msg>();
    {
        let tx = tx.clone();
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || accept(listener, access, tx, stop));
    }
    let mut server = Server {
        store,
        agg: None,
        clients: HashMap::new(),
        started: Stamp::now(),
        opts,
        dir: dir.to_owned(),
        stop,
        owed_tried: None,
        rewrites: 0,
        waiting: Vec::new(),
    };
    let result = server.run(rx);
    let _ = std::fs::remove_file(&sock);
    crate::log!("serve: stopped");
    result
}

/// Accepts connections: checks the peer and its account's share of connections, then
/// gives it a reader and a writer thread.
fn accept(listener: UnixListener, access: Access, tx: Sender<Msg>, stop: Arc<AtomicBool>) {
    let mut next: u64 = 1;
    let counts = conn::Counts::default();
    for stream in listener.incoming() {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let Ok(stream) = stream else { continue };
        let Ok(peer) = crate::account::peer_of(&stream) else {
            continue;
        };
        let account = crate::account::name_of(peer.uid);
        let refuse = |refusal: Refusal| {
            let mut s = &stream;
            // Never waits on the peer: a refusal fits the socket's buffer, or is dropped.
            let _ = s.set_write_timeout(Some(Duration::from_millis(100)));
            let _ = proto::send(&mut s, &ToClient::Refused(refusal));
        };
        if !access.allows(&peer, &account) {
            crate::log!(
                "serve: refused account={account} uid={} pid={}: not the owner, in the group or on the access list",
                peer.uid,
                peer.pid
            );
            let group = access.group_name();
            refuse(Refusal::NotAllowed { account, group });
            continue;
        }
        let slot = match counts.take(peer.uid) {
            Ok(slot) => slot,
            Err(full) => {
                let limit = match full {
                    conn::Full::Account => conn::PER_ACCOUNT,
                    conn::Full::Server => conn::IN_ALL,
                };
                crate::log!(
                    "serve: refused account={account} uid={} pid={}: {full:?} holds {limit} connections",
                    peer.uid,
                    peer.pid
                );
                refuse(Refusal::TooMany { account, limit });
                continue;
            }
        };
        let conn = next;
        next += 1;
        crate::log!(
            "serve: conn={conn} connected account={account} uid={} pid={}",
            peer.uid,
            peer.pid
        );
        let Ok(writer) = stream.try_clone() else { continue };
        let tx = tx.clone();
        // Only a peer that said hello costs the apply thread anything (and gets a writer):
        // junk and silent connections end in their reader.
        std::thread::spawn(move || {
            let mut joined = false;
            let why = conn::read_loop(stream, |req| {
                if !joined {
                    let Ok(out) = conn::Outbox::start(&writer) else {
                        return false;
                    };
                    let client = Box::new(Client {
                        account: account.clone(),
                        uid: peer.uid,
                        pid: peer.pid,
                        since: Stamp::now(),
                        role: None,
                        user: None,
                        subscribed: false,
                        out,
                    });
                    joined = tx.send(Msg::Joined { conn, client }).is_ok();
                }
                joined
                    && tx
                        .send(Msg::Request {
                            conn,
                            req: Box::new(req),
                        })
                        .is_ok()
            });
            crate::log!("serve: conn={conn} reader ended: {why}");
            if joined {
                let _ = tx.send(Msg::Left { conn });
            }
            drop(slot);
        });
    }
}

struct Server {
    store: Store,
    /// Running totals behind the indicators, built when a report first asks and then
    /// kept up to date, so `report indicators` needs no scan of every attendance row.
    agg: Option<Aggregates>,
    clients: HashMap<u64, Client>,
    started: Stamp,
    opts: Options,
    dir: PathBuf,
    stop: Arc<AtomicBool>,
    /// When a failed erasure's rewrite was last tried again.
    owed_tried: Option<Instant>,
    /// Rewrites started beside the writes so far (the running one is the last).
    rewrites: u64,
    /// Answers waiting for a rewrite: the rewrite they need (by its count), and whom.
    waiting: Vec<(u64, Waiting)>,
}

/// A client waiting for a rewrite's swap.
enum Waiting {
    /// Its erasure (made) is answered once no file holds the people.
    Erase {
        conn: u64,
        id: u64,
        change: Box<Change>,
        files: Vec<(crate::domain::FileKind, String)>,
    },
    Compact {
        conn: u64,
        id: u64,
    },
}

/// How often a failed erasure's rewrite is tried again.
const OWED_RETRY: Duration = Duration::from_secs(30);

/// Most changes applied under one flush.
const MAX_GROUP: usize = 64;

impl Server {
    fn run(&mut self, rx: Receiver<Msg>) -> Result<(), ServeError> {
        let mut idle_since = Some(Instant::now());
        // A message taken while gathering a group of changes, handled next.
        let mut pending: Option<Msg> = None;
        loop {
            if self.stop.load(Ordering::Relaxed) {
                self.broadcast(Arc::new(ToClient::Stopping), None);
                return Ok(());
            }
            self.poll_rewrite();
            if let (Some(since), Some(limit)) = (idle_since, self.opts.idle)
                && since.elapsed() >= limit
                && !self.store.is_rewriting()
            {
                crate::log!("serve: idle, exiting");
                return Ok(());
            }
            let msg = match pending.take() {
                Some(m) => Ok(m),
                // A rewrite beside the writes is looked at often: its swap is waited for.
                None => rx.recv_timeout(Duration::from_millis(if self.store.is_rewriting() { 5 } else { 100 })),
            };
            match msg {
                Ok(Msg::Joined { conn, client }) => {
                    self.clients.insert(conn, *client);
                    idle_since = None;
                }
                Ok(Msg::Left { conn }) => {
                    if let Some(c) = self.clients.remove(&conn) {
                        crate::log!(
                            "serve: conn={conn} left account={} ({} attached)",
                            c.account,
                            self.clients.len()
                        );
                        // Only a screen leaving changes who is "also here".
                        if c.role == Some(Role::Screen) {
                            self.send_peers();
                        }
                    }
                    if self.clients.is_empty() {
                        idle_since = Some(Instant::now());
                    }
                }
                Ok(Msg::Request { conn, req }) if matches!(*req, ToServer::Apply { .. }) => {
                    // Every change already waiting goes in with it, under one flush.
                    let mut group = vec![(conn, req)];
                    let mut next = None;
                    while group.len() < MAX_GROUP {
                        match rx.try_recv() {
                            Ok(Msg::Request { conn, req }) if matches!(*req, ToServer::Apply { .. }) => {
                                group.push((conn, req))
                            }
                            Ok(other) => {
                                next = Some(other);
                                break;
                            }
                            Err(_) => break,
                        }
                    }
                    let t = Instant::now();
                    self.apply_group(group);
                    let w = self.store.last_write();
                    let ms = |d: Duration| d.as_secs_f64() * 1e3;
                    crate::log!(
                        "serve: apply in {:.3} ms ({} under one flush; plan {:.3} encode {:.3} write {:.3} flush {:.3} sync {:.3})",
                        ms(t.elapsed()),
                        w.changes,
                        ms(w.plan),
                        ms(w.encode),
                        ms(w.write),
                        ms(w.flush),
                        ms(w.sync)
                    );
                    pending = next;
                }
                Ok(Msg::Request { conn, req }) => {
                    let what = kind_of(&req);
                    let t = Instant::now();
                    self.handle(conn, *req);
                    crate::log!("serve: conn={conn} {what} in {:.2} ms", t.elapsed().as_secs_f64() * 1e3);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => self.retry_owed_rewrite(),
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
            }
        }
    }

    /// An erasure whose rewrite failed (a full disk) is rewritten again, at most every
    /// [`OWED_RETRY`], when the server has nothing else to do: it recovers by itself when
    /// space returns. Beside the writes, like every rewrite the server makes.
    fn retry_owed_rewrite(&mut self) {
        if self.store.is_rewriting()
            || !crate::store::compact::owed(&self.dir)
            || self.owed_tried.is_some_and(|t| t.elapsed() < OWED_RETRY)
        {
            return;
        }
        self.owed_tried = Some(Instant::now());
        match self.store.start_rewrite() {
            Ok(_) => {
                self.rewrites += 1;
                crate::log!("serve: owed rewrite started again");
            }
            Err(e) => crate::log!("serve: owed rewrite failed again: {}", variant(&e)),
        }
    }

    /// Answers `w` once a rewrite that starts after now has swapped its files in: one is
    /// started now if none runs, else the next one after the running one (whose copy may
    /// hold what `w` changed).
    fn after_rewrite(&mut self, w: Waiting) {
        if self.store.is_rewriting() {
            self.waiting.push((self.rewrites + 1, w));
            return;
        }
        match self.store.start_rewrite() {
            Ok(_) => {
                self.rewrites += 1;
                self.waiting.push((self.rewrites, w));
            }
            Err(e) => self.answer_rewrite(w, Err(e)),
        }
    }

    /// Swaps a finished rewrite in (a pause of milliseconds) and answers those waiting for
    /// it; starts the next one if someone waits for a later one.
    fn poll_rewrite(&mut self) {
        let Some(result) = self.store.poll_rewrite() else {
            return;
        };
        let done = self.rewrites;
        let waiting = std::mem::take(&mut self.waiting);
        let (now, later): (Vec<_>, Vec<_>) = waiting
            .into_iter()
            .partition(|(need, _)| *need <= done || result.is_err());
        for (_, w) in now {
            self.answer_rewrite(w, result.clone());
        }
        self.waiting = later;
        if let Some((_, w)) = self.waiting.pop() {
            self.after_rewrite(w);
        }
    }

    fn answer_rewrite(&self, w: Waiting, result: Result<crate::store::Rewritten, StoreError>) {
        match w {
            Waiting::Erase {
                conn,
                id,
                change,
                files,
            } => {
                let erased = crate::backend::Erased {
                    change: *change,
                    owed: result.err(),
                    files,
                };
                self.reply(conn, ToClient::Erased { id, result: Ok(erased) });
            }
            Waiting::Compact { conn, id } => self.reply(conn, ToClient::Compacted { id, result }),
        }
    }

    fn reply(&self, conn: u64, msg: ToClient) {
        if let Some(c) = self.clients.get(&conn) {
            note_behind(conn, c.out.send(Arc::new(msg)));
        }
    }

    /// Sends `msg` to every subscribed screen but `except` (its size counted once).
    fn broadcast(&self, msg: Arc<ToClient>, except: Option<u64>) {
        let mut bytes = None;
        for (id, c) in &self.clients {
            if c.subscribed && Some(*id) != except {
                let n =
                    *bytes.get_or_insert_with(|| postcard::experimental::serialized_size(msg.as_ref()).unwrap_or(0));
                note_behind(*id, c.out.send_sized(Arc::clone(&msg), n));
            }
        }
    }

    fn send_peers(&self) {
        let peers: Vec<String> = self
            .clients
            .values()
            .filter(|c| c.role == Some(Role::Screen))
            .map(|c| c.account.clone())
            .collect();
        self.broadcast(Arc::new(ToClient::Peers(peers)), None);
    }

    /// The user id of a client's account, added to the database's names on its first write.
    fn user_of(&mut self, conn: u64) -> Result<UserId, StoreError> {
        let Some(c) = self.clients.get(&conn) else {
            return Err(StoreError::NotLoaded);
        };
        if let Some(u) = c.user {
            return Ok(u);
        }
        let before = self.store.users().len();
        let account = c.account.clone();
        let u = self.store.user_id(&account)?;
        if self.store.users().len() != before {
            self.broadcast(Arc::new(ToClient::Users(self.store.users().to_vec())), None);
        }
        if let Some(c) = self.clients.get_mut(&conn) {
            c.user = Some(u);
        }
        Ok(u)
    }

    fn handle(&mut self, conn: u64, req: ToServer) {
        let hello_done = self.clients.get(&conn).is_some_and(|c| c.role.is_some());
        match req {
            ToServer::Hello(h) => self.hello(conn, h),
            _ if !hello_done => {
                // Nothing before the hello: the client is not one of ours.
                self.clients.remove(&conn);
            }
            ToServer::Subscribe if self.clients.get(&conn).is_some_and(|c| c.subscribed) => {
                // One snapshot a connection: asking again queues nothing more.
                crate::log!("serve: conn={conn} asked for a second snapshot: ignored");
            }
            ToServer::Subscribe => {
                let t = Instant::now();
                match self.store.snapshot() {
                    Ok(s) => {
                        let chunks = s.chunks.len();
                        let (head, parts) = s.split(proto::SNAPSHOT_PART);
                        crate::log!(
                            "serve: conn={conn} snapshot of {chunks} chunks in {} parts in {:.1} ms",
                            parts.len(),
                            t.elapsed().as_secs_f64() * 1e3
                        );
                        self.reply(conn, ToClient::SnapshotBegin(Box::new(head)));
                        for part in parts {
                            self.reply(conn, ToClient::SnapshotPart(part));
                        }
                        self.reply(conn, ToClient::SnapshotEnd);
                    }
                    Err(e) => self.reply(conn, ToClient::Applied { id: 0, result: Err(e) }),
                }
                if let Some(c) = self.clients.get_mut(&conn) {
                    c.subscribed = true;
                }
                self.send_peers();
            }
            ToServer::Apply { id, cmd } => {
                let result = self
                    .user_of(conn)
                    .and_then(|u| self.store.apply_as(cmd.from_client(), u));
                self.answer_change(conn, id, result);
            }
            ToServer::Erase { id, ids } => {
                self.agg = None;
                // The change now; the files are rewritten beside the writes (no desk waits
                // for it), and the answer goes when they are.
                let made = self.user_of(conn).and_then(|u| self.store.erase_change_as(&ids, u));
                match made {
                    Ok(e) => {
                        let by = self.clients.get(&conn).and_then(|c| c.user).unwrap_or_default();
                        self.broadcast(
                            Arc::new(ToClient::Changed {
                                change: e.change.clone(),
                                by,
                            }),
                            Some(conn),
                        );
                        self.after_rewrite(Waiting::Erase {
                            conn,
                            id,
                            change: Box::new(e.change),
                            files: e.files,
                        });
                    }
                    Err(e) => self.reply(conn, ToClient::Erased { id, result: Err(e) }),
                }
            }
            ToServer::Compact { id } => self.after_rewrite(Waiting::Compact { conn, id }),
            ToServer::NoteFile { id, kind, file } => {
                let result = self.user_of(conn).and_then(|u| self.store.note_file(kind, &file, u));
                self.reply(conn, ToClient::Noted { id, result });
            }
            ToServer::History { id, limit } => {
                let result = self.store.history(limit as usize);
                self.reply(conn, ToClient::History { id, result });
            }
            ToServer::Run { id, op, lang } => {
                crate::i18n::set_thread_lang(lang);
                let (stdout, stderr, code) = self.run_command(conn, *op);
                self.reply(
                    conn,
                    ToClient::Ran {
                        id,
                        stdout,
                        stderr,
                        code,
                    },
                );
            }
            ToServer::Status { id } => {
                let status = self.status();
                self.reply(conn, ToClient::Status { id, status });
            }
            ToServer::Stop { id } => {
                let status = self.status();
                self.reply(conn, ToClient::Status { id, status });
                self.stop.store(true, Ordering::SeqCst);
            }
        }
    }

    /// Answers a client's change: its author gets the result, every other screen the
    /// change.
    /// Applies changes from several clients in arrival order with one flush for all, then
    /// answers each and sends each to the others.
    fn apply_group(&mut self, group: Vec<(u64, Box<ToServer>)>) {
        let mut cmds = Vec::with_capacity(group.len());
        let mut whom = Vec::with_capacity(group.len());
        for (conn, req) in group {
            let ToServer::Apply { id, cmd } = *req else {
                continue;
            };
            if self.clients.get(&conn).is_none_or(|c| c.role.is_none()) {
                // Nothing before the hello: the client is not one of ours.
                self.clients.remove(&conn);
                continue;
            }
            match self.user_of(conn) {
                Ok(u) => {
                    cmds.push((cmd.from_client(), u));
                    whom.push((conn, id));
                }
                Err(e) => self.answer_change(conn, id, Err(e)),
            }
        }
        let results = self.store.apply_group(cmds);
        self.follow_totals(&results);
        for ((conn, id), result) in whom.into_iter().zip(results) {
            self.answer_change(conn, id, result);
        }
    }

    fn follow_totals(&mut self, results: &[Result<Change, StoreError>]) {
        follow_totals(&mut self.store, &mut self.agg, results);
    }

    fn answer_change(&self, conn: u64, id: u64, result: Result<Change, StoreError>) {
        if let Err(e) = &result {
            crate::log!("serve: conn={conn} change refused: {}", variant(e));
        }
        if let Ok(change) = &result {
            let by = self.clients.get(&conn).and_then(|c| c.user).unwrap_or_default();
            self.broadcast(
                Arc::new(ToClient::Changed {
                    change: change.clone(),
                    by,
                }),
                Some(conn),
            );
        }
        self.reply(conn, ToClient::Applied { id, result });
    }

    fn hello(&mut self, conn: u64, h: Hello) {
        let mine = Hello::new(h.role);
        if h.protocol != mine.protocol || h.schema != mine.schema || h.program != mine.program {
            crate::log!(
                "serve: conn={conn} refused: program {} protocol {} schema {} (this server: {} {} {})",
                h.program.len().min(32),
                h.protocol,
                h.schema,
                mine.program,
                mine.protocol,
                mine.schema
            );
            self.reply(
                conn,
                ToClient::Refused(Refusal::Version {
                    program: mine.program,
                    protocol: mine.protocol,
                    schema: mine.schema,
                }),
            );
            return;
        }
        let Some(c) = self.clients.get_mut(&conn) else {
            return;
        };
        c.role = Some(h.role);
        let account = c.account.clone();
        crate::log!("serve: conn={conn} hello as {:?}", h.role);
        // An account new to the database gets its row in the names now, on this one thread:
        // two accounts attaching together get two ids (never a guess that two could share).
        // If it cannot be saved (a full disk), the account is welcomed as the next id and
        // saved with its first write, which the server stamps with the id it gives then.
        let user_id = match self.user_of(conn) {
            Ok(u) => u,
            Err(e) => {
                crate::log!("serve: conn={conn} account not saved yet: {}", variant(&e));
                let users = self.store.users();
                UserId(u16::try_from(users.len()).unwrap_or(u16::MAX))
            }
        };
        self.reply(
            conn,
            ToClient::Welcome {
                program: mine.program,
                user: account,
                user_id,
            },
        );
    }

    fn status(&self) -> Status {
        let mut clients: Vec<Attached> = self
            .clients
            .values()
            .filter_map(|c| {
                Some(Attached {
                    account: c.account.clone(),
                    pid: c.pid,
                    role: c.role?,
                    since: c.since,
                })
            })
            .collect();
        clients.sort_by_key(|c| c.since);
        Status {
            pid: std::process::id(),
            program: proto::program(),
            db: self.dir.display().to_string(),
            started: self.started,
            detached: self.opts.detached,
            clients,
        }
    }

    /// Runs a CLI command against this server's data as the client's account, capturing what
    /// it prints; changes it makes go to the attached screens like any other.
    fn run_command(&mut self, conn: u64, op: crate::ops::Op) -> (Vec<u8>, String, i32) {
        let user = match self.user_of(conn) {
            Ok(u) => u,
            Err(e) => return (Vec::new(), e.to_string(), 1),
        };
        let uid = self.clients.get(&conn).map_or(0, |c| c.uid);
        let mut out = Vec::new();
        let mut as_peer = AsPeer {
            store: &mut self.store,
            user,
            changes: Vec::new(),
            agg: &mut self.agg,
        };
        let word = op.word();
        let result = crate::ops::run(op, &mut as_peer, &self.dir, &mut out);
        let changes = std::mem::take(&mut as_peer.changes);
        if !changes.is_empty() {
            self.agg = None;
        }
        for change in changes {
            self.broadcast(Arc::new(ToClient::Changed { change, by: user }), None);
        }
        crate::log!(
            "serve: ran a command for uid={uid}: {}, exit {}",
            word,
            result.as_ref().map_or_else(|f| f.code, |()| 0)
        );
        match result {
            Ok(()) => (out, String::new(), 0),
            Err(f) => (out, f.message, f.code),
        }
    }
}

/// The server's store seen as one client's backend: writes as that client's account and
/// keeps its changes for the other screens.
struct AsPeer<'a> {
    store: &'a mut Store,
    user: UserId,
    changes: Vec<Change>,
    /// The server's running totals behind the indicators.
    agg: &'a mut Option<Aggregates>,
}

impl Backend for AsPeer<'_> {
    fn model(&self) -> &Model {
        self.store.model()
    }
    fn is_loaded(&self) -> bool {
        self.store.is_loaded()
    }
    fn apply(&mut self, cmd: Command) -> Result<Change, StoreError> {
        let change = self.store.apply_as(cmd, self.user)?;
        self.changes.push(change.clone());
        Ok(change)
    }
    fn history(&mut self, limit: usize) -> Result<Vec<LogEntry>, StoreError> {
        self.store.history(limit)
    }
    fn user(&self) -> UserId {
        self.user
    }
    fn label(&self) -> String {
        self.store.path().display().to_string()
    }
    fn replay(&mut self, change: &Change, seen: &mut dyn FnMut(&Model, &Change)) {
        self.store.replay(change, seen);
    }
    fn outcomes(&mut self, asof: chrono::NaiveDate) -> Vec<(crate::domain::IndicatorId, crate::indicators::Outcome)> {
        if !self.changes.is_empty() {
            // This command changed data itself: totals are rebuilt rather than followed.
            *self.agg = None;
        }
        let m = self.store.model();
        self.agg
            .get_or_insert_with(|| Aggregates::build(m))
            .evaluate_all(m, asof)
    }
    fn poll(&mut self) -> Vec<Event> {
        Vec::new()
    }
    fn size_on_disk(&self) -> u64 {
        self.store.size_on_disk()
    }
    fn add_users(&mut self, names: &[crate::domain::Text]) -> Result<(), StoreError> {
        names.iter().try_for_each(|n| self.store.user_id(n).map(|_| ()))
    }
    fn erase(&mut self, ids: &[crate::domain::ParticipantId]) -> Result<crate::backend::Erased, StoreError> {
        let e = self.store.erase_many_as(ids, self.user)?;
        self.changes.push(e.change.clone());
        Ok(e.into())
    }
    fn note_file(&mut self, kind: crate::domain::FileKind, file: &str) -> Result<(), StoreError> {
        self.store.note_file(kind, file, self.user)
    }
    fn compact(&mut self) -> Result<crate::store::Rewritten, StoreError> {
        self.store.compact()
    }
}

/// Logs a client cut off for reading too little (it resyncs from a snapshot).
fn note_behind(conn: u64, sent: Result<(), conn::Behind>) {
    if let Err(conn::Behind::TooFar { bytes, messages }) = sent {
        crate::log!(
            "serve: conn={conn} cut off: {} KiB in {messages} messages waited unread; it takes a fresh snapshot when it reconnects",
            bytes / 1024
        );
    }
}

/// What a request is, for the log (never its contents).
/// Keeps the indicator totals (if built) up to date after a group of changes, followed
/// part by part against the model as each part found it; a group with an import in it
/// drops them instead (replaying an import costs more than rebuilding when next asked).
fn follow_totals(store: &mut Store, agg: &mut Option<Aggregates>, results: &[Result<Change, StoreError>]) {
    let Some(totals) = agg.as_mut() else {
        return;
    };
    let done: Vec<Change> = results.iter().filter_map(|r| r.as_ref().ok().cloned()).collect();
    let bulk = |c: &Change| matches!(c, Change::Imported(_) | Change::Unimported(_));
    if done.iter().flat_map(|c| c.parts()).any(bulk) {
        *agg = None;
        return;
    }
    match done.as_slice() {
        [] => {}
        [single] if !matches!(single, Change::Batch(_)) => totals.apply(store.model(), single),
        _ => store.replay(&Change::Batch(done), |m: &Model, part: &Change| totals.apply(m, part)),
    }
}

fn kind_of(req: &ToServer) -> &'static str {
    match req {
        ToServer::Hello(_) => "hello",
        ToServer::Subscribe => "subscribe (snapshot)",
        ToServer::Apply { .. } => "apply",
        ToServer::History { .. } => "history",
        ToServer::Erase { .. } => "erase",
        ToServer::NoteFile { .. } => "note a file written",
        ToServer::Compact { .. } => "compact",
        ToServer::Run { .. } => "command",
        ToServer::Status { .. } => "status",
        ToServer::Stop { .. } => "stop",
    }
}

/// The name of an error's kind (its variant), for the log: never the values it carries.
fn variant(e: &StoreError) -> String {
    let debug = format!("{e:?}");
    debug
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("")
        .to_string()
}

/// SIGTERM, SIGINT, SIGHUP: finish the command in hand, then stop (every acknowledged
/// change is already flushed).
fn watch_signals(stop: Arc<AtomicBool>) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    for sig in [SIGTERM, SIGINT, SIGHUP] {
        let _ = signal_hook::flag::register(sig, Arc::clone(&stop));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AnyRecord, Attendance, AttendanceStatus};

    /// Ten check-ins applied as one group: the totals followed part by part equal totals
    /// built afresh from the model after them (and differ from the totals before).
    #[test]
    fn totals_follow_a_group_of_changes_like_a_fresh_build() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(dir.path(), "tester").expect("open");
        store.load().expect("load");
        crate::ops::load_sample(&mut store).expect("sample");
        let asof = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        let mut agg = Some(Aggregates::build(store.model()));
        let before = Aggregates::build(store.model()).evaluate_all(store.model(), asof);
        let group: Vec<(Command, UserId)> = {
            let m = store.model();
            let held: Vec<_> = m
                .events
                .iter()
                .filter(|e| e.start.date() <= asof)
                .map(|e| e.id)
                .collect();
            let mut group = Vec::new();
            for p in m.participants.iter() {
                if let Some(e) = held.iter().find(|e| m.attendance_pair(**e, p.id).is_none()) {
                    let row = Attendance::new(*e, p.id, AttendanceStatus::Attended);
                    group.push((Command::Create(AnyRecord::Attendance(row)), store.user()));
                }
                if group.len() == 10 {
                    break;
                }
            }
            group
        };
        assert_eq!(group.len(), 10, "ten people to check in");
        let results = store.apply_group(group);
        assert!(results.iter().all(|r| r.is_ok()), "{results:?}");
        follow_totals(&mut store, &mut agg, &results);
        let m = store.model();
        let followed = agg.as_ref().map(|a| a.evaluate_all(m, asof));
        let fresh = Aggregates::build(m).evaluate_all(m, asof);
        assert_ne!(before, fresh, "the check-ins move some figure");
        assert_eq!(followed, Some(fresh));
    }
}
