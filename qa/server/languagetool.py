"""The LanguageTool HTTP API (``POST /v2/check``, ``GET /v2/languages``) over
copydesk's findings, so that clients made for a LanguageTool server (browser
add-ons, editor plug-ins, CMS integrations, ``language_tool_python``) work
against ``copydesk serve`` unchanged.

Shapes follow LanguageTool's documented API (https://languagetool.org/http-api/):
offsets and lengths count UTF-16 code units, as LanguageTool (Java) and its
JavaScript clients do; with the ``data`` field (annotated text: ``text`` and
``markup`` parts, ``interpretAs`` for markup that reads as text) the text
checked is the text parts plus the ``interpretAs`` strings, and offsets point
into the whole annotated document, markup included.

No library implements the server side of this API, so the mapping is ours.
"""
from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field

from qa import __version__
from qa.server.core import RequestError

# variants LanguageTool clients commonly ask for (they send long codes such as en-US)
_VARIANTS = {"en": ("en-US", "en-GB"), "de": ("de-DE", "de-AT", "de-CH"), "nl": ("nl-NL", "nl-BE"),
             "pt": ("pt-PT", "pt-BR"), "fr": ("fr-FR",), "es": ("es-ES",), "it": ("it-IT",), "pl": ("pl-PL",),
             "sv": ("sv-SE",), "cs": ("cs-CZ",), "ro": ("ro-RO",), "hu": ("hu-HU",), "tr": ("tr-TR",),
             "fi": ("fi-FI",)}
_LANG_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{2,8})*$")

# LanguageTool's issue types (ITS 2.0 localization quality issue types), by rule then by family
_ISSUE_TYPES = {"article/duplicate-paragraph": "duplication", "article/doubled-word": "duplication",
                "article/double-space": "whitespace", "article/boilerplate": "style",
                "language/number-format": "locale-violation", "language/untranslated": "untranslated",
                "language/number-mismatch": "mistranslation", "name/missing": "omission",
                "name/unexpected": "mistranslation"}
_FAMILY_ISSUE = {"name": "misspelling", "encoding": "typographical", "language": "grammar", "article": "style"}
_CONTEXT = 40  # characters either side, as LanguageTool gives


def language_name(code: str) -> str:
    try:
        import langcodes

        return langcodes.Language.get(code).display_name("en")
    except Exception:  # langcodes knows every ISO 639-1 code; this is only a fallback
        return code


def languages(press_langs) -> list[dict]:
    """``GET /v2/languages``: name, code and longCode of each language."""
    out = []
    for code in press_langs:
        name = language_name(code)
        out.append({"name": name, "code": code, "longCode": code})
        for long in _VARIANTS.get(code, ()):
            region = long.split("-")[1]
            out.append({"name": f"{name} ({region})", "code": code, "longCode": long})
    return out


def parse_language(tag: str | None) -> str:
    """``en-US`` → ``en``; ``auto`` stays; anything else is a 400."""
    t = (tag or "").strip()
    if not t:
        raise RequestError("missing 'language' parameter (e.g. en-US, nl, de-DE or auto)")
    if t.lower() == "auto":
        return "auto"
    m = _LANG_TAG.match(t)
    if not m:
        raise RequestError(f"'{t[:40]}' is not a language code (e.g. en-US, nl, de-DE or auto)")
    return m.group(1).lower()


@dataclass
class Annotated:
    """The text to check and where each of its characters lies in the original."""

    plain: str
    original: str
    # (plain start, original start, original end, is text) per part, by plain start
    parts: list[tuple[int, int, int, bool]] = field(default_factory=list)
    _cache: list[int] | None = field(default=None, repr=False)

    def to_original(self, pos: int, end: bool = False) -> int:
        """The original offset (code points) of plain offset ``pos`` (``end``:
        of the end of a span, which belongs to the part holding its last character)."""
        if not self.parts:
            return pos
        if end:
            if pos == 0:
                return 0
            return self._locate(pos - 1, 1)
        return self._locate(pos, 0)

    def _locate(self, pos: int, after: int) -> int:
        # the last part starting at or before pos: the one holding character pos (empty parts
        # -- markup read as nothing -- share their start with the part after them)
        i = max(bisect.bisect_right(self._starts, pos) - 1, 0)
        p0, o0, o1, is_text = self.parts[i]
        if is_text:
            return min(o0 + (pos - p0) + after, o1)
        return o1 if after else o0

    @property
    def _starts(self) -> list[int]:
        if self._cache is None:
            self._cache = [p[0] for p in self.parts]
        return self._cache


def plain_text(text: str | None, data: str | None) -> Annotated:
    """The text of a ``/v2/check`` request (``text``, or the annotated ``data``)."""
    if text is not None and data is not None:
        raise RequestError("give either 'text' or 'data', not both")
    if text is not None:
        return Annotated(text, text)
    if data is None:
        raise RequestError("missing 'text' or 'data' parameter")
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError) as e:
        raise RequestError(f"'data' is not JSON: {str(e).splitlines()[0][:120]}") from None
    ann = doc.get("annotation") if isinstance(doc, dict) else None
    if not isinstance(ann, list):
        raise RequestError("'data' must be a JSON object with an 'annotation' list")
    plain, orig, parts = [], [], []
    p = o = 0
    for n, a in enumerate(ann):
        if not isinstance(a, dict):
            raise RequestError(f"'data' annotation {n}: not an object")
        if "text" in a:
            s = a["text"]
            if not isinstance(s, str):
                raise RequestError(f"'data' annotation {n}: 'text' must be a string")
            parts.append((p, o, o + len(s), True))
            plain.append(s)
            orig.append(s)
            p += len(s)
            o += len(s)
        elif "markup" in a:
            m, interp = a["markup"], a.get("interpretAs", "")
            if not isinstance(m, str) or not isinstance(interp, str):
                raise RequestError(f"'data' annotation {n}: 'markup' and 'interpretAs' must be strings")
            parts.append((p, o, o + len(m), False))
            plain.append(interp)
            orig.append(m)
            p += len(interp)
            o += len(m)
        else:
            raise RequestError(f"'data' annotation {n}: needs 'text' or 'markup'")
    return Annotated("".join(plain), "".join(orig), parts)


