"""A glossary compiled for one target language: hash look-ups whose cost does
not grow with the glossary (no regex alternations, no scans over all terms).

For each term and token count k the index keeps a *shape*: per token position
the accepted spellings in the target language and the flagged ones (explicit
``wrong`` forms, other languages' forms, and press spellings computed from the
``native`` forms), with the preferred token to put in their place. A text
token is looked up by its folded form (case- and accent-insensitive), by its
skeleton key (close spellings no table produced), and by deletion neighbours
(one-edit typos, SymSpell style) of accepted tokens.
"""
from __future__ import annotations

from collections import defaultdict
import re
import sys
from dataclasses import dataclass, field
from typing import NamedTuple

from qa.text.glossary import Glossary, GlossaryError, Term
from qa.text.translit import CYRILLIC_SOURCES, PRESS_LANGS, fold, is_cyrillic, press_spellings, skeleton

ACCEPTED, WRONG, VARIANT = "accepted", "wrong", "variant"
VARIANTS_PER_LANGUAGE = 4
MIN_TYPO_TARGET = 4  # a 5-letter typo may be one insertion away from a 4-letter name (Kyivv)  # computed spellings kept per press language (skeleton keys catch the rest)
_SOURCES: dict[str, str] = {}


def _source(label: str) -> str:
    return _SOURCES.setdefault(label, sys.intern(label))


_SHARED_VARIANTS: dict[str, "Spelling"] = {}


def _spelling(status: str, source: str, text: str) -> "Spelling":
    """Computed variants keep no text of their own (their fix is the preferred
    token), so one object per source serves them all: most of the index."""
    if status == VARIANT and source.startswith("native."):
        sp = _SHARED_VARIANTS.get(source)
        if sp is None:
            sp = _SHARED_VARIANTS[source] = Spelling(VARIANT, source, "")
        return sp
    return Spelling(status, source, text)


class Spelling(NamedTuple):
    status: str  # accepted | wrong | variant
    source: str  # "forms.nl", "wrong.en", "native.ru→de", ...
    text: str  # the spelling as written


@dataclass
class Shape:
    term: Term
    k: int
    positions: list[dict[str, Spelling]]  # folded token -> spelling, per position
    preferred: list[str]  # the preferred L tokens (len k), or [] when no aligned form
    replacement: str  # the whole preferred form
    surname_only: bool = False

    def preferred_token(self, j: int) -> str | None:
        return self.preferred[j] if self.preferred else None


