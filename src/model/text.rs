//! Text normalisation for matching quotes and names against documents, with a map back to
//! character offsets in the original text.
//!
//! Both sides are compared in one normal form: Unicode NFC, typographic quotes, apostrophes and
//! dashes folded to ASCII (normalisation forms alone keep them apart), invisible soft hyphens
//! and zero-width characters dropped, and runs of white space read as one space.

use std::ops::Range;
use std::sync::OnceLock;

use foldhash::HashMap;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{
    canonical_combining_class, decompose_canonical, is_combining_mark,
};

/// A document in normal form, with the original character offset of every byte.
#[derive(Debug)]
pub struct NormalizedText {
    pub text: String,
    /// `origin[b]` is the original character offset of the text that byte `b` came from;
    /// `origin[text.len()]` is the original length in characters.
    origin: Vec<u32>,
    /// The words of the text, indexed on the first search for a passage.
    passages: OnceLock<WordIndex>,
    /// Lines of the original text, indexed on the first request.
    lines: OnceLock<LineIndex>,
}

impl NormalizedText {
    pub fn new(original: &str) -> NormalizedText {
        let mut out = Builder {
            text: String::with_capacity(original.len()),
            origin: Vec::with_capacity(original.len() + 1),
            in_space: false,
        };
        // Combining marks are normalised together with the character they attach to, so that
        // every normalised character maps back to the original characters it was made from.
        let mut group = String::new();
        let mut group_start = 0u32;
        let mut count = 0u32;
        let bytes = original.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            // Most of a document is ASCII, its own normal form: a run of it goes in at once.
            // The run stops before a character that a combining mark could follow.
            let run = ascii_run(&bytes[at..]);
            if run > 0 {
                if !group.is_empty() {
                    out.flush(&group, group_start);
                    group.clear();
                }
                out.push_ascii(&original[at..at + run], count);
                at += run;
                count += u32::try_from(run).expect("documents are smaller than 4 GiB");
                group_start = count;
                continue;
            }
            let c = original[at..].chars().next().expect("not at the end");
            at += c.len_utf8();
            // Below U+0300 every character is a starter; the table lookup is for the rest.
            let starter = c < '\u{300}' || canonical_combining_class(c) == 0;
            if starter && !group.is_empty() {
                out.flush(&group, group_start);
                group.clear();
                group_start = count;
            }
            group.push(c);
            count += 1;
        }
        out.flush(&group, group_start);
        out.origin.push(count);
        NormalizedText {
            text: out.text,
            origin: out.origin,
            passages: OnceLock::new(),
            lines: OnceLock::new(),
        }
    }

    /// The original character range that a byte range of the normal form came from.
    pub fn original_chars(&self, bytes: Range<usize>) -> Range<usize> {
        self.origin[bytes.start] as usize..self.origin[bytes.end] as usize
    }

    /// Finds a normalised needle; returns the original character range of its first occurrence.
    pub fn find(&self, needle: &str) -> Option<Range<usize>> {
        if needle.is_empty() {
            return None;
        }
        let at = self.text.find(needle)?;
        Some(self.original_chars(at..at + needle.len()))
    }

    /// The passage of the document most like `needle`, for "quote not found" hints: its original
    /// character range and its similarity (0 to 1). `None` when no word of the needle occurs in
    /// the document.
    ///
    /// Words are compared folded (lowercase, without diacritics, punctuation apart), so a quote
    /// that differs from its passage only in those still finds it. Each word of the needle that
    /// the document holds votes for where the passage would start; a word the document holds
    /// more than a few dozen times votes only when no rarer word does. The few best-voted
    /// starts are then compared by edit distance, over at most [`SCORED_CHARS`] characters. The
    /// cost is linear in the needle (plus the document's word index, made once on the first
    /// call), whatever the length of either.
    pub fn closest(&self, needle: &str) -> Option<(Range<usize>, f64)> {
        let index = self.passages.get_or_init(|| WordIndex::new(&self.text));
        let (bytes, score) = index.closest(&self.text, needle)?;
        Some((self.original_chars(bytes), score))
    }

    /// Where original character offsets are: lines and byte offsets in `original`, which must
    /// be the text this normal form was made from. Made once, on the first call.
    pub fn original_lines(&self, original: &str) -> &LineIndex {
        let index = self.lines.get_or_init(|| LineIndex::new(original));
        debug_assert_eq!(
            index.chars,
            self.origin.last().map_or(0, |&c| c as usize),
            "the original of this normal form"
        );
        index
    }
}

