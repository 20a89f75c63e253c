//! The record kinds as written in the TOML files: which fields each kind has, and the raw,
//! positioned records that parsing one file yields.

use toml::de::{DeTable, DeValue};

use super::fields::{Placed, RawScalar, Table};
use super::spec::{self, RECORD_KINDS};
use crate::diagnostic::{Code, Diagnostic, Diagnostics, FileId, Span, closest};
use crate::model::{EntityKind, RefField};

/// What a scalar entity field holds; checked by the validator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Text,
    Date,
    OrganisationType,
    Iso,
    Language,
    Url,
    Latitude,
    Longitude,
}

/// One field of an entity kind beyond the common ones.
#[derive(Debug, Clone, Copy)]
pub enum FieldSpec {
    Scalar(&'static str, FieldType),
    Ref(RefField),
}

impl FieldSpec {
    pub fn name(self) -> &'static str {
        match self {
            FieldSpec::Scalar(name, _) => name,
            FieldSpec::Ref(field) => field.as_str(),
        }
    }
}

pub const ORGANISATION_TYPES: [&str; 10] = [
    "armed-force",
    "intelligence-service",
    "media",
    "ngo",
    "government",
    "mercenary-group",
    "research",
    "international",
    "education",
    "other",
];

/// The kind-specific fields, in the order they are stored.
pub fn kind_fields(kind: EntityKind) -> &'static [FieldSpec] {
    use FieldSpec::{Ref, Scalar};
    use FieldType::*;
    match kind {
        EntityKind::Person => &[Ref(RefField::Nationality), Scalar("born", Date)],
        EntityKind::Organisation => &[
            Scalar("type", OrganisationType),
            Ref(RefField::Country),
            Ref(RefField::PartOf),
        ],
        EntityKind::Unit => &[
            Scalar("type", Text),
            Ref(RefField::Country),
            Ref(RefField::PartOf),
        ],
        EntityKind::Country => &[Scalar("iso", Iso)],
        EntityKind::Place => &[
            Scalar("type", Text),
            Ref(RefField::Country),
            Ref(RefField::PartOf),
            Scalar("lat", Latitude),
            Scalar("lon", Longitude),
        ],
        EntityKind::Group => &[Ref(RefField::Nationality), Ref(RefField::PartOf)],
        EntityKind::Event => &[
            Scalar("when", Date),
            Ref(RefField::Place),
            Ref(RefField::Participants),
        ],
        EntityKind::Source => &[
            Scalar("file", Text),
            Scalar("title", Text),
            Scalar("language", Language),
            Scalar("published", Date),
            Ref(RefField::Outlet),
            Ref(RefField::Author),
            Scalar("url", Url),
        ],
    }
}

/// Kinds that report, and so may carry the analyst's `reliability` grade.
pub fn has_reliability(kind: EntityKind) -> bool {
    !matches!(
        kind,
        EntityKind::Place | EntityKind::Event | EntityKind::Country
    )
}

#[derive(Debug, Clone)]
pub enum RawFieldValue {
    Text(String),
    Number(f64),
}

#[derive(Debug, Clone)]
pub struct RawEntity {
    pub kind: EntityKind,
    pub span: Span,
    pub id: Option<Placed<String>>,
    pub name: Option<Placed<String>>,
    pub aliases: Vec<Placed<String>>,
    pub description: Option<Placed<String>>,
    pub wikidata: Option<Placed<String>>,
    pub reliability: Option<Placed<String>>,
    pub fields: Vec<(&'static str, FieldType, Placed<RawFieldValue>)>,
    pub refs: Vec<(RefField, Placed<String>)>,
}

impl RawEntity {
    pub fn field(&self, name: &str) -> Option<&Placed<RawFieldValue>> {
        self.fields
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, _, v)| v)
    }
}

#[derive(Debug, Clone)]
pub enum RawObjectType {
    Kinds(Vec<Placed<String>>),
    Value(Placed<String>),
}

#[derive(Debug, Clone)]
pub struct RawPredicate {
    pub span: Span,
    pub id: Option<Placed<String>>,
    pub label: Option<Placed<String>>,
    pub description: Option<Placed<String>>,
    pub subject: Vec<Placed<String>>,
    pub object: Option<RawObjectType>,
    pub functional: Option<Placed<bool>>,
    pub excludes: Vec<Placed<String>>,
    pub excludes_scope: Option<Placed<String>>,
}

