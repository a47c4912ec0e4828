//! Checks that each down migration undoes its up migration:
//! `roundtrip::run(client, migrations, options)`.
//!
//! For each migration in order: read the schema, apply the up migration,
//! apply its down migration, read the schema again and compare it with the
//! one before with [`diff::diff`] (so spelling never differs), then apply
//! the up migration again and go on. What the comparison finds is the
//! down migration's residue: objects it left behind (`unexpected`), objects
//! it removed that existed before (`missing`), and attributes it did not
//! restore (`changed`; `expected` is the value before the up migration,
//! `actual` the value after the down migration).

// As in `migrate`: MigrateError carries the server's whole report, and an
// error ends the run next to network round trips; a Box buys nothing.
#![allow(clippy::result_large_err)]

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use postgres::Client;
use serde::Serialize;

use crate::report::{github, junit, markdown, Format, JsonMismatch};

use crate::db;
use crate::diff::{self, Change, Mismatch, ObjectType};
use crate::introspect::{self, IntrospectError, Limits};
use crate::migrate::{self, DownTarget, MigrateError, Migration, MigrationKind};
use crate::model::Schema;
use crate::throwaway::scratch::{self, ScratchDb};

#[derive(Debug, thiserror::Error)]
pub enum RoundtripError {
    #[error(transparent)]
    Migrate(#[from] MigrateError),
    #[error(transparent)]
    Introspect(#[from] IntrospectError),
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error("listing the schemas failed")]
    Schemas(#[source] postgres::Error),
    #[error("creating a database to start over in failed")]
    Rebuild(#[source] postgres::Error),
    #[error("--from {from} comes after --to {to}")]
    Range { from: String, to: String },
}

/// What the down migration of one migration did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepOutcome {
    /// The schema is as it was before the up migration.
    Clean,
    /// It differs: what the down migration left behind, removed or changed
    /// (none listed when only applying the up migration again failed, over
    /// something outside the schemas compared).
    Residue(Vec<Mismatch>),
    /// The down migration failed; `message` names file, line and column.
    DownFailed {
        file: PathBuf,
        line: Option<usize>,
        message: String,
    },
    /// There is no down migration to check.
    NoDown,
}

impl StepOutcome {
    pub fn as_str(&self) -> &'static str {
        match self {
            StepOutcome::Clean => "clean",
            StepOutcome::Residue(_) => "residue",
            StepOutcome::DownFailed { .. } => "down failed",
            StepOutcome::NoDown => "no down",
        }
    }
}

/// One checked migration.
#[derive(Clone, Debug)]
pub struct Step {
    /// `0003_workflows`.
    pub id: String,
    pub up: PathBuf,
    pub down: Option<PathBuf>,
    pub outcome: StepOutcome,
    /// The up migration failed when applied again after its down migration
    /// (over the down's residue, usually); the error, naming file and line.
    pub up_again: Option<String>,
}

/// What a run found.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub steps: Vec<Step>,
    /// Migrations applied without a check (before `--from`).
    pub unchecked: usize,
    /// What the migrations ran on, with any password redacted.
    pub source: String,
}

impl Report {
    pub fn is_clean(&self) -> bool {
        self.steps
            .iter()
            .all(|s| s.outcome == StepOutcome::Clean && s.up_again.is_none())
    }

    fn count(&self, status: &str) -> usize {
        self.steps
            .iter()
            .filter(|s| s.outcome.as_str() == status)
            .count()
    }

    /// `3 migrations checked: 2 clean, 1 residue, 0 down failed, 0 no down`.
    pub fn summary_line(&self) -> String {
        let n = self.steps.len();
        let mut line = format!(
            "{n} migration{} checked: {} clean, {} residue, {} down failed, {} no down",
            if n == 1 { "" } else { "s" },
            self.count("clean"),
            self.count("residue"),
            self.count("down failed"),
            self.count("no down"),
        );
        if self.unchecked > 0 {
            line.push_str(&format!(
                " ({} applied before --from without a check)",
                self.unchecked
            ));
        }
        line
    }
}

/// Which schemas and which migrations to check.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// Schemas to compare; empty: every schema but the system ones.
    pub schemas: Vec<String>,
    /// First migration to check (those before it are applied unchecked).
    pub from: Option<String>,
    /// Last migration to check (those after it are not applied).
    pub to: Option<String>,
    /// SQL files run before the migrations (`--setup`), in order, also in
    /// every database made to start over.
    pub setup: Vec<PathBuf>,
}