/// Needles are compared with their candidate passages over at most this many characters: the
/// edit distance costs the product of the two lengths.
pub const SCORED_CHARS: usize = 1000;
/// A word that occurs more often than this in a document says little about where a passage is.
const COMMON_WORD: usize = 64;
/// How many best-voted passages are compared by edit distance.
const CANDIDATES: usize = 5;
/// How far a passage is widened over punctuation attached to its first and last word.
const ATTACHED_PUNCTUATION: usize = 8;

/// The words of a document in normal form and where each folded word occurs.
#[derive(Debug)]
struct WordIndex {
    /// Byte range in the normal form of every word, in order.
    words: Vec<Range<u32>>,
    /// Folded word → indices into `words`.
    postings: HashMap<Box<str>, Vec<u32>>,
}

impl WordIndex {
    fn new(text: &str) -> WordIndex {
        let mut words = Vec::new();
        let mut postings: HashMap<Box<str>, Vec<u32>> = HashMap::default();
        let mut key = String::new();
        for range in word_ranges(text) {
            fold_word(&text[range.clone()], &mut key);
            let n = u32::try_from(words.len()).expect("documents are smaller than 4 GiB");
            match postings.get_mut(key.as_str()) {
                Some(list) => list.push(n),
                None => {
                    postings.insert(key.as_str().into(), vec![n]);
                }
            }
            let offset = |at: usize| u32::try_from(at).expect("documents are smaller than 4 GiB");
            words.push(offset(range.start)..offset(range.end));
        }
        WordIndex { words, postings }
    }

