//! The views the exports draw, made from a built database: `entities` (the claims folded into
//! one edge per subject–predicate–object), `provenance` (reporter → claim → subject, with citing
//! chains) and `citations` (who cites whom); and the neighbourhood of one node in any of them,
//! cut from the whole view ([`View::focus`]) or found by walking the database's indexes
//! ([`neighbourhood`]) and built from just its rows ([`View::around`]).
//!
//! Nodes and edges are added in id order, and every list an edge carries is sorted, so the same
//! database gives the same view, and the exports the same bytes.

use std::borrow::Cow;
use std::collections::{BTreeMap, VecDeque};
use std::fmt;

use petgraph::graph::{DiGraph, NodeIndex};
use rayon::prelude::*;

use crate::model::Stance;
use crate::store::StoreError;
use crate::store::export::{ClaimIndex, ClaimLinks, ClaimRow, ClaimTarget, ExportData, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ViewKind {
    /// Entities only; one edge per subject–predicate–object of the claims.
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

/// What a node stands for: a position in [`ExportData::entities`] or [`ExportData::claims`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Item {
    Entity(usize),
    Claim(usize),
}

#[derive(Debug, Clone)]
pub struct ViewNode {
    pub item: Item,
    /// Claims that give the entity a value rather than link it to another entity (an age, a
    /// count, an assessment); only the entity view has them, since its edges join entities.
    pub values: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EdgeKind {
    /// The claims of one subject, predicate (index into [`ExportData::predicates`]) and object.
    Statement { predicate: usize },
    /// reporter → claim
    Reported,
    /// claim → one entity of its citing chain; position 1 is the nearest.
    Cites { position: usize },
    /// claim → its subject
    About,
    /// One step of citing chains, from the entity that cites to the entity cited.
    Citation,
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
        }
    }
}

/// What the claims behind a node or edge agree on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stances {
    Affirmed,
    Denied,
    /// Some claims affirm and some deny.
    Both,
}

impl Stances {
    pub fn as_str(self) -> &'static str {
        match self {
            Stances::Affirmed => "affirms",
            Stances::Denied => "denies",
            Stances::Both => "both",
        }
    }
}

/// The claims behind an edge and what they add up to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Support {
    /// Indexes into [`ExportData::claims`], in id order.
    pub claims: Vec<usize>,
    /// Distinct reporters, entity indexes in id order.
    pub reporters: Vec<usize>,
    /// Distinct voices of the affirming claims (their origins after `part_of`), entity indexes
    /// in index order: the independent origins that corroborate the edge.
    pub affirming: Vec<usize>,
    /// Distinct voices of the denying claims: the independent origins against it. They never
    /// count towards `affirming`, the edge's weight or its line width.
    pub denying: Vec<usize>,
    /// Distinct source documents, indexes into [`ExportData::sources`].
    pub documents: Vec<usize>,
    pub stance: Stances,
    /// Every claim is hedged ("reportedly", "could not be verified").
    pub hedged: bool,
    /// Some claim contradicts another claim.
    pub conflicting: bool,
}

impl Support {
    /// Some claim denies what the edge says, or contradicts another claim.
    pub fn contested(&self) -> bool {
        !self.denying.is_empty() || self.conflicting
    }
}

#[derive(Debug, Clone)]
pub struct ViewEdge {
    /// Unique in the view, also between parallel edges: `statement/<subject>/<predicate>/<object>`,
    /// `reported/<claim>`, `cites/<claim>/<position>`, `about/<claim>`, `citation/<from>/<to>`.
    pub id: String,
    pub kind: EdgeKind,
    pub support: Support,
}

/// The neighbourhood a view was cut down to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focus {
    pub id: String,
    pub depth: usize,
}

