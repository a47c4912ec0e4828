//! `diff` over fleets: many databases, tenant schemas, shards, and
//! `merge-reports`, against the real test server.

use serde_json::Value;

use crate::support::*;

const EXPECTED: &str = "\
version: 1
schemas:
  public:
    tables:
      accounts:
        columns:
          id: {type: serial}
          email: {type: varchar(255), nullable: false}
        primary_key: [id]
      projects:
        columns:
          id: {type: bigint, identity: always}
          account_id: {type: integer, nullable: false}
          name: {type: text, nullable: false, default: \"'untitled'::text\"}
        primary_key: [id]
        foreign_keys:
          - {columns: [account_id], references: {table: accounts, columns: [id]}, on_delete: cascade}
";

/// The DDL of EXPECTED in schema `s`.
fn ddl(s: &str) -> String {
    format!(
        "CREATE SCHEMA IF NOT EXISTS {s};
         CREATE TABLE {s}.accounts (id serial PRIMARY KEY, email varchar(255) NOT NULL);
         CREATE TABLE {s}.projects (
             id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
             account_id integer NOT NULL REFERENCES {s}.accounts (id) ON DELETE CASCADE,
             name text NOT NULL DEFAULT 'untitled');"
    )
}

const PASSWORD: &str = "fleet-secret-8832";

fn statuses(json: &Value) -> Vec<(String, String)> {
    json["databases"]
        .as_array()
        .expect("databases")
        .iter()
        .map(|d| {
            (
                d["name"].as_str().unwrap().to_string(),
                d["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Removes what differs between two runs over the same fleet (timings).
fn without_times(mut json: Value) -> Value {
    for d in json["databases"].as_array_mut().unwrap() {
        d.as_object_mut().unwrap().remove("took_ms");
    }
    json
}

#[test]
fn fleet_with_drift_unreachable_and_wrong_password_exits_2_and_reports_the_rest() {
    let ok = TestDb::new("fleet_ok");
    ok.execute(&ddl("public"));
    let drifted = TestDb::new("fleet_drifted");
    drifted.execute(&ddl("public"));
    drifted.execute("ALTER TABLE projects DROP COLUMN name");
    drifted.execute(
        "DO $$ BEGIN
           IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sg_fleet_user') THEN
             CREATE ROLE sg_fleet_user LOGIN PASSWORD 'the-right-one';
           END IF;
         END $$;",
    );
    let wrong_password = ok.url_as("sg_fleet_user", PASSWORD);
    let unreachable = format!("postgres://someone:{PASSWORD}@127.0.0.1:1/nowhere");
    let tmp = TempDir::new("fleet");
    let expected = tmp.write("expected.yaml", EXPECTED);
    let list = tmp.write(
        "fleet.txt",
        &format!(
            "# the fleet\nok: {}\n\ndrifted: {}\n{unreachable}\nwrong-password: {wrong_password}\n",
            ok.url, drifted.url
        ),
    );
    let expected_arg = expected.to_str().unwrap();
    let list_arg = list.to_str().unwrap();

    let run = schemagate(&[
        "diff",
        "--databases",
        list_arg,
        "--expected",
        expected_arg,
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    let json = run.json();
    assert_eq!(json["version"], 1);
    assert_eq!(json["status"], "error");
    assert_eq!(
        statuses(&json),
        [
            ("ok", "ok"),
            ("drifted", "mismatch"),
            ("postgres://someone:***@127.0.0.1:1/nowhere", "error"),
            ("wrong-password", "error"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let dbs = json["databases"].as_array().unwrap();
    assert_eq!(dbs[0]["summary"]["mismatches"], 0);
    assert_eq!(dbs[1]["mismatches"][0]["object"], "public.projects.name");
    assert_eq!(dbs[1]["mismatches"][0]["change"], "missing");
    assert!(dbs[2]["summary"].is_null());
    assert!(dbs[3]["error"]
        .as_str()
        .unwrap()
        .contains("password authentication failed"));

    // Every format: the summary first, and no password anywhere. The same
    // fleet given as repeated --database-url and on standard input.
    for format in ["table", "json", "markdown", "junit", "github"] {
        let run = schemagate(&[
            "diff",
            "--databases",
            list_arg,
            "--expected",
            expected_arg,
            "--format",
            format,
            "--jobs",
            "2",
        ]);
        assert_eq!(run.code, 2, "{format}: {run:?}");
        assert!(!run.all_output().contains(PASSWORD), "{format}: {run:?}");
        assert!(run.stdout.contains("drifted"), "{format}: {run:?}");
    }
    let table = schemagate(&["diff", "--databases", list_arg, "--expected", expected_arg]);
    let summary_at = table.stdout.find("4 databases: 1 ok, 1 mismatch, 2 error");
    let detail_at = table.stdout.find("public.projects.name");
    assert!(summary_at.is_some() && summary_at < detail_at, "{table:?}");

    let run = schemagate(&[
        "diff",
        "--database-url",
        &ok.url,
        "--database-url",
        &unreachable,
        "--expected",
        expected_arg,
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(!run.all_output().contains(PASSWORD));
    assert_eq!(run.json()["databases"].as_array().unwrap().len(), 2);
}

#[test]
fn fleet_of_matching_and_drifted_databases_exits_1_then_0() {
    let a = TestDb::new("fleet_exit_a");
    a.execute(&ddl("public"));
    let b = TestDb::new("fleet_exit_b");
    b.execute(&ddl("public"));
    let tmp = TempDir::new("fleetexit");
    let expected = tmp.write("expected.yaml", EXPECTED);
    let e = expected.to_str().unwrap();
    let both = ["diff", "--database-url", &a.url, "--database-url", &b.url];
    let run = schemagate(&[&both[..], &["--expected", e]].concat());
    assert_eq!(run.code, 0, "{run:?}");
    b.execute("CREATE TABLE extra (x int)");
    let run = schemagate(&[&both[..], &["--expected", e, "--format", "json"]].concat());
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.json()["status"], "mismatch");
}

/// One URL and no fleet option keeps the single-database report: users'
/// scripts parse it.
#[test]
fn one_database_url_keeps_the_single_database_report() {
    let db = TestDb::new("fleet_single");
    db.execute(&ddl("public"));
    let tmp = TempDir::new("fleetsingle");
    let expected = tmp.write("expected.yaml", EXPECTED);
    let run = diff_against(&db.url, &expected, &["--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let json = run.json();
    assert!(json.get("databases").is_none(), "{json}");
    assert_eq!(json["status"], "ok");
    assert!(json["summary"].is_object());
}

#[test]
fn schema_pattern_reports_each_tenant_schema_with_the_drifted_one() {
    let db = TestDb::new("fleet_tenants");
    for t in ["tenant_a", "tenant_b", "tenant_c"] {
        db.execute(&ddl(t));
    }
    db.execute(&ddl("other"));
    db.execute("ALTER TABLE tenant_b.accounts ALTER COLUMN email TYPE text");
    db.execute("ALTER TABLE other.accounts DROP COLUMN email");
    let tmp = TempDir::new("fleettenants");
    let expected = tmp.write("expected.yaml", EXPECTED);
    let run = schemagate(&[
        "diff",
        "--database-url",
        &db.url,
        "--schema-pattern",
        "tenant_*",
        "--expected",
        expected.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    let json = run.json();
    let found: Vec<String> = statuses(&json)
        .into_iter()
        .map(|(name, status)| format!("{}={status}", name.rsplit('#').next().unwrap()))
        .collect();
    assert_eq!(
        found,
        ["tenant_a=ok", "tenant_b=mismatch", "tenant_c=ok"],
        "{json:#}"
    );
    let drift = &json["databases"][1]["mismatches"];
    assert_eq!(drift.as_array().unwrap().len(), 1, "{drift:#}");
    assert_eq!(drift[0]["object"], "public.accounts.email");
    assert_eq!(drift[0]["attribute"], "type");
}

#[test]
fn bad_list_line_is_an_error_naming_file_and_line() {
    let tmp = TempDir::new("fleetbadlist");
    let expected = tmp.write("expected.yaml", EXPECTED);
    let list = tmp.write(
        "fleet.txt",
        &format!("# ok so far\npostgres://h/a\nnot-a-url-{PASSWORD}\n"),
    );
    let run = schemagate(&[
        "diff",
        "--databases",
        list.to_str().unwrap(),
        "--expected",
        expected.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("fleet.txt:3"), "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
}

#[test]
fn shards_cover_the_list_once_and_merge_into_the_unsharded_report() {
    let ok = TestDb::new("fleet_shard_ok");
    ok.execute(&ddl("public"));
    let drifted = TestDb::new("fleet_shard_drifted");
    drifted.execute(&ddl("public"));
    drifted.execute("CREATE INDEX ON projects (name)");
    let tmp = TempDir::new("fleetshard");
    let expected = tmp.write("expected.yaml", EXPECTED);
    let mut lines = String::new();
    for i in 0..7 {
        let url = if i == 4 { &drifted.url } else { &ok.url };
        lines.push_str(&format!("db{i}: {url}\n"));
    }
    let list = tmp.write("fleet.txt", &lines);
    let base = [
        "diff",
        "--databases",
        list.to_str().unwrap(),
        "--expected",
        expected.to_str().unwrap(),
        "--format",
        "json",
    ];
    let whole = schemagate(&base);
    assert_eq!(whole.code, 1, "{whole:?}");

    let mut names = Vec::new();
    let mut files = Vec::new();
    for i in 1..=3 {
        let shard = format!("{i}/3");
        let run = schemagate(&[&base[..], &["--shard", &shard]].concat());
        assert!(run.code <= 1, "{run:?}");
        names.extend(statuses(&run.json()).into_iter().map(|(n, _)| n));
        files.push(tmp.write(&format!("shard{i}.json"), &run.stdout));
    }
    names.sort();
    let mut all: Vec<String> = (0..7).map(|i| format!("db{i}")).collect();
    all.sort();
    assert_eq!(names, all, "every database in exactly one shard");

    let mut args = vec!["merge-reports", "--format", "json"];
    // Order of the files does not matter.
    args.extend(files.iter().rev().map(|f| f.to_str().unwrap()));
    let merged = schemagate(&args);
    assert_eq!(merged.code, whole.code, "{merged:?}");
    assert_eq!(without_times(merged.json()), without_times(whole.json()));

    let mut args = vec!["merge-reports"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    let table = schemagate(&args);
    assert_eq!(table.code, 1, "{table:?}");
    assert!(table
        .stdout
        .contains("7 databases: 6 ok, 1 mismatch, 0 error"));
}

/// What `snapshot` writes, `diff` must read: a 50,000-table catalog (1,000
/// tenant schemas × 50 tables, 36 MB) was refused by the former 16 MiB
/// limit on expected files.
#[test]
fn expected_file_limit_admits_what_snapshot_writes_for_50000_tables() {
    use schemagate::expected::{parse, to_yaml, MAX_FILE_BYTES};
    // One table as bench/gen_schema.py makes them, written as snapshot does.
    let one = "\
version: 1
schemas:
  tenant_0001:
    tables:
      t00042:
        columns:
          id: {type: bigint, identity: by default}
          code: {type: varchar(40), nullable: false}
          title: {type: text}
          amount: {type: \"numeric(12,2)\", nullable: false, default: '0'}
          created_at: {type: timestamptz, nullable: false, default: now()}
          active: {type: boolean, nullable: false, default: 'true'}
          payload: {type: jsonb}
          parent_id: {type: bigint}
          other_id: {type: bigint}
        primary_key: [id]
        unique:
          - [code]
        checks:
          - \"(amount >= (0)::numeric) AND (amount < (1000042)::numeric) AND (length((code)::text) > 2)\"
        foreign_keys:
          - {columns: [parent_id], references: {table: t00041, columns: [id]}, on_delete: cascade}
          - {columns: [other_id], references: {table: t00021, columns: [id]}}
        indexes:
          - {name: t00042_created_at_idx, columns: [created_at DESC]}
          - {name: t00042_title_active_idx, columns: [lower(title)], where: \"(active AND (amount > (42)::numeric))\"}
";
    let schema = parse(one, std::path::Path::new("one.yaml")).expect("parses");
    let per_table = to_yaml(&schema).len() as u64;
    assert!(per_table > 300, "a realistic table: {per_table} bytes");
    // Twice the size of 50,000 such tables, for longer names and comments.
    assert!(
        2 * 50_000 * per_table <= MAX_FILE_BYTES,
        "{per_table} bytes per table"
    );
}

/// Still a bound: a file beyond the limit is refused before it is read.
#[test]
fn expected_file_beyond_the_limit_is_refused_unread() {
    let tmp = TempDir::new("fleethuge");
    let path = tmp.path().join("huge.yaml");
    let file = std::fs::File::create(&path).unwrap();
    // Sparse: no disk is used.
    file.set_len(schemagate::expected::MAX_FILE_BYTES + 1)
        .unwrap();
    let e = schemagate::expected::load(&path).unwrap_err().to_string();
    assert!(
        e.contains("the limit for expected schema files") && e.contains("huge.yaml"),
        "{e}"
    );
}

/// The catalog is read in batches of 2,048 rows, on both connections, and
/// assembled as they arrive: result sets of several batches (2,400 columns,
/// 2,200 constraints, 2,200 indexes) arrive whole, and foreign keys to a
/// table outside the schemas read, in every batch, still name the columns
/// they reference (those come from one more query per batch). Read back, the
/// snapshot matches; one check and one index dropped are exactly two
/// mismatches.
#[test]
fn result_sets_of_several_batches_are_read_whole() {
    let db = TestDb::new("batches");
    let mut sql = String::from(
        "CREATE SCHEMA other; CREATE TABLE other.ref (id int PRIMARY KEY, code int UNIQUE);",
    );
    for t in 0..12 {
        let columns: Vec<String> = (0..200).map(|c| format!("c{c} int")).collect();
        let checks: Vec<String> = (0..182)
            .map(|c| format!("CONSTRAINT t{t}_k{c} CHECK (c{c} > {t})"))
            .collect();
        sql.push_str(&format!(
            "CREATE TABLE t{t:02} ({}, {}, CONSTRAINT t{t}_fk FOREIGN KEY (c199) REFERENCES other.ref (code));",
            columns.join(", "),
            checks.join(", ")
        ));
        for c in 0..184 {
            sql.push_str(&format!("CREATE INDEX t{t}_i{c} ON t{t:02} (c{c});"));
        }
    }
    db.execute(&sql);
    let mut client = db.client();
    let mut count = |sql: &str| -> i64 { client.query_one(sql, &[]).unwrap().get(0) };
    let public = "relnamespace = 'public'::regnamespace";
    assert!(count(&format!("SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE {public} AND c.relkind = 'r' AND a.attnum > 0")) > 2048);
    assert!(count(&format!("SELECT count(*) FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid WHERE {public}")) > 2048);
    assert!(
        count(&format!(
            "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE {public}"
        )) > 2048
    );

    let snap = schemagate(&["snapshot", "--database-url", &db.url]);
    assert_eq!(snap.code, 0, "{snap:?}");
    let text = &snap.stdout;
    let named = |prefix: &str| {
        text.split("{name: ")
            .filter(|rest| {
                let name = rest.split(',').next().unwrap_or("");
                name.starts_with('t') && name.contains(prefix)
            })
            .count()
    };
    assert_eq!(named("_k"), 12 * 182, "{text}");
    assert_eq!(named("_i"), 12 * 184, "{text}");
    assert_eq!(
        text.matches("references: {schema: other, table: ref, columns: [code]}")
            .count(),
        12,
        "{text}"
    );

    let tmp = TempDir::new("batches");
    let file = tmp.write("snapshot.yaml", text);
    let run = diff_against(&db.url, &file, &["--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);

    db.execute("ALTER TABLE t11 DROP CONSTRAINT t11_k181; DROP INDEX t0_i0;");
    let run = diff_against(&db.url, &file, &["--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let keys: Vec<String> = run.json()["mismatches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "{} {}",
                m["change"].as_str().unwrap(),
                m["object"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        keys,
        ["missing public.t00.t0_i0", "missing public.t11.t11_k181"],
        "{}",
        run.stdout
    );
}
