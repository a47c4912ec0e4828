//! From verdict to fix (issue 18): `check --update` rewrites the expected
//! file minimally, `diff --sql` prints the DDL that repairs a database.

use crate::core::{rich_snapshot, rich_template, MUTATIONS};
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
        .map(|(name, sql, change, ..)| (*name, *sql, *change))
        .chain(more);
    for (name, sql, change) in all {
        let db = TestDb::from_template(&format!("fix_{name}"), rich_template());
        db.execute(sql);
        let cautious = diff_against(&db.url, &file, &["--sql"]);
        let script = diff_against(&db.url, &file, &["--sql", "--allow-destructive"]);
        if cautious.code != 1 || script.code != 1 {
            failures.push(format!(
                "{name}: exit {} / {}\n{}{}",
                cautious.code, script.code, cautious.stderr, script.stderr
            ));
            continue;
        }
        // Removing what the file does not declare is destructive.
        if change == "unexpected" && !cautious.stdout.contains("-- destructive:") {
            failures.push(format!("{name}: nothing held back:\n{}", cautious.stdout));
        }
        let before = diff_against(&db.url, &file, &["--format", "json"]);
        if before.code != 1 {
            failures.push(format!("{name}: diff --sql changed the database"));
            continue;
        }
        let mut client = db.client();
        if let Err(e) = client.batch_execute(&script.stdout) {
            failures.push(format!("{name}: the SQL failed: {e:?}\n{}", script.stdout));
            continue;
        }
        drop(client);
        let after = diff_against(&db.url, &file, &["--format", "json"]);
        if after.code != 0 {
            failures.push(format!(
                "{name}: still differs after\n{}\n{}",
                script.stdout, after.stdout
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

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