/// A view: a petgraph graph whose nodes and edges point into the rows it was made from.
#[derive(Debug)]
pub struct View<'a> {
    pub kind: ViewKind,
    pub data: &'a ExportData,
    pub graph: DiGraph<ViewNode, ViewEdge>,
    pub focus: Option<Focus>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FocusError {
    #[error("no entity or claim has the id `{0}`")]
    Unknown(String),
    #[error("`{id}` is not part of the {view} view")]
    NotInView { id: String, view: ViewKind },
}

impl<'a> View<'a> {
    /// The whole view of `data`.
    pub fn new(kind: ViewKind, data: &'a ExportData) -> View<'a> {
        View {
            kind,
            data,
            graph: Builder::new(kind, data, None).build(),
            focus: None,
        }
    }

    /// The neighbourhood `near` (found by [`neighbourhood`]) of the view, from `data` read for
    /// it ([`crate::store::export::read_claims`]): the same nodes and edges, with the same
    /// claims behind them, as the whole view cut by [`View::focus`].
    pub fn around(
        kind: ViewKind,
        data: &'a ExportData,
        near: &Neighbourhood,
        focus: Focus,
    ) -> View<'a> {
        let mut keep = Keep {
            entities: vec![false; data.entities.len()],
            claims: vec![false; data.claims.len()],
        };
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
            data,
            graph: Builder::new(kind, data, Some(&keep)).build(),
            focus: Some(focus),
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

    pub fn node_id(&self, n: NodeIndex) -> &'a str {
        match self.graph[n].item {
            Item::Entity(e) => &self.data.entities[e].id,
            Item::Claim(c) => &self.data.claims[c].id,
        }
    }

    /// The node's kind: an entity kind, or `claim`.
    pub fn node_kind(&self, n: NodeIndex) -> &'static str {
        match self.graph[n].item {
            Item::Entity(e) => self.data.entities[e].kind.as_str(),
            Item::Claim(_) => "claim",
        }
    }

    /// The entity's name, or the claim's short form ("not detained by Russian authorities").
    pub fn node_label(&self, n: NodeIndex) -> Cow<'a, str> {
        match self.graph[n].item {
            Item::Entity(e) => Cow::Borrowed(&self.data.entities[e].name),
            Item::Claim(c) => Cow::Owned(self.claim_label(c)),
        }
    }

    /// A claim as a short phrase without its subject: "not detained by Russian authorities".
    pub fn claim_label(&self, claim: usize) -> String {
        let c = &self.data.claims[claim];
        let not = if c.stance == Stance::Denies {
            "not "
        } else {
            ""
        };
        let predicate = &self.data.predicates[c.predicate].label;
        match &c.target {
            ClaimTarget::Entity(e) => format!("{not}{predicate} {}", self.data.entities[*e].name),
            ClaimTarget::Value(v) => format!("{not}{predicate} {}", v.to_text()),
        }
    }

    /// A claim as a sentence: "North Korean deserters not detained by Russian authorities".
    pub fn claim_sentence(&self, claim: usize) -> String {
        let c = &self.data.claims[claim];
        format!(
            "{} {}",
            self.data.entities[c.subject].name,
            self.claim_label(claim)
        )
    }

    /// The object's name, or the value as written.
    pub fn target_text(&self, claim: &ClaimRow) -> String {
        match &claim.target {
            ClaimTarget::Entity(e) => self.data.entities[*e].name.clone(),
            ClaimTarget::Value(v) => v.to_text(),
        }
    }

    /// The entity's id.
    pub fn entity_id(&self, entity: usize) -> &'a str {
        &self.data.entities[entity].id
    }

    /// The entity's name.
    pub fn entity_name(&self, entity: usize) -> &'a str {
        &self.data.entities[entity].name
    }

    /// A claim's source document's id.
    pub fn source_id(&self, claim: &ClaimRow) -> &'a str {
        &self.data.sources[claim.source].id
    }

    /// An entity's curated links by field (`part_of`, `nationality`, `outlet`, …), in the
    /// order of the fields' names, each field's targets in the order written.
    pub fn links_of(&self, entity: usize) -> Vec<(&'a str, Vec<&'a str>)> {
        let mut fields: Vec<(&'a str, Vec<&'a str>)> = Vec::new();
        for link in &self.data.entities[entity].links {
            match fields.last_mut() {
                Some((field, targets)) if *field == link.field => targets.push(&link.target),
                _ => fields.push((&link.field, vec![&link.target])),
            }
        }
        fields
    }

    /// Every claim the view shows, on a node or on an edge, in id order.
    pub fn claims(&self) -> Vec<usize> {
        let mut shown = vec![false; self.data.claims.len()];
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
        (0..shown.len()).filter(|&c| shown[c]).collect()
    }
}

