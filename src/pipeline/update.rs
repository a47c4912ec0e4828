//! `--update`: the expected file rewritten in place to declare the actual
//! schema, only the entries that differ (`expected::update`), then read back
//! and compared again so the caller knows whether it now matches.

use std::path::Path;

use super::PipelineError;
use crate::expected;
use crate::model::Schema;
use crate::report::Outcome;

/// What `--update` did.
pub struct Rewritten {
    /// Mismatches the rewrite resolved (those found before it).
    pub resolved: usize,
    /// The comparison of the rewritten file with the same actual schema.
    pub outcome: Outcome,
}

/// Rewrites `path` (which loaded as `expected`) to declare `actual` where
/// they differ. The file is replaced atomically (a sibling temporary file
/// renamed over it), so an interrupted run leaves the old file whole.
pub fn update_expected(
    path: &Path,
    expected: &Schema,
    actual: &Schema,
    source: &str,
) -> Result<Rewritten, PipelineError> {
    let read_error = |source| {
        PipelineError::Expected(expected::SpecError::Read {
            path: path.to_path_buf(),
            source,
        })
    };
    let text = std::fs::read_to_string(path).map_err(read_error)?;
    let updated = expected::update(&text, expected, actual);
    if updated.text != text {
        let write_error = |source| PipelineError::Write {
            path: path.to_path_buf(),
            source,
        };
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".schemagate-update");
        let tmp = std::path::PathBuf::from(tmp);
        std::fs::write(&tmp, &updated.text).map_err(write_error)?;
        if let Ok(meta) = std::fs::metadata(path) {
            let _ = std::fs::set_permissions(&tmp, meta.permissions());
        }
        std::fs::rename(&tmp, path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            write_error(e)
        })?;
    }
    let reread = expected::parse(&updated.text, path)?;
    Ok(Rewritten {
        resolved: updated.resolved.len(),
        outcome: Outcome::compare(
            &reread,
            actual,
            &path.display().to_string(),
            source.to_string(),
        ),
    })
}
