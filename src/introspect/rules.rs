//! Rules on tables and views, by name.

use postgres::Row;

use super::partial::Partial;
use crate::model::{Firing, Rule};

pub(super) const SQL: &str = include_str!("rules.sql");

pub(super) fn assemble(rows: &[Row], partial: &mut Partial) {
    for row in rows {
        let Some(rules) = partial.rules_of(row.get("table_oid")) else {
            continue;
        };
        rules.push(Rule {
            line: None,
            name: row.get("name"),
            definition: row.get("definition"),
            enabled: Firing::from_catalog(&row.get::<_, String>("enabled")),
            comment: row.get("comment"),
        });
    }
}
