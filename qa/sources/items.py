"""The source layer: what every command reads, as *items*.

Paths, folders (recursive, sorted), HTML pages and JSON Lines corpora become
:class:`Item` s; :func:`load` decodes one into an :class:`Article` (its text and
the encoding facts needed to write it back byte for byte: BOM, UTF-16, line
endings). ``check``, ``fix``, ``review`` and ``audit`` all read through here,
so they agree on which files a folder holds and on how a file is decoded.

An item is a plain tuple (kind, item, path, payload, key) so that it travels
cheaply to worker processes and Dask workers:

- ``kind`` ``"file"`` (a text file, read where it is checked), ``"html"``
  (likewise, then reduced to its readable text), ``"text"`` (a JSON Lines
  record: ``payload`` is the text), ``"error"`` (``payload`` says why the
  input could not be turned into an item);
- ``item``: the name reports use (``corpus.jsonl#42``, ``a.txt``);
- ``key``: the stable name used in fingerprints (relative to the working
  directory, POSIX separators).
"""
from __future__ import annotations

import codecs
import json
import os
import posixpath
import re
import stat
import sys
from dataclasses import dataclass
from fnmatch import fnmatch
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any, Iterator, NamedTuple, Sequence

from qa.sources.writing import Written, write_file

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
ALL_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES
FILE_KINDS = frozenset({"file"})  # the kinds that can be fixed in place and reviewed


class InputError(Exception):
    """A file that cannot be read or decoded (``str(e)`` is the one-line reason)."""


class Item(NamedTuple):
    kind: str
    item: str
    path: str
    payload: Any
    key: str


@dataclass
class Article:
    """A decoded text file and how to encode it back unchanged."""

    text: str
    encoding: str = "utf-8"  # "utf-8", "utf-16-le" or "utf-16-be"
    bom: bool = False

    def encode(self, text: str | None = None) -> bytes:
        """``text`` (default: this article's) in this article's encoding, BOM included."""
        t = self.text if text is None else text
        if self.encoding == "utf-8":
            return (codecs.BOM_UTF8 if self.bom else b"") + t.encode("utf-8")
        bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}[self.encoding]
        return (bom if self.bom else b"") + t.encode(self.encoding)


# ----------------------------------------------------------------------------- decoding
def decode(data: bytes) -> Article:
    """Decode article bytes: UTF-8 (a BOM is remembered) or UTF-16 with a BOM.
    Line endings are kept as they are (no newline translation)."""
    if data.startswith(codecs.BOM_UTF8):
        enc, bom, body = "utf-8", True, data[3:]
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        enc = "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        bom, body = True, data[2:]
    else:
        enc, bom, body = "utf-8", False, data
        hint = _utf16_hint(data)
        if hint:  # NUL in every other byte decodes as "UTF-8" but is no article
            raise InputError(hint.lstrip("; "))
    try:
        return Article(body.decode(enc), enc, bom)
    except UnicodeDecodeError as e:
        if enc != "utf-8":
            raise InputError(f"not valid {enc.upper()} (offset {e.start + 2})") from None
        line = data[: e.start].count(b"\n") + 1
        hint = _utf16_hint(data)
        raise InputError(f"not valid UTF-8 (byte 0x{body[e.start]:02x} at offset {e.start}, line {line})"
                         + hint) from None


def _utf16_hint(data: bytes) -> str:
    """UTF-16 without a byte-order mark shows as a NUL in every other byte."""
    head = data[:4000]
    if len(head) >= 4:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        half = len(head) // 2
        if odd > 0.3 * half and even < 0.05 * half:
            return "; it looks like UTF-16 LE without a byte-order mark (convert it to UTF-8)"
        if even > 0.3 * half and odd < 0.05 * half:
            return "; it looks like UTF-16 BE without a byte-order mark (convert it to UTF-8)"
    return ""


def read_article(path: str | Path) -> Article:
    """Read and decode one text file; :class:`InputError` says why it cannot be."""
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise InputError("is a directory") from None
    except FileNotFoundError:
        raise InputError("no such file") from None
    except PermissionError:
        raise InputError("permission denied") from None
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}") from None
    return decode(data)


