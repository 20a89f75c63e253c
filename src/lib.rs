//! claimgraph: curated claims from news reports as a provenance knowledge graph.
//!
//! The pipeline: [`load`] reads `data/*.toml` and the documents in `seeds/` → [`validate`]
//! resolves references and checks every rule, returning a [`model::Model`] plus
//! [`diagnostic::Diagnostics`] → [`graph`] links the model into a petgraph graph and computes
//! origins, corroboration and conflicts → [`store`] writes SQLite atomically → [`export`] draws
//! views of the database ([`view`]) as DOT, SVG, PNG, JSON, GraphML and GEXF.
//! [`pipeline`] runs these stages, in order and on their threads, for `check` and `build`;
//! [`cli`] is the only place that prints.

pub mod cli;
pub mod diagnostic;
pub mod diff;
pub mod export;
pub mod files;
pub mod graph;
pub mod interrupt;
pub mod load;
pub mod lsp;
pub mod model;
pub mod pipeline;
pub mod store;
pub mod validate;
pub mod view;
