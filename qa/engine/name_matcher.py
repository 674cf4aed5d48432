"""Find glossary names in a document: right, wrong, foreign, mistyped, or with a
leaked genitive. Used by the ``name/*`` rules and, for masking, by others.

The walk over a document lives here, in the engine; the context-free parts
(tokens, a chunk's plan, genitives, fuzzy candidates) are text tools in
:mod:`qa.text.name_plans`."""
from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from qa.text.evidence import (Evidence, is_opener, is_title, known_anywhere, note_roles, other_calling,
                              place_cue, reporting_after, role_before, sentence_initial)
from qa.text.index import ACCEPTED, GlossaryIndex, Shape
from qa.text.name_plans import (CHUNK, DESK_GLOSSARY_TERMS, GENITIVE, MIN_TYPO_LEN, NEAR_MISS_ZIPF,
                           SKELETON_KNOWN_ZIPF, NameMatch, SpanList, Tok, _acronym_candidates,
                           _after_article, _context_ok, _derived_word, _full_shape, _fuzzy_candidates,
                           _inflected, _lone_foreign_press, _near_given, _other_people, _phrase_at,
                           _plan, _PLANS_MAX, _tokens, _truncated, _walk, _zipf, given_keys,
                           term_surname_keys, word_built_on_name)
from qa.text.translit import fold

if TYPE_CHECKING:
    from qa.engine.document import Document


class _Live:
    """Carries out the scan's decisions on one document (see :func:`_walk`)."""

    __slots__ = ("doc", "idx", "matches", "weak", "confirmed", "unknown", "phrase_end")

    def __init__(self, doc: Document, idx: GlossaryIndex):
        self.doc, self.idx = doc, idx
        self.matches: list[NameMatch] = []
        self.weak: list[NameMatch] = []  # flagged spellings that are words of L, kept only with support
        self.confirmed: dict[str, NameMatch] = {}
        self.unknown: list[tuple[list[Tok], int]] = []  # capitalised tokens no shape explained
        self.phrase_end = -1

    def phrase(self, toks, i) -> bool:
        t = toks[i]
        pm = _phrase_at(self.doc.text, t, self.idx.phrases[t.key], self.idx)
        if pm is None:
            return False
        self.matches.append(pm)
        self.phrase_end = pm.end
        return True

    def skipped(self, toks, i) -> bool:
        return toks[i].start < self.phrase_end

    def match(self, toks, start, k, shape, statuses, sources, gen) -> None:
        mt = toks if start == 0 and k == len(toks) else toks[start:start + k]  # a whole chunk: no copy
        self.matches.append(NameMatch(mt[0].start, mt[-1].end, shape, mt, statuses, sources, gen))

    def flagged_word(self, toks, start, k, shape, statuses, sources, gen, given_cue) -> None:
        """A flagged spelling that is a word of L (Baden): a name only with a cue."""
        mt = toks[start:start + k]
        cue = None if gen else (given_cue or _role_cue(self.doc, mt[0].start, mt[-1].end, shape.term, self.idx.lang))
        m = NameMatch(mt[0].start, mt[-1].end, shape, mt, statuses, sources, gen)
        if cue:
            m.data = {"because": cue}
            self.matches.append(m)
            self.confirmed[mt[0].key] = m
        else:
            self.weak.append(m)

    def own_or_match(self, toks, start, k, shape, statuses, sources, gen) -> None:
        if not _own_name(self.doc, self.idx, toks, start, start + k):  # Rossiya 1, the cruiser “Moskva”
            self.match(toks, start, k, shape, statuses, sources, gen)

    def unknown_at(self, toks, i) -> None:
        self.unknown.append((toks, i))


