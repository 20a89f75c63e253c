//! The benchmark's tools: the synthetic data generator (`examples/generate.rs`) writes a valid
//! data set of the real shape, the same for the same arguments, and the checks runner
//! (`examples/checks.rs`) runs the checks a build makes and fails when the database breaks one.

use std::path::{Path, PathBuf};
use std::process::Command;

use rusqlite::Connection;

use crate::{Run, run};

/// An example program, built beside the binary under test (`cargo test` builds the examples).
fn example(name: &str) -> Command {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_claimgraph"));
    let path = binary.with_file_name("examples").join(name);
    assert!(
        path.is_file(),
        "{} is missing: the examples are built by `cargo test` and `cargo nextest run`",
        path.display()
    );
    Command::new(path)
}

pub fn generate(claims: usize, out: &Path) {
    let status = example("generate")
        .args(["--claims", &claims.to_string(), "--out"])
        .arg(out)
        .status()
        .expect("the generator runs");
    assert!(status.success());
}

fn checks(db: &Path) -> Run {
    example("checks")
        .arg(db)
        .output()
        .expect("the checks runner runs")
        .into()
}

/// Every file under `dir` with its contents, in path order.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(dir).unwrap().to_owned();
            (relative, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn generated_data_builds_with_every_kind_of_record_and_passes_the_checks() {
    let dir = tempfile::tempdir().unwrap();
    generate(2000, dir.path());

    let checked = run(dir.path(), &["check"]);
    assert_eq!(checked.code, 0, "{}", checked.stderr);
    assert!(checked.stderr.contains("2000 claims"), "{}", checked.stderr);
    let built = run(dir.path(), &["build", "--no-exports"]);
    assert_eq!(built.code, 0, "{}", built.stderr);

    // The real shape: every kind of entity, aliases, citing chains, denials, hedges, values
    // and dates, about ten claims per entity and a hundred per document.
    let db = dir.path().join("claimgraph.sqlite");
    crate::assert_verified(&db);
    let conn = Connection::open(&db).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(DISTINCT kind) FROM entities"), 8);
    assert_eq!(count("SELECT count(*) FROM claims"), 2000);
    assert_eq!(count("SELECT count(*) FROM sources"), 20);
    assert_eq!(count("SELECT count(*) FROM entities"), 220);
    for (what, sql) in [
        ("aliases", "SELECT count(*) FROM aliases"),
        (
            "citations",
            "SELECT count(*) FROM claim_citations WHERE position > 1",
        ),
        (
            "denials",
            "SELECT count(*) FROM claims WHERE stance = 'denies'",
        ),
        ("hedges", "SELECT count(*) FROM claims WHERE hedged = 1"),
        (
            "values",
            "SELECT count(*) FROM claims WHERE value IS NOT NULL",
        ),
        (
            "dates",
            "SELECT count(*) FROM claims WHERE when_start IS NOT NULL",
        ),
        ("mentions", "SELECT count(*) FROM mentions"),
        ("conflicts", "SELECT count(*) FROM conflicts"),
    ] {
        assert!(count(sql) > 0, "the generated data has no {what}");
    }
    drop(conn);

    let verified = checks(&db);
    assert_eq!(
        (verified.code, verified.stdout.trim()),
        (0, "ok"),
        "{}",
        verified.stderr
    );

    // A claim whose subject is gone breaks a foreign key, and the checks say where.
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF;
         DELETE FROM entities WHERE id = (SELECT subject_id FROM claims ORDER BY id LIMIT 1);",
    )
    .unwrap();
    drop(conn);
    let broken = checks(&db);
    assert_eq!(broken.code, 1, "{}", broken.stdout);
    assert!(
        broken.stderr.contains("foreign_key_check(")
            && broken.stderr.contains(" at a missing row of entities"),
        "{}",
        broken.stderr
    );
}

#[test]
fn the_generator_writes_the_same_files_for_the_same_arguments() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    generate(500, a.path());
    generate(500, b.path());
    let (a, b) = (tree(a.path()), tree(b.path()));
    assert!(a.len() > 10, "{} files", a.len());
    assert!(a == b, "two runs of the generator wrote different files");
}
