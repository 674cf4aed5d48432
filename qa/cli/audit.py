"""``copydesk audit`` and ``copydesk glossary lint`` (wired in by :func:`qa.cli.main.build_parser`)."""
from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time
from pathlib import Path

from qa.services.audit import FAIL_ON, Settings, exit_code, expand_inputs, format_summary, summarize

FORMATS = ("text", "json", "jsonl", "csv", "sarif")
CSV_COLUMNS = ("item", "path", "line", "column", "end_line", "end_column", "rule", "severity", "term", "text",
               "replacement", "applicability", "message", "fingerprint")


def add_audit_parsers(sub, gsub) -> None:
    a = sub.add_parser(
        "audit", help="audit a whole corpus (parallel, CI-ready, Dask)",
        description="Audit folders, files and JSON Lines corpora: findings, a summary of the desk's "
                    "glossary problems, machine-readable reports and CI exit codes.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="exit codes: 0 nothing at or above --fail-on, 1 findings at or above --fail-on, "
               "2 usage/configuration error or some input could not be checked\n"
               "configuration: copydesk.toml or [tool.copydesk] in pyproject.toml (see docs/audit.md)")
    a.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or folders (recursive: .txt, .md, .html, .jsonl)")
    a.add_argument("--reviews", metavar="DIR",
                   help="instead of checking: the HTER of the review records under DIR (per article, overall, "
                        "per metadata field; --format text or json)")
    a.add_argument("--glossary", "-g", action="append", metavar="P", help="glossary file or folder (repeatable)")
    a.add_argument("--lang", "-l", default=None, help="target language, ISO 639-1 or auto (default: en)")
    a.add_argument("--select", action="append", metavar="R", help="only these rules or families")
    a.add_argument("--ignore", action="append", metavar="R", help="skip these rules or families")
    a.add_argument("--source-dir", metavar="DIR",
                   help="check each text file against its source: the file of the same relative path in DIR")
    a.add_argument("--source-lang", metavar="L", help="with --source-dir: the sources' language (default: detected)")
    a.add_argument("--exclude", action="append", metavar="GLOB", default=[], help="skip matching paths (repeatable)")
    a.add_argument("--jsonl-field", default="text", metavar="F", help="JSON Lines: the field holding the text (default: text)")
    a.add_argument("--id-field", default=None, metavar="F",
                   help="JSON Lines: the field naming a record (default: the line number)")
    a.add_argument("--format", "-f", choices=FORMATS, default="text", help="report format (default: text)")
    a.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    a.add_argument("--fail-on", choices=FAIL_ON, default=None, help="lowest severity that makes the exit code 1 (default: error)")
    a.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in this baseline")
    a.add_argument("--write-baseline", metavar="FILE", help="record the current findings as the baseline")
    a.add_argument("--jobs", "-j", type=int, default=None, metavar="N", help="worker processes (default: the number of cores)")
    a.add_argument("--dask-scheduler", metavar="ADDRESS", help="run on this Dask cluster (pip install 'copydesk[dask]')")
    a.add_argument("--config", metavar="FILE", help="configuration file (default: copydesk.toml or pyproject.toml, looked up)")
    a.add_argument("--no-config", action="store_true", help="ignore configuration files")
    a.add_argument("--summary-only", action="store_true", help="text format: the summary without the findings")
    a.add_argument("--top", type=int, default=10, metavar="N", help="terms and items listed in the summary (default: 10)")
    a.add_argument("--no-progress", action="store_true", help="no progress bar, even on a terminal")
    a.add_argument("--quiet", "-q", action="store_true", help="no summary or error lines on stderr")
    a.set_defaults(handler=cmd_audit)

    lint = gsub.add_parser("lint", help="audit glossaries for ambiguities and false-alarm risks (exit 1 on problems)",
                           description="Report duplicate ids and forms, forms wrong for one term but accepted for "
                                       "another, computed spellings that collide with other terms, shared surnames, "
                                       "common-word forms and mixed-script forms.")
    lint.add_argument("paths", nargs="*", metavar="PATH", help="glossary files or folders (default: configured or shipped)")
    lint.add_argument("--format", choices=["text", "json"], default="text")
    lint.add_argument("--lang", action="append", metavar="L",
                      help="languages for the common-word check (default: those the glossary has forms for)")
    lint.add_argument("--zipf", type=float, default=None, metavar="Z",
                      help="word frequency (wordfreq Zipf scale) from which a form is a common word (default: 4.0)")
    lint.add_argument("--ignore", action="append", metavar="CODE", help="skip these codes (repeatable, comma-separated)")
    lint.add_argument("--no-config", action="store_true", help="ignore configuration files")
    lint.set_defaults(glossary_handler=cmd_glossary_lint)


