//! Columns of a table, paired by name.

use super::attr::{attr_opt_expr, attr_opt_text, attr_type};
use super::mismatch::{Change, Mismatch, ObjectType};
use super::scope::{Object, Scope};
use crate::canon::pretty_type;
use crate::model::Column;

pub(super) fn diff_columns(
    scope: &Scope,
    out: &mut Vec<Mismatch>,
    expected: &[Column],
    actual: &[Column],
) {
    for ec in expected {
        let object = Object::at(ObjectType::Column, scope.path(&ec.name), ec.line);
        let Some(ac) = find(actual, &ec.name) else {
            scope.absent(out, object, Change::Missing, ec.data_type.clone());
            continue;
        };
        let attrs = [
            attr_type("type", &ec.data_type, &ac.data_type),
            (ec.nullable != ac.nullable).then(|| {
                (
                    "nullable",
                    Some(nullability(ec.nullable)),
                    Some(nullability(ac.nullable)),
                )
            }),
            attr_opt_expr("default", &ec.default, &ac.default),
            (ec.identity != ac.identity).then(|| {
                (
                    "identity",
                    ec.identity.map(|i| i.as_str().to_string()),
                    ac.identity.map(|i| i.as_str().to_string()),
                )
            }),
            attr_opt_expr("generated", &ec.generated, &ac.generated),
            attr_opt_text("collation", &ec.collation, &ac.collation),
            attr_opt_text("comment", &ec.comment, &ac.comment),
        ];
        scope.changed(out, object, attrs);
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

fn nullability(nullable: bool) -> String {
    if nullable { "null" } else { "not null" }.to_string()
}
