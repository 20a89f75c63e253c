//! The readers' tables: what `conflicts`, `corroboration` and `mentions --unlinked` list, worked
//! out by the build from the model and its analysis and stored in the order the commands print
//! it, so that each reader reads rows in order, joins nothing it would have to sort, and
//! streams its first row at once whatever the size of the database.
//!
//! Each row depends on few inputs, which an incremental build can recompute alone:
//! - a `conflict_rows` row on its two claims, their entities' names and their predicate: a
//!   changed claims file replaces the rows of the conflicts of its claims (those of
//!   `conflict_pairs`), renumbering `position` from the first changed one;
//! - a `corroboration_rows` row on its statement and the statement of the other stance: a
//!   changed claims file replaces the rows of the statements its old and new claims belong to
//!   and of their other stances (an entity's changed `reliability` those of the statements it
//!   is an origin of), then renumbers `position`;
//! - the `unlinked_mentions` of a document on that document's claims and mentions only: a
//!   changed claims file replaces the rows of its documents;
//! - `stats_cells` are counts over claims, statements and conflicts: an incremental build
//!   keeps the counts per document, predicate, entity and origin, subtracts the old claims of
//!   a changed file and adds the new, and rewrites the few hundred cells of the top tens and
//!   orders from those counts (the per-document section only for the changed documents).

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use rusqlite::{Transaction, params};

use super::StoreError;
use super::write::sql_value;
use crate::graph::provenance::{Analysis, Statement};
use crate::model::{
    Claim, ClaimIdx, ClaimObject, DocumentIdx, EntityIdx, Model, PredicateIdx, Scalar, Stance,
    Value,
};

/// Writes the readers' tables for `model` and its `analysis`.
pub fn write(tx: &Transaction<'_>, model: &Model, analysis: &Analysis) -> Result<(), StoreError> {
    write_conflicts(tx, model, analysis)?;
    write_corroboration(tx, model, analysis)?;
    write_unlinked(tx, model)?;
    write_stats(tx, model, analysis)
}

fn id(model: &Model, entity: EntityIdx) -> &str {
    &model.entities[entity].id
}

fn source_id(model: &Model, document: DocumentIdx) -> &str {
    id(model, model.documents[document].entity)
}

/// The conflicts by reason, claim A's subject id, claim A and claim B, each side with the
/// names `conflicts` shows.
fn write_conflicts(
    tx: &Transaction<'_>,
    model: &Model,
    analysis: &Analysis,
) -> Result<(), StoreError> {
    let mut order: Vec<usize> = (0..analysis.conflicts.len()).collect();
    let key = |i: &usize| {
        let x = &analysis.conflicts[*i];
        let a = &model.claims[x.a];
        (
            x.reason.as_str(),
            id(model, a.subject),
            a.id.as_str(),
            model.claims[x.b].id.as_str(),
        )
    };
    order.sort_by(|a, b| key(a).cmp(&key(b)));
    let mut insert = tx.prepare(
        "INSERT INTO conflict_rows VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,
                                          ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
    )?;
    for (position, i) in order.into_iter().enumerate() {
        let x = &analysis.conflicts[i];
        let a = &model.claims[x.a];
        let (sa, sb) = (side(model, analysis, x.a), side(model, analysis, x.b));
        insert.execute(params![
            position + 1,
            x.reason.as_str(),
            x.detail,
            model.entities[a.subject].name,
            model.predicates[a.predicate].label,
            sa.0,
            sa.1,
            sa.2,
            sa.3,
            sa.4,
            sa.5,
            sa.6,
            sa.7,
            sb.0,
            sb.1,
            sb.2,
            sb.3,
            sb.4,
            sb.5,
            sb.6,
            sb.7,
        ])?;
    }
    Ok(())
}

/// One claim of a conflict: id, document, reporter's name, the names it cites (nearest first,
/// joined by ` <- `), origin id, stance, object (its name, or the value), quote.
type Side<'m> = (
    &'m str,
    &'m str,
    &'m str,
    Option<String>,
    &'m str,
    &'static str,
    rusqlite::types::Value,
    &'m str,
);

