//! `schemagate check`: throwaway server -> migrations -> introspect -> diff -> report.

use anyhow::Result;

use schemagate::pipeline::{self, output, CheckOptions, Event};
use schemagate::report::Format;

use super::Verdict;
use crate::cli::CheckArgs;
use crate::ui::Ui;

pub fn run(args: CheckArgs, ui: Ui) -> Result<Verdict> {
    let options = CheckOptions {
        source: args.source.source(),
        expected: args.expected,
        schemas: args.schema.schemas,
        ignore_kinds: args.ignore_kinds,
    };
    let github = args.format == Format::Github;
    let outcome = pipeline::check(&options, &|event| {
        if let Event::MigrationFailed(error) = event {
            output::annotate_migration_failure(error, github, &mut std::io::stdout().lock());
        }
        ui.event(event);
    })?;
    output::write_outcome(&outcome, args.format, &mut std::io::stdout().lock())?;
    Ok(if outcome.is_match() {
        Verdict::Match
    } else {
        Verdict::Mismatch
    })
}
