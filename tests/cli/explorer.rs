//! The explorer (`export html`, `exports/explorer.html`) in headless Chromium, from `file://`
//! with the network cut off: every node and line of the view is drawn, a node and a line answer
//! who reported what, citing whom, in which words, search, filters and deep links work, a
//! hostile quote stays text, and a view of thousands of nodes is drawn on a canvas that answers
//! clicks.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::browser::{Browse, browse};
use crate::{fixtures, root, run};

/// The committed explorer of the curated data (the golden test keeps it what `build` writes),
/// with the committed JSON of the same view beside it.
fn curated() -> (PathBuf, Value) {
    let page = root().join("exports/explorer.html");
    let view =
        serde_json::from_str(&fs::read_to_string(root().join("exports/entities.json")).unwrap())
            .unwrap();
    (page, view)
}

/// Builds `data`/`seeds` and writes the explorer of the entities view into the returned folder.
fn explorer_of(data: &Path, seeds: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let (dir, db) = crate::build_database(data, seeds);
    let page = dir.path().join("explorer.html");
    let mut args = vec![
        "export",
        "html",
        "--db",
        db.to_str().unwrap(),
        "-o",
        page.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let result = run(&root(), &args);
    assert_eq!(result.code, 0, "{}", result.stderr);
    (dir, page)
}

fn ids(list: &Value) -> BTreeSet<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|x| {
            x["id"]
                .as_str()
                .unwrap_or_else(|| x.as_str().unwrap())
                .to_owned()
        })
        .collect()
}

fn strings(value: &Value) -> BTreeSet<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_curated_explorer_draws_every_node_and_line_of_the_entities_view() {
    let (page, view) = curated();
    let drawn = browse(
        &page,
        r##"export default async (page) => page.evaluate(() => ({
            renderer: document.body.dataset.renderer,
            nodes: [...document.querySelectorAll('#graph .node')].map((n) => n.dataset.id),
            edges: [...document.querySelectorAll('#graph .edge')].map((e) => e.dataset.id),
            labelled: [...document.querySelectorAll('#graph .node')].every((n) => n.getAttribute('aria-label') && n.tabIndex === 0),
            summary: document.getElementById('summary').textContent,
            title: document.title,
        }));"##,
    );
    assert_eq!(drawn["renderer"], "svg");
    assert_eq!(strings(&drawn["nodes"]), ids(&view["nodes"]));
    assert_eq!(strings(&drawn["edges"]), ids(&view["edges"]));
    assert_eq!(
        drawn["labelled"], true,
        "every node is a labelled, focusable button"
    );
    let nodes = view["nodes"].as_array().unwrap().len();
    let edges = view["edges"].as_array().unwrap().len();
    assert!(
        drawn["summary"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{nodes} nodes, {edges} lines")),
        "{}",
        drawn["summary"]
    );
    assert_eq!(drawn["title"], "claimgraph explorer: entities view");
}

