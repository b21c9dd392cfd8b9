//! Drawing of the screens that change data: forms, yes/no questions, the check-in desk and
//! an event's attendance list. Reads the App only.

use super::app::App;
use super::desk::{self, Desk, Notice, Roster};
use super::form::{Field, Form, Kind};
use super::keymap::{Action, Context, Key};
use crate::domain::{AttendanceStatus, EventId, ParticipantId};
use crate::i18n::{self, Label, M, f, t};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// Width of a form's labels.
const LABEL: usize = 20;

/// Lines above and below the list of the desk and the attendance list.
const DESK_CHROME: u16 = 7;

/// Rows of the desk's (and the attendance list's) list at a terminal size.
pub fn desk_rows(size: (u16, u16)) -> usize {
    size.1.saturating_sub(DESK_CHROME).max(1) as usize
}

/// Rows of the attendance list at a terminal size (its chrome has no input line).
pub fn roster_rows(size: (u16, u16)) -> usize {
    size.1.saturating_sub(DESK_CHROME - 1).max(1) as usize
}

pub(super) fn key(app: &App, ctx: Context, a: Action) -> String {
    app.keymap
        .key_for(ctx, a)
        .map(|k| k.to_string())
        .unwrap_or_else(|| "—".into())
}

pub(super) fn boxed<'a>(app: &App, title: String) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.border())
        .title(Span::styled(format!(" {title} "), app.theme.title()))
}

/// A text with a visible cursor after `at` characters.
pub(super) fn with_cursor(text: &str, at: usize, app: &App) -> Vec<Span<'static>> {
    let split = text.char_indices().nth(at).map_or(text.len(), |(i, _)| i);
    vec![
        Span::raw(text[..split].to_string()),
        Span::styled("▏", app.theme.key()),
        Span::raw(text[split..].to_string()),
    ]
}

/// A field's error under it, from the column of the values, in lines of the form's inner
/// `width`: wrapped, never cut at the edge (the allowed values of a list can be long).
pub(super) fn error_lines(error: &str, indent: usize, width: usize) -> Vec<String> {
    let room = width.saturating_sub(indent).max(20);
    super::wrap::hanging(&format!("✗ {error}"), room, 2)
}

/// The lines of one field: label and value, then its error or its list of matches.
fn field_lines(app: &App, form: &Form, i: usize, fl: &Field, width: usize) -> Vec<Line<'static>> {
    let th = app.theme;
    let focused = i == form.focus;
    let required = matches!(
        fl.kind,
        Kind::Text { required: true }
            | Kind::Date { required: true }
            | Kind::DateTime
            | Kind::EndTime
            | Kind::Decimal
            | Kind::Hours { optional: false }
    ) || matches!(fl.kind, Kind::Ref { required: true, .. });
    let label = format!("{}{}", fl.code.label(), if required { " *" } else { "" });
    let marker = if focused { "▶ " } else { "  " };
    let mut spans = vec![
        Span::styled(marker.to_string(), th.key()),
        Span::styled(
            format!("{label:<LABEL$} "),
            if focused { th.title() } else { th.label() },
        ),
    ];
    if fl.is_choice() {
        let v = format!("‹ {} ›", fl.shown());
        spans.push(Span::styled(v, if focused { th.selected() } else { Style::new() }));
    } else if focused {
        spans.extend(with_cursor(fl.input.text(), fl.input.cursor_chars(), app));
    } else {
        spans.push(Span::raw(fl.shown()));
    }
    if matches!(fl.kind, Kind::Ref { .. }) && fl.picked.is_some() && !fl.picking() {
        spans.push(Span::styled(" ✓", th.good()));
    }
    let mut lines = vec![Line::from(spans)];
    let indent = " ".repeat(LABEL + 3);
    if let Some(e) = &fl.error {
        for l in error_lines(e, LABEL + 3, width) {
            lines.push(Line::from(vec![Span::raw(indent.clone()), Span::styled(l, th.warn())]));
        }
    }
    if focused
        && fl.picking()
        && app.backend.is_loaded()
        && let Kind::Ref { table, .. } = fl.kind
    {
        for (n, id) in fl.matches.iter().enumerate() {
            let sel = n == fl.selected;
            let text = super::form::ref_label(app.backend.model(), table, *id);
            lines.push(Line::from(vec![
                Span::raw(indent.clone()),
                Span::styled(
                    format!("{} {text}", if sel { "▶" } else { " " }),
                    if sel { th.selected() } else { Style::new() },
                ),
            ]));
        }
    }
    lines
}

