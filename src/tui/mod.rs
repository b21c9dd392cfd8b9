//! The terminal UI: terminal setup and restore (also on panic, SIGTERM, SIGHUP), the event
//! loop, and the background load that lets the first frame appear before the data.

pub mod app;
pub mod changes;
pub mod desk;
pub mod form;
pub mod input;
pub mod keymap;
pub mod keymap_load;
pub mod overlay;
pub mod palette;
pub mod panes;
pub mod theme;
pub mod ui;
pub mod views;

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
        ratatui::restore();
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
}

/// What the screen starts with besides the data: the keys, the colours, and the warnings
/// about the user's settings and keymap files (shown in the status bar at start).
#[derive(Debug)]
pub struct Setup {
    pub keymap: keymap::Keymap,
    pub theme: theme::Theme,
    pub warnings: Vec<String>,
}

/// Runs the interactive screen until the user quits or a signal arrives.
pub fn run(backend: Box<dyn Backend>, setup: Setup) -> Result<(), TuiError> {
    let stop = Arc::new(AtomicBool::new(false));
    watch_signals(Arc::clone(&stop));

    let mut terminal = ratatui::init(); // also installs a panic hook that restores
    let _restore = Restore;
    let size = terminal.size().map(|s| (s.width, s.height)).unwrap_or((80, 24));
    let views = views::Views::load(views::Views::default_path());
    let mut app = App::new(backend, setup.keymap, setup.theme, crate::domain::today(), size);
    let mut warnings = setup.warnings;
    match views {
        Ok(v) => app.views = v,
        Err(e) => {
            log!("views: {e}");
            warnings.push(crate::i18n::f(crate::i18n::M::ViewsBroken, &[&e]));
            app.views = views::Views::unusable(e);
        }
    }
    if !warnings.is_empty() {
        app.message = Some(warnings.join(" · "));
    }
    let mut dirty = true;
    let mut first = true;
    loop {
        if dirty {
            terminal.draw(|f| ui::render(&app, f))?;
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
        let wait = if app.store.is_loaded() && !app.store.is_shared() {
            Duration::from_millis(250)
        } else if app.store.is_loaded() {
            // Others' changes show within this much with no key pressed.
            Duration::from_millis(50)
        } else {
            Duration::from_millis(10)
        };
        if event::poll(wait)? {
            match event::read()? {
                Event::Key(k) => dirty |= app.handle_key(k),
                Event::Resize(w, h) => {
                    app.resize(w, h);
                    dirty = true;
                }
                _ => {}
            }
        }
    }
    log!("exit");
    Ok(())
}

/// On SIGTERM, SIGHUP or SIGINT: ask the event loop to stop, and if it has not within half a
/// second, restore the terminal and exit from here. The loop can be stuck: when the terminal
/// is gone (an SSH drop), crossterm's poll spins on end-of-file and never times out
/// (crossterm#793). Exiting is safe: every change was flushed before it was acknowledged.
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
            ratatui::restore();
            std::process::exit(0);
        }
    });
}
