"""The ``copydesk`` command line: a thin layer over :mod:`qa`.

Exit codes: 0 no findings, 1 findings, 2 usage, glossary or input error.
"""
from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path
from typing import Sequence

from qa import __version__
from qa.engine.checker import Checker, FileResult
from qa.engine.fixes import apply_fixes, select_fixes
from qa.text.glossary import GlossaryError, load_glossaries
from qa.model.io import atomic_write_bytes, encode_text, keep_original
from qa.model.langs import LanguageError, check_language
from qa.model.findings import Applicability
from qa.engine.registry import SelectionError

SCHEMA = "copydesk.check/1"


class UsageError(Exception):
    pass


def _add_common(p: argparse.ArgumentParser, allow_auto: bool = True) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files (UTF-8 text)")
    p.add_argument("--glossary", "-g", action="append", metavar="P",
                   help="glossary file or directory of *.toml (repeatable; default: the shipped glossaries)")
    p.add_argument("--lang", "-l", default="en",
                   help="target language of the articles, ISO 639-1" + (" or auto" if allow_auto else "") + " (default: en)")
    p.add_argument("--select", action="append", metavar="R", help="only these rules or families (repeatable, comma-separated)")
    p.add_argument("--ignore", action="append", metavar="R", help="skip these rules or families (repeatable, comma-separated)")


INTERNAL_ERROR = 3  # exit code of a bug in copydesk (0 clean, 1 findings, 2 bad input)


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="copydesk", description="Quality assurance for machine-translated news articles.")
    ap.add_argument("--version", action="version", version=f"copydesk {__version__}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")

    c = sub.add_parser("check", help="report findings", description="Report findings in articles.")
    _add_common(c)
    c.add_argument("--format", choices=["text", "json"], default="text", help="output format (json: schema copydesk.check/1)")
    c.add_argument("--no-records", action="store_true", help="ignore review records (rejected findings come back)")
    from qa.cli.bilingual import add_source_args

    add_source_args(c)

    f = sub.add_parser("fix", help="apply fixes", description="Apply the safe fixes (and unsafe ones with --unsafe).")
    _add_common(f)
    f.add_argument("--unsafe", action="store_true", help="also apply unsafe fixes")
    g = f.add_mutually_exclusive_group()
    g.add_argument("--diff", action="store_true", help="print a unified diff instead of the fixed text")
    g.add_argument("--in-place", "-i", action="store_true", help="rewrite the files atomically (originals kept as PATH.orig)")
    f.add_argument("--no-backup", action="store_true", help="with --in-place: do not keep PATH.orig")
    add_source_args(f)

    gl = sub.add_parser("glossary", help="glossary tools")
    gsub = gl.add_subparsers(dest="glossary_command", metavar="SUBCOMMAND")
    v = gsub.add_parser("variants", help="the spellings computed from a native-script name")
    v.add_argument("native", help="a native-script name, e.g. Кулеба")
    v.add_argument("--native-lang", required=True, help="language of the native spelling (uk, ru, be, kk, ...)")
    v.add_argument("--format", choices=["text", "json"], default="text")
    chk = gsub.add_parser("check", help="load and validate glossaries (exit 2 on the first error)")
    chk.add_argument("paths", nargs="*", metavar="PATH")

    sg = gsub.add_parser("suggest", help="names in a corpus that the glossary lacks (to grow it)",
                         description="Mine articles for capitalised names that no glossary term explains and that "
                                     "look like transliterations, ranked by frequency, with an example context. "
                                     "Exit codes: 0 done, 2 usage, glossary or input error.")
    sg.add_argument("paths", nargs="+", metavar="PATH", help="articles or folders")
    sg.add_argument("--glossary", "-g", action="append", metavar="P")
    sg.add_argument("--lang", "-l", default="en")
    sg.add_argument("--limit", type=int, default=50)
    sg.add_argument("--min-count", type=int, default=2)
    sg.add_argument("--format", choices=["text", "json"], default="text")

    r = sub.add_parser("rules", help="list the rules")
    r.add_argument("--format", choices=["text", "json"], default="text")

    rv = sub.add_parser("review", help="review findings in a terminal UI",
                        description="Accept, reject or edit each fix in a terminal UI, then save.")
    rv.add_argument("paths", nargs="+", metavar="PATH", help="articles or folders")
    rv.add_argument("--glossary", "-g", action="append", metavar="P")
    rv.add_argument("--lang", "-l", default="en")
    rv.add_argument("--learn-into", metavar="FILE", help="glossary file that `g` (add to glossary) edits")
    rv.add_argument("--serve", action="store_true", help="serve the review app in a browser (textual-serve)")
    rv.add_argument("--port", type=int, default=8000, help="port for --serve (on 127.0.0.1; default 8000)")

    from qa.services.score import add_score_parser

    add_score_parser(sub)
    from qa.services.interchange import add_interchange_parsers

    add_interchange_parsers(gsub)
    try:
        from qa.cli.audit import add_audit_parsers
    except ImportError:
        pass
    else:
        add_audit_parsers(sub, gsub)
    return ap


