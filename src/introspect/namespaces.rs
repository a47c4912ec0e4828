//! The selected schemas that exist, so that an empty one is still there.

use postgres::Row;

use super::partial::Partial;

pub(super) const SQL: &str = include_str!("namespaces.sql");

pub(super) fn assemble(rows: &[Row], partial: &mut Partial) {
    for row in rows {
        partial.namespace(row.get("name")).comment = row.get("comment");
    }
}
