"""A compiled-glossary cache on disk, keyed by the glossaries' content.

Compiling a gazetteer-sized glossary (30,000 terms) costs seconds, most of it
in computing press spellings; even the shipped glossaries cost a few tenths of
a second, more than the rest of a one-file check. So every compiled glossary
(of :data:`MIN_TERMS` terms or more) is stored, in a safe format (msgpack:
plain strings, numbers, byte strings and maps — never pickle or marshal), under ``$COPYDESK_CACHE_DIR``, else
``$XDG_CACHE_HOME/copydesk``, else ``~/.cache/copydesk``. The key is the
SHA-256 of the glossary files' bytes, the target language, the copydesk
version and :data:`FORMAT`; a cache that cannot be read, or was written by
another version, is ignored and rewritten. ``COPYDESK_NO_CACHE=1`` turns it off.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterable

from qa import __version__
from qa.text.glossary import Glossary, glossary_files, parse_glossary, read_glossary_text, shipped_glossary_files
from qa.text.index import ACCEPTED, VARIANT, WRONG, GlossaryIndex

FORMAT = 3
MIN_TERMS = 1
KEEP_FILES = 32  # compiled glossaries kept in the cache directory (the oldest go first)
_STATUS = (ACCEPTED, WRONG, VARIANT)


def cache_dir() -> Path:
    env = os.environ.get("COPYDESK_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "copydesk"


def write_cache_file(path: Path, data: bytes) -> None:
    """Store a cache file by renaming a finished temporary file over it, so a
    reader (several processes map these files) never sees half of one. The
    user's files go through :func:`qa.sources.writing.write_file` instead; a
    cache is private, always a regular file in :func:`cache_dir`, and this
    layer may not import the source layer."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(path.parent))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def read_sources(paths: Iterable[str | Path] | None) -> list[tuple[str, str]]:
    """``(path, text)`` of each glossary file (the shipped ones for ``None``)."""
    files = glossary_files(paths) if paths else shipped_glossary_files()
    return [(str(f), read_glossary_text(f)) for f in files]


def parse_sources(sources: list[tuple[str, str]]) -> Glossary:
    g = Glossary()
    for path, text in sources:
        g.extend(parse_glossary(text, path))
    return g


