#!/usr/bin/env python3
"""Hostile inputs for `claimgraph check`: each must finish in seconds, with bounded memory.

    python3 benches/hostile.py [--binary target/release/claimgraph] [--work DIR]
                               [--timeout SECONDS] [--only NAME,NAME]

Writes each case's `data/` and `seeds/` into the work folder (default: a folder under the
system's temporary directory, kept so that a case can be rerun by hand), runs
`claimgraph check` on it, and prints one Markdown table: the exit code, the wall time, the
peak resident memory (wait4's rusage of the child, the figure `/usr/bin/time -v` prints as
"Maximum resident set size") and how much the command printed. A case that runs longer than
--timeout is killed and shown as such.

The cases are the ones issue 12 lists for the checking stage; add one by writing a function
that fills a case folder and listing it in CASES. Standard library only.
"""

import argparse
import os
import random
import shutil
import signal
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


def measure(command, cwd, timeout):
    """Runs a command; returns (seconds, peak MiB, exit code or None when killed, bytes of
    stderr)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err, open(os.devnull, "wb") as out:
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err)
        killed = threading.Event()

        def kill():
            killed.set()
            process.send_signal(signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        timer.cancel()
        seconds = time.perf_counter() - started
        printed = err.seek(0, os.SEEK_END)
    code = None if killed.is_set() else os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024, code, printed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=str(ROOT / "target/release/claimgraph"))
    parser.add_argument(
        "--work", default=str(Path(tempfile.gettempdir()) / "claimgraph-hostile")
    )
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--only", help="comma-separated case names")
    args = parser.parse_args()
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
        seconds, mib, code, printed = measure(command, case, args.timeout)
        shown = "killed" if code is None else str(code)
        wall = f">{args.timeout:.0f}" if code is None else f"{seconds:.2f}"
        print(
            f"| {name} | {what}{note} | {shown} | {wall} | {mib:.0f} | {printed / 1024:.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
