//! `claimgraph conflicts`: every pair of contradicting claims, side by side, printed as the
//! build stored them, one at a time.

use std::io::{self, BufWriter, Write};
use std::ops::ControlFlow;

use super::options::ListArgs;
use super::output::{ListFormat, feed, listing_printer, say_left_out, text};
use super::{Stop, open};
use crate::store::read::{self, ConflictPair, ConflictSide};
use crate::store::sandbox::{Cell, Rows};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub list: ListArgs,
}

/// What is shown of each claim, named as the table's rows and (prefixed `a_`, `b_`) as the
/// columns of CSV and JSON.
const SIDE: [&str; 8] = [
    "claim", "document", "reporter", "citing", "origin", "stance", "object", "quote",
];

pub fn run(args: &Args) -> Result<(), Stop> {
    let conn = open(&args.list.read)?;
    let mut out = BufWriter::new(io::stdout().lock());
    match args.list.format {
        ListFormat::Table => side_by_side(&conn, args.list.limit, &mut out),
        _ => {
            let columns: Vec<String> = ["reason", "detail", "statement"]
                .map(str::to_owned)
                .into_iter()
                .chain(
                    ["a", "b"]
                        .iter()
                        .flat_map(|side| SIDE.iter().map(move |field| format!("{side}_{field}"))),
                )
                .collect();
            let mut printer = listing_printer(&columns, args.list.listing(), &mut out);
            read::conflicts(&conn, |conflict| feed(&mut printer, &row(&conflict)))?;
            Ok(printer.finish()?)
        }
    }
}

/// "the deserters detained by": what both claims speak of.
fn statement(conflict: &ConflictPair) -> String {
    format!("{} {}", conflict.subject, conflict.predicate_label)
}

/// One side's cells, in the order of [`SIDE`].
fn side(claim: &ConflictSide) -> [Cell; 8] {
    [
        text(&claim.claim_id),
        text(&claim.source_id),
        text(&claim.reporter),
        super::output::maybe_text(claim.citing.as_deref()),
        text(&claim.origin_id),
        text(claim.stance.as_str()),
        claim.object.clone(),
        text(&claim.quote),
    ]
}

fn row(conflict: &ConflictPair) -> Vec<Cell> {
    [
        text(conflict.reason.as_str()),
        text(&conflict.detail),
        text(&statement(conflict)),
    ]
    .into_iter()
    .chain(side(&conflict.a))
    .chain(side(&conflict.b))
    .collect()
}

/// One small two-column table per conflict, claim A beside claim B, printed as each is read.
fn side_by_side(
    conn: &crate::store::Connection,
    limit: Option<usize>,
    out: &mut impl Write,
) -> Result<(), Stop> {
    let mut shown = 0;
    let mut left_out = false;
    read::conflicts(conn, |conflict| {
        super::check_clock()?;
        if limit.is_some_and(|limit| shown >= limit) {
            left_out = true;
            return Ok(ControlFlow::Break(()));
        }
        writeln!(
            out,
            "{} — {}: {}",
            conflict.reason.as_str(),
            statement(&conflict),
            conflict.detail
        )?;
        let pair = Rows {
            columns: vec![String::new(), "claim A".into(), "claim B".into()],
            rows: SIDE
                .iter()
                .zip(side(&conflict.a).into_iter().zip(side(&conflict.b)))
                .map(|(field, (a, b))| vec![text(field), a, b])
                .collect(),
        };
        writeln!(out, "{}\n", super::output::table(&pair))?;
        shown += 1;
        Ok::<_, Stop>(ControlFlow::Continue(()))
    })?;
    writeln!(out, "{shown} conflicts")?;
    out.flush()?;
    if left_out {
        say_left_out(shown, limit.unwrap_or(shown));
    }
    Ok(())
}