def make_checker(args) -> Checker:
    from qa.text.cache import compile_glossary, read_sources

    lang = check_language(args.lang, allow_auto=True)
    glossary, index = compile_glossary(read_sources(args.glossary), "en" if lang == "auto" else lang)
    return Checker(index=index, lang=lang, select=args.select, ignore=args.ignore, glossary=glossary)


def _fmt_text(res: FileResult, out) -> None:
    for f in res.findings:
        print(f"{res.path}:{f.line}:{f.column}: {f.rule} {f.message}", file=out)
        if f.fix is not None:
            rep = f.replacement if f.replacement is not None else f.fix.replacement_for(res.text or "", f.start, f.end)
            tag = "fix" if f.fix.applicability is Applicability.SAFE else "unsafe fix"
            alts = f" (or: {', '.join(repr(a) for a in f.alternatives)})" if f.alternatives else ""
            shown_old = f.text if len(f.text) <= 60 else f.text[:57] + "…"
            shown_new = rep if len(rep) <= 60 else rep[:57] + "…"
            print(f"  {tag}: {shown_old!r} → {shown_new!r}{alts}", file=out)


def cmd_check(args) -> int:
    checker = make_checker(args)
    from qa.cli import bilingual as bilingual_cli

    if bilingual_cli.wants_bilingual(args):  # --source, or XLIFF/TMX/PO files
        return bilingual_cli.cmd_check(args, checker)
    results = [checker.check_file(p) for p in _expand_paths(args.paths)]
    if not args.no_records:
        _apply_records(results)
    if args.format == "json":
        json.dump({"schema": SCHEMA, "files": [r.to_json() for r in results]}, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        n = 0
        safe = unsafe = 0
        for r in results:
            if r.error:
                print(f"{r.path}: error: {r.error}", file=sys.stderr)
                continue
            _fmt_text(r, sys.stdout)
            n += len(r.findings)
            for f in r.findings:
                if f.fix is not None:
                    if f.fix.applicability is Applicability.SAFE:
                        safe += 1
                    else:
                        unsafe += 1
        if n:
            extra = f", {unsafe} more with `--unsafe`" if unsafe else ""
            print(f"Found {n} finding{'s' if n != 1 else ''} ({safe} fixable with `copydesk fix`{extra}).")
        else:
            print("All checks passed.")
    if any(r.error for r in results):
        if args.format == "json":
            for r in results:
                if r.error:
                    print(f"{r.path}: error: {r.error}", file=sys.stderr)
        return 2
    return 1 if any(r.findings for r in results) else 0


def _apply_records(results: list[FileResult]) -> None:
    """Drop findings a reviewer rejected (review records), where records exist."""
    try:
        from qa.project.records import filter_rejected
    except ImportError:
        return
    for r in results:
        if r.text is not None:
            r.findings = filter_rejected(r.path, r.text, r.findings)


def _expand_paths(paths: Sequence[str]) -> list[str]:
    out: list[str] = []
    for p in paths:
        pp = Path(p)
        if pp.is_dir():
            out += [str(x) for x in sorted(pp.rglob("*")) if x.is_file() and x.suffix in (".txt", ".md")]
        else:
            out.append(p)
    return out


def emit_fixed(args, path, old: str, new: str, bom: bool, applied: int, left: int, many: bool) -> None:
    """Show or write one file's fixed text, as ``fix`` was asked to (``--diff``,
    ``--in-place`` keeping ``PATH.orig``, or the text on standard output)."""
    if args.diff:
        sys.stdout.writelines(difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True),
            fromfile=f"a/{path}", tofile=f"b/{path}"))
    elif args.in_place:
        if new != old:
            if not args.no_backup:
                keep_original(path)
            atomic_write_bytes(path, encode_text(new, bom))
        print(f"{path}: {applied} fix{'es' if applied != 1 else ''} applied, "
              f"{left} finding{'s' if left != 1 else ''} left", file=sys.stderr)
    else:
        if many:
            print(f"==> {path} <==")
        sys.stdout.write(new)


