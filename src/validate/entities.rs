//! Rules for entity records: scalar field values (organisation types, ISO codes, language tags,
//! URLs, coordinates, dates, grades, Wikidata ids) and reference fields (they must name a
//! record of a fitting kind).

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Files, Span};
use crate::load::Sp;
use crate::load::records::{FieldType, ORGANISATION_TYPES, RawEntity, RawFieldValue};
use crate::model::{DateRange, Entity, EntityKind, ObjectType, Origin, Predicate, Scalar};

use super::{Resolver, check_kind};

/// The entity with its id, kind and position, before its fields are checked.
pub fn skeleton(raw: &RawEntity, id: &Sp<String>, files: &Files) -> Entity {
    let (file, line, _) = files.position(&raw.span);
    let title = match raw.field("title").map(|t| &t.value) {
        Some(RawFieldValue::Text(title)) => Some(title.clone()),
        _ => None,
    };
    let name = raw
        .name
        .as_ref()
        .map(|n| n.value.clone())
        .or(title)
        .unwrap_or_else(|| id.value.clone());
    Entity {
        id: id.value.clone(),
        kind: raw.kind,
        name,
        aliases: Vec::new(),
        description: None,
        wikidata: None,
        reliability: None,
        fields: Vec::new(),
        links: Vec::new(),
        origin: Origin {
            file: file.to_owned(),
            line,
        },
    }
}

pub fn resolve(
    raw: &RawEntity,
    entity: &mut Entity,
    resolver: &Resolver<'_>,
    predicates: &[Predicate],
    diagnostics: &mut Diagnostics,
) {
    if raw.kind == EntityKind::Source && raw.name.is_none() && raw.field("title").is_none() {
        diagnostics.push(
            Diagnostic::error(
                Code::MissingField,
                raw.span.clone(),
                "this source has neither `name` nor `title`",
            )
            .with_label("a source needs a `title` (or a `name`)"),
        );
    }
    for text in raw.name.iter().chain(&raw.aliases) {
        if text.value.trim().is_empty() {
            diagnostics.push(Diagnostic::error(
                Code::InvalidValue,
                text.span.clone(),
                "a name or alias cannot be empty",
            ));
        }
    }
    // Aliases seen so far, by value: one lookup each, not a scan of the earlier ones.
    let mut listed: foldhash::HashMap<&str, &Span> = foldhash::HashMap::default();
    for alias in &raw.aliases {
        if let Some(&first) = listed.get(alias.value.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    alias.span.clone(),
                    format!("alias `{}` is listed twice", alias.value),
                )
                .with_related(first.clone(), "first listed here"),
            );
        } else {
            listed.insert(&alias.value, &alias.span);
            entity.aliases.push(alias.value.clone());
        }
    }
    entity.description = raw.description.as_ref().map(|d| d.value.clone());
    if let Some(wikidata) = &raw.wikidata {
        let valid = wikidata.value.strip_prefix('Q').is_some_and(|n| {
            !n.is_empty() && !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit())
        });
        if valid {
            entity.wikidata = Some(wikidata.value.clone());
        } else {
            diagnostics.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    wikidata.span.clone(),
                    format!("`{}` is not a Wikidata item id", wikidata.value),
                )
                .with_label("expected Q followed by digits, e.g. Q212"),
            );
        }
    }
    if let Some(grade) = &raw.reliability {
        if matches!(grade.value.as_str(), "A" | "B" | "C" | "D" | "E" | "F") {
            entity.reliability = Some(grade.value.clone());
        } else {
            diagnostics.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    grade.span.clone(),
                    format!("reliability `{}` is not an Admiralty grade", grade.value),
                )
                .with_label("expected one letter from A (reliable) to F (cannot be judged)"),
            );
        }
    }
    for (name, ty, value) in &raw.fields {
        if let Some(scalar) = check_field(name, *ty, value, diagnostics) {
            entity.fields.push((name, scalar));
        }
    }
    for (field, target) in &raw.refs {
        let what = format!("`{}`", field.as_str());
        let Some(index) = resolver.entity_of_kind(
            target,
            &what,
            field.target_kinds(),
            Code::WrongKind,
            diagnostics,
        ) else {
            continue;
        };
        // A vocabulary predicate named like the field constrains it further.
        if let Some(predicate) = predicates.iter().find(|p| p.id == field.as_str()) {
            let target_kind = resolver.kinds[index];
            if !predicate.subject.contains(&entity.kind) {
                diagnostics.push(Diagnostic::error(
                    Code::PredicateDomain,
                    target.span.clone(),
                    format!(
                        "a {} cannot have `{}`: the predicate `{}` takes {}",
                        entity.kind,
                        field.as_str(),
                        predicate.id,
                        super::kind_list(&predicate.subject)
                    ),
                ));
            }
            if let ObjectType::Entity(kinds) = &predicate.object {
                check_kind(
                    target,
                    target_kind,
                    kinds,
                    &format!("the object of the predicate `{}`", predicate.id),
                    Code::PredicateRange,
                    diagnostics,
                );
            }
        }
        entity.links.push((*field, index));
    }
}

