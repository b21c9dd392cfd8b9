//! A backend for screen tests of what a team server sends, without a server process: a
//! real `Store` plays the server (so planning, validation and conflicts are the real ones)
//! and [`FakeBackend`] plays `server::client::Remote` in front of it, with a replica of its
//! own that learns others' changes only when the screen polls. The test keeps a
//! [`FakeHandle`] to act as the rest of the team: another account's command, a lost
//! connection, a reconnect with a new snapshot, who else is attached.
#![allow(dead_code)]

use atbalsts::backend::{Backend, Erased, Event};
use atbalsts::command::{Change, Command};
use atbalsts::domain::{FileKind, ParticipantId, Text, UserId};
use atbalsts::i18n::{M, t};
use atbalsts::model::Model;
use atbalsts::store::{LogEntry, Rewritten, Store, StoreError};
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

/// What the server has sent this screen that the screen has not read yet, in order.
enum Msg {
    Changed(Box<Change>, UserId),
    Users(Vec<Text>),
    Peers(Vec<String>),
    /// The connection ended here: nothing after it arrives.
    Gone,
    /// A fresh snapshot after a reconnect.
    Snapshot(Box<Model>),
}

/// The server's side: the database and the socket to this screen.
struct Server {
    store: Store,
    wire: VecDeque<Msg>,
    /// Whether the connection is up (the screen learns that it is not from `Msg::Gone`).
    up: bool,
}

impl Server {
    /// The id of `account`, adding it to the database's names (and telling the screen, as
    /// the server does on an account's first write).
    fn user_of(&mut self, account: &str) -> UserId {
        let before = self.store.users().len();
        let id = self.store.user_id(account).expect("account name");
        if self.store.users().len() != before && self.up {
            self.wire.push_back(Msg::Users(self.store.users().to_vec()));
        }
        id
    }
}

/// What a test holds to act as the rest of the team.
#[derive(Clone)]
pub struct FakeHandle(Arc<Mutex<Server>>);

impl FakeHandle {
    fn server(&self) -> MutexGuard<'_, Server> {
        self.0.lock().expect("the fake server")
    }

    /// Another account (`by`) runs a command: the server applies it now; the screen is
    /// told when it next polls (if the connection is up: else it sees it in the snapshot
    /// after the reconnect).
    pub fn other(&self, by: &str, cmd: Command) -> Result<Change, StoreError> {
        let mut s = self.server();
        let user = s.user_of(by);
        let change = s.store.apply_as(cmd, user)?;
        if s.up {
            s.wire.push_back(Msg::Changed(Box::new(change.clone()), user));
        }
        Ok(change)
    }

    /// The connection drops (the server stopped, the network went): the screen hears of it
    /// when it next polls or sends.
    pub fn lose(&self) {
        let mut s = self.server();
        if s.up {
            s.up = false;
            s.wire.push_back(Msg::Gone);
        }
    }

    /// The connection is back: the screen gets a new snapshot of the database as it is now,
    /// with whatever others changed while it was away.
    pub fn reconnect(&self) {
        let mut s = self.server();
        if !s.up {
            s.up = true;
            let snapshot = s.store.model().clone();
            s.wire.push_back(Msg::Snapshot(Box::new(snapshot)));
        }
    }

    /// The accounts attached to the server with a screen (the server counts this one too).
    pub fn peers(&self, accounts: &[&str]) {
        let mut s = self.server();
        if s.up {
            s.wire
                .push_back(Msg::Peers(accounts.iter().map(|a| a.to_string()).collect()));
        }
    }

    /// Reads the server's database (not the screen's replica).
    pub fn stored<R>(&self, read: impl FnOnce(&Model) -> R) -> R {
        read(self.server().store.model())
    }
}

/// The screen's backend: a replica kept as `Remote` keeps it.
pub struct FakeBackend {
    server: Arc<Mutex<Server>>,
    /// Where the database is, for messages and the status bar.
    dir: PathBuf,
    model: Model,
    user: UserId,
    user_name: String,
    peers: Vec<String>,
    /// Whether this end knows the connection to be up.
    attached: bool,
    /// Events met while a request was answered, for the next poll.
    pending: Vec<Event>,
}

