//! An entity from its record: the skeleton made when its id is registered, then the passes of
//! `names`, `entity_fields` and `entity_refs` that fill in what is valid.

use crate::diagnostic::{Diagnostics, Files};
use crate::load::Placed;
use crate::load::records::{RawEntity, RawFieldValue};
use crate::model::{DefinedAt, Entity, Predicate, PredicateIdx};
use typed_index_collections::TiSlice;

use super::{Resolver, entity_fields, entity_refs, names};

/// The entity with its id, kind and position, before its fields are checked.
pub fn skeleton(raw: &RawEntity, id: &Placed<String>, files: &Files) -> Entity {
    let (file, line, _) = files.position(&raw.span);
    let title = match raw.field("title").map(|t| &t.value) {
        Some(RawFieldValue::Text(title)) => Some(title.clone()),
        _ => None,
    };
    let name = raw
        .name
        .as_ref()
        .map(|n| n.value.clone())
        .or(title)
        .unwrap_or_else(|| id.value.clone());
    Entity {
        id: id.value.clone(),
        kind: raw.kind,
        name,
        aliases: Vec::new(),
        description: None,
        wikidata: None,
        reliability: None,
        fields: Vec::new(),
        links: Vec::new(),
        defined_at: DefinedAt {
            file: file.to_owned(),
            line,
        },
    }
}

/// Checks an entity's record and fills in what is valid of it: names and aliases, fields and
/// references.
pub fn resolve(
    raw: &RawEntity,
    entity: &mut Entity,
    resolver: &Resolver<'_>,
    predicates: &TiSlice<PredicateIdx, Predicate>,
    diagnostics: &mut Diagnostics,
) {
    entity_fields::check_source_title(raw, diagnostics);
    entity.aliases = names::aliases(raw, diagnostics);
    entity.description = raw.description.as_ref().map(|d| d.value.clone());
    entity.wikidata = entity_fields::wikidata(raw, diagnostics);
    entity.reliability = entity_fields::reliability(raw, diagnostics);
    entity.fields = entity_fields::scalars(raw, diagnostics);
    entity.links = entity_refs::links(raw, entity.kind, resolver, predicates, diagnostics);
}
