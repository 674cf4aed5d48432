"""``copydesk glossary lint``: audit the glossary itself.

Codes (``file:line: code message``):

* ``parse-error``        the file does not load (the loader's own message)
* ``duplicate-id``       a term id used in two files
* ``duplicate-form``     one accepted form for two terms in one language
* ``wrong-accepted``     a form listed as wrong for one term but accepted for another
* ``computed-collision`` a press spelling computed from one term's native form equals another
                         term's accepted form (the index then never flags it: Russian-based
                         *Odessa* of Odesa against *Odessa* of Odessa, Texas)
* ``shared-surname``     persons sharing a surname: a surname alone is ambiguous
* ``common-word``        a flagged spelling (wrong, another language's, computed) or a person's
                         surname that is a common word of the language: wordfreq Zipf >= 4.5
                         and >= 0.7 above its median in related languages (names such as
                         Putin or Paris are frequent everywhere; *Will*, *Brown*, *Nice* are
                         frequent in English): a false alarm waiting to happen
* ``mixed-script``       Cyrillic and Latin (or Greek) letters inside one form (look-alikes)
"""
from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Sequence

from qa.text.glossary import Glossary, GlossaryError, Term, _Lines, glossary_files, parse_glossary, shipped_glossary_files
from qa.text.translit import CYRILLIC_SOURCES, fold, is_cyrillic, press_spellings

DEFAULT_ZIPF = 4.5
SPECIFICITY = 0.7  # Zipf above the median of related languages: a word of *this* language, not a name
_REFERENCE = {"Latin": ("en", "de", "fr", "nl", "es", "it", "pl", "pt"), "Cyrillic": ("ru", "uk", "bg", "mk", "sr")}
CODES = ("parse-error", "duplicate-id", "duplicate-form", "wrong-accepted", "computed-collision",
         "shared-surname", "common-word", "mixed-script")


@dataclass
class Problem:
    path: str
    line: int | None
    code: str
    message: str
    term: str | None = None

    def __str__(self) -> str:
        loc = f"{self.path}:{self.line}" if self.line else self.path
        return f"{loc}: {self.code} {self.message}"


class _Located:
    """Terms with the lines of their keys."""

    def __init__(self) -> None:
        self.lines: dict[str, _Lines] = {}
        self.order: dict[int, int] = {}  # id(term) -> index of the term in its file

    def add(self, path: str, text: str, g: Glossary) -> None:
        self.lines[path] = _Lines(text)
        for n, t in enumerate(g.terms):
            self.order[id(t)] = n

    def line(self, t: Term, *key: str) -> int | None:
        ln = self.lines.get(t.path)
        n = self.order.get(id(t))
        if ln is None or n is None:
            return t.line or None
        return (ln.key(n, *key) if key else ln.term(n)) or t.line or None


def _script(ch: str) -> str | None:
    if not ch.isalpha():
        return None
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return None
    for s in ("LATIN", "CYRILLIC", "GREEK"):
        if name.startswith(s):
            return s.capitalize()
    return None


def mixed_script(form: str) -> str | None:
    """A description of the odd letters when ``form`` mixes scripts, else None."""
    by: dict[str, list[str]] = defaultdict(list)
    for ch in form:
        s = _script(ch)
        if s:
            by[s].append(ch)
    if len(by) < 2:
        return None
    main = max(by, key=lambda s: len(by[s]))
    odd = [(s, ch) for s, chs in by.items() if s != main for ch in dict.fromkeys(chs)]
    letters = ", ".join(f"{s} {ch!r} (U+{ord(ch):04X})" for s, ch in odd)
    return f"{form!r} mixes {main} with {letters}"


def _zipf(word: str, lang: str) -> float:
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover
        return 0.0
    try:
        return zipf_frequency(word, lang)
    except (LookupError, ValueError):
        return 0.0


def common_word(word: str, lang: str, zipf: float = DEFAULT_ZIPF) -> float | None:
    """The word's Zipf frequency in ``lang`` when it is a common word of that
    language rather than a name (see the module docstring), else None."""
    z = _zipf(word, lang)
    if z < zipf:
        return None
    script = "Cyrillic" if is_cyrillic(word) else "Latin"
    refs = [_zipf(word, r) for r in _REFERENCE[script] if r != lang and r in _wordfreq_langs()]
    if len(refs) >= 2:
        refs.sort()
        mid = len(refs) // 2
        median = refs[mid] if len(refs) % 2 else (refs[mid - 1] + refs[mid]) / 2
        if z - median < SPECIFICITY:
            return None
    return z