@dataclass
class GlossaryIndex:
    glossary: Glossary
    lang: str
    shapes: list[Shape] = field(default_factory=list)
    by_token: dict[str, list[tuple[Shape, int]]] = field(default_factory=lambda: defaultdict(list))
    accepted_tokens: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # folded -> term ids
    by_skeleton: dict[str, list[tuple[Shape, int]]] = field(default_factory=lambda: defaultdict(list))
    deletes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # for one-edit typos
    accepted_token_owner: dict[str, list[tuple[Shape, int]]] = field(default_factory=lambda: defaultdict(list))
    starts: dict[str, tuple[Shape, ...]] = field(default_factory=dict)  # shapes whose first token is this key, longest first
    fuzzy_cache: dict[str, tuple] = field(default_factory=dict)  # unknown word -> its fuzzy candidates
    max_k: int = 1

    # --------------------------------------------------------------------------
    @classmethod
    def build(cls, glossary: Glossary, lang: str) -> "GlossaryIndex":
        idx = cls(glossary, lang)
        for term in glossary.terms:
            try:
                idx._add_term(term)
            except Exception as e:  # a form the compiler cannot handle is the glossary's error, located
                raise GlossaryError(term.path, term.line or None,
                                    f"term {term.id!r}: its forms cannot be compiled for {lang!r} "
                                    f"({type(e).__name__}: {e}; please report this as a copydesk bug)") from None
        # a flagged spelling that some term accepts in L is never flagged
        for shape in idx.shapes:
            foreign = idx._foreign_given_sources(shape)
            for j, pos in enumerate(shape.positions):
                for key in [k for k, sp in pos.items() if sp.status != ACCEPTED and k in idx.accepted_tokens]:
                    if sp_is_computed(pos[key]) and not (j < shape.k - 1 and pos[key].source.startswith(foreign)):
                        del pos[key]
        idx._finish()
        return idx

    @classmethod
    def from_shapes(cls, glossary: Glossary, lang: str, shapes: list[Shape],
                    skeletons: dict[str, str] | None = None) -> "GlossaryIndex":
        """An index from already compiled shapes (the on-disk cache, qa/text/cache.py)."""
        idx = cls(glossary, lang)
        idx.shapes = shapes
        idx._finish(skeletons)
        return idx

    def _finish(self, skeletons: dict[str, str] | None = None) -> None:
        """The look-up tables, derived from the shapes."""
        idx = self
        sk_of = skeletons.get if skeletons else (lambda k, _d=None: None)
        idx.accepted_tokens = defaultdict(set)
        idx.max_k = max((sh.k for sh in idx.shapes), default=1)
        for shape in idx.shapes:
            for j, pos in enumerate(shape.positions):
                ref = (shape, j)  # one tuple shared by every list that points here
                for key, sp in pos.items():
                    idx.by_token[key].append(ref)
                    sk = sk_of(key) or skeleton(key)
                    if len(sk) >= 3:
                        lst = idx.by_skeleton[sk]
                        if not lst or lst[-1] is not ref:
                            lst.append(ref)
                    if sp.status == ACCEPTED:
                        idx.accepted_token_owner[key].append(ref)
                        idx.accepted_tokens[key].add(shape.term.id)
        for key in idx.accepted_token_owner:
            if len(key) >= MIN_TYPO_TARGET:
                idx.deletes[key].add(key)
                for d in _deletions(key):
                    idx.deletes[d].add(key)
        # frozen, compact containers: a tuple of one costs a fifth of a set or list
        idx.by_token = {k: tuple(v) for k, v in idx.by_token.items()}
        starts: dict[str, list[Shape]] = defaultdict(list)
        for key, refs in idx.by_token.items():
            for shape, j in refs:
                if j == 0:
                    starts[key].append(shape)
        idx.starts = {k: tuple(sorted(v, key=lambda sh: -sh.k)) for k, v in starts.items()}
        idx.by_skeleton = {k: tuple(v) for k, v in idx.by_skeleton.items()}
        idx.deletes = {k: tuple(v) for k, v in idx.deletes.items()}
        idx.accepted_token_owner = {k: tuple(v) for k, v in idx.accepted_token_owner.items()}

    @property
    def phrases(self) -> dict[str, tuple[tuple[str, Shape], ...]]:
        """Accepted forms with punctuation (``Odessa, Texas``, ``St. Petersburg,
        Florida``) by the folded first word: they are matched as a whole, on the
        text, so that a decoy entry wins over a wrong form of its first word."""
        hit = self.__dict__.get("_phrases")
        if hit is None:
            out: dict[str, list] = {}
            for term in self.glossary.terms:
                for f in term.forms.get(self.lang, ()):
                    if any(c in f for c in ",.;:'’()/&"):
                        first = re.match(r"[^\W\d_]+(?:[-‐][^\W\d_]+)*", f)
                        if first:
                            shapes = self.term_shapes(term.id)
                            if shapes:
                                out.setdefault(fold(first.group()), []).append((f, shapes[0]))
            hit = self.__dict__["_phrases"] = {k: tuple(sorted(v, key=lambda x: -len(x[0]))) for k, v in out.items()}
        return hit

    def acronym_keys(self) -> frozenset[str]:
        """Keys of all-caps names with a doubled letter dropped (tas for TASS)."""
        hit = self.__dict__.get("_acronym_keys")
        if hit is None:
            keys = set()
            for target, owners in self.accepted_token_owner.items():
                if len(target) >= 4 and any(sh.positions[p][target].text.isupper() for sh, p in owners):
                    keys.update(target[:j] + target[j + 1:] for j in range(len(target) - 1) if target[j] == target[j + 1])
            hit = self.__dict__["_acronym_keys"] = frozenset(keys)
        return hit

    def term_shapes(self, term_id: str) -> tuple[Shape, ...]:
        """The shapes of one term (built on first use)."""
        by_term = self.__dict__.get("_by_term")
        if by_term is None:
            by_term = {}
            for shape in self.shapes:
                by_term.setdefault(shape.term.id, []).append(shape)
            by_term = self.__dict__["_by_term"] = {k: tuple(v) for k, v in by_term.items()}
        return by_term.get(term_id, ())

    def _accepted_forms(self, term: Term) -> tuple[tuple[str, ...], bool]:
        """Accepted spellings of ``term`` in the target language, and whether the
        glossary states them (False: derived from native spellings)."""
        forms = term.forms.get(self.lang)
        if forms:
            return forms, True
        origins = self.origins(term)
        latin_first = bool(origins) and origins[0] not in CYRILLIC_SOURCES
        own = own_spellings(term)
        if latin_first and (term.origin or own or term.kind != "person"):
            # declared Latin-script (Vilnius, İstanbul, Chișinău, Maia Sandu), an international
            # acronym (IAEA, not MAHATE) or a brand's own writing (PrivatBank): the press of L
            # writes the name as its own language does (also without its diacritics) or as
            # English does; no spelling computed from the Cyrillic forms is accepted
            derived = [*own, *(ascii_letters(o) for o in own), *term.forms.get("en", ())]
            derived = derived or [f for fs in term.forms.values() for f in fs]
            return tuple(dict.fromkeys(derived)), False
        derived: list[str] = []
        if self.lang in PRESS_LANGS:
            for src, natives in term.native.items():
                if term.kind == "person" and origins and not latin_first and src not in origins:
                    continue  # Oleksii Reznikov is no Aleksej in Dutch: only his own language's forms count
                for n in natives:
                    derived += press_spellings(n, src, (self.lang,), cap=4).get(self.lang, ())[:2]
        if not derived:  # no press table for L: the English forms, as the international spelling
            derived += list(term.forms.get("en", ()))
        if not derived:
            derived = [f for fs in term.forms.values() for f in fs]
        if latin_first:
            # Antony Blinken, Olaf Scholz: a person whose name is written in Latin letters
            # keeps that spelling first; the press spellings of the native forms (Entoni
            # Blinken) stay accepted, never proposed
            derived = list(term.forms.get("en", ())) + derived
        return tuple(dict.fromkeys(derived)), False

    def latin_origin(self, term: Term) -> bool:
        """Is the name originally written in Latin letters (see :meth:`origins`)?"""
        o = self.origins(term)
        return bool(o) and o[0] not in CYRILLIC_SOURCES

    def _foreign_given_sources(self, shape: Shape) -> tuple[str, ...]:
        """Source prefixes of spellings computed from another language's form of a
        person with a known Cyrillic origin: before the surname, such a given name is
        wrong even where another person accepts it (Aleksej Reznikov: Aleksej is right
        for a Russian, not for the Ukrainian Oleksii Reznikov)."""
        term = shape.term
        if term.kind != "person" or shape.k < 2 or shape.surname_only:
            return ()
        origins = self.origins(term)
        if not origins or origins[0] not in CYRILLIC_SOURCES:
            return ()
        return tuple(f"native.{src}→" for src in term.native if src in CYRILLIC_SOURCES and src not in origins)

    def origins(self, term: Term) -> tuple[str, ...]:
        """The language(s) the name belongs to, cached: see :func:`name_origins`."""
        cache = self.__dict__.setdefault("_origin_cache", {})
        hit = cache.get(term.id)
        if hit is None:
            hit = cache[term.id] = name_origins(term)
        return hit

    def _add_term(self, term: Term) -> None:
        accepted, _stated = self._accepted_forms(term)
        preferred = accepted[0]
        spellings: list[Spelling] = [Spelling(ACCEPTED, f"forms.{self.lang}", f) for f in accepted]
        # the name's own Latin spelling, where it differs from an accepted one only by its
        # diacritics (İstanbul, Chișinău beside Istanbul, Chisinau), is right too
        plain = {fold(ascii_letters(f)) for f in accepted}
        spellings += [Spelling(ACCEPTED, f"forms.{self.lang}", o) for o in own_spellings(term)
                      if o not in accepted and fold(ascii_letters(o)) in plain]
        for f in term.wrong.get(self.lang, ()):
            spellings.append(Spelling(WRONG, f"wrong.{self.lang}", f))
        for other, forms in term.forms.items():
            if other != self.lang:
                spellings += [Spelling(VARIANT, f"forms.{other}", f) for f in forms]
        for other, forms in term.wrong.items():
            if other != self.lang:
                spellings += [Spelling(VARIANT, f"wrong.{other}", f) for f in forms]
        origins = self.origins(term)
        for src, natives in term.native.items():
            for n in natives:
                if not is_cyrillic(n) or src not in CYRILLIC_SOURCES:
                    continue
                for press, outs in press_spellings(n, src, cap=VARIANTS_PER_LANGUAGE).items():
                    source = _source(f"native.{src}→{press}")
                    # a person's name as the press of L spells it from his own language is
                    # right in L beside the glossary's form (German Janukowytsch beside
                    # Janukowitsch: the Ukrainian-based press spelling); English keeps to
                    # the glossary (Zelenskyy is flagged)
                    own_press = press == self.lang != "en" and term.kind == "person" and src in origins
                    spellings += [Spelling(ACCEPTED if own_press and j == 0 else VARIANT, source, o)
                                  for j, o in enumerate(outs)]
        pref_tokens = preferred.split()
        shapes: dict[int, Shape] = {}
        accepted_keys = {fold(t) for f in accepted for t in f.split()}
        for sp in spellings:
            toks = sp.text.split()
            k = len(toks)
            if k == 0:
                continue
            shape = shapes.get(k)
            if shape is None:
                shape = Shape(term, k, [dict() for _ in range(k)],
                              pref_tokens if len(pref_tokens) == k else [], preferred)
                shapes[k] = shape
            for j, tok in enumerate(toks):
                key = fold(tok)
                cur = shape.positions[j].get(key)
                if sp.status == ACCEPTED or cur is None or (cur.status == VARIANT and sp.status == WRONG):
                    if sp.status != ACCEPTED and key in accepted_keys and cur is not None:
                        continue
                    shape.positions[j][key] = _spelling(sp.status, sp.source, tok)
            # persons: the surname alone
            if term.kind == "person" and k >= 2:
                sur = shapes.get(-k)
                if sur is None:
                    sur = Shape(term, 1, [dict()], [pref_tokens[-1]] if len(pref_tokens) == k else [],
                                pref_tokens[-1] if len(pref_tokens) == k else preferred, surname_only=True)
                    shapes[-k] = sur
                key = fold(toks[-1])
                cur = sur.positions[0].get(key)
                if sp.status == ACCEPTED or cur is None:
                    sur.positions[0][key] = _spelling(sp.status, sp.source, toks[-1])
        # the surname alone is accepted when the preferred form's surname is
        for k, shape in shapes.items():
            # a position token that is accepted at that position never counts as flagged
            for j, pos in enumerate(shape.positions):
                acc = {key for key, s in pos.items() if s.status == ACCEPTED}
                for key in list(pos):
                    if pos[key].status != ACCEPTED and key in acc:
                        pos[key] = Spelling(ACCEPTED, pos[key].source, pos[key].text)
            self.shapes.append(shape)
            self.max_k = max(self.max_k, shape.k)
            for pos in shape.positions:
                for key, s in pos.items():
                    if s.status == ACCEPTED:
                        self.accepted_tokens[key].add(term.id)


