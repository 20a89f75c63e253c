//! `claimgraph search WORDS…`: full text over names, aliases, quotes, notes and documents,
//! diacritics-insensitive and ranked, with the matches highlighted.

use super::options::ListArgs;
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
    /// `--limit`: at most this many results, 20 unless given, 100000 at most.
    #[command(flatten)]
    pub list: ListArgs,
}

pub fn run(args: &Args) -> Result<(), Stop> {
    let conn = open(&args.list.read)?;
    // Bold where stdout takes colour (a terminal, unless `NO_COLOR`; or `CLICOLOR_FORCE`);
    // brackets where the output is read by a program or a person later.
    let bold = anstyle::Style::new().bold();
    let (open_mark, close_mark) =
        if args.list.format == ListFormat::Table && super::colour(&std::io::stdout()) {
            (bold.render().to_string(), bold.render_reset().to_string())
        } else {
            ("[".to_owned(), "]".to_owned())
        };
    let text = args.text.join(" ");
    let limit = args.list.limit.unwrap_or(20);
    if limit > 100_000 {
        return Err(Stop::Usage(format!(
            "`--limit {limit}` is out of range for search; expected a whole number from 1 to 100000"
        )));
    }
    let hits = read::search(&conn, &text, limit, &open_mark, &close_mark).map_err(|e| {
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
        args.list.listing(),
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
