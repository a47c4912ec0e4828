//! TLS, libpq environment, and passwords kept out of every output (issue 7).

use std::path::Path;
use std::process::Command;

use crate::support::*;

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA, a server certificate for DNS name `localhost` only (not the IP),
/// and an unrelated second CA.
fn make_certificates(dir: &Path) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=schemagate test CA",
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "other.key",
            "-out",
            "other-ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=someone else",
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=localhost",
        ],
    );
    std::fs::write(dir.join("san.ext"), "subjectAltName=DNS:localhost\n").unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.crt",
            "-days",
            "2",
            "-extfile",
            "san.ext",
        ],
    );
    // The server reads its key as the postgres OS user, and insists on 0600.
    let uid: u32 = String::from_utf8(
        Command::new("id")
            .args(["-u", "postgres"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .trim()
    .parse()
    .unwrap_or(0);
    for f in ["server.key", "server.crt"] {
        let p = dir.join(f);
        if unsafe { libc::geteuid() } == 0 {
            std::os::unix::fs::chown(&p, Some(uid), None).unwrap();
        }
        std::fs::set_permissions(&p, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    }
    std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn tls_require_and_verify_full_against_a_self_signed_server() {
    let tmp = TempDir::new("tls");
    make_certificates(tmp.path());
    let port = free_port();
    let server = schemagate::throwaway::local::start(&schemagate::throwaway::local::LocalOptions {
        port,
        extra_args: [
            "listen_addresses=127.0.0.1",
            "ssl=on",
            &format!("ssl_cert_file={}", tmp.path().join("server.crt").display()),
            &format!("ssl_key_file={}", tmp.path().join("server.key").display()),
        ]
        .iter()
        .flat_map(|a| ["-c".to_string(), a.to_string()])
        .collect(),
        ..Default::default()
    })
    .expect("start a TLS server");
    let expected = tmp.write("e.yaml", "version: 1\nschemas:\n  public: {}\n");
    let ca = tmp.path().join("ca.pem");
    let other = tmp.path().join("other-ca.pem");
    let url = |host: &str, mode: &str, root: &Path| {
        format!(
            "postgresql://postgres@{host}:{port}/postgres?sslmode={mode}&sslrootcert={}",
            root.display()
        )
    };
    let diff = |u: &str| {
        schemagate(&[
            "diff",
            "--database-url",
            u,
            "--expected",
            expected.to_str().unwrap(),
        ])
    };

    // verify-full with the right CA and name; the session really is encrypted.
    let ok = url("localhost", "verify-full", &ca);
    let run = diff(&ok);
    assert_eq!(run.code, 0, "{run:?}");
    let mut client = schemagate::db::connect(&ok, std::time::Duration::from_secs(5)).unwrap();
    let ssl: bool = client
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(ssl, "the connection is not encrypted");

    // require: encrypted without verification.
    let run = diff(&format!(
        "postgresql://postgres@127.0.0.1:{port}/postgres?sslmode=require"
    ));
    assert_eq!(run.code, 0, "{run:?}");

    // verify-full refuses an unknown CA and a host name the certificate lacks.
    let run = diff(&url("localhost", "verify-full", &other));
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.to_lowercase().contains("certificate"),
        "{}",
        run.stderr
    );
    let run = diff(&url("127.0.0.1", "verify-full", &ca));
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.to_lowercase().contains("certificate"),
        "{}",
        run.stderr
    );
    // verify-ca checks the chain only.
    let run = diff(&url("127.0.0.1", "verify-ca", &ca));
    assert_eq!(run.code, 0, "{run:?}");

    // libpq's environment, with no URL at all.
    let env = [
        ("PGHOST", "localhost"),
        ("PGPORT", &port.to_string()),
        ("PGUSER", "postgres"),
        ("PGDATABASE", "postgres"),
        ("PGSSLMODE", "verify-full"),
        ("PGSSLROOTCERT", ca.to_str().unwrap()),
    ];
    let run = schemagate_in(
        &repo_root(),
        &["diff", "--expected", expected.to_str().unwrap()],
        &env,
    );
    assert_eq!(run.code, 0, "{run:?}");
    let run = schemagate_in(&repo_root(), &["snapshot"], &env);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("public: {}") || run.stdout.contains("public:"),
        "{}",
        run.stdout
    );
    drop(server);
}

#[test]
fn unknown_sslmode_is_a_clear_error() {
    let run = schemagate(&[
        "snapshot",
        "--database-url",
        "postgres://u:Pw-77aa@127.0.0.1:1/x?sslmode=sometimes",
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("unknown sslmode `sometimes`"),
        "{}",
        run.stderr
    );
    assert!(!run.all_output().contains("Pw-77aa"));
}

/// Every error path, fed a recognisable password, never prints it.
#[test]
fn no_error_path_prints_a_password() {
    const PW: &str = "Pw-Recognisable-4242";
    let tmp = TempDir::new("secrets");
    let expected = tmp.write("e.yaml", "version: 1\nschemas:\n  public: {}\n");
    let bad_yaml = tmp.write("bad.yaml", "version: 1\nschemas: [\n");
    let e = expected.to_str().unwrap();
    let b = bad_yaml.to_str().unwrap();
    let refused = format!("postgres://user:{PW}@127.0.0.1:1/db");
    let kv = format!("host=127.0.0.1 port=1 user=u password={PW} dbname=d");
    let quoted = format!("host=127.0.0.1 port=1 password='{PW} x' dbname=d");
    let bad_url = format!("postgres://user:{PW}@[nonsense/db?port=abc");
    let db = TestDb::new("secrets");
    db.execute(
        "DO $$ BEGIN
           IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sg_secret_user') THEN
             CREATE ROLE sg_secret_user LOGIN PASSWORD 'right-one';
           END IF;
         END $$;",
    );
    let wrong_pw = db.url_as("sg_secret_user", PW);
    tmp.write("migrations/0001_bad.up.sql", "SELECT 1;\nSELECT nope;\n");
    tmp.write("migrations/0001_bad.down.sql", "SELECT 1;\n");
    let migrations = tmp.path().join("migrations");
    let m = migrations.to_str().unwrap();
    let scratch = format!("postgres://user:{PW}@127.0.0.1:1/postgres");
    let mysql = format!("mysql://u:{PW}@h/x");
    type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>);
    let cases: Vec<Case> = vec![
        (
            vec!["diff", "--database-url", &refused, "--expected", e],
            vec![],
        ),
        (vec!["diff", "--database-url", &kv, "--expected", e], vec![]),
        (
            vec!["diff", "--database-url", &quoted, "--expected", e],
            vec![],
        ),
        (
            vec!["diff", "--database-url", &bad_url, "--expected", e],
            vec![],
        ),
        (
            vec!["diff", "--database-url", &refused, "--expected", b],
            vec![],
        ),
        (
            vec!["diff", "--database-url", &wrong_pw, "--expected", e],
            vec![],
        ),
        (vec!["snapshot", "--database-url", &wrong_pw], vec![]),
        (vec!["snapshot"], vec![("DATABASE_URL", &refused)]),
        (
            vec!["snapshot"],
            vec![("PGHOST", "127.0.0.1"), ("PGPORT", "1"), ("PGPASSWORD", PW)],
        ),
        (
            vec![
                "snapshot",
                "--database-url",
                &wrong_pw,
                "-o",
                "/nonexistent/dir/x.yaml",
            ],
            vec![],
        ),
        (
            vec![
                "migrate",
                "up",
                "--database-url",
                &refused,
                "--migrations",
                m,
            ],
            vec![],
        ),
        (
            vec![
                "migrate",
                "status",
                "--database-url",
                &wrong_pw,
                "--migrations",
                m,
            ],
            vec![],
        ),
        (
            vec![
                "check",
                "--target",
                &scratch,
                "--migrations",
                m,
                "--expected",
                e,
            ],
            vec![],
        ),
        (
            vec![
                "check",
                "--target",
                &mysql,
                "--migrations",
                m,
                "--expected",
                e,
            ],
            vec![],
        ),
        (
            vec!["bootstrap", "--admin-url", &refused],
            vec![("SYNAPSCALE_DB_PASSWORD", PW)],
        ),
        (
            vec!["bootstrap", "--admin-url", &wrong_pw],
            vec![("SYNAPSCALE_DB_PASSWORD", PW)],
        ),
    ];
    for (args, env) in &cases {
        let run = schemagate_in(tmp.path(), args, env);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(
            !run.all_output().contains(PW),
            "{args:?} leaked the password:\n{}",
            run.all_output()
        );
        assert!(!run.stderr.contains("panicked"), "{args:?}: {}", run.stderr);
    }
    // .env is read too, and never echoed.
    let envdir = TempDir::new("secrets_env");
    envdir.write(".env", &format!("DATABASE_URL={refused}\n"));
    let run = schemagate_in(envdir.path(), &["snapshot"], &[]);
    assert_eq!(run.code, 2);
    assert!(!run.all_output().contains(PW));
}

/// Issue 15, item 2: spellings of a password that libpq accepts (spaces
/// around `=`, tabs, unencoded `/`, `?`, `@`, `%25` in a URL) were printed
/// wholly or in part. Each is fed to the error paths that can be triggered
/// (a refused host, a database that does not exist) in every `--format`.
#[test]
fn no_spelling_of_a_password_is_printed_in_any_format() {
    let tmp = TempDir::new("secret_spellings");
    let expected = tmp.write("e.yaml", "version: 1\nschemas:\n  public: {}\n");
    let e = expected.to_str().unwrap();
    let m = tmp.path().join("migrations");
    tmp.write("migrations/0001_a.up.sql", "SELECT 1;\n");
    tmp.write("migrations/0001_a.down.sql", "SELECT 1;\n");
    let m = m.to_str().unwrap();
    let spellings = password_spellings();
    for (url, secret) in &spellings {
        for format in ["table", "json", "markdown", "junit", "github"] {
            let mut runs = vec![schemagate_in(
                tmp.path(),
                &[
                    "diff",
                    "--database-url",
                    url,
                    "--expected",
                    e,
                    "--format",
                    format,
                ],
                &[],
            )];
            // `check` waits for a refused server to come up: two formats
            // (plain text and JSON) keep the test short.
            if matches!(format, "table" | "json") {
                runs.push(schemagate_in(
                    tmp.path(),
                    &[
                        "check",
                        "--target",
                        url,
                        "--migrations",
                        m,
                        "--expected",
                        e,
                        "--format",
                        format,
                    ],
                    &[],
                ));
            }
            for run in runs {
                assert_eq!(run.code, 2, "{url} {format}: {run:?}");
                assert!(
                    !run.all_output().contains(secret),
                    "{url} ({format}) leaked {secret}:\n{}",
                    run.all_output()
                );
            }
        }
        let run = schemagate_in(
            tmp.path(),
            &[
                "migrate",
                "status",
                "--database-url",
                url,
                "--migrations",
                m,
            ],
            &[],
        );
        assert_eq!(run.code, 2, "{url}: {run:?}");
        assert!(
            !run.all_output().contains(secret),
            "{url}: {}",
            run.all_output()
        );
    }
}

/// Connection strings in every spelling of a password `db::redact` knows,
/// each with the part of the password that must never show; some refused
/// (port 1), some refused by the real server (wrong password).
fn password_spellings() -> Vec<(String, &'static str)> {
    let admin = &server().admin;
    let field = |k: &str| {
        admin
            .split_whitespace()
            .find_map(|p| p.strip_prefix(&format!("{k}=")))
            .unwrap()
            .to_string()
    };
    let (host, port) = (field("host"), field("port"));
    // (connection string, the part of the password that must never show)
    let mut spellings: Vec<(String, &'static str)> = Vec::new();
    for (h, p) in [("127.0.0.1", "1"), (host.as_str(), port.as_str())] {
        spellings.extend([
            (
                format!("host={h} port={p} user=postgres password = 'SECRETkv1' dbname=nosuch"),
                "SECRETkv1",
            ),
            (
                format!("host={h} port={p} user=postgres\tpassword=SECRETkv2 dbname=nosuch"),
                "SECRETkv2",
            ),
            (
                format!("host={h} port={p} user=postgres password\t=\t'SECRET kv3' dbname=nosuch"),
                "SECRET",
            ),
        ]);
    }
    spellings.extend([
        ("postgres://u:abc?xyzzy@127.0.0.1:1/db".to_string(), "xyzzy"),
        (
            "postgres://u:p@W0rd%25/xyzzy@127.0.0.1:1/db".to_string(),
            "xyzzy",
        ),
        (
            "postgres://u:p@W0rd%25/xyzzy@127.0.0.1:1/db".to_string(),
            "W0rd",
        ),
        (
            "postgres://u:sl/ash/SECRETurl@127.0.0.1:1/db".to_string(),
            "SECRETurl",
        ),
        (
            format!("postgresql://postgres:SECRETsock@/nosuch?host={host}&port={port}"),
            "SECRETsock",
        ),
        (
            format!("postgresql://postgres:SE/CR?ETsock@/nosuch?host={host}&port={port}"),
            "ETsock",
        ),
    ]);
    spellings
}

/// Issue 15, item 2: the README promises no password in any channel, not
/// only `diff`/`check`: `snapshot`, `report`, `roundtrip --target URL`,
/// `migrate up`, the files of `-o`/`--output FORMAT=FILE`, and a URL given
/// by `DATABASE_URL`, `.env` or (the password alone) `PGPASSWORD`.
#[test]
fn no_password_is_printed_by_any_other_channel() {
    let tmp = TempDir::new("secret_channels");
    let expected = tmp.write("e.yaml", "version: 1\nschemas:\n  public: {}\n");
    let e = expected.to_str().unwrap();
    tmp.write("migrations/0001_a.up.sql", "SELECT 1;\n");
    tmp.write("migrations/0001_a.down.sql", "SELECT 1;\n");
    let m = tmp.path().join("migrations");
    let m = m.to_str().unwrap();
    let out = |name: &str| tmp.path().join(name).to_str().unwrap().to_string();
    let files = [out("o.json"), out("o.md"), out("o.txt")];
    let outputs = format!("json={}", files[0]);
    let leaks = |what: &str, secret: &str, run: &Run| {
        assert_eq!(run.code, 2, "{what}: {run:?}");
        assert!(
            !run.all_output().contains(secret),
            "{what} leaked {secret}:\n{}",
            run.all_output()
        );
        for f in &files {
            if let Ok(text) = std::fs::read_to_string(f) {
                assert!(!text.contains(secret), "{what}: {f} leaked {secret}");
                std::fs::remove_file(f).unwrap();
            }
        }
    };
    let empty = TempDir::new("secret_channels_env");
    for (url, secret) in &password_spellings() {
        let by_flag: Vec<(&str, Vec<&str>)> = vec![
            (
                "snapshot",
                vec!["snapshot", "--database-url", url, "-o", &files[2]],
            ),
            (
                "report",
                vec![
                    "report",
                    "--database-url",
                    url,
                    "--expected",
                    e,
                    "-o",
                    &files[1],
                ],
            ),
            (
                "migrate up",
                vec!["migrate", "up", "--database-url", url, "--migrations", m],
            ),
            (
                "diff --output",
                vec![
                    "diff",
                    "--database-url",
                    url,
                    "--expected",
                    e,
                    "--output",
                    &outputs,
                ],
            ),
        ];
        for (what, args) in &by_flag {
            leaks(
                &format!("{what} {url}"),
                secret,
                &schemagate_in(tmp.path(), args, &[]),
            );
        }
        // `roundtrip` waits for a refused target to come up: only the
        // spellings the real server refuses for the password keep it short.
        if !url.contains("127.0.0.1:1/") && !url.contains("port=1 ") {
            let run = schemagate_in(
                tmp.path(),
                &[
                    "roundtrip",
                    "--target",
                    url,
                    "--migrations",
                    m,
                    "--format",
                    "json",
                    "--output",
                    &outputs,
                ],
                &[],
            );
            leaks(&format!("roundtrip {url}"), secret, &run);
        }
        // The same URL from the environment and from `.env`.
        let args = ["diff", "--expected", e];
        let run = schemagate_in(empty.path(), &args, &[("DATABASE_URL", url.as_str())]);
        leaks(&format!("DATABASE_URL={url}"), secret, &run);
        empty.write(".env", &format!("DATABASE_URL=\"{url}\"\n"));
        let run = schemagate_in(empty.path(), &["snapshot"], &[]);
        leaks(&format!(".env {url}"), secret, &run);
        std::fs::remove_file(empty.path().join(".env")).unwrap();
    }
    // PGPASSWORD with a URL that has none, and with no URL at all.
    let admin = &server().admin;
    let field = |k: &str| {
        admin
            .split_whitespace()
            .find_map(|p| p.strip_prefix(&format!("{k}=")))
            .unwrap()
            .to_string()
    };
    let (host, port) = (field("host"), field("port"));
    let url = format!("host={host} port={port} user=postgres dbname=nosuch");
    let pg = [("PGPASSWORD", "SECRETpgpass")];
    for args in [
        vec![
            "diff",
            "--database-url",
            &url,
            "--expected",
            e,
            "--format",
            "json",
        ],
        vec!["snapshot", "--database-url", &url],
        vec!["migrate", "up", "--database-url", &url, "--migrations", m],
    ] {
        let run = schemagate_in(empty.path(), &args, &pg);
        leaks(&format!("PGPASSWORD {args:?}"), "SECRETpgpass", &run);
    }
    let env = [
        ("PGPASSWORD", "SECRETpgpass"),
        ("PGHOST", host.as_str()),
        ("PGPORT", port.as_str()),
        ("PGUSER", "postgres"),
        ("PGDATABASE", "nosuch"),
    ];
    let run = schemagate_in(empty.path(), &["diff", "--expected", e], &env);
    leaks("PGPASSWORD, no URL", "SECRETpgpass", &run);
}

/// Issue 15, item 2 (c): a `.env` that does not parse printed the rest of
/// the file, other secrets included; only the file and line are shown.
#[test]
fn an_unparsable_env_file_is_not_echoed() {
    let dir = TempDir::new("secret_env_parse");
    dir.write(
        ".env",
        "DATABASE_URL='postgres://u:FirstSecret@h/db\nAPI_KEY=OtherSecret\nX=1\n",
    );
    let run = schemagate_in(dir.path(), &["snapshot"], &[]);
    assert_eq!(run.code, 2, "{run:?}");
    let out = run.all_output();
    assert!(
        !out.contains("FirstSecret") && !out.contains("OtherSecret"),
        "{out}"
    );
    assert!(out.contains(".env") && out.contains("line 1"), "{out}");
}

/// Issue 15, item 2 (d): what `--migrate-cmd` prints passed through
/// unredacted; the password of the URL it is given must not show.
#[test]
fn migrate_cmd_output_is_redacted() {
    let tmp = TempDir::new("secret_migrate_cmd");
    let expected = tmp.write("e.yaml", "version: 1\nschemas:\n  public: {}\n");
    let run = schemagate_in(
        tmp.path(),
        &[
            "check",
            "--target",
            &server().url,
            "--bootstrap",
            "--migrate-cmd",
            "echo \"url=$DATABASE_URL\"; echo \"$DATABASE_URL\" | sed 's/.*:\\(.*\\)@.*/pw \\1 end/' >&2",
            "--expected",
            expected.to_str().unwrap(),
        ],
        &[],
    );
    let out = run.all_output();
    assert!(out.contains("pw *** end"), "{run:?}");
    assert!(
        !out.contains("url=postgres") || out.contains(":***@"),
        "{out}"
    );
}

/// Issue 15, item 9: `bootstrap` sent `CREATE ROLE … PASSWORD 'plaintext'`,
/// which lands in server logs with `log_statement = ddl`. With the admin
/// session's `password_encryption = md5`, a plaintext password would be
/// stored as md5; a verifier computed on the client is stored as sent.
#[test]
fn bootstrap_sends_a_scram_verifier_not_the_password() {
    let role = "sgt_scram_user";
    let name = "sgt_scram_db";
    let admin = format!("{} options='-c password_encryption=md5'", server().admin);
    for _ in 0..2 {
        // Twice: creating the role, then resetting its password.
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
            &[("SYNAPSCALE_DB_PASSWORD", "Scram-Secret-1234")],
        );
        assert_eq!(run.code, 0, "{run:?}");
        let stored: String = admin_client()
            .query_one(
                "SELECT rolpassword FROM pg_authid WHERE rolname = $1",
                &[&role],
            )
            .unwrap()
            .get(0);
        assert!(stored.starts_with("SCRAM-SHA-256$4096:"), "{stored}");
    }
    let url = format!(
        "{} user={role} password=Scram-Secret-1234 dbname={name}",
        server()
            .admin
            .replace("user=postgres", "")
            .replace("dbname=postgres", "")
    );
    postgres::Client::connect(&url, postgres::NoTls).expect("log in with the password");
    let mut c = admin_client();
    let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    let _ = c.batch_execute(&format!("DROP ROLE IF EXISTS {role}"));
}

/// Issue 15, item 9: `--backup` dump files were created mode 0644.
#[test]
fn backup_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let db = TestDb::new("sec_backup_mode");
    let tmp = TempDir::new("sec_backup_mode");
    tmp.write("migrations/0001_a.up.sql", "CREATE TABLE b(id int);\n");
    tmp.write("migrations/0001_a.down.sql", "DROP TABLE b;\n");
    let file = tmp.path().join("before.dump");
    let m = tmp.path().join("migrations");
    let run = schemagate_in(
        tmp.path(),
        &[
            "migrate",
            "up",
            "--database-url",
            &db.url,
            "--migrations",
            m.to_str().unwrap(),
            "--backup",
            file.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{mode:o}");
}

/// Issue 15, item 1: the stale-directory sweep signalled whatever pid a
/// planted `postmaster.pid` named (a root-owned `sleep` died). Neither a
/// directory schemagate did not make (no marker, mode 0755) nor one that
/// looks like its own but names a process that is not a postmaster of that
/// directory may lead to a signal.
#[test]
fn the_stale_directory_sweep_signals_only_its_own_postmasters() {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    let tmp = TempDir::new("sweep_planted");
    let mut victim = Command::new("sleep").arg("300").spawn().unwrap();
    let pid = victim.id().to_string();
    // Planted as in the report: any directory with a matching name.
    let planted = tmp.path().join("schemagate-999999-local-0-x");
    std::fs::create_dir_all(planted.join("data")).unwrap();
    std::fs::set_permissions(&planted, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(planted.join("data/postmaster.pid"), format!("{pid}\n")).unwrap();
    // Planted to look like schemagate's own (mode 0700, marker file).
    let lookalike = tmp.path().join("schemagate-999998-local-0-y");
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(&lookalike)
        .unwrap();
    std::fs::create_dir(lookalike.join("data")).unwrap();
    std::fs::write(lookalike.join(".schemagate-dir"), "").unwrap();
    std::fs::write(lookalike.join("data/postmaster.pid"), format!("{pid}\n")).unwrap();
    let expected = tmp.write("e.yaml", "version: 1\nschemas:\n  public: {}\n");
    tmp.write("migrations/0001_a.up.sql", "SELECT 1;\n");
    tmp.write("migrations/0001_a.down.sql", "SELECT 1;\n");
    let m = tmp.path().join("migrations");
    let run = schemagate_in(
        tmp.path(),
        &[
            "check",
            "--target",
            "local",
            "--migrations",
            m.to_str().unwrap(),
            "--expected",
            expected.to_str().unwrap(),
        ],
        &[("TMPDIR", tmp.path().to_str().unwrap())],
    );
    let still_running = victim.try_wait().unwrap().is_none();
    let _ = victim.kill();
    let _ = victim.wait();
    assert_eq!(run.code, 0, "{run:?}");
    assert!(still_running, "the sweep signalled an unrelated process");
    assert!(
        planted.exists(),
        "a directory schemagate did not make was removed"
    );
}

/// Issue 15, item 1, the other side: the directory of a run killed with
/// SIGKILL is still swept by the next run, its server stopped.
#[test]
fn the_stale_directory_of_a_killed_run_is_swept() {
    let tmp = TempDir::new("sweep_killed");
    let marker = "sleep 71";
    let mut child = Command::new(env!("CARGO_BIN_EXE_schemagate"))
        .args(["check", "--target", "local", "--migrate-cmd", marker])
        .current_dir(repo_root())
        .env("TMPDIR", tmp.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let dir = format!("schemagate-{}-", child.id());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while processes_running(&["sleep", "71"]).is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the run never got going"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    for pid in processes_running(&["sleep", "71"]) {
        // SAFETY: signalling the migration command the killed run left.
        unsafe {
            libc::kill(pid as i32, libc::SIGKILL);
        }
    }
    let stale = |tmp: &TempDir| {
        std::fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with(&dir))
    };
    assert!(stale(&tmp), "the killed run left no directory to sweep");
    let expected = tmp.write("e.yaml", "version: 1\nschemas:\n  public: {}\n");
    tmp.write("migrations/0001_a.up.sql", "SELECT 1;\n");
    tmp.write("migrations/0001_a.down.sql", "SELECT 1;\n");
    let m = tmp.path().join("migrations");
    let run = schemagate_in(
        tmp.path(),
        &[
            "check",
            "--target",
            "local",
            "--migrations",
            m.to_str().unwrap(),
            "--expected",
            expected.to_str().unwrap(),
        ],
        &[("TMPDIR", tmp.path().to_str().unwrap())],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!stale(&tmp), "the killed run's directory was not swept");
    assert!(
        processes_mentioning(tmp.path().to_str().unwrap()).is_empty(),
        "a server of the killed run is still running"
    );
}

/// Issue 15, item 5: `check --target postgres://…` killed with SIGKILL left
/// its `schemagate_<pid>_<hex>` database on the server through later runs.
/// The next run against that server drops it, but not the database of a
/// run that is still alive.
#[test]
fn scratch_databases_of_killed_runs_are_swept_by_the_next_run() {
    let tmp = TempDir::new("scratch_sweep");
    let expected = tmp.write("e.yaml", "version: 1\nschemas:\n  public: {}\n");
    let e = expected.to_str().unwrap();
    let target = server().url.clone();
    let scratch_dbs = || -> Vec<String> {
        admin_client()
            .query(
                "SELECT datname::text FROM pg_database WHERE datname LIKE 'schemagate\\_%'",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect()
    };
    let mut live = Command::new(env!("CARGO_BIN_EXE_schemagate"))
        .args([
            "check",
            "--target",
            &target,
            "--migrate-cmd",
            "sleep 74",
            "--expected",
            e,
        ])
        .current_dir(tmp.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut killed = Command::new(env!("CARGO_BIN_EXE_schemagate"))
        .args([
            "check",
            "--target",
            &target,
            "--migrate-cmd",
            "sleep 73",
            "--expected",
            e,
        ])
        .current_dir(tmp.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let (killed_db, live_db) = (
        format!("schemagate_{}_", killed.id()),
        format!("schemagate_{}_", live.id()),
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while processes_running(&["sleep", "73"]).is_empty()
        || processes_running(&["sleep", "74"]).is_empty()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the runs never got going"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    killed.kill().unwrap();
    killed.wait().unwrap();
    for pid in processes_running(&["sleep", "73"]) {
        // SAFETY: the migration command the killed run left behind.
        unsafe {
            libc::kill(pid as i32, libc::SIGKILL);
        }
    }
    assert!(scratch_dbs().iter().any(|d| d.starts_with(&killed_db)));
    let run = schemagate_in(
        tmp.path(),
        &[
            "check",
            "--target",
            &target,
            "--migrate-cmd",
            "true",
            "--expected",
            e,
        ],
        &[],
    );
    let after = scratch_dbs();
    // SAFETY: stopping our own child (and its command) before asserting.
    unsafe {
        libc::kill(live.id() as i32, libc::SIGTERM);
    }
    let _ = live.wait();
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        !after.iter().any(|d| d.starts_with(&killed_db)),
        "the killed run's database is still there: {after:?}"
    );
    assert!(
        after.iter().any(|d| d.starts_with(&live_db)),
        "the live run's database was dropped: {after:?}"
    );
}

/// Issue 15, item 7: a self-signed server certificate (CA:TRUE, CN=localhost,
/// no subjectAltName) pinned with `sslrootcert` was refused with
/// `CaUsedAsEndEntity` where psql connects; and `~/.postgresql/root.crt`
/// was not the default root for the verify modes, as it is in libpq.
#[test]
fn tls_pinned_self_signed_certificate_and_default_root() {
    let tmp = TempDir::new("tls_pinned");
    openssl(
        tmp.path(),
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.crt",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
        ],
    );
    let uid: u32 = String::from_utf8(
        Command::new("id")
            .args(["-u", "postgres"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .trim()
    .parse()
    .unwrap_or(0);
    for f in ["server.key", "server.crt"] {
        let p = tmp.path().join(f);
        if unsafe { libc::geteuid() } == 0 {
            std::os::unix::fs::chown(&p, Some(uid), None).unwrap();
        }
        std::fs::set_permissions(&p, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    }
    std::fs::set_permissions(
        tmp.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let port = free_port();
    let server = schemagate::throwaway::local::start(&schemagate::throwaway::local::LocalOptions {
        port,
        extra_args: [
            "listen_addresses=127.0.0.1",
            "ssl=on",
            &format!("ssl_cert_file={}", tmp.path().join("server.crt").display()),
            &format!("ssl_key_file={}", tmp.path().join("server.key").display()),
        ]
        .iter()
        .flat_map(|a| ["-c".to_string(), a.to_string()])
        .collect(),
        ..Default::default()
    })
    .expect("start a TLS server");
    let expected = tmp.write("e.yaml", "version: 1\nschemas:\n  public: {}\n");
    let e = expected.to_str().unwrap();
    // A copy readable by us (the server's is the postgres user's, 0600).
    let pinned = tmp.path().join("pinned.crt");
    std::fs::copy(tmp.path().join("server.crt"), &pinned).unwrap();
    let url = |host: &str, mode: &str, root: Option<&Path>| {
        let mut u = format!("postgresql://postgres@{host}:{port}/postgres?sslmode={mode}");
        if let Some(root) = root {
            u.push_str(&format!("&sslrootcert={}", root.display()));
        }
        u
    };
    let diff = |u: &str, env: &[(&str, &str)]| {
        schemagate_in(
            tmp.path(),
            &["diff", "--database-url", u, "--expected", e],
            env,
        )
    };
    let run = diff(&url("localhost", "verify-full", Some(&pinned)), &[]);
    assert_eq!(run.code, 0, "{run:?}");
    let run = diff(&url("localhost", "verify-ca", Some(&pinned)), &[]);
    assert_eq!(run.code, 0, "{run:?}");
    // The name still counts in verify-full.
    let run = diff(&url("127.0.0.1", "verify-full", Some(&pinned)), &[]);
    assert_eq!(run.code, 2, "{run:?}");
    // ~/.postgresql/root.crt is the default root.
    let home = TempDir::new("tls_pinned_home");
    std::fs::create_dir_all(home.path().join(".postgresql")).unwrap();
    std::fs::copy(&pinned, home.path().join(".postgresql/root.crt")).unwrap();
    let h = home.path().to_str().unwrap();
    let run = diff(&url("localhost", "verify-full", None), &[("HOME", h)]);
    assert_eq!(run.code, 0, "{run:?}");
    drop(server);
}
