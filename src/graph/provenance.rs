//! Provenance analysis: where each claim comes from, which statements are corroborated by
//! independent origins and which only look corroborated, and which claims contradict each other.

use rayon::prelude::*;

use super::KnowledgeGraph;
use crate::model::{ClaimObject, Model, Stance};

/// A claim's origin and whether that origin is a party to the statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimOrigin {
    pub origin: usize,
    /// The origin is, or belongs to, the side of the subject or of the object.
    pub interested: bool,
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
    /// Distinct origins, by entity index.
    pub origins: Vec<usize>,
}

impl Statement {
    /// Several documents that trace back to fewer origins: circular reporting.
    pub fn circular(&self) -> bool {
        self.documents > 1 && self.origins.len() < self.documents
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
    let origins = claim_origins(model, graph);
    let (statements, statement_of) = statements(model, &keys, &order, &origins);
    let conflicts = conflicts(model, &keys, &order);
    Analysis {
        origins,
        statements,
        statement_of,
        conflicts,
    }
}

fn claim_origins(model: &Model, graph: &KnowledgeGraph) -> Vec<ClaimOrigin> {
    let sides: Vec<Vec<usize>> = (0..model.entities.len())
        .into_par_iter()
        .map(|e| graph.side(e))
        .collect();
    let shares = |a: &[usize], b: &[usize]| a.iter().any(|e| b.binary_search(e).is_ok());
    model
        .claims
        .par_iter()
        .enumerate()
        .map(|(i, claim)| {
            let origin = graph.origin(i);
            let side = &sides[origin];
            let interested = shares(side, &sides[claim.subject])
                || claim
                    .object
                    .entity()
                    .is_some_and(|object| shares(side, &sides[object]));
            ClaimOrigin { origin, interested }
        })
        .collect()
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
            let mut distinct: Vec<usize> = claims.iter().map(|&c| origins[c].origin).collect();
            distinct.sort_unstable();
            distinct.dedup();
            for &c in claims {
                statement_of[c] = index;
            }
            Statement {
                subject: first.subject,
                predicate: first.predicate,
                object: first.object.clone(),
                stance: first.stance,
                documents: documents.len(),
                origins: distinct,
                claims: claims.to_vec(),
            }
        })
        .collect();
    (statements, statement_of)
}

fn conflicts(model: &Model, keys: &[StatementKey], order: &[usize]) -> Vec<Conflict> {
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
                let overlap = match (&ca.when, &cb.when) {
                    (Some(x), Some(y)) => x.overlaps(y),
                    _ => true,
                };
                if overlap && ca.object != cb.object {
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

    // Predicates that exclude each other, affirmed of the same subject and object. Only claims
    // whose predicate takes part in an exclusion can be in such a pair.
    let mut excluding = vec![false; model.predicates.len()];
    for (p, predicate) in model.predicates.iter().enumerate() {
        for &x in &predicate.excludes {
            excluding[p] = true;
            excluding[x] = true;
        }
    }
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
                let (ia, ib) = (model.claims[a].predicate, model.claims[b].predicate);
                let (pa, pb) = (&model.predicates[ia], &model.predicates[ib]);
                if pa.excludes.contains(&ib) || pb.excludes.contains(&ia) {
                    push(
                        a,
                        b,
                        ConflictReason::Excludes,
                        format!("`{}` and `{}` exclude each other", pa.id, pb.id),
                    );
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
