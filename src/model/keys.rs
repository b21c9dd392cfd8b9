//! Participants' folded search keys packed end to end in one buffer, so a search scans them
//! as one stream of memory instead of chasing a heap pointer per person. A changed key is
//! appended; the old bytes are reclaimed when garbage outgrows the live keys.

/// Keys by participant id.
#[derive(Clone, Debug, Default)]
pub struct Keys {
    bytes: Vec<u8>,
    /// Start and length of each id's key in `bytes` (length 0: no key).
    spans: Vec<(u32, u32)>,
    /// Which bytes occur in each key ([`mask`]): a term with a byte outside it cannot occur.
    masks: Vec<u64>,
    live: usize,
}

/// A 64-bit set of the bytes of `s`: letters and digits map to their own bits, anything
/// else to bit 63. A subset test of two masks is a cheap "cannot contain" check.
pub fn mask(s: &[u8]) -> u64 {
    s.iter().fold(0u64, |m, b| {
        let bit = match b {
            b'a'..=b'z' => b - b'a',
            b'0'..=b'9' => 26 + b - b'0',
            _ => 63,
        };
        m | 1u64 << bit
    })
}

impl Keys {
    /// Keys from a list indexed by id.
    pub fn from_list(list: Vec<crate::domain::Text>) -> Keys {
        let mut k = Keys {
            bytes: Vec::with_capacity(list.iter().map(|s| s.len()).sum()),
            ..Keys::default()
        };
        k.spans.reserve(list.len());
        k.masks.reserve(list.len());
        for s in &list {
            k.masks.push(mask(s.as_bytes()));
            k.spans.push((k.bytes.len() as u32, s.len() as u32));
            k.bytes.extend_from_slice(s.as_bytes());
            k.live += s.len();
        }
        k
    }

    /// Keys built straight into packed buffers, `key(id slot, out)` appending each key;
    /// chunks of slots are folded in parallel, then joined (no string per key).
    pub fn build<T: Sync>(slots: &[Option<T>], key: impl Fn(&T, &mut String) + Sync) -> Keys {
        use rayon::prelude::*;
        let parts: Vec<(Vec<u8>, Vec<(u32, u32)>, Vec<u64>)> = slots
            .par_chunks(4096)
            .map(|chunk| {
                let mut bytes = Vec::new();
                let mut spans = Vec::with_capacity(chunk.len());
                let mut masks = Vec::with_capacity(chunk.len());
                let mut buf = String::new();
                for slot in chunk {
                    buf.clear();
                    if let Some(r) = slot {
                        key(r, &mut buf);
                    }
                    spans.push((bytes.len() as u32, buf.len() as u32));
                    masks.push(mask(buf.as_bytes()));
                    bytes.extend_from_slice(buf.as_bytes());
                }
                (bytes, spans, masks)
            })
            .collect();
        let mut k = Keys::default();
        for (bytes, spans, masks) in parts {
            let base = k.bytes.len() as u32;
            k.spans.extend(spans.into_iter().map(|(s, l)| (s + base, l)));
            k.masks.extend(masks);
            k.live += bytes.len();
            k.bytes.extend_from_slice(&bytes);
        }
        k
    }

    /// The key of `id` ("" if none).
    pub fn get(&self, id: u32) -> &str {
        let Some(&(start, len)) = self.spans.get(id as usize) else {
            return "";
        };
        let raw = &self.bytes[start as usize..(start + len) as usize];
        debug_assert!(std::str::from_utf8(raw).is_ok());
        // SAFETY: every span covers exactly the bytes of one `&str` copied in whole by
        // `from_list`, `build` or `set`, and `compact` moves spans whole: always valid UTF-8.
        // Checking here cost ~10% of a search scan and of the sort at load.
        unsafe { std::str::from_utf8_unchecked(raw) }
    }

    /// The byte mask of `id`'s key.
    pub fn mask(&self, id: u32) -> u64 {
        self.masks.get(id as usize).copied().unwrap_or(0)
    }

    /// Sets (or, with "", clears) the key of `id`.
    pub fn set(&mut self, id: u32, key: &str) {
        let i = id as usize;
        if i >= self.spans.len() {
            self.spans.resize(i + 1, (0, 0));
            self.masks.resize(i + 1, 0);
        }
        self.masks[i] = mask(key.as_bytes());
        self.live -= self.spans[i].1 as usize;
        self.spans[i] = (self.bytes.len() as u32, key.len() as u32);
        self.bytes.extend_from_slice(key.as_bytes());
        self.live += key.len();
        if self.bytes.len() > 2 * self.live + 4096 {
            self.compact();
        }
    }

    fn compact(&mut self) {
        let mut bytes = Vec::with_capacity(self.live);
        for span in &mut self.spans {
            let (start, len) = *span;
            *span = (bytes.len() as u32, len);
            bytes.extend_from_slice(&self.bytes[start as usize..(start + len) as usize]);
        }
        self.bytes = bytes;
    }
}

#[cfg(test)]
mod tests {
    use super::Keys;

    #[test]
    fn set_get_clear_and_compact() {
        let mut k = Keys::from_list(vec!["".into(), "berzins janis".into(), "ozola anna".into()]);
        assert_eq!(k.get(1), "berzins janis");
        assert_eq!(k.get(9), "");
        for round in 0..2000 {
            k.set(1, &format!("kalnina {round}"));
        }
        assert_eq!(k.get(1), "kalnina 1999");
        assert_eq!(k.get(2), "ozola anna");
        assert!(k.bytes.len() < 10_000, "garbage reclaimed: {}", k.bytes.len());
        k.set(2, "");
        assert_eq!(k.get(2), "");
        k.set(5, "šteins");
        assert_eq!(k.get(5), "šteins");
    }

    #[test]
    fn build_equals_from_list() {
        let words: Vec<Option<String>> = (0..10_000).map(|i| (i % 7 != 0).then(|| format!("key {i}"))).collect();
        let built = Keys::build(&words, |w, out| out.push_str(w));
        let listed = Keys::from_list(words.iter().map(|w| w.clone().unwrap_or_default().into()).collect());
        for id in 0..10_000u32 {
            assert_eq!(built.get(id), listed.get(id));
            assert_eq!(built.mask(id), listed.mask(id));
        }
    }
}
