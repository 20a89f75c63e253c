#!/usr/bin/env python3
"""Benchmark of claimgraph on synthetic data sets, with the Python baseline beside it.

    python3 benches/run.py [--sizes 10000,100000,1000000] [--baseline PATH] [--work DIR]

For each size it generates a data set with `examples/generate.rs` (once; kept in --work),
then measures, with the release build:

- `build` (wall time and peak resident memory),
- `export json` of the whole graph, `export dot --focus X --depth 2`,
- `show X`, `neighbors X --depth 2` and a `query` over the views,
- the other reading commands: `search` for X's name, `corroboration --subject X`, and
  `conflicts`, `mentions --unlinked` and `stats` over the whole database,

where X is the entity with the most claims, and then the checks every build makes of its new
database (`integrity_check` and `foreign_key_check` of each table, and `quick_check`), run by
`examples/checks.rs` on the built file one after the other on one thread, with the build's
SQLite and settings: their processor time is a floor under the build's, which no ordering of
the work can go below. With --baseline it also runs the Python pipeline
(`baseline.py ROOT DB OUTDIR`, tomllib + networkx + sqlite3) on the same files, with the
interpreter of the local virtual environment (.venv, made by .ci/run). It prints two Markdown
tables, then the stages of each build as `build --timings` reports them. Standard library only;
peak memory comes from wait4's rusage of each child.
"""

import argparse
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(command, cwd):
    """Runs a command; returns (seconds, peak MiB, exit code, stderr, processor seconds)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err, open(os.devnull, "wb") as out:
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        err.seek(0)
        stderr = err.read().decode(errors="replace").rstrip()
    code = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024, code, stderr, usage.ru_utime + usage.ru_stime


def table(rows, columns, baseline=False):
    """Prints one Markdown table of `columns` for every size, with the speed-up over the
    baseline when it ran."""
    print("| claims | " + " | ".join(columns) + (" | speed-up |" if baseline else " |"))
    print("|---:|" + "---:|" * (len(columns) + (1 if baseline else 0)))
    for size, results in rows:
        cells = []
        for column in columns:
            value = results.get(column)
            if value is None:
                cells.append("failed")
            elif isinstance(value, float):
                cells.append(f"{value:.1f} s")
            else:
                cells.append(f"{value[0]:.2f} s, {value[1]:.0f} MiB")
        line = f"| {size:,} | " + " | ".join(cells)
        if baseline and results.get("baseline") and results.get("build"):
            line += f" | {results['baseline'][0] / results['build'][0]:.1f}×"
        elif baseline:
            line += " | –"
        print(line + " |")


def cargo(*args):
    subprocess.run(["cargo", *args], cwd=ROOT, check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--baseline", type=Path, help="path of baseline.py (skipped if not given)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "claimgraph-bench")
    args = parser.parse_args()
    if args.baseline:
        # The commands run in each data set's folder.
        args.baseline = args.baseline.resolve()

    cargo("build", "--release", "--quiet", "--bin", "claimgraph", "--example", "generate",
          "--example", "checks")
    binary = ROOT / "target/release/claimgraph"
    generate = ROOT / "target/release/examples/generate"
    checks = ROOT / "target/release/examples/checks"
    python = ROOT / ".venv/bin/python"
    if args.baseline and not python.exists():
        sys.exit("the baseline needs networkx in .venv: run `bash .ci/run` first")

    rows = []
    stages = {}
    for size in (int(s) for s in args.sizes.split(",")):
        root = args.work / f"claims-{size}"
        if not (root / "data").is_dir():
            subprocess.run([generate, "--claims", str(size), "--out", root], check=True)
        db = root / "claimgraph.sqlite"
        results = {}

        seconds, mib, code, stderr, processor = measure(
            [binary, "build", "--no-exports", "--timings", "--db", db], root
        )
        if code != 0:
            sys.exit(f"build of {size} claims failed: {stderr}")
        results["build"] = (seconds, mib)
        results["build CPU"] = processor
        stages[size] = [line for line in stderr.splitlines() if line.startswith("  ")]
        _, _, code, stderr, processor = measure([checks, db], root)
        if code != 0:
            sys.exit(f"the checks of the {size}-claim database failed: {stderr}")
        results["checks CPU"] = processor

        with sqlite3.connect(db) as conn:
            focus = conn.execute(
                "SELECT subject_id FROM claims GROUP BY subject_id ORDER BY count(*) DESC, subject_id LIMIT 1"
            ).fetchone()[0]
            focus_name = conn.execute("SELECT name FROM entities WHERE id = ?", (focus,)).fetchone()[0]
        readers = {
            "export json": [binary, "export", "json", "--db", db, "-o", root / "graph.json"],
            "export dot --focus": [
                binary, "export", "dot", "--focus", focus, "--depth", "2", "--db", db,
                "-o", root / "focus.dot",
            ],
            "show": [binary, "show", focus, "--db", db],
            "neighbors --depth 2": [binary, "neighbors", focus, "--depth", "2", "--db", db],
            "query": [
                binary, "query", "--db", db,
                "SELECT predicate, count(*), sum(circular) FROM corroboration GROUP BY predicate",
            ],
            "search": [binary, "search", focus_name, "--db", db],
            "corroboration --subject": [binary, "corroboration", "--subject", focus, "--db", db],
            "conflicts": [binary, "conflicts", "--format", "csv", "--db", db],
            "mentions --unlinked": [binary, "mentions", "--unlinked", "--db", db],
            "stats": [binary, "stats", "--db", db],
        }
        for label, command in readers.items():
            seconds, mib, code, _, _ = measure(command, root)
            results[label] = (seconds, mib) if code == 0 else None

        if args.baseline:
            out = root / "baseline-out"
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            seconds, mib, code, _, _ = measure(
                [python, args.baseline, root, root / "baseline.sqlite", out], root
            )
            results["baseline"] = (seconds, mib) if code == 0 else None
        rows.append((size, results))

    columns = ["build", "build CPU", "checks CPU", "export json", "export dot --focus", "show",
               "neighbors --depth 2", "query"]
    if args.baseline:
        columns.append("baseline")
    cpu = platform.processor() or platform.machine()
    print(f"claimgraph {subprocess.run([binary, '--version'], capture_output=True, text=True).stdout.strip()}"
          f" on {os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}\n")
    table(rows, columns, args.baseline)
    print(
        "\n`build CPU` is the processor time of the build (user and system, all threads);"
        " `checks CPU` that of the checks every build makes of its new database"
        " (`integrity_check` and `foreign_key_check` of each table, and `quick_check`), run"
        f" alone on its result on one thread. On {os.cpu_count()} cores they alone need at least"
        f" `checks CPU` / {os.cpu_count()} of the build's wall time."
    )
    print("\nThe other reading commands (X as above; `conflicts` and `stats` print everything):\n")
    table(rows, ["search", "corroboration --subject", "conflicts", "mentions --unlinked", "stats"])
    for size, lines in stages.items():
        print(f"\nStages of the build of {size:,} claims (`build --timings`):\n")
        print("\n".join(lines))


if __name__ == "__main__":
    main()
