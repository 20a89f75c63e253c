//! The typed rows every view is made from, read from a built database: entities, sources,
//! claims with their attribution chains and origins, curated links and conflicts, sorted by id,
//! whose references to each other are positions in those lists. It reads the whole database,
//! or only the claims and entities of one neighbourhood; [`ClaimIndex`] answers, one node at a
//! time through the indexes, the walks that `--focus`, `neighbors` and `path` take.

use std::path::Path;
use std::thread;

use foldhash::{HashMap, HashMapExt};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, Row, Statement};
use typed_index_collections::TiVec;

use super::{StoreError, word};
use crate::graph::provenance::ConflictReason;
use crate::model::{EntityKind, RefField, Stance, index_type};

index_type!(
    /// A position in [`Snapshot::entities`], and in nothing else: not the model's
    /// [`crate::model::EntityIdx`], since a snapshot need not hold every entity.
    ///
    /// ```compile_fail,E0277
    /// # use claimgraph::store::snapshot::{RowEntity, Snapshot};
    /// let snapshot = Snapshot::default();
    /// assert!(snapshot.claims.get(RowEntity::from(0)).is_none());
    /// ```
    RowEntity
);
index_type!(
    /// A position in [`Snapshot::predicates`].
    RowPredicate
);
index_type!(
    /// A position in [`Snapshot::sources`].
    RowSource
);
index_type!(
    /// A position in [`Snapshot::claims`].
    RowClaim
);
index_type!(
    /// A position in [`Snapshot::conflicts`].
    RowConflict
);

/// Everything the views are made from, each list sorted by id, so the same database always
/// gives the same rows in the same order. References between rows are positions in these
/// lists, resolved once when reading.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub entities: TiVec<RowEntity, EntityRow>,
    pub predicates: TiVec<RowPredicate, PredicateRow>,
    pub sources: TiVec<RowSource, SourceRow>,
    pub claims: TiVec<RowClaim, ClaimRow>,
    /// Sorted by the two claims and the reason.
    pub conflicts: TiVec<RowConflict, ConflictRow>,
}

impl Snapshot {
    /// The position of an entity in [`Snapshot::entities`].
    pub fn entity_position(&self, id: &str) -> Option<RowEntity> {
        self.entities
            .binary_search_by(|e| e.id.as_str().cmp(id))
            .ok()
    }

    /// The position of a source document in [`Snapshot::sources`].
    pub fn source_position(&self, id: &str) -> Option<RowSource> {
        self.sources
            .binary_search_by(|s| s.id.as_str().cmp(id))
            .ok()
    }

