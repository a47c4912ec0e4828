//! Introspection, snapshot and diff against a real PostgreSQL (issue 2).

use std::sync::OnceLock;

use crate::support::*;

pub const RICH: &str = include_str!("../cases/rich/schema.sql");

/// A database holding the rich fixture, used as a template for mutations.
pub(crate) fn rich_template() -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        let db = TestDb::new("rich_template");
        db.execute(RICH);
        let name = db.name.clone();
        std::mem::forget(db); // lives for the whole run, as a template
        name
    })
}

/// The snapshot of the rich fixture, written once.
pub(crate) fn rich_snapshot() -> &'static str {
    static YAML: OnceLock<String> = OnceLock::new();
    YAML.get_or_init(|| {
        let db = TestDb::from_template("rich_snap", rich_template());
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
    })
}

// The round trip and the single mutations of the rich fixture run on every
// tested PostgreSQL major: `versions.rs`.

/// Diffs `db` (holding the rich fixture) against `snapshot` (its snapshot):
/// zero mismatches, and every object kind made it into the snapshot
/// (`major`: the server's, for the kinds an older one cannot make).
pub fn assert_rich_round_trip(db: &TestDb, snapshot: &str, major: u32) {
    let tmp = TempDir::new("roundtrip");
    let file = tmp.write("expected_schema.yaml", snapshot);
    let run = diff_against(&db.url, &file, &["--format", "json"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let json = run.json();
    assert_eq!(json["status"], "ok");
    assert_eq!(json["summary"]["mismatches"], 0);
    assert_eq!(json["summary"]["tables_actual"], 11);
    // Every object kind made it into the snapshot.
    let yaml = snapshot;
    for needle in [
        "  App Data:",
        "      OrderItems:",
        "Line No: {type: smallint}",
        "identity: always",
        "identity: by_default",
        "generated: ",
        "collation: C",
        "tags: {type: \"text[]\"",
        "enums:",
        "mood: {values: [sad, ok, happy]",
        "domains:",
        "sequences:",
        "invoice_numbers:",
        "functions:",
        "\"add_numbers(integer, numeric)\"",
        "views:",
        "materialized: true",
        "partition_by: RANGE (happened_at)",
        "partition_of:",
        "row_level_security: true",
        "force_row_level_security: true",
        "policies:",
        "permissive: false",
        "triggers:",
        "jsonb_path_ops",
        "include: [state]",
        "initially_deferred: true",
        "validated: false",
        "on_delete: set null",
        "on_update: cascade",
        "comment: People who buy things.",
        "options: {autovacuum_enabled: \"false\", fillfactor: \"80\", toast.autovacuum_enabled: \"false\"}",
        "options: {check_option: local, security_barrier: \"true\"}",
        "options: {fastupdate: \"false\"}",
        "match: full",
        "no_inherit: true",
        "enabled: always",
        "referencing: {new: inserted}",
        "constraint: true, deferrable: true, initially_deferred: true",
        "enabled: false",
        r#"["lower(status) COLLATE \"C\""]"#,
        "TABLE(id integer, state text)",
        "cost: 10",
        "rows: 50",
        "body: {type: text, nullable: false, storage: external, statistics: 500}",
        "options: {n_distinct: \"-1\"}",
        "cluster_on: orders_pkey",
        "access_method: heap_copy",
        "sequence: {start: 1000, cache: 5}",
        "comment: Tag search.",
        "comment: Never bogus.",
        "comment: Identity.",
        "comment: Who brought them.",
        "comment: Keeps updated_at.",
        "comment: Own rows only.",
        "comment: Notes stay.",
        "comment: Adds.",
        "comment: \"Invoice numbers, by fives.\"",
        "comment: How a customer feels.",
        "comment: \"An address with an @.\"",
    ] {
        assert!(yaml.contains(needle), "snapshot lacks {needle:?}:\n{yaml}");
    }
    // UNIQUE ... NULLS NOT DISTINCT is PostgreSQL 15's.
    if major >= 15 {
        assert!(yaml.contains("nulls_not_distinct: true"), "{yaml}");
    }
}

/// One change each to the rich fixture, with the one mismatch it gives:
/// (name, SQL, change, object_type, attribute, object). Shared with the
/// `diff --sql` repair test (`fix.rs`).
pub(crate) type Mutation = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
);

#[rustfmt::skip]
pub(crate) const MUTATIONS: &[Mutation] = &[
    // (name, SQL, change, object_type, attribute, object)
    ("drop_column", "ALTER TABLE customers DROP COLUMN nickname", "missing", "column", None, "public.customers.nickname"),
    ("add_column", "ALTER TABLE customers ADD COLUMN extra integer", "unexpected", "column", None, "public.customers.extra"),
    ("change_type", "ALTER TABLE customers ALTER COLUMN nickname TYPE varchar(50)", "changed", "column", Some("type"), "public.customers.nickname"),
    ("nullability", "ALTER TABLE customers ALTER COLUMN nickname SET NOT NULL", "changed", "column", Some("nullable"), "public.customers.nickname"),
    ("default", "ALTER TABLE customers ALTER COLUMN status SET DEFAULT 'blocked'", "changed", "column", Some("default"), "public.customers.status"),
    ("drop_fk", "ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey", "missing", "foreign_key", None, "public.orders.orders_customer_id_fkey"),
    (
        "on_delete",
        "ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey; ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE RESTRICT",
        "changed", "foreign_key", Some("on_delete"), "public.orders.orders_customer_id_fkey",
    ),
    ("drop_index", "DROP INDEX orders_created_idx", "missing", "index", None, "public.orders.orders_created_idx"),
    (
        "index_predicate",
        "DROP INDEX orders_created_idx; CREATE INDEX orders_created_idx ON orders (created_at DESC NULLS LAST) INCLUDE (state) WHERE state = 'new'",
        "changed", "index", Some("predicate"), "public.orders.orders_created_idx",
    ),
    ("drop_unique", "ALTER TABLE customers DROP CONSTRAINT customers_email_key", "missing", "unique", None, "public.customers.customers_email_key"),
    ("drop_check", "ALTER TABLE \"OrderItems\" DROP CONSTRAINT \"OrderItems_qty_check\"", "missing", "check", None, "public.\"OrderItems\".\"OrderItems_qty_check\""),
    ("extra_table", "CREATE TABLE surprise (id int)", "unexpected", "table", None, "public.surprise"),
    ("missing_table", "DROP TABLE notes", "missing", "table", None, "public.notes"),
    ("drop_trigger", "DROP TRIGGER customers_set_updated_at ON customers", "missing", "trigger", None, "public.customers.customers_set_updated_at"),
    ("drop_policy", "DROP POLICY documents_owner ON documents", "missing", "policy", None, "public.documents.documents_owner"),
    ("enum_value", "ALTER TYPE mood ADD VALUE 'angry'", "changed", "enum", Some("values"), "public.mood"),
    ("rls_off", "ALTER TABLE documents NO FORCE ROW LEVEL SECURITY", "changed", "table", Some("force_row_level_security"), "public.documents"),
    // Storage parameters and view options passed unseen.
    ("table_options", "ALTER TABLE notes SET (fillfactor = 60)", "changed", "table", Some("options"), "public.notes"),
    ("view_options", "ALTER VIEW active_customers RESET (check_option)", "changed", "view", Some("options"), "public.active_customers"),
    ("index_options", "ALTER INDEX documents_body_idx SET (fastupdate = on)", "changed", "index", Some("options"), "public.documents.documents_body_idx"),
    // MATCH FULL and NO INHERIT passed unseen.
    (
        "fk_match_simple",
        "ALTER TABLE \"App Data\".\"Settings\" DROP CONSTRAINT \"Settings_customer_id_fkey\"; ALTER TABLE \"App Data\".\"Settings\" ADD CONSTRAINT \"Settings_customer_id_fkey\" FOREIGN KEY (customer_id) REFERENCES public.customers (id)",
        "changed", "foreign_key", Some("match_full"), "\"App Data\".\"Settings\".\"Settings_customer_id_fkey\"",
    ),
    // Trigger firing, transition tables, constraint triggers, rule firing,
    // an index key's collation and a function's result columns passed unseen.
    ("trigger_firing", "ALTER TABLE orders ENABLE TRIGGER orders_audit", "changed", "trigger", Some("enabled"), "public.orders.orders_audit"),
    (
        "trigger_referencing",
        "DROP TRIGGER orders_audit ON orders; CREATE TRIGGER orders_audit AFTER INSERT ON orders FOR EACH STATEMENT EXECUTE FUNCTION orders_audit(); ALTER TABLE orders ENABLE ALWAYS TRIGGER orders_audit",
        "changed", "trigger", Some("referencing"), "public.orders.orders_audit",
    ),
    (
        "trigger_deferrable",
        "DROP TRIGGER orders_check_late ON orders; CREATE CONSTRAINT TRIGGER orders_check_late AFTER UPDATE ON orders DEFERRABLE FOR EACH ROW EXECUTE FUNCTION orders_audit()",
        "changed", "trigger", Some("deferrable"), "public.orders.orders_check_late",
    ),
    ("rule_enabled", "ALTER TABLE notes ENABLE RULE notes_no_delete", "changed", "rule", Some("enabled"), "public.notes.notes_no_delete"),
    (
        "index_collation",
        "DROP INDEX customers_lower_status_c_idx; CREATE INDEX customers_lower_status_c_idx ON customers (lower(status))",
        "changed", "index", Some("columns"), "public.customers.customers_lower_status_c_idx",
    ),
    // A column's STORAGE, statistics target and options passed unseen.
    ("column_storage", "ALTER TABLE notes ALTER body SET STORAGE extended", "changed", "column", Some("storage"), "public.notes.body"),
    ("column_statistics", "ALTER TABLE notes ALTER body SET STATISTICS -1", "changed", "column", Some("statistics"), "public.notes.body"),
    ("column_options", "ALTER TABLE notes ALTER id RESET (n_distinct)", "changed", "column", Some("options"), "public.notes.id"),
    // A TOAST table's options passed unseen (and --sql quoted their names whole).
    ("toast_options", "ALTER TABLE notes RESET (toast.autovacuum_enabled)", "changed", "table", Some("options"), "public.notes"),
    ("cluster_on", "ALTER TABLE orders CLUSTER ON orders_number_key", "changed", "table", Some("cluster_on"), "public.orders"),
    // Comments on anything but tables, columns and views passed unseen.
    ("index_comment", "COMMENT ON INDEX customers_tags_idx IS 'Other.'", "changed", "index", Some("comment"), "public.customers.customers_tags_idx"),
    ("check_comment", "COMMENT ON CONSTRAINT orders_state_check ON orders IS NULL", "changed", "check", Some("comment"), "public.orders.orders_state_check"),
    ("pk_comment", "COMMENT ON CONSTRAINT customers_pkey ON customers IS 'Other.'", "changed", "primary_key", Some("comment"), "public.customers.customers_pkey"),
    ("fk_comment", "COMMENT ON CONSTRAINT customers_referred_by_fkey ON customers IS 'Other.'", "changed", "foreign_key", Some("comment"), "public.customers.customers_referred_by_fkey"),
    ("trigger_comment", "COMMENT ON TRIGGER customers_set_updated_at ON customers IS NULL", "changed", "trigger", Some("comment"), "public.customers.customers_set_updated_at"),
    ("policy_comment", "COMMENT ON POLICY documents_owner ON documents IS 'Other.'", "changed", "policy", Some("comment"), "public.documents.documents_owner"),
    ("rule_comment", "COMMENT ON RULE notes_no_delete ON notes IS 'Other.'", "changed", "rule", Some("comment"), "public.notes.notes_no_delete"),
    ("function_comment", "COMMENT ON FUNCTION add_numbers(integer, numeric) IS NULL", "changed", "function", Some("comment"), "public.\"add_numbers(integer, numeric)\""),
    ("sequence_comment", "COMMENT ON SEQUENCE invoice_numbers IS 'Other.'", "changed", "sequence", Some("comment"), "public.invoice_numbers"),
    ("enum_comment", "COMMENT ON TYPE mood IS 'Other.'", "changed", "enum", Some("comment"), "public.mood"),
    ("domain_comment", "COMMENT ON DOMAIN email_address IS NULL", "changed", "domain", Some("comment"), "public.email_address"),
    // The options of an identity's or a serial's own sequence passed unseen.
    ("identity_sequence", "ALTER TABLE customers ALTER id SET INCREMENT BY 3", "changed", "column", Some("sequence"), "public.customers.id"),
    ("serial_sequence", "ALTER SEQUENCE orders_id_seq CACHE 10", "changed", "column", Some("sequence"), "public.orders.id"),
    ("function_cost", "ALTER FUNCTION add_numbers(integer, numeric) COST 100", "changed", "function", Some("cost"), "public.\"add_numbers(integer, numeric)\""),
    ("function_rows", "ALTER FUNCTION recent_orders(integer) ROWS 1000", "changed", "function", Some("rows"), "public.\"recent_orders(integer)\""),
    (
        "function_result_columns",
        "DROP FUNCTION recent_orders(integer); CREATE FUNCTION recent_orders(n integer) RETURNS TABLE (id integer, status text) LANGUAGE sql STABLE ROWS 50 AS $$ SELECT id, state FROM orders ORDER BY id DESC LIMIT n $$",
        "changed", "function", Some("returns"), "public.\"recent_orders(integer)\"",
    ),
    // A key's index: INCLUDE columns and storage parameters passed unseen.
    ("pk_index_options", "ALTER INDEX documents_pkey RESET (fillfactor)", "changed", "primary_key", Some("options"), "public.documents.documents_pkey"),
    ("unique_index_options", "ALTER INDEX documents_id_owner_key SET (fillfactor = 70)", "changed", "unique", Some("options"), "public.documents.documents_id_owner_key"),
    (
        "unique_include",
        "ALTER TABLE documents DROP CONSTRAINT documents_id_owner_key; ALTER TABLE documents ADD CONSTRAINT documents_id_owner_key UNIQUE (id, owner)",
        "changed", "unique", Some("include"), "public.documents.documents_id_owner_key",
    ),
    // A domain check's validity, name and comment passed unseen.
    ("domain_check_validated", "ALTER DOMAIN \"App Data\".positive_int VALIDATE CONSTRAINT positive_int_small", "changed", "domain", Some("checks"), "\"App Data\".positive_int"),
    ("domain_check_renamed", "ALTER DOMAIN \"App Data\".positive_int RENAME CONSTRAINT positive_int_small TO small", "changed", "domain", Some("checks"), "\"App Data\".positive_int"),
    ("domain_check_default_name", "ALTER DOMAIN email_address RENAME CONSTRAINT email_address_check TO email_format", "changed", "domain", Some("checks"), "public.email_address"),
    ("domain_check_comment", "COMMENT ON CONSTRAINT positive_int_small ON DOMAIN \"App Data\".positive_int IS NULL", "changed", "domain", Some("checks"), "\"App Data\".positive_int"),
    (
        "domain_check_not_valid",
        "ALTER DOMAIN email_address DROP CONSTRAINT email_address_check; ALTER DOMAIN email_address ADD CONSTRAINT email_address_check CHECK (VALUE ~ '^[^@]+@[^@]+$') NOT VALID",
        "changed", "domain", Some("checks"), "public.email_address",
    ),
    // A composite type's attribute collation, and comments on composite
    // types, collations and statistics passed unseen.
    ("composite_collation", "ALTER TYPE labelled ALTER ATTRIBUTE label TYPE text COLLATE \"default\"", "changed", "composite_type", Some("attributes"), "public.labelled"),
    ("composite_comment", "COMMENT ON TYPE labelled IS NULL", "changed", "composite_type", Some("comment"), "public.labelled"),
    ("collation_comment", "COMMENT ON COLLATION bytewise IS 'Other.'", "changed", "collation", Some("comment"), "public.bytewise"),
    ("statistics_comment", "COMMENT ON STATISTICS orders_customer_state IS NULL", "changed", "statistics", Some("comment"), "public.orders_customer_state"),
    // A typed table (CREATE TABLE ... OF type) passed unseen.
    ("typed_table", "ALTER TABLE pairs NOT OF", "changed", "table", Some("of_type"), "public.pairs"),
    // A table's access method (CREATE TABLE ... USING) passed unseen;
    // recreated here, as 13 and 14 cannot ALTER it.
    (
        "access_method",
        "DROP TABLE archive; CREATE TABLE archive (id integer PRIMARY KEY, body text)",
        "changed", "table", Some("access_method"), "public.archive",
    ),
    (
        "check_inherit",
        "ALTER TABLE notes DROP CONSTRAINT notes_body_check; ALTER TABLE notes ADD CONSTRAINT notes_body_check CHECK (body <> '')",
        "changed", "check", Some("no_inherit"), "public.notes.notes_body_check",
    ),
];

/// Single mutations of function internals (issue 13). Kept apart from
/// [`MUTATIONS`]: `diff --sql` cannot repair a function body.
#[rustfmt::skip]
pub(crate) const FUNCTION_MUTATIONS: &[Mutation] = &[
    // Issue 13: a replaced trigger function body passed unseen.
    (
        "trigger_function_body",
        "CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := clock_timestamp(); RETURN NEW; END $$",
        "changed", "function", Some("body"), "public.\"set_updated_at()\"",
    ),
    ("function_volatility", "ALTER FUNCTION add_numbers(integer, numeric) STABLE", "changed", "function", Some("volatility"), "public.\"add_numbers(integer, numeric)\""),
];

/// Applies each of the single mutations ([`MUTATIONS`]) to a copy of
/// `template` (the rich fixture on `server`) and diffs it against
/// `snapshot`: exactly one mismatch each. `tag` keeps the databases of
/// several servers apart.
pub fn assert_single_mutations(server: &'static Server, template: &str, snapshot: &str, tag: &str) {
    assert_each_gives_one_mismatch(server, template, snapshot, tag, MUTATIONS);
    assert_each_gives_one_mismatch(server, template, snapshot, tag, FUNCTION_MUTATIONS);
}

/// (name, SQL, change, object_type, attribute, object)
pub type MutationCase<'a> = (&'a str, &'a str, &'a str, &'a str, Option<&'a str>, &'a str);

/// Applies each case's SQL to a copy of `template` on `server` and diffs it
/// against `snapshot`: exactly the one mismatch the case names.
pub fn assert_each_gives_one_mismatch(
    server: &'static Server,
    template: &str,
    snapshot: &str,
    tag: &str,
    cases: &[MutationCase],
) {
    let tmp = TempDir::new("mutations");
    let file = tmp.write("expected_schema.yaml", snapshot);
    let mut failures = Vec::new();
    for (name, sql, change, object_type, attribute, object) in cases {
        let db = TestDb::from_template_on(server, &format!("mut{tag}_{name}"), template);
        db.execute(sql);
        let run = diff_against(&db.url, &file, &["--format", "json"]);
        let json = run.json();
        let mismatches = json["mismatches"].as_array().cloned().unwrap_or_default();
        let ok = run.code == 1
            && mismatches.len() == 1
            && mismatches[0]["change"] == *change
            && mismatches[0]["object_type"] == *object_type
            && mismatches[0]["attribute"].as_str() == *attribute
            && mismatches[0]["object"] == *object;
        if !ok {
            failures.push(format!(
                "{name}: exit {} {}",
                run.code,
                serde_json::to_string_pretty(&mismatches).unwrap()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Applies the bundled up migrations in order, the plain way, to check the
/// expected file against them independently of the runner.
pub fn apply_bundled_migrations(db: &TestDb) {
    let dir = repo_root().join("migrations");
    let mut ups: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".up.sql"))
        .collect();
    ups.sort();
    assert_eq!(ups.len(), 6, "six bundled up migrations");
    for up in ups {
        db.execute(&std::fs::read_to_string(&up).unwrap());
    }
}

#[test]
fn bundled_expected_schema_matches_bundled_migrations() {
    let db = TestDb::new("synapscale_plain");
    apply_bundled_migrations(&db);
    let run = schemagate(&["diff", "--database-url", &db.url]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("schema matches expected_schema.yaml (20 tables)"),
        "{}",
        run.stdout
    );
}

/// What people write (aliases, IN lists, BETWEEN, no casts) equals what the
/// server stores: no false positives from spelling.
#[test]
fn aliases_and_server_rewrites_do_not_produce_mismatches() {
    let db = TestDb::new("spelling");
    db.execute(
        "CREATE TABLE t (
           id serial PRIMARY KEY,
           a varchar(255) NOT NULL DEFAULT 'x',
           b timestamptz DEFAULT now(),
           c int4 CHECK (c BETWEEN 1 AND 10),
           d bool NOT NULL DEFAULT false,
           e numeric(12,6) DEFAULT -1.5,
           f char(3) DEFAULT 'USD',
           g jsonb NOT NULL DEFAULT '{}',
           h text CHECK (h IN ('p', 'q')),
           i int8[]
         );
         CREATE INDEX t_lower_a ON t (lower(a)) WHERE h = 'p';",
    );
    let tmp = TempDir::new("spelling");
    let file = tmp.write(
        "expected.yaml",
        "version: 1
schemas:
  public:
    tables:
      t:
        columns:
          id: {type: serial}
          a: {type: VARCHAR(255), nullable: false, default: \"'x'\"}
          b: {type: timestamptz, default: NOW()}
          c: int
          d: {type: boolean, nullable: false, default: false}
          e: {type: \"decimal(12, 6)\", default: -1.5}
          f: {type: char(3), default: \"'USD'\"}
          g: {type: jsonb, nullable: false, default: \"'{}'\"}
          h: text
          i: {type: \"bigint[]\"}
        primary_key: [id]
        checks:
          - c >= 1 AND c <= 10
          - \"h in ('p','q')\"
        indexes:
          - {columns: [lower(a)], where: \"h = 'p'\"}
",
    );
    let run = diff_against(&db.url, &file, &[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
}

/// The read-only guarantee: diff and snapshot work for a role whose every
/// transaction is read-only and who owns nothing.
#[test]
fn diff_and_snapshot_never_write() {
    let db = TestDb::from_template("readonly", rich_template());
    db.execute(
        "DO $$ BEGIN
           IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sg_reader') THEN
             CREATE ROLE sg_reader LOGIN PASSWORD 'reader-pw-4471';
           END IF;
         END $$;
         ALTER ROLE sg_reader SET default_transaction_read_only = on;",
    );
    let url = db.url_as("sg_reader", "reader-pw-4471");
    let tmp = TempDir::new("readonly");
    let file = tmp.write("expected_schema.yaml", rich_snapshot());
    let run = diff_against(&url, &file, &[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let snap = schemagate(&[
        "snapshot",
        "--database-url",
        &url,
        "--schema",
        "public",
        "--schema",
        "App Data",
    ]);
    assert_eq!(snap.code, 0, "{}", snap.stderr);
    assert_eq!(
        snap.stdout,
        rich_snapshot(),
        "a non-owner sees the same schema"
    );
    assert!(!run.all_output().contains("reader-pw-4471"));
}

#[test]
fn database_url_is_read_from_dot_env() {
    let db = TestDb::new("dotenv");
    db.execute("CREATE TABLE only_table (id integer)");
    let tmp = TempDir::new("dotenv");
    tmp.write(".env", &format!("DATABASE_URL='{}'\n", db.url));
    tmp.write(
        "expected_schema.yaml",
        "version: 1\nschemas:\n  public:\n    tables:\n      only_table:\n        columns:\n          id: integer\n",
    );
    let run = schemagate_in(tmp.path(), &["diff"], &[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
}

#[test]
fn table_output_lists_object_change_expected_actual() {
    let db = TestDb::new("table_output");
    db.execute("CREATE TABLE t (id integer, extra text)");
    let tmp = TempDir::new("table_output");
    let file = tmp.write(
        "expected_schema.yaml",
        "version: 1\nschemas:\n  public:\n    tables:\n      t:\n        columns:\n          id: bigint\n",
    );
    let run = diff_against(&db.url, &file, &[]);
    assert_eq!(run.code, 1, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[1].contains("object")
            && lines[1].contains("change")
            && lines[1].contains("expected")
            && lines[1].contains("actual"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("public.t.id")
            && run.stdout.contains("bigint")
            && run.stdout.contains("integer"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("public.t.extra") && run.stdout.contains("unexpected"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .lines()
            .last()
            .unwrap()
            .starts_with("2 mismatches between "),
        "{}",
        run.stdout
    );
}

/// Objects an extension owns are not user schema; user objects using the
/// extension's types are. The extensions themselves are compared by name
/// and schema (issue 13).
#[test]
fn extension_owned_objects_are_left_out() {
    let db = TestDb::new("extensions");
    db.execute(
        "CREATE EXTENSION citext;
         CREATE EXTENSION pg_trgm;
         CREATE TABLE people (name citext PRIMARY KEY);
         CREATE INDEX people_name_trgm ON people USING gin (name gin_trgm_ops);",
    );
    let snap = schemagate(&["snapshot", "--database-url", &db.url]);
    assert_eq!(snap.code, 0, "{snap:?}");
    assert!(
        !snap.stdout.contains("functions:"),
        "extension functions leaked:\n{}",
        snap.stdout
    );
    assert!(!snap.stdout.contains("similarity"), "{}", snap.stdout);
    assert!(
        snap.stdout.contains("name: {type: citext}"),
        "{}",
        snap.stdout
    );
    assert!(snap.stdout.contains("gin_trgm_ops"), "{}", snap.stdout);
    let tmp = TempDir::new("extensions");
    let file = tmp.write("e.yaml", &snap.stdout);
    assert!(
        snap.stdout
            .contains("extensions:\n      citext: {}\n      pg_trgm: {}\n"),
        "{}",
        snap.stdout
    );
    let run = diff_against(&db.url, &file, &[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
}
