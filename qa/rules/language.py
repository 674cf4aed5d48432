"""``language/*``: text left in another language, and number formats carried
over from the source language."""
from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, field
from typing import Iterable

import regex

from qa.engine.document import Document, LanguageStats
from qa.model.langs import language_name
from qa.text.langid import (COMMON_ZIPF, WORD, common_share, detect, has_wordlist, preference, zipf, zipf_cached,
                            zipf_table)
from qa.model.findings import Applicability, Finding, Fix, Severity
from qa.engine.registry import Example, check, rule

# --- language/untranslated --------------------------------------------------------
# Thresholds (see the rule's explanation). Counted words are the paragraph's words
# left after masking glossary names, URLs, and capitalised words that are not common
# words of the target language (probable names).
CLEARLY_TARGET_SHARE = 0.75  # ≥ this share of common target words: in the target language, no langdetect
LONG_WORDS = 25  # a paragraph this long is judged with p ≥ LONG_P
LONG_P = 0.90
SHORT_WORDS = 8  # 8..24 words: judged only when langdetect is very sure
SHORT_P = 0.99
SHORT_MAX_TARGET_SHARE = 0.6
NEIGHBOUR_WORDS = 4  # 4..7 words: only next to a flagged unit in the same language
NEIGHBOUR_P = 0.90  # when wordfreq lacks a language
NEIGHBOUR_MIN_PREF = 0.6  # otherwise: ≥ 60 % of its words prefer the neighbour's language...
NEIGHBOUR_MAX_TARGET_PREF = 0.2  # ...and ≤ 20 % the target language
ENGLISH_GUARD = 0.3  # target ≠ en: words preferring English over the target language cancel the fast path
FOREIGN_MIN_PREF = 0.5  # at least this share of words must prefer the detected language L over the target...
FOREIGN_MARGIN = 0.3  # ...and by this much more than the words preferring the target
FOREIGN_MIN_SHARE = 0.6  # when wordfreq lacks the target: share of common words of L
NO_WORDLIST_MAX_TARGET_SHARE = 0.4  # when wordfreq lacks the detected language
SUSPICIOUS_SHARE = 0.9  # a unit below this (not flagged as a whole) is looked at line by line / sentence by sentence

_LANGDETECT_LANGS = frozenset(
    "af ar bg bn ca cs cy da de el en es et fa fi fr gu he hi hr hu id it ja kn ko lt lv mk ml mr "
    "ne nl no pa pl pt ro ru sk sl so sq sv sw ta te th tl tr uk ur vi zh".split())

_SENT_SPLIT = regex.compile(r"(?<=[.!?…][\"”’»)]?)\s+(?=[\"“„«(‘]?\p{Lu})")
_LINE = regex.compile(r"[^\r\n]+")

