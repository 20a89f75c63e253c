//! `claimgraph search WORDS…`: full text over names, aliases, quotes, notes and documents,
//! diacritics-insensitive and ranked, with the matches highlighted.

use std::io::IsTerminal;

use super::options::{ListArgs, whole};
use super::output::{ListFormat, maybe_text, print_records, text};
use super::{Stop, open};
use crate::store::read::{self, HitOf, SearchHit};
use crate::store::sandbox::Cell;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Words to look for, all of which must occur (`behorden festgenommen`); words in double
    /// quotes must occur together (`'"bereits 18"'`); diacritics and case are ignored
    #[arg(required = true, num_args = 1.., value_name = "WORDS")]
    pub text: Vec<String>,
    /// At most this many results (1 to 100000)
    #[arg(long, default_value = "20", value_parser = whole(1, 100_000))]
    pub limit: usize,
    #[command(flatten)]
    pub list: ListArgs,
}

pub fn run(args: &Args) -> Result<(), Stop> {
    let conn = open(&args.list.read)?;
    // Bold on a terminal; brackets where the output is read by a program or a person later.
    let (open_mark, close_mark) =
        if args.list.format == ListFormat::Table && std::io::stdout().is_terminal() {
            ("\x1b[1m", "\x1b[0m")
        } else {
            ("[", "]")
        };
    let text = args.text.join(" ");
    let hits = read::search(&conn, &text, args.limit, open_mark, close_mark).map_err(|e| {
        if read::timed_out(&e) {
            Stop::Store(e)
        } else {
            Stop::Usage(format!("the full-text search for `{text}` failed: {e}"))
        }
    })?;
    print_records(
        &["kind", "id", "name", "passage"],
        &hits,
        row,
        args.list.format,
        &mut std::io::stdout().lock(),
    )
}

fn row(hit: &SearchHit) -> Vec<Cell> {
    vec![
        text(hit.kind.as_str()),
        text(&hit.id),
        maybe_text(name(&hit.of).as_deref()),
        text(&hit.passage),
    ]
}

/// An entity's name; a claim as its subject, predicate and object ("the deserters count 40"),
/// whatever its stance.
fn name(of: &HitOf) -> Option<String> {
    match of {
        HitOf::Entity { name } => Some(name.clone()),
        HitOf::Claim {
            subject,
            predicate_label,
            object,
        } => Some(format!(
            "{subject} {predicate_label} {}",
            object.as_deref().unwrap_or_default()
        )),
        HitOf::Unknown => None,
    }
}
