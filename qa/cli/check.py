"""``copydesk check`` and ``copydesk fix``: translate arguments, ask the
project, render with the report layer."""
from __future__ import annotations

import difflib
import sys

from qa.cli.common import UsageError, add_project_args, exit_codes, nothing_selected, project_from_args
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
    from qa.model.results import exit_code_for
    from qa.report.render import render
    from qa.services.bilingual import wants_bilingual

    if wants_bilingual(args.paths, args.source):
        pairs = _pairs(args, project)
        if args.format not in ("text", "json"):
            raise UsageError(f"--format {args.format} is not available with a source or bilingual files (text, json)")
        results = [r.as_item_result() for r in pairs]
    else:
        from qa.project.result_cache import ResultCache, check_items

        results = check_items(project, project.items(args.paths), ResultCache.for_project(project, not args.no_cache))
    for r in results:
        if r.error:
            print(f"{r.item}: error: {r.error}", file=sys.stderr)
    render(args.format, results, sys.stdout, nothing=nothing_selected(project), sources=True)
    return exit_code_for(results, fail_on="info")


def _pairs(args, project):
    from qa.services.bilingual import BilingualUsageError, check_paths

    try:
        return check_paths(project, args.paths, args.source, args.source_lang, lang_given=args.lang is not None)
    except BilingualUsageError as e:
        raise UsageError(str(e)) from None


# ----------------------------------------------------------------------------- fix
def cmd_fix(args) -> int:
    project = project_from_args(args)
    from qa.report.render import tally
    from qa.services.bilingual import BilingualUsageError, wants_bilingual
    from qa.services.fixing import fix_paths

    try:
        run = fix_paths(project, args.paths, unsafe=args.unsafe, source=args.source, source_lang=args.source_lang,
                        lang_given=args.lang is not None)
    except BilingualUsageError as e:
        raise UsageError(str(e)) from None
    rc = 0
    for fixed in run:
        if fixed.error:
            print(f"{fixed.item}: error: {fixed.error}", file=sys.stderr)
            rc = 2
        elif not emit_fixed(args, fixed, many=len(run) > 1):
            rc = 2
        elif fixed.left and rc == 0:
            rc = 1
    if not len(run) and not wants_bilingual(args.paths, args.source):
        print(tally([]), file=sys.stderr)
    return rc


def emit_fixed(args, fixed, many: bool) -> bool:
    """Show or write one file's fixed text as ``fix`` was asked to (``--diff``,
    ``--in-place``, or the text on standard output). False when it could not
    be written (the error is printed; nothing was changed)."""
    path, old, new = fixed.path, fixed.old, fixed.new
    if args.diff:
        sys.stdout.writelines(difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True),
            fromfile=f"a/{path}", tofile=f"b/{path}"))
    elif args.in_place:
        from qa.services.fixing import write_fixed

        try:
            write_fixed(fixed, backup=not args.no_backup)
        except OSError as e:
            print(f"{path}: error: cannot write: {e.strerror or e}"
                  + (f" ({e.filename})" if getattr(e, "filename", None) else ""), file=sys.stderr)
            return False
        print(f"{path}: {fixed.applied} fix{'es' if fixed.applied != 1 else ''} applied, "
              f"{fixed.left} finding{'s' if fixed.left != 1 else ''} left", file=sys.stderr)
    else:
        if many:
            print(f"==> {path} <==")
        sys.stdout.write(new)
    return True
