//! claimgraph's own JSON: the view's nodes and edges, and every claim behind them with its
//! source document, quote and attribution chain. Documented by
//! `exports/schema/claimgraph-graph.schema.json`.

use std::collections::BTreeMap;

use petgraph::visit::EdgeRef;
use serde::Serialize;

use super::attributes::edge_label;
use super::{ExportError, Exporter, Format};
use crate::graph::views::{EdgeKind, Item, View, claim_stances};
use crate::store::export::{ClaimTarget, StoredValue};

/// The name every document of this shape carries in `format`.
pub const FORMAT_NAME: &str = "claimgraph-graph";
/// Raised when the shape changes in a way readers must know about.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy)]
pub struct Json;

impl Exporter for Json {
    fn export(&self, view: &View<'_>) -> Result<Vec<u8>, ExportError> {
        to_pretty_json(&document(view), Format::Json)
    }
}

/// Pretty JSON ending in a line break; map keys keep the order of the wire types.
pub(super) fn to_pretty_json(
    value: &impl Serialize,
    format: Format,
) -> Result<Vec<u8>, ExportError> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(|e| ExportError::Write {
        format,
        message: e.to_string(),
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

#[derive(Debug, Serialize)]
struct Document<'a> {
    format: &'static str,
    version: u32,
    view: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    focus: Option<FocusOut<'a>>,
    nodes: Vec<NodeOut<'a>>,
    edges: Vec<EdgeOut<'a>>,
    claims: Vec<ClaimOut<'a>>,
    sources: Vec<SourceOut<'a>>,
}

#[derive(Debug, Serialize)]
struct FocusOut<'a> {
    id: &'a str,
    depth: usize,
}

#[derive(Debug, Serialize)]
struct NodeOut<'a> {
    id: &'a str,
    kind: &'static str,
    label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    aliases: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    reliability: Option<&'a str>,
    /// Curated references by field name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    links: BTreeMap<&'a str, Vec<&'a str>>,
    /// Claims that give the entity a value (entity view).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    values: Vec<&'a str>,
}

#[derive(Debug, Serialize)]
struct EdgeOut<'a> {
    id: &'a str,
    source: &'a str,
    target: &'a str,
    kind: &'a str,
    label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    predicate: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<usize>,
    claims: Vec<&'a str>,
    reporters: Vec<&'a str>,
    origins: Vec<&'a str>,
    documents: Vec<&'a str>,
    stance: &'static str,
    hedged: bool,
    conflicting: bool,
}

#[derive(Debug, Serialize)]
struct ClaimOut<'a> {
    id: &'a str,
    source: &'a str,
    reporter: &'a str,
    citing: &'a [String],
    origin: &'a str,
    interested: bool,
    subject: &'a str,
    predicate: &'a str,
    predicate_label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    object: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<ValueOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    when: Option<&'a str>,
    stance: &'static str,
    hedged: bool,
    quote: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    conflicts: Vec<ConflictOut<'a>>,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
enum ValueOut<'a> {
    Integer(i64),
    Real(f64),
    Text(&'a str),
}

#[derive(Debug, Serialize)]
struct ConflictOut<'a> {
    with: &'a str,
    reason: &'a str,
    detail: &'a str,
}

#[derive(Debug, Serialize)]
struct SourceOut<'a> {
    id: &'a str,
    name: &'a str,
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outlet: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

