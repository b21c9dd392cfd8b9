//! Rendering: draws the App into a frame. Reads state only; never mutates, never touches the
//! store's disk side. Tables are virtualised: only the visible rows are built.

use super::app::{App, Pane};
use super::keymap::{Action, Context};
use super::layer::{self, Help, Layer, Page, PaletteState, Pending};
use super::overlay;
use super::panes;
use crate::domain::Table;
use crate::i18n::{self, M, f, t};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table as TableWidget, TableState, Wrap};

/// Below this size only a "too small" message is shown.
pub const MIN_COLS: u16 = 60;
pub const MIN_ROWS: u16 = 15;
/// From this width the detail panel sits beside the table instead of below it.
const SIDE_BY_SIDE: u16 = 140;

/// The regions of the screen.
pub struct Areas {
    pub tabs: Rect,
    pub table: Rect,
    pub detail: Rect,
    pub status: Rect,
    pub hints: Rect,
}

/// Splits the screen (the one layout used by rendering and by scrolling).
pub fn layout(area: Rect) -> Areas {
    let [tabs, main, status, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let [table, detail] = if area.width >= SIDE_BY_SIDE {
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(main)
    } else {
        Layout::vertical([
            Constraint::Min(6),
            Constraint::Length(main.height.saturating_mul(2) / 5),
        ])
        .areas(main)
    };
    Areas {
        tabs,
        table,
        detail,
        status,
        hints,
    }
}

/// Data rows visible in a pane's table at a terminal size.
pub fn table_rows(size: (u16, u16)) -> usize {
    let a = layout(Rect::new(0, 0, size.0, size.1));
    a.table.height.saturating_sub(3) as usize // two borders and the header
}

/// Draws the whole screen.
pub fn render(app: &App, frame: &mut Frame<'_>) {
    let area = frame.area();
    if area.width < MIN_COLS || area.height < MIN_ROWS {
        let msg = f(M::TooSmall, &[&area.width, &area.height, &MIN_COLS, &MIN_ROWS]);
        frame.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), area);
        return;
    }
    // The desk and the attendance list take the whole screen: the panes under them are not
    // drawn at all (a check-in's frame stays cheap). Layers are drawn bottom to top.
    let layers = app.layers();
    let base = layers.iter().rposition(Layer::covers);
    if base.is_none() || !app.backend.is_loaded() {
        let a = layout(area);
        render_tabs(app, frame, a.tabs);
        match app.zoom() {
            // The detail over the table: everything in it, scrolled.
            Some(scroll) => render_zoomed(app, frame, a.table.union(a.detail), scroll),
            None => {
                render_table(app, frame, a.table);
                render_detail(app, frame, a.detail);
            }
        }
        render_status(app, frame, a.status);
        render_hints(app, frame, a.hints);
    }
    for (i, layer) in layers.iter().enumerate().skip(base.unwrap_or(0)) {
        match layer {
            Layer::Filter | Layer::Zoom(_) => {}
            Layer::Desk(d) if app.backend.is_loaded() => overlay::render_desk(app, d, frame, area),
            Layer::Roster(r) if app.backend.is_loaded() => overlay::render_roster(app, r, frame, area),
            Layer::Desk(_) | Layer::Roster(_) => {}
            Layer::Help(h) => render_help(app, h, frame, area),
            Layer::Palette(p) => render_palette(app, p, frame, area),
            Layer::Form(form) => overlay::render_form(app, form, frame, area),
            Layer::Import(im) => super::import::render(app, im, frame, area),
            Layer::Dups(d) => super::dups::render(app, d, frame, area),
            Layer::Confirm(c) => {
                let open = match c.pending {
                    Pending::SaveDuplicate(_) if layer::walk_in_form(&layers[..i]) => Some(M::ConfirmUseHint),
                    Pending::SaveDuplicate(_) => Some(M::ConfirmOpenHint),
                    _ => None,
                };
                overlay::render_confirm(app, &c.question, open, frame, area);
            }
            Layer::Project(v) if app.backend.is_loaded() => super::project::render(app, v, frame, area),
            Layer::Documents(d) if app.backend.is_loaded() => super::documents::render(app, d, frame, area),
            Layer::Editor(e) if app.backend.is_loaded() => super::editor::render(app, e, frame, area),
            Layer::Project(_) | Layer::Documents(_) | Layer::Editor(_) => {}
            Layer::Values(v) if app.backend.is_loaded() => super::values::render(app, v, frame, area),
            Layer::Values(_) => {}
        }
    }
}

