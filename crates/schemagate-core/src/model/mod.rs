//! The schema model: what a PostgreSQL schema contains, as pure data.
//!
//! Both the YAML loader (`expected`) and the catalog reader (`introspect`)
//! produce this type, and `diff` compares two of them. Collections are ordered
//! maps or sorted vectors so that every rendering is deterministic.
//!
//! One concept per file, all re-exported here (`model::Table`, ...):
//! `schema` (the whole schema and one namespace), `table` (tables,
//! partitioning, columns), `constraints` (primary key, unique, check, foreign
//! key, exclusion), `index`, `triggers` (triggers, rules and
//! row-level-security policies), `objects` (views, sequences, enums,
//! domains, functions, composite types, extensions, collations, extended
//! statistics, foreign tables), `privileges` (owners and grants, opt-in),
//! `names` (qualified names and identifier quoting) and `uncovered`
//! (objects of kinds not compared, listed so that they never pass in
//! silence).
//!
//! # Adding an object kind
//!
//! Every site that handles a whole [`Namespace`] or [`Table`] destructures it
//! exhaustively (`let Table { line, group, .. every field } = table;`, never
//! `..`): the YAML writer and the builder in `expected`, `diff` (including
//! its emptiness test), and the report's counts and document. Add the field
//! here and each of them fails to compile until it handles the new kind.
//! The compiler cannot see these steps; do them by hand:
//!
//! 1. The catalog query: a `<kind>.sql` in the CLI's `src/introspect/`
//!    (loaded with `include_str!`) and the code in its assembler
//!    (`src/introspect/mod.rs`) that turns its rows into the model.
//! 2. The JSON Schema of the expected file in `expected/json_schema`, then
//!    regenerate the committed copy:
//!    `cargo run -- schema > schema/expected_schema.schema.json`.
//! 3. The README's list of compared kinds: the example `expected_schema.yaml`
//!    and "How schemagate decides what differs".
//! 4. The rich fixture `tests/cases/rich/schema.sql`: create one object of
//!    the kind so that the round trip (introspect, write, read back) covers it.
//! 5. If the catalog reader listed the kind as not compared
//!    (`src/introspect/uncovered.sql`, [`UNCOVERED_KINDS`]), take it out there.
//! 6. A diff case under `tests/diff_cases/<case>/` (`expected.yaml`,
//!    `actual.yaml` and the snapshot of the report) for a mismatch of the kind.
//! 7. The fixes: `sqlgen` (`sqlgen::repair`, the DDL that resolves each
//!    mismatch of the kind, in its phase) and `expected::update` (the
//!    kind's `ObjectType` -> key match in `update`, its key in
//!    `NAMESPACE_KEYS` or `TABLE_KEYS`, and how an entry is rendered; the
//!    writer's `namespace_entry` fails to compile without it); then a change
//!    of the kind in `MORE_KINDS` of `tests/integration/fix.rs`, which
//!    checks that both repair it.
//! 8. Migration safety, if the kind is a relation: the CLI's lock and
//!    rewrite observation (`src/hazards/sql/relations.sql`) watches only the
//!    relkinds `r`, `p` and `m`; add the kind's there so `hazard::judge` sees
//!    its statements.
//! 9. If privileges can be granted on the kind: a [`SecurableKind`], its
//!    rows in the CLI's `src/introspect/privileges.sql`, and `owner:` /
//!    `grants:` on its entry in the file (collected by
//!    `expected::privileges`).

mod constraints;
mod index;
mod names;
mod objects;
mod privileges;
mod schema;
mod table;
mod triggers;
mod uncovered;

pub use constraints::{Check, Deferrable, Exclusion, FkAction, ForeignKey, PrimaryKey, Unique};
pub use index::{canonical_collation, Index, IndexKey};
pub use names::{quote_ident, QualifiedName};
pub use objects::{
    number_text, Collation, CompositeType, Domain, EnumType, Extension, Field, ForeignTable,
    Function, Parallel, Sequence, Statistics, View, ViewColumn, Volatility,
};
pub use privileges::{
    canonical_privileges, canonical_role, render_privileges, Acl, Grant, Privileges, Securable,
    SecurableKind, DEFAULT_PRIVILEGE_CLASSES,
};
pub use schema::{Namespace, Schema};
pub use table::{Column, ColumnTuning, GeneratedKind, Identity, OwnedSequence, PartitionOf, Table};
pub use triggers::{Firing, Policy, Rule, Trigger};
pub use uncovered::{Uncovered, UNCOVERED_KINDS};

/// A line in `expected_schema.yaml`; `None` for objects read from a database.
pub type Line = Option<u32>;
