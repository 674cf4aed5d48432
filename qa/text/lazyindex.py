"""A compiled glossary read back from the cache (qa/text/cache.py) without
rebuilding it: the finished look-up tables stay in flat arrays, and a term or a
shape becomes a Python object only when a look-up hits it.

The look-up tables of :class:`~qa.text.index.GlossaryIndex` are maps from a
folded token to a tuple (of shapes, ``(shape, position)`` pairs, term ids or
other keys). Here every table shares one key universe (``keys``: the sorted keys,
split in C from one NUL-joined string; a key's number is its place, found by
``bisect`` — building a dict of 400,000 keys alone would cost 0.2 s); a table is
an offsets array over the universe and a refs array (both ``uint32``). :class:`Table` is a
read-only mapping over them with the interface the name matcher uses (``in``,
``get``, ``[]``, iteration, ``len``), memoising what it materialises.

Why not marshal/pickle of the dicts themselves: loading 650,000 dict entries
and 200,000 objects costs seconds however they are encoded (the cost is object
creation, not parsing); this layout creates a few objects per *hit*.
"""
from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from collections.abc import Mapping, Sequence

import msgpack

from qa.text.glossary import Glossary, Term
from qa.text.index import ACCEPTED, VARIANT, WRONG, GlossaryIndex, Shape, _spelling

REF_SHIFT = 6  # a (shape, position) ref is shape << 6 | position: names of up to 63 words
_MASK = (1 << REF_SHIFT) - 1
_STATUS = (ACCEPTED, WRONG, VARIANT)
SEP = "\x00"
TABLES = ("by_token", "starts", "by_skeleton", "accepted_token_owner", "accepted_tokens", "deletes")
_MISSING = object()
MEMO_MAX = 200_000  # keys remembered per table (hits and misses)


def _u32(data: bytes) -> array:
    a = array("I")
    a.frombytes(data)
    return a


class _Rows:
    """Rows (terms or shapes) as msgpack blobs in one byte string, unpacked on first use."""

    __slots__ = ("blob", "off", "base", "memo", "make")

    def __init__(self, blob: memoryview, off: array, base: int, n: int, make):
        self.blob, self.off, self.base, self.make = blob, off, base, make
        self.memo: list = [None] * n

    def __len__(self) -> int:
        return len(self.memo)

    def get(self, i: int):
        hit = self.memo[i]
        if hit is None:
            j = self.base + i
            hit = self.memo[i] = self.make(i, msgpack.unpackb(self.blob[self.off[j]:self.off[j + 1]],
                                                               raw=False, strict_map_key=False))
        return hit


class LazySeq(Sequence):
    """A read-only sequence over :class:`_Rows` (``glossary.terms``, ``index.shapes``)."""

    def __init__(self, rows: _Rows):
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._rows.get(j) for j in range(*i.indices(len(self._rows)))]
        if i < 0:
            i += len(self._rows)
        if not 0 <= i < len(self._rows):
            raise IndexError(i)
        return self._rows.get(i)

    def __iter__(self):
        get = self._rows.get
        for i in range(len(self._rows)):
            yield get(i)


class Table(Mapping):
    """A read-only map from key to a tuple, over the shared (sorted) key universe."""

    __slots__ = ("_keys", "_off", "_refs", "_make", "_memo", "_len", "_keyset")

    def __init__(self, keys: list[str], off: array, refs: array, make):
        self._keys, self._off, self._refs, self._make = keys, off, refs, make
        self._memo: dict[str, object] = {}  # key -> value or _MISSING, for every key asked
        self._len = -1  # counted on first use
        self._keyset: frozenset[str] | None = None  # built on first present()

    def _lookup(self, key):
        keys = self._keys
        i = bisect_left(keys, key)
        hit = _MISSING
        if i < len(keys) and keys[i] == key:
            a, b = self._off[i], self._off[i + 1]
            if a != b:
                hit = self._make(self._refs[a:b])
        memo = self._memo
        if len(memo) >= MEMO_MAX:
            memo.clear()
        memo[key] = hit
        return hit

    def get(self, key, default=None):
        hit = self._memo.get(key)
        if hit is None:
            hit = self._lookup(key)
        return default if hit is _MISSING else hit

    def __getitem__(self, key):
        hit = self._memo.get(key)
        if hit is None:
            hit = self._lookup(key)
        if hit is _MISSING:
            raise KeyError(key)
        return hit

    def __contains__(self, key) -> bool:
        hit = self._memo.get(key)
        if hit is None:
            hit = self._lookup(key)
        return hit is not _MISSING

    def __iter__(self):
        off = self._off
        for i, k in enumerate(self._keys):
            if off[i] != off[i + 1]:
                yield k

    def present(self, probe: set[str]) -> set[str]:
        """The keys of ``probe`` this table holds: one set intersection in C
        instead of a look-up per key (the name matcher probes ~10 deletions of
        every unknown word). The key set is built once, without a Python loop."""
        ks = self._keyset
        if ks is None:
            from itertools import compress
            from operator import ne

            off = self._off
            ks = self._keyset = frozenset(compress(self._keys, map(ne, off[:-1], off[1:])))
        return ks & probe

    def __len__(self) -> int:
        if self._len < 0:
            off = self._off
            self._len = sum(1 for i in range(len(self._keys)) if off[i] != off[i + 1])
        return self._len


class _Phrases(dict):
    """``first word -> ((form, shape), ...)``: ``in`` is a plain dict test; a value's
    shapes are unpacked when it is read."""

    def __init__(self, raw: dict, shape_of):
        super().__init__(raw)
        self._shape_of = shape_of

    def __getitem__(self, key):
        v = dict.__getitem__(self, key)
        if isinstance(v, list):  # still as stored: [[form, shape number], ...]
            v = tuple((f, self._shape_of(s)) for f, s in v)
            dict.__setitem__(self, key, v)
        return v

    def get(self, key, default=None):
        return self[key] if key in self else default

    def items(self):
        return ((k, self[k]) for k in self)

    def values(self):
        return (self[k] for k in self)


