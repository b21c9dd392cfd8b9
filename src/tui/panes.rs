//! What each pane shows: its table columns, the cells of one row, and the detail panel of the
//! selected record. Pure functions of the model; rendering layout lives in `ui`.

use super::app::Pane;
use super::theme::Theme;
use crate::domain::*;
use crate::i18n::{self, Label, M, f, t};
use crate::indicators::{Outcome, Status};
use crate::model::Model;
use chrono::NaiveDate;
use ratatui::text::{Line, Span};

/// How a table column is sized.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Col {
    /// As wide as its header and the rows shown need, up to this many columns.
    Fit(u16),
    /// Takes what the others leave, at least this many columns.
    Flex(u16),
}

/// Table columns of a pane: title and sizing. Short columns (kind, role, format,
/// municipality, status) get what they need first; the name or title takes the rest.
pub fn columns(pane: Pane) -> Vec<(M, Col)> {
    use Col::{Fit, Flex};
    match pane {
        Pane::Partners => vec![
            (M::ColName, Flex(24)),
            (M::ColKind, Fit(30)),
            (M::ColMunicipality, Fit(22)),
            (M::ColPartner, Fit(20)),
            (M::ColEvents, Fit(6)),
        ],
        Pane::Events => vec![
            (M::ColDate, Fit(11)),
            (M::ColTitle, Flex(20)),
            (M::ColFormat, Fit(24)),
            (M::ColHours, Fit(5)),
            (M::ColStatus, Fit(10)),
            (M::ColAttended, Fit(7)),
        ],
        Pane::Participants => vec![
            (M::ColSurname, Fit(18)),
            (M::ColGiven, Fit(14)),
            (M::ColInstitution, Flex(16)),
            (M::ColRole, Fit(32)),
            (M::ColHours3y, Fit(8)),
        ],
        Pane::Indicators => vec![
            (M::ColCode, Fit(3)),
            (M::ColIndicator, Flex(20)),
            (M::ColValue, Fit(11)),
            (M::ColTarget, Fit(8)),
            (M::ColDeadline, Fit(11)),
            (M::ColStatus, Fit(24)),
        ],
    }
}

/// Display width of a cell's text.
fn width_of(s: &str) -> u16 {
    u16::try_from(unicode_width::UnicodeWidthStr::width(s)).unwrap_or(u16::MAX)
}

/// The widths of a table's columns in `avail` columns (spacing already taken off): each
/// `Fit` column as wide as its header and `rows` need (up to its cap), the `Flex` columns
/// share the rest. When that leaves a `Flex` column under its minimum, the widest `Fit`
/// columns give up room first (down to 4).
pub fn fit_widths(cols: &[(M, Col)], headers: &[&str], rows: &[Vec<String>], avail: u16) -> Vec<u16> {
    const FLOOR: u16 = 4;
    let mut w: Vec<u16> = cols
        .iter()
        .enumerate()
        .map(|(i, (_, c))| match c {
            Col::Flex(min) => *min,
            Col::Fit(cap) => {
                let cells = rows.iter().filter_map(|r| r.get(i)).map(|s| width_of(s));
                let need = cells.chain(headers.get(i).map(|h| width_of(h))).max().unwrap_or(0);
                need.min(*cap)
            }
        })
        .collect();
    let is_fit = |i: usize| matches!(cols[i].1, Col::Fit(_));
    let total = |w: &[u16]| w.iter().map(|x| u32::from(*x)).sum::<u32>();
    while total(&w) > u32::from(avail) {
        let widest = (0..w.len())
            .filter(|i| is_fit(*i) && w[*i] > FLOOR)
            .max_by_key(|i| w[*i]);
        match widest {
            Some(i) => w[i] -= 1,
            None => break,
        }
    }
    let flex: Vec<usize> = (0..w.len()).filter(|i| !is_fit(*i)).collect();
    let spare = u32::from(avail).saturating_sub(total(&w));
    if let Some(n) = u32::try_from(flex.len()).ok().filter(|n| *n > 0) {
        for (k, i) in flex.iter().enumerate() {
            let extra = spare / n + u32::from((k as u32) < spare % n);
            w[*i] = w[*i].saturating_add(u16::try_from(extra).unwrap_or(u16::MAX));
        }
    }
    w
}

