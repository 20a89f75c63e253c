//! `claimgraph export` and the standard exports `build` writes. Every view in every format, of
//! the curated data and of a fixture of hostile names, is loaded by the format's real reader:
//! Graphviz `dot` for DOT; networkx 3.6 and 3.4 for node-link, Cytoscape's elements and
//! GraphML (3.6 for GEXF too); igraph for GraphML; graphology for its own JSON, GEXF and GraphML; d3-force for
//! node-link; Cytoscape.js for its elements; jsonschema and Ajv (strict) for claimgraph's own
//! JSON; an XML parser for SVG and Pillow for PNG. Every reader that keeps attributes must show each entity's curated fields.
//! The readers must agree with each other and with the database on every node and edge.
//!
//! The readers are installed by `bash .ci/run`; a test that cannot find one fails and says so.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use claimgraph::export::{self, Format};
use claimgraph::store::{self, snapshot::ClaimIndex, snapshot::read_claims};
use claimgraph::view::{Focus, View, ViewKind, neighbourhood};
use rusqlite::Connection;
use serde_json::Value;

use crate::{fixtures, root, run};

const VIEWS: [&str; 3] = ["entities", "provenance", "citations"];
pub const FORMATS: [&str; 9] = [
    "dot",
    "svg",
    "png",
    "json",
    "cytoscape",
    "node-link",
    "graphml",
    "gexf",
    "graphology",
];

/// The extension `build` and these tests give each format's file.
fn extension(format: &str) -> &'static str {
    match format {
        "dot" => "dot",
        "svg" => "svg",
        "png" => "png",
        "json" => "json",
        "cytoscape" => "cytoscape.json",
        "node-link" => "node-link.json",
        "graphml" => "graphml",
        "gexf" => "gexf",
        "graphology" => "graphology.json",
        other => panic!("no format {other}"),
    }
}

/// Where the real readers are; a missing one fails the test with how to install it.
pub(crate) struct Readers {
    pub(crate) python: PathBuf,
    /// A second Python environment with networkx 3.4, the last version that reads node-link's
    /// `links` by default.
    python_nx34: PathBuf,
    node_folder: PathBuf,
}

pub(crate) fn readers() -> Readers {
    let install = "run `bash .ci/run` once: it installs Graphviz, the Python readers in .venv/ \
                   and .venv-nx34/, and Cytoscape.js, d3-force, Ajv, graphology and vis-network in \
                   .ci/node/";
    let works = |program: &Path, arg: &str| {
        Command::new(program)
            .arg(arg)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    assert!(
        works(Path::new("dot"), "-V"),
        "Graphviz `dot` is not installed; {install}"
    );
    let python = root().join(".venv/bin/python");
    assert!(
        Command::new(&python)
            .args(["-c", "import networkx, igraph, jsonschema, PIL"])
            .status()
            .is_ok_and(|s| s.success()),
        "{} cannot import networkx, igraph, jsonschema and PIL; {install}",
        python.display()
    );
    let python_nx34 = root().join(".venv-nx34/bin/python");
    assert!(
        Command::new(&python_nx34)
            .args([
                "-c",
                "import networkx; assert networkx.__version__.startswith('3.4.')"
            ])
            .status()
            .is_ok_and(|s| s.success()),
        "{} has no networkx 3.4; {install}",
        python_nx34.display()
    );
    let node_folder = root().join(".ci/node");
    assert!(
        works(Path::new("node"), "--version"),
        "Node.js is not installed; {install}"
    );
    for module in [
        "cytoscape",
        "d3-force",
        "ajv",
        "ajv-formats",
        "graphology",
        "graphology-gexf",
        "graphology-graphml",
        "vis-network",
    ] {
        assert!(
            node_folder
                .join(format!("node_modules/{module}/package.json"))
                .is_file(),
            "{module} is not installed in .ci/node/node_modules; {install}"
        );
    }
    Readers {
        python,
        python_nx34,
        node_folder,
    }
}

/// A database built from `data` and `seeds` in a scratch folder.
struct Built {
    dir: tempfile::TempDir,
    db: PathBuf,
}

fn build(data: &Path, seeds: &Path) -> Built {
    let (dir, db) = crate::build_database(data, seeds);
    Built { dir, db }
}

fn curated() -> Built {
    build(&root().join("data"), &root().join("seeds"))
}

fn hostile() -> Built {
    let fixture = fixtures().join("export/hostile");
    build(&fixture.join("data"), &fixture.join("seeds"))
}

fn export(built: &Built, args: &[&str]) -> crate::Run {
    let mut all = vec!["export"];
    all.extend_from_slice(args);
    all.extend(["--db", built.db.to_str().unwrap()]);
    run(built.dir.path(), &all)
}

/// Every view in every format, through the command line, into `<dir>/out/`.
fn export_everything(built: &Built) -> BTreeMap<(&'static str, &'static str), PathBuf> {
    let out = built.dir.path().join("out");
    fs::create_dir_all(&out).unwrap();
    let mut files = BTreeMap::new();
    for view in VIEWS {
        for format in FORMATS {
            let path = out.join(format!("{view}.{}", extension(format)));
            let result = export(
                built,
                &[format, "--view", view, "-o", path.to_str().unwrap()],
            );
            assert_eq!(result.code, 0, "{view} {format}: {}", result.stderr);
            assert!(result.stdout.is_empty(), "{view} {format} wrote to stdout");
            files.insert((view, format), path);
        }
    }
    files
}

/// `dot -Tsvg` on a DOT file: it must exit 0 and say nothing on stderr (no warnings).
fn dot_to_svg(dot: &Path) -> PathBuf {
    let svg = dot.with_extension("dot.svg");
    let output = Command::new("dot")
        .args(["-Tsvg", "-o"])
        .arg(&svg)
        .arg(dot)
        .output()
        .expect("dot runs");
    assert!(
        output.status.success(),
        "dot -Tsvg {} failed: {}",
        dot.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "dot -Tsvg {} warned: {}",
        dot.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    svg
}

/// Runs the Python readers on `jobs` (`reader=path`) with `python`, returns what each saw.
fn python_read(python: &Path, jobs: &[String]) -> BTreeMap<String, Value> {
    let output = Command::new(python)
        .arg(fixtures().join("export/readers/read.py"))
        .args(jobs)
        .env("CLAIMGRAPH_SCHEMA", schema())
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "a Python reader ({}) refused a file:\n{}",
        python.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// What a Python script (`python -c SCRIPT ARGS…`) printed as JSON; it must succeed.
pub(crate) fn python_script<S: AsRef<std::ffi::OsStr>>(
    python: &Path,
    script: &str,
    args: &[S],
) -> Value {
    let output = Command::new(python)
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn schema() -> PathBuf {
    root().join("exports/schema/claimgraph-graph.schema.json")
}

/// Runs one of the Node.js readers (`cytoscape.js`, `d3-force.js`, `ajv.js`) on `args`.
fn node_read(readers: &Readers, script: &str, args: &[&Path]) -> BTreeMap<String, Value> {
    let output = Command::new("node")
        .arg(fixtures().join("export/readers").join(script))
        .arg(&readers.node_folder)
        .args(args)
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "{script} refused a file:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// What a reader saw of a graph: node ids and edge ids with their ends.
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    nodes: BTreeSet<String>,
    edges: BTreeMap<String, (String, String)>,
}

fn seen(summary: &Value, with_ends: bool) -> Seen {
    let nodes = summary["nodes"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let edges = summary["edges"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, edge)| {
            let ends = if with_ends {
                (
                    edge["source"].as_str().unwrap().to_owned(),
                    edge["target"].as_str().unwrap().to_owned(),
                )
            } else {
                Default::default()
            };
            (id.clone(), ends)
        })
        .collect();
    Seen { nodes, edges }
}

/// Node and edge counts of each view, computed in SQL from the database's own tables.
fn expected_counts(db: &Path) -> BTreeMap<&'static str, (usize, usize)> {
    let conn = Connection::open(db).unwrap();
    let count = |sql: &str| -> usize {
        let n: i64 = conn.query_row(sql, [], |r| r.get(0)).unwrap();
        usize::try_from(n).unwrap()
    };
    let steps = "SELECT c.reported_by AS a, cc.entity_id AS b FROM claims c
                 JOIN claim_citations cc ON cc.claim_id = c.id AND cc.position = 1
                 UNION
                 SELECT x.entity_id, y.entity_id FROM claim_citations x
                 JOIN claim_citations y ON y.claim_id = x.claim_id AND y.position = x.position + 1";
    BTreeMap::from([
        // Statements between entities, and the curated links (`nationality`, `part_of`, …).
        (
            "entities",
            (
                count(
                    "SELECT count(*) FROM (SELECT subject_id FROM claims
                     UNION SELECT object_id FROM claims WHERE object_id IS NOT NULL
                     UNION SELECT entity_id FROM entity_links
                     UNION SELECT target_id FROM entity_links)",
                ),
                count(
                    "SELECT (SELECT count(*) FROM (SELECT DISTINCT subject_id, predicate, object_id
                                                   FROM claims WHERE object_id IS NOT NULL))
                          + (SELECT count(*) FROM (SELECT DISTINCT entity_id, field, target_id
                                                   FROM entity_links))",
                ),
            ),
        ),
        (
            "provenance",
            (
                count(
                    "SELECT (SELECT count(*) FROM claims) + (SELECT count(*) FROM (
                       SELECT reported_by FROM claims UNION SELECT entity_id FROM claim_citations
                       UNION SELECT subject_id FROM claims))",
                ),
                // The stored petgraph graph has exactly these edges.
                count("SELECT count(*) FROM edges WHERE kind IN ('reported', 'cites', 'about')"),
            ),
        ),
        (
            "citations",
            (
                count(&format!(
                    "SELECT count(*) FROM (SELECT a FROM ({steps}) UNION SELECT b FROM ({steps}))"
                )),
                count(&format!("SELECT count(*) FROM ({steps})")),
            ),
        ),
    ])
}

