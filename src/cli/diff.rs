//! `claimgraph diff OLD [NEW]`: what changed between two versions of the data, as a report in
//! plain text, Markdown (to paste into a review) or JSON; exit code 0 when nothing changed, 1
//! when something did, 2 when the comparison could not run.

use std::io::{self, Write};
use std::path::PathBuf;

use super::{EXIT_DATA_ERRORS, EXIT_OK, failure};
use crate::diff::compare::{ClaimSummary, FieldChange, RecordChanges, VoiceChange};
use crate::diff::{self, Changes, Folders, Side};
use crate::model::hidden;
use similar::ChangeTag;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Plain text for a terminal
    #[default]
    Table,
    /// Markdown, to paste as a review comment
    Markdown,
    /// One JSON object: every change and every effect on the analysis
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The version before: a database file, or a git revision of the repository the data is
    /// in (`main`, `HEAD~3`, a commit)
    pub old: String,
    /// The version after, as OLD; without it, the data and seeds folders as they are now
    pub new: Option<String>,
    /// Folder of curated TOML files (at a revision: that folder as it was then)
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
    /// Folder of source documents
    #[arg(long, default_value = "seeds")]
    pub seeds: PathBuf,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub fn run(args: &Args) -> u8 {
    let old = Side::parse(&args.old);
    let new = args.new.as_deref().map_or(Side::WorkingTree, Side::parse);
    let folders = Folders {
        data: &args.data,
        seeds: &args.seeds,
    };
    // Each side's scratch folder holds the database built from it until the report is made.
    let read = |side: &Side| -> Result<(diff::Snapshot, PathBuf, tempfile::TempDir), String> {
        let scratch = tempfile::tempdir().map_err(|e| format!("a temporary folder: {e}"))?;
        let (snapshot, db) =
            diff::sides::read(side, folders, scratch.path()).map_err(|e| e.to_string())?;
        Ok((snapshot, db, scratch))
    };
    let ((before, old_db, _old_scratch), (after, new_db, _new_scratch)) =
        match (read(&old), read(&new)) {
            (Ok(before), Ok(after)) => (before, after),
            (Err(e), _) | (_, Err(e)) => return failure(&e),
        };
    let mut changes = diff::compare(&before, &after);
    if let Err(e) = diff::compare::document_texts(&mut changes, &old_db, &new_db) {
        return failure(&e);
    }
    let mut out = io::stdout().lock();
    let written = match args.format {
        Format::Json => {
            let report = serde_json::json!({
                "old": old.describe(),
                "new": new.describe(),
                "changed": !changes.is_empty(),
                "changes": changes,
            });
            serde_json::to_writer_pretty(&mut out, &report)
                .map_err(io::Error::from)
                .and_then(|()| writeln!(out))
        }
        Format::Table => write!(out, "{}", render(&changes, [&old, &new], Style::Text)),
        Format::Markdown => write!(out, "{}", render(&changes, [&old, &new], Style::Markdown)),
    };
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => return failure(&e),
    }
    if changes.is_empty() {
        EXIT_OK
    } else {
        EXIT_DATA_ERRORS
    }
}

/// How the report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Text,
    Markdown,
}

/// A report being written, in one style.
struct Report {
    style: Style,
    text: String,
}

impl Report {
    fn heading(&mut self, text: &str) {
        match self.style {
            Style::Text => self.text.push_str(&format!("\n{text}\n")),
            Style::Markdown => self.text.push_str(&format!("\n#### {text}\n\n")),
        }
    }

    fn item(&mut self, marker: &str, text: &str) {
        match self.style {
            Style::Text => self.text.push_str(&format!("  {marker} {text}\n")),
            Style::Markdown => self
                .text
                .push_str(&format!("- {} {text}\n", markdown_marker(marker))),
        }
    }

    fn detail(&mut self, text: &str) {
        match self.style {
            Style::Text => self.text.push_str(&format!("      {text}\n")),
            Style::Markdown => self.text.push_str(&format!("  - {text}\n")),
        }
    }

