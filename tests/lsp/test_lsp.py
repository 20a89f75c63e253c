"""`claimgraph lsp` driven by a real language client: pytest-lsp (on pygls and lsprotocol),
announcing the capabilities of Visual Studio Code (positions in UTF-16) and of Neovim 0.11
(positions in UTF-8). Each test works on a copy of the repository's data and seeds.

Run by `tests/cli/lsp.rs`, which gives the binary in `CLAIMGRAPH`.
"""

import asyncio
import os
import pathlib
import re
import shutil

import pytest
import pytest_lsp
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = os.environ["CLAIMGRAPH"]
CLIENTS = {"vscode": "visual-studio-code", "neovim": "neovim@v0.11.0"}


@pytest.fixture
def workspace(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path


@pytest.fixture(params=sorted(CLIENTS))
def editor(request):
    """The client whose capabilities are announced; every test asks for it, so that each runs
    as both editors (pytest-lsp looks the fixture up only once the client starts)."""
    return request.param


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[BINARY, "lsp", "--stdio"]))
async def client(lsp_client: LanguageClient, workspace, editor):
    uri = workspace.as_uri()
    lsp_client.registrations = []

    @lsp_client.feature(t.CLIENT_REGISTER_CAPABILITY)
    def register(params: t.RegistrationParams):
        lsp_client.registrations.extend(params.registrations)

    result = await lsp_client.initialize_session(
        t.InitializeParams(
            capabilities=client_capabilities(CLIENTS[editor]),
            root_uri=uri,
            workspace_folders=[t.WorkspaceFolder(uri=uri, name="claims")],
        )
    )
    lsp_client.encoding = result.capabilities.position_encoding
    lsp_client.workspace = workspace
    yield
    await lsp_client.shutdown_session()


def column(line: str, index: int, encoding: str) -> int:
    """The protocol's column of `line[:index]` in the agreed encoding."""
    if encoding == t.PositionEncodingKind.Utf8:
        return len(line[:index].encode("utf-8"))
    return len(line[:index].encode("utf-16-le")) // 2


