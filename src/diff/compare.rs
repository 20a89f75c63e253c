//! The comparison of two snapshots: records added, removed and changed by id (a claim whose
//! derived id moved because what it says changed is paired with its old self by document and
//! quote), and what that did to the analysis. Positions are reported, never compared.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;

use super::snapshot::{Claim, DOCUMENT_DIGEST, Record, Snapshot, StatementKey};
use crate::store::{self, StoreError};

/// One field that differs: its value before and after (`None` where it is not given).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// A record as a line of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordSummary {
    pub id: String,
    pub kind: String,
    pub name: String,
    /// `file:line` where it is written (in the newer data for a changed record).
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordChange {
    #[serde(flatten)]
    pub record: RecordSummary,
    pub fields: Vec<FieldChange>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RecordChanges {
    pub added: Vec<RecordSummary>,
    pub removed: Vec<RecordSummary>,
    pub changed: Vec<RecordChange>,
}

impl RecordChanges {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// A claim as a line of the report: what it says, in whose words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimSummary {
    pub id: String,
    /// "Subject not predicate object", with names.
    pub statement: String,
    pub document: String,
    /// The reporter and whom it cites, nearest first: "Reporter <- Cited <- Origin".
    pub attribution: String,
    pub quote: String,
    /// Whether the document hedges it ("reportedly", "is said to").
    pub hedged: bool,
    /// When it happened, as curated.
    pub when: Option<String>,
    pub at: String,
}

/// A claim added or removed: the line of the report, and every curated field of it (ids,
/// stance, citing chain, note), as a changed claim lists the ones that changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimRecord {
    #[serde(flatten)]
    pub claim: ClaimSummary,
    pub fields: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimChange {
    /// The claim as it is now; its id may have moved with what it says.
    #[serde(flatten)]
    pub claim: ClaimSummary,
    pub old_id: String,
    pub fields: Vec<FieldChange>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ClaimChanges {
    pub added: Vec<ClaimRecord>,
    pub removed: Vec<ClaimRecord>,
    pub changed: Vec<ClaimChange>,
}

/// A pair of contradicting claims, worded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConflictSummary {
    pub reason: String,
    pub detail: String,
    pub a: ClaimSummary,
    pub b: ClaimSummary,
}

/// A statement whose independent voices changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VoiceChange {
    pub statement: String,
    /// How the statement was worded before, when the change moved its claims to another
    /// subject, predicate or object (two entities merged, say).
    pub was: Option<String>,
    pub old: i64,
    pub new: i64,
    /// Voices by name.
    pub gained: Vec<String>,
    pub lost: Vec<String>,
    /// Whether it now rests on a single voice and did not before.
    pub single_voice_now: bool,
}

/// A claim whose origin is now a party to what it reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InterestedFlag {
    pub origin: String,
    pub claim: ClaimSummary,
}

/// An entity a document names that none of its claims uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unlinked {
    pub document: String,
    pub entity: String,
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AnalysisChanges {
    pub conflicts_appeared: Vec<ConflictSummary>,
    pub conflicts_resolved: Vec<ConflictSummary>,
    /// Statements that exist on both sides with other voices.
    pub voices_changed: Vec<VoiceChange>,
    /// Statements first made by this change, with their voices.
    pub statements_new: Vec<VoiceChange>,
    /// Statements no claim makes any more.
    pub statements_gone: Vec<VoiceChange>,
    pub circular_appeared: Vec<String>,
    pub circular_gone: Vec<String>,
    pub interested_appeared: Vec<InterestedFlag>,
    pub interested_gone: Vec<InterestedFlag>,
    pub mentions_unlinked: Vec<Unlinked>,
    pub mentions_linked: Vec<Unlinked>,
}

impl AnalysisChanges {
    pub fn is_empty(&self) -> bool {
        self == &AnalysisChanges::default()
    }
}

/// Everything that differs between two versions of the data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    pub entities: RecordChanges,
    pub sources: RecordChanges,
    pub predicates: RecordChanges,
    pub claims: ClaimChanges,
    pub analysis: AnalysisChanges,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self == &Changes::default()
    }
}

fn at(file: &str, line: i64) -> String {
    format!("{file}:{line}")
}

fn summary(id: &str, record: &Record) -> RecordSummary {
    RecordSummary {
        id: id.to_owned(),
        kind: record.kind.clone(),
        name: record.name.clone(),
        at: at(&record.file, record.line),
    }
}

