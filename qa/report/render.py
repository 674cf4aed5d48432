"""The report layer: text, json, jsonl, csv and sarif, and the summary,
rendered from the same :class:`~qa.model.results.ItemResult` objects for
``check`` and ``audit`` (dicts appear only here, at the edge).

``check`` reports with a one-line tally; ``audit`` with the full summary
(:func:`summarize`). When nothing was checked the report says why instead
of claiming that all checks passed.
"""
from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from typing import IO, Sequence

from qa.engine.bilingual import ALIGN_UNIT
from qa.model.findings import SEVERITIES, Applicability, describe_fix
from qa.model.results import ItemResult

SCHEMA = "copydesk.check/1"
FORMATS = ("text", "json", "jsonl", "csv", "sarif")
CSV_COLUMNS = ("item", "path", "line", "column", "end_line", "end_column", "rule", "severity", "term", "text",
               "replacement", "applicability", "message", "fingerprint")


def render(fmt: str, results: Sequence[ItemResult], out: IO[str], *, summary: dict | None = None,
           summary_only: bool = False, nothing: str | None = None, sources: bool = False) -> None:
    """Write the report of ``results`` in ``fmt`` to ``out``. ``summary`` (an
    audit's) is appended; without it text ends with the check tally.
    ``nothing``: why no rule could run (e.g. an empty selection). ``sources``
    (``check``): in text, name the source a plain article was aligned with."""
    if fmt == "json":
        write_json(results, out, summary)
    elif fmt == "jsonl":
        write_jsonl(results, out, summary)
    elif fmt == "csv":
        # every text cell quoted (numbers stay bare), formula-like cells neutralised: see csv_cell
        out.write(",".join(CSV_COLUMNS) + "\r\n")  # plain names, as before
        w = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
        for r in results:
            for j in (f.to_json(r.text) for f in r.findings):
                fix = j.get("fix") or {}
                w.writerow([csv_cell(c) for c in (
                    r.item, r.path, j["line"], j["column"], j.get("end_line"), j.get("end_column"),
                    j["rule"], j["severity"], j.get("term") or "", j["text"],
                    fix.get("replacement") if fix.get("replacement") is not None else "",
                    fix.get("applicability", ""), j["message"], j.get("fingerprint") or "")])
    elif fmt == "sarif":
        from qa.report.sarif import to_sarif

        json.dump(to_sarif([r.to_json() for r in results], summary), out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt == "text":
        if not summary_only:
            write_findings(results, out, sources=sources)
        if summary is not None:
            if any(r.findings for r in results) and not summary_only:
                out.write("\n")
            out.write(format_summary(summary))
        else:
            out.write(tally(results, nothing) + "\n")
    else:
        raise ValueError(f"unknown report format {fmt!r}")


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A CSV cell that a spreadsheet shows as text: article text, item ids and paths
    are untrusted, so a string starting like a formula gets a ``'`` in front (as
    OWASP's "CSV Injection" advises; the writer quotes every text cell). Numbers
    and empty cells (``None``) stay as they are.

    Written here rather than with defusedcsv (PyPI), the library made for this:
    defusedcsv 3.0 leaves cells starting with a tab or a carriage return alone
    (OWASP lists both) and rewrites every ``|`` in an escaped cell as ``\\|``,
    which would change the finding's text in the report."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_START):
        return "'" + value
    return value


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # no indent: the C encoder (indent=1 forces the Python one)


def write_json(results: Sequence[ItemResult], out: IO[str], summary: dict | None = None) -> None:
    """One JSON document (``copydesk.check/1``): each file's object on a line of its own,
    so that the document diffs line by line, each encoded by the C encoder, and the
    whole written at once (``json.dump`` writes every token separately)."""
    files = ",\n".join(_ENCODE(r.to_json()) for r in results)
    tail = f',\n"summary": {_ENCODE(summary)}' if summary is not None else ""
    out.write(f'{{"schema": {_ENCODE(SCHEMA)}, "files": [\n{files}\n]{tail}}}\n' if files else
              f'{{"schema": {_ENCODE(SCHEMA)}, "files": []{tail}}}\n')


def write_jsonl(results: Sequence[ItemResult], out: IO[str], summary: dict | None = None) -> None:
    """JSON Lines: an ``item`` record per item, then the ``summary`` record."""
    lines = [_ENCODE({"type": "item", **r.to_json()}) for r in results]
    if summary is not None:
        lines.append(_ENCODE({"type": "summary", "schema": SCHEMA, "summary": summary}))
    if lines:
        out.write("\n".join(lines) + "\n")


def write_findings(results: Sequence[ItemResult], out: IO[str], sources: bool = False) -> None:
    """One line per finding (``item:line:column: rule [severity] message``, and
    ``[unit ID]`` in a bilingual file), the fix below it. ``sources``: a plain
    article checked against a source starts with a line naming it (a
    bilingual file's units carry their own sources)."""
    for r in results:
        if r.error:
            continue
        info = r.source
        if sources and info is not None and info.alignment != ALIGN_UNIT:
            n = len(info.segments)
            out.write(f"{r.item}: source {info.path} ({info.lang}), aligned by {info.alignment}"
                      f" ({n} segment{'s' if n != 1 else ''})\n")
        for f in r.findings:
            unit = f" [unit {f.data['unit']}]" if "unit" in f.data else ""
            out.write(f"{r.item}:{f.line}:{f.column}: {f.rule} [{f.severity}] {f.message}{unit}\n")
            d = describe_fix(f)
            if d:
                out.write(f"  {d}\n")


def tally(results: Sequence[ItemResult], nothing: str | None = None) -> str:
    """The last line of a text check: what was found, or what happened."""
    n = sum(len(r.findings) for r in results)
    failed = sum(1 for r in results if r.error)
    checked = len(results) - failed
    if nothing:
        return nothing
    if not results:
        return "Nothing to check: no article files (.txt, .md, .html, .jsonl) in the paths given."
    if n:
        safe = sum(1 for r in results for f in r.findings
                   if f.fix is not None and f.fix.applicability is Applicability.SAFE)
        unsafe = sum(1 for r in results for f in r.findings
                     if f.fix is not None and f.fix.applicability is not Applicability.SAFE)
        extra = f", {unsafe} more with `--unsafe`" if unsafe else ""
        line = f"Found {n} finding{'s' if n != 1 else ''} ({safe} fixable with `copydesk fix`{extra})."
    elif checked:
        line = f"All checks passed ({checked} item{'s' if checked != 1 else ''} checked)."
    else:
        line = "Nothing was checked."
    if failed:
        line += f" {failed} item{'s' if failed != 1 else ''} could not be checked (see the errors above)."
    return line


# ----------------------------------------------------------------------------- summary
_SEV_RANK = {"error": 0, "warning": 1, "info": 2}


def summarize(results: Sequence[ItemResult], elapsed: float, *, top_terms: int = 10, top_items: int = 10,
              suppressed: int | None = None, jobs: int = 1, backend: str = "local") -> dict:
    """The audit summary (JSON-ready): counts by severity and rule, the terms
    most often wrong with their wrong forms, the worst items, throughput."""
    items = len(results)
    failed = [r for r in results if r.error]
    words = sum(r.words for r in results)
    chars = sum(r.chars for r in results)
    by_sev: Counter = Counter()
    by_rule: Counter = Counter()
    rule_sev: dict[str, str] = {}
    term_count: Counter = Counter()
    term_forms: dict[str, Counter] = defaultdict(Counter)
    worst = []
    for r in results:
        c = Counter(str(f.severity) for f in r.findings)
        for f in r.findings:
            sev = str(f.severity)
            by_sev[sev] += 1
            by_rule[f.rule] += 1
            rule_sev.setdefault(f.rule, sev)
            if f.term and f.family == "name":
                term_count[f.term] += 1
                term_forms[f.term][f.text] += 1
        if r.findings:
            worst.append({"item": r.item, "findings": len(r.findings), "errors": c["error"],
                          "warnings": c["warning"], "words": r.words,
                          "per_1000_words": round(1000 * len(r.findings) / r.words, 2) if r.words else None})
    worst.sort(key=lambda w: (-w["errors"], -w["warnings"], -w["findings"], w["item"]))
    terms = [{"term": t, "count": n,
              "wrong_forms": [{"text": s, "count": k} for s, k in sorted(term_forms[t].items(), key=lambda x: (-x[1], x[0]))]}
             for t, n in sorted(term_count.items(), key=lambda x: (-x[1], x[0]))[:top_terms]]
    return {
        "items": items,
        "items_failed": len(failed),
        "failed": [{"item": r.item, "error": r.error} for r in failed],
        "words": words,
        "chars": chars,
        "findings": sum(by_sev.values()),
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
    if not s["items"]:
        lines.append("Nothing to check: no article files (.txt, .md, .html, .jsonl) in the paths given.")
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
