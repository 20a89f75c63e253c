//! Field names of each record kind for completion and hover, from the data files' field
//! specification.

use lsp_types as lsp;

use crate::load::records::kind_fields;
use crate::model::EntityKind;

/// `(name, required, what it means)` of every field of a record kind.
fn fields_of(record: &str) -> Option<Vec<(&'static str, bool, &'static str)>> {
    // Interim, until the field specification lands.
    let names: Vec<(&'static str, bool)> = match record {
        "claim" => vec![
            ("id", false),
            ("source", true),
            ("reported_by", false),
            ("citing", false),
            ("subject", true),
            ("predicate", true),
            ("object", false),
            ("value", false),
            ("when", false),
            ("stance", false),
            ("hedged", false),
            ("quote", true),
            ("occurrence", false),
            ("note", false),
        ],
        "predicate" => vec![
            ("id", true),
            ("label", true),
            ("description", false),
            ("subject", true),
            ("object", true),
            ("functional", false),
            ("excludes", false),
            ("excludes_scope", false),
        ],
        kind => {
            let kind = EntityKind::parse(kind)?;
            let mut fields = vec![
                ("id", true),
                ("name", kind != EntityKind::Source),
                ("aliases", false),
                ("description", false),
                ("wikidata", false),
            ];
            fields.extend(kind_fields(kind).iter().map(|f| (f.name(), false)));
            fields
        }
    };
    Some(names.into_iter().map(|(n, r)| (n, r, "")).collect())
}

/// Completion items for the fields of `record` not yet written in its `body`.
pub fn field_items(
    record: &str,
    body: &str,
    edit: &dyn Fn(&str) -> lsp::CompletionTextEdit,
) -> Vec<lsp::CompletionItem> {
    let Some(fields) = fields_of(record) else {
        return Vec::new();
    };
    let written: Vec<&str> = body
        .lines()
        .filter_map(|line| line.split_once('=').map(|(key, _)| key.trim()))
        .collect();
    fields
        .into_iter()
        .filter(|(name, _, _)| !written.contains(name))
        .map(|(name, required, meaning)| lsp::CompletionItem {
            label: name.to_owned(),
            kind: Some(lsp::CompletionItemKind::FIELD),
            detail: Some(if required { "required" } else { "optional" }.to_owned()),
            documentation: (!meaning.is_empty())
                .then(|| lsp::Documentation::String(meaning.to_owned())),
            // Required fields first.
            sort_text: Some(format!("{}{name}", u8::from(!required))),
            text_edit: Some(edit(name)),
            ..lsp::CompletionItem::default()
        })
        .collect()
}

/// What a field of a record kind means, in Markdown.
pub fn describe_field(record: &str, key: &str) -> Option<String> {
    let (name, required, meaning) = fields_of(record)?.into_iter().find(|(n, _, _)| *n == key)?;
    let need = if required { "required" } else { "optional" };
    Some(
        format!("`{name}` of `[[{record}]]` ({need})\n\n{meaning}")
            .trim_end()
            .to_owned(),
    )
}
