//! The flat attributes of nodes and edges that the tool formats carry (Cytoscape.js, node-link,
//! GraphML, GEXF): one fixed list of keys with types, so every format declares the same
//! attributes and a reader finds the same values in each.

use petgraph::graph::{EdgeIndex, NodeIndex};

use crate::graph::views::{EdgeKind, Item, View, claim_stances};
use crate::store::export::{ClaimTarget, StoredValue};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrType {
    Text,
    Integer,
    Real,
    Boolean,
    /// Several ids: a JSON array, or joined with spaces in XML formats (ids have none).
    Ids,
    /// Several texts: a JSON array, or joined with ` | ` in XML formats.
    Texts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub name: &'static str,
    pub ty: AttrType,
    pub about: &'static str,
}

const fn key(name: &'static str, ty: AttrType, about: &'static str) -> Key {
    Key { name, ty, about }
}

/// Node attributes besides the id, in the order every format writes them.
pub const NODE_KEYS: &[Key] = &[
    key(
        "label",
        AttrType::Text,
        "display name of the entity, or the claim in short",
    ),
    key(
        "kind",
        AttrType::Text,
        "entity kind (person, organisation, …) or `claim`",
    ),
    key(
        "description",
        AttrType::Text,
        "the entity's curated description",
    ),
    key(
        "aliases",
        AttrType::Texts,
        "other names and spellings of the entity",
    ),
    key(
        "reliability",
        AttrType::Text,
        "Admiralty grade A–F of an entity that reports",
    ),
    key(
        "nationality",
        AttrType::Ids,
        "curated: the countries of a person or group",
    ),
    key(
        "country",
        AttrType::Ids,
        "curated: the country of an organisation, unit or place",
    ),
    key(
        "part_of",
        AttrType::Ids,
        "curated: what the entity belongs to",
    ),
    key("place", AttrType::Ids, "curated: where an event happened"),
    key(
        "participants",
        AttrType::Ids,
        "curated: who took part in an event",
    ),
    key(
        "outlet",
        AttrType::Ids,
        "curated: the organisation that published a source",
    ),
    key(
        "author",
        AttrType::Ids,
        "curated: the person who wrote a source",
    ),
    key(
        "values",
        AttrType::Texts,
        "entity view: claimed values of the entity, `predicate: value`",
    ),
    key(
        "value_claims",
        AttrType::Ids,
        "entity view: the claims giving those values",
    ),
    key(
        "document",
        AttrType::Text,
        "claim: the source document it appears in",
    ),
    key("reporter", AttrType::Text, "claim: who makes the statement"),
    key(
        "citing",
        AttrType::Ids,
        "claim: whom the reporter cites, nearest first",
    ),
    key(
        "origin",
        AttrType::Text,
        "claim: end of the citing chain, else the reporter",
    ),
    key(
        "interested",
        AttrType::Boolean,
        "claim: the origin is a party to the statement",
    ),
    key("subject", AttrType::Text, "claim: the entity it is about"),
    key(
        "predicate",
        AttrType::Text,
        "claim: the relation, a vocabulary id",
    ),
    key("object", AttrType::Text, "claim: the object entity"),
    key(
        "value",
        AttrType::Text,
        "claim: the value, when the object is not an entity",
    ),
    key(
        "when",
        AttrType::Text,
        "claim: when the reported thing happened",
    ),
    key("stance", AttrType::Text, "claim: affirms or denies"),
    key(
        "hedged",
        AttrType::Boolean,
        "claim: the text itself hedges it",
    ),
    key(
        "conflicting",
        AttrType::Boolean,
        "claim: it contradicts another claim",
    ),
    key("quote", AttrType::Text, "claim: the words of the document"),
    key(
        "note",
        AttrType::Text,
        "claim: the curator's note or translation",
    ),
];

