//! Every user-facing string, in English and Latvian: messages, labels of the vocabularies,
//! field names, error wording and date formats. Nothing else spells out text for people.

use crate::domain::*;
use chrono::{NaiveDate, NaiveDateTime};
use std::fmt::Display;
use std::sync::OnceLock;

/// The language of the interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    En,
    Lv,
}

static LANG: OnceLock<Lang> = OnceLock::new();

thread_local! {
    static THREAD_LANG: std::cell::Cell<Option<Lang>> = const { std::cell::Cell::new(None) };
}

/// Sets the language for the whole process (once, at start).
pub fn set_lang(l: Lang) {
    let _ = LANG.set(l);
}

/// Sets the language for this thread only (tests render both languages side by side).
pub fn set_thread_lang(l: Lang) {
    THREAD_LANG.with(|c| c.set(Some(l)));
}

/// The language in force: this thread's, else the process's (English until set).
pub fn lang() -> Lang {
    THREAD_LANG
        .with(|c| c.get())
        .or_else(|| LANG.get().copied())
        .unwrap_or_default()
}

impl Lang {
    /// `lv` or `en` (also `lv_LV.UTF-8` and the like).
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.to_ascii_lowercase();
        if s.starts_with("lv") {
            Some(Lang::Lv)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
    /// From LC_ALL, LC_MESSAGES or LANG: `lv_*` gives Latvian, anything else English.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .and_then(|v| Lang::parse(&v))
            .unwrap_or_default()
    }
}

macro_rules! messages {
    ($($key:ident: $en:literal, $lv:literal;)*) => {
        /// A message of the interface.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum M { $($key),* }
        impl M {
            /// Every message.
            pub const ALL: &'static [M] = &[$(M::$key),*];
            /// The message in `lang`.
            pub fn tr(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((M::$key, Lang::En) => $en, (M::$key, Lang::Lv) => $lv,)*
                }
            }
        }
    };
}

