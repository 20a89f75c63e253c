//! The reading side of the store: the queries behind the analyst commands, each returning
//! typed rows (the commands word them), and the clock that stops them.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::ops::ControlFlow;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode, OptionalExtension, params};

use super::StoreError;
use super::sandbox::{Cell, Rows};
use super::snapshot::stored_value;
use super::word;
use crate::graph::provenance::ConflictReason;
use crate::model::{EntityKind, Stance};

/// How long a reading command may run: its limit, counted from when it started.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    started: Instant,
    limit: Duration,
}

impl Clock {
    /// The limit the command was given.
    pub fn limit(&self) -> Duration {
        self.limit
    }

    /// Whether the limit has passed.
    pub fn passed(&self) -> bool {
        self.started.elapsed() > self.limit
    }
}

/// The clock of the command this process runs. It is the process's, not a connection's, because
/// the limit covers the whole command: every connection it opens (an export reads in parallel
/// through several), the Rust work between statements and the printing.
static CLOCK: OnceLock<Clock> = OnceLock::new();

/// How many SQLite virtual-machine instructions run between two looks at the clock: a few
/// microseconds of work, so a statement stops within a millisecond of the limit.
const INSTRUCTIONS_BETWEEN_LOOKS: i32 = 10_000;

/// Starts the command's clock: from now on every connection [`open_read`](super::open_read)
/// opens interrupts what it runs once `limit` has passed, and [`out_of_time`] says so to the
/// loops between statements and rows. A process runs one command, so the first call counts and
/// later ones return the clock already running.
pub fn start_clock(limit: Duration) -> Clock {
    *CLOCK.get_or_init(|| Clock {
        started: Instant::now(),
        limit,
    })
}

/// The command's clock, when one was started. `build` starts none: the database it reads back
/// for its exports is the one it has just written.
pub fn clock() -> Option<Clock> {
    CLOCK.get().copied()
}

/// Whether the command's time limit has passed (never, when no clock runs).
pub fn out_of_time() -> bool {
    clock().is_some_and(|c| c.passed())
}

/// Makes `conn` interrupt any statement once the command's time limit has passed. Installed by
/// [`open_read`](super::open_read) on every reading connection.
pub(crate) fn watch_clock(conn: &mut Connection) -> rusqlite::Result<()> {
    match clock() {
        Some(clock) => {
            conn.progress_handler(INSTRUCTIONS_BETWEEN_LOOKS, Some(move || clock.passed()))
        }
        None => Ok(()),
    }
}

/// Whether `error` is SQLite stopping a statement at the time limit, or a loop between
/// statements giving up after it.
pub fn timed_out(error: &StoreError) -> bool {
    match error {
        StoreError::Sqlite(e) => is_interrupt(e),
        _ => false,
    }
}

/// Whether SQLite stopped a statement because the progress handler asked it to.
pub(crate) fn is_interrupt(error: &rusqlite::Error) -> bool {
    matches!(error, rusqlite::Error::SqliteFailure(e, _) if e.code == ErrorCode::OperationInterrupted)
}

/// The error a loop between statements returns when the time limit has passed, so that it
/// reads like SQLite's own interruption.
fn interrupted() -> StoreError {
    StoreError::Sqlite(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_INTERRUPT),
        None,
    ))
}

/// Fails with [`interrupted`] once the time limit has passed.
pub(crate) fn check_clock() -> Result<(), StoreError> {
    if out_of_time() {
        Err(interrupted())
    } else {
        Ok(())
    }
}

/// An entity as `show` presents it.
#[derive(Debug, Clone)]
pub struct Profile {
    pub id: String,
    pub kind: EntityKind,
    pub name: String,
    pub aliases: Vec<String>,
    pub description: Option<String>,
    pub reliability: Option<String>,
    /// Where it is defined: the data file and line.
    pub file: String,
    pub line: i64,
    /// Scalar fields by name, then references by field and in the order curated.
    pub fields: Vec<(String, FieldValue)>,
    pub claims_about: Vec<ClaimLine>,
    pub claims_reported: Vec<ClaimLine>,
    pub cited_in: Vec<ClaimLine>,
    /// The documents naming it, by id.
    pub mentioned_in: Vec<MentionedIn>,
}

