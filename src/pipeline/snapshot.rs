//! `snapshot`: what a database (or a set of migrations) holds, as a
//! schema to write out as an expected file.

use super::build::build;
use super::read::{schemas_to_read, LiveDatabase};
use super::{OnEvent, PipelineError, Source};
use std::collections::BTreeSet;

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
        /// Also read owners and grants (`snapshot --privileges`).
        privileges: bool,
    },
}

/// Reads the schema of `source` (default schema: `public`). With
/// privileges, the file speaks for every role granted something on an
/// object it does not own (and `PUBLIC`, if granted anything).
pub fn snapshot(source: &SnapshotSource, on_event: OnEvent) -> Result<Schema, PipelineError> {
    let mut schema = match source {
        SnapshotSource::Migrations {
            source,
            schemas,
            privileges,
        } => {
            let schemas = schemas_to_read(schemas, None);
            build(source, on_event)?.introspect_with(&schemas, None, *privileges, on_event)?
        }
        SnapshotSource::Live(database) => {
            let schemas = schemas_to_read(&database.schemas, None);
            database.read(&schemas, on_event)?
        }
    };
    let privileges = &mut schema.privileges;
    let roles: BTreeSet<String> = privileges
        .objects
        .values()
        .flat_map(|acl| {
            acl.grants
                .iter()
                .flat_map(|g| g.keys())
                .filter(|role| acl.owner.as_ref() != Some(*role))
                .cloned()
                .collect::<Vec<_>>()
        })
        .collect();
    privileges.roles = roles;
    Ok(schema)
}
