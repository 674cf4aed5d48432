"""The name matcher's text tools: chunks and tokens, the per-index plan of a
chunk (which glossary shapes match it, context-free), genitives, and the
context-free tests of a fuzzy reading. The walk over a document is the
engine's (:mod:`qa.engine.name_matcher`)."""
from __future__ import annotations

from dataclasses import dataclass

import regex

from qa.text.evidence import Evidence, is_opener, is_title, known_anywhere
from qa.text.index import ACCEPTED, VARIANT, WRONG, GlossaryIndex, Shape, osa_distance
from qa.text.translit import CYRILLIC_SOURCES, fold, press_spellings, skeleton
from qa.text.wordfreqs import freq_dict as _freq_dict, zipf as wf_zipf

_CAP = r"\p{Lu}[\p{L}\p{M}]*(?:[-‐]\p{L}[\p{L}\p{M}]*)*"
_PARTICLE = r"(?:von|van|der|den|de|del|della|la|le|du|da|dos|das|di|al|bin|ibn|ter|zu|ten)"
CHUNK = regex.compile(
    rf"(?:(?<![\p{{L}}\p{{M}}\p{{N}}_@/.])|(?<=\p{{Ll}}{{2}}[.!?]))(?<!\.\p{{Ll}}{{2}}[.!?]){_CAP}(?:[ \u00a0](?:{_PARTICLE}[ \u00a0])*{_CAP})*(?![\p{{L}}\p{{M}}\p{{N}}@])"
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
VARIANT_ZIPF = 3.0  # a computed spelling this common in L is a word of L (Tramp): it needs support
OTHER_FORM_ZIPF = 4.5  # another language's glossary form this common in L is a word of L (Dutch "Moskou"?)
SKELETON_KNOWN_ZIPF = 2.0  # a skeleton match this common in some press language is a name there (Michiel)
GENITIVE_WORD_ZIPF = 3.0  # "Adams", "Midlands": a word this common is no name + genitive s
DESK_GLOSSARY_TERMS = 5000  # above this (a gazetteer), a near miss needs evidence in the text
UNKNOWN_WORD_ZIPF = 1.5
SENTENCE_OPENER_ZIPF = 4.5  # In, But, When, Yesterday: a sentence's first word, not a given name (Nick)  # below this a capitalised word is unknown to wordfreq: a likely typo


class SpanList:
    """``(start, end)`` pairs in two ``array``s: 16 bytes a span where a list of
    tuples takes ~120 (a long article has a name every 170 bytes). Iterates as
    pairs; ``len`` and truth as a list (all its readers need)."""

    __slots__ = ("starts", "ends")

    def __init__(self, pairs=()):
        from array import array

        self.starts, self.ends = array("q"), array("q")
        for s, e in pairs:
            self.starts.append(s)
            self.ends.append(e)

    def __iter__(self):
        return zip(self.starts, self.ends)

    def __len__(self) -> int:
        return len(self.starts)

    def __bool__(self) -> bool:
        return len(self.starts) > 0


class Tok:
    """A capitalised word of a chunk: where it starts, its text, its folded key and
    that key without a genitive -s (when plausible). ``end`` is computed, not
    stored: a long article holds a Tok per name occurrence, and a stored end
    was one more int object (32 bytes) each."""

    __slots__ = ("start", "text", "key", "gen_base")

    def __init__(self, start: int, end: int, text: str, key: str, gen_base: str | None = None):
        # end is always start + len(text): every caller slices text from start to end
        self.start, self.text, self.key, self.gen_base = start, text, key, gen_base

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def __eq__(self, other) -> bool:
        return isinstance(other, Tok) and (self.start, self.text, self.key, self.gen_base) == (
            other.start, other.text, other.key, other.gen_base)

    __hash__ = None  # mutable, compared by value (as the dataclass it replaces)

    def __repr__(self) -> str:
        return f"Tok(start={self.start}, end={self.end}, text={self.text!r}, key={self.key!r}, gen_base={self.gen_base!r})"


@dataclass(slots=True)
class NameMatch:
    start: int  # span of the whole name in the text
    end: int
    shape: Shape
    tokens: list[Tok]
    statuses: list[str] | tuple[str, ...]  # per token: accepted | wrong | variant (shared by a plan's matches)
    sources: list[str] | tuple[str, ...]
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


class _Record:
    """Records the scan's decisions on one chunk, context-free, as a plan to replay
    on every occurrence of the chunk (in any document checked with the index)."""

    def __init__(self, idx: GlossaryIndex):
        self.idx = idx
        self.steps: list[tuple] = []

    def phrase(self, toks, i) -> bool:
        self.steps.append(("phrase", (i,)))  # replayed: a phrase found there ends the chunk
        return False

    def skipped(self, toks, i) -> bool:
        return False  # replayed only where no phrase covers the chunk

    def match(self, toks, *args) -> None:
        self.steps.append(("match", args))

    def flagged_word(self, toks, *args) -> None:
        self.steps.append(("flagged_word", args))

    def own_or_match(self, toks, *args) -> None:
        self.steps.append(("own_or_match", args))

    def unknown_at(self, toks, i) -> None:
        if not _fuzzy_dead(self.idx, toks, i):
            self.steps.append(("unknown_at", (i,)))


def _walk(idx: GlossaryIndex, toks: list[Tok], ctx) -> None:
    """The scan of one chunk's tokens: which glossary shapes match where. Every
    decision that depends on the text around the chunk is left to ``ctx``
    (:class:`qa.engine.name_matcher._Live` on a document, :class:`_Record` for a plan)."""
    genitive_ok = idx.lang in GENITIVE
    starts = idx.starts
    phrases = idx.phrases
    i = 0
    ntoks = len(toks)
    while i < ntoks:
        best = None
        t = toks[i]
        if t.key in phrases and ctx.phrase(toks, i):  # a form with punctuation, as a whole: Odessa, Texas
            break
        if ctx.skipped(toks, i):
            i += 1
            continue
        cands = starts.get(t.key, ())  # shapes that can start here, longest first
        if genitive_ok and t.gen_base:
            extra = starts.get(t.gen_base)
            if extra:
                cands = cands + tuple(sh for sh in extra if sh.k == 1)
        start = i
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
            k = shape.k
            mt = toks[start:start + k]
            if (gen or any(s != ACCEPTED for s in statuses)) and not _variant_plausible(idx, mt, statuses, gen, sources):
                # a word of L (Baden) is that name only after the term's given name (Joe Baden)
                given_cue = (f"after the given name {toks[start - 1].text}"
                             if not gen and start and toks[start - 1].key in given_keys(idx, shape.term) else None)
                ctx.flagged_word(toks, start, k, shape, tuple(statuses), tuple(sources), gen, given_cue)
                i += 1
                continue
            if VARIANT in statuses and WRONG not in statuses and shape.term.kind != "person":
                ctx.own_or_match(toks, start, k, shape, tuple(statuses), tuple(sources), gen)
            else:
                ctx.match(toks, start, k, shape, tuple(statuses), tuple(sources), gen)
            i = start + k
            continue
        ctx.unknown_at(toks, i)
        i += 1


_PLANS_MAX = 300_000  # distinct chunks remembered per index


def _plan(idx: GlossaryIndex, word: str):
    """What the scan does with a chunk, decided once per distinct chunk: ``()``
    (nothing: a common word, or no glossary name and no near miss) or
    ``(relative tokens, steps)``."""
    if " " not in word and "\u00a0" not in word:  # one word: is it worth a look at all?
        key = word.casefold()
        starts = idx.starts
        if not (key in starts or (idx.lang in GENITIVE and key[-1:] == "s" and key[:-1] in starts)
                or (len(key) >= MIN_TYPO_LEN and _freq_dict(idx.lang, "best").get(key, 0.0) < 10 ** (NEAR_MISS_ZIPF - 9))
                or (word.isupper() and key in _acronym_keys(idx))):
            return ()
    toks = _tokens(word, 0)
    rec = _Record(idx)
    _walk(idx, toks, rec)
    return (toks, tuple(rec.steps)) if rec.steps else ()


# Endings with which German and Dutch build inflected and derived words on a name:
# des Föderationsrates, der Kasache (Kasachstan), die Moldauerin, zwei Litauer (Litauen),
# die Kiewer Führung; de Litouwers, Kyivse, Charkivse.
_WORD_ENDINGS = {
    "de": ("es", "s", "e", "en", "n", "er", "ern", "ers", "erin", "erinnen", "isch", "ische", "ischen",
           "ischer", "isches", "ier", "ierin", "ierinnen", "in", "innen"),
    "nl": ("s", "en", "e", "er", "ers", "se", "sche", "isch", "ische", "aan", "anen", "ees", "ese", "ische"),
}
# what a name's stem may lose before such an ending (Kasachstan → Kasach-e, Litauen → Litau-er)
_STEM_LOSES = ("", "en", "ien", "stan", "land", "e", "a", "ië", "en")


def word_built_on_name(idx: GlossaryIndex, t: Tok) -> bool:
    """Is ``t`` a word of L built on a glossary name, not a misspelling of one? An
    inflected or derived German or Dutch form (Föderationsrates, Kasache, Moldauerin,
    Litouwers) or a hyphenated compound whose last part is a common word of L
    (Wagner-groep, Asow-Kämpfer, Kreml-Chef): nicknames and coinages alike."""
    lang = idx.lang
    if "-" in t.key or "‐" in t.key:
        tail = t.key.replace("‐", "-").rsplit("-", 1)[1]
        if len(tail) >= 3 and _zipf(tail, lang) >= NEAR_MISS_ZIPF and tail not in _hyphen_tails(idx):
            return True  # not when a glossary name ends so (Roston-on-Don is a misspelt Rostov-on-Don)
    endings = _WORD_ENDINGS.get(lang)
    if not endings:
        return False
    accepted = idx.accepted_tokens
    key = t.key
    known = None
    for end in endings:
        if not key.endswith(end) or len(key) - len(end) < 4:
            continue
        stem = key[: len(key) - len(end)]
        for lost in _STEM_LOSES:
            if stem + lost not in accepted:
                continue
            if not lost and len(end) >= 2:
                return True  # the name and an ending: des Föderationsrates
            # an ending for a part of the name (Litauen → Litauer) is a word the
            # dictionary knows; else it is a misspelling (Sibiren for Sibirien)
            if known is None:
                known = _zipf(t.text, lang) >= 1.0
            if known:
                return True
    return False


def _hyphen_tails(idx: GlossaryIndex) -> frozenset[str]:
    """Last parts of the glossary's hyphenated accepted spellings (on-don, frankivsk)."""
    hit = idx.__dict__.get("_hyphen_tails")
    if hit is None:
        hit = idx.__dict__["_hyphen_tails"] = frozenset(
            k.replace("‐", "-").rsplit("-", 1)[1] for k in idx.accepted_tokens if "-" in k or "‐" in k)
    return hit


def _fuzzy_dead(idx: GlossaryIndex, toks: list[Tok], i: int) -> bool:
    """Can :func:`_fuzzy` make nothing of toks[i], whatever the text around? The
    same context-free tests it starts with, and no candidate at all."""
    t = toks[i]
    lang = idx.lang
    acronym = t.text.isupper() and len(t.key) >= 3
    if (len(t.key) < MIN_TYPO_LEN and not acronym) or not t.text[:1].isupper():
        return True
    if t.key in idx.accepted_tokens:
        return True
    if t.text[1:].isupper() is False and any(c.isupper() for c in t.text[1:]) and "-" not in t.text:
        return True
    if word_built_on_name(idx, t):
        return True
    keys = [(t.key, False)]
    if lang in GENITIVE and t.gen_base and len(t.gen_base) >= 4:
        keys.append((t.gen_base, True))
    for key, gen in keys:
        word = t.text if not gen else t.text[:-1]
        if gen and _zipf(word, lang) >= 2.0:
            continue
        if _zipf(word, lang) >= NEAR_MISS_ZIPF and not acronym and i == 0:
            continue
        if acronym and len(key) < MIN_TYPO_LEN:
            if _acronym_candidates(idx, key):
                return False
            continue
        typo_refs, skeleton_refs = _fuzzy_candidates(idx, key)
        if typo_refs or skeleton_refs:
            return False
    return _inflected(idx, toks, i) is None and _truncated(idx, toks, i) is None


def _variant_plausible(idx: GlossaryIndex, toks: list[Tok], statuses: list[str], gen: bool = False,
                       sources: list[str] | None = None) -> bool:
    """Is a flagged reading believable? A computed spelling that is a common
    word of L, very short (Zu, Ei) or an acronym (SYM, IU) is no name; a word
    that is itself common (Adams, Midlands, Republics) is no genitive."""
    if gen and _zipf(toks[-1].text, idx.lang) >= GENITIVE_WORD_ZIPF:
        return False
    if gen and len(toks) > 1 and _zipf(toks[-1].text[:-1], idx.lang) >= 2.0:
        return False  # the Donetsk and Luhansk Oblasts: a plural of the name's common noun
    for j, (t, s) in enumerate(zip(toks, statuses)):
        if s == ACCEPTED or s == WRONG:
            continue
        if len(t.key) < 4 or (t.text.isupper() and len(t.text) <= 3):
            return False
        # another language's glossary form (Putin in Dutch text) is a name by definition;
        # a computed spelling as common as a word of L (Tramp, Baden) needs support
        explicit = sources is not None and sources[j].startswith("forms.")
        if _zipf(t.text, idx.lang) >= (OTHER_FORM_ZIPF if explicit else VARIANT_ZIPF):
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


def given_keys(idx: GlossaryIndex, term) -> frozenset[str]:
    """Folded given names of a person in every spelling the index knows: accepted,
    wrong, other languages' and computed press spellings (Sergei, Sergey, Serhiy,
    Siergiej), so that the term's own given name in a foreign spelling is evidence
    for it, not "another given name"."""
    cache = idx.__dict__.setdefault("_given_cache", {})
    hit = cache.get(term.id)
    if hit is None:
        keys = set(term.first_name_keys)
        for src, natives in term.native.items():  # every press spelling of the given names alone
            for n in natives:
                parts = n.split()
                if len(parts) >= 2 and src in CYRILLIC_SOURCES:
                    for outs in press_spellings(" ".join(parts[:-1]), src, cap=8).values():
                        keys.update(fold(w) for o in outs for w in o.split())
        for shape in idx.term_shapes(term.id):
            if shape.k >= 2 and not shape.surname_only:
                for pos in shape.positions[:-1]:
                    keys.update(pos)
        hit = cache[term.id] = frozenset(k for k in keys if not _PARTICLE_RE.fullmatch(k))
    return hit


_PARTICLE_RE = regex.compile(_PARTICLE)




_ARTICLES = frozenset("a an the ein eine einen einem einer een le la un une".split())


def _after_article(text: str, start: int) -> bool:
    """“a Tramp”: after an article a word of L is that word, not a name."""
    before = text[max(0, start - 8):start].split()
    return bool(before) and before[-1].lower() in _ARTICLES


_WORD_BEFORE = regex.compile(r"(?<![\p{L}\p{M}])(\p{Lu}(?:[\p{L}\p{M}-]*[\p{L}\p{M}]|\.))[ \u00a0]$")  # a word, or an initial
_WORD_AFTER = regex.compile(r"[ \u00a0](\p{Lu}[\p{Ll}\p{M}]+(?:-\p{Lu}?[\p{Ll}\p{M}]+)?)\b")


def _other_people(text: str, idx: GlossaryIndex, matches: list[NameMatch]) -> list[NameMatch]:
    """One sense per article: when a flagged surname follows another given name
    once (Andrey Kirilenko, Dwi Haris), it is that other person throughout."""
    others = set()

    def single_person(m: NameMatch) -> bool:
        # Dumas after Patrice is a surname, not the Duma's genitive, whatever the term's kind
        return len(m.tokens) == 1 and (m.genitive or (
            m.shape.term.kind == "person" and any(st != ACCEPTED for st in m.statuses)))

    for m in matches:
        if not single_person(m):
            continue
        after = _WORD_AFTER.match(text, m.end)
        if after and not is_title(after.group(1)) and not is_opener(after.group(1)) \
                and fold(after.group(1)) not in idx.accepted_tokens and _zipf(after.group(1), idx.lang) < 3.0:
            others.add(m.tokens[-1].key)  # Kostas Papadimas: the given name of someone else
            continue
        b = _WORD_BEFORE.search(text, max(0, m.start - 40), m.start)
        if b is None:
            continue
        w = b.group(1)
        key = fold(w)
        if is_title(w) or is_opener(w) or key in given_keys(idx, m.shape.term) or _near_given(idx, m.shape.term, key):
            continue
        others.add(m.tokens[-1].key)  # Patrice Dumas, John S. Kallal, Dwi Haris
    if not others:
        return matches
    return [m for m in matches if not (single_person(m) and m.tokens[-1].key in others)]


def _lone_foreign_press(idx: GlossaryIndex, matches: list[NameMatch]) -> list[NameMatch]:
    """Another press's spelling of a Latin-script name, alone (Michiel, Kosta for
    Charles Michel, Antonio Costa), is more often a name of its own than an MT
    error: keep it only when the article names that person otherwise too."""
    count: dict[str, int] = {}
    for m in matches:
        count[m.shape.term.id] = count.get(m.shape.term.id, 0) + 1
    out = []
    for m in matches:
        if m.shape.surname_only and count[m.shape.term.id] == 1 and idx.latin_origin(m.shape.term) and all(
                st == VARIANT and src.startswith("native.") and not src.endswith("→" + idx.lang)
                for st, src in zip(m.statuses, m.sources)):
            continue
        out.append(m)
    return out


def _phrase_at(text: str, t: Tok, cands, idx: GlossaryIndex) -> NameMatch | None:
    """An accepted form with punctuation (``Odessa, Texas``) at token ``t``: the
    whole phrase is a name of its own, and no part of it is flagged."""
    for phrase, shape in cands:
        seg = text[t.start:t.start + len(phrase)]
        if len(seg) == len(phrase) and fold(seg) == fold(phrase) and not text[t.start + len(phrase):t.start + len(phrase) + 1].isalpha():
            end = t.start + len(phrase)
            tok = Tok(t.start, end, seg, fold(seg))
            return NameMatch(t.start, end, shape, [tok], [ACCEPTED], [f"forms.{idx.lang}"])
    return None


def _near_given(idx: GlossaryIndex, term, key: str) -> bool:
    """Analena for Annalena: one edit from one of the term's given names."""
    if len(key) < 4:
        return False
    return any(abs(len(g) - len(key)) <= 1 and osa_distance(key, g, 1) <= 1 for g in given_keys(idx, term) if len(g) >= 4)


def term_surname_keys(idx: GlossaryIndex, term) -> frozenset[str]:
    cache = idx.__dict__.setdefault("_surname_cache", {})
    hit = cache.get(term.id)
    if hit is None:
        keys = set()
        for shape in idx.term_shapes(term.id):
            keys.update(shape.positions[-1])
        hit = cache[term.id] = frozenset(keys)
    return hit


# Russian case endings that MT leaves on a transliterated name (Trampov, Putinu,
# Zelenskogo). Feminine endings (-a, -ova, -aya) are not here: they make another
# person's name (Lavrova, Navalnaya).
RU_ENDINGS = ("ov", "om", "u", "ym", "ykh", "ogo", "omu", "skogo", "skomu", "skim", "im", "yu", "oi", "oy")


# Ukrainian and Russian case endings on a place, with what the ending replaced: genitive
# Voronezha, locative Irpeni (Ірпені: і/е alternate), Moskve, Kulebi/Kuleby (an a-stem).
# For a person only the a-stem ones: -a, -y on a surname make another person (Lavrova).
PLACE_ENDINGS = (("a", ""), ("i", ""), ("e", ""), ("y", ""), ("i", "a"), ("y", "a"), ("e", "a"), ("u", "a"),
                 ("oyu", "a"), ("ovi", ""), ("evi", ""), ("om", ""), ("em", ""))
PERSON_ENDINGS = (("i", "a"), ("y", "a"), ("u", "a"), ("oyu", "a"), ("ovi", ""), ("evi", ""))


def _case_bases(key: str, kind_endings) -> list[tuple[str, str]]:
    """(base, ending) readings of ``key`` as a name with a case ending."""
    out = []
    for end, restore in kind_endings:
        if not key.endswith(end) or len(key) - len(end) < 3:
            continue
        stem = key[: -len(end)]
        out.append((stem + restore, end))
        if not restore and len(stem) >= 4 and stem[-2] in "eo" and stem[-1] not in "aeiouy":
            out.append((stem[:-2] + "i" + stem[-1], end))  # Irpen-i → Irpin, Kharkov-a → Kharkiv
    return out


def _inflected(idx: GlossaryIndex, toks: list[Tok], i: int):
    """A name with a Russian or Ukrainian case ending, unknown to every dictionary:
    ``skeleton`` kind. Not after another given name: Starovoit + ov is also a surname
    (Alexei Starovoitov)."""
    t = toks[i]
    if i > 0 and not is_title(toks[i - 1].text) and not is_opener(toks[i - 1].text):
        return None
    for end in RU_ENDINGS:
        if not t.key.endswith(end) or len(t.key) - len(end) < 4:
            continue
        base = t.key[: -len(end)]
        for shape in idx.starts.get(base, ()):
            if shape.k == 1 and known_anywhere(t.text) == 0.0:
                ev = Evidence()
                ev.add(2, f"{shape.replacement} with a Russian case ending (-{end})")
                return ("skeleton", shape, 0, False, ev)
    unknown = None
    for endings, kinds in ((PLACE_ENDINGS, ("place",)), (PERSON_ENDINGS, ("person",))):
        for base, end in _case_bases(t.key, endings):
            if len(base) < 4:
                continue
            for shape in idx.starts.get(base, ()):
                if shape.k != 1 or shape.term.kind not in kinds:
                    continue
                if unknown is None:
                    unknown = known_anywhere(t.text) == 0.0
                if not unknown:
                    return None
                ev = Evidence()
                ev.add(2, f"{shape.replacement} with a Ukrainian or Russian case ending (-{end})")
                return ("skeleton", shape, 0, False, ev)
    return None


def _truncated(idx: GlossaryIndex, toks: list[Tok], i: int):
    """After the term's own given name, a surname cut short by one or two letters
    (Alexey Naval): the given name is the evidence."""
    if i == 0:
        return None
    t, prev = toks[i], toks[i - 1]
    if len(t.key) < 4:
        return None
    for shape, pos in idx.by_token.get(prev.key, ()):
        if shape.k != 2 or pos != 0 or shape.surname_only:
            continue
        for key, sp in shape.positions[1].items():
            if sp.status == ACCEPTED and key.startswith(t.key) and 1 <= len(key) - len(t.key) <= 2:
                ev = Evidence()
                ev.add(3, f"after the given name {prev.text}, the surname cut short")
                sur = next((sh for sh in idx.term_shapes(shape.term.id) if sh.surname_only), None)
                if sur is None or key not in sur.positions[0]:
                    return None
                return ("typo", [(sur, 0, key)], ev, False)
    return None


def _full_shape(idx: GlossaryIndex, term) -> Shape | None:
    """The two-word (given name + surname) shape of a person, if any."""
    for shape in idx.term_shapes(term.id):
        if shape.k == 2 and not shape.surname_only and shape.preferred:
            return shape
    return None


def _acronym_keys(idx: GlossaryIndex) -> frozenset[str]:
    """Keys of all-caps names with a doubled letter dropped (tas for TASS)."""
    return idx.acronym_keys()


def _acronym_candidates(idx: GlossaryIndex, key: str) -> tuple:
    """All-caps names with a doubled letter dropped (TAS for TASS): a common slip
    of MT and OCR. Other one-edit changes of short acronyms are other acronyms."""
    out = []
    for target in idx.deletes.get(key, ()):
        if target == key or len(target) != len(key) + 1:
            continue
        if not any(target[j] == target[j + 1] and target[:j] + target[j + 1:] == key for j in range(len(target) - 1)):
            continue
        for shape, pos in idx.accepted_token_owner.get(target, ()):
            if shape.positions[pos][target].text.isupper():
                out.append((shape, pos, target))
    return tuple(out)


def _derived(word: str, name: str) -> bool:
    """Moldovan from Moldova, Latvians from Latvia: a name plus one letter at the
    end is a derived word, not a typo."""
    return len(word) == len(name) + 1 and word.startswith(name)


def _derived_word(word: str, name: str, lang: str) -> bool:
    """Schwedin from Schweden, Litauern from Litauen: a word of L that keeps the
    name's stem and changes only its ending is a demonym or an adjective."""
    stem = 0
    for a, b in zip(word, name):
        if a != b:
            break
        stem += 1
    return stem >= 5 and stem >= min(len(word), len(name)) - 2 and _zipf(word, lang) >= 1.0


def _fuzzy_candidates(idx: GlossaryIndex, key: str) -> tuple[tuple, tuple]:
    """Context-free fuzzy candidates of an unknown word, cached on the index:
    ((shape, pos, target) one edit away, ranked), ((shape, pos) sharing its skeleton)."""
    hit = idx.fuzzy_cache.get(key)
    if hit is not None:
        return hit
    cands: set[str] = set()
    deletes = idx.deletes
    probe = _dels(key)
    probe.add(key)
    for d in (deletes.present(probe) if hasattr(deletes, "present") else deletes.keys() & probe):
        for target in deletes[d]:
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
    if shape.k == 1:
        return True  # another given name before a surname (Olena Zelenska): _other_name_before
    start = i - pos
    if start < 0 or start + shape.k > len(toks):
        return False
    for j in range(shape.k):
        if j == pos:
            continue
        if toks[start + j].key not in shape.positions[j]:
            return False
    return True

