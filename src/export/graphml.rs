//! GraphML, for yEd, Gephi and networkx: one `<key>` per attribute with its type, nodes and
//! edges with `<data>`. Every edge has its own id, so readers that meet parallel edges
//! (networkx makes a `MultiDiGraph`) keep each with its attributes.

use std::io::Write;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::attributes::{self, AttrType, AttrValue, EDGE_KEYS, Key, NODE_KEYS};
use super::{ExportError, Exporter, Format, Output};
use crate::view::View;

#[derive(Debug, Clone, Copy)]
pub struct Graphml;

impl Exporter for Graphml {
    fn write(&self, view: &View<'_>, out: &mut Output<'_>) -> Result<(), ExportError> {
        write(view, out).map_err(ExportError::writing(Format::Graphml))
    }
}

fn type_name(ty: AttrType) -> &'static str {
    match ty {
        AttrType::Text | AttrType::Ids | AttrType::Texts => "string",
        AttrType::Integer => "long",
        AttrType::Real => "double",
        AttrType::Boolean => "boolean",
    }
}

/// The `<key>` id of an attribute: `n3` for the fourth node attribute, `e0` for the first edge
/// attribute.
fn key_id(prefix: char, keys: &[Key], key: &Key) -> String {
    let at = keys
        .iter()
        .position(|k| k == key)
        .expect("attributes come from the key list");
    format!("{prefix}{at}")
}

fn write(view: &View<'_>, out: &mut Output<'_>) -> std::io::Result<()> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("graphml")
        .with_attributes([
            ("xmlns", "http://graphml.graphdrawing.org/xmlns"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
            ),
        ])
        .write_inner_content(|w| {
            // Names the writer near the start of the file: `export -o` replaces only files
            // that claimgraph wrote.
            w.create_element("desc").write_text_content(BytesText::new(&format!(
                "claimgraph: the {} view",
                view.kind
            )))?;
            for (prefix, target, keys) in [('n', "node", NODE_KEYS), ('e', "edge", EDGE_KEYS)] {
                for key in keys {
                    w.create_element("key")
                        .with_attributes([
                            ("id", key_id(prefix, keys, key).as_str()),
                            ("for", target),
                            ("attr.name", key.name),
                            ("attr.type", type_name(key.ty)),
                        ])
                        .write_inner_content(|w| {
                            w.create_element("desc")
                                .write_text_content(BytesText::new(key.about))?;
                            Ok(())
                        })?;
                }
            }
            let name = format!("claimgraph {}", view.kind);
            w.create_element("graph")
                .with_attributes([("id", name.as_str()), ("edgedefault", "directed")])
                .write_inner_content(|w| {
                    for n in view.graph.node_indices() {
                        w.create_element("node")
                            .with_attribute(("id", view.node_id(n)))
                            .write_inner_content(|w| data(w, 'n', NODE_KEYS, attributes::node(view, n)))?;
                    }
                    for e in view.graph.edge_indices() {
                        let (from, to) = view.graph.edge_endpoints(e).expect("the edge exists");
                        w.create_element("edge")
                            .with_attributes([
                                ("id", view.graph[e].id.as_str()),
                                ("source", view.node_id(from)),
                                ("target", view.node_id(to)),
                            ])
                            .write_inner_content(|w| data(w, 'e', EDGE_KEYS, attributes::edge(view, e)))?;
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
    w.into_inner().write_all(b"\n")
}

fn data<W: Write>(
    w: &mut Writer<W>,
    prefix: char,
    keys: &[Key],
    values: Vec<(&'static Key, AttrValue<'_>)>,
) -> std::io::Result<()> {
    for (key, value) in values {
        w.create_element("data")
            .with_attribute(("key", key_id(prefix, keys, key).as_str()))
            .write_text_content(BytesText::new(&value.to_text()))?;
    }
    Ok(())
}
