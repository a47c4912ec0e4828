//! `schemagate check`: throwaway server -> migrations -> introspect -> diff -> report.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use schemagate::bootstrap::{self, BootstrapOptions, Password};
use schemagate::introspect::Limits;
use schemagate::target::{self, Throwaway};
use schemagate::{db, migrate};

use crate::cli::{CheckArgs, SourceArgs};
use crate::commands::{compare, emit, introspect_timed, load_expected, schemas_to_read};
use crate::ui::Ui;
use crate::Verdict;

pub fn run(args: CheckArgs, ui: Ui) -> Result<Verdict> {
    let expected = load_expected(&args.expected, ui)?;
    let built = build(&args.source, ui)?;
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
        None => Some(migrate::discover(&source.migrations)?),
        Some(_) => None,
    };
    let spec: target::Spec = source.target.parse()?;
    ui.progress("starting a throwaway PostgreSQL ...");
    let started = Instant::now();
    let throwaway = target::start(
        &spec,
        &target::Options {
            pg_bin: source.pg_bin.clone(),
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

/// Runs an external migration tool with DATABASE_URL set; its output goes
/// to stderr so that stdout stays the report.
fn run_command(cmd: &str, url: &str, ui: Ui) -> Result<()> {
    ui.verbose(&format!("running: {cmd}"));
    ui.progress(&format!("running the migration command: {cmd}"));
    let status = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .env("DATABASE_URL", url)
        .stdin(Stdio::null())
        .stdout(std::io::stderr())
        .status()
        .with_context(|| format!("cannot run the migration command `{cmd}`"))?;
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
    let url = target::scratch::with_database(url, database);
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
