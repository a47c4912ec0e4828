//! What stops a read of the catalog.

use super::locks::HeldLock;

#[derive(Debug, thiserror::Error)]
pub enum IntrospectError {
    #[error("reading the catalog failed ({stage})")]
    Query {
        stage: &'static str,
        #[source]
        source: postgres::Error,
    },
    #[error(
        "reading the catalog gave up waiting for a lock after the lock timeout ({stage}): {}",
        held_text(held)
    )]
    Locked {
        stage: &'static str,
        held: Vec<HeldLock>,
        #[source]
        source: postgres::Error,
    },
    #[error("PostgreSQL {found} is not supported: schemagate needs 13 or newer")]
    UnsupportedVersion { found: String },
}

impl IntrospectError {
    /// For `map_err`: query `stage` failed.
    pub fn query(stage: &'static str) -> impl FnOnce(postgres::Error) -> IntrospectError {
        move |source| IntrospectError::Query { stage, source }
    }
}

fn held_text(held: &[HeldLock]) -> String {
    if held.is_empty() {
        return "another session holds a lock on a relation it reads (it was released since)"
            .to_string();
    }
    let list: Vec<String> = held.iter().map(ToString::to_string).collect();
    format!("locked by another session: {}", list.join(", "))
}
