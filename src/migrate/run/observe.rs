//! A hook into `up` for whoever wants to watch each statement run (the
//! migration-safety observer in `crate::hazards`): called before each
//! migration, and after each statement while its transaction is still open.

use postgres::types::ToSql;
use postgres::Row;

use crate::migrate::model::{MigrateError, Migration, MigrationFile};
use crate::migrate::sql::Statement;

/// Runs a query on the migrating connection (inside the migration's
/// transaction when it has one).
pub type Query<'a> =
    &'a mut dyn FnMut(&str, &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, postgres::Error>;

pub trait Observer {
    /// Before `migration` starts, outside its transaction.
    fn begin(
        &mut self,
        _migration: &Migration,
        _file: &MigrationFile,
        _query: Query<'_>,
    ) -> Result<(), MigrateError> {
        Ok(())
    }

    /// After `statement` of `file` ran, before anything else runs.
    fn statement(
        &mut self,
        _migration: &Migration,
        _file: &MigrationFile,
        _statement: &Statement,
        _query: Query<'_>,
    ) -> Result<(), MigrateError> {
        Ok(())
    }
}

/// Watches nothing.
pub struct NoObserver;

impl Observer for NoObserver {}
