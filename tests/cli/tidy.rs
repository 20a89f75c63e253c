//! Tidiness the compiler cannot check: every source file says what it is, and the lists of
//! entity kinds outside Rust (the schema's CHECK, the JSON Schema of the `json` export) are
//! the one list in `EntityKind`.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use claimgraph::model::EntityKind;

use crate::root;

/// Every `.rs` file under `folder`, recursively, in path order.
fn rust_files(folder: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![folder.to_owned()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// A newcomer reads the first line of a file to know what it is for: each source file opens
/// with a `//!` module comment.
#[test]
fn every_source_file_opens_with_a_module_comment() {
    let mut files = Vec::new();
    for folder in ["src", "tests/cli", "examples"] {
        files.extend(rust_files(&root().join(folder)));
    }
    assert!(files.len() > 40, "found only {} files", files.len());
    let missing: Vec<String> = files
        .iter()
        .filter(|path| {
            let text = fs::read_to_string(path).unwrap();
            let first = text.lines().next().unwrap_or("");
            // The comment says something: more than the marker.
            !(first.starts_with("//! ") && first.len() > 12)
        })
        .map(|path| path.strip_prefix(root()).unwrap().display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "these files do not open with a `//!` line saying what they are: {missing:?}"
    );
}

fn entity_kinds() -> Vec<&'static str> {
    EntityKind::ALL.iter().map(|kind| kind.as_str()).collect()
}

/// The schema's CHECK on `entities.kind` lists exactly the kinds of `EntityKind`, in its order.
#[test]
fn the_schema_checks_entity_kinds_against_the_one_list() {
    let schema = fs::read_to_string(root().join("schema.sql")).unwrap();
    let line = schema
        .lines()
        .find(|line| line.trim_start().starts_with("kind ") && line.contains("CHECK"))
        .expect("entities.kind has a CHECK");
    let listed = line
        .split_once("IN (")
        .and_then(|(_, rest)| rest.split_once(')'))
        .expect("CHECK (kind IN (…))")
        .0;
    let listed: Vec<&str> = listed
        .split(',')
        .map(|kind| kind.trim().trim_matches('\''))
        .collect();
    assert_eq!(listed, entity_kinds());
}

/// The JSON Schema of the `json` export names a node's kind from the same list, plus `claim`.
#[test]
fn the_json_schema_names_the_entity_kinds_of_the_one_list() {
    let text =
        fs::read_to_string(root().join("exports/schema/claimgraph-graph.schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut enums = Vec::new();
    collect_enums(&schema, &mut enums);
    let mut expected: Vec<String> = entity_kinds().into_iter().map(String::from).collect();
    expected.push("claim".into());
    assert!(
        enums.contains(&expected),
        "no enum of the schema lists {expected:?}; its enums: {enums:?}"
    );
    // And no other enum of the schema lists entity kinds that the list lacks or misses.
    for listed in &enums {
        if listed.iter().any(|kind| kind == "person") {
            assert_eq!(listed, &expected);
        }
    }
}

/// The JSON Schema names the curated scalar fields of a node one by one (it allows no others),
/// so a field added to a record kind must be added to it too.
#[test]
fn the_json_schema_names_every_curated_scalar_field() {
    use claimgraph::load::records::{FieldSpec, kind_fields};

    let text =
        fs::read_to_string(root().join("exports/schema/claimgraph-graph.schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let in_schema: BTreeSet<&str> = schema["$defs"]["node"]["properties"]["fields"]["properties"]
        .as_object()
        .expect("the node's `fields` lists its properties")
        .keys()
        .map(String::as_str)
        .collect();
    let curated: BTreeSet<&str> = EntityKind::ALL
        .into_iter()
        .flat_map(kind_fields)
        .filter_map(|spec| match spec {
            FieldSpec::Scalar(name, _) => Some(*name),
            FieldSpec::Ref(_) => None,
        })
        .collect();
    assert_eq!(in_schema, curated);
}

fn collect_enums(value: &serde_json::Value, out: &mut Vec<Vec<String>>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                if key == "enum" {
                    if let Some(items) = inner.as_array() {
                        out.push(
                            items
                                .iter()
                                .filter_map(|item| item.as_str().map(String::from))
                                .collect(),
                        );
                    }
                } else {
                    collect_enums(inner, out);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|item| collect_enums(item, out)),
        _ => {}
    }
}

/// `check` names every record kind when a data file uses an unknown one: the hint comes from
/// the same list.
#[test]
fn an_unknown_record_kind_is_told_every_kind() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("data")).unwrap();
    fs::create_dir_all(dir.path().join("seeds")).unwrap();
    fs::write(
        dir.path().join("data/x.toml"),
        "[[spaceship]]\nid = \"a\"\nname = \"A\"\n",
    )
    .unwrap();
    let result = crate::run(dir.path(), &["check"]);
    assert_eq!(result.code, 1, "{}", result.stderr);
    let mut kinds = entity_kinds().join(", ");
    kinds.push_str(", predicate, claim");
    assert!(
        result.stderr.contains(&format!("record kinds: {kinds}")),
        "{}",
        result.stderr
    );
}

/// The top-level modules of `src/` that each module's code names (`crate::store::…`), outside
/// comments and test code (a `#[cfg(test)]` section to the end of its file, and the test-only
/// files `tests.rs` and `testing.rs`).
fn module_uses() -> std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>> {
    let mut uses: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>> =
        Default::default();
    let src = root().join("src");
    for path in rust_files(&src) {
        let relative = path.strip_prefix(&src).unwrap();
        let top = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        let stem = path.file_stem().unwrap().to_string_lossy();
        if top == "main" || top == "lib" || stem == "tests" || stem == "testing" {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap();
        for line in code.lines() {
            let line = line.trim_start();
            if line.starts_with("//") {
                continue;
            }
            for (at, _) in line.match_indices("crate::") {
                let name: String = line[at + "crate::".len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                // The scan reads one module name after `crate::`; a grouped `use crate::{a, b}`
                // would hide what it names, so it is refused here rather than skipped.
                assert!(
                    !name.is_empty(),
                    "{}: write `use crate::module::…` once per module, not `use crate::{{…}}`, \
                     so that this test sees what the file uses",
                    relative.display()
                );
                if name != top {
                    uses.entry(top.clone())
                        .or_default()
                        .entry(name)
                        .or_insert_with(|| relative.display().to_string());
                }
            }
        }
    }
    uses
}

/// The modules form layers: no two modules name each other (`store` reads `graph`'s types and
/// `graph` never reads `store`, `view` is made from `store`'s snapshot and `store` knows no
/// view, …), so each can be read, and changed, knowing only those below it.
#[test]
fn no_two_modules_import_each_other() {
    let uses = module_uses();
    assert!(
        uses.get("view").is_some_and(|u| u.contains_key("store")),
        "the scan finds what modules use: {uses:?}"
    );
    let mut pairs = Vec::new();
    for (a, named) in &uses {
        for (b, where_a) in named {
            if let Some(where_b) = uses.get(b).and_then(|u| u.get(a))
                && a < b
            {
                pairs.push(format!("{a} ({where_a}) and {b} ({where_b})"));
            }
        }
    }
    assert!(
        pairs.is_empty(),
        "modules that import each other: {pairs:?}"
    );
}
