//! Rules for names: ids, names and aliases hold no invisible (format) character; a name or
//! alias is not empty, an alias is not listed twice, and no two entities share a name or alias
//! once normalised as the mention finder normalises.

use foldhash::{HashMap, HashMapExt, HashSet};

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::load::Placed;
use crate::load::records::RawEntity;
use crate::model::mentions::name_key;
use crate::model::text::forbidden_char;
use crate::model::{Entity, EntityIdx, EntityKind, hidden};
use typed_index_collections::TiSlice;

/// An entity's aliases, each once, after checking its name and aliases: visible, not empty,
/// not listed twice.
pub fn aliases(raw: &RawEntity, diagnostics: &mut Diagnostics) -> Vec<String> {
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
    distinct_aliases(&raw.aliases, diagnostics)
}

/// The aliases without those listed twice, which are reported. By hash, so that an entity with
/// a hundred thousand aliases is checked in one pass.
fn distinct_aliases(aliases: &[Placed<String>], diagnostics: &mut Diagnostics) -> Vec<String> {
    let mut listed: HashMap<&str, &Placed<String>> = HashMap::with_capacity(aliases.len());
    let mut distinct = Vec::with_capacity(aliases.len());
    for alias in aliases {
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
            distinct.push(alias.value.clone());
        }
    }
    distinct
}

/// Refuses format characters (zero-width spaces and joiners, the byte order mark, soft hyphens,
/// bidirectional controls: Unicode category Cf) in an id, a name or an alias; `what` names the
/// field. Returns whether there are none. The controls that loading refuses in every text are
/// reported there, not again here.
pub fn check_visible(text: &Placed<String>, what: &str, diagnostics: &mut Diagnostics) -> bool {
    if !text.value.chars().any(hidden::is_hidden) {
        return true;
    }
    let mut unreported = text
        .value
        .chars()
        .filter(|&c| hidden::is_hidden(c) && !forbidden_char(c));
    if let Some(first) = unreported.next() {
        let more = match unreported.count() {
            0 => String::new(),
            1 => " and one more".to_owned(),
            n => format!(" and {n} more"),
        };
        let escaped = hidden::escape(&text.value);
        let seen: String = text
            .value
            .chars()
            .filter(|&c| !hidden::is_hidden(c))
            .collect();
        diagnostics.push(
            Diagnostic::error(
                Code::ForbiddenCharacter,
                text.span.clone(),
                format!(
                    "{what} `{escaped}` contains {}{more}, which cannot be seen",
                    hidden::describe(first)
                ),
            )
            .with_label("invisible and format characters are not allowed in ids, names and aliases")
            .with_hint(format!(
                "remove it: `{escaped}` looks like `{seen}` but is another string"
            )),
        );
    }
    false
}

/// Reports a name or alias that two entities share once normalised as the mention finder
/// normalises (NFC, case, quotes, dashes, white space): every mention of it would be linked to
/// both, so the mentions of each are ambiguous. A warning, since two people can share a name;
/// each pair is reported once, at the later entity, with the earlier one's place. Sources are
/// left out, as the finder leaves them out. One hash map, so linear in names and aliases.
pub fn check_shared_names(
    entities: &TiSlice<EntityIdx, Entity>,
    raws: &TiSlice<EntityIdx, &RawEntity>,
    diagnostics: &mut Diagnostics,
) {
    let mut first_owner: HashMap<String, (EntityIdx, &Placed<String>)> = HashMap::new();
    for (e, raw) in raws.iter_enumerated() {
        if raw.kind == EntityKind::Source {
            continue;
        }
        // One report for each earlier entity, however many of this one's names it shares.
        let mut reported: HashSet<EntityIdx> = HashSet::default();
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

#[cfg(test)]
mod tests {
    use super::super::testing::check;

    #[test]
    fn names_and_aliases_are_not_empty() {
        check(
            r#"
[[person]]
id = "anna"
name = ""
aliases = ["Anna", " "]
"#,
            "error[invalid-value] 3:8 a name or alias cannot be empty
             error[invalid-value] 4:20 a name or alias cannot be empty",
        );
    }

    #[test]
    fn an_alias_is_listed_once() {
        check(
            r#"
[[person]]
id = "anna"
name = "Anna Petrova"
aliases = ["Petrova", "A. Petrova", "Petrova"]
"#,
            "error[invalid-value] 4:37 alias `Petrova` is listed twice",
        );
    }

    #[test]
    fn ids_names_and_aliases_hold_no_invisible_character() {
        // An entity whose id is refused is not checked further.
        check(
            r#"
[[person]]
id = "an\u200Dna"
name = "Anna"

[[person]]
id = "petrova"
name = "Anna\u00AD"
aliases = ["\uFEFFPetrova"]
"#,
            "error[forbidden-character] 2:6 id `an\\u{200d}na` contains U+200D ZERO WIDTH JOINER, which cannot be seen
             error[forbidden-character] 7:8 name `Anna\\u{ad}` contains U+00AD SOFT HYPHEN, which cannot be seen
             error[forbidden-character] 8:12 alias `\\u{feff}Petrova` contains U+FEFF ZERO WIDTH NO-BREAK SPACE (byte order mark), which cannot be seen",
        );
    }

    #[test]
    fn a_name_two_entities_share_is_a_warning_at_the_later() {
        // Case, quotes and white space are folded as the mention finder folds them; sources,
        // which the finder leaves out, may share names.
        check(
            r#"
[[person]]
id = "anna"
name = "Anna"
aliases = ["MINISTRY  of defence"]

[[source]]
id = "northern-unit-report"
file = "report.txt"
name = "Northern Unit"
"#,
            "warning[ambiguous-name] world.toml:8:8 `Ministry of Defence` of `ministry` reads the same as `MINISTRY  of defence` of `anna`",
        );
    }
}
