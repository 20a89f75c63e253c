//! The deep checks of a built database, which `claimgraph verify` and `build --verify` run and
//! a plain build does not: SQLite's `integrity_check` and `foreign_key_check`, table by table on
//! one reader per core, each broken reference named by its row; every stored quote offset
//! against its document; and the rows of the `nodes` and `edges` views, handed one at a time to
//! the pipeline, which compares them with the graph the views make.

use std::collections::BinaryHeap;
use std::path::Path;
use std::sync::{Condvar, Mutex};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row};

use super::StoreError;
use crate::model::text::normalize;

/// One part of the integrity and foreign-key checks.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Check {
    /// `PRAGMA integrity_check(table)`: the table's B-tree, its constraints, and that each of
    /// its indexes holds exactly its rows.
    Integrity(String),
    /// `PRAGMA quick_check`: the structure of every B-tree and the accounting of every page of
    /// the file, the part of a full `integrity_check` that checking table by table leaves out.
    Pages,
    /// `PRAGMA foreign_key_check(table)`.
    ForeignKeys(String),
}

/// Runs `integrity_check` and `foreign_key_check` of the file at `path`, split by table (the
/// largest first) and shared among `workers` read-only connections, and `quick_check` for what
/// the split leaves out. Returns every problem found, each naming its table, and for a broken
/// reference its row.
pub fn integrity(path: &Path, workers: usize) -> Result<Vec<String>, StoreError> {
    let queue = CheckQueue::default();
    {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        for (table, indexes, keys) in table_facts(&conn)? {
            // A table costs about one step per row for itself and each index or foreign key;
            // the rows are not counted, so the tables of claims go first.
            let rows = if table.starts_with("claim") || table.starts_with("search") {
                4
            } else {
                1
            };
            if keys > 0 {
                queue.push(rows * keys, Check::ForeignKeys(table.clone()));
            }
            queue.push(rows * (1 + indexes), Check::Integrity(table));
        }
    }
    queue.push(0, Check::Pages);
    queue.close();
    let found = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers.max(1))
            .map(|_| scope.spawn(|| check_from(&queue, path)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("no check panics"))
            .collect::<Result<Vec<_>, _>>()
    })?;
    let mut problems: Vec<String> = found.into_iter().flatten().collect();
    problems.sort();
    Ok(problems)
}

/// Runs the integrity and foreign-key checks of the finished file at `path` one after the
/// other on this thread, with the build's reader settings; its processor time is what the
/// checks cost, which the benchmark reports. Any problem is an error.
pub fn verify(path: &Path) -> Result<(), StoreError> {
    let problems = integrity(path, 1)?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Verify(problems.join("; ")))
    }
}

/// One worker: a connection that only reads, taking checks from the queue until it is empty.
/// It opens the file for writing where it may (and then refuses every write, `query_only`):
/// SQLite leaves the CHECK constraints out of the schema of a file opened read-only, so
/// `integrity_check` there would not check them, and a build does not evaluate them.
fn check_from(queue: &CheckQueue, path: &Path) -> Result<Vec<String>, StoreError> {
    let reader = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .or_else(|_| {
        Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
    })?;
    reader.pragma_update(None, "query_only", true)?;
    reader.execute_batch(super::READING)?;
    let mut problems = Vec::new();
    while let Some(check) = queue.pop() {
        problems.extend(run_check(&reader, &check)?);
    }
    Ok(problems)
}

/// `(table, indexes, foreign keys)` of every table with rows of its own.
fn table_facts(conn: &Connection) -> Result<Vec<(String, usize, usize)>, StoreError> {
    let mut statement = conn.prepare(
        "SELECT t.name,
                (SELECT count(*) FROM sqlite_schema i WHERE i.type = 'index' AND i.tbl_name = t.name),
                (SELECT count(*) FROM pragma_foreign_key_list(t.name))
         FROM sqlite_schema t
         WHERE t.type = 'table' AND t.rootpage > 0
         ORDER BY t.name",
    )?;
    let tables = statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    Ok(tables)
}

/// The checks to run, largest first.
#[derive(Debug, Default)]
struct CheckQueue {
    state: Mutex<(BinaryHeap<(usize, Check)>, bool)>,
    ready: Condvar,
}

impl CheckQueue {
    fn push(&self, weight: usize, check: Check) {
        let mut state = self.state.lock().expect("no check panics");
        if !state.1 {
            state.0.push((weight, check));
            self.ready.notify_one();
        }
    }

    /// No more checks will come; the workers finish what is queued.
    fn close(&self) {
        self.state.lock().expect("no check panics").1 = true;
        self.ready.notify_all();
    }

    fn pop(&self) -> Option<Check> {
        let mut state = self.state.lock().expect("no check panics");
        loop {
            if let Some((_, check)) = state.0.pop() {
                return Some(check);
            }
            if state.1 {
                return None;
            }
            state = self.ready.wait(state).expect("no check panics");
        }
    }
}

