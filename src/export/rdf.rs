//! `rdf` and `nquads`: the graph as RDF, one named graph per claim holding its statement, and in
//! the default graph the claims' provenance in PROV-O, their quotes as W3C Web Annotations, the
//! entities, predicates and conflicts. TriG and N-Quads are written by oxttl from oxrdf's quads,
//! which escape every IRI and literal; the same quads in the same order go into both.
//!
//! Every IRI is a name under the unregistered URN namespace `urn:claimgraph:` (see
//! [`VOCABULARY`]): nothing resolves it, and nothing here pretends a web address.

use std::io::Write;

use oxrdf::vocab::{rdf, rdfs, xsd};
use oxrdf::{GraphName, Literal, NamedNode, Quad, Term};
use oxttl::{NQuadsSerializer, TriGSerializer};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::{ExportError, Exporter, Format, Output};
use crate::model::{EntityKind, RefField, Stance};
use crate::store::snapshot::{
    ClaimRow, ClaimTarget, EntityRow, RowClaim, RowEntity, RowSource, StoredValue,
};
use crate::view::View;

/// claimgraph's own terms: `cg:stance`, `cg:hedged`, `cg:origin`, … (README, "RDF and SPARQL").
pub const VOCABULARY: &str = "urn:claimgraph:vocab:";
/// Entities (sources included): `urn:claimgraph:entity:<id>`.
const ENTITY: &str = "urn:claimgraph:entity:";
/// Claims, each the name of its graph: `urn:claimgraph:claim:<id>`; its quote annotation and
/// citing steps are `…/quote`, `…/quote/target`, `…/quote/exact`, `…/quote/position` and
/// `…/cites/<n>`.
const CLAIM: &str = "urn:claimgraph:claim:";
/// Predicates of the curated vocabulary, as RDF properties: `urn:claimgraph:predicate:<id>`.
const PREDICATE: &str = "urn:claimgraph:predicate:";
/// Conflicts between two claims: `urn:claimgraph:conflict:<claim a>/<claim b>/<reason>`.
const CONFLICT: &str = "urn:claimgraph:conflict:";

const PROV: &str = "http://www.w3.org/ns/prov#";
const OA: &str = "http://www.w3.org/ns/oa#";
const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
const DCTERMS: &str = "http://purl.org/dc/terms/";
const SCHEMA: &str = "http://schema.org/";
const OWL: &str = "http://www.w3.org/2002/07/owl#";
const WIKIDATA: &str = "http://www.wikidata.org/entity/";

/// How many characters of the document a `TextQuoteSelector` keeps before and after the quote:
/// enough to tell apart two places with the same words.
const CONTEXT_CHARS: usize = 32;

/// What an id may keep as it is in an IRI: RFC 3986's unreserved characters. Ids are lowercase
/// letters, digits, `-` and `_` already; anything else is percent-encoded.
const ID_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Which RDF syntax to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rdf {
    TriG,
    NQuads,
}

impl Exporter for Rdf {
    fn write(&self, view: &View<'_>, out: &mut Output<'_>) -> Result<(), ExportError> {
        let format = match self {
            Rdf::TriG => Format::Rdf,
            Rdf::NQuads => Format::Nquads,
        };
        let quads = quads(view);
        let written = match self {
            Rdf::TriG => {
                let mut serializer = TriGSerializer::new();
                for (name, iri) in PREFIXES {
                    serializer = serializer
                        .with_prefix(name, iri)
                        .expect("the prefixes are valid IRIs");
                }
                let mut writer = serializer.for_writer(&mut *out);
                quads
                    .iter()
                    .try_for_each(|q| writer.serialize_quad(q))
                    .and_then(|()| writer.finish().map(drop))
            }
            Rdf::NQuads => {
                let mut writer = NQuadsSerializer::new().for_writer(&mut *out);
                quads
                    .iter()
                    .try_for_each(|q| writer.serialize_quad(q))
                    .map(|()| {
                        writer.finish();
                    })
            }
        };
        written
            .and_then(|()| out.flush())
            .map_err(ExportError::writing(format))
    }
}

/// The prefixes TriG abbreviates with (oxttl writes them longest IRI first).
const PREFIXES: [(&str, &str); 14] = [
    ("cg", VOCABULARY),
    ("claim", CLAIM),
    ("dcterms", DCTERMS),
    ("entity", ENTITY),
    ("oa", OA),
    ("owl", OWL),
    ("pred", PREDICATE),
    ("prov", PROV),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("schema", SCHEMA),
    ("skos", SKOS),
    ("wd", WIKIDATA),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];

