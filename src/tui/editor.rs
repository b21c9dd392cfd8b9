//! A small form over values that are not whole records: the project's description and
//! settings, a partner's period and yearly funding, one partnership document, one year of a
//! partner's figures. Text lines and choices; saving builds ONE command (`SetProject`, or an
//! `Update` of the organisation), so one save is one change and one undo step.

use super::app::App;
use super::input::{self, LineInput};
use super::keymap::Action;
use super::layer::{Confirm, Effect, Layer, Pending};
use crate::command::Command;
use crate::domain::{
    AnyRecord, DocKind, DocStatus, Field, OfficialCount, OrgId, Organisation, PartnerDoc, PartnerYear, Table, Text,
    clean, parse,
};
use crate::i18n::{self, Label, M, t};
use crate::model::Model;
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// What the editor edits, and so what saving it changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// The project's description and settings (one `SetProject`).
    Project,
    /// A partner's own period and yearly funding.
    Partner(OrgId),
    /// A partnership document of a partner (`None`: a new one).
    Doc(OrgId, Option<usize>),
    /// One year of a partner's figures (`None`: a new year).
    Year(OrgId, Option<usize>),
}

/// A value the editor edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Name,
    Number,
    Start,
    End,
    FundingTotal,
    FundingEsf,
    FundingState,
    Lead,
    Reporting,
    Institutions,
    InstSource,
    InstDate,
    InstAssumed,
    HoursCap,
    Notes,
    PeriodFrom,
    PeriodTo,
    Yearly,
    DocKind,
    DocStatus,
    DocNumber,
    DocDate,
    Protocol,
    Paragraph,
    Parties,
    File,
    DocNote,
    Year,
    Planned,
    Received,
    Spent,
    Prefinancing,
    Teachers,
}

/// How a value is typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Text,
    Date,
    Money,
    Number,
    Choice,
    /// An organisation, found by what is typed.
    Org,
}

impl Key {
    pub fn label(self) -> M {
        match self {
            Key::Name => M::PrjName,
            Key::Number => M::PrjNumber,
            Key::Start => M::PrjStart,
            Key::End => M::PrjEnd,
            Key::FundingTotal => M::PrjFundingTotal,
            Key::FundingEsf => M::PrjFundingEsf,
            Key::FundingState => M::PrjFundingState,
            Key::Lead => M::PrjLead,
            Key::Reporting => M::PrjReporting,
            Key::Institutions => M::PrjInstitutions,
            Key::InstSource => M::PrjInstSource,
            Key::InstDate => M::PrjInstDate,
            Key::InstAssumed => M::PrjInstAssumed,
            Key::HoursCap => M::PrjHoursCap,
            Key::Notes => M::PrjNotes,
            Key::PeriodFrom => M::EdPeriodFrom,
            Key::PeriodTo => M::EdPeriodTo,
            Key::Yearly => M::EdYearly,
            Key::DocKind => M::EdKind,
            Key::DocStatus => M::EdStatus,
            Key::DocNumber => M::EdNumber,
            Key::DocDate => M::EdDate,
            Key::Protocol => M::EdProtocol,
            Key::Paragraph => M::EdParagraph,
            Key::Parties => M::EdParties,
            Key::File => M::EdFile,
            Key::DocNote => M::EdNote,
            Key::Year => M::EdYear,
            Key::Planned => M::EdPlanned,
            Key::Received => M::EdReceived,
            Key::Spent => M::EdSpent,
            Key::Prefinancing => M::EdPrefinancing,
            Key::Teachers => M::EdTeachers,
        }
    }

    fn kind(self) -> Kind {
        match self {
            Key::Start | Key::End | Key::InstDate | Key::PeriodFrom | Key::PeriodTo | Key::DocDate => Kind::Date,
            Key::FundingTotal
            | Key::FundingEsf
            | Key::FundingState
            | Key::Yearly
            | Key::Planned
            | Key::Received
            | Key::Spent
            | Key::Prefinancing => Kind::Money,
            Key::Institutions | Key::Year | Key::Teachers => Kind::Number,
            Key::InstAssumed | Key::DocKind | Key::DocStatus => Kind::Choice,
            Key::Lead | Key::Reporting => Kind::Org,
            _ => Kind::Text,
        }
    }
}