    /// A quote from a document: its line breaks are white space, as when it is matched.
    fn quote(&mut self, text: &str) {
        let text = text.replace(['\r', '\n'], " ");
        match self.style {
            Style::Text => self
                .text
                .push_str(&format!("      “{}”\n", self.words(&text))),
            Style::Markdown => {
                let words = self.words(&text);
                self.text
                    .push_str(&format!("  > {}\n", markdown_line_start(&words)));
            }
        }
    }

    /// Words from the data (a name, a statement, a file): on one line, and in Markdown as
    /// text, never as markup (`*`, `_`, `<b>`, `[a](b)`, `|` are shown as they are written).
    fn words(&self, text: &str) -> String {
        let line = one_line(text);
        match self.style {
            Style::Text => line,
            Style::Markdown => {
                let mut escaped = String::with_capacity(line.len());
                for c in line.chars() {
                    if MARKDOWN_PUNCTUATION.contains(c) {
                        escaped.push('\\');
                    }
                    escaped.push(c);
                }
                escaped
            }
        }
    }

    /// An id or a value as code: in Markdown a code span fenced by more backticks than it
    /// holds in a row, so that a backtick in the value cannot end it.
    fn code(&self, text: &str) -> String {
        let line = one_line(text);
        match self.style {
            Style::Text => line,
            Style::Markdown if line.is_empty() => "(empty)".to_owned(),
            Style::Markdown => {
                let mut longest = 0;
                let mut run = 0;
                for c in line.chars() {
                    run = if c == '`' { run + 1 } else { 0 };
                    longest = longest.max(run);
                }
                let fence = "`".repeat(longest + 1);
                // A space inside each end keeps a backtick at the edge out of the fence, and
                // is taken off again by the reader (CommonMark, "Code spans").
                let pad = line.starts_with('`')
                    || line.ends_with('`')
                    || (line.starts_with(' ') && line.ends_with(' ') && line.trim() != "");
                let pad = if pad { " " } else { "" };
                format!("{fence}{pad}{line}{pad}{fence}")
            }
        }
    }
}

/// The ASCII punctuation that can start or end Markdown markup inside a line (GitHub's
/// dialect: tables' `|`, strike-through's `~`), backslash-escaped in words from the data.
const MARKDOWN_PUNCTUATION: &str = "\\`*_[]<>|~#&!";

/// Text from the data on one line: a line break is shown as `↵`, a tab as a space, and any
/// other control or invisible format character (a terminal's escape sequence among them) by its
/// code point, `\u{1b}`, so that what the data holds can neither break the report's layout nor
/// drive the terminal.
fn one_line(text: &str) -> String {
    let breaks = text.replace("\r\n", "↵").replace(['\n', '\r'], "↵");
    hidden::escape(&breaks.replace('\t', " "))
}

/// A blockquote's line that would open a list, a heading or a rule when it starts with `-`,
/// `+`, `=` or `12.`, with that first mark escaped.
fn markdown_line_start(line: &str) -> String {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let after = line[digits..].chars().next();
    if line.starts_with(['-', '+', '=']) {
        format!("\\{line}")
    } else if digits > 0 && matches!(after, Some('.' | ')')) {
        format!("{}\\{}", &line[..digits], &line[digits..])
    } else {
        line.to_owned()
    }
}

