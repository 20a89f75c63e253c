//! claimgraph's own JSON: the view's nodes and edges, and every claim behind them with its
//! source document, quote and attribution chain. Documented by
//! `exports/schema/claimgraph-graph.schema.json`.

use std::borrow::Cow;

use petgraph::graph::{EdgeIndex, NodeIndex};
use serde::{Serialize, Serializer};

use super::attributes::edge_label;
use super::pretty::TopLevel;
use super::{ExportError, Exporter, Format, Output};
use crate::store::snapshot::{ClaimTarget, FieldRow, RowClaim, RowEntity, RowSource, StoredValue};
use crate::view::{EdgeKind, Item, View, claim_stances};

/// The name every document of this shape carries in `format`.
pub const FORMAT_NAME: &str = "claimgraph-graph";
/// Raised when the shape changes in a way readers must know about.
pub const FORMAT_VERSION: u32 = 4;

#[derive(Debug, Clone, Copy)]
pub struct Json;

impl Exporter for Json {
    fn write(&self, view: &View<'_>, out: &mut Output<'_>) -> Result<(), ExportError> {
        let claims = view.claims();
        let mut sources: Vec<RowSource> = claims.iter().map(|&c| view.claim(c).source).collect();
        sources.sort_unstable();
        sources.dedup();
        let nodes: Vec<NodeIndex> = view.graph.node_indices().collect();
        let edges: Vec<EdgeIndex> = view.graph.edge_indices().collect();
        let mut document = TopLevel::begin(out, Format::Json)?;
        document.field("format", &FORMAT_NAME)?;
        document.field("version", &FORMAT_VERSION)?;
        document.field("view", &view.kind.as_str())?;
        if let Some(source) = view.document {
            document.field("source", &view.source(source).id)?;
        }
        if let Some(focus) = &view.focus {
            let focus = FocusOut {
                id: &focus.id,
                depth: focus.depth,
            };
            document.field("focus", &focus)?;
        }
        document.list("nodes", &nodes, |&n| node(view, n))?;
        document.list("edges", &edges, |&e| edge(view, e))?;
        document.list("claims", &claims, |&c| claim(view, c))?;
        document.list("sources", &sources, |&s| source(view, s))?;
        document.end()
    }
}

/// Positions in one of the lists of rows, written as the ids they stand for.
#[derive(Debug, Clone, Copy)]
enum Ids<'a> {
    Entities(&'a View<'a>, &'a [RowEntity]),
    Claims(&'a View<'a>, &'a [RowClaim]),
    Sources(&'a View<'a>, &'a [RowSource]),
}

impl Ids<'_> {
    fn is_empty(&self) -> bool {
        match self {
            Ids::Entities(_, items) => items.is_empty(),
            Ids::Claims(_, items) => items.is_empty(),
            Ids::Sources(_, items) => items.is_empty(),
        }
    }
}

impl Serialize for Ids<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Ids::Entities(view, items) => {
                serializer.collect_seq(items.iter().map(|&i| &view.entity(i).id))
            }
            Ids::Claims(view, items) => {
                serializer.collect_seq(items.iter().map(|&i| &view.claim(i).id))
            }
            Ids::Sources(view, items) => {
                serializer.collect_seq(items.iter().map(|&i| &view.source(i).id))
            }
        }
    }
}

/// Curated links by field name, in the order of the names.
#[derive(Debug)]
struct Links<'a>(Vec<(&'a str, Vec<&'a str>)>);

impl Serialize for Links<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(field, targets)| (field, targets)))
    }
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
    label: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    aliases: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    wikidata: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reliability: Option<&'a str>,
    /// Curated scalar fields by name (`type`, `iso`, `born`, `when`, `title`, …).
    #[serde(skip_serializing_if = "fields_empty")]
    fields: Fields<'a>,
    /// Curated references by field name.
    #[serde(skip_serializing_if = "links_empty")]
    links: Links<'a>,
    /// Claims that give the entity a value (entity view).
    #[serde(skip_serializing_if = "Ids::is_empty")]
    values: Ids<'a>,
}

fn links_empty(links: &Links<'_>) -> bool {
    links.0.is_empty()
}

/// Curated scalar fields by name, in the order of the names; numbers stay numbers.
#[derive(Debug)]
struct Fields<'a>(&'a [FieldRow]);

impl Serialize for Fields<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(
            self.0
                .iter()
                .map(|field| (&field.name, value_out(&field.value))),
        )
    }
}

fn fields_empty(fields: &Fields<'_>) -> bool {
    fields.0.is_empty()
}

fn value_out(value: &StoredValue) -> ValueOut<'_> {
    match value {
        StoredValue::Integer(i) => ValueOut::Integer(*i),
        StoredValue::Real(r) => ValueOut::Real(*r),
        StoredValue::Text(t) => ValueOut::Text(t),
    }
}

