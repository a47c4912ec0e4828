//! schemagate: gate PostgreSQL migrations on a declared schema.
//!
//! This crate is the edge of the pipeline: `migrate` applies migrations to a
//! `throwaway` server (or a live database reached through `db`),
//! `introspect` reads back what the server built, and `roundtrip` checks
//! that each down migration undoes its up migration. `pipeline` puts the
//! stages together as the commands run them (`check`, `diff`, `snapshot`,
//! `report`, `roundtrip`), returning values and reporting progress through
//! an event callback. The pure stages
//! (`model`, `canon`, `expected`, `diff`, `report`) live in the
//! `schemagate-core` crate and are re-exported here.

pub mod bootstrap;
pub mod db;
pub mod hazards;
pub mod introspect;
pub mod migrate;
pub mod pipeline;
pub mod roundtrip;
pub mod throwaway;
pub mod tls;

pub use schemagate_core::{canon, diff, expected, hazard, model, report, sqlgen};