def read_text(path: str | Path) -> tuple[str, str, bool]:
    """(text, encoding, bom) of a text file."""
    a = read_article(path)
    return a.text, a.encoding, a.bom


def load(item: Item) -> str:
    """The text of an item (decoded, HTML reduced to its text); raises InputError."""
    kind, _item, path, payload, _key = item
    if kind == "error":
        raise InputError(payload)
    if kind == "text":
        return payload["text"] if isinstance(payload, dict) else payload
    text = read_article(path).text
    return html_to_text(text) if kind == "html" else text


# ----------------------------------------------------------------------------- paths
def stable_key(path: str) -> str:
    """A path name that does not depend on how it was spelled on the command line:
    relative to the working directory when below it, POSIX separators."""
    ap = os.path.abspath(path)
    try:
        rel = os.path.relpath(ap)
    except ValueError:  # another drive on Windows
        rel = ap
    if rel.startswith(".."):
        rel = ap
    return PurePosixPath(Path(rel)).as_posix()


def excluded(path: Path, exclude: Sequence[str]) -> bool:
    """``exclude`` patterns (fnmatch): one with a ``/`` matches the path or a folder
    above it (relative patterns are relative to the working directory); one
    without matches any single name in the path."""
    if not exclude:
        return False
    full = PurePosixPath(Path(os.path.realpath(path)).as_posix())
    parts = full.parts
    prefixes = [str(PurePosixPath(*parts[:i])) for i in range(2, len(parts) + 1)]
    cwd = None
    for pat in exclude:
        pat = pat.rstrip("/")
        if "/" in pat:
            if not os.path.isabs(pat):
                cwd = cwd or Path(os.path.realpath(os.getcwd())).as_posix()
                pat = posixpath.normpath(cwd + "/" + pat)
            if any(fnmatch(p, pat) for p in prefixes):
                return True
        elif any(fnmatch(part, pat) for part in parts[1:]):
            return True
    return False


def _walk(folder: Path, suffixes: Sequence[str]) -> list[Path]:
    """Files below ``folder`` with one of ``suffixes``, sorted; hidden folders
    (``.git``, ``.copydesk`` with its review records) are not entered, nor
    symlinked folders. Only regular files (or symlinks to one) are taken: a FIFO,
    socket or device is skipped with a one-line note on stderr, since reading one
    could wait forever (a FIFO without a writer) or never end (``/dev/zero``).
    A broken symlink is kept: reading it reports "no such file"."""
    out: list[Path] = []
    stack = [os.fspath(folder)]
    while stack:
        top = stack.pop()
        try:
            entries = sorted(os.scandir(top), key=lambda e: e.name)
        except OSError:  # an unreadable folder is skipped, as os.walk does
            continue
        for e in entries:
            if e.name.startswith("."):
                continue
            try:
                if e.is_dir(follow_symlinks=False):
                    stack.append(e.path)
                    continue
                if Path(e.name).suffix.lower() not in suffixes:
                    continue
                if e.is_file():  # a regular file, or a symlink to one
                    out.append(Path(e.path))
                    continue
                mode = os.stat(e.path).st_mode
            except FileNotFoundError:  # a broken symlink
                out.append(Path(e.path))
                continue
            except OSError:
                continue
            if stat.S_ISDIR(mode):  # a symlink to a folder: not entered
                continue
            _note(f"skipped {e.path}: {_file_kind(mode)}, not a regular file")
    return sorted(out)


def _file_kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "a special file"


def _note(msg: str) -> None:
    print(f"copydesk: note: {msg}", file=sys.stderr)


def expand(paths: Sequence[str], exclude: Sequence[str] = (), *, jsonl_field: str = "text",
           id_field: str | None = None, suffixes: Sequence[str] = ALL_SUFFIXES) -> Iterator[Item]:
    """Items for ``paths`` in a deterministic order (folders recursively, sorted).
    A file named on the command line is read whatever its suffix; a missing
    one is an ``error`` item, so every command reports it the same way."""
    for p in paths:
        pp = Path(p)
        if pp.is_dir():
            for x in _walk(pp, suffixes):
                if not excluded(x, exclude):
                    yield from _file_items(str(x), jsonl_field, id_field)
        elif not pp.exists() and not pp.is_symlink():
            yield Item("error", p, p, "no such file", stable_key(p))
        elif not excluded(pp, exclude):
            mode = _mode(p)
            if mode is not None and not stat.S_ISREG(mode):  # never wait on a FIFO or read /dev/zero forever
                yield Item("error", p, p, f"{_file_kind(mode)}, not a regular file: not read", stable_key(p))
            else:
                yield from _file_items(p, jsonl_field, id_field)


