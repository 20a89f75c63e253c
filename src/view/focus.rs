//! Neighbourhoods: the nodes of a view within some steps of one node, cut from the whole view
//! ([`View::focus`]) or found by walking the database's indexes ([`neighbourhood`]) and built
//! from just their rows ([`View::around`]).

use std::collections::{BTreeMap, VecDeque};

use super::draw::{End, Mark, Refs, draw};
use super::{View, ViewKind};
use crate::store::StoreError;
use crate::store::snapshot::{ClaimIndex, ClaimLinks};

/// The neighbourhood a view was cut down to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focus {
    pub id: String,
    pub depth: usize,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FocusError {
    #[error("no entity or claim has the id `{0}`")]
    Unknown(String),
    #[error("`{id}` is not part of the {view} view")]
    NotInView { id: String, view: ViewKind },
}

impl<'a> View<'a> {
    /// Cuts the view down to the nodes within `depth` steps of `id`, in either direction, and
    /// the edges between them.
    pub fn focus(self, id: &str, depth: usize) -> Result<View<'a>, FocusError> {
        let Some(start) = self.find(id) else {
            let known =
                self.data.entity_position(id).is_some() || self.data.claim_position(id).is_some();
            return Err(if known {
                FocusError::NotInView {
                    id: id.to_owned(),
                    view: self.kind,
                }
            } else {
                FocusError::Unknown(id.to_owned())
            });
        };
        let mut distance = vec![usize::MAX; self.graph.node_count()];
        distance[start.index()] = 0;
        let mut queue = VecDeque::from([start]);
        while let Some(node) = queue.pop_front() {
            let next = distance[node.index()] + 1;
            if next > depth {
                continue;
            }
            for neighbour in self.graph.neighbors_undirected(node) {
                if distance[neighbour.index()] == usize::MAX {
                    distance[neighbour.index()] = next;
                    queue.push_back(neighbour);
                }
            }
        }
        let graph = self.graph.filter_map(
            |n, node| (distance[n.index()] <= depth).then(|| node.clone()),
            |_, edge| Some(edge.clone()),
        );
        Ok(View {
            graph,
            focus: Some(Focus {
                id: id.to_owned(),
                depth,
            }),
            ..self
        })
    }
}

/// The nodes of a view within some steps of one node, and the claims behind them and the
/// edges between them: what [`View::around`] draws, found without reading the whole database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Neighbourhood {
    /// The entity nodes, by id, sorted.
    pub entities: Vec<String>,
    /// The claim nodes (provenance), sorted.
    pub claim_nodes: Vec<String>,
    /// Every claim that draws a node or edge of the neighbourhood (a value of an entity, a
    /// claim node, an edge between two of its nodes), sorted.
    pub claims: Vec<String>,
}

/// Walks the view breadth-first from `id`, asking `index` for the claims that touch each node
/// reached; `None` when `id` is not a node of the view (the whole view then says why). The
/// nodes `depth` steps away are asked too, since an edge may join two of them.
pub fn neighbourhood(
    kind: ViewKind,
    id: &str,
    depth: usize,
    index: &ClaimIndex<'_>,
) -> Result<Option<Neighbourhood>, StoreError> {
    let start = if index.claim(id)?.is_some() {
        Node::Claim(id.to_owned())
    } else if index.is_entity(id)? {
        Node::Entity(id.to_owned())
    } else {
        return Ok(None);
    };
    let mut walk = Walk {
        kind,
        entities: BTreeMap::new(),
        claim_nodes: BTreeMap::new(),
        claims: BTreeMap::new(),
    };
    walk.reach(&start, 0);
    let mut queue = VecDeque::from([start.clone()]);
    while let Some(node) = queue.pop_front() {
        let next = walk.distance(&node) + 1;
        let touching = match &node {
            Node::Entity(e) => {
                let mut found = Vec::new();
                for &role in kind.roles() {
                    found.extend(index.claims_with(role, e)?);
                }
                found
            }
            Node::Claim(c) => index.claim(c)?.into_iter().collect(),
        };
        for claim in touching {
            if next <= depth {
                marks(kind, &claim, |mark| {
                    if let Some(other) = across(mark, &node, &claim.id)
                        && walk.reach(&other, next)
                    {
                        queue.push_back(other);
                    }
                });
            }
            walk.claims.entry(claim.id.clone()).or_insert(claim);
        }
    }
    Ok(walk.neighbourhood(&start))
}

