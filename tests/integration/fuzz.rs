//! A mutation fuzzer for the two parsers of untrusted input: the YAML loader
//! and the migration-file parser (discovery, statement splitter, positions).
//!
//! It starts from a seed corpus (the bundled files and the test cases) and
//! applies random byte-level and token-level mutations with a fixed-seed
//! PRNG. Properties: nothing panics; an expected file that loads survives
//! `to_yaml` and loads again with no difference; every split statement lies
//! within the text and in order. A plain `cargo test` checks the seed
//! corpus only; mutation runs are opt-in: `.ci/run` sets
//! `SCHEMAGATE_FUZZ_SECONDS=3`, and
//! `SCHEMAGATE_FUZZ_SECONDS=600 cargo test --test integration fuzz_ -- --nocapture`
//! is the long run. Crashes found become regression tests in bad_input_suite.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::{Duration, Instant};

use schemagate::{diff, expected, migrate};

use crate::support::*;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b": ",
    b",",
    b"- ",
    b"'",
    b"\"",
    b"\n",
    b"\r\n",
    b"\t",
    b"#",
    b"&a ",
    b"*a",
    b"!!binary ",
    b"? ",
    b"|\n",
    b">-\n",
    b"$$",
    b"$x$",
    b"--",
    b"/*",
    b"*/",
    b";",
    b"\\",
    b"\xff",
    b"\xc3",
    b"\xe2\x82\xac",
    b"\0",
    b"null",
    b"~",
    b"true",
    b"1e999",
    b"-0",
    b"    ",
    b"schemas:",
    b"tables:",
    b"columns:",
    b"type: ",
    b"E'",
    b"U&'",
    b"\"\"",
    b"''",
];

fn mutate(rng: &mut Rng, input: &[u8], corpus: &[Vec<u8>]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(6) {
            0 if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] ^= 1 << rng.below(8);
            }
            1 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                out.splice(at..at, t.iter().copied());
            }
            2 if !out.is_empty() => {
                let end = (at + rng.below(64)).min(out.len());
                out.drain(at..end);
            }
            3 if !out.is_empty() => {
                let start = rng.below(out.len());
                let end = (start + rng.below(128)).min(out.len());
                let chunk = out[start..end].to_vec();
                out.splice(at..at, chunk);
            }
            4 => {
                let other = &corpus[rng.below(corpus.len())];
                if !other.is_empty() {
                    let start = rng.below(other.len());
                    let end = (start + rng.below(256)).min(other.len());
                    out.splice(at..at, other[start..end].iter().copied());
                }
            }
            _ => out.truncate(at),
        }
    }
    out
}

fn seconds() -> Duration {
    let s = std::env::var("SCHEMAGATE_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Duration::from_secs(s)
}

fn collect(dir: &Path, ext: &str, out: &mut Vec<Vec<u8>>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            collect(&p, ext, out);
        } else if p.to_string_lossy().ends_with(ext) {
            out.push(std::fs::read(&p).unwrap());
        }
    }
}

fn run_fuzz(name: &str, corpus: Vec<Vec<u8>>, mut check: impl FnMut(&[u8])) {
    assert!(!corpus.is_empty(), "empty seed corpus for {name}");
    let mut rng = Rng(0x5eed_0000_0000_0001 ^ name.len() as u64);
    let deadline = Instant::now() + seconds();
    let mut runs = 0u64;
    for seed in &corpus {
        check(seed);
    }
    while Instant::now() < deadline {
        let seed = &corpus[rng.below(corpus.len())];
        let input = mutate(&mut rng, seed, &corpus);
        let result = catch_unwind(AssertUnwindSafe(|| check(&input)));
        if result.is_err() {
            let path = std::env::temp_dir().join(format!("schemagate-fuzz-crash-{name}-{runs}"));
            std::fs::write(&path, &input).unwrap();
            panic!("{name}: crash on input saved to {}", path.display());
        }
        runs += 1;
    }
    eprintln!("fuzz {name}: {runs} inputs, no crash");
}

#[test]
fn fuzz_yaml_loader() {
    let mut corpus = Vec::new();
    collect(&repo_root().join("tests/cases"), ".yaml", &mut corpus);
    corpus.push(std::fs::read(repo_root().join("expected_schema.yaml")).unwrap());
    let file = Path::new("fuzz.yaml");
    run_fuzz("yaml", corpus, |input| {
        let text = String::from_utf8_lossy(input);
        if let Ok(schema) = expected::parse(&text, file) {
            // What loads must survive being written and read back unchanged.
            let again = expected::to_yaml(&schema);
            let back = expected::parse(&again, file)
                .unwrap_or_else(|e| panic!("re-reading to_yaml output failed: {e}\n{again}"));
            let d = diff::diff(&schema, &back);
            assert!(d.is_empty(), "round trip changed the schema: {d:?}");
        }
    });
}

#[test]
fn fuzz_migration_parser() {
    let mut corpus = Vec::new();
    collect(&repo_root().join("migrations"), ".sql", &mut corpus);
    collect(&repo_root().join("tests/cases"), ".sql", &mut corpus);
    let tmp = TempDir::new("fuzz_mig");
    run_fuzz("migrations", corpus, |input| {
        let text = String::from_utf8_lossy(input);
        let statements = migrate::split(&text);
        let mut last = 0;
        for s in &statements {
            assert!(
                s.start >= last && s.start <= s.end && s.end <= text.len(),
                "bad statement bounds"
            );
            last = s.end;
            let _ = s.text(&text);
            let loc = migrate::locate(&text, s.start);
            assert!(loc.line >= 1 && loc.column >= 1);
        }
        // Discovery reads the raw bytes (not UTF-8 fixed up).
        let dir = tmp.path();
        std::fs::write(dir.join("0001_x.up.sql"), input).unwrap();
        std::fs::write(dir.join("0001_x.down.sql"), input).unwrap();
        let _ = migrate::discover(dir, None);
    });
}
