//! The command line: one file per subcommand. The only module that prints; data goes to
//! stdout, diagnostics and progress to stderr.

/// Writes a line to stderr. A closed stderr (say, piped into `head`) is not worth a panic:
/// the line is dropped.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

mod build;
mod check;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::diagnostic::Files;
use crate::pipeline::Checked;

/// Exit code: everything is fine.
pub const EXIT_OK: u8 = 0;
/// Exit code: the data has errors.
pub const EXIT_DATA_ERRORS: u8 = 1;
/// Exit code: the command could not run (usage, I/O).
pub const EXIT_FAILURE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "claimgraph",
    version,
    about = "Who reported what about whom, citing whom, in which words: curated claims from news reports as a provenance knowledge graph"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the curated data against the documents and report every problem
    Check(check::Args),
    /// Check the data and build the SQLite database (atomically) and the standard exports
    Build(build::Args),
}

/// Where the inputs are; shared by `check` and `build`.
#[derive(Debug, clap::Args)]
pub struct InputArgs {
    /// Folder of curated TOML files, read recursively
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
    /// Folder of source documents that `source` records point into
    #[arg(long, default_value = "seeds")]
    pub seeds: PathBuf,
}

pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Build(args) => build::run(&args),
    }
}

/// Prints a command's failure to run (not a data problem) and returns exit code 2.
fn failure(error: &dyn std::fmt::Display) -> u8 {
    say!("error: {error}");
    EXIT_FAILURE
}

/// Prints every diagnostic, sorted by file and line, then a count; returns whether there were
/// errors.
fn report(checked: Checked) -> (bool, crate::model::Model, Files) {
    let Checked {
        files,
        model,
        diagnostics,
    } = checked;
    let errors = diagnostics.error_count();
    let warnings = diagnostics.warning_count();
    let styled = std::io::stderr().is_terminal();
    for diagnostic in diagnostics.sorted(&files) {
        say!("{}\n", diagnostic.render(&files, styled));
    }
    if errors > 0 || warnings > 0 {
        say!(
            "{} {}, {} {}",
            errors,
            plural(errors, "error", "errors"),
            warnings,
            plural(warnings, "warning", "warnings")
        );
    }
    (errors > 0, model, files)
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}
