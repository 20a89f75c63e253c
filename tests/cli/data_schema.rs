//! The JSON Schema of the data files (`exports/schema/claimgraph-data.schema.json`): it is what
//! the field specification generates, it agrees with what `check` reads (every field it lists is
//! one `check` knows, no other is, the required ones are those `check` asks for, and its closed
//! vocabularies are the values `check` accepts), and Taplo, the real reader editors use, checks
//! the data files with it through `.taplo.toml`: the curated files pass and are `taplo fmt`
//! clean, a misspelt field and a value outside a vocabulary are named.
//!
//! Taplo is `@taplo/cli` in `.ci/node`, installed by `bash .ci/run`; a test that cannot find it
//! fails and says so.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use claimgraph::load::json_schema::{PATH, data_file_schema_text};
use serde_json::Value;

use crate::{Run, root, run};

fn committed_schema() -> Value {
    let text = fs::read_to_string(root().join(PATH)).expect("the data schema is committed");
    serde_json::from_str(&text).expect("the data schema is JSON")
}

/// The schema of each record kind's tables, by kind.
fn record_schemas(schema: &Value) -> Vec<(String, Value)> {
    schema["properties"]
        .as_object()
        .expect("the schema lists the record kinds")
        .iter()
        .map(|(kind, array)| {
            assert_eq!(array["type"], "array", "`{kind}` is an array of tables");
            (kind.clone(), array["items"].clone())
        })
        .collect()
}

fn properties(record: &Value) -> Vec<(String, Value)> {
    record["properties"]
        .as_object()
        .expect("a record lists its fields")
        .iter()
        .map(|(name, field)| (name.clone(), field.clone()))
        .collect()
}

/// Runs `check` on `files` (name, text) in a data folder of their own, with `seeds`.
fn check_files(files: &[(&str, String)], seeds: &[(&str, &str)]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("data")).unwrap();
    fs::create_dir(dir.path().join("seeds")).unwrap();
    for (name, text) in files {
        fs::write(dir.path().join("data").join(name), text).unwrap();
    }
    for (name, text) in seeds {
        fs::write(dir.path().join("seeds").join(name), text).unwrap();
    }
    run(dir.path(), &["check", "--data", "data", "--seeds", "seeds"])
}

/// The headlines of the diagnostics of `code` in what `check` printed.
fn headlines(run: &Run, code: &str) -> BTreeSet<String> {
    let prefix = format!("[{code}]: ");
    run.stderr
        .lines()
        .filter_map(|line| line.split_once(&prefix).map(|(_, h)| h.to_owned()))
        .collect()
}

/// The committed schema is byte for byte what the specification generates (set
/// `UPDATE_GOLDEN=1` to rewrite it after changing the specification).
#[test]
fn the_committed_data_schema_is_what_the_field_specification_generates() {
    let generated = data_file_schema_text();
    let path = root().join(PATH);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        fs::write(&path, &generated).unwrap();
    }
    let committed = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{PATH} is not what the field specification generates: run the tests with \
         UPDATE_GOLDEN=1 and commit it"
    );
}

/// A value of the shape a field's schema asks for; any value will do for the loader to count
/// the field as known.
fn some_value(field: &Value) -> &'static str {
    match field["type"].as_str() {
        Some("boolean") => "true",
        Some("integer" | "number") => "1",
        _ => "\"x\"",
    }
}

/// Every field the schema lists for a record kind is one `check` knows, and a field the schema
/// does not list is an unknown field to `check`: for every record kind, and for the record
/// kinds themselves.
#[test]
fn check_knows_exactly_the_fields_the_schema_lists() {
    let schema = committed_schema();
    let mut text = String::new();
    let mut expected = BTreeSet::new();
    for (kind, record) in record_schemas(&schema) {
        text.push_str(&format!("[[{kind}]]\n"));
        for (name, field) in properties(&record) {
            text.push_str(&format!("{name} = {}\n", some_value(&field)));
        }
        text.push_str("not_in_the_schema = 1\n\n");
        expected.insert(format!("this {kind} has no field `not_in_the_schema`"));
    }
    text.push_str("[[not_a_kind]]\nid = \"x\"\n");
    expected.insert("unknown record kind `not_a_kind`".to_owned());
    let result = check_files(&[("all.toml", text)], &[]);
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert_eq!(
        headlines(&result, "unknown-field"),
        expected,
        "{}",
        result.stderr
    );
    assert_eq!(
        schema["additionalProperties"], false,
        "the schema too refuses a table that is no record kind"
    );
}

