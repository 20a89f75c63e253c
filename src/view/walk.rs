//! The one breadth-first walk of a view ([`breadth_first`]), and the walk of the entities view
//! through the database that `neighbors` and `path` take ([`walk_entities`]): its edges at an
//! entity are what `draw.rs` says the claims and curated links touching it draw, so they
//! are the edges `export --view entities` draws.

use std::collections::{BTreeMap, VecDeque};

use super::ViewKind;
use super::draw::{End, Mark, Refs, draw, draw_link, draws_links};
use crate::model::RefField;
use crate::store::StoreError;
use crate::store::snapshot::{ClaimIndex, ClaimLinks};

/// How a walk reached a node.
#[derive(Debug, Clone)]
pub struct Reached<N, E> {
    /// Steps from the start.
    pub depth: usize,
    /// Every edge that leads to the node from a node one step nearer the start, with that node,
    /// in the order the walk met them (the first is the one the walk took); empty at the start.
    /// Two entities linked by several relations (a group that deserted from an army and is
    /// searched for by it) are linked by each.
    pub edges: Vec<(N, E)>,
}

/// Walks breadth-first from `start` to every node within `depth` steps, stopping once `until`
/// is reached. `step` gives the edges at a node (with the node at the other end), in the order
/// to take them; it is asked about every node reached, those `depth` steps away too (a
/// neighbourhood needs the edges between them; a caller that does not says so by giving none).
pub fn breadth_first<N: Ord + Clone, E, X>(
    start: N,
    depth: usize,
    until: Option<&N>,
    mut step: impl FnMut(&N, usize) -> Result<Vec<(N, E)>, X>,
) -> Result<BTreeMap<N, Reached<N, E>>, X> {
    let mut reached = BTreeMap::new();
    reached.insert(
        start.clone(),
        Reached {
            depth: 0,
            edges: Vec::new(),
        },
    );
    let mut queue = VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        if until.is_some_and(|t| reached.contains_key(t)) {
            break;
        }
        let here = reached[&node].depth;
        for (other, edge) in step(&node, here)? {
            if here >= depth {
                break;
            }
            match reached.get_mut(&other) {
                None => {
                    queue.push_back(other.clone());
                    reached.insert(
                        other,
                        Reached {
                            depth: here + 1,
                            edges: vec![(node.clone(), edge)],
                        },
                    );
                }
                Some(seen) if seen.depth == here + 1 => seen.edges.push((node.clone(), edge)),
                Some(_) => {}
            }
        }
    }
    Ok(reached)
}

/// What an edge of the entities view says: a predicate of the claims behind it, or a curated
/// field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Relation {
    Predicate(String),
    Field(RefField),
}

impl Relation {
    /// The predicate's id or the field's name.
    pub fn as_str(&self) -> &str {
        match self {
            Relation::Predicate(p) => p,
            Relation::Field(f) => f.as_str(),
        }
    }
}

/// One edge of the entities view, seen from one end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityEdge {
    pub other: String,
    pub relation: Relation,
    /// True when the edge points from the entity to `other`.
    pub outgoing: bool,
    /// Claims stating it; 0 for a curated field.
    pub claims: usize,
}

/// The entities view's edges at one entity, other than loops back to it, sorted by the entity
/// at the other end, the relation's name and direction: what the claims in which it is subject
/// or object, and the curated links from or to it, draw there.
pub fn entity_edges(index: &ClaimIndex<'_>, id: &str) -> Result<Vec<EntityEdge>, StoreError> {
    let kind = ViewKind::Entities;
    let claims = claims_at(kind, index, id)?;
    // (other, relation's name, outgoing, curated) → the relation and its claims; a predicate and
    // a field of one name stay two edges.
    let mut edges: BTreeMap<(String, String, bool, bool), (Relation, usize)> = BTreeMap::new();
    let mut add = |mark: Mark<&str>, relation: &dyn Fn() -> Relation, claims: usize| {
        let Mark::Edge {
            from: End::Entity(from),
            to: End::Entity(to),
            ..
        } = mark
        else {
            return;
        };
        let (other, outgoing) = match (from == id, to == id) {
            (true, false) => (to, true),
            (false, true) => (from, false),
            // A loop reaches nothing new, and an edge elsewhere is no edge at `id`.
            _ => return,
        };
        let relation = relation();
        let curated = matches!(relation, Relation::Field(_));
        edges
            .entry((
                other.to_owned(),
                relation.as_str().to_owned(),
                outgoing,
                curated,
            ))
            .or_insert((relation, 0))
            .1 += claims;
    };
    for claim in claims.values() {
        marks(kind, claim, |mark| {
            add(mark, &|| Relation::Predicate(claim.predicate.clone()), 1);
        });
    }
    link_marks(kind, index, id, |mark, field| {
        add(mark, &|| Relation::Field(field), 0);
    })?;
    Ok(edges
        .into_iter()
        .map(|((other, _, outgoing, _), (relation, claims))| EntityEdge {
            other,
            relation,
            outgoing,
            claims,
        })
        .collect())
}

