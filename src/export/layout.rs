//! Where each node of a view stands, computed once per view by Graphviz's force-directed
//! `sfdp` and shared by every format that carries positions: the explorer, GEXF `viz:position`
//! and graphology's `x`/`y`. The page and the tools then draw what Graphviz laid out, with no
//! layout code of their own, and the same view gives the same positions wherever the same
//! Graphviz runs (`sfdp` starts from a fixed seed).
//!
//! Graphviz is given boxes of a fixed size made from each label wrapped to [`LABEL_WIDTH`]
//! characters, not the labels: the layout then depends on no font installed here, and the
//! explorer draws the same lines in the same boxes.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use petgraph::visit::EdgeRef;

use super::quote::wrap;
use super::render::{DotFailure, run_graphviz};
use super::{ExportError, Format};
use crate::view::View;

/// The most nodes and edges together that are laid out: measured here, 525 nodes with 3,815
/// edges take half a second and 5,250 nodes with 38,540 edges 4 to 19 s (`benches/explorer.py`);
/// beyond this a view is left without positions.
pub const MAX_ELEMENTS: usize = 50_000;

/// Characters per line of a node's label, in the layout and in the explorer.
pub const LABEL_WIDTH: usize = 24;

/// Points per character of the explorer's node labels (11 px sans-serif, a little generous so
/// that no label leaves its box), and the space around them.
const CHAR_WIDTH: f64 = 6.6;
const LINE_HEIGHT: f64 = 14.0;
const PADDING: f64 = 12.0;

/// A node's place: its centre and size, in points, with the origin at the top left.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// The label as drawn, wrapped to [`LABEL_WIDTH`].
    pub lines: Vec<String>,
}

/// Every node of a view placed, in node index order, and the size of the whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub nodes: Vec<Placement>,
}

/// Why a view has no layout.
#[derive(Debug)]
pub enum Unplaced {
    /// More than [`MAX_ELEMENTS`] nodes and edges.
    TooLarge(usize),
    Graphviz(DotFailure),
}

/// The last layout made, or why Graphviz made none, by the graph Graphviz was given: the
/// formats of one view (GEXF, graphology, the explorer) are written one after the other and
/// share it, and a layout that timed out is not tried again for the next format.
type Made = Result<Arc<Layout>, DotFailure>;
static LAST: Mutex<Option<(String, Made)>> = Mutex::new(None);

/// Whether `view` is small enough to be laid out.
pub fn fits(view: &View<'_>) -> bool {
    elements(view) <= MAX_ELEMENTS
}

fn elements(view: &View<'_>) -> usize {
    view.graph.node_count() + view.graph.edge_count()
}

/// Lays out `view` with `sfdp`, or gives the layout already made for the same graph.
pub fn lay_out(view: &View<'_>) -> Result<Arc<Layout>, Unplaced> {
    if !fits(view) {
        return Err(Unplaced::TooLarge(elements(view)));
    }
    let mut nodes: Vec<Placement> = view
        .graph
        .node_indices()
        .map(|n| {
            let lines: Vec<String> = wrap(&view.node_label(n), LABEL_WIDTH)
                .lines()
                .map(str::to_owned)
                .collect();
            let widest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
            Placement {
                x: 0.0,
                y: 0.0,
                width: widest as f64 * CHAR_WIDTH + 2.0 * PADDING,
                height: lines.len().max(1) as f64 * LINE_HEIGHT + PADDING,
                lines,
            }
        })
        .collect();
    if nodes.is_empty() {
        return Ok(Arc::new(Layout {
            width: 0.0,
            height: 0.0,
            nodes,
        }));
    }
    let source = source(view, &nodes);
    let mut last = LAST
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((made_for, made)) = last.as_ref()
        && *made_for == source
    {
        return made.clone().map_err(Unplaced::Graphviz);
    }
    let made = run_graphviz(&["-Ksfdp", "-Tplain"], source.as_bytes()).and_then(|plain| {
        let plain = String::from_utf8_lossy(&plain);
        let (width, height) = read_plain(&plain, &mut nodes).map_err(|message| {
            DotFailure::Failed(format!("unexpected layout from sfdp: {message}"))
        })?;
        Ok(Arc::new(Layout {
            width,
            height,
            nodes,
        }))
    });
    // An interrupted run says nothing about the graph; the process is ending anyway.
    if !matches!(made, Err(DotFailure::Interrupted)) {
        *last = Some((source, made.clone()));
    }
    made.map_err(Unplaced::Graphviz)
}

