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

/// Scratch databases whose run cannot be told alive (made on another host,
/// or by an older schemagate that left no note) are dropped once they are
/// this old and nobody is connected to them.
pub const STALE_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// What each scratch database's comment records, so that a later run can
/// tell whether the run that made it is gone.
const NOTE: &str = "schemagate scratch";

pub fn create(admin: &str) -> Result<ScratchDb, ThrowawayError> {
    let mut client = db::connect(admin, Duration::from_secs(5))?;
    sweep(&mut client);
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
    let note = format!(
        "{NOTE} pid={} host={} created={}",
        std::process::id(),
        hostname(),
        unix_now()
    );
    let scratch = adopt(admin, &name);
    let _ = client.batch_execute(&format!(
        "COMMENT ON DATABASE {} IS {}",
        quote_ident_always(&name),
        db::quote_literal(&note)
    ));
    Ok(scratch)
}

/// Drops the scratch databases of runs that are gone (killed with SIGKILL,
/// or aborted): those made on this host by a pid that no longer exists,
/// and any older than [`STALE_AFTER`] that nobody is connected to. A
/// database someone is connected to is never forced away unless its run
/// is known to be gone. Best effort: a failure leaves it for a later run.
fn sweep(client: &mut postgres::Client) {
    // language=PostgreSQL
    let Ok(rows) = client.query(
        "SELECT d.datname::text, shobj_description(d.oid, 'pg_database') \
         FROM pg_database d WHERE d.datname ~ '^schemagate_[0-9]+_[0-9a-f]+$'",
        &[],
    ) else {
        return;
    };
    let (host, now) = (hostname(), unix_now());
    for row in rows {
        let name: String = row.get(0);
        let Some(note) = row.get::<_, Option<String>>(1) else {
            continue;
        };
        let Some(fields) = note.strip_prefix(NOTE) else {
            continue;
        };
        let field = |key: &str| {
            fields
                .split_whitespace()
                .find_map(|f| f.strip_prefix(key)?.strip_prefix('='))
                .map(str::to_string)
        };
        let pid = field("pid").and_then(|p| p.parse::<u32>().ok());
        let created = field("created").and_then(|c| c.parse::<u64>().ok());
        let gone_here = field("host").as_deref() == Some(host.as_str())
            && pid.is_some_and(|p| !std::path::Path::new(&format!("/proc/{p}")).exists());
        let old = created.is_some_and(|c| now.saturating_sub(c) > STALE_AFTER.as_secs());
        let sql = if gone_here {
            format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                quote_ident_always(&name)
            )
        } else if old {
            format!("DROP DATABASE IF EXISTS {}", quote_ident_always(&name))
        } else {
            continue;
        };
        let _ = client.batch_execute(&sql);
    }
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default()
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
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