    /// The position of a claim in [`Snapshot::claims`].
    pub fn claim_position(&self, id: &str) -> Option<RowClaim> {
        self.claims.binary_search_by(|c| c.id.as_str().cmp(id)).ok()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EntityRow {
    pub id: String,
    pub kind: EntityKind,
    pub name: String,
    pub aliases: Vec<String>,
    pub description: Option<String>,
    /// The entity's Wikidata item (`Q…`), when curated.
    pub wikidata: Option<String>,
    pub reliability: Option<String>,
    /// The curated scalar fields of its kind (`type`, `iso`, `born`, `when`, a source's
    /// `title`, `language`, `published`, …), in the order of their names; only those written.
    pub fields: Vec<FieldRow>,
    /// Curated references to other entities, by field name, each field's in the order written.
    pub links: Vec<LinkRow>,
}

/// A curated scalar field of an entity, its value as stored (`lat` and `lon` are numbers).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldRow {
    pub name: String,
    pub value: StoredValue,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PredicateRow {
    pub id: String,
    pub label: String,
    pub description: Option<String>,
    /// What its claims name as object: `entity`, or a value type (`number`, `text`, `date`).
    pub object_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRow {
    pub id: String,
    /// The source document as an entity (its name, its kind `source`): a position in
    /// [`Snapshot::entities`].
    pub entity: RowEntity,
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
    /// The value as every command and export words it: a whole number stored as a real reads
    /// `40`, as Rust prints it (SQL's `CAST(40.0 AS TEXT)` would say `40.0`).
    pub fn to_text(&self) -> String {
        match self {
            StoredValue::Integer(i) => i.to_string(),
            StoredValue::Real(r) => r.to_string(),
            StoredValue::Text(t) => t.clone(),
        }
    }
}

/// What a claim says of its subject: an entity (a position in [`Snapshot::entities`]), or a
/// value.
#[derive(Debug, Clone, PartialEq)]
pub enum ClaimTarget {
    Entity(RowEntity),
    Value(StoredValue),
}

/// One claim; every entity is a position in [`Snapshot::entities`].
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimRow {
    pub id: String,
    /// A position in [`Snapshot::sources`].
    pub source: RowSource,
    pub reporter: RowEntity,
    /// Nearest first; the last is the claimed origin.
    pub citing: Vec<RowEntity>,
    /// The end of the citing chain, else the reporter.
    pub origin: RowEntity,
    /// The outermost whole the origin is `part_of`, else the origin: what counts as one voice.
    pub voice: RowEntity,
    /// The origin is a party to the statement.
    pub interested: bool,
    /// The origin only shares a country with a party to the statement.
    pub aligned: bool,
    pub subject: RowEntity,
    /// A position in [`Snapshot::predicates`].
    pub predicate: RowPredicate,
    pub target: ClaimTarget,
    pub when: Option<String>,
    pub stance: Stance,
    pub hedged: bool,
    pub quote: String,
    pub note: Option<String>,
    /// The conflicts this claim is part of: positions in [`Snapshot::conflicts`], in order.
    pub conflicts: Vec<RowConflict>,
}

/// A curated reference of an entity (`part_of`, `nationality`, `outlet`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRow {
    pub field: RefField,
    /// The entity named, by id: in a neighbourhood's snapshot it need not have been read.
    pub target: String,
}

/// Two contradicting claims, by id: the other claim of a pair need not have been read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictRow {
    pub claim_a: String,
    pub claim_b: String,
    pub reason: ConflictReason,
    pub detail: String,
}

/// The stored texts of some claims' documents and where each claim's quote stands in its
/// text (character offsets), for showing quotes in their passages.
#[derive(Debug, Clone, Default)]
pub struct QuotedTexts {
    /// Each document's text, by position in [`Snapshot::sources`].
    pub texts: HashMap<RowSource, String>,
    /// The start and end of each claim's quote in its document, in characters.
    pub spans: HashMap<RowClaim, (u64, u64)>,
}

/// Reads the quote offsets of `claims` (positions in `snapshot`) and the texts of their
/// documents.
pub fn read_quoted_texts(
    conn: &Connection,
    snapshot: &Snapshot,
    claims: &[RowClaim],
) -> Result<QuotedTexts, StoreError> {
    let ids: Vec<String> = claims
        .iter()
        .map(|&c| snapshot.claims[c].id.clone())
        .collect();
    let mut spans = HashMap::with_capacity(claims.len());
    let mut statement = conn.prepare(
        "SELECT c.id, c.quote_start, c.quote_end
         FROM json_each(?1) AS chosen JOIN claims AS c ON c.id = chosen.value",
    )?;
    let rows = statement.query_map([json_list(&ids)], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, u64>(1)?,
            r.get::<_, u64>(2)?,
        ))
    })?;
    for row in rows {
        let (id, start, end) = row?;
        if let Some(claim) = snapshot.claim_position(&id) {
            spans.insert(claim, (start, end));
        }
    }
    let mut sources: Vec<RowSource> = claims.iter().map(|&c| snapshot.claims[c].source).collect();
    sources.sort_unstable();
    sources.dedup();
    let source_ids: Vec<String> = sources
        .iter()
        .map(|&s| snapshot.sources[s].id.clone())
        .collect();
    let mut texts = HashMap::with_capacity(sources.len());
    let mut statement = conn.prepare(
        "SELECT s.id, s.text FROM json_each(?1) AS chosen JOIN sources AS s ON s.id = chosen.value",
    )?;
    let rows = statement.query_map([json_list(&source_ids)], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (id, text) = row?;
        if let Some(source) = snapshot.source_position(&id) {
            texts.insert(source, text);
        }
    }
    Ok(QuotedTexts { texts, spans })
}

