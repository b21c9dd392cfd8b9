//! Forms for adding and editing records: typed fields (text, dates, times, hours, numbers,
//! choices, references picked by fuzzy search), their parsing into a record with inline
//! messages, and which fields each kind of record has. Nothing here writes: the App saves
//! the record the form builds through the Command seam.

use super::input::LineInput;
use super::keymap::Action;
use crate::domain::{
    Activity, AnyRecord, Attendance, AttendanceStatus, Definition, Event, EventFormat, EventId, EventStatus, Gender,
    Hours, Indicator, ManualValue, OrgId, OrgKind, Organisation, Participant, ParticipantId, Role, Scope, Table, Text,
    Unit,
};
use crate::i18n::{self, Label, M, f, t};
use crate::io::parse;
use crate::model::Model;
use crate::search::text::{Kind as Match, terms};
use chrono::{NaiveDate, NaiveDateTime};

/// One choice of a choice field: its stable code and its label in the current language.
#[derive(Clone, Debug, PartialEq)]
pub struct Opt {
    pub code: String,
    pub label: &'static str,
    /// The label in the other language (typed values are accepted in either).
    pub other: &'static str,
}

fn opts<T: Label + std::fmt::Display>(all: &[T]) -> Vec<Opt> {
    all.iter()
        .map(|v| {
            let (en, lv) = v.pair();
            Opt {
                code: v.to_string(),
                label: v.label(),
                other: if v.label() == en { lv } else { en },
            }
        })
        .collect()
}

/// What a field holds and how its text is read.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Text {
        required: bool,
    },
    /// An optional date (`14.03.2025`, `14.03.`, `today`, `+3d`...).
    Date {
        required: bool,
    },
    /// A date and a time ("14.03. 9:30").
    DateTime,
    /// A time on the day of the field `start`, or a full date and time.
    EndTime,
    /// Hours, 0 or more; empty when `optional`.
    Hours {
        optional: bool,
    },
    /// A whole number, optional.
    Number,
    /// A decimal number, required.
    Decimal,
    /// Euros, optional.
    Money,
    /// One of the options (cycled with Left/Right/Space, or picked by typing its first
    /// letters); `none` adds an empty first choice.
    Choice {
        options: Vec<Opt>,
        none: bool,
    },
    /// Any number of the options, typed as labels or codes separated by commas.
    Multi(Vec<Opt>),
    /// A record of a table, picked from a fuzzy list as you type.
    Ref {
        table: Table,
        required: bool,
    },
}

/// One field of a form.
#[derive(Clone, Debug)]
pub struct Field {
    /// The record field's code (as in files, JSON and validation errors).
    pub code: &'static str,
    pub kind: Kind,
    pub input: LineInput,
    /// Choice fields: the chosen option (0 is "none" when the field has one).
    pub choice: usize,
    /// Reference fields: the chosen id, and the list offered for what is typed.
    pub picked: Option<u32>,
    pub matches: Vec<u32>,
    pub selected: usize,
    /// Why the value cannot be saved, shown next to the field.
    pub error: Option<String>,
}

impl Field {
    fn new(code: &'static str, kind: Kind, text: impl Into<String>) -> Field {
        Field {
            code,
            kind,
            input: LineInput::new(text),
            choice: 0,
            picked: None,
            matches: Vec::new(),
            selected: 0,
            error: None,
        }
    }
    fn text(code: &'static str, v: &str, required: bool) -> Field {
        Field::new(code, Kind::Text { required }, v)
    }
    fn date(code: &'static str, v: Option<NaiveDate>, required: bool) -> Field {
        Field::new(code, Kind::Date { required }, v.map(date_text).unwrap_or_default())
    }
    /// A choice of `all`; `none` offers "—" (no value) first.
    fn choice<T: Label + std::fmt::Display + PartialEq + Copy>(
        code: &'static str,
        all: &[T],
        v: Option<T>,
        none: bool,
    ) -> Field {
        let pos = v.and_then(|v| all.iter().position(|x| *x == v));
        let mut fl = Field::new(
            code,
            Kind::Choice {
                options: opts(all),
                none,
            },
            "",
        );
        fl.choice = pos.map_or(0, |p| p + usize::from(none));
        fl
    }
    fn flag(code: &'static str, v: bool) -> Field {
        let options = [(false, M::No), (true, M::Yes)]
            .iter()
            .map(|(b, m)| Opt {
                code: b.to_string(),
                label: t(*m),
                other: m.tr(if i18n::lang() == i18n::Lang::En {
                    i18n::Lang::Lv
                } else {
                    i18n::Lang::En
                }),
            })
            .collect();
        let mut fl = Field::new(code, Kind::Choice { options, none: false }, "");
        fl.choice = usize::from(v);
        fl
    }
    fn multi<T: Label + std::fmt::Display>(code: &'static str, all: &[T], v: &[T]) -> Field {
        let text: Vec<&str> = v.iter().map(|x| x.label()).collect();
        Field::new(code, Kind::Multi(opts(all)), text.join(", "))
    }
    fn reference(code: &'static str, table: Table, id: Option<u32>, required: bool, m: &Model) -> Field {
        let mut fl = Field::new(
            code,
            Kind::Ref { table, required },
            id.map(|i| ref_label(m, table, i)).unwrap_or_default(),
        );
        fl.picked = id;
        fl
    }

    /// The text shown for the field's value.
    pub fn shown(&self) -> String {
        match &self.kind {
            Kind::Choice { options, none } => {
                if *none && self.choice == 0 {
                    "—".to_string()
                } else {
                    options
                        .get(self.choice - usize::from(*none))
                        .map(|o| o.label.to_string())
                        .unwrap_or_default()
                }
            }
            _ => self.input.text().to_string(),
        }
    }

    fn choice_count(&self) -> usize {
        match &self.kind {
            Kind::Choice { options, none } => options.len() + usize::from(*none),
            _ => 0,
        }
    }

    /// The chosen option's code (`None` for "none").
    fn choice_code(&self) -> Option<&str> {
        match &self.kind {
            Kind::Choice { options, none } => {
                if *none && self.choice == 0 {
                    None
                } else {
                    options.get(self.choice - usize::from(*none)).map(|o| o.code.as_str())
                }
            }
            _ => None,
        }
    }

    pub fn is_choice(&self) -> bool {
        matches!(self.kind, Kind::Choice { .. })
    }

