//! What `diff` compares of one built database: every curated record by its id, with its fields
//! in words, and what the analysis made of them (statements and their voices, conflicts,
//! interested parties, unlinked mentions), read once into ordered maps.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::Connection;

use crate::store::StoreError;

/// A curated record: its kind, its fields by name (lists joined by `, ` in their order), and
/// where it is written, which is shown but never compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub kind: String,
    pub name: String,
    pub fields: BTreeMap<String, String>,
    pub file: String,
    pub line: i64,
}

/// The field of a source that tells its document's text, by its digest.
pub const DOCUMENT_DIGEST: &str = "document text (SHA-256)";

/// A claim, its fields by name in words, and what the analysis gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub fields: BTreeMap<String, String>,
    pub source: String,
    pub subject: String,
    pub predicate: String,
    /// The object's id or the value, as text.
    pub object: String,
    pub stance: String,
    pub quote: String,
    pub interested: bool,
    pub origin: String,
    pub voice: String,
    pub statement: StatementKey,
    pub file: String,
    pub line: i64,
}

/// A statement: subject, predicate, object (or value) and stance.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StatementKey {
    pub subject: String,
    pub predicate: String,
    pub object: String,
    pub stance: String,
}

/// What the analysis counted for a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub origins: i64,
    pub reports: i64,
    pub documents: i64,
    pub circular: bool,
    pub contested: bool,
    /// Its independent voices, by id.
    pub voices: BTreeSet<String>,
}

/// A pair of contradicting claims.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Conflict {
    pub reason: String,
    pub detail: String,
    pub a: String,
    pub b: String,
}

/// Everything `diff` compares of one database.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub entities: BTreeMap<String, Record>,
    pub predicates: BTreeMap<String, Record>,
    pub claims: BTreeMap<String, Claim>,
    pub statements: BTreeMap<StatementKey, Statement>,
    pub conflicts: Vec<Conflict>,
    /// `(document, entity)` for every entity a document names that none of its claims uses,
    /// with how often it names it.
    pub unlinked: BTreeMap<(String, String), i64>,
    /// Every entity's and predicate's name (label), for wording.
    pub names: BTreeMap<String, String>,
}

