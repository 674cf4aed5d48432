"""Applying fixes: only the edited spans change, every other code point stays."""
from __future__ import annotations

from typing import Iterable

from qa.model.findings import Applicability, Edit, Finding, Fix


class FixConflict(ValueError):
    pass


def edits_clash(s1: int, e1: int, s2: int, e2: int) -> bool:
    """Whether two edits (code-point spans ``[s1, e1)`` and ``[s2, e2)``) cannot
    both be applied: they share a code point, or one inserts (an empty span)
    at a point the other touches -- inside it or at either end -- where the
    order of the two would be a guess. The one overlap test of copydesk: the
    engine keeping one of two fixes, applying fixes and edits, and a review's
    conflicting decisions all use it."""
    if s1 == e1:
        return s2 <= s1 <= e2
    if s2 == e2:
        return s1 <= s2 <= e1
    return s1 < e2 and s2 < e1


def select_fixes(findings: Iterable[Finding], unsafe: bool = False) -> list[Fix]:
    """The fixes ``copydesk fix`` applies: safe ones, and unsafe ones with ``unsafe``."""
    out = []
    for f in findings:
        if f.fix is None:
            continue
        if f.fix.applicability is Applicability.UNSAFE and not unsafe:
            continue
        out.append(f.fix)
    return out


def apply_edits(text: str, edits: Iterable[Edit], *, strict: bool = False) -> str:
    """Apply non-overlapping edits. An edit overlapping an earlier one is skipped
    (or raises :class:`FixConflict` with ``strict``)."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    out: list[str] = []
    pos = 0
    last: Edit | None = None  # the last edit applied: sorted and clash-free, only it can clash with the next
    for e in ordered:
        if e.end > len(text):
            raise FixConflict(f"edit {e.start}..{e.end} beyond the end of the text ({len(text)})")
        if last is not None and edits_clash(last.start, last.end, e.start, e.end):
            if strict:
                raise FixConflict(f"edit {e.start}..{e.end} overlaps another")
            continue
        out.append(text[pos:e.start])
        out.append(e.replacement)
        pos = e.end
        last = e
    out.append(text[pos:])
    return "".join(out)


def apply_fixes(text: str, fixes: Iterable[Fix]) -> str:
    """Apply whole fixes; a fix any of whose edits overlaps an already chosen
    fix is left out entirely (never half-applied)."""
    chosen: list[Edit] = []
    taken: list[tuple[int, int]] = []
    for fix in sorted(fixes, key=lambda f: (f.start, f.end)):
        spans = [(e.start, e.end) for e in fix.edits]
        if any(edits_clash(s, e, ts, te) for s, e in spans for ts, te in taken):
            continue
        chosen.extend(fix.edits)
        taken.extend(spans)
    return apply_edits(text, chosen, strict=True)


def shift_map(text: str, fixes: Iterable[Fix]):
    """A function mapping an offset in ``text`` to its offset after the fixes
    (a binary search over the edits' cumulative length changes)."""
    import bisect

    edits = sorted((e for f in fixes for e in f.edits), key=lambda e: e.end)
    ends = [e.end for e in edits]
    deltas = [0]
    for e in edits:
        deltas.append(deltas[-1] + len(e.replacement) - (e.end - e.start))

    def mapped(offset: int) -> int:
        return offset + deltas[bisect.bisect_right(ends, offset)]

    return mapped
