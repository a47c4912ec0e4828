//! `diff`: a live database's catalog compared with the expected file.

use std::path::Path;
use std::time::Instant;

use super::read::{parse_expected, schemas_to_read, LiveDatabase};
use super::{Event, PipelineError};
use crate::model::Schema;
use crate::report::Outcome;
use crate::{db, expected};

/// What `diff` compared, and what it found. The schemas are returned so
/// that a caller about to exit can skip freeing them (`std::mem::forget`):
/// freeing two large schemas string by string takes longer than comparing.
pub struct Compared {
    pub expected: Schema,
    pub actual: Schema,
    pub outcome: Outcome,
}

/// Reads `database` (read-only) and compares it with the expected file;
/// objects of `ignore_kinds` (beside the file's own) may be there unchecked.
///
/// Parsing a large expected file takes as long as reading the catalog:
/// when the schemas to read are known up front (asked for, or guessed from
/// the file's text), the catalog is read on another thread meanwhile. That
/// thread may outlive an early error return, hence `'static` callbacks.
pub fn diff<F>(
    database: &LiveDatabase,
    expected_file: &Path,
    ignore_kinds: &[String],
    on_event: F,
) -> Result<Compared, PipelineError>
where
    F: Fn(Event<'_>) + Sync + Send + Clone + 'static,
{
    // Read once: the file may be a pipe (`<(cat file)`) or a FIFO.
    let text = expected::read(expected_file)?;
    // Owners and grants are read only when the file declares some.
    let mut database = database.clone();
    database.limits.privileges = expected::declares_privileges_hint(&text);
    let database = &database;
    let guess = if database.schemas.is_empty() {
        expected::declared_schemas_hint(&text).map(|names| {
            if names.is_empty() {
                vec!["public".to_string()]
            } else {
                names
            }
        })
    } else {
        Some(database.schemas.clone())
    };
    let reader = guess.map(|guessed| {
        let db = database.clone();
        let schemas = guessed.clone();
        let on_event = on_event.clone();
        let handle = std::thread::spawn(move || db.read(&schemas, &on_event));
        (guessed, handle)
    });
    let mut expected = parse_expected(&text, expected_file, &on_event)?;
    expected.ignore_kinds.extend(ignore_kinds.iter().cloned());
    let schemas = schemas_to_read(&database.schemas, Some(&expected));
    let privileges = expected.privileges.declared();
    let mut reread = database.clone();
    reread.limits.privileges = privileges;
    // Owners and grants read for nothing do no harm; missing ones would.
    let hint_right = !privileges || database.limits.privileges;
    let database = &reread;
    let url = database.conninfo()?;
    let actual = match reader {
        Some((guessed, handle)) => {
            let read = handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            if guessed == schemas && hint_right {
                read?
            } else {
                on_event(Event::ReadingAgain);
                database.read(&schemas, &on_event)?
            }
        }
        None => database.read(&schemas, &on_event)?,
    };
    super::read::warn_absent_roles(&expected, &actual, &on_event);
    let started = Instant::now();
    let outcome = super::check::with_expected_lines(
        Outcome::compare_normalized(
            &expected,
            &actual,
            &expected_file.display().to_string(),
            db::describe(&url),
        ),
        &text,
    );
    on_event(Event::Compared {
        mismatches: outcome.mismatches.len(),
        took: started.elapsed(),
    });
    Ok(Compared {
        expected,
        actual,
        outcome,
    })
}
