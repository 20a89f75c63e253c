//! The explorer: one HTML file that works from disk with no network. It carries the view in
//! claimgraph's own JSON (the documented format, as `export json` writes it), the positions
//! Graphviz gave the nodes ([`super::layout`]), each quote's passage in its document, and the
//! page's own script and style (`explorer.js`, `explorer.css`, written for claimgraph; no
//! library). Every string from the data reaches the page as JSON inside a data block and is
//! shown as text by the script, and a Content-Security-Policy lets run only the page's own
//! script and style, so a hostile quote stays text and the page can load nothing from outside.

use std::collections::BTreeMap;
use std::io::{self, Write};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::layout::{self, Layout, Unplaced};
use super::palette::{EdgeTone, kind_style};
use super::quote;
use super::{ExportError, Exporter, Format, Output, json};
use crate::model::EntityKind;
use crate::view::View;

const SCRIPT: &str = include_str!("explorer.js");
const STYLE: &str = include_str!("explorer.css");
const BODY: &str = include_str!("page.html");

#[derive(Debug, Clone, Copy)]
pub struct Explorer;

impl Exporter for Explorer {
    fn write(&self, view: &View<'_>, out: &mut Output<'_>) -> Result<(), ExportError> {
        let layout = layout::lay_out(view).map_err(|e| match e {
            Unplaced::TooLarge(elements) => ExportError::TooLarge {
                format: Format::Html,
                elements,
                limit: layout::MAX_ELEMENTS,
            },
            Unplaced::Graphviz(failure) => failure.into_error(Format::Html),
        })?;
        write(view, &layout, out).map_err(ExportError::writing(Format::Html))
    }
}

fn write(view: &View<'_>, layout: &Layout, out: &mut Output<'_>) -> io::Result<()> {
    let title = title(view);
    let style = style();
    out.write_all(b"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")?;
    out.write_all(b"<meta name=\"generator\" content=\"claimgraph\">\n")?;
    // Only the page's own script and style run; nothing is fetched, nothing is sent.
    writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src '{}'; style-src '{}'; img-src data:; base-uri 'none'; form-action 'none'\">",
        digest(SCRIPT),
        digest(&style)
    )?;
    out.write_all(b"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")?;
    writeln!(out, "<title>{}</title>", quote::html(&title))?;
    writeln!(out, "<style>{style}</style>\n</head>")?;
    out.write_all(BODY.replace("{title}", &quote::html(&title)).as_bytes())?;
    out.write_all(b"<script type=\"application/json\" id=\"graph-data\">\n")?;
    {
        // The own JSON format, exactly as `export json` writes it, with every `<` escaped so
        // that no string can close the data block.
        let mut escaped = DataBlock::new(&mut *out);
        let mut inner: Output<'_> = io::BufWriter::with_capacity(1 << 16, &mut escaped);
        json::Json.write(view, &mut inner).map_err(|e| match e {
            ExportError::Write { source, .. } => source,
            other => io::Error::other(other.to_string()),
        })?;
        inner.flush()?;
    }
    out.write_all(b"</script>\n<script type=\"application/json\" id=\"explorer-data\">\n")?;
    {
        let mut escaped = DataBlock::new(&mut *out);
        serde_json::to_writer(&mut escaped, &supplement(view, layout)).map_err(io::Error::from)?;
    }
    out.write_all(b"\n</script>\n<script>")?;
    out.write_all(SCRIPT.as_bytes())?;
    out.write_all(b"</script>\n</body>\n</html>\n")
}

/// What the page says it shows.
fn title(view: &View<'_>) -> String {
    let mut title = format!("claimgraph explorer: {} view", view.kind);
    if let Some(document) = view.document {
        title.push_str(&format!(" of {}", view.source(document).id));
    }
    if let Some(focus) = &view.focus {
        title.push_str(&format!(" around {} (depth {})", focus.id, focus.depth));
    }
    title
}

/// The page's style: the colours of the kinds and tones from the palette the other formats
/// use, then `explorer.css`.
fn style() -> String {
    let mut css = String::from(":root {");
    for kind in EntityKind::ALL {
        let style = kind_style(kind);
        css.push_str(&format!(
            " --{kind}-fill: {}; --{kind}: {};",
            style.fill.hex(),
            style.colour.hex(),
            kind = kind.as_str()
        ));
    }
    css.push_str(&format!(
        " --claim-fill: #ffffff; --claim: {};",
        super::palette::CLAIM.hex()
    ));
    for (i, tone) in EdgeTone::ALL.iter().enumerate() {
        css.push_str(&format!(" --tone-{i}: {};", tone.colour().hex()));
    }
    css.push_str(" }\n");
    css.push_str(STYLE);
    css
}

