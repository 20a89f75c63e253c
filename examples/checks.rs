//! Runs the integrity and foreign-key checks of `claimgraph verify` (`integrity_check` and
//! `foreign_key_check` of each table, and `quick_check`) on a finished database, one after the
//! other on one thread, with the readers' settings; the benchmark measures its processor time:
//! `cargo run --release --example checks -- claimgraph.sqlite`.

use std::path::PathBuf;
use std::process::ExitCode;

use claimgraph::store::StoreError;
use clap::Parser;

#[derive(Debug, Parser)]
struct Args {
    /// The database to check
    db: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match claimgraph::store::verify(&args.db) {
        Ok(()) => {
            println!("ok");
            ExitCode::SUCCESS
        }
        // What failed, without the build's words about the previous database.
        Err(StoreError::Verify(problems)) => {
            eprintln!("{}: {problems}", args.db.display());
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("{}: {error}", args.db.display());
            ExitCode::FAILURE
        }
    }
}
