//! `schemagate report`: a Markdown document for reviewers, read from
//! migrations applied to a throwaway server (or a live database), and with
//! `--base REV` what the change does compared with that git revision.

use std::io::Write;

use anyhow::{Context, Result};

use schemagate::pipeline::{self, output, Event, ReportOptions, ReportSource};
use schemagate::report::document;

use super::Verdict;
use crate::cli::ReportArgs;
use crate::ui::Ui;

pub fn run(args: ReportArgs, ui: Ui) -> Result<Verdict> {
    let options = ReportOptions {
        source: match args.database_url {
            Some(url) => ReportSource::Live { url },
            None => ReportSource::Migrations {
                source: args.source.source(),
                base: args.base,
            },
        },
        expected: args.expected,
        schemas: args.schema.schemas,
    };
    let data = pipeline::report(&options, &|event| {
        if let Event::MigrationFailed(error) = event {
            output::annotate_migration_failure(error, false, &mut std::io::stdout().lock());
        }
        ui.event(event);
    })?;
    let mut text = Vec::new();
    document::render(&data.document(), &mut text).context("rendering the report")?;
    match &args.output {
        Some(path) => {
            std::fs::write(path, &text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            ui.verbose(&format!("report written to {}", path.display()));
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&text).context("writing the report")?;
            out.flush().context("writing the report")?;
        }
    }
    Ok(Verdict::Match)
}
