//! The flat attributes of nodes and edges that the tool formats carry (Cytoscape.js, node-link,
//! GraphML, GEXF): one fixed list of keys with types, so every format declares the same
//! attributes and a reader finds the same values in each. Curated fields keep their names, but
//! `type`, which is `category` (sigma.js reserves `type`).

use std::borrow::Cow;

use petgraph::graph::{EdgeIndex, NodeIndex};
use serde::{Serialize, Serializer};

use crate::store::snapshot::{ClaimTarget, RowEntity, StoredValue};
use crate::view::{EdgeKind, Item, Support, View, claim_stances};

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

/// The curated fields whose attribute has another name, and that name. `type` is `category`:
/// sigma.js (and Gephi Lite, built on it) takes a node's or edge's `type` attribute for the name
/// of the program that draws it and stops at a `media` or `city` it has no program for.
const RENAMED_FIELDS: &[(&str, &str)] = &[("type", "category")];

/// The node key that carries a curated field in the tool formats: the field's own name, but for
/// those in [`RENAMED_FIELDS`]. (claimgraph's own JSON keeps the field names.)
pub fn field_key(field: &str) -> Option<&'static Key> {
    let name = RENAMED_FIELDS
        .iter()
        .find(|(from, _)| *from == field)
        .map_or(field, |(_, to)| *to);
    NODE_KEYS.iter().find(|k| k.name == name)
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
        "wikidata",
        AttrType::Text,
        "curated: the entity's Wikidata item, `Q…`",
    ),
    key(
        "reliability",
        AttrType::Text,
        "Admiralty grade A–F of an entity that reports",
    ),
    key(
        "category",
        AttrType::Text,
        "curated `type`: what sort of organisation (media, intelligence-service, …), unit or place",
    ),
    key("iso", AttrType::Text, "curated: a country's ISO 3166 code"),
    key("born", AttrType::Text, "curated: a person's date of birth"),
    key("lat", AttrType::Real, "curated: a place's latitude"),
    key("lon", AttrType::Real, "curated: a place's longitude"),
    key(
        "file",
        AttrType::Text,
        "curated: a source's document file, under seeds/",
    ),
    key("title", AttrType::Text, "curated: a source's title"),
    key(
        "language",
        AttrType::Text,
        "curated: a source's language, BCP 47",
    ),
    key(
        "published",
        AttrType::Text,
        "curated: when a source was published",
    ),
    key(
        "url",
        AttrType::Text,
        "curated: where a source was published",
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
        "voice",
        AttrType::Text,
        "claim: the outermost whole the origin is part of, else the origin: one voice",
    ),
    key(
        "interested",
        AttrType::Boolean,
        "claim: the origin is a party to the statement",
    ),
    key(
        "aligned",
        AttrType::Boolean,
        "claim: the origin only shares a country with a party to the statement",
    ),
    key("subject", AttrType::Text, "claim: the entity it is about"),
    key(
        "predicate",
        AttrType::Text,
        "claim: the relation, a vocabulary id",
    ),
    key("object", AttrType::Text, "claim: the object entity"),
    // Not `value`: Cytoscape's elements name a node by `value` for networkx.
    key(
        "object_value",
        AttrType::Text,
        "claim: the value (a number, text or date), when the object is not an entity",
    ),
    key(
        "when",
        AttrType::Text,
        "claim: when the reported thing happened; event (curated): when it happened",
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
    key(
        "conflicts_with",
        AttrType::Ids,
        "claim: the claims it contradicts",
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
    key(
        "label",
        AttrType::Text,
        "predicate label, curated field, or the relation",
    ),
    key(
        "kind",
        AttrType::Text,
        "statement, reported, cites, about, citation, link (a curated field)",
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
        "quotes",
        AttrType::Texts,
        "the words of the document of each of those claims, in the order of `claims`",
    ),
    key(
        "reporters",
        AttrType::Ids,
        "distinct reporters of those claims",
    ),
    key(
        "affirming",
        AttrType::Integer,
        "independent origins (voices) of the affirming claims",
    ),
    key(
        "denying",
        AttrType::Integer,
        "independent origins (voices) of the denying claims, never counted as support",
    ),
    key(
        "affirming_origins",
        AttrType::Ids,
        "the voices that affirm the edge",
    ),
    key("denying_origins", AttrType::Ids, "the voices that deny it"),
    key(
        "documents",
        AttrType::Integer,
        "distinct documents the claims appear in",
    ),
    key(
        "stance",
        AttrType::Text,
        "affirms, denies or both; curated for a link, which no claim is behind",
    ),
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
        "contested",
        AttrType::Boolean,
        "some claim denies the edge or contradicts another",
    ),
    key(
        "weight",
        AttrType::Real,
        "statement: affirming independent origins (0.1 when only denied); citation: claims; else 1",
    ),
];

