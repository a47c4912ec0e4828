//! `snapshot`: what a database (or a set of migrations) holds, as a
//! schema to write out as an expected file.

use super::build::build;
use super::read::{schemas_to_read, LiveDatabase};
use super::{OnEvent, PipelineError, Source};
use crate::model::Schema;

/// What to take the snapshot of.
#[derive(Clone, Debug)]
pub enum SnapshotSource {
    /// A live database (read-only).
    Live(LiveDatabase),
    /// Migrations applied to a throwaway server; `schemas` as for a live one.
    Migrations {
        source: Source,
        schemas: Vec<String>,
    },
}

/// Reads the schema of `source` (default schema: `public`).
pub fn snapshot(source: &SnapshotSource, on_event: OnEvent) -> Result<Schema, PipelineError> {
    match source {
        SnapshotSource::Migrations { source, schemas } => {
            let schemas = schemas_to_read(schemas, None);
            build(source, on_event)?.introspect(&schemas, None, on_event)
        }
        SnapshotSource::Live(database) => {
            let schemas = schemas_to_read(&database.schemas, None);
            database.read(&schemas, on_event)
        }
    }
}
