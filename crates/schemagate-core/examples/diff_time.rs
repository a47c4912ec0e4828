//! Times `diff::diff` of a file's schema against itself, and the clones it
//! makes: `cargo run --release -p schemagate-core --example diff_time -- FILE`.
use std::path::Path;
use std::time::Instant;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: diff_time FILE");
        std::process::exit(2);
    };
    let path = Path::new(&path);
    let load = || match schemagate_core::expected::load(path) {
        Ok(schema) => schema,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let (expected, actual) = (load(), load());
    {
        let started = Instant::now();
        schemagate_core::canon::warm(&expected);
        let warmed = started.elapsed();
        let started = Instant::now();
        let mismatches = schemagate_core::diff::diff_normalized(&expected, &actual);
        println!(
            "warm {:?}; then diff_normalized {:?} ({} mismatches)",
            warmed,
            started.elapsed(),
            mismatches.len()
        );
    }
    for _ in 0..3 {
        let started = Instant::now();
        let copy = (expected.clone(), actual.clone());
        let cloned = started.elapsed();
        drop(copy);
        let started = Instant::now();
        let mut copy = expected.clone();
        schemagate_core::canon::drop_server_casts_in(&mut copy);
        let dropped = started.elapsed();
        let started = Instant::now();
        let mismatches = schemagate_core::diff::diff(&expected, &actual);
        println!(
            "diff {:?} ({} mismatches); two clones {:?}; one clone + drop_server_casts_in {:?}",
            started.elapsed(),
            mismatches.len(),
            cloned,
            dropped
        );
    }
}
