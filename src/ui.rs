//! Human-facing notes on stderr: progress for slow stages on a terminal,
//! notes unless `--quiet`, what is run with `-v` and its detail with `-vv`
//! (each migration, each catalog query) — including the text
//! for each pipeline event. Reports go to stdout.

use std::io::{IsTerminal, Write};

use schemagate::pipeline::Event;
use schemagate::roundtrip::{self, StepOutcome};

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

    /// Whether progress is shown: on a terminal, without --quiet.
    pub fn shows_progress(&self) -> bool {
        self.terminal && !self.quiet
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

    /// What a run did, in one line, unless --quiet.
    pub fn summary(&self, message: &str) {
        if !self.quiet {
            let _ = writeln!(
                std::io::stderr(),
                "schemagate: {}",
                schemagate::db::redact(message)
            );
        }
    }

    /// What is being run, with -v: each stage and its time.
    pub fn verbose(&self, message: &str) {
        self.at_level(1, message)
    }

    /// The detail of a stage, with -vv: each migration applied, each
    /// catalog query.
    pub fn detail(&self, message: &str) {
        self.at_level(2, message)
    }

    fn at_level(&self, level: u8, message: &str) {
        if self.verbose >= level && !self.quiet {
            let _ = writeln!(
                std::io::stderr(),
                "schemagate: {}",
                schemagate::db::redact(message)
            );
        }
    }
}

impl Ui {
    /// What a pipeline reports, shown at the level it deserves.
    pub fn event(&self, event: Event<'_>) {
        match event {
            Event::Loaded {
                path,
                tables,
                took,
                cpu,
            } => self.verbose(&format!(
                "loaded {} ({tables} tables) in {} ms{}",
                path.display(),
                took.as_millis(),
                cpu.map(|cpu| format!(" ({} ms of CPU)", cpu.as_millis()))
                    .unwrap_or_default()
            )),
            Event::StartingThrowaway => self.progress("starting a throwaway PostgreSQL ..."),
            Event::ThrowawayReady { description, took } => self.verbose(&format!(
                "target: {description} (ready in {} ms)",
                took.as_millis()
            )),
            Event::Bootstrapping { database, role } => self.progress(&format!(
                "bootstrapping database {database} and role {role} ..."
            )),
            Event::Warning(text) => self.note(text),
            Event::Applying { count } => self.progress(&format!("applying {count} migrations ...")),
            Event::Applied { path, took } => self.detail(&format!(
                "applied {} ({} ms)",
                path.display(),
                took.as_millis()
            )),
            Event::RunningCommand(cmd) => {
                self.verbose(&format!("running: {cmd}"));
                self.progress(&format!("running the migration command: {cmd}"));
            }
            // The error itself reaches the user as the run's error.
            Event::MigrationFailed(_) => {}
            Event::Connected { connections, took } => self.verbose(&format!(
                "connected in {} ms{}",
                took.as_millis(),
                if connections > 1 {
                    " (2 connections)"
                } else {
                    ""
                }
            )),
            Event::CatalogStage { stage, took } => {
                self.detail(&format!("  {stage}: {} ms", took.as_millis()))
            }
            Event::CatalogRead { tables, took } => self.verbose(&format!(
                "read the catalog ({tables} tables) in {} ms",
                took.as_millis()
            )),
            // The command sums the run up in one line at the end.
            Event::Built { .. } => {}
            Event::ReadingAgain => {
                self.verbose("the file declares other schemas than guessed: reading again")
            }
            Event::Compared { mismatches, took } => self.verbose(&format!(
                "compared in {} ms ({mismatches} mismatches)",
                took.as_millis()
            )),
            Event::BaseExtracted { rev, dir } => self.verbose(&format!(
                "migrations of {rev} extracted into {}",
                dir.display()
            )),
            Event::Roundtrip(event) => self.roundtrip_event(event),
        }
    }

    fn roundtrip_event(&self, event: roundtrip::RoundtripEvent<'_>) {
        match event {
            roundtrip::RoundtripEvent::Applying(m) => {
                self.detail(&format!("applying {} (before --from)", m.id()))
            }
            roundtrip::RoundtripEvent::Checking(m) => {
                self.progress(&format!("checking {} ...", m.id()))
            }
            roundtrip::RoundtripEvent::Checked(step) => {
                let what = match &step.outcome {
                    StepOutcome::Residue(found) => format!("residue ({})", found.len()),
                    other => other.as_str().to_string(),
                };
                self.verbose(&format!("{}: {what}", step.id));
            }
            roundtrip::RoundtripEvent::Rebuilding(m) => self.verbose(&format!(
                "starting over in a fresh database with the migrations up to {}",
                m.id()
            )),
        }
    }
}
