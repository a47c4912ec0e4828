//! One module per subcommand, from parsed arguments to a verdict. A command
//! imports `cli`, `ui` and the library (whose `pipeline` holds what several
//! commands share), never another command.

use anyhow::Result;

use std::path::Path;

use schemagate::pipeline::Rewritten;
use schemagate::report::fleet::{FleetReport, Status};

use crate::cli::{Cli, Command};
use crate::ui::Ui;

mod bootstrap;
mod check;
mod diff;
mod merge_reports;
mod migrate;
mod report;
mod roundtrip;
mod schema;
mod snapshot;

/// What a successful run found; `main` maps it to the exit status.
pub enum Verdict {
    Match,
    Mismatch,
    /// Something could not be checked, and the report says what (a
    /// database of a fleet); exit status 2 without another message.
    Incomplete,
}

impl Verdict {
    /// A fleet's: incomplete if any database could not be checked, else
    /// mismatch if any drifted, else match.
    pub fn of_fleet(report: &FleetReport) -> Verdict {
        match report.status {
            Status::Ok => Verdict::Match,
            Status::Mismatch => Verdict::Mismatch,
            Status::Error => Verdict::Incomplete,
        }
    }
}

pub fn run(cli: Cli) -> Result<Verdict> {
    let ui = Ui::new(cli.quiet, cli.verbose);
    match cli.command {
        Command::Check(args) => check::run(args, ui),
        Command::Diff(args) => diff::run(args, ui),
        Command::Snapshot(args) => snapshot::run(args, ui),
        Command::Migrate(args) => migrate::run(args, cli.quiet),
        Command::Bootstrap(args) => bootstrap::run(args, cli.quiet),
        Command::Roundtrip(args) => roundtrip::run(args, ui),
        Command::Report(args) => report::run(args, ui),
        Command::MergeReports(args) => merge_reports::run(args),
        Command::Schema => schema::run(),
    }
}

/// After `--update`: one line on stderr saying what changed, and the
/// verdict of the rewritten file (a match, unless something the file
/// cannot declare remains).
fn after_update(path: &Path, rewritten: &Rewritten, ui: Ui) -> Verdict {
    let n = rewritten.resolved;
    let remaining = &rewritten.outcome;
    ui.note(&format!(
        "updated {}: {n} mismatch{} written into the file{}",
        path.display(),
        if n == 1 { "" } else { "es" },
        if remaining.is_match() {
            String::new()
        } else {
            format!("; still: {}", remaining.summary_line())
        }
    ));
    if remaining.is_match() {
        Verdict::Match
    } else {
        Verdict::Mismatch
    }
}
