"""The front door: one :class:`Project` that ``check``, ``fix``, ``review`` and
``audit`` share.

A project is built once per run from the configuration file (``copydesk.toml``
or ``[tool.copydesk]``) and the command-line options -- options win -- and
holds everything that decides what a check finds: the glossaries (their text,
so a worker process or a Dask worker rebuilds the very same index), the
compiled index, the target language, the rule selection, severity overrides
and whether review records are honoured. :class:`Settings` is its
serialisable part (plain JSON).

Every command reads its inputs through :mod:`qa.sources` and checks them with
:meth:`Project.check_item`, so the same configuration gives the same findings
through every command.
"""
from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

from qa.engine.checker import Checker
from qa.model.findings import Finding, Severity
from qa.model.results import ItemResult
from qa.project.config import Config, ConfigError, find_config, load_config
from qa.rules import load_builtin_rules
from qa.sources.items import FILE_KINDS, InputError, Item, expand, html_to_text, read_article, stable_key


class ProjectError(Exception):
    """Settings that cannot make a project (``str(e)`` is one line)."""


@dataclass
class Settings:
    """What decides a check's findings, as plain data (JSON): a spawned worker
    or a Dask worker on another machine rebuilds the same project from it."""

    glossaries: list[tuple[str, str]] = field(default_factory=list)  # (path, TOML text); [] = shipped
    lang: str = "en"
    select: list[str] | None = None
    ignore: list[str] | None = None
    severity: dict[str, str] = field(default_factory=dict)  # rule id -> error|warning|info
    exclude: list[str] = field(default_factory=list)
    fail_on: str = "error"
    jobs: int | None = None
    records: bool = True  # drop findings a reviewer rejected (review records)
    config: str | None = None  # the configuration file these came from

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, s: str) -> "Settings":
        d = json.loads(s)
        d["glossaries"] = [tuple(x) for x in d["glossaries"]]
        return cls(**d)

    def digest(self) -> str:
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()


def read_glossary_sources(paths: Sequence[str] | None) -> list[tuple[str, str]]:
    """(path, text) of the glossary files ``paths`` name (files or folders);
    ``None``: [] (the shipped glossaries, read when compiled)."""
    if not paths:
        return []
    from qa.text.cache import read_sources

    return read_sources(paths)


