//! Shared building blocks of every record: typed ids, compact timestamps, hours, record
//! metadata and text cleaning. Pure: no I/O, no store, no terminal.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use compact_str::CompactString;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::num::NonZeroU32;
use unicode_normalization::UnicodeNormalization;

/// Short text stored inline up to 24 bytes (most names and emails), on the heap above.
pub type Text = CompactString;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
        #[serde(transparent)]
        pub struct $name(pub u32);
        impl $name {
            /// Position of this id in a dense table.
            pub fn index(self) -> usize { self.0 as usize }
            /// The placeholder for the record a batch or an import creates as its new
            /// record number `k` of this table (see [`NEW_BIT`]).
            pub fn new_in_batch(k: u32) -> Self { Self(NEW_BIT | k) }
            /// `Some(k)` when this id is a placeholder for a batch's new record `k`.
            pub fn placeholder(self) -> Option<u32> { placeholder(self.0) }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { write!(f, "{}", self.0) }
        }
    )*};
}
id_type!(
    /// Id of an organisation (partner, municipality, school...).
    OrgId,
    /// Id of an event.
    EventId,
    /// Id of a participant.
    ParticipantId,
    /// Id of one attendance row (event x participant).
    AttendanceId,
    /// Id of a result indicator.
    IndicatorId,
);

/// Ids with this bit set are placeholders: "the record this batch (or import) creates as
/// its new record number k of that table", never a stored record's id. A client plans new
/// records under placeholders and refers to them by those; the store gives them real ids
/// and resolves every reference inside the one apply, so a plan made on an older copy of
/// the data can never point at someone else's record (the server decides every id).
pub const NEW_BIT: u32 = 1 << 31;

/// `Some(k)` when raw id `id` is the placeholder of new record `k` (see [`NEW_BIT`]).
pub fn placeholder(id: u32) -> Option<u32> {
    (id & NEW_BIT != 0).then_some(id & !NEW_BIT)
}

/// Id of a Unix user name interned in the store (0 = unknown); two bytes, as every record
/// carries two of these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct UserId(pub u16);

impl UserId {
    /// Position in the store's user list.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The epoch of [`Stamp`]: 2000-01-01T00:00:00Z, so that a `u32` reaches the year 2136.
const STAMP_EPOCH: i64 = 946_684_800;

/// A moment in time, UTC, to the second, in four bytes (records are many: keep them small).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp(NonZeroU32);

impl Stamp {
    /// The stamp of a UTC time; times before 2000 are clamped to the epoch.
    pub fn from_utc(t: DateTime<Utc>) -> Stamp {
        let secs = (t.timestamp() - STAMP_EPOCH).clamp(1, u32::MAX as i64) as u32;
        Stamp(NonZeroU32::new(secs).unwrap_or(NonZeroU32::MIN))
    }
    /// Now, from the system clock.
    pub fn now() -> Stamp {
        Stamp::from_utc(Utc::now())
    }
    /// A wall-clock time in Riga.
    pub fn from_riga(t: NaiveDateTime) -> Stamp {
        let utc = chrono_tz::Europe::Riga
            .from_local_datetime(&t)
            .earliest()
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_else(|| t.and_utc());
        Stamp::from_utc(utc)
    }
    /// The UTC time of this stamp.
    pub fn utc(self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.0.get() as i64 + STAMP_EPOCH, 0).unwrap_or_default()
    }
    /// RFC 3339 in the project's zone with its offset, to the second
    /// (`2025-03-14T09:30:00+02:00`): the one form every JSON and CSV output uses.
    pub fn rfc3339(self) -> String {
        self.utc()
            .with_timezone(&chrono_tz::Europe::Riga)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
    }
    /// The wall-clock time in Riga.
    pub fn riga(self) -> NaiveDateTime {
        self.utc().with_timezone(&chrono_tz::Europe::Riga).naive_local()
    }
    /// Raw seconds since the stamp epoch.
    pub fn raw(self) -> u32 {
        self.0.get()
    }
    /// One second later.
    pub fn next(self) -> Stamp {
        Stamp(self.0.saturating_add(1))
    }
}

impl Serialize for Stamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_str(&self.rfc3339())
        } else {
            s.serialize_u32(self.0.get())
        }
    }
}

impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Stamp, D::Error> {
        if d.is_human_readable() {
            let s = String::deserialize(d)?;
            let t = DateTime::parse_from_rfc3339(&s).map_err(serde::de::Error::custom)?;
            Ok(Stamp::from_utc(t.with_timezone(&Utc)))
        } else {
            let v = u32::deserialize(d)?;
            NonZeroU32::new(v)
                .map(Stamp)
                .ok_or_else(|| serde::de::Error::custom("zero timestamp"))
        }
    }
}

