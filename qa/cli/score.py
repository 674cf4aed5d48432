"""``copydesk score``: MT quality against references."""
from __future__ import annotations

import json
import sys

from qa.cli.common import UsageError


def add_parsers(sub) -> None:
    p = sub.add_parser("score", help="MT quality: BLEU, chrF, TER (sacrebleu) and name accuracy",
                       description="Score machine translations against references: corpus BLEU, chrF and TER "
                                   "(sacrebleu, one segment per line) and the accuracy of glossary names. "
                                   "Folders are paired by relative path.",
                       epilog="exit codes: 0 scored, 2 usage, glossary or input error, 3 internal error")
    p.add_argument("hyp", metavar="HYP", help="machine translation: an article or a folder")
    p.add_argument("--ref", "-r", action="append", required=True, metavar="REF",
                   help="reference article or folder (repeatable for several references)")
    p.add_argument("--glossary", "-g", action="append", metavar="P", help="glossary file or folder (default: shipped)")
    p.add_argument("--lang", "-l", default="en", help="target language, ISO 639-1 (default: en)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(handler=cmd_score)


def cmd_score(args) -> int:
    from qa.project.project import Project
    from qa.services.score import ScoreError, format_text, score

    project = Project.from_options(glossary=args.glossary, lang=args.lang, select=["name"], no_config=True)
    if project.lang == "auto":
        raise UsageError("score needs the target language (--lang), not auto")
    checker = project.checker
    try:
        rep = score(args.hyp, args.ref, checker.glossary, project.lang, checker)
    except ScoreError as e:
        raise UsageError(str(e)) from None
    if args.format == "json":
        json.dump(rep, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        format_text(rep)
    return 0
