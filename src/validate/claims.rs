//! Rules for claims: every reference resolves, subject and object fit the predicate, values
//! have the predicate's type, dates and stances are valid, ids are unique, and the quote occurs
//! in the claim's document.

use std::collections::BTreeMap;

use foldhash::HashMap;
use std::ops::Range;

use rayon::prelude::*;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};

use sha2::{Digest, Sha256};

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Files, Span};
use crate::load::{RawClaim, RawScalar, Sp};
use crate::model::text::{NormalizedText, normalize};
use crate::model::{
    Claim, ClaimObject, DateRange, EntityKind, Model, ObjectType, Origin, RefField, Stance, Value,
};

use super::ids::{IdRegistry, IdStyle, check_id};
use super::names::check_visible;
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
    let quotes: Vec<QuoteRef> = raws
        .iter()
        .map(|raw| QuoteRef {
            span: raw.quote.as_ref().map_or(&raw.span, |q| &q.span).clone(),
            occurrence: raw.occurrence.clone(),
        })
        .collect();
    drop(raws);
    let located = locate_quotes(&attempts, &quotes, model, diagnostics);
    drop(quotes);

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

/// Where a claim's quote is written, and which of its occurrences the claim asks for.
#[derive(Debug)]
struct QuoteRef {
    span: Span,
    occurrence: Option<Box<Sp<i64>>>,
}

/// How many occurrences of a quote the messages list.
const LISTED_OCCURRENCES: usize = 10;

