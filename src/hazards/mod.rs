//! Migration safety, observed: while `up` applies each judged migration to
//! the throwaway server, read what every statement did to the relations
//! that existed before it (locks, rewrites, validating scans, index builds,
//! drops, renames, type changes) and judge it with `schemagate_core::hazard`.

mod observe;
mod state;

pub use observe::SafetyObserver;
