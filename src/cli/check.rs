//! `claimgraph check`: load and check the data; print every problem, for people (stderr) or
//! as JSON or SARIF for tools (stdout).

mod json;
mod sarif;

use std::io::Write as _;

use super::progress::Screen;
use super::{EXIT_DATA_ERRORS, EXIT_OK, InputArgs, count, failure, report};
use crate::diagnostic::{Diagnostics, Files};
use crate::model::Model;
use crate::pipeline::{self, Checked};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub inputs: InputArgs,
    /// How to print the diagnostics: `human` on stderr with the source lines; `json` (one
    /// object: `diagnostics` and `summary`) or `sarif` (SARIF 2.1.0) on stdout, every
    /// diagnostic whatever `--max-errors` says. The exit code is the same for all three
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// How `check` prints its diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people: each diagnostic with its source lines, on stderr
    Human,
    /// For editors and scripts: one JSON object on stdout
    Json,
    /// For code-scanning tools: a SARIF 2.1.0 log on stdout
    Sarif,
}

pub fn run(args: &Args) -> u8 {
    let mut screen = Screen::new(args.inputs.max_errors);
    let checked = pipeline::check(&args.inputs.data, &args.inputs.seeds, &mut screen);
    screen.clear();
    let Checked {
        files,
        model,
        diagnostics,
        ..
    } = match checked {
        Ok(checked) => checked,
        Err(e) => return failure(&e),
    };
    let code = if diagnostics.has_errors() {
        EXIT_DATA_ERRORS
    } else {
        EXIT_OK
    };
    // Tools get every diagnostic: a cap would hide problems from a code-scanning upload.
    let written = match args.format {
        Format::Human => {
            human(&files, &model, diagnostics, args.inputs.max_errors);
            return code;
        }
        Format::Json => print_json(&json::report(&files, &diagnostics.sorted(&files))),
        Format::Sarif => print_json(&sarif::log(&files, &diagnostics.sorted(&files))),
    };
    match written {
        Ok(()) => code,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(e) => failure(&format!("writing the diagnostics: {e}")),
    }
}

/// The diagnostics for people on stderr, capped at `max_errors`, or a line saying what was
/// checked.
fn human(files: &Files, model: &Model, diagnostics: Diagnostics, max_errors: usize) {
    let has_errors = diagnostics.has_errors();
    report(files, diagnostics, max_errors);
    if has_errors {
        return;
    }
    say!(
        "checked {}: {}, {}, {}, {}; no errors",
        count(files.len(), "data file", "data files"),
        count(model.entities.len(), "entity", "entities"),
        count(model.predicates.len(), "predicate", "predicates"),
        count(model.claims.len(), "claim", "claims"),
        count(model.documents.len(), "document", "documents")
    );
}

/// One JSON document on stdout, indented, with a final newline.
fn print_json(value: &impl serde::Serialize) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    out.flush()
}
