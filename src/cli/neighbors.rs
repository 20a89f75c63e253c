//! `claimgraph neighbors ID`: the entities within `--depth` steps on the entity view, and every
//! edge each was reached by.

use super::options::{ListArgs, whole};
use super::output::print_rows;
use super::{Stop, open, require_entity};
use crate::store::read;
use crate::store::sandbox::{Cell, Rows};
use crate::store::snapshot::ClaimIndex;
use crate::view::walk::walk_entities;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The entity to start from
    pub id: String,
    /// How many steps to go (1 to 1000)
    #[arg(long, default_value = "1", value_parser = whole(1, 1000))]
    pub depth: usize,
    #[command(flatten)]
    pub list: ListArgs,
}

/// One row per edge from an entity one step nearer: two entities linked by several relations
/// get a row for each, with that relation's own claims.
pub fn run(args: &Args) -> Result<(), Stop> {
    let conn = open(&args.list.read)?;
    require_entity(&conn, &args.id)?;
    let reached = walk_entities(&ClaimIndex::new(&conn), &args.id, args.depth, None)?;
    let mut rows = Rows {
        columns: ["depth", "id", "kind", "name", "via", "relation", "claims"]
            .map(String::from)
            .to_vec(),
        rows: Vec::new(),
    };
    let mut sorted = Vec::new();
    for (id, step) in &reached {
        if step.edges.is_empty() {
            continue;
        }
        super::check_clock()?;
        let (kind, name) = read::entity_name(&conn, id)?
            .map(|(kind, name)| (kind.as_str().to_owned(), name))
            .unwrap_or_default();
        for (from, edge) in &step.edges {
            let relation = if edge.outgoing {
                format!("{from} —{}→ {id}", edge.relation.as_str())
            } else {
                format!("{id} —{}→ {from}", edge.relation.as_str())
            };
            sorted.push((
                step.depth,
                id,
                from,
                relation,
                edge.claims,
                kind.clone(),
                name.clone(),
            ));
        }
    }
    sorted.sort();
    for (depth, id, from, relation, claims, kind, name) in sorted {
        rows.rows.push(vec![
            Cell::Integer(depth as i64),
            Cell::Text(id.clone()),
            Cell::Text(kind),
            Cell::Text(name),
            Cell::Text(from.clone()),
            Cell::Text(relation),
            Cell::Integer(claims as i64),
        ]);
    }
    print_rows(&rows, args.list.listing(), &mut std::io::stdout().lock())
}
