//! Privileges and owners, opt-in (issue 13, item 2): the bundled file's
//! grants hold after `bootstrap` + migrations, one change of each kind is
//! exactly one mismatch, and `snapshot --privileges` reads back as a match.

use crate::support::*;

const ROLE: &str = "sgt_priv_user";
const OTHER: &str = "sgt_priv_other";
const PASSWORD: &str = "Priv-Secret-4412";

/// The bundled file for `ROLE` (a role of its own, so that other tests on
/// this server never meet its grants), with an owner and grants on `users`
/// and an owner alone on `tags`.
fn expected_for_role(tmp: &TempDir) -> (std::path::PathBuf, String) {
    let bundled = std::fs::read_to_string(repo_root().join("expected_schema.yaml")).unwrap();
    let text = bundled.replace("synapscale_user", ROLE);
    let users = "      users:\n        group: Core\n";
    assert!(text.contains(users), "fixture moved");
    let text = text.replacen(
        users,
        &format!("      users:\n        owner: {ROLE}\n        grants: {{{ROLE}: ALL}}\n        group: Core\n"),
        1,
    );
    let tags = "      tags:\n";
    assert!(text.contains(tags), "fixture moved");
    let text = text.replacen(tags, &format!("      tags:\n        owner: {ROLE}\n"), 1);
    (tmp.write("expected_schema.yaml", &text), text)
}

fn line_of(text: &str, needle: &str) -> u64 {
    text.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1
}

/// `bootstrap` + `migrate up` as the application role, as the guide's
/// steps 1 and 2 do.
fn bootstrapped(name: &str, role: &str) -> (TestDb, String) {
    let admin = server().url.clone();
    let run = schemagate_in(
        &repo_root(),
        &[
            "bootstrap",
            "--admin-url",
            &admin,
            "--database",
            name,
            "--role",
            role,
        ],
        &[("SYNAPSCALE_DB_PASSWORD", PASSWORD)],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let db = TestDb::adopt(name);
    let as_role = db.url_as(role, PASSWORD);
    let run = schemagate_in(
        &repo_root(),
        &["migrate", "up", "--database-url", &as_role],
        &[],
    );
    assert_eq!(run.code, 0, "{run:?}");
    (db, as_role)
}

/// The SQL of a change, its undoing by hand, and the one mismatch it
/// gives: change, object type, object, attribute and line.
type Case<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    Option<&'a str>,
    u64,
);

