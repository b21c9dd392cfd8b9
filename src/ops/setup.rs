//! What a new database starts with: the project's indicators defined, or the whole sample.

use super::{Failure, fail};
use crate::backend::Backend;
use crate::command::Dataset;
use crate::domain::{Text, UserId};
use crate::i18n::{M, f};
use crate::io::sample;

/// A new database starts with the project's result indicators defined (the sample's
/// definitions without its values by hand, and without anything that names sample records).
pub fn load_indicator_definitions(store: &mut dyn Backend) -> Result<usize, Failure> {
    let ds: Dataset = sample::build(&sample::EMBEDDED, store.model(), &mut |_| UserId(0))
        .map_err(|e| fail(f(M::ErrSample, &[&e.file, &e])))?;
    let indicators: Vec<_> = ds
        .indicators
        .into_iter()
        .map(|mut i| {
            i.values.clear();
            i
        })
        .collect();
    let count = indicators.len();
    let only = Dataset {
        indicators,
        ..Dataset::default()
    };
    store.apply(crate::command::Command::Import(Box::new(only)))?;
    Ok(count)
}

/// Loads the embedded sample into an empty, loaded store.
pub fn load_sample(store: &mut dyn Backend) -> Result<usize, Failure> {
    let n = store.model().total();
    if n > 0 {
        return Err(fail(f(M::ErrNotEmpty, &[&store.label(), &n])));
    }
    let known = store.model().users.len();
    let mut users: Vec<Text> = store.model().users.to_vec();
    let ds: Dataset = sample::build(&sample::EMBEDDED, store.model(), &mut |name| {
        let i = users.iter().position(|u| u == name).unwrap_or_else(|| {
            users.push(Text::from(name));
            users.len() - 1
        });
        UserId(i as u16)
    })
    .map_err(|e| fail(f(M::ErrSample, &[&e.file, &e])))?;
    store.add_users(&users[known..])?;
    let count = ds.len();
    store.apply(crate::command::Command::Import(Box::new(ds)))?;
    Ok(count)
}
