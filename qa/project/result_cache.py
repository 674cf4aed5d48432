"""The result cache: a checked item's findings, kept on disk, so that a re-audit of an
unchanged archive reads them back instead of checking again (like Ruff's cache).

One entry per item, under ``<cache dir>/results/`` (the cache directory of
:func:`qa.text.cache.cache_dir`: ``$COPYDESK_CACHE_DIR``, else
``$XDG_CACHE_HOME/copydesk``, else ``~/.cache/copydesk``; or
``$COPYDESK_RESULT_CACHE_DIR``). An entry's name is the
SHA-256 of everything that decides the item's findings:

- the item's bytes (a file's raw bytes, a JSON Lines record's text), its kind
  (text, HTML, record), its stable key (fingerprints are made from it) and its
  file suffix;
- the compiled glossary's key (:func:`qa.text.cache.cache_key`: every glossary
  file's bytes, the target language, copydesk's version and the compiler's source),
  so **any change to a glossary invalidates every entry** checked with it (not only
  the files that mention a changed term's forms: finding those would need the
  old and the new glossary compared form by form, and a form can also change a
  verdict elsewhere, through the near-miss evidence);
- the project's target language, the rules that run (after ``--select`` /
  ``--ignore`` and the rules registered in this process) and severity overrides;
- copydesk's version and a digest of its own source files (``qa/``), so an edited
  rule never reads an entry that an older one wrote, even within one version number.

Review records (findings a reviewer rejected) are applied after the cache, as on
a fresh run; an item with a review record, an item checked against a source
(``--source-dir``) or one that failed is never cached. Entries are JSON, written
atomically (a temporary file renamed into place), so parallel jobs and Dask workers
on one machine may share the directory: the worst a race does is write the same
entry twice. An entry that cannot be read is a miss. The directory is bounded
(:data:`DEFAULT_MAX_MB`, ``$COPYDESK_RESULT_CACHE_MB``): after a run that wrote
entries, the oldest go first. ``--no-cache`` (or ``COPYDESK_NO_CACHE=1``) bypasses
it; ``copydesk cache clean`` drops it.

The interface is narrow: :meth:`ResultCache.get` / :meth:`ResultCache.put` by
:meth:`ResultCache.key`, and :func:`check_item` (get, else check with the project's
:class:`~qa.project.checking.ItemChecker` and put), which the check and audit paths call.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import threading
from pathlib import Path
from typing import Any, Iterable

from qa import __version__
from qa.model.findings import Applicability, Edit, Finding, Fix, Severity
from qa.model.results import ItemResult
from qa.sources.items import Item

FORMAT = 1
DEFAULT_MAX_MB = 512
SUBDIR = "results"

_SOURCE_DIGEST: str | None = None


def source_digest() -> str:
    """SHA-256 of copydesk's own modules (``qa/**/*.py``), once per process (a few ms)."""
    global _SOURCE_DIGEST
    if _SOURCE_DIGEST is None:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        h = hashlib.sha256(f"copydesk {__version__} python {sys.version_info[:2]}\n".encode())
        found = []
        for d, dirs, files in os.walk(root):
            dirs[:] = [x for x in dirs if x != "__pycache__"]
            found.extend(os.path.join(d, f) for f in files if f.endswith(".py"))
        for f in sorted(found):
            try:
                with open(f, "rb") as fh:
                    data = fh.read()
            except OSError:
                continue
            h.update(f"{os.path.relpath(f, root)}\0{len(data)}\0".encode())
            h.update(data)
        _SOURCE_DIGEST = h.hexdigest()
    return _SOURCE_DIGEST


def enabled_by_env() -> bool:
    return os.environ.get("COPYDESK_NO_CACHE", "") in ("", "0")


def results_dir() -> Path:
    """``$COPYDESK_RESULT_CACHE_DIR``, else ``results/`` in the cache directory."""
    env = os.environ.get("COPYDESK_RESULT_CACHE_DIR")
    if env:
        return Path(env)
    from qa.text.cache import cache_dir

    return cache_dir() / SUBDIR


# ----------------------------------------------------------------------------- (de)serialisation
def _finding_row(f: Finding) -> list:
    fix = None if f.fix is None else [str(f.fix.applicability), [[e.start, e.end, e.replacement] for e in f.fix.edits]]
    return [f.rule, str(f.severity), f.start, f.end, f.message, f.text, fix, list(f.alternatives), f.term, f.data,
            f.line, f.column, f.end_line, f.end_column, f.fix_before, f.fix_after, f.fingerprint]


