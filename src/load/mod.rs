//! Loading: walks `data/` for TOML files and parses them with positions, and reads the source
//! documents from `seeds/` without ever leaving that folder. The only stage of checking that
//! reads the file system.

pub mod fields;
pub mod json_schema;
pub mod records;
pub mod spec;

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

use rayon::prelude::*;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, FileId, Files, closest};
pub use fields::{Placed, RawScalar};
use records::RawFieldValue;
pub use records::{RawClaim, RawEntity, RawPredicate, RawRecords};

use crate::model::EntityKind;

/// Data files larger than this are refused rather than read into memory.
pub const MAX_DATA_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// Source documents larger than this are refused.
pub const MAX_DOCUMENT_BYTES: u64 = 32 * 1024 * 1024;

/// Problems that stop loading altogether (exit code 2), as opposed to problems in the data.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("the data folder `{path}` {problem}", path = .0.display(), problem = .1)]
    DataDir(PathBuf, String),
    #[error("the seeds folder `{path}` {problem}", path = .0.display(), problem = .1)]
    SeedsDir(PathBuf, String),
    #[error(
        "no data files (*.toml) under `{}`: nothing to check, and nothing was written",
        .0.display()
    )]
    NoDataFiles(PathBuf),
    #[error("cannot read `{}`: {}", path.display(), reason(source))]
    Io { path: PathBuf, source: io::Error },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> LoadError + '_ {
    move |source| LoadError::Io {
        path: path.to_owned(),
        source,
    }
}

/// An I/O error's cause in the words of the other messages; the system's words otherwise.
fn reason(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::NotFound => "it does not exist".to_owned(),
        io::ErrorKind::NotADirectory => "a part of the path is a file, not a folder".to_owned(),
        io::ErrorKind::IsADirectory => "it is a folder, not a file".to_owned(),
        _ => error.to_string(),
    }
}

