//! Rules for quotes: a quote is long enough to locate, it is in its claim's document (else the
//! closest passage is shown), an `occurrence` counts from 1 and is not beyond the last, and a
//! quote that is there more than once without `occurrence` is a warning. Every quote of a
//! document is found in one multi-pattern pass.

use std::collections::BTreeMap;
use std::ops::Range;

use rayon::prelude::*;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Span};
use crate::load::{Placed, RawClaim};
use crate::model::text::{NormalizedText, normalize};
use crate::model::{Document, DocumentIdx, Model};

/// Quotes shorter than this (after normalisation) would match almost anywhere.
pub const MIN_QUOTE_CHARS: usize = 3;

/// The claim's quote in normal form, when it is long enough to locate.
pub fn normalized_quote(raw: &RawClaim, diagnostics: &mut Diagnostics) -> Option<String> {
    let quote = raw.quote.as_ref()?;
    let normalized = normalize(&quote.value);
    check_length(quote, &normalized, diagnostics).then_some(normalized)
}

/// Whether the claim's `occurrence`, if it has one, counts from 1.
pub fn check_occurrence(raw: &RawClaim, diagnostics: &mut Diagnostics) -> bool {
    raw.occurrence.as_ref().is_none_or(|o| {
        let ok = o.value >= 1;
        if !ok {
            diagnostics.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    o.span.clone(),
                    format!("`occurrence = {}`: occurrences count from 1", o.value),
                )
                .with_label("1 for the first time the quote occurs, 2 for the second, …"),
            );
        }
        ok
    })
}

/// Where a claim's quote is written, and which of its occurrences the claim asks for.
#[derive(Debug)]
pub struct QuoteRef {
    pub span: Span,
    pub occurrence: Option<Box<Placed<i64>>>,
}

/// A resolved claim's document and its quote in normal form: what is looked for where.
pub type Needle<'a> = (DocumentIdx, &'a str);

/// How many occurrences of a quote the messages list.
const LISTED_OCCURRENCES: usize = 10;

/// Finds every claim's quote with one multi-pattern pass over each document; reports the
/// quotes that are not there with the closest passage, the quotes that are there more than
/// once (the claim takes the first unless its `occurrence` says which), and an `occurrence`
/// beyond the last.
pub fn locate_quotes(
    claims: &[Option<Needle<'_>>],
    quotes: &[QuoteRef],
    model: &Model,
    diagnostics: &mut Diagnostics,
) -> Vec<Option<std::ops::Range<usize>>> {
    // By document, the positions of the claims' records (not claim indices: some records do
    // not become claims).
    let mut by_document: BTreeMap<DocumentIdx, Vec<usize>> = BTreeMap::new();
    for (i, claim) in claims.iter().enumerate() {
        if let Some((document, _)) = claim {
            by_document.entry(*document).or_default().push(i);
        }
    }
    // Each document is normalised and scanned once, documents in parallel.
    let located: Vec<Located> = by_document
        .into_par_iter()
        .flat_map_iter(|(document, members)| {
            locate_in_document(&model.documents[document], members, claims, quotes)
        })
        .collect();
    let mut found = vec![None; claims.len()];
    for (i, result) in located {
        match result {
            Ok((range, warning)) => {
                found[i] = Some(range);
                if let Some(warning) = warning {
                    diagnostics.push(*warning);
                }
            }
            Err(d) => diagnostics.push(*d),
        }
    }
    found
}

/// The quote of claim `i` in normal form.
fn needle<'a>(claims: &[Option<Needle<'a>>], i: usize) -> &'a str {
    claims[i].map_or("", |(_, quote)| quote)
}

/// Which occurrence of its quote a claim means: its `occurrence`, else the first.
fn asked(quote: &QuoteRef) -> usize {
    quote
        .occurrence
        .as_ref()
        .map_or(1, |o| usize::try_from(o.value).unwrap_or(usize::MAX))
}

