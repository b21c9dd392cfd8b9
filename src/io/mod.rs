//! Getting data in and out: the embedded sample data, synthetic data at scale, and the
//! `list` / `stats` output for scripts. Builds `Dataset`s and `Command`s; never writes sled.

pub mod backup;
pub mod duplicates;
pub mod export;
pub mod generate;
pub mod import;
pub mod list;
pub mod report;
/// Field parsing lives in the domain (search's filters parse dates too); re-exported here for
/// the file readers and the screen.
pub use crate::domain::parse;
pub mod progress;
pub mod sample;
pub mod sheet;
