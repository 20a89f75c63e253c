//! The reading commands' bounds and honesty: `query` streams its rows and stops at its time
//! and memory limits with a message; every reader stops at `--timeout` on a database crafted
//! to run forever; numeric options out of range are usage errors; `show` prints no text under
//! a machine format's name; `search` takes several words; `neighbors` and `path` list every
//! relation between two entities.

use std::fs::File;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::{Run, analysis_database, claimgraph, json, read, run, seed_database};

/// Runs claimgraph like [`run`], but kills it if it has not ended after two minutes: a reader
/// without a time limit would hang the test suite on the endless database instead of failing.
/// (Not a measure of speed: the limits under test are a fraction of a second.)
fn run_or_kill(dir: &Path, args: &[&str]) -> Run {
    let out = tempfile::tempdir().unwrap();
    let (stdout, stderr) = (out.path().join("stdout"), out.path().join("stderr"));
    let mut child = claimgraph(dir)
        .args(args)
        .stdout(Stdio::from(File::create(&stdout).unwrap()))
        .stderr(Stdio::from(File::create(&stderr).unwrap()))
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(120) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!(
                "`claimgraph {}` did not stop at its time limit",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().expect("the process exited"),
        stdout: std::fs::read_to_string(stdout).unwrap(),
        stderr: std::fs::read_to_string(stderr).unwrap(),
    }
}

// --- query: memory -----------------------------------------------------------------------

/// Regression: `SELECT randomblob(999999999)` took 23 s and 6.9 GB, and with two such columns
/// aborted on a failed allocation (exit 134). A value longer than a quarter of `--max-memory`
/// now fails before it is made.
#[test]
fn query_refuses_a_value_longer_than_a_quarter_of_its_memory() {
    let (dir, db) = analysis_database();
    for sql in [
        "SELECT randomblob(999999999)",
        "SELECT randomblob(999999999), randomblob(999999999)",
        "SELECT length(zeroblob(999999999))",
        "SELECT printf('%.*c', 999999999, 'x')",
    ] {
        for format in ["table", "csv", "json"] {
            let result = read(dir.path(), &db, &["query", sql, "--format", format]);
            assert_eq!(result.code, 2, "{sql}: {}", result.stderr);
            assert!(
                result.stderr.contains(
                    "the query was stopped: a value would be longer than 128 MiB, the longest a \
                     value may be (a quarter of --max-memory; raise it with --max-memory)"
                ),
                "{sql}: {}",
                result.stderr
            );
            assert_eq!(
                result.stdout, "",
                "{sql}: nothing was printed before the error"
            );
        }
    }
    // Raising the limit raises the longest value.
    let result = read(
        dir.path(),
        &db,
        &[
            "query",
            "SELECT length(zeroblob(200000000)) AS n",
            "--max-memory",
            "1024",
        ],
    );
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(result.stdout.contains("200000000"), "{}", result.stdout);
}

/// SQLite's heap limit holds the memory of a whole statement: many values, each short enough,
/// in one row; and a sort that holds its rows. (SQLite enforces it only when built with its
/// memory statistics, which `.cargo/config.toml` asks for.)
#[test]
fn query_stops_a_statement_that_needs_more_than_its_memory_limit() {
    let (dir, db) = analysis_database();
    let wide = format!("SELECT {}", ["randomblob(10000000)"; 8].join(", "));
    let sorted = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 200)
                  SELECT n, randomblob(1000000) AS b FROM r ORDER BY b";
    for sql in [wide.as_str(), sorted] {
        let result = read(
            dir.path(),
            &db,
            &["query", sql, "--format", "csv", "--max-memory", "64"],
        );
        assert_eq!(result.code, 2, "{sql}: {}", result.stderr);
        assert!(
            result.stderr.contains(
                "the query was stopped: it needed more than the memory limit of 64 MiB (raise it \
                 with --max-memory)"
            ),
            "{sql}: {}",
            result.stderr
        );
        assert_eq!(result.stdout, "");
    }
}

// --- query: streaming and time -------------------------------------------------------------

