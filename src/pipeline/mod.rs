//! The pipeline as a library API: [`check`], [`diff`], [`snapshot`],
//! [`report`] and [`roundtrip`] each run the stages of one command (throwaway
//! server, migrations, catalog, comparison) and return what they found as a
//! value. Progress goes to an event callback; nothing here prints, renders a
//! report or ends the process.

// As in `migrate`: MigrateError carries the server's whole report, and an
// error ends the run next to network round trips; a Box buys nothing.
#![allow(clippy::result_large_err)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::bootstrap::BootstrapError;
use crate::db::DbError;
use crate::expected::SpecError;
use crate::introspect::IntrospectError;
use crate::migrate::{MigrateError, MigrationFormat};
use crate::roundtrip::RoundtripError;
use crate::throwaway::ThrowawayError;

mod build;
mod check;
mod diff;
mod fleet;
pub mod output;
mod read;
mod report;
mod roundtrip;
mod safety;
mod snapshot;
mod update;

pub use build::{build, Built};
pub use check::{check, check_compared, CheckOptions};
pub use diff::{diff, Compared};
pub use fleet::{diff_fleet, parse_list, FleetEvent, FleetOptions, FleetTarget, Shard};
pub use read::{schemas_to_read, LiveDatabase};
pub use report::{report, ReportData, ReportOptions, ReportSource};
pub use roundtrip::{roundtrip, RoundtripOptions};
pub use safety::SafetyOptions;
pub use snapshot::{snapshot, SnapshotSource};
pub use update::{update_expected, Rewritten};

/// Where a schema comes from: migrations applied to a throwaway server.
#[derive(Clone, Debug)]
pub struct Source {
    /// The migrations directory.
    pub migrations: PathBuf,
    /// Its layout; `None`: detected from it.
    pub format: Option<MigrationFormat>,
    /// The throwaway server, as `--target` spells it (`auto`, `local`,
    /// `docker[:IMAGE]`, `postgres://…`).
    pub target: String,
    /// The PostgreSQL server binaries for a local cluster.
    pub pg_bin: Option<PathBuf>,
    /// First create the application database and role as `bootstrap`
    /// does, and migrate as that role.
    pub bootstrap: bool,
    /// Migrate with this shell command instead of the native runner.
    pub migrate_cmd: Option<String>,
    /// SQL files run on the throwaway database before the migrations
    /// (`--setup`); what they make is left out of what is read back,
    /// unless the expected file declares it.
    pub setup: Vec<PathBuf>,
}

/// What a pipeline is doing, for the user; the caller decides what to show.
#[derive(Clone, Copy, Debug)]
pub enum Event<'a> {
    /// The expected file was read: `took` on the clock, `cpu` of it working
    /// (the rest waiting for a core, when the catalog is read meanwhile).
    Loaded {
        path: &'a Path,
        tables: usize,
        took: Duration,
        cpu: Option<Duration>,
    },
    StartingThrowaway,
    ThrowawayReady {
        description: &'a str,
        took: Duration,
    },
    Bootstrapping {
        database: &'a str,
        role: &'a str,
    },
    /// Something the user should know (a fallback, a missing privilege).
    Warning(&'a str),
    Applying {
        count: usize,
    },
    Applied {
        path: &'a Path,
        took: Duration,
    },
    RunningCommand(&'a str),
    /// Building a schema from migrations failed on this migration error.
    MigrationFailed(&'a MigrateError),
    Connected {
        connections: usize,
        took: Duration,
    },
    /// One catalog query.
    CatalogStage {
        stage: &'static str,
        took: Duration,
    },
    CatalogRead {
        tables: usize,
        took: Duration,
    },
    /// The migrations were applied on a throwaway server, which runs
    /// this version of PostgreSQL.
    Built {
        description: &'a str,
        server_version: Option<&'a str>,
        /// `None`: an external command migrated.
        migrations: Option<usize>,
    },
    /// The expected file declares other schemas than its text suggested.
    ReadingAgain,
    Compared {
        mismatches: usize,
        took: Duration,
    },
    /// The migrations of a git revision were written to `dir`.
    BaseExtracted {
        rev: &'a str,
        dir: &'a Path,
    },
    Roundtrip(crate::roundtrip::RoundtripEvent<'a>),
}

/// The callback that receives [`Event`]s; `Sync`, since a pipeline may
/// build two schemas side by side.
pub type OnEvent<'f> = &'f (dyn Fn(Event<'_>) + Sync);

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Expected(#[from] SpecError),
    #[error(transparent)]
    Migrate(#[from] MigrateError),
    #[error(transparent)]
    Throwaway(#[from] ThrowawayError),
    #[error(transparent)]
    Introspect(#[from] IntrospectError),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Bootstrap(#[from] BootstrapError),
    #[error(transparent)]
    Roundtrip(#[from] RoundtripError),
    #[error("no database given: pass --database-url, set DATABASE_URL, or set PGHOST/PGDATABASE")]
    NoDatabase,
    #[error("cannot run the migration command `{cmd}`")]
    CommandSpawn {
        cmd: String,
        #[source]
        source: std::io::Error,
    },
    #[error("waiting for the migration command `{cmd}`")]
    CommandWait {
        cmd: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the migration command `{cmd}` failed ({status})")]
    CommandFailed {
        cmd: String,
        status: std::process::ExitStatus,
    },
    #[error("{at}: {reason}")]
    BadListLine { at: String, reason: String },
    #[error("cannot read the database list {}", path.display())]
    ReadList {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("--schema-pattern {pattern}: {reason}")]
    BadPattern { pattern: String, reason: String },
    #[error("--schema-pattern compares each matching schema with one declared schema, but the expected file (or --schema) names {}", found.join(", "))]
    PatternNeedsOneSchema { found: Vec<String> },
    #[error("--base {0}: not a git revision")]
    NotARevision(String),
    #[error("cannot run git (needed for --base)")]
    GitMissing(#[source] std::io::Error),
    #[error("git {args} failed: {stderr}")]
    Git { args: String, stderr: String },
    #[error("--base {rev}: not a revision of the git repository holding {}", migrations.display())]
    UnknownRevision {
        rev: String,
        migrations: PathBuf,
        #[source]
        source: Box<PipelineError>,
    },
    #[error("cannot create {}", path.display())]
    CreateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("building the schema of {rev}")]
    Base {
        rev: String,
        #[source]
        source: Box<PipelineError>,
    },
}
