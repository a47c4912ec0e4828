//! Functions, keyed by signature.

use super::attr::{attr, attr_type, Attr};
use super::mismatch::ObjectType;
use super::named::{Attributes, SchemaObject};
use crate::model::{Function, Line};

impl SchemaObject for Function {
    const OBJECT_TYPE: ObjectType = ObjectType::Function;
    fn line(&self) -> Line {
        self.line
    }
}

impl Attributes for Function {
    fn attributes(&self, actual: &Function) -> Vec<Attr> {
        let Function {
            line: _,
            returns,
            language,
        } = self;
        vec![
            attr_type("returns", returns, &actual.returns),
            attr(
                "language",
                language.to_lowercase(),
                actual.language.to_lowercase(),
            ),
        ]
    }
}
