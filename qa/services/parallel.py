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
from qa.project.checking import ItemChecker
from qa.project.project import Project, Settings, project_for, warm_up
from qa.sources.items import Item, item_size as spec_size

Spec = Item


def process_item(checker: ItemChecker, item: Item) -> ItemResult:
    """Check one item; never raises (a bad input or a crashing rule is the item's error)."""
    try:
        res = checker.check_item(item)
    except Exception as e:  # a rule crashing on one item must not stop an archive audit
        res = ItemResult(path=item.path, item=item.item, key=item.key, kind=item.kind,
                         error=f"internal error: {type(e).__name__}: {e}")
    return res.detach()


def process_chunk(checker: ItemChecker, items: Sequence[Item]) -> list[ItemResult]:
    return [process_item(checker, Item(*it)) for it in items]


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


def _run_chunk(chunk: list[Spec]) -> list[ItemResult]:
    return process_chunk(_STATE, chunk)  # type: ignore[arg-type]


def _init_spawned(settings_json: str) -> None:
    global _STATE
    _STATE = project_for(Settings.from_json(settings_json)).item_checker


MIN_PARALLEL_BYTES = 1_000_000  # below this, starting workers costs more than it saves


def run_local(specs: Sequence[Spec], settings: Settings, jobs: int = 1, project: Project | None = None,
              progress: Progress | None = None, start_method: str | None = None,
              min_parallel_bytes: int = MIN_PARALLEL_BYTES) -> list[ItemResult]:
    """Audit ``specs``; the results are in input order whatever ``jobs`` is.
    Inputs smaller than ``min_parallel_bytes`` are audited in this process."""
    global _STATE
    progress = progress or Progress()
    specs = list(specs)
    if not specs:
        progress.start(0, 0)
        progress.stop()
        return []
    sizes_total = sum(spec_size(s) for s in specs)
    if sizes_total < min_parallel_bytes:
        jobs = 1
    if project is None:
        project = project_for(settings)
    elif jobs > 1:
        warm_up(project)  # before forking, so that every worker inherits the loaded models
    results: list[ItemResult] = []
    if jobs <= 1 or len(specs) < 2:
        progress.start(len(specs), sizes_total)
        try:
            for s in specs:
                results.append(process_item(project.item_checker, s))
                progress.advance(1, spec_size(s))
        finally:
            progress.stop()
        return results

    chunks = make_chunks(specs, jobs)
    method = start_method or ("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    ctx = mp.get_context(method)
    if method == "fork":
        _STATE = project.item_checker
        # keep the collector off the inherited objects: fewer copy-on-write page copies in the workers
        gc.freeze()
        try:
            pool = ctx.Pool(min(jobs, len(chunks)))
        finally:
            gc.unfreeze()
    else:
        pool = ctx.Pool(min(jobs, len(chunks)), initializer=_init_spawned, initargs=(settings.to_json(),))
    # the progress bar's refresh thread starts only after the workers were forked
    progress.start(len(specs), sizes_total)
    try:
        with pool:
            for chunk, out in zip(chunks, pool.imap(_run_chunk, chunks)):
                results.extend(out)
                progress.advance(len(chunk), sum(spec_size(s) for s in chunk))
    finally:
        progress.stop()
        _STATE = None
    return results


# --------------------------------------------------------------------------- Dask
def _dask_partition(part, settings_json: str) -> list[ItemResult]:
    checker = project_for(Settings.from_json(settings_json)).item_checker
    return [process_item(checker, Item(*spec)) for spec in part]


def audit_bag(bag, settings: Settings):
    """A ``dask.bag`` of items (see :meth:`qa.project.project.Project.items`) -> a bag
    of :class:`~qa.model.results.ItemResult` (findings with fingerprints, no text).

    >>> import dask.bag as db
    >>> project = Project.from_options(glossary=["desk.toml"])
    >>> items = list(project.items(["articles/"]))
    >>> results = audit_bag(db.from_sequence(items, npartitions=64), project.settings).compute()
    """
    return bag.map_partitions(_dask_partition, settings.to_json())


def run_dask(specs: Sequence[Spec], settings: Settings, scheduler: str | None = None, client=None,
             npartitions: int | None = None, progress: Progress | None = None) -> list[ItemResult]:
    """Audit ``specs`` on a Dask cluster (``scheduler`` address or a ``distributed.Client``)."""
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
        parts = audit_bag(bag, settings).to_delayed()
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
