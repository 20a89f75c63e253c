//! Provenance analysis: where each claim comes from, which statements are corroborated by
//! independent origins and which only look corroborated, and which claims contradict each other.

use std::collections::{BTreeMap, BTreeSet};

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

/// Text that identifies an object or value, for grouping claims.
fn object_key(model: &Model, object: &ClaimObject) -> String {
    match object {
        ClaimObject::Entity(e) => format!("entity:{}", model.entities[*e].id),
        ClaimObject::Value(v) => format!("{}:{}", v.type_name(), v.key()),
    }
}

pub fn analyse(model: &Model, graph: &KnowledgeGraph) -> Analysis {
    let origins = claim_origins(model, graph);
    let (statements, statement_of) = statements(model, &origins);
    let conflicts = conflicts(model);
    Analysis {
        origins,
        statements,
        statement_of,
        conflicts,
    }
}

fn claim_origins(model: &Model, graph: &KnowledgeGraph) -> Vec<ClaimOrigin> {
    let mut sides: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut side = |entity: usize| -> Vec<usize> {
        sides
            .entry(entity)
            .or_insert_with(|| graph.side(entity))
            .clone()
    };
    model
        .claims
        .iter()
        .enumerate()
        .map(|(i, claim)| {
            let origin = graph.origin(i);
            let origin_side = side(origin);
            let mut parties = side(claim.subject);
            if let Some(object) = claim.object.entity() {
                parties.extend(side(object));
            }
            let interested = origin_side.iter().any(|e| parties.contains(e));
            ClaimOrigin { origin, interested }
        })
        .collect()
}

fn statements(model: &Model, origins: &[ClaimOrigin]) -> (Vec<Statement>, Vec<usize>) {
    let mut groups: BTreeMap<(&str, &str, String, Stance), Vec<usize>> = BTreeMap::new();
    for (i, claim) in model.claims.iter().enumerate() {
        groups
            .entry((
                model.entities[claim.subject].id.as_str(),
                model.predicates[claim.predicate].id.as_str(),
                object_key(model, &claim.object),
                claim.stance,
            ))
            .or_default()
            .push(i);
    }
    let mut statement_of = vec![0; model.claims.len()];
    let statements = groups
        .into_values()
        .enumerate()
        .map(|(index, claims)| {
            let first = &model.claims[claims[0]];
            let documents: BTreeSet<usize> =
                claims.iter().map(|&c| model.claims[c].document).collect();
            let distinct: BTreeSet<usize> = claims.iter().map(|&c| origins[c].origin).collect();
            for &c in &claims {
                statement_of[c] = index;
            }
            Statement {
                subject: first.subject,
                predicate: first.predicate,
                object: first.object.clone(),
                stance: first.stance,
                documents: documents.len(),
                origins: distinct.into_iter().collect(),
                claims,
            }
        })
        .collect();
    (statements, statement_of)
}

/// Affirming and denying claims of one subject, predicate and object.
#[derive(Debug, Default)]
struct Sides {
    affirming: Vec<usize>,
    denying: Vec<usize>,
}

fn conflicts(model: &Model) -> Vec<Conflict> {
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

    let mut by_statement: BTreeMap<(usize, usize, String), Sides> = BTreeMap::new();
    let mut by_functional: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    let mut by_pair: BTreeMap<(usize, String), Vec<usize>> = BTreeMap::new();
    for (i, claim) in model.claims.iter().enumerate() {
        let key = object_key(model, &claim.object);
        let entry = by_statement
            .entry((claim.subject, claim.predicate, key.clone()))
            .or_default();
        match claim.stance {
            Stance::Affirms => entry.affirming.push(i),
            Stance::Denies => entry.denying.push(i),
        }
        if claim.stance == Stance::Affirms {
            if model.predicates[claim.predicate].functional {
                by_functional
                    .entry((claim.subject, claim.predicate))
                    .or_default()
                    .push(i);
            }
            by_pair.entry((claim.subject, key)).or_default().push(i);
        }
    }

    for sides in by_statement.values() {
        for &a in &sides.affirming {
            for &d in &sides.denying {
                push(
                    a,
                    d,
                    ConflictReason::OppositeStance,
                    "one claim affirms what the other denies".to_owned(),
                );
            }
        }
    }
    for claims in by_functional.values() {
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
    for claims in by_pair.values() {
        for (n, &a) in claims.iter().enumerate() {
            for &b in &claims[n + 1..] {
                let (pa, pb) = (
                    &model.predicates[model.claims[a].predicate],
                    &model.predicates[model.claims[b].predicate],
                );
                let (ia, ib) = (model.claims[a].predicate, model.claims[b].predicate);
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
    found.sort_by(|x, y| {
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
