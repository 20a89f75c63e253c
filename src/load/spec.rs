//! The data files' record kinds and their fields, described once: what each field holds, whether
//! it is required, the values and patterns the checks enforce, and what it means to a curator.
//! The loader takes its known fields from here, the JSON Schema of the data files is generated
//! from here ([`super::json_schema`]), and an editor's completion and hover can show it.
//!
//! ```
//! use claimgraph::load::spec;
//!
//! assert!(spec::record_kinds().contains(&"claim"));
//! let stance = spec::field("claim", "stance").unwrap();
//! assert!(!stance.required);
//! assert_eq!(stance.allowed_values(), ["affirms", "denies"]);
//! assert!(spec::field("claim", "stnace").is_none());
//! ```

use std::sync::LazyLock;

use super::records::{FieldSpec, FieldType, ORGANISATION_TYPES, has_reliability, kind_fields};
use crate::model::{
    EntityKind, ExcludesScope, MAX_ID_LEN, RELIABILITY_GRADES, RefField, Stance, VALUE_TYPES,
};

/// The kinds of `[[record]]` a data file may hold: every entity kind, then `predicate` and
/// `claim`.
pub const RECORD_KINDS: [&str; EntityKind::ALL.len() + 2] = {
    let mut kinds = [""; EntityKind::ALL.len() + 2];
    let mut i = 0;
    while i < EntityKind::ALL.len() {
        kinds[i] = EntityKind::ALL[i].as_str();
        i += 1;
    }
    kinds[i] = "predicate";
    kinds[i + 1] = "claim";
    kinds
};

/// The record kinds, in the order the documentation lists them: `person`, …, `source`,
/// `predicate`, `claim`.
pub fn record_kinds() -> &'static [&'static str] {
    &RECORD_KINDS
}

/// What a record of `record_kind` is, in one sentence; `None` for a name that is not a record
/// kind.
pub fn record_description(record_kind: &str) -> Option<&'static str> {
    Some(match record_kind {
        "person" => "A person who acts, reports or is reported on.",
        "organisation" => {
            "An organisation: an armed force, intelligence service, outlet, government, NGO, …"
        }
        "unit" => "A military or police unit: a division, regiment, brigade, …",
        "country" => "A country, as an actor and as a place.",
        "place" => "A place: a city, region, front, airport, …",
        "group" => {
            "A collective actor without an organisation of its own, e.g. North Korean soldiers \
             sent to Russia."
        }
        "event" => "Something that happened at a time and place, with participants.",
        "source" => "A source document: a text in `seeds/` whose claims quote it.",
        "predicate" => "A relation of the vocabulary: what claims may say of a subject.",
        "claim" => {
            "One statement in one source document: who says what of whom, with the quote that \
             says it."
        }
        _ => return None,
    })
}

/// The fields of `record_kind`, in the order the documentation lists them; `None` for a name
/// that is not a record kind.
pub fn fields(record_kind: &str) -> Option<Vec<Field>> {
    match record_kind {
        "predicate" => Some(PREDICATE.to_vec()),
        "claim" => Some(CLAIM.to_vec()),
        other => EntityKind::parse(other).map(entity_fields),
    }
}

/// One field of `record_kind`, or `None` when the kind has no such field.
pub fn field(record_kind: &str, name: &str) -> Option<Field> {
    fields(record_kind)?.into_iter().find(|f| f.name == name)
}

/// Fields of `record_kind` of which at least one must be given, though none is required alone:
/// a source is named by its `name` or its `title`. Empty for the other kinds.
pub fn one_of_required(record_kind: &str) -> &'static [&'static str] {
    match record_kind {
        "source" => &["name", "title"],
        _ => &[],
    }
}

/// The names of the fields of `record_kind` (empty for a name that is not a record kind):
/// every other key is an unknown field. Listed once, since the loader asks for every record.
pub fn field_names(record_kind: &str) -> &'static [&'static str] {
    static NAMES: LazyLock<Vec<Vec<&'static str>>> = LazyLock::new(|| {
        RECORD_KINDS
            .iter()
            .map(|kind| {
                fields(kind)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|f| f.name)
                    .collect()
            })
            .collect()
    });
    RECORD_KINDS
        .iter()
        .position(|kind| *kind == record_kind)
        .map_or(&[], |i| &NAMES[i])
}

