//! The `claimgraph` binary: parses arguments and maps the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

// The build allocates and frees millions of small records and a few huge tables; mimalloc
// reuses freed memory instead of returning it to the kernel to be zeroed again.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = claimgraph::cli::Cli::parse();
    ExitCode::from(claimgraph::cli::run(cli))
}