/// CSV and JSON rows are printed as they come: the rows before a failing one are out already
/// (the whole result used to be held, and nothing printed, until the last row).
#[test]
fn query_prints_csv_and_json_rows_as_they_come() {
    let (dir, db) = analysis_database();
    let sql = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5)
               SELECT n, CASE WHEN n < 3 THEN 'fine' ELSE randomblob(999999999) END AS v FROM r";
    let csv = read(dir.path(), &db, &["query", sql, "--format", "csv"]);
    assert_eq!(csv.code, 2, "{}", csv.stderr);
    assert_eq!(csv.stdout, "n,v\n1,fine\n2,fine\n");
    assert!(csv.stderr.contains("a value would be longer than 128 MiB"));
    let json = read(dir.path(), &db, &["query", sql, "--format", "json"]);
    assert_eq!(json.code, 2, "{}", json.stderr);
    // Cut short, and so not valid JSON: no reader takes it for the whole result.
    assert!(
        json.stdout
            .starts_with("[\n  {\n    \"n\": 1,\n    \"v\": \"fine\"\n  },\n  {"),
        "{}",
        json.stdout
    );
    assert!(serde_json::from_str::<serde_json::Value>(&json.stdout).is_err());
}

/// An endless result streams until the time limit stops it, with the rows so far printed; the
/// table holds only its first rows and says there are more.
#[test]
fn query_streams_an_endless_result_until_the_time_limit_and_cuts_the_table() {
    let (dir, db) = analysis_database();
    let endless = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r";
    let csv = run_or_kill(
        dir.path(),
        &[
            "query",
            endless,
            "--format",
            "csv",
            "--timeout",
            "0.5",
            "--db",
            db.to_str().unwrap(),
        ],
    );
    assert_eq!(csv.code, 2, "{}", csv.stderr);
    assert!(
        csv.stderr.contains(
            "the query was stopped after the time limit of 0.5 s (raise it with --timeout)"
        ),
        "{}",
        csv.stderr
    );
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert!(lines.len() > 1_000, "{} lines", lines.len());
    assert_eq!(lines[..3], ["n", "1", "2"]);

    let table = run_or_kill(
        dir.path(),
        &[
            "query",
            endless,
            "--timeout",
            "60",
            "--db",
            db.to_str().unwrap(),
        ],
    );
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(table.stdout.contains("│ 1000 │") && !table.stdout.contains("│ 1001 │"));
    assert!(
        table.stdout.ends_with(
            "(the first 1000 rows; the result has more: `--format csv` or `--format json` prints every row)\n"
        ),
        "{}",
        &table.stdout[table.stdout.len().saturating_sub(300)..]
    );
    // A result that fits is counted as before.
    let small = read(dir.path(), &db, &["query", "SELECT 1 AS one"]);
    assert!(small.stdout.ends_with("(1 row)\n"), "{}", small.stdout);
}

// --- numeric options ------------------------------------------------------------------------

