//! What the claims behind an edge add up to: their stances, reporters, documents and the
//! voices for and against it, counted apart.

use crate::model::Stance;
use crate::store::snapshot::{ClaimRow, RowClaim, RowEntity, RowSource, Snapshot};

/// What the claims behind a node or edge agree on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stances {
    Affirmed,
    Denied,
    /// Some claims affirm and some deny.
    Both,
    /// No claim is behind it: a curated link (`nationality`, `part_of`, …), a fact the
    /// analyst recorded rather than a statement some source made.
    Curated,
}

impl Stances {
    pub fn as_str(self) -> &'static str {
        match self {
            Stances::Affirmed => "affirms",
            Stances::Denied => "denies",
            Stances::Both => "both",
            Stances::Curated => "curated",
        }
    }
}

/// The claims behind an edge and what they add up to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Support {
    /// Indexes into [`Snapshot::claims`], in id order.
    pub claims: Vec<RowClaim>,
    /// Distinct reporters, entity indexes in id order.
    pub reporters: Vec<RowEntity>,
    /// Distinct voices of the affirming claims (their origins after `part_of`), entity indexes
    /// in index order: the independent origins that corroborate the edge.
    pub affirming: Vec<RowEntity>,
    /// Distinct voices of the denying claims: the independent origins against it. They never
    /// count towards `affirming`, the edge's weight or its line width.
    pub denying: Vec<RowEntity>,
    /// Distinct source documents, indexes into [`Snapshot::sources`].
    pub documents: Vec<RowSource>,
    pub stance: Stances,
    /// Every claim is hedged ("reportedly", "could not be verified").
    pub hedged: bool,
    /// Some claim contradicts another claim.
    pub conflicting: bool,
}

impl Support {
    /// Some claim denies what the edge says, or contradicts another claim.
    pub fn contested(&self) -> bool {
        !self.denying.is_empty() || self.conflicting
    }
}

/// What the claims of an edge (sorted, distinct) add up to.
pub(super) fn support(data: &Snapshot, claims: Vec<RowClaim>) -> Support {
    let rows = || claims.iter().map(|&c| &data.claims[c]);
    fn distinct<'r, T: Ord>(
        rows: impl Iterator<Item = &'r ClaimRow>,
        f: fn(&ClaimRow) -> T,
        stance: Option<Stance>,
    ) -> Vec<T> {
        let mut items: Vec<T> = rows
            .filter(|c| stance.is_none_or(|s| c.stance == s))
            .map(f)
            .collect();
        items.sort_unstable();
        items.dedup();
        items
    }
    let affirmed = rows().any(|c| c.stance == Stance::Affirms);
    let denied = rows().any(|c| c.stance == Stance::Denies);
    let stance = match (affirmed, denied) {
        (true, true) => Stances::Both,
        (false, true) => Stances::Denied,
        (true, false) => Stances::Affirmed,
        // A curated link: nobody stated it, so it neither affirms nor denies.
        (false, false) => Stances::Curated,
    };
    Support {
        reporters: distinct(rows(), |c| c.reporter, None),
        affirming: distinct(rows(), |c| c.voice, Some(Stance::Affirms)),
        denying: distinct(rows(), |c| c.voice, Some(Stance::Denies)),
        documents: distinct(rows(), |c| c.source, None),
        hedged: !claims.is_empty() && rows().all(|c| c.hedged),
        conflicting: rows().any(|c| !c.conflicts.is_empty()),
        stance,
        claims,
    }
}

/// The stance of one claim, as the edges and nodes that show it report it.
pub fn claim_stances(claim: &ClaimRow) -> Stances {
    match claim.stance {
        Stance::Affirms => Stances::Affirmed,
        Stance::Denies => Stances::Denied,
    }
}