def match_names(doc: Document) -> list[NameMatch]:
    """All glossary names in ``doc`` (kept in ``doc.results.name_matches`` and
    their spans in ``doc.results.name_spans``).

    Each distinct chunk (a run of capitalised words) is judged once per index
    (:func:`_plan`, shared by every document checked with it); per occurrence
    only the plan's steps run, on the chunk's tokens at their place."""
    if doc.results.name_matches is not None:
        return doc.results.name_matches
    idx: GlossaryIndex | None = doc.index
    matches: list[NameMatch] = []
    if idx is not None:
        text = doc.text
        plans = idx.__dict__.get("_chunk_plans")
        if plans is None or len(plans) > _PLANS_MAX:
            plans = idx.__dict__["_chunk_plans"] = {}
        live = _Live(doc, idx)
        for cm in CHUNK.finditer(text):
            word = cm.group()
            plan = plans.get(word)
            if plan is None:
                plan = plans[word] = _plan(idx, word)
            if not plan:
                continue
            base = cm.start()
            if base < live.phrase_end:  # inside a phrase found before: scanned on the live text
                _walk(idx, _tokens(word, base), live)
                continue
            rel, steps = plan
            toks = [Tok(base + t.start, base + t.end, t.text, t.key, t.gen_base) for t in rel]
            for op, args in steps:
                if getattr(live, op)(toks, *args):
                    break  # a phrase (Odessa, Texas) took the rest of the chunk
        matches, weak, confirmed, unknown = live.matches, live.weak, live.confirmed, live.unknown
        decoys = {m.tokens[0].key.split(",")[0].split()[0] for m in matches if m.tokens and "," in m.tokens[0].text}
        if decoys:  # after "Odessa, Texas", a bare Odessa is that city too (one sense per article)
            matches = [m for m in matches if not (len(m.tokens) == 1 and m.tokens[0].key in decoys
                                                  and any(st != ACCEPTED for st in m.statuses))]
        matches = _other_people(text, idx, matches)
        matches = [m for m in matches if not _other_calling(text, idx, m)]
        matches = _lone_foreign_press(idx, matches)
        named = {m.shape.term.id for m in matches if all(st == ACCEPTED for st in m.statuses)} | set(doc.source_terms)
        desk = len({m.shape.term.id for m in matches}) >= 3  # an article on the desk's beat
        for m in weak:
            c = confirmed.get(m.tokens[0].key)
            if c is not None and c.shape is m.shape and len(m.tokens) == 1 and not _after_article(text, m.start):
                m.data = {"because": f"the article spells {m.shape.replacement} so elsewhere"}
                matches.append(m)
            elif len(m.tokens) == 1 and m.tokens[0].text.isupper() and not m.genitive and (m.shape.term.id in named or desk) \
                    and m.shape.term.kind == "org" and all(src.startswith("native.") for src in m.sources):
                # the letters of a Russian or Ukrainian acronym (ZSU, MAGATE) where the article
                # names the organisation otherwise too, or is on the desk's beat
                m.data = {"because": f"the article names {m.shape.replacement}" if m.shape.term.id in named
                          else "an acronym in an article on the desk's names"}
                matches.append(m)
        mentioned: dict[str, int] = {}
        for m in matches:
            mentioned[m.shape.term.id] = mentioned.get(m.shape.term.id, 0) + 1
        beat = len(mentioned)
        # bilingual hook (qa/bilingual.py): a term the source article mentions
        # makes a near miss of it credible even when the target never spells it right
        for tid in doc.source_terms:
            mentioned[tid] = mentioned.get(tid, 0) + 1
        matches += _fuzzy(doc, idx, unknown, mentioned, beat)
        matches += _cut_places(doc, idx, matches)
    matches.sort(key=lambda m: m.start)
    doc.results.name_matches = matches
    doc.results.name_spans = SpanList((m.start, m.end) for m in matches)
    return matches


_MEDIA_WORDS = frozenset("""tv channel radio station newspaper magazine daily weekly agency programme program
ballet theatre theater opera orchestra club fc hotel festival river cinema film song album brand airline
company cruiser ship frigate submarine stadium arena publishing publisher
sender zeitung kanal sendung verlag fluss zender krant omroep rivier""".split())
_DIGIT_AFTER = regex.compile(r"[ \u00a0-]?\d")
_QUOTED = regex.compile(r"[\"“”„«»‘’']")


