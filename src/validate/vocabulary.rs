//! Rules for the vocabulary (the `[[predicate]]` records): subject and object kinds must be
//! record kinds (or, for the object, a value type), `excludes` must name predicates, and
//! `excludes_scope` must be a scope.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Files};
use crate::load::Placed;
use crate::load::records::{RawObjectType, RawRecords};
use crate::model::{
    DefinedAt, EntityKind, ExcludesScope, ObjectType, Predicate, PredicateIdx, VALUE_TYPES,
};
use typed_index_collections::TiVec;

use super::Resolver;

pub fn resolve(
    records: &RawRecords,
    slots: &[Option<PredicateIdx>],
    resolver: &Resolver<'_>,
    files: &Files,
    diagnostics: &mut Diagnostics,
) -> TiVec<PredicateIdx, Predicate> {
    // In slot order, so that a predicate's index is its slot.
    let mut predicates = TiVec::new();
    for (raw, slot) in records.predicates.iter().zip(slots) {
        let subject = kinds(&raw.subject, "subject", false, diagnostics);
        let object = object_type(raw.object.as_ref(), diagnostics);
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
                defined_at: DefinedAt {
                    file: file.to_owned(),
                    line,
                },
            });
        }
    }
    predicates
}

/// What a predicate takes as object: a value type, or the record kinds listed.
fn object_type(object: Option<&RawObjectType>, diagnostics: &mut Diagnostics) -> ObjectType {
    match object {
        Some(RawObjectType::Value(value)) => match value.value.as_str() {
            "number" => ObjectType::Number,
            "text" => ObjectType::Text,
            "date" => ObjectType::Date,
            _ => ObjectType::Entity(kinds(
                std::slice::from_ref(value),
                "object",
                true,
                diagnostics,
            )),
        },
        Some(RawObjectType::Kinds(list)) => {
            ObjectType::Entity(kinds(list, "object", false, diagnostics))
        }
        None => ObjectType::Entity(Vec::new()),
    }
}

fn excludes_scope(scope: &Placed<String>, diagnostics: &mut Diagnostics) -> Option<ExcludesScope> {
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

/// The record kinds `names`, each checked; `lone` when the field is one string rather than an
/// array, where `object` may also be a value type.
fn kinds(
    names: &[Placed<String>],
    field: &str,
    lone: bool,
    diagnostics: &mut Diagnostics,
) -> Vec<EntityKind> {
    let mut kinds = Vec::new();
    for name in names {
        match EntityKind::parse(&name.value) {
            Some(kind) => {
                if !kinds.contains(&kind) {
                    kinds.push(kind);
                }
            }
            // A value type is only ever meant in an array by mistake: say what to write, not
            // "did you mean" the very same word.
            None if field == "object" && !lone && VALUE_TYPES.contains(&name.value.as_str()) => {
                diagnostics.push(
                    Diagnostic::error(
                        Code::WrongType,
                        name.span.clone(),
                        format!(
                            "`object` is an array, but the value type `{}` is given alone, as a string",
                            name.value
                        ),
                    )
                    .with_label("a value type inside an array")
                    .with_hint(format!(
                        "write `object = \"{}\"`; an array lists record kinds, e.g. `object = [\"person\", \"group\"]`",
                        name.value
                    )),
                );
            }
            None => {
                let all: Vec<&str> = EntityKind::ALL.iter().map(|k| k.as_str()).collect();
                let mut candidates = all.clone();
                if field == "object" && lone {
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

#[cfg(test)]
mod tests {
    use super::super::testing::check;

    #[test]
    fn subjects_and_objects_are_record_kinds_or_one_value_type() {
        check(
            r#"
[[predicate]]
id = "held_by"
label = "held by"
subject = ["persons", "group"]
object = "organisations"

[[predicate]]
id = "headcount"
label = "headcount"
subject = ["unit"]
object = ["number"]
"#,
            "error[invalid-value] 4:12 `persons` in `subject` is not a record kind
             error[invalid-value] 5:10 `organisations` in `object` is not a record kind
             error[wrong-type] 11:11 `object` is an array, but the value type `number` is given alone, as a string",
        );
    }

    #[test]
    fn excludes_names_predicates_and_its_scope_is_a_scope() {
        check(
            r#"
[[predicate]]
id = "held_by"
label = "held by"
subject = ["unit"]
object = ["organisation"]
excludes = ["commanded_by", "comanded_by"]
excludes_scope = "same-sides"
"#,
            "error[unknown-reference] 6:29 `excludes` names `comanded_by`, but no predicate has that id
             error[invalid-value] 7:18 `same-sides` is not a scope of `excludes`",
        );
    }
}
