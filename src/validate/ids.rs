//! Rules for ids: lowercase ASCII letters, digits and `-` (predicates: `_`), 1–64 characters,
//! unique across all records; a claim's id, written or derived, unique among claims too.

use foldhash::HashMap;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Span};
use crate::load::Placed;

pub use crate::model::MAX_ID_LEN;

/// Which separator an id may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdStyle {
    /// Entities and claims: `kyiv-independent`.
    Kebab,
    /// Predicates, like the field names they sit beside: `detained_by`.
    Snake,
}

impl IdStyle {
    fn separator(self) -> char {
        match self {
            IdStyle::Kebab => '-',
            IdStyle::Snake => '_',
        }
    }
}

/// Checks an id's form; returns whether it is valid.
pub fn check_id(id: &Placed<String>, style: IdStyle, diagnostics: &mut Diagnostics) -> bool {
    let text = &id.value;
    let sep = style.separator();
    let problem = if text.is_empty() {
        Some("an id cannot be empty".to_owned())
    } else if text.chars().count() > MAX_ID_LEN {
        Some(format!(
            "id `{text}` is longer than {MAX_ID_LEN} characters"
        ))
    } else if let Some(c) = text.chars().find(|c| !c.is_ascii()) {
        let hint = look_alike_ascii(c)
            .map(|l| format!(" (it looks like `{l}`)"))
            .unwrap_or_default();
        Some(format!(
            "id `{text}` contains the non-ASCII character `{c}` U+{:04X}{hint}",
            u32::from(c)
        ))
    } else {
        text.chars()
            .find(|&c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == sep))
            .map(|c| format!("id `{text}` contains `{c}`"))
    };
    match problem {
        Some(message) => {
            let mut d = Diagnostic::error(Code::InvalidId, id.span.clone(), message).with_label(
                format!("ids are lowercase ASCII letters, digits and `{sep}`, 1 to {MAX_ID_LEN} characters"),
            );
            match suggestion(text, sep) {
                Ok(suggestion) if !suggestion.is_empty() && suggestion != *text => {
                    d = d.with_hint(format!("write `{suggestion}`"));
                }
                Ok(_) => {}
                Err(c) => {
                    d = d.with_hint(format!(
                        "`{c}` (U+{:04X}) has no ASCII form: spell the id in Latin letters, e.g. a transliteration of the name",
                        u32::from(c)
                    ));
                }
            }
            diagnostics.push(d);
            false
        }
        None => true,
    }
}

/// The id `text` in valid form: letters in their ASCII form, lowercase, anything else one
/// separator, none at either end; or the first character that has no ASCII form, for which
/// no suggestion would be right.
fn suggestion(text: &str, sep: char) -> Result<String, char> {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let ascii = if c.is_ascii() {
            c.to_string()
        } else {
            ascii_form(c).ok_or(c)?
        };
        for a in ascii.chars() {
            let a = a.to_ascii_lowercase();
            if a.is_ascii_alphanumeric() {
                out.push(a);
            } else if !out.is_empty() && !out.ends_with(sep) {
                out.push(sep);
            }
        }
    }
    while out.ends_with(sep) {
        out.pop();
    }
    Ok(out)
}

/// The ASCII letter a character is easily mistaken for: its lowercase, its compatibility form
/// (fullwidth `ｎ` is `n`), or a Cyrillic or Greek look-alike.
fn look_alike_ascii(c: char) -> Option<String> {
    if let Some(l) = c.to_lowercase().find(char::is_ascii) {
        return Some(l.to_string());
    }
    let compatible: String = std::iter::once(c).nfkc().collect();
    if compatible.is_ascii() && !compatible.is_empty() {
        return Some(compatible);
    }
    lookalike(c).map(String::from)
}

/// The ASCII form of a non-ASCII character: its look-alike, else the letter without its
/// diacritics (`é` is `e`); `None` when it has none (`д`, `東`).
fn ascii_form(c: char) -> Option<String> {
    look_alike_ascii(c).or_else(|| {
        let bare: String = std::iter::once(c)
            .nfkd()
            .filter(|&d| !is_combining_mark(d))
            .collect();
        (bare.is_ascii() && !bare.is_empty()).then_some(bare)
    })
}

/// ASCII letters that Cyrillic and Greek letters are easily mistaken for.
fn lookalike(c: char) -> Option<char> {
    Some(match c {
        'а' | 'А' | 'α' | 'Α' => 'a',
        'е' | 'Е' | 'ε' | 'Ε' => 'e',
        'о' | 'О' | 'ο' | 'Ο' => 'o',
        'р' | 'Р' | 'ρ' | 'Ρ' => 'p',
        'с' | 'С' => 'c',
        'у' | 'У' => 'y',
        'х' | 'Х' | 'χ' | 'Χ' => 'x',
        'і' | 'І' | 'ι' | 'Ι' => 'i',
        'ј' | 'Ј' => 'j',
        'ѕ' | 'Ѕ' => 's',
        'к' | 'К' | 'κ' | 'Κ' => 'k',
        'м' | 'М' | 'Μ' => 'm',
        'н' | 'Н' | 'Η' => 'h',
        'т' | 'Т' | 'τ' | 'Τ' => 't',
        'в' | 'В' | 'Β' => 'b',
        'ν' | 'Ν' => 'v',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
        _ => return None,
    })
}

