//! `check`: throwaway server -> migrations -> catalog -> comparison with
//! the expected file.

use std::path::PathBuf;

use super::build::build;
use super::read::{parse_expected, schemas_to_read};
use super::safety::{build_judged, SafetyOptions};
use super::{Compared, Event, OnEvent, PipelineError, Source};
use crate::report::Outcome;

#[derive(Clone, Debug)]
pub struct CheckOptions {
    pub source: Source,
    /// The expected file.
    pub expected: PathBuf,
    /// Schemas to compare; empty: those the expected file declares.
    pub schemas: Vec<String>,
    /// Which migrations to judge for safety; judged only when enabled.
    pub safety: SafetyOptions,
    /// Kinds of uncompared object to accept, beside the file's `ignore_kinds`.
    pub ignore_kinds: Vec<String>,
}

/// Applies the migrations to a throwaway server and compares what they
/// built with the expected file. The throwaway is gone when this returns.
pub fn check(options: &CheckOptions, on_event: OnEvent) -> Result<Outcome, PipelineError> {
    check_compared(options, on_event).map(|c| c.outcome)
}

/// [`check`], returning both schemas too (for `--update`).
pub fn check_compared(
    options: &CheckOptions,
    on_event: OnEvent,
) -> Result<Compared, PipelineError> {
    // Read once: the lines quoted in mismatches come from the same text
    // (a FIFO or `<(...)` cannot be read a second time).
    let text = crate::expected::read(&options.expected)?;
    let mut expected = parse_expected(&text, &options.expected, on_event)?;
    expected
        .ignore_kinds
        .extend(options.ignore_kinds.iter().cloned());
    let (built, safety) = if options.safety.enabled() {
        let (built, safety) = build_judged(&options.source, &options.safety, &expected, on_event)?;
        (built, Some(safety))
    } else {
        (build(&options.source, on_event)?, None)
    };
    let version = built.server_version();
    on_event(Event::Built {
        description: &built.throwaway.description,
        server_version: version.as_deref(),
        migrations: built.applied,
    });
    let schemas = schemas_to_read(&options.schemas, Some(&expected));
    let actual = built.introspect(&schemas, Some(&expected), on_event)?;
    super::read::warn_absent_roles(&expected, &actual, on_event);
    let mut outcome = Outcome::compare_normalized(
        &expected,
        &actual,
        &options.expected.display().to_string(),
        format!("migrations on {}", built.throwaway.description),
    );
    outcome.safety = safety;
    Ok(Compared {
        expected,
        actual,
        outcome: with_expected_lines(outcome, &text),
    })
}

/// `outcome` with the lines of the expected file (`text`, as it was read
/// and parsed) that its mismatches point at, for layouts that quote them.
pub(super) fn with_expected_lines(outcome: Outcome, text: &str) -> Outcome {
    if outcome.is_match() {
        return outcome;
    }
    outcome.with_expected_text(text)
}
