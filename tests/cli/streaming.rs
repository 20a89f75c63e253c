//! The readers' stored tables and their streaming: what the build stores for `conflicts`,
//! `corroboration`, `mentions --unlinked` and `stats` is what the queries they replace
//! computed from the database, row for row and in the same order; `--limit` prints at most
//! that many rows in every format and says on stderr when rows were left out; a table longer
//! than a batch is printed batch by batch and counts every row.

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use rusqlite::types::Value;

use crate::{analysis_database, build_database, fixtures, json, read, seed_database};

/// Every row of a query, every column as stored.
fn rows(conn: &Connection, sql: &str) -> Vec<Vec<Value>> {
    let mut statement = conn.prepare(sql).unwrap();
    let width = statement.column_count();
    statement
        .query_map([], |r| (0..width).map(|i| r.get::<_, Value>(i)).collect())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// The query `conflicts` ran before the build stored its rows: two joins of
/// `who_reported_what` per pair, sorted.
const OLD_CONFLICTS: &str = "
    SELECT x.reason, x.detail, a.subject, a.predicate_label,
           a.claim_id, a.source_id, a.reporter, a.citing, a.origin_id, a.stance,
           coalesce(a.object, ''), a.quote,
           b.claim_id, b.source_id, b.reporter, b.citing, b.origin_id, b.stance,
           coalesce(b.object, ''), b.quote
    FROM conflicts x
    JOIN who_reported_what a ON a.claim_id = x.claim_a
    JOIN who_reported_what b ON b.claim_id = x.claim_b
    ORDER BY x.reason, a.subject_id, x.claim_a, x.claim_b";

const STORED_CONFLICTS: &str = "
    SELECT reason, detail, subject, predicate_label,
           a_claim, a_document, a_reporter, a_citing, a_origin, a_stance, a_object, a_quote,
           b_claim, b_document, b_reporter, b_citing, b_origin, b_stance, b_object, b_quote
    FROM conflict_rows ORDER BY position";

/// `corroboration`'s order and whether a statement's other stance is stated, as its query
/// worked them out.
const OLD_CORROBORATION: &str = "
    SELECT s.statement_id, other.id IS NOT NULL
    FROM corroboration s
    LEFT JOIN statements other
      ON other.subject_id = s.subject_id AND other.predicate = s.predicate
     AND other.object_id IS s.object_id AND other.value IS s.value
     AND other.stance <> s.stance
    ORDER BY s.origins DESC, s.documents DESC, s.subject_id, s.predicate,
             coalesce(s.object_id, s.value), s.stance";

const STORED_CORROBORATION: &str = "
    SELECT statement_id, against_ids IS NOT NULL FROM corroboration_rows ORDER BY position";

/// The names a document contains that none of its claims uses, in SQL.
const OLD_UNLINKED: &str = "
    SELECT m.source_id, m.entity_id, e.kind, e.name, count(*), min(m.mention_start),
           substr(s.text, min(m.mention_start) + 1, 60)
    FROM mentions m
    JOIN entities e ON e.id = m.entity_id
    JOIN sources s ON s.id = m.source_id
    WHERE m.entity_id NOT IN (
        SELECT subject_id FROM claims WHERE source_id = m.source_id
        UNION SELECT object_id FROM claims WHERE source_id = m.source_id AND object_id IS NOT NULL
        UNION SELECT reported_by FROM claims WHERE source_id = m.source_id
        UNION SELECT cc.entity_id FROM claim_citations cc JOIN claims c ON c.id = cc.claim_id
              WHERE c.source_id = m.source_id)
    GROUP BY m.source_id, m.entity_id
    ORDER BY m.source_id, min(m.mention_start), m.entity_id";

const STORED_UNLINKED: &str = "
    SELECT source_id, entity_id, kind, name, mentions, first_at, context
    FROM unlinked_mentions ORDER BY source_id, first_at, entity_id";

/// The queries `stats` ran, section by section.
const OLD_STATS: [(&str, &str); 6] = [
    (
        "entities by kind",
        "SELECT kind, count(*) AS entities FROM entities GROUP BY kind ORDER BY entities DESC, kind",
    ),
    (
        "claims by document",
        "SELECT s.id, s.language, count(c.id) AS claims, sum(c.stance = 'denies'), sum(c.hedged)
         FROM sources s LEFT JOIN claims c ON c.source_id = s.id
         GROUP BY s.id ORDER BY claims DESC, s.id",
    ),
    (
        "claims by predicate",
        "SELECT c.predicate, p.label, count(*) AS claims FROM claims c
         JOIN predicates p ON p.id = c.predicate
         GROUP BY c.predicate ORDER BY claims DESC, c.predicate",
    ),
    (
        "most reported-on entities",
        "SELECT id, kind, name, claims_about FROM entity_summary
         WHERE claims_about > 0 ORDER BY claims_about DESC, id LIMIT 10",
    ),
    (
        "most cited origins",
        "SELECT c.origin_id AS origin, e.name, count(*) AS claims, count(DISTINCT c.source_id)
         FROM claims c JOIN entities e ON e.id = c.origin_id
         GROUP BY c.origin_id ORDER BY claims DESC, origin LIMIT 10",
    ),
    (
        "provenance",
        "SELECT (SELECT count(*) FROM claims),
                (SELECT count(*) FROM corroboration),
                (SELECT count(*) FROM corroboration WHERE origins > 1),
                (SELECT count(*) FROM corroboration WHERE circular),
                (SELECT count(*) FROM claim_origins WHERE interested),
                (SELECT count(*) FROM conflicts)",
    ),
];

/// A section of `stats_cells` as rows of values.
fn stored_section(conn: &Connection, title: &str) -> Vec<Vec<Value>> {
    let cells = rows(
        conn,
        &format!(
            "SELECT row, value FROM stats_cells WHERE section = '{title}' AND row > 0
             ORDER BY row, column_no"
        ),
    );
    let mut section: Vec<Vec<Value>> = Vec::new();
    let mut at = None;
    for cell in cells {
        if at.as_ref() != Some(&cell[0]) {
            section.push(Vec::new());
            at = Some(cell[0].clone());
        }
        section.last_mut().unwrap().push(cell[1].clone());
    }
    section
}

fn generated_database(claims: usize) -> (tempfile::TempDir, PathBuf, tempfile::TempDir) {
    let data = tempfile::tempdir().unwrap();
    crate::scale::generate(claims, data.path());
    let (dir, db) = build_database(&data.path().join("data"), &data.path().join("seeds"));
    (dir, db, data)
}

fn assert_stored_tables_agree(db: &Path) {
    let conn = Connection::open(db).unwrap();
    let name = db.display();
    let conflicts = rows(&conn, STORED_CONFLICTS);
    assert_eq!(conflicts, rows(&conn, OLD_CONFLICTS), "{name}: conflicts");
    let corroboration = rows(&conn, STORED_CORROBORATION);
    assert_eq!(
        corroboration,
        rows(&conn, OLD_CORROBORATION),
        "{name}: corroboration"
    );
    let unlinked = rows(&conn, STORED_UNLINKED);
    assert_eq!(
        unlinked,
        rows(&conn, OLD_UNLINKED),
        "{name}: unlinked mentions"
    );
    for (title, sql) in OLD_STATS {
        assert_eq!(
            stored_section(&conn, title),
            rows(&conn, sql),
            "{name}: {title}"
        );
    }
    // Not vacuous: the data sets have rows to compare.
    assert!(!corroboration.is_empty(), "{name}");
}

/// The stored rows equal those the replaced queries compute from the same database, on the
/// curated data, the analysis and voices fixtures, and generated data (numbers, dates and
/// texts as objects; many mentions).
#[test]
fn the_readers_tables_hold_what_the_old_queries_computed() {
    let (_dir, db) = seed_database();
    assert_stored_tables_agree(&db);
    let conn = Connection::open(&db).unwrap();
    assert!(rows(&conn, STORED_UNLINKED).len() > 1);
    let (_dir, db) = analysis_database();
    assert_stored_tables_agree(&db);
    let conn = Connection::open(&db).unwrap();
    assert!(rows(&conn, STORED_CONFLICTS).len() > 1);
    let voices = fixtures().join("voices");
    let (_dir, db) = build_database(&voices.join("data"), &voices.join("seeds"));
    assert_stored_tables_agree(&db);
    let (_dir, db, _data) = generated_database(3000);
    assert_stored_tables_agree(&db);
}

const NOTICE: &str = "(--limit 1); the result has more";

/// `--limit` prints at most that many rows in every format, and says on stderr that rows were
/// left out, only when they were.
#[test]
fn limit_prints_that_many_rows_and_says_when_rows_were_left_out() {
    let (analysis, analysis_db) = analysis_database();
    let (seed, seed_db) = seed_database();
    for (command, (dir, db)) in [
        (&["conflicts"][..], (&analysis, &analysis_db)),
        (&["corroboration"], (&analysis, &analysis_db)),
        (&["mentions"], (&analysis, &analysis_db)),
        (&["mentions", "--unlinked"], (&seed, &seed_db)),
        (&["neighbors", "deserters"], (&analysis, &analysis_db)),
    ] {
        let dir = dir.path();
        let all = json(&read(dir, db, &[command, &["--format", "json"]].concat()));
        let total = all.as_array().unwrap().len();
        assert!(total > 1, "{command:?}");
        let one = read(
            dir,
            db,
            &[command, &["--format", "json", "--limit", "1"]].concat(),
        );
        assert_eq!(
            json(&one),
            serde_json::Value::Array(vec![all[0].clone()]),
            "{command:?}"
        );
        assert!(one.stderr.contains(NOTICE), "{command:?}: {}", one.stderr);
        let csv = read(
            dir,
            db,
            &[command, &["--format", "csv", "--limit", "1"]].concat(),
        );
        assert_eq!(csv.code, 0);
        let records = csv::Reader::from_reader(csv.stdout.as_bytes())
            .records()
            .count();
        assert_eq!(records, 1, "{command:?}: {}", csv.stdout);
        assert!(csv.stderr.contains(NOTICE), "{command:?}: {}", csv.stderr);
        let everything = total.to_string();
        let whole = read(
            dir,
            db,
            &[command, &["--format", "json", "--limit", &everything]].concat(),
        );
        assert_eq!(json(&whole), all, "{command:?}");
        assert_eq!(whole.stderr, "", "{command:?}");
    }
    let (dir, db) = (analysis.path(), &analysis_db);
    let table = read(dir, db, &["corroboration", "--limit", "1"]);
    assert!(table.stdout.ends_with("(1 row)\n"), "{}", table.stdout);
    assert!(table.stderr.contains(NOTICE), "{}", table.stderr);
    let conflicts = read(dir, db, &["conflicts", "--limit", "1"]);
    assert!(
        conflicts.stdout.ends_with("1 conflicts\n"),
        "{}",
        conflicts.stdout
    );
    assert_eq!(conflicts.stdout.matches("claim A").count(), 1);
    assert!(conflicts.stderr.contains(NOTICE), "{}", conflicts.stderr);
    let stats = read(dir, db, &["stats", "--format", "json", "--limit", "1"]);
    for (title, section) in json(&stats).as_object().unwrap() {
        assert!(section.as_array().unwrap().len() <= 1, "{title}");
    }
    assert!(stats.stderr.contains("--limit 1"), "{}", stats.stderr);
}

/// A table longer than a batch (1000 rows) is printed batch by batch, each under the header,
/// with every row and the count of all; CSV and JSON hold the same rows.
#[test]
fn a_long_table_is_printed_in_batches_with_every_row() {
    let (dir, db, _data) = generated_database(3000);
    let dir = dir.path();
    let all = json(&read(dir, &db, &["corroboration", "--format", "json"]));
    let total = all.as_array().unwrap().len();
    assert!(total > 2000, "{total}");
    let table = read(dir, &db, &["corroboration"]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    let batches = table.stdout.matches("│ subject").count();
    assert_eq!(batches, total.div_ceil(1000), "{}", &table.stdout[..2000]);
    assert!(table.stdout.ends_with(&format!("({total} rows)\n")));
    // One line per row between the rules of each batch.
    let lines = table.stdout.lines().filter(|l| l.starts_with("│ ")).count();
    assert_eq!(lines, total + batches);
    let csv = read(dir, &db, &["corroboration", "--format", "csv"]);
    let records = csv::Reader::from_reader(csv.stdout.as_bytes())
        .records()
        .count();
    assert_eq!(records, total);
}