/// Finds the quotes of the claims `members` in their `document`, in one pass over its text.
fn locate_in_document(
    document: &Document,
    members: Vec<usize>,
    claims: &[Option<Needle<'_>>],
    quotes: &[QuoteRef],
) -> Vec<Located> {
    let text = NormalizedText::new(&document.text);
    let mut needles: Vec<&str> = members.iter().map(|&i| needle(claims, i)).collect();
    needles.sort_unstable();
    needles.dedup();
    let mut wanted: Vec<Vec<usize>> = vec![Vec::new(); needles.len()];
    let slot = |i: usize| {
        needles
            .binary_search(&needle(claims, i))
            .expect("every quote is a needle")
    };
    for &i in &members {
        wanted[slot(i)].push(asked(&quotes[i]));
    }
    let found = occurrences(&text.text, &needles, wanted);
    // Line numbers only when a message needs them.
    let lines = std::sync::OnceLock::new();
    let line_of = |bytes: &Range<usize>| -> usize {
        let starts: &Vec<usize> = lines.get_or_init(|| line_starts(&document.text));
        starts.partition_point(|&s| s <= text.original_chars(bytes.clone()).start)
    };
    members
        .into_iter()
        .map(|i| {
            let quote = &quotes[i];
            let found = &found[slot(i)];
            let result = if found.count == 0 {
                let d = quote_not_found(quote.span.clone(), needle(claims, i), &text, document);
                Err(Box::new(d))
            } else {
                match found.at(asked(quote)) {
                    Some(bytes) => {
                        let warning = (found.count > 1 && quote.occurrence.is_none())
                            .then(|| Box::new(ambiguous_quote(quote, found, document, &line_of)));
                        Ok((text.original_chars(bytes.clone()), warning))
                    }
                    None => Err(Box::new(occurrence_beyond(
                        quote, found, document, &line_of,
                    ))),
                }
            };
            (i, result)
        })
        .collect()
}

/// A claim's index and where its quote is (with a warning when it is there more than once), or
/// why it cannot be placed.
type Located = (
    usize,
    Result<(Range<usize>, Option<Box<Diagnostic>>), Box<Diagnostic>>,
);

/// The character offset of every line's start in `text`.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            text.chars()
                .enumerate()
                .filter(|&(_, c)| c == '\n')
                .map(|(n, _)| n + 1),
        )
        .collect()
}

/// "lines 3 and 17", "lines 3, 5, 9, … (the first 10 of 25)".
fn listed_lines(found: &Occurrences, line_of: &dyn Fn(&Range<usize>) -> usize) -> String {
    let lines: Vec<String> = found
        .listed()
        .map(|bytes| line_of(bytes).to_string())
        .collect();
    match lines.as_slice() {
        [one] => format!("line {one}"),
        [init @ .., last] if found.count <= lines.len() => {
            format!("lines {} and {last}", init.join(", "))
        }
        all => format!(
            "lines {}, … (the first {} of {})",
            all.join(", "),
            all.len(),
            found.count
        ),
    }
}

/// The quote occurs more than once and the claim does not say which: the first is taken.
fn ambiguous_quote(
    quote: &QuoteRef,
    found: &Occurrences,
    document: &Document,
    line_of: &dyn Fn(&Range<usize>) -> usize,
) -> Diagnostic {
    let choices: Vec<String> = found
        .listed()
        .enumerate()
        .take(3)
        .map(|(n, bytes)| format!("{} for line {}", n + 1, line_of(bytes)))
        .collect();
    Diagnostic::error(
        Code::AmbiguousQuote,
        quote.span.clone(),
        format!(
            "the quote occurs {} times in its document `{}`: on {}",
            found.count,
            document.file,
            listed_lines(found, line_of)
        ),
    )
    .warning()
    .with_label("the first is taken")
    .with_hint(format!(
        "say which one the claim means with `occurrence = N` ({}{})",
        choices.join(", "),
        if found.count > 3 { ", …" } else { "" }
    ))
}

