//! `schemagate report`: a Markdown document for reviewers, read from
//! migrations applied to a throwaway server (or a live database), and with
//! `--base REV` what the change does compared with that git revision.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{bail, Context, Result};

use schemagate::diff::diff;
use schemagate::introspect::{self, Limits};
use schemagate::model::Schema;
use schemagate::report::document::{self, Changes, Document};
use schemagate::throwaway::cleanup;
use schemagate::{db, expected};

use crate::cli::{ReportArgs, SourceArgs};
use crate::cmd_check::{annotate_failure, build};
use crate::commands::schemas_to_read;
use crate::ui::Ui;
use crate::Verdict;

/// Read when `--expected` is not given, if it exists.
const DEFAULT_EXPECTED: &str = "expected_schema.yaml";

pub fn run(args: ReportArgs, ui: Ui) -> Result<Verdict> {
    let expected = match &args.expected {
        Some(path) => Some(expected::load(path)?),
        None if Path::new(DEFAULT_EXPECTED).is_file() => {
            Some(expected::load(Path::new(DEFAULT_EXPECTED))?)
        }
        None => None,
    };
    let schemas = schemas_to_read(&args.schemas, expected.as_ref());

    let (actual, source, base) = match &args.database_url {
        Some(url) => {
            let mut client = db::connect(url, Duration::from_secs(2))?;
            let actual = introspect::schema(&mut client, &schemas, Limits::default())?;
            (actual, db::redact(url), None)
        }
        None => {
            let source = |target: &str| {
                format!(
                    "the migrations in {} applied to {target}",
                    args.source.migrations.display()
                )
            };
            match &args.base {
                None => {
                    let (actual, target) = read_built(&args.source, ui, &schemas)?;
                    (actual, source(&target), None)
                }
                Some(rev) => {
                    let base_dir = extract_migrations(rev, &args.source.migrations)?;
                    ui.verbose(&format!(
                        "migrations of {rev} extracted into {}",
                        base_dir.path.display()
                    ));
                    let base_source = SourceArgs {
                        migrations: base_dir.path.clone(),
                        ..args.source.clone()
                    };
                    // Two throwaway servers, started side by side.
                    let (head, base) = std::thread::scope(|s| {
                        let base = s.spawn(|| read_built(&base_source, ui, &schemas));
                        let head = read_built(&args.source, ui, &schemas);
                        let base = base
                            .join()
                            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                        (head, base)
                    });
                    let (head, target) = head?;
                    let (base, _) =
                        base.with_context(|| format!("building the schema of {rev}"))?;
                    (head, source(&target), Some((rev.clone(), base)))
                }
            }
        }
    };

    let mismatches = base.as_ref().map(|(_, base)| {
        let mut base = base.clone();
        // Objects the expected file ignores are not part of the story.
        base.ignore = expected
            .as_ref()
            .map(|e| e.ignore.clone())
            .unwrap_or_default();
        diff(&base, &actual)
    });
    let doc = Document {
        actual: &actual,
        expected: expected.as_ref(),
        source: &source,
        changes: match (&base, &mismatches) {
            (Some((rev, _)), Some(m)) => Some(Changes {
                base: rev,
                mismatches: m,
            }),
            _ => None,
        },
    };
    let mut text = Vec::new();
    document::render(&doc, &mut text).context("rendering the report")?;
    match &args.output {
        Some(path) => {
            std::fs::write(path, &text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            ui.verbose(&format!("report written to {}", path.display()));
        }
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(&text).context("writing the report")?;
            out.flush().context("writing the report")?;
        }
    }
    Ok(Verdict::Match)
}

/// Applies the migrations of `source` to a throwaway server and reads it
/// back; also says what the server was.
fn read_built(source: &SourceArgs, ui: Ui, schemas: &[String]) -> Result<(Schema, String)> {
    let built = build(source, ui).inspect_err(|e| annotate_failure(e, false))?;
    Ok((
        built.introspect(schemas)?,
        built.throwaway.description.clone(),
    ))
}

/// A temporary copy of a revision's migrations directory, removed on drop
/// (and on a signal, through the clean-up registry).
struct ExtractedDir {
    path: PathBuf,
    cleanup: u64,
}

impl Drop for ExtractedDir {
    fn drop(&mut self) {
        cleanup::run(self.cleanup);
    }
}

/// Writes the files of `migrations` as they are at git revision `rev` into
/// a fresh temporary directory. A revision without the directory gives an
/// empty one: everything in the working tree is then new.
fn extract_migrations(rev: &str, migrations: &Path) -> Result<ExtractedDir> {
    if rev.starts_with('-') {
        bail!("--base {rev}: not a git revision");
    }
    let git = |args: &[&str]| -> Result<Vec<u8>> {
        let out = Command::new("git")
            .arg("-C")
            .arg(migrations)
            .args(args)
            .output()
            .context("cannot run git (needed for --base)")?;
        if !out.status.success() {
            bail!(
                "git {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(out.stdout)
    };
    let commit = git(&[
        "rev-parse",
        "--verify",
        "--quiet",
        &format!("{rev}^{{commit}}"),
    ])
    .with_context(|| {
        format!(
            "--base {rev}: not a revision of the git repository holding {}",
            migrations.display()
        )
    })?;
    let commit = String::from_utf8_lossy(&commit).trim().to_string();
    let prefix = git(&["rev-parse", "--show-prefix"])?;
    let prefix = String::from_utf8_lossy(&prefix).trim().to_string();
    let tree = format!("{commit}:{}", prefix.trim_end_matches('/'));

    let path = std::env::temp_dir().join(format!(
        "schemagate-base-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    std::fs::create_dir_all(&path).with_context(|| format!("cannot create {}", path.display()))?;
    let dir = ExtractedDir {
        cleanup: cleanup::register_dir(&path),
        path,
    };
    if git(&["cat-file", "-e", &tree]).is_err() {
        return Ok(dir);
    }
    // --full-tree: otherwise ls-tree filters by the current directory's
    // path, which the tree of that directory does not contain.
    let listing = git(&["ls-tree", "-z", "--full-tree", &tree])?;
    for entry in listing.split(|b| *b == 0).filter(|e| !e.is_empty()) {
        // `<mode> SP <type> SP <object> TAB <name>`
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, name)) = entry.split_once('\t') else {
            continue;
        };
        let meta: Vec<&str> = meta.split(' ').collect();
        // Regular files only: the runner ignores subdirectories, and a
        // symbolic link's target may not exist in a temporary directory.
        if meta.len() != 3 || meta[1] != "blob" || meta[0] == "120000" {
            continue;
        }
        let content = git(&["cat-file", "blob", meta[2]])?;
        let file = dir.path.join(name);
        std::fs::write(&file, content)
            .with_context(|| format!("cannot write {}", file.display()))?;
    }
    Ok(dir)
}