messages! {
    AppName: "atbalsts", "atbalsts";
    PanePartners: "Partners", "Partneri";
    PaneEvents: "Events", "Pasākumi";
    PaneParticipants: "Participants", "Dalībnieki";
    PaneIndicators: "Indicators", "Rādītāji";
    ColName: "Name", "Nosaukums";
    ColKind: "Kind", "Veids";
    ColMunicipality: "Municipality", "Pašvaldība";
    ColPartner: "Partner", "Partneris";
    ColEvents: "Events", "Pasāk.";
    ColPeople: "People", "Cilv.";
    ColDate: "Date", "Datums";
    ColTitle: "Title", "Nosaukums";
    ColFormat: "Format", "Formāts";
    ColHours: "Hours", "St.";
    ColStatus: "Status", "Statuss";
    ColAttended: "Came", "Ieradās";
    ColSurname: "Surname", "Uzvārds";
    ColGiven: "Given name", "Vārds";
    ColInstitution: "Institution", "Iestāde";
    ColRole: "Role", "Loma";
    ColHours3y: "Hours 3y", "St. 3 g.";
    ColCode: "No.", "Nr.";
    ColIndicator: "Indicator", "Rādītājs";
    ColBaseline: "Baseline", "Bāzes v.";
    ColTarget: "Target", "Mērķa v.";
    ColDeadline: "Deadline", "Termiņš";
    ColDaysLeft: "Days", "Dienas";
    Yes: "yes", "jā";
    No: "no", "nē";
    Online: "online", "tiešsaistē";
    Loading: "Loading data…", "Ielādē datus…";
    NoRows: "Nothing here yet.", "Šeit vēl nekā nav.";
    NoMatches: "Nothing matches the filter. Esc (in the filter line) clears it.", "Filtram nekas neatbilst. Esc (filtra rindā) to notīra.";
    NoSelection: "Nothing selected.", "Nekas nav izvēlēts.";
    TooSmall: "Terminal too small: {} x {}. Make it at least {} x {}.", "Terminālis par mazu: {} x {}. Vajag vismaz {} x {}.";
    Help: "Help", "Palīdzība";
    HelpClose: "Esc or ? closes help", "Esc vai ? aizver palīdzību";
    HelpContextGlobal: "Everywhere", "Visur";
    HelpContextList: "Lists", "Saraksti";
    HelpContextHelp: "Help screen", "Palīdzības ekrāns";
    HelpContextFilter: "Filter line", "Filtra rinda";
    HintFilter: "filter", "filtrs";
    HintPalette: "commands", "komandas";
    HintRun: "run", "izpildīt";
    HintClose: "close", "aizvērt";
    PaletteTitle: "Commands — type to search, Enter runs, Esc closes", "Komandas — rakstiet, lai meklētu; Enter izpilda, Esc aizver";
    PaletteSaveView: "save this pane's filter under a name", "saglabāt šī paneļa filtru ar nosaukumu";
    PaletteNameNeeded: "type a name after 'view save'", "pēc 'view save' ierakstiet nosaukumu";
    PaletteExport: "write the rows listed in this pane to a file (.csv for Excel, .xlsx, .json or .md; default PANE-DATE.csv)", "ierakstīt šajā panelī redzamās rindas failā (.csv Excel vajadzībām, .xlsx, .json vai .md; pēc noklusējuma PANELIS-DATUMS.csv)";
    Exported: "Exported {} rows to {}", "Eksportētas {} rindas: {}";
    ExportFailed: "Could not write {}: {}. Nothing was exported; try another file name or directory.", "Nevarēja ierakstīt {}: {}. Nekas netika eksportēts; mēģiniet citu faila nosaukumu vai mapi.";
    PaletteAsOf: "show indicators as they stood on a date (2025-08-31 or 31.08.2025)", "rādīt rādītājus, kādi tie bija datumā (2025-08-31 vai 31.08.2025)";
    PaletteAsOfToday: "show indicators as of today again", "atkal rādīt rādītājus šodienai";
    PaletteBadDate: "Not a date: '{}'. Type e.g. asof 2025-08-31 or asof 31.08.2025.", "Nav datums: '{}'. Rakstiet, piem., asof 2025-08-31 vai asof 31.08.2025.";
    AsOfTitle: "as of {}", "uz {}";
    PaletteNoFilter: "This pane has no filter to save; type / first.", "Šim panelim nav filtra, ko saglabāt; vispirms nospiediet /.";
    ViewSaved: "View '{}' saved.", "Skats '{}' saglabāts.";
    ViewNotSaved: "View not saved: {}", "Skats nav saglabāts: {}";
    ViewsBroken: "Saved views not loaded: {}", "Saglabātie skati nav ielādēti: {}";
    HelpContextPalette: "Command palette", "Komandu palete";
    FilterOf: "{} of {}", "{} no {}";
    FilterFields: "fields:", "lauki:";
    FilterKeys: "Enter keep · Esc clear", "Enter paturēt · Esc notīrīt";
    Detail: "Detail", "Sīkāk";
    DetKind: "Kind", "Veids";
    DetParent: "Belongs to", "Pieder";
    DetRegNo: "Reg. no.", "Reģ. nr.";
    DetAddress: "Address", "Adrese";
    DetContact: "Contact", "Kontakts";
    DetPartner: "Partner", "Sadarbības partneris";
    DetAgreement: "Agreement", "Sadarbības līgums";
    DetFunding: "Funding a year", "Finansējums gadā";
    DetInstitutions: "Institutions ({})", "Iestādes ({})";
    DetOrganised: "Events organised ({})", "Rīkotie pasākumi ({})";
    DetPeopleCount: "Participants: {}", "Dalībnieki: {}";
    DetWhen: "When", "Kad";
    DetWhere: "Where", "Kur";
    DetFormat: "Format", "Formāts";
    DetActivity: "Activity line", "Darbība";
    DetOrganiser: "Organiser", "Rīkotājs";
    DetTargetGroups: "Target groups", "Mērķgrupas";
    DetCapacity: "Capacity", "Vietu skaits";
    DetAttendance: "Attendance", "Apmeklējums";
    DetAttCounts: "{} registered · {} attended · {} absent · {} excused", "reģistrēti: {} · ieradās: {} · neieradās: {} · attaisnoti: {}";
    DetInstitution: "Institution", "Iestāde";
    DetRole: "Role", "Loma";
    DetSubjects: "Subjects", "Mācību priekšmeti";
    DetEmail: "Email", "E-pasts";
    DetPhone: "Phone", "Tālrunis";
    DetHours3y: "Hours in the last 3 years: {} of 36", "Stundas pēdējos 3 gados: {} no 36";
    DetHoursDone: "requirement met", "prasība izpildīta";
    DetHoursShort: "{} still needed", "vēl vajag {}";
    DetEventsOf: "Events ({})", "Pasākumi ({})";
    DetTarget: "Target", "Mērķa vērtība";
    DetValue: "Value", "Vērtība";
    DetGaps: "Not covered yet ({})", "Vēl nav aptverti ({})";
    OfTarget: "{}% of the target", "{}% no mērķa vērtības";
    ColValue: "Value", "Vērtība";
    DetBaseline: "Baseline", "Bāzes vērtība";
    DetDeadline: "Deadline", "Termiņš";
    DetDaysLeft: "{} left", "vēl {}";
    DetOverdue: "{} past", "{} pēc termiņa";
    DetDefinition: "Definition", "Definīcija";
    DetValues: "Values entered", "Ievadītās vērtības";
    DetNotes: "Notes", "Piezīmes";
    DetMore: "… and {} more", "… un vēl {}";
    DefCoverage: "share of organisations ({}) with an attendance by {} at {}", "īpatsvars no organizācijām ({}), kurās ir apmeklējums: {}; pasākumi: {}";
    DefRegularity: "{} with professional support ({}; {}) at least once in each calendar year; not counted: {}", "{} ar profesionālo atbalstu ({}; {}) vismaz reizi katrā kalendārajā gadā; netiek skaitīti: {}";
    DefMilestoneData: "reached at the first attendance by {}", "sasniegts ar pirmo apmeklējumu: {}";
    DefMilestoneManual: "marked done by hand", "atzīmē manuāli";
    DefMilestoneDone: "done on {}", "izpildīts {}";
    DefManual: "values entered by hand", "vērtības ievada manuāli";
    DefCountParticipants: "number of participants matching “{}”, each person once", "dalībnieku skaits, kas atbilst “{}”, katrs cilvēks vienreiz";
    DefCountEvents: "number of events matching “{}” held by the date", "pasākumu skaits, kas atbilst “{}”, līdz datumam";
    DefCountOrgs: "number of organisations matching “{}”", "organizāciju skaits, kas atbilst “{}”";
    ByMunicipality: "By municipality", "Pa pašvaldībām";
    ByRole: "By role", "Pa lomām";
    ByFormat: "By event format", "Pa pasākumu formātiem";
    ByGender: "By gender", "Pa dzimumiem";
    NotRecorded: "not recorded", "nav norādīts";
    DetChart: "Month by month", "Pa mēnešiem";
    DetComputing: "(computed when opened)", "(aprēķina, atverot)";
    DefAny: "anyone", "jebkurš";
    DefAnyEvent: "any event", "jebkurš pasākums";
    StatusDb: "db", "db";
    StatusUser: "user", "lietotājs";
    StatusCounts: "{} orgs · {} events · {} people · {} att.", "{} org. · {} pasāk. · {} cilv. · {} apm.";
    HintQuit: "quit", "iziet";
    HintHelp: "help", "palīdzība";
    HintPanes: "panes", "paneļi";
    HintMove: "move", "pārvietoties";
    ErrTerminal: "The terminal stopped working: {}. Your data is saved; start atbalsts again.", "Terminālis pārstāja darboties: {}. Dati ir saglabāti; palaidiet atbalsts vēlreiz.";
    ErrTerminalGone: "The terminal went away (hung up), so the screen closed. Your data is saved; start atbalsts again in a new terminal.", "Terminālis pazuda (sakari pārtrūka), tāpēc ekrāns aizvērās. Dati ir saglabāti; palaidiet atbalsts vēlreiz jaunā terminālī.";
    ErrNoTty: "atbalsts: the interactive screen needs a terminal (stdin and stdout must be a TTY). For scripts use `atbalsts list`, `atbalsts stats` or `atbalsts --help`.", "atbalsts: interaktīvajam ekrānam vajag termināli (stdin un stdout jābūt TTY). Skriptiem lietojiet `atbalsts list`, `atbalsts stats` vai `atbalsts --help`.";
    ErrNotEmpty: "The database at {} already holds {} records; sample data is loaded only into an empty database. Use another --db directory.", "Datubāzē {} jau ir {} ieraksti; paraugdatus ielādē tikai tukšā datubāzē. Norādiet citu --db mapi.";
    ErrNoDataDir: "Cannot find a home directory for the database; pass --db DIR or set ATBALSTS_DB.", "Nevar atrast mājas mapi datubāzei; norādiet --db MAPE vai ATBALSTS_DB.";
    ErrCreateDir: "Cannot create the database directory {}: {}", "Nevar izveidot datubāzes mapi {}: {}";
    ErrSample: "Sample data is broken ({}): {}", "Paraugdati ir bojāti ({}): {}";
    SettingHoursCap: "hours-cap: seminars and conferences count at most {} h in 3 years", "hours-cap: semināri un konferences 3 gados ieskaitāmi ne vairāk kā {} h";
    SettingNoHoursCap: "hours-cap: none (seminars and conferences count in full)", "hours-cap: nav (semināri un konferences ieskaitāmi pilnībā)";
    ErrHoursCap: "hours-cap {}: expected a number of hours like 12, or none", "hours-cap {}: gaidīts stundu skaits, piem. 12, vai none";
    InitDone: "Database ready at {} ({} records).", "Datubāze gatava: {} ({} ieraksti).";
    GenerateDone: "Generated {} organisations, {} events, {} participants, {} attendances into {} in {:.1} s.", "Izveidoti {} organizācijas, {} pasākumi, {} dalībnieki, {} apmeklējumi datubāzē {} ({:.1} s).";
    StoreLocked: "The database {} is in use by another atbalsts process. Close it there (or wait for it to finish) and try again.", "Datubāzi {} izmanto cits atbalsts process. Aizveriet to (vai pagaidiet) un mēģiniet vēlreiz.";
    StoreDiskFull: "The disk holding {} is full; nothing was saved. Free some space and try again.", "Disks, kurā ir {}, ir pilns; nekas netika saglabāts. Atbrīvojiet vietu un mēģiniet vēlreiz.";
    StorePermission: "No permission to use the database directory {}. Ask its owner for access, or use --db with your own directory.", "Nav atļaujas lietot datubāzes mapi {}. Lūdziet piekļuvi tās īpašniekam vai norādiet savu mapi ar --db.";
    StoreIo: "Cannot read or write the database {}: {}", "Nevar lasīt vai rakstīt datubāzi {}: {}";
    StoreCorrupt: "The database is damaged at {}: {}. Restore it from a backup.", "Datubāze ir bojāta vietā {}: {}. Atjaunojiet to no rezerves kopijas.";
    StoreNewer: "This database was written by a newer atbalsts (schema {}; this one knows {}). Upgrade atbalsts.", "Šo datubāzi rakstījusi jaunāka atbalsts versija (shēma {}; šī zina {}). Atjauniniet atbalsts.";
    StoreEncode: "Could not encode a record: {}", "Neizdevās iekodēt ierakstu: {}";
    StoreInvalid: "Not saved: {}", "Nav saglabāts: {}";
    StoreNotFound: "No {} with id {} (deleted meanwhile?).", "Nav {} ar id {} (varbūt izdzēsts?).";
    StoreInUse: "Cannot delete {} {}: {} {} refer to it. Remove or move them first.", "Nevar dzēst {} {}: uz to atsaucas {} {}. Vispirms tos izņemiet vai pārceliet.";
    StoreDuplicateAtt: "Participant {} is already on the list of event {}.", "Dalībnieks {} jau ir pasākuma {} sarakstā.";
    StoreBadImport: "Import refused: {}", "Imports noraidīts: {}";
    StoreUnresolved: "Not saved: the change refers to new {} #{} that it does not create (the plan no longer fits the data; look and try again).", "Nav saglabāts: izmaiņa atsaucas uz jaunu ierakstu ({}) Nr. {}, ko tā neizveido (plāns vairs neatbilst datiem; pārskatiet un mēģiniet vēlreiz).";
    StoreNotLoaded: "Still loading; try again in a moment.", "Vēl ielādē; mēģiniet pēc brīža.";
    ProblemRequired: "is required", "ir obligāts";
    ProblemTooLong: "is too long", "ir par garu";
    ProblemBadEmail: "is not an email address (name@domain.lv)", "nav e-pasta adrese (vards@domens.lv)";
    ProblemBadPhone: "is not a phone number (7 to 15 digits, e.g. +371 65707400)", "nav tālruņa numurs (7 līdz 15 cipari, piem. +371 65707400)";
    ProblemEndBeforeStart: "is before the start", "ir pirms sākuma";
    ProblemBadHours: "must be 0 or more hours", "jābūt 0 vai vairāk stundām";
    ProblemOwnParent: "cannot be the organisation itself", "nevar būt pati organizācija";
    ProblemParentCycle: "would make a loop of parents", "radītu cilpu";
    ProblemUnknownReference: "refers to a record that does not exist", "atsaucas uz neesošu ierakstu";
    ProblemBadNumber: "is not a valid number", "nav derīgs skaitlis";
    FormNew: "New {}", "Pievienot: {}";
    FormEdit: "Edit {}", "Labot: {}";
    FormManualValue: "New value by hand", "Jauna manuāli ievadīta vērtība";
    FormWalkIn: "Walk-in: new participant, checked in on save", "Bez pieteikuma: jauns dalībnieks, atzīmēts pēc saglabāšanas";
    FormBadDate: "is not a date: try 14.03.2025, 14.03., today, +3d", "nav datums: piem. 14.03.2025, 14.03., šodien, +3d";
    FormBadDateTime: "needs a date and a time: 14.03.2025 9:30, today 10:00, +3d 9:00", "vajag datumu un laiku: 14.03.2025 9:30, šodien 10:00, +3d 9:00";
    FormBadTime: "needs a time (13:30) or a date and time", "vajag laiku (13:30) vai datumu un laiku";
    FormBadHours: "must be 0 or more hours (e.g. 6 or 4,5)", "jābūt 0 vai vairāk stundām (piem. 6 vai 4,5)";
    FormBadNumber: "is not a number", "nav skaitlis";
    FormBadMoney: "is not an amount in euros (e.g. 4000.00)", "nav summa eiro (piem. 4000,00)";
    FormBadChoice: "'{}' is none of: {}", "'{}' nav neviens no: {}";
    FormNoMatch: "no such record: type a few letters and pick from the list", "tāda ieraksta nav: ierakstiet dažus burtus un izvēlieties no saraksta";
    FormPick: "several match: pick one from the list (↑↓, Enter)", "atbilst vairāki: izvēlieties no saraksta (↑↓, Enter)";
    FormHint: "{} next field · {} save · {} cancel · ←→ {} choose", "{} nākamais lauks · {} saglabāt · {} atcelt · ←→ {} izvēlēties";
    FormDuplicates: "Probably already entered:", "Iespējams, jau ievadīts:";
    ChangeAdded: "added {} {}", "jauns ieraksts ({}) {}";
    ChangeChanged: "changed {} {}", "labots ieraksts ({}) {}";
    ChangeDeleted: "deleted {} {}", "dzēsts ieraksts ({}) {}";
    ChangeImported: "imported {} records", "importēti {} ieraksti";
    ChangeProject: "changed the project", "labots projekts";
    Saved: "Saved: {}", "Saglabāts — {}";
    Undone: "Undone: {}", "Atsaukts — {}";
    UndoFailed: "Cannot undo: {}", "Nevar atsaukt: {}";
    NothingToUndo: "Nothing to undo in this session.", "Šajā sesijā nav ko atsaukt.";
    CannotUndo: "That change cannot be undone here.", "Šo izmaiņu šeit nevar atsaukt.";
    AskDelete: "Delete {} {}?", "Dzēst: {} {}?";
    AskDiscard: "Throw away what was typed in this form?", "Izmest šajā formā ierakstīto?";
    AskErase: "Erase {} and their {} attendance rows? (For a person who asked to be forgotten; u undoes it in this session.)", "Dzēst {} un personas apmeklējuma ierakstus ({})? (Personai, kas lūgusi datus dzēst; šajā sesijā to var atsaukt ar u.)";
    Erased: "Erased {} and {} attendance rows.", "Dzēsts {} un {} apmeklējuma ieraksti.";
    EraseWouldDo: "This would erase {} and their {} attendance rows; nothing was changed. Run again with --yes: {}", "Tiktu dzēsts {} un personas apmeklējuma ieraksti ({}); nekas netika mainīts. Palaidiet vēlreiz ar --yes: {}";
    ErrNoParticipant: "No participant with id {}. `atbalsts search NAME{}` shows the ids.", "Nav dalībnieka ar id {}. `atbalsts search VĀRDS{}` parāda id.";
    AskQuitForm: "Quit without saving this form?", "Iziet, nesaglabājot šo formu?";
    AskDuplicate: "Probably already entered: {}. Save anyway?", "Iespējams, jau ievadīts: {}. Tomēr saglabāt?";
    AskRestAbsent: "Mark {} registered but not checked in as absent?", "Atzīmēt {} reģistrētos, bet neatzīmētos kā neieradušos?";
    ConfirmHint: "{} yes · {} no", "{} jā · {} nē";
    ConfirmOpenHint: "{} open the existing one", "{} atvērt esošo";
    ConfirmUseHint: "{} check in the existing one instead", "{} atzīmēt esošo";
    IndicatorComputed: "This indicator is computed from the data; e edits its definition.", "Šo rādītāju aprēķina no datiem; e labo tā definīciju.";
    CheckedIn: "Checked in: {}", "Atzīmēts: {}";
    AlreadyIn: "{} was already checked in at {}; nothing changed.", "{} jau atzīmēts {}; nekas netika mainīts.";
    ChooseEvent: "Choose an event first (Events pane).", "Vispirms izvēlieties pasākumu (Pasākumu panelis).";
    DeskNoMatch: "Nobody matches: Ctrl-N adds a walk-in.", "Neviens neatbilst: Ctrl-N pievieno jaunu dalībnieku.";
    DeskTitle: "Check-in", "Ierašanās";
    DeskCount: "checked in {} of {} registered (+{} walk-ins)", "atzīmēti {} no {} reģistrētajiem (+{} bez pieteikuma)";
    DeskPrompt: "Name:", "Vārds:";
    DeskHint: "{} check in · {} walk-in · {} undo · {} back", "{} atzīmēt · {} bez pieteikuma · {} atsaukt · {} atpakaļ";
    NoticeIn: "✔ CHECKED IN", "✔ ATZĪMĒTS";
    NoticeAlready: "= ALREADY IN", "= JAU ATZĪMĒTS";
    NoticeUndone: "↶ UNDONE", "↶ ATSAUKTS";
    NoticeFailed: "✘ NOT RECORDED", "✘ NAV ATZĪMĒTS";
    DeskLegend: "● registered  ✔ checked in  ✗ absent  ○ excused", "● reģistrēts  ✔ atzīmēts  ✗ neieradās  ○ attaisnots";
    RosterTitle: "Attendance", "Apmeklējums";
    RosterHint: "{} attended · {} absent · {} excused · {} back · {} rest absent · {} desk", "{} ieradās · {} neieradās · {} attaisnots · {} atpakaļ · {} pārējie neieradās · {} atzīmēšana";
    MarkedAbsent: "{} marked absent.", "{} atzīmēti kā neieradušies.";
    NoGaps: "No gaps: every organisation counted is covered.", "Visas skaitītās organizācijas ir aptvertas.";
    GapsOf: "gaps of {}", "vēl nav aptverti: {}";
    HintAdd: "add", "pievienot";
    HintEdit: "edit", "labot";
    HintUndo: "undo", "atsaukt";
    HintCheckIn: "check-in", "ierašanās";
    HelpContextForm: "Forms", "Formas";
    HelpContextConfirm: "Questions", "Jautājumi";
    HelpContextDesk: "Check-in desk", "Ierašanās atzīmēšana";
    HelpContextAttendance: "Attendance list", "Apmeklējuma saraksts";
    HelpFilter: "type to filter", "rakstiet, lai filtrētu";
    NewCoverage: "new indicator: share of organisations reached (e.g. municipalities with a trained specialist)", "jauns rādītājs: aptverto organizāciju daļa (piem. pašvaldības ar apmācītu speciālistu)";
    NewRegularity: "new indicator: organisations reached in every year of a window", "jauns rādītājs: organizācijas, kas aptvertas katrā perioda gadā";
    NewMilestone: "new indicator: a milestone, reached by the data or by hand", "jauns rādītājs: atskaites punkts, sasniegts pēc datiem vai manuāli";
    NewCount: "new indicator: a count of people, events or organisations matching a filter", "jauns rādītājs: cilvēku, pasākumu vai organizāciju skaits pēc filtra";
    NewManual: "new indicator: values entered by hand", "jauns rādītājs: vērtības ievada manuāli";
    HistoryTitle: "History: who changed what", "Vēsture: kurš ko mainīja";
    HistoryEmpty: "Nothing has changed yet.", "Vēl nekas nav mainīts.";
    HistoryClose: "Esc closes", "Esc aizver";
    LogAdded: "added {}", "pievienots: {}";
    LogChanged: "changed {}", "labots: {}";
    LogDeleted: "deleted {}", "dzēsts: {}";
    Or: "or", "vai";
    KmBadKey: "'{}' is not a key (try e.g. \"q\", \"ctrl-c\", \"pagedown\", \"f1\")", "'{}' nav taustiņš (piem. \"q\", \"ctrl-c\", \"pagedown\", \"f1\")";
    KmSyntax: "not valid TOML: {} (check the quotes, = and [brackets])", "nav derīgs TOML: {} (pārbaudiet pēdiņas, = un [iekavas])";
    KmUnknownContext: "unknown context [{}]; use {}", "nezināms konteksts [{}]; lietojiet {}";
    KmOutsideContext: "\"{}\" is not under a [context]; put the line under one, e.g. [global]", "\"{}\" nav zem [konteksta]; ielieciet rindu zem kāda, piem. [global]";
    KmActionNotString: "the action of key \"{}\" must be a name in quotes, e.g. \"quit\" (or \"{}\" to unbind the key)", "taustiņa \"{}\" darbībai jābūt nosaukumam pēdiņās, piem. \"quit\" (vai \"{}\", lai taustiņu atsaistītu)";
    KmUnknownAction: "unknown action '{}' for key \"{}\" (the help screen lists the action names; \"{}\" unbinds the key)", "nezināma darbība '{}' taustiņam \"{}\" (darbību nosaukumi ir palīdzības ekrānā; \"{}\" taustiņu atsaista)";
    KmTwice: "key \"{}\" is bound twice in [{}] ({} and {}); keep one", "taustiņš \"{}\" piesaistīts divreiz sadaļā [{}] ({} un {}); atstājiet vienu";
    KmUnreadable: "{}: cannot read it: {} (or use a preset: {})", "{}: nevar nolasīt: {} (vai lietojiet sagatavi: {})";
    KmNotUsed: "Keymap file not used: {}. The built-in keys apply.", "Taustiņu fails netika lietots: {}. Darbojas iebūvētie taustiņi.";
    CfgUnreadable: "{}: cannot read the settings file: {}; built-in settings apply", "{}: nevar nolasīt iestatījumu failu: {}; darbojas iebūvētie iestatījumi";
    CfgSyntax: "{}:{}: not valid TOML: {}; the whole settings file is ignored", "{}:{}: nav derīgs TOML: {}; viss iestatījumu fails netiek ņemts vērā";
    CfgUnknownKey: "{}:{}: unknown setting '{}' (ignored); the settings are {}", "{}:{}: nezināms iestatījums '{}' (netiek ņemts vērā); iestatījumi ir {}";
    CfgBadValue: "{}:{}: {} = {} (ignored): expected {}", "{}:{}: {} = {} (netiek ņemts vērā): vajag {}";
    CfgExpectLang: "\"lv\" or \"en\"", "\"lv\" vai \"en\"";
    CfgExpectKeymap: "\"default\", \"vim\" or the path of a keymap file, in quotes", "\"default\", \"vim\" vai taustiņu faila ceļu, pēdiņās";
    CfgExpectTheme: "\"auto\", \"mono\" or \"colour\"", "\"auto\", \"mono\" vai \"colour\"";
    CfgExpectDb: "the path of the database directory, in quotes", "datubāzes mapes ceļu, pēdiņās";
    // --- one action, one change (batches); the team server
    ChangeAndRows: "{} and {} attendance rows", "{} un apmeklējuma ieraksti: {}";
    ChangeRows: "{} attendance rows changed", "mainīti apmeklējuma ieraksti: {}";
    ChangeNothing: "nothing changed", "nekas netika mainīts";
    Restored: "Restored {}.", "Atjaunots: {}.";
    LogBatch: "{} changes in one step: {}", "{} izmaiņas vienā solī: {}";
    StoreConflict: "{} {} was changed by {} at {} since you opened it; nothing was saved. Look at it again and repeat your change.", "{} {} kopš atvēršanas mainīja {} plkst. {}; nekas netika saglabāts. Apskatiet to vēlreiz un atkārtojiet izmaiņu.";
    StoreServer: "The atbalsts server of {} did not answer ({}); nothing was confirmed. Try again; `atbalsts server status` tells whether it runs.", "Datubāzes {} atbalsts serveris neatbildēja ({}); nekas netika apstiprināts. Mēģiniet vēlreiz; `atbalsts server status` parāda, vai tas darbojas.";
    AlreadyInBy: "{} was already checked in by {} at {}", "{} jau atzīmēja {} plkst. {}";
    ServeOpenDir: "The database directory {} can be read or written by other accounts; the server will not run on it. Fix it with `{}` (a team shares it through its group instead: see the README).", "Datubāzes mapi {} var lasīt vai rakstīt citi konti; serveris tajā nedarbosies. Izlabojiet ar `{}` (komanda to koplieto caur grupu: sk. README).";
    ServerVersion: "The atbalsts server of {} is version {}, this program is {}. Stop it with `atbalsts server stop` (screens attached to it reconnect) and try again.", "Datubāzes {} atbalsts servera versija ir {}, šīs programmas {}. Apturiet to ar `atbalsts server stop` (pievienotie ekrāni savienosies no jauna) un mēģiniet vēlreiz.";
    ServerForeign: "No server runs for the database {}, and it belongs to {}: the account {} starts none there (its files would lock the owner out). Run the command as {} (e.g. `runuser -u {} -- atbalsts …`), or start the database's server as its owner first.", "Datubāzei {} nedarbojas serveris, un tā pieder kontam {}: konts {} tur serveri nepalaiž (tā faili bloķētu īpašnieku). Izpildiet komandu kā {} (piem., `runuser -u {} -- atbalsts …`) vai vispirms palaidiet datubāzes serveri kā tās īpašnieks.";
    DbForeign: "The database {} belongs to {}: the account {} does not open it itself (its files would lock the owner out). Leave out --no-server to go through its server, or run the command as {}.", "Datubāze {} pieder kontam {}: konts {} to pats neatver (tā faili bloķētu īpašnieku). Izlaidiet --no-server, lai strādātu caur serveri, vai izpildiet komandu kā {}.";
    ErrDbPermission: "No permission to use the database {} (owned by {}): ask its owner to add this account ({}) to the database's group, or run the command as {}.", "Nav atļaujas izmantot datubāzi {} (īpašnieks {}): lūdziet īpašniekam pievienot šo kontu ({}) datubāzes grupai vai izpildiet komandu kā {}.";
    ServerTooMany: "The account {} holds as many connections to the server of {} as it may ({}): close a screen or wait for a command to end, then try again.", "Kontam {} jau ir tik savienojumu ar datubāzes {} serveri, cik atļauts ({}): aizveriet kādu ekrānu vai pagaidiet, līdz komanda beidzas, un mēģiniet vēlreiz.";
    ServerNotAllowed: "The account {} may not use the database {}: ask its owner to add the account to the database's access list (a line in the file atbalsts.access in that directory).", "Kontam {} nav piekļuves datubāzei {}: lūdziet tās īpašniekam pievienot kontu datubāzes piekļuves sarakstam (rindu failā atbalsts.access šajā mapē).";
    ServerNotAllowedGroup: "The account {} may not use the database {}: ask to be added to the group {} (then log in again), or to the database's access list (the file atbalsts.access in that directory).", "Kontam {} nav piekļuves datubāzei {}: lūdziet pievienot jūs grupai {} (pēc tam pieslēdzieties no jauna) vai datubāzes piekļuves sarakstam (failā atbalsts.access šajā mapē).";
    ServerNoStart: "Could not start the atbalsts server of {}: {}", "Neizdevās palaist datubāzes {} atbalsts serveri: {}";
    ServerNotRunning: "No atbalsts server runs for {}.", "Datubāzei {} nedarbojas atbalsts serveris.";
    ServerHeldWithout: "another atbalsts process has the database open without the server (started with --no-server); close it and try again", "cits atbalsts process datubāzi atvēris bez servera (ar --no-server); aizveriet to un mēģiniet vēlreiz";
    ServerUnconfirmed: "the server stopped before it confirmed this change; look whether it was saved before repeating it", "serveris apstājās, pirms apstiprināja šo izmaiņu; pirms atkārtošanas pārbaudiet, vai tā saglabājās";
    ServerStopped: "Stopped the atbalsts server (pid {}) of {}.", "Apturēts datubāzes atbalsts serveris (pid {}) {}.";
    ServerStatusLine: "Server of {}: pid {}, version {}, up {}. Attached:", "Datubāzes {} serveris: pid {}, versija {}, darbojas {}. Pievienoti:";
    ServerRoleScreen: "screen", "ekrāns";
    ServerRoleCommand: "command", "komanda";
    ServerPeers: "also here: {}", "arī šeit: {}";
    ServerLost: "Connection to the atbalsts server lost; reconnecting… (what you type is kept)", "Savienojums ar atbalsts serveri zudis; savienojas no jauna… (ievadītais saglabājas)";
    ServerBack: "Connected to the atbalsts server again; the data is up to date.", "Savienojums ar atbalsts serveri atjaunots; dati ir aktuāli.";
    // --- daily use (issue 13): desk, selection, forms, CLI
    ProblemHoursOverLength: "is more than the event lasts (an academic hour is 45 minutes); lower the hours or change the times", "pārsniedz pasākuma ilgumu (akadēmiskā stunda ir 45 minūtes); samaziniet stundas vai mainiet laikus";
    DeskCancelled: "This event is cancelled.", "Šis pasākums ir atcelts.";
    DeskNotToday: "It is on {}, not today.", "Tas notiek {}, nevis šodien.";
    DeskCancelledShort: "CANCELLED", "ATCELTS";
    DeskNotTodayShort: "not today", "nav šodien";
    AskDeskAnyway: "{} Check people in anyway?", "{} Tomēr atzīmēt ierašanos?";
    ErrNoDatabase: "No database at {}; create one with `atbalsts init{}` (or check the path).", "Datubāze {} nav atrasta; izveidojiet to ar `atbalsts init{}` (vai pārbaudiet ceļu).";
    AskCreateDb: "No database at {}. Create a new, empty one there? [y/N] ", "Datubāze {} nav atrasta. Izveidot tur jaunu, tukšu? [j/N] ";
    HintDetail: "detail", "detaļas";
    DetailKeys: "↑↓ PgUp PgDn scroll · {} or Esc back", "↑↓ PgUp PgDn ritināt · {} vai Esc atpakaļ";
    RosterEmpty: "Nobody registered yet: {} adds a person, {} opens the check-in desk.", "Vēl neviens nav reģistrēts: {} pievieno dalībnieku, {} atver ierašanās atzīmēšanu.";
    PaletteDeleteView: "delete this saved view", "dzēst šo saglabāto skatu";
    PaletteRenameView: "rename a saved view: view rename OLD = NEW", "pārdēvēt saglabātu skatu: view rename VECAIS = JAUNAIS";
    ViewDeleted: "Deleted the view '{}'.", "Skats '{}' dzēsts.";
    ViewRenamed: "Renamed the view '{}' to '{}'.", "Skats '{}' pārdēvēts par '{}'.";
    ViewNoSuch: "No saved view '{}' (: lists them).", "Nav saglabāta skata '{}' (: tos parāda).";
    ViewRenameHow: "Say the new name: view rename {} = NEW", "Norādiet jauno nosaukumu: view rename {} = JAUNAIS";
    DeskTypeName: "Type a name first (or choose someone with ↑↓); nobody was checked in.", "Vispirms ierakstiet vārdu (vai izvēlieties ar ↑↓); neviens netika atzīmēts.";
    // --- data safety: erasure, compaction, retention, permissions, damage
    AskEraseKeep: "Erase {}? Name, contact details and notes are removed for good; their {} attendance rows stay without the person, so the indicators do not change. (u undoes it in this session.)", "Dzēst {}? Vārds, kontaktinformācija un piezīmes tiks dzēsti neatgriezeniski; personas apmeklējuma ieraksti ({}) paliek bez vārda, tāpēc rādītāji nemainās. (Šajā sesijā to var atsaukt ar u.)";
    ErasedRewriteOwed: "Erased: no name or contact is left in the data of {}, but its old files still hold them, because they could not be rewritten ({}). Free space: the server rewrites them by itself, as does the next start (or run `atbalsts compact`).", "Dzēsts: datubāzes {} datos nepaliek ne vārds, ne kontaktinformācija, taču vecajos failos tie vēl ir, jo failus neizdevās pārrakstīt ({}). Atbrīvojiet vietu: serveris tos pārrakstīs pats, tāpat nākamā palaišana (vai izpildiet `atbalsts compact`).";
    ReasonDiskFull: "the disk is full", "disks ir pilns";
    ErasedKeep: "Erased {}: no name or contact is left in the database files; {} attendance rows stay without the person.", "Dzēsts {}: datubāzes failos nepaliek ne vārds, ne kontaktinformācija; {} apmeklējuma ieraksti paliek bez personas.";
    EraseWouldKeep: "This would erase {} (name, contact details, notes; {} attendance rows stay without the person, so the indicators do not change); nothing was changed. Run again with --yes: {}", "Tiktu dzēsts {} (vārds, kontaktinformācija, piezīmes; {} apmeklējuma ieraksti paliek bez personas, tāpēc rādītāji nemainās); nekas netika mainīts. Palaidiet vēlreiz ar --yes: {}";
    ErrNoRetentionOrId: "Say whom to erase: a participant's id (atbalsts erase 12 --yes) or --retention YEARS.", "Norādiet, ko dzēst: dalībnieka id (atbalsts erase 12 --yes) vai --retention GADI.";
    RetentionPreview: "{} participants have had no event for {} years (nothing since before {}):", "{} dalībniekiem {} gadus nav bijis neviena pasākuma (nekā kopš {}):";
    RetentionRun: "Nothing was changed. To erase them: atbalsts erase --retention {} --yes", "Nekas netika mainīts. Lai tos dzēstu: atbalsts erase --retention {} --yes";
    RetentionNone: "No participant has gone {} years without an event; nothing to erase.", "Nevienam dalībniekam {} gadus nav bijis bez pasākumiem; nav ko dzēst.";
    RetentionDone: "Erased {} participants with no event for {} years; the database files were rewritten.", "Dzēsti {} dalībnieki bez pasākumiem {} gadus; datubāzes faili pārrakstīti.";
    Compacted: "Rewrote the database into fresh files in {:.1} s ({} keys; {} KiB before, {} KiB after): removed and changed values are gone from its files.", "Datubāze pārrakstīta jaunos failos {:.1} s ({} atslēgas; pirms {} KiB, pēc {} KiB): dzēstās un mainītās vērtības no failiem ir pazudušas.";
    DbDirOpen: "The database directory {} can be read or changed by other users (mode {}); it is not used. Make it private: chmod 700 {} (or share it with one group on purpose: chgrp GROUP {} && chmod 2770 {}).", "Datubāzes mapi {} var lasīt vai mainīt citi lietotāji (režīms {}); tā netiek lietota. Padariet to privātu: chmod 700 {} (vai apzināti kopīgojiet ar vienu grupu: chgrp GRUPA {} && chmod 2770 {}).";
    DbDirTeam: "Team database: {} is shared with group {} (setgid directory); its files are kept readable and writable by that group only.", "Komandas datubāze: {} ir kopīga grupai {} (setgid mape); tās failus var lasīt un mainīt tikai šī grupa.";
    StoreDamaged: "The database in {} is damaged: sled cannot read {}. Nothing was changed. Restore the directory from a backup, or move it aside and start again with atbalsts init.", "Datubāze mapē {} ir bojāta: sled nevar nolasīt {}. Nekas netika mainīts. Atjaunojiet mapi no rezerves kopijas vai pārvietojiet to citur un sāciet no jauna ar atbalsts init.";
    ErrNoEvent: "No event with id {}. `atbalsts list events` shows the ids.", "Nav pasākuma ar id {}. Identifikatorus rāda `atbalsts list events`.";
    // --- indicators, sources of figures and the report for the lead agency (issue 12)
    SrcNotGiven: "not given", "nav dota";
    SrcDocuments: "from the documents", "no dokumentiem";
    SrcProject: "set by the project", "noteikta projektā";
    SrcAssumed: "assumed", "pieņemts";
    DetInDatabase: "in the database: {} ({} of {})", "datubāzē: {} ({} no {})";
    DetCoveredOf: "{} of {}", "{} no {}";
    DetOfficial: "Total", "Kopskaits";
    DetYears: "By year", "Pa gadiem";
    YearSoFar: "{} so far", "{} līdz šim";
    ProjectEndNote: "the project's end", "projekta beigas";
    DefAnyActivity: "any activity line", "jebkura darbība";
    DefNobody: "nobody excluded", "neviens";
    DefProgramme: "events of the programme \"{}\"", "programmas „{}“ pasākumi";
    DefDesignated: "{} designated events", "norādītie pasākumi: {}";
    RepTitle: "Result indicators", "Sasniedzamie rezultāti (rādītāji)";
    RepProject: "Project", "Projekts";
    RepNumber: "Project no.", "Projekta Nr.";
    RepPeriod: "Period", "Īstenošanas periods";
    RepPartner: "Reported by", "Atskaiti sagatavo";
    RepAsOf: "As of", "Stāvoklis uz";
    RepFunding: "Funding", "Finansējums";
    RepFundingParts: "{} (ESF+ {}, state budget {})", "{} (ESF+ {}, valsts budžets {})";
    RepEsf: "The project is co-funded by the European Social Fund Plus.", "Projekts tiek līdzfinansēts no Eiropas Sociālā fonda Plus finanšu līdzekļiem";
    ColNo: "No.", "Nr.";
    ColOfficial: "Total", "Kopskaits";
    ColInDatabase: "In the database", "Datubāzē";
    ColTargetSource: "Target source", "Mērķa v. avots";
    ColBaselineShort: "Baseline", "Bāzes v.";
    ColYears: "By year", "Pa gadiem";
    ColReached: "Reached", "Sasniegts";
    DetStage: "Stage", "Posms";
    DetDocuments: "Partnership documents ({})", "Sadarbības dokumenti ({})";
    DetDocNumber: "No. {}", "Nr. {}";
    DetDocProtocol: "protocol No. {}", "protokols Nr. {}";
    DetDocParties: "parties: {}", "puses: {}";
    DetDocFile: "file: {}", "fails: {}";
    DetFounder: "Founder", "Dibinātājs";
    DetPeriod: "Partner's period", "Partnera periods";
    DetYearsFunding: "Funding by year", "Finansējums pa gadiem";
    DetYearLine: "{}: planned {}, received {}, spent {}, pre-financing owed {}, teachers {}", "{}: plānots {}, saņemts {}, izlietots {}, priekšfinansējums {}, pedagogi {}";
    ErrNoOrganisation: "No organisation with id {}. `atbalsts list organisations` shows the ids.", "Nav organizācijas ar id {}. Identifikatorus rāda `atbalsts list organisations`.";
    // --- import/export (files in and out: src/io/import, export, sheet, backup)
    ImpErrRead: "Cannot read {}: {}. Nothing was imported.", "Nevar nolasīt {}: {}. Nekas netika importēts.";
    ImpErrEmpty: "{} is empty: there are no rows to import.", "{} ir tukšs: nav rindu, ko importēt.";
    ImpErrNotATable: "{} is not a table: nothing was imported. Save the list as CSV or Excel (.xlsx) and try again.", "{} nav tabula: nekas netika importēts. Saglabājiet sarakstu kā CSV vai Excel (.xlsx) failu un mēģiniet vēlreiz.";
    ImpErrCsv: "{} is not readable CSV: {}. Nothing was imported.", "{} nav nolasāms CSV: {}. Nekas netika importēts.";
    ImpErrSpreadsheet: "{} is not a readable spreadsheet: {}. Nothing was imported.", "{} nav nolasāma izklājlapa: {}. Nekas netika importēts.";
    ImpErrNoSheet: "{} has no sheet '{}'; its sheets are: {}", "{} nav lapas '{}'; tajā ir lapas: {}";
    ImpErrNoNameColumn: "{}: no column with people's names. Columns found: {}. Say which column is which with --map COLUMN=FIELD (fields: {}).", "{}: nav kolonnas ar personu vārdiem. Atrastās kolonnas: {}. Norādiet kolonnas ar --map KOLONNA=LAUKS (lauki: {}).";
    ImpErrFileTooBig: "{} is {}, more than the {} a file to import may be. Nothing was imported.", "{} ir {} liels, vairāk nekā {}, ko var importēt no viena faila. Nekas netika importēts.";
    ImpErrRowTooLong: "{}: row {} is longer than the limit of {}. Nothing was imported.", "{}: {}. rinda ir garāka par pieļaujamo {}. Nekas netika importēts.";
    ImpErrCellTooLong: "{}: the cell in row {}, column {} is longer than the limit of {}. Nothing was imported.", "{}: šūna {}. rindā, {}. kolonnā ir garāka par pieļaujamo {}. Nekas netika importēts.";
    ImpErrTooManyRows: "{} has more than {} rows (row {} is past the limit). Nothing was imported; split the list into smaller files.", "{} ir vairāk nekā {} rindu ({}. rinda ir pāri robežai). Nekas netika importēts; sadaliet sarakstu mazākos failos.";
    ImpErrTooManyColumns: "{}: row {} has more than {} columns. Nothing was imported.", "{}: {}. rindā ir vairāk nekā {} kolonnu. Nekas netika importēts.";
    ImpErrTooManyParts: "{} cannot be read: it is a zip of more than {} parts (a spreadsheet has a few dozen). Nothing was imported.", "{} nevar nolasīt: tas ir ZIP ar vairāk nekā {} daļām (izklājlapā to ir daži desmiti). Nekas netika importēts.";
    ImpErrPartTooBig: "{} cannot be read: its part {} unpacks to {}, more than the limit of {}. Nothing was imported.", "{} nevar nolasīt: tā daļa {} izpakota ir {}, vairāk par pieļaujamo {}. Nekas netika importēts.";
    ImpErrZipBomb: "{} looks like a zip bomb: its part {} grows {} times when unpacked (the limit is {} times). Nothing was imported.", "{} izskatās pēc ZIP bumbas: tā daļa {} izpakojot pieaug {} reizes (pieļaujams ir {} reizes). Nekas netika importēts.";
    ImpErrUndecodable: "{}: row {} has bytes that are not {}. Nothing was imported. If the file was saved in another encoding, give that encoding (for example windows-1257).", "{}: {}. rindā ir baiti, kas nav {}. Nekas netika importēts. Ja fails saglabāts citā kodējumā, norādiet to (piemēram, windows-1257).";
    ImpErrEncoding: "unknown encoding '{}'; use utf-8, windows-1257 or windows-1252", "nezināms kodējums '{}'; lietojiet utf-8, windows-1257 vai windows-1252";
    ImpErrMap: "--map {}: expected COLUMN=FIELD with FIELD one of: {}", "--map {}: vajag KOLONNA=LAUKS, kur LAUKS ir viens no: {}";
    ImpErrRole: "--role {}: expected one of: {}", "--role {}: vajag vienu no: {}";
    ImpRead: "Read {} ({}), rows: {}", "Nolasīts {} ({}), rindu skaits: {}";
    ImpColumns: "Columns: {}", "Kolonnas: {}";
    ImpNewPeople: "New people: {}", "Jauni dalībnieki: {}";
    ImpMatchedPeople: "Already in the database (matched): {}", "Jau ir datubāzē (atrasti): {}";
    ImpRepeatedRows: "Rows naming a person an earlier row named: {}", "Rindas ar personu, kas jau bija iepriekšējā rindā: {}";
    ImpRegistrations: "New registrations: {} (already registered: {})", "Jaunas reģistrācijas: {} (jau reģistrēti: {})";
    ImpNewInstitutions: "New institutions: {} ({})", "Jaunas izglītības iestādes: {} ({})";
    ImpUnknownInstitutions: "Unknown institutions (their rows are rejected; add them first, or import with --create-institutions): {}", "Nezināmas izglītības iestādes (to rindas noraidītas; vispirms pievienojiet tās vai importējiet ar --create-institutions): {}";
    ImpRejected: "Rejected rows: {}", "Noraidītās rindas: {}";
    ImpRejectedRow: "  row {}: {}: {}", "  {}. rinda: {}: {}";
    ImpRejectedRowEmpty: "  row {}: {}", "  {}. rinda: {}";
    ImpColFullName: "given name and surname", "vārds, uzvārds";
    ImpColGivenName: "given name", "vārds";
    ImpColSurname: "surname", "uzvārds";
    ImpColEmail: "email", "e-pasts";
    ImpColPhone: "phone", "tālrunis";
    ImpColInstitution: "institution", "izglītības iestāde";
    ImpColMunicipality: "municipality", "pašvaldība";
    ImpColRole: "role", "amats";
    ImpColSubjects: "subjects", "mācību priekšmeti";
    ImpColGender: "gender", "dzimums";
    ImpColNotes: "notes", "piezīmes";
    ImpColIgnore: "not read", "netiek lasīta";
    ImpDryRun: "Dry run: nothing was written. Run again without --dry-run to import.", "Izmēģinājums: nekas netika ierakstīts. Lai importētu, palaidiet vēlreiz bez --dry-run.";
    ImpCommitted: "Imported as one change.", "Importēts kā viena izmaiņa.";
    ImpNothingToDo: "Nothing to import: everyone is already in the database.", "Nav ko importēt: visi jau ir datubāzē.";
    ImpWhyMissingName: "given name or surname missing", "trūkst vārda vai uzvārda";
    ImpWhyTooLong: "a value is too long", "vērtība ir par garu";
    ImpWhyBadEmail: "not an email address", "nav e-pasta adrese";
    ImpWhyBadPhone: "not a phone number", "nav tālruņa numurs";
    ImpWhyUnknownRole: "unknown role (position)", "nezināms amats";
    ImpWhyUnknownGender: "unknown gender", "nezināms dzimums";
    ImpWhyUnknownInstitution: "unknown institution", "nezināma izglītības iestāde";
    ExpErrFormatMismatch: "{} does not end in .{}: give a matching file name or --format", "{} nebeidzas ar .{}: norādiet atbilstošu faila nosaukumu vai --format";
    ExpErrCsvOption: "'{}' is not a CSV delimiter or encoding: use --delimiter ';' ',' or tab, --encoding utf-8-bom, utf-8, windows-1257 or windows-1252", "'{}' nav CSV atdalītājs vai kodējums: lietojiet --delimiter ';' ',' vai tab, --encoding utf-8-bom, utf-8, windows-1257 vai windows-1252";
    ExpErrXlsxTerminal: "XLSX is not for the terminal: write it to a file with -o FILE.xlsx", "XLSX nav paredzēts terminālim: ierakstiet to failā ar -o FAILS.xlsx";
    ExpErrExtension: "unknown file type .{} (use .csv, .xlsx, .json or .md)", "nezināms faila tips .{} (lietojiet .csv, .xlsx, .json vai .md)";
    SheetWhen: "Date: {} · Time: {}", "Datums: {} · Laiks: {}";
    SheetPlaceHours: "Place: {} · Hours: {}", "Vieta: {} · Stundas: {}";
    SheetOnline: "online", "tiešsaistē";
    SheetNo: "No.", "Nr.";
    SheetName: "Name, surname", "Vārds, uzvārds";
    SheetInstitution: "Institution", "Izglītības iestāde";
    SheetSignature: "Signature", "Paraksts";
    SheetPage: "Page {} of {}", "{}. lapa no {}";
    SheetProjectNo: "No. {}", "Nr. {}";
    SheetFunding: "The project is co-funded by the European Social Fund Plus.", "Projekts tiek līdzfinansēts no Eiropas Sociālā fonda Plus finanšu līdzekļiem.";
    SheetWritten: "Wrote the sign-in sheet of \"{}\" ({} rows) to {}", "Pasākuma „{}” dalībnieku saraksts parakstīšanai ({} rindas) ierakstīts: {}";
    SheetErrWrite: "Could not write the sheet {}: {}", "Nevarēja ierakstīt sarakstu {}: {}";
    ExpErrEventKind: "--event goes with participants or attendance", "--event der tikai dalībniekiem vai apmeklējumam";
    ImpWhyAmbiguousInstitution: "several organisations have this name; add a municipality column", "vairākām organizācijām ir šāds nosaukums; pievienojiet pašvaldības kolonnu";
    // --- daily2: Latvian output (number agreement, filter errors), history lines (issue 13)
    FltNoMunicipality: "no municipality matches '{}'", "nav pašvaldības, kas atbilst '{}'";
    FltNoOrganisation: "no organisation matches '{}'", "nav organizācijas, kas atbilst '{}'";
    FltOnlyHoursCompares: "'{}' takes ':' (only hours compare: hours<36)", "'{}' lieto ar ':' (salīdzināt var tikai stundas: stundas<36)";
    FltMissingValue: "the value is missing", "trūkst vērtības";
    FltNoSuchValue: "no {} '{}'; one of: {}", "{}: nav vērtības '{}'; iespējamās: {}";
    FltYesNo: "expected yes or no (jā or nē)", "vajag jā vai nē";
    FltDate: "expected a date like 2025-03-01 or 01.03.2025", "vajag datumu, piem. 01.03.2025 vai 2025-03-01";
    FltHours: "expected a number of hours, e.g. hours<36", "vajag stundu skaitu, piem. stundas<36";
    FltUnknownField: "unknown field '{}'; this list takes: {}", "nezināms lauks '{}'; šajā sarakstā var lietot: {}";
    FltNotHere: "'{}' does not apply here; this list takes: {}", "'{}' šeit neder; šajā sarakstā var lietot: {}";
    HoursShort: "{} h", "{} st.";
    // --- actions: what each does (help, palette) and the palette's command words
    ActQuit: "Quit", "Iziet";
    ActHelp: "Show this help", "Rādīt palīdzību";
    ActClose: "Close", "Aizvērt";
    ActPanePartners: "Go to Partners", "Uz Partneriem";
    ActPaneEvents: "Go to Events", "Uz Pasākumiem";
    ActPaneParticipants: "Go to Participants", "Uz Dalībniekiem";
    ActPaneIndicators: "Go to Indicators", "Uz Rādītājiem";
    ActNextPane: "Next pane", "Nākamais panelis";
    ActPrevPane: "Previous pane", "Iepriekšējais panelis";
    ActMoveUp: "Up one row", "Rindu augšup";
    ActMoveDown: "Down one row", "Rindu lejup";
    ActPageUp: "Up one page", "Lapu augšup";
    ActPageDown: "Down one page", "Lapu lejup";
    ActFirst: "First row", "Pirmā rinda";
    ActLast: "Last row", "Pēdējā rinda";
    ActFilter: "Filter this list (text and field:value)", "Filtrēt sarakstu (teksts un lauks:vērtība)";
    ActFilterAccept: "Keep the filter, back to the list", "Paturēt filtru, atpakaļ uz sarakstu";
    ActFilterClear: "Clear the filter", "Notīrīt filtru";
    ActDeleteBack: "Delete a character", "Dzēst rakstzīmi";
    ActDeleteWord: "Delete a word", "Dzēst vārdu";
    ActClearLine: "Clear the line", "Notīrīt rindu";
    ActPalette: "Command palette: every command by name", "Komandu palete: visas komandas pēc nosaukuma";
    ActRun: "Run / confirm / next field", "Izpildīt / apstiprināt / nākamais lauks";
    ActAdd: "Add a record (Indicators: a value by hand)", "Pievienot ierakstu (Rādītāji: manuāli ievadītu vērtību)";
    ActEdit: "Edit the chosen record", "Labot izvēlēto ierakstu";
    ActDelete: "Delete the chosen record (asks first)", "Dzēst izvēlēto ierakstu (vispirms jautā)";
    ActUndo: "Undo my last change", "Atsaukt manu pēdējo izmaiņu";
    ActCheckIn: "Check-in desk of the chosen event", "Izvēlētā pasākuma ierašanās atzīmēšana";
    ActAttendance: "Attendance list of the chosen event", "Izvēlētā pasākuma apmeklējuma saraksts";
    ActDeleteForward: "Delete the character under the cursor", "Dzēst rakstzīmi zem kursora";
    ActKillToEnd: "Delete to the end of the line", "Dzēst līdz rindas beigām";
    ActCursorLeft: "Cursor left / previous choice", "Kursors pa kreisi / iepriekšējā izvēle";
    ActCursorRight: "Cursor right / next choice", "Kursors pa labi / nākamā izvēle";
    ActLineStart: "Start of the line", "Rindas sākums";
    ActLineEnd: "End of the line", "Rindas beigas";
    ActNextField: "Next field", "Nākamais lauks";
    ActPrevField: "Previous field", "Iepriekšējais lauks";
    ActSave: "Save the form", "Saglabāt formu";
    ActYes: "Yes", "Jā";
    ActNo: "No", "Nē";
    ActWalkIn: "Walk-in: add a new participant and check them in", "Bez pieteikuma: pievienot jaunu dalībnieku un atzīmēt";
    ActToggleAttended: "Attended / not yet (tick)", "Ieradās / vēl ne (atzīmēt)";
    ActMarkAbsent: "Mark absent", "Atzīmēt: neieradās";
    ActMarkExcused: "Mark excused", "Atzīmēt: attaisnots";
    ActMarkRestAbsent: "Everyone not checked in: absent (asks first)", "Visi neatzīmētie: neieradās (vispirms jautā)";
    ActHistory: "History: every change, who made it and when (undos too)", "Vēsture: katra izmaiņa, kurš un kad to veica (arī atsauktās)";
    ActOpenGaps: "Open the organisations an indicator still misses", "Atvērt organizācijas, kuras rādītājam vēl trūkst";
    ActDetail: "The detail over the whole screen, scrollable (again or Esc: back)", "Detaļas visā ekrānā, ritināmas (vēlreiz vai Esc: atpakaļ)";
    CmdPanePartners: "goto partners", "uz partneriem";
    CmdPaneEvents: "goto events", "uz pasākumiem";
    CmdPaneParticipants: "goto participants", "uz dalībniekiem";
    CmdPaneIndicators: "goto indicators", "uz rādītājiem";
    CmdFilter: "filter", "filtrēt";
    CmdAdd: "add", "pievienot";
    CmdEdit: "edit", "labot";
    CmdDelete: "delete", "dzēst";
    CmdUndo: "undo", "atsaukt";
    CmdCheckIn: "check-in desk", "ierašanās atzīmēšana";
    CmdAttendance: "attendance list", "apmeklējuma saraksts";
    CmdOpenGaps: "gaps of indicator", "rādītāja trūkumi";
    CmdHistory: "history", "vēsture";
    CmdNextPane: "next pane", "nākamais panelis";
    CmdPrevPane: "previous pane", "iepriekšējais panelis";
    CmdFirst: "first row", "pirmā rinda";
    CmdLast: "last row", "pēdējā rinda";
    CmdHelp: "help", "palīdzība";
    CmdQuit: "quit", "iziet";
    CmdAsOf: "asof", "uz datumu";
    CmdExport: "export", "eksports";
    CmdView: "view", "skats";
    CmdViewSave: "view save", "skats saglabāt";
    CmdViewDelete: "view delete", "skats dzēst";
    CmdViewRename: "view rename", "skats pārdēvēt";
    CmdNewIndicator: "new indicator", "jauns rādītājs";
    CmdDate: "DATE", "DATUMS";
    CmdFile: "FILE", "FAILS";
    CmdName: "NAME", "NOSAUKUMS";
    // --- indicator status (quality: worded here, mapped by indicators::Status)
    IndStatusMet: "met", "sasniegts";
    IndStatusOnTrack: "on track", "atbilst plānam";
    IndStatusAtRisk: "at risk", "apdraudēts";
    IndStatusOverdue: "overdue", "nokavēts";
    IndStatusNotMet: "not met", "nav sasniegts";
    IndStatusOpen: "open (no deadline)", "procesā (bez termiņa)";
    IndStatusMetLate: "met late", "sasniegts ar nokavējumu";
    IndStatusNoTarget: "no target given", "mērķa vērtība nav dota";
    BackupDone: "Backed up {} records ({} people, {} attendance rows) and {} change-log entries to {}", "Rezerves kopijā saglabāti {} ieraksti ({} dalībnieki, {} apmeklējuma rindas) un {} izmaiņu žurnāla ieraksti: {}";
    BackupErrWrite: "Could not write the backup {}: {}", "Nevarēja ierakstīt rezerves kopiju {}: {}";
    RestoreErrRead: "Cannot read {}: {}. Nothing was restored.", "Nevar nolasīt {}: {}. Nekas netika atjaunots.";
    RestoreErrBad: "{} cannot be restored: {}. Nothing was written.", "{} nevar atjaunot: {}. Nekas netika ierakstīts.";
    RestoreErrLine: "{} cannot be restored, line {}: {}. Nothing was written.", "{} nevar atjaunot, {}. rinda: {}. Nekas netika ierakstīts.";
    RestoreErrInUse: "The database {} is in use (its server or a screen has it open). Restoring needs it free: stop the server with `atbalsts server stop{}`, close the screens on it, and try again.", "Datubāze {} ir aizņemta (to lieto tās serveris vai atvērts ekrāns). Atjaunošanai tai jābūt brīvai: apturiet serveri ar `atbalsts server stop{}`, aizveriet ekrānus un mēģiniet vēlreiz.";
    RestoreErrNotEmpty: "The database {} already holds data ({} records): nothing was restored. Restore into a new directory, or replace its contents with `atbalsts restore {} --force{}`.", "Datubāzē {} jau ir dati ({} ieraksti): nekas netika atjaunots. Atjaunojiet jaunā mapē vai aizstājiet tās saturu ar `atbalsts restore {} --force{}`.";
    RestoreDone: "Restored {} records ({} organisations, {} events, {} people, {} attendance rows, {} indicators) and {} change-log entries from the backup of {} into {}", "Atjaunoti {} ieraksti ({} organizācijas, {} pasākumi, {} dalībnieki, {} apmeklējuma rindas, {} rādītāji) un {} izmaiņu žurnāla ieraksti no {} rezerves kopijas: {}";
    DupNone: "No probable duplicates.", "Iespējamu dublikātu nav.";
    DupGroups: "Probable duplicates: {} groups", "Iespējamie dublikāti: {} grupas";
    DupSameEmail: "same email", "tas pats e-pasts";
    DupSameName: "same name at the same institution", "tas pats vārds tajā pašā iestādē";
    DupCloseName: "very close names at the same institution", "ļoti līdzīgi vārdi tajā pašā iestādē";
    DupRows: "{} attendance rows", "apmeklējuma rindas: {}";
    DupHowToMerge: "Merge two of them (the first id stays): atbalsts merge KEEP OTHER{}", "Apvienot divus no tiem (paliek pirmais id): atbalsts merge PALIEK DZĒŠ{}";
    MergeErrSame: "{} and {} are the same person: give two different ids", "{} un {} ir viena persona: norādiet divus dažādus id";
    MergeWould: "Would merge {} {} into {} {}: {} attendance rows move, {} events both have are joined (the better status and the earlier check-in stay), fields filled: {}; then the first person is deleted. Nothing was changed.", "Tiktu apvienots {} {} ar {} {}: pārceltas apmeklējuma rindas: {}, apvienoti abu pasākumi: {} (paliek labākais statuss un agrākā reģistrēšanās), aizpildīti lauki: {}; pēc tam pirmā persona tiek dzēsta. Nekas netika mainīts.";
    MergeRun: "To merge: atbalsts merge {} {} --yes{}", "Lai apvienotu: atbalsts merge {} {} --yes{}";
    MergeDone: "Merged {} {} into {} {}: {} attendance rows moved, {} events both had joined, fields filled: {} (one change).", "{} {} apvienots ar {} {}: pārceltas apmeklējuma rindas: {}, apvienoti abu pasākumi: {}, aizpildīti lauki: {} (viena izmaiņa).";
    // --- imcli: progress bars, undo of big imports, restore's log entry (issue 11)
    ChangeUnimported: "took back an import ({} records)", "atsaukts imports (noņemti ieraksti: {})";
    NoteFileFailed: "Note: {} was written, but the database could not note it among the files that hold people's data ({}).", "Piezīme: {} ir ierakstīts, taču datubāze to nevarēja atzīmēt starp failiem, kuros ir personu dati ({}).";
    ErasedFilesMayHold: "Files written since they were added may still hold them; delete or replace them: {}", "Faili, kas ierakstīti kopš personas pievienošanas, to vēl var saturēt; izdzēsiet vai aizstājiet tos: {}";
    RestoreErasedAgain: "Erased again: {} people erased in this database after the backup was made (participants {}); they stay forgotten and the change log keeps the record of it.", "Atkārtoti dzēsti: {} cilvēki, kas šajā datubāzē dzēsti pēc rezerves kopijas izveides (dalībnieki {}); viņi paliek aizmirsti, un izmaiņu žurnālā saglabājas ieraksts par to.";
    LogErased: "erased for good: {}", "neatgriezeniski dzēsts: {}";
    LogWrote: "wrote {}: {}", "ierakstīts fails ({}): {}";
    FileBackup: "a backup", "rezerves kopija";
    FileExport: "an export", "eksports";
    FileSheet: "a sign-in sheet", "reģistrācijas lapa";
    LogRestored: "restored the whole database from a backup ({} records): {}", "visa datubāze atjaunota no rezerves kopijas (ieraksti: {}): {}";
    ProgReading: "Reading the file", "Lasa failu";
    ProgPlanning: "Matching rows", "Salīdzina rindas";
    ProgSaving: "Saving to the database", "Saglabā datubāzē";
    ProgWriting: "Writing rows", "Raksta rindas";
    ProgPacking: "Packing the file", "Saspiež failu";
    ProgBackingUp: "Backing up", "Veido rezerves kopiju";
    ProgRestoring: "Reading the backup", "Lasa rezerves kopiju";
    ProgGenerating: "Generating records", "Veido ierakstus";
    // --- imscreen: import and duplicates in the screen (src/tui/import.rs, src/tui/dups.rs)
    ActImport: "Import participants from a CSV or Excel file (on an event: register them for it)", "Importēt dalībniekus no CSV vai Excel faila (pasākumā: arī reģistrēt tam)";
    ActDuplicates: "Probable duplicate people: merge or skip", "Iespējamie dalībnieku dublikāti: apvienot vai izlaist";
    ActSkip: "Skip this pair (not one person)", "Izlaist šo pāri (nav viena persona)";
    ActSwap: "Swap which of the pair stays", "Mainīt, kurš no pāra paliek";
    CmdImport: "import", "imports";
    CmdDuplicates: "duplicates", "dublikāti";
    HelpContextReview: "Import preview and duplicates", "Importa priekšskatījums un dublikāti";
    ImsTitle: "Import participants", "Dalībnieku imports";
    ImsInto: "Everyone is also registered for: {}", "Visi tiek arī reģistrēti pasākumam: {}";
    ImsNoEvent: "People only (to register them for an event too, start the import on that event in Events)", "Tikai dalībnieki (lai tos arī reģistrētu pasākumam, sāciet importu uz šī pasākuma sadaļā Pasākumi)";
    ImsFile: "File (CSV or Excel):", "Fails (CSV vai Excel):";
    ImsPathKeys: "{} completes the name · {} reads the file (nothing is written yet) · {} cancels", "{} papildina nosaukumu · {} nolasa failu (vēl nekas netiek ierakstīts) · {} atceļ";
    ImsNeedPath: "Type the path of a CSV or Excel file.", "Ierakstiet CSV vai Excel faila ceļu.";
    ImsNoMatch: "Nothing here begins with '{}'.", "Šeit nekas nesākas ar '{}'.";
    ImsReading: "Reading {}…", "Lasa {}…";
    ImsWaitKeys: "{} stops waiting (nothing is written)", "{} pārtrauc gaidīšanu (nekas netiek ierakstīts)";
    ImsPlanning: "Comparing with the database, rows: {}…", "Salīdzina ar datubāzi, rindu skaits: {}…";
    ImsNothingWritten: "Preview: nothing has been written yet.", "Priekšskatījums: vēl nekas nav ierakstīts.";
    ImsUnknown: "Unknown institutions (their rows are rejected): {}", "Nezināmas izglītības iestādes (to rindas noraidītas): {}";
    ImsKeys: "{} import… · {} scroll · {} another file", "{} importēt… · {} ritināt · {} cits fails";
    ImsKeyCreate: "{} also create the unknown institutions", "{} izveidot arī nezināmās iestādes";
    ImsKeyNoCreate: "{} do not create institutions", "{} neveidot iestādes";
    ImsAsk: "Import from {}: new people: {}, registrations: {}, new institutions: {}, as one change?", "Importēt no {}: jauni dalībnieki: {}, reģistrācijas: {}, jaunas iestādes: {} – kā vienu izmaiņu?";
    ImsDone: "Imported from {} as one change · new people: {}, registrations: {}, new institutions: {} · rejected rows: {} · {} undoes it all", "Importēts no {} kā viena izmaiņa · jauni dalībnieki: {}, reģistrācijas: {}, jaunas iestādes: {} · noraidītās rindas: {} · {} to visu atsauc";
    DupsDone: "Merged #{} {} into #{} {} (one change) · attendance rows moved: {}, events both had joined: {} · fields filled: {} · {} undoes it", "#{} {} apvienots ar #{} {} (viena izmaiņa) · pārceltas apmeklējuma rindas: {}, apvienoti abu pasākumi: {} · aizpildīti lauki: {} · {} to atsauc";
    ImsFailed: "Nothing was imported: {}", "Nekas netika importēts: {}";
    DupsTitle: "Probable duplicates", "Iespējamie dublikāti";
    DupsCount: "Pairs: {}", "Pāru skaits: {}";
    DupsStays: "stays", "paliek";
    DupsGoes: "goes", "dzēš";
    DupsEvents: "events: {} (attended: {}): {}", "pasākumi: {} (ieradās: {}): {}";
    DupsNoEmail: "no email", "nav e-pasta";
    DupsNoInstitution: "no institution", "nav iestādes";
    DupsKeys: "{} merge… · {} swap who stays · {} skip · {} undo · {} close", "{} apvienot… · {} kurš paliek · {} izlaist · {} atsaukt · {} aizvērt";
    DupsAsk: "Merge #{} {} into #{} {}? Attendance rows moved: {}, events both had joined: {}; the first is deleted. One change ({} undoes it).", "Apvienot #{} {} ar #{} {}? Pārceltas apmeklējuma rindas: {}, apvienoti abu pasākumi: {}; pirmais tiek dzēsts. Viena izmaiņa ({} to atsauc).";
    DupsSkipped: "Skipped #{} and #{} (until the view is opened again).", "Izlaisti #{} un #{} (līdz skats tiek atvērts vēlreiz).";
    DupsGone: "One of the pair is no longer there; the list is up to date now.", "Viena no pāra vairs nav; saraksts tagad ir atjaunināts.";
    // --- proj: the project view, a partner's documents and yearly figures (issue 12)
    ActProject: "The project: number, period, funding, partners, national counts", "Projekts: numurs, periods, finansējums, partneri, kopskaiti";
    ActDocuments: "The chosen partner's documents and funding by year", "Izvēlētā partnera dokumenti un finansējums pa gadiem";
    CmdProject: "project", "projekts";
    CmdDocuments: "documents", "dokumenti";
    PrjTitle: "Project", "Projekts";
    PrjName: "Name", "Nosaukums";
    PrjNumber: "Project no.", "Projekta Nr.";
    PrjStart: "Start", "Sākums";
    PrjEnd: "End", "Beigas";
    PrjPeriod: "Period", "Īstenošanas periods";
    PrjFunding: "Funding", "Finansējums";
    PrjFundingTotal: "Funding, total (EUR)", "Finansējums kopā (EUR)";
    PrjFundingEsf: "of it ESF+ (EUR)", "t. sk. ESF+ (EUR)";
    PrjFundingState: "of it state budget (EUR)", "t. sk. valsts budžets (EUR)";
    PrjLead: "Funding recipient", "Finansējuma saņēmējs";
    PrjReporting: "Reporting partner", "Atskaiti sagatavo";
    PrjInstitutions: "Institutions, national count", "Izglītības iestāžu kopskaits";
    PrjInstSource: "Source of the count", "Kopskaita avots";
    PrjInstDate: "Date of the count", "Kopskaita datums";
    PrjInstAssumed: "The count is assumed", "Kopskaits ir pieņemts";
    PrjHoursCap: "Seminar hours cap (3 years)", "Semināru stundu griesti (3 gadi)";
    PrjNoCap: "no cap", "bez griestiem";
    PrjNotes: "Notes", "Piezīmes";
    PrjNotSet: "not set", "nav norādīts";
    PrjCounts: "Counts used as denominators", "Kopskaiti, ko izmanto par saucējiem";
    PrjCountOf: "indicator {}", "rādītājs {}";
    PrjNoCounts: "none: every share is among the organisations in the database", "nav: visi īpatsvari ir no datubāzes organizācijām";
    PrjEsf: "ESF+ line in reports", "ESF+ norāde atskaitēs";
    PrjPartners: "Cooperation partners ({})", "Sadarbības partneri ({})";
    PrjKeys: "{} edit · {} undo · {} close", "{} labot · {} atsaukt · {} aizvērt";
    PrjEditTitle: "Edit the project", "Labot projektu";
    DocTitle: "{}: documents and funding", "{}: dokumenti un finansējums";
    DocFacts: "Partner's period and yearly funding", "Partnera periods un gada finansējums";
    DocNone: "no documents yet: {} adds one", "dokumentu vēl nav: {} pievieno";
    YearNone: "no yearly figures yet: {} here adds a year", "gada datu vēl nav: {} šeit pievieno gadu";
    DocKeys: "{} edit · {} add · {} delete · {} undo · {} close", "{} labot · {} pievienot · {} dzēst · {} atsaukt · {} aizvērt";
    DocChoosePartner: "Choose an organisation in the Partners pane first (1), then open its documents.", "Vispirms izvēlieties organizāciju panelī Partneri (1), tad atveriet tās dokumentus.";
    DocAskDelete: "Remove from the register: {}?", "Izņemt no reģistra: {}?";
    YearAskDelete: "Remove the figures of {}?", "Izņemt {}. gada datus?";
    DocRemoved: "Removed from the register: {}", "Izņemts no reģistra: {}";
    YearRemoved: "Removed the figures of {}", "Izņemti {}. gada dati";
    DocChanged: "Someone changed this partner meanwhile: nothing was removed. Look again and repeat.", "Kāds šo partneri pa to laiku mainīja: nekas netika izņemts. Pārskatiet un atkārtojiet.";
    EdDocNew: "New document", "Jauns dokuments";
    EdDocEdit: "Edit document", "Labot dokumentu";
    EdYearNew: "New year's figures", "Jauna gada dati";
    EdYearEdit: "Edit the year's figures", "Labot gada datus";
    EdKind: "Document", "Dokuments";
    EdStatus: "Status", "Statuss";
    EdNumber: "Number", "Numurs";
    EdDate: "Date", "Datums";
    EdProtocol: "Protocol No.", "Protokola Nr.";
    EdParagraph: "Paragraph (§)", "Paragrāfs (§)";
    EdParties: "Parties", "Puses";
    EdFile: "File", "Fails";
    EdNote: "Note", "Piezīme";
    EdYear: "Year", "Gads";
    EdPlanned: "Planned (EUR)", "Plānots (EUR)";
    EdReceived: "Received (EUR)", "Saņemts (EUR)";
    EdSpent: "Spent (EUR)", "Izlietots (EUR)";
    EdPrefinancing: "Pre-financing owed (EUR)", "Priekšfinansējums (EUR)";
    EdTeachers: "Teachers", "Pedagogi";
    EdPeriodFrom: "Period from", "Periods no";
    EdPeriodTo: "Period to", "Periods līdz";
    EdYearly: "Yearly funding (EUR)", "Gada finansējums (EUR)";
    EdBadYear: "is not a year (e.g. 2026)", "nav gads (piem. 2026)";
    EdYearTaken: "this year already has figures: edit that line", "šim gadam dati jau ir: labojiet to rindu";
    EdNoOrg: "no organisation matches this", "neviena organizācija neatbilst";
    EdBadCap: "is not a number of hours (e.g. 120), or empty for no cap", "nav stundu skaits (piem. 120) vai tukšs – bez griestiem";
    EdSaved: "Saved as one change ({} undoes it).", "Saglabāts kā viena izmaiņa ({} to atsauc).";
    // --- daily3: refused deletes, attendance-list search, details, columns, history (issue 13)
    DelRefused: "{} cannot be deleted: {}. Move them elsewhere first; nothing was deleted.", "{} nevar dzēst: {}. Vispirms tos pārceliet; nekas netika dzēsts.";
    DelHeldParent: "it is the parent of these organisations ({}): {}", "tai pieder organizācijas ({}): {}";
    DelHeldInstitution: "the institution of these participants ({}): {}", "tā ir dalībnieku ({}) iestāde: {}";
    DelHeldOrganiser: "the organiser of these events ({}): {}", "tā ir pasākumu ({}) rīkotāja: {}";
    AskDeleteEventRows: "Delete the event {} together with its attendance rows ({})? (u undoes it)", "Dzēst pasākumu {} kopā ar tā apmeklējuma ierakstiem ({})? (u to atsauc)";
    AskDeleteIndicatorValues: "Delete the indicator {} together with its values entered by hand ({})? (u undoes it)", "Dzēst rādītāju {} kopā ar tā manuāli ievadītajām vērtībām ({})? (u to atsauc)";
    RosterMatches: "{} of {}", "{} no {}";
    RosterSearchKeys: "{} keeps · {} clears", "{} patur · {} notīra";
    RosterSearchClear: "{} clears", "{} notīra";
    RosterNoMatch: "Nobody on this list matches '{}'.", "Šajā sarakstā neviens neatbilst '{}'.";
    RosterHintSearch: "{} search", "{} meklēt";
    DetGender: "Gender", "Dzimums";
    LogUndone: "undid: {}", "atsaukts: {}";
    LogProjectChanged: "changed the project: {}", "mainīts projekts: {}";
    HistoryNoMatch: "No change matches '{}' (Backspace widens the search).", "Neviena izmaiņa neatbilst '{}' (Backspace paplašina meklēšanu).";
    HistoryHint: "type to search the changes · Esc closes the history", "rakstiet, lai meklētu izmaiņās · Esc aizver vēsturi";
    // --- the last messages, whole (`!`: tui/messages.rs, ui.rs), and help's gaps
    ActMessages: "Messages: the last ones shown, whole, newest first, and who else is on", "Ziņojumi: pēdējie parādītie, pilnā garumā, jaunākie pirmie, un kas vēl strādā";
    CmdMessages: "messages", "ziņojumi";
    MessagesTitle: "Messages, newest first", "Ziņojumi, jaunākie pirmie";
    MessagesNone: "No messages yet.", "Ziņojumu vēl nav.";
    MessagesNoMatch: "No message matches '{}' (Backspace widens the search).", "Neviens ziņojums neatbilst '{}' (Backspace paplašina meklēšanu).";
    MessagesHint: "type to search the messages · Esc closes them", "rakstiet, lai meklētu ziņojumos · Esc tos aizver";
    MessagesMore: "{} more", "{} vairāk";
    HelpNoMatch: "Nothing matches '{}' ({} widens the search, {} clears it).", "Nekas neatbilst '{}' ({} paplašina meklēšanu, {} to notīra).";
    HelpContextCommands: "Commands (type : and the command's name)", "Komandas (rakstiet : un komandas nosaukumu)";
    SetHoursCap: "Seminar and conference hours cap (3 years)", "Semināru un konferenču stundu ierobežojums (3 gadi)";
    SetInstitutions: "National number of institutions", "Izglītības iestāžu kopskaits";
    SetReportingPartner: "Reports on behalf of", "Pārskati tiek sniegti partnera vārdā";
    SetNumber: "Project number", "Projekta numurs";
    SetFundingTotal: "Total funding", "Kopējais finansējums";
    SetFundingEsf: "ESF+ funding", "ESF+ finansējums";
    SetFundingState: "State budget funding", "Valsts budžeta finansējums";
    // --- indicator values (daily4: values by hand edited and deleted one by one, key names)
    ActValues: "The chosen indicator's values entered by hand (edit, delete one by one)", "Izvēlētā rādītāja manuāli ievadītās vērtības (labot, dzēst pa vienai)";
    CmdValues: "values", "vērtības";
    ValTitle: "{}: values entered by hand", "{}: manuāli ievadītās vērtības";
    ValColDate: "Date", "Datums";
    ValColValue: "Value", "Vērtība";
    ValColNote: "Note or source", "Piezīme vai avots";
    ValNone: "No values entered yet: {} adds one.", "Vērtību vēl nav: {} pievieno vērtību.";
    ValOf: "{} of {}", "{} ({})";
    ValFormNew: "New value of indicator {}", "Jauna rādītāja {} vērtība";
    ValFormEdit: "Edit the value {} (indicator {})", "Labot vērtību {} (rādītājs {})";
    ValAdded: "Added the value {} (indicator {}).", "Pievienota vērtība {} (rādītājs {}).";
    ValChanged: "Changed the value {} to {} (indicator {}).", "Vērtība {} mainīta uz {} (rādītājs {}).";
    ValAskDelete: "Delete the value {} (indicator {})? ({} undoes it)", "Dzēst vērtību {} (rādītājs {})? ({} to atsauc)";
    ValDeleted: "Deleted the value {} (indicator {}); {} undoes it.", "Dzēsta vērtība {} (rādītājs {}); {} to atsauc.";
    ValChangedMeanwhile: "Someone changed this indicator meanwhile: nothing was deleted. Look again and repeat.", "Kāds šo rādītāju pa to laiku mainīja: nekas netika dzēsts. Pārskatiet un atkārtojiet.";
    ValChooseIndicator: "Choose an indicator first (4: Indicators).", "Vispirms izvēlieties rādītāju (4: Rādītāji).";
    ValWhole: "A count is a whole number: {}", "Skaits ir vesels skaitlis: {}";
    KeySpace: "Space", "Atstarpe";
    // --- screen progress: the import's bar and its reading options (src/tui/progress.rs, import.rs)
    ProgStarting: "Starting", "Sāk darbu";
    ProgCount: "{} of {}", "{} no {}";
    ActEncoding: "Import preview: read the file again in the next encoding", "Importa priekšskatījums: nolasīt failu vēlreiz nākamajā kodējumā";
    ActSheet: "Import preview: choose the workbook's sheet", "Importa priekšskatījums: izvēlēties darbgrāmatas lapu";
    ActMapColumn: "Import preview: choose what a column is read as", "Importa priekšskatījums: izvēlēties, kā lasīt kolonnu";
    ImsAuto: "automatic", "automātiski";
    ImsFirstSheet: "the first", "pirmā";
    ImsOptionKeys: "{} encoding: {} · {} sheet: {} · {} what a column is", "{} kodējums: {} · {} lapa: {} · {} kā lasīt kolonnu";
    ImsColumnsTitle: "Columns (header → read as):", "Kolonnas (virsraksts → lasīt kā):";
    ImsPickColumn: "Which column? {} chooses · {} back", "Kura kolonna? {} izvēlas · {} atpakaļ";
    ImsPickField: "Read the column '{}' as: {} chooses · {} back", "Kolonnu '{}' lasīt kā: {} izvēlas · {} atpakaļ";
    ImsPickSheet: "Which sheet? {} chooses · {} back", "Kura lapa? {} izvēlas · {} atpakaļ";
    ImsOnlyCsv: "The encoding is chosen for CSV files only; a workbook says its own.", "Kodējumu izvēlas tikai CSV failiem; darbgrāmatā tas jau ir norādīts.";
    ImsOneSheet: "There is no other sheet to choose ({}).", "Nav citas lapas, ko izvēlēties ({}).";
    ImsChanged: "The data changed since the preview: it was compared again. Check it and confirm again.", "Dati kopš priekšskatījuma mainījās: tie salīdzināti vēlreiz. Pārbaudiet un apstipriniet vēlreiz.";
    ImsLost: "The import stopped unexpectedly; nothing was written. Try again.", "Imports negaidīti apstājās; nekas netika ierakstīts. Mēģiniet vēlreiz.";
    // --- screen export in the background (app.rs, ui.rs)
    ExportBusy: "An export to {} is still being written; wait for it to finish.", "Eksports uz {} vēl tiek rakstīts; pagaidiet, līdz tas beidzas.";
    ExportKeepWorking: "you can keep working", "var strādāt tālāk";
    ExportGathering: "Gathering the rows to export", "Apkopo eksportējamās rindas";
    // --- why a file could not be written (io::export::why)
    IoNoDir: "there is no directory {}", "nav mapes {}";
    IoNoPermission: "no permission to write in {}", "nav atļaujas rakstīt mapē {}";
    IoDiskFull: "the disk is full", "disks ir pilns";
    IoIsDir: "{} is a directory", "{} ir mape";
    IoReadOnly: "the directory {} is read-only", "mape {} ir tikai lasāma";
    // --- polish: an abandoned import stops mid-stage (io::import, tui/progress.rs)
    ImpCancelled: "The import of {} was abandoned; nothing was written.", "Faila {} imports pārtraukts; nekas netika ierakstīts.";
}

