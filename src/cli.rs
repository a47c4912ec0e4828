//! Command-line interface: clap derive types. Doc comments are the --help text.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use schemagate::bootstrap;
use schemagate::hazard::{SafetyRule, Severity};
use schemagate::introspect::Limits;
use schemagate::migrate::MigrationFormat;
use schemagate::pipeline::output::ExtraOutput;
use schemagate::pipeline::{LiveDatabase, SafetyOptions, Shard, Source};
use schemagate::report::Format;

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

    /// Say on stderr what is being run and how long each stage took; -vv
    /// adds each migration applied and each catalog query.
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
    /// Compare a live database, or a fleet of them, with the expected schema
    /// (read-only: never writes).
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
    /// Merge JSON reports of fleet runs (e.g. the shards of a CI matrix)
    /// into one report. Exits 2 if any database could not be checked, else
    /// 1 if any drifted, else 0.
    MergeReports(MergeReportsArgs),
    /// Print the JSON Schema of expected_schema.yaml (for editors and CI).
    #[command(alias = "json-schema")]
    Schema,
}

// Argument groups that several commands share are declared once here and
// flattened; a command that means something narrower by one of them says so
// with `mut_arg` (its help, or a default it does not have).

/// --migrations and --format-migrations.
#[derive(Clone, Debug, Args)]
pub struct MigrationsArgs {
    /// Directory of migrations (`NNNN_name.up.sql` + `NNNN_name.down.sql`).
    #[arg(long, value_name = "DIR", default_value = "migrations")]
    pub migrations: PathBuf,

    /// Layout of the migrations directory (default: detected from it).
    #[arg(long, value_parser = choice(MigrationFormat::VALUES), value_name = "FORMAT")]
    pub format_migrations: Option<MigrationFormat>,
}

/// --target and --pg-bin: the throwaway PostgreSQL.
#[derive(Clone, Debug, Args)]
pub struct ThrowawayArgs {
    /// Throwaway PostgreSQL: `auto` (local if server binaries are found,
    /// else docker), `local`, `docker`, `docker:IMAGE`, or a `postgres://`
    /// URL of a server on which a scratch database is created and dropped.
    // An Option only for `snapshot`, which has no default; elsewhere it is
    // always given.
    #[arg(
        long,
        value_name = "T",
        default_value = "auto",
        env = "SCHEMAGATE_TARGET",
        hide_env_values = true
    )]
    pub target: Option<String>,

    /// Directory of the PostgreSQL server binaries for `--target local`.
    #[arg(long, value_name = "DIR")]
    pub pg_bin: Option<PathBuf>,
}

impl ThrowawayArgs {
    /// `--target`, `auto` when not given.
    pub fn target(&self) -> String {
        self.target.clone().unwrap_or_else(|| "auto".into())
    }
}

/// --schema, repeatable.
#[derive(Clone, Debug, Args)]
pub struct SchemaArgs {
    /// Schema to compare; repeat for several. Default: those the expected file declares.
    #[arg(long = "schema", value_name = "NAME")]
    pub schemas: Vec<String>,
}

/// --format and --output: the report on stdout, and more in files.
#[derive(Clone, Debug, Args)]
pub struct ReportFormatArgs {
    /// Format of the report on standard output.
    #[arg(long, value_parser = choice(Format::VALUES), default_value = "table")]
    pub format: Format,

    /// Also write the report in FORMAT to FILE (any of --format's values);
    /// repeat for several, e.g. `--output junit=schema.xml --output
    /// markdown=summary.md`.
    #[arg(long = "output", value_name = "FORMAT=FILE", value_parser = extra_output)]
    pub outputs: Vec<ExtraOutput<Format>>,
}

/// `FORMAT=FILE`, FORMAT one of `Format::VALUES`.
fn extra_output(text: &str) -> Result<ExtraOutput<Format>, String> {
    let names = || {
        Format::VALUES
            .iter()
            .map(|(_, n, _)| *n)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (name, file) = text
        .split_once('=')
        .ok_or_else(|| format!("expected FORMAT=FILE, where FORMAT is one of {}", names()))?;
    let format = Format::VALUES
        .iter()
        .find(|(_, n, _)| *n == name)
        .map(|(f, _, _)| *f)
        .ok_or_else(|| format!("unknown format `{name}`: expected one of {}", names()))?;
    if file.is_empty() {
        return Err("no file after `=`".into());
    }
    Ok(ExtraOutput {
        format,
        file: PathBuf::from(file),
    })
}

/// A live database: --database-url, --schema and the catalog time limits.
#[derive(Clone, Debug, Args)]
#[command(mut_arg("schemas", |a| a.help(
    "Schema to read; repeat for several. Default: the schemas the expected file declares (diff), \
     or `public` (snapshot)"
)))]
pub struct DatabaseArgs {
    /// Connection URL of the database (also read from DATABASE_URL and .env;
    /// without one, libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE,
    /// PGSSLMODE are used). `sslmode` and `sslrootcert` work as in libpq.
    // A Vec for `diff`, which takes several; elsewhere at most one (`Set`).
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, action = clap::ArgAction::Set)]
    pub database_url: Vec<String>,

    #[command(flatten)]
    pub schema: SchemaArgs,

    /// Abort a catalog query that runs longer than this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub statement_timeout: u64,

    /// Give up on a catalog lock after this many seconds (0: do not wait).
    #[arg(long, value_name = "SECONDS", default_value_t = 5)]
    pub lock_timeout: u64,
}

