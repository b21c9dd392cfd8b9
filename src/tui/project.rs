//! The project view (`P`, `:project`): the project's name, number, period and funding, the
//! funding recipient and the reporting partner, the national counts used as denominators
//! (with their source, date and "assumed"), the ESF+ line of the reports and the partners'
//! stages. `e` opens the project in the small editor: saving is one change, one undo step.

use super::app::App;
use super::editor::{Editor, Target};
use super::keymap::{Action, Context};
use super::layer::{Effect, Layer};
use crate::domain::{Denominator, OrgId};
use crate::i18n::{self, Label, M, f, t};
use crate::io::report::official_text;
use crate::model::Model;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// The project view's state: how far it is scrolled.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProjectView {
    pub scroll: usize,
}

/// The box the view (and the documents list) is drawn in: the screen below the tabs and
/// above the status line, at most 100 columns wide.
pub fn area_of(area: Rect) -> Rect {
    let w = area.width.min(100);
    let h = area.height.saturating_sub(3);
    Rect::new(area.x + (area.width - w) / 2, area.y + 1, w, h)
}

/// Text lines inside the box at a terminal size (borders and the keys line taken off).
pub fn inner_rows(size: (u16, u16)) -> usize {
    usize::from(area_of(Rect::new(0, 0, size.0, size.1)).height.saturating_sub(3)).max(1)
}

/// Text columns inside the box at a terminal size.
pub fn inner_cols(size: (u16, u16)) -> usize {
    usize::from(area_of(Rect::new(0, 0, size.0, size.1)).width.saturating_sub(2)).max(10)
}

/// Words of `text` in lines of at most `width` characters (a word longer than a line is cut).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let (n, w) = (line.chars().count(), word.chars().count());
        if n > 0 && n + 1 + w > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        while line.chars().count() > width {
            let head: String = line.chars().take(width).collect();
            line = line.chars().skip(width).collect();
            out.push(head);
        }
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

/// Lines of a label and its value, the value wrapped under itself.
fn field(out: &mut Vec<Line<'static>>, label: &str, value: String, width: usize, style: Style) {
    let lw = label.chars().count() + 2;
    let room = width.saturating_sub(lw).max(12);
    for (i, part) in wrap(&value, room).into_iter().enumerate() {
        let head = if i == 0 { format!("{label}: ") } else { " ".repeat(lw) };
        out.push(Line::from(vec![Span::styled(head, style), Span::raw(part)]));
    }
}

fn org_name(m: &Model, id: Option<OrgId>) -> Option<String> {
    id.and_then(|o| m.organisations.get(o.0)).map(|o| o.name.to_string())
}

/// Every line of the view at `width` columns.
pub fn lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let th = app.theme;
    let m = app.model();
    let p = &m.project;
    let s = &p.settings;
    let not_set = || t(M::PrjNotSet).to_string();
    let mut out: Vec<Line<'static>> = Vec::new();
    let label = th.label();
    let or_not_set = |v: String| if v.trim().is_empty() { not_set() } else { v };
    field(&mut out, t(M::PrjName), or_not_set(p.name.to_string()), width, label);
    field(
        &mut out,
        t(M::PrjNumber),
        or_not_set(p.number.to_string()),
        width,
        label,
    );
    let period = match (p.start, p.end) {
        (None, None) => not_set(),
        (a, b) => format!(
            "{} – {}",
            a.map(i18n::date).unwrap_or_else(|| "…".into()),
            b.map(i18n::date).unwrap_or_else(|| "…".into())
        ),
    };
    field(&mut out, t(M::PrjPeriod), period, width, label);
    let funding = if p.funding_total_cents == 0 && p.funding_esf_cents == 0 && p.funding_state_cents == 0 {
        not_set()
    } else {
        f(
            M::RepFundingParts,
            &[
                &i18n::money(p.funding_total_cents),
                &i18n::money(p.funding_esf_cents),
                &i18n::money(p.funding_state_cents),
            ],
        )
    };
    field(&mut out, t(M::PrjFunding), funding, width, label);
    field(
        &mut out,
        t(M::PrjLead),
        org_name(m, p.lead).unwrap_or_else(not_set),
        width,
        label,
    );
    let reporting = match (org_name(m, s.reporting_partner), org_name(m, p.lead)) {
        (Some(r), _) => r,
        // Reports are then made on behalf of the lead.
        (None, Some(lead)) => format!("{lead} ({})", t(M::PrjLead).to_lowercase()),
        (None, None) => not_set(),
    };
    field(&mut out, t(M::PrjReporting), reporting, width, label);
    let cap = s
        .seminar_hours_cap
        .map_or_else(|| t(M::PrjNoCap).to_string(), i18n::hours);
    field(&mut out, t(M::PrjHoursCap), cap, width, label);
    if !p.notes.is_empty() {
        field(&mut out, t(M::PrjNotes), p.notes.to_string(), width, label);
    }

    out.push(Line::from(""));
    out.push(Line::from(Span::styled(t(M::PrjCounts).to_string(), th.title())));
    let inst = s.institutions.as_ref().map_or_else(not_set, official_text);
    field(&mut out, &format!("  {}", t(M::PrjInstitutions)), inst, width, label);
    let mut any = s.institutions.is_some();
    for i in m.indicators.iter() {
        let value = match &i.basis.denominator {
            Denominator::Database => continue,
            Denominator::Fixed(c) => official_text(c),
            Denominator::Institutions => format!("→ {}", t(M::PrjInstitutions)),
        };
        any = true;
        let name = format!("  {} {}", f(M::PrjCountOf, &[&i.code]), i.title);
        let name = super::overlay::short(&name, width / 2);
        field(&mut out, &name, value, width, label);
    }
    if !any {
        out.push(Line::from(format!("  {}", t(M::PrjNoCounts))));
    }

    out.push(Line::from(""));
    out.push(Line::from(Span::styled(t(M::PrjEsf).to_string(), th.title())));
    for part in wrap(t(M::RepEsf), width.saturating_sub(2)) {
        out.push(Line::from(format!("  {part}")));
    }

    let partners: Vec<_> = m.organisations.iter().filter(|o| o.partner).collect();
    out.push(Line::from(""));
    out.push(Line::from(Span::styled(
        f(M::PrjPartners, &[&partners.len()]),
        th.title(),
    )));
    for o in partners {
        let line = format!("{} · {}", o.name, o.stage().label());
        for part in wrap(&line, width.saturating_sub(2)) {
            out.push(Line::from(format!("  {part}")));
        }
    }
    out
}

