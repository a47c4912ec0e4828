//! Command-line interface: clap derive types. Doc comments are the --help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use schemagate::migrate::MigrationFormat;
use schemagate::report::Format;
use schemagate::roundtrip::RoundtripFormat;

/// Gate PostgreSQL migrations on a declared schema.
///
/// Exit status: 0 the schema matches, 1 mismatches were found, 2 schemagate
/// could not do its job (bad input, connection or migration failure).
#[derive(Debug, Parser)]
#[command(
    name = "schemagate",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// Print nothing but the report (no progress or notes on stderr).
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Say what is being run (repeat for more).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply the migrations to a throwaway PostgreSQL and compare the result
    /// with the expected schema (the CI gate).
    Check(CheckArgs),
    /// Compare a live database with the expected schema (read-only: never writes).
    Diff(DiffArgs),
    /// Write an expected_schema.yaml describing a live database.
    Snapshot(SnapshotArgs),
    /// Apply, revert and inspect migrations (NNNN_name.up.sql / .down.sql,
    /// or the layouts of sqlx, golang-migrate, Diesel, dbmate, sql-migrate, Flyway).
    Migrate(MigrateArgs),
    /// Create the application database and role with their grants (idempotent).
    Bootstrap(BootstrapArgs),
    /// Check that every down migration undoes its up migration: on a
    /// throwaway PostgreSQL, apply each migration, revert it, and compare the
    /// schema with the one before. Exits 1 if a down leaves residue or fails.
    Roundtrip(RoundtripArgs),
    /// Write a Markdown report for reviewers: counts, tables by group with
    /// their columns, keys, indexes and checks, and a Mermaid ER diagram.
    Report(ReportArgs),
    /// Print the JSON Schema of expected_schema.yaml (for editors and CI).
    #[command(alias = "json-schema")]
    Schema,
}

#[derive(Clone, Debug, Args)]
pub struct DatabaseArgs {
    /// Connection URL of the database (also read from DATABASE_URL and .env;
    /// without one, libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE,
    /// PGSSLMODE are used). `sslmode` and `sslrootcert` work as in libpq.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// Schema to read; repeat for several. Default: the schemas the expected
    /// file declares (diff), or `public` (snapshot).
    #[arg(long = "schema", value_name = "NAME")]
    pub schemas: Vec<String>,

    /// Abort a catalog query that runs longer than this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub statement_timeout: u64,

    /// Give up on a catalog lock after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 5)]
    pub lock_timeout: u64,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,

    /// The declared schema.
    #[arg(long, value_name = "FILE", default_value = "expected_schema.yaml")]
    pub expected: PathBuf,

    /// Output format.
    #[arg(long, value_parser = choice(Format::VALUES), default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,

    /// Snapshot what these migrations build on a throwaway target instead
    /// of a live database.
    #[arg(long, value_name = "DIR")]
    pub migrations: Option<PathBuf>,

    /// The throwaway target for --migrations (as in `check`).
    #[arg(long, value_name = "T", requires = "migrations")]
    pub target: Option<String>,

    /// Directory of the PostgreSQL server binaries for `--target local`.
    #[arg(long, value_name = "DIR", requires = "migrations")]
    pub pg_bin: Option<PathBuf>,

    /// Write the YAML here instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Where a schema comes from: migrations applied to a throwaway server.
#[derive(Clone, Debug, Args)]
pub struct SourceArgs {
    /// Directory of migrations (`NNNN_name.up.sql` + `NNNN_name.down.sql`).
    #[arg(long, value_name = "DIR", default_value = "migrations")]
    pub migrations: PathBuf,

    /// Throwaway PostgreSQL: `auto` (local if server binaries are found,
    /// else docker), `local`, `docker`, `docker:IMAGE`, or a `postgres://`
    /// URL of a server on which a scratch database is created and dropped.
    #[arg(
        long,
        value_name = "T",
        default_value = "auto",
        env = "SCHEMAGATE_TARGET",
        hide_env_values = true
    )]
    pub target: String,

    /// Directory of the PostgreSQL server binaries for `--target local`.
    #[arg(long, value_name = "DIR")]
    pub pg_bin: Option<PathBuf>,

    /// First create the application database and role as `bootstrap` does,
    /// then run the migrations as that role.
    #[arg(long)]
    pub bootstrap: bool,

    /// Run this command to migrate instead of the native runner (Alembic,
    /// sqlx, Flyway, ...), with DATABASE_URL set to the throwaway database.
    #[arg(long, value_name = "CMD")]
    pub migrate_cmd: Option<String>,

    /// Layout of the migrations directory (default: detected from it).
    #[arg(long, value_parser = choice(MigrationFormat::VALUES), value_name = "FORMAT")]
    pub format_migrations: Option<MigrationFormat>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub source: SourceArgs,

    /// The declared schema.
    #[arg(long, value_name = "FILE", default_value = "expected_schema.yaml")]
    pub expected: PathBuf,

    /// Schema to compare; repeat for several. Default: those the expected file declares.
    #[arg(long = "schema", value_name = "NAME")]
    pub schemas: Vec<String>,

    /// Output format.
    #[arg(long, value_parser = choice(Format::VALUES), default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// Connection URL of the database (also read from DATABASE_URL and .env).
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, global = true)]
    pub database_url: Option<String>,

    /// Directory holding the migration files.
    #[arg(long, value_name = "DIR", default_value = "migrations", global = true)]
    pub migrations: PathBuf,

    /// Layout of the migrations directory (default: detected from it).
    #[arg(long, value_parser = choice(MigrationFormat::VALUES), value_name = "FORMAT", global = true)]
    pub format_migrations: Option<MigrationFormat>,

    #[command(subcommand)]
    pub action: MigrateAction,
}

