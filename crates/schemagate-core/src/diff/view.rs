//! Views and materialized views.

use super::attr::{attr, attr_opt_text, Attr};
use super::mismatch::ObjectType;
use super::named::{Attributes, SchemaObject};
use crate::canon::canonical_query;
use crate::model::{Line, View};

impl SchemaObject for View {
    const OBJECT_TYPE: ObjectType = ObjectType::View;
    fn line(&self) -> Line {
        self.line
    }
}

impl Attributes for View {
    fn attributes(&self, actual: &View) -> Vec<Attr> {
        let View {
            line: _,
            materialized,
            definition,
            comment,
        } = self;
        vec![
            attr("materialized", materialized, &actual.materialized),
            // A view's query is compared only when the file gives one.
            match (definition, &actual.definition) {
                (Some(ed), Some(ad)) => (ed != ad && canonical_query(ed) != canonical_query(ad))
                    .then(|| ("definition", Some(ed.clone()), Some(ad.clone()))),
                (Some(ed), None) => Some(("definition", Some(ed.clone()), None)),
                _ => None,
            },
            attr_opt_text("comment", comment, &actual.comment),
        ]
    }
}
