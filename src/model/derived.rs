//! The model's derived parts (search keys, pane orders, indexes) in a compact form that
//! crosses the server's socket, so an attaching screen takes them instead of folding,
//! sorting and scattering 3M rows again. Checked on arrival: what does not fit the rows is
//! refused and the client builds them itself.

use super::{Keys, Model, Orders, Tables};
use crate::domain::{AttendanceId, EventId, OrgId, ParticipantId, Project, Text};
use rayon::prelude::*;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Numbers kept as the byte string of their little-endian `u32`s they cross the socket
/// as: the server writes them without a copy, the client reads them without a varint each
/// (6M index entries cross in a few milliseconds).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Packed(Vec<u8>);

impl Packed {
    fn of(numbers: impl IntoIterator<Item = u32>) -> Packed {
        Packed(numbers.into_iter().flat_map(u32::to_le_bytes).collect())
    }
    fn len(&self) -> usize {
        self.0.len() / 4
    }
    fn get(&self, i: usize) -> u32 {
        let b = &self.0[i * 4..i * 4 + 4];
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    }
    fn to_vec(&self) -> Vec<u32> {
        (0..self.len()).map(|i| self.get(i)).collect()
    }
}

impl Serialize for Packed {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for Packed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Packed, D::Error> {
        let bytes = Bytes::deserialize(d)?.0;
        if !bytes.len().is_multiple_of(4) {
            return Err(serde::de::Error::custom("packed numbers: length not a multiple of 4"));
        }
        Ok(Packed(bytes))
    }
}

/// Bytes as one byte string (not a sequence of numbers; a sequence is read too, for
/// formats without byte strings).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bytes(pub Vec<u8>);

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Bytes, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Bytes;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Bytes, E> {
                Ok(Bytes(v.to_vec()))
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Bytes, E> {
                Ok(Bytes(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Bytes, A::Error> {
                let mut v = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(b) = seq.next_element::<u8>()? {
                    v.push(b);
                }
                Ok(Bytes(v))
            }
        }
        d.deserialize_byte_buf(V)
    }
}

/// An index (a list per owner) as offsets into one list of items.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Csr {
    offsets: Packed,
    items: Packed,
}

impl Csr {
    fn of<I: Copy>(index: &[Vec<I>], raw: impl Fn(I) -> u32) -> Csr {
        let mut offsets = Vec::with_capacity((index.len() + 1) * 4);
        let mut items = Vec::with_capacity(index.iter().map(Vec::len).sum::<usize>() * 4);
        offsets.extend_from_slice(&0u32.to_le_bytes());
        for list in index {
            for i in list {
                items.extend_from_slice(&raw(*i).to_le_bytes());
            }
            offsets.extend_from_slice(&((items.len() / 4) as u32).to_le_bytes());
        }
        Csr {
            offsets: Packed(offsets),
            items: Packed(items),
        }
    }

    /// The lists again; every item must be an id below `below`.
    fn lists<I: Send>(&self, below: u32, id: impl Fn(u32) -> I + Sync, name: &str) -> Result<Vec<Vec<I>>, String> {
        let (o, items) = (self.offsets.to_vec(), &self.items);
        let fits = o.first() == Some(&0)
            && o.last().map(|l| *l as usize) == Some(items.len())
            && o.windows(2).all(|w| w[0] <= w[1])
            && (0..items.len())
                .into_par_iter()
                .all(|i| (1..below).contains(&items.get(i)));
        if !fits {
            return Err(format!("index {name} does not fit the records"));
        }
        Ok(o.par_windows(2)
            .map(|w| (w[0] as usize..w[1] as usize).map(|i| id(items.get(i))).collect())
            .collect())
    }
}

/// Everything a model derives from its rows, as the server holds it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Derived {
    /// Organisations, events, participants, indicators in display order.
    orders: [Packed; 4],
    /// children, org_events, org_people, event_attendance, person_attendance.
    indexes: [Csr; 5],
    /// Participants' search keys, a buffer of 4096 people each.
    keys: Vec<(Bytes, Packed)>,
}

impl Derived {
    /// Takes `m`'s derived parts (the largest in parallel: this runs on the server's
    /// thread, where changes wait).
    pub fn of(m: &Model) -> Derived {
        use crate::domain::Table::*;
        let order = |t| Packed::of(m.orders.get(t).iter().copied());
        let ((by_event, by_person), (keys, rest)) = rayon::join(
            || {
                rayon::join(
                    || Csr::of(&m.event_attendance, |i| i.0),
                    || Csr::of(&m.person_attendance, |i| i.0),
                )
            },
            || {
                rayon::join(
                    || m.person_keys.to_wire(),
                    || {
                        (
                            Csr::of(&m.children, |i| i.0),
                            Csr::of(&m.org_events, |i| i.0),
                            Csr::of(&m.org_people, |i| i.0),
                        )
                    },
                )
            },
        );
        let (children, org_events, org_people) = rest;
        Derived {
            orders: [order(Organisation), order(Event), order(Participant), order(Indicator)],
            indexes: [children, org_events, org_people, by_event, by_person],
            keys: keys.into_iter().map(|(b, l)| (Bytes(b), Packed::of(l))).collect(),
        }
    }

