"""Bilingual files (XLIFF 1.2 and 2.0, TMX, PO): units read with translate-toolkit,
accepted fixes spliced back into the original bytes.

translate-toolkit parses and validates the files and gives each unit's id,
source and target. Its serialisers do not round-trip bytes (lxml rewrites
the XML declaration, attribute quoting, entities and white space; the PO
writer re-wraps msgstr lines), so a fix is written back by locating each
target's text in the original file and replacing only the edited characters
there: every other byte of the file stays as it was. Each located target is
checked against the toolkit's reading of the unit; a unit whose text the
locator cannot account for is still checked but never written.
"""
from __future__ import annotations

import html.entities
import re
from dataclasses import dataclass, field
from pathlib import Path

from qa.model.findings import Edit, Fix
from qa.model.positions import line_col_in

FORMATS = {".xlf": "xliff", ".xliff": "xliff", ".tmx": "tmx", ".po": "po", ".pot": "po"}


class BilingualError(ValueError):
    """A bilingual file that cannot be read: ``str(e)`` is one line."""


def is_bilingual(path: str | Path) -> bool:
    return Path(path).suffix.lower() in FORMATS


@dataclass
class Unit:
    id: str
    source: str
    target: str
    starts: list[int] | None = None  # raw offset of each target character
    ends: list[int] | None = None  # raw offset just after each target character
    raw_start: int = 0  # where the target's content starts in the raw text
    raw_end: int = 0
    kind: str = "xml"  # xml | po: how a replacement is escaped

    @property
    def writable(self) -> bool:
        return self.starts is not None

    def raw_offset(self, i: int) -> int:
        """Raw offset of target character ``i`` (the content start when unknown)."""
        if self.starts is None:
            return self.raw_start
        if i < len(self.starts):
            return self.starts[i]
        return self.ends[-1] if self.ends else self.raw_start


@dataclass
class BilingualFile:
    path: str
    format: str  # xliff1 | xliff2 | tmx | po
    raw: str
    bom: bool
    source_lang: str | None
    target_lang: str | None
    units: list[Unit] = field(default_factory=list)


# --- locating targets in the raw text ------------------------------------------------
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);")


def _xml_text(raw: str, a: int, b: int):
    """Plain text of raw[a:b] (XML content): tags dropped, entities and CDATA
    resolved, with the raw offsets of every character."""
    out, starts, ends = [], [], []
    i = a
    while i < b:
        if raw.startswith("<![CDATA[", i):
            j = raw.find("]]>", i, b)
            if j < 0:
                return None
            for k in range(i + 9, j):
                out.append(raw[k]); starts.append(k); ends.append(k + 1)
            i = j + 3
        elif raw[i] == "<":
            j = raw.find(">", i, b)
            if j < 0:
                return None
            i = j + 1
        elif raw[i] == "&":
            m = _ENTITY.match(raw, i, b)
            if not m:
                return None
            name = m.group(1)
            if name.startswith("#x"):
                ch = chr(int(name[2:], 16))
            elif name.startswith("#"):
                ch = chr(int(name[1:]))
            else:
                ch = html.entities.html5.get(name + ";")
                if ch is None:
                    return None
            for c in ch:
                out.append(c); starts.append(i); ends.append(m.end())
            i = m.end()
        else:
            out.append(raw[i]); starts.append(i); ends.append(i + 1)
            i += 1
    return "".join(out), starts, ends


_PO_ESC = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _po_text(raw: str, parts: list[tuple[int, int]]):
    """Plain text of PO quoted strings (each (a, b) is the inside of one "...")."""
    out, starts, ends = [], [], []
    for a, b in parts:
        i = a
        while i < b:
            if raw[i] == "\\" and i + 1 < b:
                ch = _PO_ESC.get(raw[i + 1])
                if ch is None:
                    return None
                out.append(ch); starts.append(i); ends.append(i + 2)
                i += 2
            else:
                out.append(raw[i]); starts.append(i); ends.append(i + 1)
                i += 1
    return "".join(out), starts, ends


