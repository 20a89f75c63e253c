//! Whether a build must start from nothing: the digest of every input file as it is now,
//! against the digests the previous database recorded. A database whose inputs are all
//! unchanged, written by this claimgraph and schema, is up to date and is left as it is; any
//! other is rebuilt in full, and the pipeline says why.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::{Component, Path};
use std::sync::Arc;

use foldhash::HashMap;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use typed_index_collections::TiSlice;

use crate::model::{Document, DocumentIdx, Model};
use crate::store::update::{self, Foreign, Previous};

/// Each input file, `data/…` (every `*.toml` under the data folder) or `seeds/…` (every file
/// under the seeds folder, named by a `source` record or not: an unused one is warned about),
/// with its SHA-256, in path order.
pub type Inputs = Vec<(String, String)>;

/// What a build can tell of the previous database before it hashes the inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// This claimgraph wrote it, in this schema, from inputs with these digests: it is up to
    /// date if the inputs still have them ([`compare`]).
    Compare(BTreeMap<String, String>),
    /// Build from nothing; `Some` says why a previous database is not reused.
    Full(Option<FullBuild>),
}

/// What a build does with the previous database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// It was built from these very inputs by this claimgraph: nothing to write.
    UpToDate,
    /// Build from nothing; `Some` says why a previous database is not reused.
    Full(Option<FullBuild>),
}

/// Why a previous database is rebuilt in full rather than reused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FullBuild {
    /// It is not one this claimgraph wrote, in this schema, with recorded inputs.
    Foreign(Foreign),
    /// Input files changed since it was built: each, in path order.
    Changed(Vec<Change>),
}

/// An input file that differs from what the previous database was built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `data/…` or `seeds/…`, relative to its folder.
    pub file: String,
    pub how: How,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    Added,
    Removed,
    Edited,
}

/// How many changed files the message names before it counts the rest.
const NAMED_CHANGES: usize = 3;

impl fmt::Display for FullBuild {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FullBuild::Foreign(Foreign::Unreadable(why)) => {
                write!(f, "the previous database cannot be read ({why})")
            }
            FullBuild::Foreign(Foreign::Schema(found)) => write!(
                f,
                "the previous database has schema version {found}, this claimgraph writes {}",
                crate::store::SCHEMA_VERSION
            ),
            FullBuild::Foreign(Foreign::SchemaText) => write!(
                f,
                "the previous database's tables, views or indexes are not those of schema \
                 version {}",
                crate::store::SCHEMA_VERSION
            ),
            FullBuild::Foreign(Foreign::Tool(found)) => write!(
                f,
                "the previous database was written by claimgraph {}, this is {}",
                found.as_deref().unwrap_or("(unknown)"),
                env!("CARGO_PKG_VERSION")
            ),
            FullBuild::Foreign(Foreign::NoDigests) => {
                write!(f, "the previous database records no digests of its inputs")
            }
            FullBuild::Changed(changes) => {
                let named: Vec<String> = changes
                    .iter()
                    .take(NAMED_CHANGES)
                    .map(|c| {
                        let how = match c.how {
                            How::Added => "added",
                            How::Removed => "removed",
                            How::Edited => "edited",
                        };
                        format!("{} {how}", c.file)
                    })
                    .collect();
                write!(f, "{}", named.join(", "))?;
                if let Some(more) = changes.len().checked_sub(NAMED_CHANGES).filter(|&n| n > 0) {
                    write!(f, " and {more} more")?;
                }
                write!(
                    f,
                    "; a database is brought up to date in place only when no input changed"
                )
            }
        }
    }
}

/// The digest of every input file now, or `None` when a folder cannot be walked (the build
/// then reports why). A file that cannot be read gets the digest `unreadable`, which changes
/// when it becomes readable.
pub fn fingerprint(data: &Path, seeds: &Path) -> Option<Inputs> {
    let is_toml = |path: &Path| path.extension().is_some_and(|ext| ext == "toml");
    let mut files = listed(data, "data/", is_toml)?;
    files.extend(listed(seeds, "seeds/", |_| true)?);
    let mut inputs: Inputs = files.into_par_iter().map(digest).collect();
    inputs.sort();
    Some(inputs)
}

/// The digests of the inputs as a build loaded them: each data file's from its text in
/// `files` (the bytes as read), each document's from `documents`, and only the files of the
/// seeds folder that no source names read again from disk. They are what the database is made
/// of even when a file is edited during the build, and taking them spares reading every input
/// twice. `None` when a data file's path is not under `data`.
pub fn loaded(
    data: &Path,
    seeds: &Path,
    digests: &[(String, String)],
    documents: &TiSlice<DocumentIdx, Document>,
) -> Option<Inputs> {
    let mut inputs: Inputs = digests
        .iter()
        .map(|(shown, digest)| {
            let relative = Path::new(shown).strip_prefix(data).ok()?;
            Some((key("data/", relative), digest.clone()))
        })
        .collect::<Option<_>>()?;
    let named: BTreeMap<String, &str> = documents
        .iter()
        .map(|d| (key("seeds/", Path::new(&d.file)), d.sha256.as_str()))
        .collect();
    let unnamed: Vec<(String, std::path::PathBuf)> = listed(seeds, "seeds/", |_| true)?
        .into_iter()
        .filter(|(key, _)| !named.contains_key(key))
        .collect();
    inputs.extend(named.into_iter().map(|(k, v)| (k, v.to_owned())));
    inputs.par_extend(unnamed.into_par_iter().map(digest));
    inputs.sort();
    Some(inputs)
}

