//! Builds a view's petgraph graph from the rows: what every claim and curated link draws,
//! gathered into one edge per pair of ends and kind, with the claims behind each.

use petgraph::graph::{DiGraph, NodeIndex};
use rayon::prelude::*;

use super::draw::{End, Line, Mark, Refs, draw, draw_link};
use super::support::support;
use super::{EdgeKind, Item, ViewEdge, ViewKind, ViewNode};
use crate::store::snapshot::{
    ClaimRow, ClaimTarget, RowClaim, RowEntity, RowPredicate, RowSource, Snapshot,
};
use typed_index_collections::TiVec;

/// The nodes a neighbourhood or a document keeps, by position in the rows it was read with.
#[derive(Debug)]
pub(super) struct Keep {
    pub(super) entities: TiVec<RowEntity, bool>,
    pub(super) claims: TiVec<RowClaim, bool>,
    /// Only the claims of this source document draw: in the entities and citations views a
    /// claim draws edges between entities, which keeping its ends alone would not stop.
    pub(super) document: Option<RowSource>,
}

impl Keep {
    /// Nothing yet, of the rows of `data`.
    pub(super) fn none(data: &Snapshot) -> Keep {
        Keep {
            entities: vec![false; data.entities.len()].into(),
            claims: vec![false; data.claims.len()].into(),
            document: None,
        }
    }

    /// What the claims of one source document draw in the view: their nodes and the entities
    /// at the ends of their edges. Curated links are drawn between these entities only.
    pub(super) fn document(kind: ViewKind, data: &Snapshot, source: RowSource) -> Keep {
        let mut keep = Keep::none(data);
        keep.document = Some(source);
        for (c, claim) in data.claims.iter_enumerated() {
            if claim.source != source {
                continue;
            }
            draw(kind, refs(claim), |mark| match mark {
                Mark::ClaimNode => keep.claims[c] = true,
                Mark::Value(e) => keep.entities[e] = true,
                Mark::Edge { from, to, .. } => {
                    for end in [from, to] {
                        if let End::Entity(e) = end {
                            keep.entities[e] = true;
                        }
                    }
                }
            });
        }
        keep
    }

    /// Whether `claim` draws anything in the view.
    fn draws(&self, claim: &ClaimRow) -> bool {
        self.document.is_none_or(|source| claim.source == source)
    }
}

/// The entities a claim draws with, by position.
fn refs(claim: &ClaimRow) -> Refs<'_, RowEntity> {
    Refs {
        reporter: claim.reporter,
        subject: claim.subject,
        object: match claim.target {
            ClaimTarget::Entity(e) => Some(e),
            ClaimTarget::Value(_) => None,
        },
        citing: &claim.citing,
    }
}

/// One claim's share in one edge (`None` for a curated link's, which no claim states), before
/// the claims of each edge are gathered.
type Share = (Item, Item, EdgeKind, Option<RowClaim>);

/// Collects what the claims draw, then adds nodes and edges to the graph in id order.
pub(super) struct Builder<'a> {
    kind: ViewKind,
    data: &'a Snapshot,
    keep: Option<&'a Keep>,
    /// Per entity: `None` if it is no node, else the claims giving it values.
    entities: TiVec<RowEntity, Option<Vec<RowClaim>>>,
    /// Per claim: whether it is a node.
    claims: TiVec<RowClaim, bool>,
    shares: Vec<Share>,
}

