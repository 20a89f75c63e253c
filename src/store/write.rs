//! Writes the model and its analysis into a new database beside the target, checks that each
//! table holds the rows of the model, and only then syncs it and renames it over the target: a failed, killed or panicking build leaves the
//! previous database as it was. What runs on which thread, and in what order, is the
//! pipeline's; this module writes what it is given.

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, Transaction, params};

use super::side::Side;
use super::{SCHEMA, SCHEMA_VERSION, StoreError, io_error, temp_path};
use crate::graph::KnowledgeGraph;
use crate::graph::provenance::Analysis;
use crate::interrupt::{self, Pending};
use crate::model::{ClaimObject, EntityIdx, Model, ObjectType, RefField, Scalar, Value};
use typed_index_collections::TiSlice;

/// What a new database holds: the row count of each table that the model fills, and the size
/// of the graph that the `nodes` and `edges` views present. The build checks the tables against
/// it and reports it when done.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteSummary {
    /// Nodes of the graph (the `nodes` view).
    pub nodes: usize,
    /// Edges of the graph (the `edges` view).
    pub edges: usize,
    pub entities: usize,
    pub aliases: usize,
    /// Source documents (`sources`).
    pub documents: usize,
    pub predicates: usize,
    pub claims: usize,
    /// The entities each claim cites (`claim_citations`).
    pub citations: usize,
    pub statements: usize,
    /// Pairs of conflicting claims (`conflict_pairs`).
    pub conflicts: usize,
    pub mentions: usize,
}

impl WriteSummary {
    /// What the database must hold for this model, graph and analysis.
    pub fn expected(model: &Model, graph: &KnowledgeGraph, analysis: &Analysis) -> WriteSummary {
        WriteSummary {
            nodes: graph.graph.node_count(),
            edges: graph.graph.edge_count(),
            entities: model.entities.len(),
            aliases: model.entities.iter().map(|e| e.aliases.len()).sum(),
            documents: model.documents.len(),
            predicates: model.predicates.len(),
            claims: model.claims.len(),
            citations: model.claims.iter().map(|c| c.citing.len()).sum(),
            statements: analysis.statements.len(),
            conflicts: analysis.conflicts.len(),
            mentions: model.mentions.len(),
        }
    }

    /// Each table with rows of its own that the summary counts, and its count; `nodes` and
    /// `edges` are views over these, so they are not among them.
    fn tables(&self) -> [(&'static str, usize); 9] {
        [
            ("entities", self.entities),
            ("aliases", self.aliases),
            ("sources", self.documents),
            ("predicates", self.predicates),
            ("claims", self.claims),
            ("claim_citations", self.citations),
            ("statements", self.statements),
            ("conflict_pairs", self.conflicts),
            ("mentions", self.mentions),
        ]
    }
}

/// The files of a database being built beside its target: the locked temporary database and
/// its side files. Dropping them removes them, so a failure anywhere before the commit (the
/// exports, say) leaves the previous database as it was; after a commit only the side files
/// are left to remove.
#[derive(Debug)]
struct Building {
    /// Keeps two builds from writing the same temporary file; released when dropped, also
    /// when the process dies.
    lock: File,
    temp: PathBuf,
    target: PathBuf,
    _pending: Vec<Pending>,
}

impl Drop for Building {
    fn drop(&mut self) {
        for file in super::building_files(&self.temp) {
            let _ = fs::remove_file(file);
        }
    }
}

/// A new database being written beside its target: the main tables through this connection,
/// the side databases ([`Side`]) by whoever is given their paths. [`Writer::finish`] checks it
/// and turns it into a [`Built`]; dropping it removes everything it wrote.
#[derive(Debug)]
pub struct Writer {
    /// Declared before the files, so that it is closed before they are removed.
    conn: Connection,
    files: Building,
}

/// The main tables of a [`Writer`], written in one transaction: first what does not depend on
/// the provenance analysis ([`Tables::records`]), then the claims with it.
#[derive(Debug)]
pub struct Tables<'a> {
    tx: Transaction<'a>,
}

