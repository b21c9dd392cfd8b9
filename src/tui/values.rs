//! An indicator's values entered by hand (`V` on a manual indicator, `:values`): the list,
//! newest first, with keys to add, edit and delete one value. Each save or removal is one
//! update of the indicator (its values changed, at the version that was read): one change,
//! one undo step, and a conflict is reported if someone changed the indicator meanwhile.

use super::app::App;
use super::keymap::{Action, Context};
use super::layer::{Confirm, Effect, Layer, Origin, Pending};
use super::project::{area_of, inner_rows, keys_line};
use crate::command::Command;
use crate::domain::{AnyRecord, Indicator, IndicatorId, ManualValue, Meta};
use crate::i18n::{self, M, f, t};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// The list's state: whose values, and the chosen row (0: the newest value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Values {
    pub indicator: IndicatorId,
    pub selected: usize,
}

/// The index in `i.values` (oldest first) of list row `row` (newest first).
pub fn index_of(i: &Indicator, row: usize) -> Option<usize> {
    i.values.len().checked_sub(row.checked_add(1)?)
}

/// "12 of 2026-10-01": a value with its date, in the reader's words.
pub fn value_text(v: &ManualValue) -> String {
    f(M::ValOf, &[&exact(v.value), &i18n::date(v.date)])
}

/// A value exactly as entered (every decimal kept, unlike the rounded figures elsewhere),
/// with a decimal comma in Latvian: "12", "12,25".
pub fn exact(v: f64) -> String {
    let s = v.to_string();
    match i18n::lang() {
        i18n::Lang::Lv => s.replace('.', ","),
        i18n::Lang::En => s,
    }
}

/// Rows of the list at a terminal size (the box, its heading and keys line taken off).
fn page(app: &App) -> usize {
    inner_rows(app.size).saturating_sub(2).max(1)
}

/// Keys while the list is on top (it takes the list's keys).
pub fn on_action(v: &mut Values, a: Action, app: &App) -> Vec<Effect> {
    let Some(i) = app.model().indicators.get(v.indicator.0) else {
        return vec![Effect::Close];
    };
    let n = i.values.len();
    v.selected = super::select::clamp(v.selected, n);
    let chosen = index_of(i, v.selected).filter(|_| n > 0);
    match a {
        Action::Close | Action::Values => vec![Effect::Close],
        a if let Some(delta) = super::select::moved(a, page(app)) => {
            v.selected = super::select::step(v.selected, delta, n);
            vec![]
        }
        Action::Undo => vec![Effect::Undo(None)],
        Action::Add => vec![Effect::ValueForm(v.indicator, None)],
        Action::Edit => chosen
            .map(|ix| Effect::ValueForm(v.indicator, Some(ix)))
            .into_iter()
            .collect(),
        Action::Delete => {
            let Some((ix, value)) = chosen.and_then(|ix| Some((ix, i.values.get(ix)?))) else {
                return vec![];
            };
            let undo = super::overlay::key(app, Context::List, Action::Undo);
            vec![Effect::Open(Box::new(Layer::Confirm(Confirm {
                question: f(M::ValAskDelete, &[&value_text(value), &i.code, &undo]),
                pending: Pending::RemoveValue(v.indicator, ix, i.meta),
            })))]
        }
        Action::Help | Action::History | Action::Palette | Action::Quit => vec![Effect::Global(a)],
        _ => vec![],
    }
}

/// Yes to "delete the value …?": one update of the indicator without it, at the version the
/// question was asked about (someone else's change since is reported, nothing is lost).
pub fn remove(app: &App, id: IndicatorId, index: usize, asked_at: Meta) -> Effect {
    let changed = || Effect::Say(t(M::ValChangedMeanwhile).to_string());
    let Some(i) = app.model().indicators.get(id.0) else {
        return changed();
    };
    if i.meta != asked_at || index >= i.values.len() {
        return changed();
    }
    let mut i = i.clone();
    let gone = i.values.remove(index);
    let undo = super::overlay::key(app, Context::List, Action::Undo);
    let done = f(M::ValDeleted, &[&value_text(&gone), &i.code, &undo]);
    Effect::Apply {
        cmd: Box::new(Command::Update(AnyRecord::Indicator(i))),
        origin: Origin::Screen,
        done: Some(done),
    }
}

/// What a saved value form did, for the status line: "Added the value 12 of 2026-10-01 to
/// indicator 4." or "Changed the value 12 of 2026-10-01 to 14 of 2026-10-01 (indicator 4)."
pub fn saved(before: &Indicator, edited: Option<usize>, after: &Indicator) -> String {
    // The value now there that was not there before (the one typed).
    let mut old: Vec<&ManualValue> = before.values.iter().collect();
    if let Some(ix) = edited
        && ix < old.len()
    {
        old.remove(ix);
    }
    let new = after.values.iter().find(|v| match old.iter().position(|o| *o == *v) {
        Some(p) => {
            old.remove(p);
            false
        }
        None => true,
    });
    let new = new.map(value_text).unwrap_or_default();
    match edited.and_then(|ix| before.values.get(ix)) {
        Some(was) => f(M::ValChanged, &[&value_text(was), &new, &after.code]),
        None => f(M::ValAdded, &[&new, &after.code]),
    }
}

/// Draws the list over the panes.
pub fn render(app: &App, v: &Values, frame: &mut Frame<'_>, area: Rect) {
    let th = app.theme;
    let r = area_of(area);
    frame.render_widget(Clear, r);
    let Some(i) = app.model().indicators.get(v.indicator.0) else {
        return;
    };
    let inner = usize::from(r.height.saturating_sub(3));
    let mut lines: Vec<Line<'static>> = vec![Line::from(Span::styled(
        format!(
            "  {:<11}  {:>8}  {}",
            t(M::ValColDate),
            t(M::ValColValue),
            t(M::ValColNote)
        ),
        th.label(),
    ))];
    let n = i.values.len();
    if n == 0 {
        let add = super::overlay::key(app, Context::List, Action::Add);
        lines.push(Line::from(f(M::ValNone, &[&add])));
    }
    let selected = super::select::clamp(v.selected, n);
    let rows = inner.saturating_sub(1).max(1);
    // The chosen row stays in view.
    let top = (selected + 1).saturating_sub(rows);
    for row in (0..n).skip(top).take(rows) {
        let Some(val) = index_of(i, row).and_then(|ix| i.values.get(ix)) else {
            continue;
        };
        let sel = row == selected;
        let text = format!("{:<11}  {:>8}  {}", i18n::date(val.date), exact(val.value), val.note);
        lines.push(Line::from(vec![
            Span::styled(if sel { "▶ " } else { "  " }, th.key()),
            Span::styled(text, if sel { th.selected() } else { Style::default() }),
        ]));
    }
    while lines.len() < inner {
        lines.push(Line::from(""));
    }
    lines.push(keys_line(
        app,
        M::DocKeys,
        &[Action::Edit, Action::Add, Action::Delete, Action::Undo, Action::Close],
    ));
    let title = f(M::ValTitle, &[&format!("{} {}", i.code, i.title)]);
    frame.render_widget(Paragraph::new(lines).block(super::overlay::boxed(app, title)), r);
}
