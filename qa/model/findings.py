"""The finding/fix model shared by every rule, the CLI and the review UI.

Modelled on Ruff's diagnostics: a finding names a rule (``family/name``), a
span of the decoded text (code-point offsets), a message and, where a repair
is known, a :class:`Fix` made of :class:`Edit` s with an applicability.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Applicability(StrEnum):
    SAFE = "safe"  # applied by `copydesk fix`
    UNSAFE = "unsafe"  # applied only with `--unsafe`; a reviewer should look


class FixAvailability(StrEnum):
    """What a rule declares about its fixes (Ruff's ``FixAvailability``):
    every finding has one, some do, or none does. ``copydesk rules RULE``
    reads it; ``tests/test_rule_examples.py`` holds every rule to it."""

    ALWAYS = "always"
    SOMETIMES = "sometimes"
    NEVER = "never"


FAMILIES = ("name", "encoding", "language", "article")
SEVERITIES = tuple(s.value for s in Severity)  # "error", "warning", "info", most severe first
FAIL_ON = ("error", "warning", "never")  # the lowest severity that makes `audit` exit 1


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement`` (code-point offsets)."""

    start: int
    end: int
    replacement: str

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad edit span {self.start}..{self.end}")


@dataclass(frozen=True, slots=True)
class Fix:
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE

    @classmethod
    def replace(cls, start: int, end: int, replacement: str,
                applicability: Applicability = Applicability.SAFE) -> "Fix":
        return cls((Edit(start, end, replacement),), Applicability(applicability))

    @property
    def start(self) -> int:
        return min(e.start for e in self.edits)

    @property
    def end(self) -> int:
        return max(e.end for e in self.edits)

    def replacement_for(self, text: str, start: int, end: int) -> str:
        """The text that replaces ``text[start:end]`` when this fix is applied."""
        out, pos = [], start
        for e in sorted(self.edits, key=lambda e: (e.start, e.end)):
            out.append(text[pos:e.start])
            out.append(e.replacement)
            pos = e.end
        out.append(text[pos:end])
        return "".join(out)


@dataclass(slots=True)
class Finding:
    rule: str  # "family/name"
    severity: Severity
    start: int
    end: int
    message: str
    text: str = ""  # the flagged text, text[start:end]
    fix: Fix | None = None
    alternatives: tuple[str, ...] = ()  # other replacements for [start, end), ranked
    term: str | None = None  # glossary term id
    data: dict[str, Any] = field(default_factory=dict)  # rule-specific extras (language, confidence, ...)
    line: int = 0  # 1-based, filled by the engine
    column: int = 0  # 1-based, in code points
    end_line: int = 0  # where the span ends (1-based, exclusive column), filled by the engine
    end_column: int = 0
    # the text the fix changes, before and after (the finding's span widened to
    # the fix's edits), filled by the engine so that reports need not keep the text
    fix_before: str | None = None
    fix_after: str | None = None
    fingerprint: str | None = None  # identity across edits elsewhere (qa.project.checking), for baselines

    @property
    def family(self) -> str:
        return self.rule.split("/", 1)[0]

    @property
    def replacement(self) -> str | None:
        """The replacement of the flagged span when the fix is applied, or None."""
        if self.fix is None:
            return None
        if len(self.fix.edits) == 1 and (self.fix.edits[0].start, self.fix.edits[0].end) == (self.start, self.end):
            return self.fix.edits[0].replacement
        return None

    def to_json(self, source: str | None = None) -> dict[str, Any]:
        """The ``copydesk.check/1`` form. ``source`` (the checked text) lets a
        multi-edit fix be expressed as one replacement of the finding's span."""
        fix = None
        if self.fix is not None:
            rep = self.replacement
            inside = self.fix.start >= self.start and self.fix.end <= self.end
            if rep is None and inside and self.fix_after is not None:
                rep = self.fix_after
            if rep is None and source is not None and self.fix.start >= self.start and self.fix.end <= self.end:
                rep = self.fix.replacement_for(source, self.start, self.end)
            fix = {
                "replacement": rep,
                "applicability": str(self.fix.applicability),
                "edits": [{"start": e.start, "end": e.end, "replacement": e.replacement} for e in self.fix.edits],
            }
        out: dict[str, Any] = {
            "rule": self.rule,
            "severity": str(self.severity),
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "text": self.text,
            "message": self.message,
            "fix": fix,
            "alternatives": list(self.alternatives),
            "term": self.term,
        }
        if self.data:
            out["data"] = self.data
        if self.end_line:
            out["end_line"], out["end_column"] = self.end_line, self.end_column
        if self.fingerprint:
            out["fingerprint"] = self.fingerprint
        return out


def describe_fix(f: Finding) -> str | None:
    """The fix in words, for text reports: what it replaces with what, or
    what it deletes (a deletion may reach beyond the flagged span, e.g. a
    whole line). ``None`` for a finding without a fix."""
    if f.fix is None:
        return None
    tag = "fix" if f.fix.applicability is Applicability.SAFE else "unsafe fix"
    old = f.fix_before if f.fix_before is not None else f.text
    new = f.fix_after if f.fix_after is not None else f.replacement
    if new is None:
        return f"{tag}: {len(f.fix.edits)} edit{'s' if len(f.fix.edits) != 1 else ''}"
    alts = f" (or: {', '.join(repr(a) for a in f.alternatives)})" if f.alternatives else ""
    if new == "" and old:
        lines = sum(1 for ln in old.splitlines() if ln.strip())
        what = f"{lines} whole line{'s' if lines != 1 else ''}, " if old.endswith(("\n", "\r")) else ""
        return f"{tag}: delete {_clip(old)!r} ({what}{len(old)} characters){alts}"
    return f"{tag}: {_clip(old)!r} → {_clip(new)!r}{alts}"


def _clip(s: str, n: int = 60) -> str:
    return s if len(s) <= n else s[: n - 3] + "…"


def finding_sort_key(f: Finding) -> tuple:
    return (f.start, f.end, f.rule)