/// Regression: `--timeout 1e20` panicked in `Duration::from_secs_f64` (exit 101). Every
/// numeric option is checked before anything runs: exit 2, the option and its range named.
#[test]
fn numeric_options_out_of_range_are_usage_errors_naming_the_range() {
    let (dir, db) = analysis_database();
    let seconds = "expected a number of seconds greater than 0 and at most 86400";
    let mut cases: Vec<(Vec<&str>, &str, &str)> = Vec::new();
    for value in ["1e20", "-1", "nan", "NaN", "inf", "0", "86401", "soon"] {
        for command in [
            vec!["query", "SELECT 1"],
            vec!["show", "deserters"],
            vec!["search", "detained"],
            vec!["neighbors", "deserters"],
            vec!["path", "deserters", "ruritania"],
            vec!["conflicts"],
            vec!["corroboration"],
            vec!["mentions"],
            vec!["stats"],
            vec!["export", "json"],
        ] {
            cases.push((command, value, "--timeout"));
        }
    }
    let mut all: Vec<(Vec<String>, String)> = cases
        .into_iter()
        .map(|(command, value, option)| {
            let mut args: Vec<String> = command.iter().map(|s| s.to_string()).collect();
            args.push(format!("{option}={value}"));
            (args, format!("for '{option} <SECONDS>'"))
        })
        .collect();
    for (args, option) in [
        (
            vec!["query", "SELECT 1", "--max-memory=0"],
            "--max-memory <MIB>",
        ),
        (
            vec!["query", "SELECT 1", "--max-memory=8"],
            "--max-memory <MIB>",
        ),
        (
            vec!["query", "SELECT 1", "--max-memory=-5"],
            "--max-memory <MIB>",
        ),
        (vec!["search", "detained", "--limit=0"], "--limit <LIMIT>"),
        (vec!["search", "detained", "--limit=1e9"], "--limit <LIMIT>"),
        (
            vec!["neighbors", "deserters", "--depth=0"],
            "--depth <DEPTH>",
        ),
        (
            vec!["neighbors", "deserters", "--depth=99999999999999999999999"],
            "--depth <DEPTH>",
        ),
        (
            vec!["path", "deserters", "ruritania", "--max-depth=0"],
            "--max-depth <MAX_DEPTH>",
        ),
    ] {
        all.push((
            args.iter().map(|s| s.to_string()).collect(),
            format!("for '{option}'"),
        ));
    }
    for (mut args, option) in all {
        args.extend(["--db".to_owned(), db.to_str().unwrap().to_owned()]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let result = run(dir.path(), &args);
        assert_eq!(result.code, 2, "{args:?}: {}", result.stderr);
        assert!(
            result.stderr.contains(&option)
                && (result.stderr.contains(seconds)
                    || result.stderr.contains("expected a whole number from")),
            "{args:?}: {}",
            result.stderr
        );
        assert_eq!(result.stdout, "", "{args:?}");
    }
}

// --- every reader has a time limit ------------------------------------------------------------

/// Replaces a table or view of a built database by a view of the same columns that never ends.
fn make_endless(conn: &rusqlite::Connection, name: &str) {
    let columns = crate::strings(
        conn,
        &format!("SELECT name FROM pragma_table_info('{name}')"),
    );
    assert!(!columns.is_empty(), "{name} has columns");
    let kind: String = conn
        .query_row(
            "SELECT type FROM sqlite_schema WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap();
    let quoted: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
    // Each column its own expression of the row number: with a constant (NULL), or the same
    // column everywhere, SQLite could tell that no row matches and never read the view at all.
    let values: Vec<String> = (0..columns.len()).map(|i| format!("x + {i}")).collect();
    let values = values.join(", ");
    conn.execute_batch(&format!(
        "DROP {kind} {name};
         CREATE VIEW {name}({}) AS
           WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r)
           SELECT {values} FROM r;",
        quoted.join(", ")
    ))
    .unwrap();
}

/// Regression: a crafted database whose views recurse forever hung `conflicts` (and every
/// other reader but `query`). Each reader now stops at `--timeout` with a message saying the
/// limit and how to raise it.
#[test]
fn every_reader_stops_at_its_time_limit_on_an_endless_database() {
    let (dir, db) = analysis_database();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "foreign_keys", false).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    for name in [
        "who_reported_what",
        "entity_links",
        "corroboration",
        "mentions",
        "entity_summary",
        "predicates",
        "conflict_rows",
        "corroboration_rows",
        "unlinked_mentions",
        "stats_cells",
    ] {
        make_endless(&conn, name);
    }
    drop(conn);
    let db = db.to_str().unwrap();
    for command in [
        vec!["conflicts"],
        vec!["show", "deserters"],
        vec!["show", "deserters", "--format", "json"],
        vec!["search", "detained"],
        vec!["neighbors", "deserters"],
        vec!["path", "deserters", "ruritania"],
        vec!["corroboration"],
        vec!["corroboration", "--subject", "deserters"],
        vec!["mentions"],
        vec!["mentions", "--unlinked"],
        vec!["stats"],
        vec!["export", "json"],
        vec!["export", "dot", "--focus", "deserters"],
    ] {
        let mut args = command.clone();
        args.extend(["--timeout", "0.5", "--db", db]);
        let result = run_or_kill(dir.path(), &args);
        assert_eq!(result.code, 2, "{command:?}: {}", result.stderr);
        assert_eq!(
            result.stderr,
            "error: stopped after the time limit of 0.5 s (raise it with --timeout SECONDS)\n",
            "{command:?}"
        );
    }
    // The database still looks like a claimgraph database of this version: the limit, not a
    // refusal, stopped the readers.
    let conn = rusqlite::Connection::open(db).unwrap();
    let still: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(still, version);
}

// --- show -----------------------------------------------------------------------------------