/// The fields the schema requires of a record kind are exactly those `check` reports missing
/// from an empty record of that kind.
#[test]
fn the_required_fields_are_those_check_asks_for() {
    let schema = committed_schema();
    let mut text = String::new();
    let mut expected = BTreeSet::new();
    for (kind, record) in record_schemas(&schema) {
        text.push_str(&format!("[[{kind}]]\n\n"));
        let required = record["required"].as_array().cloned().unwrap_or_default();
        assert!(!required.is_empty(), "a {kind} requires something");
        for name in required {
            expected.insert(format!("this {kind} has no `{}`", name.as_str().unwrap()));
        }
    }
    let result = check_files(&[("empty.toml", text)], &[]);
    let missing: BTreeSet<String> = headlines(&result, "missing-field")
        .into_iter()
        .filter(|h| h.contains(" has no `"))
        .collect();
    assert_eq!(missing, expected, "{}", result.stderr);

    // A source needs one of `name` and `title`: the schema says so with `anyOf`.
    let (_, source) = record_schemas(&schema)
        .into_iter()
        .find(|(kind, _)| kind == "source")
        .unwrap();
    assert_eq!(
        source["anyOf"],
        serde_json::json!([{ "required": ["name"] }, { "required": ["title"] }])
    );
    let unnamed = check_files(
        &[(
            "source.toml",
            "[[source]]\nid = \"doc\"\nfile = \"doc.txt\"\n".to_owned(),
        )],
        &[("doc.txt", "hello")],
    );
    assert_eq!(
        headlines(&unnamed, "missing-field"),
        BTreeSet::from(["this source has neither `name` nor `title`".to_owned()]),
        "{}",
        unnamed.stderr
    );
    let others: Vec<String> = record_schemas(&schema)
        .into_iter()
        .filter(|(_, record)| record.get("anyOf").is_some())
        .map(|(kind, _)| kind)
        .collect();
    assert_eq!(others, ["source"]);
}