# ----------------------------------------------------------------------------- config
def _config(args):
    from qa.cli.main import UsageError
    from qa.project.config import ConfigError, Config, find_config, load_config

    if getattr(args, "no_config", False):
        return Config()
    path = getattr(args, "config", None) or find_config()
    if path is None:
        return Config()
    try:
        return load_config(path)
    except ConfigError as e:
        raise UsageError(f"configuration: {e}") from None


# ----------------------------------------------------------------------------- progress
class _RichProgress:
    def __init__(self, label: str) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self.p = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                          TextColumn("items · {task.fields[mb]}"), TimeElapsedColumn(), TextColumn("eta"),
                          TimeRemainingColumn(), console=Console(file=sys.stderr), transient=True)
        self.label = label
        self.task = None
        self.done = 0
        self.size = 0

    def _mb(self) -> str:
        return f"{self.done / 1e6:.1f}/{self.size / 1e6:.1f} MB"

    def start(self, items: int, size: int) -> None:
        self.size = size
        self.p.start()
        self.task = self.p.add_task(self.label, total=items, mb=self._mb())

    def advance(self, items: int, size: int) -> None:
        self.done += size
        self.p.update(self.task, advance=items, mb=self._mb())

    def stop(self) -> None:
        self.p.stop()


def _progress(args):
    if args.no_progress or not sys.stderr.isatty():
        return None
    return _RichProgress("auditing")


# ----------------------------------------------------------------------------- audit
def run_audit(args) -> tuple[list[dict], dict, int]:
    """The audit behind ``copydesk audit``: (results, summary, exit code)."""
    from qa.cli.main import UsageError
    from qa.services.parallel import default_jobs, run_dask, run_local

    cfg = _config(args)
    glossary = args.glossary or cfg.glossary
    lang = args.lang or cfg.lang or "en"
    select = args.select or cfg.select
    ignore = args.ignore or cfg.ignore
    fail_on = args.fail_on or cfg.fail_on or "error"
    jobs = args.jobs if args.jobs is not None else (cfg.jobs or default_jobs())
    if jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.top < 0:
        raise UsageError("--top must not be negative")
    settings = Settings.from_paths(glossary, lang=lang, select=select, ignore=ignore, severity=dict(cfg.severity))
    checker = settings.build_checker()  # glossary, language and rule errors surface here, once
    specs = list(expand_inputs(args.paths, exclude=list(cfg.exclude) + list(args.exclude or []),
                               jsonl_field=args.jsonl_field, id_field=args.id_field))
    if getattr(args, "source_dir", None):
        from qa.services.bilingual import pair_specs

        specs = pair_specs(args.paths, specs, args.source_dir, args.source_lang)
    known = None
    if args.baseline:
        from qa.project.baseline import BaselineError, load_baseline

        try:
            known = load_baseline(args.baseline)
        except BaselineError as e:
            raise UsageError(str(e)) from None
    t0 = time.perf_counter()
    if args.dask_scheduler:
        try:
            results = run_dask(specs, settings, scheduler=args.dask_scheduler, progress=_progress(args))
        except RuntimeError as e:
            raise UsageError(str(e)) from None
        except OSError as e:
            raise UsageError(f"cannot reach the Dask scheduler {args.dask_scheduler}: {e}") from None
        backend, jobs = "dask", 0
    else:
        results = run_local(specs, settings, jobs=jobs, checker=checker, progress=_progress(args))
        backend = "local"
    elapsed = time.perf_counter() - t0
    if args.write_baseline:
        from qa.project.baseline import write_baseline

        write_baseline(args.write_baseline, results)
    suppressed = None
    if known is not None:
        from qa.project.baseline import apply_baseline

        suppressed = apply_baseline(results, known)
    summary = summarize(results, elapsed, top_terms=args.top, top_items=args.top, suppressed=suppressed,
                        jobs=jobs, backend=backend)
    return results, summary, exit_code(results, fail_on)


