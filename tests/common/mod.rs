//! The test screen shared by the TUI snapshot tests: the App on the sample data in a
//! temporary database, driven by key events through the real keymap, drawn on a TestBackend.
#![allow(dead_code)]

pub mod fake;

use atbalsts::backend::Backend;
use atbalsts::clock::FixedClock;
use atbalsts::i18n::{Lang, set_thread_lang};
use atbalsts::store::Store;
use atbalsts::tui::app::App;
use atbalsts::tui::keymap::Keymap;
use atbalsts::tui::theme::Theme;
use atbalsts::tui::ui;
use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub struct Screen {
    pub app: App,
    /// The screen's clock: 10:00 on 2026-11-22 until a test moves it.
    pub clock: FixedClock,
    pub term: Terminal<TestBackend>,
    _dir: tempfile::TempDir,
}

impl Screen {
    pub fn new(cols: u16, rows: u16, lang: Lang) -> Screen {
        Screen::with(cols, rows, lang, |store| {
            atbalsts::ops::load_sample(store).expect("sample");
        })
    }

    /// The screen on generated data: `people` participants, a few events, no attendance.
    pub fn generated(cols: u16, rows: u16, lang: Lang, people: u32) -> Screen {
        Screen::with(cols, rows, lang, |store| {
            let size = atbalsts::io::generate::Size {
                participants: people,
                events: 10,
                attendance: 0,
                seed: 1,
            };
            atbalsts::io::generate::generate(store, size).expect("generate");
        })
    }

    fn with(cols: u16, rows: u16, lang: Lang, fill: impl FnOnce(&mut Store)) -> Screen {
        Screen::on(cols, rows, lang, fill, |store| store.into())
    }

    /// The screen attached to a team server, played by a [`fake::FakeBackend`] on the
    /// sample data; the handle acts as the rest of the team.
    pub fn with_fake(cols: u16, rows: u16, lang: Lang) -> (Screen, fake::FakeHandle) {
        let mut handle = None;
        let screen = Screen::on(
            cols,
            rows,
            lang,
            |store| {
                atbalsts::ops::load_sample(store).expect("sample");
            },
            |store| {
                let (backend, h) = fake::FakeBackend::new(store, "demo");
                handle = Some(h);
                backend.into()
            },
        );
        (screen, handle.expect("the fake's handle"))
    }

    /// The screen on a temporary database filled by `fill`, reached through `backend`.
    fn on(
        cols: u16,
        rows: u16,
        lang: Lang,
        fill: impl FnOnce(&mut Store),
        backend: impl FnOnce(Store) -> Box<dyn Backend>,
    ) -> Screen {
        set_thread_lang(lang);
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(dir.path(), "koordinators").expect("open");
        store.load().expect("load");
        fill(&mut store);
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        let clock = FixedClock::at(today, 10, 0);
        let mut app = App::new(
            backend(store),
            Keymap::default_keymap(),
            Theme { color: false },
            std::sync::Arc::new(clock.clone()),
            (cols, rows),
        );
        app.db_label = "demo".into();
        let term = Terminal::new(TestBackend::new(cols, rows)).expect("terminal");
        Screen {
            app,
            term,
            clock,
            _dir: dir,
        }
    }

    /// One turn of the event loop with no key pressed: what the backend reports (others'
    /// changes, the connection) is taken in, then the screen ticks.
    pub fn poll(&mut self) -> &mut Self {
        self.app.poll_backend().expect("the backend failed");
        self.app.tick();
        self
    }

    /// The newest message the screen has said (what `!` shows first), or "".
    pub fn newest_message(&self) -> String {
        self.app
            .messages
            .newest_first()
            .next()
            .map(|(_, m)| m.clone())
            .unwrap_or_default()
    }

    /// Ticks the screen as its event loop does until no background job (an import's
    /// reading, an export) runs.
    pub fn settle(&mut self) -> &mut Self {
        for _ in 0..2000 {
            self.app.tick();
            if !self.app.busy() {
                return self;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        panic!("the background job did not finish in 10 s");
    }

    /// Presses keys as a terminal would send them: "2", "G", "tab", "down", "pagedown"...
    pub fn keys(&mut self, keys: &[&str]) -> &mut Self {
        for k in keys {
            let (code, mods) = match *k {
                "tab" => (KeyCode::Tab, KeyModifiers::NONE),
                "backtab" => (KeyCode::BackTab, KeyModifiers::SHIFT),
                "down" => (KeyCode::Down, KeyModifiers::NONE),
                "up" => (KeyCode::Up, KeyModifiers::NONE),
                "pagedown" => (KeyCode::PageDown, KeyModifiers::NONE),
                "end" => (KeyCode::End, KeyModifiers::NONE),
                "esc" => (KeyCode::Esc, KeyModifiers::NONE),
                "enter" => (KeyCode::Enter, KeyModifiers::NONE),
                "space" => (KeyCode::Char(' '), KeyModifiers::NONE),
                "left" => (KeyCode::Left, KeyModifiers::NONE),
                "right" => (KeyCode::Right, KeyModifiers::NONE),
                "home" => (KeyCode::Home, KeyModifiers::NONE),
                "backspace" => (KeyCode::Backspace, KeyModifiers::NONE),
                c if c.starts_with("ctrl-") && c.chars().count() == 6 => {
                    (KeyCode::Char(c.chars().last().unwrap_or(' ')), KeyModifiers::CONTROL)
                }
                c if c.chars().count() == 1 => {
                    let ch = c.chars().next().unwrap_or(' ');
                    let m = if ch.is_uppercase() {
                        KeyModifiers::SHIFT
                    } else {
                        KeyModifiers::NONE
                    };
                    (KeyCode::Char(ch), m)
                }
                other => panic!("test key {other}"),
            };
            self.app.handle_key(KeyEvent::new(code, mods));
        }
        self
    }

    pub fn text(&mut self) -> String {
        let app = &self.app;
        self.term.draw(|f| ui::render(app, f)).expect("draw");
        let buf = self.term.backend().buffer();
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut line = String::new();
            for x in 0..buf.area.width {
                line.push_str(buf[(x, y)].symbol());
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    /// Types text character by character, as a person would.
    pub fn typed(&mut self, text: &str) -> &mut Self {
        for ch in text.chars() {
            self.app
                .handle_key(KeyEvent::new(KeyCode::Char(ch), KeyModifiers::NONE));
        }
        self
    }
}