impl FakeBackend {
    /// The screen's backend on `store` (loaded), which becomes the server's database;
    /// `dir` is how the database is named in messages and the status bar.
    pub fn new(store: Store, dir: &str) -> (FakeBackend, FakeHandle) {
        let model = store.model().clone();
        let user = store.user();
        let user_name = store.user_name().to_string();
        let server = Arc::new(Mutex::new(Server {
            store,
            wire: VecDeque::new(),
            up: true,
        }));
        let backend = FakeBackend {
            server: Arc::clone(&server),
            dir: PathBuf::from(dir),
            model,
            user,
            user_name,
            peers: Vec::new(),
            attached: true,
            pending: Vec::new(),
        };
        (backend, FakeHandle(server))
    }

    fn failed(&self, reason: M) -> StoreError {
        StoreError::Server {
            path: self.dir.clone(),
            reason: t(reason).to_string(),
        }
    }

    /// Takes one message into the replica; returns the event it makes.
    fn take(&mut self, msg: Msg) -> Option<Event> {
        match msg {
            Msg::Changed(change, by) => {
                self.model.apply(&change);
                Some(Event::Changed { change, by })
            }
            Msg::Users(users) => {
                self.model.users = users;
                None
            }
            Msg::Peers(peers) => {
                self.peers = peers;
                Some(Event::Peers)
            }
            Msg::Gone => {
                self.attached = false;
                Some(Event::Disconnected)
            }
            Msg::Snapshot(model) => {
                self.model = *model;
                self.attached = true;
                Some(Event::Reconnected)
            }
        }
    }

    /// The next message on the wire, if any (none after the connection ended until the
    /// reconnect's snapshot).
    fn next(&mut self) -> Option<Msg> {
        self.server.lock().expect("the fake server").wire.pop_front()
    }

    /// A request as `Remote` sends one: refused at once while this end knows the connection
    /// lost; else what the server sent before it is taken into the replica first (the
    /// server made those changes before this one), and if the connection ends on the way
    /// the request is unconfirmed (and here, not made). Then the server runs `run` as this
    /// screen's account.
    fn request<R>(&mut self, run: impl FnOnce(&mut Store, UserId) -> Result<R, StoreError>) -> Result<R, StoreError> {
        if !self.attached {
            return Err(self.failed(M::ServerLost));
        }
        while let Some(msg) = self.next() {
            let gone = matches!(msg, Msg::Gone);
            if let Some(ev) = self.take(msg) {
                self.pending.push(ev);
            }
            if gone {
                return Err(self.failed(M::ServerUnconfirmed));
            }
        }
        let user = self.user;
        run(&mut self.server.lock().expect("the fake server").store, user)
    }
}

impl Backend for FakeBackend {
    fn model(&self) -> &Model {
        &self.model
    }
    fn is_loaded(&self) -> bool {
        true
    }
    fn apply(&mut self, cmd: Command) -> Result<Change, StoreError> {
        let change = self.request(|store, user| store.apply_as(cmd, user))?;
        self.model.apply(&change);
        Ok(change)
    }
    fn erase(&mut self, ids: &[ParticipantId]) -> Result<Erased, StoreError> {
        let erased: Erased = self.request(|store, user| store.erase_many_as(ids, user))?.into();
        self.model.apply(&erased.change);
        Ok(erased)
    }
    fn compact(&mut self) -> Result<Rewritten, StoreError> {
        self.request(|store, _| store.compact())
    }
    fn note_file(&mut self, kind: FileKind, file: &str) -> Result<(), StoreError> {
        self.request(|store, user| store.note_file(kind, file, user))
    }
    fn history(&mut self, limit: usize) -> Result<Vec<LogEntry>, StoreError> {
        self.request(|store, _| store.history(limit))
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
    /// As `Remote`: the events met meanwhile, then what arrived, up to a lost connection
    /// (what comes after it is read by the next poll).
    fn poll(&mut self) -> Vec<Event> {
        let mut out = std::mem::take(&mut self.pending);
        while let Some(msg) = self.next() {
            if let Some(ev) = self.take(msg) {
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

impl From<FakeBackend> for Box<dyn Backend> {
    fn from(b: FakeBackend) -> Self {
        Box::new(b)
    }
}