impl DatabaseArgs {
    pub fn live(&self) -> LiveDatabase {
        LiveDatabase {
            url: self.database_url.first().cloned(),
            schemas: self.schema.schemas.clone(),
            limits: Limits {
                statement_timeout: Duration::from_secs(self.statement_timeout),
                lock_timeout: Duration::from_secs(self.lock_timeout),
                privileges: false,
            },
        }
    }
}

#[derive(Debug, Args)]
#[command(mut_arg("database_url", |a| a
    .action(clap::ArgAction::Append)
    .help("Connection URL of a database to compare; repeat for several (a fleet). Also read from \
           DATABASE_URL and .env; without one, libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD, \
           PGDATABASE, PGSSLMODE are used. `sslmode` and `sslrootcert` work as in libpq")))]
pub struct DiffArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,

    #[command(flatten)]
    pub fleet: FleetArgs,

    /// The declared schema.
    #[arg(long, value_name = "FILE", default_value = "expected_schema.yaml")]
    pub expected: PathBuf,

    /// Accept objects of this kind unchecked (as `ignore_kinds:` in the
    /// expected file does); repeat for several. Objects of kinds schemagate
    /// does not model fail the comparison otherwise.
    #[arg(long = "ignore-kind", value_name = "KIND", value_parser = clap::builder::PossibleValuesParser::new(schemagate::model::UNCOVERED_KINDS))]
    pub ignore_kinds: Vec<String>,

    #[command(flatten)]
    pub report: ReportFormatArgs,

    /// Rewrite the expected file to declare what the database holds,
    /// changing only the entries that differ (comments, groups and order
    /// kept); exit 0 when the rewritten file matches.
    #[arg(long, conflicts_with = "sql")]
    pub update: bool,

    /// Print the SQL that would bring the database to the expected schema,
    /// instead of a report; never runs it.
    #[arg(long)]
    pub sql: bool,

    /// With --sql: leave drops and narrowing type changes uncommented.
    #[arg(long, requires = "sql")]
    pub allow_destructive: bool,
}

/// Many databases or schemas in one run.
#[derive(Clone, Debug, Args)]
pub struct FleetArgs {
    /// Compare every database listed in FILE (`-`: standard input): one
    /// `URL` or `name: URL` per line; blank lines and `#` comments skipped.
    /// Added to those given with --database-url (DATABASE_URL from the
    /// environment is not added).
    #[arg(long, value_name = "FILE")]
    pub databases: Option<PathBuf>,

    /// Compare every schema matching GLOB (e.g. `tenant_*`) with the one
    /// schema the expected file declares, each reported on its own.
    #[arg(long, value_name = "GLOB")]
    pub schema_pattern: Option<String>,

    /// Databases (or schemas) read at the same time, one connection each
    /// [default: the number of cores].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub jobs: Option<u32>,

    /// Check only the I-th of N deterministic parts of the list (1-based),
    /// e.g. one per CI runner; `merge-reports` joins their JSON reports.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,
}

impl FleetArgs {
    /// Whether any fleet option was given.
    pub fn any(&self) -> bool {
        self.databases.is_some() || self.schema_pattern.is_some() || self.shard.is_some()
    }
}

#[derive(Debug, Args)]
pub struct MergeReportsArgs {
    /// JSON reports written by `diff --format json` (fleet runs or shards).
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_parser = choice(Format::VALUES), default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Args)]
#[command(mut_arg("target", |a| a
    .help("The throwaway target for --migrations (as in `check`)")
    .default_value(None)
    .env(None)
    .requires("migrations")))]
