//! Reports for CI and reviewers (issue 5): `report` end to end, `--base`
//! against a git revision, annotations of a failed migration, the JSON
//! Schema command, and the `--help` texts.

use std::path::Path;
use std::process::Command;

use crate::support::*;

/// `--help` text is part of the interface: a change to it shows in review.
/// COLUMNS pins the wrapping width.
#[test]
fn help_texts() {
    for (name, args) in [
        ("help", &["--help"][..]),
        ("check_help", &["check", "--help"][..]),
        ("report_help", &["report", "--help"][..]),
    ] {
        let run = schemagate_in(&repo_root(), args, &[("COLUMNS", "100")]);
        assert_eq!(run.code, 0, "{run:?}");
        assert!(run.stderr.is_empty(), "{run:?}");
        insta::assert_snapshot!(name, run.stdout);
    }
}

#[test]
fn json_schema_command_prints_the_committed_file() {
    let committed =
        std::fs::read_to_string(repo_root().join("schema/expected_schema.schema.json")).unwrap();
    for command in ["schema", "json-schema"] {
        let run = schemagate(&[command]);
        assert_eq!(run.code, 0, "{run:?}");
        assert!(
            run.stdout == committed,
            "schema/expected_schema.schema.json is stale: regenerate it with \
             `cargo run -- schema > schema/expected_schema.schema.json`"
        );
    }
}

/// The repository stands on its own (issue 18): no committed text names a
/// path of the machine it was built on, such as the schema guide that once
/// lived beside the checkout; docs/synapscale.md describes the schema.
#[test]
fn repository_names_no_path_outside_it() {
    let root = repo_root();
    let listed = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(&root)
        .output()
        .unwrap();
    assert!(listed.status.success());
    // Spelled in pieces so that this file does not match itself.
    let needles = [["/wo", "rk/"].concat(), ["shared/", "SYNAPSCALE"].concat()];
    let mut offenders = Vec::new();
    for path in listed.stdout.split(|b| *b == 0).filter(|p| !p.is_empty()) {
        let path = String::from_utf8_lossy(path).into_owned();
        // The cached PostgreSQL binaries are not ours to edit.
        if path.starts_with(".cache/") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(root.join(&path)) else {
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            if needles.iter().any(|needle| line.contains(needle.as_str())) {
                offenders.push(format!("{path}:{}: {line}", n + 1));
            }
        }
    }
    assert!(offenders.is_empty(), "{}", offenders.join("\n"));
    assert!(root.join("docs/synapscale.md").is_file());
}

