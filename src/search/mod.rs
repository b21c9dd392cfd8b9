//! Search: diacritic folding into ASCII keys, term matching, ranked participant search and
//! the filter language. Pure over the model; never touches the store.

pub mod duplicates;
pub mod filter;
pub mod fold;
pub mod people;
pub mod text;

pub use fold::{fold, fold_into};
