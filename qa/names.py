"""Find glossary names in a text: right, wrong, foreign, mistyped, or with a
leaked genitive. Used by the ``name/*`` rules and, for masking, by others."""
from __future__ import annotations

from dataclasses import dataclass

import regex

from .document import Document
from .index import ACCEPTED, WRONG, GlossaryIndex, Shape, osa_distance
from .translit import fold, skeleton
from .wordfreqs import freq_dict as _freq_dict, zipf as wf_zipf

_CAP = r"\p{Lu}[\p{L}\p{M}]*(?:[-‐]\p{L}[\p{L}\p{M}]*)*"
_PARTICLE = r"(?:von|van|der|den|de|del|della|la|le|du|da|dos|das|di|al|bin|ibn|ter|zu|ten)"
CHUNK = regex.compile(
    rf"(?<![\p{{L}}\p{{M}}\p{{N}}_@/.]){_CAP}(?:[ \u00a0](?:{_PARTICLE}[ \u00a0])*{_CAP})*(?![\p{{L}}\p{{M}}\p{{N}}@])"
)
TOKEN = regex.compile(r"[\p{L}\p{M}]+(?:[-‐][\p{L}\p{M}]+)*")
APOSTROPHES = "’'"

# Genitive conventions by target language: how a name's genitive is written.
#   "apostrophe": English Putin’s (a bare "Putins" is a leak of Dutch/German style)
#   "s": German/Dutch/Swedish... Putins (an apostrophe-s "Putin's" is wrong)
GENITIVE = {"en": "apostrophe", "de": "s", "nl": "s", "sv": "s", "da": "s", "nb": "s", "no": "s"}


def genitive(name: str, lang: str, apostrophe: str = "’") -> str:
    """The genitive of a name as ``lang`` writes it (English Putin’s, German
    Putins / Klitschkos / Lukas’, Dutch Poetins / Koeleba's / Lavrovs)."""
    last = name[-1:].lower()
    if lang == "en":
        return f"{name}{apostrophe}s"
    if lang == "de":
        return f"{name}{apostrophe}" if last in "sßxz" else f"{name}s"
    if lang == "nl":
        if last in "sxz":
            return f"{name}{apostrophe}"
        return f"{name}{apostrophe}s" if last in "aiouyé" else f"{name}s"
    if lang in ("sv", "da", "nb", "no"):
        return name if last in "sxz" else f"{name}s"
    return name

MIN_TYPO_LEN = 5  # one edit in a shorter word changes too much of it (Dama, Duna ~ Duma)
NEAR_MISS_ZIPF = 3.0  # a capitalised word at least this common in L is a word, not a typo
VARIANT_ZIPF = 3.5  # a computed spelling this common in L is a word of L
GENITIVE_WORD_ZIPF = 3.0  # "Adams", "Midlands": a word this common is no name + genitive s
DESK_GLOSSARY_TERMS = 5000  # above this (a gazetteer), a near miss needs evidence in the text
UNKNOWN_WORD_ZIPF = 1.5  # below this a capitalised word is unknown to wordfreq: a likely typo


@dataclass(slots=True)
class Tok:
    start: int
    end: int
    text: str
    key: str  # folded
    gen_base: str | None = None  # key without a genitive -s, when plausible


@dataclass
class NameMatch:
    start: int  # span of the whole name in the text
    end: int
    shape: Shape
    tokens: list[Tok]
    statuses: list[str]  # per token: accepted | wrong | variant
    sources: list[str]
    genitive: bool = False  # the last token carries a genitive -s without apostrophe
    kind: str = "exact"  # exact | skeleton | typo
    data: dict | None = None


def _zipf(word: str, lang: str) -> float:
    """Zipf frequency in the target language, from wordfreq's full list: the name
    rules must tell a typo (unknown) from a rare real word (Moldovan, Kayan)."""
    return wf_zipf(word, lang, "best")


