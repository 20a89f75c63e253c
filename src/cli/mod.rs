//! The command line: one file per subcommand. The only module that prints; data goes to
//! stdout, diagnostics and progress to stderr.

/// Writes a line to stderr. A closed stderr (say, piped into `head`) is not worth a panic:
/// the line is dropped.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

mod build;
mod check;
mod completions;
mod conflicts;
mod corroboration;
mod diff;
mod export;
mod lsp;
mod man;
mod mentions;
mod neighbors;
pub mod options;
pub mod output;
mod path;
mod progress;
mod query;
mod search;
mod show;
mod stats;
mod verify;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::diagnostic::{Diagnostics, Files, Severity};

/// Exit code: everything is fine.
pub const EXIT_OK: u8 = 0;
/// Exit code: the data has errors.
pub const EXIT_DATA_ERRORS: u8 = 1;
/// Exit code: the command could not run (usage, I/O).
pub const EXIT_FAILURE: u8 = 2;

/// What `--version` says: claimgraph's version and the schema of the databases it writes and
/// reads (`claimgraph 0.1.0 (database schema 7)`).
static VERSION: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "{} (database schema {})",
        env!("CARGO_PKG_VERSION"),
        crate::store::SCHEMA_VERSION
    )
});

#[derive(Debug, Parser)]
#[command(
    name = "claimgraph",
    version = VERSION.as_str(),
    about = "Who reported what about whom, citing whom, in which words: curated claims from news reports as a provenance knowledge graph"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the curated data against the documents and report every problem
    Check(check::Args),
    /// Check the data and build the SQLite database (atomically) and the standard exports
    Build(build::Args),
    /// Export a view of the database: DOT, SVG, PNG, data for tools (JSON, GraphML, GEXF, …) or
    /// the offline HTML explorer
    Export(export::Args),
    /// Run one read-only SQL statement against the database
    Query(query::Args),
    /// Profile of an entity: names, fields, claims about it and by it, documents naming it
    Show(show::Args),
    /// Full-text search over names, aliases, quotes, notes and documents
    Search(search::Args),
    /// Entities within N steps of an entity on the entity view
    Neighbors(neighbors::Args),
    /// The shortest chain of relations between two entities, with the claims behind each step
    Path(path::Args),
    /// Pairs of contradicting claims, side by side
    Conflicts(conflicts::Args),
    /// Reports, documents and independent origins behind each statement
    Corroboration(corroboration::Args),
    /// Where entities are named in the documents
    Mentions(mentions::Args),
    /// Counts by kind, document and predicate; most reported-on entities and cited origins
    Stats(stats::Args),
    /// Check a built database in depth: SQLite's integrity and foreign keys, the nodes and
    /// edges views against the graph, every quote offset against its document
    Verify(verify::Args),
    /// What changed between two versions of the data (databases or git revisions): records
    /// added, removed and changed, and what that did to conflicts, voices and mentions
    Diff(diff::Args),
    /// A language server for the data files, over stdio: `check`'s diagnostics as you type,
    /// completion of ids and fields, hover, go to definition, references, quick fixes
    Lsp(lsp::Args),
    /// Print the completion script for a shell (bash, zsh, fish, elvish, powershell)
    Completions(completions::Args),
    /// Print the manual page (roff), or write a page per command with --out DIR
    Man(man::Args),
}

/// Where the inputs are; shared by `check` and `build`.
#[derive(Debug, clap::Args)]
pub struct InputArgs {
    /// Folder of curated TOML files, read recursively
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
    /// Folder of source documents that `source` records point into
    #[arg(long, default_value = "seeds")]
    pub seeds: PathBuf,
    /// Print at most N diagnostics (errors before warnings), then a count of the rest; 0
    /// prints them all (`check --format json|sarif` gives every one)
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub max_errors: usize,
}

pub fn run(cli: Cli) -> u8 {
    let code = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Build(args) => build::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Query(args) => exit_code(query::run(&args)),
        Command::Show(args) => exit_code(show::run(&args)),
        Command::Search(args) => exit_code(search::run(&args)),
        Command::Neighbors(args) => exit_code(neighbors::run(&args)),
        Command::Path(args) => exit_code(path::run(&args)),
        Command::Conflicts(args) => exit_code(conflicts::run(&args)),
        Command::Corroboration(args) => exit_code(corroboration::run(&args)),
        Command::Mentions(args) => exit_code(mentions::run(&args)),
        Command::Stats(args) => exit_code(stats::run(&args)),
        Command::Verify(args) => verify::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Lsp(args) => lsp::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Man(args) => man::run(&args),
    };
    // An interrupted run ends with the signal handler's exit code, once it has cleaned up.
    crate::interrupt::settle();
    code
}

/// Why a reading command stopped early. Each maps to an exit code in [`exit_code`].
#[derive(Debug, thiserror::Error)]
enum Stop {
    /// The database, a query or a refusal: the command could not run (exit 2).
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Query(#[from] crate::store::sandbox::QueryError),
    /// Writing the output failed (exit 2), unless its reader went away (`| head`: exit 0).
    #[error(transparent)]
    Output(#[from] std::io::Error),
    /// An argument names nothing the database has (exit 2).
    #[error("{0}")]
    Usage(String),
    /// The command ran but found nothing to show (exit 1), e.g. no path between two entities.
    #[error("{0}")]
    NotFound(String),
    /// The command's time limit passed (exit 2).
    #[error(
        "stopped after the time limit of {} s (raise it with --timeout SECONDS)",
        .0.as_secs_f64()
    )]
    TimedOut(std::time::Duration),
}

