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
mod conflicts;
mod corroboration;
mod export;
mod mentions;
mod neighbors;
pub mod output;
mod path;
mod progress;
mod query;
mod search;
mod show;
mod stats;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::diagnostic::Files;
use crate::pipeline::Checked;

/// Exit code: everything is fine.
pub const EXIT_OK: u8 = 0;
/// Exit code: the data has errors.
pub const EXIT_DATA_ERRORS: u8 = 1;
/// Exit code: the command could not run (usage, I/O).
pub const EXIT_FAILURE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "claimgraph",
    version,
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
    /// Export a view of the database: DOT, SVG, PNG, or JSON, GraphML and GEXF for tools
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
}

pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Build(args) => build::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Query(args) => query::run(&args),
        Command::Show(args) => show::run(&args),
        Command::Search(args) => search::run(&args),
        Command::Neighbors(args) => neighbors::run(&args),
        Command::Path(args) => path::run(&args),
        Command::Conflicts(args) => conflicts::run(&args),
        Command::Corroboration(args) => corroboration::run(&args),
        Command::Mentions(args) => mentions::run(&args),
        Command::Stats(args) => stats::run(&args),
    }
}

/// Opens the database for a reading command, or prints why not (exit code 2).
fn open(db: &std::path::Path) -> Result<rusqlite::Connection, u8> {
    crate::store::open_read(db).map_err(|e| failure(&e))
}

/// Ends a command that wrote its data to stdout. A reader that went away early (`| head`) is
/// not an error.
fn finish(written: std::io::Result<()>) -> u8 {
    match written {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => failure(&e),
    }
}

/// An id that names no entity: exit 2, with the closest ids and names as suggestions.
fn unknown_entity(conn: &rusqlite::Connection, id: &str) -> u8 {
    let suggestions = crate::store::read::suggestions(conn, id).unwrap_or_default();
    if suggestions.is_empty() {
        return failure(&format!("no entity has the id `{id}`"));
    }
    let list: Vec<String> = suggestions
        .iter()
        .map(|(id, name)| format!("`{id}` ({name})"))
        .collect();
    failure(&format!(
        "no entity has the id `{id}`; did you mean {}?",
        list.join(", ")
    ))
}

/// Prints a command's failure to run (not a data problem) and returns exit code 2.
fn failure(error: &dyn std::fmt::Display) -> u8 {
    say!("error: {error}");
    EXIT_FAILURE
}

/// Prints every diagnostic, sorted by file and line, then a count; returns whether there were
/// errors.
fn report(checked: Checked) -> (bool, crate::model::Model, Files) {
    let Checked {
        files,
        model,
        diagnostics,
    } = checked;
    let errors = diagnostics.error_count();
    let warnings = diagnostics.warning_count();
    let styled = std::io::stderr().is_terminal();
    for diagnostic in diagnostics.sorted(&files) {
        say!("{}\n", diagnostic.render(&files, styled));
    }
    if errors > 0 || warnings > 0 {
        say!(
            "{} {}, {} {}",
            errors,
            plural(errors, "error", "errors"),
            warnings,
            plural(warnings, "warning", "warnings")
        );
    }
    (errors > 0, model, files)
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}
