//! `claimgraph stats`: counts by kind, document and predicate; the most reported-on entities
//! and the most cited origins.

use std::io::{self, Write};

use super::options::ListArgs;
use super::output::{ListFormat, json_value, maybe_text, print_rows, text};
use super::{Stop, open};
use crate::store::read::{self, Stats};
use crate::store::sandbox::{Cell, Rows};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub list: ListArgs,
}

pub fn run(args: &Args) -> Result<(), Stop> {
    let sections = sections(&read::stats(&open(&args.list.read)?)?);
    let mut out = io::stdout().lock();
    match args.list.format {
        ListFormat::Table => sections.iter().try_for_each(|(title, rows)| {
            writeln!(out, "{title}\n{}\n", super::output::table(rows))
        }),
        ListFormat::Json => {
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
        ListFormat::Csv => return print_rows(&long_form(&sections), ListFormat::Csv, &mut out),
    }?;
    Ok(())
}

/// The counts as small tables, each under its title.
fn sections(stats: &Stats) -> Vec<(&'static str, Rows)> {
    let section = |columns: &[&str], rows: Vec<Vec<Cell>>| Rows {
        columns: columns.iter().map(|c| (*c).to_owned()).collect(),
        rows,
    };
    let count = |n: i64| Cell::Integer(n);
    let p = &stats.provenance;
    vec![
        (
            "entities by kind",
            section(
                &["kind", "entities"],
                (stats.kinds.iter())
                    .map(|(kind, n)| vec![text(kind.as_str()), count(*n)])
                    .collect(),
            ),
        ),
        (
            "claims by document",
            section(
                &["source", "language", "claims", "denials", "hedged"],
                (stats.documents.iter())
                    .map(|d| {
                        vec![
                            text(&d.source_id),
                            maybe_text(d.language.as_deref()),
                            count(d.claims),
                            d.denials.map_or(Cell::Null, count),
                            d.hedged.map_or(Cell::Null, count),
                        ]
                    })
                    .collect(),
            ),
        ),
        (
            "claims by predicate",
            section(
                &["predicate", "label", "claims"],
                (stats.predicates.iter())
                    .map(|p| vec![text(&p.predicate), text(&p.label), count(p.claims)])
                    .collect(),
            ),
        ),
        (
            "most reported-on entities",
            section(
                &["id", "kind", "name", "claims_about"],
                (stats.reported_on.iter())
                    .map(|e| {
                        vec![
                            text(&e.id),
                            text(e.kind.as_str()),
                            text(&e.name),
                            count(e.claims_about),
                        ]
                    })
                    .collect(),
            ),
        ),
        (
            "most cited origins",
            section(
                &["origin", "name", "claims", "documents"],
                (stats.cited.iter())
                    .map(|o| {
                        vec![
                            text(&o.origin_id),
                            text(&o.name),
                            count(o.claims),
                            count(o.documents),
                        ]
                    })
                    .collect(),
            ),
        ),
        (
            "provenance",
            section(
                &[
                    "claims",
                    "statements",
                    "corroborated",
                    "circular",
                    "interested_claims",
                    "conflicts",
                ],
                vec![vec![
                    count(p.claims),
                    count(p.statements),
                    count(p.corroborated),
                    count(p.circular),
                    count(p.interested_claims),
                    count(p.conflicts),
                ]],
            ),
        ),
    ]
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
