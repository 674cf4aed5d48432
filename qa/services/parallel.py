"""Running an audit: in this process, in forked worker processes, or on a Dask cluster.

Local parallelism (``--jobs N``) compiles the glossary *once in the parent*,
warms the lazily loaded models up, and forks the workers, which inherit the
compiled index and the models copy-on-write: nothing is serialised, nothing
is compiled again, no cache file has to be trusted. Items go to the workers in
large chunks (about eight per worker, balanced by bytes) through
``Pool.imap``, so results come back in input order and equal a ``--jobs 1`` run.
Where fork is not available (macOS' default, Windows) the workers are spawned
and each rebuilds the project from :class:`qa.project.project.Settings` (glossary text,
language, rules: plain JSON), exactly as a Dask worker does.

On a Dask cluster (:func:`run_dask`, or :func:`audit_bag` from your own
``dask.bag`` code) every worker process builds the project from the same
:class:`~qa.project.project.Settings` once (memoised by its hash) and checks whole
partitions; the client gathers partitions in order. Files are read where they
are checked, so their paths must be visible to the workers (a shared file
system); JSON Lines records travel with the task.
"""
from __future__ import annotations

import gc
import multiprocessing as mp
import os
from typing import Callable, Sequence

from qa.model.results import ItemResult
from qa.project import result_cache
from qa.project.checking import ItemChecker
from qa.project.project import Project, Settings, project_for, warm_up
from qa.project.result_cache import ResultCache
from qa.sources.items import Item, item_size as spec_size

Spec = Item


def process_item(checker: ItemChecker, item: Item, cache: ResultCache | None = None) -> ItemResult:
    """Check one item (through the result ``cache`` when one is given); never raises
    (a bad input or a crashing rule is the item's error)."""
    try:
        res = result_cache.check_item(checker, item, cache)
    except Exception as e:  # a rule crashing on one item must not stop an archive audit
        res = ItemResult(path=item.path, item=item.item, key=item.key, kind=item.kind,
                         error=f"internal error: {type(e).__name__}: {e}")
    return res.detach()


def process_chunk(checker: ItemChecker, items: Sequence[Item], cache: ResultCache | None = None) -> list[ItemResult]:
    return [process_item(checker, Item(*it), cache) for it in items]


