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
use crate::diagnostic::{Code, Diagnostic, Diagnostics, FileId, Files, Location};
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
    /// The absolute path of each file, by [`FileId`], as the server knows it (symbolic links
    /// resolved).
    pub paths: Vec<PathBuf>,
    /// The URI of each file as the client knows it.
    pub uris: Vec<Option<lsp_types::Uri>>,
    /// Each file's text as the editor shows it, and its lines.
    pub texts: Vec<String>,
    pub lines: Vec<Lines>,
    /// Files that do not parse and were checked as they last did; the index has no places in
    /// them.
    pub stale: Vec<FileId>,
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

    pub fn uri(&self, file: FileId) -> Option<lsp_types::Uri> {
        self.uris.get(file.0 as usize).cloned().flatten()
    }

    pub fn text(&self, file: FileId) -> &str {
        &self.texts[file.0 as usize]
    }

    pub fn lines(&self, file: FileId) -> &Lines {
        &self.lines[file.0 as usize]
    }
}

#[derive(Debug)]
pub struct Workspace {
    /// The folders, symbolic links resolved: every path the server keeps is under them.
    pub data_dir: PathBuf,
    pub seeds_dir: PathBuf,
    /// The folders as the client names them (under the root it gave), for the URIs it is sent.
    client_data_dir: PathBuf,
    client_seeds_dir: PathBuf,
    /// The URI the client opened each file by, to publish to the very same.
    client_uris: HashMap<PathBuf, lsp_types::Uri>,
    encoding: Encoding,
    /// Every data file found under the data folder, as last read from disk.
    disk: BTreeMap<PathBuf, DiskText>,
    /// What walking the data folder reported (links, oversized files).
    walk_diagnostics: Vec<Diagnostic>,
    /// Why the data folder could not be walked, if it could not.
    walk_failure: Option<String>,
    /// The editor's open buffers of data files, by path.
    open: HashMap<PathBuf, String>,
    /// The last text of each data file that parsed, for checking the others while it does not.
    parsed: HashMap<PathBuf, String>,
    /// Each data file as it last parsed, with the id and text it parsed with: after a
    /// keystroke only the changed file is parsed again.
    reusable: HashMap<PathBuf, Reusable>,
    /// How many files the last [`Workspace::analyse`] parsed anew rather than reused.
    pub parsed_anew: usize,
    documents: HashMap<PathBuf, CachedDocument>,
    pub analysis: Analysis,
}

/// Stages are not reported anywhere by the server.
struct Quiet;

impl Observer for Quiet {
    fn stage(&mut self, _name: &'static str) {}
}

impl Workspace {
    /// A workspace of the folders `data_dir` and `seeds_dir`, as the client names them.
    pub fn new(data_dir: &Path, seeds_dir: &Path, encoding: Encoding) -> Workspace {
        let client_data_dir = path_clean::clean(data_dir);
        let client_seeds_dir = path_clean::clean(seeds_dir);
        let mut workspace = Workspace {
            data_dir: canonical(&client_data_dir),
            seeds_dir: canonical(&client_seeds_dir),
            client_data_dir,
            client_seeds_dir,
            client_uris: HashMap::new(),
            encoding,
            disk: BTreeMap::new(),
            walk_diagnostics: Vec::new(),
            walk_failure: None,
            open: HashMap::new(),
            parsed: HashMap::new(),
            reusable: HashMap::new(),
            parsed_anew: 0,
            documents: HashMap::new(),
            analysis: Analysis::default(),
        };
        workspace.rescan();
        workspace
    }

    /// The path the server knows a file by, from a URI the client sent; the URI is kept for
    /// what is sent back about the file.
    pub fn resolve(&mut self, uri: &lsp_types::Uri) -> Option<PathBuf> {
        let path = canonical(&super::features::path(uri)?);
        self.client_uris.insert(path.clone(), uri.clone());
        Some(path)
    }