/// What every reader saw of every view of one data set.
struct Proven {
    files: BTreeMap<(&'static str, &'static str), PathBuf>,
    /// networkx as pinned (3.6), jsonschema, the SVG parser and Pillow, by `reader=path`.
    python: BTreeMap<String, Value>,
    /// networkx 3.4, by `reader=path`.
    nx34: BTreeMap<String, Value>,
    /// Cytoscape.js, d3-force and graphology (its own JSON, GEXF and GraphML), by path.
    cytoscape: BTreeMap<String, Value>,
    d3: BTreeMap<String, Value>,
    graphology: BTreeMap<String, Value>,
    /// Each entity kind and curated field that a reader was seen to carry, in every reader.
    fields_checked: BTreeSet<(String, String)>,
}

impl Proven {
    fn path(&self, view: &'static str, format: &'static str) -> String {
        self.files[&(view, format)].display().to_string()
    }

    fn python(&self, reader: &str, view: &'static str, format: &'static str) -> &Value {
        &self.python[&format!("{reader}={}", self.path(view, format))]
    }

    fn dot_svg(&self, view: &'static str) -> &Value {
        let path = self.files[&(view, "dot")]
            .with_extension("dot.svg")
            .display()
            .to_string();
        &self.python[&format!("svg={path}")]
    }

    /// Every reading of one view that keeps the nodes' attributes, named for messages.
    fn with_attributes(&self, view: &'static str) -> Vec<(String, &Value)> {
        let mut out = Vec::new();
        for (version, readings) in [("3.6", &self.python), ("3.4", &self.nx34)] {
            for (reader, format) in NETWORKX_READERS {
                let job = format!("{reader}={}", self.path(view, format));
                if let Some(summary) = readings.get(&job) {
                    out.push((format!("networkx {version} {reader}"), summary));
                }
            }
        }
        out.push(("igraph".to_owned(), self.python("igraph", view, "graphml")));
        out.push((
            "claimgraph json".to_owned(),
            self.python("json", view, "json"),
        ));
        out.push((
            "Cytoscape.js".to_owned(),
            &self.cytoscape[&self.path(view, "cytoscape")],
        ));
        out.push((
            "d3-force".to_owned(),
            &self.d3[&self.path(view, "node-link")],
        ));
        for format in ["graphology", "gexf", "graphml"] {
            out.push((
                format!("graphology {format}"),
                &self.graphology[&self.path(view, format)],
            ));
        }
        out
    }
}

/// The networkx readers of read.py, each with the format it reads.
const NETWORKX_READERS: [(&str, &str); 5] = [
    ("node-link", "node-link"),
    ("node-link-default", "node-link"),
    ("cytoscape", "cytoscape"),
    ("graphml", "graphml"),
    ("gexf", "gexf"),
];

/// Exports every view in every format, loads each file in its reader, and checks that all
/// readers see the same nodes and edges, as many as the database says, and every curated field
/// of every entity they show.
fn prove_every_format(built: &Built) -> Proven {
    let readers = readers();
    let files = export_everything(built);
    let mut jobs = Vec::new();
    // networkx 3.4 reads node-link as the README says for it (with and without
    // `edges="links"`), Cytoscape's elements and GraphML; it reads no GEXF 1.3.
    let mut jobs_nx34 = Vec::new();
    for view in VIEWS {
        let svg = dot_to_svg(&files[&(view, "dot")]);
        jobs.push(format!("svg={}", svg.display()));
        for (reader, format) in [
            ("svg", "svg"),
            ("png", "png"),
            ("json", "json"),
            ("node-link", "node-link"),
            ("cytoscape", "cytoscape"),
            ("graphml", "graphml"),
            ("igraph", "graphml"),
            ("gexf", "gexf"),
        ] {
            jobs.push(format!("{reader}={}", files[&(view, format)].display()));
        }
        for (reader, format) in [
            ("node-link", "node-link"),
            ("node-link-default", "node-link"),
            ("cytoscape", "cytoscape"),
            ("graphml", "graphml"),
        ] {
            jobs_nx34.push(format!("{reader}={}", files[&(view, format)].display()));
        }
    }
    let python = python_read(&readers.python, &jobs);
    let nx34 = python_read(&readers.python_nx34, &jobs_nx34);
    let of_format = |format: &'static str| -> Vec<&Path> {
        VIEWS
            .iter()
            .map(|v| files[&(*v, format)].as_path())
            .collect()
    };
    let cytoscape = node_read(&readers, "cytoscape.js", &of_format("cytoscape"));
    let d3 = node_read(&readers, "d3-force.js", &of_format("node-link"));
    let mut graphology_files = of_format("graphology");
    graphology_files.extend(of_format("gexf"));
    graphology_files.extend(of_format("graphml"));
    let graphology = node_read(&readers, "graphology.js", &graphology_files);
    let schema = schema();
    let mut ajv_args = vec![schema.as_path()];
    ajv_args.extend(of_format("json"));
    let ajv = node_read(&readers, "ajv.js", &ajv_args);
    let mut proven = Proven {
        files,
        python,
        nx34,
        cytoscape,
        d3,
        graphology,
        fields_checked: BTreeSet::new(),
    };

    let expected = expected_counts(&built.db);
    let curated = curated_fields(&built.db);
    let provenance = provenance_of(&built.db);
    for view in VIEWS {
        let json = seen(proven.python("json", view, "json"), true);
        let (nodes, edges) = expected[view];
        assert_eq!(
            (json.nodes.len(), json.edges.len()),
            (nodes, edges),
            "{view}: the JSON export and the database disagree on nodes and edges"
        );
        assert!(nodes > 0 && edges > 0, "{view} is empty");
        assert_eq!(
            ajv[&proven.path(view, "json")]["nodes"],
            nodes,
            "{view}: Ajv validated another file"
        );
        for (version, readings) in [("3.6", &proven.python), ("3.4", &proven.nx34)] {
            for (reader, format) in NETWORKX_READERS {
                let Some(summary) =
                    readings.get(&format!("{reader}={}", proven.path(view, format)))
                else {
                    continue;
                };
                let name = format!("{view}: networkx {version} {reader}");
                assert!(
                    summary["networkx"]
                        .as_str()
                        .unwrap()
                        .starts_with(&format!("{version}.")),
                    "{name}: {}",
                    summary["networkx"]
                );
                assert_eq!(
                    seen(summary, true),
                    json,
                    "{name} reads another graph than the JSON export"
                );
                assert_eq!(summary["edge_count"], edges, "{name} lost edges");
                assert_eq!(summary["directed"], true, "{name}");
                // The JSON files say they are multigraphs; networkx makes a GraphML or GEXF
                // file one when it has parallel edges, as the entities view has.
                if format == "node-link" || format == "cytoscape" || view == "entities" {
                    assert_eq!(summary["multigraph"], true, "{name}");
                }
            }
        }
        // igraph keeps every node and edge, but not the edge ids: its edge attribute `id`
        // holds something else (node ids), as the README warns.
        let igraph = proven.python("igraph", view, "graphml");
        assert_eq!(igraph["directed"], true, "{view}: igraph");
        assert_eq!(
            igraph["nodes"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect::<BTreeSet<String>>(),
            json.nodes,
            "{view}: igraph reads other nodes"
        );
        let mut ends: Vec<Vec<&str>> = json
            .edges
            .values()
            .map(|(from, to)| vec![from.as_str(), to.as_str()])
            .collect();
        ends.sort_unstable();
        let igraph_ends: Vec<Vec<&str>> = igraph["edge_ends"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                e.as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap())
                    .collect()
            })
            .collect();
        assert_eq!(igraph_ends, ends, "{view}: igraph reads other edges");
        assert!(
            igraph["edge_ids"]
                .as_array()
                .unwrap()
                .iter()
                .all(|id| !json.edges.contains_key(id.as_str().unwrap_or_default())),
            "{view}: igraph now reads the edge ids; the README's igraph note is out of date"
        );
        let cytoscape = &proven.cytoscape[&proven.path(view, "cytoscape")];
        assert_eq!(
            cytoscape["complaints"],
            Value::Array(Vec::new()),
            "{view}: Cytoscape.js complained"
        );
        assert_eq!(
            seen(cytoscape, true),
            json,
            "{view}: Cytoscape.js sees another graph"
        );
        for format in ["graphology", "gexf", "graphml"] {
            let graphology = &proven.graphology[&proven.path(view, format)];
            assert_eq!(
                seen(graphology, true),
                json,
                "{view}: graphology reads another graph from {format}"
            );
            assert_eq!(
                graphology["edge_count"], edges,
                "{view} {format}: graphology"
            );
            assert_eq!(
                graphology["type"], "directed",
                "{view} {format}: graphology"
            );
        }
        drawn_as_sigma_draws(&proven, view);
        assert_eq!(
            seen(&proven.d3[&proven.path(view, "node-link")], true),
            json,
            "{view}: d3-force links other nodes than the JSON export has"
        );
        let without_ends = Seen {
            nodes: json.nodes.clone(),
            edges: json
                .edges
                .keys()
                .map(|id| (id.clone(), Default::default()))
                .collect(),
        };
        assert_eq!(
            seen(proven.python("svg", view, "svg"), false),
            without_ends,
            "{view}: the SVG draws other nodes or edges than the JSON has"
        );
        assert_eq!(
            seen(proven.dot_svg(view), false),
            without_ends,
            "{view}: `dot -Tsvg` of the DOT draws other nodes or edges than the JSON has"
        );
        assert!(
            proven.dot_svg(view)["legend"].as_u64().unwrap() > 0,
            "{view}: the diagram has no legend"
        );
        let png = proven.python("png", view, "png");
        assert_eq!(png["format"], "PNG", "{view}");
        assert!(png["width"].as_u64().unwrap() > 100, "{view}: {png}");

        let mut checked = BTreeSet::new();
        for (reader, summary) in proven.with_attributes(view) {
            for id in &json.nodes {
                let Some((kind, fields)) = curated.get(id) else {
                    continue;
                };
                let attributes = &summary["attributes"][id];
                if reader != "claimgraph json" {
                    assert!(
                        attributes.get("type").is_none(),
                        "{view}: {reader} gives {kind} {id} a `type`: {}",
                        attributes["type"]
                    );
                }
                for (field, value) in fields {
                    let name = attribute_of(&reader, field);
                    assert!(
                        value.is_in(&attributes[name]),
                        "{view}: {reader} has {kind} {id}'s {field} as {}, not {value:?}",
                        attributes[name]
                    );
                    checked.insert((kind.clone(), field.clone()));
                }
            }
        }
        proven.fields_checked.extend(checked);
        // sigma.js and Gephi Lite draw a node or edge by the program its `type` names: no tool
        // format gives one a `type` (the curated one is `category`), as graphology reads them.
        for format in ["graphology", "gexf", "graphml"] {
            let read = &proven.graphology[&proven.path(view, format)];
            for what in ["attributes", "edge_attributes"] {
                for (id, data) in read[what].as_object().unwrap() {
                    assert!(
                        data.get("type").is_none(),
                        "{view}: graphology reads a `type` on {id} from {format}: {data}"
                    );
                }
            }
        }

        // The provenance on edges and claim nodes: each edge's quotes in the order of its
        // claims, each claim's conflicts.
        let summary = proven.python("json", view, "json");
        for (version, readings) in [("3.6", &proven.python), ("3.4", &proven.nx34)] {
            for (reader, format) in NETWORKX_READERS {
                let Some(read) = readings.get(&format!("{reader}={}", proven.path(view, format)))
                else {
                    continue;
                };
                for (id, edge) in summary["edges"].as_object().unwrap() {
                    let quotes = edge["claims"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|c| provenance.quotes[c.as_str().unwrap()].clone())
                        .collect();
                    let got = &read["edges"][id]["quotes"];
                    // GraphML and GEXF write no attribute for an empty list of quotes.
                    let empty = edge["claims"].as_array().unwrap().is_empty();
                    assert!(
                        Curated::Texts(quotes).is_in(got) || (empty && got.is_null()),
                        "{view}: networkx {version} {reader} has the quotes of {id} as {got}"
                    );
                }
            }
        }
        // (claimgraph's own JSON has them in its list of claims.)
        let readers = proven.with_attributes(view);
        for (reader, read) in readers.iter().filter(|(r, _)| r != "claimgraph json") {
            for (claim, others) in &provenance.conflicts {
                if !json.nodes.contains(claim) {
                    continue;
                }
                let got = &read["attributes"][claim]["conflicts_with"];
                assert!(
                    Curated::Ids(others.clone()).is_in(got),
                    "{view}: {reader} has the conflicts of {claim} as {got}, not {others:?}"
                );
            }
        }
    }
    proven
}