/// One line of the editor.
#[derive(Clone, Debug)]
pub struct EdField {
    pub key: Key,
    pub input: LineInput,
    /// A choice's options (labels) and the chosen one.
    pub options: Vec<&'static str>,
    pub choice: usize,
    /// An organisation field: the organisation what is typed names.
    pub picked: Option<OrgId>,
    pub error: Option<String>,
}

impl EdField {
    fn text(key: Key, v: impl Into<String>) -> EdField {
        EdField {
            key,
            input: LineInput::new(v),
            options: Vec::new(),
            choice: 0,
            picked: None,
            error: None,
        }
    }
    fn date(key: Key, d: Option<NaiveDate>) -> EdField {
        EdField::text(key, d.map(i18n::date).unwrap_or_default())
    }
    fn money(key: Key, c: Option<i64>) -> EdField {
        EdField::text(key, c.map(money_text).unwrap_or_default())
    }
    fn choice<T: Label + PartialEq + Copy>(key: Key, all: &[T], v: T) -> EdField {
        let mut fl = EdField::text(key, "");
        fl.options = all.iter().map(|x| x.label()).collect();
        fl.choice = all.iter().position(|x| *x == v).unwrap_or(0);
        fl
    }
    fn flag(key: Key, v: bool) -> EdField {
        let mut fl = EdField::text(key, "");
        fl.options = vec![t(M::No), t(M::Yes)];
        fl.choice = usize::from(v);
        fl
    }
    fn org(key: Key, m: &Model, id: Option<OrgId>) -> EdField {
        let name = id.and_then(|o| m.organisations.get(o.0)).map(|o| o.name.to_string());
        let mut fl = EdField::text(key, name.unwrap_or_default());
        fl.picked = id;
        fl
    }

    /// The value as shown: a choice's label, else the text.
    pub fn shown(&self) -> String {
        match self.options.get(self.choice) {
            Some(o) if !self.options.is_empty() => o.to_string(),
            _ => self.input.text().to_string(),
        }
    }
}

/// Euros as typed back into a field: "4000.00" (a decimal comma in Latvian), no grouping.
fn money_text(cents: i64) -> String {
    let s = format!("{}.{:02}", cents / 100, cents.abs() % 100);
    match i18n::lang() {
        i18n::Lang::Lv => s.replace('.', ","),
        i18n::Lang::En => s,
    }
}

/// The small form.
#[derive(Clone, Debug)]
pub struct Editor {
    pub target: Target,
    pub fields: Vec<EdField>,
    pub focus: usize,
    /// Something was typed (Esc then asks before throwing it away).
    pub touched: bool,
    /// A problem not tied to one line (from the checks of the record or the store).
    pub message: Option<String>,
    pub today: NaiveDate,
}