/// The open form, over the panes.
pub fn render_form(app: &App, form: &Form, frame: &mut Frame<'_>, area: Rect) {
    let th = app.theme;
    let w = area.width.min(90);
    let inner_w = usize::from(w.saturating_sub(2));
    let error_rows = |fl: &Field| {
        fl.error
            .as_ref()
            .map_or(0, |e| error_lines(e, LABEL + 3, inner_w).len())
    };
    // As tall as the fields, their messages and a list of matches need; at most the screen
    // below the tabs.
    let errors: usize = form.fields.iter().map(error_rows).sum();
    let wanted = (form.fields.len() + errors + super::form::PICK_ROWS + 4) as u16;
    let h = wanted.min(area.height.saturating_sub(1));
    let r = Rect::new(area.x + (area.width - w) / 2, area.y + 1, w, h);
    frame.render_widget(Clear, r);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut focus_line = 0;
    for (i, fl) in form.fields.iter().enumerate() {
        if i == form.focus {
            focus_line = lines.len();
        }
        lines.extend(field_lines(app, form, i, fl, inner_w));
    }
    // The form's own message (a refusal: someone else's change, the server not answering)
    // is read whole: wrapped over as many lines as it takes, never cut at the edge.
    let message: Vec<Line<'static>> = match &form.message {
        Some(m) => super::wrap::message(&format!("✗ {m}"), inner_w)
            .into_iter()
            .map(|l| Line::from(Span::styled(l, th.warn())))
            .collect(),
        None if !form.duplicates.is_empty() && app.backend.is_loaded() => {
            let names: Vec<String> = form
                .duplicates
                .iter()
                .take(2)
                .map(|p| super::form::ref_label(app.backend.model(), crate::domain::Table::Participant, p.0))
                .collect();
            vec![Line::from(Span::styled(
                format!("! {} {}", t(M::FormDuplicates), names.join("; ")),
                th.warn(),
            ))]
        }
        None => vec![Line::from("")],
    };
    let inner = (r.height as usize).saturating_sub(3 + message.len()); // borders, message, hint
    // Scroll so the focused field and its list stay in view.
    let wanted_below = form
        .fields
        .get(form.focus)
        .map_or(1, |fl| 1 + fl.matches.len() + error_rows(fl));
    let top = (focus_line + wanted_below).saturating_sub(inner);
    let mut body: Vec<Line<'static>> = lines.into_iter().skip(top).take(inner).collect();
    while body.len() < inner {
        body.push(Line::from(""));
    }
    body.extend(message);
    body.push(Line::from(Span::styled(form_hint(app), th.dim())));
    frame.render_widget(Paragraph::new(body).block(boxed(app, form.title())), r);
}

/// The keys of a form (and of the small editor): next field, save, cancel, and the keys that
/// cycle a choice (Space named as the keymap names keys).
pub(super) fn form_hint(app: &App) -> String {
    let space = Key {
        code: ratatui::crossterm::event::KeyCode::Char(' '),
        mods: ratatui::crossterm::event::KeyModifiers::NONE,
    };
    f(
        M::FormHint,
        &[
            &key(app, Context::Form, Action::NextField),
            &key(app, Context::Form, Action::Save),
            &key(app, Context::Form, Action::Close),
            &space,
        ],
    )
}

/// A yes/no question in the middle of the screen.
/// `open` names what the `o` key does when there is an existing record to turn to.
pub fn render_confirm(app: &App, question: &str, open: Option<M>, frame: &mut Frame<'_>, area: Rect) {
    let th = app.theme;
    let w = area.width.saturating_sub(4).min(70);
    // The question wraps at words inside the borders: count the lines it takes so that the
    // keys' hint below it always shows.
    let text_rows = wrapped_lines(&format!("? {question}"), w.saturating_sub(2).max(1) as usize) as u16;
    let h = (text_rows + 4).min(area.height);
    let r = Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h);
    frame.render_widget(Clear, r);
    let mut hint = f(
        M::ConfirmHint,
        &[&yes_key(app), &key(app, Context::Confirm, Action::No)],
    );
    if let Some(m) = open {
        hint = format!("{hint} · {}", f(m, &[&key(app, Context::Confirm, Action::Edit)]));
    }
    let p = Paragraph::new(vec![
        Line::from(Span::styled(format!("? {question}"), th.title())),
        Line::from(""),
        Line::from(Span::styled(hint, th.key())),
    ])
    .wrap(ratatui::widgets::Wrap { trim: false })
    .block(boxed(app, "?".into()));
    frame.render_widget(p, r);
}

