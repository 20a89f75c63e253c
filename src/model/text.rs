//! Text normalisation for matching quotes and names against documents, with a map back to
//! character offsets in the original text.
//!
//! Both sides are compared in one normal form: Unicode NFC, typographic quotes, apostrophes and
//! dashes folded to ASCII (normalisation forms alone keep them apart), invisible soft hyphens
//! and zero-width characters dropped, and runs of white space read as one space.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

/// A document in normal form, with the original character offset of every byte.
#[derive(Debug)]
pub struct NormalizedText {
    pub text: String,
    /// `origin[b]` is the original character offset of the text that byte `b` came from;
    /// `origin[text.len()]` is the original length in characters.
    origin: Vec<u32>,
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
        for c in original.chars() {
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
    /// character range and its similarity (0 to 1).
    ///
    /// Candidates are the places where a run of the needle's words occurs (longest runs first),
    /// so the search costs a few substring scans, not a comparison at every offset.
    pub fn closest(&self, needle: &str) -> Option<(Range<usize>, f64)> {
        let words: Vec<(usize, &str)> = needle
            .split(' ')
            .scan(0usize, |offset, word| {
                let start = *offset;
                *offset += word.len() + 1;
                Some((start, word))
            })
            .filter(|(_, w)| !w.is_empty())
            .collect();
        let mut candidates: Vec<usize> = Vec::new();
        for run in (1..=words.len().min(3)).rev() {
            for window in words.windows(run) {
                let (offset, _) = window[0];
                let last = window[run - 1];
                let phrase = &needle[offset..last.0 + last.1.len()];
                if run == 1 && phrase.chars().count() < 4 {
                    continue;
                }
                for (at, _) in self.text.match_indices(phrase).take(20) {
                    if let Some(start) = at.checked_sub(offset)
                        && self.text.is_char_boundary(start)
                    {
                        candidates.push(start);
                    } else {
                        candidates.push(at);
                    }
                }
                if candidates.len() >= 50 {
                    break;
                }
            }
            if !candidates.is_empty() {
                break;
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let needle_chars = needle.chars().count();
        candidates
            .into_iter()
            .map(|start| {
                let end = self.text[start..]
                    .char_indices()
                    .nth(needle_chars)
                    .map_or(self.text.len(), |(i, _)| start + i);
                let score = strsim::normalized_levenshtein(&self.text[start..end], needle);
                // A passage that starts or ends inside white space reads better trimmed.
                let passage = &self.text[start..end];
                let start = start + (passage.len() - passage.trim_start().len());
                let end = end - (passage.len() - passage.trim_end().len());
                (start..end.max(start), score)
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.start.cmp(&a.0.start)))
            .map(|(bytes, score)| (self.original_chars(bytes), score))
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

/// The normal form of a short text such as a quote or a name, trimmed.
pub fn normalize(text: &str) -> String {
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

/// Converts a character range of `text` into a byte range.
pub fn char_range_to_bytes(text: &str, chars: Range<usize>) -> Range<usize> {
    let mut indices = text.char_indices().map(|(i, _)| i).chain([text.len()]);
    let start = indices.nth(chars.start).unwrap_or(text.len());
    let end = if chars.end > chars.start {
        indices
            .nth(chars.end - chars.start - 1)
            .unwrap_or(text.len())
    } else {
        start
    };
    start..end
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
    fn forbidden_characters() {
        assert!(forbidden_char('\u{202E}'));
        assert!(forbidden_char('\u{0007}'));
        assert!(!forbidden_char('\n'));
        assert!(!forbidden_char('é'));
    }

    #[test]
    fn char_ranges_convert_to_byte_ranges() {
        let text = "aé b";
        assert_eq!(char_range_to_bytes(text, 1..3), 1..4);
        assert_eq!(char_range_to_bytes(text, 4..4), 5..5);
    }
}