    /// Whether the field's list of matches is open (a reference being typed).
    pub fn picking(&self) -> bool {
        matches!(self.kind, Kind::Ref { .. }) && !self.matches.is_empty()
    }
}

fn date_text(d: NaiveDate) -> String {
    i18n::date(d)
}

fn datetime_text(d: NaiveDateTime) -> String {
    format!("{} {}", i18n::date(d.date()), d.format("%H:%M"))
}

/// How a reference is shown: an organisation's name, a person with their institution, an
/// event with its date.
pub fn ref_label(m: &Model, table: Table, id: u32) -> String {
    match table {
        Table::Organisation => m.organisations.get(id).map(|o| o.name.to_string()),
        Table::Participant => m.participants.get(id).map(|p| {
            let inst = p
                .institution
                .and_then(|o| m.organisations.get(o.0))
                .map(|o| format!(" · {}", o.label()))
                .unwrap_or_default();
            format!("{}{inst}", p.full_name())
        }),
        Table::Event => m
            .events
            .get(id)
            .map(|e| format!("{} {}", i18n::date(e.start.date()), e.title)),
        Table::Indicator => m.indicators.get(id).map(|i| format!("{} {}", i.code, i.title)),
        Table::Attendance => None,
    }
    .unwrap_or_else(|| format!("#{id}"))
}

/// The best few records of `table` for what was typed, best first.
pub fn ref_matches(m: &Model, table: Table, typed: &str, limit: usize) -> Vec<u32> {
    let ts = terms(typed);
    if ts.is_empty() {
        return Vec::new();
    }
    if table == Table::Participant {
        let mut ids = crate::search::people::search(m, &ts, crate::search::people::Among::All);
        ids.truncate(limit);
        return ids;
    }
    // Word > prefix > substring > letters in order within a word ("vlsts" finds "Valsts").
    let score = |hay: &str| -> Option<u32> {
        ts.iter().try_fold(0u32, |acc, term| {
            let k = match term.find(hay.as_bytes()) {
                Some((k, _)) => k,
                None if term.fuzzy_ok() && term.is_subsequence_of(hay.as_bytes()) => Match::Fuzzy,
                None => return None,
            };
            Some(acc + k as u32 + u32::from(k == Match::Word))
        })
    };
    // An organisation is also known by its short name and its acronym ("VIAA", "Cēsu VĢ"):
    // typed exactly, they rank above everything else.
    let exact = crate::search::fold(typed.trim());
    let mut scored: Vec<(u32, u32)> = m
        .orders
        .get(table)
        .iter()
        .filter_map(|id| {
            if table == Table::Organisation {
                let o = m.organisations.get(*id)?;
                let short = crate::search::fold(&o.short_name);
                let acronym = acronym(&o.name);
                let name = m.org_keys.get(*id as usize).map(|k| k.to_string()).unwrap_or_default();
                let s = score(&format!("{name} {short} {acronym}"))?;
                let bonus = if exact == short || exact == acronym { 1000 } else { 0 };
                return Some((s + bonus, *id));
            }
            let hay = match table {
                Table::Organisation => None,
                Table::Event => m.events.get(*id).map(|e| crate::search::fold(&e.title)),
                Table::Indicator => m
                    .indicators
                    .get(*id)
                    .map(|i| crate::search::fold(&format!("{} {}", i.code, i.title))),
                _ => None,
            }?;
            Some((score(&hay)?, *id))
        })
        .collect();
    // Best score first; within a score, the pane's order (stable sort).
    scored.sort_by_key(|(s, _)| std::cmp::Reverse(*s));
    scored.into_iter().take(limit).map(|(_, id)| id).collect()
}

/// The one organisation whose short name or acronym is exactly `typed` (folded).
fn exact_org(m: &Model, table: Table, typed: &str) -> Option<u32> {
    if table != Table::Organisation {
        return None;
    }
    let want = crate::search::fold(typed.trim());
    let mut hits = m
        .organisations
        .iter()
        .filter(|o| crate::search::fold(&o.short_name) == want || acronym(&o.name) == want)
        .map(|o| o.id.0);
    let first = hits.next()?;
    hits.next().is_none().then_some(first)
}