    /// The byte range in `text` (the normal form indexed) of the passage most like `needle`,
    /// and its similarity.
    fn closest(&self, text: &str, needle: &str) -> Option<(Range<usize>, f64)> {
        let mut key = String::new();
        let needle_words: Vec<Option<&Vec<u32>>> = word_ranges(needle)
            .map(|range| {
                fold_word(&needle[range], &mut key);
                self.postings.get(key.as_str())
            })
            .collect();
        // Each word votes for the passage starting where it would put the needle's first word.
        let mut votes: HashMap<i64, Vote> = HashMap::default();
        let mut rarest: Option<(usize, &Vec<u32>)> = None;
        for (i, list) in needle_words.iter().enumerate() {
            let Some(list) = list else { continue };
            if list.len() <= COMMON_WORD {
                let weight = 1.0 / list.len() as f64;
                for &at in *list {
                    votes
                        .entry(i64::from(at) - i as i64)
                        .or_insert_with(|| Vote::new(i))
                        .add(weight, i);
                }
            }
            if rarest.is_none_or(|(_, r)| list.len() < r.len()) {
                rarest = Some((i, list));
            }
        }
        if votes.is_empty() {
            // Only common words: the rarest of them, where it first occurs.
            let (i, list) = rarest?;
            for &at in list.iter().take(COMMON_WORD) {
                votes
                    .entry(i64::from(at) - i as i64)
                    .or_insert_with(|| Vote::new(i))
                    .add(1.0, i);
            }
        }
        // A word added or left out shifts the later words' votes by one or two: neighbouring
        // starts count together, as one candidate.
        let near =
            |centre: i64| (centre - 2..=centre + 2).filter_map(|s| Some((s, votes.get(&s)?)));
        let mut ranked: Vec<(i64, f64, f64)> = votes
            .iter()
            .map(|(&centre, vote)| {
                let together = near(centre).map(|(_, v)| v.weight).sum();
                (centre, together, vote.weight)
            })
            .collect();
        ranked.sort_by(|a, b| {
            (b.1.total_cmp(&a.1))
                .then(b.2.total_cmp(&a.2))
                .then(a.0.cmp(&b.0))
        });
        let mut centres: Vec<i64> = Vec::with_capacity(CANDIDATES);
        for (centre, _, _) in ranked {
            if centres.iter().all(|c| (c - centre).abs() > 2) {
                centres.push(centre);
                if centres.len() == CANDIDATES {
                    break;
                }
            }
        }
        let last_word = self.words.len().checked_sub(1)?;
        let to_word = |at: i64| usize::try_from(at.max(0)).unwrap_or(0).min(last_word);
        centres
            .into_iter()
            .map(|centre| {
                // The passage starts where the earliest matched word puts the needle's first
                // word, and ends where the latest puts its last; a stray vote of a common word
                // nearby does not count.
                let strongest = near(centre).map(|(_, v)| v.weight).fold(0.0, f64::max);
                let strong = || near(centre).filter(move |(_, v)| v.weight * 2.0 >= strongest);
                let (start, _) = strong()
                    .min_by_key(|(s, v)| (v.first, (s - centre).abs(), *s))
                    .expect("the centre has votes");
                let (end, _) = strong()
                    .min_by_key(|(s, v)| (std::cmp::Reverse(v.last), (s - centre).abs(), *s))
                    .expect("the centre has votes");
                let first = to_word(start);
                let last = to_word(end + (needle_words.len() as i64 - 1)).max(first);
                let bytes = widen(
                    text,
                    self.words[first].start as usize..self.words[last].end as usize,
                );
                let score = similarity(&text[bytes.clone()], needle);
                (bytes, score)
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.start.cmp(&a.0.start)))
    }
}

/// The votes for one start of a passage: their weight, and the first and last word of the
/// needle that gave one.
#[derive(Debug)]
struct Vote {
    weight: f64,
    first: usize,
    last: usize,
}

impl Vote {
    fn new(word: usize) -> Vote {
        Vote {
            weight: 0.0,
            first: word,
            last: word,
        }
    }

    fn add(&mut self, weight: f64, word: usize) {
        self.weight += weight;
        self.first = self.first.min(word);
        self.last = self.last.max(word);
    }
}

/// The byte ranges of the words of `text`: runs of letters, digits and combining marks.
fn word_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let is_word = |c: char| c.is_alphanumeric() || is_combining_mark(c);
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = chars.by_ref().find(|&(_, c)| is_word(c))?;
        let mut end = text.len();
        while let Some(&(at, c)) = chars.peek() {
            if !is_word(c) {
                end = at;
                break;
            }
            chars.next();
        }
        Some(start..end)
    })
}

/// A word lowercased and without diacritics, into `out`.
fn fold_word(word: &str, out: &mut String) {
    out.clear();
    for c in word.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    out.extend(d.to_lowercase());
                }
            });
        }
    }
}

/// Widens a passage over the punctuation attached to its first and last word (`„several`,
/// `2023.`), a few characters at most.
fn widen(text: &str, bytes: Range<usize>) -> Range<usize> {
    let attached = |c: &char| !c.is_whitespace() && !c.is_alphanumeric();
    let before: usize = text[..bytes.start]
        .chars()
        .rev()
        .take_while(attached)
        .take(ATTACHED_PUNCTUATION)
        .map(char::len_utf8)
        .sum();
    let after: usize = text[bytes.end..]
        .chars()
        .take_while(attached)
        .take(ATTACHED_PUNCTUATION)
        .map(char::len_utf8)
        .sum();
    bytes.start - before..bytes.end + after
}

