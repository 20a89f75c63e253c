#!/usr/bin/env python3
"""Benchmark of the language server: how long an editor waits after a keystroke.

    .venv/bin/python benches/lsp.py [--sizes curated,10000,100000] [--repeat 20]
                                    [--binary target/release/claimgraph] [--work DIR]

For each workspace (`curated`: a copy of the repository's data and seeds; a number: the
steering generator's data, `../shared/bench/gen.py`, made once in --work) it starts
`claimgraph lsp` as Visual Studio Code would (pygls's client, with the capabilities
pytest-lsp records for that editor), opens the first claims file and then, --repeat times:

- changes a `subject` id into an unknown one and times until the error is published for that
  file, then changes it back and times until the cleared list is published (the buffer is
  changed, never saved: what a curator typing sees);
- asks for completion inside that `subject` value, and for hover on it.

It prints one Markdown table (median, 90th percentile and worst of each, in milliseconds), the
time from `initialize` to the first answer, and the server's peak resident memory.
"""

import argparse
import asyncio
import pathlib
import platform
import shutil
import statistics
import subprocess
import sys
import time

from lsprotocol import types as t
from pygls.lsp.client import LanguageClient
from pytest_lsp import client_capabilities

ROOT = pathlib.Path(__file__).resolve().parents[1]
GENERATOR = ROOT.parent / "shared" / "bench" / "gen.py"


def workspace(size, work):
    folder = work / f"lsp-{size}"
    if size == "curated":
        if folder.exists():
            shutil.rmtree(folder)
        shutil.copytree(ROOT / "data", folder / "data")
        shutil.copytree(ROOT / "seeds", folder / "seeds")
    elif not (folder / "data").is_dir():
        subprocess.run([sys.executable, GENERATOR, folder, "--claims", size], check=True,
                       stdout=subprocess.DEVNULL)
    return folder


def first_claims_file(folder):
    return next(p for p in sorted((folder / "data").rglob("*.toml")) if "[[claim]]" in p.read_text())


def position(text, at):
    """The UTF-16 position of character index `at`."""
    line = text.count("\n", 0, at)
    start = text.rfind("\n", 0, at) + 1
    return t.Position(line=line, character=len(text[start:at].encode("utf-16-le")) // 2)


def peak_memory_mib(pid):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def measure(binary, folder, repeat):
    client = LanguageClient("claimgraph-bench", "1")
    published = {}
    arrived = asyncio.Condition()

    @client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    async def on_diagnostics(params):
        async with arrived:
            published[params.uri] = params.diagnostics
            arrived.notify_all()

    @client.feature(t.CLIENT_REGISTER_CAPABILITY)
    def on_register(params):
        return None

    async def until(uri, predicate):
        async with arrived:
            await asyncio.wait_for(arrived.wait_for(lambda: predicate(published.get(uri))), 60)

    await client.start_io(str(binary), "lsp")
    started = time.perf_counter()
    await client.initialize_async(t.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), root_uri=folder.as_uri(),
        workspace_folders=[t.WorkspaceFolder(uri=folder.as_uri(), name="bench")]))
    client.initialized(t.InitializedParams())
    path = first_claims_file(folder)
    text = path.read_text(encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(t.DidOpenTextDocumentParams(
        text_document=t.TextDocumentItem(uri=uri, language_id="toml", version=1, text=text)))
    await client.text_document_document_symbol_async(
        t.DocumentSymbolParams(text_document=t.TextDocumentIdentifier(uri=uri)))
    ready = time.perf_counter() - started

    key = 'subject = "'
    at = text.index(key) + len(key)
    end = text.index('"', at)
    typo = text[:at] + text[at:end] + "-typo" + text[end:]
    has_error = lambda found: found is not None and any(d.code == "unknown-reference" for d in found)
    no_error = lambda found: not has_error(found)
    timings = {"error shown": [], "error cleared": [], "completion": [], "hover": []}
    version = 1
    for _ in range(repeat):
        for label, new, wanted in (("error shown", typo, has_error), ("error cleared", text, no_error)):
            version += 1
            began = time.perf_counter()
            client.text_document_did_change(t.DidChangeTextDocumentParams(
                text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[t.TextDocumentContentChangeWholeDocument(text=new)]))
            await until(uri, wanted)
            timings[label].append(time.perf_counter() - began)
        began = time.perf_counter()
        items = await client.text_document_completion_async(t.CompletionParams(
            text_document=t.TextDocumentIdentifier(uri=uri), position=position(text, at + 1)))
        timings["completion"].append(time.perf_counter() - began)
        assert items and items.items, "completion gave nothing"
        began = time.perf_counter()
        hover = await client.text_document_hover_async(t.HoverParams(
            text_document=t.TextDocumentIdentifier(uri=uri), position=position(text, at + 1)))
        timings["hover"].append(time.perf_counter() - began)
        assert hover is not None, "hover gave nothing"
    memory = peak_memory_mib(client._server.pid)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    claims = sum(p.read_text(encoding="utf-8").count("[[claim]]") for p in (folder / "data").rglob("*.toml"))
    return claims, ready, memory, timings


def milliseconds(values):
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return f"{statistics.median(ordered) * 1000:.1f} / {p90 * 1000:.1f} / {ordered[-1] * 1000:.1f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="curated,10000")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--binary", type=pathlib.Path, default=ROOT / "target" / "release" / "claimgraph")
    parser.add_argument("--work", type=pathlib.Path, default=pathlib.Path("/tmp/claimgraph-bench"))
    args = parser.parse_args()
    if not args.binary.is_file():
        sys.exit(f"no {args.binary}: run `cargo build --release` first")
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"{platform.processor() or platform.machine()}, {len(__import__('os').sched_getaffinity(0))} cores; "
          f"{args.binary}; {args.repeat} rounds; median / 90th percentile / worst, ms\n")
    print("| data | claims | ready after | peak memory | error shown | error cleared | completion | hover |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes.split(","):
        folder = workspace(size, args.work)
        claims, ready, memory, timings = asyncio.run(measure(args.binary, folder, args.repeat))
        cells = " | ".join(milliseconds(timings[k]) for k in ("error shown", "error cleared", "completion", "hover"))
        print(f"| {size} | {claims} | {ready * 1000:.0f} ms | {memory:.0f} MiB | {cells} |", flush=True)


if __name__ == "__main__":
    main()
