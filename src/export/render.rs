//! SVG and PNG, drawn by Graphviz's `dot` from the DOT source that graphviz-rust prints.
//! Graphviz is the one tool outside claimgraph that an export may need; without it these two
//! formats fail with a message that says how to install it, and every other format still works.
//!
//! `dot` runs as a child of claimgraph that reads the source on its standard input (no
//! temporary file), under a time limit, and is killed when the limit passes or claimgraph is
//! interrupted. Its layout time grows faster than the size of the graph, so a view larger
//! than [`MAX_ELEMENTS`] is not handed to it at all.

use std::io::{self, ErrorKind, Read, Write};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

use super::{ExportError, Exporter, Format, Output, dot};
use crate::interrupt;
use crate::view::View;

/// The most nodes and edges together that `dot` is asked to lay out. Measured on this
/// project's generated data: about 3,000 lay out in seconds; layout time then grows with
/// the square of the size, so 10,000 would take minutes.
pub const MAX_ELEMENTS: usize = 3_000;

/// How long one drawing may take when the command sets no limit of its own.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(60);

/// The time limit of every drawing of this process, when a command sets one.
static TIME_LIMIT: OnceLock<Duration> = OnceLock::new();

/// Sets how long each drawing of this process may take (the first call wins).
pub fn set_time_limit(limit: Duration) {
    let _ = TIME_LIMIT.set(limit);
}

/// A drawing made by Graphviz's `dot`.
#[derive(Debug, Clone, Copy)]
pub struct Rendered {
    format: Format,
    /// The value of `dot -T`.
    output: &'static str,
}

impl Rendered {
    pub const SVG: Rendered = Rendered {
        format: Format::Svg,
        output: "svg",
    };
    pub const PNG: Rendered = Rendered {
        format: Format::Png,
        output: "png",
    };
}

/// Whether `view` is small enough for `dot` to lay out in reasonable time.
pub fn fits(view: &View<'_>) -> bool {
    elements(view) <= MAX_ELEMENTS
}

fn elements(view: &View<'_>) -> usize {
    view.graph.node_count() + view.graph.edge_count()
}

impl Exporter for Rendered {
    fn write(&self, view: &View<'_>, out: &mut Output<'_>) -> Result<(), ExportError> {
        if !fits(view) {
            return Err(ExportError::TooLarge {
                format: self.format,
                elements: elements(view),
                limit: MAX_ELEMENTS,
            });
        }
        let mut drawing = run_graphviz(
            &[&format!("-T{}", self.output)],
            dot::source(view).as_bytes(),
        )
        .map_err(|failure| failure.into_error(self.format))?;
        if self.format == Format::Png {
            drawing = mark_png(drawing);
        }
        out.write_all(&drawing)
            .map_err(ExportError::writing(self.format))
    }
}

/// Why `dot` gave no drawing.
#[derive(Debug, Clone)]
pub(super) enum DotFailure {
    Missing,
    TimedOut(Duration),
    Interrupted,
    Failed(String),
}

impl DotFailure {
    /// The export error of `format` this failure makes.
    pub(super) fn into_error(self, format: Format) -> ExportError {
        match self {
            DotFailure::Missing => ExportError::GraphvizMissing { format },
            DotFailure::TimedOut(limit) => ExportError::GraphvizTimedOut { format, limit },
            DotFailure::Interrupted => ExportError::Graphviz {
                format,
                message: "interrupted".into(),
            },
            DotFailure::Failed(message) => ExportError::Graphviz { format, message },
        }
    }
}

/// How often the child is looked at while it runs.
const POLL: Duration = Duration::from_millis(5);

