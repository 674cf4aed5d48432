"""``copydesk lsp`` end to end: a real LSP client (pytest-lsp) talks to the
server over stdio, as an editor does.

One server for the module (starting one costs a Python start-up and a glossary
compile); each test opens its own documents. The tests that change the
workspace's glossary come last and use words no earlier test uses.
"""
from __future__ import annotations

import asyncio
import hashlib
import re
import sys
from pathlib import Path
from typing import Union

import pytest
import pytest_lsp
from lsprotocol import types as T
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.conftest import MINI_GLOSSARY

pytestmark = pytest.mark.asyncio(loop_scope="module")
ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60  # seconds: the machine is shared; a check takes milliseconds


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("ws")
    (d / "copydesk.toml").write_text('glossary = ["desk.toml"]\nlang = "en"\nexclude = ["*.draft.md"]\n', encoding="utf-8")
    (d / "desk.toml").write_text(MINI_GLOSSARY, encoding="utf-8")
    return d


REGISTRATIONS: list[T.RegistrationParams] = []
PUBLISHED: list[T.PublishDiagnosticsParams] = []  # every publish, in order (with its version)


def make_client() -> LanguageClient:
    """pytest-lsp's test client, also keeping every publishDiagnostics and registration."""
    from pygls.protocol import default_converter
    from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

    def published(client: LanguageClient, params: T.PublishDiagnosticsParams):
        PUBLISHED.append(params)
        client.diagnostics[params.uri] = params.diagnostics

    def register(client: LanguageClient, params: T.RegistrationParams):
        REGISTRATIONS.append(params)

    def converter():
        # lsprotocol 2025.0 reads every code action holding a "command" key as a bare Command,
        # also a CodeAction whose command is a Command object; the spec (and VS Code, Neovim,
        # Helix) tell them apart by the type of "command": a string means a bare Command
        c = default_converter()

        def hook(obj, _type):
            return c.structure(obj, T.Command if isinstance(obj.get("command"), str) else T.CodeAction)

        c.register_structure_hook(Union[T.Command, T.CodeAction], hook)
        return c

    client = LanguageClient(converter_factory=converter)
    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: published,
                                   T.CLIENT_REGISTER_CAPABILITY: register})
    return client


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(
    server_command=[sys.executable, "-m", "qa", "lsp", "--debounce", "150"], client_factory=make_client))
async def client(lsp_client: LanguageClient, ws: Path):
    # VS Code's capabilities: no positionEncodings (so LSP's default, UTF-16 code units) and
    # dynamic registration of file watchers
    caps = client_capabilities("visual-studio-code")
    result = await lsp_client.initialize_session(T.InitializeParams(
        capabilities=caps, root_uri=ws.as_uri(),
        workspace_folders=[T.WorkspaceFolder(uri=ws.as_uri(), name="ws")]))
    assert result.capabilities.position_encoding in (None, T.PositionEncodingKind.Utf16)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(
    server_command=[sys.executable, "-m", "qa", "lsp", "--no-config", "--glossary", str(ROOT / "examples")]))
async def client8(lsp_client: LanguageClient, ws: Path):
    """A client that prefers UTF-8 positions (as Neovim does)."""
    caps = client_capabilities("neovim")
    assert caps.general.position_encodings[0] == T.PositionEncodingKind.Utf8
    result = await lsp_client.initialize_session(T.InitializeParams(capabilities=caps, root_uri=ws.as_uri()))
    assert result.capabilities.position_encoding == T.PositionEncodingKind.Utf8
    yield
    await lsp_client.shutdown_session()


@pytest.fixture(scope="module")
def ws_bad(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("ws_bad")
    (d / "copydesk.toml").write_text('lang = "xx"\n', encoding="utf-8")
    return d


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=[sys.executable, "-m", "qa", "lsp"],
                                                             client_factory=make_client))
async def client_bad(lsp_client: LanguageClient, ws_bad: Path):
    """A workspace whose configuration does not load."""
    await lsp_client.initialize_session(T.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), root_uri=ws_bad.as_uri()))
    yield
    await lsp_client.shutdown_session()


