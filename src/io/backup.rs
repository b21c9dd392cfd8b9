//! Backup files: the whole database as JSON lines (a header with versions and counts, then
//! one line per user name, the project, every record and every change-log entry, then a
//! closing line). Writing reads the model; reading checks everything and builds a
//! [`Restored`] for `Store::restore` (src/store/restore.rs). Never touches sled itself.

use crate::domain::{Attendance, Event, Indicator, Organisation, Participant, Project, Record, Table, Text};
use crate::model::{Model, Rows, Tables};
use crate::store::LogEntry;
use crate::store::restore::Restored;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::io::{self, BufRead, Write};

/// The first field of every backup's header: what the file is.
pub const FORMAT: &str = "atbalsts-backup";
/// The version of the line format this build writes (and the newest it reads).
pub const VERSION: u32 = 1;

/// The first line of a backup.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Always [`FORMAT`].
    pub format: String,
    /// The line format's version ([`VERSION`]).
    pub version: u32,
    /// The program that wrote it, e.g. "atbalsts 0.1.0".
    pub program: String,
    /// The database schema of the program that wrote it.
    pub schema: u32,
    /// When the backup was made (RFC 3339).
    pub made_at: String,
    /// How many lines of each kind follow (a file that ends early is told by them).
    pub counts: Counts,
    /// The id each table's next new record gets (ids of deleted records are never reused).
    pub next: Next,
}

/// Lines of each kind in a backup.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub users: u64,
    pub organisations: u64,
    pub events: u64,
    pub participants: u64,
    pub attendance: u64,
    pub indicators: u64,
    pub log: u64,
}

impl Counts {
    /// Records of every kind (not user names or log entries).
    pub fn records(&self) -> u64 {
        self.organisations + self.events + self.participants + self.attendance + self.indicators
    }
    /// Every line between the header and the end.
    pub fn lines(&self) -> u64 {
        self.records() + self.users + self.log + 1
    }
}

/// The next id of each table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Next {
    pub organisations: u32,
    pub events: u32,
    pub participants: u32,
    pub attendance: u32,
    pub indicators: u32,
}

impl Next {
    fn of(m: &Model) -> Next {
        Next {
            organisations: m.next_id(Table::Organisation),
            events: m.next_id(Table::Event),
            participants: m.next_id(Table::Participant),
            attendance: m.next_id(Table::Attendance),
            indicators: m.next_id(Table::Indicator),
        }
    }
    fn get(&self, t: Table) -> u32 {
        match t {
            Table::Organisation => self.organisations,
            Table::Event => self.events,
            Table::Participant => self.participants,
            Table::Attendance => self.attendance,
            Table::Indicator => self.indicators,
        }
    }
}

/// One line of a backup: `{"participant": {...}}` and so on.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum Line {
    Header(Header),
    /// A Unix user name; records name their authors by position in this list.
    User(Text),
    Project(Project),
    Organisation(Organisation),
    Event(Event),
    Participant(Participant),
    Attendance(Attendance),
    Indicator(Indicator),
    Log(LogEntry),
    /// The last line: how many lines came between the header and it.
    End {
        lines: u64,
    },
}

