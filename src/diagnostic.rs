//! Diagnostics: what went wrong, where (file, line, column), the offending value and a hint,
//! rendered for people with annotate-snippets.

use std::fmt;
use std::ops::Range;

use annotate_snippets::{Annotation, AnnotationKind, Group, Level, Renderer, Snippet};

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
    /// The byte offset at which each line starts; made once, so that finding the line of a
    /// diagnostic costs a binary search, not a pass over the file.
    line_starts: Vec<usize>,
    /// Whether the text is ASCII, where a column is a byte difference.
    ascii: bool,
}

impl SourceFile {
    pub fn new(path: String, text: String) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            path: path.into(),
            ascii: text.is_ascii(),
            text,
            line_starts,
        }
    }

    /// Zero-based index of the line holding a byte offset.
    fn line_index(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= offset.min(self.text.len()))
            - 1
    }

    /// One-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_index(offset);
        let start = self.line_starts[line];
        let col = if self.ascii {
            offset - start
        } else {
            self.text[start..offset].chars().count()
        };
        (line + 1, col + 1)
    }

    /// The whole lines holding `ranges`: their byte range and the one-based number of the
    /// first, or `None` when they are longer than [`MAX_EXCERPT_BYTES`] together.
    fn excerpt(&self, ranges: &[Range<usize>]) -> Option<(Range<usize>, usize)> {
        let first = ranges.iter().map(|r| r.start).min()?;
        let last = ranges.iter().map(|r| r.end.max(r.start)).max()?;
        let first_line = self.line_index(first);
        let start = self.line_starts[first_line];
        let last_line = self.line_index(last);
        let line_end = self
            .line_starts
            .get(last_line + 1)
            .map_or(self.text.len(), |&next| next - 1);
        // A long last line is cut a little after the marks: the renderer shows a line only as
        // wide as a terminal anyway. Its start stays, so the column shown stays true.
        let mut end = line_end.min(last.saturating_add(EXCERPT_TAIL_BYTES));
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let end = end.max(last.min(self.text.len()));
        (end - start <= MAX_EXCERPT_BYTES).then_some((start..end, first_line + 1))
    }
}

/// The most source text one diagnostic hands the renderer; a place further than this into a
/// line (say, in an array of thousands of aliases written on one line) is shown by its path,
/// line and column alone, so that the cost and the size of a diagnostic do not grow with its
/// file.
pub const MAX_EXCERPT_BYTES: usize = 4096;
/// How much of a line after the last mark an excerpt keeps.
const EXCERPT_TAIL_BYTES: usize = 256;

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

/// Declares [`Code`], each code's stable name and summary and [`Code::ALL`] from one list, so that no code
/// can be left out of `ALL` (the tests check that every code in it has a fixture).
macro_rules! codes {
    ($($code:ident = $name:literal: $summary:literal,)*) => {
        /// What kind of problem a diagnostic reports; stable names that tests and scripts can
        /// rely on.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        pub enum Code {
            $($code,)*
        }

        impl Code {
            /// Every code, in the order declared.
            pub const ALL: &[Code] = &[$(Code::$code,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => $name,)*
                }
            }

            /// What the code means, in one sentence (a rule's description in SARIF).
            pub fn summary(self) -> &'static str {
                match self {
                    $(Code::$code => $summary,)*
                }
            }
        }
    };
}

