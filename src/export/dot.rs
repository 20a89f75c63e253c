//! DOT diagrams through graphviz-rust: node shape and colour by kind, edge labels, tooltips with
//! reporters and quotes, denied claims dashed, hedged ones dotted, conflicting ones red, line
//! width by independent origins, clusters per source document (in two columns around the
//! entities in the provenance view), nodes with no edge in a box of
//! their own, and a legend of every style.
//!
//! Every id and text goes through [`quoted`] or [`html`]; graphviz-rust escapes nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::attributes::{self, edge_label};
use super::palette::kind_style;
use super::quote::{html, quoted, shorten, wrap};
use super::{ExportError, Exporter, Format, Output};
use crate::model::{EntityKind, Stance};
use crate::store::snapshot::{ClaimRow, RowClaim, RowEntity, RowSource};
use crate::view::{EdgeKind, Item, Stances, Support, View, ViewKind};

/// The DOT source of a view.
#[derive(Debug, Clone, Copy)]
pub struct Dot;

impl Exporter for Dot {
    fn write(&self, view: &View<'_>, out: &mut Output<'_>) -> Result<(), ExportError> {
        out.write_all(source(view).as_bytes())
            .map_err(ExportError::writing(Format::Dot))
    }
}

/// The view as DOT text, ending in a line break.
pub fn source(view: &View<'_>) -> String {
    let mut text = graph(view).print(&mut PrinterContext::default());
    text.push('\n');
    text
}

const FONT: &str = "DejaVu Sans";
/// Quotes in tooltips are cut to this many characters; the JSON exports carry them whole.
const QUOTE_CHARS: usize = 240;
/// Tooltips list at most this many claims, then say how many more there are.
const TOOLTIP_CLAIMS: usize = 8;
/// Node and edge labels are wrapped at about this many characters.
const LABEL_WIDTH: usize = 24;
/// The entities view wraps narrower: its width is its ranks, each as wide as its widest label.
const ENTITY_LABEL_WIDTH: usize = 16;

/// The provenance view wraps wider: its entities stand in one column between two of claims,
/// and that column is as tall as their lines.
const PROVENANCE_LABEL_WIDTH: usize = 36;

fn label_width(view: &View<'_>) -> usize {
    match view.kind {
        ViewKind::Entities => ENTITY_LABEL_WIDTH,
        ViewKind::Provenance => PROVENANCE_LABEL_WIDTH,
        ViewKind::Citations => LABEL_WIDTH,
    }
}
/// Claim labels are cut to this many characters; the tooltip has the whole claim.
const CLAIM_LABEL_CHARS: usize = 64;
/// A claim's subject is cut to this many characters before what is said of it.
const CLAIM_SUBJECT_CHARS: usize = 36;

const RED: &str = "#c00000";
const INK: &str = "#404040";
/// The background of a source document's cluster.
const DOCUMENT: &str = "#f7f7f7";
const REPORTED: &str = "#2f5597";
const CITES: &str = "#c55a11";
/// A curated link: the analyst's own fact, drawn apart from what claims say.
const LINK: &str = "#7f7f7f";

fn attr(name: &str, value: &str) -> Attribute {
    Attribute(Id::Plain(name.to_owned()), quoted(value))
}

fn stmt_attrs(kind: &str, attrs: Vec<Attribute>) -> Stmt {
    Stmt::GAttribute(GraphAttributes::new(kind, attrs))
}

fn node(id: &str, attrs: Vec<Attribute>) -> Stmt {
    Stmt::Node(Node::new(NodeId(quoted(id), None), attrs))
}

fn edge_between(from: &str, to: &str, attrs: Vec<Attribute>) -> Stmt {
    Stmt::Edge(Edge {
        ty: EdgeTy::Pair(
            Vertex::N(NodeId(quoted(from), None)),
            Vertex::N(NodeId(quoted(to), None)),
        ),
        attributes: attrs,
    })
}