/// A CSP source for an inline block: its SHA-256 in base 64.
fn digest(text: &str) -> String {
    format!("sha256-{}", BASE64.encode(Sha256::digest(text.as_bytes())))
}

/// What the page needs beyond the own JSON format, in the same order as its nodes and edges.
#[derive(Debug, Serialize)]
struct Supplement<'a> {
    title: String,
    width: f64,
    height: f64,
    /// Per node: centre x, centre y, width, height, and the label's lines.
    layout: Vec<(f64, f64, f64, f64, &'a [String])>,
    /// Per edge: its tone, an index into `tones`.
    edge_tones: Vec<usize>,
    tones: Vec<&'static str>,
    /// Name and kind of every entity the snapshot holds, for reporters, citing chains and
    /// origins that are no node of the view.
    names: BTreeMap<&'a str, (&'a str, &'static str)>,
    /// The stored text of each document of the view's claims, by source id.
    texts: BTreeMap<&'a str, &'a str>,
    /// Per claim id: where its quote starts and ends in its document's text, in characters.
    spans: BTreeMap<&'a str, (u64, u64)>,
}

fn supplement<'a>(view: &'a View<'a>, layout: &'a Layout) -> Supplement<'a> {
    let snapshot = view.snapshot();
    Supplement {
        title: title(view),
        width: layout.width,
        height: layout.height,
        layout: layout
            .nodes
            .iter()
            .map(|p| (p.x, p.y, p.width, p.height, p.lines.as_slice()))
            .collect(),
        edge_tones: view
            .graph
            .edge_weights()
            .map(|e| {
                let tone = EdgeTone::of(&e.support);
                EdgeTone::ALL.iter().position(|&t| t == tone).unwrap_or(0)
            })
            .collect(),
        tones: EdgeTone::ALL.iter().map(|t| t.as_str()).collect(),
        names: snapshot
            .entities
            .iter()
            .map(|e| (e.id.as_str(), (e.name.as_str(), e.kind.as_str())))
            .collect(),
        texts: view.texts.map_or_else(BTreeMap::new, |t| {
            t.texts
                .iter()
                .map(|(&s, text)| (view.source(s).id.as_str(), text.as_str()))
                .collect()
        }),
        spans: view.texts.map_or_else(BTreeMap::new, |t| {
            t.spans
                .iter()
                .map(|(&c, &span)| (view.claim(c).id.as_str(), span))
                .collect()
        }),
    }
}

/// Writes JSON into a `<script>` data block: every `<` as `\u003c`, so that no string can end
/// the block or open a comment (`<` occurs in JSON only inside strings, where the escape means
/// the same character), and without the line breaks and indentation of the pretty layout
/// (whitespace outside strings), which would be a quarter of a large page.
struct DataBlock<'w, W: Write + ?Sized> {
    out: &'w mut W,
    in_string: bool,
    escaped: bool,
}

impl<'w, W: Write + ?Sized> DataBlock<'w, W> {
    fn new(out: &'w mut W) -> Self {
        DataBlock {
            out,
            in_string: false,
            escaped: false,
        }
    }
}

impl<W: Write + ?Sized> Write for DataBlock<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut kept = 0;
        for (i, &byte) in buf.iter().enumerate() {
            let drop = if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if byte == b'\\' {
                    self.escaped = true;
                } else if byte == b'"' {
                    self.in_string = false;
                }
                false
            } else {
                if byte == b'"' {
                    self.in_string = true;
                }
                matches!(byte, b' ' | b'\n' | b'\r' | b'\t')
            };
            if drop || byte == b'<' {
                self.out.write_all(&buf[kept..i])?;
                if byte == b'<' {
                    self.out.write_all(b"\\u003c")?;
                }
                kept = i + 1;
            }
        }
        self.out.write_all(&buf[kept..])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_string_can_close_the_data_block_and_strings_keep_their_spaces() {
        let mut out = Vec::new();
        let strings = [
            "</script><img src=x onerror=alert(1)>",
            "<!-- a",
            "\\\" <x> \n  y",
        ];
        serde_json::to_writer_pretty(&mut DataBlock::new(&mut out), &strings).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains('<'), "{text}");
        assert!(!text.contains('\n'), "{text}");
        let back: Vec<String> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, strings);
    }

    #[test]
    fn the_policy_names_the_digest_of_the_script_as_browsers_compute_it() {
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            digest("alert(1)"),
            "sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI="
        );
    }
}
