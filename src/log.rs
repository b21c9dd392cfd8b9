//! Logging to a file (never to the screen): off unless asked for with --log or
//! ATBALSTS_LOG; lines carry a timestamp and milliseconds since start. The file is private
//! (0600) wherever it is, and callers log counts, lengths and timings only: never typed
//! text, names or paths a person chose.

use std::io::Write;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

struct Log {
    file: Mutex<std::fs::File>,
    start: Instant,
}

static LOG: OnceLock<Log> = OnceLock::new();
static START: OnceLock<Instant> = OnceLock::new();

/// Marks the process start (call first thing in main).
pub fn mark_start() {
    let _ = START.set(Instant::now());
}

/// Milliseconds since [`mark_start`].
pub fn since_start_ms() -> f64 {
    START.get().map(|s| s.elapsed().as_secs_f64() * 1000.0).unwrap_or(0.0)
}

/// Opens (appending) the log file, created 0600 whatever the umask; an existing one that
/// others could read is made 0600.
pub fn init(path: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)?;
    let meta = file.metadata()?;
    if meta.permissions().mode() & 0o077 != 0 {
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    let start = START.get().copied().unwrap_or_else(Instant::now);
    let _ = LOG.set(Log {
        file: Mutex::new(file),
        start,
    });
    Ok(())
}

/// Writes one line, if logging is on.
pub fn write(line: std::fmt::Arguments<'_>) {
    if let Some(log) = LOG.get()
        && let Ok(mut f) = log.file.lock()
    {
        let ms = log.start.elapsed().as_secs_f64() * 1000.0;
        let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ");
        let _ = writeln!(f, "{now} +{ms:.1}ms {line}");
    }
}

/// `log!("...", args)`: one line to the log file, if logging is on.
#[macro_export]
macro_rules! log {
    ($($arg:tt)*) => { $crate::log::write(format_args!($($arg)*)) };
}

/// Resident memory now and at its peak, in KiB (Linux; zeros elsewhere).
pub fn memory_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    (status_kib(&status, "VmRSS:"), status_kib(&status, "VmHWM:"))
}

/// A `kB` field (e.g. `VmRSS:`) of a `/proc/PID/status` text; 0 if absent.
pub fn status_kib(status: &str, name: &str) -> u64 {
    status
        .lines()
        .find(|l| l.starts_with(name))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn the_log_file_is_private_whatever_the_umask() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("x.log");
        std::fs::write(&p, "").expect("write");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o666)).expect("chmod");
        init(&p).expect("init");
        let mode = std::fs::metadata(&p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
