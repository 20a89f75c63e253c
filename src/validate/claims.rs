//! Rules for claims: every reference resolves, subject and object fit the predicate, values
//! have the predicate's type, dates and stances are valid, ids are unique, and the quote occurs
//! in the claim's document.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Files, Span};
use crate::load::records::RawRecords;
use crate::load::{RawClaim, RawScalar, Sp};
use crate::model::text::{NormalizedText, char_range_to_bytes, normalize};
use crate::model::{
    Claim, ClaimObject, DateRange, EntityKind, Model, ObjectType, Origin, RefField, Stance, Value,
};

use super::Resolver;
use super::ids::{IdStyle, check_id};

/// Quotes shorter than this (after normalisation) would match almost anywhere.
pub const MIN_QUOTE_CHARS: usize = 3;

pub fn resolve(
    records: &RawRecords,
    model: &Model,
    resolver: &Resolver<'_>,
    files: &Files,
    diagnostics: &mut Diagnostics,
) -> Vec<Claim> {
    let document_of: HashMap<usize, usize> = model
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.entity, i))
        .collect();
    let mut normalized: HashMap<usize, NormalizedText> = HashMap::new();
    let mut claims = Vec::new();
    let mut first_span: HashMap<String, Span> = HashMap::new();
    for raw in &records.claims {
        let Some(claim) = resolve_one(
            raw,
            model,
            resolver,
            &document_of,
            &mut normalized,
            files,
            diagnostics,
        ) else {
            continue;
        };
        let id_span = raw.id.as_ref().map_or(&raw.span, |i| &i.span);
        if let Some(first) = first_span.get(&claim.id) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    id_span.clone(),
                    format!("duplicate claim id `{}`", claim.id),
                )
                .with_label("this claim")
                .with_related(first.clone(), "has the same id as this one")
                .with_hint(if raw.id.is_some() {
                    "give each claim its own id".to_owned()
                } else {
                    "the two claims state the same thing with the same quote; remove one, or give them distinct `id`s".to_owned()
                }),
            );
            continue;
        }
        first_span.insert(claim.id.clone(), id_span.clone());
        claims.push(claim);
    }
    claims
}

fn resolve_one(
    raw: &RawClaim,
    model: &Model,
    resolver: &Resolver<'_>,
    document_of: &HashMap<usize, usize>,
    normalized: &mut HashMap<usize, NormalizedText>,
    files: &Files,
    diagnostics: &mut Diagnostics,
) -> Option<Claim> {
    let explicit_id = raw
        .id
        .as_ref()
        .map(|id| check_id(id, IdStyle::Kebab, diagnostics).then(|| id.value.clone()));
    let source = raw.source.as_ref().and_then(|s| {
        resolver.entity_of_kind(
            s,
            "`source`",
            &[EntityKind::Source],
            Code::WrongKind,
            diagnostics,
        )
    });
    let reported_by = match &raw.reported_by {
        Some(r) => resolver.entity(r, "`reported_by`", diagnostics),
        None => source.map(|s| model.entities[s].link(RefField::Outlet).unwrap_or(s)),
    };
    let citing: Vec<Option<usize>> = raw
        .citing
        .iter()
        .map(|c| resolver.entity(c, "`citing`", diagnostics))
        .collect();
    let subject = raw
        .subject
        .as_ref()
        .and_then(|s| resolver.entity(s, "`subject`", diagnostics));
    let predicate = raw
        .predicate
        .as_ref()
        .and_then(|p| resolver.predicate(p, "`predicate`", diagnostics));
    let object = raw
        .object
        .as_ref()
        .map(|o| resolver.entity(o, "`object`", diagnostics));

    if let (Some(subject), Some(predicate), Some(span)) = (subject, predicate, &raw.subject) {
        let predicate = &model.predicates[predicate];
        let kind = resolver.kinds[subject];
        if !predicate.subject.contains(&kind) {
            diagnostics.push(
                Diagnostic::error(
                    Code::PredicateDomain,
                    span.span.clone(),
                    format!(
                        "`{}` is a {kind}, but `{}` takes as subject {}",
                        span.value,
                        predicate.id,
                        super::kind_list(&predicate.subject)
                    ),
                )
                .with_label(format!("a {kind}")),
            );
        }
    }
    let claim_object = predicate.and_then(|p| {
        check_object(
            raw,
            &model.predicates[p].object,
            &model.predicates[p].id,
            object,
            resolver,
            diagnostics,
        )
    });

    let when = raw
        .when
        .as_ref()
        .and_then(|w| match DateRange::parse(&w.value) {
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
        });
    let stance = match &raw.stance {
        None => Some(Stance::Affirms),
        Some(s) => match s.value.as_str() {
            "affirms" => Some(Stance::Affirms),
            "denies" => Some(Stance::Denies),
            other => {
                let d = Diagnostic::error(
                    Code::InvalidValue,
                    s.span.clone(),
                    format!("stance `{other}` is neither `affirms` nor `denies`"),
                )
                .with_label("invalid stance");
                diagnostics.push(
                    match crate::diagnostic::closest(other, ["affirms", "denies"]) {
                        Some(s) => d.with_hint(format!("did you mean `{s}`?")),
                        None => d.with_hint("write `affirms` or `denies`"),
                    },
                );
                None
            }
        },
    };

    let document = source.and_then(|s| document_of.get(&s).copied());
    let quote_chars = match (&raw.quote, document) {
        (Some(quote), Some(document)) => {
            let text = normalized
                .entry(document)
                .or_insert_with(|| NormalizedText::new(&model.documents[document].text));
            find_quote(quote, text, &model.documents[document], diagnostics)
        }
        _ => None,
    };

    // Everything below needs every part resolved; the problems have been reported above.
    let (source, reported_by, subject, predicate, object, stance, quote_chars) = (
        source?,
        reported_by?,
        subject?,
        predicate?,
        claim_object?,
        stance?,
        quote_chars?,
    );
    let citing: Vec<usize> = citing.into_iter().collect::<Option<_>>()?;
    let quote = raw.quote.as_ref()?.value.clone();
    let id = match explicit_id {
        Some(id) => id?,
        None => derived_id(model, source, subject, predicate, &object, stance, &quote),
    };
    let (file, line, _) = files.position(&raw.span);
    Some(Claim {
        id,
        document: document?,
        reported_by,
        citing,
        subject,
        predicate,
        object,
        when,
        stance,
        hedged: raw.hedged.as_ref().is_some_and(|h| h.value),
        quote,
        quote_chars,
        note: raw.note.as_ref().map(|n| n.value.clone()),
        origin: Origin {
            file: file.to_owned(),
            line,
        },
    })
}

