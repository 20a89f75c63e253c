//! Node-link JSON, the shape D3's force layouts and networkx read without glue:
//! `{"directed", "multigraph", "graph", "nodes": [{"id", …}], "links": [{"source", "target",
//! "key", …}]}`. The edges are under `links`, the name D3 (`forceLink(data.links)`) and
//! networkx before 3.6 read by default (3.4 and later read it with `edges="links"`). Parallel
//! edges keep their own `key` (the edge id), so `networkx.node_link_graph` gives a
//! `MultiDiGraph` that loses none of them.

use serde::Serialize;

use super::attributes::{self, Fields};
use super::pretty::{Streamed, write_pretty};
use super::{ExportError, Exporter, Format, Output};
use crate::view::View;

#[derive(Debug, Clone, Copy)]
pub struct NodeLink;

impl Exporter for NodeLink {
    fn write(&self, view: &View<'_>, out: &mut Output<'_>) -> Result<(), ExportError> {
        let nodes = || {
            view.graph
                .node_indices()
                .map(|n| Fields::new(vec![("id", view.node_id(n))], attributes::node(view, n)))
        };
        let edges = || {
            view.graph.edge_indices().map(|e| {
                let (from, to) = view.graph.edge_endpoints(e).expect("the edge exists");
                let id = view.graph[e].id.as_str();
                Fields::new(
                    vec![
                        ("source", view.node_id(from)),
                        ("target", view.node_id(to)),
                        ("key", id),
                        ("id", id),
                    ],
                    attributes::edge(view, e),
                )
            })
        };
        let document = NodeLinkFile {
            directed: true,
            multigraph: true,
            graph: GraphData {
                name: format!("claimgraph {}", view.kind),
                view: view.kind.as_str(),
            },
            nodes: Streamed(nodes),
            links: Streamed(edges),
        };
        write_pretty(out, &document, Format::NodeLink)
    }
}

#[derive(Serialize)]
struct NodeLinkFile<N, E> {
    directed: bool,
    multigraph: bool,
    graph: GraphData,
    nodes: N,
    links: E,
}

#[derive(Debug, Serialize)]
struct GraphData {
    name: String,
    view: &'static str,
}
