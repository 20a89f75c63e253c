//! The orchestrator: which stage runs when, on which thread, with what. [`check()`] loads and
//! checks the data; [`build`] goes on to the graph, the database and the standard exports, and
//! puts the database and the exports in place together. Commands hear of the stages through an
//! [`Observer`] and print what [`build`] reports; the pipeline itself prints nothing.

pub mod check;
mod database;
pub mod datasette;
mod exports;
mod incremental;
mod verify;

use std::path::Path;
use std::time::{Duration, Instant};

pub use check::{Checked, check, find_mentions};
use exports::StandardSet;
use exports::{ExportsFolder, prepare_standard};
pub use exports::{MAX_DOCUMENT_DRAWINGS, SkippedDrawings, StandardError};
pub use incremental::{Change, FullBuild, How};
use incremental::{Plan, Start};
pub use verify::{Verified, verify};

use crate::diagnostic::{Diagnostics, Files};
use crate::files::{self, ReadOnly, Refused};
use crate::graph::KnowledgeGraph;
use crate::load::LoadError;
use crate::store::{self, StoreError, WriteSummary};
use crate::view::ViewKind;

/// What a command hears of a running pipeline, as it runs: to show progress, and the
/// diagnostics before the build goes on.
pub trait Observer {
    /// A stage starts; the one before, if any, has ended.
    fn stage(&mut self, name: &'static str);

    /// Checking is done: every diagnostic, handed over, and the files they point into. A build
    /// goes on only if none is an error.
    fn checked(&mut self, _files: &Files, _diagnostics: Diagnostics) {}

    /// The previous database is not reused: the build starts from nothing, and this is why.
    /// Heard once the data passed the check, before the database is written; not heard when
    /// there was no previous database, or when `full` asked for a full build.
    fn full_build(&mut self, _why: &FullBuild) {}
}

/// What to build from what, and where.
#[derive(Debug, Clone, Copy)]
pub struct BuildOptions<'a> {
    /// The folder of curated TOML files.
    pub data: &'a Path,
    /// The folder of source documents.
    pub seeds: &'a Path,
    /// The database to write; replaced only by a complete, checked build.
    pub db: &'a Path,
    /// The folder of the standard exports; `None` writes the database only.
    pub exports: Option<&'a Path>,
    /// Replace the database and the standard exports even if claimgraph did not write them.
    pub force: bool,
    /// Run the deep checks ([`verify()`]) on the new database before anything is put in place.
    pub verify: bool,
    /// Build from nothing even when the previous database is up to date.
    pub full: bool,
}

/// How a build ended that could run.
#[derive(Debug)]
#[must_use]
pub enum Outcome {
    /// The database, and the exports if asked for, are in place.
    Built(BuildReport),
    /// The database was built by this claimgraph from the very inputs there are now, and was
    /// left as it is; the exports, if asked for, were written again from it.
    UpToDate(UpToDateReport),
    /// The data has errors (the observer has heard them): nothing was written.
    DataErrors,
    /// The new database failed the deep checks `build --verify` asked for: nothing was put in
    /// place.
    Unverified(Verified),
    /// The database was up to date but failed the deep checks `build --verify` asked for: it
    /// was left as it is, and no export was written.
    UpToDateUnverified(Verified),
}

/// What a finished build did.
#[derive(Debug)]
pub struct BuildReport {
    /// What the new database holds.
    pub counts: WriteSummary,
    /// Every stage in the order they ran, each up to the start of the next, the last up to the
    /// moment the database and the exports were in place.
    pub stages: Vec<StageTime>,
    /// The standard exports written, unless the build was told to write none.
    pub exports: Option<ExportsReport>,
}

/// What a build that found the database up to date did.
#[derive(Debug)]
pub struct UpToDateReport {
    /// Every stage in the order they ran, as in [`BuildReport::stages`].
    pub stages: Vec<StageTime>,
    /// The standard exports written, unless the build was told to write none.
    pub exports: Option<ExportsReport>,
}

/// How long one stage took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageTime {
    pub name: &'static str,
    pub took: Duration,
}