/// The Mermaid block of a report: entity names and (parent, child, label)
/// relationships.
fn diagram(report: &str) -> (Vec<String>, Vec<(String, String, String)>) {
    let start = report
        .find("```mermaid\nerDiagram\n")
        .expect("a Mermaid block")
        + 21;
    let end = start + report[start..].find("```").unwrap();
    let relationship =
        regex::Regex::new(r#"^    (\S+) (?:\|\||\|o)(?:--|\.\.)(?:o\{|o\|) (\S+) : "([^"]*)"$"#)
            .unwrap();
    let entity = regex::Regex::new(r"^    ([^\s}]\S*)(?: \{)?$").unwrap();
    let mut entities = Vec::new();
    let mut relationships = Vec::new();
    for line in report[start..end].lines() {
        if let Some(c) = relationship.captures(line) {
            relationships.push((c[1].to_string(), c[2].to_string(), c[3].to_string()));
        } else if let Some(c) = entity.captures(line) {
            entities.push(c[1].to_string());
        } else {
            assert!(
                line.starts_with("        ") || line == "    }",
                "unexpected diagram line {line:?}"
            );
        }
    }
    (entities, relationships)
}

/// The guide's relationship graph, parent (referenced) first.
const GUIDE_RELATIONSHIPS: [(&str, &str); 9] = [
    ("users", "workspaces"),
    ("users", "conversations"),
    ("users", "user_variables"),
    ("workspaces", "workspace_members"),
    ("conversations", "messages"),
    ("messages", "usage_logs"),
    ("agents", "conversations"),
    ("llms", "usage_logs"),
    ("workflows", "workflow_executions"),
];

#[test]
fn report_on_bundled_migrations_shows_every_table_and_the_guide_relationships() {
    let tmp = TempDir::new("report_local");
    let run = schemagate_in(
        &repo_root(),
        &["report", "--target", "local"],
        &[("TMPDIR", tmp.path().to_str().unwrap())],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report = &run.stdout;

    let (entities, relationships) = diagram(report);
    assert_eq!(entities.len(), 20, "{entities:?}");
    for (parent, child) in GUIDE_RELATIONSHIPS {
        assert!(
            relationships
                .iter()
                .any(|(p, c, _)| p == parent && c == child),
            "{parent} -> {child} missing from {relationships:?}"
        );
    }
    assert!(relationships.contains(&("users".into(), "workspaces".into(), "owner_id".into())));

    // The counts the guide's troubleshooting asks for.
    let expected = schemagate::expected::load(&repo_root().join("expected_schema.yaml")).unwrap();
    let fks: usize = expected.schemas["public"]
        .tables
        .values()
        .map(|t| t.foreign_keys.len())
        .sum();
    assert!(report.contains("| tables | 20 |"), "{report}");
    assert!(
        report.contains(&format!("| foreign keys | {fks} |")),
        "{report}"
    );
    assert_eq!(relationships.len(), fks, "one relationship per foreign key");

    // Grouped as the expected file groups them, in its order.
    let groups: Vec<usize> = [
        "### Core",
        "### AI & LLM",
        "### Workflows & automation",
        "### Files & data",
        "### Analytics & monitoring",
        "### Support",
    ]
    .iter()
    .map(|g| {
        let g = g.replace('&', "\\&");
        report
            .find(&format!("{g}\n"))
            .unwrap_or_else(|| panic!("{g}"))
    })
    .collect();
    assert!(groups.windows(2).all(|w| w[0] < w[1]), "group order");
    assert!(!report.contains("### Other"), "every table has a group");
    assert!(report.contains("#### `users`\n\nRegistered user accounts."));
    // One canonical spelling, as `snapshot` writes it.
    assert!(
        report.contains("| `email` | `varchar(255)` | no |"),
        "{report}"
    );
    assert!(report.contains("- **Check:** `status IN ('active', 'suspended', 'deleted')`"));
    assert_no_temp_left(&tmp);
}

/// `report` shows every kind of object the server built (issue 18):
/// policies with USING / WITH CHECK, views, enums, functions, partitions
/// with their bounds under their parent (not as tables of their own, in
/// the document or the diagram), deferrable foreign keys; in the spelling
/// `snapshot` writes; a relationship whose columns are not the child's
/// primary key drawn with `..`.
#[test]
fn report_shows_policies_views_types_functions_and_partitions() {
    let db = TestDb::new("report_kinds");
    db.execute(
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
         CREATE TABLE users (id bigint PRIMARY KEY, email varchar(255) NOT NULL, mood mood);
         CREATE TABLE profiles (user_id bigint PRIMARY KEY REFERENCES users (id));
         CREATE TABLE events (
             at timestamptz NOT NULL,
             user_id bigint REFERENCES users (id) DEFERRABLE INITIALLY DEFERRED
         ) PARTITION BY RANGE (at);
         CREATE TABLE events_2024 PARTITION OF events
             FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
         ALTER TABLE users ENABLE ROW LEVEL SECURITY;
         CREATE POLICY own_rows ON users FOR UPDATE TO PUBLIC
             USING (id = 1) WITH CHECK (email <> '');
         CREATE VIEW happy_users AS SELECT id, email FROM users WHERE mood = 'happy';
         CREATE FUNCTION user_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM users';",
    );
    let run = schemagate_in(
        &std::env::temp_dir(),
        &["report", "--database-url", &db.url],
        &[],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let report = &run.stdout;
    let has = |text: &str| assert!(report.contains(text), "{text:?} in\n{report}");
    has("| tables | 3 |");
    has("| partitions | 1 |");
    has("- **Partitioned by:** `RANGE (at)`");
    has("- **Partition:** `events_2024` `FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2025-01-01 00:00:00+00')`");
    assert!(!report.contains("#### `events_2024`"), "{report}");
    has("| `at` | `timestamptz` | no |  |");
    has("| `email` | `varchar(255)` | no |  |");
    has(", deferrable initially deferred");
    has("- **Policy:** `own_rows` for update to public using `id = 1` with check `email <> ''`");
    has("#### `happy_users` (view)");
    has("- enum `mood`: `sad`, `ok`, `happy`");
    has("- `user_count()` returns `bigint` (sql)");
    let (entities, relationships) = diagram(report);
    assert_eq!(entities, ["events", "profiles", "users"]);
    assert!(
        report.contains("    users |o..o{ events : \"user_id\"\n"),
        "{report}"
    );
    assert!(
        report.contains("    users ||--o| profiles : \"user_id\"\n"),
        "{report}"
    );
    assert_eq!(relationships.len(), 2);
}

#[test]
fn report_of_a_live_database_writes_the_output_file() {
    let db = TestDb::new("report_live");
    crate::core::apply_bundled_migrations(&db);
    let tmp = TempDir::new("report_live");
    let file = tmp.path().join("REPORT.md");
    let run = schemagate_in(
        tmp.path(),
        &[
            "report",
            "--database-url",
            &db.url,
            "-o",
            file.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.is_empty(), "the report goes to the file");
    let report = std::fs::read_to_string(&file).unwrap();
    assert!(report.contains("| tables | 20 |"), "{report}");
    // No expected file in this directory: no groups to take.
    assert!(report.contains("### Other"), "{report}");
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=schemagate tests",
            "-c",
            "user.email=tests@schemagate.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

fn copy_migration(tmp: &TempDir, name: &str) {
    let text = std::fs::read_to_string(repo_root().join("migrations").join(name)).unwrap();
    tmp.write(&format!("migrations/{name}"), &text);
}

#[test]
fn report_with_base_lists_the_tables_the_working_tree_adds() {
    let tmp = TempDir::new("report_base");
    let mut names: Vec<String> = std::fs::read_dir(repo_root().join("migrations"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let (committed, added): (Vec<_>, Vec<_>) = names.iter().partition(|n| !n.starts_with("0006_"));
    for name in &committed {
        copy_migration(&tmp, name);
    }
    git(tmp.path(), &["init", "-q"]);
    git(tmp.path(), &["add", "migrations"]);
    git(tmp.path(), &["commit", "-q", "-m", "migrations 0001-0005"]);
    for name in &added {
        copy_migration(&tmp, name);
    }
    let run_tmp = TempDir::new("report_base_run");
    let run = schemagate_in(
        tmp.path(),
        &["report", "--target", "local", "--base", "HEAD"],
        &[("TMPDIR", run_tmp.path().to_str().unwrap())],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report = &run.stdout;
    assert!(
        report.contains("Compared with `HEAD`: 2 added, 0 removed, 0 changed."),
        "{report}"
    );
    assert!(
        report.contains("### Added\n\n- table `public.message_feedbacks`\n- table `public.tags`\n"),
        "{report}"
    );
    assert!(report.contains("| tables | 20 |"), "{report}");
    assert_no_temp_left(&run_tmp);

    // A revision that is not one: exit 2 before any server starts.
    let run = schemagate_in(tmp.path(), &["report", "--base", "no-such-rev"], &[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("--base no-such-rev"), "{}", run.stderr);
}

#[test]
fn a_failed_migration_is_annotated_for_github() {
    let tmp = TempDir::new("annotate");
    for entry in std::fs::read_dir(repo_root().join("migrations")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        copy_migration(&tmp, &name);
    }
    tmp.write(
        "migrations/0007_broken.up.sql",
        "-- Fails on its third line.\nCREATE TABLE fine (id integer);\nALTER TABLE nope ADD COLUMN x integer;\n",
    );
    tmp.write("migrations/0007_broken.down.sql", "DROP TABLE fine;\n");
    std::fs::copy(
        repo_root().join("expected_schema.yaml"),
        tmp.path().join("expected_schema.yaml"),
    )
    .unwrap();
    let tmpdir = tmp.path().join("tmp");
    std::fs::create_dir(&tmpdir).unwrap();
    let env_tmp = ("TMPDIR", tmpdir.to_str().unwrap());
    let annotation = regex::Regex::new(
        r#"^::error file=migrations/0007_broken\.up\.sql,line=3,col=\d+,title=migration failed::ERROR 42P01: relation "nope" does not exist"#,
    )
    .unwrap();
    for (args, env) in [
        (
            &["check", "--target", "local", "--format", "github"][..],
            vec![env_tmp],
        ),
        (
            &["check", "--target", "local"][..],
            vec![env_tmp, ("GITHUB_ACTIONS", "true")],
        ),
    ] {
        let run = schemagate_in(tmp.path(), args, &env);
        assert_eq!(run.code, 2, "{run:?}");
        assert!(annotation.is_match(run.stdout.trim()), "{}", run.stdout);
        assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
        assert!(
            run.stderr.contains("0007_broken.up.sql:3:"),
            "{}",
            run.stderr
        );
    }
}

/// Nothing of a run is left in its TMPDIR (servers, extracted revisions).
fn assert_no_temp_left(tmp: &TempDir) {
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("schemagate-"))
        .collect();
    assert!(left.is_empty(), "temp dirs left behind: {left:?}");
}
