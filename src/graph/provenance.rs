//! Provenance analysis: where each claim comes from and whose voice that is, which statements
//! are corroborated by independent voices and which only look corroborated, and which claims
//! contradict each other.
//!
//! The counting rules, which every view, export and command takes from here: a claim's *origin*
//! is the end of its citing chain, else its reporter; its *voice* is the outermost whole the
//! origin is `part_of` (a ministry speaks for its intelligence service), so one actor heard
//! twice is one voice; a statement is corroborated only by distinct voices of its own stance,
//! and the voices of the other stance are counted apart, against it.

use petgraph::unionfind::UnionFind;
use rayon::prelude::*;
use typed_index_collections::{TiSlice, TiVec};

use super::{KnowledgeGraph, PartOfComponents, Wholes};
use crate::model::{
    Claim, ClaimIdx, ClaimObject, DocumentIdx, EntityIdx, EntityKind, ExcludesScope, Model,
    PredicateIdx, RefField, Stance,
};

/// A claim's origin, the voice it speaks with, and how it stands to the statement's parties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimOrigin {
    /// The end of the citing chain, else the reporter.
    pub origin: EntityIdx,
    /// The outermost whole the origin is `part_of`, or the origin itself.
    pub voice: EntityIdx,
    /// The origin is a party to the statement: it, or a whole it is `part_of`, is the subject
    /// or the object or a whole one of them is `part_of`.
    pub interested: bool,
    /// Not a party, but the origin's country or nationality (or that of a whole it is
    /// `part_of`) is one of the subject's or object's.
    pub aligned: bool,
    /// The claim repeats what another claim of its statement, document and reporter traces
    /// further back, and carries that claim's voice.
    pub echoes: bool,
}

/// One statement (subject, predicate, object or value, stance) and the claims that make it.
#[derive(Debug, Clone)]
pub struct Statement {
    pub subject: EntityIdx,
    pub predicate: PredicateIdx,
    pub object: ClaimObject,
    pub stance: Stance,
    /// Its claims, in model order.
    pub claims: Vec<ClaimIdx>,
    pub documents: usize,
    /// Distinct voices of its claims' origins: the independent origins.
    pub voices: Vec<EntityIdx>,
    /// Distinct voices of the claims that state the same subject, predicate and object with the
    /// other stance: the voices against it.
    pub opposing_voices: usize,
    /// One of its claims conflicts with another claim.
    pub conflicting: bool,
    /// It denies, the other stance is stated too, or it is conflicting.
    pub contested: bool,
}

impl Statement {
    /// Several documents that trace back to fewer voices: circular reporting.
    pub fn circular(&self) -> bool {
        self.documents > 1 && self.voices.len() < self.documents
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ConflictReason {
    /// The same statement affirmed and denied.
    OppositeStance,
    /// A functional predicate with different values in overlapping time.
    Functional,
    /// Two predicates that exclude each other for the same subject and object.
    Excludes,
}

impl ConflictReason {
    pub const ALL: [ConflictReason; 3] = [
        ConflictReason::OppositeStance,
        ConflictReason::Functional,
        ConflictReason::Excludes,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ConflictReason::OppositeStance => "opposite-stance",
            ConflictReason::Functional => "functional",
            ConflictReason::Excludes => "excludes",
        }
    }

    /// The reason a stored word names (`opposite-stance`, `functional`, `excludes`).
    pub fn parse(word: &str) -> Option<ConflictReason> {
        ConflictReason::ALL.into_iter().find(|r| r.as_str() == word)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The two claims, ordered by claim id.
    pub a: ClaimIdx,
    pub b: ClaimIdx,
    pub reason: ConflictReason,
    pub detail: String,
}

#[derive(Debug)]
pub struct Analysis {
    /// One per claim, in model order.
    pub origins: TiVec<ClaimIdx, ClaimOrigin>,
    pub statements: Vec<Statement>,
    /// For each claim, its statement's index.
    pub statement_of: TiVec<ClaimIdx, usize>,
    pub conflicts: Vec<Conflict>,
}

/// A claim's statement as numbers that sort like its ids and values: subject, predicate,
/// object, stance. Sorting claims by it puts each statement's claims side by side, and each
/// subject–predicate pair's statements too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct StatementKey {
    subject: u32,
    predicate: u32,
    object: ObjectKey,
    stance: Stance,
}

/// An object entity or value, ordered as the text `entity:<id>` or `<type>:<value>` would be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct ObjectKey {
    /// The rank of `date`, `entity`, `number` or `text`.
    kind: u8,
    /// The rank of the entity id, or of the value among the values.
    rank: u32,
}

