//! Command-line interface: the clap definitions and what each subcommand does. The TUI is
//! started from here; everything else prints for scripts.

use crate::backend::Backend;
use crate::domain::{Table, Text};
use crate::i18n::{self, M, f, f as f_, t};
use crate::io::list;
use crate::io::progress::{Progress, Step};
use crate::ops::{self, Erasing, Op, Setting, filtered_ids};
pub use crate::ops::{Failure, ReportFormat, db_arg, fail, load_indicator_definitions, load_sample};
use crate::progress_bar::Bar;
use crate::store::{Store, StoreError};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
#[command(
    name = "atbalsts",
    version,
    about = "Keyboard-first terminal tool for coordinators of teacher-support projects (ESF+ 4.2.2.3)",
    long_about = "Keyboard-first terminal tool for coordinators of teacher-support projects \
        (ESF+ 4.2.2.3 \"Pedagogu profesionālā atbalsta sistēmas izveide\"): partners, events, \
        participants and attendance, and the project's result indicators.\n\n\
        Without a subcommand it opens the interactive screen on the database."
)]
pub struct Cli {
    /// Database directory (default: $ATBALSTS_DB, else the platform data directory).
    #[arg(long, global = true, value_name = "DIR")]
    pub db: Option<PathBuf>,
    /// Open the screen on a fresh temporary database filled with the sample data.
    #[arg(long)]
    pub demo: bool,
    /// Interface language (default: config.toml's `lang`, else from LANG; lv_* gives Latvian).
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,
    /// Settings file (default: $ATBALSTS_CONFIG, else config.toml in the platform config
    /// directory, e.g. ~/.config/atbalsts/config.toml).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Keys of the screen: a preset (`default`, `vim`), or a keymap file whose bindings
    /// override single keys of the default (default: config.toml's `keymap`, else the
    /// default preset with keymap.toml from the config directory over it).
    #[arg(long, value_name = "PRESET|FILE")]
    pub keymap: Option<String>,
    /// Write a log: `--log` to atbalsts.log in the database directory, `--log=FILE` to FILE
    /// (a bare file name also goes into the database directory); also ATBALSTS_LOG=FILE.
    /// The `=` is required, so `--log stats` runs `stats`.
    #[arg(long, global = true, value_name = "FILE", num_args = 0..=1, require_equals = true, default_missing_value = "atbalsts.log")]
    pub log: Option<PathBuf>,
    /// Open the database in this process instead of through its server (refused while a
    /// server holds it); also ATBALSTS_NO_SERVER=1. For tests and one-off use.
    #[arg(long, global = true)]
    pub no_server: bool,
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LangArg {
    Lv,
    En,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Create the database (and load the sample project with --sample).
    Init {
        /// Load the sample project (only into an empty database).
        #[arg(long)]
        sample: bool,
    },
    /// Fill an empty database with synthetic data at scale (for benchmarks).
    Generate {
        #[arg(long, default_value_t = 3000)]
        participants: u32,
        #[arg(long, default_value_t = 300)]
        events: u32,
        #[arg(long, default_value_t = 30000)]
        attendance: u64,
        /// Same seed, same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Record counts.
    Stats {
        #[arg(long, value_enum, default_value_t = list::Format::Text)]
        format: list::Format,
    },
    /// Every field of every record of one kind, for scripts.
    List {
        #[arg(value_enum)]
        kind: Kind,
        #[arg(long, value_enum, default_value_t = list::Format::Text)]
        format: list::Format,
        /// Only records matching a filter, as typed after `/` in the screen, e.g.
        /// "role:metodiķis mun:cēsis -role:student hours<36".
        #[arg(long, value_name = "EXPR", allow_hyphen_values = true)]
        filter: Option<String>,
    },
    /// Reports for the lead agency: `report indicators`.
    Report {
        #[arg(value_enum)]
        what: ReportKind,
        /// Values as they stood on this date (default: today), e.g. 2025-08-31.
        #[arg(long, value_name = "DATE")]
        asof: Option<String>,
        #[arg(long, value_enum, default_value_t = list::Format::Text)]
        format: list::Format,
        /// Split each computed indicator by municipality, role, event format or gender.
        #[arg(long, value_enum)]
        by: Option<crate::indicators::By>,
    },
    /// Project settings shared by everyone using the database: show them, or set one.
    Settings {
        #[command(subcommand)]
        set: Option<SettingCmd>,
    },
    /// Erase a participant (someone who asked to be forgotten): name, contact and notes go
    /// for good and the database files are rewritten; attendance stays without the person.
    Erase {
        /// The participant's id (`atbalsts list participants` or `search` shows them).
        #[arg(required_unless_present = "retention", conflicts_with = "retention")]
        participant_id: Option<u32>,
        /// Instead of one person: everyone with no event (and, without attendance, not
        /// registered) for YEARS years. Lists them; with --yes erases them.
        #[arg(long, value_name = "YEARS")]
        retention: Option<u32>,
        /// Really erase (without it, says what would be erased and changes nothing).
        #[arg(long)]
        yes: bool,
    },
    /// Rewrite the database into fresh files, so that removed and changed values leave no
    /// trace in them (erase does this by itself).
    Compact,
    /// An event's attendance: who, from where, status, check-in and hours credited.
    Attendance {
        /// The event's id (`atbalsts list events` shows them).
        event_id: u32,
        #[arg(long, value_enum, default_value_t = list::Format::Text)]
        format: list::Format,
    },
    /// Run the database's server in the foreground (for systemd); every screen and command
    /// on the database connects to it. Without it, the first client starts one itself.
    Serve {
        /// Started by a client: exits some minutes after the last client leaves.
        #[arg(long)]
        detach: bool,
        /// Exit this many seconds after the last client left (default: never; 300 with
        /// --detach, or ATBALSTS_SERVER_IDLE).
        #[arg(long, value_name = "SECONDS")]
        idle: Option<u64>,
    },
    /// The database's server: `status` (who is attached) or `stop`.
    Server {
        #[command(subcommand)]
        action: ServerAction,
    },
    /// The participants best matching QUERY (diacritic-blind; all words must match).
    Search {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long, value_enum, default_value_t = list::Format::Text)]
        format: list::Format,
    },
    /// Bring people in from a registration list: CSV (`,` `;` or tab; UTF-8 or Windows-1257/
    /// 1252) or a spreadsheet (.xlsx). Known people are matched by email or by name at the
    /// same institution, never entered twice; everything accepted is one change.
    Import {
        #[arg(value_enum)]
        what: ImportKind,
        file: PathBuf,
        /// Also register every row's person for this event (an existing registration stays).
        #[arg(long, value_name = "ID")]
        event: Option<u32>,
        /// Only report what would happen; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Read column COLUMN as FIELD (full_name, given_name, surname, email, phone,
        /// institution, municipality, role, subjects, gender, notes, ignore); repeatable.
        #[arg(long = "map", value_name = "COLUMN=FIELD")]
        map: Vec<String>,
        /// The CSV file's encoding (default: detected), e.g. utf-8, windows-1257, windows-1252.
        #[arg(long, value_name = "ENC")]
        encoding: Option<String>,
        /// The spreadsheet's sheet to read (default: the first).
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
        /// Create institutions no organisation matches (else their rows are rejected).
        #[arg(long)]
        create_institutions: bool,
        /// The role of rows whose position is empty (a role code, e.g. teacher).
        #[arg(long, value_name = "ROLE", default_value = "other")]
        role: String,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// Write records for spreadsheets or scripts.
    Export {
        #[arg(value_enum)]
        kind: Kind,
        /// Only records matching a filter, as in `list --filter` (e.g. "mun:cēsis").
        #[arg(long, value_name = "EXPR")]
        filter: Option<String>,
        /// Only the people registered for this event (participants, attendance).
        #[arg(long, value_name = "ID")]
        event: Option<u32>,
        /// csv (for Excel: UTF-8 with BOM and `;`), xlsx or json (default: by -o's extension,
        /// else csv).
        #[arg(long, value_enum)]
        format: Option<crate::io::export::ExportFormat>,
        /// The file to write (default: standard output).
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// CSV delimiter: `;` (default), `,` or `tab`.
        #[arg(long, value_name = "CHAR")]
        delimiter: Option<String>,
        /// CSV encoding: utf-8-bom (default), utf-8, windows-1257, windows-1252.
        #[arg(long, value_name = "ENC")]
        encoding: Option<String>,
    },
    /// An event's sign-in sheet as an A4 PDF: numbered rows of the people registered (name,
    /// institution, a signature column), the event's facts on every page.
    Sheet {
        /// The event's id (`atbalsts list events` shows them).
        event_id: u32,
        /// The PDF file to write.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
        /// Empty numbered rows at the end, for people who come unannounced.
        #[arg(long, value_name = "N", default_value_t = 0)]
        blank: usize,
    },
    /// Write the whole database to FILE: readable JSON lines (a header with versions and
    /// counts, then every user name, the project and its settings, every record with its
    /// id and who made and changed it when, and the change log). `restore` reads it.
    Backup {
        /// The file to write (`-`: standard output).
        file: PathBuf,
    },
    /// Probable duplicate people, grouped: the same email (case and spaces ignored), the
    /// same name at the same institution, or names one typing slip apart there.
    Duplicates {
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// Merge person OTHER into person KEEP: OTHER's attendance moves to KEEP (an event both
    /// have keeps the better status and the earlier check-in), KEEP's empty fields are
    /// filled from OTHER, OTHER is deleted; one change. Without --yes, says what it would do.
    Merge {
        /// The id of the person who stays.
        keep: u32,
        /// The id of the person who goes.
        other: u32,
        /// Really merge.
        #[arg(long)]
        yes: bool,
    },
    /// Rebuild a database from a backup file, with every id and date as they were. Needs
    /// the database free (no server, no screen open on it); refuses one that holds data
    /// unless --force. A damaged or incomplete file is refused whole, by line number.
    Restore {
        /// The backup file (`atbalsts backup FILE` made it).
        file: PathBuf,
        /// Replace what the database holds (without it, only an empty database is filled).
        #[arg(long)]
        force: bool,
    },
}

/// What `import` brings in.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ImportKind {
    Participants,
}

/// `atbalsts server ...`.
#[derive(Clone, Copy, Debug, Subcommand)]
pub enum ServerAction {
    /// Who is attached, since when, the version and the uptime.
    Status,
    /// Stop the server (attached screens reconnect to a new one when they next need it).
    Stop,
}

/// A setting to change.
#[derive(Subcommand, Debug)]
pub enum SettingCmd {
    /// Seminars and conferences count at most HOURS in the 3-year hours ledger ("none": no cap).
    HoursCap { hours: String },
    /// The national number of education institutions (the denominator of indicators 2 and
    /// 10), with where and when it was taken from.
    Institutions {
        count: u32,
        /// Where the count comes from, e.g. "VIIS, izglītības iestāžu reģistrs".
        #[arg(long)]
        source: String,
        /// The date the count holds for, e.g. 2025-09-01.
        #[arg(long)]
        date: Option<String>,
        /// Mark the count as an assumption, not an official figure.
        #[arg(long)]
        assumed: bool,
    },
    /// The organisation reports are made for (its id; `atbalsts list organisations`).
    ReportingPartner { id: u32 },
}

/// What `report` reports.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ReportKind {
    Indicators,
}

