//! What the server answers: diagnostics in the protocol's shape, completion of ids, values and
//! field names, hover, go to definition, references, the outline of a file, and the "did you
//! mean" quick fix.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types as lsp;

use super::index::{Definition, Occurrence, Outline, Record, Target};
use super::workspace::Analysis;
use crate::diagnostic::{Diagnostic, FileId, Location, Severity};
use crate::load::spec::{self, Names, Shape};
use crate::model::EntityKind;

/// The URI of a file path.
pub fn uri(path: &Path) -> Option<lsp::Uri> {
    let url = url::Url::from_file_path(path).ok()?;
    lsp::Uri::from_str(url.as_str()).ok()
}

/// The file path of a `file:` URI.
pub fn path(uri: &lsp::Uri) -> Option<PathBuf> {
    url::Url::parse(uri.as_str()).ok()?.to_file_path().ok()
}

/// Every diagnostic of the analysis in the protocol's shape, by the file it is in. Files
/// without diagnostics are not listed; the caller clears what it published before.
pub fn diagnostics(analysis: &Analysis) -> HashMap<PathBuf, Vec<lsp::Diagnostic>> {
    let mut by_file: HashMap<PathBuf, Vec<lsp::Diagnostic>> = HashMap::new();
    for d in &analysis.diagnostics {
        let (path, range) = match &d.location {
            Location::Span(span) => (
                analysis.paths[span.file.0 as usize].clone(),
                analysis.lines(span.file).range(span.range()),
            ),
            Location::Path(shown) => (PathBuf::from(shown), lsp::Range::default()),
        };
        // A place in a file checked as it last parsed is an offset in that text, not in the one
        // the editor shows: no place rather than a wrong one.
        let related = d
            .related
            .iter()
            .filter(|(span, _)| !analysis.stale.contains(&span.file))
            .filter_map(|(span, label)| {
                Some(lsp::DiagnosticRelatedInformation {
                    location: lsp::Location::new(
                        analysis.uri(span.file)?,
                        analysis.lines(span.file).range(span.range()),
                    ),
                    message: label.clone(),
                })
            })
            .collect::<Vec<_>>();
        let mut message = d.message.clone();
        if let Some(label) = &d.label {
            message.push_str(&format!(" ({label})"));
        }
        if let Some(hint) = &d.hint {
            message.push_str(&format!("\nhelp: {hint}"));
        }
        by_file.entry(path).or_default().push(lsp::Diagnostic {
            range,
            severity: Some(match d.severity {
                Severity::Error => lsp::DiagnosticSeverity::ERROR,
                Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            }),
            code: Some(lsp::NumberOrString::String(d.code.as_str().to_owned())),
            source: Some("claimgraph".to_owned()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            ..lsp::Diagnostic::default()
        });
    }
    by_file
}

/// Where the cursor is, for completion.
#[derive(Debug, PartialEq, Eq)]
enum Context<'t> {
    /// In a `[[…]]` header: a record kind.
    RecordKind { replace: Range<usize> },
    /// Where a field name goes in a record.
    Field {
        record: &'t str,
        body: Range<usize>,
        replace: Range<usize>,
    },
    /// In the value of `key`.
    Value {
        record: &'t str,
        body: Range<usize>,
        key: &'t str,
        /// Whether the cursor is inside a string already (its quotes are written).
        quoted: bool,
        replace: Range<usize>,
    },
}

/// The start of each line from the one holding `offset` back to the start of the text.
fn line_starts_back(text: &str, offset: usize) -> impl Iterator<Item = usize> + '_ {
    let mut end = Some(offset);
    std::iter::from_fn(move || {
        let at = end?;
        let start = text[..at].rfind('\n').map_or(0, |n| n + 1);
        end = start.checked_sub(1);
        Some(start)
    })
}

fn line_at(text: &str, start: usize) -> &str {
    let end = text[start..].find('\n').map_or(text.len(), |n| start + n);
    &text[start..end]
}

