-- claimgraph database schema, version 7 (PRAGMA user_version).
-- Embedded in the binary; `claimgraph build` creates every database from it.
-- Character offsets (quote_start, mention_start, …) count Unicode code points from 0, end
-- exclusive, so that substr(text, start + 1, end - start) returns the passage.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- A rowid table (rowids 1, 2, … in id order), so that its full-text index `entities_fts` can
-- name its rows. `aliases` repeats the `aliases` table as a JSON array (NULL for none), the
-- text the index reads.
CREATE TABLE entities (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('person', 'organisation', 'unit', 'country', 'place', 'group', 'event', 'source')),
    name        TEXT NOT NULL,
    description TEXT,
    wikidata    TEXT,
    reliability TEXT CHECK (reliability IN ('A', 'B', 'C', 'D', 'E', 'F')),
    file        TEXT NOT NULL,
    line        INTEGER NOT NULL,
    aliases     TEXT
) STRICT;

CREATE TABLE aliases (
    entity_id TEXT NOT NULL REFERENCES entities (id),
    alias     TEXT NOT NULL,
    PRIMARY KEY (entity_id, alias)
) STRICT, WITHOUT ROWID;

-- Scalar curated fields: type, iso, born, when, lat, lon, language, url, …
CREATE TABLE entity_fields (
    entity_id TEXT NOT NULL REFERENCES entities (id),
    field     TEXT NOT NULL,
    value     ANY NOT NULL,
    PRIMARY KEY (entity_id, field)
) STRICT, WITHOUT ROWID;

