//! `claimgraph export FORMAT`: one view of the database (or the neighbourhood of one node in
//! it) as a diagram or in a visualisation tool's format; and the standard set that `build`
//! writes into `exports/`.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::builder::{PossibleValuesParser, TypedValueParser};

use super::{EXIT_FAILURE, EXIT_OK, failure};
use crate::diagnostic::closest;
use crate::export::{self, ExportError, Format, STANDARD_FORMATS};
use crate::graph::views::{FocusError, View, ViewKind};
use crate::store::{self, export::ExportData};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format: a diagram (dot, or svg and png drawn by Graphviz) or data for tools
    #[arg(value_parser = format_parser())]
    pub format: Format,
    /// What to draw: entities and what the claims say of them, reporters and claims, or who
    /// cites whom
    #[arg(long, value_parser = view_parser(), default_value = "entities")]
    pub view: ViewKind,
    /// Only the neighbourhood of this entity or claim
    #[arg(long, value_name = "ID")]
    pub focus: Option<String>,
    /// How many steps from --focus, along edges in either direction
    #[arg(long, value_name = "N", default_value_t = 1, requires = "focus")]
    pub depth: usize,
    /// Write to FILE instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The database to read
    #[arg(long, value_name = "FILE", default_value = "claimgraph.sqlite")]
    pub db: PathBuf,
}

fn format_parser() -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(Format::ALL.map(Format::as_str)).map(|name| {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == name)
            .expect("a possible value")
    })
}

fn view_parser() -> impl TypedValueParser<Value = ViewKind> {
    PossibleValuesParser::new(ViewKind::ALL.map(ViewKind::as_str)).map(|name| {
        ViewKind::ALL
            .into_iter()
            .find(|v| v.as_str() == name)
            .expect("a possible value")
    })
}

pub fn run(args: &Args) -> u8 {
    if args.format == Format::Png && args.output.is_none() && io::stdout().is_terminal() {
        say!("error: png is binary and stdout is a terminal; write it to a file with `-o FILE`");
        return EXIT_FAILURE;
    }
    let data = match read(&args.db) {
        Ok(data) => data,
        Err(e) => return failure(&e),
    };
    let mut view = View::new(args.view, &data);
    if let Some(id) = &args.focus {
        view = match view.focus(id, args.depth) {
            Ok(view) => view,
            Err(e) => return focus_failure(&e, args.view, &data),
        };
    }
    let bytes = match export::export(&view, args.format) {
        Ok(bytes) => bytes,
        Err(e) => return failure(&e),
    };
    let written = match &args.output {
        Some(path) => write_atomically(path, &bytes),
        None => io::stdout().lock().write_all(&bytes),
    };
    match written {
        Ok(()) => EXIT_OK,
        // A reader that stops early (`| head`) is not a failure of the export.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            let path = args
                .output
                .as_ref()
                .map_or_else(|| "stdout".to_owned(), |p| p.display().to_string());
            failure(&format!("{path}: {e}"))
        }
    }
}

fn read(db: &Path) -> Result<ExportData, store::StoreError> {
    let conn = store::open_read(db)?;
    store::export::read(&conn)
}

/// An unknown or misplaced `--focus` is a usage error: say so, and what was probably meant.
fn focus_failure(error: &FocusError, kind: ViewKind, data: &ExportData) -> u8 {
    say!("error: {error}");
    match error {
        FocusError::Unknown(id) => {
            let view = View::new(kind, data);
            let ids = view
                .node_ids()
                .chain(data.entities.iter().map(|e| e.id.as_str()))
                .chain(data.claims.iter().map(|c| c.id.as_str()));
            if let Some(near) = closest(id, ids) {
                say!("  = help: did you mean `{near}`?");
            }
        }
        FocusError::NotInView { id, .. } => {
            let elsewhere: Vec<&str> = ViewKind::ALL
                .into_iter()
                .filter(|&other| other != kind && View::new(other, data).find(id).is_some())
                .map(ViewKind::as_str)
                .collect();
            match elsewhere.first() {
                Some(other) => say!(
                    "  = help: it is in the {} view: add `--view {other}`",
                    elsewhere.join(" and ")
                ),
                None => say!("  = help: no claim mentions it, so no view draws it"),
            }
        }
    }
    EXIT_FAILURE
}

/// Writes `bytes` to a temporary file beside `path` and renames it over `path`, so a reader
/// never sees half a file and a failed export leaves the previous one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".claimgraph-export");
    // Exports are for sharing: readable by all, like any file the user would write, rather
    // than private like a temporary file.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut file = builder.tempfile_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// What [`write_standard`] wrote.
#[derive(Debug, Default)]
pub struct StandardSet {
    pub files: usize,
    /// Graphviz was not installed, so no SVG was drawn.
    pub svg_skipped: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum StandardError {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error("{path}: {source}")]
    Write { path: PathBuf, source: io::Error },
}

/// Writes every view in every standard format into `dir`, read from the database at `db`:
/// `entities.dot`, `entities.svg`, `entities.json`, `entities.cytoscape.json`, … SVGs are drawn
/// only when Graphviz is installed.
pub fn write_standard(db: &Path, dir: &Path) -> Result<StandardSet, StandardError> {
    let data = read(db)?;
    std::fs::create_dir_all(dir).map_err(|source| StandardError::Write {
        path: dir.to_owned(),
        source,
    })?;
    let graphviz = export::graphviz_available();
    let mut set = StandardSet {
        svg_skipped: !graphviz,
        ..StandardSet::default()
    };
    for kind in ViewKind::ALL {
        let view = View::new(kind, &data);
        for format in STANDARD_FORMATS {
            if format.needs_graphviz() && !graphviz {
                continue;
            }
            let bytes = export::export(&view, format)?;
            let path = dir.join(export::file_name(kind, format));
            write_atomically(&path, &bytes)
                .map_err(|source| StandardError::Write { path, source })?;
            set.files += 1;
        }
    }
    Ok(set)
}
