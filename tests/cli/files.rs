//! Which files `build` and `export -o` may replace, the standard exports as one set, Graphviz
//! under a size and time budget, and what an interrupted run leaves behind: nothing.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{Run, claimgraph, run, valid_project};

/// A `dot` that answers `-V` and otherwise writes its process id into `pid` and sleeps, so
/// that a run is caught while Graphviz draws. Returns the folder to put first on the PATH.
fn sleeping_dot(dir: &Path) -> (PathBuf, PathBuf) {
    let bin = dir.join("fake-bin");
    fs::create_dir_all(&bin).unwrap();
    let pid = dir.join("dot.pid");
    let script = format!(
        "#!/bin/sh\n[ \"$1\" = -V ] && exit 0\necho $$ > '{}'\nexec sleep 120\n",
        pid.display()
    );
    write_script(&bin.join("dot"), &script);
    (bin, pid)
}

/// A `dot` that answers `-V` and fails every drawing.
fn failing_dot(dir: &Path) -> PathBuf {
    let bin = dir.join("failing-bin");
    fs::create_dir_all(&bin).unwrap();
    write_script(
        &bin.join("dot"),
        "#!/bin/sh\n[ \"$1\" = -V ] && exit 0\necho 'Error: out of memory' >&2\nexit 1\n",
    );
    bin
}

