//! What a build reads of the previous database to tell whether it is still up to date: the
//! claimgraph and schema that wrote it, and the digest of every input file it was built from,
//! which [`super::Tables::records`] records in `meta` under [`INPUT_KEY`].

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::{SCHEMA, SCHEMA_VERSION};

/// The prefix of the `meta` keys that hold the input files' digests: `input:data/claims/a.toml`,
/// `input:seeds/article.txt` (paths relative to the data or seeds folder).
pub const INPUT_KEY: &str = "input:";

/// What the previous database says of itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Previous {
    /// No file at the target.
    Absent,
    /// A database this claimgraph cannot reuse, and why.
    Foreign(Foreign),
    /// Written by this claimgraph and schema: the digest of each input file, by path.
    Inputs(BTreeMap<String, String>),
}

/// Why a previous database cannot be brought up to date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Foreign {
    /// It could not be read as a claimgraph database (SQLite's message).
    Unreadable(String),
    /// Another schema version than this claimgraph writes.
    Schema(i64),
    /// Its schema's version is this claimgraph's, but not its tables, views or indexes (one
    /// dropped or added by hand, or a development build between two schemas).
    SchemaText,
    /// Another claimgraph version (or none recorded).
    Tool(Option<String>),
    /// It records no input files (a claimgraph from before they were recorded).
    NoDigests,
}

/// Reads what the database at `path` recorded of its schema, its writer and its inputs.
/// Nothing is written: the file is opened read-only.
pub fn previous(path: &Path) -> Previous {
    if !path.exists() {
        return Previous::Absent;
    }
    match read_previous(path) {
        Ok(previous) => previous,
        Err(e) => Previous::Foreign(Foreign::Unreadable(e.to_string())),
    }
}

/// Every table, view, index and trigger of a database as SQLite keeps them, by name: what this
/// claimgraph's `schema.sql` makes in an empty database, or what a previous build made.
fn schema_of(conn: &Connection) -> rusqlite::Result<Vec<(String, String, Option<String>)>> {
    conn.prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY type, name")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect()
}

fn read_previous(path: &Path) -> rusqlite::Result<Previous> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version != SCHEMA_VERSION {
        return Ok(Previous::Foreign(Foreign::Schema(version)));
    }
    let ours = Connection::open_in_memory()?;
    ours.execute_batch(SCHEMA)?;
    if schema_of(&conn)? != schema_of(&ours)? {
        return Ok(Previous::Foreign(Foreign::SchemaText));
    }
    let tool: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'claimgraph_version'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if tool.as_deref() != Some(env!("CARGO_PKG_VERSION")) {
        return Ok(Previous::Foreign(Foreign::Tool(tool)));
    }
    // Keys from `input:` up to, not including, `input;` (the next character): the prefix's
    // rows, read through the primary key.
    let mut rows = conn.prepare(
        "SELECT substr(key, ?3), value FROM meta WHERE key >= ?1 AND key < ?2 ORDER BY key",
    )?;
    let end = format!("{};", INPUT_KEY.trim_end_matches(':'));
    let inputs = rows
        .query_map(
            rusqlite::params![INPUT_KEY, end, INPUT_KEY.len() + 1],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .collect::<rusqlite::Result<BTreeMap<String, String>>>()?;
    if inputs.is_empty() {
        return Ok(Previous::Foreign(Foreign::NoDigests));
    }
    Ok(Previous::Inputs(inputs))
}