fn field_changes(
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) -> Vec<FieldChange> {
    let names: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    names
        .into_iter()
        .filter(|name| old.get(*name) != new.get(*name))
        .map(|name| FieldChange {
            field: name.clone(),
            old: old.get(name).cloned(),
            new: new.get(name).cloned(),
        })
        .collect()
}

fn records(
    old: &BTreeMap<String, Record>,
    new: &BTreeMap<String, Record>,
    keep: impl Fn(&Record) -> bool,
) -> RecordChanges {
    let mut changes = RecordChanges::default();
    for (id, record) in old.iter().filter(|(_, r)| keep(r)) {
        match new.get(id) {
            None => changes.removed.push(summary(id, record)),
            Some(now) => {
                let mut fields = field_changes(&record.fields, &now.fields);
                if record.kind != now.kind {
                    fields.insert(
                        0,
                        FieldChange {
                            field: "kind".to_owned(),
                            old: Some(record.kind.clone()),
                            new: Some(now.kind.clone()),
                        },
                    );
                }
                if !fields.is_empty() {
                    changes.changed.push(RecordChange {
                        record: summary(id, now),
                        fields,
                    });
                }
            }
        }
    }
    for (id, record) in new.iter().filter(|(_, r)| keep(r)) {
        if !old.contains_key(id) {
            changes.added.push(summary(id, record));
        }
    }
    changes
}

/// A statement in words: "Subject not predicate Object".
fn statement(snapshot: &Snapshot, key: &StatementKey) -> String {
    let not = if key.stance == "denies" { "not " } else { "" };
    format!(
        "{} {not}{} {}",
        snapshot.name(&key.subject),
        snapshot.name(&key.predicate),
        snapshot.name(&key.object)
    )
}

fn claim_summary(snapshot: &Snapshot, id: &str, claim: &Claim) -> ClaimSummary {
    let mut attribution = vec![snapshot.name(&claim.fields["reported_by"]).to_owned()];
    if let Some(chain) = claim.fields.get("citing") {
        attribution.extend(chain.split(" <- ").map(|c| snapshot.name(c).to_owned()));
    }
    ClaimSummary {
        id: id.to_owned(),
        statement: statement(snapshot, &claim.statement),
        document: claim.source.clone(),
        attribution: attribution.join(" <- "),
        quote: claim.quote.clone(),
        hedged: claim.fields.get("hedged").is_some_and(|h| h == "true"),
        when: claim.fields.get("when").cloned(),
        at: at(&claim.file, claim.line),
    }
}

fn claim_record(snapshot: &Snapshot, id: &str, claim: &Claim) -> ClaimRecord {
    ClaimRecord {
        claim: claim_summary(snapshot, id, claim),
        fields: claim.fields.clone(),
    }
}

/// Pairs the claims of both sides: by id, then the ones left by what stays when a claim is
/// edited (its document, quote and statement without one of subject, predicate or object; its
/// document and quote; its document and statement), each only where exactly one claim on each
/// side has that key. The stance and the attribution never take part: they are what a review
/// most often changes.
fn pair_claims(old: &Snapshot, new: &Snapshot) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = old
        .claims
        .keys()
        .filter(|id| new.claims.contains_key(*id))
        .map(|id| (id.clone(), id.clone()))
        .collect();
    let mut left_old: BTreeSet<&String> = old
        .claims
        .keys()
        .filter(|id| !new.claims.contains_key(*id))
        .collect();
    let mut left_new: BTreeSet<&String> = new
        .claims
        .keys()
        .filter(|id| !old.claims.contains_key(*id))
        .collect();
    type Key = fn(&Claim) -> String;
    // Each key leaves out one thing an edit may change, the stance and the attribution always.
    let keys: [Key; 6] = [
        |c| {
            [&c.source, &c.quote, &c.subject, &c.predicate, &c.object]
                .map(String::as_str)
                .join("\u{1f}")
        },
        |c| {
            [&c.source, &c.quote, &c.predicate, &c.object]
                .map(String::as_str)
                .join("\u{1f}")
        },
        |c| {
            [&c.source, &c.quote, &c.subject, &c.predicate]
                .map(String::as_str)
                .join("\u{1f}")
        },
        |c| {
            [&c.source, &c.quote, &c.subject, &c.object]
                .map(String::as_str)
                .join("\u{1f}")
        },
        |c| [&c.source, &c.quote].map(String::as_str).join("\u{1f}"),
        |c| {
            [&c.source, &c.subject, &c.predicate, &c.object]
                .map(String::as_str)
                .join("\u{1f}")
        },
    ];
    for key in keys {
        let index = |ids: &BTreeSet<&String>, side: &Snapshot| {
            let mut by_key: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for id in ids {
                by_key
                    .entry(key(&side.claims[*id]))
                    .or_default()
                    .push((*id).clone());
            }
            by_key
        };
        let olds = index(&left_old, old);
        let news = index(&left_new, new);
        for (k, from) in &olds {
            if let (Some(to), [from]) = (news.get(k), from.as_slice())
                && let [to] = to.as_slice()
            {
                left_old.remove(from);
                left_new.remove(to);
                pairs.push((from.clone(), to.clone()));
            }
        }
    }
    pairs.sort();
    pairs
}