/// The message `m` in the process's language.
pub fn t(m: M) -> &'static str {
    m.tr(lang())
}

/// The message `m` with each `{}` (or `{:.1}`) filled by the next argument.
pub fn f(m: M, args: &[&dyn Display]) -> String {
    fill(t(m), args)
}

/// Fills the placeholders of `template` in order.
pub fn fill(template: &str, args: &[&dyn Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    let mut args = args.iter();
    while let Some(pos) = rest.find('{') {
        out.push_str(&rest[..pos]);
        let Some(end) = rest[pos..].find('}') else {
            out.push_str(&rest[pos..]);
            return out;
        };
        let spec = &rest[pos + 1..pos + end];
        match args.next() {
            Some(a) if spec == ":.1" => {
                let s = a.to_string();
                match s.parse::<f64>() {
                    Ok(v) => out.push_str(&format!("{v:.1}")),
                    Err(_) => out.push_str(&s),
                }
            }
            Some(a) => out.push_str(&a.to_string()),
            None => out.push_str(&rest[pos..pos + end + 1]),
        }
        rest = &rest[pos + end + 1..];
    }
    out.push_str(rest);
    out
}

/// Display labels of the domain's vocabularies.
pub trait Label: Copy {
    /// (English, Latvian).
    fn pair(self) -> (&'static str, &'static str);
    /// The label in the process's language.
    fn label(self) -> &'static str {
        let (en, lv) = self.pair();
        match lang() {
            Lang::En => en,
            Lang::Lv => lv,
        }
    }
}