/// One thing a claim adds to a view, its entities named by `E`: positions when building a
/// view from rows, ids when walking the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark<E> {
    /// The claim's own node.
    ClaimNode,
    /// A value shown on its subject's node.
    Value(E),
    /// An edge; the predicate of a statement is the claim's.
    Edge {
        from: End<E>,
        to: End<E>,
        kind: Line,
    },
}

/// An end of a claim's edge: an entity, or the claim itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End<E> {
    Entity(E),
    Claim,
}

/// [`EdgeKind`] without the predicate, which only the rows know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    Statement,
    Reported,
    Cites { position: usize },
    About,
    Citation,
}

/// A claim's entities, named by `E`.
#[derive(Debug, Clone, Copy)]
struct Refs<'r, E> {
    reporter: E,
    subject: E,
    object: Option<E>,
    /// Nearest first.
    citing: &'r [E],
}

/// What one claim draws in a view: the one definition of the three views, shared by the
/// builder and the walk through the database, so a neighbourhood found by one is the
/// neighbourhood the other draws.
fn draw<E: Copy>(kind: ViewKind, claim: Refs<'_, E>, mut mark: impl FnMut(Mark<E>)) {
    let Refs {
        reporter,
        subject,
        object,
        citing,
    } = claim;
    match kind {
        ViewKind::Entities => match object {
            Some(object) => mark(Mark::Edge {
                from: End::Entity(subject),
                to: End::Entity(object),
                kind: Line::Statement,
            }),
            None => mark(Mark::Value(subject)),
        },
        ViewKind::Provenance => {
            mark(Mark::ClaimNode);
            mark(Mark::Edge {
                from: End::Entity(reporter),
                to: End::Claim,
                kind: Line::Reported,
            });
            for (i, &cited) in citing.iter().enumerate() {
                mark(Mark::Edge {
                    from: End::Claim,
                    to: End::Entity(cited),
                    kind: Line::Cites { position: i + 1 },
                });
            }
            mark(Mark::Edge {
                from: End::Claim,
                to: End::Entity(subject),
                kind: Line::About,
            });
        }
        ViewKind::Citations => {
            let mut from = reporter;
            for &to in citing {
                mark(Mark::Edge {
                    from: End::Entity(from),
                    to: End::Entity(to),
                    kind: Line::Citation,
                });
                from = to;
            }
        }
    }
}

/// The nodes a neighbourhood keeps, by position in the rows it was read with.
#[derive(Debug)]
struct Keep {
    entities: Vec<bool>,
    claims: Vec<bool>,
}

/// One claim's share in one edge, before the claims of each edge are gathered.
type Share = (Item, Item, EdgeKind, usize);

/// Collects what the claims draw, then adds nodes and edges to the graph in id order.
struct Builder<'a> {
    kind: ViewKind,
    data: &'a ExportData,
    keep: Option<&'a Keep>,
    /// Per entity: `None` if it is no node, else the claims giving it values.
    entities: Vec<Option<Vec<usize>>>,
    /// Per claim: whether it is a node.
    claims: Vec<bool>,
    shares: Vec<Share>,
}

