//! `claimgraph search TEXT`: full text over names, aliases, quotes, notes and documents,
//! diacritics-insensitive and ranked, with the matches highlighted.

use std::io::IsTerminal;

use super::output::{Format, ListArgs, print_rows};
use super::{Stop, open};
use crate::store::read;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Words to look for (all must occur); diacritics and case are ignored
    pub text: String,
    /// At most this many results
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[command(flatten)]
    pub list: ListArgs,
}

pub fn run(args: &Args) -> Result<(), Stop> {
    let conn = open(&args.list.db)?;
    // Bold on a terminal; brackets where the output is read by a program or a person later.
    let (open_mark, close_mark) =
        if args.list.format == Format::Table && std::io::stdout().is_terminal() {
            ("\x1b[1m", "\x1b[0m")
        } else {
            ("[", "]")
        };
    let rows = read::search(&conn, &args.text, args.limit, open_mark, close_mark)?;
    Ok(print_rows(
        &rows,
        args.list.format,
        &mut std::io::stdout().lock(),
    )?)
}
