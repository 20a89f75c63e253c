//! The views the exports draw, made from a built database: `entities` (the claims folded into
//! one edge per subject–predicate–object), `provenance` (reporter → claim → subject, with citing
//! chains) and `citations` (who cites whom); and the neighbourhood of one node in any of them.
//!
//! Nodes and edges are added in id order, and every list an edge carries is sorted, so the same
//! database gives the same view, and the exports the same bytes.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::fmt;

use petgraph::graph::{DiGraph, NodeIndex};

use crate::model::Stance;
use crate::store::export::{ClaimRow, ClaimTarget, ConflictRow, EntityRow, ExportData, SourceRow};

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
}

impl fmt::Display for ViewKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a node stands for: an index into [`ExportData::entities`] or [`ExportData::claims`].
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

#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// Distinct origins (ends of the citing chains, else reporters): the independent sources.
    pub origins: Vec<usize>,
    /// Distinct source documents, indexes into [`ExportData::sources`].
    pub documents: Vec<usize>,
    pub stance: Stances,
    /// Every claim is hedged ("reportedly", "could not be verified").
    pub hedged: bool,
    /// Some claim contradicts another claim.
    pub conflicting: bool,
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
    lookup: Lookup,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FocusError {
    #[error("no entity or claim has the id `{0}`")]
    Unknown(String),
    #[error("`{id}` is not part of the {view} view")]
    NotInView { id: String, view: ViewKind },
}

/// Indexes by id, and which claims are in conflict with which.
#[derive(Debug)]
struct Lookup {
    entities: HashMap<String, usize>,
    claims: HashMap<String, usize>,
    sources: HashMap<String, usize>,
    predicates: HashMap<String, usize>,
    /// For each claim, the conflicts it is part of (indexes into [`ExportData::conflicts`]).
    conflicts: Vec<Vec<usize>>,
    /// For each entity, its curated links (indexes into [`ExportData::links`]).
    links: Vec<Vec<usize>>,
}

impl Lookup {
    fn new(data: &ExportData) -> Lookup {
        let claims = positions(data.claims.iter().map(|c| &c.id));
        let mut conflicts = vec![Vec::new(); data.claims.len()];
        for (i, conflict) in data.conflicts.iter().enumerate() {
            for id in [&conflict.claim_a, &conflict.claim_b] {
                if let Some(&c) = claims.get(id) {
                    conflicts[c].push(i);
                }
            }
        }
        let entities = positions(data.entities.iter().map(|e| &e.id));
        let mut links = vec![Vec::new(); data.entities.len()];
        for (i, link) in data.links.iter().enumerate() {
            links[entities[&link.entity]].push(i);
        }
        Lookup {
            entities,
            links,
            sources: positions(data.sources.iter().map(|s| &s.id)),
            predicates: positions(data.predicates.iter().map(|p| &p.id)),
            claims,
            conflicts,
        }
    }

    /// The database's foreign keys guarantee every reference resolves.
    fn entity(&self, id: &str) -> usize {
        self.entities[id]
    }
}

/// Each id's position in its list.
fn positions<'d>(ids: impl Iterator<Item = &'d String>) -> HashMap<String, usize> {
    ids.enumerate().map(|(i, id)| (id.clone(), i)).collect()
}