macro_rules! labels {
    ($ty:ty { $($v:ident => $en:literal, $lv:literal;)* }) => {
        impl Label for $ty {
            fn pair(self) -> (&'static str, &'static str) {
                match self { $(<$ty>::$v => ($en, $lv)),* }
            }
        }
    };
}

labels!(OrgKind {
    Municipality => "municipality", "pašvaldība";
    StateAgency => "state institution", "valsts iestāde";
    EducationBoard => "education board", "izglītības pārvalde";
    School => "school", "skola";
    VocationalSchool => "vocational school", "profesionālās izglītības iestāde";
    CompetenceCentre => "competence centre", "kompetences centrs";
    College => "college", "koledža";
    Company => "company", "uzņēmums";
    Other => "other", "cits";
    Preschool => "preschool", "pirmsskolas izglītības iestāde";
    InterestEducation => "interest education", "interešu izglītības iestāde";
    ProfessionalOrientation => "professional orientation", "profesionālās ievirzes izglītības iestāde";
});

labels!(EventFormat {
    Seminar => "seminar", "seminārs";
    Training => "training", "mācības";
    Masterclass => "masterclass", "meistarklase";
    LearningCommunity => "learning community", "mācīšanās kopiena";
    Conference => "conference", "konference";
    Olympiad => "olympiad", "olimpiāde";
    Camp => "camp", "nometne";
    ExperienceExchange => "experience exchange", "pieredzes apmaiņa";
    Other => "other", "cits";
    Session => "session", "nodarbība";
    Workshop => "workshop", "darbnīca";
    ScienceExhibition => "science exhibition", "zinātnes izstāde";
    Contest => "contest", "konkurss";
    YoungScientistsSchool => "young scientists' school", "jauno zinātnieku skola";
    Selection => "selection", "atlase";
});