/// Runs one check; returns what it found wrong.
fn run_check(conn: &Connection, check: &Check) -> Result<Vec<String>, StoreError> {
    match check {
        Check::Integrity(table) => Ok(integrity_problems(conn, "integrity_check", Some(table))?
            .into_iter()
            .map(|line| format!("integrity_check({table}): {line}"))
            .collect()),
        Check::Pages => Ok(integrity_problems(conn, "quick_check", None)?
            .into_iter()
            .map(|line| format!("quick_check: {line}"))
            .collect()),
        Check::ForeignKeys(table) => foreign_key_problems(conn, table),
    }
}

/// What `PRAGMA integrity_check` or `quick_check` reports, without its "ok".
fn integrity_problems(
    conn: &Connection,
    pragma: &str,
    table: Option<&str>,
) -> Result<Vec<String>, StoreError> {
    let argument = if table.is_some() { "(?1)" } else { "" };
    let lines: Vec<String> = conn
        .prepare(&format!("SELECT * FROM pragma_{pragma}{argument}"))?
        .query_map(rusqlite::params_from_iter(table), |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(lines.into_iter().filter(|line| line != "ok").collect())
}

/// How many broken rows of one foreign key are named one by one; the rest are counted.
const NAMED_ROWS: usize = 20;

/// `PRAGMA foreign_key_check(table)`, each broken row named by its primary key and the value
/// that names no row: most of the table's rows are WITHOUT ROWID, for which the pragma gives no
/// row, so the rows are found again by the key's columns.
fn foreign_key_problems(conn: &Connection, table: &str) -> Result<Vec<String>, StoreError> {
    let broken: Vec<(i64, String, usize)> = conn
        .prepare(
            "SELECT fkid, parent, count(*) FROM pragma_foreign_key_check(?1)
             GROUP BY fkid, parent ORDER BY parent, fkid",
        )?
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let key: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk")?
        .query_map([table], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut problems = Vec::new();
    for (fkid, parent, count) in broken {
        let columns: Vec<(String, Option<String>)> = conn
            .prepare("SELECT \"from\", \"to\" FROM pragma_foreign_key_list(?1) WHERE id = ?2 ORDER BY seq")?
            .query_map(rusqlite::params![table, fkid], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let parent_key: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk")?
            .query_map([&parent], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let pairs: Vec<(&str, &str)> = columns
            .iter()
            .enumerate()
            .map(|(i, (from, to))| {
                let to = to
                    .as_deref()
                    .or(parent_key.get(i).map(String::as_str))
                    .unwrap_or("rowid");
                (from.as_str(), to)
            })
            .collect();
        let named: Vec<String> = key
            .iter()
            .map(String::as_str)
            .chain(pairs.iter().map(|(from, _)| *from))
            .map(|c| format!("t.{}", quoted(c)))
            .collect();
        let present: Vec<String> = pairs
            .iter()
            .map(|(from, _)| format!("t.{} IS NOT NULL", quoted(from)))
            .collect();
        let matches: Vec<String> = pairs
            .iter()
            .map(|(from, to)| format!("p.{} = t.{}", quoted(to), quoted(from)))
            .collect();
        let sql = format!(
            "SELECT {} FROM {} AS t WHERE {} AND NOT EXISTS (SELECT 1 FROM {} AS p WHERE {})
             ORDER BY {} LIMIT {NAMED_ROWS}",
            named.join(", "),
            quoted(table),
            present.join(" AND "),
            quoted(&parent),
            matches.join(" AND "),
            (1..=key.len().max(1))
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        );
        let mut statement = conn.prepare(&sql)?;
        let mut rows = statement.query([])?;
        let mut listed = 0;
        while let Some(row) = rows.next()? {
            let cells = |range: std::ops::Range<usize>, names: &mut dyn Iterator<Item = &str>| {
                range
                    .zip(names)
                    .map(|(i, name)| Ok(format!("{name} = {}", literal(row.get_ref(i)?))))
                    .collect::<Result<Vec<_>, rusqlite::Error>>()
                    .map(|cells| cells.join(", "))
            };
            let at = cells(0..key.len(), &mut key.iter().map(String::as_str))?;
            let value = cells(
                key.len()..key.len() + pairs.len(),
                &mut pairs.iter().map(|(from, _)| *from),
            )?;
            problems.push(format!(
                "foreign_key_check({table}): the row {at} points at a missing row of {parent}: {value}"
            ));
            listed += 1;
        }
        if count > listed {
            problems.push(format!(
                "foreign_key_check({table}): … and {} more rows point at missing rows of {parent}",
                count - listed
            ));
        }
    }
    Ok(problems)
}

/// An SQL identifier in double quotes.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A stored value as a message shows it: text in single quotes, numbers as they are.
fn literal(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Null => "NULL".to_owned(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(r) => r.to_string(),
        ValueRef::Text(t) => format!("'{}'", String::from_utf8_lossy(t)),
        ValueRef::Blob(b) => format!("a blob of {} bytes", b.len()),
    }
}

/// Checks every claim's stored quote offsets against its document: the passage they cut from
/// `sources.text` must be the claim's quote in the normal form the loader found it in
/// ([`normalize`]: NFC, typographic quotes and dashes folded, white space collapsed). Claims
/// are read by document, and each text once, so the work is linear in the texts and quotes
/// however many claims a document has. Returns how many claims were checked and what was
/// wrong; a claim whose document is missing is the foreign-key check's to report.
pub fn quote_problems(conn: &Connection) -> Result<(usize, Vec<String>), StoreError> {
    let mut claims = conn.prepare(
        "SELECT source_id, id, quote, quote_start, quote_end FROM claims ORDER BY source_id, id",
    )?;
    let mut text_of = conn.prepare("SELECT text FROM sources WHERE id = ?1")?;
    let mut rows = claims.query([])?;
    let (mut checked, mut problems) = (0, Vec::new());
    // The document being read, by id; `None` beside it when `sources` lacks it.
    let mut document: Option<(String, Option<CharText>)> = None;
    while let Some(row) = rows.next()? {
        let source = text(row, 0)?;
        if document.as_ref().is_none_or(|(id, _)| id != source) {
            let stored: Option<String> = text_of.query_row([source], |r| r.get(0)).optional()?;
            let indexed = stored.map(|text| {
                let mut starts: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
                starts.push(text.len());
                CharText { text, starts }
            });
            document = Some((source.to_owned(), indexed));
        }
        let Some((
            _,
            Some(CharText {
                text: stored,
                starts,
            }),
        )) = &document
        else {
            continue;
        };
        checked += 1;
        let id = text(row, 1)?;
        let quote = text(row, 2)?;
        let (start, end): (i64, i64) = (row.get(3)?, row.get(4)?);
        let length = starts.len() - 1;
        let bytes = usize::try_from(start)
            .ok()
            .zip(usize::try_from(end).ok())
            .filter(|&(s, e)| s <= e && e <= length)
            .map(|(s, e)| starts[s]..starts[e]);
        match bytes {
            None => problems.push(format!(
                "claims row {id}: quote_start..quote_end = {start}..{end} is outside its document \
                 {source} ({length} characters)"
            )),
            Some(bytes) => {
                let passage = &stored[bytes];
                if normalize(passage) != normalize(quote) {
                    problems.push(format!(
                        "claims row {id}: quote_start..quote_end = {start}..{end} cuts {passage:?} \
                         from its document {source}, not its quote {quote:?}"
                    ));
                }
            }
        }
    }
    Ok((checked, problems))
}

/// A document's text with the byte offset where each of its characters starts, and its length.
struct CharText {
    text: String,
    starts: Vec<usize>,
}

/// A row of the `nodes` view.
#[derive(Debug, Clone, Copy)]
pub struct NodeRow<'r> {
    pub id: &'r str,
    pub kind: &'r str,
    pub label: &'r str,
}

/// A row of the `edges` view.
#[derive(Debug, Clone, Copy)]
pub struct EdgeRow<'r> {
    pub source: &'r str,
    pub target: &'r str,
    pub kind: &'r str,
    pub claim: Option<&'r str>,
    pub position: Option<i64>,
}

/// Hands every row of the `nodes` view to `each`, in no particular order.
pub fn each_node(conn: &Connection, mut each: impl FnMut(NodeRow<'_>)) -> Result<(), StoreError> {
    let mut statement = conn.prepare("SELECT id, kind, label FROM nodes")?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        each(NodeRow {
            id: text(row, 0)?,
            kind: text(row, 1)?,
            label: text_or_null(row, 2)?.unwrap_or_default(),
        });
    }
    Ok(())
}

/// Hands every row of the `edges` view to `each`, in no particular order.
pub fn each_edge(conn: &Connection, mut each: impl FnMut(EdgeRow<'_>)) -> Result<(), StoreError> {
    let mut statement =
        conn.prepare("SELECT source, target, kind, claim_id, position FROM edges")?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        each(EdgeRow {
            source: text(row, 0)?,
            target: text(row, 1)?,
            kind: text(row, 2)?,
            claim: text_or_null(row, 3)?,
            position: row.get(4)?,
        });
    }
    Ok(())
}

/// The text in `column`; anything else is SQLite's conversion error, naming the column.
fn text<'r>(row: &'r Row<'_>, column: usize) -> rusqlite::Result<&'r str> {
    text_or_null(row, column)?.ok_or(rusqlite::Error::InvalidColumnType(
        column,
        "a text".to_owned(),
        rusqlite::types::Type::Null,
    ))
}

/// The text in `column`, or `None` for NULL.
fn text_or_null<'r>(row: &'r Row<'_>, column: usize) -> rusqlite::Result<Option<&'r str>> {
    row.get_ref(column)?.as_str_or_null().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(e))
    })
}
