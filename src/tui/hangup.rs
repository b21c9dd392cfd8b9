//! Noticing that the terminal is gone when no SIGHUP says so: a killed tmux, an sshd child
//! killed hard, or a `su -` or `setsid` between the screen and the terminal's session.
//!
//! The kernel hangs the tty up: `poll` on it reports POLLHUP and every `read` returns 0 at
//! once. crossterm's event source (the mio one, crossterm 0.29) retries such reads forever
//! inside `event::poll`, whatever its timeout (crossterm#793; the fix, PR #1067, is not
//! released), so the event loop would never come back to notice, burning a core while the
//! server lists the screen as attached.
//!
//! A thread waits in `poll` on the terminal's input asking for no events, so keys do not
//! wake it; only a hang-up, an error or a closed descriptor does. It then:
//! 1. says so ([`Watch::gone`]);
//! 2. puts an empty non-blocking pipe where the terminal's input was, so that crossterm's
//!    reads stop at "would block" and its poll returns by its timeout, and `/dev/null` where
//!    standard output and error were, if they were the same terminal: writes to a hung-up
//!    terminal fail, and ratatui reports failures while restoring it with `eprintln!`, which
//!    panics on a failed write;
//! 3. gives the event loop [`GRACE`] to end the screen the normal way (the backend dropped,
//!    so the server sees the screen leave; the terminal restored as far as it still can be).
//!
//! Only if the loop has not left by then does the thread end the process itself.

use crate::log;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// How long the event loop has to end the screen itself once the terminal is gone.
const GRACE: Duration = Duration::from_secs(1);

/// What the watching thread and the event loop share.
#[derive(Default)]
struct Flags {
    /// The terminal is gone (set by the thread).
    gone: AtomicBool,
    /// The event loop has left (set when its [`Watch`] is dropped).
    left: AtomicBool,
}

/// The event loop's side of the watch. Dropping it tells the thread the loop has left.
pub struct Watch {
    flags: Arc<Flags>,
}

impl Watch {
    /// Whether the terminal's input has hung up (the screen should end).
    pub fn gone(&self) -> bool {
        self.flags.gone.load(Ordering::SeqCst)
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.flags.left.store(true, Ordering::SeqCst);
    }
}

/// Starts watching the terminal the screen reads its keys from (standard input).
pub fn watch() -> Watch {
    let flags = Arc::new(Flags::default());
    let theirs = Arc::clone(&flags);
    let started = std::thread::Builder::new()
        .name("hangup".into())
        .spawn(move || watch_fd(libc::STDIN_FILENO, &theirs));
    if let Err(e) = started {
        log!("hangup: cannot watch the terminal: {e}");
    }
    Watch { flags }
}