/// The claims an RDF export holds: every claim of the database for a whole view (RDF is the
/// whole graph whichever `--view`), else those the view shows (`--focus`, `--source`).
pub fn claims(view: &View<'_>) -> Vec<RowClaim> {
    if view.focus.is_none() && view.document.is_none() {
        view.snapshot().claims.keys().collect()
    } else {
        view.claims()
    }
}

/// An IRI made of a namespace and a name in it, the name percent-encoded where it must be.
fn iri(namespace: &str, name: &str) -> NamedNode {
    NamedNode::new(format!("{namespace}{}", utf8_percent_encode(name, ID_SET)))
        .expect("a namespace and a percent-encoded name make an IRI")
}

/// A term of a vocabulary whose terms are written here, never taken from the data.
fn term(namespace: &str, name: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{namespace}{name}"))
}

fn cg(name: &str) -> NamedNode {
    term(VOCABULARY, name)
}

/// The class claimgraph gives each kind, and the schema.org class that fits it, if one does.
fn classes(kind: EntityKind) -> (&'static str, Option<&'static str>) {
    match kind {
        EntityKind::Person => ("Person", Some("Person")),
        EntityKind::Organisation => ("Organisation", Some("Organization")),
        // A military unit is an organisation in schema.org's sense.
        EntityKind::Unit => ("Unit", Some("Organization")),
        EntityKind::Country => ("Country", Some("Country")),
        EntityKind::Place => ("Place", Some("Place")),
        // A collective ("North Korean soldiers sent to Russia") is no organisation.
        EntityKind::Group => ("Group", None),
        EntityKind::Event => ("Event", Some("Event")),
        EntityKind::Source => ("Source", Some("CreativeWork")),
    }
}

/// A stored value as a literal: integers as `xsd:integer`, reals as `xsd:decimal` or
/// `xsd:double`, a `date` predicate's value as the XML Schema type of its precision, text as a
/// plain string.
fn value_literal(value: &StoredValue, object_type: &str) -> Literal {
    match value {
        StoredValue::Integer(i) => Literal::from(*i),
        StoredValue::Real(r) => Literal::from(*r),
        StoredValue::Text(text) if object_type == "date" => date_literal(text),
        StoredValue::Text(text) => Literal::new_simple_literal(text),
    }
}

/// A partial ISO date typed by its precision (`xsd:gYear`, `xsd:gYearMonth`, `xsd:date`); an
/// interval has no XML Schema type and stays a plain string.
fn date_literal(text: &str) -> Literal {
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = text.split('-').collect();
    let datatype = match parts.as_slice() {
        [y] if y.len() == 4 && digits(y) => Some(xsd::G_YEAR),
        [y, m] if y.len() == 4 && m.len() == 2 && digits(y) && digits(m) => Some(xsd::G_YEAR_MONTH),
        [y, m, d] if y.len() == 4 && [m, d].iter().all(|p| p.len() == 2 && digits(p)) => {
            Some(xsd::DATE)
        }
        _ => None,
    };
    match datatype {
        Some(datatype) => Literal::new_typed_literal(text, datatype),
        None => Literal::new_simple_literal(text),
    }
}

fn boolean(b: bool) -> Literal {
    Literal::from(b)
}

fn count(n: u64) -> Literal {
    Literal::new_typed_literal(n.to_string(), xsd::NON_NEGATIVE_INTEGER)
}

/// Collects quads: the default graph's, then each claim's graph, in that order.
struct Quads {
    quads: Vec<Quad>,
}

impl Quads {
    fn add(&mut self, subject: &NamedNode, predicate: NamedNode, object: impl Into<Term>) {
        self.quads.push(Quad::new(
            subject.clone(),
            predicate,
            object,
            GraphName::DefaultGraph,
        ));
    }
}

/// The rows an exchange format (RDF, FollowTheMoney, Cypher) holds: for a whole view every
/// entity and claim; for `--focus` or `--source`, the view's claims and the entities they name
/// (document, reporter, subject, object, citing chain, origin, voice), in the order of the rows.
pub fn rows(view: &View<'_>) -> (Vec<RowEntity>, Vec<RowClaim>) {
    let data = view.snapshot();
    let claims = claims(view);
    let whole = view.focus.is_none() && view.document.is_none();
    let mut entities: Vec<RowEntity> = if whole {
        data.entities.keys().collect()
    } else {
        claims
            .iter()
            .flat_map(|&c| named_entities(view, data.claims.get(c).expect("a read claim")))
            .collect()
    };
    entities.sort_unstable();
    entities.dedup();
    (entities, claims)
}