fn render_tabs(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let th = app.theme;
    let mut spans = vec![Span::styled(format!(" {} ", t(M::AppName)), th.title()), Span::raw("│")];
    for p in Pane::ALL {
        let label = format!(" {} {} ", p.index() + 1, t(p.title()));
        if p == app.pane {
            spans.push(Span::styled(format!("[{}]", label.trim_end()), th.selected()));
        } else {
            spans.push(Span::raw(label));
        }
        spans.push(Span::raw("│"));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn block<'a>(app: &App, title: String) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.border())
        .title(Span::styled(title, app.theme.title()))
}

fn render_table(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let pane = app.pane;
    let n = app.rows(pane);
    let st = &app.states[pane.index()];
    let title = match &st.view {
        Some(v) if !v.applied.trim().is_empty() => {
            let all = if app.backend.is_loaded() {
                app.backend.model().orders.get(pane.table()).len()
            } else {
                0
            };
            format!(
                " {} ({}) /{} ",
                t(pane.title()),
                f(M::FilterOf, &[&n, &all]),
                v.applied.trim()
            )
        }
        _ => format!(" {} ({n}) ", t(pane.title())),
    };
    let title = match app.asof {
        Some(d) if pane == Pane::Indicators => format!("{title}· {} ", f(M::AsOfTitle, &[&i18n::date(d)])),
        _ => title,
    };
    let block = block(app, title);
    if !app.backend.is_loaded() {
        frame.render_widget(Paragraph::new(t(M::Loading)).block(block), area);
        return;
    }
    if n == 0 {
        let msg = if st.view.is_some() { M::NoMatches } else { M::NoRows };
        frame.render_widget(Paragraph::new(t(msg)).wrap(Wrap { trim: true }).block(block), area);
        return;
    }
    let m = app.backend.model();
    let visible = area.height.saturating_sub(3) as usize;
    // Keep the selection in view even if the last resize was missed.
    let offset = super::select::in_view(st.selected, super::select::clamp(st.offset, n), visible);
    let ids = app.ids(pane);
    let end = (offset + visible).min(n);
    let terms = st.view.as_ref().map(|v| v.terms.as_slice()).unwrap_or(&[]);
    let marked = panes::searched_columns(pane);
    let mut cells: Vec<Vec<String>> = ids[offset..end]
        .iter()
        .map(|id| panes::cells(m, pane, *id, app.today(), &app.outcomes))
        .collect();
    let cols = panes::columns(pane);
    let headers: Vec<&str> = cols.iter().map(|(title, _)| t(*title)).collect();
    // Inside the borders, less the selection mark and the spaces between columns.
    let avail = area
        .width
        .saturating_sub(2 + 2)
        .saturating_sub(u16::try_from(cols.len().saturating_sub(1)).unwrap_or(0));
    let w = panes::fit_widths(&cols, &headers, &cells, avail);
    if pane == Pane::Indicators {
        let titles: Vec<&str> = m.indicators.iter().map(|i| i.title.as_str()).collect();
        let width = w.get(1).copied().unwrap_or(0) as usize;
        for row in &mut cells {
            if let Some(title) = row.get_mut(1) {
                *title = panes::distinct_title(title, &titles, width);
            }
        }
    }
    let rows = cells.into_iter().map(|row| {
        Row::new(row.into_iter().enumerate().map(|(i, text)| {
            if terms.is_empty() || !marked.contains(&i) {
                Cell::from(text)
            } else {
                Cell::from(highlighted(&text, terms, app.theme.matched()))
            }
        }))
    });
    let header = Row::new(headers.iter().map(|h| Cell::from(*h))).style(app.theme.header());
    let widths: Vec<Constraint> = w.iter().map(|x| Constraint::Length(*x)).collect();
    let table = TableWidget::new(rows, widths)
        .header(header)
        .block(block)
        .column_spacing(1)
        .row_highlight_style(app.theme.selected())
        .highlight_symbol("▶ ");
    let mut state = TableState::default().with_selected(Some(st.selected - offset));
    frame.render_stateful_widget(table, area, &mut state);
}

/// A cell's text with the characters matched by the filter's terms styled.
fn highlighted(text: &str, terms: &[crate::search::text::Term], style: Style) -> Line<'static> {
    let marks = crate::search::text::highlight(text, terms);
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_marked = false;
    for (c, m) in text.chars().zip(marks) {
        if m != run_marked && !run.is_empty() {
            let piece = std::mem::take(&mut run);
            spans.push(if run_marked {
                Span::styled(piece, style)
            } else {
                Span::raw(piece)
            });
        }
        run_marked = m;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(if run_marked {
            Span::styled(run, style)
        } else {
            Span::raw(run)
        });
    }
    Line::from(spans)
}

