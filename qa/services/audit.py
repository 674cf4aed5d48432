"""Corpus audits: the engine behind ``copydesk audit``.

An audit turns inputs (files, folders, JSON Lines corpora) into *item specs*,
checks every item (in this process, in forked workers, or on a Dask cluster --
see :mod:`qa.services.parallel`), and folds the per-item results into a summary.

Item specs and results are plain tuples/dicts (JSON-compatible) so that they
travel cheaply between processes and machines. A result is the
``copydesk.check/1`` file object with a few added fields::

    {"item": "corpus.jsonl#42", "path": "corpus.jsonl", "language": "en",
     "error": None, "words": 512, "chars": 3100,
     "findings": [<copydesk.check/1 finding> + "fingerprint", "end_line", "end_column"]}
"""
from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from fnmatch import fnmatch
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Iterator, Sequence

from qa.model.findings import Severity

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
SEVERITIES = ("error", "warning", "info")
FAIL_ON = ("error", "warning", "never")

# An item spec: (kind, item id, path, payload, key)
#   kind "file": payload None (read where the item is processed), "html" likewise,
#   "text": payload is the text (a JSON Lines record), "error": payload is why it failed.
#   key: the stable name used in fingerprints (path relative to the working directory).
Spec = tuple


# ----------------------------------------------------------------------------- settings
@dataclass
class Settings:
    """Everything a worker needs to build the checker: serialisable, so a Dask
    worker on another machine (or a spawned process) rebuilds the same one."""

    glossaries: list[tuple[str, str]] = field(default_factory=list)  # (path, TOML text); [] = shipped
    lang: str = "en"
    select: list[str] | None = None
    ignore: list[str] | None = None
    severity: dict[str, str] = field(default_factory=dict)  # rule id -> error|warning|info

    @classmethod
    def from_paths(cls, glossary_paths: Sequence[str] | None, **kw) -> "Settings":
        from qa.text.glossary import glossary_files, shipped_glossary_files

        files = glossary_files(glossary_paths) if glossary_paths else shipped_glossary_files()
        sources = []
        for f in files:
            try:
                sources.append((str(f), Path(f).read_bytes().decode("utf-8")))
            except (OSError, UnicodeDecodeError):
                from qa.text.glossary import load_glossary_file

                load_glossary_file(f)  # raises the usual one-line GlossaryError
                raise
        return cls(glossaries=sources, **kw)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, s: str) -> "Settings":
        d = json.loads(s)
        d["glossaries"] = [tuple(x) for x in d["glossaries"]]
        return cls(**d)

    def digest(self) -> str:
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()

    def build_checker(self):
        from qa.engine.checker import Checker
        from qa.model.langs import check_language

        from qa.text.cache import compile_glossary, read_sources

        lang = check_language(self.lang, allow_auto=True)
        sources = [tuple(s) for s in self.glossaries] if self.glossaries else read_sources(None)
        g, index = compile_glossary(sources, "en" if lang == "auto" else lang)
        return Checker(index=index, lang=lang, select=self.select, ignore=self.ignore, glossary=g)


_CHECKERS: dict[str, Any] = {}


def checker_for(settings: Settings):
    """The checker for ``settings``, compiled once per process."""
    key = settings.digest()
    c = _CHECKERS.get(key)
    if c is None:
        c = _CHECKERS[key] = settings.build_checker()
        warm_up(c)
    return c


_WARM_UP_TEXT = (
    "Kyiv, Monday. The minister said the talks would go on.\n\n"
    "Le ministre a déclaré que les négociations se poursuivraient la semaine prochaine.\n\n"
    "Die Regierung hat am Montag neue Maßnahmen beschlossen, sagte der Sprecher.\n\n"
    "The mayor said that 13.000 people had left the city â€” the the report said.\n"
)


def warm_up(checker) -> None:
    """Load what the rules load lazily (language profiles, the common word
    lists) once, so that forked workers share it copy-on-write instead of each
    holding a copy. (It saves memory, not time: a worker would load it as fast.)"""
    try:
        checker.check_text(_WARM_UP_TEXT, "<warm-up>")
    except Exception:  # pragma: no cover - warm-up is an optimisation only
        pass


# ----------------------------------------------------------------------------- inputs
def stable_key(path: str) -> str:
    """A path name that does not depend on how it was spelled on the command line:
    relative to the working directory when below it, POSIX separators."""
    ap = os.path.abspath(path)
    try:
        rel = os.path.relpath(ap)
    except ValueError:  # another drive on Windows
        rel = ap
    if rel.startswith(".."):
        rel = ap
    return PurePosixPath(Path(rel)).as_posix()


