//! The command line's progress bar (indicatif, on standard error) for long file jobs: an
//! `io::progress::Progress` that draws only on an interactive terminal and only once a job
//! has run for a second, and leaves no trace when it ends. Knows nothing of the jobs.

use crate::i18n::t;
use crate::io::progress::{Progress, Step};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::mpsc;
use std::time::Duration;

/// A job shorter than this never shows a bar.
pub const DELAY: Duration = Duration::from_secs(1);

/// [`DELAY`], or `ATBALSTS_PROGRESS_DELAY_MS` milliseconds (for tests that must see a
/// bar without a job that long).
fn delay() -> Duration {
    std::env::var("ATBALSTS_PROGRESS_DELAY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(DELAY, Duration::from_millis)
}

/// Whether a bar may be drawn: only for someone watching a terminal, i.e. when both
/// standard error (where it is drawn) and standard output are terminals (not a pipe, a
/// file or a test's capture: a script reading the output never sees one), and the terminal
/// can move its cursor (`TERM` is set and not `dumb`).
pub fn wanted(stderr_terminal: bool, stdout_terminal: bool, term: Option<&str>) -> bool {
    stderr_terminal && stdout_terminal && term.is_some_and(|t| !t.is_empty() && t != "dumb")
}

/// [`wanted`] for this process.
pub fn wanted_here() -> bool {
    wanted(
        std::io::stderr().is_terminal(),
        std::io::stdout().is_terminal(),
        std::env::var("TERM").ok().as_deref(),
    )
}

/// The bar of one command. Hidden at first; a watcher thread makes it visible after
/// [`DELAY`] if the job is still running, and it is cleared when dropped.
pub struct Bar {
    bar: ProgressBar,
    stop: Option<mpsc::Sender<()>>,
    watcher: Option<std::thread::JoinHandle<()>>,
    step: Option<Step>,
}

impl Bar {
    /// A bar for this process: drawn only if [`wanted`] here.
    pub fn new() -> Bar {
        Bar::with(wanted_here())
    }

    /// A bar that is drawn after [`DELAY`] if `show`, else never.
    pub fn with(show: bool) -> Bar {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        let (stop, watcher) = if show {
            let (tx, rx) = mpsc::channel::<()>();
            let shown = bar.clone();
            let watcher = std::thread::spawn(move || {
                if rx.recv_timeout(delay()) == Err(mpsc::RecvTimeoutError::Timeout) {
                    shown.set_draw_target(ProgressDrawTarget::stderr_with_hz(10));
                    shown.enable_steady_tick(Duration::from_millis(120));
                }
            });
            (Some(tx), Some(watcher))
        } else {
            (None, None)
        };
        Bar {
            bar,
            stop,
            watcher,
            step: None,
        }
    }

    /// Prints a line on standard error above the bar (hidden while it prints, then drawn
    /// again below it), so that a note never lands on the bar's line.
    pub fn note(&self, text: &str) {
        self.bar.suspend(|| eprintln!("{text}"));
    }

    /// Clears the bar (before the command prints its result).
    pub fn finish(mut self) {
        self.clear();
    }

    fn clear(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(w) = self.watcher.take() {
            let _ = w.join();
        }
        self.bar.finish_and_clear();
    }
}

impl Default for Bar {
    fn default() -> Bar {
        Bar::new()
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.clear();
    }
}

/// The bar's look for a step with or without a known total.
fn style(step: Step, counted: bool) -> ProgressStyle {
    let template = match (counted, step.in_bytes()) {
        (true, true) => "{spinner} {msg} [{bar:30}] {bytes}/{total_bytes} ({eta})",
        (true, false) => "{spinner} {msg} [{bar:30}] {human_pos}/{human_len} ({eta})",
        (false, true) => "{spinner} {msg} {bytes} ({elapsed})",
        (false, false) => "{spinner} {msg} ({elapsed})",
    };
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
        .progress_chars("=> ")
}

impl Progress for Bar {
    fn step(&mut self, step: Step, total: Option<u64>) {
        self.step = Some(step);
        self.bar.set_style(style(step, total.is_some()));
        match total {
            Some(n) => self.bar.set_length(n),
            None => self.bar.unset_length(),
        }
        self.bar.set_position(0);
        self.bar.reset_eta();
        self.bar.set_message(t(step.label()));
    }

    fn done(&mut self, done: u64) {
        self.bar.set_position(done);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_only_for_someone_at_a_terminal() {
        assert!(wanted(true, true, Some("xterm-256color")));
        assert!(wanted(true, true, Some("tmux-256color")));
        // Output to a pipe or a file (a script, `> file`, `--format json | jq`): none.
        assert!(!wanted(true, false, Some("xterm")));
        // Standard error captured (tests, `2> log`): none.
        assert!(!wanted(false, true, Some("xterm")));
        assert!(!wanted(false, false, Some("xterm")));
        // A terminal that cannot move its cursor: none.
        assert!(!wanted(true, true, Some("dumb")));
        assert!(!wanted(true, true, None));
        assert!(!wanted(true, true, Some("")));
    }

    #[test]
    fn a_hidden_bar_takes_every_step_and_ends_quietly() {
        let mut b = Bar::with(false);
        b.step(Step::Writing, Some(10));
        b.done(5);
        assert_eq!(b.bar.position(), 5);
        assert_eq!(b.bar.length(), Some(10));
        b.step(Step::Packing, None);
        assert_eq!(b.bar.length(), None);
        assert!(b.bar.is_hidden());
        b.finish();
    }

    #[test]
    fn a_short_job_ends_before_the_bar_shows() {
        let t0 = std::time::Instant::now();
        let mut b = Bar::with(true);
        b.step(Step::Writing, Some(10));
        b.finish();
        // The watcher is stopped at once, not after its delay.
        assert!(t0.elapsed() < DELAY, "{:?}", t0.elapsed());
    }
}
