//! The database in Datasette, with the metadata `build` ships (`exports/datasette-metadata.json`),
//! through Datasette's own test client: its search boxes on claims and on `who_reported_what`
//! find the claims `claimgraph query` finds, facets work on the citing chain's JSON array and on
//! a plain column, every canned query (the README's cookbook) answers as `claimgraph query`
//! does, and every table and view is described. `sqlite-utils search` finds a quote. Every
//! table and view opens with Python's sqlite3 (3.40 on Debian 12).

use std::process::Command;

use serde_json::Value;

use crate::{json, read, root, seed_database};

const INSTALL: &str = "run `bash .ci/run` once: it installs Datasette and sqlite-utils \
                       (.ci/requirements.txt) into .venv/";

const CLIENT: &str = r#"
import asyncio, json, sqlite3, sys
from datasette.app import Datasette
db, meta = sys.argv[1], sys.argv[2]
metadata = json.load(open(meta))
out = {"sqlite": sqlite3.sqlite_version, "unreadable": {}}
conn = sqlite3.connect(db)
for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"):
    try:
        conn.execute(f'SELECT * FROM "{name}" LIMIT 1').fetchall()
    except sqlite3.Error as e:
        out["unreadable"][name] = str(e)
ds = Datasette([db], metadata=metadata)
async def main():
    r = await ds.client.get("/claimgraph/claims.json?_search=festgenommen&_shape=array&_col=id&_size=max")
    out["search"] = sorted(row["id"] for row in r.json())
    r = await ds.client.get("/claimgraph/who_reported_what.json?_search=festgenommen&_shape=array&_size=max")
    out["view_search"] = sorted(row["claim_id"] for row in r.json())
    r = await ds.client.get("/claimgraph/who_reported_what.json?_facet_array=citing_names&_facet=stance&_size=0")
    facets = r.json()["facet_results"]
    out["facets"] = {name: {str(v["value"]): v["count"] for v in f["results"]} for name, f in facets.items()}
    out["queries"] = {}
    for name in metadata["databases"]["claimgraph"]["queries"]:
        r = await ds.client.get(f"/claimgraph/{name}.json?_shape=array&_size=max")
        out["queries"][name] = r.json() if r.status_code == 200 else r.text
    r = await ds.client.get("/claimgraph.json")
    listing = r.json()
    out["tables"] = sorted([t["name"] for t in listing["tables"]] + [v["name"] for v in listing["views"]])
    r = await ds.client.get("/claimgraph/claims.json?_shape=array&_size=1&_labels=on&_col=predicate")
    out["label"] = r.json()[0]["predicate"]
asyncio.run(main())
print(json.dumps(out))
"#;

#[test]
fn datasette_searches_facets_and_answers_the_canned_queries_as_the_database_does() {
    let (dir, built) = seed_database();
    let db = dir.path().join("claimgraph.sqlite");
    std::fs::rename(&built, &db).unwrap();
    let python = root().join(".venv/bin/python");
    assert!(python.is_file(), "no .venv/bin/python; {INSTALL}");
    let metadata_path = root().join("exports/datasette-metadata.json");
    let output = Command::new(&python)
        .arg("-c")
        .arg(CLIENT)
        .arg(&db)
        .arg(&metadata_path)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "Datasette could not be run ({INSTALL}):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let out: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        out["unreadable"],
        serde_json::json!({}),
        "{}",
        out["sqlite"]
    );

    // The search box on claims finds what the claims' full-text index finds in SQL.
    let expected = json(&read(
        dir.path(),
        &db,
        &[
            "query",
            "--format",
            "json",
            "SELECT id FROM claims WHERE quote LIKE '%festgenommen%' OR note LIKE '%festgenommen%' ORDER BY id",
        ],
    ));
    let ids: Vec<&Value> = expected
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["id"])
        .collect();
    assert!(!ids.is_empty());
    assert_eq!(
        out["search"].as_array().unwrap().iter().collect::<Vec<_>>(),
        ids
    );
    // And so does the search box on the view analysts read claims in.
    assert_eq!(
        out["view_search"]
            .as_array()
            .unwrap()
            .iter()
            .collect::<Vec<_>>(),
        ids
    );

    // A facet on the citing chain's JSON array, and a plain one.
    let cited = json(&read(
        dir.path(),
        &db,
        &[
            "query",
            "--format",
            "json",
            "SELECT count(DISTINCT cc.claim_id) AS n FROM claim_citations cc
             JOIN entities e ON e.id = cc.entity_id WHERE e.name = 'The Kyiv Independent'",
        ],
    ));
    assert_eq!(
        out["facets"]["citing_names"]["The Kyiv Independent"],
        cited[0]["n"]
    );
    let stances = json(&read(
        dir.path(),
        &db,
        &[
            "query",
            "--format",
            "json",
            "SELECT count(*) AS n FROM claims WHERE stance = 'denies'",
        ],
    ));
    assert_eq!(out["facets"]["stance"]["denies"], stances[0]["n"]);

    // Every canned query answers, with the rows `claimgraph query` gives for its SQL.
    let metadata: Value =
        serde_json::from_str(&std::fs::read_to_string(&metadata_path).unwrap()).unwrap();
    let queries = metadata["databases"]["claimgraph"]["queries"]
        .as_object()
        .unwrap();
    assert_eq!(queries.len(), 10, "every recipe of the cookbook");
    for (name, query) in queries {
        let rows = &out["queries"][name];
        assert!(
            rows.as_array().is_some_and(|r| !r.is_empty()),
            "{name} returned no rows: {rows}"
        );
        let sql = query["sql"].as_str().unwrap();
        let ours = json(&read(dir.path(), &db, &["query", "--format", "json", sql]));
        assert_eq!(rows, &ours, "{name}");
    }

    // Every table and view Datasette lists is described, and every description names one.
    let tables = metadata["databases"]["claimgraph"]["tables"]
        .as_object()
        .unwrap();
    for name in out["tables"].as_array().unwrap() {
        let name = name.as_str().unwrap();
        let shadow = ["_data", "_idx", "_docsize", "_config", "_content"]
            .iter()
            .any(|s| name.ends_with(s));
        assert!(
            shadow || tables.contains_key(name),
            "{name} is not described"
        );
    }
    for name in tables.keys() {
        assert!(
            out["tables"].as_array().unwrap().iter().any(|t| t == name),
            "{name}"
        );
    }
    // A foreign key to predicates shows the predicate's label.
    assert!(out["label"]["label"].is_string(), "{}", out["label"]);

    // sqlite-utils finds a quote through the claims' index.
    let found = Command::new(root().join(".venv/bin/sqlite-utils"))
        .args([
            "search",
            db.to_str().unwrap(),
            "claims",
            "festgenommen",
            "-c",
            "id",
        ])
        .output()
        .unwrap_or_else(|e| panic!("no sqlite-utils ({e}); {INSTALL}"));
    assert!(
        found.status.success(),
        "{}",
        String::from_utf8_lossy(&found.stderr)
    );
    let stdout = String::from_utf8_lossy(&found.stdout);
    for id in ids {
        assert!(stdout.contains(id.as_str().unwrap()), "{stdout}");
    }
}
