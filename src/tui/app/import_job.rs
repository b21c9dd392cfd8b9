//! The screen's import as a job: opened, stepped in the background, applied as one change.

use crate::domain::EventId;
use crate::i18n::{M, f, t};
use crate::tui::app::App;
use crate::tui::import::*;
use crate::tui::keymap::{Action, Context};
use crate::tui::layer::{Layer, Origin};
use crate::tui::progress::Polled;

impl App {
    /// `:import [FILE]` (on an event: registering everyone for it): the import layer; a
    /// file given is read at once.
    pub fn open_import(&mut self, file: &str) {
        if !self.backend.is_loaded() {
            self.message = Some(t(M::Loading).to_string());
            return;
        }
        let event = (self.pane == super::Pane::Events)
            .then(|| self.selected_id(super::Pane::Events))
            .flatten()
            .map(EventId);
        let mut im = Import::new(event, file.trim());
        if !file.trim().is_empty() {
            im.start(self.model());
        }
        self.open(Layer::Import(Box::new(im)));
    }

    /// The open import layer, if any.
    pub fn import(&self) -> Option<&Import> {
        self.layers().iter().rev().find_map(|l| match l {
            Layer::Import(im) => Some(&**im),
            _ => None,
        })
    }

    /// Whether a background job of the screen runs (the event loop then wakes up often to
    /// draw its progress).
    pub fn busy(&self) -> bool {
        self.import().is_some_and(Import::busy) || self.is_exporting()
    }

    /// Takes the background import's news: progress to draw, or its result (the preview,
    /// or why the file could not be read). Returns whether anything changed on screen.
    pub fn import_step(&mut self) -> bool {
        let (_, layers) = self.split();
        let Some(im) = layers.iter_mut().rev().find_map(|l| match l {
            Layer::Import(im) => Some(im),
            _ => None,
        }) else {
            return false;
        };
        let Stage::Working { file, job, .. } = &mut im.stage else {
            return false;
        };
        let said = match job.poll() {
            Polled::Quiet => return false,
            Polled::Moved => return true,
            Polled::Finished(Ok((sheet, plan, generation))) => {
                im.stage = Stage::Preview {
                    file: file.clone(),
                    sheet,
                    plan,
                    generation,
                    pick: None,
                };
                None
            }
            Polled::Finished(Err(e)) => {
                // The path is on the line above: the message names the file alone.
                let error = e.message(std::path::Path::new(&file_name(file)));
                im.give_up(Some(error))
            }
            Polled::Lost => im.give_up(Some(t(M::ImsLost).to_string())),
        };
        if said.is_some() {
            self.message = said;
        }
        true
    }

    /// `y` on the import's question: applies the previewed plan as one command if the data
    /// is as it was when it was planned; if it changed meanwhile (someone else's change),
    /// plans again in the background and asks again. The status line says what happened
    /// and that `u` undoes it.
    pub(super) fn import_apply(&mut self) {
        let (backend, layers) = self.split();
        let Some(Layer::Import(im)) = layers.last_mut() else {
            return;
        };
        let Stage::Preview { generation, .. } = &im.stage else {
            return;
        };
        if *generation != backend.model().generation {
            let before = (im.options.clone(), im.create_institutions);
            im.rework(backend.model(), before, false);
            self.message = Some(t(M::ImsChanged).to_string());
            return;
        }
        let Stage::Preview { file, plan, .. } = std::mem::replace(&mut im.stage, Stage::Path { error: None }) else {
            return;
        };
        let short_name = file_name(&file);
        let r = plan.report.clone();
        match self.apply(plan.command(), Origin::Screen) {
            Ok(_) => {
                self.close();
                let undo = self
                    .keymap
                    .key_for(Context::List, Action::Undo)
                    .map_or_else(|| "u".to_string(), |k| k.to_string());
                self.message = Some(f(
                    M::ImsDone,
                    &[
                        &short_name,
                        &r.new_people,
                        &r.new_registrations,
                        &r.new_institutions.len(),
                        &r.rejected.len(),
                        &undo,
                    ],
                ));
            }
            Err(e) => {
                let error = f(M::ImsFailed, &[&e.message()]);
                if let (_, layers) = self.split()
                    && let Some(Layer::Import(im)) = layers.last_mut()
                {
                    im.stage = Stage::Path {
                        error: Some(error.clone()),
                    };
                }
                self.message = Some(error);
            }
        }
    }
}
