#!/usr/bin/env python3
"""Benchmark of claimgraph against the Python peer, at several sizes, on two generators' data.

    python3 benches/run.py [--sizes 10000,100000,1000000] [--generators steering,project]
                           [--peer ../shared/bench/baseline.py | --no-peer] [--repeat 3]
                           [--edits all|none|KIND,KIND] [--compare-dumps] [--work DIR]
                           [--json FILE]

For each generator and size it makes a data set once (kept in --work): `steering` with
`../shared/bench/gen.py`, `project` with `examples/generate.rs`. Then, with the release build:

- `build --full --no-exports` and the peer (`baseline.py ROOT DB OUTDIR`, tomllib + networkx +
  sqlite3, run with the interpreter of the local virtual environment .venv that .ci/run makes),
  alternating, --repeat times each, the median reported with the speed-up;
- `check` and `verify`;
- one edit of each kind the incremental build handles or refuses (a claim changed, added and
  removed in one claims file, an entity renamed, an alias added, a document edited, a
  predicate's `functional` flipped): the edit is made, `check` and `build` run on it (the build
  in place when it can, and whether it did is reported), and the edit is undone and built back;
  with --compare-dumps the in-place result's `sqlite3 .dump` is compared with a full build's;
- every reader: `show`, `neighbors`, `path`, `search`, `corroboration` (all and `--subject`),
  `conflicts`, `mentions` (all and `--unlinked`), `stats`, a `query`, `export json` and a
  focused `export dot`, each with the time its first line of output took.

X, the focus of the readers, is the entity with the most claims. It prints one Markdown table
(wall time, processor time of all threads, peak resident memory, time to the first line of
output, and for builds the speed-up over the peer) after a line about the machine. Standard
library only; processor time and peak memory come from wait4's rusage of each child.
"""

import argparse
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_BENCH = ROOT.parent / "shared" / "bench"
EDITS = ["claim changed", "claim added", "claim removed", "entity renamed", "alias added",
         "document edited", "functional flipped"]


class Run:
    """One measured run of a command."""

    def __init__(self, seconds, cpu, mib, code, stderr, first):
        self.seconds, self.cpu, self.mib, self.code = seconds, cpu, mib, code
        self.stderr, self.first = stderr, first


def measure(command, cwd, first_line=False):
    """Runs a command with its output read as it comes (so that a streaming command is timed
    to its first line), or thrown away."""
    started = time.perf_counter()
    first = None
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen([str(c) for c in command], cwd=cwd, stderr=err,
                                   stdout=subprocess.PIPE if first_line else subprocess.DEVNULL)
        if first_line:
            if process.stdout.readline():
                first = time.perf_counter() - started
            while process.stdout.read(1 << 20):
                pass
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        err.seek(0)
        stderr = err.read().decode(errors="replace").rstrip()
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
               os.waitstatus_to_exitcode(status), stderr, first)


