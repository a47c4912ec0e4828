//! `diff` over a fleet: many live databases (or every schema of them that
//! matches a glob) compared with one expected file, read concurrently, each
//! reported on its own. A database that cannot be read is reported as an
//! error beside the others; only a bad list or expected file fails the run.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use globset::{Glob, GlobMatcher};

use super::read::{load_expected, schemas_to_read};
use super::PipelineError;
use crate::db;
use crate::introspect::{self, Limits};
use crate::model::Schema;
use crate::report::fleet::{DatabaseReport, FleetReport};
use crate::report::Outcome;

/// One database of the fleet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FleetTarget {
    /// What reports call it: the name the list gave, else the redacted URL.
    pub name: String,
    pub url: String,
    /// Position in the whole list (kept through `--shard`).
    pub index: usize,
}

impl FleetTarget {
    /// A target named after its (redacted) URL.
    pub fn unnamed(url: String, index: usize) -> FleetTarget {
        FleetTarget {
            name: db::describe(&url),
            url,
            index,
        }
    }
}

#[derive(Clone, Debug)]
pub struct FleetOptions {
    /// Schemas to read (`--schema`); empty: those the expected file declares.
    pub schemas: Vec<String>,
    /// Compare every schema matching this glob with the one schema the
    /// expected file declares.
    pub schema_pattern: Option<String>,
    /// Databases (or schemas) read at the same time; each holds one
    /// connection, so no server sees more than this many from one run.
    pub jobs: usize,
    pub limits: Limits,
}

/// What a fleet run is doing, for a progress bar.
#[derive(Clone, Copy, Debug)]
pub enum FleetEvent<'a> {
    /// This many databases (or schemas) are to be checked.
    Total(usize),
    /// A note about one database (or schema), such as the roles of
    /// `roles:` that it lacks, whose grants are not compared there.
    Note {
        database: &'a str,
        text: &'a str,
    },
    Finished(&'a DatabaseReport),
}

/// `I/N`: the I-th of N parts (1-based) of a fleet list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("`{s}`: expected I/N with 1 <= I <= N, e.g. 2/4");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: usize = i.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// This shard's part of `targets`: every N-th entry by position in the
    /// whole list, so that the N parts cover it exactly once, whatever
    /// machine computes them.
    pub fn select(self, targets: Vec<FleetTarget>) -> Vec<FleetTarget> {
        targets
            .into_iter()
            .filter(|t| t.index % self.count == self.index - 1)
            .collect()
    }
}

/// Reads a fleet list: one `URL` or `name: URL` per line; blank lines and
/// lines starting with `#` are skipped. `origin` names the list in errors
/// (`file:line`); indexes start at `first_index`.
pub fn parse_list(
    text: &str,
    origin: &str,
    first_index: usize,
) -> Result<Vec<FleetTarget>, PipelineError> {
    let mut targets = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |reason: &str| PipelineError::BadListLine {
            at: format!("{origin}:{}", n + 1),
            reason: db::redact(reason),
        };
        let (name, url) = split_entry(line);
        if url.is_empty() {
            return Err(bad("no connection string after the name"));
        }
        if !looks_like_conninfo(url) {
            return Err(bad(&format!(
                "`{}` is neither a postgres:// URL nor a key=value connection string",
                db::redact(line)
            )));
        }
        if let Err(e) = db::parse(url) {
            return Err(bad(&e.to_string()));
        }
        let index = first_index + targets.len();
        targets.push(match name {
            Some(name) => FleetTarget {
                name: db::redact(name),
                url: url.to_string(),
                index,
            },
            None => FleetTarget::unnamed(url.to_string(), index),
        });
    }
    Ok(targets)
}

/// `name: URL` → (Some(name), URL); a bare URL or key=value string → (None, it).
fn split_entry(line: &str) -> (Option<&str>, &str) {
    if let Some((head, rest)) = line.split_once(':') {
        let is_name = !head.is_empty()
            && !head.contains(['=', '/', ' ', '\t'])
            && !rest.starts_with("//")
            && (rest.is_empty() || rest.starts_with([' ', '\t']));
        if is_name {
            return (Some(head.trim()), rest.trim());
        }
    }
    (None, line)
}

fn looks_like_conninfo(text: &str) -> bool {
    text.starts_with("postgres://") || text.starts_with("postgresql://") || text.contains('=')
}

/// One unit of work: a database, or one schema of it.
struct Task<'a> {
    target: &'a FleetTarget,
    /// With `--schema-pattern`: the tenant schema.
    tenant: Option<String>,
}