/// One attribute's value, borrowing from the rows where it can.
#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue<'a> {
    Text(Cow<'a, str>),
    Integer(i64),
    Real(f64),
    Boolean(bool),
    Ids(Vec<&'a str>),
    Texts(Vec<Cow<'a, str>>),
}

impl AttrValue<'_> {
    /// The value as text, for XML formats: ids joined with a space (ids contain none), texts
    /// with ` | `.
    pub fn to_text(&self) -> Cow<'_, str> {
        match self {
            AttrValue::Text(t) => Cow::Borrowed(t),
            AttrValue::Integer(i) => Cow::Owned(i.to_string()),
            // Whole numbers as `2.0`, which every XML reader takes for a double; the rest in
            // full (a latitude keeps its digits).
            AttrValue::Real(r) if r.fract() == 0.0 => Cow::Owned(format!("{r:.1}")),
            AttrValue::Real(r) => Cow::Owned(r.to_string()),
            AttrValue::Boolean(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            AttrValue::Ids(items) => Cow::Owned(items.join(" ")),
            AttrValue::Texts(items) => Cow::Owned(items.join(" | ")),
        }
    }
}

/// In the JSON tool formats: lists are arrays, the rest their JSON type.
impl Serialize for AttrValue<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            AttrValue::Text(t) => serializer.serialize_str(t),
            AttrValue::Integer(i) => serializer.serialize_i64(*i),
            AttrValue::Real(r) => serializer.serialize_f64(*r),
            AttrValue::Boolean(b) => serializer.serialize_bool(*b),
            AttrValue::Ids(items) => serializer.collect_seq(items),
            AttrValue::Texts(items) => serializer.collect_seq(items),
        }
    }
}

/// A node's or edge's id, ends and attributes as one JSON object for the JSON tool formats,
/// keys in the order of their names (the order of a `serde_json::Map`, which they were first
/// written as).
#[derive(Debug)]
pub struct Fields<'a>(Vec<(&'a str, AttrValue<'a>)>);

impl<'a> Fields<'a> {
    /// The fields `first` (ids, ends) and `attributes`, sorted by name.
    pub fn new(
        first: Vec<(&'a str, &'a str)>,
        attributes: Vec<(&'static Key, AttrValue<'a>)>,
    ) -> Fields<'a> {
        let mut fields: Vec<(&'a str, AttrValue<'a>)> = first
            .into_iter()
            .map(|(name, id)| (name, AttrValue::Text(Cow::Borrowed(id))))
            .chain(attributes.into_iter().map(|(key, value)| (key.name, value)))
            .collect();
        fields.sort_by(|a, b| a.0.cmp(b.0));
        Fields(fields)
    }

    pub fn get(&self, name: &str) -> Option<&AttrValue<'a>> {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
}

impl Serialize for Fields<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(name, value)| (name, value)))
    }
}

