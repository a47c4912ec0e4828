//! Columns: a column's definition in `CREATE TABLE`, `ALTER COLUMN` for
//! each attribute that differs, and which type changes keep every value.

use super::constraints::constraint_name;
use crate::canon::{canonical_type, serial_type};
use crate::model::*;
use crate::sqlgen::{collation_name, literal, Phase, Script};

/// One attribute of a column on both sides.
pub(super) fn alter_column(
    script: &mut Script,
    table: (&str, &str),
    e: &Column,
    a: &Column,
    attribute: Option<&str>,
) {
    let q = &crate::sqlgen::qualified(table.0, table.1);
    let qc = quote_ident(&e.name);
    let alter = format!("ALTER TABLE {q} ALTER COLUMN {qc}");
    match attribute {
        Some("type") => {
            let ty = sql_type(&e.data_type);
            let collate = e
                .collation
                .as_ref()
                .map_or(String::new(), |c| format!(" COLLATE {}", collation_name(c)));
            let sql = format!("{alter} TYPE {ty}{collate} USING {qc}::{ty}");
            if is_widening(&a.data_type, &e.data_type) {
                script.push(Phase::Columns, sql);
            } else {
                script.destructive(Phase::Columns, sql);
            }
        }
        Some("collation") => {
            let collate = e
                .collation
                .as_ref()
                .map_or(" COLLATE \"default\"".to_string(), |c| {
                    format!(" COLLATE {}", collation_name(c))
                });
            script.push(
                Phase::Columns,
                format!("{alter} TYPE {}{collate}", sql_type(&e.data_type)),
            );
        }
        Some("nullable") => {
            if e.nullable {
                script.push(Phase::Columns, format!("{alter} DROP NOT NULL"));
            } else if !a.nullable
                && !a.not_null_validated
                && e.not_null_validated
                && e.not_null_no_inherit == a.not_null_no_inherit
                && a.not_null_name.is_some()
            {
                // Only the validation is missing.
                script.push(
                    Phase::Keys,
                    format!(
                        "ALTER TABLE {q} VALIDATE CONSTRAINT {}",
                        quote_ident(a.not_null_name.as_deref().unwrap_or_default())
                    ),
                );
            } else {
                if !a.nullable {
                    script.push(Phase::Columns, format!("{alter} DROP NOT NULL"));
                }
                if e.not_null_validated && !e.not_null_no_inherit && e.not_null_name.is_none() {
                    script.push(Phase::Columns, format!("{alter} SET NOT NULL"));
                } else {
                    script.push(Phase::Keys, add_not_null(q, e));
                }
            }
        }
        Some("not_null_name") => match (&a.not_null_name, &e.not_null_name) {
            (Some(from), Some(to)) => script.push(
                Phase::Keys,
                format!(
                    "ALTER TABLE {q} RENAME CONSTRAINT {} TO {}",
                    quote_ident(from),
                    quote_ident(to)
                ),
            ),
            _ => {
                script.push(Phase::Columns, format!("{alter} DROP NOT NULL"));
                script.push(Phase::Keys, add_not_null(q, e));
            }
        },
        Some("default") => script.push(
            Phase::Columns,
            match &e.default {
                Some(d) => format!("{alter} SET DEFAULT {d}"),
                None => format!("{alter} DROP DEFAULT"),
            },
        ),
        Some("identity") => match (e.identity, a.identity) {
            (Some(i), Some(_)) => script.push(
                Phase::Columns,
                format!("{alter} SET GENERATED {}", identity(i)),
            ),
            (Some(i), None) => script.push(
                Phase::Columns,
                format!("{alter} ADD GENERATED {} AS IDENTITY", identity(i)),
            ),
            (None, _) => script.push(Phase::Columns, format!("{alter} DROP IDENTITY")),
        },
        Some("generated") | Some("generated_kind") => match &e.generated {
            None => script.push(Phase::Columns, format!("{alter} DROP EXPRESSION")),
            Some(_) => {
                // Before PostgreSQL 17 a generation expression cannot be
                // changed in place: the column is dropped and added again.
                script.destructive(Phase::Columns, format!("ALTER TABLE {q} DROP COLUMN {qc}"));
                script.destructive(
                    Phase::Columns,
                    format!("ALTER TABLE {q} ADD COLUMN {}", column_definition(e)),
                );
            }
        },
        Some("storage" | "compression" | "statistics" | "options" | "sequence") => {
            // Each differing setting gives a mismatch; the first sets them all.
            let (et, at) = (e.tuning(), a.tuning());
            let first = [
                "storage",
                "compression",
                "statistics",
                "options",
                "sequence",
            ]
            .into_iter()
            .find(|what| match *what {
                "storage" => et.storage != at.storage,
                "compression" => et.compression != at.compression,
                "statistics" => et.statistics != at.statistics,
                "options" => {
                    crate::canon::reloptions(&et.options) != crate::canon::reloptions(&at.options)
                }
                _ => {
                    OwnedSequence::describe(et.sequence.as_ref(), &e.sequence_type())
                        != OwnedSequence::describe(at.sequence.as_ref(), &a.sequence_type())
                }
            });
            if first == attribute {
                set_tuning(script, table, e, &at);
            }
        }
        Some("comment") => script.push(
            Phase::Comments,
            format!(
                "COMMENT ON COLUMN {q}.{qc} IS {}",
                e.comment.as_deref().map_or("NULL".into(), literal)
            ),
        ),
        _ => {}
    }
}