/// The kinds `list` accepts.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Kind {
    Organisations,
    Events,
    Participants,
    Attendance,
    Indicators,
}

impl Kind {
    pub fn table(self) -> Table {
        match self {
            Kind::Organisations => Table::Organisation,
            Kind::Events => Table::Event,
            Kind::Participants => Table::Participant,
            Kind::Attendance => Table::Attendance,
            Kind::Indicators => Table::Indicator,
        }
    }
}

impl From<crate::tui::TuiError> for Failure {
    fn from(e: crate::tui::TuiError) -> Self {
        match e {
            crate::tui::TuiError::Store(s) => s.into(),
            other => Failure {
                message: other.to_string(),
                code: 1,
            },
        }
    }
}

/// The account running this process, from its real uid (never `$USER`, which anyone can
/// set).
pub fn current_user() -> String {
    crate::account::me()
}

/// Opens the database directory, creating it privately if needed.
pub fn open_store(dir: &Path) -> Result<Store, Failure> {
    if let Some(owner) = crate::server::access::foreign_owner(dir) {
        return Err(Failure {
            message: f(M::DbForeign, &[&dir.display(), &owner, &current_user(), &owner]),
            code: 3,
        });
    }
    prepare_dir(dir)?;
    Ok(Store::open(dir, &current_user())?)
}

