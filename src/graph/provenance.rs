//! Provenance analysis: where each claim comes from and whose voice that is, which statements
//! are corroborated by independent voices and which only look corroborated, and which claims
//! contradict each other.
//!
//! The counting rules, which every view, export and command takes from here: a claim's *origin*
//! is the end of its citing chain, else its reporter; its *voice* is the outermost whole the
//! origin is `part_of` (a ministry speaks for its intelligence service), so one actor heard
//! twice is one voice; a statement is corroborated only by distinct voices of its own stance,
//! and the voices of the other stance are counted apart, against it.

use rayon::prelude::*;

use super::KnowledgeGraph;
use crate::model::{Claim, ClaimObject, ExcludesScope, Model, Stance};

/// A claim's origin, the voice it speaks with, and how it stands to the statement's parties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimOrigin {
    /// The end of the citing chain, else the reporter (entity index).
    pub origin: usize,
    /// The outermost whole the origin is `part_of`, or the origin itself (entity index).
    pub voice: usize,
    /// The origin is a party to the statement: it, or a whole it is `part_of`, is the subject
    /// or the object or a whole one of them is `part_of`.
    pub interested: bool,
    /// Not a party, but the origin's country or nationality (or that of a whole it is
    /// `part_of`) is one of the subject's or object's.
    pub aligned: bool,
}

/// One statement (subject, predicate, object or value, stance) and the claims that make it.
#[derive(Debug, Clone)]
pub struct Statement {
    pub subject: usize,
    pub predicate: usize,
    pub object: ClaimObject,
    pub stance: Stance,
    /// Indexes into [`Model::claims`], in model order.
    pub claims: Vec<usize>,
    pub documents: usize,
    /// Distinct voices of its claims' origins, by entity index: the independent origins.
    pub voices: Vec<usize>,
    /// Distinct voices of the claims that state the same subject, predicate and object with the
    /// other stance: the voices against it.
    pub opposing_voices: usize,
    /// The other stance is stated too, or one of its claims conflicts with another claim.
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
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictReason::OppositeStance => "opposite-stance",
            ConflictReason::Functional => "functional",
            ConflictReason::Excludes => "excludes",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// Claim indexes, ordered by claim id.
    pub a: usize,
    pub b: usize,
    pub reason: ConflictReason,
    pub detail: String,
}

