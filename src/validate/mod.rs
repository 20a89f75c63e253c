//! Checking and resolution: raw records in, the resolved [`Model`] plus every problem out.
//! Each family of rules is a pass in a file of its own, with its unit tests; none stops at the
//! first problem. Here the ids are registered, then predicates, entities and claims resolved.

mod claim_refs;
mod claim_values;
mod claims;
mod entities;
mod entity_fields;
mod entity_refs;
pub mod ids;
mod names;
mod quotes;
mod suggest;
#[cfg(test)]
mod testing;
mod vocabulary;

use foldhash::HashMap;

use std::sync::OnceLock;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Files};
use crate::load::{Data, LoadedDocument, Placed, RawEntity, RawPredicate};
use crate::model::{Document, Entity, EntityIdx, EntityKind, Model, PredicateIdx, hidden};
use ids::{IdRegistry, IdStyle, check_id};
use suggest::Suggestions;
use typed_index_collections::{TiSlice, TiVec};

/// Resolves and checks everything that was loaded. The model is complete only when no error
/// was reported; with errors it holds what could be resolved. The raw claims are taken out of `data` and dropped as
/// soon as they are resolved: at a million claims they are the largest thing in memory.
pub fn resolve(
    data: &mut Data,
    documents: Vec<LoadedDocument>,
    diagnostics: &mut Diagnostics,
) -> Model {
    let raw_claims = std::mem::take(&mut data.records.claims);
    let data = &*data;
    let records = &data.records;
    let mut registry = IdRegistry::default();

    // Ids first, so that every reference below can be resolved whatever the file order.
    let (mut entities, entity_index, entity_slots) =
        register_entities(&records.entities, &mut registry, &data.files, diagnostics);
    let (predicate_index, predicate_slots) =
        register_predicates(&records.predicates, &mut registry, diagnostics);

    let kinds: TiVec<EntityIdx, EntityKind> = entities.iter().map(|e| e.kind).collect();
    let resolver = Resolver {
        entity_index: &entity_index,
        kinds: &kinds,
        predicate_index: &predicate_index,
        entity_ids: OnceLock::new(),
        predicate_ids: OnceLock::new(),
    };
    let predicates = vocabulary::resolve(
        records,
        &predicate_slots,
        &resolver,
        &data.files,
        diagnostics,
    );
    // The record of each entity, by entity index.
    let mut raw_of: TiVec<EntityIdx, &RawEntity> = TiVec::with_capacity(entities.len());
    for (raw, slot) in records.entities.iter().zip(&entity_slots) {
        if let Some(index) = *slot {
            entities::resolve(
                raw,
                &mut entities[index],
                &resolver,
                &predicates,
                diagnostics,
            );
            raw_of.push(raw);
        }
    }
    entity_refs::check_part_of_cycles(&entities, &raw_of, diagnostics);
    names::check_shared_names(&entities, &raw_of, diagnostics);
    let documents = documents
        .into_iter()
        .filter_map(|document| {
            Some(Document {
                entity: entity_slots[document.entity]?,
                file: document.file,
                text: document.text,
                sha256: document.sha256,
            })
        })
        .collect();
    let mut model = Model {
        entities,
        predicates,
        documents,
        ..Model::default()
    };
    model.claims = claims::resolve(
        raw_claims,
        &model,
        &resolver,
        &registry,
        &data.files,
        diagnostics,
    );
    model.entity_index = entity_index;
    model
}

/// What registering the entities gives: the skeletons, their index by id, and each record's
/// entity.
type RegisteredEntities = (
    TiVec<EntityIdx, Entity>,
    HashMap<String, EntityIdx>,
    Vec<Option<EntityIdx>>,
);

/// The entities whose ids are valid and not taken, as skeletons, and their index by id; for
/// each record, the index of its entity, or `None` when its id is refused.
fn register_entities(
    records: &[RawEntity],
    registry: &mut IdRegistry,
    files: &Files,
    diagnostics: &mut Diagnostics,
) -> RegisteredEntities {
    let mut entities: TiVec<EntityIdx, Entity> = TiVec::new();
    let mut index = HashMap::default();
    let mut slots = Vec::with_capacity(records.len());
    for raw in records {
        let slot = raw.id.as_ref().and_then(|id| {
            let valid = names::check_visible(id, "id", diagnostics)
                && check_id(id, IdStyle::Kebab, diagnostics);
            (registry.define(id, raw.kind.as_str(), diagnostics) && valid).then(|| {
                let entity = entities.push_and_get_key(entities::skeleton(raw, id, files));
                index.insert(id.value.clone(), entity);
                entity
            })
        });
        slots.push(slot);
    }
    (entities, index, slots)
}

