//! Progress of long file jobs (import, export, backup, restore, generate, sign-in sheet):
//! the io code reports steps and counts to a [`Progress`]; it never draws. The command line
//! shows them as a bar on the terminal (`crate::progress_bar`); the screen can show the same.

use crate::i18n::M;

/// What a long job is doing now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Reading and decoding a file (counted in bytes when the total is known).
    Reading,
    /// Matching an import's rows against the database (rows).
    Planning,
    /// Writing the change to the database (no count).
    Saving,
    /// Writing rows to a file (rows).
    Writing,
    /// Packing a spreadsheet or a PDF (no count).
    Packing,
    /// Writing a backup (lines).
    BackingUp,
    /// Reading and checking a backup (bytes).
    Restoring,
    /// Making synthetic records (records).
    Generating,
    /// Taking what an export's rows need out of the data (no count).
    Gathering,
}

impl Step {
    /// The step's words, in the interface language.
    pub fn label(self) -> M {
        match self {
            Step::Reading => M::ProgReading,
            Step::Planning => M::ProgPlanning,
            Step::Saving => M::ProgSaving,
            Step::Writing => M::ProgWriting,
            Step::Packing => M::ProgPacking,
            Step::BackingUp => M::ProgBackingUp,
            Step::Restoring => M::ProgRestoring,
            Step::Generating => M::ProgGenerating,
            Step::Gathering => M::ExportGathering,
        }
    }

    /// Whether its counts are bytes (else rows, lines or records).
    pub fn in_bytes(self) -> bool {
        matches!(self, Step::Reading | Step::Restoring)
    }
}

/// Where a long job reports how far it is. Counts come now and then (see [`EVERY`]), never
/// per unit, so an implementation may do a little work on each.
pub trait Progress {
    /// A new step begins, with its number of units (`None`: not known).
    fn step(&mut self, step: Step, total: Option<u64>);
    /// `done` units of the current step are done.
    fn done(&mut self, done: u64);
    /// Whether the job is no longer wanted (the screen's Esc): long loops look now and
    /// then (see [`CHECK_EVERY`]) and stop early.
    fn cancelled(&self) -> bool {
        false
    }
}

/// Loops that can be cancelled look at [`Progress::cancelled`] every this many units: a
/// few milliseconds of work at most.
pub const CHECK_EVERY: u64 = 512;

/// Whether a loop at unit `n` should stop: every [`CHECK_EVERY`] units, asks `p`.
pub fn stop(p: &dyn Progress, n: u64) -> bool {
    n.is_multiple_of(CHECK_EVERY) && p.cancelled()
}

/// Reports nothing: for tests, pipes and callers that do not show progress.
#[derive(Clone, Copy, Debug, Default)]
pub struct Silent;

impl Progress for Silent {
    fn step(&mut self, _: Step, _: Option<u64>) {}
    fn done(&mut self, _: u64) {}
}

/// Loops report every this many units.
pub const EVERY: u64 = 4096;

/// Reports `n` units done when `n` is a multiple of [`EVERY`] (call once per unit).
pub fn every(p: &mut dyn Progress, n: u64) {
    if n.is_multiple_of(EVERY) {
        p.done(n);
    }
}

/// Every call a [`Progress`] got, in order: for tests of the io code's reporting.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recorded {
    pub steps: Vec<(Step, Option<u64>)>,
    /// The last count of each step, in the order of `steps`.
    pub last: Vec<u64>,
}

impl Progress for Recorded {
    fn step(&mut self, step: Step, total: Option<u64>) {
        self.steps.push((step, total));
        self.last.push(0);
    }
    fn done(&mut self, done: u64) {
        if let Some(l) = self.last.last_mut() {
            *l = done;
        }
    }
}

/// A reader that counts the bytes read through it (shared with the counter's other
/// handle), for reporting progress through a file read in one pass.
pub struct Counting<R> {
    inner: R,
    read: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl<R> Counting<R> {
    /// The reader and a handle to its count.
    pub fn new(inner: R) -> (Counting<R>, std::sync::Arc<std::sync::atomic::AtomicU64>) {
        let read = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        (
            Counting {
                inner,
                read: read.clone(),
            },
            read,
        )
    }
}

impl<R: std::io::Read> std::io::Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reports_on_multiples_only() {
        let mut r = Recorded::default();
        r.step(Step::Writing, Some(10_000));
        for n in 1..=10_000 {
            every(&mut r, n);
        }
        assert_eq!(r.last, vec![8192]);
    }

    #[test]
    fn counting_counts_what_was_read() {
        let (mut c, n) = Counting::new(&b"hello world"[..]);
        let mut s = String::new();
        std::io::Read::read_to_string(&mut c, &mut s).expect("read");
        assert_eq!(n.load(std::sync::atomic::Ordering::Relaxed), 11);
    }
}