/// A title cut to `width` columns that keeps what tells it from `others`: when it shares
/// its first words with another title ("Izstrādāti metodiskā atbalsta materiāli …"), those
/// words give way to an ellipsis, so that the distinguishing part shows.
pub fn distinct_title(title: &str, others: &[&str], width: usize) -> String {
    if unicode_width::UnicodeWidthStr::width(title) <= width {
        return title.to_string();
    }
    let words: Vec<&str> = title.split(' ').collect();
    let shared = others
        .iter()
        .filter(|o| **o != title)
        .map(|o| words.iter().zip(o.split(' ')).take_while(|(a, b)| **a == *b).count())
        .max()
        .unwrap_or(0);
    // One shared word is no prefix worth hiding; all of them would hide the title.
    if shared < 2 || shared >= words.len() {
        return title.to_string();
    }
    format!("…{}", words[shared..].join(" "))
}

/// The columns whose text the free-text filter searches (highlighted on a match).
pub fn searched_columns(pane: Pane) -> &'static [usize] {
    match pane {
        Pane::Partners => &[0],
        Pane::Events => &[1],
        Pane::Participants => &[0, 1, 2],
        Pane::Indicators => &[0, 1],
    }
}

fn org_label(m: &Model, id: Option<OrgId>) -> String {
    id.and_then(|i| m.organisations.get(i.0))
        .map(|o| o.label().to_string())
        .unwrap_or_default()
}

/// A number in the interface's way (a decimal comma in Latvian).
fn number(v: f64) -> String {
    i18n::decimal(v)
}

/// Days from `today` to `deadline` (negative when past).
fn days_left(today: NaiveDate, deadline: NaiveDate) -> i64 {
    (deadline - today).num_days()
}

/// The cells of one row.
pub fn cells(m: &Model, pane: Pane, id: u32, today: NaiveDate, outcomes: &[Option<Outcome>]) -> Vec<String> {
    match pane {
        Pane::Partners => {
            let Some(o) = m.organisations.get(id) else {
                return Vec::new();
            };
            let mun = m
                .municipality_of(o.id)
                .filter(|x| *x != o.id)
                .map(|x| org_label(m, Some(x)))
                .unwrap_or_default();
            vec![
                o.name.to_string(),
                o.kind.label().to_string(),
                mun,
                match (o.partner, o.stage()) {
                    (true, Stage::None) => format!("✓ {}", i18n::yes_no(true)),
                    (true, stage) => format!("✓ {}", stage.label()),
                    (false, Stage::None) => "·".into(),
                    (false, stage) => format!("· {}", stage.label()),
                },
                m.events_of(o.id).len().to_string(),
            ]
        }
        Pane::Events => {
            let Some(e) = m.events.get(id) else { return Vec::new() };
            let n = m.status_counts(e.id);
            let total: usize = n.iter().sum();
            vec![
                i18n::date(e.start.date()),
                e.title.to_string(),
                e.format.label().to_string(),
                i18n::hours_number(e.hours),
                e.status.label().to_string(),
                format!("{}/{}", n[AttendanceStatus::Attended.ordinal()], total),
            ]
        }
        Pane::Participants => {
            let Some(p) = m.participants.get(id) else {
                return Vec::new();
            };
            vec![
                p.surname.to_string(),
                p.given_name.to_string(),
                org_label(m, p.institution),
                p.role.label().to_string(),
                i18n::hours_number(m.hours_last_3_years(p.id, today)),
            ]
        }
        Pane::Indicators => {
            let Some(i) = m.indicators.get(id) else {
                return Vec::new();
            };
            let o = outcomes.get(i.id.index()).and_then(Option::as_ref);
            vec![
                i.code.to_string(),
                i.title.to_string(),
                o.map(|o| value_text(i, o)).unwrap_or_default(),
                target_text(i),
                crate::indicators::deadline_of(m, i).map(i18n::date).unwrap_or_default(),
                o.map(|o| status_text(o.status)).unwrap_or_default(),
            ]
        }
    }
}

/// An indicator's value in its unit: "88.4%", "88", the day a milestone was reached, or "—".
pub fn value_text(i: &Indicator, o: &Outcome) -> String {
    match i.unit {
        Unit::Percent => format!("{}%", number(o.value)),
        Unit::Count => number(o.value),
        Unit::Milestone => o.reached.map_or_else(|| "—".to_string(), i18n::date),
    }
}

fn target_text(i: &Indicator) -> String {
    if !i.basis.target.given() && i.unit != Unit::Milestone {
        return "—".to_string();
    }
    match i.unit {
        Unit::Percent => format!("{}%", number(i.target)),
        Unit::Count => number(i.target),
        Unit::Milestone => "✓".to_string(),
    }
}