/// `Graph.from` makes a directed multigraph of the graphology export, whose every node has what
/// sigma.js draws by (a label, a position, a size, a colour) and every edge a label, a colour
/// and a size; graphology-gexf reads the same positions and sizes from the GEXF, which the same
/// layout placed.
fn drawn_as_sigma_draws(proven: &Proven, view: &'static str) {
    let graph = &proven.graphology[&proven.path(view, "graphology")];
    let gexf = &proven.graphology[&proven.path(view, "gexf")];
    let json = proven.python("json", view, "json");
    assert_eq!(graph["multi"], true, "{view}: graphology");
    let number = |v: &Value, what: &str| {
        v.as_f64()
            .unwrap_or_else(|| panic!("{view}: {what} is {v}, no number"))
    };
    // `#rrggbb`, as graphology-gexf gives GEXF's colour: `rgb(r,g,b)`.
    let colour = |v: &Value, what: &str| -> String {
        let text = v.as_str().unwrap_or_default();
        let channel = |at: usize| u8::from_str_radix(text.get(at..at + 2).unwrap_or("x"), 16);
        match (
            text.len(),
            text.starts_with('#'),
            channel(1),
            channel(3),
            channel(5),
        ) {
            (7, true, Ok(r), Ok(g), Ok(b)) => format!("rgb({r},{g},{b})"),
            _ => panic!("{view}: {what} is {v}, no #rrggbb colour"),
        }
    };
    let nodes = graph["attributes"].as_object().unwrap();
    assert_eq!(nodes.len(), json["nodes"].as_object().unwrap().len());
    for (id, node) in nodes {
        assert_eq!(node["label"], json["nodes"][id]["label"], "{view}: {id}");
        let rgb = colour(&node["color"], &format!("the colour of {id}"));
        assert_eq!(gexf["attributes"][id]["color"], rgb, "{view}: {id}");
        let size = number(&node["size"], &format!("the size of {id}"));
        assert!(size >= 4.0, "{view}: {id} has size {size}");
        assert_eq!(gexf["attributes"][id]["size"], node["size"], "{view}: {id}");
        for axis in ["x", "y"] {
            let here = number(&node[axis], &format!("{axis} of {id}"));
            let there = number(
                &gexf["attributes"][id][axis],
                &format!("GEXF {axis} of {id}"),
            );
            assert!(
                (here - there).abs() <= 0.05,
                "{view}: {id} stands at {axis} = {here} in graphology's JSON, {there} in GEXF"
            );
        }
    }
    let positions: BTreeSet<(String, String)> = nodes
        .values()
        .map(|n| (n["x"].to_string(), n["y"].to_string()))
        .collect();
    assert!(
        nodes.len() < 2 || positions.len() > 1,
        "{view}: every node stands in one place"
    );
    for (id, edge) in graph["edge_attributes"].as_object().unwrap() {
        assert!(edge["label"].is_string(), "{view}: edge {id} has no label");
        let rgb = colour(&edge["color"], &format!("the colour of edge {id}"));
        assert_eq!(
            gexf["edge_attributes"][id]["color"], rgb,
            "{view}: edge {id}"
        );
        let size = number(&edge["size"], &format!("the size of edge {id}"));
        let weight = number(&edge["weight"], &format!("the weight of edge {id}"));
        assert!(
            (size - (1.0 + weight.sqrt())).abs() <= 0.05,
            "{view}: edge {id} of weight {weight} has size {size}"
        );
    }
}

/// Each claim's quote, and the claims each contradicts (in the order of the pairs' ids), from
/// the database.
struct Provenance {
    quotes: BTreeMap<String, String>,
    conflicts: BTreeMap<String, Vec<String>>,
}

fn provenance_of(db: &Path) -> Provenance {
    let conn = Connection::open(db).unwrap();
    let pairs = |sql: &str| -> Vec<(String, String)> {
        conn.prepare(sql)
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let quotes = pairs("SELECT id, quote FROM claims").into_iter().collect();
    let mut conflicts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (claim, other) in pairs(
        "SELECT claim_a, claim_b FROM conflict_pairs UNION ALL SELECT claim_b, claim_a FROM conflict_pairs
         ORDER BY 1, 2",
    ) {
        let others = conflicts.entry(claim).or_default();
        if !others.contains(&other) {
            others.push(other);
        }
    }
    Provenance { quotes, conflicts }
}

/// The attribute a reader finds a curated field under: its own name in claimgraph's JSON, and
/// `category` for `type` in the tool formats (sigma.js takes a `type` for a drawing program).
fn attribute_of<'a>(reader: &str, field: &'a str) -> &'a str {
    match field {
        "type" if reader != "claimgraph json" => "category",
        _ => field,
    }
}

/// A curated field's value as the database holds it.
#[derive(Debug)]
enum Curated {
    Text(String),
    Number(f64),
    /// Names and spellings: a JSON array, or joined with ` | ` in GraphML and GEXF.
    Texts(Vec<String>),
    /// Entity ids: a JSON array, or joined with spaces in GraphML and GEXF.
    Ids(Vec<String>),
}

impl Curated {
    /// Whether a reader's attribute holds this value, in the form its format gives it.
    fn is_in(&self, got: &Value) -> bool {
        let list = |items: &[String], joint: &str| {
            got.as_str() == Some(items.join(joint).as_str())
                || got.as_array().is_some_and(|a| {
                    a.iter().map(Value::as_str).collect::<Vec<_>>()
                        == items.iter().map(|i| Some(i.as_str())).collect::<Vec<_>>()
                })
        };
        match self {
            Curated::Text(text) => got.as_str() == Some(text.as_str()),
            Curated::Number(n) => got.as_f64().is_some_and(|g| (g - n).abs() < 1e-9),
            Curated::Texts(items) => list(items, " | "),
            Curated::Ids(items) => list(items, " "),
        }
    }
}

