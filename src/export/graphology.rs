//! graphology's serialised graph, the JSON that `graph.export()` writes and `Graph.from(data)`
//! and `graph.import(data)` read, so sigma.js and Gephi Lite take it as it is: `{"options",
//! "attributes", "nodes": [{"key", "attributes"}], "edges": [{"key", "source", "target",
//! "attributes"}]}`, a directed multigraph. Nodes carry what sigma.js draws (`label`, `x`, `y`,
//! `size`, `color`: the positions, sizes and colours of GEXF), then every attribute of the other
//! tool formats; edges carry `label`, `color` and `size`, then theirs. Without Graphviz the file
//! is the same but for `x` and `y`.

use petgraph::graph::{EdgeIndex, NodeIndex};
use serde::ser::{Serialize, SerializeMap, Serializer};

use super::attributes::{self, AttrValue, Key};
use super::gexf::{node_colour, node_size, position};
use super::layout::{self, Layout};
use super::palette::EdgeTone;
use super::pretty::{Streamed, write_pretty};
use super::{ExportError, Exporter, Format, Output};
use crate::view::View;

#[derive(Debug, Clone, Copy)]
pub struct Graphology;

impl Exporter for Graphology {
    fn write(&self, view: &View<'_>, out: &mut Output<'_>) -> Result<(), ExportError> {
        let layout = layout::if_any(view, Format::Graphology)?;
        let layout = layout.as_deref();
        let document = GraphologyFile {
            options: Options {
                r#type: "directed",
                multi: true,
                allow_self_loops: true,
            },
            attributes: GraphAttributes {
                name: format!("claimgraph {}", view.kind),
                view: view.kind.as_str(),
            },
            nodes: Streamed(|| view.graph.node_indices().map(|n| node(view, layout, n))),
            edges: Streamed(|| view.graph.edge_indices().map(|e| edge(view, e))),
        };
        write_pretty(out, &document, Format::Graphology)
    }
}

/// In the order `graph.export()` writes them.
#[derive(serde::Serialize)]
struct GraphologyFile<N, E> {
    options: Options,
    attributes: GraphAttributes,
    nodes: N,
    edges: E,
}

/// What `Graph.from` makes of the file: a directed multigraph (the entities view has parallel
/// edges) that allows self-loops (a curated link may point back at its entity).
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Options {
    r#type: &'static str,
    multi: bool,
    allow_self_loops: bool,
}

#[derive(Debug, serde::Serialize)]
struct GraphAttributes {
    name: String,
    view: &'static str,
}

#[derive(Debug, serde::Serialize)]
struct Node<'a> {
    key: &'a str,
    attributes: Attributes<'a>,
}

#[derive(Debug, serde::Serialize)]
struct Edge<'a> {
    key: &'a str,
    source: &'a str,
    target: &'a str,
    attributes: Attributes<'a>,
}

/// What sigma.js draws by, then the attributes every tool format carries (their `label`
/// first among what is drawn).
#[derive(Debug)]
struct Attributes<'a> {
    drawn: Vec<(&'static str, Drawn)>,
    rest: Vec<(&'static Key, AttrValue<'a>)>,
}

#[derive(Debug)]
enum Drawn {
    Number(f64),
    Colour(String),
}

impl Serialize for Attributes<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.drawn.len() + self.rest.len()))?;
        if let Some((key, label)) = self.rest.iter().find(|(k, _)| k.name == "label") {
            map.serialize_entry(key.name, label)?;
        }
        for (name, value) in &self.drawn {
            match value {
                Drawn::Number(x) => map.serialize_entry(name, x)?,
                Drawn::Colour(c) => map.serialize_entry(name, c)?,
            }
        }
        for (key, value) in self.rest.iter().filter(|(k, _)| k.name != "label") {
            map.serialize_entry(key.name, value)?;
        }
        map.end()
    }
}

fn node<'a>(view: &View<'a>, layout: Option<&Layout>, n: NodeIndex) -> Node<'a> {
    let mut drawn = Vec::with_capacity(4);
    if let Some(layout) = layout {
        let (x, y) = position(layout, n);
        drawn.push(("x", Drawn::Number(x)));
        drawn.push(("y", Drawn::Number(y)));
    }
    drawn.push(("size", Drawn::Number(tenths(node_size(view, n)))));
    drawn.push(("color", Drawn::Colour(node_colour(view, n).hex())));
    Node {
        key: view.node_id(n),
        attributes: Attributes {
            drawn,
            rest: attributes::node(view, n),
        },
    }
}

fn edge<'a>(view: &'a View<'a>, e: EdgeIndex) -> Edge<'a> {
    let (from, to) = view.graph.edge_endpoints(e).expect("the edge exists");
    let edge = &view.graph[e];
    let weight = attributes::weight(&edge.kind, &edge.support);
    Edge {
        key: edge.id.as_str(),
        source: view.node_id(from),
        target: view.node_id(to),
        attributes: Attributes {
            drawn: vec![
                (
                    "color",
                    Drawn::Colour(EdgeTone::of(&edge.support).colour().hex()),
                ),
                ("size", Drawn::Number(edge_size(weight))),
            ],
            rest: attributes::edge(view, e),
        },
    }
}

/// An edge's thickness: grows with the square root of its weight (`weight` keeps the weight
/// itself), as a node's size with its degree; 1.3 for a statement only denied.
fn edge_size(weight: f64) -> f64 {
    tenths(1.0 + weight.sqrt())
}

fn tenths(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
