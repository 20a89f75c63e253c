//! What a claim, and a curated link, adds to each view: the one definition of the three views,
//! shared by the builder ([`super::build`]) and the walks through the database
//! ([`super::focus`], [`super::walk`]), so a neighbourhood found by one is the neighbourhood the
//! other draws, and `neighbors`, `path` and `export --view entities` see one entities view.

use super::ViewKind;
use crate::model::RefField;

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
    Cites {
        position: usize,
    },
    About,
    Citation,
    /// A curated field (`nationality`, `part_of`, …) from the entity to the one it names.
    Link {
        field: RefField,
    },
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

/// What a curated link (`deserters` has `nationality = ["ruritania"]`) draws in a view: in the
/// entities view, an edge from the entity to the one it names, since the analyst's curated
/// facts relate entities as the claims do; the other views are about who reported and cited
/// what, and draw none.
pub(super) fn draw_link<E: Copy>(
    kind: ViewKind,
    from: E,
    field: RefField,
    to: E,
    mut mark: impl FnMut(Mark<E>),
) {
    if draws_links(kind) {
        mark(Mark::Edge {
            from: End::Entity(from),
            to: End::Entity(to),
            kind: Line::Link { field },
        });
    }
}

/// Whether [`draw_link`] draws anything in the view: walks ask for no links where it draws none.
pub(super) fn draws_links(kind: ViewKind) -> bool {
    match kind {
        ViewKind::Entities => true,
        ViewKind::Provenance | ViewKind::Citations => false,
    }
}