# --- writing (from a freshly built index) ---------------------------------------------
def pack_tables(index: GlossaryIndex, shape_no: dict[int, int], term_no: dict[int, int],
                by_term: dict[int, list[int]], n_terms: int) -> dict | None:
    """The flat tables of ``index`` (None when a key cannot be stored this way)."""
    universe: dict[str, int] = {}
    for name in ("by_token", "starts", "by_skeleton", "accepted_token_owner", "accepted_tokens", "deletes"):
        for key in getattr(index, name):
            universe.setdefault(key, len(universe))
    for targets in index.deletes.values():
        for key in targets:
            universe.setdefault(key, len(universe))
    keys = sorted(universe)
    universe = {k: i for i, k in enumerate(keys)}
    term_ids = [t.id for t in index.glossary.terms]
    if any(SEP in k for k in keys) or any(SEP in t for t in term_ids):
        return None
    term_of_id = {t: i for i, t in enumerate(term_ids)}

    def ref(pair) -> int:
        shape, j = pair
        return shape_no[id(shape)] << REF_SHIFT | j

    encoders = {
        "by_token": lambda v: [ref(p) for p in v],
        "starts": lambda v: [shape_no[id(sh)] for sh in v],
        "by_skeleton": lambda v: [ref(p) for p in v],
        "accepted_token_owner": lambda v: [ref(p) for p in v],
        "accepted_tokens": lambda v: sorted(term_of_id[t] for t in v),
        "deletes": lambda v: [universe[k] for k in v],
    }
    out: dict = {"keys": SEP.join(keys), "term_ids": SEP.join(term_ids), "n_keys": len(keys)}
    for name, enc in encoders.items():
        table = getattr(index, name)
        off, refs = [0], []
        for k in keys:
            v = table.get(k)
            if v:
                refs += enc(v)
            off.append(len(refs))
        out[f"{name}.off"] = array("I", off).tobytes()
        out[f"{name}.refs"] = array("I", refs).tobytes()
    off, refs = [0], []
    for t in range(n_terms):
        refs += by_term.get(t, [])
        off.append(len(refs))
    out["term_shapes.off"] = array("I", off).tobytes()
    out["term_shapes.refs"] = array("I", refs).tobytes()
    return out


# --- reading ----------------------------------------------------------------------------
class _TermShapes:
    """``term id -> shapes`` for :meth:`GlossaryIndex.term_shapes`, from the flat table."""

    def __init__(self, term_ids: list[str], off: array, refs: array, shapes: _Rows):
        self.term_ids, self.off, self.refs, self.shapes = term_ids, off, refs, shapes
        self.ids: dict[str, int] | None = None  # built on first use

    def get(self, term_id: str, default=()):
        if self.ids is None:
            self.ids = {t: i for i, t in enumerate(self.term_ids)}
        t = self.ids.get(term_id)
        if t is None:
            return default
        return tuple(self.shapes.get(r) for r in self.refs[self.off[t]:self.off[t + 1]])


def restore(data: dict, lang: str) -> tuple[Glossary, GlossaryIndex]:
    n_terms, n_shapes = data["n_terms"], data["n_shapes"]
    blob = memoryview(data["blob"])
    offsets = _u32(data["offsets"])
    srcs = [sys.intern(s) for s in data["sources"]]

    def make_term(_i, r) -> Term:
        tid, kind, forms, native, wrong, note, path, line, origin = r
        return Term(tid, kind, {k: tuple(v) for k, v in forms.items()}, {k: tuple(v) for k, v in native.items()},
                    {k: tuple(v) for k, v in wrong.items()}, note, path, line, origin)

    terms = _Rows(blob, offsets, 0, n_terms, make_term)

    def make_shape(_i, r) -> Shape:
        tno, k, positions, preferred, replacement, surname_only = r
        pos = [{key: _spelling(_STATUS[st], srcs[src], text) for key, st, src, text in entries}
               for entries in positions]
        return Shape(terms.get(tno), k, pos, preferred, replacement, surname_only)

    shapes = _Rows(blob, offsets, n_terms, n_shapes, make_shape)
    glossary = Glossary(terms=LazySeq(terms), names=list(data["names"]), paths=list(data["paths"]))
    keys = data["keys"].split(SEP) if data["n_keys"] else []
    term_ids = data["term_ids"].split(SEP) if n_terms else []
    sget = shapes.get

    def pairs(refs) -> tuple:
        return tuple((sget(r >> REF_SHIFT), r & _MASK) for r in refs)

    makers = {
        "by_token": pairs,
        "starts": lambda refs: tuple(sget(r) for r in refs),
        "by_skeleton": pairs,
        "accepted_token_owner": pairs,
        "accepted_tokens": lambda refs: frozenset(term_ids[r] for r in refs),
        "deletes": lambda refs: tuple(keys[r] for r in refs),
    }
    idx = GlossaryIndex(glossary, lang)
    for name, make in makers.items():
        setattr(idx, name, Table(keys, _u32(data[f"{name}.off"]), _u32(data[f"{name}.refs"]), make))
    idx.shapes = LazySeq(shapes)
    idx.max_k = data["max_k"]
    idx.__dict__["_by_term"] = _TermShapes(term_ids, _u32(data["term_shapes.off"]),
                                           _u32(data["term_shapes.refs"]), shapes)
    idx.__dict__["_phrases"] = _Phrases(data["phrases"], sget)
    idx.__dict__["_acronym_keys"] = frozenset(data["acronyms"])
    return glossary, idx