/// A node of a view as the walk names it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Entity(String),
    Claim(String),
}

impl Node {
    /// Whether this node is `end` of an edge of `claim`.
    fn is(&self, end: End<&str>, claim: &str) -> bool {
        match (self, end) {
            (Node::Entity(id), End::Entity(e)) => id == e,
            (Node::Claim(id), End::Claim) => id == claim,
            _ => false,
        }
    }
}

/// The node at the other end of `mark` (an edge of `claim`) from `node`, if `node` is one end.
fn across(mark: Mark<&str>, node: &Node, claim: &str) -> Option<Node> {
    let Mark::Edge { from, to, .. } = mark else {
        return None;
    };
    let other = if node.is(from, claim) {
        to
    } else if node.is(to, claim) {
        from
    } else {
        return None;
    };
    Some(match other {
        End::Entity(e) => Node::Entity(e.to_owned()),
        End::Claim => Node::Claim(claim.to_owned()),
    })
}

/// What `claim` draws in the view, its entities named by id.
fn marks(kind: ViewKind, claim: &ClaimLinks, mark: impl FnMut(Mark<&str>)) {
    let citing: Vec<&str> = claim.citing.iter().map(String::as_str).collect();
    let refs = Refs {
        reporter: claim.reporter.as_str(),
        subject: claim.subject.as_str(),
        object: claim.object.as_deref(),
        citing: &citing,
    };
    draw(kind, refs, mark);
}

/// What a walk has reached: each node's distance from the focus, and the claims that touch
/// the nodes it has asked about.
#[derive(Debug)]
struct Walk {
    kind: ViewKind,
    entities: BTreeMap<String, usize>,
    claim_nodes: BTreeMap<String, usize>,
    claims: BTreeMap<String, ClaimLinks>,
}

impl Walk {
    /// Records `node` at `distance`, unless it was reached before; says whether it is new.
    fn reach(&mut self, node: &Node, distance: usize) -> bool {
        let (nodes, id) = match node {
            Node::Entity(id) => (&mut self.entities, id),
            Node::Claim(id) => (&mut self.claim_nodes, id),
        };
        if nodes.contains_key(id) {
            return false;
        }
        nodes.insert(id.clone(), distance);
        true
    }

    fn distance(&self, node: &Node) -> usize {
        match node {
            Node::Entity(id) => self.entities[id],
            Node::Claim(id) => self.claim_nodes[id],
        }
    }

    /// Whether `end` of an edge of `claim` was reached.
    fn has(&self, end: End<&str>, claim: &str) -> bool {
        match end {
            End::Entity(e) => self.entities.contains_key(e),
            End::Claim => self.claim_nodes.contains_key(claim),
        }
    }

    /// The nodes reached and the claims that draw something among them; `None` if no claim
    /// draws the focus at all, so it is no node of the view.
    fn neighbourhood(self, start: &Node) -> Option<Neighbourhood> {
        let mut drawn = false;
        let mut needed = Vec::new();
        for claim in self.claims.values() {
            let mut draws = false;
            marks(self.kind, claim, |mark| {
                let (inside, at_start) = match mark {
                    Mark::ClaimNode => (
                        self.has(End::Claim, &claim.id),
                        start.is(End::Claim, &claim.id),
                    ),
                    Mark::Value(e) => (
                        self.has(End::Entity(e), &claim.id),
                        start.is(End::Entity(e), &claim.id),
                    ),
                    Mark::Edge { from, to, .. } => (
                        self.has(from, &claim.id) && self.has(to, &claim.id),
                        start.is(from, &claim.id) || start.is(to, &claim.id),
                    ),
                };
                draws |= inside;
                drawn |= at_start;
            });
            if draws {
                needed.push(claim.id.clone());
            }
        }
        drawn.then(|| Neighbourhood {
            entities: self.entities.into_keys().collect(),
            claim_nodes: self.claim_nodes.into_keys().collect(),
            claims: needed,
        })
    }
}
