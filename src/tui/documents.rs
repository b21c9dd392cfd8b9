//! A partner's documents and figures (`D` on a partner, `:documents`): its period and yearly
//! funding, the register of partnership documents (invitation letter, council decision,
//! confirmation, funding decision, agreement, amendments, each with its status and file) and
//! its funding and teachers by year. `e` edits the chosen line, `a` adds a document (or, on
//! the years, a year), `d` removes one (asks first). Each save is one update of the
//! organisation: one change, one undo step.

use super::app::App;
use super::editor::{Editor, Target};
use super::keymap::Action;
use super::layer::{Confirm, Effect, Layer, Origin, Pending};
use super::project::{area_of, inner_cols, inner_rows, keys_line, wrap};
use crate::command::Command;
use crate::domain::{AnyRecord, Meta, OrgId, Organisation};
use crate::i18n::{self, Label, M, f, t};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// The list's state: whose documents, and the chosen line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Documents {
    pub org: OrgId,
    pub selected: usize,
}

/// A line of the list that can be chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    /// The partner's period and yearly funding.
    Facts,
    Doc(usize),
    /// "No documents yet" (editing it adds one).
    NoDocs,
    Year(usize),
    NoYears,
}

/// What a removal question is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    Doc(usize),
    Year(usize),
}

/// The lines that can be chosen, in order.
pub fn rows(o: &Organisation) -> Vec<Row> {
    let mut out = vec![Row::Facts];
    if o.documents.is_empty() {
        out.push(Row::NoDocs);
    }
    out.extend((0..o.documents.len()).map(Row::Doc));
    if o.years.is_empty() {
        out.push(Row::NoYears);
    }
    out.extend((0..o.years.len()).map(Row::Year));
    out
}

fn editor(app: &App, target: Target) -> Vec<Effect> {
    Editor::new(app.model(), target, app.today())
        .map(|e| Effect::Open(Box::new(Layer::Editor(Box::new(e)))))
        .into_iter()
        .collect()
}

/// Keys while the list is on top (it takes the list's keys).
pub fn on_action(d: &mut Documents, a: Action, app: &App) -> Vec<Effect> {
    let Some(o) = app.model().organisations.get(d.org.0) else {
        return vec![Effect::Close];
    };
    let rows = rows(o);
    let n = rows.len();
    d.selected = super::select::clamp(d.selected, n);
    let row = rows.get(d.selected).copied().unwrap_or(Row::Facts);
    let page = inner_rows(app.size).saturating_sub(4).max(1);
    let org = d.org;
    match a {
        Action::Close | Action::Documents => return vec![Effect::Close],
        a if let Some(delta) = super::select::moved(a, page) => d.selected = super::select::step(d.selected, delta, n),
        Action::Undo => return vec![Effect::Undo(None)],
        Action::Edit => {
            return editor(
                app,
                match row {
                    Row::Facts => Target::Partner(org),
                    Row::Doc(i) => Target::Doc(org, Some(i)),
                    Row::NoDocs => Target::Doc(org, None),
                    Row::Year(i) => Target::Year(org, Some(i)),
                    Row::NoYears => Target::Year(org, None),
                },
            );
        }
        Action::Add => {
            return editor(
                app,
                match row {
                    Row::Year(_) | Row::NoYears => Target::Year(org, None),
                    _ => Target::Doc(org, None),
                },
            );
        }
        Action::Delete => {
            let (item, question) = match row {
                Row::Doc(i) => (
                    Item::Doc(i),
                    f(M::DocAskDelete, &[&super::panes::document_line(&o.documents[i])]),
                ),
                Row::Year(i) => (Item::Year(i), f(M::YearAskDelete, &[&o.years[i].year])),
                _ => return vec![],
            };
            return vec![Effect::Open(Box::new(Layer::Confirm(Confirm {
                question,
                pending: Pending::RemovePartnerItem(org, item, o.meta),
            })))];
        }
        Action::Help | Action::History | Action::Palette | Action::Quit => return vec![Effect::Global(a)],
        _ => {}
    }
    d.selected = super::select::clamp(d.selected, n);
    vec![]
}