/// Checks `object` / `value` against the predicate's object type.
fn check_object(
    raw: &RawClaim,
    expected: &ObjectType,
    predicate: &str,
    object: Option<Option<usize>>,
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
            let kind = resolver.kinds[object];
            if kinds.contains(&kind) {
                return Some(ClaimObject::Entity(object));
            }
            let span = raw.object.as_ref().expect("object given");
            diagnostics.push(
                Diagnostic::error(
                    Code::PredicateRange,
                    span.span.clone(),
                    format!(
                        "`{}` is a {kind}, but `{predicate}` takes as object {}",
                        span.value,
                        super::kind_list(kinds)
                    ),
                )
                .with_label(format!("a {kind}")),
            );
            None
        }
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
    value: &Sp<RawScalar>,
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

/// Finds the quote in its document; reports the closest passage when it is not there.
fn find_quote(
    quote: &Sp<String>,
    text: &NormalizedText,
    document: &crate::model::Document,
    diagnostics: &mut Diagnostics,
) -> Option<std::ops::Range<usize>> {
    let needle = normalize(&quote.value);
    if needle.chars().count() < MIN_QUOTE_CHARS {
        diagnostics.push(
            Diagnostic::error(
                Code::InvalidValue,
                quote.span.clone(),
                format!("the quote \"{}\" is too short to locate", quote.value),
            )
            .with_label(format!("at least {MIN_QUOTE_CHARS} characters")),
        );
        return None;
    }
    if let Some(found) = text.find(&needle) {
        return Some(found);
    }
    let mut d = Diagnostic::error(
        Code::QuoteNotFound,
        quote.span.clone(),
        format!("the quote is not in its document `{}`", document.file),
    )
    .with_label("not found, even after normalising quotes, dashes and white space");
    if let Some((chars, score)) = text.closest(&needle) {
        let bytes = char_range_to_bytes(&document.text, chars);
        let line = document.text[..bytes.start].matches('\n').count() + 1;
        d = d.with_hint(format!(
            "the closest passage ({:.0}% alike, line {line} of the document) reads: \"{}\"",
            score * 100.0,
            document.text[bytes].replace('\n', " ")
        ));
    } else {
        d = d.with_hint("no passage of the document shares a word with this quote");
    }
    diagnostics.push(d);
    None
}

/// A claim id that depends only on what the claim says, so it stays the same when other claims
/// are added, removed or reordered.
fn derived_id(
    model: &Model,
    source: usize,
    subject: usize,
    predicate: usize,
    object: &ClaimObject,
    stance: Stance,
    quote: &str,
) -> String {
    let object = match object {
        ClaimObject::Entity(e) => format!("entity:{}", model.entities[*e].id),
        ClaimObject::Value(v) => format!("{}:{}", v.type_name(), v.key()),
    };
    let mut hasher = Sha256::new();
    for part in [
        model.entities[source].id.as_str(),
        model.entities[subject].id.as_str(),
        model.predicates[predicate].id.as_str(),
        object.as_str(),
        stance.as_str(),
        normalize(quote).as_str(),
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0x1f]);
    }
    format!("c-{}", &hex::encode(hasher.finalize())[..12])
}
