//! `claimgraph query SQL`: analysts' own SQL, read-only, bounded in time and memory, its rows
//! printed as they come.

use std::io::{self, BufWriter};
use std::path::PathBuf;
use std::time::Duration;

use super::Stop;
use super::options::{seconds, whole};
use super::output::{Flow, ListFormat, Printer};
use crate::store::sandbox::{Limits, QueryError, Sandbox};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// One SQL statement that only reads (SELECT, WITH …, reading PRAGMAs)
    pub sql: String,
    /// The database to read
    #[arg(long, default_value = "claimgraph.sqlite")]
    pub db: PathBuf,
    /// Output format; a table shows at most the first 1000 rows, CSV and JSON print every row
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Stop after this many seconds, printing included (more than 0, at most 86400)
    #[arg(long, value_name = "SECONDS", default_value = "5", value_parser = seconds)]
    pub timeout: Duration,
    /// The most memory SQLite may use for the statement, in MiB (16 to 1048576); no value may
    /// be longer than a quarter of it
    #[arg(long, value_name = "MIB", default_value = "512", value_parser = whole(16, 1 << 20))]
    pub max_memory: usize,
}

pub fn run(args: &Args) -> Result<(), Stop> {
    let limits = Limits {
        time: args.timeout,
        memory_bytes: i64::try_from(args.max_memory).unwrap_or(i64::MAX) << 20,
    };
    let sandbox = Sandbox::open(&args.db, limits)?;
    let mut query = sandbox.prepare(&args.sql).map_err(refusal)?;
    let out = BufWriter::new(io::stdout().lock());
    let mut printer = Printer::new(args.format, query.columns().to_vec(), out).limit_table();
    let mut rows = query.rows().map_err(refusal)?;
    while let Some(row) = rows.next_row().map_err(refusal)? {
        if printer.row(&row)? == Flow::Enough {
            break;
        }
    }
    Ok(printer.finish()?)
}

/// A refusal is a usage error that says what `query` is for.
fn refusal(error: QueryError) -> Stop {
    match error {
        QueryError::Refused(why) => Stop::Usage(format!(
            "refused: {why}; `query` runs one read-only statement and writes nothing"
        )),
        other => other.into(),
    }
}