/// How many lines `text` takes when wrapped at words to `width` columns.
fn wrapped_lines(text: &str, width: usize) -> usize {
    use unicode_width::UnicodeWidthStr;
    let (mut lines, mut col) = (1, 0usize);
    for word in text.split(' ') {
        let w = word.width();
        if col > 0 && col + 1 + w > width {
            lines += 1 + w / width.max(1);
            col = w % width.max(1);
        } else {
            col += if col > 0 { 1 } else { 0 } + w;
        }
    }
    lines
}

/// The header lines of the desk and the list: event, date, place, counts.
fn event_header(app: &App, event: EventId, what: M) -> Vec<Line<'static>> {
    let th = app.theme;
    let m = app.backend.model();
    let Some(e) = m.events.get(event.0) else {
        return vec![Line::from(t(what).to_string())];
    };
    let place = if e.online {
        t(M::Online).to_string()
    } else {
        e.place.to_string()
    };
    let (came, registered, walk_ins) = desk::counts(m, event);
    vec![
        Line::from(vec![
            Span::styled(format!(" {} ", t(what)), th.selected()),
            Span::styled(format!(" {}", e.title), th.title()),
        ]),
        Line::from({
            let mut spans = vec![Span::raw(format!(
                " {} {}–{} · {}",
                i18n::date(e.start.date()),
                e.start.format("%H:%M"),
                e.end.format("%H:%M"),
                place,
            ))];
            if let Some((why, _)) = super::changes::desk_warning(m, event, app.today()) {
                spans.push(Span::styled(format!("  ⚠ {why}"), th.warn()));
            }
            spans
        }),
        Line::from(Span::styled(
            format!(" {}", f(M::DeskCount, &[&came, &registered, &walk_ins])),
            th.title(),
        )),
    ]
}

/// One person's line in the desk's list: status mark, time, name, institution, role.
fn person_line(app: &App, person: ParticipantId, status: Option<AttendanceStatus>, at: Option<String>) -> String {
    let m = app.backend.model();
    let Some(p) = m.participants.get(person.0) else {
        return String::new();
    };
    // Symbols with a legend on screen; the attendance list also says the status in words.
    let mark = match status {
        Some(AttendanceStatus::Attended) => format!("✔ {:<5}", at.unwrap_or_default()),
        Some(AttendanceStatus::Registered) => format!("● {:<5}", ""),
        Some(AttendanceStatus::Absent) => format!("✗ {:<5}", ""),
        Some(AttendanceStatus::Excused) => format!("○ {:<5}", ""),
        None => format!("  {:<5}", ""),
    };
    let inst = p
        .institution
        .and_then(|o| m.organisations.get(o.0))
        .map(|o| o.label().to_string())
        .unwrap_or_default();
    format!(
        "{mark} {:<28} {:<30} {}",
        short(&p.full_name(), 28),
        short(&inst, 30),
        p.role.label()
    )
}

