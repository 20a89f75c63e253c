//! `claimgraph lsp`: the language server, driven by a real client (pytest-lsp, in
//! `tests/lsp/`), and how it ends when its client misbehaves.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::{Run, root};

const INSTALL: &str = "run `bash .ci/run` once, or install pytest-lsp into .venv \
                       (`.venv/bin/pip install -r .ci/requirements.txt`)";

/// Every test of `tests/lsp/` (each as Visual Studio Code and as Neovim): diagnostics as the
/// curator types, the quick fix, completion, hover, definition, references, the outline and
/// files changed on disk.
#[test]
fn the_language_server_answers_a_real_client() {
    let python = root().join(".venv/bin/python");
    assert!(python.is_file(), "no .venv/bin/python; {INSTALL}");
    let output = Command::new(&python)
        .args(["-m", "pytest", "-q", "tests/lsp"])
        .current_dir(root())
        .env("CLAIMGRAPH", env!("CARGO_BIN_EXE_claimgraph"))
        .output()
        .expect("python runs");
    let run = Run::from(output);
    assert!(
        !run.stdout.contains("No module named pytest") && !run.stderr.contains("No module named"),
        "pytest-lsp is missing; {INSTALL}\n{}",
        run.stderr
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains(" passed"), "{}", run.stdout);
    assert!(!run.stdout.contains("skipped"), "{}", run.stdout);
}

/// Runs the server with `input` on stdin, then closes it.
fn serve(input: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_claimgraph"))
        .arg("lsp")
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server starts");
    child.stdin.take().unwrap().write_all(input).unwrap();
    Run::from(child.wait_with_output().unwrap())
}

fn message(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

#[test]
fn a_client_that_goes_away_before_initialising_ends_the_server_with_a_message() {
    let run = serve(b"");
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .starts_with("error: the language server stopped: "),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_initialisation_options_are_refused_by_name() {
    let init = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{},"initializationOptions":{"dat":"data"}}}"#;
    let run = serve(&message(init));
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("unknown field `dat`"), "{}", run.stderr);
}

#[test]
fn shutdown_then_exit_ends_the_server_cleanly_and_exit_alone_does_not() {
    let mut input =
        message(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#);
    input.extend(message(
        r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
    ));
    let mut clean = input.clone();
    clean.extend(message(r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#));
    clean.extend(message(r#"{"jsonrpc":"2.0","method":"exit"}"#));
    let run = serve(&clean);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains(r#""id":2,"result":null"#),
        "{}",
        run.stdout
    );

    input.extend(message(r#"{"jsonrpc":"2.0","method":"exit"}"#));
    let run = serve(&input);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("before shutting it down"),
        "{}",
        run.stderr
    );
}

/// The benchmark runs (one round on the curated data, the debug build): its table has the
/// curated row. Times are not checked here.
#[test]
fn the_language_server_benchmark_runs() {
    let python = root().join(".venv/bin/python");
    assert!(python.is_file(), "no .venv/bin/python; {INSTALL}");
    let work = tempfile::tempdir().unwrap();
    let output = Command::new(&python)
        .arg(root().join("benches/lsp.py"))
        .args(["--sizes", "curated", "--repeat", "1", "--binary"])
        .arg(env!("CARGO_BIN_EXE_claimgraph"))
        .arg("--work")
        .arg(work.path())
        .output()
        .expect("python runs");
    let run = Run::from(output);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let row = run
        .stdout
        .lines()
        .find(|l| l.starts_with("| curated | "))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert_eq!(row.matches(" ms |").count(), 1, "{row}");
    assert_eq!(row.split('|').count(), 10, "{row}");
}