/// The record kind of a `[[kind]]` header line.
fn header(line: &str) -> Option<&str> {
    let inner = line.trim().strip_prefix("[[")?;
    Some(inner.split("]]").next().unwrap_or(inner).trim())
}

/// The key of a `key = …` line and the offset just after its `=`.
fn key_of(line: &str) -> Option<(&str, usize)> {
    let eq = line.find('=')?;
    let key = line[..eq].trim();
    let simple = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    simple.then_some((key, eq + 1))
}

/// Walks a value written so far: whether it ends inside a string (and where that string's
/// text starts), how deep in arrays it is, and whether it ends in a comment.
fn value_state(value: &str) -> (Option<usize>, i32, bool) {
    let mut comment = false;
    let mut depth = 0;
    let mut string: Option<(char, usize)> = None;
    let mut escaped = false;
    for (i, c) in value.char_indices() {
        match string {
            Some((quote, _)) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' && quote == '"' {
                    escaped = true;
                } else if c == quote {
                    string = None;
                }
            }
            None => match c {
                '"' | '\'' => string = Some((c, i + 1)),
                '[' => depth += 1,
                ']' => depth -= 1,
                '#' => {
                    comment = true;
                    break;
                }
                _ => {}
            },
        }
    }
    (string.map(|(_, start)| start), depth, comment)
}

/// Where the name the cursor is in (a record kind, a field name) ends: accepting an item
/// replaces the whole name, not only its part before the cursor.
fn name_end(text: &str, offset: usize) -> usize {
    offset
        + text[offset..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(text.len() - offset)
}

fn context(text: &str, offset: usize) -> Option<Context<'_>> {
    let line_start = text[..offset].rfind('\n').map_or(0, |n| n + 1);
    let before = &text[line_start..offset];
    if let Some(rest) = before.trim_start().strip_prefix("[[") {
        let start = offset - rest.trim_start().len();
        return Some(Context::RecordKind {
            replace: start..name_end(text, offset),
        });
    }
    // The record: the nearest header above, and the next one below.
    let (header_start, record) = line_starts_back(text, line_start)
        .skip(1)
        .find_map(|start| header(line_at(text, start)).map(|kind| (start, kind)))?;
    let body_start = header_start + line_at(text, header_start).len();
    let body_end = text[offset..]
        .match_indices('\n')
        .map(|(n, _)| offset + n + 1)
        .find(|&start| header(line_at(text, start)).is_some())
        .unwrap_or(text.len());
    let body = body_start..body_end;
    // The value the cursor is in: on this line, or in an array opened on a line above.
    let mut lines = line_starts_back(text, line_start).take_while(|&s| s > header_start);
    let value = lines.find_map(|start| {
        let (key, after) = key_of(line_at(text, start))?;
        // A cursor before the `=` is on the key, not in the value.
        (start + after <= offset).then_some((key, start + after))
    });
    if let Some((key, value_start)) = value {
        let (string, depth, comment) = value_state(&text[value_start..offset]);
        if comment || before.trim_start().starts_with('#') {
            return None;
        }
        let on_this_line = value_start > line_start;
        if on_this_line || depth > 0 {
            // The word the cursor is in, up to its end: accepting an item replaces it whole.
            let rest = &text[offset..text[offset..].find('\n').map_or(text.len(), |n| offset + n)];
            let (quoted, start, end) = match string {
                Some(start) => {
                    let end = rest.find(['"', '\'']).unwrap_or(0);
                    (true, value_start + start, offset + end)
                }
                None => {
                    let token = text[value_start..offset]
                        .rfind(|c: char| c.is_whitespace() || matches!(c, '=' | '[' | ','))
                        .map_or(value_start, |n| value_start + n + 1);
                    let end = rest
                        .find(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '#'))
                        .unwrap_or(rest.len());
                    (false, token, offset + end)
                }
            };
            return Some(Context::Value {
                record,
                body,
                key,
                quoted,
                replace: start..end,
            });
        }
    }
    if before.trim_start().starts_with('#') {
        return None;
    }
    let word = before.trim_start();
    if word
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Some(Context::Field {
            record,
            body,
            replace: offset - word.len()..name_end(text, offset),
        });
    }
    None
}

