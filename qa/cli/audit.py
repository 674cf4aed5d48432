"""``copydesk audit``: translate arguments, run the audit service, render."""
from __future__ import annotations

import argparse
import io
import sys

from qa.cli.common import UsageError, add_project_args, project_from_args
from qa.model.findings import FAIL_ON
from qa.report.render import FORMATS


def add_parsers(sub) -> None:
    a = sub.add_parser(
        "audit", help="audit a whole corpus (parallel, CI-ready, Dask)",
        description="Audit folders, files and JSON Lines corpora: findings, a summary of the desk's "
                    "glossary problems, machine-readable reports and CI exit codes.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="exit codes: 0 nothing at or above --fail-on, 1 findings at or above --fail-on, "
               "2 usage/configuration error or some input could not be checked, 3 internal error\n"
               "configuration: copydesk.toml or [tool.copydesk] in pyproject.toml (see docs/audit.md)")
    a.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or folders (recursive: .txt, .md, .html, .jsonl)")
    a.add_argument("--reviews", metavar="DIR",
                   help="instead of checking: the HTER of the review records under DIR (per article, overall, "
                        "per metadata field; --format text or json)")
    add_project_args(a, paths=False)
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
    a.add_argument("--summary-only", action="store_true", help="text format: the summary without the findings")
    a.add_argument("--top", type=int, default=10, metavar="N", help="terms and items listed in the summary (default: 10)")
    a.add_argument("--no-progress", action="store_true", help="no progress bar, even on a terminal")
    a.add_argument("--quiet", "-q", action="store_true", help="no summary or error lines on stderr")
    a.set_defaults(handler=cmd_audit)


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
def audit(args):
    """The audit behind ``copydesk audit`` (an :class:`~qa.services.audit.AuditOutcome`)."""
    from qa.services.audit import AuditError, run_audit

    project = project_from_args(args)
    try:
        return run_audit(project, args.paths, jsonl_field=args.jsonl_field, id_field=args.id_field,
                         source_dir=args.source_dir, source_lang=args.source_lang, jobs=args.jobs,
                         dask_scheduler=args.dask_scheduler, baseline=args.baseline,
                         write_baseline=args.write_baseline, fail_on=args.fail_on, top=args.top,
                         progress=_progress(args), use_cache=not args.no_cache)
    except AuditError as e:
        raise UsageError(str(e)) from None


def cmd_audit(args) -> int:
    if getattr(args, "reviews", None):  # audit --reviews DIR: qa.services.hter
        return cmd_reviews(args)
    if not args.paths:
        raise UsageError("audit needs a PATH (or --reviews DIR)")
    from qa.report.render import format_summary, render

    outcome = audit(args)
    results, summary = outcome.results, outcome.summary
    out_stream = io.StringIO()
    render(args.format, results, out_stream, summary=summary, summary_only=args.summary_only)
    data = out_stream.getvalue()
    if args.output:
        # CSV for spreadsheets: a BOM lets Excel recognise UTF-8
        from qa.sources.writing import write_file

        try:
            write_file(args.output, data.encode("utf-8-sig" if args.format == "csv" else "utf-8"))
        except OSError as e:
            raise UsageError(f"{args.output}: cannot write: {e.strerror or e}") from None
    else:
        sys.stdout.write(data)
        sys.stdout.flush()
    if not args.quiet:
        failed = [r for r in results if r.error]
        for r in failed[:20]:
            print(f"{r.item}: error: {r.error}", file=sys.stderr)
        if len(failed) > 20:
            print(f"… and {len(failed) - 20} more items that could not be checked", file=sys.stderr)
        if args.write_baseline:
            n = sum(len(r.findings) for r in results) + (summary["baseline_suppressed"] or 0)
            print(f"copydesk: baseline of {n} finding{'s' if n != 1 else ''} written to {args.write_baseline}",
                  file=sys.stderr)
        if args.format != "text" or args.output:
            if args.output or sys.stderr.isatty():
                sys.stderr.write(format_summary(summary))
    return outcome.exit_code


def cmd_reviews(args) -> int:
    """``copydesk audit --reviews DIR [--format text|json] [-o FILE]``: the HTER of the review records."""
    import json

    from qa.services.hter import HterError, collect, format_text

    if args.format not in ("text", "json"):
        raise UsageError(f"--reviews writes --format text or json, not {args.format}")
    try:
        rep = collect(args.reviews)
    except HterError as e:
        raise UsageError(str(e)) from None
    data = json.dumps(rep, ensure_ascii=False, indent=1) + "\n" if args.format == "json" else format_text(rep)
    if args.output:
        from qa.sources.writing import write_file

        try:
            write_file(args.output, data.encode("utf-8"))
        except OSError as e:
            raise UsageError(f"{args.output}: cannot write: {e.strerror or e}") from None
    else:
        sys.stdout.write(data)
        sys.stdout.flush()
    return 0