/// A new database, written and checked beside its target, that is not yet in place:
/// [`Built::commit`] renames it over the target; dropping it instead removes it and its side
/// files.
#[derive(Debug)]
pub struct Built {
    files: Building,
}

impl Built {
    /// The new database, readable before it is in place (the exports are made from it).
    pub fn path(&self) -> &Path {
        &self.files.temp
    }

    /// Puts the new database in place of the target, durably.
    pub fn commit(self) -> Result<(), StoreError> {
        let Building {
            lock, temp, target, ..
        } = &self.files;
        lock.sync_all().map_err(io_error(temp))?;
        fs::rename(temp, target).map_err(io_error(target))?;
        if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Makes the rename itself durable; not every platform can open a folder.
            if let Ok(dir) = File::open(dir) {
                let _ = dir.sync_all();
            }
        }
        Ok(())
    }
}

/// The file is private until renamed, so durability per statement buys nothing here. Rows go
/// in key order, so a modest page cache suffices. The rows are written from a model that was
/// checked, so the schema's CHECK constraints are not evaluated for each of them (a third of
/// the work of inserting a claim): `claimgraph verify` checks them, with the rest of
/// `integrity_check`, as it checks the foreign keys the build does not look up either.
pub(super) const PRAGMAS: &str =
    "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF;
     PRAGMA ignore_check_constraints = ON;
     PRAGMA page_size = 16384; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;
     PRAGMA threads = 2;";

/// The schema's tables, and its `@indexes` section, which runs once the rows are in.
fn schema_parts() -> (&'static str, &'static str) {
    SCHEMA
        .split_once("-- @indexes")
        .and_then(|(tables, rest)| Some((tables, rest.split_once('\n')?.1)))
        .expect("schema.sql has an @indexes section")
}

impl Writer {
    /// Starts the database for `target` beside it, with the schema's tables and no rows; fails
    /// if another build is writing it.
    pub fn create(target: &Path) -> Result<Writer, StoreError> {
        let temp = temp_path(target);
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&temp)
            .map_err(io_error(&temp))?;
        if lock.try_lock().is_err() {
            return Err(StoreError::Busy(target.to_owned()));
        }
        // From here on the temporary files are this build's: removed if it fails (when the
        // writer or what it built is dropped) or is interrupted.
        let pending = super::building_files(&temp)
            .into_iter()
            .map(interrupt::remove_on_interrupt)
            .collect();
        let files = Building {
            lock,
            temp,
            target: target.to_owned(),
            _pending: pending,
        };
        files.lock.set_len(0).map_err(io_error(&files.temp))?;
        let conn = Connection::open(&files.temp)?;
        conn.execute_batch(PRAGMAS)?;
        // Marks the file as claimgraph's, so that a later build knows it may replace it.
        conn.pragma_update(None, "application_id", super::APPLICATION_ID)?;
        conn.execute_batch(schema_parts().0)?;
        Ok(Writer { conn, files })
    }

    /// Where the side database `side` of this build is written ([`super::side`]).
    pub fn side(&self, side: Side) -> PathBuf {
        side.path(&self.files.temp)
    }

    /// Opens the transaction in which the main tables are written.
    pub fn tables(&mut self) -> Result<Tables<'_>, StoreError> {
        Ok(Tables {
            tx: self.conn.transaction()?,
        })
    }

    /// Replaces the rows of the side database `side`'s tables with its own, and removes it.
    pub fn copy_in(&self, side: Side) -> Result<(), StoreError> {
        super::side::copy_into(&self.conn, &self.side(side), side.tables())
    }

    /// Builds the indexes of the schema's `@indexes` section, once the rows they index are in.
    pub fn index(&self) -> Result<(), StoreError> {
        Ok(self.conn.execute_batch(schema_parts().1)?)
    }

    /// Stamps the schema version and checks that every table holds as many rows as
    /// `expected` says the model gave it. Only a database that passed can be put in place.
    /// The deep checks (integrity, foreign keys, the graph, the quotes) are
    /// [`super::verify`]'s: the rows are written from resolved references, so a build does
    /// not pay for looking each of them up again unless asked to (`build --verify`).
    pub fn finish(self, expected: &WriteSummary) -> Result<Built, StoreError> {
        let Writer { conn, files } = self;
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        verify_contents(&conn, expected)?;
        conn.close().map_err(|(_, e)| e)?;
        Ok(Built { files })
    }
}

