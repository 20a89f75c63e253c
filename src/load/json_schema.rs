//! The JSON Schema of one data file, generated from the field specification ([`super::spec`])
//! so that what an editor validates is what `check` reads: the record kinds, each an array of
//! tables allowing only its fields, with the required ones, the closed vocabularies, the
//! patterns and ranges, and what each field means. Draft-07, which Taplo (Even Better TOML),
//! VS Code's JSON tooling and Ajv all read.

use serde_json::{Map, Value, json};

use super::spec::{self, Field, Shape};

/// Where the schema is committed, relative to the repository root; `.taplo.toml` and the
/// README's `#:schema` line point here.
pub const PATH: &str = "exports/schema/claimgraph-data.schema.json";

/// The schema as a JSON value.
pub fn data_file_schema() -> Value {
    let mut properties = Map::new();
    for kind in spec::record_kinds() {
        let fields = spec::fields(kind).expect("a record kind has fields");
        let description = spec::record_description(kind).expect("a record kind is described");
        let mut record = record_schema(&fields, description);
        let one_of = spec::one_of_required(kind);
        if !one_of.is_empty() {
            record["anyOf"] = one_of.iter().map(|f| json!({ "required": [f] })).collect();
        }
        properties.insert(
            (*kind).to_owned(),
            json!({
                "description": format!("`[[{kind}]]`: {description}"),
                "type": "array",
                "items": record,
            }),
        );
    }
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "claimgraph data file",
        "description": "One TOML file under `data/`: arrays of tables, each table's name the \
            record's kind (`[[person]]`, …, `[[predicate]]`, `[[claim]]`). Generated from the \
            field specification `claimgraph check` reads the files with; `check` also resolves \
            ids across files, checks dates exist and finds each quote in its document, which \
            no schema can.",
        "type": "object",
        "additionalProperties": false,
        "properties": properties,
    })
}

/// The schema as written to [`PATH`]: pretty-printed, keys in sorted order, with a final
/// newline, so that the file is the same on every run.
pub fn data_file_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&data_file_schema()).expect("JSON values print");
    text.push('\n');
    text
}

/// One record kind's table: only its fields, the required ones present.
fn record_schema(fields: &[Field], description: &str) -> Value {
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect();
    let properties: Map<String, Value> = fields
        .iter()
        .map(|f| (f.name.to_owned(), field_schema(f)))
        .collect();
    let mut record = json!({
        "description": description,
        "type": "object",
        "additionalProperties": false,
        "properties": properties,
    });
    if !required.is_empty() {
        record["required"] = json!(required);
    }
    record
}

/// One field's value.
fn field_schema(field: &Field) -> Value {
    let one = |values: Vec<&str>| {
        let mut text = json!({ "type": "string" });
        if !values.is_empty() {
            text["enum"] = json!(values);
        }
        if let Some(pattern) = field.pattern {
            text["pattern"] = json!(pattern);
        }
        text
    };
    let number = |ty: &str| {
        let mut number = json!({ "type": ty });
        if let Some(minimum) = field.minimum {
            number["minimum"] = json!(minimum);
        }
        if let Some(maximum) = field.maximum {
            number["maximum"] = json!(maximum);
        }
        number
    };
    let mut schema = match field.shape {
        Shape::Text | Shape::Date => one(field.allowed_values()),
        Shape::List | Shape::OneOrMore => {
            let items = one(field.values.map(|v| v.item_values()).unwrap_or_default());
            json!({
                "anyOf": [
                    one(field.allowed_values()),
                    { "type": "array", "items": items },
                ]
            })
        }
        Shape::Bool => json!({ "type": "boolean" }),
        Shape::Integer => number("integer"),
        Shape::Number => number("number"),
        Shape::Scalar => json!({ "type": ["string", "number"] }),
    };
    let required = if field.required { " Required." } else { "" };
    schema["description"] = json!(format!("{}{required}", field.description));
    schema
}
