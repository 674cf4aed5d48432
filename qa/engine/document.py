"""A document under check: its text and what rules share about it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from qa.model.positions import line_col, line_starts

if TYPE_CHECKING:
    from qa.text.index import GlossaryIndex

_URL = re.compile(
    r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"“”‘’]+[^\s<>\"“”‘’.,;:!?)\]]"
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|eu|ua|ru|nl|de|fr|pl|uk|io|info|gov|int)(?:/[^\s]*)?\b",
    re.IGNORECASE,
)
_URL_ANCHOR = re.compile(r"://|@|www\.|\.(?:com|org|net|eu|ua|ru|nl|de|fr|pl|uk|io|info|gov|int)\b", re.IGNORECASE)
_PARA_SPLIT = re.compile(r"(?:\r?\n|\r)[ \t]*(?:\r?\n|\r)(?:[ \t]*(?:\r?\n|\r))*")


@dataclass(frozen=True, slots=True)
class Paragraph:
    start: int
    end: int  # exclusive, trailing newline not included
    text: str


@dataclass
class Document:
    text: str
    lang: str = "en"
    index: "GlossaryIndex | None" = None
    path: str | None = None
    # the rules enabled for this check (None: all) -- a check skips the passes of rules that are off
    enabled: frozenset[str] | None = None
    # the source this text translates (qa.engine.bilingual.SourceInfo) and the glossary terms it names
    source: Any = None
    source_terms: frozenset[str] = frozenset()
    # a per-document cache a text tool fills and reads itself (the name matcher's matches, language stats)
    shared: dict[str, Any] = field(default_factory=dict)

    # --- positions -------------------------------------------------------------
    @cached_property
    def line_starts(self) -> list[int]:
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
        for m in list(_PARA_SPLIT.finditer(text)) + [None]:
            end = m.start() if m else len(text)
            chunk = text[pos:end]
            stripped = chunk.strip()
            if stripped:
                s = pos + (len(chunk) - len(chunk.lstrip()))
                e = s + len(stripped)
                out.append(Paragraph(s, e, stripped))
            pos = m.end() if m else len(text)
        return out

    @cached_property
    def protected_spans(self) -> list[tuple[int, int]]:
        """URLs and e-mail addresses: no rule looks inside them."""
        text = self.text
        spans: list[tuple[int, int]] = []
        done_until = -1
        for a in _URL_ANCHOR.finditer(text):  # cheap anchors, then the full pattern around them
            if a.start() < done_until:
                continue
            lo, hi = max(0, a.start() - 400), min(len(text), a.end() + 400)
            for m in _URL.finditer(text, lo, hi):
                if m.end() <= a.start() or m.start() >= a.end():
                    continue
                spans.append(m.span())
            done_until = hi
        return spans

    def is_protected(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.protected_spans)

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
        if "name_spans" not in self.shared:
            from qa.text.names import match_names

            match_names(self)
        return self.shared.get("name_spans", [])
