//! A claim from its record: the passes of `claim_refs`, `claim_values` and `quotes`, then its
//! id (written, or derived from what it says) checked unique by `ids`.

use foldhash::HashMap;

use rayon::prelude::*;

use sha2::{Digest, Sha256};

use crate::diagnostic::{Diagnostics, Files, Span};
use crate::load::RawClaim;
use crate::model::{
    Claim, ClaimIdx, ClaimObject, DateRange, DefinedAt, DocumentIdx, EntityIdx, Model,
    PredicateIdx, Stance,
};
use typed_index_collections::TiVec;

use super::claim_refs;
use super::ids::{ClaimIds, IdRegistry, IdStyle, check_id};
use super::names::check_visible;
use super::quotes::{self, QuoteRef};
use super::{Resolver, claim_values};

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
) -> TiVec<ClaimIdx, Claim> {
    let document_of: HashMap<EntityIdx, DocumentIdx> = model
        .documents
        .iter_enumerated()
        .map(|(i, d)| (d.entity, i))
        .collect();
    // Claims resolve independently, so in parallel; their diagnostics are joined in order.
    // Each record is dropped as soon as its claim is made, and its quote moves into the claim,
    // so that the records, the largest thing in memory, are not all held beside the claims.
    // What later diagnostics point at is kept: where each claim's id is written (or the claim,
    // for a derived id) and its quote.
    #[expect(clippy::type_complexity, reason = "unzipped at once into four vectors")]
    let ((attempts, found), (id_spans, quotes)): (
        (Vec<Option<Resolved>>, Vec<Diagnostics>),
        (Vec<(Span, bool)>, Vec<QuoteRef>),
    ) = raws
        .into_par_iter()
        .map(|mut raw| {
            let mut found = Diagnostics::default();
            let claim = resolve_one(&mut raw, model, resolver, &document_of, files, &mut found);
            let id_span = raw.id.as_ref().map_or(&raw.span, |i| &i.span).clone();
            let quote = QuoteRef {
                span: raw.quote.as_ref().map_or(&raw.span, |q| &q.span).clone(),
                occurrence: raw.occurrence.take(),
            };
            ((claim, found), ((id_span, raw.id.is_some()), quote))
        })
        .unzip();
    for found in found {
        diagnostics.extend(found);
    }
    let needles: Vec<Option<quotes::Needle<'_>>> = attempts
        .iter()
        .map(|attempt| {
            attempt.as_ref().map(|(claim, normalized)| {
                (
                    claim.document,
                    normalized.as_deref().unwrap_or(&claim.quote),
                )
            })
        })
        .collect();
    let located = quotes::locate_quotes(&needles, &quotes, model, diagnostics);
    drop(needles);
    drop(quotes);

    // Each attempt is consumed as its claim is taken, so the claims are never held twice.
    let mut claims = TiVec::with_capacity(located.iter().flatten().count());
    let mut ids = ClaimIds::new(registry);
    for ((attempt, (id_span, explicit)), location) in
        attempts.into_iter().zip(id_spans).zip(located)
    {
        let (Some((mut claim, _)), Some(location)) = (attempt, location) else {
            continue;
        };
        claim.quote_chars = location;
        if ids.take(&claim.id, id_span, explicit, diagnostics) {
            claims.push(claim);
        }
    }
    claims
}

/// A resolved claim, with its quote in normal form for locating it when that differs from the
/// quote as written.
type Resolved = (Claim, Option<String>);