/// Progress, for the user on a terminal.
#[derive(Clone, Copy, Debug)]
pub enum RoundtripEvent<'a> {
    Applying(&'a Migration),
    Checking(&'a Migration),
    Checked(&'a Step),
    /// Starting over in a fresh database after this migration.
    Rebuilding(&'a Migration),
}

/// The database the round trip works in. When a step leaves it in a state
/// other than "after the up migration" (a down that failed halfway outside
/// a transaction, an up that fails again over a down's residue), it is
/// replaced by a fresh database on the same server with the migrations up
/// to that step applied; databases made so are dropped at the end.
struct Workspace<'a> {
    /// The throwaway database (it outlives the run).
    origin: &'a str,
    client: Client,
    /// Databases this run created; dropped with the workspace.
    created: Vec<ScratchDb>,
}

impl Workspace<'_> {
    fn open(origin: &str) -> Result<Workspace<'_>, RoundtripError> {
        Ok(Workspace {
            origin,
            client: db::connect(origin, Duration::from_secs(5))?,
            created: Vec::new(),
        })
    }

    /// A fresh database with the versioned migrations up to `upto` applied.
    fn rebuild(
        &mut self,
        setup: &[PathBuf],
        migrations: &[Migration],
        upto: &Migration,
    ) -> Result<(), RoundtripError> {
        let origin_name = db::parse(self.origin)?
            .get_dbname()
            .unwrap_or("postgres")
            .to_string();
        let name = format!(
            "{}_rt{}",
            origin_name.chars().take(50).collect::<String>(),
            self.created.len() + 1
        );
        let mut admin = db::connect(self.origin, Duration::from_secs(5))?;
        // Two requests: neither may run inside a transaction block.
        let quoted = db::quote_ident_always(&name);
        for sql in [
            format!("DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"),
            format!("CREATE DATABASE {quoted}"),
        ] {
            admin.batch_execute(&sql).map_err(RoundtripError::Rebuild)?;
        }
        self.created.push(scratch::adopt(self.origin, &name));
        let conninfo = db::conninfo_with(self.origin, None, None, Some(&name))?;
        self.client = db::connect(&conninfo, Duration::from_secs(5))?;
        for file in setup {
            migrate::setup(&mut self.client, file)?;
        }
        migrate::up(
            &mut self.client,
            migrations,
            Some(upto.version.text()),
            |_| {},
        )?;
        Ok(())
    }
}

