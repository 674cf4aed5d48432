"""Bilingual evidence: what the source article tells about its translation.

A :class:`SourceSegment` is the source text aligned with a span of the target
(a unit of a bilingual file, a paragraph, or the whole article). For each, the
glossary names the source mentions are found with the glossary compiled for
the *source* language (its accepted spellings, wrong forms and computed press
spellings), and its numbers are read with the source language's conventions.
The ``name/missing``, ``name/unexpected`` and ``language/number-mismatch``
rules (qa/rules/source.py) compare them with the target; the names
matcher reads ``doc.source_terms`` as evidence for near misses.

Nothing here runs when no source is given: monolingual output is unchanged.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from qa.engine.document import Document

ALIGN_UNIT, ALIGN_PARAGRAPH, ALIGN_ARTICLE = "unit", "paragraph", "article"


class SourceLanguageError(ValueError):
    pass


# --- numbers ---------------------------------------------------------------------
# A number token: digits with . , or no-break-space groups, and an optional decimal part.
_NUM = re.compile(r"(?<![\d.,])\d+(?:[.,\u00a0\u202f]\d+)*(?![\d])")
_DATE = re.compile(r"(?<![\d.,/])(\d{1,2})([./-])(\d{1,2})\2(\d{2}|\d{4})(?![\d])")
_TIME = re.compile(r"(?<![\d.,])([01]?\d|2[0-3])[.:]([0-5]\d)(?=\s*(?:uur|u\b|h\b|Uhr|am|pm|a\.m\.|p\.m\.|hours))",
                   re.IGNORECASE)
_SCALES = {
    Decimal(10) ** 3: ("thousand", "duizend", "tausend", "mille", "tysiąc", "tys"),
    Decimal(10) ** 6: ("million", "millions", "miljoen", "miljoenen", "millionen", "mln", "mio", "m", "mn",
                       "milion", "miliony", "milionów"),
    Decimal(10) ** 9: ("billion", "billions", "miljard", "miljarden", "milliarde", "milliarden", "milliard",
                       "milliards", "mld", "mrd", "bn", "miliard", "miliardy", "miliardów"),
    Decimal(10) ** 12: ("trillion", "biljoen", "billionen"),
}
_SCALE_OF = {w: s for s, ws in _SCALES.items() for w in ws}
_SCALE_AFTER = re.compile(r"[ \u00a0\u202f]?([^\W\d_]+)")
# number words a translation may write for a digit in the source (never read in the source)
_WORDS = {
    "en": "zero one two three four five six seven eight nine ten eleven twelve",
    "nl": "nul een twee drie vier vijf zes zeven acht negen tien elf twaalf",
    "de": "null eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf",
    "fr": "zéro un deux trois quatre cinq six sept huit neuf dix onze douze",
}
_NUMBER_WORDS = {lang: {w: Decimal(i) for i, w in enumerate(ws.split())} for lang, ws in _WORDS.items()}
# inflected and other forms of the small numbers (German einem, Russian нуля, Ukrainian двох):
# a translation writes them for a digit as often as the dictionary form
_INFLECTED = {
    "en": {0: "no none nil", 1: "a an single", 2: "both couple"},
    "nl": {1: "één éen enkele", 2: "beide"},
    "de": {0: "keine keinen keinem keiner kein", 1: "ein eine einen einem einer eines einzige einzigen",
           2: "zweier zweien beide beiden", 3: "dreier"},
    "fr": {1: "une", 2: "deux"},
    "ru": {0: "ноль нуль ноля нуля нолю нулю нолём нулём ноле нуле",
           1: "один одна одно одни одного одной одному одним одной одною одном одну",
           2: "два две двух двум двумя", 3: "три трёх трех трём трем тремя",
           4: "четыре четырёх четырех четырём четырем четырьмя", 5: "пять пяти пятью",
           6: "шесть шести шестью", 7: "семь семи семью", 8: "восемь восьми восемью",
           9: "девять девяти девятью", 10: "десять десяти десятью"},
    "uk": {0: "нуль нуля нулю нулем нулі", 1: "один одна одне одного одної одному одній одним однією",
           2: "два дві двох двом двома", 3: "три трьох трьом трьома",
           4: "чотири чотирьох чотирьом чотирма", 5: "п'ять п’ять п'яти п’яти", 6: "шість шести",
           7: "сім семи", 8: "вісім восьми", 9: "дев'ять дев’ять дев'яти дев’яти", 10: "десять десяти"},
    "pl": {0: "zero", 1: "jeden jedna jedno jednego jednej jednemu jednym jedną", 2: "dwa dwie dwóch dwóm dwoma",
           3: "trzy trzech", 4: "cztery czterech", 5: "pięć pięciu"},
    "es": {0: "cero", 1: "uno una un", 2: "dos", 3: "tres", 4: "cuatro", 5: "cinco", 6: "seis", 7: "siete",
           8: "ocho", 9: "nueve", 10: "diez"},
}
for _lang, _forms in _INFLECTED.items():
    _d = _NUMBER_WORDS.setdefault(_lang, {})
    for _v, _ws in _forms.items():
        for _w in _ws.split():
            _d.setdefault(_w, Decimal(_v))
_MONTHS = {
    "en": "january february march april may june july august september october november december",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
}
_MONTH_NUMBERS = {lang: {w: Decimal(i + 1) for i, w in enumerate(ws.split())} for lang, ws in _MONTHS.items()}
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class Number:
    start: int
    end: int  # the digits only
    text: str
    values: frozenset  # the values it can be read as (scale applied)
    mantissa: Decimal | None = None  # the reading in its own language, before the scale
    scale: Decimal = Decimal(1)


def _babel_locale(lang: str) -> str:
    return {"nb": "nb", "no": "nb"}.get(lang, lang)


def read_number(token: str, lang: str) -> Decimal | None:
    """``token`` read with ``lang``'s separators (Dutch 13.000 = 13000, 1,5 = 1.5),
    or None when that language would not write it so. Babel's CLDR data knows
    each locale's symbols; ``strict`` rejects misplaced grouping."""
    from babel.core import UnknownLocaleError
    from babel.numbers import NumberFormatError, parse_decimal

    if token.isdigit():
        return Decimal(token)
    try:
        return parse_decimal(token, locale=_babel_locale(lang), strict=True)
    except (NumberFormatError, UnknownLocaleError, ValueError, InvalidOperation):
        pass
    # Babel's strict mode wants the locale's own group symbol (a narrow no-break
    # space in French); newspapers write a plain no-break space as well.
    t = token.replace("\u00a0", "\u202f")
    if t != token:
        try:
            return parse_decimal(t, locale=_babel_locale(lang), strict=True)
        except (NumberFormatError, UnknownLocaleError, ValueError, InvalidOperation):
            pass
    return None