/// Compares two snapshots, `old` before the change and `new` after it.
pub fn compare(old: &Snapshot, new: &Snapshot) -> Changes {
    let not_source = |r: &Record| r.kind != "source";
    let source = |r: &Record| r.kind == "source";
    let mut changes = Changes {
        entities: records(&old.entities, &new.entities, not_source),
        sources: records(&old.entities, &new.entities, source),
        predicates: records(&old.predicates, &new.predicates, |_| true),
        ..Changes::default()
    };

    let pairs = pair_claims(old, new);
    let old_to_new: BTreeMap<&str, &str> = pairs
        .iter()
        .map(|(o, n)| (o.as_str(), n.as_str()))
        .collect();
    let paired_new: BTreeSet<&str> = pairs.iter().map(|(_, n)| n.as_str()).collect();
    for (id, claim) in &old.claims {
        if !old_to_new.contains_key(id.as_str()) {
            changes.claims.removed.push(claim_record(old, id, claim));
        }
    }
    for (id, claim) in &new.claims {
        if !paired_new.contains(id.as_str()) {
            changes.claims.added.push(claim_record(new, id, claim));
        }
    }
    for (from, to) in &pairs {
        let (before, after) = (&old.claims[from], &new.claims[to]);
        let fields = field_changes(&before.fields, &after.fields);
        // A new id is a change of its own: ids are what the exports publish.
        if !fields.is_empty() || from != to {
            changes.claims.changed.push(ClaimChange {
                claim: claim_summary(new, to, after),
                old_id: from.clone(),
                fields,
            });
        }
    }
    changes.analysis = analysis(old, new, &old_to_new);
    changes
}

fn voice_names(snapshot: &Snapshot, voices: impl Iterator<Item = String>) -> Vec<String> {
    let mut names: Vec<String> = voices.map(|v| snapshot.name(&v).to_owned()).collect();
    names.sort();
    names
}