/// Finds every claim's quote with one multi-pattern pass over each document; reports the
/// quotes that are not there with the closest passage, the quotes that are there more than
/// once (the claim takes the first unless its `occurrence` says which), and an `occurrence`
/// beyond the last.
fn locate_quotes(
    claims: &[Option<Resolved>],
    quotes: &[QuoteRef],
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
    let asked = |i: usize| {
        quotes[i]
            .occurrence
            .as_ref()
            .map_or(1, |o| usize::try_from(o.value).unwrap_or(usize::MAX))
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
            let mut wanted: Vec<Vec<usize>> = vec![Vec::new(); needles.len()];
            let slot = |i: usize| {
                needles
                    .binary_search(&normalized(i))
                    .expect("every quote is a needle")
            };
            for &i in &members {
                wanted[slot(i)].push(asked(i));
            }
            let found = occurrences(&text.text, &needles, wanted);
            // Line numbers only when a message needs them.
            let lines = std::sync::OnceLock::new();
            let line_of = |bytes: &Range<usize>| -> usize {
                let starts: &Vec<usize> = lines.get_or_init(|| line_starts(&doc.text));
                starts.partition_point(|&s| s <= text.original_chars(bytes.clone()).start)
            };
            members
                .into_iter()
                .map(|i| {
                    let needle = normalized(i);
                    let found = &found[slot(i)];
                    let quote = &quotes[i];
                    let result = if found.count == 0 {
                        Err(Box::new(quote_not_found(
                            quote.span.clone(),
                            needle,
                            &text,
                            doc,
                        )))
                    } else {
                        match found.at(asked(i)) {
                            Some(bytes) => {
                                let warning =
                                    (found.count > 1 && quote.occurrence.is_none()).then(|| {
                                        Box::new(ambiguous_quote(quote, found, doc, &line_of))
                                    });
                                Ok((text.original_chars(bytes.clone()), warning))
                            }
                            None => Err(Box::new(occurrence_beyond(quote, found, doc, &line_of))),
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
            Ok((range, warning)) => {
                found[i] = Some(range);
                if let Some(warning) = warning {
                    diagnostics.push(*warning);
                }
            }
            Err(d) => diagnostics.push(*d),
        }
    }
    found
}

/// A claim's index and where its quote is (with a warning when it is there more than once), or
/// why it cannot be placed.
type Located = (
    usize,
    Result<(Range<usize>, Option<Box<Diagnostic>>), Box<Diagnostic>>,
);

/// The character offset of every line's start in `text`.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            text.chars()
                .enumerate()
                .filter(|&(_, c)| c == '\n')
                .map(|(n, _)| n + 1),
        )
        .collect()
}

/// "lines 3 and 17", "lines 3, 5, 9, … (the first 10 of 25)".
fn listed_lines(found: &Occurrences, line_of: &dyn Fn(&Range<usize>) -> usize) -> String {
    let lines: Vec<String> = found
        .listed()
        .map(|bytes| line_of(bytes).to_string())
        .collect();
    match lines.as_slice() {
        [one] => format!("line {one}"),
        [init @ .., last] if found.count <= lines.len() => {
            format!("lines {} and {last}", init.join(", "))
        }
        all => format!(
            "lines {}, … (the first {} of {})",
            all.join(", "),
            all.len(),
            found.count
        ),
    }
}

/// The quote occurs more than once and the claim does not say which: the first is taken.
fn ambiguous_quote(
    quote: &QuoteRef,
    found: &Occurrences,
    document: &crate::model::Document,
    line_of: &dyn Fn(&Range<usize>) -> usize,
) -> Diagnostic {
    let choices: Vec<String> = found
        .listed()
        .enumerate()
        .take(3)
        .map(|(n, bytes)| format!("{} for line {}", n + 1, line_of(bytes)))
        .collect();
    Diagnostic::error(
        Code::AmbiguousQuote,
        quote.span.clone(),
        format!(
            "the quote occurs {} times in its document `{}`: on {}",
            found.count,
            document.file,
            listed_lines(found, line_of)
        ),
    )
    .warning()
    .with_label("the first is taken")
    .with_hint(format!(
        "say which one the claim means with `occurrence = N` ({}{})",
        choices.join(", "),
        if found.count > 3 { ", …" } else { "" }
    ))
}

/// The claim asks for an occurrence past the last one.
fn occurrence_beyond(
    quote: &QuoteRef,
    found: &Occurrences,
    document: &crate::model::Document,
    line_of: &dyn Fn(&Range<usize>) -> usize,
) -> Diagnostic {
    let occurrence = quote
        .occurrence
        .as_ref()
        .expect("only an asked occurrence is missing");
    let times = match found.count {
        1 => "once".to_owned(),
        n => format!("{n} times"),
    };
    Diagnostic::error(
        Code::InvalidValue,
        occurrence.span.clone(),
        format!(
            "`occurrence = {}`, but the quote occurs {times} in `{}`: on {}",
            occurrence.value,
            document.file,
            listed_lines(found, line_of)
        ),
    )
    .with_label(format!("beyond occurrence {}", found.count))
    .with_hint(if found.count == 1 {
        "remove `occurrence`: the quote is there only once".to_owned()
    } else {
        format!("give a number from 1 to {}", found.count)
    })
}

/// The occurrences of one needle: how many there are, and where the first few and the ones
/// claims ask for are (byte ranges in the normal form).
#[derive(Debug, Default)]
struct Occurrences {
    count: usize,
    /// `(occurrence, bytes)`, in document order.
    kept: Vec<(usize, Range<usize>)>,
}

impl Occurrences {
    fn at(&self, occurrence: usize) -> Option<&Range<usize>> {
        self.kept
            .iter()
            .find(|(n, _)| *n == occurrence)
            .map(|(_, bytes)| bytes)
    }

    /// The first occurrences, as many as messages list.
    fn listed(&self) -> impl Iterator<Item = &Range<usize>> {
        self.kept
            .iter()
            .take_while(|(n, _)| *n <= LISTED_OCCURRENCES)
            .map(|(_, bytes)| bytes)
    }
}

/// Counts every needle's occurrences in `haystack` (overlapping ones too, so that each can be
/// chosen) and keeps the places of the first few and of those in `wanted`: memory bounded by
/// the claims, not by how often a quote occurs.
fn occurrences(haystack: &str, needles: &[&str], wanted: Vec<Vec<usize>>) -> Vec<Occurrences> {
    let mut found: Vec<Occurrences> = std::iter::repeat_with(Occurrences::default)
        .take(needles.len())
        .collect();
    if needles.is_empty() {
        return found;
    }
    let wanted: Vec<Vec<usize>> = wanted
        .into_iter()
        .map(|mut w| {
            w.sort_unstable();
            w.dedup();
            w
        })
        .collect();
    QuoteMatcher::new(needles, SMALL_QUOTE_WORK).for_each(haystack, |pattern, bytes| {
        let slot = &mut found[pattern];
        slot.count += 1;
        if slot.count <= LISTED_OCCURRENCES || wanted[pattern].binary_search(&slot.count).is_ok() {
            slot.kept.push((slot.count, bytes));
        }
    });
    found
}

/// Up to this many quotes times their characters, a document's quotes are found with
/// aho-corasick's contiguous NFA, beyond it with daachorse's double array (as names are; see
/// `MentionFinder::new`). Aho-corasick builds the few hundred quotes of a document two to four
/// times faster (at a million generated claims, daachorse for every document cost 10 % more
/// processor time in `check`), but two steps of its construction are super-linear: reordering
/// the states (at most (2 × quotes)² steps) and copying into each state the quotes that end
/// there (at most quotes × characters). Under this bound neither is felt; 100,000 quotes such as
/// "said 1", "said 10", "said 100", … took it 7 s, and take daachorse a fraction of one.
const SMALL_QUOTE_WORK: usize = 10_000_000;

/// One multi-pattern automaton over a document's quotes, the one that suits their number.
enum QuoteMatcher {
    Few(AhoCorasick),
    Many(CharwiseDoubleArrayAhoCorasick<u32>),
}

impl QuoteMatcher {
    /// `needles` are distinct and none is empty; `small` is the bound on quotes × characters
    /// below which the first kind is built.
    fn new(needles: &[&str], small: usize) -> QuoteMatcher {
        let characters: usize = needles.iter().map(|n| n.len()).sum();
        if needles.len().saturating_mul(characters) <= small {
            QuoteMatcher::Few(
                AhoCorasick::builder()
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(needles)
                    .expect("quote patterns compile"),
            )
        } else {
            // Its prefilter speeds up scans in which matches are rare; a document is scanned
            // once, and building the prefilter costs more than it saves.
            QuoteMatcher::Many(
                CharwiseDoubleArrayAhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .use_prefilter(false)
                    .build_with_values(needles.iter().zip(0u32..))
                    .expect("distinct quotes, none shorter than MIN_QUOTE_CHARS"),
            )
        }
    }

    /// Calls `found(needle, bytes)` for every occurrence of every needle, overlapping ones too,
    /// in the order in which they end.
    fn for_each(&self, haystack: &str, mut found: impl FnMut(usize, Range<usize>)) {
        match self {
            QuoteMatcher::Few(matcher) => {
                for m in matcher.find_overlapping_iter(haystack) {
                    found(m.pattern().as_usize(), m.range());
                }
            }
            QuoteMatcher::Many(matcher) => {
                for m in matcher.find_overlapping_iter(haystack) {
                    found(m.value() as usize, m.start()..m.end());
                }
            }
        }
    }
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
    let explicit_id = raw.id.as_ref().map(|id| {
        (check_visible(id, "id", diagnostics) && check_id(id, IdStyle::Kebab, diagnostics))
            .then(|| id.value.clone())
    });
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
    if let Some(reporter) = reported_by {
        check_citing_loops(raw, reporter, &citing, model, diagnostics);
    }
    let occurrence_ok = raw.occurrence.as_ref().is_none_or(|o| {
        let ok = o.value >= 1;
        if !ok {
            diagnostics.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    o.span.clone(),
                    format!("`occurrence = {}`: occurrences count from 1", o.value),
                )
                .with_label("1 for the first time the quote occurs, 2 for the second, …"),
            );
        }
        ok
    });

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
    if !quote_ok || !occurrence_ok {
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
            &QuoteAt {
                normalized: &normalized,
                occurrence: raw.occurrence.as_ref().map_or(1, |o| o.value),
            },
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

/// Reports a citing chain that comes back to an entity already in it (the reporter counts as
/// its first link). Right after itself, the entity would cite itself: an error, since the
/// repeat says nothing and removing it loses nothing. Further on, the chain goes in a circle
/// ("A reports, citing B, which cites A"): a warning, since a text can say so and the tool is
/// there to show circular reporting; the claim still counts once, as the voice of its origin,
/// which going round does not change. One pass with a hash map, however long the chain.
fn check_citing_loops(
    raw: &RawClaim,
    reporter: usize,
    citing: &[Option<usize>],
    model: &Model,
    diagnostics: &mut Diagnostics,
) {
    // The chain as written, the reporter at position 0, and where each entity was last seen.
    let chain: Vec<Option<usize>> = std::iter::once(Some(reporter))
        .chain(citing.iter().copied())
        .collect();
    let span_at = |position: usize| match position {
        0 => raw.reported_by.as_ref().map(|r| r.span.clone()),
        n => Some(raw.citing[n - 1].span.clone()),
    };
    let id = |e: usize| format!("`{}`", model.entities[e].id);
    let mut last_seen: HashMap<usize, usize> = HashMap::default();
    for (position, entity) in chain.iter().enumerate() {
        let Some(entity) = *entity else { continue };
        let Some(previous) = last_seen.insert(entity, position) else {
            continue;
        };
        let span = span_at(position).expect("a repeat is in `citing`");
        let implicit = raw.reported_by.is_none();
        let reporter_note = match (previous, implicit) {
            (0, false) => " (the claim's reporter)",
            (0, true) => " (the claim's reporter: by default its source's outlet, else the source)",
            _ => "",
        };
        let diagnostic = if previous + 1 == position {
            let (message, hint) = if previous == 0 {
                (
                    format!(
                        "{} cites itself: it reports the claim and comes first in `citing`{}",
                        id(entity),
                        if implicit {
                            " (a claim without `reported_by` is reported by its source's outlet, \
                             else the source)"
                        } else {
                            ""
                        }
                    ),
                    "remove it from `citing`: what the reporter says itself needs no chain",
                )
            } else {
                (
                    format!(
                        "{} cites itself: it comes twice in a row in `citing`",
                        id(entity)
                    ),
                    "remove one of them",
                )
            };
            Diagnostic::error(Code::CitingLoop, span, message)
                .with_label("the same entity again")
                .with_hint(hint)
        } else {
            let walk: Vec<String> = chain[previous..=position]
                .iter()
                .map(|e| e.map_or_else(|| "`?`".to_owned(), id))
                .collect();
            let origin = chain.last().copied().flatten().unwrap_or(reporter);
            Diagnostic::error(
                Code::CitingLoop,
                span,
                format!(
                    "the citing chain goes in a circle, back to {}{reporter_note}: {}",
                    id(entity),
                    super::shorten(&walk, " cites ")
                ),
            )
            .warning()
            .with_label(format!("{} again", id(entity)))
            .with_hint(format!(
                "kept as circular reporting: the claim counts once, as the voice of its origin \
                 {}, never as a voice of its own for each step; if the text does not go round \
                 like this, remove the repeat",
                id(origin)
            ))
        };
        diagnostics.push(match span_at(previous) {
            Some(first) => diagnostic.with_related(first, "first here"),
            None => diagnostic,
        });
    }
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

/// The quote in normal form, and which of its occurrences in the document the claim means.
struct QuoteAt<'a> {
    normalized: &'a str,
    occurrence: i64,
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
    quote: &QuoteAt<'_>,
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
    hasher.update(quote.normalized.as_bytes());
    hasher.update([0x1f]);
    // The same words at another place of the document are another claim; the first place, which
    // is what a claim without `occurrence` means, keeps the id it had before the field existed.
    if quote.occurrence != 1 {
        hasher.update(quote.occurrence.to_string().as_bytes());
        hasher.update([0x1f]);
    }
    // Twelve hex digits: the first six bytes of the digest.
    format!("c-{}", hex::encode(&hasher.finalize()[..6]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurrences_are_counted_and_kept_as_far_as_asked() {
        let haystack = "ab ab ab ab ab ab ab ab ab ab ab ab ab";
        let found = occurrences(haystack, &["ab", "cd"], vec![vec![12, 1], vec![1]]);
        assert_eq!(found[0].count, 13);
        // The first ten for messages, and the twelfth that a claim asks for.
        assert_eq!(found[0].kept.len(), 11);
        assert_eq!(found[0].at(12), Some(&(33..35)));
        assert_eq!(found[0].at(11), None);
        assert_eq!(found[0].listed().count(), LISTED_OCCURRENCES);
        assert_eq!(found[1].count, 0);
    }

    /// Both automata find the same occurrences, so that which one a document's quotes get
    /// (by their number and length) changes nothing but the time.
    #[test]
    fn few_and_many_quotes_are_found_alike() {
        let haystack = "said 1, said 10 and said 100; Said 1000. said 10said 1 — ünïcode said 1";
        let needles = [
            "said 1",
            "said 10",
            "said 100",
            "d 1",
            "ünïcode",
            "1000.",
            "absent",
        ];
        let all = |small| {
            let mut found = Vec::new();
            QuoteMatcher::new(&needles, small)
                .for_each(haystack, |n, bytes| found.push((n, bytes)));
            found.sort_by_key(|(n, bytes)| (bytes.end, *n));
            found
        };
        assert!(matches!(
            QuoteMatcher::new(&needles, usize::MAX),
            QuoteMatcher::Few(_)
        ));
        assert!(matches!(
            QuoteMatcher::new(&needles, 0),
            QuoteMatcher::Many(_)
        ));
        let few = all(usize::MAX);
        assert_eq!(few, all(0));
        assert_eq!(few.iter().filter(|(n, _)| *n == 0).count(), 6, "{few:?}");
        assert!(
            few.iter()
                .all(|(n, bytes)| &haystack[bytes.clone()] == needles[*n])
        );
    }

    #[test]
    fn lines_start_after_each_newline_counted_in_characters() {
        assert_eq!(line_starts("é\nab\n\nc"), [0, 2, 5, 6]);
    }
}
