//! `claimgraph lsp`: the language server ([`crate::lsp`]) on stdin and stdout, for an editor
//! to start.

use std::path::PathBuf;

use super::{EXIT_FAILURE, EXIT_OK};

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

pub fn run(args: &Args) -> u8 {
    match crate::lsp::serve_stdio(&args.data, &args.seeds) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            say!("error: the language server stopped: {e}");
            EXIT_FAILURE
        }
    }
}