fn render_detail(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let inner_height = area.height.saturating_sub(2) as usize;
    let (title, lines) = detail_of(app, inner_height);
    let p = Paragraph::new(lines)
        .block(block(app, format!(" {title} ")))
        .wrap(Wrap { trim: false });
    frame.render_widget(p, area);
}

/// The detail over the whole main area, every line of it, scrolled by `scroll` lines.
fn render_zoomed(app: &App, frame: &mut Frame<'_>, area: Rect, scroll: usize) {
    let (title, lines) = detail_of(app, usize::MAX / 4);
    let n = lines.len();
    let inner = area.height.saturating_sub(2) as usize;
    let scroll = scroll.min(n.saturating_sub(inner));
    let keys = f(
        M::DetailKeys,
        &[&app
            .keymap
            .key_for(super::keymap::Context::List, Action::Detail)
            .map(|k| k.to_string())
            .unwrap_or_default()],
    );
    let title = format!(" {title} ({}–{} / {n}) · {keys} ", scroll + 1, (scroll + inner).min(n));
    let p = Paragraph::new(lines)
        .block(block(app, title))
        .scroll((scroll.min(u16::MAX as usize) as u16, 0));
    frame.render_widget(p, area);
}

/// The title and lines of the selected record's detail, fitted to `height` lines.
pub fn detail_of(app: &App, height: usize) -> (String, Vec<Line<'static>>) {
    // Indicators count days to their deadline from the as-of date they are shown for.
    let day = if app.pane == Pane::Indicators {
        app.asof.unwrap_or(app.today())
    } else {
        app.today()
    };
    // The panel's inner width (the full detail, asked for every line, is not cut).
    let width = if height >= usize::MAX / 4 {
        usize::MAX
    } else {
        let a = layout(Rect::new(0, 0, app.size.0, app.size.1));
        usize::from(a.detail.width.saturating_sub(2)).max(1)
    };
    match app.selected_id(app.pane) {
        Some(id) => panes::detail(
            app.backend.model(),
            app.pane,
            id,
            day,
            app.theme,
            (width, height),
            panes::Computed {
                outcomes: &app.outcomes,
                aggregates: app.aggregates.as_ref(),
            },
        ),
        None => (
            t(M::Detail).to_string(),
            vec![Line::from(t(if app.backend.is_loaded() {
                M::NoSelection
            } else {
                M::Loading
            }))],
        ),
    }
}

/// The most lines a status message takes; a longer one ends with what shows it whole.
const MESSAGE_LINES: usize = 3;

/// What shows every message whole, for the end of a line that was cut: "! shows all" (the
/// palette's command when no key is bound to it).
pub fn more_hint(app: &App) -> String {
    let how = app
        .keymap
        .key_for(Context::List, Action::Messages)
        .map_or_else(|| format!(":{}", t(M::CmdMessages)), |k| k.to_string());
    f(M::MessagesMore, &[&how])
}

/// A message for a status line `width` columns wide: wrapped at spaces over at most
/// [`MESSAGE_LINES`] lines, the last ending with [`more_hint`] when that is not all.
pub fn status_message(app: &App, msg: &str, width: usize) -> Vec<String> {
    // Each part on a line of its own when that fits; else the parts run on, so that as
    // much as can be is read before the hint.
    let mut lines = super::wrap::message(msg, width);
    if lines.len() > MESSAGE_LINES {
        lines = super::wrap::hanging(msg, width, 3);
    }
    super::wrap::at_most(lines, MESSAGE_LINES, width, &more_hint(app)).0
}