/// The layout of `view` for a format that is of use without one (GEXF, graphology): none when
/// the view is too large or Graphviz is missing, fails or is too slow, so that the file is
/// still written and the tool lays it out itself. Only an interruption stops the export.
pub fn if_any(view: &View<'_>, format: Format) -> Result<Option<Arc<Layout>>, ExportError> {
    match lay_out(view) {
        Ok(layout) => Ok(Some(layout)),
        Err(Unplaced::Graphviz(DotFailure::Interrupted)) => {
            Err(DotFailure::Interrupted.into_error(format))
        }
        Err(Unplaced::TooLarge(_) | Unplaced::Graphviz(_)) => Ok(None),
    }
}

/// The graph Graphviz lays out: numbered boxes of the labels' size, one undirected line per
/// pair of joined nodes.
fn source(view: &View<'_>, nodes: &[Placement]) -> String {
    let mut dot = String::with_capacity(64 * (nodes.len() + view.graph.edge_count()));
    // `prism` removes overlaps, `sep` keeps a margin between boxes; no edge routing is needed,
    // since the explorer draws straight lines between the centres.
    dot.push_str(
        "strict graph layout {\n  graph [overlap=prism, overlap_scaling=-4, sep=\"+10\", splines=false];\n  node [shape=box, fixedsize=true, label=\"\"];\n",
    );
    for (i, node) in nodes.iter().enumerate() {
        let _ = writeln!(
            dot,
            "  n{i} [width={:.3}, height={:.3}];",
            node.width / 72.0,
            node.height / 72.0
        );
    }
    for edge in view.graph.edge_references() {
        let (a, b) = (edge.source().index(), edge.target().index());
        if a != b {
            let _ = writeln!(dot, "  n{} -- n{};", a.min(b), a.max(b));
        }
    }
    dot.push_str("}\n");
    dot
}

/// Reads the positions of Graphviz's plain output into `nodes`; returns the size of the whole.
/// Graphviz measures in inches from the bottom left; the explorer in points from the top left.
fn read_plain(plain: &str, nodes: &mut [Placement]) -> Result<(f64, f64), String> {
    let mut size = None;
    let mut placed = 0;
    for line in plain.lines() {
        let mut words = line.split_whitespace();
        match words.next() {
            Some("graph") => {
                let numbers = numbers(words, 3)?;
                size = Some((numbers[1] * 72.0, numbers[2] * 72.0));
            }
            Some("node") => {
                let name = words.next().ok_or("a node without a name")?;
                let index: usize = name
                    .strip_prefix('n')
                    .and_then(|i| i.parse().ok())
                    .filter(|&i| i < nodes.len())
                    .ok_or_else(|| format!("unknown node {name:?}"))?;
                let (_, height) = size.ok_or("a node before the graph line")?;
                let numbers = numbers(words, 2)?;
                nodes[index].x = round(numbers[0] * 72.0);
                nodes[index].y = round(height - numbers[1] * 72.0);
                placed += 1;
            }
            _ => {}
        }
    }
    let (width, height) = size.ok_or("no graph line")?;
    if placed != nodes.len() {
        return Err(format!("{placed} of {} nodes placed", nodes.len()));
    }
    Ok((round(width), round(height)))
}

fn numbers<'a>(words: impl Iterator<Item = &'a str>, n: usize) -> Result<Vec<f64>, String> {
    let numbers: Vec<f64> = words
        .take(n)
        .map(|w| {
            w.parse::<f64>()
                .map_err(|_| format!("{w:?} is not a number"))
        })
        .collect::<Result<_, _>>()?;
    if numbers.len() == n {
        Ok(numbers)
    } else {
        Err("a line too short".into())
    }
}

/// Positions to a tenth of a point: finer is noise, and shorter numbers keep files small.
fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placement() -> Placement {
        Placement {
            x: 0.0,
            y: 0.0,
            width: 10.0,
            height: 10.0,
            lines: vec![],
        }
    }

    #[test]
    fn plain_output_is_read_from_the_top_left_in_points() {
        let mut nodes = vec![placement(), placement()];
        let plain = "graph 1 2 1\nnode n1 0.5 0.25 1 1 \"\" solid box black lightgrey\nnode n0 1 1 1 1 \"\" solid box black lightgrey\nstop\n";
        assert_eq!(read_plain(plain, &mut nodes), Ok((144.0, 72.0)));
        assert_eq!((nodes[0].x, nodes[0].y), (72.0, 0.0));
        assert_eq!((nodes[1].x, nodes[1].y), (36.0, 54.0));
    }

    #[test]
    fn a_node_left_unplaced_or_unknown_is_an_error() {
        let mut nodes = vec![placement(), placement()];
        let missing = "graph 1 2 1\nnode n0 1 1 1 1 \"\" solid box black lightgrey\nstop\n";
        assert_eq!(
            read_plain(missing, &mut nodes),
            Err("1 of 2 nodes placed".into())
        );
        let unknown = "graph 1 2 1\nnode n7 1 1 1 1 \"\" solid box black lightgrey\n";
        assert!(read_plain(unknown, &mut nodes).is_err());
    }
}
