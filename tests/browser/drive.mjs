// Opens one HTML file in headless Chromium with the network cut off, runs a scenario on it and
// prints what happened as one JSON object, for the browser tests (tests/cli/browser.rs).
//
// Usage: node tests/browser/drive.mjs [OPTIONS] PAGE.html [SCENARIO.mjs]
//   --viewport WIDTHxHEIGHT   the window's size in CSS pixels (default 1280x800)
//   --screenshot FILE.png     after the scenario, a full-page PNG of the page
//   --fragment TEXT           open PAGE.html#TEXT (a deep link)
//   --timeout SECONDS         bound on the whole run, browser start included (default 60)
//   --browser PATH            the Chromium binary (default /usr/bin/chromium, the Debian package)
//
// SCENARIO.mjs exports by default an async function `(page, helpers) => result`; `page` is a
// puppeteer-core Page already loaded, `result` anything JSON can hold. Without a scenario the
// page is only opened (and its screenshot taken), and `result` is null. `helpers` has
// `settle()` (wait until the page has drawn twice), `text(selector)` and `texts(selector)` (the
// textContent of the first or every match), `screenshot(path)` (a full-page PNG mid-scenario),
// and the live lists `errors` and `blocked` (unfiltered). Standard output gets
// `{"result": ..., "errors": [...], "blocked_requests": [...]}`: `errors` are the page's uncaught
// exceptions, its console errors, its failed requests and any dialog (alert, confirm, prompt) it
// opened; `blocked_requests` the URLs it tried to fetch from the network. Exit 0 when the
// scenario ran, 1 when it threw, 2 when the browser or the driver could not run; the reason is
// on standard error.

import { createRequire } from "node:module";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

// Chromium's profile and the files it keeps in the temporary folder live in one folder of the
// run's own, removed at the end however the run ends (a browser killed on a timeout cannot
// clean up after itself).
const scratch = mkdtempSync(join(tmpdir(), "claimgraph-chromium-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));

const usage =
  "usage: node tests/browser/drive.mjs [--viewport WxH] [--screenshot FILE] [--fragment TEXT] " +
  "[--timeout SECONDS] [--browser PATH] PAGE.html [SCENARIO.mjs]";
const install =
  "run `bash .ci/run` once: it installs Chromium (the Debian package chromium) and " +
  "puppeteer-core in .ci/node/";

function fail(message, code = 2) {
  process.stderr.write(`drive.mjs: ${message}\n`);
  process.exit(code);
}

function parseArguments(args) {
  const options = {
    viewport: { width: 1280, height: 800 },
    screenshot: null,
    fragment: null,
    timeout: 60,
    browser: "/usr/bin/chromium",
  };
  const positional = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const value = args[++i];
    if (value === undefined) fail(`${arg} needs a value\n${usage}`);
    if (arg === "--viewport") {
      const match = /^(\d+)x(\d+)$/.exec(value);
      if (!match) fail(`--viewport takes WIDTHxHEIGHT, e.g. 1280x800, not ${value}`);
      options.viewport = { width: Number(match[1]), height: Number(match[2]) };
    } else if (arg === "--screenshot") {
      options.screenshot = resolve(value);
    } else if (arg === "--fragment") {
      options.fragment = value;
    } else if (arg === "--timeout") {
      options.timeout = Number(value);
      if (!(options.timeout > 0)) fail(`--timeout takes a number of seconds, not ${value}`);
    } else if (arg === "--browser") {
      options.browser = value;
    } else {
      fail(`unknown option ${arg}\n${usage}`);
    }
  }
  if (positional.length < 1 || positional.length > 2) fail(usage);
  [options.page, options.scenario = null] = positional.map((p) => resolve(p));
  return options;
}

const options = parseArguments(process.argv.slice(2));

// puppeteer-core lives with the other Node readers in .ci/node, not beside this script.
const nodeFolder = new URL("../../.ci/node/", import.meta.url);
let puppeteer;
try {
  puppeteer = createRequire(new URL("package.json", nodeFolder))("puppeteer-core");
} catch (error) {
  fail(`puppeteer-core is not installed in .ci/node/node_modules (${error.code}); ${install}`);
}
if (!existsSync(options.browser)) fail(`no browser at ${options.browser}; ${install}`);
if (!existsSync(options.page)) fail(`no page at ${options.page}`);

// Everything the page does wrong, in the order it happened.
const errors = [];
const blocked = [];
let browser = null;

// The whole run is bounded: a page that loops or a scenario that waits for what never comes
// ends here instead of hanging the test, and the browser goes with it.
const timer = setTimeout(() => {
  killBrowser();
  fail(
    `gave up after ${options.timeout} s (page ${options.page}, scenario ${options.scenario}); ` +
      `errors so far: ${JSON.stringify(errors)}`,
  );
}, options.timeout * 1000);
timer.unref();

// Chromium is a family of processes; puppeteer starts it as the leader of its own process group,
// which is killed whole.
function killBrowser() {
  const pid = browser?.process()?.pid;
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    browser.process().kill("SIGKILL");
  }
}