def cmd_audit(args) -> int:
    if getattr(args, "reviews", None):  # audit --reviews DIR: qa.services.hter
        from qa.services.hter import cmd_reviews

        return cmd_reviews(args)
    if not args.paths:
        from qa.cli.main import UsageError

        raise UsageError("audit needs a PATH (or --reviews DIR)")
    results, summary, rc = run_audit(args)
    out_stream = io.StringIO()
    render(args.format, results, summary, out_stream, summary_only=args.summary_only)
    data = out_stream.getvalue()
    if args.output:
        # CSV for spreadsheets: a BOM lets Excel recognise UTF-8
        enc = "utf-8-sig" if args.format == "csv" else "utf-8"
        Path(args.output).write_text(data, encoding=enc, newline="")
    else:
        sys.stdout.write(data)
        sys.stdout.flush()
    if not args.quiet:
        failed = [r for r in results if r["error"]]
        for r in failed[:20]:
            print(f"{r['item']}: error: {r['error']}", file=sys.stderr)
        if len(failed) > 20:
            print(f"… and {len(failed) - 20} more items that could not be checked", file=sys.stderr)
        if args.write_baseline:
            n = sum(len(r["findings"]) for r in results) + (summary["baseline_suppressed"] or 0)
            print(f"copydesk: baseline of {n} finding{'s' if n != 1 else ''} written to {args.write_baseline}",
                  file=sys.stderr)
        if args.format != "text" or args.output:
            if args.output or sys.stderr.isatty():
                sys.stderr.write(format_summary(summary))
    return rc


def render(fmt: str, results: list[dict], summary: dict, out, summary_only: bool = False) -> None:
    from qa.cli.main import SCHEMA

    if fmt == "json":
        files = [{"path": r["path"], "item": r["item"], "language": r["language"], "error": r["error"],
                  "words": r["words"], "findings": r["findings"]} for r in results]
        json.dump({"schema": SCHEMA, "files": files, "summary": summary}, out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt == "jsonl":
        for r in results:
            rec = {"type": "item", "path": r["path"], "item": r["item"], "language": r["language"],
                   "error": r["error"], "words": r["words"], "findings": r["findings"]}
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        out.write(json.dumps({"type": "summary", "schema": SCHEMA, "summary": summary}, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        w = csv.writer(out, lineterminator="\r\n")
        w.writerow(CSV_COLUMNS)
        for r in results:
            for f in r["findings"]:
                fix = f.get("fix") or {}
                w.writerow([r["item"], r["path"], f["line"], f["column"], f.get("end_line"), f.get("end_column"),
                            f["rule"], f["severity"], f.get("term") or "", f["text"],
                            fix.get("replacement") if fix.get("replacement") is not None else "",
                            fix.get("applicability", ""), f["message"], f["fingerprint"]])
    elif fmt == "sarif":
        from qa.report.sarif import to_sarif

        json.dump(to_sarif(results, summary), out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        if not summary_only:
            for r in results:
                for f in r["findings"]:
                    out.write(f"{r['item']}:{f['line']}:{f['column']}: {f['rule']} [{f['severity']}] {f['message']}\n")
                    fix = f.get("fix")
                    if fix and fix.get("replacement") is not None:
                        tag = "fix" if fix["applicability"] == "safe" else "unsafe fix"
                        out.write(f"  {tag}: {f['text']!r} → {fix['replacement']!r}\n")
            if any(r["findings"] for r in results):
                out.write("\n")
        out.write(format_summary(summary))


# ----------------------------------------------------------------------------- glossary lint
def cmd_glossary_lint(args) -> int:
    from qa.services.glossary_lint import DEFAULT_ZIPF, format_json, format_text, lint_paths

    paths = args.paths
    if not paths:
        cfg = _config(args)
        paths = cfg.glossary
    ignore = {c.strip() for v in (args.ignore or []) for c in v.split(",") if c.strip()}
    problems, files = lint_paths(paths or None, langs=args.lang, zipf=args.zipf if args.zipf is not None else DEFAULT_ZIPF)
    problems = [p for p in problems if p.code not in ignore]
    if args.format == "json":
        sys.stdout.write(format_json(problems, files))
    else:
        sys.stdout.write(format_text(problems, files))
    return 1 if problems else 0