impl<'a> Builder<'a> {
    pub(super) fn new(kind: ViewKind, data: &'a Snapshot, keep: Option<&'a Keep>) -> Builder<'a> {
        Builder {
            kind,
            data,
            keep,
            entities: vec![None; data.entities.len()].into(),
            claims: vec![false; data.claims.len()].into(),
            // Most views draw about one edge per claim, or a few.
            shares: Vec::with_capacity(data.claims.len()),
        }
    }

    fn kept(&self, item: Item) -> bool {
        self.keep.is_none_or(|keep| match item {
            Item::Entity(e) => keep.entities[e],
            Item::Claim(c) => keep.claims[c],
        })
    }

    fn node(&mut self, item: Item) {
        match item {
            Item::Entity(e) => {
                self.entities[e].get_or_insert_with(Vec::new);
            }
            Item::Claim(c) => self.claims[c] = true,
        }
    }

    pub(super) fn build(mut self) -> DiGraph<ViewNode, ViewEdge> {
        let data = self.data;
        for (c, claim) in data.claims.iter_enumerated() {
            if self.keep.is_some_and(|keep| !keep.draws(claim)) {
                continue;
            }
            let item = |end: End<RowEntity>| match end {
                End::Entity(e) => Item::Entity(e),
                End::Claim => Item::Claim(c),
            };
            draw(self.kind, refs(claim), |mark| match mark {
                Mark::ClaimNode => {
                    if self.kept(Item::Claim(c)) {
                        self.node(Item::Claim(c));
                    }
                }
                Mark::Value(e) => {
                    if self.kept(Item::Entity(e)) {
                        self.entities[e].get_or_insert_with(Vec::new).push(c);
                    }
                }
                Mark::Edge { from, to, kind } => {
                    let (from, to) = (item(from), item(to));
                    if self.kept(from) && self.kept(to) {
                        self.node(from);
                        self.node(to);
                        let kind = edge_kind(kind, claim.predicate);
                        self.shares.push((from, to, kind, Some(c)));
                    }
                }
            });
        }
        for (e, entity) in data.entities.iter_enumerated() {
            for link in &entity.links {
                // In a neighbourhood's rows, the entity named need not have been read.
                let Some(target) = data.entity_position(&link.target) else {
                    continue;
                };
                draw_link(self.kind, e, link.field, target, |mark| {
                    if let Mark::Edge {
                        from: End::Entity(from),
                        to: End::Entity(to),
                        kind: Line::Link { field },
                    } = mark
                    {
                        let (from, to) = (Item::Entity(from), Item::Entity(to));
                        if self.kept(from) && self.kept(to) {
                            self.node(from);
                            self.node(to);
                            self.shares.push((from, to, EdgeKind::Link { field }, None));
                        }
                    }
                });
            }
        }
        // A neighbourhood keeps its nodes even when no claim it read draws them, as a
        // neighbourhood of depth 0 does. (A document's claims draw every node it keeps.)
        if let Some(keep) = self.keep {
            for (e, &kept) in keep.entities.iter_enumerated() {
                if kept {
                    self.node(Item::Entity(e));
                }
            }
            for (c, &kept) in keep.claims.iter_enumerated() {
                if kept {
                    self.node(Item::Claim(c));
                }
            }
        }
        self.finish()
    }

    fn finish(self) -> DiGraph<ViewNode, ViewEdge> {
        let data = self.data;
        let mut shares = self.shares;
        shares.par_sort_unstable();
        shares.dedup();
        // The shares of one edge lie side by side now; each edge's id and support are its own
        // business, so they are made in parallel, straight into a list of the right length.
        let edge = |share: &Share| (share.0, share.1, share.2);
        let mut starts: Vec<usize> = (0..shares.len())
            .filter(|&i| i == 0 || edge(&shares[i - 1]) != edge(&shares[i]))
            .collect();
        starts.push(shares.len());
        let mut edges: Vec<(Item, Item, ViewEdge)> = starts
            .par_windows(2)
            .map(|run| {
                let shares = &shares[run[0]..run[1]];
                let (from, to, kind, _) = shares[0];
                let claims = shares.iter().filter_map(|share| share.3).collect();
                let edge = ViewEdge {
                    id: edge_id(data, from, to, kind),
                    kind,
                    support: support(data, claims),
                };
                (from, to, edge)
            })
            .collect();
        drop(shares);
        edges.par_sort_unstable_by(|a, b| a.2.id.cmp(&b.2.id));

        let nodes = self.entities.iter().filter(|e| e.is_some()).count()
            + self.claims.iter().filter(|&&c| c).count();
        let mut graph = DiGraph::with_capacity(nodes, edges.len());
        let mut entity_nodes: TiVec<RowEntity, NodeIndex> =
            vec![NodeIndex::end(); data.entities.len()].into();
        for (e, values) in self.entities.into_iter_enumerated() {
            if let Some(values) = values {
                entity_nodes[e] = graph.add_node(ViewNode {
                    item: Item::Entity(e),
                    values,
                });
            }
        }
        let mut claim_nodes: TiVec<RowClaim, NodeIndex> =
            vec![NodeIndex::end(); data.claims.len()].into();
        for (c, _) in self.claims.iter_enumerated().filter(|(_, node)| **node) {
            claim_nodes[c] = graph.add_node(ViewNode {
                item: Item::Claim(c),
                values: Vec::new(),
            });
        }
        let node = |item: Item| match item {
            Item::Entity(e) => entity_nodes[e],
            Item::Claim(c) => claim_nodes[c],
        };
        for (from, to, edge) in edges {
            graph.add_edge(node(from), node(to), edge);
        }
        graph
    }
}

/// An edge's id: what it joins and how, unique in its view.
fn edge_id(data: &Snapshot, from: Item, to: Item, kind: EdgeKind) -> String {
    let id = |item: Item| match item {
        Item::Entity(e) => data.entities[e].id.as_str(),
        Item::Claim(c) => data.claims[c].id.as_str(),
    };
    match kind {
        EdgeKind::Statement { predicate } => format!(
            "statement/{}/{}/{}",
            id(from),
            data.predicates[predicate].id,
            id(to)
        ),
        EdgeKind::Reported => format!("reported/{}", id(to)),
        EdgeKind::Cites { position } => format!("cites/{}/{position}", id(from)),
        EdgeKind::About => format!("about/{}", id(from)),
        EdgeKind::Citation => format!("citation/{}/{}", id(from), id(to)),
        EdgeKind::Link { field } => format!("link/{}/{}/{}", id(from), field.as_str(), id(to)),
    }
}

/// The edge a [`Line`] of a claim becomes; a statement's predicate is the claim's.
fn edge_kind(line: Line, predicate: RowPredicate) -> EdgeKind {
    match line {
        Line::Statement => EdgeKind::Statement { predicate },
        Line::Reported => EdgeKind::Reported,
        Line::Cites { position } => EdgeKind::Cites { position },
        Line::About => EdgeKind::About,
        Line::Citation => EdgeKind::Citation,
        Line::Link { field } => EdgeKind::Link { field },
    }
}
