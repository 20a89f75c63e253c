//! `claimgraph export FORMAT`: one view of the database (or of one source document's claims,
//! or the neighbourhood of one node in either) as a diagram, in a visualisation tool's format,
//! or as RDF.

use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::builder::{PossibleValuesParser, TypedValueParser};

use super::{EXIT_FAILURE, EXIT_OK, failure, store_failure};
use crate::diagnostic::closest;
use crate::export::{self, Format, Unwritten};
use crate::files::{self, ReadOnly, write_behind};
use crate::store::{self, snapshot::ClaimIndex, snapshot::RowSource, snapshot::Snapshot};
use crate::view::{Focus, FocusError, Item, View, ViewKind, neighbourhood};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format: a diagram (dot, or svg and png drawn by Graphviz), data for tools, html,
    /// the explorer: one offline page to search, filter and click through, or RDF (rdf: TriG,
    /// nquads: N-Quads), the whole graph with its provenance whatever --view
    #[arg(value_parser = choice_parser(Format::ALL, Format::as_str))]
    pub format: Format,
    /// What to draw: entities and what the claims say of them, reporters and claims, or who
    /// cites whom
    #[arg(long, value_parser = choice_parser(ViewKind::ALL, ViewKind::as_str), default_value = "entities")]
    pub view: ViewKind,
    /// Only the neighbourhood of this entity or claim
    #[arg(long, value_name = "ID")]
    pub focus: Option<String>,
    /// How many steps from --focus, along edges in either direction
    #[arg(long, value_name = "N", default_value_t = 1, requires = "focus")]
    pub depth: usize,
    /// Only the claims of this source document, and what they draw (with --focus, the
    /// neighbourhood in that document's view)
    #[arg(long, value_name = "ID")]
    pub source: Option<String>,
    /// Write to FILE instead of stdout; an existing FILE is replaced only if claimgraph wrote it
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the --output file even if it is not an export claimgraph wrote
    #[arg(long, requires = "output")]
    pub force: bool,
    /// The database to read
    #[arg(long, value_name = "FILE", default_value = "claimgraph.sqlite")]
    pub db: PathBuf,
    /// Stop reading the database after this many seconds (more than 0, at most 86400)
    #[arg(long, value_name = "SECONDS", default_value = super::options::DEFAULT_TIMEOUT, value_parser = super::options::seconds)]
    pub timeout: std::time::Duration,
}

/// A parser that accepts the names of `all` (and lists them in `--help` and in errors).
fn choice_parser<T, const N: usize>(
    all: [T; N],
    name: fn(T) -> &'static str,
) -> impl TypedValueParser<Value = T>
where
    T: Copy + Send + Sync + 'static,
{
    PossibleValuesParser::new(all.map(name)).map(move |chosen| {
        all.into_iter()
            .find(|&t| name(t) == chosen)
            .expect("a possible value")
    })
}

