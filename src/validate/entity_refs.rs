//! Rules for an entity's reference fields (`country`, `part_of`, `outlet`, …): each names a
//! record of a kind the field takes, and of a kind a vocabulary predicate named like the field
//! takes, and names it once; `part_of` does not go in a circle.

use foldhash::{HashMap, HashMapExt};

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::graph::PartOfComponents;
use crate::load::Placed;
use crate::load::records::RawEntity;
use crate::model::{Entity, EntityIdx, EntityKind, ObjectType, Predicate, PredicateIdx, RefField};
use typed_index_collections::TiSlice;

use super::{Resolver, check_kind, kind_list, shorten};

/// The reference fields of an entity of `kind` that resolve to a record of a fitting kind, in
/// the order written.
pub fn links(
    raw: &RawEntity,
    kind: EntityKind,
    resolver: &Resolver<'_>,
    predicates: &TiSlice<PredicateIdx, Predicate>,
    diagnostics: &mut Diagnostics,
) -> Vec<(RefField, EntityIdx)> {
    let mut links = Vec::new();
    // Where each (field, entity) was first named: a field that names one entity twice would
    // draw one link twice in the database and once in the views.
    let mut named: HashMap<(RefField, EntityIdx), &Placed<String>> = HashMap::new();
    for (field, target) in &raw.refs {
        let what = format!("`{}`", field.as_str());
        let Some(index) = resolver.entity_of_kind(
            target,
            &what,
            field.target_kinds(),
            Code::WrongKind,
            diagnostics,
        ) else {
            continue;
        };
        // A vocabulary predicate named like the field constrains it further.
        if let Some(predicate) = predicates.iter().find(|p| p.id == field.as_str()) {
            let target_kind = resolver.kinds[index];
            check_predicate(predicate, kind, *field, target, target_kind, diagnostics);
        }
        if let Some(first) = named.get(&(*field, index)) {
            diagnostics.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    target.span.clone(),
                    format!("`{}` names `{}` twice", field.as_str(), target.value),
                )
                .with_related(first.span.clone(), "first named here"),
            );
            continue;
        }
        named.insert((*field, index), target);
        links.push((*field, index));
    }
    links
}

/// Checks a reference field against the vocabulary predicate of its name: the entity's kind is
/// one of its subjects, and the target's kind one of its objects.
fn check_predicate(
    predicate: &Predicate,
    kind: EntityKind,
    field: RefField,
    target: &Placed<String>,
    target_kind: EntityKind,
    diagnostics: &mut Diagnostics,
) {
    if !predicate.subject.contains(&kind) {
        diagnostics.push(Diagnostic::error(
            Code::PredicateDomain,
            target.span.clone(),
            format!(
                "a {} cannot have `{}`: the predicate `{}` takes {}",
                kind,
                field.as_str(),
                predicate.id,
                kind_list(&predicate.subject)
            ),
        ));
    }
    if let ObjectType::Entity(kinds) = &predicate.object {
        check_kind(
            target,
            target_kind,
            kinds,
            &format!("the object of the predicate `{}`", predicate.id),
            Code::PredicateRange,
            diagnostics,
        );
    }
}

/// Reports every cycle of `part_of` once, with its members in the order the links go. An entity
/// `part_of` itself is an error: the link says nothing, and was surely meant to name another
/// record. A longer cycle is a warning: each link may be a reading of the sources, and the
/// analysis counts the members as one voice, as it counts anything joined by `part_of`; but the
/// hierarchy it stands for cannot go round, so one link is wrong or the entities are one actor.
///
/// `raws[e]` is the record of entity `e`. Linear in entities and links.
pub fn check_part_of_cycles(
    entities: &TiSlice<EntityIdx, Entity>,
    raws: &TiSlice<EntityIdx, &RawEntity>,
    diagnostics: &mut Diagnostics,
) {
    let components = PartOfComponents::new(entities);
    for members in components.cycles(entities) {
        let cycle = cycle_through_first(entities, members);
        let link = |from: EntityIdx, to: EntityIdx| {
            raws[from]
                .refs
                .iter()
                .find(|(field, target)| {
                    *field == RefField::PartOf && target.value == entities[to].id
                })
                .map(|(_, target)| target.span.clone())
                .unwrap_or_else(|| raws[from].span.clone())
        };
        let start = cycle[0];
        let id = |e: EntityIdx| format!("`{}`", entities[e].id);
        if let [one] = cycle.as_slice() {
            diagnostics.push(
                Diagnostic::error(
                    Code::PartOfCycle,
                    link(*one, *one),
                    format!("{} is `part_of` itself", id(*one)),
                )
                .with_label(format!("names {} itself", id(*one)))
                .with_hint("remove it, or name the whole this entity belongs to"),
            );
            continue;
        }
        let mut walk: Vec<String> = cycle.iter().map(|&e| id(e)).collect();
        walk.push(id(start));
        let mut message = format!(
            "`part_of` goes in a circle through {} entities: {}",
            cycle.len(),
            shorten(&walk, " → ")
        );
        if members.len() > cycle.len() {
            message.push_str(&format!(
                "; with the other links among them, {} entities are tied in one loop",
                members.len()
            ));
        }
        let mut diagnostic = Diagnostic::error(Code::PartOfCycle, link(start, cycle[1]), message)
            .warning()
            .with_label(format!("{} is part of {}", id(start), id(cycle[1])))
            .with_hint(
                "`part_of` names what an entity belongs to, so it cannot come back round: \
                 remove the link that points back, or merge the entities if they are one \
                 actor. Until then they count as one voice",
            );
        // The other links of a short circle, to see it whole; a long one would bury the message.
        if cycle.len() <= 4 {
            for (n, &from) in cycle.iter().enumerate().skip(1) {
                let to = cycle[(n + 1) % cycle.len()];
                diagnostic = diagnostic.with_related(
                    link(from, to),
                    format!("{} is part of {}", id(from), id(to)),
                );
            }
        }
        diagnostics.push(diagnostic);
    }
}

