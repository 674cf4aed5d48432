"""``copydesk lsp``: a language server (pygls) for Markdown, plain-text, PO and
XLIFF documents.

The protocol side only: documents, positions, diagnostics, code actions,
commands and hovers. What is checked, and what a reviewer's decision writes,
is asked of :class:`qa.lsp.core.Desk` (the same project, review records and
glossary learning as ``copydesk check`` and ``copydesk review``).

Positions: the core counts code points; LSP counts UTF-16 code units by
default (or what the client and server agreed at initialisation) and breaks
lines at ``\\n``, ``\\r\\n`` and ``\\r`` only. :class:`Lines` converts, with
the position codec pygls negotiated. (pygls's own ``TextDocument`` helpers
split lines with ``str.splitlines``, which also breaks at U+2028, U+0085,
form feeds…, so they are not used for offsets.)
"""
from __future__ import annotations

import asyncio
import os
import re
import sys
from bisect import bisect_right
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from lsprotocol import types as T
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from qa import __version__
from qa.lsp.core import Desk, DeskError, DocCheck, Options, document_kind, reload_reason
from qa.model.findings import describe_fix

SEVERITY = {"error": T.DiagnosticSeverity.Error, "warning": T.DiagnosticSeverity.Warning,
            "info": T.DiagnosticSeverity.Information}
FIX_ALL = T.CodeActionKind.SourceFixAll  # "source.fixAll"
CMD_REJECT, CMD_REJECT_RULE, CMD_LEARN = "copydesk.reject", "copydesk.rejectRule", "copydesk.learn"
DEBOUNCE = 0.3  # seconds of quiet after a change before the document is checked again
_EOL = re.compile(r"\r\n|\r|\n")


class Lines:
    """Offsets (code points) ↔ LSP positions for one text."""

    def __init__(self, text: str, codec) -> None:
        self.text = text
        self.codec = codec
        self.starts = [0] + [m.end() for m in _EOL.finditer(text)]

    def position(self, offset: int) -> T.Position:
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.starts, offset) - 1
        return T.Position(line=line, character=self.codec.client_num_units(self.text[self.starts[line]:offset]))

    def range(self, start: int, end: int) -> T.Range:
        return T.Range(start=self.position(start), end=self.position(end))

    def offset(self, pos: T.Position) -> int:
        if pos.line >= len(self.starts):
            return len(self.text)
        s = self.starts[pos.line]
        e = self.starts[pos.line + 1] if pos.line + 1 < len(self.starts) else len(self.text)
        line = self.text[s:e].rstrip("\r\n")
        units = 0
        for i, ch in enumerate(line):
            if units >= pos.character:
                return s + i
            units += self.codec.client_num_units(ch)
        return s + len(line)


_UNSET = object()


@dataclass
class Checked:
    version: int | None
    check: DocCheck
    lines: Lines
    fix_all: object = _UNSET  # Desk.fix_all's answer, once asked


