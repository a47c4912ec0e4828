//! The migration directory layouts schemagate reads, as a value: the
//! `--format-migrations` enum. Part of the model layer (a leaf).

use std::fmt;

/// A migration directory layout (`--format-migrations`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MigrationFormat {
    /// schemagate's own: NNNN_name.up.sql + NNNN_name.down.sql, no gaps.
    Native,
    /// sqlx: VERSION_name.up.sql + .down.sql, or VERSION_name.sql.
    Sqlx,
    /// golang-migrate: VERSION_name.up.sql + VERSION_name.down.sql.
    GolangMigrate,
    /// Diesel: VERSION_name/up.sql, down.sql, metadata.toml.
    Diesel,
    /// dbmate: VERSION_name.sql with -- migrate:up / -- migrate:down.
    Dbmate,
    /// sql-migrate: NAME.sql with -- +migrate Up / -- +migrate Down.
    SqlMigrate,
    /// Flyway: V1.2__name.sql, U1.2__name.sql (undo), R__name.sql (repeatable).
    Flyway,
}

impl MigrationFormat {
    /// Every value with its command-line name and a one-line help, for the
    /// CLI's parser (the library does not depend on clap).
    pub const VALUES: &'static [(MigrationFormat, &'static str, &'static str)] = &[
        (
            MigrationFormat::Native,
            "native",
            "schemagate's own: NNNN_name.up.sql + NNNN_name.down.sql, no gaps.",
        ),
        (
            MigrationFormat::Sqlx,
            "sqlx",
            "sqlx: VERSION_name.up.sql + .down.sql, or VERSION_name.sql.",
        ),
        (
            MigrationFormat::GolangMigrate,
            "golang-migrate",
            "golang-migrate: VERSION_name.up.sql + VERSION_name.down.sql.",
        ),
        (
            MigrationFormat::Diesel,
            "diesel",
            "Diesel: VERSION_name/up.sql, down.sql, metadata.toml.",
        ),
        (
            MigrationFormat::Dbmate,
            "dbmate",
            "dbmate: VERSION_name.sql with -- migrate:up / -- migrate:down.",
        ),
        (
            MigrationFormat::SqlMigrate,
            "sql-migrate",
            "sql-migrate: NAME.sql with -- +migrate Up / -- +migrate Down.",
        ),
        (
            MigrationFormat::Flyway,
            "flyway",
            "Flyway: V1.2__name.sql, U1.2__name.sql (undo), R__name.sql (repeatable).",
        ),
    ];
}

impl MigrationFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            MigrationFormat::Native => "native",
            MigrationFormat::Sqlx => "sqlx",
            MigrationFormat::GolangMigrate => "golang-migrate",
            MigrationFormat::Diesel => "diesel",
            MigrationFormat::Dbmate => "dbmate",
            MigrationFormat::SqlMigrate => "sql-migrate",
            MigrationFormat::Flyway => "flyway",
        }
    }

    /// The tool runs a file outside a transaction by itself when every
    /// statement in it needs that (Flyway detects it; golang-migrate sends
    /// a file as one request, and a single statement is not in a block).
    pub(crate) fn detects_no_transaction(self) -> bool {
        matches!(
            self,
            MigrationFormat::Flyway | MigrationFormat::GolangMigrate
        )
    }
}

impl fmt::Display for MigrationFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