def _finding(row: list) -> Finding:
    (rule, sev, start, end, message, text, fix, alts, term, data, line, column, end_line, end_column,
     fix_before, fix_after, fp) = row
    if fix is not None:
        fix = Fix(tuple(Edit(s, e, r) for s, e, r in fix[1]), Applicability(fix[0]))
    return Finding(rule, Severity(sev), start, end, message, text, fix, tuple(alts), term, data, line, column,
                   end_line, end_column, fix_before, fix_after, fp)


def encode_result(res: ItemResult) -> bytes | None:
    """An entry for ``res`` (checked, with its text), or None when it cannot be kept
    faithfully (a finding whose report needs the text, or data that JSON would change)."""
    if res.error or res.text is None or res.source is not None:
        return None
    rows = []
    for f in res.findings:
        if f.fix is not None and f.to_json(None) != f.to_json(res.text):
            return None  # its report needs the text: not worth a special case
        rows.append(_finding_row(f))
    doc = {"format": FORMAT, "language": res.language, "encoding": res.encoding, "bom": res.bom,
           "chars": res.chars, "words": res.words, "findings": rows}
    try:
        data = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):
        return None
    # the entry must give back exactly what was found (e.g. no tuple in a finding's data)
    if json.loads(data)["findings"] != rows:
        return None
    return data.encode("utf-8")


def decode_result(data: bytes, item: Item) -> ItemResult:
    doc = json.loads(data)
    if doc.get("format") != FORMAT:
        raise ValueError("another entry format")
    kind, name, path, _payload, key = item
    res = ItemResult(path=path, item=name, key=key, kind=kind, language=doc["language"],
                     encoding=doc["encoding"], bom=doc["bom"], chars=doc["chars"],
                     findings=[_finding(r) for r in doc["findings"]])
    res._words = doc["words"]
    return res


