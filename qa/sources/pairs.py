"""Pairing translations with their sources (``audit --source-dir``)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

from qa.sources.items import Item


class PairingError(ValueError):
    """The source folder cannot be used (``str(e)`` is one line)."""


def pair_items(paths: Sequence[str], items: Iterable[Item], source_dir: str,
               source_lang: str | None = None) -> list[Item]:
    """Items of plain text files, each given the path of its source: the file of
    the same path relative to its input folder (or the same name, for a file
    given on its own) in ``source_dir``. Other items pass unchanged."""
    if not Path(source_dir).is_dir():
        raise PairingError(f"--source-dir {source_dir}: not a folder")
    roots = [Path(p) for p in paths if Path(p).is_dir()]
    out: list[Item] = []
    for it in items:
        if it.kind != "file":
            out.append(it)
            continue
        pp = Path(it.path)
        rel = next((pp.relative_to(r) for r in roots if pp.is_relative_to(r)), Path(pp.name))
        src = Path(source_dir) / rel
        if not src.is_file():
            out.append(Item("error", it.item, it.path, f"no source {src}", it.key))
        else:
            out.append(Item(it.kind, it.item, it.path, {"source": str(src), "source_lang": source_lang}, it.key))
    return out
