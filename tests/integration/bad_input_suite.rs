//! The bad-input suite: malformed expected files and migration directories.
//! Each exits 2 with a message naming the file (and the line where there is
//! one), and never panics. Nothing here reaches a database: input is checked
//! before any connection or server start.

use crate::support::*;

const UNREACHABLE: &str = "postgres://nobody:Never-Printed-1@127.0.0.1:1/x";

fn assert_rejected(run: &Run, file: &str, line: Option<u32>, what: &str) {
    assert_eq!(run.code, 2, "{what}: {run:?}");
    assert!(!run.stderr.contains("panicked"), "{what}: {}", run.stderr);
    assert!(
        run.stderr.contains(file),
        "{what}: stderr does not name {file}:\n{}",
        run.stderr
    );
    if let Some(line) = line {
        let at = format!("{file}:{line}:");
        assert!(
            run.stderr.contains(&at),
            "{what}: stderr lacks {at}:\n{}",
            run.stderr
        );
    }
    assert!(
        !run.stderr.contains("cannot connect"),
        "{what}: input must be checked before connecting"
    );
}

/// Expected files: (what, content, line of the error).
fn yaml_cases() -> Vec<(&'static str, Vec<u8>, Option<u32>)> {
    let t = |body: &str| {
        format!("version: 1\nschemas:\n  public:\n    tables:\n      t:\n{body}").into_bytes()
    };
    vec![
        ("syntax error", b"version: 1\nschemas:\n  public: {tables: [\n".to_vec(), None),
        ("unknown top-level key", b"version: 1\nschemes: {}\n".to_vec(), Some(2)),
        ("unknown table key", t("        colums: {}\n"), Some(6)),
        ("unknown column key", t("        columns:\n          id: {type: int, nulable: false}\n"), Some(7)),
        ("wrong value type", t("        columns:\n          id: {type: int, nullable: maybe}\n"), Some(7)),
        ("duplicate column", t("        columns:\n          id: int\n          id: bigint\n"), Some(8)),
        ("duplicate table", b"version: 1\nschemas:\n  public:\n    tables:\n      t: {}\n      t: {}\n".to_vec(), Some(6)),
        ("empty file", b"".to_vec(), Some(1)),
        ("only a comment", b"# nothing here\n".to_vec(), Some(1)),
        ("binary garbage", vec![0x00, 0xff, 0x13, 0x37, 0x00, 0x01, 0x02, 0xfe], Some(1)),
        ("not UTF-8", b"version: 1\nschemas:\n  public:\n    tables:\n      t\xe9: {}\n".to_vec(), Some(5)),
        ("unsupported version", b"version: 2\nschemas: {}\n".to_vec(), Some(1)),
        ("tables as a list", b"version: 1\nschemas:\n  public:\n    tables: [a, b]\n".to_vec(), Some(4)),
        ("column without type", t("        columns:\n          id: {nullable: false}\n"), Some(7)),
        ("unknown on_delete", t("        columns:\n          a: int\n        foreign_keys:\n          - {columns: [a], references: {table: u, columns: [id]}, on_delete: explode}\n"), Some(9)),
        ("foreign key column count", t("        columns:\n          a: int\n        foreign_keys:\n          - {columns: [a], references: {table: u, columns: [x, y]}}\n"), Some(9)),
        ("primary key on undeclared column", t("        columns:\n          a: int\n        primary_key: [b]\n"), Some(8)),
        ("bad identity", t("        columns:\n          a: {type: int, identity: sometimes}\n"), Some(7)),
        ("nullable primary key", t("        columns:\n          a: {type: int, nullable: true}\n        primary_key: [a]\n"), Some(7)),
        ("bad trigger timing", t("        triggers:\n          - {name: x, timing: during, events: [insert], function: f()}\n"), Some(7)),
        ("duplicate trigger", t("        triggers:\n          - {name: x, timing: before, events: [insert], function: f()}\n          - {name: x, timing: after, events: [insert], function: f()}\n"), Some(8)),
        ("bad policy command", t("        policies:\n          - {name: p, command: upsert}\n"), Some(7)),
        ("function key without signature", b"version: 1\nschemas:\n  public:\n    functions:\n      f: {returns: int, language: sql}\n".to_vec(), Some(5)),
        ("index without columns", t("        indexes:\n          - {columns: []}\n"), Some(7)),
        ("tab indentation", b"version: 1\nschemas:\n\tpublic: {}\n".to_vec(), Some(3)),
        ("deep nesting", format!("version: 1\nignore: {}{}\n", "[".repeat(5000), "]".repeat(5000)).into_bytes(), None),
        (
            "alias bomb",
            b"version: 1\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n".to_vec(),
            None,
        ),
        ("sequence increment zero", b"version: 1\nschemas:\n  public:\n    sequences:\n      s: {increment: 0}\n".to_vec(), Some(5)),
        // A file beyond the size limit (now 256 MiB): see
        // fleet::expected_file_beyond_the_limit_is_refused_unread, which
        // uses a sparse file instead of writing that much.
    ]
}

