//! Diagnostics: what went wrong, where (file, line, column), the offending value and a hint,
//! rendered for people with annotate-snippets.

use std::fmt;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// Index of a file in [`Files`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A byte range in one loaded file. Kept small (data files are limited to 256 MiB, so offsets
/// fit 32 bits): a million records carry a dozen each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub file: FileId,
    start: u32,
    end: u32,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Span {
        let offset = |at: usize| u32::try_from(at).expect("data files are smaller than 4 GiB");
        Span {
            file,
            start: offset(range.start),
            end: offset(range.end),
        }
    }

    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A file whose text diagnostics can point into.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user should see it, e.g. `data/people.toml`; shared by the records'
    /// origins.
    pub path: std::sync::Arc<str>,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: String, text: String) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// One-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self.text[start..]
            .char_indices()
            .take_while(|(i, _)| start + i < offset)
            .count();
        (line + 1, col + 1)
    }
}

/// Every file that diagnostics may point into, in load order.
#[derive(Debug, Default)]
pub struct Files {
    files: Vec<SourceFile>,
}

impl Files {
    pub fn add(&mut self, path: String, text: String) -> FileId {
        self.files.push(SourceFile::new(path, text));
        FileId(u32::try_from(self.files.len() - 1).expect("fewer than 2^32 files"))
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// `(path, line, column)` of a span's start.
    pub fn position(&self, span: &Span) -> (&std::sync::Arc<str>, usize, usize) {
        let file = self.get(span.file);
        let (line, col) = file.line_col(span.range().start);
        (&file.path, line, col)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// What kind of problem a diagnostic reports; stable names that tests and scripts can rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Code {
    Syntax,
    UnknownField,
    MissingField,
    WrongType,
    InvalidId,
    DuplicateId,
    UnknownReference,
    WrongKind,
    PredicateDomain,
    PredicateRange,
    ObjectOrValue,
    InvalidValue,
    InvalidDate,
    ForbiddenCharacter,
    UnsafePath,
    UnreadableFile,
    QuoteNotFound,
    UnusedDocument,
    CitingLoop,
    PartOfCycle,
    AmbiguousName,
    AmbiguousQuote,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Syntax => "syntax",
            Code::UnknownField => "unknown-field",
            Code::MissingField => "missing-field",
            Code::WrongType => "wrong-type",
            Code::InvalidId => "invalid-id",
            Code::DuplicateId => "duplicate-id",
            Code::UnknownReference => "unknown-reference",
            Code::WrongKind => "wrong-kind",
            Code::PredicateDomain => "predicate-domain",
            Code::PredicateRange => "predicate-range",
            Code::ObjectOrValue => "object-or-value",
            Code::InvalidValue => "invalid-value",
            Code::InvalidDate => "invalid-date",
            Code::ForbiddenCharacter => "forbidden-character",
            Code::UnsafePath => "unsafe-path",
            Code::UnreadableFile => "unreadable-file",
            Code::QuoteNotFound => "quote-not-found",
            Code::UnusedDocument => "unused-document",
            Code::CitingLoop => "citing-loop",
            Code::PartOfCycle => "part-of-cycle",
            Code::AmbiguousName => "ambiguous-name",
            Code::AmbiguousQuote => "ambiguous-quote",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a diagnostic points: a span in a loaded file, or a whole file that could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Span(Span),
    Path(String),
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub location: Location,
    /// The headline, naming the offending value.
    pub message: String,
    /// A short label under the offending text.
    pub label: Option<String>,
    /// Secondary places, e.g. where a duplicate id was first defined.
    pub related: Vec<(Span, String)>,
    /// What to do about it ("did you mean `northern-unit`?").
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            location: Location::Span(span),
            message: message.into(),
            label: None,
            related: Vec::new(),
            hint: None,
        }
    }

    pub fn file_error(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            location: Location::Path(path.into()),
            ..Diagnostic::error(code, Span::new(FileId(0), 0..0), message)
        }
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// A hint for a value that is not one of `choices`: the closest choice, else them all
    /// after `noun` ("kinds: person, organisation, …").
    pub fn with_choice_hint<'a>(
        self,
        wanted: &str,
        choices: impl IntoIterator<Item = &'a str> + Clone,
        noun: &str,
    ) -> Self {
        match closest(wanted, choices.clone()) {
            Some(s) => self.with_hint(format!("did you mean `{s}`?")),
            None => {
                let all: Vec<&str> = choices.into_iter().collect();
                self.with_hint(format!("{noun}: {}", all.join(", ")))
            }
        }
    }

    pub fn with_related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push((span, label.into()));
        self
    }

    /// `(path, line, column)` for sorting and for one-line summaries.
    pub fn position<'a>(&'a self, files: &'a Files) -> (&'a str, usize, usize) {
        match &self.location {
            Location::Span(span) => {
                let (path, line, column) = files.position(span);
                (path, line, column)
            }
            Location::Path(path) => (path, 0, 0),
        }
    }

    /// Renders the diagnostic with the offending source line, for a terminal or a log.
    pub fn render(&self, files: &Files, styled: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let mut group = Group::with_title(
            level
                .primary_title(self.message.as_str())
                .id(self.code.as_str()),
        );
        match &self.location {
            Location::Span(span) => {
                let file = files.get(span.file);
                let mut snippet = Snippet::source(file.text.as_str())
                    .path(&*file.path)
                    .fold(true)
                    .annotation(
                        AnnotationKind::Primary
                            .span(span.range())
                            .label(self.label.as_deref()),
                    );
                let mut others = Vec::new();
                for (related, label) in &self.related {
                    if related.file == span.file {
                        snippet = snippet.annotation(
                            AnnotationKind::Context
                                .span(related.range())
                                .label(label.as_str()),
                        );
                    } else {
                        others.push((related, label));
                    }
                }
                group = group.element(snippet);
                for (related, label) in others {
                    let file = files.get(related.file);
                    group = group.element(
                        Snippet::source(file.text.as_str())
                            .path(&*file.path)
                            .fold(true)
                            .annotation(
                                AnnotationKind::Context
                                    .span(related.range())
                                    .label(label.as_str()),
                            ),
                    );
                }
            }
            Location::Path(path) => {
                group = group.element(annotate_snippets::Origin::path(path.as_str()));
            }
        }
        if let Some(hint) = &self.hint {
            group = group.element(Level::HELP.message(hint.as_str()));
        }
        let report: [Group<'_>; 1] = [group];
        let renderer = if styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&report).to_string()
    }
}

/// Diagnostics collected by one stage; stages add to it and never stop at the first problem.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The diagnostics ordered by file, line and column, then by code, as people read them.
    pub fn sorted(mut self, files: &Files) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            let (pa, la, ca) = a.position(files);
            let (pb, lb, cb) = b.position(files);
            (pa, la, ca, a.code, &a.message).cmp(&(pb, lb, cb, b.code, &b.message))
        });
        self.items
    }
}

/// Suggests the candidate closest to `wanted`, for "did you mean …?" hints.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(wanted, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let file = SourceFile::new("x".into(), "ab\nč = 1\n".into());
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(3), (2, 1));
        // `=` is after a two-byte character: column 3, not 4.
        assert_eq!(file.line_col(6), (2, 3));
    }

    #[test]
    fn closest_suggests_near_ids_only() {
        let ids = ["northern-unit", "southern-unit", "russia"];
        assert_eq!(closest("northen-unit", ids), Some("northern-unit"));
        assert_eq!(closest("zzzz", ids), None);
    }
}
