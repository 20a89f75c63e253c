//! Cytoscape.js elements: `{"elements": {"nodes": [{"data": …, "classes": …}], "edges": […]}}`,
//! ready for `cytoscape({ elements })`; `classes` carry the kind and the flags a stylesheet
//! selects on (`denied`, `hedged`, `conflicting`).

use petgraph::graph::{EdgeIndex, NodeIndex};
use serde::Serialize;
use serde_json::{Map, Value};

use super::attributes;
use super::json::to_pretty_json;
use super::{ExportError, Exporter, Format};
use crate::graph::views::View;

#[derive(Debug, Clone, Copy)]
pub struct Cytoscape;

impl Exporter for Cytoscape {
    fn export(&self, view: &View<'_>) -> Result<Vec<u8>, ExportError> {
        let nodes = view
            .graph
            .node_indices()
            .map(|n| element(node_data(view, n)))
            .collect();
        let edges = view
            .graph
            .edge_indices()
            .map(|e| element(edge_data(view, e)))
            .collect();
        let document = Document {
            data: GraphData {
                name: format!("claimgraph {}", view.kind),
                view: view.kind.as_str(),
            },
            elements: Elements { nodes, edges },
        };
        to_pretty_json(&document, Format::Cytoscape)
    }
}

#[derive(Debug, Serialize)]
struct Document {
    data: GraphData,
    elements: Elements,
}

#[derive(Debug, Serialize)]
struct GraphData {
    name: String,
    view: &'static str,
}

#[derive(Debug, Serialize)]
struct Elements {
    nodes: Vec<Element>,
    edges: Vec<Element>,
}

#[derive(Debug, Serialize)]
struct Element {
    data: Map<String, Value>,
    classes: String,
}

/// An element with its classes: the kind, then each flag that is true.
fn element(data: Map<String, Value>) -> Element {
    let mut classes = vec![data["kind"].as_str().unwrap_or_default().to_owned()];
    for flag in ["hedged", "conflicting"] {
        if data.get(flag) == Some(&Value::Bool(true)) {
            classes.push(flag.to_owned());
        }
    }
    match data.get("stance").and_then(Value::as_str) {
        Some("denies") => classes.push("denied".to_owned()),
        Some("both") => classes.push("disputed".to_owned()),
        _ => {}
    }
    Element {
        data,
        classes: classes.join(" "),
    }
}

fn node_data(view: &View<'_>, n: NodeIndex) -> Map<String, Value> {
    let mut data = Map::new();
    data.insert("id".to_owned(), view.node_id(n).into());
    attributes::insert_json(&mut data, attributes::node(view, n));
    data
}

fn edge_data(view: &View<'_>, e: EdgeIndex) -> Map<String, Value> {
    let (from, to) = view.graph.edge_endpoints(e).expect("the edge exists");
    let mut data = Map::new();
    data.insert("id".to_owned(), view.graph[e].id.clone().into());
    data.insert("source".to_owned(), view.node_id(from).into());
    data.insert("target".to_owned(), view.node_id(to).into());
    attributes::insert_json(&mut data, attributes::edge(view, e));
    data
}
