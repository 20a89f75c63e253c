//! What a view is: its kind, its nodes and edges, and the rows they stand for. A view is made
//! from a [`Snapshot`] of the database, never from SQL: `entities` (the claims folded into one
//! edge per subject–predicate–object, and the curated links), `provenance` (reporter → claim →
//! subject, with citing chains) and `citations` (who cites whom). `draw.rs` is the one
//! definition of what a claim or a curated link adds to each view, `build.rs` makes the petgraph
//! graph from it (whole, of a neighbourhood's rows, or of one source document's claims),
//! [`walk`] is the one breadth-first walk (and the walk of the entities view that `neighbors`
//! and `path` take), `focus.rs` finds and cuts neighbourhoods, `labels.rs` names nodes and
//! claims for people, and `support.rs` says what the claims behind an edge add up to.
//!
//! Nodes and edges are added in id order, and every list an edge carries is sorted, so the same
//! database gives the same view, and the exports the same bytes.

mod build;
mod draw;
mod focus;
mod labels;
mod support;
pub mod walk;

use std::fmt;

use petgraph::graph::{DiGraph, NodeIndex};
use typed_index_collections::TiVec;

use crate::model::RefField;
use crate::store::snapshot::{
    ClaimRow, ConflictRow, EntityRow, PredicateRow, QuotedTexts, Role, RowClaim, RowEntity,
    RowPredicate, RowSource, Snapshot, SourceRow,
};

pub use focus::{Focus, FocusError, Neighbourhood, neighbourhood};
pub use support::{Stances, Support, claim_stances};

use build::{Builder, Keep};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ViewKind {
    /// Entities only; one edge per subject–predicate–object of the claims, and one per curated
    /// link (`nationality`, `part_of`, …).
    Entities,
    /// Reporter → claim → subject, with the entities each claim cites.
    Provenance,
    /// Who cites whom: one edge per step of the citing chains.
    Citations,
}

impl ViewKind {
    pub const ALL: [ViewKind; 3] = [
        ViewKind::Entities,
        ViewKind::Provenance,
        ViewKind::Citations,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ViewKind::Entities => "entities",
            ViewKind::Provenance => "provenance",
            ViewKind::Citations => "citations",
        }
    }

    /// The parts an entity plays in the claims that draw its edges in this view.
    fn roles(self) -> &'static [Role] {
        match self {
            ViewKind::Entities => &[Role::Subject, Role::Object],
            ViewKind::Provenance => &[Role::Reporter, Role::Cited, Role::Subject],
            ViewKind::Citations => &[Role::Reporter, Role::Cited],
        }
    }
}

