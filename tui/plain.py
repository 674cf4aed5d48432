"""Plain language for the review screen: language names instead of codes,
code pages by name, what a finding is in one line ("Dutch spelling of Кулеба").

Kept free of Textual (plain strings) so that it is easy to test."""
from __future__ import annotations


# Code pages by the name a newsroom knows them by. The codec registry only has
# aliases ("windows-1252"), not these descriptions, so they are listed here.
CODEPAGE_NAMES = {
    "cp1252": "Windows Western European",
    "latin-1": "Latin-1 (ISO 8859-1)",
    "cp874": "Thai",
    "mac_roman": "Mac Roman",
    "cp1251": "Windows Cyrillic",
    "cp1250": "Windows Central European",
    "iso8859_2": "Central European (ISO 8859-2)",
    "koi8_r": "Russian KOI8-R",
    "cp437": "DOS (IBM PC)",
    "cp1257": "Windows Baltic",
    "cp1253": "Windows Greek",
}

SEVERITY_WORDS = {"error": "error", "warning": "warning", "info": "note"}


def language_name(code: str | None) -> str:
    """English name of an ISO 639 code ("nl" → "Dutch", :func:`qa.model.langs.language_name`,
    the one table); the code itself when unknown."""
    if not code or code == "auto":
        return "unknown language" if not code else "detected language"
    from qa.model.langs import language_name as name

    return name(code)


def codepage_phrase(codepage: str | None, lossy: bool | None = None) -> str:
    """ "Thai code page (cp874), one byte lost" """
    if not codepage:
        return ""
    name = CODEPAGE_NAMES.get(codepage)
    out = f"{name} code page ({codepage})" if name else f"code page {codepage}"
    if lossy is True:
        out += ", one byte lost"
    elif lossy is False:
        out += ", nothing lost"
    return out


def source_phrase(source: str | None, term=None, lang: str | None = None, flagged: str = "") -> str:
    """What a transliteration finding's ``source`` says, in words (``lang`` is
    the article's language): ``forms.nl`` → "Dutch spelling of Кулеба",
    ``native.ru→nl`` → "Dutch press spelling of Russian Путин",
    ``native.ru→en`` in an English article → "Russian-based spelling of Луганск"."""
    if not source:
        return ""
    n = len(flagged.split()) or 99
    kind, _, rest = source.partition(".")
    if kind == "forms":
        native = _native(term, words=n)
        return f"{language_name(rest)} spelling" + (f" of {native[1]}" if native else "")
    if kind == "native":
        src, _, dst = rest.partition("→")
        nat = _native(term, src, words=n)
        of = f" of {nat[1]}" if nat else ""
        if dst and dst != lang:
            return f"{language_name(dst)} press spelling" + (f" of {language_name(src)} {nat[1]}" if nat else
                                                             f" from {language_name(src)}")
        return f"{language_name(src)}-based spelling{of}"
    if kind == "wrong":
        return f"listed as wrong for {language_name(rest)}"
    return source


def _native(term, lang: str | None = None, words: int = 99) -> tuple[str, str] | None:
    """(language, native spelling) of the term, cut to its last ``words`` words (a flagged
    surname "Koeleba" is the spelling of "Кулеба", not of "Дмитро Кулеба")."""
    if term is None or not term.native:
        return None
    pick = None
    if lang and term.native.get(lang):
        pick = lang, term.native[lang][0]
    else:
        pick = next(((lg, forms[0]) for lg, forms in term.native.items() if forms), None)
    if pick is None:
        return None
    return pick[0], " ".join(pick[1].split()[-words:])


def rule_title(rule_id: str) -> str:
    """The rule's one-line summary from the registry (falls back to the id)."""
    try:
        from qa.engine.registry import RULES
    except ImportError:  # pragma: no cover
        return rule_id
    r = RULES.get(rule_id)
    return r.summary.rstrip(".") if r is not None and r.summary else rule_id
