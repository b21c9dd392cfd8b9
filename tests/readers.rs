//! Every reader has a budget (issue #22 item 5), through the real binary (`--no-server`,
//! `--dry-run`): a zip bomb, a CSV of one 100 MB line and a list of a million rows are
//! refused with a message naming the row or part and the limit, in bounded memory (the
//! child's peak resident memory, from `wait4`); bytes that are not the encoding the file
//! was said to be in are an error naming their row; guessed code pages still read.
//!
//! The fixtures are written to their files a piece at a time, never held whole: a child's
//! peak counts the memory of the test process it was forked from (see [`Db::run`]).

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_atbalsts");

/// The most a refusal may take: the 256 MB.
const PEAK_KIB: u64 = 256 * 1000;

/// How one run of atbalsts ended.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    /// Its peak resident memory, KiB.
    peak_kib: u64,
}

/// An empty database in a directory of its own, with the files made for a test.
struct Db {
    dir: tempfile::TempDir,
}

impl Db {
    fn new() -> Db {
        let db = Db {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        let r = db.run(&["init"]);
        assert_eq!(r.code, 0, "init: {}", r.stderr);
        db
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs atbalsts on this database to its end, measuring its peak memory. Linux starts
    /// a new program's peak at the peak of the memory it replaced: for a child spawned
    /// sharing the test's memory (posix_spawn, as `Command` does) that is the test's own
    /// peak so far, for a forked child (as here: `pre_exec` makes `Command` fork) the
    /// test's resident memory at the fork, a few MB. The figure is an upper bound.
    #[expect(clippy::zombie_processes, reason = "wait4 reaps the child, with its rusage")]
    fn run(&self, args: &[&str]) -> Run {
        let out = std::fs::File::create(self.path("stdout")).expect("stdout file");
        let err = std::fs::File::create(self.path("stderr")).expect("stderr file");
        let mut command = Command::new(BIN);
        // SAFETY: the closure does nothing, so nothing unsafe happens between fork and exec.
        unsafe {
            command.pre_exec(|| Ok(()));
        }
        let child = command
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
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .expect("run atbalsts");
        let pid = libc::pid_t::try_from(child.id()).expect("pid");
        let mut status = 0;
        // SAFETY: wait4 fills `status` and `usage` for our own child, which nothing else
        // waits for (the `Child` is never waited on).
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        assert_eq!(waited, pid, "wait4: {}", std::io::Error::last_os_error());
        let code = if libc::WIFEXITED(status) {
            libc::WEXITSTATUS(status)
        } else {
            -libc::WTERMSIG(status)
        };
        let read = |name| std::fs::read_to_string(self.path(name)).expect("output");
        Run {
            code,
            stdout: read("stdout"),
            stderr: read("stderr"),
            peak_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0),
        }
    }

    /// `import participants FILE --dry-run` plus `extra`.
    fn import(&self, file: &Path, extra: &[&str]) -> Run {
        let mut args = vec!["import", "participants", file.to_str().expect("path"), "--dry-run"];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// A file of `pieces` written one after another.
    fn write(&self, name: &str, pieces: &[&[u8]]) -> PathBuf {
        let path = self.path(name);
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("fixture"));
        for piece in pieces {
            file.write_all(piece).expect("fixture");
        }
        file.flush().expect("fixture");
        path
    }

    /// A file of `head`, then `body` `times` over, then `tail`.
    fn write_repeated(&self, name: &str, head: &[u8], body: &[u8], times: usize, tail: &[u8]) -> PathBuf {
        let path = self.path(name);
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("fixture"));
        file.write_all(head).expect("fixture");
        for _ in 0..times {
            file.write_all(body).expect("fixture");
        }
        file.write_all(tail).expect("fixture");
        file.flush().expect("fixture");
        path
    }
}

