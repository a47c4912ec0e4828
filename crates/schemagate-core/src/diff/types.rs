//! User-defined types: enums and domains.

use super::attr::{attr, attr_default, attr_list, attr_opt_text, attr_type, Attr};
use super::mismatch::ObjectType;
use super::named::{Attributes, SchemaObject};
use crate::canon::canonical_expr;
use crate::model::{Check, Domain, EnumType, Line};

impl SchemaObject for EnumType {
    const OBJECT_TYPE: ObjectType = ObjectType::Enum;
    fn line(&self) -> Line {
        self.line
    }
}

impl Attributes for EnumType {
    fn attributes(&self, actual: &EnumType) -> Vec<Attr> {
        let EnumType {
            line: _,
            values,
            comment,
        } = self;
        vec![
            attr_list("values", values, &actual.values),
            attr_opt_text("comment", comment, &actual.comment),
        ]
    }
}

impl SchemaObject for Domain {
    const OBJECT_TYPE: ObjectType = ObjectType::Domain;
    fn line(&self) -> Line {
        self.line
    }
}

impl Attributes for Domain {
    fn attributes(&self, actual: &Domain) -> Vec<Attr> {
        let Domain {
            line: _,
            data_type,
            collation,
            nullable,
            default,
            checks,
            comment,
        } = self;
        vec![
            attr_type("type", data_type, &actual.data_type),
            attr_opt_text("collation", collation, &actual.collation),
            attr("nullable", nullable, &actual.nullable),
            attr_default(default, data_type, &actual.default, &actual.data_type),
            // Checks as a set of canonical expressions, shown as written.
            (canonical_checks(checks) != canonical_checks(&actual.checks)).then(|| {
                (
                    "checks",
                    Some(written(checks)),
                    Some(written(&actual.checks)),
                )
            }),
            attr_opt_text("comment", comment, &actual.comment),
        ]
    }
}

fn canonical_checks(checks: &[Check]) -> Vec<String> {
    let mut v: Vec<String> = checks
        .iter()
        .map(|c| canonical_expr(&c.expression))
        .collect();
    v.sort();
    v
}

fn written(checks: &[Check]) -> String {
    checks
        .iter()
        .map(|c| c.expression.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}
