//! `claimgraph conflicts`: every pair of contradicting claims, side by side.

use std::io::{self, Write};

use super::options::ListArgs;
use super::output::{Format, print_rows};
use super::{Stop, open};
use crate::store::read;
use crate::store::sandbox::Rows;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub list: ListArgs,
}

pub fn run(args: &Args) -> Result<(), Stop> {
    let rows = read::conflicts(&open(&args.list.read)?)?;
    let mut out = io::stdout().lock();
    match args.list.format {
        Format::Table => side_by_side(&rows, &mut out)?,
        _ => print_rows(&rows, args.list.format, &mut out)?,
    }
    Ok(())
}

/// One small two-column table per conflict: claim A beside claim B.
fn side_by_side(rows: &Rows, out: &mut impl Write) -> io::Result<()> {
    let column = |name: &str| {
        rows.columns
            .iter()
            .position(|c| c == name)
            .expect("column exists")
    };
    for row in &rows.rows {
        let get = |name: &str| row[column(name)].display();
        writeln!(
            out,
            "{} — {}: {}",
            get("reason"),
            get("statement"),
            get("detail")
        )?;
        let mut pair = Rows {
            columns: vec![String::new(), "claim A".into(), "claim B".into()],
            rows: Vec::new(),
        };
        for field in [
            "claim", "document", "reporter", "citing", "origin", "stance", "object", "quote",
        ] {
            pair.rows.push(vec![
                crate::store::sandbox::Cell::Text(field.to_owned()),
                row[column(&format!("a_{field}"))].clone(),
                row[column(&format!("b_{field}"))].clone(),
            ]);
        }
        writeln!(out, "{}\n", super::output::table(&pair))?;
    }
    writeln!(out, "{} conflicts", rows.rows.len())
}