/// Runs the round trip of `migrations` on the database `conninfo`, which
/// must hold none of them yet. A failing up migration is an error; a failing
/// down migration, and an up migration that fails again over what its down
/// migration left, are findings.
pub fn run(
    conninfo: &str,
    migrations: &[Migration],
    options: &Scope,
    mut on_event: impl FnMut(RoundtripEvent<'_>),
) -> Result<Report, RoundtripError> {
    let from = options
        .from
        .as_deref()
        .map(|r| migrate::resolve(migrations, r))
        .transpose()?;
    let to = options
        .to
        .as_deref()
        .map(|r| migrate::resolve(migrations, r))
        .transpose()?;
    if let (Some(f), Some(t)) = (from, to) {
        if f.version > t.version {
            return Err(RoundtripError::Range {
                from: f.id(),
                to: t.id(),
            });
        }
    }
    let mut work = Workspace::open(conninfo)?;
    for file in &options.setup {
        migrate::setup(&mut work.client, file)?;
    }
    let mut report = Report::default();
    let versioned = migrations
        .iter()
        .filter(|m| m.kind() == MigrationKind::Versioned);
    for migration in versioned {
        if to.is_some_and(|t| migration.version > t.version) {
            break;
        }
        let one = Some(migration.version.text());
        if from.is_some_and(|f| migration.version < f.version) {
            on_event(RoundtripEvent::Applying(migration));
            migrate::up(&mut work.client, migrations, one, |_| {})?;
            report.unchecked += 1;
            continue;
        }
        on_event(RoundtripEvent::Checking(migration));
        let before_schemas = schemas(&mut work.client, &options.schemas)?;
        let before = read(&mut work.client, &before_schemas)?;
        migrate::up(&mut work.client, migrations, one, |_| {})?;
        let mut step = Step {
            id: migration.id(),
            up: migration.up.path.clone(),
            down: migration.down.as_ref().map(|d| d.path.clone()),
            outcome: StepOutcome::NoDown,
            up_again: None,
        };
        if migration.down.is_some() {
            match migrate::down(&mut work.client, migrations, DownTarget::Steps(1), |_| {}) {
                Ok(_) => {
                    let mut names = schemas(&mut work.client, &options.schemas)?;
                    names.extend(before_schemas.iter().cloned());
                    names.sort();
                    names.dedup();
                    let after = read(&mut work.client, &names)?;
                    let residue = residue(&before, &after);
                    step.outcome = if residue.is_empty() {
                        StepOutcome::Clean
                    } else {
                        StepOutcome::Residue(residue)
                    };
                    match migrate::up(&mut work.client, migrations, one, |_| {}) {
                        Ok(_) => {}
                        Err(e @ MigrateError::Statement { .. }) => {
                            // The down left something behind, if only
                            // outside the schemas compared.
                            if step.outcome == StepOutcome::Clean {
                                step.outcome = StepOutcome::Residue(Vec::new());
                            }
                            step.up_again = Some(e.to_string());
                            on_event(RoundtripEvent::Rebuilding(migration));
                            work.rebuild(&options.setup, migrations, migration)?;
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
                Err(e) => {
                    // A down file that cannot run as written (found before
                    // it runs) is that migration's verdict, not the end of
                    // the check: the tool would only meet it on the way down.
                    let (file, line, partial) = match &e {
                        MigrateError::Statement {
                            file,
                            line,
                            partial,
                            ..
                        } => (file, line, *partial),
                        MigrateError::NeedsNoTransaction { file, line, .. }
                        | MigrateError::OwnTransaction { file, line, .. } => (file, line, false),
                        _ => return Err(e.into()),
                    };
                    step.outcome = StepOutcome::DownFailed {
                        file: file.clone(),
                        line: Some(*line),
                        message: e.to_string(),
                    };
                    if partial {
                        // Part of a down that runs outside a transaction
                        // stayed applied: start over from a known state.
                        on_event(RoundtripEvent::Rebuilding(migration));
                        work.rebuild(&options.setup, migrations, migration)?;
                    }
                }
            }
        }
        report.steps.push(step);
        on_event(RoundtripEvent::Checked(
            report.steps.last().expect("just pushed"),
        ));
    }
    if to.is_none() {
        // Flyway's repeatable migrations run after the versioned ones; they
        // have no down migration, but a failing one is still an error.
        migrate::up(&mut work.client, migrations, None, |_| {})?;
    }
    Ok(report)
}

/// The schemas asked for, or every schema but the system ones.
fn schemas(client: &mut Client, asked: &[String]) -> Result<Vec<String>, RoundtripError> {
    if !asked.is_empty() {
        return Ok(asked.to_vec());
    }
    // language=PostgreSQL
    let rows = client
        .query(
            "SELECT nspname::text FROM pg_namespace \
             WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%' \
             ORDER BY 1",
            &[],
        )
        .map_err(RoundtripError::Schemas)?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

fn read(client: &mut Client, schemas: &[String]) -> Result<Schema, RoundtripError> {
    Ok(introspect::schema(client, schemas, Limits::default())?)
}

/// What differs between the schema before the up migration and after the
/// down migration. An empty schema left behind (or removed) counts too,
/// though [`diff::diff`] does not report empty schemas, and so does an
/// object of a kind the model does not compare (an operator, a cast, ...).
pub fn residue(before: &Schema, after: &Schema) -> Vec<Mismatch> {
    let mut out = diff::diff(before, after);
    let reported = |out: &[Mismatch], name: &str| {
        out.iter()
            .any(|m| m.object_type == ObjectType::Schema && m.path == [name.to_string()])
    };
    let mut extra = Vec::new();
    for name in after.schemas.keys() {
        if !before.schemas.contains_key(name) && !reported(&out, name) {
            extra.push(schema_mismatch(name, Change::Unexpected));
        }
    }
    for name in before.schemas.keys() {
        if !after.schemas.contains_key(name) && !reported(&out, name) {
            extra.push(schema_mismatch(name, Change::Missing));
        }
    }
    for (from, to, change) in [
        (after, before, Change::Unexpected),
        (before, after, Change::Missing),
    ] {
        for u in from
            .not_compared
            .iter()
            .filter(|u| !to.not_compared.contains(u))
        {
            let object = format!("{} {u}", u.object_type);
            extra.push(Mismatch {
                object,
                object_type: ObjectType::NotCompared,
                change,
                attribute: None,
                expected: None,
                actual: None,
                line: None,
                table: None,
                path: u.path(),
            });
        }
    }
    out.extend(extra);
    out.sort();
    out
}

fn schema_mismatch(name: &str, change: Change) -> Mismatch {
    Mismatch {
        object: name.to_string(),
        object_type: ObjectType::Schema,
        change,
        attribute: None,
        expected: None,
        actual: None,
        line: None,
        table: None,
        path: vec![name.to_string()],
    }
}

/// `unexpected index public.t (a)`, `changed column public.t.c default: 0 -> 1`.
pub fn describe(m: &Mismatch) -> String {
    let mut text = format!("{} {} {}", m.change, m.object_type, m.object);
    if let Some(attribute) = &m.attribute {
        text.push_str(&format!(
            " {attribute}: {} -> {}",
            m.expected.as_deref().unwrap_or("(none)"),
            m.actual.as_deref().unwrap_or("(none)")
        ));
    }
    text
}

/// Renders the report in any of `check`'s formats: per migration, what
/// its down migration left or broke.
pub fn render(format: Format, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
    match format {
        Format::Table => render_table(report, out),
        Format::Json => render_json(report, out),
        Format::Markdown => render_markdown(report, out),
        Format::Junit => render_junit(report, out),
        Format::Github => render_github(report, out),
    }
}

/// What went wrong in a step, one line each (empty for a clean one).
fn problems(step: &Step) -> Vec<String> {
    let mut lines: Vec<String> = match &step.outcome {
        StepOutcome::Clean => Vec::new(),
        StepOutcome::Residue(mismatches) => mismatches.iter().map(describe).collect(),
        StepOutcome::DownFailed { message, .. } => vec![message.clone()],
        StepOutcome::NoDown => vec![format!("{}: no down migration", step.up.display())],
    };
    if let Some(error) = &step.up_again {
        lines.push(format!(
            "the up migration failed when applied again: {error}"
        ));
    }
    lines
}

fn render_markdown(report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
    let icon = if report.is_clean() { "✅" } else { "❌" };
    writeln!(
        out,
        "### {icon} schemagate roundtrip: {}",
        markdown::text(&report.summary_line())
    )?;
    if report.steps.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "| migration | down | details |")?;
    writeln!(out, "|---|---|---|")?;
    for step in &report.steps {
        let details = problems(step)
            .iter()
            .map(|p| markdown::text(p))
            .collect::<Vec<_>>()
            .join("<br>");
        writeln!(
            out,
            "| {} | {} | {} |",
            markdown::code(&step.id),
            step.outcome.as_str(),
            if details.is_empty() {
                "-".into()
            } else {
                details
            }
        )?;
    }
    Ok(())
}

/// One test case per migration checked; one failure per residue item,
/// failed down migration, missing down or failed re-application.
fn render_junit(report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
    let total = report.steps.len();
    let failures = report
        .steps
        .iter()
        .filter(|s| !problems(s).is_empty())
        .count();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="schemagate roundtrip" tests="{total}" failures="{failures}" errors="0">"#
    )?;
    writeln!(
        out,
        r#"  <testsuite name="{}" tests="{total}" failures="{failures}" errors="0" skipped="0">"#,
        junit::xml(&report.source)
    )?;
    for step in &report.steps {
        let file = step.down.as_ref().unwrap_or(&step.up).display().to_string();
        let open = format!(
            r#"    <testcase name="{}" classname="schemagate.roundtrip" file="{}""#,
            junit::xml(&step.id),
            junit::xml(&file)
        );
        let problems = problems(step);
        if problems.is_empty() {
            writeln!(out, "{open}/>")?;
            continue;
        }
        writeln!(out, "{open}>")?;
        for problem in problems {
            writeln!(
                out,
                r#"      <failure message="{}" type="{}"/>"#,
                junit::xml(&problem),
                junit::xml(step.outcome.as_str())
            )?;
        }
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

/// An `::error` per problem at the down migration (at its failing line
/// when the server named one), and a notice when every step is clean.
fn render_github(report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
    for step in &report.steps {
        let file = step.down.as_ref().unwrap_or(&step.up).display().to_string();
        let line = match &step.outcome {
            StepOutcome::DownFailed { line, .. } => *line,
            _ => None,
        };
        for problem in problems(step) {
            github::error(
                out,
                &github::AnnotationAt {
                    file: &file,
                    line,
                    column: None,
                },
                &format!("roundtrip {}: {}", step.outcome.as_str(), step.id),
                &problem,
            )?;
        }
    }
    if report.is_clean() {
        github::notice(out, &report.summary_line())?;
    }
    Ok(())
}

fn render_table(report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
    use comfy_table::{presets, ContentArrangement, Table};
    if !report.steps.is_empty() {
        let mut table = Table::new();
        table
            .load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(["migration", "down", "details"]);
        if table.width().is_none() {
            table.set_width(160);
        }
        for step in &report.steps {
            let lines = problems(step);
            let details = if lines.is_empty() {
                "-".to_string()
            } else {
                lines.join("\n")
            };
            table.add_row([step.id.as_str(), step.outcome.as_str(), &details]);
        }
        writeln!(out, "{table}")?;
    }
    writeln!(out, "{}", report.summary_line())
}

#[derive(Serialize)]
struct Wire<'a> {
    version: u32,
    status: &'static str,
    summary: WireSummary<'a>,
    migrations: Vec<WireStep<'a>>,
}

#[derive(Serialize)]
struct WireSummary<'a> {
    checked: usize,
    clean: usize,
    residue: usize,
    down_failed: usize,
    no_down: usize,
    unchecked: usize,
    source: &'a str,
}

#[derive(Serialize)]
struct WireStep<'a> {
    migration: &'a str,
    status: &'static str,
    up_file: String,
    down_file: Option<String>,
    /// `expected`: before the up migration; `actual`: after the down.
    residue: Vec<JsonMismatch>,
    error: Option<WireError<'a>>,
    /// The up migration failed when applied again after the down.
    up_again_error: Option<&'a str>,
}

#[derive(Serialize)]
struct WireError<'a> {
    file: String,
    line: Option<usize>,
    message: &'a str,
}

fn render_json(report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
    let wire = Wire {
        version: 1,
        status: if report.is_clean() {
            "clean"
        } else {
            "not_clean"
        },
        summary: WireSummary {
            checked: report.steps.len(),
            clean: report.count("clean"),
            residue: report.count("residue"),
            down_failed: report.count("down failed"),
            no_down: report.count("no down"),
            unchecked: report.unchecked,
            source: &report.source,
        },
        migrations: report
            .steps
            .iter()
            .map(|s| WireStep {
                migration: &s.id,
                status: s.outcome.as_str(),
                up_file: s.up.display().to_string(),
                down_file: s.down.as_ref().map(|d| d.display().to_string()),
                residue: match &s.outcome {
                    StepOutcome::Residue(mismatches) => {
                        mismatches.iter().map(JsonMismatch::new).collect()
                    }
                    _ => Vec::new(),
                },
                error: match &s.outcome {
                    StepOutcome::DownFailed {
                        file,
                        line,
                        message,
                    } => Some(WireError {
                        file: file.display().to_string(),
                        line: *line,
                        message,
                    }),
                    _ => None,
                },
                up_again_error: s.up_again.as_deref(),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &wire)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Namespace;

    #[test]
    fn an_empty_schema_left_behind_is_residue() {
        let mut before = Schema::default();
        before
            .schemas
            .insert("public".to_string(), Namespace::default());
        let mut after = before.clone();
        after
            .schemas
            .insert("audit".to_string(), Namespace::default());
        let found = residue(&before, &after);
        assert_eq!(found.len(), 1);
        assert_eq!(describe(&found[0]), "unexpected schema audit");
        assert_eq!(residue(&after, &before)[0].change, Change::Missing);
        assert!(residue(&before, &before).is_empty());
    }

    #[test]
    fn the_report_renders_each_outcome() {
        let report = Report {
            steps: vec![
                Step {
                    id: "0001_a".into(),
                    up: "m/0001_a.up.sql".into(),
                    down: Some("m/0001_a.down.sql".into()),
                    outcome: StepOutcome::Clean,
                    up_again: None,
                },
                Step {
                    id: "0002_b".into(),
                    up: "m/0002_b.up.sql".into(),
                    down: Some("m/0002_b.down.sql".into()),
                    outcome: StepOutcome::Residue(vec![schema_mismatch(
                        "audit",
                        Change::Unexpected,
                    )]),
                    up_again: None,
                },
                Step {
                    id: "0003_c".into(),
                    up: "m/0003_c.up.sql".into(),
                    down: Some("m/0003_c.down.sql".into()),
                    outcome: StepOutcome::DownFailed {
                        file: "m/0003_c.down.sql".into(),
                        line: Some(2),
                        message: "m/0003_c.down.sql:2: 42P01: relation \"x\" does not exist".into(),
                    },
                    up_again: None,
                },
            ],
            unchecked: 0,
            source: "test".into(),
        };
        assert!(!report.is_clean());
        let mut out = Vec::new();
        render(Format::Json, &report, &mut out).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(json["status"], "not_clean");
        assert_eq!(json["summary"]["residue"], 1);
        assert_eq!(json["migrations"][1]["residue"][0]["object"], "audit");
        assert_eq!(json["migrations"][2]["status"], "down failed");
        assert_eq!(json["migrations"][2]["error"]["line"], 2);
        let mut out = Vec::new();
        render(Format::Table, &report, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("unexpected schema audit"), "{text}");
        assert!(
            text.ends_with("3 migrations checked: 1 clean, 1 residue, 1 down failed, 0 no down\n")
        );
    }
}
