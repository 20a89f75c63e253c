//! The knowledge graph: one directed petgraph graph whose nodes are entities and claims, the
//! provenance analysis computed on it (origins, corroboration, conflicts); and the `part_of`
//! hierarchy in strongly connected components, which both the check (its cycles) and the
//! analysis (every entity's wholes) read.

pub mod provenance;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use typed_index_collections::{TiSlice, TiVec};

use crate::model::{ClaimIdx, ClaimObject, Entity, EntityIdx, Model, RefField};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    Entity(EntityIdx),
    Claim(ClaimIdx),
}

/// What an edge of the knowledge graph stands for: a role in a claim, or a curated field (the
/// views of the exports draw edges of their own kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeRole {
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

impl EdgeRole {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeRole::Reported => "reported",
            EdgeRole::Cites { .. } => "cites",
            EdgeRole::About => "about",
            EdgeRole::Object => "object",
            EdgeRole::AppearsIn => "appears_in",
            EdgeRole::Field(field) => field.edge_kind(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub kind: EdgeRole,
    /// The claim the edge belongs to, for claim edges.
    pub claim: Option<ClaimIdx>,
}

/// The graph with a node index for every entity and claim.
#[derive(Debug)]
pub struct KnowledgeGraph {
    pub graph: DiGraph<Node, Edge>,
    pub entity_nodes: TiVec<EntityIdx, NodeIndex>,
    pub claim_nodes: TiVec<ClaimIdx, NodeIndex>,
}

impl KnowledgeGraph {
    /// Links the model: entities first, then claims, each in model order, so node and edge
    /// indexes are the same for the same input.
    pub fn build(model: &Model) -> KnowledgeGraph {
        let edge_count =
            model.claims.len() * 5 + model.entities.iter().map(|e| e.links.len()).sum::<usize>();
        let mut graph =
            DiGraph::with_capacity(model.entities.len() + model.claims.len(), edge_count);
        let entity_nodes: TiVec<EntityIdx, NodeIndex> = model
            .entities
            .keys()
            .map(|i| graph.add_node(Node::Entity(i)))
            .collect();
        for (i, entity) in model.entities.iter_enumerated() {
            for &(field, target) in &entity.links {
                graph.add_edge(
                    entity_nodes[i],
                    entity_nodes[target],
                    Edge {
                        kind: EdgeRole::Field(field),
                        claim: None,
                    },
                );
            }
        }
        let mut claim_nodes = TiVec::with_capacity(model.claims.len());
        for (i, claim) in model.claims.iter_enumerated() {
            let node = graph.add_node(Node::Claim(i));
            claim_nodes.push(node);
            let edge = |kind| Edge {
                kind,
                claim: Some(i),
            };
            graph.add_edge(
                entity_nodes[claim.reported_by],
                node,
                edge(EdgeRole::Reported),
            );
            for (position, &cited) in claim.citing.iter().enumerate() {
                let position = u32::try_from(position + 1).expect("short chains");
                graph.add_edge(
                    node,
                    entity_nodes[cited],
                    edge(EdgeRole::Cites { position }),
                );
            }
            graph.add_edge(node, entity_nodes[claim.subject], edge(EdgeRole::About));
            if let ClaimObject::Entity(object) = claim.object {
                graph.add_edge(node, entity_nodes[object], edge(EdgeRole::Object));
            }
            let source = model.documents[claim.document].entity;
            graph.add_edge(node, entity_nodes[source], edge(EdgeRole::AppearsIn));
        }
        KnowledgeGraph {
            graph,
            entity_nodes,
            claim_nodes,
        }
    }

