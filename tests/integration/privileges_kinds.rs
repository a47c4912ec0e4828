//! Privileges the first cut could not declare (issue 13, item 2): grants on
//! composite types, default privileges FOR ROLE a creator, the connected
//! database's grants; and a fleet's note for the roles a database lacks.
//! Each: snapshot → diff matches, one change is one mismatch at its line,
//! `diff --sql` repairs it and `diff --update` rewrites the file to it.

use crate::support::*;

/// Runs `diff --format json` and returns its one mismatch (exit 1).
fn one_mismatch(url: &str, file: &std::path::Path, what: &str) -> serde_json::Value {
    let run = diff_against(url, file, &["--format", "json"]);
    assert_eq!(run.code, 1, "{what}: {}\n{}", run.stdout, run.stderr);
    let json = run.json();
    let found = json["mismatches"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{what}: {found:#?}");
    found[0].clone()
}

/// `diff --sql` brings the database back to the file (exit 0 afterwards).
fn repaired(db: &TestDb, file: &std::path::Path, what: &str) -> String {
    let sql = diff_against(&db.url, file, &["--sql"]);
    assert!(sql.code == 0 || sql.code == 1, "{what}: {sql:?}");
    db.execute(&sql.stdout);
    let run = diff_against(&db.url, file, &[]);
    assert_eq!(
        run.code, 0,
        "{what}: repaired by\n{}\n{}{}",
        sql.stdout, run.stdout, run.stderr
    );
    sql.stdout
}

/// `diff --update` of a copy of `text` makes it match.
fn updated(db: &TestDb, tmp: &TempDir, text: &str, what: &str) -> String {
    let copy = tmp.write("updated.yaml", text);
    let run = diff_against(&db.url, &copy, &["--update"]);
    let after = diff_against(&db.url, &copy, &[]);
    let new = std::fs::read_to_string(&copy).unwrap();
    assert!(
        run.code == 0 && after.code == 0,
        "{what}: --update exit {} then {}: {}{}\n{new}",
        run.code,
        after.code,
        run.stderr,
        after.stdout
    );
    new
}

fn line_of(text: &str, needle: &str) -> u64 {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle} not in\n{text}")) as u64
        + 1
}

fn snapshot(db: &TestDb, schema: &str) -> String {
    let run = schemagate(&[
        "snapshot",
        "--database-url",
        &db.url,
        "--schema",
        schema,
        "--privileges",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    run.stdout
}

const ROLES: &str = r#"
DO $$ BEGIN CREATE ROLE sgt_pk_ro; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE sgt_pk_c1; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE sgt_pk_c2; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
"#;

/// Regression: a composite type's grants were read from the catalog but
/// had no key in the file, so `snapshot --privileges` left them out and a
/// revoked USAGE went unseen. The plain attribute map still loads (an
/// attribute may be called `owner`).
#[test]
fn composite_type_grants_are_declared_compared_and_repaired() {
    let tmp = TempDir::new("privileges_composite");
    let db = TestDb::new("privileges_composite");
    db.execute(ROLES);
    db.execute(
        "CREATE SCHEMA kinds;
         CREATE TYPE kinds.pair AS (a integer, owner text);
         REVOKE USAGE ON TYPE kinds.pair FROM PUBLIC;
         GRANT USAGE ON TYPE kinds.pair TO sgt_pk_ro;",
    );
    let text = snapshot(&db, "kinds");
    let entry =
        "pair: {attributes: {a: integer, owner: text}, owner: postgres, grants: {sgt_pk_ro: ALL}}";
    assert!(text.contains(entry), "{text}");
    let file = tmp.write("expected_schema.yaml", &text);
    let run = diff_against(&db.url, &file, &[]);
    assert_eq!(run.code, 0, "{}\n{}\n{text}", run.stdout, run.stderr);

    db.execute("REVOKE USAGE ON TYPE kinds.pair FROM sgt_pk_ro");
    let m = one_mismatch(&db.url, &file, "revoked USAGE");
    assert_eq!(m["change"], "missing", "{m:#?}");
    assert_eq!(m["object_type"], "grant", "{m:#?}");
    assert_eq!(m["object"], "kinds.pair TO sgt_pk_ro", "{m:#?}");
    assert_eq!(m["line"], line_of(&text, "pair: {"), "{m:#?}");
    let new = updated(&db, &tmp, &text, "revoked USAGE");
    assert!(
        new.contains("pair: {attributes: {a: integer, owner: text}, owner: postgres, grants: {}}"),
        "{new}"
    );
    let sql = repaired(&db, &file, "revoked USAGE");
    assert!(sql.contains("ON TYPE kinds.pair TO sgt_pk_ro"), "{sql}");

    // The plain form, without grants, is what it was: attributes only.
    let plain = tmp.write(
        "plain.yaml",
        "version: 1\nschemas:\n  kinds:\n    composite_types:\n      pair: {a: integer, owner: text}\n",
    );
    let run = diff_against(&db.url, &plain, &[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
}

/// Regression: default privileges were merged over the roles whose new
/// objects they apply to, so moving them from one creator role to another
/// went unseen. `for_role:` compares each creator's exactly; the classes
/// without it keep their meaning (every creator's, merged).
#[test]
fn default_privileges_for_role_are_compared_per_creator() {
    let tmp = TempDir::new("privileges_for_role");
    let db = TestDb::new("privileges_for_role");
    db.execute(ROLES);
    db.execute(
        "CREATE SCHEMA dp;
         ALTER DEFAULT PRIVILEGES FOR ROLE sgt_pk_c1 IN SCHEMA dp GRANT SELECT ON TABLES TO sgt_pk_ro;",
    );
    let text = snapshot(&db, "dp");
    let block = "    default_privileges:\n      for_role:\n        sgt_pk_c1:\n          tables: {sgt_pk_ro: [SELECT]}\n";
    assert!(text.contains(block), "{text}");
    let file = tmp.write("expected_schema.yaml", &text);
    let run = diff_against(&db.url, &file, &[]);
    assert_eq!(run.code, 0, "{}\n{}\n{text}", run.stdout, run.stderr);
    let merged = tmp.write(
        "merged.yaml",
        "version: 1\nroles: [sgt_pk_ro]\nschemas:\n  dp:\n    default_privileges:\n      tables: {sgt_pk_ro: [SELECT]}\n",
    );
    let run = diff_against(&db.url, &merged, &[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);

    // The same grant, now for the tables of another creator.
    db.execute(
        "ALTER DEFAULT PRIVILEGES FOR ROLE sgt_pk_c1 IN SCHEMA dp REVOKE SELECT ON TABLES FROM sgt_pk_ro;
         ALTER DEFAULT PRIVILEGES FOR ROLE sgt_pk_c2 IN SCHEMA dp GRANT SELECT ON TABLES TO sgt_pk_ro;",
    );
    let m = one_mismatch(&db.url, &file, "moved to another creator");
    assert_eq!(m["change"], "missing", "{m:#?}");
    assert_eq!(m["object_type"], "default_privileges", "{m:#?}");
    assert_eq!(
        m["object"], "dp TABLES FOR ROLE sgt_pk_c1 TO sgt_pk_ro",
        "{m:#?}"
    );
    assert_eq!(m["line"], line_of(&text, "tables: {sgt_pk_ro"), "{m:#?}");
    // Merged over creators, nothing changed.
    let run = diff_against(&db.url, &merged, &[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    updated(&db, &tmp, &text, "moved to another creator");
    let sql = repaired(&db, &file, "moved to another creator");
    assert!(
        sql.contains(
            "ALTER DEFAULT PRIVILEGES FOR ROLE sgt_pk_c1 IN SCHEMA dp GRANT SELECT ON TABLES TO sgt_pk_ro"
        ),
        "{sql}"
    );
}

/// Regression: the database's own grants (CONNECT, CREATE, TEMPORARY) were
/// not compared. They are the connected database's, whatever its name.
#[test]
fn database_grants_are_compared_on_the_connected_database() {
    let tmp = TempDir::new("privileges_database");
    let db = TestDb::new("privileges_database");
    db.execute(ROLES);
    db.execute(&format!(
        "GRANT CONNECT ON DATABASE \"{}\" TO sgt_pk_ro",
        db.name
    ));
    let text = "version: 1\nroles: [sgt_pk_ro]\ndatabase:\n  grants: {sgt_pk_ro: [CONNECT]}\nschemas:\n  public:\n";
    let file = tmp.write("expected_schema.yaml", text);
    let run = diff_against(&db.url, &file, &[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let snap = snapshot(&db, "public");
    assert!(
        snap.lines()
            .any(|l| l.starts_with("database: {grants: {") && l.contains("sgt_pk_ro: [CONNECT]")),
        "{snap}"
    );

    db.execute(&format!(
        "GRANT TEMPORARY ON DATABASE \"{}\" TO sgt_pk_ro",
        db.name
    ));
    let m = one_mismatch(&db.url, &file, "TEMPORARY granted");
    assert_eq!(m["change"], "changed", "{m:#?}");
    assert_eq!(m["object_type"], "grant", "{m:#?}");
    assert_eq!(m["object"], "DATABASE TO sgt_pk_ro", "{m:#?}");
    assert_eq!(m["attribute"], "privileges", "{m:#?}");
    assert_eq!(m["expected"], "CONNECT", "{m:#?}");
    assert_eq!(m["actual"], "TEMPORARY, CONNECT", "{m:#?}");
    assert_eq!(m["line"], 4, "{m:#?}");
    let new = updated(&db, &tmp, text, "TEMPORARY granted");
    assert!(
        new.contains("database: {grants: {sgt_pk_ro: [TEMPORARY, CONNECT]}}"),
        "{new}"
    );
    let sql = repaired(&db, &file, "TEMPORARY granted");
    assert!(
        sql.contains(&format!("ON DATABASE {} TO sgt_pk_ro", db.name)),
        "{sql}"
    );
}

/// Regression: in a fleet, a role of `roles:` that a database lacks was
/// skipped without the note a single-database diff gives; now each such
/// database gets it (and the verdict is the same: not compared).
#[test]
fn fleet_notes_the_roles_each_database_lacks() {
    let tmp = TempDir::new("privileges_fleet");
    let a = TestDb::new("privileges_fleet_a");
    let b = TestDb::new("privileges_fleet_b");
    let file = tmp.write(
        "expected_schema.yaml",
        "version: 1\nroles: [sgt_pk_nobody]\nschemas:\n  public:\n    grants: {sgt_pk_nobody: ALL}\n",
    );
    let single = diff_against(&a.url, &file, &[]);
    let note = "owners and grants of sgt_pk_nobody are not compared";
    assert_eq!(single.code, 0, "{single:?}");
    assert!(single.stderr.contains(note), "{single:?}");
    let run = schemagate(&[
        "diff",
        "--database-url",
        &a.url,
        "--database-url",
        &b.url,
        "--expected",
        file.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let notes: Vec<&str> = run.stderr.lines().filter(|l| l.contains(note)).collect();
    assert_eq!(notes.len(), 2, "one per database: {}", run.stderr);
    assert!(notes.iter().all(|l| l.starts_with("note: ")), "{notes:?}");
    assert!(!run.stderr.contains("password="), "{}", run.stderr);
}

/// Regression: `diff --sql` re-creates a function whose result changed with
/// DROP + CREATE, and the new function had PostgreSQL's defaults (EXECUTE
/// for PUBLIC, owned by whoever ran the script) while the diff, which saw
/// the old function's grants match, printed nothing to restore them. The
/// declared owner and grants now follow the CREATE.
#[test]
fn a_function_dropped_and_created_again_gets_its_declared_grants_back() {
    let tmp = TempDir::new("privileges_recreated_function");
    let db = TestDb::new("privileges_recreated_function");
    db.execute(ROLES);
    db.execute(
        "CREATE SCHEMA fx;
         CREATE FUNCTION fx.price(n integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT n * 2 $$;
         ALTER FUNCTION fx.price(integer) OWNER TO sgt_pk_c1;
         REVOKE ALL ON FUNCTION fx.price(integer) FROM PUBLIC;
         GRANT EXECUTE ON FUNCTION fx.price(integer) TO sgt_pk_ro;",
    );
    let text = snapshot(&db, "fx");
    assert!(text.contains("owner: sgt_pk_c1"), "{text}");
    assert!(text.contains("grants: {sgt_pk_ro: ALL}"), "{text}");
    let file = tmp.write("expected_schema.yaml", &text);
    let run = diff_against(&db.url, &file, &[]);
    assert_eq!(run.code, 0, "{}\n{}\n{text}", run.stdout, run.stderr);

    // Same signature, another result type: CREATE OR REPLACE cannot do it.
    db.execute(
        "DROP FUNCTION fx.price(integer);
         CREATE FUNCTION fx.price(n integer) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT n * 2 $$;
         ALTER FUNCTION fx.price(integer) OWNER TO sgt_pk_c1;
         REVOKE ALL ON FUNCTION fx.price(integer) FROM PUBLIC;
         GRANT EXECUTE ON FUNCTION fx.price(integer) TO sgt_pk_ro;",
    );
    let m = one_mismatch(&db.url, &file, "result type");
    assert_eq!(m["object_type"], "function", "{m:#?}");
    let sql = diff_against(&db.url, &file, &["--sql", "--allow-destructive"]);
    assert_eq!(sql.code, 1, "{sql:?}");
    let script = sql.stdout;
    let drop = script
        .find("DROP FUNCTION fx.price(integer);")
        .expect(&script);
    let create = script
        .find("CREATE OR REPLACE FUNCTION fx.price")
        .expect(&script);
    let owner = script
        .find("ALTER ROUTINE fx.price(integer) OWNER TO sgt_pk_c1;")
        .expect(&script);
    let public = script
        .find("REVOKE ALL ON ROUTINE fx.price(integer) FROM PUBLIC;")
        .expect(&script);
    let grant = script
        .find("GRANT ALL ON ROUTINE fx.price(integer) TO sgt_pk_ro;")
        .or_else(|| script.find("GRANT EXECUTE ON ROUTINE fx.price(integer) TO sgt_pk_ro;"))
        .expect(&script);
    assert!(
        drop < create && create < owner && create < public && create < grant,
        "{script}"
    );
    db.execute(&script);
    let run = diff_against(&db.url, &file, &[]);
    assert_eq!(
        run.code, 0,
        "repaired by\n{script}\n{}{}",
        run.stdout, run.stderr
    );
}

/// Regression: the repair of a procedure's owner or grants said `ALTER
/// FUNCTION` and `GRANT ... ON FUNCTION`, which PostgreSQL refuses for a
/// procedure ("is not a function"). Routines are named `ROUTINE`, which
/// both kinds accept.
#[test]
fn a_procedures_owner_and_grants_are_repaired() {
    let tmp = TempDir::new("privileges_procedure");
    let db = TestDb::new("privileges_procedure");
    db.execute(ROLES);
    db.execute(
        "CREATE SCHEMA px;
         CREATE PROCEDURE px.touch(n integer) LANGUAGE sql AS $$ SELECT n $$;
         ALTER PROCEDURE px.touch(integer) OWNER TO sgt_pk_c1;
         REVOKE ALL ON PROCEDURE px.touch(integer) FROM PUBLIC;
         GRANT EXECUTE ON PROCEDURE px.touch(integer) TO sgt_pk_ro;",
    );
    let text = snapshot(&db, "px");
    let file = tmp.write("expected_schema.yaml", &text);
    let run = diff_against(&db.url, &file, &[]);
    assert_eq!(run.code, 0, "{}\n{}\n{text}", run.stdout, run.stderr);
    db.execute(
        "ALTER PROCEDURE px.touch(integer) OWNER TO sgt_pk_c2;
         REVOKE ALL ON PROCEDURE px.touch(integer) FROM sgt_pk_ro;
         GRANT EXECUTE ON PROCEDURE px.touch(integer) TO PUBLIC;",
    );
    let run = diff_against(&db.url, &file, &["--format", "json"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        run.json()["mismatches"].as_array().unwrap().len(),
        3,
        "{}",
        run.stdout
    );
    let sql = repaired(&db, &file, "procedure owner and grants");
    assert!(
        sql.contains("ALTER ROUTINE px.touch(integer) OWNER TO sgt_pk_c1;"),
        "{sql}"
    );
}