#[derive(Debug)]
pub struct Analysis {
    /// One per claim, in model order.
    pub origins: Vec<ClaimOrigin>,
    pub statements: Vec<Statement>,
    /// For each claim, its statement's index.
    pub statement_of: Vec<usize>,
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
fn ranks<K: Ord + Sync>(len: usize, key: impl Fn(usize) -> K + Sync) -> Vec<u32> {
    let mut order: Vec<usize> = (0..len).collect();
    order.par_sort_unstable_by_key(|&i| key(i));
    let mut rank = vec![0; len];
    for (position, i) in order.into_iter().enumerate() {
        rank[i] = u32::try_from(position).expect("fewer than 2^32 items");
    }
    rank
}

fn statement_keys(model: &Model) -> Vec<StatementKey> {
    let entity = ranks(model.entities.len(), |i| model.entities[i].id.as_str());
    let predicate = ranks(model.predicates.len(), |i| model.predicates[i].id.as_str());
    // Equal values share a rank: the distinct values in order, then each value's place.
    let mut values: Vec<(&'static str, String)> = model
        .claims
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
    model
        .claims
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
        .collect()
}

pub fn analyse(model: &Model, graph: &KnowledgeGraph) -> Analysis {
    let keys = statement_keys(model);
    // Claims in statement order, each statement's in model order.
    let mut order: Vec<usize> = (0..model.claims.len()).collect();
    order.par_sort_unstable_by_key(|&i| (keys[i], i));
    let wholes: Vec<Vec<usize>> = (0..model.entities.len())
        .into_par_iter()
        .map(|e| graph.wholes(e))
        .collect();
    let mut origins = claim_origins(model, graph, &wholes);
    echo_cited_voices(model, &keys, &order, &mut origins);
    let (mut statements, statement_of) = statements(model, &keys, &order, &origins);
    let conflicts = conflicts(model, &keys, &order, &wholes);
    contest(&mut statements, &statement_of, &conflicts);
    Analysis {
        origins,
        statements,
        statement_of,
        conflicts,
    }
}

/// The outermost whole of an entity: of the wholes it is `part_of` that are part of nothing
/// further, the one first by id (a cycle of `part_of` has none, and then all its members are
/// candidates).
fn voice(model: &Model, wholes: &[Vec<usize>], entity: usize) -> usize {
    let own = &wholes[entity];
    let outermost = own.iter().copied().filter(|&w| wholes[w].len() == 1);
    let candidates: Vec<usize> = if outermost.clone().next().is_some() {
        outermost.collect()
    } else {
        own.clone()
    };
    candidates
        .into_iter()
        .min_by(|&a, &b| model.entities[a].id.cmp(&model.entities[b].id))
        .expect("an entity is among its own wholes")
}

/// Whether two sorted lists share an item.
fn meet(a: &[usize], b: &[usize]) -> bool {
    a.iter().any(|e| b.binary_search(e).is_ok())
}

fn claim_origins(model: &Model, graph: &KnowledgeGraph, wholes: &[Vec<usize>]) -> Vec<ClaimOrigin> {
    let countries: Vec<Vec<usize>> = (0..model.entities.len())
        .into_par_iter()
        .map(|e| graph.countries(e, model))
        .collect();
    model
        .claims
        .par_iter()
        .enumerate()
        .map(|(i, claim)| {
            let origin = graph.origin(i);
            let parties = std::iter::once(claim.subject).chain(claim.object.entity());
            let interested = parties.clone().any(|p| meet(&wholes[origin], &wholes[p]));
            let aligned =
                !interested && { parties }.any(|p| meet(&countries[origin], &countries[p]));
            ClaimOrigin {
                origin,
                voice: voice(model, wholes, origin),
                interested,
                aligned,
            }
        })
        .collect()
}

/// A document that states something in its own voice and also reports it from a cited origin
/// (a lead that sums up what the article later attributes) is not a second voice: its own
/// claims of that statement carry the voice of the cited origin (the first by id, when it
/// cites several). The literal origin stays as it is.
fn echo_cited_voices(
    model: &Model,
    keys: &[StatementKey],
    order: &[usize],
    origins: &mut [ClaimOrigin],
) {
    let own_voice = |c: &Claim| {
        let source = model.documents[c.document].entity;
        let outlet = model.entities[source].link(crate::model::RefField::Outlet);
        c.citing.is_empty() && (c.reported_by == source || Some(c.reported_by) == outlet)
    };
    for claims in runs(order, |a, b| keys[a] == keys[b]) {
        for &c in claims {
            let claim = &model.claims[c];
            if !own_voice(claim) {
                continue;
            }
            let cited = claims
                .iter()
                .filter(|&&o| {
                    let other = &model.claims[o];
                    other.document == claim.document && !other.citing.is_empty()
                })
                .map(|&o| origins[o].voice)
                .min_by(|&a, &b| model.entities[a].id.cmp(&model.entities[b].id));
            if let Some(voice) = cited {
                origins[c].voice = voice;
            }
        }
    }
}

/// The runs of `order` whose claims agree on `same`.
fn runs<'a>(
    order: &'a [usize],
    same: impl Fn(usize, usize) -> bool + 'a,
) -> impl Iterator<Item = &'a [usize]> + 'a {
    order.chunk_by(move |&a, &b| same(a, b))
}

fn statements(
    model: &Model,
    keys: &[StatementKey],
    order: &[usize],
    origins: &[ClaimOrigin],
) -> (Vec<Statement>, Vec<usize>) {
    let mut statement_of = vec![0; model.claims.len()];
    let statements = runs(order, |a, b| keys[a] == keys[b])
        .enumerate()
        .map(|(index, claims)| {
            let first = &model.claims[claims[0]];
            let mut documents: Vec<usize> =
                claims.iter().map(|&c| model.claims[c].document).collect();
            documents.sort_unstable();
            documents.dedup();
            let mut voices: Vec<usize> = claims.iter().map(|&c| origins[c].voice).collect();
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
                contested: false,
                claims: claims.to_vec(),
            }
        })
        .collect();
    (statements, statement_of)
}

