"""The "check one item" service: what a :class:`~qa.project.project.Project`
hands every command (``project.item_checker``), a worker process or a Dask
worker (:func:`qa.project.project.project_for`).

It runs the engine (:meth:`qa.engine.checker.Checker.check_text`, the raw
findings of one text) and finishes its findings the project's way: the
configured severities, a fingerprint per finding, the findings a reviewer
rejected dropped (review records), and a source aligned when the item names
one. A check goes down the layers from here (sources, engine) and never
calls back into the project.
"""
from __future__ import annotations

import hashlib

from qa.engine.checker import Checker
from qa.model.findings import Finding, Severity
from qa.model.results import ItemResult
from qa.project.settings import Settings
from qa.sources.items import InputError, Item, html_to_text, read_article, stable_key

__all__ = ["ItemChecker"]


class ItemChecker:
    """Checks items with a project's compiled checker and settings (thread-safe:
    it holds no per-item state)."""

    def __init__(self, checker: Checker, settings: Settings) -> None:
        self.checker = checker
        self.settings = settings
        self.lang = checker.lang

    def check_content(self, text: str, path: str | None = None, shared: dict | None = None,
                      key: str | None = None) -> tuple[list[Finding], str]:
        """Findings of ``text`` (one item's content, or one unit of a bilingual
        file) with the project's severities, and fingerprints when ``key`` names
        the item; and the language it was checked as. (The engine's
        :meth:`~qa.engine.checker.Checker.check_text` gives the raw findings.)"""
        findings, lang = self.checker.check_text(text, path, shared=shared)
        sev = self.settings.severity
        for f in findings:
            if sev and f.rule in sev:
                f.severity = Severity(sev[f.rule])
            if key is not None:
                f.fingerprint = fingerprint(key, f.rule, f.term, f.text, text, f.start, f.end)
        return findings, lang

    def check_item(self, item: Item, shared: dict | None = None) -> ItemResult:
        """Check one input; never raises for a bad input (the result carries the error)."""
        kind, name, path, payload, key = item
        res = ItemResult(path=path, item=name, key=key, kind=kind)
        if kind == "error":
            res.error = payload
            return res
        try:
            if kind == "text":
                text = payload["text"] if isinstance(payload, dict) else payload  # dict: a paired record
            else:
                art = read_article(path)
                res.encoding, res.bom = art.encoding, art.bom
                text = html_to_text(art.text) if kind == "html" else art.text
            if isinstance(payload, dict) and payload.get("source"):  # audit --source-dir, check --source
                shared = self.source_shared(payload["source"], payload.get("source_lang"), text,
                                            payload.get("source_text"))
                res.source = shared["source"]
            findings, lang = self.check_content(text, path, shared=shared, key=key)
        except InputError as e:
            res.error = str(e)
            return res
        if self.settings.records and kind == "file" and findings:
            from qa.project.records import filter_rejected

            findings = filter_rejected(path, text, findings)
        res.findings, res.language, res.text = findings, lang, text
        res.chars = len(text)
        return res

    def check_path(self, path: str) -> ItemResult:
        return self.check_item(Item("file", path, path, None, stable_key(path)))

    def source_shared(self, source_path: str, source_lang: str | None, target_text: str,
                      source_text: str | None = None) -> dict:
        """What the target document carries so the bilingual rules see its
        source (a plain file, an HTML page's text, or a paired record's
        ``source_text``), aligned by paragraph or as a whole."""
        from qa.engine.bilingual import SourceLanguageError, align_plain, detect_source_language, shared_for
        from qa.sources.pairs import read_source

        try:
            src = source_text if source_text is not None else read_source(source_path)
        except InputError as e:
            raise InputError(f"source {source_path}: {e}") from None
        try:
            lang = source_lang or detect_source_language(src)
        except SourceLanguageError as e:
            raise InputError(f"source {source_path}: {e}") from None
        info = align_plain(self.checker, src, target_text, lang)
        info.path = source_path
        return shared_for(info)


def fingerprint(key: str, rule: str, term: str | None, flagged: str, text: str, start: int, end: int) -> str:
    """A finding's identity that survives edits elsewhere in the item: the item,
    the rule, the term, the flagged text and up to three words either side
    (no line numbers, no offsets)."""
    before = " ".join(text[max(0, start - 60):start].split()[-3:])
    after = " ".join(text[end:end + 60].split()[:3])
    h = hashlib.sha256("\x1f".join((key, rule, term or "", flagged, before, after)).encode("utf-8"))
    return h.hexdigest()[:20]
