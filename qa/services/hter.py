"""HTER of reviewed articles: ``copydesk audit --reviews DIR``.

HTER is the case-sensitive TER (sacrebleu, ``TER(case_sensitive=True)``) of
the machine text (the hypothesis) against the reviewed text (the reference):
the edits a reviewer made per reference word. It is read from the review
records (:mod:`qa.project.records`) found under a folder:

* the machine text is the record's ``machine_text`` (the text first opened for
  review) or, for records written before that key, ``PATH.orig`` when its
  sha256 is the record's ``original_sha256``;
* the reviewed text is the article as it is now (a record counts once a review
  save wrote it; ``edited_after_review`` says when the file changed since);
* a front-matter block (``---`` lines) is metadata, not text, and is left out
  of both.

Segments are the lines. When the machine and the reviewed text have as many
lines, line *i* is scored against line *i*: exactly sacrebleu's corpus TER of
the two files (``sacrebleu REVIEWED -i MACHINE -m ter --ter-case-sensitive``).
When a fix removed or added lines, the lines are aligned with difflib and each
changed run is one segment (an inserted run against an empty hypothesis, a
deleted one against an empty reference). Per article, per metadata value and
overall, the score is sacrebleu's corpus aggregate: total edits / total
reference words (the per-segment statistics summed).
"""
from __future__ import annotations

import difflib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from qa.project.records import RECORD_DIR, Record, body_offset, machine_text_of, sha256_bytes

SCHEMA = "copydesk.hter/1"
NONE = "(none)"  # how the text report names the group of the articles without a field (null in JSON)


class HterError(Exception):
    """Bad input for ``audit --reviews`` (one line, exit 2)."""


@dataclass
class ArticleHter:
    path: str  # relative to the folder given
    edits: float
    ref_words: float
    segments: int
    changed_segments: int
    meta: dict[str, str] = field(default_factory=dict)
    saved: str = ""  # time of the last review save
    edited_after_review: bool = False

    @property
    def hter(self) -> float:
        return _score(self.edits, self.ref_words)


def _score(edits: float, ref_words: float) -> float:
    # sacrebleu's TER._compute_score_from_stats
    if ref_words > 0:
        return 100.0 * edits / ref_words
    return 100.0 if edits > 0 else 0.0


def _decode(data: bytes) -> str:
    """An article's text as every command reads it (UTF-8, or UTF-16 with a BOM)."""
    from qa.sources.items import InputError, decode

    try:
        return decode(data).text
    except InputError as e:
        raise UnicodeDecodeError("utf-8", data[:1], 0, 1, str(e)) from None


def _lines(text: str) -> list[str]:
    """Lines as sacrebleu reads a file: the line ends stripped, no segment after a final newline."""
    text = text[body_offset(text):]
    out = [ln.rstrip("\r") for ln in text.split("\n")]
    return out[:-1] if text.endswith("\n") else out


def segments(machine: str, reviewed: str) -> tuple[list[str], list[str]]:
    """(hypothesis segments, reference segments) of one article, see the module docstring."""
    h, r = _lines(machine), _lines(reviewed)
    if len(h) == len(r):
        return h, r
    hs: list[str] = []
    rs: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, h, r, autojunk=False).get_opcodes():
        if tag == "equal":
            hs += h[i1:i2]
            rs += r[j1:j2]
        else:
            hs.append(" ".join(h[i1:i2]))
            rs.append(" ".join(r[j1:j2]))
    return hs, rs


def _ter():
    from sacrebleu.metrics import TER

    return TER(case_sensitive=True)


def score_article(machine: str, reviewed: str, metric=None) -> tuple[float, float, int, int]:
    """(edits, reference words, segments, changed segments) of one article."""
    hs, rs = segments(machine, reviewed)
    metric = metric or _ter()
    changed = [(a, b) for a, b in zip(hs, rs) if a != b]
    if not hs:
        return 0.0, 0.0, 0, 0
    s = metric.corpus_score(hs, [rs])
    return float(s.num_edits), float(s.ref_length), len(hs), len(changed)