/// Why `dir` cannot serve as an input folder ("does not exist", "is a file, not a folder",
/// "cannot be read: permission denied"), naming the part of the path at fault; `None` when it
/// can be read.
fn folder_problem(dir: &Path) -> Option<String> {
    match fs::metadata(dir) {
        Ok(metadata) if metadata.is_dir() => fs::read_dir(dir)
            .err()
            .map(|e| format!("cannot be read: {}", reason(&e))),
        Ok(_) => Some("is a file, not a folder".to_owned()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Some("does not exist".to_owned()),
        Err(e) if e.kind() == io::ErrorKind::NotADirectory => {
            let file = dir.ancestors().skip(1).find(|a| a.is_file());
            Some(match file {
                Some(file) => format!("cannot exist: `{}` is a file, not a folder", file.display()),
                None => "cannot exist: a part of its path is a file, not a folder".to_owned(),
            })
        }
        Err(e) => Some(format!("cannot be read: {}", reason(&e))),
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
///
/// Symbolic links under the folder are not followed: a link to a folder, or a link named
/// `*.toml`, is an error that names it (the folder itself may be a link). A folder without any
/// data file is a failure to run, not a clean check, so that `build` never replaces a database
/// with an empty one.
pub fn load_data(dir: &Path, diagnostics: &mut Diagnostics) -> Result<Data, LoadError> {
    let paths = data_paths(dir, diagnostics)?;
    let mut files = Files::default();
    let mut digests = Vec::with_capacity(paths.len());
    // Files are read and hashed in parallel, then taken in path order.
    let read: Vec<Result<DataFile, LoadError>> =
        paths.par_iter().map(|path| read_data_file(path)).collect();
    for (path, file) in paths.iter().zip(read) {
        match file? {
            Ok((text, digest)) => {
                let shown = path.display().to_string();
                digests.push((shown.clone(), digest));
                files.add(shown, text);
            }
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    Ok(parse_data(files, digests, diagnostics))
}

/// The data files under `dir` that can be read, in sorted path order, with the rules of
/// [`load_data`]: links, non-regular and oversized files are reported and left out.
pub fn data_paths(dir: &Path, diagnostics: &mut Diagnostics) -> Result<Vec<PathBuf>, LoadError> {
    if let Some(problem) = folder_problem(dir) {
        return Err(LoadError::DataDir(dir.to_owned(), problem));
    }
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name();
    let mut paths = Vec::new();
    let mut refused = 0;
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_owned();
            LoadError::Io {
                path,
                source: e.into(),
            }
        })?;
        let path = entry.path();
        let file_type = entry.file_type();
        let is_toml = path.extension().is_some_and(|ext| ext == "toml");
        if file_type.is_symlink() && entry.depth() > 0 {
            let target = fs::metadata(path);
            if target.as_ref().is_ok_and(fs::Metadata::is_dir) || is_toml {
                let shown = path.display().to_string();
                let what = if target.is_ok_and(|t| t.is_dir()) {
                    "a folder"
                } else {
                    "a file"
                };
                let to = fs::read_link(path)
                    .map(|t| format!(" (`{}`)", t.display()))
                    .unwrap_or_default();
                diagnostics.push(
                    Diagnostic::file_error(
                        Code::UnreadableFile,
                        shown,
                        format!(
                            "a symbolic link to {what}{to}: links under the data folder are not followed"
                        ),
                    )
                    .with_hint(
                        "move or copy the files into the data folder, or point `--data` at the folder itself",
                    ),
                );
                refused += 1;
            }
            continue;
        }
        if !is_toml {
            continue;
        }
        if !file_type.is_file() {
            if !file_type.is_dir() {
                diagnostics.push(Diagnostic::file_error(
                    Code::UnreadableFile,
                    path.display().to_string(),
                    "not a regular file (a device or pipe); data files must be regular files",
                ));
                refused += 1;
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
            refused += 1;
            continue;
        }
        paths.push(entry.into_path());
    }
    if paths.is_empty() && refused == 0 {
        return Err(LoadError::NoDataFiles(dir.to_owned()));
    }
    Ok(paths)
}

/// Parses data files already read (`digests` as [`Data::digests`]): each file on its own, in
/// parallel, then their records and diagnostics joined in file order.
pub fn parse_data(
    files: Files,
    digests: Vec<(String, String)>,
    diagnostics: &mut Diagnostics,
) -> Data {
    parse_data_reusing(files, digests, diagnostics, &|_, _| None, &mut |_, _, _| {})
}

/// One data file as it parsed: its records and what parsing found in it, both naming the file
/// by the [`FileId`] it had then.
#[derive(Debug, Clone, Default)]
pub struct ParsedFile {
    pub records: RawRecords,
    pub diagnostics: Diagnostics,
}

/// [`parse_data`] for a caller that keeps files as they parsed (the language server, which
/// parses again after every keystroke): `reuse` gives a file's earlier result when it has one
/// for that file id and text, and `keep` is shown each file parsed anew. A file's records
/// depend on nothing but its id and text, so a reused file joins as if parsed again.
pub fn parse_data_reusing(
    files: Files,
    digests: Vec<(String, String)>,
    diagnostics: &mut Diagnostics,
    reuse: &(dyn Fn(FileId, &str) -> Option<ParsedFile> + Sync),
    keep: &mut dyn FnMut(FileId, &str, &ParsedFile),
) -> Data {
    let mut data = Data {
        files,
        digests,
        records: RawRecords::default(),
    };
    // Files parse independently, so they parse in parallel; their records and diagnostics are
    // then joined in file order, as if parsed one after another.
    let parsed: Vec<(ParsedFile, bool)> = (0..data.files.len())
        .into_par_iter()
        .map(|index| {
            let file = FileId(u32::try_from(index).expect("fewer than 2^32 files"));
            let text = &data.files.get(file).text;
            if let Some(earlier) = reuse(file, text) {
                return (earlier, false);
            }
            let mut parsed = ParsedFile::default();
            records::parse_file(file, text, &mut parsed.records, &mut parsed.diagnostics);
            (parsed, true)
        })
        .collect();
    for (index, (parsed, new)) in parsed.iter().enumerate() {
        if *new {
            let file = FileId(u32::try_from(index).expect("fewer than 2^32 files"));
            keep(file, &data.files.get(file).text, parsed);
        }
    }
    // Reserved once: growing a vector of a million claims step by step copies it many times.
    data.records
        .entities
        .reserve(parsed.iter().map(|(p, _)| p.records.entities.len()).sum());
    data.records
        .claims
        .reserve(parsed.iter().map(|(p, _)| p.records.claims.len()).sum());
    for (parsed, _) in parsed {
        data.records.entities.extend(parsed.records.entities);
        data.records.predicates.extend(parsed.records.predicates);
        data.records.claims.extend(parsed.records.claims);
        diagnostics.extend(parsed.diagnostics);
    }
    data
}

/// A data file's text and SHA-256, or why it cannot be used.
pub type DataFile = Result<(String, String), Diagnostic>;

pub fn read_data_file(path: &Path) -> Result<DataFile, LoadError> {
    let bytes = fs::read(path).map_err(io_error(path))?;
    let digest = hex::encode(Sha256::digest(&bytes));
    if let Some(encoding) = Encoding::guess(&bytes) {
        let shown = path.display().to_string();
        return Ok(Err(Diagnostic::file_error(
            Code::UnreadableFile,
            shown.clone(),
            format!("not UTF-8: the file is {}", encoding.describe()),
        )
        .with_hint(encoding.conversion(&shown))));
    }
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

/// A text encoding other than UTF-8, told by a byte-order mark or by NUL bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf16 { big_endian: bool, bom: bool },
    Utf32 { big_endian: bool },
}

impl Encoding {
    /// The encoding of text that is surely not UTF-8: a UTF-16 or UTF-32 byte-order mark, or,
    /// without one, NUL bytes in every other place, as UTF-16 puts them beside Latin letters.
    pub fn guess(bytes: &[u8]) -> Option<Encoding> {
        match bytes {
            [0x00, 0x00, 0xFE, 0xFF, ..] => return Some(Encoding::Utf32 { big_endian: true }),
            [0xFF, 0xFE, 0x00, 0x00, ..] => return Some(Encoding::Utf32 { big_endian: false }),
            [0xFE, 0xFF, ..] => {
                return Some(Encoding::Utf16 {
                    big_endian: true,
                    bom: true,
                });
            }
            [0xFF, 0xFE, ..] => {
                return Some(Encoding::Utf16 {
                    big_endian: false,
                    bom: true,
                });
            }
            _ => {}
        }
        // UTF-8 text has no NUL bytes at all; a quarter of them in the first few KiB, nearly
        // all on one side, is UTF-16 without a mark.
        let sample = &bytes[..bytes.len().min(4096)];
        let nul_at = |parity: usize| {
            sample
                .iter()
                .skip(parity)
                .step_by(2)
                .filter(|&&b| b == 0)
                .count()
        };
        let (even, odd) = (nul_at(0), nul_at(1));
        let pairs = sample.len() / 2;
        if pairs == 0 || (even + odd) * 4 < sample.len() {
            return None;
        }
        if odd * 10 >= pairs * 4 && even * 10 < pairs {
            Some(Encoding::Utf16 {
                big_endian: false,
                bom: false,
            })
        } else if even * 10 >= pairs * 4 && odd * 10 < pairs {
            Some(Encoding::Utf16 {
                big_endian: true,
                bom: false,
            })
        } else {
            None
        }
    }

    /// "UTF-16 (little-endian, with a byte-order mark)".
    pub fn describe(self) -> String {
        let order = |big: bool| if big { "big-endian" } else { "little-endian" };
        match self {
            Encoding::Utf16 { big_endian, bom } => format!(
                "UTF-16 ({}, {} a byte-order mark)",
                order(big_endian),
                if bom { "with" } else { "without" }
            ),
            Encoding::Utf32 { big_endian } => {
                format!("UTF-32 ({}, with a byte-order mark)", order(big_endian))
            }
        }
    }

    /// The command that converts `path` to UTF-8, as a hint. With a mark, iconv reads the byte
    /// order from it; without, it must be told.
    pub fn conversion(self, path: &str) -> String {
        let from = match self {
            Encoding::Utf16 { bom: true, .. } => "UTF-16",
            Encoding::Utf16 {
                big_endian: true, ..
            } => "UTF-16BE",
            Encoding::Utf16 {
                big_endian: false, ..
            } => "UTF-16LE",
            Encoding::Utf32 { .. } => "UTF-32",
        };
        format!(
            "convert it to UTF-8: `iconv -f {from} -t UTF-8 {path} > converted.txt`, then replace the file with it"
        )
    }
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

/// The documents of the `source` records, and what the unused-document warning needs to know.
#[derive(Debug, Default)]
pub struct Documents {
    pub loaded: Vec<LoadedDocument>,
    /// Every file under the seeds folder, relative to it.
    pub available: Vec<String>,
    /// Files under the seeds folder that a `source` record names or was pointed to by a hint,
    /// loaded or not, by canonical path: none of them is unused.
    pub named: HashSet<PathBuf>,
    /// Whether some `source` record has no usable `file`, so that which documents are unused
    /// cannot be told.
    pub unknown_files: bool,
}

/// Reads the document of every `source` record. A path that leaves the seeds folder (`..`, an
/// absolute path, a symbolic link pointing out), a file that is not regular, too large or not
/// UTF-8 is reported at the record's `file` field and not read. A seeds folder, or a file in
/// it, that cannot be read (permission denied) stops loading with exit code 2.
pub fn load_documents(
    seeds: &Path,
    entities: &[RawEntity],
    diagnostics: &mut Diagnostics,
) -> Result<Documents, LoadError> {
    load_documents_with(seeds, entities, diagnostics, &mut |path, _| fs::read(path))
}

/// Reads a document's bytes given its canonical path and metadata: [`load_documents`] reads
/// the file, the language server answers from what it read before when the file's size and
/// time of change are the same.
pub type ReadDocument<'a> = dyn FnMut(&Path, &fs::Metadata) -> io::Result<Vec<u8>> + 'a;

/// [`load_documents`], with the bytes of each document from `read`.
pub fn load_documents_with(
    seeds: &Path,
    entities: &[RawEntity],
    diagnostics: &mut Diagnostics,
    read: &mut ReadDocument<'_>,
) -> Result<Documents, LoadError> {
    if let Some(problem) = folder_problem(seeds) {
        return Err(LoadError::SeedsDir(seeds.to_owned(), problem));
    }
    let root = seeds.canonicalize().map_err(io_error(seeds))?;
    let mut documents = Documents {
        available: seed_files(&root)?,
        ..Documents::default()
    };
    for (index, entity) in entities.iter().enumerate() {
        if entity.kind != EntityKind::Source {
            continue;
        }
        let Some(field) = entity.field("file") else {
            documents.unknown_files = true;
            continue;
        };
        let RawFieldValue::Text(file) = &field.value else {
            documents.unknown_files = true;
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
        let resolved = match root.join(relative).canonicalize() {
            Ok(resolved) => resolved,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let mut d = error(
                    Code::UnreadableFile,
                    format!("source file `{file}` does not exist in {}", seeds.display()),
                )
                .with_label("no such file");
                let near = closest(file, documents.available.iter().map(String::as_str));
                if let Some(near) = near.filter(|near| near != file) {
                    documents.named.insert(root.join(near));
                    d = d.with_hint(format!("did you mean `{near}`?"));
                }
                diagnostics.push(d);
                continue;
            }
            Err(e) if e.kind() == io::ErrorKind::NotADirectory => {
                let inside = relative
                    .ancestors()
                    .skip(1)
                    .filter(|a| !a.as_os_str().is_empty())
                    .find(|a| root.join(a).is_file());
                if let Some(inside) = inside {
                    documents.named.insert(root.join(inside));
                }
                let what = inside.map_or_else(
                    || "a part of the path is a file, not a folder".to_owned(),
                    |a| format!("`{}` is a file, not a folder", a.display()),
                );
                diagnostics.push(
                    error(
                        Code::UnreadableFile,
                        format!(
                            "source file `{file}` cannot exist in {}: {what}",
                            seeds.display()
                        ),
                    )
                    .with_label("no such file"),
                );
                continue;
            }
            Err(e) => return Err(io_error(&seeds.join(relative))(e)),
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
        documents.named.insert(resolved.clone());
        let shown = seeds.join(relative);
        let metadata = fs::metadata(&resolved).map_err(io_error(&shown))?;
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
        let bytes = read(&resolved, &metadata).map_err(io_error(&shown))?;
        let sha256 = hex::encode(Sha256::digest(&bytes));
        if let Some(encoding) = Encoding::guess(&bytes) {
            diagnostics.push(
                error(
                    Code::UnreadableFile,
                    format!(
                        "source file `{file}` is not UTF-8: it is {}",
                        encoding.describe()
                    ),
                )
                .with_hint(encoding.conversion(&shown.display().to_string())),
            );
            continue;
        }
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
                    .with_hint("convert the document to UTF-8; if it is Latin-1 or Windows-1252, `iconv -f WINDOWS-1252 -t UTF-8`"),
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
                    "source file `{file}` contains {} on line {line}",
                    crate::model::hidden::describe(c)
                ),
            ));
            continue;
        }
        documents.loaded.push(LoadedDocument {
            entity: index,
            file: file.clone(),
            text,
            sha256,
        });
    }
    Ok(documents)
}

/// Files under the seeds folder, relative to it, for "did you mean" hints and unused-document
/// warnings. A folder in it that cannot be read stops loading.
fn seed_files(root: &Path) -> Result<Vec<String>, LoadError> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(root).to_owned();
            io_error(&path)(e.into())
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        if let Ok(relative) = entry.path().strip_prefix(root) {
            files.push(relative.display().to_string());
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_and_utf32_are_told_from_utf8() {
        let utf16le: Vec<u8> = "Hallo Welt"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let utf16be: Vec<u8> = "Hallo Welt"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        let with_bom = |bom: &[u8], rest: &[u8]| [bom, rest].concat();
        assert_eq!(
            Encoding::guess(&with_bom(&[0xFF, 0xFE], &utf16le)),
            Some(Encoding::Utf16 {
                big_endian: false,
                bom: true
            })
        );
        assert_eq!(
            Encoding::guess(&with_bom(&[0xFE, 0xFF], &utf16be)),
            Some(Encoding::Utf16 {
                big_endian: true,
                bom: true
            })
        );
        assert_eq!(
            Encoding::guess(&utf16le),
            Some(Encoding::Utf16 {
                big_endian: false,
                bom: false
            })
        );
        assert_eq!(
            Encoding::guess(&utf16be),
            Some(Encoding::Utf16 {
                big_endian: true,
                bom: false
            })
        );
        assert_eq!(
            Encoding::guess(&[0xFF, 0xFE, 0, 0, b'a', 0, 0, 0]),
            Some(Encoding::Utf32 { big_endian: false })
        );
        assert_eq!(Encoding::guess("Hallo Welt, čau".as_bytes()), None);
        assert_eq!(Encoding::guess(b"caf\xe9 au lait"), None);
        assert_eq!(Encoding::guess(b""), None);
    }
}