pub(super) fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// The check-in desk: the whole screen.
pub fn render_desk(app: &App, d: &Desk, frame: &mut Frame<'_>, area: Rect) {
    let th = app.theme;
    frame.render_widget(Clear, area);
    let mut lines = event_header(app, d.event, M::DeskTitle);
    let mut input = vec![Span::styled(format!(" {} ", t(M::DeskPrompt)), th.key())];
    if d.replace {
        // Selected: the next key replaces it.
        input.push(Span::styled(d.input.text().to_string(), th.selected()));
        input.push(Span::styled("▏", th.key()));
    } else {
        input.extend(with_cursor(d.input.text(), d.input.cursor_chars(), app));
    }
    lines.push(Line::from(input));
    lines.push(legend(app, area.width));
    let rows = desk_rows((area.width, area.height));
    let m = app.backend.model();
    for (i, p) in d.hits.iter().enumerate().skip(d.offset).take(rows) {
        let status = d.rows.get(p).and_then(|a| m.attendance.get(a.0)).map(|a| a.status);
        let at = d.checked_in_at(m, *p).map(|s| s.riga().format("%H:%M").to_string());
        let text = person_line(app, ParticipantId(*p), status, at);
        let sel = i == d.selected;
        lines.push(Line::from(Span::styled(
            format!("{}{text}", if sel { "▶ " } else { "  " }),
            if sel { th.selected() } else { Style::new() },
        )));
    }
    // A long notice (a refusal naming who changed what) takes the rows it needs above the
    // keys, over the end of the list.
    let notice = notice_lines(app, d.notice.as_ref(), area.width);
    let above = (area.height as usize).saturating_sub(1 + notice.len());
    lines.truncate(above);
    while lines.len() < above {
        lines.push(Line::from(""));
    }
    lines.extend(notice);
    lines.push(Line::from(Span::styled(
        f(
            M::DeskHint,
            &[
                &key(app, Context::Desk, Action::Run),
                &key(app, Context::Desk, Action::WalkIn),
                &key(app, Context::Desk, Action::Undo),
                &key(app, Context::Desk, Action::Close),
            ],
        ),
        th.dim(),
    )));
    frame.render_widget(Paragraph::new(lines), area);
}

/// The separator above a list of people, with what its symbols mean.
fn legend(app: &App, width: u16) -> Line<'static> {
    legend_with(app, width, "")
}

/// The legend followed by `more` (a key hint), when there is any.
fn legend_with(app: &App, width: u16, more: &str) -> Line<'static> {
    let text = if more.is_empty() {
        format!("── {} ", t(M::DeskLegend))
    } else {
        format!("── {} · {more} ", t(M::DeskLegend))
    };
    let rest = (width as usize).saturating_sub(text.chars().count());
    Line::from(Span::styled(format!("{text}{}", "─".repeat(rest)), app.theme.border()))
}

/// The attendance list's search in place of its legend: what was typed, how many rows match,
/// and the keys that keep or clear it.
fn roster_search_line(app: &App, r: &Roster, width: u16) -> Line<'static> {
    let all = app.backend.model().attendance_of_event(r.event).len();
    let mut spans = vec![Span::styled("── / ", app.theme.border())];
    if r.searching {
        spans.extend(with_cursor(&r.query, r.query.chars().count(), app));
    } else {
        spans.push(Span::raw(r.query.clone()));
    }
    let keys = if r.searching {
        f(
            M::RosterSearchKeys,
            &[
                &key(app, Context::Filter, Action::FilterAccept),
                &key(app, Context::Filter, Action::FilterClear),
            ],
        )
    } else {
        f(M::RosterSearchClear, &[&key(app, Context::Attendance, Action::Close)])
    };
    let tail = format!("  {} · {keys} ", f(M::RosterMatches, &[&r.rows.len(), &all]));
    let used: usize = spans.iter().map(|s| s.content.chars().count()).sum::<usize>() + tail.chars().count();
    spans.push(Span::styled(tail, app.theme.dim()));
    spans.push(Span::styled(
        "─".repeat((width as usize).saturating_sub(used)),
        app.theme.border(),
    ));
    Line::from(spans)
}

/// The key shown for "yes": `j` (jā) on the Latvian screen when it is bound, else the first.
fn yes_key(app: &App) -> String {
    let j = Key::parse("j").ok();
    let bound = app
        .keymap
        .bindings(Context::Confirm)
        .iter()
        .any(|(k, a)| Some(*k) == j && *a == Action::Yes);
    if i18n::lang() == i18n::Lang::Lv && bound {
        "j".to_string()
    } else {
        key(app, Context::Confirm, Action::Yes)
    }
}