/// A refusal: exit code 1, the message, nothing on stdout, within the memory budget.
fn refused(what: &str, r: &Run, says: &str) {
    eprintln!("{what}: peak RSS {} KiB; {}", r.peak_kib, r.stderr.trim());
    assert_eq!(r.code, 1, "{what}: {}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains(says), "{what}: {}", r.stderr);
    assert!(r.peak_kib < PEAK_KIB, "{what}: peak RSS {} KiB", r.peak_kib);
}

/// An XLSX workbook (made by rust_xlsxwriter) whose first sheet is replaced by a header
/// and `rows` copies of one row (62 bytes of XML each), squeezed into a small file.
fn bomb(path: &Path, rows: usize) {
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().write_string(0, 0, "Vārds, uzvārds").expect("cell");
    let good = book.save_to_buffer().expect("xlsx");
    let mut from = zip::ZipArchive::new(std::io::Cursor::new(good)).expect("zip");
    let mut to = zip::ZipWriter::new(std::fs::File::create(path).expect("bomb file"));
    for i in 0..from.len() {
        let part = from.by_index_raw(i).expect("part");
        if part.name().unwrap_or_default() != "xl/worksheets/sheet1.xml" {
            to.raw_copy_file(part).expect("copy");
            continue;
        }
        drop(part);
        let squeezed = zip::write::SimpleFileOptions::default().compression_level(Some(9));
        to.start_file("xl/worksheets/sheet1.xml", squeezed).expect("sheet");
        to.write_all(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet \
             xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>\
             <row><c t=\"inlineStr\"><is><t>Vārds, uzvārds</t></is></c></row>"
                .as_bytes(),
        )
        .expect("head");
        let row = "<row><c t=\"inlineStr\"><is><t>Anna Bērziņa</t></is></c></row>".repeat(1000);
        for _ in 0..rows / 1000 {
            to.write_all(row.as_bytes()).expect("rows");
        }
        to.write_all(b"</sheetData></worksheet>").expect("tail");
    }
    to.finish().expect("zip");
}

#[test]
fn a_zip_bomb_is_refused_in_bounded_memory() {
    let db = Db::new();
    let file = db.path("bomb.xlsx");
    // 50 million rows: 3.1 GB of sheet XML, as in the fault report's bomb.
    bomb(&file, 50_000_000);
    let size = std::fs::metadata(&file).expect("bomb").len();
    eprintln!("bomb.xlsx: {size} bytes");
    assert!(size < 20_000_000, "{size}");
    refused(
        "zip bomb",
        &db.import(&file, &[]),
        "its part xl/worksheets/sheet1.xml unpacks to 2.9 GiB, more than the limit of 200 MiB",
    );
    // The same growth in a part under the size limit: refused as a bomb.
    bomb(&file, 3_000_000);
    refused(
        "small bomb",
        &db.import(&file, &["--lang", "lv"]),
        "izskatās pēc ZIP bumbas",
    );
    // A zip of a hundred thousand empty parts: refused before they are listed.
    let mut many = zip::ZipWriter::new(std::fs::File::create(&file).expect("zip file"));
    for i in 0..100_000 {
        many.start_file(format!("p{i}"), zip::write::SimpleFileOptions::default())
            .expect("part");
    }
    many.finish().expect("zip");
    refused(
        "100,000 parts",
        &db.import(&file, &[]),
        "a zip of more than 10000 parts",
    );
    // An ordinary workbook of the same kind still reads.
    bomb(&file, 1000);
    let r = db.import(&file, &["--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).expect("json report");
    assert_eq!(report["rows"], 1000);
}

#[test]
fn a_csv_of_one_huge_line_is_refused_in_bounded_memory() {
    let db = Db::new();
    let head = "Vārds, uzvārds;E-pasts\nAnna ".as_bytes();
    let file = db.write_repeated("line.csv", head, &[b'x'; 1000], 100_000, b";anna@example.com\n");
    refused(
        "100 MB line",
        &db.import(&file, &[]),
        "line.csv: row 2 is longer than the limit of 1 MiB. Nothing was imported.",
    );
    // The same bytes in quotes over many short lines: one record, refused the same.
    let head = "Vārds, uzvārds;Piezīmes\nAnna Bērziņa;\"".as_bytes();
    let file = db.write_repeated("quoted.csv", head, b"0123456789abcdefghi\n", 100_000, b"\"\n");
    refused(
        "2 MB record",
        &db.import(&file, &[]),
        "row 2 is longer than the limit of 1 MiB",
    );
}

#[test]
fn a_million_and_one_rows_are_too_many() {
    let db = Db::new();
    let head = "Vārds, uzvārds\n".as_bytes();
    let file = db.write_repeated("million.csv", head, "Anna Bērziņa\n".as_bytes(), 1_000_000, b"");
    refused(
        "1,000,001 rows",
        &db.import(&file, &["--lang", "lv"]),
        "million.csv ir vairāk nekā 1000000 rindu (1000001. rinda ir pāri robežai)",
    );
}

#[test]
fn bytes_not_of_the_given_encoding_are_an_error_naming_their_row() {
    let db = Db::new();
    // The row of the fault report, under an ASCII header any code page reads alike.
    let file = db.write(
        "bad.csv",
        &[b"Name;E-mail\nAnna Berzina;anna@example.com\nSlikts \xff\xfe Kodejums;slikts@example.com\n"],
    );
    let r = db.import(&file, &["--encoding", "utf-8"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr
            .contains("bad.csv: row 3 has bytes that are not UTF-8. Nothing was imported."),
        "{}",
        r.stderr
    );
    let r = db.import(&file, &["--encoding", "utf-8", "--lang", "lv"]);
    assert!(
        r.stderr.contains("bad.csv: 3. rindā ir baiti, kas nav UTF-8."),
        "{}",
        r.stderr
    );
    // Not said to be UTF-8: read as the code page it looks like, as before.
    let r = db.import(&file, &["--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).expect("json report");
    assert_eq!(report["encoding"], "windows-1257");
}

#[test]
fn code_pages_are_still_guessed() {
    let db = Db::new();
    let lists = [
        (
            "lv.csv",
            "Vārds;Uzvārds\nŽanis;Ķirsis\nAnna;Bērziņa\n",
            encoding_rs::WINDOWS_1257,
        ),
        (
            "fr.csv",
            "First name;Surname\nRené;Besançon\nÀngel;Mañana\n",
            encoding_rs::WINDOWS_1252,
        ),
    ];
    for (name, text, enc) in lists {
        let file = db.write(name, &[&enc.encode(text).0]);
        let r = db.import(&file, &["--format", "json"]);
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        let report: serde_json::Value = serde_json::from_str(&r.stdout).expect("json report");
        assert_eq!(report["encoding"], enc.name(), "{name}");
        assert_eq!(report["rows"], 2, "{name}");
        assert_eq!(report["new_people"], 2, "{name}");
    }
}