/// Why `db` is no database to use: no permission to look (said as such, with whose it is),
/// or nothing there.
fn no_database(db: &Path) -> Failure {
    let denied = std::fs::metadata(db.join("conf"))
        .err()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied);
    if denied {
        use std::os::unix::fs::MetadataExt;
        let owner = std::fs::metadata(db)
            .map(|m| crate::account::name_of(m.uid()))
            .unwrap_or_else(|_| "?".into());
        return Failure {
            message: f(M::ErrDbPermission, &[&db.display(), &owner, &current_user(), &owner]),
            code: 3,
        };
    }
    fail(f(M::ErrNoDatabase, &[&db.display(), &db_arg(db)]))
}

/// Whether `dir` holds a database (sled's `conf` file is there).
pub fn is_database(dir: &Path) -> bool {
    dir.join("conf").is_file()
}

/// The screen on a path with no database: asks on the terminal before creating one.
fn ask_create(db: &Path) -> Result<(), Failure> {
    use std::io::Write;
    let mut err = std::io::stderr();
    let _ = write!(err, "{}", f(M::AskCreateDb, &[&db.display()]));
    let _ = err.flush();
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    match answer.trim().to_lowercase().as_str() {
        "y" | "yes" | "j" | "jā" | "ja" => Ok(()),
        _ => Err(fail(f(M::ErrNoDatabase, &[&db.display(), &db_arg(db)]))),
    }
}

/// Creates or checks the database directory: one that others can read or change is refused
/// with the `chmod` that fixes it. Returns the note for a team directory.
pub fn prepare_dir(dir: &Path) -> Result<Option<String>, Failure> {
    use crate::paths::DbDir;
    match crate::paths::prepare_db_dir(dir).map_err(|e| fail(f(M::ErrCreateDir, &[&dir.display(), &e])))? {
        DbDir::Private => Ok(None),
        DbDir::Team { group } => Ok(Some(f(M::DbDirTeam, &[&dir.display(), &group]))),
        DbDir::Open { mode } => {
            let d = dir.display();
            Err(Failure {
                message: f(M::DbDirOpen, &[&d, &format!("{mode:04o}"), &d, &d, &d]),
                code: 1,
            })
        }
    }
}

/// The note that a database is a team database, on standard error: said by `init` (and
/// by `server status`, `serve` and `restore`), not by every command, which would put it in
/// every script's output and cron mail.
fn say_team_note(note: Option<String>) {
    if let Some(note) = note {
        eprintln!("{note}");
    }
}

/// The note on a team database directory, if `dir` is one (looked at only: nothing is
/// created or changed, whoever asks).
fn team_note(dir: &Path) -> Option<String> {
    match crate::paths::db_dir_kind(dir)? {
        crate::paths::DbDir::Team { group } => Some(f(M::DbDirTeam, &[&dir.display(), &group])),
        _ => None,
    }
}

