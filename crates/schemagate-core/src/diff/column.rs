//! Columns of a table, paired by name.

use super::attr::{attr_default, attr_opt_expr, attr_opt_text, attr_options, attr_type, Attr};
use super::mismatch::{Change, Mismatch, ObjectType};
use super::scope::{Object, Scope};
use crate::canon::pretty_type;
use crate::model::{Column, OwnedSequence};

pub(super) fn diff_columns(
    scope: &Scope,
    out: &mut Vec<Mismatch>,
    expected: &[Column],
    actual: &[Column],
) {
    for ec in expected {
        let object = || Object::at(ObjectType::Column, scope.path(&ec.name), ec.line);
        let Some(ac) = find(actual, &ec.name) else {
            scope.absent(out, object(), Change::Missing, ec.data_type.clone());
            continue;
        };
        let mut tuning: [Attr; 5] = [None, None, None, None, None];
        if ec.tuning.is_some() || ac.tuning.is_some() {
            let (et, at) = (ec.tuning(), ac.tuning());
            tuning = [
                attr_opt_text("storage", &et.storage, &at.storage),
                attr_opt_text("compression", &et.compression, &at.compression),
                (et.statistics != at.statistics).then(|| {
                    (
                        "statistics",
                        et.statistics.map(|s| s.to_string()),
                        at.statistics.map(|s| s.to_string()),
                    )
                }),
                attr_options(&et.options, &at.options),
                {
                    let (es, as_) = (
                        OwnedSequence::describe(et.sequence.as_ref(), &ec.sequence_type()),
                        OwnedSequence::describe(at.sequence.as_ref(), &ac.sequence_type()),
                    );
                    (es != as_).then_some(("sequence", Some(es), Some(as_)))
                },
            ];
        }
        let attrs = [
            attr_type("type", &ec.data_type, &ac.data_type),
            (null_key(ec) != null_key(ac))
                .then(|| ("nullable", Some(nullability(ec)), Some(nullability(ac)))),
            // PostgreSQL 18 names every NOT NULL; the name counts only
            // when the file gives one.
            match (&ec.not_null_name, ac.nullable) {
                (Some(name), false) if Some(name) != ac.not_null_name.as_ref() => Some((
                    "not_null_name",
                    Some(name.clone()),
                    ac.not_null_name.clone(),
                )),
                _ => None,
            },
            attr_default(&ec.default, &ec.data_type, &ac.default, &ac.data_type),
            (ec.identity != ac.identity).then(|| {
                (
                    "identity",
                    ec.identity.map(|i| i.as_str().to_string()),
                    ac.identity.map(|i| i.as_str().to_string()),
                )
            }),
            attr_opt_expr("generated", &ec.generated, &ac.generated),
            // STORED or VIRTUAL, when both are generated.
            (ec.generated.is_some()
                && ac.generated.is_some()
                && ec.generated_kind != ac.generated_kind)
                .then(|| {
                    (
                        "generated_kind",
                        Some(ec.generated_kind.as_str().to_string()),
                        Some(ac.generated_kind.as_str().to_string()),
                    )
                }),
            attr_opt_text("collation", &ec.collation, &ac.collation),
            attr_opt_text("comment", &ec.comment, &ac.comment),
            tuning[0].take(),
            tuning[1].take(),
            tuning[2].take(),
            tuning[3].take(),
            tuning[4].take(),
        ];
        // Most columns match: their path is built only for a mismatch.
        if attrs.iter().any(Option::is_some) {
            scope.changed(out, object(), attrs);
        }
    }
    for ac in actual
        .iter()
        .filter(|ac| find(expected, &ac.name).is_none())
    {
        let object = Object::at(ObjectType::Column, scope.path(&ac.name), None);
        scope.absent(out, object, Change::Unexpected, pretty_type(&ac.data_type));
    }
}

fn find<'c>(columns: &'c [Column], name: &str) -> Option<&'c Column> {
    columns.iter().find(|c| c.name == name)
}

/// What [`nullability`] depends on, compared without building it.
fn null_key(c: &Column) -> (bool, bool, bool) {
    (
        c.nullable,
        !c.nullable && c.not_null_validated,
        !c.nullable && c.not_null_no_inherit,
    )
}

/// `null`, `not null`, `not null not valid` (PostgreSQL 18: marked NOT
/// NULL, but rows may still hold NULLs), with ` no inherit` (18) when
/// children do not get it.
fn nullability(c: &Column) -> String {
    let mut s = match (c.nullable, c.not_null_validated) {
        (true, _) => "null",
        (false, true) => "not null",
        (false, false) => "not null not valid",
    }
    .to_string();
    if !c.nullable && c.not_null_no_inherit {
        s.push_str(" no inherit");
    }
    s
}