/// Entity kinds by the names a predicate lists; `None` when none is a kind.
fn kinds_of(names: &[String]) -> Option<Vec<EntityKind>> {
    let kinds: Vec<EntityKind> = names.iter().filter_map(|n| EntityKind::parse(n)).collect();
    (!kinds.is_empty()).then_some(kinds)
}

fn entity_kinds_but_sources() -> Vec<EntityKind> {
    EntityKind::ALL
        .into_iter()
        .filter(|k| *k != EntityKind::Source)
        .collect()
}

/// What a completion offers for a field's value.
enum Offer {
    Entities(Vec<EntityKind>),
    Predicates,
    Words(Vec<&'static str>),
    Bare(Vec<&'static str>),
    Nothing,
}

fn offer(analysis: &Analysis, file: FileId, record: &str, key: &str, body: &Range<usize>) -> Offer {
    // Read from the text: while a claim is being typed its file often does not parse, and
    // the index has none of its records.
    let predicate_of_claim = || {
        analysis.text(file)[body.clone()].lines().find_map(|line| {
            let (key, after) = key_of(line)?;
            let value = line[after..].trim().trim_matches(['"', '\'']);
            (key == "predicate")
                .then(|| analysis.index.definitions.get(value))
                .flatten()
                .filter(|d| d.target == Target::Predicate)
        })
    };
    let Some(field) = spec::field(record, key) else {
        return Offer::Nothing;
    };
    match field.names {
        Some(Names::Entities(kinds)) => return Offer::Entities(kinds.to_vec()),
        Some(Names::Predicates) => return Offer::Predicates,
        Some(Names::AnyEntity) => {
            // A claim's subject and object: the kinds its predicate takes, when it is known.
            let taken = match (record, key) {
                ("claim", "subject") => predicate_of_claim().map(|p| &p.subject_kinds),
                ("claim", "object") => predicate_of_claim().map(|p| &p.object),
                _ => return Offer::Entities(EntityKind::ALL.to_vec()),
            };
            return match taken {
                Some(names) => match kinds_of(names) {
                    Some(kinds) => Offer::Entities(kinds),
                    // An object that is a value (a number, a text, a date) is no id.
                    None if !names.is_empty() => Offer::Nothing,
                    None => Offer::Entities(entity_kinds_but_sources()),
                },
                None => Offer::Entities(entity_kinds_but_sources()),
            };
        }
        None => {}
    }
    let values = field.allowed_values();
    if !values.is_empty() {
        return Offer::Words(values);
    }
    match field.shape {
        Shape::Bool => Offer::Bare(vec!["true", "false"]),
        _ => Offer::Nothing,
    }
}

fn markdown(value: String) -> lsp::Documentation {
    lsp::Documentation::MarkupContent(lsp::MarkupContent {
        kind: lsp::MarkupKind::Markdown,
        value,
    })
}

/// What an entity or predicate is, in a few lines of Markdown.
fn describe(definition: &Definition, analysis: &Analysis) -> String {
    let mut lines = Vec::new();
    let name = definition.name.as_deref().unwrap_or(&definition.id);
    match &definition.target {
        Target::Entity(kind) => {
            lines.push(format!("**{name}** · {kind} `{}`", definition.id));
        }
        Target::Predicate => {
            lines.push(format!("**{name}** · predicate `{}`", definition.id));
            let object = if definition.object.is_empty() {
                "?".to_owned()
            } else {
                definition.object.join(" | ")
            };
            let subject = if definition.subject_kinds.is_empty() {
                "?".to_owned()
            } else {
                definition.subject_kinds.join(" | ")
            };
            let functional = if definition.functional == Some(true) {
                " (functional: one object at a time)"
            } else {
                ""
            };
            lines.push(format!("{subject} → {object}{functional}"));
        }
    }
    if let Some(description) = &definition.description {
        lines.push(description.clone());
    }
    if !definition.aliases.is_empty() {
        lines.push(format!("Also: {}", definition.aliases.join(", ")));
    }
    let at = definition.span.file;
    let path = analysis.paths[at.0 as usize].display();
    let line = definition_range(analysis, definition)
        .map_or(0, |range| analysis.lines(at).position(range.start).line + 1);
    let claims = analysis.index.claims_naming(&definition.id);
    let named = match claims {
        1 => "named by 1 claim".to_owned(),
        n => format!("named by {n} claims"),
    };
    lines.push(format!("Defined in `{path}:{line}` · {named}"));
    lines.join("\n\n")
}

fn entity_item(
    definition: &Definition,
    kind: EntityKind,
    edit: &dyn Fn(&str) -> lsp::CompletionTextEdit,
) -> lsp::CompletionItem {
    let name = definition.name.clone().unwrap_or_default();
    let mut filter = format!("{} {name}", definition.id);
    for alias in &definition.aliases {
        filter.push(' ');
        filter.push_str(alias);
    }
    let mut documentation = Vec::new();
    if let Some(description) = &definition.description {
        documentation.push(description.clone());
    }
    if !definition.aliases.is_empty() {
        documentation.push(format!("Also: {}", definition.aliases.join(", ")));
    }
    lsp::CompletionItem {
        label: definition.id.clone(),
        kind: Some(lsp::CompletionItemKind::REFERENCE),
        detail: Some(format!("{name} · {kind}")),
        documentation: (!documentation.is_empty()).then(|| markdown(documentation.join("\n\n"))),
        filter_text: Some(filter),
        sort_text: Some(definition.id.clone()),
        text_edit: Some(edit(&definition.id)),
        ..lsp::CompletionItem::default()
    }
}

/// Completion at `offset` of `file`.
pub fn completion(analysis: &Analysis, file: FileId, offset: usize) -> Vec<lsp::CompletionItem> {
    let text = analysis.text(file);
    let lines = analysis.lines(file);
    let Some(context) = context(text, offset) else {
        return Vec::new();
    };
    let edit_for = |replace: &Range<usize>, with: String| {
        lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(lines.range(replace.clone()), with))
    };
    match context {
        Context::RecordKind { replace } => spec::record_kinds()
            .iter()
            .map(|kind| lsp::CompletionItem {
                label: (*kind).to_owned(),
                kind: Some(lsp::CompletionItemKind::CLASS),
                documentation: spec::record_description(kind)
                    .map(|d| lsp::Documentation::String(d.to_owned())),
                text_edit: Some(edit_for(&replace, (*kind).to_owned())),
                ..lsp::CompletionItem::default()
            })
            .collect(),
        Context::Field {
            record,
            body,
            replace,
        } => super::fields::field_items(record, &text[body], &|name| {
            edit_for(&replace, name.to_owned())
        }),
        Context::Value {
            record,
            body,
            key,
            quoted,
            replace,
        } => {
            let edit = |word: &str| {
                let with = if quoted {
                    word.to_owned()
                } else {
                    format!("\"{word}\"")
                };
                edit_for(&replace, with)
            };
            match offer(analysis, file, record, key, &body) {
                Offer::Entities(kinds) => analysis
                    .index
                    .order
                    .iter()
                    .filter_map(|id| analysis.index.definitions.get(id))
                    .filter_map(|d| match d.target {
                        Target::Entity(kind) if kinds.contains(&kind) => {
                            Some(entity_item(d, kind, &edit))
                        }
                        _ => None,
                    })
                    .collect(),
                Offer::Predicates => analysis
                    .index
                    .order
                    .iter()
                    .filter_map(|id| analysis.index.definitions.get(id))
                    .filter(|d| d.target == Target::Predicate)
                    .map(|d| {
                        let label = d.name.clone().unwrap_or_default();
                        lsp::CompletionItem {
                            label: d.id.clone(),
                            kind: Some(lsp::CompletionItemKind::PROPERTY),
                            detail: Some(label.clone()),
                            documentation: Some(markdown(describe(d, analysis))),
                            filter_text: Some(format!("{} {label}", d.id)),
                            sort_text: Some(d.id.clone()),
                            text_edit: Some(edit(&d.id)),
                            ..lsp::CompletionItem::default()
                        }
                    })
                    .collect(),
                Offer::Words(words) => words
                    .into_iter()
                    .map(|w| lsp::CompletionItem {
                        label: w.to_owned(),
                        kind: Some(lsp::CompletionItemKind::ENUM_MEMBER),
                        text_edit: Some(edit(w)),
                        ..lsp::CompletionItem::default()
                    })
                    .collect(),
                Offer::Bare(words) => words
                    .into_iter()
                    .map(|w| lsp::CompletionItem {
                        label: w.to_owned(),
                        kind: Some(lsp::CompletionItemKind::VALUE),
                        text_edit: Some(edit_for(&replace, w.to_owned())),
                        ..lsp::CompletionItem::default()
                    })
                    .collect(),
                Offer::Nothing => Vec::new(),
            }
        }
    }
}

/// Hover at `offset`: the entity or predicate an id names, or what a field means.
pub fn hover(analysis: &Analysis, file: FileId, offset: usize) -> Option<lsp::Hover> {
    let lines = analysis.lines(file);
    if let Some(occurrence) = analysis.index.at(file, offset) {
        let value = match analysis.index.definitions.get(&occurrence.id) {
            Some(definition) => describe(definition, analysis),
            None => format!("`{}` is not defined in the data", occurrence.id),
        };
        return Some(lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value,
            }),
            range: Some(lines.range(occurrence.span.range())),
        });
    }
    let text = analysis.text(file);
    let line_start = text[..offset].rfind('\n').map_or(0, |n| n + 1);
    let line = line_at(text, line_start);
    if let Some(record) = header(line) {
        let value = super::fields::describe_record(record)?;
        let start = line_start + line.find(record).unwrap_or(0);
        return Some(lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value,
            }),
            range: Some(lines.range(start..start + record.len())),
        });
    }
    let (record, key, range) = key_at(text, offset)?;
    let value = super::fields::describe_field(record, key)?;
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value,
        }),
        range: Some(lines.range(range)),
    })
}

