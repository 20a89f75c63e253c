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