_LOCATIVE = {"en": ("in", "near", "from", "to", "around", "outside", "towards", "toward"),
             "de": ("in", "bei", "aus", "nach", "um"), "nl": ("in", "bij", "uit", "naar", "rond")}


def _cut_places(doc: Document, idx: GlossaryIndex, matches: list[NameMatch]) -> list[NameMatch]:
    """A place the article (or its source) names, cut short by its last one or two
    letters where the text says a place stands (in Sum, for Sumy): often a word of
    its own (Sum), so only with both the full name in the article and a place cue."""
    text = doc.text
    lang = idx.lang
    places: dict[str, tuple[Shape, str]] = {}
    seen = {m.start for m in matches}
    named = {m.shape.term.id for m in matches} | set(doc.source_terms)
    for m in matches:
        if m.kind == "exact" and len(m.tokens) == 1 and m.shape.term.kind == "place" and m.shape.k == 1 \
                and all(st == ACCEPTED for st in m.statuses):
            tok = m.tokens[0]
            if len(tok.key) >= 4 and tok.key.isalpha():
                places.setdefault(tok.key, (m.shape, tok.key))
    out: list[NameMatch] = []
    preps = _LOCATIVE.get(lang, ())
    for key, (shape, target) in places.items():
        if shape.term.id not in named:
            continue
        for cut in (key[:-1], key[:-2]):
            if len(cut) < 3 or cut in idx.accepted_tokens or (lang != "en" and _zipf(cut, lang) >= NEAR_MISS_ZIPF):
                continue  # German nouns are capitalised: in Buch is no cut Bucha
            for hit in regex.finditer(r"(?<![\p{L}\p{M}-])" + regex.escape(cut.capitalize()) + r"(?![\p{L}\p{M}-])", text):
                s, e = hit.span()
                if s in seen or sentence_initial(text, s):
                    continue
                before = regex.findall(r"[\p{L}]+", text[max(0, s - 20):s].lower())[-1:]
                cue = place_cue(text, s, e, lang) or (f"after ‘{before[0]}’" if before and before[0] in preps else None)
                if cue is None:
                    continue
                t = Tok(s, e, hit.group(), cut)
                ev = Evidence()
                ev.add(3, f"{shape.replacement} is named in the article; {cue}")
                m = NameMatch(s, e, shape, [t], ["typo"], ["typo"], False, kind="typo")
                m.data = {"pos": 0, "ranked": [(shape, 0, target)], "because": ev.because()}
                out.append(m)
                seen.add(s)
    return out


def _other_calling(text: str, idx: GlossaryIndex, m: NameMatch) -> bool:
    """A person's name whose given name only is flagged, after a calling the glossary
    note does not give the term (Fr. Vladimir Zelensky, a priest, beside President
    Volodymyr Zelensky): another person, whose given name is his own. A misspelt
    surname (Fr. Vladimir Zelinsky) is still the surname's misspelling."""
    term = m.shape.term
    return term.kind == "person" and len(m.statuses) >= 2 and m.statuses[-1] == ACCEPTED and not m.genitive \
        and any(st != ACCEPTED for st in m.statuses) and other_calling(text, m.start, term.note, idx.lang) is not None


def _sources_at(idx: GlossaryIndex, toks: list[Tok], a: int, b: int) -> list[str]:
    out = []
    for t in toks[a:b]:
        for shape, pos in idx.by_token.get(t.key, ()):
            sp = shape.positions[pos].get(t.key)
            if sp is not None:
                out.append(sp.source)
    return out


def _english_word(word: str, lang: str) -> bool:
    """A word of English more than of ``lang`` (Independent, Today, Post in an outlet's name)."""
    en = _zipf(word, "en")
    return en >= 3.0 and en > _zipf(word, lang)


