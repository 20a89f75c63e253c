//! One fixture per diagnostic code: `tests/fixtures/diagnostics/<code>/` holds the `data/` and
//! `seeds/` on which `check` reports that code, and `expected`, every diagnostic it reports there
//! (severity, code, `file:line:col`, headline). A code without a fixture fails the suite, and so
//! does a rule deleted from the checker: its line goes missing from a fixture's output.

use std::fs;
use std::path::Path;

use claimgraph::diagnostic::Code;

use crate::{fixtures, run};

/// What `check` reports on a fixture, one diagnostic a line: the exit code, then
/// `error[code] data/file.toml:3:7 the headline`, in the order printed.
fn reported(case: &Path) -> String {
    let result = run(case, &["check", "--data", "data", "--seeds", "seeds"]);
    let mut lines = vec![format!("exit {}", result.code)];
    let mut printed = result.stderr.lines();
    while let Some(line) = printed.next() {
        let Some((title, message)) = line.split_once("]: ") else {
            continue;
        };
        if !(title.starts_with("error[") || title.starts_with("warning[")) {
            continue;
        }
        // The place is on the first `-->` line after the title.
        let place = printed
            .by_ref()
            .find_map(|l| l.trim_start().strip_prefix("--> "))
            .unwrap_or("(no place)");
        lines.push(format!("{title}] {place} {message}"));
    }
    lines.join("\n") + "\n"
}

/// Every fixture reports what its `expected` says (set `UPDATE_GOLDEN=1` to rewrite them after a
/// deliberate change, then review the diff), including at least one diagnostic of its own code.
#[test]
fn every_code_has_a_fixture_that_reports_it() {
    let root = fixtures().join("diagnostics");
    for code in Code::ALL {
        let case = root.join(code.as_str());
        assert!(
            case.join("data").is_dir(),
            "the code `{code}` has no fixture: add {}/data/*.toml (and seeds/) on which `check` reports it",
            case.display()
        );
        let actual = reported(&case);
        let golden = case.join("expected");
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            fs::write(&golden, &actual).unwrap();
        }
        let expected = fs::read_to_string(&golden)
            .unwrap_or_else(|_| panic!("{} has no `expected`", case.display()));
        assert_eq!(actual, expected, "what `check` reports on `{code}` changed");
        let own = format!("[{code}] ");
        assert!(
            actual.lines().any(|l| l.contains(&own)),
            "the fixture of `{code}` does not report it:\n{actual}"
        );
    }
}

/// A fixture whose code was renamed or removed would go on passing unseen.
#[test]
fn every_fixture_is_named_after_a_code() {
    for entry in fs::read_dir(fixtures().join("diagnostics")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            Code::ALL.iter().any(|code| code.as_str() == name),
            "tests/fixtures/diagnostics/{name} is named after no diagnostic code"
        );
    }
}
