//! "Did you mean …?" for a reference to an id that does not exist, in time that does not grow
//! with the number of ids times the number of misspelt references.
//!
//! The hint is the id closest to the misspelt value by Jaro-Winkler ([`closest`]). Comparing
//! every misspelt value with every id is quadratic: 10,000 misspelt references among 20,000 ids
//! took 70 s. So the ids of a kind are collected and sorted once, each distinct misspelt value
//! is looked up once, and a lookup compares a bounded number of ids: all of them while there
//! are at most [`COMPARE_ALL`], otherwise the [`RANKED`] that share the most character
//! trigrams with the value, found through an index of the ids' trigrams that is read only so
//! far ([`READ_POSTINGS`]). A misspelling keeps most of the trigrams of the id it was meant to
//! be, so the index finds that id; what it can miss is a value that shares no trigram with an
//! id and is still close to it by Jaro-Winkler (`badc` for `abcd`) among more than
//! [`COMPARE_ALL`] ids.

use std::sync::Mutex;

use foldhash::HashMap;

use crate::diagnostic::closest;

/// Up to this many ids, every id is compared with the misspelt value.
pub const COMPARE_ALL: usize = 500;
/// Beyond [`COMPARE_ALL`] ids, how many of those sharing the most trigrams with the value are
/// compared with it.
pub const RANKED: usize = 64;
/// How many entries of the trigram index one lookup reads at most, rarest trigrams first: the
/// common ones (`cou` among 10,000 `country-N`) say little about which id was meant.
pub const READ_POSTINGS: usize = 4096;

/// Three characters, 21 bits each.
type Trigram = u64;

/// The ids of one kind of record (entities, or predicates), for hints.
#[derive(Debug)]
pub struct Suggestions<'a> {
    /// Sorted, so that the index and the ranking are the same from run to run.
    ids: Vec<&'a str>,
    /// For each trigram of the ids (see [`trigrams`]), the positions in `ids` of those that
    /// have it, in order; empty up to [`COMPARE_ALL`] ids.
    index: HashMap<Trigram, Vec<u32>>,
    /// The length in characters of the longest id.
    longest: usize,
    /// The hint found for each misspelt value looked up so far: a value misspelt the same way
    /// a thousand times is looked up once.
    cache: Mutex<HashMap<Box<str>, Option<&'a str>>>,
}

impl<'a> Suggestions<'a> {
    pub fn new(ids: impl Iterator<Item = &'a str>) -> Suggestions<'a> {
        let mut ids: Vec<&str> = ids.collect();
        ids.sort_unstable();
        let mut index: HashMap<Trigram, Vec<u32>> = HashMap::default();
        if ids.len() > COMPARE_ALL {
            let mut grams = Vec::new();
            for (position, id) in ids.iter().enumerate() {
                let position = u32::try_from(position).expect("fewer than 2^32 ids");
                grams.clear();
                grams.extend(trigrams(id));
                grams.sort_unstable();
                grams.dedup();
                for &gram in &grams {
                    index.entry(gram).or_default().push(position);
                }
            }
        }
        let longest = ids.iter().map(|id| id.chars().count()).max().unwrap_or(0);
        Suggestions {
            ids,
            index,
            longest,
            cache: Mutex::default(),
        }
    }

    /// The id to suggest for `value`, if one is close enough.
    pub fn closest(&self, value: &str) -> Option<&'a str> {
        let cache = || {
            self.cache
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
        };
        if let Some(&found) = cache().get(value) {
            return found;
        }
        let found = self.find(value);
        cache().insert(value.into(), found);
        found
    }

    fn find(&self, value: &str) -> Option<&'a str> {
        let length = value.chars().count();
        // Only ids within a factor of ten in length can be close (see `within_reach`): a
        // long value cannot be a misspelt id, and is not compared with any.
        if length > 10 * self.longest {
            return None;
        }
        let near = |id: &&str| within_reach(length, id.chars().count());
        if self.ids.len() <= COMPARE_ALL {
            closest(value, self.ids.iter().copied().filter(near))
        } else {
            let ranked = self.sharing_trigrams(value);
            closest(
                value,
                ranked
                    .into_iter()
                    .map(|position| self.ids[position as usize])
                    .filter(near),
            )
        }
    }

    /// The positions of the [`RANKED`] ids that share the most trigrams with `value` (ties to
    /// the first in order), counted over the value's rarest trigrams up to [`READ_POSTINGS`]
    /// index entries.
    fn sharing_trigrams(&self, value: &str) -> Vec<u32> {
        let mut grams: Vec<Trigram> = trigrams(&value.to_ascii_lowercase()).collect();
        grams.sort_unstable();
        grams.dedup();
        let mut lists: Vec<&[u32]> = grams
            .iter()
            .filter_map(|gram| self.index.get(gram))
            .map(Vec::as_slice)
            .collect();
        lists.sort_by_key(|list| list.len());
        let mut read: Vec<u32> = Vec::with_capacity(READ_POSTINGS);
        for list in lists {
            let room = READ_POSTINGS - read.len();
            read.extend_from_slice(&list[..list.len().min(room)]);
            if read.len() == READ_POSTINGS {
                break;
            }
        }
        // How many of the value's trigrams each id has: the length of its run once sorted.
        read.sort_unstable();
        let mut ranked: Vec<(u32, u32)> = read
            .chunk_by(|a, b| a == b)
            .map(|run| (run[0], run.len() as u32))
            .collect();
        let order = |a: &(u32, u32), b: &(u32, u32)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
        if ranked.len() > RANKED {
            ranked.select_nth_unstable_by(RANKED - 1, order);
            ranked.truncate(RANKED);
        }
        ranked.into_iter().map(|(position, _)| position).collect()
    }
}

