"""Bilingual rules: the target checked against its source (``--source``, or a
bilingual file). They find nothing when no source is given."""
from __future__ import annotations

from typing import Iterable

import regex

from qa.engine.alignment import SourceInfo, SourceSegment, find_numbers, format_number
from qa.engine.document import Document
from qa.model.findings import Applicability, Finding, Fix, Severity
from qa.engine.name_matcher import match_names
from qa.engine.registry import Example, check, rule
from qa.text.translit import fold
from qa.text.wordfreqs import zipf
from qa.model.langs import language_name

rule("name/missing", Severity.ERROR,
     "A glossary name the source mentions has no form, right or wrong, in the translation (dropped or mangled).",
     "The source is matched against the glossary compiled for the source language: accepted spellings, "
     "listed wrong forms and computed press spellings (Koeleba, Zelenskyj) all count as a mention. The "
     "translation's aligned unit or paragraph must then hold the term in some form (its right spelling, a "
     "wrong one, a near miss). The message names the term and the source's spelling. When the "
     "translation holds a capitalised word that neither the glossary, the source nor the target "
     "language's word list explains and that resembles the name (Kolebra), it is the flagged span and "
     "the fix (unsafe) puts the accepted form there; otherwise the whole aligned span is flagged. A "
     "name replaced by another glossary name is reported once, as `name/unexpected`.",
     examples=[Example("The minister said on Tuesday that talks must go on.", True,
                       source="Minister Koeleba zei dinsdag dat de gesprekken door moeten gaan."),
               Example("Minister Kolebra said on Tuesday that talks must go on.", True,
                       "Minister Kuleba said on Tuesday that talks must go on.",
                       source="Minister Koeleba zei dinsdag dat de gesprekken door moeten gaan."),
               Example("Minister Kuleba said on Tuesday that talks must go on.", False,
                       source="Minister Koeleba zei dinsdag dat de gesprekken door moeten gaan."),
               Example("The minister said on Tuesday that talks must go on.", False)],
     fix="sometimes", applicability=("unsafe",))
rule("name/unexpected", Severity.WARNING,
     "A person or place named in the translation that the source does not mention (a substituted name).",
     "Only persons and places of the glossary. A source mentions a term when the glossary compiled for "
     "the source language finds it there, or when a word of the source not taken by another name is one "
     "of the term's spellings. When the source names another term of the same kind in the same unit or "
     "paragraph that the translation lacks (Olena Zelenska turned into Zelensky), the finding says so "
     "and offers that term's accepted form as an unsafe fix.",
     examples=[Example("Zelensky visited a hospital.", True, "Zelenska visited a hospital.",
                       source="Zelenska bezocht een ziekenhuis."),
               Example("Zelenska visited a hospital.", False, source="Zelenska bezocht een ziekenhuis."),
               Example("Zelensky visited a hospital.", False)],
     fix="sometimes", applicability=("unsafe",))
rule("language/number-mismatch", Severity.ERROR,
     "A number in the source without its counterpart in the translation (13.000 translated as 3,000).",
     "Source numbers are read the source language's way (Dutch 13.000 = 13,000; 1,5 miljoen = 1.5 "
     "million; dates give day, month and year), target numbers both ways, and as number words (three) "
     "and month names (March 13 for 13-03). Times of day are not compared. Each source number needs a "
     "target number of the same value in the aligned unit or paragraph. When the translation has a "
     "number of its own left over there, that is the flagged span, with the source's value written the "
     "target's way as an unsafe fix.",
     examples=[Example("Russia fired 3,000 missiles.", True, "Russia fired 13,000 missiles.",
                       source="Rusland vuurde 13.000 raketten af."),
               Example("Russia fired 13,000 missiles worth 1.5 million euros in March 2022.", False,
                       source="Rusland vuurde in maart 2022 13.000 raketten af, ter waarde van 1,5 miljoen euro."),
               Example("Russia fired three missiles on 1 December 2021.", False,
                       source="Rusland vuurde op 1.12.2021 3 raketten af."),
               Example("Russia fired 3,000 missiles.", False)],
     fix="sometimes", applicability=("unsafe",))

