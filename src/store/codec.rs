//! The on-disk encoding: key layout and versioned chunk values. Records are stored 256 to a
//! key (postcard), so start-up reads thousands of values, not millions.
//!
//! Enums are encoded by position: new variants go at the end; anything else is a schema
//! change with a migration (see `migrate`).

use super::error::StoreError;
use crate::domain::Table;
use serde::{Serialize, de::DeserializeOwned};

/// The schema this build reads and writes.
pub const SCHEMA_VERSION: u32 = 2;
/// Format byte that starts every chunk value.
pub const CHUNK_FORMAT: u8 = 1;
/// Records per chunk, as a power of two.
pub const CHUNK_BITS: u32 = 8;

pub const KEY_SCHEMA: &[u8] = b"meta/schema";
pub const KEY_USERS: &[u8] = b"meta/users";
pub const KEY_NEXT: &[u8] = b"meta/next";
pub const KEY_PROJECT: &[u8] = b"meta/project";
/// Project settings: a key of their own, so `meta/project` keeps its schema-1 layout and a
/// database written before settings existed opens unchanged (no migration).
pub const KEY_SETTINGS: &[u8] = b"meta/settings";
/// The files this program wrote holding people's data (see `Logged::Wrote`), newest last:
/// what an erasure names as possibly still holding the person.
pub const KEY_FILES: &[u8] = b"meta/files";
/// The change log: `log/` + a u64 big-endian sequence number per applied change (ids only,
/// never names: erasing a person leaves no name behind). Tables are read by their one-byte
/// upper-case tags, so these keys never mix with records; older builds ignore them.
pub const LOG_PREFIX: &[u8] = b"log/";

/// The key of change-log entry `seq`.
pub fn log_key(seq: u64) -> [u8; 12] {
    let mut k = [0u8; 12];
    k[..4].copy_from_slice(LOG_PREFIX);
    k[4..].copy_from_slice(&seq.to_be_bytes());
    k
}

/// The project as stored under [`KEY_PROJECT`]: every field of `Project` but its settings.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct StoredProject {
    pub name: crate::domain::Text,
    pub number: crate::domain::Text,
    pub start: Option<chrono::NaiveDate>,
    pub end: Option<chrono::NaiveDate>,
    pub funding_total_cents: i64,
    pub funding_esf_cents: i64,
    pub funding_state_cents: i64,
    pub lead: Option<crate::domain::OrgId>,
    pub notes: crate::domain::Text,
}

impl StoredProject {
    pub fn of(p: &crate::domain::Project) -> StoredProject {
        StoredProject {
            name: p.name.clone(),
            number: p.number.clone(),
            start: p.start,
            end: p.end,
            funding_total_cents: p.funding_total_cents,
            funding_esf_cents: p.funding_esf_cents,
            funding_state_cents: p.funding_state_cents,
            lead: p.lead,
            notes: p.notes.clone(),
        }
    }

    pub fn with(self, settings: crate::domain::Settings) -> crate::domain::Project {
        crate::domain::Project {
            name: self.name,
            number: self.number,
            start: self.start,
            end: self.end,
            funding_total_cents: self.funding_total_cents,
            funding_esf_cents: self.funding_esf_cents,
            funding_state_cents: self.funding_state_cents,
            lead: self.lead,
            notes: self.notes,
            settings,
        }
    }
}

/// The one-byte tag of a table's chunk keys.
pub fn tag(t: Table) -> u8 {
    match t {
        Table::Organisation => b'O',
        Table::Event => b'E',
        Table::Participant => b'P',
        Table::Attendance => b'A',
        Table::Indicator => b'I',
    }
}

/// The chunk a record id lives in.
pub fn chunk_of(id: u32) -> u32 {
    id >> CHUNK_BITS
}

/// The id range `[from, to)` of a chunk.
pub fn chunk_range(chunk: u32) -> (u32, u32) {
    let from = chunk << CHUNK_BITS;
    (from, from.saturating_add(1 << CHUNK_BITS))
}

