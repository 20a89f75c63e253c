//! The deep checks of a built database, which `claimgraph verify` and `build --verify` run: the
//! store's integrity and foreign-key checks and its quote offsets, and the `nodes` and `edges`
//! views compared with the graph the views make from the same rows.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use typed_index_collections::TiVec;

use crate::files;
use crate::model::RefField;
use crate::store::snapshot::{self, RowClaim, RowEntity, Snapshot};
use crate::store::verify::{self as checks, EdgeRow, NodeRow};
use crate::store::{self, Connection, StoreError};
use crate::view::{EdgeKind, Item, View, ViewKind};

/// What the checks of a database found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verified {
    /// Every problem, each naming its table and row; none for a sound database.
    pub problems: Vec<String>,
    /// The rows of the `nodes` view compared with the graph.
    pub nodes: usize,
    /// The rows of the `edges` view compared with the graph.
    pub edges: usize,
    /// The quote offsets checked against their documents.
    pub quotes: usize,
}

/// Runs every deep check of the database at `path`. Fails (so that the command cannot run) only
/// when the file is missing or is not a claimgraph database of this schema; whatever is wrong
/// inside one is a problem of the [`Verified`].
pub fn verify(path: &Path) -> Result<Verified, StoreError> {
    if !path.is_file() {
        return Err(StoreError::Missing(path.to_owned()));
    }
    let not_ours = files::not_claimgraph_database(path).map_err(store::io_error(path))?;
    if let Some(reason) = not_ours {
        return Err(StoreError::NotClaimgraph {
            path: path.to_owned(),
            reason,
        });
    }
    let conn = store::open_read(path)?;
    let workers = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    let mut verified = Verified::default();
    let problem = |what: &str, e: StoreError| format!("{what} could not be read: {e}");
    match checks::integrity(path, workers) {
        Ok(problems) => verified.problems.extend(problems),
        Err(e) => verified.problems.push(problem("the database", e)),
    }
    // The quotes on a connection of their own, beside the graph.
    let quotes = std::thread::scope(|scope| {
        let quotes = scope.spawn(|| checks::quote_problems(&store::open_read(path)?));
        match compare_graph(&conn) {
            Ok(graph) => {
                verified.nodes = graph.nodes;
                verified.edges = graph.edges;
                verified.problems.extend(graph.problems);
            }
            Err(e) => verified.problems.push(problem(
                "the graph of the rows, or the nodes and edges views,",
                e,
            )),
        }
        quotes.join().expect("the quote check does not panic")
    });
    match quotes {
        Ok((checked, problems)) => {
            verified.quotes = checked;
            verified.problems.extend(problems);
        }
        Err(e) => verified.problems.push(problem("the quotes", e)),
    }
    Ok(verified)
}

/// One edge as the `edges` view has it, its ends and claim resolved to the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct EdgeKey {
    source: Item,
    target: Item,
    kind: &'static str,
    claim: Option<RowClaim>,
    position: Option<i64>,
}

/// The kinds of rows the `edges` view holds, and what each joins: entities and claims.
const CLAIM_EDGES: [&str; 4] = ["cites", "about", "object", "appears_in"];

/// Compares the `nodes` and `edges` views with the graph [`View`] makes from the rows: every
/// entity of the rows and every claim node of the provenance view with its kind and label
/// (the claim's sentence), and every edge the views draw of what the `edges` view holds: the
/// provenance view's `reported`, `cites` and `about`, the entities view's curated links and,
/// for each claim behind a statement, its `object`; and each claim's document (`appears_in`),
/// which no view draws, from the rows themselves.
fn compare_graph(conn: &Connection) -> Result<Verified, StoreError> {
    let rows = snapshot::read(conn)?;
    let provenance = View::new(ViewKind::Provenance, &rows);
    let entities = View::new(ViewKind::Entities, &rows);
    let mut verified = Verified::default();

    let mut labels: TiVec<RowClaim, Option<String>> = vec![None; rows.claims.len()].into();
    for node in provenance.graph.node_weights() {
        if let Item::Claim(c) = node.item {
            labels[c] = Some(provenance.claim_sentence(c));
        }
    }
    let mut seen_entities: TiVec<RowEntity, bool> = vec![false; rows.entities.len()].into();
    let mut seen_claims: TiVec<RowClaim, bool> = vec![false; rows.claims.len()].into();
    let problems = &mut verified.problems;
    checks::each_node(conn, |node| {
        verified.nodes += 1;
        let NodeRow { id, kind, label } = node;
        let (seen, graph_kind, graph_label) = if kind == "claim" {
            match rows
                .claim_position(id)
                .and_then(|c| Some((c, labels[c].as_deref()?)))
            {
                Some((c, sentence)) => (&mut seen_claims[c], "claim", sentence),
                None => {
                    problems.push(format!(
                        "nodes view: the claim {id} is not a claim node of the graph"
                    ));
                    return;
                }
            }
        } else {
            match rows.entity_position(id) {
                Some(e) => (
                    &mut seen_entities[e],
                    rows.entities[e].kind.as_str(),
                    rows.entities[e].name.as_str(),
                ),
                None => {
                    problems.push(format!(
                        "nodes view: the {kind} {id} is not an entity of the graph"
                    ));
                    return;
                }
            }
        };
        if std::mem::replace(seen, true) {
            problems.push(format!("nodes view: {id} is there more than once"));
        }
        if (kind, label) != (graph_kind, graph_label) {
            problems.push(format!(
                "nodes view: {id} has the kind {kind} and the label {label:?}, but in the graph \
                 the kind {graph_kind} and the label {graph_label:?}"
            ));
        }
    })?;
    for (e, _) in seen_entities.iter_enumerated().filter(|(_, s)| !**s) {
        verified.problems.push(format!(
            "nodes view: the graph's {} {} is missing",
            rows.entities[e].kind.as_str(),
            rows.entities[e].id
        ));
    }
    for (c, _) in seen_claims
        .iter_enumerated()
        .filter(|&(c, s)| !*s && labels[c].is_some())
    {
        verified.problems.push(format!(
            "nodes view: the graph's claim {} is missing",
            rows.claims[c].id
        ));
    }

    // Each edge counts +1 for the graph, −1 for the view: what is left over is a difference.
    let mut edges: BTreeMap<EdgeKey, i64> = BTreeMap::new();
    for key in graph_edges(&provenance, &entities, &rows) {
        *edges.entry(key).or_default() += 1;
    }
    // A curated field that names the same entity twice is one edge of the entities view,
    // which gathers edges by their ends and kind, and two rows of `entity_links`: a link
    // counts once however many rows the view has of it.
    let mut links: BTreeSet<EdgeKey> = BTreeSet::new();
    let problems = &mut verified.problems;
    checks::each_edge(conn, |edge| {
        verified.edges += 1;
        match view_edge(&rows, &edge) {
            Ok(key) if key.claim.is_none() && !links.insert(key) => {}
            Ok(key) => *edges.entry(key).or_default() -= 1,
            Err(problem) => problems.push(problem),
        }
    })?;
    for (key, count) in edges {
        let id = |item: Item| match item {
            Item::Entity(e) => rows.entities[e].id.as_str(),
            Item::Claim(c) => rows.claims[c].id.as_str(),
        };
        let mut edge = format!("{} edge {} → {}", key.kind, id(key.source), id(key.target));
        if let Some(c) = key.claim {
            edge.push_str(&format!(" of claim {}", rows.claims[c].id));
        }
        if let Some(p) = key.position {
            edge.push_str(&format!(" at position {p}"));
        }
        match count {
            0 => {}
            1.. => verified
                .problems
                .push(format!("edges view: the graph's {edge} is missing")),
            _ => verified
                .problems
                .push(format!("edges view: the {edge} is not in the graph")),
        }
    }
    Ok(verified)
}