/// Reads the rows every view is made from: the whole database.
pub fn read(conn: &Connection) -> Result<Snapshot, StoreError> {
    read_selected(conn, &Selection::All)
}

/// Reads the given claims, the given entities and every entity those claims refer to, with
/// the conflicts the claims are part of: the rows of one neighbourhood, through the indexes.
/// Both lists hold ids; ids that the database does not have are left out.
pub fn read_claims(
    conn: &Connection,
    claims: &[String],
    entities: &[String],
) -> Result<Snapshot, StoreError> {
    let claims = json_list(claims);
    // Each claim is looked up once, for all the entities it names.
    let entities: Vec<String> = conn
        .prepare(
            "WITH chosen AS MATERIALIZED (
                SELECT c.subject_id, c.object_id, c.reported_by, c.source_id, c.origin_id,
                       c.voice_id
                FROM claims c
                WHERE c.id IN (SELECT value FROM json_each(?1))
             )
             SELECT value FROM json_each(?2)
             UNION SELECT subject_id FROM chosen
             UNION SELECT object_id FROM chosen WHERE object_id IS NOT NULL
             UNION SELECT reported_by FROM chosen
             UNION SELECT source_id FROM chosen
             UNION SELECT origin_id FROM chosen
             UNION SELECT voice_id FROM chosen
             UNION SELECT entity_id FROM claim_citations
                   WHERE claim_id IN (SELECT value FROM json_each(?1))",
        )?
        .query_map([claims.as_str(), json_list(entities).as_str()], |r| {
            r.get(0)
        })?
        .collect::<Result<_, _>>()?;
    read_selected(
        conn,
        &Selection::Only {
            claims,
            entities: json_list(&entities),
        },
    )
}

/// A list of ids as a JSON array, for SQLite's `json_each`.
fn json_list(ids: &[String]) -> String {
    serde_json::Value::from(ids).to_string()
}

/// Which rows a read takes.
#[derive(Debug)]
enum Selection {
    All,
    /// JSON arrays of claim and entity ids; the sources are those of the claims.
    Only {
        claims: String,
        entities: String,
    },
    /// The claims with ids from `from` up to, not including, `to`: one part of all claims.
    Part {
        from: Option<String>,
        to: Option<String>,
    },
}

/// A `WHERE` clause (or none) and the parameters it binds.
#[derive(Debug)]
struct Filter<'s> {
    clause: String,
    parameters: Vec<&'s str>,
}

impl Selection {
    /// Keeps the rows in which any of `columns` is one of the chosen claims.
    fn claims(&self, columns: &[&str]) -> Filter<'_> {
        match self {
            Selection::All => Filter::everything(),
            Selection::Only { claims, .. } => Filter::among(columns, claims),
            Selection::Part { from, to } => {
                let mut parameters = Vec::new();
                let mut bounds = Vec::new();
                for (bound, test) in [(from, ">="), (to, "<")] {
                    if let Some(bound) = bound {
                        parameters.push(bound.as_str());
                        bounds.push((test, parameters.len()));
                    }
                }
                let tests: Vec<String> = columns
                    .iter()
                    .filter(|_| !bounds.is_empty())
                    .map(|column| {
                        let tests: Vec<String> = bounds
                            .iter()
                            .map(|(test, n)| format!("{column} {test} ?{n}"))
                            .collect();
                        format!("({})", tests.join(" AND "))
                    })
                    .collect();
                Filter::of(&tests, " OR ", parameters)
            }
        }
    }

    /// Keeps the rows whose `column` is one of the chosen entities.
    fn entities(&self, column: &str) -> Filter<'_> {
        match self {
            Selection::All | Selection::Part { .. } => Filter::everything(),
            Selection::Only { entities, .. } => Filter::among(&[column], entities),
        }
    }

    /// Keeps the sources of the chosen claims.
    fn sources(&self) -> Filter<'_> {
        match self {
            Selection::All | Selection::Part { .. } => Filter::everything(),
            Selection::Only { claims, .. } => Filter {
                clause: "WHERE id IN (SELECT source_id FROM claims
                                      WHERE id IN (SELECT value FROM json_each(?1)))"
                    .to_owned(),
                parameters: vec![claims],
            },
        }
    }
}

