//! Exact verdicts (issue 12): session settings, equivalent spellings, casts
//! that carry meaning, and locks held by someone else.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

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

/// The README's table of equivalent spellings: (type, A, B, a real change).
/// The server stores A and the file says B, then the other way round: no
/// mismatch; a column whose default really differs beside it: exactly one.
const EQUIVALENT_DEFAULTS: &[(&str, &str, &str, &str)] = &[
    (
        "timestamptz",
        "CURRENT_TIMESTAMP",
        "now()",
        "now() - interval '1 hour'",
    ),
    (
        "timestamptz",
        "transaction_timestamp()",
        "now()",
        "statement_timestamp()",
    ),
    ("text[]", "'{}'::text[]", "ARRAY[]::text[]", "'{a}'::text[]"),
    (
        "date",
        "CURRENT_DATE",
        "('now'::text)::date",
        "CURRENT_DATE + 1",
    ),
    (
        "timestamp",
        "LOCALTIMESTAMP",
        "('now'::text)::timestamp without time zone",
        "'2020-01-01 00:00:00'",
    ),
    ("text", "CURRENT_USER", "current_user", "SESSION_USER"),
    ("boolean", "true", "'t'::boolean", "false"),
    ("numeric", "1.0", "1.0::numeric", "1.5"),
    ("varchar(10)", "'x'", "'x'::character varying", "'y'"),
    ("text", "CURRENT_ROLE", "current_user", "SESSION_USER"),
    ("text", "USER", "current_user", "SESSION_USER"),
    ("boolean", "false", "'f'::boolean", "true"),
    ("numeric", "1.0", "'1.0'::numeric", "1.5"),
    ("text", "'x'", "'x'::text", "'y'"),
    // Any spelling `boolin` reads, on a boolean column.
    ("boolean", "'yes'", "true", "false"),
    ("boolean", "'on'", "true", "false"),
    ("boolean", "'1'", "true", "false"),
    ("boolean", "'true'", "true", "false"),
    ("boolean", "'y'", "true", "false"),
    ("boolean", "'no'", "false", "true"),
    ("boolean", "'off'", "false", "true"),
    ("boolean", "'0'", "false", "true"),
    // Not on a text column: `'yes'` is not `'true'` there.
    ("text", "'yes'", "'yes'::text", "'true'"),
];

/// `(one spelling, the same, a real change)` of the README's table that
/// need columns, as CHECKs on a table with `email varchar(50)`,
/// `x varchar(20)`, `s text` and `t timestamptz`.
const EQUIVALENT_CHECKS: &[(&str, &str, &str)] = &[
    (
        "lower(email) <> ''",
        "lower((email)::text) <> ''",
        "upper(email) <> ''",
    ),
    (
        "pg_catalog.lower(s) <> ''",
        "lower(s) <> ''",
        "upper(s) <> ''",
    ),
    (
        "EXTRACT(year FROM t) > 2000",
        "date_part('year', t) > 2000",
        "EXTRACT(year FROM t) > 2001",
    ),
    (
        "SUBSTRING(s FROM 2) <> ''",
        "\"substring\"(s, 2) <> ''",
        "SUBSTRING(s FROM 3) <> ''",
    ),
    (
        "(t AT TIME ZONE 'UTC') IS NOT NULL",
        "timezone('UTC', t) IS NOT NULL",
        "(t AT TIME ZONE 'CET') IS NOT NULL",
    ),
    // The server's `::text` on an explicit cast to varchar.
    (
        "x::varchar(10) <> ''",
        "((x)::character varying(10))::text <> ''::text",
        "x::varchar(11) <> ''",
    ),
    (
        "t::varchar <> ''",
        "((t)::character varying)::text <> ''::text",
        "t::text <> ''",
    ),
];