labels!(Activity {
    Municipal => "1 municipal support", "1 Atbalsts pašvaldību līmenī";
    School => "2 school support", "2 Atbalsts izglītības iestāžu līmenī";
    Networking => "3.1 excellence networking", "3.1 Talantu sadarbības un tīklošanās pasākumi";
    Organising => "3.2 science events", "3.2 Olimpiāžu, konferenču un zinātnes pasākumu rīkošana";
    International => "3.3 international", "3.3 Dalība starptautiskos pasākumos";
});

labels!(EventStatus {
    Planned => "planned", "plānots";
    Held => "held", "notika";
    Cancelled => "cancelled", "atcelts";
});

labels!(Role {
    Teacher => "teacher", "pedagogs";
    LeadershipTeam => "leadership team", "vadības komandas pārstāvis";
    Methodologist => "methodologist", "metodiķis";
    Didactician => "didactician", "didaktiķis";
    LearningConsultant => "learning consultant", "mācīšanās konsultants";
    Mentor => "mentor", "mentors";
    SupportStaff => "support staff", "atbalsta personāls";
    MunicipalEducationSpecialist => "municipal education specialist", "pašvaldības izglītības speciālists";
    IndustryExpert => "industry expert", "nozares eksperts";
    Student => "student", "izglītojamais";
    Other => "other", "cits";
    ConventRepresentative => "convent representative", "konventa pārstāvis";
    WorkBasedLearning => "work-based learning in a company", "darba vidē balstītu mācību īstenotājs uzņēmumā";
    SupportSpecialist => "professional-support specialist", "profesionālā atbalsta speciālists";
});