class Project:
    """Settings plus what is built from them once: the compiled glossary index
    and the checker (built lazily, on first use, and at most once)."""

    def __init__(self, settings: Settings) -> None:
        load_builtin_rules()
        self.settings = settings
        self._checker: Checker | None = None
        self._lock = threading.Lock()
        self._validate()

    # ---- building ------------------------------------------------------------------------
    @classmethod
    def from_options(cls, *, glossary: Sequence[str] | None = None, lang: str | None = None,
                     select: Sequence[str] | None = None, ignore: Sequence[str] | None = None,
                     exclude: Sequence[str] = (), fail_on: str | None = None, jobs: int | None = None,
                     records: bool | None = None, config: str | None = None, no_config: bool = False,
                     extra_glossaries: Sequence[str] = (), cwd: str | Path | None = None) -> "Project":
        """Merge the configuration file (found from ``cwd`` upwards unless
        ``config`` names one or ``no_config``) with options; options win."""
        cfg = Config()
        if not no_config:
            try:
                path = config or find_config(cwd)
                if path is not None:
                    cfg = load_config(path, cwd=cwd)
            except ConfigError as e:
                raise ProjectError(f"configuration: {e}") from None
        glossary_paths = list(glossary) if glossary else cfg.glossary
        if extra_glossaries:
            from qa.text.glossary import shipped_glossary_files

            base = list(glossary_paths) if glossary_paths else [str(p) for p in shipped_glossary_files()]
            resolved = {Path(p).resolve() for p in base}
            glossary_paths = base + [p for p in extra_glossaries if Path(p).resolve() not in resolved]
        settings = Settings(
            glossaries=read_glossary_sources(glossary_paths),
            lang=lang or cfg.lang or "en",
            select=list(select) if select else cfg.select,
            ignore=list(ignore) if ignore else cfg.ignore,
            severity=dict(cfg.severity),
            exclude=list(cfg.exclude) + list(exclude or []),
            fail_on=fail_on or cfg.fail_on or "error",
            jobs=jobs if jobs is not None else cfg.jobs,
            records=True if records is None else records,
            config=cfg.path,
        )
        return cls(settings)

    def _validate(self) -> None:
        """Fail early, with one line, on a bad language or rule selection."""
        from qa.engine.registry import resolve_selection
        from qa.model.langs import check_language

        self.lang = check_language(self.settings.lang, allow_auto=True)
        self.enabled = resolve_selection(self.settings.select, self.settings.ignore)

    @property
    def checker(self) -> Checker:
        """The checker (glossary compiled on first use; thread-safe)."""
        if self._checker is None:
            with self._lock:
                if self._checker is None:
                    from qa.text.cache import compile_glossary, read_sources

                    s = self.settings
                    sources = [tuple(x) for x in s.glossaries] if s.glossaries else read_sources(None)
                    glossary, index = compile_glossary(sources, "en" if self.lang == "auto" else self.lang)
                    self._checker = Checker(index=index, lang=self.lang, select=s.select, ignore=s.ignore,
                                            glossary=glossary)
        return self._checker

    @property
    def glossary(self):
        return self.checker.glossary

    def reload(self, glossary_paths: Sequence[str] | None = None) -> None:
        """Read the glossary files again (after the reviewer added a form)."""
        if glossary_paths is None:
            glossary_paths = [p for p, _t in self.settings.glossaries] or None
        self.settings.glossaries = read_glossary_sources(glossary_paths)
        with self._lock:
            self._checker = None

    def with_lang(self, lang: str) -> "Project":
        """The same project for another target language (a bilingual file's own)."""
        if lang == self.lang:
            return self
        s = Settings.from_json(self.settings.to_json())
        s.lang = lang
        p = Project(s)
        if self._checker is not None and self._checker.glossary is not None:
            p._checker = Checker(index=self._checker.index_for(lang), lang=lang, select=s.select,
                                 ignore=s.ignore, glossary=self._checker.glossary)
        return p

    # ---- inputs ----------------------------------------------------------------------------
    def items(self, paths: Sequence[str], *, files_only: bool = False, jsonl_field: str = "text",
              id_field: str | None = None) -> Iterator[Item]:
        """The inputs ``paths`` name, the project's ``exclude`` patterns applied.
        ``files_only`` (fix, review): folders give text files only; a named
        HTML or JSON Lines file is an error item (it cannot be fixed in place)."""
        from qa.sources.items import TEXT_SUFFIXES

        suffixes = TEXT_SUFFIXES if files_only else None
        kw = {"suffixes": suffixes} if suffixes else {}
        for it in expand(paths, self.settings.exclude, jsonl_field=jsonl_field, id_field=id_field, **kw):
            if files_only and it.kind not in FILE_KINDS and it.kind != "error":
                yield Item("error", it.item, it.path, f"{it.kind.upper() if it.kind == 'html' else 'JSON Lines'} "
                           "input can be checked (`copydesk check`, `copydesk audit`), not fixed or reviewed",
                           it.key)
            else:
                yield it

    # ---- checking --------------------------------------------------------------------------
    def check_text(self, text: str, path: str | None = None, shared: dict | None = None,
                   key: str | None = None) -> tuple[list[Finding], str]:
        """Findings of ``text`` with the project's severities (and fingerprints
        when ``key`` names the item), and the language it was checked as."""
        findings, lang = self.checker.check_text(text, path, shared=shared)
        sev = self.settings.severity
        for f in findings:
            if sev and f.rule in sev:
                f.severity = Severity(sev[f.rule])
            if key is not None:
                f.fingerprint = fingerprint(key, f.rule, f.term, f.text, text, f.start, f.end)
        return findings, lang

    def check_item(self, item: Item, shared: dict | None = None) -> ItemResult:
        """Check one input; never raises for a bad input (the result carries the error)."""
        kind, name, path, payload, key = item
        res = ItemResult(path=path, item=name, key=key, kind=kind)
        if kind == "error":
            res.error = payload
            return res
        try:
            if kind == "text":
                text = payload["text"] if isinstance(payload, dict) else payload  # dict: a paired record
            else:
                art = read_article(path)
                res.encoding, res.bom = art.encoding, art.bom
                text = html_to_text(art.text) if kind == "html" else art.text
            if isinstance(payload, dict) and payload.get("source"):  # audit --source-dir
                shared = self.source_shared(payload["source"], payload.get("source_lang"), text,
                                            payload.get("source_text"))
                res.source = shared["source"]
            findings, lang = self.check_text(text, path, shared=shared, key=key)
        except InputError as e:
            res.error = str(e)
            return res
        if self.settings.records and kind == "file" and findings:
            from qa.project.records import filter_rejected

            findings = filter_rejected(path, text, findings)
        res.findings, res.language, res.text = findings, lang, text
        res.chars = len(text)
        return res

    def source_shared(self, source_path: str, source_lang: str | None, target_text: str,
                      source_text: str | None = None) -> dict:
        """What the target document carries so the bilingual rules see its
        source (a plain file, aligned by paragraph or as a whole)."""
        from qa.engine.bilingual import SourceLanguageError, align_plain, detect_source_language, shared_for

        from qa.sources.pairs import read_source

        try:
            src = source_text if source_text is not None else read_source(source_path)  # an HTML page: its text
        except InputError as e:
            raise InputError(f"source {source_path}: {e}") from None
        try:
            lang = source_lang or detect_source_language(src)
        except SourceLanguageError as e:
            raise InputError(f"source {source_path}: {e}") from None
        info = align_plain(self.checker, src, target_text, lang)
        info.path = source_path
        return shared_for(info)

    def check_path(self, path: str) -> ItemResult:
        return self.check_item(Item("file", path, path, None, stable_key(path)))

    # ---- outcome ---------------------------------------------------------------------------
    def exit_code(self, results: Sequence[ItemResult], fail_on: str | None = None) -> int:
        """2 when some input failed, 1 when a finding reaches ``fail_on`` (``info``:
        any finding), else 0."""
        if any(r.error for r in results):
            return 2
        level = fail_on or self.settings.fail_on
        if level == "never":
            return 0
        levels = {"error": {"error"}, "warning": {"error", "warning"}}.get(level, {"error", "warning", "info"})
        return 1 if any(str(f.severity) in levels for r in results for f in r.findings) else 0