/// The folded initials of a name's words: "Valsts izglītības attīstības aģentūra" → "viaa".
fn acronym(name: &str) -> String {
    crate::search::fold(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter_map(|w| w.chars().next())
        .collect()
}

/// Rows of a reference field's list of matches.
pub const PICK_ROWS: usize = 5;

/// What saving the form does.
#[derive(Clone, Debug, PartialEq)]
pub enum Purpose {
    /// Add (id 0) or replace the record.
    Record,
    /// Add a value by hand to a manual indicator.
    ManualValue,
    /// A walk-in at the check-in desk: create the participant, then check them in here.
    WalkIn(EventId),
}

/// A form over one record.
#[derive(Clone, Debug)]
pub struct Form {
    /// The record as it was (for a new one, its defaults); saving changes a copy.
    pub original: AnyRecord,
    pub purpose: Purpose,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Something was typed (Esc then asks before throwing it away).
    pub touched: bool,
    /// A problem not tied to one field (from the store).
    pub message: Option<String>,
    /// Probable duplicates of a participant, shown before saving; saving again saves anyway.
    pub duplicates: Vec<ParticipantId>,
    pub duplicates_seen: bool,
    pub today: NaiveDate,
    /// An event's hours follow its start and end as they are typed, until the user types
    /// hours themselves (or, editing, the hours already differ from the times' length).
    pub hours_follow: bool,
}

impl Form {
    /// A form to add a record of `table`, or to edit `existing`.
    pub fn new(m: &Model, original: AnyRecord, purpose: Purpose, today: NaiveDate) -> Form {
        let fields = fields_of(m, &original, &purpose);
        let hours_follow = match &original {
            AnyRecord::Event(e) => e.id.0 == 0 || crate::domain::event::default_hours(e.start, e.end) == Some(e.hours),
            _ => false,
        };
        Form {
            original,
            purpose,
            fields,
            focus: 0,
            touched: false,
            message: None,
            duplicates: Vec::new(),
            duplicates_seen: false,
            today,
            hours_follow,
        }
    }

    /// An event's hours from its typed start and end (a one-day event's length in
    /// academic hours), while the user has not typed hours themselves.
    fn follow_times(&mut self) {
        if !self.hours_follow {
            return;
        }
        let text = |code: &str| self.field(code).map(|fl| fl.input.text().trim().to_string());
        let (Some(start), Some(end)) = (text("start"), text("end")) else {
            return;
        };
        let Some(start) = parse::typed_datetime(&start, self.today) else {
            return;
        };
        let end = parse::typed_time(&end)
            .map(|t| start.date().and_time(t))
            .or_else(|| parse::typed_datetime(&end, self.today));
        if let Some(h) = end.and_then(|end| crate::domain::event::default_hours(start, end))
            && h.0 > 0
        {
            self.prefill("hours", &h.to_string());
        }
    }

    /// Whether this form adds a record (rather than editing one).
    pub fn is_new(&self) -> bool {
        self.original.raw_id() == 0 || self.purpose == Purpose::ManualValue
    }

    /// The form's title: "New participant", "Edit event"...
    pub fn title(&self) -> String {
        let what = i18n::record_name(self.original.table());
        match self.purpose {
            Purpose::ManualValue => t(M::FormManualValue).to_string(),
            Purpose::WalkIn(_) => t(M::FormWalkIn).to_string(),
            Purpose::Record if self.is_new() => f(M::FormNew, &[&what]),
            Purpose::Record => f(M::FormEdit, &[&what]),
        }
    }

    pub fn field(&self, code: &str) -> Option<&Field> {
        self.fields.iter().find(|fl| fl.code == code)
    }

    fn field_mut(&mut self, code: &str) -> Option<&mut Field> {
        self.fields.iter_mut().find(|fl| fl.code == code)
    }

    /// Puts text into a field as if typed (walk-ins start from what was typed at the desk).
    pub fn prefill(&mut self, code: &str, text: &str) {
        if let Some(fl) = self.field_mut(code) {
            fl.input.set(text);
        }
    }

    pub fn next_field(&mut self, by: isize) {
        let n = self.fields.len() as isize;
        self.focus = ((self.focus as isize + by).rem_euclid(n.max(1))) as usize;
    }

    /// Handles an action or a typed character in the form; the model is read for
    /// reference lists. Returns true when the form asks to be saved.
    pub fn key(&mut self, m: &Model, a: Option<Action>, typed: Option<char>) -> bool {
        self.message = None;
        let Some(fl) = self.fields.get_mut(self.focus) else {
            return false;
        };
        if fl.is_choice() {
            let n = fl.choice_count().max(1);
            match (a, typed) {
                (Some(Action::CursorRight), _) | (None, Some(' ')) => fl.choice = (fl.choice + 1) % n,
                (Some(Action::CursorLeft), _) => fl.choice = (fl.choice + n - 1) % n,
                (None, Some(c)) => {
                    // Typing jumps to the next option whose label starts with the letter.
                    let want = crate::search::fold(&c.to_string());
                    if let Some(p) = (1..=n).map(|d| (fl.choice + d) % n).find(|i| {
                        let mut probe = fl.clone();
                        probe.choice = *i;
                        crate::search::fold(&probe.shown()).starts_with(&want)
                    }) {
                        fl.choice = p;
                    }
                }
                _ => return self.nav(m, a),
            }
            fl.error = None;
            self.touched = true;
            return false;
        }
        if fl.picking() {
            match a {
                Some(Action::MoveDown) => {
                    fl.selected = (fl.selected + 1).min(fl.matches.len() - 1);
                    return false;
                }
                Some(Action::MoveUp) => {
                    fl.selected = fl.selected.saturating_sub(1);
                    return false;
                }
                Some(Action::Close) => {
                    fl.matches.clear();
                    return false;
                }
                _ => {}
            }
        }
        let edited = match (a, typed) {
            (None, Some(c)) => {
                fl.input.insert(c);
                true
            }
            (Some(a), _) if super::input::is_edit(a) => {
                let before = fl.input.text().len();
                fl.input.edit(a);
                before != fl.input.text().len()
            }
            _ => false,
        };
        if edited {
            self.touched = true;
            fl.error = None;
            if let Kind::Ref { table, .. } = fl.kind {
                fl.picked = None;
                fl.matches = ref_matches(m, table, fl.input.text(), PICK_ROWS);
                fl.selected = 0;
            }
            if fl.code == "given_name" || fl.code == "surname" || fl.code == "email" || fl.code == "institution" {
                self.duplicates_seen = false;
            }
            match fl.code {
                "hours" => self.hours_follow = false,
                "start" | "end" => self.follow_times(),
                _ => {}
            }
            return false;
        }
        self.nav(m, a)
    }

    /// Moving between fields, picking, saving.
    fn nav(&mut self, m: &Model, a: Option<Action>) -> bool {
        match a {
            Some(Action::NextField | Action::MoveDown) => self.pick_then(m, |f| f.next_field(1)),
            Some(Action::PrevField | Action::MoveUp) => self.pick_then(m, |f| f.next_field(-1)),
            Some(Action::Save) => {
                self.pick_then(m, |_| {});
                return true;
            }
            Some(Action::Run) => {
                let picked = self.fields.get(self.focus).is_some_and(Field::picking);
                self.pick_then(m, |_| {});
                if picked {
                    return false;
                }
                if self.focus + 1 >= self.fields.len() {
                    return true;
                }
                self.next_field(1);
            }
            _ => {}
        }
        false
    }

    /// Takes the highlighted match of the focused reference field (with its label), then `f`.
    fn pick_then(&mut self, m: &Model, f: impl FnOnce(&mut Form)) {
        if let Some(fl) = self.fields.get_mut(self.focus)
            && fl.picking()
            && let Kind::Ref { table, .. } = fl.kind
            && let Some(id) = fl.matches.get(fl.selected).copied()
        {
            fl.picked = Some(id);
            fl.input.set(ref_label(m, table, id));
            fl.matches.clear();
            fl.error = None;
        }
        f(self);
    }

    /// Reads every field into the record; `None` when something is wrong: the bad fields
    /// are then marked and the focus is on the first.
    pub fn build(&mut self, m: &Model) -> Option<AnyRecord> {
        for fl in &mut self.fields {
            fl.error = None;
        }
        let mut r = Reader {
            form: self,
            m,
            bad: false,
        };
        let record = build_record(&mut r);
        let bad = r.bad;
        // The record's own checks run even when some fields did not parse, so that every
        // problem shows at once (an end before the start beside a bad target group); a
        // field that already has its parse error keeps it.
        let checked = record.as_ref().map(AnyRecord::check);
        if let Some(Err(errors)) = &checked {
            self.show_errors(errors);
        }
        match (record, checked) {
            (Some(rec), Some(Ok(()))) if !bad => Some(rec),
            _ => {
                self.focus_first_error();
                None
            }
        }
    }

    /// Shows validation problems next to their fields (or as the form's message when the
    /// field is not on the form).
    pub fn show_errors(&mut self, errors: &crate::domain::Errors) {
        let mut loose = Vec::new();
        for e in &errors.0 {
            let code = match e.field {
                "yearly_funding_cents" => "yearly_funding_eur",
                other => other,
            };
            match self.field_mut(code) {
                Some(fl) if fl.error.is_some() => {}
                Some(fl) => fl.error = Some(i18n::problem_only(e.problem).to_string()),
                None => loose.push(i18n::problem(e)),
            }
        }
        if !loose.is_empty() {
            self.message = Some(loose.join("; "));
        }
        self.focus_first_error();
    }

    fn focus_first_error(&mut self) {
        if let Some(i) = self.fields.iter().position(|fl| fl.error.is_some()) {
            self.focus = i;
        }
    }
}

/// Reads typed field values, marking the fields that do not parse.
struct Reader<'a> {
    form: &'a mut Form,
    m: &'a Model,
    bad: bool,
}