rule(
    "language/untranslated", Severity.ERROR,
    "A paragraph (or line or sentence) left in another language than the target language.",
    explanation=(
        "Machine translation sometimes leaves a segment untranslated, or a pasted source paragraph "
        "survives into the translation. Severity error: a reader of the target language cannot read "
        "it, and the thresholds below keep the rule precise.\n\n"
        "How a unit is judged. Glossary names, URLs, and capitalised words that are not common words of "
        "the target language (probable names: 'Glinken', 'Zeitenwende') are masked first; the remaining "
        "words are counted. If at least 75 % of them are common words of the target language "
        "(wordfreq Zipf ≥ 3) the unit is in the target language and langdetect is not even asked "
        "(an English paragraph scores 0.9–1.0; Dutch, German, French, Spanish or Polish paragraphs "
        "0.2–0.56 in English, since function words like 'de', 'la', 'die' are frequent in English too; "
        "for another target language, the words must also not prefer English). "
        "Otherwise langdetect (deterministic) names a language L with probability p, and the unit is "
        "flagged only when its words prefer L head to head (≥ 50 % of the words are ≥ 0.5 Zipf more "
        "frequent in L than in the target, and 30 points more than the reverse) and: ≥ 25 words with "
        "p ≥ 0.90; or 8–24 words with p ≥ 0.99 and at most 60 % of its words common in the target "
        "language (or, where the target's word list knows most of them, as German and Dutch know "
        "'the', 'government', 'deal': ≥ 60 % of the words prefer L and ≤ 20 % the target); or 4–7 words (a heading) "
        "whose words prefer L over the target language (wordfreq, head to head) directly next to a unit flagged as L. Fewer than 4 words (headings such as "
        "'Meeting Lavrov, Glinken', name-only lines, bylines) are never judged: langdetect is unreliable "
        "there. A paragraph that is not flagged as a whole but is not clearly in the target language "
        "is also judged line by line and sentence by sentence (an untranslated segment inside a "
        "translated paragraph). Not run when the target language is unknown to langdetect.\n\n"
        "Foreign text carried on purpose is reported as info, not as an error: a quotation (most of the "
        "unit's words inside quotation marks, or a paragraph opening a quotation), a unit with a link, an "
        "@handle or a hashtag (an embedded post, a source line), a citation (et al., doi, ISBN, pp., "
        "volume(issue): pages) and a list of names (a results table or line, a line-up: mostly capitalised "
        "words over several lines or cells). Plain prose (no quotation marks, no link) stays an error."),
    examples=[
        Example("De Oekraïense regering heeft woensdag in Kyiv nieuwe afspraken gemaakt over de bouw van "
                "schuilkelders bij scholen. Volgens de minister moeten de eerste kelders voor de winter "
                "klaar zijn, maar gemeenten klagen dat het geld nog niet is overgemaakt.\n", True),
        Example("Talks with Lavrov, Glinken\n\nThe foreign ministers agreed on Friday to meet again "
                "before the end of the month to discuss prisoner exchanges.\n", False),
        Example("It was what the French call « la rentrée », the return to work after the long summer "
                "holidays, and the ministers came back to a crowded agenda.\n", False),
    ],
    fix="never", applicability=(),
)


@dataclass(slots=True)
class _Verdict:
    start: int
    end: int
    words: int
    target_share: float
    target: str
    lang: str | None = None  # the detected language, when not the target
    p: float = 0.0
    foreign_share: float = 0.0  # share of common words of L
    pref_foreign: float = 0.0  # share of words preferring L over the target language
    pref_target: float = 0.0  # share of words preferring the target language over L
    detected: bool = False  # langdetect was asked
    kind: str = "paragraph"  # paragraph | line | sentence
    neighbour: bool = False  # flagged for being next to a flagged unit in the same language
    word_list: list[str] = field(default_factory=list)  # the counted (unmasked) words
    back: dict[str, list[str]] = field(default_factory=dict)  # capitalised words common in a language