class Utf16:
    """Code-point offsets of a string → UTF-16 code-unit offsets."""

    _ASTRAL = re.compile("[\U00010000-\U0010FFFF]")

    def __init__(self, s: str) -> None:
        self.astral = [m.start() for m in self._ASTRAL.finditer(s)]

    def __call__(self, pos: int) -> int:
        return pos + bisect.bisect_left(self.astral, pos) if self.astral else pos


_SENTENCE_END = re.compile(r"[.!?…](?=[\"'”’»)]*\s)|\n")


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around ``text[start:end]`` (cut at ., !, ?, … before white space, and at line ends)."""
    a = 0
    for m in _SENTENCE_END.finditer(text, max(0, start - 400), start):
        a = m.end()
    m = _SENTENCE_END.search(text, end)
    b = m.end() if m else len(text)
    return text[a:b].strip()


def _span_and_replacements(f) -> tuple[int, int, list[str]]:
    """The span a client replaces and its replacements: the flagged span with
    the fix and alternatives when the fix stays inside it; else the span the
    fix rewrites (a boilerplate line deleted with its line break)."""
    if f.fix is None:
        return f.start, f.end, []
    rep = f.replacement
    if rep is not None and f.fix.start >= f.start and f.fix.end <= f.end:
        reps = [rep, *(x for x in f.alternatives if x != rep)]
        return f.start, f.end, reps
    a, b = min(f.start, f.fix.start), max(f.end, f.fix.end)
    return a, b, [f.fix_after if f.fix_after is not None else ""]


def matches(findings, ann: Annotated, rules: dict) -> list[dict]:
    """LanguageTool ``matches`` of ``findings`` (offsets into ``ann.plain``)."""
    u16 = Utf16(ann.original)
    out = []
    for f in sorted(findings, key=lambda f: (f.start, f.end, f.rule)):
        s, e, reps = _span_and_replacements(f)
        os_, oe = ann.to_original(s), ann.to_original(e, end=True)
        off = u16(os_)
        cs = max(0, s - _CONTEXT)
        ctx = ann.plain[cs:e + _CONTEXT].replace("\n", " ").replace("\r", " ").replace("\t", " ")
        cu = Utf16(ctx)
        rule = rules.get(f.rule)
        family = f.rule.split("/", 1)[0]
        out.append({
            "message": f.message,
            "shortMessage": rule.summary if rule is not None else "",
            "replacements": [{"value": r} for r in reps],
            "offset": off,
            "length": u16(oe) - off,
            "context": {"text": ctx, "offset": cu(s - cs), "length": cu(e - cs) - cu(s - cs)},
            "sentence": _sentence(ann.plain, s, e),
            "type": {"typeName": "Other"},
            "rule": {"id": f.rule, "description": rule.summary if rule is not None else f.rule,
                     "issueType": _ISSUE_TYPES.get(f.rule, _FAMILY_ISSUE.get(family, "uncategorized")),
                     "category": {"id": family.upper(), "name": family.capitalize()}},
            "ignoreForIncompleteSentence": False,
            "contextForSureMatch": 0,
        })
    return out


def split_ids(*values: str | None) -> list[str]:
    return [x.strip() for v in values if v for x in v.split(",") if x.strip()]


def selection(known: set[str], *, enabled_rules=None, disabled_rules=None, enabled_categories=None,
              disabled_categories=None, enabled_only: bool = False) -> tuple[list[str] | None, list[str] | None]:
    """copydesk ``select``/``ignore`` from LanguageTool's rule parameters.
    A client sends its own LanguageTool rule ids too (``WHITESPACE_RULE``):
    ids copydesk does not know are ignored, as LanguageTool ignores unknown ids."""
    families = {k.split("/", 1)[0] for k in known}

    def ours(rules, cats):
        ids = [r for r in split_ids(rules) if r in known]
        ids += [c.lower() for c in split_ids(cats) if c.lower() in families]
        return ids

    select = ours(enabled_rules, enabled_categories) if enabled_only else None
    ignore = ours(disabled_rules, disabled_categories) or None
    return select, ignore


def response(findings, ann: Annotated, language: str | None, asked: str, rules: dict) -> dict:
    """The whole ``/v2/check`` answer."""
    checked = language or (asked if asked != "auto" else "en")
    name = language_name(checked)
    return {
        "software": {"name": "copydesk", "version": __version__, "buildDate": None, "apiVersion": 1,
                     "premium": False, "status": ""},
        "warnings": {"incompleteResults": False},
        "language": {"name": name, "code": checked,
                     "detectedLanguage": {"name": name, "code": checked, "confidence": 1.0 if asked != "auto" else None,
                                          "source": "copydesk"}},
        "matches": matches(findings, ann, rules),
    }
