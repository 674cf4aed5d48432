"""What every command's adapter shares: errors, exit codes, the options that
build a :class:`~qa.project.project.Project`, and building it."""
from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qa.project.project import Project

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERNAL = 0, 1, 2, 3


class UsageError(Exception):
    """Bad arguments or input: printed as one line, exit 2."""


def exit_codes(findings: str = "findings") -> str:
    return (f"exit codes: 0 clean, 1 {findings}, 2 usage, configuration, glossary or input error, "
            "3 internal error (a bug: please report it)")


def add_project_args(p: argparse.ArgumentParser, *, paths: bool = True, allow_auto: bool = True,
                     records: bool = True) -> None:
    """The options that make a project (flags win over the configuration file)."""
    if paths:
        p.add_argument("paths", nargs="+", metavar="PATH",
                       help="articles or folders (folders: .txt and .md, recursively)")
    p.add_argument("--glossary", "-g", action="append", metavar="P",
                   help="glossary file or folder of *.toml (repeatable; default: configured, else the shipped ones)")
    p.add_argument("--lang", "-l", default=None,
                   help="target language, ISO 639-1" + (" or auto" if allow_auto else "") + " (default: configured, else en)")
    p.add_argument("--select", action="append", metavar="R",
                   help="only these rules or families (repeatable, comma-separated)")
    p.add_argument("--ignore", action="append", metavar="R", help="skip these rules or families (repeatable, comma-separated)")
    p.add_argument("--config", metavar="FILE",
                   help="configuration file (default: copydesk.toml or [tool.copydesk] in pyproject.toml, looked up)")
    p.add_argument("--no-config", action="store_true", help="ignore configuration files")
    if records:
        p.add_argument("--no-records", action="store_true",
                       help="ignore review records (findings a reviewer rejected come back)")
    p.add_argument("--no-cache", action="store_true",
                   help="check every item afresh: neither read nor write the result cache (see `copydesk cache`)")


def project_from_args(args, **extra) -> "Project":
    """The project for a command's arguments (configuration merged; flags win)."""
    from qa.project.project import Project, ProjectError

    try:
        return Project.from_options(
            glossary=getattr(args, "glossary", None), lang=getattr(args, "lang", None),
            select=getattr(args, "select", None), ignore=getattr(args, "ignore", None),
            exclude=getattr(args, "exclude", None) or (), fail_on=getattr(args, "fail_on", None),
            jobs=getattr(args, "jobs", None), records=not getattr(args, "no_records", False),
            config=getattr(args, "config", None), no_config=getattr(args, "no_config", False), **extra)
    except ProjectError as e:
        raise UsageError(str(e)) from None


def nothing_selected(project: "Project") -> str | None:
    """Why no rule can run, or None."""
    if not project.enabled:
        return "Nothing checked: the rule selection (--select/--ignore or the configuration) enables no rule."
    return None