    /// The claim's origin read off the graph: the farthest entity it cites, else its reporter.
    pub fn origin(&self, claim: ClaimIdx) -> EntityIdx {
        let node = self.claim_nodes[claim];
        let cited = self
            .graph
            .edges(node)
            .filter_map(|e| match e.weight().kind {
                EdgeRole::Cites { position } => Some((position, e.target())),
                _ => None,
            })
            .max_by_key(|(position, _)| *position);
        let origin = match cited {
            Some((_, target)) => target,
            None => self
                .graph
                .edges_directed(node, petgraph::Direction::Incoming)
                .find(|e| e.weight().kind == EdgeRole::Reported)
                .map(|e| e.source())
                .expect("every claim has a reporter"),
        };
        match self.graph[origin] {
            Node::Entity(e) => e,
            Node::Claim(_) => unreachable!("claims cite entities"),
        }
    }
}

/// The `part_of` links among entities in strongly connected components: a component of more
/// than one entity, or of one that is `part_of` itself, is a cycle. Found by Kosaraju's
/// algorithm, iterative (a chain of a million links does not deepen the stack) and linear in
/// entities and links.
#[derive(Debug)]
pub struct PartOfComponents {
    /// Each entity's component.
    component: TiVec<EntityIdx, u32>,
    /// The components, wholes before their parts (petgraph gives them in reverse topological
    /// order), each with its members in entity order.
    members: Vec<Vec<EntityIdx>>,
}

impl PartOfComponents {
    pub fn new(entities: &TiSlice<EntityIdx, Entity>) -> PartOfComponents {
        let mut graph: DiGraph<(), ()> = DiGraph::with_capacity(entities.len(), entities.len());
        for _ in entities {
            graph.add_node(());
        }
        for (e, target) in part_of_links(entities) {
            graph.add_edge(
                NodeIndex::new(e.index()),
                NodeIndex::new(target.index()),
                (),
            );
        }
        let mut members: Vec<Vec<EntityIdx>> = petgraph::algo::kosaraju_scc(&graph)
            .into_iter()
            .map(|nodes| {
                let mut members: Vec<EntityIdx> = nodes
                    .into_iter()
                    .map(|n| EntityIdx::from(n.index()))
                    .collect();
                members.sort_unstable();
                members
            })
            .collect();
        members.shrink_to_fit();
        let mut component: TiVec<EntityIdx, u32> = vec![0; entities.len()].into();
        for (c, nodes) in members.iter().enumerate() {
            for &e in nodes {
                component[e] = u32::try_from(c).expect("fewer than 2^32 entities");
            }
        }
        PartOfComponents { component, members }
    }

    /// The cycles of `part_of`: the components of several entities, and the entities that are
    /// `part_of` themselves, each once, in the order of their first member.
    pub fn cycles<'a>(&'a self, entities: &'a TiSlice<EntityIdx, Entity>) -> Vec<&'a [EntityIdx]> {
        let mut cycles: Vec<&[EntityIdx]> = self
            .members
            .iter()
            .filter(|members| match members.as_slice() {
                [one] => part_of_links_of(&entities[*one]).any(|target| target == *one),
                _ => true,
            })
            .map(Vec::as_slice)
            .collect();
        cycles.sort_unstable_by_key(|members| members[0]);
        cycles
    }

    /// Every entity's wholes: itself and everything it is `part_of`, transitively, sorted. The
    /// members of one component share one list, so a cycle of two thousand costs one list of
    /// two thousand, not two thousand of them.
    pub fn wholes(&self, entities: &TiSlice<EntityIdx, Entity>) -> Wholes {
        let mut lists: Vec<Vec<EntityIdx>> = Vec::with_capacity(self.members.len());
        for (c, members) in self.members.iter().enumerate() {
            let mut list = members.clone();
            for &e in members {
                for target in part_of_links_of(&entities[e]) {
                    let whole = self.component[target] as usize;
                    // Wholes come first, so their lists are complete; a link inside the
                    // component adds nothing beyond its members.
                    if whole != c {
                        debug_assert!(whole < c, "wholes come before their parts");
                        list.extend_from_slice(&lists[whole]);
                    }
                }
            }
            list.sort_unstable();
            list.dedup();
            list.shrink_to_fit();
            lists.push(list);
        }
        Wholes {
            component: self.component.clone(),
            lists,
        }
    }
}

/// Each entity's wholes, shared by the members of a `part_of` cycle.
#[derive(Debug)]
pub struct Wholes {
    component: TiVec<EntityIdx, u32>,
    lists: Vec<Vec<EntityIdx>>,
}

impl Wholes {
    /// The entity and every whole it is `part_of`, transitively, sorted: what it speaks for and
    /// what it is a party to.
    pub fn of(&self, entity: EntityIdx) -> &[EntityIdx] {
        &self.lists[self.component[entity] as usize]
    }