/// A column read as text, whatever its type (`NULL` as nothing).
fn text(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Option<String>> {
    use rusqlite::types::ValueRef;
    Ok(match row.get_ref(index)? {
        ValueRef::Null => None,
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(f) if f.fract() == 0.0 && f.abs() < 1e15 => Some(format!("{f:.0}")),
        ValueRef::Real(f) => Some(f.to_string()),
        ValueRef::Text(t) | ValueRef::Blob(t) => Some(String::from_utf8_lossy(t).into_owned()),
    })
}

fn put(fields: &mut BTreeMap<String, String>, name: &str, value: Option<String>) {
    if let Some(value) = value {
        fields.insert(name.to_owned(), value);
    }
}

/// Appends `value` to a field that lists several, in order.
fn push(fields: &mut BTreeMap<String, String>, name: &str, value: String) {
    fields
        .entry(name.to_owned())
        .and_modify(|v| {
            v.push_str(", ");
            v.push_str(&value);
        })
        .or_insert(value);
}

impl Snapshot {
    /// Reads a built database.
    pub fn read(conn: &Connection) -> Result<Snapshot, StoreError> {
        let mut snapshot = Snapshot::default();
        snapshot.read_entities(conn)?;
        snapshot.read_predicates(conn)?;
        snapshot.read_claims(conn)?;
        snapshot.read_analysis(conn)?;
        Ok(snapshot)
    }

    fn read_entities(&mut self, conn: &Connection) -> Result<(), StoreError> {
        let mut rows = conn.prepare(
            "SELECT id, kind, name, description, wikidata, reliability, file, line \
             FROM entities ORDER BY id",
        )?;
        let mut rows = rows.query([])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let name: String = row.get(2)?;
            let mut fields = BTreeMap::new();
            fields.insert("name".to_owned(), name.clone());
            put(&mut fields, "description", text(row, 3)?);
            put(&mut fields, "wikidata", text(row, 4)?);
            put(&mut fields, "reliability", text(row, 5)?);
            self.names.insert(id.clone(), name.clone());
            self.entities.insert(
                id,
                Record {
                    kind: row.get(1)?,
                    name,
                    fields,
                    file: row.get(6)?,
                    line: row.get(7)?,
                },
            );
        }
        let lists = [
            "SELECT entity_id, 'aliases', alias FROM aliases ORDER BY entity_id, alias",
            "SELECT entity_id, field, value FROM entity_fields ORDER BY entity_id, field",
            "SELECT entity_id, field, target_id FROM entity_links \
             ORDER BY entity_id, field, position",
            // A source's `file`, `title`, … are entity fields; its document's text is told by
            // its digest.
            &format!("SELECT id, '{DOCUMENT_DIGEST}', sha256 FROM sources ORDER BY id"),
        ];
        for sql in lists {
            let mut statement = conn.prepare(sql)?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let id: String = row.get(0)?;
                let field: String = row.get(1)?;
                let Some(value) = text(row, 2)? else { continue };
                if let Some(record) = self.entities.get_mut(&id) {
                    push(&mut record.fields, &field, value);
                }
            }
        }
        Ok(())
    }

    fn read_predicates(&mut self, conn: &Connection) -> Result<(), StoreError> {
        let mut rows = conn.prepare(
            "SELECT id, label, description, object_type, functional, excludes_scope, file, line \
             FROM predicates ORDER BY id",
        )?;
        let mut rows = rows.query([])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let label: String = row.get(1)?;
            let mut fields = BTreeMap::new();
            fields.insert("label".to_owned(), label.clone());
            put(&mut fields, "description", text(row, 2)?);
            put(&mut fields, "object type", text(row, 3)?);
            let functional: bool = row.get(4)?;
            fields.insert("functional".to_owned(), functional.to_string());
            put(&mut fields, "excludes_scope", text(row, 5)?);
            self.names.insert(id.clone(), label.clone());
            self.predicates.insert(
                id,
                Record {
                    kind: "predicate".to_owned(),
                    name: label,
                    fields,
                    file: row.get(6)?,
                    line: row.get(7)?,
                },
            );
        }
        let lists = [
            "SELECT predicate, role, kind FROM predicate_kinds ORDER BY predicate, role, kind",
            "SELECT predicate, 'excludes', excluded FROM predicate_excludes \
             ORDER BY predicate, excluded",
        ];
        for sql in lists {
            let mut statement = conn.prepare(sql)?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let id: String = row.get(0)?;
                let field: String = row.get(1)?;
                let value: String = row.get(2)?;
                if let Some(record) = self.predicates.get_mut(&id) {
                    push(&mut record.fields, &field, value);
                }
            }
        }
        Ok(())
    }

    fn read_claims(&mut self, conn: &Connection) -> Result<(), StoreError> {
        let mut citing: BTreeMap<String, Vec<String>> = BTreeMap::new();
        {
            let mut statement = conn.prepare(
                "SELECT claim_id, entity_id FROM claim_citations ORDER BY claim_id, position",
            )?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                citing.entry(row.get(0)?).or_default().push(row.get(1)?);
            }
        }
        let mut statement = conn.prepare(
            "SELECT c.id, c.source_id, c.reported_by, c.subject_id, c.predicate, c.object_id, \
                    c.value, c.when_text, c.stance, c.hedged, c.quote, c.note, c.interested, \
                    c.origin_id, c.voice_id, c.file, c.line, c.occurrence \
             FROM claims AS c ORDER BY c.id",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let source: String = row.get(1)?;
            let subject: String = row.get(3)?;
            let predicate: String = row.get(4)?;
            let object = text(row, 5)?.or(text(row, 6)?).unwrap_or_default();
            let stance: String = row.get(8)?;
            let quote: String = row.get(10)?;
            let hedged: bool = row.get(9)?;
            let mut fields = BTreeMap::new();
            fields.insert("source".to_owned(), source.clone());
            fields.insert("reported_by".to_owned(), row.get(2)?);
            if let Some(chain) = citing.remove(&id) {
                fields.insert("citing".to_owned(), chain.join(" <- "));
            }
            fields.insert("subject".to_owned(), subject.clone());
            fields.insert("predicate".to_owned(), predicate.clone());
            let object_field = if text(row, 5)?.is_some() {
                "object"
            } else {
                "value"
            };
            fields.insert(object_field.to_owned(), object.clone());
            put(&mut fields, "when", text(row, 7)?);
            fields.insert("stance".to_owned(), stance.clone());
            fields.insert("hedged".to_owned(), hedged.to_string());
            fields.insert("quote".to_owned(), quote.clone());
            // Which of the places with the quote's words: the place itself (its offsets) moves
            // with any edit of the text before it.
            put(&mut fields, "occurrence", text(row, 17)?);
            put(&mut fields, "note", text(row, 11)?);
            let statement = StatementKey {
                subject: subject.clone(),
                predicate: predicate.clone(),
                object: object.clone(),
                stance: stance.clone(),
            };
            self.claims.insert(
                id,
                Claim {
                    fields,
                    source,
                    subject,
                    predicate,
                    object,
                    stance,
                    quote,
                    interested: row.get(12)?,
                    origin: row.get(13)?,
                    voice: row.get(14)?,
                    statement,
                    file: row.get(15)?,
                    line: row.get(16)?,
                },
            );
        }
        Ok(())
    }

    fn read_analysis(&mut self, conn: &Connection) -> Result<(), StoreError> {
        let mut statement = conn.prepare(
            "SELECT subject_id, predicate, coalesce(object_id, value), stance, origins, reports, \
                    documents, circular, contested \
             FROM statements",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let key = StatementKey {
                subject: row.get(0)?,
                predicate: row.get(1)?,
                object: text(row, 2)?.unwrap_or_default(),
                stance: row.get(3)?,
            };
            self.statements.insert(
                key,
                Statement {
                    origins: row.get(4)?,
                    reports: row.get(5)?,
                    documents: row.get(6)?,
                    circular: row.get(7)?,
                    contested: row.get(8)?,
                    voices: BTreeSet::new(),
                },
            );
        }
        for claim in self.claims.values() {
            if let Some(statement) = self.statements.get_mut(&claim.statement) {
                statement.voices.insert(claim.voice.clone());
            }
        }
        let mut statement = conn.prepare(
            "SELECT reason, detail, claim_a, claim_b FROM conflict_pairs \
             ORDER BY claim_a, claim_b, reason",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            self.conflicts.push(Conflict {
                reason: row.get(0)?,
                detail: row.get(1)?,
                a: row.get(2)?,
                b: row.get(3)?,
            });
        }
        let mut statement =
            conn.prepare("SELECT source_id, entity_id, mentions FROM unlinked_mentions")?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            self.unlinked
                .insert((row.get(0)?, row.get(1)?), row.get(2)?);
        }
        Ok(())
    }

    /// The name of an entity or predicate, else the id itself.
    pub fn name<'a>(&'a self, id: &'a str) -> &'a str {
        self.names.get(id).map_or(id, String::as_str)
    }
}
