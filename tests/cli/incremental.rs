//! `build` against a previous database: one built by this claimgraph from the very same
//! inputs is left as it is; after any edit, or from another claimgraph or schema, the build
//! starts from nothing and says why, and its database dumps exactly as a `--full` build's.

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use rusqlite::Connection;
use sha2::{Digest, Sha256};

use crate::{Run, dump, run, valid_project};

fn build(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["build", "--no-exports"];
    args.extend(extra);
    let result = run(dir, &args);
    assert_eq!(result.code, 0, "{}", result.stderr);
    result
}

/// The inode and modification time of a file: a build that writes the database renames a new
/// file over it, which changes both.
fn identity(path: &Path) -> (u64, i64, i64) {
    let meta = fs::metadata(path).unwrap();
    (meta.ino(), meta.mtime(), meta.mtime_nsec())
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no `{from}`");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn append(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    let mut all = fs::read_to_string(&path).unwrap();
    all.push_str(text);
    fs::write(&path, all).unwrap();
}

#[test]
fn a_build_from_unchanged_inputs_writes_nothing_and_says_so() {
    let project = valid_project();
    let dir = project.path();
    build(dir, &[]);
    let db = dir.join("claimgraph.sqlite");
    let (before, bytes) = (identity(&db), fs::read(&db).unwrap());
    let result = build(dir, &[]);
    assert_eq!(
        result.stderr,
        "claimgraph.sqlite is up to date: no input changed since it was built, so it was left as it is (--full rebuilds it)\n"
    );
    assert_eq!(identity(&db), before, "the database was written");
    assert_eq!(fs::read(&db).unwrap(), bytes);
}

#[test]
fn build_full_rebuilds_an_up_to_date_database_into_the_same_dump() {
    let project = valid_project();
    let dir = project.path();
    build(dir, &[]);
    let db = dir.join("claimgraph.sqlite");
    let (before, text) = (identity(&db), dump(&db));
    let result = build(dir, &["--full"]);
    assert!(
        result.stderr.starts_with("built claimgraph.sqlite in "),
        "{}",
        result.stderr
    );
    assert_ne!(identity(&db), before, "--full left the database as it was");
    assert_eq!(dump(&db), text);
}

#[test]
fn the_database_records_the_digest_of_every_input_file() {
    let project = valid_project();
    let dir = project.path();
    // A document no source names is an input too: it is warned about.
    fs::write(dir.join("seeds/unused.txt"), "Nobody cites this.").unwrap();
    build(dir, &[]);
    let conn = Connection::open(dir.join("claimgraph.sqlite")).unwrap();
    let mut rows = conn
        .prepare("SELECT key, value FROM meta WHERE key LIKE 'input:%' ORDER BY key")
        .unwrap();
    let recorded: Vec<(String, String)> = rows
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let digest = |file: &str| hex::encode(Sha256::digest(fs::read(dir.join(file)).unwrap()));
    let expected: Vec<(String, String)> = [
        "data/claims/rebuttal.toml",
        "data/claims/report.toml",
        "data/entities.toml",
        "data/vocabulary.toml",
        "seeds/rebuttal.txt",
        "seeds/report.txt",
        "seeds/unused.txt",
    ]
    .into_iter()
    .map(|file| (format!("input:{file}"), digest(file)))
    .collect();
    assert_eq!(recorded, expected);
}

/// Each kind of edit the design names, and what the build says of it.
#[test]
fn after_each_kind_of_edit_the_build_dumps_as_a_full_build_does() {
    type Edit = fn(&Path);
    let edits: [(&str, Edit, &str); 9] = [
        (
            "a claim added",
            |dir| {
                append(
                    dir,
                    "data/claims/report.toml",
                    "\n[[claim]]\nsource = \"report\"\nsubject = \"anna-petrova\"\npredicate = \"detained_by\"\nobject = \"ministry\"\nquote = \"We never saw them again\"\n",
                )
            },
            "data/claims/report.toml edited",
        ),
        (
            "a claim removed",
            |dir| {
                let path = dir.join("data/claims/rebuttal.toml");
                let text = fs::read_to_string(&path).unwrap();
                let second = text.rfind("[[claim]]").unwrap();
                fs::write(&path, &text[..second]).unwrap();
            },
            "data/claims/rebuttal.toml edited",
        ),
        (
            "a claim changed",
            |dir| edit(dir, "data/claims/report.toml", "value = 18", "value = 19"),
            "data/claims/report.toml edited",
        ),
        (
            "an entity renamed",
            |dir| {
                edit(
                    dir,
                    "data/entities.toml",
                    "name = \"Anna Petrova\"",
                    "name = \"Anna P. Petrova\"",
                )
            },
            "data/entities.toml edited",
        ),
        (
            "an alias added",
            |dir| {
                edit(
                    dir,
                    "data/entities.toml",
                    "aliases = [\"Courier\"]",
                    "aliases = [\"Courier\", \"figure\"]",
                )
            },
            "data/entities.toml edited",
        ),
        (
            "a document edited",
            |dir| append(dir, "seeds/report.txt", "The Ministry did not comment.\n"),
            "seeds/report.txt edited",
        ),
        (
            "a predicate's functional flipped",
            |dir| {
                edit(
                    dir,
                    "data/vocabulary.toml",
                    "object = \"text\"\nfunctional = true",
                    "object = \"text\"\nfunctional = false",
                )
            },
            "data/vocabulary.toml edited",
        ),
        (
            "a data file added",
            |dir| {
                fs::write(
                    dir.join("data/claims/more.toml"),
                    "[[claim]]\nsource = \"rebuttal\"\nsubject = \"northern-unit\"\npredicate = \"lost_soldiers\"\nvalue = \"some\"\nquote = \"lost soldiers\"\n",
                )
                .unwrap()
            },
            "data/claims/more.toml added",
        ),
        (
            "a document no source names removed",
            |dir| fs::remove_file(dir.join("seeds/unused.txt")).unwrap(),
            "seeds/unused.txt removed",
        ),
    ];
    for (what, change, said) in edits {
        let project = valid_project();
        let dir = project.path();
        fs::write(dir.join("seeds/unused.txt"), "Nobody cites this.").unwrap();
        build(dir, &[]);
        change(dir);
        let result = build(dir, &[]);
        assert!(
            result.stderr.contains(&format!(
                "full build: {said}; a database is brought up to date in place only when no input changed\n"
            )),
            "{what}: {}",
            result.stderr
        );
        crate::assert_verified(&dir.join("claimgraph.sqlite"));
        build(dir, &["--db", "full.sqlite", "--full"]);
        let (after_edit, full) = (
            dump(&dir.join("claimgraph.sqlite")),
            dump(&dir.join("full.sqlite")),
        );
        assert!(after_edit == full, "{what}: the dumps differ");
        // The next build finds the database up to date again.
        assert!(
            build(dir, &[]).stderr.contains("is up to date"),
            "{what}: not up to date after the build"
        );
    }
}

