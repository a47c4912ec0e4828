//! Human-facing notes on stderr: progress for slow stages on a terminal,
//! notes unless `--quiet`, and what is run with `-v`. Reports go to stdout.

use std::io::{IsTerminal, Write};

#[derive(Clone, Copy, Debug)]
pub struct Ui {
    quiet: bool,
    verbose: u8,
    terminal: bool,
}

impl Ui {
    pub fn new(quiet: bool, verbose: u8) -> Ui {
        Ui {
            quiet,
            verbose,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    /// Progress of a slow stage: only on a terminal, never with --quiet.
    pub fn progress(&self, message: &str) {
        if self.terminal && !self.quiet {
            let _ = writeln!(std::io::stderr(), "{}", schemagate::db::redact(message));
        }
    }

    /// Something the user should know (a fallback, a warning).
    pub fn note(&self, message: &str) {
        if !self.quiet {
            let _ = writeln!(
                std::io::stderr(),
                "note: {}",
                schemagate::db::redact(message)
            );
        }
    }

    /// What is being run, with -v.
    pub fn verbose(&self, message: &str) {
        if self.verbose > 0 && !self.quiet {
            let _ = writeln!(
                std::io::stderr(),
                "schemagate: {}",
                schemagate::db::redact(message)
            );
        }
    }
}