fn subgraph(id: &str, stmts: Vec<Stmt>) -> Stmt {
    Stmt::Subgraph(Subgraph {
        id: quoted(id),
        stmts,
    })
}

fn graph(view: &View<'_>) -> Graph {
    let mut stmts = vec![
        stmt_attrs("graph", graph_attributes(view)),
        stmt_attrs(
            "node",
            vec![
                attr("fontname", FONT),
                attr("fontsize", "10"),
                attr("style", "filled"),
                attr("margin", "0.08,0.04"),
                // Graphviz's least height is half an inch, twice a line of text: hundreds of
                // claims in a column would take twice the room they need.
                attr("height", "0.3"),
            ],
        ),
        stmt_attrs(
            "edge",
            vec![
                attr("fontname", FONT),
                attr("fontsize", "8"),
                attr("arrowsize", "0.6"),
                attr("color", INK),
                attr("fontcolor", INK),
            ],
        ),
    ];
    // Nodes with no edge in the view go into a box of their own, not into the layout.
    let unlinked: Vec<NodeIndex> = view
        .graph
        .node_indices()
        .filter(|&n| view.graph.neighbors_undirected(n).next().is_none())
        .collect();
    let linked = |n: &NodeIndex| !unlinked.contains(n);
    match view.kind {
        // One cluster per source document, holding its claims.
        ViewKind::Provenance => {
            // Keyed by position among the sources, which is id order.
            let mut documents: BTreeMap<RowSource, Vec<Stmt>> = BTreeMap::new();
            for n in view.graph.node_indices().filter(linked) {
                match view.graph[n].item {
                    Item::Claim(c) => documents
                        .entry(view.claim(c).source)
                        .or_default()
                        .push(node_stmt(view, n)),
                    Item::Entity(_) => stmts.push(node_stmt(view, n)),
                }
            }
            for (source, nodes) in documents {
                let id = &view.source(source).id;
                let mut body = vec![stmt_attrs(
                    "graph",
                    vec![
                        Attribute(Id::Plain("label".to_owned()), document_label(view, source)),
                        attr("tooltip", &document_title(view, source)),
                        attr("id", &format!("cluster:{id}")),
                        attr("style", "rounded,filled"),
                        attr("fillcolor", DOCUMENT),
                        attr("color", "#bfbfbf"),
                        attr("fontsize", "12"),
                        attr("labeljust", "l"),
                    ],
                )];
                body.extend(nodes);
                stmts.push(subgraph(&format!("cluster:{id}"), body));
            }
        }
        ViewKind::Entities | ViewKind::Citations => {
            stmts.extend(
                view.graph
                    .node_indices()
                    .filter(linked)
                    .map(|n| node_stmt(view, n)),
            );
        }
    }
    if !unlinked.is_empty() {
        stmts.push(unlinked_box(view, &unlinked));
    }
    let right = right_side(view);
    for e in view.graph.edge_references() {
        let on_right = [e.source(), e.target()]
            .into_iter()
            .any(|n| match view.graph[n].item {
                Item::Claim(c) => right.contains(&view.claim(c).source),
                Item::Entity(_) => false,
            });
        stmts.push(edge_stmt(view, e.id(), e.source(), e.target(), on_right));
    }
    stmts.push(legend(view));
    Graph::DiGraph {
        id: quoted(&format!("claimgraph {}", view.kind)),
        strict: false,
        stmts,
    }
}

