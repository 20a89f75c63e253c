//! `export cypher`: a Cypher script that loads every entity and claim of the rows the view was
//! made from, with every curated field and every provenance attribute, into Kùzu (the schema
//! first, `CREATE NODE TABLE` and `CREATE REL TABLE`, then one `CREATE` per node and one
//! `MATCH … CREATE` per edge). Strings are double-quoted with only `\` and `"` escaped, every
//! other character (newlines, any script) written as it is: the subset of string literals
//! Kùzu and Neo4j read alike.

use std::io::Write;

use super::{ExportError, Exporter, Format, Output};
use crate::store::snapshot::{ClaimTarget, StoredValue};
use crate::view::View;

#[derive(Debug, Clone, Copy)]
pub struct Cypher;

/// The schema: entities (source documents among them, kind `source`) and claims as node
/// tables, each kind of edge a relationship table.
const SCHEMA: &str = "\
CREATE NODE TABLE Entity(id STRING PRIMARY KEY, kind STRING, name STRING, aliases STRING[], description STRING, wikidata STRING, reliability STRING, fields STRING, title STRING, language STRING, published STRING, url STRING, file STRING);
CREATE NODE TABLE Claim(id STRING PRIMARY KEY, predicate STRING, predicate_label STRING, value STRING, `when` STRING, stance STRING, hedged BOOLEAN, quote STRING, note STRING, citing STRING[], origin STRING, voice STRING, interested BOOLEAN, aligned BOOLEAN);
CREATE REL TABLE REPORTED(FROM Entity TO Claim);
CREATE REL TABLE ABOUT(FROM Claim TO Entity);
CREATE REL TABLE OBJECT(FROM Claim TO Entity);
CREATE REL TABLE CITES(FROM Claim TO Entity, position INT64);
CREATE REL TABLE APPEARS_IN(FROM Claim TO Entity);
CREATE REL TABLE LINK(FROM Entity TO Entity, field STRING, position INT64);
CREATE REL TABLE CONFLICTS(FROM Claim TO Claim, reason STRING, detail STRING);
";

/// A Cypher string literal.
fn string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        if c == '\\' || c == '"' {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

fn optional(text: Option<&str>) -> String {
    text.map_or_else(|| "NULL".to_owned(), string)
}

fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.map(string).collect();
    format!("[{}]", items.join(", "))
}

