//! A dense table of records indexed by id (ids start at 1 and are never reused), so every
//! lookup is one array access and a million rows cost no hashing.

use crate::domain::Record;

#[derive(Clone, Debug)]
pub struct Rows<T> {
    rows: Vec<Option<T>>,
    live: usize,
}

impl<T> Default for Rows<T> {
    fn default() -> Self {
        Rows {
            rows: vec![None],
            live: 0,
        }
    }
}

impl<T: Record> Rows<T> {
    /// A table holding `records` (any order, unique ids).
    pub fn from_records(records: Vec<T>) -> Rows<T> {
        let max = records.iter().map(|r| r.raw_id() as usize).max().unwrap_or(0);
        let mut rows: Vec<Option<T>> = Vec::with_capacity(max + 1);
        rows.resize_with(max + 1, || None);
        let live = records.len();
        for r in records {
            let i = r.raw_id() as usize;
            rows[i] = Some(r);
        }
        Rows { rows, live }
    }
    /// A table from a dense slot array (slot = id) holding `live` records.
    pub fn from_slots(mut rows: Vec<Option<T>>, live: usize) -> Rows<T> {
        if rows.is_empty() {
            rows.push(None);
        }
        Rows { rows, live }
    }
    /// The slot array (slot = id), for parallel passes.
    pub fn slots(&self) -> &[Option<T>] {
        &self.rows
    }
    pub fn get(&self, id: u32) -> Option<&T> {
        self.rows.get(id as usize).and_then(Option::as_ref)
    }
    pub fn contains(&self, id: u32) -> bool {
        self.get(id).is_some()
    }
    /// Puts a record in place (new or replacing); returns the one it replaced.
    pub fn put(&mut self, r: T) -> Option<T> {
        let i = r.raw_id() as usize;
        if i >= self.rows.len() {
            self.rows.resize_with(i + 1, || None);
        }
        let old = self.rows[i].replace(r);
        if old.is_none() {
            self.live += 1;
        }
        old
    }
    pub fn remove(&mut self, id: u32) -> Option<T> {
        let old = self.rows.get_mut(id as usize).and_then(Option::take);
        if old.is_some() {
            self.live -= 1;
        }
        old
    }
    /// Number of records.
    pub fn len(&self) -> usize {
        self.live
    }
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }
    /// The id the next new record gets (ids are never reused, even after deletes).
    pub fn next_id(&self) -> u32 {
        self.rows.len().max(1) as u32
    }
    /// Makes sure `next_id` is at least `id` (ids of deleted tail records are not reused).
    pub fn reserve_to(&mut self, id: u32) {
        if (id as usize) > self.rows.len() {
            self.rows.resize_with(id as usize, || None);
        }
    }
    /// Records in id order.
    pub fn iter(&self) -> impl Iterator<Item = &T> + Clone + '_ {
        self.rows.iter().filter_map(Option::as_ref)
    }
    /// The records whose ids fall in `[from, to)`, in id order (a storage chunk).
    pub fn range(&self, from: u32, to: u32) -> impl Iterator<Item = &T> + '_ {
        let to = (to as usize).min(self.rows.len());
        let from = (from as usize).min(to);
        self.rows[from..to].iter().filter_map(Option::as_ref)
    }
    /// One past the largest id slot.
    pub fn capacity_id(&self) -> u32 {
        self.rows.len() as u32
    }
}
