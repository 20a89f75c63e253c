//! The views made from a small snapshot by hand: what each view draws, and the neighbourhoods.

use super::*;
use crate::graph::provenance::ConflictReason;
use crate::model::{EntityKind, RefField, Stance};
use typed_index_collections::TiVec;

use crate::store::snapshot::{
    ClaimRow, ClaimTarget, ConflictRow, EntityRow, LinkRow, PredicateRow, RowClaim, RowEntity,
    RowSource, Snapshot, SourceRow, StoredValue,
};

/// A list of rows, indexed by its own kind of position.
macro_rules! ti_vec {
    ($($row:expr),* $(,)?) => {
        TiVec::from(vec![$($row),*])
    };
}

/// Positions of one kind, for comparing with a view's.
fn rows<I: From<usize>>(positions: &[usize]) -> Vec<I> {
    positions.iter().map(|&p| I::from(p)).collect()
}

fn entity(id: &str, kind: EntityKind) -> EntityRow {
    EntityRow {
        id: id.to_owned(),
        kind,
        name: id.to_uppercase(),
        aliases: Vec::new(),
        description: None,
        wikidata: None,
        reliability: None,
        fields: Vec::new(),
        links: Vec::new(),
    }
}

fn source(id: &str, entity: usize) -> SourceRow {
    SourceRow {
        id: id.to_owned(),
        entity: entity.into(),
        file: format!("{id}.txt"),
        title: None,
        language: None,
        published: None,
        outlet: None,
        author: None,
        url: None,
    }
}

/// A claim about `a` (entity 0) reported by the source document `source` (entity 4 + source).
fn claim(
    id: &str,
    source: usize,
    citing: &[usize],
    target: ClaimTarget,
    stance: Stance,
) -> ClaimRow {
    let reporter = RowEntity::from(4 + source);
    let origin = citing.last().map_or(reporter, |&e| e.into());
    ClaimRow {
        id: id.to_owned(),
        source: source.into(),
        reporter,
        origin,
        voice: origin,
        citing: citing.iter().map(|&e| e.into()).collect(),
        interested: false,
        aligned: false,
        subject: 0.into(),
        predicate: match target {
            ClaimTarget::Entity(_) => 1.into(),
            ClaimTarget::Value(_) => 0.into(),
        },
        target,
        when: None,
        stance,
        hedged: false,
        quote: format!("quote of {id}"),
        note: None,
        conflicts: Vec::new(),
    }
}

/// Two documents disagree on whether `a` is held by `b`; the first also counts `a`, citing
/// `c`, who cites `d`.
fn data() -> Snapshot {
    let held = || ClaimTarget::Entity(1.into());
    let mut claims = vec![
        claim("c1", 0, &[2], held(), Stance::Affirms),
        claim("c2", 1, &[], held(), Stance::Denies),
        claim(
            "c3",
            0,
            &[2, 3],
            ClaimTarget::Value(StoredValue::Integer(18)),
            Stance::Affirms,
        ),
    ];
    claims[0].conflicts = vec![0.into()];
    claims[1].conflicts = vec![0.into()];
    Snapshot {
        entities: ti_vec![
            entity("a", EntityKind::Group),
            entity("b", EntityKind::Organisation),
            entity("c", EntityKind::Organisation),
            entity("d", EntityKind::Country),
            entity("s1", EntityKind::Source),
            entity("s2", EntityKind::Source),
        ],
        predicates: ti_vec![
            PredicateRow {
                id: "count".to_owned(),
                label: "count".to_owned(),
                description: None,
                object_type: "number".to_owned(),
            },
            PredicateRow {
                id: "held_by".to_owned(),
                label: "held by".to_owned(),
                description: None,
                object_type: "entity".to_owned(),
            },
        ],
        sources: ti_vec![source("s1", 4), source("s2", 5)],
        claims: claims.into(),
        conflicts: ti_vec![ConflictRow {
            claim_a: "c1".to_owned(),
            claim_b: "c2".to_owned(),
            reason: ConflictReason::OppositeStance,
            detail: "one claim affirms what the other denies".to_owned(),
        }],
    }
}

fn ids<'a>(view: &View<'a>) -> (Vec<&'a str>, Vec<String>) {
    (
        view.node_ids().collect(),
        view.graph.edge_weights().map(|e| e.id.clone()).collect(),
    )
}

