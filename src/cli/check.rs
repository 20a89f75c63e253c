//! `claimgraph check`: load and check the data; print every problem.

use super::progress::Screen;
use super::{EXIT_DATA_ERRORS, EXIT_OK, InputArgs, failure, report};
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
        "checked {} data files: {} entities, {} predicates, {} claims, {} documents; no errors",
        files.len(),
        model.entities.len(),
        model.predicates.len(),
        model.claims.len(),
        model.documents.len()
    );
    EXIT_OK
}
