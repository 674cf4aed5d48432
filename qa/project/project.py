"""The front door: one :class:`Project` that ``check``, ``fix``, ``review`` and
``audit`` share.

A project is built once per run from the configuration file (``copydesk.toml``
or ``[tool.copydesk]``) and the command-line options -- options win -- and
holds everything that decides what a check finds: the glossaries (their text,
so a worker process or a Dask worker rebuilds the very same index), the
compiled index, the target language, the rule selection, severity overrides
and whether review records are honoured. :class:`Settings` is its
serialisable part (plain JSON).

Every command reads its inputs through :meth:`Project.items` (:mod:`qa.sources`)
and checks them with the project's "check one item" service
(:attr:`Project.item_checker`, :mod:`qa.project.checking`), so the same
configuration gives the same findings through every command.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterator, Sequence

from qa.engine.checker import Checker
from qa.project.checking import ItemChecker
from qa.project.config import Config, ConfigError, find_config, load_config
from qa.project.settings import Settings
from qa.rules import load_builtin_rules
from qa.sources.items import FILE_KINDS, Item, expand


class ProjectError(Exception):
    """Settings that cannot make a project (``str(e)`` is one line)."""


def read_glossary_sources(paths: Sequence[str] | None) -> list[tuple[str, str]]:
    """(path, text) of the glossary files ``paths`` name (files or folders);
    ``None``: [] (the shipped glossaries, read when compiled)."""
    if not paths:
        return []
    from qa.text.cache import read_sources

    return read_sources(paths)


class Project:
    """Settings plus what is built from them once: the compiled glossary index
    and the checker (built lazily, on first use, and at most once). A project
    never changes after it is built; it names the inputs (:meth:`items`) and
    hands out the "check one item" service (:attr:`item_checker`,
    :class:`qa.project.checking.ItemChecker`), which does the checking."""

    def __init__(self, settings: Settings) -> None:
        load_builtin_rules()
        self.settings = settings
        self._checker: Checker | None = None
        self._item_checker = None
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
        from qa.model.langs import parse_language_code

        self.lang = parse_language_code(self.settings.lang, allow_auto=True)
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

    @property
    def item_checker(self) -> ItemChecker:
        """The "check one item" service for this project (built once)."""
        if self._item_checker is None:
            self._item_checker = ItemChecker(self.checker, self.settings)
        return self._item_checker

    def reloaded(self, glossary_paths: Sequence[str] | None = None) -> "Project":
        """The same project with its glossary files read again (after the reviewer
        added a form); this project is left as it was."""
        if glossary_paths is None:
            glossary_paths = [p for p, _t in self.settings.glossaries] or None
        return Project(self.settings.replace(glossaries=read_glossary_sources(glossary_paths)))

    def with_lang(self, lang: str) -> "Project":
        """The same project for another target language (a bilingual file's own)."""
        if lang == self.lang:
            return self
        s = self.settings.replace(lang=lang)
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