/// Remembers where each id was first defined and reports later definitions with both places.
#[derive(Debug, Default)]
pub struct IdRegistry {
    first: HashMap<String, (Span, &'static str)>,
}

impl IdRegistry {
    /// Registers an id; returns false (and reports) when it was already defined.
    pub fn define(
        &mut self,
        id: &Placed<String>,
        what: &'static str,
        diagnostics: &mut Diagnostics,
    ) -> bool {
        if let Some((first, first_what)) = self.first.get(&id.value) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    id.span.clone(),
                    format!(
                        "duplicate id `{}`: already defined by a {first_what}",
                        id.value
                    ),
                )
                .with_label(format!("this {what} reuses it"))
                .with_related(first.clone(), "first defined here")
                .with_hint("ids are unique across all kinds; rename one of them"),
            );
            return false;
        }
        self.first.insert(id.value.clone(), (id.span.clone(), what));
        true
    }

    /// Where an id was defined, and by what kind of record.
    pub fn defined(&self, id: &str) -> Option<&(Span, &'static str)> {
        self.first.get(id)
    }
}

/// Claim ids as the claims are taken, in order: the first claim with an id keeps it.
#[derive(Debug)]
pub struct ClaimIds<'a> {
    registry: &'a IdRegistry,
    first: HashMap<String, Span>,
}

impl<'a> ClaimIds<'a> {
    pub fn new(registry: &'a IdRegistry) -> Self {
        ClaimIds {
            registry,
            first: HashMap::default(),
        }
    }

    /// Takes a claim's id, written at `span` (or derived, for a claim at `span`, unless
    /// `explicit`); returns false, and reports, when a record or an earlier claim has it.
    pub fn take(
        &mut self,
        id: &str,
        span: Span,
        explicit: bool,
        diagnostics: &mut Diagnostics,
    ) -> bool {
        // Claims are nodes of the graph beside the entities, so their ids share one namespace.
        if let Some((first, what)) = self.registry.defined(id) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    span,
                    format!("claim id `{id}` is already the id of a {what}"),
                )
                .with_label("this claim")
                .with_related(first.clone(), "defined here")
                .with_hint("ids are unique across all records; rename the claim"),
            );
            return false;
        }
        if let Some(first) = self.first.get(id) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    span,
                    format!("duplicate claim id `{id}`"),
                )
                .with_label("this claim")
                .with_related(first.clone(), "has the same id as this one")
                .with_hint(if explicit {
                    "give each claim its own id".to_owned()
                } else {
                    "the two claims state the same thing, with the same attribution and quote; remove one, or give them distinct `id`s".to_owned()
                }),
            );
            return false;
        }
        self.first.insert(id.to_owned(), span);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::check;

    #[test]
    fn ids_are_lowercase_ascii_with_the_separator_of_their_kind() {
        check(
            r#"
[[person]]
id = "Anna-Petrova"
name = "Anna Petrova"

[[person]]
id = "bоris"
name = "Boris"

[[person]]
id = "клара"
name = "Klara"

[[person]]
id = ""
name = "Nobody"

[[person]]
id = "a-very-long-id-that-goes-on-and-on-and-on-past-the-limit-of-sixty-four"
name = "Long"

[[predicate]]
id = "held-by"
label = "held by"
subject = ["person"]
object = ["organisation"]
"#,
            "error[invalid-id] 2:6 id `Anna-Petrova` contains `A`
             error[invalid-id] 6:6 id `bоris` contains the non-ASCII character `о` U+043E (it looks like `o`)
             error[invalid-id] 10:6 id `клара` contains the non-ASCII character `к` U+043A (it looks like `k`)
             error[invalid-id] 14:6 an id cannot be empty
             error[invalid-id] 18:6 id `a-very-long-id-that-goes-on-and-on-and-on-past-the-limit-of-sixty-four` is longer than 64 characters
             error[invalid-id] 22:6 id `held-by` contains `-`",
        );
    }

    #[test]
    fn ids_are_unique_across_entities_predicates_and_claims() {
        check(
            r#"
[[group]]
id = "ministry"
name = "Veterans"

[[predicate]]
id = "ruritania"
label = "ruritania"
subject = ["unit"]
object = "text"

[[claim]]
id = "northern-unit"
source = "report"
subject = "northern-unit"
predicate = "lost_soldiers"
value = "several hundred"
quote = "lost several hundred soldiers"

[[claim]]
id = "the-loss"
source = "report"
subject = "northern-unit"
predicate = "lost_soldiers"
value = "several hundred"
quote = "lost several hundred soldiers"

[[claim]]
id = "the-loss"
source = "report"
subject = "northern-unit"
predicate = "lost_soldiers"
value = "many"
quote = "lost several hundred soldiers"

[[claim]]
source = "report"
subject = "northern-unit"
predicate = "lost_soldiers"
value = "a few"
quote = "lost several hundred soldiers"

[[claim]]
source = "report"
subject = "northern-unit"
predicate = "lost_soldiers"
value = "a few"
quote = "lost  several hundred soldiers"
"#,
            "error[duplicate-id] 6:6 duplicate id `ruritania`: already defined by a country
             error[duplicate-id] 12:6 claim id `northern-unit` is already the id of a unit
             error[duplicate-id] 28:6 duplicate claim id `the-loss`
             error[duplicate-id] 42:1 duplicate claim id `c-85bba92d42db`
             error[duplicate-id] world.toml:7:6 duplicate id `ministry`: already defined by a group",
        );
    }
}