fn watch_fd(fd: RawFd, flags: &Flags) {
    let Some(revents) = wait_for_hangup(fd) else {
        return;
    };
    log!("terminal gone (poll revents={revents:#x}): ending the screen");
    flags.gone.store(true, Ordering::SeqCst);
    let terminal = device(fd);
    unstick(fd);
    for out in [libc::STDOUT_FILENO, libc::STDERR_FILENO] {
        if terminal.is_some() && device(out) == terminal {
            to_dev_null(out);
        }
    }
    let t0 = Instant::now();
    while !flags.left.load(Ordering::SeqCst) {
        if t0.elapsed() >= GRACE {
            log!("terminal gone: the event loop did not stop, exiting");
            super::exit_now(1);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Blocks until `fd` hangs up, fails or is closed; returns poll's `revents` then, or `None`
/// if poll itself cannot be used.
fn wait_for_hangup(fd: RawFd) -> Option<libc::c_short> {
    // No events asked for: POLLHUP, POLLERR and POLLNVAL are reported all the same, and
    // input (keys, pastes) does not end the wait.
    let mut p = libc::pollfd {
        fd,
        events: 0,
        revents: 0,
    };
    loop {
        // SAFETY: `p` is one valid pollfd for the duration of the call.
        let n = unsafe { libc::poll(&mut p, 1, -1) };
        if n > 0 && p.revents != 0 {
            return Some(p.revents);
        }
        if n < 0 {
            let e = std::io::Error::last_os_error();
            if e.kind() != std::io::ErrorKind::Interrupted {
                log!("hangup: poll failed, not watching the terminal: {e}");
                return None;
            }
        }
    }
}

/// The write end of the pipe put in place of the terminal's input: kept open for the rest of
/// the process, or reads would see end-of-file again.
static KEEP_OPEN: OnceLock<OwnedFd> = OnceLock::new();

/// Puts the read end of an empty non-blocking pipe in place of `fd`, so that a reader
/// looping on end-of-file gets "would block" and stops.
fn unstick(fd: RawFd) {
    let mut ends: [RawFd; 2] = [-1; 2];
    // SAFETY: pipe2 writes two new descriptors into `ends`.
    if unsafe { libc::pipe2(ends.as_mut_ptr(), libc::O_CLOEXEC | libc::O_NONBLOCK) } != 0 {
        log!("hangup: no pipe: {}", std::io::Error::last_os_error());
        return;
    }
    // SAFETY: both descriptors were just created and belong to nothing else.
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(ends[0]), OwnedFd::from_raw_fd(ends[1])) };
    // SAFETY: dup2 atomically replaces the program's own standard input, which nothing but
    // the event source reads.
    if unsafe { libc::dup2(read.as_raw_fd(), fd) } < 0 {
        log!(
            "hangup: cannot replace the terminal's input: {}",
            std::io::Error::last_os_error()
        );
        return;
    }
    let _ = KEEP_OPEN.set(write);
}

/// The character device `fd` is open on, if it is one.
fn device(fd: RawFd) -> Option<libc::dev_t> {
    // SAFETY: fstat fills the zeroed struct it is given, or fails.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `st` is valid for writing.
    let ok = unsafe { libc::fstat(fd, &mut st) } == 0;
    (ok && st.st_mode & libc::S_IFMT == libc::S_IFCHR).then_some(st.st_rdev)
}

/// Puts `/dev/null` in place of `fd` (an output on the terminal that is gone).
fn to_dev_null(fd: RawFd) {
    let null = match std::fs::OpenOptions::new().write(true).open("/dev/null") {
        Ok(f) => f,
        Err(e) => {
            log!("hangup: no /dev/null: {e}");
            return;
        }
    };
    // SAFETY: dup2 atomically replaces one of the program's own standard descriptors.
    if unsafe { libc::dup2(null.as_raw_fd(), fd) } < 0 {
        log!(
            "hangup: cannot replace output {fd}: {}",
            std::io::Error::last_os_error()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pair of pseudo-terminal ends (master, slave), as a terminal window holds them.
    fn pty() -> (OwnedFd, OwnedFd) {
        // SAFETY: posix_openpt returns a new descriptor or -1.
        let master = unsafe { libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC) };
        assert!(master >= 0, "posix_openpt: {}", std::io::Error::last_os_error());
        // SAFETY: the descriptor was just created.
        let master = unsafe { OwnedFd::from_raw_fd(master) };
        let mut name = [0 as libc::c_char; 64];
        // SAFETY: plain calls on the valid master descriptor; ptsname_r writes a
        // NUL-terminated name into `name`, within its length.
        let slave = unsafe {
            assert_eq!(libc::grantpt(master.as_raw_fd()), 0);
            assert_eq!(libc::unlockpt(master.as_raw_fd()), 0);
            assert_eq!(libc::ptsname_r(master.as_raw_fd(), name.as_mut_ptr(), name.len()), 0);
            libc::open(name.as_ptr(), libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC)
        };
        assert!(slave >= 0, "open the slave: {}", std::io::Error::last_os_error());
        // SAFETY: the descriptor was just created.
        (master, unsafe { OwnedFd::from_raw_fd(slave) })
    }

    fn read(fd: RawFd) -> std::io::Result<usize> {
        let mut buf = [0u8; 16];
        // SAFETY: `buf` is valid for its length.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n < 0 {
            Err(std::io::Error::last_os_error())
        } else {
            Ok(n as usize)
        }
    }

    #[test]
    fn input_does_not_end_the_wait_a_closed_terminal_does_and_reads_then_would_block() {
        let (master, slave) = pty();
        let fd = slave.as_raw_fd();
        let (tx, rx) = std::sync::mpsc::channel();
        let waiter = std::thread::spawn(move || {
            let _ = tx.send(wait_for_hangup(fd));
        });
        // Typing on the terminal wakes nobody.
        // SAFETY: writes three bytes from a valid buffer.
        assert_eq!(unsafe { libc::write(master.as_raw_fd(), b"abc".as_ptr().cast(), 3) }, 3);
        assert!(rx.recv_timeout(Duration::from_millis(200)).is_err(), "woken by input");
        // The window closes: the kernel hangs the terminal up.
        drop(master);
        let revents = rx
            .recv_timeout(Duration::from_secs(5))
            .expect("the wait ends when the terminal goes")
            .expect("poll worked");
        assert_ne!(revents & libc::POLLHUP, 0, "revents {revents:#x}");
        let _ = waiter.join();
        // A hung-up terminal reads as end-of-file for good: the spin crossterm falls into.
        assert_eq!(read(fd).ok(), Some(0));
        // After `unstick`, the same descriptor says "would block" instead.
        assert!(device(fd).is_some(), "a terminal is a character device");
        unstick(fd);
        assert_eq!(device(fd), None, "a pipe now");
        let e = read(fd).expect_err("an empty non-blocking pipe");
        assert_eq!(e.kind(), std::io::ErrorKind::WouldBlock);
    }
}