/// Every curated field of every entity, read from the database's own tables: its kind, and by
/// field name the description, aliases, Wikidata item, scalar fields (`type`, `iso`, `born`,
/// `when`, `lat`, `title`, `language`, `published`, …) and references (`country`, `outlet`, …).
fn curated_fields(db: &Path) -> BTreeMap<String, (String, BTreeMap<String, Curated>)> {
    let conn = Connection::open(db).unwrap();
    let mut out: BTreeMap<String, (String, BTreeMap<String, Curated>)> = BTreeMap::new();
    let rows = |sql: &str| -> Vec<(String, String, rusqlite::types::Value)> {
        conn.prepare(sql)
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    for (id, kind, _) in rows("SELECT id, kind, NULL FROM entities") {
        out.insert(id, (kind, BTreeMap::new()));
    }
    let mut add = |id: String, field: String, value: Curated| {
        out.get_mut(&id).unwrap().1.insert(field, value);
    };
    use rusqlite::types::Value as Sql;
    for (id, field, value) in rows(
        "SELECT id, 'description', description FROM entities WHERE description IS NOT NULL
         UNION ALL SELECT id, 'wikidata', wikidata FROM entities WHERE wikidata IS NOT NULL
         UNION ALL SELECT entity_id, field, value FROM entity_fields",
    ) {
        let value = match value {
            Sql::Text(t) => Curated::Text(t),
            Sql::Real(r) => Curated::Number(r),
            Sql::Integer(i) => Curated::Number(i as f64),
            other => panic!("{id} {field}: {other:?}"),
        };
        add(id, field, value);
    }
    let lists = |sql: &str| -> BTreeMap<(String, String), Vec<String>> {
        let mut lists: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        for (id, field, value) in rows(sql) {
            let Sql::Text(value) = value else {
                panic!("{id} {field}")
            };
            lists.entry((id, field)).or_default().push(value);
        }
        lists
    };
    for ((id, field), aliases) in
        lists("SELECT entity_id, 'aliases', alias FROM aliases ORDER BY entity_id, alias")
    {
        add(id, field, Curated::Texts(aliases));
    }
    for ((id, field), targets) in lists(
        "SELECT entity_id, field, target_id FROM entity_links ORDER BY entity_id, field, position",
    ) {
        add(id, field, Curated::Ids(targets));
    }
    out
}

/// Each (kind, field) in `wanted` was checked in every reader.
fn assert_fields_checked(proven: &Proven, wanted: &[(&str, &str)]) {
    for (kind, field) in wanted {
        assert!(
            proven
                .fields_checked
                .contains(&((*kind).to_owned(), (*field).to_owned())),
            "no {kind}'s {field} was checked in the readers: {:?}",
            proven.fields_checked
        );
    }
}

#[test]
fn every_view_of_the_curated_data_opens_in_every_reader_and_matches_the_database() {
    let built = curated();
    let proven = prove_every_format(&built);
    assert_fields_checked(
        &proven,
        &[
            ("organisation", "type"),
            ("organisation", "aliases"),
            ("organisation", "country"),
            ("country", "iso"),
            ("place", "type"),
            ("event", "when"),
            ("person", "description"),
            ("source", "title"),
            ("source", "language"),
            ("source", "published"),
        ],
    );
    // The entity view has parallel edges (one subject, one object, several predicates): every
    // reader kept each of them, which the equal edge sets above prove.
    let json = seen(proven.python("json", "entities", "json"), true);
    let pairs: BTreeSet<&(String, String)> = json.edges.values().collect();
    assert!(
        pairs.len() < json.edges.len(),
        "no parallel edges to prove anything with"
    );
}

#[test]
fn hostile_names_come_through_every_format_unchanged() {
    let built = hostile();
    let proven = prove_every_format(&built);
    // The fixture has every curated field the curated data lacks.
    assert_fields_checked(
        &proven,
        &[
            ("person", "born"),
            ("place", "wikidata"),
            ("place", "lat"),
            ("place", "lon"),
            ("source", "url"),
            ("source", "outlet"),
        ],
    );
    let conn = Connection::open(&built.db).unwrap();
    let names: BTreeMap<String, String> = conn
        .prepare("SELECT id, name FROM entities")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    // The fixture is hostile on purpose: ids that are DOT keywords or no DOT identifier, and
    // names with quotes, backslashes, escString sequences, line breaks, tags and CJK text.
    for id in ["node", "graph", "edge", "subgraph", "1abc", "1"] {
        assert!(names.contains_key(id), "the fixture lost `{id}`");
    }
    for needle in ["\"", "\\", "\n", "„", "<b>", "&amp;", "북한", "朝鲜", "\\N"] {
        assert!(
            names.values().any(|n| n.contains(needle)),
            "no name contains {needle:?}"
        );
    }
    let flat = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");

    for view in VIEWS {
        let json = proven.python("json", view, "json");
        // Tools get every name exactly, line breaks included.
        let label_of = |summary: &Value, id: &str| summary["nodes"][id]["label"].clone();
        for (id, node) in json["nodes"].as_object().unwrap() {
            if let Some(name) = names.get(id) {
                assert_eq!(node["label"], name.as_str(), "{view} json: {id}");
            }
            for format in ["node-link", "graphml", "gexf"] {
                assert_eq!(
                    label_of(proven.python(format, view, format), id),
                    node["label"],
                    "{view} {format}: label of {id}"
                );
            }
            let cytoscape = &proven.cytoscape[&proven.path(view, "cytoscape")];
            assert_eq!(
                label_of(cytoscape, id),
                node["label"],
                "{view} cytoscape: {id}"
            );
        }
        // Diagrams show every name, only broken into lines.
        for svg in [proven.python("svg", view, "svg"), proven.dot_svg(view)] {
            for (id, node) in svg["nodes"].as_object().unwrap() {
                let shown: Vec<&str> = node["text"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t.as_str().unwrap())
                    .collect();
                let shown = flat(&shown.join(" "));
                match names.get(id) {
                    Some(name) => assert_eq!(shown, flat(name), "{view} svg: {id}"),
                    // A claim shows its subject's name above what it says.
                    None => {
                        let label = json["nodes"][id]["label"].as_str().unwrap();
                        assert!(shown.ends_with(&flat(label)), "{view} svg: {id}: {shown}");
                    }
                }
            }
        }
    }

    // Tooltips carry each claim's words exactly.
    let quotes: Vec<(String, String)> = conn
        .prepare("SELECT id, quote FROM claims")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let svg = proven.python("svg", "provenance", "svg");
    for (id, quote) in quotes {
        let tooltip = svg["nodes"][&id]["tooltip"].as_str().unwrap_or_default();
        assert!(
            tooltip.contains(&format!("“{quote}”")),
            "claim {id}: the tooltip lost the quote {quote:?}: {tooltip:?}"
        );
    }

    // Parallel edges in both views, each kept by every reader with its own id.
    let entities = seen(proven.python("graphml", "entities", "graphml"), true);
    let parallel: Vec<&String> = entities
        .edges
        .iter()
        .filter(|(_, ends)| **ends == ("subgraph".to_owned(), "node".to_owned()))
        .map(|(id, _)| id)
        .collect();
    assert_eq!(
        parallel,
        [
            "statement/subgraph/detained_by/node",
            "statement/subgraph/searched_for_by/node"
        ]
    );
    let provenance = seen(proven.python("gexf", "provenance", "gexf"), true);
    let self_cited: Vec<&String> = provenance
        .edges
        .iter()
        .filter(|(_, ends)| **ends == ("c-self-cited".to_owned(), "subgraph".to_owned()))
        .map(|(id, _)| id)
        .collect();
    assert_eq!(self_cited, ["about/c-self-cited", "cites/c-self-cited/1"]);
}

/// GEXF colours each edge by what the claims behind it say, the first that holds: conflicting
/// red, denied purple, affirmed and denied magenta, hedged orange, else grey; and sizes each node
/// by its degree, 4 + 4 √degree, and places it. networkx reads the node sizes (with the degree
/// from the edges it read) and positions; it keeps no edge colour, so those are read from the
/// XML.
#[test]
fn gexf_colours_edges_by_what_their_claims_say_sizes_nodes_by_degree_and_places_them() {
    let built = curated();
    let readers = readers();
    let mut files = Vec::new();
    for view in ["entities", "citations"] {
        let path = built.dir.path().join(format!("{view}.gexf"));
        let result = export(
            &built,
            &["gexf", "--view", view, "-o", path.to_str().unwrap()],
        );
        assert_eq!(result.code, 0, "{}", result.stderr);
        files.push(path.to_str().unwrap().to_owned());
    }
    let script = r##"
import json, math, sys, xml.etree.ElementTree as ET
import networkx as nx
GEXF, VIZ = "{http://gexf.net/1.3}", "{http://gexf.net/1.3/viz}"
out = {"edges": [], "sizes": [], "positions": []}
for path in sys.argv[1:]:
    graph = nx.read_gexf(path)
    for node, data in graph.nodes(data=True):
        out["sizes"].append([node, data["viz"]["size"], 4 + 4 * math.sqrt(graph.degree(node))])
        out["positions"].append([node, data["viz"].get("position")])
    for edge in ET.parse(path).getroot().iter(GEXF + "edge"):
        values = {a.get("for"): a.get("value") for a in edge.iter(GEXF + "attvalue")}
        colour = edge.find(VIZ + "color")
        out["edges"].append({
            "id": edge.get("id"),
            "colour": "#%02x%02x%02x" % tuple(int(colour.get(c)) for c in "rgb"),
            "stance": values["stance"],
            "conflicting": values["conflicting"] == "true",
            "hedged": values["hedged"] == "true",
        })
print(json.dumps(out))
"##;
    let read = python_script(&readers.python, script, &files);
    let mut colours = BTreeSet::new();
    for edge in read["edges"].as_array().unwrap() {
        let expected = if edge["conflicting"] == true {
            "#d62728"
        } else if edge["stance"] == "denies" {
            "#7b3294"
        } else if edge["stance"] == "both" {
            "#e7298a"
        } else if edge["hedged"] == true {
            "#e08a1e"
        } else {
            "#7f7f7f"
        };
        assert_eq!(edge["colour"], expected, "{edge}");
        colours.insert(expected);
    }
    assert_eq!(colours.len(), 5, "the curated data shows every colour");
    for size in read["sizes"].as_array().unwrap() {
        let (got, expected) = (size[1].as_f64().unwrap(), size[2].as_f64().unwrap());
        assert!((got - expected).abs() <= 0.05, "{size}");
    }
    // Every node stands where the layout put it, in the plane (graphology's test holds the
    // places to those of the graphology export).
    for position in read["positions"].as_array().unwrap() {
        let at = &position[1];
        assert!(
            at["x"].is_number() && at["y"].is_number() && at["z"] == 0.0,
            "{position}"
        );
    }
}

/// vis-network takes node-link through its Gephi parser as the README says, with no glue: every
/// node and every edge, each edge between its own ends (`from` and `to`, which vis-network
/// draws by; handed `links` as they are, it drew no edge). Its drawing needs a browser; what it
/// draws is what these DataSets hold.
#[test]
fn vis_network_reads_every_node_and_edge_of_node_link_through_its_gephi_parser() {
    let built = curated();
    let readers = readers();
    let mut files = Vec::new();
    for view in VIEWS {
        let path = built.dir.path().join(format!("{view}.node-link.json"));
        let result = export(
            &built,
            &["node-link", "--view", view, "-o", path.to_str().unwrap()],
        );
        assert_eq!(result.code, 0, "{}", result.stderr);
        files.push(path);
    }
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let read = node_read(&readers, "vis-network.js", &paths);
    for path in &files {
        let data: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
        let nodes: BTreeSet<String> = data["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_owned())
            .collect();
        let edges: BTreeMap<String, (String, String)> = data["links"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                let text = |k: &str| l[k].as_str().unwrap().to_owned();
                (text("id"), (text("source"), text("target")))
            })
            .collect();
        assert!(!edges.is_empty(), "{}", path.display());
        assert_eq!(
            seen(&read[&path.display().to_string()], true),
            Seen { nodes, edges },
            "{}: vis-network reads another graph",
            path.display()
        );
    }
}

/// The exports in the repository are what `build` writes from the curated data: a change to
/// the data or the exporters without `cargo run -- build` fails here.
#[test]
fn the_committed_exports_are_what_build_writes() {
    let readers = readers();
    // The committed JSON is valid under the committed schema, which Ajv compiles in strict mode.
    let schema = schema();
    let committed: Vec<PathBuf> = VIEWS
        .iter()
        .map(|view| root().join(format!("exports/{view}.json")))
        .collect();
    let mut args = vec![schema.as_path()];
    args.extend(committed.iter().map(PathBuf::as_path));
    let validated = node_read(&readers, "ajv.js", &args);
    assert_eq!(validated.len(), VIEWS.len(), "{validated:?}");
    let dir = tempfile::tempdir().unwrap();
    let exports = dir.path().join("exports");
    let result = run(
        &root(),
        &[
            "build",
            "--db",
            dir.path().join("seed.sqlite").to_str().unwrap(),
            "--exports",
            exports.to_str().unwrap(),
        ],
    );
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result.stderr.contains("wrote 31 exports of 3 views"),
        "{}",
        result.stderr
    );
    let listing = |dir: &Path| -> BTreeSet<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().unwrap().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect()
    };
    let committed = root().join("exports");
    let stale = "exports/ is stale: run `cargo run -- build` and commit exports/";
    assert_eq!(listing(&exports), listing(&committed), "{stale}");
    for name in listing(&exports) {
        assert!(
            fs::read(exports.join(&name)).unwrap() == fs::read(committed.join(&name)).unwrap(),
            "exports/{name} differs from what build writes; {stale}"
        );
    }
}