/// The standard exports a build put in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportsReport {
    /// How many files.
    pub files: usize,
    /// Of how many views.
    pub views: usize,
    /// The drawings that were not made, and why.
    pub skipped: SkippedDrawings,
}

/// Why a build could not run (exit code 2), as opposed to problems in the data.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The database or an export in the way is not claimgraph's, or a path is unusable.
    #[error(transparent)]
    Refused(#[from] Refused),
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Exports(#[from] StandardError),
    /// The handler of interrupting signals could not be installed.
    #[error(transparent)]
    Signals(std::io::Error),
}

/// Builds the database, and the standard exports from it, out of the data and seeds folders.
///
/// Before anything is read it settles what it may write: the database must be absent or
/// claimgraph's (or `force`), the exports folder is locked and every standard export in it must
/// be claimgraph's; nothing inside the data or seeds folders is ever written. The database is
/// written and checked beside the target, the exports are read from it into a staging folder,
/// and only then are both put in place, together, where no signal can come between them.
///
/// Unless `full`, the digest of every input file is first compared with those the previous
/// database recorded: when it was written by this claimgraph and schema from the very same
/// inputs, it is left as it is ([`Outcome::UpToDate`]). The digests are taken before the
/// files are loaded, so a file edited during the build is seen as changed by the next one.
pub fn build(options: &BuildOptions, observer: &mut dyn Observer) -> Result<Outcome, BuildError> {
    let read_only = ReadOnly::default()
        .folder(options.data, "the data folder")
        .folder(options.seeds, "the seeds folder");
    let db = files::database_target(options.db, &read_only, options.force)?;
    let read_only = read_only.file(&db, "the database this build writes");
    let mut exports = options
        .exports
        .map(|dir| ExportsFolder::lock(dir, &read_only, options.force))
        .transpose()?;
    crate::interrupt::install().map_err(BuildError::Signals)?;
    // What an interrupted build left behind goes first, whatever happens next.
    store::remove_stale_temp(&db)?;

    let mut stages = Stopwatch {
        observer,
        started: Vec::new(),
    };
    stages.stage("comparing the inputs with the database");
    let (why, hashed) = match incremental::start(&db, options.full) {
        Start::Compare(recorded) => {
            let inputs = incremental::fingerprint(options.data, options.seeds);
            match incremental::compare(&recorded, inputs.as_ref()) {
                Plan::UpToDate => return up_to_date(&db, options.verify, exports, stages),
                Plan::Full(why) => (why, inputs),
            }
        }
        Start::Full(why) => (why, None),
    };
    let Checked {
        files,
        mut model,
        diagnostics,
        digests,
    } = check(options.data, options.seeds, &mut stages)?;
    let has_errors = diagnostics.has_errors();
    stages.checked(&files, diagnostics);
    if has_errors {
        return Ok(Outcome::DataErrors);
    }
    // Digests taken before loading stand (a file edited since is seen as edited by the next
    // build); otherwise they are taken from what was loaded.
    model.input_files = hashed
        .or_else(|| incremental::loaded(options.data, options.seeds, &digests, &model.documents))
        .unwrap_or_default();
    model.inputs_digest = incremental::combined(&model.input_files);
    incremental::relative_paths(&mut model, options.data);
    // Said once the data is known to be buildable, before the long part: a build that stops
    // at an error in the data has nothing to say about the previous database.
    if let Some(why) = &why {
        stages.full_build(why);
    }
    // The data files' text is only needed for diagnostics; it goes here, before the graph and
    // the database take their memory.
    drop(files);
    stages.stage("finding names in the documents");
    model.mentions = find_mentions(&model);
    stages.stage("linking the graph");
    let graph = KnowledgeGraph::build(&model);
    let (built, counts) = database::write_database(model, graph, &db, &mut stages)?;
    if options.verify {
        stages.stage("verifying the new database");
        let verified = verify(built.path())?;
        if !verified.problems.is_empty() {
            // Dropping what was built removes it: the previous database and exports stay.
            return Ok(Outcome::Unverified(verified));
        }
    }
    // Exports are read from the new database, like every `export`, so the two always agree;
    // they are made before either is put in place, so that a failure leaves both as they were.
    let standard = match &exports {
        Some(folder) => {
            stages.stage("writing the standard exports");
            Some(prepare_standard(built.path(), folder)?)
        }
        None => None,
    };
    let exports = crate::interrupt::uninterruptible(|| -> Result<_, BuildError> {
        built.commit()?;
        commit_exports(standard, exports.as_mut())
    })?;
    Ok(Outcome::Built(BuildReport {
        counts,
        stages: stages.times(Instant::now()),
        exports,
    }))
}

/// The end of a build whose database is up to date: it is verified if asked, and the standard
/// exports, which are made from the database alone, are written again from it, so that they
/// are what a full build would write even if one was deleted or edited by hand.
fn up_to_date(
    db: &Path,
    deep_checks: bool,
    mut exports: Option<ExportsFolder>,
    mut stages: Stopwatch<'_>,
) -> Result<Outcome, BuildError> {
    if deep_checks {
        stages.stage("verifying the database");
        let verified = verify(db)?;
        if !verified.problems.is_empty() {
            return Ok(Outcome::UpToDateUnverified(verified));
        }
    }
    let standard = match &exports {
        Some(folder) => {
            stages.stage("writing the standard exports");
            Some(prepare_standard(db, folder)?)
        }
        None => None,
    };
    let exports = crate::interrupt::uninterruptible(|| commit_exports(standard, exports.as_mut()))?;
    Ok(Outcome::UpToDate(UpToDateReport {
        stages: stages.times(Instant::now()),
        exports,
    }))
}

/// Puts the standard exports made in staging in place, if any were made.
fn commit_exports(
    standard: Option<StandardSet>,
    folder: Option<&mut ExportsFolder>,
) -> Result<Option<ExportsReport>, BuildError> {
    let (Some(set), Some(folder)) = (standard, folder) else {
        return Ok(None);
    };
    let skipped = set.skipped.clone();
    let files = set.commit(folder)?;
    Ok(Some(ExportsReport {
        files,
        views: ViewKind::ALL.len(),
        skipped,
    }))
}

/// An observer between the pipeline and the command's, that notes when each stage started.
struct Stopwatch<'a> {
    observer: &'a mut dyn Observer,
    started: Vec<(&'static str, Instant)>,
}

impl Stopwatch<'_> {
    /// Each stage with its duration, the last up to `end`.
    fn times(&self, end: Instant) -> Vec<StageTime> {
        let ends = self.started.iter().skip(1).map(|&(_, at)| at);
        self.started
            .iter()
            .zip(ends.chain([end]))
            .map(|(&(name, start), until)| StageTime {
                name,
                took: until.duration_since(start),
            })
            .collect()
    }
}