fn side<'m>(model: &'m Model, analysis: &Analysis, claim: ClaimIdx) -> Side<'m> {
    let c: &Claim = &model.claims[claim];
    let citing = (!c.citing.is_empty()).then(|| {
        let names: Vec<&str> = c
            .citing
            .iter()
            .map(|e| model.entities[*e].name.as_str())
            .collect();
        names.join(" <- ")
    });
    let object = match &c.object {
        ClaimObject::Entity(e) => rusqlite::types::Value::Text(model.entities[*e].name.clone()),
        ClaimObject::Value(v) => sql_value(v),
    };
    (
        &c.id,
        source_id(model, c.document),
        &model.entities[c.reported_by].name,
        citing,
        id(model, analysis.origins[claim].origin),
        c.stance.as_str(),
        object,
        &c.quote,
    )
}

/// A statement's object as SQLite orders `coalesce(object_id, value)`: numbers before texts,
/// numbers by value, texts by their bytes.
#[derive(Debug, Clone, Copy)]
enum ObjectKey<'m> {
    Integer(i64),
    Real(f64),
    Text(&'m str),
}

impl ObjectKey<'_> {
    fn of<'m>(model: &'m Model, object: &'m ClaimObject) -> ObjectKey<'m> {
        match object {
            ClaimObject::Entity(e) => ObjectKey::Text(id(model, *e)),
            ClaimObject::Value(Value::Integer(i)) => ObjectKey::Integer(*i),
            ClaimObject::Value(Value::Float(f)) => ObjectKey::Real(*f),
            ClaimObject::Value(Value::Text(t)) => ObjectKey::Text(t),
            ClaimObject::Value(Value::Date(d)) => ObjectKey::Text(&d.text),
        }
    }

    fn cmp(self, other: ObjectKey<'_>) -> Ordering {
        use ObjectKey::{Integer, Real, Text};
        match (self, other) {
            (Integer(a), Integer(b)) => a.cmp(&b),
            (Integer(a), Real(b)) => (a as f64).total_cmp(&b),
            (Real(a), Integer(b)) => a.total_cmp(&(b as f64)),
            (Real(a), Real(b)) => a.total_cmp(&b),
            (Text(a), Text(b)) => a.cmp(b),
            (Text(_), _) => Ordering::Greater,
            (_, Text(_)) => Ordering::Less,
        }
    }
}

/// A statement's object as SQL compares it for equality: an entity, a number (`40` is `40.0`)
/// or a text (a date is its text), never a number equal to a text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum SameObject<'m> {
    Entity(EntityIdx),
    Number(String),
    Text(&'m str),
}

/// What makes two statements the two stances of one: subject, predicate and object.
type Opposite<'m> = (EntityIdx, PredicateIdx, SameObject<'m>, Stance);

fn opposite_key(s: &Statement, stance: Stance) -> Opposite<'_> {
    let object = match &s.object {
        ClaimObject::Entity(e) => SameObject::Entity(*e),
        ClaimObject::Value(v @ (Value::Integer(_) | Value::Float(_))) => {
            SameObject::Number(v.key())
        }
        ClaimObject::Value(Value::Text(t)) => SameObject::Text(t),
        ClaimObject::Value(Value::Date(d)) => SameObject::Text(&d.text),
    };
    (s.subject, s.predicate, object, stance)
}

/// The statements in `corroboration`'s order (most origins, then most documents, then subject,
/// predicate, object and stance), each with its voices, the voices of its other stance, and
/// the reliability grades of its literal origins, worded as `corroboration` prints them. The
/// order and the wording are worked out on every core; only the inserts are one at a time.
fn write_corroboration(
    tx: &Transaction<'_>,
    model: &Model,
    analysis: &Analysis,
) -> Result<(), StoreError> {
    let statements = &analysis.statements;
    // The sort keys side by side, so that sorting does not look each one up again.
    let mut keyed: Vec<_> = statements
        .par_iter()
        .enumerate()
        .map(|(i, s)| {
            let key = (
                std::cmp::Reverse(s.voices.len()),
                std::cmp::Reverse(s.documents),
                id(model, s.subject),
                model.predicates[s.predicate].id.as_str(),
                ObjectKey::of(model, &s.object),
                s.stance.as_str(),
            );
            (key, i)
        })
        .collect();
    keyed.par_sort_unstable_by(|(a, _), (b, _)| {
        (a.0, a.1, a.2, a.3)
            .cmp(&(b.0, b.1, b.2, b.3))
            .then_with(|| a.4.cmp(b.4))
            .then(a.5.cmp(b.5))
    });
    let order: Vec<usize> = keyed.into_iter().map(|(_, i)| i).collect();
    // Only a statement with voices against it has its other stance stated: only those are
    // looked up.
    let by_key: HashMap<Opposite<'_>, usize> = statements
        .iter()
        .enumerate()
        .filter(|(_, s)| s.opposing_voices > 0)
        .map(|(i, s)| (opposite_key(s, s.stance), i))
        .collect();
    let rows: Vec<(String, Option<String>, String)> = order
        .par_iter()
        .map(|&i| {
            let s = &statements[i];
            let other = match s.stance {
                Stance::Affirms => Stance::Denies,
                Stance::Denies => Stance::Affirms,
            };
            let against = (s.opposing_voices > 0)
                .then(|| by_key.get(&opposite_key(s, other)))
                .flatten()
                .map(|&o| voices(&behind(model, analysis, &statements[o]).0));
            let (own, grades) = behind(model, analysis, s);
            let grades: Vec<String> = grades
                .into_iter()
                .map(|(origin, grade)| format!("{origin}:{}", grade.unwrap_or("?")))
                .collect();
            (voices(&own), against, grades.join(", "))
        })
        .collect();
    let mut insert = tx.prepare(
        "INSERT INTO corroboration_rows (position, statement_id, subject_id, origin_ids,
                                         against_ids, reliability)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (position, (i, (own, against, grades))) in order.into_iter().zip(rows).enumerate() {
        insert.execute(params![
            position + 1,
            i + 1,
            id(model, statements[i].subject),
            own,
            against,
            grades,
        ])?;
    }
    Ok(())
}