/// The claim asks for an occurrence past the last one.
fn occurrence_beyond(
    quote: &QuoteRef,
    found: &Occurrences,
    document: &Document,
    line_of: &dyn Fn(&Range<usize>) -> usize,
) -> Diagnostic {
    let occurrence = quote
        .occurrence
        .as_ref()
        .expect("only an asked occurrence is missing");
    let times = match found.count {
        1 => "once".to_owned(),
        n => format!("{n} times"),
    };
    Diagnostic::error(
        Code::InvalidValue,
        occurrence.span.clone(),
        format!(
            "`occurrence = {}`, but the quote occurs {times} in `{}`: on {}",
            occurrence.value,
            document.file,
            listed_lines(found, line_of)
        ),
    )
    .with_label(format!("beyond occurrence {}", found.count))
    .with_hint(if found.count == 1 {
        "remove `occurrence`: the quote is there only once".to_owned()
    } else {
        format!("give a number from 1 to {}", found.count)
    })
}

/// The occurrences of one needle: how many there are, and where the first few and the ones
/// claims ask for are (byte ranges in the normal form).
#[derive(Debug, Default)]
struct Occurrences {
    count: usize,
    /// `(occurrence, bytes)`, in document order.
    kept: Vec<(usize, Range<usize>)>,
}

impl Occurrences {
    fn at(&self, occurrence: usize) -> Option<&Range<usize>> {
        self.kept
            .iter()
            .find(|(n, _)| *n == occurrence)
            .map(|(_, bytes)| bytes)
    }

    /// The first occurrences, as many as messages list.
    fn listed(&self) -> impl Iterator<Item = &Range<usize>> {
        self.kept
            .iter()
            .take_while(|(n, _)| *n <= LISTED_OCCURRENCES)
            .map(|(_, bytes)| bytes)
    }
}

/// Counts every needle's occurrences in `haystack` (overlapping ones too, so that each can be
/// chosen) and keeps the places of the first few and of those in `wanted`: memory bounded by
/// the claims, not by how often a quote occurs.
fn occurrences(haystack: &str, needles: &[&str], wanted: Vec<Vec<usize>>) -> Vec<Occurrences> {
    let mut found: Vec<Occurrences> = std::iter::repeat_with(Occurrences::default)
        .take(needles.len())
        .collect();
    if needles.is_empty() {
        return found;
    }
    let wanted: Vec<Vec<usize>> = wanted
        .into_iter()
        .map(|mut w| {
            w.sort_unstable();
            w.dedup();
            w
        })
        .collect();
    let (prefixes, groups) = prefix_groups(needles);
    QuoteMatcher::new(&prefixes, SMALL_QUOTE_WORK).for_each(haystack, |prefix, bytes| {
        let rest = &haystack.as_bytes()[bytes.start..];
        for pattern in groups[prefix].clone() {
            let needle = needles[pattern];
            if !rest.starts_with(needle.as_bytes()) {
                continue;
            }
            let slot = &mut found[pattern];
            slot.count += 1;
            if slot.count <= LISTED_OCCURRENCES
                || wanted[pattern].binary_search(&slot.count).is_ok()
            {
                slot.kept
                    .push((slot.count, bytes.start..bytes.start + needle.len()));
            }
        }
    });
    found
}

/// The automaton holds only the first bytes of each quote, and an occurrence of those is
/// checked against the whole quotes that begin with them: building it for a document's quotes
/// cost ten times more than running it, in proportion to their characters.
const PREFIX_BYTES: usize = 24;
/// When more quotes than this begin with the same bytes, every quote goes in whole, so that one
/// occurrence of them is never checked against many quotes.
const MAX_SHARED_PREFIX: usize = 8;

