//! End-to-end tests of the real `atbalsts` binary.
//!
//! The interactive screen is driven in a pseudo-terminal by tmux (each test has its own tmux
//! server on a private socket, so tests run in parallel and never touch a user's tmux); the
//! command-line subcommands are run directly. Every test works in its own scratch directory
//! (database, HOME and TMPDIR), removed afterwards.
//!
//! The program runs inside a small `sh` wrapper that, after the program exits, prints
//! `TTY:SAME` or `TTY:CHANGED` (the terminal modes, `stty -g`, compared with before the start)
//! and `EXITED:<status>`, then sleeps so that the pane can still be read.
//!
//! Needs tmux (≥ 3.0) and a POSIX `sh` with `stty`; `.ci/run` installs tmux when missing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_atbalsts");
const TIMEOUT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(50);

// ---------------------------------------------------------------------------------------------
// Scratch directories

/// A private directory for one test, removed on drop.
struct Scratch {
    root: PathBuf,
}

impl Scratch {
    fn new(test: &str) -> Scratch {
        let root = std::env::temp_dir().join(format!("atbalsts-e2e-{}-{}", std::process::id(), test));
        let _ = std::fs::remove_dir_all(&root);
        for sub in ["home", "tmp"] {
            std::fs::create_dir_all(root.join(sub)).expect("create scratch directory");
        }
        Scratch { root }
    }
    /// The database directory (not created: the program creates it).
    fn db(&self) -> PathBuf {
        self.root.join("db")
    }
    fn home(&self) -> PathBuf {
        self.root.join("home")
    }
    /// TMPDIR for the program: `--demo` puts its temporary database here.
    fn tmp(&self) -> PathBuf {
        self.root.join("tmp")
    }
    /// Demo databases still present in TMPDIR (`--demo` must remove its database on exit).
    fn leftover_demo_dirs(&self) -> Vec<String> {
        std::fs::read_dir(self.tmp())
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.starts_with("atbalsts-demo-"))
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // A server started by the test's clients goes with it.
        let _ = Command::new(BIN)
            .args(["--db", &s(&self.db()), "server", "stop"])
            .stdin(Stdio::null())
            .output();
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn s(p: &Path) -> String {
    p.to_str().expect("UTF-8 path").to_owned()
}

/// Quotes a word for `sh`.
fn sh_quote(w: &str) -> String {
    format!("'{}'", w.replace('\'', r"'\''"))
}

// ---------------------------------------------------------------------------------------------
// tmux

/// A tmux server with one session, `main`, running the program in a wrapper. Killed on drop.
struct Tmux {
    socket: String,
    home: PathBuf,
    /// The server's socket file, removed on drop (tmux leaves it behind).
    socket_path: Option<PathBuf>,
}

impl Tmux {
    /// Starts `atbalsts <args>` in a `width` x `height` terminal. The program's environment is
    /// LANG=C.UTF-8, TERM=xterm-256color, HOME, TMPDIR and ATBALSTS_DB in the scratch
    /// directory, and `env` (which overrides those).
    fn start(test: &str, scratch: &Scratch, size: (u16, u16), env: &[(&str, &str)], args: &[&str]) -> Tmux {
        let mut program = sh_quote(BIN);
        for a in args {
            program.push(' ');
            program.push_str(&sh_quote(a));
        }
        Tmux::start_shell(test, scratch, size, env, &program)
    }

    /// Like `start`, with the program given as a shell command (for redirections).
    fn start_shell(test: &str, scratch: &Scratch, size: (u16, u16), env: &[(&str, &str)], program: &str) -> Tmux {
        let mut tmux = Tmux {
            socket: format!("atbalsts-e2e-{}-{}", std::process::id(), test),
            home: scratch.home(),
            socket_path: None,
        };
        let mut vars: Vec<(String, String)> = vec![
            ("LANG".into(), "C.UTF-8".into()),
            ("TERM".into(), "xterm-256color".into()),
            ("HOME".into(), s(&scratch.home())),
            ("TMPDIR".into(), s(&scratch.tmp())),
            ("ATBALSTS_DB".into(), s(&scratch.db())),
            // A server started by the test stops soon after its last client.
            ("ATBALSTS_SERVER_IDLE".into(), "20".into()),
        ];
        for (k, v) in env {
            vars.retain(|(k2, _)| k2 != k);
            vars.push((k.to_string(), v.to_string()));
        }
        // tmux sets TERM in the pane from its default-terminal option whatever `-e` says, so
        // the wrapper sets it again.
        let term = &vars.iter().find(|(k, _)| k == "TERM").unwrap().1;
        let script = format!(
            "TERM={term}; export TERM; before=$(stty -g); {program}; status=$?; \
             if [ \"$(stty -g)\" = \"$before\" ]; then echo TTY:SAME; else echo TTY:CHANGED; fi; \
             echo EXITED:$status; exec sleep 60",
            term = sh_quote(term),
        );
        let (w, h) = (size.0.to_string(), size.1.to_string());
        let mut cmd: Vec<String> = ["new-session", "-d", "-s", "main", "-x", &w, "-y", &h]
            .iter()
            .map(|a| a.to_string())
            .collect();
        for (k, v) in &vars {
            cmd.push("-e".into());
            cmd.push(format!("{k}={v}"));
        }
        cmd.extend(["--".into(), "sh".into(), "-c".into(), script]);
        let cmd: Vec<&str> = cmd.iter().map(|a| a.as_str()).collect();
        tmux.run(&cmd);
        tmux.socket_path = Some(PathBuf::from(tmux.pane_format("#{socket_path}")));
        tmux
    }

    /// A tmux command on this test's server, with a clean environment (no user config, no
    /// outer TMUX, no TMUX_TMPDIR), run from the scratch directory.
    fn command(&self) -> Command {
        let mut c = Command::new("tmux");
        c.env_clear()
            .env(
                "PATH",
                std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into()),
            )
            .env("LANG", "C.UTF-8")
            .env("HOME", &self.home)
            .current_dir(&self.home)
            .args(["-u", "-f", "/dev/null", "-L", &self.socket]);
        c
    }

