//! Times loading an expected file, and the YAML library alone on the same
//! text, to tell the parser's share from schemagate's own:
//!
//! ```text
//! cargo run --release -p schemagate-core --example load_expected -- FILE [ROUNDS]
//! ```
//!
//! Used for issue 19's analysis (bench/results.md): it prints wall times of
//! ROUNDS (default 3) alternating rounds, nothing else.
use std::path::Path;
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: load_expected FILE [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    let path = Path::new(&path);
    let text = match schemagate_core::expected::read(path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let mut load = Vec::new();
    let mut yaml_only = Vec::new();
    for _ in 0..rounds {
        let started = Instant::now();
        match schemagate_core::expected::parse(&text, path) {
            Ok(schema) => std::mem::forget(schema),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(2);
            }
        }
        load.push(started.elapsed());
        let started = Instant::now();
        let options = serde_saphyr::options! { budget: None };
        let parsed: Result<serde::de::IgnoredAny, _> =
            serde_saphyr::from_str_with_options(&text, options);
        if let Err(e) = parsed {
            eprintln!("{e}");
            std::process::exit(2);
        }
        yaml_only.push(started.elapsed());
    }
    let median = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let mb = text.len() as f64 / 1e6;
    let load = median(load);
    let yaml_only = median(yaml_only);
    println!(
        "{mb:.1} MB: expected::parse {:.0} ms ({:.1} MB/s); serde-saphyr to IgnoredAny {:.0} ms ({:.1} MB/s); median of {rounds}",
        load.as_secs_f64() * 1e3,
        mb / load.as_secs_f64(),
        yaml_only.as_secs_f64() * 1e3,
        mb / yaml_only.as_secs_f64(),
    );
}
