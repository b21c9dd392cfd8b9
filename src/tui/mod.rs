//! The terminal UI: terminal setup and restore (also on panic, SIGTERM, SIGHUP, and a
//! terminal that goes away without a signal: see [`hangup`]), the event loop, and the
//! background load that lets the first frame appear before the data.

pub mod actions;
pub mod app;
pub mod changes;
pub mod desk;
pub mod documents;
pub mod dups;
pub mod editor;
pub mod form;
pub mod hangup;
pub mod import;
pub mod input;
pub mod keymap;
pub mod keymap_load;
pub mod last_pane;
pub mod layer;
pub mod messages;
pub mod overlay;
pub mod palette;
pub mod panes;
pub mod progress;
pub mod project;
pub mod select;
pub mod theme;
pub mod ui;
pub mod values;
pub mod views;
pub mod wrap;

use crate::backend::Backend;
use crate::log;
use crate::store::StoreError;
use app::App;
use ratatui::crossterm::event::{self, Event};
use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Whether stdin and stdout are both terminals (the screen needs them).
pub fn has_terminal() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// Restores the terminal when dropped (normal exit and early returns alike).
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Bracketed paste off, then ratatui's restore (raw mode, alternate screen), failures
/// ignored: not `ratatui::restore`, which reports them with `eprintln!`, and that panics when
/// standard error is a terminal that is gone (in the panic hook, it aborts the program).
fn restore_terminal() {
    let _ = ratatui::crossterm::execute!(std::io::stdout(), ratatui::crossterm::event::DisableBracketedPaste);
    let _ = ratatui::try_restore();
}

/// `ratatui::init` with [`restore_terminal`] in the panic hook, and failures returned rather
/// than panicked on: raw mode, the alternate screen, a terminal on standard output.
fn init_terminal() -> std::io::Result<ratatui::DefaultTerminal> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        hook(info);
    }));
    ratatui::crossterm::terminal::enable_raw_mode()?;
    ratatui::crossterm::execute!(std::io::stdout(), ratatui::crossterm::terminal::EnterAlternateScreen)?;
    ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(std::io::stdout()))
}

/// Takes hidden characters (bidi controls, zero-width marks: see [`crate::domain::text`])
/// out of a drawn frame, so that text stored before input was cleaned cannot reorder or
/// shift what the terminal shows.
pub fn scrub(buf: &mut ratatui::buffer::Buffer) {
    for cell in buf.content.iter_mut() {
        let sym = cell.symbol();
        if !sym.is_ascii() && crate::domain::text::has_hidden(sym) {
            let clean = crate::domain::strip_hidden(sym);
            cell.set_symbol(if clean.is_empty() { " " } else { &clean });
        }
    }
}

/// Why the screen stopped other than by the user's choice.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    /// Loading or writing the data failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The terminal could not be read or drawn on.
    #[error("{}", crate::i18n::f(crate::i18n::M::ErrTerminal, &[.0]))]
    Terminal(#[from] std::io::Error),
    /// The terminal hung up (its window, tmux or connection went away) with no signal.
    #[error("{}", crate::i18n::t(crate::i18n::M::ErrTerminalGone))]
    TerminalGone,
}

/// What the screen starts with besides the data: the keys, the colours, and the warnings
/// about the user's settings and keymap files (shown in the status bar at start).
#[derive(Debug)]
pub struct Setup {
    pub keymap: keymap::Keymap,
    pub theme: theme::Theme,
    pub warnings: Vec<String>,
    /// The database whose last pane is remembered for this account (none: the demo's,
    /// which is gone at the end).
    pub remember: Option<std::path::PathBuf>,
}