/// Every edge of the graph that the `edges` view holds too.
fn graph_edges(provenance: &View<'_>, entities: &View<'_>, rows: &Snapshot) -> Vec<EdgeKey> {
    let mut keys = Vec::new();
    for view in [provenance, entities] {
        for e in view.graph.edge_indices() {
            let (a, b) = view.graph.edge_endpoints(e).expect("an edge of the graph");
            let (source, target) = (view.graph[a].item, view.graph[b].item);
            let claim_of = |item| match item {
                Item::Claim(c) => Some(c),
                Item::Entity(_) => None,
            };
            let key = |kind, claim, position| EdgeKey {
                source,
                target,
                kind,
                claim,
                position,
            };
            match view.graph[e].kind {
                EdgeKind::Reported => keys.push(key("reported", claim_of(target), None)),
                EdgeKind::Cites { position } => {
                    keys.push(key("cites", claim_of(source), i64::try_from(position).ok()))
                }
                EdgeKind::About => keys.push(key("about", claim_of(source), None)),
                EdgeKind::Link { field } => keys.push(key(field.edge_kind(), None, None)),
                EdgeKind::Statement { .. } => {
                    keys.extend(view.graph[e].support.claims.iter().map(|&c| EdgeKey {
                        source: Item::Claim(c),
                        target,
                        kind: "object",
                        claim: Some(c),
                        position: None,
                    }));
                }
                EdgeKind::Citation => {}
            }
        }
    }
    keys.extend(rows.claims.iter_enumerated().map(|(c, claim)| EdgeKey {
        source: Item::Claim(c),
        target: Item::Entity(rows.sources[claim.source].entity),
        kind: "appears_in",
        claim: Some(c),
        position: None,
    }));
    keys
}

/// A row of the `edges` view resolved to the rows, or why it cannot be.
fn view_edge(rows: &Snapshot, edge: &EdgeRow<'_>) -> Result<EdgeKey, String> {
    let entity = |id: &str| {
        rows.entity_position(id)
            .map(Item::Entity)
            .ok_or_else(|| format!("{id}, which is no entity of the graph"))
    };
    let claim = |id: &str| {
        rows.claim_position(id)
            .map(Item::Claim)
            .ok_or_else(|| format!("{id}, which is no claim of the graph"))
    };
    let link = RefField::ALL
        .into_iter()
        .map(RefField::edge_kind)
        .find(|k| *k == edge.kind);
    let (kind, source, target) = match (edge.kind, link) {
        (_, Some(kind)) => (kind, entity(edge.source), entity(edge.target)),
        ("reported", _) => ("reported", entity(edge.source), claim(edge.target)),
        (kind, _) => match CLAIM_EDGES.into_iter().find(|k| *k == kind) {
            Some(kind) => (kind, claim(edge.source), entity(edge.target)),
            None => {
                return Err(format!(
                    "edges view: an edge {} → {} is of the kind `{kind}`, which the graph has not",
                    edge.source, edge.target
                ));
            }
        },
    };
    let claim = edge.claim.map(claim);
    let problem = |what: String| {
        format!(
            "edges view: the {kind} edge {} → {} names {what}",
            edge.source, edge.target
        )
    };
    Ok(EdgeKey {
        source: source.map_err(problem)?,
        target: target.map_err(problem)?,
        kind,
        claim: match claim.transpose().map_err(problem)? {
            Some(Item::Claim(c)) => Some(c),
            _ => None,
        },
        position: edge.position,
    })
}