/// Counts each statement's opposing voices and marks it contested. Statements come in key
/// order, so the affirmation and the denial of one subject, predicate and object are neighbours.
fn contest(statements: &mut [Statement], statement_of: &[usize], conflicts: &[Conflict]) {
    for i in 1..statements.len() {
        let (before, after) = statements.split_at_mut(i);
        let (a, b) = (&mut before[i - 1], &mut after[0]);
        if (a.subject, a.predicate, &a.object) == (b.subject, b.predicate, &b.object) {
            a.opposing_voices = b.voices.len();
            b.opposing_voices = a.voices.len();
            a.contested = true;
            b.contested = true;
        }
    }
    for conflict in conflicts {
        statements[statement_of[conflict.a]].contested = true;
        statements[statement_of[conflict.b]].contested = true;
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
    keys: &[StatementKey],
    order: &[usize],
    wholes: &[Vec<usize>],
) -> Vec<Conflict> {
    let mut found = Vec::new();
    let mut push = |a: usize, b: usize, reason, detail: String| {
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
    let affirms = |c: usize| model.claims[c].stance == Stance::Affirms;

    // The same subject, predicate and object: affirming claims sort before denying ones.
    let same_statement = |a: usize, b: usize| {
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
    let same_pair = |a: usize, b: usize| {
        (keys[a].subject, keys[a].predicate) == (keys[b].subject, keys[b].predicate)
    };
    for run in runs(order, same_pair) {
        if !model.predicates[model.claims[run[0]].predicate].functional {
            continue;
        }
        // In model order, which names the values in the detail in the order they were written.
        let mut claims: Vec<usize> = run.iter().copied().filter(|&c| affirms(c)).collect();
        claims.sort_unstable();
        for (n, &a) in claims.iter().enumerate() {
            for &b in &claims[n + 1..] {
                let (ca, cb) = (&model.claims[a], &model.claims[b]);
                if overlap(ca, cb) && ca.object != cb.object {
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
    let mut excluding = vec![false; model.predicates.len()];
    let mut reaching = vec![false; model.predicates.len()];
    for (p, predicate) in model.predicates.iter().enumerate() {
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
    let excluded = |a: usize, b: usize| -> Option<(ExcludesScope, String)> {
        let (ca, cb) = (&model.claims[a], &model.claims[b]);
        let (pa, pb) = (
            &model.predicates[ca.predicate],
            &model.predicates[cb.predicate],
        );
        let covers = |scope: ExcludesScope| match scope {
            ExcludesScope::SameObject => ca.object == cb.object,
            ExcludesScope::AnyObject => true,
            ExcludesScope::SameSide => match (ca.object.entity(), cb.object.entity()) {
                (Some(x), Some(y)) => meet(&wholes[x], &wholes[y]),
                _ => ca.object == cb.object,
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
            _ if ca.object == cb.object => {
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
    let mut candidates: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&c| affirms(c) && excluding[model.claims[c].predicate])
        .collect();
    candidates.sort_by_key(|&c| (keys[c].subject, keys[c].object, c));
    let same_ends =
        |a: usize, b: usize| (keys[a].subject, keys[a].object) == (keys[b].subject, keys[b].object);
    for claims in runs(&candidates, same_ends) {
        for (n, &a) in claims.iter().enumerate() {
            for &b in &claims[n + 1..] {
                if let Some((_, detail)) = excluded(a, b) {
                    push(a, b, ConflictReason::Excludes, detail);
                }
            }
        }
    }
    candidates.retain(|&c| reaching[model.claims[c].predicate]);
    candidates.sort_by_key(|&c| (keys[c].subject, c));
    for claims in runs(&candidates, |a, b| keys[a].subject == keys[b].subject) {
        for (n, &a) in claims.iter().enumerate() {
            for &b in &claims[n + 1..] {
                if keys[a].object == keys[b].object {
                    continue;
                }
                if let Some((_, detail)) = excluded(a, b) {
                    push(a, b, ConflictReason::Excludes, detail);
                }
            }
        }
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