/// Builds one table per case (`same` stores `stored`, `other` stores the
/// real change) and the file saying `declared` for both.
fn equivalence_case(db: &TestDb, forward: bool) -> String {
    let mut ddl = String::new();
    let mut yaml = String::from("version: 1\nschemas:\n  public:\n    tables:\n");
    for (i, (ty, a, b, change)) in EQUIVALENT_DEFAULTS.iter().enumerate() {
        let (stored, declared) = if forward { (a, b) } else { (b, a) };
        ddl.push_str(&format!(
            "CREATE TABLE e{i} (same {ty} DEFAULT {stored}, other {ty} DEFAULT {change});\n"
        ));
        let declared = declared.replace('"', "\\\"");
        yaml.push_str(&format!(
            "      e{i}:\n        columns:\n          same: {{type: \"{ty}\", default: \"{declared}\"}}\n          other: {{type: \"{ty}\", default: \"{declared}\"}}\n"
        ));
    }
    // `<>` and `!=`, in a CHECK.
    let (stored, declared) = if forward { ("<>", "!=") } else { ("!=", "<>") };
    ddl.push_str(&format!(
        "CREATE TABLE ops (x integer, CONSTRAINT ops_same CHECK (x {stored} 0), CONSTRAINT ops_other CHECK (x {stored} 1));\n"
    ));
    yaml.push_str(&format!(
        "      ops:\n        columns:\n          x: {{type: integer}}\n        checks:\n          - {{name: ops_same, expression: \"x {declared} 0\"}}\n          - {{name: ops_other, expression: \"x {declared} 2\"}}\n"
    ));
    for (i, (a, b, change)) in EQUIVALENT_CHECKS.iter().enumerate() {
        let (stored, declared) = if forward { (a, b) } else { (b, a) };
        ddl.push_str(&format!(
            "CREATE TABLE x{i} (email varchar(50), x varchar(20), s text, t timestamptz, \
             CONSTRAINT x{i}_same CHECK ({stored}), CONSTRAINT x{i}_other CHECK ({change}));\n"
        ));
        let declared = declared.replace('"', "\\\"");
        yaml.push_str(&format!(
            "      x{i}:\n        columns:\n          email: {{type: \"varchar(50)\"}}\n          x: {{type: \"varchar(20)\"}}\n          s: {{type: text}}\n          t: {{type: timestamptz}}\n        checks:\n          - {{name: x{i}_same, expression: \"{declared}\"}}\n          - {{name: x{i}_other, expression: \"{declared}\"}}\n"
        ));
    }
    db.execute(&ddl);
    yaml
}

/// The mismatches of a JSON run as sorted `object attribute` strings.
fn mismatch_keys(run: &Run) -> Vec<String> {
    let json = run.json();
    let mut keys: Vec<String> = json["mismatches"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|m| {
            format!(
                "{} {} {}",
                m["change"].as_str().unwrap_or(""),
                m["object"].as_str().unwrap_or(""),
                m["attribute"].as_str().unwrap_or("")
            )
        })
        .collect();
    keys.sort();
    keys
}

/// Issue 12, item 2: equal defaults and expressions spelled another way are
/// no mismatch, both ways; a real change beside each is exactly one.
#[test]
fn equivalent_spellings_match_both_ways_and_real_changes_still_show() {
    for forward in [true, false] {
        let db = TestDb::new(&format!("equivalent_{forward}"));
        let yaml = equivalence_case(&db, forward);
        let tmp = TempDir::new("equivalent");
        let file = tmp.write("expected_schema.yaml", &yaml);
        let run = diff_against(&db.url, &file, &["--format", "json"]);
        let mut want: Vec<String> = (0..EQUIVALENT_DEFAULTS.len())
            .map(|i| format!("changed public.e{i}.other default"))
            .collect();
        // A CHECK is paired by expression: the changed one is one mismatch.
        want.push("changed public.ops.ops_other expression".to_string());
        want.extend(
            (0..EQUIVALENT_CHECKS.len())
                .map(|i| format!("changed public.x{i}.x{i}_other expression")),
        );
        want.sort();
        assert_eq!(
            mismatch_keys(&run),
            want,
            "forward: {forward}\n{yaml}\n{}",
            run.stdout
        );
    }
}