/// `ALTER COLUMN ... SET STORAGE / SET COMPRESSION / SET STATISTICS /
/// SET (...) / RESET (...)` for each setting of `e` that `actual` lacks.
pub(super) fn set_tuning(
    script: &mut Script,
    table: (&str, &str),
    e: &Column,
    actual: &ColumnTuning,
) {
    let q = &crate::sqlgen::qualified(table.0, table.1);
    let want = e.tuning();
    let seq_type = e.sequence_type();
    if OwnedSequence::describe(want.sequence.as_ref(), &seq_type)
        != OwnedSequence::describe(actual.sequence.as_ref(), &seq_type)
    {
        let s = want.sequence.as_ref().map_or_else(
            || Sequence::with_defaults(&seq_type, 1),
            |s| s.options.clone(),
        );
        let parts = [
            format!("INCREMENT BY {}", s.increment),
            format!("MINVALUE {}", s.min_value),
            format!("MAXVALUE {}", s.max_value),
            format!("START WITH {}", s.start),
            format!("CACHE {}", s.cache),
            if s.cycle { "CYCLE" } else { "NO CYCLE" }.to_string(),
        ];
        let options = parts.join(" ");
        if e.identity.is_some() {
            // SET each option of the identity's own sequence.
            script.push(
                Phase::Columns,
                format!(
                    "ALTER TABLE {q} ALTER COLUMN {} SET {}",
                    quote_ident(&e.name),
                    parts.join(" SET ")
                ),
            );
        } else {
            // A serial column's sequence, by the name the server gave it.
            let name = actual
                .sequence
                .as_ref()
                .and_then(|s| s.name.clone())
                .unwrap_or_else(|| format!("{}_{}_seq", table.1, e.name));
            script.push(
                Phase::Columns,
                format!(
                    "ALTER SEQUENCE {} {options}",
                    crate::sqlgen::qualified(table.0, &name)
                ),
            );
        }
    }
    let alter = format!("ALTER TABLE {q} ALTER COLUMN {}", quote_ident(&e.name));
    if want.storage != actual.storage {
        if let Some(s) = &want.storage {
            script.push(
                Phase::Columns,
                format!("{alter} SET STORAGE {}", s.to_uppercase()),
            );
        } else {
            script.manual(
                Phase::Columns,
                format!(
                    "column {q}.{}: set its STORAGE back to its type's default by hand",
                    quote_ident(&e.name)
                ),
            );
        }
    }
    if want.compression != actual.compression {
        script.push(
            Phase::Columns,
            format!(
                "{alter} SET COMPRESSION {}",
                want.compression.as_deref().unwrap_or("default")
            ),
        );
    }
    if want.statistics != actual.statistics {
        script.push(
            Phase::Columns,
            format!("{alter} SET STATISTICS {}", want.statistics.unwrap_or(-1)),
        );
    }
    let (w, a) = (
        crate::canon::reloptions(&want.options),
        crate::canon::reloptions(&actual.options),
    );
    if w != a {
        let gone: Vec<String> = a.keys().filter(|k| !w.contains_key(*k)).cloned().collect();
        if !gone.is_empty() {
            script.push(
                Phase::Columns,
                format!("{alter} RESET ({})", gone.join(", ")),
            );
        }
        if !w.is_empty() {
            script.push(
                Phase::Columns,
                format!(
                    "{alter} SET ({})",
                    crate::sqlgen::option_list(&want.options)
                ),
            );
        }
    }
}

