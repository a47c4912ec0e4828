//! `schemagate check` end to end on every target, and clean-up (issue 4).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

fn check_in(cwd: &Path, args: &[&str], tmpdir: &Path) -> Run {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    schemagate_in(cwd, &all, &[("TMPDIR", tmpdir.to_str().unwrap())])
}

/// Copies the bundled migrations into `dir/migrations`.
fn copy_migrations(dir: &TempDir) {
    for entry in std::fs::read_dir(repo_root().join("migrations")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        dir.write(
            &format!("migrations/{name}"),
            &std::fs::read_to_string(&path).unwrap(),
        );
    }
}

/// Nothing of the run is left: no temp dir, no server process.
fn assert_no_leftovers(tmp: &TempDir) {
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("schemagate-"))
        .collect();
    assert!(left.is_empty(), "temp dirs left behind: {left:?}");
    let procs = processes_mentioning(tmp.path().to_str().unwrap());
    assert!(procs.is_empty(), "processes left behind: {procs:?}");
}

#[test]
fn check_bundled_migrations_on_local_target_matches() {
    let tmp = TempDir::new("check_local");
    let run = check_in(&repo_root(), &["--target", "local"], tmp.path());
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout.trim(),
        "schema matches expected_schema.yaml (20 tables)"
    );
    assert_no_leftovers(&tmp);
}

#[test]
fn check_bundled_migrations_with_bootstrap_runs_as_application_role() {
    let tmp = TempDir::new("check_bootstrap");
    let run = check_in(
        &repo_root(),
        &["--target", "local", "--bootstrap"],
        tmp.path(),
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout.trim(),
        "schema matches expected_schema.yaml (20 tables)"
    );
}

