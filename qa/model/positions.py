"""Line and column of an offset, the one way every layer computes them:
a line ends at ``\\r\\n``, ``\\r`` or ``\\n``; lines and columns are 1-based and
columns count code points."""
from __future__ import annotations

import bisect
import re
from array import array

_BREAK = re.compile(r"\r\n|\r|\n")


def line_starts(text: str) -> array:
    """The offset at which each line of ``text`` starts (an ``array`` of 8-byte
    ints: a list holds a 28-byte int object per line of a long article)."""
    out = array("q", [0])
    out.extend(m.end() for m in _BREAK.finditer(text))
    return out


def line_col(starts, offset: int) -> tuple[int, int]:
    """1-based (line, column) of ``offset`` given :func:`line_starts`."""
    i = bisect.bisect_right(starts, offset) - 1
    return i + 1, offset - starts[i] + 1


def line_col_in(text: str, offset: int) -> tuple[int, int]:
    """(line, column) of one offset (builds the line table: use :func:`line_col` for many)."""
    return line_col(line_starts(text[:offset]), offset)