/// The value of a curated field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    /// A scalar (a number as text).
    Scalar(String),
    /// A reference to another entity.
    Entity { id: String, name: String },
}

/// A document naming an entity, and how often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionedIn {
    pub source_id: String,
    pub title: Option<String>,
    pub mentions: i64,
}

/// One claim, readable on its own.
#[derive(Debug, Clone)]
pub struct ClaimLine {
    pub id: String,
    pub source_id: String,
    pub reporter: String,
    /// Names, nearest first.
    pub citing: Vec<String>,
    pub origin: String,
    /// The origin's voice (see `claim_origins`), and its name.
    pub voice_id: String,
    pub voice: String,
    pub interested: bool,
    pub subject: String,
    pub predicate: String,
    pub predicate_label: String,
    pub object: String,
    pub when: Option<String>,
    pub stance: Stance,
    pub hedged: bool,
    pub quote: String,
    pub note: Option<String>,
}

const CLAIM_LINE: &str =
    "SELECT w.claim_id, w.source_id, w.reporter, w.origin, w.interested, w.subject,
        w.predicate, w.predicate_label, w.object, w.\"when\", w.stance, w.hedged, w.quote, w.note,
        w.voice, w.voice_id
     FROM who_reported_what w";

fn claim_lines(
    conn: &Connection,
    filter: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<Vec<ClaimLine>, StoreError> {
    let sql = format!("{CLAIM_LINE} {filter} ORDER BY w.predicate, w.source_id, w.claim_id");
    let mut statement = conn.prepare(&sql)?;
    let mut lines = statement
        .query_map(params, |r| {
            Ok(ClaimLine {
                id: r.get(0)?,
                source_id: r.get(1)?,
                reporter: r.get(2)?,
                citing: Vec::new(),
                origin: r.get(3)?,
                interested: r.get(4)?,
                subject: r.get(5)?,
                predicate: r.get(6)?,
                predicate_label: r.get(7)?,
                object: stored_value(r, 8)?.to_text(),
                when: r.get(9)?,
                stance: word(r, 10, Stance::parse)?,
                hedged: r.get(11)?,
                quote: r.get(12)?,
                note: r.get(13)?,
                voice: r.get(14)?,
                voice_id: r.get(15)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut chain = conn.prepare(
        "SELECT e.name FROM claim_citations c JOIN entities e ON e.id = c.entity_id
         WHERE c.claim_id = ?1 ORDER BY c.position",
    )?;
    for line in &mut lines {
        check_clock()?;
        line.citing = chain
            .query_map([&line.id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
    }
    Ok(lines)
}

/// The profile of one entity, or `None` when no entity has that id.
pub fn profile(conn: &Connection, id: &str) -> Result<Option<Profile>, StoreError> {
    let Some((kind, name, description, reliability, file, line)) = conn
        .query_row(
            "SELECT kind, name, description, reliability, file, line FROM entities WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    word(r, 0, EntityKind::parse)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, i64>(5)?,
                ))
            },
        )
        .optional()?
    else {
        return Ok(None);
    };
    let strings = |sql: &str| -> Result<Vec<String>, StoreError> {
        let mut statement = conn.prepare(sql)?;
        let values = statement
            .query_map([id], |r| r.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(values)
    };
    let aliases = strings("SELECT alias FROM aliases WHERE entity_id = ?1 ORDER BY alias")?;
    let mut fields = Vec::new();
    let mut statement =
        conn.prepare("SELECT field, value FROM entity_fields WHERE entity_id = ?1 ORDER BY field")?;
    for field in statement.query_map([id], |r| {
        Ok((r.get(0)?, FieldValue::Scalar(stored_value(r, 1)?.to_text())))
    })? {
        fields.push(field?);
    }
    let mut statement = conn.prepare(
        "SELECT l.field, e.id, e.name FROM entity_links l JOIN entities e ON e.id = l.target_id
         WHERE l.entity_id = ?1 ORDER BY l.field, l.position",
    )?;
    let links = statement.query_map([id], |r| {
        Ok((
            r.get(0)?,
            FieldValue::Entity {
                id: r.get(1)?,
                name: r.get(2)?,
            },
        ))
    })?;
    for field in links {
        fields.push(field?);
    }
    let mut statement = conn.prepare(
        "SELECT m.source_id, s.title, count(*) FROM mentions m
         JOIN sources s ON s.id = m.source_id WHERE m.entity_id = ?1
         GROUP BY m.source_id ORDER BY m.source_id",
    )?;
    let mentioned_in = statement
        .query_map([id], |r| {
            Ok(MentionedIn {
                source_id: r.get(0)?,
                title: r.get(1)?,
                mentions: r.get(2)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(Some(Profile {
        id: id.to_owned(),
        kind,
        name,
        aliases,
        description,
        reliability,
        file,
        line,
        fields,
        claims_about: claim_lines(conn, "WHERE w.subject_id = ?1 OR w.object_id = ?1", &[&id])?,
        claims_reported: claim_lines(conn, "WHERE w.reporter_id = ?1", &[&id])?,
        cited_in: claim_lines(
            conn,
            "WHERE w.claim_id IN (SELECT claim_id FROM claim_citations WHERE entity_id = ?1)",
            &[&id],
        )?,
        mentioned_in,
    }))
}

/// Ids and names close to an unknown id, for "did you mean" hints.
pub fn suggestions(conn: &Connection, wanted: &str) -> Result<Vec<(String, String)>, StoreError> {
    let mut statement = conn.prepare(
        "SELECT id, name FROM entities
         UNION SELECT e.id, a.alias FROM aliases a JOIN entities e ON e.id = a.entity_id",
    )?;
    let wanted_lower = wanted.to_lowercase();
    let mut scored: Vec<(f64, String, String)> = Vec::new();
    for names in
        statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
    {
        let (id, name) = names?;
        let score = strsim::jaro_winkler(&wanted_lower, &id)
            .max(strsim::jaro_winkler(&wanted_lower, &name.to_lowercase()));
        if score >= 0.75 {
            scored.push((score, id, name));
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut seen = BTreeSet::new();
    Ok(scored
        .into_iter()
        .filter(|(_, id, _)| seen.insert(id.clone()))
        .take(5)
        .map(|(_, id, name)| (id, name))
        .collect())
}

/// What a full-text hit is: the `kind` column of `search_refs`, beside the `search` index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HitKind {
    /// An entity's name.
    Entity,
    Alias,
    /// A claim's quote.
    Quote,
    /// A claim's note.
    Note,
    /// A document's text.
    Document,
}

impl HitKind {
    pub const ALL: [HitKind; 5] = [
        HitKind::Entity,
        HitKind::Alias,
        HitKind::Quote,
        HitKind::Note,
        HitKind::Document,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HitKind::Entity => "entity",
            HitKind::Alias => "alias",
            HitKind::Quote => "quote",
            HitKind::Note => "note",
            HitKind::Document => "document",
        }
    }

    pub fn parse(word: &str) -> Option<HitKind> {
        HitKind::ALL.into_iter().find(|k| k.as_str() == word)
    }
}

/// One full-text hit.
#[derive(Debug, Clone)]
pub struct SearchHit {
    pub kind: HitKind,
    /// The entity's, claim's or document's id.
    pub id: String,
    /// What the hit is in: an entity or document by its name, a quote or note by its claim.
    pub of: HitOf,
    /// The text around the match, the match marked.
    pub passage: String,
}

/// What a full-text hit is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HitOf {
    /// An entity (a document is one too), by its name.
    Entity { name: String },
    /// A claim, by its subject's name, its predicate's label, and its object's name or value.
    Claim {
        subject: String,
        predicate_label: String,
        object: Option<String>,
    },
    /// Nothing the index names any more (a damaged database).
    Unknown,
}

/// Full-text search over names, aliases, quotes, notes and documents, ranked by BM25.
/// The text is taken as words, not as FTS5 syntax (see [`fts_query`]); each match is
/// highlighted with `open` and `close`.
///
/// The index keeps no copy of the texts (schema.sql), so each hit's passage is cut from the
/// table its text is stored in: the hits' texts go into a small index of their own, made
/// with the same tokenizer, and FTS5's `snippet` marks the same query there; the passage is
/// the one a copy in the index would give.
pub fn search(
    conn: &Connection,
    text: &str,
    limit: usize,
    open: &str,
    close: &str,
) -> Result<Vec<SearchHit>, StoreError> {
    let Some(query) = fts_query(text) else {
        return Ok(Vec::new());
    };
    // Each hit's entity or claim is looked up by its key. A join with the `who_reported_what`
    // view instead would build the whole view (every claim, with its chain) on every search:
    // over 20 s at a million claims. An alias hit's texts are its entity's aliases, the one
    // that matched among them.
    let mut statement = conn.prepare(
        "SELECT s.kind, s.ref, e.name, subject.name, p.label,
                coalesce(object.name, c.value),
                CASE s.kind WHEN 'entity' THEN json_array(e.name)
                            WHEN 'quote' THEN json_array(c.quote)
                            WHEN 'note' THEN json_array(c.note)
                            WHEN 'document' THEN (SELECT json_array(d.text) FROM sources d
                                                  WHERE d.id = s.ref)
                            ELSE (SELECT json_group_array(a.alias) FROM aliases a
                                  WHERE a.entity_id = s.ref) END
         FROM search
         JOIN search_refs s ON s.id = search.rowid
         LEFT JOIN entities e ON s.kind NOT IN ('quote', 'note') AND e.id = s.ref
         LEFT JOIN claims c ON s.kind IN ('quote', 'note') AND c.id = s.ref
         LEFT JOIN entities subject ON subject.id = c.subject_id
         LEFT JOIN predicates p ON p.id = c.predicate
         LEFT JOIN entities object ON object.id = c.object_id
         WHERE search MATCH ?1
         ORDER BY bm25(search), s.kind, s.ref
         LIMIT ?2",
    )?;
    let mut texts: Vec<String> = Vec::new();
    let mut hits: Vec<SearchHit> = statement
        .query_map(params![query, limit], |r| {
            let of = match (r.get(2)?, r.get(3)?, r.get(4)?) {
                (Some(name), _, _) => HitOf::Entity { name },
                (None, Some(subject), Some(predicate_label)) => HitOf::Claim {
                    subject,
                    predicate_label,
                    object: match r.get_ref(5)? {
                        rusqlite::types::ValueRef::Null => None,
                        _ => Some(stored_value(r, 5)?.to_text()),
                    },
                },
                _ => HitOf::Unknown,
            };
            texts.push(r.get::<_, Option<String>>(6)?.unwrap_or_default());
            Ok(SearchHit {
                kind: word(r, 0, HitKind::parse)?,
                id: r.get(1)?,
                of,
                passage: String::new(),
            })
        })?
        .collect::<Result<_, _>>()?;
    // A hit's texts are indexed once, at the first hit of its kind and id (an entity with
    // two matching aliases has two alias hits); the n-th such hit takes the n-th passage.
    let mut first: HashMap<(HitKind, &str), usize> = HashMap::new();
    let firsts: Vec<usize> = hits
        .iter()
        .enumerate()
        .map(|(n, hit)| *first.entry((hit.kind, hit.id.as_str())).or_insert(n))
        .collect();
    let unique = firsts
        .iter()
        .enumerate()
        .filter(|&(n, &f)| n == f)
        .map(|(n, _)| (n, texts[n].as_str()));
    let mut passages = passages(conn, &query, unique, open, close)?;
    for (hit, f) in hits.iter_mut().zip(firsts) {
        if let Some(passage) = passages.get_mut(&f).and_then(|p| p.pop_front()) {
            hit.passage = passage;
        }
    }
    Ok(hits)
}

/// The passages that `query` matches in `texts` (each hit's position and the JSON array of
/// the texts it may be in), marked by FTS5's `snippet`: for each position whose texts match,
/// the matching ones' passages in the order of its array.
fn passages<'t>(
    conn: &Connection,
    query: &str,
    texts: impl Iterator<Item = (usize, &'t str)>,
    open: &str,
    close: &str,
) -> Result<HashMap<usize, VecDeque<String>>, StoreError> {
    // The tokenizer of the `search` table in schema.sql: the same words must match.
    conn.execute_batch(
        "DROP TABLE IF EXISTS temp.search_passages;
         CREATE VIRTUAL TABLE temp.search_passages USING fts5 (
             text, tokenize = 'unicode61 remove_diacritics 2'
         );",
    )?;
    let found = (|| -> Result<HashMap<usize, VecDeque<String>>, StoreError> {
        // Row ids keep each hit's texts together and in order: hits are at most 100 000,
        // and no entity has a million aliases.
        let mut insert = conn.prepare(
            "INSERT INTO temp.search_passages (rowid, text)
             SELECT ?1 * 1000000 + key, value FROM json_each(?2)",
        )?;
        for (n, json) in texts {
            insert.execute(params![n, json])?;
        }
        let mut matched = conn.prepare(
            "SELECT rowid / 1000000, snippet(search_passages, 0, ?2, ?3, '…', 12)
             FROM temp.search_passages WHERE search_passages MATCH ?1 ORDER BY rowid",
        )?;
        let mut found: HashMap<usize, VecDeque<String>> = HashMap::new();
        let rows = matched.query_map(params![query, open, close], |r| {
            Ok((r.get::<_, usize>(0)?, r.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (n, passage) = row?;
            found.entry(n).or_default().push_back(passage);
        }
        Ok(found)
    })();
    conn.execute_batch("DROP TABLE temp.search_passages;")?;
    found
}

/// The FTS5 query for what a user typed: every word must occur, and words in double quotes
/// must occur together, in that order (`"bereits 18" Soldaten`). Each word and each phrase
/// becomes an FTS5 string, so nothing the user types is FTS5 syntax (`NEAR(`, `OR`, `-`, `*`,
/// `column:` are words like any other) and no text can make a syntax error; a quote left open
/// runs to the end. `None` when there is no word at all.
pub fn fts_query(text: &str) -> Option<String> {
    let string = |words: &str| format!("\"{}\"", words.replace('"', "\"\""));
    let mut terms = Vec::new();
    for (n, part) in text.split('"').enumerate() {
        // Odd parts were inside double quotes.
        if n % 2 == 1 {
            let phrase = part.split_whitespace().collect::<Vec<_>>().join(" ");
            if !phrase.is_empty() {
                terms.push(string(&phrase));
            }
        } else {
            terms.extend(part.split_whitespace().map(string));
        }
    }
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// `(kind, name)` of an entity.
pub fn entity_name(
    conn: &Connection,
    id: &str,
) -> Result<Option<(EntityKind, String)>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT kind, name FROM entities WHERE id = ?1")?
        .query_row([id], |r| Ok((word(r, 0, EntityKind::parse)?, r.get(1)?)))
        .optional()?)
}

/// The claims that state one statement edge of the entities view (`view::walk`), with their
/// origins.
pub fn edge_claims(
    conn: &Connection,
    subject: &str,
    predicate: &str,
    object: &str,
) -> Result<Vec<ClaimLine>, StoreError> {
    claim_lines(
        conn,
        "WHERE w.subject_id = ?1 AND w.object_id = ?2 AND w.predicate = ?3",
        &[&subject, &object, &predicate],
    )
}

/// One pair of contradicting claims, as the build stored it in `conflict_rows`.
#[derive(Debug, Clone)]
pub struct ConflictPair {
    pub reason: ConflictReason,
    pub detail: String,
    /// The subject's name and the predicate's label, which both claims share (as claim A
    /// words them).
    pub subject: String,
    pub predicate_label: String,
    pub a: ConflictSide,
    pub b: ConflictSide,
}

/// One claim of a conflict.
#[derive(Debug, Clone)]
pub struct ConflictSide {
    pub claim_id: String,
    pub source_id: String,
    pub reporter: String,
    /// The names the reporter cites, nearest first, `None` when it cites nobody.
    pub citing: Option<String>,
    pub origin_id: String,
    pub stance: Stance,
    /// The object's name, or the value as stored (a number stays a number).
    pub object: Cell,
    pub quote: String,
}

fn conflict_side(r: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<ConflictSide> {
    Ok(ConflictSide {
        claim_id: r.get(first)?,
        source_id: r.get(first + 1)?,
        reporter: r.get(first + 2)?,
        citing: r.get(first + 3)?,
        origin_id: r.get(first + 4)?,
        stance: word(r, first + 5, Stance::parse)?,
        object: Cell::from_value(r.get_ref(first + 6)?),
        quote: r.get(first + 7)?,
    })
}

/// Hands `each` the rows of a fixed query one at a time, in the query's order, until it breaks
/// off: nothing is held but the row at hand.
fn each_row<T, E: From<StoreError>>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    read: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    mut each: impl FnMut(T) -> Result<ControlFlow<()>, E>,
) -> Result<(), E> {
    let mut statement = conn.prepare(sql).map_err(StoreError::from)?;
    let mut rows = statement.query(params).map_err(StoreError::from)?;
    while let Some(r) = rows.next().map_err(StoreError::from)? {
        let row = read(r).map_err(StoreError::from)?;
        if each(row)?.is_break() {
            break;
        }
    }
    Ok(())
}

/// Every conflict with both claims, by reason, subject and claims, one at a time.
pub fn conflicts<E: From<StoreError>>(
    conn: &Connection,
    each: impl FnMut(ConflictPair) -> Result<ControlFlow<()>, E>,
) -> Result<(), E> {
    each_row(
        conn,
        "SELECT reason, detail, subject, predicate_label,
                a_claim, a_document, a_reporter, a_citing, a_origin, a_stance, a_object, a_quote,
                b_claim, b_document, b_reporter, b_citing, b_origin, b_stance, b_object, b_quote
         FROM conflict_rows ORDER BY position",
        [],
        |r| {
            Ok(ConflictPair {
                reason: word(r, 0, ConflictReason::parse)?,
                detail: r.get(1)?,
                subject: r.get(2)?,
                predicate_label: r.get(3)?,
                a: conflict_side(r, 4)?,
                b: conflict_side(r, 12)?,
            })
        },
        each,
    )
}

/// One statement (subject, predicate, object or value, stance) with the voices for it and,
/// when its other stance is stated too, against it.
#[derive(Debug, Clone)]
pub struct CorroborationRow {
    pub subject_id: String,
    pub predicate: String,
    /// The object's id, or the value as stored (a number stays a number).
    pub object: Cell,
    pub stance: Stance,
    pub reports: i64,
    pub documents: i64,
    /// Distinct voices of its own stance.
    pub origins: i64,
    /// Distinct voices of the other stance, which never add to `origins`.
    pub opposing_origins: i64,
    pub circular: bool,
    pub conflicting: bool,
    /// Its voices, worded: each with the origins it stands for and those that echo it, `*`
    /// when interested, `~` when only aligned ("ukraine (ukraine-intelligence)*, witness").
    pub voices: String,
    /// The voices of the other stance of the same subject, predicate and object, worded alike;
    /// `None` when that stance is not stated.
    pub opposing: Option<String>,
    /// Each literal origin behind it with the analyst's reliability grade ("tass:D, bbc:?").
    pub grades: String,
}

/// One row per statement, as the build stored them (`corroboration_rows` beside
/// `statements`): reports, documents, independent origins (voices) for it and against it,
/// whether its reporting is circular, its voices and its origins' grades. Ordered by origins
/// and documents, most first. With a subject, only its statements are read, through their
/// index. One row at a time.
pub fn corroboration<E: From<StoreError>>(
    conn: &Connection,
    subject: Option<&str>,
    each: impl FnMut(CorroborationRow) -> Result<ControlFlow<()>, E>,
) -> Result<(), E> {
    let filter = if subject.is_some() {
        "WHERE r.subject_id = ?1"
    } else {
        ""
    };
    each_row(
        conn,
        &format!(
            "SELECT s.subject_id, s.predicate, coalesce(s.object_id, s.value), s.stance,
                    s.reports, s.documents, s.origins, s.opposing_origins, s.circular,
                    s.conflicting, r.origin_ids, r.against_ids, r.reliability
             FROM corroboration_rows r JOIN statements s ON s.id = r.statement_id
             {filter}
             ORDER BY r.position"
        ),
        rusqlite::params_from_iter(subject),
        |r| {
            Ok(CorroborationRow {
                subject_id: r.get(0)?,
                predicate: r.get(1)?,
                object: Cell::from_value(r.get_ref(2)?),
                stance: word(r, 3, Stance::parse)?,
                reports: r.get(4)?,
                documents: r.get(5)?,
                origins: r.get(6)?,
                opposing_origins: r.get(7)?,
                circular: r.get(8)?,
                conflicting: r.get(9)?,
                voices: r.get(10)?,
                opposing: r.get(11)?,
                grades: r.get(12)?,
            })
        },
        each,
    )
}

/// One place where an entity is named in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionRow {
    pub entity_id: String,
    pub name: String,
    pub source_id: String,
    /// Character offsets, end exclusive.
    pub start: i64,
    pub end: i64,
    /// The passage as it stands in the document.
    pub text: String,
}

/// An entity named in a document that none of the document's claims uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnlinkedRow {
    pub source_id: String,
    pub entity_id: String,
    pub kind: EntityKind,
    pub name: String,
    /// How often the document names it.
    pub mentions: i64,
    /// Where it is first named (character offset).
    pub first_at: i64,
    /// The 60 characters from there.
    pub context: String,
}

/// Where entities are named in documents, document by document (in id order) and by position,
/// one at a time. Goes through the documents one at a time: each passage is cut from the
/// document's text read once, where SQLite's `substr` would read the whole document again for
/// every mention.
pub fn mentions<E: From<StoreError>>(
    conn: &Connection,
    mut each: impl FnMut(MentionRow) -> Result<ControlFlow<()>, E>,
) -> Result<(), E> {
    let mut found = conn
        .prepare(
            "SELECT m.entity_id, e.name, m.mention_start, m.mention_end
             FROM mentions m JOIN entities e ON e.id = m.entity_id
             WHERE m.source_id = ?1
             ORDER BY m.mention_start, m.entity_id",
        )
        .map_err(StoreError::from)?;
    let mut documents = conn
        .prepare("SELECT id, text FROM sources ORDER BY id")
        .map_err(StoreError::from)?;
    let mut each_document = documents.query([]).map_err(StoreError::from)?;
    while let Some(document) = each_document.next().map_err(StoreError::from)? {
        check_clock()?;
        let source: String = document.get(0).map_err(StoreError::from)?;
        let text: String = document.get(1).map_err(StoreError::from)?;
        let mut passages = Passages::new(&text);
        let mut names = found.query([&source]).map_err(StoreError::from)?;
        while let Some(r) = names.next().map_err(StoreError::from)? {
            let row = (|| -> rusqlite::Result<MentionRow> {
                let (start, end): (i64, i64) = (r.get(2)?, r.get(3)?);
                Ok(MentionRow {
                    entity_id: r.get(0)?,
                    name: r.get(1)?,
                    source_id: source.clone(),
                    start,
                    end,
                    text: passages.cut(start, end),
                })
            })()
            .map_err(StoreError::from)?;
            if each(row)?.is_break() {
                return Ok(());
            }
        }
    }
    Ok(())
}

/// The names found in a document that no claim of that document uses, with the first passage:
/// the curator's to-do list, as the build stored it, one at a time.
pub fn unlinked_mentions<E: From<StoreError>>(
    conn: &Connection,
    each: impl FnMut(UnlinkedRow) -> Result<ControlFlow<()>, E>,
) -> Result<(), E> {
    each_row(
        conn,
        "SELECT source_id, entity_id, kind, name, mentions, first_at, context
         FROM unlinked_mentions ORDER BY source_id, first_at, entity_id",
        [],
        |r| {
            Ok(UnlinkedRow {
                source_id: r.get(0)?,
                entity_id: r.get(1)?,
                kind: word(r, 2, EntityKind::parse)?,
                name: r.get(3)?,
                mentions: r.get(4)?,
                first_at: r.get(5)?,
                context: r.get(6)?,
            })
        },
        each,
    )
}

/// A document's text, cut by character offsets as SQLite's `substr` counts them. Passages are
/// asked for in the order they start, so a cursor walks the text once, whatever its size,
/// instead of a table of every character's byte being built for it.
struct Passages<'t> {
    text: &'t str,
    /// Where the last passage started: `(character, byte)`.
    at: (usize, usize),
}

impl<'t> Passages<'t> {
    fn new(text: &'t str) -> Passages<'t> {
        Passages { text, at: (0, 0) }
    }

    /// Characters `start..end`, clamped to the text. A passage that starts before the last one
    /// is found from the beginning.
    fn cut(&mut self, start: i64, end: i64) -> String {
        let (start, end) = (chars(start), chars(end));
        let origin = if start >= self.at.0 { self.at } else { (0, 0) };
        let from = origin.1 + byte_after(&self.text[origin.1..], start - origin.0);
        self.at = (start, from);
        let to = from + byte_after(&self.text[from..], end.saturating_sub(start));
        self.text[from..to].to_owned()
    }
}

/// An offset from the database as a count of characters; a negative one is 0.
fn chars(offset: i64) -> usize {
    usize::try_from(offset).unwrap_or(0)
}

/// The byte at which character `n` of `text` starts, or the text's length.
fn byte_after(text: &str, n: usize) -> usize {
    text.char_indices().nth(n).map_or(text.len(), |(at, _)| at)
}

/// One section of `stats`: its title and its rows.
#[derive(Debug, Clone)]
pub struct StatsSection {
    pub title: String,
    pub rows: Rows,
}

/// The sections of `stats`, as the build counted them (`stats_cells`): entities by kind,
/// claims by document and by predicate, the ten entities most claims are about, the ten
/// origins of most claims, and the analysis in numbers. Each section holds at most `limit`
/// rows; the second value says whether one had more.
pub fn stats(
    conn: &Connection,
    limit: Option<usize>,
) -> Result<(Vec<StatsSection>, bool), StoreError> {
    let mut sections: Vec<StatsSection> = Vec::new();
    let mut left_out = false;
    let mut cells = conn.prepare(
        "SELECT section_no, section, row, column, value FROM stats_cells
         ORDER BY section_no, row, column_no",
    )?;
    let mut each = cells.query([])?;
    let mut at = (-1_i64, -1_i64);
    while let Some(r) = each.next()? {
        check_clock()?;
        let (section, row): (i64, i64) = (r.get(0)?, r.get(2)?);
        if section != at.0 {
            sections.push(StatsSection {
                title: r.get(1)?,
                rows: Rows {
                    columns: Vec::new(),
                    rows: Vec::new(),
                },
            });
        }
        let here = &mut sections.last_mut().expect("pushed above").rows;
        if row == 0 {
            here.columns.push(r.get(3)?);
        } else if limit.is_some_and(|limit| usize::try_from(row).is_ok_and(|row| row > limit)) {
            left_out = true;
        } else {
            if (section, row) != at {
                here.rows.push(Vec::new());
            }
            let cells = here.rows.last_mut().expect("pushed above");
            cells.push(Cell::from_value(r.get_ref(4)?));
        }
        at = (section, row);
    }
    Ok((sections, left_out))
}

#[cfg(test)]
mod tests {
    use super::{Passages, fts_query};

    #[test]
    fn search_text_becomes_words_and_phrases_never_fts_syntax() {
        assert_eq!(
            fts_query("Behörden  festgenommen").as_deref(),
            Some("\"Behörden\" \"festgenommen\"")
        );
        assert_eq!(
            fts_query("\"bereits 18\"   Soldaten").as_deref(),
            Some("\"bereits 18\" \"Soldaten\"")
        );
        assert_eq!(
            fts_query("NEAR( a OR -b text:c* \"open").as_deref(),
            Some("\"NEAR(\" \"a\" \"OR\" \"-b\" \"text:c*\" \"open\"")
        );
        assert_eq!(fts_query("  \"\" "), None);
    }

    #[test]
    fn passages_are_cut_by_characters_in_any_order_and_clamped() {
        let text = "Die Behörden haben 18 Soldaten festgenommen – так.";
        let mut passages = Passages::new(text);
        assert_eq!(passages.cut(4, 12), "Behörden");
        assert_eq!(passages.cut(44, 49), "– так");
        // A passage that starts before the last one, and one that runs past the end.
        assert_eq!(passages.cut(0, 3), "Die");
        assert_eq!(passages.cut(46, 100), "так.");
        assert_eq!(passages.cut(60, 70), "");
        assert_eq!(passages.cut(-1, 3), "Die");
    }
}
