//! `claimgraph build`: the arguments of [`pipeline::build`], which checks the data, writes the
//! database and the standard exports and puts them in place together; its progress, its
//! diagnostics and what it built, printed.

use std::path::PathBuf;
use std::time::Instant;

use super::progress::{Screen, timing_lines};
use super::{EXIT_DATA_ERRORS, EXIT_OK, InputArgs, failure};
use crate::pipeline::{self, BuildOptions, Outcome};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub inputs: InputArgs,
    /// The SQLite database to write; replaced only by a complete, checked build
    #[arg(long, default_value = "claimgraph.sqlite")]
    pub db: PathBuf,
    /// Folder for the standard exports
    #[arg(long, default_value = "exports", conflicts_with = "no_exports")]
    pub exports: PathBuf,
    /// Write the database only, no exports
    #[arg(long)]
    pub no_exports: bool,
    /// Print how long each stage took, on stderr
    #[arg(long)]
    pub timings: bool,
    /// Replace --db, and the standard files in --exports, even if claimgraph did not write them
    #[arg(long)]
    pub force: bool,
    /// Run the checks of `claimgraph verify` on the new database before it replaces --db
    #[arg(long)]
    pub verify: bool,
    /// Build from nothing, even when --db is up to date with the inputs
    #[arg(long)]
    pub full: bool,
}

pub fn run(args: &Args) -> u8 {
    let started = Instant::now();
    let options = BuildOptions {
        data: &args.inputs.data,
        seeds: &args.inputs.seeds,
        db: &args.db,
        exports: (!args.no_exports).then_some(args.exports.as_path()),
        force: args.force,
        verify: args.verify,
        full: args.full,
    };
    let mut screen = Screen::new(args.inputs.max_errors);
    let outcome = pipeline::build(&options, &mut screen);
    screen.clear();
    let report = match outcome {
        Ok(Outcome::Built(report)) => report,
        Ok(Outcome::UpToDate(report)) => {
            if args.timings {
                for line in timing_lines(&report.stages) {
                    say!("{line}");
                }
            }
            say!(
                "{} is up to date: no input changed since it was built, so it was left as it is (--full rebuilds it)",
                args.db.display()
            );
            print_exports(args, report.exports.as_ref());
            return EXIT_OK;
        }
        Ok(Outcome::DataErrors) => {
            say!("nothing was written: {} is unchanged", args.db.display());
            return EXIT_DATA_ERRORS;
        }
        Ok(Outcome::Unverified(verified)) => {
            super::verify::print_problems(
                &verified,
                &format!("the new database for {}", args.db.display()),
            );
            say!("nothing was written: {} is unchanged", args.db.display());
            return EXIT_DATA_ERRORS;
        }
        Ok(Outcome::UpToDateUnverified(verified)) => {
            super::verify::print_problems(&verified, &args.db.display().to_string());
            say!(
                "nothing was written: {} is up to date with the inputs but damaged; `claimgraph build --full` builds it anew",
                args.db.display()
            );
            return EXIT_DATA_ERRORS;
        }
        Err(e) => return failure(&e),
    };
    if args.timings {
        for line in timing_lines(&report.stages) {
            say!("{line}");
        }
    }
    let counts = &report.counts;
    say!(
        "built {} in {:.2} s: {} entities, {} claims in {} documents, {} statements, {} conflicts, {} mentions; graph of {} nodes and {} edges",
        args.db.display(),
        started.elapsed().as_secs_f64(),
        counts.entities,
        counts.claims,
        counts.documents,
        counts.statements,
        counts.conflicts,
        counts.mentions,
        counts.nodes,
        counts.edges,
    );
    print_exports(args, report.exports.as_ref());
    EXIT_OK
}

/// What was said of the standard exports written, if any.
fn print_exports(args: &Args, exports: Option<&pipeline::ExportsReport>) {
    if let Some(exports) = exports {
        say!(
            "wrote {} exports of {} views to {}",
            exports.files,
            exports.views,
            args.exports.display()
        );
        if exports.skipped.graphviz_missing {
            say!(
                "note: the SVG diagrams and the explorer were skipped: Graphviz is not installed (`apt-get install graphviz`, `brew install graphviz`, or https://graphviz.org/download/)"
            );
        }
        for (file, why) in &exports.skipped.views {
            say!("note: {file} was skipped: {why}");
        }
        if let Some(documents) = exports.skipped.documents {
            say!(
                "note: no document got a provenance drawing of its own: {documents} documents have claims, more than the {} a build draws; draw one with `claimgraph export svg --view provenance --source ID`",
                crate::pipeline::MAX_DOCUMENT_DRAWINGS
            );
        }
    }
}
