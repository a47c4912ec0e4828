//! What stops a read of the catalog.

#[derive(Debug, thiserror::Error)]
pub enum IntrospectError {
    #[error("reading the catalog failed ({stage})")]
    Query {
        stage: &'static str,
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