impl<'s> Filter<'s> {
    fn everything() -> Filter<'s> {
        Filter::of(&[], "", Vec::new())
    }

    /// Rows whose `columns` (any of them) are among the JSON array of `ids`.
    fn among(columns: &[&str], ids: &'s str) -> Filter<'s> {
        let tests: Vec<String> = columns
            .iter()
            .map(|c| format!("{c} IN (SELECT value FROM json_each(?1))"))
            .collect();
        Filter::of(&tests, " OR ", vec![ids])
    }

    fn of(tests: &[String], joint: &str, parameters: Vec<&'s str>) -> Filter<'s> {
        Filter {
            clause: if tests.is_empty() {
                String::new()
            } else {
                format!("WHERE {}", tests.join(joint))
            },
            parameters,
        }
    }

    /// `select` with its `{filter}` replaced by this clause.
    fn prepare<'c>(&self, conn: &'c Connection, select: &str) -> Result<Statement<'c>, StoreError> {
        Ok(conn.prepare(&select.replace("{filter}", &self.clause))?)
    }

    fn parameters(&self) -> impl rusqlite::Params + '_ {
        rusqlite::params_from_iter(&self.parameters)
    }
}

/// Each id's position in its list. foldhash rather than SipHash: ids come from the curator, and
/// a read looks up millions of them.
type Positions<'a, I> = HashMap<&'a str, I>;

fn positions<'a, I: From<usize>>(ids: impl ExactSizeIterator<Item = &'a str>) -> Positions<'a, I> {
    let mut map = Positions::with_capacity(ids.len());
    map.extend(ids.enumerate().map(|(i, id)| (id, I::from(i))));
    map
}

/// The position of the id in column `column`; the database's foreign keys guarantee that
/// every reference of a chosen row is chosen too, so a miss is a database this version did
/// not write.
fn position<I: Copy>(map: &Positions<'_, I>, row: &Row<'_>, column: usize) -> rusqlite::Result<I> {
    let id = text(row, column)?;
    map.get(id).copied().ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            column,
            rusqlite::types::Type::Text,
            format!("`{id}` refers to a row that was not read").into(),
        )
    })
}

