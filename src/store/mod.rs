//! The SQLite store: the embedded schema, the atomic writer, the version-checked reader with
//! the analyst commands' queries, the snapshot the views are made from, and the sandbox for
//! analysts' SQL. The only module that names rusqlite.

mod derived;
pub mod read;
pub mod sandbox;
pub mod side;
pub mod snapshot;
pub mod update;
pub mod verify;
mod write;

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

/// An open database, as the readers hand it to the commands (which pass it back, never query it).
pub use rusqlite::Connection;
use rusqlite::OpenFlags;

pub use verify::verify;
pub use write::{Built, Tables, WriteSummary, Writer};

/// The schema every database is created from, with its `@indexes` section applied after loading.
pub const SCHEMA: &str = include_str!("../../schema.sql");
/// Stored as `PRAGMA user_version`; readers refuse any other.
pub const SCHEMA_VERSION: i64 = 7;

/// Stored as `PRAGMA application_id` in every database claimgraph writes: "CLGR".
pub const APPLICATION_ID: i32 = 0x434C_4752;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("another build is writing {0} right now")]
    Busy(PathBuf),
    #[error("the new database failed its check ({0}); the previous database was left untouched")]
    Verify(String),
    #[error("no database at {0}: run `claimgraph build` first")]
    Missing(PathBuf),
    #[error("{path} is not a claimgraph database ({reason})")]
    NotClaimgraph { path: PathBuf, reason: String },
    #[error(
        "{path} has schema version {found}, but this claimgraph reads version {expected}: rebuild it with `claimgraph build`"
    )]
    Version {
        path: PathBuf,
        found: i64,
        expected: i64,
    },
}

pub(crate) fn io_error(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_owned(),
        source,
    }
}

/// The file a build writes before renaming it over `target`: beside it, so the rename is atomic.
pub fn temp_path(target: &Path) -> PathBuf {
    let name = target.file_name().map_or_else(
        || "claimgraph.sqlite".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    target.with_file_name(format!(".{name}.building"))
}

/// Removes what an interrupted build left beside `target`, unless a build holds it now.
pub fn remove_stale_temp(target: &Path) -> Result<(), StoreError> {
    let temp = temp_path(target);
    let others = || {
        building_files(&temp)
            .into_iter()
            .skip(1)
            .try_for_each(|f| remove_if_there(&f))
    };
    let Ok(file) = File::options().write(true).open(&temp) else {
        return others();
    };
    match file.try_lock() {
        Ok(()) => {
            fs::remove_file(&temp).map_err(io_error(&temp))?;
            others()
        }
        Err(_) => Err(StoreError::Busy(target.to_owned())),
    }
}

/// Every file a build writes beside its target, the locked temporary database first: the
/// side databases (full-text index, analysis) and SQLite's WAL files.
pub(crate) fn building_files(temp: &Path) -> [PathBuf; 5] {
    let [search, analysis] = side::Side::ALL.map(|side| side.path(temp));
    [
        temp.to_owned(),
        search,
        analysis,
        with_suffix(temp, "-wal"),
        with_suffix(temp, "-shm"),
    ]
}

/// `path` with `suffix` appended to its file name: `x.sqlite` → `x.sqlite-wal`.
pub(crate) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(suffix);
    path.with_file_name(name)
}

fn remove_if_there(path: &Path) -> Result<(), StoreError> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(io_error(path)(e)),
        _ => Ok(()),
    }
}

/// Whether the SQLite file at `path` is a database of a claimgraph from before databases
/// carried claimgraph's application id: it has the `meta` row every claimgraph writes.
pub fn is_legacy_claimgraph(path: &Path) -> bool {
    let Ok(conn) = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY) else {
        return false;
    };
    conn.query_row(
        "SELECT count(*) > 0 FROM meta WHERE key = 'claimgraph_version'",
        [],
        |r| r.get::<_, bool>(0),
    )
    .unwrap_or(false)
}

/// How every connection that only reads a built database reads it: through memory mapping, so
/// that pages are not copied by a system call each into a cache of the connection's own. A
/// scan of a million claims through the default 2 MiB cache spends most of its time in those
/// copies; the mapping is shared by every reader of the file.
pub(crate) const READING: &str = "PRAGMA cache_size = -65536; PRAGMA mmap_size = 17179869184;";

/// Opens a built database for reading; refuses a file that is not a claimgraph database of
/// this schema version. When the command started a clock ([`read::start_clock`]), every
/// statement on the connection stops once its time limit has passed, the checks below
/// included: a crafted database (a view redefined to recurse forever) cannot hang a reader.
pub fn open_read(path: &Path) -> Result<Connection, StoreError> {
    if !path.is_file() {
        return Err(StoreError::Missing(path.to_owned()));
    }
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    read::watch_clock(&mut conn)?;
    let not_ours = |reason: String| StoreError::NotClaimgraph {
        path: path.to_owned(),
        reason,
    };
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| not_ours(e.to_string()))?;
    let has_meta: bool = conn
        .query_row(
            "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = 'meta'",
            [],
            |r| r.get(0),
        )
        .map_err(|e| not_ours(e.to_string()))?;
    if !has_meta {
        return Err(not_ours("it has no `meta` table".into()));
    }
    if version != SCHEMA_VERSION {
        return Err(StoreError::Version {
            path: path.to_owned(),
            found: version,
            expected: SCHEMA_VERSION,
        });
    }
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.execute_batch(READING)?;
    Ok(conn)
}

/// A stored word of a closed set (a stance, a conflict's reason, an entity kind, a curated field, a search hit's kind) as its
/// enum: the one place each is read. A word the schema does not allow is a damaged database,
/// reported as SQLite's conversion error with the column's position and the word.
pub(crate) fn word<T>(
    row: &rusqlite::Row<'_>,
    column: usize,
    parse: fn(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    let text = row.get_ref(column)?.as_str()?;
    parse(text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            column,
            rusqlite::types::Type::Text,
            format!("`{text}` is not a word this column may hold").into(),
        )
    })
}