_QUOTE_OPEN = "\"“„«‚‘'"
_QUOTE_CLOSE = "\"”“»’‘'"


def _in_english_quote(text: str, s: int, e: int, lang: str) -> bool:
    """Does [s, e) lie in a short quotation (one line) whose other words are English
    ("Stand with Ukraine", „Letter from Kharkiv“)?"""
    lo = max(text.rfind("\n", 0, s) + 1, s - 80)
    hi_line = text.find("\n", e)
    hi = min(len(text) if hi_line < 0 else hi_line, e + 80)
    left = max((text.rfind(q, lo, s) for q in _QUOTE_OPEN), default=-1)
    if left < 0:
        return False
    rights = [p for p in (text.find(q, e, hi) for q in _QUOTE_CLOSE) if p >= 0]
    if not rights:
        return False
    inner = text[left + 1:s] + " " + text[e:min(rights)]
    words = [w for w in regex.findall(r"[\p{L}]+", inner)]
    if not words or len(words) > 12:
        return False
    # every other word English (or a name), and some English word in lower case: a phrase
    return all(_english_word(w, lang) or w[:1].isupper() for w in words) and \
        any(_english_word(w, lang) for w in words if not w[:1].isupper())


def _own_name(doc: Document, idx: GlossaryIndex, toks: list[Tok], a: int, b: int) -> bool:
    """Is a foreign spelling of a place part of a name of its own (a TV channel,
    a newspaper, a ship, a ballet company), which keeps its own spelling?"""
    text = doc.text
    s, e = toks[a].start, toks[b - 1].end
    if _DIGIT_AFTER.match(text, e):
        return True  # Rossiya 1, Rossiya-24
    if s and e < len(text) and _QUOTED.match(text[s - 1]) and _QUOTED.match(text[e]):
        return True  # “Moskva”: quoted, a title
    for j in (a - 1, b):  # a foreign word beside it in the same run: Vechernyaya Moskva
        if 0 <= j < len(toks):
            w = toks[j]
            if not is_title(w.text) and not is_opener(w.text) and w.key not in idx.by_token \
                    and _zipf(w.text, idx.lang) < 1.5 and not sentence_initial(text, w.start):
                return True
    if idx.lang != "en":
        # English inside Dutch or German copy: an English outlet or programme name (the
        # Kyiv Independent, Kyiv Post, Ukraine Today) or a quoted English phrase ("Stand
        # with Ukraine", "Kyiv not Kiev") keeps its English spelling; a person's English
        # spelling is not let off (persons never come here)
        if any(src == "forms.en" for src in _sources_at(idx, toks, a, b)):
            for j in (a - 1, b):
                w = toks[j] if 0 <= j < len(toks) else None
                if w is not None and w.key not in idx.by_token and not is_title(w.text) \
                        and not sentence_initial(text, w.start) and _english_word(w.text, idx.lang):
                    return True
        if _in_english_quote(text, s, e, idx.lang):
            return True
    if text.startswith(("'s", "’s"), e):
        return False  # Mariupol's theatre: the place
    around = regex.findall(r"\w+", text[max(0, s - 25):s].lower())[-1:] + regex.findall(r"\w+", text[e:e + 25].lower())[:1]
    return any(w in _MEDIA_WORDS for w in around)  # Govorit Moskva radio, the cruiser Moskva


def _role_cue(doc: Document, start: int, end: int, term, lang: str) -> str | None:
    """A role of the term (from its glossary note) announced right before the
    name (US President Baden), or, for news media, a reporting verb right after
    it (TAS reports)."""
    roles = note_roles(term.note)
    cue = role_before(doc.text, start, roles, lang)
    if cue:
        return f"after ‘{cue}’"
    if term.kind == "place":
        cue = place_cue(doc.text, start, end, lang)
        if cue:
            return cue
    cue = reporting_after(doc.text, end, roles, lang)
    return f"before ‘{cue}’" if cue else None