codes! {
    Syntax = "syntax": "The file is not valid TOML",
    UnknownField = "unknown-field": "A record has a field, or a file a record kind, that claimgraph does not know",
    MissingField = "missing-field": "A record lacks a field its kind requires",
    WrongType = "wrong-type": "A field holds a value of the wrong type",
    InvalidId = "invalid-id": "An id is not 1 to 64 lowercase ASCII letters, digits and hyphens (underscores in predicate ids)",
    DuplicateId = "duplicate-id": "Two records share one id",
    UnknownReference = "unknown-reference": "A reference field names an id that no record has",
    WrongKind = "wrong-kind": "A reference field names a record of a kind the field does not allow",
    PredicateDomain = "predicate-domain": "A claim's subject is of a kind its predicate does not allow",
    PredicateRange = "predicate-range": "A claim's object is of a kind its predicate does not allow",
    ObjectOrValue = "object-or-value": "A claim has both `object` and `value`, or the one its predicate does not take",
    InvalidValue = "invalid-value": "A field's value is not one of those allowed",
    InvalidDate = "invalid-date": "A date is malformed or impossible",
    ForbiddenCharacter = "forbidden-character": "Text holds a control, bidirectional or invisible character",
    UnsafePath = "unsafe-path": "A source's file leaves the seeds folder or is not a regular file",
    UnreadableFile = "unreadable-file": "A file could not be read (missing, too large, not UTF-8)",
    QuoteNotFound = "quote-not-found": "A claim's quote does not occur in its document",
    UnusedDocument = "unused-document": "A document in the seeds folder that no source points at",
    CitingLoop = "citing-loop": "A citing chain goes in a circle or cites the reporter itself",
    PartOfCycle = "part-of-cycle": "An entity is part of itself through `part_of`",
    AmbiguousName = "ambiguous-name": "Names or aliases of two entities read the same",
    AmbiguousQuote = "ambiguous-quote": "A quote occurs more than once in its document",
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

    /// `(path, line, column)` for one-line summaries.
    pub fn position<'a>(&'a self, files: &'a Files) -> (&'a str, usize, usize) {
        match &self.location {
            Location::Span(span) => {
                let (path, line, column) = files.position(span);
                (path, line, column)
            }
            Location::Path(path) => (path, 0, 0),
        }
    }

    /// The order people read diagnostics in: by path, then by place in the file (a whole file
    /// first). Within one file, byte order is line and column order.
    fn place<'a>(&'a self, files: &'a Files) -> (&'a str, usize) {
        match &self.location {
            Location::Span(span) => (&files.get(span.file).path, span.range().start + 1),
            Location::Path(path) => (path, 0),
        }
    }

    /// Renders the diagnostic with the offending source lines, for a terminal or a log. Only
    /// the lines it points at are handed to the renderer, so rendering costs the size of the
    /// diagnostic, not of its file.
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
                // Places in the same file are shown with the offending line when all fit in
                // one excerpt (and, on one line, sit near each other: the renderer would show
                // all that lies between them), else each apart, like places in other files.
                let (together, apart): (Vec<_>, Vec<_>) =
                    self.related.iter().partition(|(related, _)| {
                        related.file == span.file
                            && file.excerpt(&[span.range(), related.range()]).is_some()
                            && (file.line_index(related.range().start)
                                != file.line_index(span.range().start)
                                || related.range().start.abs_diff(span.range().start)
                                    <= EXCERPT_TAIL_BYTES)
                    });
                let mut marks =
                    vec![(AnnotationKind::Primary, span.range(), self.label.as_deref())];
                marks.extend(together.iter().map(|(related, label)| {
                    (
                        AnnotationKind::Context,
                        related.range(),
                        Some(label.as_str()),
                    )
                }));
                match snippet(file, &marks) {
                    Some(snippet) => group = group.element(snippet),
                    None => {
                        group = group.element(origin(files, span));
                        if let Some(label) = &self.label {
                            group = group.element(Level::NOTE.message(label.as_str()));
                        }
                    }
                }
                for (related, label) in apart {
                    let file = files.get(related.file);
                    let mark = (
                        AnnotationKind::Context,
                        related.range(),
                        Some(label.as_str()),
                    );
                    group = match snippet(file, &[mark]) {
                        Some(snippet) => group.element(snippet),
                        None => group.element(origin(files, related)),
                    };
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

/// A place to mark in a snippet: how, where in the file, and its label.
type Mark<'a> = (AnnotationKind, Range<usize>, Option<&'a str>);