fn read_selected(conn: &Connection, selection: &Selection) -> Result<Snapshot, StoreError> {
    let entities = read_entities(conn, selection)?;
    let predicates = query(
        conn,
        "SELECT id, label, description, object_type FROM predicates {filter} ORDER BY id",
        &Filter::everything(),
        |r| {
            Ok(PredicateRow {
                id: r.get(0)?,
                label: r.get(1)?,
                description: r.get(2)?,
                object_type: r.get(3)?,
            })
        },
    )?;
    let entity_positions = positions(entities.iter().map(|e| e.id.as_str()));
    let sources = query(
        conn,
        "SELECT id, file, title, language, published, outlet_id, author_id, url
         FROM sources {filter} ORDER BY id",
        &selection.sources(),
        |r| {
            Ok(SourceRow {
                id: r.get(0)?,
                entity: position(&entity_positions, r, 0)?,
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
    let lookups = Lookups {
        entities: entity_positions,
        predicates: positions(predicates.iter().map(|p| p.id.as_str())),
        sources: positions(sources.iter().map(|s| s.id.as_str())),
    };
    let mut claims = match selection {
        Selection::All => read_all_claims(conn, &lookups)?,
        _ => read_claims_of(conn, selection, &lookups, 0)?,
    };
    let conflicts = read_conflicts(conn, selection, &mut claims)?;

    Ok(Snapshot {
        entities: entities.into(),
        predicates: predicates.into(),
        sources: sources.into(),
        claims: claims.into(),
        conflicts: conflicts.into(),
    })
}

/// Where the rows claims refer to are, by id.
#[derive(Debug)]
struct Lookups<'a> {
    entities: Positions<'a, RowEntity>,
    predicates: Positions<'a, RowPredicate>,
    sources: Positions<'a, RowSource>,
}

/// The chosen entities with their aliases and curated links, read side by side in id order.
fn read_entities(conn: &Connection, selection: &Selection) -> Result<Vec<EntityRow>, StoreError> {
    let filter = selection.entities("id");
    let mut entities = query(
        conn,
        "SELECT id, kind, name, description, reliability, wikidata FROM entities {filter}
         ORDER BY id",
        &filter,
        |r| {
            Ok(EntityRow {
                id: r.get(0)?,
                kind: word(r, 1, EntityKind::parse)?,
                name: r.get(2)?,
                aliases: Vec::new(),
                description: r.get(3)?,
                wikidata: r.get(5)?,
                reliability: r.get(4)?,
                fields: Vec::new(),
                links: Vec::new(),
            })
        },
    )?;

    let filter = selection.entities("entity_id");
    let mut statement = filter.prepare(
        conn,
        "SELECT entity_id, alias FROM aliases {filter} ORDER BY entity_id, alias",
    )?;
    let mut rows = statement.query(filter.parameters())?;
    let mut at = 0;
    while let Some(row) = rows.next()? {
        if let Some(entity) = follow(&mut entities, &mut at, text(row, 0)?) {
            entity.aliases.push(row.get(1)?);
        }
    }

    let mut statement = filter.prepare(
        conn,
        "SELECT entity_id, field, value FROM entity_fields {filter} ORDER BY entity_id, field",
    )?;
    let mut rows = statement.query(filter.parameters())?;
    let mut at = 0;
    while let Some(row) = rows.next()? {
        if let Some(entity) = follow(&mut entities, &mut at, text(row, 0)?) {
            entity.fields.push(FieldRow {
                name: row.get(1)?,
                value: stored_value(row, 2)?,
            });
        }
    }

    let mut statement = filter.prepare(
        conn,
        "SELECT entity_id, field, target_id FROM entity_links {filter}
         ORDER BY entity_id, field, position",
    )?;
    let mut rows = statement.query(filter.parameters())?;
    let mut at = 0;
    while let Some(row) = rows.next()? {
        if let Some(entity) = follow(&mut entities, &mut at, text(row, 0)?) {
            entity.links.push(LinkRow {
                field: word(row, 1, RefField::parse)?,
                target: row.get(2)?,
            });
        }
    }
    Ok(entities)
}

/// A value stored as written: numbers keep their type; a blob or NULL is a database this
/// version did not write.
pub(super) fn stored_value(row: &Row<'_>, column: usize) -> rusqlite::Result<StoredValue> {
    match row.get_ref(column)? {
        ValueRef::Integer(i) => Ok(StoredValue::Integer(i)),
        ValueRef::Real(f) => Ok(StoredValue::Real(f)),
        ValueRef::Text(_) => Ok(StoredValue::Text(row.get(column)?)),
        other => Err(rusqlite::Error::InvalidColumnType(
            column,
            "value".to_owned(),
            other.data_type(),
        )),
    }
}

/// Advances `at` through `rows` (sorted by id) to the row with `id`, for a second list sorted
/// by the same ids: a merge, rather than a lookup per row.
fn follow<'r, T: Id>(rows: &'r mut [T], at: &mut usize, id: &str) -> Option<&'r mut T> {
    while rows.get(*at).is_some_and(|row| row.id() < id) {
        *at += 1;
    }
    rows.get_mut(*at).filter(|row| row.id() == id)
}

/// Rows that [`follow`] can merge with.
trait Id {
    fn id(&self) -> &str;
}

impl Id for EntityRow {
    fn id(&self) -> &str {
        &self.id
    }
}

impl Id for ClaimRow {
    fn id(&self) -> &str {
        &self.id
    }
}

/// Below this many claims, reading them in parts side by side is not worth its threads.
const PARTS_FROM: usize = 50_000;

/// Every claim, a large database's read in parts side by side, each part through its own
/// connection: reading and resolving a million claims is most of an export's work, and the
/// other cores would wait meanwhile.
fn read_all_claims(conn: &Connection, lookups: &Lookups<'_>) -> Result<Vec<ClaimRow>, StoreError> {
    let count: usize = conn.query_row("SELECT count(*) FROM claims", [], |r| r.get(0))?;
    let parts = thread::available_parallelism().map_or(1, |n| n.get().min(4));
    // A database in memory cannot be opened twice.
    let path = conn.path().filter(|p| !p.is_empty()).map(Path::new);
    let Some(path) = path.filter(|_| parts > 1 && count >= PARTS_FROM) else {
        return read_claims_of(conn, &Selection::All, lookups, count);
    };
    let mut bounds = vec![None];
    for part in 1..parts {
        let first: String = conn.query_row(
            "SELECT id FROM claims ORDER BY id LIMIT 1 OFFSET ?1",
            [part * count / parts],
            |r| r.get(0),
        )?;
        bounds.push(Some(first));
    }
    bounds.push(None);
    let parts: Vec<Selection> = bounds
        .windows(2)
        .map(|bounds| Selection::Part {
            from: bounds[0].clone(),
            to: bounds[1].clone(),
        })
        .collect();
    let build = inputs(conn)?;
    thread::scope(|scope| {
        let later: Vec<_> = parts[1..]
            .iter()
            .map(|part| {
                let build = &build;
                scope.spawn(move || {
                    let other = super::open_read(path)?;
                    // A build may have renamed a new database over the path meanwhile: then
                    // this part is read through the first connection after all.
                    if inputs(&other)? != *build {
                        return Ok(None);
                    }
                    read_claims_of(&other, part, lookups, 0).map(Some)
                })
            })
            .collect();
        let mut claims = read_claims_of(conn, &parts[0], lookups, count)?;
        for (part, read) in parts[1..].iter().zip(later) {
            match read.join() {
                Ok(rows) => match rows? {
                    Some(rows) => claims.extend(rows),
                    None => claims.extend(read_claims_of(conn, part, lookups, 0)?),
                },
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        Ok(claims)
    })
}

/// What a database was built from, which tells one build from another.
fn inputs(conn: &Connection) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'inputs_sha256'",
            [],
            |r| r.get(0),
        )
        .optional()?)
}

