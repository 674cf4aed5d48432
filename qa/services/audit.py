"""Corpus audits: the service behind ``copydesk audit``.

An audit takes the project's items (:mod:`qa.sources`), checks each with
:meth:`qa.project.checking.ItemChecker.check_item` (in this process, in forked
workers, or on a Dask cluster -- see :mod:`qa.services.parallel`), applies a
baseline and folds the results into a summary (:mod:`qa.report.render`).
Items and :class:`~qa.project.project.Settings` are plain data, so they travel
cheaply between processes and machines; results come back as
:class:`~qa.model.results.ItemResult` objects without their text.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Sequence

from qa.model.results import ItemResult, exit_code_for
from qa.project.project import Project
from qa.report.render import summarize
from qa.services.parallel import default_jobs, run_dask, run_local



class AuditError(Exception):
    """An audit that cannot start (``str(e)`` is one line)."""


@dataclass
class AuditOutcome:
    results: list[ItemResult]
    summary: dict
    exit_code: int


def run_audit(project: Project, paths: Sequence[str], *, jsonl_field: str = "text", id_field: str | None = None,
              source_dir: str | None = None, source_lang: str | None = None, jobs: int | None = None,
              dask_scheduler: str | None = None, baseline: str | None = None,
              write_baseline: str | None = None, fail_on: str | None = None, top: int = 10,
              progress=None, use_cache: bool = True) -> AuditOutcome:
    jobs = jobs if jobs is not None else (project.settings.jobs or default_jobs())
    if jobs < 1:
        raise AuditError("--jobs must be at least 1")
    if top < 0:
        raise AuditError("--top must not be negative")
    project.checker  # glossary errors surface here, once, before any worker starts
    items = list(project.items(paths, jsonl_field=jsonl_field, id_field=id_field))
    if source_dir:
        from qa.sources.pairs import PairingError, pair_items

        try:
            items = pair_items(paths, items, source_dir, source_lang, jsonl_field=jsonl_field, id_field=id_field)
        except PairingError as e:
            raise AuditError(str(e)) from None
    known = None
    if baseline:
        from qa.project.baseline import BaselineError, load_baseline

        try:
            known = load_baseline(baseline)
        except BaselineError as e:
            raise AuditError(str(e)) from None
    t0 = time.perf_counter()
    if dask_scheduler:
        try:
            results = run_dask(items, project.settings, scheduler=dask_scheduler, progress=progress,
                               use_cache=use_cache)
        except RuntimeError as e:
            raise AuditError(str(e)) from None
        except OSError as e:
            raise AuditError(f"cannot reach the Dask scheduler {dask_scheduler}: {e}") from None
        backend, jobs = "dask", 0
    else:
        from qa.project.result_cache import ResultCache

        results = run_local(items, project.settings, jobs=jobs, project=project, progress=progress,
                            cache=ResultCache.for_project(project, use_cache))
        backend = "local"
    elapsed = time.perf_counter() - t0
    if write_baseline:
        from qa.project.baseline import write_baseline as write

        write(write_baseline, results)
    suppressed = None
    if known is not None:
        from qa.project.baseline import apply_baseline

        suppressed = apply_baseline(results, known)
    summary = summarize(results, elapsed, top_terms=top, top_items=top, suppressed=suppressed,
                        jobs=jobs, backend=backend)
    return AuditOutcome(results, summary, exit_code_for(results, fail_on or project.settings.fail_on))