def median_run(runs):
    """The run of median wall time."""
    return sorted(runs, key=lambda r: r.seconds)[len(runs) // 2]


def generate(generator, size, root, binary_dir):
    if (root / "data").is_dir():
        return
    if generator == "steering":
        subprocess.run([sys.executable, SHARED_BENCH / "gen.py", root, "--claims", str(size)],
                       check=True, stdout=subprocess.DEVNULL)
    else:
        subprocess.run([binary_dir / "examples" / "generate", "--claims", str(size), "--out", root],
                       check=True, stdout=subprocess.DEVNULL)


# The edits: each returns the paths it changed, with their old bytes, so it can be undone.

def first_claims_file(root):
    return sorted((root / "data" / "claims").rglob("*.toml"))[0] if (root / "data" / "claims").is_dir() \
        else sorted(p for p in (root / "data").rglob("*.toml") if "[[claim]]" in p.read_text())[0]


def claim_blocks(text):
    """The text before the first claim, and each `[[claim]]` block."""
    parts = text.split("[[claim]]")
    return parts[0], ["[[claim]]" + p for p in parts[1:]]


def common_word(root):
    """The commonest word of five letters or more in the first document: an alias that changes
    the mentions of (nearly) every generated document."""
    words = re.findall(r"[^\W\d_]{5,}", sorted((root / "seeds").glob("*.txt"))[0].read_text())
    return max(sorted(set(words)), key=words.count)


def edit(kind, root):
    """Makes one edit of `kind` to the data set in `root`; returns {path: old bytes}."""
    def change(path, new_text):
        old = path.read_bytes()
        path.write_text(new_text)
        return {path: old}

    if kind.startswith("claim"):
        path = first_claims_file(root)
        head, blocks = claim_blocks(path.read_text())
        first = blocks[0].rstrip("\n")
        if kind == "claim changed":
            blocks[0] = (first.replace("hedged = true", "hedged = false") if "hedged = true" in first
                         else first.replace("\nhedged = false", "") + "\nhedged = true") + "\n\n"
        elif kind == "claim added":
            # The same words denied (or affirmed): another claim, and a conflict.
            blocks.append(first.replace('\nstance = "denies"', "") + "\n\n" if 'stance = "denies"' in first
                          else first + '\nstance = "denies"\n\n')
        else:
            blocks.pop()
        return change(path, head + "".join(blocks))
    if kind in ("entity renamed", "alias added"):
        for path in sorted((root / "data").rglob("*.toml")):
            text = path.read_text()
            head, found, rest = text.partition("[[person]]\n")
            if not found:
                continue
            block, sep, tail = rest.partition("\n\n")
            lines = block.split("\n")
            if kind == "entity renamed":
                lines = [l[:-1] + ' (renamed)"' if l.startswith("name = ") else l for l in lines]
            elif any(l.startswith("aliases = [") for l in lines):
                lines = [l.replace("aliases = [", f'aliases = ["{common_word(root)}", ', 1)
                         for l in lines]
            else:
                lines.append(f'aliases = ["{common_word(root)}"]')
            return change(path, head + found + "\n".join(lines) + sep + tail)
        raise SystemExit(f"no person to edit in {root}")
    if kind == "document edited":
        path = sorted((root / "seeds").glob("*.txt"))[0]
        return change(path, path.read_text() + "\nA paragraph added by the benchmark.\n")
    if kind == "functional flipped":
        for path in sorted((root / "data").rglob("*.toml")):
            text = path.read_text()
            if "[[predicate]]" in text:
                head, _, rest = text.partition("[[predicate]]")
                block, sep, tail = rest.partition("\n\n")
                if "functional = true" in block:
                    block = block.replace("functional = true", "functional = false")
                elif "functional = false" in block:
                    block = block.replace("functional = false", "functional = true")
                else:
                    block += "\nfunctional = true"
                return change(path, head + "[[predicate]]" + block + sep + tail)
        raise SystemExit(f"no predicate to edit in {root}")
    raise ValueError(kind)


def undo(changed):
    for path, old in changed.items():
        path.write_bytes(old)


def dump(db):
    return subprocess.run(["sqlite3", db, ".dump"], capture_output=True, check=True).stdout


def in_place(run):
    """What the build said about how it ran, from its stderr."""
    if "full build:" in run.stderr:
        return "full build (" + run.stderr.split("full build:", 1)[1].split(";")[0].strip() + ")"
    if "is up to date" in run.stderr:
        return "up to date"
    if "in place" in run.stderr:
        return "in place"
    return ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--generators", default="steering,project")
    parser.add_argument("--peer", type=Path, default=SHARED_BENCH / "baseline.py")
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each build and of the peer")
    parser.add_argument("--edits", default="all")
    parser.add_argument("--compare-dumps", action="store_true")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "claimgraph-bench")
    parser.add_argument("--json", type=Path, help="also write every measurement here")
    args = parser.parse_args()
    edits = {"all": EDITS, "none": []}.get(args.edits, args.edits.split(","))
    if unknown := [kind for kind in edits if kind not in EDITS]:
        sys.exit(f"unknown edit {unknown[0]!r}: the edits are {', '.join(EDITS)}")

    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "claimgraph",
                    "--example", "generate"], cwd=ROOT, check=True)
    binary = ROOT / "target" / "release" / "claimgraph"
    python = ROOT / ".venv" / "bin" / "python"
    peer = None if args.no_peer else args.peer.resolve()
    if peer and not python.exists():
        sys.exit("the peer needs networkx in .venv: run `bash .ci/run` first")
    full = ["--full"] if "--full" in subprocess.run([binary, "build", "--help"], capture_output=True,
                                                   text=True).stdout else []

    rows = []

    def record(generator, size, task, run, extra=""):
        rows.append({"data": generator, "claims": size, "task": task, "wall": run.seconds,
                     "cpu": run.cpu, "mib": run.mib, "first": run.first, "code": run.code,
                     "note": extra})
        print(f"  {generator} {size:,} {task}: {run.seconds:.2f} s, {run.mib:.0f} MiB {extra}",
              file=sys.stderr, flush=True)

    for generator in args.generators.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            root = args.work / f"{generator}-{size}"
            generate(generator, size, root, ROOT / "target" / "release")
            db = root / "claimgraph.sqlite"
            build = [binary, "build", "--no-exports", *full, "--db", db]

            builds, peers = [], []
            for _ in range(args.repeat):
                run = measure(build, root)
                if run.code != 0:
                    sys.exit(f"build of {generator} {size} failed:\n{run.stderr[-2000:]}")
                builds.append(run)
                if peer:
                    out = root / "peer-out"
                    shutil.rmtree(out, ignore_errors=True)
                    out.mkdir()
                    peers.append(measure([python, peer, root, root / "peer.sqlite", out], root))
            build_run = median_run(builds)
            if peer:
                peer_run = median_run(peers)
                record(generator, size, "peer (baseline.py)", peer_run,
                       "" if peer_run.code == 0 else f"exit {peer_run.code}")
                record(generator, size, "build --full", build_run,
                       f"{peer_run.seconds / build_run.seconds:.1f}× the peer")
            else:
                record(generator, size, "build --full", build_run)
            record(generator, size, "check", median_run([measure([binary, "check"], root)
                                                         for _ in range(args.repeat)]))
            record(generator, size, "verify", measure([binary, "verify", "--db", db], root))

            with sqlite3.connect(db) as conn:
                focus, = conn.execute("SELECT subject_id FROM claims GROUP BY subject_id "
                                      "ORDER BY count(*) DESC, subject_id LIMIT 1").fetchone()
                name, = conn.execute("SELECT name FROM entities WHERE id = ?", (focus,)).fetchone()
                other, = conn.execute("SELECT object_id FROM claims WHERE subject_id = ? AND "
                                      "object_id IS NOT NULL ORDER BY id LIMIT 1", (focus,)).fetchone()
            readers = {
                "show X": ["show", focus],
                "neighbors X --depth 2": ["neighbors", focus, "--depth", "2"],
                "path X Y": ["path", focus, other],
                "search X's name": ["search", name],
                "corroboration": ["corroboration"],
                "corroboration --subject X": ["corroboration", "--subject", focus],
                "conflicts": ["conflicts"],
                "mentions": ["mentions"],
                "mentions --unlinked": ["mentions", "--unlinked"],
                "stats": ["stats"],
                "query (statements by predicate)": [
                    "query", "SELECT predicate, count(*), sum(circular) FROM corroboration "
                    "GROUP BY predicate"],
                "export json": ["export", "json"],
                "export dot --focus X --depth 2": ["export", "dot", "--focus", focus, "--depth", "2"],
            }
            for label, command in readers.items():
                run = measure([binary, *command, "--db", db], root, first_line=True)
                record(generator, size, label, run, "" if run.code == 0 else f"exit {run.code}")

            for kind in edits:
                changed = edit(kind, root)
                try:
                    record(generator, size, f"check after: {kind}", measure([binary, "check"], root))
                    run = measure([binary, "build", "--no-exports", "--db", db], root)
                    note = in_place(run) if run.code == 0 else f"exit {run.code}"
                    if args.compare_dumps and run.code == 0:
                        fresh = root / "fresh.sqlite"
                        measure([binary, "build", "--no-exports", *full, "--db", fresh], root)
                        note += ", .dump " + ("equal" if dump(db) == dump(fresh) else "DIFFERS")
                        fresh.unlink()
                    record(generator, size, f"build after: {kind}", run, note)
                finally:
                    undo(changed)
                measure([binary, "build", "--no-exports", "--db", db], root)

    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                  if line.startswith("model name")), platform.machine())
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in open("/proc/meminfo")
                   if line.startswith("MemTotal")), 0)
    print(f"{version}; {os.cpu_count()} cores ({model}), {memory} GiB, "
          f"{platform.system()} {platform.release()}; medians of {args.repeat} alternating runs "
          f"for builds, the peer and check, one run otherwise\n")
    print("| data | claims | task | wall | CPU | peak memory | first line | |")
    print("|---|---:|---|---:|---:|---:|---:|---|")
    for r in rows:
        first = f"{r['first']:.2f} s" if r["first"] is not None else ""
        print(f"| {r['data']} | {r['claims']:,} | {r['task']} | {r['wall']:.2f} s | {r['cpu']:.2f} s"
              f" | {r['mib']:,.0f} MiB | {first} | {r['note']} |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
