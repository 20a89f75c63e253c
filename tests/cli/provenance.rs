//! Counting voices honestly, on `tests/fixtures/voices/`: a denial never corroborates, one
//! actor heard through `part_of` is one voice, an article repeating what it cites is not a
//! second voice, interested parties apart from aligned ones, and the reach of `excludes`. Every
//! place that counts is checked: the database, `corroboration`, `path`, and the exports as
//! their readers see them (networkx for GEXF and node-link, Graphviz for DOT).

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde_json::Value;

use crate::{Run, build_database, fixtures};

fn database() -> (tempfile::TempDir, PathBuf) {
    build_database(
        &fixtures().join("voices/data"),
        &fixtures().join("voices/seeds"),
    )
}

/// Runs a reading command on `db`, which must succeed.
fn read(dir: &Path, db: &Path, args: &[&str]) -> Run {
    let result = crate::read(dir, db, args);
    assert_eq!(result.code, 0, "{}", result.stderr);
    result
}

fn one_row(conn: &Connection, sql: &str) -> Vec<String> {
    conn.query_row(sql, [], |row| {
        (0..row.as_ref().column_count())
            .map(|i| {
                row.get::<_, rusqlite::types::Value>(i).map(|v| match v {
                    rusqlite::types::Value::Integer(n) => n.to_string(),
                    rusqlite::types::Value::Text(t) => t,
                    rusqlite::types::Value::Null => "NULL".to_owned(),
                    other => format!("{other:?}"),
                })
            })
            .collect()
    })
    .unwrap_or_else(|e| panic!("{e}: {sql}"))
}

/// The detention is affirmed by four origins (the service and its ministry are one voice, so
/// three voices) and denied by a witness.
const DETENTION: &str = "statement/prisoners/detained_by/police";

#[test]
fn a_denial_never_adds_to_the_origins_of_a_statement() {
    let (_dir, db) = database();
    let conn = Connection::open(&db).unwrap();
    let row = |stance: &str| {
        one_row(
            &conn,
            &format!(
                "SELECT reports, documents, origins, opposing_origins, contested, circular
                 FROM corroboration
                 WHERE subject_id = 'prisoners' AND predicate = 'detained_by'
                   AND object_id = 'police' AND stance = '{stance}'"
            ),
        )
    };
    // Affirmed in four reports by three voices, against one; circular, since four documents
    // trace back to three voices.
    assert_eq!(row("affirms"), ["4", "4", "3", "1", "1", "1"]);
    assert_eq!(row("denies"), ["1", "1", "1", "3", "1", "0"]);
    // A statement nobody denies and no claim contradicts is not contested; one only denied is.
    assert_eq!(
        one_row(
            &conn,
            "SELECT opposing_origins, conflicting, contested FROM corroboration
             WHERE predicate = 'count'"
        ),
        ["0", "0", "0"]
    );
    assert_eq!(
        one_row(
            &conn,
            "SELECT stance, opposing_origins, conflicting, contested FROM corroboration
             WHERE predicate = 'detained_by' AND object_id = 'army'"
        ),
        ["denies", "0", "0", "1"]
    );
}

#[test]
fn corroboration_counts_the_stances_apart_and_names_both_sides() {
    let (dir, db) = database();
    let rows: Value = serde_json::from_str(
        &read(
            dir.path(),
            &db,
            &[
                "corroboration",
                "--subject",
                "prisoners",
                "--format",
                "json",
            ],
        )
        .stdout,
    )
    .unwrap();
    let find = |predicate: &str, stance: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| {
                r["predicate"] == predicate && r["object"] == "police" && r["stance"] == stance
            })
            .unwrap_or_else(|| panic!("no {predicate} {stance} in {rows}"))
            .clone()
    };
    let affirmed = find("detained_by", "affirms");
    assert_eq!(affirmed["origins"], 3);
    assert_eq!(affirmed["against"], 1);
    assert_eq!(
        affirmed["verdict"],
        "corroborated by 3 independent origins (circular: 4 documents), denied by 1: witness"
    );
    // Each voice with the origins it stands for; `*` an interested party, `~` an aligned one.
    assert_eq!(
        affirmed["origin_ids"],
        "paper-y~, ruritania (army)*, war-ministry (intel-service)~"
    );
    let denied = find("detained_by", "denies");
    assert_eq!(
        denied["verdict"],
        "denied by 1 independent origin, affirmed by 3: paper-y~, ruritania (army)*, \
         war-ministry (intel-service)~"
    );
}