/// A node's attributes that have a value, in [`NODE_KEYS`] order.
pub fn node<'a>(view: &View<'a>, n: NodeIndex) -> Vec<(&'static Key, AttrValue<'a>)> {
    let mut out: Vec<(&'static str, AttrValue<'a>)> = vec![
        ("label", AttrValue::Text(view.node_label(n))),
        ("kind", AttrValue::Text(Cow::Borrowed(view.node_kind(n)))),
    ];
    let text = |s: &'a str| AttrValue::Text(Cow::Borrowed(s));
    let node = &view.graph[n];
    match node.item {
        Item::Entity(e) => {
            let entity = view.entity(e);
            if let Some(d) = &entity.description {
                out.push(("description", text(d)));
            }
            if !entity.aliases.is_empty() {
                let aliases = entity.aliases.iter().map(|a| Cow::Borrowed(a.as_str()));
                out.push(("aliases", AttrValue::Texts(aliases.collect())));
            }
            if let Some(w) = &entity.wikidata {
                out.push(("wikidata", text(w)));
            }
            if let Some(r) = &entity.reliability {
                out.push(("reliability", text(r)));
            }
            for field in &entity.fields {
                // Every scalar field has a key (a test below holds them together).
                if let Some(key) = field_key(&field.name) {
                    out.push((key.name, field_value(key, &field.value)));
                }
            }
            for (field, targets) in view.links_of(e) {
                // Every reference field has a key (a test below holds them together).
                if let Some(key) = field_key(field) {
                    out.push((key.name, AttrValue::Ids(targets)));
                }
            }
            if !node.values.is_empty() {
                let values = node
                    .values
                    .iter()
                    .map(|&c| {
                        let claim = view.claim(c);
                        Cow::Owned(format!(
                            "{}: {}",
                            view.predicate(claim.predicate).label,
                            view.target_text(claim)
                        ))
                    })
                    .collect();
                let ids = node.values.iter().map(|&c| view.claim(c).id.as_str());
                out.push(("values", AttrValue::Texts(values)));
                out.push(("value_claims", AttrValue::Ids(ids.collect())));
            }
        }
        Item::Claim(c) => {
            let claim = view.claim(c);
            out.push(("document", text(view.source_id(claim))));
            out.push(("reporter", text(view.entity_id(claim.reporter))));
            if !claim.citing.is_empty() {
                let citing = claim.citing.iter().map(|&e| view.entity_id(e));
                out.push(("citing", AttrValue::Ids(citing.collect())));
            }
            out.push(("origin", text(view.entity_id(claim.origin))));
            out.push(("voice", text(view.entity_id(claim.voice))));
            out.push(("interested", AttrValue::Boolean(claim.interested)));
            out.push(("aligned", AttrValue::Boolean(claim.aligned)));
            out.push(("subject", text(view.entity_id(claim.subject))));
            out.push(("predicate", text(&view.predicate(claim.predicate).id)));
            match &claim.target {
                ClaimTarget::Entity(e) => out.push(("object", text(view.entity_id(*e)))),
                ClaimTarget::Value(StoredValue::Text(t)) => out.push(("object_value", text(t))),
                ClaimTarget::Value(v) => {
                    out.push(("object_value", AttrValue::Text(v.to_text().into())))
                }
            }
            if let Some(when) = &claim.when {
                out.push(("when", text(when)));
            }
            out.push(("stance", text(claim_stances(claim).as_str())));
            out.push(("hedged", AttrValue::Boolean(claim.hedged)));
            out.push((
                "conflicting",
                AttrValue::Boolean(!claim.conflicts.is_empty()),
            ));
            let mut others: Vec<&'a str> = Vec::new();
            for conflict in view.conflicts_of(claim) {
                let other = if conflict.claim_a == claim.id {
                    &conflict.claim_b
                } else {
                    &conflict.claim_a
                };
                // One pair may conflict for more than one reason.
                if !others.contains(&other.as_str()) {
                    others.push(other);
                }
            }
            if !others.is_empty() {
                out.push(("conflicts_with", AttrValue::Ids(others)));
            }
            out.push(("quote", text(&claim.quote)));
            if let Some(note) = &claim.note {
                out.push(("note", text(note)));
            }
        }
    }
    in_order(NODE_KEYS, out)
}