/// The field name under the cursor, with its record kind.
fn key_at(text: &str, offset: usize) -> Option<(&str, &str, Range<usize>)> {
    let line_start = text[..offset].rfind('\n').map_or(0, |n| n + 1);
    let line = line_at(text, line_start);
    let (key, after) = key_of(line)?;
    let key_start = line_start + line.find(key)?;
    if offset < key_start || offset > line_start + after - 1 {
        return None;
    }
    let record = line_starts_back(text, line_start)
        .skip(1)
        .find_map(|start| header(line_at(text, start)))?;
    Some((record, key, key_start..key_start + key.len()))
}

fn location(analysis: &Analysis, occurrence: &Occurrence) -> Option<lsp::Location> {
    let file = occurrence.span.file;
    Some(lsp::Location::new(
        analysis.uri(file)?,
        analysis.lines(file).range(occurrence.span.range()),
    ))
}

/// Where the id at `offset` is defined.
pub fn definition(analysis: &Analysis, file: FileId, offset: usize) -> Option<lsp::Location> {
    let occurrence = analysis.index.at(file, offset)?;
    let definition = analysis.index.definitions.get(&occurrence.id)?;
    let at = definition.span.file;
    Some(lsp::Location::new(
        analysis.uri(at)?,
        analysis
            .lines(at)
            .range(definition_range(analysis, definition)?),
    ))
}

