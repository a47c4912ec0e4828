//! Sequences not owned by a column.

use super::attr::{attr, attr_opt_text, attr_type, Attr};
use super::mismatch::ObjectType;
use super::named::{Attributes, SchemaObject};
use crate::model::{Line, Sequence};

impl SchemaObject for Sequence {
    const OBJECT_TYPE: ObjectType = ObjectType::Sequence;
    fn line(&self) -> Line {
        self.line
    }
}

impl Attributes for Sequence {
    fn attributes(&self, actual: &Sequence) -> Vec<Attr> {
        let Sequence {
            line: _,
            data_type,
            start,
            increment,
            min_value,
            max_value,
            cache,
            cycle,
            comment,
        } = self;
        vec![
            attr_type("type", data_type, &actual.data_type),
            attr("start", start, &actual.start),
            attr("increment", increment, &actual.increment),
            attr("min_value", min_value, &actual.min_value),
            attr("max_value", max_value, &actual.max_value),
            attr("cache", cache, &actual.cache),
            attr("cycle", cycle, &actual.cycle),
            attr_opt_text("comment", comment, &actual.comment),
        ]
    }
}
