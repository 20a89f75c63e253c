//! Rules for entity records: scalar field values (organisation types, ISO codes, language tags,
//! URLs, coordinates, dates, grades, Wikidata ids), names and aliases (visible, and not shared
//! by two entities once normalised), reference fields (they must name a record of a fitting
//! kind) and `part_of` (it cannot go in a circle).

use foldhash::{HashMap, HashMapExt, HashSet};

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Files};
use crate::graph::PartOfComponents;
use crate::load::Sp;
use crate::load::records::{FieldType, ORGANISATION_TYPES, RawEntity, RawFieldValue};
use crate::model::mentions::name_key;
use crate::model::{
    DateRange, Entity, EntityKind, ObjectType, Origin, Predicate, RefField, Scalar, hidden,
};

use super::{Resolver, check_kind, check_visible};

/// The entity with its id, kind and position, before its fields are checked.
pub fn skeleton(raw: &RawEntity, id: &Sp<String>, files: &Files) -> Entity {
    let (file, line, _) = files.position(&raw.span);
    let title = match raw.field("title").map(|t| &t.value) {
        Some(RawFieldValue::Text(title)) => Some(title.clone()),
        _ => None,
    };
    let name = raw
        .name
        .as_ref()
        .map(|n| n.value.clone())
        .or(title)
        .unwrap_or_else(|| id.value.clone());
    Entity {
        id: id.value.clone(),
        kind: raw.kind,
        name,
        aliases: Vec::new(),
        description: None,
        wikidata: None,
        reliability: None,
        fields: Vec::new(),
        links: Vec::new(),
        origin: Origin {
            file: file.to_owned(),
            line,
        },
    }
}