/// Where a definition's id is in the text the editor shows. In a file that does not parse as
/// the editor shows it, it is looked for in that text, where it may have moved.
fn definition_range(analysis: &Analysis, definition: &Definition) -> Option<Range<usize>> {
    let at = definition.span.file;
    if !analysis.stale.contains(&at) {
        return Some(definition.span.range());
    }
    let text = analysis.text(at);
    let quoted = format!("\"{}\"", definition.id);
    text.match_indices(&quoted)
        .map(|(n, _)| n..n + quoted.len())
        .find(|r| {
            let line_start = text[..r.start].rfind('\n').map_or(0, |n| n + 1);
            key_of(&text[line_start..r.start]).is_some_and(|(key, _)| key == "id")
        })
}

/// Every place that names the id at `offset`.
pub fn references(
    analysis: &Analysis,
    file: FileId,
    offset: usize,
    include_declaration: bool,
) -> Vec<lsp::Location> {
    let Some(occurrence) = analysis.index.at(file, offset) else {
        return Vec::new();
    };
    analysis
        .index
        .references(&occurrence.id)
        .filter(|o| include_declaration || !o.is_definition())
        .filter_map(|o| location(analysis, o))
        .collect()
}

/// The records of a file as an outline.
#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be given
pub fn symbols(analysis: &Analysis, file: FileId) -> Vec<lsp::DocumentSymbol> {
    let text = analysis.text(file);
    let lines = analysis.lines(file);
    let outlines: &[Outline] = analysis
        .index
        .outlines
        .get(file.0 as usize)
        .map_or(&[], Vec::as_slice);
    let mut starts: Vec<usize> = outlines.iter().map(|o| o.header.start).collect();
    starts.sort_unstable();
    outlines
        .iter()
        .map(|outline| {
            let next = starts
                .get(starts.partition_point(|&s| s <= outline.header.start))
                .copied()
                .unwrap_or(text.len());
            let end = outline.header.start + text[outline.header.start..next].trim_end().len();
            let range = lines.range(outline.header.start..end);
            let (name, selection) = match &outline.id {
                Some((id, span)) => (id.clone(), lines.range(span.clone())),
                None => (
                    if outline.summary.is_empty() {
                        outline.record.as_str().to_owned()
                    } else {
                        outline.summary.clone()
                    },
                    lines.range(outline.header.clone()),
                ),
            };
            let detail = match &outline.id {
                Some(_) if !outline.summary.is_empty() => {
                    Some(format!("{} · {}", outline.summary, outline.record.as_str()))
                }
                _ => Some(outline.record.as_str().to_owned()),
            };
            lsp::DocumentSymbol {
                name,
                detail,
                kind: match outline.record {
                    Record::Entity(_) => lsp::SymbolKind::OBJECT,
                    Record::Predicate => lsp::SymbolKind::PROPERTY,
                    Record::Claim => lsp::SymbolKind::EVENT,
                },
                tags: None,
                deprecated: None,
                range,
                selection_range: selection,
                children: None,
            }
        })
        .collect()
}

