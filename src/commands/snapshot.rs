//! `schemagate snapshot`: an expected_schema.yaml describing a live
//! database, or what a set of migrations builds.

use std::io::Write;

use anyhow::{Context, Result};

use schemagate::expected;
use schemagate::pipeline::{self, SnapshotSource, Source};

use super::Verdict;
use crate::cli::SnapshotArgs;
use crate::ui::Ui;

pub fn run(args: SnapshotArgs, ui: Ui) -> Result<Verdict> {
    let source = match &args.migrations {
        Some(dir) => SnapshotSource::Migrations {
            source: Source {
                migrations: dir.clone(),
                format: None,
                target: args.throwaway.target(),
                pg_bin: args.throwaway.pg_bin.clone(),
                bootstrap: false,
                migrate_cmd: None,
                setup: args.setup.clone(),
            },
            schemas: args.db.schema.schemas.clone(),
            privileges: args.privileges,
        },
        None => {
            let mut live = args.db.live();
            live.limits.privileges = args.privileges;
            SnapshotSource::Live(live)
        }
    };
    let actual = pipeline::snapshot(&source, &|event| ui.event(event))?;
    let yaml = expected::to_yaml(&actual);
    // The process ends soon after: no need to free the schema piece by piece.
    std::mem::forget(actual);
    match &args.output {
        Some(path) => std::fs::write(path, yaml)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => std::io::stdout()
            .write_all(yaml.as_bytes())
            .context("writing the snapshot")?,
    }
    Ok(Verdict::Match)
}