impl Reader<'_> {
    fn fail(&mut self, code: &str, msg: String) {
        self.bad = true;
        if let Some(fl) = self.form.field_mut(code) {
            fl.error = Some(msg);
        }
    }
    fn raw(&self, code: &str) -> String {
        self.form
            .field(code)
            .map(|fl| fl.input.text().trim().to_string())
            .unwrap_or_default()
    }
    fn text(&mut self, code: &str) -> Text {
        let text = crate::domain::clean(&self.raw(code));
        // Said here too, so that it shows with the other fields' problems even when the
        // record cannot be built to be validated.
        let required = matches!(
            self.form.field(code).map(|fl| &fl.kind),
            Some(Kind::Text { required: true })
        );
        if required && text.trim().is_empty() {
            self.fail(code, t(M::ProblemRequired).to_string());
        }
        text
    }
    fn date(&mut self, code: &str) -> Option<NaiveDate> {
        let s = self.raw(code);
        let required = matches!(
            self.form.field(code).map(|fl| &fl.kind),
            Some(Kind::Date { required: true })
        );
        if s.is_empty() {
            if required {
                self.fail(code, t(M::ProblemRequired).to_string());
            }
            return None;
        }
        let d = parse::typed_date(&s, self.form.today);
        if d.is_none() {
            self.fail(code, t(M::FormBadDate).to_string());
        }
        d
    }
    fn datetime(&mut self, code: &str) -> Option<NaiveDateTime> {
        let s = self.raw(code);
        let d = parse::typed_datetime(&s, self.form.today);
        if d.is_none() {
            let m = if s.is_empty() {
                M::ProblemRequired
            } else {
                M::FormBadDateTime
            };
            self.fail(code, t(m).to_string());
        }
        d
    }
    /// A time on `day`, or a full date and time.
    fn end_time(&mut self, code: &str, day: Option<NaiveDate>) -> Option<NaiveDateTime> {
        let s = self.raw(code);
        let d = parse::typed_time(&s)
            .and_then(|t| Some(day?.and_time(t)))
            .or_else(|| parse::typed_datetime(&s, self.form.today));
        if d.is_none() {
            let m = if s.is_empty() {
                M::ProblemRequired
            } else {
                M::FormBadTime
            };
            self.fail(code, t(m).to_string());
        }
        d
    }
    fn hours(&mut self, code: &str) -> Option<Hours> {
        let s = self.raw(code);
        match parse::hours(code, &s) {
            Ok(h) => {
                let optional = matches!(
                    self.form.field(code).map(|fl| &fl.kind),
                    Some(Kind::Hours { optional: true })
                );
                if h.is_none() && !optional {
                    self.fail(code, t(M::ProblemRequired).to_string());
                }
                h
            }
            Err(_) => {
                self.fail(code, t(M::FormBadHours).to_string());
                None
            }
        }
    }
    fn number(&mut self, code: &str) -> Option<u32> {
        let s = self.raw(code);
        parse::number(code, &s).unwrap_or_else(|_| {
            self.fail(code, t(M::FormBadNumber).to_string());
            None
        })
    }
    fn decimal(&mut self, code: &str) -> f64 {
        let s = self.raw(code).replace(',', ".");
        match s.parse::<f64>() {
            Ok(v) if v.is_finite() => v,
            _ => {
                let m = if s.is_empty() {
                    M::ProblemRequired
                } else {
                    M::FormBadNumber
                };
                self.fail(code, t(m).to_string());
                0.0
            }
        }
    }
    fn money(&mut self, code: &str) -> Option<i64> {
        let s = self.raw(code);
        parse::euro_cents(code, &s).unwrap_or_else(|_| {
            self.fail(code, t(M::FormBadMoney).to_string());
            None
        })
    }
    fn choice<T>(&mut self, code: &str, from: impl Fn(&str) -> Option<T>) -> Option<T> {
        self.form.field(code).and_then(Field::choice_code).and_then(from)
    }
    fn flag(&mut self, code: &str) -> bool {
        self.form.field(code).and_then(Field::choice_code) == Some("true")
    }
    fn multi<T>(&mut self, code: &str, from: impl Fn(&str) -> Option<T>) -> Vec<T> {
        let s = self.raw(code);
        let Some(Kind::Multi(options)) = self.form.field(code).map(|fl| fl.kind.clone()) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        // Every bad item is named, not only the last.
        let mut bad: Vec<&str> = Vec::new();
        for part in s.split([',', ';']).map(str::trim).filter(|p| !p.is_empty()) {
            let want = crate::search::fold(part);
            // Exact label (either language) or code first, then a label's beginning.
            let labels = |o: &Opt| [crate::search::fold(o.label), crate::search::fold(o.other)];
            let hit = options
                .iter()
                .find(|o| o.code == want || labels(o).contains(&want))
                .or_else(|| options.iter().find(|o| labels(o).iter().any(|l| l.starts_with(&want))));
            match hit.and_then(|o| from(&o.code)) {
                Some(v) => out.push(v),
                None => bad.push(part),
            }
        }
        if !bad.is_empty() {
            let names: Vec<&str> = options.iter().map(|o| o.label).collect();
            self.fail(code, f(M::FormBadChoice, &[&bad.join("', '"), &names.join(", ")]));
        }
        out
    }
    fn reference(&mut self, code: &str) -> Option<u32> {
        let fl = self.form.field(code)?;
        let (Kind::Ref { table, required }, typed) = (&fl.kind, fl.input.text().trim()) else {
            return None;
        };
        let (table, required) = (*table, *required);
        if let Some(id) = fl.picked {
            return Some(id);
        }
        if typed.is_empty() {
            if required {
                self.fail(code, t(M::ProblemRequired).to_string());
            }
            return None;
        }
        // Typed but not picked: an organisation's exact short name or acronym, else the
        // one record that matches.
        if let Some(id) = exact_org(self.m, table, typed) {
            return Some(id);
        }
        let hits = ref_matches(self.m, table, typed, 2);
        match hits.as_slice() {
            [one] => Some(*one),
            [] => {
                self.fail(code, t(M::FormNoMatch).to_string());
                None
            }
            _ => {
                self.fail(code, t(M::FormPick).to_string());
                None
            }
        }
    }
}

