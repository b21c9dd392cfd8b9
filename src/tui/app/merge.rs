//! The duplicates view opened, and a merge it asked for applied as one change.

use crate::i18n::{M, f, t};
use crate::io::duplicates::{self};
use crate::tui::app::App;
use crate::tui::dups::*;
use crate::tui::keymap::{Action, Context};
use crate::tui::layer::{Layer, Origin};

impl App {
    /// `:duplicates`: the probable duplicate people.
    pub fn open_dups(&mut self) {
        if !self.backend.is_loaded() {
            self.message = Some(t(M::Loading).to_string());
            return;
        }
        let d = Dups::new(self.model());
        self.open(Layer::Dups(d));
    }

    /// The open duplicates view, if any.
    pub fn dups(&self) -> Option<&Dups> {
        self.layers().iter().rev().find_map(|l| match l {
            Layer::Dups(d) => Some(d),
            _ => None,
        })
    }

    /// `y` on the merge question: merges `other` into `keep` as one change (planned again
    /// on the data as it is now); the list under it is refreshed by the change.
    pub(super) fn merge(&mut self, keep: u32, other: u32) {
        let m = self.model();
        let (keep_name, other_name) = (name(m, keep), name(m, other));
        let plan = match duplicates::plan_merge(m, keep, other) {
            Ok(p) => p,
            Err(_) => {
                self.message = Some(t(M::DupsGone).to_string());
                return;
            }
        };
        let filled = if plan.filled.is_empty() {
            "-".to_string()
        } else {
            plan.filled.join(", ")
        };
        let undo = self
            .keymap
            .key_for(Context::Review, Action::Undo)
            .map_or_else(|| "u".to_string(), |k| k.to_string());
        let said = f(
            M::DupsDone,
            &[
                &other,
                &other_name,
                &keep,
                &keep_name,
                &plan.moved,
                &plan.joined,
                &filled,
                &undo,
            ],
        );
        self.message = Some(match self.apply(plan.command, Origin::Screen) {
            Ok(_) => said,
            Err(e) => e.message(),
        });
    }
}
