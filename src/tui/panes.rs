//! What each pane shows: its table columns, the cells of one row, and the detail panel of the
//! selected record. Pure functions of the model; rendering layout lives in `ui`.

use super::app::Pane;
use super::theme::Theme;
use crate::domain::*;
use crate::i18n::{self, Label, M, f, t};
use crate::indicators::{Outcome, Status};
use crate::model::Model;
use chrono::NaiveDate;
use ratatui::layout::Constraint;
use ratatui::text::{Line, Span};

/// Table columns of a pane: title and width.
pub fn columns(pane: Pane) -> Vec<(M, Constraint)> {
    use Constraint::{Length, Min};
    match pane {
        Pane::Partners => vec![
            (M::ColName, Min(24)),
            (M::ColKind, Length(17)),
            (M::ColMunicipality, Length(14)),
            (M::ColPartner, Length(8)),
            (M::ColEvents, Length(6)),
        ],
        Pane::Events => vec![
            (M::ColDate, Length(11)),
            (M::ColTitle, Min(20)),
            (M::ColFormat, Length(12)),
            (M::ColHours, Length(5)),
            (M::ColStatus, Length(8)),
            (M::ColAttended, Length(7)),
        ],
        Pane::Participants => vec![
            (M::ColSurname, Length(14)),
            (M::ColGiven, Length(12)),
            (M::ColInstitution, Min(16)),
            (M::ColRole, Length(15)),
            (M::ColHours3y, Length(8)),
        ],
        Pane::Indicators => vec![
            (M::ColCode, Length(3)),
            (M::ColIndicator, Min(20)),
            (M::ColValue, Length(11)),
            (M::ColTarget, Length(6)),
            (M::ColDeadline, Length(11)),
            (M::ColStatus, Length(12)),
        ],
    }
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
    if let Some(c) = o.yearly_funding_cents {
        l.field(M::DetFunding, i18n::money(c));
    }
    if o.period_from.is_some() || o.period_to.is_some() {
        l.field(
            M::DetPeriod,
            format!(
                "{}–{}",
                o.period_from.map(i18n::date).unwrap_or_default(),
                o.period_to.map(i18n::date).unwrap_or_default()
            ),
        );
    }
    if !o.documents.is_empty() {
        l.heading(f(M::DetDocuments, &[&o.documents.len()]));
        for d in &o.documents {
            l.plain(format!("  {}", document_line(d)));
        }
    }
    if !o.years.is_empty() {
        l.heading(t(M::DetYearsFunding).to_string());
        for y in &o.years {
            l.plain(format!("  {}", super::documents::year_line(y)));
        }
    }
}

/// Builds the lines of a detail panel.
struct Lines<'a> {
    theme: Theme,
    out: Vec<Line<'a>>,
}

impl<'a> Lines<'a> {
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
        self.out.push(Line::from(format!("  {text}")));
    }
    fn plain(&mut self, text: String) {
        self.out.push(Line::from(text));
    }
    /// Lists items, leaving room for the lines after; says how many did not fit (`v` shows
    /// them all). At least one item is always listed: "… and N more" alone says nothing.
    fn list(&mut self, items: Vec<String>, room: usize) {
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

/// The title and lines of the detail panel for a record, fitted to `height` lines.
pub fn detail<'a>(
    m: &Model,
    pane: Pane,
    id: u32,
    today: NaiveDate,
    theme: Theme,
    height: usize,
    computed: Computed<'_>,
) -> (String, Vec<Line<'a>>) {
    let Computed { outcomes, aggregates } = computed;
    let mut l = Lines { theme, out: Vec::new() };
    let room = |l: &Lines<'_>, after: usize| height.saturating_sub(l.out.len() + after + 1);
    let title = match pane {
        Pane::Partners => {
            let Some(o) = m.organisations.get(id) else {
                return (String::new(), l.out);
            };
            l.field(M::DetKind, o.kind.label());
            l.field(M::DetParent, org_label(m, o.parent));
            l.field(M::DetRegNo, o.reg_no.as_str());
            l.field(M::DetAddress, o.address.as_str());
            let contact: Vec<&str> = [o.contact_person.as_str(), o.phone.as_str(), o.email.as_str()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
            l.field(M::DetContact, contact.join(" · "));
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
            l.plain(f(M::DetPeopleCount, &[&m.people_of(o.id).len()]));
            let children: Vec<String> = m
                .children_of(o.id)
                .iter()
                .filter_map(|c| m.organisations.get(c.0))
                .map(|c| c.name.to_string())
                .collect();
            let events: Vec<String> = m
                .events_of(o.id)
                .iter()
                .filter_map(|e| m.events.get(e.0))
                .map(|e| format!("{}  {}", i18n::date(e.start.date()), e.title))
                .collect();
            if !children.is_empty() {
                l.heading(f(M::DetInstitutions, &[&children.len()]));
                let r = if events.is_empty() {
                    room(&l, 0)
                } else {
                    room(&l, 3).min(children.len()).max(2)
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
            l.field(M::DetActivity, e.activity.label());
            l.field(M::DetOrganiser, org_label(m, e.organiser));
            let groups: Vec<&str> = e.target_groups.iter().map(|r| r.label()).collect();
            l.field(M::DetTargetGroups, groups.join(", "));
            l.field(M::DetCapacity, e.capacity.map(|c| c.to_string()).unwrap_or_default());
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
                        format!("{mark} {} {} · {}", p.surname, p.given_name, a.status.label()),
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
            l.field(M::DetSubjects, p.subjects.join(", "));
            l.field(M::DetEmail, p.email.as_str());
            l.field(M::DetPhone, p.phone.as_str());
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
                    .map(|v| format!("{}  {}  {}", i18n::date(v.date), number(v.value), v.note))
                    .collect();
                let r = room(&l, 1);
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