class _Spans:
    """Sorted, non-overlapping masked spans with a fast lookup of those in a range."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        starts: list[int] = []
        ends: list[int] = []
        for s, e in sorted(spans):
            if ends and s <= ends[-1]:
                if e > ends[-1]:
                    ends[-1] = e
            else:
                starts.append(s)
                ends.append(e)
        self.starts, self.ends = starts, ends  # two int lists: no tuple per span

    def within(self, start: int, end: int) -> list[tuple[int, int]]:
        starts, ends = self.starts, self.ends
        i = max(bisect.bisect_right(starts, start) - 1, 0)
        out = []
        while i < len(starts) and starts[i] < end:
            if ends[i] > start:
                out.append((starts[i], ends[i]))
            i += 1
        return out

    def unmasked(self, text: str, start: int, end: int):
        """The WORD matches of ``text[start:end]`` that overlap no span: one walk over
        the words and the (sorted, disjoint) spans together, not words x spans."""
        relevant = self.within(start, end)
        if not relevant:
            yield from WORD.finditer(text, start, end)
            return
        j, n = 0, len(relevant)
        s, e = relevant[0]
        for m in WORD.finditer(text, start, end):
            ms = m.start()
            while e <= ms:
                j += 1
                if j == n:
                    s = e = end + 1
                    break
                s, e = relevant[j]
            if s < m.end() and ms < e:
                continue
            yield m

    def unmasked_words(self, text: str, start: int, end: int) -> list[str]:
        """The words of :meth:`unmasked` as strings, found in C: ``findall`` over the
        stretches between spans (a match object per word cost 1.6 M objects on 10 MB).
        A word of the full text that straddles a span's edge overlaps the span and is
        left out whole, as :meth:`unmasked` does."""
        relevant = self.within(start, end)
        if not relevant:
            return WORD.findall(text, start, end)
        out: list[str] = []
        lo = start
        for s, e in relevant + [(end, end)]:
            hi = min(s, end)
            if lo < hi:
                w = _straddler(text, lo, start, end) if lo > start else None
                a = w[1] if w else lo  # resume after a word cut by the span ending at lo
                w = _straddler(text, hi, start, end) if hi < end else None
                b = w[0] if w else hi  # stop before a word cut by the span starting at hi
                if a < b:
                    out += WORD.findall(text, a, b)
            lo = max(lo, e)
            if lo >= end:
                break
        return out


def _safe_point(text: str, pos: int, floor: int) -> int:
    """A position at or before ``pos`` where no word can continue from the left
    (the character before it is no letter, digit or apostrophe): scanning from
    there splits words as a scan of the whole unit does."""
    while pos > floor and (text[pos - 1].isalnum() or text[pos - 1] in "'’"):
        pos -= 1
    return pos


def _straddler(text: str, pos: int, start: int, end: int) -> tuple[int, int] | None:
    """The span of the unit's word that straddles ``pos`` (a span's edge: the word
    overlaps the span and is left out whole), or None."""
    for m in WORD.finditer(text, _safe_point(text, pos, start), end):
        if m.end() > pos:
            return m.span() if m.start() < pos else None
    return None


def _masked_words(doc: Document, start: int, end: int, spans: _Spans) -> tuple[list[str], int]:
    """The unit's words without masked spans and probable names (capitalised words
    that are not common in the target language), and how many are common there."""
    lang = doc.lang
    if spans.within(start, end):
        words = spans.unmasked_words(doc.text, start, end)
    else:
        words = WORD.findall(doc.text, start, end)
    common_set = _common_words(lang, words)
    common = sum(map(common_set.__contains__, words))  # counted in C
    # capitalised words that are not common in L: probable names (or all-caps acronyms)
    out = [w for w in words if w in common_set or not w[0].isupper()]
    return out, common


_COMMON: dict[str, tuple[set[str], set[str]]] = {}  # lang -> (words seen, common ones among them)


def _common_words(lang: str, words: list[str]) -> set[str]:
    """The set of words already judged common in ``lang`` (Zipf >= COMMON_ZIPF),
    after judging the new ones among ``words``: each distinct word is looked up
    once per process, and a unit's words are tested by set membership."""
    seen, common = _COMMON.get(lang) or (None, None)
    if seen is None or len(seen) > 300_000:
        seen, common = _COMMON[lang] = (set(), set())
    new = set(words)
    new.difference_update(seen)
    if new:
        table = zipf_table(lang)
        for w in new:
            if zipf_cached(w, lang, table) >= COMMON_ZIPF:
                common.add(w)
        seen |= new
    return common