/// The fields of a record's form.
fn fields_of(m: &Model, r: &AnyRecord, purpose: &Purpose) -> Vec<Field> {
    let org = |code, id: Option<OrgId>, req| Field::reference(code, Table::Organisation, id.map(|o| o.0), req, m);
    match (r, purpose) {
        (AnyRecord::Indicator(_), Purpose::ManualValue) => vec![
            Field::date("date", None, true),
            Field::new("value", Kind::Decimal, ""),
            Field::text("note", "", false),
        ],
        (AnyRecord::Organisation(o), _) => vec![
            Field::text("name", &o.name, true),
            Field::text("short_name", &o.short_name, false),
            Field::choice("kind", OrgKind::ALL, Some(o.kind), false),
            org("parent", o.parent, false),
            Field::text("reg_no", &o.reg_no, false),
            Field::text("address", &o.address, false),
            Field::text("contact_person", &o.contact_person, false),
            Field::text("phone", &o.phone, false),
            Field::text("email", &o.email, false),
            Field::flag("partner", o.partner),
            Field::date("agreement_date", o.agreement().and_then(|d| d.date), false),
            Field::text("agreement_no", o.agreement().map_or("", |d| d.number.as_str()), false),
            Field::new(
                "yearly_funding_eur",
                Kind::Money,
                o.yearly_funding_cents
                    .map(|c| format!("{}.{:02}", c / 100, c % 100))
                    .unwrap_or_default(),
            ),
            Field::text("notes", &o.notes, false),
        ],
        (AnyRecord::Event(e), _) => vec![
            Field::text("title", &e.title, true),
            Field::choice("format", EventFormat::ALL, Some(e.format), false),
            Field::choice("activity", Activity::ALL, Some(e.activity), false),
            Field::new(
                "start",
                Kind::DateTime,
                if e.id.0 == 0 {
                    String::new()
                } else {
                    datetime_text(e.start)
                },
            ),
            Field::new(
                "end",
                Kind::EndTime,
                if e.id.0 == 0 {
                    String::new()
                } else if e.end.date() == e.start.date() {
                    e.end.format("%H:%M").to_string()
                } else {
                    datetime_text(e.end)
                },
            ),
            Field::new("hours", Kind::Hours { optional: false }, e.hours.to_string()),
            Field::text("place", &e.place, false),
            Field::flag("online", e.online),
            org("organiser", e.organiser, false),
            Field::multi("target_groups", Role::ALL, &e.target_groups),
            Field::new(
                "capacity",
                Kind::Number,
                e.capacity.map(|c| c.to_string()).unwrap_or_default(),
            ),
            Field::choice("status", EventStatus::ALL, Some(e.status), false),
            Field::text("notes", &e.notes, false),
        ],
        (AnyRecord::Participant(p), Purpose::WalkIn(_)) => vec![
            Field::text("given_name", &p.given_name, true),
            Field::text("surname", &p.surname, true),
            org("institution", p.institution, false),
            Field::choice("role", Role::ALL, Some(p.role), false),
            Field::text("email", &p.email, false),
        ],
        (AnyRecord::Participant(p), _) => vec![
            Field::text("given_name", &p.given_name, true),
            Field::text("surname", &p.surname, true),
            org("institution", p.institution, false),
            Field::choice("role", Role::ALL, Some(p.role), false),
            Field::text("email", &p.email, false),
            Field::text("phone", &p.phone, false),
            Field::choice("gender", Gender::ALL, p.gender, true),
            Field::text("subjects", &p.subjects.join(", "), false),
            Field::text("notes", &p.notes, false),
        ],
        (AnyRecord::Attendance(a), _) => vec![
            Field::reference("event", Table::Event, Some(a.event.0).filter(|e| *e != 0), true, m),
            Field::reference(
                "participant",
                Table::Participant,
                Some(a.participant.0).filter(|p| *p != 0),
                true,
                m,
            ),
            Field::choice("status", AttendanceStatus::ALL, Some(a.status), false),
            Field::new(
                "hours",
                Kind::Hours { optional: true },
                a.hours.map(|h| h.to_string()).unwrap_or_default(),
            ),
        ],
        (AnyRecord::Indicator(i), _) => {
            let mut v = vec![
                Field::text("code", &i.code, true),
                Field::text("title", &i.title, true),
                Field::choice("unit", Unit::ALL, Some(i.unit), false),
                Field::new("baseline", Kind::Decimal, number_text(i.baseline)),
                // A new indicator's target starts empty (typing into "0" would give "0100").
                Field::new(
                    "target",
                    Kind::Decimal,
                    if i.id.0 == 0 {
                        String::new()
                    } else {
                        number_text(i.target)
                    },
                ),
                Field::date("deadline", i.deadline, false),
            ];
            let scope = match &i.definition {
                Definition::Coverage(s) | Definition::Regularity(s) => Some(s),
                Definition::Milestone { scope, done } => {
                    v.push(Field::date("done", *done, false));
                    scope.as_ref()
                }
                Definition::Count { table, filter } => {
                    let options: Vec<Opt> = [Table::Participant, Table::Event, Table::Organisation]
                        .iter()
                        .map(|t| {
                            let (en, lv) = t.pair();
                            Opt {
                                code: t.plural().to_string(),
                                label: t.label(),
                                other: if t.label() == en { lv } else { en },
                            }
                        })
                        .collect();
                    let mut of = Field::new("of", Kind::Choice { options, none: false }, "");
                    of.choice = match table {
                        Table::Event => 1,
                        Table::Organisation => 2,
                        _ => 0,
                    };
                    v.push(of);
                    v.push(Field::text("filter", filter, false));
                    None
                }
                _ => None,
            };
            if let Some(s) = scope {
                v.extend([
                    Field::multi("org_kinds", OrgKind::ALL, &s.org_kinds),
                    Field::multi("roles", Role::ALL, &s.roles),
                    Field::multi("except_roles", Role::ALL, &s.except_roles),
                    Field::multi("formats", EventFormat::ALL, &s.formats),
                    Field::multi("activities", Activity::ALL, &s.activities),
                    Field::text("programme", &s.programme, false),
                    Field::date("from", s.from, false),
                    Field::date("to", s.to, false),
                    Field::flag("share", s.share),
                ]);
            }
            v.push(Field::text("notes", &i.notes, false));
            v
        }
    }
}