/// The value a "did you mean `x`?" hint proposes.
fn suggestion(hint: &str) -> Option<&str> {
    hint.strip_prefix("did you mean `")?.strip_suffix("`?")
}

/// Quick fixes for the diagnostics of `file` that touch `range`: each "did you mean" hint as
/// an edit that writes the proposed value.
pub fn code_actions(
    analysis: &Analysis,
    file: FileId,
    range: Range<usize>,
    published: &[lsp::Diagnostic],
) -> Vec<lsp::CodeActionOrCommand> {
    let text = analysis.text(file);
    let lines = analysis.lines(file);
    let Some(uri) = analysis.uri(file) else {
        return Vec::new();
    };
    let converted = diagnostics_of(analysis, file);
    analysis
        .diagnostics
        .iter()
        .filter_map(|d| match &d.location {
            Location::Span(span) if span.file == file => Some((d, span.range())),
            _ => None,
        })
        .filter(|(_, at)| at.start <= range.end && range.start <= at.end)
        .filter_map(|(d, at)| {
            let proposed = suggestion(d.hint.as_deref()?)?;
            let written = &text[at.clone()];
            // A string value keeps its quotes; a `[[kind]]` hint names the kind alone.
            let (target, with) = if written.starts_with(['"', '\'']) && written.len() >= 2 {
                (at.start + 1..at.end - 1, proposed.to_owned())
            } else {
                let bare = proposed.trim_start_matches("[[").trim_end_matches("]]");
                (at.clone(), bare.to_owned())
            };
            let edit = lsp::TextEdit::new(lines.range(target), with.clone());
            let diagnostic = converted
                .iter()
                .find(|(c, _)| std::ptr::eq(*c, d))
                .map(|(_, lsp_d)| lsp_d.clone())
                .or_else(|| published.first().cloned());
            Some(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: format!("Change to `{with}`"),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: diagnostic.map(|d| vec![d]),
                edit: Some(lsp::WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                    ..lsp::WorkspaceEdit::default()
                }),
                is_preferred: Some(true),
                ..lsp::CodeAction::default()
            }))
        })
        .collect()
}