def _judge(doc: Document, start: int, end: int, spans, stats: LanguageStats) -> _Verdict:
    words, common = _masked_words(doc, start, end, spans)
    tshare = common / len(words) if words and has_wordlist(doc.lang) else 0.0
    # the words themselves are kept only for a short unit (_neighbour_like): all of them for
    # every paragraph of a long article would keep the whole text as word objects
    v = _Verdict(start, end, len(words), tshare, doc.lang, word_list=words if len(words) < SHORT_WORDS else [])
    if NEIGHBOUR_WORDS <= len(words) < SHORT_WORDS and tshare <= SHORT_MAX_TARGET_SHARE:
        # a possible foreign heading: its capitalised words, for _neighbour_like
        v.back = _LazyBack(doc, start, end, spans)
    if len(words) < NEIGHBOUR_WORDS:
        return v
    if has_wordlist(doc.lang) and tshare >= CLEARLY_TARGET_SHARE and (
            doc.lang == "en" or preference(words, "en", doc.lang) < ENGLISH_GUARD):
        return v  # clearly in the target language: no need for langdetect
    stats.detected += 1
    v.detected = True
    res = detect(" ".join(words))
    if not res or res[0][0] == doc.lang:
        return v
    lang, p = res[0]
    v.lang, v.p = lang, p
    if has_wordlist(lang):
        # capitalised words masked as probable names that are common words of L are
        # L's nouns (German 'Menschen') or sentence starts: count them back
        back = _capitalised_common_in(doc, start, end, spans, lang)
        if back:
            words = words + back
            v.words = len(words)
            v.target_share = common_share(words, doc.lang) if has_wordlist(doc.lang) else 0.0
        v.foreign_share = common_share(words, lang)
        if has_wordlist(doc.lang):
            v.pref_foreign = preference(words, lang, doc.lang)
            v.pref_target = preference(words, doc.lang, lang)
    else:
        v.foreign_share = -1.0
    return v


class _LazyBack(dict):
    """``lang -> capitalised words common in lang``, computed on first access."""

    def __init__(self, doc, start, end, spans):
        super().__init__()
        self._args = (doc, start, end, spans)

    def get(self, lang, default=None):
        if lang not in self:
            self[lang] = _capitalised_common_in(*self._args, lang) if has_wordlist(lang) else []
        return self[lang]


def _capitalised_common_in(doc: Document, start: int, end: int, spans, lang: str) -> list[str]:
    """Capitalised words of the unit masked as probable names but common in ``lang``."""
    out = []
    for m in spans.unmasked(doc.text, start, end):
        w = m.group()
        if not w[0].isupper() or zipf(w, doc.lang) >= COMMON_ZIPF:
            continue
        if zipf(w, lang) >= COMMON_ZIPF:
            out.append(w)
    return out


def _explained(v: _Verdict) -> bool:
    """Do the detected language's common words explain the unit clearly better?"""
    if v.lang is None:
        return False
    if v.foreign_share < 0:  # wordfreq does not know L: rely on the target share alone
        return v.target_share <= NO_WORDLIST_MAX_TARGET_SHARE
    if not has_wordlist(v.target):  # nor the target: L's common words must cover the unit
        return v.foreign_share >= FOREIGN_MIN_SHARE
    return v.pref_foreign >= FOREIGN_MIN_PREF and v.pref_foreign - v.pref_target >= FOREIGN_MARGIN


def _neighbour_like(v: _Verdict, lang: str) -> bool:
    """A short unit next to a unit flagged as ``lang``: do its words prefer ``lang``?
    (langdetect is unreliable on 4–7 words: 'wil meer geld voor defensie' is
    Afrikaans to it; wordfreq's head-to-head preference is not fooled.)"""
    if not (has_wordlist(lang) and has_wordlist(v.target)):
        return v.lang == lang and v.p >= NEIGHBOUR_P and _explained(v)
    words = v.word_list + v.back.get(lang, [])
    pf, pt = preference(words, lang, v.target), preference(words, v.target, lang)
    return pf >= NEIGHBOUR_MIN_PREF and pt <= NEIGHBOUR_MAX_TARGET_PREF


def _flag_alone(v: _Verdict) -> bool:
    if not _explained(v):
        return False
    if v.words >= LONG_WORDS:
        return v.p >= LONG_P
    if v.words >= SHORT_WORDS:
        # the target's own word list can know most words of a short English unit (German and
        # Dutch wordfreq hold "the", "government", "deal"): then the words' head-to-head
        # preference decides, by the test a short unit next to a flagged one passes
        return v.p >= SHORT_P and (v.target_share <= SHORT_MAX_TARGET_SHARE or (
            v.pref_foreign >= NEIGHBOUR_MIN_PREF and v.pref_target <= NEIGHBOUR_MAX_TARGET_PREF))
    return False


