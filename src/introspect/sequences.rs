//! Sequences with their parameters.

use postgres::Row;

use super::partial::Partial;
use crate::model::Sequence;

pub(super) const SQL: &str = include_str!("sequences.sql");

pub(super) fn assemble(rows: &[Row], partial: &mut Partial) {
    for row in rows {
        partial.namespace(row.get("schema")).sequences.insert(
            row.get("name"),
            Sequence {
                line: None,
                data_type: row.get("data_type"),
                start: row.get("seqstart"),
                increment: row.get("seqincrement"),
                min_value: row.get("seqmin"),
                max_value: row.get("seqmax"),
                cache: row.get("seqcache"),
                cycle: row.get("seqcycle"),
                comment: row.get("comment"),
            },
        );
    }
}