impl<'a> View<'a> {
    pub fn new(kind: ViewKind, data: &'a ExportData) -> View<'a> {
        let lookup = Lookup::new(data);
        let mut builder = Builder::new(data, &lookup);
        match kind {
            ViewKind::Entities => builder.entities(),
            ViewKind::Provenance => builder.provenance(),
            ViewKind::Citations => builder.citations(),
        }
        let graph = builder.finish();
        View {
            kind,
            data,
            graph,
            focus: None,
            lookup,
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
            return Err(
                if self.lookup.entities.contains_key(id) || self.lookup.claims.contains_key(id) {
                    FocusError::NotInView {
                        id: id.to_owned(),
                        view: self.kind,
                    }
                } else {
                    FocusError::Unknown(id.to_owned())
                },
            );
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
    pub fn node_label(&self, n: NodeIndex) -> String {
        match self.graph[n].item {
            Item::Entity(e) => self.data.entities[e].name.clone(),
            Item::Claim(c) => self.claim_label(c),
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
        format!(
            "{not}{} {}",
            self.predicate_label(&c.predicate),
            self.target_text(c)
        )
    }

    /// A claim as a sentence: "North Korean deserters not detained by Russian authorities".
    pub fn claim_sentence(&self, claim: usize) -> String {
        let c = &self.data.claims[claim];
        format!(
            "{} {}",
            self.entity(&c.subject).name,
            self.claim_label(claim)
        )
    }

    /// The object's name, or the value as written.
    pub fn target_text(&self, claim: &ClaimRow) -> String {
        match &claim.target {
            ClaimTarget::Entity(id) => self.entity(id).name.clone(),
            ClaimTarget::Value(v) => v.to_text(),
        }
    }

    pub fn predicate_label(&self, id: &str) -> &'a str {
        &self.data.predicates[self.lookup.predicates[id]].label
    }

    pub fn entity(&self, id: &str) -> &'a EntityRow {
        &self.data.entities[self.lookup.entity(id)]
    }

    pub fn source(&self, id: &str) -> &'a SourceRow {
        &self.data.sources[self.lookup.sources[id]]
    }

    /// The conflicts a claim is part of.
    pub fn conflicts_of(&self, claim: usize) -> impl Iterator<Item = &'a ConflictRow> + '_ {
        self.lookup.conflicts[claim]
            .iter()
            .map(|&i| &self.data.conflicts[i])
    }

    /// An entity's curated links by field (`part_of`, `nationality`, `outlet`, …), in the
    /// order of the fields' names, each field's targets in the order written.
    pub fn links_of(&self, entity: usize) -> Vec<(&'a str, Vec<&'a str>)> {
        let mut fields: BTreeMap<&'a str, Vec<&'a str>> = BTreeMap::new();
        for &i in &self.lookup.links[entity] {
            let link = &self.data.links[i];
            fields.entry(&link.field).or_default().push(&link.target);
        }
        fields.into_iter().collect()
    }

    /// Every claim the view shows, on a node or on an edge, in id order.
    pub fn claims(&self) -> Vec<usize> {
        let mut claims: BTreeSet<usize> = BTreeSet::new();
        for node in self.graph.node_weights() {
            if let Item::Claim(c) = node.item {
                claims.insert(c);
            }
            claims.extend(&node.values);
        }
        for edge in self.graph.edge_weights() {
            claims.extend(&edge.support.claims);
        }
        claims.into_iter().collect()
    }
}

/// Collects nodes and edges, then adds them to the graph in id order.
struct Builder<'a> {
    data: &'a ExportData,
    lookup: &'a Lookup,
    nodes: BTreeMap<Item, Vec<usize>>,
    edges: BTreeMap<String, (Item, Item, EdgeKind, Vec<usize>)>,
}

impl<'a> Builder<'a> {
    fn new(data: &'a ExportData, lookup: &'a Lookup) -> Builder<'a> {
        Builder {
            data,
            lookup,
            nodes: BTreeMap::new(),
            edges: BTreeMap::new(),
        }
    }

    fn entity(&self, id: &str) -> Item {
        Item::Entity(self.lookup.entity(id))
    }

    fn edge(&mut self, id: String, from: Item, to: Item, kind: EdgeKind, claim: Option<usize>) {
        self.nodes.entry(from).or_default();
        self.nodes.entry(to).or_default();
        let entry = self
            .edges
            .entry(id)
            .or_insert_with(|| (from, to, kind, Vec::new()));
        entry.3.extend(claim);
    }

    fn entities(&mut self) {
        let data = self.data;
        for (c, claim) in data.claims.iter().enumerate() {
            let subject = self.entity(&claim.subject);
            match &claim.target {
                ClaimTarget::Entity(object) => {
                    let predicate = self.lookup.predicates[&claim.predicate];
                    self.edge(
                        format!("statement/{}/{}/{object}", claim.subject, claim.predicate),
                        subject,
                        self.entity(object),
                        EdgeKind::Statement { predicate },
                        Some(c),
                    );
                }
                ClaimTarget::Value(_) => self.nodes.entry(subject).or_default().push(c),
            }
        }
    }

    fn provenance(&mut self) {
        let data = self.data;
        for (c, claim) in data.claims.iter().enumerate() {
            let node = Item::Claim(c);
            self.nodes.entry(node).or_default();
            self.edge(
                format!("reported/{}", claim.id),
                self.entity(&claim.reporter),
                node,
                EdgeKind::Reported,
                Some(c),
            );
            for (i, cited) in claim.citing.iter().enumerate() {
                self.edge(
                    format!("cites/{}/{}", claim.id, i + 1),
                    node,
                    self.entity(cited),
                    EdgeKind::Cites { position: i + 1 },
                    Some(c),
                );
            }
            self.edge(
                format!("about/{}", claim.id),
                node,
                self.entity(&claim.subject),
                EdgeKind::About,
                Some(c),
            );
        }
    }

    fn citations(&mut self) {
        let data = self.data;
        for (c, claim) in data.claims.iter().enumerate() {
            let chain: Vec<&String> = std::iter::once(&claim.reporter)
                .chain(&claim.citing)
                .collect();
            for step in chain.windows(2) {
                self.edge(
                    format!("citation/{}/{}", step[0], step[1]),
                    self.entity(step[0]),
                    self.entity(step[1]),
                    EdgeKind::Citation,
                    Some(c),
                );
            }
        }
    }

    fn finish(self) -> DiGraph<ViewNode, ViewEdge> {
        let mut graph = DiGraph::with_capacity(self.nodes.len(), self.edges.len());
        let mut index = BTreeMap::new();
        for (item, values) in self.nodes {
            let node = graph.add_node(ViewNode { item, values });
            index.insert(item, node);
        }
        for (id, (from, to, kind, claims)) in self.edges {
            let support = support(self.data, self.lookup, claims);
            graph.add_edge(index[&from], index[&to], ViewEdge { id, kind, support });
        }
        graph
    }
}

