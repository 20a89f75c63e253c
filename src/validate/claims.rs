//! Rules for claims: every reference resolves, subject and object fit the predicate, values
//! have the predicate's type, dates and stances are valid, ids are unique, and the quote occurs
//! in the claim's document.

use std::collections::BTreeMap;

use foldhash::HashMap;
use std::ops::Range;

use rayon::prelude::*;

use aho_corasick::{AhoCorasick, AhoCorasickKind};

use sha2::{Digest, Sha256};

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Files, Span};
use crate::load::{RawClaim, RawScalar, Sp};
use crate::model::text::{NormalizedText, normalize};
use crate::model::{
    Claim, ClaimObject, DateRange, EntityKind, Model, ObjectType, Origin, RefField, Stance, Value,
};

use super::ids::{IdRegistry, IdStyle, check_id};
use super::{Resolver, check_kind};

/// Quotes shorter than this (after normalisation) would match almost anywhere.
pub const MIN_QUOTE_CHARS: usize = 3;

#[expect(
    clippy::vec_box,
    reason = "the records are boxed where they are parsed, so that joining them moves pointers"
)]
pub fn resolve(
    raws: Vec<Box<RawClaim>>,
    model: &Model,
    resolver: &Resolver<'_>,
    registry: &IdRegistry,
    files: &Files,
    diagnostics: &mut Diagnostics,
) -> Vec<Claim> {
    let document_of: HashMap<usize, usize> = model
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.entity, i))
        .collect();
    // Claims resolve independently, so in parallel; their diagnostics are joined in order.
    let (attempts, found): (Vec<Option<Resolved>>, Vec<Diagnostics>) = raws
        .par_iter()
        .map(|raw| {
            let mut found = Diagnostics::default();
            let claim = resolve_one(raw, model, resolver, &document_of, files, &mut found);
            (claim, found)
        })
        .unzip();
    for found in found {
        diagnostics.extend(found);
    }
    // What later diagnostics point at: where each claim's id is written (or the claim, for a
    // derived id) and its quote. The raw claims, the largest thing in memory, can go.
    let id_spans: Vec<(Span, bool)> = raws
        .iter()
        .map(|raw| {
            let span = raw.id.as_ref().map_or(&raw.span, |i| &i.span);
            (span.clone(), raw.id.is_some())
        })
        .collect();
    let quote_spans: Vec<Span> = raws
        .iter()
        .map(|raw| raw.quote.as_ref().map_or(&raw.span, |q| &q.span).clone())
        .collect();
    drop(raws);
    let located = locate_quotes(&attempts, &quote_spans, model, diagnostics);
    drop(quote_spans);

    // Each attempt is consumed as its claim is taken, so the claims are never held twice.
    let mut claims = Vec::with_capacity(located.iter().flatten().count());
    let mut first_span: HashMap<String, Span> = HashMap::default();
    for ((attempt, (id_span, explicit)), location) in
        attempts.into_iter().zip(id_spans).zip(located)
    {
        let (Some((mut claim, _)), Some(location)) = (attempt, location) else {
            continue;
        };
        claim.quote_chars = location;
        // Claims are nodes of the graph beside the entities, so their ids share one namespace.
        if let Some((first, what)) = registry.defined(&claim.id) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    id_span.clone(),
                    format!("claim id `{}` is already the id of a {what}", claim.id),
                )
                .with_label("this claim")
                .with_related(first.clone(), "defined here")
                .with_hint("ids are unique across all records; rename the claim"),
            );
            continue;
        }
        if let Some(first) = first_span.get(&claim.id) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    id_span.clone(),
                    format!("duplicate claim id `{}`", claim.id),
                )
                .with_label("this claim")
                .with_related(first.clone(), "has the same id as this one")
                .with_hint(if explicit {
                    "give each claim its own id".to_owned()
                } else {
                    "the two claims state the same thing, with the same attribution and quote; remove one, or give them distinct `id`s".to_owned()
                }),
            );
            continue;
        }
        first_span.insert(claim.id.clone(), id_span);
        claims.push(claim);
    }
    claims
}