# ----------------------------------------------------------------------------- the cache
class ResultCache:
    """Entries under ``directory`` for one project's settings (see the module)."""

    def __init__(self, directory: Path, settings_digest: str, max_bytes: int | None = None) -> None:
        self.directory = Path(directory)
        self.settings_digest = settings_digest
        if max_bytes is None:
            try:
                max_bytes = int(float(os.environ.get("COPYDESK_RESULT_CACHE_MB", DEFAULT_MAX_MB)) * 1e6)
            except ValueError:
                max_bytes = int(DEFAULT_MAX_MB * 1e6)
        self.max_bytes = max_bytes
        self.hits = self.misses = self.writes = 0
        self._made: set[str] = set()  # sub-directories known to exist
        self._record_dirs: dict[str, bool] = {}  # folder -> holds review records

    @classmethod
    def for_project(cls, project, enabled: bool = True) -> "ResultCache | None":
        """The cache of ``project`` (None when disabled by ``enabled`` or the environment)."""
        if not enabled or not enabled_by_env():
            return None
        from qa.text.cache import cache_key, read_sources

        s = project.settings
        sources = [tuple(x) for x in s.glossaries] if s.glossaries else read_sources(None)
        lang = project.lang
        glossary_key = cache_key(sources, "en" if lang == "auto" else lang)
        parts = {"glossary": glossary_key, "lang": lang, "rules": sorted(project.enabled),
                 "severity": sorted(s.severity.items()), "code": source_digest(), "format": FORMAT}
        digest = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
        return cls(results_dir(), digest)

    # ---- keys -------------------------------------------------------------------------------
    def key(self, item: Item) -> str | None:
        """The entry name of ``item`` (reads a file's bytes), or None for an item never cached."""
        kind, _name, path, payload, key = item
        if kind == "error" or isinstance(payload, dict):
            return None
        if kind == "text":
            if not isinstance(payload, str):
                return None
            data = payload.encode("utf-8", "surrogatepass")
        else:
            try:
                with open(path, "rb") as fh:
                    data = fh.read()
            except OSError:
                return None  # the check reports it
        h = hashlib.sha256(f"{self.settings_digest}\0{kind}\0{key}\0{os.path.splitext(path)[1].lower()}\0".encode())
        h.update(data)
        return h.hexdigest()

    def has_record(self, path: str) -> bool:
        """Whether a review record decides the findings of the file ``path`` (then it is
        checked afresh). A folder without a record folder is looked at once."""
        from qa.project.records import RECORD_DIR, load_record

        d = os.path.dirname(os.path.abspath(path))
        there = self._record_dirs.get(d)
        if there is None:
            there = self._record_dirs[d] = os.path.isdir(os.path.join(d, RECORD_DIR))
        if not there:
            return False
        try:
            return load_record(path) is not None
        except Exception:
            return True  # let the check itself report it

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def _file(self, key: str) -> str:
        return os.path.join(self.directory, key[:2], key + ".json")

    # ---- get / put --------------------------------------------------------------------------
    def get(self, key: str, item: Item) -> ItemResult | None:
        try:
            with open(self._file(key), "rb") as fh:
                data = fh.read()
            res = decode_result(data, item)
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return res

    def put(self, key: str, res: ItemResult) -> None:
        data = encode_result(res)
        if data is None:
            return
        sub = os.path.join(self.directory, key[:2])
        path = os.path.join(sub, key + ".json")
        # atomic (a rename), not durable (no fsync): a torn entry is unreadable, so a miss.
        # The temporary name is unique per process and thread (no mkstemp: file creation is
        # the cost of a first run on a busy disk).
        tmp = f"{path}.{os.getpid()}.{threading.get_ident()}.tmp"
        try:
            if sub not in self._made:
                os.makedirs(sub, exist_ok=True)
                self._made.add(sub)
            try:
                with open(tmp, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
            self.writes += 1
        except OSError:  # a cache is an optimisation: never fail a check over it
            pass

    # ---- bounds -----------------------------------------------------------------------------
    def prune(self) -> int:
        """Drop the oldest entries while the directory holds more than ``max_bytes``.
        Returns how many were dropped."""
        entries = []
        total = 0
        try:
            subdirs = list(os.scandir(self.directory))
        except OSError:
            return 0
        for sd in subdirs:
            if not sd.is_dir():
                continue
            try:
                for e in os.scandir(sd.path):
                    try:
                        st = e.stat()
                    except OSError:
                        continue
                    entries.append((st.st_mtime, st.st_size, e.path))
                    total += st.st_size
            except OSError:
                continue
        if total <= self.max_bytes:
            return 0
        dropped = 0
        for _mtime, size, path in sorted(entries):
            if total <= self.max_bytes * 0.8:  # some room, so the next run does not prune again
                break
            try:
                os.unlink(path)
                total -= size
                dropped += 1
            except OSError:
                pass
        return dropped

    def close(self) -> None:
        """After a run: keep the directory within its bound."""
        if self.writes:
            self.prune()


def check_item(checker, item: Item, cache: ResultCache | None) -> ItemResult:
    """``checker.check_item(item)`` (a :class:`qa.project.checking.ItemChecker`) through
    ``cache`` (None: no cache). The result of a hit carries no text (as after
    :meth:`ItemResult.detach`)."""
    if cache is None:
        return checker.check_item(item)
    key = cache.key(item)
    if key is None:
        return checker.check_item(item)
    if checker.settings.records and item.kind == "file" and cache.has_record(item.path):
        return checker.check_item(item)  # rejected findings depend on the record: check afresh
    hit = cache.get(key, item)
    if hit is not None:
        return hit
    res = checker.check_item(item)
    cache.put(key, res)
    return res


def check_items(project, items: Iterable[Item], cache: ResultCache | None) -> list[ItemResult]:
    """Each item's result through ``cache``; the project's checker (its compiled glossary)
    is built only when some item misses. Keeps the cache within its bound afterwards."""
    out = []
    checker = None
    for item in items:
        key = cache.key(item) if cache is not None else None
        hit = None
        if key is not None and not (project.settings.records and item.kind == "file" and cache.has_record(item.path)):
            hit = cache.get(key, item)
        if hit is None:
            checker = checker or project.item_checker
            hit = checker.check_item(item)
            if key is not None and not (project.settings.records and item.kind == "file"
                                        and cache.has_record(item.path)):
                cache.put(key, hit)
        out.append(hit)
    if cache is not None:
        cache.close()
    return out


def clean(directory: Path | None = None) -> tuple[int, int]:
    """Drop every cached result (``copydesk cache clean``): (entries, bytes) removed."""
    d = Path(directory) if directory is not None else results_dir()
    if not d.exists():
        return 0, 0
    held = info(d)
    shutil.rmtree(d, ignore_errors=True)
    return held["entries"], held["bytes"]


def info(directory: Path | None = None) -> dict[str, Any]:
    d = Path(directory) if directory is not None else results_dir()
    n = size = 0
    for root, _dirs, files in os.walk(d):
        for f in files:
            try:
                size += os.path.getsize(os.path.join(root, f))
                n += 1
            except OSError:
                pass
    return {"directory": str(d), "entries": n, "bytes": size}