#[test]
fn the_same_database_gives_the_same_bytes_on_stdout_and_in_a_file() {
    let built = hostile();
    let file = built.dir.path().join("provenance.gexf");
    let first = export(&built, &["gexf", "--view", "provenance"]);
    let second = export(
        &built,
        &["gexf", "--view", "provenance", "-o", file.to_str().unwrap()],
    );
    assert_eq!((first.code, second.code), (0, 0), "{}", second.stderr);
    assert_eq!(first.stdout, fs::read_to_string(&file).unwrap());
    assert_eq!(
        first.stdout,
        export(&built, &["gexf", "--view", "provenance"]).stdout
    );
}

/// `-o` naming a device or a pipe writes into it: renaming a finished file over it, as for a
/// regular file, would replace it (as root, `/dev/null` itself).
#[cfg(unix)]
#[test]
fn an_output_that_is_a_device_is_written_into_not_replaced() {
    let built = hostile();
    let plain = export(&built, &["gexf", "--view", "provenance"]);
    let device = export(
        &built,
        &["gexf", "--view", "provenance", "-o", "/dev/stdout"],
    );
    assert_eq!(device.code, 0, "{}", device.stderr);
    assert_eq!(device.stdout, plain.stdout);
    assert!(fs::symlink_metadata("/dev/stdout").is_ok_and(|m| !m.is_file()));
}

