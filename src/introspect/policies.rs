//! Row-level security policies.

use postgres::Row;

use super::partial::Partial;
use crate::model::Policy;

pub(super) const SQL: &str = include_str!("policies.sql");

pub(super) fn assemble(rows: &[Row], partial: &mut Partial) {
    for row in rows {
        let Some(table) = partial.tables.get_mut(row.get("table_oid")) else {
            continue;
        };
        let command = match row.get::<_, String>("command").as_str() {
            "r" => "select",
            "a" => "insert",
            "w" => "update",
            "d" => "delete",
            _ => "all",
        };
        table.policies.push(Policy {
            line: None,
            name: row.get("name"),
            command: command.into(),
            permissive: row.get("polpermissive"),
            roles: row.get("roles"),
            using: row.get("using_expr"),
            with_check: row.get("with_check"),
            comment: row.get("comment"),
        });
    }
}
