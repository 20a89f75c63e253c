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
    // pytest's temporary folders (each test's copy of the data) in one that goes with the test.
    let scratch = tempfile::tempdir().unwrap();
    let output = Command::new(&python)
        .args(["-m", "pytest", "-q", "tests/lsp", "--basetemp"])
        .arg(scratch.path().join("pytest"))
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

fn initialize(options: &str) -> Vec<u8> {
    let mut input = message(&format!(
        r#"{{"jsonrpc":"2.0","id":1,"method":"initialize","params":{{"capabilities":{{}}{options}}}}}"#
    ));
    input.extend(message(
        r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
    ));
    input
}

fn shut_down(input: &mut Vec<u8>) {
    input.extend(message(r#"{"jsonrpc":"2.0","id":99,"method":"shutdown"}"#));
    input.extend(message(r#"{"jsonrpc":"2.0","method":"exit"}"#));
}

#[test]
fn initialisation_options_of_the_wrong_type_are_refused_and_unknown_ones_named() {
    let run = serve(&initialize(r#","initializationOptions":{"data":5}"#));
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stdout.contains(r#""id":1,"error":{"code":-32602"#)
            && run.stdout.contains("initializationOptions: invalid type"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("could not initialise"),
        "{}",
        run.stderr
    );

    let mut input = initialize(r#","initializationOptions":{"dat":"data"}"#);
    shut_down(&mut input);
    let run = serve(&input);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .contains("initializationOptions `dat` unknown, ignored"),
        "{}",
        run.stdout
    );
}

/// A request before `initialize` gets the protocol's "not initialised" error, and a
/// notification whose parameters do not read is ignored with a line on stderr: the server goes
/// on either way.
#[test]
fn the_server_survives_requests_too_early_and_notifications_it_cannot_read() {
    let mut input =
        message(r#"{"jsonrpc":"2.0","id":7,"method":"textDocument/hover","params":{}}"#);
    input.extend(initialize(""));
    input.extend(message(
        r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///x y.toml"}}}"#,
    ));
    shut_down(&mut input);
    let run = serve(&input);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains(r#""id":7,"error":{"code":-32002"#),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(r#""id":99,"result":null"#),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr
            .contains("ignored `textDocument/didOpen`: its parameters do not read"),
        "{}",
        run.stderr
    );
}

#[test]
fn shutdown_then_exit_ends_the_server_cleanly_and_exit_alone_with_code_1() {
    let mut clean = initialize("");
    shut_down(&mut clean);
    let run = serve(&clean);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains(r#""id":99,"result":null"#),
        "{}",
        run.stdout
    );

    let mut input = initialize("");
    input.extend(message(r#"{"jsonrpc":"2.0","method":"exit"}"#));
    let run = serve(&input);
    assert_eq!(run.code, 1, "{run:?}");
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

/// A message that is not JSON-RPC ends the server with exit code 2 and says why, rather than
/// that the client went away.
#[test]
fn a_message_that_does_not_read_ends_the_server_naming_it() {
    let mut input = initialize("");
    input.extend(message("{not json}"));
    let run = serve(&input);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains("a message from the client could not be read: malformed LSP payload"),
        "{}",
        run.stderr
    );
}

/// A change at a character beyond any line's end (the largest a position may hold) is the end
/// of that line: the server applies it there and answers on.
#[test]
fn a_change_past_the_end_of_a_line_lands_at_its_end() {
    let uri = format!(
        "file://{}",
        root().join("data/claims/zz-probe.toml").display()
    );
    let mut input = initialize("");
    input.extend(message(&format!(
        r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"{uri}","languageId":"toml","version":1,"text":"a\nb\n"}}}}}}"#
    )));
    input.extend(message(&format!(
        r#"{{"jsonrpc":"2.0","method":"textDocument/didChange","params":{{"textDocument":{{"uri":"{uri}","version":2}},"contentChanges":[{{"range":{{"start":{{"line":1,"character":4294967295}},"end":{{"line":1,"character":4294967295}}}},"text":" = 1"}}]}}}}"#
    )));
    input.extend(message(&format!(
        r#"{{"jsonrpc":"2.0","id":5,"method":"textDocument/documentSymbol","params":{{"textDocument":{{"uri":"{uri}"}}}}}}"#
    )));
    shut_down(&mut input);
    let run = serve(&input);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains(r#""id":5,"result""#), "{}", run.stdout);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    // The text is `a\nb = 1\n`: `a` alone is the one syntax error, on the first line.
    let published = run
        .stdout
        .split("Content-Length")
        .find(|m| m.contains("publishDiagnostics") && m.contains("zz-probe.toml"))
        .unwrap_or_default();
    assert_eq!(
        published.matches(r#""code":"syntax""#).count(),
        1,
        "{published}"
    );
    assert!(
        published.contains(r#""start":{"character":1,"line":0}"#),
        "{published}"
    );
}
