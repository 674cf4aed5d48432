"""``copydesk check`` and ``copydesk fix``: translate arguments, ask the
project, render with the report layer."""
from __future__ import annotations

import difflib
import json
import sys

from qa.cli.common import UsageError, add_project_args, exit_codes, nothing_selected, project_from_args
from qa.model.findings import Finding, describe_fix
from qa.report.render import FORMATS


def add_parsers(sub) -> None:
    c = sub.add_parser("check", help="report findings", description="Report findings in articles.",
                       epilog=exit_codes())
    add_project_args(c)
    c.add_argument("--format", "-f", choices=FORMATS, default="text",
                   help="output format (json: schema copydesk.check/1; see docs/json-format.md)")
    _add_source_args(c)
    c.set_defaults(handler=cmd_check)

    f = sub.add_parser("fix", help="apply fixes", description="Apply the safe fixes (and unsafe ones with --unsafe).",
                       epilog=exit_codes("findings left that were not fixed"))
    add_project_args(f)
    f.add_argument("--unsafe", action="store_true", help="also apply unsafe fixes")
    g = f.add_mutually_exclusive_group()
    g.add_argument("--diff", action="store_true", help="print a unified diff instead of the fixed text")
    g.add_argument("--in-place", "-i", action="store_true",
                   help="rewrite the files atomically (originals kept as PATH.orig; a symlink's target is rewritten)")
    f.add_argument("--no-backup", action="store_true", help="with --in-place: do not keep PATH.orig")
    _add_source_args(f)
    f.set_defaults(handler=cmd_fix)


def _add_source_args(p) -> None:
    p.add_argument("--source", metavar="SOURCE", help="the source article the (one) PATH translates")
    p.add_argument("--source-lang", metavar="L", help="language of the source (default: detected)")


# ----------------------------------------------------------------------------- check
def cmd_check(args) -> int:
    project = project_from_args(args)
    from qa.services.bilingual import wants_bilingual

    if wants_bilingual(args.paths, args.source):
        return _check_bilingual(args, project)
    from qa.project.result_cache import ResultCache, check_item
    from qa.report.render import render

    cache = ResultCache.for_project(project, not args.no_cache)
    results = [check_item(project, it, cache) for it in project.items(args.paths)]
    if cache is not None:
        cache.close()
    for r in results:
        if r.error:
            print(f"{r.item}: error: {r.error}", file=sys.stderr)
    render(args.format, results, sys.stdout, nothing=nothing_selected(project))
    return project.exit_code(results, fail_on="info")


# ----------------------------------------------------------------------------- fix
def cmd_fix(args) -> int:
    project = project_from_args(args)
    from qa.services.bilingual import wants_bilingual

    if wants_bilingual(args.paths, args.source):
        return _fix_bilingual(args, project)
    from qa.engine.fixes import apply_fixes, select_fixes
    from qa.report.render import tally

    rc = 0
    items = list(project.items(args.paths, files_only=True))
    for it in items:
        res = project.check_item(it)
        if res.error:
            print(f"{it.item}: error: {res.error}", file=sys.stderr)
            rc = 2
            continue
        text = res.text or ""
        fixes = select_fixes(res.findings, unsafe=args.unsafe)
        new = apply_fixes(text, fixes)
        left = len(res.findings) - len(fixes)
        from qa.sources.items import Article

        art = Article(text, res.encoding, res.bom)
        if not emit_fixed(args, it.path, text, new, art.encode(new), len(fixes), left, many=len(items) > 1):
            rc = 2
        elif left and rc == 0:
            rc = 1
    if not items:
        print(tally([]), file=sys.stderr)
    return rc