def _compiler_digest() -> str:
    """The source of the modules that compile a glossary: a changed compiler never
    reads an index that an older one wrote, even within one version number."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    for name in ("index.py", "lazyindex.py", "translit.py", "glossary.py", "cache.py"):
        try:
            h.update((here / name).read_bytes())
        except OSError:
            h.update(name.encode())
    return h.hexdigest()[:16]


def cache_key(sources: list[tuple[str, str]], lang: str) -> str:
    h = hashlib.sha256(f"copydesk {__version__} format {FORMAT} compiler {_compiler_digest()} lang {lang}\n".encode())
    for path, text in sources:
        data = text.encode("utf-8")
        h.update(f"{Path(path).name}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def compile_glossary(sources: list[tuple[str, str]], lang: str, use_cache: bool | None = None
                     ) -> tuple[Glossary, GlossaryIndex]:
    """Parse and compile glossaries for ``lang``, through the cache when it pays."""
    if use_cache is None:
        use_cache = os.environ.get("COPYDESK_NO_CACHE", "") in ("", "0")
    key = cache_key(sources, lang) if use_cache else None
    if key is not None:
        loaded = _load(cache_dir() / f"{key}.msgpack", lang)
        if loaded is not None:
            return loaded
    glossary = parse_sources(sources)
    index = GlossaryIndex.build(glossary, lang)
    if key is not None and len(glossary.terms) >= MIN_TERMS:
        _save(cache_dir() / f"{key}.msgpack", glossary, index)
    return glossary, index


# --- (de)serialisation ---------------------------------------------------------
# The file holds the *finished* look-up tables in a flat layout, so that loading
# creates a handful of Python objects, not a million: every key of every table
# in one NUL-joined string (one dict built from it, in C), and per table an
# offsets array and a refs array (uint32, ``array.frombytes``). Terms and shapes
# are msgpack blobs of their own, unpacked on first use (a hit), see
# qa/text/lazyindex.py. A 34,000-term glossary loads in about 0.1 s.
def _dump(glossary: Glossary, index: GlossaryIndex) -> dict | None:
    from qa.text.lazyindex import REF_SHIFT, pack_tables

    import msgpack

    term_no = {id(t): i for i, t in enumerate(glossary.terms)}
    shape_no = {id(sh): i for i, sh in enumerate(index.shapes)}
    if index.max_k >= (1 << REF_SHIFT):
        return None  # a name of 64 words: not worth a special layout
    sources: dict[str, int] = {}
    packer = msgpack.Packer(use_bin_type=True)
    blobs, offsets = [], [0]

    def add(row) -> None:
        b = packer.pack(row)
        blobs.append(b)
        offsets.append(offsets[-1] + len(b))

    for t in glossary.terms:
        add([t.id, t.kind, {k: list(v) for k, v in t.forms.items()}, {k: list(v) for k, v in t.native.items()},
             {k: list(v) for k, v in t.wrong.items()}, t.note, t.path, t.line, t.origin])
    n_terms = len(glossary.terms)
    by_term: dict[int, list[int]] = {}
    for i, sh in enumerate(index.shapes):
        positions = [[[key, _STATUS.index(sp.status), sources.setdefault(sp.source, len(sources)), sp.text]
                      for key, sp in pos.items()] for pos in index.shapes[i].positions]
        tno = term_no[id(sh.term)]
        by_term.setdefault(tno, []).append(i)
        add([tno, sh.k, positions, list(sh.preferred), sh.replacement, sh.surname_only])
    tables = pack_tables(index, shape_no, term_no, by_term, n_terms)
    if tables is None:
        return None
    phrases = {first: [[f, shape_no[id(sh)]] for f, sh in items] for first, items in index.phrases.items()}
    return {"format": FORMAT, "version": __version__, "lang": index.lang, "names": glossary.names,
            "paths": glossary.paths, "n_terms": n_terms, "n_shapes": len(index.shapes), "max_k": index.max_k,
            "blob": b"".join(blobs), "offsets": _u32(offsets), "sources": list(sources),
            "phrases": phrases, "acronyms": sorted(index.acronym_keys()), **tables}


def _u32(values) -> bytes:
    from array import array

    return array("I", values).tobytes()


def _restore(data: dict, lang: str) -> tuple[Glossary, GlossaryIndex]:
    if data.get("format") != FORMAT or data.get("version") != __version__ or data.get("lang") != lang:
        raise ValueError("another cache format")
    from qa.text.lazyindex import restore

    return restore(data, lang)


def _load(path: Path, lang: str) -> tuple[Glossary, GlossaryIndex] | None:
    try:
        import msgpack

        with open(path, "rb") as fh:
            data = msgpack.unpackb(fh.read(), raw=False, strict_map_key=False)
        return _restore(data, lang)
    except FileNotFoundError:
        return None
    except Exception:  # unreadable, truncated or from another version: compile again
        return None


def _save(path: Path, glossary: Glossary, index: GlossaryIndex) -> None:
    try:
        import msgpack

        data = _dump(glossary, index)
        if data is None:
            return
        write_cache_file(path, msgpack.packb(data, use_bin_type=True))
        _prune(path.parent)
    except Exception:  # a cache is an optimisation: never fail a check over it
        pass


def _prune(directory: Path) -> None:
    """Keep the :data:`KEEP_FILES` most recently written compiled glossaries."""
    files = sorted(directory.glob("*.msgpack"), key=lambda f: f.stat().st_mtime, reverse=True)
    for f in files[KEEP_FILES:]:
        try:
            f.unlink()
        except OSError:
            pass