/// Regression: `show ID --format csv` printed the human profile, whose first line can be a
/// spreadsheet formula (`=cmd|' /C calc'!A0 …`). `show` offers the readable profile and JSON,
/// and refuses CSV before reading anything.
#[test]
fn show_offers_a_readable_profile_and_json_and_refuses_csv() {
    let (dir, db) = analysis_database();
    let csv = read(dir.path(), &db, &["show", "deserters", "--format", "csv"]);
    assert_eq!(csv.code, 2);
    assert_eq!(csv.stdout, "");
    assert!(
        csv.stderr
            .contains("invalid value 'csv' for '--format <FORMAT>'")
            && csv.stderr.contains("[possible values: table, json]"),
        "{}",
        csv.stderr
    );
    let profile = json(&read(
        dir.path(),
        &db,
        &["show", "deserters", "--format", "json"],
    ));
    assert_eq!(profile["id"], "deserters");
    assert!(profile["claims_about"].is_array());
    let text = read(dir.path(), &db, &["show", "deserters"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(text.stdout.contains("— deserters\n"), "{}", text.stdout);
}

// --- search ---------------------------------------------------------------------------------

/// Regression: `search behorden festgenommen` (two words, unquoted) was refused. Every word
/// must occur; words in double quotes must occur together, in order; FTS5 syntax is taken as
/// words.
#[test]
fn search_takes_several_words_and_quoted_phrases() {
    let (dir, db) = seed_database();
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["search"];
        all.extend(args);
        all.extend(["--limit", "100", "--format", "json"]);
        json(&read(dir.path(), &db, &all))
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let words = ids(&["behorden", "festgenommen"]);
    assert!(!words.is_empty());
    assert_eq!(
        words,
        ids(&["behorden festgenommen"]),
        "one argument or two"
    );
    let rows = json(&read(
        dir.path(),
        &db,
        &["search", "behorden", "festgenommen", "--format", "json"],
    ));
    for row in rows.as_array().unwrap() {
        let passage = row["passage"].as_str().unwrap();
        assert!(
            passage.contains("[Behörden]") && passage.contains("[festgenommen]"),
            "{passage}"
        );
    }
    // The phrase as written finds it; its words in the other order do not.
    let phrase = ids(&["\"bereits 18\""]);
    assert!(!phrase.is_empty());
    assert!(phrase.iter().all(|id| ids(&["bereits", "18"]).contains(id)));
    assert_eq!(ids(&["\"18 bereits\""]), Vec::<String>::new());
    assert!(!ids(&["18", "bereits"]).is_empty());
    // Operators and odd characters are words, never a syntax error.
    for odd in [
        vec!["NEAR(", "\"unbalanced"],
        vec!["behorden", "OR", "-", "*", "text:festgenommen"],
        vec!["AND"],
        vec!["\"\""],
    ] {
        let mut args = vec!["search"];
        args.extend(&odd);
        let result = read(dir.path(), &db, &args);
        assert_eq!(result.code, 0, "{odd:?}: {}", result.stderr);
    }
    // No word at all is a usage error, as clap says.
    let none = read(dir.path(), &db, &["search"]);
    assert_eq!(none.code, 2);
}

/// The full-text index keeps no copy of the texts (it is contentless): every passage is cut
/// from the table its text is stored in, with the match marked, and an entity whose aliases
/// match twice has two alias hits, each with its own alias.
#[test]
fn search_cuts_each_passage_from_the_stored_text() {
    let (dir, db) = seed_database();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let copies: i64 = conn
        .query_row(
            "SELECT count(*) FROM search WHERE text IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(copies, 0, "the index holds no texts");
    let hits = |word: &str| {
        json(&read(
            dir.path(),
            &db,
            &["search", word, "--limit", "1000", "--format", "json"],
        ))
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let field = |f: &str| r[f].as_str().unwrap().to_owned();
            (field("kind"), field("id"), field("passage"))
        })
        .collect::<Vec<_>>()
    };
    let stored = |kind: &str, id: &str| -> Vec<String> {
        let sql = match kind {
            "entity" => "SELECT name FROM entities WHERE id = ?1",
            "alias" => "SELECT alias FROM aliases WHERE entity_id = ?1",
            "quote" => "SELECT quote FROM claims WHERE id = ?1",
            "note" => "SELECT note FROM claims WHERE id = ?1",
            _ => "SELECT text FROM sources WHERE id = ?1",
        };
        let mut statement = conn.prepare(sql).unwrap();
        statement
            .query_map([id], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let mut kinds = std::collections::BTreeSet::new();
    for (kind, id, passage) in hits("Wagner") {
        assert!(passage.contains("[Wagner]"), "{kind} {id}: {passage}");
        let plain = passage.replace(['[', ']'], "");
        let texts = stored(&kind, &id);
        assert!(
            plain
                .split('…')
                .all(|piece| texts.iter().any(|t| t.contains(piece))),
            "{kind} {id}: `{passage}` is not cut from {texts:?}"
        );
        kinds.insert(kind);
    }
    assert_eq!(kinds.len(), 5, "{kinds:?}");
    let mut putin: Vec<String> = hits("Poetin")
        .into_iter()
        .filter(|(kind, id, _)| kind == "alias" && id == "vladimir-putin")
        .map(|(_, _, passage)| passage)
        .collect();
    putin.sort();
    assert_eq!(putin, ["Vladimir [Poetin]", "[Poetin]"]);
}

// --- neighbors and path ---------------------------------------------------------------------

/// Regression: `neighbors nk-deserters` listed one relation per neighbour: the deserters'
/// `searched_for_by` relation to the Russian armed forces was dropped, and only the other
/// relation's claims counted. Every relation between two entities is a row with its own
/// claims, as the database counts them.
#[test]
fn neighbors_and_path_list_every_relation_between_two_entities() {
    let (dir, db) = seed_database();
    let rows = json(&read(
        dir.path(),
        &db,
        &["neighbors", "nk-deserters", "--format", "json"],
    ));
    let listed: Vec<(String, String, i64)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_owned(),
                r["relation"].as_str().unwrap().to_owned(),
                r["claims"].as_i64().unwrap(),
            )
        })
        .collect();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mut statement = conn
        .prepare(
            "SELECT object_id, predicate, count(*) FROM claims
             WHERE subject_id = 'nk-deserters' AND object_id IS NOT NULL
             GROUP BY object_id, predicate",
        )
        .unwrap();
    let stated: Vec<(String, String, i64)> = statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (object, predicate, claims) in &stated {
        let relation = format!("nk-deserters —{predicate}→ {object}");
        assert!(
            listed.contains(&(object.clone(), relation.clone(), *claims)),
            "missing {relation} with {claims} claims in {listed:#?}"
        );
    }
    let armed_forces: Vec<&(String, String, i64)> = listed
        .iter()
        .filter(|(id, _, _)| id == "russian-armed-forces")
        .collect();
    assert_eq!(armed_forces.len(), 2, "{armed_forces:?}");
    assert!(
        armed_forces
            .iter()
            .any(|(_, relation, _)| relation.contains("—searched_for_by→"))
    );

    // `path` explains each relation of a step, each with its own claims.
    let steps = json(&read(
        dir.path(),
        &db,
        &[
            "path",
            "nk-deserters",
            "russian-armed-forces",
            "--format",
            "json",
        ],
    ));
    let mut relations: Vec<(i64, String)> = steps
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["step"].as_i64().unwrap(),
                r["relation"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let claims = |predicate: &str| {
        stated
            .iter()
            .find(|(o, p, _)| o == "russian-armed-forces" && p == predicate)
            .unwrap()
            .2 as usize
    };
    assert_eq!(
        relations
            .iter()
            .filter(|(_, r)| r == "searched_for_by")
            .count(),
        claims("searched_for_by")
    );
    assert_eq!(
        relations
            .iter()
            .filter(|(_, r)| r == "deserted_from")
            .count(),
        claims("deserted_from")
    );
    relations.dedup();
    assert!(
        relations.iter().all(|(step, _)| *step == 1),
        "{relations:?}"
    );
    let text = read(
        dir.path(),
        &db,
        &["path", "nk-deserters", "russian-armed-forces"],
    );
    assert!(
        text.stdout
            .starts_with("1 step\n1. nk-deserters —deserted_from→ russian-armed-forces\n")
            && text
                .stdout
                .contains("\n1. nk-deserters —searched_for_by→ russian-armed-forces\n"),
        "{}",
        text.stdout
    );
}
