//! Peak and current RSS around loading an expected file (issue 19's memory
//! analysis): `cargo run --release -p schemagate-core --example load_rss -- FILE`.
use std::path::Path;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn rss() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
        .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(" / peak ")
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: load_rss FILE");
        std::process::exit(2);
    };
    let path = Path::new(&path);
    let text = schemagate_core::expected::read(path).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    println!("text read: {}", rss());
    let schema = schemagate_core::expected::parse(&text, path).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    println!("parsed: {}", rss());
    drop(text);
    println!("text dropped: {}", rss());
    let copy = schema.clone();
    println!("one more copy of the schema: {}", rss());
    drop(copy);
    drop(schema);
}
