//! The full-text index is the largest single piece of work of a build. It is built in a
//! database of its own, on a second thread while the main database is written, and then copied
//! into the main database table by table: FTS5 keeps its index in ordinary "shadow" tables,
//! which copy as rows.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, params};

use super::{SCHEMA, StoreError, io_error};
use crate::model::Model;

/// The tables in which FTS5 keeps the `search` index, its content and its settings.
const SHADOW_TABLES: [&str; 5] = [
    "search_config",
    "search_data",
    "search_idx",
    "search_content",
    "search_docsize",
];

/// Where the index is built, beside the database being written.
pub fn side_path(building: &Path) -> PathBuf {
    let mut name = building.file_name().unwrap_or_default().to_owned();
    name.push("-search");
    building.with_file_name(name)
}

/// The `CREATE VIRTUAL TABLE search` statement of the schema.
fn definition() -> &'static str {
    let start = SCHEMA
        .find("CREATE VIRTUAL TABLE search ")
        .expect("schema.sql defines the search table");
    let length = SCHEMA[start..]
        .find(");")
        .expect("the definition ends with `);`");
    &SCHEMA[start..start + length + 2]
}

/// Builds the index of every name, alias, document, quote and note at `path`, in the order
/// the rows of their tables are written, so that the result is the same on every build.
pub fn build(model: &Model, path: &Path, pragmas: &str) -> Result<(), StoreError> {
    super::remove_if_there(path)?;
    let mut conn = Connection::open(path)?;
    conn.execute_batch(pragmas)?;
    conn.execute_batch(definition())?;
    // Terms are gathered in memory and written out as a segment when this much is held:
    // fewer, larger segments, less merging.
    conn.execute_batch("INSERT INTO search (search, rank) VALUES ('hashsize', 67108864);")?;
    let tx = conn.transaction()?;
    {
        let mut search = tx.prepare("INSERT INTO search (kind, ref, text) VALUES (?1, ?2, ?3)")?;
        for e in super::write::key_order(model.entities.len(), |i| &model.entities[i].id)
            .into_iter()
            .map(|i| &model.entities[i])
        {
            search.execute(params!["entity", e.id, e.name])?;
            for alias in &e.aliases {
                search.execute(params!["alias", e.id, alias])?;
            }
        }
        for d in &model.documents {
            search.execute(params!["document", model.entities[d.entity].id, d.text])?;
        }
        for c in super::write::key_order(model.claims.len(), |i| &model.claims[i].id)
            .into_iter()
            .map(|i| &model.claims[i])
        {
            search.execute(params!["quote", c.id, c.quote])?;
            if let Some(note) = &c.note {
                search.execute(params!["note", c.id, note])?;
            }
        }
    }
    tx.commit()?;
    // One segment answers queries fastest.
    conn.execute_batch("INSERT INTO search (search) VALUES ('optimize');")?;
    conn.close().map_err(|(_, e)| e)?;
    Ok(())
}

/// Replaces the main database's (empty) index with the one built at `path`.
pub fn copy_into(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let Some(shown) = path.to_str() else {
        return Err(io_error(path)(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "SQLite can only attach a database whose path is UTF-8",
        )));
    };
    conn.execute("ATTACH DATABASE ?1 AS built", [shown])?;
    let copied = SHADOW_TABLES.iter().try_for_each(|table| {
        conn.execute_batch(&format!(
            "DELETE FROM main.{table}; INSERT INTO main.{table} SELECT * FROM built.{table};"
        ))
    });
    conn.execute_batch("DETACH DATABASE built;")?;
    copied?;
    Ok(())
}