def _units(doc: Document, start: int, end: int, kind: str) -> list[tuple[int, int]]:
    text = doc.text[start:end]
    if kind == "line":
        out = []
        for m in _LINE.finditer(text):
            s, e = m.span()
            seg = m.group()
            s += len(seg) - len(seg.lstrip())
            e -= len(seg) - len(seg.rstrip())
            if e > s:
                out.append((start + s, start + e))
        return out
    out, pos = [], 0
    for m in _SENT_SPLIT.finditer(text):
        out.append((start + pos, start + m.start()))
        pos = m.end()
    out.append((start + pos, end))
    return [(s, e) for s, e in out if e > s]


def _judge_all(doc: Document, units: list[tuple[int, int]], spans, stats, depth: int,
               kind: str = "paragraph") -> list[_Verdict]:
    verdicts = [_judge(doc, s, e, spans, stats) for s, e in units]
    for v in verdicts:
        v.kind = kind
    flagged = [_flag_alone(v) for v in verdicts]
    # short units (headings) next to a flagged unit of the same language
    for i, v in enumerate(verdicts):
        if flagged[i] or not (NEIGHBOUR_WORDS <= v.words < SHORT_WORDS) or v.target_share > SHORT_MAX_TARGET_SHARE:
            continue
        for j in (i - 1, i + 1):
            if not (0 <= j < len(verdicts) and flagged[j] and _flag_alone(verdicts[j])):
                continue
            lang = verdicts[j].lang
            if _neighbour_like(v, lang):
                v.lang = lang
                v.p = dict(detect(" ".join(v.word_list))).get(lang, 0.0)
                v.neighbour = True
                flagged[i] = True
                break
    out: list[_Verdict] = []
    for v, f in zip(verdicts, flagged):
        if f:
            out.append(v)
            continue
        if depth >= 2 or v.words < SHORT_WORDS or v.target_share >= SUSPICIOUS_SHARE:
            continue
        # not flagged as a whole, but not clearly in the target language: look inside
        sub_kind = "line" if depth == 0 else "sentence"
        sub = _units(doc, v.start, v.end, sub_kind)
        if len(sub) < 2 and sub_kind == "line":
            sub_kind, sub = "sentence", _units(doc, v.start, v.end, "sentence")
        if len(sub) >= 2:
            out.extend(_judge_all(doc, sub, spans, stats, depth + 1 if sub_kind == "line" else 2, sub_kind))
    return out


def find_untranslated(doc: Document) -> list[_Verdict]:
    """The units (paragraphs, else lines or sentences) not in ``doc.lang``."""
    if doc.lang not in _LANGDETECT_LANGS:
        return []
    stats = doc.results.language_stats
    spans = _Spans(itertools.chain(doc.name_spans, doc.protected_spans))
    units = [(p.start, p.end) for p in doc.paragraphs]
    stats.units += len(units)
    found = _judge_all(doc, units, spans, stats, 0)
    # merge adjacent flagged units of the same language (consecutive lines or sentences)
    merged: list[_Verdict] = []
    for v in sorted(found, key=lambda v: v.start):
        if merged and merged[-1].lang == v.lang and not doc.text[merged[-1].end:v.start].strip():
            last = merged[-1]
            if "\n\n" not in doc.text[last.end:v.start].replace("\r", ""):
                total = last.words + v.words
                last.p = (last.p * last.words + v.p * v.words) / total
                last.end, last.words = v.end, total
                last.kind = "passage"
                continue
        merged.append(v)
    return merged


