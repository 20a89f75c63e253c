//! `claimgraph verify` and `build --verify`: the deep checks pass on every database the fixtures
//! build, name each problem of a database damaged by hand (exit 1), refuse a file that is not a
//! claimgraph database (exit 2), and `build --verify` puts nothing in place when they fail.

use std::fs;
use std::path::Path;

use rusqlite::Connection;

use crate::{
    Run, analysis_database, build_into, dump, fixtures, root, run, seed_database, valid_project,
};

fn verify(db: &Path) -> Run {
    run(&root(), &["verify", "--db", db.to_str().unwrap()])
}

/// Runs `sql` on the database with foreign keys off, as a hand editing it would.
fn damage(db: &Path, sql: &str) {
    let conn = Connection::open(db).unwrap();
    conn.execute_batch(&format!("PRAGMA foreign_keys = OFF; {sql}"))
        .unwrap();
}

/// `verify` must fail (exit 1) with every fragment in its report.
fn assert_fails(db: &Path, fragments: &[&str]) {
    let result = verify(db);
    assert_eq!(result.code, 1, "{}", result.stderr);
    for fragment in fragments {
        assert!(
            result.stderr.contains(fragment),
            "`{fragment}` missing:\n{}",
            result.stderr
        );
    }
    assert!(
        result.stderr.contains("failed verification"),
        "{}",
        result.stderr
    );
}

/// The counts `build` reports of its graph, which `verify` must find in the views.
fn built_graph(stderr: &str) -> (String, String) {
    let graph = stderr
        .split("graph of ")
        .nth(1)
        .unwrap_or_else(|| panic!("no graph in {stderr}"));
    let mut words = graph.split_whitespace();
    let nodes = words.next().unwrap().to_owned();
    let edges = words.nth(2).unwrap().to_owned();
    (nodes, edges)
}

