//! Sequences with their parameters; a column's own sequence goes to that
//! column.

use postgres::Row;

use super::partial::Partial;
use crate::model::{ColumnTuning, OwnedSequence, Sequence};

pub(super) const SQL: &str = include_str!("sequences.sql");

pub(super) fn assemble(rows: &[Row], partial: &mut Partial) {
    for row in rows {
        let sequence = Sequence {
            line: None,
            data_type: row.get("data_type"),
            start: row.get("seqstart"),
            increment: row.get("seqincrement"),
            min_value: row.get("seqmin"),
            max_value: row.get("seqmax"),
            cache: row.get("seqcache"),
            cycle: row.get("seqcycle"),
            comment: row.get("comment"),
        };
        let owner: Option<u32> = row.get("owner_oid");
        let Some(owner) = owner else {
            partial
                .namespace(row.get("schema"))
                .sequences
                .insert(row.get("name"), sequence);
            continue;
        };
        // A column's: only its options count, and only when they are not
        // the defaults for the column's type.
        let attnum: i16 = row.get("owner_attnum");
        let Some(column_name) = partial.attnames.get(&(owner, attnum)).cloned() else {
            continue;
        };
        let Some(table) = partial.tables.get_mut(owner) else {
            continue;
        };
        let Some(column) = table.columns.iter_mut().find(|c| c.name == column_name) else {
            continue;
        };
        if sequence
            .non_default_options(&column.sequence_type())
            .is_empty()
        {
            continue;
        }
        let mut tuning = column.tuning();
        tuning.sequence = Some(OwnedSequence {
            name: Some(row.get("name")),
            options: sequence,
        });
        column.tuning = ColumnTuning::boxed(tuning);
    }
}
