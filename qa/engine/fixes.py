"""Applying fixes: only the edited spans change, every other code point stays."""
from __future__ import annotations

from typing import Iterable

from qa.model.findings import Applicability, Edit, Finding, Fix


class FixConflict(ValueError):
    pass


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
    last_insert_at = -1
    for e in ordered:
        if e.end > len(text):
            raise FixConflict(f"edit {e.start}..{e.end} beyond the end of the text ({len(text)})")
        if e.start < pos or (e.start == e.end == last_insert_at):
            if strict:
                raise FixConflict(f"edit {e.start}..{e.end} overlaps another")
            continue
        out.append(text[pos:e.start])
        out.append(e.replacement)
        if e.start == e.end:
            last_insert_at = e.start
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def apply_fixes(text: str, fixes: Iterable[Fix]) -> str:
    """Apply whole fixes; a fix any of whose edits overlaps an already chosen
    fix is left out entirely (never half-applied)."""
    chosen: list[Edit] = []
    taken: list[tuple[int, int]] = []
    for fix in sorted(fixes, key=lambda f: (f.start, f.end)):
        spans = [(e.start, e.end) for e in fix.edits]
        if any(s < te and ts < e or (s == e == ts == te) for s, e in spans for ts, te in taken):
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
