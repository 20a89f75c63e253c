//! `claimgraph export FORMAT`: one view of the database (or the neighbourhood of one node in
//! it) as a diagram or in a visualisation tool's format; and the standard set that `build`
//! writes into `exports/`.

use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;

use clap::builder::{PossibleValuesParser, TypedValueParser};

use super::{EXIT_FAILURE, EXIT_OK, failure, store_failure};
use crate::diagnostic::closest;
use crate::export::{self, ExportError, Format, STANDARD_FORMATS};
use crate::files::{self, ReadOnly, Refused};
use crate::store::{self, snapshot::ClaimIndex, snapshot::Snapshot};
use crate::view::{Focus, FocusError, View, ViewKind, neighbourhood};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format: a diagram (dot, or svg and png drawn by Graphviz) or data for tools
    #[arg(value_parser = choice_parser(Format::ALL, Format::as_str))]
    pub format: Format,
    /// What to draw: entities and what the claims say of them, reporters and claims, or who
    /// cites whom
    #[arg(long, value_parser = choice_parser(ViewKind::ALL, ViewKind::as_str), default_value = "entities")]
    pub view: ViewKind,
    /// Only the neighbourhood of this entity or claim
    #[arg(long, value_name = "ID")]
    pub focus: Option<String>,
    /// How many steps from --focus, along edges in either direction
    #[arg(long, value_name = "N", default_value_t = 1, requires = "focus")]
    pub depth: usize,
    /// Write to FILE instead of stdout; an existing FILE is replaced only if claimgraph wrote it
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the --output file even if it is not an export claimgraph wrote
    #[arg(long, requires = "output")]
    pub force: bool,
    /// The database to read
    #[arg(long, value_name = "FILE", default_value = "claimgraph.sqlite")]
    pub db: PathBuf,
    /// Stop reading the database after this many seconds (more than 0, at most 86400)
    #[arg(long, value_name = "SECONDS", default_value = super::options::DEFAULT_TIMEOUT, value_parser = super::options::seconds)]
    pub timeout: std::time::Duration,
}

/// A parser that accepts the names of `all` (and lists them in `--help` and in errors).
fn choice_parser<T, const N: usize>(
    all: [T; N],
    name: fn(T) -> &'static str,
) -> impl TypedValueParser<Value = T>
where
    T: Copy + Send + Sync + 'static,
{
    PossibleValuesParser::new(all.map(name)).map(move |chosen| {
        all.into_iter()
            .find(|&t| name(t) == chosen)
            .expect("a possible value")
    })
}

