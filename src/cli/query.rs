//! `claimgraph query SQL`: analysts' own SQL, read-only and time-limited.

use std::time::Duration;

use super::Stop;
use super::output::{ListArgs, print_rows};
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

pub fn run(args: &Args) -> Result<(), Stop> {
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        return Err(Stop::Usage(
            "--timeout takes a positive number of seconds".into(),
        ));
    }
    let timeout = Duration::from_secs_f64(args.timeout);
    let rows = run_query(&args.list.db, &args.sql, timeout).map_err(|e| match e {
        QueryError::Refused(why) => Stop::Usage(format!(
            "refused: {why}; `query` runs one read-only statement and writes nothing"
        )),
        other => other.into(),
    })?;
    Ok(print_rows(
        &rows,
        args.list.format,
        &mut std::io::stdout().lock(),
    )?)
}
