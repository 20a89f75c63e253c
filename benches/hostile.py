#!/usr/bin/env python3
"""Hostile inputs and hostile commands: each must finish in seconds, with bounded memory.

    python3 benches/hostile.py [--binary target/release/claimgraph] [--work DIR]
                               [--timeout SECONDS] [--only NAME,NAME]

Two tables, in Markdown:

- **Checking hostile data.** Writes each case's `data/` and `seeds/` into the work folder
  (default: a folder under the system's temporary directory, kept so that a case can be rerun
  by hand) and runs `claimgraph check` on it.
- **Hostile commands.** Readers given statements or databases that never end or that need
  gigabytes (`query`, `conflicts` on a database whose views recurse forever), builds of
  generated data whose whole-graph drawings would keep Graphviz busy for minutes, and a build
  interrupted by SIGTERM while Graphviz draws (after it: is a `dot` still running, is any
  file left beside the database or in the exports folder?).

Each row gives the exit code, the wall time, the peak resident memory (wait4's rusage of the
child, the figure `/usr/bin/time -v` prints as "Maximum resident set size") and how much the
command printed on stderr. Commands are started by a process forked when this script starts:
the kernel counts the size of the process that starts a command into the command's peak, so
the figures include that small process's (about 10 MiB), never the inputs this script holds. A case that runs longer than --timeout is killed and shown as such.

The builds need the data generator: `cargo build --release --examples`. Add a case by writing
a function and listing it in CASES or COMMANDS. Standard library only.
"""

import argparse
import multiprocessing
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Words for documents and quotes; drawn with a fixed seed so every run writes the same inputs.
WORDS = (
    "the soldiers unit report army border village officials said according to sources "
    "deserters were detained near Kursk region ministry statement intelligence claimed "
    "several hundred thousand recruits training camp documents spokesperson denied "
    "reportedly could not be verified independently journalists interviewed commander "
    "Behörden haben bereits nordkoreanische Soldaten festgenommen Oekraïne leger"
).split()


def prose(rng, words):
    """`words` words of sentence-like text, one sentence a line."""
    out, line = [], []
    for _ in range(words):
        line.append(rng.choice(WORDS))
        if len(line) >= 12 and rng.random() < 0.2:
            out.append(" ".join(line) + ".")
            line = []
    out.append(" ".join(line) + ".")
    return "\n".join(out) + "\n"


def toml_string(text):
    """A TOML basic string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


VOCABULARY = """[[country]]
id = "ruritania"
name = "Ruritania"

[[source]]
id = "doc"
file = "doc.txt"
title = "A long document"