/// One voice of a statement, and the literal origins it stands for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Voice<'m> {
    pub id: &'m str,
    /// Origins other than the voice that it stands for through `part_of`, by id.
    pub via: Vec<&'m str>,
    /// Origins of claims that echo a longer chain of this voice, by id.
    pub echoed: Vec<&'m str>,
    /// One of its origins is a party to the statement.
    pub interested: bool,
    /// One of its origins only shares a country with a side.
    pub aligned: bool,
}

/// A statement's voices by id, and its literal origins by id with their reliability grades.
type Behind<'m> = (Vec<Voice<'m>>, BTreeMap<&'m str, Option<&'m str>>);

fn behind<'m>(model: &'m Model, analysis: &Analysis, s: &Statement) -> Behind<'m> {
    let mut each: Vec<(&str, &str, bool, bool, bool, EntityIdx)> = s
        .claims
        .iter()
        .map(|&c| {
            let o = &analysis.origins[c];
            let origin = id(model, o.origin);
            (
                id(model, o.voice),
                origin,
                o.echoes,
                o.interested,
                o.aligned,
                o.origin,
            )
        })
        .collect();
    each.sort_unstable();
    each.dedup();
    let mut voices: Vec<Voice<'m>> = Vec::new();
    let mut grades = BTreeMap::new();
    for (voice, origin, echoes, interested, aligned, entity) in each {
        if voices.last().is_none_or(|v| v.id != voice) {
            voices.push(Voice {
                id: voice,
                ..Voice::default()
            });
        }
        let last = voices.last_mut().expect("pushed above");
        last.interested |= interested;
        last.aligned |= aligned;
        // An origin can come twice (echoing and not).
        let list = if echoes {
            Some(&mut last.echoed)
        } else if origin != voice {
            Some(&mut last.via)
        } else {
            None
        };
        if let Some(list) = list
            && list.last() != Some(&origin)
        {
            list.push(origin);
        }
        grades.insert(origin, model.entities[entity].reliability.as_deref());
    }
    (voices, grades)
}