/// One SHA-256 over every input's key and digest, in key order: what `meta.inputs_sha256`
/// records, the same whichever folder the build ran from.
pub fn combined(inputs: &Inputs) -> String {
    let mut hasher = Sha256::new();
    for (key, digest) in inputs {
        hasher.update(format!("{key} {digest}\n"));
    }
    hex::encode(hasher.finalize())
}

/// Makes the file of every entity, predicate and claim relative to the data folder, as the
/// database stores it (DESIGN.md: the same data built from another working directory gives the
/// same database). Diagnostics, already printed, showed the paths as the user gave them. The
/// records of one file share one path, and still do.
pub fn relative_paths(model: &mut Model, data: &Path) {
    let mut seen: HashMap<Arc<str>, Arc<str>> = HashMap::default();
    let mut relative = |file: &mut Arc<str>| {
        let shorter = seen.entry(Arc::clone(file)).or_insert_with(|| {
            Path::new(&**file)
                .strip_prefix(data)
                .map_or_else(|_| Arc::clone(file), |r| Arc::from(key("", r)))
        });
        *file = Arc::clone(shorter);
    };
    for entity in model.entities.iter_mut() {
        relative(&mut entity.defined_at.file);
    }
    for predicate in model.predicates.iter_mut() {
        relative(&mut predicate.defined_at.file);
    }
    for claim in model.claims.iter_mut() {
        relative(&mut claim.defined_at.file);
    }
}

/// A file's SHA-256 as read now, `unreadable` if it cannot be read. A link is read through:
/// a document may be one (the loader checks where it points).
fn digest((key, path): (String, std::path::PathBuf)) -> (String, String) {
    let digest = fs::read(&path).map_or_else(
        |_| "unreadable".to_owned(),
        |bytes| hex::encode(Sha256::digest(&bytes)),
    );
    (key, digest)
}

/// The key of a file: `prefix` and its path relative to its folder, with `/` between the
/// components (a `.` component left out, as the loader reads `./a.txt` as `a.txt`).
fn key(prefix: &str, relative: &Path) -> String {
    let parts: Vec<String> = relative
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    format!("{prefix}{}", parts.join("/"))
}

/// The files under `root` that `wanted` accepts (any but folders, links included), each with
/// its key, `prefix` and its path relative to `root` with `/` between components.
fn listed(
    root: &Path,
    prefix: &str,
    wanted: impl Fn(&Path) -> bool,
) -> Option<Vec<(String, std::path::PathBuf)>> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(root).follow_links(false) {
        let entry = entry.ok()?;
        if entry.file_type().is_dir() || !wanted(entry.path()) {
            continue;
        }
        let relative = entry.path().strip_prefix(root).ok()?;
        files.push((key(prefix, relative), entry.path().to_owned()));
    }
    Some(files)
}

/// What the previous database at `db` allows, unless a full build was asked for.
pub fn start(db: &Path, full: bool) -> Start {
    if full {
        return Start::Full(None);
    }
    match update::previous(db) {
        Previous::Absent => Start::Full(None),
        Previous::Foreign(why) => Start::Full(Some(FullBuild::Foreign(why))),
        Previous::Inputs(recorded) => Start::Compare(recorded),
    }
}

/// Whether the inputs now (`None` when they could not be listed: the build reports why) are
/// those `recorded`.
pub fn compare(recorded: &BTreeMap<String, String>, inputs: Option<&Inputs>) -> Plan {
    let Some(inputs) = inputs else {
        return Plan::Full(None);
    };
    let changes = changes(recorded, inputs);
    if changes.is_empty() {
        Plan::UpToDate
    } else {
        Plan::Full(Some(FullBuild::Changed(changes)))
    }
}

/// The files added, removed or edited between `recorded` and `now`, in path order.
fn changes(recorded: &BTreeMap<String, String>, now: &Inputs) -> Vec<Change> {
    let now_map: BTreeMap<&str, &str> = now.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut changes: Vec<Change> = now
        .iter()
        .filter_map(|(file, digest)| {
            let how = match recorded.get(file) {
                None => How::Added,
                Some(old) if old != digest => How::Edited,
                Some(_) => return None,
            };
            Some(Change {
                file: file.clone(),
                how,
            })
        })
        .collect();
    changes.extend(
        recorded
            .keys()
            .filter(|file| !now_map.contains_key(file.as_str()))
            .map(|file| Change {
                file: file.clone(),
                how: How::Removed,
            }),
    );
    changes.sort_by(|a, b| a.file.cmp(&b.file));
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(file: &str, how: How) -> Change {
        Change {
            file: file.to_owned(),
            how,
        }
    }

    #[test]
    fn files_added_removed_and_edited_are_told_apart_in_path_order() {
        let recorded: BTreeMap<String, String> = [
            ("data/a.toml", "1"),
            ("data/b.toml", "2"),
            ("seeds/x.txt", "3"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let now: Inputs = [
            ("data/a.toml", "1"),
            ("data/b.toml", "9"),
            ("data/c.toml", "4"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(
            changes(&recorded, &now),
            [
                change("data/b.toml", How::Edited),
                change("data/c.toml", How::Added),
                change("seeds/x.txt", How::Removed)
            ]
        );
    }

    #[test]
    fn the_message_names_three_changes_and_counts_the_rest() {
        let changes = (1..=5)
            .map(|i| change(&format!("data/{i}.toml"), How::Edited))
            .collect();
        assert_eq!(
            FullBuild::Changed(changes).to_string(),
            "data/1.toml edited, data/2.toml edited, data/3.toml edited and 2 more; a database is brought up to date in place only when no input changed"
        );
    }
}
