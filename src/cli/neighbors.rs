//! `claimgraph neighbors ID`: the entities within `--depth` steps on the entity view, and the
//! edge each was reached by.

use super::output::{ListArgs, print_rows};
use super::{Stop, open, require_entity};
use crate::store::read;
use crate::store::sandbox::{Cell, Rows};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The entity to start from
    pub id: String,
    /// How many steps to go
    #[arg(long, default_value_t = 1)]
    pub depth: usize,
    #[command(flatten)]
    pub list: ListArgs,
}

pub fn run(args: &Args) -> Result<(), Stop> {
    let conn = open(&args.list.db)?;
    require_entity(&conn, &args.id)?;
    let reached = read::walk(&conn, &args.id, args.depth, None)?;
    let mut rows = Rows {
        columns: ["depth", "id", "kind", "name", "via", "relation", "claims"]
            .map(String::from)
            .to_vec(),
        rows: Vec::new(),
    };
    for (id, step) in &reached {
        let Some((from, edge)) = &step.via else {
            continue;
        };
        let (kind, name) = read::entity_name(&conn, id)?.unwrap_or_default();
        let relation = if edge.outgoing {
            format!("{from} —{}→ {id}", edge.relation)
        } else {
            format!("{id} —{}→ {from}", edge.relation)
        };
        rows.rows.push(vec![
            Cell::Integer(step.depth as i64),
            Cell::Text(id.clone()),
            Cell::Text(kind),
            Cell::Text(name),
            Cell::Text(from.clone()),
            Cell::Text(relation),
            Cell::Integer(edge.claims),
        ]);
    }
    rows.rows.sort_by(|a, b| {
        let key = |r: &Vec<Cell>| (r[0].display().parse::<i64>().unwrap_or(0), r[1].display());
        key(a).cmp(&key(b))
    });
    Ok(print_rows(
        &rows,
        args.list.format,
        &mut std::io::stdout().lock(),
    )?)
}