fn analysis(old: &Snapshot, new: &Snapshot, old_to_new: &BTreeMap<&str, &str>) -> AnalysisChanges {
    let mut analysis = AnalysisChanges::default();

    // Conflicts, by their reason and their two claims as they are now.
    let key = |reason: &str, a: &str, b: &str| {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        (reason.to_owned(), a.to_owned(), b.to_owned())
    };
    let old_conflicts: BTreeMap<_, _> = old
        .conflicts
        .iter()
        .map(|c| {
            let map = |id: &str| {
                old_to_new
                    .get(id)
                    .map_or_else(|| format!("old:{id}"), |n| (*n).to_owned())
            };
            (key(&c.reason, &map(&c.a), &map(&c.b)), c)
        })
        .collect();
    let new_conflicts: BTreeMap<_, _> = new
        .conflicts
        .iter()
        .map(|c| (key(&c.reason, &c.a, &c.b), c))
        .collect();
    let conflict = |snapshot: &Snapshot, c: &super::snapshot::Conflict| ConflictSummary {
        reason: c.reason.clone(),
        detail: c.detail.clone(),
        a: claim_summary(snapshot, &c.a, &snapshot.claims[&c.a]),
        b: claim_summary(snapshot, &c.b, &snapshot.claims[&c.b]),
    };
    for (k, c) in &new_conflicts {
        if !old_conflicts.contains_key(k) {
            analysis.conflicts_appeared.push(conflict(new, c));
        }
    }
    for (k, c) in &old_conflicts {
        if !new_conflicts.contains_key(k) {
            analysis.conflicts_resolved.push(conflict(old, c));
        }
    }

    // Statements and their independent voices. A statement whose claims all moved to one other
    // statement (an entity merged into another, a predicate renamed) is that statement now.
    let mut forward: BTreeMap<&StatementKey, BTreeSet<&StatementKey>> = BTreeMap::new();
    let mut backward: BTreeMap<&StatementKey, BTreeSet<&StatementKey>> = BTreeMap::new();
    for (from, to) in old_to_new {
        let (was, is) = (&old.claims[*from].statement, &new.claims[*to].statement);
        forward.entry(was).or_default().insert(is);
        backward.entry(is).or_default().insert(was);
    }
    // Only an id that is gone may have moved: `a` → `b` where `a` no longer exists (merged,
    // renamed). A stance flipped, a value corrected or an object changed to another entity
    // that was already there makes another statement: the old one is gone, the new one new.
    let gone = |id: &str| old.names.contains_key(id) && !new.names.contains_key(id);
    let renamed = |a: &String, b: &String| a == b || gone(a);
    let moved: BTreeMap<&StatementKey, &StatementKey> = forward
        .iter()
        .filter_map(|(was, to)| {
            let is = *to.iter().next()?;
            let single = to.len() == 1 && backward.get(is).is_some_and(|b| b.len() == 1);
            let elsewhere = was != &is
                && !new.statements.contains_key(*was)
                && !old.statements.contains_key(is);
            let reworded = was.stance == is.stance
                && renamed(&was.subject, &is.subject)
                && renamed(&was.predicate, &is.predicate)
                && renamed(&was.object, &is.object);
            (single && elsewhere && reworded).then_some((*was, is))
        })
        .collect();
    let moved_to: BTreeSet<&StatementKey> = moved.values().copied().collect();
    let mut pairs: Vec<(Option<&StatementKey>, Option<&StatementKey>)> = old
        .statements
        .keys()
        .map(|key| match moved.get(key) {
            Some(is) => (Some(key), Some(*is)),
            None => (Some(key), new.statements.contains_key(key).then_some(key)),
        })
        .collect();
    pairs.extend(
        new.statements
            .keys()
            .filter(|key| !old.statements.contains_key(*key) && !moved_to.contains(key))
            .map(|key| (None, Some(key))),
    );
    for (was_key, is_key) in pairs {
        let before = was_key.and_then(|k| old.statements.get(k));
        let after = is_key.and_then(|k| new.statements.get(k));
        let voices = |s: Option<&super::snapshot::Statement>| {
            s.map(|s| s.voices.clone()).unwrap_or_default()
        };
        let (was, is) = (voices(before), voices(after));
        let old_count = before.map_or(0, |s| s.origins);
        let new_count = after.map_or(0, |s| s.origins);
        let wording = match (was_key, is_key) {
            (_, Some(key)) => statement(new, key),
            (Some(key), None) => statement(old, key),
            (None, None) => continue,
        };
        // The old wording, where it reads otherwise: an id renamed with its name kept is no
        // change to the statement.
        let reworded = match (was_key, is_key) {
            (Some(a), Some(b)) if a != b => Some(statement(old, a)).filter(|w| *w != wording),
            _ => None,
        };
        // A voice whose id was renamed (the old id gone, the new one new, the name the same)
        // is the same voice; two entities that only share a name are not.
        let mut gained_ids: Vec<String> = is.difference(&was).cloned().collect();
        let mut lost_ids: Vec<String> = was.difference(&is).cloned().collect();
        lost_ids.retain(|l| {
            let renamed = gained_ids.iter().position(|g| {
                !new.names.contains_key(l)
                    && !old.names.contains_key(g)
                    && new.name(g) == old.name(l)
            });
            renamed.map(|i| gained_ids.remove(i)).is_none()
        });
        let gained = voice_names(new, gained_ids.into_iter());
        let lost = voice_names(old, lost_ids.into_iter());
        let moved_only = was_key.is_some() && is_key.is_some();
        if !gained.is_empty()
            || !lost.is_empty()
            || old_count != new_count
            || reworded.is_some()
            || !moved_only
        {
            let change = VoiceChange {
                statement: wording.clone(),
                was: reworded,
                old: old_count,
                new: new_count,
                gained,
                lost,
                single_voice_now: new_count == 1 && old_count != 1,
            };
            match (before, after) {
                (Some(_), Some(_)) => analysis.voices_changed.push(change),
                (None, Some(_)) => analysis.statements_new.push(change),
                (Some(_), None) => analysis.statements_gone.push(change),
                (None, None) => {}
            }
        }
        let circular = |s: Option<&super::snapshot::Statement>| s.is_some_and(|s| s.circular);
        match (circular(before), circular(after)) {
            (false, true) => analysis.circular_appeared.push(wording),
            (true, false) => analysis.circular_gone.push(wording),
            _ => {}
        }
    }

    // Origins that are a party to what they report.
    let new_to_old: BTreeMap<&str, &str> = old_to_new.iter().map(|(o, n)| (*n, *o)).collect();
    for (id, claim) in &new.claims {
        let was = new_to_old
            .get(id.as_str())
            .and_then(|o| old.claims.get(*o))
            .is_some_and(|c| c.interested);
        if claim.interested && !was {
            analysis.interested_appeared.push(InterestedFlag {
                origin: new.name(&claim.origin).to_owned(),
                claim: claim_summary(new, id, claim),
            });
        }
    }
    for (id, claim) in &old.claims {
        let is = old_to_new
            .get(id.as_str())
            .and_then(|n| new.claims.get(*n))
            .is_some_and(|c| c.interested);
        if claim.interested && !is {
            analysis.interested_gone.push(InterestedFlag {
                origin: old.name(&claim.origin).to_owned(),
                claim: claim_summary(old, id, claim),
            });
        }
    }

    // Names in documents that no claim uses.
    let unlinked = |snapshot: &Snapshot, (document, entity): &(String, String)| Unlinked {
        document: document.clone(),
        entity: entity.clone(),
        name: snapshot.name(entity).to_owned(),
    };
    for key in new.unlinked.keys() {
        if !old.unlinked.contains_key(key) {
            analysis.mentions_unlinked.push(unlinked(new, key));
        }
    }
    for key in old.unlinked.keys() {
        if !new.unlinked.contains_key(key) {
            analysis.mentions_linked.push(unlinked(old, key));
        }
    }
    analysis
}

