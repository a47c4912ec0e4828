//! The first stages of every pipeline that reads migrations: a throwaway
//! server, optionally bootstrapped, with the migrations applied natively or
//! by an external command.

use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::read::introspect_timed;
use super::{Event, OnEvent, PipelineError, Source};
use crate::bootstrap::{self, BootstrapOptions, Password};
use crate::introspect::Limits;
use crate::model::Schema;
use crate::throwaway::cleanup::Cleanup;
use crate::throwaway::{self, Throwaway};
use crate::{db, migrate};

/// A throwaway database with the migrations applied; dropping it removes
/// the throwaway server (or scratch database).
pub struct Built {
    pub throwaway: Throwaway,
    /// Where the schema lives (the bootstrap database, or the default one).
    pub conninfo: String,
    /// How many migrations the native runner applied (`None`: an external
    /// command migrated).
    pub applied: Option<usize>,
    /// What the `--setup` files made (every schema but the system ones),
    /// read before the migrations ran; `None` without setup files.
    pub setup: Option<Schema>,
}

impl Built {
    /// The server's version (`16.4`, without a packager's suffix such as
    /// ` (Debian 16.4-1)`), if it answers.
    pub fn server_version(&self) -> Option<String> {
        let mut client = db::connect(&self.conninfo, Duration::from_secs(5)).ok()?;
        let row = client
            .query_one("SELECT current_setting('server_version')", &[])
            .ok()?;
        let version: String = row.get(0);
        version.split_whitespace().next().map(str::to_string)
    }

    /// Reads `schemas` back from the catalog, without what the setup files
    /// made unless `declared` (the expected schema) names it.
    /// Owners and grants are read when `declared` declares privileges.
    pub fn introspect(
        &self,
        schemas: &[String],
        declared: Option<&Schema>,
        on_event: OnEvent,
    ) -> Result<Schema, PipelineError> {
        let privileges = declared.is_some_and(|d| d.privileges.declared());
        self.introspect_with(schemas, declared, privileges, on_event)
    }

    /// [`Built::introspect`], reading owners and grants if `privileges`.
    pub fn introspect_with(
        &self,
        schemas: &[String],
        declared: Option<&Schema>,
        privileges: bool,
        on_event: OnEvent,
    ) -> Result<Schema, PipelineError> {
        let limits = Limits {
            privileges,
            ..Limits::default()
        };
        let mut actual = introspect_timed(
            &self.conninfo,
            Duration::from_secs(5),
            schemas,
            limits,
            on_event,
        )?;
        if let Some(setup) = &self.setup {
            actual.remove_setup_objects(setup, declared);
        }
        Ok(actual)
    }
}

/// Starts the throwaway server and applies the migrations (natively or by
/// command). A migration error is also reported as
/// [`Event::MigrationFailed`], for annotations at its file and line.
pub fn build(source: &Source, on_event: OnEvent) -> Result<Built, PipelineError> {
    build_observed(source, |_| Ok(migrate::run::NoObserver), on_event).map(|(built, _)| built)
}

/// [`build`], with an observer (made by `observe` from the conninfo the
/// migrations run on) watching the native runner; `None` when an external
/// command migrates.
pub(super) fn build_observed<O: migrate::run::Observer>(
    source: &Source,
    observe: impl FnOnce(&str) -> Result<O, PipelineError>,
    on_event: OnEvent,
) -> Result<(Built, Option<O>), PipelineError> {
    build_inner(source, observe, on_event).inspect_err(|e| {
        if let PipelineError::Migrate(m) = e {
            on_event(Event::MigrationFailed(m));
        }
    })
}

fn build_inner<O: migrate::run::Observer>(
    source: &Source,
    observe: impl FnOnce(&str) -> Result<O, PipelineError>,
    on_event: OnEvent,
) -> Result<(Built, Option<O>), PipelineError> {
    // Bad input fails before any server starts.
    let migrations = match &source.migrate_cmd {
        None => Some(migrate::discover(&source.migrations, source.format)?),
        Some(_) => None,
    };
    for warning in migrations
        .iter()
        .flatten()
        .flat_map(migrate::Migration::warnings)
    {
        on_event(Event::Warning(&warning));
    }
    let throwaway = start_throwaway(&source.target, &source.pg_bin, on_event)?;

    // Where migrations run, and as whom.
    let (run_conninfo, run_url, schema_conninfo) = if source.bootstrap {
        let password = Password::new(generated_password());
        let options = BootstrapOptions::new(password.clone());
        on_event(Event::Bootstrapping {
            database: &options.database,
            role: &options.role,
        });
        let report = bootstrap::bootstrap(&throwaway.conninfo, &options)?;
        for w in &report.warnings {
            on_event(Event::Warning(w));
        }
        let secret = password.expose();
        db::register_secret(secret);
        let as_role = db::conninfo_with(
            &throwaway.conninfo,
            Some(&options.role),
            Some(secret),
            Some(&options.database),
        )?;
        let admin_in_db =
            db::conninfo_with(&throwaway.conninfo, None, None, Some(&options.database))?;
        let url = url_with(&throwaway.url, &options.role, secret, &options.database);
        (as_role, url, admin_in_db)
    } else {
        (
            throwaway.conninfo.clone(),
            throwaway.url.clone(),
            throwaway.conninfo.clone(),
        )
    };

    let setup = match source.setup.is_empty() {
        true => None,
        false => Some(run_setup(&source.setup, &schema_conninfo, on_event)?),
    };

    let mut observer = None;
    let applied = match (&source.migrate_cmd, migrations) {
        (Some(cmd), _) => {
            run_command(cmd, &run_url, on_event)?;
            None
        }
        (None, Some(migrations)) => {
            let mut client = db::connect(&run_conninfo, Duration::from_secs(5))?;
            let observer = observer.insert(observe(&run_conninfo)?);
            on_event(Event::Applying {
                count: migrations.len(),
            });
            let on_migrate_event = |event: migrate::MigrateEvent<'_>| {
                if let migrate::MigrateEvent::Applied {
                    migration,
                    duration,
                } = event
                {
                    on_event(Event::Applied {
                        path: &migration.up.path,
                        took: duration,
                    });
                }
            };
            migrate::run::up_observed(&mut client, &migrations, None, on_migrate_event, observer)?;
            Some(migrations.len())
        }
        (None, None) => unreachable!("migrations are discovered when no command is given"),
    };
    let built = Built {
        throwaway,
        conninfo: schema_conninfo,
        applied,
        setup,
    };
    Ok((built, observer))
}

