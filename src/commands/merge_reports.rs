//! `schemagate merge-reports`: the JSON reports of several fleet runs (the
//! shards of a CI matrix) as one report, with the same exit rule.

use anyhow::{Context, Result};

use schemagate::pipeline::output;
use schemagate::report::fleet::FleetReport;

use super::Verdict;
use crate::cli::MergeReportsArgs;

pub fn run(args: MergeReportsArgs) -> Result<Verdict> {
    let mut reports = Vec::new();
    for path in &args.files {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let report: FleetReport = serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not a fleet report of `schemagate diff --format json`",
                path.display()
            )
        })?;
        if report.version != schemagate::report::fleet::VERSION {
            anyhow::bail!(
                "{}: report version {} (this schemagate reads {})",
                path.display(),
                report.version,
                schemagate::report::fleet::VERSION
            );
        }
        reports.push(report);
    }
    let merged = FleetReport::merge(reports);
    output::write_fleet(&merged, args.format, &mut std::io::stdout().lock())?;
    Ok(Verdict::of_fleet(&merged))
}
