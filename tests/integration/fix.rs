//! From verdict to fix (issue 18): `check --update` rewrites the expected
//! file minimally, `diff --sql` prints the DDL that repairs a database.

use crate::core::{rich_snapshot, rich_template, FUNCTION_MUTATIONS, MUTATIONS};
use crate::support::*;

/// A migration that adds a column, a table and an index and drops a CHECK,
/// on a copy of the SynapScale files: after `check --update` the file
/// differs from the original by exactly those entries, in the file's own
/// style and places, and the next `check` passes.
#[test]
fn check_update_rewrites_only_the_entries_a_migration_changed() {
    let tmp = TempDir::new("check_update");
    for entry in std::fs::read_dir(repo_root().join("migrations")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        tmp.write(
            &format!("migrations/{name}"),
            &std::fs::read_to_string(&path).unwrap(),
        );
    }
    tmp.write(
        "migrations/0007_tag_aliases.up.sql",
        "ALTER TABLE tags ADD COLUMN description text;\n\
         CREATE TABLE tag_aliases (\n\
           id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n\
           tag_id uuid NOT NULL REFERENCES tags (id) ON DELETE CASCADE,\n\
           alias varchar(100) NOT NULL UNIQUE\n\
         );\n\
         CREATE INDEX tags_created_at_idx ON tags (created_at);\n\
         ALTER TABLE workspaces DROP CONSTRAINT workspaces_max_members_check;\n",
    );
    tmp.write(
        "migrations/0007_tag_aliases.down.sql",
        "DROP TABLE tag_aliases;\n",
    );
    let original = std::fs::read_to_string(repo_root().join("expected_schema.yaml")).unwrap();
    let file = tmp.write("expected_schema.yaml", &original);
    let target = server().url.clone();
    let check = |extra: &[&str]| {
        let mut args = vec!["check", "--target", &target];
        args.extend_from_slice(extra);
        schemagate_in(
            tmp.path(),
            &args,
            &[("TMPDIR", tmp.path().to_str().unwrap())],
        )
    };

    let run = check(&["--update"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("updated expected_schema.yaml: 4 mismatches"),
        "{}",
        run.stderr
    );
    // The report of what differed is still printed, as without --update.
    assert!(run.stdout.contains("tag_aliases"), "{}", run.stdout);

    let want = original
        .replace(
            "          - \"max_members > 0\"\n",
            "",
        )
        .replace(
            "          created_at: {type: timestamptz, nullable: false, default: now()}\n        primary_key: [id]\n        unique:\n          - [target_type, target_id, name]\n",
            "          created_at: {type: timestamptz, nullable: false, default: now()}\n          description: {type: text}\n        primary_key: [id]\n        unique:\n          - [target_type, target_id, name]\n",
        )
        .replace(
            "          - {name: tags_created_by_idx, columns: [created_by]}\n",
            "          - {name: tags_created_by_idx, columns: [created_by]}\n          - {name: tags_created_at_idx, columns: [created_at]}\n",
        )
        + "\n      tag_aliases:\n        columns:\n          id: {type: bigint, identity: always}\n          tag_id: {type: uuid, nullable: false}\n          alias: {type: varchar(100), nullable: false}\n        primary_key: [id]\n        unique:\n          - {columns: [alias]}\n        foreign_keys:\n          - {columns: [tag_id], references: {table: tags, columns: [id]}, on_delete: cascade}\n";
    let got = std::fs::read_to_string(&file).unwrap();
    assert_eq!(line_diff(&original, &got), line_diff(&original, &want));
    assert_eq!(got, want);

    let again = check(&[]);
    assert_eq!(again.code, 0, "{}\n{}", again.stdout, again.stderr);
}

/// The lines only one side has, `-` and `+`, in order (enough to show what
/// an update touched when it only inserts and removes whole lines).
fn line_diff(before: &str, after: &str) -> Vec<String> {
    let (a, b): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push(format!("+{}", b[j]));
            j += 1;
        } else {
            out.push(format!("-{}", a[i]));
            i += 1;
        }
    }
    out
}