impl Tables<'_> {
    /// Everything that does not depend on the analysis: the meta rows, entities (with their
    /// aliases, fields and links), source documents, predicates (with their kinds and
    /// exclusions) and mentions.
    pub fn records(&self, model: &Model) -> Result<(), StoreError> {
        insert_meta(&self.tx, model)?;
        insert_entities(&self.tx, model)?;
        insert_sources(&self.tx, model)?;
        insert_predicates(&self.tx, model)?;
        insert_mentions(&self.tx, model)
    }

    /// The claims with their analysis, and their citations.
    pub fn claims(&self, model: &Model, analysis: &Analysis) -> Result<(), StoreError> {
        insert_claims(&self.tx, model, analysis)
    }

    pub fn commit(self) -> Result<(), StoreError> {
        Ok(self.tx.commit()?)
    }
}

/// What the database is: its schema's version, the claimgraph that wrote it, its inputs' digests.
fn insert_meta(tx: &Transaction<'_>, model: &Model) -> Result<(), StoreError> {
    let mut meta = tx.prepare("INSERT INTO meta (key, value) VALUES (?1, ?2)")?;
    meta.execute(params!["schema_version", SCHEMA_VERSION.to_string()])?;
    meta.execute(params!["claimgraph_version", env!("CARGO_PKG_VERSION")])?;
    meta.execute(params!["inputs_sha256", model.inputs_digest])?;
    // Each input file's digest, which the next build compares with the files (`store::update`).
    for (path, digest) in &model.input_files {
        meta.execute(params![
            format!("{}{path}", super::update::INPUT_KEY),
            digest
        ])?;
    }
    Ok(())
}

/// `entities` with their `aliases`, `entity_fields` and `entity_links`.
fn insert_entities(tx: &Transaction<'_>, model: &Model) -> Result<(), StoreError> {
    // Rows go in primary-key order, so every B-tree grows at its end instead of splitting
    // pages all over; the file is the same either way.
    let entity_order = key_order(&model.entities, |e| &e.id);

    let mut entity = tx.prepare(
        "INSERT INTO entities (rowid, id, kind, name, description, wikidata, reliability, file,
                               line, aliases)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    let mut alias = tx.prepare("INSERT INTO aliases (entity_id, alias) VALUES (?1, ?2)")?;
    let mut field =
        tx.prepare("INSERT INTO entity_fields (entity_id, field, value) VALUES (?1, ?2, ?3)")?;
    let mut link = tx.prepare(
        "INSERT INTO entity_links (entity_id, field, position, target_id) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (n, e) in entity_order.iter().map(|&i| &model.entities[i]).enumerate() {
        entity.execute(params![
            n + 1,
            e.id,
            e.kind.as_str(),
            e.name,
            e.description,
            e.wikidata,
            e.reliability,
            e.defined_at.file,
            e.defined_at.line,
            aliases_json(&e.aliases)
        ])?;
        for a in &e.aliases {
            alias.execute(params![e.id, a])?;
        }
        for (name, value) in &e.fields {
            match value {
                Scalar::Number(n) => field.execute(params![e.id, name, n])?,
                other => field.execute(params![e.id, name, other.as_text()])?,
            };
        }
        let mut positions: Vec<(RefField, EntityIdx)> = Vec::new();
        for &(f, target) in &e.links {
            let position = positions.iter().filter(|(p, _)| *p == f).count() + 1;
            positions.push((f, target));
            link.execute(params![
                e.id,
                f.as_str(),
                position,
                model.entities[target].id
            ])?;
        }
    }
    Ok(())
}