fn document<'a>(view: &'a View<'a>) -> Document<'a> {
    let data = view.data;
    let nodes = view
        .graph
        .node_indices()
        .map(|n| {
            let node = &view.graph[n];
            let entity = match node.item {
                Item::Entity(e) => Some(&data.entities[e]),
                Item::Claim(_) => None,
            };
            NodeOut {
                id: view.node_id(n),
                kind: view.node_kind(n),
                label: view.node_label(n),
                description: entity.and_then(|e| e.description.as_deref()),
                aliases: entity.map_or(&[], |e| e.aliases.as_slice()),
                reliability: entity.and_then(|e| e.reliability.as_deref()),
                links: match node.item {
                    Item::Entity(e) => view.links_of(e).into_iter().collect(),
                    Item::Claim(_) => BTreeMap::new(),
                },
                values: node
                    .values
                    .iter()
                    .map(|&c| data.claims[c].id.as_str())
                    .collect(),
            }
        })
        .collect();
    let edges = view
        .graph
        .edge_references()
        .map(|e| {
            let edge = e.weight();
            let support = &edge.support;
            let entity_ids = |items: &[usize]| -> Vec<&'a str> {
                items
                    .iter()
                    .map(|&i| data.entities[i].id.as_str())
                    .collect()
            };
            EdgeOut {
                id: &edge.id,
                source: view.node_id(e.source()),
                target: view.node_id(e.target()),
                kind: edge.kind.as_str(),
                label: edge_label(view, &edge.kind),
                predicate: match edge.kind {
                    EdgeKind::Statement { predicate } => {
                        Some(data.predicates[predicate].id.as_str())
                    }
                    _ => None,
                },
                position: match edge.kind {
                    EdgeKind::Cites { position } => Some(position),
                    _ => None,
                },
                claims: support
                    .claims
                    .iter()
                    .map(|&c| data.claims[c].id.as_str())
                    .collect(),
                reporters: entity_ids(&support.reporters),
                origins: entity_ids(&support.origins),
                documents: support
                    .documents
                    .iter()
                    .map(|&d| data.sources[d].id.as_str())
                    .collect(),
                stance: support.stance.as_str(),
                hedged: support.hedged,
                conflicting: support.conflicting,
            }
        })
        .collect();
    let claim_indexes = view.claims();
    let claims: Vec<ClaimOut<'a>> = claim_indexes
        .iter()
        .map(|&c| {
            let claim = &data.claims[c];
            let (object, value) = match &claim.target {
                ClaimTarget::Entity(id) => (Some(id.as_str()), None),
                ClaimTarget::Value(v) => (
                    None,
                    Some(match v {
                        StoredValue::Integer(i) => ValueOut::Integer(*i),
                        StoredValue::Real(r) => ValueOut::Real(*r),
                        StoredValue::Text(t) => ValueOut::Text(t),
                    }),
                ),
            };
            ClaimOut {
                id: &claim.id,
                source: &claim.source,
                reporter: &claim.reporter,
                citing: &claim.citing,
                origin: &claim.origin,
                interested: claim.interested,
                subject: &claim.subject,
                predicate: &claim.predicate,
                predicate_label: view.predicate_label(&claim.predicate),
                object,
                value,
                when: claim.when.as_deref(),
                stance: claim_stances(claim).as_str(),
                hedged: claim.hedged,
                quote: &claim.quote,
                note: claim.note.as_deref(),
                conflicts: view
                    .conflicts_of(c)
                    .map(|x| ConflictOut {
                        with: if x.claim_a == claim.id {
                            &x.claim_b
                        } else {
                            &x.claim_a
                        },
                        reason: &x.reason,
                        detail: &x.detail,
                    })
                    .collect(),
            }
        })
        .collect();
    let mut source_ids: Vec<&str> = claims.iter().map(|c| c.source).collect();
    source_ids.sort_unstable();
    source_ids.dedup();
    let sources = source_ids
        .into_iter()
        .map(|id| {
            let row = view.source(id);
            SourceOut {
                id: &row.id,
                name: &view.entity(id).name,
                file: &row.file,
                title: row.title.as_deref(),
                language: row.language.as_deref(),
                published: row.published.as_deref(),
                outlet: row.outlet.as_deref(),
                author: row.author.as_deref(),
                url: row.url.as_deref(),
            }
        })
        .collect();
    Document {
        format: FORMAT_NAME,
        version: FORMAT_VERSION,
        view: view.kind.as_str(),
        focus: view.focus.as_ref().map(|f| FocusOut {
            id: &f.id,
            depth: f.depth,
        }),
        nodes,
        edges,
        claims,
        sources,
    }
}
