"""Pairing translations with their sources (``audit --source-dir``).

Every input format pairs: a plain text or Markdown file and an HTML page with
the file of the same relative path in the source folder (an HTML source is
read as its text), and each record of a JSON Lines corpus with the record of
the same id (``--id-field``) or, without ids, the same line of the corpus of
the same relative path. A bilingual file (XLIFF, TMX, PO) carries its own
source and is not paired.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Sequence

from qa.sources.items import HTML_SUFFIXES, Item, html_to_text, read_article

class PairingError(ValueError):
    """The source folder cannot be used (``str(e)`` is one line)."""


def read_source(source: str) -> str:
    """The text of a source file (an HTML page reduced to its text). A paired
    record's source travels with the record (:func:`pair_items`)."""
    text = read_article(source).text
    return html_to_text(text) if Path(source).suffix.lower() in HTML_SUFFIXES else text


def _records(path: Path, text_field: str, id_field: str | None) -> dict[str, str]:
    """Source records by id (or line number) -> text; unreadable records are left out."""
    out: dict[str, str] = {}
    try:
        lines = path.read_bytes().splitlines()
    except OSError:
        return out
    for n, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            rec = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        if not isinstance(rec, dict) or not isinstance(rec.get(text_field), str):
            continue
        rid = str(rec.get(id_field)) if id_field else str(n)
        if id_field and rec.get(id_field) is None:
            continue
        out[rid] = rec[text_field]
    return out


def pair_items(paths: Sequence[str], items: Iterable[Item], source_dir: str,
               source_lang: str | None = None, *, jsonl_field: str = "text",
               id_field: str | None = None) -> list[Item]:
    """Items each given their source: the file of the same path relative to its
    input folder (or the same name, for a file given on its own) in
    ``source_dir``; a JSON Lines record the record of its id or line there.
    Errors and bilingual files pass unchanged."""
    from qa.sources.bilingual_files import is_bilingual

    if not Path(source_dir).is_dir():
        raise PairingError(f"--source-dir {source_dir}: not a folder")
    roots = [Path(p) for p in paths if Path(p).is_dir()]
    corpora: dict[Path, dict[str, str]] = {}
    out: list[Item] = []
    for it in items:
        if it.kind not in ("file", "html", "text") or is_bilingual(it.path):
            out.append(it)
            continue
        pp = Path(it.path)
        rel = next((pp.relative_to(r) for r in roots if pp.is_relative_to(r)), Path(pp.name))
        src = Path(source_dir) / rel
        if not src.is_file():
            out.append(Item("error", it.item, it.path, f"no source {src}", it.key))
        elif it.kind == "text":  # a record: its source is the record of the same id or line
            if src not in corpora:
                corpora[src] = _records(src, jsonl_field, id_field)
            rid = it.item.rsplit("#", 1)[1] if id_field else it.item.rsplit(":", 1)[1]
            text = corpora[src].get(rid)
            if text is None:
                what = f"id {rid!r}" if id_field else f"line {rid}"
                out.append(Item("error", it.item, it.path, f"no source record with {what} in {src}", it.key))
            else:
                out.append(Item("text", it.item, it.path, {"text": it.payload, "source_text": text,
                                                           "source": f"{src}{'#' if id_field else ':'}{rid}",
                                                           "source_lang": source_lang}, it.key))
        else:
            out.append(Item(it.kind, it.item, it.path, {"source": str(src), "source_lang": source_lang}, it.key))
    return out