class Progress:
    """What a runner reports to (the CLI draws a rich progress bar from it)."""

    def start(self, items: int, size: int) -> None: ...

    def advance(self, items: int, size: int) -> None: ...

    def stop(self) -> None: ...


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def make_chunks(specs: Sequence[Spec], jobs: int, per_job: int = 8, max_items: int = 2000) -> list[list[Spec]]:
    """Contiguous chunks of about ``total bytes / (jobs * per_job)`` each."""
    sizes = [max(spec_size(s), 1) for s in specs]
    total = sum(sizes)
    target = max(total // max(jobs * per_job, 1), 1)
    chunks: list[list[Spec]] = []
    cur: list[Spec] = []
    acc = 0
    for s, n in zip(specs, sizes):
        cur.append(s)
        acc += n
        if acc >= target or len(cur) >= max_items:
            chunks.append(cur)
            cur, acc = [], 0
    if cur:
        chunks.append(cur)
    return chunks


# --------------------------------------------------------------------------- local
_STATE: ItemChecker | None = None  # the project's item checker, inherited by forked workers
_CACHE: ResultCache | None = None  # the result cache (its directory and key), likewise


def _run_chunk(chunk: list[Spec]) -> list[ItemResult]:
    return process_chunk(_STATE, chunk, _CACHE)  # type: ignore[arg-type]


def _init_spawned(settings_json: str, cache_args: tuple | None = None) -> None:
    global _STATE, _CACHE
    _STATE = project_for(Settings.from_json(settings_json)).item_checker
    _CACHE = ResultCache(*cache_args) if cache_args else None


MIN_PARALLEL_BYTES = 1_000_000  # below this, starting workers costs more than it saves


def run_local(specs: Sequence[Spec], settings: Settings, jobs: int = 1, project: Project | None = None,
              progress: Progress | None = None, start_method: str | None = None,
              min_parallel_bytes: int = MIN_PARALLEL_BYTES, cache: ResultCache | None = None) -> list[ItemResult]:
    """Audit ``specs``; the results are in input order whatever ``jobs`` is.
    With a result ``cache``, this process reads the hits first and only the misses are
    checked (and stored, by whichever process checks them). Inputs (misses) smaller than
    ``min_parallel_bytes`` are audited in this process."""
    global _STATE, _CACHE
    progress = progress or Progress()
    specs = list(specs)
    if not specs:
        progress.start(0, 0)
        progress.stop()
        return []
    sizes = [spec_size(s) for s in specs]
    sizes_total = sum(sizes)
    started = []

    def start() -> None:  # and report the cache's hits (after any fork: the bar runs a thread)
        if not started:
            progress.start(len(specs), sizes_total)
            started.append(True)
            if len(todo) < len(specs):
                progress.advance(len(specs) - len(todo), sizes_total - sum(sizes[i] for i in todo))

    results: list[ItemResult | None] = [None] * len(specs)
    todo = list(range(len(specs)))
    if cache is not None:  # hits need no project, no checker and no worker
        todo = []
        for i, s in enumerate(specs):
            key = cache.key(s)
            recorded = settings.records and s.kind == "file" and cache.has_record(s.path)
            hit = None if key is None or recorded else cache.get(key, s)
            if hit is None:
                todo.append(i)
            else:
                results[i] = hit
    misses = [specs[i] for i in todo]
    if sum(sizes[i] for i in todo) < min_parallel_bytes:
        jobs = 1
    if misses and project is None:
        project = project_for(settings)
    elif misses and jobs > 1:
        warm_up(project)  # before forking, so that every worker inherits the loaded models
    try:
        if jobs <= 1 or len(misses) < 2:
            start()
            try:
                for i in todo:
                    results[i] = process_item(project.item_checker, specs[i], cache)
                    progress.advance(1, sizes[i])
            finally:
                progress.stop()
            return results  # type: ignore[return-value]

        chunks = make_chunks(misses, jobs)
        method = start_method or ("fork" if "fork" in mp.get_all_start_methods() else "spawn")
        ctx = mp.get_context(method)
        if method == "fork":
            _STATE, _CACHE = project.item_checker, cache
            # keep the collector off the inherited objects: fewer copy-on-write page copies in the workers
            gc.freeze()
            try:
                pool = ctx.Pool(min(jobs, len(chunks)))
            finally:
                gc.unfreeze()
        else:
            cache_args = (str(cache.directory), cache.settings_digest, cache.max_bytes) if cache else None
            pool = ctx.Pool(min(jobs, len(chunks)), initializer=_init_spawned,
                            initargs=(settings.to_json(), cache_args))
        # the progress bar's refresh thread starts only after the workers were forked
        start()
        pos = 0
        try:
            with pool:
                for chunk, out in zip(chunks, pool.imap(_run_chunk, chunks)):
                    for r in out:
                        results[todo[pos]] = r
                        pos += 1
                    progress.advance(len(chunk), sum(spec_size(s) for s in chunk))
        finally:
            progress.stop()
            _STATE = _CACHE = None
        if cache is not None:
            cache.writes += len(misses)  # the workers wrote them: prune on close
        return results  # type: ignore[return-value]
    finally:
        if cache is not None:
            cache.close()


# --------------------------------------------------------------------------- Dask
def _dask_partition(part, settings_json: str, use_cache: bool = False) -> list[ItemResult]:
    project = project_for(Settings.from_json(settings_json))
    checker = project.item_checker
    # each worker uses its own machine's cache directory (entries are written atomically,
    # so workers of one machine may share it)
    cache = ResultCache.for_project(project) if use_cache else None
    try:
        return [process_item(checker, Item(*spec), cache) for spec in part]
    finally:
        if cache is not None:
            cache.close()


def audit_bag(bag, settings: Settings, use_cache: bool = False):
    """A ``dask.bag`` of items (see :meth:`qa.project.project.Project.items`) -> a bag
    of :class:`~qa.model.results.ItemResult` (findings with fingerprints, no text).

    >>> import dask.bag as db
    >>> project = Project.from_options(glossary=["desk.toml"])
    >>> items = list(project.items(["articles/"]))
    >>> results = audit_bag(db.from_sequence(items, npartitions=64), project.settings).compute()
    """
    return bag.map_partitions(_dask_partition, settings.to_json(), use_cache)


def run_dask(specs: Sequence[Spec], settings: Settings, scheduler: str | None = None, client=None,
             npartitions: int | None = None, progress: Progress | None = None,
             use_cache: bool = False) -> list[ItemResult]:
    """Audit ``specs`` on a Dask cluster (``scheduler`` address or a ``distributed.Client``);
    ``use_cache``: each worker reads and writes its result cache."""
    try:
        import dask.bag as db
        from distributed import Client, as_completed
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise RuntimeError(f"Dask is not installed ({e}); pip install 'copydesk[dask]'") from None
    progress = progress or Progress()
    specs = list(specs)
    if not specs:
        return []
    own = client is None
    if own:
        client = Client(scheduler)
    try:
        if npartitions is None:
            threads = sum(client.nthreads().values()) or 1
            npartitions = min(len(specs), max(threads * 4, 1))
        # contiguous partitions, so gathering them in order keeps the input order
        bag = db.from_sequence(specs, npartitions=npartitions)
        parts = audit_bag(bag, settings, use_cache).to_delayed()
        futures = client.compute(parts)
        sizes = {}
        bounds = _partition_bounds(len(specs), bag.npartitions, specs)
        for fut, (lo, hi) in zip(futures, bounds):
            sizes[fut.key] = (hi - lo, sum(spec_size(s) for s in specs[lo:hi]))
        progress.start(len(specs), sum(spec_size(s) for s in specs))
        try:
            for fut in as_completed(futures):
                n, b = sizes.get(fut.key, (0, 0))
                progress.advance(n, b)
        finally:
            progress.stop()
        out: list[ItemResult] = []
        for part in client.gather(futures):
            out.extend(part)
        return out
    finally:
        if own:
            client.close()


def _partition_bounds(n: int, nparts: int, specs: Sequence[Spec]) -> list[tuple[int, int]]:
    """Item ranges of ``db.from_sequence(specs, npartitions=nparts)`` (for progress only)."""
    import math

    size = max(1, int(math.ceil(n / nparts))) if nparts else n
    return [(i, min(i + size, n)) for i in range(0, n, size)]


Runner = Callable[..., list]