# Notes that place a person outside the Cyrillic-script world (their name is written
# in Latin letters; the native forms only say how Russian and Ukrainian print it).
_WESTERN = re.compile(
    r"\b(?:US|U\.S\.|American|NATO|EU|European|German|Germany|Dutch|Netherlands|British|UK|French|France|"
    r"Polish|Poland|Italian|Italy|Finnish|Finland|Lithuanian|Lithuania|Latvian|Latvia|Estonian|Estonia|"
    r"Turkish|Turkey|Hungarian|Hungary|Canadian|Spanish|Portuguese|Swedish|Norwegian|Danish|Belgian|"
    r"Czech|Slovak|Romanian|IAEA|UN secretary)\b")


LATIN = "latin"  # an origin in Latin script whose language the glossary does not say


def own_spellings(term: Term) -> list[str]:
    """The name as its own Latin-script language writes it: ``forms.L`` of its ``origin``
    (``origin = "lt"``, ``forms.lt = "Vilnius"``), and ``native.L`` forms in Latin letters."""
    own = [n for ns in term.native.values() for n in ns if _is_latin(n)]
    if term.origin and term.origin not in CYRILLIC_SOURCES:
        own += [f for f in term.forms.get(term.origin, ()) if _is_latin(f)]
    return list(dict.fromkeys(own))


