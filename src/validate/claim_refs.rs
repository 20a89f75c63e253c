//! Rules for a claim's references: `source` names a source, `reported_by`, `citing`,
//! `subject` and `object` name records and `predicate` a predicate; the subject is of a kind
//! the predicate takes; the citing chain does not come back to an entity already in it.

use foldhash::HashMap;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Span};
use crate::load::RawClaim;
use crate::model::{EntityIdx, EntityKind, Model, PredicateIdx, RefField};

use super::{Resolver, check_kind, shorten};

/// What a claim's references resolve to; `None` where one does not (it has been reported).
#[derive(Debug)]
pub struct ClaimRefs {
    pub source: Option<EntityIdx>,
    /// The reporter: `reported_by`, else the source's outlet, else the source.
    pub reported_by: Option<EntityIdx>,
    pub citing: Vec<Option<EntityIdx>>,
    pub subject: Option<EntityIdx>,
    pub predicate: Option<PredicateIdx>,
    /// `None` without `object`, `Some(None)` for one that does not resolve.
    pub object: Option<Option<EntityIdx>>,
}

/// Resolves the claim's references and checks its citing chain.
pub fn resolve(
    raw: &RawClaim,
    model: &Model,
    resolver: &Resolver<'_>,
    diagnostics: &mut Diagnostics,
) -> ClaimRefs {
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
    let citing: Vec<Option<EntityIdx>> = raw
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
    ClaimRefs {
        source,
        reported_by,
        citing,
        subject,
        predicate,
        object,
    }
}

/// Checks that the subject is of a kind the predicate takes.
pub fn check_subject(
    raw: &RawClaim,
    refs: &ClaimRefs,
    model: &Model,
    resolver: &Resolver<'_>,
    diagnostics: &mut Diagnostics,
) {
    if let (Some(subject), Some(predicate), Some(span)) =
        (refs.subject, refs.predicate, &raw.subject)
    {
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
}

/// Reports a citing chain that comes back to an entity already in it (the reporter counts as
/// its first link). Right after itself, the entity cites itself: a warning, since the repeat
/// says nothing and changes nothing (the claim is that entity's voice either way), and data
/// made by other tools writes it. Further on, the chain goes in a circle
/// ("A reports, citing B, which cites A"): a warning, since a text can say so and the tool is
/// there to show circular reporting; the claim still counts once, as the voice of its origin,
/// which going round does not change. One pass with a hash map, however long the chain.
fn check_citing_loops(
    raw: &RawClaim,
    reporter: EntityIdx,
    citing: &[Option<EntityIdx>],
    model: &Model,
    diagnostics: &mut Diagnostics,
) {
    // The chain as written, the reporter at position 0, and where each entity was last seen.
    let chain: Vec<Option<EntityIdx>> = std::iter::once(Some(reporter))
        .chain(citing.iter().copied())
        .collect();
    let span_at = |position: usize| match position {
        0 => raw.reported_by.as_ref().map(|r| r.span.clone()),
        n => Some(raw.citing[n - 1].span.clone()),
    };
    let id = |e: EntityIdx| format!("`{}`", model.entities[e].id);
    let mut last_seen: HashMap<EntityIdx, usize> = HashMap::default();
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
            self_citation(&id(entity), previous == 0, implicit, span)
        } else {
            let walk: Vec<String> = chain[previous..=position]
                .iter()
                .map(|e| e.map_or_else(|| "`?`".to_owned(), id))
                .collect();
            let origin = chain.last().copied().flatten().unwrap_or(reporter);
            circle(&id(entity), &walk, reporter_note, &id(origin), span)
        };
        diagnostics.push(match span_at(previous) {
            Some(first) => diagnostic.with_related(first, "first here"),
            None => diagnostic,
        });
    }
}