/// The big confirmation line: a word and a symbol, in reverse video (never colour alone);
/// a long one wrapped over up to three lines, whole (`!` keeps it too).
fn notice_lines(app: &App, n: Option<&Notice>, width: u16) -> Vec<Line<'static>> {
    let Some(n) = n else {
        return vec![Line::from("")];
    };
    let (word, text, style) = match n {
        Notice::CheckedIn(s) => (M::NoticeIn, s, app.theme.selected()),
        Notice::Already(s) => (M::NoticeAlready, s, app.theme.warn().add_modifier(Modifier::REVERSED)),
        Notice::Undone(s) => (M::NoticeUndone, s, app.theme.selected()),
        Notice::Failed(s) => (M::NoticeFailed, s, app.theme.warn().add_modifier(Modifier::REVERSED)),
    };
    let line = format!(" {}  {text}", t(word));
    let lines = super::wrap::hanging(&line, width as usize, 3);
    super::wrap::at_most(lines, 3, width as usize, &super::ui::more_hint(app))
        .0
        .into_iter()
        .map(|l| Line::from(Span::styled(format!("{l:<w$}", w = width as usize), style)))
        .collect()
}

/// An event's attendance list: the whole screen.
pub fn render_roster(app: &App, r: &Roster, frame: &mut Frame<'_>, area: Rect) {
    let th = app.theme;
    frame.render_widget(Clear, area);
    let mut lines = event_header(app, r.event, M::RosterTitle);
    let m = app.backend.model();
    if r.searching || !r.query.is_empty() {
        lines.push(roster_search_line(app, r, area.width));
    } else {
        let search = f(M::RosterHintSearch, &[&key(app, Context::Attendance, Action::Filter)]);
        lines.push(legend_with(app, area.width, &search));
    }
    for (i, id) in r
        .rows
        .iter()
        .enumerate()
        .skip(r.offset)
        .take(roster_rows((area.width, area.height)))
    {
        let Some(a) = m.attendance.get(id.0) else {
            continue;
        };
        let tick = if a.status == AttendanceStatus::Attended {
            "[x]"
        } else {
            "[ ]"
        };
        let at = a.checked_in_at.map(|s| s.riga().format("%H:%M").to_string());
        let text = person_line(app, a.participant, Some(a.status), at);
        let sel = i == r.selected;
        let status = a.status.label();
        lines.push(Line::from(Span::styled(
            format!("{}{tick} {text} · {status}", if sel { "▶ " } else { "  " }),
            if sel { th.selected() } else { Style::new() },
        )));
    }
    if r.rows.is_empty() && !r.query.is_empty() {
        lines.push(Line::from(f(M::RosterNoMatch, &[&r.query])));
    } else if r.rows.is_empty() {
        lines.push(Line::from(f(
            M::RosterEmpty,
            &[
                &key(app, Context::Attendance, Action::Add),
                &key(app, Context::Attendance, Action::CheckIn),
            ],
        )));
    }
    // The status line: what was undone, what failed; a long one takes the rows it needs
    // above the keys, over the end of the list.
    let said: Vec<String> = match &app.message {
        Some(m) => super::ui::status_message(app, m, area.width as usize),
        None => vec![String::new()],
    };
    let above = (area.height as usize).saturating_sub(1 + said.len());
    lines.truncate(above);
    while lines.len() < above {
        lines.push(Line::from(""));
    }
    lines.extend(said.into_iter().map(Line::from));
    // The most used keys first, the way back among them; what does not fit is left out
    // whole, so "Esc back" is never cut off.
    let hint = f(
        M::RosterHint,
        &[
            &key(app, Context::Attendance, Action::ToggleAttended),
            &key(app, Context::Attendance, Action::MarkAbsent),
            &key(app, Context::Attendance, Action::MarkExcused),
            &key(app, Context::Attendance, Action::Close),
            &key(app, Context::Attendance, Action::MarkRestAbsent),
            &key(app, Context::Attendance, Action::CheckIn),
        ],
    );
    lines.push(Line::from(Span::styled(
        whole_parts(&hint, area.width as usize),
        th.dim(),
    )));
    frame.render_widget(Paragraph::new(lines), area);
}

/// The parts of a hint ("a x · b y · c z") that fit in `width` columns, whole: a part that
/// does not fit is left out, never cut.
pub(super) fn whole_parts(hint: &str, width: usize) -> String {
    let mut out = String::new();
    for part in hint.split(" · ") {
        let next = if out.is_empty() {
            part.to_string()
        } else {
            format!("{out} · {part}")
        };
        if unicode_width::UnicodeWidthStr::width(next.as_str()) > width {
            break;
        }
        out = next;
    }
    out
}