/// Issue 12, item 3: in every expression position, an explicit cast that
/// changes a column's type is meaning (the file without it: exactly one
/// mismatch there), while the casts the server adds are not (no mismatch).
#[test]
fn type_changing_casts_are_meaning_in_every_expression_position() {
    let db = TestDb::new("casts");
    db.execute(
        r#"CREATE SCHEMA aux;
           CREATE FUNCTION aux.tf() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
           CREATE TABLE k (
             id integer,
             v varchar(20) DEFAULT 'x',
             n integer DEFAULT (random() * 10)::integer,
             g text GENERATED ALWAYS AS (id::text) STORED,
             h text GENERATED ALWAYS AS (v || 'x') STORED,
             CONSTRAINT k_cast CHECK (id::text <> ''),
             CONSTRAINT k_plain CHECK (v IN ('a', 'b'))
           );
           CREATE INDEX k_key ON k ((id::text));
           CREATE INDEX k_lower ON k (lower(v));
           CREATE INDEX k_pred ON k (id) WHERE id::text = '1';
           CREATE INDEX k_pred_plain ON k (v) WHERE v = 'x';
           CREATE POLICY k_pol ON k USING (id::text = '1');
           CREATE POLICY k_pol_plain ON k USING (v = 'a');
           CREATE TRIGGER k_trg BEFORE UPDATE ON k FOR EACH ROW WHEN (NEW.id::text = '1') EXECUTE FUNCTION aux.tf();
           CREATE TRIGGER k_trg_plain BEFORE UPDATE ON k FOR EACH ROW WHEN (NEW.v = 'a') EXECUTE FUNCTION aux.tf();"#,
    );
    // The file as someone who dropped every explicit cast would write it.
    let yaml = r#"version: 1
schemas:
  public:
    tables:
      k:
        columns:
          id: {type: integer}
          v: {type: varchar(20), default: "'x'"}
          n: {type: integer, default: "random() * 10"}
          g: {type: text, generated: "id"}
          h: {type: text, generated: "v || 'x'"}
        checks:
          - {name: k_cast, expression: "id <> ''"}
          - {name: k_plain, expression: "v IN ('a', 'b')"}
        indexes:
          - {name: k_key, columns: [id]}
          - {name: k_lower, columns: [lower(v)]}
          - {name: k_pred, columns: [id], where: "id = '1'"}
          - {name: k_pred_plain, columns: [v], where: "v = 'x'"}
        triggers:
          - {name: k_trg, timing: before, events: [update], level: row, function: aux.tf(), when: "NEW.id = '1'"}
          - {name: k_trg_plain, timing: before, events: [update], level: row, function: aux.tf(), when: "NEW.v = 'a'"}
        policies:
          - {name: k_pol, using: "id = '1'"}
          - {name: k_pol_plain, using: "v = 'a'"}
"#;
    let tmp = TempDir::new("casts");
    let file = tmp.write("expected_schema.yaml", yaml);
    let run = diff_against(&db.url, &file, &["--format", "json"]);
    let want = [
        "changed public.k.g generated",
        "changed public.k.k_key columns",
        "changed public.k.k_pol using",
        "changed public.k.k_pred predicate",
        "changed public.k.k_trg when",
        "changed public.k.n default",
        "changed public.k.k_cast expression",
    ];
    let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(mismatch_keys(&run), want, "{}{}", run.stdout, run.stderr);

    // What snapshot writes means what the database means: diffed back, it
    // matches, and it keeps the cast of the index key.
    let snap = schemagate(&["snapshot", "--database-url", &db.url]);
    assert_eq!(snap.code, 0, "{snap:?}");
    assert!(snap.stdout.contains("(id::text)"), "{}", snap.stdout);
    let file = tmp.write("snapshot.yaml", &snap.stdout);
    let run = diff_against(&db.url, &file, &["--format", "json"]);
    assert_eq!(run.code, 0, "{}\n{}", snap.stdout, run.stdout);
}