/// Similarity (0 to 1) of a passage and a needle by edit distance, over their first
/// [`SCORED_CHARS`] characters.
fn similarity(passage: &str, needle: &str) -> f64 {
    let cut = |s: &str| -> String { s.chars().take(SCORED_CHARS).collect() };
    strsim::normalized_levenshtein(&cut(passage), &cut(needle))
}

/// Lines and byte offsets of a document's original characters, for pointing at a passage.
#[derive(Debug)]
pub struct LineIndex {
    /// The character offset at which each line starts.
    line_starts: Vec<u32>,
    /// The byte offset of every [`CHECKPOINT`]th character.
    checkpoints: Vec<u32>,
    /// The length of the text in characters.
    chars: usize,
}

/// Characters between two byte offsets a [`LineIndex`] keeps.
const CHECKPOINT: usize = 256;

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let offset = |at: usize| u32::try_from(at).expect("documents are smaller than 4 GiB");
        let mut line_starts = vec![0];
        let mut checkpoints = Vec::with_capacity(text.len() / CHECKPOINT + 1);
        let mut chars = 0;
        for (at, c) in text.char_indices() {
            if chars % CHECKPOINT == 0 {
                checkpoints.push(offset(at));
            }
            chars += 1;
            if c == '\n' {
                line_starts.push(offset(chars));
            }
        }
        if chars % CHECKPOINT == 0 {
            checkpoints.push(offset(text.len()));
        }
        LineIndex {
            line_starts,
            checkpoints,
            chars,
        }
    }

    /// The one-based line of an original character offset.
    pub fn line(&self, char_offset: usize) -> usize {
        self.line_starts
            .partition_point(|&start| start as usize <= char_offset)
    }

    /// The byte range in `text` (the text this index was made of) of a character range.
    pub fn bytes(&self, text: &str, chars: Range<usize>) -> Range<usize> {
        let byte = |c: usize| {
            let c = c.min(self.chars);
            let from = self.checkpoints[c / CHECKPOINT] as usize;
            text[from..]
                .char_indices()
                .nth(c % CHECKPOINT)
                .map_or(text.len(), |(at, _)| from + at)
        };
        byte(chars.start)..byte(chars.end.max(chars.start))
    }
}

/// Accumulates the normal form and its map back to the original.
struct Builder {
    text: String,
    origin: Vec<u32>,
    in_space: bool,
}

impl Builder {
    /// Appends one base character with its combining marks, which start at original
    /// character `start`.
    fn flush(&mut self, group: &str, start: u32) {
        if let [byte] = group.as_bytes() {
            // A lone ASCII character is its own normal form.
            self.push(char::from(*byte), start);
        } else {
            for c in group.nfc() {
                self.push(c, start);
            }
        }
    }

    /// Appends ASCII characters, each its own group, the first at original character `start`.
    fn push_ascii(&mut self, run: &str, start: u32) {
        let mut taken = 0;
        for (i, &byte) in run.as_bytes().iter().enumerate() {
            if ascii_space(byte) {
                if taken < i {
                    self.push_word(&run[taken..i], start + offset(taken));
                }
                taken = i + 1;
                if !self.in_space {
                    self.in_space = true;
                    self.text.push(' ');
                    self.origin.push(start + offset(i));
                }
            }
        }
        if taken < run.len() {
            self.push_word(&run[taken..], start + offset(taken));
        }
    }

    /// Appends ASCII characters without white space, the first at original character `start`.
    fn push_word(&mut self, word: &str, start: u32) {
        self.in_space = false;
        self.text.push_str(word);
        self.origin.extend(start..start + offset(word.len()));
    }

    fn push(&mut self, c: char, start: u32) {
        let Some(c) = fold(c) else { return };
        if c.is_whitespace() {
            if !self.in_space {
                self.in_space = true;
                self.text.push(' ');
                self.origin.push(start);
            }
        } else {
            self.in_space = false;
            self.text.push(c);
            self.origin.extend(std::iter::repeat_n(start, c.len_utf8()));
        }
    }
}

