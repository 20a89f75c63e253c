//! Back ends for the views: one file per format, each behind [`Exporter`]. DOT is built with
//! graphviz-rust and rendered to SVG or PNG by Graphviz; the JSON family and the XML formats are
//! written from their own wire types. Same view, same bytes: nothing here reads a clock.

pub mod attributes;
mod cypher;
mod cytoscape;
mod dot;
mod explorer;
mod ftm;
mod gexf;
mod graphml;
mod graphology;
mod json;
mod layout;
mod node_link;
pub mod palette;
mod pretty;
pub mod quote;
mod rdf;
mod render;

use std::fmt;
use std::io::{self, BufWriter, Write};

use crate::view::{View, ViewKind};

/// Where an exporter writes: buffered, so the many small writes of a serialiser stay cheap
/// whatever the destination.
pub type Output<'w> = BufWriter<&'w mut dyn Write>;

/// One output format.
pub trait Exporter {
    /// Writes the view in this format to `out`, as the bytes of a file.
    fn write(&self, view: &View<'_>, out: &mut Output<'_>) -> Result<(), ExportError>;
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(
        "Graphviz is not installed (no `dot` program on the PATH); {format} needs it. Install it with `apt-get install graphviz` (Debian, Ubuntu), `brew install graphviz` (macOS) or from https://graphviz.org/download/, or export `dot` and render it elsewhere"
    )]
    GraphvizMissing { format: Format },
    #[error("Graphviz failed to render {format}: {message}")]
    Graphviz { format: Format, message: String },
    #[error(
        "Graphviz did not finish {format} within {} s and was stopped; draw a neighbourhood (`--focus ID --depth N`), or export `dot` and lay it out elsewhere (`sfdp` is faster on large graphs)",
        .limit.as_secs_f64()
    )]
    GraphvizTimedOut {
        format: Format,
        limit: std::time::Duration,
    },
    #[error(
        "this view has {elements} nodes and edges, more than the {limit} Graphviz lays out in reasonable time, so no {format} was drawn; draw a neighbourhood (`--focus ID --depth N`), or export `dot` or `gexf` for a tool made for large graphs"
    )]
    TooLarge {
        format: Format,
        elements: usize,
        limit: usize,
    },
    #[error("writing {format}: {source}")]
    Write {
        format: Format,
        #[source]
        source: io::Error,
    },
}

impl ExportError {
    /// A writing error of `format`, from whatever the writer failed with.
    fn writing(format: Format) -> impl FnOnce(io::Error) -> ExportError {
        move |source| ExportError::Write { format, source }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Dot,
    Svg,
    Png,
    Json,
    Cytoscape,
    NodeLink,
    Graphml,
    Gexf,
    Graphology,
    Html,
    Rdf,
    Nquads,
    Ftm,
    Cypher,
}

impl Format {
    pub const ALL: [Format; 14] = [
        Format::Dot,
        Format::Svg,
        Format::Png,
        Format::Json,
        Format::Cytoscape,
        Format::NodeLink,
        Format::Graphml,
        Format::Gexf,
        Format::Graphology,
        Format::Html,
        Format::Rdf,
        Format::Nquads,
        Format::Ftm,
        Format::Cypher,
    ];