def _excluded(path: Path, exclude: Sequence[str]) -> bool:
    """``exclude`` patterns (fnmatch): one with a ``/`` matches the path or a folder
    above it (relative patterns are relative to the working directory); one
    without matches any single name in the path."""
    if not exclude:
        return False
    full = PurePosixPath(Path(os.path.realpath(path)).as_posix())
    parts = full.parts
    prefixes = [str(PurePosixPath(*parts[:i])) for i in range(2, len(parts) + 1)]
    cwd = None
    for pat in exclude:
        pat = pat.rstrip("/")
        if "/" in pat:
            if not os.path.isabs(pat):
                cwd = cwd or Path(os.path.realpath(os.getcwd())).as_posix()
                pat = posixpath.normpath(cwd + "/" + pat)
            if any(fnmatch(p, pat) for p in prefixes):
                return True
        elif any(fnmatch(part, pat) for part in parts[1:]):
            return True
    return False


def expand_inputs(paths: Sequence[str], exclude: Sequence[str] = (), jsonl_field: str = "text",
                  id_field: str | None = None) -> Iterator[Spec]:
    """Item specs for ``paths`` in a deterministic order (folders sorted, recursively)."""
    for p in paths:
        pp = Path(p)
        if pp.is_dir():
            files = sorted(x for x in pp.rglob("*") if x.is_file()
                           and x.suffix.lower() in TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES)
            for x in files:
                if not _excluded(x, exclude):
                    yield from _file_specs(str(x), jsonl_field, id_field)
        else:
            if _excluded(pp, exclude):
                continue
            yield from _file_specs(p, jsonl_field, id_field)


def _file_specs(path: str, jsonl_field: str, id_field: str | None) -> Iterator[Spec]:
    suffix = Path(path).suffix.lower()
    key = stable_key(path)
    if suffix in JSONL_SUFFIXES:
        yield from jsonl_specs(path, jsonl_field, id_field)
    elif suffix in HTML_SUFFIXES:
        yield ("html", path, path, None, key)
    else:
        yield ("file", path, path, None, key)


def jsonl_specs(path: str, text_field: str = "text", id_field: str | None = None) -> Iterator[Spec]:
    """One spec per record of a JSON Lines corpus; a bad record is an "error" item."""
    key = stable_key(path)
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        yield ("error", path, path, "no such file", key)
        return
    except OSError as e:
        yield ("error", path, path, f"cannot read: {e.strerror or e}", key)
        return
    with fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            item = f"{path}:{n}"
            try:
                rec = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as e:
                yield ("error", item, path, f"line {n}: not valid UTF-8 (offset {e.start})", f"{key}:{n}")
                continue
            except json.JSONDecodeError as e:
                yield ("error", item, path, f"line {n}: not JSON ({e.msg})", f"{key}:{n}")
                continue
            if id_field:
                rid = rec.get(id_field) if isinstance(rec, dict) else None
                if rid is None:
                    yield ("error", item, path, f"line {n}: no {id_field!r} field", f"{key}:{n}")
                    continue
                item = f"{path}#{rid}"
                ikey = f"{key}#{rid}"
            else:
                ikey = f"{key}:{n}"
            text = rec.get(text_field) if isinstance(rec, dict) else None
            if not isinstance(text, str):
                yield ("error", item, path, f"line {n}: no string {text_field!r} field", ikey)
                continue
            yield ("text", item, path, text, ikey)


# ----------------------------------------------------------------------------- HTML
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "article",
          "section", "header", "footer", "tr", "table", "pre", "figcaption", "figure", "hr", "dd", "dt", "main",
          "aside", "nav", "title"}