impl fmt::Display for ViewKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a node stands for: a position in [`Snapshot::entities`] or [`Snapshot::claims`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Item {
    Entity(RowEntity),
    Claim(RowClaim),
}

#[derive(Debug, Clone)]
pub struct ViewNode {
    pub item: Item,
    /// Claims that give the entity a value rather than link it to another entity (an age, a
    /// count, an assessment); only the entity view has them, since its edges join entities.
    pub values: Vec<RowClaim>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EdgeKind {
    /// The claims of one subject, predicate (index into [`Snapshot::predicates`]) and object.
    Statement { predicate: RowPredicate },
    /// reporter → claim
    Reported,
    /// claim → one entity of its citing chain; position 1 is the nearest.
    Cites { position: usize },
    /// claim → its subject
    About,
    /// One step of citing chains, from the entity that cites to the entity cited.
    Citation,
    /// A curated field of an entity (`nationality`, `part_of`, …), to the entity it names; no
    /// claim is behind it.
    Link { field: RefField },
}

impl EdgeKind {
    /// The kind's name in every export.
    pub fn as_str(&self) -> &'static str {
        match self {
            EdgeKind::Statement { .. } => "statement",
            EdgeKind::Reported => "reported",
            EdgeKind::Cites { .. } => "cites",
            EdgeKind::About => "about",
            EdgeKind::Citation => "citation",
            EdgeKind::Link { .. } => "link",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ViewEdge {
    /// Unique in the view, also between parallel edges: `statement/<subject>/<predicate>/<object>`,
    /// `reported/<claim>`, `cites/<claim>/<position>`, `about/<claim>`, `citation/<from>/<to>`,
    /// `link/<entity>/<field>/<target>`.
    pub id: String,
    pub kind: EdgeKind,
    pub support: Support,
}

/// A view: a petgraph graph whose nodes and edges point into the rows it was made from.
#[derive(Debug)]
pub struct View<'a> {
    pub kind: ViewKind,
    /// The rows the nodes and edges point into; read them through the methods that say what
    /// they return ([`View::entity`], [`View::claim`], …).
    snapshot: &'a Snapshot,
    pub graph: DiGraph<ViewNode, ViewEdge>,
    pub focus: Option<Focus>,
    /// The source document the view was cut down to (`--source ID`): only its claims, and
    /// what they draw.
    pub document: Option<RowSource>,
    /// The claims' documents and quote offsets, when read for the view (the explorer shows
    /// each quote in its passage).
    pub texts: Option<&'a QuotedTexts>,
}

impl<'a> View<'a> {
    /// The entity at a position the view holds (an [`Item::Entity`], a claim's reporter,
    /// subject, object or cited entity, a voice of a [`Support`]).
    pub fn entity(&self, entity: RowEntity) -> &'a EntityRow {
        &self.snapshot.entities[entity]
    }

    /// The claim at a position the view holds (an [`Item::Claim`], a claim behind an edge or a
    /// value of a node).
    pub fn claim(&self, claim: RowClaim) -> &'a ClaimRow {
        &self.snapshot.claims[claim]
    }

    /// The source document at a position the view holds (a claim's `source`, a document of a
    /// [`Support`]).
    pub fn source(&self, source: RowSource) -> &'a SourceRow {
        &self.snapshot.sources[source]
    }

    /// The predicate at a position (a claim's `predicate`, a statement edge's).
    pub fn predicate(&self, predicate: RowPredicate) -> &'a PredicateRow {
        &self.snapshot.predicates[predicate]
    }

    /// The snapshot the view was made from, to read more of its rows.
    pub fn snapshot(&self) -> &'a Snapshot {
        self.snapshot
    }

    /// The conflicts a claim is part of, in order.
    pub fn conflicts_of(
        &self,
        claim: &'a ClaimRow,
    ) -> impl Iterator<Item = &'a ConflictRow> + use<'a> {
        let conflicts = &self.snapshot.conflicts;
        claim.conflicts.iter().map(move |&x| &conflicts[x])
    }

    /// The whole view of `snapshot`.
    pub fn new(kind: ViewKind, snapshot: &'a Snapshot) -> View<'a> {
        View {
            kind,
            snapshot,
            graph: Builder::new(kind, snapshot, None).build(),
            focus: None,
            document: None,
            texts: None,
        }
    }

    /// The view of one source document of `snapshot`: what its claims draw, as they draw it
    /// in the whole view, and the curated links between the entities they draw.
    pub fn of_document(kind: ViewKind, snapshot: &'a Snapshot, source: RowSource) -> View<'a> {
        let keep = Keep::document(kind, snapshot, source);
        View {
            kind,
            snapshot,
            graph: Builder::new(kind, snapshot, Some(&keep)).build(),
            focus: None,
            document: Some(source),
            texts: None,
        }
    }

    /// The neighbourhood `near` (found by [`neighbourhood`]) of the view, from `data` read for
    /// it ([`crate::store::snapshot::read_claims`]): the same nodes and edges, with the same
    /// claims behind them, as the whole view cut by [`View::focus`].
    pub fn around(
        kind: ViewKind,
        data: &'a Snapshot,
        near: &Neighbourhood,
        focus: Focus,
    ) -> View<'a> {
        let mut keep = Keep::none(data);
        for e in near
            .entities
            .iter()
            .filter_map(|id| data.entity_position(id))
        {
            keep.entities[e] = true;
        }
        for c in near
            .claim_nodes
            .iter()
            .filter_map(|id| data.claim_position(id))
        {
            keep.claims[c] = true;
        }
        View {
            kind,
            snapshot: data,
            graph: Builder::new(kind, data, Some(&keep)).build(),
            focus: Some(focus),
            document: None,
            texts: None,
        }
    }

    /// The node of an entity or claim id, if the view has it.
    pub fn find(&self, id: &str) -> Option<NodeIndex> {
        self.graph.node_indices().find(|&n| self.node_id(n) == id)
    }

    /// Every node id of the view, for "did you mean" hints.
    pub fn node_ids(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.graph.node_indices().map(|n| self.node_id(n))
    }

    pub fn node_id(&self, n: NodeIndex) -> &'a str {
        match self.graph[n].item {
            Item::Entity(e) => &self.snapshot.entities[e].id,
            Item::Claim(c) => &self.snapshot.claims[c].id,
        }
    }

    /// The node's kind: an entity kind, or `claim`.
    pub fn node_kind(&self, n: NodeIndex) -> &'static str {
        match self.graph[n].item {
            Item::Entity(e) => self.snapshot.entities[e].kind.as_str(),
            Item::Claim(_) => "claim",
        }
    }

    /// Every claim the view shows, on a node or on an edge, in id order.
    pub fn claims(&self) -> Vec<RowClaim> {
        let mut shown: TiVec<RowClaim, bool> = vec![false; self.snapshot.claims.len()].into();
        for node in self.graph.node_weights() {
            if let Item::Claim(c) = node.item {
                shown[c] = true;
            }
            for &c in &node.values {
                shown[c] = true;
            }
        }
        for edge in self.graph.edge_weights() {
            for &c in &edge.support.claims {
                shown[c] = true;
            }
        }
        shown
            .iter_enumerated()
            .filter(|&(_, &s)| s)
            .map(|(c, _)| c)
            .collect()
    }
}

#[cfg(test)]
mod tests;
