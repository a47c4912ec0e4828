//! schemagate: gate PostgreSQL migrations on a declared schema.
//!
//! The pipeline, one module per stage: `migrate` applies migrations to a
//! `target`, `introspect` reads back what the server built, `spec` loads
//! `expected_schema.yaml`, `diff` compares the two (pure), and `report`
//! renders the result. `model` and `normalize` are the pure core.
//! `roundtrip` checks that each down migration undoes its up migration.

pub mod bootstrap;
pub mod db;
pub mod diff;
pub mod introspect;
pub mod migrate;
pub mod model;
pub mod normalize;
pub mod report;
pub mod roundtrip;
pub mod spec;
pub mod spec_schema;
pub mod target;
pub mod tls;