def _other_name_before(doc: Document, idx: GlossaryIndex, toks: list[Tok], i: int, term) -> str | None:
    """The capitalised word before toks[i] in the same run when it makes the run
    another name (Nick Faldo, Shuntaro Naito, Sports Hochi): not one of the term's
    given names, not a title, not a sentence's first word, not a glossary name."""
    if i == 0:
        return None
    prev = toks[i - 1]
    if prev.key in given_keys(idx, term) or is_title(prev.text) or _near_given(idx, term, prev.key):
        return None
    if is_opener(prev.text):
        return None
    return prev.text


_INITIAL_BEFORE = regex.compile(r"(?<![\p{L}])\p{Lu}\.[ \u00a0]$")
_POSSESSOR = regex.compile(r"(\p{Lu}[\p{L}\p{M}-]+)['’]s\s+$")


def _is_preferred(shape: Shape, pos: int, target: str) -> bool:
    """Is ``target`` (a folded accepted token) the term's preferred spelling at ``pos``?"""
    pref = shape.preferred_token(pos)
    return pref is not None and shape.positions[pos][target].text == pref


def _evidence(doc: Document, idx: GlossaryIndex, word: str, toks: list[Tok], i: int, shape: Shape,
              mentioned: dict[str, int], beat: int, allow_unknown: bool = True) -> Evidence:
    """The case for reading ``word`` (toks[i]) as a misspelling of ``shape``'s term;
    see qa/evidence.py."""
    ev = Evidence()
    term = shape.term
    lang = idx.lang
    n = mentioned.get(term.id, 0)
    src = doc.source_terms
    if term.id in src:
        n -= 1
        ev.add(3, f"the source names {shape.replacement}")
    elif n:
        ev.add(3, f"{shape.replacement} is mentioned {n} time{'s' if n > 1 else ''}")
    t = toks[i]
    if i > 0 and toks[i - 1].key in given_keys(idx, term) and toks[i - 1].key not in term_surname_keys(idx, term):
        ev.add(3, f"after the given name {toks[i - 1].text}")
    if i + 1 < len(toks) and toks[i + 1].key in term_surname_keys(idx, term) and shape.k >= 2:
        ev.add(3, f"before the surname {toks[i + 1].text}")
    cue = _role_cue(doc, toks[i - 1].start if i and toks[i - 1].key in given_keys(idx, term) else t.start,
                    t.end, term, lang)
    if cue:
        ev.add(2, cue)
    other = _other_name_before(doc, idx, toks, i, term)
    if other:
        ev.add(-3, f"after another name ({other})")
    if _INITIAL_BEFORE.search(doc.text, max(0, t.start - 6), t.start):
        ev.add(-3, "after an initial (another person)")
    owner = _POSSESSOR.search(doc.text, max(0, t.start - 40), t.start) if i == 0 else None
    if owner and fold(owner.group(1)) in idx.accepted_tokens and term.id not in idx.accepted_tokens[fold(owner.group(1))]:
        ev.add(-3, f"a part of {owner.group(1)}")  # Warsaw's Brodno district: a place of its own
    if ev.score < 2 and allow_unknown:
        z_any = known_anywhere(word)
        big = len(idx.glossary.terms) > DESK_GLOSSARY_TERMS
        if z_any == 0.0:
            ev.add(1 if big else 2, "no dictionary knows the word")
        elif z_any < 1.5:
            ev.add(1, "a rare word")
            if beat >= 3:
                ev.add(1, f"the article names {beat} glossary terms")
        if _zipf(word, lang) >= 2.5:
            ev.add(-1, f"a known {lang} word")
    return ev