pub fn run(args: &Args) -> u8 {
    if args.format == Format::Png && args.output.is_none() && io::stdout().is_terminal() {
        say!("error: png is binary and stdout is a terminal; write it to a file with `-o FILE`");
        return EXIT_FAILURE;
    }
    store::read::start_clock(args.timeout);
    crate::export::set_drawing_time_limit(args.timeout);
    // The file to write is settled before anything is read: a file claimgraph did not write,
    // the database itself, or a curated file is never replaced.
    let output = match &args.output {
        Some(path) => {
            let read_only = ReadOnly::default()
                .file(&args.db, "the database being read")
                .folder(Path::new("data"), "the data folder")
                .folder(Path::new("seeds"), "the seeds folder");
            match files::export_target(path, &read_only, args.force) {
                Ok(resolved) => Some(resolved),
                Err(e) => return failure(&e),
            }
        }
        None => None,
    };
    if let Err(e) = crate::interrupt::install() {
        return failure(&e);
    }
    let conn = match store::open_read(&args.db) {
        Ok(conn) => conn,
        Err(e) => return failure(&e),
    };
    // A neighbourhood is found by walking the indexes from the focus, and only its rows are
    // read. Where the walk cannot start, everything is read, so the whole view can say why.
    let near = match &args.focus {
        Some(id) => match neighbourhood(args.view, id, args.depth, &ClaimIndex::new(&conn)) {
            Ok(near) => near,
            Err(e) => return store_failure(e),
        },
        None => None,
    };
    let data = match &near {
        Some(near) => store::snapshot::read_claims(&conn, &near.claims, &near.entities),
        None => store::snapshot::read(&conn),
    };
    let data = match data {
        Ok(data) => data,
        Err(e) => return store_failure(e),
    };
    let view = match (&args.focus, &near) {
        (None, _) => View::new(args.view, &data),
        (Some(id), Some(near)) => View::around(
            args.view,
            &data,
            near,
            Focus {
                id: id.clone(),
                depth: args.depth,
            },
        ),
        (Some(id), None) => match View::new(args.view, &data).focus(id, args.depth) {
            Ok(view) => view,
            Err(e) => return focus_failure(&e, args.view, &data),
        },
    };
    let written = match &output {
        Some(path) => write_atomically(path, |file| {
            export::write(&view, args.format, file).map_err(Unwritten::Export)
        }),
        None => write_behind(&mut io::stdout(), |out| {
            export::write(&view, args.format, out).map_err(Unwritten::Export)
        }),
    };
    // The rows and the view are most of the process's memory, in millions of allocations:
    // the system takes them back at exit at once, rather than one by one.
    std::mem::forget(view);
    std::mem::forget(data);
    let Err(unwritten) = written else {
        return EXIT_OK;
    };
    match unwritten.into_io() {
        // A reader that stops early (`| head`) is not a failure of the export.
        Ok(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Ok(e) => {
            let path = args
                .output
                .as_ref()
                .map_or_else(|| "stdout".to_owned(), |p| p.display().to_string());
            failure(&format!("{path}: {e}"))
        }
        Err(e) => failure(&e),
    }
}

/// Why an export was not written: the export failed, or its destination did.
#[derive(Debug, thiserror::Error)]
enum Unwritten {
    #[error(transparent)]
    Export(ExportError),
    #[error(transparent)]
    Io(#[from] io::Error),
}

impl Unwritten {
    /// The destination's error, or else the export's own.
    fn into_io(self) -> Result<io::Error, ExportError> {
        match self {
            Unwritten::Io(e) | Unwritten::Export(ExportError::Write { source: e, .. }) => Ok(e),
            Unwritten::Export(e) => Err(e),
        }
    }
}

/// An unknown or misplaced `--focus` is a usage error: say so, and what was probably meant.
fn focus_failure(error: &FocusError, kind: ViewKind, data: &Snapshot) -> u8 {
    say!("error: {error}");
    match error {
        FocusError::Unknown(id) => {
            let view = View::new(kind, data);
            let ids = view
                .node_ids()
                .chain(data.entities.iter().map(|e| e.id.as_str()))
                .chain(data.claims.iter().map(|c| c.id.as_str()));
            if let Some(near) = closest(id, ids) {
                say!("  = help: did you mean `{near}`?");
            }
        }
        FocusError::NotInView { id, .. } => {
            let elsewhere: Vec<&str> = ViewKind::ALL
                .into_iter()
                .filter(|&other| other != kind && View::new(other, data).find(id).is_some())
                .map(ViewKind::as_str)
                .collect();
            match elsewhere.first() {
                Some(other) => say!(
                    "  = help: it is in the {} view: add `--view {other}`",
                    elsewhere.join(" and ")
                ),
                None => say!("  = help: no claim mentions it, so no view draws it"),
            }
        }
    }
    EXIT_FAILURE
}

/// Writes a file with `fill` into a temporary file beside `path` and renames it over `path`,
/// so a reader never sees half a file and a failed export leaves the previous one. A path that
/// is a device or a pipe (`-o /dev/stdout`, `/dev/null`) is written to instead: renaming over
/// it would replace it.
fn write_atomically<E: From<io::Error>>(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), E> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return write_behind(&mut File::create(path)?, fill);
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".claimgraph-export");
    // Exports are for sharing: readable by all, like any file the user would write, rather
    // than private like a temporary file.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut file = builder.tempfile_in(dir)?;
    let _pending = crate::interrupt::remove_on_interrupt(file.path().to_owned());
    write_behind(file.as_file_mut(), fill)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// How many bytes [`write_behind`] hands over at a time.
const CHUNK: usize = 1 << 20;

/// Runs `fill` with a writer whose bytes a second thread writes to `out`, a chunk at a time:
/// the kernel copies one chunk while the export makes the next, where a large export would
/// otherwise spend about as long waiting in `write` as making its text.
fn write_behind<E: From<io::Error>>(
    out: &mut (dyn Write + Send),
    fill: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), E> {
    // Two chunks queued at most, so memory stays bounded when the disk is slower.
    let (full, to_write) = mpsc::sync_channel::<Vec<u8>>(2);
    let (written, empty) = mpsc::channel::<Vec<u8>>();
    thread::scope(|scope| {
        let writer = scope.spawn(move || -> io::Result<()> {
            for mut chunk in to_write {
                out.write_all(&chunk)?;
                chunk.clear();
                // The chunk goes back for reuse; once the export is done nobody takes it.
                let _ = written.send(chunk);
            }
            out.flush()
        });
        let mut ahead = Ahead {
            chunk: Vec::with_capacity(CHUNK),
            full,
            empty,
        };
        let filled = fill(&mut ahead).and_then(|()| Ok(ahead.send()?));
        // Closing the queue lets the writer finish.
        drop(ahead);
        match writer.join() {
            // The writer's own error says more than the closed queue the export ran into.
            Ok(Err(e)) => Err(e.into()),
            Ok(Ok(())) => filled,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// The export's end of [`write_behind`]: fills a chunk, queues it, takes an empty one back.
struct Ahead {
    chunk: Vec<u8>,
    full: mpsc::SyncSender<Vec<u8>>,
    empty: mpsc::Receiver<Vec<u8>>,
}

impl Ahead {
    fn send(&mut self) -> io::Result<()> {
        if self.chunk.is_empty() {
            return Ok(());
        }
        let next = self
            .empty
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(CHUNK));
        let chunk = std::mem::replace(&mut self.chunk, next);
        self.full
            .send(chunk)
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the writer stopped"))
    }
}

impl Write for Ahead {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.chunk.extend_from_slice(bytes);
        if self.chunk.len() >= CHUNK {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

/// Why some standard drawings were not made.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SkippedDrawings {
    /// Graphviz is not installed, so no SVG was drawn.
    pub graphviz_missing: bool,
    /// Views too large for Graphviz to lay out, or that it did not finish in time, with why.
    pub views: Vec<(ViewKind, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum StandardError {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error(transparent)]
    Refused(#[from] Refused),
    #[error("{path}: {source}")]
    Write { path: PathBuf, source: io::Error },
    #[error("another build is writing the exports in {0} right now")]
    Busy(PathBuf),
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> StandardError + '_ {
    move |source| StandardError::Write {
        path: path.to_owned(),
        source,
    }
}

/// The prefix of the folder a build writes its exports into before they are put in place.
const STAGING_PREFIX: &str = ".claimgraph-exports-";

/// The exports folder of a build, locked for the whole build: two builds never mix their
/// exports in one folder. Made by the build if it was missing, and removed again if the
/// build fails before anything is written into it.
#[derive(Debug)]
pub struct ExportsFolder {
    dir: PathBuf,
    _lock: File,
    created: bool,
    committed: bool,
}

impl ExportsFolder {
    /// Locks (and makes, if missing) `dir`; checks that every standard export already in it
    /// was written by claimgraph, unless `force`; removes what an interrupted build left.
    pub fn lock(dir: &Path, read_only: &ReadOnly, force: bool) -> Result<Self, StandardError> {
        read_only.refuse_inside(dir)?;
        let created = match std::fs::metadata(dir) {
            Ok(meta) if meta.is_dir() => false,
            Ok(_) => {
                return Err(Refused::NotOurs {
                    path: dir.to_owned(),
                    reason: "is a file, and --exports names the folder the exports go into".into(),
                    forceable: false,
                }
                .into());
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                ) =>
            {
                files::folder_for(dir)?;
                std::fs::create_dir(dir).map_err(io_at(dir))?;
                true
            }
            Err(source) => return Err(io_at(dir)(source)),
        };
        let folder = ExportsFolder {
            _lock: File::open(dir).map_err(io_at(dir))?,
            dir: dir.to_owned(),
            created,
            committed: false,
        };
        match folder._lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(StandardError::Busy(dir.to_owned()));
            }
            // Where folders cannot be locked, two builds into one folder are the user's choice.
            Err(std::fs::TryLockError::Error(_)) => {}
        }
        for kind in ViewKind::ALL {
            for format in STANDARD_FORMATS {
                let path = dir.join(export::file_name(kind, format));
                if path.exists() {
                    files::export_target(&path, read_only, force)?;
                }
            }
        }
        for entry in std::fs::read_dir(dir).map_err(io_at(dir))?.flatten() {
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with(STAGING_PREFIX)
            {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        Ok(folder)
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for ExportsFolder {
    fn drop(&mut self) {
        if self.created && !self.committed {
            // Only if still empty: whatever is in it now is not this build's to remove.
            let _ = std::fs::remove_dir(&self.dir);
        }
    }
}

/// The standard exports, written into a staging folder inside the exports folder and not
/// yet in place: [`StandardSet::commit`] moves them in; dropping the set removes them.
#[derive(Debug)]
pub struct StandardSet {
    staging: tempfile::TempDir,
    _pending: crate::interrupt::Pending,
    names: Vec<String>,
    pub skipped: SkippedDrawings,
}

impl StandardSet {
    /// Moves every file into the exports folder, each by a rename, and removes the standard
    /// files of an earlier build that this set does not have (an SVG not drawn this time),
    /// when claimgraph wrote them.
    pub fn commit(self, folder: &mut ExportsFolder) -> Result<usize, StandardError> {
        let dir = folder.path().to_owned();
        for name in &self.names {
            let target = dir.join(name);
            std::fs::rename(self.staging.path().join(name), &target).map_err(io_at(&target))?;
        }
        for kind in ViewKind::ALL {
            for format in STANDARD_FORMATS {
                let name = export::file_name(kind, format);
                let path = dir.join(&name);
                if !self.names.contains(&name)
                    && files::written_by_claimgraph(&path).unwrap_or(false)
                {
                    std::fs::remove_file(&path).map_err(io_at(&path))?;
                }
            }
        }
        folder.committed = true;
        if let Ok(handle) = File::open(&dir) {
            let _ = handle.sync_all();
        }
        Ok(self.names.len())
    }
}

/// Writes every view in every standard format, read from the database at `db`, into a
/// staging folder inside `folder`: `entities.dot`, `entities.svg`, `entities.json`, … SVGs are
/// drawn only when Graphviz is installed and the view is small enough to lay out in time.
pub fn prepare_standard(db: &Path, folder: &ExportsFolder) -> Result<StandardSet, StandardError> {
    let data = store::snapshot::read(&store::open_read(db)?)?;
    let staging = tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempdir_in(folder.path())
        .map_err(io_at(folder.path()))?;
    let pending = crate::interrupt::remove_on_interrupt(staging.path().to_owned());
    let graphviz = export::graphviz_available();
    let mut set = StandardSet {
        staging,
        _pending: pending,
        names: Vec::new(),
        skipped: SkippedDrawings {
            graphviz_missing: !graphviz,
            views: Vec::new(),
        },
    };
    for kind in ViewKind::ALL {
        let view = View::new(kind, &data);
        for format in STANDARD_FORMATS {
            if format.needs_graphviz() && !graphviz {
                continue;
            }
            let name = export::file_name(kind, format);
            let path = set.staging.path().join(&name);
            let mut file = File::create(&path).map_err(io_at(&path))?;
            let written = write_behind(&mut file, |out| {
                export::write(&view, format, out).map_err(Unwritten::Export)
            })
            .and_then(|()| Ok(file.sync_all()?));
            match written {
                Ok(()) => set.names.push(name),
                Err(Unwritten::Export(
                    e @ (ExportError::TooLarge { .. } | ExportError::GraphvizTimedOut { .. }),
                )) => {
                    drop(file);
                    let _ = std::fs::remove_file(&path);
                    set.skipped.views.push((kind, e.to_string()));
                }
                Err(e) => {
                    return Err(match e.into_io() {
                        Ok(source) => StandardError::Write { path, source },
                        Err(e) => StandardError::Export(e),
                    });
                }
            }
        }
    }
    Ok(set)
}