def _scale_after(text: str, end: int) -> Decimal:
    m = _SCALE_AFTER.match(text, end, min(len(text), end + 16))
    if m:
        return _SCALE_OF.get(m.group(1).casefold(), Decimal(1))
    return Decimal(1)


def find_numbers(text: str, lang: str, start: int = 0, end: int | None = None, *,
                 lenient_langs: tuple[str, ...] = ()) -> list[Number]:
    """Numbers in ``text[start:end]``: dates give their day, month and year;
    times (13.00 uur) are left out (translations rewrite them freely).
    ``lenient_langs``: also read each token the way these languages would (the
    target side, where a leaked source format is another rule's finding), and
    read number and month words (three, March)."""
    end = len(text) if end is None else end
    out: list[Number] = []
    taken: list[tuple[int, int]] = []
    for m in _TIME.finditer(text, start, end):
        taken.append(m.span())
    for m in _DATE.finditer(text, start, end):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        taken.append(m.span())
        for g in (1, 3, 4):
            v = Decimal(m.group(g))
            vals = {v}
            if g == 4 and len(m.group(g)) == 2:
                vals.add(v + 2000)
            out.append(Number(m.start(g), m.end(g), m.group(g), frozenset(vals), v))
    for m in _NUM.finditer(text, start, end):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        tok = m.group()
        scale = _scale_after(text, m.end())
        own = read_number(tok, lang)
        readings = set()
        if own is not None:
            readings.add(own)
        for other in lenient_langs:
            r = read_number(tok, other)
            if r is not None:
                readings.add(r)
        if not readings:
            # not one number in this language (a list 1,2,3, a code): its digit groups
            for part in re.finditer(r"\d+", tok):
                v = Decimal(part.group())
                out.append(Number(m.start() + part.start(), m.start() + part.end(), part.group(), frozenset({v}), v))
            continue
        vals = {r * scale for r in readings}
        if lenient_langs:
            vals |= readings  # the target may add a scale word the source left out
        out.append(Number(m.start(), m.end(), tok, frozenset(vals), own, scale))
    if lenient_langs:
        words = {**_NUMBER_WORDS.get(lang, {})}
        months = _MONTH_NUMBERS.get(lang, {})
        for w in _WORD.finditer(text, start, end):
            key = w.group().casefold()
            v = words.get(key)
            if v is None:
                v = months.get(key)
            if v is not None:
                scale = _scale_after(text, w.end())
                out.append(Number(w.start(), w.end(), w.group(), frozenset({v * scale, v}), v, scale))
    out.sort(key=lambda n: n.start)
    return out


def format_number(value: Decimal, lang: str) -> str:
    """``value`` as ``lang`` writes it (English 13,000 and 1.5; Dutch 13.000 and 1,5)."""
    from babel.numbers import format_decimal

    try:
        return format_decimal(value, locale=_babel_locale(lang), group_separator=value >= 10000 or lang == "en")
    except Exception:  # an unknown locale: the digits as they are
        return str(value)