/// Issue 12, item 5: the server's deparse functions lock what they read, so
/// with `users` (a CHECK, expression and partial indexes, views over it)
/// locked by a migration in flight, `diff` cannot read it. It must give up
/// once, within the lock timeout (not twice, not never), and say which
/// relation is locked, by which backend, running what.
#[test]
fn a_locked_table_fails_within_the_lock_timeout_naming_the_holder() {
    let db = TestDb::new("locked_users");
    crate::core::apply_bundled_migrations(&db);
    let mut holder = db.client();
    let holder_pid: i32 = holder
        .query_one("SELECT pg_backend_pid()", &[])
        .unwrap()
        .get(0);
    let mut tx = holder.transaction().unwrap();
    tx.batch_execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    let expected = repo_root().join("expected_schema.yaml");
    let mut outcomes = Vec::new();
    for timeout in ["2", "0"] {
        let started = Instant::now();
        let run = diff_against(
            &db.url,
            &expected,
            &["--lock-timeout", timeout, "--statement-timeout", "20"],
        );
        outcomes.push((timeout, run, started.elapsed()));
    }
    tx.rollback().unwrap();
    for (timeout, run, took) in outcomes {
        assert_eq!(run.code, 2, "--lock-timeout {timeout}: {run:?}");
        // Connecting and the other queries take a moment (seconds on a
        // loaded CI runner); a second wait of the timeout would not fit, and
        // `0` (no wait) stays far below the 20 s statement timeout.
        let limit = if timeout == "0" { 5.0 } else { 3.9 };
        assert!(
            took < Duration::from_secs_f64(limit),
            "--lock-timeout {timeout} took {took:?}: {}",
            run.stderr
        );
        for needle in [
            "public.users".to_string(),
            format!("pid {holder_pid}"),
            "LOCK TABLE users".to_string(),
        ] {
            assert!(
                run.stderr.contains(&needle),
                "--lock-timeout {timeout}: stderr lacks {needle:?}:\n{}",
                run.stderr
            );
        }
    }
}

