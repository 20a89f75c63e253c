//! Analysts' own SQL, run so that it cannot write anything: a read-only connection, only
//! statements SQLite reports as read-only, an authorizer that allows reading and nothing else
//! (no `ATTACH`, no extension loading, no writing pragmas), and a time limit.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rusqlite::fallible_iterator::FallibleIterator;
use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::limits::Limit;
use rusqlite::{Batch, Connection, types::ValueRef};

use super::{StoreError, open_read};

/// A result set: column names and rows of cells.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rows {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// One value of a result set, as SQLite typed it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl Cell {
    pub fn from_value(value: ValueRef<'_>) -> Cell {
        match value {
            ValueRef::Null => Cell::Null,
            ValueRef::Integer(i) => Cell::Integer(i),
            ValueRef::Real(f) => Cell::Real(f),
            ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Cell::Blob(b.to_vec()),
        }
    }

    /// The cell as text for a table or CSV; `NULL` is empty.
    pub fn display(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Integer(i) => i.to_string(),
            Cell::Real(f) => f.to_string(),
            Cell::Text(t) => t.clone(),
            Cell::Blob(b) => format!("x'{}'", hex::encode(b)),
        }
    }
}

/// Why analysts' SQL did not run.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("refused: {0}")]
    Refused(String),
    #[error("the query was stopped after the time limit of {} s (raise it with --timeout)", .0.as_secs_f64())]
    TimedOut(Duration),
    #[error("SQL error: {0}")]
    Sql(rusqlite::Error),
}

/// Pragmas whose argument names a table or schema: they read whatever the argument.
const PRAGMAS_WITH_ARGUMENT: [&str; 10] = [
    "table_info",
    "table_xinfo",
    "table_list",
    "index_list",
    "index_info",
    "index_xinfo",
    "foreign_key_list",
    "foreign_key_check",
    "integrity_check",
    "quick_check",
];

/// Pragmas that read when given no value, and set something when given one. `data_version`
/// is among them because the full-text index's own check reads it, so `PRAGMA quick_check`
/// over the whole database needs it.
const PRAGMAS_WITHOUT_ARGUMENT: [&str; 13] = [
    "database_list",
    "function_list",
    "pragma_list",
    "collation_list",
    "module_list",
    "compile_options",
    "user_version",
    "schema_version",
    "page_count",
    "page_size",
    "freelist_count",
    "encoding",
    "data_version",
];

/// Decides whether one action of a statement being prepared may run.
fn allowed(action: &AuthAction<'_>) -> Result<(), String> {
    match action {
        AuthAction::Select | AuthAction::Read { .. } | AuthAction::Recursive => Ok(()),
        AuthAction::Function { function_name } => {
            if function_name.eq_ignore_ascii_case("load_extension") {
                Err("loading extensions is disabled".into())
            } else {
                Ok(())
            }
        }
        AuthAction::Pragma {
            pragma_name,
            pragma_value,
        } => {
            let name = pragma_name.to_ascii_lowercase();
            let reads = PRAGMAS_WITH_ARGUMENT.contains(&name.as_str())
                || (pragma_value.is_none() && PRAGMAS_WITHOUT_ARGUMENT.contains(&name.as_str()));
            if reads {
                Ok(())
            } else {
                Err(format!(
                    "`PRAGMA {pragma_name}` can change the database or the connection"
                ))
            }
        }
        AuthAction::Attach { .. } | AuthAction::Detach { .. } => {
            Err("ATTACH and DETACH are disabled".into())
        }
        other => Err(format!(
            "only reading is allowed, and this statement would {}",
            describe(other)
        )),
    }
}

