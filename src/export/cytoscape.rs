//! Cytoscape.js elements: `{"data", "directed", "multigraph", "elements": {"nodes": [{"data": …,
//! "classes": …}], "edges": […]}}`, ready for `cytoscape({ elements: data.elements })`; `classes`
//! carry the kind and the flags a stylesheet selects on (`denied`, `hedged`, `conflicting`,
//! `contested`). networkx's `cytoscape_graph` reads the same file as it is: `directed` and
//! `multigraph` make it a `MultiDiGraph`, a node's `value` (its id) names it, and an edge's `key`
//! (its id) keeps parallel edges apart.

use petgraph::graph::{EdgeIndex, NodeIndex};
use serde::Serialize;

use super::attributes::{self, AttrValue, Fields};
use super::pretty::{Streamed, write_pretty};
use super::{ExportError, Exporter, Format, Output};
use crate::view::View;

#[derive(Debug, Clone, Copy)]
pub struct Cytoscape;

impl Exporter for Cytoscape {
    fn write(&self, view: &View<'_>, out: &mut Output<'_>) -> Result<(), ExportError> {
        let document = CytoscapeFile {
            directed: true,
            multigraph: true,
            data: GraphData {
                name: format!("claimgraph {}", view.kind),
                view: view.kind.as_str(),
            },
            elements: Elements {
                nodes: Streamed(|| {
                    view.graph
                        .node_indices()
                        .map(|n| element(node_data(view, n)))
                }),
                edges: Streamed(|| {
                    view.graph
                        .edge_indices()
                        .map(|e| element(edge_data(view, e)))
                }),
            },
        };
        write_pretty(out, &document, Format::Cytoscape)
    }
}

#[derive(Serialize)]
struct CytoscapeFile<N, E> {
    directed: bool,
    multigraph: bool,
    data: GraphData,
    elements: Elements<N, E>,
}

#[derive(Debug, Serialize)]
struct GraphData {
    name: String,
    view: &'static str,
}

#[derive(Serialize)]
struct Elements<N, E> {
    nodes: N,
    edges: E,
}

#[derive(Debug, Serialize)]
struct Element<'a> {
    data: Fields<'a>,
    classes: String,
}

/// An element with its classes: the kind, then each flag that is true.
fn element(data: Fields<'_>) -> Element<'_> {
    let text = |name: &str| match data.get(name) {
        Some(AttrValue::Text(t)) => Some(t.as_ref()),
        _ => None,
    };
    let mut classes = vec![text("kind").unwrap_or_default()];
    for flag in ["hedged", "conflicting", "contested"] {
        if data.get(flag) == Some(&AttrValue::Boolean(true)) {
            classes.push(flag);
        }
    }
    match text("stance") {
        Some("denies") => classes.push("denied"),
        Some("both") => classes.push("disputed"),
        _ => {}
    }
    let classes = classes.join(" ");
    Element { data, classes }
}

fn node_data<'a>(view: &'a View<'a>, n: NodeIndex) -> Fields<'a> {
    let id = view.node_id(n);
    Fields::new(vec![("id", id), ("value", id)], attributes::node(view, n))
}

fn edge_data<'a>(view: &'a View<'a>, e: EdgeIndex) -> Fields<'a> {
    let (from, to) = view.graph.edge_endpoints(e).expect("the edge exists");
    let id = view.graph[e].id.as_str();
    Fields::new(
        vec![
            ("id", id),
            ("key", id),
            ("source", view.node_id(from)),
            ("target", view.node_id(to)),
        ],
        attributes::edge(view, e),
    )
}
