"""A document under check: its text and the results its checks declare."""
from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import MISSING, dataclass, field, fields
from functools import cached_property
from typing import TYPE_CHECKING, Any

from qa.model.positions import line_col, line_starts

if TYPE_CHECKING:
    from qa.text.index import GlossaryIndex
    from qa.text.name_plans import NameMatch, SpanList

_URL = re.compile(
    r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"“”‘’]+[^\s<>\"“”‘’.,;:!?)\]]"
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|eu|ua|ru|nl|de|fr|pl|uk|io|info|gov|int)(?:/[^\s]*)?\b",
    re.IGNORECASE,
)
# Where a URL or address may be: "://", "@", "www." or a known top-level domain.
# Separate patterns, each opening with a literal, let the regex engine skip ahead
# with a fast search (one alternation of all four scans 10 MB in 0.3 s, these in 0.02 s).
_URL_ANCHORS = (
    re.compile(r"://"),
    re.compile(r"@"),
    re.compile(r"\.(?:(?<=(?i:www)\.)|(?i:com|org|net|eu|ua|ru|nl|de|fr|pl|uk|io|info|gov|int)\b)"),
)
_PARA_SPLIT = re.compile(r"(?:\r?\n|\r)[ \t]*(?:\r?\n|\r)(?:[ \t]*(?:\r?\n|\r))*")


class SpanIndex:
    """Spans (possibly overlapping) answering "does one contain / overlap [start, end)?"
    in O(log n) (bisect on the starts; prefix maxima of the ends), where a scan of every
    span per question is quadratic on a long article."""

    __slots__ = ("starts", "max_end")

    def __init__(self, spans):
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.max_end: list[int] = []
        m = -1
        for _, e in ordered:
            m = max(m, e)
            self.max_end.append(m)

    def __bool__(self) -> bool:
        return bool(self.starts)

    def contains(self, start: int, end: int) -> bool:
        """Is there a span with s <= start and end <= e?"""
        i = bisect.bisect_right(self.starts, start) - 1
        return i >= 0 and self.max_end[i] >= end

    def overlaps(self, start: int, end: int) -> bool:
        """Is there a span with s < end and start < e?"""
        i = bisect.bisect_left(self.starts, end) - 1
        return i >= 0 and self.max_end[i] > start


class Paragraph:
    """A paragraph's span; its ``text`` is sliced from the document on use (a copy of
    every paragraph kept per document doubled a long article's memory)."""

    __slots__ = ("start", "end", "_source")

    def __init__(self, start: int, end: int, source: str):
        self.start, self.end, self._source = start, end, source  # end: exclusive, no trailing newline

    @property
    def text(self) -> str:
        return self._source[self.start:self.end]

    def __eq__(self, other) -> bool:
        return isinstance(other, Paragraph) and (self.start, self.end, self.text) == (other.start, other.end, other.text)

    def __hash__(self) -> int:
        return hash((self.start, self.end))

    def __repr__(self) -> str:
        return f"Paragraph(start={self.start}, end={self.end}, text={self.text!r})"


@dataclass
class LanguageStats:
    """Counters of the untranslated-text check (:func:`qa.rules.language.find_untranslated`)."""

    units: int = 0  # paragraphs judged
    detected: int = 0  # units that needed the language detector (not clear from word lists)


@dataclass
class Results:
    """What one check computes about a document and another reads: each a declared,
    typed field. A check names the fields it reads in :attr:`Check.uses
    <qa.engine.registry.Check.uses>`; the checker resets one to its default once no
    later check of the run reads it (a long article's name matches are ~2 MB per
    MB of text)."""

    # the name matcher's matches (qa.engine.name_matcher.match_names), None until it ran
    name_matches: "list[NameMatch] | None" = None
    # their spans, kept for the checks that mask names (language): None until the matcher ran
    name_spans: "SpanList | None" = None
    language_stats: LanguageStats = field(default_factory=LanguageStats)

    def reset(self, name: str) -> None:
        f = RESULT_FIELDS[name]
        setattr(self, name, f.default_factory() if f.default_factory is not MISSING else f.default)

RESULT_FIELDS = {f.name: f for f in fields(Results)}


@dataclass
class Document:
    text: str
    lang: str = "en"
    index: "GlossaryIndex | None" = None
    path: str | None = None
    # the rules enabled for this check (None: all) -- a check skips the passes of rules that are off
    enabled: frozenset[str] | None = None
    # the source this text translates (qa.engine.alignment.SourceInfo) and the glossary terms it names
    source: Any = None
    source_terms: frozenset[str] = frozenset()
    # what checks compute and others read (declared fields, see Results)
    results: Results = field(default_factory=Results)

    # --- positions -------------------------------------------------------------
    @cached_property
    def line_starts(self):  # array("q")
        return line_starts(self.text)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in code points) of ``offset``."""
        return line_col(self.line_starts, offset)

    # --- structure ---------------------------------------------------------------
    @cached_property
    def paragraphs(self) -> list[Paragraph]:
        """Blocks separated by blank lines, stripped of surrounding white space."""
        out: list[Paragraph] = []
        pos = 0
        text = self.text
        for m in itertools.chain(_PARA_SPLIT.finditer(text), (None,)):
            end = m.start() if m else len(text)
            s, e = pos, end
            while s < e and text[s].isspace():  # str.strip's white space, without a copy
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                out.append(Paragraph(s, e, text))
            pos = m.end() if m else len(text)
        return out

    @cached_property
    def protected_spans(self) -> list[tuple[int, int]]:
        """URLs and e-mail addresses: no rule looks inside them."""
        text = self.text
        spans: list[tuple[int, int]] = []
        done_until = -1
        anchors = sorted(a.span() for pat in _URL_ANCHORS for a in pat.finditer(text))
        for a_start, a_end in anchors:  # cheap anchors, then the full pattern around them
            if a_start < done_until:
                continue
            lo, hi = max(0, a_start - 400), min(len(text), a_end + 400)
            for m in _URL.finditer(text, lo, hi):
                if m.end() <= a_start or m.start() >= a_end:
                    continue
                spans.append(m.span())
            done_until = hi
        return spans

    @cached_property
    def protected_index(self) -> SpanIndex:
        return SpanIndex(self.protected_spans)

    def is_protected(self, start: int, end: int) -> bool:
        """Does ``[start, end)`` overlap a URL or e-mail address?"""
        return bool(self.protected_spans) and self.protected_index.overlaps(start, end)

    def in_protected(self, start: int, end: int) -> bool:
        """Does ``[start, end)`` lie wholly inside a URL or e-mail address?"""
        return bool(self.protected_spans) and self.protected_index.contains(start, end)

    @cached_property
    def apostrophe(self) -> str:
        """The apostrophe the document uses between letters (’ or '), ’ by default."""
        curly = self.text.count("’")  # news copy rarely uses single quotation marks
        straight = self.text.count("'")
        return "'" if straight > curly else "’"

    @property
    def name_spans(self) -> list[tuple[int, int]]:
        """Spans of glossary names (any form, right or wrong) found in the text.

        Other checks (language detection) mask these. Computed by the name
        matcher on first use."""
        if self.results.name_spans is None:
            from qa.engine.name_matcher import match_names

            match_names(self)
        return self.results.name_spans

    @property
    def known_name_spans(self) -> "SpanList | tuple[()]":
        """The name spans if the matcher already ran, else none (never runs it)."""
        return self.results.name_spans or ()
