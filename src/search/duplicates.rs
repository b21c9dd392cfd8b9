//! Probable duplicates of a participant being entered: the same folded name at the same
//! institution, or the same email anywhere. Shown before saving so nobody is entered twice.

use crate::domain::{Participant, ParticipantId};
use crate::model::{KEY_SEP, Model, name_part, person_key};
use rayon::prelude::*;

/// Other participants that are probably `p` (never `p` itself), by id.
pub fn duplicates(m: &Model, p: &Participant) -> Vec<ParticipantId> {
    let key = person_key(p);
    let name = name_part(&key);
    let email = key.split_once(KEY_SEP).map_or("", |(_, e)| e);
    let mut out: Vec<u32> = Vec::new();
    if let Some(org) = p.institution {
        out.extend(
            m.people_of(org)
                .iter()
                .map(|id| id.0)
                .filter(|id| name_part(m.person_keys.get(*id)) == name),
        );
    }
    if !email.is_empty() {
        let n = m.participants.capacity_id();
        let same: Vec<u32> = (0..n)
            .into_par_iter()
            .filter(|id| {
                let k = m.person_keys.get(*id);
                k.len() > email.len() && k.ends_with(email) && k.split_once(KEY_SEP).is_some_and(|(_, e)| e == email)
            })
            .collect();
        out.extend(same);
    }
    out.sort_unstable();
    out.dedup();
    out.retain(|id| *id != p.id.0 && m.participants.get(*id).is_some());
    out.into_iter().map(ParticipantId).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{OrgId, Role};

    #[test]
    fn same_name_at_same_school_or_same_email() {
        let ds = crate::io::sample::build(&crate::io::sample::EMBEDDED, &Model::default(), &mut |_| {
            crate::domain::UserId(1)
        })
        .expect("sample");
        let m = Model::from_dataset(ds, vec!["?".into(), "ilze".into()]);
        let known = m
            .participants
            .iter()
            .find(|p| p.institution.is_some() && !p.email.is_empty())
            .cloned()
            .expect("a sample participant with institution and email");
        let id = known.id.0;
        // Same name without diacritics, same school, other email.
        let mut p = Participant::new(
            &crate::search::fold(&known.given_name),
            &known.surname.to_uppercase(),
            Role::Teacher,
            known.institution,
        );
        p.email = "someone.else@example.lv".into();
        assert_eq!(duplicates(&m, &p), vec![ParticipantId(id)]);
        // Same name elsewhere: not a duplicate.
        p.institution = Some(OrgId(1)).filter(|o| Some(*o) != known.institution);
        assert!(duplicates(&m, &p).is_empty());
        // Same email, other name.
        let mut q = Participant::new("Cits", "Cilvēks", Role::Teacher, None);
        q.email = known.email.to_uppercase().as_str().into();
        assert_eq!(duplicates(&m, &q), vec![ParticipantId(id)]);
        // Editing the person themself finds nothing.
        assert!(duplicates(&m, &known).is_empty());
    }
}
