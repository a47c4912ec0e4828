//! The GitHub Action (`action.yml`) and the pre-commit hooks
//! (`.pre-commit-hooks.yaml`) that the repository ships (issue 18).

use std::process::Command;

use crate::support::*;

fn yaml(file: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(repo_root().join(file)).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// A composite action whose steps run scripts of the repository, with the
/// inputs passed as environment variables: an input is never spliced into
/// shell text (a `${{ }}` in `run:` would be a script injection).
#[test]
fn the_action_is_composite_and_keeps_inputs_out_of_shell_text() {
    let action = yaml("action.yml");
    assert_eq!(action["runs"]["using"], "composite");
    let steps = action["runs"]["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 2);
    for step in steps {
        let run = step["run"].as_str().unwrap();
        assert!(!run.contains("${{"), "{run}");
        let script = run
            .split('"')
            .find(|p| p.starts_with("$GITHUB_ACTION_PATH/"))
            .unwrap()
            .trim_start_matches("$GITHUB_ACTION_PATH/");
        assert!(repo_root().join(script).is_file(), "{script}");
    }
    assert_eq!(
        action["outputs"]["exit-code"]["value"],
        "${{ steps.check.outputs.exit-code }}"
    );
}

/// The action's check step, run as the runner would run it: annotations at
/// the expected file's line on stdout, the Markdown report appended to the
/// job summary, JUnit written, the exit status passed on as output and
/// status.
#[test]
fn the_action_check_step_annotates_and_writes_the_job_summary() {
    let tmp = TempDir::new("action_check");
    let original = std::fs::read_to_string(repo_root().join("expected_schema.yaml")).unwrap();
    let mutated = original.replacen(
        "email: {type: varchar(255), nullable: false}",
        "email: {type: varchar(200), nullable: false}",
        1,
    );
    let line = mutated
        .lines()
        .position(|l| l.contains("varchar(200)"))
        .unwrap()
        + 1;
    let expected = tmp.write("expected_schema.yaml", &mutated);
    let summary = tmp.write("summary.md", "# earlier step\n");
    let output = tmp.write("output.txt", "");
    let junit = tmp.path().join("schema.xml");
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_schemagate"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let run = Command::new("bash")
        .arg(repo_root().join("action/check.sh"))
        .current_dir(repo_root())
        .env_remove("DATABASE_URL")
        .env_remove("COLUMNS")
        .env("PATH", path)
        .env("TMPDIR", tmp.path())
        .env("RUNNER_TEMP", tmp.path())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", &output)
        .env("INPUT_MIGRATIONS", "migrations")
        .env("INPUT_EXPECTED", &expected)
        .env("INPUT_TARGET", "local")
        .env("INPUT_ARGS", "--schema public")
        .env("INPUT_SUMMARY", "true")
        .env("INPUT_JUNIT", &junit)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.starts_with(&format!(
            "::error file={},line={line},title=schema changed",
            expected.display()
        )),
        "{stdout}"
    );
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(
        summary.starts_with("# earlier step\n### ❌ schemagate: 1 mismatch"),
        "{summary}"
    );
    assert!(summary.contains("`public.users.email`"), "{summary}");
    assert_eq!(std::fs::read_to_string(&output).unwrap(), "exit-code=1\n");
    assert!(std::fs::read_to_string(&junit)
        .unwrap()
        .contains("<testsuites"));
}

/// Each hook runs a subcommand with flags the binary accepts, on the files
/// that can change its verdict.
#[test]
fn the_pre_commit_hooks_run_real_commands() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hooks = hooks.as_array().unwrap();
    assert!(hooks.iter().any(|h| h["id"] == "schemagate-check"));
    for hook in hooks {
        assert_eq!(hook["language"], "rust", "{hook}");
        assert_eq!(hook["pass_filenames"], false, "{hook}");
        let entry: Vec<&str> = hook["entry"].as_str().unwrap().split(' ').collect();
        assert_eq!(entry[0], "schemagate", "{hook}");
        let mut args = entry[1..].to_vec();
        args.push("--help");
        let run = schemagate(&args);
        assert_eq!(run.code, 0, "{hook}: {run:?}");
        let files = regex::Regex::new(hook["files"].as_str().unwrap()).unwrap();
        assert!(files.is_match("migrations/0007_new.up.sql"), "{hook}");
    }
}

/// Without a release to download (here: no repository to download from),
/// the install step builds the action's source with cargo and puts the
/// binary on the job's PATH. `cargo` is a stand-in that records its
/// arguments: a real build would take minutes.
#[test]
fn the_action_install_step_builds_when_there_is_no_release() {
    let tmp = TempDir::new("action_install");
    let fake = tmp.write(
        "fake/cargo",
        "#!/bin/sh\necho \"$@\" > \"$RUNNER_TEMP/cargo-args\"\n\
         root=\"$4\"\nmkdir -p \"$root/bin\"\n\
         printf '#!/bin/sh\\necho schemagate 0.1.0\\n' > \"$root/bin/schemagate\"\n\
         chmod +x \"$root/bin/schemagate\"\n",
    );
    Command::new("chmod").arg("+x").arg(&fake).status().unwrap();
    let github_path = tmp.write("github_path", "");
    let path = format!(
        "{}:{}",
        fake.parent().unwrap().display(),
        std::env::var("PATH").unwrap()
    );
    let run = Command::new("bash")
        .arg(repo_root().join("action/install.sh"))
        .env("PATH", path)
        .env("RUNNER_TEMP", tmp.path())
        .env("GITHUB_PATH", &github_path)
        .env("GITHUB_ACTION_PATH", repo_root())
        .env("ACTION_REPOSITORY", "")
        .env("INPUT_VERSION", "latest")
        .env("INPUT_BUILD", "false")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(stdout.ends_with("schemagate 0.1.0\n"), "{stdout}");
    let args = std::fs::read_to_string(tmp.path().join("cargo-args")).unwrap();
    assert!(args.starts_with("install --locked --root "), "{args}");
    assert!(
        args.trim_end()
            .ends_with(&format!("--path {}", repo_root().display())),
        "{args}"
    );
    let bin_dir = std::fs::read_to_string(&github_path).unwrap();
    assert!(
        std::path::Path::new(bin_dir.trim())
            .join("schemagate")
            .is_file(),
        "{bin_dir}"
    );
}