fn number_text(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        v.to_string()
    }
}

/// Builds the record from the fields (`None` if a field could not be read at all).
fn build_record(r: &mut Reader<'_>) -> Option<AnyRecord> {
    let original = r.form.original.clone();
    let purpose = r.form.purpose.clone();
    Some(match (original, purpose) {
        (AnyRecord::Indicator(mut i), Purpose::ManualValue) => {
            let date = r.date("date");
            let value = r.decimal("value");
            let note = r.text("note");
            i.values.push(ManualValue {
                date: date?,
                value,
                note,
            });
            i.values.sort_by_key(|v| v.date);
            AnyRecord::Indicator(i)
        }
        (AnyRecord::Organisation(mut o), _) => {
            o.name = r.text("name");
            o.short_name = r.text("short_name");
            o.kind = r.choice("kind", OrgKind::from_code).unwrap_or(o.kind);
            o.parent = r.reference("parent").map(OrgId);
            o.reg_no = r.text("reg_no");
            o.address = r.text("address");
            o.contact_person = r.text("contact_person");
            o.phone = r.text("phone");
            o.email = r.text("email");
            o.partner = r.flag("partner");
            let (no, date) = (r.text("agreement_no"), r.date("agreement_date"));
            o.set_agreement(no, date);
            o.yearly_funding_cents = r.money("yearly_funding_eur");
            o.notes = r.text("notes");
            AnyRecord::Organisation(o)
        }
        (AnyRecord::Event(mut e), _) => {
            e.title = r.text("title");
            e.format = r.choice("format", EventFormat::from_code).unwrap_or(e.format);
            e.activity = r.choice("activity", Activity::from_code).unwrap_or(e.activity);
            let start = r.datetime("start");
            let end = r.end_time("end", start.map(|s| s.date()));
            e.hours = r.hours("hours").unwrap_or(e.hours);
            e.place = r.text("place");
            e.online = r.flag("online");
            e.organiser = r.reference("organiser").map(OrgId);
            e.target_groups = r.multi("target_groups", Role::from_code);
            e.capacity = r.number("capacity");
            e.status = r.choice("status", EventStatus::from_code).unwrap_or(e.status);
            e.notes = r.text("notes");
            e.start = start?;
            e.end = end?;
            AnyRecord::Event(e)
        }
        (AnyRecord::Participant(mut p), purpose) => {
            p.given_name = r.text("given_name");
            p.surname = r.text("surname");
            p.institution = r.reference("institution").map(OrgId);
            p.role = r.choice("role", Role::from_code).unwrap_or(p.role);
            p.email = r.text("email");
            if purpose == Purpose::Record {
                p.phone = r.text("phone");
                p.gender = r.choice("gender", Gender::from_code);
                p.subjects = r
                    .raw("subjects")
                    .split([',', ';'])
                    .map(crate::domain::clean)
                    .filter(|s| !s.is_empty())
                    .collect();
                p.notes = r.text("notes");
            }
            AnyRecord::Participant(p)
        }
        (AnyRecord::Attendance(mut a), _) => {
            let event = r.reference("event");
            let person = r.reference("participant");
            a.status = r.choice("status", AttendanceStatus::from_code).unwrap_or(a.status);
            a.hours = r.hours("hours");
            a.event = EventId(event?);
            a.participant = ParticipantId(person?);
            AnyRecord::Attendance(a)
        }
        (AnyRecord::Indicator(mut i), _) => {
            i.code = r.text("code");
            i.title = r.text("title");
            i.unit = r.choice("unit", Unit::from_code).unwrap_or(i.unit);
            i.baseline = r.decimal("baseline");
            i.target = r.decimal("target");
            i.deadline = r.date("deadline");
            let read_scope = |r: &mut Reader<'_>, s: &mut Scope| {
                s.org_kinds = r.multi("org_kinds", OrgKind::from_code);
                s.roles = r.multi("roles", Role::from_code);
                s.except_roles = r.multi("except_roles", Role::from_code);
                s.formats = r.multi("formats", EventFormat::from_code);
                s.activities = r.multi("activities", Activity::from_code);
                s.programme = r.text("programme");
                s.from = r.date("from");
                s.to = r.date("to");
                s.share = r.flag("share");
            };
            match &mut i.definition {
                Definition::Coverage(s) | Definition::Regularity(s) => read_scope(r, s),
                Definition::Milestone { scope, done } => {
                    *done = r.date("done");
                    if let Some(s) = scope {
                        read_scope(r, s);
                    }
                }
                Definition::Count { table, filter } => {
                    *table = r
                        .choice("of", |code| Table::ALL.into_iter().find(|t| t.plural() == code))
                        .unwrap_or(*table);
                    *filter = r.text("filter");
                    // The filter language of the lists: an expression that does not parse
                    // would count nothing, so it is refused here with the parser's reason.
                    if let Err(e) = crate::search::filter::Filter::parse(filter, *table, r.m) {
                        r.fail("filter", e.to_string());
                    }
                }
                _ => {}
            }
            i.notes = r.text("notes");
            AnyRecord::Indicator(i)
        }
    })
}

/// The kinds of indicator definition a new indicator can have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefinitionKind {
    Coverage,
    Regularity,
    Milestone,
    Count,
    Manual,
}

