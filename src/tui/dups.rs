//! `:duplicates` in the screen: the probable duplicate people (`io::duplicates::find`) as
//! pairs, each showing both people; a merge (planned by `io::duplicates::plan_merge`) is
//! asked first and is one change. Owns the duplicates layer's state and drawing.

use super::app::App;
use super::keymap::{Action, Context};
use super::layer::{Confirm, Effect, Layer, Pending};
use crate::domain::{AttendanceStatus, ParticipantId};
use crate::i18n::{M, f, t};
use crate::io::duplicates::{self, Reason};
use crate::model::Model;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use std::collections::HashSet;

/// Two people who are probably one, and which of them stays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    pub reasons: Vec<Reason>,
    pub a: u32,
    pub b: u32,
    /// `b` stays (else `a`).
    pub keep_b: bool,
}

impl Pair {
    /// (stays, goes)
    pub fn keep_other(&self) -> (u32, u32) {
        if self.keep_b {
            (self.b, self.a)
        } else {
            (self.a, self.b)
        }
    }
}

/// The duplicates layer's state.
#[derive(Clone, Debug, Default)]
pub struct Dups {
    pub pairs: Vec<Pair>,
    pub selected: usize,
    pub offset: usize,
    /// Pairs skipped while the view is open (they are not the same person).
    pub skipped: HashSet<(u32, u32)>,
}

/// Lines one pair takes: why, the person who stays (two lines), the other (two lines).
const PAIR_LINES: usize = 5;

impl Dups {
    pub fn new(m: &Model) -> Dups {
        let mut d = Dups::default();
        d.refresh(m);
        d
    }

    /// Finds the pairs again (after a merge, an undo, a change from anywhere), keeping the
    /// choice of who stays and the selection where they still apply.
    pub fn refresh(&mut self, m: &Model) {
        let rows = |id: u32| m.attendance_of_person(ParticipantId(id)).len();
        let before = std::mem::take(&mut self.pairs);
        for g in duplicates::find(m) {
            let first = g.people[0].0;
            for other in g.people.iter().skip(1).map(|p| p.0) {
                if self.skipped.contains(&(first, other)) {
                    continue;
                }
                let keep_b = match before.iter().find(|p| p.a == first && p.b == other) {
                    Some(p) => p.keep_b,
                    // The one with more attendance stays; on a tie the older record.
                    None => rows(other) > rows(first),
                };
                self.pairs.push(Pair {
                    reasons: g.reasons.clone(),
                    a: first,
                    b: other,
                    keep_b,
                });
            }
        }
        self.selected = super::select::clamp(self.selected, self.pairs.len());
    }

    pub fn chosen(&self) -> Option<&Pair> {
        self.pairs.get(self.selected)
    }

    fn move_by(&mut self, delta: isize, page: usize) {
        super::select::move_in_list(&mut self.selected, &mut self.offset, self.pairs.len(), delta, page);
    }
}

/// Pairs in view at a terminal size.
fn pairs_in_view(size: (u16, u16)) -> usize {
    // Borders (2), the count line (1), the keys (1), the status lines under the box (2).
    ((size.1 as usize).saturating_sub(6) / PAIR_LINES).max(1)
}

/// The duplicates layer's answer to an action.
pub fn on_action(d: &mut Dups, a: Action, app: &App) -> Vec<Effect> {
    let page = pairs_in_view(app.size);
    if let Some(delta) = super::select::moved(a, page) {
        d.move_by(delta, page);
        return vec![];
    }
    match a {
        Action::Close => return vec![Effect::Close],
        Action::Quit => return vec![Effect::Quit],
        Action::Swap => {
            if let Some(p) = d.pairs.get_mut(d.selected) {
                p.keep_b = !p.keep_b;
            }
        }
        Action::Skip => {
            if let Some(p) = d.chosen().cloned() {
                d.skipped.insert((p.a, p.b));
                d.refresh(app.model());
                d.move_by(0, page);
                return vec![Effect::Say(f(M::DupsSkipped, &[&p.a, &p.b]))];
            }
        }
        Action::Run | Action::Yes => {
            let Some((keep, other)) = d.chosen().map(Pair::keep_other) else {
                return vec![];
            };
            let m = app.model();
            return match duplicates::plan_merge(m, keep, other) {
                Ok(plan) => {
                    let undo = app
                        .keymap
                        .key_for(Context::Review, Action::Undo)
                        .map_or_else(|| "u".to_string(), |k| k.to_string());
                    let question = f(
                        M::DupsAsk,
                        &[
                            &other,
                            &name(m, other),
                            &keep,
                            &name(m, keep),
                            &plan.moved,
                            &plan.joined,
                            &undo,
                        ],
                    );
                    vec![Effect::Open(Box::new(Layer::Confirm(Confirm {
                        question,
                        pending: Pending::Merge { keep, other },
                    })))]
                }
                Err(_) => vec![Effect::Say(t(M::DupsGone).to_string())],
            };
        }
        Action::Undo => return vec![Effect::Undo(None)],
        Action::Help | Action::History | Action::Palette => return vec![Effect::Global(a)],
        _ => {}
    }
    vec![]
}