# --- language/number-format -----------------------------------------------------
rule(
    "language/number-format", Severity.WARNING,
    "A number written with the source language's separators (13.000, 1,5 million in English).",
    explanation=(
        "Dutch, German and French write 13.000 for thirteen thousand and 1,5 for one and a half; "
        "English writes 13,000 and 1.5. The rule flags only readings that are unambiguous in context:\n"
        "• English target: dot-grouped thousands with two or more groups (1.500.000) or a '.000' group "
        "(13.000) → safe fix to commas; a single other group (1.500) is ambiguous (1.5 or 1500?) and is "
        "flagged, with an unsafe fix, only when the same text has an unambiguous dot-thousands number; "
        "a decimal comma with one or two decimals followed by million/billion/trillion/per cent/% "
        "→ safe fix (1,5 million → 1.5 million); followed by a unit (km, kg, euros...) → unsafe fix.\n"
        "• Never flagged: years (2014), times (13.00), decimals (3.5), version numbers (3.1.2), IP "
        "addresses, dates (1.12.2021), lists (1,2,3), numbers starting with 0 (0.500), a "
        "three-decimal comma (1,500 million is English).\n"
        "• Dutch/German target: the reverse, comma thousands with two or more groups (1,500,000 → "
        "1.500.000, safe) or ',000' (unsafe: 13,000 could be a Dutch decimal), and a decimal point "
        "before miljoen/miljard/procent/Millionen/Milliarden/Prozent/% (1.5 miljoen → 1,5 miljoen, safe). "
        "French target: decimals only (1.5 million → 1,5 million); thousands styles vary (space, "
        "no-break space, narrow no-break space) and are not checked."),
    examples=[
        Example("There are at least 13.000 deaths.\n", True, "There are at least 13,000 deaths.\n"),
        Example("The package is worth 1,5 million euros.\n", True, "The package is worth 1.5 million euros.\n"),
        Example("Since 2014, version 3.1.2 ran at 13.00 on 192.168.1.1 with a ratio of 3.5.\n", False),
        Example("Het pakket is 1.5 miljoen euro waard.\n", True, "Het pakket is 1,5 miljoen euro waard.\n", "nl"),
    ],
    fix="always", applicability=("safe", "unsafe"),
)

# a number token: digits with . or , groups, not glued to other digits, dots, commas or letters
_NUM = regex.compile(r"(?<![\p{L}\p{N}_.,/:-])\d+(?:[.,]\d+)+(?![\p{L}\p{N}_]|[.,]\d)")
_SCALE_EN = r"(?:million|billion|trillion|bn|mln|per\s?cent|percent|%|pc\b)"
_UNIT_EN = (r"(?:km|kilomet(?:re|er)s?|m\b|met(?:re|er)s?|kg|kilo(?:gram)?s?|tonnes?|tons?|litres?|liters?|"
            r"degrees?|°|euros?|dollars?|pounds?|hryvnias?|roubles?|rubles?|hours?|years?|times|"
            r"mi\b|miles?|hectares?|ha\b|square|cm|mm)")
_SCALE_NL_DE = r"(?:miljoen|miljard|biljoen|procent|Millionen|Million|Milliarden|Milliarde|Prozent|%)"
_SCALE_FR = r"(?:millions?|milliards?|pour\s?cent|%)"


def _following(text: str, end: int, pattern: str) -> bool:
    return regex.match(r"[ \u00a0\u202f]?" + pattern, text[end:end + 30], regex.IGNORECASE) is not None


def _finding(doc: Document, s: int, e: int, new: str, msg: str, safe: bool) -> Finding:
    app = Applicability.SAFE if safe else Applicability.UNSAFE
    return Finding("language/number-format", Severity.WARNING, s, e, msg, text=doc.text[s:e],
                   fix=Fix.replace(s, e, new, app), data={"suggestion": new})


