//! `claimgraph check`: load and check the data; print every problem.

use super::progress::Screen;
use super::{EXIT_DATA_ERRORS, EXIT_OK, InputArgs, count, failure, report};
use crate::pipeline::{self, Checked};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub inputs: InputArgs,
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
    let has_errors = diagnostics.has_errors();
    report(&files, diagnostics, args.inputs.max_errors);
    if has_errors {
        return EXIT_DATA_ERRORS;
    }
    say!(
        "checked {}: {}, {}, {}, {}; no errors",
        count(files.len(), "data file", "data files"),
        count(model.entities.len(), "entity", "entities"),
        count(model.predicates.len(), "predicate", "predicates"),
        count(model.claims.len(), "claim", "claims"),
        count(model.documents.len(), "document", "documents")
    );
    EXIT_OK
}