#[test]
fn the_entity_view_folds_claims_into_one_edge_per_statement() {
    let data = data();
    let view = View::new(ViewKind::Entities, &data);
    assert_eq!(
        ids(&view),
        (vec!["a", "b"], vec!["statement/a/held_by/b".to_owned()])
    );
    let support = &view.graph.edge_weights().next().unwrap().support;
    assert_eq!(support.claims, rows::<RowClaim>(&[0, 1]));
    assert_eq!(support.stance, Stances::Both);
    assert!(support.conflicting);
    // The first document affirms it from `c`; the second document denies it itself, which
    // is a voice against the edge, never one for it.
    let voices =
        |list: &[RowEntity]| -> Vec<&str> { list.iter().map(|&e| view.entity_id(e)).collect() };
    assert_eq!(voices(&support.affirming), ["c"]);
    assert_eq!(voices(&support.denying), ["s2"]);
    assert!(support.contested());
    assert_eq!(support.documents, rows::<RowSource>(&[0, 1]));
    let a = view.find("a").unwrap();
    assert_eq!(view.graph[a].values, rows::<RowClaim>(&[2]));
}

#[test]
fn the_provenance_view_links_reporters_claims_subjects_and_chains() {
    let data = data();
    let view = View::new(ViewKind::Provenance, &data);
    let (nodes, edges) = ids(&view);
    assert_eq!(nodes, ["a", "c", "d", "s1", "s2", "c1", "c2", "c3"]);
    assert_eq!(
        edges,
        [
            "about/c1",
            "about/c2",
            "about/c3",
            "cites/c1/1",
            "cites/c3/1",
            "cites/c3/2",
            "reported/c1",
            "reported/c2",
            "reported/c3"
        ]
    );
}

#[test]
fn the_citation_view_has_one_edge_per_step_of_the_chains() {
    let data = data();
    let view = View::new(ViewKind::Citations, &data);
    let (nodes, edges) = ids(&view);
    assert_eq!(nodes, ["c", "d", "s1"]);
    assert_eq!(edges, ["citation/c/d", "citation/s1/c"]);
    let first = view
        .graph
        .edge_weights()
        .find(|e| e.id == "citation/s1/c")
        .unwrap();
    assert_eq!(first.support.claims, rows::<RowClaim>(&[0, 2]));
}

#[test]
fn focus_keeps_the_neighbourhood_and_says_why_it_cannot() {
    let data = data();
    let near = View::new(ViewKind::Provenance, &data)
        .focus("c3", 1)
        .unwrap();
    assert_eq!(
        ids(&near),
        (
            vec!["a", "c", "d", "s1", "c3"],
            vec![
                "about/c3".to_owned(),
                "cites/c3/1".to_owned(),
                "cites/c3/2".to_owned(),
                "reported/c3".to_owned()
            ]
        )
    );
    assert_eq!(near.claims(), rows::<RowClaim>(&[2]));
    let none = View::new(ViewKind::Entities, &data)
        .focus("c1", 1)
        .unwrap_err();
    assert_eq!(
        none,
        FocusError::NotInView {
            id: "c1".to_owned(),
            view: ViewKind::Entities
        }
    );
    let unknown = View::new(ViewKind::Entities, &data)
        .focus("zz", 1)
        .unwrap_err();
    assert_eq!(unknown, FocusError::Unknown("zz".to_owned()));
}

#[test]
fn a_neighbourhood_keeps_its_nodes_even_without_the_claims_that_reach_them() {
    let data = data();
    // Depth 0 around a reporter: no claim is read, the node stays.
    let near = Neighbourhood {
        entities: vec!["s2".to_owned()],
        ..Neighbourhood::default()
    };
    let focus = Focus {
        id: "s2".to_owned(),
        depth: 0,
    };
    let around = View::around(ViewKind::Provenance, &data, &near, focus);
    let cut = View::new(ViewKind::Provenance, &data)
        .focus("s2", 0)
        .unwrap();
    assert_eq!(ids(&around), (vec!["s2"], Vec::new()));
    assert_eq!(ids(&around), ids(&cut));
}

