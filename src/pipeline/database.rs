//! The database stage of a build: the model, its graph and their provenance analysis written
//! into a new database beside the target, on three threads, then checked.

use std::path::Path;
use std::sync::{Arc, mpsc};
use std::thread;

use super::Observer;
use crate::graph::KnowledgeGraph;
use crate::graph::provenance::{self, Analysis};
use crate::model::Model;
use crate::store::side::{self, Side};
use crate::store::{self, StoreError, WriteSummary};

/// Writes the database for `target` beside it and checks it; [`store::Built::commit`] puts it
/// in place. Three things run at once: this thread writes the main tables; one thread builds
/// the full-text index in a side database; one analyses provenance, hands the analysis over
/// for the claim rows (only they need it, so the entities, documents and mentions are written
/// meanwhile), and writes the statements and conflicts into a side database of its own. The
/// model, the graph and the analysis are dropped once written, before the side databases are
/// copied in and the indexes built and checked. `observer` hears of each stage as it starts.
pub(super) fn write_database(
    model: Model,
    graph: KnowledgeGraph,
    target: &Path,
    observer: &mut dyn Observer,
) -> Result<(store::Built, WriteSummary), StoreError> {
    let mut db = store::Writer::create(target)?;
    let [search_path, analysis_path] = Side::ALL.map(|side| db.side(side));
    let (model_ref, graph_ref) = (&model, &graph);
    let analysis = thread::scope(|scope| -> Result<Arc<Analysis>, StoreError> {
        let searched = scope.spawn(|| side::write_search(model_ref, &search_path));
        let (handover, analysed) = mpsc::channel();
        let analysing = scope.spawn(move || {
            let analysis = Arc::new(provenance::analyse(model_ref, graph_ref));
            let _ = handover.send(Arc::clone(&analysis));
            side::write_analysis(model_ref, &analysis, &analysis_path)
        });
        observer.stage("writing entities, documents and mentions");
        let tables = db.tables()?;
        tables.records(model_ref)?;
        let Ok(analysis) = analysed.recv() else {
            // The analysis ended without one: its panic goes on here.
            analysing.join().expect("the analysis does not panic")?;
            unreachable!("the analysis hands over its result before it ends");
        };
        observer.stage("writing claims and their analysis");
        tables.claims(model_ref, &analysis)?;
        tables.commit()?;
        observer.stage("finishing the full-text index and the analysis");
        searched
            .join()
            .expect("the full-text index does not panic")?;
        analysing.join().expect("the analysis does not panic")?;
        Ok(analysis)
    })?;
    // What the database must hold is all that is needed from here on; the memory of the model
    // goes to the indexes and the checks.
    let expected = WriteSummary::expected(&model, &graph, &analysis);
    drop((analysis, graph, model));
    observer.stage("copying the full-text index and the analysis");
    for side in Side::ALL {
        db.copy_in(side)?;
    }
    observer.stage("building indexes and checking the new database");
    let built = db.finish(&expected)?;
    Ok((built, expected))
}
