//! The `claimgraph` binary: parses arguments and maps the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = claimgraph::cli::Cli::parse();
    ExitCode::from(claimgraph::cli::run(cli))
}
