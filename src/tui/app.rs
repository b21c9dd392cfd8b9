//! The application state and its update function: key -> Action (through the keymap) ->
//! new state. Owns the store; the renderer only reads this.

use super::keymap::{Action, Context, Key, Keymap};
use super::theme::Theme;
use super::ui;
use crate::domain::Table;
use crate::i18n::M;
use crate::store::Store;
use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};

/// The four panes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    Partners,
    Events,
    Participants,
    Indicators,
}

impl Pane {
    pub const ALL: [Pane; 4] = [Pane::Partners, Pane::Events, Pane::Participants, Pane::Indicators];
    pub fn table(self) -> Table {
        match self {
            Pane::Partners => Table::Organisation,
            Pane::Events => Table::Event,
            Pane::Participants => Table::Participant,
            Pane::Indicators => Table::Indicator,
        }
    }
    pub fn title(self) -> M {
        match self {
            Pane::Partners => M::PanePartners,
            Pane::Events => M::PaneEvents,
            Pane::Participants => M::PaneParticipants,
            Pane::Indicators => M::PaneIndicators,
        }
    }
    pub fn index(self) -> usize {
        self as usize
    }
}

/// What the screen is showing over the panes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Help { scroll: usize },
}

/// Selection and scroll position of one pane's table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PaneState {
    pub selected: usize,
    pub offset: usize,
}

pub struct App {
    pub store: Store,
    pub keymap: Keymap,
    pub theme: Theme,
    pub pane: Pane,
    pub states: [PaneState; 4],
    pub mode: Mode,
    pub quit: bool,
    /// Terminal size (columns, rows) at the last resize.
    pub size: (u16, u16),
    /// The day "today" is (fixed in tests).
    pub today: NaiveDate,
    /// How the database is named in the status bar.
    pub db_label: String,
}

impl App {
    pub fn new(store: Store, keymap: Keymap, theme: Theme, today: NaiveDate, size: (u16, u16)) -> App {
        let db_label = store.path().display().to_string();
        let mut app = App {
            store,
            keymap,
            theme,
            pane: Pane::Partners,
            states: [PaneState::default(); 4],
            mode: Mode::Normal,
            quit: false,
            size,
            today,
            db_label,
        };
        if app.store.is_loaded() {
            app.on_loaded();
        }
        app
    }

    /// Called once the data is in: the events pane starts at the next upcoming event.
    pub fn on_loaded(&mut self) {
        let m = self.store.model();
        let order = m.orders.get(Table::Event);
        let today = self.today;
        let upcoming = order.partition_point(|id| m.events.get(*id).is_some_and(|e| e.start.date() < today));
        let i = Pane::Events.index();
        self.states[i].selected = upcoming.min(order.len().saturating_sub(1));
        self.scroll_into_view(Pane::Events);
    }

    /// The context whose bindings apply now.
    pub fn context(&self) -> Context {
        match self.mode {
            Mode::Help { .. } => Context::Help,
            Mode::Normal => Context::List,
        }
    }

    /// Handles one terminal key event; returns whether anything changed.
    pub fn handle_key(&mut self, ev: KeyEvent) -> bool {
        if ev.kind == KeyEventKind::Release {
            return false;
        }
        match self.keymap.action(self.context(), Key::from_event(ev)) {
            Some(a) => {
                self.update(a);
                true
            }
            None => false,
        }
    }

    /// Number of rows in a pane's table.
    pub fn rows(&self, pane: Pane) -> usize {
        if self.store.is_loaded() {
            self.store.model().orders.get(pane.table()).len()
        } else {
            0
        }
    }

    /// The id of the selected record of a pane.
    pub fn selected_id(&self, pane: Pane) -> Option<u32> {
        if !self.store.is_loaded() {
            return None;
        }
        self.store
            .model()
            .orders
            .get(pane.table())
            .get(self.states[pane.index()].selected)
            .copied()
    }

    /// Visible table rows at the current size.
    pub fn page(&self) -> usize {
        ui::table_rows(self.size).max(1)
    }

    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.size = (cols, rows);
        for p in Pane::ALL {
            self.scroll_into_view(p);
        }
    }

    fn scroll_into_view(&mut self, pane: Pane) {
        let page = self.page();
        let n = self.rows(pane);
        let st = &mut self.states[pane.index()];
        st.selected = st.selected.min(n.saturating_sub(1));
        if st.selected < st.offset {
            st.offset = st.selected;
        } else if st.selected >= st.offset + page {
            st.offset = st.selected + 1 - page;
        }
        st.offset = st.offset.min(n.saturating_sub(page));
    }

    fn move_by(&mut self, delta: isize) {
        let n = self.rows(self.pane);
        if n == 0 {
            return;
        }
        let st = &mut self.states[self.pane.index()];
        st.selected = st.selected.saturating_add_signed(delta).min(n - 1);
        self.scroll_into_view(self.pane);
    }

    fn switch(&mut self, pane: Pane) {
        self.pane = pane;
        self.scroll_into_view(pane);
    }

    /// Applies one action.
    pub fn update(&mut self, a: Action) {
        let page = self.page() as isize;
        if let Mode::Help { scroll } = self.mode {
            let scroll = match a {
                Action::Close | Action::Help => {
                    self.mode = Mode::Normal;
                    return;
                }
                Action::Quit => {
                    self.quit = true;
                    return;
                }
                Action::MoveDown => scroll + 1,
                Action::MoveUp => scroll.saturating_sub(1),
                Action::PageDown => scroll + page as usize,
                Action::PageUp => scroll.saturating_sub(page as usize),
                Action::First => 0,
                Action::Last => usize::MAX / 2,
                _ => scroll,
            };
            self.mode = Mode::Help {
                scroll: scroll.min(ui::help_lines(self).saturating_sub(1)),
            };
            return;
        }
        match a {
            Action::Quit => self.quit = true,
            Action::Help => self.mode = Mode::Help { scroll: 0 },
            Action::Close => {}
            Action::PanePartners => self.switch(Pane::Partners),
            Action::PaneEvents => self.switch(Pane::Events),
            Action::PaneParticipants => self.switch(Pane::Participants),
            Action::PaneIndicators => self.switch(Pane::Indicators),
            Action::NextPane => self.switch(Pane::ALL[(self.pane.index() + 1) % 4]),
            Action::PrevPane => self.switch(Pane::ALL[(self.pane.index() + 3) % 4]),
            Action::MoveDown => self.move_by(1),
            Action::MoveUp => self.move_by(-1),
            Action::PageDown => self.move_by(page),
            Action::PageUp => self.move_by(-page),
            Action::First => self.move_by(isize::MIN / 2),
            Action::Last => self.move_by(isize::MAX / 2),
        }
    }
}