/// The distinct first [`PREFIX_BYTES`] of the sorted, distinct `needles` (cut at a character
/// boundary), and for each the range of needles that begin with it; the needles themselves when
/// too many share a beginning.
fn prefix_groups<'a>(needles: &[&'a str]) -> (Vec<&'a str>, Vec<Range<usize>>) {
    let prefix = |needle: &'a str| -> &'a str {
        let mut end = needle.len().min(PREFIX_BYTES);
        while !needle.is_char_boundary(end) {
            end -= 1;
        }
        &needle[..end]
    };
    let mut prefixes: Vec<&str> = Vec::new();
    let mut groups: Vec<Range<usize>> = Vec::new();
    // Sorted needles that begin alike are neighbours.
    for (i, &needle) in needles.iter().enumerate() {
        let start = prefix(needle);
        match (prefixes.last(), groups.last_mut()) {
            (Some(&last), Some(group)) if last == start => group.end = i + 1,
            _ => {
                prefixes.push(start);
                groups.push(i..i + 1);
            }
        }
    }
    if groups.iter().any(|g| g.len() > MAX_SHARED_PREFIX) {
        return (
            needles.to_vec(),
            (0..needles.len()).map(|i| i..i + 1).collect(),
        );
    }
    (prefixes, groups)
}

/// Up to this many quotes times their characters, a document's quotes are found with
/// aho-corasick's contiguous NFA, beyond it with daachorse's double array (as names are; see
/// `MentionFinder::new`). Aho-corasick builds the few hundred quotes of a document two to four
/// times faster (at a million generated claims, daachorse for every document cost 10 % more
/// processor time in `check`), but two steps of its construction are super-linear: reordering
/// the states (at most (2 × quotes)² steps) and copying into each state the quotes that end
/// there (at most quotes × characters). Under this bound neither is felt; 100,000 quotes such as
/// "said 1", "said 10", "said 100", … took it 7 s, and take daachorse a fraction of one.
const SMALL_QUOTE_WORK: usize = 10_000_000;

/// One multi-pattern automaton over a document's quotes, the one that suits their number.
enum QuoteMatcher {
    Few(AhoCorasick),
    Many(CharwiseDoubleArrayAhoCorasick<u32>),
}

impl QuoteMatcher {
    /// `needles` are distinct and none is empty; `small` is the bound on quotes × characters
    /// below which the first kind is built.
    fn new(needles: &[&str], small: usize) -> QuoteMatcher {
        let characters: usize = needles.iter().map(|n| n.len()).sum();
        if needles.len().saturating_mul(characters) <= small {
            QuoteMatcher::Few(
                AhoCorasick::builder()
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(needles)
                    .expect("quote patterns compile"),
            )
        } else {
            // Its prefilter speeds up scans in which matches are rare; a document is scanned
            // once, and building the prefilter costs more than it saves.
            QuoteMatcher::Many(
                CharwiseDoubleArrayAhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .use_prefilter(false)
                    .build_with_values(needles.iter().zip(0u32..))
                    .expect("distinct quotes, none shorter than MIN_QUOTE_CHARS"),
            )
        }
    }

    /// Calls `found(needle, bytes)` for every occurrence of every needle, overlapping ones too,
    /// in the order in which they end.
    fn for_each(&self, haystack: &str, mut found: impl FnMut(usize, Range<usize>)) {
        match self {
            QuoteMatcher::Few(matcher) => {
                for m in matcher.find_overlapping_iter(haystack) {
                    found(m.pattern().as_usize(), m.range());
                }
            }
            QuoteMatcher::Many(matcher) => {
                for m in matcher.find_overlapping_iter(haystack) {
                    found(m.value() as usize, m.start()..m.end());
                }
            }
        }
    }
}