impl Exporter for Cypher {
    fn write(&self, view: &View<'_>, out: &mut Output<'_>) -> Result<(), ExportError> {
        let data = view.snapshot();
        let (entities, claims) = super::rdf::rows(view);
        let written: std::collections::HashSet<&str> = entities
            .iter()
            .map(|&e| data.entities[e].id.as_str())
            .collect();
        let claim_ids: std::collections::HashSet<&str> =
            claims.iter().map(|&c| data.claims[c].id.as_str()).collect();
        let mut script = String::from(SCHEMA);
        for entity in entities.iter().map(|&e| &data.entities[e]) {
            let source = data.source_position(&entity.id).map(|s| &data.sources[s]);
            // The curated scalar fields, as one JSON object: each kind has its own.
            let fields: serde_json::Map<String, serde_json::Value> = entity
                .fields
                .iter()
                .map(|f| {
                    let value = match &f.value {
                        StoredValue::Integer(i) => serde_json::Value::from(*i),
                        StoredValue::Real(r) => serde_json::Value::from(*r),
                        StoredValue::Text(t) => serde_json::Value::from(t.as_str()),
                    };
                    (f.name.clone(), value)
                })
                .collect();
            script.push_str(&format!(
                "CREATE (:Entity {{id: {}, kind: {}, name: {}, aliases: {}, description: {}, wikidata: {}, reliability: {}, fields: {}, title: {}, language: {}, published: {}, url: {}, file: {}}});\n",
                string(&entity.id),
                string(entity.kind.as_str()),
                string(&entity.name),
                list(entity.aliases.iter().map(String::as_str)),
                optional(entity.description.as_deref()),
                optional(entity.wikidata.as_deref()),
                optional(entity.reliability.as_deref()),
                string(&serde_json::Value::Object(fields).to_string()),
                optional(source.and_then(|s| s.title.as_deref())),
                optional(source.and_then(|s| s.language.as_deref())),
                optional(source.and_then(|s| s.published.as_deref())),
                optional(source.and_then(|s| s.url.as_deref())),
                optional(source.map(|s| s.file.as_str())),
            ));
        }
        for claim in claims.iter().map(|&c| &data.claims[c]) {
            let predicate = &data.predicates[claim.predicate];
            let value = match &claim.target {
                ClaimTarget::Value(v) => Some(v.to_text()),
                ClaimTarget::Entity(_) => None,
            };
            script.push_str(&format!(
                "CREATE (:Claim {{id: {}, predicate: {}, predicate_label: {}, value: {}, `when`: {}, stance: {}, hedged: {}, quote: {}, note: {}, citing: {}, origin: {}, voice: {}, interested: {}, aligned: {}}});\n",
                string(&claim.id),
                string(&predicate.id),
                string(&predicate.label),
                optional(value.as_deref()),
                optional(claim.when.as_deref()),
                string(claim.stance.as_str()),
                claim.hedged,
                string(&claim.quote),
                optional(claim.note.as_deref()),
                list(claim.citing.iter().map(|&e| data.entities[e].id.as_str())),
                string(&data.entities[claim.origin].id),
                string(&data.entities[claim.voice].id),
                claim.interested,
                claim.aligned,
            ));
        }
        let edge = |script: &mut String,
                    from: (&str, &str),
                    kind: &str,
                    to: (&str, &str),
                    properties: &str| {
            script.push_str(&format!(
                "MATCH (a:{} {{id: {}}}), (b:{} {{id: {}}}) CREATE (a)-[:{kind}{properties}]->(b);\n",
                from.0,
                string(from.1),
                to.0,
                string(to.1)
            ));
        };
        for entity in entities.iter().map(|&e| &data.entities[e]) {
            let mut position = 0;
            let mut last_field = None;
            for link in &entity.links {
                // Positions count within each field, from 1, as the database stores them.
                if last_field != Some(link.field) {
                    position = 0;
                    last_field = Some(link.field);
                }
                position += 1;
                if written.contains(link.target.as_str()) {
                    edge(
                        &mut script,
                        ("Entity", &entity.id),
                        "LINK",
                        ("Entity", &link.target),
                        &format!(
                            " {{field: {}, position: {position}}}",
                            string(link.field.as_str())
                        ),
                    );
                }
            }
        }
        for claim in claims.iter().map(|&c| &data.claims[c]) {
            let id = claim.id.as_str();
            edge(
                &mut script,
                ("Entity", &data.entities[claim.reporter].id),
                "REPORTED",
                ("Claim", id),
                "",
            );
            edge(
                &mut script,
                ("Claim", id),
                "ABOUT",
                ("Entity", &data.entities[claim.subject].id),
                "",
            );
            if let ClaimTarget::Entity(o) = claim.target {
                edge(
                    &mut script,
                    ("Claim", id),
                    "OBJECT",
                    ("Entity", &data.entities[o].id),
                    "",
                );
            }
            for (i, &cited) in claim.citing.iter().enumerate() {
                edge(
                    &mut script,
                    ("Claim", id),
                    "CITES",
                    ("Entity", &data.entities[cited].id),
                    &format!(" {{position: {}}}", i + 1),
                );
            }
            let source = &data.sources[claim.source];
            edge(
                &mut script,
                ("Claim", id),
                "APPEARS_IN",
                ("Entity", &data.entities[source.entity].id),
                "",
            );
        }
        for conflict in &data.conflicts {
            if claim_ids.contains(conflict.claim_a.as_str())
                && claim_ids.contains(conflict.claim_b.as_str())
            {
                edge(
                    &mut script,
                    ("Claim", &conflict.claim_a),
                    "CONFLICTS",
                    ("Claim", &conflict.claim_b),
                    &format!(
                        " {{reason: {}, detail: {}}}",
                        string(conflict.reason.as_str()),
                        string(&conflict.detail)
                    ),
                );
            }
        }
        out.write_all(script.as_bytes())
            .map_err(ExportError::writing(Format::Cypher))
    }
}