/// The claims behind the conflicting line `nk-deserters detained by russian-authorities`, as
/// the database has them: reporter and citing chain by name, and the document's own words at
/// the quote's offsets.
fn claims_of_the_detention() -> Vec<(String, String, Vec<String>, String)> {
    let (_dir, db) = crate::seed_database();
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut statement = conn
        .prepare(
            "SELECT c.id, r.name,
                    (SELECT json_group_array(name) FROM (SELECT e.name FROM claim_citations AS cc
                       JOIN entities AS e ON e.id = cc.entity_id
                      WHERE cc.claim_id = c.id ORDER BY cc.position)),
                    substr(s.text, c.quote_start + 1, c.quote_end - c.quote_start)
               FROM claims AS c JOIN entities AS r ON r.id = c.reported_by
               JOIN sources AS s ON s.id = c.source_id
              WHERE c.subject_id = 'nk-deserters' AND c.predicate = 'detained_by'
                AND c.object_id = 'russian-authorities'
              ORDER BY c.id",
        )
        .unwrap();
    statement
        .query_map([], |r| {
            let citing: String = r.get(2)?;
            Ok((
                r.get(0)?,
                r.get(1)?,
                serde_json::from_str(&citing).unwrap(),
                r.get(3)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_click_on_a_node_then_on_a_line_shows_who_reported_what_citing_whom_in_which_words() {
    let (page, _) = curated();
    let shown = browse(
        &page,
        r##"export default async (page, helpers) => {
            // A real click at the node's place on the screen.
            const node = await page.$('#graph .node[data-id="nk-deserters"]');
            await node.click();
            await helpers.settle();
            const nodePanel = await page.evaluate(() => ({
                title: document.getElementById('panel-title').textContent,
                hash: location.hash,
                lines: [...document.querySelectorAll('#panel li button')].map((b) => b.textContent),
            }));
            // Then a real click on the line itself, at the middle of its curve.
            const id = 'statement/nk-deserters/detained_by/russian-authorities';
            const point = await page.evaluate((id) => {
                const path = document.querySelector(`.edge[data-id="${id}"] .line`);
                const middle = path.getPointAtLength(path.getTotalLength() / 2);
                const screen = new DOMPoint(middle.x, middle.y).matrixTransform(path.getScreenCTM());
                return { x: screen.x, y: screen.y };
            }, id);
            const target = await page.evaluate(({ x, y }) => {
                const hit = document.elementFromPoint(x, y);
                return hit && hit.closest('.edge') ? hit.closest('.edge').dataset.id : null;
            }, point);
            await page.mouse.click(point.x, point.y);
            await helpers.settle();
            const edgePanel = await page.evaluate(() => ({
                title: document.getElementById('panel-title').textContent,
                hash: location.hash,
                flags: [...document.querySelectorAll('#panel > p .flag')].map((f) => f.textContent),
                claims: [...document.querySelectorAll('#panel article.claim')].map((a) => ({
                    id: a.dataset.claim,
                    chain: a.querySelector('.chain').textContent,
                    quoted: a.querySelector('blockquote mark').textContent,
                    passage: a.querySelector('blockquote').textContent,
                    conflicts: [...a.querySelectorAll('ul.plain li')].map((li) => li.textContent),
                })),
                affirmed: document.querySelector('#panel dl dd').textContent,
            }));
            return { nodePanel, target, edgePanel };
        };"##,
    );
    let node = &shown["nodePanel"];
    assert_eq!(node["title"], "18 North Korean deserters");
    assert_eq!(node["hash"], "#node=nk-deserters");
    assert!(
        node["lines"].as_array().unwrap().iter().any(|l| l
            .as_str()
            .unwrap()
            .contains("detained by Russian authorities")),
        "{node}"
    );
    assert_eq!(
        shown["target"], "statement/nk-deserters/detained_by/russian-authorities",
        "the middle of the line is the line, not a node over it"
    );
    let edge = &shown["edgePanel"];
    assert_eq!(
        edge["title"],
        "18 North Korean deserters detained by Russian authorities"
    );
    assert_eq!(
        edge["hash"],
        "#edge=statement%2Fnk-deserters%2Fdetained_by%2Frussian-authorities"
    );
    assert!(
        strings(&edge["flags"]).contains("conflicting"),
        "{}",
        edge["flags"]
    );
    let expected = claims_of_the_detention();
    let claims = edge["claims"].as_array().unwrap();
    assert_eq!(claims.len(), expected.len(), "{edge}");
    for (card, (id, reporter, citing, quoted)) in claims.iter().zip(&expected) {
        assert_eq!(card["id"], id.as_str());
        let chain = card["chain"].as_str().unwrap();
        let mut words = vec![reporter.clone()];
        for cited in citing {
            words.push(format!("citing {cited}"));
        }
        assert_eq!(chain, words.join(" "), "{card}");
        assert_eq!(
            card["quoted"],
            quoted.as_str(),
            "the document's words at the offsets"
        );
        let passage = card["passage"].as_str().unwrap();
        assert!(
            passage.contains(quoted.as_str()) && passage.len() > quoted.len() + 40,
            "the quote stands inside its passage: {passage}"
        );
    }
    assert!(
        claims
            .iter()
            .any(|c| !c["conflicts"].as_array().unwrap().is_empty()),
        "the conflicting claims say with what they conflict: {edge}"
    );
}

#[test]
fn search_filters_and_deep_links_find_what_the_data_holds() {
    let (page, view) = curated();
    let shown = browse(
        &page,
        r##"export default async (page, helpers) => {
            const visible = () => page.evaluate(() =>
                [...document.querySelectorAll('#graph .edge')].filter((e) => !e.classList.contains('hidden')).map((e) => e.dataset.id));
            // An alias, typed without its umlaut (Pjöngjang), finds its entity; Enter opens it.
            await page.type('#search', 'Pjongjang');
            await helpers.settle();
            const results = await helpers.texts('#results [role=option]');
            await page.keyboard.press('Enter');
            await helpers.settle();
            const chosen = { title: await helpers.text('#panel-title'), hash: await page.evaluate(() => location.hash) };
            await page.select('#f-document', 'de-nk-deserters');
            await helpers.settle();
            const byDocument = await visible();
            await page.click('#f-reset');
            await page.select('#f-stance', 'denies');
            await helpers.settle();
            const denied = await visible();
            await page.click('#f-reset');
            await page.click('#f-disputed');
            await helpers.settle();
            const disputed = await visible();
            const status = await helpers.text('#shown');
            await page.click('#f-reset');
            await helpers.settle();
            const all = await visible();
            return { results, chosen, byDocument, denied, disputed, status, all };
        };"##,
    );
    let view_edges = view["edges"].as_array().unwrap();
    let claims: std::collections::BTreeMap<&str, &Value> = view["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap(), c))
        .collect();
    let edges_where = |keep: &dyn Fn(&Value) -> bool| -> BTreeSet<String> {
        view_edges
            .iter()
            .filter(|e| keep(e))
            .map(|e| e["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let with_claim = |test: &dyn Fn(&Value) -> bool| {
        edges_where(&|e| {
            e["claims"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| test(claims[c.as_str().unwrap()]))
        })
    };
    assert!(
        shown["results"][0]
            .as_str()
            .unwrap()
            .starts_with("Pyongyang"),
        "{}",
        shown["results"]
    );
    assert_eq!(shown["chosen"]["title"], "Pyongyang");
    assert_eq!(shown["chosen"]["hash"], "#node=pyongyang");
    let by_document = with_claim(&|c| c["source"] == "de-nk-deserters");
    assert!(!by_document.is_empty());
    assert_eq!(strings(&shown["byDocument"]), by_document);
    let denied = with_claim(&|c| c["stance"] == "denies");
    assert!(!denied.is_empty());
    assert_eq!(strings(&shown["denied"]), denied);
    let disputed = edges_where(&|e| e["contested"] == true || e["conflicting"] == true);
    assert!(!disputed.is_empty());
    assert_eq!(strings(&shown["disputed"]), disputed);
    assert!(
        shown["status"].as_str().unwrap().starts_with(&format!(
            "Showing {} lines of {}",
            disputed.len(),
            view_edges.len()
        )),
        "{}",
        shown["status"]
    );
    assert_eq!(strings(&shown["all"]), ids(&view["edges"]));

    for (fragment, title) in [
        ("node=nk-deserters", "18 North Korean deserters"),
        (
            "edge=statement%2Fnk-deserters%2Fdetained_by%2Frussian-authorities",
            "18 North Korean deserters detained by Russian authorities",
        ),
        ("node=no-such-entity", "Not in this view"),
    ] {
        let linked = Browse::new(&page)
            .fragment(fragment)
            .run(r##"export default async (page, helpers) => helpers.text('#panel-title');"##);
        assert_eq!(linked.result, title, "#{fragment}");
    }
}

#[test]
fn the_keyboard_reaches_every_node_and_print_leaves_the_controls_out() {
    let (page, _) = curated();
    let shown = browse(
        &page,
        r##"export default async (page, helpers) => {
            // Tab from the zoom buttons goes into the graph's nodes.
            await page.focus('#zoom-fit');
            await page.keyboard.press('Tab');
            const tabbed = await page.evaluate(() => document.activeElement.closest('.node')?.dataset.id ?? null);
            await page.evaluate(() => document.querySelector('#graph .node[data-id="istories"]').focus());
            await page.keyboard.press('Enter');
            await helpers.settle();
            const opened = await helpers.text('#panel-title');
            const cited = await page.evaluate(() => [...document.querySelectorAll('#panel li .help')]
                .filter((t) => t.textContent.startsWith(' cited by')).length);
            const focused = await page.evaluate(() => document.activeElement.id);
            await page.keyboard.press('Escape');
            await helpers.settle();
            const hash = await page.evaluate(() => location.hash);
            await page.emulateMediaType('print');
            const printed = await page.evaluate(() => ({
                controls: getComputedStyle(document.getElementById('controls')).display,
                zoom: getComputedStyle(document.getElementById('zoom')).display,
                panel: getComputedStyle(document.getElementById('panel')).display,
            }));
            const first = await page.evaluate(() => document.querySelector('#graph .node').dataset.id);
            return { tabbed, first, opened, cited, focused, hash, printed };
        };"##,
    );
    assert_eq!(shown["tabbed"], shown["first"]);
    assert_eq!(shown["opened"], "iStories");
    let (_dir, db) = crate::seed_database();
    let citing: i64 = rusqlite::Connection::open(db)
        .unwrap()
        .query_row(
            "SELECT count(DISTINCT claim_id) FROM claim_citations WHERE entity_id = 'istories'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(citing > 0);
    assert_eq!(
        shown["cited"], citing,
        "the profile lists every claim that cites it"
    );
    assert_eq!(shown["focused"], "panel", "the panel takes the focus");
    assert_eq!(shown["hash"], "");
    assert_eq!(shown["printed"]["controls"], "none");
    assert_eq!(shown["printed"]["zoom"], "none");
    assert_ne!(shown["printed"]["panel"], "none");
}

#[test]
fn markup_and_script_in_the_data_stay_text_and_nothing_runs() {
    let fixture = fixtures().join("explorer/script");
    let (_dir, page) = explorer_of(&fixture.join("data"), &fixture.join("seeds"), &[]);
    let html = fs::read_to_string(&page).unwrap();
    assert_eq!(
        html.matches("<script").count(),
        3,
        "two data blocks and the page's own script, no script from the data"
    );
    // Every failed policy check or error would fail `browse`; `window.ran` would be set by any
    // script or handler from the data.
    let shown = browse(
        &page,
        r##"export default async (page, helpers) => {
            await page.click('#graph .node[data-id="ministry"]');
            await helpers.settle();
            const name = await helpers.text('#panel-title');
            const description = await helpers.text('#panel > p');
            await page.evaluate(() => document.querySelector('#panel li button').click());
            await helpers.settle();
            await page.evaluate(() => document.querySelector('#panel details').open = true);
            await helpers.settle();
            const quote = await helpers.text('#panel blockquote');
            const whole = await helpers.text('#panel .document');
            const note = await helpers.texts('#panel .help');
            await page.type('#search', '</script>');
            await helpers.settle();
            const found = await helpers.texts('#results [role=option]');
            await page.select('#f-document', 'report');
            const option = await page.evaluate(() => document.querySelector('#f-document option[value=report]').textContent);
            return {
                ran: await page.evaluate(() => window.ran ?? null),
                injected: await page.evaluate(() => document.querySelectorAll('img, iframe, #panel svg, #panel script, #panel a[href^=javascript]').length),
                name, description, quote, whole, note, found, option,
            };
        };"##,
    );
    assert_eq!(shown["ran"], Value::Null, "nothing from the data ran");
    assert_eq!(shown["injected"], 0, "no element was made from the data");
    assert_eq!(
        shown["name"],
        "<img src=x onerror=\"window.ran='name'\">Ministry"
    );
    assert_eq!(
        shown["description"],
        "<svg onload=\"window.ran='description'\"></svg>"
    );
    let quote = "</script><script>window.ran='quote'</script> detained <img src=x onerror=\"window.ran='quote'\">";
    assert!(
        shown["quote"].as_str().unwrap().contains(quote),
        "{}",
        shown["quote"]
    );
    assert!(shown["whole"].as_str().unwrap().contains("<!-- a comment."));
    assert!(
        strings(&shown["note"])
            .contains("Curator's note: <a href=\"javascript:window.ran='note'\">note</a>"),
        "{}",
        shown["note"]
    );
    assert!(
        shown["found"][0]
            .as_str()
            .unwrap()
            .starts_with("<img src=x onerror"),
        "the alias finds its entity: {}",
        shown["found"]
    );
    assert_eq!(
        shown["option"],
        "<iframe src=\"javascript:window.ran='title'\"></iframe>Report"
    );
}

#[test]
fn a_view_of_thousands_of_elements_is_drawn_on_a_canvas_that_answers_clicks() {
    let generated = tempfile::tempdir().unwrap();
    crate::scale::generate(5_000, generated.path());
    let (_built, page) = explorer_of(
        &generated.path().join("data"),
        &generated.path().join("seeds"),
        &[],
    );
    let db = page.with_file_name("test.sqlite");
    let view = crate::json(&run(
        &root(),
        &["export", "json", "--db", db.to_str().unwrap()],
    ));
    let first = view["nodes"][0]["id"].as_str().unwrap().to_owned();
    let shown = Browse::new(&page)
        .viewport(1400, 900)
        .fragment(&format!("node={first}"))
        .run(
            r##"export default async (page, helpers) => {
            await helpers.settle();
            return page.evaluate(async () => {
                const frame = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
                const graph = JSON.parse(document.getElementById('graph-data').textContent);
                const extra = JSON.parse(document.getElementById('explorer-data').textContent);
                const canvas = document.getElementById('graph-canvas');
                const rect = canvas.getBoundingClientRect();
                // Where a point of the layout is on the screen: the part in sight (viewBox) fills
                // the canvas as SVG's xMidYMid meet does.
                const mapping = () => {
                    const [bx, by, bw, bh] = canvas.dataset.viewBox.split(' ').map(Number);
                    const scale = Math.min(rect.width / bw, rect.height / bh);
                    const ox = (rect.width - bw * scale) / 2;
                    const oy = (rect.height - bh * scale) / 2;
                    return { scale, at: (x, y) => [ox + (x - bx) * scale, oy + (y - by) * scale] };
                };
                const ratio = canvas.width / rect.width;
                const css = getComputedStyle(document.documentElement);
                const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.trim().slice(i, i + 2), 16));
                // Close to the node opened by the link, every node wholly in sight is drawn in its
                // kind's colour, at the left of its box, beside its label.
                let { scale, at } = mapping();
                const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                let inSight = 0;
                let filled = 0;
                graph.nodes.forEach((n, i) => {
                    const [x, y, w, h] = extra.layout[i];
                    const [left, top] = at(x - w / 2, y - h / 2);
                    const [right, bottom] = at(x + w / 2, y + h / 2);
                    if (left < 0 || top < 0 || right > rect.width || bottom > rect.height) return;
                    inSight += 1;
                    const [px, py] = at(x - w / 2 + 6, y);
                    const offset = (Math.round(py * ratio) * canvas.width + Math.round(px * ratio)) * 4;
                    const want = rgb(css.getPropertyValue(`--${n.kind}-fill`));
                    if (want.every((v, k) => Math.abs(pixels[offset + k] - v) <= 40)) filled += 1;
                });
                const opened = [document.getElementById('panel-title').textContent];
                // From the keyboard, n and p step through the nodes by name.
                canvas.focus();
                const key = (k) => canvas.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
                const byName = graph.nodes.map((n) => [n.label, n.id]).sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
                const here = byName.findIndex(([, id]) => id === graph.nodes[0].id);
                key('n');
                const stepped = [byName[(here + 1) % byName.length][0], document.getElementById('panel-title').textContent];
                key('p');
                key('p');
                const back = [byName[(here - 1 + byName.length) % byName.length][0], document.getElementById('panel-title').textContent];
                // Over the whole view, clicks at the places of some nodes open them.
                document.getElementById('zoom-fit').click();
                await frame();
                ({ at } = mapping());
                const clicked = [];
                for (const i of [0, Math.floor(graph.nodes.length / 2), graph.nodes.length - 1]) {
                    const [x, y] = at(extra.layout[i][0], extra.layout[i][1]);
                    canvas.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: rect.left + x, clientY: rect.top + y }));
                    clicked.push([graph.nodes[i].label, document.getElementById('panel-title').textContent]);
                }
                return {
                    renderer: document.body.dataset.renderer,
                    elements: graph.nodes.length + graph.edges.length,
                    first: graph.nodes[0].label,
                    opened,
                    stepped,
                    back,
                    inSight,
                    filled,
                    clicked,
                };
            });
        };"##,
        );
    let shown = shown.result;
    assert_eq!(shown["renderer"], "canvas");
    assert!(shown["elements"].as_u64().unwrap() > 4_000, "{shown}");
    assert_eq!(
        shown["opened"][0], shown["first"],
        "the link opened its node"
    );
    assert!(shown["inSight"].as_u64().unwrap() >= 3, "{shown}");
    assert_eq!(
        shown["filled"], shown["inSight"],
        "every node in sight is drawn in its kind's colour at its place"
    );
    for pair in shown["clicked"].as_array().unwrap() {
        assert_eq!(pair[0], pair[1], "a click at a node opens that node");
    }
}

#[test]
fn the_explorer_of_one_document_says_so_and_holds_its_claims_only() {
    let (page_dir, page) = explorer_of(
        &root().join("data"),
        &root().join("seeds"),
        &["--view", "provenance", "--source", "de-nk-deserters"],
    );
    let claims: i64 = rusqlite::Connection::open(page_dir.path().join("test.sqlite"))
        .unwrap()
        .query_row(
            "SELECT count(*) FROM claims WHERE source_id = 'de-nk-deserters'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let shown = browse(
        &page,
        r##"export default async (page) => page.evaluate(() => ({
            title: document.title,
            claims: document.querySelectorAll('#graph .node.kind-claim').length,
            documents: [...document.querySelectorAll('#f-document option')].map((o) => o.value).filter(Boolean),
        }));"##,
    );
    assert_eq!(
        shown["title"],
        "claimgraph explorer: provenance view of de-nk-deserters"
    );
    assert_eq!(shown["claims"], claims);
    assert_eq!(shown["documents"], serde_json::json!(["de-nk-deserters"]));
}