/// Quotes too short to locate meaningfully are refused.
fn check_length(quote: &Placed<String>, normalized: &str, diagnostics: &mut Diagnostics) -> bool {
    if normalized.chars().count() >= MIN_QUOTE_CHARS {
        return true;
    }
    diagnostics.push(
        Diagnostic::error(
            Code::InvalidValue,
            quote.span.clone(),
            format!("the quote \"{}\" is too short to locate", quote.value),
        )
        .with_label(format!("at least {MIN_QUOTE_CHARS} characters")),
    );
    false
}

/// The quote is not in its document: say so, with the closest passage as a hint.
fn quote_not_found(
    span: Span,
    needle: &str,
    text: &NormalizedText,
    document: &Document,
) -> Diagnostic {
    let d = Diagnostic::error(
        Code::QuoteNotFound,
        span,
        format!("the quote is not in its document `{}`", document.file),
    )
    .with_label("not found, even after normalising quotes, dashes and white space");
    match text.closest(needle) {
        Some((chars, score)) => {
            let lines = text.original_lines(&document.text);
            let line = lines.line(chars.start);
            let passage = document.text[lines.bytes(&document.text, chars)].replace('\n', " ");
            d.with_hint(format!(
                "the closest passage ({:.0}% alike, line {line} of the document) reads: \"{}\"",
                score * 100.0,
                shortened(&passage)
            ))
        }
        None => d.with_hint("no word of this quote occurs in the document"),
    }
}

/// Passages longer than this are shown cut, in hints.
const SHOWN_PASSAGE_CHARS: usize = 300;