fn write_script(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    fs::write(path, text).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

/// PATH with `first` before everything else.
fn path_with(first: &Path) -> String {
    format!(
        "{}:{}",
        first.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

fn run_with_path(dir: &Path, path: &str, args: &[&str]) -> Run {
    claimgraph(dir)
        .env("PATH", path)
        .args(args)
        .output()
        .unwrap()
        .into()
}

/// Waits until `done` holds, failing after a minute.
fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn process_gone(pid: &str) -> bool {
    // A process that has exited and been reaped has no folder under /proc; a zombie's status
    // says Z.
    match fs::read_to_string(format!("/proc/{pid}/status")) {
        Err(_) => true,
        Ok(status) => status
            .lines()
            .any(|l| l.starts_with("State:") && l.contains('Z')),
    }
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Names in `dir` that a run leaves only when it did not clean up: dot files (temporary
/// databases, staging folders, export temporaries).
fn hidden_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.'))
        .collect();
    names.sort();
    names
}

fn sqlite_file_of_another_application(path: &Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('mine');")
        .unwrap();
}

#[test]
fn build_replaces_no_file_that_claimgraph_did_not_write_without_force() {
    let project = valid_project();
    let dir = project.path();
    sqlite_file_of_another_application(&dir.join("other.db"));
    fs::write(dir.join("notes.txt"), "my notes").unwrap();
    for target in ["other.db", "notes.txt"] {
        let before = fs::read(dir.join(target)).unwrap();
        let result = run(dir, &["build", "--no-exports", "--db", target]);
        assert_eq!(result.code, 2, "{}", result.stderr);
        assert!(
            result
                .stderr
                .contains(&format!("error: {target} is not a claimgraph database"))
                && result.stderr.contains("--force"),
            "{}",
            result.stderr
        );
        assert!(
            fs::read(dir.join(target)).unwrap() == before,
            "before changed"
        );
        assert!(hidden_names(dir).is_empty(), "{:?}", hidden_names(dir));
    }
    // A claimgraph database is replaced; so is anything with --force, deliberately.
    assert_eq!(
        run(dir, &["build", "--no-exports", "--db", "ours.db"]).code,
        0
    );
    assert_eq!(
        run(dir, &["build", "--no-exports", "--db", "ours.db"]).code,
        0
    );
    let forced = run(
        dir,
        &["build", "--no-exports", "--db", "other.db", "--force"],
    );
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert_eq!(
        run(dir, &["build", "--no-exports", "--db", "other.db"]).code,
        0
    );
}

#[test]
fn a_database_of_an_older_claimgraph_without_the_application_id_is_recognised() {
    let project = valid_project();
    let dir = project.path();
    assert_eq!(run(dir, &["build", "--no-exports"]).code, 0);
    let db = dir.join("claimgraph.sqlite");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let id: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(id, 0x434C_4752, "the database carries claimgraph's id");
    conn.pragma_update(None, "application_id", 0).unwrap();
    drop(conn);
    let result = run(dir, &["build", "--no-exports"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
}

#[test]
fn nothing_under_the_data_or_seeds_folder_is_written_even_with_force() {
    let project = valid_project();
    let dir = project.path();
    let curated = dir.join("data/entities.toml");
    let before = fs::read(&curated).unwrap();
    for args in [
        &[
            "build",
            "--no-exports",
            "--db",
            "data/entities.toml",
            "--force",
        ][..],
        &[
            "build",
            "--no-exports",
            "--db",
            "seeds/new.sqlite",
            "--force",
        ],
        &[
            "build",
            "--db",
            "x.sqlite",
            "--exports",
            "data/exports",
            "--force",
        ],
    ] {
        let result = run(dir, args);
        assert_eq!(result.code, 2, "{args:?}: {}", result.stderr);
        assert!(
            result.stderr.contains("which claimgraph only reads"),
            "{}",
            result.stderr
        );
    }
    assert!(fs::read(&curated).unwrap() == before, "before changed");
    assert!(!dir.join("seeds/new.sqlite").exists());
    assert!(!dir.join("data/exports").exists());
    assert!(!dir.join("x.sqlite").exists());

    assert_eq!(run(dir, &["build", "--no-exports"]).code, 0);
    for (output, why) in [
        ("data/entities.toml", "which claimgraph only reads"),
        ("claimgraph.sqlite", "is the database being read"),
    ] {
        let result = run(dir, &["export", "json", "-o", output, "--force"]);
        assert_eq!(result.code, 2, "{}", result.stderr);
        assert!(result.stderr.contains(why), "{}", result.stderr);
    }
    assert!(fs::read(&curated).unwrap() == before, "before changed");
    assert_eq!(run(dir, &["stats"]).code, 0, "the database is intact");
}

#[test]
fn export_output_replaces_only_what_claimgraph_exported() {
    let project = valid_project();
    let dir = project.path();
    assert_eq!(run(dir, &["build", "--no-exports"]).code, 0);
    fs::write(dir.join("mine.json"), "{\"my\": \"data\"}").unwrap();
    let result = run(dir, &["export", "json", "-o", "mine.json"]);
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert!(
        result
            .stderr
            .contains("mine.json exists and is not an export written by claimgraph"),
        "{}",
        result.stderr
    );
    assert_eq!(
        fs::read_to_string(dir.join("mine.json")).unwrap(),
        "{\"my\": \"data\"}"
    );
    // Every format names claimgraph near its start, so an export is replaced by the next.
    for format in crate::export::FORMATS {
        let file = format!("view.{format}");
        for round in ["first", "second"] {
            let result = run(dir, &["export", format, "-o", &file]);
            assert_eq!(
                result.code, 0,
                "{format}, {round} export: {}",
                result.stderr
            );
        }
    }
    let forced = run(dir, &["export", "json", "-o", "mine.json", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(hidden_names(dir).is_empty(), "{:?}", hidden_names(dir));
}

#[test]
/// Regression: errors about a missing folder named temporary files (`.x.sqlite.building`,
/// `.claimgraph-exportE6HUHY`), a file on the way was "Not a directory", and a build whose
/// exports could not be written said "File exists" after it had replaced the database.
fn a_missing_or_wrong_folder_is_named_as_the_user_wrote_it() {
    let project = valid_project();
    let dir = project.path();
    let result = run(dir, &["build", "--no-exports", "--db", "nowhere/x.sqlite"]);
    assert_eq!(result.code, 2);
    assert_eq!(
        result.stderr,
        "error: nowhere/x.sqlite cannot be written: the folder nowhere does not exist\n"
    );
    assert_eq!(run(dir, &["build", "--no-exports"]).code, 0);
    let result = run(dir, &["export", "json", "-o", "nowhere/x.json"]);
    assert_eq!(result.code, 2);
    assert_eq!(
        result.stderr,
        "error: nowhere/x.json cannot be written: the folder nowhere does not exist\n"
    );
    fs::write(dir.join("afile"), "").unwrap();
    let database = fs::read(dir.join("claimgraph.sqlite")).unwrap();
    let result = run(dir, &["build", "--exports", "afile"]);
    assert_eq!(result.code, 2);
    assert_eq!(
        result.stderr,
        "error: afile is a file, and --exports names the folder the exports go into\n"
    );
    // A file on the way to where a file or folder should go is named, not "Not a directory".
    for (args, shown) in [
        (&["build", "--exports", "afile/sub"][..], "afile/sub"),
        (
            &["build", "--no-exports", "--db", "afile/a/x.sqlite"][..],
            "afile/a/x.sqlite",
        ),
        (
            &["export", "json", "-o", "afile/x.json"][..],
            "afile/x.json",
        ),
    ] {
        let result = run(dir, args);
        assert_eq!(result.code, 2, "{args:?}");
        assert_eq!(
            result.stderr,
            format!("error: {shown} cannot be written: afile is not a folder\n"),
            "{args:?}"
        );
    }
    fs::create_dir(dir.join("folder")).unwrap();
    let result = run(dir, &["build", "--no-exports", "--db", "folder"]);
    assert_eq!(result.code, 2);
    assert_eq!(
        result.stderr,
        "error: folder is a folder, not a database file\n"
    );
    // None of these builds touched the database: the exports are checked before it is written.
    assert_eq!(fs::read(dir.join("claimgraph.sqlite")).unwrap(), database);
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.') || name.contains("claimgraph"))
        .collect();
    names.sort();
    assert_eq!(names, ["claimgraph.sqlite"]);
}

#[test]
fn a_database_behind_a_symbolic_link_is_written_through_it() {
    let project = valid_project();
    let dir = project.path();
    fs::create_dir(dir.join("store")).unwrap();
    std::os::unix::fs::symlink("store/real.sqlite", dir.join("link.sqlite")).unwrap();
    // A link that leads nowhere is refused: its target's folder may not be what was meant.
    let result = run(dir, &["build", "--no-exports", "--db", "link.sqlite"]);
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert!(
        result
            .stderr
            .contains("link.sqlite is a symbolic link that leads to no file"),
        "{}",
        result.stderr
    );
    assert_eq!(
        run(dir, &["build", "--no-exports", "--db", "store/real.sqlite"]).code,
        0
    );
    let result = run(dir, &["build", "--no-exports", "--db", "link.sqlite"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    let link = fs::symlink_metadata(dir.join("link.sqlite")).unwrap();
    assert!(link.file_type().is_symlink(), "the link is still a link");
    assert_eq!(run(dir, &["stats", "--db", "link.sqlite"]).code, 0);
    assert!(hidden_names(&dir.join("store")).is_empty());
}

#[test]
fn the_standard_exports_are_replaced_as_a_set() {
    let project = valid_project();
    let dir = project.path();
    assert_eq!(run(dir, &["build"]).code, 0);
    let exports = dir.join("exports");
    assert!(exports.join("entities.svg").exists());
    fs::write(exports.join("README.txt"), "my notes about these exports").unwrap();

    // Drawing fails after the new database was written: nothing is replaced, nothing is left.
    let db_before = fs::read(dir.join("claimgraph.sqlite")).unwrap();
    let json_before = fs::read(exports.join("entities.json")).unwrap();
    fs::write(
        dir.join("data/more.toml"),
        "[[person]]\nid = \"new-person\"\nname = \"New Person\"\n",
    )
    .unwrap();
    let failing = failing_dot(dir);
    let result = run_with_path(dir, &path_with(&failing), &["build"]);
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert!(result.stderr.contains("out of memory"), "{}", result.stderr);
    assert!(
        fs::read(dir.join("claimgraph.sqlite")).unwrap() == db_before,
        "db_before changed"
    );
    assert!(
        fs::read(exports.join("entities.json")).unwrap() == json_before,
        "json_before changed"
    );
    assert!(hidden_names(dir).is_empty(), "{:?}", hidden_names(dir));
    assert!(
        hidden_names(&exports).is_empty(),
        "{:?}",
        hidden_names(&exports)
    );

    // Without Graphviz, the drawings of the older data go; the user's file stays.
    let empty = dir.join("no-graphviz");
    fs::create_dir(&empty).unwrap();
    let result = run_with_path(dir, empty.to_str().unwrap(), &["build"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(result.stderr.contains("Graphviz is not installed"));
    assert!(
        fs::read(dir.join("claimgraph.sqlite")).unwrap() != db_before,
        "the database of the new data is in place"
    );
    for view in ["entities", "provenance", "citations"] {
        assert!(
            !exports.join(format!("{view}.svg")).exists(),
            "{view}.svg stayed"
        );
        assert!(exports.join(format!("{view}.dot")).exists());
    }
    assert_eq!(
        fs::read_to_string(exports.join("README.txt")).unwrap(),
        "my notes about these exports"
    );

    // A file with a standard name that claimgraph did not write stops the build before it
    // writes anything.
    fs::write(exports.join("entities.gexf"), "<my own graph/>").unwrap();
    let db_before = fs::read(dir.join("claimgraph.sqlite")).unwrap();
    fs::remove_file(dir.join("data/more.toml")).unwrap();
    let result = run(dir, &["build"]);
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert!(
        result
            .stderr
            .contains("entities.gexf exists and is not an export written by claimgraph"),
        "{}",
        result.stderr
    );
    assert!(
        fs::read(dir.join("claimgraph.sqlite")).unwrap() == db_before,
        "db_before changed"
    );
    assert_eq!(
        fs::read_to_string(exports.join("entities.gexf")).unwrap(),
        "<my own graph/>"
    );
}

#[test]
fn an_interrupted_build_stops_graphviz_and_leaves_everything_as_it_was() {
    let project = valid_project();
    let dir = project.path();
    assert_eq!(run(dir, &["build"]).code, 0);
    let db_before = fs::read(dir.join("claimgraph.sqlite")).unwrap();
    let exports = dir.join("exports");
    let svg_before = fs::read(exports.join("entities.svg")).unwrap();
    let (bin, pid_file) = sleeping_dot(dir);
    for signal_name in ["TERM", "INT"] {
        let _ = fs::remove_file(&pid_file);
        let mut build = claimgraph(dir)
            .env("PATH", path_with(&bin))
            .args(["build", "--db", "claimgraph.sqlite"])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        wait_for("dot to start", || {
            fs::read_to_string(&pid_file).is_ok_and(|p| p.ends_with('\n'))
        });
        let dot_pid = fs::read_to_string(&pid_file).unwrap().trim().to_owned();
        // While Graphviz draws, a second build into the same exports folder is refused.
        let second = run(dir, &["build", "--db", "second.sqlite"]);
        assert_eq!(second.code, 2, "{}", second.stderr);
        assert!(
            second
                .stderr
                .contains("another build is writing the exports in exports"),
            "{}",
            second.stderr
        );
        assert!(!dir.join("second.sqlite").exists());

        signal(&build, signal_name);
        let status = build.wait().unwrap();
        let expected = if signal_name == "TERM" { 143 } else { 130 };
        assert_eq!(status.code(), Some(expected), "{signal_name}");
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut build.stderr.take().unwrap(), &mut stderr).unwrap();
        assert!(stderr.contains("interrupted"), "{stderr}");
        wait_for("dot to be stopped", || process_gone(&dot_pid));
        assert!(
            fs::read(dir.join("claimgraph.sqlite")).unwrap() == db_before,
            "db_before changed"
        );
        assert!(
            fs::read(exports.join("entities.svg")).unwrap() == svg_before,
            "svg_before changed"
        );
        assert!(hidden_names(dir).is_empty(), "{:?}", hidden_names(dir));
        assert!(
            hidden_names(&exports).is_empty(),
            "{:?}",
            hidden_names(&exports)
        );
    }
}

#[test]
fn graphviz_that_takes_too_long_is_stopped_with_a_message() {
    let project = valid_project();
    let dir = project.path();
    assert_eq!(run(dir, &["build", "--no-exports"]).code, 0);
    let (bin, pid_file) = sleeping_dot(dir);
    let result = run_with_path(
        dir,
        &path_with(&bin),
        &["export", "svg", "-o", "slow.svg", "--timeout", "1"],
    );
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert!(
        result
            .stderr
            .contains("Graphviz did not finish svg within 1 s and was stopped"),
        "{}",
        result.stderr
    );
    let pid = fs::read_to_string(&pid_file).unwrap().trim().to_owned();
    wait_for("dot to be stopped", || process_gone(&pid));
    assert!(!dir.join("slow.svg").exists());
    assert!(hidden_names(dir).is_empty(), "{:?}", hidden_names(dir));
}

#[test]
fn a_view_too_large_for_graphviz_is_not_drawn_and_the_build_says_so() {
    let project = crate::build::large_project(1_600);
    let dir = project.path();
    let result = run(dir, &["build"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result
            .stderr
            .contains("note: provenance.svg was skipped: this view has")
            && result
                .stderr
                .contains("nodes and edges, more than the 3000"),
        "{}",
        result.stderr
    );
    let exports = dir.join("exports");
    assert!(!exports.join("provenance.svg").exists());
    assert!(exports.join("provenance.dot").exists());
    assert!(exports.join("entities.svg").exists());
    let result = run(
        dir,
        &["export", "png", "--view", "provenance", "-o", "big.png"],
    );
    assert_eq!(result.code, 2);
    assert!(
        result.stderr.contains("--focus ID --depth N"),
        "{}",
        result.stderr
    );
}