labels!(Gender {
    Female => "female", "sieviete";
    Male => "male", "vīrietis";
});

labels!(AttendanceStatus {
    Registered => "registered", "reģistrēts";
    Attended => "attended", "ieradās";
    Absent => "absent", "neieradās";
    Excused => "excused", "attaisnots";
});

labels!(DocKind {
    InvitationLetter => "invitation letter", "uzaicinājuma vēstule";
    CouncilDecision => "council decision", "domes lēmums";
    CooperationConfirmation => "cooperation confirmation", "sadarbības apliecinājums";
    FundingDecision => "funding decision", "lēmums par finansējumu";
    CooperationAgreement => "cooperation agreement", "sadarbības līgums";
    Amendment => "amendment", "grozījumi";
});

labels!(DocStatus {
    Planned => "planned", "plānots";
    Draft => "draft", "projekts";
    Decided => "decided", "pieņemts";
    Signed => "signed", "parakstīts";
});

labels!(Stage {
    None => "no documents", "nav dokumentu";
    Planned => "planned", "plānots";
    Draft => "draft", "projekts";
    Decided => "decided", "lēmums pieņemts";
    Signed => "agreement signed", "līgums parakstīts";
});

labels!(Unit {
    Percent => "%", "%";
    Count => "count", "skaits";
    Milestone => "milestone", "atskaites punkts";
});

