//! Field names of each record kind for completion and hover, from the data files' field
//! specification ([`crate::load::spec`]), the one `check` reads the files with.

use lsp_types as lsp;

use crate::load::spec;

/// Completion items for the fields of `record` not yet written in its `body`, required ones
/// first.
pub fn field_items(
    record: &str,
    body: &str,
    edit: &dyn Fn(&str) -> lsp::CompletionTextEdit,
) -> Vec<lsp::CompletionItem> {
    let Some(fields) = spec::fields(record) else {
        return Vec::new();
    };
    let written: Vec<&str> = body
        .lines()
        .filter_map(|line| line.split_once('=').map(|(key, _)| key.trim()))
        .collect();
    fields
        .into_iter()
        .filter(|field| !written.contains(&field.name))
        .map(|field| lsp::CompletionItem {
            label: field.name.to_owned(),
            kind: Some(lsp::CompletionItemKind::FIELD),
            detail: Some(format!(
                "{}, {}",
                if field.required {
                    "required"
                } else {
                    "optional"
                },
                field.shape.describe()
            )),
            documentation: Some(lsp::Documentation::String(field.description.to_owned())),
            sort_text: Some(format!("{}{}", u8::from(!field.required), field.name)),
            text_edit: Some(edit(field.name)),
            ..lsp::CompletionItem::default()
        })
        .collect()
}

/// What a field of a record kind means, in Markdown: its shape, whether it is required, the
/// words it takes, and the specification's description.
pub fn describe_field(record: &str, key: &str) -> Option<String> {
    let field = spec::field(record, key)?;
    let need = if field.required {
        "required"
    } else {
        "optional"
    };
    let mut text = format!(
        "`{}` of `[[{record}]]`: {}, {need}\n\n{}",
        field.name,
        field.shape.describe(),
        field.description
    );
    let values = field.allowed_values();
    if !values.is_empty() {
        text.push_str(&format!("\n\nOne of: `{}`", values.join("`, `")));
    }
    Some(text)
}

/// What a record kind is, in Markdown, for hover on its `[[kind]]` header.
pub fn describe_record(record: &str) -> Option<String> {
    let description = spec::record_description(record)?;
    Some(format!("`[[{record}]]`\n\n{description}"))
}