def cmd_fix(args) -> int:

    checker = make_checker(args)
    from qa.cli import bilingual as bilingual_cli

    if bilingual_cli.wants_bilingual(args):  # --source, or XLIFF/TMX/PO files
        return bilingual_cli.cmd_fix(args, checker)
    rc = 0
    files = _expand_paths(args.paths)
    for path in files:
        res = checker.check_file(path)
        if res.error:
            print(f"{path}: error: {res.error}", file=sys.stderr)
            rc = 2
            continue
        _apply_records([res])
        text = res.text or ""
        fixes = select_fixes(res.findings, unsafe=args.unsafe)
        new = apply_fixes(text, fixes)
        left = len(res.findings) - len(fixes)
        emit_fixed(args, path, text, new, res.bom, len(fixes), left, many=len(files) > 1)
        if left and rc == 0:
            rc = 1
    return rc


def cmd_variants(args) -> int:
    from qa.text.translit import PRESS_LANGS, is_cyrillic, press_spellings

    src = check_language(args.native_lang)
    if not is_cyrillic(args.native):
        raise UsageError(f"{args.native!r} is not written in Cyrillic; variants are computed from Cyrillic native spellings")
    table = press_spellings(args.native, src, PRESS_LANGS, cap=12)
    if args.format == "json":
        json.dump({"native": args.native, "native_lang": src, "variants": {k: list(v) for k, v in table.items()}},
                  sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        from qa.rules.names import lang_name

        for lang, spellings in table.items():
            print(f"{lang}  {lang_name(lang):<10} {', '.join(spellings)}")
    return 0


def cmd_glossary_suggest(args) -> int:
    from qa.text.cache import compile_glossary, read_sources
    from qa.services.suggest import read_corpus, suggest

    for p in args.paths:
        if not Path(p).exists():
            raise UsageError(f"{p}: no such file or directory")
    _glossary, index = compile_glossary(read_sources(args.glossary), args.lang)
    found = suggest(read_corpus(args.paths), index, limit=args.limit, min_count=args.min_count)
    if args.format == "json":
        print(json.dumps({"schema": "copydesk.suggest/1", "suggestions": [s.as_dict() for s in found]},
                         ensure_ascii=False, indent=1))
        return 0
    if not found:
        print("No candidate names found.")
        return 0
    for s in found:
        print(f"{s.count:5d} {s.files:4d}  {s.kind_hint:6s}  {s.name}")
        print(f"             {s.example[:110]}")
    return 0


def cmd_glossary_check(args) -> int:
    g = load_glossaries(args.paths or None)
    print(f"{len(g.terms)} terms in {len(g.paths)} file{'s' if len(g.paths) != 1 else ''}: OK")
    return 0


def cmd_rules(args) -> int:
    from qa.engine.registry import RULES, load_builtin_rules

    load_builtin_rules()
    rows = sorted(RULES.values(), key=lambda r: r.id)
    if args.format == "json":
        json.dump([dict(id=r.id, severity=str(r.severity), summary=r.summary, explanation=r.explanation) for r in rows],
                  sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for r in rows:
            print(f"{r.id:<30} {str(r.severity):<8} {r.summary}")
    return 0


def cmd_review(args) -> int:
    try:
        from tui.app import run_review
    except ImportError as e:
        raise UsageError(f"the review UI is not available: {e}") from None
    return run_review(args)


def main(argv: Sequence[str] | None = None) -> int:
    ap = build_parser()
    args = ap.parse_args(argv)
    handlers = {"check": cmd_check, "fix": cmd_fix, "rules": cmd_rules, "review": cmd_review}
    try:
        if args.command is None:
            ap.print_help()
            return 2
        if args.command == "glossary":
            sub = {"variants": cmd_variants, "check": cmd_glossary_check, "suggest": cmd_glossary_suggest}
            extra = getattr(args, "glossary_handler", None)
            if extra is not None:
                return extra(args)
            if args.glossary_command not in sub:
                ap.parse_args(["glossary", "--help"])
                return 2
            return sub[args.glossary_command](args)
        handler = getattr(args, "handler", None) or handlers[args.command]
        return handler(args)
    except GlossaryError as e:
        print(f"copydesk: glossary error: {e}", file=sys.stderr)
        return 2
    except (LanguageError, SelectionError, UsageError) as e:
        print(f"copydesk: error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("copydesk: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # an internal error never exits 0 or 1 (those mean clean / findings)
        print(f"copydesk: internal error: {type(e).__name__}: {e} (please report this)", file=sys.stderr)
        return INTERNAL_ERROR


if __name__ == "__main__":
    sys.exit(main())
