//! The fast diff layer: `tests/diff_cases/<case>/{expected.yaml, actual.yaml}`
//! diffed without a database, each case's table report compared with the
//! `report.snap` next to it.
//!
//! Both sides are read by `expected::parse`, so a case states the actual
//! schema as `schemagate snapshot` would write it. The snapshots are the
//! assertions: each names the exact mismatch (object, type, change,
//! attribute) its case is about. Every case runs before the test fails, so
//! `cargo insta review` sees all changed snapshots at once.

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use schemagate_core::expected;
use schemagate_core::report::{self, Format, Outcome};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/diff_cases")
        .canonicalize()
        .expect("tests/diff_cases exists")
}

/// The table report of `expected.yaml` against `actual.yaml` in `dir`.
fn table_report(dir: &Path) -> String {
    let load = |file: &str| {
        let path = dir.join(file);
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        // A relative name keeps machine paths out of any error text.
        expected::parse(&text, Path::new(file))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let outcome = Outcome::compare(
        &load("expected.yaml"),
        &load("actual.yaml"),
        "expected.yaml",
        "actual.yaml".to_string(),
    );
    let mut out = Vec::new();
    report::render(Format::Table, &outcome, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn diff_cases() {
    let mut cases: Vec<PathBuf> = fs::read_dir(cases_dir())
        .expect("tests/diff_cases exists")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();
    // The 17 single mutations plus the unnamed, ignore and partition cases.
    assert!(cases.len() >= 20, "only {} diff cases found", cases.len());

    let mut failed = Vec::new();
    for dir in &cases {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let run = panic::catch_unwind(AssertUnwindSafe(|| {
            let report = table_report(dir);
            insta::with_settings!({
                snapshot_path => dir.clone(),
                prepend_module_to_snapshot => false,
                description => format!("tests/diff_cases/{name}"),
                omit_expression => true,
            }, {
                insta::assert_snapshot!("report", report);
            });
        }));
        if run.is_err() {
            failed.push(name);
        }
    }
    assert!(
        failed.is_empty(),
        "diff cases failed: {}",
        failed.join(", ")
    );
}
