//! `check --format json`: the diagnostics as one JSON object for editors and scripts, with
//! wire types of their own, apart from [`crate::diagnostic`].
//!
//! Places are given three ways: lines and columns from 1 (columns count Unicode characters,
//! as the human format does), and byte offsets from 0 into the file's UTF-8 text. Ends are
//! exclusive: the end is the character after the last one marked.

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Files, Location, Severity, Span};

/// What `check --format json` prints.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    /// Every diagnostic, sorted as the human format sorts them (by file, then place).
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
    pub summary: Summary,
}

/// How many of each severity, and how many data files were read.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub files: usize,
}

#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    /// The stable kebab-case code (`unknown-reference`).
    pub code: &'static str,
    /// `error` or `warning`.
    pub severity: &'static str,
    /// The path as the human format shows it.
    pub file: &'a str,
    /// `null` when the diagnostic is about a whole file (one that could not be read, say).
    pub range: Option<Range>,
    pub message: &'a str,
    /// The short label under the offending text, if any.
    pub label: Option<&'a str>,
    /// What to do about it, if claimgraph knows (`did you mean ...?`, the closest passage).
    pub hint: Option<&'a str>,
    /// Secondary places, e.g. where a duplicate id was first defined.
    pub related: Vec<Related<'a>>,
}

#[derive(Debug, Serialize)]
pub struct Related<'a> {
    pub file: &'a str,
    pub range: Range,
    pub message: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Range {
    pub start: Position,
    pub end: Position,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    /// From 1.
    pub line: usize,
    /// From 1, in Unicode characters.
    pub column: usize,
    /// From 0, in bytes.
    pub offset: usize,
}

/// The name of a severity on the wire.
pub fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The file and range of a span.
pub fn place<'a>(files: &'a Files, span: &Span) -> (&'a str, Range) {
    let file = files.get(span.file);
    let at = |offset: usize| {
        let offset = offset.min(file.text.len());
        let (line, column) = file.line_col(offset);
        Position {
            line,
            column,
            offset,
        }
    };
    let range = span.range();
    (
        &file.path,
        Range {
            start: at(range.start),
            end: at(range.end.max(range.start)),
        },
    )
}

/// The file and range of where a diagnostic points; no range for a whole file.
pub fn location<'a>(files: &'a Files, location: &'a Location) -> (&'a str, Option<Range>) {
    match location {
        Location::Span(span) => {
            let (file, range) = place(files, span);
            (file, Some(range))
        }
        Location::Path(path) => (path, None),
    }
}

/// The report of sorted diagnostics over `files`.
pub fn report<'a>(files: &'a Files, diagnostics: &'a [Diagnostic]) -> Report<'a> {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    Report {
        diagnostics: diagnostics
            .iter()
            .map(|d| {
                let (file, range) = location(files, &d.location);
                JsonDiagnostic {
                    code: d.code.as_str(),
                    severity: severity(d.severity),
                    file,
                    range,
                    message: &d.message,
                    label: d.label.as_deref(),
                    hint: d.hint.as_deref(),
                    related: d
                        .related
                        .iter()
                        .map(|(span, message)| {
                            let (file, range) = place(files, span);
                            Related {
                                file,
                                range,
                                message,
                            }
                        })
                        .collect(),
                }
            })
            .collect(),
        summary: Summary {
            errors,
            warnings: diagnostics.len() - errors,
            files: files.len(),
        },
    }
}