#[command(mut_arg("pg_bin", |a| a.requires("migrations")))]
pub struct SnapshotArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,

    /// Snapshot what these migrations build on a throwaway target instead
    /// of a live database.
    // Not `MigrationsArgs`: here the flag chooses the source, so it has no
    // default (and no --format-migrations).
    #[arg(long, value_name = "DIR")]
    pub migrations: Option<PathBuf>,

    #[command(flatten)]
    pub throwaway: ThrowawayArgs,

    /// With --migrations: run this SQL file on the throwaway database
    /// first; repeatable, in order. What it makes is left out of the
    /// snapshot.
    #[arg(long = "setup", value_name = "FILE.sql", requires = "migrations")]
    pub setup: Vec<PathBuf>,

    /// Write the YAML here instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also write owners and grants: `roles:` (every role granted something
    /// on an object it does not own), and `owner:`/`grants:` on each object.
    #[arg(long)]
    pub privileges: bool,
}

/// Where a schema comes from: migrations applied to a throwaway server.
#[derive(Clone, Debug, Args)]
pub struct SourceArgs {
    #[command(flatten)]
    pub migrations: MigrationsArgs,

    #[command(flatten)]
    pub throwaway: ThrowawayArgs,

    /// First create the application database and role as `bootstrap` does,
    /// then run the migrations as that role.
    #[arg(long)]
    pub bootstrap: bool,

    /// Run this command to migrate instead of the native runner (Alembic,
    /// sqlx, Flyway, ...), with DATABASE_URL set to the throwaway database.
    #[arg(long, value_name = "CMD")]
    pub migrate_cmd: Option<String>,
    /// Run this SQL file on the throwaway database before the migrations
    /// (a schema, roles, an extension's stub, another tool's table);
    /// repeatable, in order. What it makes is not compared unless the
    /// expected file declares it.
    #[arg(long = "setup", value_name = "FILE.sql")]
    pub setup: Vec<PathBuf>,
}