impl Editor {
    /// An editor of `target` as the model has it now (`None` when its partner is gone).
    pub fn new(m: &Model, target: Target, today: NaiveDate) -> Option<Editor> {
        let fields = match target {
            Target::Project => {
                let p = &m.project;
                let s = &p.settings;
                let inst = s.institutions.as_ref();
                vec![
                    EdField::text(Key::Name, p.name.as_str()),
                    EdField::text(Key::Number, p.number.as_str()),
                    EdField::date(Key::Start, p.start),
                    EdField::date(Key::End, p.end),
                    EdField::money(Key::FundingTotal, Some(p.funding_total_cents).filter(|c| *c != 0)),
                    EdField::money(Key::FundingEsf, Some(p.funding_esf_cents).filter(|c| *c != 0)),
                    EdField::money(Key::FundingState, Some(p.funding_state_cents).filter(|c| *c != 0)),
                    EdField::org(Key::Lead, m, p.lead),
                    EdField::org(Key::Reporting, m, s.reporting_partner),
                    EdField::text(Key::Institutions, inst.map(|c| c.count.to_string()).unwrap_or_default()),
                    EdField::text(Key::InstSource, inst.map(|c| c.source.to_string()).unwrap_or_default()),
                    EdField::date(Key::InstDate, inst.and_then(|c| c.date)),
                    EdField::flag(Key::InstAssumed, inst.is_some_and(|c| c.assumed)),
                    EdField::text(
                        Key::HoursCap,
                        s.seminar_hours_cap.map(i18n::hours_number).unwrap_or_default(),
                    ),
                    EdField::text(Key::Notes, p.notes.as_str()),
                ]
            }
            Target::Partner(org) => {
                let o = m.organisations.get(org.0)?;
                vec![
                    EdField::date(Key::PeriodFrom, o.period_from),
                    EdField::date(Key::PeriodTo, o.period_to),
                    EdField::money(Key::Yearly, o.yearly_funding_cents),
                ]
            }
            Target::Doc(org, index) => {
                let o = m.organisations.get(org.0)?;
                let d = match index {
                    Some(i) => o.documents.get(i)?.clone(),
                    None => PartnerDoc::new(DocKind::CouncilDecision, DocStatus::Planned),
                };
                vec![
                    EdField::choice(Key::DocKind, DocKind::ALL, d.kind),
                    EdField::choice(Key::DocStatus, DocStatus::ALL, d.status),
                    EdField::text(Key::DocNumber, d.number.as_str()),
                    EdField::date(Key::DocDate, d.date),
                    EdField::text(Key::Protocol, d.protocol.as_str()),
                    EdField::text(Key::Paragraph, d.paragraph.as_str()),
                    EdField::text(Key::Parties, d.parties.as_str()),
                    EdField::text(Key::File, d.file.as_str()),
                    EdField::text(Key::DocNote, d.note.as_str()),
                ]
            }
            Target::Year(org, index) => {
                let o = m.organisations.get(org.0)?;
                let y = match index {
                    Some(i) => o.years.get(i)?.clone(),
                    None => PartnerYear {
                        year: next_year(o, today),
                        ..PartnerYear::default()
                    },
                };
                vec![
                    EdField::text(Key::Year, y.year.to_string()),
                    EdField::money(Key::Planned, y.planned_cents),
                    EdField::money(Key::Received, y.received_cents),
                    EdField::money(Key::Spent, y.spent_cents),
                    EdField::money(Key::Prefinancing, y.prefinancing_cents),
                    EdField::text(Key::Teachers, y.teachers.map(|n| n.to_string()).unwrap_or_default()),
                ]
            }
        };
        Some(Editor {
            target,
            fields,
            focus: 0,
            touched: false,
            message: None,
            today,
        })
    }

    /// The editor's title.
    pub fn title(&self, m: &Model) -> String {
        let org = |o: OrgId| {
            m.organisations
                .get(o.0)
                .map(|o| o.label().to_string())
                .unwrap_or_default()
        };
        match self.target {
            Target::Project => t(M::PrjEditTitle).to_string(),
            Target::Partner(o) => format!("{} · {}", org(o), t(M::DocFacts)),
            Target::Doc(o, None) => format!("{} · {}", org(o), t(M::EdDocNew)),
            Target::Doc(o, Some(_)) => format!("{} · {}", org(o), t(M::EdDocEdit)),
            Target::Year(o, None) => format!("{} · {}", org(o), t(M::EdYearNew)),
            Target::Year(o, Some(_)) => format!("{} · {}", org(o), t(M::EdYearEdit)),
        }
    }

    fn field(&self, key: Key) -> Option<&EdField> {
        self.fields.iter().find(|fl| fl.key == key)
    }

    fn field_mut(&mut self, key: Key) -> Option<&mut EdField> {
        self.fields.iter_mut().find(|fl| fl.key == key)
    }

    /// A printable character typed on the focused line: a choice jumps to the next option
    /// starting with it (Space: the next option), text takes it.
    pub fn type_char(&mut self, m: &Model, c: char) {
        self.message = None;
        let Some(fl) = self.fields.get_mut(self.focus) else {
            return;
        };
        fl.error = None;
        self.touched = true;
        if fl.key.kind() == Kind::Choice {
            let n = fl.options.len().max(1);
            if c == ' ' {
                fl.choice = (fl.choice + 1) % n;
                return;
            }
            let want = crate::search::fold(&c.to_string());
            if let Some(p) = (1..=n).map(|d| (fl.choice + d) % n).find(|i| {
                fl.options
                    .get(*i)
                    .is_some_and(|o| crate::search::fold(o).starts_with(&want))
            }) {
                fl.choice = p;
            }
            return;
        }
        fl.input.insert(c);
        follow_org(fl, m);
    }