/// Whether strings of these lengths (in characters) can be close enough for a hint. strsim's
/// Jaro-Winkler adds its prefix bonus only to a Jaro similarity above 0.7, and without it
/// cannot reach 0.8; Jaro is `(m/a + m/b + (m-t)/m) / 3` with at most `m = min(a, b)` matching
/// characters, so above 0.7 needs `min/max > 0.1`. Exactly a tenth is let through: in floating
/// point, `(1 + 0.1 + 1) / 3` comes out a hair above 0.7.
fn within_reach(a: usize, b: usize) -> bool {
    a.max(b) <= 10 * a.min(b)
}

/// The character trigrams of `text`, padded as PostgreSQL's pg_trgm does (two marks before, one
/// after), so that ids of one or two characters have some.
fn trigrams(text: &str) -> impl Iterator<Item = Trigram> + '_ {
    const MARK: u64 = 0x11_0000;
    let mut window = [MARK, MARK];
    text.chars()
        .map(u64::from)
        .chain(std::iter::once(MARK))
        .map(move |c| {
            let gram = (window[0] << 42) | (window[1] << 21) | c;
            window = [window[1], c];
            gram
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ids such as curated data has (a few words from a list, and a number sometimes), more
    /// than [`COMPARE_ALL`] of them.
    fn realistic_ids() -> Vec<String> {
        let words = [
            "ukraine",
            "russia",
            "north",
            "korea",
            "army",
            "unit",
            "ministry",
            "defence",
            "intelligence",
            "kyiv",
            "independent",
            "brigade",
            "regiment",
            "kursk",
            "region",
            "wagner",
            "deserters",
            "soldiers",
            "recruits",
            "central",
            "asia",
            "china",
            "border",
            "service",
            "security",
            "federal",
            "news",
            "agency",
            "general",
            "staff",
        ];
        let mut ids = Vec::new();
        for (i, a) in words.iter().enumerate() {
            for (j, b) in words.iter().enumerate() {
                if i != j {
                    ids.push(format!("{a}-{b}"));
                    if (i + j) % 3 == 0 {
                        ids.push(format!("{a}-{b}-{}", i * j));
                    }
                }
            }
        }
        ids.sort();
        ids.dedup();
        assert!(ids.len() > COMPARE_ALL, "{}", ids.len());
        ids
    }

    /// One misspelling of each kind a hand makes: a letter dropped, doubled, swapped with the
    /// next, or replaced.
    fn misspellings(id: &str, seed: usize) -> Vec<String> {
        let chars: Vec<char> = id.chars().collect();
        let at = 1 + seed % (chars.len() - 2);
        let mut dropped = chars.clone();
        dropped.remove(at);
        let mut doubled = chars.clone();
        doubled.insert(at, chars[at]);
        let mut swapped = chars.clone();
        swapped.swap(at, at + 1);
        let mut replaced = chars.clone();
        replaced[at] = if chars[at] == 'x' { 'y' } else { 'x' };
        [dropped, doubled, swapped, replaced]
            .into_iter()
            .map(|c| c.into_iter().collect())
            .collect()
    }

    #[test]
    fn the_trigram_index_suggests_what_comparing_every_id_would() {
        let ids = realistic_ids();
        let suggestions = Suggestions::new(ids.iter().map(String::as_str));
        assert!(!suggestions.index.is_empty());
        let mut compared = 0;
        for (seed, id) in ids.iter().enumerate().step_by(7) {
            for value in misspellings(id, seed) {
                if ids.contains(&value) {
                    continue;
                }
                let everywhere = closest(&value, ids.iter().map(String::as_str));
                assert_eq!(suggestions.closest(&value), everywhere, "{value}");
                compared += 1;
            }
        }
        assert!(compared > 600, "{compared}");
    }

    #[test]
    fn a_misspelt_id_among_many_numbered_ones_finds_its_own() {
        let ids: Vec<String> = (0..10_000)
            .flat_map(|i| [format!("country-{i}"), format!("person-{i}")])
            .collect();
        let suggestions = Suggestions::new(ids.iter().map(String::as_str));
        for i in [0, 7, 42, 512, 5123, 9999] {
            assert_eq!(
                suggestions.closest(&format!("contry-{i}")),
                Some(format!("country-{i}").as_str())
            );
        }
    }

    #[test]
    fn lengths_beyond_a_factor_of_ten_are_never_close() {
        // At exactly ten times, rounding lets Jaro-Winkler reach 0.8, so it stays within reach.
        let long = format!("abcd{}", "z".repeat(36));
        assert!(within_reach(4, 40));
        assert!(strsim::jaro_winkler("abcd", &long) >= 0.8);
        assert!(!within_reach(4, 41));
        let longer = format!("{long}z");
        assert!(strsim::jaro_winkler("abcd", &longer) < 0.8);
        let suggestions = Suggestions::new(["abcd"].into_iter());
        assert_eq!(suggestions.closest(&long), Some("abcd"));
        assert_eq!(suggestions.closest(&longer), None);
    }

    #[test]
    fn up_to_compare_all_ids_every_one_is_compared() {
        // Both pairs of letters swapped in a four-letter id: no trigram in common, and still
        // close by Jaro-Winkler.
        let ids = ["abcd", "russia"];
        assert!(trigrams("badc").all(|gram| !trigrams("abcd").any(|g| g == gram)));
        let suggestions = Suggestions::new(ids.into_iter());
        assert_eq!(suggestions.closest("badc"), Some("abcd"));
    }
}