/// A status in words with a symbol, so it reads without colour.
pub fn status_text(s: Status) -> String {
    let symbol = match s {
        Status::Met => "✓",
        Status::OnTrack => "↗",
        Status::AtRisk => "!",
        Status::Overdue | Status::NotMet => "✗",
        Status::MetLate => "✓!",
        Status::Open | Status::NoTarget => "…",
    };
    format!("{symbol} {}", s.label())
}

/// A text gauge of the value against the target: "[██████░░░░] 88% of 90%".
fn gauge(i: &Indicator, o: &Outcome, width: usize) -> String {
    let share = if i.target > 0.0 {
        (o.value / i.target).clamp(0.0, 1.0)
    } else {
        1.0
    };
    // Floor: the bar is full only when the target is met.
    let filled = (share * width as f64).floor() as usize;
    format!(
        "[{}{}] {}",
        "█".repeat(filled),
        "░".repeat(width - filled),
        f(M::OfTarget, &[&number(100.0 * share)])
    )
}

/// One partnership document in a line: "council decision No. 417, 23.10.2024., protocol
/// No. 14, 1.§ · decided".
pub fn document_line(d: &PartnerDoc) -> String {
    let mut parts: Vec<String> = vec![d.kind.label().to_string()];
    if !d.number.is_empty() {
        parts.push(f(M::DetDocNumber, &[&d.number]));
    }
    if let Some(date) = d.date {
        parts.push(i18n::date(date));
    }
    if !d.protocol.is_empty() {
        parts.push(f(M::DetDocProtocol, &[&d.protocol]));
    }
    if !d.paragraph.is_empty() {
        parts.push(format!("{}.§", d.paragraph.trim_end_matches(['.', '§'])));
    }
    if !d.parties.is_empty() {
        parts.push(f(M::DetDocParties, &[&d.parties]));
    }
    let mut line = format!("{} · {}", parts.join(", "), d.status.label());
    if !d.file.is_empty() {
        line.push_str(&format!(" · {}", f(M::DetDocFile, &[&d.file])));
    }
    line
}

/// A partner's yearly funding, period, documents and money by year.
fn partner_facts(l: &mut Lines<'_>, m: &Model, o: &Organisation) {
    let _ = m;
    // What gives way on a short panel: the years and the documents' lines first (the
    // documents' heading still says how many), then the funding and period.
    if let Some(c) = o.yearly_funding_cents {
        l.minor_field(1, M::DetFunding, i18n::money(c));
    }
    if o.period_from.is_some() || o.period_to.is_some() {
        l.minor_field(
            1,
            M::DetPeriod,
            format!(
                "{}–{}",
                o.period_from.map(i18n::date).unwrap_or_default(),
                o.period_to.map(i18n::date).unwrap_or_default()
            ),
        );
    }
    if !o.documents.is_empty() {
        let at = l.out.len();
        l.heading(f(M::DetDocuments, &[&o.documents.len()]));
        l.minor_since(at, 1);
        let at = l.out.len();
        for d in &o.documents {
            l.plain(format!("  {}", document_line(d)));
        }
        l.minor_since(at, 0);
    }
    if !o.years.is_empty() {
        let at = l.out.len();
        l.heading(t(M::DetYearsFunding).to_string());
        for y in &o.years {
            l.plain(format!("  {}", super::documents::year_line(y)));
        }
        l.minor_since(at, 0);
    }
}

/// Builds the lines of a detail panel.
struct Lines<'a> {
    theme: Theme,
    out: Vec<Line<'a>>,
    /// The panel's inner width: a longer line wraps and takes more rows (`usize::MAX`: no
    /// limit, as in the full detail).
    width: usize,
    /// Lines that give way when the panel is short (the full detail, `v`, keeps them): each
    /// group's first line, its number of lines and its rank (the lowest goes first).
    minor: Vec<(usize, usize, u8)>,
}

/// Rows a line takes in a panel `width` columns wide (it wraps at spaces).
fn rows_of(line: &Line<'_>, width: usize) -> usize {
    if width == usize::MAX {
        return 1;
    }
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    super::project::wrap(&text, width).len().max(1)
}

