//! `schemagate bootstrap`: the application database and role with their
//! grants, idempotent; what was done on stdout, warnings on stderr.

use anyhow::{Context, Result};

use schemagate::bootstrap::{self, BootstrapOptions, Password};

use super::Verdict;
use crate::cli::BootstrapArgs;

pub fn run(args: BootstrapArgs, quiet: bool) -> Result<Verdict> {
    let password = Password::from_env(&args.password_env)?;
    let options = BootstrapOptions {
        database: args.database,
        role: args.role,
        password,
        collation: args.collation,
    };
    let report = bootstrap::bootstrap(&args.admin_url, &options).with_context(|| {
        format!(
            "bootstrapping database {} and role {}",
            options.database, options.role
        )
    })?;
    if report.role_created {
        println!(
            "role {}: created (password from ${})",
            options.role, args.password_env
        );
    } else {
        println!(
            "role {}: exists; password set from ${}",
            options.role, args.password_env
        );
    }
    println!(
        "database {}: {} ({}, {})",
        options.database,
        if report.database_created {
            "created"
        } else {
            "exists"
        },
        report.encoding,
        report.collation
    );
    println!(
        "granted all on database {db} and schema public, and default privileges on its \
         tables, sequences and functions, to {role}",
        db = options.database,
        role = options.role
    );
    if !quiet {
        for warning in &report.warnings {
            eprintln!("schemagate: warning: {warning}");
        }
    }
    Ok(Verdict::Match)
}