/// The rank of each item under `key`.
fn ranks<'a, I, V, K>(items: &'a TiSlice<I, V>, key: impl Fn(&'a V) -> K + Sync) -> TiVec<I, u32>
where
    I: From<usize> + Copy + Send,
    usize: From<I>,
    V: Sync,
    K: Ord,
{
    let mut order: Vec<I> = items.keys().collect();
    order.par_sort_unstable_by_key(|&i| key(&items[i]));
    let mut rank: TiVec<I, u32> = vec![0; items.len()].into();
    for (position, i) in order.into_iter().enumerate() {
        rank[i] = u32::try_from(position).expect("fewer than 2^32 items");
    }
    rank
}

fn statement_keys(model: &Model) -> TiVec<ClaimIdx, StatementKey> {
    let entity = ranks(&model.entities, |e| e.id.as_str());
    let predicate = ranks(&model.predicates, |p| p.id.as_str());
    // Equal values share a rank: the distinct values in order, then each value's place.
    let mut values: Vec<(&'static str, String)> = model
        .claims
        .raw
        .par_iter()
        .filter_map(|c| match &c.object {
            ClaimObject::Value(v) => Some((v.type_name(), v.key())),
            ClaimObject::Entity(_) => None,
        })
        .collect();
    values.par_sort_unstable();
    values.dedup();
    let kind = |name: &str| -> u8 {
        match name {
            "date" => 0,
            "entity" => 1,
            "number" => 2,
            "text" => 3,
            other => unreachable!("no value type `{other}`"),
        }
    };
    let keys: Vec<StatementKey> = model
        .claims
        .raw
        .par_iter()
        .map(|c| StatementKey {
            subject: entity[c.subject],
            predicate: predicate[c.predicate],
            object: match &c.object {
                ClaimObject::Entity(e) => ObjectKey {
                    kind: kind("entity"),
                    rank: entity[*e],
                },
                ClaimObject::Value(v) => {
                    let key = (v.type_name(), v.key());
                    let rank = values
                        .binary_search(&key)
                        .expect("every value was gathered");
                    ObjectKey {
                        kind: kind(key.0),
                        rank: u32::try_from(rank).expect("fewer than 2^32 values"),
                    }
                }
            },
            stance: c.stance,
        })
        .collect();
    keys.into()
}

pub fn analyse(model: &Model, graph: &KnowledgeGraph) -> Analysis {
    let keys = statement_keys(model);
    // Claims in statement order, each statement's in model order.
    let mut order: Vec<ClaimIdx> = model.claims.keys().collect();
    order.par_sort_unstable_by_key(|&i| (keys[i], i));
    let wholes = PartOfComponents::new(&model.entities).wholes(&model.entities);
    let voices = voices(model);
    let mut origins = claim_origins(model, graph, &wholes, &voices);
    echo_cited_voices(model, &keys, &order, &mut origins);
    let (mut statements, statement_of) = statements(model, &keys, &order, &origins);
    let conflicts = conflicts(model, &keys, &order, &wholes, &voices);
    contest(&mut statements, &keys, &statement_of, &conflicts);
    Analysis {
        origins,
        statements,
        statement_of,
        conflicts,
    }
}

/// The voice of every entity: the entities joined by `part_of`, in either direction and
/// transitively, speak as one, named by the outermost whole among them (one that is part of
/// nothing), the first by id. An origin with several wholes joins them all, and a cycle of
/// `part_of` is one voice too: when in doubt, fewer voices.
fn voices(model: &Model) -> TiVec<EntityIdx, EntityIdx> {
    // The groups, by petgraph's union-find over entity indices.
    let mut groups: UnionFind<usize> = UnionFind::new(model.entities.len());
    for (e, entity) in model.entities.iter_enumerated() {
        for &(field, target) in &entity.links {
            if field == RefField::PartOf {
                groups.union(e.index(), target.index());
            }
        }
    }
    let group_of: Vec<usize> = groups.into_labeling();
    let outermost = |e: EntityIdx| {
        !model.entities[e]
            .links
            .iter()
            .any(|(field, _)| *field == RefField::PartOf)
    };
    // For each group, its outermost member first by id, else its first member by id.
    let mut name: Vec<Option<EntityIdx>> = vec![None; model.entities.len()];
    for e in model.entities.keys() {
        let group = group_of[e.index()];
        let better = match name[group] {
            None => true,
            Some(n) => {
                (outermost(e), std::cmp::Reverse(&model.entities[e].id))
                    > (outermost(n), std::cmp::Reverse(&model.entities[n].id))
            }
        };
        if better {
            name[group] = Some(e);
        }
    }
    model
        .entities
        .keys()
        .map(|e| name[group_of[e.index()]].expect("every group has a member"))
        .collect()
}

/// The countries of an entity, given its wholes: their own `country` and `nationality`, and
/// the wholes that are countries. Sorted.
fn countries(model: &Model, wholes: &[EntityIdx]) -> Vec<EntityIdx> {
    let mut countries: Vec<EntityIdx> = Vec::new();
    for &whole in wholes {
        let entity = &model.entities[whole];
        if entity.kind == EntityKind::Country {
            countries.push(whole);
        }
        for &(field, target) in &entity.links {
            if matches!(field, RefField::Country | RefField::Nationality) {
                countries.push(target);
            }
        }
    }
    countries.sort_unstable();
    countries.dedup();
    countries
}

/// Whether two sorted lists share an item.
fn meet(a: &[EntityIdx], b: &[EntityIdx]) -> bool {
    a.iter().any(|e| b.binary_search(e).is_ok())
}

fn claim_origins(
    model: &Model,
    graph: &KnowledgeGraph,
    wholes: &Wholes,
    voices: &TiSlice<EntityIdx, EntityIdx>,
) -> TiVec<ClaimIdx, ClaimOrigin> {
    // Entities with one list of wholes have one list of countries.
    let countries: Vec<Vec<EntityIdx>> = wholes
        .lists()
        .par_iter()
        .map(|wholes| countries(model, wholes))
        .collect();
    let countries = |e: EntityIdx| countries[wholes.component(e)].as_slice();
    // Rayon walks the plain vector (typed-index-collections has no parallel iterators); the
    // position is the claim's index.
    let origins: Vec<ClaimOrigin> = model
        .claims
        .raw
        .par_iter()
        .enumerate()
        .map(|(i, claim)| {
            let origin = graph.origin(ClaimIdx::from(i));
            let parties = std::iter::once(claim.subject).chain(claim.object.entity());
            let interested = parties
                .clone()
                .any(|p| meet(wholes.of(origin), wholes.of(p)));
            let aligned = !interested && { parties }.any(|p| meet(countries(origin), countries(p)));
            ClaimOrigin {
                origin,
                voice: voices[origin],
                echoes: false,
                interested,
                aligned,
            }
        })
        .collect();
    origins.into()
}

/// A claim whose citing chain stops short of another claim's of the same statement, in the
/// same document and by the same reporter, repeats what that claim traces further back: the
/// article's own words of what it reports from a source (a lead summing up what the article
/// later attributes), or an outlet's report whose source the article names elsewhere. It is
/// not a second voice: it carries the voice of the longer chain (of the first in chain order,
/// when several extend it). The literal origin stays as it is.
fn echo_cited_voices(
    model: &Model,
    keys: &TiSlice<ClaimIdx, StatementKey>,
    order: &[ClaimIdx],
    origins: &mut TiSlice<ClaimIdx, ClaimOrigin>,
) {
    let chain = |c: ClaimIdx| -> Vec<&str> {
        model.claims[c]
            .citing
            .iter()
            .map(|&e| model.entities[e].id.as_str())
            .collect()
    };
    for claims in runs(order, |a, b| keys[a] == keys[b]) {
        if claims.len() < 2 {
            continue;
        }
        // By document and reporter, then chain: the chains that extend a chain follow it.
        let mut sorted: Vec<(DocumentIdx, EntityIdx, Vec<&str>, ClaimIdx)> = claims
            .iter()
            .map(|&c| {
                let claim = &model.claims[c];
                (claim.document, claim.reported_by, chain(c), c)
            })
            .collect();
        sorted.sort();
        // From the longest chains back, so that a chain takes the voice its extension has
        // already taken from a longer one.
        for i in (0..sorted.len()).rev() {
            let (document, reporter, own, c) = &sorted[i];
            let extension = sorted[i + 1..]
                .iter()
                .find(|(d, r, other, _)| (d, r) != (document, reporter) || other != own)
                .filter(|(d, r, other, _)| {
                    (d, r) == (document, reporter)
                        && other.len() > own.len()
                        && other.starts_with(own)
                });
            if let Some(&(_, _, _, longer)) = extension {
                origins[*c].voice = origins[longer].voice;
                origins[*c].echoes = true;
            }
        }
    }
}

/// The runs of `order` whose claims agree on `same`.
fn runs<'a>(
    order: &'a [ClaimIdx],
    same: impl Fn(ClaimIdx, ClaimIdx) -> bool + 'a,
) -> impl Iterator<Item = &'a [ClaimIdx]> + 'a {
    order.chunk_by(move |&a, &b| same(a, b))
}

fn statements(
    model: &Model,
    keys: &TiSlice<ClaimIdx, StatementKey>,
    order: &[ClaimIdx],
    origins: &TiSlice<ClaimIdx, ClaimOrigin>,
) -> (Vec<Statement>, TiVec<ClaimIdx, usize>) {
    let mut statement_of: TiVec<ClaimIdx, usize> = vec![0; model.claims.len()].into();
    let statements = runs(order, |a, b| keys[a] == keys[b])
        .enumerate()
        .map(|(index, claims)| {
            let first = &model.claims[claims[0]];
            let mut documents: Vec<DocumentIdx> =
                claims.iter().map(|&c| model.claims[c].document).collect();
            documents.sort_unstable();
            documents.dedup();
            let mut voices: Vec<EntityIdx> = claims.iter().map(|&c| origins[c].voice).collect();
            voices.sort_unstable();
            voices.dedup();
            for &c in claims {
                statement_of[c] = index;
            }
            Statement {
                subject: first.subject,
                predicate: first.predicate,
                object: first.object.clone(),
                stance: first.stance,
                documents: documents.len(),
                voices,
                opposing_voices: 0,
                conflicting: false,
                contested: false,
                claims: claims.to_vec(),
            }
        })
        .collect();
    (statements, statement_of)
}

/// Counts each statement's opposing voices and marks it contested: a denial, a statement whose
/// other stance is stated too, or one of whose claims conflicts with another. Statements come
/// in key order, so the affirmation and the denial of one subject, predicate and object are
/// neighbours; they are compared by key, as they were grouped (40 and 40.0 are one value).
fn contest(
    statements: &mut [Statement],
    keys: &TiSlice<ClaimIdx, StatementKey>,
    statement_of: &TiSlice<ClaimIdx, usize>,
    conflicts: &[Conflict],
) {
    let ends = |s: &Statement| {
        let k = keys[s.claims[0]];
        (k.subject, k.predicate, k.object)
    };
    for i in 1..statements.len() {
        let (before, after) = statements.split_at_mut(i);
        let (a, b) = (&mut before[i - 1], &mut after[0]);
        if ends(a) == ends(b) {
            a.opposing_voices = b.voices.len();
            b.opposing_voices = a.voices.len();
        }
    }
    for conflict in conflicts {
        statements[statement_of[conflict.a]].conflicting = true;
        statements[statement_of[conflict.b]].conflicting = true;
    }
    for statement in statements.iter_mut() {
        statement.contested = statement.stance == Stance::Denies
            || statement.opposing_voices > 0
            || statement.conflicting;
    }
}

/// Whether the times of two claims overlap; a claim without a time overlaps every time.
fn overlap(a: &Claim, b: &Claim) -> bool {
    match (&a.when, &b.when) {
        (Some(x), Some(y)) => x.overlaps(y),
        _ => true,
    }
}

fn conflicts(
    model: &Model,
    keys: &TiSlice<ClaimIdx, StatementKey>,
    order: &[ClaimIdx],
    wholes: &Wholes,
    voices: &TiSlice<EntityIdx, EntityIdx>,
) -> Vec<Conflict> {
    let mut found = Vec::new();
    let mut push = |a: ClaimIdx, b: ClaimIdx, reason, detail: String| {
        let (a, b) = if model.claims[a].id <= model.claims[b].id {
            (a, b)
        } else {
            (b, a)
        };
        found.push(Conflict {
            a,
            b,
            reason,
            detail,
        });
    };
    let affirms = |c: ClaimIdx| model.claims[c].stance == Stance::Affirms;

    // The same subject, predicate and object: affirming claims sort before denying ones.
    let same_statement = |a: ClaimIdx, b: ClaimIdx| {
        let (x, y) = (keys[a], keys[b]);
        (x.subject, x.predicate, x.object) == (y.subject, y.predicate, y.object)
    };
    for claims in runs(order, same_statement) {
        let split = claims.partition_point(|&c| affirms(c));
        for &a in &claims[..split] {
            for &d in &claims[split..] {
                push(
                    a,
                    d,
                    ConflictReason::OppositeStance,
                    "one claim affirms what the other denies".to_owned(),
                );
            }
        }
    }

    // A functional predicate's affirmed values for one subject.
    let same_pair = |a: ClaimIdx, b: ClaimIdx| {
        (keys[a].subject, keys[a].predicate) == (keys[b].subject, keys[b].predicate)
    };
    for run in runs(order, same_pair) {
        if !model.predicates[model.claims[run[0]].predicate].functional {
            continue;
        }
        // In model order, which names the values in the detail in the order they were written.
        let mut claims: Vec<ClaimIdx> = run.iter().copied().filter(|&c| affirms(c)).collect();
        claims.sort_unstable();
        for (n, &a) in claims.iter().enumerate() {
            for &b in &claims[n + 1..] {
                let (ca, cb) = (&model.claims[a], &model.claims[b]);
                if overlap(ca, cb) && keys[a].object != keys[b].object {
                    let predicate = &model.predicates[ca.predicate];
                    push(
                        a,
                        b,
                        ConflictReason::Functional,
                        format!(
                            "`{}` has one value at a time, but the claims give {} and {}",
                            predicate.id,
                            describe(model, &ca.object),
                            describe(model, &cb.object)
                        ),
                    );
                }
            }
        }
    }

    // Predicates that exclude each other, affirmed of the same subject in overlapping time.
    // Only claims whose predicate takes part in an exclusion can be in such a pair; first the
    // pairs with the same object, which every scope covers, then, among the predicates whose
    // exclusion reaches further, the pairs with different objects.
    let mut excluding: TiVec<PredicateIdx, bool> = vec![false; model.predicates.len()].into();
    let mut reaching: TiVec<PredicateIdx, bool> = vec![false; model.predicates.len()].into();
    for (p, predicate) in model.predicates.iter_enumerated() {
        let far = predicate.excludes_scope != ExcludesScope::SameObject;
        for &x in &predicate.excludes {
            excluding[p] = true;
            excluding[x] = true;
            reaching[p] |= far;
            reaching[x] |= far;
        }
    }
    // The scope under which the predicates of claims `a` and `b` exclude each other, when
    // either declares it and it covers their objects.
    let excluded = |a: ClaimIdx, b: ClaimIdx| -> Option<(ExcludesScope, String)> {
        let (ca, cb) = (&model.claims[a], &model.claims[b]);
        let (pa, pb) = (
            &model.predicates[ca.predicate],
            &model.predicates[cb.predicate],
        );
        let same_object = keys[a].object == keys[b].object;
        let covers = |scope: ExcludesScope| match scope {
            ExcludesScope::SameObject => same_object,
            ExcludesScope::AnyObject => true,
            ExcludesScope::SameSide => match (ca.object.entity(), cb.object.entity()) {
                (Some(x), Some(y)) => meet(wholes.of(x), wholes.of(y)),
                _ => same_object,
            },
        };
        let declared = [(pa, cb.predicate), (pb, ca.predicate)]
            .into_iter()
            .filter(|(p, other)| p.excludes.contains(other) && covers(p.excludes_scope))
            .map(|(p, _)| p.excludes_scope)
            .min()?;
        if !overlap(ca, cb) {
            return None;
        }
        let detail = match declared {
            _ if same_object => {
                format!("`{}` and `{}` exclude each other", pa.id, pb.id)
            }
            ExcludesScope::SameSide => format!(
                "`{}` and `{}` exclude each other for objects on one side ({} and {})",
                pa.id,
                pb.id,
                describe(model, &ca.object),
                describe(model, &cb.object)
            ),
            _ => format!(
                "`{}` and `{}` exclude each other whatever the objects",
                pa.id, pb.id
            ),
        };
        Some((declared, detail))
    };
    // Whether the predicates `p` and `q` exclude each other, and whether that reaches beyond
    // the same object, and beyond one side.
    let exclusion = |p: PredicateIdx, q: PredicateIdx| -> Option<ExcludesScope> {
        let (pp, pq) = (&model.predicates[p], &model.predicates[q]);
        [(pp, q), (pq, p)]
            .into_iter()
            .filter(|(declaring, other)| declaring.excludes.contains(other))
            .map(|(declaring, _)| declaring.excludes_scope)
            .max()
    };
    // Pairs the claims of two runs of one predicate each, when the predicates exclude each
    // other under `reach` or further; within one run only when a predicate excludes itself.
    let mut pair_runs = |runs: &[&[ClaimIdx]], reach: ExcludesScope, same_ends: bool| {
        for (i, x) in runs.iter().enumerate() {
            for (j, y) in runs.iter().enumerate().skip(i) {
                let (p, q) = (model.claims[x[0]].predicate, model.claims[y[0]].predicate);
                if exclusion(p, q).is_none_or(|scope| scope < reach) {
                    continue;
                }
                for (n, &a) in x.iter().enumerate() {
                    let others = if i == j { &y[n + 1..] } else { &y[..] };
                    for &b in others {
                        if !same_ends && keys[a].object == keys[b].object {
                            continue;
                        }
                        if let Some((_, detail)) = excluded(a, b) {
                            push(a, b, ConflictReason::Excludes, detail);
                        }
                    }
                }
            }
        }
    };
    let mut candidates: Vec<ClaimIdx> = order
        .iter()
        .copied()
        .filter(|&c| affirms(c) && excluding[model.claims[c].predicate])
        .collect();
    // The same subject and object, by predicate.
    candidates.sort_by_key(|&c| (keys[c].subject, keys[c].object, keys[c].predicate, c));
    let same_ends = |a: ClaimIdx, b: ClaimIdx| {
        (keys[a].subject, keys[a].object) == (keys[b].subject, keys[b].object)
    };
    for claims in runs(&candidates, same_ends) {
        let by_predicate: Vec<&[ClaimIdx]> =
            runs(claims, |a, b| keys[a].predicate == keys[b].predicate).collect();
        pair_runs(&by_predicate, ExcludesScope::SameObject, true);
    }
    // Different objects: one subject's claims by predicate; objects on one side have one voice
    // (their wholes meet only within it), so `same-side` pairs are sought within a voice and
    // only `any-object` pairs across voices.
    candidates.retain(|&c| reaching[model.claims[c].predicate]);
    // Values after every voice.
    let side = |c: ClaimIdx| model.claims[c].object.entity().map(|e| voices[e]).ok_or(());
    candidates.sort_by_key(|&c| (keys[c].subject, side(c), keys[c].predicate, c));
    for claims in runs(&candidates, |a, b| {
        (keys[a].subject, side(a)) == (keys[b].subject, side(b))
    }) {
        let by_predicate: Vec<&[ClaimIdx]> =
            runs(claims, |a, b| keys[a].predicate == keys[b].predicate).collect();
        pair_runs(&by_predicate, ExcludesScope::SameSide, false);
    }
    let mut anywhere: TiVec<PredicateIdx, bool> = vec![false; model.predicates.len()].into();
    for (p, predicate) in model.predicates.iter_enumerated() {
        if predicate.excludes_scope == ExcludesScope::AnyObject {
            for &x in &predicate.excludes {
                anywhere[p] = true;
                anywhere[x] = true;
            }
        }
    }
    candidates.retain(|&c| anywhere[model.claims[c].predicate]);
    candidates.sort_by_key(|&c| (keys[c].subject, keys[c].predicate, c));
    for claims in runs(&candidates, |a, b| keys[a].subject == keys[b].subject) {
        let by_predicate: Vec<&[ClaimIdx]> =
            runs(claims, |a, b| keys[a].predicate == keys[b].predicate).collect();
        pair_runs(&by_predicate, ExcludesScope::AnyObject, false);
    }
    found.par_sort_unstable_by(|x, y| {
        (&model.claims[x.a].id, &model.claims[x.b].id, x.reason).cmp(&(
            &model.claims[y.a].id,
            &model.claims[y.b].id,
            y.reason,
        ))
    });
    found.dedup_by(|x, y| x.a == y.a && x.b == y.b && x.reason == y.reason);
    found
}

fn describe(model: &Model, object: &ClaimObject) -> String {
    match object {
        ClaimObject::Entity(e) => format!("`{}`", model.entities[*e].id),
        ClaimObject::Value(v) => format!("`{}`", v.key()),
    }
}
