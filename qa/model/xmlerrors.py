"""Where an XML file is wrong: lxml's syntax errors reported at the right place.

libxml2 reports an error met while it expands an entity (entity amplification,
an entity reference loop, an undefined entity inside another entity) at the
line and column *inside the entity's replacement text* (``line 1, column 4``),
which points nowhere useful in the file. For those errors the position is the
first reference, in the document, to an entity the DOCTYPE declares; other
errors keep libxml2's position. Every XML reader (XLIFF, TMX, TBX) reports
through :func:`describe`, so they agree.

Written here: the defences themselves are lxml's (no entity expansion, no
network, ``huge_tree`` off: libxml2's amplification, depth and text-node
limits), and defusedxml guards the standard library's parsers, not where
lxml says an error is; no library maps an error back to the entity use.
"""
from __future__ import annotations

import re

from qa.model.positions import line_col_in

_TRAILER = re.compile(r",\s*line \d+, column \d+(?:\s*\(<string>, line \d+\))?\s*$")
_ENTITY_ERROR = re.compile(r"entity|amplification", re.I)
_DECL = re.compile(r"<!ENTITY\s+([^\s%][^\s]*)\s+(SYSTEM|PUBLIC)?")
_DOCTYPE_END = re.compile(r"\]\s*>")


def describe(error: Exception, text: str | None = None) -> tuple[int | None, int | None, str]:
    """(line, column, message) of an lxml ``XMLSyntaxError`` in ``text`` (the
    decoded file; without it libxml2's position is kept). The message is
    libxml2's without its own trailing ``line L, column C``."""
    msg = str(getattr(error, "msg", None) or error).splitlines()[0] if str(error) else type(error).__name__
    msg = _TRAILER.sub("", msg)
    pos = getattr(error, "position", None)
    line, col = (pos if pos and pos[0] else (getattr(error, "lineno", None) or None, None))
    if text and _ENTITY_ERROR.search(msg):
        at = first_entity_reference(text)
        if at is not None:
            line, col = line_col_in(text, at)
    return line, col, msg


def first_entity_reference(text: str, external: bool = False) -> int | None:
    """Offset of the first ``&name;`` in the document body whose entity the
    internal DTD subset declares (``external``: as a SYSTEM or PUBLIC one, a
    file or URL that is never read), or None."""
    names = {name for name, ext in _DECL.findall(text[: _doctype_end(text)]) if ext or not external}
    if not names:
        return None
    body = _doctype_end(text)
    for m in re.finditer(r"&([^\s;&<>]+);", text[body:]):
        if m.group(1) in names:
            return body + m.start()
    return None


def _doctype_end(text: str) -> int:
    start = text.find("<!DOCTYPE")
    if start < 0:
        return 0
    m = _DOCTYPE_END.search(text, start)
    return m.end() if m else 0
