"""What checking one item gives: its findings, or why it could not be checked.

The report layer renders these objects (for ``check`` and ``audit`` alike);
dicts appear only at the edge, in :meth:`ItemResult.to_json`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from qa.model.findings import Finding


# a word for counting: letters or digits, with inner apostrophes and hyphens (it's, Saint-Denis)
_WORD = re.compile(r"\w+(?:[’'-]\w+)*")
_SLICE = 1 << 20


def count_words(text: str) -> int:
    """How many words ``text`` has: ``findall`` (C) over slices of about 1 MB cut
    at white space (no word spans white space), so that neither a match object per
    word nor a list of every word of a long article is made."""
    n, pos, total = len(text), 0, 0
    while pos < n:
        end = min(n, pos + _SLICE)
        while end < n and not text[end].isspace():
            end += 1
        total += len(_WORD.findall(text, pos, end))
        pos = end
    return total


@dataclass
class ItemResult:
    path: str
    language: str | None = None
    error: str | None = None
    findings: list[Finding] = field(default_factory=list)
    text: str | None = None  # the checked text (dropped by :meth:`detach` before crossing processes)
    encoding: str = "utf-8"
    bom: bool = False
    item: str | None = None  # the report name (``corpus.jsonl#42``); the path for a file
    key: str | None = None  # the stable name used in fingerprints
    chars: int = 0
    kind: str = "file"
    source: Any = None  # the source it was checked against (qa.engine.alignment.SourceInfo), if any
    _words: int | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.item is None:
            self.item = self.path

    @property
    def words(self) -> int:
        """The number of words checked, counted when first asked for (a text report never
        asks; an audit's summary does) and before :meth:`detach` drops the text."""
        if self._words is None:
            self._words = count_words(self.text) if self.text else 0
        return self._words

    def detach(self) -> "ItemResult":
        """Drop the text (findings carry what rendering needs) before sending a result elsewhere."""
        self.words  # noqa: B018  (counted while the text is here)
        self.text = None
        return self

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "item": self.item,
            "language": self.language,
            "error": self.error,
            "words": self.words,
            "findings": [f.to_json(self.text) for f in self.findings],
            **({"source": {"path": self.source.path, "language": self.source.lang,
                           "alignment": self.source.alignment}} if self.source is not None else {}),
        }


def exit_code_for(results: "list[ItemResult]", fail_on: str = "error") -> int:
    """A command's exit code for its results: 2 when some input failed, 1 when
    a finding reaches ``fail_on`` (``info``: any finding; ``never``: none), else 0."""
    if any(r.error for r in results):
        return 2
    if fail_on == "never":
        return 0
    levels = {"error": {"error"}, "warning": {"error", "warning"}}.get(fail_on, {"error", "warning", "info"})
    return 1 if any(str(f.severity) in levels for r in results for f in r.findings) else 0


FileResult = ItemResult  # the name the first release used
