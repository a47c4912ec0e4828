//! A scratch database on an existing server: created with a unique name,
//! used, and dropped afterwards (for CI jobs that already run PostgreSQL).

use std::time::Duration;

use super::cleanup::Cleanup;
use super::ThrowawayError;
use crate::db::{self, quote_ident_always};

/// A database on someone else's server; dropping it drops the database.
pub struct ScratchDb {
    pub name: String,
    /// The server URL with the scratch database as dbname.
    pub url: String,
    _cleanup: Cleanup,
}

pub fn create(admin: &str) -> Result<ScratchDb, ThrowawayError> {
    let mut client = db::connect(admin, Duration::from_secs(5))?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let name = format!(
        "schemagate_{}_{:x}",
        std::process::id(),
        nanos & 0xffff_ffff
    );
    client
        .batch_execute(&format!("CREATE DATABASE {}", quote_ident_always(&name)))
        .map_err(|source| ThrowawayError::Scratch {
            server: db::redact(admin),
            source,
        })?;
    Ok(adopt(admin, &name))
}

/// Takes charge of database `name`, made on the server of `admin` by the
/// caller: it is dropped with the returned guard (or on a signal).
pub fn adopt(admin: &str, name: &str) -> ScratchDb {
    let (server, database) = (admin.to_string(), name.to_string());
    ScratchDb {
        name: name.to_string(),
        url: with_database(admin, name),
        _cleanup: Cleanup::with(move || drop_database(&server, &database)),
    }
}

/// Drops `database`, disconnecting anyone still in it (PostgreSQL 13+).
fn drop_database(admin: &str, database: &str) {
    if let Ok(mut client) = db::connect(admin, Duration::from_secs(2)) {
        let _ = client.batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            quote_ident_always(database)
        ));
    }
}

/// The same server URL with another database name.
pub fn with_database(url: &str, database: &str) -> String {
    if let Some(scheme_end) = url.find("://") {
        let rest = &url[scheme_end + 3..];
        let (before_query, query) = match rest.find('?') {
            Some(q) => (&rest[..q], &rest[q..]),
            None => (rest, ""),
        };
        let authority = before_query.split('/').next().unwrap_or("");
        return format!("{}{authority}/{database}{query}", &url[..scheme_end + 3]);
    }
    format!("{url} dbname={database}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_name_is_replaced_in_urls() {
        assert_eq!(
            with_database("postgres://u:p@h:5/postgres?sslmode=disable", "x"),
            "postgres://u:p@h:5/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
        assert_eq!(
            with_database("host=h user=u", "x"),
            "host=h user=u dbname=x"
        );
    }
}