/// Keys while the view is on top (it takes the list's keys).
pub fn on_action(v: &mut ProjectView, a: Action, app: &App) -> Vec<Effect> {
    let n = lines(app, inner_cols(app.size)).len();
    let page = inner_rows(app.size);
    let last = n.saturating_sub(page);
    v.scroll = match a {
        Action::Close | Action::Project => return vec![Effect::Close],
        Action::Edit => {
            return Editor::new(app.model(), Target::Project, app.today())
                .map(|e| Effect::Open(Box::new(Layer::Editor(Box::new(e)))))
                .into_iter()
                .collect();
        }
        Action::Undo => return vec![Effect::Undo(None)],
        Action::MoveDown => v.scroll + 1,
        Action::MoveUp => v.scroll.saturating_sub(1),
        Action::PageDown => v.scroll + page,
        Action::PageUp => v.scroll.saturating_sub(page),
        Action::First => 0,
        Action::Last => last,
        Action::Help | Action::History | Action::Palette | Action::Quit => return vec![Effect::Global(a)],
        _ => v.scroll,
    }
    .min(last);
    vec![]
}

/// The keys line at the bottom of the view and of the documents list.
pub fn keys_line(app: &App, m: M, actions: &[Action]) -> Line<'static> {
    let keys: Vec<String> = actions
        .iter()
        .map(|a| super::overlay::key(app, Context::List, *a))
        .collect();
    let args: Vec<&dyn std::fmt::Display> = keys.iter().map(|k| k as &dyn std::fmt::Display).collect();
    Line::from(Span::styled(f(m, &args), app.theme.dim()))
}

/// Draws the view over the panes.
pub fn render(app: &App, v: &ProjectView, frame: &mut Frame<'_>, area: Rect) {
    let r = area_of(area);
    frame.render_widget(Clear, r);
    let all = lines(app, usize::from(r.width.saturating_sub(2)));
    let rows = usize::from(r.height.saturating_sub(3));
    let n = all.len();
    let scroll = v.scroll.min(n.saturating_sub(rows));
    let mut body: Vec<Line<'static>> = all.into_iter().skip(scroll).take(rows).collect();
    while body.len() < rows {
        body.push(Line::from(""));
    }
    body.push(keys_line(app, M::PrjKeys, &[Action::Edit, Action::Undo, Action::Close]));
    let title = if n > rows {
        format!("{} ({}–{} / {n})", t(M::PrjTitle), scroll + 1, (scroll + rows).min(n))
    } else {
        t(M::PrjTitle).to_string()
    };
    frame.render_widget(Paragraph::new(body).block(super::overlay::boxed(app, title)), r);
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrapping_keeps_every_word_and_the_width() {
        let text = "Projekts tiek līdzfinansēts no Eiropas Sociālā fonda Plus finanšu līdzekļiem";
        for width in [1, 7, 20, 80] {
            let lines = wrap(text, width);
            assert!(lines.iter().all(|l| l.chars().count() <= width), "{width}: {lines:?}");
            let joined: String = lines.concat().split_whitespace().collect();
            let want: String = text.split_whitespace().collect();
            assert_eq!(joined, want, "{width}");
        }
        assert_eq!(wrap("", 10), vec![String::new()]);
    }
}
