//! Long jobs of the screen (reading and planning an import, writing an export) on a thread
//! of their own: the job reports through `io::progress::Progress` over a channel, the screen
//! takes the reports at each tick and draws them as a bar (step, percent, done / total)
//! while keys keep working. Dropping the [`Job`] abandons it: its result is never taken,
//! and the job's loops see [`Progress::cancelled`] and stop early; how it ended can be
//! watched ([`Job::watch`]).

use crate::i18n::{M, f, t};
use crate::io::progress::{Progress, Step};
use ratatui::text::{Line, Span};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::sync::{Arc, Mutex};

/// What a job's thread sends.
enum Msg<T> {
    Step(Step, Option<u64>),
    Done(u64),
    Finished(T),
}

/// How far a job is, as last reported.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shown {
    pub step: Option<Step>,
    pub total: Option<u64>,
    pub done: u64,
}

impl Shown {
    /// The percent done of the current step, when its total is known.
    pub fn percent(&self) -> Option<u64> {
        match self.total {
            Some(0) => Some(100),
            Some(n) => Some((self.done.min(n) * 100) / n),
            None => None,
        }
    }
}

/// The thread's end of the channel: a [`Progress`] that sends what it is told, and tells
/// the job whether the screen still wants the result.
pub struct Reporter<T> {
    tx: Sender<Msg<T>>,
    wanted: Arc<AtomicBool>,
    /// The work was told it is no longer wanted (it looked, and was to stop).
    told: AtomicBool,
}

impl<T> Reporter<T> {
    /// Whether the screen still waits for the result (false after Esc).
    pub fn wanted(&self) -> bool {
        self.wanted.load(Ordering::Relaxed)
    }
}

impl<T> Progress for Reporter<T> {
    fn step(&mut self, step: Step, total: Option<u64>) {
        let _ = self.tx.send(Msg::Step(step, total));
    }
    fn done(&mut self, done: u64) {
        let _ = self.tx.send(Msg::Done(done));
    }
    fn cancelled(&self) -> bool {
        let gone = !self.wanted();
        if gone {
            self.told.store(true, Ordering::Relaxed);
        }
        gone
    }
}

/// How a job's thread ended, as [`Watch::ended`] tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// Its work ran to the end.
    Done,
    /// Its work saw it was no longer wanted and stopped early.
    Cancelled,
}

/// Running, then one of [`Ended`] (as a byte shared with the thread).
const RUNNING: u8 = 0;
const DONE: u8 = 1;
const CANCELLED: u8 = 2;

/// Tells whether a job's thread still runs, after its [`Job`] is gone too.
#[derive(Clone, Debug)]
pub struct Watch(Arc<AtomicU8>);

impl Watch {
    /// `None` while the thread runs.
    pub fn ended(&self) -> Option<Ended> {
        match self.0.load(Ordering::Acquire) {
            DONE => Some(Ended::Done),
            CANCELLED => Some(Ended::Cancelled),
            _ => None,
        }
    }
}

/// A job running on its own thread, and how far it is. Copies of a `Job` (a layer's state
/// is cloned) share its channel; when the last one is dropped the job is no longer wanted.
#[derive(Debug)]
pub struct Job<T> {
    rx: Arc<Mutex<Receiver<Msg<T>>>>,
    wanted: Arc<Wanted>,
    pub shown: Shown,
    /// The job ended without a result (its thread panicked).
    lost: bool,
    ended: Watch,
}

impl<T> Clone for Job<T> {
    fn clone(&self) -> Job<T> {
        Job {
            rx: Arc::clone(&self.rx),
            wanted: Arc::clone(&self.wanted),
            shown: self.shown,
            lost: self.lost,
            ended: self.ended.clone(),
        }
    }
}

/// Tells the thread it is no longer wanted when the last copy of its job goes.
#[derive(Debug)]
struct Wanted(Arc<AtomicBool>);

impl Drop for Wanted {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Relaxed);
    }
}

impl<T> std::fmt::Debug for Msg<T> {
    fn fmt(&self, fm: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Msg::Step(s, n) => write!(fm, "Step({s:?}, {n:?})"),
            Msg::Done(n) => write!(fm, "Done({n})"),
            Msg::Finished(_) => write!(fm, "Finished"),
        }
    }
}

