"""Bilingual files (XLIFF 1.2 and 2.0, TMX, PO): units read from the parsed
file, accepted fixes spliced back into the original text.

translate-toolkit parses and validates every file (its errors are the ones
reported) and reads PO entries. Its serialisers do not round-trip bytes (lxml
rewrites the XML declaration, attribute quoting, entities and white space; the
PO writer re-wraps msgstr lines), so a fix is written back by replacing only
the edited characters in the original text: every other byte stays as it was.

Where the characters are comes from a parser, never from searching the text:
XML files are walked with the standard library's expat parser, which reports
the offset of every element (so a ``<target>`` inside a comment, a CDATA
section or an ``<alt-trans>`` is never taken for the unit's target, and a
namespace prefix or a ``<prop>`` before a TMX ``<seg>`` changes nothing).
lxml, which translate-toolkit uses, keeps no offsets, hence expat here. Each
target character keeps the offsets of the raw characters it was read from
and how it may be written: plain text, inside CDATA (written as is), or
locked (inline codes ``<x/>``, ``<ph>``, ``<bpt>``…, XLIFF 2 ``<ph/>``/``<sc/>``,
and text under ``<mrk mtype="protected">`` / ``translate="no"``), which no fix
may touch. An inline code reads as U+FFFC, so ``zu <x/> zu`` is no doubled
word and the rules see where the code stands.

Files are read and written in their own encoding: UTF-8 (with or without a
BOM), UTF-16 with a BOM, or the encoding an XML declaration or a PO header's
``charset=`` names (ISO-8859-1, windows-1251…). A fix that the file's
encoding cannot hold is written as a character reference in XML and left
out in PO.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from qa.model.findings import Edit, Fix
from qa.model.positions import line_col_in

FORMATS = {".xlf": "xliff", ".xliff": "xliff", ".tmx": "tmx", ".po": "po", ".pot": "po"}
PLACEHOLDER = "\ufffc"  # an inline code in the text the rules see

# how a target character may be written
TEXT, CDATA, LOCKED = 0, 1, 2


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
    modes: list[int] | None = None  # TEXT, CDATA or LOCKED per target character
    lang: str | None = None  # the target's language when the file holds several (TMX)
    encoding: str = "utf-8"  # what the file can hold (a fix it cannot is escaped or left out)

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

    def raw_end_offset(self, i: int) -> int:
        """Raw offset just after target character ``i - 1`` (an end offset)."""
        if self.starts is None:
            return self.raw_start
        if 0 < i <= len(self.ends):
            return self.ends[i - 1]
        return self.raw_offset(i)


@dataclass
class BilingualFile:
    path: str
    format: str  # xliff1 | xliff2 | tmx | po
    raw: str
    bom: bool
    source_lang: str | None
    target_lang: str | None
    units: list[Unit] = field(default_factory=list)
    encoding: str = "utf-8"  # the file's own: utf-8, utf-16-le/-be or a declared one
    _lines: object = field(default=None, repr=False)

    def line_col(self, offset: int) -> tuple[int, int]:
        """(line, column) of a raw offset, counted from the start of the file."""
        from qa.model.positions import line_col as lc, line_starts

        if self._lines is None:
            self._lines = line_starts(self.raw)
        return lc(self._lines, offset)

    def encode(self, text: str) -> bytes:
        """``text`` (the fixed raw text) in the file's own encoding and BOM."""
        if self.encoding in ("utf-16-le", "utf-16-be"):
            bom = codecs.BOM_UTF16_LE if self.encoding == "utf-16-le" else codecs.BOM_UTF16_BE
            return (bom if self.bom else b"") + text.encode(self.encoding)
        return (codecs.BOM_UTF8 if self.bom else b"") + text.encode(self.encoding)