#[derive(Debug, Serialize)]
struct EdgeOut<'a> {
    id: &'a str,
    source: &'a str,
    target: &'a str,
    kind: &'a str,
    label: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    predicate: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<usize>,
    claims: Ids<'a>,
    reporters: Ids<'a>,
    affirming_origins: Ids<'a>,
    denying_origins: Ids<'a>,
    documents: Ids<'a>,
    stance: &'static str,
    hedged: bool,
    conflicting: bool,
    contested: bool,
}

#[derive(Debug, Serialize)]
struct ClaimOut<'a> {
    id: &'a str,
    source: &'a str,
    reporter: &'a str,
    citing: Ids<'a>,
    origin: &'a str,
    voice: &'a str,
    interested: bool,
    aligned: bool,
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

fn node<'a>(view: &'a View<'a>, n: NodeIndex) -> NodeOut<'a> {
    let node = &view.graph[n];
    let entity = match node.item {
        Item::Entity(e) => Some(view.entity(e)),
        Item::Claim(_) => None,
    };
    NodeOut {
        id: view.node_id(n),
        kind: view.node_kind(n),
        label: view.node_label(n),
        description: entity.and_then(|e| e.description.as_deref()),
        aliases: entity.map_or(&[], |e| e.aliases.as_slice()),
        wikidata: entity.and_then(|e| e.wikidata.as_deref()),
        reliability: entity.and_then(|e| e.reliability.as_deref()),
        fields: Fields(entity.map_or(&[], |e| e.fields.as_slice())),
        links: Links(match node.item {
            Item::Entity(e) => view.links_of(e),
            Item::Claim(_) => Vec::new(),
        }),
        values: Ids::Claims(view, &view.graph[n].values),
    }
}

fn edge<'a>(view: &'a View<'a>, e: EdgeIndex) -> EdgeOut<'a> {
    let edge = &view.graph[e];
    let (source, target) = view.graph.edge_endpoints(e).expect("the edge exists");
    let support = &edge.support;
    EdgeOut {
        id: &edge.id,
        source: view.node_id(source),
        target: view.node_id(target),
        kind: edge.kind.as_str(),
        label: edge_label(view, &edge.kind),
        predicate: match edge.kind {
            EdgeKind::Statement { predicate } => Some(view.predicate(predicate).id.as_str()),
            _ => None,
        },
        field: match edge.kind {
            EdgeKind::Link { field } => Some(field.as_str()),
            _ => None,
        },
        position: match edge.kind {
            EdgeKind::Cites { position } => Some(position),
            _ => None,
        },
        claims: Ids::Claims(view, &support.claims),
        reporters: Ids::Entities(view, &support.reporters),
        affirming_origins: Ids::Entities(view, &support.affirming),
        denying_origins: Ids::Entities(view, &support.denying),
        documents: Ids::Sources(view, &support.documents),
        stance: support.stance.as_str(),
        hedged: support.hedged,
        conflicting: support.conflicting,
        contested: support.contested(),
    }
}

fn claim<'a>(view: &'a View<'a>, c: RowClaim) -> ClaimOut<'a> {
    let claim = view.claim(c);
    let (object, value) = match &claim.target {
        ClaimTarget::Entity(e) => (Some(view.entity_id(*e)), None),
        ClaimTarget::Value(v) => (None, Some(value_out(v))),
    };
    let predicate = view.predicate(claim.predicate);
    ClaimOut {
        id: &claim.id,
        source: view.source_id(claim),
        reporter: view.entity_id(claim.reporter),
        citing: Ids::Entities(view, &claim.citing),
        origin: view.entity_id(claim.origin),
        voice: view.entity_id(claim.voice),
        interested: claim.interested,
        aligned: claim.aligned,
        subject: view.entity_id(claim.subject),
        predicate: &predicate.id,
        predicate_label: &predicate.label,
        object,
        value,
        when: claim.when.as_deref(),
        stance: claim_stances(claim).as_str(),
        hedged: claim.hedged,
        quote: &claim.quote,
        note: claim.note.as_deref(),
        conflicts: view
            .conflicts_of(claim)
            .map(|x| ConflictOut {
                with: if x.claim_a == claim.id {
                    &x.claim_b
                } else {
                    &x.claim_a
                },
                reason: x.reason.as_str(),
                detail: &x.detail,
            })
            .collect(),
    }
}

fn source<'a>(view: &View<'a>, s: RowSource) -> SourceOut<'a> {
    let row = view.source(s);
    SourceOut {
        id: &row.id,
        name: view.entity_name(row.entity),
        file: &row.file,
        title: row.title.as_deref(),
        language: row.language.as_deref(),
        published: row.published.as_deref(),
        outlet: row.outlet.as_deref(),
        author: row.author.as_deref(),
        url: row.url.as_deref(),
    }
}