impl DefinitionKind {
    pub const ALL: [DefinitionKind; 5] = [
        DefinitionKind::Coverage,
        DefinitionKind::Regularity,
        DefinitionKind::Milestone,
        DefinitionKind::Count,
        DefinitionKind::Manual,
    ];
    /// The word typed in the palette (`new indicator count`).
    pub fn code(self) -> &'static str {
        match self {
            DefinitionKind::Coverage => "coverage",
            DefinitionKind::Regularity => "regularity",
            DefinitionKind::Milestone => "milestone",
            DefinitionKind::Count => "count",
            DefinitionKind::Manual => "manual",
        }
    }
    /// What such an indicator measures, in the interface's language.
    pub fn describe(self) -> &'static str {
        t(match self {
            DefinitionKind::Coverage => M::NewCoverage,
            DefinitionKind::Regularity => M::NewRegularity,
            DefinitionKind::Milestone => M::NewMilestone,
            DefinitionKind::Count => M::NewCount,
            DefinitionKind::Manual => M::NewManual,
        })
    }
}

/// A new indicator with an empty definition of `kind`.
pub fn blank_indicator(kind: DefinitionKind) -> AnyRecord {
    let scope = Scope {
        share: true,
        ..Scope::default()
    };
    let (unit, definition) = match kind {
        DefinitionKind::Coverage => (Unit::Percent, Definition::Coverage(scope)),
        DefinitionKind::Regularity => (Unit::Percent, Definition::Regularity(scope)),
        DefinitionKind::Milestone => (
            Unit::Milestone,
            Definition::Milestone {
                scope: Some(Scope::default()),
                done: None,
            },
        ),
        DefinitionKind::Count => (
            Unit::Count,
            Definition::Count {
                table: Table::Participant,
                filter: Text::default(),
            },
        ),
        DefinitionKind::Manual => (Unit::Count, Definition::Manual),
    };
    let AnyRecord::Indicator(mut i) = blank(Table::Indicator, None, NaiveDate::MIN) else {
        return blank(Table::Indicator, None, NaiveDate::MIN);
    };
    i.unit = unit;
    i.definition = definition;
    AnyRecord::Indicator(i)
}

