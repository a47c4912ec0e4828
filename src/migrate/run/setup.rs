//! `--setup FILE.sql`: what a project needs before its first migration (a
//! schema, roles, an extension's stub, another tool's table), run on the
//! throwaway database first. Statement by statement outside a transaction,
//! as `psql -f` runs a file, so that CREATE DATABASE or CREATE INDEX
//! CONCURRENTLY work there too.

use std::path::Path;

use postgres::Client;

use crate::migrate::model::MigrateError;
use crate::migrate::sources::files::read_text;
use crate::migrate::sql::position::locate;
use crate::migrate::sql::split::split;

/// Runs the setup file `file` on `client`; a failing statement names its
/// file and line.
pub fn setup(client: &mut Client, file: &Path) -> Result<(), MigrateError> {
    let sql = read_text(file)?;
    for statement in split(&sql) {
        client
            .batch_execute(statement.text(&sql))
            .map_err(|source| MigrateError::Setup {
                file: file.to_path_buf(),
                line: locate(&sql, statement.start).line,
                source,
            })?;
    }
    Ok(())
}
