//! Primary keys, unique, check and foreign key constraints, with column
//! numbers turned into names.

use std::collections::{BTreeSet, HashMap};

use postgres::Row;

use super::partial::Partial;
use crate::model::{
    Check, Deferrable, Exclusion, FkAction, ForeignKey, PrimaryKey, QualifiedName, Unique,
};

pub(super) const SQL: &str = include_str!("constraints.sql");
pub(super) const REF_COLUMNS_SQL: &str = include_str!("ref_columns.sql");

/// Tables outside the selected schemas that foreign keys point to, whose
/// column names [`REF_COLUMNS_SQL`] reads: the columns query knows only the
/// selected ones. Sorted, without duplicates.
pub(super) fn outside_tables(rows: &[Row], partial: &Partial) -> Vec<u32> {
    rows.iter()
        .map(|row| row.get::<_, u32>("ref_oid"))
        .filter(|oid| *oid != 0 && !partial.named_tables.contains(oid))
        .collect::<BTreeSet<u32>>()
        .into_iter()
        .collect()
}

/// The rows of [`REF_COLUMNS_SQL`], which read the columns of `asked`.
pub(super) fn assemble_ref_columns(asked: &[u32], rows: &[Row], partial: &mut Partial) {
    partial.named_tables.extend(asked.iter().copied());
    for row in rows {
        partial
            .attnames
            .insert((row.get("table_oid"), row.get("attnum")), row.get("name"));
    }
}

pub(super) fn assemble(rows: &[Row], partial: &mut Partial) {
    for row in rows {
        let Some(table) = partial.tables.get_mut(row.get("table_oid")) else {
            continue;
        };
        let attnames = &partial.attnames;
        let name: String = row.get("name");
        let columns = column_names(attnames, row.get("table_oid"), row.get("column_numbers"));
        let deferrable = Deferrable::from_flags(row.get("condeferrable"), row.get("condeferred"));
        // A NOT ENFORCED constraint (18) is never validated either: that is
        // what it is, not also NOT VALID.
        let enforced: bool = row.get("enforced");
        let validated = row.get::<_, bool>("convalidated") || !enforced;
        let without_overlaps: bool = row.get("period");
        let comment: Option<String> = row.get("comment");
        let include = column_names(attnames, row.get("table_oid"), row.get("include_numbers"));
        let options = super::relations::reloptions(row.get("index_options"));
        match row.get::<_, String>("kind").as_str() {
            "p" => {
                table.primary_key = Some(PrimaryKey {
                    comment: comment.clone(),
                    line: None,
                    name: Some(name),
                    columns,
                    without_overlaps,
                    deferrable,
                    include,
                    options,
                })
            }
            "x" => table.exclusions.push(Exclusion {
                comment: comment.clone(),
                line: None,
                name: Some(name),
                method: row
                    .get::<_, Option<String>>("exclusion_method")
                    .unwrap_or_default(),
                elements: row
                    .get::<_, Option<Vec<String>>>("exclusion_elements")
                    .unwrap_or_default(),
                predicate: row.get("exclusion_predicate"),
                deferrable,
                include,
                options,
            }),
            "u" => table.uniques.push(Unique {
                comment: comment.clone(),
                line: None,
                name: Some(name),
                columns,
                nulls_not_distinct: row.get("nulls_not_distinct"),
                deferrable,
                without_overlaps,
                include,
                options,
            }),
            "c" => table.checks.push(Check {
                comment: comment.clone(),
                line: None,
                name: Some(name),
                expression: row
                    .get::<_, Option<String>>("check_expr")
                    .unwrap_or_default(),
                validated,
                enforced,
                no_inherit: row.get("no_inherit"),
            }),
            "f" => table.foreign_keys.push(ForeignKey {
                comment: comment.clone(),
                line: None,
                name: Some(name),
                columns,
                ref_table: QualifiedName::new(
                    row.get::<_, String>("ref_schema"),
                    row.get::<_, String>("ref_table"),
                ),
                ref_columns: column_names(
                    attnames,
                    row.get("ref_oid"),
                    row.get("ref_column_numbers"),
                ),
                on_delete: FkAction::from_catalog(first_byte(row, "on_delete")),
                on_delete_columns: column_names(
                    attnames,
                    row.get("table_oid"),
                    row.get("on_delete_column_numbers"),
                ),
                on_update: FkAction::from_catalog(first_byte(row, "on_update")),
                deferrable,
                validated,
                enforced,
                period: without_overlaps,
                match_full: row.get("match_full"),
            }),
            _ => {}
        }
    }
}

/// The names of columns `numbers` of table `oid`; `#n` for one not known.
fn column_names(
    attnames: &HashMap<(u32, i16), String>,
    oid: u32,
    numbers: Vec<i16>,
) -> Vec<String> {
    numbers
        .into_iter()
        .map(|n| {
            attnames
                .get(&(oid, n))
                .cloned()
                .unwrap_or_else(|| format!("#{n}"))
        })
        .collect()
}

fn first_byte(row: &Row, column: &str) -> i8 {
    row.get::<_, String>(column).bytes().next().unwrap_or(b'a') as i8
}