    /// Runs a tmux command; panics if it fails. Returns its standard output.
    fn run(&self, args: &[&str]) -> String {
        let out = match self.command().args(args).output() {
            Ok(o) => o,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                panic!("tmux is not installed (these tests need it; `.ci/run` installs it)")
            }
            Err(e) => panic!("cannot run tmux: {e}"),
        };
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("tmux output is UTF-8")
    }

    /// Sends keys by tmux name (`Tab`, `Escape`, `q`, ...).
    fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "main"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// The visible screen as text.
    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "main"])
    }

    /// The visible screen with its SGR escape sequences (colours, reverse video, ...).
    fn screen_with_escapes(&self) -> String {
        self.run(&["capture-pane", "-p", "-e", "-t", "main"])
    }

    /// A tmux format of the pane, e.g. `#{alternate_on}`.
    fn pane_format(&self, format: &str) -> String {
        self.run(&["display-message", "-p", "-t", "main", format])
            .trim()
            .to_owned()
    }

    /// Polls the screen until `pred` holds; panics with the last screen on timeout.
    fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        self.wait_for_within(what, TIMEOUT, pred)
    }

    /// Like `wait_for`, with its own time limit (work that flushes to disk once per step
    /// can take long on a loaded machine).
    fn wait_for_within(&self, what: &str, limit: Duration, pred: impl Fn(&str) -> bool) -> String {
        let t0 = Instant::now();
        loop {
            let screen = self.screen();
            if pred(&screen) {
                return screen;
            }
            if t0.elapsed() > limit {
                panic!(
                    "timed out after {limit:?} waiting for {what}; the screen was:\n{}",
                    frame(&screen)
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// Waits until the screen contains `text`.
    fn wait_text(&self, text: &str) -> String {
        self.wait_for(&format!("{text:?}"), |s| s.contains(text))
    }

    /// Waits for the program to exit; returns its exit status and the screen.
    fn wait_exit(&self) -> (i32, String) {
        let screen = self.wait_for("the program to exit (EXITED:)", |s| s.contains("EXITED:"));
        let rest = &screen[screen.find("EXITED:").unwrap() + "EXITED:".len()..];
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        (digits.parse().expect("an exit status after EXITED:"), screen)
    }

    /// Asserts that the program has exited with `code` and left the terminal as it found it:
    /// the normal screen back, the cursor visible, the tty modes (raw mode off) restored.
    fn assert_exited_cleanly(&self, code: i32) -> String {
        let (status, screen) = self.wait_exit();
        assert_eq!(status, code, "exit status; the screen was:\n{}", frame(&screen));
        assert_eq!(
            self.pane_format("#{alternate_on}"),
            "0",
            "the alternate screen is still on after exit:\n{}",
            frame(&screen)
        );
        assert!(
            !screen.contains('┌') && !screen.contains('│'),
            "the table is still on the screen after exit:\n{}",
            frame(&screen)
        );
        assert!(
            screen.contains("TTY:SAME"),
            "the terminal modes (stty) were not restored:\n{}",
            frame(&screen)
        );
        assert_eq!(
            self.pane_format("#{cursor_flag}"),
            "1",
            "the cursor is still hidden after exit"
        );
        screen
    }

    /// The pid of the program (the wrapper shell's child).
    fn program_pid(&self) -> i32 {
        let shell: i32 = self.pane_format("#{pane_pid}").parse().expect("pane_pid");
        let t0 = Instant::now();
        loop {
            if let Some(pid) = child_named(shell, "atbalsts") {
                return pid;
            }
            assert!(
                t0.elapsed() < TIMEOUT,
                "no atbalsts process under the wrapper shell {shell}"
            );
            std::thread::sleep(POLL);
        }
    }

    /// The pid of the program if it is still running.
    fn running_program(&self) -> Option<i32> {
        let out = self
            .command()
            .args(["display-message", "-p", "-t", "main", "#{pane_pid}"])
            .output()
            .ok()?;
        let shell: i32 = String::from_utf8_lossy(&out.stdout).trim().parse().ok()?;
        child_named(shell, "atbalsts")
    }

    /// Kills the tmux server: the pseudo-terminal goes away, as when a terminal window is
    /// closed or an ssh connection drops.
    fn kill_server(&self) {
        let _ = self
            .command()
            .arg("kill-server")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // A test that failed half-way leaves the program running; end it first, as it may not
        // end by itself once its terminal is gone.
        if let Some(pid) = self.running_program() {
            // SAFETY: kill only sends a signal to the program this test started.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        self.kill_server();
        if let Some(p) = &self.socket_path {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// CPU time (user + system, in clock ticks) used so far by process `pid`.
fn cpu_ticks(pid: i32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    // After "(comm)": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt
    // cmajflt utime stime ...
    [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i)?.parse::<u64>().ok())
        .sum()
}

/// Whether process `pid` is running (exists and is not a zombie).
fn alive(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rfind(')')
            .map(|i| stat[i + 1..].trim_start())
            .is_some_and(|rest| !rest.starts_with('Z')),
        Err(_) => false,
    }
}

/// A child of `parent` whose command name is `name`, from /proc.
fn child_named(parent: i32, name: &str) -> Option<i32> {
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let comm = &stat[open + 1..close];
        let ppid = stat[close + 1..]
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse::<i32>().ok());
        if ppid == Some(parent) && comm == name {
            return Some(pid);
        }
    }
    None
}

/// The screen framed for a panic message (so that blank lines at the end stay visible).
fn frame(screen: &str) -> String {
    let mut out = String::from("+--------\n");
    for line in screen.lines() {
        out.push('|');
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("+--------");
    out
}

/// A screen with its escape sequences made visible, line by line.
fn escaped(screen: &str) -> String {
    screen
        .lines()
        .map(|l| l.escape_debug().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The screen as one line with single spaces (for text the terminal wraps).
fn unwrapped(screen: &str) -> String {
    screen.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------------
// The sample data, counted from sample-data/ at test time

struct SampleCounts {
    organisations: usize,
    events: usize,
    participants: usize,
    attendance: usize,
    indicators: usize,
}

fn sample_counts() -> SampleCounts {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let csv_rows = |name: &str| -> usize {
        let mut r = csv::Reader::from_path(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        r.records()
            .inspect(|rec| {
                if let Err(e) = rec {
                    panic!("{name}: {e}");
                }
            })
            .count()
    };
    let indicators: toml::Table = std::fs::read_to_string(dir.join("indicators.toml"))
        .expect("indicators.toml")
        .parse()
        .expect("indicators.toml parses");
    SampleCounts {
        organisations: csv_rows("organisations.csv"),
        events: csv_rows("events.csv"),
        participants: csv_rows("participants.csv"),
        attendance: csv_rows("attendance.csv"),
        indicators: indicators["indicator"].as_array().expect("[[indicator]] tables").len(),
    }
}

// ---------------------------------------------------------------------------------------------
// Running the CLI directly

/// `atbalsts <args>` with English messages and none of the user's atbalsts settings.
fn cli(scratch: &Scratch, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("LANG", "C.UTF-8")
        .env("HOME", scratch.home())
        .env("TMPDIR", scratch.tmp())
        .env("ATBALSTS_SERVER_IDLE", "20")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("ATBALSTS_DB")
        .env_remove("ATBALSTS_LOG")
        .env_remove("ATBALSTS_CONFIG")
        .env_remove("XDG_CONFIG_HOME")
        .stdin(Stdio::null())
        .output()
        .expect("run atbalsts")
}

fn describe(out: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `init --sample` into the scratch database; panics unless it succeeds.
fn init_sample(scratch: &Scratch) {
    let db = s(&scratch.db());
    let out = cli(scratch, &["--db", &db, "init", "--sample"]);
    assert!(out.status.success(), "init --sample failed: {}", describe(&out));
}

// ---------------------------------------------------------------------------------------------
// SGR (Select Graphic Rendition) sequences in a captured screen

/// What the SGR sequences of `text` switch on.
#[derive(Debug, Default)]
struct Sgr {
    /// Colour parameters seen (e.g. "38;5;8", "36"); default colours (39, 49) do not count.
    colours: Vec<String>,
    reverse: bool,
}

fn sgr(text: &str) -> Sgr {
    let mut out = Sgr::default();
    let mut rest = text;
    while let Some(i) = rest.find("\x1b[") {
        rest = &rest[i + 2..];
        let Some(end) = rest.find(|c: char| ('\x40'..='\x7e').contains(&c)) else {
            break;
        };
        let (params, final_byte) = (&rest[..end], &rest[end..end + 1]);
        rest = &rest[end + 1..];
        if final_byte != "m" {
            continue;
        }
        let p: Vec<u32> = params
            .split([';', ':'])
            .map(|x| if x.is_empty() { 0 } else { x.parse().unwrap_or(u32::MAX) })
            .collect();
        let mut k = 0;
        while k < p.len() {
            match p[k] {
                7 => out.reverse = true,
                30..=37 | 40..=47 | 90..=97 | 100..=107 => out.colours.push(p[k].to_string()),
                38 | 48 | 58 => {
                    let n = match p.get(k + 1) {
                        Some(5) => 2,
                        Some(2) => 4,
                        _ => 0,
                    };
                    let end = (k + 1 + n).min(p.len());
                    out.colours
                        .push(p[k..end].iter().map(u32::to_string).collect::<Vec<_>>().join(";"));
                    k = end;
                    continue;
                }
                _ => {}
            }
            k += 1;
        }
    }
    out
}

#[test]
fn sgr_parser_sanity() {
    let x = sgr("\x1b[1;7mA\x1b[0m\x1b[39m\x1b[49mB");
    assert!(x.reverse && x.colours.is_empty(), "{x:?}");
    let x = sgr("\x1b[38;5;7mA\x1b[36mB");
    assert!(!x.reverse, "a 256-colour index 7 is not reverse video: {x:?}");
    assert_eq!(x.colours, ["38;5;7", "36"]);
}

// ---------------------------------------------------------------------------------------------
// The interactive screen

#[test]
fn demo_starts_switches_panes_and_quits_cleanly() {
    let n = sample_counts();
    let scratch = Scratch::new("demo");
    let t = Tmux::start("demo", &scratch, (80, 24), &[], &["--demo"]);

    let partners = format!("Partners ({})", n.organisations);
    let screen = t.wait_text(&partners);
    for tab in ["1 Partners", "2 Events", "3 Participants", "4 Indicators"] {
        assert!(screen.contains(tab), "tab {tab:?} missing:\n{}", frame(&screen));
    }
    assert!(
        screen.contains(&format!(
            "{} orgs · {} events · {} people · {} att.",
            n.organisations, n.events, n.participants, n.attendance
        )),
        "status line counts:\n{}",
        frame(&screen)
    );
    assert!(screen.contains('▶'), "no selected row:\n{}", frame(&screen));

    t.send(&["2"]);
    t.wait_text(&format!("Events ({})", n.events));
    t.send(&["3"]);
    t.wait_text(&format!("Participants ({})", n.participants));
    t.send(&["4"]);
    t.wait_text(&format!("Indicators ({})", n.indicators));
    t.send(&["Tab"]);
    t.wait_text(&partners);

    t.send(&["?"]);
    t.wait_text("┌ Help");
    // Escape alone: sent together with the next key, a terminal reads ESC q as Alt-q.
    t.send(&["Escape"]);
    t.wait_for("the help to close", |s| !s.contains("┌ Help") && s.contains(&partners));

    t.send(&["q"]);
    t.assert_exited_cleanly(0);
    assert_eq!(
        scratch.leftover_demo_dirs(),
        Vec::<String>::new(),
        "--demo left its database behind"
    );
}

#[test]
fn latvian_interface_and_letters() {
    let n = sample_counts();
    let scratch = Scratch::new("latvian");
    let t = Tmux::start("latvian", &scratch, (80, 24), &[("LANG", "lv_LV.UTF-8")], &["--demo"]);

    let screen = t.wait_text(&format!("Partneri ({})", n.organisations));
    for word in [
        "1 Partneri",
        "2 Pasākumi",
        "3 Dalībnieki",
        "4 Rādītāji",
        "Ādažu novada pašvaldība",
        "Ķekavas novads",
    ] {
        assert!(
            screen.contains(word),
            "{word:?} missing or garbled:\n{}",
            frame(&screen)
        );
    }
    assert!(
        !screen.contains('\u{fffd}'),
        "replacement characters on screen:\n{}",
        frame(&screen)
    );
    // Every table line is exactly 80 cells wide with its right border in place: a letter
    // measured with the wrong width would shift the border.
    let check_widths = |screen: &str| {
        for line in screen.lines().filter(|l| l.starts_with('│')) {
            assert!(
                line.chars().count() == 80 && line.ends_with('│'),
                "misaligned line ({} chars): {line:?}\n{}",
                line.chars().count(),
                frame(screen)
            );
        }
    };
    check_widths(&screen);

    t.send(&["3"]);
    let screen = t.wait_text(&format!("Dalībnieki ({})", n.participants));
    for word in ["Uzvārds", "Vārds", "Iestāde", "pedagogs"] {
        assert!(
            screen.contains(word),
            "{word:?} missing or garbled:\n{}",
            frame(&screen)
        );
    }
    assert!(
        screen.contains('ņ'),
        "no 'ņ' among the participants:\n{}",
        frame(&screen)
    );
    check_widths(&screen);

    t.send(&["q"]);
    t.assert_exited_cleanly(0);
}

/// Sends `signal` to the running program: it must restore the terminal and exit by itself.
fn signal_restores_terminal(test: &str, signal: i32) {
    let n = sample_counts();
    let scratch = Scratch::new(test);
    let t = Tmux::start(test, &scratch, (80, 24), &[], &["--demo"]);
    t.wait_text(&format!("Partners ({})", n.organisations));
    let pid = t.program_pid();
    // SAFETY: kill only sends a signal to the process we started.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0, "kill({pid}, {signal})");
    // The program handles the signal and ends normally (status 0); killed by the signal
    // instead, the shell would print 128 + signal and the terminal would stay raw.
    t.assert_exited_cleanly(0);
    assert_eq!(
        scratch.leftover_demo_dirs(),
        Vec::<String>::new(),
        "--demo left its database behind"
    );
}

#[test]
fn sigterm_restores_terminal() {
    signal_restores_terminal("sigterm", libc::SIGTERM);
}

#[test]
fn sighup_restores_terminal() {
    signal_restores_terminal("sighup", libc::SIGHUP);
}

#[test]
fn terminal_too_small() {
    let scratch = Scratch::new("small");
    let t = Tmux::start("small", &scratch, (20, 5), &[], &["--demo"]);
    // "Terminal too small: 20 x 5. Make it at least 60 x 15.", wrapped at 20 columns.
    let screen = t.wait_for("the too-small message", |s| unwrapped(s).contains("small: 20 x 5"));
    assert!(
        !screen.contains('│'),
        "a table drawn in a 20x5 terminal:\n{}",
        frame(&screen)
    );
    assert!(
        unwrapped(&screen).contains("60 x 15"),
        "no minimum size given:\n{}",
        frame(&screen)
    );
    t.send(&["q"]);
    t.assert_exited_cleanly(0);
}

#[test]
fn resize_to_too_small_and_back() {
    let n = sample_counts();
    let scratch = Scratch::new("resize");
    let t = Tmux::start("resize", &scratch, (80, 24), &[], &["--demo"]);
    let partners = format!("Partners ({})", n.organisations);
    t.wait_text(&partners);

    t.run(&["resize-window", "-t", "main", "-x", "40", "-y", "10"]);
    let screen = t.wait_for("the too-small message at 40x10", |s| {
        unwrapped(s).contains("small: 40 x 10")
    });
    assert!(
        !screen.contains(&partners),
        "the table is still drawn at 40x10:\n{}",
        frame(&screen)
    );

    t.run(&["resize-window", "-t", "main", "-x", "80", "-y", "24"]);
    let screen = t.wait_for("the table back at 80x24", |s| {
        s.contains(&partners) && !s.contains("small")
    });
    assert!(
        screen.lines().any(|l| l.starts_with('└') && l.chars().count() == 80),
        "table not full width:\n{}",
        frame(&screen)
    );

    t.send(&["q"]);
    t.assert_exited_cleanly(0);
}

#[test]
fn no_color_is_honoured() {
    let n = sample_counts();
    let partners = format!("Partners ({})", n.organisations);
    let scratch = Scratch::new("nocolor");
    let plain = Tmux::start("nocolor", &scratch, (80, 24), &[("NO_COLOR", "1")], &["--demo"]);
    let scratch2 = Scratch::new("colour");
    let coloured = Tmux::start("colour", &scratch2, (80, 24), &[], &["--demo"]);

    plain.wait_text(&partners);
    let screen = plain.screen_with_escapes();
    let all = sgr(&screen);
    assert!(
        all.colours.is_empty(),
        "colours with NO_COLOR=1: {:?}\n{}",
        all.colours,
        frame(&escaped(&screen))
    );
    let selected = screen.lines().find(|l| l.contains('▶')).expect("a selected row");
    assert!(
        sgr(selected).reverse,
        "the selected row is not in reverse video: {:?}",
        selected.escape_debug().to_string()
    );

    coloured.wait_text(&partners);
    let screen = coloured.screen_with_escapes();
    assert!(
        !sgr(&screen).colours.is_empty(),
        "no colours without NO_COLOR:\n{}",
        frame(&escaped(&screen))
    );

    plain.send(&["q"]);
    coloured.send(&["q"]);
    plain.assert_exited_cleanly(0);
    coloured.assert_exited_cleanly(0);
}

#[test]
fn not_a_tty_is_a_clear_error() {
    let scratch = Scratch::new("notty");
    let db = s(&scratch.db());

    // Neither stdin nor stdout a terminal.
    let out = cli(&scratch, &["--db", &db]);
    assert!(!out.status.success(), "started without a terminal: {}", describe(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("terminal"),
        "stderr does not mention the terminal: {}",
        describe(&out)
    );
    assert!(
        out.stdout.is_empty(),
        "wrote to a non-terminal stdout (escape codes?): {}",
        describe(&out)
    );
    assert!(!err.contains('\x1b'), "escape codes on stderr: {}", describe(&out));

    // stdin a terminal, stdout redirected to a file.
    let (out_file, err_file) = (scratch.root.join("out.txt"), scratch.root.join("err.txt"));
    let program = format!(
        "{} --db {} >{} 2>{}",
        sh_quote(BIN),
        sh_quote(&db),
        sh_quote(&s(&out_file)),
        sh_quote(&s(&err_file))
    );
    let t = Tmux::start_shell("notty", &scratch, (80, 24), &[], &program);
    let (status, screen) = t.wait_exit();
    let stdout = std::fs::read_to_string(&out_file).expect("stdout file");
    let stderr = std::fs::read_to_string(&err_file).expect("stderr file");
    assert_ne!(
        status,
        0,
        "started with stdout redirected to a file:\n{}\nstderr: {stderr}",
        frame(&screen)
    );
    assert!(
        stderr.contains("terminal"),
        "stderr does not mention the terminal: {stderr:?}"
    );
    assert!(stdout.is_empty(), "wrote to the redirected stdout: {stdout:?}");
    assert!(
        screen.contains("TTY:SAME"),
        "terminal modes changed:\n{}",
        frame(&screen)
    );
    assert_eq!(t.pane_format("#{alternate_on}"), "0");
}

#[test]
fn second_process_gets_a_clear_message() {
    let n = sample_counts();
    let scratch = Scratch::new("locked");
    init_sample(&scratch);
    let db = s(&scratch.db());
    // The screen finds the database through ATBALSTS_DB (set by Tmux::start).
    let t = Tmux::start("locked", &scratch, (80, 24), &[], &[]);
    t.wait_text(&format!("Partners ({})", n.organisations));

    // Through the server, a command works while the screen is open.
    let out = cli(&scratch, &["--db", &db, "stats"]);
    assert!(
        out.status.success(),
        "stats while the screen is open: {}",
        describe(&out)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(&format!("participants: {}", n.participants)),
        "{}",
        describe(&out)
    );
    // Without the server, the database is the server's: a clear refusal.
    let out = cli(&scratch, &["--db", &db, "--no-server", "stats"]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "stats --no-server while the server holds it: {}",
        describe(&out)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "not one line: {}", describe(&out));
    assert!(err.contains(&db), "the message does not name {db}: {}", describe(&out));
    assert!(err.contains("in use by another atbalsts process"), "{}", describe(&out));
    for raw in [
        "sled",
        "Io(",
        "os error",
        "WouldBlock",
        "Resource temporarily unavailable",
        "panicked",
    ] {
        assert!(!err.contains(raw), "raw error text {raw:?}: {}", describe(&out));
    }
    assert!(out.stdout.is_empty(), "{}", describe(&out));

    t.send(&["q"]);
    t.assert_exited_cleanly(0);
    // The lock goes with the server.
    let out = cli(&scratch, &["--db", &db, "server", "stop"]);
    assert!(out.status.success(), "server stop: {}", describe(&out));
    let out = cli(&scratch, &["--db", &db, "--no-server", "stats"]);
    assert!(
        out.status.success(),
        "stats after the screen closed: {}",
        describe(&out)
    );
}

#[test]
fn terminal_hangup_ends_the_program() {
    let n = sample_counts();
    let scratch = Scratch::new("hangup");
    init_sample(&scratch);
    let db = s(&scratch.db());
    let t = Tmux::start("hangup", &scratch, (80, 24), &[], &[]);
    t.wait_text(&format!("Partners ({})", n.organisations));
    let pid = t.program_pid();

    // The terminal goes away (the pty master closes; the kernel hangs up the tty). The program
    // must end, not stay behind holding the database.
    t.kill_server();
    let t0 = Instant::now();
    while alive(pid) && t0.elapsed() < Duration::from_secs(3) {
        std::thread::sleep(POLL);
    }
    if alive(pid) {
        let before = cpu_ticks(pid);
        std::thread::sleep(Duration::from_millis(200));
        let used = cpu_ticks(pid).saturating_sub(before);
        let locked = cli(&scratch, &["--db", &db, "stats"]);
        // SAFETY: kill only sends a signal to the program this test started.
        unsafe { libc::kill(pid, libc::SIGKILL) };
        panic!(
            "atbalsts (pid {pid}) still runs 3 s after its terminal was closed, using {} clock ticks of \
             CPU in 200 ms, and a new `atbalsts stats` says: {}",
            used,
            String::from_utf8_lossy(&locked.stderr).trim()
        );
    }
    // The database is free again.
    let out = cli(&scratch, &["--db", &db, "stats"]);
    assert!(out.status.success(), "stats after the hangup: {}", describe(&out));
}

/// The screen's line in `server status` ("  account  ekrāns  pid 1234  …"), if it is listed.
fn listed_in_server_status(scratch: &Scratch, pid: i32) -> Option<String> {
    let out = cli(scratch, &["--db", &s(&scratch.db()), "server", "status"]);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find(|l| l.contains(&format!("pid {pid} ")))
        .map(str::to_owned)
}

/// The team server's pid, from the first line of `server status` ("…: pid 1234, …").
fn server_pid(scratch: &Scratch) -> Option<i32> {
    let out = cli(scratch, &["--db", &s(&scratch.db()), "server", "status"]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let first = text.lines().next()?;
    let rest = &first[first.find("pid ")? + "pid ".len()..];
    rest.chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .ok()
}

/// Reads a number a shell wrote into `file`, waiting for it up to `limit`.
fn number_in(file: &Path, limit: Duration) -> Option<i32> {
    let t0 = Instant::now();
    loop {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        if let Ok(n) = text.trim().parse() {
            return Some(n);
        }
        if t0.elapsed() > limit {
            return None;
        }
        std::thread::sleep(POLL);
    }
}

/// A terminal that goes away without a SIGHUP reaching the screen (here: the screen runs in
/// its own session under `setsid`, as behind `su -` or an sshd child killed hard) must still
/// end it: within 2 s, not spinning on end-of-file, by its own way out (status 1, not killed
/// or aborted), and the server no longer lists it.
#[test]
fn a_terminal_gone_without_a_hangup_signal_ends_the_screen_and_the_server_drops_it() {
    let scratch = Scratch::new("gone");
    init_sample(&scratch);
    let db = s(&scratch.db());
    let log = s(&scratch.root.join("gone.log"));
    let (shell_pid, status) = (scratch.root.join("shell.pid"), scratch.root.join("status"));
    // A shell in a session of its own (which the hangup's SIGHUP does not reach either)
    // runs the screen and writes down its own pid and then the screen's exit status.
    let inner = format!(
        "echo $$ > {}; {} --db {}; echo $? > {}",
        sh_quote(&s(&shell_pid)),
        sh_quote(BIN),
        sh_quote(&db),
        sh_quote(&s(&status))
    );
    let program = format!("setsid sh -c {}", sh_quote(&inner));
    let t = Tmux::start_shell("gone", &scratch, (80, 24), &[("ATBALSTS_LOG", log.as_str())], &program);
    t.wait_text(" orgs · ");
    let shell = number_in(&shell_pid, TIMEOUT).expect("the inner shell's pid");
    let pid = child_named(shell, "atbalsts").expect("the screen under the inner shell");
    let t0 = Instant::now();
    while listed_in_server_status(&scratch, pid).is_none() {
        assert!(
            t0.elapsed() < TIMEOUT,
            "the screen (pid {pid}) never showed in `server status`"
        );
        std::thread::sleep(POLL);
    }
    let server = server_pid(&scratch).expect("the server's pid in `server status`");

    // The pty master closes and the kernel hangs up the tty; the SIGHUP goes to the pane's
    // session, not to the screen's.
    t.kill_server();
    let t0 = Instant::now();
    let limit = Duration::from_secs(2);
    while alive(pid) && t0.elapsed() < limit {
        std::thread::sleep(POLL);
    }
    if alive(pid) {
        let before = cpu_ticks(pid);
        std::thread::sleep(Duration::from_millis(200));
        let used = cpu_ticks(pid).saturating_sub(before);
        let listed = listed_in_server_status(&scratch, pid);
        // SAFETY: kill only sends a signal to the program this test started.
        unsafe { libc::kill(pid, libc::SIGKILL) };
        panic!(
            "the screen (pid {pid}) still runs {limit:?} after its terminal went away, using {used} clock \
             ticks of CPU in 200 ms; `server status` lists it: {listed:?}"
        );
    }
    let gone_after = t0.elapsed();
    assert_eq!(
        number_in(&status, TIMEOUT),
        Some(1),
        "the screen's exit status (134 is an abort, 101 a panic, 137 a kill)"
    );
    while let Some(line) = listed_in_server_status(&scratch, pid) {
        assert!(
            t0.elapsed() < limit,
            "{:?} after the terminal went away the server still lists the screen: {line}",
            t0.elapsed()
        );
        std::thread::sleep(POLL);
    }
    // Nothing left spinning: the server idles (well under a tenth of a core).
    if alive(server) {
        let before = cpu_ticks(server);
        std::thread::sleep(Duration::from_millis(500));
        let used = cpu_ticks(server).saturating_sub(before);
        assert!(
            used <= 5,
            "the server used {used} clock ticks of CPU in 500 ms after the screen left"
        );
    }
    let logged = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        logged.contains("terminal gone"),
        "the screen ended {gone_after:?} after the terminal went, but its log does not say why:\n{logged}"
    );
}

#[test]
fn a_demo_ended_by_a_hangup_removes_its_database() {
    let scratch = Scratch::new("demohup");
    let log = s(&scratch.root.join("demohup.log"));
    let t = Tmux::start(
        "demohup",
        &scratch,
        (80, 24),
        &[("ATBALSTS_LOG", log.as_str())],
        &["--demo"],
    );
    t.wait_text(" orgs · ");
    assert_eq!(scratch.leftover_demo_dirs().len(), 1, "the demo's database");
    let pid = t.program_pid();
    t.kill_server();
    let t0 = Instant::now();
    while alive(pid) && t0.elapsed() < Duration::from_secs(3) {
        std::thread::sleep(POLL);
    }
    assert!(!alive(pid), "still running after the hangup");
    assert!(
        scratch.leftover_demo_dirs().is_empty(),
        "left behind: {:?} {:?}; log:\n{}",
        scratch.leftover_demo_dirs(),
        std::process::Command::new("find")
            .arg(scratch.tmp())
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).to_string()),
        std::fs::read_to_string(&log).unwrap_or_default()
    );
}

// ---------------------------------------------------------------------------------------------
// The command line

#[test]
fn cli_list_and_stats() {
    let n = sample_counts();
    let scratch = Scratch::new("cli");
    let db = s(&scratch.db());
    init_sample(&scratch);

    let out = cli(&scratch, &["--db", &db, "stats", "--format", "json"]);
    assert!(out.status.success(), "{}", describe(&out));
    let stats: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("stats JSON: {e}\n{}", describe(&out)));
    for (key, want) in [
        ("organisations", n.organisations),
        ("events", n.events),
        ("participants", n.participants),
        ("attendance", n.attendance),
        ("indicators", n.indicators),
    ] {
        assert_eq!(
            stats[key].as_u64(),
            Some(want as u64),
            "stats.{key}: {}",
            describe(&out)
        );
    }

    let out = cli(&scratch, &["--db", &db, "list", "participants", "--format", "json"]);
    assert!(out.status.success(), "{}", describe(&out));
    let list: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("participants JSON: {e}"));
    let list = list.as_array().expect("a JSON array of participants");
    assert_eq!(list.len(), n.participants);
    let keys: Vec<&str> = list[0]
        .as_object()
        .expect("an object")
        .keys()
        .map(|k| k.as_str())
        .collect();
    let pos = |k: &str| {
        keys.iter()
            .position(|x| *x == k)
            .unwrap_or_else(|| panic!("no key {k:?} in {keys:?}"))
    };
    let order = ["id", "given_name", "surname", "institution", "role"].map(pos);
    assert!(order.windows(2).all(|w| w[0] < w[1]), "key order {keys:?}");
    assert_eq!(keys[0], "id", "{keys:?}");

    let out = cli(&scratch, &["--db", &db, "list", "events", "--format", "csv"]);
    assert!(out.status.success(), "{}", describe(&out));
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = r.headers().expect("a CSV header row").clone();
    assert_eq!(headers.get(0), Some("id"), "header {headers:?}");
    assert!(headers.iter().any(|h| h == "title"), "header {headers:?}");
    let rows: Vec<csv::StringRecord> = r.records().collect::<Result<_, _>>().expect("CSV rows");
    assert_eq!(rows.len(), n.events, "event rows");
    assert!(rows.iter().all(|row| row.len() == headers.len()), "ragged CSV");

    let out = cli(&scratch, &["--db", &db, "init", "--sample"]);
    assert!(
        !out.status.success(),
        "a second init --sample succeeded: {}",
        describe(&out)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("already"),
        "{}",
        describe(&out)
    );
    // ... and nothing was loaded twice.
    let out = cli(&scratch, &["--db", &db, "stats", "--format", "json"]);
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stats JSON");
    assert_eq!(stats["participants"].as_u64(), Some(n.participants as u64));
}

#[test]
fn cli_search_and_filter() {
    let scratch = Scratch::new("search");
    let db = s(&scratch.db());
    init_sample(&scratch);

    // Typed without diacritics, found with them; JSON with ids and scores, best first.
    let out = cli(
        &scratch,
        &["--db", &db, "search", "berzins", "--limit", "5", "--format", "json"],
    );
    assert!(out.status.success(), "{}", describe(&out));
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("search JSON");
    assert!(!hits.is_empty() && hits.len() <= 5, "{}", describe(&out));
    let surname = hits[0]["surname"].as_str().unwrap_or_default();
    assert!(surname.starts_with("Bērziņ"), "top hit {surname}");
    let scores: Vec<u64> = hits.iter().map(|h| h["score"].as_u64().unwrap_or(0)).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    // The same in capitals with diacritics.
    let upper = cli(
        &scratch,
        &["--db", &db, "search", "BĒRZIŅŠ", "--limit", "5", "--format", "json"],
    );
    assert_eq!(upper.stdout, out.stdout);

    // list --filter uses the screen's language; compare with the unfiltered CSV.
    let all = cli(&scratch, &["--db", &db, "list", "participants", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(all.stdout.as_slice());
    let role_col = r
        .headers()
        .expect("header")
        .iter()
        .position(|h| h == "role")
        .expect("role column");
    let methodologists = r
        .records()
        .filter(|rec| rec.as_ref().is_ok_and(|x| &x[role_col] == "methodologist"))
        .count();
    let out = cli(
        &scratch,
        &[
            "--db",
            &db,
            "list",
            "participants",
            "--format",
            "json",
            "--filter",
            "loma:metodiķis",
        ],
    );
    assert!(out.status.success(), "{}", describe(&out));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("list JSON");
    assert_eq!(rows.len(), methodologists);
    assert!(methodologists > 0);

    // A bad filter is a clear error naming the token, exit code 2, nothing on stdout.
    let out = cli(&scratch, &["--db", &db, "list", "events", "--filter", "colour:red"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("colour:red") && err.contains("format"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn log_goes_to_its_file_never_to_the_screen() {
    let scratch = Scratch::new("log");
    let db = s(&scratch.db());
    init_sample(&scratch);
    // In this process (the server's own log is its own affair).
    let out = cli(&scratch, &["--db", &db, "server", "stop"]);
    assert!(out.status.success(), "{}", describe(&out));
    let out = cli(&scratch, &["--db", &db, "--no-server", "--log", "stats"]);
    assert!(out.status.success(), "{}", describe(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("load:") && out.stderr.is_empty(), "{}", describe(&out));
    let log = std::fs::read_to_string(scratch.db().join("atbalsts.log")).expect("log file in the database directory");
    assert!(log.contains("load: model built") && log.contains("rss_kib="), "{log}");
    // Without --log nothing is written.
    let quiet = Scratch::new("nolog");
    init_sample(&quiet);
    assert!(!quiet.db().join("atbalsts.log").exists());
}

#[test]
fn log_to_a_named_file() {
    let scratch = Scratch::new("logfile");
    let db = s(&scratch.db());
    init_sample(&scratch);
    let file = scratch.root.join("custom.log");
    let out = cli(&scratch, &["--db", &db, "server", "stop"]);
    assert!(out.status.success(), "{}", describe(&out));
    let out = cli(
        &scratch,
        &["--db", &db, "--no-server", &format!("--log={}", s(&file)), "stats"],
    );
    assert!(out.status.success(), "{}", describe(&out));
    assert!(
        std::fs::read_to_string(&file)
            .expect("named log")
            .contains("load: model built")
    );
}

// ---------------------------------------------------------------------------------------------
// Settings (config.toml) and keymap files

impl Scratch {
    /// Writes `<HOME>/.config/atbalsts/<name>` (the platform config directory in the tests'
    /// environment); returns its path.
    fn config_file(&self, name: &str, text: &str) -> PathBuf {
        let dir = self.home().join(".config/atbalsts");
        std::fs::create_dir_all(&dir).expect("create config directory");
        let p = dir.join(name);
        std::fs::write(&p, text).expect("write config file");
        p
    }
}

/// The status bar: the line above the key hints (the last line).
fn status_line(screen: &str) -> String {
    let lines: Vec<&str> = screen.lines().collect();
    lines
        .len()
        .checked_sub(2)
        .map_or_else(String::new, |i| lines[i].to_string())
}

#[test]
fn user_keymap_rebinds_quit_and_hints_follow() {
    let n = sample_counts();
    let scratch = Scratch::new("keymap");
    // One key changed, one unbound; everything else stays the default.
    scratch.config_file("keymap.toml", "[global]\n\"x\" = \"quit\"\n\"q\" = \"none\"\n");
    let t = Tmux::start("keymap", &scratch, (80, 24), &[], &["--demo"]);
    let partners = format!("Partners ({})", n.organisations);
    let screen = t.wait_text(&partners);
    let hints = screen.lines().last().unwrap_or_default().to_string();
    assert!(hints.contains("x quit"), "the hint shows the new key: {hints:?}");
    assert!(!hints.contains("q quit"), "{hints:?}");
    // The help screen is generated from the merged keymap.
    t.send(&["?", "q", "u", "i", "t"]);
    let help = t.wait_text("/quit");
    assert!(
        help.lines().any(|l| l.contains(" x ") && l.contains("Quit")),
        "help lists x for Quit:\n{}",
        frame(&help)
    );
    t.send(&["Escape"]);
    t.wait_for("the help to close", |s| !s.contains("┌ Help"));
    // q no longer quits; the default keys not named in the file still work.
    t.send(&["q"]);
    t.send(&["2"]);
    t.wait_text(&format!("Events ({})", n.events));
    t.send(&["x"]);
    t.assert_exited_cleanly(0);
}

#[test]
fn broken_keymap_file_starts_on_the_defaults_and_says_why() {
    let n = sample_counts();
    let scratch = Scratch::new("badkeymap");
    scratch.config_file("keymap.toml", "[list]\n\"j\" = \"fly\"\n");
    let t = Tmux::start("badkeymap", &scratch, (160, 24), &[], &["--demo"]);
    let screen = t.wait_text(&format!("Partners ({})", n.organisations));
    // A message longer than the line wraps upwards over the panes.
    let status = unwrapped(&screen);
    assert!(
        status.contains("~/.config/atbalsts/keymap.toml:2") && status.contains("'fly'"),
        "the status bar names the file, line and problem: {status:?}\n{}",
        frame(&screen)
    );
    // The default keys apply: q quits.
    t.send(&["q"]);
    t.assert_exited_cleanly(0);
}

#[test]
fn both_a_bad_config_and_a_bad_keymap_file_are_reported_at_80x24() {
    let n = sample_counts();
    let scratch = Scratch::new("badboth");
    scratch.config_file("config.toml", "colours = \"red\"\n");
    scratch.config_file("keymap.toml", "[list]\n\"j\" = \"fly\"\n");
    let t = Tmux::start("badboth", &scratch, (80, 24), &[], &["--demo"]);
    let screen = t.wait_text(&format!("Partners ({})", n.organisations));
    // Each file's problem starts its own line above the key hints, whole.
    assert!(
        screen.contains("~/.config/atbalsts/config.toml:1") && screen.contains("'colours'"),
        "the config file's problem: {}",
        frame(&screen)
    );
    assert!(
        screen.contains("~/.config/atbalsts/keymap.toml:2") && screen.contains("'fly'"),
        "the keymap file's problem: {}",
        frame(&screen)
    );
    // The next key clears both; the panes are whole again.
    t.send(&["2"]);
    t.wait_for("the messages to clear", |s| {
        !s.contains("'fly'") && !s.contains("'colours'")
    });
    t.send(&["q"]);
    t.assert_exited_cleanly(0);
}

#[test]
fn keymap_flag_names_a_file_or_a_preset() {
    let n = sample_counts();
    let scratch = Scratch::new("keymapflag");
    // --keymap vim: l is the next pane.
    let t = Tmux::start("keymapflag", &scratch, (80, 24), &[], &["--demo", "--keymap", "vim"]);
    t.wait_text(&format!("Partners ({})", n.organisations));
    t.send(&["l"]);
    t.wait_text(&format!("Events ({})", n.events));
    t.send(&["q"]);
    t.assert_exited_cleanly(0);
    drop(t);
    // --keymap FILE: a missing file is named, and the screen still starts.
    let missing = s(&scratch.root.join("nope.toml"));
    let t = Tmux::start(
        "keymapflag",
        &scratch,
        (160, 24),
        &[],
        &["--demo", "--keymap", &missing],
    );
    let screen = t.wait_text(&format!("Partners ({})", n.organisations));
    assert!(unwrapped(&screen).contains("nope.toml"), "{}", frame(&screen));
    t.send(&["q"]);
    t.assert_exited_cleanly(0);
}

#[test]
fn config_unknown_key_is_a_warning_not_a_stop() {
    let n = sample_counts();
    let scratch = Scratch::new("cfgwarn");
    scratch.config_file("config.toml", "theme = \"mono\"\ncolours = \"yes\"\n");
    let t = Tmux::start("cfgwarn", &scratch, (160, 24), &[], &["--demo"]);
    let screen = t.wait_text(&format!("Partners ({})", n.organisations));
    let status = status_line(&screen);
    assert!(
        status.contains("~/.config/atbalsts/config.toml:2") && status.contains("'colours'") && status.contains("theme"),
        "the status bar names the file, line, key and the keys there are: {status:?}"
    );
    // theme = "mono": no colour at all (the status bar in reverse video instead).
    let colours = sgr(&t.screen_with_escapes()).colours;
    assert!(colours.is_empty(), "colours with theme = \"mono\": {colours:?}");
    // The next key clears the message.
    t.send(&["2"]);
    t.wait_for("the message to clear", |s| !status_line(s).contains("colours"));
    t.send(&["q"]);
    t.assert_exited_cleanly(0);
    drop(t);

    // On the command line the same warning goes to stderr, and the command runs.
    init_sample(&scratch);
    let db = s(&scratch.db());
    let cfg = s(&scratch.home().join(".config/atbalsts/config.toml"));
    let out = cli(&scratch, &["--config", &cfg, "--db", &db, "stats"]);
    assert!(out.status.success(), "{}", describe(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("config.toml:2") && err.contains("colours"),
        "{}",
        describe(&out)
    );
}

#[test]
fn config_lang_gives_latvian_and_the_flag_wins() {
    let n = sample_counts();
    let scratch = Scratch::new("cfglang");
    let cfg = scratch.config_file("config.toml", "lang = \"lv\"\n");
    // LANG says English; the settings file says Latvian.
    let t = Tmux::start("cfglang", &scratch, (80, 24), &[], &["--demo"]);
    t.wait_text(&format!("Partneri ({})", n.organisations));
    t.send(&["q"]);
    t.assert_exited_cleanly(0);

    // --lang beats the file (checked on a CLI error message).
    let cfg = s(&cfg);
    let db = s(&scratch.db());
    init_sample(&scratch);
    let lv = cli(&scratch, &["--config", &cfg, "--db", &db, "attendance", "999999"]);
    assert!(
        String::from_utf8_lossy(&lv.stderr).contains("Nav pasākuma"),
        "{}",
        describe(&lv)
    );
    let en = cli(
        &scratch,
        &["--config", &cfg, "--lang", "en", "--db", &db, "attendance", "999999"],
    );
    assert!(
        String::from_utf8_lossy(&en.stderr).contains("No event"),
        "{}",
        describe(&en)
    );
}

#[test]
fn config_db_is_used_unless_overridden() {
    let scratch = Scratch::new("cfgdb");
    init_sample(&scratch);
    let cfg = scratch.config_file("config.toml", &format!("db = {:?}\n", s(&scratch.db())));
    let out = cli(&scratch, &["--config", &s(&cfg), "stats", "--format", "json"]);
    assert!(out.status.success(), "{}", describe(&out));
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stats JSON");
    assert_eq!(
        stats["participants"].as_u64(),
        Some(sample_counts().participants as u64)
    );
}

#[test]
fn cli_attendance_of_an_event() {
    let scratch = Scratch::new("attendance");
    let db = s(&scratch.db());
    init_sample(&scratch);
    let out = cli(&scratch, &["--db", &db, "list", "events", "--format", "json"]);
    let events: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("events JSON");
    let event = events
        .iter()
        .find(|e| e["status"] == "held" && e["attended"].as_u64().unwrap_or(0) > 0)
        .expect("a held event with attendance");
    let id = event["id"].as_u64().expect("id").to_string();

    let out = cli(&scratch, &["--db", &db, "attendance", &id, "--format", "json"]);
    assert!(out.status.success(), "{}", describe(&out));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("attendance JSON");
    assert_eq!(rows.len() as u64, event["registered"].as_u64().expect("registered"));
    let attended = rows.iter().filter(|r| r["status"] == "attended").count() as u64;
    assert_eq!(attended, event["attended"].as_u64().expect("attended"));
    let keys: Vec<&str> = rows[0]
        .as_object()
        .expect("object")
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(
        keys,
        [
            "participant_id",
            "name",
            "institution",
            "role",
            "status",
            "checked_in_at",
            "checked_in_by",
            "hours_credited"
        ]
    );
    let stamp = rows
        .iter()
        .find_map(|r| r["checked_in_at"].as_str())
        .expect("a check-in time");
    assert!(
        stamp.ends_with("+02:00") || stamp.ends_with("+03:00"),
        "Riga local time: {stamp}"
    );

    // CSV: the same columns, one row each.
    let out = cli(&scratch, &["--db", &db, "attendance", &id, "--format", "csv"]);
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    assert_eq!(r.headers().expect("header").get(0), Some("participant_id"));
    assert_eq!(r.records().count(), rows.len());

    // An unknown event: a clear error, exit code 2, nothing on stdout.
    let out = cli(&scratch, &["--db", &db, "attendance", "999999"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("999999"),
        "{}",
        describe(&out)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn cli_settings_hours_cap() {
    let scratch = Scratch::new("settings");
    let db = s(&scratch.db());
    init_sample(&scratch);
    let out = cli(&scratch, &["--db", &db, "settings"]);
    assert!(out.status.success(), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("12 h"),
        "{}",
        describe(&out)
    );
    let out = cli(&scratch, &["--db", &db, "settings", "hours-cap", "6"]);
    assert!(out.status.success(), "{}", describe(&out));
    // Stored for everyone: a new process sees it.
    let out = cli(&scratch, &["--db", &db, "settings"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("6 h"),
        "{}",
        describe(&out)
    );
    let out = cli(&scratch, &["--db", &db, "settings", "hours-cap", "lots"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
}

#[test]
fn the_project_view_opens_and_one_value_edited_there_is_stored() {
    let scratch = Scratch::new("project");
    init_sample(&scratch);
    let db = s(&scratch.db());
    let t = Tmux::start("project", &scratch, (80, 24), &[], &["--db", &db]);
    t.wait_text(" orgs · "); // loaded: the status bar counts records
    t.send(&["P"]);
    t.wait_text("4.2.2.3/1/24/I/001");
    t.send(&["e"]);
    t.wait_text("Edit the project");
    // The national number of education institutions: the tenth line.
    for _ in 0..9 {
        t.send(&["Tab"]);
    }
    t.send(&["C-u"]);
    t.type_text("1475");
    t.send(&["C-s"]);
    t.wait_text("Saved as one change");
    t.send(&["Escape"]);
    t.wait_for("the view to close", |s| !s.contains("Funding recipient"));
    t.send(&["q"]);
    t.assert_exited_cleanly(0);
    let out = cli(&scratch, &["--db", &db, "settings"]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.contains("institutions: 1475"), "{}", describe(&out));
}

// ---------------------------------------------------------------------------------------------
// Entering data and the check-in desk

impl Tmux {
    /// Types text literally (UTF-8), as a person would.
    fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", "main", "-l", text]);
    }
}

/// A CLI command's standard output as JSON.
fn json_of(scratch: &Scratch, args: &[&str]) -> serde_json::Value {
    let out = cli(scratch, args);
    assert!(out.status.success(), "{}", describe(&out));
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

/// An upcoming event of the sample with people registered for it and a title no other event
/// has: (id, title).
fn planned_event(scratch: &Scratch) -> (u64, String) {
    let db = s(&scratch.db());
    let events = json_of(scratch, &["--db", &db, "list", "events", "--format", "json"]);
    let events = events.as_array().expect("an array of events");
    let title = |e: &serde_json::Value| e["title"].as_str().unwrap_or_default().to_string();
    events
        .iter()
        .filter(|e| e["status"] == "planned" && e["registered"].as_u64().unwrap_or(0) >= 10)
        .find(|e| events.iter().filter(|o| title(o) == title(e)).count() == 1)
        .map(|e| (e["id"].as_u64().expect("id"), title(e)))
        .expect("a planned event with registrations")
}

/// Opens the check-in desk of the event titled `title` (filtering the Events pane by it).
fn open_desk(t: &Tmux, title: &str) {
    t.send(&["2"]);
    t.wait_text("Events (");
    t.send(&["/"]);
    t.wait_text("fields:");
    let typed = atbalsts::search::fold(title);
    t.type_text(&typed);
    t.wait_for("the filter to be typed", |s| {
        s.contains(&typed[typed.len().saturating_sub(12)..])
    });
    t.send(&["Enter"]);
    t.wait_for("the event to be listed first", |s| {
        s.lines()
            .any(|l| l.contains('▶') && l.contains(&title.chars().take(20).collect::<String>()))
    });
    t.send(&["c"]);
    // An event not today (or cancelled) asks first.
    t.wait_for("the desk or its question", |s| {
        s.contains("Name:") || s.contains("anyway?")
    });
    if t.screen().contains("anyway?") {
        t.send(&["y"]);
    }
    t.wait_text("Name:");
}

/// This event's attendance as the CLI prints it, by participant id.
fn attendance_of(scratch: &Scratch, event: u64) -> std::collections::HashMap<u64, serde_json::Value> {
    let db = s(&scratch.db());
    let rows = json_of(
        scratch,
        &["--db", &db, "attendance", &event.to_string(), "--format", "json"],
    );
    rows.as_array()
        .expect("rows")
        .iter()
        .map(|r| (r["participant_id"].as_u64().expect("id"), r.clone()))
        .collect()
}

/// People not on the event's list, by id with their email (typing an email finds exactly
/// one person).
fn people_not_at(scratch: &Scratch, event: u64, n: usize) -> Vec<(u64, String)> {
    let db = s(&scratch.db());
    let at = attendance_of(scratch, event);
    let people = json_of(scratch, &["--db", &db, "list", "participants", "--format", "json"]);
    let picked: Vec<(u64, String)> = people
        .as_array()
        .expect("people")
        .iter()
        .filter_map(|p| Some((p["id"].as_u64()?, p["email"].as_str()?.to_string())))
        .filter(|(id, email)| !email.is_empty() && !at.contains_key(id))
        .take(n)
        .collect();
    assert_eq!(picked.len(), n, "the sample has {n} people to check in");
    picked
}

/// The count in the desk's header: checked in + walk-ins.
fn desk_count(screen: &str) -> Option<usize> {
    let line = screen
        .lines()
        .find(|l| l.contains("checked in") && l.contains("registered"))?;
    let nums: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse().ok())
        .collect();
    Some(nums.first()? + nums.get(2)?)
}

#[test]
fn a_participant_added_through_the_form_with_latvian_letters_is_there_after_a_restart() {
    let scratch = Scratch::new("form");
    init_sample(&scratch);
    let db = s(&scratch.db());
    let t = Tmux::start("form", &scratch, (80, 24), &[], &["--db", &db]);
    t.wait_text(" orgs · "); // loaded: the status bar counts records
    t.send(&["3"]);
    t.wait_text("Participants (");
    t.send(&["a"]);
    t.wait_text("New participant");
    t.type_text("Jānis");
    t.send(&["Tab"]);
    t.type_text("Bērziņš-Ķēniņš");
    t.send(&["Tab"]);
    t.type_text("cesu valsts gimn");
    t.wait_text("▶ Cēsu Valsts ģimnāzija");
    t.send(&["Enter"]);
    t.wait_for("the institution to be picked (✓)", |s| {
        s.lines()
            .any(|l| l.contains("Cēsu Valsts ģimnāzija") && l.contains('✓'))
    });
    t.send(&["C-s"]);
    t.wait_text("Saved: added participant Jānis Bērziņš-Ķēniņš");
    t.send(&["q"]);
    t.assert_exited_cleanly(0);
    drop(t);

    let t = Tmux::start("form2", &scratch, (80, 24), &[], &["--db", &db]);
    t.wait_text(" orgs · "); // loaded: the status bar counts records
    t.send(&["3", "/"]);
    t.type_text("berzins-kenins");
    let screen = t.wait_text("Bērziņš-Ķēniņš");
    let row = screen
        .lines()
        .find(|l| l.contains("Bērziņš-Ķēniņš"))
        .unwrap_or_default();
    assert!(row.contains("Jānis") && row.contains("Cēsu VĢ"), "{}", frame(&screen));
    t.send(&["Escape"]);
    t.wait_for("the filter to close", |s| !s.contains("/berzins"));
    t.send(&["q"]);
    t.assert_exited_cleanly(0);
}

#[test]
fn desk_checks_in_three_people_typed_without_diacritics() {
    let scratch = Scratch::new("desk");
    init_sample(&scratch);
    let (event, title) = planned_event(&scratch);
    let registered: Vec<(u64, String)> = attendance_of(&scratch, event)
        .into_iter()
        .filter(|(_, r)| r["status"] == "registered")
        .map(|(id, r)| (id, r["name"].as_str().unwrap_or_default().to_string()))
        .collect();
    // Three whose folded names no one else shares.
    let db = s(&scratch.db());
    let people = json_of(&scratch, &["--db", &db, "list", "participants", "--format", "json"]);
    let folded = |p: &serde_json::Value| {
        atbalsts::search::fold(&format!(
            "{} {}",
            p["given_name"].as_str().unwrap_or(""),
            p["surname"].as_str().unwrap_or("")
        ))
    };
    let all: Vec<String> = people.as_array().expect("people").iter().map(folded).collect();
    let mut three: Vec<(u64, String)> = registered
        .into_iter()
        .filter(|(_, name)| {
            let f = atbalsts::search::fold(name);
            f != name.to_lowercase() && all.iter().filter(|a| **a == f).count() == 1
        })
        .take(3)
        .collect();
    three.sort();
    assert_eq!(three.len(), 3, "three registered people with Latvian letters");

    let t = Tmux::start("desk", &scratch, (80, 24), &[], &["--db", &db]);
    t.wait_text(" orgs · "); // loaded: the status bar counts records
    open_desk(&t, &title);
    for (_, name) in &three {
        t.type_text(&atbalsts::search::fold(name));
        t.send(&["Enter"]);
        t.wait_text(&format!("✔ CHECKED IN  {name}"));
    }
    // Again: refused, nothing changes.
    t.type_text(&atbalsts::search::fold(&three[2].1));
    t.send(&["Enter"]);
    t.wait_text("= ALREADY IN");
    // Ctrl-Z undoes the last check-in made here.
    t.send(&["C-u", "C-z"]);
    t.wait_text(&format!("↶ UNDONE  changed attendance {}", three[2].1));
    t.send(&["Escape"]);
    t.wait_for("the desk to close", |s| !s.contains("Name:"));
    t.send(&["q"]);
    t.assert_exited_cleanly(0);

    let after = attendance_of(&scratch, event);
    for (id, name) in &three[..2] {
        let row = &after[id];
        assert_eq!(row["status"], "attended", "{name}: {row}");
        assert!(row["checked_in_by"].as_str().is_some_and(|u| !u.is_empty()), "{row}");
        assert!(row["checked_in_at"].as_str().is_some(), "{row}");
    }
    assert_eq!(after[&three[2].0]["status"], "registered", "the undone check-in");
}

#[test]
fn walk_in_from_the_desk_is_created_and_checked_in() {
    let scratch = Scratch::new("walkin");
    init_sample(&scratch);
    let (event, title) = planned_event(&scratch);
    let db = s(&scratch.db());
    let t = Tmux::start("walkin", &scratch, (80, 24), &[], &["--db", &db]);
    t.wait_text(" orgs · "); // loaded: the status bar counts records
    open_desk(&t, &title);
    t.type_text("ilze ābeltiņa");
    t.send(&["C-n"]);
    t.wait_text("Walk-in");
    t.type_text("valmieras 2");
    t.wait_text("▶ Valmieras 2. vidusskola");
    t.send(&["Enter"]);
    t.send(&["C-s"]);
    t.wait_text("✔ CHECKED IN  Ilze Ābeltiņa");
    t.wait_text("(+1 walk-ins)");
    t.send(&["Escape"]);
    t.wait_for("the desk to close", |s| !s.contains("Name:"));
    t.send(&["q"]);
    t.assert_exited_cleanly(0);
    let rows = attendance_of(&scratch, event);
    let row = rows
        .values()
        .find(|r| r["name"] == "Ilze Ābeltiņa")
        .expect("on the list");
    assert_eq!(row["status"], "attended");
    assert_eq!(row["institution"], "Valmieras 2. vidusskola");
}

/// Types `emails` at the desk as fast as tmux takes them, each followed by Enter.
fn type_check_ins(t: &Tmux, emails: &[(u64, String)]) {
    for (_, email) in emails {
        t.type_text(email);
        t.send(&["Enter"]);
    }
}

#[test]
fn a_hundred_check_ins_typed_at_full_speed_are_all_recorded() {
    let scratch = Scratch::new("hundred");
    init_sample(&scratch);
    let (event, title) = planned_event(&scratch);
    let people = people_not_at(&scratch, event, 100);
    let db = s(&scratch.db());
    let t = Tmux::start("hundred", &scratch, (80, 24), &[], &["--db", &db]);
    t.wait_text(" orgs · "); // loaded: the status bar counts records
    open_desk(&t, &title);
    let before = desk_count(&t.screen()).expect("the header count");
    type_check_ins(&t, &people);
    // Each check-in is flushed to disk before the next key is read: allow for slow disks.
    t.wait_for_within("100 more check-ins", Duration::from_secs(60), |s| {
        desk_count(s) == Some(before + 100)
    });
    t.send(&["Escape"]);
    t.wait_for("the desk to close", |s| !s.contains("Name:"));
    t.send(&["q"]);
    t.assert_exited_cleanly(0);
    let rows = attendance_of(&scratch, event);
    for (id, email) in &people {
        assert_eq!(
            rows.get(id).map(|r| r["status"].clone()),
            Some("attended".into()),
            "{email}"
        );
    }
}

/// Checks people in while the program is killed (by `kill`, a signal, at `after`); every
/// check-in the screen showed before is in the database afterwards. Returns how many the
/// screen had shown.
fn check_ins_survive(test: &str, after: Duration, how: &str) -> usize {
    let scratch = Scratch::new(test);
    init_sample(&scratch);
    let (event, title) = planned_event(&scratch);
    let people = people_not_at(&scratch, event, 150);
    let db = s(&scratch.db());
    let before_rows = attendance_of(&scratch, event).len();
    let t = Tmux::start(test, &scratch, (80, 24), &[], &["--db", &db]);
    t.wait_text(" orgs · "); // loaded: the status bar counts records
    open_desk(&t, &title);
    let before = desk_count(&t.screen()).expect("the header count");
    let pid = t.program_pid();
    let typist = {
        let people = people.clone();
        let socket = t.socket.clone();
        let home = t.home.clone();
        std::thread::spawn(move || {
            let typer = Tmux {
                socket,
                home,
                socket_path: None,
            };
            for (_, email) in &people {
                // The server may be gone (killed): stop quietly then.
                let ok = typer
                    .command()
                    .args(["send-keys", "-t", "main", "-l", email])
                    .status()
                    .is_ok_and(|s| s.success())
                    && typer
                        .command()
                        .args(["send-keys", "-t", "main", "Enter"])
                        .status()
                        .is_ok_and(|s| s.success());
                if !ok {
                    break;
                }
            }
            std::mem::forget(typer); // the test's Tmux owns the server
        })
    };
    std::thread::sleep(after);
    // What the screen acknowledged, then the kill.
    let seen_screen = t.screen();
    let seen = desk_count(&seen_screen).expect("the header count") - before;
    let last = seen_screen
        .lines()
        .find_map(|l| l.split("✔ CHECKED IN  ").nth(1))
        .map(|s| s.trim().to_string());
    match how {
        "kill-9" => {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        }
        _ => t.kill_server(),
    }
    let t0 = Instant::now();
    while alive(pid) {
        assert!(t0.elapsed() < TIMEOUT, "the program did not stop after {how}");
        std::thread::sleep(POLL);
    }
    let _ = typist.join();
    let rows = attendance_of(&scratch, event);
    let attended_new = people
        .iter()
        .filter(|(id, _)| rows.get(id).is_some_and(|r| r["status"] == "attended"))
        .count();
    assert!(
        attended_new >= seen,
        "{how} after {after:?}: the screen had shown {seen} check-ins, the database has {attended_new}"
    );
    assert!(rows.len() >= before_rows + seen);
    if let Some(last) = last {
        let name = last.split(" · ").next().unwrap_or_default();
        assert!(
            rows.values().any(|r| r["name"] == name && r["status"] == "attended"),
            "the last confirmed check-in ({name}) is in the database"
        );
    }
    eprintln!("{how} after {after:?}: {seen} acknowledged, {attended_new} recorded");
    seen
}

#[test]
fn acknowledged_check_ins_survive_kill_9() {
    let seen: Vec<usize> = [100u64, 300, 600]
        .into_iter()
        .enumerate()
        .map(|(i, ms)| check_ins_survive(&format!("kill{i}"), Duration::from_millis(ms), "kill-9"))
        .collect();
    assert!(
        seen.iter().any(|n| *n > 0),
        "the kills came after some check-ins: {seen:?}"
    );
}

#[test]
fn acknowledged_check_ins_survive_a_dropped_connection() {
    let seen = check_ins_survive("hup", Duration::from_millis(300), "hangup");
    assert!(seen > 0, "the connection dropped after some check-ins");
}

#[test]
fn cli_erase_needs_yes_and_then_forgets_the_person() {
    let scratch = Scratch::new("erase");
    init_sample(&scratch);
    let db = s(&scratch.db());
    // Someone registered for an event, with every personal field filled in and each value
    // found nowhere else in the database, so that grep can tell.
    let (event, _) = planned_event(&scratch);
    let list = scratch.root.join("erase.csv");
    std::fs::write(
        &list,
        "Vārds;Uzvārds;E-pasts;Tālrunis;Iestāde;Priekšmeti;Piezīmes\n\
         Zigfrīda;Ķeņģe;zigfrida.kenge@example.lv;+371 29876543;Zvaigžņu skola;\
         astronomija, kokapstrāde;Alerģija pret riekstiem\n",
    )
    .expect("write the list");
    let out = cli(
        &scratch,
        &[
            "--db",
            &db,
            "import",
            "participants",
            &s(&list),
            "--event",
            &event.to_string(),
            "--create-institutions",
        ],
    );
    assert!(out.status.success(), "import: {}", describe(&out));
    let people = json_of(&scratch, &["--db", &db, "list", "participants", "--format", "json"]);
    let p = people
        .as_array()
        .expect("people")
        .iter()
        .find(|p| p["email"] == "zigfrida.kenge@example.lv")
        .expect("the imported person")
        .clone();
    let personal = [
        p["given_name"].as_str().unwrap_or(""),
        p["surname"].as_str().unwrap_or(""),
        p["email"].as_str().unwrap_or(""),
        "29876543",
        p["notes"].as_str().unwrap_or(""),
        "astronomija",
        "kokapstrāde",
    ];
    assert_eq!(
        personal[..2].join(" ") + " " + personal[4],
        "Zigfrīda Ķeņģe Alerģija pret riekstiem",
        "imported as written: {p}"
    );
    let in_files = |value: &str| -> usize {
        let out = std::process::Command::new("grep")
            .args(["-r", "-a", "-c", "-F", value])
            .arg(scratch.db())
            .output()
            .expect("grep");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.rsplit(':').next()?.parse::<usize>().ok())
            .sum()
    };
    for value in personal {
        assert!(in_files(value) > 0, "the test does not see {value} in the files before");
    }
    let id = p["id"].as_u64().expect("id").to_string();
    // A dry run that worked exits 0 and suggests the command with the same --db.
    let out = cli(&scratch, &["--db", &db, "erase", &id]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    let suggested = format!("atbalsts erase {id} --yes --db {db}");
    assert!(said.contains(&suggested), "{said}");
    let report = |scratch: &Scratch| cli(scratch, &["--db", &db, "report", "indicators", "--format", "csv"]).stdout;
    let indicators_before = report(&scratch);
    let rows_before = json_of(&scratch, &["--db", &db, "list", "attendance", "--format", "json"]);
    // The suggestion, pasted, erases in this database.
    let words: Vec<&str> = suggested.split_whitespace().skip(1).collect();
    let out = cli(&scratch, &words);
    assert!(out.status.success(), "{}", describe(&out));
    let after = json_of(&scratch, &["--db", &db, "list", "participants", "--format", "json"]);
    let kept = after
        .as_array()
        .expect("people")
        .iter()
        .find(|q| q["id"] == p["id"])
        .expect("kept");
    assert_eq!(
        (
            kept["email"].as_str(),
            kept["surname"].as_str(),
            kept["given_name"].as_str()
        ),
        (Some(""), Some("—"), Some("—"))
    );
    assert_eq!(
        (kept["notes"].as_str(), kept["phone"].as_str()),
        (Some(""), Some("")),
        "the erased record's notes and phone"
    );
    assert_eq!(kept["subjects"].as_array().map(Vec::len), Some(0), "{kept}");
    // Every field of the person is gone from every file of the database directory.
    for value in personal {
        assert_eq!(in_files(value), 0, "{value} still in the files");
    }
    // The totals do not move: attendance rows and indicators are as they were.
    let att = json_of(&scratch, &["--db", &db, "list", "attendance", "--format", "json"]);
    assert_eq!(att.as_array().map(Vec::len), rows_before.as_array().map(Vec::len));
    assert_eq!(report(&scratch), indicators_before);
    let out = cli(&scratch, &["--db", &db, "erase", &id, "--yes"]);
    assert_eq!(out.status.code(), Some(2), "a second time: no such participant");
}

#[test]
fn cli_a_missing_database_is_an_error_except_for_init() {
    let scratch = Scratch::new("nodb");
    let typo = scratch.root.join("typo-db");
    let typo_s = s(&typo);
    for args in [
        vec!["list", "participants"],
        vec!["stats"],
        vec!["report", "indicators"],
        vec!["attendance", "1"],
    ] {
        let mut all = vec!["--db", typo_s.as_str()];
        all.extend(args.iter().copied());
        let out = cli(&scratch, &all);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", describe(&out));
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(
            err.contains(&format!("No database at {typo_s}")) && err.contains(&format!("atbalsts init --db {typo_s}")),
            "{err}"
        );
        assert!(!typo.exists(), "{args:?} created {typo_s}");
    }
    let out = cli(&scratch, &["--db", &typo_s, "init"]);
    assert!(out.status.success(), "{}", describe(&out));
    let out = cli(&scratch, &["--db", &typo_s, "stats"]);
    assert!(out.status.success(), "{}", describe(&out));
}

#[test]
fn the_screen_asks_before_creating_a_database() {
    let scratch = Scratch::new("askdb");
    let db = s(&scratch.root.join("new-db"));
    let t = Tmux::start("askdb", &scratch, (80, 24), &[], &["--db", &db]);
    t.wait_text("Create a new, empty");
    t.send(&["n", "Enter"]);
    let (status, screen) = t.wait_exit();
    assert_ne!(status, 0, "{}", frame(&screen));
    assert!(!scratch.root.join("new-db").join("conf").exists());
    drop(t);
    let t = Tmux::start("askdb2", &scratch, (80, 24), &[], &["--db", &db]);
    t.wait_text("Create a new, empty");
    t.send(&["y", "Enter"]);
    t.wait_text(" orgs · ");
    t.send(&["q"]);
    t.assert_exited_cleanly(0);
    assert!(scratch.root.join("new-db").join("conf").exists());
}

#[test]
fn cli_a_filter_may_start_with_a_minus() {
    let scratch = Scratch::new("minus");
    init_sample(&scratch);
    let db = s(&scratch.db());
    let all = json_of(&scratch, &["--db", &db, "list", "participants", "--format", "json"]);
    let rest = json_of(
        &scratch,
        &[
            "--db",
            &db,
            "list",
            "participants",
            "--format",
            "json",
            "--filter",
            "-role:student",
        ],
    );
    let (all, rest) = (all.as_array().expect("rows"), rest.as_array().expect("rows"));
    assert!(!rest.is_empty() && rest.len() < all.len());
    assert!(rest.iter().all(|p| p["role"] != "student"));
}

#[test]
fn cli_one_time_convention_and_one_code_per_role_in_every_output() {
    let scratch = Scratch::new("onetime");
    init_sample(&scratch);
    let db = s(&scratch.db());
    let riga = |at: &str| {
        let t = chrono::DateTime::parse_from_rfc3339(at).expect("RFC 3339");
        [7200, 10800].contains(&t.offset().local_minus_utc())
    };
    let people = json_of(&scratch, &["--db", &db, "list", "participants", "--format", "json"]);
    let created = people[0]["created_at"].as_str().expect("created_at").to_string();
    assert!(riga(&created), "list: {created}");
    let rows = json_of(&scratch, &["--db", &db, "list", "attendance", "--format", "json"]);
    let at = rows
        .as_array()
        .expect("rows")
        .iter()
        .find_map(|r| r["checked_in_at"].as_str())
        .expect("a check-in time")
        .to_string();
    assert!(riga(&at), "list attendance: {at}");
    // Roles: the same code in `list` and in `report --by role`.
    let codes: std::collections::HashSet<String> = people
        .as_array()
        .expect("people")
        .iter()
        .filter_map(|p| p["role"].as_str().map(String::from))
        .collect();
    let report = json_of(
        &scratch,
        &["--db", &db, "report", "indicators", "--by", "role", "--format", "json"],
    );
    let parts: Vec<String> = report
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["part"].as_str().map(String::from))
        .collect();
    assert!(!parts.is_empty());
    assert!(parts.iter().all(|p| !p.contains(' ')), "{parts:?}");
    assert!(parts.iter().any(|p| codes.contains(p)), "{parts:?} vs {codes:?}");
}

#[test]
fn cli_a_new_database_starts_with_the_project_indicators() {
    let scratch = Scratch::new("newind");
    let db = s(&scratch.db());
    let out = cli(&scratch, &["--db", &db, "init"]);
    assert!(out.status.success(), "{}", describe(&out));
    let inds = json_of(&scratch, &["--db", &db, "list", "indicators", "--format", "json"]);
    let inds = inds.as_array().expect("indicators");
    assert_eq!(inds.len(), 11, "{inds:?}");
    assert!(
        inds.iter().all(|i| i["values"].as_array().is_none_or(|v| v.is_empty())),
        "{inds:?}"
    );
    let people = json_of(&scratch, &["--db", &db, "list", "participants", "--format", "json"]);
    assert!(people.as_array().expect("people").is_empty());
    // init again adds nothing.
    let out = cli(&scratch, &["--db", &db, "init"]);
    assert!(out.status.success(), "{}", describe(&out));
    let inds = json_of(&scratch, &["--db", &db, "list", "indicators", "--format", "json"]);
    assert_eq!(inds.as_array().map(Vec::len), Some(11));
}

// ---------------------------------------------------------------------------------------------
// The team server: two screens on one database

#[test]
fn a_check_in_on_one_screen_shows_on_a_second_screen_within_200_ms_without_a_key() {
    let scratch = Scratch::new("second");
    init_sample(&scratch);
    let (event, title) = planned_event(&scratch);
    let (_, email) = people_not_at(&scratch, event, 1).remove(0);
    let db = s(&scratch.db());
    // Two screens in two tmux servers on one database: the first starts its server, the
    // second attaches to it.
    let first = Tmux::start("second-a", &scratch, (80, 24), &[], &["--db", &db]);
    first.wait_text(" orgs · ");
    let second = Tmux::start("second-b", &scratch, (80, 24), &[], &["--db", &db]);
    second.wait_text(" orgs · ");
    // Each names the other in its status bar (both run as this account).
    let me = atbalsts::account::me();
    for t in [&first, &second] {
        t.wait_for("the other screen in the status bar", |s| {
            status_line(s).contains(&format!("also here: {me}"))
        });
    }
    open_desk(&first, &title);
    open_desk(&second, &title);
    let before = desk_count(&second.screen()).expect("the desk's count");
    assert_eq!(desk_count(&first.screen()), Some(before));

    first.type_text(&email);
    first.send(&["Enter"]);
    let t0 = Instant::now();
    let (mut done_first, mut done_second) = (None, None);
    while done_first.is_none() || done_second.is_none() {
        assert!(t0.elapsed() < TIMEOUT, "{}", frame(&second.screen()));
        if done_second.is_none() && desk_count(&second.screen()) == Some(before + 1) {
            done_second = Some(Instant::now());
        }
        if done_first.is_none() && first.screen().contains("✔ CHECKED IN") {
            done_first = Some(Instant::now());
        }
    }
    let (a, b) = (done_first.unwrap_or(t0), done_second.unwrap_or(t0));
    let late = b.saturating_duration_since(a);
    assert!(
        late <= Duration::from_millis(200),
        "the second screen showed the check-in {late:?} after the first"
    );
    for t in [&first, &second] {
        t.send(&["Escape"]);
        t.wait_for("the desk to close", |s| !s.contains("Name:"));
        t.send(&["q"]);
        t.assert_exited_cleanly(0);
    }
}

/// A long export run at a terminal shows a progress bar on standard error while it works
/// (here after 0 ms instead of a second, so that the test needs no long job) and clears it
/// when done; the same export with its output captured shows none.
#[test]
fn a_long_export_shows_a_progress_bar_at_a_terminal_only() {
    let scratch = Scratch::new("progress");
    let db = s(&scratch.db());
    let out = cli(
        &scratch,
        &[
            "--db",
            &db,
            "--no-server",
            "generate",
            "--participants",
            "30000",
            "--events",
            "10",
            "--attendance",
            "0",
        ],
    );
    assert!(out.status.success(), "{}", describe(&out));
    let file = scratch.root.join("visi.xlsx");
    let raw = scratch.root.join("pane.log");
    let export = |bin: &str| {
        format!(
            "{} --db {} --no-server --lang en export participants -o {}",
            bin,
            sh_quote(&db),
            sh_quote(&s(&file))
        )
    };
    // A moment first, so that everything the program writes reaches the pane's log.
    let t = Tmux::start_shell(
        "progress",
        &scratch,
        (100, 20),
        &[("ATBALSTS_PROGRESS_DELAY_MS", "0")],
        &format!("sleep 1; {}", export(&sh_quote(BIN))),
    );
    t.run(&[
        "pipe-pane",
        "-t",
        "main",
        "-o",
        &format!("cat >> {}", sh_quote(&s(&raw))),
    ]);
    let (status, screen) = t.wait_exit();
    assert_eq!(status, 0, "{}", frame(&screen));
    assert!(screen.contains("Exported 30"), "{}", frame(&screen));
    assert!(
        !screen.contains("Writing rows"),
        "the bar is cleared:\n{}",
        frame(&screen)
    );
    let drawn = String::from_utf8_lossy(&std::fs::read(&raw).expect("the pane's log")).into_owned();
    assert!(
        drawn.contains("Writing rows") && drawn.contains("/30"),
        "a bar with its count was drawn: {drawn:?}"
    );

    // Captured (a pipe, a script): no bar and no escape sequences, only the result.
    let out = Command::new(BIN)
        .args([
            "--db",
            &db,
            "--no-server",
            "--lang",
            "en",
            "export",
            "participants",
            "-o",
        ])
        .arg(&file)
        .env("ATBALSTS_PROGRESS_DELAY_MS", "0")
        .env("TERM", "xterm-256color")
        .env("HOME", scratch.home())
        .stdin(Stdio::null())
        .output()
        .expect("run atbalsts");
    assert!(out.status.success(), "{}", describe(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("Exported 30"), "{err:?}");
    assert!(!err.contains('\u{1b}') && !err.contains("Writing rows"), "{err:?}");
}

#[test]
fn a_registration_list_is_imported_from_the_palette_in_one_change() {
    let scratch = Scratch::new("import");
    init_sample(&scratch);
    let db = s(&scratch.db());
    // A list as a school sends it, in the user's downloads, Windows-1257 with `;`.
    let downloads = scratch.home().join("Lejupielādes");
    std::fs::create_dir_all(&downloads).expect("downloads");
    let text = "Vārds, uzvārds;E-pasta adrese;Izglītības iestāde;Amats\r\n\
                Ērika Ķēniņa;erika.kenina@example.com;Cēsu Valsts ģimnāzija;skolotāja\r\n\
                Gatis Ūdris;gatis.udris@example.com;Cēsu Valsts ģimnāzija;direktora vietnieks\r\n\
                Žanna Šņore;zanna.snore(at)example.com;Cēsu Valsts ģimnāzija;skolotāja\r\n";
    let (bytes, _, bad) = encoding_rs::WINDOWS_1257.encode(text);
    assert!(!bad, "the list is Windows-1257");
    std::fs::write(downloads.join("seminara-saraksts.csv"), &bytes).expect("list");
    let t = Tmux::start("import", &scratch, (80, 24), &[], &["--db", &db]);
    t.wait_text(" orgs · "); // loaded: the status bar counts records
    t.send(&[":"]);
    t.type_text("import");
    t.send(&["Enter"]);
    t.wait_text("File (CSV or Excel):");
    t.type_text("~/Lejup");
    t.send(&["Tab"]);
    t.wait_text("~/Lejupielādes/");
    t.type_text("sem");
    t.send(&["Tab"]);
    t.wait_text("~/Lejupielādes/seminara-saraksts.csv");
    t.send(&["Enter"]);
    let preview = t.wait_text("New people: 2");
    assert!(preview.contains("row 4: not an email address"), "{}", frame(&preview));
    assert!(preview.contains("windows-1257"), "{}", frame(&preview));
    t.send(&["Enter"]);
    t.wait_text("as one change?");
    t.send(&["y"]);
    let done = t.wait_text("Imported from seminara-saraksts.csv as one change");
    assert!(done.contains("new people: 2"), "{}", frame(&done));
    t.send(&["q"]);
    t.assert_exited_cleanly(0);
    drop(t);
    let out = cli(&scratch, &["--db", &db, "list", "participants", "--format", "csv"]);
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(list.contains("Ērika") && list.contains("Ķēniņa"), "{list}");
    assert!(list.contains("Gatis") && list.contains("Ūdris"), "{list}");
    assert!(!list.contains("Šņore"), "the rejected row is not imported: {list}");
}

/// Issue 13, item 18, through the real binary at 80x24: a delete that would be refused is
/// refused before any question and names what holds the record; an event goes together with
/// its registrations in one confirmed step that one `u` brings back.
#[test]
fn deletes_are_refused_by_name_before_the_question_and_an_event_goes_with_its_rows() {
    let scratch = Scratch::new("delete");
    init_sample(&scratch);
    let (_, title) = planned_event(&scratch);
    let db = s(&scratch.db());
    let t = Tmux::start("delete", &scratch, (80, 24), &[], &["--db", &db]);
    t.wait_text(" orgs · ");
    t.send(&["1"]);
    t.wait_text("Partners (");
    t.send(&["/"]);
    t.wait_text("fields:");
    t.type_text("cesu novada pasv");
    t.send(&["Enter"]);
    t.wait_for("Cēsu novada pašvaldība selected", |s| {
        s.lines()
            .any(|l| l.contains('▶') && l.contains("Cēsu novada pašvaldība"))
    });
    t.send(&["d"]);
    let screen = t.wait_text("cannot be deleted");
    assert!(
        !screen.contains("Delete organisation"),
        "no question first:\n{}",
        frame(&screen)
    );
    let flat = unwrapped(&screen);
    assert!(
        flat.contains("it is the parent of these organisations"),
        "{}",
        frame(&screen)
    );

    t.send(&["2"]);
    t.wait_text("Events (");
    t.send(&["/"]);
    t.wait_text("fields:");
    let typed = atbalsts::search::fold(&title);
    t.type_text(&typed);
    t.wait_for("the filter to be typed", |s| {
        s.contains(&typed[typed.len().saturating_sub(12)..])
    });
    t.send(&["Enter"]);
    t.wait_for("the event selected", |s| {
        s.lines()
            .any(|l| l.contains('▶') && l.contains(&title.chars().take(20).collect::<String>()))
    });
    t.send(&["d"]);
    t.wait_text("together with its attendance rows");
    t.send(&["y"]);
    // The question itself names the attendance rows: wait for the answer's words (the
    // status line may wrap them).
    let screen = t.wait_for("the event deleted", |s| unwrapped(s).contains("deleted event"));
    assert!(unwrapped(&screen).contains("attendance rows"), "{}", frame(&screen));
    t.send(&["u"]);
    t.wait_text("Restored");
    t.send(&["q"]);
    t.assert_exited_cleanly(0);
    let events = json_of(&scratch, &["--db", &db, "list", "events", "--format", "json"]);
    let back = events
        .as_array()
        .and_then(|a| a.iter().find(|e| e["title"] == title.as_str()))
        .and_then(|e| e["registered"].as_u64());
    assert!(
        back.is_some_and(|n| n >= 10),
        "the event and its rows are back: {back:?}"
    );
}

/// A restore into a team directory prints its note about the directory while the progress
/// bar is shown: the note gets a line of its own above the bar, never the bar's line.
#[test]
fn restores_directory_note_is_not_drawn_over_the_progress_bar() {
    use std::os::unix::fs::PermissionsExt;
    let scratch = Scratch::new("restore-note");
    let db = s(&scratch.db());
    let out = cli(
        &scratch,
        &[
            "--db",
            &db,
            "--no-server",
            "generate",
            "--participants",
            "30000",
            "--events",
            "10",
            "--attendance",
            "0",
        ],
    );
    assert!(out.status.success(), "{}", describe(&out));
    let backup = scratch.root.join("kopija.jsonl");
    let out = cli(&scratch, &["--db", &db, "--no-server", "backup", &s(&backup)]);
    assert!(out.status.success(), "{}", describe(&out));
    let team = scratch.root.join("komanda");
    std::fs::create_dir(&team).expect("team directory");
    std::fs::set_permissions(&team, std::fs::Permissions::from_mode(0o2770)).expect("setgid");
    let t = Tmux::start_shell(
        "restore-note",
        &scratch,
        (100, 20),
        &[("ATBALSTS_PROGRESS_DELAY_MS", "0")],
        &format!(
            "sleep 1; {} --db {} --lang en restore {}",
            sh_quote(BIN),
            sh_quote(&s(&team)),
            sh_quote(&s(&backup))
        ),
    );
    let raw = scratch.root.join("pane.log");
    t.run(&[
        "pipe-pane",
        "-t",
        "main",
        "-o",
        &format!("cat >> {}", sh_quote(&s(&raw))),
    ]);
    let (status, screen) = t.wait_exit();
    assert_eq!(status, 0, "{}", frame(&screen));
    assert!(screen.contains("Restored 30"), "{}", frame(&screen));
    let drawn = String::from_utf8_lossy(&std::fs::read(&raw).expect("the pane's log")).into_owned();
    let at = drawn.find("Team database").expect("the note");
    assert!(
        drawn[..at].contains("Reading the backup"),
        "the bar was drawn before the note: {drawn:?}"
    );
    // What the terminal shows on the note's line before it: not the bar (cleared first).
    let line = drawn[..at].rsplit(['\r', '\n']).next().unwrap_or_default();
    assert!(!line.contains("Reading the backup"), "{line:?} in {drawn:?}");
}

/// `:eksports ~/FILE` writes into the home directory, as `:import` reads from it, and the
/// message names the whole path written.
#[test]
fn export_from_the_screen_expands_the_home_directory_and_says_the_whole_path() {
    let scratch = Scratch::new("export-home");
    let t = Tmux::start("export-home", &scratch, (100, 30), &[], &["--demo", "--lang", "lv"]);
    t.wait_text(" org. · ");
    t.send(&["3", ":"]);
    t.type_text("eksports ~/saraksts.csv");
    t.send(&["Enter"]);
    let file = scratch.home().join("saraksts.csv");
    let whole = s(&file);
    let screen = t.wait_for("the whole path in the message", |screen| {
        unwrapped(screen).contains(&whole)
    });
    assert!(file.is_file(), "{}", frame(&screen));
    assert!(!screen.contains("no directory"), "{}", frame(&screen));
    t.send(&["q"]);
    t.assert_exited_cleanly(0);
}