/// Who else is on (when anyone is: "also here: …"), who this is and which database: the
/// status bar's parts after the counts.
fn status_parts(app: &App) -> (Vec<String>, [String; 2]) {
    let me = app.backend.user_name();
    let mut others = app.backend.peers();
    if let Some(i) = others.iter().position(|p| *p == me) {
        others.remove(i);
    }
    let mine = [
        format!("{}: {me}", t(M::StatusUser)),
        format!("{}: {}", t(M::StatusDb), app.db_label),
    ];
    (others, mine)
}

/// `start`, then each of `parts` (after " · ") that fits whole in `width`; when one does
/// not, the line ends with `hint` (room is kept for it). Returns the line and whether a part
/// was left out.
fn fill(start: &str, parts: &[String], width: usize, hint: &str) -> (String, bool) {
    use unicode_width::UnicodeWidthStr;
    let all: String = parts.iter().map(|p| format!(" · {p}")).collect();
    if start.width() + all.width() <= width {
        return (format!("{start}{all}"), false);
    }
    let room = width.saturating_sub(hint.width());
    let mut line = start.to_string();
    for p in parts {
        let next = format!("{line} · {p}");
        if next.width() > room {
            break;
        }
        line = next;
    }
    (format!("{line}{hint}"), true)
}

/// The status bar with no message, in `width` columns: the counts first, who this is and
/// the database, each whole or left out, and who else is on, every name whole. When the
/// others do not fit on the line they take a second one (names that do not fit there either
/// are counted: "+2"). Whatever is left out, the last line ends with [`more_hint`]: the
/// messages view lists it all.
fn status_lines(app: &App, counts: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let (others, mine) = status_parts(app);
    let hint = format!(" · {}", more_hint(app));
    let counts = format!(" {counts}");
    if others.is_empty() {
        return vec![fill(&counts, &mine, width, &hint).0];
    }
    let here = |names: &str| f(M::ServerPeers, &[&names]);
    let one = format!("{counts} · {}", here(&others.join(", ")));
    if one.width() + hint.width() <= width {
        return vec![fill(&one, &mine, width, &hint).0];
    }
    let (first, cut) = fill(&counts, &mine, width, "");
    let second = (1..=others.len())
        .rev()
        .find_map(|k| {
            let rest = others.len() - k;
            let names = others[..k].join(", ");
            let line = match rest {
                0 => format!(" {}", here(&names)),
                _ => format!(" {}", here(&format!("{names} +{rest}"))),
            };
            let line = if rest > 0 || cut { format!("{line}{hint}") } else { line };
            (line.width() <= width).then_some(line)
        })
        .unwrap_or_else(|| format!(" {}{hint}", here(&format!("+{}", others.len()))));
    vec![first, second]
}

fn render_status(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let counts = if app.backend.is_loaded() {
        let m = app.backend.model();
        f(
            M::StatusCounts,
            &[
                &m.count(Table::Organisation),
                &m.count(Table::Event),
                &m.count(Table::Participant),
                &m.count(Table::Attendance),
            ],
        )
    } else {
        t(M::Loading).to_string()
    };
    let progress = app.export_progress();
    let width = usize::from(area.width);
    // A message longer than the line (both a bad config and a bad keymap file at start),
    // or colleagues who do not fit beside the counts, grow upwards over the panes, so that
    // every part is read.
    let lines = match app.message.as_ref().or(progress.as_ref()) {
        Some(msg) => status_message(app, &format!(" ▶ {msg}"), width),
        None => status_lines(app, &counts, width),
    };
    let n = (lines.len() as u16).min(area.y + 1);
    let over = Rect {
        y: area.y + 1 - n,
        height: n,
        ..area
    };
    let text: Vec<Line> = lines.into_iter().take(usize::from(n)).map(Line::from).collect();
    frame.render_widget(Clear, over);
    frame.render_widget(Paragraph::new(text).style(app.theme.status()), over);
}