def emit_fixed(args, path: str, old: str, new: str, data: bytes, applied: int, left: int, many: bool) -> bool:
    """Show or write one file's fixed text as ``fix`` was asked to (``--diff``,
    ``--in-place``, or the text on standard output). False when it could not
    be written (the error is printed; nothing was changed)."""
    if args.diff:
        sys.stdout.writelines(difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True),
            fromfile=f"a/{path}", tofile=f"b/{path}"))
    elif args.in_place:
        if new != old:
            from qa.sources.items import write_back

            try:
                write_back(path, data, backup=not args.no_backup)
            except OSError as e:
                print(f"{path}: error: cannot write: {e.strerror or e}"
                      + (f" ({e.filename})" if getattr(e, "filename", None) else ""), file=sys.stderr)
                return False
        print(f"{path}: {applied} fix{'es' if applied != 1 else ''} applied, "
              f"{left} finding{'s' if left != 1 else ''} left", file=sys.stderr)
    else:
        if many:
            print(f"==> {path} <==")
        sys.stdout.write(new)
    return True


# ----------------------------------------------------------------------------- with a source
def _pairs(args, project):
    from qa.services.bilingual import BilingualUsageError, check_paths

    try:
        return check_paths(project, args.paths, args.source, args.source_lang, lang_given=args.lang is not None)
    except BilingualUsageError as e:
        raise UsageError(str(e)) from None


def _print_finding(path: str, f: Finding) -> None:
    unit = f" [unit {f.data['unit']}]" if "unit" in f.data else ""
    print(f"{path}:{f.line}:{f.column}: {f.rule} [{f.severity}] {f.message}{unit}")
    d = describe_fix(f)
    if d:
        print(f"  {d}")


def _check_bilingual(args, project) -> int:
    from qa.report.render import SCHEMA, tally

    results = _pairs(args, project)
    if args.format not in ("text", "json"):
        raise UsageError(f"--format {args.format} is not available with a source or bilingual files (text, json)")
    if args.format == "json":
        files = []
        for r in results:
            if r.res is not None:
                d = r.res.to_json()  # with its "source" when it was checked against one
            else:
                d = {"path": r.path, "item": r.path, "language": r.bf.target_lang if r.bf else None,
                     "error": r.error, "findings": [f.to_json(u.target) for u, fs in r.per_unit for f in fs]}
                if r.info is not None:
                    d["source"] = {"path": r.path, "language": r.info.lang, "alignment": r.info.alignment}
            files.append(d)
        json.dump({"schema": SCHEMA, "files": files}, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    for r in results:
        if r.error:
            print(f"{r.path}: error: {r.error}", file=sys.stderr)
            continue
        if args.format == "text":
            if r.info is not None and r.res is not None:
                print(f"{r.path}: source {r.info.path} ({r.info.lang}), aligned by {r.info.alignment}"
                      f" ({len(r.info.segments)} segment{'s' if len(r.info.segments) != 1 else ''})")
            for f in r.findings:
                _print_finding(r.path, f)
    if args.format == "text":
        from qa.model.results import ItemResult

        print(tally([ItemResult(path=r.path, error=r.error, findings=r.findings) for r in results],
                    nothing_selected(project)))
    if any(r.error for r in results):
        return 2
    return 1 if any(r.findings for r in results) else 0


def _fix_bilingual(args, project) -> int:
    from qa.engine.fixes import apply_fixes, select_fixes
    from qa.sources.bilingual_files import raw_edits, splice
    from qa.sources.items import Article

    rc = 0
    results = _pairs(args, project)
    for r in results:
        if r.error:
            print(f"{r.path}: error: {r.error}", file=sys.stderr)
            rc = 2
            continue
        if r.res is not None:
            old = r.res.text or ""
            fixes = select_fixes(r.res.findings, unsafe=args.unsafe)
            new = apply_fixes(old, fixes)
            applied, left = len(fixes), len(r.res.findings) - len(fixes)
            data = Article(old, r.res.encoding, r.res.bom).encode(new)
        else:
            old = r.bf.raw
            edits, applied, total = [], 0, 0
            for u, fs in r.per_unit:
                total += len(fs)
                chosen = select_fixes(fs, unsafe=args.unsafe)
                es, k = raw_edits(u, chosen)
                applied += k
                edits += es
            new = splice(old, edits)
            left = total - applied
            data = Article(old, "utf-8", r.bf.bom).encode(new)
        if not emit_fixed(args, r.path, old, new, data, applied, left, many=len(results) > 1):
            rc = 2
        elif left and rc == 0:
            rc = 1
    return rc
