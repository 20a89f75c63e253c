//! `claimgraph man`: the manual page in roff, made by clap_mangen from the same definitions
//! that parse the arguments: one page naming every command on stdout, or a page per command
//! in a folder.

use std::path::PathBuf;

use clap::CommandFactory;

use super::{Cli, EXIT_OK, failure};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write claimgraph.1 and a page per command (claimgraph-check.1, …) into this folder
    /// instead of printing claimgraph.1
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn run(args: &Args) -> u8 {
    let written = match &args.out {
        Some(dir) => std::fs::create_dir_all(dir)
            .and_then(|()| clap_mangen::generate_to(Cli::command(), dir))
            .map_err(|e| format!("{}: {e}", dir.display())),
        None => {
            let mut page = Vec::new();
            // As `generate_to` does: `help` has no page of its own to point at.
            clap_mangen::Man::new(Cli::command().disable_help_subcommand(true))
                .render(&mut page)
                .and_then(|()| super::print_bytes(&page))
                .map_err(|e| e.to_string())
        }
    };
    match written {
        Ok(()) => EXIT_OK,
        Err(e) => failure(&e),
    }
}