_CAPWORD = regex.compile(r"(?<![\p{L}\p{M}\p{N}])\p{Lu}[\p{L}\p{M}]+(?:-\p{L}[\p{L}\p{M}]*)*")
_WORDS = regex.compile(r"[\p{L}\p{M}]+")
_SCALE_WORD = regex.compile(r"[ \u00a0\u202f]?[\p{L}]+")
UNEXPLAINED_ZIPF = 3.0  # a capitalised word at least this common in the target language is a word
LISTED_RESEMBLANCE = 70  # rapidfuzz ratio for a target word to be another language's listed form of a name
RESEMBLANCE = 60  # rapidfuzz ratio (0-100) for an unexplained word to be taken for the mangled name


def _target_form(doc: Document, term) -> str:
    forms = term.forms.get(doc.lang)
    if forms:
        return forms[0]
    if doc.index is not None:
        acc, _ = doc.index._accepted_forms(term)
        if acc:
            return acc[0]
    return next((f for fs in term.forms.values() for f in fs), term.id)


def _loosely_mentioned(term, seg: SourceSegment) -> bool:
    """A word of the source, not taken by another name, that is one of the term's spellings."""
    free = [w for w in _WORDS.finditer(seg.text)
            if not any(a <= w.start() < b for a, b in seg.term_spans)]
    if not free:
        return False
    keys = {fold(w.group()) for w in free}
    spellings = [f for fs in (*term.forms.values(), *term.wrong.values(), *term.native.values()) for f in fs]
    for f in spellings:
        toks = [fold(t) for t in f.split()]
        if toks and toks[-1] in keys and len(toks[-1]) >= 3:
            return True
        if term.kind == "place" and len(toks) == 1 and len(toks[0]) >= 5:
            # an adjective or demonym of the place (Oekraïense for Oekraïne): the same stem
            n = max(4, len(toks[0]) - 3)
            if any(k[:n] == toks[0][:n] for k in keys):
                return True
    return False


# endings an inflecting language adds or changes (Россия → России, Путин → Путиным,
# Зеленский → Зеленского, Kijów → Kijowie): a form is present when a word of the
# span starts with the form less its final vowels and soft signs
_ENDING_LETTERS = set("аеёиоуыэюяйьіїєaeiouyąęóůý")


def _stem(word: str) -> str:
    w = word.casefold()
    k = 0
    while k < 2 and len(w) > 4 and w[-1] in _ENDING_LETTERS:
        w = w[:-1]
        k += 1
    return w


# Ukrainian alternates і/ї in a name's last closed syllable with о/е/є when it
# inflects (Київ → Києва, Харків → Харкова, Львів → Львова)
_UK_ALTERNATION = {"і": ("о", "е"), "ї": ("є",)}


def _stems(word: str) -> list[str]:
    stem = _stem(word)
    out = [stem]
    for i in range(max(0, len(stem) - 2), len(stem)):
        for alt in _UK_ALTERNATION.get(stem[i], ()):
            out.append(stem[:i] + alt + stem[i + 1:])
    return out


_INFLECTING = {"ru", "uk", "be", "bg", "pl", "cs", "sk", "sl", "hr", "sr", "lt", "lv", "fi", "et", "hu"}


