//! The messages this screen has shown (the status line, a form's refusal, the errors under
//! a form's fields, the desk's warnings), kept with their time: `!` lists the last
//! [`KEPT`] of them whole, newest first, however short the line they were shown on.

use super::app::App;
use super::desk::Notice;
use super::layer::Layer;
use crate::domain::Stamp;
use crate::i18n::Label;
use std::collections::VecDeque;

/// How many messages are kept.
pub const KEPT: usize = 50;

/// The messages shown, newest first, and what was on screen at the last look.
#[derive(Clone, Debug, Default)]
pub struct Messages {
    kept: VecDeque<(Stamp, String)>,
    shown: Vec<String>,
}

impl Messages {
    /// Takes note of what is on screen now: a message that was not there at the last look
    /// is kept (one that stays on screen is kept once).
    pub fn note(&mut self, at: Stamp, now: Vec<String>) {
        for m in &now {
            if !self.shown.contains(m) && !m.trim().is_empty() {
                self.kept.push_front((at, m.clone()));
            }
        }
        self.kept.truncate(KEPT);
        self.shown = now;
    }

    /// The messages kept, newest first.
    pub fn newest_first(&self) -> impl Iterator<Item = &(Stamp, String)> {
        self.kept.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }
}

/// Every message on screen now: the status line's, and on the layers the refusal of a form
/// or of the small editor, each field's error (with the field's name), the desk's warning.
pub fn on_screen(app: &App) -> Vec<String> {
    let mut out: Vec<String> = app.message.iter().cloned().collect();
    for layer in app.layers() {
        match layer {
            Layer::Form(form) => {
                out.extend(form.message.iter().cloned());
                out.extend(
                    form.fields
                        .iter()
                        .filter_map(|fl| Some(format!("{}: {}", fl.code.label(), fl.error.as_ref()?))),
                );
            }
            Layer::Editor(ed) => {
                out.extend(ed.message.iter().cloned());
                out.extend(
                    ed.fields
                        .iter()
                        .filter_map(|fl| Some(format!("{}: {}", crate::i18n::t(fl.key.label()), fl.error.as_ref()?))),
                );
            }
            Layer::Desk(d) => match &d.notice {
                Some(Notice::Already(s) | Notice::Failed(s) | Notice::Undone(s)) => out.push(s.clone()),
                // A check-in's confirmation is not kept: a busy desk would push every
                // other message out.
                Some(Notice::CheckedIn(_)) | None => {}
            },
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_kept_once_while_shown_and_again_when_shown_anew() {
        let at = Stamp::now();
        let mut m = Messages::default();
        m.note(at, vec!["a".into()]);
        m.note(at, vec!["a".into(), "b".into()]);
        m.note(at, vec![]);
        m.note(at, vec!["a".into()]);
        let said: Vec<&str> = m.newest_first().map(|(_, s)| s.as_str()).collect();
        assert_eq!(said, ["a", "b", "a"]);
        for i in 0..2 * KEPT {
            m.note(at, vec![format!("{i}")]);
        }
        assert_eq!(m.newest_first().count(), KEPT);
        assert_eq!(m.newest_first().next().map(|(_, s)| s.as_str()), Some("99"));
    }
}