class CopydeskServer(LanguageServer):
    def __init__(self, options: Options, debounce: float = DEBOUNCE) -> None:
        # whole-document sync: pygls applies incremental changes by its str.splitlines() lines, which
        # also break at U+2028, U+0085 (NEL, a C1 control mojibake leaves in news text) and form
        # feeds, where the editor's lines do not; an article is a few kilobytes, so the whole text
        # per change costs nothing and the server's copy is always the editor's
        super().__init__("copydesk", __version__, text_document_sync_kind=T.TextDocumentSyncKind.Full)
        self.options = options
        self.debounce = debounce
        self.desk: Desk | None = None
        self.root: str | None = None
        self.checked: dict[str, Checked] = {}
        self.tasks: dict[str, asyncio.Task] = {}
        self.told: dict[str, str] = {}  # uri -> the last reason shown for not checking it
        self.ready: asyncio.Future | None = None
        # one worker thread: checks run one at a time off the event loop (the project is not re-entrant)
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="copydesk-check")

    # ---- messages --------------------------------------------------------------------------------
    def log(self, message: str, kind: T.MessageType = T.MessageType.Info) -> None:
        self.window_log_message(T.LogMessageParams(type=kind, message=message))

    def show(self, message: str, kind: T.MessageType = T.MessageType.Warning) -> None:
        self.log(message, kind)
        self.window_show_message(T.ShowMessageParams(type=kind, message=message))

    async def run(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self.pool, fn, *args)

    # ---- the project -----------------------------------------------------------------------------
    async def start_desk(self) -> None:
        self.ready = asyncio.get_running_loop().create_future()
        try:
            self.desk = await self.run(Desk, self.root, self.options)
            self.log(self.desk.describe())
        except DeskError as e:
            self.show(f"copydesk: {e}; documents are not checked until it is mended", T.MessageType.Error)
        except Exception as e:  # a bug: reported, the server stays up
            self.show(f"copydesk: internal error: {type(e).__name__}: {e} (please report this)", T.MessageType.Error)
        self.ready.set_result(self.desk is not None)

    async def get_desk(self) -> Desk | None:
        if self.ready is None:
            await self.start_desk()
        await asyncio.shield(self.ready)
        return self.desk

    async def reload(self, paths: list[str]) -> None:
        if self.desk is None:
            self.ready = None
            await self.get_desk()
        else:
            try:
                await self.run(self.desk.load)
            except DeskError as e:
                self.show(f"copydesk: {e} (the previous configuration and glossaries are kept)",
                          T.MessageType.Error)
                return
            self.log(reload_reason(paths) + "; " + self.desk.describe())
        self.recheck_all()

    def recheck_all(self) -> None:
        """Check every open document copydesk checks again (after the project changed)."""
        for uri, doc in list(self.workspace.text_documents.items()):
            if document_kind(self.path_of(uri), doc.language_id) is not None:
                self.schedule(uri, 0)

    def path_of(self, uri: str) -> str:
        return to_fs_path(uri) if uri.startswith("file:") else uri

    # ---- checking --------------------------------------------------------------------------------
    def schedule(self, uri: str, delay: float) -> None:
        old = self.tasks.pop(uri, None)
        if old is not None:
            old.cancel()
        self.tasks[uri] = asyncio.ensure_future(self._check_later(uri, delay))

    async def _check_later(self, uri: str, delay: float) -> None:
        try:
            if delay:
                await asyncio.sleep(delay)
            await self.check_now(uri)
        except asyncio.CancelledError:
            pass
        finally:
            if self.tasks.get(uri) is asyncio.current_task():
                del self.tasks[uri]

    async def check_now(self, uri: str) -> Checked | None:
        desk = await self.get_desk()
        if desk is None:
            return None
        doc = self.workspace.get_text_document(uri)
        text, version, lid = doc.source, doc.version, doc.language_id
        try:
            check = await self.run(desk.check, self.path_of(uri), text, lid)
        except Exception as e:  # a bug: said in one line, the server stays up
            self.show(f"copydesk: internal error checking {uri}: {type(e).__name__}: {e} (please report this)",
                      T.MessageType.Error)
            return None
        cur = self.workspace.get_text_document(uri)
        if cur.version != version or cur.source != text:
            return None  # changed meanwhile: a newer check is scheduled
        checked = Checked(version, check, Lines("" if check.error else text, self.workspace.position_codec))
        self.checked[uri] = checked
        if check.error:
            self.log(f"copydesk: {self.path_of(uri)}: {check.error}",
                     T.MessageType.Info if check.quiet else T.MessageType.Warning)
            if self.told.get(uri) != check.error and not check.quiet:
                self.told[uri] = check.error
                self.window_show_message(T.ShowMessageParams(type=T.MessageType.Warning,
                                                             message=f"copydesk: {check.error}"))
        else:
            self.told.pop(uri, None)
        self.text_document_publish_diagnostics(T.PublishDiagnosticsParams(
            uri=uri, version=version, diagnostics=self.diagnostics(checked)))
        return checked

    def diagnostics(self, c: Checked) -> list[T.Diagnostic]:
        out = []
        for i, df in enumerate(c.check.findings):
            f = df.finding
            msg = f.message
            if f.data.get("unit"):
                msg += f" [unit {f.data['unit']}]"
            d = describe_fix(f)
            if d:
                msg += f"\n{d}"
            out.append(T.Diagnostic(range=c.lines.range(df.start, df.end), message=msg, severity=SEVERITY.get(
                str(f.severity), T.DiagnosticSeverity.Warning), code=f.rule, source="copydesk",
                data={"index": i, "version": c.version}))
        return out

    async def current(self, uri: str) -> Checked | None:
        """The check of the document as it is now (checked now when the last one is stale)."""
        c = self.checked.get(uri)
        doc = self.workspace.get_text_document(uri)
        if c is not None and c.check.text == doc.source:
            return c
        task = self.tasks.pop(uri, None)
        if task is not None:
            task.cancel()
        return await self.check_now(uri)

    # ---- code actions ----------------------------------------------------------------------------
    def edit(self, uri: str, c: Checked, edits) -> T.WorkspaceEdit:
        return T.WorkspaceEdit(document_changes=[T.TextDocumentEdit(
            text_document=T.OptionalVersionedTextDocumentIdentifier(uri=uri, version=c.version),
            edits=[T.TextEdit(range=c.lines.range(e.start, e.end), new_text=e.replacement) for e in edits])])

    def actions(self, uri: str, c: Checked, rng: T.Range, only: list[str] | None) -> list[T.CodeAction]:
        a, b = c.lines.offset(rng.start), c.lines.offset(rng.end)
        out: list[T.CodeAction] = []
        diags = self.diagnostics(c)
        want_fix = not only or any(k == T.CodeActionKind.QuickFix or k.startswith("quickfix") for k in only)
        want_all = not only or any(FIX_ALL.startswith(k) or k.startswith(FIX_ALL) for k in only)
        if want_fix:
            for i, df in enumerate(c.check.findings):
                if not (df.start <= b and a <= df.end):
                    continue
                f, diag = df.finding, [diags[i]]
                if df.fix is not None:
                    d = describe_fix(f) or "fix"
                    out.append(T.CodeAction(title=f"copydesk: {d.split(': ', 1)[-1]} ({f.rule})",
                                            kind=T.CodeActionKind.QuickFix, diagnostics=diag,
                                            is_preferred=df.safe, edit=self.edit(uri, c, df.fix)))
                for alt, edits in df.alternatives:
                    out.append(T.CodeAction(title=f"copydesk: replace with ‘{alt}’", kind=T.CodeActionKind.QuickFix,
                                            diagnostics=diag, edit=self.edit(uri, c, edits)))
                arg = {"uri": uri, "version": c.version, "index": i, "rule": f.rule, "start": df.start}
                if self.desk.can_record(c.check):
                    out.append(T.CodeAction(
                        title="copydesk: reject this finding here (a false alarm; kept in the review record)",
                        kind=T.CodeActionKind.QuickFix, diagnostics=diag,
                        command=T.Command(title="reject", command=CMD_REJECT, arguments=[arg])))
                    out.append(T.CodeAction(
                        title=f"copydesk: reject {f.rule} everywhere in this article",
                        kind=T.CodeActionKind.QuickFix, diagnostics=diag,
                        command=T.Command(title="reject rule", command=CMD_REJECT_RULE, arguments=[arg])))
                plan = self.desk.learn_plan(c.check, i)
                if plan is not None:
                    out.append(T.CodeAction(title=f"copydesk: {plan[0]}", kind=T.CodeActionKind.QuickFix,
                                            diagnostics=diag,
                                            command=T.Command(title="learn", command=CMD_LEARN, arguments=[arg])))
        if want_all:
            if c.fix_all is _UNSET:  # once per checked version: editors ask on every cursor move
                c.fix_all = self.desk.fix_all(c.check)
            if c.fix_all is not None:
                edit, n = c.fix_all
                out.append(T.CodeAction(title=f"copydesk: apply the {n} safe fix{'es' if n != 1 else ''}",
                                        kind=FIX_ALL, edit=self.edit(uri, c, [edit])))
        return out

    async def run_command(self, name: str, arg: dict) -> str | None:
        uri = arg.get("uri") if isinstance(arg, dict) else None
        c = self.checked.get(uri) if uri else None
        i = arg.get("index") if isinstance(arg, dict) else None
        ok = c is not None and isinstance(i, int) and 0 <= i < len(c.check.findings) \
            and c.version == arg.get("version") and c.check.findings[i].finding.rule == arg.get("rule") \
            and c.check.findings[i].start == arg.get("start")
        if not ok:
            self.show("copydesk: the document changed since that action was offered; ask for it again")
            return None
        try:
            if name == CMD_LEARN:
                msg = await self.run(self.desk.learn, c.check, i)
                self.recheck_all()
            else:
                msg = await self.run(self.desk.reject, c.check, i, name == CMD_REJECT_RULE)
                await self.check_now(uri)
        except DeskError as e:
            self.show(f"copydesk: {e}", T.MessageType.Error)
            return None
        self.log(f"copydesk: {msg}")
        return msg

    # ---- hover -----------------------------------------------------------------------------------
    async def hover(self, uri: str, pos: T.Position) -> T.Hover | None:
        c = await self.current(uri)
        if c is None or self.desk is None or c.check.error:
            return None
        offset = c.lines.offset(pos)
        term = await self.run(self.desk.term_at, c.check, c.check.text, offset)
        if term is None:
            return None
        return T.Hover(contents=T.MarkupContent(kind=T.MarkupKind.Markdown,
                                                value=self.desk.describe_term(term, c.check.language)))


