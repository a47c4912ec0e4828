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
    for (name, sql, change, ..) in MUTATIONS {
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
        if *change == "unexpected" && !cautious.stdout.contains("-- destructive:") {
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