/// The values a field's `enum` lists, for a lone string.
fn enum_of(field: &Value) -> Vec<String> {
    let lone = match field.get("anyOf") {
        Some(any) => &any[0],
        None => field,
    };
    lone["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("no enum in {field}"))
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

/// The values an array's items may be.
fn item_enum_of(field: &Value) -> Vec<String> {
    field["anyOf"][1]["items"]["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("no item enum in {field}"))
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

/// Every field with a closed vocabulary in the schema, as `kind.field`.
fn enum_fields(schema: &Value) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (kind, record) in record_schemas(schema) {
        for (name, field) in properties(&record) {
            if field.to_string().contains("\"enum\"") {
                found.insert(format!("{kind}.{name}"));
            }
        }
    }
    found
}

/// Data using every value of every closed vocabulary of the schema, with `bad` in place of each
/// when it is given.
fn vocabulary_data(schema: &Value, bad: Option<&str>) -> String {
    let field = |kind: &str, name: &str| {
        let (_, record) = record_schemas(schema)
            .into_iter()
            .find(|(k, _)| k == kind)
            .unwrap();
        record["properties"][name].clone()
    };
    let q = |value: &str| format!("{value:?}");
    let list = |values: &[String]| {
        let quoted: Vec<String> = values.iter().map(|v| q(v)).collect();
        format!("[{}]", quoted.join(", "))
    };
    let types = enum_of(&field("organisation", "type"));
    let grades = enum_of(&field("organisation", "reliability"));
    let scopes = enum_of(&field("predicate", "excludes_scope"));
    let subjects = item_enum_of(&field("predicate", "subject"));
    let object_kinds = item_enum_of(&field("predicate", "object"));
    let objects = enum_of(&field("predicate", "object"));
    let stances = enum_of(&field("claim", "stance"));
    let or_bad = |value: &str| q(bad.unwrap_or(value));
    let mut text = String::from(
        "[[country]]\nid = \"land\"\nname = \"Land\"\n\n\
         [[source]]\nid = \"doc\"\nfile = \"doc.txt\"\ntitle = \"Doc\"\n\n",
    );
    for (i, ty) in types.iter().enumerate() {
        text.push_str(&format!(
            "[[organisation]]\nid = \"org-{i}\"\nname = \"Org {i}\"\ntype = {}\nreliability = {}\n\n",
            or_bad(ty),
            or_bad(&grades[i % grades.len()]),
        ));
    }
    assert!(
        types.len() >= grades.len(),
        "an organisation for every grade"
    );
    for (i, scope) in scopes.iter().enumerate() {
        let subject = match bad {
            Some(bad) => list(&[bad.to_owned()]),
            None => list(&subjects),
        };
        text.push_str(&format!(
            "[[predicate]]\nid = \"rel_{i}\"\nlabel = \"rel\"\nsubject = {subject}\nobject = {}\n\
             excludes = [\"rel_{i}\"]\nexcludes_scope = {}\n\n",
            list(&object_kinds),
            or_bad(scope),
        ));
    }
    for (i, value_type) in objects
        .iter()
        .filter(|o| !object_kinds.contains(o))
        .enumerate()
    {
        text.push_str(&format!(
            "[[predicate]]\nid = \"val_{i}\"\nlabel = \"val\"\nsubject = [\"organisation\"]\nobject = {}\n\n",
            or_bad(value_type),
        ));
    }
    for (i, stance) in stances.iter().enumerate() {
        text.push_str(&format!(
            "[[claim]]\nsource = \"doc\"\nsubject = \"org-{i}\"\npredicate = \"rel_0\"\nobject = \"land\"\n\
             stance = {}\nquote = \"hello\"\n\n",
            or_bad(stance),
        ));
    }
    text
}

/// `check` accepts every value of every closed vocabulary the schema lists, and refuses a value
/// outside each of them, naming it.
#[test]
fn check_accepts_every_value_the_schema_lists_and_refuses_others() {
    let schema = committed_schema();
    let covered: BTreeSet<String> = [
        "claim.stance",
        "organisation.reliability",
        "organisation.type",
        "person.reliability",
        "group.reliability",
        "unit.reliability",
        "source.reliability",
        "predicate.excludes_scope",
        "predicate.object",
        "predicate.subject",
    ]
    .map(str::to_owned)
    .into();
    assert_eq!(
        enum_fields(&schema),
        covered,
        "a field with a vocabulary is missing from this test"
    );
    for kind in ["person", "group", "unit", "source"] {
        let (_, record) = record_schemas(&schema)
            .into_iter()
            .find(|(k, _)| k == kind)
            .unwrap();
        assert_eq!(
            record["properties"]["reliability"],
            record_schemas(&schema)
                .into_iter()
                .find(|(k, _)| k == "organisation")
                .unwrap()
                .1["properties"]["reliability"],
            "every reporter's `reliability` is the organisation's"
        );
    }

    let good = check_files(
        &[("data.toml", vocabulary_data(&schema, None))],
        &[("doc.txt", "hello")],
    );
    assert!(
        good.code == 0 && !good.stderr.contains("error["),
        "every listed value is accepted:\n{}",
        good.stderr
    );

    let bad = check_files(
        &[("data.toml", vocabulary_data(&schema, Some("maybe")))],
        &[("doc.txt", "hello")],
    );
    let refused = headlines(&bad, "invalid-value");
    for expected in [
        "`maybe` is not an organisation type",
        "reliability `maybe` is not an Admiralty grade",
        "`maybe` is not a scope of `excludes`",
        "`maybe` in `subject` is not a record kind",
        "`maybe` in `object` is not a record kind",
        "stance `maybe` is neither `affirms` nor `denies`",
    ] {
        assert!(
            refused.contains(expected),
            "`check` does not say {expected:?}:\n{}",
            bad.stderr
        );
    }
}

/// Runs Taplo from `.ci/node` in `dir`: `args[0]` is the subcommand, which takes the options.
fn run_taplo(dir: &Path, args: &[&str]) -> Run {
    let bin = root().join(".ci/node/node_modules/.bin/taplo");
    assert!(
        bin.exists(),
        "@taplo/cli is not installed in .ci/node/node_modules; run `bash .ci/run` once: it \
         installs Node.js and the packages of .ci/node/package.json"
    );
    Command::new(bin)
        .current_dir(dir)
        .arg(args[0])
        .args(["--colors", "never"])
        .args(&args[1..])
        .output()
        .expect("taplo runs: `bash .ci/run` installs Node.js")
        .into()
}

/// The `.toml` files under `data/`, counted as Taplo reports them found.
fn data_file_count(data: &Path) -> usize {
    walkdir::WalkDir::new(data)
        .into_iter()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "toml")
        })
        .count()
}

