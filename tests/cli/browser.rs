//! Pages opened in a real browser: `browse` runs a scenario on an HTML file in headless Chromium
//! with the network cut off (`tests/browser/drive.mjs`, puppeteer-core) and fails the test on
//! any page error, console error, failed request or attempt to reach the network. The tests here
//! prove the driver on small pages of their own, so that the explorer's tests can trust it.
//!
//! Chromium (the Debian package) and puppeteer-core (in `.ci/node/`) are installed by
//! `bash .ci/run`; a test that cannot find them fails and says so.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::root;

const INSTALL: &str = "run `bash .ci/run` once: it installs Chromium (the Debian package \
                       chromium) and puppeteer-core in .ci/node/";

/// What a page did while a scenario ran on it.
#[derive(Debug)]
pub struct Browsed {
    /// What the scenario returned.
    pub result: Value,
    /// The page's uncaught exceptions, console errors, failed requests and dialogs, each
    /// `{"kind", "text", "url"?}`.
    pub errors: Vec<Value>,
    /// The URLs the page tried to fetch from the network; each was refused.
    pub blocked_requests: Vec<String>,
}

/// One page to open, with the options of the run; `run` opens it.
#[derive(Debug)]
pub struct Browse<'a> {
    page: &'a Path,
    viewport: Option<(u32, u32)>,
    screenshot: Option<&'a Path>,
    fragment: Option<&'a str>,
    errors_allowed: bool,
    blocked_requests_allowed: bool,
}

impl<'a> Browse<'a> {
    pub fn new(page: &'a Path) -> Browse<'a> {
        Browse {
            page,
            viewport: None,
            screenshot: None,
            fragment: None,
            errors_allowed: false,
            blocked_requests_allowed: false,
        }
    }

    /// The window's size in CSS pixels (1280 × 800 unless told).
    pub fn viewport(mut self, width: u32, height: u32) -> Browse<'a> {
        self.viewport = Some((width, height));
        self
    }

    /// A full-page PNG of the page once the scenario has run.
    pub fn screenshot(mut self, png: &'a Path) -> Browse<'a> {
        self.screenshot = Some(png);
        self
    }

    /// Opens `page#fragment`, as a deep link does.
    pub fn fragment(mut self, fragment: &'a str) -> Browse<'a> {
        self.fragment = Some(fragment);
        self
    }

    /// Page errors are returned to the caller instead of failing the test.
    pub fn allow_errors(mut self) -> Browse<'a> {
        self.errors_allowed = true;
        self
    }

    /// Attempts to reach the network are returned to the caller instead of failing the test.
    pub fn allow_blocked_requests(mut self) -> Browse<'a> {
        self.blocked_requests_allowed = true;
        self
    }

    /// Runs `scenario`, the source of an ES module whose default export is an async function
    /// `(page, helpers) => result` (see `tests/browser/drive.mjs` for the helpers).
    pub fn run(self, scenario: &str) -> Browsed {
        let mut args: Vec<String> = Vec::new();
        if let Some((width, height)) = self.viewport {
            args.extend(["--viewport".into(), format!("{width}x{height}")]);
        }
        if let Some(png) = self.screenshot {
            args.extend(["--screenshot".into(), path_arg(png)]);
        }
        if let Some(fragment) = self.fragment {
            args.extend(["--fragment".into(), fragment.into()]);
        }
        let output = drive(&args, self.page, scenario);
        assert!(
            output.status.success(),
            "the browser run failed on {}:\n{}",
            self.page.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        let mut printed: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!("{e}: {}", String::from_utf8_lossy(&output.stdout));
        });
        let browsed = Browsed {
            result: printed["result"].take(),
            errors: serde_json::from_value(printed["errors"].take()).unwrap(),
            blocked_requests: serde_json::from_value(printed["blocked_requests"].take()).unwrap(),
        };
        assert!(
            self.errors_allowed || browsed.errors.is_empty(),
            "{} had errors: {:#?}",
            self.page.display(),
            browsed.errors
        );
        assert!(
            self.blocked_requests_allowed || browsed.blocked_requests.is_empty(),
            "{} reached for the network (blocked): {:?}",
            self.page.display(),
            browsed.blocked_requests
        );
        browsed
    }
}

/// Runs `scenario` on `page` (1280 × 800, no fragment) and returns what it returned; the test
/// fails if the page has any error or reaches for the network.
pub fn browse(page: &Path, scenario: &str) -> Value {
    Browse::new(page).run(scenario).result
}