/// Runs the interactive screen until the user quits or a signal arrives.
pub fn run(backend: Box<dyn Backend>, setup: Setup) -> Result<(), TuiError> {
    let stop = Arc::new(AtomicBool::new(false));
    watch_signals(Arc::clone(&stop));

    let _restore = Restore;
    let mut terminal = init_terminal()?;
    // Declared before `app`, so dropped after it: the watcher's grace ends once the backend
    // is gone (and the server told), not before.
    let hangup = hangup::watch();
    // Pastes arrive as one event, not as keys that could act.
    let _ = ratatui::crossterm::execute!(std::io::stdout(), ratatui::crossterm::event::EnableBracketedPaste);
    let size = terminal.size().map(|s| (s.width, s.height)).unwrap_or((80, 24));
    let views = views::Views::load(views::Views::default_path());
    let clock: Arc<dyn crate::clock::Clock> = Arc::new(crate::clock::SystemClock);
    let mut app = App::new(backend, setup.keymap, setup.theme, clock, size);
    let mut warnings = setup.warnings;
    match views {
        Ok(v) => app.views = v,
        Err(e) => {
            log!("views: the saved views file is not usable");
            warnings.push(crate::i18n::f(crate::i18n::M::ViewsBroken, &[&e]));
            app.views = views::Views::unusable(e);
        }
    }
    if let (Some(db), Some(path)) = (&setup.remember, last_pane::LastPane::default_path()) {
        app.remember_panes(last_pane::LastPane::new(path, &crate::account::me(), db));
    }
    if !warnings.is_empty() {
        app.message = Some(warnings.join(" · "));
    }
    let mut dirty = true;
    let mut first = true;
    let failed = |e: std::io::Error| {
        if hangup.gone() {
            TuiError::TerminalGone
        } else {
            e.into()
        }
    };
    loop {
        if hangup.gone() {
            log!("exit: terminal gone");
            return Err(TuiError::TerminalGone);
        }
        if dirty {
            terminal
                .draw(|f| {
                    ui::render(&app, f);
                    scrub(f.buffer_mut());
                })
                .map_err(failed)?;
            dirty = false;
            if first {
                log!("first_frame_ms={:.1}", log::since_start_ms());
                first = false;
            }
        }
        if stop.load(Ordering::Relaxed) || app.quit {
            break;
        }
        if app.poll_backend()? {
            dirty = true;
            continue;
        }
        dirty |= app.tick();
        let wait = if app.busy() {
            // A background job's progress moves on screen while keys keep working.
            Duration::from_millis(40)
        } else if app.backend.is_loaded() && !app.backend.is_shared() {
            Duration::from_millis(250)
        } else if app.backend.is_loaded() {
            // Others' changes show within this much with no key pressed.
            Duration::from_millis(50)
        } else {
            Duration::from_millis(10)
        };
        // Every event already waiting is handled before the next frame: a burst of typing
        // or a paste is taken in at once and drawn once.
        let mut timeout = wait;
        while !hangup.gone() && event::poll(timeout).map_err(failed)? {
            timeout = Duration::ZERO;
            dirty |= handle_event(&mut app, event::read().map_err(failed)?);
            if app.quit {
                break;
            }
        }
    }
    log!("exit");
    Ok(())
}

/// A directory to remove when a signal ends the program from the signal thread (the demo's
/// temporary database: the normal way out drops it, `process::exit` would not).
static REMOVE_ON_EXIT: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();

/// Asks for `dir` to be removed if a signal (e.g. SIGHUP from a dropped connection) ends
/// the program.
pub fn remove_on_exit(dir: std::path::PathBuf) {
    let _ = REMOVE_ON_EXIT.set(dir);
}

/// One terminal event. While "Terminal too small" shows, keys do nothing but quit (the
/// screen cannot show what they would do); a paste goes in whole (bracketed paste).
pub fn handle_event(app: &mut App, ev: Event) -> bool {
    match ev {
        Event::Key(k) if app.too_small() => app.handle_key_too_small(k),
        Event::Key(k) => app.handle_key(k),
        Event::Paste(text) if !app.too_small() => app.paste(&text),
        Event::Resize(w, h) => {
            app.resize(w, h);
            true
        }
        _ => false,
    }
}

/// On SIGTERM, SIGHUP or SIGINT: ask the event loop to stop, and if it has not within half a
/// second, restore the terminal and exit from here. The loop can be stuck: when the terminal
/// is gone (an SSH drop), crossterm's poll spins on end-of-file and never times out
/// (crossterm#793) until [`hangup`] unsticks it. Exiting is safe: every change was flushed
/// before it was acknowledged.
fn watch_signals(stop: Arc<AtomicBool>) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT]) else {
        log!("cannot watch signals");
        return;
    };
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            log!("signal {sig}: stopping");
            stop.store(true, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(500));
            log!("signal {sig}: event loop did not stop, exiting");
            exit_now(0);
        }
    });
}

/// Ends the program from a thread other than the event loop's (which is stuck): removes the
/// demo's database if there is one, restores the terminal, exits with `code`.
fn exit_now(code: i32) -> ! {
    if let Some(dir) = REMOVE_ON_EXIT.get() {
        // The store's background flush may still add a file: try a few times.
        for _ in 0..5 {
            match std::fs::remove_dir_all(dir) {
                Ok(()) => break,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => break,
                Err(e) => {
                    log!("removing {}: {e}", dir.display());
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
        }
    }
    // Last: writing to a terminal that is gone may end the process here.
    restore_terminal();
    std::process::exit(code);
}