impl<'a> Builder<'a> {
    fn new(kind: ViewKind, data: &'a ExportData, keep: Option<&'a Keep>) -> Builder<'a> {
        Builder {
            kind,
            data,
            keep,
            entities: vec![None; data.entities.len()],
            claims: vec![false; data.claims.len()],
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

    fn build(mut self) -> DiGraph<ViewNode, ViewEdge> {
        let data = self.data;
        for (c, claim) in data.claims.iter().enumerate() {
            let refs = Refs {
                reporter: claim.reporter,
                subject: claim.subject,
                object: match claim.target {
                    ClaimTarget::Entity(e) => Some(e),
                    ClaimTarget::Value(_) => None,
                },
                citing: &claim.citing,
            };
            let item = |end: End<usize>| match end {
                End::Entity(e) => Item::Entity(e),
                End::Claim => Item::Claim(c),
            };
            draw(self.kind, refs, |mark| match mark {
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
                        let kind = match kind {
                            Line::Statement => EdgeKind::Statement {
                                predicate: claim.predicate,
                            },
                            Line::Reported => EdgeKind::Reported,
                            Line::Cites { position } => EdgeKind::Cites { position },
                            Line::About => EdgeKind::About,
                            Line::Citation => EdgeKind::Citation,
                        };
                        self.shares.push((from, to, kind, c));
                    }
                }
            });
        }
        // A neighbourhood keeps its nodes even when no claim it read draws them, as a
        // neighbourhood of depth 0 does.
        if let Some(keep) = self.keep {
            for (e, &kept) in keep.entities.iter().enumerate() {
                if kept {
                    self.node(Item::Entity(e));
                }
            }
            for (c, &kept) in keep.claims.iter().enumerate() {
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
                let claims = shares.iter().map(|share| share.3).collect();
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
        let mut entity_nodes = vec![NodeIndex::end(); data.entities.len()];
        for (e, values) in self.entities.into_iter().enumerate() {
            if let Some(values) = values {
                entity_nodes[e] = graph.add_node(ViewNode {
                    item: Item::Entity(e),
                    values,
                });
            }
        }
        let mut claim_nodes = vec![NodeIndex::end(); data.claims.len()];
        for (c, _) in self.claims.iter().enumerate().filter(|(_, node)| **node) {
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
fn edge_id(data: &ExportData, from: Item, to: Item, kind: EdgeKind) -> String {
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
    }
}

/// What the claims of an edge (sorted, distinct) add up to.
fn support(data: &ExportData, claims: Vec<usize>) -> Support {
    let rows = || claims.iter().map(|&c| &data.claims[c]);
    let distinct = |f: fn(&ClaimRow) -> usize, stance: Option<Stance>| -> Vec<usize> {
        let mut items: Vec<usize> = rows()
            .filter(|c| stance.is_none_or(|s| c.stance == s))
            .map(f)
            .collect();
        items.sort_unstable();
        items.dedup();
        items
    };
    let affirmed = rows().any(|c| c.stance == Stance::Affirms);
    let denied = rows().any(|c| c.stance == Stance::Denies);
    let stance = match (affirmed, denied) {
        (true, true) => Stances::Both,
        (false, true) => Stances::Denied,
        // Every edge is made from at least one claim, so this is the affirming case.
        (_, false) => Stances::Affirmed,
    };
    Support {
        reporters: distinct(|c| c.reporter, None),
        affirming: distinct(|c| c.voice, Some(Stance::Affirms)),
        denying: distinct(|c| c.voice, Some(Stance::Denies)),
        documents: distinct(|c| c.source, None),
        hedged: !claims.is_empty() && rows().all(|c| c.hedged),
        conflicting: rows().any(|c| !c.conflicts.is_empty()),
        stance,
        claims,
    }
}

/// The stance of one claim, as the edges and nodes that show it report it.
pub fn claim_stances(claim: &ClaimRow) -> Stances {
    match claim.stance {
        Stance::Affirms => Stances::Affirmed,
        Stance::Denies => Stances::Denied,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EntityKind;
    use crate::store::export::{ConflictRow, EntityRow, PredicateRow, SourceRow, StoredValue};

    fn entity(id: &str, kind: EntityKind) -> EntityRow {
        EntityRow {
            id: id.to_owned(),
            kind,
            name: id.to_uppercase(),
            aliases: Vec::new(),
            description: None,
            reliability: None,
            links: Vec::new(),
        }
    }

    fn source(id: &str, entity: usize) -> SourceRow {
        SourceRow {
            id: id.to_owned(),
            entity,
            file: format!("{id}.txt"),
            title: None,
            language: None,
            published: None,
            outlet: None,
            author: None,
            url: None,
        }
    }

    /// A claim about `a` (entity 0) reported by the source document `source` (entity 4 + source).
    fn claim(
        id: &str,
        source: usize,
        citing: &[usize],
        target: ClaimTarget,
        stance: Stance,
    ) -> ClaimRow {
        let reporter = 4 + source;
        let origin = citing.last().copied().unwrap_or(reporter);
        ClaimRow {
            id: id.to_owned(),
            source,
            reporter,
            origin,
            voice: origin,
            citing: citing.to_vec(),
            interested: false,
            aligned: false,
            subject: 0,
            predicate: match target {
                ClaimTarget::Entity(_) => 1,
                ClaimTarget::Value(_) => 0,
            },
            target,
            when: None,
            stance,
            hedged: false,
            quote: format!("quote of {id}"),
            note: None,
            conflicts: Vec::new(),
        }
    }

    /// Two documents disagree on whether `a` is held by `b`; the first also counts `a`, citing
    /// `c`, who cites `d`.
    fn data() -> ExportData {
        let held = || ClaimTarget::Entity(1);
        let mut claims = vec![
            claim("c1", 0, &[2], held(), Stance::Affirms),
            claim("c2", 1, &[], held(), Stance::Denies),
            claim(
                "c3",
                0,
                &[2, 3],
                ClaimTarget::Value(StoredValue::Integer(18)),
                Stance::Affirms,
            ),
        ];
        claims[0].conflicts = vec![0];
        claims[1].conflicts = vec![0];
        ExportData {
            entities: vec![
                entity("a", EntityKind::Group),
                entity("b", EntityKind::Organisation),
                entity("c", EntityKind::Organisation),
                entity("d", EntityKind::Country),
                entity("s1", EntityKind::Source),
                entity("s2", EntityKind::Source),
            ],
            predicates: vec![
                PredicateRow {
                    id: "count".to_owned(),
                    label: "count".to_owned(),
                },
                PredicateRow {
                    id: "held_by".to_owned(),
                    label: "held by".to_owned(),
                },
            ],
            sources: vec![source("s1", 4), source("s2", 5)],
            claims,
            conflicts: vec![ConflictRow {
                claim_a: "c1".to_owned(),
                claim_b: "c2".to_owned(),
                reason: "opposite-stance".to_owned(),
                detail: "one claim affirms what the other denies".to_owned(),
            }],
        }
    }

    fn ids<'a>(view: &View<'a>) -> (Vec<&'a str>, Vec<String>) {
        (
            view.node_ids().collect(),
            view.graph.edge_weights().map(|e| e.id.clone()).collect(),
        )
    }

    #[test]
    fn the_entity_view_folds_claims_into_one_edge_per_statement() {
        let data = data();
        let view = View::new(ViewKind::Entities, &data);
        assert_eq!(
            ids(&view),
            (vec!["a", "b"], vec!["statement/a/held_by/b".to_owned()])
        );
        let support = &view.graph.edge_weights().next().unwrap().support;
        assert_eq!(support.claims, [0, 1]);
        assert_eq!(support.stance, Stances::Both);
        assert!(support.conflicting);
        // The first document affirms it from `c`; the second document denies it itself, which
        // is a voice against the edge, never one for it.
        let voices =
            |list: &[usize]| -> Vec<&str> { list.iter().map(|&e| view.entity_id(e)).collect() };
        assert_eq!(voices(&support.affirming), ["c"]);
        assert_eq!(voices(&support.denying), ["s2"]);
        assert!(support.contested());
        assert_eq!(support.documents, [0, 1]);
        let a = view.find("a").unwrap();
        assert_eq!(view.graph[a].values, [2]);
    }

    #[test]
    fn the_provenance_view_links_reporters_claims_subjects_and_chains() {
        let data = data();
        let view = View::new(ViewKind::Provenance, &data);
        let (nodes, edges) = ids(&view);
        assert_eq!(nodes, ["a", "c", "d", "s1", "s2", "c1", "c2", "c3"]);
        assert_eq!(
            edges,
            [
                "about/c1",
                "about/c2",
                "about/c3",
                "cites/c1/1",
                "cites/c3/1",
                "cites/c3/2",
                "reported/c1",
                "reported/c2",
                "reported/c3"
            ]
        );
    }

    #[test]
    fn the_citation_view_has_one_edge_per_step_of_the_chains() {
        let data = data();
        let view = View::new(ViewKind::Citations, &data);
        let (nodes, edges) = ids(&view);
        assert_eq!(nodes, ["c", "d", "s1"]);
        assert_eq!(edges, ["citation/c/d", "citation/s1/c"]);
        let first = view
            .graph
            .edge_weights()
            .find(|e| e.id == "citation/s1/c")
            .unwrap();
        assert_eq!(first.support.claims, [0, 2]);
    }

    #[test]
    fn focus_keeps_the_neighbourhood_and_says_why_it_cannot() {
        let data = data();
        let near = View::new(ViewKind::Provenance, &data)
            .focus("c3", 1)
            .unwrap();
        assert_eq!(
            ids(&near),
            (
                vec!["a", "c", "d", "s1", "c3"],
                vec![
                    "about/c3".to_owned(),
                    "cites/c3/1".to_owned(),
                    "cites/c3/2".to_owned(),
                    "reported/c3".to_owned()
                ]
            )
        );
        assert_eq!(near.claims(), [2]);
        let none = View::new(ViewKind::Entities, &data)
            .focus("c1", 1)
            .unwrap_err();
        assert_eq!(
            none,
            FocusError::NotInView {
                id: "c1".to_owned(),
                view: ViewKind::Entities
            }
        );
        let unknown = View::new(ViewKind::Entities, &data)
            .focus("zz", 1)
            .unwrap_err();
        assert_eq!(unknown, FocusError::Unknown("zz".to_owned()));
    }

    #[test]
    fn a_neighbourhood_keeps_its_nodes_even_without_the_claims_that_reach_them() {
        let data = data();
        // Depth 0 around a reporter: no claim is read, the node stays.
        let near = Neighbourhood {
            entities: vec!["s2".to_owned()],
            ..Neighbourhood::default()
        };
        let focus = Focus {
            id: "s2".to_owned(),
            depth: 0,
        };
        let around = View::around(ViewKind::Provenance, &data, &near, focus);
        let cut = View::new(ViewKind::Provenance, &data)
            .focus("s2", 0)
            .unwrap();
        assert_eq!(ids(&around), (vec!["s2"], Vec::new()));
        assert_eq!(ids(&around), ids(&cut));
    }

    #[test]
    fn around_draws_only_the_edges_between_the_nodes_it_keeps() {
        let data = data();
        let near = Neighbourhood {
            entities: vec!["c".to_owned(), "s1".to_owned()],
            claims: vec!["c1".to_owned(), "c3".to_owned()],
            ..Neighbourhood::default()
        };
        let focus = Focus {
            id: "c".to_owned(),
            depth: 1,
        };
        let around = View::around(ViewKind::Citations, &data, &near, focus);
        assert_eq!(
            ids(&around),
            (vec!["c", "s1"], vec!["citation/s1/c".to_owned()])
        );
        assert_eq!(around.claims(), [0, 2]);
    }
}
