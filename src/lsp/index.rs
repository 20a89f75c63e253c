//! What the language server knows of the data besides its diagnostics: every id defined (with
//! its name, kind and where), every place a record names one, and the records of each file,
//! taken from the parsed records before checking resolves them.

use std::collections::HashMap;
use std::ops::Range;

use crate::diagnostic::{FileId, Span};
use crate::load::records::RawObjectType;
use crate::load::{Data, Placed};
use crate::model::EntityKind;

/// What an id names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Entity(EntityKind),
    Predicate,
}

/// An entity or a predicate as defined in the data.
#[derive(Debug, Clone)]
pub struct Definition {
    pub id: String,
    pub target: Target,
    /// The entity's name, or the predicate's label.
    pub name: Option<String>,
    pub aliases: Vec<String>,
    pub description: Option<String>,
    /// The `id = "…"` value.
    pub span: Span,
    /// For a predicate: the kinds its subject may be, and what its object is (entity kinds or
    /// a value type), as written.
    pub subject_kinds: Vec<String>,
    pub object: Vec<String>,
    pub functional: Option<bool>,
}

/// The kind of record a place is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    Entity(EntityKind),
    Predicate,
    Claim,
}

impl Record {
    pub fn as_str(self) -> &'static str {
        match self {
            Record::Entity(kind) => kind.as_str(),
            Record::Predicate => "predicate",
            Record::Claim => "claim",
        }
    }
}

/// A place where a record names an id, or defines it.
#[derive(Debug, Clone)]
pub struct Occurrence {
    pub id: String,
    pub span: Span,
    /// The field it is written in (`subject`, `citing`, `part_of`, `id`, …).
    pub field: &'static str,
    pub record: Record,
    /// For a claim, its position among all claims, so that claims can be counted once.
    pub claim: Option<usize>,
}

impl Occurrence {
    pub fn is_definition(&self) -> bool {
        self.field == "id" && self.record != Record::Claim
    }
}

/// One record of a file, for the outline.
#[derive(Debug, Clone)]
pub struct Outline {
    pub record: Record,
    /// The record's `[[kind]]` header line.
    pub header: Range<usize>,
    /// Its id's value, when it has one.
    pub id: Option<(String, Range<usize>)>,
    /// A few words saying what it is: the entity's name, the predicate's label, or a claim's
    /// subject, predicate and object.
    pub summary: String,
}

/// The index of a whole data folder.
#[derive(Debug, Default)]
pub struct Index {
    /// Every definition by id; the first one when an id is defined twice (which `check`
    /// reports).
    pub definitions: HashMap<String, Definition>,
    /// Definitions in file order, for completion lists.
    pub order: Vec<String>,
    pub occurrences: Vec<Occurrence>,
    /// The records of each file, by [`FileId`], in file order.
    pub outlines: Vec<Vec<Outline>>,
}