    /// Unpacks the parts that need no records (the indexes' lists, the search keys) for
    /// tables whose ids stay below `next` (organisations, events, participants,
    /// attendance): done while the records are still arriving.
    pub fn unpack(self, next: [u32; 4]) -> Unpacked {
        let [orgs, events, people, rows] = next.map(|n| n.max(1));
        let [o0, o1, o2, o3, o4] = &self.indexes;
        let ((children, org_events), (org_people, (event_attendance, person_attendance))) = rayon::join(
            || {
                rayon::join(
                    || o0.lists(orgs, OrgId, "children"),
                    || o1.lists(events, EventId, "org_events"),
                )
            },
            || {
                rayon::join(
                    || o2.lists(people, ParticipantId, "org_people"),
                    || {
                        rayon::join(
                            || o3.lists(rows, AttendanceId, "event_attendance"),
                            || o4.lists(rows, AttendanceId, "person_attendance"),
                        )
                    },
                )
            },
        );
        let keys = Keys::from_wire(self.keys.into_iter().map(|(b, l)| (b.0, l.to_vec())).collect());
        let indexes = (|| {
            Ok((
                children?,
                org_events?,
                org_people?,
                event_attendance?,
                person_attendance?,
            ))
        })();
        Unpacked {
            orders: self.orders.map(|p| p.to_vec()),
            indexes,
            keys,
        }
    }
}

type Lists<I> = Vec<Vec<I>>;

/// [`Derived`] unpacked, waiting for the records.
pub struct Unpacked {
    orders: [Vec<u32>; 4],
    #[allow(clippy::type_complexity)]
    indexes: Result<
        (
            Lists<OrgId>,
            Lists<EventId>,
            Lists<ParticipantId>,
            Lists<AttendanceId>,
            Lists<AttendanceId>,
        ),
        String,
    >,
    keys: Result<Keys, String>,
}

impl Unpacked {
    /// A model of `t` with these parts instead of building them; what does not fit the
    /// rows (damage, or a server of another build) is logged and built as a load does.
    pub fn into_model(self, project: Project, users: Vec<Text>, t: Tables) -> Model {
        let (keys, refused) = match self.keys {
            Ok(k) => (Some(k), None),
            Err(why) => (None, Some(why)),
        };
        let mut m = Model::bare(project, users, t, keys);
        let indexes = self.indexes;
        let [a, b, c, d] = self.orders;
        let taken = (|| -> Result<(), String> {
            refused.map_or(Ok(()), Err)?;
            m.orders = Orders::from_lists(&m, a, b, c, d)?;
            let (children, org_events, org_people, event_attendance, person_attendance) = indexes?;
            m.children = children;
            m.org_events = org_events;
            m.org_people = org_people;
            m.event_attendance = event_attendance;
            m.person_attendance = person_attendance;
            Ok(())
        })();
        if let Err(why) = taken {
            crate::log!("snapshot: derived parts refused ({why}); building them");
            m.rebuild_indexes();
            m.orders = Orders::build(&m);
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_numbers_cross_as_bytes_and_a_broken_length_is_refused() {
        let numbers = vec![0, 1, 255, 256, u32::MAX];
        let p = Packed::of(numbers.clone());
        let wire = postcard::to_allocvec(&p).expect("encode");
        assert_eq!(wire.len(), 1 + 5 * 4, "one length byte, then four bytes a number");
        assert_eq!(wire[1..5], [0, 0, 0, 0]);
        assert_eq!(wire[5..9], [1, 0, 0, 0], "little-endian");
        assert_eq!(postcard::from_bytes::<Packed>(&wire).expect("decode").to_vec(), numbers);
        let broken = postcard::to_allocvec(&Bytes(vec![1, 2, 3])).expect("encode");
        assert!(postcard::from_bytes::<Packed>(&broken).is_err());
    }

    #[test]
    fn an_index_crosses_whole_and_items_outside_the_table_are_refused() {
        let index: Vec<Vec<EventId>> = vec![vec![], vec![EventId(3), EventId(1)], vec![], vec![EventId(2)]];
        let csr = Csr::of(&index, |e| e.0);
        assert_eq!(csr.lists(4, EventId, "x").expect("fits"), index);
        assert!(csr.lists(3, EventId, "x").is_err(), "id 3 is not below 3");
        let zero = Csr::of(&[vec![EventId(0)]], |e| e.0);
        assert!(zero.lists(9, EventId, "x").is_err(), "id 0 is no record");
        let mut short = csr.clone();
        short.items.0.truncate(short.items.0.len() - 4);
        assert!(short.lists(4, EventId, "x").is_err());
    }
}