def find_records(root: Path) -> list[Path]:
    """Every review record file under ``root`` (``.copydesk/reviews/*.json``), sorted."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        d = Path(dirpath)
        if d.name == RECORD_DIR.name and d.parent.name == RECORD_DIR.parent.name:
            out += [d / f for f in sorted(filenames) if f.endswith(".json")]
    return out


def _article_of(record_file: Path, rec: Record) -> Path:
    """The article a record file belongs to: ``<folder>/.copydesk/reviews/<name>.<hash>.json``
    is about ``<folder>/<name>`` (so a folder moved as a whole keeps its records), else the
    absolute path stored in the record."""
    name = record_file.name.rsplit(".", 2)[0]
    here = record_file.parent.parent.parent / name
    if here.is_file() or not rec.path:
        return here
    return Path(rec.path)


def collect(root: str | Path) -> dict:
    """The HTER report of the review records under ``root`` (schema ``copydesk.hter/1``)."""
    rootp = Path(root)
    if not rootp.is_dir():
        raise HterError(f"{root}: no such folder" if not rootp.exists() else f"{root}: not a folder")
    files = find_records(rootp)
    if not files:
        raise HterError(f"{root}: no review records (.copydesk/reviews/*.json; `copydesk review` writes them)")
    metric = _ter()
    articles: list[ArticleHter] = []
    skipped: list[dict] = []
    by_article: dict[Path, list[Record]] = {}
    for rf in files:
        try:
            rec = Record.from_json(json.loads(rf.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as e:
            skipped.append({"path": _rel(rf, rootp), "reason": f"unreadable review record ({e})"})
            continue
        art = _article_of(rf, rec)
        by_article.setdefault(art, []).append(rec)
    for art, recs in sorted(by_article.items()):
        # a folder moved and reviewed again has a second record (its file name hashes the new
        # path): the machine text is the first review's, the rest comes from the newest record
        recs = _in_order(recs)
        rec = recs[-1]
        rel = _rel(art, rootp)
        if not rec.history:
            skipped.append({"path": rel, "reason": "decisions recorded, but no review save yet"})
            continue
        try:
            data = art.read_bytes()
            reviewed = _decode(data)
        except OSError:
            skipped.append({"path": rel, "reason": "the article is gone"})
            continue
        except UnicodeDecodeError:
            skipped.append({"path": rel, "reason": "the article is not UTF-8 text"})
            continue
        machine = next((m for m in (machine_text_of(art, r) for r in recs) if m is not None), None)
        if machine is None:
            skipped.append({"path": rel, "reason": "the machine text is not in the record (written by an older "
                                                   "copydesk) and PATH.orig is not the original"})
            continue
        edits, words, n, changed = score_article(machine, reviewed, metric)
        meta = {k: v for r in recs for k, v in r.meta.items()}
        articles.append(ArticleHter(rel, edits, words, n, changed, meta,
                                    str(rec.history[-1].get("saved", "")),
                                    bool(rec.saved_sha256) and sha256_bytes(data) != rec.saved_sha256))
    if not articles:
        raise HterError(f"{root}: no reviewed article to score ({len(skipped)} record(s) skipped: "
                        f"{skipped[0]['path']}: {skipped[0]['reason']})")
    signature = str(metric.get_signature())
    keys = sorted({k for a in articles for k in a.meta})
    by = {}
    for k in keys:
        groups: dict[str | None, list[ArticleHter]] = {}
        for a in articles:
            groups.setdefault(a.meta.get(k), []).append(a)
        by[k] = [_agg(v, {"value": val}) for val, v in sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))]
    return {
        "schema": SCHEMA, "root": str(root), "metric": "TER(case_sensitive=True)", "signature": signature,
        "articles": [{"path": a.path, "hter": round(a.hter, 4), "edits": a.edits, "ref_words": a.ref_words,
                      "segments": a.segments, "changed_segments": a.changed_segments, "meta": a.meta,
                      "saved": a.saved, "edited_after_review": a.edited_after_review} for a in articles],
        "overall": _agg(articles, {}),
        "by": by,
        "skipped": skipped,
    }


def _first_save(rec: Record) -> str:
    return str(rec.history[0].get("saved", "")) if rec.history else rec.updated


def _in_order(recs: list[Record]) -> list[Record]:
    """Records of one article, first review first: a record whose original is the text
    another one saved comes after it (times have a resolution of a second); the rest by
    the time of their first save."""
    if len(recs) == 1:
        return recs
    saved = {r.saved_sha256: r for r in recs if r.saved_sha256}
    starts = sorted((r for r in recs if saved.get(r.original_sha256) in (None, r)), key=_first_save)
    order: list[Record] = []
    for cur in starts:
        while cur is not None and all(cur is not x for x in order):
            order.append(cur)
            cur = next((x for x in recs if all(x is not y for y in order)
                        and cur.saved_sha256 and x.original_sha256 == cur.saved_sha256), None)
    return order + sorted((r for r in recs if all(r is not x for x in order)), key=_first_save)


def _agg(items: list[ArticleHter], head: dict) -> dict:
    edits = sum(a.edits for a in items)
    words = sum(a.ref_words for a in items)
    return {**head, "articles": len(items), "hter": round(_score(edits, words), 4), "edits": edits,
            "ref_words": words}


def _rel(p: Path, root: Path) -> str:
    try:
        return str(p.relative_to(root))
    except ValueError:
        return str(p)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def format_text(rep: dict) -> str:
    out = [f"HTER of {rep['overall']['articles']} reviewed article(s) under {rep['root']}: case-sensitive TER of "
           f"the machine text against the reviewed text ({rep['signature']})", "",
           f"{'HTER':>7}  {'edits':>6}  {'words':>6}  article"]
    for a in rep["articles"]:
        mark = "  (edited after the review)" if a["edited_after_review"] else ""
        out.append(f"{a['hter']:7.2f}  {_num(a['edits']):>6}  {_num(a['ref_words']):>6}  {a['path']}{mark}")
    o = rep["overall"]
    out += ["", f"{o['hter']:7.2f}  {_num(o['edits']):>6}  {_num(o['ref_words']):>6}  overall "
                f"({o['articles']} article(s); total edits / total reference words)"]
    for key, groups in rep["by"].items():
        out += ["", f"by {key}:"]
        for g in groups:
            out.append(f"{g['hter']:7.2f}  {_num(g['edits']):>6}  {_num(g['ref_words']):>6}  {g['value'] if g['value'] is not None else NONE} "
                       f"({g['articles']} article(s))")
    if rep["skipped"]:
        out += ["", f"skipped {len(rep['skipped'])}:"]
        out += [f"  {s['path']}: {s['reason']}" for s in rep["skipped"]]
    return "\n".join(out) + "\n"
