//! `claimgraph stats`: counts by kind, document and predicate; the most reported-on entities
//! and the most cited origins, as the build counted them.

use std::io::{self, Write};

use super::options::ListArgs;
use super::output::{ListFormat, json_value, print_rows};
use super::{Stop, open};
use crate::store::read::{self, StatsSection};
use crate::store::sandbox::{Cell, Rows};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub list: ListArgs,
}

pub fn run(args: &Args) -> Result<(), Stop> {
    let (sections, left_out) = read::stats(&open(&args.list.read)?, args.list.limit)?;
    let mut out = io::stdout().lock();
    match args.list.format {
        ListFormat::Table => sections.iter().try_for_each(|section| {
            writeln!(
                out,
                "{}\n{}\n",
                section.title,
                super::output::table(&section.rows)
            )
        })?,
        ListFormat::Json => {
            let object: serde_json::Map<String, serde_json::Value> = sections
                .iter()
                .map(|section| {
                    let rows = &section.rows;
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
                    (section.title.replace(' ', "_"), list.into())
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &object).map_err(io::Error::from)?;
            writeln!(out)?;
        }
        format @ (ListFormat::Csv | ListFormat::CsvSpreadsheet) => {
            print_rows(&long_form(&sections), format, &mut out)?
        }
    }
    if left_out {
        let limit = args.list.limit.unwrap_or_default();
        say!(
            "claimgraph: showed the first {limit} rows of each section (--limit {limit}); some sections have more"
        );
    }
    Ok(())
}

/// All sections as one table of `section, key, value` rows, for CSV.
fn long_form(sections: &[StatsSection]) -> Rows {
    let mut rows = Rows {
        columns: vec![
            "section".into(),
            "row".into(),
            "column".into(),
            "value".into(),
        ],
        rows: Vec::new(),
    };
    for section in sections {
        for (n, row) in section.rows.rows.iter().enumerate() {
            for (column, value) in section.rows.columns.iter().zip(row) {
                rows.rows.push(vec![
                    Cell::Text(section.title.clone()),
                    Cell::Integer(n as i64 + 1),
                    Cell::Text(column.clone()),
                    value.clone(),
                ]);
            }
        }
    }
    rows
}
