"""A compiled-glossary cache on disk, keyed by the glossaries' content.

Compiling a gazetteer-sized glossary (30,000 terms) costs seconds, most of it
in computing press spellings; a desk glossary of a few hundred terms costs a
tenth of a second. So glossaries of :data:`MIN_TERMS` terms or more are stored
after compilation, in a safe format (msgpack: plain strings, numbers, lists
and maps — never pickle), under ``$COPYDESK_CACHE_DIR``, else
``$XDG_CACHE_HOME/copydesk``, else ``~/.cache/copydesk``. The key is the
SHA-256 of the glossary files' bytes, the target language, the copydesk
version and :data:`FORMAT`; a cache that cannot be read, or was written by
another version, is ignored and rewritten. ``COPYDESK_NO_CACHE=1`` turns it off.
"""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Iterable

from qa import __version__
from qa.text.glossary import Glossary, Term, glossary_files, parse_glossary, read_glossary_text, shipped_glossary_files
from qa.text.index import ACCEPTED, VARIANT, WRONG, GlossaryIndex, Shape, Spelling, _spelling

FORMAT = 1
MIN_TERMS = 2000
_STATUS = (ACCEPTED, WRONG, VARIANT)


def cache_dir() -> Path:
    env = os.environ.get("COPYDESK_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "copydesk"


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
    for name in ("index.py", "translit.py", "glossary.py", "cache.py"):
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
def _dump(glossary: Glossary, index: GlossaryIndex) -> dict:
    term_no = {id(t): i for i, t in enumerate(glossary.terms)}
    sources: dict[str, int] = {}
    shapes = []
    skeletons: dict[str, str] = {}
    from qa.text.translit import skeleton

    for sh in index.shapes:
        positions = []
        for pos in sh.positions:
            entries = []
            for key, sp in pos.items():
                src = sources.setdefault(sp.source, len(sources))
                entries.append([key, _STATUS.index(sp.status), src, sp.text])
                if key not in skeletons:
                    skeletons[key] = skeleton(key)
            positions.append(entries)
        shapes.append([term_no[id(sh.term)], sh.k, positions, list(sh.preferred), sh.replacement, sh.surname_only])
    terms = [[t.id, t.kind, {k: list(v) for k, v in t.forms.items()}, {k: list(v) for k, v in t.native.items()},
              {k: list(v) for k, v in t.wrong.items()}, t.note, t.path, t.line] for t in glossary.terms]
    return {"format": FORMAT, "version": __version__, "lang": index.lang, "names": glossary.names,
            "paths": glossary.paths, "terms": terms, "sources": list(sources), "shapes": shapes,
            "skeletons": skeletons}


def _restore(data: dict, lang: str) -> tuple[Glossary, GlossaryIndex]:
    if data.get("format") != FORMAT or data.get("version") != __version__ or data.get("lang") != lang:
        raise ValueError("another cache format")
    terms = [Term(tid, kind, {k: tuple(v) for k, v in forms.items()}, {k: tuple(v) for k, v in native.items()},
                  {k: tuple(v) for k, v in wrong.items()}, note, path, line)
             for tid, kind, forms, native, wrong, note, path, line in data["terms"]]
    glossary = Glossary(terms=terms, names=list(data["names"]), paths=list(data["paths"]))
    srcs = [sys.intern(s) for s in data["sources"]]
    shapes = []
    for tno, k, positions, preferred, replacement, surname_only in data["shapes"]:
        pos_dicts = []
        for entries in positions:
            d: dict[str, Spelling] = {}
            for key, status, src, text in entries:
                d[key] = _spelling(_STATUS[status], srcs[src], text)
            pos_dicts.append(d)
        shapes.append(Shape(terms[tno], k, pos_dicts, list(preferred), replacement, surname_only))
    return glossary, GlossaryIndex.from_shapes(glossary, lang, shapes, data["skeletons"])


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

        from qa.model.io import atomic_write_bytes

        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, msgpack.packb(_dump(glossary, index), use_bin_type=True))
    except Exception:  # a cache is an optimisation: never fail a check over it
        pass
