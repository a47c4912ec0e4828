//! Columns of the selected tables, and the column names constraints need.

use postgres::Row;

use super::partial::Partial;
use crate::model::{Column, ColumnTuning, GeneratedKind, Identity};

pub(super) const SQL: &str = include_str!("columns.sql");

pub(super) fn assemble(rows: &[Row], partial: &mut Partial) {
    for row in rows {
        let oid: u32 = row.get("table_oid");
        partial
            .attnames
            .insert((oid, row.get("attnum")), row.get("name"));
        partial.named_tables.insert(oid);
        let Some(table) = partial.tables.get_mut(row.get("table_oid")) else {
            continue;
        };
        let identity = match row.get::<_, String>("identity").as_str() {
            "a" => Some(Identity::Always),
            "d" => Some(Identity::ByDefault),
            _ => None,
        };
        let expr: Option<String> = row.get("default_expr");
        // 's' STORED, 'v' VIRTUAL (PostgreSQL 18), '' not generated.
        let generated_kind = match row.get::<_, String>("generated").as_str() {
            "s" => Some(GeneratedKind::Stored),
            "v" => Some(GeneratedKind::Virtual),
            _ => None,
        };
        let generated = generated_kind.is_some();
        table.columns.push(Column {
            line: None,
            name: row.get("name"),
            data_type: row.get("data_type"),
            nullable: !row.get::<_, bool>("attnotnull"),
            not_null_name: row.get("not_null_name"),
            not_null_validated: row.get("not_null_validated"),
            not_null_no_inherit: row.get("not_null_no_inherit"),
            default: if generated { None } else { expr.clone() },
            identity,
            generated: if generated { expr } else { None },
            generated_kind: generated_kind.unwrap_or_default(),
            collation: row.get("collation"),
            comment: row.get("comment"),
            tuning: ColumnTuning {
                storage: row
                    .get::<_, Option<String>>("storage")
                    .map(|s| storage_word(&s).to_string()),
                compression: row.get::<_, Option<String>>("compression").and_then(|c| {
                    match c.as_str() {
                        "p" => Some("pglz".to_string()),
                        "l" => Some("lz4".to_string()),
                        _ => None,
                    }
                }),
                statistics: row.get("statistics"),
                options: row
                    .get::<_, Option<Vec<String>>>("attoptions")
                    .map(super::relations::reloptions)
                    .unwrap_or_default(),
                // Filled in from the sequences query.
                sequence: None,
            }
            .boxed(),
        });
    }
}

/// `attstorage` as the STORAGE keyword.
fn storage_word(code: &str) -> &'static str {
    match code {
        "p" => "plain",
        "e" => "external",
        "m" => "main",
        _ => "extended",
    }
}
