//! Which migrations `check` judges for safety, and the build that observes
//! them: those added or changed since `--base REV` (git), or not yet
//! applied on `--database-url` (read-only), or all with `--hazards`. The
//! older ones are applied without judgement.

use std::collections::BTreeSet;
use std::time::Duration;

use super::build::{build_observed, Built};
use super::report::extract_migrations;
use super::{Event, OnEvent, PipelineError, Source};
use crate::hazard::{FailOn, Safety, SafetyRule, Severity, SeverityPolicy};
use crate::hazards::SafetyObserver;
use crate::migrate::{self, Migration, MigrationState};
use crate::{db, model::Schema};

/// What to judge and how severely.
#[derive(Clone, Debug, Default)]
pub struct SafetyOptions {
    /// Judge the migrations added or changed since this git revision.
    pub base: Option<String>,
    /// Judge the migrations not yet applied on this database (read-only).
    pub database_url: Option<String>,
    /// Judge every migration.
    pub all: bool,
    pub fail_on: FailOn,
    /// `--hazard RULE=SEVERITY`, over the expected file's `safety:`.
    pub severities: Vec<(SafetyRule, Severity)>,
}

impl SafetyOptions {
    /// Hazards are judged only when asked for.
    pub fn enabled(&self) -> bool {
        self.base.is_some() || self.database_url.is_some() || self.all
    }

    fn policy(&self, expected: &Schema) -> SeverityPolicy {
        let mut policy = SeverityPolicy::default();
        for (rule, severity) in &expected.safety {
            policy.set(*rule, *severity);
        }
        for (rule, severity) in &self.severities {
            policy.set(*rule, *severity);
        }
        policy
    }
}

/// Builds the schema as [`super::build::build`] does, observing the judged
/// migrations.
pub(super) fn build_judged(
    source: &Source,
    options: &SafetyOptions,
    expected: &Schema,
    on_event: OnEvent,
) -> Result<(Built, Safety), PipelineError> {
    let policy = options.policy(expected);
    let mut safety = Safety {
        fail_on: options.fail_on,
        ..Safety::default()
    };
    if source.migrate_cmd.is_some() {
        safety.unobserved.push(
            "every migration: --migrate-cmd runs them outside schemagate, where no statement can be observed"
                .into(),
        );
        let (built, _) = build_observed(source, |_| Ok(migrate::run::NoObserver), on_event)?;
        return Ok((built, safety));
    }
    let migrations = migrate::discover(&source.migrations, source.format)?;
    let judged = judged(source, options, &migrations, on_event)?;
    let (built, observer) = build_observed(
        source,
        |conninfo| {
            let watcher = db::connect(conninfo, Duration::from_secs(5))?;
            Ok(SafetyObserver::new(judged, policy, watcher))
        },
        on_event,
    )?;
    if let Some(observer) = observer {
        safety.hazards = observer.hazards;
        safety.hazards.sort();
        safety.judged = observer.judged_ids;
        safety.unobserved = observer.unobserved;
    }
    Ok((built, safety))
}

/// The versions (as tracked) of the migrations to judge.
fn judged(
    source: &Source,
    options: &SafetyOptions,
    migrations: &[Migration],
    on_event: OnEvent,
) -> Result<BTreeSet<String>, PipelineError> {
    let all = || migrations.iter().map(|m| m.version.text().to_string());
    if options.all {
        return Ok(all().collect());
    }
    let mut judged = BTreeSet::new();
    if let Some(rev) = &options.base {
        let dir = extract_migrations(rev, &source.migrations)?;
        on_event(Event::BaseExtracted {
            rev,
            dir: &dir.path,
        });
        let empty = std::fs::read_dir(&dir.path).map_or(true, |mut d| d.next().is_none());
        let base = if empty {
            Vec::new()
        } else {
            // The head's layout: a base with no migrations yet detects none.
            let format = match source.format {
                Some(f) => f,
                None => migrate::detect(&source.migrations)?,
            };
            migrate::discover(&dir.path, Some(format))?
        };
        judged.extend(
            migrations
                .iter()
                .filter(|m| {
                    !base
                        .iter()
                        .any(|b| b.version.text() == m.version.text() && b.checksum == m.checksum)
                })
                .map(|m| m.version.text().to_string()),
        );
    }
    if let Some(url) = &options.database_url {
        let mut client = db::connect(url, Duration::from_secs(5))?;
        // Read-only: this is somebody's database.
        client
            .batch_execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            .map_err(|source| migrate::MigrateError::Database {
                context: format!("making the session on {} read-only", db::redact(url)),
                source,
            })?;
        let rows = migrate::status(&mut client, migrations)?;
        judged.extend(
            rows.iter()
                .filter(|r| matches!(r.state, MigrationState::Pending | MigrationState::Changed))
                .filter(|r| r.file.is_some())
                .map(|r| r.version.text().to_string()),
        );
    }
    Ok(judged)
}
