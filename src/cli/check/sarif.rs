//! `check --format sarif`: the diagnostics as a SARIF 2.1.0 log for code-scanning tools, with
//! wire types of their own. One run; one rule per diagnostic code, every code listed whether
//! or not it occurs, so that rule indices stay the same from run to run.
//!
//! Regions count columns in Unicode characters (`columnKind` `unicodeCodePoints`), lines and
//! columns from 1, ends exclusive as SARIF has them, with byte offsets beside. A relative path
//! becomes a relative URI under the base id [`SRCROOT`], the folder claimgraph ran in; an
//! absolute one a `file:` URI.

use std::path::{Component, Path};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use super::json::{self, Range};
use crate::diagnostic::{Code, Diagnostic, Files};

/// The URI base id relative paths hang from: the folder claimgraph ran in, which a consumer
/// knows (a code-scanning upload takes it as the checkout).
pub const SRCROOT: &str = "%SRCROOT%";

/// The schema a SARIF 2.1.0 log names.
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Characters kept as they are in a path segment: RFC 3986's unreserved ones.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

#[derive(Debug, Serialize)]
pub struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Debug, Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Rule>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    short_description: Message<'static>,
}

#[derive(Debug, Serialize)]
struct Message<'a> {
    text: std::borrow::Cow<'a, str>,
}

impl<'a> Message<'a> {
    fn new(text: impl Into<std::borrow::Cow<'a, str>>) -> Message<'a> {
        Message { text: text.into() }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Message<'a>,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message<'a>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    byte_offset: usize,
    byte_length: usize,
}

impl From<Range> for Region {
    fn from(range: Range) -> Region {
        Region {
            start_line: range.start.line,
            start_column: range.start.column,
            end_line: range.end.line,
            end_column: range.end.column,
            byte_offset: range.start.offset,
            byte_length: range.end.offset - range.start.offset,
        }
    }
}

/// The log of sorted diagnostics over `files`.
pub fn log<'a>(files: &'a Files, diagnostics: &'a [Diagnostic]) -> Log<'a> {
    let version = env!("CARGO_PKG_VERSION");
    let rules = Code::ALL
        .iter()
        .map(|code| Rule {
            id: code.as_str(),
            short_description: Message::new(code.summary()),
        })
        .collect();
    let results = diagnostics
        .iter()
        .map(|d| {
            let (file, range) = json::location(files, &d.location);
            let message = match &d.hint {
                Some(hint) => Message::new(format!("{}\nhelp: {hint}", d.message)),
                None => Message::new(d.message.as_str()),
            };
            SarifResult {
                rule_id: d.code.as_str(),
                rule_index: Code::ALL
                    .iter()
                    .position(|c| *c == d.code)
                    .expect("every code is in Code::ALL"),
                // SARIF's levels for these have the same names.
                level: json::severity(d.severity),
                message,
                locations: [Location {
                    id: None,
                    physical_location: physical(file, range),
                    message: d.label.as_deref().map(Message::new),
                }],
                related_locations: d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(id, (span, label))| {
                        let (file, range) = json::place(files, span);
                        Location {
                            id: Some(id),
                            physical_location: physical(file, Some(range)),
                            message: Some(Message::new(label.as_str())),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "claimgraph",
                    version,
                    semantic_version: version,
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    }
}

fn physical(file: &str, range: Option<Range>) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: artifact(file),
        region: range.map(Region::from),
    }
}

/// A path as a URI: relative under [`SRCROOT`], or absolute as a `file:` URI.
fn artifact(path: &str) -> ArtifactLocation {
    let path = Path::new(path);
    if path.is_absolute()
        && let Ok(url) = url::Url::from_file_path(path)
    {
        return ArtifactLocation {
            uri: url.to_string(),
            uri_base_id: None,
        };
    }
    let segments: Vec<String> = path
        .components()
        .filter_map(|component| match component {
            Component::Normal(name) => {
                Some(utf8_percent_encode(&name.to_string_lossy(), SEGMENT).to_string())
            }
            Component::ParentDir => Some("..".to_owned()),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => None,
        })
        .collect();
    ArtifactLocation {
        uri: segments.join("/"),
        uri_base_id: Some(SRCROOT),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uris() {
        let relative = artifact("data/claims 2/č.toml");
        assert_eq!(relative.uri, "data/claims%202/%C4%8D.toml");
        assert_eq!(relative.uri_base_id, Some(SRCROOT));
        assert_eq!(artifact("../../seeds/a.txt").uri, "../../seeds/a.txt");
        let absolute = artifact("/srv/data/a b.toml");
        assert_eq!(absolute.uri, "file:///srv/data/a%20b.toml");
        assert_eq!(absolute.uri_base_id, None);
    }
}