/// Every quad of the export, in a fixed order: predicates, entities, claims (provenance,
/// annotation), conflicts, then the claims' graphs, each list in id order.
fn quads(view: &View<'_>) -> Vec<Quad> {
    let data = view.snapshot();
    let (entities, claims) = rows(view);
    let contested = contested(view, &claims);
    let mut out = Quads { quads: Vec::new() };

    for predicate in &data.predicates {
        let p = iri(PREDICATE, &predicate.id);
        out.add(&p, rdf::TYPE.into(), rdf::PROPERTY);
        out.add(&p, rdf::TYPE.into(), cg("Predicate"));
        out.add(
            &p,
            rdfs::LABEL.into(),
            Literal::new_simple_literal(&predicate.label),
        );
        if let Some(description) = &predicate.description {
            out.add(
                &p,
                term(DCTERMS, "description"),
                Literal::new_simple_literal(description),
            );
        }
        out.add(
            &p,
            cg("objectType"),
            Literal::new_simple_literal(&predicate.object_type),
        );
    }

    for &e in &entities {
        entity(&mut out, data.entities.get(e).expect("a read entity"));
    }

    let mut starts = CharStarts::default();
    for &c in &claims {
        claim(&mut out, view, c, contested.contains(&c), &mut starts);
    }

    let mut conflicts: Vec<_> = claims
        .iter()
        .flat_map(|&c| data.claims[c].conflicts.iter().copied())
        .collect();
    conflicts.sort_unstable();
    conflicts.dedup();
    for r in conflicts {
        let conflict = &data.conflicts[r];
        let name = format!(
            "{}/{}/{}",
            utf8_percent_encode(&conflict.claim_a, ID_SET),
            utf8_percent_encode(&conflict.claim_b, ID_SET),
            conflict.reason.as_str()
        );
        let node = NamedNode::new(format!("{CONFLICT}{name}")).expect("an encoded name");
        out.add(&node, rdf::TYPE.into(), cg("Conflict"));
        out.add(&node, cg("claimA"), iri(CLAIM, &conflict.claim_a));
        out.add(&node, cg("claimB"), iri(CLAIM, &conflict.claim_b));
        out.add(
            &node,
            cg("reason"),
            Literal::new_simple_literal(conflict.reason.as_str()),
        );
        out.add(
            &node,
            rdfs::COMMENT.into(),
            Literal::new_simple_literal(&conflict.detail),
        );
    }

    for &c in &claims {
        let row = &data.claims[c];
        let graph = iri(CLAIM, &row.id);
        let predicate = view.predicate(row.predicate);
        let object: Term = match &row.target {
            ClaimTarget::Entity(o) => iri(ENTITY, &view.entity(*o).id).into(),
            ClaimTarget::Value(v) => value_literal(v, &predicate.object_type).into(),
        };
        out.quads.push(Quad::new(
            iri(ENTITY, &view.entity(row.subject).id),
            iri(PREDICATE, &predicate.id),
            object,
            graph,
        ));
    }
    out.quads
}

/// The entities a claim names: its document, reporter, chain, subject, object, origin, voice.
fn named_entities(view: &View<'_>, claim: &ClaimRow) -> Vec<RowEntity> {
    let mut named = vec![
        view.source(claim.source).entity,
        claim.reporter,
        claim.subject,
        claim.origin,
        claim.voice,
    ];
    named.extend(&claim.citing);
    if let ClaimTarget::Entity(o) = claim.target {
        named.push(o);
    }
    named
}

/// The claims whose statement is contested: the statement (subject, predicate, object or value,
/// either stance) has a denial or a claim that conflicts with another, as
/// [`crate::view::Support::contested`] says of an edge of the entities view.
fn contested(view: &View<'_>, claims: &[RowClaim]) -> std::collections::HashSet<RowClaim> {
    let data = view.snapshot();
    let key = |c: RowClaim| {
        let row = &data.claims[c];
        let target = match &row.target {
            ClaimTarget::Entity(o) => format!("e:{}", data.entities[*o].id),
            ClaimTarget::Value(v) => format!("v:{}", v.to_text()),
        };
        (row.subject, row.predicate, target)
    };
    let mut against = std::collections::HashSet::new();
    for &c in &data.claims.keys().collect::<Vec<_>>() {
        let row = &data.claims[c];
        if row.stance == Stance::Denies || !row.conflicts.is_empty() {
            against.insert(key(c));
        }
    }
    claims
        .iter()
        .copied()
        .filter(|&c| against.contains(&key(c)))
        .collect()
}

