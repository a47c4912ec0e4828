//! schemagate's pure core: what a schema is and how two are compared.
//!
//! The stages, in pipeline order: `model` (the schema as data), `canon`
//! (canonical forms of types and expressions), `expected` (the
//! `expected_schema.yaml` reader and writer, and its JSON Schema), `diff`
//! (`diff(&expected, &actual) -> Vec<Mismatch>`), `report` (renderers into
//! any `io::Write`) and `sqlgen` (the DDL that resolves a diff). Nothing here touches a database, a process or a
//! socket; the only file access is reading the expected file.

pub mod canon;
pub mod diff;
pub mod expected;
pub mod hazard;
pub mod model;
pub mod report;
pub mod sqlgen;