/// Compares every target with the expected file. Fails only when the
/// expected file or the options are unusable; a database that cannot be
/// checked is an `error` entry of the report.
pub fn diff_fleet(
    targets: &[FleetTarget],
    expected_file: &Path,
    options: &FleetOptions,
    on_event: &(dyn Fn(FleetEvent<'_>) + Sync),
) -> Result<FleetReport, PipelineError> {
    let expected = load_expected(expected_file, &|_| {})?;
    let expected_name = expected_file.display().to_string();
    let jobs = options.jobs.max(1);
    let pattern = match &options.schema_pattern {
        None => None,
        Some(glob) => {
            let matcher = Glob::new(glob)
                .map_err(|e| PipelineError::BadPattern {
                    pattern: glob.clone(),
                    reason: e.kind().to_string(),
                })?
                .compile_matcher();
            Some((matcher, declared_schema(&expected, &options.schemas)?))
        }
    };

    // With a pattern, first list each database's matching schemas; a
    // database that cannot be listed is reported as it is.
    let mut reports: Vec<DatabaseReport> = Vec::new();
    let mut tasks: Vec<Task> = Vec::new();
    match &pattern {
        None => tasks.extend(targets.iter().map(|target| Task {
            target,
            tenant: None,
        })),
        Some((matcher, _)) => {
            let listed = run_parallel(targets, jobs, |target| {
                let started = Instant::now();
                list_schemas(&target.url, matcher).map_err(|e| {
                    DatabaseReport::failed(
                        target.name.clone(),
                        Some(target.index),
                        error_text(&e),
                        millis(started.elapsed()),
                    )
                })
            });
            for (target, result) in targets.iter().zip(listed) {
                match result {
                    Ok(schemas) => tasks.extend(schemas.into_iter().map(|s| Task {
                        target,
                        tenant: Some(s),
                    })),
                    Err(report) => reports.push(report),
                }
            }
        }
    }
    on_event(FleetEvent::Total(tasks.len() + reports.len()));
    for r in &reports {
        on_event(FleetEvent::Finished(r));
    }

    let checked = run_parallel(&tasks, jobs, |task| {
        let started = Instant::now();
        let name = match &task.tenant {
            Some(schema) => format!("{}#{schema}", task.target.name),
            None => task.target.name.clone(),
        };
        let declared = pattern.as_ref().map(|(_, d)| d.as_str());
        let report = match read_one(task, declared, &expected, options) {
            Ok(actual) => {
                if let Some(text) = super::read::absent_roles_note(&expected, &actual) {
                    on_event(FleetEvent::Note {
                        database: &name,
                        text: &text,
                    });
                }
                let outcome =
                    Outcome::compare_normalized(&expected, &actual, &expected_name, name.clone());
                // Freeing a large schema string by string is slow, and
                // the process ends soon.
                std::mem::forget(actual);
                DatabaseReport::compared(
                    name,
                    Some(task.target.index),
                    &outcome,
                    millis(started.elapsed()),
                )
            }
            Err(e) => DatabaseReport::failed(
                name,
                Some(task.target.index),
                error_text(&e),
                millis(started.elapsed()),
            ),
        };
        on_event(FleetEvent::Finished(&report));
        report
    });
    reports.extend(checked);
    // Databases in list order; a database's schemas by name.
    reports.sort_by(|a, b| (a.index, &a.name).cmp(&(b.index, &b.name)));
    std::mem::forget(expected);
    Ok(FleetReport::new(reports))
}

/// Runs `work` over `items` on `jobs` threads; results in `items`' order.
fn run_parallel<T: Sync, R: Send>(
    items: &[T],
    jobs: usize,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(items.len()) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let result = work(item);
                results.lock().unwrap_or_else(|p| p.into_inner())[i] = Some(result);
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .into_iter()
        .map(|r| r.expect("every item was worked on"))
        .collect()
}

/// The one schema the expected file declares (what tenant schemas are
/// compared with).
fn declared_schema(expected: &Schema, asked: &[String]) -> Result<String, PipelineError> {
    let declared = schemas_to_read(asked, Some(expected));
    match declared.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(PipelineError::PatternNeedsOneSchema { found: declared }),
    }
}

/// The schemas of the database at `url` whose names match `matcher`,
/// sorted; system schemas never.
fn list_schemas(url: &str, matcher: &GlobMatcher) -> Result<Vec<String>, PipelineError> {
    let mut client = db::connect(url, Duration::from_secs(2))?;
    // language=PostgreSQL
    let sql = "SELECT nspname::text FROM pg_catalog.pg_namespace \
               WHERE nspname <> 'information_schema' AND nspname !~ '^pg_' ORDER BY 1";
    let rows = client
        .query(sql, &[])
        .map_err(introspect::IntrospectError::query("schemas"))?;
    Ok(rows
        .iter()
        .map(|r| r.get::<_, String>(0))
        .filter(|s| matcher.is_match(s))
        .collect())
}

/// Reads one database, or one tenant schema of it renamed to `declared`.
fn read_one(
    task: &Task,
    declared: Option<&str>,
    expected: &Schema,
    options: &FleetOptions,
) -> Result<Schema, PipelineError> {
    // One connection per task: `--jobs` bounds the connections per server.
    let mut client = db::connect(&task.target.url, Duration::from_secs(2))?;
    // Owners and grants only when the file declares them.
    let limits = introspect::Limits {
        privileges: expected.privileges.declared(),
        ..options.limits
    };
    match (&task.tenant, declared) {
        (Some(tenant), Some(declared)) => {
            // language=PostgreSQL
            client
                .execute(
                    "SELECT set_config('schemagate.search_path', quote_ident($1), false)",
                    &[tenant],
                )
                .map_err(introspect::IntrospectError::query("search_path"))?;
            let mut actual = introspect::schema(&mut client, std::slice::from_ref(tenant), limits)?;
            rename_schema(&mut actual, tenant, declared);
            Ok(actual)
        }
        _ => {
            let schemas = schemas_to_read(&options.schemas, Some(expected));
            Ok(introspect::schema(&mut client, &schemas, limits)?)
        }
    }
}

/// `from` renamed `to` in the schema and in references to it, so that a
/// tenant schema compares with the declared one.
fn rename_schema(schema: &mut Schema, from: &str, to: &str) {
    if let Some(ns) = schema.schemas.remove(from) {
        schema.schemas.insert(to.to_string(), ns);
    }
    for ns in schema.schemas.values_mut() {
        for table in ns.tables.values_mut() {
            for fk in &mut table.foreign_keys {
                if fk.ref_table.schema == from {
                    fk.ref_table.schema = to.to_string();
                }
            }
            if let Some(p) = &mut table.partition_of {
                if p.parent.schema == from {
                    p.parent.schema = to.to_string();
                }
            }
        }
    }
    let objects = std::mem::take(&mut schema.privileges.objects);
    schema.privileges.objects = objects
        .into_iter()
        .map(|(mut securable, acl)| {
            if securable.schema == from {
                securable.schema = to.to_string();
            }
            (securable, acl)
        })
        .collect();
}

/// The error and its causes on one line, without any password.
fn error_text(e: &PipelineError) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    db::redact(&text)
}