/// Key hints, generated from the keymap so they stay true after rebinding; while filtering,
/// the filter line with its error or the fields it takes.
fn render_hints(app: &App, frame: &mut Frame<'_>, area: Rect) {
    let th = app.theme;
    let ctx = app.context();
    let top = app.layers().last();
    if matches!(
        top,
        Some(Layer::Form(_) | Layer::Confirm(_) | Layer::Import(_) | Layer::Dups(_) | Layer::Editor(_))
    ) {
        return; // forms, questions, the editor, the import and the duplicates show their own keys
    }
    let view = app.states[app.pane.index()].view.as_ref();
    if app.filtering() {
        let expr = view.map(|v| v.expr.as_str()).unwrap_or("");
        let mut spans = vec![
            Span::styled("/", th.key()),
            Span::raw(expr.to_string()),
            Span::styled("▏", th.key()),
        ];
        match view.and_then(|v| v.error.as_ref()) {
            Some(e) => spans.push(Span::styled(format!("  ✗ {e}"), th.warn())),
            None => spans.push(Span::styled(
                format!(
                    "  {} {} · {}",
                    t(M::FilterFields),
                    crate::search::filter::help_fields(i18n::lang(), app.pane.table()),
                    t(M::FilterKeys)
                ),
                th.dim(),
            )),
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
        return;
    }
    let help = matches!(top, Some(Layer::Help(_)));
    let wanted: &[(Action, M)] = match top {
        Some(Layer::Help(h)) if h.page == Page::History => &[(Action::Close, M::HistoryHint)],
        Some(Layer::Help(h)) if h.page == Page::Messages => &[(Action::Close, M::MessagesHint)],
        Some(Layer::Help(_)) => &[(Action::Close, M::HelpClose)],
        Some(Layer::Palette(_)) => &[
            (Action::Run, M::HintRun),
            (Action::Close, M::HintClose),
            (Action::MoveDown, M::HintMove),
        ],
        _ => &[
            (Action::Help, M::HintHelp),
            (Action::Quit, M::HintQuit),
            (Action::Filter, M::HintFilter),
            (Action::Add, M::HintAdd),
            (Action::Edit, M::HintEdit),
            (Action::Undo, M::HintUndo),
            (Action::Detail, M::HintDetail),
            (Action::Palette, M::HintPalette),
            (Action::NextPane, M::HintPanes),
        ],
    };
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (action, label) in wanted {
        if let Some(k) = app.keymap.key_for(ctx, *action) {
            if help {
                spans.push(Span::raw(t(*label)));
                break;
            }
            // Whole hints only: one that does not fit is left out, not cut.
            let (k, l) = (k.to_string(), format!(" {}  ", t(*label)));
            used += k.chars().count() + l.chars().count();
            if used > area.width as usize + 2 {
                break;
            }
            spans.push(Span::styled(k, th.key()));
            spans.push(Span::raw(l));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The help box: the keys in a box up to 100 columns wide (at 80 columns the whole width);
/// the history and the messages, whose lines are long, take the whole width.
fn help_area(area: Rect, page: Page) -> Rect {
    let w = match page {
        Page::Keys => area.width.min(100),
        Page::History | Page::Messages => area.width,
    };
    let h = area.height.saturating_sub(2);
    Rect::new(area.x + (area.width - w) / 2, area.y + 1, w, h)
}

/// `head` (styled) then `text`, wrapped to `width` with the lines after the first indented
/// by `indent`: nothing is cut at the box's edge.
fn hanging_line(head: &str, text: &str, width: usize, indent: usize, style: Style) -> Vec<Line<'static>> {
    let lines = super::wrap::hanging(&format!("{head}{text}"), width, indent);
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| match l.strip_prefix(head) {
            Some(rest) if i == 0 && !head.is_empty() => {
                Line::from(vec![Span::styled(head.to_string(), style), Span::raw(rest.to_string())])
            }
            _ => Line::from(l),
        })
        .collect()
}

/// Where the key column of help ends.
const HELP_KEY: usize = 14;

/// The help screen's lines, wrapped to its box: every binding of every context and every
/// command of the palette, with what it does; with a filter, only those whose key, name or
/// description contain it (diacritics ignored; a command also by its words in the other
/// language). The history and the messages pages list theirs.
fn help_text(app: &App, help: &Help) -> Vec<Line<'static>> {
    let th = app.theme;
    let width = usize::from(
        help_area(Rect::new(0, 0, app.size.0, app.size.1), help.page)
            .width
            .saturating_sub(2),
    )
    .max(1);
    let (filter, page) = (crate::search::fold(&help.filter), help.page);
    let matches = |text: &str| filter.is_empty() || crate::search::fold(text).contains(&filter);
    let plain = |text: &str| -> Vec<Line<'static>> {
        super::wrap::hanging(text, width, 3)
            .into_iter()
            .map(Line::from)
            .collect()
    };
    match page {
        Page::History => {
            let mut lines: Vec<Line<'static>> = app
                .journal
                .iter()
                .filter(|l| matches(l))
                .flat_map(|l| plain(l))
                .collect();
            if lines.is_empty() && app.journal.is_empty() {
                lines.extend(plain(t(M::HistoryEmpty)));
            } else if lines.is_empty() {
                lines.extend(plain(&f(M::HistoryNoMatch, &[&help.filter])));
            }
            return lines;
        }
        Page::Messages => return messages_text(app, help, width),
        Page::Keys => {}
    }
    let mut lines = Vec::new();
    let mut section = |title: M, rows: Vec<Line<'static>>| {
        if !rows.is_empty() {
            lines.push(Line::from(Span::styled(t(title).to_string(), th.header())));
            lines.extend(rows);
            lines.push(Line::from(""));
        }
    };
    // The keys of the screen under the help first, then the commands, then the rest.
    let here = app.screen_context();
    let order = std::iter::once(here).chain(Context::ALL.into_iter().filter(|c| *c != here));
    for (n, ctx) in order.enumerate() {
        let title = match ctx {
            Context::Global => M::HelpContextGlobal,
            Context::List => M::HelpContextList,
            Context::Help => M::HelpContextHelp,
            Context::Filter => M::HelpContextFilter,
            Context::Palette => M::HelpContextPalette,
            Context::Form => M::HelpContextForm,
            Context::Confirm => M::HelpContextConfirm,
            Context::Desk => M::HelpContextDesk,
            Context::Attendance => M::HelpContextAttendance,
            Context::Review => M::HelpContextReview,
        };
        let rows: Vec<Line<'static>> = app
            .keymap
            .bindings(ctx)
            .iter()
            .filter(|(key, action)| matches(&format!("{key} {}", super::actions::describe(*action))))
            .flat_map(|(key, action)| {
                let head = format!("  {:<w$} ", key.to_string(), w = HELP_KEY - 3);
                hanging_line(&head, super::actions::describe(*action), width, HELP_KEY, th.key())
            })
            .collect();
        section(title, rows);
        if n == 0 {
            section(M::HelpContextCommands, command_lines(app, width, &matches));
        }
    }
    if lines.is_empty() {
        let key = |a: Action| super::overlay::key(app, Context::Help, a);
        let said = f(
            M::HelpNoMatch,
            &[&help.filter, &key(Action::DeleteBack), &key(Action::ClearLine)],
        );
        lines.extend(plain(&said));
    }
    lines
}

