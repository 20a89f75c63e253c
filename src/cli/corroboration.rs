//! `claimgraph corroboration`: per statement, how many reports, documents and independent
//! origins stand behind it; circular reporting and interested origins named as such.

use super::options::ListArgs;
use super::output::print_rows;
use super::{Stop, open, require_entity};
use crate::store::read;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only statements about this entity
    #[arg(long)]
    pub subject: Option<String>,
    #[command(flatten)]
    pub list: ListArgs,
}

pub fn run(args: &Args) -> Result<(), Stop> {
    let conn = open(&args.list.read)?;
    if let Some(subject) = &args.subject {
        require_entity(&conn, subject)?;
    }
    let rows = read::corroboration(&conn, args.subject.as_deref())?;
    print_rows(&rows, args.list.format, &mut std::io::stdout().lock())
}
