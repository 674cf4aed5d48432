"""``copydesk glossary …``: variants, check, lint, suggest, import, export."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from qa.cli.common import UsageError, exit_codes


def add_parsers(sub) -> None:
    gl = sub.add_parser("glossary", help="glossary tools", description="Glossary tools.")
    gl.set_defaults(handler=lambda args: _help(gl))
    gsub = gl.add_subparsers(dest="glossary_command", metavar="SUBCOMMAND")

    v = gsub.add_parser("variants", help="the spellings computed from a native-script name",
                        epilog="exit codes: 0 done, 2 usage error, 3 internal error")
    v.add_argument("native", help="a native-script name, e.g. Кулеба")
    v.add_argument("--native-lang", required=True, help="language of the native spelling (uk, ru, be, kk, ...)")
    v.add_argument("--format", choices=["text", "json"], default="text")
    v.set_defaults(handler=cmd_variants)

    chk = gsub.add_parser("check", help="load and validate glossaries (exit 2 on the first error)",
                          epilog="exit codes: 0 valid, 2 the first error (file:line: …), 3 internal error")
    chk.add_argument("paths", nargs="*", metavar="PATH")
    chk.set_defaults(handler=cmd_check)

    lint = gsub.add_parser("lint", help="audit glossaries for ambiguities and false-alarm risks (exit 1 on problems)",
                           description="Report duplicate ids and forms, forms wrong for one term but accepted for "
                                       "another, computed spellings that collide with other terms, shared surnames, "
                                       "common-word forms and mixed-script forms.",
                           epilog=exit_codes("problems found"))
    lint.add_argument("paths", nargs="*", metavar="PATH", help="glossary files or folders (default: configured or shipped)")
    lint.add_argument("--format", choices=["text", "json"], default="text")
    lint.add_argument("--lang", action="append", metavar="L",
                      help="languages for the common-word check (default: those the glossary has forms for)")
    lint.add_argument("--zipf", type=float, default=None, metavar="Z",
                      help="word frequency (wordfreq Zipf scale) from which a form is a common word (default: 4.0)")
    lint.add_argument("--ignore", action="append", metavar="CODE", help="skip these codes (repeatable, comma-separated)")
    lint.add_argument("--config", metavar="FILE", help="configuration file naming the glossaries")
    lint.add_argument("--no-config", action="store_true", help="ignore configuration files")
    lint.set_defaults(handler=cmd_lint)

    sg = gsub.add_parser("suggest", help="names in a corpus that the glossary lacks (to grow it)",
                         description="Mine articles for capitalised names that no glossary term explains and that "
                                     "look like transliterations, ranked by frequency, with an example context.",
                         epilog="exit codes: 0 done, 2 usage, glossary or input error, 3 internal error")
    sg.add_argument("paths", nargs="+", metavar="PATH", help="articles or folders")
    sg.add_argument("--glossary", "-g", action="append", metavar="P")
    sg.add_argument("--lang", "-l", default="en")
    sg.add_argument("--limit", type=int, default=50)
    sg.add_argument("--min-count", type=int, default=2)
    sg.add_argument("--format", choices=["text", "json"], default="text")
    sg.set_defaults(handler=cmd_suggest)

    im = gsub.add_parser("import", help="convert a TBX, CSV or TSV glossary to copydesk's format 1",
                         description="Convert a TBX (TBX-Basic or TBX v3) or CSV/TSV (one column per language) "
                                     "glossary to format 1. A TBX entry that cannot be read is left out and reported; "
                                     "nothing is written when no entry converts.",
                         epilog="exit codes: 0 converted, 2 bad input (file:line: …), 3 internal error")
    im.add_argument("file", metavar="FILE", help="a .tbx, .csv or .tsv glossary")
    im.add_argument("-o", "--output", metavar="OUT.toml", help="write here (atomically) instead of stdout")
    im.add_argument("--kind", choices=["person", "place", "org", "term"],
                    help="the kind of every entry of a CSV/TSV without a kind column (default: inferred)")
    im.set_defaults(handler=cmd_import)
    ex = gsub.add_parser("export", help="write the loaded glossaries as TBX or CSV",
                         description="Export glossaries (default: the shipped ones) as TBX-Basic, TBX v3 or CSV.",
                         epilog="exit codes: 0 written, 2 glossary error, 3 internal error")
    ex.add_argument("paths", nargs="*", metavar="PATH")
    ex.add_argument("--format", choices=["tbx", "tbx3", "csv", "tsv"], default="tbx")
    ex.add_argument("-o", "--output", metavar="OUT", help="write here (atomically) instead of stdout")
    ex.set_defaults(handler=cmd_export)


def _help(parser) -> int:
    parser.print_help()
    return 2


def cmd_variants(args) -> int:
    from qa.model.langs import check_language
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


def cmd_check(args) -> int:
    from qa.text.glossary import load_glossaries

    g = load_glossaries(args.paths or None)
    print(f"{len(g.terms)} terms in {len(g.paths)} file{'s' if len(g.paths) != 1 else ''}: OK")
    return 0


def cmd_lint(args) -> int:
    from qa.services.glossary_lint import DEFAULT_ZIPF, format_json, format_text, lint_paths

    paths = args.paths
    if not paths:
        from qa.cli.common import project_from_args

        cfg_glossaries = project_from_args(args).settings.glossaries
        paths = [p for p, _t in cfg_glossaries] or None
    ignore = {c.strip() for v in (args.ignore or []) for c in v.split(",") if c.strip()}
    problems, files = lint_paths(paths or None, langs=args.lang, zipf=args.zipf if args.zipf is not None else DEFAULT_ZIPF)
    problems = [p for p in problems if p.code not in ignore]
    sys.stdout.write(format_json(problems, files) if args.format == "json" else format_text(problems, files))
    return 1 if problems else 0


def cmd_suggest(args) -> int:
    from qa.project.project import Project
    from qa.services.suggest import read_corpus, suggest

    for p in args.paths:
        if not Path(p).exists():
            raise UsageError(f"{p}: no such file or directory")
    project = Project.from_options(glossary=args.glossary, lang=args.lang, select=["name"], no_config=True)
    if project.lang == "auto":
        raise UsageError("suggest needs the target language (--lang), not auto")
    index = project.checker.index
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


def _emit(data: bytes, output: str | None) -> None:
    if output:
        from qa.sources.writing import write_file

        try:
            write_file(output, data)
        except OSError as e:
            raise UsageError(f"{output}: cannot write: {e.strerror or e}") from None
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def cmd_import(args) -> int:
    from qa.services.interchange import import_glossary_report

    res = import_glossary_report(args.file, args.kind)
    _emit(res.toml.encode("utf-8"), args.output)
    for line in res.summary(args.file):  # what was skipped or inferred
        print(line, file=sys.stderr)
    return 0


def cmd_export(args) -> int:
    from qa.services.interchange import write_csv, write_tbx
    from qa.text.glossary import load_glossaries

    g = load_glossaries(args.paths or None)
    if args.format in ("tbx", "tbx3"):
        data = write_tbx(g, "v3" if args.format == "tbx3" else "basic")
    else:
        data = write_csv(g, "\t" if args.format == "tsv" else ",").encode("utf-8")
    _emit(data, args.output)
    return 0
