//! `claimgraph build`: check the data, link the graph, analyse provenance, write the new
//! database beside the old one, make the standard exports from it, and only then put the
//! database and the exports in place together.
//!
//! Before anything is read, the build settles what it may write: the database must be absent
//! or claimgraph's (or `--force`), the exports folder is locked, and every standard export in
//! it must be claimgraph's; nothing inside the data or seeds folders is ever written.

use std::path::PathBuf;
use std::time::Instant;

use super::progress::{Progress, Timings};
use super::{EXIT_DATA_ERRORS, EXIT_OK, InputArgs, export, failure, report};
use crate::files::{self, ReadOnly};
use crate::graph::KnowledgeGraph;
use crate::graph::provenance;
use crate::view::ViewKind;
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
    /// Replace --db, and the standard files in --exports, even if claimgraph did not write them
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: &Args) -> u8 {
    let started = Instant::now();
    let read_only = ReadOnly::default()
        .folder(&args.inputs.data, "the data folder")
        .folder(&args.inputs.seeds, "the seeds folder");
    let db = match files::database_target(&args.db, &read_only, args.force) {
        Ok(db) => db,
        Err(e) => return failure(&e),
    };
    let read_only = read_only.file(&db, "the database this build writes");
    let mut exports = match (!args.no_exports)
        .then(|| export::ExportsFolder::lock(&args.exports, &read_only, args.force))
        .transpose()
    {
        Ok(exports) => exports,
        Err(e) => return failure(&e),
    };
    if let Err(e) = crate::interrupt::install() {
        return failure(&e);
    }
    // What an interrupted build left behind goes first, whatever happens next.
    if let Err(e) = store::remove_stale_temp(&db) {
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
    let built = store::write(model, graph, provenance::analyse, &db, &stage);
    let built = match built {
        Ok(built) => built,
        Err(e) => {
            progress.clear();
            return failure(&e);
        }
    };
    // Exports are read from the new database, like every `export`, so the two always agree;
    // they are made before either is put in place, so that a failure leaves both as they were.
    let standard = match &exports {
        Some(folder) => {
            stage("writing the standard exports");
            match export::prepare_standard(built.path(), folder) {
                Ok(set) => Some(set),
                Err(e) => {
                    progress.clear();
                    return failure(&e);
                }
            }
        }
        None => None,
    };
    progress.clear();
    let committed = crate::interrupt::uninterruptible(|| {
        let summary = built.commit().map_err(|e| e.to_string())?;
        let written = match (standard, exports.as_mut()) {
            (Some(set), Some(folder)) => Some((
                set.skipped.clone(),
                set.commit(folder).map_err(|e| e.to_string())?,
            )),
            _ => None,
        };
        Ok::<_, String>((summary, written))
    });
    let (summary, written) = match committed {
        Ok(done) => done,
        Err(e) => return failure(&e),
    };
    if args.timings {
        for line in timings.report(Instant::now()) {
            say!("{line}");
        }
    }
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
    if let Some((skipped, files)) = written {
        say!(
            "wrote {} exports of {} views to {}",
            files,
            ViewKind::ALL.len(),
            args.exports.display()
        );
        if skipped.graphviz_missing {
            say!(
                "note: the SVG diagrams were skipped: Graphviz is not installed (`apt-get install graphviz`, `brew install graphviz`, or https://graphviz.org/download/)"
            );
        }
        for (view, why) in &skipped.views {
            say!("note: {view}.svg was skipped: {why}");
        }
    }
    EXIT_OK
}
