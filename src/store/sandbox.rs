//! Analysts' own SQL, run so that it cannot write anything: a read-only connection, only
//! statements SQLite reports as read-only, an authorizer that allows reading and nothing else
//! (no `ATTACH`, no extension loading, no writing pragmas); and so that it cannot exhaust the
//! machine: a time limit, SQLite's heap limit and a longest value, with rows handed over one
//! at a time.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::fallible_iterator::FallibleIterator;
use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::limits::Limit;
use rusqlite::{Batch, Connection, ErrorCode, Statement, types::ValueRef};

use super::{StoreError, open_read, read};

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

/// Why analysts' SQL did not run, or stopped.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("refused: {0}")]
    Refused(String),
    #[error("the query was stopped after the time limit of {} s (raise it with --timeout)", .0.as_secs_f64())]
    TimedOut(Duration),
    #[error(
        "the query was stopped: it needed more than the memory limit of {} MiB (raise it with --max-memory)",
        .0.mebibytes()
    )]
    OutOfMemory(Limits),
    #[error(
        "the query was stopped: a value would be longer than {} MiB, the longest a value may be (a quarter of --max-memory; raise it with --max-memory)",
        .0.longest_value() >> 20
    )]
    TooBig(Limits),
    #[error("SQL error: {0}")]
    Sql(rusqlite::Error),
}

/// What a statement of analysts' SQL may use: time, from the start of the command to its last
/// printed row, and memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub time: Duration,
    /// SQLite's heap: values, sorting, the page cache. A quarter of it is the longest value.
    pub memory_bytes: i64,
}

impl Limits {
    pub fn mebibytes(&self) -> i64 {
        self.memory_bytes >> 20
    }

    /// The longest string or blob a statement may make or read (`SQLITE_LIMIT_LENGTH`): a
    /// quarter of the memory, so that a few such values in one row fail on the memory limit
    /// with a clear message, and one too long value fails at once, before it is made. SQLite
    /// accepts at most 1,000,000,000 bytes.
    pub fn longest_value(&self) -> i64 {
        (self.memory_bytes / 4).min(1_000_000_000)
    }
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

/// A read-only connection for analysts' SQL: no attached databases, the authorizer in place,
/// the command's clock running and SQLite's memory capped.
#[derive(Debug)]
pub struct Sandbox {
    conn: Connection,
    refusal: Refusal,
    limits: Limits,
}

impl Sandbox {
    /// Opens the database for analysts' SQL. Starts the command's clock
    /// ([`read::start_clock`]), so every statement stops once `limits.time` has passed since
    /// now; sets SQLite's hard heap limit (for the whole process, which runs this one command)
    /// and the longest value. Both memory limits fail a statement with an error, where running
    /// out of the machine's memory would abort the process.
    pub fn open(path: &Path, limits: Limits) -> Result<Sandbox, StoreError> {
        read::start_clock(limits.time);
        let mut conn = open_read(path)?;
        conn.execute_batch("PRAGMA query_only = ON; PRAGMA temp_store = MEMORY;")?;
        // The pragmas answer with the limit now set; the soft limit has SQLite give back
        // cached pages before the hard one fails an allocation.
        let soft = limits.memory_bytes / 4 * 3;
        conn.query_row(
            &format!("PRAGMA hard_heap_limit = {}", limits.memory_bytes),
            [],
            |_| Ok(()),
        )?;
        conn.query_row(&format!("PRAGMA soft_heap_limit = {soft}"), [], |_| Ok(()))?;
        let longest = i32::try_from(limits.longest_value()).unwrap_or(i32::MAX);
        conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, longest)?;
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
        Ok(Sandbox {
            conn,
            refusal,
            limits,
        })
    }

    /// Prepares one read-only statement of analysts' SQL. Every statement of `sql` is prepared
    /// (so the authorizer sees it) before any runs, and only a single one is accepted: a write
    /// hidden behind a harmless first statement is refused too.
    pub fn prepare(&self, sql: &str) -> Result<Query<'_>, QueryError> {
        let mut batch = Batch::new(&self.conn, sql);
        let mut prepared = Vec::new();
        while let Some(statement) = batch.next().map_err(|e| self.error(e))? {
            prepared.push(statement);
        }
        let count = prepared.len();
        let Some(statement) = prepared.pop().filter(|_| count == 1) else {
            return Err(QueryError::Refused(format!(
                "one statement at a time, and this SQL has {count}"
            )));
        };
        if !statement.readonly() {
            return Err(QueryError::Refused(
                "SQLite does not report this statement as read-only (VACUUM INTO, for one, writes a file)"
                    .into(),
            ));
        }
        let columns = statement.column_names().map(str::to_owned).collect();
        Ok(Query {
            sandbox: self,
            statement,
            columns,
        })
    }

    /// Names what stopped a statement: the authorizer's refusal, the clock, a memory limit, or
    /// SQLite's own error.
    fn error(&self, error: rusqlite::Error) -> QueryError {
        if let Some(why) = self.refusal.lock().expect("not poisoned").take() {
            return QueryError::Refused(why);
        }
        let code = match &error {
            rusqlite::Error::SqliteFailure(e, _) => Some(e.code),
            _ => None,
        };
        match code {
            Some(ErrorCode::OperationInterrupted) => QueryError::TimedOut(self.limits.time),
            Some(ErrorCode::OutOfMemory) => QueryError::OutOfMemory(self.limits),
            Some(ErrorCode::TooBig) => QueryError::TooBig(self.limits),
            // SQLite gives some interruptions a different code (an error in a function it was
            // running when interrupted): the clock says what happened.
            _ if read::out_of_time() => QueryError::TimedOut(self.limits.time),
            _ => QueryError::Sql(error),
        }
    }
}

/// One prepared statement of analysts' SQL, ready to run.
#[derive(Debug)]
pub struct Query<'c> {
    sandbox: &'c Sandbox,
    statement: Statement<'c>,
    columns: Vec<String>,
}

impl Query<'_> {
    /// The result's column names, in order.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// Runs the statement; its rows come one at a time, so nothing holds the whole result.
    pub fn rows(&mut self) -> Result<QueryRows<'_>, QueryError> {
        let sandbox = self.sandbox;
        let width = self.columns.len();
        let rows = self.statement.query([]).map_err(|e| sandbox.error(e))?;
        Ok(QueryRows {
            sandbox,
            rows,
            width,
        })
    }
}

/// The rows of a running statement.
pub struct QueryRows<'s> {
    sandbox: &'s Sandbox,
    rows: rusqlite::Rows<'s>,
    width: usize,
}

impl std::fmt::Debug for QueryRows<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QueryRows")
            .field("width", &self.width)
            .finish_non_exhaustive()
    }
}

impl QueryRows<'_> {
    /// The next row, or `None` after the last. Fails once the time limit has passed, also
    /// between rows, while the caller prints: the limit covers the whole command.
    pub fn next_row(&mut self) -> Result<Option<Vec<Cell>>, QueryError> {
        if read::out_of_time() {
            return Err(QueryError::TimedOut(self.sandbox.limits.time));
        }
        match self.rows.next() {
            Ok(Some(row)) => (0..self.width)
                .map(|i| row.get_ref(i).map(Cell::from_value))
                .collect::<Result<Vec<_>, _>>()
                .map(Some)
                .map_err(|e| self.sandbox.error(e)),
            Ok(None) => Ok(None),
            Err(e) => Err(self.sandbox.error(e)),
        }
    }
}
