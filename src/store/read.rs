//! The reading side of the store: the queries behind the analyst commands, and the clock that
//! stops them. Each reads what it needs through indexes, never the whole graph.

use std::collections::BTreeSet;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode, OptionalExtension, params};

use super::StoreError;
use super::sandbox::{Cell, Rows};

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

/// Runs a fixed query of the tool (not analysts' SQL) into rows.
pub fn rows(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Rows, StoreError> {
    let mut statement = conn.prepare(sql)?;
    let columns: Vec<String> = statement.column_names().map(str::to_owned).collect();
    let width = columns.len();
    let rows = statement
        .query_map(params, |row| {
            (0..width)
                .map(|i| row.get_ref(i).map(Cell::from_value))
                .collect::<Result<Vec<_>, _>>()
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Rows { columns, rows })
}

/// An entity as `show` presents it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Profile {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub description: Option<String>,
    pub reliability: Option<String>,
    pub defined_at: String,
    /// Scalar and reference fields, in the order curated: `(field, value)`.
    pub fields: Vec<(String, String)>,
    pub claims_about: Vec<ClaimLine>,
    pub claims_reported: Vec<ClaimLine>,
    pub cited_in: Vec<ClaimLine>,
    /// `(source id, title, number of mentions)`.
    pub mentioned_in: Vec<(String, String, i64)>,
}

/// One claim, readable on its own.
#[derive(Debug, Clone, serde::Serialize)]
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
    pub stance: String,
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
                object: r.get::<_, rusqlite::types::Value>(8).map(|v| match v {
                    rusqlite::types::Value::Text(t) => t,
                    rusqlite::types::Value::Integer(i) => i.to_string(),
                    rusqlite::types::Value::Real(f) => f.to_string(),
                    _ => String::new(),
                })?,
                when: r.get(9)?,
                stance: r.get(10)?,
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
                    r.get::<_, String>(0)?,
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
    let mut statement = conn.prepare(
        "SELECT field, CAST(value AS TEXT) FROM entity_fields WHERE entity_id = ?1 ORDER BY field",
    )?;
    for field in statement.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))? {
        fields.push(field?);
    }
    let mut statement = conn.prepare(
        "SELECT l.field, e.name || ' (' || e.id || ')' FROM entity_links l JOIN entities e ON e.id = l.target_id
         WHERE l.entity_id = ?1 ORDER BY l.field, l.position",
    )?;
    for field in statement.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))? {
        fields.push(field?);
    }
    let mut statement = conn.prepare(
        "SELECT m.source_id, coalesce(s.title, m.source_id), count(*) FROM mentions m
         JOIN sources s ON s.id = m.source_id WHERE m.entity_id = ?1
         GROUP BY m.source_id ORDER BY m.source_id",
    )?;
    let mentioned_in = statement
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    Ok(Some(Profile {
        id: id.to_owned(),
        kind,
        name,
        aliases,
        description,
        reliability,
        defined_at: format!("{file}:{line}"),
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

/// Full-text search over names, aliases, quotes, notes and documents, ranked by BM25.
/// The text is taken as words, not as FTS5 syntax (see [`fts_query`]); each match is
/// highlighted with `open` and `close`.
pub fn search(
    conn: &Connection,
    text: &str,
    limit: usize,
    open: &str,
    close: &str,
) -> Result<Rows, StoreError> {
    let Some(query) = fts_query(text) else {
        return Ok(Rows {
            columns: vec!["kind".into(), "id".into(), "name".into(), "passage".into()],
            rows: Vec::new(),
        });
    };
    // Each hit's name is looked up by its key. A join with the `who_reported_what` view
    // instead would build the whole view (every claim, with its chain) on every search: over
    // 20 s at a million claims.
    rows(
        conn,
        "SELECT s.kind, s.ref AS id,
                CASE WHEN s.kind IN ('quote', 'note') THEN
                  (SELECT subject.name || ' ' || p.label || ' ' || coalesce(object.name, c.value, '')
                     FROM claims c
                     JOIN entities subject ON subject.id = c.subject_id
                     JOIN predicates p ON p.id = c.predicate
                     LEFT JOIN entities object ON object.id = c.object_id
                    WHERE c.id = s.ref)
                ELSE (SELECT name FROM entities WHERE id = s.ref) END AS name,
                snippet(search, 2, ?2, ?3, '…', 12) AS passage
         FROM search s
         WHERE search MATCH ?1
         ORDER BY bm25(search), s.kind, s.ref
         LIMIT ?4",
        params![query, open, close, limit],
    )
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
pub fn entity_name(conn: &Connection, id: &str) -> Result<Option<(String, String)>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT kind, name FROM entities WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
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

/// Every conflict with both claims side by side.
pub fn conflicts(conn: &Connection) -> Result<Rows, StoreError> {
    rows(
        conn,
        "SELECT x.reason, x.detail,
                a.subject || ' ' || a.predicate_label AS statement,
                a.claim_id AS a_claim, a.source_id AS a_document, a.reporter AS a_reporter,
                a.citing AS a_citing, a.origin_id AS a_origin, a.stance AS a_stance,
                coalesce(a.object, '') AS a_object, a.quote AS a_quote,
                b.claim_id AS b_claim, b.source_id AS b_document, b.reporter AS b_reporter,
                b.citing AS b_citing, b.origin_id AS b_origin, b.stance AS b_stance,
                coalesce(b.object, '') AS b_object, b.quote AS b_quote
         FROM conflicts x
         JOIN who_reported_what a ON a.claim_id = x.claim_a
         JOIN who_reported_what b ON b.claim_id = x.claim_b
         ORDER BY x.reason, a.subject_id, x.claim_a, x.claim_b",
        [],
    )
}

/// One row per statement: reports, documents, independent origins (voices) for it and against
/// it (the other stance of the same subject, predicate and object, counted apart and never as
/// support), circular reporting named as such, interested (`*`) and aligned (`~`) origins
/// flagged, and the analyst's reliability grades of the literal origins. A voice reached
/// through `part_of` shows the origins it stands for: `ukraine (ukraine-intelligence)`. With a
/// subject, only its statements are read, through their index.
pub fn corroboration(conn: &Connection, subject: Option<&str>) -> Result<Rows, StoreError> {
    let (claims_filter, statements_filter) = if subject.is_some() {
        ("WHERE c.subject_id = ?1", "WHERE s.subject_id = ?1")
    } else {
        ("", "")
    };
    rows(
        conn,
        &format!(
            "WITH voice_origins AS (
            SELECT DISTINCT c.statement_id, c.voice_id, c.origin_id, c.echoes, c.interested,
                   c.aligned
            FROM claims c
            {claims_filter}
         ), voices AS (
            SELECT statement_id, voice_id, max(interested) AS interested, max(aligned) AS aligned,
                   group_concat(DISTINCT CASE WHEN origin_id <> voice_id AND NOT echoes
                                              THEN origin_id END ORDER BY origin_id) AS via,
                   group_concat(DISTINCT CASE WHEN echoes THEN origin_id END ORDER BY origin_id)
                     AS echoed
            FROM voice_origins
            GROUP BY statement_id, voice_id
         ), per_statement AS (
            SELECT statement_id,
                   group_concat(voice_id || coalesce(' (' || replace(via, ',', ', ') || ')', '')
                                || coalesce(' (echoed by ' || replace(echoed, ',', ', ') || ')', '')
                                || CASE WHEN interested THEN '*' WHEN aligned THEN '~' ELSE '' END,
                                ', ' ORDER BY voice_id) AS voices
            FROM voices
            GROUP BY statement_id
         ), grades AS (
            SELECT o.statement_id,
                   group_concat(o.origin_id || ':' || coalesce(e.reliability, '?'), ', '
                                ORDER BY o.origin_id) AS reliability
            FROM (SELECT DISTINCT statement_id, origin_id FROM voice_origins) o
            JOIN entities e ON e.id = o.origin_id
            GROUP BY o.statement_id
         )
         SELECT s.subject_id AS subject, s.predicate,
                coalesce(s.object_id, s.value) AS object, s.stance,
                s.reports, s.documents, s.origins, s.opposing_origins AS against,
                CASE
                  WHEN s.stance = 'denies' THEN
                    'denied by ' || s.origins
                    || CASE WHEN s.origins = 1 THEN ' independent origin' ELSE ' independent origins' END
                    || CASE WHEN s.circular THEN ' (circular: ' || s.documents || ' documents)' ELSE '' END
                  WHEN s.origins > 1 THEN 'corroborated by ' || s.origins || ' independent origins'
                       || CASE WHEN s.circular THEN ' (circular: ' || s.documents || ' documents)' ELSE '' END
                  WHEN s.circular THEN 'circular: ' || s.documents || ' documents, 1 origin: ' || p.voices
                  ELSE 'single origin'
                END
                || CASE
                     WHEN s.opposing_origins > 0 THEN
                       CASE WHEN s.stance = 'affirms' THEN ', denied by ' ELSE ', affirmed by ' END
                       || s.opposing_origins || ': ' || coalesce(o.voices, '')
                     WHEN s.conflicting THEN ', conflicting with another claim'
                     ELSE ''
                   END AS verdict,
                p.voices AS origin_ids,
                o.voices AS against_ids,
                g.reliability
         FROM corroboration s
         JOIN per_statement p ON p.statement_id = s.statement_id
         JOIN grades g ON g.statement_id = s.statement_id
         LEFT JOIN statements other
           ON other.subject_id = s.subject_id AND other.predicate = s.predicate
          AND other.object_id IS s.object_id AND other.value IS s.value
          AND other.stance <> s.stance
         LEFT JOIN per_statement o ON o.statement_id = other.id
         {statements_filter}
         ORDER BY s.origins DESC, s.documents DESC, s.subject_id, s.predicate, object, s.stance"
        ),
        rusqlite::params_from_iter(subject),
    )
}

/// Where entities are named in documents; with `unlinked`, the names found in a document that
/// no claim of that document uses. Both go through the documents one at a time, in id order:
/// each passage is cut from the document's text read once, where SQLite's `substr` would read
/// the whole document again for every mention, and the entities a document's claims use are
/// gathered once per document rather than searched for again at every mention (at a million
/// claims that search took minutes).
pub fn mentions(conn: &Connection, unlinked: bool) -> Result<Rows, StoreError> {
    if unlinked {
        unlinked_mentions(conn)
    } else {
        every_mention(conn)
    }
}

fn every_mention(conn: &Connection) -> Result<Rows, StoreError> {
    let mut found = conn.prepare(
        "SELECT m.entity_id, e.name, m.mention_start, m.mention_end
         FROM mentions m JOIN entities e ON e.id = m.entity_id
         WHERE m.source_id = ?1
         ORDER BY m.mention_start, m.entity_id",
    )?;
    let mut rows = Vec::new();
    each_document(conn, |source, text| {
        let mut names = found.query([source])?;
        while let Some(r) = names.next()? {
            let (start, end): (i64, i64) = (r.get(2)?, r.get(3)?);
            rows.push(vec![
                Cell::Text(r.get(0)?),
                Cell::Text(r.get(1)?),
                Cell::Text(source.to_owned()),
                Cell::Integer(start),
                Cell::Integer(end),
                Cell::Text(text.cut(start, end)),
            ]);
        }
        Ok(())
    })?;
    let columns = [
        "entity_id",
        "name",
        "source_id",
        "mention_start",
        "mention_end",
        "text",
    ];
    Ok(Rows {
        columns: columns.map(str::to_owned).to_vec(),
        rows,
    })
}

fn unlinked_mentions(conn: &Connection) -> Result<Rows, StoreError> {
    // The entities each claim of a document uses, in one pass over its claims.
    let mut linked = conn.prepare(
        "SELECT c.subject_id, c.object_id, c.reported_by, cc.entity_id
         FROM claims c LEFT JOIN claim_citations cc ON cc.claim_id = c.id
         WHERE c.source_id = ?1",
    )?;
    let mut found = conn.prepare(
        "SELECT entity_id, count(*) AS mentions, min(mention_start) AS first_at
         FROM mentions
         WHERE source_id = ?1
         GROUP BY entity_id
         ORDER BY first_at, entity_id",
    )?;
    let mut entity = conn.prepare("SELECT kind, name FROM entities WHERE id = ?1")?;
    let mut rows = Vec::new();
    each_document(conn, |source, text| {
        let mut used: BTreeSet<String> = BTreeSet::new();
        let mut claims = linked.query([source])?;
        while let Some(r) = claims.next()? {
            for column in 0..4 {
                used.extend(r.get::<_, Option<String>>(column)?);
            }
        }
        let mut names = found.query([source])?;
        while let Some(r) = names.next()? {
            let id: String = r.get(0)?;
            if used.contains(&id) {
                continue;
            }
            // Only the few names left are looked up.
            let (kind, name): (String, String) =
                entity.query_row([&id], |e| Ok((e.get(0)?, e.get(1)?)))?;
            let first_at: i64 = r.get(2)?;
            rows.push(vec![
                Cell::Text(source.to_owned()),
                Cell::Text(id),
                Cell::Text(kind),
                Cell::Text(name),
                Cell::Integer(r.get(1)?),
                Cell::Integer(first_at),
                Cell::Text(text.cut(first_at, first_at + 60)),
            ]);
        }
        Ok(())
    })?;
    let columns = [
        "source_id",
        "entity_id",
        "kind",
        "name",
        "mentions",
        "first_at",
        "context",
    ];
    Ok(Rows {
        columns: columns.map(str::to_owned).to_vec(),
        rows,
    })
}

/// Calls `visit` with each document's id and text, in id order, one document in memory at a
/// time.
fn each_document(
    conn: &Connection,
    mut visit: impl FnMut(&str, &mut Passages<'_>) -> rusqlite::Result<()>,
) -> Result<(), StoreError> {
    let mut documents = conn.prepare("SELECT id, text FROM sources ORDER BY id")?;
    let mut each = documents.query([])?;
    while let Some(document) = each.next()? {
        check_clock()?;
        let source: String = document.get(0)?;
        let text: String = document.get(1)?;
        visit(&source, &mut Passages::new(&text))?;
    }
    Ok(())
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

/// The sections of `stats`, each a small table.
pub fn stats(conn: &Connection) -> Result<Vec<(&'static str, Rows)>, StoreError> {
    Ok(vec![
        (
            "entities by kind",
            rows(
                conn,
                "SELECT kind, count(*) AS entities FROM entities GROUP BY kind ORDER BY entities DESC, kind",
                [],
            )?,
        ),
        (
            "claims by document",
            rows(
                conn,
                "SELECT s.id AS source, s.language, count(c.id) AS claims,
                        sum(c.stance = 'denies') AS denials, sum(c.hedged) AS hedged
                 FROM sources s LEFT JOIN claims c ON c.source_id = s.id
                 GROUP BY s.id ORDER BY claims DESC, s.id",
                [],
            )?,
        ),
        (
            "claims by predicate",
            rows(
                conn,
                "SELECT c.predicate, p.label, count(*) AS claims FROM claims c
                 JOIN predicates p ON p.id = c.predicate
                 GROUP BY c.predicate ORDER BY claims DESC, c.predicate",
                [],
            )?,
        ),
        (
            "most reported-on entities",
            rows(
                conn,
                "SELECT id, kind, name, claims_about FROM entity_summary
                 WHERE claims_about > 0 ORDER BY claims_about DESC, id LIMIT 10",
                [],
            )?,
        ),
        (
            "most cited origins",
            rows(
                conn,
                "SELECT c.origin_id AS origin, e.name, count(*) AS claims,
                        count(DISTINCT c.source_id) AS documents
                 FROM claims c JOIN entities e ON e.id = c.origin_id
                 GROUP BY c.origin_id ORDER BY claims DESC, origin LIMIT 10",
                [],
            )?,
        ),
        (
            "provenance",
            rows(
                conn,
                "SELECT (SELECT count(*) FROM claims) AS claims,
                        (SELECT count(*) FROM corroboration) AS statements,
                        (SELECT count(*) FROM corroboration WHERE origins > 1) AS corroborated,
                        (SELECT count(*) FROM corroboration WHERE circular) AS circular,
                        (SELECT count(*) FROM claim_origins WHERE interested) AS interested_claims,
                        (SELECT count(*) FROM conflicts) AS conflicts",
                [],
            )?,
        ),
    ])
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