def _tokens(chunk_text: str, offset: int) -> list[Tok]:
    if " " not in chunk_text and "\u00a0" not in chunk_text:  # one word: most chunks
        key = chunk_text.casefold() if chunk_text.isascii() else fold(chunk_text)
        gen = key[:-1] if len(key) > 4 and key.endswith("s") else None
        return [Tok(offset, offset + len(chunk_text), chunk_text, key, gen)]
    out = []
    pos = offset
    for t in chunk_text.replace("\u00a0", " ").split(" "):  # CHUNK joins words with one space or NBSP
        key = t.casefold() if t.isascii() else fold(t)
        gen = key[:-1] if len(key) > 4 and key.endswith("s") else None
        out.append(Tok(pos, pos + len(t), t, key, gen))
        pos += len(t) + 1
    return out


def _match_shape_at(idx: GlossaryIndex, shape: Shape, toks: list[Tok], i: int, genitive_ok: bool):
    """Does ``shape`` match toks[i:i+k]? Returns (statuses, sources, genitive) or None."""
    if i < 0 or i + shape.k > len(toks):
        return None
    statuses, sources, gen = [], [], False
    for j in range(shape.k):
        t = toks[i + j]
        sp = shape.positions[j].get(t.key)
        if sp is None and j == shape.k - 1 and genitive_ok and t.gen_base:
            sp = shape.positions[j].get(t.gen_base)
            gen = sp is not None
        if sp is None:
            return None
        statuses.append(sp.status)
        sources.append(sp.source)
    return statuses, sources, gen


def match_names(doc: Document) -> list[NameMatch]:
    """All glossary names in ``doc`` (cached in ``doc.shared``)."""
    if "name_matches" in doc.shared:
        return doc.shared["name_matches"]
    idx: GlossaryIndex | None = doc.index
    matches: list[NameMatch] = []
    unknown: list[tuple[list[Tok], int]] = []  # capitalised tokens no shape explained
    if idx is not None:
        genitive_ok = idx.lang in GENITIVE
        text = doc.text
        starts = idx.starts
        freq = _freq_dict(idx.lang, "best")
        common_f = 10 ** (NEAR_MISS_ZIPF - 9)
        # The words worth a closer look, decided once per distinct word (C-speed findall),
        # so the loop below costs one set look-up for the common capitalised words.
        interesting = set()
        for word in set(CHUNK.findall(text)):
            if " " in word or "\u00a0" in word:
                interesting.add(word)
                continue
            key = word.casefold()
            if key in starts or (genitive_ok and key[-1:] == "s" and key[:-1] in starts):
                interesting.add(word)
            elif len(key) >= MIN_TYPO_LEN and freq.get(key, 0.0) < common_f:
                interesting.add(word)
        for cm in CHUNK.finditer(text) if interesting else ():
            word = cm.group()
            if word not in interesting:
                continue
            toks = _tokens(word, cm.start())
            i = 0
            while i < len(toks):
                best = None
                t = toks[i]
                cands = starts.get(t.key, ())  # shapes that can start here, longest first
                if genitive_ok and t.gen_base:
                    extra = starts.get(t.gen_base)
                    if extra:
                        cands = cands + tuple(sh for sh in extra if sh.k == 1)
                start = i
                ntoks = len(toks)
                for shape in cands:
                    k = shape.k
                    if i + k > ntoks or (best is not None and k < best[0][0]):
                        continue
                    if k > 1 and toks[i + 1].key not in shape.positions[1] and not (
                            k == 2 and genitive_ok and toks[i + 1].gen_base in shape.positions[1]):
                        continue  # the second word rules out most multi-word names at once
                    r = _match_shape_at(idx, shape, toks, i, genitive_ok)
                    if r is None:
                        continue
                    statuses, sources, gen = r
                    # longest wins; then an accepted reading; then the full (not surname-only) shape
                    score = (shape.k, all(s == ACCEPTED for s in statuses) and not gen, not shape.surname_only)
                    if best is None or score > best[0]:
                        best = (score, shape, start, statuses, sources, gen)
                if best is not None:
                    _, shape, start, statuses, sources, gen = best
                    mt = toks[start:start + shape.k]
                    if (gen or any(s != ACCEPTED for s in statuses)) and not _variant_plausible(idx, mt, statuses, gen):
                        i += 1
                        continue
                    matches.append(NameMatch(mt[0].start, mt[-1].end, shape, mt, statuses, sources, gen))
                    i = start + shape.k
                    continue
                unknown.append((toks, i))
                i += 1
        mentioned = {m.shape.term.id for m in matches}
        # bilingual hook (qa/bilingual.py): a term the source article mentions
        # makes a near miss of it credible even when the target never spells it right
        mentioned |= doc.shared.get("source_terms", frozenset())
        matches += _fuzzy(doc, idx, unknown, mentioned)
    matches.sort(key=lambda m: m.start)
    doc.shared["name_matches"] = matches
    doc.shared["name_spans"] = [(m.start, m.end) for m in matches]
    return matches