/// An entity right after itself in the chain: a warning, since the repeat says nothing and the
/// claim counts once, as that entity's voice, with or without it.
/// `reporter` when the first of the two is the claim's reporter; `implicit` when that reporter
/// is not written but the source's outlet or the source.
fn self_citation(entity: &str, reporter: bool, implicit: bool, span: Span) -> Diagnostic {
    let (message, hint) = if reporter {
        (
            format!(
                "{entity} cites itself: it reports the claim and comes first in `citing`{}",
                if implicit {
                    " (a claim without `reported_by` is reported by its source's outlet, \
                     else the source)"
                } else {
                    ""
                }
            ),
            "kept, as the reporter's own voice; remove it from `citing`: what the reporter \
             says itself needs no chain",
        )
    } else {
        (
            format!("{entity} cites itself: it comes twice in a row in `citing`"),
            "kept, counted once; remove one of them",
        )
    };
    Diagnostic::error(Code::CitingLoop, span, message)
        .warning()
        .with_label("the same entity again")
        .with_hint(hint)
}

/// A chain that goes in a circle back to `entity` through `walk`: a warning, since a text can
/// say so; the claim counts once, as the voice of its `origin`.
fn circle(
    entity: &str,
    walk: &[String],
    reporter_note: &str,
    origin: &str,
    span: Span,
) -> Diagnostic {
    Diagnostic::error(
        Code::CitingLoop,
        span,
        format!(
            "the citing chain goes in a circle, back to {entity}{reporter_note}: {}",
            shorten(walk, " cites ")
        ),
    )
    .warning()
    .with_label(format!("{entity} again"))
    .with_hint(format!(
        "kept as circular reporting: the claim counts once, as the voice of its origin \
         {origin}, never as a voice of its own for each step; if the text does not go round \
         like this, remove the repeat"
    ))
}

#[cfg(test)]
mod tests {
    use super::super::testing::check;

    #[test]
    fn every_reference_resolves() {
        check(
            r#"
[[claim]]
source = "reprot"
reported_by = "ministy"
citing = ["northern-unit", "ruritanai"]
subject = "northern-unti"
predicate = "lost_soldier"
object = "ministri"
quote = "lost several hundred soldiers"
"#,
            "error[unknown-reference] 2:10 `source` names `reprot`, but no record has that id
             error[unknown-reference] 3:15 `reported_by` names `ministy`, but no record has that id
             error[unknown-reference] 4:28 `citing` names `ruritanai`, but no record has that id
             error[unknown-reference] 5:11 `subject` names `northern-unti`, but no record has that id
             error[unknown-reference] 6:13 `predicate` names `lost_soldier`, but no predicate has that id
             error[unknown-reference] 7:10 `object` names `ministri`, but no record has that id",
        );
    }

    #[test]
    fn the_source_is_a_source_and_the_subject_a_kind_the_predicate_takes() {
        check(
            r#"
[[claim]]
source = "ministry"
subject = "northern-unit"
predicate = "lost_soldiers"
value = "several hundred"
quote = "lost several hundred soldiers"

[[claim]]
source = "report"
subject = "ruritania"
predicate = "lost_soldiers"
value = "several hundred"
quote = "lost several hundred soldiers"
"#,
            "error[wrong-kind] 2:10 `ministry` is an organisation, but `source` must be a source
             error[predicate-domain] 10:11 `ruritania` is a country, but the subject of `lost_soldiers` must be a unit",
        );
    }

    #[test]
    fn a_citing_chain_that_comes_back_is_a_warning_next_to_itself_or_further_on() {
        check(
            r#"
[[claim]]
source = "report"
citing = ["ministry", "ministry"]
subject = "northern-unit"
predicate = "lost_soldiers"
value = "several hundred"
quote = "lost several hundred soldiers"

[[claim]]
source = "report"
reported_by = "ministry"
citing = ["ministry"]
subject = "northern-unit"
predicate = "lost_soldiers"
value = "many"
quote = "lost several hundred soldiers"

[[claim]]
source = "report"
reported_by = "ministry"
citing = ["northern-unit", "ruritania", "ministry"]
subject = "northern-unit"
predicate = "lost_soldiers"
value = "a few"
quote = "lost several hundred soldiers"
"#,
            "warning[citing-loop] 3:23 `ministry` cites itself: it comes twice in a row in `citing`
             warning[citing-loop] 12:11 `ministry` cites itself: it reports the claim and comes first in `citing`
             warning[citing-loop] 21:41 the citing chain goes in a circle, back to `ministry` (the claim's reporter): `ministry` cites `northern-unit` cites `ruritania` cites `ministry`",
        );
    }
}
