//! `claimgraph verify`: the deep checks of a built database ([`pipeline::verify`]), each problem
//! on a line of its own, or one line saying what was checked.

use std::path::PathBuf;

use super::{EXIT_DATA_ERRORS, EXIT_OK, failure};
use crate::pipeline::{self, Verified};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The SQLite database to check
    #[arg(long, default_value = "claimgraph.sqlite")]
    pub db: PathBuf,
}

/// How many problems are printed one by one; the rest are counted.
const SHOWN_PROBLEMS: usize = 100;

pub fn run(args: &Args) -> u8 {
    let verified = match pipeline::verify(&args.db) {
        Ok(verified) => verified,
        Err(e) => return failure(&e),
    };
    if !verified.problems.is_empty() {
        print_problems(&verified, &args.db.display().to_string());
        return EXIT_DATA_ERRORS;
    }
    say!(
        "verified {}: integrity, foreign keys, {} nodes and {} edges against the graph, {} quote offsets",
        args.db.display(),
        verified.nodes,
        verified.edges,
        verified.quotes
    );
    EXIT_OK
}

/// Prints the problems the checks of the database `what` found (the first hundred, then how
/// many more), and their count.
pub(super) fn print_problems(verified: &Verified, what: &str) {
    for problem in verified.problems.iter().take(SHOWN_PROBLEMS) {
        say!("error: {problem}");
    }
    let count = verified.problems.len();
    if count > SHOWN_PROBLEMS {
        say!("… and {} more", count - SHOWN_PROBLEMS);
    }
    say!(
        "{what} failed verification: {}",
        super::count(count, "problem", "problems")
    );
}