def _variant_plausible(idx: GlossaryIndex, toks: list[Tok], statuses: list[str], gen: bool = False) -> bool:
    """Is a flagged reading believable? A computed spelling that is a common
    word of L, very short (Zu, Ei) or an acronym (SYM, IU) is no name; a word
    that is itself common (Adams, Midlands, Republics) is no genitive."""
    if gen and _zipf(toks[-1].text, idx.lang) >= GENITIVE_WORD_ZIPF:
        return False
    for t, s in zip(toks, statuses):
        if s == ACCEPTED or s == WRONG:
            continue
        if len(t.key) < 4 or (t.text.isupper() and len(t.text) <= 3):
            return False
        if _zipf(t.text, idx.lang) >= VARIANT_ZIPF:
            return False
    return True


def _feminine_or_masculine_pair(a: str, b: str) -> bool:
    """Zelenska/Zelensky, Navalnaya/Navalny, Lavrova/Lavrov: another person of the family."""
    pairs = [("a", ""), ("aya", "y"), ("aya", "yi"), ("ska", "sky"), ("ska", "skyi"), ("ska", "skiy"),
             ("ova", "ov"), ("eva", "ev"), ("ina", "in"), ("yna", "yn"), ("kaya", "ky"), ("ska", "ski")]
    for fem, masc in pairs:
        for x, y in ((a, b), (b, a)):
            if x.endswith(fem) and y.endswith(masc) and x[: len(x) - len(fem)] == y[: len(y) - len(masc) if masc else len(y)]:
                return True
    return False


def _near_miss_credible(idx: GlossaryIndex, word: str, shape: Shape, mentioned: set[str]) -> bool:
    """One edit from a name is weak evidence on its own: in a gazetteer most
    capitalised words have a neighbour. Believe it when the article mentions
    the term elsewhere, when the name is much more common than the word
    (Puton ~ Putin), or, with a desk-sized glossary, when the word is unknown."""
    if shape.term.id in mentioned:
        return True
    lang = idx.lang
    z_word = _zipf(word, lang)
    z_name = max((_zipf(t, lang) for t in shape.replacement.split()[-1:]), default=0.0)
    if z_name >= 2.0 and z_name >= z_word + 1.5:
        return True
    return len(idx.glossary.terms) <= DESK_GLOSSARY_TERMS and z_word < UNKNOWN_WORD_ZIPF


