//! The `atbalsts` binary: parse the command line, run, turn failures into one clear line.

use clap::Parser;

fn main() {
    atbalsts::log::mark_start();
    let cli = atbalsts::cli::Cli::parse();
    if let Err(e) = atbalsts::cli::run(cli) {
        if !e.message.is_empty() {
            // Arguments and files are echoed in messages: their escapes are shown, not sent.
            // Not `eprintln!`: it panics when standard error is a terminal that is gone.
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "{}", atbalsts::domain::visible(&e.message));
        }
        std::process::exit(e.code);
    }
}
