//! The resolved model: entities, vocabulary, documents and claims with every reference turned
//! into an index. Everything here has been checked; nothing here does I/O.

pub mod date;
pub mod hidden;
pub mod mentions;
pub mod text;

use foldhash::HashMap;
use std::fmt;
use std::ops::Range;
use typed_index_collections::TiVec;

pub use date::DateRange;

/// Declares an index into one of the model's vectors: 0-based, in model order, and of its own
/// type, so that an index of one kind of record cannot index another. The snapshot's row
/// positions ([`crate::store::snapshot::RowEntity`], …) are declared with it too.
macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(usize);

        impl $name {
            /// The position as a plain number, for the database's row numbers and for petgraph.
            pub const fn index(self) -> usize {
                self.0
            }
        }

        impl From<usize> for $name {
            fn from(index: usize) -> $name {
                $name(index)
            }
        }

        impl From<$name> for usize {
            fn from(index: $name) -> usize {
                index.0
            }
        }
    };
}
pub(crate) use index_type;

index_type!(
    /// An index into [`Model::entities`], and into nothing else:
    ///
    /// ```
    /// # use claimgraph::model::{EntityIdx, Model};
    /// let model = Model::default();
    /// assert!(model.entities.get(EntityIdx::from(0)).is_none());
    /// ```
    ///
    /// ```compile_fail,E0277
    /// # use claimgraph::model::{EntityIdx, Model};
    /// let model = Model::default();
    /// assert!(model.claims.get(EntityIdx::from(0)).is_none());
    /// ```
    EntityIdx
);
index_type!(
    /// An index into [`Model::predicates`].
    PredicateIdx
);
index_type!(
    /// An index into [`Model::documents`].
    DocumentIdx
);
index_type!(
    /// An index into [`Model::claims`].
    ClaimIdx
);

/// The longest an id may be, in characters.
pub const MAX_ID_LEN: usize = 64;

/// The Admiralty grades of a reporter's `reliability`, from A (completely reliable) to F
/// (reliability cannot be judged).
pub const RELIABILITY_GRADES: [&str; 6] = ["A", "B", "C", "D", "E", "F"];

/// The kinds of entity records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntityKind {
    Person,
    Organisation,
    Unit,
    Country,
    Place,
    Group,
    Event,
    Source,
}

impl EntityKind {
    pub const ALL: [EntityKind; 8] = [
        EntityKind::Person,
        EntityKind::Organisation,
        EntityKind::Unit,
        EntityKind::Country,
        EntityKind::Place,
        EntityKind::Group,
        EntityKind::Event,
        EntityKind::Source,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organisation => "organisation",
            EntityKind::Unit => "unit",
            EntityKind::Country => "country",
            EntityKind::Place => "place",
            EntityKind::Group => "group",
            EntityKind::Event => "event",
            EntityKind::Source => "source",
        }
    }

    pub fn parse(name: &str) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Curated fields that name other records; each becomes a graph edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RefField {
    Nationality,
    Country,
    PartOf,
    Place,
    Participants,
    Outlet,
    Author,
}

impl RefField {
    pub const ALL: [RefField; 7] = [
        RefField::Nationality,
        RefField::Country,
        RefField::PartOf,
        RefField::Place,
        RefField::Participants,
        RefField::Outlet,
        RefField::Author,
    ];

    /// The field's name in the TOML files.
    pub fn as_str(self) -> &'static str {
        match self {
            RefField::Nationality => "nationality",
            RefField::Country => "country",
            RefField::PartOf => "part_of",
            RefField::Place => "place",
            RefField::Participants => "participants",
            RefField::Outlet => "outlet",
            RefField::Author => "author",
        }
    }

    /// A field by its name in the TOML files (and the database).
    pub fn parse(name: &str) -> Option<RefField> {
        RefField::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// The kind of the graph edge the field becomes.
    pub fn edge_kind(self) -> &'static str {
        match self {
            RefField::Outlet => "published_by",
            RefField::Author => "written_by",
            other => other.as_str(),
        }
    }

    /// The kinds of record the field may name.
    pub fn target_kinds(self) -> &'static [EntityKind] {
        use EntityKind::*;
        match self {
            RefField::Nationality | RefField::Country => &[Country],
            RefField::PartOf => &[Organisation, Unit, Country, Place, Group, Event],
            RefField::Place => &[Place, Country],
            RefField::Participants => &[Person, Organisation, Unit, Country, Group],
            RefField::Outlet => &[Organisation],
            RefField::Author => &[Person],
        }
    }
}

/// A scalar curated field of an entity (`type`, `iso`, `born`, `lat`, …).
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Text(String),
    Number(f64),
    Date(DateRange),
}

impl Scalar {
    pub fn as_text(&self) -> String {
        match self {
            Scalar::Text(t) => t.clone(),
            Scalar::Number(n) => n.to_string(),
            Scalar::Date(d) => d.text.clone(),
        }
    }
}

/// Where a record was defined, for the database and for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinedAt {
    pub file: std::sync::Arc<str>,
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct Entity {
    pub id: String,
    pub kind: EntityKind,
    pub name: String,
    pub aliases: Vec<String>,
    pub description: Option<String>,
    pub wikidata: Option<String>,
    /// The analyst's Admiralty grade, `A` to `F`.
    pub reliability: Option<String>,
    /// Scalar curated fields by name, in a fixed order per kind.
    pub fields: Vec<(&'static str, Scalar)>,
    /// Reference fields in the order written; the index points into [`Model::entities`].
    pub links: Vec<(RefField, EntityIdx)>,
    pub defined_at: DefinedAt,
}

impl Entity {
    pub fn field(&self, name: &str) -> Option<&Scalar> {
        self.fields.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    pub fn link(&self, field: RefField) -> Option<EntityIdx> {
        self.links
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, target)| *target)
    }
}