fn graph_attributes(view: &View<'_>) -> Vec<Attribute> {
    let title = match (&view.focus, view.kind) {
        (Some(focus), kind) => format!(
            "{} view around {} ({} within {})",
            match kind {
                ViewKind::Entities => "Entity",
                ViewKind::Provenance => "Provenance",
                ViewKind::Citations => "Citation",
            },
            view.find(&focus.id)
                .map_or_else(|| focus.id.clone(), |n| view.node_label(n).into_owned()),
            focus.id,
            count(focus.depth, "step", "steps")
        ),
        (None, ViewKind::Entities) => {
            "Entities: who did what to whom, by the claims of the documents".to_owned()
        }
        (None, ViewKind::Provenance) => {
            "Provenance: who reported which claim about whom, citing whom".to_owned()
        }
        (None, ViewKind::Citations) => "Citations: who cites whom".to_owned(),
    };
    let title = match view.document {
        Some(source) => format!("{title}, in {}", document_title(view, source)),
        None => title,
    };
    let mut attrs = vec![
        attr("label", &title),
        attr("labelloc", "t"),
        attr("fontname", FONT),
        attr("fontsize", "16"),
        attr("rankdir", "LR"),
        attr("newrank", "true"),
        attr("outputorder", "edgesfirst"),
        attr("pad", "0.3"),
        attr("bgcolor", "white"),
    ];
    let (nodesep, ranksep) = match view.kind {
        // Tight: the whole curated set must fit a screen without scaling its fonts down.
        ViewKind::Entities => ("0.04", "0.2"),
        ViewKind::Provenance => ("0.03", "1.6"),
        ViewKind::Citations => ("0.25", "1.2"),
    };
    attrs.push(attr("nodesep", nodesep));
    attrs.push(attr("ranksep", ranksep));
    attrs
}

fn document_title(view: &View<'_>, source: RowSource) -> String {
    let row = view.source(source);
    let name = view.entity_name(row.entity);
    match (&row.title, &row.published) {
        (Some(title), Some(published)) if title != name => {
            format!("{name} ({published}): {}", shorten(title, 90))
        }
        (_, Some(published)) => format!("{name} ({published})"),
        _ => name.to_owned(),
    }
}

