//! The knowledge graph: one directed petgraph graph whose nodes are entities and claims, the
//! provenance analysis computed on it (origins, corroboration, conflicts), and the views the
//! exports draw.

pub mod provenance;
pub mod views;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::model::{ClaimObject, Model, RefField};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    /// Index into [`Model::entities`].
    Entity(usize),
    /// Index into [`Model::claims`].
    Claim(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    /// reporter → claim
    Reported,
    /// claim → an entity of its citing chain; position 1 is the nearest.
    Cites { position: u32 },
    /// claim → its subject
    About,
    /// claim → its object entity
    Object,
    /// claim → its source document
    AppearsIn,
    /// A curated field between entities (`part_of`, `nationality`, `published_by`, …).
    Field(RefField),
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Reported => "reported",
            EdgeKind::Cites { .. } => "cites",
            EdgeKind::About => "about",
            EdgeKind::Object => "object",
            EdgeKind::AppearsIn => "appears_in",
            EdgeKind::Field(field) => field.edge_kind(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub kind: EdgeKind,
    /// The claim the edge belongs to, for claim edges.
    pub claim: Option<usize>,
}

/// The graph with a node index for every entity and claim.
#[derive(Debug)]
pub struct KnowledgeGraph {
    pub graph: DiGraph<Node, Edge>,
    pub entity_nodes: Vec<NodeIndex>,
    pub claim_nodes: Vec<NodeIndex>,
}

impl KnowledgeGraph {
    /// Links the model: entities first, then claims, each in model order, so node and edge
    /// indexes are the same for the same input.
    pub fn build(model: &Model) -> KnowledgeGraph {
        let edge_count =
            model.claims.len() * 5 + model.entities.iter().map(|e| e.links.len()).sum::<usize>();
        let mut graph =
            DiGraph::with_capacity(model.entities.len() + model.claims.len(), edge_count);
        let entity_nodes: Vec<NodeIndex> = (0..model.entities.len())
            .map(|i| graph.add_node(Node::Entity(i)))
            .collect();
        for (i, entity) in model.entities.iter().enumerate() {
            for &(field, target) in &entity.links {
                graph.add_edge(
                    entity_nodes[i],
                    entity_nodes[target],
                    Edge {
                        kind: EdgeKind::Field(field),
                        claim: None,
                    },
                );
            }
        }
        let mut claim_nodes = Vec::with_capacity(model.claims.len());
        for (i, claim) in model.claims.iter().enumerate() {
            let node = graph.add_node(Node::Claim(i));
            claim_nodes.push(node);
            let edge = |kind| Edge {
                kind,
                claim: Some(i),
            };
            graph.add_edge(
                entity_nodes[claim.reported_by],
                node,
                edge(EdgeKind::Reported),
            );
            for (position, &cited) in claim.citing.iter().enumerate() {
                let position = u32::try_from(position + 1).expect("short chains");
                graph.add_edge(
                    node,
                    entity_nodes[cited],
                    edge(EdgeKind::Cites { position }),
                );
            }
            graph.add_edge(node, entity_nodes[claim.subject], edge(EdgeKind::About));
            if let ClaimObject::Entity(object) = claim.object {
                graph.add_edge(node, entity_nodes[object], edge(EdgeKind::Object));
            }
            let source = model.documents[claim.document].entity;
            graph.add_edge(node, entity_nodes[source], edge(EdgeKind::AppearsIn));
        }
        KnowledgeGraph {
            graph,
            entity_nodes,
            claim_nodes,
        }
    }

    /// The claim's origin read off the graph: the farthest entity it cites, else its reporter.
    pub fn origin(&self, claim: usize) -> usize {
        let node = self.claim_nodes[claim];
        let cited = self
            .graph
            .edges(node)
            .filter_map(|e| match e.weight().kind {
                EdgeKind::Cites { position } => Some((position, e.target())),
                _ => None,
            })
            .max_by_key(|(position, _)| *position);
        let origin = match cited {
            Some((_, target)) => target,
            None => self
                .graph
                .edges_directed(node, petgraph::Direction::Incoming)
                .find(|e| e.weight().kind == EdgeKind::Reported)
                .map(|e| e.source())
                .expect("every claim has a reporter"),
        };
        match self.graph[origin] {
            Node::Entity(e) => e,
            Node::Claim(_) => unreachable!("claims cite entities"),
        }
    }

    /// The entity and every whole it is `part_of`, transitively, sorted: what it speaks for
    /// and what it is a party to.
    pub fn wholes(&self, entity: usize) -> Vec<usize> {
        let mut seen = vec![entity];
        let mut stack = vec![self.entity_nodes[entity]];
        while let Some(node) = stack.pop() {
            for edge in self.graph.edges(node) {
                if edge.weight().kind == EdgeKind::Field(RefField::PartOf)
                    && let Node::Entity(target) = self.graph[edge.target()]
                    && !seen.contains(&target)
                {
                    seen.push(target);
                    stack.push(edge.target());
                }
            }
        }
        seen.sort_unstable();
        seen
    }
}