/// A curated scalar field's value as its key's type: a number for `lat` and `lon`, text else.
fn field_value<'a>(key: &Key, value: &'a StoredValue) -> AttrValue<'a> {
    match (key.ty, value) {
        (AttrType::Real, StoredValue::Integer(i)) => AttrValue::Real(*i as f64),
        (AttrType::Real, StoredValue::Real(r)) => AttrValue::Real(*r),
        (_, StoredValue::Text(t)) => AttrValue::Text(Cow::Borrowed(t)),
        (_, other) => AttrValue::Text(Cow::Owned(other.to_text())),
    }
}

/// An edge's attributes that have a value, in [`EDGE_KEYS`] order.
pub fn edge<'a>(view: &View<'a>, e: EdgeIndex) -> Vec<(&'static Key, AttrValue<'a>)> {
    let edge = &view.graph[e];
    let support = &edge.support;
    let mut out: Vec<(&'static str, AttrValue<'a>)> = vec![
        ("label", AttrValue::Text(edge_label(view, &edge.kind))),
        ("kind", AttrValue::Text(Cow::Borrowed(edge.kind.as_str()))),
    ];
    match &edge.kind {
        EdgeKind::Statement { predicate } => out.push((
            "predicate",
            AttrValue::Text(Cow::Borrowed(&view.predicate(*predicate).id)),
        )),
        EdgeKind::Cites { position } => out.push((
            "position",
            AttrValue::Integer(i64::try_from(*position).unwrap_or(i64::MAX)),
        )),
        _ => {}
    }
    let count = |n: usize| AttrValue::Integer(i64::try_from(n).unwrap_or(i64::MAX));
    let claims = support.claims.iter().map(|&c| view.claim(c).id.as_str());
    out.push(("claims", AttrValue::Ids(claims.collect())));
    out.push(("claim_count", count(support.claims.len())));
    let quotes = support
        .claims
        .iter()
        .map(|&c| Cow::Borrowed(view.claim(c).quote.as_str()));
    out.push(("quotes", AttrValue::Texts(quotes.collect())));
    let reporters = support.reporters.iter().map(|&r| view.entity_id(r));
    out.push(("reporters", AttrValue::Ids(reporters.collect())));
    out.push(("affirming", count(support.affirming.len())));
    out.push(("denying", count(support.denying.len())));
    let voices =
        |list: &[RowEntity]| AttrValue::Ids(list.iter().map(|&v| view.entity_id(v)).collect());
    out.push(("affirming_origins", voices(&support.affirming)));
    out.push(("denying_origins", voices(&support.denying)));
    out.push(("documents", count(support.documents.len())));
    out.push((
        "stance",
        AttrValue::Text(Cow::Borrowed(support.stance.as_str())),
    ));
    out.push(("hedged", AttrValue::Boolean(support.hedged)));
    out.push(("conflicting", AttrValue::Boolean(support.conflicting)));
    out.push(("contested", AttrValue::Boolean(support.contested())));
    out.push(("weight", AttrValue::Real(weight(&edge.kind, support))));
    in_order(EDGE_KEYS, out)
}

/// An edge's weight in tools (Gephi's layouts and rankings, line widths): for a statement, the
/// independent origins that affirm it, so that a denial never adds weight; for a step of
/// citing chains, the claims that take it; for the edges of one claim and a curated link, 1. A
/// statement only
/// denied weighs [`DENIED_WEIGHT`], less than any affirmed one: Gephi drops an edge of weight 0,
/// and the denial would vanish from the graph.
pub fn weight(kind: &EdgeKind, support: &Support) -> f64 {
    let n = match kind {
        EdgeKind::Statement { .. } if support.affirming.is_empty() => return DENIED_WEIGHT,
        EdgeKind::Statement { .. } => support.affirming.len(),
        EdgeKind::Citation => support.claims.len(),
        EdgeKind::Reported | EdgeKind::Cites { .. } | EdgeKind::About | EdgeKind::Link { .. } => 1,
    };
    n as f64
}

/// The weight of a statement no voice affirms.
pub const DENIED_WEIGHT: f64 = 0.1;