/// The shortest way from the first member of a component back to itself along `part_of`
/// links that stay in the component, as the members it passes (the first one first). Breadth
/// first, so linear in the component.
fn cycle_through_first(
    entities: &TiSlice<EntityIdx, Entity>,
    members: &[EntityIdx],
) -> Vec<EntityIdx> {
    let start = members[0];
    let inside = |e: EntityIdx| members.binary_search(&e).is_ok();
    let wholes = |e: EntityIdx| {
        entities[e]
            .links
            .iter()
            .filter(|(field, _)| *field == RefField::PartOf)
            .map(|&(_, target)| target)
    };
    let mut came_from: HashMap<EntityIdx, EntityIdx> = HashMap::with_capacity(members.len());
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(e) = queue.pop_front() {
        for whole in wholes(e) {
            if whole == start {
                let mut cycle = vec![e];
                let mut at = e;
                while at != start {
                    at = came_from[&at];
                    cycle.push(at);
                }
                cycle.reverse();
                cycle.dedup();
                return cycle;
            }
            if inside(whole) && !came_from.contains_key(&whole) {
                came_from.insert(whole, e);
                queue.push_back(whole);
            }
        }
    }
    // A component of several members is strongly connected, so the way back exists.
    members.to_vec()
}

#[cfg(test)]
mod tests {
    use super::super::testing::check;

    #[test]
    fn a_reference_field_names_a_record_of_a_kind_it_takes() {
        check(
            r#"
[[person]]
id = "anna"
name = "Anna"
nationality = ["ruritania", "ministry", "ruritanai"]
"#,
            "error[wrong-kind] 4:29 `ministry` is an organisation, but `nationality` must be a country
             error[unknown-reference] 4:41 `nationality` names `ruritanai`, but no record has that id",
        );
    }

    #[test]
    fn a_reference_field_names_each_record_once() {
        check(
            r#"
[[person]]
id = "anna"
name = "Anna"
nationality = ["ruritania", "ruritania"]
"#,
            "error[invalid-value] 4:29 `nationality` names `ruritania` twice",
        );
    }

    #[test]
    fn a_predicate_named_like_a_field_constrains_its_subject_and_object() {
        check(
            r#"
[[predicate]]
id = "outlet"
label = "outlet"
subject = ["person"]
object = ["country"]

[[source]]
id = "bulletin"
file = "report.txt"
title = "Bulletin"
outlet = "ministry"
"#,
            "error[predicate-domain] 11:10 a source cannot have `outlet`: the predicate `outlet` takes a person
             error[predicate-range] 11:10 `ministry` is an organisation, but the object of the predicate `outlet` must be a country",
        );
    }

    #[test]
    fn part_of_itself_is_an_error_and_a_longer_circle_a_warning() {
        check(
            r#"
[[group]]
id = "alone"
name = "Alone"
part_of = "alone"

[[group]]
id = "first"
name = "First"
part_of = "second"

[[group]]
id = "second"
name = "Second"
part_of = "first"
"#,
            "error[part-of-cycle] 4:11 `alone` is `part_of` itself
             warning[part-of-cycle] 9:11 `part_of` goes in a circle through 2 entities: `first` → `second` → `first`",
        );
    }
}