/// Key of a chunk: table tag + big-endian chunk number (so keys sort by id).
pub fn chunk_key(t: Table, chunk: u32) -> [u8; 5] {
    let mut k = [0u8; 5];
    k[0] = tag(t);
    k[1..].copy_from_slice(&chunk.to_be_bytes());
    k
}

/// Encodes records (in id order) as a chunk value.
pub fn encode_chunk<'a, T: Serialize + 'a>(rows: impl Iterator<Item = &'a T>) -> Result<Vec<u8>, StoreError> {
    let rows: Vec<&T> = rows.collect();
    let out = vec![CHUNK_FORMAT];
    postcard::to_extend(&rows, out).map_err(|e| StoreError::Encode(e.to_string()))
}

/// Decodes a chunk value; `key` names it in the error.
pub fn decode_chunk<T: DeserializeOwned>(key: &[u8], bytes: &[u8]) -> Result<Vec<T>, StoreError> {
    let mut out = Vec::new();
    decode_chunk_each(key, bytes, |r| {
        out.push(r);
        Ok(())
    })?;
    Ok(out)
}

/// Decodes a chunk value record by record, handing each to `put` (no list in between).
pub fn decode_chunk_each<T: DeserializeOwned>(
    key: &[u8],
    bytes: &[u8],
    mut put: impl FnMut(T) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let corrupt = |reason: String| StoreError::Corrupt {
        key: String::from_utf8_lossy(key).into_owned(),
        reason,
    };
    let body = match bytes.split_first() {
        Some((&CHUNK_FORMAT, body)) => body,
        Some((v, _)) => return Err(corrupt(format!("unknown chunk format {v}"))),
        None => return Err(corrupt("empty value".into())),
    };
    let (n, mut rest) = postcard::take_from_bytes::<usize>(body).map_err(|e| corrupt(e.to_string()))?;
    for _ in 0..n {
        let (r, more) = postcard::take_from_bytes::<T>(rest).map_err(|e| corrupt(e.to_string()))?;
        put(r)?;
        rest = more;
    }
    if rest.is_empty() {
        Ok(())
    } else {
        Err(corrupt(format!("{} bytes after the last record", rest.len())))
    }
}

/// Encodes a small metadata value.
pub fn encode_meta<T: Serialize>(v: &T) -> Result<Vec<u8>, StoreError> {
    postcard::to_allocvec(v).map_err(|e| StoreError::Encode(e.to_string()))
}

/// Decodes a small metadata value.
pub fn decode_meta<T: DeserializeOwned>(key: &[u8], bytes: &[u8]) -> Result<T, StoreError> {
    postcard::from_bytes(bytes).map_err(|e| StoreError::Corrupt {
        key: String::from_utf8_lossy(key).into_owned(),
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sort_by_id() {
        assert!(chunk_key(Table::Participant, 1) < chunk_key(Table::Participant, 256));
        assert_eq!(chunk_of(255), 0);
        assert_eq!(chunk_of(256), 1);
        assert_eq!(chunk_range(1), (256, 512));
    }

    #[test]
    fn chunk_round_trip_and_errors() {
        let v = [1u32, 2, 3];
        let bytes = encode_chunk(v.iter()).expect("encode");
        assert_eq!(decode_chunk::<u32>(b"k", &bytes).expect("decode"), vec![1, 2, 3]);
        assert!(matches!(
            decode_chunk::<u32>(b"k", &[9, 0]),
            Err(StoreError::Corrupt { .. })
        ));
        assert!(matches!(
            decode_chunk::<u32>(b"k", &[]),
            Err(StoreError::Corrupt { .. })
        ));
        let mut longer = bytes.clone();
        longer.push(7);
        assert!(matches!(
            decode_chunk::<u32>(b"k", &longer),
            Err(StoreError::Corrupt { reason, .. }) if reason.contains("after the last record")
        ));
        let mut each = Vec::new();
        decode_chunk_each::<u32>(b"k", &bytes, |r| {
            each.push(r);
            Ok(())
        })
        .expect("each");
        assert_eq!(each, vec![1, 2, 3]);
    }
}