fn millis(d: Duration) -> u64 {
    d.as_millis().try_into().unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_lines_are_urls_or_named_urls_with_comments() {
        let text = "# fleet\n\npostgres://u:secret@h/a\nb: postgres://h/b\n  c:\thost=h dbname=c\n";
        let t = parse_list(text, "fleet.txt", 0).unwrap();
        assert_eq!(t.len(), 3);
        assert_eq!(t[0].name, "postgres://u:***@h/a");
        assert_eq!(
            (t[1].name.as_str(), t[1].url.as_str()),
            ("b", "postgres://h/b")
        );
        assert_eq!((t[2].name.as_str(), t[2].index), ("c", 2));
    }

    #[test]
    fn a_bad_list_line_names_file_and_line_without_the_password() {
        let text = "postgres://h/a\nnot a url :secret\n";
        let e = parse_list(text, "fleet.txt", 0).unwrap_err().to_string();
        assert!(e.contains("fleet.txt:2"), "{e}");
        let e = parse_list("x:\n", "f", 0).unwrap_err().to_string();
        assert!(e.contains("f:1"), "{e}");
    }

    #[test]
    fn shards_cover_the_list_exactly_once() {
        let targets: Vec<FleetTarget> = (0..10)
            .map(|i| FleetTarget::unnamed(format!("postgres://h/d{i}"), i))
            .collect();
        let mut seen: Vec<usize> = (1..=3)
            .flat_map(|i| Shard { index: i, count: 3 }.select(targets.clone()))
            .map(|t| t.index)
            .collect();
        seen.sort();
        assert_eq!(seen, (0..10).collect::<Vec<_>>());
        assert!("0/3".parse::<Shard>().is_err());
        assert!("4/3".parse::<Shard>().is_err());
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { index: 2, count: 3 }));
    }
}
