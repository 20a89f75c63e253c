//! Which files claimgraph may replace. A build replaces its database and its standard
//! exports, and `export -o` its output file, only when the file is absent or was written by
//! claimgraph: a database carries claimgraph's `application_id`, an export names claimgraph
//! near its start. Anything else (another application's database, a curated file, a source
//! document, the database being read) is refused with a message naming the file, unless the
//! user passes `--force`; nothing under the data or seeds folders is replaced even then.
//!
//! A symbolic link is followed to the file it names, so the link keeps pointing at fresh data;
//! a link that leads nowhere is refused.
//!
//! Large files are written by [`write_behind`], on a second thread while they are made.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;

use crate::store;

/// How many bytes of an existing export are searched for claimgraph's name.
const EXPORT_MARK_WINDOW: usize = 4096;

/// Why a path may not be written.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("{path} {reason}{hint}", hint = force_hint(*.forceable))]
    NotOurs {
        path: PathBuf,
        reason: String,
        forceable: bool,
    },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn force_hint(forceable: bool) -> &'static str {
    if forceable {
        "; it was left as it is (pass --force to replace it anyway)"
    } else {
        ""
    }
}

impl Refused {
    fn not_ours(path: &Path, reason: impl Into<String>, forceable: bool) -> Refused {
        Refused::NotOurs {
            path: path.to_owned(),
            reason: reason.into(),
            forceable,
        }
    }
}

/// Folders whose contents claimgraph only reads: the curated data and the documents.
#[derive(Debug, Default, Clone)]
pub struct ReadOnly {
    folders: Vec<(PathBuf, &'static str)>,
    files: Vec<(PathBuf, &'static str)>,
}

impl ReadOnly {
    /// A folder nothing may be written into: `what` names it in the refusal ("the data folder").
    pub fn folder(mut self, path: &Path, what: &'static str) -> ReadOnly {
        if let Ok(path) = path.canonicalize() {
            self.folders.push((path, what));
        }
        self
    }

    /// A file that is being read and so may not be replaced ("the database being read").
    pub fn file(mut self, path: &Path, what: &'static str) -> ReadOnly {
        if let Ok(path) = path.canonicalize() {
            self.files.push((path, what));
        }
        self
    }

    /// Fails if a folder to be made or written at `path` would be inside a read-only folder.
    pub fn refuse_inside(&self, path: &Path) -> Result<(), Refused> {
        self.check(path, path)
    }

    fn check(&self, shown: &Path, resolved: &Path) -> Result<(), Refused> {
        // The folder a new file goes into is compared, so a file that does not exist yet is
        // caught too.
        let folder = resolved.parent().and_then(|p| p.canonicalize().ok());
        let canonical = resolved.canonicalize().ok();
        for (file, what) in &self.files {
            if canonical.as_deref() == Some(file.as_path()) {
                return Err(Refused::not_ours(
                    shown,
                    format!("is {what}; it was left as it is"),
                    false,
                ));
            }
        }
        for (root, what) in &self.folders {
            if folder.as_ref().is_some_and(|f| f.starts_with(root)) {
                return Err(Refused::not_ours(
                    shown,
                    format!(
                        "is inside {what} ({}), which claimgraph only reads; nothing was written",
                        root.display()
                    ),
                    false,
                ));
            }
        }
        Ok(())
    }
}

/// Where writing `path` really goes: the path itself, or the file a symbolic link names.
fn resolve(path: &Path) -> Result<PathBuf, Refused> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => path.canonicalize().map_err(|_| {
            Refused::not_ours(path, "is a symbolic link that leads to no file", false)
        }),
        _ => Ok(path.to_owned()),
    }
}

/// Fails unless the folder a new file or folder at `path` would go into exists.
pub fn folder_for(path: &Path) -> Result<(), Refused> {
    folder_exists(path, path)
}

/// The folder a new file at `path` goes into must exist (and be a folder): said in terms of
/// the user's path, not of a temporary file beside it.
fn folder_exists(shown: &Path, resolved: &Path) -> Result<(), Refused> {
    let folder = match resolved.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    match fs::metadata(folder) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(Refused::not_ours(
            shown,
            format!("cannot be written: {} is not a folder", folder.display()),
            false,
        )),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(Refused::not_ours(
            shown,
            format!(
                "cannot be written: the folder {} does not exist",
                folder.display()
            ),
            false,
        )),
        // A file somewhere on the way (`notes.txt/sub/graph.sqlite`): name it.
        Err(e) if e.kind() == io::ErrorKind::NotADirectory => {
            let file = folder
                .ancestors()
                .skip(1)
                .find(|a| fs::metadata(a).is_ok_and(|m| !m.is_dir()))
                .unwrap_or(folder);
            Err(Refused::not_ours(
                shown,
                format!("cannot be written: {} is not a folder", file.display()),
                false,
            ))
        }
        Err(source) => Err(Refused::Io {
            path: folder.to_owned(),
            source,
        }),
    }
}

/// Where a build may write its database at `path`: the path (or a link's target), when it is
/// absent or a claimgraph database; otherwise refused (with `force`, any regular file outside
/// `read_only` may be replaced).
pub fn database_target(path: &Path, read_only: &ReadOnly, force: bool) -> Result<PathBuf, Refused> {
    let resolved = resolve(path)?;
    folder_exists(path, &resolved)?;
    read_only.check(path, &resolved)?;
    let meta = match fs::metadata(&resolved) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(resolved),
        Err(source) => {
            return Err(Refused::Io {
                path: resolved,
                source,
            });
        }
    };
    if meta.is_dir() {
        return Err(Refused::not_ours(
            path,
            "is a folder, not a database file",
            false,
        ));
    }
    if !meta.is_file() {
        return Err(Refused::not_ours(path, "is not a regular file", false));
    }
    if force {
        return Ok(resolved);
    }
    match database_owner(&resolved) {
        Ok(Owner::Claimgraph) => Ok(resolved),
        Ok(Owner::Other(reason)) => Err(Refused::not_ours(
            path,
            format!("is not a claimgraph database ({reason})"),
            true,
        )),
        Err(source) => Err(Refused::Io {
            path: resolved,
            source,
        }),
    }
}

