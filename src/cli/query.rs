//! `claimgraph query SQL`: analysts' own SQL, read-only and time-limited.

use std::time::Duration;

use super::output::{ListArgs, print_rows};
use super::{failure, finish};
use crate::store::sandbox::{QueryError, run_query};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// One SQL statement that only reads (SELECT, WITH …, reading PRAGMAs)
    pub sql: String,
    #[command(flatten)]
    pub list: ListArgs,
    /// Stop the query after this many seconds
    #[arg(long, default_value_t = 5.0)]
    pub timeout: f64,
}

pub fn run(args: &Args) -> u8 {
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        return failure(&"--timeout takes a positive number of seconds");
    }
    let timeout = Duration::from_secs_f64(args.timeout);
    match run_query(&args.list.db, &args.sql, timeout) {
        Ok(rows) => finish(print_rows(
            &rows,
            args.list.format,
            &mut std::io::stdout().lock(),
        )),
        Err(QueryError::Refused(why)) => failure(&format!(
            "refused: {why}; `query` runs one read-only statement and writes nothing"
        )),
        Err(e) => failure(&e),
    }
}