/// The chosen claims, their citing chains merged in from `claim_citations` read in the same
/// order; room for `capacity` is made first, so the rows are never moved while the list grows.
fn read_claims_of(
    conn: &Connection,
    selection: &Selection,
    lookups: &Lookups<'_>,
    capacity: usize,
) -> Result<Vec<ClaimRow>, StoreError> {
    let (entities, predicates, sources) =
        (&lookups.entities, &lookups.predicates, &lookups.sources);
    let filter = selection.claims(&["claim_id"]);
    let mut citations = filter.prepare(
        conn,
        "SELECT claim_id, entity_id FROM claim_citations {filter} ORDER BY claim_id, position",
    )?;
    let mut citations = citations.query(filter.parameters())?;
    let mut citation = citations.next()?;

    let filter = selection.claims(&["c.id"]);
    let mut statement = filter.prepare(
        conn,
        "SELECT c.id, c.source_id, c.reported_by, c.origin_id, c.interested, c.subject_id,
                c.predicate, c.object_id, c.value, c.when_text, c.stance, c.hedged, c.quote, c.note,
                c.voice_id, c.aligned
         FROM claims c
         {filter}
         ORDER BY c.id",
    )?;
    let mut rows = statement.query(filter.parameters())?;
    let mut claims = Vec::with_capacity(capacity);
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let mut citing = Vec::new();
        // Both are sorted by claim id, and every citation's claim is among the claims read.
        while let Some(row) = citation {
            if text(row, 0)? != id {
                break;
            }
            citing.push(position(entities, row, 1)?);
            citation = citations.next()?;
        }
        let target = match r.get_ref(7)? {
            ValueRef::Null => ClaimTarget::Value(stored_value(r, 8)?),
            _ => ClaimTarget::Entity(position(entities, r, 7)?),
        };
        claims.push(ClaimRow {
            source: position(sources, r, 1)?,
            reporter: position(entities, r, 2)?,
            citing,
            origin: position(entities, r, 3)?,
            voice: position(entities, r, 14)?,
            interested: r.get(4)?,
            aligned: r.get(15)?,
            subject: position(entities, r, 5)?,
            predicate: position(predicates, r, 6)?,
            target,
            when: r.get(9)?,
            stance: word(r, 10, Stance::parse)?,
            hedged: r.get(11)?,
            quote: r.get(12)?,
            note: r.get(13)?,
            conflicts: Vec::new(),
            id,
        });
    }
    Ok(claims)
}

