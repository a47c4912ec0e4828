//! `schemagate roundtrip`: throwaway server -> for each migration up, down,
//! compare, up again -> report.

use std::io::Write;

use anyhow::{Context, Result};

use schemagate::migrate;
use schemagate::roundtrip::{self, Event, Options, Outcome};

use crate::cli::RoundtripArgs;
use crate::cmd_check::start_target;
use crate::ui::Ui;
use crate::Verdict;

pub fn run(args: RoundtripArgs, ui: Ui) -> Result<Verdict> {
    // Bad input fails before any server starts.
    let migrations = migrate::discover(&args.migrations, args.format_migrations)?;
    let options = Options {
        schemas: args.schemas.clone(),
        from: args.from.clone(),
        to: args.to.clone(),
    };
    for rev in options.from.iter().chain(&options.to) {
        migrate::resolve(&migrations, rev)?;
    }
    let throwaway = start_target(&args.target, &args.pg_bin, ui)?;
    let mut report = roundtrip::run(
        &throwaway.conninfo,
        &migrations,
        &options,
        |event| match event {
            Event::Applying(m) => ui.verbose(&format!("applying {} (before --from)", m.id())),
            Event::Checking(m) => ui.progress(&format!("checking {} ...", m.id())),
            Event::Checked(step) => {
                let what = match &step.outcome {
                    Outcome::Residue(found) => format!("residue ({})", found.len()),
                    other => other.as_str().to_string(),
                };
                ui.verbose(&format!("{}: {what}", step.id));
            }
            Event::Rebuilding(m) => ui.verbose(&format!(
                "starting over in a fresh database with the migrations up to {}",
                m.id()
            )),
        },
    )?;
    report.source = format!("migrations on {}", throwaway.description);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    roundtrip::render(args.format, &report, &mut out).context("writing the report")?;
    out.flush().context("writing the report")?;
    Ok(if report.is_clean() {
        Verdict::Match
    } else {
        Verdict::Mismatch
    })
}
