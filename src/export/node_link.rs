//! Node-link JSON, as networkx's `node_link_data` writes it and D3's force layouts read it:
//! `{"directed", "multigraph", "graph", "nodes": [{"id", …}], "edges": [{"source", "target",
//! "key", …}]}`. Parallel edges keep their own `key` (the edge id), so
//! `networkx.node_link_graph(data)` gives a `MultiDiGraph` that loses none of them.

use serde::Serialize;
use serde_json::{Map, Value};

use super::attributes;
use super::json::to_pretty_json;
use super::{ExportError, Exporter, Format};
use crate::graph::views::View;

#[derive(Debug, Clone, Copy)]
pub struct NodeLink;

impl Exporter for NodeLink {
    fn export(&self, view: &View<'_>) -> Result<Vec<u8>, ExportError> {
        let nodes = view
            .graph
            .node_indices()
            .map(|n| {
                let mut data = Map::new();
                data.insert("id".to_owned(), view.node_id(n).into());
                attributes::insert_json(&mut data, attributes::node(view, n));
                data
            })
            .collect();
        let edges = view
            .graph
            .edge_indices()
            .map(|e| {
                let (from, to) = view.graph.edge_endpoints(e).expect("the edge exists");
                let id = view.graph[e].id.clone();
                let mut data = Map::new();
                data.insert("source".to_owned(), view.node_id(from).into());
                data.insert("target".to_owned(), view.node_id(to).into());
                data.insert("key".to_owned(), id.clone().into());
                data.insert("id".to_owned(), id.into());
                attributes::insert_json(&mut data, attributes::edge(view, e));
                data
            })
            .collect();
        let document = Document {
            directed: true,
            multigraph: true,
            graph: GraphData {
                name: format!("claimgraph {}", view.kind),
                view: view.kind.as_str(),
            },
            nodes,
            edges,
        };
        to_pretty_json(&document, Format::NodeLink)
    }
}

#[derive(Debug, Serialize)]
struct Document {
    directed: bool,
    multigraph: bool,
    graph: GraphData,
    nodes: Vec<Map<String, Value>>,
    edges: Vec<Map<String, Value>>,
}

#[derive(Debug, Serialize)]
struct GraphData {
    name: String,
    view: &'static str,
}