/// What [`Job::poll`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum Polled<T> {
    /// Nothing new.
    Quiet,
    /// New progress to draw.
    Moved,
    /// The result.
    Finished(T),
    /// The thread ended without one.
    Lost,
}

impl<T: Send + 'static> Job<T> {
    /// Runs `work` on a new thread; it reports to the [`Reporter`] it is given.
    pub fn spawn(work: impl FnOnce(&mut Reporter<T>) -> T + Send + 'static) -> Job<T> {
        let (tx, rx) = channel();
        let wanted = Arc::new(AtomicBool::new(true));
        let mut reporter = Reporter {
            tx,
            wanted: Arc::clone(&wanted),
            told: AtomicBool::new(false),
        };
        let ended = Watch(Arc::new(AtomicU8::new(RUNNING)));
        let end = ended.clone();
        std::thread::spawn(move || {
            let out = work(&mut reporter);
            let how = if reporter.told.load(Ordering::Relaxed) {
                CANCELLED
            } else {
                DONE
            };
            let _ = reporter.tx.send(Msg::Finished(out));
            end.0.store(how, Ordering::Release);
        });
        Job {
            rx: Arc::new(Mutex::new(rx)),
            wanted: Arc::new(Wanted(wanted)),
            shown: Shown::default(),
            lost: false,
            ended,
        }
    }
}

impl<T> Job<T> {
    /// A handle that tells when the job's thread has ended, and how (kept after the job is
    /// dropped: Esc abandons a job, its thread stops soon after).
    pub fn watch(&self) -> Watch {
        self.ended.clone()
    }

    /// Takes every report waiting (never blocks).
    pub fn poll(&mut self) -> Polled<T> {
        let mut moved = false;
        let Ok(rx) = self.rx.lock() else {
            return Polled::Quiet;
        };
        loop {
            match rx.try_recv() {
                Ok(Msg::Step(step, total)) => {
                    self.shown = Shown {
                        step: Some(step),
                        total,
                        done: 0,
                    };
                    moved = true;
                }
                Ok(Msg::Done(n)) => {
                    self.shown.done = n;
                    moved = true;
                }
                Ok(Msg::Finished(out)) => return Polled::Finished(out),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) if !self.lost => {
                    drop(rx);
                    self.lost = true;
                    return Polled::Lost;
                }
                Err(TryRecvError::Disconnected) => break,
            }
        }
        if moved { Polled::Moved } else { Polled::Quiet }
    }
}

/// The bar's lines at `width` columns: the step's words and a bar with the percent and the
/// count ("Reading the file … 42% · 1.2 MB / 2.9 MB"), or a moving-less line when the total
/// is not known.
pub fn bar_lines(shown: &Shown, width: usize, th: &super::theme::Theme) -> Vec<Line<'static>> {
    let (what, count) = words(shown);
    let mut lines = vec![Line::from(Span::styled(format!("⏳ {what}"), th.title()))];
    if let Some(pc) = shown.percent() {
        let label = format!(" {pc:>3}%  {count}");
        let cells = width.saturating_sub(label.chars().count() + 2).clamp(1, 60);
        let full = (cells as u64 * pc / 100) as usize;
        lines.push(Line::from(vec![
            Span::styled("█".repeat(full), th.key()),
            Span::raw("░".repeat(cells - full)),
            Span::raw(label),
        ]));
    } else if !count.is_empty() {
        lines.push(Line::from(count));
    }
    lines
}

/// The step's words and how far it is ("1.2 MB of 2.9 MB"), as the bar and the status
/// line show them.
fn words(shown: &Shown) -> (String, String) {
    let what = shown
        .step
        .map_or_else(|| t(M::ProgStarting).to_string(), |s| t(s.label()).to_string());
    let in_bytes = shown.step.is_some_and(Step::in_bytes);
    let amount = |n: u64| {
        if in_bytes { bytes(n) } else { n.to_string() }
    };
    let count = match shown.total {
        Some(n) => f(M::ProgCount, &[&amount(shown.done), &amount(n)]),
        None if shown.done > 0 => amount(shown.done),
        None => String::new(),
    };
    (what, count)
}

