//! The first stages of `check` and `build`: load → check and resolve; and, for `build` only,
//! finding names in the documents.

use std::path::Path;

use rayon::prelude::*;

use super::Observer;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Files};
use crate::load::{self, LoadError};
use crate::model::mentions::MentionFinder;
use crate::model::text::NormalizedText;
use crate::model::{DocumentIdx, EntityKind, Mention, Model};
use crate::validate;

/// The outcome of checking: the model (complete only without errors, and without mentions:
/// see [`find_mentions`]), every diagnostic, and the files they point into.
#[derive(Debug)]
pub struct Checked {
    pub files: Files,
    pub model: Model,
    pub diagnostics: Diagnostics,
    /// `(path as shown, SHA-256)` of every data file, taken as it was read.
    pub digests: Vec<(String, String)>,
}

/// Loads and checks the data folder against the seeds folder. `Err` only when the inputs
/// cannot be read at all; problems in the data are diagnostics, which the caller reports.
/// `observer` hears of each stage as it starts.
pub fn check(
    data_dir: &Path,
    seeds_dir: &Path,
    observer: &mut dyn Observer,
) -> Result<Checked, LoadError> {
    let mut diagnostics = Diagnostics::default();
    observer.stage("loading data files");
    let data = load::load_data(data_dir, &mut diagnostics)?;
    check_loaded(
        data,
        seeds_dir,
        &mut |path, _| std::fs::read(path),
        observer,
        diagnostics,
    )
}

/// The rest of [`check`] once the data files are parsed (with their diagnostics so far), with
/// each document's bytes from `read`: the language server checks its buffers this way.
pub fn check_loaded(
    mut data: load::Data,
    seeds_dir: &Path,
    read: &mut load::ReadDocument<'_>,
    observer: &mut dyn Observer,
    mut diagnostics: Diagnostics,
) -> Result<Checked, LoadError> {
    observer.stage("reading documents");
    let documents =
        load::load_documents_with(seeds_dir, &data.records.entities, &mut diagnostics, read)?;
    warn_unused_documents(seeds_dir, &documents, &mut diagnostics);
    observer.stage("checking references, vocabulary and quotes");
    let model = validate::resolve(&mut data, documents.loaded, &mut diagnostics);
    // The raw records are done with; their memory goes to the mentions and the database.
    drop(data.records);
    Ok(Checked {
        files: data.files,
        model,
        diagnostics,
        digests: data.digests,
    })
}

/// Warns about each document in the seeds folder that no `source` record names. A document a
/// record names but that could not be read, or that a hint proposed for a misspelt `file`, is
/// not unused: the error about that record says what is wrong. When some source has no usable
/// `file` at all, no document can be called unused.
fn warn_unused_documents(
    seeds_dir: &Path,
    documents: &load::Documents,
    diagnostics: &mut Diagnostics,
) {
    if documents.unknown_files {
        return;
    }
    let Ok(root) = seeds_dir.canonicalize() else {
        return;
    };
    for file in &documents.available {
        let path = root.join(file);
        let named = documents.named.contains(&path)
            || path
                .canonicalize()
                .is_ok_and(|canonical| documents.named.contains(&canonical));
        if !named {
            diagnostics.push(
                Diagnostic::file_error(
                    Code::UnusedDocument,
                    seeds_dir.join(file).display().to_string(),
                    "no `source` record points at this document",
                )
                .warning(),
            );
        }
    }
}

/// Every occurrence of every entity name and alias in every document, in one multi-pattern
/// scan per document. Source records are left out: their names are document titles. No rule
/// of `check` depends on mentions, so only `build` finds them, once checking found no error.
pub fn find_mentions(model: &Model) -> Vec<Mention> {
    let names = model
        .entities
        .iter_enumerated()
        .filter(|(_, e)| e.kind != EntityKind::Source)
        .flat_map(|(i, e)| {
            std::iter::once((i, e.name.as_str()))
                .chain(e.aliases.iter().map(move |a| (i, a.as_str())))
        });
    let finder = MentionFinder::new(names);
    // Rayon walks the plain vector (typed-index-collections has no parallel iterators); the
    // position is the document's index.
    let mut mentions: Vec<Mention> = model
        .documents
        .raw
        .par_iter()
        .enumerate()
        .flat_map_iter(|(document, doc)| {
            let text = NormalizedText::new(&doc.text);
            finder.find(&text).into_iter().map(move |m| Mention {
                entity: m.entity,
                document: DocumentIdx::from(document),
                chars: m.chars,
                name: m.name,
            })
        })
        .collect();
    mentions.sort_by(|a, b| {
        (a.document, a.chars.start, a.entity).cmp(&(b.document, b.chars.start, b.entity))
    });
    mentions
        .dedup_by(|a, b| a.document == b.document && a.entity == b.entity && a.chars == b.chars);
    mentions
}
