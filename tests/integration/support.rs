//! Shared test helpers: one real PostgreSQL server per test run, a database
//! per test (dropped on drop), and running the `schemagate` binary.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use postgres::{Client, NoTls};

pub struct Server {
    /// Superuser connection string for the `postgres` database.
    pub admin: String,
    /// The same as a `postgresql://` URL.
    pub url: String,
}

impl Server {
    /// The server's major version (`server_version_num / 10000`).
    pub fn major(&self) -> i32 {
        let mut c = Client::connect(&self.admin, NoTls).expect("connect to the test server");
        let num: i32 = c
            .query_one("SELECT current_setting('server_version_num')::int", &[])
            .unwrap()
            .get(0);
        num / 10000
    }
}

static SERVER: OnceLock<Server> = OnceLock::new();

/// The test server: `SCHEMAGATE_TEST_DATABASE_URL` if set (a superuser URL),
/// else a throwaway local cluster started once for the whole test binary
/// with schemagate's own `local` target.
pub fn server() -> &'static Server {
    SERVER.get_or_init(|| {
        if let Ok(url) = std::env::var("SCHEMAGATE_TEST_DATABASE_URL") {
            sweep(&url);
            return Server {
                admin: url.clone(),
                url,
            };
        }
        start_local(None)
    })
}

/// A local cluster for the whole run from `bindir` (None: the one found).
fn start_local(bindir: Option<PathBuf>) -> Server {
    // The server's lifetime is the process's: it is started from a
    // thread that never ends, so the parent-death signal fires only
    // when the test binary exits.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let started =
            schemagate::throwaway::local::start(&schemagate::throwaway::local::LocalOptions {
                bindir,
                die_with_parent: true,
                ..Default::default()
            });
        match started {
            Ok(server) => {
                require_passwords(&server);
                tx.send(Ok((
                    server.conninfo.clone(),
                    server.url.clone(),
                    server.dir().to_path_buf(),
                )))
                .unwrap();
                // Keep `server` alive until the process exits.
                loop {
                    std::thread::park();
                }
            }
            Err(e) => tx.send(Err(e.to_string())).unwrap(),
        }
    });
    match rx.recv().expect("server thread") {
        Ok((admin, url, _dir)) => Server { admin, url },
        Err(e) => panic!("cannot start the test PostgreSQL: {e}"),
    }
}

/// Trust only the `postgres` superuser on the socket; every other role must
/// give its password, so wrong-password paths can be tested.
fn require_passwords(server: &schemagate::throwaway::local::LocalServer) {
    let hba = server.dir().join("data").join("pg_hba.conf");
    std::fs::write(
        &hba,
        "local all postgres trust\nlocal all all scram-sha-256\nhost all all 127.0.0.1/32 scram-sha-256\n",
    )
    .expect("write pg_hba.conf");
    let mut c = Client::connect(&server.conninfo, NoTls).expect("connect");
    c.batch_execute("SELECT pg_reload_conf()").expect("reload");
}

/// Drops databases left by an earlier, crashed run on a shared server.
fn sweep(admin: &str) {
    if let Ok(mut c) = Client::connect(admin, NoTls) {
        if let Ok(rows) = c.query(
            "SELECT datname::text FROM pg_database WHERE datname LIKE 'sgt\\_%'",
            &[],
        ) {
            for row in rows {
                let name: String = row.get(0);
                let _ =
                    c.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
            }
        }
    }
}

/// The PostgreSQL majors the catalog-reading tests run on.
pub const MAJORS: [u32; 5] = [13, 15, 16, 17, 18];

/// A throwaway server of PostgreSQL `major`, started once per test run and
/// shared by that version's tests (each test makes its own databases).
/// Where it comes from is `.cache/pg/versions.env` (written by
/// `tests/tooling/prepare.sh`, exported by `tests/run.sh`):
/// `SCHEMAGATE_PG<major>_BIN` for a local cluster, else
/// `SCHEMAGATE_PG<major>_IMAGE` for a container. A version that is not
/// provisioned fails the test: a skipped version would be a silent pass.
pub fn server_of(major: u32) -> &'static Server {
    static SERVERS: [OnceLock<Server>; 5] = [const { OnceLock::new() }; 5];
    let slot = MAJORS
        .iter()
        .position(|m| *m == major)
        .unwrap_or_else(|| panic!("PostgreSQL {major} is not one of the tested {MAJORS:?}"));
    SERVERS[slot].get_or_init(|| {
        let bin = versions_env(&format!("SCHEMAGATE_PG{major}_BIN"));
        let image = versions_env(&format!("SCHEMAGATE_PG{major}_IMAGE"));
        let server = match (bin, image) {
            (Some(bin), _) => start_local(Some(PathBuf::from(bin))),
            (None, Some(image)) => start_docker(&image),
            (None, None) => panic!(
                "PostgreSQL {major} is not provisioned: neither SCHEMAGATE_PG{major}_BIN nor \
                 SCHEMAGATE_PG{major}_IMAGE is set or in .cache/pg/versions.env; \
                 run `bash tests/tooling/prepare.sh` (or the README's `bash tests/run.sh`)"
            ),
        };
        let found = server.major();
        assert_eq!(
            found, major as i32,
            "SCHEMAGATE_PG{major}_* is PostgreSQL {found}"
        );
        sweep(&server.admin);
        server
    })
}

