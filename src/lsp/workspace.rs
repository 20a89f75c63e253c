//! The language server's view of the workspace: the data files as on disk with the editor's
//! open buffers over them, the documents read once and kept while unchanged, and the last
//! analysis (every diagnostic `check` gives, and the index), redone after each change.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::index::Index;
use super::lines::{Encoding, Lines};
use crate::diagnostic::{Diagnostic, Diagnostics, FileId, Files};
use crate::load::{self, LoadError};
use crate::pipeline::{self, Observer};

/// A data file's text as read from disk, or the diagnostic saying why it cannot be used (not
/// UTF-8, for instance).
type DiskText = Result<String, Box<Diagnostic>>;

/// A document as last read, with what tells whether it changed since.
#[derive(Debug)]
struct CachedDocument {
    len: u64,
    modified: Option<SystemTime>,
    bytes: Vec<u8>,
}

/// The result of checking the workspace once.
#[derive(Debug, Default)]
pub struct Analysis {
    pub files: Files,
    /// The absolute path of each file in `files`, by [`FileId`].
    pub paths: Vec<PathBuf>,
    pub lines: Vec<Lines>,
    pub diagnostics: Vec<Diagnostic>,
    pub index: Index,
    /// Why the data could not be checked at all (a seeds folder that cannot be read), if so.
    pub failure: Option<String>,
}

impl Analysis {
    pub fn file_of(&self, path: &Path) -> Option<FileId> {
        self.paths
            .iter()
            .position(|p| p == path)
            .map(|i| FileId(u32::try_from(i).expect("fewer than 2^32 files")))
    }

    pub fn text(&self, file: FileId) -> &str {
        &self.files.get(file).text
    }

    pub fn lines(&self, file: FileId) -> &Lines {
        &self.lines[file.0 as usize]
    }
}

#[derive(Debug)]
pub struct Workspace {
    pub data_dir: PathBuf,
    pub seeds_dir: PathBuf,
    encoding: Encoding,
    /// Every data file found under the data folder, as last read from disk.
    disk: BTreeMap<PathBuf, DiskText>,
    /// What walking the data folder reported (links, oversized files).
    walk_diagnostics: Vec<Diagnostic>,
    /// Why the data folder could not be walked, if it could not.
    walk_failure: Option<String>,
    /// The editor's open buffers of data files, by path.
    open: HashMap<PathBuf, String>,
    documents: HashMap<PathBuf, CachedDocument>,
    pub analysis: Analysis,
}

/// Stages are not reported anywhere by the server.
struct Quiet;

impl Observer for Quiet {
    fn stage(&mut self, _name: &'static str) {}
}

impl Workspace {
    pub fn new(data_dir: PathBuf, seeds_dir: PathBuf, encoding: Encoding) -> Workspace {
        let mut workspace = Workspace {
            data_dir,
            seeds_dir,
            encoding,
            disk: BTreeMap::new(),
            walk_diagnostics: Vec::new(),
            walk_failure: None,
            open: HashMap::new(),
            documents: HashMap::new(),
            analysis: Analysis::default(),
        };
        workspace.rescan();
        workspace
    }

    /// Whether a path is a data file of this workspace (under the data folder, `*.toml`).
    pub fn is_data_file(&self, path: &Path) -> bool {
        path.starts_with(&self.data_dir) && path.extension().is_some_and(|e| e == "toml")
    }

    /// Walks the data folder again and reads every data file that is not open in the editor;
    /// after files were created, deleted or changed on disk.
    pub fn rescan(&mut self) {
        let mut found = Diagnostics::default();
        self.disk.clear();
        self.walk_failure = None;
        match load::data_paths(&self.data_dir, &mut found) {
            Ok(paths) => {
                for path in paths {
                    let text = read_data_file(&path);
                    self.disk.insert(path, text);
                }
            }
            Err(LoadError::NoDataFiles(_)) => {}
            Err(e) => self.walk_failure = Some(e.to_string()),
        }
        self.walk_diagnostics = found.sorted(&Files::default());
    }

    /// Reads one data file from disk again, after it was saved or changed outside the editor.
    pub fn reread(&mut self, path: &Path) {
        if path.is_file() {
            self.disk.insert(path.to_owned(), read_data_file(path));
        } else {
            self.disk.remove(path);
        }
    }

    pub fn open(&mut self, path: PathBuf, text: String) {
        self.open.insert(path, text);
    }

    pub fn change(&mut self, path: &Path, text: String) {
        self.open.insert(path.to_owned(), text);
    }

    pub fn close(&mut self, path: &Path) {
        self.open.remove(path);
        self.reread(path);
    }

    /// Checks the workspace as the editor shows it: open buffers over the files on disk.
    pub fn analyse(&mut self) {
        let mut diagnostics = Diagnostics::default();
        for d in &self.walk_diagnostics {
            diagnostics.push(d.clone());
        }
        let mut paths: Vec<PathBuf> = self.disk.keys().cloned().collect();
        paths.extend(
            self.open
                .keys()
                .filter(|p| !self.disk.contains_key(*p) && self.is_data_file(p))
                .cloned(),
        );
        paths.sort();
        let mut files = Files::default();
        let mut kept = Vec::with_capacity(paths.len());
        for path in paths {
            let text = match self.open.get(&path) {
                Some(text) => text.clone(),
                None => match &self.disk[&path] {
                    Ok(text) => text.clone(),
                    Err(unreadable) => {
                        diagnostics.push((**unreadable).clone());
                        continue;
                    }
                },
            };
            files.add(path.display().to_string(), text);
            kept.push(path);
        }
        let data = load::parse_data(files, Vec::new(), &mut diagnostics);
        let index = Index::new(&data);
        let documents = &mut self.documents;
        let mut read = |path: &Path, metadata: &fs::Metadata| -> io::Result<Vec<u8>> {
            let modified = metadata.modified().ok();
            if let Some(cached) = documents.get(path)
                && cached.len == metadata.len()
                && cached.modified == modified
                && modified.is_some()
            {
                return Ok(cached.bytes.clone());
            }
            let bytes = fs::read(path)?;
            documents.insert(
                path.to_owned(),
                CachedDocument {
                    len: metadata.len(),
                    modified,
                    bytes: bytes.clone(),
                },
            );
            Ok(bytes)
        };
        let failure = self.walk_failure.clone();
        self.analysis = match pipeline::check::check_loaded(
            data,
            &self.seeds_dir,
            &mut read,
            &mut Quiet,
            diagnostics,
        ) {
            Ok(checked) => {
                let lines = (0..checked.files.len())
                    .map(|i| {
                        let file = FileId(u32::try_from(i).expect("fewer than 2^32 files"));
                        Lines::new(&checked.files.get(file).text, self.encoding)
                    })
                    .collect();
                Analysis {
                    diagnostics: checked.diagnostics.sorted(&checked.files),
                    files: checked.files,
                    paths: kept,
                    lines,
                    index,
                    failure,
                }
            }
            Err(e) => Analysis {
                index: Index::default(),
                failure: Some(e.to_string()),
                ..Analysis::default()
            },
        };
    }
}

fn read_data_file(path: &Path) -> DiskText {
    match load::read_data_file(path) {
        Ok(Ok((text, _digest))) => Ok(text),
        Ok(Err(diagnostic)) => Err(Box::new(diagnostic)),
        Err(e) => Err(Box::new(Diagnostic::file_error(
            crate::diagnostic::Code::UnreadableFile,
            path.display().to_string(),
            e.to_string(),
        ))),
    }
}
