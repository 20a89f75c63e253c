//! The repository's own curated data set: it builds, its quote offsets hold, and the
//! README's SQL answers on it. (That it checks clean is pinned in `curation.rs`.)

use crate::{root, seed_database};

#[test]
fn the_curated_data_builds_and_its_quote_offsets_hold() {
    let (_dir, db) = seed_database();
    crate::build::assert_quote_offsets(&db);
}

/// Every ```sql block of the README runs against the curated data and returns rows, so the
/// examples never go stale.
#[test]
fn every_sql_example_in_the_readme_runs_and_answers() {
    let (_dir, db) = seed_database();
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
