//! Who holds the locks a catalog read timed out on.

use postgres::Client;

/// The query, in its own file.
pub(super) const SQL: &str = include_str!("locks.sql");

/// One relation another backend holds exclusively.
#[derive(Debug, Clone)]
pub struct HeldLock {
    pub relation: String,
    pub pid: i32,
    /// The start of the holder's query, if this role may see it.
    pub query: Option<String>,
}

impl std::fmt::Display for HeldLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (ACCESS EXCLUSIVE, pid {}", self.relation, self.pid)?;
        match &self.query {
            Some(query) => write!(f, ": {query})"),
            None => f.write_str(")"),
        }
    }
}

/// The relations of this database that other backends hold in ACCESS
/// EXCLUSIVE mode, on `client` outside any transaction (the one that timed
/// out has ended). Empty if that cannot be read (the holder may be gone).
pub(super) fn held(client: &mut Client) -> Vec<HeldLock> {
    let Ok(rows) = client.query(SQL, &[]) else {
        return Vec::new();
    };
    rows.iter()
        .map(|row| {
            let schema: String = row.get(0);
            let name: String = row.get(1);
            HeldLock {
                relation: format!(
                    "{}.{}",
                    crate::model::quote_ident(&schema),
                    crate::model::quote_ident(&name)
                ),
                pid: row.get(2),
                query: row.get(3),
            }
        })
        .collect()
}

/// Whether `error` is a lock timeout.
pub(super) fn is_lock_timeout(error: &postgres::Error) -> bool {
    error.code() == Some(&postgres::error::SqlState::LOCK_NOT_AVAILABLE)
}