/// Runs the setup files as the administrator in the database the
/// migrations run in, then reads what they made.
fn run_setup(
    files: &[PathBuf],
    conninfo: &str,
    on_event: OnEvent,
) -> Result<Schema, PipelineError> {
    let mut client = db::connect(conninfo, Duration::from_secs(5))?;
    for file in files {
        migrate::setup(&mut client, file)?;
    }
    // language=PostgreSQL
    let schemas: Vec<String> = client
        .query(
            "SELECT nspname::text FROM pg_namespace \
             WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%' ORDER BY 1",
            &[],
        )
        .map_err(|source| migrate::MigrateError::Database {
            context: "listing the schemas the setup files made".to_string(),
            source,
        })?
        .iter()
        .map(|r| r.get(0))
        .collect();
    introspect_timed(
        conninfo,
        Duration::from_secs(5),
        &schemas,
        Limits::default(),
        on_event,
    )
}

/// Starts the throwaway server that `target` names (`--target`).
pub(super) fn start_throwaway(
    target: &str,
    pg_bin: &Option<PathBuf>,
    on_event: OnEvent,
) -> Result<Throwaway, PipelineError> {
    let spec: throwaway::Spec = target.parse()?;
    on_event(Event::StartingThrowaway);
    let started = Instant::now();
    let throwaway = throwaway::start(
        &spec,
        &throwaway::StartOptions {
            pg_bin: pg_bin.clone(),
        },
    )?;
    // A fault hook for the clean-up tests: a panic with a server running.
    if std::env::var("SCHEMAGATE_FAULT").as_deref() == Ok("panic-after-start") {
        panic!("SCHEMAGATE_FAULT=panic-after-start");
    }
    on_event(Event::ThrowawayReady {
        description: &throwaway.description,
        took: started.elapsed(),
    });
    Ok(throwaway)
}

/// Runs an external migration tool with DATABASE_URL set; its output goes
/// to stderr so that stdout stays the report.
fn run_command(cmd: &str, url: &str, on_event: OnEvent) -> Result<(), PipelineError> {
    on_event(Event::RunningCommand(cmd));
    // Its own process group, so that an interrupt stops the whole tool.
    // Both its streams pass through the redaction line by line: the tool
    // may echo the URL it was given.
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .env("DATABASE_URL", url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|source| PipelineError::CommandSpawn {
            cmd: cmd.to_string(),
            source,
        })?;
    let group = Cleanup::process_group(child.id());
    let copiers: Vec<_> = [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
    ]
    .into_iter()
    .flatten()
    .map(|stream| std::thread::spawn(move || copy_redacted(stream)))
    .collect();
    let status = child.wait();
    for copier in copiers {
        let _ = copier.join();
    }
    // The command has ended: there is nothing of it left to stop.
    group.release();
    let status = status.map_err(|source| PipelineError::CommandWait {
        cmd: cmd.to_string(),
        source,
    })?;
    if !status.success() {
        return Err(PipelineError::CommandFailed {
            cmd: cmd.to_string(),
            status,
        });
    }
    Ok(())
}

/// Copies a child's output to stderr line by line, redacted.
fn copy_redacted(stream: Box<dyn std::io::Read + Send>) {
    use std::io::{BufRead, Write};
    let mut reader = std::io::BufReader::new(stream);
    let mut line = Vec::new();
    while let Ok(n) = reader.read_until(b'\n', &mut line) {
        if n == 0 {
            break;
        }
        let text = db::redact(&String::from_utf8_lossy(&line));
        let _ = std::io::stderr().write_all(text.as_bytes());
        line.clear();
    }
}

/// `url` with another user, password and database (URL form).
fn url_with(url: &str, user: &str, password: &str, database: &str) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    let url = throwaway::scratch::with_database(url, database);
    let Some(scheme_end) = url.find("://") else {
        return url;
    };
    let rest = &url[scheme_end + 3..];
    let host_start = rest.find('@').map(|i| i + 1).unwrap_or(0);
    format!(
        "{}{}:{}@{}",
        &url[..scheme_end + 3],
        enc(user),
        enc(password),
        &rest[host_start..]
    )
}

fn generated_password() -> String {
    use sha2::{Digest, Sha256};
    let seed = format!("{:?}{}", std::time::SystemTime::now(), std::process::id());
    Sha256::digest(seed.as_bytes())
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect()
}