def _is_latin(text: str) -> bool:
    import unicodedata

    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(unicodedata.name(c, "").startswith("LATIN") for c in letters)


def name_origins(term: Term) -> tuple[str, ...]:
    """The language(s) the name belongs to: the glossary's ``origin``; else the language of
    a Latin-script native form; else, for a person, the Cyrillic languages whose English
    press spelling the English form is (Dmytro Kuleba: ``uk``; Sergei Lavrov: ``ru``), or
    :data:`LATIN` when it is none of them (Antony Blinken, not Entoni) or the note places
    the person outside the Cyrillic-script world. ``()``: unknown (a place or an org
    whose English form may be an exonym: Moscow is no Latin-script name)."""
    if term.origin:
        return (term.origin,)
    for src, ns in term.native.items():
        if any(_is_latin(n) for n in ns):
            return (src,)
    en = term.forms.get("en")
    natives = [(src, n) for src, ns in term.native.items() if src in CYRILLIC_SOURCES for n in ns if is_cyrillic(n)]
    if term.kind != "person" and en and natives:
        if _CAMEL.search(en[0]):
            return (LATIN,)  # a brand's own writing: PrivatBank, ArcelorMittal
        if _ACRONYM.fullmatch(en[0]) and all(n.isupper() for _, n in natives) and not any(
                fold(en[0]) == fold(v) for src, n in natives for v in press_spellings(n, src, ("en",), cap=24).get("en", ())):
            return (LATIN,)  # an international acronym (IAEA), not the letters of the Russian one (MAGATE)
    if term.kind != "person" or not en or not natives:
        return ()
    if _WESTERN.search(term.note or ""):
        return (LATIN,)  # the note places the person outside the Cyrillic-script world

    def norm(w: str) -> str:
        return fold(w).replace("x", "ks")

    words = [norm(w) for w in en[0].split()]
    # one edit per word tells a transliteration from a Western name only with a note that
    # places the person (Dmitry Peskov, "Kremlin spokesman"); a note-less Mark Rutte is
    # one edit from Марк Рютте's Mark Ryutte, so without a note only an exact one counts
    limit = 1 if term.note else 0
    found: list[str] = []
    for src, n in natives:
        computed = [[norm(w) for w in v.split()] for v in press_spellings(n, src, ("en",), cap=24).get("en", ())]
        if src not in found and any(len(c) == len(words) and all(osa_distance(a, b, 1) <= limit for a, b in zip(words, c))
                                    for c in computed):
            found.append(src)  # the English form is a transliteration (Alexei Navalny, Dmytro Kuleba)
    return tuple(found) or (LATIN,)


_CAMEL = re.compile(r"^[A-Z][a-z]+[A-Z][a-z]")
_ACRONYM = re.compile(r"[A-Z]{2,6}")

# Letters that keep no base letter under Unicode decomposition.
_BASE = str.maketrans({"ł": "l", "Ł": "L", "ı": "i", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ß": "ss"})


def ascii_letters(name: str) -> str:
    """``name`` without its diacritics (Chișinău → Chisinau, İstanbul → Istanbul), as
    the press of another language often prints it. A few letters by hand instead of a
    transliteration library: only diacritics go, the letters stay."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name.translate(_BASE))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def sp_is_computed(sp: Spelling) -> bool:
    return sp.status == VARIANT


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def osa_distance(a: str, b: str, limit: int = 2) -> int:
    """Optimal string alignment distance (adjacent transpositions count 1)."""
    from rapidfuzz.distance import OSA

    return OSA.distance(a, b, score_cutoff=limit)