/// "ruritania (army)*, war-ministry (intel-service)~": each voice with the origins it stands
/// for and those that echo it, `*` when interested, `~` when only aligned.
pub fn voices(voices: &[Voice<'_>]) -> String {
    let each: Vec<String> = voices
        .iter()
        .map(|v| {
            let mut words = v.id.to_owned();
            if !v.via.is_empty() {
                words += &format!(" ({})", v.via.join(", "));
            }
            if !v.echoed.is_empty() {
                words += &format!(" (echoed by {})", v.echoed.join(", "));
            }
            words += if v.interested {
                "*"
            } else if v.aligned {
                "~"
            } else {
                ""
            };
            words
        })
        .collect();
    each.join(", ")
}

/// A name found in a document that none of the document's claims uses.
struct Unlinked {
    document: DocumentIdx,
    entity: EntityIdx,
    mentions: usize,
    first_at: usize,
}

/// The names each document contains that none of its claims uses (as subject, object,
/// reporter or cited), in document id order, then where each is first named, then entity id.
fn unlinked(model: &Model) -> Vec<Unlinked> {
    let mut used: HashMap<DocumentIdx, Vec<EntityIdx>> = HashMap::new();
    for c in &model.claims {
        let here = used.entry(c.document).or_default();
        here.extend([c.subject, c.reported_by]);
        if let ClaimObject::Entity(e) = c.object {
            here.push(e);
        }
        here.extend(&c.citing);
    }
    let mut found: BTreeMap<(DocumentIdx, EntityIdx), (usize, usize)> = BTreeMap::new();
    for m in &model.mentions {
        let seen = found
            .entry((m.document, m.entity))
            .or_insert((0, m.chars.start));
        seen.0 += 1;
        seen.1 = seen.1.min(m.chars.start);
    }
    let mut rows: Vec<Unlinked> = found
        .into_iter()
        .filter(|((document, entity), _)| {
            used.get(document).is_none_or(|used| !used.contains(entity))
        })
        .map(|((document, entity), (mentions, first_at))| Unlinked {
            document,
            entity,
            mentions,
            first_at,
        })
        .collect();
    rows.sort_by(|a, b| {
        (source_id(model, a.document).cmp(source_id(model, b.document)))
            .then(a.first_at.cmp(&b.first_at))
            .then_with(|| id(model, a.entity).cmp(id(model, b.entity)))
    });
    rows
}

fn write_unlinked(tx: &Transaction<'_>, model: &Model) -> Result<(), StoreError> {
    let mut insert = tx.prepare(
        "INSERT INTO unlinked_mentions (source_id, first_at, entity_id, kind, name, mentions,
                                        context)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for u in unlinked(model) {
        let entity = &model.entities[u.entity];
        let context: String = model.documents[u.document]
            .text
            .chars()
            .skip(u.first_at)
            .take(60)
            .collect();
        insert.execute(params![
            source_id(model, u.document),
            u.first_at,
            entity.id,
            entity.kind.as_str(),
            entity.name,
            u.mentions,
            context
        ])?;
    }
    Ok(())
}

/// One cell of `stats`: a count, a text, or nothing.
type StatCell = rusqlite::types::Value;

/// One section of `stats`: its title, its columns, its rows.
type Section = (&'static str, &'static [&'static str], Vec<Vec<StatCell>>);

fn count(n: usize) -> StatCell {
    StatCell::Integer(i64::try_from(n).unwrap_or(i64::MAX))
}

fn words(text: &str) -> StatCell {
    StatCell::Text(text.to_owned())
}

/// The most common first, ties by id.
fn most_first<K: Ord>(counts: &mut [(K, usize)]) {
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
}

/// What `stats` prints, section by section, as the SQL it replaces counted it: entities by
/// kind, claims by document and by predicate, the ten entities most claims are about, the ten
/// origins of most claims, and the analysis in numbers.
fn stats(model: &Model, analysis: &Analysis) -> Vec<Section> {
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &model.entities {
        *kinds.entry(e.kind.as_str()).or_default() += 1;
    }
    let mut kinds: Vec<(&str, usize)> = kinds.into_iter().collect();
    most_first(&mut kinds);

    // Per document: claims, denials, hedged.
    let mut documents: HashMap<DocumentIdx, (usize, usize, usize)> = HashMap::new();
    let mut predicates: HashMap<PredicateIdx, usize> = HashMap::new();
    let mut about: HashMap<EntityIdx, usize> = HashMap::new();
    let mut origins: HashMap<EntityIdx, (usize, Vec<DocumentIdx>)> = HashMap::new();
    for (i, c) in model.claims.iter().enumerate() {
        let d = documents.entry(c.document).or_default();
        d.0 += 1;
        d.1 += usize::from(c.stance == Stance::Denies);
        d.2 += usize::from(c.hedged);
        *predicates.entry(c.predicate).or_default() += 1;
        *about.entry(c.subject).or_default() += 1;
        if let ClaimObject::Entity(o) = c.object
            && o != c.subject
        {
            *about.entry(o).or_default() += 1;
        }
        let origin = origins
            .entry(analysis.origins[ClaimIdx::from(i)].origin)
            .or_default();
        origin.0 += 1;
        origin.1.push(c.document);
    }
    let mut by_document: Vec<(&str, DocumentIdx, usize)> = model
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let i = DocumentIdx::from(i);
            (
                model.entities[d.entity].id.as_str(),
                i,
                documents.get(&i).map_or(0, |d| d.0),
            )
        })
        .collect();
    by_document.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(b.0)));
    let mut predicates: Vec<(&str, PredicateIdx, usize)> = predicates
        .into_iter()
        .map(|(p, n)| (model.predicates[p].id.as_str(), p, n))
        .collect();
    predicates.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(b.0)));
    let mut about: Vec<(&str, usize)> = about.into_iter().map(|(e, n)| (id(model, e), n)).collect();
    most_first(&mut about);
    let mut cited: Vec<(&str, usize)> = origins
        .iter()
        .map(|(e, (n, _))| (id(model, *e), *n))
        .collect();
    most_first(&mut cited);

    let entity = |id: &str| &model.entities[model.entity_index[id]];
    vec![
        (
            "entities by kind",
            &["kind", "entities"],
            kinds
                .into_iter()
                .map(|(k, n)| vec![words(k), count(n)])
                .collect(),
        ),
        (
            "claims by document",
            &["source", "language", "claims", "denials", "hedged"],
            by_document
                .into_iter()
                .map(|(source, d, claims)| {
                    let language = model.entities[model.documents[d].entity]
                        .field("language")
                        .map(Scalar::as_text);
                    let (denials, hedged) = match documents.get(&d) {
                        Some(&(_, denials, hedged)) => (count(denials), count(hedged)),
                        None => (StatCell::Null, StatCell::Null),
                    };
                    vec![
                        words(source),
                        language.map_or(StatCell::Null, StatCell::Text),
                        count(claims),
                        denials,
                        hedged,
                    ]
                })
                .collect(),
        ),
        (
            "claims by predicate",
            &["predicate", "label", "claims"],
            predicates
                .into_iter()
                .map(|(id, p, n)| vec![words(id), words(&model.predicates[p].label), count(n)])
                .collect(),
        ),
        (
            "most reported-on entities",
            &["id", "kind", "name", "claims_about"],
            about
                .into_iter()
                .take(10)
                .map(|(id, n)| {
                    let e = entity(id);
                    vec![words(id), words(e.kind.as_str()), words(&e.name), count(n)]
                })
                .collect(),
        ),
        (
            "most cited origins",
            &["origin", "name", "claims", "documents"],
            cited
                .into_iter()
                .take(10)
                .map(|(id, n)| {
                    let mut in_documents = origins[&model.entity_index[id]].1.clone();
                    in_documents.sort_unstable();
                    in_documents.dedup();
                    vec![
                        words(id),
                        words(&entity(id).name),
                        count(n),
                        count(in_documents.len()),
                    ]
                })
                .collect(),
        ),
        (
            "provenance",
            &[
                "claims",
                "statements",
                "corroborated",
                "circular",
                "interested_claims",
                "conflicts",
            ],
            vec![vec![
                count(model.claims.len()),
                count(analysis.statements.len()),
                count(
                    analysis
                        .statements
                        .iter()
                        .filter(|s| s.voices.len() > 1)
                        .count(),
                ),
                count(analysis.statements.iter().filter(|s| s.circular()).count()),
                count(analysis.origins.iter().filter(|o| o.interested).count()),
                count(analysis.conflicts.len()),
            ]],
        ),
    ]
}