def _written_in_target(doc: Document, term, seg: SourceSegment, taken) -> bool:
    """The target language's own forms of ``term`` (accepted and, for a
    Cyrillic-script target, the native ones the glossary lists for it) in the
    aligned span, inflected in a language that inflects names: the term is not
    missing. Words another name's match holds are not looked at."""
    free = [w for w in _WORDS.finditer(doc.text, seg.start, seg.end)
            if not any(a <= w.start() < b for a, b in taken)]
    if not free:
        return False
    words = [w.group().casefold() for w in free]
    spellings = [*term.forms.get(doc.lang, ()), *term.native.get(doc.lang, ())]
    if not term.forms.get(doc.lang):
        # no form listed for this language, only computed ones (a transliteration of
        # the native name, wrong for an exonym: Spanish Ucrania, Bielorrusia): a
        # capitalised word close to a form listed for any language is taken for it
        from rapidfuzz import fuzz

        listed = {fold(t) for fs in term.forms.values() for f in fs for t in f.split()[-1:]}
        caps = [fold(w.group()) for w in free if w.group()[:1].isupper()]
        if any(len(k) >= 4 and fuzz.ratio(k, l) >= LISTED_RESEMBLANCE for k in caps for l in listed):
            return True
    inflects = doc.lang in _INFLECTING
    for f in spellings:
        toks = f.split()
        if not toks:
            continue
        last = toks[-1].casefold()
        if not inflects:
            if last in words:
                return True
            continue
        for stem in _stems(last):
            if len(stem) >= 3 and any(w.startswith(stem) and len(w) <= len(stem) + 4 for w in words):
                return True
    return False


def _in(span: tuple[int, int], seg: SourceSegment) -> bool:
    return seg.start <= span[0] < seg.end or (seg.start == seg.end == span[0])


def _unit(seg: SourceSegment) -> dict:
    return {"unit": seg.unit} if seg.unit is not None else {}


def _name_findings(doc: Document, info: SourceInfo, seg: SourceSegment, enabled) -> Iterable[Finding]:
    gloss = doc.index.glossary if doc.index is not None else None
    if gloss is None:
        return
    terms = {t.id: t for t in gloss.terms}
    matches = [m for m in match_names(doc) if _in((m.start, m.end), seg)]
    present = {m.shape.term.id for m in matches}
    held = [(m.start, m.end) for m in matches]
    missing = [tid for tid in seg.terms if tid not in present and tid in terms
               and not _written_in_target(doc, terms[tid], seg, held)]
    unexpected = []
    seen_unexpected: set[str] = set()
    for m in matches:
        term = m.shape.term
        if term.kind not in ("person", "place") or term.id in seg.terms:
            continue
        if term.id in seen_unexpected or _loosely_mentioned(term, seg):
            continue
        seen_unexpected.add(term.id)
        unexpected.append(m)
    # a substitution: an unexpected name standing where a missing one of the same kind should be
    substituted: dict[int, str] = {}
    for m in unexpected:
        for tid in missing:
            if terms[tid].kind == m.shape.term.kind and tid not in substituted.values():
                substituted[id(m)] = tid
                break
    for m in unexpected:
        term = m.shape.term
        shown = doc.text[m.start:m.end]
        tid = substituted.get(id(m))
        fix = None
        data = {"alignment": info.alignment, **_unit(seg)}
        if tid is not None:
            want = _target_form(doc, terms[tid])
            rep = want.split()[-1] if m.shape.surname_only and terms[tid].kind == "person" else want
            fix = Fix.replace(m.start, m.end, rep, Applicability.UNSAFE)
            msg = (f"‘{shown}’ ({term.id}) is not in the source, which names ‘{seg.terms[tid]}’ ({tid}) here; "
                   f"{language_name(doc.lang)}: ‘{want}’")
            data["source_term"] = tid
            data["source_text"] = seg.terms[tid]
        else:
            msg = f"‘{shown}’ ({term.id}) is named in the translation but not in the source"
        if "name/unexpected" in enabled:
            yield Finding("name/unexpected", Severity.WARNING, m.start, m.end, msg, fix=fix, term=term.id, data=data)
    if "name/missing" not in enabled:
        return
    taken = [(m.start, m.end) for m in matches]
    src_keys = {fold(w.group()) for w in _WORDS.finditer(seg.text)}
    for tid in missing:
        if tid in substituted.values():
            continue
        term = terms[tid]
        want = _target_form(doc, term)
        data = {"alignment": info.alignment, "source_text": seg.terms[tid], **_unit(seg)}
        cand = _unexplained_word(doc, seg, taken, src_keys, want, seg.terms[tid])
        msg = (f"the source names {want} (‘{seg.terms[tid]}’, {tid}) but the translation has no form of it")
        if cand is not None:
            s, e = cand
            word = doc.text[s:e]
            rep = want.split()[-1] if term.kind == "person" and " " in want else want
            taken.append(cand)
            yield Finding("name/missing", Severity.ERROR, s, e,
                          msg + f"; ‘{word}’ may be the mangled name: {language_name(doc.lang)} writes ‘{rep}’",
                          fix=Fix.replace(s, e, rep, Applicability.UNSAFE), term=tid, data=data)
        else:
            yield Finding("name/missing", Severity.ERROR, seg.start, seg.end, msg, term=tid, data=data)