#[test]
fn path_words_each_step_with_its_voices_for_and_against() {
    let (dir, db) = database();
    let result = read(dir.path(), &db, &["path", "prisoners", "police"]);
    assert!(
        result.stdout.contains(
            "5 claims: corroborated by 3 independent origins (Paper Y, Ruritania, War ministry), \
             denied by 1 (Witness)"
        ),
        "{}",
        result.stdout
    );
}

#[test]
fn part_of_makes_one_voice_and_circular_reporting() {
    let (_dir, db) = database();
    let conn = Connection::open(&db).unwrap();
    // The literal origin stays; the voice is the outermost whole it is part of.
    assert_eq!(
        one_row(
            &conn,
            "SELECT origin_id, voice_id FROM claim_origins WHERE claim_id = 'a-detained'"
        ),
        ["intel-service", "war-ministry"]
    );
    assert_eq!(
        one_row(
            &conn,
            "SELECT origin_id, voice_id FROM claim_origins WHERE claim_id = 'a-integrated'"
        ),
        ["paper-x", "media-group"]
    );
    // An agency part of the ministry and of an alliance joins them: one voice, named by the
    // first outermost whole by id.
    assert_eq!(
        one_row(
            &conn,
            "SELECT origin_id, voice_id FROM claim_origins WHERE claim_id = 'd-count'"
        ),
        ["agency", "war-ministry"]
    );
    // The service, its ministry and the agency in three documents (the agency writes 40.0,
    // the same value as 40), a paper and its media group in two: one voice each, circular.
    for (predicate, documents) in [("count", "3"), ("integrated_into", "2")] {
        assert_eq!(
            one_row(
                &conn,
                &format!(
                    "SELECT documents, origins, circular FROM corroboration
                     WHERE predicate = '{predicate}'"
                )
            ),
            [documents, "1", "1"],
            "{predicate}"
        );
    }
    // Two councils each part of the other are one voice; with Report D's own, two.
    assert_eq!(
        one_row(
            &conn,
            "SELECT origins FROM corroboration
             WHERE subject_id = 'escapees' AND predicate = 'detained_by'"
        ),
        ["2"]
    );
    assert_eq!(
        crate::strings(
            &conn,
            "SELECT DISTINCT voice_id FROM claim_origins
             WHERE claim_id IN ('a-escapees-b', 'a-escapees-c')"
        ),
        ["b-council"]
    );
}

#[test]
fn interested_parties_apart_from_aligned_ones() {
    let (_dir, db) = database();
    let conn = Connection::open(&db).unwrap();
    let flags = |claim: &str| {
        one_row(
            &conn,
            &format!("SELECT interested, aligned FROM claim_origins WHERE claim_id = '{claim}'"),
        )
    };
    // The army and the police are both part of Ruritania: a party to the detention.
    assert_eq!(flags("d-detained"), ["1", "0"]);
    // The ministry only shares Ruritania as its country with the police: aligned.
    assert_eq!(flags("b-detained"), ["0", "1"]);
    // A witness with no country is neither.
    assert_eq!(flags("c-denial"), ["0", "0"]);
}