fn entity(out: &mut Quads, e: &EntityRow) {
    let node = iri(ENTITY, &e.id);
    let (own, known) = classes(e.kind);
    out.add(&node, rdf::TYPE.into(), cg(own));
    if let Some(known) = known {
        out.add(&node, rdf::TYPE.into(), term(SCHEMA, known));
    }
    out.add(
        &node,
        rdfs::LABEL.into(),
        Literal::new_simple_literal(&e.name),
    );
    // The data gives no alias a language: a tag would be a guess.
    for alias in &e.aliases {
        out.add(
            &node,
            term(SKOS, "altLabel"),
            Literal::new_simple_literal(alias),
        );
    }
    if let Some(description) = &e.description {
        out.add(
            &node,
            term(DCTERMS, "description"),
            Literal::new_simple_literal(description),
        );
    }
    if let Some(q) = &e.wikidata {
        out.add(&node, term(OWL, "sameAs"), iri(WIKIDATA, q));
    }
    if let Some(grade) = &e.reliability {
        out.add(&node, cg("reliability"), Literal::new_simple_literal(grade));
    }
    for field in &e.fields {
        let text = field.value.to_text();
        match (e.kind, field.name.as_str()) {
            (EntityKind::Source, "title") => {
                out.add(
                    &node,
                    term(DCTERMS, "title"),
                    Literal::new_simple_literal(text),
                );
            }
            (EntityKind::Source, "language") => {
                out.add(
                    &node,
                    term(DCTERMS, "language"),
                    Literal::new_typed_literal(text, xsd::LANGUAGE),
                );
            }
            (EntityKind::Source, "published") => {
                out.add(&node, term(DCTERMS, "issued"), date_literal(&text));
            }
            (EntityKind::Source, "url") => match NamedNode::new(text.as_str()) {
                Ok(url) => out.add(&node, term(SCHEMA, "url"), url),
                Err(_) => out.add(
                    &node,
                    term(SCHEMA, "url"),
                    Literal::new_typed_literal(text, xsd::ANY_URI),
                ),
            },
            (_, name) => {
                let literal = match &field.value {
                    StoredValue::Text(t) if matches!(name, "born" | "when") => date_literal(t),
                    value => value_literal(value, "number"),
                };
                out.add(&node, cg(name), literal);
            }
        }
    }
    for link in &e.links {
        let target = iri(ENTITY, &link.target);
        let property = match link.field {
            RefField::Outlet => term(DCTERMS, "publisher"),
            RefField::Author => term(DCTERMS, "creator"),
            field => cg(&camel(field.as_str())),
        };
        out.add(&node, property, target);
    }
}

/// `part_of` as `partOf`: RDF's custom for property names.
fn camel(name: &str) -> String {
    let mut words = name.split('_');
    let mut camel = words.next().unwrap_or_default().to_owned();
    for word in words {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            camel.extend(first.to_uppercase());
            camel.push_str(chars.as_str());
        }
    }
    camel
}

/// Where each character of a document starts, in bytes, made once per document: quote offsets
/// count characters, and counting from the start for every quote would be quadratic.
#[derive(Default)]
struct CharStarts {
    documents: std::collections::HashMap<RowSource, Vec<usize>>,
}

impl CharStarts {
    /// The text from character `from` to character `to` (end exclusive; cut at the end).
    fn cut<'t>(&mut self, source: RowSource, text: &'t str, from: usize, to: usize) -> &'t str {
        let starts = self.documents.entry(source).or_insert_with(|| {
            text.char_indices()
                .map(|(at, _)| at)
                .chain([text.len()])
                .collect()
        });
        let byte = |chars: usize| starts[chars.min(starts.len() - 1)];
        &text[byte(from)..byte(to.max(from))]
    }
}

