//! `claimgraph build`: check the data, link the graph, analyse provenance, write the
//! database atomically, then the standard exports from it.

use std::path::PathBuf;
use std::time::Instant;

use super::progress::{Progress, Timings};
use super::{EXIT_DATA_ERRORS, EXIT_OK, InputArgs, export, failure, report};
use crate::graph::KnowledgeGraph;
use crate::graph::provenance;
use crate::graph::views::ViewKind;
use crate::{pipeline, store};

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
}

pub fn run(args: &Args) -> u8 {
    let started = Instant::now();
    // What an interrupted build left behind goes first, whatever happens next.
    if let Err(e) = store::remove_stale_temp(&args.db) {
        return failure(&e);
    }
    let timings = Timings::default();
    let progress = Progress::start();
    let stage = |name: &str| {
        timings.stage(name);
        progress.stage(name);
    };
    let checked = match pipeline::check(&args.inputs.data, &args.inputs.seeds, &stage) {
        Ok(checked) => checked,
        Err(e) => {
            progress.clear();
            return failure(&e);
        }
    };
    progress.clear();
    // The data files' text is only needed for diagnostics; `_` drops it here, before the
    // graph and the database take their memory.
    let (has_errors, model, _) = report(checked, args.inputs.max_errors);
    if has_errors {
        say!("nothing was written: {} is unchanged", args.db.display());
        return EXIT_DATA_ERRORS;
    }
    let progress = Progress::start();
    let stage = |name: &str| {
        timings.stage(name);
        progress.stage(name);
    };
    stage("linking the graph");
    let graph = KnowledgeGraph::build(&model);
    let written = store::write(model, graph, provenance::analyse, &args.db, &stage);
    progress.clear();
    if args.timings {
        for line in timings.report(Instant::now()) {
            say!("{line}");
        }
    }
    let summary = match written {
        Ok(summary) => summary,
        Err(e) => return failure(&e),
    };
    say!(
        "built {} in {:.2} s: {} entities, {} claims in {} documents, {} statements, {} conflicts, {} mentions; graph of {} nodes and {} edges",
        args.db.display(),
        started.elapsed().as_secs_f64(),
        summary.count("entities"),
        summary.count("claims"),
        summary.count("sources"),
        summary.count("statements"),
        summary.count("conflict_pairs"),
        summary.count("mentions"),
        summary.count("nodes"),
        summary.count("edges"),
    );
    if args.no_exports {
        return EXIT_OK;
    }
    // Exports are read from the database just written, like every `export`, so the two
    // always agree.
    let progress = Progress::start();
    progress.stage("writing the standard exports");
    let exported = export::write_standard(&args.db, &args.exports);
    progress.clear();
    match exported {
        Ok(set) => {
            say!(
                "wrote {} exports of {} views to {}",
                set.files,
                ViewKind::ALL.len(),
                args.exports.display()
            );
            if set.svg_skipped {
                say!(
                    "note: the SVG diagrams were skipped: Graphviz is not installed (`apt-get install graphviz`, `brew install graphviz`, or https://graphviz.org/download/)"
                );
            }
            EXIT_OK
        }
        Err(e) => failure(&e),
    }
}
