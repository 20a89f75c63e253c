//! GEXF 1.3, Gephi's own format: declared attributes, nodes with their kind's colour, a size
//! by their degree in the view and the position Graphviz's `sfdp` gave them (the layout the
//! explorer and the graphology export share), and edges with their own id, a `kind` that tells
//! parallel edges apart (Gephi merges parallel edges of one kind), a label, a weight (affirming
//! independent origins: a denial adds none) and a colour by what the claims behind it say:
//! conflicting, denied, both affirmed and denied, only hedged, or plain. Without Graphviz the
//! file is the same but for the positions.

use std::borrow::Cow;
use std::io::Write;

use petgraph::Direction;
use petgraph::graph::NodeIndex;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::attributes::{self, AttrType, AttrValue, EDGE_KEYS, Key, NODE_KEYS};
use super::layout::{self, Layout};
use super::palette::{CLAIM, EdgeTone, Rgb, kind_style};
use super::{ExportError, Exporter, Format, Output};
use crate::view::{EdgeKind, Item, View};

#[derive(Debug, Clone, Copy)]
pub struct Gexf;

impl Exporter for Gexf {
    fn write(&self, view: &View<'_>, out: &mut Output<'_>) -> Result<(), ExportError> {
        let layout = layout::if_any(view, Format::Gexf)?;
        write(view, layout.as_deref(), out).map_err(ExportError::writing(Format::Gexf))
    }
}

/// GEXF has its own places for these, so they are not repeated among the attributes.
const NATIVE: [&str; 2] = ["label", "weight"];

fn type_name(ty: AttrType) -> &'static str {
    match ty {
        AttrType::Text | AttrType::Ids | AttrType::Texts => "string",
        AttrType::Integer => "long",
        AttrType::Real => "double",
        AttrType::Boolean => "boolean",
    }
}

/// A node's size: grows with the square root of its degree (edges in and out), so that hubs
/// stand out without hiding the rest; 4 for a node with no edge. graphology's export has the
/// same sizes.
pub(super) fn node_size(view: &View<'_>, n: NodeIndex) -> f64 {
    let degree = view.graph.edges_directed(n, Direction::Outgoing).count()
        + view.graph.edges_directed(n, Direction::Incoming).count();
    4.0 + 4.0 * (degree as f64).sqrt()
}

/// A node's colour: its entity kind's, or grey for a claim.
pub(super) fn node_colour(view: &View<'_>, n: NodeIndex) -> Rgb {
    match view.graph[n].item {
        Item::Entity(e) => kind_style(view.entity(e).kind).colour,
        Item::Claim(_) => CLAIM,
    }
}

/// Where a tool draws a node: the layout's centre with the y axis pointing up, as in Gephi
/// (points from the bottom left, as Graphviz measures), so that Gephi shows the explorer's
/// picture and not its mirror image. graphology-gexf hands these to sigma.js as they are, and
/// the graphology export has the same.
pub(super) fn position(layout: &Layout, n: NodeIndex) -> (f64, f64) {
    let placed = &layout.nodes[n.index()];
    (placed.x, ((layout.height - placed.y) * 10.0).round() / 10.0)
}

/// What tells an edge from a parallel one between the same nodes.
fn edge_kind<'a>(view: &View<'a>, kind: &EdgeKind) -> Cow<'a, str> {
    match kind {
        EdgeKind::Statement { predicate } => Cow::Borrowed(&view.predicate(*predicate).id),
        EdgeKind::Cites { position } => Cow::Owned(format!("cites:{position}")),
        EdgeKind::Link { field } => Cow::Owned(format!("link:{}", field.as_str())),
        other => Cow::Borrowed(other.as_str()),
    }
}