/// `sources`: each source document with its text and what its `source` record says of it.
fn insert_sources(tx: &Transaction<'_>, model: &Model) -> Result<(), StoreError> {
    let mut source = tx.prepare(
        "INSERT INTO sources (rowid, id, file, title, language, published, published_start,
                              published_end, outlet_id, author_id, url, sha256, text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    for (n, d) in model.documents.iter().enumerate() {
        let e = &model.entities[d.entity];
        let text_field = |name| e.field(name).map(Scalar::as_text);
        let published = match e.field("published") {
            Some(Scalar::Date(date)) => Some(date),
            _ => None,
        };
        let id_of = |f| e.link(f).map(|t| model.entities[t].id.as_str());
        source.execute(params![
            n + 1,
            e.id,
            d.file,
            text_field("title"),
            text_field("language"),
            published.map(|p| p.text.as_str()),
            published.and_then(|p| p.start_iso()),
            published.and_then(|p| p.end_iso()),
            id_of(RefField::Outlet),
            id_of(RefField::Author),
            text_field("url"),
            d.sha256,
            d.text
        ])?;
    }
    Ok(())
}

/// `predicates` with their `predicate_kinds` and `predicate_excludes`.
fn insert_predicates(tx: &Transaction<'_>, model: &Model) -> Result<(), StoreError> {
    let mut predicate = tx.prepare(
        "INSERT INTO predicates (id, label, description, object_type, functional, excludes_scope,
                                 file, line)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut kind =
        tx.prepare("INSERT INTO predicate_kinds (predicate, role, kind) VALUES (?1, ?2, ?3)")?;
    let mut excludes =
        tx.prepare("INSERT INTO predicate_excludes (predicate, excluded) VALUES (?1, ?2)")?;
    for p in &model.predicates {
        predicate.execute(params![
            p.id,
            p.label,
            p.description,
            p.object.as_str(),
            p.functional,
            p.excludes_scope.as_str(),
            p.defined_at.file,
            p.defined_at.line
        ])?;
        for k in &p.subject {
            kind.execute(params![p.id, "subject", k.as_str()])?;
        }
        if let ObjectType::Entity(kinds) = &p.object {
            for k in kinds {
                kind.execute(params![p.id, "object", k.as_str()])?;
            }
        }
        for &x in &p.excludes {
            excludes.execute(params![p.id, model.predicates[x].id])?;
        }
    }
    Ok(())
}

/// `mentions`, in key order.
fn insert_mentions(tx: &Transaction<'_>, model: &Model) -> Result<(), StoreError> {
    let mut mention = tx.prepare(
        "INSERT INTO mentions (entity_id, source_id, mention_start, mention_end, name) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut mentions: Vec<&crate::model::Mention> = model.mentions.iter().collect();
    mentions.sort_by(|a, b| {
        let key = |m: &crate::model::Mention| {
            (
                model.entities[m.entity].id.as_str(),
                model.entities[model.documents[m.document].entity]
                    .id
                    .as_str(),
                m.chars.start,
            )
        };
        key(a).cmp(&key(b))
    });
    for m in mentions {
        mention.execute(params![
            model.entities[m.entity].id,
            model.entities[model.documents[m.document].entity].id,
            m.chars.start,
            m.chars.end,
            m.name
        ])?;
    }
    Ok(())
}

/// The claims with their analysis, and their citations.
fn insert_claims(
    tx: &Transaction<'_>,
    model: &Model,
    analysis: &Analysis,
) -> Result<(), StoreError> {
    let mut claim = tx.prepare(
        "INSERT INTO claims (rowid, id, source_id, reported_by, subject_id, predicate, object_id,
                             value, value_type, when_text, when_start, when_end, stance, hedged,
                             quote, quote_start, quote_end, occurrence, note, origin_id,
                             voice_id, echoes, interested, aligned, statement_id, file, line)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
                 ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)",
    )?;
    let mut citation = tx.prepare(
        "INSERT INTO claim_citations (claim_id, position, entity_id) VALUES (?1, ?2, ?3)",
    )?;
    for (n, i) in key_order(&model.claims, |c| &c.id).into_iter().enumerate() {
        let c = &model.claims[i];
        let origin = &analysis.origins[i];
        let object_id = c.object.entity().map(|o| model.entities[o].id.as_str());
        let (value, value_type) = match &c.object {
            ClaimObject::Entity(_) => (None, None),
            ClaimObject::Value(v) => (Some(sql_value(v)), Some(v.type_name())),
        };
        claim.execute(params![
            n + 1,
            c.id,
            model.entities[model.documents[c.document].entity].id,
            model.entities[c.reported_by].id,
            model.entities[c.subject].id,
            model.predicates[c.predicate].id,
            object_id,
            value,
            value_type,
            c.when.as_ref().map(|w| w.text.as_str()),
            c.when.as_ref().and_then(|w| w.start_iso()),
            c.when.as_ref().and_then(|w| w.end_iso()),
            c.stance.as_str(),
            c.hedged,
            c.quote,
            c.quote_chars.start,
            c.quote_chars.end,
            c.occurrence,
            c.note,
            model.entities[origin.origin].id,
            model.entities[origin.voice].id,
            origin.echoes,
            origin.interested,
            origin.aligned,
            analysis.statement_of[i] + 1,
            c.defined_at.file,
            c.defined_at.line
        ])?;
        for (position, &cited) in c.citing.iter().enumerate() {
            citation.execute(params![c.id, position + 1, model.entities[cited].id])?;
        }
    }

    Ok(())
}