/// A cluster's HTML-like label: the document's name in bold, its date and title below.
fn document_label(view: &View<'_>, source: RowSource) -> Id {
    let row = view.source(source);
    let mut label = format!(
        "<B>{}</B>",
        html(&shorten(view.entity_name(row.entity), 120))
    );
    let details: Vec<&str> = [row.published.as_deref(), row.title.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if !details.is_empty() {
        label.push_str(&format!(
            "<BR/><FONT POINT-SIZE=\"10\">{}</FONT>",
            html(&shorten(&details.join(": "), 110))
        ));
    }
    Id::Html(format!("<{label}>"))
}

fn node_stmt(view: &View<'_>, n: NodeIndex) -> Stmt {
    let id = view.node_id(n);
    let mut attrs = vec![attr("id", &format!("node:{id}"))];
    match view.graph[n].item {
        Item::Entity(e) => {
            let entity = view.entity(e);
            let style = kind_style(entity.kind);
            attrs.extend([
                attr("label", &wrap(&entity.name, label_width(view))),
                attr("shape", style.shape),
                attr("fillcolor", &style.fill.hex()),
                attr("color", &style.colour.hex()),
                attr("tooltip", &entity_tooltip(view, n)),
            ]);
            if style.shape == "box" {
                attrs.push(attr("style", "rounded,filled"));
            }
        }
        Item::Claim(c) => {
            let claim = view.claim(c);
            let mut style = vec!["rounded", "filled"];
            if claim.stance == Stance::Denies {
                style.push("dashed");
            } else if claim.hedged {
                style.push("dotted");
            }
            let conflicting = !claim.conflicts.is_empty();
            // The subject in bold, then what is said of it, on one line: a claim reads on its
            // own, and a column of hundreds of claims stays as short as it can.
            let label = format!(
                "<<B>{}</B> {}>",
                html(&shorten(
                    view.entity_name(claim.subject),
                    CLAIM_SUBJECT_CHARS
                )),
                html(&shorten(&view.claim_label(c), CLAIM_LABEL_CHARS))
            );
            attrs.push(Attribute(Id::Plain("label".to_owned()), Id::Html(label)));
            attrs.extend([
                attr("shape", "box"),
                attr("style", &style.join(",")),
                attr("fillcolor", "white"),
                attr("color", if conflicting { RED } else { "#7f7f7f" }),
                attr("fontsize", "9"),
            ]);
            // A document's drawing is a page: its claims, a hundred or more in one column,
            // stand a line of text high, with no margin above or below it.
            match view.document {
                Some(_) => attrs.extend([attr("height", "0.15"), attr("margin", "0.06,0")]),
                None => attrs.push(attr("height", "0.2")),
            }
            attrs.push(attr("tooltip", &claim_tooltip(view, c)));
            if conflicting {
                attrs.push(attr("penwidth", "2"));
                attrs.push(attr("fontcolor", RED));
            }
        }
    }
    node(id, attrs)
}

/// The documents whose claims the provenance view draws right of the entities they are about,
/// their reporters further right; the others' claims stand left of the entities. Two columns of
/// claims, balanced by their number, make the drawing half as tall as one. None in a view of
/// fewer than [`TWO_COLUMNS_FROM`] claims.
fn right_side(view: &View<'_>) -> BTreeSet<RowSource> {
    if view.kind != ViewKind::Provenance {
        return BTreeSet::new();
    }
    let mut claims: BTreeMap<RowSource, usize> = BTreeMap::new();
    for n in view.graph.node_weights() {
        if let Item::Claim(c) = n.item {
            *claims.entry(view.claim(c).source).or_default() += 1;
        }
    }
    if claims.values().sum::<usize>() < TWO_COLUMNS_FROM {
        return BTreeSet::new();
    }
    let mut documents: Vec<(RowSource, usize)> = claims.into_iter().collect();
    // The largest first, each to the lighter side; ties keep the documents' order.
    documents.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
    let (mut left, mut right) = (0, 0);
    let mut on_right = BTreeSet::new();
    for (source, n) in documents {
        if right < left {
            right += n;
            on_right.insert(source);
        } else {
            left += n;
        }
    }
    on_right
}

/// From this many claims on, the provenance view draws them in two columns: fewer stand in one
/// column no taller than a screen, which reads left to right without a wide, flat drawing.
const TWO_COLUMNS_FROM: usize = 40;

/// An edge's statement. `mirrored` edges (of claims on the right, see [`right_side`]) are
/// written from head to tail with `dir=back`: `dot` ranks a tail before its head, so the
/// claim lands right of its subject, and the arrow still points where the edge goes.
fn edge_stmt(
    view: &View<'_>,
    e: EdgeIndex,
    from: NodeIndex,
    to: NodeIndex,
    mirrored: bool,
) -> Stmt {
    let edge = &view.graph[e];
    let support = &edge.support;
    let mut attrs = vec![attr("id", &format!("edge:{}", edge.id))];
    let tooltip = edge_tooltip(view, from, to, e);
    match &edge.kind {
        EdgeKind::Statement { .. } | EdgeKind::Citation => {
            let mut label = edge_label(view, &edge.kind).into_owned();
            if matches!(edge.kind, EdgeKind::Citation) {
                label = count(support.claims.len(), "claim", "claims");
            }
            let mut label = wrap(&label, label_width(view));
            if let Some(note) = contest_note(&edge.kind, support) {
                label.push('\n');
                label.push_str(&note);
                attrs.push(attr("color", RED));
                attrs.push(attr("fontcolor", RED));
            }
            attrs.push(attr("label", &label));
            // The width is the edge's weight: affirming voices only, so a denial never
            // thickens a line.
            let width = attributes::weight(&edge.kind, support) as usize;
            attrs.push(attr("penwidth", &penwidth(width)));
            if let Some(style) = line_style(support) {
                attrs.push(attr("style", style));
            }
        }
        EdgeKind::Reported => attrs.extend([attr("color", REPORTED), attr("penwidth", "0.8")]),
        EdgeKind::Cites { position } => {
            if let Some(label) = chain_position(view, support, *position) {
                attrs.push(attr("label", &label));
            }
            attrs.extend([
                attr("color", CITES),
                attr("fontcolor", CITES),
                attr("style", "dashed"),
                attr("penwidth", "0.8"),
            ]);
        }
        EdgeKind::About => attrs.push(attr("penwidth", "1.0")),
        EdgeKind::Link { .. } => attrs.extend([
            attr("label", &edge_label(view, &edge.kind)),
            attr("color", LINK),
            attr("fontcolor", LINK),
            attr("arrowhead", "empty"),
            attr("penwidth", "0.8"),
        ]),
    }
    attrs.push(attr("tooltip", &tooltip));
    if mirrored {
        attrs.push(attr("dir", "back"));
        return edge_between(view.node_id(to), view.node_id(from), attrs);
    }
    edge_between(view.node_id(from), view.node_id(to), attrs)
}

/// A cited entity's place in its claim's chain, shown only when the chain has more than one:
/// `1` is whom the reporter cites, `2` whom that one cites.
fn chain_position(view: &View<'_>, support: &Support, position: usize) -> Option<String> {
    let long = support
        .claims
        .iter()
        .any(|&c| view.claim(c).citing.len() > 1);
    long.then(|| position.to_string())
}

/// What a contested edge adds to its label: the voices for and against a statement, or that a
/// claim behind it contradicts another.
fn contest_note(kind: &EdgeKind, support: &Support) -> Option<String> {
    if !support.contested() {
        return None;
    }
    Some(match kind {
        EdgeKind::Statement { .. } if !support.denying.is_empty() => format!(
            "(contested: {} for, {} against)",
            support.affirming.len(),
            support.denying.len()
        ),
        _ if support.conflicting => "(conflicting)".to_owned(),
        _ => "(denied)".to_owned(),
    })
}

/// Dashed when every claim denies, dotted when every claim is hedged.
fn line_style(support: &Support) -> Option<&'static str> {
    match support.stance {
        Stances::Denied => Some("dashed"),
        _ if support.hedged => Some("dotted"),
        _ => None,
    }
}