/// Over the whole single-mutation set: the SQL `diff --sql
/// --allow-destructive` prints, applied to the mutated database, leaves no
/// mismatch; `diff --sql` itself changes nothing; without
/// `--allow-destructive` the destructive statements are comments.
#[test]
fn diff_sql_repairs_every_single_mutation() {
    let tmp = TempDir::new("diff_sql");
    let file = tmp.write("expected_schema.yaml", rich_snapshot());
    let mut failures = Vec::new();
    let more = MORE_KINDS
        .iter()
        .map(|(name, sql, change)| (*name, *sql, *change));
    let all = MUTATIONS
        .iter()
        .chain(FUNCTION_MUTATIONS)
        .map(|(name, sql, change, ..)| (*name, *sql, *change))
        .chain(more);
    for (name, sql, change) in all {
        let db = TestDb::from_template(&format!("fix_{name}"), rich_template());
        db.execute(sql);
        repair_and_recheck(&db, &file, name, change, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// `diff --sql` (and with `--allow-destructive`) of `db` against `file`,
/// the script applied, diffed again: 0 mismatches; what went wrong is
/// pushed to `failures`.
fn repair_and_recheck(
    db: &TestDb,
    file: &std::path::Path,
    name: &str,
    change: &str,
    failures: &mut Vec<String>,
) {
    let cautious = diff_against(&db.url, file, &["--sql"]);
    let script = diff_against(&db.url, file, &["--sql", "--allow-destructive"]);
    if cautious.code != 1 || script.code != 1 {
        failures.push(format!(
            "{name}: exit {} / {}\n{}{}{}",
            cautious.code, script.code, cautious.stdout, cautious.stderr, script.stderr
        ));
        return;
    }
    // Removing what the file does not declare is destructive.
    if change == "unexpected" && !cautious.stdout.contains("-- destructive:") {
        failures.push(format!("{name}: nothing held back:\n{}", cautious.stdout));
    }
    // Every change here can be repaired: no note to act by hand.
    if script.stdout.contains("cannot repair") {
        failures.push(format!("{name}: left to do by hand:\n{}", script.stdout));
    }
    let before = diff_against(&db.url, file, &["--format", "json"]);
    if before.code != 1 {
        failures.push(format!("{name}: diff --sql changed the database"));
        return;
    }
    let mut client = db.client();
    if let Err(e) = client.batch_execute(&script.stdout) {
        failures.push(format!("{name}: the SQL failed: {e:?}\n{}", script.stdout));
        return;
    }
    drop(client);
    let after = diff_against(&db.url, file, &["--format", "json"]);
    if after.code != 0 {
        failures.push(format!(
            "{name}: still differs after\n{}\n{}",
            script.stdout, after.stdout
        ));
    }
}

/// For each case (name, setup, mutation, change): a copy of `template` on
/// `server` gets `setup`, is snapshotted (`schemas`) as the expected file,
/// gets `mutation`; the `--sql` repair then leaves 0 mismatches.
fn assert_repairs_after_setup(
    server: &'static Server,
    template: &str,
    schemas: &[&str],
    tag: &str,
    cases: &[(&str, &str, &str, &str)],
) {
    let tmp = TempDir::new(&format!("diff_sql_{tag}"));
    let mut failures = Vec::new();
    for (name, setup, mutation, change) in cases {
        let db = TestDb::from_template_on(server, &format!("fix{tag}_{name}"), template);
        if !setup.is_empty() {
            db.execute(setup);
        }
        let mut args = vec!["snapshot", "--database-url", db.url.as_str()];
        for s in schemas {
            args.extend(["--schema", s]);
        }
        let snap = schemagate(&args);
        assert_eq!(snap.code, 0, "{name}: {snap:?}");
        let file = tmp.write(&format!("{name}.yaml"), &snap.stdout);
        let same = diff_against(&db.url, &file, &[]);
        if same.code != 0 {
            failures.push(format!(
                "{name}: the setup does not round-trip:\n{}",
                same.stdout
            ));
            continue;
        }
        db.execute(mutation);
        repair_and_recheck(&db, &file, name, change, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Issue 13's kinds and function internals, each changed one way on a real
/// database (the rich fixture plus the object the case needs): the repair
/// script brings it back.
#[test]
fn diff_sql_repairs_issue_13_kinds_and_functions() {
    let mut cases: Vec<(&str, &str, &str, &str)> = ISSUE_13_KINDS.to_vec();
    // Extensions beyond plpgsql only where the server has them.
    let db = TestDb::from_template("fix_ext_probe", rich_template());
    let available: i64 = db
        .client()
        .query_one(
            "SELECT count(*) FROM pg_available_extensions WHERE name IN ('citext', 'pg_trgm')",
            &[],
        )
        .unwrap()
        .get(0);
    drop(db);
    if available == 2 {
        cases.extend_from_slice(EXTENSION_KINDS);
    } else {
        eprintln!("citext/pg_trgm not available: extension repair cases skipped");
    }
    assert_repairs_after_setup(
        server(),
        rich_template(),
        &["public", "App Data"],
        "13",
        &cases,
    );
}

/// (name, setup, mutation, change).
#[rustfmt::skip]
const ISSUE_13_KINDS: &[(&str, &str, &str, &str)] = &[
    ("exclusion_missing", "ALTER TABLE notes ADD CONSTRAINT notes_excl EXCLUDE USING btree (body WITH =)", "ALTER TABLE notes DROP CONSTRAINT notes_excl", "missing"),
    ("exclusion_unexpected", "", "ALTER TABLE notes ADD CONSTRAINT notes_excl EXCLUDE USING btree (body WITH =)", "unexpected"),
    ("exclusion_changed", "ALTER TABLE notes ADD CONSTRAINT notes_excl EXCLUDE USING btree (body WITH =)", "ALTER TABLE notes DROP CONSTRAINT notes_excl, ADD CONSTRAINT notes_excl EXCLUDE USING btree (body WITH =) DEFERRABLE", "changed"),
    ("composite_missing", "CREATE TYPE pair AS (a integer, b text)", "DROP TYPE pair", "missing"),
    ("composite_unexpected", "", "CREATE TYPE pair AS (a integer, b text)", "unexpected"),
    ("composite_add_attribute", "CREATE TYPE pair AS (a integer, b text)", "ALTER TYPE pair DROP ATTRIBUTE b", "changed"),
    ("composite_drop_attribute", "CREATE TYPE pair AS (a integer, b text)", "ALTER TYPE pair ADD ATTRIBUTE c date", "changed"),
    ("composite_attribute_type", "CREATE TYPE pair AS (a integer, b text)", "ALTER TYPE pair ALTER ATTRIBUTE a TYPE bigint", "changed"),
    ("statistics_missing", "CREATE STATISTICS notes_stats ON id, body FROM notes", "DROP STATISTICS notes_stats", "missing"),
    ("statistics_unexpected", "", "CREATE STATISTICS notes_stats ON id, body FROM notes", "unexpected"),
    ("statistics_kinds", "CREATE STATISTICS notes_stats (mcv) ON id, body FROM notes", "DROP STATISTICS notes_stats; CREATE STATISTICS notes_stats (ndistinct) ON id, body FROM notes", "changed"),
    // PostgreSQL 14+: statistics on expressions (the test server is 15).
    ("statistics_expressions", "CREATE STATISTICS notes_stats ON (lower(body)), id FROM notes", "DROP STATISTICS notes_stats; CREATE STATISTICS notes_stats ON (upper(body)), id FROM notes", "changed"),
    ("statistics_one_expression", "CREATE STATISTICS notes_lower ON (lower(body)) FROM notes", "DROP STATISTICS notes_lower", "missing"),
    ("collation_missing", "CREATE COLLATION my_c (provider = libc, locale = 'C')", "DROP COLLATION my_c", "missing"),
    ("collation_unexpected", "", "CREATE COLLATION my_c (provider = libc, locale = 'C')", "unexpected"),
    ("set_unlogged", "", "ALTER TABLE notes SET UNLOGGED", "changed"),
    ("set_logged", "ALTER TABLE notes SET UNLOGGED", "ALTER TABLE notes SET LOGGED", "changed"),
    ("no_inherit", "CREATE TABLE base_t (a integer); CREATE TABLE child_t (b integer) INHERITS (base_t)", "ALTER TABLE child_t NO INHERIT base_t", "changed"),
    ("inherit", "CREATE TABLE base_t (a integer); CREATE TABLE child_t (a integer, b integer)", "ALTER TABLE child_t INHERIT base_t", "changed"),
    ("replica_identity_full", "", "ALTER TABLE notes REPLICA IDENTITY FULL", "changed"),
    ("replica_identity_index", "ALTER TABLE notes REPLICA IDENTITY USING INDEX notes_pkey", "ALTER TABLE notes REPLICA IDENTITY DEFAULT", "changed"),
    ("rule_missing", "CREATE RULE notes_keep AS ON DELETE TO notes DO INSTEAD NOTHING", "DROP RULE notes_keep ON notes", "missing"),
    ("rule_unexpected", "", "CREATE RULE notes_keep AS ON DELETE TO notes DO INSTEAD NOTHING", "unexpected"),
    ("rule_changed", "CREATE RULE notes_keep AS ON DELETE TO notes DO INSTEAD NOTHING", "CREATE OR REPLACE RULE notes_keep AS ON UPDATE TO notes DO INSTEAD NOTHING", "changed"),
    ("pk_deferrable", "", "ALTER TABLE notes DROP CONSTRAINT notes_pkey, ADD CONSTRAINT notes_pkey PRIMARY KEY (id) DEFERRABLE", "changed"),
    ("pk_not_deferrable", "ALTER TABLE notes DROP CONSTRAINT notes_pkey, ADD CONSTRAINT notes_pkey PRIMARY KEY (id) DEFERRABLE INITIALLY DEFERRED", "ALTER TABLE notes DROP CONSTRAINT notes_pkey, ADD CONSTRAINT notes_pkey PRIMARY KEY (id)", "changed"),
    ("function_missing", "", "DROP FUNCTION add_numbers(integer, numeric)", "missing"),
    // A SQL function whose body names a table the same script creates later
    // (functions come first): its body is not checked at creation.
    ("function_on_missing_table", "CREATE TABLE counted (id integer); CREATE FUNCTION count_rows() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM counted'", "DROP FUNCTION count_rows(); DROP TABLE counted", "missing"),
    ("function_arguments", "", "DROP FUNCTION add_numbers(integer, numeric); CREATE FUNCTION add_numbers(x integer, y numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$ SELECT x + y $$", "changed"),
    ("function_returns", "", "DROP FUNCTION add_numbers(integer, numeric); CREATE FUNCTION add_numbers(a integer, b numeric) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT (a + b)::bigint $$", "changed"),
    ("function_options", "", "ALTER FUNCTION add_numbers(integer, numeric) VOLATILE STRICT SECURITY DEFINER LEAKPROOF PARALLEL SAFE SET work_mem = '64MB'", "changed"),
    ("function_set_removed", "ALTER FUNCTION add_numbers(integer, numeric) SET search_path = public, pg_temp", "ALTER FUNCTION add_numbers(integer, numeric) RESET ALL", "changed"),
    ("function_language", "CREATE FUNCTION twice(x integer) RETURNS integer LANGUAGE sql AS 'SELECT 2 * x'", "CREATE OR REPLACE FUNCTION twice(x integer) RETURNS integer LANGUAGE plpgsql AS 'BEGIN RETURN 2 * x; END'", "changed"),
    ("procedure_missing", "CREATE PROCEDURE touch(n integer) LANGUAGE sql AS 'SELECT n'", "DROP PROCEDURE touch(integer)", "missing"),
    ("procedure_body", "CREATE PROCEDURE touch(n integer) LANGUAGE sql AS 'SELECT n'", "CREATE OR REPLACE PROCEDURE touch(n integer) LANGUAGE sql AS 'SELECT n + 1'", "changed"),
    ("procedure_unexpected", "", "CREATE PROCEDURE touch(n integer) LANGUAGE sql AS 'SELECT n'", "unexpected"),
    ("standard_body", "CREATE FUNCTION twice(x integer) RETURNS integer LANGUAGE sql BEGIN ATOMIC SELECT 2 * x; END", "CREATE OR REPLACE FUNCTION twice(x integer) RETURNS integer LANGUAGE sql BEGIN ATOMIC SELECT 3 * x; END", "changed"),
];

/// Extensions of the contrib package: installed, removed.
#[rustfmt::skip]
const EXTENSION_KINDS: &[(&str, &str, &str, &str)] = &[
    ("extension_missing", "CREATE EXTENSION citext", "DROP EXTENSION citext", "missing"),
    ("extension_unexpected", "", "CREATE EXTENSION pg_trgm", "unexpected"),
];

/// PostgreSQL 18's features (tests/cases/pg18), each changed one way on
/// 18: the repair script brings them back.
#[test]
fn diff_sql_repairs_postgresql_18_features() {
    let server = server_of(18);
    let template = TestDb::on(server, "fix18_template");
    template.execute(include_str!("../cases/pg18/schema.sql"));
    let name = template.name.clone();
    assert_repairs_after_setup(server, &name, &["public"], "18", PG18_CHANGES);
    drop(template);
}

/// (name, setup, mutation, change) on the PostgreSQL 18 fixture.
#[rustfmt::skip]
const PG18_CHANGES: &[(&str, &str, &str, &str)] = &[
    ("virtual_to_stored", "", "ALTER TABLE rooms DROP COLUMN area; ALTER TABLE rooms ADD COLUMN area integer GENERATED ALWAYS AS (w * h) STORED", "changed"),
    ("stored_to_virtual", "", "ALTER TABLE rooms DROP COLUMN perimeter; ALTER TABLE rooms ADD COLUMN perimeter integer GENERATED ALWAYS AS (2 * (w + h)) VIRTUAL", "changed"),
    ("drop_virtual", "", "ALTER TABLE rooms DROP COLUMN area", "missing"),
    ("drop_without_overlaps", "", "ALTER TABLE bookings DROP CONSTRAINT bookings_seat_key, ADD CONSTRAINT bookings_seat_key UNIQUE (seat, during)", "changed"),
    ("drop_temporal_unique", "", "ALTER TABLE bookings DROP CONSTRAINT bookings_seat_key", "missing"),
    ("check_enforced", "", "ALTER TABLE rooms DROP CONSTRAINT rooms_w_positive, ADD CONSTRAINT rooms_w_positive CHECK (w > 0)", "changed"),
    ("check_not_enforced", "", "ALTER TABLE rooms DROP CONSTRAINT rooms_h_positive, ADD CONSTRAINT rooms_h_positive CHECK (h > 0) NOT ENFORCED", "changed"),
    ("fk_enforced", "", "ALTER TABLE bookings ALTER CONSTRAINT bookings_guest_fk ENFORCED", "changed"),
    ("fk_not_enforced", "", "ALTER TABLE charges ALTER CONSTRAINT charges_booking_fk NOT ENFORCED", "changed"),
    ("fk_period_missing", "", "ALTER TABLE charges DROP CONSTRAINT charges_booking_fk", "missing"),
    ("validate_not_null", "", "ALTER TABLE rooms VALIDATE CONSTRAINT rooms_note_nn", "changed"),
    ("not_null_not_valid", "", "ALTER TABLE rooms ALTER COLUMN w DROP NOT NULL; ALTER TABLE rooms ADD CONSTRAINT rooms_w_nn NOT NULL w NOT VALID", "changed"),
    ("not_null_validated_back", "ALTER TABLE rooms ALTER COLUMN w DROP NOT NULL; ALTER TABLE rooms ADD CONSTRAINT rooms_w_nn NOT NULL w NOT VALID", "ALTER TABLE rooms VALIDATE CONSTRAINT rooms_w_nn", "changed"),
    ("not_null_inherit", "", "ALTER TABLE rooms ALTER COLUMN floor_no DROP NOT NULL; ALTER TABLE rooms ALTER COLUMN floor_no SET NOT NULL", "changed"),
    ("rename_not_null", "", "ALTER TABLE rooms RENAME CONSTRAINT rooms_label_required TO rooms_label_nn", "changed"),
    ("drop_named_not_null", "", "ALTER TABLE rooms ALTER COLUMN label DROP NOT NULL", "changed"),
    ("drop_table", "", "DROP TABLE charges", "missing"),
];

/// Changes to the kinds the single-mutation set leaves out, for the repair
/// test: (name, SQL, change).
#[rustfmt::skip]
const MORE_KINDS: &[(&str, &str, &str)] = &[
    ("drop_view", "DROP VIEW active_customers", "missing"),
    ("drop_matview", "DROP MATERIALIZED VIEW order_counts", "missing"),
    ("drop_sequence", "DROP SEQUENCE \"App Data\".plain_seq", "missing"),
    ("alter_sequence", "ALTER SEQUENCE invoice_numbers INCREMENT 7 CACHE 3", "changed"),
    ("domain_default", "ALTER DOMAIN \"App Data\".positive_int DROP DEFAULT", "changed"),
    ("domain_not_null", "ALTER DOMAIN email_address DROP NOT NULL", "changed"),
    ("extra_function", "CREATE FUNCTION extra_fn(x integer) RETURNS integer LANGUAGE sql AS 'SELECT x'", "unexpected"),
    ("extra_enum", "CREATE TYPE colour AS ENUM ('red')", "unexpected"),
    ("extra_domain", "CREATE DOMAIN short_text AS text", "unexpected"),
    ("extra_sequence", "CREATE SEQUENCE extra_seq", "unexpected"),
    ("extra_view", "CREATE VIEW extra_view AS SELECT 1 AS one", "unexpected"),
    ("detach_partition", "ALTER TABLE events DETACH PARTITION events_2024", "changed"),
    ("drop_partition", "DROP TABLE events_2024", "missing"),
    ("table_comment", "COMMENT ON TABLE customers IS 'Someone else''s words.'", "changed"),
    ("column_comment", "COMMENT ON COLUMN customers.nickname IS NULL", "changed"),
    ("view_comment", "COMMENT ON VIEW active_customers IS NULL", "changed"),
    ("drop_identity", "ALTER TABLE documents ALTER COLUMN id DROP IDENTITY", "changed"),
    ("identity_kind", "ALTER TABLE customers ALTER COLUMN id SET GENERATED BY DEFAULT", "changed"),
    ("drop_generated", "ALTER TABLE \"OrderItems\" ALTER COLUMN total DROP EXPRESSION", "changed"),
    ("collation", "ALTER TABLE customers ALTER COLUMN sort_name TYPE text COLLATE \"POSIX\"", "changed"),
    ("drop_pk", "ALTER TABLE notes DROP CONSTRAINT notes_pkey", "missing"),
    ("rls_disabled", "ALTER TABLE documents DISABLE ROW LEVEL SECURITY", "changed"),
    ("disable_trigger", "ALTER TABLE customers DISABLE TRIGGER customers_set_updated_at", "changed"),
    ("policy_changed", "DROP POLICY documents_insert ON documents; CREATE POLICY documents_insert ON documents FOR INSERT WITH CHECK (true)", "changed"),
    ("extra_policy", "CREATE POLICY extra ON documents FOR SELECT USING (true)", "unexpected"),
    ("extra_trigger", "CREATE TRIGGER extra BEFORE INSERT ON notes FOR EACH ROW EXECUTE FUNCTION set_updated_at()", "unexpected"),
    ("extra_index", "CREATE INDEX notes_body_idx ON notes (body)", "unexpected"),
    ("extra_unique", "ALTER TABLE notes ADD CONSTRAINT notes_body_key UNIQUE (body)", "unexpected"),
    ("extra_check", "ALTER TABLE notes ADD CHECK (body <> '')", "unexpected"),
    ("extra_fk", "ALTER TABLE \"App Data\".\"Settings\" ADD FOREIGN KEY (customer_id) REFERENCES customers (id)", "unexpected"),
    ("unique_deferrable", "ALTER TABLE orders DROP CONSTRAINT orders_number_key; ALTER TABLE orders ADD CONSTRAINT orders_number_key UNIQUE (number)", "changed"),
    ("check_validated", "ALTER TABLE orders VALIDATE CONSTRAINT orders_state_check", "changed"),
    ("drop_schema", "DROP SCHEMA \"App Data\" CASCADE", "missing"),
    ("enum_value_missing", "ALTER TYPE mood RENAME VALUE 'happy' TO 'glad'", "changed"),
    ("add_enum_value_needed", "DROP TABLE \"App Data\".\"Settings\"; CREATE TYPE \"App Data\".tmp AS ENUM ('a')", "missing"),
];

/// `diff --update` over every change of the repair set: the rewritten file
/// then matches the database, and the lines it touched are few (the entry
/// of the changed object, not the whole file).
#[test]
fn diff_update_resolves_every_single_mutation() {
    let tmp = TempDir::new("diff_update");
    let mut failures = Vec::new();
    let all = MUTATIONS
        .iter()
        .map(|(name, sql, ..)| (*name, *sql))
        .chain(MORE_KINDS.iter().map(|(name, sql, _)| (*name, *sql)));
    for (name, sql) in all {
        let file = tmp.write(&format!("{name}.yaml"), rich_snapshot());
        let db = TestDb::from_template(&format!("upd_{name}"), rich_template());
        db.execute(sql);
        let run = diff_against(&db.url, &file, &["--update"]);
        let after = diff_against(&db.url, &file, &[]);
        let text = std::fs::read_to_string(&file).unwrap();
        let touched = line_diff(rich_snapshot(), &text);
        if run.code != 0 || after.code != 0 || touched.is_empty() || touched.len() > 40 {
            failures.push(format!(
                "{name}: exit {} then {}\n{}\n{}\n{}",
                run.code,
                after.code,
                run.stderr,
                after.stdout,
                touched.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Nothing to repair: `--sql` says so and exits 0; `--update` leaves the
/// file byte for byte and says nothing.
#[test]
fn sql_and_update_on_a_matching_database_do_nothing() {
    let tmp = TempDir::new("fix_noop");
    let file = tmp.write("expected_schema.yaml", rich_snapshot());
    let db = TestDb::from_template("fix_noop", rich_template());
    let sql = diff_against(&db.url, &file, &["--sql"]);
    assert_eq!(sql.code, 0, "{}\n{}", sql.stdout, sql.stderr);
    assert!(sql.stdout.contains("nothing to do"), "{}", sql.stdout);
    let update = diff_against(&db.url, &file, &["--update"]);
    assert_eq!(update.code, 0, "{}\n{}", update.stdout, update.stderr);
    assert!(!update.stderr.contains("updated"), "{}", update.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), rich_snapshot());
}
