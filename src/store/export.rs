//! Reads what the exports draw from a built database: entities, sources, claims with their
//! attribution chains and origins, curated links and conflicts, as plain rows sorted by id.

use std::collections::BTreeMap;

use rusqlite::Connection;
use rusqlite::types::Value as Sql;

use super::StoreError;
use crate::model::{EntityKind, Stance};

/// Everything the views are made from, each list sorted by id (links by entity, field and
/// position), so the same database always gives the same rows in the same order.
#[derive(Debug, Clone, Default)]
pub struct ExportData {
    pub entities: Vec<EntityRow>,
    pub predicates: Vec<PredicateRow>,
    pub sources: Vec<SourceRow>,
    pub claims: Vec<ClaimRow>,
    pub links: Vec<LinkRow>,
    pub conflicts: Vec<ConflictRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityRow {
    pub id: String,
    pub kind: EntityKind,
    pub name: String,
    pub aliases: Vec<String>,
    pub description: Option<String>,
    pub reliability: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PredicateRow {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRow {
    pub id: String,
    pub file: String,
    pub title: Option<String>,
    pub language: Option<String>,
    pub published: Option<String>,
    pub outlet: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
}

/// A claim's literal value as stored: numbers keep their type.
#[derive(Debug, Clone, PartialEq)]
pub enum StoredValue {
    Integer(i64),
    Real(f64),
    Text(String),
}

impl StoredValue {
    pub fn to_text(&self) -> String {
        match self {
            StoredValue::Integer(i) => i.to_string(),
            StoredValue::Real(r) => r.to_string(),
            StoredValue::Text(t) => t.clone(),
        }
    }
}

/// What a claim says of its subject: an entity, or a value.
#[derive(Debug, Clone, PartialEq)]
pub enum ClaimTarget {
    Entity(String),
    Value(StoredValue),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClaimRow {
    pub id: String,
    pub source: String,
    pub reporter: String,
    /// Nearest first; the last is the claimed origin.
    pub citing: Vec<String>,
    /// The end of the citing chain, else the reporter.
    pub origin: String,
    /// The origin is a party to the statement.
    pub interested: bool,
    pub subject: String,
    pub predicate: String,
    pub target: ClaimTarget,
    pub when: Option<String>,
    pub stance: Stance,
    pub hedged: bool,
    pub quote: String,
    pub note: Option<String>,
}

/// A curated reference between entities (`part_of`, `nationality`, `outlet`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRow {
    pub entity: String,
    /// The field's name in the TOML files.
    pub field: String,
    pub target: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictRow {
    pub claim_a: String,
    pub claim_b: String,
    pub reason: String,
    pub detail: String,
}

/// Reads the rows every view is made from.
pub fn read(conn: &Connection) -> Result<ExportData, StoreError> {
    let mut aliases: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (entity, alias) in query::<(String, String)>(
        conn,
        "SELECT entity_id, alias FROM aliases ORDER BY entity_id, alias",
        |r| Ok((r.get(0)?, r.get(1)?)),
    )? {
        aliases.entry(entity).or_default().push(alias);
    }
    let entities = query(
        conn,
        "SELECT id, kind, name, description, reliability FROM entities ORDER BY id",
        |r| {
            let id: String = r.get(0)?;
            let kind: String = r.get(1)?;
            Ok(EntityRow {
                kind: known(1, &kind, EntityKind::parse)?,
                aliases: Vec::new(),
                name: r.get(2)?,
                description: r.get(3)?,
                reliability: r.get(4)?,
                id,
            })
        },
    )?
    .into_iter()
    .map(|mut e| {
        e.aliases = aliases.remove(&e.id).unwrap_or_default();
        e
    })
    .collect();

    let predicates = query(conn, "SELECT id, label FROM predicates ORDER BY id", |r| {
        Ok(PredicateRow {
            id: r.get(0)?,
            label: r.get(1)?,
        })
    })?;

    let sources = query(
        conn,
        "SELECT id, file, title, language, published, outlet_id, author_id, url
         FROM sources ORDER BY id",
        |r| {
            Ok(SourceRow {
                id: r.get(0)?,
                file: r.get(1)?,
                title: r.get(2)?,
                language: r.get(3)?,
                published: r.get(4)?,
                outlet: r.get(5)?,
                author: r.get(6)?,
                url: r.get(7)?,
            })
        },
    )?;

    let mut citing: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (claim, entity) in query::<(String, String)>(
        conn,
        "SELECT claim_id, entity_id FROM claim_citations ORDER BY claim_id, position",
        |r| Ok((r.get(0)?, r.get(1)?)),
    )? {
        citing.entry(claim).or_default().push(entity);
    }
    let claims = query(
        conn,
        "SELECT c.id, c.source_id, c.reported_by, a.origin_id, a.interested, c.subject_id,
                c.predicate, c.object_id, c.value, c.when_text, c.stance, c.hedged, c.quote, c.note
         FROM claims c JOIN claim_analysis a ON a.claim_id = c.id
         ORDER BY c.id",
        |r| {
            let object: Option<String> = r.get(7)?;
            let target = match object {
                Some(id) => ClaimTarget::Entity(id),
                None => ClaimTarget::Value(match r.get::<_, Sql>(8)? {
                    Sql::Integer(i) => StoredValue::Integer(i),
                    Sql::Real(f) => StoredValue::Real(f),
                    Sql::Text(t) => StoredValue::Text(t),
                    other => {
                        return Err(rusqlite::Error::InvalidColumnType(
                            8,
                            "value".to_owned(),
                            other.data_type(),
                        ));
                    }
                }),
            };
            let stance: String = r.get(10)?;
            Ok(ClaimRow {
                id: r.get(0)?,
                source: r.get(1)?,
                reporter: r.get(2)?,
                citing: Vec::new(),
                origin: r.get(3)?,
                interested: r.get(4)?,
                subject: r.get(5)?,
                predicate: r.get(6)?,
                target,
                when: r.get(9)?,
                stance: known(10, &stance, |s| match s {
                    "affirms" => Some(Stance::Affirms),
                    "denies" => Some(Stance::Denies),
                    _ => None,
                })?,
                hedged: r.get(11)?,
                quote: r.get(12)?,
                note: r.get(13)?,
            })
        },
    )?
    .into_iter()
    .map(|mut c| {
        c.citing = citing.remove(&c.id).unwrap_or_default();
        c
    })
    .collect();

    let links = query(
        conn,
        "SELECT entity_id, field, target_id FROM entity_links ORDER BY entity_id, field, position",
        |r| {
            Ok(LinkRow {
                entity: r.get(0)?,
                field: r.get(1)?,
                target: r.get(2)?,
            })
        },
    )?;

    let conflicts = query(
        conn,
        "SELECT claim_a, claim_b, reason, detail FROM conflict_pairs
         ORDER BY claim_a, claim_b, reason",
        |r| {
            Ok(ConflictRow {
                claim_a: r.get(0)?,
                claim_b: r.get(1)?,
                reason: r.get(2)?,
                detail: r.get(3)?,
            })
        },
    )?;

    Ok(ExportData {
        entities,
        predicates,
        sources,
        claims,
        links,
        conflicts,
    })
}

/// A column's text as one of the values it may hold; anything else is a conversion error
/// (the schema's CHECK constraints make that a database this version did not write).
fn known<T>(column: usize, text: &str, parse: impl Fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    parse(text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            column,
            rusqlite::types::Type::Text,
            format!("unexpected value `{text}`").into(),
        )
    })
}

fn query<T>(
    conn: &Connection,
    sql: &str,
    row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>, StoreError> {
    let mut statement = conn.prepare(sql)?;
    let rows = statement.query_map([], row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_print_as_written() {
        assert_eq!(StoredValue::Integer(18).to_text(), "18");
        assert_eq!(StoredValue::Real(1.5).to_text(), "1.5");
        assert_eq!(StoredValue::Text("several".into()).to_text(), "several");
    }
}