/// A person's name, or nothing when they are gone.
pub(in crate::tui) fn name(m: &Model, id: u32) -> String {
    m.participants.get(id).map(|p| p.full_name()).unwrap_or_default()
}

/// One person of a pair in two lines: who and where; email and events.
fn person_lines(app: &App, id: u32, stays: bool, width: usize) -> [Line<'static>; 2] {
    let th = app.theme;
    let m = app.model();
    let Some(p) = m.participants.get(id) else {
        return [Line::from(format!("      #{id}")), Line::from("")];
    };
    let institution = p
        .institution
        .and_then(|o| m.organisations.get(o.0))
        .map_or_else(|| t(M::DupsNoInstitution).to_string(), |o| o.label().to_string());
    let email = if p.email.is_empty() {
        t(M::DupsNoEmail).to_string()
    } else {
        p.email.to_string()
    };
    let rows: Vec<_> = m
        .attendance_of_person(p.id)
        .iter()
        .filter_map(|a| m.attendance.get(a.0))
        .collect();
    let came = rows.iter().filter(|a| a.status == AttendanceStatus::Attended).count();
    let titles: Vec<String> = rows
        .iter()
        .filter_map(|a| m.events.get(a.event.0))
        .map(|e| e.title.to_string())
        .collect();
    let role = if stays { M::DupsStays } else { M::DupsGoes };
    let style = if stays { th.title() } else { th.dim() };
    let head = format!("{:<8} #{id} {} · {institution}", t(role), p.full_name());
    let events = f(M::DupsEvents, &[&rows.len(), &came, &titles.join("; ")]);
    let tail = format!("{:<8} {email} · {events}", "");
    [
        Line::from(Span::styled(cut(&format!("    {head}"), width), style)),
        Line::from(cut(&format!("    {tail}"), width)),
    ]
}

/// A line cut to `width` characters.
fn cut(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Draws the duplicates view.
pub fn render(app: &App, d: &Dups, frame: &mut Frame<'_>, area: Rect) {
    let th = app.theme;
    let r = super::import::overlay_area(area);
    frame.render_widget(Clear, r);
    let width = r.width.saturating_sub(2) as usize;
    let inner = r.height.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    if d.pairs.is_empty() {
        lines.push(Line::from(t(M::DupNone)));
    } else {
        lines.push(Line::from(Span::styled(f(M::DupsCount, &[&d.pairs.len()]), th.dim())));
    }
    let page = pairs_in_view(app.size);
    let offset = d.offset.min(d.selected);
    for (i, p) in d.pairs.iter().enumerate().skip(offset).take(page) {
        let why: Vec<&str> = p.reasons.iter().map(|r| t(r.message())).collect();
        let (mark, style) = if i == d.selected {
            ("▶", th.selected())
        } else {
            (" ", th.title())
        };
        lines.push(Line::from(Span::styled(
            cut(&format!("{mark} {}. {}", i + 1, why.join(" · ")), width),
            style,
        )));
        let (keep, other) = p.keep_other();
        lines.extend(person_lines(app, keep, true, width));
        lines.extend(person_lines(app, other, false, width));
    }
    while lines.len() + 1 < inner {
        lines.push(Line::from(""));
    }
    lines.truncate(inner.saturating_sub(1));
    let ctx = Context::Review;
    let k = |a| {
        app.keymap
            .key_for(ctx, a)
            .map(|k| k.to_string())
            .unwrap_or_else(|| "—".into())
    };
    let keys = f(
        M::DupsKeys,
        &[
            &k(Action::Run),
            &k(Action::Swap),
            &k(Action::Skip),
            &k(Action::Undo),
            &k(Action::Close),
        ],
    );
    lines.push(Line::from(Span::styled(cut(&keys, width), th.key())));
    let block = ratatui::widgets::Block::default()
        .borders(ratatui::widgets::Borders::ALL)
        .border_style(th.border())
        .title(Span::styled(format!(" {} ", t(M::DupsTitle)), th.title()));
    frame.render_widget(Paragraph::new(lines).block(block), r);
}