/// Runs the driver as it is, with `args` before the page and the scenario.
fn drive(args: &[String], page: &Path, scenario: &str) -> Output {
    installed();
    let dir = tempfile::tempdir().unwrap();
    // `.mjs`: Node loads the scenario as an ES module whatever package.json is near it.
    let module = dir.path().join("scenario.mjs");
    std::fs::write(&module, scenario).unwrap();
    Command::new("node")
        .arg(driver())
        .args(args)
        .arg(page)
        .arg(&module)
        .output()
        .unwrap_or_else(|e| panic!("node does not run ({e}); {INSTALL}"))
}

fn driver() -> PathBuf {
    root().join("tests/browser/drive.mjs")
}

/// Chromium and puppeteer-core are there; a test without them fails and says how to install
/// them.
fn installed() {
    assert!(
        Path::new("/usr/bin/chromium").is_file(),
        "Chromium is not installed at /usr/bin/chromium; {INSTALL}"
    );
    assert!(
        root()
            .join(".ci/node/node_modules/puppeteer-core/package.json")
            .is_file(),
        "puppeteer-core is not installed in .ci/node/node_modules; {INSTALL}"
    );
}

fn path_arg(path: &Path) -> String {
    path.to_str().expect("test paths are UTF-8").to_string()
}

/// A scratch folder holding `page.html` with `html` in it.
fn page(html: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    std::fs::write(&page, html).unwrap();
    (dir, page)
}

/// What the page's own script draws, a scenario reads back from the DOM.
#[test]
fn a_scenario_reads_what_the_page_drew() {
    let (_dir, page) = page(
        r##"<!doctype html><meta charset="utf-8"><title>drawn</title>
<svg id="graph" width="300" height="100"></svg>
<script>
  const svg = document.getElementById("graph");
  for (const [i, name] of ["Pyongyang", "Kyiv", "Москва"].entries()) {
    const circle = document.createElementNS("http://www.w3.org/2000/svg", "circle");
    circle.setAttribute("cx", 50 + 100 * i);
    circle.setAttribute("cy", 50);
    circle.setAttribute("r", 20);
    circle.dataset.name = name;
    svg.append(circle);
  }
</script>"##,
    );
    let result = browse(
        &page,
        r##"export default async (page, helpers) => ({
  title: await page.title(),
  names: await page.$$eval("#graph circle", (cs) => cs.map((c) => c.dataset.name)),
});"##,
    );
    assert_eq!(
        result,
        serde_json::json!({"title": "drawn", "names": ["Pyongyang", "Kyiv", "Москва"]})
    );
}

/// A page that loads a script from a CDN gets nothing: the request is refused, reported, and
/// the script does not run.
#[test]
fn a_request_to_the_network_is_blocked_and_reported() {
    let (_dir, page) = page(
        r##"<!doctype html><title>cdn</title>
<script src="https://example.com/x.js" onload="window.loaded = true"></script>
<p>still here</p>"##,
    );
    let browsed = Browse::new(&page)
        .allow_blocked_requests()
        .run("export default async (page) => page.evaluate(() => window.loaded === true);");
    assert_eq!(browsed.blocked_requests, ["https://example.com/x.js"]);
    assert_eq!(browsed.result, false, "the script from the network ran");
    // The refused load is reported once, as a blocked request, not again as an error.
    assert_eq!(browsed.errors, Vec::<Value>::new());
}