/// "1 claim", "3 claims".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One independent origin draws a thin line; each more, a thicker one, up to a limit.
fn penwidth(count: usize) -> String {
    let width = 1.0 + 1.25 * (count.clamp(1, 5) - 1) as f64;
    format!("{width:.2}")
}

fn entity_tooltip(view: &View<'_>, n: NodeIndex) -> String {
    let Item::Entity(e) = view.graph[n].item else {
        unreachable!("entity nodes only")
    };
    let entity = view.entity(e);
    let mut lines = vec![
        entity.name.clone(),
        format!("{} · {}", entity.kind, entity.id),
    ];
    if !entity.aliases.is_empty() {
        lines.push(format!("also: {}", entity.aliases.join(", ")));
    }
    if let Some(description) = &entity.description {
        lines.push(shorten(description, QUOTE_CHARS));
    }
    if let Some(grade) = &entity.reliability {
        lines.push(format!("reliability: {grade}"));
    }
    let values = &view.graph[n].values;
    if !values.is_empty() {
        lines.push(String::new());
        lines.push(format!("claimed of {}:", entity.name));
        lines.extend(claim_lines(view, values));
    }
    lines.join("\n")
}

fn claim_tooltip(view: &View<'_>, c: RowClaim) -> String {
    let claim = view.claim(c);
    let mut lines = vec![view.claim_sentence(c)];
    let mut about = vec![claim.id.clone(), document_title(view, claim.source)];
    if let Some(when) = &claim.when {
        about.push(format!("when: {when}"));
    }
    lines.push(about.join(" · "));
    lines.push(attribution(view, claim));
    lines.push(format!("“{}”", shorten(&claim.quote, QUOTE_CHARS)));
    if let Some(note) = &claim.note {
        lines.push(format!("note: {}", shorten(note, QUOTE_CHARS)));
    }
    for conflict in view.conflicts_of(claim) {
        let other = if conflict.claim_a == claim.id {
            &conflict.claim_b
        } else {
            &conflict.claim_a
        };
        lines.push(format!(
            "conflicts with {other} ({}): {}",
            conflict.reason.as_str(),
            conflict.detail
        ));
    }
    lines.join("\n")
}

