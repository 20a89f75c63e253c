//! Rules for what a claim says: an `object` or a `value`, as its predicate takes, of a kind or
//! type the predicate takes; `when` is a valid date; the stance is `affirms` or `denies`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::load::{Placed, RawClaim, RawScalar};
use crate::model::{ClaimObject, DateRange, EntityIdx, ObjectType, Stance, Value};

use super::{Resolver, check_kind};

/// The claim's `when`, when it is a valid date.
pub fn when(raw: &RawClaim, diagnostics: &mut Diagnostics) -> Option<DateRange> {
    let w = raw.when.as_ref()?;
    match DateRange::parse(&w.value) {
        Ok(date) => Some(date),
        Err(why) => {
            diagnostics.push(
                Diagnostic::error(
                    Code::InvalidDate,
                    w.span.clone(),
                    format!("`when` is not a valid date: {why}"),
                )
                .with_label("expected YYYY, YYYY-MM, YYYY-MM-DD or an interval start/end"),
            );
            None
        }
    }
}

/// The claim's stance: `affirms` unless it says `denies`.
pub fn stance(raw: &RawClaim, diagnostics: &mut Diagnostics) -> Option<Stance> {
    let Some(s) = &raw.stance else {
        return Some(Stance::Affirms);
    };
    match Stance::parse(&s.value) {
        Some(stance) => Some(stance),
        None => {
            let other = s.value.as_str();
            let d = Diagnostic::error(
                Code::InvalidValue,
                s.span.clone(),
                format!("stance `{other}` is neither `affirms` nor `denies`"),
            )
            .with_label("invalid stance");
            diagnostics.push(
                match crate::diagnostic::closest(other, Stance::ALL.map(Stance::as_str)) {
                    Some(s) => d.with_hint(format!("did you mean `{s}`?")),
                    None => d.with_hint("write `affirms` or `denies`"),
                },
            );
            None
        }
    }
}

/// Checks `object` / `value` against the predicate's object type.
pub fn check_object(
    raw: &RawClaim,
    expected: &ObjectType,
    predicate: &str,
    object: Option<Option<EntityIdx>>,
    resolver: &Resolver<'_>,
    diagnostics: &mut Diagnostics,
) -> Option<ClaimObject> {
    let at = raw.predicate.as_ref().map_or(&raw.span, |p| &p.span);
    match (expected, object, &raw.value) {
        (_, Some(_), Some(value)) => {
            diagnostics.push(
                Diagnostic::error(
                    Code::ObjectOrValue,
                    value.span.clone(),
                    "a claim has either `object` or `value`, not both",
                )
                .with_label("remove one of them"),
            );
            None
        }
        (ObjectType::Entity(kinds), Some(object), None) => {
            let object = object?;
            let span = raw.object.as_ref().expect("object given");
            check_kind(
                span,
                resolver.kinds[object],
                kinds,
                &format!("the object of `{predicate}`"),
                Code::PredicateRange,
                diagnostics,
            )
            .then_some(ClaimObject::Entity(object))
        }
        // An `object` that is written but could not be read has its error already; calling
        // it missing too would be wrong.
        (ObjectType::Entity(_), None, None) if raw.unreadable.object => None,
        (ObjectType::Entity(_), None, _) => {
            let d = Diagnostic::error(
                Code::ObjectOrValue,
                raw.value.as_ref().map_or(at, |v| &v.span).clone(),
                format!("`{predicate}` takes an entity as `object`, not a `value`"),
            );
            diagnostics.push(if raw.value.is_some() {
                d.with_label("use `object = \"<id>\"`")
            } else {
                d.with_label("this claim has no `object`")
            });
            None
        }
        (value_type, Some(_), None) => {
            let span = raw.object.as_ref().expect("object given");
            diagnostics.push(
                Diagnostic::error(
                    Code::ObjectOrValue,
                    span.span.clone(),
                    format!(
                        "`{predicate}` takes a {} as `value`, not an entity as `object`",
                        value_type.as_str()
                    ),
                )
                .with_label("use `value = …`"),
            );
            None
        }
        // The same for a `value` where the predicate takes one.
        (_, None, None) if raw.unreadable.value => None,
        (value_type, None, None) => {
            diagnostics.push(
                Diagnostic::error(
                    Code::ObjectOrValue,
                    at.clone(),
                    format!("`{predicate}` needs a `value` ({})", value_type.as_str()),
                )
                .with_label("this claim has no `value`"),
            );
            None
        }
        (value_type, None, Some(value)) => check_value(value, value_type, predicate, diagnostics),
    }
}