/// The length of the ASCII run `bytes` starts with, less its last character when a non-ASCII
/// character (perhaps a combining mark) follows it.
fn ascii_run(bytes: &[u8]) -> usize {
    let run = bytes
        .iter()
        .position(|b| !b.is_ascii())
        .unwrap_or(bytes.len());
    if run < bytes.len() {
        run.saturating_sub(1)
    } else {
        run
    }
}

/// The ASCII characters that [`char::is_whitespace`] calls white space (the vertical tab too,
/// which [`u8::is_ascii_whitespace`] leaves out).
fn ascii_space(byte: u8) -> bool {
    matches!(byte, b'\t'..=b'\r' | b' ')
}

/// A byte offset into an ASCII run, which is also its character offset.
fn offset(bytes: usize) -> u32 {
    u32::try_from(bytes).expect("documents are smaller than 4 GiB")
}

/// The normal form of a short text such as a quote or a name, trimmed.
pub fn normalize(text: &str) -> String {
    // Most quotes and names are printable ASCII with single spaces between words: their own
    // normal form.
    let plain = text
        .bytes()
        .all(|b| b.is_ascii() && (b == b' ' || !ascii_space(b)))
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ");
    if plain {
        return text.to_owned();
    }
    NormalizedText::new(text).text.trim().to_owned()
}

/// Folds typographic punctuation to ASCII; `None` drops an invisible character.
fn fold(c: char) -> Option<char> {
    Some(match c {
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}'
        | '\u{2033}' | '\u{301D}' | '\u{301E}' | '\u{301F}' | '\u{FF02}' => '"',
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2039}' | '\u{203A}'
        | '\u{2032}' | '\u{FF07}' => '\'',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        '\u{00AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}' => return None,
        c => c,
    })
}