/// `text` cut to `width` columns, with "…" when something was cut.
fn cut(text: String, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    if width == usize::MAX || text.width() <= width {
        return text;
    }
    let mut out = String::new();
    for c in text.chars() {
        if out.width() + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) + 1 > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

impl<'a> Lines<'a> {
    fn new(theme: Theme, width: usize) -> Lines<'a> {
        Lines {
            theme,
            out: Vec::new(),
            width,
            minor: Vec::new(),
        }
    }
    /// Rows the lines so far take.
    fn rows(&self) -> usize {
        self.out.iter().map(|l| rows_of(l, self.width)).sum()
    }
    /// A field that gives way when the panel is short, the lowest `rank` first (see
    /// [`Lines::make_room`]).
    fn minor_field(&mut self, rank: u8, label: M, value: impl Into<String>) {
        let at = self.out.len();
        self.field(label, value);
        self.minor_since(at, rank);
    }
    /// The lines from `at` on give way together (a heading with its lines), at `rank`.
    fn minor_since(&mut self, at: usize, rank: u8) {
        if self.out.len() > at {
            self.minor.push((at, self.out.len() - at, rank));
        }
    }
    /// Leaves `need` rows free under the lines so far, dropping minor fields (the lowest
    /// rank first, the last of equals) while they do not fit: a list's heading and its first
    /// item come before them.
    fn make_room(&mut self, height: usize, need: usize) {
        while self.rows() + need > height {
            let Some(k) = (0..self.minor.len()).min_by_key(|k| (self.minor[*k].2, std::cmp::Reverse(*k))) else {
                return;
            };
            let (at, n, _) = self.minor.remove(k);
            self.out.drain(at..at + n);
            for m in self.minor.iter_mut().filter(|m| m.0 > at) {
                m.0 -= n;
            }
        }
    }
    fn field(&mut self, label: M, value: impl Into<String>) {
        let value = value.into();
        if value.is_empty() {
            return;
        }
        self.out.push(Line::from(vec![
            Span::styled(format!("{}: ", t(label)), self.theme.label()),
            Span::raw(value),
        ]));
    }
    fn heading(&mut self, text: String) {
        self.out.push(Line::from(Span::styled(text, self.theme.title())));
    }
    fn item(&mut self, text: String) {
        // One row each, so that the list fits the rows counted for it.
        self.out.push(Line::from(cut(format!("  {text}"), self.width)));
    }
    fn plain(&mut self, text: String) {
        self.out.push(Line::from(text));
    }
    /// Lists items, leaving room for the lines after; says how many did not fit (`v` shows
    /// them all). At least one item is always listed: "… and N more" alone says nothing.
    fn list(&mut self, items: Vec<String>, room: usize) {
        // Even with no room left, one line: "… and N more" never stands for every item.
        let room = room.max(1);
        let n = items.len();
        if n > 1 && room <= 1 {
            // One line: how many more (in front, so a cut line still says it), then the first.
            if let Some(first) = items.into_iter().next() {
                self.item(format!("(+{}) {first}", n - 1));
            }
            return;
        }
        let fit = if n > room { room.saturating_sub(1) } else { n };
        for s in items.into_iter().take(fit) {
            self.item(s);
        }
        if fit < n {
            self.item(f(M::DetMore, &[&(n - fit)]));
        }
    }
}

/// What the App has computed about the indicators, for their detail.
#[derive(Clone, Copy)]
pub struct Computed<'a> {
    /// Values by indicator id.
    pub outcomes: &'a [Option<Outcome>],
    /// The running totals, once built.
    pub aggregates: Option<&'a crate::indicators::Aggregates>,
}