/// The conflicts the chosen claims are part of, each claim's listed on it in order. Both
/// claim columns are merged with the claims in id order (the second through its index), so
/// no claim is looked up by id.
fn read_conflicts(
    conn: &Connection,
    selection: &Selection,
    claims: &mut [ClaimRow],
) -> Result<Vec<ConflictRow>, StoreError> {
    // A pair of which only one claim was chosen is still that claim's conflict.
    let filter = selection.claims(&["claim_a", "claim_b"]);
    let mut conflicts = Vec::new();
    let mut statement = filter.prepare(
        conn,
        "SELECT claim_a, claim_b, reason, detail FROM conflict_pairs {filter}
         ORDER BY claim_a, claim_b, reason",
    )?;
    let mut rows = statement.query(filter.parameters())?;
    let mut at = 0;
    while let Some(r) = rows.next()? {
        let i = conflicts.len();
        if let Some(claim) = follow(claims, &mut at, text(r, 0)?) {
            claim.conflicts.push(RowConflict::from(i));
        }
        conflicts.push(ConflictRow {
            claim_a: r.get(0)?,
            claim_b: r.get(1)?,
            reason: word(r, 2, ConflictReason::parse)?,
            detail: r.get(3)?,
        });
    }
    let mut statement = filter.prepare(
        conn,
        "SELECT claim_a, claim_b, reason FROM conflict_pairs {filter} ORDER BY claim_b",
    )?;
    let mut rows = statement.query(filter.parameters())?;
    let mut at = 0;
    let mut both = false;
    while let Some(r) = rows.next()? {
        if let Some(claim) = follow(claims, &mut at, text(r, 1)?) {
            both |= !claim.conflicts.is_empty();
            // The first list is in key order, so the pair is found by its key.
            let key = (text(r, 0)?, text(r, 1)?, text(r, 2)?);
            let i = conflicts
                .binary_search_by(|c| {
                    (c.claim_a.as_str(), c.claim_b.as_str(), c.reason.as_str()).cmp(&key)
                })
                .expect("both reads see the same pairs");
            claim.conflicts.push(RowConflict::from(i));
        }
    }
    // The second merge appends; a claim on both sides of pairs needs its list put in order.
    if both {
        for claim in claims.iter_mut().filter(|c| c.conflicts.len() > 1) {
            claim.conflicts.sort_unstable();
        }
    }
    Ok(conflicts)
}

/// A column's text, borrowed from the row.
fn text<'r>(row: &'r Row<'_>, column: usize) -> rusqlite::Result<&'r str> {
    Ok(row.get_ref(column)?.as_str()?)
}

