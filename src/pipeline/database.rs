//! The database stage of a build: the model, its graph and their provenance analysis written
//! into a new database beside the target, on three threads, then checked.

use std::path::Path;
use std::sync::{Arc, mpsc};
use std::thread;

use super::Observer;
use crate::graph::KnowledgeGraph;
use crate::graph::provenance;
use crate::model::Model;
use crate::store::side::{self, Side};
use crate::store::{self, StoreError, WriteSummary};

/// Writes the database for `target` beside it and checks it; [`store::Built::commit`] puts it
/// in place. Three things run at once: this thread writes the main tables; one thread builds
/// the full-text index in a side database; one analyses provenance, hands the analysis over
/// for the claim rows (only they need it, so the entities, documents and mentions are written
/// meanwhile), and writes the statements and conflicts into a side database of its own. Once
/// the claims are written, this thread copies the analysis in and builds the indexes while the
/// full-text index is still being built, the longest piece of work; the graph and the analysis
/// are dropped by then, the model once the full-text index is done with it. Then the index is
/// copied in and every table's rows counted. `observer` hears of each stage as it starts.
pub(super) fn write_database(
    model: Model,
    graph: KnowledgeGraph,
    target: &Path,
    observer: &mut dyn Observer,
) -> Result<(store::Built, WriteSummary), StoreError> {
    let mut db = store::Writer::create(target)?;
    let [search_path, analysis_path] = Side::ALL.map(|side| db.side(side));
    let (model_ref, graph_ref) = (&model, &graph);
    let expected = thread::scope(|scope| -> Result<WriteSummary, StoreError> {
        let model = model_ref;
        let searched = scope.spawn(|| side::write_search(model, &search_path));
        let graph = graph_ref;
        let (handover, analysed) = mpsc::channel();
        let analysing = scope.spawn(move || {
            let analysis = Arc::new(provenance::analyse(model, graph));
            let _ = handover.send(Arc::clone(&analysis));
            side::write_analysis(model, &analysis, &analysis_path)
        });
        observer.stage("writing entities, documents and mentions");
        let tables = db.tables()?;
        tables.records(model)?;
        let Ok(analysis) = analysed.recv() else {
            // The analysis ended without one: its panic goes on here.
            analysing.join().expect("the analysis does not panic")?;
            unreachable!("the analysis hands over its result before it ends");
        };
        observer.stage("writing claims and their analysis");
        tables.claims(model, &analysis)?;
        tables.commit()?;
        let expected = WriteSummary::expected(model, graph, &analysis);
        drop(analysis);
        observer.stage("finishing the analysis and building indexes");
        analysing.join().expect("the analysis does not panic")?;
        db.copy_in(Side::Analysis)?;
        db.index()?;
        observer.stage("finishing the full-text index");
        searched
            .join()
            .expect("the full-text index does not panic")?;
        Ok(expected)
    })?;
    drop((graph, model));
    observer.stage("copying the full-text index and checking the new database");
    db.copy_in(Side::Search)?;
    let built = db.finish(&expected)?;
    Ok((built, expected))
}