[[predicate]]
id = "said"
label = "said"
subject = ["country"]
object = "text"
"""


def claim(quote):
    return (
        '\n[[claim]]\nsource = "doc"\nsubject = "ruritania"\npredicate = "said"\n'
        f'value = "something"\nquote = {toml_string(quote)}\n'
    )


def altered(rng, passage):
    """The passage with every seventh word replaced, so that it is near the document's text
    but not in it."""
    words = passage.split()
    for i in range(3, len(words), 7):
        words[i] = "xq" + words[i]
    return " ".join(words)


def unfound_quote(size):
    """One claim whose quote of `size` bytes is a passage of the document, altered."""

    def write(case, rng):
        document = prose(rng, max(40_000, size // 2))
        (case / "seeds" / "doc.txt").write_text(document)
        start = len(document) // 4
        quote = altered(rng, document[start : start + size])
        (case / "data" / "all.toml").write_text(VOCABULARY + claim(quote))

    return write


def many_unfound_quotes(count, document_words):
    """`count` claims whose short quotes are not in one large document."""

    def write(case, rng):
        document = prose(rng, document_words)
        (case / "seeds" / "doc.txt").write_text(document)
        claims = []
        for _ in range(count):
            at = rng.randrange(len(document) - 200)
            claims.append(claim(altered(rng, document[at : at + 120])))
        (case / "data" / "all.toml").write_text(VOCABULARY + "".join(claims))

    return write


def unknown_fields(count, files):
    """`count` people with a misspelt field each, spread over `files` files."""

    def write(case, rng):
        per_file = count // files
        for f in range(files):
            records = [
                f'[[person]]\nid = "p-{f}-{i}"\nname = "Person {i}"\nnmae = "typo"\n'
                for i in range(per_file)
            ]
            (case / "data" / f"people-{f:02}.toml").write_text("\n".join(records))

    return write


def empty_aliases_on_one_line(count):
    """One person whose `aliases` array, on one line, holds `count` empty strings."""

    def write(case, rng):
        aliases = ", ".join('""' for _ in range(count))
        (case / "data" / "people.toml").write_text(
            f'[[person]]\nid = "many"\nname = "Many"\naliases = [{aliases}]\n'
        )

    return write


def duplicate_ids(count):
    """`count` records that all reuse the id of the first, far above them in one file."""

    def write(case, rng):
        records = [f'[[person]]\nid = "same"\nname = "Person {i}"\n' for i in range(count)]
        (case / "data" / "people.toml").write_text("\n".join(records))

    return write


def dangling_references(count):
    """`count` people, each naming a country that does not exist (a misspelt id each)."""

    def write(case, rng):
        records = [
            f'[[person]]\nid = "person-{i}"\nname = "Person {i}"\nnationality = "contry-{i}"\n'
            for i in range(count)
        ]
        countries = [
            f'[[country]]\nid = "country-{i}"\nname = "Country {i}"\n' for i in range(count)
        ]
        (case / "data" / "people.toml").write_text("\n".join(records))
        (case / "data" / "countries.toml").write_text("\n".join(countries))

    return write


def aliases(count):
    """One entity with `count` distinct aliases, one a line."""

    def write(case, rng):
        lines = ",\n".join(f'  "alias number {i}"' for i in range(count))
        (case / "data" / "people.toml").write_text(
            f'[[person]]\nid = "many"\nname = "Many"\naliases = [\n{lines}\n]\n'
        )

    return write


def dangling_subjects(count, ids):
    """`count` claims whose subjects are misspelt ids, each misspelt its own way, among `ids`
    entities: as many as hints compare every id with the misspelt value."""

    def write(case, rng):
        (case / "seeds" / "doc.txt").write_text("said something\n")
        countries = "".join(
            f'\n[[country]]\nid = "country-{i}"\nname = "Country {i}"\n' for i in range(ids - 2)
        )
        claims = "".join(
            claim("said something").replace('"ruritania"', f'"contry-{i}"') for i in range(count)
        )
        (case / "data" / "all.toml").write_text(VOCABULARY + countries + claims)

    return write


def prefix_quotes(count):
    """`count` claims on one document whose quotes are "said 0", "said 1", "said 10", …: each
    quote a prefix of others, and each found in the document."""

    def write(case, rng):
        (case / "seeds" / "doc.txt").write_text(
            " ".join(f"said {i}" for i in range(count)) + "\n"
        )
        (case / "data" / "all.toml").write_text(
            VOCABULARY + "".join(claim(f"said {i}") for i in range(count))
        )

    return write


# (name, what it is, how to write it, extra arguments to `check`)
CASES = [
    ("quote-10k", "one unfound quote of 10 KB", unfound_quote(10_000), []),
    ("quote-30k", "one unfound quote of 30 KB", unfound_quote(30_000), []),
    ("quote-100k", "one unfound quote of 100 KB", unfound_quote(100_000), []),
    (
        "quotes-2k-in-1mb",
        "2,000 unfound quotes in one 1 MB document",
        many_unfound_quotes(2_000, 150_000),
        [],
    ),
    ("errors-10k", "10,000 errors in one file", unknown_fields(10_000, 1), []),
    ("errors-50k", "50,000 errors in one file", unknown_fields(50_000, 1), []),
    (
        "errors-50k-all",
        "50,000 errors in one file, all printed",
        unknown_fields(50_000, 1),
        ["--max-errors", "0"],
    ),
    (
        "errors-10k-ten-files",
        "10,000 errors over ten files",
        unknown_fields(10_000, 10),
        [],
    ),
    (
        "errors-20k-one-line-all",
        "20,000 errors on one line, all printed",
        empty_aliases_on_one_line(20_000),
        ["--max-errors", "0"],
    ),
    (
        "duplicates-20k-all",
        "20,000 duplicate ids in one file, all printed",
        duplicate_ids(20_000),
        ["--max-errors", "0"],
    ),
    (
        "dangling-10k",
        "10,000 misspelt references among 20,000 ids",
        dangling_references(10_000),
        [],
    ),
    (
        "dangling-10k-all",
        "10,000 misspelt references among 20,000 ids, all printed",
        dangling_references(10_000),
        ["--max-errors", "0"],
    ),
    (
        "dangling-10k-among-500",
        "10,000 misspelt subjects among 500 ids (each compared with every id)",
        dangling_subjects(10_000, 500),
        [],
    ),
    ("aliases-100k", "one entity with 100,000 aliases", aliases(100_000), []),
    (
        "quotes-prefix-100k",
        "100,000 quotes in one document, each a prefix of others",
        prefix_quotes(100_000),
        [],
    ),
]


def measure(command, cwd, timeout, env=None, signal_after=None):
    """Runs a command; returns (seconds, peak MiB, exit code or None when killed, bytes of
    stderr, the first line of stderr). With `signal_after` = (seconds, signal), sends that
    signal once, that many seconds after the start."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err, open(os.devnull, "wb") as out:
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, env=env)
        killed = threading.Event()

        def kill():
            killed.set()
            process.send_signal(signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        if signal_after is not None:
            delay, signum = signal_after
            threading.Timer(delay, lambda: process.send_signal(signum)).start()
        _, status, usage = os.wait4(process.pid, 0)
        timer.cancel()
        seconds = time.perf_counter() - started
        printed = err.seek(0, os.SEEK_END)
        err.seek(0)
        head = err.read(2000).decode("utf-8", "replace").strip().splitlines()
    code = None if killed.is_set() else os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024, code, printed, head[0] if head else ""


# --- hostile commands -----------------------------------------------------------------------


def seed_database(binary, case):
    """Builds the repository's curated data into `case/seed.sqlite`; returns its path."""
    db = case / "seed.sqlite"
    subprocess.run(
        [binary, "build", "--data", ROOT / "data", "--seeds", ROOT / "seeds", "--db", db,
         "--no-exports"],
        check=True,
        capture_output=True,
    )
    return db


def query(*statement_and_options):
    """`query` on the seed database."""

    def prepare(binary, case):
        db = seed_database(binary, case)
        return {"command": [binary, "query", "--db", db, *statement_and_options]}

    return prepare


def endless_views(reader, *options):
    """`reader` on a copy of the seed database whose analysis views never end (a crafted or
    damaged file): each replaced by a recursive view of the same columns."""

    def prepare(binary, case):
        db = seed_database(binary, case)
        conn = sqlite3.connect(db)
        for name in ("who_reported_what", "corroboration", "entity_links"):
            columns = [row[1] for row in conn.execute(f"PRAGMA table_info('{name}')")]
            kind = conn.execute(
                "SELECT type FROM sqlite_schema WHERE name = ?", (name,)
            ).fetchone()[0]
            values = ", ".join(f"x + {i}" for i in range(len(columns)))
            quoted = ", ".join(f'"{c}"' for c in columns)
            conn.executescript(
                f"PRAGMA foreign_keys = OFF; DROP {kind} {name};"
                f"CREATE VIEW {name}({quoted}) AS WITH RECURSIVE r(x) AS "
                f"(SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT {values} FROM r;"
            )
        conn.close()
        return {"command": [binary, reader, "--db", db, *options]}

    return prepare


def generated(binary, claims, work):
    """The generator's data set of `claims` claims, made once under the work folder."""
    root = work / f"generated-{claims}"
    if not (root / "data").is_dir():
        generate = binary.parent / "examples" / "generate"
        if not generate.is_file():
            sys.exit(f"{generate} does not exist: run `cargo build --release --examples`")
        subprocess.run(
            [generate, "--claims", str(claims), "--out", root], check=True, capture_output=True
        )
    return root


def build_generated(claims):
    """The default `build` (database and every standard export, drawings included, with the
    real Graphviz) of generated data."""

    def prepare(binary, case):
        root = generated(binary, claims, case.parent)
        return {
            "command": [binary, "build", "--data", root / "data", "--seeds", root / "seeds",
                        "--db", case / "graph.sqlite", "--exports", case / "exports"],
        }

    return prepare


def build_interrupted_in_graphviz(binary, case):
    """A build of the repository's data over a previous one, with a `dot` that sleeps instead of drawing,
    sent SIGTERM two seconds in. The previous build's database and exports must stay as they
    were, and nothing may be left behind: no `dot`, no temporary file."""
    bin_dir = case / "fake-bin"
    bin_dir.mkdir()
    dot = bin_dir / "dot"
    dot.write_text('#!/bin/sh\n[ "$1" = -V ] && exit 0\nexec sleep 600\n')
    dot.chmod(0o755)
    db, exports = case / "graph.sqlite", case / "exports"
    command = [binary, "build", "--data", ROOT / "data", "--seeds", ROOT / "seeds",
               "--db", db, "--exports", exports]
    subprocess.run(command, check=True, capture_output=True)
    before = snapshot(case)
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ.get('PATH', '')}")

    def after():
        sleeping = subprocess.run(
            ["pgrep", "-f", "sleep 600"], capture_output=True, text=True
        ).stdout.split()
        changed = sorted(set(snapshot(case).items()) ^ set(before.items()))
        return (f"dot still running: {len(sleeping)}; files changed or left: "
                f"{len({name for name, _ in changed})}")

    return {"command": command, "env": env, "signal_after": (2.0, signal.SIGTERM),
            "after": after}