def _unexplained_word(doc: Document, seg: SourceSegment, taken, src_keys, want: str, source_form: str):
    """The capitalised word of the aligned span that most resembles the missing
    name and that nothing else explains, or None."""
    from rapidfuzz import fuzz

    targets = [fold(t) for t in {*want.split()[-1:], *source_form.split()[-1:]}]
    best = None
    for w in _CAPWORD.finditer(doc.text, seg.start, seg.end):
        s, e = w.span()
        if any(a < e and s < b for a, b in taken) or doc.is_protected(s, e):
            continue
        key = fold(w.group())
        if key in src_keys or len(key) < 3 or zipf(w.group(), doc.lang, "best") >= UNEXPLAINED_ZIPF:
            continue
        score = max(fuzz.ratio(key, t) for t in targets)
        if score >= RESEMBLANCE and (best is None or score > best[0]):
            best = (score, (s, e))
    return best[1] if best else None


def _number_findings(doc: Document, info: SourceInfo, seg: SourceSegment) -> Iterable[Finding]:
    if not seg.numbers:
        return
    lenient = tuple(dict.fromkeys(l for l in ("en", "nl", seg.lang) if l != doc.lang))
    tnums = find_numbers(doc.text, doc.lang, seg.start, seg.end, lenient_langs=lenient)
    used = [False] * len(tnums)
    unmatched = []
    for n in seg.numbers:
        hit = next((i for i, t in enumerate(tnums) if not used[i] and n.values & t.values), None)
        if hit is None:
            unmatched.append(n)
        else:
            used[hit] = True
    spare = [t for i, t in enumerate(tnums) if not used[i] and t.text[:1].isdigit()]
    for n in unmatched:
        data = {"alignment": info.alignment, "source_text": n.text, "value": str(min(n.values)), **_unit(seg)}
        shown = n.text
        if n.scale != 1:
            m = _SCALE_WORD.match(seg.text, n.end)
            shown = seg.text[n.start:m.end()] if m else n.text
        value = format_number(max(n.values), doc.lang)
        msg = (f"the source’s ‘{shown}’" + (f" ({value})" if value != shown else "")
               + " has no counterpart in the translation")
        t = spare.pop(0) if spare else None
        if t is not None:
            fix = None
            if n.mantissa is not None and t.scale == n.scale:
                fix = Fix.replace(t.start, t.end, format_number(n.mantissa, doc.lang), Applicability.UNSAFE)
            yield Finding("language/number-mismatch", Severity.ERROR, t.start, t.end,
                          msg + f"; ‘{t.text}’ here is another number", fix=fix, data=data)
        else:
            yield Finding("language/number-mismatch", Severity.ERROR, seg.start, seg.end, msg, data=data)


@check("bilingual", rules=["name/missing", "name/unexpected", "language/number-mismatch"], order=30,
       uses=("name_matches",))
def check_bilingual(doc: Document) -> Iterable[Finding]:
    info: SourceInfo | None = doc.source
    if info is None:
        return
    enabled = doc.enabled or {"name/missing", "name/unexpected", "language/number-mismatch"}
    for seg in info.segments:
        yield from _name_findings(doc, info, seg, enabled)
        yield from _number_findings(doc, info, seg)