pub fn resolve(
    raw: &RawEntity,
    entity: &mut Entity,
    resolver: &Resolver<'_>,
    predicates: &[Predicate],
    diagnostics: &mut Diagnostics,
) {
    if raw.kind == EntityKind::Source && raw.name.is_none() && raw.field("title").is_none() {
        diagnostics.push(
            Diagnostic::error(
                Code::MissingField,
                raw.span.clone(),
                "this source has neither `name` nor `title`",
            )
            .with_label("a source needs a `title` (or a `name`)"),
        );
    }
    if let Some(name) = &raw.name {
        check_visible(name, "name", diagnostics);
    }
    for alias in &raw.aliases {
        check_visible(alias, "alias", diagnostics);
    }
    for text in raw.name.iter().chain(&raw.aliases) {
        if text.value.trim().is_empty() {
            diagnostics.push(Diagnostic::error(
                Code::InvalidValue,
                text.span.clone(),
                "a name or alias cannot be empty",
            ));
        }
    }
    // By hash, so that an entity with a hundred thousand aliases is checked in one pass.
    let mut listed: HashMap<&str, &Sp<String>> = HashMap::with_capacity(raw.aliases.len());
    for alias in &raw.aliases {
        if let Some(first) = listed.get(alias.value.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    alias.span.clone(),
                    format!("alias `{}` is listed twice", alias.value),
                )
                .with_related(first.span.clone(), "first listed here"),
            );
        } else {
            listed.insert(&alias.value, alias);
            entity.aliases.push(alias.value.clone());
        }
    }
    entity.description = raw.description.as_ref().map(|d| d.value.clone());
    if let Some(wikidata) = &raw.wikidata {
        let valid = wikidata.value.strip_prefix('Q').is_some_and(|n| {
            !n.is_empty() && !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit())
        });
        if valid {
            entity.wikidata = Some(wikidata.value.clone());
        } else {
            diagnostics.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    wikidata.span.clone(),
                    format!("`{}` is not a Wikidata item id", wikidata.value),
                )
                .with_label("expected Q followed by digits, e.g. Q212"),
            );
        }
    }
    if let Some(grade) = &raw.reliability {
        if matches!(grade.value.as_str(), "A" | "B" | "C" | "D" | "E" | "F") {
            entity.reliability = Some(grade.value.clone());
        } else {
            diagnostics.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    grade.span.clone(),
                    format!("reliability `{}` is not an Admiralty grade", grade.value),
                )
                .with_label("expected one letter from A (reliable) to F (cannot be judged)"),
            );
        }
    }
    for (name, ty, value) in &raw.fields {
        if let Some(scalar) = check_field(name, *ty, value, diagnostics) {
            entity.fields.push((name, scalar));
        }
    }
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
            if !predicate.subject.contains(&entity.kind) {
                diagnostics.push(Diagnostic::error(
                    Code::PredicateDomain,
                    target.span.clone(),
                    format!(
                        "a {} cannot have `{}`: the predicate `{}` takes {}",
                        entity.kind,
                        field.as_str(),
                        predicate.id,
                        super::kind_list(&predicate.subject)
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
        entity.links.push((*field, index));
    }
}

fn check_field(
    name: &str,
    ty: FieldType,
    value: &Sp<RawFieldValue>,
    diagnostics: &mut Diagnostics,
) -> Option<Scalar> {
    let invalid = |message: String, label: &str| {
        Diagnostic::error(Code::InvalidValue, value.span.clone(), message).with_label(label)
    };
    let problem = match (&value.value, ty) {
        (RawFieldValue::Number(n), FieldType::Latitude) if !(-90.0..=90.0).contains(n) => {
            Some(invalid(
                format!("latitude {n} is outside -90 to 90"),
                "degrees north",
            ))
        }
        (RawFieldValue::Number(n), FieldType::Longitude) if !(-180.0..=180.0).contains(n) => {
            Some(invalid(
                format!("longitude {n} is outside -180 to 180"),
                "degrees east",
            ))
        }
        (RawFieldValue::Number(n), _) => return Some(Scalar::Number(*n)),
        (RawFieldValue::Text(text), FieldType::Date) => match DateRange::parse(text) {
            Ok(date) => return Some(Scalar::Date(date)),
            Err(why) => Some(
                Diagnostic::error(
                    Code::InvalidDate,
                    value.span.clone(),
                    format!("`{name}` is not a valid date: {why}"),
                )
                .with_label("expected YYYY, YYYY-MM, YYYY-MM-DD or an interval start/end"),
            ),
        },
        (RawFieldValue::Text(text), FieldType::OrganisationType) => {
            (!ORGANISATION_TYPES.contains(&text.as_str())).then(|| {
                invalid(
                    format!("`{text}` is not an organisation type"),
                    "unknown type",
                )
                .with_choice_hint(text, ORGANISATION_TYPES, "types")
            })
        }
        (RawFieldValue::Text(text), FieldType::Iso) => {
            (text.len() != 2 || !text.bytes().all(|b| b.is_ascii_uppercase())).then(|| {
                invalid(
                    format!("`{text}` is not an ISO 3166-1 alpha-2 code"),
                    "expected two capital letters, e.g. UA",
                )
            })
        }
        (RawFieldValue::Text(text), FieldType::Language) => {
            language_tags::LanguageTag::parse(text).err().map(|e| {
                invalid(
                    format!("`{text}` is not a BCP 47 language tag: {e}"),
                    "expected e.g. nl, de, en-GB",
                )
            })
        }
        (RawFieldValue::Text(text), FieldType::Url) => match url::Url::parse(text) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => None,
            Ok(url) => Some(invalid(
                format!("`{text}` is a {} URL, not a web address", url.scheme()),
                "expected http or https",
            )),
            Err(e) => Some(invalid(
                format!("`{text}` is not a URL: {e}"),
                "expected http or https",
            )),
        },
        (RawFieldValue::Text(text), _) => {
            (text.trim().is_empty()).then(|| invalid(format!("`{name}` is empty"), "empty"))
        }
    };
    match problem {
        Some(d) => {
            diagnostics.push(d);
            None
        }
        None => match &value.value {
            RawFieldValue::Text(text) => Some(Scalar::Text(text.clone())),
            RawFieldValue::Number(n) => Some(Scalar::Number(*n)),
        },
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
    entities: &[Entity],
    raws: &[&RawEntity],
    diagnostics: &mut Diagnostics,
) {
    let components = PartOfComponents::new(entities);
    for members in components.cycles(entities) {
        let cycle = cycle_through_first(entities, members);
        let link = |from: usize, to: usize| {
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
        let id = |e: usize| format!("`{}`", entities[e].id);
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
fn cycle_through_first(entities: &[Entity], members: &[usize]) -> Vec<usize> {
    let start = members[0];
    let inside = |e: usize| members.binary_search(&e).is_ok();
    let wholes = |e: usize| {
        entities[e]
            .links
            .iter()
            .filter(|(field, _)| *field == RefField::PartOf)
            .map(|&(_, target)| target)
    };
    let mut came_from: HashMap<usize, usize> = HashMap::with_capacity(members.len());
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

/// A long list cut in the middle: the first four, how many are left out, the last two.
pub(super) fn shorten(items: &[String], separator: &str) -> String {
    if items.len() <= 8 {
        return items.join(separator);
    }
    let (head, tail) = (&items[..4], &items[items.len() - 2..]);
    format!(
        "{}{separator}… {} more …{separator}{}",
        head.join(separator),
        items.len() - 6,
        tail.join(separator)
    )
}

/// Reports a name or alias that two entities share once normalised as the mention finder
/// normalises (NFC, case, quotes, dashes, white space): every mention of it would be linked to
/// both, so the mentions of each are ambiguous. A warning, since two people can share a name;
/// each pair is reported once, at the later entity, with the earlier one's place. Sources are
/// left out, as the finder leaves them out. One hash map, so linear in names and aliases.
pub fn check_shared_names(entities: &[Entity], raws: &[&RawEntity], diagnostics: &mut Diagnostics) {
    let mut first_owner: HashMap<String, (usize, &Sp<String>)> = HashMap::new();
    for (e, raw) in raws.iter().enumerate() {
        if raw.kind == EntityKind::Source {
            continue;
        }
        // One report for each earlier entity, however many of this one's names it shares.
        let mut reported: HashSet<usize> = HashSet::default();
        for text in raw.name.iter().chain(&raw.aliases) {
            // A name with a hidden character is an error already.
            if text.value.chars().any(hidden::is_hidden) {
                continue;
            }
            let key = name_key(&text.value);
            if key.is_empty() {
                continue;
            }
            let (owner, first) = *first_owner.entry(key).or_insert((e, text));
            if owner == e || !reported.insert(owner) {
                continue;
            }
            let (this, that) = (&entities[e].id, &entities[owner].id);
            diagnostics.push(
                Diagnostic::error(
                    Code::AmbiguousName,
                    text.span.clone(),
                    format!(
                        "`{}` of `{this}` reads the same as `{}` of `{that}`",
                        text.value, first.value
                    ),
                )
                .warning()
                .with_label(format!("also a name of `{that}`"))
                .with_related(first.span.clone(), format!("`{that}` goes by it here"))
                .with_hint(format!(
                    "names are compared as the documents are searched for them (case, accents, \
                     quotes, dashes and white space folded), so every mention of it is linked to \
                     both `{this}` and `{that}`: remove it from the one it does not name, or \
                     merge the two if they are one actor"
                )),
            );
        }
    }
}
