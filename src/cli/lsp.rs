//! `claimgraph lsp`: the language server ([`crate::lsp`]) on stdin and stdout, for an editor
//! to start. Exit code 0 after `shutdown` and `exit`, 1 after `exit` alone (as the protocol
//! says), 2 when it could not go on.

use std::path::PathBuf;

use super::{EXIT_FAILURE, EXIT_OK};
use crate::lsp::Ended;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder of curated TOML files, relative to the editor's workspace root (the client's
    /// `initializationOptions.data` overrides it)
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
    /// Folder of source documents, relative to the workspace root
    /// (`initializationOptions.seeds` overrides it)
    #[arg(long, default_value = "seeds")]
    pub seeds: PathBuf,
    /// Talk over stdin and stdout, the only way this server talks; accepted because editors
    /// pass it
    #[arg(long)]
    pub stdio: bool,
}

/// The exit code the protocol asks for when `exit` comes without `shutdown`.
const EXIT_WITHOUT_SHUTDOWN: u8 = 1;

pub fn run(args: &Args) -> u8 {
    match crate::lsp::serve_stdio(&args.data, &args.seeds) {
        Ok(()) => EXIT_OK,
        Err(e @ Ended::ExitWithoutShutdown) => {
            say!("error: {e}");
            EXIT_WITHOUT_SHUTDOWN
        }
        Err(e) => {
            say!("error: the language server stopped: {e}");
            EXIT_FAILURE
        }
    }
}