#[derive(Debug, Subcommand)]
pub enum MigrateAction {
    /// Apply pending migrations, each in its own transaction.
    Up {
        /// Stop after this version (default: apply all).
        #[arg(long, value_name = "REV")]
        to: Option<String>,

        /// First write a full pg_dump (custom format) of the database here.
        #[arg(long, value_name = "FILE")]
        backup: Option<PathBuf>,
    },
    /// Revert applied migrations with their down files, newest first.
    #[command(group(clap::ArgGroup::new("target").required(true).args(["to", "steps"])))]
    Down {
        /// Revert every migration above this version (0 reverts all).
        #[arg(long, value_name = "REV")]
        to: Option<String>,

        /// Revert this many of the most recent migrations.
        #[arg(long, value_name = "N")]
        steps: Option<u64>,

        /// First write a full pg_dump (custom format) of the database here.
        #[arg(long, value_name = "FILE")]
        backup: Option<PathBuf>,
    },
    /// Show each migration: applied or pending, when, and whether its file
    /// changed since. Exits 1 if an applied migration changed or lost its file.
    Status,
    /// List the applied migrations from the tracking table.
    History,
    /// Print the highest applied migration, or `none`.
    Current,
    /// Record the migrations up to REV as applied without running them (0 clears).
    Stamp {
        /// The version to record the database at.
        #[arg(value_name = "REV")]
        rev: String,
    },
    /// Create the next numbered NNNN_NAME.up.sql / .down.sql pair.
    New {
        /// Lowercase letters, digits and _.
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct BootstrapArgs {
    /// Connection URL of an administrator (a superuser, or a role with
    /// CREATEDB and CREATEROLE).
    #[arg(long, env = "SCHEMAGATE_ADMIN_URL", hide_env_values = true)]
    pub admin_url: String,

    /// Name of the application database.
    #[arg(long, value_name = "NAME", default_value = "synapscale_db")]
    pub database: String,

    /// Name of the application role.
    #[arg(long, value_name = "NAME", default_value = "synapscale_user")]
    pub role: String,

    /// Environment variable holding the role's password.
    #[arg(long, value_name = "VAR", default_value = "SYNAPSCALE_DB_PASSWORD")]
    pub password_env: String,

    /// LC_COLLATE and LC_CTYPE of a new database; falls back to C.UTF-8 (or C)
    /// with a warning if the server lacks it.
    #[arg(long, value_name = "LOCALE", default_value = "en_US.utf8")]
    pub collation: String,
}

#[derive(Debug, Args)]
pub struct RoundtripArgs {
    /// Directory of migrations.
    #[arg(long, value_name = "DIR", default_value = "migrations")]
    pub migrations: PathBuf,

    /// Layout of the migrations directory (default: detected from it).
    #[arg(long, value_parser = choice(MigrationFormat::VALUES), value_name = "FORMAT")]
    pub format_migrations: Option<MigrationFormat>,

    /// Throwaway PostgreSQL, as for `check`.
    #[arg(
        long,
        value_name = "T",
        default_value = "auto",
        env = "SCHEMAGATE_TARGET",
        hide_env_values = true
    )]
    pub target: String,

    /// Directory of the PostgreSQL server binaries for `--target local`.
    #[arg(long, value_name = "DIR")]
    pub pg_bin: Option<PathBuf>,

    /// Schema to compare; repeat for several. Default: every schema but the
    /// system ones.
    #[arg(long = "schema", value_name = "NAME")]
    pub schemas: Vec<String>,

    /// First migration to check; those before it are applied unchecked.
    #[arg(long, value_name = "REV")]
    pub from: Option<String>,

    /// Last migration to check; those after it are not applied.
    #[arg(long, value_name = "REV")]
    pub to: Option<String>,

    /// Output format.
    #[arg(long, value_parser = choice(RoundtripFormat::VALUES), default_value = "table")]
    pub format: RoundtripFormat,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub source: SourceArgs,

    /// Read this live database (read-only) instead of applying migrations.
    /// Not taken from DATABASE_URL: by default the report describes the
    /// migrations.
    #[arg(long, value_name = "URL", conflicts_with_all = ["migrate_cmd", "bootstrap", "base"])]
    pub database_url: Option<String>,

    /// Expected schema for table groups and comments (default:
    /// expected_schema.yaml if it exists). Nothing is compared.
    #[arg(long, value_name = "FILE")]
    pub expected: Option<PathBuf>,

    /// Schema to read; repeat for several. Default: those the expected file
    /// declares, else `public`.
    #[arg(long = "schema", value_name = "NAME")]
    pub schemas: Vec<String>,

    /// Also apply the migrations as they are at this git revision and add
    /// what the change does: objects added, removed and changed.
    #[arg(long, value_name = "REV", conflicts_with = "migrate_cmd")]
    pub base: Option<String>,

    /// Write the report here instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// A parser for one of a library enum's `VALUES` (value, name, help): the
/// possible values and their help show in `--help` as clap's `ValueEnum`
/// would show them (without the final period, as clap drops it from doc
/// comments), without the library depending on clap.
fn choice<T: Copy + Send + Sync + 'static>(
    values: &'static [(T, &'static str, &'static str)],
) -> impl clap::builder::TypedValueParser<Value = T> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new(
        values
            .iter()
            .map(|(_, name, help)| PossibleValue::new(*name).help(help.trim_end_matches('.'))),
    )
    .map(move |name| {
        values
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(v, _, _)| *v)
            .expect("clap accepted only a listed name")
    })
}