// Pages are local files; anything else would be the network, which an explorer opened from a
// disk with no connection does not have.
const local = /^(file|data|about|blob):/;

function launch(sandbox) {
  return puppeteer.launch({
    executablePath: options.browser,
    headless: true,
    args: [
      ...(sandbox ? [] : ["--no-sandbox"]),
      // No update checks, sync or other calls home from the browser itself.
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
    defaultViewport: { ...options.viewport, deviceScaleFactor: 1 },
    timeout: options.timeout * 1000,
    userDataDir: join(scratch, "profile"),
    env: { ...process.env, TMPDIR: scratch },
  });
}

// Chromium refuses to start as root with its sandbox on (CI containers run tests as root), and
// cannot sandbox where user namespaces are off (some containers): the sandbox is turned off
// there and only there, with a note. The pages are the project's own exports and the fixtures
// of the tests, opened with the network cut off.
try {
  const root = process.getuid?.() === 0;
  try {
    browser = await launch(!root);
  } catch (error) {
    if (root || !/sandbox/i.test(error.message)) throw error;
    process.stderr.write("drive.mjs: Chromium has no usable sandbox here; running it without\n");
    browser = await launch(false);
  }
} catch (error) {
  fail(`Chromium (${options.browser}) could not start: ${error.message}\n${install}`);
}

// What the scenario threw, told apart from the browser failing.
class ScenarioError extends Error {
  constructor(cause) {
    super(String(cause?.stack ?? cause));
  }
}

async function run() {
  const page = await browser.newPage();
  page.setDefaultTimeout(options.timeout * 1000);
  page.on("pageerror", (error) => errors.push({ kind: "pageerror", text: String(error) }));
  page.on("console", (message) => {
    if (message.type() === "error") {
      errors.push({ kind: "console", text: message.text(), url: message.location().url ?? null });
    }
  });
  page.on("requestfailed", (request) => {
    errors.push({
      kind: "requestfailed",
      text: request.failure()?.errorText ?? "failed",
      url: request.url(),
    });
  });
  // A dialog would stop the page until someone answers it; it is dismissed and reported (a
  // hostile string that reaches alert() shows here).
  page.on("dialog", async (dialog) => {
    errors.push({ kind: "dialog", text: `${dialog.type()}: ${dialog.message()}` });
    await dialog.dismiss();
  });
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    if (local.test(request.url())) {
      request.continue();
    } else {
      blocked.push(request.url());
      request.abort("blockedbyclient");
    }
  });
  await page.setOfflineMode(true);

  const url = pathToFileURL(options.page);
  if (options.fragment !== null) url.hash = options.fragment;
  await page.goto(url.href, { waitUntil: "load" });

  const scenario =
    options.scenario === null
      ? async () => null
      : (await import(pathToFileURL(options.scenario).href)).default;
  if (typeof scenario !== "function") {
    throw new Error(`${options.scenario} exports no default function (page, helpers) => result`);
  }
  const helpers = {
    errors,
    blocked,
    // Waits until the page has drawn twice, so that what a click or a key changed is on screen.
    settle: () =>
      page.evaluate(
        () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
      ),
    text: (selector) => page.$eval(selector, (element) => element.textContent),
    texts: (selector) =>
      page.$$eval(selector, (elements) => elements.map((element) => element.textContent)),
    screenshot: (path) => page.screenshot({ path: resolve(path), fullPage: true }),
  };
  let result;
  try {
    result = await scenario(page, helpers);
  } catch (error) {
    throw new ScenarioError(error);
  }
  if (options.screenshot !== null) await helpers.screenshot(options.screenshot);
  return result;
}

let result;
let failure = null;
try {
  result = await run();
} catch (error) {
  failure = error;
} finally {
  await browser.close().catch(killBrowser);
}
if (failure !== null) {
  const what = failure instanceof ScenarioError ? "the scenario threw" : "the browser failed";
  fail(
    `${what}: ${failure instanceof ScenarioError ? failure.message : failure.stack}\n` +
      `page errors: ${JSON.stringify(errors)}\nblocked requests: ${JSON.stringify(blocked)}`,
    failure instanceof ScenarioError ? 1 : 2,
  );
}

// A blocked request is reported once, in blocked_requests, not again as the failed load and the
// console message that follow from blocking it.
const reported = errors.filter(
  (error) =>
    !(error.url && blocked.includes(error.url) && /ERR_BLOCKED_BY_CLIENT|Failed to load/.test(
      error.text,
    )),
);
process.stdout.write(
  `${JSON.stringify({ result: result ?? null, errors: reported, blocked_requests: blocked })}\n`,
);
clearTimeout(timer);
