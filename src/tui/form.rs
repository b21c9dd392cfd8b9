//! Forms for adding and editing records: typed fields (text, dates, times, hours, numbers,
//! choices, references picked by fuzzy search), their parsing into a record with inline
//! messages, and which fields each kind of record has. Nothing here writes: the App saves
//! the record the form builds through the Command seam.

use super::input::LineInput;
use super::keymap::Action;
use crate::domain::Field as F;
use crate::domain::{
    Activity, AnyRecord, AttendanceStatus, Definition, EventFormat, EventId, EventStatus, Gender, Hours, ManualValue,
    OrgId, OrgKind, ParticipantId, Role, Scope, Table, Text, Unit,
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
    /// The record field it edits (validation errors name it).
    pub code: F,
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
    fn new(code: F, kind: Kind, text: impl Into<String>) -> Field {
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
    fn text(code: F, v: &str, required: bool) -> Field {
        Field::new(code, Kind::Text { required }, v)
    }
    fn date(code: F, v: Option<NaiveDate>, required: bool) -> Field {
        Field::new(code, Kind::Date { required }, v.map(date_text).unwrap_or_default())
    }
    /// A choice of `all`; `none` offers "—" (no value) first.
    fn choice<T: Label + std::fmt::Display + PartialEq + Copy>(code: F, all: &[T], v: Option<T>, none: bool) -> Field {
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
    fn flag(code: F, v: bool) -> Field {
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
    fn multi<T: Label + std::fmt::Display>(code: F, all: &[T], v: &[T]) -> Field {
        let text: Vec<&str> = v.iter().map(|x| x.label()).collect();
        Field::new(code, Kind::Multi(opts(all)), text.join(", "))
    }
    fn reference(code: F, table: Table, id: Option<u32>, required: bool, m: &Model) -> Field {
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
    /// A manual indicator's value entered by hand: a new one, or (prefilled) the one at this
    /// index of its values, which saving replaces.
    ManualValue(Option<usize>),
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
        let text = |code: F| self.field(code).map(|fl| fl.input.text().trim().to_string());
        let (Some(start), Some(end)) = (text(F::Start), text(F::End)) else {
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
            self.prefill(F::Hours, &h.to_string());
        }
    }

    /// Whether this form adds a record (rather than editing one).
    pub fn is_new(&self) -> bool {
        self.original.raw_id() == 0 || self.purpose == Purpose::ManualValue(None)
    }

    /// The form's title: "New participant", "Edit event"...
    pub fn title(&self) -> String {
        let what = i18n::record_name(self.original.table());
        match self.purpose {
            Purpose::ManualValue(edited) => value_form_title(&self.original, edited),
            Purpose::WalkIn(_) => t(M::FormWalkIn).to_string(),
            Purpose::Record if self.is_new() => f(M::FormNew, &[&what]),
            Purpose::Record => f(M::FormEdit, &[&what]),
        }
    }

    pub fn field(&self, code: F) -> Option<&Field> {
        self.fields.iter().find(|fl| fl.code == code)
    }

    fn field_mut(&mut self, code: F) -> Option<&mut Field> {
        self.fields.iter_mut().find(|fl| fl.code == code)
    }

    /// Puts text into a field as if typed (walk-ins start from what was typed at the desk).
    pub fn prefill(&mut self, code: F, text: &str) {
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
                    fl.selected = super::select::step(fl.selected, 1, fl.matches.len());
                    return false;
                }
                Some(Action::MoveUp) => {
                    fl.selected = super::select::step(fl.selected, -1, fl.matches.len());
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
            if matches!(fl.code, F::GivenName | F::Surname | F::Email | F::Institution) {
                self.duplicates_seen = false;
            }
            match fl.code {
                F::Hours => self.hours_follow = false,
                F::Start | F::End => self.follow_times(),
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
            match self.field_mut(e.field) {
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
    fn fail(&mut self, code: F, msg: String) {
        self.bad = true;
        if let Some(fl) = self.form.field_mut(code) {
            fl.error = Some(msg);
        }
    }
    fn raw(&self, code: F) -> String {
        self.form
            .field(code)
            .map(|fl| fl.input.text().trim().to_string())
            .unwrap_or_default()
    }
    fn text(&mut self, code: F) -> Text {
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
    fn date(&mut self, code: F) -> Option<NaiveDate> {
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
    fn datetime(&mut self, code: F) -> Option<NaiveDateTime> {
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
    fn end_time(&mut self, code: F, day: Option<NaiveDate>) -> Option<NaiveDateTime> {
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
    fn hours(&mut self, code: F) -> Option<Hours> {
        let s = self.raw(code);
        match parse::hours(code.code(), &s) {
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
    fn number(&mut self, code: F) -> Option<u32> {
        let s = self.raw(code);
        parse::number(code.code(), &s).unwrap_or_else(|_| {
            self.fail(code, t(M::FormBadNumber).to_string());
            None
        })
    }
    fn decimal(&mut self, code: F) -> f64 {
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
    fn money(&mut self, code: F) -> Option<i64> {
        let s = self.raw(code);
        parse::euro_cents(code.code(), &s).unwrap_or_else(|_| {
            self.fail(code, t(M::FormBadMoney).to_string());
            None
        })
    }
    fn choice<T>(&mut self, code: F, from: impl Fn(&str) -> Option<T>) -> Option<T> {
        self.form.field(code).and_then(Field::choice_code).and_then(from)
    }
    fn flag(&mut self, code: F) -> bool {
        self.form.field(code).and_then(Field::choice_code) == Some("true")
    }
    fn multi<T>(&mut self, code: F, from: impl Fn(&str) -> Option<T>) -> Vec<T> {
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
    fn reference(&mut self, code: F) -> Option<u32> {
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
        (AnyRecord::Indicator(i), Purpose::ManualValue(edited)) => {
            let v = edited.and_then(|ix| i.values.get(ix));
            vec![
                Field::date(F::Date, v.map(|v| v.date), true),
                Field::new(
                    F::Value,
                    Kind::Decimal,
                    v.map(|v| super::values::exact(v.value)).unwrap_or_default(),
                ),
                Field::text(F::Note, v.map_or("", |v| v.note.as_str()), false),
            ]
        }
        (AnyRecord::Organisation(o), _) => vec![
            Field::text(F::Name, &o.name, true),
            Field::text(F::ShortName, &o.short_name, false),
            Field::choice(F::Kind, OrgKind::ALL, Some(o.kind), false),
            org(F::Parent, o.parent, false),
            Field::text(F::RegNo, &o.reg_no, false),
            Field::text(F::Address, &o.address, false),
            Field::text(F::ContactPerson, &o.contact_person, false),
            Field::text(F::Phone, &o.phone, false),
            Field::text(F::Email, &o.email, false),
            Field::flag(F::Partner, o.partner),
            Field::date(F::AgreementDate, o.agreement().and_then(|d| d.date), false),
            Field::text(F::AgreementNo, o.agreement().map_or("", |d| d.number.as_str()), false),
            Field::new(
                F::YearlyFundingEur,
                Kind::Money,
                o.yearly_funding_cents
                    .map(|c| format!("{}.{:02}", c / 100, c % 100))
                    .unwrap_or_default(),
            ),
            Field::text(F::Notes, &o.notes, false),
        ],
        (AnyRecord::Event(e), _) => vec![
            Field::text(F::Title, &e.title, true),
            Field::choice(F::Format, EventFormat::ALL, Some(e.format), false),
            Field::choice(F::Activity, Activity::ALL, Some(e.activity), false),
            Field::new(
                F::Start,
                Kind::DateTime,
                if e.id.0 == 0 {
                    String::new()
                } else {
                    datetime_text(e.start)
                },
            ),
            Field::new(
                F::End,
                Kind::EndTime,
                if e.id.0 == 0 {
                    String::new()
                } else if e.end.date() == e.start.date() {
                    e.end.format("%H:%M").to_string()
                } else {
                    datetime_text(e.end)
                },
            ),
            Field::new(F::Hours, Kind::Hours { optional: false }, e.hours.to_string()),
            Field::text(F::Place, &e.place, false),
            Field::flag(F::Online, e.online),
            org(F::Organiser, e.organiser, false),
            Field::multi(F::TargetGroups, Role::ALL, &e.target_groups),
            Field::new(
                F::Capacity,
                Kind::Number,
                e.capacity.map(|c| c.to_string()).unwrap_or_default(),
            ),
            Field::choice(F::Status, EventStatus::ALL, Some(e.status), false),
            Field::text(F::Notes, &e.notes, false),
        ],
        (AnyRecord::Participant(p), Purpose::WalkIn(_)) => vec![
            Field::text(F::GivenName, &p.given_name, true),
            Field::text(F::Surname, &p.surname, true),
            org(F::Institution, p.institution, false),
            Field::choice(F::Role, Role::ALL, Some(p.role), false),
            Field::text(F::Email, &p.email, false),
        ],
        (AnyRecord::Participant(p), _) => vec![
            Field::text(F::GivenName, &p.given_name, true),
            Field::text(F::Surname, &p.surname, true),
            org(F::Institution, p.institution, false),
            Field::choice(F::Role, Role::ALL, Some(p.role), false),
            Field::text(F::Email, &p.email, false),
            Field::text(F::Phone, &p.phone, false),
            Field::choice(F::Gender, Gender::ALL, p.gender, true),
            Field::text(F::Subjects, &p.subjects.join(", "), false),
            Field::text(F::Notes, &p.notes, false),
        ],
        (AnyRecord::Attendance(a), _) => vec![
            Field::reference(F::Event, Table::Event, Some(a.event.0).filter(|e| *e != 0), true, m),
            Field::reference(
                F::Participant,
                Table::Participant,
                Some(a.participant.0).filter(|p| *p != 0),
                true,
                m,
            ),
            Field::choice(F::Status, AttendanceStatus::ALL, Some(a.status), false),
            Field::new(
                F::Hours,
                Kind::Hours { optional: true },
                a.hours.map(|h| h.to_string()).unwrap_or_default(),
            ),
        ],
        (AnyRecord::Indicator(i), _) => {
            let mut v = vec![
                Field::text(F::Code, &i.code, true),
                Field::text(F::Title, &i.title, true),
                Field::choice(F::Unit, Unit::ALL, Some(i.unit), false),
                Field::new(F::Baseline, Kind::Decimal, number_text(i.baseline)),
                // A new indicator's target starts empty (typing into "0" would give "0100").
                Field::new(
                    F::Target,
                    Kind::Decimal,
                    if i.id.0 == 0 {
                        String::new()
                    } else {
                        number_text(i.target)
                    },
                ),
                Field::date(F::Deadline, i.deadline, false),
            ];
            let scope = match &i.definition {
                Definition::Coverage(s) | Definition::Regularity(s) => Some(s),
                Definition::Milestone { scope, done } => {
                    v.push(Field::date(F::Done, *done, false));
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
                    let mut of = Field::new(F::Of, Kind::Choice { options, none: false }, "");
                    of.choice = match table {
                        Table::Event => 1,
                        Table::Organisation => 2,
                        _ => 0,
                    };
                    v.push(of);
                    v.push(Field::text(F::Filter, filter, false));
                    None
                }
                _ => None,
            };
            if let Some(s) = scope {
                v.extend([
                    Field::multi(F::OrgKinds, OrgKind::ALL, &s.org_kinds),
                    Field::multi(F::Roles, Role::ALL, &s.roles),
                    Field::multi(F::ExceptRoles, Role::ALL, &s.except_roles),
                    Field::multi(F::Formats, EventFormat::ALL, &s.formats),
                    Field::multi(F::Activities, Activity::ALL, &s.activities),
                    Field::text(F::Programme, &s.programme, false),
                    Field::date(F::From, s.from, false),
                    Field::date(F::To, s.to, false),
                    Field::flag(F::Share, s.share),
                ]);
            }
            v.push(Field::text(F::Notes, &i.notes, false));
            v
        }
    }
}

/// "New value of indicator 4", "Edit the value 12 of 2026-10-01 (indicator 4)".
fn value_form_title(r: &AnyRecord, edited: Option<usize>) -> String {
    let AnyRecord::Indicator(i) = r else {
        return t(M::FormManualValue).to_string();
    };
    match edited.and_then(|ix| i.values.get(ix)) {
        Some(v) => f(M::ValFormEdit, &[&super::values::value_text(v), &i.code]),
        None => f(M::ValFormNew, &[&i.code]),
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
        (AnyRecord::Indicator(mut i), Purpose::ManualValue(edited)) => {
            let date = r.date(F::Date);
            let value = r.decimal(F::Value);
            // A count of things (materials, institutions) is a whole number.
            if i.unit == Unit::Count && value.fract() != 0.0 {
                r.fail(F::Value, f(M::ValWhole, &[&r.raw(F::Value)]));
            }
            let note = r.text(F::Note);
            let v = ManualValue {
                date: date?,
                value,
                note,
            };
            match edited.filter(|ix| *ix < i.values.len()) {
                Some(ix) => i.values[ix] = v,
                None => i.values.push(v),
            }
            i.values.sort_by_key(|v| v.date);
            AnyRecord::Indicator(i)
        }
        (AnyRecord::Organisation(mut o), _) => {
            o.name = r.text(F::Name);
            o.short_name = r.text(F::ShortName);
            o.kind = r.choice(F::Kind, OrgKind::from_code).unwrap_or(o.kind);
            o.parent = r.reference(F::Parent).map(OrgId);
            o.reg_no = r.text(F::RegNo);
            o.address = r.text(F::Address);
            o.contact_person = r.text(F::ContactPerson);
            o.phone = r.text(F::Phone);
            o.email = r.text(F::Email);
            o.partner = r.flag(F::Partner);
            let (no, date) = (r.text(F::AgreementNo), r.date(F::AgreementDate));
            o.set_agreement(no, date);
            o.yearly_funding_cents = r.money(F::YearlyFundingEur);
            o.notes = r.text(F::Notes);
            AnyRecord::Organisation(o)
        }
        (AnyRecord::Event(mut e), _) => {
            e.title = r.text(F::Title);
            e.format = r.choice(F::Format, EventFormat::from_code).unwrap_or(e.format);
            e.activity = r.choice(F::Activity, Activity::from_code).unwrap_or(e.activity);
            let start = r.datetime(F::Start);
            let end = r.end_time(F::End, start.map(|s| s.date()));
            e.hours = r.hours(F::Hours).unwrap_or(e.hours);
            e.place = r.text(F::Place);
            e.online = r.flag(F::Online);
            e.organiser = r.reference(F::Organiser).map(OrgId);
            e.target_groups = r.multi(F::TargetGroups, Role::from_code);
            e.capacity = r.number(F::Capacity);
            e.status = r.choice(F::Status, EventStatus::from_code).unwrap_or(e.status);
            e.notes = r.text(F::Notes);
            e.start = start?;
            e.end = end?;
            AnyRecord::Event(e)
        }
        (AnyRecord::Participant(mut p), purpose) => {
            p.given_name = r.text(F::GivenName);
            p.surname = r.text(F::Surname);
            p.institution = r.reference(F::Institution).map(OrgId);
            p.role = r.choice(F::Role, Role::from_code).unwrap_or(p.role);
            p.email = r.text(F::Email);
            if purpose == Purpose::Record {
                p.phone = r.text(F::Phone);
                p.gender = r.choice(F::Gender, Gender::from_code);
                p.subjects = r
                    .raw(F::Subjects)
                    .split([',', ';'])
                    .map(crate::domain::clean)
                    .filter(|s| !s.is_empty())
                    .collect();
                p.notes = r.text(F::Notes);
            }
            AnyRecord::Participant(p)
        }
        (AnyRecord::Attendance(mut a), _) => {
            let event = r.reference(F::Event);
            let person = r.reference(F::Participant);
            a.status = r.choice(F::Status, AttendanceStatus::from_code).unwrap_or(a.status);
            a.hours = r.hours(F::Hours);
            a.event = EventId(event?);
            a.participant = ParticipantId(person?);
            AnyRecord::Attendance(a)
        }
        (AnyRecord::Indicator(mut i), _) => {
            i.code = r.text(F::Code);
            i.title = r.text(F::Title);
            i.unit = r.choice(F::Unit, Unit::from_code).unwrap_or(i.unit);
            i.baseline = r.decimal(F::Baseline);
            i.target = r.decimal(F::Target);
            i.deadline = r.date(F::Deadline);
            let read_scope = |r: &mut Reader<'_>, s: &mut Scope| {
                s.org_kinds = r.multi(F::OrgKinds, OrgKind::from_code);
                s.roles = r.multi(F::Roles, Role::from_code);
                s.except_roles = r.multi(F::ExceptRoles, Role::from_code);
                s.formats = r.multi(F::Formats, EventFormat::from_code);
                s.activities = r.multi(F::Activities, Activity::from_code);
                s.programme = r.text(F::Programme);
                s.from = r.date(F::From);
                s.to = r.date(F::To);
                s.share = r.flag(F::Share);
            };
            match &mut i.definition {
                Definition::Coverage(s) | Definition::Regularity(s) => read_scope(r, s),
                Definition::Milestone { scope, done } => {
                    *done = r.date(F::Done);
                    if let Some(s) = scope {
                        read_scope(r, s);
                    }
                }
                Definition::Count { table, filter } => {
                    *table = r
                        .choice(F::Of, |code| Table::ALL.into_iter().find(|t| t.plural() == code))
                        .unwrap_or(*table);
                    *filter = r.text(F::Filter);
                    // The filter language of the lists: an expression that does not parse
                    // would count nothing, so it is refused here with the parser's reason.
                    if let Err(e) = crate::search::filter::Filter::parse(filter, *table, r.m) {
                        r.fail(F::Filter, e.to_string());
                    }
                }
                _ => {}
            }
            i.notes = r.text(F::Notes);
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
    let AnyRecord::Indicator(mut i) = AnyRecord::blank(Table::Indicator, None, NaiveDate::MIN) else {
        return AnyRecord::blank(Table::Indicator, None, NaiveDate::MIN);
    };
    i.unit = unit;
    i.definition = definition;
    AnyRecord::Indicator(i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Indicator;
    use crate::i18n::{Lang, set_thread_lang};

    fn sample() -> Model {
        crate::io::sample::test_model("ilze")
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).expect("date")
    }

    /// Fills a new form of `table` with `values` (field, typed text) and builds it:
    /// the record, or each bad field with its message.
    /// The form's own message (not tied to a field) comes with `None`.
    fn fill(m: &Model, table: Table, values: &[(F, &str)]) -> Result<AnyRecord, Vec<(Option<F>, String)>> {
        let mut form = Form::new(m, AnyRecord::blank(table, None, today()), Purpose::Record, today());
        for (code, text) in values {
            assert!(form.field(*code).is_some(), "{table:?} has a field {code}");
            form.prefill(*code, text);
        }
        form.build(m).ok_or_else(|| {
            let mut bad: Vec<(Option<F>, String)> = form
                .fields
                .iter()
                .filter_map(|f| Some((Some(f.code), f.error.clone()?)))
                .collect();
            if let Some(msg) = form.message.clone() {
                bad.push((None, msg));
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
        // or None when the record must build).
        type Case<'a> = (Table, &'a [(F, &'a str)], Option<F>, &'a str);
        let cases: &[Case<'_>] = &[
            (Participant, &[(F::GivenName, "Anna"), (F::Surname, "Ozola")], None, ""),
            (
                Participant,
                &[(F::GivenName, ""), (F::Surname, "Ozola")],
                Some(F::GivenName),
                "required",
            ),
            (
                Participant,
                &[(F::GivenName, "  "), (F::Surname, "Ozola")],
                Some(F::GivenName),
                "required",
            ),
            (
                Participant,
                &[(F::GivenName, "\u{1b}[31m"), (F::Surname, "Ozola")],
                None,
                "",
            ),
            (
                Participant,
                &[(F::GivenName, "A"), (F::Surname, "B"), (F::Email, "a@b")],
                Some(F::Email),
                "email",
            ),
            (
                Participant,
                &[(F::GivenName, "A"), (F::Surname, "B"), (F::Phone, "12")],
                Some(F::Phone),
                "phone",
            ),
            (
                Participant,
                &[(F::GivenName, "A"), (F::Surname, "B"), (F::Institution, "zzzzqqq")],
                Some(F::Institution),
                "no such",
            ),
            (
                Participant,
                &[
                    (F::GivenName, "A"),
                    (F::Surname, "B"),
                    (F::Institution, "cēsu 1. pamatskola"),
                ],
                None,
                "",
            ),
            (
                Event,
                &[(F::Title, "S"), (F::Start, "14.03. 9:30"), (F::End, "13:00")],
                None,
                "",
            ),
            (
                Event,
                &[(F::Title, "S"), (F::Start, "today 9:30"), (F::End, "+1d 12:00")],
                None,
                "",
            ),
            (
                Event,
                &[(F::Title, "S"), (F::Start, "14.03."), (F::End, "13:00")],
                Some(F::Start),
                "date and a time",
            ),
            (
                Event,
                &[(F::Title, "S"), (F::Start, "14.03. 9:30"), (F::End, "8:00")],
                Some(F::End),
                "before the start",
            ),
            (
                Event,
                &[(F::Title, "S"), (F::Start, "14.03. 9:30"), (F::End, "25:00")],
                Some(F::End),
                "time",
            ),
            (
                Event,
                &[(F::Title, "S"), (F::Start, "31.02. 9:30"), (F::End, "10:00")],
                Some(F::Start),
                "date",
            ),
            (
                Event,
                &[
                    (F::Title, "S"),
                    (F::Start, "14.03. 9:30"),
                    (F::End, "13:00"),
                    (F::Hours, "-2"),
                ],
                Some(F::Hours),
                "0 or more",
            ),
            (
                Event,
                &[
                    (F::Title, "S"),
                    (F::Start, "14.03. 9:30"),
                    (F::End, "13:00"),
                    (F::Hours, "4,5"),
                ],
                None,
                "",
            ),
            (
                Event,
                &[
                    (F::Title, "S"),
                    (F::Start, "14.03. 9:30"),
                    (F::End, "13:00"),
                    (F::Capacity, "x"),
                ],
                Some(F::Capacity),
                "number",
            ),
            (
                Event,
                &[
                    (F::Title, "S"),
                    (F::Start, "14.03. 9:30"),
                    (F::End, "13:00"),
                    (F::TargetGroups, "teacher, pilot"),
                ],
                Some(F::TargetGroups),
                "pilot",
            ),
            (
                Event,
                &[
                    (F::Title, "S"),
                    (F::Start, "14.03. 9:30"),
                    (F::End, "13:00"),
                    (F::TargetGroups, "pedagogs, leader"),
                ],
                None,
                "",
            ),
            (Organisation, &[(F::Name, "Jauna skola")], None, ""),
            (Organisation, &[(F::Name, "")], Some(F::Name), "required"),
            (
                Organisation,
                &[(F::Name, "X"), (F::AgreementDate, "soon")],
                Some(F::AgreementDate),
                "date",
            ),
            (
                Organisation,
                &[(F::Name, "X"), (F::YearlyFundingEur, "lots")],
                Some(F::YearlyFundingEur),
                "euros",
            ),
            (
                Organisation,
                &[(F::Name, "X"), (F::YearlyFundingEur, "4 000,50")],
                None,
                "",
            ),
            (
                Attendance,
                &[(F::Event, ""), (F::Participant, "")],
                Some(F::Event),
                "required",
            ),
        ];
        for (table, values, field, word) in cases {
            let got = fill(&m, *table, values);
            match (got, *field) {
                (Ok(_), None) => {}
                (Err(bad), None) => panic!("{table:?} {values:?} should build: {bad:?}"),
                (Ok(r), Some(f)) => panic!("{table:?} {values:?} should refuse {f}: built {r:?}"),
                (Err(bad), Some(f)) => assert!(
                    bad.iter().any(|(c, msg)| *c == Some(f) && msg.contains(word)),
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
                (F::GivenName, "Ja\u{0304}nis\u{7}"),
                (F::Surname, " Bērziņš "),
                (F::Subjects, "matemātika; fizika"),
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
                (F::Title, "S"),
                (F::Start, "14.03.2025 9:30"),
                (F::End, "15.03.2025 13:00"),
                (F::Hours, "12"),
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
        let mut ind = match AnyRecord::blank(Table::Indicator, None, today()) {
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
        form.prefill(F::Target, "20");
        assert!(form.build(&m).is_some(), "a valid filter builds");
        form.prefill(F::Filter, "colour:blue");
        assert!(form.build(&m).is_none());
        let err = form.field(F::Filter).and_then(|f| f.error.clone()).unwrap_or_default();
        assert!(err.contains("colour"), "{err}");
    }

    /// A manual indicator of `unit` with two values (oldest first).
    fn manual(unit: Unit) -> Indicator {
        let mut ind = match AnyRecord::blank(Table::Indicator, None, today()) {
            AnyRecord::Indicator(i) => i,
            _ => unreachable!("blank indicator"),
        };
        ind.code = "M".into();
        ind.title = "Materiāli".into();
        ind.unit = unit;
        ind.values = vec![
            ManualValue {
                date: NaiveDate::from_ymd_opt(2026, 6, 30).expect("date"),
                value: 7.0,
                note: "pirmā kārta".into(),
            },
            ManualValue {
                date: NaiveDate::from_ymd_opt(2026, 10, 1).expect("date"),
                value: 12.0,
                note: "otrā kārta".into(),
            },
        ];
        ind
    }

    #[test]
    fn a_count_takes_whole_numbers_only_and_a_share_takes_fractions() {
        let m = sample();
        for (lang, typed, said) in [
            (Lang::En, "12.5", "A count is a whole number: 12.5"),
            (Lang::Lv, "12,5", "Skaits ir vesels skaitlis: 12,5"),
        ] {
            set_thread_lang(lang);
            let ind = AnyRecord::Indicator(manual(Unit::Count));
            let mut form = Form::new(&m, ind, Purpose::ManualValue(None), today());
            form.prefill(F::Date, "01.11.2026");
            form.prefill(F::Value, typed);
            assert!(form.build(&m).is_none(), "{typed} saved as a count");
            let value = form.field(F::Value).expect("value field");
            assert_eq!(value.error.as_deref(), Some(said));
            assert_eq!(value.input.text(), typed, "what was typed stays");
            assert_eq!(form.fields[form.focus].code, F::Value, "the focus is on it");
        }
        set_thread_lang(Lang::En);
        let ind = AnyRecord::Indicator(manual(Unit::Percent));
        let mut form = Form::new(&m, ind, Purpose::ManualValue(None), today());
        form.prefill(F::Date, "01.11.2026");
        form.prefill(F::Value, "12.5");
        let Some(AnyRecord::Indicator(built)) = form.build(&m) else {
            panic!("a share takes 12.5");
        };
        assert_eq!(
            built.values.iter().map(|v| v.value).collect::<Vec<_>>(),
            [7.0, 12.0, 12.5]
        );
    }

    #[test]
    fn editing_a_value_prefills_it_and_replaces_only_it() {
        set_thread_lang(Lang::Lv);
        let m = sample();
        let ind = manual(Unit::Count);
        let mut form = Form::new(&m, AnyRecord::Indicator(ind), Purpose::ManualValue(Some(0)), today());
        let text = |form: &Form, code| form.field(code).map(|f| f.input.text().to_string());
        assert_eq!(text(&form, F::Date).as_deref(), Some("30.06.2026."));
        assert_eq!(text(&form, F::Value).as_deref(), Some("7"));
        assert_eq!(text(&form, F::Note).as_deref(), Some("pirmā kārta"));
        assert_eq!(form.title(), "Labot vērtību 7 (30.06.2026.) (rādītājs M)");
        // A later date moves it after the other value; nothing is added.
        form.prefill(F::Date, "02.10.2026");
        form.prefill(F::Value, "9");
        let Some(AnyRecord::Indicator(built)) = form.build(&m) else {
            panic!("builds: {:?}", form.fields.iter().map(|f| &f.error).collect::<Vec<_>>());
        };
        let got: Vec<(String, f64)> = built.values.iter().map(|v| (v.date.to_string(), v.value)).collect();
        assert_eq!(got, [("2026-10-01".to_string(), 12.0), ("2026-10-02".to_string(), 9.0)]);
    }
}
