//! `roundtrip`: a throwaway server on which each migration is applied,
//! reverted and compared (see [`crate::roundtrip`]).

use std::path::PathBuf;

use super::build::start_throwaway;
use super::{Event, OnEvent, PipelineError};
use crate::migrate::{self, MigrationFormat};
use crate::roundtrip::{self as check, Report, Scope};

#[derive(Clone, Debug)]
pub struct RoundtripOptions {
    pub migrations: PathBuf,
    pub format: Option<MigrationFormat>,
    /// The throwaway server, as `--target` spells it.
    pub target: String,
    pub pg_bin: Option<PathBuf>,
    /// Which schemas and which migrations to check.
    pub check: Scope,
}

/// Checks on a throwaway server that each down migration undoes its up
/// migration; the report's `source` names the server.
pub fn roundtrip(options: &RoundtripOptions, on_event: OnEvent) -> Result<Report, PipelineError> {
    // Bad input fails before any server starts.
    let migrations = migrate::discover(&options.migrations, options.format)?;
    for warning in migrations.iter().flat_map(migrate::Migration::warnings) {
        on_event(Event::Warning(&warning));
    }
    for rev in options.check.from.iter().chain(&options.check.to) {
        migrate::resolve(&migrations, rev)?;
    }
    let throwaway = start_throwaway(&options.target, &options.pg_bin, on_event)?;
    let mut report = check::run(&throwaway.conninfo, &migrations, &options.check, |event| {
        on_event(Event::Roundtrip(event))
    })?;
    report.source = format!("migrations on {}", throwaway.description);
    Ok(report)
}
