//! `schemagate diff`: a live database compared with the expected file,
//! read-only.

use anyhow::Result;

use schemagate::pipeline::{self, output};

use super::Verdict;
use crate::cli::DiffArgs;
use crate::ui::Ui;

pub fn run(args: DiffArgs, ui: Ui) -> Result<Verdict> {
    let compared = pipeline::diff(
        &args.db.live(),
        &args.expected,
        &args.ignore_kinds,
        move |event| ui.event(event),
    )?;
    output::write_outcome(
        &compared.outcome,
        args.format,
        &mut std::io::stdout().lock(),
    )?;
    let verdict = if compared.outcome.is_match() {
        Verdict::Match
    } else {
        Verdict::Mismatch
    };
    // The process ends after this: freeing two large schemas string by
    // string would take longer than comparing them.
    std::mem::forget(compared);
    Ok(verdict)
}