/// Runs `dot` with `args` on `source`; kills it when the time limit of this process passes or
/// the run is interrupted.
pub(super) fn run_graphviz(args: &[&str], source: &[u8]) -> Result<Vec<u8>, DotFailure> {
    let limit = TIME_LIMIT.get().copied().unwrap_or(DEFAULT_TIME_LIMIT);
    let started = Instant::now();
    let mut child = Command::new("dot")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            ErrorKind::NotFound => DotFailure::Missing,
            _ => DotFailure::Failed(e.to_string()),
        })?;
    let _running = interrupt::Child::started();
    let (Some(mut stdin), Some(mut stdout), Some(mut stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        unreachable!("all three streams were asked for as pipes");
    };
    let outcome = thread::scope(|scope| {
        // The source goes in, and the drawing and messages come out, on threads of their
        // own, so that none of the pipes fills up while this one watches the clock.
        let feeding = scope.spawn(move || {
            // `dot` may stop reading (on a syntax error, or when killed): its message says why.
            let _ = stdin.write_all(source);
        });
        let drawing = scope.spawn(move || -> io::Result<Vec<u8>> {
            let mut bytes = Vec::new();
            stdout.read_to_end(&mut bytes)?;
            Ok(bytes)
        });
        let messages = scope.spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Ok(status),
                Ok(None) if interrupt::interrupted() => break Err(DotFailure::Interrupted),
                Ok(None) if started.elapsed() > limit => break Err(DotFailure::TimedOut(limit)),
                Ok(None) => thread::sleep(POLL),
                Err(e) => break Err(DotFailure::Failed(e.to_string())),
            }
        };
        if status.is_err() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = feeding.join();
        let drawing = drawing.join().expect("reading a pipe does not panic");
        let messages = messages.join().expect("reading a pipe does not panic");
        (status, drawing, messages)
    });
    let (status, drawing, messages) = outcome;
    let status = status?;
    if !status.success() {
        let message = messages.trim();
        return Err(DotFailure::Failed(if message.is_empty() {
            format!("dot exited with {status}")
        } else {
            message.to_owned()
        }));
    }
    drawing.map_err(|e| DotFailure::Failed(e.to_string()))
}

/// Adds a `Software: claimgraph` text chunk after the PNG header chunk, so that a later
/// `export -o` knows the file as claimgraph's (see [`crate::files`]).
fn mark_png(png: Vec<u8>) -> Vec<u8> {
    // The signature (8 bytes) and the IHDR chunk (4 length, 4 type, 13 data, 4 CRC).
    const AFTER_HEADER: usize = 8 + 25;
    if png.len() < AFTER_HEADER || &png[12..16] != b"IHDR" {
        return png;
    }
    let mut chunk = Vec::with_capacity(64);
    let data = b"Software\0claimgraph";
    chunk.extend_from_slice(&u32::try_from(data.len()).unwrap_or(0).to_be_bytes());
    chunk.extend_from_slice(b"tEXt");
    chunk.extend_from_slice(data);
    chunk.extend_from_slice(&crc32fast::hash(&chunk[4..]).to_be_bytes());
    let mut marked = Vec::with_capacity(png.len() + chunk.len());
    marked.extend_from_slice(&png[..AFTER_HEADER]);
    marked.extend_from_slice(&chunk);
    marked.extend_from_slice(&png[AFTER_HEADER..]);
    marked
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_png_mark_is_a_valid_text_chunk_after_the_header() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend_from_slice(&13u32.to_be_bytes());
        png.extend_from_slice(b"IHDR");
        png.extend_from_slice(&[0; 13]);
        png.extend_from_slice(&crc32fast::hash(b"IHDR\0\0\0\0\0\0\0\0\0\0\0\0\0").to_be_bytes());
        png.extend_from_slice(b"rest");
        let marked = mark_png(png);
        assert_eq!(&marked[33 + 4..33 + 8], b"tEXt");
        let data = &marked[33 + 8..33 + 8 + 19];
        assert_eq!(data, b"Software\0claimgraph");
        let crc = u32::from_be_bytes(marked[33 + 27..33 + 31].try_into().unwrap());
        assert_eq!(crc, crc32fast::hash(&marked[33 + 4..33 + 27]));
        assert!(marked.ends_with(b"rest"));
    }
}
