//! Loading: walks `data/` for TOML files and parses them with positions, and reads the source
//! documents from `seeds/` without ever leaving that folder. The only stage besides the store
//! and the CLI that touches the file system.

pub mod fields;
pub mod records;

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

use rayon::prelude::*;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, FileId, Files, closest};
pub use fields::{RawScalar, Sp};
use records::RawFieldValue;
pub use records::{RawClaim, RawEntity, RawPredicate, RawRecords};

/// Data files larger than this are refused rather than read into memory.
pub const MAX_DATA_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// Source documents larger than this are refused.
pub const MAX_DOCUMENT_BYTES: u64 = 32 * 1024 * 1024;

/// Problems that stop loading altogether (exit code 2), as opposed to problems in the data.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("the data folder `{0}` does not exist or is not a folder")]
    NoDataDir(PathBuf),
    #[error("the seeds folder `{0}` does not exist or is not a folder")]
    NoSeedsDir(PathBuf),
    #[error("cannot read `{path}`: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> LoadError + '_ {
    move |source| LoadError::Io {
        path: path.to_owned(),
        source,
    }
}

/// The parsed data files.
#[derive(Debug, Default)]
pub struct Data {
    pub files: Files,
    pub records: RawRecords,
    /// `(path, sha256)` of every data file, in load order.
    pub digests: Vec<(String, String)>,
}

