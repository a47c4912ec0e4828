//! Everything that can stop a migration run, each naming the file involved.

use std::path::PathBuf;

use super::format::MigrationFormat;

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
    #[error("{} and {} both claim version {version}", first.display(), second.display())]
    DuplicateVersion {
        /// As shown: `0001`, `1.2.3`.
        version: String,
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
    #[error("{}: no down migration, so this migration cannot be reverted", file.display())]
    NoDownFile { file: PathBuf },
    #[error("no migration has version {version}; valid: {valid}")]
    UnknownVersion {
        version: String,
        /// The migrations' ids and the other forms, as a list.
        valid: String,
    },
    #[error("version {version} is ambiguous: it could be {candidates}; give more of it")]
    AmbiguousVersion { version: String, candidates: String },
    #[error(
        "{rev} is out of range: the database is at {current}, with {before} \
         migration{} at or below it and {after} above it",
        if *before == 1 { "" } else { "s" }
    )]
    RevisionOutOfRange {
        rev: String,
        current: String,
        before: i64,
        after: i64,
    },
    #[error("{rev} counts from the database's current version; give a version here")]
    RelativeNeedsDatabase { rev: String },
    #[error("{rev} means no migration at all; give a version here")]
    BaseIsNoMigration { rev: String },
    #[error(
        "{}: changed since it was applied (checksum recorded {expected}, file now {actual}); \
         restore the file as it was applied (e.g. from version control), or, if the database \
         already has what the file now says, record that with `schemagate migrate stamp {current}`",
        file.display()
    )]
    ChecksumMismatch {
        file: PathBuf,
        expected: String,
        actual: String,
        /// The id to stamp at to accept the files as they are.
        current: String,
    },
    #[error(
        "migration {id} is applied in the database but the migrations \
         directory has no file for it; restore the file, or, if it is gone for good, \
         forget it with `schemagate migrate stamp {current}`"
    )]
    AppliedWithoutFile {
        id: String,
        /// The id to stamp at to drop the row (`base` if no other).
        current: String,
    },
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
         (each migration already runs in one), or to run it outside one, {hint}",
        file.display()
    )]
    OwnTransaction {
        file: PathBuf,
        line: usize,
        /// The format's way to mark a file to run outside a transaction.
        hint: String,
    },
    /// Found before anything runs.
    #[error(
        "{}:{line}: {statement} cannot run inside a transaction, and this file runs in one; {hint}",
        file.display()
    )]
    NeedsNoTransaction {
        file: PathBuf,
        line: usize,
        statement: &'static str,
        hint: String,
    },
    #[error("{}: not a {format} migration file name (expected {expected})", file.display())]
    NotAMigration {
        file: PathBuf,
        format: MigrationFormat,
        expected: &'static str,
    },
    /// A marker or configuration line that cannot be read.
    #[error("{}:{line}: {message}", file.display())]
    Syntax {
        file: PathBuf,
        line: usize,
        message: String,
    },
    #[error(
        "{} holds {format} migrations; `migrate new` writes native ones \
         (NNNN_name.up.sql + NNNN_name.down.sql)",
        dir.display()
    )]
    NewNeedsNative {
        dir: PathBuf,
        format: MigrationFormat,
    },
    #[error(
        "{}: a symbolic link to a file outside the migrations directory; refused \
         (copy the file into the directory instead)",
        file.display()
    )]
    LinkOutside { file: PathBuf },
    #[error(
        "{}:{line}: COPY … FROM STDIN (or TO STDOUT) needs a client that streams the data, \
         as psql does; a migration cannot carry it: use INSERT … VALUES, or COPY from a \
         file the server can read",
        file.display()
    )]
    CopyStdin { file: PathBuf, line: usize },
    /// A migration released the runner's advisory lock (for instance with
    /// `pg_advisory_unlock_all()`) and another runner took it meanwhile.
    #[error(
        "{} released the migration lock (pg_advisory_unlock_all or pg_advisory_unlock) \
         and another runner took it; stopped after it to avoid running migrations twice",
        file.display()
    )]
    LockLost { file: PathBuf },
    #[error("database error while {context}")]
    Database {
        context: String,
        #[source]
        source: postgres::Error,
    },
    #[error("{}:{line}: a statement of this setup file failed", file.display())]
    Setup {
        file: PathBuf,
        line: usize,
        #[source]
        source: postgres::Error,
    },
    #[error("no schema to hold the tracking table: search_path names no existing schema")]
    NoCurrentSchema,
    #[error("invalid migration name {name:?}: give it at least one letter or digit")]
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
