//! Search: term matching over folded keys (`domain::fold`), ranked participant search and
//! the filter language. Pure over the model; never touches the store.

pub mod duplicates;
pub mod filter;
pub mod people;
pub mod text;

/// Folding lives in the domain (the model and the file parsers need it too); re-exported here
/// because search is where callers look for it.
pub use crate::domain::fold::{fold, fold_into};