    /// An action while the editor is on top.
    pub fn on_action(&mut self, a: Action, m: &Model) -> Vec<Effect> {
        let ask = |question: M, pending| {
            vec![Effect::Open(Box::new(Layer::Confirm(Confirm {
                question: t(question).to_string(),
                pending,
            })))]
        };
        let n = self.fields.len().max(1);
        match a {
            Action::Close if self.touched => return ask(M::AskDiscard, Pending::DiscardForm),
            Action::Close => return vec![Effect::Close],
            Action::Quit if self.touched => return ask(M::AskQuitForm, Pending::Quit),
            Action::Quit => return vec![Effect::Quit],
            Action::Save => return vec![Effect::SaveEditor],
            Action::Run if self.focus + 1 >= n => return vec![Effect::SaveEditor],
            Action::Run | Action::NextField | Action::MoveDown => self.focus = (self.focus + 1) % n,
            Action::PrevField | Action::MoveUp => self.focus = (self.focus + n - 1) % n,
            Action::Help | Action::History | Action::Palette => return vec![Effect::Global(a)],
            a => {
                let Some(fl) = self.fields.get_mut(self.focus) else {
                    return vec![];
                };
                if fl.key.kind() == Kind::Choice {
                    let k = fl.options.len().max(1);
                    match a {
                        Action::CursorRight => fl.choice = (fl.choice + 1) % k,
                        Action::CursorLeft => fl.choice = (fl.choice + k - 1) % k,
                        _ => return vec![],
                    }
                    self.touched = true;
                } else if input::is_edit(a) {
                    let before = fl.input.text().to_string();
                    fl.input.edit(a);
                    if fl.input.text() != before {
                        self.touched = true;
                        fl.error = None;
                        follow_org(fl, m);
                    }
                }
            }
        }
        vec![]
    }

    /// Reads every line into the command that saves them; `None` when something is wrong:
    /// the bad lines are then marked and the focus is on the first.
    pub fn build(&mut self, m: &Model) -> Option<Command> {
        self.message = None;
        for fl in &mut self.fields {
            fl.error = None;
        }
        let cmd = match self.target {
            Target::Project => self.build_project(m),
            Target::Partner(org) | Target::Doc(org, _) | Target::Year(org, _) => {
                let mut o = m.organisations.get(org.0)?.clone();
                self.build_partner(&mut o);
                if let Err(errors) = o.validate() {
                    self.show_errors(&errors);
                }
                Some(Command::Update(AnyRecord::Organisation(o)))
            }
        };
        match self.fields.iter().position(|fl| fl.error.is_some()) {
            Some(i) => {
                self.focus = i;
                None
            }
            None if self.message.is_some() => None,
            None => cmd,
        }
    }

    /// The record's own checks: next to the line they are about, else under the lines.
    fn show_errors(&mut self, errors: &crate::domain::Errors) {
        let mut loose = Vec::new();
        for e in &errors.0 {
            let key = match e.field {
                Field::PeriodTo => Some(Key::PeriodTo),
                Field::YearlyFundingEur => Some(Key::Yearly),
                Field::Lead => Some(Key::Lead),
                _ => None,
            };
            match key.and_then(|k| self.field_mut(k)) {
                Some(fl) if fl.error.is_none() => fl.error = Some(i18n::problem_only(e.problem).to_string()),
                Some(_) => {}
                None => loose.push(i18n::problem(e)),
            }
        }
        if !loose.is_empty() {
            self.message = Some(loose.join("; "));
        }
    }

    fn fail(&mut self, key: Key, m: M) {
        if let Some(fl) = self.field_mut(key) {
            fl.error = Some(t(m).to_string());
        }
    }

