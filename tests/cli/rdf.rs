//! `export rdf` (TriG) and `export nquads`, loaded into pyoxigraph, the Oxigraph store, by
//! `tests/fixtures/rdf/sparql.py`: SPARQL over them answers the README's six questions with
//! the rows `claimgraph query` gives for the README's SQL; every claim is one named graph with
//! its statement; every Web Annotation's position selector cuts its `exact` out of the document
//! file; aliases carry no language tag the data lacks; `owl:sameAs` stands exactly where a
//! Wikidata id is curated; TriG and N-Quads hold the same quads; a second export is the same
//! bytes.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::{build_database, fixtures, json, read, root, seed_database};

/// The README's "### Six questions", in the order of their ```sql blocks, by the names the
/// Python script asks them under.
const QUESTIONS: [&str; 6] = [
    "who reported",
    "single voice",
    "contested",
    "documents contradicting",
    "interested parties",
    "wagner",
];

/// `.venv/bin/python`, which must have pyoxigraph.
fn python() -> PathBuf {
    let python = root().join(".venv/bin/python");
    assert!(
        Command::new(&python)
            .args(["-c", "import pyoxigraph"])
            .status()
            .is_ok_and(|s| s.success()),
        "{} cannot import pyoxigraph; run `bash .ci/run` once (it installs .ci/requirements.txt \
         into .venv/)",
        python.display()
    );
    python
}

/// Exports `db` as TriG and N-Quads into `dir`, each twice to the same file (which the second
/// run must know for claimgraph's and replace), and checks that the second writes the same
/// bytes.
fn export_twice(dir: &Path, db: &Path) -> (PathBuf, PathBuf) {
    let mut paths = Vec::new();
    for (format, name) in [("rdf", "graph.trig"), ("nquads", "graph.nq")] {
        let path = dir.join(name);
        let mut runs = Vec::new();
        for _ in 0..2 {
            let result = read(dir, db, &["export", format, "-o", path.to_str().unwrap()]);
            assert_eq!(result.code, 0, "export {format}: {}", result.stderr);
            runs.push(fs::read(&path).unwrap());
        }
        assert!(!runs[0].is_empty(), "export {format} wrote nothing");
        assert!(
            runs[0] == runs[1],
            "export {format} is not byte-identical on a second run"
        );
        paths.push(path);
    }
    (paths[0].clone(), paths[1].clone())
}

/// Runs the SPARQL checks; `answers` is `-` for a data set the README's questions are not about.
fn sparql(trig: &Path, nquads: &Path, answers: &str, seeds: &Path, db: &Path) -> Value {
    let output = Command::new(python())
        .arg(fixtures().join("rdf/sparql.py"))
        .args([trig, nquads, &root().join("README.md")])
        .arg(answers)
        .args([seeds, db])
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "the RDF does not answer as the database does:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn sparql_over_the_rdf_export_answers_the_readmes_questions_as_sql_does() {
    let (dir, db) = seed_database();
    let (trig, nquads) = export_twice(dir.path(), &db);
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    let questions = readme
        .split("### Six questions")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("the README has its six questions");
    let blocks: Vec<&str> = questions
        .split("```sql\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap())
        .collect();
    assert_eq!(
        blocks.len(),
        QUESTIONS.len(),
        "the README's questions changed"
    );
    let mut answers = serde_json::Map::new();
    for (name, sql) in QUESTIONS.iter().zip(blocks) {
        let rows = json(&read(dir.path(), &db, &["query", sql, "--format", "json"]));
        answers.insert((*name).to_owned(), rows);
    }
    let answers_path = dir.path().join("answers.json");
    fs::write(&answers_path, Value::Object(answers).to_string()).unwrap();
    let summary = sparql(
        &trig,
        &nquads,
        answers_path.to_str().unwrap(),
        &root().join("seeds"),
        &db,
    );
    for name in QUESTIONS {
        assert!(
            summary["questions"][name].as_u64().unwrap_or(0) > 0,
            "«{name}» was not asked: {summary}"
        );
    }
    let claims = json(&read(
        dir.path(),
        &db,
        &[
            "query",
            "SELECT count(*) AS n FROM claims",
            "--format",
            "json",
        ],
    ))[0]["n"]
        .as_u64()
        .unwrap();
    assert_eq!(summary["graphs"].as_u64(), Some(claims), "{summary}");
    assert_eq!(summary["annotations"].as_u64(), Some(claims), "{summary}");
    assert!(summary["aliases"].as_u64().unwrap() > 100, "{summary}");
}

/// The hostile-names fixture has what the curated data lacks (a Wikidata id, a `url`, names
/// with quotes, backslashes, markup, Korean and Chinese): the IRIs and literals still parse,
/// and `owl:sameAs` stands where the id is curated.
#[test]
fn the_rdf_export_of_hostile_names_loads_and_links_wikidata() {
    let hostile = fixtures().join("export/hostile");
    let (dir, db) = build_database(&hostile.join("data"), &hostile.join("seeds"));
    let (trig, nquads) = export_twice(dir.path(), &db);
    let summary = sparql(&trig, &nquads, "-", &hostile.join("seeds"), &db);
    assert!(summary["same_as"].as_u64().unwrap() >= 1, "{summary}");
    assert!(summary["aliases"].as_u64().unwrap() >= 1, "{summary}");
    assert!(summary["annotations"].as_u64().unwrap() >= 1, "{summary}");
}