#[test]
fn privileges_after_bootstrap_match_and_each_change_is_one_mismatch() {
    let tmp = TempDir::new("privileges");
    let (db, _) = bootstrapped("sgt_priv_db", ROLE);
    let (file, text) = expected_for_role(&tmp);
    let run = diff_against(&db.url, &file, &["--format", "json"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);

    db.execute(&format!(
        "DO $$ BEGIN CREATE ROLE {OTHER}; EXCEPTION WHEN duplicate_object THEN NULL; END $$"
    ));
    // `users:`, then its `owner:`, then its `grants:`.
    let users_grants = line_of(&text, "      users:") + 2;
    let cases: [Case; 6] = [
        (
            "REVOKE TRUNCATE ON users FROM {ROLE}",
            "GRANT ALL ON users TO {ROLE}",
            "changed",
            "grant",
            "public.users TO {ROLE}",
            Some("privileges"),
            users_grants,
        ),
        (
            "GRANT SELECT (email) ON users TO {ROLE}",
            "REVOKE SELECT (email) ON users FROM {ROLE}",
            "unexpected",
            "grant",
            "public.users.email TO {ROLE}",
            None,
            // Unexpected: the line of its table, as for other objects.
            users_grants - 2,
        ),
        (
            "GRANT USAGE ON SCHEMA public TO {ROLE} WITH GRANT OPTION",
            "REVOKE GRANT OPTION FOR USAGE ON SCHEMA public FROM {ROLE}",
            "changed",
            "grant",
            "public TO {ROLE}",
            Some("grant_option"),
            line_of(&text, &format!("    grants: {{{ROLE}: ALL}}")),
        ),
        (
            "ALTER TABLE tags OWNER TO {OTHER}",
            "ALTER TABLE tags OWNER TO {ROLE}",
            "changed",
            "table",
            "public.tags",
            Some("owner"),
            line_of(&text, "      tags:"),
        ),
        (
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE TRUNCATE ON TABLES FROM {ROLE}",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO {ROLE}",
            "changed",
            "default_privileges",
            "public TABLES TO {ROLE}",
            Some("privileges"),
            line_of(&text, &format!("tables: {{{ROLE}: ALL}}")),
        ),
        (
            // The connected database, whatever its name (the real one differs).
            "REVOKE TEMPORARY ON DATABASE sgt_priv_db FROM {ROLE}",
            "GRANT ALL ON DATABASE sgt_priv_db TO {ROLE}",
            "changed",
            "grant",
            "DATABASE TO {ROLE}",
            Some("privileges"),
            line_of(&text, "database: {grants:"),
        ),
    ];
    let fill = |s: &str| s.replace("{ROLE}", ROLE).replace("{OTHER}", OTHER);
    for (change_sql, undo_sql, change, object_type, object, attribute, line) in cases {
        db.execute(&fill(change_sql));
        let run = diff_against(&db.url, &file, &["--format", "json"]);
        assert_eq!(run.code, 1, "{change_sql}: {}\n{}", run.stdout, run.stderr);
        let json = run.json();
        let found = json["mismatches"].as_array().unwrap();
        assert_eq!(found.len(), 1, "{change_sql}: {found:#?}");
        let m = &found[0];
        assert_eq!(m["change"], change, "{change_sql}: {m:#?}");
        assert_eq!(m["object_type"], object_type, "{change_sql}: {m:#?}");
        assert_eq!(m["object"], fill(object).as_str(), "{change_sql}: {m:#?}");
        match attribute {
            Some(a) => assert_eq!(m["attribute"], a, "{change_sql}: {m:#?}"),
            None => assert!(m["attribute"].is_null(), "{change_sql}: {m:#?}"),
        }
        assert_eq!(m["line"], line, "{change_sql}: {m:#?}");
        // `diff --update` rewrites the file to it, a line or two.
        let copy = tmp.write("updated.yaml", &text);
        let run = diff_against(&db.url, &copy, &["--update"]);
        let after = diff_against(&db.url, &copy, &[]);
        let updated = std::fs::read_to_string(&copy).unwrap();
        let touched = updated
            .lines()
            .zip(text.lines())
            .filter(|(u, t)| u != t)
            .count();
        assert!(
            run.code == 0 && after.code == 0 && (1..=2).contains(&touched),
            "{change_sql}: --update exit {} then {}: {}{}\n{updated}",
            run.code,
            after.code,
            run.stderr,
            after.stdout
        );
        // `diff --sql` repairs it (GRANT/REVOKE/ALTER ... OWNER TO).
        let sql = diff_against(&db.url, &file, &["--sql"]);
        assert!(sql.code == 0 || sql.code == 1, "{sql:?}");
        db.execute(&sql.stdout);
        let run = diff_against(&db.url, &file, &[]);
        assert_eq!(
            run.code, 0,
            "{change_sql} repaired by\n{}\n(by hand: {undo_sql}): {}\n{}",
            sql.stdout, run.stdout, run.stderr
        );
    }
}

/// What `snapshot --privileges` writes reads back as a match; without the
/// flag, nothing about privileges is written (opt-in).
#[test]
fn snapshot_with_privileges_round_trips() {
    let tmp = TempDir::new("privileges_snapshot");
    // A role of its own: two tests creating one role at once would collide.
    let role = "sgt_priv_snap_user";
    let (db, _) = bootstrapped("sgt_priv_snap_db", role);
    let out = tmp.path().join("snap.yaml");
    let run = schemagate(&[
        "snapshot",
        "--database-url",
        &db.url,
        "--privileges",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("roles: ["), "{text}");
    assert!(text.contains(&format!("owner: {role}")), "{text}");
    assert!(text.contains("default_privileges:"), "{text}");
    let run = diff_against(&db.url, &out, &[]);
    assert_eq!(run.code, 0, "{}\n{}\n{text}", run.stdout, run.stderr);

    let plain = schemagate(&["snapshot", "--database-url", &db.url]);
    assert_eq!(plain.code, 0, "{plain:?}");
    assert!(!plain.stdout.contains("grants:") && !plain.stdout.contains("roles:"));
}

/// Every kind of grant the model reads, on a schema of its own.
const FIXTURE: &str = r#"
DO $$ BEGIN CREATE ROLE sgt_pv_app; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE sgt_pv_ro; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA app;
GRANT USAGE ON SCHEMA app TO sgt_pv_ro;
GRANT USAGE, CREATE ON SCHEMA app TO sgt_pv_app WITH GRANT OPTION;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO sgt_pv_ro;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT USAGE ON SEQUENCES TO sgt_pv_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA app REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
CREATE DOMAIN app.email AS text;
CREATE TYPE app.mood AS ENUM ('sad', 'happy');
GRANT USAGE ON TYPE app.mood TO sgt_pv_app WITH GRANT OPTION;
CREATE TABLE app.t (id integer PRIMARY KEY, secret text, e app.email);
CREATE SEQUENCE app.s;
CREATE VIEW app.v AS SELECT id FROM app.t;
CREATE FOREIGN DATA WRAPPER sgt_pv_fdw;
CREATE SERVER sgt_pv_server FOREIGN DATA WRAPPER sgt_pv_fdw;
CREATE FOREIGN TABLE app.ft (a integer) SERVER sgt_pv_server;
GRANT SELECT ON app.ft TO sgt_pv_ro;
CREATE FUNCTION app.f(integer) RETURNS integer LANGUAGE sql AS 'SELECT $1';
GRANT SELECT, INSERT ON app.t TO sgt_pv_app;
GRANT UPDATE (secret) ON app.t TO sgt_pv_ro;
GRANT SELECT ON app.v TO sgt_pv_ro WITH GRANT OPTION;
GRANT USAGE ON SEQUENCE app.s TO sgt_pv_app;
GRANT EXECUTE ON FUNCTION app.f(integer) TO sgt_pv_app;
REVOKE USAGE ON DOMAIN app.email FROM PUBLIC;
GRANT USAGE ON DOMAIN app.email TO sgt_pv_ro;
ALTER TABLE app.t OWNER TO sgt_pv_app;
"#;

/// On every tested major: `snapshot --privileges` of every kind of grant
/// reads back as a match, and one revoked privilege is one mismatch.
#[test]
fn privileges_round_trip_on_every_version() {
    for major in MAJORS {
        let server = server_of(major);
        let db = TestDb::on(server, &format!("privileges_pg{major}"));
        db.execute(FIXTURE);
        let run = schemagate(&[
            "snapshot",
            "--database-url",
            &db.url,
            "--schema",
            "app",
            "--privileges",
        ]);
        assert_eq!(run.code, 0, "PostgreSQL {major}: {run:?}");
        let text = run.stdout;
        for needle in [
            "sgt_pv_ro: [UPDATE]",
            "WITH GRANT OPTION",
            "default_privileges:",
        ] {
            assert!(
                text.contains(needle),
                "PostgreSQL {major}: {needle}\n{text}"
            );
        }
        assert!(
            text.lines()
                .any(|l| l.contains("ft: {server") && l.contains("grants: {sgt_pv_ro: [SELECT]}")),
            "PostgreSQL {major}: the foreign table's grants\n{text}"
        );
        let tmp = TempDir::new(&format!("privileges_pg{major}"));
        let file = tmp.write("expected_schema.yaml", &text);
        let run = diff_against(&db.url, &file, &[]);
        assert_eq!(
            run.code, 0,
            "PostgreSQL {major}: {}\n{}\n{text}",
            run.stdout, run.stderr
        );

        db.execute("REVOKE INSERT ON app.t FROM sgt_pv_app");
        let run = diff_against(&db.url, &file, &["--format", "json"]);
        assert_eq!(run.code, 1, "PostgreSQL {major}: {run:?}");
        let json = run.json();
        let found = json["mismatches"].as_array().unwrap();
        assert_eq!(found.len(), 1, "PostgreSQL {major}: {found:#?}");
        assert_eq!(found[0]["object"], "app.t TO sgt_pv_app");
        assert_eq!(found[0]["attribute"], "privileges");
    }
}