/// One field of a record kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Field {
    /// The key as written in the TOML file.
    pub name: &'static str,
    /// Whether a record without the field is an error.
    pub required: bool,
    /// What the value is written as.
    pub shape: Shape,
    /// The words the value must be one of, when there is such a list.
    pub values: Option<Vocabulary>,
    /// A regular expression (ECMA-262, as JSON Schema has it) every valid value matches. The
    /// checks may be stricter (a date must also exist), never looser.
    pub pattern: Option<&'static str>,
    /// The smallest number allowed, included.
    pub minimum: Option<f64>,
    /// The largest number allowed, included.
    pub maximum: Option<f64>,
    /// The records the field names by id, for fields that name records.
    pub names: Option<Names>,
    /// What the field means, in a sentence or two, for the curator filling it in.
    pub description: &'static str,
}

impl Field {
    /// The words a value must be one of (for a list, each item), or nothing when any text
    /// that matches the `pattern` goes.
    pub fn allowed_values(&self) -> Vec<&'static str> {
        self.values.map(Vocabulary::values).unwrap_or_default()
    }

    const fn new(name: &'static str, shape: Shape, description: &'static str) -> Field {
        Field {
            name,
            required: false,
            shape,
            values: None,
            pattern: None,
            minimum: None,
            maximum: None,
            names: None,
            description,
        }
    }

    const fn required(mut self) -> Field {
        self.required = true;
        self
    }

    const fn one_of(mut self, values: Vocabulary) -> Field {
        self.values = Some(values);
        self
    }

    const fn pattern(mut self, pattern: &'static str) -> Field {
        self.pattern = Some(pattern);
        self
    }

    const fn range(mut self, minimum: f64, maximum: f64) -> Field {
        self.minimum = Some(minimum);
        self.maximum = Some(maximum);
        self
    }

    const fn naming(mut self, names: Names) -> Field {
        self.names = Some(names);
        self
    }
}

/// How a field's value is written in TOML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A string.
    Text,
    /// An array of strings; a lone string counts as one item.
    List,
    /// One string, or an array of them: the reference fields, where one id is the usual case.
    OneOrMore,
    /// A partial ISO date or an interval, as a string (`"2024-10"`, `"2022/2023"`) or a TOML
    /// date literal (`2024-10-16`).
    Date,
    /// `true` or `false`.
    Bool,
    /// A whole number.
    Integer,
    /// A number, whole or not.
    Number,
    /// A number, a string or a date: a claim's `value`.
    Scalar,
}

impl Shape {
    /// The shape in a few words, for messages and hover texts.
    pub fn describe(self) -> &'static str {
        match self {
            Shape::Text => "a string",
            Shape::List => "an array of strings",
            Shape::OneOrMore => "a string or an array of strings",
            Shape::Date => "a date",
            Shape::Bool => "true or false",
            Shape::Integer => "a whole number",
            Shape::Number => "a number",
            Shape::Scalar => "a number, a string or a date",
        }
    }
}

/// A closed list of words a field takes, each kept where the check that enforces it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vocabulary {
    /// A claim's `stance`: [`Stance`].
    Stance,
    /// The Admiralty grades of `reliability`.
    Reliability,
    /// An organisation's `type`.
    OrganisationType,
    /// A predicate's `excludes_scope`: [`ExcludesScope`].
    ExcludesScope,
    /// The entity kinds, as a predicate's `subject` lists them.
    EntityKind,
    /// A predicate's `object`: the entity kinds, and for a lone string also a value type.
    ObjectType,
}

impl Vocabulary {
    /// Every word of the list, in its order.
    pub fn values(self) -> Vec<&'static str> {
        match self {
            Vocabulary::Stance => Stance::ALL.map(Stance::as_str).to_vec(),
            Vocabulary::Reliability => RELIABILITY_GRADES.to_vec(),
            Vocabulary::OrganisationType => ORGANISATION_TYPES.to_vec(),
            Vocabulary::ExcludesScope => ExcludesScope::ALL.map(ExcludesScope::as_str).to_vec(),
            Vocabulary::EntityKind => EntityKind::ALL.map(EntityKind::as_str).to_vec(),
            Vocabulary::ObjectType => {
                let mut values = Vocabulary::EntityKind.values();
                values.extend(VALUE_TYPES);
                values
            }
        }
    }

    /// The words an item of an array may be: for `object`, only entity kinds (a value type
    /// is written alone).
    pub fn item_values(self) -> Vec<&'static str> {
        match self {
            Vocabulary::ObjectType => Vocabulary::EntityKind.values(),
            other => other.values(),
        }
    }
}