fn check_value(
    value: &Placed<RawScalar>,
    expected: &ObjectType,
    predicate: &str,
    diagnostics: &mut Diagnostics,
) -> Option<ClaimObject> {
    let resolved = match (expected, &value.value) {
        (ObjectType::Number, RawScalar::Int(i)) => Ok(Value::Integer(*i)),
        (ObjectType::Number, RawScalar::Float(f)) => Ok(Value::Float(*f)),
        (ObjectType::Text, RawScalar::Str(s)) if !s.trim().is_empty() => Ok(Value::Text(s.clone())),
        (ObjectType::Date, RawScalar::Str(s) | RawScalar::Date(s)) => DateRange::parse(s)
            .map(Value::Date)
            .map_err(|why| format!("not a valid date: {why}")),
        (_, found) => {
            let found = match found {
                RawScalar::Str(s) if s.trim().is_empty() => "empty text".to_owned(),
                RawScalar::Str(s) => format!("the text \"{s}\""),
                RawScalar::Int(i) => format!("the number {i}"),
                RawScalar::Float(f) => format!("the number {f}"),
                RawScalar::Date(d) => format!("the date {d}"),
            };
            Err(format!(
                "`{predicate}` takes a {} value, not {found}",
                expected.as_str()
            ))
        }
    };
    match resolved {
        Ok(v) => Some(ClaimObject::Value(v)),
        Err(message) => {
            diagnostics.push(
                Diagnostic::error(Code::PredicateRange, value.span.clone(), message)
                    .with_label(format!("expected a {}", expected.as_str())),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::check;

    #[test]
    fn a_claim_has_an_object_or_a_value_as_its_predicate_takes() {
        check(
            r#"
[[claim]]
source = "report"
subject = "northern-unit"
predicate = "commanded_by"
object = "ministry"
value = "the ministry"
quote = "lost several hundred soldiers"

[[claim]]
source = "report"
subject = "northern-unit"
predicate = "commanded_by"
value = "the ministry"
quote = "lost several hundred soldiers"

[[claim]]
source = "report"
subject = "northern-unit"
predicate = "commanded_by"
quote = "lost several hundred soldiers"

[[claim]]
source = "report"
subject = "northern-unit"
predicate = "lost_soldiers"
object = "ministry"
quote = "lost several hundred soldiers"

[[claim]]
source = "report"
subject = "northern-unit"
predicate = "lost_soldiers"
quote = "lost several hundred soldiers"
"#,
            "error[object-or-value] 6:9 a claim has either `object` or `value`, not both
             error[object-or-value] 13:9 `commanded_by` takes an entity as `object`, not a `value`
             error[object-or-value] 19:13 `commanded_by` takes an entity as `object`, not a `value`
             error[object-or-value] 26:10 `lost_soldiers` takes a text as `value`, not an entity as `object`
             error[object-or-value] 32:13 `lost_soldiers` needs a `value` (text)",
        );
    }

    #[test]
    fn the_object_is_a_kind_and_the_value_a_type_the_predicate_takes() {
        check(
            r#"
[[predicate]]
id = "disbanded_on"
label = "disbanded on"
subject = ["unit"]
object = "date"

[[claim]]
source = "report"
subject = "northern-unit"
predicate = "commanded_by"
object = "ruritania"
quote = "lost several hundred soldiers"

[[claim]]
source = "report"
subject = "northern-unit"
predicate = "soldier_count"
value = "several hundred"
quote = "lost several hundred soldiers"

[[claim]]
source = "report"
subject = "northern-unit"
predicate = "lost_soldiers"
value = " "
quote = "lost several hundred soldiers"

[[claim]]
source = "report"
subject = "northern-unit"
predicate = "disbanded_on"
value = "2024-02-30"
quote = "lost several hundred soldiers"

[[claim]]
source = "report"
subject = "northern-unit"
predicate = "soldier_count"
value = 300
quote = "lost several hundred soldiers"
"#,
            "error[predicate-range] 11:10 `ruritania` is a country, but the object of `commanded_by` must be an organisation
             error[predicate-range] 18:9 `soldier_count` takes a number value, not the text \"several hundred\"
             error[predicate-range] 25:9 `lost_soldiers` takes a text value, not empty text
             error[predicate-range] 32:9 not a valid date: `2024-02-30`: February 2024 has no day 30 (it has 29 days)",
        );
    }

    #[test]
    fn when_is_a_date_and_the_stance_affirms_or_denies() {
        check(
            r#"
[[claim]]
source = "report"
subject = "northern-unit"
predicate = "lost_soldiers"
value = "several hundred"
quote = "lost several hundred soldiers"
when = "2024-00"
stance = "deny"

[[claim]]
source = "report"
subject = "northern-unit"
predicate = "lost_soldiers"
value = "none"
quote = "lost several hundred soldiers"
when = "2023/2024"
stance = "denies"
"#,
            "error[invalid-date] 7:8 `when` is not a valid date: `2024-00`: there is no month 00
             error[invalid-value] 8:10 stance `deny` is neither `affirms` nor `denies`",
        );
    }

    #[test]
    fn an_unreadable_object_or_value_is_not_also_called_missing() {
        check(
            r#"
[[claim]]
source = "report"
subject = "northern-unit"
predicate = "commanded_by"
object = 5
quote = "lost several hundred soldiers"

[[claim]]
source = "report"
subject = "northern-unit"
predicate = "lost_soldiers"
value = ["several", "hundred"]
quote = "lost several hundred soldiers"
"#,
            "error[wrong-type] 5:10 `object` must be a string, not an integer
             error[wrong-type] 12:9 `value` must be a number, a string or a date, not an array",
        );
    }
}