/// The value types a predicate's `object` may name instead of record kinds.
pub const VALUE_TYPES: [&str; 3] = ["number", "text", "date"];

/// What a predicate's object is: an entity of some kinds, or a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectType {
    Entity(Vec<EntityKind>),
    Number,
    Text,
    Date,
}

impl ObjectType {
    pub fn as_str(&self) -> &'static str {
        match self {
            ObjectType::Entity(_) => "entity",
            ObjectType::Number => "number",
            ObjectType::Text => "text",
            ObjectType::Date => "date",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Predicate {
    pub id: String,
    pub label: String,
    pub description: Option<String>,
    pub subject: Vec<EntityKind>,
    pub object: ObjectType,
    pub functional: bool,
    pub excludes: Vec<PredicateIdx>,
    /// Which claims of the excluded predicates this one contradicts.
    pub excludes_scope: ExcludesScope,
    pub defined_at: DefinedAt,
}

/// How far a predicate's `excludes` reaches: two affirmed claims of the subject, in
/// overlapping time, contradict each other when their objects are
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum ExcludesScope {
    /// the same entity or value (the default);
    #[default]
    SameObject,
    /// one actor through `part_of`: the same entity, or one is `part_of` the other, or both
    /// are `part_of` one whole (detained by the authorities, searched for by the army);
    SameSide,
    /// anything at all (a status that leaves room for no other).
    AnyObject,
}

impl ExcludesScope {
    pub const ALL: [ExcludesScope; 3] = [
        ExcludesScope::SameObject,
        ExcludesScope::SameSide,
        ExcludesScope::AnyObject,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ExcludesScope::SameObject => "same-object",
            ExcludesScope::SameSide => "same-side",
            ExcludesScope::AnyObject => "any-object",
        }
    }

    pub fn parse(text: &str) -> Option<ExcludesScope> {
        ExcludesScope::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// A source document: the text a `source` record points at.
#[derive(Debug, Clone)]
pub struct Document {
    /// The `source` entity.
    pub entity: EntityIdx,
    /// Path relative to the seeds folder.
    pub file: String,
    pub text: String,
    pub sha256: String,
}

/// A claim's literal value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Integer(i64),
    Float(f64),
    Text(String),
    Date(DateRange),
}

impl Value {
    /// The canonical text of the value: equal values have equal keys.
    pub fn key(&self) -> String {
        match self {
            Value::Integer(i) => i.to_string(),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
            Value::Float(f) => f.to_string(),
            Value::Text(t) => t.clone(),
            Value::Date(d) => d.text.clone(),
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Integer(_) | Value::Float(_) => "number",
            Value::Text(_) => "text",
            Value::Date(_) => "date",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ClaimObject {
    Entity(EntityIdx),
    Value(Value),
}

impl ClaimObject {
    pub fn entity(&self) -> Option<EntityIdx> {
        match self {
            ClaimObject::Entity(e) => Some(*e),
            ClaimObject::Value(_) => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stance {
    Affirms,
    Denies,
}

impl Stance {
    pub const ALL: [Stance; 2] = [Stance::Affirms, Stance::Denies];

    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Affirms => "affirms",
            Stance::Denies => "denies",
        }
    }

    /// The stance a word names (`affirms`, `denies`), as curated and as stored.
    pub fn parse(word: &str) -> Option<Stance> {
        Stance::ALL.into_iter().find(|s| s.as_str() == word)
    }
}

/// One statement in one source document, with its attribution chain.
#[derive(Debug, Clone)]
pub struct Claim {
    pub id: String,
    pub document: DocumentIdx,
    pub reported_by: EntityIdx,
    /// Nearest first; the last is the claimed origin.
    pub citing: Vec<EntityIdx>,
    pub subject: EntityIdx,
    pub predicate: PredicateIdx,
    pub object: ClaimObject,
    pub when: Option<DateRange>,
    pub stance: Stance,
    pub hedged: bool,
    pub quote: String,
    /// Character offsets of the quote in the document's original text.
    pub quote_chars: Range<usize>,
    /// Which of the places in the document that say the quote's words it is taken from, from
    /// 1 (`occurrence`, 1 when not given).
    pub occurrence: i64,
    pub note: Option<String>,
    pub defined_at: DefinedAt,
}

/// Where a name or alias of an entity occurs in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub entity: EntityIdx,
    pub document: DocumentIdx,
    pub chars: Range<usize>,
    pub name: String,
}

/// Everything that was loaded and checked, ready for the graph and the store.
#[derive(Debug, Default)]
pub struct Model {
    pub entities: TiVec<EntityIdx, Entity>,
    pub predicates: TiVec<PredicateIdx, Predicate>,
    pub documents: TiVec<DocumentIdx, Document>,
    pub claims: TiVec<ClaimIdx, Claim>,
    pub mentions: Vec<Mention>,
    /// SHA-256 over every input file, so a database says what it was built from.
    pub inputs_digest: String,
    /// Each input file (`data/…`, `seeds/…`, relative to its folder) with its SHA-256, in path
    /// order: the pipeline fills it in, and the database records it, so that the next build
    /// can tell whether anything changed.
    pub input_files: Vec<(String, String)>,
    pub entity_index: HashMap<String, EntityIdx>,
}

impl Model {
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.entity_index.get(id).map(|&i| &self.entities[i])
    }
}