/// The records a field names by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Names {
    /// Entities of these kinds.
    Entities(&'static [EntityKind]),
    /// Any entity; for a claim's `subject` and `object`, the predicate narrows the kinds.
    AnyEntity,
    /// Predicates of the vocabulary.
    Predicates,
}

/// Ids of entities and claims: what `check` accepts, by characters and length.
const KEBAB_ID: &str = "^[a-z0-9-]{1,64}$";
/// Ids of predicates.
const SNAKE_ID: &str = "^[a-z0-9_]{1,64}$";
// The id patterns are literals: this keeps them from drifting from the limit `check` enforces.
const _: () = assert!(
    MAX_ID_LEN == 64,
    "update the id patterns to the new MAX_ID_LEN"
);

/// A partial ISO date, or an interval with either side open; `check` also requires that the
/// date exists and the interval does not end before it starts.
const DATE: &str =
    "^[0-9]{4}(-[0-9]{2}){0,2}(/([0-9]{4}(-[0-9]{2}){0,2})?)?$|^/[0-9]{4}(-[0-9]{2}){0,2}$";
/// Text that is not only white space.
const NOT_BLANK: &str = "\\S";

/// The fields every entity kind has, before its own.
const ENTITY_COMMON: [Field; 5] = [
    Field::new(
        "id",
        Shape::Text,
        "The id other records and claims name this one by: lowercase ASCII letters, digits and \
         `-`, 1 to 64 characters, unique across all records.",
    )
    .required()
    .pattern(KEBAB_ID),
    Field::new(
        "name",
        Shape::Text,
        "The display name, as a reader of the graph should see it.",
    )
    .required(),
    Field::new(
        "aliases",
        Shape::List,
        "Other names and spellings as they appear in the source documents, in any script or \
         language (`Poetin`, `Wladimir Putin`); where they occur in a document is recorded as \
         a mention.",
    ),
    Field::new(
        "description",
        Shape::Text,
        "Who or what this is, in a sentence, for readers of the graph.",
    ),
    Field::new(
        "wikidata",
        Shape::Text,
        "The Wikidata item this record is, as a Q-id such as `Q212`.",
    )
    .pattern("^Q[1-9][0-9]*$"),
];

/// The analyst's grade of a reporting entity.
const RELIABILITY: Field = Field::new(
    "reliability",
    Shape::Text,
    "The analyst's grade of this reporter on the Admiralty scale: A (completely reliable), \
     B (usually), C (fairly), D (not usually), E (unreliable), F (cannot be judged).",
)
.one_of(Vocabulary::Reliability);

/// Every field of an entity kind: the common ones, its own from the loader's table, and
/// `reliability` where the kind reports.
fn entity_fields(kind: EntityKind) -> Vec<Field> {
    let mut fields = ENTITY_COMMON.to_vec();
    if kind == EntityKind::Source {
        fields[1].required = false;
        fields[1].description = "The display name; without it, the `title` names the source.";
    }
    for spec in kind_fields(kind) {
        fields.push(match *spec {
            FieldSpec::Scalar(name, ty) => scalar_field(kind, name, ty),
            FieldSpec::Ref(field) => Field::new(
                field.as_str(),
                Shape::OneOrMore,
                ref_description(kind, field),
            )
            .naming(Names::Entities(field.target_kinds())),
        });
    }
    if has_reliability(kind) {
        fields.push(RELIABILITY);
    }
    fields
}