def make_server(options: Options, debounce: float = DEBOUNCE) -> CopydeskServer:
    server = CopydeskServer(options, debounce)

    @server.feature(T.INITIALIZE)
    def initialize(ls: CopydeskServer, params: T.InitializeParams) -> None:
        folders = params.workspace_folders or []
        uri = folders[0].uri if folders else params.root_uri
        ls.root = to_fs_path(uri) if uri else params.root_path
        if ls.root and os.path.isdir(ls.root):
            # as if copydesk were run in the workspace: the configuration's relative paths,
            # and the article keys of fingerprints, are relative to the working directory
            os.chdir(ls.root)
        opts = params.initialization_options
        if isinstance(opts, dict):  # the client's settings win over the command line's
            o = ls.options
            for key, attr in (("glossary", "glossary"), ("select", "select"), ("ignore", "ignore")):
                v = opts.get(key)
                if isinstance(v, str):
                    v = [v]
                if isinstance(v, list) and all(isinstance(x, str) for x in v):
                    setattr(o, attr, v)
            for key, attr in (("lang", "lang"), ("config", "config"), ("learnInto", "learn_into")):
                if isinstance(opts.get(key), str):
                    setattr(o, attr, opts[key])
            if isinstance(opts.get("maxChars"), int):
                o.max_chars = opts["maxChars"]
            if isinstance(opts.get("debounce"), (int, float)):
                ls.debounce = max(0.0, opts["debounce"] / 1000)

    @server.feature(T.INITIALIZED)
    async def initialized(ls: CopydeskServer, params: T.InitializedParams) -> None:
        caps = ls.client_capabilities.workspace
        if caps and caps.did_change_watched_files and caps.did_change_watched_files.dynamic_registration:
            try:
                await ls.client_register_capability_async(T.RegistrationParams(registrations=[T.Registration(
                    id="copydesk-watch", method=T.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                    register_options=T.DidChangeWatchedFilesRegistrationOptions(
                        watchers=[T.FileSystemWatcher(glob_pattern="**/*.toml")]))]))
            except Exception as e:  # the client refused: the glossary reloads on save instead
                ls.log(f"copydesk: no file watching ({e}); a glossary reloads when saved in the editor")
        await ls.get_desk()

    @server.feature(T.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: CopydeskServer, params: T.DidOpenTextDocumentParams) -> None:
        d = params.text_document
        if document_kind(ls.path_of(d.uri), d.language_id) is not None:
            ls.checked.pop(d.uri, None)
            ls.schedule(d.uri, 0)

    @server.feature(T.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: CopydeskServer, params: T.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        doc = ls.workspace.get_text_document(uri)
        if document_kind(ls.path_of(uri), doc.language_id) is not None:
            ls.schedule(uri, ls.debounce)

    @server.feature(T.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: CopydeskServer, params: T.DidSaveTextDocumentParams) -> None:
        path = ls.path_of(params.text_document.uri)
        if ls.desk.affects(path) if ls.desk is not None else path.endswith(".toml"):
            await ls.reload([path])

    @server.feature(T.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: CopydeskServer, params: T.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        task = ls.tasks.pop(uri, None)
        if task is not None:
            task.cancel()
        if ls.checked.pop(uri, None) is not None:
            ls.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        ls.told.pop(uri, None)

    @server.feature(T.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def watched(ls: CopydeskServer, params: T.DidChangeWatchedFilesParams) -> None:
        paths = [ls.path_of(ch.uri) for ch in params.changes]
        if any(ls.desk.affects(p) if ls.desk is not None else p.endswith(".toml") for p in paths):
            await ls.reload(paths)

    @server.feature(T.TEXT_DOCUMENT_CODE_ACTION, T.CodeActionOptions(
        code_action_kinds=[T.CodeActionKind.QuickFix, FIX_ALL]))
    async def code_action(ls: CopydeskServer, params: T.CodeActionParams) -> list[T.CodeAction] | None:
        c = await ls.current(params.text_document.uri)
        if c is None or ls.desk is None:
            return None
        return ls.actions(params.text_document.uri, c, params.range, params.context.only)

    @server.feature(T.TEXT_DOCUMENT_HOVER)
    async def hover(ls: CopydeskServer, params: T.HoverParams) -> T.Hover | None:
        return await ls.hover(params.text_document.uri, params.position)

    @server.command(CMD_REJECT)
    async def reject(ls: CopydeskServer, *args):
        return await ls.run_command(CMD_REJECT, args[0] if args else None)

    @server.command(CMD_REJECT_RULE)
    async def reject_rule(ls: CopydeskServer, *args):
        return await ls.run_command(CMD_REJECT_RULE, args[0] if args else None)

    @server.command(CMD_LEARN)
    async def learn(ls: CopydeskServer, *args):
        return await ls.run_command(CMD_LEARN, args[0] if args else None)

    return server


def serve(options: Options, debounce: float = DEBOUNCE) -> int:
    """Run the server on standard input and output until the client says exit.

    The protocol gets its own handle on standard output (pygls closes it at
    ``exit``, and the command line flushes ``sys.stdout`` afterwards), and
    ``sys.stdout`` points at standard error meanwhile, so that a stray
    ``print`` cannot corrupt the message stream."""
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    saved, sys.stdout = sys.stdout, sys.stderr
    try:
        make_server(options, debounce).start_io(sys.stdin.buffer, out)
    finally:
        sys.stdout = saved
    return 0
