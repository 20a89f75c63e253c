//! FollowTheMoney entities, one JSON object a line (`ftm validate`, Aleph, OpenSanctions): the
//! entities, documents and claims [`super::rdf::rows`] selects (the whole database, or the
//! claims of `--focus` or `--source` and what they name), whatever the view. Ids are claimgraph's with a prefix per
//! kind (`cg-entity.`, `cg-document.`, `cg-claim.`); claimgraph ids never hold a `.`, so
//! no two can meet. A claim about an entity is an `UnknownLink`, a claim of a value a
//! `Documentation` of its subject by its document; the quote is the `summary`, the document
//! the `proof`, the reporter the `publisher`. Only values the rows hold are written.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use super::{ExportError, Exporter, Format, Output};
use crate::model::{EntityKind, Stance};
use crate::store::snapshot::{ClaimTarget, EntityRow, StoredValue};
use crate::view::View;

#[derive(Debug, Clone, Copy)]
pub struct Ftm;

#[derive(Serialize)]
struct Entity {
    id: String,
    schema: &'static str,
    properties: BTreeMap<&'static str, Vec<String>>,
}

/// The FtM id of an entity or document (a source is both an entity and a document of
/// claimgraph, and one `Article` of FtM).
fn entity_id(entity: &EntityRow) -> String {
    match entity.kind {
        EntityKind::Source => format!("cg-document.{}", entity.id),
        _ => format!("cg-entity.{}", entity.id),
    }
}

/// The FtM schema of each entity kind: a unit and a group are organisations, a country a
/// `Territory`, a place an `Address`, a source document an `Article`.
fn schema(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "Person",
        EntityKind::Organisation | EntityKind::Unit | EntityKind::Group => "Organization",
        EntityKind::Country => "Territory",
        EntityKind::Place => "Address",
        EntityKind::Event => "Event",
        EntityKind::Source => "Article",
    }
}

fn text(value: &StoredValue) -> String {
    value.to_text()
}

impl Exporter for Ftm {
    fn write(&self, view: &View<'_>, out: &mut Output<'_>) -> Result<(), ExportError> {
        let data = view.snapshot();
        let mut line = |entity: &Entity| -> Result<(), ExportError> {
            serde_json::to_writer(&mut *out, entity)
                .map_err(|e| ExportError::writing(Format::Ftm)(e.into()))?;
            out.write_all(b"\n")
                .map_err(ExportError::writing(Format::Ftm))
        };
        let (entities, claims) = super::rdf::rows(view);
        for entity in entities.iter().map(|&e| &data.entities[e]) {
            let mut properties: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
            properties.insert("name", vec![entity.name.clone()]);
            if !entity.aliases.is_empty() {
                properties.insert("alias", entity.aliases.clone());
            }
            if let Some(d) = &entity.description {
                properties.insert("description", vec![d.clone()]);
            }
            if let Some(q) = &entity.wikidata {
                properties.insert("wikidataId", vec![q.clone()]);
            }
            for field in &entity.fields {
                let key = match (entity.kind, field.name.as_str()) {
                    (EntityKind::Person, "born") => Some("birthDate"),
                    (EntityKind::Place, "lat") => Some("latitude"),
                    (EntityKind::Place, "lon") => Some("longitude"),
                    _ => None,
                };
                // An event's `when` is a date or an interval `start/end`, either end open.
                if (entity.kind, field.name.as_str()) == (EntityKind::Event, "when") {
                    let when = text(&field.value);
                    match when.split_once('/') {
                        Some((start, end)) => {
                            for (key, day) in [("startDate", start), ("endDate", end)] {
                                if !day.is_empty() {
                                    properties.insert(key, vec![day.to_owned()]);
                                }
                            }
                        }
                        None => {
                            properties.insert("date", vec![when]);
                        }
                    }
                }
                if let Some(key) = key {
                    properties.entry(key).or_default().push(text(&field.value));
                }
            }
            if entity.kind == EntityKind::Source
                && let Some(position) = data.source_position(&entity.id)
            {
                {
                    let source = &data.sources[position];
                    if let Some(title) = &source.title {
                        properties.insert("title", vec![title.clone()]);
                    }
                    if let Some(language) = &source.language {
                        properties.insert("language", vec![language.clone()]);
                    }
                    if let Some(published) = &source.published {
                        properties.insert("publishedAt", vec![published.clone()]);
                    }
                    if let Some(url) = &source.url {
                        properties.insert("sourceUrl", vec![url.clone()]);
                    }
                    let name_of = |id: &Option<String>| {
                        id.as_ref()
                            .and_then(|id| data.entity_position(id))
                            .map(|e| data.entities[e].name.clone())
                    };
                    if let Some(outlet) = name_of(&source.outlet) {
                        properties.insert("publisher", vec![outlet]);
                    }
                    if let Some(author) = name_of(&source.author) {
                        properties.insert("author", vec![author]);
                    }
                    if let Some(body) = view.texts.and_then(|t| t.texts.get(&position)) {
                        properties.insert("bodyText", vec![body.clone()]);
                    }
                }
            }
            line(&Entity {
                id: entity_id(entity),
                schema: schema(entity.kind),
                properties,
            })?;
        }
        for claim in claims.iter().map(|&c| &data.claims[c]) {
            let source = &data.sources[claim.source];
            let document = entity_id(&data.entities[source.entity]);
            let subject = &data.entities[claim.subject];
            let predicate = &data.predicates[claim.predicate];
            let reporter = &data.entities[claim.reporter];
            let mut properties: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
            properties.insert("summary", vec![claim.quote.clone()]);
            properties.insert("proof", vec![document.clone()]);
            properties.insert("publisher", vec![reporter.name.clone()]);
            let not = if claim.stance == Stance::Denies {
                "not "
            } else {
                ""
            };
            let hedged = if claim.hedged { " (hedged)" } else { "" };
            // The relation as a graph tool labels the link: a denial and a hedge are part of
            // it, not only of the description.
            properties.insert("role", vec![format!("{not}{}{hedged}", predicate.label)]);
            if let Some(url) = &source.url {
                properties.insert("sourceUrl", vec![url.clone()]);
            }
            let object = match &claim.target {
                ClaimTarget::Entity(o) => data.entities[*o].name.clone(),
                ClaimTarget::Value(v) => text(v),
            };
            let chain: Vec<&str> = claim
                .citing
                .iter()
                .map(|&e| data.entities[e].name.as_str())
                .collect();
            let mut description = format!(
                "claimgraph claim {}: {} reports{} that {} {not}{} {}{hedged}",
                claim.id,
                reporter.name,
                if chain.is_empty() {
                    String::new()
                } else {
                    format!(", citing {},", chain.join(" <- "))
                },
                subject.name,
                predicate.label,
                object,
            );
            if let Some(when) = &claim.when {
                description.push_str(&format!("; when: {when}"));
            }
            properties.insert("description", vec![description]);
            let schema = match &claim.target {
                ClaimTarget::Entity(o) => {
                    properties.insert("subject", vec![entity_id(subject)]);
                    properties.insert("object", vec![entity_id(&data.entities[*o])]);
                    "UnknownLink"
                }
                ClaimTarget::Value(_) => {
                    properties.insert("document", vec![document.clone()]);
                    properties.insert("entity", vec![entity_id(subject)]);
                    "Documentation"
                }
            };
            line(&Entity {
                id: format!("cg-claim.{}", claim.id),
                schema,
                properties,
            })?;
        }
        Ok(())
    }
}
