//! Everything that can stop a migration run, each naming the file involved.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("cannot read the migrations directory {}", dir.display())]
    ReadDir {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read {}", file.display())]
    ReadFile {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: not valid UTF-8", file.display())]
    NotUtf8 { file: PathBuf },
    #[error(
        "{}: not a migration file name (expected NNNN_name.up.sql or NNNN_name.down.sql)",
        file.display()
    )]
    BadFileName { file: PathBuf },
    #[error("{}: version 0 is reserved (it means \"no migration applied\")", file.display())]
    ReservedVersion { file: PathBuf },
    #[error("{} and {} both claim version {version:04}", first.display(), second.display())]
    DuplicateVersion {
        version: u64,
        first: PathBuf,
        second: PathBuf,
    },
    #[error("{}: version {missing:04} is missing before it{}", file.display(), after_text(previous))]
    Gap {
        missing: u64,
        file: PathBuf,
        previous: Option<PathBuf>,
    },
    #[error("{}: a down migration without its up migration", file.display())]
    DownWithoutUp { file: PathBuf },
    #[error("{}: no matching .down.sql, so this migration cannot be reverted", file.display())]
    NoDownFile { file: PathBuf },
    #[error("no migration has version {version:04}")]
    UnknownVersion { version: u64 },
    #[error(
        "{}: changed since it was applied (checksum recorded {expected}, file now {actual})",
        file.display()
    )]
    ChecksumMismatch {
        file: PathBuf,
        expected: String,
        actual: String,
    },
    #[error(
        "migration {version:04}_{name} is applied in the database but the migrations \
         directory has no file for it"
    )]
    AppliedWithoutFile { version: u64, name: String },
    /// A statement the server rejected. `line` and `column` (1-based, in
    /// characters) come from the server's error position mapped back into
    /// the file; when the server gives none, they point at the start of the
    /// failing statement if that is known (files run statement by statement)
    /// and at line 1, column 1 otherwise.
    #[error(
        "{}:{line}:{column}: {severity} {sqlstate}: {message}{}{}{}",
        file.display(),
        detail.as_deref().map(|d| format!("\n  DETAIL: {d}")).unwrap_or_default(),
        hint.as_deref().map(|h| format!("\n  HINT: {h}")).unwrap_or_default(),
        if *partial { "\n  NOTE: this file runs without a transaction; the statements before this one stay applied" } else { "" }
    )]
    Statement {
        file: PathBuf,
        line: usize,
        column: usize,
        severity: String,
        sqlstate: String,
        message: String,
        detail: Option<String>,
        hint: Option<String>,
        /// The file runs outside a transaction and earlier statements of it
        /// were committed.
        partial: bool,
    },
    #[error(
        "{}:{line}: the file manages its own transaction; remove BEGIN/COMMIT \
         (each migration already runs in one) or mark it `-- schemagate:no-transaction`",
        file.display()
    )]
    OwnTransaction { file: PathBuf, line: usize },
    #[error("database error while {context}")]
    Database {
        context: String,
        #[source]
        source: postgres::Error,
    },
    #[error("no schema to hold the tracking table: search_path names no existing schema")]
    NoCurrentSchema,
    #[error("invalid migration name {name:?}: use lowercase letters, digits and _ only")]
    InvalidName { name: String },
    #[error("cannot write {}", file.display())]
    WriteFile {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "pg_dump was not found on PATH or in /usr/lib/postgresql/*/bin; \
         install the PostgreSQL client tools or run without --backup"
    )]
    PgDumpNotFound,
    #[error("cannot run {}", program.display())]
    BackupSpawn {
        program: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("backup to {} failed: pg_dump {status}: {stderr}", file.display())]
    BackupFailed {
        file: PathBuf,
        status: String,
        stderr: String,
    },
}

fn after_text(previous: &Option<PathBuf>) -> String {
    match previous {
        Some(p) => format!(" (after {})", p.display()),
        None => " (versions start at 0001)".to_string(),
    }
}

impl MigrateError {
    pub(crate) fn db(context: impl Into<String>) -> impl FnOnce(postgres::Error) -> MigrateError {
        let context = context.into();
        move |source| MigrateError::Database { context, source }
    }
}