def _fuzzy(doc: Document, idx: GlossaryIndex, unknown: list[tuple[list[Tok], int]],
           mentioned: dict[str, int] | None = None, beat: int = 0) -> list[NameMatch]:
    mentioned = mentioned or {}
    lang = idx.lang
    genitive_ok = lang in GENITIVE
    # per word: the occurrences and their evidence; an occurrence that the text
    # supports makes the word that name throughout the article
    cands: list[tuple[Tok, NameMatch, Evidence]] = []
    other_person: set[str] = set()  # words seen after another given name: another person throughout
    for toks, i in unknown:
        t = toks[i]
        acronym = t.text.isupper() and len(t.key) >= 3
        if (len(t.key) < MIN_TYPO_LEN and not acronym) or not t.text[:1].isupper():
            continue
        if t.key in idx.accepted_tokens:
            continue
        if t.text[1:].isupper() is False and any(c.isupper() for c in t.text[1:]) and "-" not in t.text:
            continue  # CamelCase: brands, not names
        if word_built_on_name(idx, t):
            continue  # Föderationsrates, Kasache, Wagner-groep: words of L
        keys = [(t.key, False)]
        if genitive_ok and t.gen_base and len(t.gen_base) >= 4:
            keys.append((t.gen_base, True))
        found = None
        for key, gen in keys:
            word = t.text if not gen else t.text[:-1]
            common = _zipf(word, lang) >= NEAR_MISS_ZIPF
            if gen and _zipf(word, lang) >= 2.0:
                continue  # Oblasts, Republics: a plural of a word of L, no genitive of a name
            if common and not acronym and i == 0:
                continue  # a word of L, with no given name before it that could make it a name
            if acronym and len(key) < MIN_TYPO_LEN:
                hit = _acronym_candidates(idx, key)
                for shape, pos, target in hit:
                    ev = _evidence(doc, idx, word, toks, i, shape, mentioned, beat, allow_unknown=False)
                    if ev.score >= 2:
                        found = ("typo", [(shape, pos, target)], ev, gen)
                        break
                if found:
                    break
                continue
            typo_refs, skeleton_refs = _fuzzy_candidates(idx, key)
            # 1. one edit from an accepted spelling (Glinken ~ Blinken, Syrrskyi ~ Syrskyi);
            #    with a genitive only where no dictionary knows the word (Poetuns, Larwows)
            if not gen or known_anywhere(t.text) == 0.0:
                ranked, best_ev = [], None
                for shape, pos, target in typo_refs:
                    if not _context_ok(shape, pos, toks, i, lang) or _derived_word(key, target, lang):
                        continue
                    if common and not (i and toks[i - 1].key in given_keys(idx, shape.term)):
                        continue  # Baden is a word; Joe Baden is a misspelt Biden
                    ev = _evidence(doc, idx, word, toks, i, shape, mentioned, beat)
                    if ev.credible or ev.score >= 0:
                        ranked.append((shape, pos, target, ev))
                if ranked:
                    # the best-supported reading first; between equally supported readings
                    # the target language's preferred spelling of the term (German Schmyeal is
                    # one edit from both Schmyhal and the Russian-based Schmygal: Schmyhal)
                    ranked.sort(key=lambda r: (-r[3].score, not _is_preferred(r[0], r[1], r[2])))
                    best_ev = ranked[0][3]
                    found = ("typo", [r[:3] for r in ranked], best_ev, gen)
                    if best_ev.credible:
                        break
            # 2. skeleton: a spelling close to a computed one (Zaloezjni ~ Zaloezjny, Nawalnis)
            for shape, pos in skeleton_refs if not (common or (found and found[2].credible)) else ():
                if _other_name_before(doc, idx, toks, i, shape.term):
                    other_person.add(t.key)
                    continue
                if _context_ok(shape, pos, toks, i, lang):
                    # close to a press spelling: credible unless the word is a known word or name
                    # somewhere (Michiel) and nothing in the article supports the term
                    ev = Evidence()
                    ev.add(2, "close to a press spelling")
                    if shape.term.kind == "person" and known_anywhere(word) >= SKELETON_KNOWN_ZIPF and \
                            not _evidence(doc, idx, word, toks, i, shape, mentioned, beat).credible:
                        continue
                    found = ("skeleton", shape, pos, gen, ev)
                    break
            if found:
                break
        if not found or (found[0] == "typo" and not found[2].credible):
            alt = _inflected(idx, toks, i) or _truncated(idx, toks, i)
            if alt is not None:
                found = alt
        if not found:
            continue
        kind = found[0]
        if kind == "skeleton":
            _, shape, pos, gen, ev = found
            m = NameMatch(t.start, t.end, shape, [t], ["variant"], ["skeleton"], gen, kind="skeleton")
            m.data = {"pos": pos, "because": "; ".join(r for r in ev.reasons if r != "close to a press spelling") or None}
        else:
            _, ranked, ev, gen = found
            shape, pos, target = ranked[0]
            m = NameMatch(t.start, t.end, shape, [t], ["typo"], ["typo"], gen, kind="typo")
            m.data = {"pos": pos, "ranked": ranked, "because": ev.because()}
        # the term's own given name in another spelling before it: fix the whole name
        if i > 0 and m.shape.term.kind == "person":
            prev = toks[i - 1]
            full = _full_shape(idx, m.shape.term)
            sp = full.positions[0].get(prev.key) if full is not None else None
            if full is not None and prev.key in given_keys(idx, m.shape.term) and (sp is None or sp.status != ACCEPTED) \
                    and other_calling(doc.text, prev.start, m.shape.term.note, lang) is None:  # not Fr. Vladimir's
                m.data["given"] = prev
                m.data["full"] = full
        cands.append((t, m, ev))
    other_person |= {t.key for t, m, ev in cands if any(a.startswith("after another name") for a in ev.against)}
    cands = [c for c in cands if c[0].key not in other_person]
    supported = {t.key: m for t, m, ev in cands if ev.credible}
    out = []
    seen = set()
    for t, m, ev in cands:
        if ev.credible or (t.key in supported and not ev.against):
            out.append(m)
            seen.add(t.start)
    if supported:
        out += _elsewhere(doc, idx, supported, seen)
    return out


