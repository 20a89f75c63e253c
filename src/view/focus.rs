//! Neighbourhoods: the nodes of a view within some steps of one node, cut from the whole view
//! ([`View::focus`]) or found by walking the database's indexes ([`neighbourhood`]) and built
//! from just their rows ([`View::around`]); both walk with [`breadth_first`].

use std::collections::BTreeMap;
use std::convert::Infallible;

use super::draw::{End, Mark};
use super::walk::{breadth_first, claims_at, link_marks, marks};
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
    #[error("`{id}` is not part of the {view} view of the document `{document}`")]
    NotInDocument {
        id: String,
        view: ViewKind,
        document: String,
    },
}

impl<'a> View<'a> {
    /// Cuts the view down to the nodes within `depth` steps of `id`, in either direction, and
    /// the edges between them.
    pub fn focus(&self, id: &str, depth: usize) -> Result<View<'a>, FocusError> {
        let Some(start) = self.find(id) else {
            let known = self.snapshot.entity_position(id).is_some()
                || self.snapshot.claim_position(id).is_some();
            return Err(if let (true, Some(source)) = (known, self.document) {
                FocusError::NotInDocument {
                    id: id.to_owned(),
                    view: self.kind,
                    document: self.source(source).id.clone(),
                }
            } else if known {
                FocusError::NotInView {
                    id: id.to_owned(),
                    view: self.kind,
                }
            } else {
                FocusError::Unknown(id.to_owned())
            });
        };
        let Ok(reached) = breadth_first(start, depth, None, |&node, _| {
            Ok::<_, Infallible>(
                self.graph
                    .neighbors_undirected(node)
                    .map(|n| (n, ()))
                    .collect(),
            )
        });
        let graph = self.graph.filter_map(
            |n, node| reached.contains_key(&n).then(|| node.clone()),
            |_, edge| Some(edge.clone()),
        );
        Ok(View {
            graph,
            focus: Some(Focus {
                id: id.to_owned(),
                depth,
            }),
            kind: self.kind,
            snapshot: self.snapshot,
            document: self.document,
            texts: self.texts,
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

/// Walks the view breadth-first from `id`, asking `index` for the claims and curated links
/// that touch each node reached; `None` when `id` is not a node of the view (the whole view then
/// says why). The nodes `depth` steps away are asked too, since an edge may join two of them.
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
    let mut claims: BTreeMap<String, ClaimLinks> = BTreeMap::new();
    // Whether a curated link draws the focus: it is then a node of the view, claims or none.
    let mut linked = false;
    let reached = breadth_first(start.clone(), depth, None, |node, _| {
        let mut next = Vec::new();
        let touching: Vec<ClaimLinks> = match node {
            Node::Entity(e) => {
                link_marks(kind, index, e, |mark, _| {
                    if let Some(other) = across(mark, node, "") {
                        linked |= *node == start;
                        next.push((other, ()));
                    }
                })?;
                claims_at(kind, index, e)?.into_values().collect()
            }
            Node::Claim(c) => index.claim(c)?.into_iter().collect(),
        };
        for claim in touching {
            marks(kind, &claim, |mark| {
                next.extend(across(mark, node, &claim.id).map(|other| (other, ())));
            });
            claims.entry(claim.id.clone()).or_insert(claim);
        }
        Ok::<_, StoreError>(next)
    })?;
    let walk = Walk {
        kind,
        nodes: reached.into_keys().collect(),
        claims,
    };
    Ok(walk.neighbourhood(&start, linked))
}

/// A node of a view as the walk names it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
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

/// What a walk has reached: the nodes within its depth, and the claims that touch the nodes it
/// has asked about.
#[derive(Debug)]
struct Walk {
    kind: ViewKind,
    nodes: std::collections::BTreeSet<Node>,
    claims: BTreeMap<String, ClaimLinks>,
}

impl Walk {
    /// Whether `end` of an edge of `claim` was reached.
    fn has(&self, end: End<&str>, claim: &str) -> bool {
        match end {
            End::Entity(e) => self.nodes.contains(&Node::Entity(e.to_owned())),
            End::Claim => self.nodes.contains(&Node::Claim(claim.to_owned())),
        }
    }

    /// The nodes reached and the claims that draw something among them; `None` if neither a
    /// claim nor a curated link (`linked`) draws the focus, so it is no node of the view.
    fn neighbourhood(self, start: &Node, linked: bool) -> Option<Neighbourhood> {
        let mut drawn = linked;
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
        let (mut entities, mut claim_nodes) = (Vec::new(), Vec::new());
        for node in self.nodes {
            match node {
                Node::Entity(id) => entities.push(id),
                Node::Claim(id) => claim_nodes.push(id),
            }
        }
        drawn.then_some(Neighbourhood {
            entities,
            claim_nodes,
            claims: needed,
        })
    }
}