_WF_LANGS: set[str] | None = None


def _wordfreq_langs() -> set[str]:
    global _WF_LANGS
    if _WF_LANGS is None:
        try:
            from wordfreq import available_languages

            _WF_LANGS = set(available_languages())
        except Exception:  # pragma: no cover
            _WF_LANGS = set()
    return _WF_LANGS


def load_for_lint(paths: Sequence[str] | None) -> tuple[list[tuple[Glossary, str]], list[Problem], _Located, list[str]]:
    problems: list[Problem] = []
    loc = _Located()
    loaded: list[tuple[Glossary, str]] = []
    try:
        files = glossary_files(paths) if paths else shipped_glossary_files()
    except GlossaryError as e:
        return [], [Problem(e.path, e.line, "parse-error", e.message)], loc, []
    names = []
    for f in files:
        sp = str(f)
        names.append(sp)
        try:
            text = Path(f).read_bytes().decode("utf-8")
        except FileNotFoundError:
            problems.append(Problem(sp, None, "parse-error", "no such glossary file"))
            continue
        except UnicodeDecodeError as e:
            problems.append(Problem(sp, None, "parse-error", f"not valid UTF-8 (offset {e.start})"))
            continue
        except OSError as e:
            problems.append(Problem(sp, None, "parse-error", f"cannot read: {e.strerror or e}"))
            continue
        try:
            g = parse_glossary(text, sp)
        except GlossaryError as e:
            problems.append(Problem(e.path, e.line, "parse-error", e.message))
            continue
        loc.add(sp, text, g)
        loaded.append((g, text))
    return loaded, problems, loc, names


