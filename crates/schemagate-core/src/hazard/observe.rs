//! What applying one statement was observed to do to relations that existed
//! before its migration — the facts the rules judge. The edge (`src/hazards`)
//! fills them from `pg_locks` and the catalog; nothing here reads a server.

/// One statement of a judged migration and what it did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatementObservation {
    /// The migration's id (`0003_orders`).
    pub migration: String,
    /// The migration file as found.
    pub file: String,
    /// 1-based line of the statement's first token.
    pub line: u32,
    /// The statement text, trimmed.
    pub statement: String,
    /// Rules accepted by a `-- schemagate:allow RULE` comment just before it.
    pub allowed: Vec<String>,
    /// Locks first taken (or strengthened) by this statement: relation, mode
    /// as `pg_locks` names it (`AccessExclusiveLock`).
    pub locks: Vec<(String, String)>,
    /// The strongest lock the migrating backend holds on each relation
    /// after the statement (earlier statements' locks included).
    pub held: Vec<(String, String)>,
    /// `lock_timeout` was set (non-zero) when the statement ran.
    pub lock_timeout: bool,
    /// Relations whose `relfilenode` changed.
    pub rewritten: Vec<String>,
    /// Constraints validated by a full scan: relation, constraint.
    pub scans: Vec<(String, String)>,
    /// `SET NOT NULL` that had to scan (no valid CHECK proved it): relation, column.
    pub not_null_scans: Vec<(String, String)>,
    /// Indexes built: relation, index, whether CONCURRENTLY, whether for
    /// a new UNIQUE or PRIMARY KEY constraint.
    pub index_builds: Vec<IndexBuild>,
    /// Dropped columns: relation, column.
    pub dropped_columns: Vec<(String, String)>,
    pub dropped_tables: Vec<String>,
    /// Renamed tables or columns: relation (as it is now), old name, new name.
    pub renames: Vec<(String, String, String)>,
    /// Column type changes: relation, column, old type, new type.
    pub type_changes: Vec<(String, String, String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexBuild {
    pub relation: String,
    pub index: String,
    pub concurrently: bool,
    pub for_constraint: bool,
}

/// Lock modes in order of strength, as `pg_locks.mode` names them.
pub const LOCK_MODES: &[&str] = &[
    "AccessShareLock",
    "RowShareLock",
    "RowExclusiveLock",
    "ShareUpdateExclusiveLock",
    "ShareLock",
    "ShareRowExclusiveLock",
    "ExclusiveLock",
    "AccessExclusiveLock",
];

/// The strength of a lock mode (0 for an unknown one).
pub fn lock_strength(mode: &str) -> usize {
    LOCK_MODES
        .iter()
        .position(|m| *m == mode)
        .map_or(0, |i| i + 1)
}

/// `AccessExclusiveLock` -> `ACCESS EXCLUSIVE`, as the documentation and
/// `LOCK TABLE` spell it.
pub fn lock_name(mode: &str) -> String {
    let base = mode.strip_suffix("Lock").unwrap_or(mode);
    let mut out = String::new();
    for (i, c) in base.char_indices() {
        if c.is_uppercase() && i > 0 {
            out.push(' ');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// The lock modes that block writes (`SHARE` and stronger).
pub fn blocks_writes(mode: &str) -> bool {
    lock_strength(mode) >= lock_strength("ShareLock")
}
