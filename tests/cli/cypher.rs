//! `export cypher` loaded into Kùzu, an embedded Cypher database: every node and edge, names,
//! aliases and quotes as the database holds them whatever characters they have, and "who
//! reported what about `nk-deserters`, citing whom" answered as `claimgraph query` answers it.

use std::path::Path;

use serde_json::{Value, json};

use crate::export::python_script;
use crate::{build_database, fixtures, read, root, seed_database};

/// Loads the script into a new Kùzu database and prints what `query` (with `$`-free Cypher)
/// returns, as JSON rows.
const LOAD: &str = r#"
import json, sys
try:
    import kuzu
except ImportError:
    sys.exit("kuzu is not installed in .venv: run `bash .ci/run` once")
db = kuzu.Database(sys.argv[3])
conn = kuzu.Connection(db)
conn.execute(open(sys.argv[1], encoding="utf-8").read())
out = {}
for name, query in json.loads(sys.argv[2]).items():
    result = conn.execute(query)
    rows = []
    while result.has_next():
        rows.append(result.get_next())
    out[name] = rows
print(json.dumps(out))
"#;

fn load(dir: &Path, db: &Path, queries: &Value) -> Value {
    let file = dir.join("graph.cypher");
    let export = read(dir, db, &["export", "cypher", "-o", file.to_str().unwrap()]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    let again = read(dir, db, &["export", "cypher"]);
    assert_eq!(
        again.stdout,
        std::fs::read_to_string(&file).unwrap(),
        "not deterministic"
    );
    python_script(
        &root().join(".venv/bin/python"),
        LOAD,
        &[
            file.to_str().unwrap(),
            &queries.to_string(),
            // The Kùzu database in the test's folder, which goes with it.
            dir.join("graph.kuzu").to_str().unwrap(),
        ],
    )
}

/// The rows of a `query --format json` as lists of values in the order of `columns`.
fn query(dir: &Path, db: &Path, sql: &str, columns: &[&str]) -> Value {
    let rows = crate::json(&read(dir, db, &["query", sql, "--format", "json"]));
    Value::Array(
        rows.as_array()
            .unwrap()
            .iter()
            .map(|r| Value::Array(columns.iter().map(|c| r[*c].clone()).collect()))
            .collect(),
    )
}

#[test]
fn kuzu_loads_the_script_and_answers_who_reported_what_citing_whom_as_the_database_does() {
    let (dir, db) = seed_database();
    let loaded = load(
        dir.path(),
        &db,
        &json!({
            "about": "MATCH (r:Entity)-[:REPORTED]->(c:Claim)-[:ABOUT]->(:Entity {id: 'nk-deserters'}) \
                      RETURN c.id, r.id, c.quote, c.stance, c.hedged, c.origin ORDER BY c.id",
            "cites": "MATCH (c:Claim)-[:ABOUT]->(:Entity {id: 'nk-deserters'}) MATCH (c)-[k:CITES]->(x:Entity) \
                      RETURN c.id, k.position, x.id ORDER BY c.id, k.position",
            "chains": "MATCH (c:Claim)-[:ABOUT]->(:Entity {id: 'nk-deserters'}) RETURN c.id, c.citing ORDER BY c.id",
            "counts": "MATCH (n) RETURN count(*)",
            "edges": "MATCH ()-[e]->() RETURN count(*)",
        }),
    );
    let about = query(
        dir.path(),
        &db,
        "SELECT id, reported_by, quote, stance, hedged = 1 AS hedged, origin_id FROM claims \
         WHERE subject_id = 'nk-deserters' ORDER BY id",
        &[
            "id",
            "reported_by",
            "quote",
            "stance",
            "hedged",
            "origin_id",
        ],
    );
    assert!(!about.as_array().unwrap().is_empty());
    let about: Value = about
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let mut r = r.as_array().unwrap().clone();
            r[4] = Value::Bool(r[4] == json!(1));
            Value::Array(r)
        })
        .collect();
    assert_eq!(loaded["about"], about);
    let cites = query(
        dir.path(),
        &db,
        "SELECT k.claim_id, k.position, k.entity_id FROM claim_citations k \
         JOIN claims c ON c.id = k.claim_id WHERE c.subject_id = 'nk-deserters' \
         ORDER BY k.claim_id, k.position",
        &["claim_id", "position", "entity_id"],
    );
    assert!(!cites.as_array().unwrap().is_empty());
    assert_eq!(loaded["cites"], cites);
    for row in loaded["chains"].as_array().unwrap() {
        let chain: Vec<Value> = loaded["cites"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c[0] == row[0])
            .map(|c| c[2].clone())
            .collect();
        assert_eq!(row[1], Value::Array(chain), "the citing list of {}", row[0]);
    }
    let nodes = query(dir.path(), &db, "SELECT count(*) AS n FROM nodes", &["n"]);
    assert_eq!(loaded["counts"][0][0], nodes[0][0]);
    let edges = query(dir.path(), &db, "SELECT count(*) AS n FROM edges", &["n"]);
    let conflicts = query(
        dir.path(),
        &db,
        "SELECT count(*) AS n FROM conflict_pairs",
        &["n"],
    );
    assert_eq!(
        loaded["edges"][0][0].as_u64().unwrap(),
        edges[0][0].as_u64().unwrap() + conflicts[0][0].as_u64().unwrap()
    );
}

#[test]
fn names_aliases_and_quotes_with_quotes_backslashes_and_newlines_load_unchanged() {
    let fixture = fixtures().join("export/hostile");
    let (dir, db) = build_database(&fixture.join("data"), &fixture.join("seeds"));
    let loaded = load(
        dir.path(),
        &db,
        &json!({
            "names": "MATCH (e:Entity) RETURN e.id, e.name, e.description ORDER BY e.id",
            "aliases": "MATCH (e:Entity) UNWIND e.aliases AS a RETURN e.id, a ORDER BY e.id, a",
            "quotes": "MATCH (c:Claim) RETURN c.id, c.quote, c.note ORDER BY c.id",
        }),
    );
    let names = query(
        dir.path(),
        &db,
        "SELECT id, name, description FROM entities ORDER BY id",
        &["id", "name", "description"],
    );
    assert_eq!(loaded["names"], names);
    let aliases = query(
        dir.path(),
        &db,
        "SELECT entity_id, alias FROM aliases ORDER BY entity_id, alias",
        &["entity_id", "alias"],
    );
    assert_eq!(loaded["aliases"], aliases);
    let quotes = query(
        dir.path(),
        &db,
        "SELECT id, quote, note FROM claims ORDER BY id",
        &["id", "quote", "note"],
    );
    assert_eq!(loaded["quotes"], quotes);
}