/// Edge attributes besides id, source and target, in the order every format writes them.
pub const EDGE_KEYS: &[Key] = &[
    key("label", AttrType::Text, "predicate label, or the relation"),
    key(
        "kind",
        AttrType::Text,
        "statement, reported, cites, about, citation",
    ),
    key(
        "predicate",
        AttrType::Text,
        "statement: the relation, a vocabulary id",
    ),
    key(
        "position",
        AttrType::Integer,
        "cites: place in the citing chain, 1 = nearest",
    ),
    key("claims", AttrType::Ids, "the claims behind the edge"),
    key(
        "claim_count",
        AttrType::Integer,
        "how many claims are behind the edge",
    ),
    key(
        "reporters",
        AttrType::Ids,
        "distinct reporters of those claims",
    ),
    key(
        "origins",
        AttrType::Integer,
        "distinct origins: the independent sources",
    ),
    key(
        "documents",
        AttrType::Integer,
        "distinct documents the claims appear in",
    ),
    key("stance", AttrType::Text, "affirms, denies or both"),
    key(
        "hedged",
        AttrType::Boolean,
        "every claim behind the edge is hedged",
    ),
    key(
        "conflicting",
        AttrType::Boolean,
        "some claim behind the edge contradicts another",
    ),
    key(
        "weight",
        AttrType::Real,
        "independent origins: line width in tools",
    ),
];

#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    Text(String),
    Integer(i64),
    Real(f64),
    Boolean(bool),
    Ids(Vec<String>),
    Texts(Vec<String>),
}