/// A passage as a hint shows it: whole up to [`SHOWN_PASSAGE_CHARS`], else its start and `…`.
fn shortened(passage: &str) -> std::borrow::Cow<'_, str> {
    match passage.char_indices().nth(SHOWN_PASSAGE_CHARS) {
        Some((cut, _)) => format!("{} …", passage[..cut].trim_end()).into(),
        None => passage.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::check;
    use super::*;

    #[test]
    fn occurrences_are_counted_and_kept_as_far_as_asked() {
        let haystack = "ab ab ab ab ab ab ab ab ab ab ab ab ab";
        let found = occurrences(haystack, &["ab", "cd"], vec![vec![12, 1], vec![1]]);
        assert_eq!(found[0].count, 13);
        // The first ten for messages, and the twelfth that a claim asks for.
        assert_eq!(found[0].kept.len(), 11);
        assert_eq!(found[0].at(12), Some(&(33..35)));
        assert_eq!(found[0].at(11), None);
        assert_eq!(found[0].listed().count(), LISTED_OCCURRENCES);
        assert_eq!(found[1].count, 0);
    }

    /// Both automata find the same occurrences, so that which one a document's quotes get
    /// (by their number and length) changes nothing but the time.
    #[test]
    fn few_and_many_quotes_are_found_alike() {
        let haystack = "said 1, said 10 and said 100; Said 1000. said 10said 1 — ünïcode said 1";
        let needles = [
            "said 1",
            "said 10",
            "said 100",
            "d 1",
            "ünïcode",
            "1000.",
            "absent",
        ];
        let all = |small| {
            let mut found = Vec::new();
            QuoteMatcher::new(&needles, small)
                .for_each(haystack, |n, bytes| found.push((n, bytes)));
            found.sort_by_key(|(n, bytes)| (bytes.end, *n));
            found
        };
        assert!(matches!(
            QuoteMatcher::new(&needles, usize::MAX),
            QuoteMatcher::Few(_)
        ));
        assert!(matches!(
            QuoteMatcher::new(&needles, 0),
            QuoteMatcher::Many(_)
        ));
        let few = all(usize::MAX);
        assert_eq!(few, all(0));
        assert_eq!(few.iter().filter(|(n, _)| *n == 0).count(), 6, "{few:?}");
        assert!(
            few.iter()
                .all(|(n, bytes)| &haystack[bytes.clone()] == needles[*n])
        );
    }

    /// Quotes that begin alike (the automaton holds only their beginnings) are each counted
    /// where they are whole, overlapping ones too, and alike when too many begin alike for that.
    #[test]
    fn quotes_that_begin_alike_are_counted_apart() {
        let start = "Die Behörden teilten gestern mit, ";
        let haystack = format!("{start}dass 18 Soldaten. {start}dass 19. {start}dass 18 Soldaten.");
        let needles = [
            format!("{start}dass 18 Soldaten."),
            format!("{start}dass 19."),
            format!("{start}dass 2"),
            start.to_owned(),
        ];
        let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
        let counts = |needles: &[&str]| -> Vec<(usize, Vec<Range<usize>>)> {
            occurrences(&haystack, needles, vec![vec![]; needles.len()])
                .into_iter()
                .map(|o| (o.count, o.kept.into_iter().map(|(_, b)| b).collect()))
                .collect()
        };
        let mut sorted = needles.clone();
        sorted.sort_unstable();
        let found = counts(&sorted);
        for (needle, (count, kept)) in sorted.iter().zip(&found) {
            assert_eq!(*count, haystack.matches(needle).count(), "{needle}");
            assert!(kept.iter().all(|b| &haystack[b.clone()] == *needle));
        }
        // All four begin with the same bytes: one pattern.
        assert_eq!(prefix_groups(&sorted).0.len(), 1);
        // Nine quotes with one beginning go in whole, and are found alike.
        let many: Vec<String> = (0..9).map(|n| format!("{start}dass {n}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(prefix_groups(&many).0, many);
        let found = counts(&many);
        for (needle, (count, kept)) in many.iter().zip(&found) {
            assert_eq!(*count, haystack.matches(needle).count(), "{needle}");
            assert!(kept.iter().all(|b| &haystack[b.clone()] == *needle));
        }
        assert_eq!(found[1].0, 3);
    }

    #[test]
    fn lines_start_after_each_newline_counted_in_characters() {
        assert_eq!(line_starts("é\nab\n\nc"), [0, 2, 5, 6]);
    }

    #[test]
    fn a_quote_is_long_enough_to_locate_and_in_its_document() {
        check(
            r#"
[[claim]]
source = "report"
subject = "northern-unit"
predicate = "lost_soldiers"
value = "several hundred"
quote = " l… "

[[claim]]
source = "report"
subject = "northern-unit"
predicate = "lost_soldiers"
value = "several"
quote = "the Southern Unit lost"

[[claim]]
source = "report"
subject = "northern-unit"
predicate = "lost_soldiers"
value = "hundreds"
# Found: white space is folded.
quote = "the  Northern Unit\tlost"
"#,
            "error[invalid-value] 6:9 the quote \" l… \" is too short to locate
             error[quote-not-found] 13:9 the quote is not in its document `report.txt`",
        );
    }

    #[test]
    fn a_quote_there_twice_needs_its_occurrence() {
        check(
            r#"
[[claim]]
source = "report"
subject = "northern-unit"
predicate = "lost_soldiers"
value = "several hundred"
quote = "The Ministry said"

[[claim]]
source = "report"
subject = "northern-unit"
predicate = "lost_soldiers"
value = "so"
quote = "The Ministry said"
occurrence = 2

[[claim]]
source = "report"
subject = "northern-unit"
predicate = "lost_soldiers"
value = "thrice"
quote = "The Ministry said"
occurrence = 3

[[claim]]
source = "report"
subject = "northern-unit"
predicate = "lost_soldiers"
value = "never"
quote = "The Ministry said"
occurrence = 0
"#,
            "warning[ambiguous-quote] 6:9 the quote occurs 2 times in its document `report.txt`: on lines 3 and 4
             error[invalid-value] 22:14 `occurrence = 3`, but the quote occurs 2 times in `report.txt`: on lines 3 and 4
             error[invalid-value] 30:14 `occurrence = 0`: occurrences count from 1",
        );
    }
}
