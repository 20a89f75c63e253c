//! Where entity names and aliases occur in documents: one multi-pattern scan per document,
//! case-insensitive, on word boundaries, in any script.

use std::collections::BTreeMap;
use std::ops::Range;

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};

use super::EntityIdx;
use super::text::{NormalizedText, normalize};

/// One occurrence of a name in a text: the entity that carries it and the original character
/// range (a [`super::Mention`] once the document is known).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameMatch {
    pub entity: EntityIdx,
    pub chars: Range<usize>,
    pub name: String,
}

/// Every name to look for, compiled once and run over each document.
pub struct MentionFinder {
    matcher: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
    /// For each pattern, the entities that carry that name, and the name as curated.
    owners: Vec<(Vec<EntityIdx>, String)>,
}

impl std::fmt::Debug for MentionFinder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The automaton has no `Debug` of its own; its names are the owners'.
        f.debug_struct("MentionFinder")
            .field("owners", &self.owners)
            .finish_non_exhaustive()
    }
}

impl MentionFinder {
    /// `names` yields `(entity, name or alias)`; names shorter than two characters are
    /// skipped, as they would match everywhere.
    pub fn new<'a>(names: impl IntoIterator<Item = (EntityIdx, &'a str)>) -> MentionFinder {
        let mut by_pattern: BTreeMap<String, (Vec<EntityIdx>, String)> = BTreeMap::new();
        for (entity, name) in names {
            let pattern = name_key(name);
            if pattern.chars().count() < 2 {
                continue;
            }
            let entry = by_pattern
                .entry(pattern)
                .or_insert_with(|| (Vec::new(), name.to_owned()));
            if !entry.0.contains(&entity) {
                entry.0.push(entity);
            }
        }
        let (patterns, owners): (Vec<String>, Vec<_>) = by_pattern.into_iter().unzip();
        let matcher = (!patterns.is_empty()).then(|| {
            // A double-array automaton over characters (daachorse), not aho-corasick's, whose
            // construction reorders its states in time quadratic in a run of names that each
            // add one state to the last ("alias 1", "alias 10", "alias 100", …: 2.5 s for
            // 100,000) and keeps in each state every name that ends there, quadratic in memory
            // for names such as "xx", "xxx", "xxxx", … (50 MB for 5,000). This one builds in
            // linear time and memory, and scans the generated benchmark's documents as fast.
            let numbered = patterns.iter().zip(0u32..);
            CharwiseDoubleArrayAhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build_with_values(numbered)
                .expect("distinct, non-empty names, fewer than 2^32 characters in all")
        });
        MentionFinder { matcher, owners }
    }

    /// All mentions in one document, ordered by position. A name inside a longer name that
    /// also matched ("Kim" inside "Kim Jong-un") is not counted.
    pub fn find(&self, document: &NormalizedText) -> Vec<NameMatch> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        let lowered = Lowercased::new(&document.text);
        let lower = lowered.text();
        let mut hits: Vec<(usize, usize, usize)> = matcher
            .find_overlapping_iter(lower)
            .filter(|m| on_word_boundaries(lower, m.start(), m.end()))
            .map(|m| (m.start(), m.end(), m.value() as usize))
            .collect();
        hits.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let mut mentions = Vec::new();
        let mut covered: Option<(usize, usize)> = None;
        for (start, end, pattern) in hits {
            if let Some((s, e)) = covered
                && start >= s
                && end <= e
                && (start, end) != (s, e)
            {
                continue;
            }
            if covered.is_none_or(|(_, e)| end > e) {
                covered = Some((start, end));
            }
            let bytes = lowered.origin(start)..lowered.origin(end);
            let chars = document.original_chars(bytes);
            let (entities, name) = &self.owners[pattern];
            for &entity in entities {
                mentions.push(NameMatch {
                    entity,
                    chars: chars.clone(),
                    name: name.clone(),
                });
            }
        }
        mentions
    }
}

/// What the finder looks for when given `name`: its normal form (NFC, folded quotes and
/// dashes, one space for white space, soft hyphens and zero-width characters dropped),
/// lowercased. Two names with the same key are found at the same places.
pub fn name_key(name: &str) -> String {
    normalize(name)
        .chars()
        .flat_map(char::to_lowercase)
        .collect()
}