/// Every row of `select` (its `{filter}` replaced by `filter`), mapped by `row`.
fn query<T>(
    conn: &Connection,
    select: &str,
    filter: &Filter<'_>,
    row: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>, StoreError> {
    let mut statement = filter.prepare(conn, select)?;
    let rows = statement.query_map(filter.parameters(), row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// How an entity takes part in a claim: its reporter, a cited entity, its subject or object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Subject,
    Object,
    Reporter,
    /// Anywhere in the citing chain.
    Cited,
}

/// A claim's references by id: enough to tell which nodes of a view it draws and joins, and by
/// which predicate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimLinks {
    pub id: String,
    pub reporter: String,
    pub subject: String,
    pub predicate: String,
    pub object: Option<String>,
    /// Nearest first.
    pub citing: Vec<String>,
}

/// A curated link by the ids of its two ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkEnds {
    pub from: String,
    pub field: RefField,
    pub to: String,
}

/// The claims and curated links that touch one node, read through the indexes on `claims`,
/// `claim_citations` and `entity_links`: what a walk through a view asks, one node at a time.
/// Each question looks at the command's clock first, so no walk outlives its time limit.
#[derive(Debug)]
pub struct ClaimIndex<'c> {
    conn: &'c Connection,
}

impl<'c> ClaimIndex<'c> {
    pub fn new(conn: &'c Connection) -> ClaimIndex<'c> {
        ClaimIndex { conn }
    }

    /// The claims in which `entity` plays `role`, in id order.
    pub fn claims_with(&self, role: Role, entity: &str) -> Result<Vec<ClaimLinks>, StoreError> {
        super::read::check_clock()?;
        self.links(
            match role {
                Role::Subject => "c.subject_id = ?1",
                Role::Object => "c.object_id = ?1",
                Role::Reporter => "c.reported_by = ?1",
                Role::Cited => {
                    "c.id IN (SELECT claim_id FROM claim_citations WHERE entity_id = ?1)"
                }
            },
            entity,
        )
    }

    /// The claim with this id, if there is one.
    pub fn claim(&self, id: &str) -> Result<Option<ClaimLinks>, StoreError> {
        super::read::check_clock()?;
        Ok(self.links("c.id = ?1", id)?.pop())
    }

    /// The curated links from `entity` (by field, in the order written), then those to it.
    pub fn links_at(&self, entity: &str) -> Result<Vec<LinkEnds>, StoreError> {
        super::read::check_clock()?;
        let mut statement = self.conn.prepare_cached(
            "SELECT entity_id, field, target_id FROM (
                SELECT entity_id, field, position, target_id, 0 AS incoming
                FROM entity_links WHERE entity_id = ?1
                UNION ALL
                SELECT entity_id, field, position, target_id, 1
                FROM entity_links WHERE target_id = ?1
             ) ORDER BY incoming, entity_id, field, position",
        )?;
        let links = statement
            .query_map([entity], |r| {
                Ok(LinkEnds {
                    from: r.get(0)?,
                    field: word(r, 1, RefField::parse)?,
                    to: r.get(2)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(links)
    }

    /// Whether an entity has this id.
    pub fn is_entity(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM entities WHERE id = ?1")?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// The claims matching `condition` on `c` (with `?1` bound to `value`), one row per link
    /// of the citing chain.
    fn links(&self, condition: &str, value: &str) -> Result<Vec<ClaimLinks>, StoreError> {
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT c.id, c.reported_by, c.subject_id, c.object_id, cc.entity_id, c.predicate
             FROM claims c LEFT JOIN claim_citations cc ON cc.claim_id = c.id
             WHERE {condition}
             ORDER BY c.id, cc.position"
        ))?;
        let mut rows = statement.query([value])?;
        let mut claims: Vec<ClaimLinks> = Vec::new();
        while let Some(r) = rows.next()? {
            let id = text(r, 0)?;
            if claims.last().is_none_or(|c| c.id != id) {
                claims.push(ClaimLinks {
                    id: id.to_owned(),
                    reporter: r.get(1)?,
                    subject: r.get(2)?,
                    predicate: r.get(5)?,
                    object: r.get(3)?,
                    citing: Vec::new(),
                });
            }
            if let (Some(claim), Some(cited)) = (claims.last_mut(), r.get::<_, Option<String>>(4)?)
            {
                claim.citing.push(cited);
            }
        }
        Ok(claims)
    }
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
