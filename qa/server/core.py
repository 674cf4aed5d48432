"""Every call ``copydesk serve`` makes into the core, in one place.

The HTTP layer (:mod:`qa.server.app`) speaks only to :class:`Core`: it holds
the project the command line built (the front door, :class:`Project`; its
glossary compiled once at start-up) and answers each request with the same
services and the same ``copydesk.check/1`` rendering as ``copydesk check``.
A request's own target language and rule selection make a *variant* of that
project which shares the compiled glossary indexes (no compilation per
request); variants are cached.

Nothing a request sends reaches the file system: texts and bilingual file
contents are checked from memory, and the names they carry are labels only.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Sequence

from qa import __version__
from qa.engine.checker import Checker
from qa.engine.registry import RULES, SelectionError, resolve_selection
from qa.model.langs import LanguageError, check_language
from qa.project.project import Project, warm_up
from qa.project.settings import Settings
from qa.report.render import SCHEMA

VERSION = __version__
BILINGUAL_FORMATS = {"xliff": ".xlf", "po": ".po", "tmx": ".tmx"}
FORMATS = ("text", *BILINGUAL_FORMATS)


class RequestError(ValueError):
    """A request that cannot be answered: ``str(e)`` is one line (HTTP 422)."""


class NotFound(LookupError):
    """An unknown rule (HTTP 404)."""


@dataclass
class Outcome:
    """One checked request: its ``files[]`` entry of ``copydesk.check/1``
    and the findings (for the metrics and the LanguageTool view)."""

    doc: dict
    findings: list
    text: str
    language: str | None


class Core:
    """The project the server answers with, plus per-request variants."""

    MAX_VARIANTS = 64

    def __init__(self, project: Project) -> None:
        self.project = project
        self._variants: OrderedDict[tuple, Project] = OrderedDict()
        self._lock = threading.Lock()
        self._rule_docs: dict[str, dict] = {}

    @classmethod
    def from_settings_json(cls, settings_json: str) -> "Core":
        return cls(Project(Settings.from_json(settings_json)))

    def warm(self) -> None:
        """Compile the glossary and load what the rules load lazily, before the first request."""
        warm_up(self.project)

    @property
    def lang(self) -> str:
        return self.project.lang

    # ---- projects ---------------------------------------------------------------------------
    def variant(self, lang: str | None, select: Sequence[str] | None, ignore: Sequence[str] | None) -> Project:
        """The project with a request's language and rule selection (``None``:
        the server's), sharing the base project's compiled glossary indexes."""
        try:
            lang = check_language(lang, allow_auto=True) if lang else self.project.lang
        except LanguageError as e:
            raise RequestError(str(e)) from None
        base = self.project.settings
        sel = list(select) if select else base.select
        ign = list(ignore) if ignore else base.ignore
        key = (lang, tuple(sel or ()), tuple(ign or ()), sel is None, ign is None)
        with self._lock:
            p = self._variants.get(key)
            if p is not None:
                self._variants.move_to_end(key)
                return p
        try:
            resolve_selection(sel, ign)
        except SelectionError as e:
            raise RequestError(str(e)) from None
        p = Project(base.replace(lang=lang, select=sel, ignore=ign))
        shared = self.project.checker
        c = Checker(index=None, lang=lang, select=sel, ignore=ign, glossary=shared.glossary)
        # share the compiled indexes of every language (a dict: each compiled once, by whoever asks first)
        c._indexes = shared._indexes
        p._checker = c
        with self._lock:
            self._variants[key] = p
            while len(self._variants) > self.MAX_VARIANTS:
                self._variants.popitem(last=False)
        return p

    # ---- checking -----------------------------------------------------------------------------
    def check(self, text: str, *, fmt: str = "text", name: str = "request", lang: str | None = None,
              source: str | None = None, source_lang: str | None = None, select=None, ignore=None,
              fix: bool = False, unsafe: bool = False) -> Outcome:
        """Check (and with ``fix``, fix) one text or bilingual file content."""
        if fmt not in FORMATS:
            raise RequestError(f"unknown format {fmt!r} (use one of: {', '.join(FORMATS)})")
        if source_lang:
            try:
                source_lang = check_language(source_lang)
            except LanguageError as e:
                raise RequestError(f"source_lang: {e}") from None
        project = self.variant(lang, select, ignore)
        if fmt != "text":
            if source is not None:
                raise RequestError(f"a {fmt} file carries its own source; `source` is for plain text")
            return self._check_bilingual(project, text, fmt, name, source_lang, lang is not None, fix, unsafe)
        shared = None
        info = None
        if source is not None:
            from qa.engine.bilingual import SourceLanguageError, align_plain, detect_source_language, shared_for

            try:
                slang = source_lang or detect_source_language(source)
            except SourceLanguageError as e:
                raise RequestError(f"source: {e}") from None
            info = align_plain(project.checker, source, text, slang)
            info.path = f"{name} (source)"
            shared = shared_for(info)
        findings, language = project.item_checker.check_content(text, name, shared=shared, key=name)
        from qa.model.results import ItemResult

        res = ItemResult(path=name, item=name, key=name, kind="text", findings=findings, language=language,
                         text=text, source=info, chars=len(text))
        doc = res.to_json()
        if fix:
            from qa.services.fixing import fix_result

            fixed = fix_result(res, unsafe=unsafe)
            doc["fixed"] = {"text": fixed.new, "applied": fixed.applied, "left": fixed.left}
        return Outcome(doc, findings, text, language)

    def _check_bilingual(self, project: Project, content: str, fmt: str, name: str, source_lang: str | None,
                         lang_given: bool, fix: bool, unsafe: bool) -> Outcome:
        from qa.services.bilingual import BilingualUsageError, check_bilingual
        from qa.sources.bilingual_files import BilingualError, parse_bilingual

        if content.startswith("\ufeff"):
            content = content[1:]
        try:
            bf = parse_bilingual(content, BILINGUAL_FORMATS[fmt], name)
        except BilingualError as e:
            raise RequestError(str(e)) from None
        try:
            r = check_bilingual(project, bf, source_lang, lang_given)
        except (BilingualUsageError, LanguageError) as e:
            raise RequestError(str(e)) from None
        if r.error:
            raise RequestError(r.error)
        res = r.as_item_result()
        res.item = name
        doc = res.to_json()  # as `copydesk check FILE.xlf --format json` renders it
        if fix:
            from qa.services.fixing import fix_pair

            fixed = fix_pair(r, unsafe=unsafe)
            doc["fixed"] = {"text": fixed.new, "applied": fixed.applied, "left": fixed.left}
        return Outcome(doc, res.findings, content, res.language)

    @staticmethod
    def report(outcomes: Sequence[Outcome]) -> dict:
        """The ``copydesk.check/1`` document (the CLI's ``--format json``)."""
        return {"schema": SCHEMA, "files": [o.doc for o in outcomes]}

    # ---- rules and glossary -------------------------------------------------------------------
    @staticmethod
    def rules() -> list[dict]:
        """What ``copydesk rules --format json`` lists."""
        return [dict(id=r.id, severity=str(r.severity), summary=r.summary, explanation=r.explanation)
                for r in sorted(RULES.values(), key=lambda r: r.id)]

    @staticmethod
    def rule_info(rule_id: str):
        return RULES.get(rule_id)

    def rule_doc(self, rule_id: str) -> dict:
        """``copydesk rules RULE --format json`` (its examples are run once, then kept)."""
        from qa.services.rule_docs import explain, find_rule

        try:
            rid = find_rule(rule_id).id
        except SelectionError as e:
            raise NotFound(str(e)) from None
        with self._lock:
            doc = self._rule_docs.get(rid)
        if doc is None:
            doc = explain(rid)
            with self._lock:
                self._rule_docs[rid] = doc
        return doc

    def glossary_terms(self, q: str, lang: str | None = None, limit: int = 20) -> list[dict]:
        """Glossary terms whose id or any form (accepted, native, wrong) contains
        ``q`` (case- and accent-insensitive), exact matches first."""
        needle = _fold(q.strip())
        glossary = self.project.glossary
        hits = []
        for t in glossary.terms:
            forms = [t.id, *(f for fs in t.forms.values() for f in fs), *(f for fs in t.native.values() for f in fs),
                     *(f for fs in t.wrong.values() for f in fs)]
            folded = [_fold(f) for f in forms]
            if needle and not any(needle in f for f in folded):
                continue
            rank = 0 if needle in folded else 1
            hits.append((rank, t.id, t))
        hits.sort(key=lambda x: (x[0], x[1]))
        out = []
        for _rank, _id, t in hits[:limit]:
            out.append({"id": t.id, "kind": t.kind, "preferred": t.preferred(lang or self.lang),
                        "forms": {k: list(v) for k, v in t.forms.items()},
                        "native": {k: list(v) for k, v in t.native.items()},
                        "wrong": {k: list(v) for k, v in t.wrong.items()}, "note": t.note})
        return out


def _fold(s: str) -> str:
    """Case- and accent-insensitive form for the desk's look-up (Zelenskyj = zelenskyj, É = e)."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", s.casefold()) if not unicodedata.combining(c))