def position(client, text: str, needle: str, nth: int = 0, inside: int = 1) -> t.Position:
    """The position `inside` characters into the `nth` occurrence of `needle`."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    at += inside
    line = text.count("\n", 0, at)
    start = text.rfind("\n", 0, at) + 1
    return t.Position(line=line, character=column(text[start:], at - start, client.encoding))


def open_file(client, relative: str) -> tuple[str, str]:
    path = client.workspace / relative
    text = path.read_text(encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(
        t.DidOpenTextDocumentParams(
            text_document=t.TextDocumentItem(uri=uri, language_id="toml", version=1, text=text)
        )
    )
    return uri, text


def change(client, uri: str, text: str, version: int = 2):
    client.text_document_did_change(
        t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[t.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def diagnostics_until(client, uri: str, predicate, attempts: int = 20):
    """Waits for diagnostics of `uri` that satisfy `predicate`; they may already be there."""
    for _ in range(attempts):
        found = client.diagnostics.get(uri)
        if found is not None and predicate(found):
            return found
        try:
            await asyncio.wait_for(client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 30)
        except TimeoutError:
            break
    raise AssertionError(f"no matching diagnostics for {uri}: {client.diagnostics.get(uri)}")


def coded(code: str):
    return lambda found: any(d.code == code for d in found)


async def test_positions_are_in_utf8_when_the_client_offers_it_else_utf16(client, editor):
    expected = {"vscode": t.PositionEncodingKind.Utf16, "neovim": t.PositionEncodingKind.Utf8}
    assert client.encoding == expected[editor]


async def test_an_unknown_id_is_flagged_as_typed_and_the_quick_fix_repairs_it(client, editor):
    uri, text = open_file(client, "data/claims/nl-russian-deserters.toml")
    typo = text.replace('subject = "alexander-sterliadnikov"', 'subject = "alexander-sterliadnikof"', 1)
    assert typo != text
    change(client, uri, typo)
    found = await diagnostics_until(client, uri, coded("unknown-reference"))
    d = next(d for d in found if d.code == "unknown-reference")
    assert d.severity == t.DiagnosticSeverity.Error
    assert d.source == "claimgraph"
    assert "alexander-sterliadnikof" in d.message
    assert "did you mean `alexander-sterliadnikov`?" in d.message
    assert d.range.start == position(client, typo, '"alexander-sterliadnikof"', inside=0)
    assert d.range.end == position(client, typo, '"alexander-sterliadnikof"', inside=len('"alexander-sterliadnikof"'))

    actions = await client.text_document_code_action_async(
        t.CodeActionParams(
            text_document=t.TextDocumentIdentifier(uri=uri),
            range=d.range,
            context=t.CodeActionContext(diagnostics=[d]),
        )
    )
    fixes = [a for a in actions if isinstance(a, t.CodeAction) and a.kind == t.CodeActionKind.QuickFix]
    assert [f.title for f in fixes] == ["Change to `alexander-sterliadnikov`"]
    (edit,) = fixes[0].edit.changes[uri]
    # The edit writes the id inside the quotes.
    assert edit.new_text == "alexander-sterliadnikov"
    assert edit.range.start == position(client, typo, '"alexander-sterliadnikof"', inside=1)
    lines = typo.split("\n")
    line = lines[edit.range.start.line]
    start = next(i for i in range(len(line) + 1) if column(line, i, client.encoding) == edit.range.start.character)
    end = next(i for i in range(len(line) + 1) if column(line, i, client.encoding) == edit.range.end.character)
    lines[edit.range.start.line] = line[:start] + edit.new_text + line[end:]
    change(client, uri, "\n".join(lines), version=3)
    await diagnostics_until(client, uri, lambda found: not coded("unknown-reference")(found))


async def test_a_quote_not_in_its_document_is_flagged_with_the_closest_passage(client, editor):
    uri, text = open_file(client, "data/claims/nl-russian-deserters.toml")
    # A word added to a quote that is in the document, after a character that is two bytes
    # in UTF-8 and one unit in UTF-16, so that the range's end shows the encoding is kept.
    edited = text.replace('quote = "Deserteurs zijn geen verraders"', 'quote = "Deserteurs zijn geen verraders, één"', 1)
    assert edited != text
    change(client, uri, edited)
    found = await diagnostics_until(client, uri, coded("quote-not-found"))
    d = next(d for d in found if d.code == "quote-not-found")
    assert "the quote is not in its document `001_2280b6af3cbe456f.txt`" in d.message
    assert re.search(r"help: the closest passage \(\d+% alike, line \d+ of the document\) reads: \".*Deserteurs zijn geen verraders", d.message), d.message
    written = '"Deserteurs zijn geen verraders, één"'
    assert d.range.start == position(client, edited, written, inside=0)
    assert d.range.end == position(client, edited, written, inside=len(written))


async def test_renaming_an_id_flags_the_files_that_use_it_unopened(client, editor):
    uri, text = open_file(client, "data/groups.toml")
    renamed = text.replace('id = "nk-deserters"', 'id = "nk-defectors"', 1)
    assert renamed != text
    change(client, uri, renamed)
    user = (client.workspace / "data/claims/de-nk-deserters.toml").as_uri()
    found = await diagnostics_until(client, user, coded("unknown-reference"))
    assert any("`nk-deserters`" in d.message for d in found)
    # Putting the id back clears them.
    change(client, uri, text, version=3)
    await diagnostics_until(client, user, lambda found: not coded("unknown-reference")(found))


async def complete(client, uri, text, needle, inside):
    result = await client.text_document_completion_async(
        t.CompletionParams(
            text_document=t.TextDocumentIdentifier(uri=uri),
            position=position(client, text, needle, inside=inside),
        )
    )
    return result.items if isinstance(result, t.CompletionList) else result


async def test_ids_complete_with_names_filtered_to_the_kinds_the_field_takes(client, editor):
    uri, text = open_file(client, "data/claims/de-nk-deserters.toml")
    typed = text + '\n[[claim]]\nsource = "de-nk-deserters"\npredicate = "deserted_from"\nsubject = "nk-\n'
    change(client, uri, typed)
    items = await complete(client, uri, typed, 'subject = "nk-\n', len('subject = "nk-'))
    by_label = {i.label: i for i in items}
    assert "nk-deserters" in by_label
    item = by_label["nk-deserters"]
    assert item.detail.endswith("· group")
    assert item.text_edit.new_text == "nk-deserters"
    # Sources, and kinds `deserted_from` does not take as its subject, are not offered.
    assert "de-nk-deserters" not in by_label
    assert not any(i.detail.endswith(("· country", "· organisation")) for i in items)

    # Predicates complete with their labels; a source field completes sources only.
    typed2 = text + '\n[[claim]]\nsource = \npredicate = "\n'
    change(client, uri, typed2, version=3)
    sources = await complete(client, uri, typed2, "source = \n", len("source = "))
    assert sources and all(i.detail.endswith("· source") for i in sources)
    assert all(i.text_edit.new_text.startswith('"') for i in sources)
    predicates = await complete(client, uri, typed2, 'predicate = "\n', len('predicate = "'))
    member = next(i for i in predicates if i.label == "member_of")
    assert member.detail == "member of"


async def test_field_names_complete_without_those_already_written(client, editor):
    uri, text = open_file(client, "data/claims/de-nk-deserters.toml")
    typed = text + '\n[[claim]]\nsource = "de-nk-deserters"\nst\n'
    change(client, uri, typed)
    items = await complete(client, uri, typed, "\nst\n", len("\nst"))
    labels = {i.label for i in items}
    assert {"stance", "subject", "quote", "citing"} <= labels
    assert "source" not in labels


async def test_a_name_completed_from_its_middle_is_replaced_whole(client, editor):
    uri, text = open_file(client, "data/claims/de-nk-deserters.toml")
    typed = text + "\n[[clam]]\n\n[[claim]]\nhedgd = true\n"
    change(client, uri, typed)

    def accepted(item, line: str) -> str:
        edit = item.text_edit
        start, end = edit.range.start.character, edit.range.end.character
        assert edit.range.start.line == edit.range.end.line
        # ASCII lines: a column is a character in either encoding.
        return line[:start] + edit.new_text + line[end:]

    kinds = await complete(client, uri, typed, "[[clam]]", len("[[cl"))
    assert "claim" in [i.label for i in kinds], [i.label for i in kinds]
    assert accepted(next(i for i in kinds if i.label == "claim"), "[[clam]]") == "[[claim]]"
    fields = await complete(client, uri, typed, "\nhedgd", len("\nhed"))
    hedged = next(i for i in fields if i.label == "hedged")
    assert accepted(hedged, "hedgd = true") == "hedged = true"


async def test_hover_definition_and_references_of_an_id(client, editor):
    uri, text = open_file(client, "data/claims/de-nk-deserters.toml")
    at = position(client, text, '"nk-deserters"', inside=3)
    hover = await client.text_document_hover_async(
        t.HoverParams(text_document=t.TextDocumentIdentifier(uri=uri), position=at)
    )
    value = hover.contents.value
    groups = (client.workspace / "data/groups.toml").read_text(encoding="utf-8")
    name = re.search(r'id = "nk-deserters"\nname = "([^"]+)"', groups).group(1)
    assert f"**{name}** · group `nk-deserters`" in value
    line = groups[: groups.index('id = "nk-deserters"')].count("\n") + 1
    assert f"groups.toml:{line}`" in value
    naming = sum(
        1
        for f in (client.workspace / "data/claims").glob("*.toml")
        for claim in f.read_text(encoding="utf-8").split("[[claim]]")[1:]
        if '"nk-deserters"' in claim
    )
    assert f"named by {naming} claims" in value

    definition = await client.text_document_definition_async(
        t.DefinitionParams(text_document=t.TextDocumentIdentifier(uri=uri), position=at)
    )
    target = definition[0] if isinstance(definition, list) else definition
    assert target.uri == (client.workspace / "data/groups.toml").as_uri()
    assert target.range.start.line == line - 1

    references = await client.text_document_references_async(
        t.ReferenceParams(
            text_document=t.TextDocumentIdentifier(uri=uri),
            position=at,
            context=t.ReferenceContext(include_declaration=True),
        )
    )
    written = sum(
        f.read_text(encoding="utf-8").count('"nk-deserters"')
        for f in (client.workspace / "data").rglob("*.toml")
    )
    assert len(references) == written
    assert {r.uri for r in references} >= {uri, target.uri}
    without = await client.text_document_references_async(
        t.ReferenceParams(
            text_document=t.TextDocumentIdentifier(uri=uri),
            position=at,
            context=t.ReferenceContext(include_declaration=False),
        )
    )
    assert len(without) == written - 1


async def test_the_outline_lists_every_record_of_a_file(client, editor):
    uri, text = open_file(client, "data/groups.toml")
    symbols = await client.text_document_document_symbol_async(
        t.DocumentSymbolParams(text_document=t.TextDocumentIdentifier(uri=uri))
    )
    assert len(symbols) == text.count("[[group]]")
    first = re.search(r'id = "([^"]+)"', text).group(1)
    assert symbols[0].name == first
    assert symbols[0].detail.endswith("group")

    claims_uri, claims = open_file(client, "data/claims/de-nk-deserters.toml")
    symbols = await client.text_document_document_symbol_async(
        t.DocumentSymbolParams(text_document=t.TextDocumentIdentifier(uri=claims_uri))
    )
    assert len(symbols) == claims.count("[[claim]]")
    assert all(s.kind == t.SymbolKind.Event for s in symbols)


async def test_a_file_changed_on_disk_is_read_again_when_the_editor_says_so(client, editor):
    # The server asks a client that can watch files to tell it of changes on disk (Visual
    # Studio Code can; Neovim on Linux cannot); the request may still be on its way.
    watches = client.capabilities.workspace.did_change_watched_files.dynamic_registration
    assert watches == (editor == "vscode")
    for _ in range(100):
        if client.registrations or not watches:
            break
        await asyncio.sleep(0.05)
    if watches:
        (registration,) = client.registrations
        assert registration.method == t.WORKSPACE_DID_CHANGE_WATCHED_FILES
    else:
        assert client.registrations == []
    path = client.workspace / "data/claims/de-nk-deserters.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"nk-deserters"', '"nk-desertors"', 1), encoding="utf-8")
    client.workspace_did_change_watched_files(
        t.DidChangeWatchedFilesParams(
            changes=[t.FileEvent(uri=path.as_uri(), type=t.FileChangeType.Changed)]
        )
    )
    found = await diagnostics_until(client, path.as_uri(), coded("unknown-reference"))
    assert any("did you mean `nk-deserters`?" in d.message for d in found)


async def test_a_file_broken_on_disk_is_checked_as_check_does_and_unopened_files_take_no_edits(client, editor):
    claims_uri, claims_text = open_file(client, "data/claims/de-nk-deserters.toml")
    # A change to a file the editor never opened is not a buffer: the file on disk stays.
    other = client.workspace / "data/claims/de-nk-soldiers.toml"
    other_text = other.read_text(encoding="utf-8")
    client.text_document_did_change(
        t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=other.as_uri(), version=2),
            content_changes=[
                t.TextDocumentContentChangeWholeDocument(
                    text=other_text.replace('subject = "', 'subject = "zz-', 1)
                )
            ],
        )
    )
    await client.text_document_document_symbol_async(
        t.DocumentSymbolParams(text_document=t.TextDocumentIdentifier(uri=claims_uri))
    )
    assert not coded("unknown-reference")(client.diagnostics.get(other.as_uri(), []))
    # groups.toml, not open, left with a merge's conflict markers: its groups are gone, and the
    # claims naming them say so, as `claimgraph check` does.
    groups = client.workspace / "data/groups.toml"
    groups.write_text(
        "<<<<<<< ours\n" + groups.read_text(encoding="utf-8") + "=======\n>>>>>>> theirs\n",
        encoding="utf-8",
    )
    client.workspace_did_change_watched_files(
        t.DidChangeWatchedFilesParams(
            changes=[t.FileEvent(uri=groups.as_uri(), type=t.FileChangeType.Changed)]
        )
    )
    await diagnostics_until(client, groups.as_uri(), coded("syntax"))
    found = await diagnostics_until(client, claims_uri, coded("unknown-reference"))
    assert any("`nk-deserters`" in d.message for d in found)


def schema():
    import json

    return json.loads((ROOT / "exports/schema/claimgraph-data.schema.json").read_text(encoding="utf-8"))


async def hover_text(client, uri, text, needle, inside):
    hover = await client.text_document_hover_async(
        t.HoverParams(
            text_document=t.TextDocumentIdentifier(uri=uri),
            position=position(client, text, needle, inside=inside),
        )
    )
    return hover.contents.value if hover else None


async def test_hover_on_a_field_or_a_record_kind_says_what_it_means_as_the_schema_does(client, editor):
    uri, text = open_file(client, "data/claims/de-nk-deserters.toml")
    claim = schema()["properties"]["claim"]
    value = await hover_text(client, uri, text, 'stance = "denies"', 2)
    assert value.startswith("`stance` of `[[claim]]`: a string, optional")
    assert claim["items"]["properties"]["stance"]["description"] in value
    assert "One of: `affirms`, `denies`" in value
    value = await hover_text(client, uri, text, "[[claim]]", 3)
    assert claim["description"].split(": ", 1)[1] in value
    # On a value that names nothing, and on a comment, there is nothing to say.
    assert await hover_text(client, uri, text, 'stance = "denies"', len('stance = "d')) is None


async def test_vocabulary_words_and_booleans_complete(client, editor):
    uri, text = open_file(client, "data/claims/de-nk-deserters.toml")
    typed = text + '\n[[claim]]\nstance = ""\nhedged = \n'
    change(client, uri, typed)
    words = await complete(client, uri, typed, 'stance = ""', len('stance = "'))
    assert [(i.label, i.text_edit.new_text) for i in words] == [("affirms", "affirms"), ("denies", "denies")]
    booleans = await complete(client, uri, typed, "hedged = \n", len("hedged = "))
    assert [(i.label, i.text_edit.new_text) for i in booleans] == [("true", "true"), ("false", "false")]
    # Where a field name goes in the new claim (the last `hedged` line of the file).
    result = await client.text_document_completion_async(
        t.CompletionParams(
            text_document=t.TextDocumentIdentifier(uri=uri),
            position=position(client, typed, "\nhedged", nth=typed.count("\nhedged") - 1),
        )
    )
    fields = result.items
    assert {"quote", "subject", "predicate", "source"} <= {i.label for i in fields}
    assert "stance" not in {i.label for i in fields}
    quote = next(i for i in fields if i.label == "quote")
    assert quote.detail == "required, a string"
    assert quote.documentation == schema()["properties"]["claim"]["items"]["properties"]["quote"]["description"].removesuffix(" Required.")


async def test_while_an_entity_file_does_not_parse_the_others_are_checked_against_its_last_version(client, editor):
    uri, text = open_file(client, "data/groups.toml")
    # Two lines added at the top, and a group half typed at the end: the file does not parse.
    broken = "# being edited\n# \n" + text + '\n[[group]]\nid = "new-gro\n'
    change(client, uri, broken)
    found = await diagnostics_until(client, uri, coded("syntax"))
    assert [d.code for d in found] == ["syntax"]
    claims = client.workspace / "data/claims/de-nk-deserters.toml"
    claims_uri, claims_text = open_file(client, "data/claims/de-nk-deserters.toml")
    # The claims file naming the file's groups has nothing to report.
    symbols = await client.text_document_document_symbol_async(
        t.DocumentSymbolParams(text_document=t.TextDocumentIdentifier(uri=claims_uri))
    )
    assert symbols
    assert not client.diagnostics.get(claims_uri)
    # Going to a group's definition finds it where it is now, two lines down.
    at = position(client, claims_text, '"nk-deserters"', inside=3)
    definition = await client.text_document_definition_async(
        t.DefinitionParams(text_document=t.TextDocumentIdentifier(uri=claims_uri), position=at)
    )
    target = definition[0] if isinstance(definition, list) else definition
    assert target.uri == uri
    assert target.range.start == position(client, broken, 'id = "nk-deserters"', inside=len("id = "))
    # Once it parses again, the syntax error goes.
    change(client, uri, text, version=3)
    await diagnostics_until(client, uri, lambda found: not coded("syntax")(found))


async def test_a_related_place_in_a_file_that_does_not_parse_is_never_a_wrong_one(client, editor):
    groups_uri, groups = open_file(client, "data/groups.toml")
    people_uri, people = open_file(client, "data/people.toml")
    twin = people + '\n[[person]]\nid = "nk-deserters"\nname = "Twin"\n'
    change(client, people_uri, twin)

    def related_lines(found):
        return [
            r.location.range.start.line
            for d in found
            if d.code == "duplicate-id"
            for r in d.related_information or []
            if r.location.uri == groups_uri
        ]

    found = await diagnostics_until(client, people_uri, lambda f: related_lines(f))
    assert [groups.split("\n")[line] for line in related_lines(found)] == ['id = "nk-deserters"']
    # groups.toml grows ten lines at the top and stops parsing: it is checked as it last parsed.
    broken = "#\n" * 10 + groups + "\n[[group]\n"
    change(client, groups_uri, broken)
    await diagnostics_until(client, groups_uri, coded("syntax"))
    await client.text_document_document_symbol_async(
        t.DocumentSymbolParams(text_document=t.TextDocumentIdentifier(uri=people_uri))
    )
    found = await diagnostics_until(client, people_uri, coded("duplicate-id"))
    # The duplicate is still reported; a place it names in groups.toml is where the id is now,
    # or none is named.
    for line in related_lines(found):
        assert 'id = "nk-deserters"' in broken.split("\n")[line], line


async def test_a_position_inside_a_character_is_the_character_it_is_in(client, editor):
    uri, text = open_file(client, "data/claims/de-nk-deserters.toml")
    typed = text + '\n# 😀é "nk-deserters"\n'
    change(client, uri, typed)
    line = typed.count("\n") - 1
    # Inside the emoji: its second UTF-16 unit, or its second byte in UTF-8; then inside `é`.
    for character in (3, 6 if client.encoding == t.PositionEncodingKind.Utf8 else 4):
        hover = await client.text_document_hover_async(
            t.HoverParams(
                text_document=t.TextDocumentIdentifier(uri=uri),
                position=t.Position(line=line, character=character),
            )
        )
        assert hover is None
        items = await client.text_document_completion_async(
            t.CompletionParams(
                text_document=t.TextDocumentIdentifier(uri=uri),
                position=t.Position(line=line, character=character),
            )
        )
        assert not (items.items if isinstance(items, t.CompletionList) else items)
    # The server is still there.
    symbols = await client.text_document_document_symbol_async(
        t.DocumentSymbolParams(text_document=t.TextDocumentIdentifier(uri=uri))
    )
    assert len(symbols) == typed.count("[[claim]]")


async def test_a_burst_of_edits_costs_a_few_analyses_not_one_each(client, editor):
    uri, text = open_file(client, "data/claims/de-nk-deserters.toml")
    await client.text_document_document_symbol_async(
        t.DocumentSymbolParams(text_document=t.TextDocumentIdentifier(uri=uri))
    )
    published = []
    # pytest-lsp keeps only the latest diagnostics of a file: its handler is wrapped to count.
    features = client.protocol.fm.features
    keep = features[t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

    def count(*args):
        params = args[-1]
        if params.uri == uri:
            published.append(len(params.diagnostics))
        return keep(*args)

    features[t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = count

    for n in range(60):
        # Every other edit breaks an id, so that each analysis would publish something new.
        edited = text.replace('"nk-deserters"', '"nk-deserterz"', 1) if n % 2 == 0 else text
        change(client, uri, edited, version=n + 2)
    change(client, uri, text.replace('"nk-deserters"', '"nk-deserterz"', 1), version=100)
    await diagnostics_until(client, uri, coded("unknown-reference"))
    await client.text_document_document_symbol_async(
        t.DocumentSymbolParams(text_document=t.TextDocumentIdentifier(uri=uri))
    )
    assert 1 <= len(published) <= 6, published


async def test_without_its_seeds_folder_the_data_is_still_checked_and_served(client, editor):
    shutil.rmtree(client.workspace / "seeds")
    uri, text = open_file(client, "data/claims/de-nk-deserters.toml")
    typo = text.replace('subject = "nk-deserters"', 'subject = "nk-desertrs"', 1)
    for version in range(2, 5):
        change(client, uri, typo if version % 2 == 0 else text, version=version)
    change(client, uri, typo, version=9)
    # Hover still answers from the index of the parsed records.
    at = position(client, typo, '"nk-deserters"', inside=3)
    hover = await client.text_document_hover_async(
        t.HoverParams(text_document=t.TextDocumentIdentifier(uri=uri), position=at)
    )
    assert hover is not None and "group `nk-deserters`" in hover.contents.value
    messages = [m.message for m in client.messages]
    seeds = [m for m in messages if "seeds folder" in m]
    assert len(seeds) == 1, messages
    assert "only syntax errors are shown" in seeds[0]


async def test_ranged_changes_are_applied_where_they_are(client, editor):
    uri, text = open_file(client, "data/groups.toml")
    at = position(client, text, 'id = "nk-deserters"', inside=len('id = "nk-'))
    client.text_document_did_change(
        t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                t.TextDocumentContentChangePartial(
                    range=t.Range(start=at, end=t.Position(line=at.line, character=at.character + 1)),
                    text="D",
                )
            ],
        )
    )
    user = (client.workspace / "data/claims/de-nk-deserters.toml").as_uri()
    found = await diagnostics_until(client, user, coded("unknown-reference"))
    assert any("did you mean `nk-Deserters`" in d.message or "`nk-deserters`" in d.message for d in found)
    symbols = await client.text_document_document_symbol_async(
        t.DocumentSymbolParams(text_document=t.TextDocumentIdentifier(uri=uri))
    )
    assert len(symbols) == text.count("[[group]]")


async def test_a_file_opened_through_a_symbolic_link_is_the_same_file(client, editor):
    alias = client.workspace.parent / f"{client.workspace.name}-link"
    alias.symlink_to(client.workspace, target_is_directory=True)
    path = alias / "data/claims/de-nk-deserters.toml"
    text = path.read_text(encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(
        t.DidOpenTextDocumentParams(
            text_document=t.TextDocumentItem(uri=uri, language_id="toml", version=1, text=text)
        )
    )
    change(client, uri, text.replace('subject = "nk-deserters"', 'subject = "nk-desertrs"', 1))
    # Published to the URI the buffer was opened by, and not twice under the real path.
    await diagnostics_until(client, uri, coded("unknown-reference"))
    real = (client.workspace / "data/claims/de-nk-deserters.toml").as_uri()
    assert not coded("unknown-reference")(client.diagnostics.get(real) or [])
    symbols = await client.text_document_document_symbol_async(
        t.DocumentSymbolParams(text_document=t.TextDocumentIdentifier(uri=uri))
    )
    assert len(symbols) == text.count("[[claim]]")
