//! `claimgraph corroboration`: per statement, how many reports, documents and independent
//! origins stand behind it; circular reporting and interested origins named as such.

use super::output::{ListArgs, print_rows};
use super::{failure, finish, open, unknown_entity};
use crate::store::read;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only statements about this entity
    #[arg(long)]
    pub subject: Option<String>,
    #[command(flatten)]
    pub list: ListArgs,
}

pub fn run(args: &Args) -> u8 {
    let conn = match open(&args.list.db) {
        Ok(conn) => conn,
        Err(code) => return code,
    };
    if let Some(subject) = &args.subject {
        match read::entity_name(&conn, subject) {
            Ok(Some(_)) => {}
            Ok(None) => return unknown_entity(&conn, subject),
            Err(e) => return failure(&e),
        }
    }
    match read::corroboration(&conn, args.subject.as_deref()) {
        Ok(rows) => finish(print_rows(
            &rows,
            args.list.format,
            &mut std::io::stdout().lock(),
        )),
        Err(e) => failure(&e),
    }
}