/// Every command of the palette (its entries with nothing typed, and the commands that
/// take words after them), as `:name` and what it does, those that `matches`.
fn command_lines(app: &App, width: usize, matches: &dyn Fn(&str) -> bool) -> Vec<Line<'static>> {
    use crate::i18n::Lang;
    let th = app.theme;
    let both = |m: M| format!("{} {}", m.tr(Lang::En), m.tr(Lang::Lv));
    let mut all: Vec<(String, String, String)> = super::palette::commands(&app.keymap, &super::views::Views::default())
        .into_iter()
        .map(|(words, e)| (e.label, e.desc, words))
        .collect();
    for (cmd, args, desc) in [
        (M::CmdViewRename, "OLD = NEW", M::PaletteRenameView),
        (M::CmdViewDelete, t(M::CmdName), M::PaletteDeleteView),
    ] {
        all.push((format!("{} {args}", t(cmd)), t(desc).to_string(), both(cmd)));
    }
    all.into_iter()
        .filter(|(label, desc, words)| matches(&format!(":{label} {desc} {words}")))
        .flat_map(|(label, desc, _)| {
            let head = format!("  :{:<w$} ", label, w = HELP_KEY - 4);
            hanging_line(&head, &desc, width, HELP_KEY, th.key())
        })
        .collect()
}