/// How far a job is in one line, for the status bar ("⏳ Writing rows 42% · 1200 of 3000").
pub fn one_line(shown: &Shown) -> String {
    let (what, count) = words(shown);
    match (shown.percent(), count.is_empty()) {
        (Some(pc), _) => format!("⏳ {what} {pc}% · {count}"),
        (None, false) => format!("⏳ {what} · {count}"),
        (None, true) => format!("⏳ {what}"),
    }
}

/// A size in bytes as people read it ("812 B", "4.2 MB"; decimal units, as file managers
/// show them).
fn bytes(n: u64) -> String {
    match n {
        0..1_000 => format!("{n} B"),
        1_000..1_000_000 => format!("{:.1} kB", n as f64 / 1e3),
        _ => format!("{:.1} MB", n as f64 / 1e6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_arrive_in_order_then_the_result() {
        let (go, wait) = std::sync::mpsc::channel::<()>();
        let mut job = Job::spawn(move |r| {
            r.step(Step::Planning, Some(200));
            r.done(50);
            let _ = wait.recv();
            7
        });
        let mut seen = Shown::default();
        for _ in 0..1000 {
            if job.poll() == Polled::Moved {
                seen = job.shown;
            }
            if seen.done == 50 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        assert_eq!(
            seen,
            Shown {
                step: Some(Step::Planning),
                total: Some(200),
                done: 50
            }
        );
        assert_eq!(seen.percent(), Some(25));
        let _ = go.send(());
        let out = (0..1000).find_map(|_| match job.poll() {
            Polled::Finished(n) => Some(n),
            _ => {
                std::thread::sleep(std::time::Duration::from_millis(1));
                None
            }
        });
        assert_eq!(out, Some(7));
    }

    #[test]
    fn a_dropped_job_is_no_longer_wanted() {
        let (go, wait) = std::sync::mpsc::channel::<()>();
        let (tell, told) = std::sync::mpsc::channel::<bool>();
        let job = Job::spawn(move |r: &mut Reporter<()>| {
            let _ = wait.recv();
            let _ = tell.send(r.wanted());
        });
        drop(job);
        let _ = go.send(());
        assert_eq!(told.recv().ok(), Some(false));
    }

    /// Work that looks at `cancelled` stops once its job is dropped, and its watch says
    /// it ended cancelled; work that ran to the end says done.
    #[test]
    fn a_dropped_job_stops_its_loop_and_ends_cancelled() {
        let (started, wait) = std::sync::mpsc::channel::<()>();
        let job = Job::spawn(move |r: &mut Reporter<u64>| {
            let _ = started.send(());
            let mut n = 0u64;
            while !crate::io::progress::stop(&*r, n) {
                n += 1;
                std::thread::yield_now();
            }
            n
        });
        let watch = job.watch();
        let _ = wait.recv();
        assert_eq!(watch.ended(), None, "it loops until told");
        drop(job);
        let ended = (0..2000).find_map(|_| {
            std::thread::sleep(std::time::Duration::from_millis(1));
            watch.ended()
        });
        assert_eq!(ended, Some(Ended::Cancelled));
        let mut job = Job::spawn(|_: &mut Reporter<u8>| 1);
        let out = (0..2000).find_map(|_| {
            std::thread::sleep(std::time::Duration::from_millis(1));
            match job.poll() {
                Polled::Finished(n) => Some(n),
                _ => None,
            }
        });
        assert_eq!(out, Some(1));
        let ended = (0..2000).find_map(|_| {
            std::thread::sleep(std::time::Duration::from_millis(1));
            job.watch().ended()
        });
        assert_eq!(ended, Some(Ended::Done));
    }

    #[test]
    fn the_bar_fills_with_the_percent() {
        let th = super::super::theme::Theme { color: false };
        let shown = Shown {
            step: Some(Step::Planning),
            total: Some(1000),
            done: 500,
        };
        let lines = bar_lines(&shown, 40, &th);
        let bar: String = lines[1].spans.iter().map(|s| s.content.to_string()).collect();
        let full = bar.chars().filter(|c| *c == '█').count();
        let empty = bar.chars().filter(|c| *c == '░').count();
        assert_eq!(full, (full + empty) / 2, "{bar}");
        assert!(
            bar.contains("50%") && bar.contains("500") && bar.contains("1000"),
            "{bar}"
        );
    }
}
