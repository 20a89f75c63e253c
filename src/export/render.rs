//! SVG and PNG, drawn by Graphviz from the DOT source through graphviz-rust's `exec`. Graphviz
//! is the one tool outside claimgraph that an export may need; without it these two formats
//! fail with a message that says how to install it, and every other format still works.

use std::io::{ErrorKind, Write};
use std::process::{Command, Stdio};

use graphviz_rust::cmd::{CommandArg, Format as GraphvizFormat};

use super::{ExportError, Exporter, Format, Output, dot};
use crate::graph::views::View;

/// A drawing made by Graphviz's `dot`.
#[derive(Debug, Clone, Copy)]
pub struct Rendered {
    format: Format,
    graphviz: GraphvizFormat,
}

impl Rendered {
    pub const SVG: Rendered = Rendered {
        format: Format::Svg,
        graphviz: GraphvizFormat::Svg,
    };
    pub const PNG: Rendered = Rendered {
        format: Format::Png,
        graphviz: GraphvizFormat::Png,
    };
}

impl Exporter for Rendered {
    fn write(&self, view: &View<'_>, out: &mut Output<'_>) -> Result<(), ExportError> {
        let source = dot::source(view);
        let drawing = graphviz_rust::exec_dot(source, vec![CommandArg::Format(self.graphviz)])
            .map_err(|e| {
                if e.kind() == ErrorKind::NotFound {
                    ExportError::GraphvizMissing {
                        format: self.format,
                    }
                } else {
                    ExportError::Graphviz {
                        format: self.format,
                        message: e.to_string().trim().to_owned(),
                    }
                }
            })?;
        out.write_all(&drawing)
            .map_err(ExportError::writing(self.format))
    }
}

/// Whether `dot` runs here: asked once, before a build draws anything.
pub fn available() -> bool {
    Command::new("dot")
        .arg("-V")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}