    /// The component an entity shares its wholes with: entities of one component have the
    /// same list.
    pub fn component(&self, entity: EntityIdx) -> usize {
        self.component[entity] as usize
    }

    /// The lists, by component.
    pub fn lists(&self) -> &[Vec<EntityIdx>] {
        &self.lists
    }
}

fn part_of_links_of(entity: &Entity) -> impl Iterator<Item = EntityIdx> + '_ {
    entity
        .links
        .iter()
        .filter(|(field, _)| *field == RefField::PartOf)
        .map(|&(_, target)| target)
}

fn part_of_links(
    entities: &TiSlice<EntityIdx, Entity>,
) -> impl Iterator<Item = (EntityIdx, EntityIdx)> + '_ {
    entities
        .iter_enumerated()
        .flat_map(|(e, entity)| part_of_links_of(entity).map(move |target| (e, target)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DefinedAt, EntityKind};

    /// Entities `e0`, `e1`, … with the given `part_of` links.
    fn entities(count: usize, links: &[(usize, usize)]) -> TiVec<EntityIdx, Entity> {
        (0..count)
            .map(|e| Entity {
                id: format!("e{e}"),
                kind: EntityKind::Organisation,
                name: format!("E{e}"),
                aliases: Vec::new(),
                description: None,
                wikidata: None,
                reliability: None,
                fields: Vec::new(),
                links: links
                    .iter()
                    .filter(|(from, _)| *from == e)
                    .map(|&(_, to)| (RefField::PartOf, EntityIdx::from(to)))
                    .collect(),
                defined_at: DefinedAt {
                    file: "test.toml".into(),
                    line: e + 1,
                },
            })
            .collect()
    }

    /// The positions of entities, to compare with numbers.
    fn positions(entities: &[EntityIdx]) -> Vec<usize> {
        entities.iter().map(|e| e.index()).collect()
    }

    fn e(index: usize) -> EntityIdx {
        EntityIdx::from(index)
    }

    #[test]
    fn cycles_are_the_loops_and_the_self_links_each_once() {
        // 0 → 1 → 2 → 0 is a loop; 3 is part of itself; 4 → 5 is a plain hierarchy.
        let entities = entities(6, &[(0, 1), (1, 2), (2, 0), (3, 3), (4, 5), (5, 0)]);
        let components = PartOfComponents::new(&entities);
        let cycles: Vec<Vec<usize>> = components
            .cycles(&entities)
            .into_iter()
            .map(positions)
            .collect();
        assert_eq!(cycles, [vec![0, 1, 2], vec![3]]);
    }

    #[test]
    fn wholes_reach_through_a_loop_and_its_members_share_them() {
        let entities = entities(6, &[(0, 1), (1, 2), (2, 0), (2, 3), (4, 5), (5, 0)]);
        let wholes = PartOfComponents::new(&entities).wholes(&entities);
        assert_eq!(positions(wholes.of(e(0))), [0, 1, 2, 3]);
        assert_eq!(wholes.of(e(1)), wholes.of(e(2)));
        assert_eq!(wholes.component(e(0)), wholes.component(e(2)));
        assert_eq!(positions(wholes.of(e(3))), [3]);
        assert_eq!(positions(wholes.of(e(4))), [0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn a_long_loop_is_one_component_with_one_list() {
        let n = 2000;
        let links: Vec<(usize, usize)> = (0..n).map(|e| (e, (e + 1) % n)).collect();
        let entities = entities(n, &links);
        let components = PartOfComponents::new(&entities);
        assert_eq!(components.cycles(&entities).len(), 1);
        let wholes = components.wholes(&entities);
        assert_eq!(wholes.lists().len(), 1);
        assert_eq!(wholes.of(e(1234)).len(), n);
    }
}
