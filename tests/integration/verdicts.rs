//! Exact verdicts (issue 12): session settings, equivalent spellings, casts
//! that carry meaning, and locks held by someone else.

use std::sync::OnceLock;

use crate::core::rich_template;
use crate::support::*;

/// Objects whose deparsed text depends on TimeZone, DateStyle,
/// IntervalStyle and extra_float_digits: the issue's range partition on a
/// timestamptz, and constants of each exposed type.
const SETTINGS_EXTRA: &str = r#"
CREATE TABLE ticks (
  at timestamptz NOT NULL,
  span interval NOT NULL DEFAULT '1 day 02:00:00',
  ratio double precision DEFAULT 0.30000000000000004,
  day date DEFAULT '2024-03-04',
  CHECK (at > '2020-01-01 00:00:00+00')
) PARTITION BY RANGE (at);
CREATE TABLE ticks_2025 PARTITION OF ticks
  FOR VALUES FROM ('2025-01-01 00:00:00+00') TO ('2026-01-01 00:00:00+00');
CREATE INDEX ticks_recent ON ticks (at) WHERE at > '2024-06-01 12:00:00+00';
"#;

/// The rich fixture plus [`SETTINGS_EXTRA`], as a template.
fn settings_template() -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        let db = TestDb::from_template("settings_template", rich_template());
        db.execute(SETTINGS_EXTRA);
        let name = db.name.clone();
        std::mem::forget(db); // lives for the whole run, as a template
        name
    })
}

fn snapshot_of(db: &TestDb) -> String {
    let run = schemagate(&[
        "snapshot",
        "--database-url",
        &db.url,
        "--schema",
        "public",
        "--schema",
        "App Data",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    run.stdout
}

/// The settings a database (or role) may carry change how the server
/// deparses timestamps, dates, intervals, floats and names. A file written
/// under one set must match the same schema read under any other, and
/// `snapshot` must write the same file whatever the database's settings.
#[test]
fn database_settings_change_no_verdict_and_no_snapshot() {
    let base = TestDb::from_template("settings_base", settings_template());
    let expected = snapshot_of(&base);
    assert!(
        expected.contains("2025-01-01 00:00:00+00"),
        "the partition bound is written in UTC:\n{expected}"
    );
    drop(base);
    let tmp = TempDir::new("settings");
    let file = tmp.write("expected_schema.yaml", &expected);
    let variants = [
        ("ny", "timezone = 'America/New_York'"),
        ("kolkata", "timezone = 'Asia/Kolkata'"),
        ("sql_dmy", "datestyle = 'SQL, DMY'"),
        ("german", "datestyle = 'German'"),
        ("sql_standard", "intervalstyle = 'sql_standard'"),
        ("iso8601", "intervalstyle = 'iso_8601'"),
        ("float0", "extra_float_digits = 0"),
        (
            "search_path",
            "search_path = '\"App Data\", pg_catalog, public'",
        ),
    ];
    let mut failures = Vec::new();
    for (tag, setting) in variants {
        let db = TestDb::from_template(&format!("settings_{tag}"), settings_template());
        db.execute(&format!("ALTER DATABASE \"{}\" SET {setting}", db.name));
        let run = diff_against(&db.url, &file, &["--format", "json"]);
        if run.code != 0 {
            failures.push(format!(
                "{setting}: diff exit {}\n{}{}",
                run.code, run.stdout, run.stderr
            ));
        }
        let again = snapshot_of(&db);
        if again != expected {
            failures.push(format!("{setting}: snapshot differs:\n{again}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