#[test]
fn focus_cuts_a_view_down_to_a_neighbourhood() {
    let built = hostile();
    let whole = export(&built, &["json", "--view", "provenance"]);
    let near = export(
        &built,
        &[
            "json",
            "--view",
            "provenance",
            "--focus",
            "1abc",
            "--depth",
            "2",
        ],
    );
    assert_eq!(near.code, 0, "{}", near.stderr);
    let whole: Value = serde_json::from_str(&whole.stdout).unwrap();
    let near: Value = serde_json::from_str(&near.stdout).unwrap();
    assert_eq!(near["focus"], serde_json::json!({"id": "1abc", "depth": 2}));
    let ids = |v: &Value| -> BTreeSet<String> {
        v["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_owned())
            .collect()
    };
    // 1abc, the one claim about it, that claim's reporter: nothing further.
    assert_eq!(
        ids(&near),
        BTreeSet::from([
            "1abc".to_owned(),
            "graph-claim".to_owned(),
            "edge".to_owned()
        ])
    );
    assert!(ids(&whole).len() > ids(&near).len());
    let claims: Vec<&str> = near["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(claims, ["graph-claim"]);

    let one_step = export(&built, &["dot", "--focus", "subgraph"]);
    assert_eq!(one_step.code, 0, "{}", one_step.stderr);
    assert!(one_step.stdout.contains("Entity view around 18 Soldaten"));
}

/// The view in `format`, as `export` writes it.
fn written(view: &View<'_>, format: Format) -> Vec<u8> {
    let mut bytes = Vec::new();
    export::write(view, format, &mut bytes).unwrap();
    bytes
}

/// The formats claimgraph writes itself (SVG and PNG are Graphviz's drawing of the DOT); the
/// last two carry the positions of a layout.
const OWN_FORMATS: [Format; 7] = [
    Format::Dot,
    Format::Json,
    Format::Cytoscape,
    Format::NodeLink,
    Format::Graphml,
    Format::Gexf,
    Format::Graphology,
];

/// `export --focus` walks the database's indexes from the focus and reads only the rows of the
/// neighbourhood; what it draws must be, byte for byte, the whole view cut down to the
/// neighbourhood. Around every node of every view of both data sets, at depths 0 to 2, and
/// to 3 around some.
#[test]
fn a_focus_read_through_the_indexes_draws_the_whole_view_cut_down() {
    for built in [curated(), hostile()] {
        let conn = store::open_read(&built.db).unwrap();
        let all = store::snapshot::read(&conn).unwrap();
        let index = ClaimIndex::new(&conn);
        for kind in ViewKind::ALL {
            let whole = View::new(kind, &all);
            let ids: Vec<&str> = whole.node_ids().collect();
            for (i, &id) in ids.iter().enumerate() {
                // Depth 3 reaches most of these small graphs: around every fifth node.
                let deepest = if i % 5 == 0 { 3 } else { 2 };
                for depth in 0..=deepest {
                    let cut = whole.focus(id, depth).unwrap();
                    let near = neighbourhood(kind, id, depth, &index)
                        .unwrap()
                        .unwrap_or_else(|| panic!("{kind} {id}: the walk finds no node"));
                    let rows = read_claims(&conn, &near.claims, &near.entities).unwrap();
                    let focus = Focus {
                        id: id.to_owned(),
                        depth,
                    };
                    let around = View::around(kind, &rows, &near, focus);
                    assert_eq!(
                        rows.claims.len(),
                        cut.claims().len(),
                        "{kind} {id} {depth}: it reads the claims it draws and no others"
                    );
                    // JSON carries every field of every row it draws; the other formats
                    // are made from the same view and rows, and checked at one depth, those
                    // with positions (a Graphviz layout each) around every fifth node.
                    let formats: &[Format] = match depth {
                        1 if i % 5 == 0 => &OWN_FORMATS,
                        1 => &OWN_FORMATS[..5],
                        _ => &[Format::Json],
                    };
                    for &format in formats {
                        let expected = written(&cut, format);
                        let fast = written(&around, format);
                        assert!(
                            fast == expected,
                            "{kind} view around {id} at depth {depth}: {format} differs:\n{}",
                            first_difference(&fast, &expected)
                        );
                    }
                }
            }
            // Where the walk cannot start, the whole view says why (tested below).
            let elsewhere = all
                .entities
                .iter()
                .map(|e| e.id.as_str())
                .chain(all.claims.iter().map(|c| c.id.as_str()))
                .filter(|id| !ids.contains(id))
                .chain(["no-such-id"]);
            for id in elsewhere {
                assert_eq!(
                    neighbourhood(kind, id, 1, &index).unwrap(),
                    None,
                    "{kind} {id}"
                );
            }
        }
    }
}

/// The line where two exports part, with a few lines of context.
fn first_difference(a: &[u8], b: &[u8]) -> String {
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    let at = a
        .lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .unwrap_or_else(|| a.lines().count().min(b.lines().count()));
    let near = |text: &str| -> String {
        let lines: Vec<&str> = text.lines().skip(at.saturating_sub(2)).take(5).collect();
        lines.join("\n")
    };
    format!("fast:\n{}\nexpected:\n{}", near(&a), near(&b))
}

/// The command line takes that path: its focused exports are the library's cut, byte for byte.
#[test]
fn export_focus_writes_the_cut_of_the_whole_view() {
    let built = hostile();
    let conn = store::open_read(&built.db).unwrap();
    let all = store::snapshot::read(&conn).unwrap();
    for (kind, id, depth) in [
        (ViewKind::Entities, "subgraph", 1),
        (ViewKind::Entities, "1abc", 0),
        (ViewKind::Provenance, "1abc", 2),
        (ViewKind::Provenance, "graph-claim", 3),
        (ViewKind::Citations, "edge", 2),
    ] {
        let cut = View::new(kind, &all).focus(id, depth).unwrap();
        for format in OWN_FORMATS {
            let depth = depth.to_string();
            let result = export(
                &built,
                &[
                    format.as_str(),
                    "--view",
                    kind.as_str(),
                    "--focus",
                    id,
                    "--depth",
                    &depth,
                ],
            );
            assert_eq!(result.code, 0, "{}", result.stderr);
            let expected = written(&cut, format);
            assert!(
                result.stdout.as_bytes() == expected,
                "{kind} {id} {depth} {format}:\n{}",
                first_difference(result.stdout.as_bytes(), &expected)
            );
        }
    }
}

/// Regression: `neighbors` and `path` walked the curated links (`nationality`, `part_of`) and
/// `export --view entities` did not draw them, so on the analysis fixture `neighbors deserters`
/// reached `ruritania` and `export json --view entities --focus deserters` did not. Both walk
/// one entities view now: around every entity, at every depth up to 3, `neighbors` lists the
/// nodes the export draws (but the focus itself), and the first relation `neighbors` lists at
/// each node is an edge the export has.
#[test]
fn neighbors_reaches_the_nodes_of_the_entities_export_around_the_same_focus() {
    let fixture = fixtures().join("analysis");
    let built = build(&fixture.join("data"), &fixture.join("seeds"));
    let conn = Connection::open(&built.db).unwrap();
    let entities = crate::strings(&conn, "SELECT id FROM entities ORDER BY id");
    let mut reached_a_link = false;
    for id in &entities {
        for depth in 1..=3 {
            let depth_text = depth.to_string();
            let drawn = export(
                &built,
                &[
                    "json",
                    "--view",
                    "entities",
                    "--focus",
                    id,
                    "--depth",
                    &depth_text,
                ],
            );
            let listed = run(
                built.dir.path(),
                &[
                    "neighbors",
                    id,
                    "--depth",
                    &depth_text,
                    "--format",
                    "json",
                    "--db",
                    built.db.to_str().unwrap(),
                ],
            );
            assert_eq!(listed.code, 0, "{}", listed.stderr);
            let rows: Value = serde_json::from_str(&listed.stdout).unwrap();
            let mut reached: BTreeSet<String> = rows
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_str().unwrap().to_owned())
                .collect();
            reached.insert(id.clone());
            if drawn.code != 0 {
                // An entity no claim or link draws: the export says so, and there is nothing
                // around it to list.
                assert!(
                    drawn.stderr.contains("is not part of the entities view"),
                    "{}",
                    drawn.stderr
                );
                assert_eq!(reached, BTreeSet::from([id.clone()]), "{id}");
                continue;
            }
            let drawn: Value = serde_json::from_str(&drawn.stdout).unwrap();
            let nodes: BTreeSet<String> = drawn["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["id"].as_str().unwrap().to_owned())
                .collect();
            assert_eq!(reached, nodes, "around {id} at depth {depth}");
            let edges: BTreeSet<(String, String, String)> = drawn["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    let relation = e["predicate"].as_str().or(e["field"].as_str()).unwrap();
                    let end = |k: &str| e[k].as_str().unwrap().to_owned();
                    (end("source"), relation.to_owned(), end("target"))
                })
                .collect();
            for row in rows.as_array().unwrap() {
                // "from —relation→ to"
                let relation = row["relation"].as_str().unwrap();
                let (from, rest) = relation.split_once(" —").unwrap();
                let (name, to) = rest.split_once("→ ").unwrap();
                reached_a_link |= row["claims"] == 0;
                assert!(
                    edges.contains(&(from.to_owned(), name.to_owned(), to.to_owned())),
                    "neighbors lists {relation}, the export around {id} has no such edge"
                );
            }
        }
    }
    assert!(
        reached_a_link,
        "no curated link walked: the test proves nothing"
    );
}

#[test]
fn an_unknown_focus_is_a_usage_error_that_suggests_the_id_meant() {
    let built = hostile();
    let result = export(&built, &["dot", "--focus", "subgrahp"]);
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert_eq!(
        result.stderr,
        "error: no entity or claim has the id `subgrahp`\n  = help: did you mean `subgraph`?\n"
    );
    assert!(result.stdout.is_empty());
}

#[test]
fn a_focus_outside_the_view_names_the_view_that_has_it() {
    let built = hostile();
    let result = export(&built, &["json", "--focus", "c-quote"]);
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert_eq!(
        result.stderr,
        "error: `c-quote` is not part of the entities view\n  = help: it is in the provenance view: add `--view provenance`\n"
    );
}

#[test]
fn a_missing_database_is_a_usage_error_with_the_stores_message() {
    let dir = tempfile::tempdir().unwrap();
    let result = run(dir.path(), &["export", "json"]);
    assert_eq!(result.code, 2);
    assert_eq!(
        result.stderr,
        "error: no database at claimgraph.sqlite: run `claimgraph build` first\n"
    );
}

#[test]
fn an_unknown_format_or_view_is_a_usage_error_listing_the_choices() {
    let built = hostile();
    let result = export(&built, &["pdf"]);
    assert_eq!(result.code, 2);
    assert!(
        result.stderr.contains(
            "[possible values: dot, svg, png, json, cytoscape, node-link, graphml, gexf, graphology, html, rdf, nquads, ftm, cypher]"
        ),
        "{}",
        result.stderr
    );
    let result = export(&built, &["json", "--view", "claims"]);
    assert_eq!(result.code, 2);
    assert!(
        result
            .stderr
            .contains("[possible values: entities, provenance, citations]"),
        "{}",
        result.stderr
    );
}

/// A PATH on which no `dot` can be found.
fn path_without_graphviz(dir: &Path) -> std::ffi::OsString {
    let empty = dir.join("no-graphviz");
    fs::create_dir_all(&empty).unwrap();
    empty.into_os_string()
}

#[test]
fn without_graphviz_svg_and_png_say_how_to_install_it_and_the_rest_works() {
    let built = hostile();
    let path = path_without_graphviz(built.dir.path());
    for format in ["svg", "png"] {
        let output = crate::claimgraph(built.dir.path())
            .args([
                "export",
                format,
                "--db",
                built.db.to_str().unwrap(),
                "-o",
                "x",
            ])
            .env("PATH", &path)
            .output()
            .unwrap();
        let result: crate::Run = output.into();
        assert_eq!(result.code, 2, "{format}: {}", result.stderr);
        assert!(
            result.stderr.contains("Graphviz is not installed")
                && result.stderr.contains("apt-get install graphviz"),
            "{format}: {}",
            result.stderr
        );
        assert!(!built.dir.path().join("x").exists());
    }
    for format in [
        "dot",
        "json",
        "cytoscape",
        "node-link",
        "graphml",
        "gexf",
        "graphology",
    ] {
        let output = crate::claimgraph(built.dir.path())
            .args(["export", format, "--db", built.db.to_str().unwrap()])
            .env("PATH", &path)
            .output()
            .unwrap();
        assert!(output.status.success(), "{format} needs no Graphviz");
        assert!(!output.stdout.is_empty());
    }
}

#[test]
fn build_without_graphviz_writes_everything_but_the_svgs_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = fixtures().join("export/hostile");
    let output = crate::claimgraph(dir.path())
        .args(["build", "--data"])
        .arg(fixture.join("data"))
        .arg("--seeds")
        .arg(fixture.join("seeds"))
        .env("PATH", path_without_graphviz(dir.path()))
        .output()
        .unwrap();
    let result: crate::Run = output.into();
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result
            .stderr
            .contains("wrote 22 exports of 3 views to exports")
            && result
                .stderr
                .contains("the SVG diagrams and the explorer were skipped")
            && result.stderr.contains("apt-get install graphviz"),
        "{}",
        result.stderr
    );
    let exports = dir.path().join("exports");
    assert!(!exports.join("explorer.html").exists());
    for view in VIEWS {
        assert!(!exports.join(format!("{view}.svg")).exists());
        for format in [
            "dot",
            "json",
            "cytoscape",
            "node-link",
            "graphml",
            "gexf",
            "graphology",
        ] {
            let file = exports.join(format!("{view}.{}", extension(format)));
            assert!(file.is_file(), "{} is missing", file.display());
        }
        // GEXF and graphology's JSON carry everything but the positions, which Graphviz gives.
        let readers = readers();
        let files = [
            exports.join(format!("{view}.graphology.json")),
            exports.join(format!("{view}.gexf")),
        ];
        let read = node_read(&readers, "graphology.js", &[&files[0], &files[1]]);
        for file in &files {
            let graph = &read[&file.display().to_string()];
            let nodes = graph["attributes"].as_object().unwrap();
            assert!(!nodes.is_empty(), "{}", file.display());
            for (id, node) in nodes {
                assert!(
                    node.get("x").is_none() && node.get("y").is_none(),
                    "{}: {id} has a position without Graphviz: {node}",
                    file.display()
                );
                assert!(
                    node["size"].is_number() && node["color"].is_string(),
                    "{node}"
                );
            }
        }
    }
}