/// The defaults of a new record of `table` (an attendance row at `event`, when given).
pub fn blank(table: Table, event: Option<EventId>, today: NaiveDate) -> AnyRecord {
    let nine = today.and_hms_opt(10, 0, 0).unwrap_or_default();
    match table {
        Table::Organisation => AnyRecord::Organisation(Organisation::new("", OrgKind::School)),
        Table::Event => AnyRecord::Event(Event::new("", EventFormat::Seminar, nine, nine, Hours(40))),
        Table::Participant => AnyRecord::Participant(Participant::new("", "", Role::Teacher, None)),
        Table::Attendance => AnyRecord::Attendance(Attendance::new(
            event.unwrap_or(EventId(0)),
            ParticipantId(0),
            AttendanceStatus::Registered,
        )),
        Table::Indicator => AnyRecord::Indicator(Indicator {
            id: crate::domain::IndicatorId(0),
            code: Text::default(),
            title: Text::default(),
            unit: Unit::Count,
            baseline: 0.0,
            target: 0.0,
            deadline: None,
            definition: Definition::Manual,
            values: Vec::new(),
            notes: Text::default(),
            meta: crate::domain::Meta::unsaved(),
            basis: crate::domain::Basis::default(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, set_thread_lang};

    fn sample() -> Model {
        crate::io::sample::test_model("ilze")
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).expect("date")
    }

    /// Fills a new form of `table` with `values` (field code, typed text) and builds it:
    /// the record, or each bad field with its message.
    fn fill(m: &Model, table: Table, values: &[(&str, &str)]) -> Result<AnyRecord, Vec<(&'static str, String)>> {
        let mut form = Form::new(m, blank(table, None, today()), Purpose::Record, today());
        for (code, text) in values {
            assert!(form.field(code).is_some(), "{table:?} has a field {code}");
            form.prefill(code, text);
        }
        form.build(m).ok_or_else(|| {
            let mut bad: Vec<(&'static str, String)> = form
                .fields
                .iter()
                .filter_map(|f| Some((f.code, f.error.clone()?)))
                .collect();
            if let Some(msg) = form.message.clone() {
                bad.push(("", msg));
            }
            bad
        })
    }

    #[test]
    fn validation_cases() {
        set_thread_lang(Lang::En);
        let m = sample();
        use Table::*;
        // (table, typed values, the field that must be refused and a word of its message,
        // or "" when the record must build).
        type Case<'a> = (Table, &'a [(&'a str, &'a str)], &'a str, &'a str);
        let cases: &[Case<'_>] = &[
            (Participant, &[("given_name", "Anna"), ("surname", "Ozola")], "", ""),
            (
                Participant,
                &[("given_name", ""), ("surname", "Ozola")],
                "given_name",
                "required",
            ),
            (
                Participant,
                &[("given_name", "  "), ("surname", "Ozola")],
                "given_name",
                "required",
            ),
            (
                Participant,
                &[("given_name", "\u{1b}[31m"), ("surname", "Ozola")],
                "",
                "",
            ),
            (
                Participant,
                &[("given_name", "A"), ("surname", "B"), ("email", "a@b")],
                "email",
                "email",
            ),
            (
                Participant,
                &[("given_name", "A"), ("surname", "B"), ("phone", "12")],
                "phone",
                "phone",
            ),
            (
                Participant,
                &[("given_name", "A"), ("surname", "B"), ("institution", "zzzzqqq")],
                "institution",
                "no such",
            ),
            (
                Participant,
                &[
                    ("given_name", "A"),
                    ("surname", "B"),
                    ("institution", "cēsu 1. pamatskola"),
                ],
                "",
                "",
            ),
            (
                Event,
                &[("title", "S"), ("start", "14.03. 9:30"), ("end", "13:00")],
                "",
                "",
            ),
            (
                Event,
                &[("title", "S"), ("start", "today 9:30"), ("end", "+1d 12:00")],
                "",
                "",
            ),
            (
                Event,
                &[("title", "S"), ("start", "14.03."), ("end", "13:00")],
                "start",
                "date and a time",
            ),
            (
                Event,
                &[("title", "S"), ("start", "14.03. 9:30"), ("end", "8:00")],
                "end",
                "before the start",
            ),
            (
                Event,
                &[("title", "S"), ("start", "14.03. 9:30"), ("end", "25:00")],
                "end",
                "time",
            ),
            (
                Event,
                &[("title", "S"), ("start", "31.02. 9:30"), ("end", "10:00")],
                "start",
                "date",
            ),
            (
                Event,
                &[
                    ("title", "S"),
                    ("start", "14.03. 9:30"),
                    ("end", "13:00"),
                    ("hours", "-2"),
                ],
                "hours",
                "0 or more",
            ),
            (
                Event,
                &[
                    ("title", "S"),
                    ("start", "14.03. 9:30"),
                    ("end", "13:00"),
                    ("hours", "4,5"),
                ],
                "",
                "",
            ),
            (
                Event,
                &[
                    ("title", "S"),
                    ("start", "14.03. 9:30"),
                    ("end", "13:00"),
                    ("capacity", "x"),
                ],
                "capacity",
                "number",
            ),
            (
                Event,
                &[
                    ("title", "S"),
                    ("start", "14.03. 9:30"),
                    ("end", "13:00"),
                    ("target_groups", "teacher, pilot"),
                ],
                "target_groups",
                "pilot",
            ),
            (
                Event,
                &[
                    ("title", "S"),
                    ("start", "14.03. 9:30"),
                    ("end", "13:00"),
                    ("target_groups", "pedagogs, leader"),
                ],
                "",
                "",
            ),
            (Organisation, &[("name", "Jauna skola")], "", ""),
            (Organisation, &[("name", "")], "name", "required"),
            (
                Organisation,
                &[("name", "X"), ("agreement_date", "soon")],
                "agreement_date",
                "date",
            ),
            (
                Organisation,
                &[("name", "X"), ("yearly_funding_eur", "lots")],
                "yearly_funding_eur",
                "euros",
            ),
            (
                Organisation,
                &[("name", "X"), ("yearly_funding_eur", "4 000,50")],
                "",
                "",
            ),
            (Attendance, &[("event", ""), ("participant", "")], "event", "required"),
        ];
        for (table, values, field, word) in cases {
            let got = fill(&m, *table, values);
            match (got, *field) {
                (Ok(_), "") => {}
                (Err(bad), "") => panic!("{table:?} {values:?} should build: {bad:?}"),
                (Ok(r), f) => panic!("{table:?} {values:?} should refuse {f}: built {r:?}"),
                (Err(bad), f) => assert!(
                    bad.iter().any(|(c, msg)| *c == f && msg.contains(word)),
                    "{table:?} {values:?}: want {f} '{word}', got {bad:?}"
                ),
            }
        }
    }

    #[test]
    fn references_match_words_then_letters_in_order() {
        let m = sample();
        let name = |id: u32| m.organisations.get(id).map(|o| o.name.to_string()).unwrap_or_default();
        let hits = ref_matches(&m, Table::Organisation, "cesu valsts", 5);
        assert!(name(hits[0]).starts_with("Cēsu Valsts"), "{}", name(hits[0]));
        let fuzzy = ref_matches(&m, Table::Organisation, "cesu vlsts", 5);
        assert!(fuzzy.iter().any(|id| name(*id).starts_with("Cēsu Valsts")), "{fuzzy:?}");
        assert!(ref_matches(&m, Table::Organisation, "qqqzzz", 5).is_empty());
        // Short names and acronyms, typed exactly, come first.
        let short = |id: u32| {
            m.organisations
                .get(id)
                .map(|o| o.short_name.to_string())
                .unwrap_or_default()
        };
        for (typed, want) in [
            ("viaa", "VIAA"),
            ("cesu vg", "Cēsu VĢ"),
            ("VĢ", "Cēsu VĢ"),
            ("saules skola", "SAULES SKOLA"),
            ("lnkc", "LNKC"),
        ] {
            let hits = ref_matches(&m, Table::Organisation, typed, 5);
            assert_eq!(hits.first().map(|id| short(*id)).as_deref(), Some(want), "{typed}");
        }
        assert!(exact_org(&m, Table::Organisation, "Cēsu VĢ").is_some());
        assert!(!ref_matches(&m, Table::Event, "seminars", 5).is_empty());
        assert!(!ref_matches(&m, Table::Participant, "berzins", 5).is_empty());
    }

    #[test]
    fn text_is_cleaned_and_values_land_in_the_record() {
        let m = sample();
        let r = fill(
            &m,
            Table::Participant,
            &[
                ("given_name", "Ja\u{0304}nis\u{7}"),
                ("surname", " Bērziņš "),
                ("subjects", "matemātika; fizika"),
            ],
        )
        .expect("builds");
        let AnyRecord::Participant(p) = r else {
            panic!("a participant")
        };
        assert_eq!(p.given_name, "Jānis", "NFC, control characters gone");
        assert_eq!(p.surname, "Bērziņš");
        assert_eq!(p.subjects, vec![Text::from("matemātika"), Text::from("fizika")]);
        let r = fill(
            &m,
            Table::Event,
            &[
                ("title", "S"),
                ("start", "14.03.2025 9:30"),
                ("end", "15.03.2025 13:00"),
                ("hours", "12"),
            ],
        )
        .expect("builds");
        let AnyRecord::Event(e) = r else { panic!("an event") };
        assert_eq!(
            (e.start.to_string().as_str(), e.end.to_string().as_str()),
            ("2025-03-14 09:30:00", "2025-03-15 13:00:00")
        );
        assert_eq!(e.hours, Hours(120));
    }

    #[test]
    fn a_count_indicator_refuses_a_filter_that_does_not_parse() {
        set_thread_lang(Lang::En);
        let m = sample();
        let mut ind = match blank(Table::Indicator, None, today()) {
            AnyRecord::Indicator(i) => i,
            _ => unreachable!("blank indicator"),
        };
        ind.code = "X".into();
        ind.title = "Metodiķi".into();
        ind.definition = Definition::Count {
            table: Table::Participant,
            filter: "role:metodiķis".into(),
        };
        let mut form = Form::new(&m, AnyRecord::Indicator(ind), Purpose::Record, today());
        form.prefill("target", "20");
        assert!(form.build(&m).is_some(), "a valid filter builds");
        form.prefill("filter", "colour:blue");
        assert!(form.build(&m).is_none());
        let err = form.field("filter").and_then(|f| f.error.clone()).unwrap_or_default();
        assert!(err.contains("colour"), "{err}");
    }
}