/// The diagnostics of one file, each with its protocol form.
fn diagnostics_of(analysis: &Analysis, file: FileId) -> Vec<(&Diagnostic, lsp::Diagnostic)> {
    let path = &analysis.paths[file.0 as usize];
    let converted = diagnostics(analysis);
    let Some(mine) = converted.get(path) else {
        return Vec::new();
    };
    let originals = analysis.diagnostics.iter().filter(|d| match &d.location {
        Location::Span(span) => span.file == file,
        Location::Path(shown) => Path::new(shown) == path,
    });
    originals.zip(mine.iter().cloned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> (String, usize) {
        let offset = text.find('|').unwrap();
        (text.replacen('|', "", 1), offset)
    }

    #[test]
    fn the_context_is_the_record_and_the_field_the_cursor_is_in() {
        let (text, offset) = at("[[claim]]\nsubject = \"nk-|\"\n\n[[person]]\nid = \"x\"\n");
        let Some(Context::Value {
            record,
            key,
            quoted,
            replace,
            ..
        }) = context(&text, offset)
        else {
            panic!("{:?}", context(&text, offset))
        };
        assert_eq!((record, key, quoted), ("claim", "subject", true));
        assert_eq!(&text[replace], "nk-");

        let (text, offset) = at("[[claim]]\nciting = [\n  \"a\",\n  |\n]\n");
        assert!(matches!(
            context(&text, offset),
            Some(Context::Value {
                key: "citing",
                quoted: false,
                ..
            })
        ));

        let (text, offset) = at("[[claim]]\nsubject = \"a\"\nsta|\n");
        let Some(Context::Field {
            record, replace, ..
        }) = context(&text, offset)
        else {
            panic!()
        };
        assert_eq!((record, &text[replace]), ("claim", "sta"));

        let (text, offset) = at("[[cla|");
        assert!(matches!(
            context(&text, offset),
            Some(Context::RecordKind { .. })
        ));

        // In the middle of an id, the whole id is replaced; in a comment, nothing is offered.
        let (text, offset) = at("[[claim]]\nsubject = \"alexander-s|terliadnikov\"\n");
        let Some(Context::Value { replace, .. }) = context(&text, offset) else {
            panic!()
        };
        assert_eq!(&text[replace], "alexander-sterliadnikov");
        let (text, offset) = at("[[claim]]\nsubject = \"x\" # |\n");
        assert_eq!(context(&text, offset), None);
        let (text, offset) = at("[[claim]]\n# sub|\n");
        assert_eq!(context(&text, offset), None);

        // At the start of a line that has a key, the cursor is where a field name goes.
        let (text, offset) = at("[[claim]]\n|hedged = \n");
        assert!(matches!(
            context(&text, offset),
            Some(Context::Field { .. })
        ));

        // A closed array above is not the value the cursor is in.
        let (text, offset) = at("[[claim]]\nciting = [\"a\"]\n|\n");
        assert!(matches!(
            context(&text, offset),
            Some(Context::Field { .. })
        ));
    }

    #[test]
    fn a_did_you_mean_hint_gives_its_value() {
        assert_eq!(
            suggestion("did you mean `nk-deserters`?"),
            Some("nk-deserters")
        );
        assert_eq!(suggestion("kinds: person, group"), None);
    }
}
