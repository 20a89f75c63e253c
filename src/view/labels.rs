//! How views name what they show: nodes, claims as phrases and sentences, the objects and
//! documents of claims, and entities' curated links.

use std::borrow::Cow;

use petgraph::graph::NodeIndex;

use super::{Item, View};
use crate::model::Stance;
use crate::store::snapshot::{ClaimRow, ClaimTarget, RowClaim, RowEntity};

impl<'a> View<'a> {
    /// The entity's name, or the claim's short form ("not detained by Russian authorities").
    pub fn node_label(&self, n: NodeIndex) -> Cow<'a, str> {
        match self.graph[n].item {
            Item::Entity(e) => Cow::Borrowed(&self.snapshot.entities[e].name),
            Item::Claim(c) => Cow::Owned(self.claim_label(c)),
        }
    }

    /// A claim as a short phrase without its subject: "not detained by Russian authorities".
    pub fn claim_label(&self, claim: RowClaim) -> String {
        let c = &self.snapshot.claims[claim];
        let not = if c.stance == Stance::Denies {
            "not "
        } else {
            ""
        };
        let predicate = &self.snapshot.predicates[c.predicate].label;
        match &c.target {
            ClaimTarget::Entity(e) => {
                format!("{not}{predicate} {}", self.snapshot.entities[*e].name)
            }
            ClaimTarget::Value(v) => format!("{not}{predicate} {}", v.to_text()),
        }
    }

    /// A claim as a sentence: "North Korean deserters not detained by Russian authorities".
    pub fn claim_sentence(&self, claim: RowClaim) -> String {
        let c = &self.snapshot.claims[claim];
        format!(
            "{} {}",
            self.snapshot.entities[c.subject].name,
            self.claim_label(claim)
        )
    }

    /// The object's name, or the value as written.
    pub fn target_text(&self, claim: &ClaimRow) -> String {
        match &claim.target {
            ClaimTarget::Entity(e) => self.snapshot.entities[*e].name.clone(),
            ClaimTarget::Value(v) => v.to_text(),
        }
    }

    /// The entity's id.
    pub fn entity_id(&self, entity: RowEntity) -> &'a str {
        &self.snapshot.entities[entity].id
    }

    /// The entity's name.
    pub fn entity_name(&self, entity: RowEntity) -> &'a str {
        &self.snapshot.entities[entity].name
    }

    /// A claim's source document's id.
    pub fn source_id(&self, claim: &ClaimRow) -> &'a str {
        &self.snapshot.sources[claim.source].id
    }

    /// An entity's curated links by field (`part_of`, `nationality`, `outlet`, …), in the
    /// order of the fields' names, each field's targets in the order written.
    pub fn links_of(&self, entity: RowEntity) -> Vec<(&'a str, Vec<&'a str>)> {
        let mut fields: Vec<(&'a str, Vec<&'a str>)> = Vec::new();
        for link in &self.snapshot.entities[entity].links {
            match fields.last_mut() {
                Some((field, targets)) if *field == link.field.as_str() => {
                    targets.push(&link.target)
                }
                _ => fields.push((link.field.as_str(), vec![&link.target])),
            }
        }
        fields
    }
}