/// `stats_cells`: each section's columns as its row 0, then its rows from 1, cell by cell.
fn write_stats(tx: &Transaction<'_>, model: &Model, analysis: &Analysis) -> Result<(), StoreError> {
    let mut insert = tx.prepare(
        "INSERT INTO stats_cells (section_no, section, row, column_no, column, value)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (s, (title, columns, rows)) in stats(model, analysis).into_iter().enumerate() {
        for (c, column) in columns.iter().enumerate() {
            insert.execute(params![s, title, 0, c, column, StatCell::Null])?;
        }
        for (r, row) in rows.into_iter().enumerate() {
            for (c, (column, value)) in columns.iter().zip(row).enumerate() {
                insert.execute(params![s, title, r + 1, c, column, value])?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_voice_shows_its_origins_and_echoes_and_interest_before_alignment() {
        let voice =
            |id, via: &[&'static str], echoed: &[&'static str], interested, aligned| Voice {
                id,
                via: via.to_vec(),
                echoed: echoed.to_vec(),
                interested,
                aligned,
            };
        assert_eq!(
            voices(&[
                voice("ukraine", &["ukraine-intelligence"], &["de-nk"], true, true),
                voice("witness", &[], &[], false, false),
            ]),
            "ukraine (ukraine-intelligence) (echoed by de-nk)*, witness"
        );
    }
}