/// The index of each predicate by id; for each record, the index of its predicate, or `None`
/// when its id is refused.
fn register_predicates(
    records: &[RawPredicate],
    registry: &mut IdRegistry,
    diagnostics: &mut Diagnostics,
) -> (HashMap<String, PredicateIdx>, Vec<Option<PredicateIdx>>) {
    let mut index = HashMap::default();
    let mut slots = Vec::with_capacity(records.len());
    for raw in records {
        let slot = raw.id.as_ref().and_then(|id| {
            let valid = names::check_visible(id, "id", diagnostics)
                && check_id(id, IdStyle::Snake, diagnostics);
            // An id that an entity already has is reported once, and the predicate still
            // resolves the claims that use it, rather than each reporting it unknown.
            let unique = registry.define(id, "predicate", diagnostics);
            let first = unique || !index.contains_key(&id.value);
            (valid && first).then(|| {
                let next = PredicateIdx::from(index.len());
                index.insert(id.value.clone(), next);
                next
            })
        });
        slots.push(slot);
    }
    (index, slots)
}

/// Looks up ids for the rules, with "did you mean" hints for misspellings.
struct Resolver<'a> {
    entity_index: &'a HashMap<String, EntityIdx>,
    kinds: &'a TiSlice<EntityIdx, EntityKind>,
    predicate_index: &'a HashMap<String, PredicateIdx>,
    /// The ids hints choose from, made on the first unknown reference of each sort (claims
    /// resolve on several threads, hence the lock).
    entity_ids: OnceLock<Suggestions<'a>>,
    predicate_ids: OnceLock<Suggestions<'a>>,
}

impl Resolver<'_> {
    /// Resolves an entity reference; `what` names the field for the message.
    fn entity(
        &self,
        reference: &Placed<String>,
        what: &str,
        diagnostics: &mut Diagnostics,
    ) -> Option<EntityIdx> {
        if let Some(&index) = self.entity_index.get(&reference.value) {
            return Some(index);
        }
        let ids = self
            .entity_ids
            .get_or_init(|| Suggestions::new(self.entity_index.keys().map(String::as_str)));
        diagnostics.push(unknown(reference, what, "record", ids));
        None
    }

    /// Resolves a reference and checks that its kind is one of `allowed`.
    fn entity_of_kind(
        &self,
        reference: &Placed<String>,
        what: &str,
        allowed: &[EntityKind],
        code: Code,
        diagnostics: &mut Diagnostics,
    ) -> Option<EntityIdx> {
        let index = self.entity(reference, what, diagnostics)?;
        check_kind(
            reference,
            self.kinds[index],
            allowed,
            what,
            code,
            diagnostics,
        )
        .then_some(index)
    }

    fn predicate(
        &self,
        reference: &Placed<String>,
        what: &str,
        diagnostics: &mut Diagnostics,
    ) -> Option<PredicateIdx> {
        if let Some(&index) = self.predicate_index.get(&reference.value) {
            return Some(index);
        }
        let ids = self
            .predicate_ids
            .get_or_init(|| Suggestions::new(self.predicate_index.keys().map(String::as_str)));
        diagnostics.push(unknown(reference, what, "predicate", ids));
        None
    }
}

/// A reference to an id that no `thing` has, with the closest of `ids` as a hint.
fn unknown(reference: &Placed<String>, what: &str, thing: &str, ids: &Suggestions) -> Diagnostic {
    let value = &reference.value;
    let d = Diagnostic::error(
        Code::UnknownReference,
        reference.span.clone(),
        format!(
            "{what} names `{}`, but no {thing} has that id",
            hidden::escape(value)
        ),
    )
    .with_label(format!("unknown {thing}"));
    match ids.closest(value) {
        Some(suggestion) => d.with_hint(format!("did you mean `{suggestion}`?")),
        None => d,
    }
}

/// Reports a reference whose kind is not one of `allowed`: "`russia` is a country, but
/// `outlet` must be an organisation". Returns whether the kind fits.
fn check_kind(
    reference: &Placed<String>,
    kind: EntityKind,
    allowed: &[EntityKind],
    what: &str,
    code: Code,
    diagnostics: &mut Diagnostics,
) -> bool {
    if allowed.contains(&kind) {
        return true;
    }
    diagnostics.push(
        Diagnostic::error(
            code,
            reference.span.clone(),
            format!(
                "`{}` is {}, but {what} must be {}",
                reference.value,
                with_article(kind),
                kind_list(allowed)
            ),
        )
        .with_label(with_article(kind)),
    );
    false
}

/// "a person", "an organisation".
fn with_article(kind: EntityKind) -> String {
    match kind {
        EntityKind::Organisation | EntityKind::Event => format!("an {kind}"),
        _ => format!("a {kind}"),
    }
}

/// "a person or a group", for messages.
fn kind_list(kinds: &[EntityKind]) -> String {
    let names: Vec<String> = kinds.iter().map(|k| with_article(*k)).collect();
    match names.as_slice() {
        [] => "nothing".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// A long list cut in the middle: the first four, how many are left out, the last two.
fn shorten(items: &[String], separator: &str) -> String {
    if items.len() <= 8 {
        return items.join(separator);
    }
    let (head, tail) = (&items[..4], &items[items.len() - 2..]);
    format!(
        "{}{separator}… {} more …{separator}{}",
        head.join(separator),
        items.len() - 6,
        tail.join(separator)
    )
}
