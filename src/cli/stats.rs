//! `claimgraph stats`: counts by kind, document and predicate; the most reported-on entities
//! and the most cited origins.

use std::io::{self, Write};

use super::options::ListArgs;
use super::output::{Format, json_value, print_rows};
use super::{Stop, open};
use crate::store::read;
use crate::store::sandbox::{Cell, Rows};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub list: ListArgs,
}

pub fn run(args: &Args) -> Result<(), Stop> {
    let sections = read::stats(&open(&args.list.read)?)?;
    let mut out = io::stdout().lock();
    match args.list.format {
        Format::Table => sections.iter().try_for_each(|(title, rows)| {
            writeln!(out, "{title}\n{}\n", super::output::table(rows))
        }),
        Format::Json => {
            let object: serde_json::Map<String, serde_json::Value> = sections
                .iter()
                .map(|(title, rows)| {
                    let list = rows
                        .rows
                        .iter()
                        .map(|row| {
                            rows.columns
                                .iter()
                                .zip(row)
                                .map(|(c, v)| (c.clone(), json_value(v)))
                                .collect::<serde_json::Map<_, _>>()
                                .into()
                        })
                        .collect::<Vec<serde_json::Value>>();
                    (title.replace(' ', "_"), list.into())
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &object)
                .map_err(io::Error::from)
                .and_then(|()| writeln!(out))
        }
        Format::Csv => return print_rows(&long_form(&sections), Format::Csv, &mut out),
    }?;
    Ok(())
}

/// All sections as one table of `section, key, value` rows, for CSV.
fn long_form(sections: &[(&str, Rows)]) -> Rows {
    let mut rows = Rows {
        columns: vec![
            "section".into(),
            "row".into(),
            "column".into(),
            "value".into(),
        ],
        rows: Vec::new(),
    };
    for (title, section) in sections {
        for (n, row) in section.rows.iter().enumerate() {
            for (column, value) in section.columns.iter().zip(row) {
                rows.rows.push(vec![
                    Cell::Text((*title).to_owned()),
                    Cell::Integer(n as i64 + 1),
                    Cell::Text(column.clone()),
                    value.clone(),
                ]);
            }
        }
    }
    rows
}
