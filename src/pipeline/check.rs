//! `check`: throwaway server -> migrations -> catalog -> comparison with
//! the expected file.

use std::path::PathBuf;

use super::build::build;
use super::read::{load_expected, schemas_to_read};
use super::{OnEvent, PipelineError, Source};
use crate::report::Outcome;

#[derive(Clone, Debug)]
pub struct CheckOptions {
    pub source: Source,
    /// The expected file.
    pub expected: PathBuf,
    /// Schemas to compare; empty: those the expected file declares.
    pub schemas: Vec<String>,
    /// Kinds of uncompared object to accept, beside the file's `ignore_kinds`.
    pub ignore_kinds: Vec<String>,
}

/// Applies the migrations to a throwaway server and compares what they
/// built with the expected file. The throwaway is gone when this returns.
pub fn check(options: &CheckOptions, on_event: OnEvent) -> Result<Outcome, PipelineError> {
    let mut expected = load_expected(&options.expected, on_event)?;
    expected
        .ignore_kinds
        .extend(options.ignore_kinds.iter().cloned());
    let built = build(&options.source, on_event)?;
    let schemas = schemas_to_read(&options.schemas, Some(&expected));
    let actual = built.introspect(&schemas, on_event)?;
    Ok(Outcome::compare(
        &expected,
        &actual,
        &options.expected.display().to_string(),
        format!("migrations on {}", built.throwaway.description),
    ))
}
