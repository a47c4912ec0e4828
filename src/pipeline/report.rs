//! `report`: the schema that migrations build (or a live database holds),
//! with the expected file's groups and comments, and with a git base
//! revision what the change does. Rendering is the caller's.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::build::build;
use super::read::schemas_to_read;
use super::{Event, OnEvent, PipelineError, Source};
use crate::diff::{diff, Mismatch};
use crate::introspect::{self, Limits};
use crate::model::Schema;
use crate::report::document::{Changes, Document};
use crate::throwaway::cleanup::Cleanup;
use crate::{db, expected};

/// Read when no expected file is named, if it exists.
const DEFAULT_EXPECTED: &str = "expected_schema.yaml";

/// Where the reported schema comes from.
#[derive(Clone, Debug)]
pub enum ReportSource {
    /// This live database, read-only.
    Live { url: String },
    /// Migrations applied to a throwaway server; with `base`, also the
    /// migrations as they are at that git revision.
    Migrations {
        source: Source,
        base: Option<String>,
    },
}

#[derive(Clone, Debug)]
pub struct ReportOptions {
    pub source: ReportSource,
    /// For table groups and comments (default: expected_schema.yaml if it
    /// exists); nothing is compared.
    pub expected: Option<PathBuf>,
    /// Schemas to read; empty: those the expected file declares, else `public`.
    pub schemas: Vec<String>,
}

/// What a report shows; [`ReportData::document`] renders it.
pub struct ReportData {
    pub actual: Schema,
    pub expected: Option<Schema>,
    /// What was read, with any password redacted.
    pub source: String,
    /// With a base revision: the revision and what changed since it.
    pub changes: Option<(String, Vec<Mismatch>)>,
}

impl ReportData {
    /// The document to render with `report::document::render`.
    pub fn document(&self) -> Document<'_> {
        Document {
            actual: &self.actual,
            expected: self.expected.as_ref(),
            source: &self.source,
            changes: self.changes.as_ref().map(|(rev, mismatches)| Changes {
                base: rev,
                mismatches,
            }),
        }
    }
}

/// Reads what the report describes.
pub fn report(options: &ReportOptions, on_event: OnEvent) -> Result<ReportData, PipelineError> {
    let expected = match &options.expected {
        Some(path) => Some(expected::load(path)?),
        None if Path::new(DEFAULT_EXPECTED).is_file() => {
            Some(expected::load(Path::new(DEFAULT_EXPECTED))?)
        }
        None => None,
    };
    let schemas = schemas_to_read(&options.schemas, expected.as_ref());

    let (actual, source, base) = match &options.source {
        ReportSource::Live { url } => {
            let mut client = db::connect(url, Duration::from_secs(2))?;
            let actual = introspect::schema(&mut client, &schemas, Limits::default())?;
            (actual, db::redact(url), None)
        }
        ReportSource::Migrations { source, base } => {
            let describe = |target: &str| {
                format!(
                    "the migrations in {} applied to {target}",
                    source.migrations.display()
                )
            };
            match base {
                None => {
                    let (actual, target) =
                        read_built(source, &schemas, expected.as_ref(), on_event)?;
                    (actual, describe(&target), None)
                }
                Some(rev) => {
                    let base_dir = extract_migrations(rev, &source.migrations)?;
                    on_event(Event::BaseExtracted {
                        rev,
                        dir: &base_dir.path,
                    });
                    let base_source = Source {
                        migrations: base_dir.path.clone(),
                        ..source.clone()
                    };
                    // Two throwaway servers, started side by side.
                    let (head, base) = std::thread::scope(|s| {
                        let base = s.spawn(|| {
                            read_built(&base_source, &schemas, expected.as_ref(), on_event)
                        });
                        let head = read_built(source, &schemas, expected.as_ref(), on_event);
                        let base = base
                            .join()
                            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                        (head, base)
                    });
                    let (head, target) = head?;
                    let (base, _) = base.map_err(|e| PipelineError::Base {
                        rev: rev.clone(),
                        source: Box::new(e),
                    })?;
                    (head, describe(&target), Some((rev.clone(), base)))
                }
            }
        }
    };

    let changes = base.map(|(rev, mut base)| {
        // Objects the expected file ignores are not part of the story.
        base.ignore = expected
            .as_ref()
            .map(|e| e.ignore.clone())
            .unwrap_or_default();
        let mismatches = diff(&base, &actual);
        (rev, mismatches)
    });
    Ok(ReportData {
        actual,
        expected,
        source,
        changes,
    })
}

/// Applies the migrations of `source` to a throwaway server and reads it
/// back; also says what the server was.
fn read_built(
    source: &Source,
    schemas: &[String],
    declared: Option<&Schema>,
    on_event: OnEvent,
) -> Result<(Schema, String), PipelineError> {
    let built = build(source, on_event)?;
    Ok((
        built.introspect(schemas, declared, on_event)?,
        built.throwaway.description.clone(),
    ))
}

/// A temporary copy of a revision's migrations directory, removed on drop
/// (and on a signal).
pub(super) struct ExtractedDir {
    pub(super) path: PathBuf,
    _cleanup: Cleanup,
}

/// Writes the files of `migrations` as they are at git revision `rev` into
/// a fresh temporary directory. A revision without the directory gives an
/// empty one: everything in the working tree is then new.
pub(super) fn extract_migrations(
    rev: &str,
    migrations: &Path,
) -> Result<ExtractedDir, PipelineError> {
    if rev.starts_with('-') {
        return Err(PipelineError::NotARevision(rev.to_string()));
    }
    let git = |args: &[&str]| -> Result<Vec<u8>, PipelineError> {
        let out = Command::new("git")
            .arg("-C")
            .arg(migrations)
            .args(args)
            .output()
            .map_err(PipelineError::GitMissing)?;
        if !out.status.success() {
            return Err(PipelineError::Git {
                args: args.join(" "),
                stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
            });
        }
        Ok(out.stdout)
    };
    let commit = git(&[
        "rev-parse",
        "--verify",
        "--quiet",
        &format!("{rev}^{{commit}}"),
    ])
    .map_err(|e| PipelineError::UnknownRevision {
        rev: rev.to_string(),
        migrations: migrations.to_path_buf(),
        source: Box::new(e),
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
    std::fs::create_dir_all(&path).map_err(|source| PipelineError::CreateDir {
        path: path.clone(),
        source,
    })?;
    let dir = ExtractedDir {
        _cleanup: Cleanup::dir(&path),
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
        std::fs::write(&file, content).map_err(|source| PipelineError::Write {
            path: file.clone(),
            source,
        })?;
    }
    Ok(dir)
}
