//! atbalsts: a keyboard-first terminal application for coordinators of teacher-support
//! projects (ESF+ 4.2.2.3). The library holds everything; `main.rs` only dispatches.

pub mod account;
pub mod backend;
pub mod cli;
pub mod clock;
pub mod command;
pub mod config;
pub mod domain;
pub mod i18n;
pub mod indicators;
pub mod io;
pub mod log;
pub mod model;
pub mod ops;
pub mod paths;
pub mod progress_bar;
pub mod search;
pub mod server;
pub mod store;
pub mod tui;