/// Width and height of a PNG, from its header chunk.
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = fs::read(path).unwrap();
    assert_eq!(
        &bytes[..8],
        b"\x89PNG\r\n\x1a\n",
        "{} is no PNG",
        path.display()
    );
    assert_eq!(&bytes[12..16], b"IHDR", "{}", path.display());
    let number = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (number(16), number(20))
}

/// `dot -Tjson` of a DOT file, which must say nothing on stderr (no warnings).
fn dot_json(dot: &Path) -> Value {
    let output = Command::new("dot")
        .arg("-Tjson")
        .arg(dot)
        .output()
        .expect("dot runs");
    assert!(output.status.success(), "dot -Tjson {}", dot.display());
    assert!(
        output.stderr.is_empty(),
        "dot -Tjson {} warned: {}",
        dot.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The `name` of each of Graphviz's objects (clusters first, then nodes) by its `_gvid`.
fn object_names(layout: &Value) -> BTreeMap<u64, String> {
    layout["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["_gvid"].as_u64().unwrap(),
                o["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The members of a cluster of a `dot -Tjson` layout, by name.
fn cluster_members(layout: &Value, cluster: &str) -> BTreeSet<String> {
    let names = object_names(layout);
    layout["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == cluster)
        .and_then(|o| o["nodes"].as_array())
        .map(|nodes| {
            nodes
                .iter()
                .map(|n| names[&n.as_u64().unwrap()].clone())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_whole_curated_diagrams_fit_a_screen_or_a_poster_at_full_size() {
    // Pixels at Graphviz's 96 dpi. The provenance view draws each of the 360 curated claims,
    // in two columns around the entities: about a poster's height, no longer one column of
    // 22,000 pixels that ImageMagick's default policy (16,384 at most) refuses to open. A
    // neighbourhood fits a screen, and its few claims stay in one column.
    let built = curated();
    let dir = built.dir.path();
    let around = ["--focus", "nk-deserters", "--depth", "2"];
    for (i, (view, focus, longest)) in [
        ("entities", &[][..], 4_200),
        ("citations", &[], 2_900),
        ("provenance", &[], 6_000),
        ("entities", &around[..], 3_600),
        ("provenance", &around, 2_000),
    ]
    .into_iter()
    .enumerate()
    {
        let dot = dir.join(format!("{i}.dot"));
        let png = dir.join(format!("{i}.png"));
        let view = format!("{view} {}", focus.join(" "));
        for (format, path) in [("dot", &dot), ("png", &png)] {
            let mut args = vec![format, "--view", view.split(' ').next().unwrap()];
            args.extend(["-o", path.to_str().unwrap()]);
            args.extend(focus);
            let result = export(&built, &args);
            assert_eq!(result.code, 0, "{view} {format}: {}", result.stderr);
        }
        assert_legible(&view, &png, &dot, longest);
    }
}

/// The drawing `png` of `dot` fits `longest` pixels on its longest side at 96 dpi, is no more
/// than three times as long as it is wide, and reaches that by layout: no `size` scales it
/// down, and no text is below 8 points.
fn assert_legible(what: &str, png: &Path, dot: &Path, longest: u32) {
    let (width, height) = png_size(png);
    let (long, short) = (width.max(height), width.min(height));
    assert!(
        long <= longest && long <= 3 * short,
        "{what}: {width} x {height} pixels at 96 dpi"
    );
    let layout = dot_json(dot);
    assert!(layout.get("size").is_none(), "{what} sets a size");
    for object in layout["objects"]
        .as_array()
        .unwrap()
        .iter()
        .chain(layout["edges"].as_array().unwrap())
    {
        if let Some(size) = object.get("fontsize").and_then(Value::as_str) {
            assert!(size.parse::<f64>().unwrap() >= 8.0, "{what}: {object}");
        }
    }
}

#[test]
fn nodes_with_no_edge_in_a_view_are_gathered_in_one_labelled_box() {
    let built = curated();
    for view in VIEWS {
        let dot = built.dir.path().join(format!("{view}.dot"));
        let result = export(
            &built,
            &["dot", "--view", view, "-o", dot.to_str().unwrap()],
        );
        assert_eq!(result.code, 0, "{view}: {}", result.stderr);
        let layout = dot_json(&dot);
        let names = object_names(&layout);
        let mut linked = BTreeSet::new();
        for edge in layout["edges"].as_array().unwrap() {
            if edge["style"] != "invis" {
                for end in ["tail", "head"] {
                    linked.insert(names[&edge[end].as_u64().unwrap()].clone());
                }
            }
        }
        let legend = cluster_members(&layout, "cluster_legend");
        let unlinked: BTreeSet<String> = names
            .values()
            .filter(|name| !name.starts_with("cluster"))
            .filter(|name| !legend.contains(*name) && !linked.contains(*name))
            .cloned()
            .collect();
        let boxed = cluster_members(&layout, "cluster_unlinked");
        assert_eq!(unlinked, boxed, "{view}: unlinked nodes outside their box");
        if view == "entities" {
            for id in [
                "central-asian-media-and-ngos",
                "international-community",
                "korean-peninsula",
            ] {
                assert!(
                    boxed.contains(id),
                    "{view}: {id} is not in the box: {boxed:?}"
                );
            }
            let label = layout["objects"]
                .as_array()
                .unwrap()
                .iter()
                .find(|o| o["name"] == "cluster_unlinked")
                .map(|o| o["label"].clone());
            assert_eq!(
                label,
                Some(Value::from(format!(
                    "Not linked in this view ({} nodes)",
                    boxed.len()
                )))
            );
        }
    }
}

#[test]
fn contested_denied_hedged_and_conflicting_edges_are_drawn_apart_and_in_the_legend() {
    let built = curated();
    let dot = built.dir.path().join("entities.dot");
    let result = export(
        &built,
        &["dot", "--view", "entities", "-o", dot.to_str().unwrap()],
    );
    assert_eq!(result.code, 0, "{}", result.stderr);
    let layout = dot_json(&dot);
    let edges = layout["edges"].as_array().unwrap();
    let style = |e: &Value| {
        (
            e["color"].as_str().unwrap_or_default().to_owned(),
            e["style"].as_str().unwrap_or_default().to_owned(),
        )
    };
    let legend: BTreeMap<String, (String, String)> = edges
        .iter()
        .filter(|e| e["class"] == "legend" && e["style"] != "invis")
        .map(|e| (e["id"].as_str().unwrap().to_owned(), style(e)))
        .collect();
    let plain = &legend["legend:affirmed"];
    for sample in ["contested", "denied", "hedged", "conflicting"] {
        let drawn = &legend[&format!("legend:{sample}")];
        assert_ne!(
            drawn, plain,
            "{sample} looks like any other edge in the legend"
        );
    }
    let red = &legend["legend:contested"].0;
    // The curated set has statements that one voice affirms and another denies.
    let contested: Vec<&Value> = edges
        .iter()
        .filter(|e| e["class"] != "legend")
        .filter(|e| {
            e["label"]
                .as_str()
                .unwrap_or_default()
                .contains("(contested:")
        })
        .collect();
    assert!(!contested.is_empty(), "no contested statement drawn");
    for edge in contested {
        assert_eq!(
            &edge["color"].as_str().unwrap().to_owned(),
            red,
            "{}",
            edge["id"]
        );
    }
}

/// The id of every source document of a database, in id order.
fn document_ids(db: &Path) -> Vec<String> {
    let conn = Connection::open(db).unwrap();
    crate::strings(&conn, "SELECT id FROM sources ORDER BY id")
}

#[test]
fn each_curated_document_draws_its_provenance_on_a_page() {
    // Pixels at Graphviz's 96 dpi: the whole provenance view of 360 claims is a poster, each
    // document's own fits a screen or a page without scaling its text down.
    let built = curated();
    let dir = built.dir.path();
    let documents = document_ids(&built.db);
    assert_eq!(documents.len(), 5, "{documents:?}");
    for id in &documents {
        let dot = dir.join(format!("{id}.dot"));
        let png = dir.join(format!("{id}.png"));
        for (format, path) in [("dot", &dot), ("png", &png)] {
            let args = ["--view", "provenance", "--source", id, "-o"];
            let mut args = [&[format][..], &args].concat();
            args.push(path.to_str().unwrap());
            let result = export(&built, &args);
            assert_eq!(result.code, 0, "{id} {format}: {}", result.stderr);
        }
        assert_legible(id, &png, &dot, 2_600);
    }
}

#[test]
fn a_document_view_holds_exactly_the_claims_of_that_document() {
    let readers = readers();
    let built = curated();
    let conn = Connection::open(&built.db).unwrap();
    let out = built.dir.path();
    let mut files = Vec::new();
    for id in document_ids(&built.db) {
        let sql = format!("SELECT id FROM claims WHERE source_id = '{id}' ORDER BY id");
        let wanted = crate::strings(&conn, &sql);
        assert!(!wanted.is_empty(), "{id} has no claims");
        for view in VIEWS {
            let path = out.join(format!("{view}-{id}.json"));
            let result = export(
                &built,
                &[
                    "json",
                    "--view",
                    view,
                    "--source",
                    &id,
                    "-o",
                    path.to_str().unwrap(),
                ],
            );
            assert_eq!(result.code, 0, "{view} {id}: {}", result.stderr);
            let json: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
            assert_eq!(json["source"], id.as_str(), "{view} {id}");
            let claims: Vec<&str> = json["claims"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_str().unwrap())
                .collect();
            let sources: Vec<&str> = json["sources"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["id"].as_str().unwrap())
                .collect();
            assert_eq!(sources, [id.as_str()], "{view} {id}");
            if view == "provenance" {
                // Every claim is a node of the provenance view.
                assert_eq!(claims, wanted, "{view} {id}");
                let nodes: BTreeSet<&str> = json["nodes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|n| n["kind"] == "claim")
                    .map(|n| n["id"].as_str().unwrap())
                    .collect();
                assert_eq!(nodes, wanted.iter().map(String::as_str).collect());
            } else {
                // Other views draw the claims that join two entities, or give one a value.
                assert!(!claims.is_empty(), "{view} {id}");
                assert!(
                    claims.iter().all(|c| wanted.iter().any(|w| w == c)),
                    "{view} {id}: {claims:?}"
                );
            }
            files.push(path);
        }
    }
    // The document's id is part of claimgraph's own format, under its schema.
    let schema = schema();
    let mut args = vec![schema.as_path()];
    args.extend(files.iter().map(PathBuf::as_path));
    let validated = node_read(&readers, "ajv.js", &args);
    assert_eq!(validated.len(), files.len(), "{validated:?}");
}

#[test]
fn an_unknown_source_is_a_usage_error_that_suggests_the_id_meant() {
    let built = curated();
    let result = export(
        &built,
        &[
            "svg",
            "--view",
            "provenance",
            "--source",
            "nl-chinese-recruit",
        ],
    );
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert_eq!(
        result.stderr,
        "error: no source document has the id `nl-chinese-recruit`\n  = help: did you mean `nl-chinese-recruits`?\n"
    );
    assert!(result.stdout.is_empty());
}

#[test]
fn a_focus_in_a_document_cuts_its_view_and_names_the_documents_that_have_it() {
    let built = curated();
    let result = export(
        &built,
        &[
            "json",
            "--view",
            "provenance",
            "--source",
            "en-central-asia-recruits",
            "--focus",
            "alexander-sterliadnikov",
        ],
    );
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert_eq!(
        result.stderr,
        "error: `alexander-sterliadnikov` is not part of the provenance view of the document `en-central-asia-recruits`\n  = help: it is in the view of `nl-russian-deserters`: try `--source nl-russian-deserters`, or leave out `--source`\n"
    );
    let around = ["--focus", "nk-deserters", "--depth", "1"];
    let whole = crate::json(&export(
        &built,
        &[&["json", "--view", "provenance"][..], &around].concat(),
    ));
    let json = crate::json(&export(
        &built,
        &[
            &["json", "--view", "provenance", "--source", "de-nk-soldiers"][..],
            &around,
        ]
        .concat(),
    ));
    assert_eq!(json["source"], "de-nk-soldiers");
    assert_eq!(json["focus"]["id"], "nk-deserters");
    let of = |json: &Value, document: &str| -> BTreeSet<String> {
        json["claims"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["source"] == document)
            .map(|c| c["id"].as_str().unwrap().to_owned())
            .collect()
    };
    // The document's claims of the whole neighbourhood, and no other.
    assert!(!of(&json, "de-nk-soldiers").is_empty());
    assert_eq!(of(&json, "de-nk-soldiers"), of(&whole, "de-nk-soldiers"));
    assert_eq!(
        json["claims"].as_array().unwrap().len(),
        of(&json, "de-nk-soldiers").len()
    );
}

#[test]
fn build_draws_each_document_and_removes_the_drawing_of_a_document_gone() {
    let project = crate::valid_project();
    let dir = project.path();
    let exports = dir.join("exports");
    // A file claimgraph did not write, where a document's drawing goes, is not replaced.
    fs::create_dir(&exports).unwrap();
    fs::write(exports.join("provenance-report.svg"), "<svg/>").unwrap();
    let result = run(dir, &["build"]);
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert!(
        result.stderr.contains("provenance-report.svg") && result.stderr.contains("--force"),
        "{}",
        result.stderr
    );
    assert_eq!(
        fs::read_to_string(exports.join("provenance-report.svg")).unwrap(),
        "<svg/>"
    );
    let result = run(dir, &["build", "--force"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    for id in ["rebuttal", "report"] {
        let svg = fs::read_to_string(exports.join(format!("provenance-{id}.svg"))).unwrap();
        assert!(svg.contains(&format!("cluster:{id}")), "{id}");
    }
    // A file of the user's own with a name like a drawing's is not claimgraph's to remove.
    fs::write(exports.join("provenance-notes.svg"), "<svg/>").unwrap();
    fs::remove_file(dir.join("data/claims/rebuttal.toml")).unwrap();
    let entities = dir.join("data/entities.toml");
    let text = fs::read_to_string(&entities).unwrap();
    let start = text.find("[[source]]\nid = \"rebuttal\"").unwrap();
    let end = text[start + 1..]
        .find("[[")
        .map_or(text.len(), |i| start + 1 + i);
    fs::write(&entities, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let result = run(dir, &["build"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(!exports.join("provenance-rebuttal.svg").exists());
    assert!(exports.join("provenance-report.svg").exists());
    assert!(exports.join("provenance-notes.svg").exists());
}

#[test]
fn a_build_of_more_documents_than_it_draws_one_by_one_says_how_to_draw_one() {
    let project = crate::valid_project();
    let dir = project.path();
    let mut toml = String::new();
    for i in 0..25 {
        fs::write(
            dir.join(format!("seeds/extra-{i}.txt")),
            format!("Report {i} counts {i} deserters.\n"),
        )
        .unwrap();
        toml.push_str(&format!(
            "[[source]]\nid = \"extra-{i}\"\nfile = \"extra-{i}.txt\"\ntitle = \"Extra {i}\"\n\n[[claim]]\nsource = \"extra-{i}\"\nsubject = \"unit-deserters\"\npredicate = \"count\"\nvalue = {i}\nquote = \"Report {i} counts {i} deserters.\"\n\n"
        ));
    }
    fs::write(dir.join("data/extra.toml"), toml).unwrap();
    let result = run(dir, &["build"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result.stderr.contains("note: no document got a provenance drawing of its own: 27 documents have claims, more than the 25 a build draws; draw one with `claimgraph export svg --view provenance --source ID`"),
        "{}",
        result.stderr
    );
    let drawings: Vec<String> = fs::read_dir(dir.join("exports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("provenance-"))
        .collect();
    assert!(drawings.is_empty(), "{drawings:?}");
}

/// sigma.js, the renderer of Gephi Lite and of many newsroom graphs, draws each committed
/// `<view>.graphology.json` in Chromium as it is: `new Sigma(Graph.from(data), container)`,
/// with sigma.js 4 and with sigma.js 3, which refuses a node `type` it has no program for (the
/// curated `type` is therefore written as `category`). Every node is displayed in the file's
/// colour, its position in the file inside the drawing.
#[test]
fn sigma_js_draws_every_view_from_its_graphology_file_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let node_modules = root().join(".ci/node/node_modules");
    let bundled = Command::new(node_modules.join(".bin/esbuild"))
        .arg(fixtures().join("export/readers/sigma-entry.js"))
        .args(["--bundle", "--format=iife", "--log-level=warning"])
        .arg(format!(
            "--outfile={}",
            dir.path().join("sigma.js").display()
        ))
        .env("NODE_PATH", &node_modules)
        .output()
        .expect("esbuild runs: `bash .ci/run` installs it in .ci/node/");
    assert!(
        bundled.status.success(),
        "{}",
        String::from_utf8_lossy(&bundled.stderr)
    );
    for view in VIEWS {
        let text =
            fs::read_to_string(root().join(format!("exports/{view}.graphology.json"))).unwrap();
        let data: Value = serde_json::from_str(&text).unwrap();
        fs::write(dir.path().join("data.js"), format!("window.DATA = {text};")).unwrap();
        let page = dir.path().join(format!("{view}.html"));
        fs::write(
            &page,
            r#"<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<div id="four" style="width: 800px; height: 600px"></div>
<div id="three" style="width: 800px; height: 600px"></div>
<script src="sigma.js"></script><script src="data.js"></script></body></html>"#,
        )
        .unwrap();
        let shown = crate::browser::browse(
            &page,
            r##"export default async (page) => page.evaluate(() => {
                const drawn = {};
                for (const [name, Renderer] of [['four', window.Sigma], ['three', window.Sigma3]]) {
                    try {
                        const graph = window.Graph.from(window.DATA);
                        const sigma = new Renderer(graph, document.getElementById(name));
                        const shown = graph.nodes().filter((key) => {
                            const display = sigma.getNodeDisplayData(key);
                            const attributes = graph.getNodeAttributes(key);
                            // The file's position, mapped by sigma into its 800 x 600 container.
                            const at = sigma.graphToViewport({ x: attributes.x, y: attributes.y });
                            return display && display.color === attributes.color
                                && at.x >= 0 && at.x <= 800 && at.y >= 0 && at.y <= 600;
                        });
                        drawn[name] = { nodes: graph.order, edges: graph.size, shown: shown.length };
                    } catch (error) {
                        drawn[name] = { error: String(error) };
                    }
                }
                return drawn;
            });"##,
        );
        let nodes = data["nodes"].as_array().unwrap().len();
        let edges = data["edges"].as_array().unwrap().len();
        for version in ["four", "three"] {
            let drawn = &shown[version];
            assert_eq!(drawn["nodes"], nodes, "{view}, sigma.js {version}: {drawn}");
            assert_eq!(drawn["edges"], edges, "{view}, sigma.js {version}: {drawn}");
            assert_eq!(drawn["shown"], nodes, "{view}, sigma.js {version}: {drawn}");
        }
    }
}