/// "reported by NOS, citing Kyiv Independent ← Ukrainian intelligence; hedged; denies"
fn attribution(view: &View<'_>, claim: &ClaimRow) -> String {
    let name = |e: RowEntity| view.entity_name(e);
    let mut text = format!("reported by {}", name(claim.reporter));
    if !claim.citing.is_empty() {
        let chain: Vec<&str> = claim.citing.iter().map(|&e| name(e)).collect();
        text.push_str(&format!(", citing {}", chain.join(" ← ")));
    }
    if claim.interested {
        text.push_str(&format!("; origin {} is a party to it", name(claim.origin)));
    }
    if claim.hedged {
        text.push_str("; hedged");
    }
    if claim.stance == Stance::Denies {
        text.push_str("; denies");
    }
    text
}

/// One line per claim, at most [`TOOLTIP_CLAIMS`] of them.
fn claim_lines(view: &View<'_>, claims: &[RowClaim]) -> Vec<String> {
    let mut lines: Vec<String> = claims
        .iter()
        .take(TOOLTIP_CLAIMS)
        .map(|&c| {
            let claim = view.claim(c);
            format!(
                "• {} — {} in {}: “{}”",
                view.claim_label(c),
                attribution(view, claim),
                view.entity_name(view.source(claim.source).entity),
                shorten(&claim.quote, QUOTE_CHARS)
            )
        })
        .collect();
    if claims.len() > TOOLTIP_CLAIMS {
        lines.push(format!("… and {} more", claims.len() - TOOLTIP_CLAIMS));
    }
    lines
}

fn edge_tooltip(view: &View<'_>, from: NodeIndex, to: NodeIndex, e: EdgeIndex) -> String {
    let edge = &view.graph[e];
    let support = &edge.support;
    let mut lines = vec![format!(
        "{} —{}→ {}",
        view.node_label(from),
        edge_label(view, &edge.kind),
        view.node_label(to)
    )];
    if let EdgeKind::Link { field } = edge.kind {
        lines.push(format!("curated field `{}`, no claim", field.as_str()));
        return lines.join("\n");
    }
    // A claim's own edges need only say which claim: its node's tooltip has the rest.
    if let [claim] = support.claims.as_slice()
        && view.kind == ViewKind::Provenance
    {
        lines[0] = format!(
            "{}: {}",
            edge_label(view, &edge.kind),
            view.claim_sentence(*claim)
        );
        return lines.join("\n");
    }
    let reporters: Vec<&str> = support
        .reporters
        .iter()
        .map(|&r| view.entity(r).name.as_str())
        .collect();
    lines.push(format!(
        "{} in {}, {}; reported by {}",
        count(support.claims.len(), "claim", "claims"),
        count(support.documents.len(), "document", "documents"),
        corroboration(view, support),
        reporters.join(", ")
    ));
    lines.extend(claim_lines(view, &support.claims));
    lines.join("\n")
}

/// "affirmed by 2 independent origins (A, B), denied by 1 (C)": the voices for and against
/// the claims of an edge, counted apart.
fn corroboration(view: &View<'_>, support: &Support) -> String {
    let names = |voices: &[RowEntity]| -> String {
        let names: Vec<&str> = voices
            .iter()
            .map(|&v| view.entity(v).name.as_str())
            .collect();
        names.join(", ")
    };
    let mut parts = Vec::new();
    if !support.affirming.is_empty() {
        parts.push(format!(
            "affirmed by {} ({})",
            count(
                support.affirming.len(),
                "independent origin",
                "independent origins"
            ),
            names(&support.affirming)
        ));
    }
    if !support.denying.is_empty() {
        let denied = if support.affirming.is_empty() {
            count(
                support.denying.len(),
                "independent origin",
                "independent origins",
            )
        } else {
            support.denying.len().to_string()
        };
        parts.push(format!("denied by {denied} ({})", names(&support.denying)));
    }
    parts.join(", ")
}

/// The id of the box of nodes that have no edge in the view.
const UNLINKED: &str = "cluster_unlinked";