impl AttrValue {
    /// The value as text, for XML formats: ids joined with a space (ids contain none), texts
    /// with ` | `.
    pub fn to_text(&self) -> String {
        match self {
            AttrValue::Text(t) => t.clone(),
            AttrValue::Integer(i) => i.to_string(),
            AttrValue::Real(r) => format!("{r:.1}"),
            AttrValue::Boolean(b) => b.to_string(),
            AttrValue::Ids(items) => items.join(" "),
            AttrValue::Texts(items) => items.join(" | "),
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        match self {
            AttrValue::Text(t) => t.clone().into(),
            AttrValue::Integer(i) => (*i).into(),
            AttrValue::Real(r) => (*r).into(),
            AttrValue::Boolean(b) => (*b).into(),
            AttrValue::Ids(items) | AttrValue::Texts(items) => items.clone().into(),
        }
    }
}

/// Adds attributes to a JSON object, for the JSON tool formats.
pub fn insert_json(
    data: &mut serde_json::Map<String, serde_json::Value>,
    values: Vec<(&'static Key, AttrValue)>,
) {
    for (key, value) in values {
        data.insert(key.name.to_owned(), value.to_json());
    }
}

/// A node's attributes that have a value, in [`NODE_KEYS`] order.
pub fn node(view: &View<'_>, n: NodeIndex) -> Vec<(&'static Key, AttrValue)> {
    let mut out: Vec<(&'static str, AttrValue)> = vec![
        ("label", AttrValue::Text(view.node_label(n))),
        ("kind", AttrValue::Text(view.node_kind(n).to_owned())),
    ];
    let node = &view.graph[n];
    match node.item {
        Item::Entity(e) => {
            let entity = &view.data.entities[e];
            if let Some(d) = &entity.description {
                out.push(("description", AttrValue::Text(d.clone())));
            }
            if !entity.aliases.is_empty() {
                out.push(("aliases", AttrValue::Texts(entity.aliases.clone())));
            }
            if let Some(r) = &entity.reliability {
                out.push(("reliability", AttrValue::Text(r.clone())));
            }
            for (field, targets) in view.links_of(e) {
                // Every reference field has a key (a test below holds them together).
                if let Some(key) = NODE_KEYS.iter().find(|k| k.name == field) {
                    out.push((
                        key.name,
                        AttrValue::Ids(targets.into_iter().map(str::to_owned).collect()),
                    ));
                }
            }
            if !node.values.is_empty() {
                let values = node
                    .values
                    .iter()
                    .map(|&c| {
                        let claim = &view.data.claims[c];
                        format!(
                            "{}: {}",
                            view.predicate_label(&claim.predicate),
                            view.target_text(claim)
                        )
                    })
                    .collect();
                let ids = node
                    .values
                    .iter()
                    .map(|&c| view.data.claims[c].id.clone())
                    .collect();
                out.push(("values", AttrValue::Texts(values)));
                out.push(("value_claims", AttrValue::Ids(ids)));
            }
        }
        Item::Claim(c) => {
            let claim = &view.data.claims[c];
            let text = |s: &String| AttrValue::Text(s.clone());
            out.push(("document", text(&claim.source)));
            out.push(("reporter", text(&claim.reporter)));
            if !claim.citing.is_empty() {
                out.push(("citing", AttrValue::Ids(claim.citing.clone())));
            }
            out.push(("origin", text(&claim.origin)));
            out.push(("interested", AttrValue::Boolean(claim.interested)));
            out.push(("subject", text(&claim.subject)));
            out.push(("predicate", text(&claim.predicate)));
            match &claim.target {
                ClaimTarget::Entity(id) => out.push(("object", text(id))),
                ClaimTarget::Value(StoredValue::Text(t)) => out.push(("value", text(t))),
                ClaimTarget::Value(v) => out.push(("value", AttrValue::Text(v.to_text()))),
            }
            if let Some(when) = &claim.when {
                out.push(("when", text(when)));
            }
            out.push((
                "stance",
                AttrValue::Text(claim_stances(claim).as_str().to_owned()),
            ));
            out.push(("hedged", AttrValue::Boolean(claim.hedged)));
            out.push((
                "conflicting",
                AttrValue::Boolean(view.conflicts_of(c).next().is_some()),
            ));
            out.push(("quote", text(&claim.quote)));
            if let Some(note) = &claim.note {
                out.push(("note", text(note)));
            }
        }
    }
    in_order(NODE_KEYS, out)
}

/// An edge's attributes that have a value, in [`EDGE_KEYS`] order.
pub fn edge(view: &View<'_>, e: EdgeIndex) -> Vec<(&'static Key, AttrValue)> {
    let edge = &view.graph[e];
    let support = &edge.support;
    let mut out: Vec<(&'static str, AttrValue)> = vec![
        ("label", AttrValue::Text(edge_label(view, &edge.kind))),
        ("kind", AttrValue::Text(edge.kind.as_str().to_owned())),
    ];
    match &edge.kind {
        EdgeKind::Statement { predicate } => out.push((
            "predicate",
            AttrValue::Text(view.data.predicates[*predicate].id.clone()),
        )),
        EdgeKind::Cites { position } => out.push((
            "position",
            AttrValue::Integer(i64::try_from(*position).unwrap_or(i64::MAX)),
        )),
        _ => {}
    }
    let ids = |items: &[usize], id: &dyn Fn(usize) -> String| -> AttrValue {
        AttrValue::Ids(items.iter().map(|&i| id(i)).collect())
    };
    let count = |n: usize| AttrValue::Integer(i64::try_from(n).unwrap_or(i64::MAX));
    out.push((
        "claims",
        ids(&support.claims, &|c| view.data.claims[c].id.clone()),
    ));
    out.push(("claim_count", count(support.claims.len())));
    out.push((
        "reporters",
        ids(&support.reporters, &|r| view.data.entities[r].id.clone()),
    ));
    out.push(("origins", count(support.origins.len())));
    out.push(("documents", count(support.documents.len())));
    out.push((
        "stance",
        AttrValue::Text(support.stance.as_str().to_owned()),
    ));
    out.push(("hedged", AttrValue::Boolean(support.hedged)));
    out.push(("conflicting", AttrValue::Boolean(support.conflicting)));
    out.push(("weight", AttrValue::Real(weight(support.origins.len()))));
    in_order(EDGE_KEYS, out)
}

/// Line weight: the number of independent origins (every edge has at least one claim).
pub fn weight(origins: usize) -> f64 {
    origins as f64
}

/// How an edge kind reads in a diagram or tool: the predicate label, or the relation.
pub fn edge_label(view: &View<'_>, kind: &EdgeKind) -> String {
    match kind {
        EdgeKind::Statement { predicate } => view.data.predicates[*predicate].label.clone(),
        EdgeKind::Cites { position } => format!("cites ({position})"),
        EdgeKind::Citation => "cites".to_owned(),
        other => other.as_str().to_owned(),
    }
}

fn in_order(
    keys: &'static [Key],
    values: Vec<(&'static str, AttrValue)>,
) -> Vec<(&'static Key, AttrValue)> {
    let mut out: Vec<(&'static Key, AttrValue)> = values
        .into_iter()
        .map(|(name, value)| {
            let key = keys
                .iter()
                .find(|k| k.name == name)
                .expect("every attribute has a key");
            (key, value)
        })
        .collect();
    out.sort_by_key(|(key, _)| keys.iter().position(|k| k == *key));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reference_field_has_a_node_key() {
        use crate::model::RefField::*;
        for field in [
            Nationality,
            Country,
            PartOf,
            Place,
            Participants,
            Outlet,
            Author,
        ] {
            assert!(
                NODE_KEYS.iter().any(|k| k.name == field.as_str()),
                "{}",
                field.as_str()
            );
        }
    }

    #[test]
    fn key_names_are_unique() {
        for keys in [NODE_KEYS, EDGE_KEYS] {
            let mut names: Vec<&str> = keys.iter().map(|k| k.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), keys.len());
        }
    }
}