labels!(Table {
    Organisation => "organisations", "organizācijas";
    Event => "events", "pasākumi";
    Participant => "participants", "dalībnieki";
    Attendance => "attendance rows", "apmeklējuma ieraksti";
    Indicator => "indicators", "rādītāji";
});

// The labels of record fields (forms, error messages).
labels!(Field {
    Name => "Name", "Nosaukums";
    ShortName => "Short name", "Īsais nosaukums";
    Title => "Title", "Nosaukums";
    GivenName => "Given name", "Vārds";
    Surname => "Surname", "Uzvārds";
    Email => "Email", "E-pasts";
    Phone => "Phone", "Tālrunis";
    End => "End", "Beigas";
    Start => "Start", "Sākums";
    Hours => "Hours", "Stundas";
    Parent => "Belongs to", "Pieder";
    Organiser => "Organiser", "Rīkotājs";
    Institution => "Institution", "Iestāde";
    Event => "Event", "Pasākums";
    Participant => "Participant", "Dalībnieks";
    Code => "Code", "Kods";
    Target => "Target", "Mērķa vērtība";
    Notes => "Notes", "Piezīmes";
    Place => "Place", "Vieta";
    Subjects => "Subjects", "Priekšmeti";
    RegNo => "Reg. no.", "Reģ. nr.";
    Address => "Address", "Adrese";
    ContactPerson => "Contact person", "Kontaktpersona";
    AgreementNo => "Agreement no.", "Līguma nr.";
    YearlyFundingEur => "Funding a year", "Finansējums gadā";
    Lead => "Lead", "Finansējuma saņēmējs";
    Values => "Values", "Vērtības";
    Kind => "Kind", "Veids";
    Partner => "Partner", "Partneris";
    AgreementDate => "Agreement date", "Līguma datums";
    Format => "Format", "Formāts";
    Activity => "Activity line", "Darbība";
    Online => "Online", "Tiešsaistē";
    TargetGroups => "Target groups", "Mērķgrupas";
    Capacity => "Places", "Vietas";
    Status => "Status", "Statuss";
    Role => "Role", "Loma";
    Gender => "Gender", "Dzimums";
    Unit => "Unit", "Mērvienība";
    Baseline => "Baseline", "Bāzes vērtība";
    Deadline => "Deadline", "Termiņš";
    Done => "Reached on", "Sasniegts";
    OrgKinds => "Organisation kinds", "Organizāciju veidi";
    Roles => "Roles", "Lomas";
    Founder => "Founder", "Dibinātājs";
    PeriodTo => "Period end", "Perioda beigas";
    Documents => "Documents", "Dokumenti";
    Years => "Funding by year", "Finansējums pa gadiem";
    ExceptRoles => "Except roles", "Izņemot lomas";
    Programme => "Programme", "Programma";
    Formats => "Formats", "Formāti";
    Activities => "Activity lines", "Darbības";
    From => "From", "No";
    To => "To", "Līdz";
    Share => "As a share", "Kā īpatsvars";
    Date => "Date", "Datums";
    Value => "Value", "Vērtība";
    Note => "Note", "Piezīme";
    Filter => "Filter", "Filtrs";
    Of => "Counts", "Skaita";
    Definition => "Definition", "Definīcija";
});

