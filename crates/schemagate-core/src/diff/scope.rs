//! Where a mismatch is reported (schema, table, fallback line) and how a
//! finding about one object becomes [`Mismatch`] values.

use super::attr::Attr;
use super::mismatch::{Change, Mismatch, ObjectType};
use crate::model::{quote_ident, Line, QualifiedName};

/// Which schema and table mismatches are being reported in.
#[derive(Clone, Copy)]
pub(super) struct Scope<'a> {
    pub schema: &'a str,
    pub table: Option<&'a str>,
    /// Line of the enclosing expected object, for `unexpected` children.
    pub line: Line,
}

/// The object a finding is about.
#[derive(Clone)]
pub(super) struct Object {
    pub object_type: ObjectType,
    /// As reports show it: `public.users.email`, or `public.users(email)`.
    pub name: String,
    /// Unquoted name parts, for `ignore` globs.
    pub path: Vec<String>,
    /// Its line in the expected file; `None` falls back to the scope's.
    pub line: Line,
}

impl Object {
    /// An object shown by its qualified, quoted path.
    pub fn at(object_type: ObjectType, path: Vec<String>, line: Line) -> Object {
        Object {
            object_type,
            name: display(&path),
            path,
            line,
        }
    }
}

/// `public."OrderItems".qty`: each part quoted where needed, dot-joined.
pub(super) fn display(path: &[String]) -> String {
    path.iter()
        .map(|p| quote_ident(p))
        .collect::<Vec<_>>()
        .join(".")
}

impl<'a> Scope<'a> {
    /// The scope of one table of this schema.
    pub fn in_table(self, name: &'a str, line: Line) -> Scope<'a> {
        Scope {
            schema: self.schema,
            table: Some(name),
            line,
        }
    }

    /// `[schema, name]`, or `[schema, table, name]` inside a table.
    pub fn path(&self, name: &str) -> Vec<String> {
        let mut path = vec![self.schema.to_string()];
        path.extend(self.table.map(str::to_string));
        path.push(name.to_string());
        path
    }

    /// `[schema, table]` (just `[schema]` outside a table).
    pub fn table_path(&self) -> Vec<String> {
        let mut path = vec![self.schema.to_string()];
        path.extend(self.table.map(str::to_string));
        path
    }

    fn table_name(&self) -> Option<QualifiedName> {
        self.table.map(|t| QualifiedName::new(self.schema, t))
    }

    /// A missing or unexpected object, shown by `rendering` on the side it is on.
    pub fn absent(
        &self,
        out: &mut Vec<Mismatch>,
        object: Object,
        change: Change,
        rendering: String,
    ) {
        let (expected, actual) = match change {
            Change::Missing => (Some(rendering), None),
            _ => (None, Some(rendering)),
        };
        out.push(self.mismatch(object, change, None, expected, actual));
    }

    /// One `changed` mismatch per differing attribute of `object`.
    pub fn changed(
        &self,
        out: &mut Vec<Mismatch>,
        object: Object,
        attrs: impl IntoIterator<Item = Attr>,
    ) {
        for (attribute, expected, actual) in attrs.into_iter().flatten() {
            out.push(self.mismatch(
                object.clone(),
                Change::Changed,
                Some(attribute),
                expected,
                actual,
            ));
        }
    }

    fn mismatch(
        &self,
        object: Object,
        change: Change,
        attribute: Option<&str>,
        expected: Option<String>,
        actual: Option<String>,
    ) -> Mismatch {
        let Object {
            object_type,
            name,
            path,
            line,
        } = object;
        Mismatch {
            object: name,
            object_type,
            change,
            attribute: attribute.map(str::to_string),
            expected,
            actual,
            line: line.or(self.line),
            table: self.table_name(),
            path,
        }
    }
}
