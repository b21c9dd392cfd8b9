//! Files in and out through the real binary (`--no-server`): registration lists in every
//! shape they arrive in (fixtures made here), exports for Excel and their round trip, and
//! the sign-in sheet's text read back with pdftotext.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_atbalsts");

struct Db {
    dir: tempfile::TempDir,
}

impl Db {
    /// A database with the sample project.
    fn sample() -> Db {
        let d = Db {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        d.ok(&["init", "--sample"]);
        d
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn run(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .arg("--db")
            .arg(self.path("db"))
            .arg("--no-server")
            .args(if args.contains(&"--lang") {
                &[][..]
            } else {
                &["--lang", "en"][..]
            })
            .args(args)
            .env("HOME", self.dir.path())
            .env_remove("ATBALSTS_DB")
            .output()
            .expect("run atbalsts")
    }
    fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(
            o.status.success(),
            "{args:?}: {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).expect("utf-8")
    }
    fn import_json(&self, file: &Path, extra: &[&str]) -> serde_json::Value {
        let mut args = vec![
            "import",
            "participants",
            file.to_str().expect("path"),
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        serde_json::from_str(&self.ok(&args)).expect("json report")
    }
    /// The id of the sample's first event.
    fn event(&self) -> String {
        let csv = self.ok(&["list", "events", "--format", "csv"]);
        csv.lines()
            .nth(1)
            .and_then(|l| l.split(',').next())
            .expect("an event")
            .to_string()
    }
}

const HEADER_LV: &str = "Laikspiedols;Vārds, uzvārds;E-pasta adrese;Izglītības iestāde;Amats";
const ROWS: [&str; 3] = [
    "2025-03-01 10:00;BĒRZIŅA Anna;anna.berzina.psk@example.com;Cēsu 1. psk.;skolotāja",
    "2025-03-01 10:01;Žanis Ķirsis;zanis.kirsis@example.com;Cēsu VĢ;direktora vietnieks",
    "2025-03-01 10:02;Ņina Šūpule;nina@example;Cēsu VĢ;skolotāja",
];

fn form_text(delim: &str) -> String {
    let mut s = HEADER_LV.replace(';', delim);
    if delim == "," {
        // As a form writes it: the header with a comma in quotes.
        s = s.replace("Vārds, uzvārds", "\"Vārds, uzvārds\"");
    }
    for r in ROWS {
        s.push('\n');
        s.push_str(&r.replace(';', delim));
    }
    s.push('\n');
    s
}

fn check_form_report(r: &serde_json::Value) {
    assert_eq!(r["rows"], 3, "{r:#}");
    assert_eq!(r["new_people"], 2, "{r:#}");
    assert_eq!(r["rejected"][0]["row"], 4, "{r:#}");
    assert_eq!(r["rejected"][0]["reason"], "bad_email", "{r:#}");
}

#[test]
fn registration_lists_in_every_encoding_and_delimiter() {
    let utf8 = form_text(";");
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(form_text(",").as_bytes());
    let lv = form_text(";");
    let (cp1257, _, _) = encoding_rs::WINDOWS_1257.encode(&lv);
    let fixtures: [(&str, Vec<u8>, &str, &str); 4] = [
        ("utf8.csv", utf8.into_bytes(), "UTF-8", ";"),
        ("bom.csv", bom, "UTF-8 (BOM)", ","),
        ("cp1257.csv", cp1257.into_owned(), "windows-1257", ";"),
        ("tab.tsv", form_text("\t").into_bytes(), "UTF-8", "\t"),
    ];
    for (name, bytes, encoding, delim) in fixtures {
        let db = Db::sample();
        let file = db.path(name);
        std::fs::write(&file, bytes).expect("fixture");
        let r = db.import_json(&file, &["--dry-run"]);
        assert_eq!(r["encoding"], encoding, "{name}");
        assert_eq!(r["delimiter"], delim, "{name}");
        check_form_report(&r);
        assert_eq!(r["dry_run"], true);
        // Nothing written by the dry run; then the real run; then nothing new.
        assert!(
            !db.ok(&["list", "participants"])
                .contains("anna.berzina.psk@example.com")
        );
        let r = db.import_json(&file, &[]);
        assert_eq!(r["committed"], true, "{name}");
        let people = db.ok(&["list", "participants"]);
        assert!(people.contains("Anna\tBērziņa\tanna.berzina.psk@example.com"), "{name}");
        assert!(people.contains("Žanis\tĶirsis"), "{name}");
        let again = db.import_json(&file, &[]);
        assert_eq!(again["new_people"], 0, "{name}");
        assert_eq!(again["matched_people"], 2, "{name}");
        assert_eq!(again["committed"], false, "{name}");
        assert_eq!(
            db.ok(&["list", "participants"]),
            people,
            "{name}: the second import changed nothing"
        );
    }
}

#[test]
fn an_xlsx_list_with_english_headers_and_registrations() {
    let db = Db::sample();
    let file = db.path("list.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("Responses").expect("name");
    let rows = [
        [
            "Timestamp",
            "First name",
            "Last name",
            "Email Address",
            "School",
            "Phone",
        ],
        [
            "",
            "Līga",
            "Ozoliņa",
            "liga.ozolina@example.com",
            "Cēsu 1. pamatskola",
            "",
        ],
        ["", "Jānis", "KALNIŅŠ", "", "Cēsu Valsts ģimnāzija", ""],
        ["", "", "", "", "", ""],
        ["", "Ilze", "Strazdiņa", "ilze@example.com", "Nezināmā skola", ""],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32, c as u16, *v).expect("cell");
            }
        }
    }
    // A phone number typed as a number.
    ws.write_number(1, 5, 29_123_456.0).expect("cell");
    book.save(&file).expect("xlsx");
    let event = db.event();
    let r = db.import_json(&file, &["--event", &event, "--sheet", "Responses"]);
    assert_eq!(r["format"], "xlsx");
    assert_eq!(r["new_people"], 2, "{r:#}");
    assert_eq!(r["new_registrations"], 2, "{r:#}");
    assert_eq!(r["rejected"][0]["row"], 5, "{r:#}");
    assert_eq!(r["rejected"][0]["reason"], "unknown_institution");
    assert_eq!(r["unknown_institutions"][0]["name"], "Nezināmā skola");
    let att = db.ok(&["attendance", &event]);
    assert!(att.contains("Līga Ozoliņa") && att.contains("Jānis Kalniņš"), "{att}");
    let people = db.ok(&["list", "participants"]);
    assert!(people.contains("liga.ozolina@example.com\t29123456"), "{people}");
    // The unknown school, created on request.
    let r = db.import_json(&file, &["--event", &event, "--create-institutions"]);
    assert_eq!(r["new_institutions"][0], "Nezināmā skola", "{r:#}");
    assert_eq!(r["new_people"], 1);
    assert_eq!(r["already_registered"], 2);
    // A sheet that is not there.
    let o = db.run(&["import", "participants", file.to_str().expect("path"), "--sheet", "Nav"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("Responses"));
}

#[test]
fn broken_files_are_refused_with_a_reason() {
    let db = Db::sample();
    let before = db.ok(&["list", "participants"]);
    let cases: [(&str, &[u8], &str); 4] = [
        ("empty.csv", b"", "is empty"),
        ("picture.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0", "is not a table"),
        (
            "prose.txt",
            "Sveiki!\nŠis ir vēstules teksts.\n".as_bytes(),
            "no column with people's names",
        ),
        (
            "fake.xlsx",
            b"PK\x03\x04 not really a zip",
            "is not a readable spreadsheet",
        ),
    ];
    for (name, bytes, says) in cases {
        let file = db.path(name);
        std::fs::write(&file, bytes).expect("fixture");
        let o = db.run(&["import", "participants", file.to_str().expect("path")]);
        assert!(!o.status.success(), "{name}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(says), "{name}: {err}");
    }
    // Rows with missing columns, control characters and a 10,000-character name.
    let long = "Ā".repeat(10_000);
    let text = format!(
        "Vārds;Uzvārds;E-pasts\nAnna\nPēteris;Zv\u{1b}[31maigzne\u{200B};peteris@example.com\n{long};Bērziņš;\n;;x@example.com\n"
    );
    let file = db.path("broken.csv");
    std::fs::write(&file, text).expect("fixture");
    let r = db.import_json(&file, &[]);
    let rejected: Vec<(u64, &str)> = r["rejected"]
        .as_array()
        .expect("rejected")
        .iter()
        .map(|x| (x["row"].as_u64().unwrap_or(0), x["reason"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(
        rejected,
        vec![(2, "missing_name"), (4, "too_long"), (5, "missing_name")],
        "{r:#}"
    );
    assert!(
        db.ok(&["list", "participants"])
            .contains("Pēteris\tZvaigzne\tpeteris@example.com")
    );
    assert_ne!(db.ok(&["list", "participants"]), before);
    // A --map naming no field, and a bad --role.
    let o = db.run(&[
        "import",
        "participants",
        file.to_str().expect("path"),
        "--map",
        "Vārds=vecums",
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("full_name, given_name"));
    let o = db.run(&[
        "import",
        "participants",
        file.to_str().expect("path"),
        "--role",
        "astronauts",
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("teacher"));
}

#[test]
fn exports_for_excel_and_back() {
    let db = Db::sample();
    // CSV for Excel: BOM, semicolons.
    let csv_file = db.path("cesis.csv");
    db.ok(&[
        "export",
        "participants",
        "--filter",
        "mun:cēsis",
        "-o",
        csv_file.to_str().expect("path"),
    ]);
    let bytes = std::fs::read(&csv_file).expect("written");
    assert!(bytes.starts_with(b"\xEF\xBB\xBFid;given_name;surname;email"));
    let exported = String::from_utf8(bytes).expect("utf-8").lines().count() - 1;
    assert!(exported > 0);
    // Round trip: into an empty database with the same organisations, the same people.
    let other = Db {
        dir: tempfile::tempdir().expect("tempdir"),
    };
    other.ok(&["init", "--sample"]);
    let r = other.import_json(&csv_file, &[]);
    assert_eq!(r["matched_people"].as_u64(), Some(exported as u64), "{r:#}");
    assert_eq!(r["rejected"].as_array().map(Vec::len), Some(0), "{r:#}");
    // XLSX: typed cells.
    let xlsx = db.path("events.xlsx");
    db.ok(&["export", "events", "-o", xlsx.to_str().expect("path")]);
    use calamine::{Data, Reader};
    let mut book = calamine::open_workbook_auto(&xlsx).expect("xlsx");
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).expect("sheet");
    let header: Vec<String> = range
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    let start = header.iter().position(|h| h == "start").expect("start column");
    let hours = header.iter().position(|h| h == "hours").expect("hours column");
    let row = range.rows().nth(1).expect("a row");
    assert!(matches!(row[start], Data::DateTime(_)), "{:?}", row[start]);
    assert!(matches!(row[hours], Data::Float(_)), "{:?}", row[hours]);
    // Indicators: one sheet per breakdown too.
    let ind = db.path("indicators.xlsx");
    db.ok(&["export", "indicators", "-o", ind.to_str().expect("path")]);
    let book = calamine::open_workbook_auto(&ind).expect("xlsx");
    assert_eq!(book.sheet_names().len(), 5);
    // A mismatched name and format is refused; nothing written.
    let o = db.run(&[
        "export",
        "events",
        "--format",
        "csv",
        "-o",
        db.path("x.xlsx").to_str().expect("path"),
    ]);
    assert!(!o.status.success());
    assert!(!db.path("x.xlsx").exists());
}

#[test]
fn the_sign_in_sheet_holds_the_title_and_the_names() {
    if Command::new("pdftotext").arg("-v").output().is_err() {
        panic!("pdftotext is needed (Debian package poppler-utils; .ci/run installs it)");
    }
    let db = Db::sample();
    let event = db.event();
    let att = db.ok(&["attendance", &event]);
    let names: Vec<&str> = att.lines().skip(1).filter_map(|l| l.split('\t').nth(1)).collect();
    let pdf = db.path("sheet.pdf");
    db.ok(&[
        "--lang",
        "lv",
        "sheet",
        &event,
        "-o",
        pdf.to_str().expect("path"),
        "--blank",
        "40",
    ]);
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    let text = String::from_utf8(text.stdout).expect("utf-8");
    let title = db.ok(&["list", "events", "--format", "json"]);
    let events: serde_json::Value = serde_json::from_str(&title).expect("json");
    let title = events
        .as_array()
        .and_then(|a| a.iter().find(|e| e["id"].as_u64() == event.parse::<u64>().ok()))
        .and_then(|e| e["title"].as_str())
        .expect("title")
        .to_string();
    let first_words: String = title.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
    assert!(text.contains(&first_words), "{first_words}\n{text}");
    assert!(text.contains("Pedagogu profesionālā atbalsta sistēmas izveide"));
    for n in &names {
        assert!(text.contains(n), "{n} missing:\n{text}");
    }
    // The header repeats on every page, and the rows are numbered through the blanks.
    let pages = text.matches("Paraksts").count();
    assert!(pages >= 2, "{text}");
    assert_eq!(text.matches(&first_words).count(), pages);
    assert!(text.contains(&format!("{}.", names.len() + 40)), "{text}");
}

/// Everything a coordinator can read out of a database: every kind's list, the indicator
/// report and the settings.
fn everything(db: &Db) -> Vec<String> {
    let mut out: Vec<String> = ["organisations", "events", "participants", "attendance", "indicators"]
        .iter()
        .map(|k| db.ok(&["list", k, "--format", "json"]))
        .collect();
    out.push(db.ok(&["report", "indicators", "--asof", "2025-08-31", "--format", "json"]));
    out.push(db.ok(&["report", "indicators", "--by", "role", "--format", "json"]));
    out.push(db.ok(&["settings"]));
    // Counts and users (not the path or the size on disk).
    let stats = db.ok(&["stats"]);
    out.push(
        stats
            .lines()
            .filter(|l| !l.starts_with("database:") && !l.starts_with("size_on_disk"))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    out
}

/// Asserts that two databases read the same, naming the first output that differs.
fn same_reading(a: &[String], b: &[String]) {
    assert_eq!(a.len(), b.len());
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        assert!(
            x == y,
            "output {i} differs:\n{}\n---\n{}",
            &x[..x.len().min(600)],
            &y[..y.len().min(600)]
        );
    }
}

#[test]
fn backup_then_restore_gives_the_same_database() {
    let db = Db::sample();
    // Some history: people imported and registered (one change), a setting changed.
    let list = db.path("list.csv");
    std::fs::write(&list, form_text(";")).expect("write");
    let event = db.event();
    db.import_json(&list, &["--event", &event]);
    db.ok(&["settings", "hours-cap", "80"]);
    let before = everything(&db);
    assert!(before[2].contains("Bērziņa"), "{}", before[2]);
    let file = db.path("kopija.jsonl");
    let o = db.run(&["backup", file.to_str().expect("path")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("Backed up"));
    let text = std::fs::read_to_string(&file).expect("written");
    assert!(text.starts_with("{\"header\":{\"format\":\"atbalsts-backup\""));
    // Into a directory that does not exist yet.
    let other = Db {
        dir: tempfile::tempdir().expect("tempdir"),
    };
    let said = other.ok(&["restore", file.to_str().expect("path")]);
    assert!(said.starts_with("Restored"), "{said}");
    same_reading(&everything(&other), &before);
    // Metadata kept exactly: the rows' creation times and authors are in the JSON lists.
    assert!(before[3].contains("created_at"), "{}", before[3]);
    // Backing the restored database up again gives the same lines (but the header and the
    // closing line), and one log line more: the restore's own (who, when, which file, how
    // many records).
    let again = other.path("again.jsonl");
    other.ok(&["backup", again.to_str().expect("path")]);
    let body = |t: &str| {
        let lines: Vec<String> = t.lines().map(String::from).collect();
        lines[1..lines.len() - 1].to_vec()
    };
    let mut restored = body(&std::fs::read_to_string(&again).expect("written"));
    let entry: serde_json::Value = serde_json::from_str(&restored.pop().expect("a last line")).expect("json");
    assert_eq!(restored, body(&text));
    let what = &entry["log"]["what"]["Restored"];
    let canonical = std::fs::canonicalize(&file).expect("canonical");
    assert_eq!(what["file"], canonical.to_str().expect("path"), "{entry}");
    // Every kind's list (the first five outputs) counts the records restored.
    let records: usize = before[..5]
        .iter()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json list");
            v.as_array().map_or(0, Vec::len)
        })
        .sum();
    assert_eq!(what["records"], records, "{entry}");
}

#[test]
fn restore_refuses_a_database_with_data_unless_forced() {
    let db = Db::sample();
    let file = db.path("kopija.jsonl");
    db.ok(&["backup", file.to_str().expect("path")]);
    let before = everything(&db);
    let other = Db::sample();
    other.ok(&["settings", "hours-cap", "none"]);
    let theirs = everything(&other);
    let o = other.run(&["restore", file.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("already holds data") && err.contains("--force"), "{err}");
    same_reading(&everything(&other), &theirs);
    other.ok(&["restore", file.to_str().expect("path"), "--force"]);
    same_reading(&everything(&other), &before);
}

#[test]
fn a_cut_off_or_damaged_backup_is_refused_and_nothing_written() {
    let db = Db::sample();
    let file = db.path("kopija.jsonl");
    db.ok(&["backup", file.to_str().expect("path")]);
    let text = std::fs::read_to_string(&file).expect("written");
    let lines = text.lines().count();
    // Cut off in the middle (as a full disk or an interrupted copy leaves it).
    let cut = db.path("cut.jsonl");
    std::fs::write(&cut, &text[..text.len() / 2]).expect("write");
    let other = Db {
        dir: tempfile::tempdir().expect("tempdir"),
    };
    let o = other.run(&["restore", cut.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cut.jsonl cannot be restored, line"), "{err}");
    assert!(err.contains("Nothing was written"), "{err}");
    assert!(!other.path("db").exists(), "a database was made from a bad file");
    // A damaged line in an otherwise whole file: named by its number.
    let mut damaged: Vec<&str> = text.lines().collect();
    damaged[lines / 2] = "{\"participant\":{\"id\":\"x\"}}";
    let bad = db.path("bad.jsonl");
    std::fs::write(&bad, damaged.join("\n")).expect("write");
    let o = other.run(&["restore", bad.to_str().expect("path")]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&format!("line {}:", lines / 2 + 1)), "{err}");
    assert!(!other.path("db").exists());
    // Not a backup at all.
    let o = other.run(&[
        "restore",
        db.path("cut.jsonl").with_extension("none").to_str().expect("path"),
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("Cannot read"));
}

#[test]
fn duplicates_are_listed_and_merged_in_one_change() {
    let db = Db::sample();
    let event = db.event();
    let list = db.path("list.csv");
    std::fs::write(&list, form_text(";")).expect("write");
    db.import_json(&list, &["--event", &event]);
    // The same person typed again with a slip and another address: a new record.
    let again = db.path("again.csv");
    std::fs::write(
        &again,
        format!("{HEADER_LV}\n2025-03-02 09:00;Ana Bērziņa;anna.b@example.com;Cēsu 1. psk.;skolotāja\n"),
    )
    .expect("write");
    let r = db.import_json(&again, &["--event", &event]);
    assert_eq!(r["new_people"].as_u64(), Some(1), "{r:#}");
    let json: serde_json::Value = serde_json::from_str(&db.ok(&["duplicates", "--format", "json"])).expect("json");
    let groups = json.as_array().expect("groups");
    let ours = groups
        .iter()
        .find(|g| {
            g["people"]
                .as_array()
                .is_some_and(|p| p.iter().any(|x| x["given_name"] == "Ana"))
        })
        .expect("the twin is found");
    assert_eq!(ours["reasons"], serde_json::json!(["close_name"]));
    let ids: Vec<String> = ours["people"]
        .as_array()
        .expect("people")
        .iter()
        .map(|p| p["id"].to_string())
        .collect();
    let (keep, other) = (&ids[0], &ids[1]);
    let text = db.ok(&["duplicates"]);
    assert!(text.contains("very close names at the same institution"), "{text}");
    // A dry run changes nothing.
    let before = db.ok(&["list", "participants", "--format", "json"]);
    let said = db.ok(&["merge", keep, other]);
    assert!(said.starts_with("Would merge") && said.contains("--yes"), "{said}");
    assert_eq!(db.ok(&["list", "participants", "--format", "json"]), before);
    // Both were registered for the event: one row stays.
    let rows = |db: &Db| db.ok(&["attendance", &event, "--format", "json"]);
    let count = |s: &str| {
        serde_json::from_str::<serde_json::Value>(s)
            .expect("json")
            .as_array()
            .map(Vec::len)
    };
    let rows_before = count(&rows(&db)).expect("rows");
    let said = db.ok(&["merge", keep, other, "--yes"]);
    assert!(
        said.starts_with("Merged") && said.contains("1 events both had joined"),
        "{said}"
    );
    assert_eq!(count(&rows(&db)), Some(rows_before - 1));
    let after = db.ok(&["list", "participants", "--format", "json"]);
    assert!(!after.contains("\"Ana\""));
    assert!(db.ok(&["duplicates", "--format", "json"]).find("\"Ana\"").is_none());
    // Unknown or equal ids: a clear refusal.
    let o = db.run(&["merge", keep, keep]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("same person"));
    let o = db.run(&["merge", keep, other]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("No participant with id"));
}