/// The claims that draw something at the entity `id` in the view (those in which it plays a
/// role the view draws), each once, by id.
pub(super) fn claims_at(
    kind: ViewKind,
    index: &ClaimIndex<'_>,
    id: &str,
) -> Result<BTreeMap<String, ClaimLinks>, StoreError> {
    let mut claims = BTreeMap::new();
    for &role in kind.roles() {
        for claim in index.claims_with(role, id)? {
            claims.entry(claim.id.clone()).or_insert(claim);
        }
    }
    Ok(claims)
}

/// What `claim` draws in the view, its entities named by id.
pub(super) fn marks(kind: ViewKind, claim: &ClaimLinks, mark: impl FnMut(Mark<&str>)) {
    let citing: Vec<&str> = claim.citing.iter().map(String::as_str).collect();
    let refs = Refs {
        reporter: claim.reporter.as_str(),
        subject: claim.subject.as_str(),
        object: claim.object.as_deref(),
        citing: &citing,
    };
    draw(kind, refs, mark);
}

/// What the curated links from or to the entity `id` draw in the view, each mark with its
/// field; a view that draws no links does not ask the database.
pub(super) fn link_marks(
    kind: ViewKind,
    index: &ClaimIndex<'_>,
    id: &str,
    mut mark: impl FnMut(Mark<&str>, RefField),
) -> Result<(), StoreError> {
    if !draws_links(kind) {
        return Ok(());
    }
    for link in index.links_at(id)? {
        draw_link(
            kind,
            link.from.as_str(),
            link.field,
            link.to.as_str(),
            |m| mark(m, link.field),
        );
    }
    Ok(())
}

/// Walks the entities view from the entity `start`, up to `depth` steps, stopping once `until`
/// is reached; neighbours are taken in [`entity_edges`]' order, so the walk is the same every
/// time.
pub fn walk_entities(
    index: &ClaimIndex<'_>,
    start: &str,
    depth: usize,
    until: Option<&str>,
) -> Result<BTreeMap<String, Reached<String, EntityEdge>>, StoreError> {
    let until = until.map(str::to_owned);
    breadth_first(start.to_owned(), depth, until.as_ref(), |node, here| {
        if here >= depth {
            return Ok(Vec::new());
        }
        Ok(entity_edges(index, node)?
            .into_iter()
            .map(|edge| (edge.other.clone(), edge))
            .collect())
    })
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;

    use super::*;

    /// a → b, a → c, b → d, c → d, d → e: two ways to d, one step longer to e.
    fn step(node: &char, _: usize) -> Result<Vec<(char, &'static str)>, Infallible> {
        Ok(match node {
            'a' => vec![('b', "ab"), ('c', "ac")],
            'b' => vec![('a', "ba"), ('d', "bd")],
            'c' => vec![('a', "ca"), ('d', "cd")],
            'd' => vec![('b', "db"), ('c', "dc"), ('e', "de")],
            _ => Vec::new(),
        })
    }

    #[test]
    fn a_walk_keeps_every_edge_from_one_step_nearer_and_stops_at_its_depth() {
        let Ok(reached) = breadth_first('a', 2, None, step);
        let depths: Vec<(char, usize)> = reached.iter().map(|(&n, r)| (n, r.depth)).collect();
        assert_eq!(depths, [('a', 0), ('b', 1), ('c', 1), ('d', 2)]);
        // d is reached from b and from c, both one step nearer; the first is the one taken.
        assert_eq!(reached[&'d'].edges, [('b', "bd"), ('c', "cd")]);
        // An edge back to a nearer node is no way to reach it.
        assert_eq!(reached[&'b'].edges, [('a', "ab")]);
    }

    #[test]
    fn a_walk_with_a_goal_stops_once_it_is_reached() {
        let mut asked = Vec::new();
        let Ok(reached) = breadth_first('a', 10, Some(&'b'), |node, depth| {
            asked.push(*node);
            step(node, depth)
        });
        assert!(reached.contains_key(&'b'));
        assert_eq!(asked, ['a'], "nothing is asked once the goal is reached");
    }
}
