//! The rules' unit tests' `check(toml, expect)`: a few lines of TOML in, beside a small clean
//! world and its one document, and every diagnostic the checker reports out, one a line.

use crate::diagnostic::{Diagnostics, Files, Location, Severity};
use crate::load::records::{RawFieldValue, parse_file};
use crate::load::{Data, LoadedDocument};
use crate::model::EntityKind;

/// Records the cases can name: a country, an organisation, a unit, the source `report` and
/// three predicates (text, entity and number objects). Checked alone, it reports nothing.
pub const WORLD: &str = r#"
[[country]]
id = "ruritania"
name = "Ruritania"

[[organisation]]
id = "ministry"
name = "Ministry of Defence"
type = "government"
country = "ruritania"

[[unit]]
id = "northern-unit"
name = "Northern Unit"
country = "ruritania"

[[source]]
id = "report"
file = "report.txt"
title = "Report"

[[predicate]]
id = "lost_soldiers"
label = "lost soldiers"
subject = ["unit"]
object = "text"

[[predicate]]
id = "commanded_by"
label = "commanded by"
subject = ["unit"]
object = ["organisation"]

[[predicate]]
id = "soldier_count"
label = "soldier count"
subject = ["unit"]
object = "number"
"#;

/// The document of every source, whatever its `file`.
pub const DOCUMENT: &str = "Report

The Ministry said the Northern Unit lost several hundred soldiers.
The Ministry said so again.
";

/// Checks `toml` (the file `case.toml`; a first empty line is dropped, so that a case can start
/// on the line after `r#"`) beside [`WORLD`] and asserts that what is reported is `expect`:
/// one `severity[code] line:column message` a line, in the order `check` prints them, places in
/// the world as `world.toml:line:column`. Indentation and blank lines of `expect` are ignored.
#[track_caller]
pub fn check(toml: &str, expect: &str) {
    let toml = toml.strip_prefix('\n').unwrap_or(toml);
    let mut data = Data::default();
    let mut diagnostics = Diagnostics::default();
    for (path, text) in [("case.toml", toml), ("world.toml", WORLD)] {
        let file = data.files.add(path.to_owned(), text.to_owned());
        parse_file(file, text, &mut data.records, &mut diagnostics);
    }
    let documents = data
        .records
        .entities
        .iter()
        .enumerate()
        .filter(|(_, raw)| raw.kind == EntityKind::Source)
        .filter_map(|(entity, raw)| match &raw.field("file")?.value {
            RawFieldValue::Text(file) => Some(LoadedDocument {
                entity,
                file: file.clone(),
                text: DOCUMENT.to_owned(),
                sha256: String::new(),
            }),
            RawFieldValue::Number(_) => None,
        })
        .collect();
    super::resolve(&mut data, documents, &mut diagnostics);
    let actual: Vec<String> = diagnostics
        .sorted(&data.files)
        .iter()
        .map(|d| format!("{} {}", heading(d), place(d, &data.files)) + " " + &d.message)
        .collect();
    let expected: Vec<&str> = expect
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        actual,
        expected,
        "reported on:\n{toml}\n---\n{}",
        actual.join("\n")
    );
}

/// `error[invalid-value]`, as the renderer heads a diagnostic.
fn heading(d: &crate::diagnostic::Diagnostic) -> String {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    format!("{severity}[{}]", d.code)
}

/// `3:7` in the case, `world.toml:3:7` elsewhere.
fn place(d: &crate::diagnostic::Diagnostic, files: &Files) -> String {
    match &d.location {
        Location::Span(_) => {
            let (path, line, column) = d.position(files);
            match path {
                "case.toml" => format!("{line}:{column}"),
                _ => format!("{path}:{line}:{column}"),
            }
        }
        Location::Path(path) => path.clone(),
    }
}

#[test]
fn the_world_alone_checks_clean() {
    check("", "");
}