def lint_terms(terms: Sequence[Term], loc: _Located | None = None, langs: Iterable[str] | None = None,
               zipf: float = DEFAULT_ZIPF) -> list[Problem]:
    loc = loc or _Located()
    out: list[Problem] = []

    def add(t: Term, key: tuple[str, ...], code: str, msg: str) -> None:
        out.append(Problem(t.path, loc.line(t, *key), code, msg, t.id))

    # duplicate ids (across files: within one file the loader refuses them)
    first: dict[str, Term] = {}
    for t in terms:
        if t.id in first:
            f = first[t.id]
            add(t, ("id",), "duplicate-id", f"term id {t.id!r} is also defined at {f.path}:{loc.line(f) or f.line}")
        else:
            first[t.id] = t

    # accepted forms by language: folded form -> terms
    accepted: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
    for t in terms:
        for lang, forms in t.forms.items():
            for f in forms:
                lst = accepted[lang][fold(f)]
                if t not in lst:
                    lst.append(t)
    for lang, table in accepted.items():
        for key, ts in table.items():
            if len(ts) > 1:
                form = next(f for f in ts[0].forms[lang] if fold(f) == key)
                for t in ts[1:]:
                    others = ", ".join(repr(o.id) for o in ts if o is not t)
                    add(t, ("forms", lang), "duplicate-form",
                        f"{form!r} is an accepted form (forms.{lang}) of {t.id!r} and of {others}: "
                        "a match cannot tell them apart")

    # wrong for one term, accepted for another
    for t in terms:
        for lang, ws in t.wrong.items():
            for w in ws:
                for o in accepted.get(lang, {}).get(fold(w), []):
                    if o is not t:
                        add(t, ("wrong", lang), "wrong-accepted",
                            f"{w!r} is listed as wrong for {t.id!r} (wrong.{lang}) but accepted for {o.id!r} (forms.{lang})")

    # computed spellings equal to another term's accepted form
    computed: dict[str, list[tuple[str, str, str, str]]] = {}  # term id -> (spelling, source, press, src lang)
    for t in terms:
        rows = []
        for src, natives in t.native.items():
            if src not in CYRILLIC_SOURCES:
                continue
            for n in natives:
                if not is_cyrillic(n):
                    continue
                for press, outs in press_spellings(n, src, cap=8).items():
                    rows += [(o, f"native.{src} {n!r}", press, src) for o in outs]
        computed[t.id] = rows
    all_accepted_any = defaultdict(list)  # folded -> [(term, lang)]
    for lang, table in accepted.items():
        for key, ts in table.items():
            for o in ts:
                all_accepted_any[key].append((o, lang))
    for t in terms:
        seen = set()
        own = {fold(f) for fs in t.forms.values() for f in fs}
        for spelling, source, press, src in computed[t.id]:
            key = fold(spelling)
            if key in own:
                continue
            for o, lang in all_accepted_any.get(key, ()):
                if o is t or (key, o.id, lang) in seen:
                    continue
                seen.add((key, o.id, lang))
                add(t, ("native", src), "computed-collision",
                    f"{spelling!r}, computed from {source} ({press} press), is the accepted form of {o.id!r} "
                    f"(forms.{lang}): it is never flagged for {t.id!r} and a match is ambiguous")

    # persons sharing a surname
    groups: dict[str, list[Term]] = defaultdict(list)
    shown: dict[str, str] = {}
    where: dict[tuple[str, str], str] = {}  # (surname, term id) -> language of the form
    for t in terms:
        if t.kind != "person":
            continue
        for lang, fs in t.forms.items():
            for f in fs:
                toks = f.split()
                if len(toks) < 2:
                    continue
                key = fold(toks[-1])
                if t not in groups[key]:
                    groups[key].append(t)
                    shown.setdefault(key, toks[-1])
                    where[(key, t.id)] = lang
    for key, ts in groups.items():
        if len(ts) > 1:
            ids = ", ".join(repr(o.id) for o in ts)
            add(ts[1], ("forms", where[(key, ts[1].id)]), "shared-surname",
                f"surname {shown[key]!r} is shared by {ids}: the surname alone is ambiguous (matched to none or the wrong one)")

    # common words
    wf = _wordfreq_langs()
    target = list(dict.fromkeys(langs)) if langs else sorted({lang for t in terms for lang in t.forms})
    for lang in target:
        if lang not in wf:
            continue
        acc_tokens = {fold(tok) for table_key in accepted.get(lang, {}) for tok in table_key.split()}
        for t in terms:
            cands: list[tuple[str, str, tuple[str, ...]]] = []  # (word, why, key)
            for f in t.wrong.get(lang, ()):
                if len(f.split()) == 1:
                    cands.append((f, f"listed as wrong (wrong.{lang})", ("wrong", lang)))
            for other, fs in t.forms.items():
                if other != lang:
                    cands += [(f, f"the {other} form (forms.{other}), flagged in {lang}", ("forms", other))
                              for f in fs if len(f.split()) == 1]
            for spelling, source, press, src in computed[t.id]:
                if len(spelling.split()) == 1:
                    cands.append((spelling, f"computed from {source} ({press} press), flagged in {lang}", ("native", src)))
            if t.kind == "person":
                for f in t.forms.get(lang, ()):
                    toks = f.split()
                    if len(toks) >= 2:
                        cands.append((toks[-1], f"the surname of {f!r}, matched alone", ("forms", lang)))
            seen = set()
            for word, why, key in cands:
                k = fold(word)
                if k in seen:
                    continue
                seen.add(k)
                if "the surname" not in why and k in acc_tokens:
                    continue  # accepted by some term in this language: the index never flags it
                z = common_word(word, lang, zipf)
                if z is not None:
                    add(t, key, "common-word",
                        f"{word!r} ({why}) is a common {lang} word (Zipf {z:.1f}): a false alarm waiting to happen")

    # mixed scripts
    for t in terms:
        for what, table in (("forms", t.forms), ("native", t.native), ("wrong", t.wrong)):
            for lang, forms in table.items():
                for f in forms:
                    m = mixed_script(f)
                    if m:
                        add(t, (what, lang), "mixed-script", f"{m} ({what}.{lang}): look-alike letters never match")
    out.sort(key=lambda p: (p.path, p.line or 0, CODES.index(p.code) if p.code in CODES else 99, p.message))
    return out


def lint_paths(paths: Sequence[str] | None, langs: Iterable[str] | None = None,
               zipf: float = DEFAULT_ZIPF) -> tuple[list[Problem], list[str]]:
    loaded, problems, loc, names = load_for_lint(paths)
    terms = [t for g, _text in loaded for t in g.terms]
    problems += lint_terms(terms, loc, langs=langs, zipf=zipf)
    return problems, names


def format_text(problems: Sequence[Problem], files: Sequence[str]) -> str:
    lines = [str(p) for p in problems]
    n = len(problems)
    lines.append(f"Found {n} problem{'s' if n != 1 else ''} in {len(files)} glossary file{'s' if len(files) != 1 else ''}."
                 if n else f"{len(files)} glossary file{'s' if len(files) != 1 else ''}: no problems.")
    return "\n".join(lines) + "\n"


def format_json(problems: Sequence[Problem], files: Sequence[str]) -> str:
    return json.dumps({"schema": "copydesk.glossary-lint/1", "files": list(files), "count": len(problems),
                       "problems": [asdict(p) for p in problems]}, ensure_ascii=False, indent=1) + "\n"