impl Observer for Stopwatch<'_> {
    fn stage(&mut self, name: &'static str) {
        self.started.push((name, Instant::now()));
        self.observer.stage(name);
    }

    fn checked(&mut self, files: &Files, diagnostics: Diagnostics) {
        self.observer.checked(files, diagnostics);
    }

    fn full_build(&mut self, why: &FullBuild) {
        self.observer.full_build(why);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hears the stages and nothing else.
    struct Names(Vec<&'static str>);

    impl Observer for Names {
        fn stage(&mut self, name: &'static str) {
            self.0.push(name);
        }
    }

    #[test]
    fn each_stage_lasts_until_the_next_starts_and_the_last_until_the_end() {
        let mut names = Names(Vec::new());
        let start = Instant::now();
        let at = |ms| start + Duration::from_millis(ms);
        let mut stopwatch = Stopwatch {
            observer: &mut names,
            started: Vec::new(),
        };
        stopwatch.stage("one");
        stopwatch.started = vec![("one", at(0)), ("two", at(5)), ("three", at(12))];
        let times = stopwatch.times(at(20));
        assert_eq!(
            times,
            [
                StageTime {
                    name: "one",
                    took: Duration::from_millis(5)
                },
                StageTime {
                    name: "two",
                    took: Duration::from_millis(7)
                },
                StageTime {
                    name: "three",
                    took: Duration::from_millis(8)
                },
            ]
        );
        assert_eq!(names.0, ["one"], "the observer hears every stage");
    }
}