pub fn run(args: &Args) -> u8 {
    if args.format == Format::Png && args.output.is_none() && io::stdout().is_terminal() {
        say!("error: png is binary and stdout is a terminal; write it to a file with `-o FILE`");
        return EXIT_FAILURE;
    }
    store::read::start_clock(args.timeout);
    crate::export::set_drawing_time_limit(args.timeout);
    // The file to write is settled before anything is read: a file claimgraph did not write,
    // the database itself, or a curated file is never replaced.
    let output = match &args.output {
        Some(path) => {
            let read_only = ReadOnly::default()
                .file(&args.db, "the database being read")
                .folder(Path::new("data"), "the data folder")
                .folder(Path::new("seeds"), "the seeds folder");
            match files::export_target(path, &read_only, args.force) {
                Ok(resolved) => Some(resolved),
                Err(e) => return failure(&e),
            }
        }
        None => None,
    };
    if let Err(e) = crate::interrupt::install() {
        return failure(&e);
    }
    let conn = match store::open_read(&args.db) {
        Ok(conn) => conn,
        Err(e) => return failure(&e),
    };
    // A neighbourhood is found by walking the indexes from the focus, and only its rows are
    // read. Where the walk cannot start, everything is read, so the whole view can say why.
    // The walk knows nothing of documents: a neighbourhood in one document's view is cut
    // from that view, made from every row.
    let near = match (&args.focus, &args.source) {
        (Some(id), None) => {
            match neighbourhood(args.view, id, args.depth, &ClaimIndex::new(&conn)) {
                Ok(near) => near,
                Err(e) => return store_failure(e),
            }
        }
        _ => None,
    };
    let data = match &near {
        Some(near) => store::snapshot::read_claims(&conn, &near.claims, &near.entities),
        None => store::snapshot::read(&conn),
    };
    let data = match data {
        Ok(data) => data,
        Err(e) => return store_failure(e),
    };
    let document = match &args.source {
        Some(id) => match data.source_position(id) {
            Some(source) => Some(source),
            None => return source_failure(id, &data),
        },
        None => None,
    };
    let whole = || match document {
        Some(source) => View::of_document(args.view, &data, source),
        None => View::new(args.view, &data),
    };
    let mut view = match (&args.focus, &near) {
        (None, _) => whole(),
        (Some(id), Some(near)) => View::around(
            args.view,
            &data,
            near,
            Focus {
                id: id.clone(),
                depth: args.depth,
            },
        ),
        (Some(id), None) => match whole().focus(id, args.depth) {
            Ok(view) => view,
            Err(e) => return focus_failure(&e, args.view, &data),
        },
    };
    let texts = if args.format.needs_texts(&view) {
        match store::snapshot::read_quoted_texts(&conn, &data, &args.format.quoted_claims(&view)) {
            Ok(texts) => Some(texts),
            Err(e) => return store_failure(e),
        }
    } else {
        None
    };
    view.texts = texts.as_ref();
    let written = match &output {
        Some(path) => write_atomically(path, |file| {
            export::write(&view, args.format, file).map_err(Unwritten::Export)
        }),
        None => write_behind(&mut io::stdout(), |out| {
            export::write(&view, args.format, out).map_err(Unwritten::Export)
        }),
    };
    // The rows and the view are most of the process's memory, in millions of allocations:
    // the system takes them back at exit at once, rather than one by one.
    std::mem::forget(view);
    std::mem::forget(data);
    let Err(unwritten) = written else {
        return EXIT_OK;
    };
    match unwritten.into_io() {
        // A reader that stops early (`| head`) is not a failure of the export.
        Ok(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Ok(e) => {
            let path = args
                .output
                .as_ref()
                .map_or_else(|| "stdout".to_owned(), |p| p.display().to_string());
            failure(&format!("{path}: {e}"))
        }
        Err(e) => failure(&e),
    }
}

/// An unknown `--source` is a usage error: say so, and which document was probably meant.
fn source_failure(id: &str, data: &Snapshot) -> u8 {
    say!("error: no source document has the id `{id}`");
    match closest(id, data.sources.iter().map(|s| s.id.as_str())) {
        Some(near) => say!("  = help: did you mean `{near}`?"),
        None => say!("  = help: `claimgraph stats` lists the documents"),
    }
    EXIT_FAILURE
}

/// The source documents whose claims draw node `id` of the whole view: where a focus outside
/// one document's view can be found.
fn documents_drawing<'a>(view: &View<'a>, id: &str) -> Vec<&'a str> {
    let Some(n) = view.find(id) else {
        return Vec::new();
    };
    let mut documents: Vec<RowSource> = match view.graph[n].item {
        Item::Claim(c) => vec![view.claim(c).source],
        Item::Entity(_) => view.graph[n]
            .values
            .iter()
            .map(|&c| view.claim(c).source)
            .collect(),
    };
    for e in view.graph.edges_directed(n, petgraph::Direction::Outgoing) {
        documents.extend(&e.weight().support.documents);
    }
    for e in view.graph.edges_directed(n, petgraph::Direction::Incoming) {
        documents.extend(&e.weight().support.documents);
    }
    documents.sort_unstable();
    documents.dedup();
    documents
        .into_iter()
        .map(|s| view.source(s).id.as_str())
        .collect()
}

/// An unknown or misplaced `--focus` is a usage error: say so, and what was probably meant.
fn focus_failure(error: &FocusError, kind: ViewKind, data: &Snapshot) -> u8 {
    say!("error: {error}");
    if let FocusError::NotInDocument { id, .. } = error {
        let documents = documents_drawing(&View::new(kind, data), id);
        if let Some(first) = documents.first() {
            let names: Vec<String> = documents.iter().map(|d| format!("`{d}`")).collect();
            say!(
                "  = help: it is in the view of {}: try `--source {first}`, or leave out `--source`",
                names.join(", ")
            );
            return EXIT_FAILURE;
        }
    }
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
        FocusError::NotInView { id, .. } | FocusError::NotInDocument { id, .. } => {
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

/// Writes a file with `fill` into a temporary file beside `path` and renames it over `path`,
/// so a reader never sees half a file and a failed export leaves the previous one. A path that
/// is a device or a pipe (`-o /dev/stdout`, `/dev/null`) is written to instead: renaming over
/// it would replace it.
fn write_atomically<E: From<io::Error>>(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), E> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return write_behind(&mut File::create(path)?, fill);
    }
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
    let _pending = crate::interrupt::remove_on_interrupt(file.path().to_owned());
    write_behind(file.as_file_mut(), fill)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}