/// A text lowercased, with the byte of the text each byte of the result came from, since
/// lowercasing can change lengths.
enum Lowercased {
    /// ASCII text, lowercased byte for byte: every byte comes from the same byte.
    Ascii(String),
    /// The lowercased text, and for each of its bytes (and its end) the byte of the text.
    Mapped(String, Vec<u32>),
}

impl Lowercased {
    fn new(text: &str) -> Lowercased {
        if text.is_ascii() {
            return Lowercased::Ascii(text.to_ascii_lowercase());
        }
        let at = |i: usize| u32::try_from(i).expect("documents are smaller than 4 GiB");
        let mut lower = String::with_capacity(text.len());
        let mut origin = Vec::with_capacity(text.len() + 1);
        for (i, c) in text.char_indices() {
            for l in c.to_lowercase() {
                lower.push(l);
                origin.extend(std::iter::repeat_n(at(i), l.len_utf8()));
            }
        }
        origin.push(at(text.len()));
        Lowercased::Mapped(lower, origin)
    }

    fn text(&self) -> &str {
        match self {
            Lowercased::Ascii(text) | Lowercased::Mapped(text, _) => text,
        }
    }

    /// The byte of the original text that byte `at` of the lowercased one came from.
    fn origin(&self, at: usize) -> usize {
        match self {
            Lowercased::Ascii(_) => at,
            Lowercased::Mapped(_, origin) => origin[at] as usize,
        }
    }
}

/// Scripts written without spaces between words have no word boundaries to check.
fn unspaced_script(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let joins = |a: Option<char>, b: Option<char>| match (a, b) {
        (Some(a), Some(b)) => {
            a.is_alphanumeric() && b.is_alphanumeric() && !unspaced_script(a) && !unspaced_script(b)
        }
        _ => false,
    };
    let before = text[..start].chars().next_back();
    let first = text[start..].chars().next();
    let last = text[..end].chars().next_back();
    let after = text[end..].chars().next();
    !joins(before, first) && !joins(last, after)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(names: &[(usize, &str)], doc: &str) -> Vec<(usize, String)> {
        let finder = MentionFinder::new(names.iter().map(|&(e, n)| (EntityIdx::from(e), n)));
        let text = NormalizedText::new(doc);
        finder
            .find(&text)
            .into_iter()
            .map(|m| {
                (
                    m.entity.index(),
                    doc.chars()
                        .skip(m.chars.start)
                        .take(m.chars.len())
                        .collect(),
                )
            })
            .collect()
    }

    #[test]
    fn names_match_case_insensitively_on_word_boundaries() {
        let names = [(0, "Rusland"), (1, "Kim"), (2, "Kim Jong-un"), (3, "ΝΑΤΟ")];
        assert_eq!(
            found(
                &names,
                "RUSLAND en Ruslands leger; KIM JONG–UN; Kimchi; νατο."
            ),
            vec![
                (0, "RUSLAND".to_owned()),
                (2, "KIM JONG–UN".to_owned()),
                (3, "νατο".to_owned())
            ]
        );
    }

    #[test]
    fn a_shared_alias_mentions_every_owner_and_unspaced_scripts_match_inside_words() {
        let names = [(0, "Kim"), (1, "Kim"), (2, "中国")];
        assert_eq!(
            found(&names, "Kim sagte 在中国人"),
            vec![
                (0, "Kim".to_owned()),
                (1, "Kim".to_owned()),
                (2, "中国".to_owned())
            ]
        );
    }

    /// "alias 1", "alias 10", "alias 100", …: each name a prefix of the next, which made
    /// aho-corasick's construction quadratic. Each place still takes its longest name.
    #[test]
    fn names_that_are_each_a_prefix_of_the_next_are_found_whole() {
        let names: Vec<String> = (0..20_000).map(|n| format!("alias {n}")).collect();
        let names: Vec<(usize, &str)> = names.iter().map(String::as_str).enumerate().collect();
        assert_eq!(
            found(&names, "Alias 1, alias 10 and ALIAS 1999; alias 123456."),
            vec![
                (1, "Alias 1".to_owned()),
                (10, "alias 10".to_owned()),
                (1999, "ALIAS 1999".to_owned())
            ]
        );
    }
}
