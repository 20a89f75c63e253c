//! Side databases: tables that do not depend on the main tables are written into databases of
//! their own, on other threads while the main database is written, and then copied into it
//! table by table (SQLite copies rows between tables of the same definition without decoding
//! them). Two such parts exist: the full-text index, the largest single piece of work of a
//! build (FTS5 keeps it in ordinary "shadow" tables, which copy as rows), and the statements
//! and conflicts of the provenance analysis. The pipeline decides which thread writes them;
//! [`super::Writer::copy_in`] copies them.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, params};

use super::write::{PRAGMAS, aliases_json, key_order};
use super::{SCHEMA, StoreError, io_error, remove_if_there, with_suffix};
use crate::graph::provenance::Analysis;
use crate::model::{ClaimObject, Model};

/// The side databases of a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The full-text index, written by [`write_search`].
    Search,
    /// The statements and conflicts of the provenance analysis, written by [`write_analysis`].
    Analysis,
}

impl Side {
    pub const ALL: [Side; 2] = [Side::Search, Side::Analysis];

    /// Where this side database is written, beside the database being built: `-search`,
    /// `-analysis`.
    pub(super) fn path(self, building: &Path) -> PathBuf {
        let suffix = match self {
            Side::Search => "-search",
            Side::Analysis => "-analysis",
        };
        with_suffix(building, suffix)
    }

    /// The tables it fills: for the index, those in which FTS5 keeps it, its content and its
    /// settings.
    pub(super) fn tables(self) -> &'static [&'static str] {
        match self {
            Side::Search => &[
                "search_config",
                "search_data",
                "search_idx",
                "search_docsize",
                "search_refs",
                "claims_fts_config",
                "claims_fts_data",
                "claims_fts_idx",
                "claims_fts_docsize",
                "entities_fts_config",
                "entities_fts_data",
                "entities_fts_idx",
                "entities_fts_docsize",
                "sources_fts_config",
                "sources_fts_data",
                "sources_fts_idx",
                "sources_fts_docsize",
            ],
            Side::Analysis => &[
                "statements",
                "conflict_pairs",
                "conflict_rows",
                "corroboration_rows",
                "unlinked_mentions",
                "stats_cells",
            ],
        }
    }
}

/// The statement of the schema that starts with `start`, up to its closing `;`.
fn definition(start: &str) -> &'static str {
    let at = SCHEMA
        .find(start)
        .unwrap_or_else(|| panic!("schema.sql has `{start}`"));
    let length = SCHEMA[at..]
        .find(";\n")
        .expect("schema statements end with `;`");
    &SCHEMA[at..=at + length]
}

/// A new, empty side database at `path`.
fn create(path: &Path) -> Result<Connection, StoreError> {
    remove_if_there(path)?;
    let conn = Connection::open(path)?;
    conn.execute_batch(PRAGMAS)?;
    Ok(conn)
}

/// The full-text indexes of the schema, each with the FTS5 table that holds it.
const INDEXES: [&str; 4] = ["search", "claims_fts", "entities_fts", "sources_fts"];