#[test]
fn verify_passes_on_the_curated_data_and_the_fixtures_and_counts_the_whole_graph() {
    for (data, seeds) in [
        (root().join("data"), root().join("seeds")),
        (
            fixtures().join("analysis/data"),
            fixtures().join("analysis/seeds"),
        ),
        (
            fixtures().join("voices/data"),
            fixtures().join("voices/seeds"),
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("v.sqlite");
        let built = build_into(&data, &seeds, &db);
        assert_eq!(built.code, 0, "{}", built.stderr);
        let (nodes, edges) = built_graph(&built.stderr);
        let claims: i64 = Connection::open(&db)
            .unwrap()
            .query_row("SELECT count(*) FROM claims", [], |r| r.get(0))
            .unwrap();
        let result = verify(&db);
        assert_eq!(result.code, 0, "{}", result.stderr);
        assert_eq!(
            result.stderr.trim_end(),
            format!(
                "verified {}: integrity, foreign keys, {nodes} nodes and {edges} edges against the graph, {claims} quote offsets",
                db.display()
            )
        );
    }
}

#[test]
fn a_shifted_quote_offset_fails_verify_naming_the_claim_and_what_it_cuts() {
    let (_dir, db) = analysis_database();
    let id: String = Connection::open(&db)
        .unwrap()
        .query_row("SELECT min(id) FROM claims", [], |r| r.get(0))
        .unwrap();
    damage(
        &db,
        &format!("UPDATE claims SET quote_start = quote_start + 1 WHERE id = '{id}'"),
    );
    assert_fails(
        &db,
        &[
            &format!("error: claims row {id}: quote_start..quote_end = "),
            "not its quote",
        ],
    );
}

#[test]
fn a_quote_offset_past_its_document_fails_verify() {
    let (_dir, db) = analysis_database();
    damage(
        &db,
        "UPDATE claims SET quote_end = 1000000 WHERE id = (SELECT min(id) FROM claims)",
    );
    assert_fails(
        &db,
        &["quote_start..quote_end = ", "is outside its document"],
    );
}

#[test]
fn a_citation_of_a_missing_entity_fails_verify_naming_the_row() {
    let (_dir, db) = seed_database();
    let claim: String = Connection::open(&db)
        .unwrap()
        .query_row("SELECT min(claim_id) FROM claim_citations", [], |r| {
            r.get(0)
        })
        .unwrap();
    damage(
        &db,
        &format!("INSERT INTO claim_citations VALUES ('{claim}', 99, 'no-such-entity')"),
    );
    assert_fails(
        &db,
        &[&format!(
            "error: foreign_key_check(claim_citations): the row claim_id = '{claim}', position = 99 points at a missing row of entities: entity_id = 'no-such-entity'"
        )],
    );
}

#[test]
fn a_nodes_view_that_words_a_node_unlike_the_graph_fails_verify() {
    let (_dir, db) = analysis_database();
    let conn = Connection::open(&db).unwrap();
    let (id, name): (String, String) = conn
        .query_row(
            "SELECT id, name FROM entities ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    // The view as the schema has it, but for one entity's label.
    let view: String = conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'nodes'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let changed = view.replacen(
        "SELECT id, kind, name AS label",
        &format!("SELECT id, kind, CASE id WHEN '{id}' THEN 'someone else' ELSE name END AS label"),
        1,
    );
    assert_ne!(view, changed, "the nodes view starts as it did");
    drop(conn);
    damage(&db, &format!("DROP VIEW nodes; {changed}"));
    assert_fails(
        &db,
        &[
            &format!("error: nodes view: {id} has the kind "),
            "the label \"someone else\", but in the graph",
            &format!("the label {name:?}"),
        ],
    );
}

#[test]
fn an_edges_view_without_an_edge_of_the_graph_fails_verify_naming_it() {
    let (_dir, db) = analysis_database();
    let conn = Connection::open(&db).unwrap();
    let (claim, subject): (String, String) = conn
        .query_row(
            "SELECT id, subject_id FROM claims ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let view: String = conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'edges'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let changed = view.replacen(
        "SELECT id, subject_id, 'about', id, NULL FROM claims",
        &format!("SELECT id, subject_id, 'about', id, NULL FROM claims WHERE id <> '{claim}'"),
        1,
    );
    assert_ne!(view, changed, "the edges view starts as it did");
    drop(conn);
    damage(&db, &format!("DROP VIEW edges; {changed}"));
    assert_fails(
        &db,
        &[&format!(
            "error: edges view: the graph's about edge {claim} → {subject} of claim {claim} is missing"
        )],
    );
}

#[test]
fn an_entity_row_deleted_under_its_claims_fails_verify() {
    let (_dir, db) = analysis_database();
    let subject: String = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT subject_id FROM claims ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    damage(&db, &format!("DELETE FROM entities WHERE id = '{subject}'"));
    assert_fails(
        &db,
        &[
            &format!("points at a missing row of entities: subject_id = '{subject}'"),
            "the graph of the rows, or the nodes and edges views, could not be read",
        ],
    );
}

/// A build does not evaluate the schema's CHECK constraints row by row (its rows come from a
/// checked model); `verify` does, and names the table whose row breaks one.
#[test]
fn a_row_breaking_a_check_constraint_fails_verify() {
    let (_dir, db) = analysis_database();
    damage(
        &db,
        "PRAGMA ignore_check_constraints = ON;
         UPDATE claims SET hedged = 7 WHERE id = (SELECT min(id) FROM claims);",
    );
    assert_fails(&db, &["CHECK constraint failed in claims"]);
}

#[test]
fn verify_refuses_what_is_not_a_claimgraph_database() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.sqlite");
    fs::write(&text, "not a database at all, but long enough to have a header of 100 bytes: ..........................").unwrap();
    let other = dir.path().join("other.sqlite");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE meta (key TEXT, value TEXT);")
        .unwrap();
    let missing = dir.path().join("missing.sqlite");
    for (db, says) in [
        (
            &text,
            "is not a claimgraph database (it is not an SQLite file)",
        ),
        (
            &other,
            "is not a claimgraph database (it is another application's SQLite database)",
        ),
        (&missing, "no database at"),
    ] {
        let result = verify(db);
        assert_eq!(result.code, 2, "{}", result.stderr);
        assert!(result.stderr.starts_with("error: "), "{}", result.stderr);
        assert!(result.stderr.contains(says), "{}", result.stderr);
    }
}

#[test]
fn build_verify_passes_on_good_data_and_writes_what_a_plain_build_writes() {
    let project = valid_project();
    let dir = project.path();
    let plain = run(dir, &["build", "--no-exports", "--db", "plain.sqlite"]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    let verified = run(
        dir,
        &[
            "build",
            "--no-exports",
            "--verify",
            "--db",
            "verified.sqlite",
            "--timings",
        ],
    );
    assert_eq!(verified.code, 0, "{}", verified.stderr);
    assert!(
        verified.stderr.contains("verifying the new database"),
        "{}",
        verified.stderr
    );
    assert_eq!(
        dump(&dir.join("plain.sqlite")),
        dump(&dir.join("verified.sqlite"))
    );
}

/// A number of 10^15 or more is worded by the `nodes` view as SQLite writes a real (`1.0e+20`)
/// and by the graph as Rust does (`100000000000000000000`): a database `build --verify`
/// refuses. The previous database and exports stay as they were, nothing is left beside them,
/// and the build exits 1 naming the node.
#[test]
fn build_verify_puts_nothing_in_place_when_the_new_database_fails() {
    let project = valid_project();
    let dir = project.path();
    let first = run(dir, &["build"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let db_before = fs::read(dir.join("claimgraph.sqlite")).unwrap();
    let exports_before = files_of(&dir.join("exports"));
    let claims = dir.join("data/claims/report.toml");
    let text = fs::read_to_string(&claims).unwrap();
    assert!(text.contains("value = 18\n"));
    fs::write(&claims, text.replace("value = 18\n", "value = 1e20\n")).unwrap();

    let result = run(dir, &["build", "--verify"]);
    assert_eq!(result.code, 1, "{}", result.stderr);
    for fragment in [
        "error: nodes view: ",
        "count 1.0e+20",
        "count 100000000000000000000",
        "the new database for claimgraph.sqlite failed verification: 1 problem",
        "nothing was written: claimgraph.sqlite is unchanged",
    ] {
        assert!(
            result.stderr.contains(fragment),
            "`{fragment}` missing:\n{}",
            result.stderr
        );
    }
    assert_eq!(fs::read(dir.join("claimgraph.sqlite")).unwrap(), db_before);
    assert_eq!(files_of(&dir.join("exports")), exports_before);
    let stray: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.'))
        .collect();
    assert!(stray.is_empty(), "left behind: {stray:?}");
    // A plain build of the same data goes through: it counts rows, it does not verify.
    assert_eq!(run(dir, &["build"]).code, 0);
}

/// Every file under `dir` with its bytes, in path order.
fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().display().to_string(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// A curated field that names one entity twice would give `entity_links` two rows where the
/// entities view draws one edge: `check` refuses it, so no build writes such a database.
#[test]
fn a_curated_field_naming_one_entity_twice_is_refused_before_any_database() {
    let project = valid_project();
    let dir = project.path();
    let entities = dir.join("data/entities.toml");
    let text = fs::read_to_string(&entities).unwrap();
    let twice = text.replacen(
        "nationality = [\"ruritania\"]",
        "nationality = [\"ruritania\", \"ruritania\"]",
        1,
    );
    assert_ne!(text, twice, "the fixture has a nationality list");
    fs::write(&entities, twice).unwrap();
    let result = run(dir, &["build", "--no-exports", "--verify"]);
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert!(
        result
            .stderr
            .contains("error[invalid-value]: `nationality` names `ruritania` twice"),
        "{}",
        result.stderr
    );
    assert!(!dir.join("claimgraph.sqlite").exists());
}