    /// The name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Dot => "dot",
            Format::Svg => "svg",
            Format::Png => "png",
            Format::Json => "json",
            Format::Cytoscape => "cytoscape",
            Format::NodeLink => "node-link",
            Format::Graphml => "graphml",
            Format::Gexf => "gexf",
            Format::Graphology => "graphology",
            Format::Html => "html",
            Format::Rdf => "rdf",
            Format::Nquads => "nquads",
            Format::Ftm => "ftm",
            Format::Cypher => "cypher",
        }
    }

    /// How a file of this format ends, after the view's name: `entities.cytoscape.json`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Dot => "dot",
            Format::Svg => "svg",
            Format::Png => "png",
            Format::Json => "json",
            Format::Cytoscape => "cytoscape.json",
            Format::NodeLink => "node-link.json",
            Format::Graphml => "graphml",
            Format::Gexf => "gexf",
            Format::Graphology => "graphology.json",
            Format::Html => "html",
            Format::Rdf => "trig",
            Format::Nquads => "nq",
            Format::Ftm => "ftm.jsonl",
            Format::Cypher => "cypher",
        }
    }

    /// SVG and PNG are drawn by Graphviz, and the explorer's nodes are placed by it; everything
    /// else is written by claimgraph alone.
    pub fn needs_graphviz(self) -> bool {
        matches!(self, Format::Svg | Format::Png | Format::Html)
    }

    /// Whether writing `view` in this format reads the stored documents: the explorer shows
    /// each quote in its passage, unless the view is too large to lay out, when it is not
    /// written at all and reading every document would be wasted.
    pub fn needs_texts(self, view: &View<'_>) -> bool {
        match self {
            Format::Html => layout::fits(view),
            Format::Rdf | Format::Nquads | Format::Ftm => true,
            _ => false,
        }
    }

    /// The claims whose documents and quote offsets [`Format::needs_texts`] reads: the RDF
    /// formats hold more claims than the view draws (every claim, for a whole view).
    pub fn quoted_claims(self, view: &View<'_>) -> Vec<crate::store::snapshot::RowClaim> {
        match self {
            Format::Rdf | Format::Nquads | Format::Ftm => rdf::claims(view),
            _ => view.claims(),
        }
    }

    fn exporter(self) -> &'static dyn Exporter {
        match self {
            Format::Dot => &dot::Dot,
            Format::Svg => &render::Rendered::SVG,
            Format::Png => &render::Rendered::PNG,
            Format::Json => &json::Json,
            Format::Cytoscape => &cytoscape::Cytoscape,
            Format::NodeLink => &node_link::NodeLink,
            Format::Graphml => &graphml::Graphml,
            Format::Gexf => &gexf::Gexf,
            Format::Graphology => &graphology::Graphology,
            Format::Html => &explorer::Explorer,
            Format::Rdf => &rdf::Rdf::TriG,
            Format::Nquads => &rdf::Rdf::NQuads,
            Format::Ftm => &ftm::Ftm,
            Format::Cypher => &cypher::Cypher,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Writes the view in the given format to `out` as it is made, so that a large view is never
/// held whole in memory as text.
pub fn write(view: &View<'_>, format: Format, out: &mut dyn Write) -> Result<(), ExportError> {
    let mut buffered = BufWriter::with_capacity(1 << 16, out);
    format.exporter().write(view, &mut buffered)?;
    buffered.flush().map_err(ExportError::writing(format))
}

/// What `build` writes for each view: the diagram source, the drawing, and the JSON family.
pub const STANDARD_FORMATS: [Format; 8] = [
    Format::Dot,
    Format::Svg,
    Format::Json,
    Format::Cytoscape,
    Format::NodeLink,
    Format::Graphml,
    Format::Gexf,
    Format::Graphology,
];

/// Why an export was not written to its file or stream: the export failed, or its destination
/// did. `export -o`, `export` to stdout and the build's standard exports all tell them apart.
#[derive(Debug, thiserror::Error)]
pub enum Unwritten {
    #[error(transparent)]
    Export(ExportError),
    #[error(transparent)]
    Io(#[from] io::Error),
}

impl Unwritten {
    /// The destination's error, or else the export's own.
    pub fn into_io(self) -> Result<io::Error, ExportError> {
        match self {
            Unwritten::Io(e) | Unwritten::Export(ExportError::Write { source: e, .. }) => Ok(e),
            Unwritten::Export(e) => Err(e),
        }
    }
}

/// What `build` writes besides the views' standard formats: the explorer of the entities view.
pub const EXPLORER: (ViewKind, Format, &str) = (ViewKind::Entities, Format::Html, "explorer.html");

/// What `build` draws of each source document besides the whole views: its provenance, a
/// page where the whole provenance view of a few documents is already a poster.
pub const DOCUMENT_DRAWING: (ViewKind, Format) = (ViewKind::Provenance, Format::Svg);

/// The standard file name of a view in a format: `provenance.graphml`.
pub fn file_name(view: ViewKind, format: Format) -> String {
    format!("{}.{}", view.as_str(), format.extension())
}

/// The standard file name of one source document's view in a format:
/// `provenance-<source id>.svg`. Ids are lowercase letters, digits and `-`, so the name stays
/// in its folder and apart from every [`file_name`].
pub fn document_file_name(view: ViewKind, source: &str, format: Format) -> String {
    format!("{}-{source}.{}", view.as_str(), format.extension())
}

/// The source id in a file name that [`document_file_name`] makes of `view` and `format`.
pub fn document_of_file_name(name: &str, view: ViewKind, format: Format) -> Option<&str> {
    let source = name
        .strip_prefix(view.as_str())?
        .strip_prefix('-')?
        .strip_suffix(format.extension())?
        .strip_suffix('.')?;
    let id_like = !source.is_empty()
        && source
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    id_like.then_some(source)
}

/// How long each SVG or PNG drawing of this process may take.
pub fn set_drawing_time_limit(limit: std::time::Duration) {
    render::set_time_limit(limit);
}

/// Whether Graphviz's `dot` can be run here.
pub fn graphviz_available() -> bool {
    render::available()
}