/// The nodes that have no edge in the view, in a labelled box of rows of [`UNLINKED_ROW`], so
/// that they neither float as a column in the middle of the layout nor pass unseen.
fn unlinked_box(view: &View<'_>, nodes: &[NodeIndex]) -> Stmt {
    let mut stmts = vec![stmt_attrs(
        "graph",
        vec![
            attr(
                "label",
                &format!(
                    "Not linked in this view ({})",
                    count(nodes.len(), "node", "nodes")
                ),
            ),
            attr("id", UNLINKED),
            attr("style", "rounded,dashed"),
            attr("color", "#bfbfbf"),
            attr("fontsize", "12"),
        ],
    )];
    stmts.extend(nodes.iter().map(|&n| node_stmt(view, n)));
    // In a left-to-right layout each row's invisible chain spans ranks side by side, and the
    // rows stack: a grid rather than one more column.
    for row in nodes.chunks(UNLINKED_ROW) {
        for pair in row.windows(2) {
            stmts.push(edge_between(
                view.node_id(pair[0]),
                view.node_id(pair[1]),
                vec![attr("style", "invis"), attr("class", "legend")],
            ));
        }
    }
    subgraph(UNLINKED, stmts)
}

/// How many unlinked nodes stand side by side in their box.
const UNLINKED_ROW: usize = 4;

/// The legend: a sample of every node kind and line style the view uses.
fn legend(view: &View<'_>) -> Stmt {
    let mut stmts = vec![stmt_attrs(
        "graph",
        vec![
            attr("label", "Legend"),
            // `_` is in no claimgraph id, so no document's cluster (`cluster:<id>`) can clash.
            attr("id", "cluster_legend"),
            attr("style", "rounded"),
            attr("color", "#bfbfbf"),
            attr("fontsize", "12"),
        ],
    )];
    let mut kinds: Vec<EntityKind> = view
        .graph
        .node_weights()
        .filter_map(|n| match n.item {
            Item::Entity(e) => Some(view.entity(e).kind),
            Item::Claim(_) => None,
        })
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    let legend_node = |id: &str, attrs: Vec<Attribute>| {
        let mut all = vec![attr("id", id), attr("class", "legend")];
        all.extend(attrs);
        node(id, all)
    };
    let mut samples: Vec<(String, Vec<Attribute>)> = Vec::new();
    for kind in kinds {
        let style = kind_style(kind);
        let mut attrs = vec![
            attr("label", kind.as_str()),
            attr("shape", style.shape),
            attr("fillcolor", &style.fill.hex()),
            attr("color", &style.colour.hex()),
            attr("tooltip", &format!("an entity of kind {kind}")),
        ];
        if style.shape == "box" {
            attrs.push(attr("style", "rounded,filled"));
        }
        samples.push((format!("legend:{kind}"), attrs));
    }
    if view.kind == ViewKind::Provenance {
        for (name, label, style, colour) in [
            ("claim", "claim", "rounded,filled", "#7f7f7f"),
            (
                "denied",
                "claim that denies",
                "rounded,filled,dashed",
                "#7f7f7f",
            ),
            (
                "hedged",
                "hedged claim\n(“reportedly”)",
                "rounded,filled,dotted",
                "#7f7f7f",
            ),
            (
                "conflicting",
                "claim that conflicts\nwith another",
                "rounded,filled",
                RED,
            ),
            (
                "document",
                "one source document\nand its claims",
                "rounded,filled",
                "#bfbfbf",
            ),
        ] {
            let mut attrs = vec![
                attr("label", label),
                attr("shape", "box"),
                attr("style", style),
                attr(
                    "fillcolor",
                    if name == "document" {
                        DOCUMENT
                    } else {
                        "white"
                    },
                ),
                attr("color", colour),
                attr("fontsize", "9"),
            ];
            if colour == RED {
                attrs.extend([attr("fontcolor", RED), attr("penwidth", "2")]);
            }
            samples.push((format!("legend:{name}"), attrs));
        }
    }
    // Two columns, held side by side by invisible edges, keep the legend short.
    let half = samples.len().div_ceil(2);
    for (id, attrs) in &samples {
        stmts.push(legend_node(id, attrs.clone()));
    }
    for (left, right) in samples.iter().zip(samples.iter().skip(half)) {
        stmts.push(edge_between(
            &left.0,
            &right.0,
            vec![attr("style", "invis"), attr("class", "legend")],
        ));
    }
    for (name, sample) in line_samples(view.kind) {
        let from = format!("legend:{name}:from");
        let to = format!("legend:{name}:to");
        for id in [&from, &to] {
            stmts.push(legend_node(
                id,
                // Invisible ends a label's height apart, so that each sample is a straight
                // line under its label however tightly the view packs its nodes.
                vec![
                    attr("label", ""),
                    attr("shape", "none"),
                    attr("style", "invis"),
                    attr("width", "0.05"),
                    attr("height", "0.35"),
                ],
            ));
        }
        let mut attrs = vec![
            attr("id", &format!("legend:{name}")),
            attr("class", "legend"),
        ];
        attrs.extend(sample);
        stmts.push(edge_between(&from, &to, attrs));
    }
    subgraph("cluster_legend", stmts)
}

