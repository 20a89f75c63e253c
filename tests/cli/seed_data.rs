//! The repository's own curated data set: it checks clean and builds.

use crate::{root, run};

#[test]
fn the_curated_data_checks_clean() {
    let result = run(&root(), &["check"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(!result.stderr.contains("warning"), "{}", result.stderr);
}

#[test]
fn the_curated_data_builds_and_its_quote_offsets_hold() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seed.sqlite");
    let result = run(
        &root(),
        &["build", "--no-exports", "--db", db.to_str().unwrap()],
    );
    assert_eq!(result.code, 0, "{}", result.stderr);
    crate::build::assert_quote_offsets(&db);
}

/// Every ```sql block of the README runs against the curated data and returns rows, so the
/// examples never go stale.
#[test]
fn every_sql_example_in_the_readme_runs_and_answers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seed.sqlite");
    let result = run(
        &root(),
        &["build", "--no-exports", "--db", db.to_str().unwrap()],
    );
    assert_eq!(result.code, 0, "{}", result.stderr);
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let blocks: Vec<&str> = readme
        .split("```sql\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap())
        .collect();
    assert!(blocks.len() >= 14, "the README lost its SQL examples");
    let conn = rusqlite::Connection::open(&db).unwrap();
    for sql in blocks {
        let mut statement = conn
            .prepare(sql)
            .unwrap_or_else(|e| panic!("README SQL does not prepare: {e}\n{sql}"));
        let mut rows = statement.query([]).unwrap();
        assert!(
            rows.next().unwrap().is_some(),
            "README SQL returns no rows on the curated data:\n{sql}"
        );
    }
}
