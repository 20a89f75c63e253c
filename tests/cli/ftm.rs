//! `export ftm` read by the `followthemoney` package: `ftm validate` keeps every entity and
//! every property, `ftm export-gexf` and `ftm export-cypher` run on it, and the claims about an
//! entity, read from the FtM entities, are the database's.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::export::python_script;
use crate::{read, root, seed_database};

const INSTALL: &str =
    "run `bash .ci/run` once: it installs followthemoney (the `ftm` command) in .venv/";

fn ftm() -> PathBuf {
    let ftm = root().join(".venv/bin/ftm");
    assert!(ftm.is_file(), "no .venv/bin/ftm; {INSTALL}");
    ftm
}

fn run_ftm(args: &[&Path], command: &str) {
    let output = Command::new(ftm())
        .arg(command)
        .arg("-i")
        .arg(args[0])
        .arg("-o")
        .arg(args[1])
        .output()
        .expect("ftm runs");
    assert!(
        output.status.success(),
        "ftm {command} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn ftm_reads_every_entity_and_answers_the_provenance_question_as_the_database_does() {
    let (dir, db) = seed_database();
    let file = dir.path().join("graph.ftm.jsonl");
    let export = read(
        dir.path(),
        &db,
        &["export", "ftm", "-o", file.to_str().unwrap()],
    );
    assert_eq!(export.code, 0, "{}", export.stderr);
    let again = read(dir.path(), &db, &["export", "ftm"]);
    assert_eq!(
        again.stdout,
        std::fs::read_to_string(&file).unwrap(),
        "not deterministic"
    );

    // `ftm validate` cleans each value by its property's type and drops what it cannot read:
    // every entity and every property must come through it.
    let valid = dir.path().join("valid.ftm.jsonl");
    run_ftm(&[&file, &valid], "validate");
    let python = root().join(".venv/bin/python");
    let kept = python_script(
        &python,
        r#"
import json, sys
written = [json.loads(l) for l in open(sys.argv[1])]
cleaned = {e["id"]: e for e in map(json.loads, open(sys.argv[2]))}
lost = [(e["id"], k) for e in written for k, v in e["properties"].items()
        if len(cleaned.get(e["id"], {"properties": {}})["properties"].get(k, [])) != len(v)]
print(json.dumps({"entities": len(written), "cleaned": len(cleaned), "lost": lost}))
"#,
        &[&file, &valid],
    );
    assert_eq!(
        kept["lost"],
        serde_json::json!([]),
        "ftm validate dropped values"
    );
    assert_eq!(kept["entities"], kept["cleaned"]);
    assert!(kept["entities"].as_u64().unwrap() > 500);

    let gexf = dir.path().join("graph.gexf");
    run_ftm(&[&file, &gexf], "export-gexf");
    let cypher = dir.path().join("graph.cypher");
    run_ftm(&[&file, &cypher], "export-cypher");
    let graph = python_script(
        &python,
        r#"
import json, sys, networkx
g = networkx.read_gexf(sys.argv[1])
print(json.dumps({"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}))
"#,
        &[&gexf],
    );
    assert!(graph["nodes"].as_u64().unwrap() > 100, "{graph}");
    assert!(graph["edges"].as_u64().unwrap() > 100, "{graph}");
    assert!(std::fs::read_to_string(&cypher).unwrap().contains("MERGE"));

    // Who said what about nk-deserters, in which document, in which words.
    let from_ftm = python_script(
        &python,
        r#"
import json, sys
rows = []
for e in map(json.loads, open(sys.argv[1])):
    p = e["properties"]
    if p.get("subject", p.get("entity")) == ["cg-entity.nk-deserters"] and e["id"].startswith("cg-claim."):
        rows.append([e["id"][len("cg-claim."):], p["proof"][0][len("cg-document."):],
                     p["publisher"][0], p["summary"][0]])
print(json.dumps(sorted(rows)))
"#,
        &[&file],
    );
    let from_db = read(
        dir.path(),
        &db,
        &[
            "query",
            "SELECT c.id, c.source_id, r.name, c.quote FROM claims c \
             JOIN entities r ON r.id = c.reported_by \
             WHERE c.subject_id = 'nk-deserters' ORDER BY c.id",
            "--format",
            "json",
        ],
    );
    let rows: Vec<Vec<serde_json::Value>> = crate::json(&from_db)
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            ["id", "source_id", "name", "quote"]
                .iter()
                .map(|k| r[*k].clone())
                .collect()
        })
        .collect();
    assert!(!rows.is_empty());
    assert_eq!(from_ftm, serde_json::json!(rows));
}

/// A denial's link says "not" where graph tools show it (the `role`, their edge label), and a
/// hedge says so too: five "serves in" links where one is the Kremlin's denial would read as
/// five affirmations. `--source` keeps one document's claims and what they name, in FtM and in
/// Cypher as in RDF.
#[test]
fn denials_and_hedges_label_their_links_and_a_source_keeps_its_own_claims() {
    let (dir, db) = seed_database();
    let claims = |sql: &str| -> Vec<(String, String, bool)> {
        crate::json(&read(dir.path(), &db, &["query", sql, "--format", "json"]))
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["id"].as_str().unwrap().to_owned(),
                    r["label"].as_str().unwrap().to_owned(),
                    r["hedged"] == 1,
                )
            })
            .collect()
    };
    let export = read(dir.path(), &db, &["export", "ftm"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    let roles: std::collections::BTreeMap<String, String> = export
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter_map(|e| {
            let id = e["id"].as_str()?.strip_prefix("cg-claim.")?.to_owned();
            Some((id, e["properties"]["role"][0].as_str()?.to_owned()))
        })
        .collect();
    let all = claims(
        "SELECT c.id, p.label, c.hedged, c.stance FROM claims c \
         JOIN predicates p ON p.id = c.predicate ORDER BY c.id",
    );
    assert_eq!(roles.len(), all.len());
    let denials = claims(
        "SELECT c.id, p.label, c.hedged FROM claims c JOIN predicates p ON p.id = c.predicate \
         WHERE c.stance = 'denies'",
    );
    assert!(!denials.is_empty());
    for (id, label, hedged) in &all {
        let denied = denials.iter().any(|(d, _, _)| d == id);
        let expected = format!(
            "{}{label}{}",
            if denied { "not " } else { "" },
            if *hedged { " (hedged)" } else { "" }
        );
        assert_eq!(roles[id], expected, "{id}");
    }

    // One document: its claims, no other.
    let own = claims(
        "SELECT c.id, p.label, c.hedged FROM claims c JOIN predicates p ON p.id = c.predicate \
         WHERE c.source_id = 'de-nk-soldiers'",
    );
    let export = read(
        dir.path(),
        &db,
        &["export", "ftm", "--source", "de-nk-soldiers"],
    );
    assert_eq!(export.code, 0, "{}", export.stderr);
    let mut ids: Vec<&str> = export
        .stdout
        .lines()
        .filter_map(|l| l.split("\"id\":\"cg-claim.").nth(1))
        .map(|rest| rest.split('"').next().unwrap())
        .collect();
    ids.sort_unstable();
    let mut expected: Vec<&str> = own.iter().map(|(id, _, _)| id.as_str()).collect();
    expected.sort_unstable();
    assert_eq!(ids, expected);
    let cypher = read(
        dir.path(),
        &db,
        &["export", "cypher", "--source", "de-nk-soldiers"],
    );
    assert_eq!(cypher.code, 0, "{}", cypher.stderr);
    assert_eq!(cypher.stdout.matches("CREATE (:Claim ").count(), own.len());
    for (id, _, _) in &own {
        assert!(
            cypher
                .stdout
                .contains(&format!("CREATE (:Claim {{id: \"{id}\"")),
            "{id}"
        );
    }
}