/// Finds every claim's quote with one multi-pattern pass over each document; reports the
/// quotes that are not there with the closest passage.
fn locate_quotes(
    claims: &[Option<Resolved>],
    quote_spans: &[Span],
    model: &Model,
    diagnostics: &mut Diagnostics,
) -> Vec<Option<std::ops::Range<usize>>> {
    let mut by_document: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, claim) in claims.iter().enumerate() {
        if let Some((claim, _)) = claim {
            by_document.entry(claim.document).or_default().push(i);
        }
    }
    let normalized = |i: usize| {
        claims[i]
            .as_ref()
            .map_or("", |(claim, n)| n.as_deref().unwrap_or(&claim.quote))
    };
    // Each document is normalised and scanned once, documents in parallel.
    let located: Vec<Located> = by_document
        .into_par_iter()
        .flat_map_iter(|(document, members)| {
            let doc = &model.documents[document];
            let text = NormalizedText::new(&doc.text);
            let mut needles: Vec<&str> = members.iter().map(|&i| normalized(i)).collect();
            needles.sort_unstable();
            needles.dedup();
            let first = first_occurrences(&text.text, &needles);
            members
                .into_iter()
                .map(|i| {
                    let needle = normalized(i);
                    let at = needles
                        .binary_search(&needle)
                        .ok()
                        .and_then(|n| first[n].clone());
                    let result = match at {
                        Some(bytes) => Ok(text.original_chars(bytes)),
                        None => {
                            let span = quote_spans[i].clone();
                            Err(Box::new(quote_not_found(span, needle, &text, doc)))
                        }
                    };
                    (i, result)
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let mut found = vec![None; claims.len()];
    for (i, result) in located {
        match result {
            Ok(range) => found[i] = Some(range),
            Err(d) => diagnostics.push(*d),
        }
    }
    found
}

/// A claim's index and where its quote is, or why it is not there.
type Located = (usize, Result<Range<usize>, Box<Diagnostic>>);

/// The byte range of the first occurrence of each needle in `haystack`.
fn first_occurrences(haystack: &str, needles: &[&str]) -> Vec<Option<std::ops::Range<usize>>> {
    let mut first: Vec<Option<std::ops::Range<usize>>> = vec![None; needles.len()];
    if needles.is_empty() {
        return first;
    }
    // A contiguous NFA builds fast and scans one document well; a DFA would cost more to
    // build than it saves on a single pass.
    let matcher = AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(needles)
        .expect("quote patterns compile");
    let mut missing = needles.len();
    for m in matcher.find_overlapping_iter(haystack) {
        let slot = &mut first[m.pattern().as_usize()];
        if slot.is_none() {
            *slot = Some(m.range());
            missing -= 1;
            if missing == 0 {
                break;
            }
        }
    }
    first
}

/// A resolved claim, with its quote in normal form for locating it when that differs from the
/// quote as written.
type Resolved = (Claim, Option<String>);

fn resolve_one(
    raw: &RawClaim,
    model: &Model,
    resolver: &Resolver<'_>,
    document_of: &HashMap<usize, usize>,
    files: &Files,
    diagnostics: &mut Diagnostics,
) -> Option<Resolved> {
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
        check_kind(
            span,
            resolver.kinds[subject],
            &predicate.subject,
            &format!("the subject of `{}`", predicate.id),
            Code::PredicateDomain,
            diagnostics,
        );
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
    let normalized = raw.quote.as_ref().map(|q| normalize(&q.value));
    let quote_ok = raw
        .quote
        .as_ref()
        .zip(normalized.as_deref())
        .is_some_and(|(q, n)| check_quote_length(q, n, diagnostics));

    // Everything below needs every part resolved; the problems have been reported above.
    let (source, reported_by, subject, predicate, object, stance) = (
        source?,
        reported_by?,
        subject?,
        predicate?,
        claim_object?,
        stance?,
    );
    if !quote_ok {
        return None;
    }
    let citing: Vec<usize> = citing.into_iter().collect::<Option<_>>()?;
    let quote = raw.quote.as_ref()?.value.clone();
    let normalized = normalized?;
    let id = match explicit_id {
        Some(id) => id?,
        None => derived_id(
            model,
            &Attribution {
                source,
                reported_by,
                citing: &citing,
            },
            subject,
            predicate,
            &object,
            stance,
            &normalized,
        ),
    };
    let (file, line, _) = files.position(&raw.span);
    let claim = Claim {
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
        // Filled in once all quotes of the document are located.
        quote_chars: 0..0,
        note: raw.note.as_ref().map(|n| n.value.clone()),
        origin: Origin {
            file: file.to_owned(),
            line,
        },
    };
    // Most quotes are in normal form as written; only the others keep a copy.
    let normalized = (normalized != claim.quote).then_some(normalized);
    Some((claim, normalized))
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

/// Quotes too short to locate meaningfully are refused.
fn check_quote_length(quote: &Sp<String>, normalized: &str, diagnostics: &mut Diagnostics) -> bool {
    if normalized.chars().count() >= MIN_QUOTE_CHARS {
        return true;
    }
    diagnostics.push(
        Diagnostic::error(
            Code::InvalidValue,
            quote.span.clone(),
            format!("the quote \"{}\" is too short to locate", quote.value),
        )
        .with_label(format!("at least {MIN_QUOTE_CHARS} characters")),
    );
    false
}

/// The quote is not in its document: say so, with the closest passage as a hint.
fn quote_not_found(
    span: Span,
    needle: &str,
    text: &NormalizedText,
    document: &crate::model::Document,
) -> Diagnostic {
    let d = Diagnostic::error(
        Code::QuoteNotFound,
        span,
        format!("the quote is not in its document `{}`", document.file),
    )
    .with_label("not found, even after normalising quotes, dashes and white space");
    match text.closest(needle) {
        Some((chars, score)) => {
            let lines = text.original_lines(&document.text);
            let line = lines.line(chars.start);
            let passage = document.text[lines.bytes(&document.text, chars)].replace('\n', " ");
            d.with_hint(format!(
                "the closest passage ({:.0}% alike, line {line} of the document) reads: \"{}\"",
                score * 100.0,
                shortened(&passage)
            ))
        }
        None => d.with_hint("no word of this quote occurs in the document"),
    }
}

/// Passages longer than this are shown cut, in hints.
const SHOWN_PASSAGE_CHARS: usize = 300;

/// A passage as a hint shows it: whole up to [`SHOWN_PASSAGE_CHARS`], else its start and `…`.
fn shortened(passage: &str) -> std::borrow::Cow<'_, str> {
    match passage.char_indices().nth(SHOWN_PASSAGE_CHARS) {
        Some((cut, _)) => format!("{} …", passage[..cut].trim_end()).into(),
        None => passage.into(),
    }
}

/// Who states a claim where: part of what identifies it.
struct Attribution<'a> {
    source: usize,
    reported_by: usize,
    citing: &'a [usize],
}

/// A claim id that depends only on what the claim says, so it stays the same when other claims
/// are added, removed or reordered.
fn derived_id(
    model: &Model,
    attribution: &Attribution<'_>,
    subject: usize,
    predicate: usize,
    object: &ClaimObject,
    stance: Stance,
    normalized_quote: &str,
) -> String {
    // The parts are hashed as they are, each followed by a unit separator; a million claims
    // are hashed without building their text.
    let mut hasher = Sha256::new();
    let id = |e: usize| model.entities[e].id.as_bytes();
    hasher.update(id(attribution.source));
    hasher.update([0x1f]);
    // The reporter and then the citing chain, separated by spaces.
    hasher.update(id(attribution.reported_by));
    for &cited in attribution.citing {
        hasher.update(b" ");
        hasher.update(id(cited));
    }
    hasher.update([0x1f]);
    hasher.update(id(subject));
    hasher.update([0x1f]);
    hasher.update(model.predicates[predicate].id.as_bytes());
    hasher.update([0x1f]);
    match object {
        ClaimObject::Entity(e) => {
            hasher.update(b"entity:");
            hasher.update(id(*e));
        }
        ClaimObject::Value(v) => {
            hasher.update(v.type_name().as_bytes());
            hasher.update(b":");
            hasher.update(v.key().as_bytes());
        }
    }
    hasher.update([0x1f]);
    hasher.update(stance.as_str().as_bytes());
    hasher.update([0x1f]);
    hasher.update(normalized_quote.as_bytes());
    hasher.update([0x1f]);
    // Twelve hex digits: the first six bytes of the digest.
    format!("c-{}", hex::encode(&hasher.finalize()[..6]))
}
