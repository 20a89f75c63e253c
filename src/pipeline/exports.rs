//! The standard exports of a build: every view in every standard format, and the provenance
//! drawing of each source document, read from the new database into a staging folder inside
//! the locked exports folder, and moved into place as a set when the database is.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use crate::export::{
    self, DOCUMENT_DRAWING, EXPLORER, ExportError, Format, STANDARD_FORMATS, Unwritten,
};
use crate::files::{self, ReadOnly, Refused, write_behind};
use crate::store::{self, snapshot::RowSource, snapshot::Snapshot};
use crate::view::{View, ViewKind};
use typed_index_collections::TiVec;

/// Why some standard drawings were not made.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SkippedDrawings {
    /// Graphviz is not installed, so no SVG was drawn and no explorer written.
    pub graphviz_missing: bool,
    /// Files of views too large for Graphviz to lay out, or that it did not finish in time,
    /// with why.
    pub views: Vec<(String, String)>,
    /// How many documents have claims, when more than [`MAX_DOCUMENT_DRAWINGS`], so that no
    /// document got a drawing of its own.
    pub documents: Option<usize>,
}

/// The most documents that get a provenance drawing of their own in a build: each is a run of
/// Graphviz (a quarter of a second or more), so two hundred documents would add a minute to
/// every build. `export svg --view provenance --source ID` draws any one of them.
pub const MAX_DOCUMENT_DRAWINGS: usize = 25;

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
    /// What the build may not write, and whether it may replace files claimgraph did not
    /// write: the documents' drawings are named only once the data is read.
    read_only: ReadOnly,
    force: bool,
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
            read_only: read_only.clone(),
            force,
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
        let metadata = dir.join(super::datasette::FILE_NAME);
        if metadata.exists() {
            files::export_target(&metadata, read_only, force)?;
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
        // The drawings of documents that are gone are found by their names, which `build`
        // owns in this folder as it owns the standard ones.
        let (kind, format) = DOCUMENT_DRAWING;
        let mut standard: Vec<String> = standard_files(&Snapshot::default())
            .into_iter()
            .map(|file| file.name)
            .collect();
        for entry in std::fs::read_dir(&dir).map_err(io_at(&dir))?.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if export::document_of_file_name(&name, kind, format).is_some() {
                standard.push(name);
            }
        }
        for name in standard {
            let path = dir.join(&name);
            if !self.names.contains(&name) && files::written_by_claimgraph(&path).unwrap_or(false) {
                std::fs::remove_file(&path).map_err(io_at(&path))?;
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
/// staging folder inside `folder`: `entities.dot`, `entities.svg`, `entities.json`, …, and
/// each document's `provenance-<source id>.svg`. SVGs are drawn only when Graphviz is
/// installed and the view is small enough to lay out in time.
pub fn prepare_standard(db: &Path, folder: &ExportsFolder) -> Result<StandardSet, StandardError> {
    let conn = store::open_read(db)?;
    let data = store::snapshot::read(&conn)?;
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
            documents: None,
        },
    };
    let standard = standard_files(&data);
    let documents = standard.iter().filter(|f| f.document.is_some()).count();
    let standard: Vec<StandardFile> = if documents > MAX_DOCUMENT_DRAWINGS {
        set.skipped.documents = Some(documents);
        standard
            .into_iter()
            .filter(|f| f.document.is_none())
            .collect()
    } else {
        standard
    };
    // A document's drawing is new to the folder when its document is: one in the way that
    // claimgraph did not write is refused, as the standard files are when the folder is locked.
    for file in standard.iter().filter(|file| file.document.is_some()) {
        let path = folder.path().join(&file.name);
        if path.exists() {
            files::export_target(&path, &folder.read_only, folder.force)?;
        }
    }
    let mut views: Vec<(ViewKind, Option<RowSource>)> = standard
        .iter()
        .map(|file| (file.kind, file.document))
        .collect();
    views.dedup();
    for (kind, document) in views {
        let mut view = match document {
            Some(source) => View::of_document(kind, &data, source),
            None => View::new(kind, &data),
        };
        let formats: Vec<(Format, &String)> = standard
            .iter()
            .filter(|file| file.kind == kind && file.document == document)
            .filter(|file| graphviz || !file.format.needs_graphviz())
            .map(|file| (file.format, &file.name))
            .collect();
        let texts = if formats.iter().any(|(f, _)| f.needs_texts(&view)) {
            Some(store::snapshot::read_quoted_texts(
                &conn,
                &data,
                &view.claims(),
            )?)
        } else {
            None
        };
        view.texts = texts.as_ref();
        for (format, name) in formats {
            set.write(&view, format, name)?;
        }
    }
    // Datasette's metadata for the database, which is the same for every database.
    let path = set.staging.path().join(super::datasette::FILE_NAME);
    std::fs::write(&path, super::datasette::metadata()).map_err(io_at(&path))?;
    set.names.push(super::datasette::FILE_NAME.to_owned());
    Ok(set)
}

impl StandardSet {
    /// Writes `view` in `format` into the staging folder as `name`; a drawing Graphviz cannot
    /// make in time is left out and noted.
    fn write(&mut self, view: &View<'_>, format: Format, name: &str) -> Result<(), StandardError> {
        let path = self.staging.path().join(name);
        let mut file = File::create(&path).map_err(io_at(&path))?;
        let written = write_behind(&mut file, |out| {
            export::write(view, format, out).map_err(Unwritten::Export)
        })
        .and_then(|()| Ok(file.sync_all()?));
        match written {
            Ok(()) => self.names.push(name.to_owned()),
            Err(Unwritten::Export(
                e @ (ExportError::TooLarge { .. } | ExportError::GraphvizTimedOut { .. }),
            )) => {
                drop(file);
                let _ = std::fs::remove_file(&path);
                self.skipped.views.push((name.to_owned(), e.to_string()));
            }
            Err(Unwritten::Io(source) | Unwritten::Export(ExportError::Write { source, .. })) => {
                return Err(StandardError::Write { path, source });
            }
            Err(Unwritten::Export(e)) => return Err(StandardError::Export(e)),
        }
        Ok(())
    }
}

/// One file of the standard set: a view, whole or of one document, in one format.
#[derive(Debug)]
struct StandardFile {
    kind: ViewKind,
    document: Option<RowSource>,
    format: Format,
    name: String,
}

/// Every file of the standard set of `data`, the files of one view side by side: each view in
/// each of [`STANDARD_FORMATS`], the explorer, and [`DOCUMENT_DRAWING`] of each source
/// document with claims.
fn standard_files(data: &Snapshot) -> Vec<StandardFile> {
    let mut files: Vec<StandardFile> = Vec::new();
    for kind in ViewKind::ALL {
        files.extend(STANDARD_FORMATS.into_iter().map(|format| StandardFile {
            kind,
            document: None,
            format,
            name: export::file_name(kind, format),
        }));
        let (explorer, format, name) = EXPLORER;
        if explorer == kind {
            files.push(StandardFile {
                kind,
                document: None,
                format,
                name: name.to_owned(),
            });
        }
    }
    let mut has_claims: TiVec<RowSource, bool> = vec![false; data.sources.len()].into();
    for claim in &data.claims {
        has_claims[claim.source] = true;
    }
    let (kind, format) = DOCUMENT_DRAWING;
    files.extend(
        data.sources
            .iter_enumerated()
            .filter(|&(source, _)| has_claims[source])
            .map(|(source, row)| StandardFile {
                kind,
                document: Some(source),
                format,
                name: export::document_file_name(kind, &row.id, format),
            }),
    );
    files
}
