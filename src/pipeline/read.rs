//! Reading schemas: the expected file, and a database's catalog, timed
//! stage by stage for `-v`.

use std::path::Path;
use std::time::{Duration, Instant};

use super::{Event, OnEvent, PipelineError};
use crate::introspect::{self, Limits};
use crate::model::Schema;
use crate::{db, expected};

/// A live database to read (never written).
#[derive(Clone, Debug, Default)]
pub struct LiveDatabase {
    /// A URL or key-value connection string; `None`: libpq's PG*
    /// environment variables, if any is set.
    pub url: Option<String>,
    /// Schemas to read; empty: decided by the pipeline.
    pub schemas: Vec<String>,
    pub limits: Limits,
}

impl LiveDatabase {
    /// The connection string: the URL, else the PG* environment (empty).
    pub fn conninfo(&self) -> Result<String, PipelineError> {
        match &self.url {
            Some(url) => Ok(url.clone()),
            None if db::pg_env_present() => Ok(String::new()),
            None => Err(PipelineError::NoDatabase),
        }
    }

    /// Connects and reads `schemas` from the catalog.
    pub(super) fn read(
        &self,
        schemas: &[String],
        on_event: OnEvent,
    ) -> Result<Schema, PipelineError> {
        let url = self.conninfo()?;
        introspect_timed(&url, Duration::from_secs(2), schemas, self.limits, on_event)
    }
}

/// The schemas to read: those asked for, else those the expected file
/// declares, else `public`.
pub fn schemas_to_read(asked: &[String], expected: Option<&Schema>) -> Vec<String> {
    if !asked.is_empty() {
        return asked.to_vec();
    }
    match expected {
        Some(e) if !e.schemas.is_empty() => e.schemas.keys().cloned().collect(),
        _ => vec!["public".to_string()],
    }
}

/// `expected::load`, saying how long it took.
pub(super) fn load_expected(path: &Path, on_event: OnEvent) -> Result<Schema, PipelineError> {
    let text = expected::read(path)?;
    parse_expected(&text, path, on_event)
}

/// `expected::parse` of a file's text read once, saying how long it took,
/// with the casts the server adds to column references dropped
/// (`canon::drop_server_casts_in`), as a database read has them: compare it
/// with `Outcome::compare_normalized`.
pub(super) fn parse_expected(
    text: &str,
    path: &Path,
    on_event: OnEvent,
) -> Result<Schema, PipelineError> {
    let started = Instant::now();
    let cpu_started = thread_cpu_time();
    let mut expected = expected::parse(text, path)?;
    // Once here rather than on a copy per comparison: what is compared
    // with it (a database read) has had them dropped already.
    schemagate_core::canon::drop_server_casts_in(&mut expected);
    // The canonical forms the comparison will need, computed now, while
    // the catalog is read on another thread (memoized on this thread, which
    // compares).
    schemagate_core::canon::warm(&expected);
    on_event(Event::Loaded {
        path,
        tables: table_count(&expected),
        took: started.elapsed(),
        cpu: thread_cpu_time()
            .zip(cpu_started)
            .map(|(end, start)| end.saturating_sub(start)),
    });
    Ok(expected)
}

/// The CPU time this thread has used, where the system says.
fn thread_cpu_time() -> Option<Duration> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the call's duration.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then(|| {
        Duration::new(
            u64::try_from(ts.tv_sec).unwrap_or(0),
            u32::try_from(ts.tv_nsec).unwrap_or(0),
        )
    })
}

/// Connects to `url` (a URL or a key-value connection string) and runs
/// `introspect::schema_with_helper`, with per-query timings. A second
/// connection, when it can be had, reads the costliest part of the catalog
/// at the same time, in the same snapshot.
pub(super) fn introspect_timed(
    url: &str,
    patience: Duration,
    schemas: &[String],
    limits: Limits,
    on_event: OnEvent,
) -> Result<Schema, PipelineError> {
    let started = Instant::now();
    let mut client = db::connect(url, patience)?;
    let mut helper = db::connect(url, Duration::ZERO).ok();
    on_event(Event::Connected {
        connections: if helper.is_some() { 2 } else { 1 },
        took: started.elapsed(),
    });
    let started = Instant::now();
    let actual = introspect::schema_with_helper(
        &mut client,
        helper.as_mut(),
        schemas,
        limits,
        |stage, took| on_event(Event::CatalogStage { stage, took }),
    )?;
    on_event(Event::CatalogRead {
        tables: table_count(&actual),
        took: started.elapsed(),
    });
    Ok(actual)
}

/// Warns that the grants to roles the server lacks are not compared.
pub(super) fn warn_absent_roles(expected: &Schema, actual: &Schema, on_event: OnEvent) {
    if let Some(note) = absent_roles_note(expected, actual) {
        on_event(Event::Warning(&note));
    }
}

/// The note that the grants to roles the server lacks are not compared,
/// if it lacks any (a fleet gives it per database).
pub(super) fn absent_roles_note(expected: &Schema, actual: &Schema) -> Option<String> {
    let absent = expected.privileges.absent_roles(&actual.privileges);
    (!absent.is_empty()).then(|| {
        format!(
            "owners and grants of {} are not compared: the server has no such role (a throwaway \
             server has the application role with --bootstrap, or those a --setup file creates)",
            absent.join(", "),
        )
    })
}

pub(super) fn table_count(s: &Schema) -> usize {
    s.schemas.values().map(|n| n.tables.len()).sum()
}