/// A kind-specific scalar field, its shape and checks following the type the loader reads it
/// as.
fn scalar_field(kind: EntityKind, name: &'static str, ty: FieldType) -> Field {
    let description = scalar_description(kind, name);
    match ty {
        FieldType::Text => Field::new(name, Shape::Text, description).pattern(NOT_BLANK),
        FieldType::Date => Field::new(name, Shape::Date, description).pattern(DATE),
        FieldType::OrganisationType => {
            Field::new(name, Shape::Text, description).one_of(Vocabulary::OrganisationType)
        }
        FieldType::Iso => Field::new(name, Shape::Text, description).pattern("^[A-Z]{2}$"),
        FieldType::Language | FieldType::Url => Field::new(name, Shape::Text, description),
        FieldType::Latitude => Field::new(name, Shape::Number, description).range(-90.0, 90.0),
        FieldType::Longitude => Field::new(name, Shape::Number, description).range(-180.0, 180.0),
    }
    .with_required(kind == EntityKind::Source && name == "file")
}

impl Field {
    const fn with_required(mut self, required: bool) -> Field {
        self.required = required;
        self
    }
}

fn scalar_description(kind: EntityKind, name: &str) -> &'static str {
    use EntityKind::*;
    match (kind, name) {
        (Person, "born") => {
            "When the person was born: a partial ISO date (`1952`, `1952-10`, `1952-10-07`)."
        }
        (Organisation, "type") => "What kind of organisation this is.",
        (Unit, "type") => "What kind of unit this is, in free text: division, regiment, brigade, …",
        (Place, "type") => "What kind of place this is, in free text: city, region, airport, …",
        (Country, "iso") => "The country's ISO 3166-1 alpha-2 code, two capital letters (`UA`).",
        (Place, "lat") => "Latitude in degrees north, -90 to 90.",
        (Place, "lon") => "Longitude in degrees east, -180 to 180.",
        (Event, "when") => {
            "When the event happened: a partial ISO date (`2024`, `2024-10`, `2024-10-16`) or an \
             interval with either side open (`2022/2023`, `/2024-11`)."
        }
        (Source, "file") => {
            "The document's text file, relative to `seeds/` and inside it: the claims' quotes \
             must occur in it."
        }
        (Source, "title") => {
            "The document's title as published; it names the source when `name` is not given."
        }
        (Source, "language") => "The document's language, as a BCP 47 tag (`nl`, `de`, `en-GB`).",
        (Source, "published") => "When the document was published: a partial ISO date.",
        (Source, "url") => "Where the document was published: an http or https address.",
        _ => "",
    }
}

fn ref_description(kind: EntityKind, field: RefField) -> &'static str {
    use EntityKind::*;
    match (kind, field) {
        (Person, RefField::Nationality) => "The countries (ids) whose national the person is.",
        (Group, RefField::Nationality) => "The countries (ids) whose nationals the members are.",
        (Organisation | Unit, RefField::Country) => "The country (id) it belongs to.",
        (Place, RefField::Country) => "The country (id) the place is in.",
        (_, RefField::PartOf) => {
            "The larger wholes (ids) this is part of: a unit of an army, an agency of a \
             government, a town of a region. Two actors part of one whole are one side for \
             `excludes_scope = \"same-side\"`."
        }
        (Event, RefField::Place) => "Where the event happened: a place or country id.",
        (Event, RefField::Participants) => {
            "Who took part: ids of persons, organisations, units, countries or groups."
        }
        (Source, RefField::Outlet) => {
            "The organisation (id) that published the document; its claims are `reported_by` \
             it unless they say otherwise."
        }
        (Source, RefField::Author) => "Who wrote the document: person ids.",
        _ => "",
    }
}

/// The fields of a `[[predicate]]`.
const PREDICATE: [Field; 8] = [
    Field::new(
        "id",
        Shape::Text,
        "The id claims name the predicate by in `predicate`: lowercase ASCII letters, digits \
         and `_`, 1 to 64 characters.",
    )
    .required()
    .pattern(SNAKE_ID),
    Field::new(
        "label",
        Shape::Text,
        "How the relation reads from subject to object, e.g. `detained by`.",
    )
    .required(),
    Field::new(
        "description",
        Shape::Text,
        "What the relation means, and when to use it rather than a similar one.",
    ),
    Field::new(
        "subject",
        Shape::OneOrMore,
        "The kinds of record a claim's subject may be.",
    )
    .required()
    .one_of(Vocabulary::EntityKind),
    Field::new(
        "object",
        Shape::OneOrMore,
        "The kinds of record a claim's `object` may be (an array), or the value type a claim \
         gives in `value`: `\"number\"`, `\"text\"` or `\"date\"`.",
    )
    .required()
    .one_of(Vocabulary::ObjectType),
    Field::new(
        "functional",
        Shape::Bool,
        "Whether a subject has one object at a time: affirmed claims with different objects \
         in overlapping time then contradict each other.",
    ),
    Field::new(
        "excludes",
        Shape::OneOrMore,
        "Predicates (ids) that cannot hold together with this one for one subject: affirmed \
         claims of both in overlapping time, with objects within `excludes_scope`, contradict \
         each other.",
    )
    .naming(Names::Predicates),
    Field::new(
        "excludes_scope",
        Shape::Text,
        "How far `excludes` reaches: `same-object` (the same entity or value, the default), \
         `same-side` (one actor through `part_of`), or `any-object`.",
    )
    .one_of(Vocabulary::ExcludesScope),
];