/// Runs the program; returns the exit code.
pub fn run(cli: Cli) -> Result<(), Failure> {
    // Settings: a flag beats its environment variable, which beats config.toml.
    let (config, config_warnings) = match crate::config::locate(cli.config.as_deref()) {
        Some((path, named)) => crate::config::load(&path, named),
        None => Default::default(),
    };
    let lang = cli.lang.map(|l| match l {
        LangArg::Lv => i18n::Lang::Lv,
        LangArg::En => i18n::Lang::En,
    });
    i18n::set_lang(lang.or(config.lang).unwrap_or_else(i18n::Lang::from_env));
    // In the language now chosen.
    let mut warnings: Vec<String> = config_warnings.iter().map(ToString::to_string).collect();

    // --demo: a fresh temporary database, removed on exit.
    let demo_dir = if cli.demo && cli.command.is_none() {
        let dir = tempfile::Builder::new().prefix("atbalsts-demo-").tempdir()?;
        crate::tui::remove_on_exit(dir.path().to_path_buf());
        Some(dir)
    } else {
        None
    };
    let db = match &demo_dir {
        Some(d) => d.path().join("db"),
        None => crate::paths::resolve_db(cli.db.as_deref(), config.db.as_deref())
            .ok_or_else(|| fail(t(M::ErrNoDataDir).into()))?,
    };
    let log_path = cli
        .log
        .clone()
        .or_else(|| {
            std::env::var_os("ATBALSTS_LOG")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        // A bare file name (the default, `atbalsts.log`) lives in the database directory.
        .map(|p| {
            if p.parent().is_none_or(|d| d.as_os_str().is_empty()) {
                db.join(p)
            } else {
                p
            }
        });

    if let Some(p) = &log_path {
        if p.starts_with(&db) {
            prepare_dir(&db)?;
        }
        crate::log::init(p)?;
    }
    // Counts only: the log never holds what someone typed (settings can name people's files).
    crate::log!("settings: {} warnings", warnings.len());
    let screen = cli.command.is_none() && crate::tui::has_terminal();
    if !screen {
        // For scripts, on stderr; the screen shows them in its status bar instead.
        for w in &warnings {
            eprintln!("{}", crate::domain::visible(w));
        }
    }

    let no_server = cli.no_server || std::env::var_os("ATBALSTS_NO_SERVER").is_some_and(|v| v == "1");
    match cli.command {
        None => {
            if !screen {
                return Err(fail(t(M::ErrNoTty).into()));
            }
            // The demo's temporary database is this screen's alone; any other goes through
            // the database's server unless asked not to.
            let create = demo_dir.is_none() && !is_database(&db);
            if create && db.exists() && std::fs::read_dir(&db).is_err() {
                return Err(no_database(&db));
            }
            if create {
                ask_create(&db)?;
            }
            warnings.extend(prepare_dir(&db)?);
            if create {
                // A new database starts with the project's indicators defined.
                let mut store = open_store(&db)?;
                store.load()?;
                load_indicator_definitions(&mut store)?;
            }
            let backend: Box<dyn Backend> = if demo_dir.is_some() || no_server {
                let mut store = open_store(&db)?;
                if demo_dir.is_some() {
                    store.load()?;
                    load_sample(&mut store)?;
                }
                store.load_in_background()?;
                Box::new(store)
            } else {
                Box::new(crate::server::client::Remote::start(&db).map_err(|e| explain_no_server(&db, e))?)
            };
            crate::log!("start");
            use crate::tui::keymap_load::{self, KeymapChoice};
            let choice = match &cli.keymap {
                Some(text) => KeymapChoice::parse(text, None),
                None => config.keymap.clone().unwrap_or_default(),
            };
            let (keymap, keymap_warnings) = keymap_load::load(&choice, keymap_load::default_user_file().as_deref());
            crate::log!("keymap: {} warnings", keymap_warnings.len());
            warnings.extend(keymap_warnings);
            let theme = config.theme.unwrap_or_default().theme();
            crate::tui::run(
                backend,
                crate::tui::Setup {
                    keymap,
                    theme,
                    warnings,
                    remember: demo_dir.is_none().then(|| db.clone()),
                },
            )?;
            Ok(())
        }
        Some(Cmd::Serve { detach, idle }) => {
            if let Some(owner) = crate::server::access::foreign_owner(&db) {
                return Err(Failure {
                    message: f(M::DbForeign, &[&db.display(), &owner, &current_user(), &owner]),
                    code: 3,
                });
            }
            if let Some(note) = prepare_dir(&db)? {
                eprintln!("{note}");
            }
            let idle = match (idle, detach) {
                (Some(secs), _) => Some(std::time::Duration::from_secs(secs)),
                (None, true) => Some(crate::server::default_idle()),
                (None, false) => None,
            };
            crate::server::serve(&db, crate::server::Options { detached: detach, idle }).map_err(|e| Failure {
                message: e.to_string(),
                code: 1,
            })
        }
        Some(Cmd::Server { action }) => server_command(&db, action),
        Some(Cmd::Restore { file, force }) => restore(&db, &file, force),
        // A typo in a path never makes an empty database whose lists then "succeed" empty.
        Some(cmd) if !matches!(cmd, Cmd::Init { .. } | Cmd::Generate { .. }) && !is_database(&db) => {
            Err(no_database(&db))
        }
        Some(cmd @ (Cmd::Import { .. } | Cmd::Export { .. } | Cmd::Sheet { .. } | Cmd::Backup { .. }))
            if !no_server =>
        {
            let mut backend = remote_backend(&db)?;
            let out = std::io::stdout();
            let mut out = std::io::BufWriter::new(out.lock());
            files(cmd, backend.as_mut(), &mut out)?;
            out.flush()?;
            Ok(())
        }
        // Rewrites (an erasure's, `compact`) run beside the server's writes and answer when
        // done: asked from here as a client, never on the server's one apply thread.
        Some(cmd @ (Cmd::Erase { .. } | Cmd::Compact)) if !no_server => {
            let op = op_of(cmd)?;
            let mut backend = remote_backend(&db)?;
            let out = std::io::stdout();
            let mut out = std::io::BufWriter::new(out.lock());
            ops::run(op, backend.as_mut(), &db, &mut out)?;
            out.flush()?;
            Ok(())
        }
        Some(cmd) if no_server => {
            let note = prepare_dir(&db)?;
            if matches!(cmd, Cmd::Init { .. }) {
                say_team_note(note);
            }
            let mut store = open_store(&db)?;
            store.load()?;
            let out = std::io::stdout();
            let mut out = std::io::BufWriter::new(out.lock());
            match cmd {
                cmd @ (Cmd::Import { .. } | Cmd::Export { .. } | Cmd::Sheet { .. } | Cmd::Backup { .. }) => {
                    files(cmd, &mut store, &mut out)?
                }
                cmd => ops::run(op_of(cmd)?, &mut store, &db, &mut out)?,
            }
            out.flush()?;
            Ok(())
        }
        Some(cmd) => {
            let op = op_of(cmd)?;
            let note = prepare_dir(&db)?;
            if matches!(op, Op::Init { .. }) {
                say_team_note(note);
            }
            run_on_server(&db, op)
        }
    }
}

/// The typed operation of a data command: dates, hours and settings read here, so that a
/// mistake is told before anything is sent, and the server gets values, not words.
fn op_of(cmd: Cmd) -> Result<Op, Failure> {
    let date = |flag: &str, text: &str| {
        crate::io::parse::date(flag, text)
            .ok()
            .flatten()
            .ok_or_else(|| fail(format!("{flag} {text}: expected a date like 2025-08-31 or 31.08.2025")))
    };
    Ok(match cmd {
        Cmd::Init { sample } => Op::Init { sample },
        Cmd::Generate {
            participants,
            events,
            attendance,
            seed,
        } => Op::Generate {
            participants,
            events,
            attendance,
            seed,
        },
        Cmd::Stats { format } => Op::Stats { format },
        Cmd::List { kind, format, filter } => Op::List {
            table: kind.table(),
            format,
            filter,
        },
        Cmd::Report {
            what: ReportKind::Indicators,
            asof,
            format,
            by,
        } => Op::Report {
            asof: asof.map(|a| date("--asof", &a)).transpose()?,
            format,
            by,
        },
        Cmd::Settings { set } => Op::Settings {
            set: match set {
                None => None,
                Some(SettingCmd::HoursCap { hours }) => Some(Setting::HoursCap(match hours.trim() {
                    "none" | "nav" | "-" => None,
                    h => Some(
                        crate::domain::Hours::from_f64(h.replace(',', ".").parse::<f64>().unwrap_or(f64::NAN))
                            .ok_or_else(|| fail(f(M::ErrHoursCap, &[&h])))?,
                    ),
                })),
                Some(SettingCmd::Institutions {
                    count,
                    source,
                    date: when,
                    assumed,
                }) => Some(Setting::Institutions {
                    count,
                    source: Text::from(source.as_str()),
                    date: when.map(|d| date("--date", &d)).transpose()?,
                    assumed,
                }),
                Some(SettingCmd::ReportingPartner { id }) => Some(Setting::ReportingPartner(id)),
            },
        },
        Cmd::Erase {
            participant_id,
            retention,
            yes,
        } => Op::Erase {
            who: match (participant_id, retention) {
                (Some(id), _) => Erasing::Person(id),
                (None, Some(years)) => Erasing::Retention(years),
                (None, None) => return Err(fail(t(M::ErrNoRetentionOrId).into())),
            },
            yes,
        },
        Cmd::Compact => Op::Compact,
        Cmd::Attendance { event_id, format } => Op::Attendance {
            event: event_id,
            format,
        },
        Cmd::Search { query, limit, format } => Op::Search { query, limit, format },
        Cmd::Duplicates { format } => Op::Duplicates { format },
        Cmd::Merge { keep, other, yes } => Op::Merge { keep, other, yes },
        Cmd::Serve { .. }
        | Cmd::Server { .. }
        | Cmd::Restore { .. }
        | Cmd::Import { .. }
        | Cmd::Export { .. }
        | Cmd::Sheet { .. }
        | Cmd::Backup { .. } => return Err(fail("not a data command".into())),
    })
}

/// Runs `op` on the database's server, which is started if none runs, and prints what it
/// printed.
fn run_on_server(db: &Path, op: Op) -> Result<(), Failure> {
    use crate::server::proto::{Role, ToClient, ToServer};
    let mut conn = crate::server::client::connect_or_start(db, Role::Command).map_err(|e| explain_no_server(db, e))?;
    crate::log!("server: connected at {:.1} ms", crate::log::since_start_ms());
    let id = conn.next_id();
    let answer = crate::server::client::ask(
        &mut conn,
        ToServer::Run {
            id,
            op: Box::new(op),
            lang: i18n::lang(),
        },
    )?;
    match answer {
        ToClient::Ran {
            stdout, stderr, code, ..
        } => {
            let mut out = std::io::stdout().lock();
            out.write_all(&stdout)?;
            out.flush()?;
            if code == 0 {
                Ok(())
            } else {
                Err(Failure { message: stderr, code })
            }
        }
        _ => Err(fail("unexpected answer from the server".into())),
    }
}

/// Why no server could serve `db`: when one could not even start, the database itself is
/// opened here, so that its own problem (damaged, no space, no permission) is what is said.
fn explain_no_server(db: &Path, e: crate::server::client::ConnectError) -> Failure {
    if matches!(e, crate::server::client::ConnectError::NoStart(..))
        && let Err(why) = open_store(db).and_then(|mut s| s.load().map_err(Failure::from))
    {
        return why;
    }
    Failure {
        message: e.to_string(),
        code: 3,
    }
}

/// `atbalsts server status|stop`.
fn server_command(db: &Path, action: ServerAction) -> Result<(), Failure> {
    use crate::server::proto::{Role, ToClient, ToServer};
    let Some(mut conn) = crate::server::client::connect(db, Role::Command).map_err(|e| Failure {
        message: e.to_string(),
        code: 3,
    })?
    else {
        return match action {
            // Nothing to stop is what was asked for.
            ServerAction::Stop => Ok(()),
            ServerAction::Status => Err(Failure {
                message: f(M::ServerNotRunning, &[&db.display()]),
                code: 1,
            }),
        };
    };
    let id = conn.next_id();
    let req = match action {
        ServerAction::Status => ToServer::Status { id },
        ServerAction::Stop => ToServer::Stop { id },
    };
    let ToClient::Status { status, .. } = crate::server::client::ask(&mut conn, req)? else {
        return Err(fail("unexpected answer from the server".into()));
    };
    let mut out = std::io::stdout().lock();
    match action {
        ServerAction::Stop => {
            // Stopped means stopped: the database is free when this returns.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
            while crate::store::lock::DbLock::is_held(db) && std::time::Instant::now() < deadline {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            writeln!(out, "{}", f(M::ServerStopped, &[&status.pid, &status.db]))?
        }
        ServerAction::Status => {
            let up = (crate::domain::Stamp::now().riga() - status.started.riga())
                .num_seconds()
                .max(0);
            writeln!(
                out,
                "{}",
                f(
                    M::ServerStatusLine,
                    &[
                        &status.db,
                        &status.pid,
                        &status.program,
                        &format_args!("{}:{:02}:{:02}", up / 3600, up / 60 % 60, up % 60)
                    ]
                )
            )?;
            for c in &status.clients {
                let role = match c.role {
                    crate::server::proto::Role::Screen => i18n::t(M::ServerRoleScreen),
                    crate::server::proto::Role::Command => i18n::t(M::ServerRoleCommand),
                };
                writeln!(
                    out,
                    "  {:<12} {:<8} pid {:<8} {}",
                    c.account,
                    role,
                    c.pid,
                    i18n::datetime(c.since.riga())
                )?;
            }
            if let Some(note) = team_note(db) {
                writeln!(out, "{note}")?;
            }
        }
    }
    Ok(())
}

/// The commands that read or write the user's files: run in the user's own process (paths
/// are theirs, files are written with their rights), against the database's server or
/// this process's store.
fn files(cmd: Cmd, store: &mut dyn Backend, out: &mut dyn Write) -> Result<(), Failure> {
    match cmd {
        Cmd::Export {
            kind,
            filter,
            event,
            format,
            output,
            delimiter,
            encoding,
        } => export(
            store,
            out,
            kind,
            filter.as_deref(),
            event,
            format,
            output.as_deref(),
            delimiter.as_deref(),
            encoding.as_deref(),
        ),
        Cmd::Sheet {
            event_id,
            output,
            blank,
        } => {
            let sheet = crate::io::sheet::of_event(store.model(), crate::domain::EventId(event_id), blank)
                .ok_or_else(|| fail(f(M::ErrNoEvent, &[&event_id])))?;
            let mut bar = Bar::new();
            bar.step(Step::Packing, None);
            let pdf =
                crate::io::sheet::render(&sheet).map_err(|e| fail(f(M::SheetErrWrite, &[&output.display(), &e])))?;
            bar.finish();
            crate::io::export::write_file_atomically(&output, |file| {
                std::io::Write::write_all(file, &pdf)?;
                Ok(pdf.len())
            })
            .map_err(|e| fail(f(M::SheetErrWrite, &[&output.display(), &e])))?;
            noted(store, crate::domain::FileKind::Sheet, &output);
            eprintln!(
                "{}",
                f(M::SheetWritten, &[&sheet.title, &sheet.lines.len(), &output.display()])
            );
            Ok(())
        }
        Cmd::Import {
            what: ImportKind::Participants,
            file,
            event,
            dry_run,
            map,
            encoding,
            sheet,
            create_institutions,
            role,
            format,
        } => {
            use crate::io::import;
            let map = map
                .iter()
                .map(|m| import::columns::parse_map(m))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| {
                    let bad = map.iter().find(|m| import::columns::parse_map(m).is_err());
                    fail(f(
                        M::ImpErrMap,
                        &[&bad.map_or("", |s| s.as_str()), &import::columns::field_codes()],
                    ))
                })?;
            let default_role = crate::domain::Role::from_code(role.trim()).ok_or_else(|| {
                let codes: Vec<&str> = crate::domain::Role::ALL.iter().map(|r| r.code()).collect();
                fail(f(M::ImpErrRole, &[&role, &codes.join(", ")]))
            })?;
            let mut bar = Bar::new();
            let sheet_data = import::read_file_with_progress(&file, encoding.as_deref(), sheet.as_deref(), &mut bar)
                .map_err(|e| Failure {
                    message: e.message(&file),
                    code: 1,
                })?;
            let event = event.map(crate::domain::EventId);
            if let Some(e) = event
                && store.model().events.get(e.0).is_none()
            {
                return Err(fail(f(M::ErrNoEvent, &[&e.0])));
            }
            let opts = import::Options {
                event,
                create_institutions,
                default_role,
                map,
            };
            let name = file.display().to_string();
            let plan = import::plan_with_progress(store.model(), &sheet_data, &name, &opts, &mut bar).map_err(|e| {
                Failure {
                    message: e.message(&file),
                    code: 1,
                }
            })?;
            let mut report = plan.report.clone();
            report.dry_run = dry_run;
            if !dry_run && report.changes() {
                bar.step(Step::Saving, None);
                store.apply(plan.command())?;
                report.committed = true;
            }
            bar.finish();
            match format {
                ReportFormat::Json => {
                    serde_json::to_writer_pretty(&mut *out, &report).map_err(std::io::Error::other)?;
                    out.write_all(b"\n")?;
                }
                ReportFormat::Text => out.write_all(report.text().as_bytes())?,
            }
            out.flush()?;
            Ok(())
        }
        Cmd::Backup { file } => backup(store, &file, out),
        _ => Err(fail("not a file command".into())),
    }
}

/// `atbalsts backup FILE`: the whole database (through its server if one serves it) as
/// JSON lines, written atomically (`-`: standard output).
fn backup(store: &mut dyn Backend, file: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    use crate::io::backup;
    let mut log = store.history(usize::MAX)?;
    log.reverse();
    let m = store.model();
    // A bar only beside a file: on standard output it would mix with the backup.
    let mut bar = Bar::with(file.as_os_str() != "-" && crate::progress_bar::wanted_here());
    bar.step(Step::BackingUp, Some(backup::header(m, log.len()).counts.lines() + 1));
    let mut tick = |n: u64| bar.done(n);
    let head = if file.as_os_str() == "-" {
        backup::write(out, m, &log, &mut tick)?
    } else {
        let mut head = None;
        crate::io::export::write_file_atomically(file, |f| {
            let h = backup::write(f, m, &log, &mut tick)?;
            let n = h.counts.records() as usize;
            head = Some(h);
            Ok(n)
        })
        .map_err(|e| fail(f_(M::BackupErrWrite, &[&file.display(), &e])))?;
        head.ok_or_else(|| fail(f_(M::BackupErrWrite, &[&file.display(), &"?"])))?
    };
    bar.finish();
    noted(store, crate::domain::FileKind::Backup, file);
    let c = head.counts;
    let name = if file.as_os_str() == "-" {
        "-".to_string()
    } else {
        file.display().to_string()
    };
    eprintln!(
        "{}",
        f_(
            M::BackupDone,
            &[&c.records(), &c.participants, &c.attendance, &c.log, &name]
        )
    );
    Ok(())
}

/// Notes in the database that `file` was written holding people's data (an erasure names
/// it), by its absolute path; a failure to note it is said, not fatal (the file is there).
fn noted(store: &mut dyn Backend, kind: crate::domain::FileKind, file: &Path) {
    let name = if file.as_os_str() == "-" {
        "-".to_string()
    } else {
        std::fs::canonicalize(file)
            .unwrap_or_else(|_| file.to_path_buf())
            .display()
            .to_string()
    };
    if let Err(e) = store.note_file(kind, &name) {
        eprintln!("{}", f_(M::NoteFileFailed, &[&name, &e]));
    }
}

/// `atbalsts restore FILE [--force]`: reads and checks the whole file first (nothing is
/// written if any line is wrong), then opens the database in this process (never through
/// a server: it must be free) and writes everything in one batch.
fn restore(db: &Path, file: &Path, force: bool) -> Result<(), Failure> {
    use crate::io::backup;
    let (input, size): (Box<dyn std::io::Read>, Option<u64>) = if file.as_os_str() == "-" {
        (Box::new(std::io::stdin()), None)
    } else {
        let f = std::fs::File::open(file).map_err(|e| fail(f_(M::RestoreErrRead, &[&file.display(), &e])))?;
        let size = f.metadata().ok().map(|m| m.len());
        (Box::new(f), size)
    };
    let (input, bytes) = crate::io::progress::Counting::new(input);
    let mut bar = Bar::new();
    bar.step(Step::Restoring, size);
    let mut tick = |_: u64| bar.done(bytes.load(std::sync::atomic::Ordering::Relaxed));
    let read = backup::read(std::io::BufReader::with_capacity(1 << 16, input), &mut tick).map_err(|e| Failure {
        message: if e.line == 0 {
            f_(M::RestoreErrBad, &[&file.display(), &e.reason])
        } else {
            f_(M::RestoreErrLine, &[&file.display(), &e.line, &e.reason])
        },
        code: 1,
    })?;
    if let Some(note) = prepare_dir(db)? {
        // Above the bar, never on its line.
        bar.note(&note);
    }
    let mut store = Store::open(db, &current_user()).map_err(|e| match e {
        StoreError::Locked { .. } => Failure {
            message: f_(M::RestoreErrInUse, &[&db.display(), &db_arg(db)]),
            code: 3,
        },
        other => other.into(),
    })?;
    store.load()?;
    if !force && store.holds_data()? {
        return Err(fail(f_(
            M::RestoreErrNotEmpty,
            &[&db.display(), &store.model().total(), &file.display(), &db_arg(db)],
        )));
    }
    let c = read.header.counts;
    // The log names the file as found from anywhere (its absolute path).
    let from = if file.as_os_str() == "-" {
        "-".to_string()
    } else {
        std::fs::canonicalize(file)
            .unwrap_or_else(|_| file.to_path_buf())
            .display()
            .to_string()
    };
    bar.step(Step::Saving, None);
    let again = store.restore(read.restored, &from)?;
    bar.finish();
    if !again.is_empty() {
        let ids: Vec<String> = again.iter().map(u32::to_string).collect();
        println!("{}", f_(M::RestoreErasedAgain, &[&again.len(), &ids.join(", ")]));
    }
    println!(
        "{}",
        f_(
            M::RestoreDone,
            &[
                &c.records(),
                &c.organisations,
                &c.events,
                &c.participants,
                &c.attendance,
                &c.indicators,
                &c.log,
                &read.header.made_at,
                &db.display()
            ]
        )
    );
    Ok(())
}

/// The database for a file command: through its server (waiting for the replica to load),
/// or opened here with --no-server.
fn remote_backend(db: &Path) -> Result<Box<dyn Backend>, Failure> {
    let mut remote = crate::server::client::Remote::start(db).map_err(|e| Failure {
        message: e.to_string(),
        code: 3,
    })?;
    while !Backend::is_loaded(&remote) {
        for e in Backend::poll(&mut remote) {
            if let crate::backend::Event::Failed(err) = e {
                return Err(err.into());
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    Ok(Box::new(remote))
}

/// `atbalsts export`: the rows `list` gives, as CSV for Excel, XLSX or JSON, to a file
/// (written atomically) or standard output.
#[allow(clippy::too_many_arguments)]
fn export(
    store: &mut dyn Backend,
    stdout: &mut dyn Write,
    kind: Kind,
    filter: Option<&str>,
    event: Option<u32>,
    format: Option<crate::io::export::ExportFormat>,
    output: Option<&Path>,
    delimiter: Option<&str>,
    encoding: Option<&str>,
) -> Result<(), Failure> {
    use crate::io::export::{self, ExportFormat};
    let by_name = output.and_then(ExportFormat::of_path);
    let format = match (format, by_name) {
        (Some(f), Some(n)) if f != n => {
            let file = output.map(|p| p.display().to_string()).unwrap_or_default();
            return Err(fail(f_(
                M::ExpErrFormatMismatch,
                &[&file, &format!("{f:?}").to_lowercase()],
            )));
        }
        (Some(f), _) | (None, Some(f)) => f,
        (None, None) => ExportFormat::Csv,
    };
    let csv_options =
        export::CsvOptions::parse(delimiter, encoding).map_err(|bad| fail(f_(M::ExpErrCsvOption, &[&bad])))?;
    if format == ExportFormat::Xlsx && output.is_none() && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return Err(fail(t(M::ExpErrXlsxTerminal).into()));
    }
    let m = store.model();
    let table = kind.table();
    let mut ids = filtered_ids(m, table, filter)?;
    let mut event_rows = None;
    if let Some(e) = event {
        let rows =
            list::attendance_of_event(m, crate::domain::EventId(e)).ok_or_else(|| fail(f_(M::ErrNoEvent, &[&e])))?;
        match table {
            Table::Attendance => event_rows = Some(rows),
            Table::Participant => {
                let people: std::collections::HashSet<u32> = m
                    .attendance_of_event(crate::domain::EventId(e))
                    .iter()
                    .filter_map(|a| m.attendance.get(a.0))
                    .map(|a| a.participant.0)
                    .collect();
                ids = Some(match ids {
                    Some(v) => v.into_iter().filter(|id| people.contains(id)).collect(),
                    None => m
                        .orders
                        .get(table)
                        .iter()
                        .copied()
                        .filter(|id| people.contains(id))
                        .collect(),
                });
            }
            _ => return Err(fail(t(M::ExpErrEventKind).into())),
        }
    }
    let today = crate::domain::today();
    let rows = || -> Box<dyn Iterator<Item = list::Fields> + '_> {
        match (&event_rows, table) {
            (Some(r), _) => Box::new(r.clone().into_iter()),
            (None, Table::Indicator) => Box::new(list::indicator_report(m, today).into_iter()),
            (None, _) => list::rows(m, table, ids.clone()),
        }
    };
    let total = match (&event_rows, &ids) {
        (Some(r), _) => Some(r.len()),
        (None, Some(ids)) => Some(ids.len()),
        (None, None) if table != Table::Indicator => Some(m.count(table)),
        (None, None) => None,
    };
    // A bar only beside a file: on standard output it would mix with the rows.
    let mut bar = Bar::with(output.is_some() && crate::progress_bar::wanted_here());
    bar.step(Step::Writing, total.map(|n| n as u64));
    let mut write = |out: &mut dyn std::io::Write| -> std::io::Result<usize> {
        use crate::i18n::Label;
        let mut sheets: Vec<export::SheetRows> = vec![(table.label().to_string(), rows())];
        if format == ExportFormat::Xlsx && table == Table::Indicator {
            for by in crate::indicators::By::ALL {
                sheets.push((
                    by.title().to_string(),
                    Box::new(list::indicator_breakdown(m, today, by).into_iter()),
                ));
            }
        }
        export::write_as(out, format, sheets, csv_options, &mut bar)
    };
    match output {
        Some(path) => {
            let n = export::write_file_atomically(path, |file| write(file))
                .map_err(|e| fail(f_(M::ExportFailed, &[&path.display(), &e])))?;
            bar.finish();
            if table != Table::Indicator {
                noted(store, crate::domain::FileKind::Export, path);
            }
            eprintln!("{}", f_(M::Exported, &[&n, &path.display()]));
        }
        None => {
            write(stdout)?;
            stdout.flush()?;
        }
    }
    Ok(())
}
