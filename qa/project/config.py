"""Project configuration: ``copydesk.toml`` or ``[tool.copydesk]`` in ``pyproject.toml``.

Looked up from the working directory upwards (the first folder holding either
file wins; the search stops at the repository root, a folder with ``.git``).
Command-line flags win over the file. Paths in the file are relative to it::

    glossary = ["glossaries/desk.toml"]
    lang = "en"
    select = ["name", "encoding"]
    ignore = ["article/double-space"]
    exclude = ["archive/2019/**", "*.draft.md"]
    fail-on = "warning"
    jobs = 4

    [severity]
    "name/near-miss" = "warning"
    "article" = "info"          # a whole family
"""
from __future__ import annotations

import os
import posixpath
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from qa.model.findings import FAIL_ON, SEVERITIES
from qa.model.langs import LocatedError

KEYS = {"glossary", "lang", "select", "ignore", "exclude", "severity", "fail-on", "jobs"}


class ConfigError(LocatedError):
    """Bad configuration: ``str(e)`` is ``file:line: what is wrong``."""


@dataclass
class Config:
    path: str | None = None
    glossary: list[str] | None = None  # absolute or relative to the working directory
    lang: str | None = None
    select: list[str] | None = None
    ignore: list[str] | None = None
    exclude: list[str] = field(default_factory=list)  # with a '/': absolute (resolved against the file)
    severity: dict[str, str] = field(default_factory=dict)  # rule id -> severity (families expanded)
    fail_on: str | None = None
    jobs: int | None = None


def find_config(start: str | Path | None = None) -> Path | None:
    d = Path(start or os.getcwd()).resolve()
    for folder in [d, *d.parents]:
        c = folder / "copydesk.toml"
        if c.is_file():
            return c
        pp = folder / "pyproject.toml"
        if pp.is_file():
            # a pyproject.toml that cannot be read may hold [tool.copydesk]: say so
            # rather than silently go on to the parent folders
            try:
                text = pp.read_bytes().decode("utf-8")
            except UnicodeDecodeError as e:
                raise ConfigError(str(pp), None, f"not valid UTF-8 (offset {e.start})") from None
            except OSError as e:
                raise ConfigError(str(pp), None, f"cannot read: {e.strerror or e}") from None
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError as e:
                raise ConfigError(str(pp), _toml_line(e), f"TOML syntax: {_toml_msg(e)}") from None
            if isinstance(data.get("tool"), dict) and "copydesk" in data["tool"]:
                return pp
        if (folder / ".git").exists():
            return None
    return None


def _toml_line(e: tomllib.TOMLDecodeError) -> int | None:
    m = re.search(r"\(at line (\d+), column \d+\)", str(e))
    return int(m.group(1)) if m else None


def _toml_msg(e: tomllib.TOMLDecodeError) -> str:
    return re.sub(r"\s*\(at line \d+, column \d+\)", "", str(e))


def _line_of(lines: list[str], key: str, section_start: int = 0) -> int | None:
    pat = re.compile(r'^\s*(?:"?' + re.escape(key) + r'"?)\s*=')
    for i in range(section_start, len(lines)):
        if pat.search(lines[i]):
            return i + 1
    pat2 = re.compile(r"^\s*\[[^\]]*\b" + re.escape(key) + r"\b[^\]]*\]")
    for i in range(section_start, len(lines)):
        if pat2.search(lines[i]):
            return i + 1
    return None


