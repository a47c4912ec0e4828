//! `schemagate schema`: the JSON Schema of expected_schema.yaml.

use std::io::Write;

use anyhow::{Context, Result};

use super::Verdict;

pub fn run() -> Result<Verdict> {
    let mut out = std::io::stdout().lock();
    out.write_all(schemagate::expected::json_schema::render().as_bytes())
        .and_then(|()| out.flush())
        .context("writing the JSON Schema")?;
    Ok(Verdict::Match)
}