def _fuzzy(doc: Document, idx: GlossaryIndex, unknown: list[tuple[list[Tok], int]],
           mentioned: set[str] = frozenset()) -> list[NameMatch]:
    out: list[NameMatch] = []
    lang = idx.lang
    genitive_ok = lang in GENITIVE
    for toks, i in unknown:
        t = toks[i]
        if len(t.key) < MIN_TYPO_LEN or not t.text[:1].isupper():
            continue
        if t.key in idx.accepted_tokens:
            continue
        if t.text[1:].isupper() is False and any(c.isupper() for c in t.text[1:]) and "-" not in t.text:
            continue  # CamelCase: brands, not names
        keys = [(t.key, False)]
        if genitive_ok and t.gen_base and len(t.gen_base) >= 4:
            keys.append((t.gen_base, True))
        found = None
        for key, gen in keys:
            if _zipf(t.text if not gen else t.text[:-1], lang) >= NEAR_MISS_ZIPF:
                continue
            typo_refs, skeleton_refs = _fuzzy_candidates(idx, key)
            # 1. one edit from an accepted spelling (Glinken ~ Blinken, Syrrskyi ~ Syrskyi);
            #    not together with a genitive
            if not gen:
                ranked = [(shape, pos, target) for shape, pos, target in typo_refs
                          if _context_ok(shape, pos, toks, i, lang)
                          and _near_miss_credible(idx, t.text, shape, mentioned)]
                if ranked:
                    found = ("typo", ranked, None, gen, 1)
                    break
            # 2. skeleton: a spelling close to a computed one (Zaloezjni ~ Zaloezjny, Nawalnis)
            for shape, pos in skeleton_refs:
                if _context_ok(shape, pos, toks, i, lang):
                    found = ("skeleton", shape, pos, gen, 0)
                    break
            if found:
                break
        if not found:
            continue
        kind = found[0]
        if kind == "skeleton":
            _, shape, pos, gen, _ = found
            m = NameMatch(t.start, t.end, shape, [t], ["variant"], ["skeleton"], gen, kind="skeleton")
            m.data = {"pos": pos}
            out.append(m)
        else:
            _, ranked, _, gen, _ = found
            shape, pos, target = ranked[0]
            m = NameMatch(t.start, t.end, shape, [t], ["typo"], ["typo"], gen, kind="typo")
            m.data = {"pos": pos, "ranked": ranked}
            out.append(m)
    return out


def _derived(word: str, name: str) -> bool:
    """Moldovan from Moldova, Latvians from Latvia: a name plus one letter at the
    end is a derived word, not a typo."""
    return len(word) == len(name) + 1 and word.startswith(name)


def _fuzzy_candidates(idx: GlossaryIndex, key: str) -> tuple[tuple, tuple]:
    """Context-free fuzzy candidates of an unknown word, cached on the index:
    ((shape, pos, target) one edit away, ranked), ((shape, pos) sharing its skeleton)."""
    hit = idx.fuzzy_cache.get(key)
    if hit is not None:
        return hit
    cands: set[str] = set()
    for d in {key} | _dels(key):
        for target in idx.deletes.get(d, ()):
            if target != key and target not in cands and not _derived(key, target) and osa_distance(key, target, 1) <= 1:
                cands.add(target)
    typo = tuple((shape, pos, target)
                 for target in sorted(cands, key=lambda x: (x[:1] != key[:1], x))
                 if not _feminine_or_masculine_pair(key, target)
                 for shape, pos in idx.accepted_token_owner.get(target, ()))
    skel = tuple((shape, pos) for shape, pos in idx.by_skeleton.get(skeleton(key), ())
                 if not any(_feminine_or_masculine_pair(key, k) for k in shape.positions[pos]))
    if len(idx.fuzzy_cache) > 100_000:
        idx.fuzzy_cache.clear()
    idx.fuzzy_cache[key] = (typo, skel)
    return typo, skel


def _dels(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _context_ok(shape: Shape, pos: int, toks: list[Tok], i: int, lang: str = "en") -> bool:
    """A fuzzy hit on a token counts where the term could stand alone there:
    a single-word term, a person's surname (not preceded by another given
    name), or a multi-word form whose other words are all there."""
    term = shape.term
    if shape.k == 1:
        if shape.surname_only and i > 0:
            prev = toks[i - 1]
            # "Olena Zelenska" is not a typo of Volodymyr Zelensky: another given name
            if prev.key not in term.first_name_keys and _zipf(prev.text, lang) < 4.0:
                return False
        return True
    start = i - pos
    if start < 0 or start + shape.k > len(toks):
        return False
    for j in range(shape.k):
        if j == pos:
            continue
        if toks[start + j].key not in shape.positions[j]:
            return False
    return True

