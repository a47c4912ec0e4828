//! Reading `expected_schema.yaml`: the file checks (size, UTF-8), the YAML
//! parse, and errors that name the file, line and column and show the line.

use std::path::{Path, PathBuf};

use super::build::build;
use super::document::FileDoc;
use super::fast;
use super::validate::Located;
use crate::model::Schema;

/// Why `expected_schema.yaml` could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("cannot read {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}\n{snippet}")]
    Invalid {
        path: PathBuf,
        line: u32,
        column: u32,
        message: String,
        snippet: String,
    },
}

impl SpecError {
    pub fn line(&self) -> Option<u32> {
        match self {
            SpecError::Invalid { line, .. } => Some(*line),
            SpecError::Read { .. } => None,
        }
    }
}

/// Larger files are refused rather than parsed: a bound on runaway input,
/// set by what `snapshot` writes. A table with the usual columns, keys and
/// indexes takes 700 to 1,100 bytes (50,000 tables in 1,000 schemas: 36 to
/// 54 MB), so this admits some 250,000 tables; 16 MiB refused 25,000.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Reads and parses `path`.
pub fn load(path: &Path) -> Result<Schema, SpecError> {
    let text = read(path)?;
    parse(&text, path)
}

/// Reads `path` once, as a stream, stopping past [`MAX_FILE_BYTES`]: a
/// pipe (`<(cat file)`), a FIFO or `/dev/zero` is read once and bounded,
/// and a huge file is refused without being read whole.
pub fn read(path: &Path) -> Result<String, SpecError> {
    use std::io::Read;
    let read_error = |source| SpecError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let meta = file.metadata().map_err(read_error)?;
    if meta.is_dir() {
        return Err(read_error(std::io::Error::other(
            "it is a directory, not a file",
        )));
    }
    // A regular file's size is known: one buffer of that size, not the
    // doubling growth that leaves up to twice the file in memory (a pipe
    // says 0 and grows as before).
    let size = if meta.is_file() { meta.len() } else { 0 };
    let mut bytes = Vec::with_capacity(size.min(MAX_FILE_BYTES) as usize + 1);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(SpecError::Invalid {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            message: format!(
                "the file is larger than {MAX_FILE_BYTES} bytes, the limit for expected schema files"
            ),
            snippet: String::new(),
        });
    }
    match String::from_utf8(bytes) {
        Ok(t) => Ok(t),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
            let line = valid.matches('\n').count() as u32 + 1;
            let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
            Err(SpecError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message: format!("the file is not valid UTF-8 (byte {offset})"),
                snippet: snippet_of(&valid, line, column),
            })
        }
    }
}

/// Parses YAML `text`; `path` names the file in errors.
pub fn parse(text: &str, path: &Path) -> Result<Schema, SpecError> {
    parse_with(text, path, true)
}

/// [`parse`] by serde-saphyr alone, for tests that compare the two readers.
#[cfg(test)]
pub(crate) fn parse_slow(text: &str, path: &Path) -> Result<Schema, SpecError> {
    parse_with(text, path, false)
}

fn parse_with(text: &str, path: &Path, try_fast: bool) -> Result<Schema, SpecError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let invalid = |line: u32, column: u32, message: String| SpecError::Invalid {
        path: path.to_path_buf(),
        line,
        column,
        snippet: snippet_of(text, line, column),
        message,
    };
    if text.trim().is_empty() {
        return Err(invalid(
            1,
            1,
            "the file is empty; expected `version: 1` and `schemas:`".into(),
        ));
    }
    let doc = match try_fast.then(|| fast::file_doc(text)).flatten() {
        Some(doc) => doc,
        None => {
            slow_file_doc(text).map_err(|(line, column, message)| invalid(line, column, message))?
        }
    };
    build(doc).map_err(
        |Located {
             line,
             column,
             message,
         }| invalid(line, column, message),
    )
}

/// `text` read by serde-saphyr: the reference, and the path for anything
/// the fast reader leaves to it. Errors are (line, column, message).
fn slow_file_doc(text: &str) -> Result<FileDoc, (u32, u32, String)> {
    serde_saphyr::from_str_with_options(text, yaml_options(text)).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line() as u32, l.column() as u32))
            .unwrap_or((1, 1));
        (line, column, clean_message(&e.to_string()))
    })
}

/// serde-saphyr's defaults, with the node and event budgets grown with the
/// file: the default 250,000 nodes stop at about 4,000 tables, and a file
/// spends at least one byte per node and two per pair of events, so a budget
/// proportional to its length still bounds the work (alias limits stay).
fn yaml_options(text: &str) -> serde_saphyr::Options {
    let defaults = serde_saphyr::Budget::default();
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_nodes: defaults.max_nodes.max(text.len()),
            max_events: defaults.max_events.max(2 * text.len()),
        },
    }
}

/// serde-saphyr's message may carry its own location and snippet; keep the first line.
fn clean_message(text: &str) -> String {
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(text)
        .trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    // We print the location ourselves, in file:line:column form.
    if let Some(rest) = first.strip_prefix("line ") {
        if let Some((_, message)) = rest.split_once(": ") {
            return message.to_string();
        }
    }
    first.to_string()
}

fn snippet_of(text: &str, line: u32, column: u32) -> String {
    let Some(src) = text.lines().nth(line.saturating_sub(1) as usize) else {
        return String::new();
    };
    let src: String = src.chars().take(200).collect();
    let gutter = format!("{line:>5} | ");
    let caret_pad = " ".repeat(gutter.len() + column.saturating_sub(1) as usize);
    format!("{gutter}{src}\n{caret_pad}^")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Schema, SpecError> {
        parse(text, Path::new("expected_schema.yaml"))
    }

    #[test]
    fn large_files_are_within_the_yaml_budget() {
        // More nodes than serde-saphyr's default budget of 250,000.
        let mut text = String::from("version: 1\nschemas:\n  public:\n    tables:\n");
        for t in 0..5_200 {
            text.push_str(&format!("      t{t}:\n        columns:\n"));
            for c in 0..12 {
                text.push_str(&format!("          c{c}: {{type: integer}}\n"));
            }
        }
        let schema = parse_str(&text).expect("a large file loads");
        assert_eq!(schema.schemas["public"].tables.len(), 5_200);
    }

    #[test]
    fn unknown_key_names_line_and_column() {
        let err = parse_str(
            "version: 1\nschemas:\n  public:\n    tables:\n      users:\n        colums: {}\n",
        )
        .unwrap_err();
        let text = err.to_string();
        assert_eq!(err.line(), Some(6), "{text}");
        assert!(text.starts_with("expected_schema.yaml:6:"), "{text}");
        assert!(text.contains("colums"), "{text}");
    }
}