/// A claim as written. The fields few claims give are boxed: a million records are held at
/// once, and each field inline adds its size to every one of them.
#[derive(Debug, Clone)]
pub struct RawClaim {
    pub span: Span,
    pub id: Option<Box<Placed<String>>>,
    pub source: Option<Placed<String>>,
    pub reported_by: Option<Placed<String>>,
    pub citing: Vec<Placed<String>>,
    pub subject: Option<Placed<String>>,
    pub predicate: Option<Placed<String>>,
    pub object: Option<Placed<String>>,
    pub value: Option<Box<Placed<RawScalar>>>,
    pub when: Option<Placed<String>>,
    pub stance: Option<Box<Placed<String>>>,
    pub hedged: Option<Box<Placed<bool>>>,
    pub quote: Option<Placed<String>>,
    /// Which occurrence of the quote in its document the claim means, from 1; only needed when
    /// the quote occurs more than once. Boxed, since few claims give it: inline it would push
    /// the record past 512 bytes into the allocator's next size class, 128 bytes more for each
    /// of a million claims.
    pub occurrence: Option<Box<Placed<i64>>>,
    pub note: Option<Box<Placed<String>>>,
    /// Whether `object` and `value` are written but could not be read (an error says why), so
    /// that the checks needing them do not also call them missing.
    pub unreadable: Unreadable,
}

/// Fields of a claim that are written but could not be read.
#[derive(Debug, Default, Clone, Copy)]
pub struct Unreadable {
    pub object: bool,
    pub value: bool,
}

/// The records of every data file, in path order and then in file order.
#[derive(Debug, Default, Clone)]
pub struct RawRecords {
    pub entities: Vec<RawEntity>,
    pub predicates: Vec<RawPredicate>,
    /// Boxed: a million claims are joined from the files they were parsed in, and moving a
    /// pointer is cheaper than moving a record (and holding it twice while doing so).
    pub claims: Vec<Box<RawClaim>>,
}

/// Parses one data file into raw records. Syntax errors are reported and parsing recovers
/// where it can, so one run shows every problem.
pub fn parse_file(
    file: FileId,
    text: &str,
    records: &mut RawRecords,
    diagnostics: &mut Diagnostics,
) {
    let (document, errors) = DeTable::parse_recoverable(text);
    let span = |range: std::ops::Range<usize>| Span::new(file, range);
    for error in &errors {
        let range = error.span().unwrap_or(0..0);
        diagnostics.push(
            Diagnostic::error(
                Code::Syntax,
                span(range),
                format!("TOML syntax: {}", error.message().trim_end()),
            )
            .with_label("here"),
        );
    }
    if !errors.is_empty() {
        // A recovered tree after a syntax error can hold half-parsed records; checking them
        // would only add confusing follow-up errors.
        return;
    }
    for (key, value) in document.get_ref().iter() {
        let kind_name = key.get_ref().as_ref();
        let key_span = span(key.span());
        if !RECORD_KINDS.contains(&kind_name) {
            let mut d = Diagnostic::error(
                Code::UnknownField,
                key_span,
                format!("unknown record kind `{kind_name}`"),
            )
            .with_label("not a record kind");
            d = match closest(kind_name, RECORD_KINDS) {
                Some(s) => d.with_hint(format!("did you mean `[[{s}]]`?")),
                None => d.with_hint(format!("record kinds: {}", RECORD_KINDS.join(", "))),
            };
            diagnostics.push(d);
            continue;
        }
        let DeValue::Array(items) = value.get_ref() else {
            diagnostics.push(
                Diagnostic::error(
                    Code::WrongType,
                    key_span,
                    format!("`{kind_name}` must be an array of tables, written `[[{kind_name}]]`"),
                )
                .with_label(format!("not `[[{kind_name}]]`")),
            );
            continue;
        };
        match kind_name {
            "predicate" => records.predicates.reserve(items.len()),
            "claim" => records.claims.reserve(items.len()),
            _ => records.entities.reserve(items.len()),
        }
        for item in items.iter() {
            let DeValue::Table(table) = item.get_ref() else {
                diagnostics.push(Diagnostic::error(
                    Code::WrongType,
                    span(item.span()),
                    format!("each `{kind_name}` must be a table"),
                ));
                continue;
            };
            let record_span = span(record_start(text, item.span()));
            match kind_name {
                "predicate" => {
                    records
                        .predicates
                        .push(read_predicate(file, record_span, table, diagnostics))
                }
                "claim" => {
                    records
                        .claims
                        .push(Box::new(read_claim(file, record_span, table, diagnostics)))
                }
                _ => {
                    let kind = EntityKind::parse(kind_name).expect("listed above");
                    records
                        .entities
                        .push(read_entity(kind, file, record_span, table, diagnostics));
                }
            }
        }
    }
}

/// The span used for a whole record: its first line, so that a diagnostic about a missing
/// field points at the `[[kind]]` header rather than underlining the whole table.
fn record_start(text: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let start = range.start.min(text.len());
    let end = text[start..range.end.min(text.len())]
        .find('\n')
        .map_or(range.end, |n| start + n);
    start..end.max(start)
}

