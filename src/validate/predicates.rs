//! Rules for the vocabulary: subject and object kinds must be record kinds (or, for the object,
//! a value type), `excludes` must name predicates, and `excludes_scope` must be a scope.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Files};
use crate::load::Sp;
use crate::load::records::{RawObjectType, RawRecords};
use crate::model::{EntityKind, ExcludesScope, ObjectType, Origin, Predicate};

use super::Resolver;

const VALUE_TYPES: [&str; 3] = ["number", "text", "date"];

pub fn resolve(
    records: &RawRecords,
    slots: &[Option<usize>],
    resolver: &Resolver<'_>,
    files: &Files,
    diagnostics: &mut Diagnostics,
) -> Vec<Predicate> {
    let mut predicates = Vec::new();
    for (raw, slot) in records.predicates.iter().zip(slots) {
        let subject = kinds(&raw.subject, "subject", diagnostics);
        let object = match &raw.object {
            Some(RawObjectType::Value(value)) => match value.value.as_str() {
                "number" => ObjectType::Number,
                "text" => ObjectType::Text,
                "date" => ObjectType::Date,
                _ => ObjectType::Entity(kinds(std::slice::from_ref(value), "object", diagnostics)),
            },
            Some(RawObjectType::Kinds(list)) => {
                ObjectType::Entity(kinds(list, "object", diagnostics))
            }
            None => ObjectType::Entity(Vec::new()),
        };
        let excludes = raw
            .excludes
            .iter()
            .filter_map(|e| resolver.predicate(e, "`excludes`", diagnostics))
            .collect();
        let excludes_scope = raw
            .excludes_scope
            .as_ref()
            .and_then(|scope| excludes_scope(scope, diagnostics))
            .unwrap_or_default();
        if slot.is_some() {
            let (file, line, _) = files.position(&raw.span);
            predicates.push(Predicate {
                id: raw.id.as_ref().map(|i| i.value.clone()).unwrap_or_default(),
                label: raw
                    .label
                    .as_ref()
                    .map(|l| l.value.clone())
                    .unwrap_or_default(),
                description: raw.description.as_ref().map(|d| d.value.clone()),
                subject,
                object,
                functional: raw.functional.as_ref().is_some_and(|f| f.value),
                excludes,
                excludes_scope,
                origin: Origin {
                    file: file.to_owned(),
                    line,
                },
            });
        }
    }
    predicates
}

fn excludes_scope(scope: &Sp<String>, diagnostics: &mut Diagnostics) -> Option<ExcludesScope> {
    let parsed = ExcludesScope::parse(&scope.value);
    if parsed.is_none() {
        let names = ExcludesScope::ALL.map(ExcludesScope::as_str);
        diagnostics.push(
            Diagnostic::error(
                Code::InvalidValue,
                scope.span.clone(),
                format!("`{}` is not a scope of `excludes`", scope.value),
            )
            .with_label("unknown scope")
            .with_choice_hint(&scope.value, names, "scopes"),
        );
    }
    parsed
}

fn kinds(names: &[Sp<String>], field: &str, diagnostics: &mut Diagnostics) -> Vec<EntityKind> {
    let mut kinds = Vec::new();
    for name in names {
        match EntityKind::parse(&name.value) {
            Some(kind) => {
                if !kinds.contains(&kind) {
                    kinds.push(kind);
                }
            }
            None => {
                let all: Vec<&str> = EntityKind::ALL.iter().map(|k| k.as_str()).collect();
                let mut candidates = all.clone();
                if field == "object" {
                    candidates.extend(VALUE_TYPES);
                }
                diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        name.span.clone(),
                        format!("`{}` in `{field}` is not a record kind", name.value),
                    )
                    .with_label("unknown kind")
                    .with_choice_hint(
                        &name.value,
                        candidates.iter().copied(),
                        "kinds",
                    ),
                );
            }
        }
    }
    kinds
}