/// The title and lines of the detail panel for a record, fitted to `height` rows of
/// `width` columns (`usize::MAX` for both: every line, as the full detail shows them).
pub fn detail<'a>(
    m: &Model,
    pane: Pane,
    id: u32,
    today: NaiveDate,
    theme: Theme,
    (width, height): (usize, usize),
    computed: Computed<'_>,
) -> (String, Vec<Line<'a>>) {
    let Computed { outcomes, aggregates } = computed;
    let mut l = Lines::new(theme, width);
    // The rows left for a list with `after` rows still to come under it.
    let room = |l: &Lines<'_>, after: usize| height.saturating_sub(l.rows() + after);
    let title = match pane {
        Pane::Partners => {
            let Some(o) = m.organisations.get(id) else {
                return (String::new(), l.out);
            };
            l.field(M::DetKind, o.kind.label());
            l.field(M::DetParent, org_label(m, o.parent));
            // What gives way first on a short panel: the partnership's documents and years
            // (see `partner_facts`), then the registration number, the address and contact
            // and the count of participants; notes last.
            l.minor_field(1, M::DetRegNo, o.reg_no.as_str());
            l.minor_field(2, M::DetAddress, o.address.as_str());
            let contact: Vec<&str> = [o.contact_person.as_str(), o.phone.as_str(), o.email.as_str()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
            l.minor_field(2, M::DetContact, contact.join(" · "));
            if o.founder.is_some() {
                l.field(M::DetFounder, org_label(m, o.founder));
            }
            if o.partner || !o.documents.is_empty() {
                l.field(
                    M::DetPartner,
                    format!("{} · {}", i18n::yes_no(o.partner), o.stage().label()),
                );
                partner_facts(&mut l, m, o);
            }
            l.minor_field(3, M::DetNotes, o.notes.as_str());
            let at = l.out.len();
            l.plain(f(M::DetPeopleCount, &[&m.people_of(o.id).len()]));
            l.minor_since(at, 2);
            let children: Vec<String> = m
                .children_of(o.id)
                .iter()
                .filter_map(|c| m.organisations.get(c.0))
                .map(|c| c.name.to_string())
                .collect();
            // Newest first, as in a participant's detail.
            let mut events: Vec<&Event> = m.events_of(o.id).iter().filter_map(|e| m.events.get(e.0)).collect();
            events.sort_by_key(|e| std::cmp::Reverse(e.start));
            let events: Vec<String> = events
                .into_iter()
                .map(|e| format!("{}  {}", i18n::date(e.start.date()), e.title))
                .collect();
            // Each list's heading and first item before the fields above.
            let lists = [children.len(), events.len()]
                .iter()
                .map(|n| if *n > 0 { 2 } else { 0 })
                .sum();
            l.make_room(height, lists);
            if !children.is_empty() {
                l.heading(f(M::DetInstitutions, &[&children.len()]));
                let r = if events.is_empty() {
                    room(&l, 0)
                } else {
                    // Two rows at least, unless the events' heading and first would not fit.
                    room(&l, 3).min(children.len()).max(room(&l, 2).clamp(1, 2))
                };
                l.list(children, r);
            }
            if !events.is_empty() {
                l.heading(f(M::DetOrganised, &[&events.len()]));
                let r = room(&l, 0);
                l.list(events, r);
            }
            o.name.to_string()
        }
        Pane::Events => {
            let Some(e) = m.events.get(id) else {
                return (String::new(), l.out);
            };
            let when = if e.start.date() == e.end.date() {
                format!("{}–{}", i18n::datetime(e.start), e.end.format("%H:%M"))
            } else {
                format!("{} – {}", i18n::datetime(e.start), i18n::datetime(e.end))
            };
            l.field(M::DetWhen, format!("{when} · {}", i18n::hours(e.hours)));
            l.field(
                M::DetWhere,
                if e.online {
                    t(M::Online).to_string()
                } else {
                    e.place.to_string()
                },
            );
            l.field(M::DetFormat, format!("{} · {}", e.format.label(), e.status.label()));
            // What gives way first on a short panel: capacity, then target groups and
            // organiser, then the activity line; notes last.
            l.minor_field(2, M::DetActivity, e.activity.label());
            l.minor_field(1, M::DetOrganiser, org_label(m, e.organiser));
            let groups: Vec<&str> = e.target_groups.iter().map(|r| r.label()).collect();
            l.minor_field(1, M::DetTargetGroups, groups.join(", "));
            l.minor_field(0, M::DetCapacity, e.capacity.map(|c| c.to_string()).unwrap_or_default());
            l.minor_field(3, M::DetNotes, e.notes.as_str());
            // The attendance heading and its first row before the fields above.
            l.make_room(height, 1 + m.attendance_of_event(e.id).len().min(1));
            let n = m.status_counts(e.id);
            l.heading(format!(
                "{}: {}",
                t(M::DetAttendance),
                f(M::DetAttCounts, &[&n[0], &n[1], &n[2], &n[3]])
            ));
            let mut rows: Vec<(u32, String)> = m
                .attendance_of_event(e.id)
                .iter()
                .filter_map(|a| m.attendance.get(a.0))
                .filter_map(|a| {
                    let p = m.participants.get(a.participant.0)?;
                    let mark = match a.status {
                        AttendanceStatus::Attended => "✓",
                        AttendanceStatus::Registered => "·",
                        AttendanceStatus::Absent => "✗",
                        AttendanceStatus::Excused => "~",
                    };
                    Some((
                        m.orders.person_rank(p.id.0),
                        format!("{mark} {} · {}", p.full_name(), a.status.label()),
                    ))
                })
                .collect();
            rows.sort();
            let r = room(&l, 0);
            l.list(rows.into_iter().map(|(_, s)| s).collect(), r);
            e.title.to_string()
        }
        Pane::Participants => {
            let Some(p) = m.participants.get(id) else {
                return (String::new(), l.out);
            };
            l.field(M::DetInstitution, org_label(m, p.institution));
            l.field(M::DetRole, p.role.label());
            // What gives way first on a short panel: gender, then phone and email, then
            // subjects; notes (e.g. "a namesake: do not confuse with …") last.
            l.minor_field(2, M::DetSubjects, p.subjects.join(", "));
            l.minor_field(1, M::DetEmail, p.email.as_str());
            l.minor_field(1, M::DetPhone, p.phone.as_str());
            l.minor_field(0, M::DetGender, p.gender.map(|g| g.label()).unwrap_or_default());
            l.minor_field(3, M::DetNotes, p.notes.as_str());
            let hours = m.hours_last_3_years(p.id, today);
            let need = Hours(360u16.saturating_sub(hours.0));
            let verdict = if need.0 == 0 {
                t(M::DetHoursDone).to_string()
            } else {
                f(M::DetHoursShort, &[&i18n::hours_number(need)])
            };
            l.plain(format!(
                "{} ({verdict})",
                f(M::DetHours3y, &[&i18n::hours_number(hours)])
            ));
            let mut rows: Vec<(chrono::NaiveDateTime, String)> = m
                .attendance_of_person(p.id)
                .iter()
                .filter_map(|a| m.attendance.get(a.0))
                .filter_map(|a| {
                    let e = m.events.get(a.event.0)?;
                    Some((
                        e.start,
                        format!(
                            "{}  {} · {} · {}",
                            i18n::date(e.start.date()),
                            e.title,
                            a.status.label(),
                            f(M::HoursShort, &[&i18n::hours_number(a.credited(e.hours))])
                        ),
                    ))
                })
                .collect();
            rows.sort_by_key(|r| std::cmp::Reverse(r.0));
            // The events' heading and the newest event before the fields above.
            l.make_room(height, 1 + rows.len().min(1));
            l.heading(f(M::DetEventsOf, &[&rows.len()]));
            let r = room(&l, 0);
            l.list(rows.into_iter().map(|(_, s)| s).collect(), r);
            p.full_name()
        }
        Pane::Indicators => {
            let Some(i) = m.indicators.get(id) else {
                return (String::new(), l.out);
            };
            let o = outcomes.get(i.id.index()).and_then(Option::as_ref);
            if let Some(o) = o {
                use crate::io::report;
                l.field(
                    M::DetValue,
                    format!("{} · {}", report::headline_text(i, o), status_text(o.status)),
                );
                if let Some(c) = &o.official {
                    l.field(M::DetOfficial, report::official_text(c));
                }
                if !o.years.is_empty() {
                    l.field(M::DetYears, report::years_text(i, o));
                }
                if i.unit != Unit::Milestone && i.basis.target.given() {
                    l.plain(gauge(i, o, 20));
                }
            }
            if !matches!(i.definition, Definition::Manual) {
                let more = indicator_more(m, aggregates, i, today, false);
                let unit = if i.unit == Unit::Percent { "%" } else { "" };
                if let (Some(spark), Some(a), Some(b)) =
                    (sparkline(&more.history, 24), more.history.first(), more.history.last())
                {
                    l.plain(format!(
                        "{}: {spark} {} {}{unit} → {} {}{unit}",
                        t(M::DetChart),
                        month(a.0),
                        number(a.1),
                        month(b.0),
                        number(b.1),
                    ));
                }
            }
            l.field(M::DetTarget, crate::io::report::target_text(i));
            l.field(M::DetBaseline, crate::io::report::baseline_text(i));
            if let Some(d) = crate::indicators::deadline_of(m, i) {
                let left = days_left(today, d);
                let note = if left >= 0 {
                    f(M::DetDaysLeft, &[&i18n::count(left, i18n::Noun::Day)])
                } else {
                    f(M::DetOverdue, &[&i18n::count(-left, i18n::Noun::Day)])
                };
                let end = if i.deadline.is_none() {
                    format!(", {}", t(M::ProjectEndNote))
                } else {
                    String::new()
                };
                l.field(M::DetDeadline, format!("{} ({note}{end})", i18n::date(d)));
            }
            l.field(M::DetDefinition, definition(&i.definition));
            // The chart and breakdowns go below the gap list, which keeps room for them.
            let mut extra: Vec<String> = Vec::new();
            // Breakdowns cost full scans (up to ~0.4 s at 300k): only when there is room to
            // show them.
            if !matches!(i.definition, Definition::Manual) && room(&l, 1) > 6 {
                let more = indicator_more(m, aggregates, i, today, true);
                let unit = if i.unit == Unit::Percent { "%" } else { "" };
                for (by, parts) in more.breakdowns.iter().flatten() {
                    if parts.is_empty() {
                        continue;
                    }
                    let mut sorted: Vec<&crate::indicators::Part> = parts.iter().collect();
                    // Municipalities lowest first (where support is missing), else highest.
                    if *by == crate::indicators::By::Municipality {
                        sorted.sort_by(|a, b| a.value.total_cmp(&b.value));
                    } else {
                        sorted.sort_by(|a, b| b.value.total_cmp(&a.value));
                    }
                    let shown: Vec<String> = sorted
                        .iter()
                        .take(3)
                        .map(|p| format!("{} {}{unit}", p.label, number(p.value)))
                        .collect();
                    let rest = if sorted.len() > 3 {
                        format!(" · +{}", sorted.len() - 3)
                    } else {
                        String::new()
                    };
                    extra.push(format!("{}: {}{rest}", by.title(), shown.join(" · ")));
                }
            }
            if let Some(o) = o.filter(|o| !o.gaps.is_empty()) {
                l.heading(f(M::DetGaps, &[&o.gaps.len()]));
                let names: Vec<String> = o
                    .gaps
                    .iter()
                    .filter_map(|g| m.organisations.get(g.0))
                    .map(|g| g.name.to_string())
                    .collect();
                // Gaps first (up to 4 lines when a chart follows), then the chart.
                let r = if extra.is_empty() {
                    room(&l, 1)
                } else {
                    room(&l, 1).min(4)
                };
                l.list(names, r);
            }
            let r = room(&l, 1);
            for x in extra.into_iter().take(r) {
                l.plain(x);
            }
            if !i.values.is_empty() {
                l.heading(t(M::DetValues).to_string());
                let items: Vec<String> = i
                    .values
                    .iter()
                    .rev()
                    .map(|v| format!("{}  {}  {}", i18n::date(v.date), super::values::exact(v.value), v.note))
                    .collect();
                // Room for the notes under the list, as many rows as they wrap to.
                let notes = (!i.notes.is_empty()).then(|| format!("{}: {}", t(M::DetNotes), i.notes));
                let after = notes.map_or(0, |n| rows_of(&Line::from(n), l.width));
                let r = room(&l, after);
                l.list(items, r);
            }
            l.field(M::DetNotes, i.notes.as_str());
            format!("{}. {}", i.code, i.title)
        }
    };
    (title, l.out)
}

/// What the indicator detail shows beyond the outcome: the value month by month and the
/// breakdowns. Full scans at 300k take tens of milliseconds, so they are computed once per
/// (model generation, indicator, date, language) and kept until something changes.
#[derive(Clone, Debug, Default)]
pub struct IndicatorMore {
    pub history: Vec<(NaiveDate, f64)>,
    /// Computed only when asked for (they need room on screen).
    pub breakdowns: Option<Vec<(crate::indicators::By, Vec<crate::indicators::Part>)>>,
}

type MoreKey = (usize, u64, u32, NaiveDate, i18n::Lang);

thread_local! {
    static MORE: std::cell::RefCell<Option<(MoreKey, std::rc::Rc<IndicatorMore>)>> =
        const { std::cell::RefCell::new(None) };
}

/// The history and breakdowns of an indicator as of `asof`, from the cache when it is fresh.
/// With the App's running totals the history takes milliseconds instead of a scan a month.
pub fn indicator_more(
    m: &Model,
    agg: Option<&crate::indicators::Aggregates>,
    i: &Indicator,
    asof: NaiveDate,
    breakdowns: bool,
) -> std::rc::Rc<IndicatorMore> {
    // The model's address tells two models apart (tests load several in one thread).
    let key = (m as *const Model as usize, m.generation, i.id.0, asof, i18n::lang());
    let cached = MORE.with(|c| c.borrow().as_ref().filter(|(k, _)| *k == key).map(|(_, v)| v.clone()));
    if let Some(hit) = cached.as_ref().filter(|h| !breakdowns || h.breakdowns.is_some()) {
        return hit.clone();
    }
    let t0 = std::time::Instant::now();
    let more = std::rc::Rc::new(IndicatorMore {
        history: match &cached {
            Some(c) => c.history.clone(),
            None => match agg {
                Some(a) => a.history(m, i, asof),
                None => crate::indicators::history(m, i, asof),
            },
        },
        breakdowns: breakdowns.then(|| {
            crate::indicators::By::ALL
                .iter()
                .map(|by| (*by, crate::indicators::breakdown(m, i, asof, *by)))
                .collect()
        }),
    });
    crate::log!(
        "indicator {} detail computed in {:.1} ms",
        i.code,
        t0.elapsed().as_secs_f64() * 1e3
    );
    MORE.with(|c| *c.borrow_mut() = Some((key, more.clone())));
    more
}

/// "08.2025": a month in the chart's caption.
fn month(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:02}.{}", d.month(), d.year())
}