    fn raw(&self, key: Key) -> String {
        self.field(key)
            .map(|fl| fl.input.text().trim().to_string())
            .unwrap_or_default()
    }

    fn text(&self, key: Key) -> Text {
        clean(&self.raw(key))
    }

    fn date(&mut self, key: Key) -> Option<NaiveDate> {
        let s = self.raw(key);
        if s.is_empty() {
            return None;
        }
        let d = parse::typed_date(&s, self.today);
        if d.is_none() {
            self.fail(key, M::FormBadDate);
        }
        d
    }

    fn money(&mut self, key: Key) -> Option<i64> {
        let s = self.raw(key);
        parse::euro_cents("", &s).unwrap_or_else(|_| {
            self.fail(key, M::FormBadMoney);
            None
        })
    }

    fn number(&mut self, key: Key) -> Option<u32> {
        let s = self.raw(key);
        parse::number("", &s).unwrap_or_else(|_| {
            self.fail(key, M::FormBadNumber);
            None
        })
    }

    fn chosen<T: Copy>(&self, key: Key, all: &[T]) -> Option<T> {
        self.field(key).and_then(|fl| all.get(fl.choice)).copied()
    }

    fn org(&mut self, key: Key) -> Option<OrgId> {
        let fl = self.field(key)?;
        if fl.input.text().trim().is_empty() {
            return None;
        }
        if fl.picked.is_none() {
            self.fail(key, M::EdNoOrg);
        }
        self.field(key).and_then(|fl| fl.picked)
    }

    fn build_project(&mut self, m: &Model) -> Option<Command> {
        let mut p = m.project.clone();
        p.name = self.text(Key::Name);
        p.number = self.text(Key::Number);
        p.start = self.date(Key::Start);
        p.end = self.date(Key::End);
        if let (Some(a), Some(b)) = (p.start, p.end)
            && b < a
        {
            self.fail(Key::End, M::ProblemEndBeforeStart);
        }
        p.funding_total_cents = self.money(Key::FundingTotal).unwrap_or(0);
        p.funding_esf_cents = self.money(Key::FundingEsf).unwrap_or(0);
        p.funding_state_cents = self.money(Key::FundingState).unwrap_or(0);
        p.lead = self.org(Key::Lead);
        p.settings.reporting_partner = self.org(Key::Reporting);
        let count = self.number(Key::Institutions);
        let (source, date) = (self.text(Key::InstSource), self.date(Key::InstDate));
        let assumed = self.field(Key::InstAssumed).is_some_and(|fl| fl.choice == 1);
        p.settings.institutions = count.map(|count| OfficialCount {
            count,
            source,
            date,
            assumed,
        });
        let cap = self.raw(Key::HoursCap);
        p.settings.seminar_hours_cap = if cap.is_empty() {
            None
        } else {
            match parse::hours("", &cap) {
                Ok(h) => h,
                Err(_) => {
                    self.fail(Key::HoursCap, M::EdBadCap);
                    None
                }
            }
        };
        p.notes = self.text(Key::Notes);
        Some(Command::SetProject(p))
    }