fn describe(action: &AuthAction<'_>) -> String {
    match action {
        AuthAction::Insert { table_name }
        | AuthAction::Delete { table_name }
        | AuthAction::Update { table_name, .. }
            if table_name.starts_with("sqlite_") =>
        {
            "change the database schema".to_owned()
        }
        AuthAction::Insert { table_name } => format!("insert into `{table_name}`"),
        AuthAction::Update { table_name, .. } => format!("update `{table_name}`"),
        AuthAction::Delete { table_name } => format!("delete from `{table_name}`"),
        AuthAction::DropTable { table_name } | AuthAction::DropTempTable { table_name } => {
            format!("drop table `{table_name}`")
        }
        AuthAction::CreateTable { table_name } | AuthAction::CreateTempTable { table_name } => {
            format!("create table `{table_name}`")
        }
        other => {
            // The remaining actions (indexes, triggers, views, …) are named after their variant.
            let text = format!("{other:?}");
            let name = text.split([' ', '{', '(']).next().unwrap_or("write");
            let mut words = String::new();
            for (i, c) in name.chars().enumerate() {
                if c.is_uppercase() && i > 0 {
                    words.push(' ');
                }
                words.extend(c.to_lowercase());
            }
            words
        }
    }
}

/// Why the authorizer denied the statement being prepared, if it did.
pub type Refusal = Arc<Mutex<Option<String>>>;

/// Opens the database for analysts' SQL: read-only, no attached databases, the authorizer in
/// place, and a progress handler that interrupts after `timeout`.
pub fn open_sandboxed(path: &Path, timeout: Duration) -> Result<(Connection, Refusal), StoreError> {
    let mut conn = open_read(path)?;
    conn.execute_batch("PRAGMA query_only = ON; PRAGMA temp_store = MEMORY;")?;
    conn.set_limit(Limit::SQLITE_LIMIT_ATTACHED, 0)?;
    let refusal = Arc::new(Mutex::new(None::<String>));
    let seen = Arc::clone(&refusal);
    conn.authorizer(Some(move |context: AuthContext<'_>| {
        match allowed(&context.action) {
            Ok(()) => Authorization::Allow,
            Err(why) => {
                // Preparation stops at the first denial, so the first reason is the one.
                seen.lock()
                    .expect("the refusal slot is not poisoned")
                    .get_or_insert(why);
                Authorization::Deny
            }
        }
    }))?;
    let started = Instant::now();
    conn.progress_handler(10_000, Some(move || started.elapsed() > timeout))?;
    Ok((conn, refusal))
}

/// Runs one read-only statement of analysts' SQL and returns its rows.
pub fn run_query(path: &Path, sql: &str, timeout: Duration) -> Result<Rows, QueryError> {
    let (conn, refusal) = open_sandboxed(path, timeout)?;
    let refused = |e: rusqlite::Error| -> QueryError {
        match refusal.lock().expect("not poisoned").take() {
            Some(why) => QueryError::Refused(why),
            None => QueryError::Sql(e),
        }
    };
    // Every statement is prepared (so the authorizer sees it) before any runs, and only a
    // single one is accepted: a write hidden behind a harmless first statement is refused too.
    let mut batch = Batch::new(&conn, sql);
    let mut prepared = Vec::new();
    while let Some(statement) = batch.next().map_err(refused)? {
        prepared.push(statement);
    }
    let count = prepared.len();
    let Some(mut prepared) = prepared.pop().filter(|_| count == 1) else {
        return Err(QueryError::Refused(format!(
            "one statement at a time, and this SQL has {count}"
        )));
    };
    if !prepared.readonly() {
        return Err(QueryError::Refused(
            "SQLite does not report this statement as read-only (VACUUM INTO, for one, writes a file)"
                .into(),
        ));
    }
    let columns: Vec<String> = prepared.column_names().map(str::to_owned).collect();
    let width = columns.len();
    let started = Instant::now();
    let mut rows = Vec::new();
    let mut cursor = prepared.query([]).map_err(refused)?;
    loop {
        match cursor.next() {
            Ok(Some(row)) => rows.push(
                (0..width)
                    .map(|i| Cell::from_value(row.get_ref(i).expect("column in range")))
                    .collect(),
            ),
            Ok(None) => break,
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::OperationInterrupted =>
            {
                return Err(QueryError::TimedOut(timeout));
            }
            Err(e) => {
                if started.elapsed() > timeout {
                    return Err(QueryError::TimedOut(timeout));
                }
                return Err(refused(e));
            }
        }
    }
    Ok(Rows { columns, rows })
}