def number_format_findings(doc: Document, skip: Iterable[tuple[int, int]] = ()) -> Iterable[Finding]:
    """Numbers in the source language's format; ``skip``: spans not in the target
    language (their numbers follow that language)."""
    text = doc.text
    lang = doc.lang
    skip_starts, skip_ends = [], []  # merged, sorted: a number is skipped by bisect, not nums x spans
    for a, b in sorted(skip):
        if skip_ends and a <= skip_ends[-1]:
            skip_ends[-1] = max(skip_ends[-1], b)
        elif b > a:
            skip_starts.append(a)
            skip_ends.append(b)

    def skipped(pos: int) -> bool:
        i = bisect.bisect_right(skip_starts, pos) - 1
        return i >= 0 and pos < skip_ends[i]

    nums = [(m.start(), m.end(), m.group()) for m in _NUM.finditer(text)
            if not (skip_starts and skipped(m.start()))]
    if lang == "en":
        # first pass: unambiguous continental thousands in this text?
        def dot_groups(tok: str):
            parts = tok.split(".")
            if "," in tok or len(parts) < 2 or parts[0].startswith("0") or len(parts[0]) > 3:
                return None
            if any(len(p) != 3 for p in parts[1:]):
                return None
            return parts
        evidence = False
        for s, e, tok in nums:
            parts = dot_groups(tok)
            if parts and (len(parts) >= 3 or parts[-1] == "000" and parts[0] not in ("0", "1")):
                evidence = True
        for s, e, tok in nums:
            parts = dot_groups(tok)
            if parts:
                new = ",".join(parts)
                if len(parts) >= 3 or parts[-1] == "000" and parts[0] not in ("0", "1"):
                    yield _finding(doc, s, e, new, f"'{tok}' uses a dot for thousands; English writes {new}", True)
                elif evidence:
                    yield _finding(doc, s, e, new,
                                   f"'{tok}' probably uses a dot for thousands (as other numbers in this text do); "
                                   f"English writes {new} (unless a decimal is meant)", False)
                continue
            m = regex.fullmatch(r"([1-9]\d*|0),(\d{1,2})", tok)
            if m:
                new = f"{m.group(1)}.{m.group(2)}"
                if _following(text, e, _SCALE_EN):
                    yield _finding(doc, s, e, new, f"'{tok}' uses a decimal comma; English writes {new}", True)
                elif _following(text, e, _UNIT_EN):
                    yield _finding(doc, s, e, new,
                                   f"'{tok}' probably uses a decimal comma; English writes {new}", False)
    elif lang in ("nl", "de"):
        for s, e, tok in nums:
            parts = tok.split(",")
            if "." not in tok and len(parts) >= 2 and not parts[0].startswith("0") and len(parts[0]) <= 3 \
                    and all(len(p) == 3 for p in parts[1:]):
                new = ".".join(parts)
                if len(parts) >= 3:
                    yield _finding(doc, s, e, new, f"'{tok}' uses English thousands separators; write {new}", True)
                elif parts[-1] == "000":
                    yield _finding(doc, s, e, new,
                                   f"'{tok}' probably uses an English thousands separator; write {new}", False)
                continue
            m = regex.fullmatch(r"([1-9]\d*|0)\.(\d{1,2})", tok)
            if m and _following(text, e, _SCALE_NL_DE):
                new = f"{m.group(1)},{m.group(2)}"
                yield _finding(doc, s, e, new, f"'{tok}' uses a decimal point; write {new}", True)
    elif lang == "fr":
        for s, e, tok in nums:
            m = regex.fullmatch(r"([1-9]\d*|0)\.(\d{1,2})", tok)
            if m and _following(text, e, _SCALE_FR):
                new = f"{m.group(1)},{m.group(2)}"
                yield _finding(doc, s, e, new, f"'{tok}' uses a decimal point; write {new}", True)


# --- quotations, citations, links and name lists --------------------------------------------------
# Foreign text that an article carries on purpose: a tweet quoted with its link, a paper's title
# with its citation, a quoted blurb, a results table of foreign team names. Such a unit is reported
# as info (a reviewer may still want it translated), not as an untranslated paragraph; a unit of
# plain prose (no quotation marks, no link, no citation) stays an error.
QUOTED_SHARE = 0.6  # this share of the unit's words inside quotation marks: a quotation
NAMES_SHARE = 0.7  # this share of capitalised words over several lines or table cells: a list of names
CITATION_MAX_WORDS = 80
_QUOTED = regex.compile(
    r'„[^“”"\n]{2,}[“”"]|“[^“”\n]{2,}[”“]|”[^”\n]{2,}”|«[^»\n]{2,}»|»[^«\n]{2,}«|"[^"\n]{2,}"'
    r"|‚[^‘’\n]{2,}[‘’]|‹[^›\n]{2,}›|(?<![\p{L}\p{N}])'[^'\n]{2,}'(?![\p{L}\p{N}])")