    fn build_partner(&mut self, o: &mut Organisation) {
        match self.target {
            Target::Partner(_) => {
                o.period_from = self.date(Key::PeriodFrom);
                o.period_to = self.date(Key::PeriodTo);
                o.yearly_funding_cents = self.money(Key::Yearly);
                if let (Some(a), Some(b)) = (o.period_from, o.period_to)
                    && b < a
                {
                    self.fail(Key::PeriodTo, M::ProblemEndBeforeStart);
                }
            }
            Target::Doc(_, index) => {
                let kind = self
                    .chosen(Key::DocKind, DocKind::ALL)
                    .unwrap_or(DocKind::CouncilDecision);
                let status = self
                    .chosen(Key::DocStatus, DocStatus::ALL)
                    .unwrap_or(DocStatus::Planned);
                let mut d = PartnerDoc::new(kind, status);
                d.number = self.text(Key::DocNumber);
                d.date = self.date(Key::DocDate);
                d.protocol = self.text(Key::Protocol);
                d.paragraph = self.text(Key::Paragraph);
                d.parties = self.text(Key::Parties);
                d.file = self.text(Key::File);
                d.note = self.text(Key::DocNote);
                match index.and_then(|i| o.documents.get_mut(i)) {
                    Some(slot) => *slot = d,
                    None => o.documents.push(d),
                }
            }
            Target::Year(_, index) => {
                let year = match self.raw(Key::Year).parse::<i32>() {
                    Ok(y) if (1990..=2100).contains(&y) => y,
                    _ => {
                        self.fail(Key::Year, M::EdBadYear);
                        0
                    }
                };
                let y = PartnerYear {
                    year,
                    planned_cents: self.money(Key::Planned),
                    received_cents: self.money(Key::Received),
                    spent_cents: self.money(Key::Spent),
                    prefinancing_cents: self.money(Key::Prefinancing),
                    teachers: self.number(Key::Teachers),
                };
                let taken = o
                    .years
                    .iter()
                    .enumerate()
                    .any(|(i, other)| other.year == year && Some(i) != index);
                if taken && year != 0 {
                    self.fail(Key::Year, M::EdYearTaken);
                }
                match index.and_then(|i| o.years.get_mut(i)) {
                    Some(slot) => *slot = y,
                    None => o.years.push(y),
                }
                o.years.sort_by_key(|y| y.year);
            }
            Target::Project => {}
        }
    }
}

/// The year after the partner's last one (this year when there is none).
fn next_year(o: &Organisation, today: NaiveDate) -> i32 {
    o.years
        .iter()
        .map(|y| y.year + 1)
        .max()
        .unwrap_or(chrono::Datelike::year(&today))
}

/// An organisation field follows what is typed: the best match (the exact name first).
fn follow_org(fl: &mut EdField, m: &Model) {
    if fl.key.kind() != Kind::Org {
        return;
    }
    let typed = fl.input.text().trim();
    fl.picked = if typed.is_empty() {
        None
    } else {
        let exact = m
            .organisations
            .iter()
            .find(|o| crate::search::fold(&o.name) == crate::search::fold(typed))
            .map(|o| o.id);
        exact.or_else(|| {
            super::form::ref_matches(m, Table::Organisation, typed, 1)
                .first()
                .map(|id| OrgId(*id))
        })
    };
}

/// The widest a label is drawn.
const LABEL: usize = 30;