/// Whatever the page asks of the network, a stylesheet, an image, a frame, a `fetch` or a beacon,
/// is refused and reported; a WebSocket, which request interception does not see, fails because
/// the browser is offline, and its error is reported.
#[test]
fn every_kind_of_request_to_the_network_is_refused() {
    let (_dir, page) = page(
        r##"<!doctype html><title>everything</title>
<link rel="stylesheet" href="https://fonts.example.com/font.css">
<img src="https://example.com/logo.png" alt="">
<iframe src="https://example.com/frame"></iframe>
<script>
  navigator.sendBeacon("https://example.com/beacon", "seen");
  fetch("https://example.com/data.json").catch(() => { window.fetched = "refused"; });
  const socket = new WebSocket("wss://example.com/socket");
  socket.onopen = () => { window.connected = true; };
</script>"##,
    );
    // The fetch and the socket fail after the page has loaded: the scenario waits for both.
    let browsed = Browse::new(&page)
        .allow_errors()
        .allow_blocked_requests()
        .run(
            r##"export default async (page, helpers) => {
  await page.waitForFunction(() => window.fetched === "refused");
  while (!helpers.errors.some((error) => error.text.includes("WebSocket"))) {
    await new Promise((done) => setTimeout(done, 20));
  }
  return page.evaluate(() => window.connected === true);
};"##,
        );
    assert_eq!(browsed.result, false, "the WebSocket connected");
    let mut blocked = browsed.blocked_requests.clone();
    blocked.sort();
    assert_eq!(
        blocked,
        [
            "https://example.com/beacon",
            "https://example.com/data.json",
            "https://example.com/frame",
            "https://example.com/logo.png",
            "https://fonts.example.com/font.css",
        ]
    );
    let texts: Vec<&str> = browsed
        .errors
        .iter()
        .map(|error| error["text"].as_str().unwrap())
        .collect();
    // The one error is the socket's, failed for want of a network (Chromium's wording around
    // the URL and the reason may change).
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(
        texts[0].contains("wss://example.com/socket")
            && texts[0].contains("ERR_INTERNET_DISCONNECTED"),
        "{texts:?}"
    );
}

/// `browse` fails the test of a page that reaches for the network, naming the URL.
#[test]
#[should_panic(expected = "reached for the network (blocked): [\"https://example.com/x.js\"]")]
fn browse_fails_a_page_that_reaches_for_the_network() {
    let (_dir, page) = page(r##"<!doctype html><script src="https://example.com/x.js"></script>"##);
    browse(&page, "export default async () => null;");
}

/// An uncaught exception in the page is reported with its message.
#[test]
fn a_page_error_is_reported() {
    let (_dir, page) = page(
        r##"<!doctype html><title>throws</title>
<script>throw new Error("thrown on purpose");</script>"##,
    );
    let browsed = Browse::new(&page)
        .allow_errors()
        .run("export default async (page) => page.title();");
    assert_eq!(browsed.result, "throws");
    assert_eq!(
        browsed.errors,
        [serde_json::json!({"kind": "pageerror", "text": "Error: thrown on purpose"})]
    );
}

/// `browse` fails the test of a page that throws, with the page's message.
#[test]
#[should_panic(expected = "thrown on purpose")]
fn browse_fails_a_page_that_throws() {
    let (_dir, page) =
        page(r##"<!doctype html><script>throw new Error("thrown on purpose");</script>"##);
    browse(&page, "export default async () => null;");
}

/// A scenario clicks as a user would and reads what the click changed.
#[test]
fn a_scenario_clicks_a_button_and_reads_the_dom() {
    let (_dir, page) = page(
        r##"<!doctype html><title>click</title>
<button id="more">Show the claims</button>
<ul id="claims"></ul>
<script>
  document.getElementById("more").addEventListener("click", () => {
    for (const text of ["reported by Yonhap", "citing a defector"]) {
      const item = document.createElement("li");
      item.textContent = text;
      document.getElementById("claims").append(item);
    }
  });
</script>"##,
    );
    let result = browse(
        &page,
        r##"export default async (page, helpers) => {
  const before = await helpers.texts("#claims li");
  await page.click("#more");
  await helpers.settle();
  return { before, after: await helpers.texts("#claims li") };
};"##,
    );
    assert_eq!(
        result,
        serde_json::json!({"before": [], "after": ["reported by Yonhap", "citing a defector"]})
    );
}

/// The screenshot is a PNG, as Pillow reads it, of the size of the viewport asked for.
#[test]
fn the_screenshot_is_a_png_of_the_requested_viewport() {
    let (dir, page) = page(
        r##"<!doctype html><style>body { margin: 0; background: #1f77b4; }</style><p>blue</p>"##,
    );
    let png = dir.path().join("shot.png");
    Browse::new(&page)
        .viewport(640, 480)
        .screenshot(&png)
        .run("export default async () => null;");
    let python = root().join(".venv/bin/python");
    assert!(python.is_file(), "no .venv/bin/python; {INSTALL}");
    let read = crate::export::python_script(
        &python,
        "import json, sys\nfrom PIL import Image\nimage = Image.open(sys.argv[1])\n\
         print(json.dumps({'format': image.format, 'size': image.size, \
         'corner': image.convert('RGB').getpixel((0, 0))}))",
        &[&png],
    );
    assert_eq!(
        read,
        serde_json::json!({"format": "PNG", "size": [640, 480], "corner": [31, 119, 180]})
    );
}

/// Without a scenario the driver only opens the page: a screenshot by hand is one command.
#[test]
fn the_driver_opens_a_page_without_a_scenario() {
    let (dir, page) = page("<!doctype html><title>t</title><p>a page to look at</p>");
    let png = dir.path().join("shot.png");
    let output = Command::new("node")
        .arg(driver())
        .args(["--viewport", "400x300", "--screenshot"])
        .arg(&png)
        .arg(&page)
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        printed,
        serde_json::json!({"result": null, "errors": [], "blocked_requests": []})
    );
    assert!(
        std::fs::read(&png)
            .unwrap()
            .starts_with(b"\x89PNG\r\n\x1a\n")
    );
}