    /// The URI the client knows a file by: the one it opened the file with, else the file's
    /// path under the folders as the client names them.
    pub fn uri_of(&self, path: &Path) -> Option<lsp_types::Uri> {
        if let Some(uri) = self.client_uris.get(path) {
            return Some(uri.clone());
        }
        let shown = [
            (&self.data_dir, &self.client_data_dir),
            (&self.seeds_dir, &self.client_seeds_dir),
        ]
        .into_iter()
        .find_map(|(known, client)| Some(client.join(path.strip_prefix(known).ok()?)))
        .unwrap_or_else(|| path.to_owned());
        super::features::uri(&shown)
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

    /// Applies the editor's changes to a buffer: a whole new text, or a range replaced (a
    /// client may send those even though the server asks for whole texts).
    pub fn change(&mut self, path: &Path, changes: Vec<lsp_types::TextDocumentContentChangeEvent>) {
        for change in changes {
            match change.range {
                None => match self.open.get_mut(path) {
                    Some(text) => *text = change.text,
                    // A buffer the editor never opened (or closed) would hide the file on
                    // disk until it is closed again.
                    None => eprintln!(
                        "claimgraph lsp: ignored a change to {}, which is not open",
                        path.display()
                    ),
                },
                Some(range) => {
                    let Some(text) = self.open.get_mut(path) else {
                        eprintln!(
                            "claimgraph lsp: ignored a change to {}, which is not open",
                            path.display()
                        );
                        continue;
                    };
                    let lines = Lines::new(text, self.encoding);
                    let start = lines.offset(range.start).unwrap_or(text.len());
                    let end = lines.offset(range.end).unwrap_or(text.len()).max(start);
                    let (start, end) = (floor_boundary(text, start), floor_boundary(text, end));
                    text.replace_range(start..end, &change.text);
                }
            }
        }
    }

    pub fn close(&mut self, path: &Path) {
        self.open.remove(path);
        self.reread(path);
    }

    /// Checks the workspace as the editor shows it: open buffers over the files on disk.
    pub fn analyse(&mut self) {
        self.parsed_anew = 0;
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
        let mut kept = Vec::with_capacity(paths.len());
        let mut texts = Vec::with_capacity(paths.len());
        for path in paths {
            let text = match self.open.get(&path) {
                Some(text) if text.len() as u64 > load::MAX_DATA_FILE_BYTES => {
                    diagnostics.push(Diagnostic::file_error(
                        Code::UnreadableFile,
                        path.display().to_string(),
                        format!(
                            "the buffer has {} bytes, more than the limit of {}",
                            text.len(),
                            load::MAX_DATA_FILE_BYTES
                        ),
                    ));
                    continue;
                }
                Some(text) => text.clone(),
                None => match &self.disk[&path] {
                    Ok(text) => text.clone(),
                    Err(unreadable) => {
                        diagnostics.push((**unreadable).clone());
                        continue;
                    }
                },
            };
            kept.push(path);
            texts.push(text);
        }
        let (data, stale) = self.parse(&kept, &texts, &mut diagnostics);
        let mut index = Index::new(&data);
        index.forget_places_in(&stale);
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
        // What parsing found, for when the documents cannot be read at all and checking stops.
        let early = diagnostics.clone().sorted(&data.files);
        let lines: Vec<Lines> = texts
            .iter()
            .map(|text| Lines::new(text, self.encoding))
            .collect();
        self.analysis = match pipeline::check::check_loaded(
            data,
            &self.seeds_dir,
            &mut read,
            &mut Quiet,
            diagnostics,
        ) {
            Ok(checked) => {
                let diagnostics = if stale.is_empty() {
                    checked.diagnostics.sorted(&checked.files)
                } else {
                    // In a file checked as it last parsed, only its syntax errors are about
                    // the text the editor shows.
                    let mut kept = Diagnostics::default();
                    for d in checked.diagnostics.sorted(&checked.files) {
                        let outdated = matches!(&d.location, Location::Span(span)
                            if stale.contains(&span.file) && d.code != Code::Syntax);
                        if !outdated {
                            kept.push(d);
                        }
                    }
                    kept.sorted(&checked.files)
                };
                Analysis {
                    diagnostics,
                    uris: kept.iter().map(|p| self.uri_of(p)).collect(),
                    paths: kept,
                    texts,
                    lines,
                    stale,
                    index,
                    failure,
                }
            }
            // The index, the texts and what parsing found still serve completion, hover and
            // the rest.
            Err(e) => Analysis {
                diagnostics: early,
                uris: kept.iter().map(|p| self.uri_of(p)).collect(),
                paths: kept,
                texts,
                lines,
                stale,
                index,
                failure: Some(e.to_string()),
            },
        };
    }
}

impl Workspace {
    /// Parses the files. A file with a syntax error that parsed before is parsed as it was
    /// then, so that while the curator types in `groups.toml` the claims files naming its
    /// groups are not flooded with unknown ids; its syntax errors, about the text as it is,
    /// are kept. Returns the parsed data and those files.
    fn parse(
        &mut self,
        paths: &[PathBuf],
        texts: &[String],
        diagnostics: &mut Diagnostics,
    ) -> (load::Data, Vec<FileId>) {
        let files = |texts: &mut dyn Iterator<Item = &String>| {
            let mut files = Files::default();
            for (path, text) in paths.iter().zip(texts) {
                files.add(path.display().to_string(), text.clone());
            }
            files
        };
        let mut found = Diagnostics::default();
        let data = self.parse_reusing(paths, files(&mut texts.iter()), &mut found);
        let found = found.sorted(&data.files);
        let broken: Vec<FileId> = found
            .iter()
            .filter(|d| d.code == Code::Syntax)
            .filter_map(|d| match &d.location {
                Location::Span(span) => Some(span.file),
                Location::Path(_) => None,
            })
            .collect();
        for (i, (path, text)) in paths.iter().zip(texts).enumerate() {
            if !broken.contains(&file_id(i)) {
                self.parsed.insert(path.clone(), text.clone());
            }
        }
        // Only a buffer being typed in stands in for its last version that parsed: a file
        // broken on disk (a merge's conflict markers) is checked as `check` checks it.
        let stale: Vec<FileId> = (0..paths.len())
            .map(file_id)
            .filter(|f| {
                let path = &paths[f.0 as usize];
                broken.contains(f) && self.open.contains_key(path) && self.parsed.contains_key(path)
            })
            .collect();
        if stale.is_empty() {
            for d in found {
                diagnostics.push(d);
            }
            return (data, stale);
        }
        let mut again = Diagnostics::default();
        let mut substituted =
            paths
                .iter()
                .zip(texts)
                .map(|(path, text)| match self.parsed.get(path) {
                    Some(last) if stale.iter().any(|f| paths[f.0 as usize] == *path) => last,
                    _ => text,
                });
        let data = self.parse_reusing(paths, files(&mut substituted), &mut again);
        for d in again.sorted(&data.files) {
            let in_stale =
                matches!(&d.location, Location::Span(span) if stale.contains(&span.file));
            if !in_stale {
                diagnostics.push(d);
            }
        }
        for d in found {
            if d.code == Code::Syntax
                && matches!(&d.location, Location::Span(span) if stale.contains(&span.file))
            {
                diagnostics.push(d);
            }
        }
        (data, stale)
    }
}

/// A data file as it parsed, and the id and text it parsed with.
#[derive(Debug)]
struct Reusable {
    file: FileId,
    text: String,
    parsed: load::ParsedFile,
}

impl Workspace {
    /// Parses `files` (of `paths`, in order), taking each file whose id and text are those it
    /// last parsed with as it parsed then, and keeping every file parsed anew for next time.
    fn parse_reusing(
        &mut self,
        paths: &[PathBuf],
        files: Files,
        diagnostics: &mut Diagnostics,
    ) -> load::Data {
        let reusable = &self.reusable;
        let reuse = |file: FileId, text: &str| {
            let earlier = reusable.get(&paths[file.0 as usize])?;
            (earlier.file == file && earlier.text == text).then(|| earlier.parsed.clone())
        };
        let mut kept = Vec::new();
        let mut keep = |file: FileId, text: &str, parsed: &load::ParsedFile| {
            kept.push(Reusable {
                file,
                text: text.to_owned(),
                parsed: parsed.clone(),
            });
        };
        let data = load::parse_data_reusing(files, Vec::new(), diagnostics, &reuse, &mut keep);
        self.parsed_anew += kept.len();
        for reusable in kept {
            self.reusable
                .insert(paths[reusable.file.0 as usize].clone(), reusable);
        }
        let present: std::collections::HashSet<&PathBuf> = paths.iter().collect();
        self.reusable.retain(|path, _| present.contains(path));
        data
    }
}

/// A path with symbolic links, `.` and `..` resolved, as far as it exists (a file not yet on
/// disk, or a folder that does not exist, is resolved as far as its parents go).
fn canonical(path: &Path) -> PathBuf {
    if let Ok(resolved) = path.canonicalize() {
        return resolved;
    }
    let clean = path_clean::clean(path);
    match (clean.parent(), clean.file_name()) {
        (Some(parent), Some(name)) if parent != clean => canonical(parent).join(name),
        _ => clean,
    }
}

/// The nearest character boundary at or before `offset`: a position inside a character (a
/// client counting differently) means the character it is in.
pub fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn file_id(index: usize) -> FileId {
    FileId(u32::try_from(index).expect("fewer than 2^32 files"))
}

fn read_data_file(path: &Path) -> DiskText {
    match load::read_data_file(path) {
        Ok(Ok((text, _digest))) => Ok(text),
        Ok(Err(diagnostic)) => Err(Box::new(diagnostic)),
        Err(e) => Err(Box::new(Diagnostic::file_error(
            Code::UnreadableFile,
            path.display().to_string(),
            e.to_string(),
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A copy of the curated data and seeds, for a workspace to change.
    fn curated() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for folder in ["data", "seeds"] {
            for entry in walkdir::WalkDir::new(root.join(folder)) {
                let entry = entry.unwrap();
                let to = dir.path().join(entry.path().strip_prefix(root).unwrap());
                if entry.file_type().is_dir() {
                    fs::create_dir_all(&to).unwrap();
                } else {
                    fs::copy(entry.path(), &to).unwrap();
                }
            }
        }
        dir
    }

    fn messages(workspace: &Workspace) -> Vec<String> {
        let analysis = &workspace.analysis;
        analysis
            .diagnostics
            .iter()
            .map(|d| format!("{:?} {:?} {}", d.code, d.location, d.message))
            .collect()
    }

    /// After a keystroke only the buffer that changed is parsed again, and what the others
    /// hold is what parsing them again would give: the same diagnostics as a fresh workspace.
    #[test]
    fn a_change_parses_only_its_file_and_checks_as_a_fresh_workspace_does() {
        let dir = curated();
        let data = dir.path().join("data");
        let mut workspace = Workspace::new(&data, &dir.path().join("seeds"), Encoding::Utf8);
        workspace.analyse();
        let files = workspace.analysis.paths.len();
        assert!(files > 5);
        assert_eq!(workspace.parsed_anew, files);
        let clean = messages(&workspace);
        assert!(clean.iter().all(|m| !m.contains("UnknownId")), "{clean:#?}");

        let claims = canonical(&data.join("claims/de-nk-deserters.toml"));
        let text = fs::read_to_string(&claims).unwrap();
        let typo = text.replacen("subject = \"russia\"", "subject = \"rusia\"", 1);
        assert_ne!(typo, text);
        workspace.open(claims.clone(), typo.clone());
        workspace.analyse();
        assert_eq!(workspace.parsed_anew, 1);
        let typed = messages(&workspace);
        assert!(typed.iter().any(|m| m.contains("`rusia`")), "{typed:#?}");

        // The same texts in a workspace that never parsed them before.
        let mut fresh = Workspace::new(&data, &dir.path().join("seeds"), Encoding::Utf8);
        fresh.open(claims.clone(), typo);
        fresh.analyse();
        assert_eq!(messages(&fresh), typed);

        // Nothing changed: nothing parsed; the typo undone: that file again, and clean.
        workspace.analyse();
        assert_eq!(workspace.parsed_anew, 0);
        assert_eq!(messages(&workspace), typed);
        workspace.open(claims, text);
        workspace.analyse();
        assert_eq!(workspace.parsed_anew, 1);
        assert_eq!(messages(&workspace), clean);

        // A new file before the others moves their ids: every file after it parses anew.
        fs::write(data.join("a-first.toml"), "").unwrap();
        workspace.rescan();
        workspace.analyse();
        assert_eq!(workspace.analysis.paths.len(), files + 1);
        assert_eq!(workspace.parsed_anew, files + 1);
        assert_eq!(messages(&workspace).len(), clean.len());
    }

    /// A buffer larger than a data file may be is not parsed: the file is flagged with its
    /// size and the limit, and the rest of the folder is still checked; back under the limit,
    /// it is parsed again.
    #[test]
    fn a_buffer_over_the_size_limit_is_flagged_not_parsed() {
        let dir = curated();
        let data = dir.path().join("data");
        let mut workspace = Workspace::new(&data, &dir.path().join("seeds"), Encoding::Utf8);
        workspace.analyse();
        let clean = messages(&workspace);
        let claims = canonical(&data.join("claims/de-nk-deserters.toml"));
        let text = fs::read_to_string(&claims).unwrap();
        let limit = usize::try_from(load::MAX_DATA_FILE_BYTES).unwrap();
        let mut huge = text.clone();
        huge.push_str(&"#".repeat(limit + 1 - text.len()));
        workspace.open(claims.clone(), huge);
        workspace.analyse();
        let flagged = messages(&workspace);
        let size = format!(
            "the buffer has {} bytes, more than the limit of {limit}",
            limit + 1
        );
        assert!(
            flagged
                .iter()
                .any(|m| m.contains("UnreadableFile") && m.contains(&size)),
            "{flagged:#?}"
        );
        // Its claims are gone from the check, not reported against: nothing else is flagged.
        assert_eq!(flagged.len(), 1 + clean.len(), "{flagged:#?}");
        workspace.open(claims, text);
        workspace.analyse();
        assert_eq!(messages(&workspace), clean);
    }
}