fn check_field(
    name: &str,
    ty: FieldType,
    value: &Sp<RawFieldValue>,
    diagnostics: &mut Diagnostics,
) -> Option<Scalar> {
    let invalid = |message: String, label: &str| {
        Diagnostic::error(Code::InvalidValue, value.span.clone(), message).with_label(label)
    };
    let problem = match (&value.value, ty) {
        (RawFieldValue::Number(n), FieldType::Latitude) if !(-90.0..=90.0).contains(n) => {
            Some(invalid(
                format!("latitude {n} is outside -90 to 90"),
                "degrees north",
            ))
        }
        (RawFieldValue::Number(n), FieldType::Longitude) if !(-180.0..=180.0).contains(n) => {
            Some(invalid(
                format!("longitude {n} is outside -180 to 180"),
                "degrees east",
            ))
        }
        (RawFieldValue::Number(n), _) => return Some(Scalar::Number(*n)),
        (RawFieldValue::Text(text), FieldType::Date) => match DateRange::parse(text) {
            Ok(date) => return Some(Scalar::Date(date)),
            Err(why) => Some(
                Diagnostic::error(
                    Code::InvalidDate,
                    value.span.clone(),
                    format!("`{name}` is not a valid date: {why}"),
                )
                .with_label("expected YYYY, YYYY-MM, YYYY-MM-DD or an interval start/end"),
            ),
        },
        (RawFieldValue::Text(text), FieldType::OrganisationType) => {
            (!ORGANISATION_TYPES.contains(&text.as_str())).then(|| {
                invalid(
                    format!("`{text}` is not an organisation type"),
                    "unknown type",
                )
                .with_choice_hint(text, ORGANISATION_TYPES, "types")
            })
        }
        (RawFieldValue::Text(text), FieldType::Iso) => {
            (text.len() != 2 || !text.bytes().all(|b| b.is_ascii_uppercase())).then(|| {
                invalid(
                    format!("`{text}` is not an ISO 3166-1 alpha-2 code"),
                    "expected two capital letters, e.g. UA",
                )
            })
        }
        (RawFieldValue::Text(text), FieldType::Language) => {
            language_tags::LanguageTag::parse(text).err().map(|e| {
                invalid(
                    format!("`{text}` is not a BCP 47 language tag: {e}"),
                    "expected e.g. nl, de, en-GB",
                )
            })
        }
        (RawFieldValue::Text(text), FieldType::Url) => match url::Url::parse(text) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => None,
            Ok(url) => Some(invalid(
                format!("`{text}` is a {} URL, not a web address", url.scheme()),
                "expected http or https",
            )),
            Err(e) => Some(invalid(
                format!("`{text}` is not a URL: {e}"),
                "expected http or https",
            )),
        },
        (RawFieldValue::Text(text), _) => {
            (text.trim().is_empty()).then(|| invalid(format!("`{name}` is empty"), "empty"))
        }
    };
    match problem {
        Some(d) => {
            diagnostics.push(d);
            None
        }
        None => match &value.value {
            RawFieldValue::Text(text) => Some(Scalar::Text(text.clone())),
            RawFieldValue::Number(n) => Some(Scalar::Number(*n)),
        },
    }
}
