"""Glossary format 1 (TOML): loading and validation with ``file:line`` errors.

See docs/glossary-format.md for the format.
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Iterable

from qa.model.langs import LocatedError, is_language_code

KINDS = ("person", "place", "org", "term")
TERM_KEYS = {"id", "kind", "forms", "native", "wrong", "note", "origin"}
GLOSSARY_KEYS = {"name", "format", "description", "version", "languages"}
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


class GlossaryError(LocatedError):
    """A bad glossary: ``str(e)`` is ``file:line: what is wrong``."""


@dataclass
class Term:
    id: str
    kind: str
    forms: dict[str, tuple[str, ...]]  # accepted forms by language, first preferred
    native: dict[str, tuple[str, ...]] = field(default_factory=dict)
    wrong: dict[str, tuple[str, ...]] = field(default_factory=dict)
    note: str = ""
    path: str = ""
    line: int = 0
    # the language the name belongs to (its own spelling): ``uk``, ``ru`` (Cyrillic), or a
    # Latin-script language (``lt``, ``tr``, ``en``...); "" when the glossary does not say
    origin: str = ""

    def preferred(self, lang: str) -> str | None:
        f = self.forms.get(lang)
        return f[0] if f else None

    @cached_property
    def first_name_keys(self) -> frozenset[str]:
        """Folded given names of every multi-word form, right or wrong (Volodymyr, Wolodymyr)."""
        from qa.text.translit import fold

        return frozenset(fold(p) for forms in (*self.forms.values(), *self.wrong.values())
                         for f in forms for p in f.split()[:-1])


@dataclass
class Glossary:
    terms: list[Term] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # [glossary] name of each file
    paths: list[str] = field(default_factory=list)

    def by_id(self) -> dict[str, Term]:
        return {t.id: t for t in self.terms}

    def extend(self, other: "Glossary") -> None:
        seen = self.by_id()
        for t in other.terms:
            if t.id in seen:
                first = seen[t.id]
                raise GlossaryError(t.path, t.line, f"duplicate term id {t.id!r} (first at {first.path}:{first.line})")
            seen[t.id] = t
            self.terms.append(t)
        self.names += other.names
        self.paths += other.paths


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s.strip())


class _Lines:
    """Finds the line of a term's key in the TOML source for error messages.

    Lines are counted at "\n" only, as TOML counts them (U+2028 inside a
    string is no line break). Comments are skipped; dotted keys
    (``wrong.en = …``), sub-tables (``[term.wrong]`` then ``en = …``) and
    inline tables (``wrong = { en = … }``) are understood."""

    _HEADER = re.compile(r"^\s*\[\s*term\s*\.\s*([\w-]+)\s*\]")

    def __init__(self, text: str):
        self.lines = [ln.rstrip("\r") for ln in text.split("\n")]
        self.term_starts = [i + 1 for i, ln in enumerate(self.lines) if re.match(r"\s*\[\[\s*term\s*\]\]", ln)]

    def term(self, n: int) -> int | None:
        return self.term_starts[n] if n < len(self.term_starts) else None

    def key(self, n: int, *parts: str) -> int | None:
        start = self.term(n)
        if start is None:
            return None
        if not parts:
            return start
        end = self.term_starts[n + 1] - 1 if n + 1 < len(self.term_starts) else len(self.lines)
        dotted = re.compile(r"^\s*" + r"\s*\.\s*".join(re.escape(p) for p in parts) + r"\s*=")
        head = re.compile(r"^\s*" + re.escape(parts[0]) + r"\s*=")
        sub_key = re.compile(r"^\s*" + re.escape(parts[1]) + r"\s*=") if len(parts) > 1 else None
        section = None
        fallback = None
        for i in range(start, end):  # the line after [[term]] onwards (0-based i = line i+1)
            ln = self.lines[i]
            stripped = ln.strip()
            if not stripped or stripped.startswith("#"):
                continue
            m = self._HEADER.match(ln)
            if m:
                section = m.group(1)
                if section == parts[0] and len(parts) == 1:
                    return i + 1
                continue
            if section is None:
                if dotted.match(ln):
                    return i + 1
                if head.match(ln) and fallback is None:  # inline table: forms = { en = ... }
                    fallback = i + 1
            elif section == parts[0] and sub_key is not None and sub_key.match(ln):
                return i + 1
        return fallback or start


def _as_forms(value, path, line, what) -> tuple[str, ...]:
    if isinstance(value, str):
        vals = [value]
    elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        vals = value
    else:
        raise GlossaryError(path, line, f"{what} must be a string or a non-empty list of strings")
    out = []
    for v in vals:
        v = _nfc(v)
        if not v:
            raise GlossaryError(path, line, f"{what} has an empty form")
        if v not in out:
            out.append(v)
    return tuple(out)


def _by_lang(table, path, line_of, key) -> dict[str, tuple[str, ...]]:
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise GlossaryError(path, line_of(key), f"{key} must be a table of language = form(s)")
    out = {}
    for lang, value in table.items():
        if not is_language_code(lang):
            raise GlossaryError(path, line_of(key, lang), f"{key}.{lang}: {lang!r} is not an ISO 639-1 language code")
        try:
            out[lang] = _as_forms(value, path, None, f"{key}.{lang}")
        except GlossaryError as e:  # the line is looked up only for an error
            raise GlossaryError(path, line_of(key, lang), e.message) from None
    return out


def parse_glossary(text: str, path: str = "<glossary>") -> Glossary:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(e))
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(e))
        raise GlossaryError(path, int(m.group(1)) if m else None, f"TOML syntax: {msg}") from None
    lines = _Lines(text)
    head = data.get("glossary")
    if not isinstance(head, dict):
        raise GlossaryError(path, 1, "missing [glossary] table with format = 1")
    head_line = next((i + 1 for i, ln in enumerate(lines.lines) if re.match(r"\s*\[\s*glossary\s*\]", ln)), 1)
    for k in head:
        if k not in GLOSSARY_KEYS:
            raise GlossaryError(path, head_line, f"unknown key {k!r} in [glossary] (known: {', '.join(sorted(GLOSSARY_KEYS))})")
    if head.get("format") != 1:
        raise GlossaryError(path, head_line, f"unsupported format {head.get('format')!r} (this copydesk reads format = 1)")
    for k in data:
        if k not in ("glossary", "term"):
            raise GlossaryError(path, None, f"unknown top-level key {k!r} (expected [glossary] and [[term]])")
    raw_terms = data.get("term", [])
    if not isinstance(raw_terms, list):
        raise GlossaryError(path, None, "term must be an array of tables ([[term]])")
    g = Glossary(names=[str(head.get("name", Path(path).stem))], paths=[path])
    seen: dict[str, int] = {}
    for n, raw in enumerate(raw_terms):
        tline = lines.term(n)

        def line_of(*parts, _n=n):
            return lines.key(_n, *parts)

        for k in raw:
            if k not in TERM_KEYS:
                raise GlossaryError(path, line_of(k), f"unknown key {k!r} in [[term]] (known: {', '.join(sorted(TERM_KEYS))})")
        tid = raw.get("id")
        if not isinstance(tid, str) or not _ID.match(tid):
            raise GlossaryError(path, line_of("id") if tid is not None else tline,
                                "term needs an id: lower-case letters, digits, '-', '.', '_'")
        if tid in seen:
            raise GlossaryError(path, line_of("id"), f"duplicate term id {tid!r} (first at line {seen[tid]})")
        seen[tid] = tline or 0
        kind = raw.get("kind", "term")
        if kind not in KINDS:
            raise GlossaryError(path, line_of("kind"), f"kind {kind!r} is not one of {', '.join(KINDS)}")
        forms = _by_lang(raw.get("forms"), path, line_of, "forms")
        if not forms:
            raise GlossaryError(path, line_of("forms") or tline, f"term {tid!r} has no forms")
        native = _by_lang(raw.get("native"), path, line_of, "native")
        wrong = _by_lang(raw.get("wrong"), path, line_of, "wrong")
        for lang, ws in wrong.items():
            acc = {f.casefold() for f in forms.get(lang, ())}
            for w in ws:
                if w.casefold() in acc:
                    raise GlossaryError(path, line_of("wrong", lang),
                                        f"term {tid!r}: {w!r} is both accepted (forms.{lang}) and wrong (wrong.{lang})")
        note = raw.get("note", "")
        if not isinstance(note, str):
            raise GlossaryError(path, line_of("note"), "note must be a string")
        origin = raw.get("origin", "")
        if not isinstance(origin, str) or (origin and not is_language_code(origin)):
            raise GlossaryError(path, line_of("origin"), f"origin: {origin!r} is not an ISO 639-1 language code")
        g.terms.append(Term(tid, kind, forms, native, wrong, note, path, tline or 0, origin))
    return g


def read_glossary_text(path: str | Path) -> str:
    """A glossary file's text, or a one-line :class:`GlossaryError`."""
    p = Path(path)
    try:
        return p.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise GlossaryError(str(p), None, "no such glossary file") from None
    except IsADirectoryError:
        raise GlossaryError(str(p), None, "is a directory") from None
    except UnicodeDecodeError as e:
        raise GlossaryError(str(p), None, f"not valid UTF-8 (offset {e.start})") from None
    except OSError as e:
        raise GlossaryError(str(p), None, f"cannot read: {e.strerror or e}") from None


def load_glossary_file(path: str | Path) -> Glossary:
    return parse_glossary(read_glossary_text(path), str(path))


def glossary_files(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            found = sorted(p.glob("*.toml"))
            if not found:
                raise GlossaryError(str(p), None, "directory holds no *.toml glossary")
            out += found
        else:
            out.append(p)
    return out


def shipped_glossary_files() -> list[Path]:
    root = resources.files("glossaries")
    return sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith(".toml"))


def load_glossaries(paths: Iterable[str | Path] | None = None) -> Glossary:
    """Load and merge glossaries; ``None`` or empty means the shipped ones."""
    files = glossary_files(paths) if paths else shipped_glossary_files()
    g = Glossary()
    for f in files:
        g.extend(load_glossary_file(f))
    return g