fn read_entity(
    kind: EntityKind,
    file: FileId,
    span: Span,
    table: &DeTable<'_>,
    diagnostics: &mut Diagnostics,
) -> RawEntity {
    let what = format!("this {kind}");
    let specs = kind_fields(kind);
    let mut t = Table::new(
        file,
        span.clone(),
        &what,
        spec::field_names(kind.as_str()),
        table,
        diagnostics,
    );
    let id = t.required_string("id");
    let name = if kind == EntityKind::Source {
        t.string("name")
    } else {
        t.required_string("name")
    };
    let aliases = t.list("aliases");
    let description = t.string("description");
    let wikidata = t.string("wikidata");
    let reliability = if has_reliability(kind) {
        t.string("reliability")
    } else {
        None
    };
    let mut fields = Vec::new();
    let mut refs = Vec::new();
    for spec in specs {
        match *spec {
            FieldSpec::Scalar(name, ty) => {
                let value = match ty {
                    FieldType::Latitude | FieldType::Longitude => t.number(name).map(|v| Placed {
                        value: RawFieldValue::Number(v.value),
                        span: v.span,
                    }),
                    FieldType::Date => t.date(name).map(|v| Placed {
                        value: RawFieldValue::Text(v.value),
                        span: v.span,
                    }),
                    _ => t.string(name).map(|v| Placed {
                        value: RawFieldValue::Text(v.value),
                        span: v.span,
                    }),
                };
                if let Some(value) = value {
                    fields.push((name, ty, value));
                } else if kind == EntityKind::Source
                    && name == "file"
                    && table.get("file").is_none()
                {
                    t.missing("file");
                }
            }
            FieldSpec::Ref(field) => {
                for target in t.strings(field.as_str()) {
                    refs.push((field, target));
                }
            }
        }
    }
    t.finish();
    RawEntity {
        kind,
        span,
        id,
        name,
        aliases,
        description,
        wikidata,
        reliability,
        fields,
        refs,
    }
}

fn read_predicate(
    file: FileId,
    span: Span,
    table: &DeTable<'_>,
    diagnostics: &mut Diagnostics,
) -> RawPredicate {
    let mut t = Table::new(
        file,
        span.clone(),
        "this predicate",
        spec::field_names("predicate"),
        table,
        diagnostics,
    );
    let id = t.required_string("id");
    let label = t.required_string("label");
    let description = t.string("description");
    if table.get("subject").is_none() {
        t.missing("subject");
    }
    let subject = t.strings("subject");
    if table.get("object").is_none() {
        t.missing("object");
    }
    let object = match table.get("object").map(|v| v.get_ref()) {
        Some(DeValue::String(_)) => t.string("object").map(RawObjectType::Value),
        Some(_) => Some(RawObjectType::Kinds(t.strings("object"))),
        None => None,
    };
    let functional = t.bool("functional");
    let excludes = t.strings("excludes");
    let excludes_scope = t.string("excludes_scope");
    t.finish();
    RawPredicate {
        span,
        id,
        label,
        description,
        subject,
        object,
        functional,
        excludes,
        excludes_scope,
    }
}

fn read_claim(
    file: FileId,
    span: Span,
    table: &DeTable<'_>,
    diagnostics: &mut Diagnostics,
) -> RawClaim {
    let mut t = Table::new(
        file,
        span.clone(),
        "this claim",
        spec::field_names("claim"),
        table,
        diagnostics,
    );
    let occurrence = t.scalar("occurrence");
    let mut claim = RawClaim {
        span,
        id: t.string("id").map(Box::new),
        source: t.required_string("source"),
        reported_by: t.string("reported_by"),
        citing: t.strings("citing"),
        subject: t.required_string("subject"),
        predicate: t.required_string("predicate"),
        object: t.string("object"),
        value: t.scalar("value").map(Box::new),
        when: t.date("when"),
        stance: t.string("stance").map(Box::new),
        hedged: t.bool("hedged").map(Box::new),
        quote: t.required_string("quote"),
        occurrence: None,
        note: t.string("note").map(Box::new),
        unreadable: Unreadable::default(),
    };
    t.finish();
    claim.unreadable = Unreadable {
        object: claim.object.is_none() && table.get("object").is_some(),
        value: claim.value.is_none() && table.get("value").is_some(),
    };
    claim.occurrence = occurrence.and_then(|o| match o.value {
        RawScalar::Int(n) => Some(Box::new(Placed {
            value: n,
            span: o.span,
        })),
        other => {
            let found = match other {
                RawScalar::Str(s) => format!("the text \"{s}\""),
                RawScalar::Float(f) => format!("the number {f}"),
                RawScalar::Date(d) => format!("the date {d}"),
                RawScalar::Int(_) => unreachable!("matched above"),
            };
            diagnostics.push(
                Diagnostic::error(
                    Code::WrongType,
                    o.span,
                    format!("`occurrence` must be a whole number, not {found}"),
                )
                .with_label("1 for the first time the quote occurs, 2 for the second, …"),
            );
            None
        }
    });
    claim
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A million raw claims are held at once: a field added inline can move every one of them
    /// into a larger allocation class (mimalloc's classes around here are 384, 448 and 512 bytes).
    #[test]
    fn a_raw_claim_fits_in_384_bytes() {
        assert!(
            std::mem::size_of::<RawClaim>() <= 384,
            "{}",
            std::mem::size_of::<RawClaim>()
        );
    }
}