# --- decoding ------------------------------------------------------------------------
_XML_DECL_ENC = re.compile(rb"""^<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_PO_CHARSET = re.compile(rb"charset=([A-Za-z0-9._:-]+)")


def _declared(data: bytes, fmt: str) -> str | None:
    """The encoding a file declares (XML declaration, PO header), normalised, or None."""
    m = _XML_DECL_ENC.match(data) if fmt != "po" else _PO_CHARSET.search(data[:4000])
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return None


def _decode(path: str, fmt: str) -> tuple[str, str, bool, bytes]:
    """(text, encoding, bom, bytes): UTF-8 and BOM-marked UTF-16 as every input
    is read, otherwise the encoding the file declares."""
    from qa.sources.items import InputError, read_text

    try:
        raw, enc, bom = read_text(path)
    except InputError as e:
        try:
            data = Path(path).read_bytes()
        except OSError:
            raise BilingualError(str(e)) from None
        enc = _declared(data, fmt)
        if enc is None or enc in ("utf-8", "utf-16", "utf-16-le", "utf-16-be"):
            raise BilingualError(str(e)) from None
        try:
            return data.decode(enc), enc, False, data
        except UnicodeDecodeError as d:
            raise BilingualError(f"not valid {enc} (as the file declares) at byte {d.start}") from None
    data = Path(path).read_bytes()
    return raw, enc, bom, data


# --- the parsed XML tree with offsets --------------------------------------------------
XML_NS = "http://www.w3.org/XML/1998/namespace"


@dataclass(eq=False)
class _Node:
    name: str  # local name
    ns: str
    attrs: dict  # local names; xml:lang as "xml:lang"
    a: int  # start of the start tag
    ca: int  # content start (after the start tag)
    cb: int = -1  # content end (start of the end tag)
    b: int = -1  # after the end tag
    children: list = field(default_factory=list)
    parent: "_Node | None" = None

    def kids(self, *names: str) -> list["_Node"]:
        return [c for c in self.children if c.name in names]

    def kid(self, name: str) -> "_Node | None":
        return next((c for c in self.children if c.name == name), None)

    def lang(self) -> str | None:
        return self.attrs.get("xml:lang") or self.attrs.get("lang")


class _Refused(Exception):
    pass


def _tag_end(raw: str, i: int) -> int:
    """Offset just after the tag starting at ``i`` (quoted ``>`` skipped)."""
    q = None
    n = len(raw)
    while i < n:
        c = raw[i]
        if q:
            if c == q:
                q = None
        elif c in "\"'":
            q = c
        elif c == ">":
            return i + 1
        i += 1
    raise _Refused("unterminated tag")


def _parse_tree(raw: str) -> _Node:
    """The element tree of ``raw`` with the offset of every tag (expat; no
    external entity or DTD is fetched, a DTD declaring entities is refused)."""
    data = raw.encode("utf-8")
    ascii_only = len(data) == len(raw)
    # byte offset -> character offset, advancing (events come in order)
    pos = [0, 0]

    def char_at(bi: int) -> int:
        if ascii_only:
            return bi
        b0, c0 = pos
        if bi < b0:
            b0, c0 = 0, 0
        c = c0 + len(data[b0:bi].decode("utf-8"))
        pos[0], pos[1] = bi, c
        return c

    p = expat.ParserCreate(encoding="utf-8", namespace_separator=" ")
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    root = _Node("#document", "", {}, 0, 0)
    stack = [root]

    def start(name, attrs):
        ns, _, local = name.rpartition(" ")
        a = char_at(p.CurrentByteIndex)
        ca = _tag_end(raw, a)
        at = {}
        for k, v in attrs.items():
            kns, _, kl = k.rpartition(" ")
            at["xml:" + kl if kns == XML_NS else kl] = v
        node = _Node(local, ns, at, a, ca, parent=stack[-1])
        if raw[ca - 2] == "/":
            node.cb = node.b = ca  # <x/>: no content
        stack[-1].children.append(node)
        stack.append(node)

    def end(name):
        node = stack.pop()
        if node.cb < 0:
            node.cb = char_at(p.CurrentByteIndex)
            node.b = _tag_end(raw, node.cb)

    def entity_decl(*_a):
        raise _Refused("the DTD declares entities")

    p.StartElementHandler = start
    p.EndElementHandler = end
    p.EntityDeclHandler = entity_decl
    p.Parse(data, True)
    return root


def _walk(node: _Node, *names: str):
    for c in node.children:
        if c.name in names:
            yield c
        else:
            yield from _walk(c, *names)


# inline codes: the element is one locked placeholder character
_CODES = {"x", "bx", "ex", "ph", "bpt", "ept", "it", "ut", "sc", "ec"}
_MARKERS = {"sm", "em"}  # XLIFF 2 annotation boundaries: no character at all
_XML_ENT = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_][\w.-]*);")
_SPECIAL = re.compile(r"[<&\r]")


def _protected(node: _Node) -> bool:
    return (node.name == "mrk" and (node.attrs.get("mtype") == "protected" or node.attrs.get("translate") == "no")) \
        or node.attrs.get("translate") == "no"


def _content(raw: str, node: _Node, out=None):
    """Text of ``node``'s content with per-character (start, end, mode); None
    when it holds something this reader does not understand."""
    if out is None:
        out = ([], [], [], [])
    chars, starts, ends, modes = out
    i = node.ca
    kids = iter(node.children)
    nxt = next(kids, None)
    while i < node.cb:
        if nxt is not None and i == nxt.a:
            if nxt.name in _CODES or _protected(nxt):
                chars.append(PLACEHOLDER); starts.append(nxt.a); ends.append(nxt.b); modes.append(LOCKED)
            elif nxt.name == "cp" and "hex" in nxt.attrs:
                try:
                    chars.append(chr(int(nxt.attrs["hex"], 16)))
                except ValueError:
                    return None
                starts.append(nxt.a); ends.append(nxt.b); modes.append(LOCKED)
            elif nxt.name not in _MARKERS:
                if _content(raw, nxt, out) is None:  # <g>, <pc>, <mrk>: their text is the unit's
                    return None
            i = nxt.b
            nxt = next(kids, None)
        elif raw.startswith("<![CDATA[", i):
            j = raw.find("]]>", i)
            for k in range(i + 9, j):
                chars.append(raw[k]); starts.append(k); ends.append(k + 1); modes.append(CDATA)
            i = j + 3
        elif raw.startswith("<!--", i):
            i = raw.find("-->", i) + 3
        elif raw.startswith("<?", i):
            i = raw.find("?>", i) + 2
        elif raw[i] == "&":
            m = _ENTITY.match(raw, i)
            if not m:
                return None
            name = m.group(1)
            if name.startswith("#x"):
                ch = chr(int(name[2:], 16))
            elif name.startswith("#"):
                ch = chr(int(name[1:]))
            elif name in _XML_ENT:
                ch = _XML_ENT[name]
            else:
                return None
            chars.append(ch); starts.append(i); ends.append(m.end()); modes.append(TEXT)
            i = m.end()
        elif raw[i] == "\r":  # an XML parser reads CR LF (and a lone CR) as LF
            j = i + 2 if raw.startswith("\r\n", i) else i + 1
            chars.append("\n"); starts.append(i); ends.append(j); modes.append(TEXT)
            i = j
        elif raw[i] == "<":
            return None  # a tag the parser did not report: should not happen
        else:  # a run of plain characters, up to the next markup, entity or CR
            stop = node.cb if nxt is None else min(node.cb, nxt.a)
            m = _SPECIAL.search(raw, i, stop)
            j = m.start() if m else stop
            chars.extend(raw[i:j]); starts.extend(range(i, j)); ends.extend(range(i + 1, j + 1))
            modes.extend([TEXT] * (j - i))
            i = j
    return out


def _text(raw: str, node: _Node | None) -> str:
    if node is None:
        return ""
    got = _content(raw, node)
    return "".join(got[0]) if got else ""


def _xml_unit(raw: str, uid: str, src: _Node | None, tgt: _Node | None, lang: str | None) -> Unit | None:
    """A unit from its source and target elements (None without a target)."""
    if tgt is None:
        return None
    got = _content(raw, tgt)
    u = Unit(uid, _text(raw, src), "", raw_start=tgt.ca, raw_end=tgt.cb, lang=lang)
    if got is None:
        return u  # checked with what the toolkit read, never written
    chars, starts, ends, modes = got
    u.target = "".join(chars)
    u.starts, u.ends, u.modes = starts, ends, modes
    return u


def _units_xliff1(raw: str, root: _Node) -> tuple[list[Unit], str | None, str | None]:
    units: list[Unit] = []
    src_lang = tgt_lang = None
    for f in _walk(root, "file"):
        sl, tl = f.attrs.get("source-language"), f.attrs.get("target-language")
        src_lang, tgt_lang = src_lang or sl, tgt_lang or tl
        for tu in _walk(f, "trans-unit"):
            if tu.attrs.get("translate") == "no":
                continue  # not for translation: nothing to check in its target
            u = _xml_unit(raw, tu.attrs.get("id") or str(len(units) + 1), tu.kid("source"), tu.kid("target"),
                          tl if tl != tgt_lang else None)
            if u is not None:
                units.append(u)
    return units, src_lang, tgt_lang


def _units_xliff2(raw: str, root: _Node) -> tuple[list[Unit], str | None, str | None]:
    units: list[Unit] = []
    x = root.kid("xliff")
    src_lang, tgt_lang = (x.attrs.get("srcLang"), x.attrs.get("trgLang")) if x is not None else (None, None)
    for un in _walk(root, "unit"):
        if un.attrs.get("translate") == "no":
            continue  # not for translation
        segs = un.kids("segment")
        for k, seg in enumerate(segs, 1):
            uid = un.attrs.get("id") or str(len(units) + 1)
            if len(segs) > 1:
                uid = f"{uid}/{seg.attrs.get('id') or k}"
            u = _xml_unit(raw, uid, seg.kid("source"), seg.kid("target"), None)
            if u is not None:
                units.append(u)
    return units, src_lang, tgt_lang


def _units_tmx(raw: str, root: _Node) -> tuple[list[Unit], str | None, str | None]:
    """One unit for each target language of each ``<tu>`` (a multilingual TMX
    is checked language by language)."""
    tmx = root.kid("tmx")
    header = tmx.kid("header") if tmx is not None else None
    src_lang = header.attrs.get("srclang") if header is not None else None
    if src_lang and src_lang.lower() == "*all*":
        src_lang = None
    units: list[Unit] = []
    langs: list[str] = []
    for n, tu in enumerate(_walk(root, "tu"), 1):
        tuvs = [t for t in tu.kids("tuv") if t.kid("seg") is not None]
        if len(tuvs) < 2:
            continue
        src = None
        if src_lang:
            src = next((t for t in tuvs if (t.lang() or "").lower() == src_lang.lower()), None) or \
                next((t for t in tuvs if _short(t.lang()) == _short(src_lang)), None)
        if src is None:
            src = tuvs[0]
            src_lang = src_lang or src.lang()
        others = [t for t in tuvs if t is not src]
        for t in others:
            uid = tu.attrs.get("tuid") or str(n)
            if len(others) > 1:
                uid = f"{uid}@{t.lang()}"
            u = _xml_unit(raw, uid, src.kid("seg"), t.kid("seg"), t.lang())
            if u is not None:
                units.append(u)
                if t.lang() and t.lang() not in langs:
                    langs.append(t.lang())
    tgt_lang = langs[0] if langs else None
    if len({_short(l) for l in langs}) <= 1:
        for u in units:
            u.lang = None  # one target language: the file's
    return units, src_lang, tgt_lang


# --- PO ------------------------------------------------------------------------------
_PO_ESC = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _po_text(raw: str, parts: list[tuple[int, int]]):
    """Plain text of PO quoted strings (each (a, b) is the inside of one "...")."""
    out, starts, ends, modes = [], [], [], []
    for a, b in parts:
        i = a
        while i < b:
            if raw[i] == "\\" and i + 1 < b:
                ch = _PO_ESC.get(raw[i + 1])
                if ch is None:
                    return None
                out.append(ch); starts.append(i); ends.append(i + 2); modes.append(TEXT)
                i += 2
            else:
                out.append(raw[i]); starts.append(i); ends.append(i + 1); modes.append(TEXT)
                i += 1
    return "".join(out), starts, ends, modes


_PO_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)?\s*"(.*)"\s*$')


def _po_entries(raw: str) -> list[dict]:
    """For each PO entry but the header and obsolete ones: the quoted parts of
    each keyword (msgstr, msgstr[0], msgstr[1]…)."""
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
        out.append(e)
    return out


def _units_po(raw: str, store) -> list[Unit]:
    tunits = [u for u in store.units if not u.isheader() and not u.isobsolete()]
    entries = _po_entries(raw)
    located = len(entries) == len(tunits)
    out: list[Unit] = []
    for n, (tu, e) in enumerate(zip(tunits, entries if located else [None] * len(tunits)), 1):
        base = tu.getcontext() or (tu.getlocations() or [None])[0] or str(n)
        if tu.hasplural():
            sources = [str(s) for s in tu.source.strings]
            targets = [str(t) for t in tu.target.strings] if tu.target else []
            forms = [(f"{base}[{k}]", sources[min(k, len(sources) - 1)], t, f"msgstr[{k}]")
                     for k, t in enumerate(targets)]
        else:
            forms = [(base, str(tu.source or ""), str(tu.target or ""), "msgstr")]
        for uid, src, tgt, key in forms:
            u = Unit(uid, src, tgt, kind="po")
            parts = e.get(key) if e else None
            got = _po_text(raw, parts) if parts else None
            if parts:
                u.raw_start, u.raw_end = parts[0][0], parts[-1][1]
            if got is not None and got[0] == tgt:  # the toolkit's reading and ours agree
                u.starts, u.ends, u.modes = got[1], got[2], got[3]
            out.append(u)
    return out


# --- reading -------------------------------------------------------------------------
def _short(l: str | None) -> str | None:
    return l.replace("_", "-").split("-")[0].lower() if l else None


_XLIFF2 = re.compile(r"<(?:\w+:)?xliff\b[^>]*?(?<![\w:.-])version\s*=\s*[\"']2")


def read_bilingual(path: str | Path, raw: str | None = None) -> BilingualFile:
    """Read ``path`` (or parse ``raw``, its text as an editor holds it, named by ``path``)."""
    p = str(path)
    ext = Path(p).suffix.lower()
    kind = FORMATS.get(ext)
    if kind is None:
        raise BilingualError("not a bilingual file (use .xlf, .xliff, .tmx or .po)")
    if raw is not None:
        bom = raw.startswith("\ufeff")
        return parse_bilingual(raw[1:] if bom else raw, ext, p, bom)
    raw, enc, bom, data = _decode(p, kind)
    return parse_bilingual(raw, ext, p, bom, enc, data)


def parse_bilingual(raw: str, ext: str, p: str, bom: bool = False, enc: str = "utf-8",
                    data: bytes | None = None) -> BilingualFile:
    """A bilingual file from its decoded text; ``ext`` (``.xlf``, ``.po``...) names
    the format, ``p`` is only a name (``copydesk serve`` has no file); ``enc`` and
    ``data`` are the file's own encoding and bytes when it was read from disk."""
    kind = FORMATS.get(ext)
    if kind is None:
        raise BilingualError("not a bilingual file (use .xlf, .xliff, .tmx or .po)")
    if data is None:  # text held in memory (an editor, a request): the bytes the toolkit would read
        declared = _declared(raw[:4000].encode("utf-8", "replace"), kind)
        if declared and declared not in ("utf-8", "utf-16", "utf-16-le", "utf-16-be"):
            try:
                data, enc = raw.encode(declared), declared
            except UnicodeEncodeError:
                raise BilingualError(f"the text has characters that its declared encoding {declared} cannot hold") from None
        else:
            data = raw.encode("utf-8")
    root = None
    if kind != "po":
        try:
            root = _parse_tree(raw)
        except (expat.ExpatError, _Refused, RecursionError, ValueError):
            root = None  # the toolkit's reading below says what is wrong, or the file is only checked
    if kind == "xliff":
        x = root.kid("xliff") if root is not None else None
        if x is not None:
            xliff2 = x.ns.endswith(":2.0") or x.ns.endswith(":2.1") or str(x.attrs.get("version", "")).startswith("2")
        else:
            xliff2 = bool(_XLIFF2.search(raw[:4000]))
        fmt = "xliff2" if xliff2 else "xliff1"
    else:
        fmt = kind
    try:
        if fmt == "xliff2":
            from translate.storage.xliff2 import Xliff2File as cls
        elif fmt == "xliff1":
            from translate.storage.xliff import xlifffile as cls
        elif fmt == "tmx":
            from translate.storage.tmx import tmxfile as cls
        else:
            from translate.storage.po import pofile as cls
        if fmt == "po" and enc not in ("utf-8", "utf-16-le", "utf-16-be"):
            # translate-toolkit's PO parser reads one line ahead before it applies the
            # header's charset, and fails on that line: it is given our decoded text
            data = re.sub(r"charset=[A-Za-z0-9._:-]+", "charset=UTF-8", raw, count=1).encode("utf-8")
        store = cls.parsestring(data)
    except Exception as e:  # the toolkit raises lxml, ValueError, its own parse errors...
        msg = str(e).splitlines()[0] if str(e) else type(e).__name__
        if type(e).__name__ == "XMLSyntaxError":  # lxml's: the position in the file, not in an entity
            from qa.model.xmlerrors import describe

            line, col, msg = describe(e, raw)
            msg += f" (line {line}, column {col})" if line and col else ""
        raise BilingualError(f"cannot read as {ext[1:].upper()}: {msg}") from None
    if fmt != "po":  # an external entity is never fetched: its text would silently be missing
        from qa.model.xmlerrors import first_entity_reference

        at = first_entity_reference(raw, external=True)
        if at is not None:
            line, col = line_col_in(raw, at)
            raise BilingualError(f"unresolved entity reference {raw[at:raw.index(';', at) + 1]} (line {line}, "
                                 f"column {col}): an external entity is never read")
    if fmt == "po":
        units = _units_po(raw, store)
        src_lang, tgt_lang = None, store.gettargetlanguage() or None
    elif root is not None:
        units, src_lang, tgt_lang = {"xliff1": _units_xliff1, "xliff2": _units_xliff2, "tmx": _units_tmx}[fmt](raw, root)
    else:  # what the toolkit read: checked, never written
        units = [Unit(str(u.getid() or n).split("\x04")[-1], str(u.source or ""), str(u.target or ""))
                 for n, u in enumerate(store.units, 1) if u.target]
        src_lang = store.getsourcelanguage() or None
        tgt_lang = getattr(store, "gettargetlanguage", lambda: None)() or None
    for u in units:
        u.encoding = enc
        if u.lang is not None:
            u.lang = _short(u.lang)
    return BilingualFile(p, fmt, raw, bom, _short(src_lang), _short(tgt_lang), units, enc)


# --- writing -------------------------------------------------------------------------
def _escape_xml(s: str, cdata: bool, enc: str) -> str | None:
    if cdata:
        if "]]>" in s:
            return None
        try:
            s.encode(enc)
        except UnicodeEncodeError:
            return None
        return s
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return s.encode(enc, "xmlcharrefreplace").decode(enc)


def _escape_po(s: str, enc: str) -> str | None:
    s = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    try:
        s.encode(enc)
    except UnicodeEncodeError:
        return None  # the file's charset cannot hold it
    return s


def raw_edits(unit: Unit, fixes: list[Fix]) -> tuple[list[Edit], int]:
    """The raw-text edits of ``fixes`` (whole fixes, non-overlapping, in order)
    and how many fixes they make; a fix that touches markup, an inline code or
    protected text inside the target, or that the file's encoding cannot hold,
    is left out."""
    if not unit.writable:
        return [], 0
    applied = 0
    out: list[Edit] = []
    taken: list[tuple[int, int]] = []
    n = len(unit.target)
    modes = unit.modes or [TEXT] * n
    for fix in sorted(fixes, key=lambda f: (f.start, f.end)):
        edits = []
        ok = True
        for e in fix.edits:
            if e.end > n or any(e.start < b and a < e.end for a, b in taken):
                ok = False
                break
            span_modes = set(modes[e.start:e.end])
            if e.start == e.end:
                a = b = unit.raw_offset(e.start)
                near = [modes[i] for i in (e.start - 1, e.start) if 0 <= i < n]
                cdata = bool(near) and all(m == CDATA for m in near)
                if near and all(m == LOCKED for m in near):
                    ok = False
                    break
            else:
                if LOCKED in span_modes or len(span_modes) > 1:
                    ok = False
                    break
                cdata = span_modes == {CDATA}
                a, b = unit.starts[e.start], unit.ends[e.end - 1]
                # markup (an inline tag, a comment, a line break between PO strings) inside: do not touch
                if b - a != sum(unit.ends[i] - unit.starts[i] for i in range(e.start, e.end)):
                    ok = False
                    break
            rep = _escape_po(e.replacement, unit.encoding) if unit.kind == "po" else \
                _escape_xml(e.replacement, cdata, unit.encoding)
            if rep is None:
                ok = False
                break
            edits.append(Edit(a, b, rep))
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