/// The line styles a view draws, each as a legend sample: a name and the edge's attributes.
fn line_samples(kind: ViewKind) -> Vec<(&'static str, Vec<Attribute>)> {
    let sample = |label: &str, attrs: &[(&str, &str)]| {
        let mut all = vec![attr("label", label)];
        all.extend(attrs.iter().map(|(n, v)| attr(n, v)));
        all
    };
    match kind {
        ViewKind::Entities => vec![
            ("affirmed", sample("claimed, 1 origin", &[])),
            (
                "origins",
                sample(
                    "affirmed by 3 independent origins",
                    &[("penwidth", &penwidth(3))],
                ),
            ),
            (
                "contested",
                sample(
                    "(contested: 2 for, 1 against)\nwidth: the 2 for",
                    &[
                        ("color", RED),
                        ("fontcolor", RED),
                        ("penwidth", &penwidth(2)),
                    ],
                ),
            ),
            (
                "denied",
                sample(
                    "only denied",
                    &[("style", "dashed"), ("color", RED), ("fontcolor", RED)],
                ),
            ),
            ("hedged", sample("hedged", &[("style", "dotted")])),
            (
                "conflicting",
                sample(
                    "(conflicting): contradicts\nanother claim",
                    &[("color", RED), ("fontcolor", RED)],
                ),
            ),
            (
                "link",
                sample(
                    "curated field\n(nationality, part_of, …)",
                    &[
                        ("color", LINK),
                        ("fontcolor", LINK),
                        ("arrowhead", "empty"),
                        ("penwidth", "0.8"),
                    ],
                ),
            ),
        ],
        ViewKind::Provenance => vec![
            (
                "reported",
                sample(
                    "reporter → claim",
                    &[
                        ("color", REPORTED),
                        ("fontcolor", REPORTED),
                        ("penwidth", "0.8"),
                    ],
                ),
            ),
            (
                "cites",
                sample(
                    "claim → cited (1 = nearest, 2 = whom 1 cites)",
                    &[
                        ("color", CITES),
                        ("fontcolor", CITES),
                        ("style", "dashed"),
                        ("penwidth", "0.8"),
                    ],
                ),
            ),
            ("about", sample("claim → subject", &[])),
        ],
        ViewKind::Citations => vec![
            ("citation", sample("cites, in 1 claim", &[])),
            (
                "claims",
                sample("in 3 claims", &[("penwidth", &penwidth(3))]),
            ),
            (
                "hedged",
                sample("hedged claims only", &[("style", "dotted")]),
            ),
            ("denied", sample("denials only", &[("style", "dashed")])),
            (
                "conflicting",
                sample("(conflicting)", &[("color", RED), ("fontcolor", RED)]),
            ),
        ],
    }
}