/// Yes to "remove this document (or year)?": one update of the organisation, if it is still
/// as it was when asked.
pub fn remove(app: &App, org: OrgId, item: Item, asked_at: Meta) -> Effect {
    let Some(o) = app.model().organisations.get(org.0) else {
        return Effect::Say(t(M::DocChanged).to_string());
    };
    if o.meta != asked_at {
        return Effect::Say(t(M::DocChanged).to_string());
    }
    let mut o = o.clone();
    let done = match item {
        Item::Doc(i) if i < o.documents.len() => {
            let d = o.documents.remove(i);
            f(M::DocRemoved, &[&super::panes::document_line(&d)])
        }
        Item::Year(i) if i < o.years.len() => {
            let y = o.years.remove(i);
            f(M::YearRemoved, &[&y.year])
        }
        _ => return Effect::Say(t(M::DocChanged).to_string()),
    };
    Effect::Apply {
        cmd: Box::new(Command::Update(AnyRecord::Organisation(o))),
        origin: Origin::Screen,
        done: Some(done),
    }
}

/// The text of a chosen line.
fn row_text(o: &Organisation, row: Row, app: &App) -> String {
    let add = super::overlay::key(app, super::keymap::Context::List, Action::Add);
    let edit = super::overlay::key(app, super::keymap::Context::List, Action::Edit);
    match row {
        Row::Facts => {
            let period = match (o.period_from, o.period_to) {
                (None, None) => t(M::PrjNotSet).to_string(),
                (a, b) => format!(
                    "{} – {}",
                    a.map(i18n::date).unwrap_or_else(|| "…".into()),
                    b.map(i18n::date).unwrap_or_else(|| "…".into())
                ),
            };
            let funding = o
                .yearly_funding_cents
                .map_or_else(|| t(M::PrjNotSet).to_string(), i18n::money);
            format!("{}: {period} · {}: {funding}", t(M::DetPeriod), t(M::EdYearly))
        }
        Row::Doc(i) => o.documents.get(i).map(super::panes::document_line).unwrap_or_default(),
        Row::NoDocs => f(M::DocNone, &[&add]),
        Row::Year(i) => o.years.get(i).map(year_line).unwrap_or_default(),
        Row::NoYears => f(M::YearNone, &[&edit]),
    }
}

/// One year's figures in a line.
pub fn year_line(y: &crate::domain::PartnerYear) -> String {
    let money = |c: Option<i64>| c.map_or_else(|| "—".to_string(), i18n::money);
    f(
        M::DetYearLine,
        &[
            &y.year,
            &money(y.planned_cents),
            &money(y.received_cents),
            &money(y.spent_cents),
            &money(y.prefinancing_cents),
            &y.teachers.map_or_else(|| "—".to_string(), |n| n.to_string()),
        ],
    )
}

/// Draws the list over the panes.
pub fn render(app: &App, d: &Documents, frame: &mut Frame<'_>, area: Rect) {
    let th = app.theme;
    let r = area_of(area);
    frame.render_widget(Clear, r);
    let Some(o) = app.model().organisations.get(d.org.0) else {
        return;
    };
    let width = inner_cols(app.size).min(usize::from(r.width.saturating_sub(2)));
    let mut lines: Vec<Line<'static>> = vec![Line::from(Span::styled(
        format!("{} · {}: {}", o.kind.label(), t(M::DetStage), o.stage().label()),
        th.label(),
    ))];
    let mut chosen_at = 0;
    let rows = rows(o);
    let selected = super::select::clamp(d.selected, rows.len());
    for (i, row) in rows.iter().enumerate() {
        let heading = match row {
            Row::Doc(0) | Row::NoDocs => Some(f(M::DetDocuments, &[&o.documents.len()])),
            Row::Year(0) | Row::NoYears => Some(t(M::DetYearsFunding).to_string()),
            _ => None,
        };
        if let Some(h) = heading {
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(h, th.title())));
        }
        let sel = i == selected;
        if sel {
            chosen_at = lines.len();
        }
        let style = if sel { th.selected() } else { Style::default() };
        for (k, part) in wrap(&row_text(o, *row, app), width.saturating_sub(2))
            .into_iter()
            .enumerate()
        {
            let marker = match (k, sel) {
                (0, true) => "▶ ",
                _ => "  ",
            };
            lines.push(Line::from(vec![
                Span::styled(marker, th.key()),
                Span::styled(part, style),
            ]));
        }
    }
    let inner = usize::from(r.height.saturating_sub(3));
    // The chosen line and the one after it stay in view.
    let top = (chosen_at + 2).saturating_sub(inner);
    let mut body: Vec<Line<'static>> = lines.into_iter().skip(top).take(inner).collect();
    while body.len() < inner {
        body.push(Line::from(""));
    }
    body.push(keys_line(
        app,
        M::DocKeys,
        &[Action::Edit, Action::Add, Action::Delete, Action::Undo, Action::Close],
    ));
    frame.render_widget(
        Paragraph::new(body).block(super::overlay::boxed(app, f(M::DocTitle, &[&o.label()]))),
        r,
    );
}
