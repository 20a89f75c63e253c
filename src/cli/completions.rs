//! `claimgraph completions SHELL`: the shell's completion script for every command and option,
//! made by clap_complete from the same definitions that parse the arguments.

use clap::CommandFactory;

use super::{Cli, EXIT_OK, failure};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn run(args: &Args) -> u8 {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "claimgraph", &mut script);
    match super::print_bytes(&script) {
        Ok(()) => EXIT_OK,
        Err(e) => failure(&e),
    }
}
