//! Participants' folded search keys packed end to end in buffers of 4096 people, so a search
//! scans them as streams of memory instead of chasing a heap pointer per person, with a byte
//! mask per key for cheap rejection. A changed key is appended to its buffer; the old bytes
//! are reclaimed when garbage outgrows the live keys.

/// People per buffer: the unit of parallel building and of compaction.
const CHUNK: usize = 4096;

/// The keys of [`CHUNK`] consecutive ids.
#[derive(Clone, Debug, Default)]
struct Chunk {
    bytes: Vec<u8>,
    /// Start and length of each key in `bytes` (length 0: no key).
    spans: Vec<(u32, u32)>,
    /// Which bytes occur in each key ([`mask`]).
    masks: Vec<u64>,
    live: usize,
}

impl Chunk {
    fn push(&mut self, key: &str) {
        self.spans.push((self.bytes.len() as u32, key.len() as u32));
        self.masks.push(mask(key.as_bytes()));
        self.bytes.extend_from_slice(key.as_bytes());
        self.live += key.len();
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

/// Keys by participant id.
#[derive(Clone, Debug, Default)]
pub struct Keys {
    chunks: Vec<Chunk>,
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
    /// Keys from a list indexed by id (tests).
    #[cfg(test)]
    pub fn from_list(list: Vec<crate::domain::Text>) -> Keys {
        Keys::build(&list.into_iter().map(Some).collect::<Vec<_>>(), |s, out| {
            out.push_str(s)
        })
    }

    /// Keys built straight into their buffers, `key(record, out)` appending each key; the
    /// buffers are filled in parallel and kept as they are (no string per key, no copy).
    pub fn build<T: Sync>(slots: &[Option<T>], key: impl Fn(&T, &mut String) + Sync) -> Keys {
        use rayon::prelude::*;
        let chunks = slots
            .par_chunks(CHUNK)
            .map(|part| {
                let mut c = Chunk {
                    spans: Vec::with_capacity(part.len()),
                    masks: Vec::with_capacity(part.len()),
                    ..Chunk::default()
                };
                let mut buf = String::new();
                for slot in part {
                    buf.clear();
                    if let Some(r) = slot {
                        key(r, &mut buf);
                    }
                    c.push(&buf);
                }
                c
            })
            .collect();
        Keys { chunks }
    }

    /// The live keys of each buffer end to end with their lengths (no garbage), as they
    /// cross to a client of the server.
    pub fn to_wire(&self) -> Vec<(Vec<u8>, Vec<u32>)> {
        self.chunks
            .iter()
            .map(|c| {
                let mut bytes = Vec::with_capacity(c.live);
                let lens = c
                    .spans
                    .iter()
                    .map(|&(start, len)| {
                        bytes.extend_from_slice(&c.bytes[start as usize..(start + len) as usize]);
                        len
                    })
                    .collect();
                (bytes, lens)
            })
            .collect()
    }

    /// Keys from [`Keys::to_wire`]'s parts, checked (every key whole UTF-8, the lengths
    /// covering the bytes exactly) and their masks computed again, in parallel.
    pub fn from_wire(parts: Vec<(Vec<u8>, Vec<u32>)>) -> Result<Keys, String> {
        use rayon::prelude::*;
        let chunks = parts
            .into_par_iter()
            .enumerate()
            .map(|(n, (bytes, lens))| {
                if lens.len() > CHUNK || lens.iter().map(|l| *l as usize).sum::<usize>() != bytes.len() {
                    return Err(format!("search keys, buffer {n}: lengths do not cover its bytes"));
                }
                let mut spans = Vec::with_capacity(lens.len());
                let mut masks = Vec::with_capacity(lens.len());
                let mut start = 0usize;
                for len in lens {
                    let key = &bytes[start..start + len as usize];
                    if std::str::from_utf8(key).is_err() {
                        return Err(format!("search keys, buffer {n}: a key is not UTF-8"));
                    }
                    spans.push((start as u32, len));
                    masks.push(mask(key));
                    start += len as usize;
                }
                Ok(Chunk {
                    live: bytes.len(),
                    bytes,
                    spans,
                    masks,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Keys { chunks })
    }

    fn at(&self, id: u32) -> Option<(&Chunk, usize)> {
        let c = self.chunks.get(id as usize / CHUNK)?;
        let i = id as usize % CHUNK;
        (i < c.spans.len()).then_some((c, i))
    }

    /// The key of `id` ("" if none).
    pub fn get(&self, id: u32) -> &str {
        let Some((c, i)) = self.at(id) else { return "" };
        let (start, len) = c.spans[i];
        let raw = &c.bytes[start as usize..(start + len) as usize];
        debug_assert!(std::str::from_utf8(raw).is_ok());
        // SAFETY: every span covers exactly the bytes of one `&str` pushed whole by
        // `Chunk::push`, and `compact` moves spans whole: always valid UTF-8. Checking here
        // cost ~10% of a search scan and of the sort at load.
        unsafe { std::str::from_utf8_unchecked(raw) }
    }

    /// The byte mask of `id`'s key (0: no key).
    pub fn mask(&self, id: u32) -> u64 {
        self.at(id).map_or(0, |(c, i)| c.masks[i])
    }

    /// Sets (or, with "", clears) the key of `id`.
    pub fn set(&mut self, id: u32, key: &str) {
        let (n, i) = (id as usize / CHUNK, id as usize % CHUNK);
        if n >= self.chunks.len() {
            self.chunks.resize_with(n + 1, Chunk::default);
        }
        let c = &mut self.chunks[n];
        while c.spans.len() <= i {
            c.push("");
        }
        c.live -= c.spans[i].1 as usize;
        c.spans[i] = (c.bytes.len() as u32, key.len() as u32);
        c.masks[i] = mask(key.as_bytes());
        c.bytes.extend_from_slice(key.as_bytes());
        c.live += key.len();
        if c.bytes.len() > 2 * c.live + 4096 {
            c.compact();
        }
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
        assert!(
            k.chunks[0].bytes.len() < 10_000,
            "garbage reclaimed: {}",
            k.chunks[0].bytes.len()
        );
        k.set(2, "");
        assert_eq!((k.get(2), k.mask(2)), ("", 0));
        k.set(5, "šteins");
        assert_eq!(k.get(5), "šteins");
        k.set(10_000, "far away");
        assert_eq!(k.get(10_000), "far away");
        assert_eq!(k.get(9_999), "");
    }

    #[test]
    fn keys_cross_the_wire_without_garbage_and_broken_ones_are_refused() {
        let words: Vec<Option<String>> = (0..9_000)
            .map(|i| (i % 5 != 0).then(|| format!("ozoliņa {i}")))
            .collect();
        let mut k = Keys::build(&words, |w, out| out.push_str(w));
        k.set(7, "bērziņš jānis");
        k.set(4_100, "");
        let back = Keys::from_wire(k.to_wire()).expect("whole");
        for id in 0..9_100u32 {
            assert_eq!((back.get(id), back.mask(id)), (k.get(id), k.mask(id)), "{id}");
        }
        assert_eq!(back.chunks[0].bytes.len(), back.chunks[0].live, "no garbage crosses");
        let mut broken = k.to_wire();
        broken[0].1[1] += 1;
        assert!(Keys::from_wire(broken).is_err());
        let mut split = k.to_wire();
        // "ņ" is two bytes: a length ending inside it is refused, not trusted.
        split[0].0 = "ņ".as_bytes().to_vec();
        split[0].1 = vec![1, 1];
        assert!(Keys::from_wire(split).is_err());
    }

    #[test]
    fn build_equals_from_list_across_chunks() {
        let words: Vec<Option<String>> = (0..10_000).map(|i| (i % 7 != 0).then(|| format!("key {i}"))).collect();
        let built = Keys::build(&words, |w, out| out.push_str(w));
        let listed = Keys::from_list(words.iter().map(|w| w.clone().unwrap_or_default().into()).collect());
        for id in 0..10_000u32 {
            assert_eq!(built.get(id), listed.get(id));
            assert_eq!(built.mask(id), listed.mask(id));
            assert_eq!(built.get(id).is_empty(), id % 7 == 0);
        }
    }
}
