//! Search: diacritic folding of names into ASCII keys (and, later, the fuzzy index and the
//! filter language). Pure over strings; never touches the store.

pub mod fold;

pub use fold::{fold, fold_into};