def load_config(path: str | Path, cwd: str | Path | None = None) -> Config:
    p = Path(path)
    sp = str(path)
    try:
        text = p.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(sp, None, "no such configuration file") from None
    except UnicodeDecodeError as e:
        raise ConfigError(sp, None, f"not valid UTF-8 (offset {e.start})") from None
    except OSError as e:
        raise ConfigError(sp, None, f"cannot read: {e.strerror or e}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(sp, _toml_line(e), f"TOML syntax: {_toml_msg(e)}") from None
    lines = text.splitlines()
    start = 0
    if p.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("copydesk") if isinstance(tool, dict) else None
        if table is None:
            raise ConfigError(sp, None, "no [tool.copydesk] table")
        start = next((i for i, ln in enumerate(lines) if re.match(r"\s*\[\s*tool\.copydesk\b", ln)), 0)
        prefix = "[tool.copydesk] "
    else:
        table = data
        prefix = ""
    if not isinstance(table, dict):
        raise ConfigError(sp, start + 1, f"{prefix}must be a table")
    return _validate(table, sp, lines, start, prefix, Path(cwd or os.getcwd()))


def _validate(table: dict, sp: str, lines: list[str], start: int, prefix: str, cwd: Path) -> Config:
    from qa.model.langs import LanguageError, parse_language_code
    from qa.engine.registry import RULES, SelectionError, resolve_selection
    from qa.rules import load_builtin_rules

    load_builtin_rules()

    def err(key: str, message: str):
        raise ConfigError(sp, _line_of(lines, key, start), message)

    base = Path(sp).resolve().parent
    cfg = Config(path=sp)
    for k in table:
        if k not in KEYS:
            hint = f" (did you mean {k.replace('_', '-')!r}?)" if k.replace("_", "-") in KEYS else ""
            err(k, f"{prefix}unknown key {k!r}{hint} (known: {', '.join(sorted(KEYS))})")

    def str_list(key: str) -> list[str] | None:
        v = table.get(key)
        if v is None:
            return None
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
            err(key, f"{key} must be a string or a list of strings")
        return list(v)

    def rel(p: str) -> str:
        q = Path(p).expanduser()
        q = q if q.is_absolute() else base / q
        try:
            r = os.path.relpath(q, cwd)
        except ValueError:
            return str(q)
        return str(q) if r.startswith("..") else r

    g = str_list("glossary")
    if g is not None:
        cfg.glossary = [rel(x) for x in g]
    if "lang" in table:
        if not isinstance(table["lang"], str):
            err("lang", "lang must be a string (an ISO 639-1 code or auto)")
        try:
            cfg.lang = parse_language_code(table["lang"], allow_auto=True)
        except LanguageError as e:
            err("lang", str(e))
    cfg.select = str_list("select")
    cfg.ignore = str_list("ignore")
    for key in ("select", "ignore"):
        v = getattr(cfg, key)
        if v:
            try:
                resolve_selection(v, None)
            except SelectionError as e:
                err(key, f"{key}: {e}")
    for pat in str_list("exclude") or []:
        if "/" in pat.rstrip("/") and not os.path.isabs(pat):
            pat = posixpath.normpath(base.as_posix() + "/" + pat)
        cfg.exclude.append(pat)
    if "severity" in table:
        sev = table["severity"]
        if not isinstance(sev, dict):
            err("severity", "severity must be a table of rule = \"error\" | \"warning\" | \"info\"")
        load_builtin_rules()
        for rid, level in sev.items():
            if level not in SEVERITIES:
                err(rid, f"severity of {rid!r} must be one of {', '.join(SEVERITIES)}, not {level!r}")
            hit = [r for r in RULES if r == rid or RULES[r].family == rid.rstrip("/")]
            if not hit:
                err(rid, f"severity: unknown rule or family {rid!r} (see `copydesk rules`)")
            for r in hit:
                # a rule named exactly wins over its family, whatever the order in the file
                if r == rid or r not in cfg.severity or r not in sev:
                    cfg.severity[r] = level
    if "fail-on" in table:
        if table["fail-on"] not in FAIL_ON:
            err("fail-on", f"fail-on must be one of {', '.join(FAIL_ON)}, not {table['fail-on']!r}")
        cfg.fail_on = table["fail-on"]
    if "jobs" in table:
        j = table["jobs"]
        if isinstance(j, bool) or not isinstance(j, int) or j < 1:
            err("jobs", f"jobs must be a positive integer, not {j!r}")
        cfg.jobs = j
    return cfg