#[test]
fn around_draws_only_the_edges_between_the_nodes_it_keeps() {
    let data = data();
    let near = Neighbourhood {
        entities: vec!["c".to_owned(), "s1".to_owned()],
        claims: vec!["c1".to_owned(), "c3".to_owned()],
        ..Neighbourhood::default()
    };
    let focus = Focus {
        id: "c".to_owned(),
        depth: 1,
    };
    let around = View::around(ViewKind::Citations, &data, &near, focus);
    assert_eq!(
        ids(&around),
        (vec!["c", "s1"], vec!["citation/s1/c".to_owned()])
    );
    assert_eq!(around.claims(), rows::<RowClaim>(&[0, 2]));
}

#[test]
fn curated_links_are_edges_of_the_entity_view_and_of_no_other() {
    let mut data = data();
    // `c` is part of `d`; `d` is in no claim of the entity view, only in the link.
    data.entities[RowEntity::from(2)].links = vec![LinkRow {
        field: RefField::PartOf,
        target: "d".to_owned(),
    }];
    let view = View::new(ViewKind::Entities, &data);
    assert_eq!(
        ids(&view),
        (
            vec!["a", "b", "c", "d"],
            vec![
                "link/c/part_of/d".to_owned(),
                "statement/a/held_by/b".to_owned()
            ]
        )
    );
    let link = view
        .graph
        .edge_weights()
        .find(|e| e.id == "link/c/part_of/d")
        .unwrap();
    assert_eq!(
        link.kind,
        EdgeKind::Link {
            field: RefField::PartOf
        }
    );
    assert!(link.support.claims.is_empty() && !link.support.contested());
    // A focus walks along it.
    let near = View::new(ViewKind::Entities, &data).focus("d", 1).unwrap();
    assert_eq!(
        ids(&near),
        (vec!["c", "d"], vec!["link/c/part_of/d".to_owned()])
    );
    for kind in [ViewKind::Provenance, ViewKind::Citations] {
        let view = View::new(kind, &data);
        assert!(view.graph.edge_weights().all(|e| e.kind.as_str() != "link"));
    }
}

#[test]
fn a_document_keeps_what_its_claims_draw_and_the_links_between_them() {
    let mut data = data();
    // `a` is part of `b`, both drawn by the first document's claims; `c` is part of `d`, and
    // neither is drawn in its entities view.
    data.entities[RowEntity::from(0)].links = vec![LinkRow {
        field: RefField::PartOf,
        target: "b".to_owned(),
    }];
    data.entities[RowEntity::from(2)].links = vec![LinkRow {
        field: RefField::PartOf,
        target: "d".to_owned(),
    }];
    let first = View::of_document(ViewKind::Entities, &data, 0.into());
    assert_eq!(
        ids(&first),
        (
            vec!["a", "b"],
            vec![
                "link/a/part_of/b".to_owned(),
                "statement/a/held_by/b".to_owned()
            ]
        )
    );
    // The second document's denial joins the same two entities, and is not behind the edge.
    let held = first
        .graph
        .edge_weights()
        .find(|e| e.id == "statement/a/held_by/b")
        .unwrap();
    assert_eq!(held.support.claims, rows::<RowClaim>(&[0]));
    assert_eq!(held.support.stance, Stances::Affirmed);
    assert_eq!(first.claims(), rows::<RowClaim>(&[0, 2]));
    assert_eq!(first.document, Some(RowSource::from(0)));

    let second = View::of_document(ViewKind::Provenance, &data, 1.into());
    assert_eq!(
        ids(&second),
        (
            vec!["a", "s2", "c2"],
            vec!["about/c2".to_owned(), "reported/c2".to_owned()]
        )
    );
    assert_eq!(second.claims(), rows::<RowClaim>(&[1]));
    let citations = View::of_document(ViewKind::Citations, &data, 0.into());
    assert_eq!(
        ids(&citations),
        (
            vec!["c", "d", "s1"],
            vec!["citation/c/d".to_owned(), "citation/s1/c".to_owned()]
        )
    );

    // A focus cuts the document's view, and says so when the node is elsewhere.
    let near = first.focus("b", 1).unwrap();
    assert_eq!(near.document, Some(RowSource::from(0)));
    assert_eq!(near.claims(), rows::<RowClaim>(&[0, 2]));
    assert_eq!(
        second.focus("c", 1).unwrap_err(),
        FocusError::NotInDocument {
            id: "c".to_owned(),
            view: ViewKind::Provenance,
            document: "s2".to_owned()
        }
    );
    assert_eq!(
        second.focus("zz", 1).unwrap_err(),
        FocusError::Unknown("zz".to_owned())
    );
}
