//! Rules on tables, by name.

use postgres::Row;

use super::partial::Partial;
use crate::model::Rule;

pub(super) const SQL: &str = include_str!("rules.sql");

pub(super) fn assemble(rows: &[Row], partial: &mut Partial) {
    for row in rows {
        let Some(table) = partial.tables.get_mut(row.get("table_oid")) else {
            continue;
        };
        table.rules.push(Rule {
            line: None,
            name: row.get("name"),
            definition: row.get("definition"),
        });
    }
}