/// Characters that must not appear in curated text: control characters other than tab and
/// newline, and the bidirectional controls that can make text display differently from what
/// it says.
pub fn forbidden_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t' && c != '\r')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(text: &str, chars: Range<usize>) -> String {
        text.chars()
            .skip(chars.start)
            .take(chars.end - chars.start)
            .collect()
    }

    #[test]
    fn typographic_quotes_dashes_and_spaces_fold() {
        let doc = "Hij zei: „Wij  kunnen\nleden zijn” – of niet. Li’s vlog";
        let text = NormalizedText::new(doc);
        assert_eq!(
            text.text,
            "Hij zei: \"Wij kunnen leden zijn\" - of niet. Li's vlog"
        );
        let found = text.find(&normalize("\"Wij kunnen leden zijn\"")).unwrap();
        assert_eq!(slice(doc, found), "„Wij  kunnen\nleden zijn”");
        let found = text.find("Li's").unwrap();
        assert_eq!(slice(doc, found), "Li’s");
    }

    #[test]
    fn decomposed_text_matches_composed_quote_and_maps_back() {
        // "Oekraïne" with a combining diaeresis in the document.
        let doc = "volgens Oekrai\u{0308}ne in het leger";
        let text = NormalizedText::new(doc);
        let found = text.find("Oekraïne in").unwrap();
        assert_eq!(slice(doc, found), "Oekrai\u{0308}ne in");
    }

    /// ASCII goes in by runs: white space in a run (the vertical tab too) still folds to one
    /// space, and a combining mark after a run still joins the run's last letter.
    #[test]
    fn ascii_runs_fold_white_space_and_keep_a_following_combining_mark() {
        let doc = "a\u{0B}\u{0B} b cafe\u{0301} x";
        let text = NormalizedText::new(doc);
        assert_eq!(text.text, "a b café x");
        assert_eq!(text.find("b"), Some(4..5));
        let found = text.find("café x").unwrap();
        assert_eq!(slice(doc, found), "cafe\u{0301} x");
        // Short texts that are their own normal form are taken as they are; the others not.
        assert_eq!(normalize("Kim Jong-un"), "Kim Jong-un");
        assert_eq!(normalize(" Kim  Jong-un\u{0B}"), "Kim Jong-un");
        assert_eq!(normalize("Kim\tJong"), "Kim Jong");
    }

    #[test]
    fn closest_passage_points_at_the_nearest_words() {
        let doc = "Erst dies. Die russischen Behörden haben 18 Soldaten festgenommen. Dann das.";
        let text = NormalizedText::new(doc);
        let (range, score) = text
            .closest("Die russischen Behörden haben 19 Soldaten festgenommen.")
            .unwrap();
        assert!(score > 0.9, "{score}");
        assert_eq!(
            slice(doc, range),
            "Die russischen Behörden haben 18 Soldaten festgenommen."
        );
        assert!(text.closest("völlig anderes").is_none());
    }

    #[test]
    fn closest_passage_ignores_case_diacritics_and_punctuation() {
        let doc = "Erst dies. Die russischen Behörden haben 18 Soldaten festgenommen. Dann das.";
        let text = NormalizedText::new(doc);
        let (range, _) = text.closest("DIE RUSSISCHEN BEHORDEN").unwrap();
        assert_eq!(slice(doc, range), "Die russischen Behörden");
        // Short and common words count too.
        let (range, _) = text.closest("Dann das!").unwrap();
        assert_eq!(slice(doc, range), "Dann das.");
    }

    #[test]
    fn closest_passage_survives_added_and_dropped_words() {
        let doc = "One two three. The quick brown fox jumps over the lazy dog. Four five six.";
        let text = NormalizedText::new(doc);
        let (range, score) = text
            .closest("The quick brown old fox jumps over the dog.")
            .unwrap();
        assert_eq!(
            slice(doc, range.clone()),
            "The quick brown fox jumps over the lazy dog."
        );
        assert!(score > 0.7, "{score}");
    }

    #[test]
    fn closest_passage_of_a_long_quote_is_found_in_a_long_document() {
        // Words that repeat, as names and numbers in prose do: each a few dozen times.
        let words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"];
        let doc: String = (0..60_000)
            .map(|i| format!("{}{} ", words[i % 7], i % 997))
            .collect();
        let text = NormalizedText::new(&doc);
        let start = doc.char_indices().nth(200_000).unwrap().0;
        let start = start + doc[start..].find(' ').unwrap() + 1;
        let passage = &doc[start..start + 50_000];
        let passage = &passage[..passage.rfind(' ').unwrap()];
        // Every tenth word changed: near the passage, but not in the document.
        let needle: Vec<String> = passage
            .split(' ')
            .enumerate()
            .map(|(i, w)| {
                if i % 10 == 3 {
                    format!("x{w}")
                } else {
                    w.to_owned()
                }
            })
            .collect();
        let needle = needle.join(" ");
        assert!(!doc.contains(&needle));
        let (range, score) = text.closest(&needle).unwrap();
        let found = slice(&doc, range);
        assert_eq!(found, passage);
        assert!(score > 0.9, "{score}");
    }

    #[test]
    fn forbidden_characters() {
        assert!(forbidden_char('\u{202E}'));
        assert!(forbidden_char('\u{0007}'));
        assert!(!forbidden_char('\n'));
        assert!(!forbidden_char('é'));
    }

    #[test]
    fn line_index_converts_characters_to_lines_and_bytes() {
        let text = "aé b\nčd\n".repeat(200);
        let lines = LineIndex::new(&text);
        assert_eq!(lines.bytes(&text, 1..3), 1..4);
        assert_eq!(lines.bytes(&text, 4..4), 5..5);
        assert_eq!(lines.line(0), 1);
        assert_eq!(lines.line(5), 2);
        // Past the first checkpoint: the 151st copy of the eight characters.
        let at = 150 * 8 + 5;
        let bytes = lines.bytes(&text, at..at + 2);
        assert_eq!(&text[bytes], "čd");
        assert_eq!(lines.line(at), 302);
        let end = text.chars().count();
        assert_eq!(lines.bytes(&text, end..end), text.len()..text.len());
    }
}