/// Builds the full-text indexes at `path`: `search`, of every name, alias, document, quote and
/// note (with `search_refs`, what each of its rows is), and the external-content indexes of
/// `claims`, `entities` and `sources`, whose rows are given the rowids and the texts
/// write.rs gives the rows of those tables. Rows go in in the order of their tables, so that
/// the result is the same on every build.
pub fn write_search(model: &Model, path: &Path) -> Result<(), StoreError> {
    let mut conn = create(path)?;
    conn.execute_batch(definition("CREATE TABLE search_refs ("))?;
    for index in INDEXES {
        conn.execute_batch(definition(&format!("CREATE VIRTUAL TABLE {index} ")))?;
        // Terms are gathered in memory and written out as a segment when this much is held:
        // fewer, larger segments, less merging.
        conn.execute_batch(&format!(
            "INSERT INTO {index} ({index}, rank) VALUES ('hashsize', 67108864);"
        ))?;
    }
    let tx = conn.transaction()?;
    {
        let mut search = tx.prepare("INSERT INTO search (rowid, text) VALUES (?1, ?2)")?;
        let mut refs = tx.prepare("INSERT INTO search_refs (id, kind, ref) VALUES (?1, ?2, ?3)")?;
        let mut row = 0_i64;
        let mut add = |kind: &str, id: &str, text: &str| -> Result<(), StoreError> {
            row += 1;
            search.execute(params![row, text])?;
            refs.execute(params![row, kind, id])?;
            Ok(())
        };
        let mut entities = tx.prepare(
            "INSERT INTO entities_fts (rowid, name, aliases, description) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (n, e) in key_order(&model.entities, |e| &e.id)
            .into_iter()
            .map(|i| &model.entities[i])
            .enumerate()
        {
            add("entity", &e.id, &e.name)?;
            for alias in &e.aliases {
                add("alias", &e.id, alias)?;
            }
            entities.execute(params![
                n + 1,
                e.name,
                aliases_json(&e.aliases),
                e.description
            ])?;
        }
        let mut sources =
            tx.prepare("INSERT INTO sources_fts (rowid, title, text) VALUES (?1, ?2, ?3)")?;
        for (n, d) in model.documents.iter().enumerate() {
            let e = &model.entities[d.entity];
            add("document", &e.id, &d.text)?;
            let title = e.field("title").map(crate::model::Scalar::as_text);
            sources.execute(params![n + 1, title, d.text])?;
        }
        let mut claims =
            tx.prepare("INSERT INTO claims_fts (rowid, quote, note) VALUES (?1, ?2, ?3)")?;
        for (n, c) in key_order(&model.claims, |c| &c.id)
            .into_iter()
            .map(|i| &model.claims[i])
            .enumerate()
        {
            add("quote", &c.id, &c.quote)?;
            if let Some(note) = &c.note {
                add("note", &c.id, note)?;
            }
            claims.execute(params![n + 1, c.quote, c.note])?;
        }
    }
    tx.commit()?;
    // One segment answers queries fastest.
    for index in INDEXES {
        conn.execute_batch(&format!(
            "INSERT INTO {index} ({index}) VALUES ('optimize');"
        ))?;
    }
    conn.close().map_err(|(_, e)| e)?;
    Ok(())
}

/// Writes the statements and the conflicts at `path`.
pub fn write_analysis(model: &Model, analysis: &Analysis, path: &Path) -> Result<(), StoreError> {
    let mut conn = create(path)?;
    for table in Side::Analysis.tables() {
        conn.execute_batch(definition(&format!("CREATE TABLE {table} (")))?;
    }
    let tx = conn.transaction()?;
    {
        let mut statement = tx.prepare(
            "INSERT INTO statements (id, subject_id, predicate, object_id, value, stance,
                                     reports, documents, origins, circular, opposing_origins,
                                     conflicting, contested)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?;
        for (i, s) in analysis.statements.iter().enumerate() {
            let (object_id, value) = match &s.object {
                ClaimObject::Entity(e) => (Some(model.entities[*e].id.as_str()), None),
                ClaimObject::Value(v) => (None, Some(super::write::sql_value(v))),
            };
            statement.execute(params![
                i + 1,
                model.entities[s.subject].id,
                model.predicates[s.predicate].id,
                object_id,
                value,
                s.stance.as_str(),
                s.claims.len(),
                s.documents,
                s.voices.len(),
                s.circular(),
                s.opposing_voices,
                s.conflicting,
                s.contested
            ])?;
        }
        let mut conflict = tx.prepare(
            "INSERT INTO conflict_pairs (claim_a, claim_b, reason, detail) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for x in &analysis.conflicts {
            conflict.execute(params![
                model.claims[x.a].id,
                model.claims[x.b].id,
                x.reason.as_str(),
                x.detail
            ])?;
        }
        super::derived::write(&tx, model, analysis)?;
    }
    tx.commit()?;
    conn.close().map_err(|(_, e)| e)?;
    Ok(())
}

/// Replaces the rows of `tables` in the main database with those of the side database at
/// `path`, and removes it.
pub(super) fn copy_into(conn: &Connection, path: &Path, tables: &[&str]) -> Result<(), StoreError> {
    let Some(shown) = path.to_str() else {
        return Err(io_error(path)(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "SQLite can only attach a database whose path is UTF-8",
        )));
    };
    conn.execute("ATTACH DATABASE ?1 AS side", [shown])?;
    let copied = tables.iter().try_for_each(|table| {
        conn.execute_batch(&format!(
            "DELETE FROM main.{table}; INSERT INTO main.{table} SELECT * FROM side.{table};"
        ))
    });
    conn.execute_batch("DETACH DATABASE side;")?;
    copied?;
    std::fs::remove_file(path).map_err(io_error(path))
}