/// How an edge kind reads in a diagram or tool: the predicate label, the curated field, or the
/// relation.
pub fn edge_label<'a>(view: &View<'a>, kind: &EdgeKind) -> Cow<'a, str> {
    match kind {
        EdgeKind::Statement { predicate } => Cow::Borrowed(&view.predicate(*predicate).label),
        EdgeKind::Cites { position } => Cow::Owned(format!("cites ({position})")),
        EdgeKind::Citation => Cow::Borrowed("cites"),
        EdgeKind::Link { field } => Cow::Borrowed(field.as_str()),
        other => Cow::Borrowed(other.as_str()),
    }
}

fn in_order<'a>(
    keys: &'static [Key],
    values: Vec<(&'static str, AttrValue<'a>)>,
) -> Vec<(&'static Key, AttrValue<'a>)> {
    let mut out: Vec<(usize, AttrValue<'a>)> = values
        .into_iter()
        .map(|(name, value)| {
            let at = keys
                .iter()
                .position(|k| k.name == name)
                .expect("every attribute has a key");
            (at, value)
        })
        .collect();
    out.sort_by_key(|(at, _)| *at);
    out.into_iter()
        .map(|(at, value)| (&keys[at], value))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reference_field_has_a_node_key() {
        for field in crate::model::RefField::ALL {
            assert!(field_key(field.as_str()).is_some(), "{}", field.as_str());
        }
    }

    #[test]
    fn every_scalar_field_has_a_node_key() {
        use crate::load::records::{FieldSpec, kind_fields};
        for kind in crate::model::EntityKind::ALL {
            for spec in kind_fields(kind) {
                if let FieldSpec::Scalar(name, _) = spec {
                    assert!(field_key(name).is_some(), "{kind:?}: {name}");
                }
            }
        }
    }

    /// The names the formats give a node's or edge's own id and ends: an attribute of that name
    /// would write the key twice (`value` and `key` are networkx's ids in Cytoscape's elements
    /// and node-link). And `type`: sigma.js and Gephi Lite read a node's or edge's `type` as
    /// the name of the program that draws it, and stop at a curated `media` or `city`.
    #[test]
    fn no_attribute_takes_a_name_the_formats_use_for_ids() {
        for name in ["id", "value", "name", "key", "source", "target", "type"] {
            assert!(
                !NODE_KEYS.iter().chain(EDGE_KEYS).any(|k| k.name == name),
                "{name}"
            );
        }
    }

    /// sigma.js (and Gephi Lite) draw a node or edge by these attributes. Only `label` is one of
    /// ours, meaning what sigma.js takes it for (the name shown); the graphology export adds
    /// `x`, `y`, `size` and `color` itself, which an attribute of that name would write twice or
    /// give another meaning; `hidden`, `forceLabel`, `zIndex` and `highlighted` would hide,
    /// label or raise nodes by a value that means something else.
    #[test]
    fn only_label_is_an_attribute_sigma_draws_by() {
        for name in [
            "x",
            "y",
            "size",
            "color",
            "type",
            "hidden",
            "forceLabel",
            "zIndex",
            "highlighted",
        ] {
            assert!(
                !NODE_KEYS.iter().chain(EDGE_KEYS).any(|k| k.name == name),
                "{name}"
            );
        }
        for keys in [NODE_KEYS, EDGE_KEYS] {
            assert_eq!(keys[0].name, "label");
        }
    }

    /// Each curated field has a key of its own: a renamed field must not land on the key of
    /// another.
    #[test]
    fn no_two_curated_fields_share_a_key() {
        use crate::load::records::{FieldSpec, kind_fields};
        let mut fields: Vec<&str> = crate::model::RefField::ALL
            .iter()
            .map(|f| f.as_str())
            .collect();
        for kind in crate::model::EntityKind::ALL {
            for spec in kind_fields(kind) {
                if let FieldSpec::Scalar(name, _) = spec {
                    fields.push(name);
                }
            }
        }
        fields.sort_unstable();
        fields.dedup();
        let mut keys: Vec<&str> = fields
            .iter()
            .filter_map(|f| field_key(f).map(|k| k.name))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), fields.len());
        assert_eq!(field_key("type").map(|k| k.name), Some("category"));
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