/// A text sparkline of the last `width` values, scaled to the largest: readable without
/// colour. `None` when there is nothing to draw.
pub fn sparkline(values: &[(NaiveDate, f64)], width: usize) -> Option<String> {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let shown = &values[values.len().saturating_sub(width)..];
    let max = shown.iter().map(|x| x.1).fold(0.0, f64::max);
    if shown.is_empty() {
        return None;
    }
    Some(
        shown
            .iter()
            .map(|(_, v)| {
                if max <= 0.0 || *v <= 0.0 {
                    ' '
                } else {
                    BARS[((v / max) * 7.0).round().clamp(0.0, 7.0) as usize]
                }
            })
            .map(|c| if c == ' ' { '·' } else { c })
            .collect(),
    )
}

fn joined<T: Label>(items: &[T], empty: M) -> String {
    if items.is_empty() {
        t(empty).to_string()
    } else {
        items.iter().map(|x| x.label()).collect::<Vec<_>>().join(", ")
    }
}

/// A definition in plain words.
pub fn definition(d: &Definition) -> String {
    match d {
        Definition::Coverage(s) => f(
            M::DefCoverage,
            &[
                &joined(&s.org_kinds, M::DefAny),
                &joined(&s.roles, M::DefAny),
                &joined(&s.formats, M::DefAnyEvent),
            ],
        ),
        Definition::Regularity(s) => f(
            M::DefRegularity,
            &[
                &joined(&s.org_kinds, M::DefAny),
                &joined(&s.activities, M::DefAnyActivity),
                &joined(&s.roles, M::DefAny),
                &joined(&s.except_roles, M::DefNobody),
            ],
        ),
        Definition::Milestone { scope: Some(s), done } => {
            let mut base = f(M::DefMilestoneData, &[&joined(&s.roles, M::DefAny)]);
            if !s.programme.is_empty() {
                base = format!("{base}; {}", f(M::DefProgramme, &[&s.programme]));
            }
            if !s.events.is_empty() {
                base = format!("{base}; {}", f(M::DefDesignated, &[&s.events.len()]));
            }
            match done {
                Some(d) => format!("{base}; {}", f(M::DefMilestoneDone, &[&i18n::date(*d)])),
                None => base,
            }
        }
        Definition::Milestone { scope: None, done } => match done {
            Some(d) => format!(
                "{}; {}",
                t(M::DefMilestoneManual),
                f(M::DefMilestoneDone, &[&i18n::date(*d)])
            ),
            None => t(M::DefMilestoneManual).to_string(),
        },
        Definition::Manual => t(M::DefManual).to_string(),
        Definition::Count { table, filter } => {
            let m = match table {
                Table::Participant => M::DefCountParticipants,
                Table::Event => M::DefCountEvents,
                _ => M::DefCountOrgs,
            };
            f(m, &[filter])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_columns_get_what_they_need_and_the_title_the_rest() {
        let cols = vec![
            (M::ColDate, Col::Fit(11)),
            (M::ColTitle, Col::Flex(20)),
            (M::ColFormat, Col::Fit(20)),
            (M::ColStatus, Col::Fit(10)),
        ];
        let headers = ["Date", "Title", "Format", "Status"];
        let rows = vec![vec![
            "2025-01-28".to_string(),
            "A long title".to_string(),
            "learning community".to_string(),
            "cancelled".to_string(),
        ]];
        let w = fit_widths(&cols, &headers, &rows, 100);
        assert_eq!(w, vec![10, 100 - 10 - 18 - 9, 18, 9]);
        // Too narrow: the widest short column gives way so the title keeps its minimum.
        let w = fit_widths(&cols, &headers, &rows, 50);
        assert_eq!(w.iter().sum::<u16>(), 50);
        assert_eq!(w[1], 20);
        assert!(w[2] < 18 && w[0] == 10, "{w:?}");
    }

    #[test]
    fn a_title_sharing_its_first_words_shows_what_differs() {
        let titles = [
            "Izstrādāti metodiskā atbalsta materiāli matemātikas apguvei",
            "Izstrādāti metodiskā atbalsta materiāli latviešu valodas apguvei",
            "Uzsāktas mācības",
        ];
        assert_eq!(distinct_title(titles[0], &titles, 30), "…matemātikas apguvei");
        // Fits: unchanged; nothing shared: unchanged.
        assert_eq!(distinct_title(titles[0], &titles, 80), titles[0]);
        assert_eq!(distinct_title(titles[2], &titles, 5), titles[2]);
    }
}