#[test]
fn an_article_repeating_what_it_cites_is_not_a_second_voice() {
    // A copy of the fixture in which Report C, besides saying in its own voice that the police
    // detained the prisoners, also reports it from Paper X, and from Paper X citing the
    // intelligence service: each shorter chain repeats what the longer one traces back.
    let dir = tempfile::tempdir().unwrap();
    crate::copy_tree(&fixtures().join("voices"), dir.path());
    let seed = dir.path().join("seeds/c.txt");
    let mut text = std::fs::read_to_string(&seed).unwrap();
    text.push_str(
        "Paper X, citing the intelligence service, writes that the police detained the \
         prisoners. Paper X writes it too.\n",
    );
    std::fs::write(&seed, text).unwrap();
    let claims = dir.path().join("data/claims.toml");
    let mut text = std::fs::read_to_string(&claims).unwrap();
    for (id, citing, quote) in [
        (
            "c-cited-detention",
            r#"["paper-x", "intel-service"]"#,
            "Paper X, citing the intelligence service, writes that the police detained the prisoners.",
        ),
        ("c-paper-x", r#"["paper-x"]"#, "Paper X writes it too."),
    ] {
        text.push_str(&format!(
            "\n[[claim]]\nid = \"{id}\"\nsource = \"c\"\nciting = {citing}\n\
             subject = \"prisoners\"\npredicate = \"detained_by\"\nobject = \"police\"\n\
             quote = \"{quote}\"\n"
        ));
    }
    std::fs::write(&claims, text).unwrap();
    let (_db_dir, db) = build_database(&dir.path().join("data"), &dir.path().join("seeds"));
    let conn = Connection::open(&db).unwrap();
    // Report C's own claim, and Paper X's, now carry the voice of the longest chain.
    for (claim, origin) in [("c-detained", "paper-y"), ("c-paper-x", "paper-x")] {
        assert_eq!(
            one_row(
                &conn,
                &format!(
                    "SELECT origin_id, voice_id, echoes FROM claim_origins
                     WHERE claim_id = '{claim}'"
                )
            ),
            [origin, "war-ministry", "1"]
        );
    }
    assert_eq!(
        one_row(
            &conn,
            "SELECT echoes FROM claim_origins WHERE claim_id = 'c-cited-detention'"
        ),
        ["0"]
    );
    assert_eq!(
        one_row(
            &conn,
            "SELECT origins FROM corroboration
             WHERE predicate = 'detained_by' AND subject_id = 'prisoners' AND stance = 'affirms'"
        ),
        ["2"]
    );
}

#[test]
fn excludes_reaches_as_far_as_its_scope_and_only_in_overlapping_time() {
    let (_dir, db) = database();
    let conn = Connection::open(&db).unwrap();
    let pairs = crate::strings(
        &conn,
        "SELECT claim_a || ' ' || claim_b FROM conflicts WHERE reason = 'excludes' ORDER BY 1",
    );
    assert_eq!(
        pairs,
        [
            // same-side: the army and the police are both part of Ruritania.
            "a-detained c-searched-army",
            // In March 2024, within 2024; the search of 2019 is not in conflict.
            "a-escapees-b d-escapees-2024",
            "a-escapees-c d-escapees-2024",
            // any-object: integrated into the army excludes being owned by a paper of another
            // side, and operating as anything.
            "a-integrated c-owned",
            "a-integrated c-private",
            "b-detained c-searched-army",
            "b-integrated c-owned",
            "b-integrated c-private",
            "c-detained c-searched-army",
            "c-searched-army d-detained",
            "d-escapees-2024 d-escapees-detained",
        ]
    );
    // The rebels are not on the police's side.
    assert!(!pairs.iter().any(|p| p.contains("c-searched-rebels")));
    let detail: String = conn
        .query_row(
            "SELECT detail FROM conflicts WHERE claim_a = 'a-detained' AND reason = 'excludes'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        detail,
        "`detained_by` and `searched_for_by` exclude each other for objects on one side \
         (`police` and `army`)"
    );
    assert_eq!(
        one_row(
            &conn,
            "SELECT excludes_scope FROM predicates WHERE id = 'integrated_into'"
        ),
        ["any-object"]
    );
}

/// Exports the entity view of the fixture in `format` and returns the file.
fn export(dir: &Path, db: &Path, format: &str) -> PathBuf {
    let out = dir.join(format!("entities.{format}"));
    read(dir, db, &["export", format, "-o", out.to_str().unwrap()]);
    out
}

#[test]
fn exports_weigh_an_edge_by_its_affirming_voices_only() {
    let (dir, db) = database();
    let readers = crate::export::readers();
    let gexf = export(dir.path(), &db, "gexf");
    let node_link = export(dir.path(), &db, "node-link");
    // networkx reads both as their tools would; the weight, the counts for and against and the
    // flag come from what it read. An edge only denied weighs less than any affirmed one, but
    // is kept (Gephi drops weight 0).
    let script = format!(
        r#"
import json, networkx as nx
g = {{d["id"]: d for _, _, d in nx.read_gexf({gexf:?}).edges(data=True)}}
n = nx.node_link_graph(json.load(open({node_link:?})), edges="links")
m = {{d["id"]: d for _, _, d in n.edges(data=True)}}["{DETENTION}"]
print(json.dumps({{
    "gexf": [[e["weight"], e["affirming"], e["denying"], e["contested"]]
             for e in (g["{DETENTION}"], g["statement/prisoners/detained_by/army"])],
    "node_link": [m["weight"], m["affirming_origins"], m["denying_origins"], m["contested"]]}}))
"#,
        gexf = gexf.to_str().unwrap(),
        node_link = node_link.to_str().unwrap(),
    );
    let seen = crate::export::python_script(&readers.python, &script, &[] as &[&str]);
    assert_eq!(
        seen["gexf"],
        serde_json::json!([[3.0, 3, 1, true], [0.1, 0, 1, true]])
    );
    assert_eq!(
        seen["node_link"],
        serde_json::json!([
            3.0,
            ["paper-y", "ruritania", "war-ministry"],
            ["witness"],
            true
        ])
    );

    // The GEXF edge is red: contested.
    let text = std::fs::read_to_string(&gexf).unwrap();
    let at = text.find(&format!("id=\"{DETENTION}\"")).unwrap();
    let edge = &text[at..at + text[at..].find("</edge>").unwrap()];
    assert!(
        edge.contains(r#"<viz:color r="214" g="39" b="40"/>"#),
        "{edge}"
    );

    // In DOT the line is as wide as three voices, red, and says how many are for and against;
    // Graphviz draws it without a warning.
    let dot = export(dir.path(), &db, "dot");
    let text = std::fs::read_to_string(&dot).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains(&format!("edge:{DETENTION}")))
        .unwrap();
    assert!(line.contains("penwidth=\"3.50\""), "{line}");
    assert!(line.contains("(contested: 3 for, 1 against)"), "{line}");
    assert!(line.contains("color=\"#c00000\""), "{line}");
    let rendered = std::process::Command::new("dot")
        .args(["-Tsvg", "-o", "/dev/null", dot.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(rendered.status.success() && rendered.stderr.is_empty());
}

/// A claim's words are defined once, in Rust: the view layer's claim label ("not detained by
/// Police"), which the exports give each claim node. The `nodes` view, which analysts query,
/// words the same claims in SQL (its `label` column is part of the documented database), so it
/// must agree: the subject's name, then that label, for every claim, denials and numbers too.
#[test]
fn the_nodes_view_words_each_claim_as_the_exports_label_it() {
    let mut denied = 0;
    let mut reals = 0;
    for fixture in ["voices", "analysis"] {
        let (dir, db) = build_database(
            &fixtures().join(fixture).join("data"),
            &fixtures().join(fixture).join("seeds"),
        );
        let out = dir.path().join("provenance.node-link.json");
        read(
            dir.path(),
            &db,
            &[
                "export",
                "node-link",
                "--view",
                "provenance",
                "-o",
                out.to_str().unwrap(),
            ],
        );
        let graph: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        let nodes: std::collections::BTreeMap<&str, &Value> = graph["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| (n["id"].as_str().unwrap(), n))
            .collect();
        let conn = Connection::open(&db).unwrap();
        let mut compared = 0;
        for node in nodes.values().filter(|n| n["kind"] == "claim") {
            let subject = nodes[node["subject"].as_str().unwrap()]["label"]
                .as_str()
                .unwrap();
            let words = format!("{subject} {}", node["label"].as_str().unwrap());
            let label = one_row(
                &conn,
                &format!(
                    "SELECT label FROM nodes WHERE id = '{}'",
                    node["id"].as_str().unwrap()
                ),
            );
            assert_eq!(label, [words], "claim {}", node["id"]);
            denied += usize::from(node["stance"] == "denies");
            compared += 1;
        }
        let count = |sql: &str| one_row(&conn, sql)[0].parse::<usize>().unwrap();
        assert_eq!(compared, count("SELECT count(*) FROM claims"));
        // `40.0` in the curated data is stored as a real number.
        reals += count("SELECT count(*) FROM claims WHERE typeof(value) = 'real'");
    }
    assert!(
        denied > 0 && reals > 0,
        "{denied} denials, {reals} real numbers"
    );
}
