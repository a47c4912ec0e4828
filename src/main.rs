//! The `schemagate` binary: parse arguments, run, map the outcome to an exit
//! status (0 match, 1 mismatch, 2 error). Nothing else lives here.

use std::process::ExitCode;

use clap::Parser;

use commands::Verdict;

mod cli;
mod commands;
mod ui;

fn main() -> ExitCode {
    if let Err(e) = dotenvy::dotenv() {
        if !e.not_found() {
            eprintln!(
                "schemagate: error: cannot load .env: {}",
                schemagate::db::redact(&e.to_string())
            );
            return ExitCode::from(2);
        }
    }
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    // On a signal the library removes what this run made; the exit status
    // is chosen here, as a shell would report it.
    schemagate::throwaway::cleanup::clean_up_on_signals(|signal| std::process::exit(128 + signal));
    let result = commands::run(cli);
    if schemagate::throwaway::cleanup::interrupted().is_some() {
        // The signal handler is removing what this run made and will end
        // the process with 128 + the signal; a failure caused by its
        // clean-up must not end it first with another status.
        loop {
            std::thread::park();
        }
    }
    match result {
        Ok(Verdict::Match) => ExitCode::SUCCESS,
        Ok(Verdict::Mismatch) => ExitCode::from(1),
        Ok(Verdict::Incomplete) => ExitCode::from(2),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let mut text = format!("schemagate: error: {e}");
            for cause in e.chain().skip(1) {
                text.push_str(&format!("\n  caused by: {cause}"));
            }
            eprintln!("{}", schemagate::db::redact(&text));
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
