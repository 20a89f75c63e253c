#!/usr/bin/env python3
"""Benchmark of the explorer (`export html`) on generated data, in headless Chromium.

    python3 benches/explorer.py [--sizes 5000,20000,50000] [--work DIR]

For each size it generates a data set with `examples/generate.rs` (once; kept in --work),
builds it without exports, then measures `export html` of the entities view (wall time and peak
resident memory: Graphviz's `sfdp` lays the view out), the size of the page, and, in headless
Chromium with the network cut off (`tests/browser/drive.mjs`, `benches/explorer.mjs`), how
long the page takes to be ready and each interaction until the next frame is painted: typing a
search, opening a node, opening a line, a stance filter, fitting the whole view and one zoom
step (the fastest of three). Headless Chromium paints without a GPU, so a desktop browser is
faster. Needs `bash .ci/run` (Chromium, puppeteer-core). Standard library only.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(command):
    """Runs a command; returns (seconds, peak resident MiB as wait4 reports it, exit code,
    stderr)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err, open(os.devnull, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        err.seek(0)
        stderr = err.read().decode(errors="replace").rstrip()
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), stderr


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,20000,50000")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "claimgraph-bench")
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "claimgraph",
                    "--example", "generate"], cwd=ROOT, check=True)
    binary = ROOT / "target/release/claimgraph"
    generate = ROOT / "target/release/examples/generate"

    print("| claims | nodes | lines | export html | page | renderer | ready | search | open node"
          " | open line | filter | fit | zoom |")
    print("|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        root = args.work / f"claims-{size}"
        if not (root / "data").is_dir():
            subprocess.run([generate, "--claims", str(size), "--out", root], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        db = root / "claimgraph.sqlite"
        subprocess.run([binary, "build", "--no-exports", "--data", root / "data", "--seeds",
                        root / "seeds", "--db", db], check=True, stderr=subprocess.DEVNULL)
        page = root / "explorer.html"
        seconds, mib, code, stderr = measure(
            [binary, "export", "html", "--db", db, "-o", page, "--force"])
        if code != 0:
            print(f"| {size:,} | export html failed: {stderr} |")
            continue
        graph = json.loads(subprocess.run(
            [binary, "export", "json", "--db", db], check=True, capture_output=True).stdout)
        browsed = subprocess.run(
            ["node", ROOT / "tests/browser/drive.mjs", "--timeout", "600", "--viewport",
             "1600x1000", page, ROOT / "benches/explorer.mjs"],
            capture_output=True, text=True)
        if browsed.returncode != 0:
            sys.exit(f"the browser run failed: {browsed.stderr}")
        result = json.loads(browsed.stdout)
        if result["errors"]:
            sys.exit(f"the page had errors: {result['errors']}")
        r = result["result"]
        ms = lambda key: f"{r[key]:,.0f} ms"
        print(f"| {size:,} | {len(graph['nodes']):,} | {len(graph['edges']):,} | {seconds:.1f} s,"
              f" {mib:.0f} MiB | {page.stat().st_size / 2**20:.1f} MiB | {r['renderer']} |"
              f" {ms('ready')} | {ms('search')} | {ms('select')} | {ms('line')} | {ms('filter')} |"
              f" {ms('fit')} | {ms('zoom')} |")


if __name__ == "__main__":
    main()
