//! Getting data in and out: the embedded sample data, synthetic data at scale, and the
//! `list` / `stats` output for scripts. Builds `Dataset`s and `Command`s; never writes sled.

pub mod backup;
pub mod duplicates;
pub mod export;
pub mod generate;
pub mod import;
pub mod list;
pub mod parse;
pub mod report;
pub mod sample;
pub mod sheet;
