//! Composite types, extensions, collations, extended statistics and
//! foreign tables: paired by name, compared by their attributes.

use super::attr::{attr, attr_expr_list, attr_list, attr_opt_text, Attr};
use super::mismatch::ObjectType;
use super::named::{Attributes, SchemaObject};
use crate::canon::same_type;
use crate::model::{
    canonical_collation, Collation, CompositeType, Extension, Field, ForeignTable, Line, Statistics,
};

macro_rules! schema_object {
    ($t:ty, $kind:expr) => {
        impl SchemaObject for $t {
            const OBJECT_TYPE: ObjectType = $kind;
            fn line(&self) -> Line {
                self.line
            }
        }
    };
}

schema_object!(CompositeType, ObjectType::CompositeType);
schema_object!(Extension, ObjectType::Extension);
schema_object!(Collation, ObjectType::Collation);
schema_object!(Statistics, ObjectType::Statistics);
schema_object!(ForeignTable, ObjectType::ForeignTable);

/// Names and types in order, types in canonical form.
fn attr_fields(name: &'static str, e: &[Field], a: &[Field]) -> Attr {
    let same = e.len() == a.len()
        && e.iter().zip(a).all(|(e, a)| {
            e.name == a.name
                && same_type(&e.data_type, &a.data_type)
                && e.collation.as_deref().map(canonical_collation)
                    == a.collation.as_deref().map(canonical_collation)
        });
    let render = |fields: &[Field]| {
        fields
            .iter()
            .map(|f| format!("{} {}", f.name, f.written_type(&f.data_type)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    (!same).then(|| (name, Some(render(e)), Some(render(a))))
}

impl Attributes for CompositeType {
    fn attributes(&self, actual: &CompositeType) -> Vec<Attr> {
        let CompositeType {
            line: _,
            attributes,
            comment,
        } = self;
        vec![
            attr_fields("attributes", attributes, &actual.attributes),
            attr_opt_text("comment", comment, &actual.comment),
        ]
    }
}

impl Attributes for Extension {
    fn attributes(&self, actual: &Extension) -> Vec<Attr> {
        let Extension { line: _, version } = self;
        // The version counts only when the file asks for one.
        vec![version.as_ref().and_then(|v| {
            (Some(v) != actual.version.as_ref())
                .then(|| ("version", Some(v.clone()), actual.version.clone()))
        })]
    }
}

impl Attributes for Collation {
    fn attributes(&self, actual: &Collation) -> Vec<Attr> {
        let Collation {
            line: _,
            provider,
            locale,
            deterministic,
            comment,
        } = self;
        vec![
            attr("provider", provider, &actual.provider),
            attr("locale", locale, &actual.locale),
            attr("deterministic", deterministic, &actual.deterministic),
            attr_opt_text("comment", comment, &actual.comment),
        ]
    }
}

impl Attributes for Statistics {
    fn attributes(&self, actual: &Statistics) -> Vec<Attr> {
        let Statistics {
            line: _,
            table,
            kinds,
            columns,
            expressions,
            target,
            comment,
        } = self;
        vec![
            attr("table", table, &actual.table),
            (target != &actual.target).then(|| {
                (
                    "target",
                    target.map(|t| t.to_string()),
                    actual.target.map(|t| t.to_string()),
                )
            }),
            attr_list("kinds", kinds, &actual.kinds),
            attr_list("columns", columns, &actual.columns),
            attr_expr_list("expressions", expressions, &actual.expressions),
            attr_opt_text("comment", comment, &actual.comment),
        ]
    }
}

impl Attributes for ForeignTable {
    fn attributes(&self, actual: &ForeignTable) -> Vec<Attr> {
        let ForeignTable {
            line: _,
            server,
            columns,
            options,
        } = self;
        vec![
            attr("server", server, &actual.server),
            attr_fields("columns", columns, &actual.columns),
            attr_list("options", options, &actual.options),
        ]
    }
}
