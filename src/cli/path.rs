//! `claimgraph path FROM TO`: the shortest chain of relations between two entities on the
//! entity view, explained edge by edge with the claims and origins behind each.

use std::io::{self, Write};

use super::options::{ListArgs, whole};
use super::output::{ListFormat, print_rows};
use super::{Stop, open, require_entity};
use crate::model::Stance;
use crate::store::read::{self, ClaimLine};
use crate::store::sandbox::{Cell, Rows};
use crate::store::snapshot::ClaimIndex;
use crate::view::walk::{EntityEdge, Relation, walk_entities};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where the path starts
    pub from: String,
    /// Where it ends
    pub to: String,
    /// Give up beyond this many steps (1 to 1000)
    #[arg(long, default_value = "6", value_parser = whole(1, 1000))]
    pub max_depth: usize,
    #[command(flatten)]
    pub list: ListArgs,
}

pub fn run(args: &Args) -> Result<(), Stop> {
    let conn = open(&args.list.read)?;
    require_entity(&conn, &args.from)?;
    require_entity(&conn, &args.to)?;
    let index = ClaimIndex::new(&conn);
    let reached = walk_entities(&index, &args.from, args.max_depth, Some(&args.to))?;
    if !reached.contains_key(&args.to) {
        return Err(Stop::NotFound(format!(
            "no path from {} to {} within {} steps",
            args.from, args.to, args.max_depth
        )));
    }
    // Walk back from the target to the start. Each step is every relation between its two
    // entities, not only the one the walk took first.
    let mut steps: Vec<Step> = Vec::new();
    let mut node = args.to.clone();
    while let Some((from, _)) = reached[&node].edges.first() {
        let from = from.clone();
        let mut relations = Vec::new();
        for (_, edge) in reached[&node].edges.iter().filter(|(f, _)| *f == from) {
            super::check_clock()?;
            let claims = match &edge.relation {
                Relation::Predicate(predicate) => {
                    let (subject, object) = ends(&from, edge);
                    read::edge_claims(&conn, subject, predicate, object)?
                }
                // A curated field has no claims behind it.
                Relation::Field(_) => Vec::new(),
            };
            relations.push((edge.clone(), claims));
        }
        steps.push((from.clone(), relations));
        node = from;
    }
    steps.reverse();
    let mut out = io::stdout().lock();
    match args.list.format {
        ListFormat::Table => write_path(&steps, &mut out)?,
        ListFormat::Csv | ListFormat::CsvSpreadsheet | ListFormat::Json => {
            print_rows(&path_rows(&steps), args.list.listing(), &mut out)?
        }
    }
    Ok(())
}

/// One step of a path: the entity it leaves, and each relation to the next entity with the
/// claims that state it.
type Step = (String, Vec<(EntityEdge, Vec<ClaimLine>)>);

/// The two ends of an edge seen from `from`, in the edge's direction.
fn ends<'a>(from: &'a str, edge: &'a EntityEdge) -> (&'a str, &'a str) {
    if edge.outgoing {
        (from, edge.other.as_str())
    } else {
        (edge.other.as_str(), from)
    }
}

/// Each step numbered, each of its relations on a line of its own with the claims behind it.
fn write_path(steps: &[Step], out: &mut impl Write) -> io::Result<()> {
    let plural = if steps.len() == 1 { "" } else { "s" };
    writeln!(out, "{} step{plural}", steps.len())?;
    for (n, (from, relations)) in steps.iter().enumerate() {
        for (edge, claims) in relations {
            let (a, b) = ends(from, edge);
            writeln!(out, "{}. {a} —{}→ {b}", n + 1, edge.relation.as_str())?;
            if claims.is_empty() {
                writeln!(out, "    curated field `{}`", edge.relation.as_str())?;
            } else {
                writeln!(out, "    {}", corroboration(claims))?;
            }
            for claim in claims {
                super::show::write_claim(claim, out)?;
            }
        }
    }
    Ok(())
}

/// "3 claims: corroborated by 2 independent origins (A, B), denied by 1 (C)": the voices of
/// each stance counted apart, so that a denial never reads as support.
fn corroboration(claims: &[ClaimLine]) -> String {
    // Counted by id, named by name (two voices may share a name).
    let voices = |stance: Stance| -> Vec<&str> {
        let set: std::collections::BTreeMap<&str, &str> = claims
            .iter()
            .filter(|c| c.stance == stance)
            .map(|c| (c.voice_id.as_str(), c.voice.as_str()))
            .collect();
        let mut names: Vec<&str> = set.into_values().collect();
        names.sort_unstable();
        names
    };
    let (affirming, denying) = (voices(Stance::Affirms), voices(Stance::Denies));
    let origins = |n: usize| {
        if n == 1 {
            "1 independent origin".to_owned()
        } else {
            format!("{n} independent origins")
        }
    };
    let mut parts = Vec::new();
    match affirming.len() {
        0 => {}
        1 => parts.push(format!("affirmed by 1 origin ({})", affirming[0])),
        n => parts.push(format!(
            "corroborated by {} ({})",
            origins(n),
            affirming.join(", ")
        )),
    }
    if !denying.is_empty() {
        let count = if affirming.is_empty() {
            origins(denying.len())
        } else {
            denying.len().to_string()
        };
        parts.push(format!("denied by {count} ({})", denying.join(", ")));
    }
    let claims = match claims.len() {
        1 => "1 claim".to_owned(),
        n => format!("{n} claims"),
    };
    format!("{claims}: {}", parts.join(", "))
}

fn path_rows(steps: &[Step]) -> Rows {
    let mut rows = Rows {
        columns: [
            "step", "from", "relation", "to", "claim", "source", "reporter", "origin", "voice",
            "stance", "quote",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
    };
    for (n, (from, relations)) in steps.iter().enumerate() {
        for (edge, claims) in relations {
            let (a, b) = ends(from, edge);
            let step = Cell::Integer(n as i64 + 1);
            let text = |s: &str| Cell::Text(s.to_owned());
            let edge_cells = [step, text(a), text(edge.relation.as_str()), text(b)];
            if claims.is_empty() {
                rows.rows.push(
                    edge_cells
                        .iter()
                        .cloned()
                        .chain(std::iter::repeat_n(Cell::Null, 7))
                        .collect(),
                );
            }
            for c in claims {
                rows.rows.push(
                    edge_cells
                        .iter()
                        .cloned()
                        .chain([
                            text(&c.id),
                            text(&c.source_id),
                            text(&c.reporter),
                            text(&c.origin),
                            text(&c.voice),
                            text(c.stance.as_str()),
                            text(&c.quote),
                        ])
                        .collect(),
                );
            }
        }
    }
    rows
}