/// An entity's aliases as the JSON array `entities.aliases` holds, `None` for none. The
/// full-text index `entities_fts` is given the same text (side.rs), as its rows must be.
pub(super) fn aliases_json(aliases: &[String]) -> Option<String> {
    (!aliases.is_empty())
        .then(|| serde_json::to_string(aliases).expect("a list of strings serialises"))
}

/// The indexes of `items` ordered by a text key. The rowids of `entities` and `claims` are
/// their places in this order, from 1; those of `sources`, the documents' places in the model.
pub(super) fn key_order<'a, I, V>(
    items: &'a TiSlice<I, V>,
    key: impl Fn(&'a V) -> &'a String,
) -> Vec<I>
where
    I: From<usize> + Copy,
    usize: From<I>,
{
    let mut order: Vec<I> = items.keys().collect();
    order.sort_by(|&a, &b| key(&items[a]).cmp(key(&items[b])));
    order
}

pub(super) fn sql_value(value: &Value) -> rusqlite::types::Value {
    use rusqlite::types::Value as Sql;
    match value {
        Value::Integer(i) => Sql::Integer(*i),
        Value::Float(f) => Sql::Real(*f),
        Value::Text(t) => Sql::Text(t.clone()),
        Value::Date(d) => Sql::Text(d.text.clone()),
    }
}

/// Row counts equal to the model.
fn verify_contents(conn: &Connection, expected: &WriteSummary) -> Result<(), StoreError> {
    for (table, want) in expected.tables() {
        let got: i64 =
            conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
        if usize::try_from(got).ok() != Some(want) {
            return Err(StoreError::Verify(format!(
                "table {table} has {got} rows, expected {want}"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An empty database of the schema's tables.
    fn empty() -> Connection {
        let conn = Connection::open_in_memory().expect("an in-memory database");
        conn.execute_batch(schema_parts().0)
            .expect("the schema's tables");
        conn
    }

    #[test]
    fn the_counted_tables_are_the_schemas() {
        // A misspelt table would fail here rather than in every build.
        assert_eq!(
            verify_contents(&empty(), &WriteSummary::default()).ok(),
            Some(())
        );
    }

    #[test]
    fn a_table_without_the_rows_of_the_model_fails_the_check() {
        let counts = WriteSummary {
            citations: 2,
            ..WriteSummary::default()
        };
        let error = verify_contents(&empty(), &counts).expect_err("two citations are missing");
        assert_eq!(
            error.to_string(),
            "the new database failed its check (table claim_citations has 0 rows, expected 2); the previous database was left untouched"
        );
    }

    #[test]
    fn the_graph_is_not_a_table_to_count() {
        // `nodes` and `edges` are views whose size the build reports; the tables are counted.
        let counts = WriteSummary {
            nodes: 3,
            edges: 2,
            ..WriteSummary::default()
        };
        assert!(verify_contents(&empty(), &counts).is_ok());
    }
}