_OPENING_QUOTE = regex.compile(r'\A[„“”«»"‚‹]')
_CITATION = regex.compile(
    r"\bet al\.|\bdoi\s*:|\bdoi\.org/|\bISBN\b|\bpp?\.\s*\d|\bVol\.\s*\d|\bS\.\s*\d+\s*[–-]\s*\d+"
    r"|\b\d+\s*\(\d+\)\s*[,:]\s*\d+|\(\d{4}[a-z]?\)\s*[.:]\s*[\"“„«]?\p{Lu}|\bIn:\s+\p{Lu}|\barXiv\b")
_POST_MARKS = regex.compile(r"(?<![\w.])@\w{2,}|pic\.twitter\.com|(?<![\w&])#\p{L}\w+")
_SCORE = regex.compile(r"(?<![\d.,:])\d{1,3}\s*[-–:]\s*\d{1,3}(?![\d.,:])")
_CAP_WORD = regex.compile(r"\p{Lu}[\p{L}\p{M}'’.-]*")
_ANY_WORD = regex.compile(r"\p{L}[\p{L}\p{M}'’.-]*")


def quoted_kind(doc: Document, start: int, end: int) -> str | None:
    """Why a foreign unit is carried on purpose ("quotation", "link", "citation", "name list"), or None
    for plain prose."""
    text = doc.text[start:end]
    words = _ANY_WORD.findall(text)
    if not words:
        return None
    quoted = sum(len(_ANY_WORD.findall(m.group())) for m in _QUOTED.finditer(text))
    if quoted >= QUOTED_SHARE * len(words) or (_OPENING_QUOTE.match(text) and quoted == 0
                                                and not regex.search(r'[„“”«»"]', text[1:])):
        return "quotation"  # a quotation, or a quoted paragraph whose closing mark ends a later one
    if doc.is_protected(start, end) or _POST_MARKS.search(text):
        return "link"  # an embedded post or a source line with its address
    if len(words) <= CITATION_MAX_WORDS and _CITATION.search(text):
        return "citation"
    cells = [ln for ln in regex.split(r"[\r\n\t]+|\s*[,;|•·]\s*", text) if ln.strip()]
    if (len(cells) >= 2 or len(_SCORE.findall(text)) >= 2) and len(words) <= 8 * len(cells) \
            and sum(1 for w in words if _CAP_WORD.fullmatch(w)) >= NAMES_SHARE * len(words):
        return "name list"  # a results table or line, a line-up: names and numbers
    return None


@check("language", rules=["language/untranslated", "language/number-format"], order=50)
def check_language(doc: Document) -> Iterable[Finding]:
    enabled = doc.enabled
    foreign_units = find_untranslated(doc)  # also needed by number-format: skip foreign text
    foreign = [(v.start, v.end) for v in foreign_units]
    if enabled is None or "language/untranslated" in enabled:
        target = language_name(doc.lang)
        for v in foreign_units:
            p = round(v.p, 2)
            name = language_name(v.lang)
            kind = quoted_kind(doc, v.start, v.end)
            if kind:
                yield Finding(
                    "language/untranslated", Severity.INFO, v.start, v.end,
                    f"{kind} in {name} (p={p:.2f}) inside {target} text: carried on purpose, or left untranslated?",
                    text=doc.text[v.start:v.end],
                    data={"language": v.lang, "confidence": p, "words": v.words,
                          "target_share": round(v.target_share, 2), "kind": kind})
                continue
            yield Finding(
                "language/untranslated", Severity.ERROR, v.start, v.end,
                (f"{v.kind} is in {name} (p={p:.2f}), not {target}" if not v.neighbour else
                 f"{v.kind} is in {name} like the text next to it (its words are {name}; p={p:.2f}), not {target}"),
                text=doc.text[v.start:v.end],
                data={"language": v.lang, "confidence": p, "words": v.words,
                      "target_share": round(v.target_share, 2)},
            )
    if enabled is None or "language/number-format" in enabled:
        yield from number_format_findings(doc, foreign)