fn claim(out: &mut Quads, view: &View<'_>, c: RowClaim, contested: bool, starts: &mut CharStarts) {
    let row = view.claim(c);
    let node = iri(CLAIM, &row.id);
    let source = view.source(row.source);
    let document = iri(ENTITY, &source.id);
    out.add(&node, rdf::TYPE.into(), cg("Claim"));
    out.add(&node, rdf::TYPE.into(), term(PROV, "Entity"));
    out.add(
        &node,
        term(PROV, "wasAttributedTo"),
        iri(ENTITY, &view.entity(row.reporter).id),
    );
    out.add(&node, term(PROV, "wasQuotedFrom"), document.clone());
    out.add(
        &node,
        cg("origin"),
        iri(ENTITY, &view.entity(row.origin).id),
    );
    out.add(&node, cg("voice"), iri(ENTITY, &view.entity(row.voice).id));
    out.add(&node, cg("interested"), boolean(row.interested));
    out.add(&node, cg("aligned"), boolean(row.aligned));
    out.add(&node, cg("stance"), cg(row.stance.as_str()));
    out.add(&node, cg("hedged"), boolean(row.hedged));
    out.add(&node, cg("contested"), boolean(contested));
    if let Some(when) = &row.when {
        out.add(&node, cg("when"), date_literal(when));
    }
    out.add(&node, cg("quote"), Literal::new_simple_literal(&row.quote));
    if let Some(note) = &row.note {
        out.add(&node, cg("note"), Literal::new_simple_literal(note));
    }
    for &conflict in &row.conflicts {
        let conflict = &view.snapshot().conflicts[conflict];
        let other = if conflict.claim_a == row.id {
            &conflict.claim_b
        } else {
            &conflict.claim_a
        };
        out.add(&node, cg("conflictsWith"), iri(CLAIM, other));
    }

    // The citing chain, nearest first: the claim is derived from what the first cited entity
    // said, which is derived from what the second said, and so on to the origin.
    let mut derived = node.clone();
    for (position, &cited) in row.citing.iter().enumerate() {
        let step = NamedNode::new(format!("{}/cites/{}", node.as_str(), position + 1))
            .expect("a claim IRI and a number");
        out.add(&derived, term(PROV, "wasDerivedFrom"), step.clone());
        out.add(&step, rdf::TYPE.into(), term(PROV, "Entity"));
        out.add(
            &step,
            term(PROV, "wasAttributedTo"),
            iri(ENTITY, &view.entity(cited).id),
        );
        out.add(&step, cg("position"), count(position as u64 + 1));
        derived = step;
    }

    // The quote as a Web Annotation whose body is the claim and whose target is the passage.
    let Some(texts) = view.texts else { return };
    let (Some(&(start, end)), Some(text)) = (texts.spans.get(&c), texts.texts.get(&row.source))
    else {
        return;
    };
    let annotation = NamedNode::new(format!("{}/quote", node.as_str())).expect("a claim IRI");
    let target = NamedNode::new(format!("{}/target", annotation.as_str())).expect("a claim IRI");
    let exact = NamedNode::new(format!("{}/exact", annotation.as_str())).expect("a claim IRI");
    let position =
        NamedNode::new(format!("{}/position", annotation.as_str())).expect("a claim IRI");
    out.add(&annotation, rdf::TYPE.into(), term(OA, "Annotation"));
    out.add(&annotation, term(OA, "motivatedBy"), term(OA, "describing"));
    out.add(&annotation, term(OA, "hasBody"), node.clone());
    out.add(&annotation, term(OA, "hasTarget"), target.clone());
    out.add(&target, rdf::TYPE.into(), term(OA, "SpecificResource"));
    out.add(&target, term(OA, "hasSource"), document);
    out.add(&target, term(OA, "hasSelector"), exact.clone());
    out.add(&target, term(OA, "hasSelector"), position.clone());
    let (start, end) = (start as usize, end as usize);
    let mut cut = |from: usize, to: usize| starts.cut(row.source, text, from, to).to_owned();
    out.add(&exact, rdf::TYPE.into(), term(OA, "TextQuoteSelector"));
    out.add(
        &exact,
        term(OA, "exact"),
        Literal::new_simple_literal(cut(start, end)),
    );
    // At the start or end of the document there is nothing before or after to keep.
    let prefix = cut(start.saturating_sub(CONTEXT_CHARS), start);
    if !prefix.is_empty() {
        out.add(
            &exact,
            term(OA, "prefix"),
            Literal::new_simple_literal(prefix),
        );
    }
    let suffix = cut(end, end + CONTEXT_CHARS);
    if !suffix.is_empty() {
        out.add(
            &exact,
            term(OA, "suffix"),
            Literal::new_simple_literal(suffix),
        );
    }
    out.add(
        &position,
        rdf::TYPE.into(),
        term(OA, "TextPositionSelector"),
    );
    out.add(&position, term(OA, "start"), count(start as u64));
    out.add(&position, term(OA, "end"), count(end as u64));
}
