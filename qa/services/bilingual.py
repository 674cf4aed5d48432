"""Checking translations against their sources: a plain article with
``--source``, and bilingual files (XLIFF, TMX, PO) unit by unit.

The evidence itself (aligning, the names and numbers a source holds) is the
engine's (:mod:`qa.engine.bilingual`); this service reads the files through
the source layer and checks them with the project, like every command.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from qa.engine.bilingual import ALIGN_UNIT, SourceInfo, SourceLanguageError, detect_source_language, make_segment, \
    shared_for, shared_with_source
from qa.model.findings import Finding
from qa.model.langs import LanguageError, check_language
from qa.model.results import ItemResult, count_words
from qa.project.project import Project
from qa.sources.bilingual_files import BilingualError, is_bilingual, read_bilingual
from qa.sources.items import Item, stable_key


class BilingualUsageError(ValueError):
    """A source/target combination that cannot be checked (one line)."""


@dataclass
class PairResult:
    """One checked file: a plain target (``res``) or a bilingual file (``bf``)."""

    path: str
    res: ItemResult | None = None
    bf: object | None = None
    per_unit: list = field(default_factory=list)
    info: SourceInfo | None = None
    error: str | None = None

    @property
    def findings(self) -> list[Finding]:
        if self.res is not None:
            return self.res.findings
        return [f for _, fs in self.per_unit for f in fs]

    def as_item_result(self) -> ItemResult:
        """This file as the report layer renders every result: a plain target is
        its own result; a bilingual file's findings carry their unit
        (``data.unit``) and the words are those of its targets."""
        if self.res is not None:
            return self.res
        words = sum(count_words(u.target) for u, _ in self.per_unit)
        return ItemResult(path=self.path, language=self.bf.target_lang if self.bf else None, error=self.error,
                          findings=self.findings, source=self.info, _words=words)


def wants_bilingual(paths: Sequence[str], source: str | None) -> bool:
    return bool(source) or any(is_bilingual(p) for p in paths)


def _source_lang(given: str | None, fallback: str | None, text: str) -> str:
    lang = given or fallback
    if lang:
        return check_language(lang)
    try:
        return detect_source_language(text)
    except SourceLanguageError as e:
        raise BilingualUsageError(str(e)) from None


def check_paths(project: Project, paths: Sequence[str], source: str | None = None,
                source_lang: str | None = None, lang_given: bool = False) -> list[PairResult]:
    if source_lang:
        source_lang = check_language(source_lang)  # a bad code is a usage error, before any file is read
    targets = list(project.items(paths, files_only=True))
    if source and len(targets) != 1:
        raise BilingualUsageError("--source pairs one source with one target: give one PATH")
    out: list[PairResult] = []
    for t in targets:
        if t.kind == "file" and is_bilingual(t.path):
            if source:
                raise BilingualUsageError(f"{t.path}: a bilingual file carries its own source; "
                                          "--source is for plain text targets")
            out.append(check_bilingual_file(project, t.path, source_lang, lang_given))
            continue
        if source and t.kind == "file":  # checked as audit --source-dir checks a pair
            t = Item(t.kind, t.item, t.path, {"source": source, "source_lang": source_lang}, t.key)
        res = project.item_checker.check_item(t)
        out.append(PairResult(t.path, res=res, info=res.source, error=res.error))
    return out


def check_bilingual_file(project: Project, path: str, source_lang: str | None = None,
                         lang_given: bool = False, raw: str | None = None) -> PairResult:
    """Check a bilingual file unit by unit (``raw``: its unsaved text, e.g. an editor's buffer)."""
    try:
        bf = read_bilingual(path, raw)
    except BilingualError as e:
        return PairResult(path, error=str(e))
    return check_bilingual(project, bf, source_lang, lang_given)


def check_bilingual(project: Project, bf, source_lang: str | None = None, lang_given: bool = False) -> PairResult:
    """Check a read bilingual file (:class:`~qa.sources.bilingual_files.BilingualFile`) unit by unit."""
    path = bf.path
    if bf.target_lang and project.lang != "auto" and not lang_given:
        try:
            project = project.with_lang(check_language(bf.target_lang))
        except LanguageError:
            pass
    lang = None
    per_unit = []
    key = stable_key(path)
    by_lang = {None: project}  # a multilingual TMX: each target language with its own glossary forms
    for u in bf.units:
        if lang is None:
            lang = _source_lang(source_lang, bf.source_lang, "\n\n".join(x.source for x in bf.units))
        if not u.target.strip():
            per_unit.append((u, []))
            continue
        if u.lang not in by_lang:
            try:
                by_lang[u.lang] = project.with_lang(check_language(u.lang)) if not lang_given else project
            except LanguageError:
                by_lang[u.lang] = project
        proj = by_lang[u.lang]
        seg = make_segment(proj.checker, 0, len(u.target), u.source, lang, unit=u.id)
        info = SourceInfo(lang, ALIGN_UNIT, [seg], path)
        fs, _ = proj.item_checker.check_content(u.target, path, shared=shared_for(info), key=f"{key}#{u.id}")
        fs = [f for f in fs if not shared_with_source(f, u.source, u.target)]
        for f in fs:
            f.data = {**f.data, "unit": u.id, "offset": f.start}
            if u.lang:
                f.data["language"] = u.lang
            f.line, f.column = bf.line_col(u.raw_offset(f.start))  # counted from the file,
            f.end_line, f.end_column = bf.line_col(u.raw_end_offset(f.end))  # both ends
        per_unit.append((u, fs))
    return PairResult(path, bf=bf, per_unit=per_unit, info=SourceInfo(lang or "", ALIGN_UNIT, [], path))
