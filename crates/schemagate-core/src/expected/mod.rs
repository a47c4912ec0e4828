//! `expected_schema.yaml` <-> [`Schema`](crate::model::Schema).
//!
//! Loading keeps the line of every object so that mismatches and errors can
//! point into the file; unknown keys are rejected; every error names the
//! file, line and column and shows the offending line. Writing (`to_yaml`)
//! produces the same format, compact and sorted, for `snapshot`.
//!
//! The stages, each in its file: `load` (file checks, YAML parse, errors;
//! `fast` reads the writer's own YAML subset before serde-saphyr does),
//! `document` (the serde types of the file as written), `validate` (the
//! rules beyond the file's shape), `build` (document -> model), `notation`
//! (function signatures and index keys as the file spells them), `write`
//! (model -> YAML) and `hint` (the declared schema names, guessed before
//! parsing). `json_schema` describes the file for editors.

mod build;
mod document;
mod fast;
mod forms;
mod hint;
pub mod json_schema;
mod load;
mod notation;
mod privileges;
mod update;
mod validate;
mod write;
mod yaml_text;

pub use hint::{declared_schemas_hint, declares_privileges_hint};
pub use load::{load, parse, read, SpecError, MAX_FILE_BYTES};
pub use notation::{canonical_signature, parse_index_key, top_level_collate};
pub use update::{update, Updated};
pub use write::to_yaml;
pub use yaml_text::scalar;