def fingerprint(key: str, rule: str, term: str | None, flagged: str, text: str, start: int, end: int) -> str:
    """A finding's identity that survives edits elsewhere in the item: the item,
    the rule, the term, the flagged text and up to three words either side
    (no line numbers, no offsets)."""
    before = " ".join(text[max(0, start - 60):start].split()[-3:])
    after = " ".join(text[end:end + 60].split()[:3])
    h = hashlib.sha256("\x1f".join((key, rule, term or "", flagged, before, after)).encode("utf-8"))
    return h.hexdigest()[:20]


_PROJECTS: dict[str, Project] = {}


def project_for(settings: Settings) -> Project:
    """The project for ``settings``, built once per process (Dask and spawned workers)."""
    key = settings.digest()
    p = _PROJECTS.get(key)
    if p is None:
        p = _PROJECTS[key] = Project(settings)
        warm_up(p)
    return p


_WARM_UP_TEXT = (
    "Kyiv, Monday. The minister said the talks would go on.\n\n"
    "Le ministre a déclaré que les négociations se poursuivraient la semaine prochaine.\n\n"
    "Die Regierung hat am Montag neue Maßnahmen beschlossen, sagte der Sprecher.\n\n"
    "The mayor said that 13.000 people had left the city â€” the the report said.\n"
)


def warm_up(project: Project) -> None:
    """Load what the rules load lazily (language profiles, the common word
    lists) once, so that forked workers share it copy-on-write instead of each
    holding a copy. (It saves memory, not time: a worker would load it as fast.)"""
    try:
        project.checker.check_text(_WARM_UP_TEXT, "<warm-up>")
    except Exception:  # pragma: no cover - warm-up is an optimisation only
        pass