# ---- helpers: the client side, written independently of the server's code ---------------------
def to_offset(text: str, pos: T.Position) -> int:
    """A UTF-16 LSP position → a code-point offset (lines end at \\n, \\r\\n, \\r only)."""
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    s = starts[pos.line]
    line = re.split(r"\r\n|\r|\n", text[s:], maxsplit=1)[0]
    return s + len(line.encode("utf-16-le")[:2 * pos.character].decode("utf-16-le"))


def apply(text: str, edit: T.WorkspaceEdit, uri: str) -> str:
    edits = []
    for dc in edit.document_changes or []:
        assert dc.text_document.uri == uri
        edits += dc.edits
    for u, es in (edit.changes or {}).items():
        assert u == uri
        edits += es
    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        a, b = to_offset(text, e.range.start), to_offset(text, e.range.end)
        text = text[:a] + e.new_text + text[b:]
    return text


async def diagnostics(client: LanguageClient, uri: str, version: int | None = None, since: int = 0):
    """The diagnostics published for ``uri`` (for ``version``) after the ``since``-th publish."""
    async def wait():
        while True:
            got = [p for p in PUBLISHED[since:] if p.uri == uri and (version is None or p.version == version)]
            if got:
                return list(got[-1].diagnostics)
            await client.wait_for_notification(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    return await asyncio.wait_for(wait(), TIMEOUT)


def open_doc(client: LanguageClient, uri: str, text: str, language_id: str = "markdown", version: int = 1) -> int:
    n = len(PUBLISHED)
    client.text_document_did_open(T.DidOpenTextDocumentParams(
        text_document=T.TextDocumentItem(uri=uri, language_id=language_id, version=version, text=text)))
    return n


def change(client: LanguageClient, uri: str, text: str, version: int) -> int:
    n = len(PUBLISHED)
    client.text_document_did_change(T.DidChangeTextDocumentParams(
        text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[T.TextDocumentContentChangeWholeDocument(text=text)]))
    return n


async def actions(client: LanguageClient, uri: str, diag: T.Diagnostic, only=None) -> list[T.CodeAction]:
    got = await client.text_document_code_action_async(T.CodeActionParams(
        text_document=T.TextDocumentIdentifier(uri=uri), range=diag.range,
        context=T.CodeActionContext(diagnostics=[diag], only=only)))
    return [a for a in got or [] if isinstance(a, T.CodeAction)]


def find(diags, code: str, text: str | None = None, doc: str | None = None):
    out = [d for d in diags if d.code == code]
    if text is not None:
        out = [d for d in out if doc is not None and doc[to_offset(doc, d.range.start):to_offset(doc, d.range.end)] == text]
    return out


ARTICLE = ("Kyiv talks\n\n"
           "Ukrainian Foreign Minister Koeleba said on Tuesday that Poetin has no right to make demands.\n")


# ---- diagnostics ---------------------------------------------------------------------------------
async def test_diagnostics_on_open_with_rule_severity_source_and_evidence(client: LanguageClient, ws: Path):
    uri = (ws / "open.md").as_uri()
    n = open_doc(client, uri, ARTICLE)
    diags = await diagnostics(client, uri, 1, n)
    koeleba = find(diags, "name/transliteration", "Koeleba", ARTICLE)
    assert len(koeleba) == 1
    d = koeleba[0]
    assert d.source == "copydesk" and d.severity == T.DiagnosticSeverity.Error
    assert "Kuleba" in d.message and "Koeleba" in d.message  # the evidence, and the fix
    assert d.range.start == T.Position(line=2, character=ARTICLE.splitlines()[2].index("Koeleba"))
    assert find(diags, "name/transliteration", "Poetin", ARTICLE)
    # a clean article gets an empty list (the editor clears old diagnostics)
    n = change(client, uri, "Kyiv talks\n\nThe minister said on Tuesday that the talks go on.\n", 2)
    assert await diagnostics(client, uri, 2, n) == []


async def test_positions_are_utf16_code_units(client: LanguageClient, ws: Path):
    # an astral emoji is two UTF-16 units; U+2028 and a form feed do not end an LSP line
    text = "Title\r\n\U0001F4F0 Breaking: Koeleba met Poetin.\nx\u2028y\x0c Koeleba again.\n"
    uri = (ws / "emoji.txt").as_uri()
    n = open_doc(client, uri, text, "plaintext")
    diags = await diagnostics(client, uri, 1, n)
    starts = sorted((d.range.start.line, d.range.start.character, d.range.end.character)
                    for d in find(diags, "name/transliteration"))
    # line 1: 📰(2) + " Breaking: "(11) = 13; line 2: x, U+2028, y, FF, space = 5
    assert (1, 13, 20) in starts and (2, 5, 12) in starts
    for d in find(diags, "name/transliteration"):
        assert text[to_offset(text, d.range.start):to_offset(text, d.range.end)] in ("Koeleba", "Poetin")


async def test_positions_in_utf8_when_the_client_prefers_it(client8: LanguageClient, ws: Path):
    text = "Title\n\U0001F4F0 é Koeleba said.\n"
    uri = (ws / "utf8.md").as_uri()
    client8.text_document_did_open(T.DidOpenTextDocumentParams(
        text_document=T.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)))

    async def wait():
        while not client8.diagnostics.get(uri):
            await client8.wait_for_notification(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        return client8.diagnostics[uri]

    diags = await asyncio.wait_for(wait(), TIMEOUT)
    d = [d for d in diags if d.code == "name/transliteration"][0]
    # 📰 is 4 bytes, " é " 4 more: Koeleba starts at byte 8 of line 1 and ends at byte 15
    assert (d.range.start.line, d.range.start.character, d.range.end.character) == (1, 8, 15)


async def test_a_bad_configuration_is_reported_then_mended(client_bad: LanguageClient, ws_bad: Path):
    msg = await asyncio.wait_for(_next_message(client_bad, 0), TIMEOUT)
    assert msg.type == T.MessageType.Error and "unknown language code 'xx'" in msg.message
    assert "\n" not in msg.message
    uri = (ws_bad / "a.md").as_uri()
    client_bad.text_document_did_open(T.DidOpenTextDocumentParams(
        text_document=T.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=ARTICLE)))
    await asyncio.sleep(0.3)
    assert uri not in client_bad.diagnostics  # nothing is checked with a configuration that does not load
    cfg = ws_bad / "copydesk.toml"
    cfg.write_text('lang = "en"\n', encoding="utf-8")
    client_bad.text_document_did_save(T.DidSaveTextDocumentParams(text_document=T.TextDocumentIdentifier(uri=cfg.as_uri())))

    async def wait():
        while not client_bad.diagnostics.get(uri):
            await client_bad.wait_for_notification(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        return client_bad.diagnostics[uri]

    diags = await asyncio.wait_for(wait(), TIMEOUT)  # the open document is checked once it loads
    assert any(d.code == "name/transliteration" for d in diags)


async def test_changes_are_debounced_and_the_last_version_wins(client: LanguageClient, ws: Path):
    uri = (ws / "typing.md").as_uri()
    n = open_doc(client, uri, "Kyiv talks\n")
    await diagnostics(client, uri, 1, n)
    n = len(PUBLISHED)
    text = "Kyiv talks\n"
    for v, word in enumerate(["Koeleba ", "said ", "that ", "Poetin ", "lost."], start=2):
        text += word
        change(client, uri, text, v)
    diags = await diagnostics(client, uri, 6, n)
    assert {text[to_offset(text, d.range.start):to_offset(text, d.range.end)] for d in diags} >= {"Koeleba", "Poetin"}
    await asyncio.sleep(0.5)
    mine = [p for p in PUBLISHED[n:] if p.uri == uri]
    assert len(mine) < 5  # five changes within the pause are one check (or two), not five
    assert mine[-1].version == 6


# ---- code actions --------------------------------------------------------------------------------
async def test_applying_the_fix_makes_the_diagnostic_go_away(client: LanguageClient, ws: Path):
    uri = (ws / "fix.md").as_uri()
    text = "Kyiv talks\n\n\U0001F600 Minister Koeleba said the talks go on.\n"
    n = open_doc(client, uri, text)
    d = find(await diagnostics(client, uri, 1, n), "name/transliteration", "Koeleba", text)[0]
    acts = await actions(client, uri, d)
    fixes = [a for a in acts if a.edit is not None and a.kind == T.CodeActionKind.QuickFix]
    assert fixes and fixes[0].is_preferred  # a safe fix is the preferred action
    assert fixes[0].diagnostics and fixes[0].diagnostics[0].code == "name/transliteration"
    new = apply(text, fixes[0].edit, uri)
    assert new == text.replace("Koeleba", "Kuleba")
    n = change(client, uri, new, 2)
    assert find(await diagnostics(client, uri, 2, n), "name/transliteration") == []


async def test_an_unsafe_fix_is_offered_but_not_preferred(client: LanguageClient, ws: Path):
    uri = (ws / "furniture.md").as_uri()
    text = "Kyiv talks\n\nThe minister said the talks go on.\n\nRelated articles\n\nThe talks resume on Monday.\n"
    n = open_doc(client, uri, text)
    ds = find(await diagnostics(client, uri, 1, n), "article/boilerplate")
    assert ds and ds[0].severity == T.DiagnosticSeverity.Warning
    fixes = [a for a in await actions(client, uri, ds[0]) if a.edit is not None]
    assert fixes and not fixes[0].is_preferred  # a reviewer decides
    assert apply(text, fixes[0].edit, uri) == text.replace("Related articles\n\n", "")
    # and "apply every safe fix" leaves it alone
    assert await actions(client, uri, ds[0], only=[T.CodeActionKind.SourceFixAll]) == []


async def test_fix_all_applies_every_safe_fix(client: LanguageClient, ws: Path):
    uri = (ws / "all.md").as_uri()
    text = "Kyiv talks\n\nKoeleba said Poetin lost, and Koeleba left.\n"
    n = open_doc(client, uri, text)
    diags = await diagnostics(client, uri, 1, n)
    got = await actions(client, uri, diags[0], only=[T.CodeActionKind.SourceFixAll])
    assert [a.kind for a in got] == [T.CodeActionKind.SourceFixAll]
    new = apply(text, got[0].edit, uri)
    assert new == "Kyiv talks\n\nKuleba said Putin lost, and Kuleba left.\n"
    n = change(client, uri, new, 2)
    assert await diagnostics(client, uri, 2, n) == []


# ---- bilingual documents --------------------------------------------------------------------------
PO = '''msgid ""
msgstr ""
"Language: en\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Minister Koeleba sprak met de pers."
msgstr "Minister Koeleba spoke to the press."
'''

XLIFF = '''<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file source-language="nl" target-language="en" datatype="plaintext" original="a.txt">
  <body>
   <trans-unit id="1">
    <source>Minister Koeleba sprak met de pers.</source>
    <target>&#x1F4F0; Minister Koeleba spoke &amp; left.</target>
   </trans-unit>
  </body>
 </file>
</xliff>
'''


@pytest.mark.parametrize("name, text, lid", [("t.po", PO, "po"), ("t.xlf", XLIFF, "xml")])
async def test_po_and_xliff_findings_sit_on_the_target_and_fix_in_place(client, ws, name, text, lid):
    uri = (ws / name).as_uri()
    n = open_doc(client, uri, text, lid)
    diags = await diagnostics(client, uri, 1, n)
    ds = find(diags, "name/transliteration", "Koeleba", text)
    assert len(ds) == 1  # the target's Koeleba, not the (Dutch) source's
    assert ds[0].range.start.line == text[:text.rindex("Koeleba")].count("\n")
    assert "unit" in ds[0].message
    fix = [a for a in await actions(client, uri, ds[0]) if a.edit is not None][0]
    new = apply(text, fix.edit, uri)
    assert new == text[:text.rindex("Koeleba")] + "Kuleba" + text[text.rindex("Koeleba") + 7:]
    # "apply every safe fix" edits the same characters, as `copydesk fix` would
    every = await actions(client, uri, ds[0], only=[T.CodeActionKind.SourceFixAll])
    assert apply(text, every[0].edit, uri) == new
    n = change(client, uri, new, 2)
    assert find(await diagnostics(client, uri, 2, n), "name/transliteration") == []


async def test_a_broken_xliff_is_logged_not_fatal(client: LanguageClient, ws: Path):
    uri = (ws / "broken.xlf").as_uri()
    m = len(client.log_messages)
    n = open_doc(client, uri, "<xliff version='1.2'><file><body><trans-unit", "xml")
    assert await diagnostics(client, uri, 1, n) == []
    assert any("not checked" in x.message and "XLF" in x.message for x in client.log_messages[m:])


# ---- bad input -------------------------------------------------------------------------------------
async def test_binary_and_huge_documents_get_a_message_not_a_crash(client: LanguageClient, ws: Path):
    m, s = len(client.log_messages), len(client.messages)
    uri = (ws / "photo.txt").as_uri()
    n = open_doc(client, uri, "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + "\x00\ufffd" * 500, "plaintext")
    assert await diagnostics(client, uri, 1, n) == []
    big = (ws / "huge.md").as_uri()
    n = open_doc(client, big, "Koeleba said so. " * (20 * 1024 * 1024 // 17))  # 20 MB
    assert await diagnostics(client, big, 1, n) == []
    logs = [x.message for x in client.log_messages[m:]]
    assert any("photo.txt" in x and "binary" in x for x in logs)
    assert any("huge.md" in x and "characters, more than the limit" in x for x in logs)
    assert len(client.messages) > s  # also shown to the user, once per document
    # the server is still there and still checks
    uri = (ws / "after.md").as_uri()
    n = open_doc(client, uri, ARTICLE)
    assert find(await diagnostics(client, uri, 1, n), "name/transliteration", "Koeleba", ARTICLE)
    client.text_document_did_close(T.DidCloseTextDocumentParams(text_document=T.TextDocumentIdentifier(uri=big)))


async def test_the_configuration_s_exclude_and_other_languages_are_left_alone(client: LanguageClient, ws: Path):
    m, s = len(client.log_messages), len(client.messages)
    uri = (ws / "notes.draft.md").as_uri()
    n = open_doc(client, uri, ARTICLE)
    assert await diagnostics(client, uri, 1, n) == []
    assert any("excluded" in x.message for x in client.log_messages[m:])
    assert len(client.messages) == s  # the configuration's choice: logged, not shown
    # a Python file is not an article: nothing is published for it
    n = len(PUBLISHED)
    open_doc(client, (ws / "tool.py").as_uri(), "# Koeleba\n", "python")
    uri = (ws / "later.md").as_uri()
    open_doc(client, uri, ARTICLE)
    await diagnostics(client, uri, 1, n)
    assert not [p for p in PUBLISHED[n:] if p.uri.endswith("tool.py")]


# ---- hover -----------------------------------------------------------------------------------------
async def test_hover_on_a_name_shows_the_glossary_entry(client: LanguageClient, ws: Path):
    uri = (ws / "hover.md").as_uri()
    text = "Talks\n\n\U0001F4F0 Dmytro Kuleba met Vladimir Poetin on Monday.\n"
    n = open_doc(client, uri, text)
    await diagnostics(client, uri, 1, n)

    async def hover(word: str) -> str | None:
        i = text.index(word) + 2
        line = text[:i].count("\n")
        col = len(text[text.rfind("\n", 0, i) + 1:i].encode("utf-16-le")) // 2
        h = await client.text_document_hover_async(T.HoverParams(
            text_document=T.TextDocumentIdentifier(uri=uri), position=T.Position(line=line, character=col)))
        return None if h is None else h.contents.value

    kuleba = await hover("Kuleba")
    assert "dmytro-kuleba" in kuleba and "Дмитро Кулеба" in kuleba  # native form
    assert "Dutch: Dmytro Koeleba" in kuleba and "English: Dmytro Kuleba" in kuleba  # forms per language
    assert "Dmitry Kuleba" in kuleba  # the listed wrong form
    putin = await hover("Poetin")  # a flagged spelling: the finding's term
    assert "vladimir-putin" in putin and "German: Wladimir Putin" in putin
    assert await hover("Monday") is None


# ---- review records and the glossary ----------------------------------------------------------------
async def test_reject_writes_the_review_record_that_check_honours(client: LanguageClient, ws: Path, monkeypatch):
    from qa.project.project import Project
    from qa.project.records import REJECTED, load_record

    path = ws / "reject.md"
    text = "Kyiv talks\n\nKoeleba said Poetin lost. Later Poetin left.\n"
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    n = open_doc(client, uri, text)
    diags = await diagnostics(client, uri, 1, n)
    d = find(diags, "name/transliteration", "Koeleba", text)[0]
    acts = {a.title: a for a in await actions(client, uri, d)}
    reject = next(a for t, a in acts.items() if "reject this finding" in t)
    n = len(PUBLISHED)
    msg = await client.workspace_execute_command_async(T.ExecuteCommandParams(
        command=reject.command.command, arguments=reject.command.arguments))
    assert "rejected" in msg
    after = await diagnostics(client, uri, 1, n)
    assert find(after, "name/transliteration", "Koeleba", text) == []
    assert len(find(after, "name/transliteration", "Poetin", text)) == 2
    rec = load_record(path)
    assert [(x.rule, x.text, x.status) for x in rec.decisions] == [("name/transliteration", "Koeleba", REJECTED)]
    assert rec.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()  # the file's bytes, as the TUI records
    # the command line reads the same record: the finding stays quiet there too
    monkeypatch.chdir(ws)  # as `copydesk check` run in the workspace
    res = Project.from_options().item_checker.check_path(str(path))
    assert [f.text for f in res.findings if f.rule == "name/transliteration"] == ["Poetin", "Poetin"]

    # "reject this rule here": every finding of the rule in the article, scope "rule"
    d = find(after, "name/transliteration", "Poetin", text)[0]
    rule = next(a for a in await actions(client, uri, d) if "everywhere in this article" in a.title)
    n = len(PUBLISHED)
    await client.workspace_execute_command_async(T.ExecuteCommandParams(
        command=rule.command.command, arguments=rule.command.arguments))
    assert find(await diagnostics(client, uri, 1, n), "name/transliteration") == []
    rec = load_record(path)
    assert sorted((x.text, x.scope) for x in rec.decisions if x.text == "Poetin") == [("Poetin", "rule")] * 2


async def test_a_stale_action_is_refused(client: LanguageClient, ws: Path):
    path = ws / "stale.md"
    text = "Kyiv talks\n\nKoeleba said so.\n"
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    n = open_doc(client, uri, text)
    d = find(await diagnostics(client, uri, 1, n), "name/transliteration")[0]
    reject = next(a for a in await actions(client, uri, d) if a.command and a.command.command == "copydesk.reject")
    n = change(client, uri, "Kyiv talks\n\nYesterday Koeleba said so.\n", 2)
    await diagnostics(client, uri, 2, n)
    s = len(client.messages)
    assert await client.workspace_execute_command_async(T.ExecuteCommandParams(
        command=reject.command.command, arguments=reject.command.arguments)) is None
    assert "changed" in client.messages[s].message
    from qa.project.records import load_record

    assert load_record(path) is None


async def test_untitled_documents_get_no_record_actions(client: LanguageClient, ws: Path):
    uri = "untitled:Untitled-1"
    n = open_doc(client, uri, ARTICLE, "markdown")
    d = find(await diagnostics(client, uri, 1, n), "name/transliteration", "Koeleba", ARTICLE)[0]
    titles = [a.title for a in await actions(client, uri, d)]
    assert titles and not any("reject" in t for t in titles)


async def test_the_server_watches_toml_files(client: LanguageClient):
    watchers = [w["globPattern"] for r in REGISTRATIONS for reg in r.registrations  # options arrive as JSON
                if reg.method == T.WORKSPACE_DID_CHANGE_WATCHED_FILES for w in reg.register_options["watchers"]]
    assert "**/*.toml" in watchers


async def test_a_glossary_change_reloads_it(client: LanguageClient, ws: Path):
    uri = (ws / "reload.md").as_uri()
    text = "Odesa talks\n\nThe mayor of Odessa said the Odesskiy port is open.\n"
    n = open_doc(client, uri, text)
    assert find(await diagnostics(client, uri, 1, n), "name/wrong-form") == []
    g = ws / "desk.toml"
    g.write_text(g.read_text(encoding="utf-8") + '\n[[term]]\nid = "odesa"\nkind = "place"\nforms.en = "Odesa"\n'
                 'wrong.en = ["Odessa"]\n', encoding="utf-8")
    n = len(PUBLISHED)
    client.workspace_did_change_watched_files(T.DidChangeWatchedFilesParams(
        changes=[T.FileEvent(uri=g.as_uri(), type=T.FileChangeType.Changed)]))
    assert find(await diagnostics(client, uri, 1, n), "name/wrong-form", "Odessa", text)

    # a glossary that no longer loads: said in one line, the previous one kept
    good = g.read_text(encoding="utf-8")
    g.write_text(good + "\n[[term]]\nid = 'broken'\nforms.en = \n", encoding="utf-8")
    s = len(client.messages)
    client.workspace_did_change_watched_files(T.DidChangeWatchedFilesParams(
        changes=[T.FileEvent(uri=g.as_uri(), type=T.FileChangeType.Changed)]))
    msg = await asyncio.wait_for(_next_message(client, s), TIMEOUT)
    assert msg.type == T.MessageType.Error and "desk.toml" in msg.message and "kept" in msg.message
    assert "\n" not in msg.message
    # the previous glossary is still in use: the open document is as it was
    n = change(client, uri, text, 2)
    diags = await diagnostics(client, uri, 2, n)
    assert find(diags, "name/wrong-form", "Odessa", text) and not find(diags, "name/wrong-form", "Odesskiy", text)

    # mended and saved in the editor: didSave reloads too
    g.write_text(good.replace('wrong.en = ["Odessa"]', 'wrong.en = ["Odessa", "Odesskiy"]\n'
                              'note = "Ukrainian port city on the Black Sea"'), encoding="utf-8")
    n = len(PUBLISHED)
    client.text_document_did_save(T.DidSaveTextDocumentParams(text_document=T.TextDocumentIdentifier(uri=g.as_uri())))
    assert find(await diagnostics(client, uri, 2, n), "name/wrong-form", "Odesskiy", text)
    h = await client.text_document_hover_async(T.HoverParams(
        text_document=T.TextDocumentIdentifier(uri=uri), position=T.Position(line=2, character=16)))
    assert "Ukrainian port city on the Black Sea" in h.contents.value and "Odesskiy" in h.contents.value


async def _next_message(client: LanguageClient, since: int):
    while len(client.messages) <= since:
        await client.wait_for_notification(T.WINDOW_SHOW_MESSAGE)
    return client.messages[since]


async def test_learn_adds_the_form_to_the_glossary_and_quiets_it(client: LanguageClient, ws: Path):
    from qa.project.records import REJECTED, load_record
    from qa.text.glossary import load_glossary_file

    path = ws / "learn.md"
    text = "Kherson\n\nThe Zorkivka district head said the bridge is open.\n"
    path.write_text(text, encoding="utf-8")
    g = ws / "desk.toml"
    g.write_text(g.read_text(encoding="utf-8") + '\n[[term]]\nid = "zorkivka"\nkind = "place"\n'
                 'forms.en = "Zirkivka"\nwrong.en = ["Zorkivka"]\n', encoding="utf-8")
    n = len(PUBLISHED)
    client.workspace_did_change_watched_files(T.DidChangeWatchedFilesParams(
        changes=[T.FileEvent(uri=g.as_uri(), type=T.FileChangeType.Changed)]))
    await asyncio.sleep(0)
    n = open_doc(client, uri := path.as_uri(), text)
    d = find(await diagnostics(client, uri, 1, n), "name/wrong-form", "Zorkivka", text)[0]
    learn = next(a for a in await actions(client, uri, d) if a.command and a.command.command == "copydesk.learn")
    assert "Zorkivka" in learn.title and "zorkivka" in learn.title and "desk.toml" in learn.title
    n = len(PUBLISHED)
    msg = await client.workspace_execute_command_async(T.ExecuteCommandParams(
        command=learn.command.command, arguments=learn.command.arguments))
    assert "Zorkivka" in msg
    assert find(await diagnostics(client, uri, 1, n), "name/wrong-form") == []
    term = load_glossary_file(g).by_id()["zorkivka"]
    assert "Zorkivka" in term.forms["en"] and "Zorkivka" not in term.wrong.get("en", ())
    assert [(x.text, x.status) for x in load_record(path).decisions] == [("Zorkivka", REJECTED)]