impl Index {
    pub fn new(data: &Data) -> Index {
        let mut index = Index {
            outlines: vec![Vec::new(); data.files.len()],
            ..Index::default()
        };
        let records = &data.records;
        for entity in &records.entities {
            let record = Record::Entity(entity.kind);
            if let Some(id) = &entity.id {
                index.define(Definition {
                    id: id.value.clone(),
                    target: Target::Entity(entity.kind),
                    name: entity.name.as_ref().map(|n| n.value.clone()),
                    aliases: entity.aliases.iter().map(|a| a.value.clone()).collect(),
                    description: entity.description.as_ref().map(|d| d.value.clone()),
                    span: id.span.clone(),
                    subject_kinds: Vec::new(),
                    object: Vec::new(),
                    functional: None,
                });
                index.occur(id, "id", record, None);
            }
            for (field, target) in &entity.refs {
                index.occur(target, field.as_str(), record, None);
            }
            let summary = entity
                .name
                .as_ref()
                .map(|n| n.value.clone())
                .unwrap_or_default();
            index.outline(record, &entity.span, entity.id.as_ref(), summary);
        }
        for predicate in &records.predicates {
            let record = Record::Predicate;
            if let Some(id) = &predicate.id {
                let object = match &predicate.object {
                    Some(RawObjectType::Kinds(kinds)) => {
                        kinds.iter().map(|k| k.value.clone()).collect()
                    }
                    Some(RawObjectType::Value(value)) => vec![value.value.clone()],
                    None => Vec::new(),
                };
                index.define(Definition {
                    id: id.value.clone(),
                    target: Target::Predicate,
                    name: predicate.label.as_ref().map(|l| l.value.clone()),
                    aliases: Vec::new(),
                    description: predicate.description.as_ref().map(|d| d.value.clone()),
                    span: id.span.clone(),
                    subject_kinds: predicate.subject.iter().map(|k| k.value.clone()).collect(),
                    object,
                    functional: predicate.functional.as_ref().map(|f| f.value),
                });
                index.occur(id, "id", record, None);
            }
            for excluded in &predicate.excludes {
                index.occur(excluded, "excludes", record, None);
            }
            let summary = predicate
                .label
                .as_ref()
                .map(|l| l.value.clone())
                .unwrap_or_default();
            index.outline(record, &predicate.span, predicate.id.as_ref(), summary);
        }
        for (n, claim) in records.claims.iter().enumerate() {
            let record = Record::Claim;
            let at = Some(n);
            let fields = [
                ("source", &claim.source),
                ("reported_by", &claim.reported_by),
                ("subject", &claim.subject),
                ("predicate", &claim.predicate),
                ("object", &claim.object),
            ];
            for (field, value) in fields {
                if let Some(value) = value {
                    index.occur(value, field, record, at);
                }
            }
            for cited in &claim.citing {
                index.occur(cited, "citing", record, at);
            }
            let object = match (&claim.object, &claim.value) {
                (Some(object), _) => Some(object.value.clone()),
                (None, Some(value)) => Some(match &value.value {
                    crate::load::RawScalar::Str(s) => format!("\"{s}\""),
                    crate::load::RawScalar::Int(i) => i.to_string(),
                    crate::load::RawScalar::Float(f) => f.to_string(),
                    crate::load::RawScalar::Date(d) => d.clone(),
                }),
                (None, None) => None,
            };
            let denied = claim
                .stance
                .as_ref()
                .is_some_and(|s| s.value == "denies")
                .then_some("(denied)");
            let summary = [&claim.subject, &claim.predicate]
                .into_iter()
                .flatten()
                .map(|p| p.value.clone())
                .chain(object)
                .chain(denied.map(str::to_owned))
                .collect::<Vec<_>>()
                .join(" ");
            index.outline(record, &claim.span, claim.id.as_deref(), summary);
        }
        index
    }

    fn define(&mut self, definition: Definition) {
        if !self.definitions.contains_key(&definition.id) {
            self.order.push(definition.id.clone());
            self.definitions.insert(definition.id.clone(), definition);
        }
    }

    fn occur(
        &mut self,
        value: &Placed<String>,
        field: &'static str,
        record: Record,
        claim: Option<usize>,
    ) {
        self.occurrences.push(Occurrence {
            id: value.value.clone(),
            span: value.span.clone(),
            field,
            record,
            claim,
        });
    }

    fn outline(
        &mut self,
        record: Record,
        header: &Span,
        id: Option<&Placed<String>>,
        summary: String,
    ) {
        let Some(outlines) = self.outlines.get_mut(header.file.0 as usize) else {
            return;
        };
        outlines.push(Outline {
            record,
            header: header.range(),
            id: id.map(|id| (id.value.clone(), id.span.range())),
            summary,
        });
    }

    /// Drops the places in `files` (checked as they last parsed, their offsets are not the
    /// editor's); the ids they define stay known.
    pub fn forget_places_in(&mut self, files: &[FileId]) {
        if files.is_empty() {
            return;
        }
        self.occurrences.retain(|o| !files.contains(&o.span.file));
        for file in files {
            if let Some(outlines) = self.outlines.get_mut(file.0 as usize) {
                outlines.clear();
            }
        }
    }

    /// The id written at `offset` in `file`, if the offset is within one (its quotes
    /// included).
    pub fn at(&self, file: FileId, offset: usize) -> Option<&Occurrence> {
        self.occurrences.iter().find(|o| {
            let range = o.span.range();
            o.span.file == file && range.start <= offset && offset <= range.end
        })
    }

    /// Every place that names `id`, definitions included.
    pub fn references<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Occurrence> + 'a {
        self.occurrences.iter().filter(move |o| o.id == id)
    }

    /// How many claims name `id`, in any field.
    pub fn claims_naming(&self, id: &str) -> usize {
        let mut claims: Vec<usize> = self
            .references(id)
            .filter_map(|o| o.claim)
            .collect::<Vec<_>>();
        claims.dedup();
        claims.len()
    }
}