/// The lines of `file` that hold `marks`, with the marks, or `None` when they are longer than
/// [`MAX_EXCERPT_BYTES`].
fn snippet<'a>(file: &'a SourceFile, marks: &[Mark<'a>]) -> Option<Snippet<'a, Annotation<'a>>> {
    let ranges: Vec<Range<usize>> = marks.iter().map(|(_, range, _)| range.clone()).collect();
    let (lines, first_line) = file.excerpt(&ranges)?;
    let shift = |at: usize| at.clamp(lines.start, lines.end) - lines.start;
    Some(
        Snippet::source(&file.text[lines.clone()])
            .path(&*file.path)
            .line_start(first_line)
            .fold(true)
            .annotations(marks.iter().map(|(kind, range, label)| {
                kind.span(shift(range.start)..shift(range.end))
                    .label(*label)
            })),
    )
}

/// A place shown by path, line and column alone.
fn origin<'a>(files: &'a Files, span: &Span) -> annotate_snippets::Origin<'a> {
    let (path, line, column) = files.position(span);
    annotate_snippets::Origin::path(&**path)
        .line(line)
        .char_column(column)
}

/// Diagnostics collected by one stage; stages add to it and never stop at the first problem.
#[derive(Debug, Default, Clone)]
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
            (a.place(files), a.code, &a.message).cmp(&(b.place(files), b.code, &b.message))
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

    fn render_at(text: String, span: Range<usize>, related: Option<Range<usize>>) -> String {
        let mut files = Files::default();
        let file = files.add("x.toml".into(), text);
        let mut d =
            Diagnostic::error(Code::InvalidValue, Span::new(file, span), "bad").with_label("this");
        if let Some(related) = related {
            d = d.with_related(Span::new(file, related), "that");
        }
        d.render(&files, false)
    }

    #[test]
    fn rendering_shows_only_the_lines_it_points_at() {
        let text: String = (1..=10_000).map(|n| format!("n = {n}\n")).collect();
        let line = |n: usize| text.match_indices('\n').nth(n - 2).unwrap().0 + 1;
        let at = line(9_000) + 4;
        let out = render_at(text.clone(), at..at + 4, Some(line(2) + 4..line(2) + 5));
        assert!(out.contains("--> x.toml:9000:5"), "{out}");
        assert!(out.contains("9000 | n = 9000"), "{out}");
        assert!(out.contains("::: x.toml:2:5"), "{out}");
        assert!(out.contains("2 | n = 2"), "{out}");
        assert!(out.len() < 1_000, "{out}");
        // Near places share one snippet.
        let out = render_at(
            text.clone(),
            at..at + 4,
            Some(line(9_001) + 4..line(9_001) + 8),
        );
        assert!(!out.contains(":::"), "{out}");
        assert!(out.contains("9001 | n = 9001"), "{out}");
    }

    #[test]
    fn a_place_far_into_a_long_line_is_shown_by_its_position() {
        let text = format!("aliases = [{}]\n", "\"a\", ".repeat(20_000));
        let out = render_at(text.clone(), 50_000..50_003, Some(11..14));
        assert!(out.contains("--> x.toml:1:50001"), "{out}");
        assert!(out.contains("= note: this"), "{out}");
        assert!(out.contains("::: x.toml:1:12"), "{out}");
        assert!(out.len() < 1_000, "{}", out.len());
        // Near the start of the line, the line is shown, cut.
        let out = render_at(text, 11..14, None);
        assert!(out.contains("--> x.toml:1:12"), "{out}");
        assert!(out.contains("1 | aliases = [\"a\""), "{out}");
        assert!(out.len() < 1_000, "{}", out.len());
    }

    #[test]
    fn closest_suggests_near_ids_only() {
        let ids = ["northern-unit", "southern-unit", "russia"];
        assert_eq!(closest("northen-unit", ids), Some("northern-unit"));
        assert_eq!(closest("zzzz", ids), None);
    }
}