/// Issue 12, item 3, the other direction: a plain index key on the server
/// and a cast in the file (`(id::text)`) is exactly one mismatch, in the
/// columns of that index, and the cast is the expected side.
#[test]
fn a_cast_in_the_file_on_a_plain_server_index_is_one_mismatch() {
    let db = TestDb::new("casts_reverse");
    db.execute("CREATE TABLE k (id integer); CREATE INDEX k_key ON k (id);");
    let yaml = "version: 1\nschemas:\n  public:\n    tables:\n      k:\n        columns:\n          id: {type: integer}\n        indexes:\n          - {name: k_key, columns: [\"(id::text)\"]}\n";
    let tmp = TempDir::new("casts_reverse");
    let file = tmp.write("expected_schema.yaml", yaml);
    let run = diff_against(&db.url, &file, &["--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        mismatch_keys(&run),
        vec!["changed public.k.k_key columns".to_string()],
        "{}",
        run.stdout
    );
    let m = &run.json()["mismatches"][0];
    assert_eq!(m["actual"], "id", "{m}");
    assert_eq!(m["expected"], "(id::text)", "{m}");
}

/// Issue 12, item 4: the actual side of a mismatch is shown the way
/// `snapshot` writes it, so that pasting it into the file ends the mismatch.
#[test]
fn the_actual_side_is_shown_as_snapshot_writes_it() {
    let db = TestDb::new("actual_spelling");
    db.execute(
        "CREATE TABLE jobs (
           id integer PRIMARY KEY,
           name varchar(300),
           status varchar(20) NOT NULL DEFAULT 'pending',
           CONSTRAINT jobs_status_check CHECK (status IN ('pending', 'done'))
         );
         CREATE INDEX jobs_key ON jobs ((id::text));",
    );
    let file_with = |name: &str, default: &str, check: &str, key: &str| {
        format!(
            "version: 1\nschemas:\n  public:\n    tables:\n      jobs:\n        columns:\n          id: {{type: integer, nullable: false}}\n          name: {{type: \"{name}\"}}\n          status: {{type: varchar(20), nullable: false, default: \"{default}\"}}\n        primary_key: [id]\n        checks:\n          - {{name: jobs_status_check, expression: \"{check}\"}}\n        indexes:\n          - {{name: jobs_key, columns: [\"{key}\"]}}\n"
        )
    };
    let tmp = TempDir::new("actual_spelling");
    let file = tmp.write(
        "expected_schema.yaml",
        &file_with("text", "'new'", "status IN ('new', 'done')", "id"),
    );
    let run = diff_against(&db.url, &file, &["--format", "json"]);
    let json = run.json();
    let actual = |attribute: &str| -> String {
        json["mismatches"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["attribute"] == attribute)
            .unwrap_or_else(|| panic!("no {attribute} mismatch: {}", run.stdout))["actual"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (ty, default, check, key) = (
        actual("type"),
        actual("default"),
        actual("expression"),
        actual("columns"),
    );
    assert_eq!(
        (ty.as_str(), default.as_str(), check.as_str(), key.as_str()),
        (
            "varchar(300)",
            "'pending'",
            "status IN ('pending', 'done')",
            "(id::text)"
        )
    );
    // The table for people shows the same spellings.
    let table = schemagate_in(
        tmp.path(),
        &[
            "diff",
            "--database-url",
            &db.url,
            "--expected",
            file.to_str().unwrap(),
            "--format",
            "table",
        ],
        &[("COLUMNS", "400")],
    );
    assert_eq!(table.code, 1, "{table:?}");
    for shown in [
        "varchar(300)",
        "'pending'",
        "status IN ('pending', 'done')",
        "(id::text)",
    ] {
        assert!(table.stdout.contains(shown), "{shown}:\n{}", table.stdout);
    }
    // Pasted into the file, they match.
    let pasted = file_with(&ty, &default, &check, &key);
    let file = tmp.write("pasted.yaml", &pasted);
    let run = diff_against(&db.url, &file, &["--format", "json"]);
    assert_eq!(run.code, 0, "{pasted}\n{}", run.stdout);
}

/// Where the column types are not the table's (a domain's CHECK on VALUE,
/// a view's query), the casts the server adds to `varchar` are still no
/// mismatch: a guard for keeping column casts as meaning (issue 12).
#[test]
fn server_casts_in_domain_checks_and_views_are_no_mismatch() {
    let db = TestDb::new("casts_domains_views");
    db.execute(
        "CREATE DOMAIN code AS varchar(10) CHECK (VALUE ~ '^[a-z]+$');
         CREATE TABLE c (id integer, status varchar(20));
         CREATE VIEW c_x AS SELECT id FROM c WHERE status = 'x';",
    );
    let yaml = r#"version: 1
schemas:
  public:
    domains:
      code: {type: varchar(10), checks: ["value ~ '^[a-z]+$'"]}
    tables:
      c:
        columns:
          id: {type: integer}
          status: {type: varchar(20)}
    views:
      c_x:
        definition: "SELECT id FROM c WHERE status = 'x'"
"#;
    let tmp = TempDir::new("casts_domains_views");
    let file = tmp.write("expected_schema.yaml", yaml);
    let run = diff_against(&db.url, &file, &["--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

/// `check` reads a throwaway server, whose settings may differ from where
/// the file was written (here set for the database by a migration):
/// the file written in UTC must still match there.
#[test]
fn check_on_a_throwaway_server_in_another_time_zone_matches() {
    let tmp = TempDir::new("check_tz");
    // A migration may set them for the database, as a server's
    // configuration may.
    tmp.write(
        "migrations/0001_settings.up.sql",
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET timezone = %L', current_database(), 'Asia/Kolkata'); \
         EXECUTE format('ALTER DATABASE %I SET datestyle = %L', current_database(), 'SQL, DMY'); END $$;\n",
    );
    tmp.write("migrations/0001_settings.down.sql", "SELECT 1;\n");
    tmp.write(
        "migrations/0002_ticks.up.sql",
        "CREATE TABLE ticks (at timestamptz NOT NULL, CHECK (at > '2020-01-01 00:00:00+00')) PARTITION BY RANGE (at);\n\
         CREATE TABLE ticks_2025 PARTITION OF ticks FOR VALUES FROM ('2025-01-01 00:00:00+00') TO ('2026-01-01 00:00:00+00');\n",
    );
    tmp.write("migrations/0002_ticks.down.sql", "DROP TABLE ticks;\n");
    let file = tmp.write(
        "expected_schema.yaml",
        r#"version: 1
schemas:
  public:
    tables:
      ticks:
        partition_by: RANGE (at)
        columns:
          at: {type: timestamptz, nullable: false}
        checks:
          - "at > '2020-01-01 00:00:00+00'"
      ticks_2025:
        partition_of: {table: ticks, bound: "FOR VALUES FROM ('2025-01-01 00:00:00+00') TO ('2026-01-01 00:00:00+00')"}
        columns:
          at: {type: timestamptz, nullable: false}
"#,
    );
    let migrations = tmp.path().join("migrations");
    let run = schemagate_in(
        tmp.path(),
        &[
            "check",
            "--target",
            "local",
            "--migrations",
            migrations.to_str().unwrap(),
            "--expected",
            file.to_str().unwrap(),
            "--format",
            "json",
        ],
        &[("TMPDIR", tmp.path().to_str().unwrap())],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
}

/// Regression: view options and storage parameters were not read, so a
/// view switched to `security_invoker` (row-level security of the caller,
/// PostgreSQL 15), one that lost `WITH CHECK OPTION`, or a table's
/// `fillfactor` passed unseen. Booleans match in any spelling (`on` in the
/// migration, `true` in the file); a file that does not declare options
/// on an object that has some is a mismatch.
#[test]
fn view_options_and_storage_parameters_are_compared() {
    let db = TestDb::new("reloptions");
    db.execute(
        "CREATE TABLE items (id int PRIMARY KEY, price int) WITH (fillfactor = 90);
         CREATE VIEW cheap WITH (security_invoker = on) AS
           SELECT id, price FROM items WHERE price < 10 WITH CASCADED CHECK OPTION;",
    );
    let tmp = TempDir::new("reloptions");
    let declared = "version: 1\nschemas:\n  public:\n    views:\n      cheap:\n        \
        options: {security_invoker: true, check_option: CASCADED}\n    tables:\n      items:\n        \
        options: {fillfactor: 90}\n        columns:\n          id: integer\n          price: integer\n        \
        primary_key: [id]\n";
    let file = tmp.write("declared.yaml", declared);
    let run = diff_against(&db.url, &file, &[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);

    let silent = tmp.write(
        "silent.yaml",
        &declared
            .replace(
                "options: {security_invoker: true, check_option: CASCADED}",
                "definition: null",
            )
            .replace("        options: {fillfactor: 90}\n", ""),
    );
    let run = diff_against(&db.url, &silent, &["--format", "json"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let found: Vec<(String, String, String, String)> = run.json()["mismatches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["object"].as_str().unwrap().to_string(),
                m["attribute"].as_str().unwrap_or("").to_string(),
                m["expected"].as_str().unwrap_or("").to_string(),
                m["actual"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "public.cheap".to_string(),
                "options".to_string(),
                "-".to_string(),
                "check_option=cascaded, security_invoker=true".to_string()
            ),
            (
                "public.items".to_string(),
                "options".to_string(),
                "-".to_string(),
                "fillfactor=90".to_string()
            ),
        ]
    );

    db.execute("ALTER VIEW cheap SET (security_invoker = off)");
    let run = diff_against(&db.url, &file, &["--format", "json"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let m = &run.json()["mismatches"][0];
    assert_eq!(m["object"], "public.cheap", "{m}");
    assert_eq!(
        m["actual"], "check_option=cascaded, security_invoker=false",
        "{m}"
    );
    let sql = diff_against(&db.url, &file, &["--sql"]);
    assert!(
        sql.stdout
            .contains("ALTER VIEW public.cheap SET (security_invoker = 'true');"),
        "{}",
        sql.stdout
    );
    db.execute(&sql.stdout);
    let run = diff_against(&db.url, &file, &[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
}