enum Owner {
    Claimgraph,
    Other(String),
}

/// Why the file at `path` is not a claimgraph database, or `None` when it carries claimgraph's
/// application id (or is a claimgraph database from before it did): what `verify` asks before
/// it checks anything.
pub fn not_claimgraph_database(path: &Path) -> io::Result<Option<String>> {
    Ok(match database_owner(path)? {
        Owner::Claimgraph => None,
        Owner::Other(reason) => Some(reason),
    })
}

/// Reads the SQLite header: the magic string and, at offset 68, the application id.
/// Databases written before claimgraph set its id are recognised by their `meta` table.
fn database_owner(path: &Path) -> io::Result<Owner> {
    let mut header = [0u8; 100];
    let mut file = File::open(path)?;
    let read = read_up_to(&mut file, &mut header)?;
    if read == 0 {
        // An empty file holds nothing to lose.
        return Ok(Owner::Claimgraph);
    }
    if read < 100 || &header[..16] != b"SQLite format 3\0" {
        return Ok(Owner::Other("it is not an SQLite file".into()));
    }
    let id = i32::from_be_bytes([header[68], header[69], header[70], header[71]]);
    if id == store::APPLICATION_ID {
        return Ok(Owner::Claimgraph);
    }
    if id != 0 {
        return Ok(Owner::Other(format!("its application id is {id:#x}")));
    }
    if store::is_legacy_claimgraph(path) {
        Ok(Owner::Claimgraph)
    } else {
        Ok(Owner::Other(
            "it is another application's SQLite database".into(),
        ))
    }
}

fn read_up_to(file: &mut File, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// Where an export may be written at `path`: absent, or an export claimgraph wrote (its name
/// appears near the start), or anything regular with `force`; never a file of `read_only`.
pub fn export_target(path: &Path, read_only: &ReadOnly, force: bool) -> Result<PathBuf, Refused> {
    // Devices and pipes (`/dev/stdout`, `/dev/null`, also behind links) are written to,
    // never replaced.
    if fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return Ok(path.to_owned());
    }
    let resolved = resolve(path)?;
    let meta = match fs::metadata(&resolved) {
        Ok(meta) => Some(meta),
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            None
        }
        Err(source) => {
            return Err(Refused::Io {
                path: resolved,
                source,
            });
        }
    };
    folder_exists(path, &resolved)?;
    read_only.check(path, &resolved)?;
    let Some(meta) = meta else {
        return Ok(resolved);
    };
    if meta.is_dir() {
        return Err(Refused::not_ours(
            path,
            "is a folder; name a file to write",
            false,
        ));
    }
    if force
        || written_by_claimgraph(&resolved).map_err(|source| Refused::Io {
            path: resolved.clone(),
            source,
        })?
    {
        return Ok(resolved);
    }
    Err(Refused::not_ours(
        path,
        "exists and is not an export written by claimgraph",
        true,
    ))
}

/// Whether the file at `path` is an export claimgraph wrote: every format names claimgraph
/// in its first bytes (the DOT graph and SVG title, the JSON `format` or graph name, the
/// GraphML description, the GEXF creator, the PNG `Software` text), or the file is empty.
/// GraphML written before it carried the description is known by its first attribute's.
pub fn written_by_claimgraph(path: &Path) -> io::Result<bool> {
    const MARKS: [&[u8]; 2] = [
        b"claimgraph",
        b"<desc>display name of the entity, or the claim in short</desc>",
    ];
    let mut start = vec![0u8; EXPORT_MARK_WINDOW];
    let read = read_up_to(&mut File::open(path)?, &mut start)?;
    let start = &start[..read];
    Ok(read == 0
        || MARKS
            .iter()
            .any(|mark| start.windows(mark.len()).any(|w| w == *mark)))
}

/// How many bytes [`write_behind`] hands over at a time.
const CHUNK: usize = 1 << 20;

/// Runs `fill` with a writer whose bytes a second thread writes to `out`, a chunk at a time:
/// the kernel copies one chunk while the export makes the next, where a large export would
/// otherwise spend about as long waiting in `write` as making its text.
pub fn write_behind<E: From<io::Error>>(
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

#[cfg(test)]
mod tests {
    use super::*;

    fn written(text: &[u8]) -> bool {
        let file = tempfile::NamedTempFile::new().unwrap();
        fs::write(file.path(), text).unwrap();
        written_by_claimgraph(file.path()).unwrap()
    }

    #[test]
    fn exports_are_known_by_claimgraphs_name_near_their_start() {
        assert!(written(b"digraph \"claimgraph entities\" {}"));
        assert!(written(b""));
        // GraphML of a claimgraph from before the description: its first attribute's text.
        assert!(written(
            b"<graphml>\n  <key id=\"n0\" for=\"node\" attr.name=\"label\" attr.type=\"string\">\n    <desc>display name of the entity, or the claim in short</desc>"
        ));
        assert!(!written(b"[[person]]\nid = \"someone\"\n"));
        let mut late = vec![b' '; EXPORT_MARK_WINDOW];
        late.extend_from_slice(b"claimgraph");
        assert!(!written(&late), "only the start of a file counts");
    }
}