-- Curated references between entities (nationality, country, part_of, place, participants,
-- outlet, author), in the order written.
CREATE TABLE entity_links (
    entity_id TEXT NOT NULL REFERENCES entities (id),
    field     TEXT NOT NULL,
    position  INTEGER NOT NULL,
    target_id TEXT NOT NULL REFERENCES entities (id),
    PRIMARY KEY (entity_id, field, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE sources (
    id              TEXT PRIMARY KEY REFERENCES entities (id),
    file            TEXT NOT NULL,
    title           TEXT,
    language        TEXT,
    published       TEXT,
    published_start TEXT,
    published_end   TEXT,
    outlet_id       TEXT REFERENCES entities (id),
    author_id       TEXT REFERENCES entities (id),
    url             TEXT,
    sha256          TEXT NOT NULL,
    text            TEXT NOT NULL
) STRICT;

CREATE TABLE predicates (
    id          TEXT PRIMARY KEY,
    label       TEXT NOT NULL,
    description TEXT,
    object_type TEXT NOT NULL CHECK (object_type IN ('entity', 'number', 'text', 'date')),
    functional  INTEGER NOT NULL CHECK (functional IN (0, 1)),
    -- How far `excludes` reaches: claims with the same object, objects on one side (one is
    -- part of the other, or both of one whole), or any object.
    excludes_scope TEXT NOT NULL CHECK (excludes_scope IN ('same-object', 'same-side', 'any-object')),
    file        TEXT NOT NULL,
    line        INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- The kinds a predicate allows as subject and (for entity objects) as object.
CREATE TABLE predicate_kinds (
    predicate TEXT NOT NULL REFERENCES predicates (id),
    role      TEXT NOT NULL CHECK (role IN ('subject', 'object')),
    kind      TEXT NOT NULL,
    PRIMARY KEY (predicate, role, kind)
) STRICT, WITHOUT ROWID;

CREATE TABLE predicate_excludes (
    predicate TEXT NOT NULL REFERENCES predicates (id),
    excluded  TEXT NOT NULL REFERENCES predicates (id),
    PRIMARY KEY (predicate, excluded)
) STRICT, WITHOUT ROWID;

-- Computed by the build from the graph: one row per statement (subject, predicate,
-- object or value, stance). `origins` counts distinct voices (origins after `part_of`), the
-- independent origins; `opposing_origins` those of the other stance of the same subject,
-- predicate and object, which never add to `origins`; `conflicting` is 1 when a claim of the
-- statement conflicts with another; `contested` when the statement denies, its other stance is
-- stated too, or it is conflicting.
CREATE TABLE statements (
    id         INTEGER PRIMARY KEY,
    subject_id TEXT NOT NULL REFERENCES entities (id),
    predicate  TEXT NOT NULL REFERENCES predicates (id),
    object_id  TEXT REFERENCES entities (id),
    value      ANY,
    stance     TEXT NOT NULL,
    reports    INTEGER NOT NULL,
    documents  INTEGER NOT NULL,
    origins    INTEGER NOT NULL,
    circular   INTEGER NOT NULL CHECK (circular IN (0, 1)),
    opposing_origins INTEGER NOT NULL,
    conflicting INTEGER NOT NULL CHECK (conflicting IN (0, 1)),
    contested  INTEGER NOT NULL CHECK (contested IN (0, 1))
) STRICT;

-- A rowid table, unlike the other tables keyed by text: its four indexes then point at a small
-- integer rather than at the claim id, which makes them smaller and quicker to check.
CREATE TABLE claims (
    id          TEXT PRIMARY KEY,
    source_id   TEXT NOT NULL REFERENCES sources (id),
    reported_by TEXT NOT NULL REFERENCES entities (id),
    subject_id  TEXT NOT NULL REFERENCES entities (id),
    predicate   TEXT NOT NULL REFERENCES predicates (id),
    object_id   TEXT REFERENCES entities (id),
    value       ANY,
    value_type  TEXT CHECK (value_type IN ('number', 'text', 'date')),
    when_text   TEXT,
    when_start  TEXT,
    when_end    TEXT,
    stance      TEXT NOT NULL CHECK (stance IN ('affirms', 'denies')),
    hedged      INTEGER NOT NULL CHECK (hedged IN (0, 1)),
    quote       TEXT NOT NULL,
    quote_start INTEGER NOT NULL,
    quote_end   INTEGER NOT NULL,
    -- Which of the document's places with the quote's words it is, from 1 (`occurrence`).
    occurrence  INTEGER NOT NULL CHECK (occurrence >= 1),
    note        TEXT,
    -- Computed by the build: the claim's origin (the end of its citing chain, else its
    -- reporter), its voice (the outermost whole of the origin's part_of group, else the
    -- origin; or, when the claim echoes a claim of its statement, document and reporter whose
    -- citing chain extends its own, that claim's voice, and `echoes` is 1),
    -- whether the origin is a party to the statement (it or a whole of it is the subject, the
    -- object or a whole of one of them) or only aligned with one (shares a country), and its
    -- statement.
    origin_id    TEXT NOT NULL REFERENCES entities (id),
    voice_id     TEXT NOT NULL REFERENCES entities (id),
    echoes       INTEGER NOT NULL CHECK (echoes IN (0, 1)),
    interested   INTEGER NOT NULL CHECK (interested IN (0, 1)),
    aligned      INTEGER NOT NULL CHECK (aligned IN (0, 1)),
    statement_id INTEGER NOT NULL REFERENCES statements (id),
    file        TEXT NOT NULL,
    line        INTEGER NOT NULL,
    CHECK ((object_id IS NULL) <> (value IS NULL)),
    CHECK (quote_start <= quote_end)
) STRICT;

-- Whom each claim's reporter cites: position 1 is the nearest, the last is the origin.
CREATE TABLE claim_citations (
    claim_id  TEXT NOT NULL REFERENCES claims (id),
    position  INTEGER NOT NULL CHECK (position >= 1),
    entity_id TEXT NOT NULL REFERENCES entities (id),
    PRIMARY KEY (claim_id, position)
) STRICT, WITHOUT ROWID;

-- Computed by the build: pairs of claims that contradict each other.
CREATE TABLE conflict_pairs (
    claim_a TEXT NOT NULL REFERENCES claims (id),
    claim_b TEXT NOT NULL REFERENCES claims (id),
    reason  TEXT NOT NULL CHECK (reason IN ('opposite-stance', 'functional', 'excludes')),
    detail  TEXT NOT NULL,
    PRIMARY KEY (claim_a, claim_b, reason)
) STRICT, WITHOUT ROWID;

-- Where a name or alias of an entity occurs in a document (character offsets).
CREATE TABLE mentions (
    entity_id     TEXT NOT NULL REFERENCES entities (id),
    source_id     TEXT NOT NULL REFERENCES sources (id),
    mention_start INTEGER NOT NULL,
    mention_end   INTEGER NOT NULL,
    name          TEXT NOT NULL,
    PRIMARY KEY (entity_id, source_id, mention_start)
) STRICT, WITHOUT ROWID;

-- Full text over names, aliases, quotes, notes and document text; diacritics-insensitive; what
-- `claimgraph search` ranks. Contentless: the index does not keep a second copy of the texts (at
-- a million claims the copy took 288 MiB and a fifth of the index's build time), so `text`
-- reads as NULL and `claimgraph search` cuts its passages from the tables the texts are stored
-- in. What each row is, is in `search_refs` under the same rowid: `kind` is entity, alias,
-- quote, note or document; `ref` the entity, claim or source id. (FTS5's options that keep
-- them in the index itself need SQLite 3.43, which Debian 12 and Python's sqlite3 there do
-- not have: every table here opens with SQLite 3.40.)
CREATE VIRTUAL TABLE search USING fts5 (
    text,
    content = '',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE search_refs (
    id   INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    ref  TEXT NOT NULL
) STRICT;

-- The same texts indexed table by table, for tools that search one table: Datasette's search
-- box (`?_search=`) and `sqlite-utils search` find `<table>_fts` by its `content` option, which
-- they look for written exactly `content="<table>"`, and match rows by rowid. External content:
-- the texts are read from the table itself.
CREATE VIRTUAL TABLE claims_fts USING fts5 (
    quote,
    note,
    content="claims",
    content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE VIRTUAL TABLE entities_fts USING fts5 (
    name,
    aliases,
    description,
    content="entities",
    content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE VIRTUAL TABLE sources_fts USING fts5 (
    title,
    text,
    content="sources",
    content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);

-- The petgraph graph itself, node for node and edge for edge. They are views over the rows
-- above rather than copies, and the tests check that they hold exactly the graph's nodes and
-- edges, kind by kind. Nodes are the entities, then the claims. A claim's label is its
-- subject's name and the words the exports give it ("not detained by Police"); the tool words
-- claims in Rust, and a test checks that this copy agrees, a whole number written `40.0` shown
-- as `40` as there.
CREATE VIEW nodes AS
SELECT id, kind, name AS label
FROM entities
UNION ALL
SELECT c.id, 'claim',
       s.name || ' ' || CASE WHEN c.stance = 'denies' THEN 'not ' ELSE '' END || p.label
         || ' ' || coalesce(o.name,
                            CASE WHEN typeof(c.value) = 'real' AND c.value = round(c.value)
                                      AND abs(c.value) < 1e15
                                 THEN CAST(CAST(c.value AS INTEGER) AS TEXT)
                                 ELSE c.value END)
FROM claims c
JOIN entities s ON s.id = c.subject_id
JOIN predicates p ON p.id = c.predicate
LEFT JOIN entities o ON o.id = c.object_id;

CREATE VIEW edges AS
SELECT entity_id AS source, target_id AS target,
       CASE field WHEN 'outlet' THEN 'published_by' WHEN 'author' THEN 'written_by' ELSE field END AS kind,
       NULL AS claim_id, NULL AS position
FROM entity_links
UNION ALL
SELECT reported_by, id, 'reported', id, NULL FROM claims
UNION ALL
SELECT claim_id, entity_id, 'cites', claim_id, position FROM claim_citations
UNION ALL
SELECT id, subject_id, 'about', id, NULL FROM claims
UNION ALL
SELECT id, object_id, 'object', id, NULL FROM claims WHERE object_id IS NOT NULL
UNION ALL
SELECT id, source_id, 'appears_in', id, NULL FROM claims;

CREATE VIEW claim_origins AS
SELECT id AS claim_id, origin_id, voice_id, echoes, interested, aligned
FROM claims;

CREATE VIEW corroboration AS
SELECT id AS statement_id, subject_id, predicate, object_id, value, stance,
       reports, documents, origins, circular, opposing_origins, conflicting, contested
FROM statements;

CREATE VIEW conflicts AS
SELECT claim_a, claim_b, reason, detail
FROM conflict_pairs;

-- Each claim as an analyst reads it. `citing` is the chain as words ("A <- B", NULL for none),
-- `citing_names` and `citing_ids` the same chain as JSON arrays, nearest first (`[]` for none),
-- for tools that take lists (Datasette's `_facet_array=`).
CREATE VIEW who_reported_what AS
SELECT c.id AS claim_id,
       c.source_id,
       s.title AS source_title,
       c.reported_by AS reporter_id,
       r.name AS reporter,
       (SELECT group_concat(name, ' <- ')
          FROM (SELECT e.name FROM claim_citations cc JOIN entities e ON e.id = cc.entity_id
                 WHERE cc.claim_id = c.id ORDER BY cc.position)) AS citing,
       (SELECT json_group_array(name)
          FROM (SELECT e.name FROM claim_citations cc JOIN entities e ON e.id = cc.entity_id
                 WHERE cc.claim_id = c.id ORDER BY cc.position)) AS citing_names,
       (SELECT json_group_array(entity_id)
          FROM (SELECT cc.entity_id FROM claim_citations cc
                 WHERE cc.claim_id = c.id ORDER BY cc.position)) AS citing_ids,
       c.origin_id,
       o.name AS origin,
       c.voice_id,
       v.name AS voice,
       c.interested,
       c.aligned,
       c.subject_id,
       subj.name AS subject,
       c.predicate,
       p.label AS predicate_label,
       c.object_id,
       coalesce(obj.name, c.value) AS object,
       c.when_text AS "when",
       c.stance,
       c.hedged,
       c.quote,
       c.note,
       -- The claim's row in `claims`, which `claims_fts` indexes: Datasette's search box on
       -- this view matches it (`fts_pk` in the metadata `build` writes).
       c.rowid AS claim_rowid
FROM claims c
JOIN sources s ON s.id = c.source_id
JOIN entities r ON r.id = c.reported_by
JOIN entities subj ON subj.id = c.subject_id
JOIN predicates p ON p.id = c.predicate
JOIN entities o ON o.id = c.origin_id
JOIN entities v ON v.id = c.voice_id
LEFT JOIN entities obj ON obj.id = c.object_id;

CREATE VIEW entity_summary AS
SELECT e.id, e.kind, e.name,
       (SELECT count(*) FROM claims c WHERE c.subject_id = e.id OR c.object_id = e.id) AS claims_about,
       (SELECT count(*) FROM claims c WHERE c.reported_by = e.id) AS claims_reported,
       (SELECT count(*) FROM claim_citations cc WHERE cc.entity_id = e.id) AS times_cited,
       (SELECT count(DISTINCT m.source_id) FROM mentions m WHERE m.entity_id = e.id) AS documents_mentioning
FROM entities e;

-- The readers' tables (src/store/derived.rs): what `conflicts`, `corroboration`,
-- `mentions --unlinked` and `stats` list, computed by the build and stored in the order they print it, so
-- that a reader reads rows in order and streams them, whatever the size of the database.

-- `conflicts`: each pair of `conflict_pairs` with what is shown of both claims, by reason,
-- claim A's subject id, claim A and claim B. `*_citing` are the names the reporter cites,
-- nearest first, joined by ' <- ' (NULL for none); `*_object` the object's name or the value.
CREATE TABLE conflict_rows (
    position        INTEGER PRIMARY KEY,
    reason          TEXT NOT NULL,
    detail          TEXT NOT NULL,
    subject         TEXT NOT NULL,
    predicate_label TEXT NOT NULL,
    a_claim TEXT NOT NULL REFERENCES claims (id), a_document TEXT NOT NULL, a_reporter TEXT NOT NULL,
    a_citing TEXT, a_origin TEXT NOT NULL, a_stance TEXT NOT NULL, a_object ANY NOT NULL, a_quote TEXT NOT NULL,
    b_claim TEXT NOT NULL REFERENCES claims (id), b_document TEXT NOT NULL, b_reporter TEXT NOT NULL,
    b_citing TEXT, b_origin TEXT NOT NULL, b_stance TEXT NOT NULL, b_object ANY NOT NULL, b_quote TEXT NOT NULL
) STRICT;

-- `corroboration`: each statement in its order (most origins, most documents, then subject,
-- predicate, object, stance) with its voices worded ("ukraine (ukraine-intelligence)*"), those
-- of its other stance (NULL when that is not stated) and its origins' reliability grades.
CREATE TABLE corroboration_rows (
    position     INTEGER PRIMARY KEY,
    statement_id INTEGER NOT NULL REFERENCES statements (id),
    subject_id   TEXT NOT NULL REFERENCES entities (id),
    origin_ids   TEXT NOT NULL,
    against_ids  TEXT,
    reliability  TEXT NOT NULL
) STRICT;

-- `mentions --unlinked`: the entities a document names that none of its claims uses, with how
-- often it names them and the 60 characters from the first time.
CREATE TABLE unlinked_mentions (
    source_id TEXT NOT NULL REFERENCES sources (id),
    first_at  INTEGER NOT NULL,
    entity_id TEXT NOT NULL REFERENCES entities (id),
    kind      TEXT NOT NULL,
    name      TEXT NOT NULL,
    mentions  INTEGER NOT NULL,
    context   TEXT NOT NULL,
    PRIMARY KEY (source_id, first_at, entity_id)
) STRICT, WITHOUT ROWID;

-- `stats`: its sections in order, each cell of each row; row 0 holds the section's columns
-- (with no value), so that an empty section still has them.
CREATE TABLE stats_cells (
    section_no INTEGER NOT NULL,
    section    TEXT NOT NULL,
    row        INTEGER NOT NULL,
    column_no  INTEGER NOT NULL,
    column     TEXT NOT NULL,
    value      ANY,
    PRIMARY KEY (section_no, row, column_no)
) STRICT, WITHOUT ROWID;

-- @indexes: created after the rows are loaded, which is faster than maintaining them per row.
-- The claims are indexed by the entities the lookups of `show`, `neighbors` and the focused
-- exports start from: their document, reporter, subject, object and cited entities. Filters
-- on origin, voice, predicate, date or statement read the table instead: at a million claims
-- that takes a fraction of a second, while each index costs the build about 1.5 s of work
-- there (sorting a million text keys).
CREATE INDEX aliases_alias ON aliases (alias);
CREATE INDEX entity_links_target ON entity_links (target_id);
CREATE INDEX claims_source ON claims (source_id);
CREATE INDEX claims_reported_by ON claims (reported_by);
CREATE INDEX claims_subject ON claims (subject_id);
CREATE INDEX claims_object ON claims (object_id);
CREATE INDEX claim_citations_entity ON claim_citations (entity_id);
CREATE INDEX statements_subject ON statements (subject_id);
CREATE INDEX conflict_pairs_b ON conflict_pairs (claim_b);
CREATE INDEX mentions_source ON mentions (source_id);
CREATE INDEX corroboration_rows_subject ON corroboration_rows (subject_id);
