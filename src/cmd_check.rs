//! `schemagate check`: throwaway server -> migrations -> introspect -> diff -> report.

use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use schemagate::bootstrap::{self, BootstrapOptions, Password};
use schemagate::introspect::Limits;
use schemagate::migrate::MigrateError;
use schemagate::report::{github, Format};
use schemagate::throwaway::{self, Throwaway};
use schemagate::{db, migrate};

use crate::cli::{CheckArgs, SourceArgs};
use crate::commands::{compare, emit, introspect_timed, load_expected, schemas_to_read};
use crate::ui::Ui;
use crate::Verdict;

pub fn run(args: CheckArgs, ui: Ui) -> Result<Verdict> {
    let expected = load_expected(&args.expected, ui)?;
    let built = build(&args.source, ui)
        .inspect_err(|e| annotate_failure(e, args.format == Format::Github))?;
    let schemas = schemas_to_read(&args.schemas, Some(&expected));
    let actual = built.introspect(&schemas)?;
    let outcome = compare(
        &expected,
        &actual,
        &args.expected.display().to_string(),
        format!("migrations on {}", built.throwaway.description),
    );
    emit(&outcome, args.format)
}

/// For a migration statement the server rejected, prints a GitHub
/// annotation at its file, line and column to stdout, when the format is
/// `github` or the run is a GitHub Actions job. The error itself still goes
/// to stderr and the exit status stays 2.
pub fn annotate_failure(error: &anyhow::Error, github_format: bool) {
    if !github_format && std::env::var("GITHUB_ACTIONS").as_deref() != Ok("true") {
        return;
    }
    let Some(MigrateError::Statement {
        file,
        line,
        column,
        severity,
        sqlstate,
        message,
        detail,
        hint,
        ..
    }) = error.chain().find_map(|c| c.downcast_ref::<MigrateError>())
    else {
        return;
    };
    // Annotations take paths relative to the repository.
    let file = std::env::var_os("GITHUB_WORKSPACE")
        .and_then(|root| file.strip_prefix(root).ok().map(|p| p.to_path_buf()))
        .unwrap_or_else(|| file.clone());
    let mut text = format!("{severity} {sqlstate}: {message}");
    for (label, extra) in [("DETAIL", detail), ("HINT", hint)] {
        if let Some(extra) = extra {
            text.push_str(&format!("\n{label}: {extra}"));
        }
    }
    let file = file.display().to_string();
    let at = github::Location {
        file: &file,
        line: Some(*line),
        column: Some(*column),
    };
    let mut out = std::io::stdout().lock();
    let _ = github::error(&mut out, &at, "migration failed", &db::redact(&text));
    let _ = std::io::Write::flush(&mut out);
}

/// A throwaway database with the migrations applied.
pub struct Built {
    pub throwaway: Throwaway,
    /// Where the schema lives (the bootstrap database, or the default one).
    pub conninfo: String,
    ui: Ui,
}

impl Built {
    pub fn introspect(&self, schemas: &[String]) -> Result<schemagate::model::Schema> {
        introspect_timed(
            &self.conninfo,
            Duration::from_secs(5),
            schemas,
            Limits::default(),
            self.ui,
        )
    }
}

/// Starts the target and applies the migrations (natively or by command).
pub fn build(source: &SourceArgs, ui: Ui) -> Result<Built> {
    // Bad input fails before any server starts.
    let migrations = match &source.migrate_cmd {
        None => Some(migrate::discover(
            &source.migrations,
            source.format_migrations,
        )?),
        Some(_) => None,
    };
    let throwaway = start_target(&source.target, &source.pg_bin, ui)?;

    // Where migrations run, and as whom.
    let (run_conninfo, run_url, schema_conninfo) = if source.bootstrap {
        let password = Password::new(generated_password());
        let options = BootstrapOptions::new(password.clone());
        ui.progress(&format!(
            "bootstrapping database {} and role {} ...",
            options.database, options.role
        ));
        let report = bootstrap::bootstrap(&throwaway.conninfo, &options)?;
        for w in &report.warnings {
            ui.note(w);
        }
        let secret = password.expose();
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

    match (&source.migrate_cmd, migrations) {
        (Some(cmd), _) => run_command(cmd, &run_url, ui)?,
        (None, Some(migrations)) => {
            let mut client = db::connect(&run_conninfo, Duration::from_secs(5))?;
            ui.progress(&format!("applying {} migrations ...", migrations.len()));
            migrate::up(&mut client, &migrations, None, |event| {
                if let migrate::Event::Applied {
                    migration,
                    duration,
                } = event
                {
                    ui.verbose(&format!(
                        "applied {} ({} ms)",
                        migration.up.path.display(),
                        duration.as_millis()
                    ));
                }
            })?;
        }
        (None, None) => unreachable!("migrations are discovered when no command is given"),
    }
    Ok(Built {
        throwaway,
        conninfo: schema_conninfo,
        ui,
    })
}

/// Starts the throwaway server that `target` names (`--target`).
pub fn start_target(target: &str, pg_bin: &Option<PathBuf>, ui: Ui) -> Result<Throwaway> {
    let spec: throwaway::Spec = target.parse()?;
    ui.progress("starting a throwaway PostgreSQL ...");
    let started = Instant::now();
    let throwaway = throwaway::start(
        &spec,
        &throwaway::Options {
            pg_bin: pg_bin.clone(),
        },
    )?;
    // A fault hook for the clean-up tests: a panic with a server running.
    if std::env::var("SCHEMAGATE_FAULT").as_deref() == Ok("panic-after-start") {
        panic!("SCHEMAGATE_FAULT=panic-after-start");
    }
    ui.verbose(&format!(
        "target: {} (ready in {} ms)",
        throwaway.description,
        started.elapsed().as_millis()
    ));
    Ok(throwaway)
}

/// Runs an external migration tool with DATABASE_URL set; its output goes
/// to stderr so that stdout stays the report.
fn run_command(cmd: &str, url: &str, ui: Ui) -> Result<()> {
    ui.verbose(&format!("running: {cmd}"));
    ui.progress(&format!("running the migration command: {cmd}"));
    // Its own process group, so that an interrupt stops the whole tool.
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .env("DATABASE_URL", url)
        .stdin(Stdio::null())
        .stdout(std::io::stderr())
        .process_group(0)
        .spawn()
        .with_context(|| format!("cannot run the migration command `{cmd}`"))?;
    let guard = schemagate::throwaway::cleanup::register_process_group(child.id());
    let status = child.wait();
    schemagate::throwaway::cleanup::forget(guard);
    let status = status.with_context(|| format!("waiting for the migration command `{cmd}`"))?;
    if !status.success() {
        bail!("the migration command `{cmd}` failed ({status})");
    }
    Ok(())
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
