//! Integration tests: every test runs the built `claimgraph` binary as a user would and checks
//! what the user sees — exit codes, messages, database rows.

mod browser;
mod build;
mod check;
mod check_formats;
mod commands;
mod curation;
mod cypher;
mod data_schema;
mod datasette;
mod diff;
mod explorer;
mod export;
mod files;
mod ftm;
mod hostile_data;
mod incremental;
mod lsp;
mod provenance;
mod rdf;
mod readers;
mod rules;
mod scale;
mod seed_data;
mod streaming;
mod terminal;
mod tidy;
mod verify;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    root().join("tests/fixtures")
}

/// The binary under test, run in `dir`, without colour forced on it from the environment
/// (golden outputs are what a pipe gets).
pub fn claimgraph(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_claimgraph"));
    command.current_dir(dir).env_remove("CLICOLOR_FORCE");
    command
}

/// The result of one run, with the streams as text.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().expect("the process exited"),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }
}

pub fn run(dir: &Path, args: &[&str]) -> Run {
    claimgraph(dir)
        .args(args)
        .output()
        .expect("claimgraph runs")
        .into()
}

/// Copies a folder tree (fixtures are copied before a test changes them).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Builds `data` against `seeds` into a fresh database (no exports), which `claimgraph verify`
/// must pass; the folder lives as long as the returned guard.
pub fn build_database(data: &Path, seeds: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("test.sqlite");
    let result = build_into(data, seeds, &db);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_verified(&db);
    (dir, db)
}

/// Runs `build --no-exports` of `data` against `seeds` into `db`, for a test that reads what
/// the build said.
pub fn build_into(data: &Path, seeds: &Path, db: &Path) -> Run {
    run(
        &root(),
        &[
            "build",
            "--no-exports",
            "--data",
            data.to_str().unwrap(),
            "--seeds",
            seeds.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ],
    )
}

/// Runs `claimgraph verify` on a database a test built, which must pass it: the suite verifies
/// every database it builds (integrity, foreign keys, the `nodes` and `edges` views against the
/// graph, every quote offset).
pub fn assert_verified(db: &Path) {
    let result = run(&root(), &["verify", "--db", db.to_str().unwrap()]);
    assert_eq!(
        result.code,
        0,
        "claimgraph verify failed on {}:\n{}",
        db.display(),
        result.stderr
    );
    assert!(result.stderr.starts_with("verified "), "{}", result.stderr);
}

/// The repository's curated data in a fresh database.
pub fn seed_database() -> (tempfile::TempDir, PathBuf) {
    build_database(&root().join("data"), &root().join("seeds"))
}

/// The analysis fixture (circular reporting, corroboration, each kind of conflict) in a fresh
/// database.
pub fn analysis_database() -> (tempfile::TempDir, PathBuf) {
    build_database(
        &fixtures().join("analysis/data"),
        &fixtures().join("analysis/seeds"),
    )
}

/// Runs a reading command on `db`.
pub fn read(dir: &Path, db: &Path, args: &[&str]) -> Run {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--db", db.to_str().unwrap()]);
    run(dir, &all)
}

/// The JSON a command printed, which must have succeeded.
pub fn json(result: &Run) -> serde_json::Value {
    assert_eq!(result.code, 0, "{}", result.stderr);
    serde_json::from_str(&result.stdout).unwrap_or_else(|e| panic!("{e}: {}", result.stdout))
}

/// `sqlite3 .dump` of a database: the text the design says two builds of the same input share.
pub fn dump(db: &Path) -> String {
    let output = Command::new("sqlite3")
        .arg(db)
        .arg(".dump")
        .output()
        .expect("the sqlite3 command-line shell is installed (.ci/run installs it)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The first column of every row of a query, as text.
pub fn strings(conn: &rusqlite::Connection, sql: &str) -> Vec<String> {
    let mut statement = conn.prepare(sql).unwrap();
    statement
        .query_map([], |row| row.get::<_, String>(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// A scratch folder holding a copy of the valid fixture: `data/` and `seeds/`.
pub fn valid_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &fixtures().join("check/valid/data"),
        &dir.path().join("data"),
    );
    copy_tree(&fixtures().join("seeds"), &dir.path().join("seeds"));
    dir
}