/// Checks one claim with every pass; the claim, when all that it needs is valid.
fn resolve_one(
    raw: &mut RawClaim,
    model: &Model,
    resolver: &Resolver<'_>,
    document_of: &HashMap<EntityIdx, DocumentIdx>,
    files: &Files,
    diagnostics: &mut Diagnostics,
) -> Option<Resolved> {
    let explicit_id = raw.id.as_ref().map(|id| {
        (check_visible(id, "id", diagnostics) && check_id(id, IdStyle::Kebab, diagnostics))
            .then(|| id.value.clone())
    });
    let refs = claim_refs::resolve(raw, model, resolver, diagnostics);
    let occurrence_ok = quotes::check_occurrence(raw, diagnostics);
    claim_refs::check_subject(raw, &refs, model, resolver, diagnostics);
    let object = refs.predicate.and_then(|p| {
        let predicate = &model.predicates[p];
        claim_values::check_object(
            raw,
            &predicate.object,
            &predicate.id,
            refs.object,
            resolver,
            diagnostics,
        )
    });
    let when = claim_values::when(raw, diagnostics);
    let stance = claim_values::stance(raw, diagnostics);
    let normalized = quotes::normalized_quote(raw, diagnostics);

    // Everything below needs every part resolved; the problems have been reported above.
    if !occurrence_ok {
        return None;
    }
    let parts = Parts {
        source: refs.source?,
        reported_by: refs.reported_by?,
        citing: refs.citing.into_iter().collect::<Option<_>>()?,
        subject: refs.subject?,
        predicate: refs.predicate?,
        object: object?,
        stance: stance?,
        normalized: normalized?,
        occurrence: raw.occurrence.as_ref().map_or(1, |o| o.value),
    };
    let id = match explicit_id {
        Some(id) => id?,
        None => derived_id(model, &parts),
    };
    let document = document_of.get(&parts.source).copied()?;
    // The record is done with after this: its quote moves into the claim.
    let quote = std::mem::take(&mut raw.quote.as_mut()?.value);
    Some(claim(raw, (id, document, quote), parts, when, files))
}

/// What the passes made of a claim, every part valid: what its derived id is made of.
struct Parts {
    source: EntityIdx,
    reported_by: EntityIdx,
    citing: Vec<EntityIdx>,
    subject: EntityIdx,
    predicate: PredicateIdx,
    object: ClaimObject,
    stance: Stance,
    /// The quote in normal form.
    normalized: String,
    /// Which of the quote's occurrences in the document the claim means.
    occurrence: i64,
}

/// The claim made of valid parts, with its quote in normal form when that differs from the
/// quote as written.
fn claim(
    raw: &RawClaim,
    (id, document, quote): (String, DocumentIdx, String),
    parts: Parts,
    when: Option<DateRange>,
    files: &Files,
) -> Resolved {
    let (file, line, _) = files.position(&raw.span);
    let claim = Claim {
        id,
        document,
        reported_by: parts.reported_by,
        citing: parts.citing,
        subject: parts.subject,
        predicate: parts.predicate,
        object: parts.object,
        when,
        stance: parts.stance,
        hedged: raw.hedged.as_ref().is_some_and(|h| h.value),
        quote,
        // Filled in once all quotes of the document are located.
        quote_chars: 0..0,
        occurrence: parts.occurrence,
        note: raw.note.as_ref().map(|n| n.value.clone()),
        defined_at: DefinedAt {
            file: file.to_owned(),
            line,
        },
    };
    // Most quotes are in normal form as written; only the others keep a copy.
    let normalized = (parts.normalized != claim.quote).then_some(parts.normalized);
    (claim, normalized)
}

/// A claim id that depends only on what the claim says, so it stays the same when other claims
/// are added, removed or reordered.
fn derived_id(model: &Model, parts: &Parts) -> String {
    // The parts are hashed as they are, each followed by a unit separator; a million claims
    // are hashed without building their text.
    let mut hasher = Sha256::new();
    let id = |e: EntityIdx| model.entities[e].id.as_bytes();
    hasher.update(id(parts.source));
    hasher.update([0x1f]);
    // The reporter and then the citing chain, separated by spaces.
    hasher.update(id(parts.reported_by));
    for &cited in &parts.citing {
        hasher.update(b" ");
        hasher.update(id(cited));
    }
    hasher.update([0x1f]);
    hasher.update(id(parts.subject));
    hasher.update([0x1f]);
    hasher.update(model.predicates[parts.predicate].id.as_bytes());
    hasher.update([0x1f]);
    match &parts.object {
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
    hasher.update(parts.stance.as_str().as_bytes());
    hasher.update([0x1f]);
    hasher.update(parts.normalized.as_bytes());
    hasher.update([0x1f]);
    // The same words at another place of the document are another claim; the first place, which
    // is what a claim without `occurrence` means, keeps the id it had before the field existed.
    if parts.occurrence != 1 {
        hasher.update(parts.occurrence.to_string().as_bytes());
        hasher.update([0x1f]);
    }
    // Twelve hex digits: the first six bytes of the digest.
    format!("c-{}", hex::encode(&hasher.finalize()[..6]))
}
