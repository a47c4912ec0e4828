//! Indexes: key expressions with their operator classes and ordering,
//! included columns, predicates.

use postgres::Row;

use super::partial::Partial;
use crate::model::{Index, IndexKey};

pub(super) const SQL: &str = include_str!("indexes.sql");

pub(super) fn assemble(rows: &[Row], partial: &mut Partial) {
    for row in rows {
        let Some(indexes) = partial.indexes_of(row.get("table_oid")) else {
            continue;
        };
        let key_count = row.get::<_, i32>("key_count") as usize;
        let columns: Vec<String> = row.get("columns");
        let options: Vec<i16> = row.get("options");
        let opclasses: Vec<String> = row.get("opclasses");
        let keys = columns
            .iter()
            .take(key_count)
            .enumerate()
            .map(|(k, expr)| {
                let option = options.get(k).copied().unwrap_or(0);
                // indoption bits: 1 = DESC, 2 = NULLS FIRST.
                let descending = option & 1 != 0;
                let nulls_first = option & 2 != 0;
                IndexKey {
                    expression: expr.clone(),
                    opclass: opclasses.get(k).filter(|o| !o.is_empty()).cloned(),
                    descending,
                    nulls_first: (nulls_first != descending).then_some(nulls_first),
                }
            })
            .collect();
        indexes.push(Index {
            line: None,
            name: row.get("name"),
            unique: row.get("indisunique"),
            method: row.get("method"),
            keys,
            include: columns.iter().skip(key_count).cloned().collect(),
            predicate: row.get("predicate"),
            nulls_not_distinct: row.get("nulls_not_distinct"),
            options: super::relations::reloptions(row.get("reloptions")),
            valid: row.get("indisvalid"),
        });
    }
}