#[test]
fn check_on_scratch_database_matches_and_drops_it() {
    let tmp = TempDir::new("check_scratch");
    let run = check_in(
        &repo_root(),
        &["--target", &server().url, "--format", "json"],
        tmp.path(),
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.json()["status"], "ok");
    let mut admin = admin_client();
    let left: i64 = admin
        .query_one(
            "SELECT count(*) FROM pg_database WHERE datname LIKE 'schemagate\\_%'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(left, 0, "scratch database not dropped");
}

#[test]
fn check_with_a_mutated_expected_file_reports_the_exact_mismatch() {
    let tmp = TempDir::new("check_mutated");
    let original = std::fs::read_to_string(repo_root().join("expected_schema.yaml")).unwrap();
    let needle = "email: {type: varchar(255), nullable: false}";
    assert!(original.contains(needle), "fixture line moved");
    let mutated = original.replacen(needle, "email: {type: varchar(200), nullable: false}", 1);
    let file = tmp.write("expected_schema.yaml", &mutated);
    let line = mutated
        .lines()
        .position(|l| l.contains("varchar(200)"))
        .unwrap()
        + 1;
    let run = check_in(
        &repo_root(),
        &[
            "--target",
            "local",
            "--expected",
            file.to_str().unwrap(),
            "--format",
            "json",
        ],
        tmp.path(),
    );
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let json = run.json();
    assert_eq!(json["status"], "mismatch");
    let m = &json["mismatches"].as_array().unwrap();
    assert_eq!(m.len(), 1, "{json:#}");
    assert_eq!(m[0]["change"], "changed");
    assert_eq!(m[0]["object_type"], "column");
    assert_eq!(m[0]["object"], "public.users.email");
    assert_eq!(m[0]["attribute"], "type");
    assert_eq!(m[0]["expected"], "varchar(200)");
    // As `snapshot` writes it (issue 12).
    assert_eq!(m[0]["actual"], "varchar(255)");
    assert_eq!(m[0]["line"], line as u64);
}

/// The expected file with `users.email` declared as varchar(200), and the
/// line it is on.
fn mutated_expected(tmp: &TempDir) -> (std::path::PathBuf, usize) {
    let original = std::fs::read_to_string(repo_root().join("expected_schema.yaml")).unwrap();
    let needle = "email: {type: varchar(255), nullable: false}";
    let mutated = original.replacen(needle, "email: {type: varchar(200), nullable: false}", 1);
    let line = mutated
        .lines()
        .position(|l| l.contains("varchar(200)"))
        .unwrap()
        + 1;
    (tmp.write("expected_schema.yaml", &mutated), line)
}

/// Output that fits (issue 18): below 120 columns each object gets a block
/// instead of a grid that breaks identifiers, quoting the expected file's
/// line as load errors do; and `check` sums up what it did on stderr.
#[test]
fn check_on_a_narrow_terminal_prints_blocks_and_says_what_it_did() {
    let tmp = TempDir::new("check_narrow");
    let (file, line) = mutated_expected(&tmp);
    let run = schemagate_in(
        &repo_root(),
        &[
            "check",
            "--target",
            "local",
            "--expected",
            file.to_str().unwrap(),
        ],
        &[("TMPDIR", tmp.path().to_str().unwrap()), ("COLUMNS", "100")],
    );
    assert_eq!(run.code, 1, "{run:?}");
    let expected = format!(
        "public.users.email\n  column changed: type\n  {line:>5} |           email: {{type: varchar(200), nullable: false}}\n    expected  varchar(200)\n    actual    varchar(255)\n\n"
    );
    assert!(run.stdout.starts_with(&expected), "{}", run.stdout);
    assert!(
        run.stdout.lines().all(|l| l.chars().count() <= 100),
        "{}",
        run.stdout
    );
    // The bundled file declares grants to synapscale_user, which a
    // throwaway server without --bootstrap lacks: one note says so.
    let (notes, said): (Vec<&str>, Vec<&str>) = run.stderr.lines().partition(|l| {
        l.starts_with("note: owners and grants of synapscale_user are not compared")
    });
    assert_eq!(notes.len(), 1, "{}", run.stderr);
    assert_eq!(said.len(), 1, "{}", run.stderr);
    let re = regex::Regex::new(
        r"^schemagate: applied 6 migrations on local PostgreSQL \d+\.\d+ \(throwaway cluster\); compared \d+ objects of \S+expected_schema.yaml in \d+\.\d s$",
    )
    .unwrap();
    assert!(re.is_match(said[0]), "{}", said[0]);
    assert_no_leftovers(&tmp);
}

/// -v names each stage, -vv adds each migration and each catalog query
/// (the help no longer says "repeat for more" of one thing); --quiet
/// silences even the summary line.
#[test]
fn check_verbosity_levels_differ() {
    let tmp = TempDir::new("check_verbose");
    let env = [("TMPDIR", tmp.path().to_str().unwrap())];
    let run = |flag: &str| {
        let run = schemagate_in(&repo_root(), &["check", "--target", "local", flag], &env);
        assert_eq!(run.code, 0, "{run:?}");
        run.stderr
    };
    let v = run("-v");
    let vv = run("-vv");
    let quiet = run("--quiet");
    assert!(v.contains("schemagate: target: local PostgreSQL"), "{v}");
    assert!(v.contains("read the catalog"), "{v}");
    // The load's wall time and, apart, its own CPU time (the rest of the
    // wall time it waited for a core while the catalog was read).
    let loaded = regex::Regex::new(
        r"schemagate: loaded \S*expected_schema\.yaml \(20 tables\) in \d+ ms \(\d+ ms of CPU\)",
    )
    .unwrap();
    assert!(loaded.is_match(&v), "{v}");
    assert!(!v.contains("0001_core_entities.up.sql"), "{v}");
    assert!(!v.contains("  columns: "), "{v}");
    assert!(
        vv.contains("applied ") && vv.contains("0001_core_entities.up.sql"),
        "{vv}"
    );
    assert!(vv.contains("  columns: "), "{vv}");
    assert!(quiet.is_empty(), "{quiet}");
}

/// Several outputs in one run (issue 18): the table on stdout, JUnit and
/// Markdown into files, the same findings in each.
#[test]
fn check_writes_extra_outputs_beside_the_table() {
    let tmp = TempDir::new("check_outputs");
    let (file, _) = mutated_expected(&tmp);
    let junit = tmp.path().join("out/schema.xml");
    std::fs::create_dir_all(junit.parent().unwrap()).unwrap();
    let markdown = tmp.path().join("summary.md");
    let run = check_in(
        &repo_root(),
        &[
            "--target",
            "local",
            "--expected",
            file.to_str().unwrap(),
            "--output",
            &format!("junit={}", junit.display()),
            "--output",
            &format!("markdown={}", markdown.display()),
        ],
        tmp.path(),
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.starts_with('┌'), "{}", run.stdout);
    let junit = std::fs::read_to_string(&junit).unwrap();
    assert!(
        junit.contains(r#"<testcase name="public.users.email" classname="schemagate.column""#),
        "{junit}"
    );
    assert_eq!(junit.matches("<failure ").count(), 1, "{junit}");
    assert!(
        junit.contains(r#"<testcase name="public.workspaces" classname="schemagate.table""#),
        "{junit}"
    );
    assert!(
        regex::Regex::new(r#"<testsuite [^>]* time="\d+\.\d{3}">"#)
            .unwrap()
            .is_match(&junit),
        "{junit}"
    );
    let markdown = std::fs::read_to_string(&markdown).unwrap();
    assert!(
        markdown.starts_with("### ❌ schemagate: 1 mismatch"),
        "{markdown}"
    );

    let bad = check_in(&repo_root(), &["--output", "yaml=x.yaml"], tmp.path());
    assert_eq!(bad.code, 2, "{bad:?}");
    assert!(
        bad.stderr.contains("unknown format `yaml`"),
        "{}",
        bad.stderr
    );
}

#[test]
fn check_with_a_broken_migration_exits_2_naming_file_and_line() {
    let tmp = TempDir::new("check_broken");
    copy_migrations(&tmp);
    tmp.write(
        "migrations/0007_broken.up.sql",
        "-- A migration that fails on its third line.\nCREATE TABLE fine (id integer);\nALTER TABLE nope ADD COLUMN x integer;\n",
    );
    tmp.write("migrations/0007_broken.down.sql", "DROP TABLE fine;\n");
    std::fs::copy(
        repo_root().join("expected_schema.yaml"),
        tmp.path().join("expected_schema.yaml"),
    )
    .unwrap();
    let run = check_in(tmp.path(), &["--target", "local"], tmp.path());
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("0007_broken.up.sql:3:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("42P01"), "{}", run.stderr);
    assert!(
        run.stdout.is_empty(),
        "no report on failure: {}",
        run.stdout
    );
    assert_no_leftovers(&tmp);
}

#[test]
fn check_runs_a_real_alembic_project_through_migrate_cmd() {
    let alembic = Command::new("sh")
        .args(["-c", "command -v alembic"])
        .output()
        .unwrap();
    assert!(
        alembic.status.success(),
        "alembic is not on PATH: run the tests with `bash tests/run.sh`, which puts the venv that \
         `tests/tooling/prepare.sh` builds (alembic, psycopg[binary]) first on PATH"
    );
    let tmp = TempDir::new("check_alembic");
    let run = check_in(
        &case_dir("alembic"),
        &["--target", "local", "--migrate-cmd", "alembic upgrade head"],
        tmp.path(),
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout.trim(),
        "schema matches expected_schema.yaml (3 tables)"
    );
    assert_no_leftovers(&tmp);
}

#[test]
fn check_cleans_up_after_a_panic() {
    let tmp = TempDir::new("check_panic");
    let run = schemagate_in(
        &repo_root(),
        &["check", "--target", "local"],
        &[
            ("TMPDIR", tmp.path().to_str().unwrap()),
            ("SCHEMAGATE_FAULT", "panic-after-start"),
        ],
    );
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("panicked"), "{}", run.stderr);
    assert_no_leftovers(&tmp);
}

#[test]
fn check_cleans_up_after_sigint_sigterm_and_sighup() {
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        let tmp = TempDir::new("check_signal");
        // A marker unique to this run, to find its migration command.
        let sleep = format!("sleep 6{signal}");
        let mut child = Command::new(env!("CARGO_BIN_EXE_schemagate"))
            .args(["check", "--target", "local", "--migrate-cmd", &sleep])
            .current_dir(repo_root())
            .env("TMPDIR", tmp.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Wait until the server runs (its socket exists), then interrupt.
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let up = std::fs::read_dir(tmp.path())
                .unwrap()
                .flatten()
                .any(|e| e.path().join(".s.PGSQL.5432").exists());
            if up && !processes_running(&["sleep", &sleep[6..]]).is_empty() {
                break;
            }
            assert!(Instant::now() < deadline, "server never came up");
            std::thread::sleep(Duration::from_millis(50));
        }
        // SAFETY: signalling our own child.
        unsafe {
            libc::kill(child.id() as i32, signal);
        }
        let status = child.wait().unwrap();
        assert_eq!(
            status.code(),
            Some(128 + signal),
            "exit after signal {signal}"
        );
        assert_no_leftovers(&tmp);
    }
}

/// Everything that needs Docker, in one test so that container counts are
/// not disturbed by a parallel Docker test.
#[test]
fn check_on_docker_target_matches_and_leaves_no_container() {
    if !docker_ready("check_on_docker_target") {
        return;
    }
    let before = schemagate_containers();
    let tmp = TempDir::new("check_docker");
    let target = format!("docker:{DOCKER_IMAGE}");
    let run = check_in(&repo_root(), &["--target", &target], tmp.path());
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout.trim(),
        "schema matches expected_schema.yaml (20 tables)"
    );
    assert_eq!(
        schemagate_containers(),
        before,
        "container left after success"
    );

    // A failure ending.
    copy_migrations(&tmp);
    tmp.write(
        "migrations/0007_broken.up.sql",
        "SELECT 1;\nSELECT 2;\nSELECT nope;\n",
    );
    tmp.write("migrations/0007_broken.down.sql", "SELECT 1;\n");
    std::fs::copy(
        repo_root().join("expected_schema.yaml"),
        tmp.path().join("expected_schema.yaml"),
    )
    .unwrap();
    let run = check_in(tmp.path(), &["--target", &target], tmp.path());
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("0007_broken.up.sql:3:"),
        "{}",
        run.stderr
    );
    assert_eq!(
        schemagate_containers(),
        before,
        "container left after failure"
    );

    // A signal ending.
    let mut child = Command::new(env!("CARGO_BIN_EXE_schemagate"))
        .args(["check", "--target", &target, "--migrate-cmd", "sleep 60"])
        .current_dir(repo_root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    // The `sleep` itself (schemagate's own command line mentions it too).
    while processes_running(&["sleep", "60"]).is_empty() {
        assert!(Instant::now() < deadline, "migration command never started");
        std::thread::sleep(Duration::from_millis(100));
    }
    // SAFETY: signalling our own child.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    let _ = child.wait().unwrap();
    assert_eq!(
        schemagate_containers(),
        before,
        "container left after SIGTERM"
    );

    // A signal while the container is still being created and started.
    for delay_ms in [300u64, 1200] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_schemagate"))
            .args(["check", "--target", &target])
            .current_dir(repo_root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        // SAFETY: signalling our own child.
        unsafe {
            libc::kill(child.id() as i32, libc::SIGINT);
        }
        let _ = child.wait().unwrap();
        assert_eq!(
            schemagate_containers(),
            before,
            "container left after SIGINT at {delay_ms} ms"
        );
    }
}

#[test]
fn auto_target_without_binaries_or_docker_lists_the_options() {
    let tmp = TempDir::new("check_auto");
    let run = schemagate_in(
        &repo_root(),
        &["check"],
        &[
            ("TMPDIR", tmp.path().to_str().unwrap()),
            ("PATH", "/nonexistent"),
            ("DOCKER_HOST", "unix:///nonexistent.sock"),
            ("SCHEMAGATE_PG_SEARCH", "/nonexistent"),
        ],
    );
    assert_eq!(run.code, 2, "{run:?}");
    for needle in ["--target local", "--target docker", "--target postgres://"] {
        assert!(run.stderr.contains(needle), "{}", run.stderr);
    }
}
