//! Composite types, extensions, collations, extended statistics and
//! foreign tables: one query each, small enough to share an assembler file.

use postgres::Row;

use super::partial::Partial;
use crate::model::{Collation, CompositeType, Extension, Field, ForeignTable, Statistics};

pub(super) const COMPOSITE_TYPES_SQL: &str = include_str!("composite_types.sql");
pub(super) const EXTENSIONS_SQL: &str = include_str!("extensions.sql");
pub(super) const COLLATIONS_SQL: &str = include_str!("collations.sql");
pub(super) const STATISTICS_SQL: &str = include_str!("statistics.sql");
pub(super) const FOREIGN_TABLES_SQL: &str = include_str!("foreign_tables.sql");

/// The locale of a collation, for `{collation_locale}` in [`COLLATIONS_SQL`].
pub(super) fn locale_column(server_version: i32) -> &'static str {
    if server_version >= 170000 {
        "coalesce(c.colllocale, c.collcollate::text)"
    } else if server_version >= 150000 {
        "coalesce(c.colliculocale, c.collcollate::text)"
    } else {
        "c.collcollate::text"
    }
}

/// Names, types and collations (`''` for the type's own) of attributes or
/// columns, in order.
fn fields(row: &Row, names: &str, types: &str, collations: &str) -> Vec<Field> {
    let names: Vec<String> = row.get(names);
    let types: Vec<String> = row.get(types);
    let collations: Vec<String> = row.get(collations);
    names
        .into_iter()
        .zip(types)
        .enumerate()
        .map(|(k, (name, data_type))| Field {
            name,
            data_type,
            collation: collations.get(k).filter(|c| !c.is_empty()).cloned(),
        })
        .collect()
}

pub(super) fn assemble_composite_types(rows: &[Row], partial: &mut Partial) {
    for row in rows {
        let composite = CompositeType {
            line: None,
            attributes: fields(
                row,
                "attribute_names",
                "attribute_types",
                "attribute_collations",
            ),
            comment: row.get("comment"),
        };
        partial
            .namespace(row.get("schema"))
            .composite_types
            .insert(row.get("name"), composite);
    }
}

pub(super) fn assemble_extensions(rows: &[Row], partial: &mut Partial) {
    for row in rows {
        let extension = Extension {
            line: None,
            version: row.get("version"),
        };
        partial
            .namespace(row.get("schema"))
            .extensions
            .insert(row.get("name"), extension);
    }
}

pub(super) fn assemble_collations(rows: &[Row], partial: &mut Partial) {
    for row in rows {
        let collation = Collation {
            line: None,
            provider: row.get("provider"),
            locale: row.get::<_, Option<String>>("locale").unwrap_or_default(),
            deterministic: row.get("deterministic"),
            comment: row.get("comment"),
        };
        partial
            .namespace(row.get("schema"))
            .collations
            .insert(row.get("name"), collation);
    }
}

pub(super) fn assemble_statistics(rows: &[Row], partial: &mut Partial) {
    for row in rows {
        let mut kinds: Vec<String> = row.get("kinds");
        kinds.sort();
        let stats = Statistics {
            line: None,
            table: row.get("table_name"),
            kinds,
            columns: row.get("columns"),
            expressions: row.get("expressions"),
            target: row.get("target"),
            comment: row.get("comment"),
        };
        partial
            .namespace(row.get("schema"))
            .statistics
            .insert(row.get("name"), stats);
    }
}

pub(super) fn assemble_foreign_tables(rows: &[Row], partial: &mut Partial) {
    for row in rows {
        let mut options: Vec<String> = row.get("options");
        options.sort();
        let foreign = ForeignTable {
            line: None,
            server: row.get("server"),
            columns: fields(row, "column_names", "column_types", "column_collations"),
            options,
        };
        partial
            .namespace(row.get("schema"))
            .foreign_tables
            .insert(row.get("name"), foreign);
    }
}
