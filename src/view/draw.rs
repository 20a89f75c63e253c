//! What a claim adds to each view: the one definition of the three views, shared by the
//! builder ([`super::build`]) and the walk through the database ([`super::focus`]), so a
//! neighbourhood found by one is the neighbourhood the other draws.

use super::ViewKind;

/// One thing a claim adds to a view, its entities named by `E`: positions when building a
/// view from rows, ids when walking the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mark<E> {
    /// The claim's own node.
    ClaimNode,
    /// A value shown on its subject's node.
    Value(E),
    /// An edge; the predicate of a statement is the claim's.
    Edge {
        from: End<E>,
        to: End<E>,
        kind: Line,
    },
}

/// An end of a claim's edge: an entity, or the claim itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum End<E> {
    Entity(E),
    Claim,
}

/// [`EdgeKind`] without the predicate, which only the rows know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Line {
    Statement,
    Reported,
    Cites { position: usize },
    About,
    Citation,
}

/// A claim's entities, named by `E`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Refs<'r, E> {
    pub(super) reporter: E,
    pub(super) subject: E,
    pub(super) object: Option<E>,
    /// Nearest first.
    pub(super) citing: &'r [E],
}

/// What one claim draws in a view: the one definition of the three views, shared by the
/// builder and the walk through the database, so a neighbourhood found by one is the
/// neighbourhood the other draws.
pub(super) fn draw<E: Copy>(kind: ViewKind, claim: Refs<'_, E>, mut mark: impl FnMut(Mark<E>)) {
    let Refs {
        reporter,
        subject,
        object,
        citing,
    } = claim;
    match kind {
        ViewKind::Entities => match object {
            Some(object) => mark(Mark::Edge {
                from: End::Entity(subject),
                to: End::Entity(object),
                kind: Line::Statement,
            }),
            None => mark(Mark::Value(subject)),
        },
        ViewKind::Provenance => {
            mark(Mark::ClaimNode);
            mark(Mark::Edge {
                from: End::Entity(reporter),
                to: End::Claim,
                kind: Line::Reported,
            });
            for (i, &cited) in citing.iter().enumerate() {
                mark(Mark::Edge {
                    from: End::Claim,
                    to: End::Entity(cited),
                    kind: Line::Cites { position: i + 1 },
                });
            }
            mark(Mark::Edge {
                from: End::Claim,
                to: End::Entity(subject),
                kind: Line::About,
            });
        }
        ViewKind::Citations => {
            let mut from = reporter;
            for &to in citing {
                mark(Mark::Edge {
                    from: End::Entity(from),
                    to: End::Entity(to),
                    kind: Line::Citation,
                });
                from = to;
            }
        }
    }
}