/// The messages page: who else is on now (with who this is and the database), then the
/// messages kept, newest first, each with its time, whole.
fn messages_text(app: &App, help: &Help, width: usize) -> Vec<Line<'static>> {
    let th = app.theme;
    let filter = crate::search::fold(&help.filter);
    let (others, mine) = status_parts(app);
    let mut now: Vec<String> = Vec::new();
    if !others.is_empty() {
        now.push(f(M::ServerPeers, &[&others.join(", ")]));
    }
    now.extend(mine);
    let mut lines: Vec<Line<'static>> = super::wrap::hanging(&now.join(" · "), width, 3)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, th.title())))
        .collect();
    lines.push(Line::from(""));
    let before = lines.len();
    for (at, msg) in app.messages.newest_first() {
        if !filter.is_empty() && !crate::search::fold(msg).contains(&filter) {
            continue;
        }
        let time = format!("{}  ", at.riga().format("%H:%M"));
        for (i, part) in msg.lines().enumerate() {
            let head = if i == 0 { time.clone() } else { " ".repeat(time.len()) };
            lines.extend(hanging_line(&head, part, width, time.len(), th.dim()));
        }
    }
    if app.messages.is_empty() {
        lines.push(Line::from(t(M::MessagesNone)));
    } else if lines.len() == before {
        lines.extend(
            super::wrap::hanging(&f(M::MessagesNoMatch, &[&help.filter]), width, 3)
                .into_iter()
                .map(Line::from),
        );
    }
    lines
}

/// Number of lines on the help screen (for scrolling).
pub fn help_lines(app: &App, help: &Help) -> usize {
    help_text(app, help).len()
}

fn render_help(app: &App, help: &Help, frame: &mut Frame<'_>, area: Rect) {
    let (scroll, filter) = (help.scroll, help.filter.as_str());
    let r = help_area(area, help.page);
    frame.render_widget(Clear, r);
    let (name, close) = match help.page {
        Page::History => (t(M::HistoryTitle), t(M::HistoryClose)),
        Page::Messages => (t(M::MessagesTitle), t(M::HistoryClose)),
        Page::Keys => (t(M::Help), t(M::HelpClose)),
    };
    let title = if filter.is_empty() {
        format!(" {name} — {close} · {} ", t(M::HelpFilter))
    } else {
        format!(" {name} /{filter}▏ ")
    };
    let p = Paragraph::new(help_text(app, help))
        .block(block(app, title))
        .style(Style::default())
        .scroll((scroll.min(u16::MAX as usize) as u16, 0));
    frame.render_widget(p, r);
}

/// The command palette: the input, then the matching commands with their keys.
fn render_palette(app: &App, palette: &PaletteState, frame: &mut Frame<'_>, area: Rect) {
    let th = app.theme;
    let w = area.width.saturating_sub(4).min(76);
    let h = area.height.saturating_sub(4).min(16);
    let r = Rect::new(area.x + (area.width - w) / 2, area.y + 2, w, h);
    frame.render_widget(Clear, r);
    let entries = app.palette_entries();
    let rows = h.saturating_sub(3) as usize;
    let sel = super::select::clamp(palette.selected, entries.len());
    let first = super::select::in_view(sel, 0, rows);
    let mut lines = vec![Line::from(vec![
        Span::styled(":", th.key()),
        Span::raw(palette.input.clone()),
        Span::styled("▏", th.key()),
    ])];
    for (i, e) in entries.iter().enumerate().skip(first).take(rows) {
        let key = e.key.map(|k| k.to_string()).unwrap_or_default();
        let style = if i == sel { th.selected() } else { Style::default() };
        let marker = if i == sel { "▶ " } else { "  " };
        lines.push(Line::from(vec![
            Span::styled(format!("{marker}{:<22}", e.label), style),
            Span::styled(format!("{key:<8}"), th.key()),
            Span::styled(e.desc.clone(), th.dim()),
        ]));
    }
    let p = Paragraph::new(lines).block(block(app, format!(" {} ", t(M::PaletteTitle))));
    frame.render_widget(p, r);
}