/// `taplo check` in the repository, with `.taplo.toml` mapping the data files to the schema,
/// finds every curated data file and accepts each.
#[test]
fn taplo_check_with_the_schema_accepts_every_curated_data_file() {
    let result = run_taplo(&root(), &["check"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    let found = format!(
        "found files total={}",
        data_file_count(&root().join("data"))
    );
    assert!(
        result.stderr.contains(&found),
        "{found}:\n{}",
        result.stderr
    );
}

/// A folder laid out as the repository is, with its `.taplo.toml`, the schema where that points,
/// and `claims` as a data file.
fn taplo_workspace(claims: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let schema: PathBuf = dir.path().join(PATH);
    fs::create_dir_all(schema.parent().unwrap()).unwrap();
    fs::copy(root().join(PATH), &schema).unwrap();
    fs::copy(root().join(".taplo.toml"), dir.path().join(".taplo.toml")).unwrap();
    fs::create_dir_all(dir.path().join("data/claims")).unwrap();
    fs::write(dir.path().join("data/claims/report.toml"), claims).unwrap();
    dir
}

const CLAIM: &str = "[[claim]]
source = \"report\"
subject = \"nk-deserters\"
predicate = \"fled_from\"
object = \"ukraine-front\"
quote = \"desertieren offenbar\"
";

/// A misspelt field in a data file is named by Taplo through `.taplo.toml` and the schema.
#[test]
fn taplo_check_names_a_misspelt_field() {
    let clean = taplo_workspace(CLAIM);
    let result = run_taplo(clean.path(), &["check"]);
    assert_eq!(
        result.code, 0,
        "the claim itself is valid:\n{}",
        result.stderr
    );

    let dir = taplo_workspace(&format!("{CLAIM}stnace = \"denies\"\n"));
    let result = run_taplo(dir.path(), &["check"]);
    assert_ne!(result.code, 0, "{}", result.stderr);
    assert!(
        result
            .stderr
            .contains("Additional properties are not allowed ('stnace' was unexpected)"),
        "{}",
        result.stderr
    );
    assert!(
        result.stderr.contains("data/claims/report.toml"),
        "{}",
        result.stderr
    );
}

/// A value outside a field's vocabulary is named by Taplo, with the values it may be.
#[test]
fn taplo_check_names_a_value_outside_the_vocabulary() {
    let dir = taplo_workspace(&format!("{CLAIM}stance = \"maybe\"\n"));
    let result = run_taplo(dir.path(), &["check"]);
    assert_ne!(result.code, 0, "{}", result.stderr);
    assert!(
        result
            .stderr
            .contains(r#""maybe" is not one of ["affirms","denies"]"#),
        "{}",
        result.stderr
    );
    assert!(
        result.stderr.contains("report.toml:7:10"),
        "{}",
        result.stderr
    );
}

/// `taplo fmt`, with the options of `.taplo.toml`, leaves the curated data files as they are.
#[test]
fn the_data_files_are_taplo_fmt_clean() {
    let result = run_taplo(&root(), &["fmt", "--check"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    let found = format!(
        "found files total={}",
        data_file_count(&root().join("data"))
    );
    assert!(
        result.stderr.contains(&found),
        "{found}:\n{}",
        result.stderr
    );
}

/// A data folder outside the repository gets the schema from a `#:schema` line at the top of
/// each file, as the README says, without a `.taplo.toml`.
#[test]
fn a_schema_line_in_a_data_file_maps_it_to_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        root().join(PATH),
        dir.path().join("claimgraph-data.schema.json"),
    )
    .unwrap();
    fs::create_dir(dir.path().join("data")).unwrap();
    fs::write(
        dir.path().join("data/report.toml"),
        format!("#:schema ../claimgraph-data.schema.json\n{CLAIM}stnace = \"denies\"\n"),
    )
    .unwrap();
    let result = run_taplo(
        dir.path(),
        &["check", "--no-auto-config", "data/report.toml"],
    );
    assert_ne!(result.code, 0, "{}", result.stderr);
    assert!(
        result
            .stderr
            .contains("Additional properties are not allowed ('stnace' was unexpected)"),
        "{}",
        result.stderr
    );
}
