//! The reading commands on a built database: the SQL sandbox, profiles, search, walks, and the
//! provenance analysis on a fixture made for circular reporting, independent corroboration
//! and each kind of conflict.

use std::fs;
use std::path::PathBuf;

use crate::{analysis_database, build_database, fixtures, json, read, run, seed_database};

/// Builds the analysis fixture (or the curated data) into a fresh database.
fn database(analysis: bool) -> (tempfile::TempDir, PathBuf) {
    if analysis {
        analysis_database()
    } else {
        seed_database()
    }
}

// --- query: the sandbox -----------------------------------------------------------------

#[test]
fn query_prints_table_csv_and_json() {
    let (dir, db) = database(true);
    let sql = "SELECT id, predicate, value FROM claims WHERE predicate = 'count' ORDER BY id";
    let table = read(dir.path(), &db, &["query", sql]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(table.stdout.contains("a-count") && table.stdout.contains("(4 rows)"));
    let csv = read(dir.path(), &db, &["query", sql, "--format", "csv"]);
    assert_eq!(
        csv.stdout,
        "id,predicate,value\na-count,count,40\nb-count,count,40\nc-count,count,50\nd-count,count,60\n"
    );
    let rows = json(&read(dir.path(), &db, &["query", sql, "--format", "json"]));
    assert_eq!(rows[2]["value"], 50);
    assert_eq!(rows[2]["id"], "c-count");
}

/// `--format csv-spreadsheet` is for a file a spreadsheet opens: formula-like text gets a `'`.
#[test]
fn query_csv_for_a_spreadsheet_makes_formula_cells_inert() {
    let (dir, db) = database(true);
    let result = read(
        dir.path(),
        &db,
        &[
            "query",
            "SELECT '=1+1' AS a, '@SUM(A1)' AS b, -5 AS n",
            "--format",
            "csv-spreadsheet",
        ],
    );
    assert_eq!(result.stdout, "a,b,n\n'=1+1,'@SUM(A1),-5\n");
}

/// `--format csv` is for programs: every value comes back as it was, read by Python's csv.
#[test]
fn query_csv_keeps_values_as_they_are_for_python_csv() {
    let (dir, db) = database(true);
    let sql = "SELECT '@handle' AS a, '=1+1' AS b, '-x, \"y\"' AS c, -5 AS n";
    let result = read(dir.path(), &db, &["query", sql, "--format", "csv"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    let python = crate::root().join(".venv/bin/python");
    assert!(
        python.is_file(),
        "no .venv/bin/python; run `bash .ci/run` once"
    );
    let mut child = std::process::Command::new(python)
        .args([
            "-c",
            "import csv, json, sys; print(json.dumps(list(csv.reader(sys.stdin))))",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(result.stdout.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let rows: Vec<Vec<String>> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        rows,
        [
            vec!["a", "b", "c", "n"],
            vec!["@handle", "=1+1", "-x, \"y\"", "-5"]
        ]
    );
}

/// Each statement that could write is refused with a reason, creates no file, and leaves the
/// database byte-identical.
#[test]
fn query_refuses_everything_that_could_write() {
    let (dir, db) = database(true);
    let before = fs::read(&db).unwrap();
    let escape = dir.path().join("escape.sqlite");
    let escape_sql = escape.to_str().unwrap();
    let cases: Vec<(String, &str)> = vec![
        (
            format!("VACUUM INTO '{escape_sql}'"),
            "not report this statement as read-only",
        ),
        (
            format!("ATTACH DATABASE '{escape_sql}' AS other"),
            "ATTACH and DETACH are disabled",
        ),
        (
            "INSERT INTO meta VALUES ('k', 'v')".into(),
            "would insert into `meta`",
        ),
        (
            "UPDATE claims SET quote = 'x'".into(),
            "would update `claims`",
        ),
        ("DELETE FROM claims".into(), "would delete from `claims`"),
        (
            "DROP TABLE claims".into(),
            "would change the database schema",
        ),
        (
            "CREATE TABLE t (x)".into(),
            "would change the database schema",
        ),
        (
            "CREATE TEMP TABLE t (x)".into(),
            "would change the database schema",
        ),
        (
            "PRAGMA user_version = 7".into(),
            "`PRAGMA user_version` can change",
        ),
        (
            "PRAGMA journal_mode = WAL".into(),
            "`PRAGMA journal_mode` can change",
        ),
        (
            "SELECT load_extension('/tmp/evil')".into(),
            "loading extensions is disabled",
        ),
        (
            "SELECT 1; DELETE FROM claims".into(),
            "would delete from `claims`",
        ),
        ("SELECT 1; SELECT 2".into(), "one statement at a time"),
    ];
    for (sql, reason) in cases {
        let result = read(dir.path(), &db, &["query", &sql]);
        assert_eq!(result.code, 2, "`{sql}` was not refused: {}", result.stdout);
        assert!(
            result.stderr.contains("refused") && result.stderr.contains(reason),
            "`{sql}`: {}",
            result.stderr
        );
        assert!(!escape.exists(), "`{sql}` created a file");
    }
    assert_eq!(fs::read(&db).unwrap(), before, "the database changed");
    let files: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(files.len(), 1, "stray files beside the database");
}

#[test]
fn query_allows_reading_pragmas() {
    let (dir, db) = database(true);
    let result = read(
        dir.path(),
        &db,
        &["query", "PRAGMA table_info(claims)", "--format", "csv"],
    );
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(result.stdout.contains("quote_start"));
    // The checks the build runs can be rerun by hand, the full-text index's included.
    for check in [
        "PRAGMA quick_check",
        "PRAGMA integrity_check",
        "PRAGMA integrity_check(search)",
        "PRAGMA foreign_key_check(claims)",
    ] {
        let result = read(dir.path(), &db, &["query", check, "--format", "csv"]);
        assert_eq!(result.code, 0, "`{check}`: {}", result.stderr);
        assert!(
            check.contains("foreign_key") || result.stdout.lines().nth(1) == Some("ok"),
            "`{check}`: {}",
            result.stdout
        );
    }
}

#[test]
fn query_stops_a_runaway_query() {
    let (dir, db) = database(true);
    let started = std::time::Instant::now();
    let result = read(
        dir.path(),
        &db,
        &[
            "query",
            "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT max(n) FROM r",
            "--timeout",
            "0.5",
        ],
    );
    assert_eq!(result.code, 2);
    assert!(
        result
            .stderr
            .contains("stopped after the time limit of 0.5 s"),
        "{}",
        result.stderr
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn readers_refuse_a_database_of_another_schema_version() {
    let (dir, db) = database(true);
    rusqlite::Connection::open(&db)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let result = read(dir.path(), &db, &["stats"]);
    assert_eq!(result.code, 2);
    assert!(
        result
            .stderr
            .contains("has schema version 99, but this claimgraph reads version 7")
            && result.stderr.contains("rebuild it with `claimgraph build`"),
        "{}",
        result.stderr
    );
    let result = run(dir.path(), &["query", "SELECT 1", "--db", "missing.sqlite"]);
    assert_eq!(result.code, 2);
    assert!(
        result
            .stderr
            .contains("no database at missing.sqlite: run `claimgraph build` first")
    );
}

// --- provenance analysis on the fixture ------------------------------------------------

#[test]
fn corroboration_names_circular_reporting_and_independent_origins() {
    let (dir, db) = database(true);
    let rows = json(&read(
        dir.path(),
        &db,
        &["corroboration", "--format", "json"],
    ));
    let find = |predicate: &str, object: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| {
                r["predicate"] == predicate
                    && r["object"].to_string().trim_matches('"') == object
                    && r["stance"] == "affirms"
            })
            .unwrap_or_else(|| panic!("no {predicate} {object} in {rows}"))
            .clone()
    };
    let circular = find("detained_by", "ministry");
    assert_eq!(circular["documents"], 3);
    assert_eq!(circular["origins"], 1);
    // The ministry's denial is counted against it, apart.
    assert_eq!(
        circular["verdict"],
        "circular: 3 documents, 1 origin: agency-x, denied by 1: ministry*"
    );
    assert_eq!(circular["against"], 1);
    let independent = find("count", "40");
    assert_eq!(
        independent["verdict"],
        "corroborated by 2 independent origins, conflicting with another claim"
    );
    assert_eq!(independent["origin_ids"], "witness-1, witness-2");

    // The ministry denying its own detention is an interested origin, flagged with `*`.
    let denial = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["stance"] == "denies")
        .unwrap();
    assert_eq!(denial["origin_ids"], "ministry*");

    let table = read(
        dir.path(),
        &db,
        &["corroboration", "--subject", "deserters"],
    );
    assert!(
        table
            .stdout
            .contains("circular: 3 documents, 1 origin: agency-x")
    );
    let unknown = read(dir.path(), &db, &["corroboration", "--subject", "deserter"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("did you mean `deserters`"));
}

#[test]
fn conflicts_show_each_kind_with_both_claims() {
    let (dir, db) = database(true);
    let rows = json(&read(dir.path(), &db, &["conflicts", "--format", "json"]));
    let pairs: Vec<(String, String, String)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["reason"].as_str().unwrap().to_owned(),
                r["a_claim"].as_str().unwrap().to_owned(),
                r["b_claim"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expect = |reason: &str, a: &str, b: &str| {
        assert!(
            pairs.contains(&(reason.into(), a.into(), b.into())),
            "missing {reason} {a} {b} in {pairs:?}"
        );
    };
    expect("opposite-stance", "a-detained", "d-denial");
    expect("opposite-stance", "c-detained", "d-denial");
    expect("functional", "a-count", "c-count");
    expect("functional", "b-count", "c-count");
    expect("excludes", "a-detained", "c-searching");
    // 2019 does not overlap 2024: no conflict with the count for another year.
    assert!(
        !pairs
            .iter()
            .any(|(_, a, b)| a == "d-count" || b == "d-count")
    );
    assert_eq!(pairs.len(), 8);

    let table = read(dir.path(), &db, &["conflicts"]);
    assert!(table.stdout.contains("claim A") && table.stdout.contains("claim B"));
    assert!(
        table
            .stdout
            .contains("The ministry denies that it detained anyone.")
    );
    assert!(table.stdout.ends_with("8 conflicts\n"));
}

// --- profiles, search, walks ----------------------------------------------------------

#[test]
fn show_profiles_an_entity_and_suggests_close_ids() {
    let (dir, db) = database(false);
    let result = read(dir.path(), &db, &["show", "nk-deserters"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    for fragment in [
        "(group) — nk-deserters",
        "Claims about it",
        "detained by:",
        "DENIES",
        "citing The Kyiv Independent ← Ukrainian intelligence",
        "Mentioned in",
    ] {
        assert!(
            result.stdout.contains(fragment),
            "missing `{fragment}`:\n{}",
            result.stdout
        );
    }
    let profile = json(&read(
        dir.path(),
        &db,
        &["show", "nk-deserters", "--format", "json"],
    ));
    assert_eq!(profile["kind"], "group");
    assert!(profile["claims_about"].as_array().unwrap().len() >= 10);
    let unknown = read(dir.path(), &db, &["show", "nk-desertrs"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("did you mean `nk-deserters`"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn search_ignores_diacritics_and_highlights() {
    let (dir, db) = database(false);
    let rows = json(&read(
        dir.path(),
        &db,
        &["search", "Behorden festgenommen", "--format", "json"],
    ));
    let rows = rows.as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .any(|r| r["passage"].as_str().unwrap().contains("[Behörden]"))
    );
    // FTS5 syntax in the user's text is taken literally, not as a query language.
    let odd = read(dir.path(), &db, &["search", "NEAR( \"unbalanced"]);
    assert_eq!(odd.code, 0, "{}", odd.stderr);
}

/// Regression: search named its quote and note hits through the `who_reported_what` view,
/// which SQLite built whole for every search (over 20 s at a million claims). The names are
/// looked up by key now and must still be what the view and the entities say.
#[test]
fn search_names_every_kind_of_hit_as_the_database_does() {
    let (dir, db) = database(false);
    let rows = json(&read(
        dir.path(),
        &db,
        &["search", "Wagner", "--limit", "100", "--format", "json"],
    ));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for row in rows.as_array().unwrap() {
        let (kind, id) = (row["kind"].as_str().unwrap(), row["id"].as_str().unwrap());
        let expected: String = if kind == "quote" || kind == "note" {
            conn.query_row(
                "SELECT subject || ' ' || predicate_label || ' ' || coalesce(object, '')
                 FROM who_reported_what WHERE claim_id = ?1",
                [id],
                |r| r.get(0),
            )
        } else {
            conn.query_row("SELECT name FROM entities WHERE id = ?1", [id], |r| {
                r.get(0)
            })
        }
        .unwrap();
        assert_eq!(row["name"], expected.as_str(), "{kind} {id}");
        kinds.insert(kind.to_owned());
    }
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["alias", "document", "entity", "note", "quote"]
    );
}

#[test]
fn neighbors_and_path_walk_the_entity_view() {
    let (dir, db) = database(true);
    let rows = json(&read(
        dir.path(),
        &db,
        &["neighbors", "deserters", "--depth", "2", "--format", "json"],
    ));
    let ids: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    // The ministry twice: it detained the deserters and searches for them, two relations.
    assert_eq!(ids, ["ministry", "ministry", "ruritania"]);
    let path = read(dir.path(), &db, &["path", "deserters", "ruritania"]);
    assert_eq!(path.code, 0, "{}", path.stderr);
    assert!(
        path.stdout
            .starts_with("1 step\n1. deserters —nationality→ ruritania"),
        "{}",
        path.stdout
    );
    let path = read(dir.path(), &db, &["path", "agency-x", "deserters"]);
    assert_eq!(
        path.code, 1,
        "agency-x is only cited, never linked: {}",
        path.stdout
    );
    assert!(path.stderr.contains("no path from agency-x to deserters"));

    let (dir, db) = database(false);
    let path = read(
        dir.path(),
        &db,
        &["path", "li-jianwei", "kim-jong-un", "--format", "json"],
    );
    let steps = json(&path);
    assert!(!steps.as_array().unwrap().is_empty());
}

#[test]
fn mentions_and_unlinked_names() {
    let (dir, db) = database(true);
    let all = json(&read(dir.path(), &db, &["mentions", "--format", "json"]));
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .any(|m| m["entity_id"] == "ministry" && m["text"] == "ministry")
    );
    let unlinked = json(&read(
        dir.path(),
        &db,
        &["mentions", "--unlinked", "--format", "json"],
    ));
    // Document d names the deserters only through a claim; a names Agency X through citing.
    let pairs: Vec<(String, String)> = unlinked
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["source_id"].as_str().unwrap().into(),
                m["entity_id"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(!pairs.contains(&("a".into(), "agency-x".into())));
    assert!(!pairs.contains(&("a".into(), "deserters".into())));
}

/// Regression: `mentions` cut each passage with SQLite's `substr`, which read the whole
/// document again for every mention, and `--unlinked` searched a document's claims again for
/// every mention (minutes at a million claims). Both now go a document at a time; what they
/// print must still be what the SQL definitions give, in the curated data's Dutch and German
/// texts as in the analysis fixture.
#[test]
fn mentions_print_what_the_sql_definitions_give() {
    let mut unlinked_rows = 0;
    for (dir, db) in [database(false), database(true)] {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let expected = |sql: &str| -> Vec<serde_json::Value> {
            let mut statement = conn.prepare(sql).unwrap();
            let names: Vec<String> = statement.column_names().map(str::to_owned).collect();
            statement
                .query_map([], |r| {
                    let mut row = serde_json::Map::new();
                    for (i, name) in names.iter().enumerate() {
                        let value = match r.get_ref(i)? {
                            rusqlite::types::ValueRef::Integer(n) => serde_json::json!(n),
                            rusqlite::types::ValueRef::Text(t) => {
                                serde_json::json!(std::str::from_utf8(t).unwrap())
                            }
                            other => panic!("unexpected {other:?}"),
                        };
                        row.insert(name.clone(), value);
                    }
                    Ok(serde_json::Value::Object(row))
                })
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        let all = json(&read(dir.path(), &db, &["mentions", "--format", "json"]));
        let want = expected(
            "SELECT m.entity_id, e.name, m.source_id, m.mention_start, m.mention_end,
                    substr(s.text, m.mention_start + 1, m.mention_end - m.mention_start) AS text
             FROM mentions m
             JOIN entities e ON e.id = m.entity_id
             JOIN sources s ON s.id = m.source_id
             ORDER BY m.source_id, m.mention_start, m.entity_id",
        );
        assert!(want.len() > 10);
        assert_eq!(all.as_array().unwrap(), &want);

        let unlinked = json(&read(
            dir.path(),
            &db,
            &["mentions", "--unlinked", "--format", "json"],
        ));
        let want = expected(
            "SELECT m.source_id, m.entity_id, e.kind, e.name, count(*) AS mentions,
                    min(m.mention_start) AS first_at,
                    substr(s.text, min(m.mention_start) + 1, 60) AS context
             FROM mentions m
             JOIN entities e ON e.id = m.entity_id
             JOIN sources s ON s.id = m.source_id
             WHERE NOT EXISTS (
                SELECT 1 FROM claims c
                WHERE c.source_id = m.source_id
                  AND (c.subject_id = m.entity_id OR c.object_id = m.entity_id
                       OR c.reported_by = m.entity_id
                       OR EXISTS (SELECT 1 FROM claim_citations cc
                                  WHERE cc.claim_id = c.id AND cc.entity_id = m.entity_id)))
             GROUP BY m.source_id, m.entity_id
             ORDER BY m.source_id, first_at, m.entity_id",
        );
        assert_eq!(unlinked.as_array().unwrap(), &want);
        unlinked_rows += want.len();
    }
    // The curated documents name entities that none of their claims uses.
    assert!(unlinked_rows > 0);
}

#[test]
fn stats_counts_by_kind_document_and_predicate() {
    let (dir, db) = database(false);
    let stats = json(&read(dir.path(), &db, &["stats", "--format", "json"]));
    let total: i64 = stats["claims_by_document"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["claims"].as_i64().unwrap())
        .sum();
    assert_eq!(total, stats["provenance"][0]["claims"].as_i64().unwrap());
    assert!(stats["most_cited_origins"].as_array().unwrap().len() == 10);
    let table = read(dir.path(), &db, &["stats"]);
    assert!(
        table.stdout.contains("entities by kind") && table.stdout.contains("most cited origins")
    );
    let csv = read(dir.path(), &db, &["stats", "--format", "csv"]);
    assert!(csv.stdout.starts_with("section,row,column,value\n"));
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    let (dir, db) = database(false);
    let mut child = crate::claimgraph(dir.path())
        .args(["mentions", "--db", db.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

// --- every reader's whole output, pinned ------------------------------------------------

/// The readers' wording and layout, byte for byte: each reader in each format on the analysis
/// fixture, the voices fixture and the curated data, against the files in
/// `tests/fixtures/readers/<case>/` (set `UPDATE_GOLDEN=1` to rewrite them after a deliberate
/// change, then review the diff). `show` profiles, and `corroboration --subject` reads, every
/// entity of the two fixtures and a few of the curated data's.
#[test]
fn every_reader_prints_what_its_golden_file_holds() {
    let cases: [(&str, (tempfile::TempDir, PathBuf), &[&str]); 3] = [
        (
            "analysis",
            database(true),
            &["Agency", "deserters", "\"40 deserters\""],
        ),
        (
            "voices",
            build_database(
                &fixtures().join("voices/data"),
                &fixtures().join("voices/seeds"),
            ),
            &["police", "witness", "agency counted"],
        ),
        (
            "curated",
            database(false),
            &["Wagner", "Behorden festgenommen", "36"],
        ),
    ];
    let mut compared = 0;
    for (case, (dir, db), words) in cases {
        let golden = fixtures().join("readers").join(case);
        let conn = rusqlite::Connection::open(&db).unwrap();
        let shown: Vec<String> = if case == "curated" {
            [
                "li-jianwei",
                "russia",
                "michails-regiment",
                "nl-chinese-recruits",
                "nk-deserters",
            ]
            .map(str::to_owned)
            .to_vec()
        } else {
            crate::strings(&conn, "SELECT id FROM entities ORDER BY id")
        };
        let mut outputs: Vec<(String, String)> = Vec::new();
        for format in ["table", "csv", "json"] {
            let mut each = |name: String, args: &[&str]| {
                let mut all = args.to_vec();
                all.extend(["--format", format]);
                let result = read(dir.path(), &db, &all);
                assert_eq!(result.code, 0, "{case} {all:?}: {}", result.stderr);
                outputs.push((format!("{name}.{format}"), result.stdout));
            };
            each("conflicts".into(), &["conflicts"]);
            each("corroboration".into(), &["corroboration"]);
            // The curated data's mentions are pinned row for row by
            // `mentions_print_what_the_sql_definitions_give`.
            if case != "curated" {
                each("mentions".into(), &["mentions"]);
                each("mentions-unlinked".into(), &["mentions", "--unlinked"]);
            }
            each("stats".into(), &["stats"]);
            for (n, text) in words.iter().enumerate() {
                each(format!("search-{n}"), &["search", text, "--limit", "100"]);
            }
            // The walks of the entities view: a neighbourhood two steps deep, and a path.
            let walks: &[(&str, &str)] = match case {
                "analysis" => &[("deserters", "ruritania"), ("ministry", "ruritania")],
                "voices" => &[("police", "prisoners"), ("escapees", "western-alliance")],
                _ => &[("nk-deserters", "russia"), ("chai-jing", "china")],
            };
            for &(from, to) in walks {
                each(
                    format!("neighbors-{from}"),
                    &["neighbors", from, "--depth", "2"],
                );
                each(format!("path-{from}-{to}"), &["path", from, to]);
            }
        }
        for id in &shown {
            let subject = read(
                dir.path(),
                &db,
                &["corroboration", "--subject", id, "--format", "csv"],
            );
            assert_eq!(subject.code, 0, "{case} {id}: {}", subject.stderr);
            outputs.push((format!("corroboration-subject/{id}.csv"), subject.stdout));
            for format in ["table", "json"] {
                let result = read(dir.path(), &db, &["show", id, "--format", format]);
                assert_eq!(result.code, 0, "{case} show {id}: {}", result.stderr);
                outputs.push((format!("show/{id}.{format}"), result.stdout));
            }
        }
        // Profiles say where a record is defined: the checkout's folder is written `<root>`.
        let checkout = crate::root().display().to_string();
        for (name, actual) in outputs {
            let actual = actual.replace(&checkout, "<root>");
            let file = golden.join(&name);
            if std::env::var_os("UPDATE_GOLDEN").is_some() {
                fs::create_dir_all(file.parent().unwrap()).unwrap();
                fs::write(&file, &actual).unwrap();
            }
            let expected = fs::read_to_string(&file)
                .unwrap_or_else(|_| panic!("{} is missing", file.display()));
            assert_eq!(actual, expected, "the output in {} changed", file.display());
            compared += 1;
        }
    }
    assert!(compared > 100, "only {compared} outputs compared");
}

/// A word of a closed set (a stance, a conflict's reason) is read into its enum in one place;
/// one the schema does not allow, in a damaged database, stops the reader with exit 2 and the
/// word named, rather than being printed, or taken for the other stance.
#[test]
fn a_stored_word_outside_its_set_stops_the_reader() {
    let (dir, db) = database(true);
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "PRAGMA ignore_check_constraints = ON;
         UPDATE claims SET stance = 'perhaps' WHERE id = 'd-denial';
         UPDATE statements SET stance = 'perhaps'
          WHERE id = (SELECT statement_id FROM claims WHERE id = 'd-denial');
         UPDATE conflict_rows SET a_stance = 'perhaps' WHERE a_claim = 'd-denial';
         UPDATE conflict_rows SET b_stance = 'perhaps' WHERE b_claim = 'd-denial';",
    )
    .unwrap();
    drop(conn);
    for args in [
        &["conflicts"][..],
        &["corroboration"],
        &["show", "deserters"],
        &["show", "deserters", "--format", "json"],
    ] {
        let result = read(dir.path(), &db, args);
        assert_eq!(result.code, 2, "{args:?}: {}", result.stdout);
        assert!(
            result
                .stderr
                .contains("`perhaps` is not a word this column may hold"),
            "{args:?}: {}",
            result.stderr
        );
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "PRAGMA ignore_check_constraints = ON;
         UPDATE claims SET stance = 'denies' WHERE id = 'd-denial';
         UPDATE conflict_pairs SET reason = 'odd' WHERE reason = 'functional';
         UPDATE conflict_rows SET a_stance = 'denies' WHERE a_claim = 'd-denial';
         UPDATE conflict_rows SET b_stance = 'denies' WHERE b_claim = 'd-denial';
         UPDATE conflict_rows SET reason = 'odd' WHERE reason = 'functional';",
    )
    .unwrap();
    drop(conn);
    let result = read(dir.path(), &db, &["conflicts", "--format", "csv"]);
    assert_eq!(result.code, 2, "{}", result.stdout);
    assert!(
        result.stderr.contains("`odd` is not a word"),
        "{}",
        result.stderr
    );
}
