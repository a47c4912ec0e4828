//! The `schemagate` binary: parse arguments, run, map the outcome to an exit
//! status (0 match, 1 mismatch, 2 error). Nothing else lives here.

use std::process::ExitCode;

use clap::Parser;

use commands::Verdict;

mod cli;
mod commands;
mod ui;

/// mimalloc instead of the system allocator: a 50,000-table read builds and
/// frees millions of small strings on two threads, which glibc's malloc
/// spent over a third of the run consolidating and kept as RSS (measured in
/// bench/results.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    if let Err(message) = load_dotenv() {
        eprintln!("schemagate: error: {}", schemagate::db::redact(&message));
        return ExitCode::from(2);
    }
    if let Ok(password) = std::env::var("PGPASSWORD") {
        schemagate::db::register_secret(&password);
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
        // clean-up must not end it first with another status. Every guard
        // of the run has been dropped by now.
        schemagate::throwaway::cleanup::unwound();
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

/// Loads `.env` (this directory or a parent) as the seed does. A parse
/// error names the file and line only: the text that failed to parse may be
/// the rest of the file, other secrets included.
fn load_dotenv() -> Result<(), String> {
    let Ok(cwd) = std::env::current_dir() else {
        return Ok(());
    };
    let Some(path) = cwd
        .ancestors()
        .map(|d| d.join(".env"))
        .find(|p| p.is_file())
    else {
        return Ok(());
    };
    match dotenvy::from_path(&path) {
        Ok(()) => Ok(()),
        Err(dotenvy::Error::LineParse(failed, _)) => {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            // The failing text is a suffix of the file from the start of its
            // first line (values may span lines).
            let line = text
                .rfind(failed.as_str())
                .map(|at| text[..at].matches('\n').count() + 1);
            Err(match line {
                Some(n) => format!("cannot load {}: parse error on line {n}", path.display()),
                None => format!("cannot load {}: parse error", path.display()),
            })
        }
        Err(dotenvy::Error::Io(e)) => Err(format!("cannot load {}: {e}", path.display())),
        Err(_) => Err(format!("cannot load {}", path.display())),
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
