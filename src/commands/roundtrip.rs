//! `schemagate roundtrip`: throwaway server -> for each migration up, down,
//! compare, up again -> report.

use std::io::Write;

use anyhow::{Context, Result};

use schemagate::pipeline::{self, output, RoundtripOptions};
use schemagate::roundtrip::{self, Scope};

use super::Verdict;
use crate::cli::RoundtripArgs;
use crate::ui::Ui;

pub fn run(args: RoundtripArgs, ui: Ui) -> Result<Verdict> {
    let options = RoundtripOptions {
        migrations: args.migrations.migrations,
        format: args.migrations.format_migrations,
        target: args.throwaway.target(),
        pg_bin: args.throwaway.pg_bin,
        check: Scope {
            schemas: args.schema.schemas,
            from: args.from,
            to: args.to,
            setup: args.setup,
        },
    };
    let report = pipeline::roundtrip(&options, &|event| ui.event(event))?;
    for extra in &args.report.outputs {
        output::write_file(&extra.file, |file| {
            roundtrip::render(extra.format, &report, file)
        })?;
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    roundtrip::render(args.report.format, &report, &mut out).context("writing the report")?;
    out.flush().context("writing the report")?;
    Ok(if report.is_clean() {
        Verdict::Match
    } else {
        Verdict::Mismatch
    })
}
