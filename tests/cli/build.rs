//! `claimgraph build`: the database it writes, and the guarantee that a build which fails or
//! is killed leaves the previous database untouched.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use rusqlite::Connection;

use crate::{claimgraph, dump, run, strings, valid_project};

fn build(dir: &Path) -> crate::Run {
    run(dir, &["build", "--no-exports"])
}

#[test]
fn build_writes_the_tables_and_views_of_the_design() {
    let project = valid_project();
    let result = build(project.path());
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result.stderr.contains("5 claims in 2 documents"),
        "{}",
        result.stderr
    );
    let db = project.path().join("claimgraph.sqlite");
    crate::assert_verified(&db);
    let conn = Connection::open(&db).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM entities"), 8);
    assert_eq!(count("SELECT count(*) FROM claims"), 5);
    assert_eq!(count("SELECT count(*) FROM claim_citations"), 3);
    assert_eq!(count("PRAGMA user_version"), 7);

    // The claim quoted from the German sentence: reporter defaults to the source's outlet.
    let row: (String, String, String, String, i64) = conn
        .query_row(
            "SELECT reporter_id, citing, origin_id, subject, interested FROM who_reported_what
             WHERE quote = 'haben die Behörden 18 Soldaten festgenommen'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert_eq!(
        row,
        (
            "courier".into(),
            "Ministry of Defence".into(),
            "ministry".into(),
            "deserters from the Northern Unit".into(),
            1
        )
    );

    // Both kinds of conflict in the fixture come out, with their reasons.
    let reasons = strings(
        &Connection::open(&db).unwrap(),
        "SELECT reason FROM conflicts ORDER BY reason",
    );
    assert_eq!(reasons, ["functional", "opposite-stance"]);

    // Dates become full ISO days; values keep their type.
    let (start, end): (String, String) = conn
        .query_row(
            "SELECT when_start, when_end FROM claims WHERE value = 'several hundred'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((start.as_str(), end.as_str()), ("2023-01-01", "2023-12-31"));
    assert_eq!(
        count("SELECT typeof(value) = 'integer' FROM claims WHERE predicate = 'count'"),
        1
    );

    // The full-text index ignores diacritics: "Behorden" finds "Behörden".
    assert_eq!(
        count("SELECT count(*) FROM search WHERE search MATCH 'behorden'"),
        2
    );
    assert!(count("SELECT count(*) FROM mentions WHERE entity_id = 'ministry'") >= 3);
    assert_eq!(
        count("SELECT count(*) FROM corroboration WHERE predicate = 'detained_by'"),
        2
    );
    let summary: (i64, i64) = conn
        .query_row(
            "SELECT claims_about, documents_mentioning FROM entity_summary WHERE id = 'unit-deserters'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(summary, (3, 1));
    assert_eq!(count("SELECT count(*) FROM pragma_foreign_key_check"), 0);

    // The `nodes` and `edges` views hold the petgraph graph the build reports, node for node
    // and edge for edge.
    let graph = result
        .stderr
        .split("graph of ")
        .nth(1)
        .expect("the build reports its graph");
    let numbers: Vec<i64> = graph
        .split_whitespace()
        .filter_map(|word| word.parse().ok())
        .collect();
    assert_eq!(
        numbers[..2],
        [
            count("SELECT count(*) FROM nodes"),
            count("SELECT count(*) FROM edges")
        ],
        "{graph}"
    );
    assert_eq!(
        count("SELECT count(*) FROM edges WHERE kind = 'cites'"),
        count("SELECT count(*) FROM claim_citations")
    );
}

#[test]
fn every_stored_quote_offset_points_at_its_quote() {
    let project = valid_project();
    assert_eq!(build(project.path()).code, 0);
    assert_quote_offsets(&project.path().join("claimgraph.sqlite"));
}

/// The passage at `quote_start..quote_end` of the document normalises to the curated quote.
pub fn assert_quote_offsets(db: &Path) {
    let conn = Connection::open(db).unwrap();
    let mut statement = conn
        .prepare(
            "SELECT c.id, c.quote, substr(s.text, c.quote_start + 1, c.quote_end - c.quote_start)
             FROM claims c JOIN sources s ON s.id = c.source_id",
        )
        .unwrap();
    let rows: Vec<(String, String, String)> = statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(!rows.is_empty());
    for (id, quote, passage) in rows {
        assert_eq!(
            claimgraph::model::text::normalize(&passage),
            claimgraph::model::text::normalize(&quote),
            "claim {id}: the stored offsets point at {passage:?}"
        );
    }
}

/// A build killed at any stage can leave the locked temporary database, the side databases of
/// the full-text index and the analysis, and SQLite's WAL files. The next build removes each of them first,
/// even when it then stops at an error in the data.
#[test]
fn what_a_killed_build_left_at_any_stage_is_removed_by_the_next() {
    let leftovers = [
        ".claimgraph.sqlite.building",
        ".claimgraph.sqlite.building-search",
        ".claimgraph.sqlite.building-analysis",
        ".claimgraph.sqlite.building-wal",
        ".claimgraph.sqlite.building-shm",
    ];
    for present in [&leftovers[..], &leftovers[1..]] {
        let project = valid_project();
        let dir = project.path();
        for name in present {
            fs::write(dir.join(name), "left by a killed build").unwrap();
        }
        fs::write(dir.join("data/broken.toml"), "[[claim]]\nsource = ").unwrap();
        let result = build(dir);
        assert_eq!(result.code, 1, "{}", result.stderr);
        assert_no_stray_files(dir);
    }
}

#[test]
fn a_failed_build_leaves_the_previous_database_byte_identical() {
    let project = valid_project();
    let dir = project.path();
    assert_eq!(build(dir).code, 0);
    let db = dir.join("claimgraph.sqlite");
    let before = fs::read(&db).unwrap();
    fs::write(
        dir.join("data/broken.toml"),
        "[[claim]]\nsource = \"report\"\nsubject = \"nobody\"\npredicate = \"count\"\nvalue = 1\nquote = \"18 Soldaten\"\n",
    )
    .unwrap();
    let result = build(dir);
    assert_eq!(result.code, 1);
    assert!(
        result
            .stderr
            .contains("nothing was written: claimgraph.sqlite is unchanged")
    );
    assert_eq!(fs::read(&db).unwrap(), before);
    assert_no_stray_files(dir);
}

#[test]
fn a_build_that_cannot_write_fails_with_exit_2_and_no_stray_files() {
    let project = valid_project();
    let dir = project.path();
    fs::create_dir(dir.join("occupied")).unwrap();
    let result = run(dir, &["build", "--no-exports", "--db", "occupied"]);
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert!(result.stderr.starts_with("error: "), "{}", result.stderr);
    assert!(dir.join("occupied").is_dir());
    assert_no_stray_files(dir);
}

fn assert_no_stray_files(dir: &Path) {
    let stray: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.') || name.ends_with("-journal"))
        .collect();
    assert!(stray.is_empty(), "stray files: {stray:?}");
}

/// Writes a data set large enough that a build takes a while: `claims` claims about one group,
/// each quoting its own sentence of one document.
pub fn large_project(claims: usize) -> tempfile::TempDir {
    let project = valid_project();
    let dir = project.path();
    let mut text = String::new();
    let mut toml = String::new();
    for i in 0..claims {
        text.push_str(&format!("Sentence number {i} counts {i} deserters.\n"));
        toml.push_str(&format!(
            "[[claim]]\nsource = \"large\"\nsubject = \"unit-deserters\"\npredicate = \"count\"\nvalue = {i}\nquote = \"Sentence number {i} counts {i} deserters.\"\n\n"
        ));
    }
    fs::write(dir.join("seeds/large.txt"), text).unwrap();
    toml.push_str("[[source]]\nid = \"large\"\nfile = \"large.txt\"\ntitle = \"Large\"\n");
    fs::write(dir.join("data/large.toml"), toml).unwrap();
    project
}

#[test]
fn a_killed_build_leaves_the_previous_database_and_the_next_build_cleans_up() {
    let project = valid_project();
    let dir = project.path();
    assert_eq!(build(dir).code, 0);
    let db = dir.join("claimgraph.sqlite");
    let before = fs::read(&db).unwrap();

    let large = large_project(20_000);
    fs::remove_dir_all(dir.join("data")).unwrap();
    fs::remove_dir_all(dir.join("seeds")).unwrap();
    crate::copy_tree(&large.path().join("data"), &dir.join("data"));
    crate::copy_tree(&large.path().join("seeds"), &dir.join("seeds"));

    let temp = dir.join(".claimgraph.sqlite.building");
    let side = dir.join(".claimgraph.sqlite.building-search");
    let mut child = claimgraph(dir)
        .args(["build", "--no-exports"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    // Killed while the tables and the full-text index are both being written.
    while !(temp.exists() && side.exists()) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the build never started writing"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    // SIGKILL: no destructor, no cleanup runs.
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success());
    assert_eq!(
        fs::read(&db).unwrap(),
        before,
        "the killed build touched the database"
    );

    let result = build(dir);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(result.stderr.contains("20005 claims"), "{}", result.stderr);
    assert_no_stray_files(dir);
}

#[test]
fn two_builds_of_the_same_input_dump_identically() {
    let project = valid_project();
    let dir = project.path();
    assert_eq!(
        run(dir, &["build", "--no-exports", "--db", "a.sqlite"]).code,
        0
    );
    assert_eq!(
        run(dir, &["build", "--no-exports", "--db", "b.sqlite"]).code,
        0
    );
    let a = dump(&dir.join("a.sqlite"));
    assert!(a.contains("INSERT INTO claims"));
    assert_eq!(a, dump(&dir.join("b.sqlite")));

    // The same data from another working directory, named by an absolute path: the stored
    // paths are relative to the data and seeds folders, so nothing differs.
    let elsewhere = tempfile::tempdir().unwrap();
    let absolute = |folder: &str| dir.join(folder).display().to_string();
    let c = elsewhere.path().join("c.sqlite");
    let (data, seeds, db) = (absolute("data"), absolute("seeds"), c.display().to_string());
    let args = [
        "build",
        "--no-exports",
        "--data",
        &data,
        "--seeds",
        &seeds,
        "--db",
        &db,
    ];
    assert_eq!(run(elsewhere.path(), &args).code, 0);
    assert_eq!(a, dump(&c), "a build from another folder dumps the same");
    let files = strings(
        &Connection::open(&c).unwrap(),
        "SELECT DISTINCT file FROM claims UNION ALL SELECT DISTINCT file FROM entities",
    );
    assert!(
        files
            .iter()
            .all(|f| !f.starts_with("data/") && !f.starts_with('/')),
        "{files:?}"
    );
    assert!(
        files.contains(&"claims/report.toml".to_owned()),
        "{files:?}"
    );
}

#[test]
fn derived_claim_ids_survive_reordering_and_additions() {
    let project = valid_project();
    let dir = project.path();
    assert_eq!(build(dir).code, 0);
    let ids = |dir: &Path| {
        strings(
            &Connection::open(dir.join("claimgraph.sqlite")).unwrap(),
            "SELECT id FROM claims ORDER BY id",
        )
    };
    let before = ids(dir);

    // Reverse the claims of one file and add a new claim in front.
    let path = dir.join("data/claims/report.toml");
    let text = fs::read_to_string(&path).unwrap();
    let mut claims: Vec<&str> = text
        .split("[[claim]]")
        .filter(|c| !c.trim().is_empty())
        .collect();
    claims.reverse();
    let new_claim = "\nsource = \"report\"\nsubject = \"anna-petrova\"\npredicate = \"detained_by\"\nobject = \"ministry\"\nquote = \"We never saw them again\"\n\n";
    let reordered: String = std::iter::once(new_claim)
        .chain(claims)
        .map(|c| format!("[[claim]]{c}"))
        .collect();
    fs::write(&path, reordered).unwrap();
    let result = build(dir);
    assert_eq!(result.code, 0, "{}", result.stderr);
    let after = ids(dir);
    assert_eq!(after.len(), before.len() + 1);
    for id in &before {
        assert!(after.contains(id), "claim {id} changed its id");
    }
}

/// On a terminal a long build names its stages; in a pipe (every other test) it prints no
/// progress at all, which the golden outputs pin.
#[test]
fn progress_is_shown_on_a_terminal() {
    let project = large_project(10_000);
    let command = format!("{} build --no-exports", env!("CARGO_BIN_EXE_claimgraph"));
    // `script` (util-linux) runs the command on a pseudo-terminal.
    let output = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(project.path())
        .output()
        .expect("script from util-linux is installed");
    assert!(output.status.success());
    let screen = String::from_utf8_lossy(&output.stdout);
    assert!(
        screen.contains("writing claims and their analysis"),
        "{screen}"
    );
    assert!(screen.contains("built claimgraph.sqlite"), "{screen}");

    let piped = build(project.path());
    assert!(
        !piped.stderr.contains("writing claims and their analysis"),
        "{}",
        piped.stderr
    );
}

/// `--timings` lists every stage with its duration, in the order they ran; without it the
/// build says nothing about its stages.
#[test]
fn timings_name_every_stage_in_order() {
    let project = valid_project();
    let result = run(project.path(), &["build", "--no-exports", "--timings"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    let stages: Vec<&str> = result
        .stderr
        .lines()
        .filter_map(|line| line.strip_suffix(" s"))
        .map(|line| {
            let (name, seconds) = line.trim().rsplit_once(' ').expect("a name and seconds");
            assert!(seconds.parse::<f64>().is_ok(), "{line}");
            name.trim_end()
        })
        .collect();
    assert_eq!(
        stages,
        [
            "comparing the inputs with the database",
            "loading data files",
            "reading documents",
            "checking references, vocabulary and quotes",
            "finding names in the documents",
            "linking the graph",
            "writing entities, documents and mentions",
            "writing claims and their analysis",
            "finishing the analysis and building indexes",
            "finishing the full-text index",
            "copying the full-text index and checking the new database",
        ],
        "{}",
        result.stderr
    );
    let quiet = build(project.path());
    assert!(
        !quiet.stderr.contains("loading data files"),
        "{}",
        quiet.stderr
    );
}
