"""Review records: what a reviewer decided about an article's findings.

A record is a small JSON file (schema ``copydesk.review/1``) kept in the
article's folder, at ``.copydesk/reviews/<file name>.<hash>.json`` where
``<hash>`` is the first 12 hex digits of the sha256 of the article's absolute
path. It holds the sha256 of the original bytes, of the text the decisions
refer to and of the last saved text, and one entry per decided finding.

A finding is identified by its rule, glossary term, flagged text and a little
context on either side (not by offsets), so a decision survives a save that
shifts offsets. ``copydesk check`` and ``copydesk fix`` drop findings a
reviewer rejected (:func:`filter_rejected`).

Since the HTER report (``copydesk audit --reviews``) a record also keeps the
machine text itself (``machine_text``: the text first opened for review) and
the article's metadata (``meta``: e.g. ``{"engine": "deepl"}``). Both keys are
optional: records written before them still load, and
:func:`machine_text_of` recovers their machine text from ``PATH.orig`` when
that copy's sha256 is the record's ``original_sha256``. The text is stored
rather than only its digest because ``PATH.orig`` is made only when a save
changes the text, is never overwritten (it may be an older original than the
one reviewed), and is a file desks move or clean up; a news article is a few
kilobytes, so the record stays small and self-contained.

This module must not import textual (the review UI builds on it, not the
other way round).
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from qa.sources.writing import write_file
from qa.model.findings import Finding

SCHEMA = "copydesk.review/1"
RECORD_DIR = Path(".copydesk") / "reviews"
CONTEXT = 16  # characters of context stored on each side of a finding
ANCHOR = 8  # characters of that context that must still match

# decision statuses
ACCEPTED = "accepted"  # the proposed fix
ALTERNATIVE = "alternative"  # one of the finding's alternatives (``replacement``)
EDITED = "edited"  # the reviewer's own replacement (``replacement``)
REJECTED = "rejected"  # a false alarm: never raised again for this article
ACKNOWLEDGED = "acknowledged"  # seen, left as it is (findings without a fix)
STATUSES = (ACCEPTED, ALTERNATIVE, EDITED, REJECTED, ACKNOWLEDGED)
CHANGING = (ACCEPTED, ALTERNATIVE, EDITED)  # decisions that change the text


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | Path) -> str | None:
    try:
        return sha256_bytes(Path(path).read_bytes())
    except OSError:
        return None


def record_path(article: str | Path) -> Path:
    """Where the review record of ``article`` lives."""
    p = Path(article).absolute()
    h = hashlib.sha256(str(p).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    return p.parent / RECORD_DIR / f"{p.name}.{h}.json"


@dataclass
class Decision:
    """One decided finding, identified by content rather than offsets."""

    rule: str
    term: str | None
    text: str
    before: str  # up to CONTEXT characters before the finding
    after: str  # up to CONTEXT characters after it
    status: str
    replacement: str | None = None  # for alternative / edited
    start: int = -1  # offsets in the text of ``Record.sha256`` (a hint only)
    end: int = -1
    scope: str | None = None  # "rule": decided with every finding of its rule in the article at once

    @classmethod
    def for_finding(cls, text: str, f: Finding, status: str, replacement: str | None = None,
                    start: int | None = None, end: int | None = None, scope: str | None = None) -> "Decision":
        s = f.start if start is None else start
        e = f.end if end is None else end
        return cls(f.rule, f.term, text[s:e] if start is not None else f.text,
                   text[max(0, s - CONTEXT):s], text[e:e + CONTEXT], status, replacement, s, e, scope)

    def to_json(self) -> dict:
        out = {"rule": self.rule, "term": self.term, "text": self.text, "before": self.before,
               "after": self.after, "status": self.status, "start": self.start, "end": self.end}
        if self.replacement is not None:
            out["replacement"] = self.replacement
        if self.scope is not None:
            out["scope"] = self.scope
        return out

    @classmethod
    def from_json(cls, d: dict) -> "Decision":
        return cls(str(d["rule"]), d.get("term"), str(d["text"]), str(d.get("before", "")),
                   str(d.get("after", "")), str(d["status"]), d.get("replacement"),
                   int(d.get("start", -1)), int(d.get("end", -1)), d.get("scope"))

    def score(self, text: str, f: Finding) -> int:
        """How well this decision matches finding ``f`` of ``text``: -1 for no
        match, otherwise the number of context characters that agree."""
        if f.rule != self.rule or f.term != self.term or (f.text or text[f.start:f.end]) != self.text:
            return -1
        before = text[max(0, f.start - CONTEXT):f.start]
        after = text[f.end:f.end + CONTEXT]
        ok_b = _side_ok(self.before, before, at_end=True)
        ok_a = _side_ok(self.after, after, at_end=False)
        if not (ok_b or ok_a):
            return -1
        return _common_suffix(self.before, before) + _common_prefix(self.after, after) + (
            1 if (f.start, f.end) == (self.start, self.end) else 0)


def _side_ok(stored: str, current: str, at_end: bool) -> bool:
    if len(stored) < CONTEXT:  # the finding sat at the edge of the text
        return stored == current
    return current.endswith(stored[-ANCHOR:]) if at_end else current.startswith(stored[:ANCHOR])


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


@dataclass
class Record:
    path: str
    original_sha256: str | None = None  # the bytes first opened for review
    sha256: str | None = None  # the bytes the decisions' offsets refer to
    saved_sha256: str | None = None  # the bytes last written by a review save
    decisions: list[Decision] = field(default_factory=list)
    updated: str = ""
    # one entry per review save: {"saved": time, "decided": n, "accepted": n, ..., "hter": x};
    # the accepted findings are gone from the saved text, their tally stays here
    history: list[dict] = field(default_factory=list)
    # the text first opened for review (the bytes of ``original_sha256``, decoded); None in old records
    machine_text: str | None = None
    # the article's metadata (front matter, ``ReviewSession.open(meta=...)``): str keys and values
    meta: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        out = {"schema": SCHEMA, "path": self.path, "original_sha256": self.original_sha256,
               "sha256": self.sha256, "saved_sha256": self.saved_sha256, "updated": self.updated,
               "decisions": [d.to_json() for d in self.decisions], "history": list(self.history)}
        if self.meta:
            out["meta"] = dict(self.meta)
        if self.machine_text is not None:
            out["machine_text"] = self.machine_text
        return out

    @classmethod
    def from_json(cls, d: dict) -> "Record":
        if d.get("schema") != SCHEMA:
            raise ValueError(f"not a {SCHEMA} record")
        mt = d.get("machine_text")
        meta = d.get("meta") if isinstance(d.get("meta"), dict) else {}
        return cls(str(d.get("path", "")), d.get("original_sha256"), d.get("sha256"), d.get("saved_sha256"),
                   [Decision.from_json(x) for x in d.get("decisions", [])], str(d.get("updated", "")),
                   [h for h in d.get("history", []) if isinstance(h, dict)],
                   mt if isinstance(mt, str) else None, {str(k): str(v) for k, v in meta.items()})

    def match(self, text: str, findings: Sequence[Finding],
              statuses: Iterable[str] = STATUSES) -> dict[int, Decision]:
        """The decision (if any) for each finding, by index into ``findings``."""
        wanted = set(statuses)
        by_text: dict[tuple, list[Decision]] = {}
        for d in self.decisions:
            if d.status in wanted:
                by_text.setdefault((d.rule, d.term, d.text), []).append(d)
        out: dict[int, Decision] = {}
        if not by_text:
            return out
        for i, f in enumerate(findings):
            cands = by_text.get((f.rule, f.term, f.text or text[f.start:f.end]))
            if not cands:
                continue
            best, best_score = None, -1
            for d in cands:
                s = d.score(text, f)
                if s > best_score:
                    best, best_score = d, s
            if best is not None:
                out[i] = best
        return out


def load_record(article: str | Path) -> Record | None:
    """The review record of ``article``, or None (also for an unreadable one)."""
    p = record_path(article)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        return Record.from_json(data)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_record(article: str | Path, record: Record) -> Path:
    p = record_path(article)
    p.parent.mkdir(parents=True, exist_ok=True)
    record.path = str(Path(article).absolute())
    record.updated = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    data = json.dumps(record.to_json(), ensure_ascii=False, indent=1) + "\n"
    write_file(p, data.encode("utf-8"))
    return p


def machine_text_of(article: str | Path, record: Record) -> str | None:
    """The machine text of a review: the record's ``machine_text`` or, for a record
    written before that key, ``PATH.orig`` when its sha256 is the record's
    ``original_sha256`` (None when neither is there)."""
    if record.machine_text is not None:
        return record.machine_text
    if not record.original_sha256:
        return None
    p = Path(article)
    for cand in (p.with_name(p.name + ".orig"), p):
        try:
            data = cand.read_bytes()
        except OSError:
            continue
        if sha256_bytes(data) == record.original_sha256:
            from qa.sources.items import InputError, decode

            try:
                return decode(data).text  # as it was opened for review: UTF-8, or UTF-16 with a BOM
            except InputError:
                return None
    return None


def _front_matter(text: str) -> tuple[dict[str, str], int]:
    bom = 1 if text.startswith("\ufeff") else 0
    lines = text[bom:].splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, 0
    out: dict[str, str] = {}
    pos = bom + len(lines[0])
    for ln in lines[1:200]:
        pos += len(ln)
        s = ln.rstrip("\r\n")
        if s.strip() in ("---", "..."):
            return out, pos
        if not s or s[0] in " \t#-" or ":" not in s:
            continue
        k, v = s.split(":", 1)
        k, v = k.strip(), v.strip()
        if not k or not v or v[0] in "[{|>&*!#":
            continue
        if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
            v = v[1:-1]
        out[k] = v
    return {}, 0  # no closing line: not front matter


def front_matter(text: str) -> dict[str, str]:
    """The flat ``key: value`` fields of a front-matter block (between ``---`` lines)
    at the start of ``text``, e.g. ``engine: deepl``. Only scalar fields are read
    (quotes stripped; lists, nested maps and comments are skipped): this is
    metadata for grouping the HTER report, not a YAML parser, and keeps the core
    free of a YAML dependency for what CMS exports write as flat fields."""
    return _front_matter(text)[0]


def body_offset(text: str) -> int:
    """Where the article starts after its front-matter block (0 without one)."""
    return _front_matter(text)[1]


def delete_record(article: str | Path) -> None:
    try:
        os.unlink(record_path(article))
    except FileNotFoundError:
        pass


def filter_rejected(path: str | Path, text: str, findings: list[Finding]) -> list[Finding]:
    """``findings`` without those a reviewer rejected in ``path``'s review record."""
    rec = load_record(path)
    if rec is None or not findings:
        return findings
    rejected = rec.match(text, findings, statuses=(REJECTED,))
    if not rejected:
        return findings
    return [f for i, f in enumerate(findings) if i not in rejected]