def _escape_xml(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_po(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


_ALT = re.compile(r"<alt-trans\b.*?</alt-trans>", re.S)


def _target_spans_xliff1(raw: str) -> list[tuple[int, int] | None]:
    out = []
    for m in re.finditer(r"<trans-unit\b[^>]*>(.*?)</trans-unit>", raw, re.S):
        body_a = m.start(1)
        body = _ALT.sub(lambda x: " " * len(x.group()), m.group(1))
        t = re.search(r"<target\b[^>]*?(/?)>", body)
        if not t or t.group(1):
            out.append(None)
            continue
        close = body.find("</target>", t.end())
        out.append((body_a + t.end(), body_a + close) if close >= 0 else None)
    return out


def _target_spans_xliff2(raw: str) -> list[tuple[int, int] | None]:
    out = []
    for m in re.finditer(r"<unit\b[^>]*>(.*?)</unit>", raw, re.S):
        segs = list(re.finditer(r"<segment\b[^>]*>(.*?)</segment>", m.group(1), re.S))
        if len(segs) != 1:  # the toolkit joins several segments into one unit text
            out.append(None)
            continue
        body_a = m.start(1) + segs[0].start(1)
        t = re.search(r"<target\b[^>]*?(/?)>(.*?)</target>", segs[0].group(1), re.S)
        out.append((body_a + t.start(2), body_a + t.end(2)) if t and not t.group(1) else None)
    return out


def _target_spans_tmx(raw: str, srclang: str | None) -> list[tuple[int, int] | None]:
    out = []
    tuv = re.compile(r"<tuv\b[^>]*?(?:xml:)?lang=\"([^\"]+)\"[^>]*>\s*<seg>(.*?)</seg>", re.S)
    for m in re.finditer(r"<tu\b[^>]*>(.*?)</tu>", raw, re.S):
        tuvs = list(tuv.finditer(m.group(1)))
        others = [t for t in tuvs if srclang is None or t.group(1).lower() != srclang.lower()]
        t = others[0] if len(tuvs) >= 2 and others else None
        out.append((m.start(1) + t.start(2), m.start(1) + t.end(2)) if t else None)
    return out


_PO_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)?\s*"(.*)"\s*$')


def _target_parts_po(raw: str) -> list[list[tuple[int, int]] | None]:
    """For each PO entry but the header: the quoted parts of its msgstr."""
    entries: list[dict] = []
    cur: dict | None = None
    key = None
    pos = 0
    for line in raw.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        m = _PO_LINE.match(body)
        if m and not body.startswith("#"):
            if m.group(1):
                key = m.group(1)
                if key == "msgctxt" or (key == "msgid" and (cur is None or "msgid" in cur)):
                    cur = {}
                    entries.append(cur)
            if cur is not None and key is not None:
                q = body.index('"')
                cur.setdefault(key, []).append((pos + q + 1, pos + body.rindex('"')))
        elif not body.strip():
            key = None
        pos += len(line)
    out = []
    for e in entries:
        ids = e.get("msgid", [])
        if ids and all(a == b for a, b in ids) and "msgctxt" not in e:
            continue  # the header
        if "msgid_plural" in e or "msgstr" not in e:
            out.append(None)
        else:
            out.append(e["msgstr"])
    return out


# --- reading -------------------------------------------------------------------------
def _unit_id(u, n: int, fmt: str) -> str:
    if fmt == "po":
        ctx = u.getcontext()
        if ctx:
            return ctx
        locs = u.getlocations()
        return locs[0] if locs else str(n)
    uid = u.getid() or ""
    return uid.split("\x04")[-1] or str(n)


def read_bilingual(path: str | Path, raw: str | None = None) -> BilingualFile:
    """Read ``path`` (or parse ``raw``, its text as an editor holds it, named by ``path``)."""
    from qa.sources.items import InputError, read_text

    p = str(path)
    if raw is not None:
        bom = raw.startswith("\ufeff")
        raw = raw[1:] if bom else raw
    else:
        try:
            raw, _enc, bom = read_text(path)
        except InputError as e:
            raise BilingualError(str(e)) from None
    ext = Path(p).suffix.lower()
    try:
        if FORMATS.get(ext) == "xliff":
            if re.search(r"<xliff\b[^>]*\bversion=[\"']2", raw[:2000]):
                from translate.storage.xliff2 import Xliff2File as cls
                fmt = "xliff2"
            else:
                from translate.storage.xliff import xlifffile as cls
                fmt = "xliff1"
        elif FORMATS.get(ext) == "tmx":
            from translate.storage.tmx import tmxfile as cls
            fmt = "tmx"
        elif FORMATS.get(ext) == "po":
            from translate.storage.po import pofile as cls
            fmt = "po"
        else:
            raise BilingualError(f"not a bilingual file (use .xlf, .xliff, .tmx or .po)")
        store = cls.parsestring(raw.encode("utf-8"))
    except BilingualError:
        raise
    except Exception as e:  # the toolkit raises lxml, ValueError, its own parse errors...
        msg = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise BilingualError(f"cannot read as {ext[1:].upper()}: {msg}") from None
    src_lang = tgt_lang = None
    if fmt in ("xliff1", "xliff2"):
        src_lang = store.getsourcelanguage() or None
        tgt_lang = store.gettargetlanguage() or None
    elif fmt == "tmx":
        src_lang = store.getsourcelanguage() or None
        m = re.search(r"<tuv\b[^>]*?(?:xml:)?lang=\"([^\"]+)\"", raw)
        langs = re.findall(r"<tuv\b[^>]*?(?:xml:)?lang=\"([^\"]+)\"", raw)
        tgt_lang = next((l for l in langs if src_lang is None or l.lower() != src_lang.lower()), None) if m else None
    else:
        tgt_lang = store.gettargetlanguage() or None
    units = [u for u in store.units if not u.isheader() and not getattr(u, "isobsolete", lambda: False)()]
    if fmt == "po":
        spans = _target_parts_po(raw)
    elif fmt == "xliff1":
        spans = _target_spans_xliff1(raw)
    elif fmt == "xliff2":
        spans = _target_spans_xliff2(raw)
    else:
        spans = _target_spans_tmx(raw, src_lang)
    if len(spans) != len(units):
        spans = [None] * len(units)  # the locator and the toolkit disagree: check, never write
    out: list[Unit] = []
    for n, (u, span) in enumerate(zip(units, spans), 1):
        target = str(u.target or "")
        unit = Unit(_unit_id(u, n, fmt), str(u.source or ""), target, kind="po" if fmt == "po" else "xml")
        got = None
        if span is not None:
            got = _po_text(raw, span) if fmt == "po" else _xml_text(raw, *span)
            unit.raw_start = span[0][0] if fmt == "po" and span else (span[0] if fmt != "po" else 0)
            unit.raw_end = span[-1][1] if fmt == "po" and span else (span[1] if fmt != "po" else 0)
        if got is not None and got[0] == target:
            unit.starts, unit.ends = got[1], got[2]
        out.append(unit)
    _short = lambda l: l.replace("_", "-").split("-")[0].lower() if l else None
    return BilingualFile(p, fmt, raw, bom, _short(src_lang), _short(tgt_lang), out)


# --- writing -------------------------------------------------------------------------
def raw_edits(unit: Unit, fixes: list[Fix]) -> tuple[list[Edit], int]:
    """The raw-text edits of ``fixes`` (whole fixes, non-overlapping, in order)
    and how many fixes they make; a fix that touches markup inside the target
    is left out."""
    if not unit.writable:
        return [], 0
    applied = 0
    out: list[Edit] = []
    taken: list[tuple[int, int]] = []
    esc = _escape_po if unit.kind == "po" else _escape_xml
    n = len(unit.target)
    for fix in sorted(fixes, key=lambda f: (f.start, f.end)):
        edits = []
        ok = True
        for e in fix.edits:
            if e.end > n or any(e.start < b and a < e.end for a, b in taken):
                ok = False
                break
            if e.start == e.end:
                a = b = unit.raw_offset(e.start)
            else:
                a, b = unit.starts[e.start], unit.ends[e.end - 1]
                # markup (an inline tag, a line break between PO strings) inside: do not touch
                if b - a != sum(unit.ends[i] - unit.starts[i] for i in range(e.start, e.end)):
                    ok = False
                    break
            edits.append(Edit(a, b, esc(e.replacement)))
        if ok:
            out += edits
            applied += 1
            taken += [(e.start, e.end) for e in fix.edits]
    return out, applied


def splice(raw: str, edits: list[Edit]) -> str:
    from qa.engine.fixes import apply_edits

    return apply_edits(raw, edits, strict=True)


def line_col(raw: str, offset: int) -> tuple[int, int]:
    """(line, column) of an offset in the raw file (:mod:`qa.model.positions`)."""
    return line_col_in(raw, offset)