/// Academic hours in tenths (4.5 h is 45), so sums are exact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hours(pub u16);

impl Hours {
    /// Hours from a decimal number; `None` if negative, not finite or over 6553.5.
    pub fn from_f64(v: f64) -> Option<Hours> {
        let tenths = (v * 10.0).round();
        (v.is_finite() && (0.0..=u16::MAX as f64).contains(&tenths)).then_some(Hours(tenths as u16))
    }
    /// As a decimal number.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 10.0
    }
}

impl fmt::Display for Hours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_multiple_of(10) {
            write!(f, "{}", self.0 / 10)
        } else {
            write!(f, "{}.{}", self.0 / 10, self.0 % 10)
        }
    }
}

impl Serialize for Hours {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_f64(self.as_f64())
        } else {
            s.serialize_u16(self.0)
        }
    }
}

impl<'de> Deserialize<'de> for Hours {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Hours, D::Error> {
        if d.is_human_readable() {
            let v = f64::deserialize(d)?;
            Hours::from_f64(v).ok_or_else(|| serde::de::Error::custom("hours out of range"))
        } else {
            u16::deserialize(d).map(Hours)
        }
    }
}

/// Who made a record and when; carried by every record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub created_at: Stamp,
    pub updated_at: Stamp,
    pub created_by: UserId,
    pub updated_by: UserId,
}

impl Meta {
    /// Placeholder metadata for a record not yet stored (the store sets the real one).
    pub fn unsaved() -> Meta {
        Meta::new(Stamp(NonZeroU32::MIN), UserId(0))
    }
    /// Metadata of a record made now by `user`.
    pub fn new(at: Stamp, user: UserId) -> Meta {
        Meta {
            created_at: at,
            updated_at: at,
            created_by: user,
            updated_by: user,
        }
    }
    /// The same record touched again by `user` at `at`.
    pub fn touched(self, at: Stamp, user: UserId) -> Meta {
        Meta {
            updated_at: at,
            updated_by: user,
            ..self
        }
    }
}

/// Normalises user text: NFC, control characters (incl. ESC, tabs, newlines) replaced by a
/// space, runs of white space collapsed, trimmed.
pub fn clean(s: &str) -> Text {
    let mut out = Text::default();
    let mut space = false;
    let composed: String = s.nfc().collect();
    for c in super::text::strip_hidden(&composed).chars() {
        if c.is_control() || c.is_whitespace() {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Like [`clean`] but keeps line breaks (for notes).
pub fn clean_multiline(s: &str) -> Text {
    let lines: Vec<Text> = s.lines().map(clean).collect();
    let joined = lines.join("\n");
    Text::from(joined.trim_matches('\n'))
}

/// Today's date in Riga.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&chrono_tz::Europe::Riga).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_strips_controls_and_normalises() {
        // "e" + combining macron composes to "ē"; ESC and tab become spaces, then collapse.
        assert_eq!(clean("  Be\u{304}rz\x1b[31mins\t "), "Bērz [31mins");
        assert_eq!(clean("Ann\u{0}a\n\nMarija"), "Ann a Marija");
        assert_eq!(clean(""), "");
        assert_eq!(clean_multiline("a\x07b\n\nc\n"), "a b\n\nc");
        // Hidden characters go too (domain::text); an override cannot reverse a name.
        assert_eq!(clean("Bidi\u{202E}anizreb\u{200B}\u{200D}"), "Bidianizreb");
    }

    #[test]
    fn stamp_round_trips_riga_time() {
        let t = NaiveDate::from_ymd_opt(2025, 3, 14)
            .and_then(|d| d.and_hms_opt(9, 30, 0))
            .expect("valid");
        let s = Stamp::from_riga(t);
        assert_eq!(s.riga(), t);
        // Riga is UTC+2 in March.
        assert_eq!(s.utc().naive_utc(), t - chrono::Duration::hours(2));
        let json = serde_json::to_string(&s).expect("json");
        // In JSON: Riga time with its offset, as every output writes it.
        assert_eq!(json, "\"2025-03-14T09:30:00+02:00\"");
        let back: Stamp = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, s);
        let bin = postcard::to_allocvec(&s).expect("postcard");
        assert_eq!(postcard::from_bytes::<Stamp>(&bin).expect("decode"), s);
    }

    #[test]
    fn hours_are_exact_tenths() {
        assert_eq!(Hours::from_f64(4.5), Some(Hours(45)));
        assert_eq!(Hours::from_f64(-1.0), None);
        assert_eq!(Hours::from_f64(f64::NAN), None);
        assert_eq!(Hours(45).to_string(), "4.5");
        assert_eq!(Hours(60).to_string(), "6");
    }
}