_SKIP = {"script", "style", "noscript", "template", "svg", "head"}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP and tag != "head":
            self.skip += 1
        if tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag, attrs):
        if tag in ("br", "hr"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP and tag != "head" and self.skip:
            self.skip -= 1
        if tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The readable text of an HTML page: one paragraph per block element,
    scripts and styles dropped, white space inside a paragraph collapsed."""
    p = _TextExtractor()
    p.feed(html)
    p.close()
    raw = "".join(p.parts)
    paras = []
    for block in re.split(r"\n\s*\n", raw):
        line = " ".join(block.split())
        if line:
            paras.append(line)
    return "\n\n".join(paras) + ("\n" if paras else "")


# ----------------------------------------------------------------------------- one item
_WORD = re.compile(r"\w+(?:[’'-]\w+)*")


def fingerprint(key: str, rule: str, term: str | None, flagged: str, text: str, start: int, end: int) -> str:
    """A finding's identity that survives edits elsewhere in the item: the item,
    the rule, the term, the flagged text and up to three words either side
    (no line numbers, no offsets)."""
    before = " ".join(text[max(0, start - 60):start].split()[-3:])
    after = " ".join(text[end:end + 60].split()[:3])
    h = hashlib.sha256("\x1f".join((key, rule, term or "", flagged, before, after)).encode("utf-8"))
    return h.hexdigest()[:20]


def _line_col(text: str, offset: int) -> tuple[int, int]:
    head = text[:offset]
    line = len(re.findall(r"\r\n|\r|\n", head)) + 1
    m = None
    for m in re.finditer(r"\r\n|\r|\n", head):
        pass
    col = offset - (m.end() if m else 0) + 1
    return line, col


def process_spec(checker, spec: Spec, severity: dict[str, str] | None = None) -> dict:
    """Check one item; never raises for a bad input (the result carries the error)."""
    from qa.engine.checker import InputError, read_text

    kind, item, path, payload, key = spec
    res: dict[str, Any] = {"item": item, "path": path, "language": None, "error": None,
                           "words": 0, "chars": 0, "findings": []}
    if kind == "error":
        res["error"] = payload
        return res
    if kind == "text":
        text = payload
    else:
        try:
            text, _enc, _bom = read_text(path)
        except InputError as e:
            res["error"] = str(e)
            return res
        if kind == "html":
            text = html_to_text(text)
    try:
        if isinstance(payload, dict) and payload.get("source"):  # audit --source-dir (qa/bilingual.py)
            from qa.services.bilingual import pair_from_file

            findings, lang = pair_from_file(checker, text, path, payload["source"], payload.get("source_lang"))
        else:
            findings, lang = checker.check_text(text, path)
    except InputError as e:
        res["error"] = str(e)
        return res
    except Exception as e:  # a rule crashing on one item must not stop an archive audit
        res["error"] = f"internal error: {type(e).__name__}: {e}"
        return res
    res["language"] = lang
    res["words"] = len(_WORD.findall(text))
    res["chars"] = len(text)
    out = []
    for f in findings:
        if severity and f.rule in severity:
            f.severity = Severity(severity[f.rule])
        j = f.to_json(text)
        j["fingerprint"] = fingerprint(key, f.rule, f.term, f.text, text, f.start, f.end)
        el, ec = _line_col(text, f.end) if "\n" in f.text or "\r" in f.text else (f.line, f.column + (f.end - f.start))
        j["end_line"], j["end_column"] = el, ec
        out.append(j)
    res["findings"] = out
    return res


def process_chunk(checker, specs: Sequence[Spec], severity: dict[str, str] | None = None) -> list[dict]:
    return [process_spec(checker, s, severity) for s in specs]


def spec_size(spec: Spec) -> int:
    """Bytes an item weighs, for progress and chunking (cheap: no read)."""
    kind, _item, path, payload, _key = spec
    if kind == "text":
        return len(payload)
    if kind == "error":
        return 0
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


# ----------------------------------------------------------------------------- summary
_SEV_RANK = {"error": 0, "warning": 1, "info": 2}


def summarize(results: Sequence[dict], elapsed: float, *, top_terms: int = 10, top_items: int = 10,
              suppressed: int | None = None, jobs: int = 1, backend: str = "local") -> dict:
    items = len(results)
    failed = [r for r in results if r["error"]]
    words = sum(r["words"] for r in results)
    chars = sum(r["chars"] for r in results)
    by_sev: Counter = Counter()
    by_rule: Counter = Counter()
    rule_sev: dict[str, str] = {}
    term_count: Counter = Counter()
    term_forms: dict[str, Counter] = defaultdict(Counter)
    worst = []
    for r in results:
        c = Counter(f["severity"] for f in r["findings"])
        for f in r["findings"]:
            by_sev[f["severity"]] += 1
            by_rule[f["rule"]] += 1
            rule_sev.setdefault(f["rule"], f["severity"])
            if f.get("term") and f["rule"].startswith("name/"):
                term_count[f["term"]] += 1
                term_forms[f["term"]][f["text"]] += 1
        if r["findings"]:
            worst.append({"item": r["item"], "findings": len(r["findings"]), "errors": c["error"],
                          "warnings": c["warning"], "words": r["words"],
                          "per_1000_words": round(1000 * len(r["findings"]) / r["words"], 2) if r["words"] else None})
    worst.sort(key=lambda w: (-w["errors"], -w["warnings"], -w["findings"], w["item"]))
    total = sum(by_sev.values())
    terms = [{"term": t, "count": n,
              "wrong_forms": [{"text": s, "count": k} for s, k in sorted(term_forms[t].items(), key=lambda x: (-x[1], x[0]))]}
             for t, n in sorted(term_count.items(), key=lambda x: (-x[1], x[0]))[:top_terms]]
    out = {
        "items": items,
        "items_failed": len(failed),
        "failed": [{"item": r["item"], "error": r["error"]} for r in failed],
        "words": words,
        "chars": chars,
        "findings": total,
        "by_severity": {s: by_sev.get(s, 0) for s in SEVERITIES},
        "by_rule": [{"rule": k, "severity": rule_sev[k], "count": n}
                    for k, n in sorted(by_rule.items(), key=lambda x: (_SEV_RANK.get(rule_sev[x[0]], 9), -x[1], x[0]))],
        "terms": terms,
        "worst_items": worst[:top_items],
        "baseline_suppressed": suppressed,
        "elapsed_s": round(elapsed, 3),
        "items_per_s": round(items / elapsed, 1) if elapsed > 0 else None,
        "words_per_s": round(words / elapsed) if elapsed > 0 else None,
        "jobs": jobs,
        "backend": backend,
    }
    return out


def exit_code(results: Sequence[dict], fail_on: str) -> int:
    """2 when some input failed, 1 when a finding reaches ``fail_on``, else 0."""
    if any(r["error"] for r in results):
        return 2
    if fail_on == "never":
        return 0
    levels = {"error"} if fail_on == "error" else {"error", "warning"}
    return 1 if any(f["severity"] in levels for r in results for f in r["findings"]) else 0


def _n(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def format_summary(s: dict) -> str:
    """The human summary (text)."""
    lines = []
    size = f"{s['chars'] / 1e6:.1f} M" if s["chars"] >= 100_000 else f"{s['chars']:,}"
    lines.append(f"Audited {s['items']:,} item{'s' if s['items'] != 1 else ''} ({s['words']:,} words, {size} characters)"
                 f" in {s['elapsed_s']:.2f} s"
                 + (f" — {s['items_per_s']:,} items/s, {s['words_per_s']:,} words/s" if s["items_per_s"] else "")
                 + f" [{s['backend']}, jobs={s['jobs']}]")
    if s["items_failed"]:
        lines.append(f"{s['items_failed']} item{'s' if s['items_failed'] != 1 else ''} could not be checked:")
        for f in s["failed"][:10]:
            lines.append(f"  {f['item']}: {f['error']}")
        if s["items_failed"] > 10:
            lines.append(f"  … and {s['items_failed'] - 10} more")
    sev = s["by_severity"]
    lines.append(f"Findings: {s['findings']:,} ({_n(sev['error'], 'error')}, {_n(sev['warning'], 'warning')}, "
                 f"{sev['info']:,} info)"
                 + (f"; {s['baseline_suppressed']} known from the baseline not shown" if s["baseline_suppressed"] else ""))
    if s["by_rule"]:
        lines.append("")
        lines.append("By rule:")
        w = max(len(r["rule"]) for r in s["by_rule"])
        for r in s["by_rule"]:
            lines.append(f"  {r['rule']:<{w}}  {r['severity']:<7}  {r['count']:>6}")
    if s["terms"]:
        lines.append("")
        lines.append("Terms most often wrong:")
        w = max(len(t["term"]) for t in s["terms"])
        for t in s["terms"]:
            forms = ", ".join(f"{f['text']} ×{f['count']}" for f in t["wrong_forms"][:6])
            more = f", … ({len(t['wrong_forms']) - 6} more)" if len(t["wrong_forms"]) > 6 else ""
            lines.append(f"  {t['term']:<{w}}  {t['count']:>6}  {forms}{more}")
    if s["worst_items"]:
        lines.append("")
        lines.append("Worst items:")
        for it in s["worst_items"]:
            dens = f", {it['per_1000_words']} per 1000 words" if it["per_1000_words"] is not None else ""
            lines.append(f"  {it['item']}: {_n(it['findings'], 'finding')} ({_n(it['errors'], 'error')}, "
                         f"{_n(it['warnings'], 'warning')}{dens})")
    return "\n".join(lines) + "\n"


def iter_findings(results: Iterable[dict]) -> Iterator[tuple[dict, dict]]:
    for r in results:
        for f in r["findings"]:
            yield r, f
