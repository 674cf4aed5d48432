"""The ``copydesk`` command line: adapters that translate arguments into a
:class:`~qa.project.project.Project`, call a service and render the result.

Exit codes: 0 clean, 1 findings, 2 usage, configuration, glossary or input
error (also a full disk on standard output), 3 internal error (a bug), 130
interrupted, 141 standard output closed by its reader (``| head -1``; quiet).
"""
from __future__ import annotations

import argparse
import errno
import os
import sys
from typing import Sequence

from qa import __version__
from qa.cli import audit as audit_cli
from qa.cli import cache as cache_cli
from qa.cli import check as check_cli
from qa.cli import glossary as glossary_cli
from qa.cli import lsp as lsp_cli
from qa.cli import rules as rules_cli
from qa.cli import score as score_cli
from qa.cli import serve as serve_cli
from qa.cli.common import EXIT_INTERNAL, UsageError, add_project_args, exit_codes, project_from_args

INTERNAL_ERROR = EXIT_INTERNAL
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a tool that a closed pipe stopped
# errors of the user's side of an output (disk full, quota, file too large, device error)
_USER_IO_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EPIPE}


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="copydesk", description="Quality assurance for machine-translated news articles.",
                                 epilog=exit_codes())
    ap.add_argument("--version", action="version", version=f"copydesk {__version__}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    check_cli.add_parsers(sub)
    rv = sub.add_parser("review", help="review findings in a terminal UI",
                        description="Accept, reject or edit each fix in a terminal UI, then save.",
                        epilog="exit codes: 0 done, 2 usage, configuration, glossary or input error, 3 internal error")
    add_project_args(rv, records=False)
    rv.add_argument("--learn-into", metavar="FILE", help="glossary file that `g` (add to glossary) edits")
    rv.add_argument("--meta", action="append", metavar="KEY=VALUE",
                    help="metadata kept in each review record (e.g. engine=deepl), for `audit --reviews`")
    rv.add_argument("--source", metavar="SOURCE",
                    help="the source article the (one) PATH translates: shown beside each finding")
    rv.add_argument("--source-lang", metavar="L", help="language of the source (default: detected)")
    rv.add_argument("--serve", action="store_true", help="serve the review app in a browser (textual-serve)")
    rv.add_argument("--port", type=int, default=8000, help="port for --serve (default 8000)")
    rv.add_argument("--host", default="127.0.0.1", help="address --serve listens on (default 127.0.0.1)")
    rv.add_argument("--token-file", metavar="FILE",
                    help="--serve: the token the page needs, read from FILE (created with a random one if missing)")
    rv.add_argument("--max-sessions", type=int, default=1, metavar="N",
                    help="--serve: browser sessions open at a time (default 1)")
    rv.set_defaults(handler=cmd_review)
    audit_cli.add_parsers(sub)
    glossary_cli.add_parsers(sub)
    rules_cli.add_parsers(sub)
    score_cli.add_parsers(sub)
    cache_cli.add_parsers(sub)
    serve_cli.add_parsers(sub)
    lsp_cli.add_parsers(sub)
    return ap


def cmd_review(args) -> int:
    from pathlib import Path

    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        raise UsageError(f"no such file or folder: {missing[0]}")
    learn = [args.learn_into] if args.learn_into and Path(args.learn_into).exists() else []
    from qa.services.review import parse_meta

    try:
        parse_meta(args.meta)
    except ValueError as e:
        raise UsageError(f"--meta: {e}") from None
    if args.source:
        if len(args.paths) != 1 or not Path(args.paths[0]).is_file():
            raise UsageError("--source pairs one source with one target: give one article file")
        if not Path(args.source).is_file():
            raise UsageError(f"no such source file: {args.source}")
    if args.source_lang:
        from qa.model.langs import check_language

        check_language(args.source_lang)  # a bad code: a usage error before the UI starts
    project = project_from_args(args, extra_glossaries=learn)
    try:
        from tui.app import run_review
    except ImportError as e:
        raise UsageError(f"the review UI is not available: {e}") from None
    return run_review(project, review_options(args))


def review_options(args):
    """The typed options of ``copydesk review`` (:class:`qa.services.review.ReviewOptions`)."""
    from qa.services.review import ReviewOptions, parse_meta

    return ReviewOptions(
        tuple(args.paths), learn_into=args.learn_into, meta=parse_meta(args.meta), source=args.source,
        source_lang=args.source_lang, serve=args.serve, port=args.port, host=getattr(args, "host", None),
        token_file=getattr(args, "token_file", None), max_sessions=getattr(args, "max_sessions", None), glossary=tuple(args.glossary or ()),
        lang=args.lang, select=tuple(args.select or ()), ignore=tuple(args.ignore or ()), config=args.config,
        no_config=args.no_config)


def main(argv: Sequence[str] | None = None) -> int:
    from qa.engine.registry import SelectionError
    from qa.model.langs import LanguageError
    from qa.text.glossary import GlossaryError

    ap = build_parser()
    args = ap.parse_args(argv)
    try:
        if args.command is None:
            ap.print_help()
            return 2
        code = args.handler(args)
        sys.stdout.flush()  # a full disk or closed pipe shows here, not at interpreter exit
        return code
    except GlossaryError as e:
        print(f"copydesk: glossary error: {e}", file=sys.stderr)
        return 2
    except (LanguageError, SelectionError, UsageError) as e:
        print(f"copydesk: error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (`| head -1`): quiet, like other Unix tools
        _drop_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as e:
        if e.errno not in _USER_IO_ERRNOS:
            return _internal(e)
        _drop_stdout()
        if e.errno == errno.EPIPE:
            return EXIT_BROKEN_PIPE
        # a full disk or an I/O error on the user's side: one line, not "please report this"
        what = "I/O error" if e.errno == errno.EIO else "cannot write"
        where = f"{e.filename}: " if e.filename else ""
        print(f"copydesk: error: {where}{what}: {e.strerror or e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("copydesk: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # an internal error never exits 0 or 1 (those mean clean / findings)
        return _internal(e)


def _internal(e: BaseException) -> int:
    print(f"copydesk: internal error: {type(e).__name__}: {e} (please report this)", file=sys.stderr)
    return INTERNAL_ERROR


def _drop_stdout() -> None:
    """When standard output cannot take what is buffered, point it at /dev/null so
    that the interpreter's own flush at exit does not fail a second time."""
    try:
        sys.stdout.flush()
        return
    except (OSError, ValueError):
        pass
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    sys.exit(main())