/// The editor over the screen.
pub fn render(app: &App, ed: &Editor, frame: &mut Frame<'_>, area: Rect) {
    let th = app.theme;
    let m = app.model();
    let w = area.width.min(90);
    let inner_w = usize::from(w.saturating_sub(2));
    let longest = ed.fields.iter().map(|fl| t(fl.key.label()).chars().count()).max();
    let label_w = longest.unwrap_or(0).min(LABEL).min(usize::from(w) / 2);
    let error_rows = |fl: &EdField| {
        fl.error
            .as_ref()
            .map_or(Vec::new(), |e| super::overlay::error_lines(e, label_w + 3, inner_w))
    };
    let errors: usize = ed.fields.iter().map(|fl| error_rows(fl).len()).sum();
    let wanted = (ed.fields.len() + errors + 5) as u16;
    let h = wanted.min(area.height.saturating_sub(1));
    let r = Rect::new(area.x + (area.width - w) / 2, area.y + 1, w, h);
    frame.render_widget(Clear, r);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut focus_line = 0;
    for (i, fl) in ed.fields.iter().enumerate() {
        let focused = i == ed.focus;
        if focused {
            focus_line = lines.len();
        }
        let label = super::overlay::short(t(fl.key.label()), label_w);
        let mut spans = vec![
            Span::styled(if focused { "▶ " } else { "  " }, th.key()),
            Span::styled(
                format!("{label:<label_w$} "),
                if focused { th.title() } else { th.label() },
            ),
        ];
        if fl.key.kind() == Kind::Choice {
            let v = format!("‹ {} ›", fl.shown());
            spans.push(Span::styled(v, if focused { th.selected() } else { th.label() }));
        } else if focused {
            spans.extend(super::overlay::with_cursor(
                fl.input.text(),
                fl.input.cursor_chars(),
                app,
            ));
        } else {
            spans.push(Span::raw(fl.shown()));
        }
        if fl.key.kind() == Kind::Org
            && let Some(o) = fl.picked.and_then(|o| m.organisations.get(o.0))
        {
            if crate::search::fold(&o.name) == crate::search::fold(fl.input.text().trim()) {
                spans.push(Span::styled(" ✓", th.good()));
            } else {
                spans.push(Span::styled(format!(" → {}", o.name), th.good()));
            }
        }
        lines.push(Line::from(spans));
        for l in error_rows(fl) {
            lines.push(Line::from(vec![
                Span::raw(" ".repeat(label_w + 3)),
                Span::styled(l, th.warn()),
            ]));
        }
    }
    // A refusal is read whole: wrapped over the lines it takes.
    let message: Vec<Line<'static>> = match &ed.message {
        Some(msg) => super::wrap::message(&format!("✗ {msg}"), inner_w)
            .into_iter()
            .map(|l| Line::from(Span::styled(l, th.warn())))
            .collect(),
        None => vec![Line::from("")],
    };
    let inner = (r.height as usize).saturating_sub(3 + message.len()); // borders, message, hint
    let top = (focus_line + 2).saturating_sub(inner);
    let mut body: Vec<Line<'static>> = lines.into_iter().skip(top).take(inner).collect();
    while body.len() < inner {
        body.push(Line::from(""));
    }
    body.extend(message);
    body.push(Line::from(Span::styled(super::overlay::form_hint(app), th.dim())));
    frame.render_widget(Paragraph::new(body).block(super::overlay::boxed(app, ed.title(m))), r);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn editor(m: &Model, target: Target) -> Editor {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        Editor::new(m, target, today).expect("an editor")
    }

    fn set(ed: &mut Editor, key: Key, text: &str) {
        if let Some(fl) = ed.field_mut(key) {
            fl.input.set(text);
        }
    }

    #[test]
    fn a_document_saves_as_one_update_of_its_partner_and_bad_lines_are_marked() {
        let m = crate::io::sample::test_model("koordinators");
        let o = m
            .organisations
            .iter()
            .find(|o| o.documents.len() > 1)
            .expect("a partner")
            .clone();
        let mut ed = editor(&m, Target::Doc(o.id, Some(1)));
        set(&mut ed, Key::DocDate, "31.02.2025");
        set(&mut ed, Key::Teachers, "ignored: not a document line");
        assert!(ed.build(&m).is_none(), "a bad date is not saved");
        assert_eq!(ed.focus, 3, "the focus is on the bad date");
        assert!(ed.fields[3].error.is_some());
        set(&mut ed, Key::DocDate, "16.04.2025");
        set(&mut ed, Key::File, "  lēmumi/417.pdf ");
        let Some(Command::Update(AnyRecord::Organisation(after))) = ed.build(&m) else {
            panic!("an update of the organisation")
        };
        assert_eq!(after.documents.len(), o.documents.len(), "edited in place");
        assert_eq!(after.documents[1].date, NaiveDate::from_ymd_opt(2025, 4, 16));
        assert_eq!(after.documents[1].file, "lēmumi/417.pdf");
        assert_eq!(after.documents[0], o.documents[0], "the others are kept");
        assert_eq!(after.meta, o.meta, "read at this version (a conflict is caught)");
    }

    #[test]
    fn a_partners_period_ending_before_it_starts_is_marked_on_its_end() {
        let m = crate::io::sample::test_model("koordinators");
        let o = m.organisations.iter().find(|o| o.partner).expect("a partner").clone();
        let mut ed = editor(&m, Target::Partner(o.id));
        set(&mut ed, Key::PeriodFrom, "01.09.2029");
        set(&mut ed, Key::PeriodTo, "01.07.2025");
        assert!(ed.build(&m).is_none());
        assert_eq!(ed.fields[ed.focus].key, Key::PeriodTo);
    }

    #[test]
    fn money_typed_back_reads_as_the_same_amount() {
        for cents in [0, 5, 400_000, 4_973_151_400] {
            let s = money_text(cents);
            assert_eq!(parse::euro_cents("", &s).ok().flatten(), Some(cents), "{s}");
        }
    }
}