/// Reads and parses every `*.toml` under `dir`, recursively, in sorted path order.
pub fn load_data(dir: &Path, diagnostics: &mut Diagnostics) -> Result<Data, LoadError> {
    if !dir.is_dir() {
        return Err(LoadError::NoDataDir(dir.to_owned()));
    }
    let mut data = Data::default();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name();
    let mut paths = Vec::new();
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_owned();
            LoadError::Io {
                path,
                source: e.into(),
            }
        })?;
        let path = entry.path();
        if path.extension().is_none_or(|ext| ext != "toml") {
            continue;
        }
        let file_type = entry.file_type();
        if !file_type.is_file() {
            if !file_type.is_dir() {
                diagnostics.push(Diagnostic::file_error(
                    Code::UnreadableFile,
                    path.display().to_string(),
                    "not a regular file (a symbolic link, device or pipe); data files must be regular files",
                ));
            }
            continue;
        }
        let size = entry
            .metadata()
            .map_err(|e| io_error(path)(e.into()))?
            .len();
        if size > MAX_DATA_FILE_BYTES {
            diagnostics.push(Diagnostic::file_error(
                Code::UnreadableFile,
                path.display().to_string(),
                format!("the file has {size} bytes, more than the limit of {MAX_DATA_FILE_BYTES}"),
            ));
            continue;
        }
        paths.push(entry.into_path());
    }
    // Files are read and hashed in parallel, then taken in path order.
    let read: Vec<Result<DataFile, LoadError>> =
        paths.par_iter().map(|path| read_data_file(path)).collect();
    for (path, file) in paths.iter().zip(read) {
        match file? {
            Ok((text, digest)) => {
                let shown = path.display().to_string();
                data.digests.push((shown.clone(), digest));
                data.files.add(shown, text);
            }
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    // Files parse independently, so they parse in parallel; their records and diagnostics are
    // then joined in path order, as if parsed one after another.
    let parsed: Vec<(RawRecords, Diagnostics)> = (0..data.files.len())
        .into_par_iter()
        .map(|index| {
            let file = FileId(u32::try_from(index).expect("fewer than 2^32 files"));
            let mut records = RawRecords::default();
            let mut found = Diagnostics::default();
            records::parse_file(file, &data.files.get(file).text, &mut records, &mut found);
            (records, found)
        })
        .collect();
    // Reserved once: growing a vector of a million claims step by step copies it many times.
    data.records
        .entities
        .reserve(parsed.iter().map(|(r, _)| r.entities.len()).sum());
    data.records
        .claims
        .reserve(parsed.iter().map(|(r, _)| r.claims.len()).sum());
    for (records, found) in parsed {
        data.records.entities.extend(records.entities);
        data.records.predicates.extend(records.predicates);
        data.records.claims.extend(records.claims);
        diagnostics.extend(found);
    }
    Ok(data)
}

/// A data file's text and SHA-256, or why it cannot be used.
type DataFile = Result<(String, String), Diagnostic>;

fn read_data_file(path: &Path) -> Result<DataFile, LoadError> {
    let bytes = fs::read(path).map_err(io_error(path))?;
    let digest = hex::encode(Sha256::digest(&bytes));
    Ok(match String::from_utf8(bytes) {
        Ok(text) => Ok((text, digest)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            Err(Diagnostic::file_error(
                Code::UnreadableFile,
                path.display().to_string(),
                format!(
                    "not UTF-8: invalid byte 0x{:02X} at byte offset {at}",
                    e.as_bytes()[at]
                ),
            ))
        }
    })
}

/// A source document read from the seeds folder.
#[derive(Debug)]
pub struct LoadedDocument {
    /// Index of the `source` record in [`RawRecords::entities`].
    pub entity: usize,
    /// The `file` field as written, relative to the seeds folder.
    pub file: String,
    pub text: String,
    pub sha256: String,
}

/// Reads the document of every `source` record. A path that leaves the seeds folder (`..`, an
/// absolute path, a symbolic link pointing out), a file that is not regular, too large or not
/// UTF-8 is reported at the record's `file` field and not read.
pub fn load_documents(
    seeds: &Path,
    entities: &[RawEntity],
    diagnostics: &mut Diagnostics,
) -> Result<Vec<LoadedDocument>, LoadError> {
    let root = seeds
        .canonicalize()
        .ok()
        .filter(|p| p.is_dir())
        .ok_or_else(|| LoadError::NoSeedsDir(seeds.to_owned()))?;
    let available = seed_files(&root);
    let mut documents = Vec::new();
    for (index, entity) in entities.iter().enumerate() {
        let Some(field) = entity.field("file") else {
            continue;
        };
        let RawFieldValue::Text(file) = &field.value else {
            continue;
        };
        let error = |code, message: String| Diagnostic::error(code, field.span.clone(), message);
        let relative = Path::new(file);
        let escapes = file.is_empty()
            || relative.is_absolute()
            || file.starts_with('\\')
            || relative
                .components()
                .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
        if escapes {
            diagnostics.push(
                error(
                    Code::UnsafePath,
                    format!("source file `{file}` is not a plain path inside the seeds folder"),
                )
                .with_label("must be relative to seeds/, without `..`")
                .with_hint(
                    "give the document's path relative to the seeds folder, e.g. `article.txt`",
                ),
            );
            continue;
        }
        let Ok(resolved) = root.join(relative).canonicalize() else {
            let mut d = error(
                Code::UnreadableFile,
                format!("source file `{file}` does not exist in {}", seeds.display()),
            )
            .with_label("no such file");
            if let Some(s) = closest(file, available.iter().map(String::as_str)) {
                d = d.with_hint(format!("did you mean `{s}`?"));
            }
            diagnostics.push(d);
            continue;
        };
        if !resolved.starts_with(&root) {
            diagnostics.push(
                error(
                    Code::UnsafePath,
                    format!(
                        "source file `{file}` resolves to `{}`, outside the seeds folder",
                        resolved.display()
                    ),
                )
                .with_label("a symbolic link points out of seeds/"),
            );
            continue;
        }
        let metadata = fs::metadata(&resolved).map_err(io_error(&resolved))?;
        if !metadata.is_file() {
            diagnostics.push(
                error(
                    Code::UnreadableFile,
                    format!("source file `{file}` is not a regular file"),
                )
                .with_label("a folder, device or pipe"),
            );
            continue;
        }
        if metadata.len() > MAX_DOCUMENT_BYTES {
            diagnostics.push(error(
                Code::UnreadableFile,
                format!(
                    "source file `{file}` has {} bytes, more than the limit of {MAX_DOCUMENT_BYTES}",
                    metadata.len()
                ),
            ));
            continue;
        }
        let bytes = fs::read(&resolved).map_err(io_error(&resolved))?;
        let sha256 = hex::encode(Sha256::digest(&bytes));
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                diagnostics.push(
                    error(
                        Code::UnreadableFile,
                        format!(
                            "source file `{file}` is not UTF-8: invalid byte 0x{:02X} at byte offset {at}",
                            e.as_bytes()[at]
                        ),
                    )
                    .with_hint("convert the document to UTF-8 (e.g. `iconv -f latin1 -t utf-8`)"),
                );
                continue;
            }
        };
        if let Some((at, c)) = text
            .char_indices()
            .find(|&(_, c)| crate::model::text::forbidden_char(c))
        {
            let line = text[..at].matches('\n').count() + 1;
            diagnostics.push(error(
                Code::ForbiddenCharacter,
                format!(
                    "source file `{file}` contains the control character U+{:04X} on line {line}",
                    u32::from(c)
                ),
            ));
            continue;
        }
        documents.push(LoadedDocument {
            entity: index,
            file: file.clone(),
            text,
            sha256,
        });
    }
    Ok(documents)
}

/// Files under the seeds folder, relative to it, for "did you mean" hints and unused-document
/// warnings.
pub fn seed_files(root: &Path) -> Vec<String> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            e.path()
                .strip_prefix(root)
                .ok()
                .map(|p| p.display().to_string())
        })
        .collect()
}