fn identity(i: Identity) -> &'static str {
    match i {
        Identity::Always => "ALWAYS",
        Identity::ByDefault => "BY DEFAULT",
    }
}

/// A type as SQL: `serial` types are `integer` & co. outside `CREATE TABLE`.
fn sql_type(data_type: &str) -> String {
    serial_type(data_type).map_or_else(|| data_type.to_string(), str::to_string)
}

/// Whether changing `from` to `to` keeps every value: a longer varchar or
/// to text, a wider integer, a numeric with more digits.
fn is_widening(from: &str, to: &str) -> bool {
    let (from, to) = (canonical_type(from), canonical_type(to));
    let ints = ["smallint", "integer", "bigint"];
    let rank = |t: &str| ints.iter().position(|i| *i == t);
    if let (Some(f), Some(t)) = (rank(&from), rank(&to)) {
        return t >= f;
    }
    let length = |t: &str, base: &str| -> Option<Option<u32>> {
        let rest = t.strip_prefix(base)?;
        if rest.is_empty() {
            return Some(None);
        }
        rest.strip_prefix('(')?
            .strip_suffix(')')?
            .parse()
            .ok()
            .map(Some)
    };
    if to == "text" && (from.starts_with("character varying") || from.starts_with("character")) {
        return true;
    }
    if let (Some(f), Some(t)) = (
        length(&from, "character varying"),
        length(&to, "character varying"),
    ) {
        return match (f, t) {
            (_, None) => true,
            (Some(f), Some(t)) => t >= f,
            (None, Some(_)) => false,
        };
    }
    false
}

/// `name type [COLLATE c] [GENERATED ...] [DEFAULT d] [NOT NULL]`.
pub(super) fn column_definition(c: &Column) -> String {
    let mut sql = format!("{} {}", quote_ident(&c.name), c.data_type);
    if let Some(coll) = &c.collation {
        sql.push_str(&format!(" COLLATE {}", collation_name(coll)));
    }
    if let Some(g) = &c.generated {
        sql.push_str(&format!(
            " GENERATED ALWAYS AS ({g}) {}",
            c.generated_kind.as_str().to_uppercase()
        ));
    }
    if let Some(i) = c.identity {
        sql.push_str(&format!(" GENERATED {} AS IDENTITY", identity(i)));
    }
    if let Some(d) = &c.default {
        if serial_type(&c.data_type).is_none() && c.identity.is_none() {
            sql.push_str(&format!(" DEFAULT {d}"));
        }
    }
    // A NOT VALID one is added afterwards (`not_null_not_valid`).
    if !c.nullable && c.not_null_validated {
        if let Some(n) = &c.not_null_name {
            sql.push_str(&format!(" CONSTRAINT {}", quote_ident(n)));
        }
        sql.push_str(" NOT NULL");
        if c.not_null_no_inherit {
            sql.push_str(" NO INHERIT");
        }
    }
    sql
}

/// `ALTER TABLE ... ADD [CONSTRAINT n] NOT NULL c [NO INHERIT] [NOT VALID]`
/// (PostgreSQL 18), for a NOT NULL that `column_definition` cannot write.
pub(super) fn add_not_null(q: &str, c: &Column) -> String {
    format!(
        "ALTER TABLE {q} ADD {}NOT NULL {}{}{}",
        constraint_name(&c.not_null_name),
        quote_ident(&c.name),
        if c.not_null_no_inherit {
            " NO INHERIT"
        } else {
            ""
        },
        if c.not_null_validated {
            ""
        } else {
            " NOT VALID"
        }
    )
}

#[cfg(test)]
mod tests {
    use super::is_widening;

    #[test]
    fn widening_is_known_narrowing_is_not() {
        assert!(is_widening("varchar(40)", "varchar(50)"));
        assert!(is_widening("varchar(40)", "text"));
        assert!(is_widening("integer", "bigint"));
        assert!(!is_widening("varchar(50)", "varchar(40)"));
        assert!(!is_widening("bigint", "integer"));
        assert!(!is_widening("text", "integer"));
    }
}