def _mode(path: str) -> int | None:
    try:
        return os.stat(path).st_mode
    except OSError:
        return None


def _file_items(path: str, jsonl_field: str, id_field: str | None) -> Iterator[Item]:
    suffix = Path(path).suffix.lower()
    key = stable_key(path)
    if suffix in JSONL_SUFFIXES:
        yield from jsonl_items(path, jsonl_field, id_field)
    elif suffix in HTML_SUFFIXES:
        yield Item("html", path, path, None, key)
    else:
        yield Item("file", path, path, None, key)


def jsonl_items(path: str, text_field: str = "text", id_field: str | None = None) -> Iterator[Item]:
    """One item per record of a JSON Lines corpus; a bad record is an "error" item."""
    key = stable_key(path)
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        yield Item("error", path, path, "no such file", key)
        return
    except OSError as e:
        yield Item("error", path, path, f"cannot read: {e.strerror or e}", key)
        return
    with fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            item = f"{path}:{n}"
            try:
                rec = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as e:
                yield Item("error", item, path, f"line {n}: not valid UTF-8 (offset {e.start})", f"{key}:{n}")
                continue
            except json.JSONDecodeError as e:
                yield Item("error", item, path, f"line {n}: not JSON ({e.msg})", f"{key}:{n}")
                continue
            if id_field:
                rid = rec.get(id_field) if isinstance(rec, dict) else None
                if rid is None:
                    yield Item("error", item, path, f"line {n}: no {id_field!r} field", f"{key}:{n}")
                    continue
                item = f"{path}#{rid}"
                ikey = f"{key}#{rid}"
            else:
                ikey = f"{key}:{n}"
            text = rec.get(text_field) if isinstance(rec, dict) else None
            if not isinstance(text, str):
                yield Item("error", item, path, f"line {n}: no string {text_field!r} field", ikey)
                continue
            yield Item("text", item, path, text, ikey)


def item_size(item: Item) -> int:
    """Bytes an item weighs, for progress and chunking (cheap: no read)."""
    kind, _item, path, payload, _key = item
    if kind == "text":
        return len(payload["text"] if isinstance(payload, dict) else payload)
    if kind == "error":
        return 0
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


# ----------------------------------------------------------------------------- HTML
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "article",
          "section", "header", "footer", "tr", "table", "pre", "figcaption", "figure", "hr", "dd", "dt", "main",
          "aside", "nav", "title"}
_SKIP = {"script", "style", "noscript", "template", "svg", "head"}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP and tag != "head":
            self.skip += 1
        if tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag, attrs):
        if tag in ("br", "hr"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP and tag != "head" and self.skip:
            self.skip -= 1
        if tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The readable text of an HTML page: one paragraph per block element,
    scripts and styles dropped, white space inside a paragraph collapsed.
    (The standard library's parser is enough: pages are reduced to prose,
    not rendered.)"""
    p = _TextExtractor()
    p.feed(html)
    p.close()
    raw = "".join(p.parts)
    paras = []
    for block in re.split(r"\n\s*\n", raw):
        line = " ".join(block.split())
        if line:
            paras.append(line)
    return "\n\n".join(paras) + ("\n" if paras else "")


# ----------------------------------------------------------------------------- writing back
def write_back(path: str | Path, data: bytes, backup: bool = True) -> Written:
    """Write a checked article back (``fix --in-place``, a review save): the
    one write path, :func:`qa.sources.writing.write_file`, keeping the first
    original as ``PATH.orig`` unless ``backup`` is false. Returns what was
    written (a symlink's target, the backup made). Raises ``OSError`` with nothing changed."""
    return write_file(path, data, backup=backup)