/// Prints why a reading command stopped and turns the outcome into its exit code.
fn exit_code(outcome: Result<(), Stop>) -> u8 {
    match outcome {
        Ok(()) => EXIT_OK,
        Err(Stop::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(Stop::NotFound(message)) => {
            say!("{message}");
            EXIT_DATA_ERRORS
        }
        Err(Stop::Store(e)) if crate::store::read::timed_out(&e) => failure(&timed_out()),
        Err(e) => failure(&e),
    }
}

/// Prints why reading the database failed (its time limit said as such) and returns exit
/// code 2; for commands that do not return a [`Stop`].
fn store_failure(error: crate::store::StoreError) -> u8 {
    exit_code(Err(error.into()))
}

/// The command's time limit as the reason it stopped.
fn timed_out() -> Stop {
    let limit = crate::store::read::clock().map_or_else(Default::default, |c| c.limit());
    Stop::TimedOut(limit)
}

/// Fails once the command's time limit has passed: loops that print look at it between rows.
fn check_clock() -> Result<(), Stop> {
    if crate::store::read::out_of_time() {
        Err(timed_out())
    } else {
        Ok(())
    }
}

/// Opens the database for a reading command, its clock started: every statement and every
/// loop between them stops once `--timeout` has passed.
fn open(args: &options::ReadArgs) -> Result<crate::store::Connection, Stop> {
    crate::store::read::start_clock(args.timeout);
    Ok(crate::store::open_read(&args.db)?)
}

/// Fails unless `id` names an entity, suggesting the closest ids and names.
fn require_entity(conn: &crate::store::Connection, id: &str) -> Result<(), Stop> {
    if crate::store::read::entity_name(conn, id)?.is_some() {
        return Ok(());
    }
    let suggestions = crate::store::read::suggestions(conn, id)?;
    if suggestions.is_empty() {
        return Err(Stop::Usage(format!("no entity has the id `{id}`")));
    }
    let list: Vec<String> = suggestions
        .iter()
        .map(|(id, name)| format!("`{id}` ({name})"))
        .collect();
    Err(Stop::Usage(format!(
        "no entity has the id `{id}`; did you mean {}?",
        list.join(", ")
    )))
}

/// Prints a command's failure to run (not a data problem) and returns exit code 2.
fn failure(error: &dyn std::fmt::Display) -> u8 {
    // What stopped an interrupted run is the interruption, which the handler reports.
    crate::interrupt::settle();
    say!("error: {error}");
    EXIT_FAILURE
}

/// Prints the diagnostics sorted by file and line, at most `max_errors` of them (0: all),
/// errors before warnings, then a count of all.
fn report(files: &Files, diagnostics: Diagnostics, max_errors: usize) {
    let errors = diagnostics.error_count();
    let warnings = diagnostics.warning_count();
    let limit = if max_errors == 0 {
        usize::MAX
    } else {
        max_errors
    };
    // Errors are never hidden behind warnings: the cap takes errors first.
    let shown_errors = errors.min(limit);
    let shown_warnings = warnings.min(limit - shown_errors);
    let styled = colour(&std::io::stderr());
    let (mut printed_errors, mut printed_warnings) = (0, 0);
    for diagnostic in diagnostics.sorted(files) {
        let printed = match diagnostic.severity {
            Severity::Error => &mut printed_errors,
            Severity::Warning => &mut printed_warnings,
        };
        let cap = match diagnostic.severity {
            Severity::Error => shown_errors,
            Severity::Warning => shown_warnings,
        };
        if *printed < cap {
            *printed += 1;
            say!("{}\n", diagnostic.render(files, styled));
        }
    }
    let (hidden_errors, hidden_warnings) = (errors - shown_errors, warnings - shown_warnings);
    if hidden_errors > 0 || hidden_warnings > 0 {
        let mut rest = Vec::new();
        if hidden_errors > 0 {
            rest.push(count(hidden_errors, "more error", "more errors"));
        }
        if hidden_warnings > 0 {
            rest.push(count(hidden_warnings, "more warning", "more warnings"));
        }
        say!(
            "… and {} not shown; `--max-errors 0` shows all\n",
            rest.join(" and ")
        );
    }
    if errors > 0 || warnings > 0 {
        say!(
            "{}, {}",
            count(errors, "error", "errors"),
            count(warnings, "warning", "warnings")
        );
    }
}

/// Writes generated text to stdout; a reader that went away (`| head`) is no failure.
fn print_bytes(bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        written => written,
    }
}

/// Whether to colour what goes to `stream`: anstream's rules, as clap's own help follows them
/// (`NO_COLOR` set: never; else `CLICOLOR_FORCE` set: always; else only on a terminal that
/// supports colour, unless `CLICOLOR=0`).
fn colour(stream: &impl anstream::stream::RawStream) -> bool {
    anstream::AutoStream::choice(stream) != anstream::ColorChoice::Never
}

/// "1 error", "3 errors".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", plural(n, one, many))
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}