def _elsewhere(doc: Document, idx: GlossaryIndex, supported: dict[str, NameMatch], seen: set[int]) -> list[NameMatch]:
    """Once the text shows that a word is a misspelt name (US President Joe Baden),
    its other occurrences in the article are that name too (Baden said), also
    where the word alone is a common word that the scan passed over."""
    out = []
    words = {m.tokens[0].text for m in supported.values()}
    text = doc.text
    # Only the lines where one of the words occurs are scanned again (str.find
    # in C; a chunk never spans a line break, so a line scans as in the whole text).
    lines: set[tuple[int, int]] = set()
    for w in words:
        pos = text.find(w)
        while pos >= 0:
            lo = text.rfind("\n", 0, pos) + 1
            hi = text.find("\n", pos)
            hi = len(text) if hi < 0 else hi
            lines.add((lo, hi))
            pos = text.find(w, hi)
    holds: dict[str, bool] = {}  # per distinct chunk: does it contain one of the words?
    for cm in (cm for lo, hi in sorted(lines) for cm in CHUNK.finditer(text, lo, hi)):
        chunk = cm.group()
        h = holds.get(chunk)
        if h is None:  # only a token spelt exactly so counts below
            h = holds[chunk] = (chunk in words if " " not in chunk and "\u00a0" not in chunk else
                                any(w in words for w in chunk.replace("\u00a0", " ").split(" ")))
        if not h:
            continue
        toks = _tokens(chunk, cm.start())
        for i, t in enumerate(toks):
            m0 = supported.get(t.key)
            if m0 is None or t.start in seen or t.text != m0.tokens[0].text:
                continue
            if _other_name_before(doc, idx, toks, i, m0.shape.term):
                continue
            m = NameMatch(t.start, t.end, m0.shape, [t], list(m0.statuses), list(m0.sources), m0.genitive, m0.kind)
            m.data = dict(m0.data or {})
            m.data.pop("given", None)
            m.data["because"] = f"the article spells {m0.shape.replacement} so elsewhere"
            out.append(m)
            seen.add(t.start)
    return out