fn write(view: &View<'_>, layout: Option<&Layout>, out: &mut Output<'_>) -> std::io::Result<()> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("gexf")
        .with_attributes([
            ("xmlns", "http://gexf.net/1.3"),
            ("xmlns:viz", "http://gexf.net/1.3/viz"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd",
            ),
            ("version", "1.3"),
        ])
        .write_inner_content(|w| {
            w.create_element("meta").write_inner_content(|w| {
                w.create_element("creator")
                    .write_text_content(BytesText::new("claimgraph"))?;
                w.create_element("description")
                    .write_text_content(BytesText::new(&format!("the {} view", view.kind)))?;
                Ok(())
            })?;
            w.create_element("graph")
                .with_attributes([("defaultedgetype", "directed"), ("mode", "static")])
                .write_inner_content(|w| {
                    for (class, keys) in [("node", NODE_KEYS), ("edge", EDGE_KEYS)] {
                        w.create_element("attributes")
                            .with_attributes([("class", class), ("mode", "static")])
                            .write_inner_content(|w| {
                                for key in keys.iter().filter(|k| !NATIVE.contains(&k.name)) {
                                    w.create_element("attribute")
                                        .with_attributes([
                                            ("id", key.name),
                                            ("title", key.name),
                                            ("type", type_name(key.ty)),
                                        ])
                                        .write_empty()?;
                                }
                                Ok(())
                            })?;
                    }
                    w.create_element("nodes").write_inner_content(|w| {
                        for n in view.graph.node_indices() {
                            let colour = node_colour(view, n);
                            w.create_element("node")
                                .with_attributes([
                                    ("id", view.node_id(n)),
                                    ("label", view.node_label(n).as_ref()),
                                ])
                                .write_inner_content(|w| {
                                    attvalues(w, attributes::node(view, n))?;
                                    viz_color(w, colour)?;
                                    if let Some(layout) = layout {
                                        let (x, y) = position(layout, n);
                                        w.create_element("viz:position")
                                            .with_attributes([
                                                ("x", format!("{x:.1}").as_str()),
                                                ("y", format!("{y:.1}").as_str()),
                                                ("z", "0.0"),
                                            ])
                                            .write_empty()?;
                                    }
                                    w.create_element("viz:size")
                                        .with_attribute((
                                            "value",
                                            format!("{:.1}", node_size(view, n)).as_str(),
                                        ))
                                        .write_empty()?;
                                    Ok(())
                                })?;
                        }
                        Ok(())
                    })?;
                    w.create_element("edges").write_inner_content(|w| {
                        for e in view.graph.edge_indices() {
                            let (from, to) = view.graph.edge_endpoints(e).expect("the edge exists");
                            let edge = &view.graph[e];
                            let weight = attributes::weight(&edge.kind, &edge.support);
                            w.create_element("edge")
                                .with_attributes([
                                    ("id", edge.id.as_str()),
                                    ("source", view.node_id(from)),
                                    ("target", view.node_id(to)),
                                    ("kind", edge_kind(view, &edge.kind).as_ref()),
                                    ("label", attributes::edge_label(view, &edge.kind).as_ref()),
                                    ("weight", format!("{weight:.1}").as_str()),
                                ])
                                .write_inner_content(|w| {
                                    attvalues(w, attributes::edge(view, e))?;
                                    viz_color(w, EdgeTone::of(&edge.support).colour())
                                })?;
                        }
                        Ok(())
                    })?;
                    Ok(())
                })?;
            Ok(())
        })?;
    w.into_inner().write_all(b"\n")
}

fn viz_color<W: Write>(w: &mut Writer<W>, Rgb(r, g, b): Rgb) -> std::io::Result<()> {
    w.create_element("viz:color")
        .with_attributes([
            ("r", r.to_string().as_str()),
            ("g", g.to_string().as_str()),
            ("b", b.to_string().as_str()),
        ])
        .write_empty()?;
    Ok(())
}

fn attvalues<W: Write>(
    w: &mut Writer<W>,
    values: Vec<(&'static Key, AttrValue<'_>)>,
) -> std::io::Result<()> {
    w.create_element("attvalues").write_inner_content(|w| {
        for (key, value) in values.iter().filter(|(k, _)| !NATIVE.contains(&k.name)) {
            w.create_element("attvalue")
                .with_attributes([("for", key.name), ("value", value.to_text().as_ref())])
                .write_empty()?;
        }
        Ok(())
    })?;
    Ok(())
}
