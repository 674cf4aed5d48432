"""``copydesk lsp``: start the language server on standard input/output."""
from __future__ import annotations

import os

from qa.cli.common import UsageError, add_project_args


def add_parsers(sub) -> None:
    p = sub.add_parser(
        "lsp", help="run a language server (LSP, stdio) for editors",
        description="A language server for Markdown, plain-text, PO and XLIFF documents: diagnostics, "
                    "fixes as code actions, reject / add-to-glossary actions, glossary hovers. An editor "
                    "starts it and talks to it over standard input and output (docs/lsp.md). The workspace's "
                    "copydesk.toml is read as by every command; these options win over it.",
        epilog="exit codes: 0 the client ended the session, 2 usage error, 3 internal error")
    add_project_args(p, paths=False)
    p.add_argument("--learn-into", metavar="FILE",
                   help="glossary file that the add-to-glossary action edits (default: the first configured)")
    p.add_argument("--max-chars", type=int, default=None, metavar="N",
                   help="do not check documents longer than N characters (default 2,000,000)")
    p.add_argument("--debounce", type=int, default=300, metavar="MS",
                   help="milliseconds of quiet after an edit before re-checking (default 300)")
    p.add_argument("--stdio", action="store_true", help="talk over standard input/output (the default and only way)")
    p.set_defaults(handler=cmd_lsp)


def cmd_lsp(args) -> int:
    from qa.model.langs import check_language

    if args.lang:
        check_language(args.lang, allow_auto=True)  # a bad code is a usage error before the editor connects
    if args.max_chars is not None and args.max_chars < 1:
        raise UsageError("--max-chars must be a positive number")
    if args.debounce < 0:
        raise UsageError("--debounce must be 0 or more")
    try:
        from qa.lsp.core import MAX_CHARS, Options
        from qa.lsp.server import serve
    except ImportError as e:
        raise UsageError(f"the language server is not available: {e}") from None
    # the server works in the workspace folder the editor names: paths given here are made absolute first
    absolute = lambda v: os.path.abspath(v) if v else v
    options = Options(glossary=[absolute(g) for g in args.glossary] if args.glossary else None, lang=args.lang,
                      select=args.select, ignore=args.ignore, config=absolute(args.config), no_config=args.no_config, records=not args.no_records,
                      learn_into=absolute(args.learn_into), max_chars=args.max_chars or MAX_CHARS)
    return serve(options, args.debounce / 1000)
