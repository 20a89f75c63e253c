//! The orchestrator: which stage runs when, on which thread, with what. `check` loads and
//! checks the data; `build` goes on to the graph, the database and the standard exports.

mod check;
mod database;
mod exports;

pub use check::{Checked, check, find_mentions};
pub use database::write_database;
pub use exports::{ExportsFolder, SkippedDrawings, StandardError, StandardSet, prepare_standard};