# --- source side -------------------------------------------------------------------
@dataclass
class SourceSegment:
    """Source text aligned with ``target[start:end]``."""

    start: int
    end: int
    text: str
    lang: str
    unit: str | None = None  # unit id in a bilingual file
    terms: dict[str, str] = field(default_factory=dict)  # term id -> the source's spelling
    term_spans: list[tuple[int, int]] = field(default_factory=list)
    numbers: list[Number] = field(default_factory=list)


@dataclass
class SourceInfo:
    lang: str
    alignment: str  # unit | paragraph | article
    segments: list[SourceSegment]
    path: str | None = None

    @property
    def terms(self) -> set[str]:
        return {t for s in self.segments for t in s.terms}


def detect_source_language(text: str) -> str:
    from qa.text.langid import detect, detect_document_language

    lang = detect_document_language(Document(text=text))
    if lang is None:
        res = detect(text)
        if res and res[0][1] >= 0.8:
            lang = res[0][0]
    if lang is None:
        raise SourceLanguageError("cannot tell the language of the source; give it with --source-lang")
    return lang


def analyse_source(checker, text: str, lang: str) -> tuple[dict[str, str], list[tuple[int, int]], list[Number]]:
    """The glossary terms ``text`` mentions (in any spelling the glossary compiled
    for ``lang`` knows: accepted, wrong, computed, one edit off) and its numbers."""
    from qa.engine.name_matcher import match_names

    terms: dict[str, str] = {}
    spans: list[tuple[int, int]] = []
    idx = checker.index_for(lang)
    if idx is not None:
        sdoc = Document(text=text, lang=lang, index=idx)
        for m in match_names(sdoc):
            terms.setdefault(m.shape.term.id, text[m.start:m.end])
            spans.append((m.start, m.end))
    return terms, spans, find_numbers(text, lang)


def make_segment(checker, start: int, end: int, text: str, lang: str, unit: str | None = None) -> SourceSegment:
    terms, spans, nums = analyse_source(checker, text, lang)
    return SourceSegment(start, end, text, lang, unit, terms, spans, nums)


def align_plain(checker, source_text: str, target_text: str, source_lang: str) -> SourceInfo:
    """Paragraph by paragraph when the counts match, else the whole article."""
    from qa.engine.document import Document as D

    sp = D(text=source_text).paragraphs
    tp = D(text=target_text).paragraphs
    if sp and len(sp) == len(tp):
        segs = [make_segment(checker, t.start, t.end, s.text, source_lang) for s, t in zip(sp, tp)]
        return SourceInfo(source_lang, ALIGN_PARAGRAPH, segs)
    seg = make_segment(checker, 0, len(target_text), source_text, source_lang)
    return SourceInfo(source_lang, ALIGN_ARTICLE, [seg])


def check_pair(checker, source_text: str, target_text: str, source_lang: str | None = None,
               path: str | None = None):
    """Check ``target_text`` against ``source_text`` (plain texts). Returns
    (findings, target language, SourceInfo)."""
    lang = source_lang or detect_source_language(source_text)
    info = align_plain(checker, source_text, target_text, lang)
    info.path = path
    findings, tlang = checker.check_text(target_text, path, shared=shared_for(info))
    return findings, tlang, info


def shared_for(info: SourceInfo) -> dict:
    """What a target :class:`Document` carries so the rules see the source."""
    return {"source": info, "source_terms": frozenset(info.terms)}


# --- what a bilingual unit's source shows is the translator's intent -------------------
# Hygiene rules whose pattern, when the unit's source has it too, is deliberate:
# column-aligned help text and menu layouts (runs of spaces), escaped markup
# (&amp;lt;), printf formats. Removing it from the target would damage the
# translation; the source is the evidence.
_SPACE_RUN = re.compile(r"[ \u00a0\t]{2,}")
def _lines(s: str) -> int:
    return len([x for x in s.splitlines() if x.strip()])


SOURCE_PATTERN_RULES = {
    "article/double-space": lambda text, source, target: bool(_SPACE_RUN.search(source)),
    "encoding/html-entity": lambda text, source, target: text.casefold() in source.casefold(),
    "article/doubled-word": lambda text, source, target: text.casefold() in source.casefold(),
    "encoding/control-character": lambda text, source, target: text in source,
    # a web-furniture line (Read more, Advertisement, Photo: %s) in a unit whose
    # source has as many lines is the translation of the source's own line (a UI
    # string, a caption): deleting it from the target alone would misalign them
    "article/boilerplate": lambda text, source, target: _lines(source) == _lines(target),
}


def shared_with_source(finding, source: str, target: str = "") -> bool:
    """True when ``finding`` flags a spacing, entity, markup or furniture
    pattern that the unit's ``source`` has too (not a finding in a bilingual unit)."""
    test = SOURCE_PATTERN_RULES.get(finding.rule)
    return bool(test and source.strip() and finding.text and test(finding.text, source, target))