/// Line references for writing without cloning records.
#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum LineRef<'a> {
    Header(&'a Header),
    User(&'a Text),
    Project(&'a Project),
    Organisation(&'a Organisation),
    Event(&'a Event),
    Participant(&'a Participant),
    Attendance(&'a Attendance),
    Indicator(&'a Indicator),
    Log(&'a LogEntry),
    End { lines: u64 },
}

/// The header a backup of `m` with `log` entries gets.
pub fn header(m: &Model, log: usize) -> Header {
    Header {
        format: FORMAT.into(),
        version: VERSION,
        program: format!("atbalsts {}", env!("CARGO_PKG_VERSION")),
        schema: crate::store::codec::SCHEMA_VERSION,
        made_at: crate::domain::Stamp::now().rfc3339(),
        counts: Counts {
            users: m.users.len() as u64,
            organisations: m.organisations.len() as u64,
            events: m.events.len() as u64,
            participants: m.participants.len() as u64,
            attendance: m.attendance.len() as u64,
            indicators: m.indicators.len() as u64,
            log: log as u64,
        },
        next: Next::of(m),
    }
}

/// Writes the backup of `m` and its change log (`log` oldest first) to `out`; calls `tick`
/// with the number of lines written so far now and then. Returns the header written.
pub fn write(out: &mut dyn Write, m: &Model, log: &[LogEntry], tick: &mut dyn FnMut(u64)) -> io::Result<Header> {
    let head = header(m, log.len());
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    let mut n: u64 = 0;
    let mut line = |out: &mut io::BufWriter<&mut dyn Write>, l: LineRef| -> io::Result<()> {
        serde_json::to_writer(&mut *out, &l).map_err(io::Error::other)?;
        out.write_all(b"\n")?;
        n += 1;
        if n.is_multiple_of(4096) {
            tick(n);
        }
        Ok(())
    };
    line(&mut out, LineRef::Header(&head))?;
    for u in &m.users {
        line(&mut out, LineRef::User(u))?;
    }
    line(&mut out, LineRef::Project(&m.project))?;
    // Organisations, events, people, then rows: every line refers only to lines above it.
    for r in m.organisations.iter() {
        line(&mut out, LineRef::Organisation(r))?;
    }
    for r in m.events.iter() {
        line(&mut out, LineRef::Event(r))?;
    }
    for r in m.participants.iter() {
        line(&mut out, LineRef::Participant(r))?;
    }
    for r in m.attendance.iter() {
        line(&mut out, LineRef::Attendance(r))?;
    }
    for r in m.indicators.iter() {
        line(&mut out, LineRef::Indicator(r))?;
    }
    for e in log {
        line(&mut out, LineRef::Log(e))?;
    }
    line(
        &mut out,
        LineRef::End {
            lines: head.counts.lines(),
        },
    )?;
    out.flush()?;
    Ok(head)
}

/// Why a backup file cannot be restored: the line (1-based; 0 for the file as a whole) and
/// what is wrong there.
#[derive(Debug, PartialEq)]
pub struct BadBackup {
    pub line: u64,
    pub reason: String,
}

impl std::fmt::Display for BadBackup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// A backup as read: its header and what to restore.
pub struct Read {
    pub header: Header,
    pub restored: Restored,
}

/// The records of one table as read, with the ids seen.
struct Seen<T> {
    records: Vec<T>,
    ids: HashSet<u32>,
}

impl<T: Record> Default for Seen<T> {
    fn default() -> Self {
        Seen {
            records: Vec::new(),
            ids: HashSet::new(),
        }
    }
}

impl<T: Record> Seen<T> {
    fn add(&mut self, r: T, next: &Next) -> Result<(), String> {
        let id = r.raw_id();
        let t = T::TABLE;
        if id == 0 || id >= next.get(t) {
            return Err(format!(
                "{} id {id} is outside 1..{} (the header's next id)",
                t.plural(),
                next.get(t)
            ));
        }
        if !self.ids.insert(id) {
            return Err(format!("{} id {id} appears twice", t.plural()));
        }
        r.check().map_err(|errors| {
            let e = crate::store::StoreError::Invalid { table: t, errors };
            format!("{} {id}: {e}", t.plural())
        })?;
        self.records.push(r);
        Ok(())
    }
    fn rows(self, next: u32) -> Rows<T> {
        let mut rows = Rows::from_records(self.records);
        rows.reserve_to(next);
        rows
    }
}

/// Reads a backup, checking every line (format, versions, ids, references, counts, the
/// closing line); `tick` gets the number of lines read now and then. Nothing is written.
pub fn read(input: impl BufRead, tick: &mut dyn FnMut(u64)) -> Result<Read, BadBackup> {
    let bad = |line: u64, reason: String| BadBackup { line, reason };
    let mut header: Option<Header> = None;
    let mut users: Vec<Text> = Vec::new();
    let mut project: Option<Project> = None;
    let mut orgs: Seen<Organisation> = Seen::default();
    let mut events: Seen<Event> = Seen::default();
    let mut people: Seen<Participant> = Seen::default();
    let mut rows: Seen<Attendance> = Seen::default();
    let mut indicators: Seen<Indicator> = Seen::default();
    let mut pairs: HashSet<(u32, u32)> = HashSet::new();
    let mut log: Vec<LogEntry> = Vec::new();
    let mut seen = Counts::default();
    let mut ended: Option<u64> = None;
    let mut n: u64 = 0;
    for text in input.split(b'\n') {
        n += 1;
        let text = text.map_err(|e| bad(n, format!("cannot read: {e}")))?;
        if n.is_multiple_of(4096) {
            tick(n);
        }
        let text = String::from_utf8(text).map_err(|_| bad(n, "not UTF-8 text".into()))?;
        let text = text.trim_end_matches('\r');
        if text.trim().is_empty() {
            continue;
        }
        if let Some(end) = ended {
            return Err(bad(n, format!("text after the closing line (line {end})")));
        }
        let line: Line = serde_json::from_str(text).map_err(|e| {
            if header.is_none() {
                bad(n, format!("not an atbalsts backup ({e})"))
            } else {
                bad(n, e.to_string())
            }
        })?;
        let Some(head) = &header else {
            let Line::Header(h) = line else {
                return Err(bad(
                    n,
                    "not an atbalsts backup (the first line is not its header)".into(),
                ));
            };
            if h.format != FORMAT {
                return Err(bad(n, format!("not an atbalsts backup (format \"{}\")", h.format)));
            }
            if h.version > VERSION || h.schema > crate::store::codec::SCHEMA_VERSION {
                return Err(bad(
                    n,
                    format!(
                        "written by a newer atbalsts ({}, backup version {}, schema {}): upgrade atbalsts",
                        h.program, h.version, h.schema
                    ),
                ));
            }
            header = Some(h);
            continue;
        };
        let next = head.next;
        let org_known = |o: &crate::domain::OrgId, orgs: &Seen<Organisation>| orgs.ids.contains(&o.0);
        let at = |e: String| bad(n, e);
        match line {
            Line::Header(_) => return Err(bad(n, "a second header".into())),
            Line::User(u) => {
                users.push(u);
                seen.users += 1;
            }
            Line::Project(p) => {
                if project.is_some() {
                    return Err(bad(n, "a second project line".into()));
                }
                project = Some(p);
            }
            Line::Organisation(o) => {
                if let Some(p) = o.parent
                    && !org_known(&p, &orgs)
                {
                    return Err(bad(n, format!("organisation {} names parent {p}, not above it", o.id)));
                }
                orgs.add(o, &next).map_err(at)?;
                seen.organisations += 1;
            }
            Line::Event(e) => {
                if let Some(o) = e.organiser
                    && !org_known(&o, &orgs)
                {
                    return Err(bad(n, format!("event {} names organiser {o}, not above it", e.id)));
                }
                events.add(e, &next).map_err(at)?;
                seen.events += 1;
            }
            Line::Participant(p) => {
                if let Some(o) = p.institution
                    && !org_known(&o, &orgs)
                {
                    return Err(bad(
                        n,
                        format!("participant {} names institution {o}, not above it", p.id),
                    ));
                }
                people.add(p, &next).map_err(at)?;
                seen.participants += 1;
            }
            Line::Attendance(a) => {
                if !events.ids.contains(&a.event.0) || !people.ids.contains(&a.participant.0) {
                    return Err(bad(
                        n,
                        format!(
                            "attendance {} names event {} and participant {}, not both above it",
                            a.id, a.event, a.participant
                        ),
                    ));
                }
                if !pairs.insert((a.event.0, a.participant.0)) {
                    return Err(bad(
                        n,
                        format!(
                            "a second attendance row for event {} and participant {}",
                            a.event, a.participant
                        ),
                    ));
                }
                rows.add(a, &next).map_err(at)?;
                seen.attendance += 1;
            }
            Line::Indicator(i) => {
                indicators.add(i, &next).map_err(at)?;
                seen.indicators += 1;
            }
            Line::Log(e) => {
                log.push(e);
                seen.log += 1;
            }
            Line::End { lines } => {
                let expected = head.counts;
                if seen != expected || lines != expected.lines() {
                    return Err(bad(n, format!("the file holds {seen:?}, its header says {expected:?}")));
                }
                ended = Some(n);
            }
        }
    }
    let Some(header) = header else {
        return Err(bad(0, "the file is empty: not an atbalsts backup".into()));
    };
    if ended.is_none() {
        return Err(bad(
            n,
            format!(
                "the file ends before its closing line: it is incomplete (cut off?); its header promises {} records",
                header.counts.records()
            ),
        ));
    }
    let project = project.unwrap_or_default();
    if let Some(lead) = project.lead
        && !orgs.ids.contains(&lead.0)
    {
        return Err(bad(
            0,
            format!("the project's lead organisation {lead} is not in the file"),
        ));
    }
    let max_user = users.len();
    let authors_known = |m: &crate::domain::Meta| m.created_by.index() < max_user && m.updated_by.index() < max_user;
    let meta_ok = orgs.records.iter().all(|r| authors_known(&r.meta))
        && events.records.iter().all(|r| authors_known(&r.meta))
        && people.records.iter().all(|r| authors_known(&r.meta))
        && rows.records.iter().all(|r| authors_known(&r.meta))
        && indicators.records.iter().all(|r| authors_known(&r.meta));
    if !meta_ok {
        return Err(bad(
            0,
            format!("a record names an author beyond the {max_user} user names"),
        ));
    }
    let next = header.next;
    let tables = Tables {
        organisations: orgs.rows(next.organisations),
        events: events.rows(next.events),
        participants: people.rows(next.participants),
        attendance: rows.rows(next.attendance),
        indicators: indicators.rows(next.indicators),
    };
    Ok(Read {
        header,
        restored: Restored {
            project,
            users,
            tables,
            log,
        },
    })
}

#[cfg(test)]
mod tests;