#[test]
fn malformed_expected_files_exit_2_with_file_and_line() {
    let tmp = TempDir::new("bad_yaml");
    for (i, (what, content, line)) in yaml_cases().into_iter().enumerate() {
        let name = format!("case{i}.yaml");
        std::fs::write(tmp.path().join(&name), &content).unwrap();
        let run = schemagate_in(
            tmp.path(),
            &["diff", "--database-url", UNREACHABLE, "--expected", &name],
            &[],
        );
        assert_rejected(&run, &name, line, what);
    }
}

#[test]
fn a_bom_and_crlf_line_endings_are_accepted() {
    let db = TestDb::new("bom_crlf");
    db.execute("CREATE TABLE t (id integer)");
    let tmp = TempDir::new("bom");
    let text = "\u{feff}version: 1\r\nschemas:\r\n  public:\r\n    tables:\r\n      t:\r\n        columns:\r\n          id: integer\r\n";
    tmp.write("e.yaml", text);
    let run = schemagate_in(
        tmp.path(),
        &["diff", "--database-url", &db.url, "--expected", "e.yaml"],
        &[],
    );
    assert_eq!(run.code, 0, "{run:?}");
}

#[test]
fn unreadable_expected_files_are_named() {
    let tmp = TempDir::new("unreadable");
    std::fs::create_dir(tmp.path().join("dir.yaml")).unwrap();
    std::os::unix::fs::symlink("loop2.yaml", tmp.path().join("loop1.yaml")).unwrap();
    std::os::unix::fs::symlink("loop1.yaml", tmp.path().join("loop2.yaml")).unwrap();
    for name in ["dir.yaml", "loop1.yaml", "missing.yaml"] {
        let run = schemagate_in(
            tmp.path(),
            &["diff", "--database-url", UNREACHABLE, "--expected", name],
            &[],
        );
        assert_rejected(&run, name, None, name);
    }
}

/// Migration directories: (what, files, the file the error names, its line).
#[allow(clippy::type_complexity)]
fn migration_cases() -> Vec<(
    &'static str,
    Vec<(&'static str, Vec<u8>)>,
    &'static str,
    Option<u32>,
)> {
    let ok = |s: &str| s.as_bytes().to_vec();
    vec![
        (
            "gap in numbering",
            vec![
                ("0001_a.up.sql", ok("SELECT 1;")),
                ("0001_a.down.sql", ok("SELECT 1;")),
                ("0003_c.up.sql", ok("SELECT 1;")),
                ("0003_c.down.sql", ok("SELECT 1;")),
            ],
            "0003_c",
            None,
        ),
        (
            "duplicate version",
            vec![
                ("0001_a.up.sql", ok("SELECT 1;")),
                ("0001_b.up.sql", ok("SELECT 1;")),
            ],
            "0001_b",
            None,
        ),
        (
            "not UTF-8",
            vec![
                ("0001_a.up.sql", b"SELECT 1;\nSELECT '\xff';\n".to_vec()),
                ("0001_a.down.sql", ok("SELECT 1;")),
            ],
            "0001_a.up.sql",
            None,
        ),
        (
            "badly named SQL file",
            vec![
                ("0001_a.up.sql", ok("SELECT 1;")),
                ("0001_a.down.sql", ok("SELECT 1;")),
                ("create_users.sql", ok("SELECT 1;")),
            ],
            "create_users.sql",
            None,
        ),
        (
            "binary garbage",
            vec![
                ("0001_a.up.sql", vec![0, 159, 146, 150, 0, 0xff]),
                ("0001_a.down.sql", ok("SELECT 1;")),
            ],
            "0001_a.up.sql",
            None,
        ),
    ]
}

#[test]
fn malformed_migration_directories_exit_2_before_any_server_starts() {
    for (i, (what, files, named, line)) in migration_cases().into_iter().enumerate() {
        let tmp = TempDir::new(&format!("bad_mig{i}"));
        for (name, content) in &files {
            tmp.write(&format!("migrations/{name}"), "");
            std::fs::write(tmp.path().join("migrations").join(name), content).unwrap();
        }
        tmp.write(
            "expected_schema.yaml",
            "version: 1\nschemas:\n  public: {}\n",
        );
        // An unreachable scratch server: reaching it would be a connect error.
        let run = schemagate_in(
            tmp.path(),
            &["check", "--target", UNREACHABLE],
            &[("TMPDIR", tmp.path().to_str().unwrap())],
        );
        assert_rejected(&run, named, line, what);
    }
}

#[test]
fn missing_or_looping_migration_directories_are_named() {
    let tmp = TempDir::new("mig_dirs");
    tmp.write(
        "expected_schema.yaml",
        "version: 1\nschemas:\n  public: {}\n",
    );
    std::os::unix::fs::symlink("loop_b", tmp.path().join("loop_a")).unwrap();
    std::os::unix::fs::symlink("loop_a", tmp.path().join("loop_b")).unwrap();
    for dir in ["no_such_dir", "loop_a", "expected_schema.yaml"] {
        let run = schemagate_in(
            tmp.path(),
            &["check", "--target", UNREACHABLE, "--migrations", dir],
            &[],
        );
        assert_rejected(&run, dir, None, dir);
    }
}