/// Markup from the data put in with `textContent` stays text: the `<img onerror>` of a hostile
/// quote runs nothing. The same string put in as markup does run, which shows that the window
/// flag the scenario reads would catch it.
#[test]
fn markup_inserted_as_text_runs_no_script() {
    // In the page's script `<\/script>` is `</script>`, written so that it does not end the
    // script itself.
    let (_dir, page) = page(
        r##"<!doctype html><title>hostile</title>
<blockquote id="quote"></blockquote>
<script>
  const quote = '"<img src=x onerror="window.ran = true"><\/script><script>window.ran = true<\/script>';
  const element = document.getElementById("quote");
  if (location.hash === "#as-markup") element.innerHTML = quote;
  else element.textContent = quote;
</script>"##,
    );
    // The page's load waits for its images, so an onerror has run by the time the scenario does.
    let scenario = r##"export default async (page, helpers) => ({
  ran: await page.evaluate(() => window.ran === true),
  images: await page.$$eval("#quote img", (images) => images.length),
  text: await helpers.text("#quote"),
});"##;
    let as_text = browse(&page, scenario);
    assert_eq!(
        as_text,
        serde_json::json!({
            "ran": false,
            "images": 0,
            "text": r##""<img src=x onerror="window.ran = true"></script><script>window.ran = true</script>"##,
        })
    );
    // The image's missing file is a failed request; that is the point of the control.
    let as_markup = Browse::new(&page)
        .fragment("as-markup")
        .allow_errors()
        .run(scenario);
    assert_eq!(as_markup.result["ran"], true, "{:?}", as_markup.result);
    assert_eq!(as_markup.result["images"], 1);
}

/// The driver stops with exit 2 and says how to install the browser when it cannot start one.
#[test]
fn the_driver_says_how_to_install_a_missing_browser() {
    let (_dir, page) = page("<!doctype html><title>t</title>");
    let output = drive(
        &["--browser".into(), "/nonexistent/chromium".into()],
        &page,
        "export default async () => null;",
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("/nonexistent/chromium") && stderr.contains("bash .ci/run"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

/// The driver stops with exit 2 and says how to install puppeteer-core when `.ci/node` has
/// none: a copy of the driver whose `.ci/node` is empty.
#[test]
fn the_driver_says_how_to_install_a_missing_puppeteer() {
    let elsewhere = tempfile::tempdir().unwrap();
    let copy = elsewhere.path().join("tests/browser/drive.mjs");
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    std::fs::copy(driver(), &copy).unwrap();
    let (_dir, page) = page("<!doctype html><title>t</title>");
    let scenario = elsewhere.path().join("scenario.mjs");
    std::fs::write(&scenario, "export default async () => null;").unwrap();
    let output = Command::new("node")
        .arg(&copy)
        .arg(&page)
        .arg(&scenario)
        .output()
        .expect("node runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("puppeteer-core is not installed") && stderr.contains("bash .ci/run"),
        "{stderr}"
    );
}

/// A scenario that throws fails the run with exit 1 and its message, not a JSON result.
#[test]
fn a_scenario_that_throws_fails_the_run() {
    let (_dir, page) = page("<!doctype html><title>t</title>");
    let output = drive(
        &[],
        &page,
        r##"export default async () => { throw new Error("no such node"); };"##,
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the scenario threw: Error: no such node"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

/// A scenario that never ends is stopped by the driver's bound on the whole run (exit 2), so a
/// test fails instead of hanging.
#[test]
fn a_scenario_that_never_ends_is_stopped() {
    let (_dir, page) = page("<!doctype html><title>t</title>");
    let output = drive(
        &["--timeout".into(), "3".into()],
        &page,
        "export default () => new Promise(() => {});",
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("gave up after 3 s"), "{stderr}");
}
