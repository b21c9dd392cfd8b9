//! The small editor's command applied as one change (or the editor reopened with why not).

use crate::i18n::{M, f};
use crate::tui::app::App;
use crate::tui::keymap::{Action, Context};
use crate::tui::layer::{Layer, Origin};

impl App {
    /// Saves the editor on top as one change; on a problem it stays open and says what.
    pub(super) fn save_editor(&mut self) {
        let mut ed = match self.close() {
            Some(Layer::Editor(ed)) => ed,
            Some(other) => return self.open(other),
            None => return,
        };
        let Some(cmd) = ed.build(self.model()) else {
            return self.open(Layer::Editor(ed));
        };
        match self.apply(cmd, Origin::Screen) {
            Ok(_) => {
                let undo = self
                    .keymap
                    .key_for(Context::List, Action::Undo)
                    .map(|k| k.to_string())
                    .unwrap_or_default();
                self.message = Some(f(M::EdSaved, &[&undo]));
            }
            Err(e) => {
                ed.message = Some(e.message());
                self.open(Layer::Editor(ed));
            }
        }
    }
}