/// The fields of a `[[claim]]`.
const CLAIM: [Field; 14] = [
    Field::new(
        "id",
        Shape::Text,
        "A fixed id for the claim. Without one, the claim gets an id derived from what it says \
         and who says it, which stays the same when other claims are added, removed or \
         reordered.",
    )
    .pattern(KEBAB_ID),
    Field::new(
        "source",
        Shape::Text,
        "The source document (a `source` id) the claim appears in.",
    )
    .required()
    .naming(Names::Entities(&[EntityKind::Source])),
    Field::new(
        "reported_by",
        Shape::Text,
        "Who makes the statement in the document (an id); by default the source's outlet, \
         else the source itself.",
    )
    .naming(Names::AnyEntity),
    Field::new(
        "citing",
        Shape::OneOrMore,
        "Whom the reporter cites for it (ids), nearest first; the last is the claimed origin.",
    )
    .naming(Names::AnyEntity),
    Field::new(
        "subject",
        Shape::Text,
        "Whom or what the claim is about (an id), of a kind the predicate takes.",
    )
    .required()
    .naming(Names::AnyEntity),
    Field::new(
        "predicate",
        Shape::Text,
        "What the claim says of the subject: a predicate id of the vocabulary.",
    )
    .required()
    .naming(Names::Predicates),
    Field::new(
        "object",
        Shape::Text,
        "The record (an id) the subject is related to, for a predicate whose object is a kind \
         of record.",
    )
    .naming(Names::AnyEntity),
    Field::new(
        "value",
        Shape::Scalar,
        "The value, instead of `object`, for a predicate whose object is a number, text or \
         date: `18`, `\"several thousand\"`, `2024-10`.",
    ),
    Field::new(
        "when",
        Shape::Date,
        "When the reported thing happened (not when it was reported): a partial ISO date or \
         an interval with either side open.",
    )
    .pattern(DATE),
    Field::new(
        "stance",
        Shape::Text,
        "Whether the document affirms the statement (the default) or denies it.",
    )
    .one_of(Vocabulary::Stance),
    Field::new(
        "hedged",
        Shape::Bool,
        "Whether the text itself hedges the statement: \"reportedly\", \"offenbar\", \"could \
         not be verified\", …",
    ),
    Field::new(
        "quote",
        Shape::Text,
        "The words of the document that make the statement, copied from it: they must occur \
         in the document (typographic quotes, dashes and runs of white space match loosely).",
    )
    .required(),
    Field {
        minimum: Some(1.0),
        ..Field::new(
            "occurrence",
            Shape::Integer,
            "Which occurrence of the quote in the document the claim means, from 1 in document \
             order; needed only when the quote occurs more than once.",
        )
    },
    Field::new(
        "note",
        Shape::Text,
        "A note for readers, e.g. an English paraphrase of a quote in another language.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_of_every_kind_is_described_once() {
        for kind in record_kinds() {
            assert!(record_description(kind).is_some(), "{kind}");
            let fields = fields(kind).unwrap();
            for (i, field) in fields.iter().enumerate() {
                assert!(
                    !field.description.is_empty(),
                    "`{}` of {kind} has no description",
                    field.name
                );
                assert!(
                    fields[..i].iter().all(|f| f.name != field.name),
                    "`{}` of {kind} is listed twice",
                    field.name
                );
            }
        }
        assert!(fields("persons").is_none());
    }
}
