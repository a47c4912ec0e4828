//! Objects of kinds the model does not compare, listed so that they fail
//! the verdict instead of passing in silence.

use postgres::Row;

use super::partial::Partial;
use crate::model::Uncovered;

pub(super) const SQL: &str = include_str!("uncovered.sql");

pub(super) fn assemble(rows: &[Row], partial: &mut Partial) {
    for row in rows {
        partial.schema.not_compared.push(Uncovered {
            object_type: row.get("kind"),
            schema: row.get("schema"),
            name: row.get("name"),
        });
    }
}