def snapshot(folder):
    """Every file under `folder` (but the fake Graphviz) with its size and modification time."""
    return {
        str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in folder.rglob("*")
        if path.is_file() and "fake-bin" not in path.parts
    }


# (name, what it is, how to prepare it: a function of the binary and the case folder that
# returns the command and, optionally, its environment, a signal to send, and a check after)
COMMANDS = [
    ("query-randomblob", "query `SELECT randomblob(999999999)`",
     query("SELECT randomblob(999999999)")),
    ("query-randomblob-x2", "query of two such columns",
     query("SELECT randomblob(999999999), randomblob(999999999)")),
    ("query-cross-join-csv", "query --format csv of the documents' texts, 15,625 rows",
     query("--format", "csv", "SELECT a.text, b.text FROM sources a, sources b, sources c, "
           "sources d, sources e, sources f")),
    ("query-timeout-1e20", "query --timeout 1e20", query("--timeout", "1e20", "SELECT 1")),
    ("conflicts-endless", "conflicts on a database whose views never end (default limit)",
     endless_views("conflicts")),
    ("corroboration-endless", "corroboration on it, --timeout 2",
     endless_views("corroboration", "--timeout", "2")),
    ("build-10k", "build of 10,000 generated claims, drawings included",
     build_generated(10_000)),
    ("build-100k", "build of 100,000 generated claims, drawings included",
     build_generated(100_000)),
    ("build-sigterm-in-dot", "build sent SIGTERM while Graphviz draws",
     build_interrupted_in_graphviz),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=str(ROOT / "target/release/claimgraph"))
    parser.add_argument(
        "--work", default=str(Path(tempfile.gettempdir()) / "claimgraph-hostile")
    )
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--only", help="comma-separated case names")
    args = parser.parse_args()
    launcher = multiprocessing.get_context("fork").Pool(1)
    binary = Path(args.binary).resolve()
    if not binary.is_file():
        sys.exit(f"{binary} does not exist: run `cargo build --release` first")
    help_text = subprocess.run(
        [binary, "check", "--help"], capture_output=True, text=True
    ).stdout
    only = set(args.only.split(",")) if args.only else None
    work = Path(args.work)
    print(f"binary: {binary}\n")
    print("| case | input | exit | wall s | max RSS MiB | stderr KiB |")
    print("|---|---|---:|---:|---:|---:|")
    for name, what, write, extra in CASES:
        if only is not None and name not in only:
            continue
        note = ""
        if any(a.startswith("--") and a not in help_text for a in extra):
            # An older binary without the option: it printed every diagnostic anyway.
            note = f" (binary lacks {extra[0]}; run without)"
            extra = []
        case = work / name
        shutil.rmtree(case, ignore_errors=True)
        (case / "data").mkdir(parents=True)
        (case / "seeds").mkdir()
        write(case, random.Random(12))
        command = [binary, "check", "--data", "data", "--seeds", "seeds", *extra]
        seconds, mib, code, printed, _ = launcher.apply(measure, (command, case, args.timeout))
        shown = "killed" if code is None else str(code)
        wall = f">{args.timeout:.0f}" if code is None else f"{seconds:.2f}"
        print(
            f"| {name} | {what}{note} | {shown} | {wall} | {mib:.0f} | {printed / 1024:.0f} |",
            flush=True,
        )

    print("\n| case | command | exit | wall s | max RSS MiB | stderr KiB | first line; after |")
    print("|---|---|---:|---:|---:|---:|---|")
    for name, what, prepare in COMMANDS:
        if only is not None and name not in only:
            continue
        case = work / name
        shutil.rmtree(case, ignore_errors=True)
        case.mkdir(parents=True)
        run = prepare(binary, case)
        seconds, mib, code, printed, last = launcher.apply(
            measure,
            ([str(part) for part in run["command"]], case, args.timeout),
            {"env": run.get("env"), "signal_after": run.get("signal_after")},
        )
        shown = "killed" if code is None else str(code)
        wall = f">{args.timeout:.0f}" if code is None else f"{seconds:.2f}"
        if "after" in run:
            last = f"{last}; {run['after']()}"
        last = last.replace("|", "\\|")
        print(
            f"| {name} | {what} | {shown} | {wall} | {mib:.0f} | {printed / 1024:.0f} "
            f"| {last} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
