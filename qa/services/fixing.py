"""The fix service: check a file, choose its fixes, apply them, and write the
result back through the one write path — for plain articles, articles with a
``--source``, and bilingual files (XLIFF, TMX, PO) alike.

``copydesk fix`` is a thin adapter over :func:`fix_paths` and
:func:`write_fixed`; the review UI and later front ends (HTTP service,
language server) use the same functions, so "what a fix changes" is decided
in one place. Nothing here prints.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Sequence

from qa.engine.fixes import apply_fixes, select_fixes
from qa.project.project import Project
from qa.services.bilingual import PairResult, check_paths, wants_bilingual
from qa.sources.bilingual_files import raw_edits, splice
from qa.sources.items import Article, write_back
from qa.sources.writing import Written

__all__ = ["FixedFile", "FixRun", "fix_paths", "fix_result", "fix_pair", "write_fixed"]


@dataclass(frozen=True)
class FixedFile:
    """One file with its fixes applied (in memory; :func:`write_fixed` writes it).

    ``old``/``new`` are the decoded texts (for a bilingual file: the raw file
    text, only the fixed targets changed); ``data`` is ``new`` encoded as the
    file was (encoding and BOM kept). ``error``: the file could not be
    checked (then nothing else is set)."""

    path: str
    item: str | None = None  # the name reports use (the path for a file)
    old: str = ""
    new: str = ""
    data: bytes = b""
    applied: int = 0
    left: int = 0
    error: str | None = None

    def __post_init__(self) -> None:
        if self.item is None:
            object.__setattr__(self, "item", self.path)

    @property
    def changed(self) -> bool:
        return self.error is None and self.new != self.old


def fix_result(res, unsafe: bool = False) -> FixedFile:
    """Apply the fixes of a checked plain article (:class:`~qa.model.results.ItemResult`)."""
    if res.error:
        return FixedFile(res.path, res.item, error=res.error)
    old = res.text or ""
    fixes = select_fixes(res.findings, unsafe=unsafe)
    new = apply_fixes(old, fixes)
    data = Article(old, res.encoding, res.bom).encode(new)
    return FixedFile(res.path, res.item, old, new, data, len(fixes), len(res.findings) - len(fixes))


def fix_pair(r: PairResult, unsafe: bool = False) -> FixedFile:
    """Apply the fixes of a file checked against a source: a plain target
    (``--source``) or a bilingual file, whose targets are edited in the raw
    file so that every byte outside the fixed spans stays as it was."""
    if r.error:
        return FixedFile(r.path, error=r.error)
    if r.res is not None:
        return fix_result(r.res, unsafe)
    old = r.bf.raw
    edits, applied, total = [], 0, 0
    for u, fs in r.per_unit:
        total += len(fs)
        chosen = select_fixes(fs, unsafe=unsafe)
        es, k = raw_edits(u, chosen)
        applied += k
        edits += es
    new = splice(old, edits)
    return FixedFile(r.path, r.path, old, new, r.bf.encode(new), applied, total - applied)  # its own encoding


class FixRun:
    """The files a ``fix`` names, fixed one at a time when iterated (a folder
    of plain articles is read and checked lazily; files checked against a
    source are checked when the run is made). ``len()`` is the number of files."""

    def __init__(self, project: Project, targets: list, unsafe: bool) -> None:
        self._project, self._targets, self._unsafe = project, targets, unsafe

    def __len__(self) -> int:
        return len(self._targets)

    def __iter__(self) -> Iterator[FixedFile]:
        for t in self._targets:
            if isinstance(t, PairResult):
                yield fix_pair(t, self._unsafe)
            else:
                yield fix_result(self._project.item_checker.check_item(t), self._unsafe)


def fix_paths(project: Project, paths: Sequence[str], *, unsafe: bool = False, source: str | None = None,
              source_lang: str | None = None, lang_given: bool = False) -> FixRun:
    """The fixed files ``paths`` name (see :class:`FixRun`). Raises
    :class:`~qa.services.bilingual.BilingualUsageError` for a source/target
    combination that cannot be checked."""
    if wants_bilingual(paths, source):
        return FixRun(project, check_paths(project, paths, source, source_lang, lang_given=lang_given), unsafe)
    return FixRun(project, list(project.items(paths, files_only=True)), unsafe)


def write_fixed(fixed: FixedFile, backup: bool = True) -> Written | None:
    """Write a fixed file back in place (``PATH.orig`` kept unless ``backup``
    is false; a symlink's target rewritten; see :mod:`qa.sources.writing`).
    ``None`` when nothing changed (nothing is written). Raises ``OSError``."""
    if not fixed.changed:
        return None
    return write_back(fixed.path, fixed.data, backup=backup)