fn markdown_marker(marker: &str) -> &'static str {
    match marker {
        "+" => "**added**",
        "-" => "**removed**",
        "~" => "**changed**",
        "!" => "**conflict**",
        "✓" => "**resolved**",
        _ => "",
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn value(report: &Report, value: Option<&String>) -> String {
    value.map_or_else(|| "(none)".to_owned(), |v| report.code(v))
}

/// Changed passages of a document's text shown in the text and Markdown reports; the JSON
/// report holds them all.
const PASSAGES_SHOWN: usize = 20;

fn fields(report: &mut Report, fields: &[FieldChange]) {
    let passage = |f: &&FieldChange| f.field.starts_with("text, ");
    let passages = fields.iter().filter(passage).count();
    let mut shown = 0;
    for field in fields {
        if passage(&field) {
            shown += 1;
            if shown > PASSAGES_SHOWN {
                continue;
            }
        }
        let name = report.words(&field.field);
        let line = match (&field.old, &field.new) {
            (Some(old), Some(new)) if let Some(words) = word_diff(report, old, new) => {
                format!("{name}: {words}")
            }
            (old, new) => format!(
                "{name}: {} → {}",
                value(report, old.as_ref()),
                value(report, new.as_ref())
            ),
        };
        report.detail(&line);
    }
    if passages > PASSAGES_SHOWN {
        let more = passages - PASSAGES_SHOWN;
        report.detail(&format!(
            "… {} more changed {} of the text (all in `--format json`)",
            more,
            if more == 1 { "passage" } else { "passages" }
        ));
    }
}

/// A changed text this long or longer (in characters, on either side) is shown as the words
/// that changed, in their context: a note of three sentences with one word changed is not
/// printed twice.
const WORD_DIFF_FROM: usize = 80;
/// Texts longer than this are shown whole: comparing them word by word takes time in the
/// product of their lengths in the worst case.
const WORD_DIFF_UP_TO: usize = 20_000;
/// Unchanged words kept on each side of a change.
const CONTEXT_WORDS: usize = 6;

/// The words that changed from `old` to `new`, among the unchanged ones around them: in text
/// `[-removed-]{+added+}` (as `git diff --word-diff=plain` marks them), in Markdown
/// `<del>removed</del><ins>added</ins>`; a longer unchanged run is cut to `…`. `None` for texts
/// short enough to show whole, too long to compare, of one word (an id, a number), or
/// rewritten rather than edited (fewer than a third of the words kept), which read better whole.
fn word_diff(report: &Report, old: &str, new: &str) -> Option<String> {
    let longest = old.chars().count().max(new.chars().count());
    let prose = |text: &str| text.split_whitespace().nth(1).is_some();
    if !(WORD_DIFF_FROM..=WORD_DIFF_UP_TO).contains(&longest) || !prose(old) || !prose(new) {
        return None;
    }
    let chunks = word_chunks(old, new);
    let kept: usize = chunks
        .iter()
        .map(|c| match c {
            Chunk::Same(text) => text.split_whitespace().count(),
            Chunk::Changed { .. } => 0,
        })
        .sum();
    // A change of white space alone, or one that adds or removes a line break, would not show
    // between the marks: such texts are shown whole, their line breaks as `↵`.
    let unseen = chunks.iter().any(|c| match c {
        Chunk::Same(_) => false,
        Chunk::Changed { removed, added } => {
            (removed.trim().is_empty() && added.trim().is_empty())
                || [removed, added].iter().any(|t| t.contains(['\n', '\r']))
        }
    });
    if unseen || kept * 3 < new.split_whitespace().count() {
        return None;
    }
    let last = chunks.len() - 1;
    let mut out = String::new();
    for (i, chunk) in chunks.iter().enumerate() {
        match chunk {
            Chunk::Same(text) => out.push_str(&report.words(&context(text, i == 0, i == last))),
            Chunk::Changed { removed, added } => {
                // White space at either end of a change stays outside its marks.
                let spaced = |edge: fn(&str) -> Option<char>| {
                    let spaced = [removed, added]
                        .iter()
                        .any(|t| edge(t).is_some_and(char::is_whitespace));
                    if spaced { " " } else { "" }
                };
                out.push_str(spaced(|t| t.chars().next()));
                let (removed, added) = (removed.trim(), added.trim());
                if !removed.is_empty() {
                    let words = report.words(removed);
                    out.push_str(&match report.style {
                        Style::Text => format!("[-{words}-]"),
                        Style::Markdown => format!("<del>{words}</del>"),
                    });
                }
                if !added.is_empty() {
                    let words = report.words(added);
                    out.push_str(&match report.style {
                        Style::Text => format!("{{+{words}+}}"),
                        Style::Markdown => format!("<ins>{words}</ins>"),
                    });
                }
                out.push_str(spaced(|t| t.chars().next_back()));
            }
        }
    }
    Some(out)
}

/// A stretch of a word diff: words both texts have, or what one removed and the other added
/// in their place.
enum Chunk {
    Same(String),
    Changed { removed: String, added: String },
}

/// Unchanged runs this short (in words) between two changes are folded into one change:
/// `[-a-]{+b+} the [-c-]{+d+}` reads `[-a the c-]{+b the d+}`.
const FOLDED_WORDS: usize = 2;

/// `old` and `new` compared word by word (white space between words is a token of its own),
/// in chunks, with short unchanged runs between two changes folded into them.
fn word_chunks(old: &str, new: &str) -> Vec<Chunk> {
    let diff = similar::TextDiff::from_words(old, new);
    let mut chunks: Vec<Chunk> = Vec::new();
    for change in diff.iter_all_changes() {
        let token = change.value();
        if change.tag() == ChangeTag::Equal {
            match chunks.last_mut() {
                Some(Chunk::Same(text)) => text.push_str(token),
                _ => chunks.push(Chunk::Same(token.to_owned())),
            }
            continue;
        }
        // A change after a short unchanged run after a change: the three become one.
        let folds = match chunks.as_slice() {
            [.., Chunk::Changed { .. }, Chunk::Same(between)] => {
                between.split_whitespace().count() <= FOLDED_WORDS
            }
            _ => false,
        };
        if folds
            && let Some(Chunk::Same(between)) = chunks.pop()
            && let Some(Chunk::Changed { removed, added }) = chunks.last_mut()
        {
            removed.push_str(&between);
            added.push_str(&between);
        }
        if !matches!(chunks.last(), Some(Chunk::Changed { .. })) {
            chunks.push(Chunk::Changed {
                removed: String::new(),
                added: String::new(),
            });
        }
        if let Some(Chunk::Changed { removed, added }) = chunks.last_mut() {
            match change.tag() {
                ChangeTag::Delete => removed.push_str(token),
                _ => added.push_str(token),
            }
        }
    }
    chunks
}

/// An unchanged run cut to the words next to the changes: the last words of a run that opens
/// the text, the first of one that ends it, both ends of one between two changes. White space
/// counts as no word.
fn context(text: &str, opens: bool, ends: bool) -> String {
    let tokens: Vec<&str> = text.split_inclusive(char::is_whitespace).collect();
    // Where each word is among the tokens.
    let words: Vec<usize> = (0..tokens.len())
        .filter(|&i| !tokens[i].trim().is_empty())
        .collect();
    let n = CONTEXT_WORDS;
    // The tokens up to and with the `n`th word, and from the `n`th word from the end.
    let head = || tokens[..=words[n - 1]].concat();
    let tail = || tokens[words[words.len() - n]..].concat();
    let words = words.len();
    match (opens, ends) {
        (true, false) if words > n => format!("… {}", tail()),
        (false, true) if words > n => format!("{}…", head()),
        (false, false) if words > 2 * n + 1 => format!("{}… {}", head(), tail()),
        _ => text.to_owned(),
    }
}

fn records(report: &mut Report, title: &str, changes: &RecordChanges) {
    if changes.is_empty() {
        return;
    }
    report.heading(&format!(
        "{title}: {} added, {} removed, {} changed",
        changes.added.len(),
        changes.removed.len(),
        changes.changed.len()
    ));
    for r in &changes.added {
        let line = format!(
            "{} {} “{}” ({})",
            r.kind,
            report.code(&r.id),
            report.words(&r.name),
            report.words(&r.at)
        );
        report.item("+", &line);
    }
    for r in &changes.removed {
        let line = format!(
            "{} {} “{}”",
            r.kind,
            report.code(&r.id),
            report.words(&r.name)
        );
        report.item("-", &line);
    }
    for c in &changes.changed {
        let r = &c.record;
        let line = format!(
            "{} {} “{}” ({})",
            r.kind,
            report.code(&r.id),
            report.words(&r.name),
            report.words(&r.at)
        );
        report.item("~", &line);
        fields(report, &c.fields);
    }
}

/// A claim in one line: its id and document, who says it citing whom, what it says, whether
/// the document hedges it and when it happened.
fn claim_line(report: &Report, claim: &ClaimSummary) -> String {
    let mut line = format!(
        "{} in {}, by {}: {}",
        report.code(&claim.id),
        report.code(&claim.document),
        report.words(&claim.attribution),
        report.words(&claim.statement)
    );
    if claim.hedged {
        line.push_str(" (hedged)");
    }
    if let Some(when) = &claim.when {
        line.push_str(&format!(" (when: {})", report.words(when)));
    }
    line
}

fn voices(report: &mut Report, title: &str, marker: &str, changes: &[VoiceChange]) {
    if changes.is_empty() {
        return;
    }
    report.heading(&format!("{title} ({})", changes.len()));
    for v in changes {
        let old = plural(usize::try_from(v.old).unwrap_or(0), "voice", "voices");
        let new = plural(usize::try_from(v.new).unwrap_or(0), "voice", "voices");
        let statement = report.words(&v.statement);
        let mut line = if v.old == v.new && v.gained.is_empty() && v.lost.is_empty() {
            // Only its wording moved (two entities merged): the same voices say it.
            format!("{statement}: worded anew, {new} as before")
        } else {
            format!("{statement}: {old} → {new}")
        };
        if v.single_voice_now {
            line.push_str(", now resting on a single voice");
        }
        report.item(marker, &line);
        if let Some(was) = &v.was {
            report.detail(&format!("was: {}", report.words(was)));
        }
        if !v.gained.is_empty() {
            report.detail(&format!("gained: {}", report.words(&v.gained.join(", "))));
        }
        if !v.lost.is_empty() {
            report.detail(&format!("lost: {}", report.words(&v.lost.join(", "))));
        }
    }
}

/// A side of the comparison as the report's title names it, a revision or file as code.
fn side(report: &Report, side: &Side) -> String {
    match side {
        Side::Database(path) => report.code(&path.display().to_string()),
        Side::Revision(rev) => format!("revision {}", report.code(rev)),
        Side::WorkingTree => "the working tree".to_owned(),
    }
}

fn render(changes: &Changes, [old, new]: [&Side; 2], style: Style) -> String {
    let mut report = Report {
        style,
        text: String::new(),
    };
    let title = format!("{} → {}", side(&report, old), side(&report, new));
    match style {
        Style::Text => report.text.push_str(&format!("claimgraph diff: {title}\n")),
        Style::Markdown => report
            .text
            .push_str(&format!("### claimgraph diff: {title}\n")),
    }
    if changes.is_empty() {
        report.text.push_str(match style {
            Style::Text => "\nno change to the records or the analysis\n",
            Style::Markdown => "\nNo change to the records or the analysis.\n",
        });
        return report.text;
    }
    records(&mut report, "Entities", &changes.entities);
    records(&mut report, "Sources", &changes.sources);
    records(&mut report, "Predicates", &changes.predicates);

    let claims = &changes.claims;
    if !(claims.added.is_empty() && claims.removed.is_empty() && claims.changed.is_empty()) {
        report.heading(&format!(
            "Claims: {} added, {} removed, {} changed",
            claims.added.len(),
            claims.removed.len(),
            claims.changed.len()
        ));
        for (marker, list) in [("+", &claims.added), ("-", &claims.removed)] {
            for c in list {
                let mut line = claim_line(&report, &c.claim);
                if marker == "+" {
                    line.push_str(&format!(" ({})", report.words(&c.claim.at)));
                }
                report.item(marker, &line);
                if let Some(note) = c.fields.get("note") {
                    let note = format!("note: {}", report.words(note));
                    report.detail(&note);
                }
                report.quote(&c.claim.quote);
            }
        }
        for c in &claims.changed {
            let mut line = format!(
                "{} ({})",
                claim_line(&report, &c.claim),
                report.words(&c.claim.at)
            );
            if c.old_id != c.claim.id {
                line.push_str(&format!(", was {}", report.code(&c.old_id)));
            }
            report.item("~", &line);
            fields(&mut report, &c.fields);
            report.quote(&c.claim.quote);
        }
    }

    let analysis = &changes.analysis;
    if !analysis.is_empty() {
        match style {
            Style::Text => report.text.push_str("\nWhat it did to the analysis\n"),
            Style::Markdown => report.text.push_str("\n### What it did to the analysis\n"),
        }
    }
    for (title, list, marker) in [
        ("Conflicts appeared", &analysis.conflicts_appeared, "!"),
        ("Conflicts resolved", &analysis.conflicts_resolved, "✓"),
    ] {
        if list.is_empty() {
            continue;
        }
        report.heading(&format!("{title} ({})", list.len()));
        for c in list {
            let line = format!("{} ({})", report.words(&c.reason), report.words(&c.detail));
            report.item(marker, &line);
            let a = claim_line(&report, &c.a);
            let b = claim_line(&report, &c.b);
            report.detail(&a);
            report.detail(&b);
        }
    }
    voices(
        &mut report,
        "Statements whose independent voices or wording changed",
        "~",
        &analysis.voices_changed,
    );
    voices(&mut report, "New statements", "+", &analysis.statements_new);
    voices(
        &mut report,
        "Statements no claim makes any more",
        "-",
        &analysis.statements_gone,
    );
    for (title, list, marker) in [
        (
            "Circular reporting appeared",
            &analysis.circular_appeared,
            "!",
        ),
        ("Circular reporting gone", &analysis.circular_gone, "✓"),
    ] {
        if list.is_empty() {
            continue;
        }
        report.heading(&format!("{title} ({})", list.len()));
        for statement in list {
            let line = report.words(statement);
            report.item(marker, &line);
        }
    }
    for (title, list, marker) in [
        (
            "Origins now a party to what they report",
            &analysis.interested_appeared,
            "!",
        ),
        (
            "Origins no longer a party to what they report",
            &analysis.interested_gone,
            "✓",
        ),
    ] {
        if list.is_empty() {
            continue;
        }
        report.heading(&format!("{title} ({})", list.len()));
        for flag in list {
            let line = format!(
                "{}: {}",
                report.words(&flag.origin),
                claim_line(&report, &flag.claim)
            );
            report.item(marker, &line);
        }
    }
    for (title, list, marker) in [
        (
            "Names no claim of their document uses",
            &analysis.mentions_unlinked,
            "+",
        ),
        (
            "Names now used by a claim of their document, or gone",
            &analysis.mentions_linked,
            "-",
        ),
    ] {
        if list.is_empty() {
            continue;
        }
        report.heading(&format!("{title} ({})", list.len()));
        for m in list {
            let line = format!(
                "{} ({}) in {}",
                report.words(&m.name),
                report.code(&m.entity),
                report.code(&m.document)
            );
            report.item(marker, &line);
        }
    }
    report.text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(old: &str, new: &str) -> Option<String> {
        let report = Report {
            style: Style::Text,
            text: String::new(),
        };
        word_diff(&report, old, new)
    }

    const LONG: &str = "The article says the eighteen soldiers left their unit near the border \
                        and have not been caught, citing no source for it.";

    #[test]
    fn six_words_of_context_stand_on_each_side_of_a_change() {
        let new = LONG.replace("eighteen", "18");
        assert_eq!(
            text(LONG, &new).unwrap(),
            "The article says the [-eighteen-]{+18+} soldiers left their unit near the …"
        );
        let new = LONG.replace("border", "frontier");
        assert_eq!(
            text(LONG, &new).unwrap(),
            "… soldiers left their unit near the [-border-]{+frontier+} and have not been caught, \
             citing …"
        );
    }

    #[test]
    fn a_line_break_or_white_space_changed_is_shown_whole_not_hidden_between_marks() {
        assert_eq!(text(LONG, &format!("{LONG}\n- a second line")), None);
        assert_eq!(text(LONG, &LONG.replace("their unit", "their  unit")), None);
        assert_eq!(text(LONG, &LONG.replace("the border", "the\nborder")), None);
        // Short values and rewrites are shown whole too.
        assert_eq!(text("ten soldiers", "eleven soldiers"), None);
        assert_eq!(
            text(
                LONG,
                "Nothing of the kind was said in any of the five documents."
            ),
            None
        );
    }
}
