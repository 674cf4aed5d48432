"""Run the registered checks over a text.

The engine knows texts, not files: reading, decoding and writing are the
source layer's (:mod:`qa.sources`), settings the project's (:mod:`qa.project`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from qa.engine.document import Document, SpanIndex
from qa.engine.fixes import edits_clash
from qa.model.findings import Finding, finding_sort_key
from qa.engine.registry import CHECKS, resolve_selection


@dataclass
class Checker:
    """A configured checker: glossary index, target language, enabled rules."""

    index: object | None = None  # GlossaryIndex for ``lang`` (built from ``glossary`` when not given)
    lang: str = "en"  # or "auto"
    select: Iterable[str] | None = None
    ignore: Iterable[str] | None = None
    glossary: object | None = None  # Glossary: lets ``--lang auto`` compile it for the detected language

    def __post_init__(self) -> None:
        self.enabled = resolve_selection(self.select, self.ignore)
        self._indexes: dict[str, object] = {}
        if self.index is not None:
            self._indexes[self.index.lang] = self.index
            if self.glossary is None:
                self.glossary = self.index.glossary

    def index_for(self, lang: str):
        """The glossary compiled for ``lang`` (compiled once, on first use)."""
        if lang not in self._indexes:
            if self.glossary is None:
                return None
            from qa.text.index import GlossaryIndex

            self._indexes[lang] = GlossaryIndex.build(self.glossary, lang)
        return self._indexes[lang]

    def check_text(self, text: str, path: str | None = None,
                   shared: dict | None = None) -> tuple[list[Finding], str]:
        """Findings for ``text`` and the language it was checked as. ``shared``:
        the source evidence (``{"source": SourceInfo, "source_terms": ...}``,
        :func:`qa.engine.bilingual.shared_for`)."""
        lang = self.lang
        doc_lang = lang if lang != "auto" else "en"
        shared = shared or {}
        doc = Document(text=text, lang=doc_lang, index=self.index_for(doc_lang), path=path,
                       enabled=frozenset(self.enabled), source=shared.get("source"),
                       source_terms=frozenset(shared.get("source_terms", ())))
        if lang == "auto":
            from qa.text.langid import detect_document_language

            detected = detect_document_language(doc)
            if detected:
                doc.lang = detected
                doc.index = self.index_for(detected)
        findings: list[Finding] = []
        checks = [chk for chk in CHECKS if any(r in self.enabled for r in chk.rules)]
        for n, chk in enumerate(checks):
            for f in chk.func(doc):
                if f.rule in self.enabled and not _in_url(doc, f):
                    findings.append(f)
            for key in chk.uses:  # no later check reads it: free it before they run
                if not any(key in c.uses for c in checks[n + 1:]):
                    doc.results.reset(key)
        findings = _drop_names_in_foreign_paragraphs(findings)
        findings = _resolve_overlaps(findings)
        for f in findings:
            f.line, f.column = doc.line_col(f.start)
            f.end_line, f.end_column = doc.line_col(f.end)
            if not f.text:
                f.text = text[f.start:f.end]
            if f.fix is not None:
                a, b = min(f.start, f.fix.start), max(f.end, f.fix.end)
                # the flagged text itself when the fix stays inside it: no second copy of a long span
                before = text[a:b]
                f.fix_before = f.text if f.text == before else before
                f.fix_after = f.fix.replacement_for(text, a, b)
        return findings, doc.lang


def _in_url(doc: Document, f: Finding) -> bool:
    """Names are never looked for inside URLs or e-mail addresses; other
    findings are dropped only when they lie wholly inside one."""
    if f.family == "name":
        return doc.is_protected(f.start, f.end)
    return doc.in_protected(f.start, f.end)


def _drop_names_in_foreign_paragraphs(findings: list[Finding]) -> list[Finding]:
    """In a paragraph left in another language, its names are spelled the way
    that language spells them: the paragraph is the finding, not its names."""
    foreign = [(f.start, f.end) for f in findings if f.rule == "language/untranslated"]
    if not foreign:
        return findings
    inside = SpanIndex(foreign)  # bisect: names x foreign units was quadratic on a long article
    return [f for f in findings if not (f.family == "name" and inside.contains(f.start, f.end))]


_FAMILY_PRIORITY = {"encoding": 0, "name": 1, "article": 2, "language": 3}


def _resolve_overlaps(findings: list[Finding]) -> list[Finding]:
    """Drop exact duplicates; where two *fixable* findings overlap, keep one
    (encoding repairs first, then the longer span) so fixes never collide.
    Kept fixes are disjoint, so each candidate is checked against its two
    neighbours in a sorted list: O(n log n)."""
    import bisect

    seen: set[tuple] = set()
    out: list[Finding] = []
    for f in findings:
        key = (f.rule, f.start, f.end)
        if key not in seen:
            seen.add(key)
            out.append(f)
    fixable = sorted((f for f in out if f.fix is not None),
                     key=lambda f: (_FAMILY_PRIORITY.get(f.family, 9), -(f.end - f.start), f.start))
    starts: list[int] = []  # kept fix spans, sorted by start
    spans: list[tuple[int, int]] = []
    keep_ids: set[int] = set()
    for f in fixable:
        s, e = f.fix.start, f.fix.end
        i = bisect.bisect_left(starts, s)
        clash = False
        for j in (i - 1, i):
            if 0 <= j < len(spans):
                if edits_clash(s, e, *spans[j]):
                    clash = True
        if clash:
            continue
        starts.insert(i, s)
        spans.insert(i, (s, e))
        keep_ids.add(id(f))
    result = [f for f in out if f.fix is None or id(f) in keep_ids]
    result.sort(key=finding_sort_key)
    return result