impl SourceArgs {
    pub fn source(&self) -> Source {
        Source {
            migrations: self.migrations.migrations.clone(),
            format: self.migrations.format_migrations,
            target: self.throwaway.target(),
            pg_bin: self.throwaway.pg_bin.clone(),
            bootstrap: self.bootstrap,
            migrate_cmd: self.migrate_cmd.clone(),
            setup: self.setup.clone(),
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub source: SourceArgs,

    /// The declared schema.
    #[arg(long, value_name = "FILE", default_value = "expected_schema.yaml")]
    pub expected: PathBuf,

    #[command(flatten)]
    pub schema: SchemaArgs,

    /// Accept objects of this kind unchecked (as `ignore_kinds:` in the
    /// expected file does); repeat for several. Objects of kinds schemagate
    /// does not model fail the comparison otherwise.
    #[arg(long = "ignore-kind", value_name = "KIND", value_parser = clap::builder::PossibleValuesParser::new(schemagate::model::UNCOVERED_KINDS))]
    pub ignore_kinds: Vec<String>,

    #[command(flatten)]
    pub report: ReportFormatArgs,

    /// Rewrite the expected file to declare what the migrations built,
    /// changing only the entries that differ (comments, groups and order
    /// kept); exit 0 when the rewritten file matches.
    #[arg(long)]
    pub update: bool,

    #[command(flatten)]
    pub safety: SafetyArgs,
}

/// Migration safety: which migrations are judged, and when hazards fail.
#[derive(Clone, Debug, Args)]
#[command(next_help_heading = "Migration safety")]
pub struct SafetyArgs {
    /// Judge the migrations added or changed since this git revision for
    /// hazards (locks, rewrites, validating scans, ...), observed on the
    /// throwaway server; older ones are applied without judgement.
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,

    /// Judge the migrations not yet applied on this database (read-only;
    /// not read from DATABASE_URL).
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,

    /// Judge every migration.
    #[arg(long)]
    pub hazards: bool,

    /// Exit 1 when a hazard at or above this severity is found.
    #[arg(long, value_name = "LEVEL", default_value = "never", value_parser = ["error", "warning", "never"])]
    pub fail_on: String,

    /// A rule's severity, over the expected file's `safety:` (repeatable):
    /// `table-rewrite=error`, `access-exclusive-lock=off`.
    #[arg(long = "hazard", value_name = "RULE=LEVEL", value_parser = rule_severity)]
    pub severities: Vec<(SafetyRule, Severity)>,
}

impl SafetyArgs {
    pub fn options(&self) -> SafetyOptions {
        SafetyOptions {
            base: self.base.clone(),
            database_url: self.database_url.clone(),
            all: self.hazards,
            fail_on: self.fail_on.parse().unwrap_or_default(),
            severities: self.severities.clone(),
        }
    }
}

fn rule_severity(text: &str) -> Result<(SafetyRule, Severity), String> {
    let (rule, severity) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}`: expected RULE=LEVEL"))?;
    Ok((rule.parse()?, severity.parse()?))
}

#[derive(Debug, Args)]
#[command(mut_arg("migrations", |a| a
    .help("Directory holding the migration files")
    .global(true)))]
#[command(mut_arg("format_migrations", |a| a.global(true)))]
pub struct MigrateArgs {
    /// Connection URL of the database (also read from DATABASE_URL and .env).
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, global = true)]
    pub database_url: Option<String>,

    #[command(flatten)]
    pub migrations: MigrationsArgs,

    #[command(subcommand)]
    pub action: MigrateAction,
}

#[derive(Debug, Subcommand)]
pub enum MigrateAction {
    /// Apply pending migrations, each in its own transaction.
    Up {
        /// Stop after this revision (default: apply all): a version, a
        /// unique prefix of one, `head`, or `+N` steps from the current one.
        #[arg(long, value_name = "REV", allow_hyphen_values = true)]
        to: Option<String>,

        /// First write a full pg_dump (custom format) of the database here.
        #[arg(long, value_name = "FILE")]
        backup: Option<PathBuf>,
    },
    /// Revert applied migrations with their down files, newest first.
    #[command(group(clap::ArgGroup::new("how_far").required(true).args(["to", "steps"])))]
    Down {
        /// Revert every migration above this revision: a version, a unique
        /// prefix of one, `base` or 0 (reverts all), or `-N` steps from the
        /// current one.
        #[arg(long, value_name = "REV", allow_hyphen_values = true)]
        to: Option<String>,

        /// Revert this many of the most recent migrations.
        #[arg(long, value_name = "N")]
        steps: Option<u64>,

        /// First write a full pg_dump (custom format) of the database here.
        #[arg(long, value_name = "FILE")]
        backup: Option<PathBuf>,
    },
    /// Show each migration: applied, stamped or pending, when, and whether
    /// its file changed since; (head) and (current) marked. Exits 1 if an
    /// applied migration changed or lost its file.
    Status {
        /// `table` for people, `json` for scripts.
        #[arg(long, value_parser = ["table", "json"], default_value = "table")]
        format: String,
    },
    /// List the applied migrations from the tracking table; (head) and
    /// (current) marked, stamped rows shown as stamped.
    History,
    /// Print the highest applied migration, or `none`.
    Current,
    /// Record the migrations up to REV as applied without running them
    /// (`base` or 0 clears).
    Stamp {
        /// The revision to record the database at: a version, a unique
        /// prefix of one, `head`, `base`, `-N` or `+N`.
        #[arg(value_name = "REV", allow_hyphen_values = true)]
        rev: String,
    },
    /// Create the next numbered NNNN_NAME.up.sql / .down.sql pair.
    New {
        /// A name or a message (`"Add User Prefs"` becomes `add_user_prefs`).
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
    #[arg(long, value_name = "NAME", default_value = bootstrap::DEFAULT_DATABASE)]
    pub database: String,

    /// Name of the application role.
    #[arg(long, value_name = "NAME", default_value = bootstrap::DEFAULT_ROLE)]
    pub role: String,

    /// Environment variable holding the role's password.
    #[arg(long, value_name = "VAR", default_value = bootstrap::DEFAULT_PASSWORD_ENV)]
    pub password_env: String,

    /// LC_COLLATE and LC_CTYPE of a new database; falls back to C.UTF-8 (or C)
    /// with a warning if the server lacks it.
    #[arg(long, value_name = "LOCALE", default_value = bootstrap::DEFAULT_COLLATION)]
    pub collation: String,
}

#[derive(Debug, Args)]
#[command(mut_arg("migrations", |a| a.help("Directory of migrations")))]
#[command(mut_arg("target", |a| a.help("Throwaway PostgreSQL, as for `check`")))]
#[command(mut_arg("schemas", |a| a.help(
    "Schema to compare; repeat for several. Default: every schema but the system ones"
)))]
pub struct RoundtripArgs {
    #[command(flatten)]
    pub migrations: MigrationsArgs,

    #[command(flatten)]
    pub throwaway: ThrowawayArgs,

    #[command(flatten)]
    pub schema: SchemaArgs,

    /// First migration to check; those before it are applied unchecked.
    #[arg(long, value_name = "REV")]
    pub from: Option<String>,

    /// Last migration to check; those after it are not applied.
    #[arg(long, value_name = "REV")]
    pub to: Option<String>,

    /// Run this SQL file on the throwaway database before the migrations;
    /// repeatable, in order. Each migration is compared with the state
    /// before it, so what the file makes is never residue.
    #[arg(long = "setup", value_name = "FILE.sql")]
    pub setup: Vec<PathBuf>,

    #[command(flatten)]
    pub report: ReportFormatArgs,
}

#[derive(Debug, Args)]
#[command(mut_arg("schemas", |a| a.help(
    "Schema to read; repeat for several. Default: those the expected file declares, else `public`"
)))]
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

    #[command(flatten)]
    pub schema: SchemaArgs,

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
            // As clap's derive does with a doc comment: no final period.
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
