"""``copydesk cache``: where the caches are, and dropping them.

``copydesk cache clean`` removes the result cache (the findings of every item
checked before, see :mod:`qa.project.result_cache`); ``--all`` also removes the
compiled glossaries and the word tables (they are rebuilt on the next run, which
then takes seconds longer). ``copydesk cache info`` prints the directory and
its size.
"""
from __future__ import annotations

import shutil
import sys


def add_parsers(sub) -> None:
    c = sub.add_parser("cache", help="show or clean the caches",
                       description="The result cache (findings of the items checked before, reused when nothing "
                                   "that decides them changed) and the compiled glossaries live in the cache "
                                   "directory ($COPYDESK_CACHE_DIR, else ~/.cache/copydesk).",
                       epilog="exit codes: 0 done, 2 usage error")
    csub = c.add_subparsers(dest="cache_command", metavar="ACTION")
    epilog = "exit codes: 0 done, 2 usage error"
    clean = csub.add_parser("clean", help="drop the cached results (--all: everything in the cache directory)",
                            description="Drop the cached results (the next check or audit checks every item "
                                        "afresh).", epilog=epilog)
    clean.add_argument("--all", action="store_true",
                       help="also drop the compiled glossaries and word tables (rebuilt on the next run)")
    clean.set_defaults(handler=cmd_clean)
    info = csub.add_parser("info", help="the cache directory and the size of the result cache",
                           description="Print the cache directory and the size of the result cache.", epilog=epilog)
    info.set_defaults(handler=cmd_info)
    c.set_defaults(handler=lambda args: (c.print_help(), 2)[1])


def cmd_clean(args) -> int:
    from qa.project.result_cache import clean
    from qa.text.cache import cache_dir

    n, size = clean()
    print(f"copydesk: removed {n} cached result{'s' if n != 1 else ''} ({size / 1e6:.1f} MB)")
    if args.all:
        d = cache_dir()
        if d.exists():
            shutil.rmtree(d, ignore_errors=True)
        print(f"copydesk: removed the cache directory {d}")
    return 0


def cmd_info(args) -> int:
    from qa.project.result_cache import info
    from qa.text.cache import cache_dir

    i = info()
    sys.stdout.write(f"cache directory: {cache_dir()}\n"
                     f"result cache: {i['entries']} entr{'ies' if i['entries'] != 1 else 'y'}, "
                     f"{i['bytes'] / 1e6:.1f} MB in {i['directory']}\n")
    return 0