/// A kind of file, with its article ("a backup").
pub fn file_kind(k: FileKind) -> &'static str {
    t(match k {
        FileKind::Backup => M::FileBackup,
        FileKind::Export => M::FileExport,
        FileKind::Sheet => M::FileSheet,
    })
}

/// A record of a table, singular ("participant", "dalībnieks").
pub fn record_name(t: Table) -> &'static str {
    let (en, lv) = match t {
        Table::Organisation => ("organisation", "organizācija"),
        Table::Event => ("event", "pasākums"),
        Table::Participant => ("participant", "dalībnieks"),
        Table::Attendance => ("attendance", "apmeklējums"),
        Table::Indicator => ("indicator", "rādītājs"),
    };
    match lang() {
        Lang::En => en,
        Lang::Lv => lv,
    }
}

/// What is wrong, without the field's name (shown next to the field).
pub fn problem_only(p: Problem) -> &'static str {
    t(problem_message(p))
}

fn problem_message(p: Problem) -> M {
    match p {
        Problem::Required => M::ProblemRequired,
        Problem::TooLong => M::ProblemTooLong,
        Problem::BadEmail => M::ProblemBadEmail,
        Problem::BadPhone => M::ProblemBadPhone,
        Problem::EndBeforeStart => M::ProblemEndBeforeStart,
        Problem::BadHours => M::ProblemBadHours,
        Problem::OwnParent => M::ProblemOwnParent,
        Problem::ParentCycle => M::ProblemParentCycle,
        Problem::UnknownReference => M::ProblemUnknownReference,
        Problem::BadNumber => M::ProblemBadNumber,
        Problem::HoursOverLength => M::ProblemHoursOverLength,
    }
}

/// "Field problem" for one invalid field.
pub fn problem(e: &FieldError) -> String {
    format!("{} {}", e.field.label(), problem_only(e.problem))
}

/// A date the way the language writes it: 14.03.2025. in Latvian, 2025-03-14 in English.
pub fn date(d: NaiveDate) -> String {
    match lang() {
        Lang::En => d.format("%Y-%m-%d").to_string(),
        Lang::Lv => d.format("%d.%m.%Y.").to_string(),
    }
}

/// A date and time (Riga wall clock).
pub fn datetime(d: NaiveDateTime) -> String {
    format!("{} {}", date(d.date()), d.format("%H:%M"))
}

/// Euro cents as "4 000.00 EUR".
pub fn money(cents: i64) -> String {
    let euros = cents.abs() / 100;
    let digits = euros.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('\u{a0}');
        }
        grouped.push(c);
    }
    let sign = if cents < 0 { "-" } else { "" };
    let sep = match lang() {
        Lang::En => '.',
        Lang::Lv => ',',
    };
    format!("{sign}{grouped}{sep}{:02} EUR", cents.abs() % 100)
}

/// A number as people read it: no decimals when whole, else one; a decimal comma in Latvian
/// ("4,5"), a point in English.
pub fn decimal(v: f64) -> String {
    let s = if v.fract().abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    };
    match lang() {
        Lang::Lv => s.replace('.', ","),
        Lang::En => s,
    }
}

/// Hours as a number in the language's way ("4,5" in Latvian).
pub fn hours_number(h: Hours) -> String {
    decimal(h.as_f64())
}

/// Things counted in messages, each with its forms in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Noun {
    Day,
    Hour,
    Participant,
    Event,
    AttendanceRow,
}

impl Noun {
    /// English (singular, plural); Latvian (singular, nominative plural, genitive plural).
    fn forms(self) -> ([&'static str; 2], [&'static str; 3]) {
        match self {
            Noun::Day => (["day", "days"], ["diena", "dienas", "dienu"]),
            Noun::Hour => (["hour", "hours"], ["stunda", "stundas", "stundu"]),
            Noun::Participant => (
                ["participant", "participants"],
                ["dalībnieks", "dalībnieki", "dalībnieku"],
            ),
            Noun::Event => (["event", "events"], ["pasākums", "pasākumi", "pasākumu"]),
            Noun::AttendanceRow => (
                ["attendance row", "attendance rows"],
                ["apmeklējuma ieraksts", "apmeklējuma ieraksti", "apmeklējuma ierakstu"],
            ),
        }
    }
}

/// Which Latvian form a whole number takes: the singular after 1, 21, 31… (not 11), the
/// genitive plural after 0, 10–20, 30, 40… (numbers ending in 0 and the teens), else the
/// nominative plural (2 dienas, 24 stundas).
fn lv_form(n: u64) -> usize {
    if n % 10 == 1 && n % 100 != 11 {
        0
    } else if n.is_multiple_of(10) || (11..=19).contains(&(n % 100)) {
        2
    } else {
        1
    }
}

/// A count with its noun in agreement: "1 day", "21 diena", "2 dienas", "11 dienu".
pub fn count(n: i64, noun: Noun) -> String {
    let (en, lv) = noun.forms();
    let word = match lang() {
        Lang::En => en[usize::from(n.unsigned_abs() != 1)],
        Lang::Lv => lv[lv_form(n.unsigned_abs())],
    };
    format!("{n} {word}")
}

/// Hours with their noun: "1 hour", "4.5 hours"; "1 stunda", "4,5 stundas", "10 stundu".
/// A fraction takes the genitive singular in Latvian, which for "stunda" is "stundas".
pub fn hours(h: Hours) -> String {
    if h.0.is_multiple_of(10) {
        return count(i64::from(h.0 / 10), Noun::Hour);
    }
    let (en, lv) = Noun::Hour.forms();
    let word = match lang() {
        Lang::En => en[1],
        Lang::Lv => lv[1],
    };
    format!("{} {word}", hours_number(h))
}

/// "yes" / "no".
pub fn yes_no(b: bool) -> &'static str {
    t(if b { M::Yes } else { M::No })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_placeholders() {
        assert_eq!(fill("{} of {}", &[&1, &"two"]), "1 of two");
        assert_eq!(fill("in {:.1} s", &[&1.234]), "in 1.2 s");
        assert_eq!(fill("missing {}", &[]), "missing {}");
    }

    #[test]
    fn every_message_has_both_languages_with_same_placeholders() {
        // The placeholder count must match between languages.
        let count = |s: &str| s.matches('{').count();
        for &m in M::ALL {
            assert_eq!(count(m.tr(Lang::En)), count(m.tr(Lang::Lv)), "{m:?}");
            assert!(!m.tr(Lang::Lv).is_empty());
        }
    }

    #[test]
    fn lang_from_strings() {
        assert_eq!(Lang::parse("lv_LV.UTF-8"), Some(Lang::Lv));
        assert_eq!(Lang::parse("en_GB"), Some(Lang::En));
        assert_eq!(Lang::parse("C"), None);
    }

    #[test]
    fn money_groups_thousands() {
        assert_eq!(money(400000), "4\u{a0}000.00 EUR");
        assert_eq!(money(5), "0.05 EUR");
    }
    #[test]
    fn counts_agree_with_their_number_in_latvian() {
        set_thread_lang(Lang::Lv);
        let days: Vec<String> = [1, 2, 9, 10, 11, 12, 19, 20, 21, 22, 101, 111, 0]
            .iter()
            .map(|n| count(*n, Noun::Day))
            .collect();
        assert_eq!(
            days,
            [
                "1 diena",
                "2 dienas",
                "9 dienas",
                "10 dienu",
                "11 dienu",
                "12 dienu",
                "19 dienu",
                "20 dienu",
                "21 diena",
                "22 dienas",
                "101 diena",
                "111 dienu",
                "0 dienu"
            ]
        );
        assert_eq!(count(21, Noun::Participant), "21 dalībnieks");
        assert_eq!(count(3, Noun::Participant), "3 dalībnieki");
        assert_eq!(count(15, Noun::Event), "15 pasākumu");
        assert_eq!(hours(Hours(10)), "1 stunda");
        assert_eq!(hours(Hours(40)), "4 stundas");
        assert_eq!(hours(Hours(45)), "4,5 stundas");
        assert_eq!(hours(Hours(110)), "11 stundu");
        assert_eq!(decimal(88.4), "88,4");
        set_thread_lang(Lang::En);
        assert_eq!(count(1, Noun::Day), "1 day");
        assert_eq!(count(21, Noun::Day), "21 days");
        assert_eq!(count(-1, Noun::Day), "-1 day");
        assert_eq!(hours(Hours(10)), "1 hour");
        assert_eq!(hours(Hours(45)), "4.5 hours");
        assert_eq!(decimal(88.4), "88.4");
    }
}