/// `KEY` from the environment, else from `.cache/pg/versions.env`.
fn versions_env(key: &str) -> Option<String> {
    if let Ok(value) = std::env::var(key) {
        return (!value.is_empty()).then_some(value);
    }
    let file = repo_root().join(".cache/pg/versions.env");
    let text = std::fs::read_to_string(file).ok()?;
    text.lines()
        .filter_map(|line| line.split_once('='))
        .find(|(k, _)| k.trim() == key)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The containers shared by the whole run (one per server version), which
/// the leak checks leave out.
static CONTAINERS: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// A container of `image` for the whole run, removed when the test binary
/// exits (testcontainers removes it on drop, which a static never gets).
fn start_docker(image: &str) -> Server {
    extern "C" fn remove_containers() {
        let ids = CONTAINERS.lock().map(|v| v.clone()).unwrap_or_default();
        for id in ids {
            let _ = Command::new("docker")
                .args(["rm", "-fv", &id])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status();
        }
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let image = image.to_string();
    std::thread::spawn(
        move || match schemagate::throwaway::docker::start(Some(&image)) {
            Ok(server) => {
                let mut ids = CONTAINERS.lock().unwrap();
                if ids.is_empty() {
                    // SAFETY: registers a plain extern "C" function once.
                    unsafe { libc::atexit(remove_containers) };
                }
                ids.push(server.id().to_string());
                drop(ids);
                tx.send(Ok(server.url.clone())).unwrap();
                loop {
                    std::thread::park();
                }
            }
            Err(e) => tx.send(Err(e.to_string())).unwrap(),
        },
    );
    let url = match rx.recv().expect("docker thread") {
        Ok(url) => url,
        Err(e) => panic!("cannot start the test container: {e}"),
    };
    // postgres://postgres:PASSWORD@HOST:PORT/postgres -> key-value form,
    // which TestDb extends with `dbname=`.
    let rest = url
        .strip_prefix("postgres://postgres:")
        .expect("docker URL");
    let (password, rest) = rest.split_once('@').expect("docker URL");
    let (hostport, _) = rest.split_once('/').expect("docker URL");
    let (host, port) = hostport.rsplit_once(':').expect("docker URL");
    Server {
        admin: format!("host={host} port={port} user=postgres password={password} dbname=postgres"),
        url,
    }
}

pub fn admin_client() -> Client {
    Client::connect(&server().admin, NoTls).expect("connect to the test server")
}

/// A database of its own for one test, dropped when the value is dropped.
pub struct TestDb {
    pub name: String,
    pub url: String,
    /// The server's superuser connection string (for the drop).
    admin: String,
}

impl TestDb {
    pub fn new(test: &str) -> TestDb {
        Self::create(server(), test, None)
    }

    /// A copy of `template` (which must have no open connections).
    pub fn from_template(test: &str, template: &str) -> TestDb {
        Self::create(server(), test, Some(template))
    }

    /// A database on `server` (one of [`server_of`]).
    pub fn on(server: &'static Server, test: &str) -> TestDb {
        Self::create(server, test, None)
    }

    /// A copy of `template` on `server`.
    pub fn from_template_on(server: &'static Server, test: &str, template: &str) -> TestDb {
        Self::create(server, test, Some(template))
    }

    /// A database of the default server that something else created
    /// (dropped on drop all the same).
    pub fn adopt(name: &str) -> TestDb {
        TestDb {
            name: name.to_string(),
            url: format!(
                "{} dbname={name}",
                server().admin.replace("dbname=postgres", "")
            ),
            admin: server().admin.clone(),
        }
    }

    fn create(server: &'static Server, test: &str, template: Option<&str>) -> TestDb {
        let name = format!("sgt_{test}");
        let mut admin = Client::connect(&server.admin, NoTls).expect("connect to the test server");
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .unwrap();
        let tpl = template
            .map(|t| format!(" TEMPLATE \"{t}\""))
            .unwrap_or_default();
        admin
            .batch_execute(&format!("CREATE DATABASE \"{name}\"{tpl}"))
            .unwrap();
        let url = format!(
            "{} dbname={name}",
            server.admin.replace("dbname=postgres", "")
        );
        TestDb {
            name,
            url,
            admin: server.admin.clone(),
        }
    }

    pub fn client(&self) -> Client {
        Client::connect(&self.url, NoTls).expect("connect to the test database")
    }

    pub fn execute(&self, sql: &str) {
        let mut c = self.client();
        if let Err(e) = c.batch_execute(sql) {
            panic!("SQL failed in {}: {e:?}\n{sql}", self.name);
        }
    }

    /// The URL with another role and password.
    pub fn url_as(&self, user: &str, password: &str) -> String {
        let base = self.url.replace("user=postgres", "");
        format!("{base} user={user} password={password}")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        // Never panic in drop: a failed test is already unwinding.
        if let Ok(mut admin) = Client::connect(&self.admin, NoTls) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn all_output(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

/// Runs `schemagate ARGS` in `cwd` with no inherited DATABASE_URL.
pub fn schemagate_in(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_schemagate"));
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("DATABASE_URL")
        .env_remove("GITHUB_ACTIONS")
        // The table layout follows COLUMNS; a test that wants one sets it.
        .env_remove("COLUMNS")
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run schemagate");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn schemagate(args: &[&str]) -> Run {
    schemagate_in(&repo_root(), args, &[])
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn case_dir(case: &str) -> PathBuf {
    repo_root().join("tests").join("cases").join(case)
}

/// A fresh temp directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "sgtest-{tag}-{}-{:?}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.0.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, text).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[allow(dead_code)]
pub fn wait() {
    std::thread::sleep(Duration::from_millis(10));
}

/// Whether Docker tests can run. Without an engine they are skipped with a
/// printed reason, unless SCHEMAGATE_REQUIRE_DOCKER=1 (CI) makes that a failure.
pub fn docker_ready(test: &str) -> bool {
    let required = std::env::var("SCHEMAGATE_REQUIRE_DOCKER").as_deref() == Ok("1");
    let engine = schemagate::throwaway::docker::engine_available();
    let image = Command::new("docker")
        .args(["image", "inspect", DOCKER_IMAGE])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    let reason = match (engine, image) {
        (Err(e), _) => format!("no Docker engine answers ({e})"),
        (Ok(()), false) => format!(
            "image {DOCKER_IMAGE} is missing (build it with tests/tooling/pg-image/build.sh)"
        ),
        (Ok(()), true) => return true,
    };
    if required {
        panic!("{test}: SCHEMAGATE_REQUIRE_DOCKER=1 but {reason}");
    }
    eprintln!("SKIPPED {test}: {reason}");
    false
}

/// The locally built image (no registry here).
pub const DOCKER_IMAGE: &str = "schemagate-postgres:15";

/// Containers schemagate started (they carry its label) from the image the
/// Docker tests use, except those the test run shares between tests (a
/// version's server may start at any time during another test's leak
/// check; those run other images).
pub fn schemagate_containers() -> Vec<String> {
    let out = Command::new("docker")
        .args([
            "ps",
            "-aq",
            "--filter",
            "label=org.schemagate.throwaway=true",
            "--filter",
            &format!("ancestor={DOCKER_IMAGE}"),
        ])
        .output()
        .expect("docker ps");
    let shared = CONTAINERS.lock().map(|v| v.clone()).unwrap_or_default();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .filter(|id| !shared.iter().any(|s| s.starts_with(id)))
        .map(str::to_string)
        .collect()
}

/// PIDs of processes whose command line mentions `needle`.
pub fn processes_mentioning(needle: &str) -> Vec<u32> {
    let mut pids = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) {
            if String::from_utf8_lossy(&cmdline).contains(needle) {
                pids.push(pid);
            }
        }
    }
    pids
}

/// PIDs of processes whose argument list is exactly `argv`.
pub fn processes_running(argv: &[&str]) -> Vec<u32> {
    let want: Vec<u8> = argv.iter().flat_map(|a| a.bytes().chain([0])).collect();
    let mut pids = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if std::fs::read(entry.path().join("cmdline")).is_ok_and(|c| c == want) {
            pids.push(pid);
        }
    }
    pids
}

/// User objects left in `public` besides the tracking table and its index.
pub fn user_objects(db: &TestDb) -> Vec<String> {
    let mut c = db.client();
    c.query(
        "SELECT c.relkind::text || ' ' || c.relname::text FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relname NOT LIKE 'schemagate_migrations%'
         UNION ALL
         SELECT 'function ' || p.proname::text FROM pg_proc p
         JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
         UNION ALL
         SELECT 'type ' || t.typname::text FROM pg_type t
         JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'c')
           AND NOT EXISTS (SELECT 1 FROM pg_class r WHERE r.reltype = t.oid)
         ORDER BY 1",
        &[],
    )
    .unwrap()
    .iter()
    .map(|r| r.get(0))
    .collect()
}

/// `schemagate diff --database-url URL --expected FILE [EXTRA...]`.
pub fn diff_against(url: &str, expected: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "diff",
        "--database-url",
        url,
        "--expected",
        expected.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    schemagate(&args)
}