fn support(data: &ExportData, lookup: &Lookup, mut claims: Vec<usize>) -> Support {
    claims.sort_unstable();
    claims.dedup();
    let distinct = |f: &dyn Fn(&ClaimRow) -> usize| -> Vec<usize> {
        let set: BTreeSet<usize> = claims.iter().map(|&c| f(&data.claims[c])).collect();
        set.into_iter().collect()
    };
    let reporters = distinct(&|c| lookup.entity(&c.reporter));
    let origins = distinct(&|c| lookup.entity(&c.origin));
    let documents = distinct(&|c| lookup.sources[&c.source]);
    let affirmed = claims
        .iter()
        .any(|&c| data.claims[c].stance == Stance::Affirms);
    let denied = claims
        .iter()
        .any(|&c| data.claims[c].stance == Stance::Denies);
    let stance = match (affirmed, denied) {
        (true, true) => Stances::Both,
        (false, true) => Stances::Denied,
        // Every edge is made from at least one claim, so this is the affirming case.
        (_, false) => Stances::Affirmed,
    };
    Support {
        hedged: !claims.is_empty() && claims.iter().all(|&c| data.claims[c].hedged),
        conflicting: claims.iter().any(|&c| !lookup.conflicts[c].is_empty()),
        reporters,
        origins,
        documents,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EntityKind;
    use crate::store::export::{ConflictRow, PredicateRow, StoredValue};

    fn entity(id: &str, kind: EntityKind) -> EntityRow {
        EntityRow {
            id: id.to_owned(),
            kind,
            name: id.to_uppercase(),
            aliases: Vec::new(),
            description: None,
            reliability: None,
        }
    }

    fn source(id: &str) -> SourceRow {
        SourceRow {
            id: id.to_owned(),
            file: format!("{id}.txt"),
            title: None,
            language: None,
            published: None,
            outlet: None,
            author: None,
            url: None,
        }
    }

    fn claim(
        id: &str,
        source: &str,
        citing: &[&str],
        target: ClaimTarget,
        stance: Stance,
    ) -> ClaimRow {
        let citing: Vec<String> = citing.iter().map(|c| (*c).to_owned()).collect();
        ClaimRow {
            id: id.to_owned(),
            source: source.to_owned(),
            reporter: source.to_owned(),
            origin: citing.last().cloned().unwrap_or_else(|| source.to_owned()),
            citing,
            interested: false,
            subject: "a".to_owned(),
            predicate: match target {
                ClaimTarget::Entity(_) => "held_by".to_owned(),
                ClaimTarget::Value(_) => "count".to_owned(),
            },
            target,
            when: None,
            stance,
            hedged: false,
            quote: format!("quote of {id}"),
            note: None,
        }
    }

    /// Two documents disagree on whether `a` is held by `b`; the first also counts `a`, citing
    /// `c`, who cites `d`.
    fn data() -> ExportData {
        let held = || ClaimTarget::Entity("b".to_owned());
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
            sources: vec![source("s1"), source("s2")],
            claims: vec![
                claim("c1", "s1", &["c"], held(), Stance::Affirms),
                claim("c2", "s2", &[], held(), Stance::Denies),
                claim(
                    "c3",
                    "s1",
                    &["c", "d"],
                    ClaimTarget::Value(StoredValue::Integer(18)),
                    Stance::Affirms,
                ),
            ],
            links: Vec::new(),
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
        // Origins: `c` for the first document, the second document itself.
        let origins: Vec<&str> = support
            .origins
            .iter()
            .map(|&e| data.entities[e].id.as_str())
            .collect();
        assert_eq!(origins, ["c", "s2"]);
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
}
