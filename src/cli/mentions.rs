//! `claimgraph mentions`: where entities are named in the documents; `--unlinked` lists the
//! names a document contains that none of its claims uses, the curator's to-do list.

use super::options::ListArgs;
use super::output::print_rows;
use super::{Stop, open};
use crate::store::read;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only entities named in a document but used by none of its claims
    #[arg(long)]
    pub unlinked: bool,
    #[command(flatten)]
    pub list: ListArgs,
}

pub fn run(args: &Args) -> Result<(), Stop> {
    let rows = read::mentions(&open(&args.list.read)?, args.unlinked)?;
    print_rows(&rows, args.list.format, &mut std::io::stdout().lock())
}