/// A database of another claimgraph, of another schema, or from before inputs were recorded
/// is rebuilt in full, and the build says which.
#[test]
fn a_database_of_another_claimgraph_or_schema_is_rebuilt_in_full() {
    let cases = [
        (
            "UPDATE meta SET value = '0.0.1' WHERE key = 'claimgraph_version'",
            format!(
                "full build: the previous database was written by claimgraph 0.0.1, this is {}",
                env!("CARGO_PKG_VERSION")
            ),
        ),
        (
            "PRAGMA user_version = 2",
            "full build: the previous database has schema version 2, this claimgraph writes"
                .to_owned(),
        ),
        (
            "DROP INDEX claims_subject",
            "full build: the previous database's tables, views or indexes are not those of \
             schema version"
                .to_owned(),
        ),
        (
            "DELETE FROM meta WHERE key LIKE 'input:%'",
            "full build: the previous database records no digests of its inputs".to_owned(),
        ),
    ];
    for (sql, said) in cases {
        let project = valid_project();
        let dir = project.path();
        build(dir, &[]);
        let db = dir.join("claimgraph.sqlite");
        let text = dump(&db);
        Connection::open(&db).unwrap().execute_batch(sql).unwrap();
        let result = build(dir, &[]);
        assert!(result.stderr.starts_with(&said), "{sql}: {}", result.stderr);
        assert_eq!(dump(&db), text, "{sql}");
    }
}

/// With an exports folder, an up-to-date database is left as it is and the standard exports
/// are written again from it: they are made from the database alone, so one deleted by hand
/// comes back as a full build would write it.
#[test]
fn an_up_to_date_build_writes_the_standard_exports_again() {
    let project = valid_project();
    let dir = project.path();
    assert_eq!(run(dir, &["build"]).code, 0);
    let db = dir.join("claimgraph.sqlite");
    let before = identity(&db);
    let json = dir.join("exports/citations.json");
    let written = fs::read(&json).unwrap();
    fs::remove_file(&json).unwrap();
    let result = run(dir, &["build"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(result.stderr.contains("is up to date"), "{}", result.stderr);
    assert!(result.stderr.contains("exports of"), "{}", result.stderr);
    assert_eq!(identity(&db), before);
    assert_eq!(fs::read(&json).unwrap(), written);
}

/// `--verify` checks an up-to-date database as it is: one damaged since it was built fails,
/// is left as it is, and the build says how to build it anew.
#[test]
fn build_verify_checks_an_up_to_date_database_as_it_is() {
    let project = valid_project();
    let dir = project.path();
    build(dir, &[]);
    let db = dir.join("claimgraph.sqlite");
    Connection::open(&db)
        .unwrap()
        .execute_batch(
            "UPDATE claims SET quote_start = quote_start + 1 WHERE id = (SELECT min(id) FROM claims)",
        )
        .unwrap();
    let before = identity(&db);
    let result = run(dir, &["build", "--no-exports", "--verify"]);
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert!(
        result
            .stderr
            .contains("claimgraph.sqlite failed verification: 1 problem\n"),
        "{}",
        result.stderr
    );
    assert!(
        result.stderr.ends_with(
            "nothing was written: claimgraph.sqlite is up to date with the inputs but damaged; `claimgraph build --full` builds it anew\n"
        ),
        "{}",
        result.stderr
    );
    assert_eq!(identity(&db), before);
    let rebuilt = build(dir, &["--full", "--verify"]);
    assert!(rebuilt.stderr.starts_with("built "), "{}", rebuilt.stderr);
}

/// The first build takes the digests from what it loaded, the next from the files: a document
/// named as `./report.txt`, or through a link, is the same input to both.
#[test]
fn documents_named_through_a_dot_or_a_link_are_still_up_to_date() {
    let project = valid_project();
    let dir = project.path();
    edit(
        dir,
        "data/entities.toml",
        "file = \"report.txt\"",
        "file = \"./report.txt\"",
    );
    edit(
        dir,
        "data/entities.toml",
        "file = \"rebuttal.txt\"",
        "file = \"link.txt\"",
    );
    std::os::unix::fs::symlink("rebuttal.txt", dir.join("seeds/link.txt")).unwrap();
    build(dir, &[]);
    let result = build(dir, &[]);
    assert!(result.stderr.contains("is up to date"), "{}", result.stderr);
}