/// For every source whose document's text changed, the lines (paragraphs) that changed, after
/// its digest: `text, line 7` with the line before and after (a line added or removed has one
/// side). Texts are read from the two databases only for those sources.
pub fn document_texts(changes: &mut Changes, old: &Path, new: &Path) -> Result<(), StoreError> {
    let changed: Vec<usize> = changes
        .sources
        .changed
        .iter()
        .enumerate()
        .filter(|(_, c)| c.fields.iter().any(|f| f.field == DOCUMENT_DIGEST))
        .map(|(i, _)| i)
        .collect();
    if changed.is_empty() {
        return Ok(());
    }
    let (old, new) = (store::open_read(old)?, store::open_read(new)?);
    let text = |conn: &rusqlite::Connection, id: &str| -> Result<String, StoreError> {
        Ok(conn.query_row("SELECT text FROM sources WHERE id = ?1", [id], |r| r.get(0))?)
    };
    for i in changed {
        let change = &mut changes.sources.changed[i];
        let id = change.record.id.clone();
        let (before, after) = (text(&old, &id)?, text(&new, &id)?);
        let at = change
            .fields
            .iter()
            .position(|f| f.field == DOCUMENT_DIGEST)
            .map_or(change.fields.len(), |p| p + 1);
        let lines = line_changes(&before, &after);
        change.fields.splice(at..at, lines);
    }
    Ok(())
}

/// The lines that differ between two texts, each run of changed lines as one change: named by
/// where it is in the new text (`text, line 7`, `text, lines 7–9`), or, for lines only
/// removed, in the old one (`text, old line 7 (removed)`); lines only added say so.
fn line_changes(old: &str, new: &str) -> Vec<FieldChange> {
    let diff = similar::TextDiff::from_lines(old, new);
    // The lines as the diff cut them (a lone `\r` ends one too), so that numbers and texts agree.
    let (olds, news): (Vec<&str>, Vec<&str>) = (
        diff.iter_old_slices().collect(),
        diff.iter_new_slices().collect(),
    );
    let lines = |lines: &[&str]| {
        (!lines.is_empty()).then(|| lines.concat().trim_end_matches(['\n', '\r']).to_owned())
    };
    let named = |what: &str, range: &std::ops::Range<usize>| match range.len() {
        1 => format!("{what} {}", range.start + 1),
        n => format!("{what}s {}–{}", range.start + 1, range.start + n),
    };
    diff.grouped_ops(0)
        .iter()
        .filter_map(|ops| {
            let (first, last) = (ops.first()?, ops.last()?);
            let old_lines = first.old_range().start..last.old_range().end;
            let new_lines = first.new_range().start..last.new_range().end;
            let field = match (old_lines.is_empty(), new_lines.is_empty()) {
                (false, true) => format!("text, {} (removed)", named("old line", &old_lines)),
                (true, false) => format!("text, {} (added)", named("line", &new_lines)),
                _ => format!("text, {}", named("line", &new_lines)),
            };
            Some(FieldChange {
                field,
                old: lines(&olds[old_lines]),
                new: lines(&news[new_lines]),
            })
        })
        .collect()
}
