"""Language identification: langdetect made deterministic, plus word-frequency
evidence from wordfreq.

langdetect (a port of Google's language-detection) samples n-grams at random,
so the same text can get different answers on different calls. Here every call
builds a fresh detector from the once-loaded profile factory with a fixed seed:
the answer for a text depends on that text only, never on earlier calls.

Two signals are offered:

* :func:`detect` — langdetect's ranked ``[(lang, prob)]`` (ISO 639-1 codes);
* :func:`common_share` — the share of a text's words that are common words
  (Zipf frequency ≥ 3, about once per million words) of a language. An English
  paragraph has nearly all its words common in English; a Dutch one only about a
  third (the shared or borrowed ones). It is cheap, so it also decides which
  paragraphs need langdetect at all.
"""
from __future__ import annotations

from qa.text.wordfreqs import has_wordlist as _wf_has, zipf as _wf_zipf

import re
import threading
from functools import lru_cache
from typing import Iterable, Protocol, Sequence

import regex


class _Span(Protocol):
    start: int
    text: str


class DocumentLike(Protocol):
    """What :func:`detect_document_language` reads of a document (the engine's
    ``Document``; text tools never import the engine)."""

    text: str

    @property
    def paragraphs(self) -> Sequence[_Span]: ...

    @property
    def protected_spans(self) -> Sequence[tuple[int, int]]: ...

    @property
    def known_name_spans(self) -> Iterable[tuple[int, int]]: ...

SEED = 0
COMMON_ZIPF = 3.0  # "a common word of L": at least once per million words of L

# langdetect's codes that are not ISO 639-1
_TO_ISO = {"zh-cn": "zh", "zh-tw": "zh"}
# ISO 639-1 -> wordfreq's code, where they differ (wordfreq: nb, fil, sh)
_WORDFREQ_CODE = {"no": "nb", "tl": "fil", "hr": "sh", "sr": "sh", "bs": "sh"}

# letters (stdlib re: ≈ 1.5× faster than the regex module on long texts)
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_HAS_LETTER = regex.compile(r"\p{L}")

_lock = threading.Lock()
_factory = None


def to_iso(code: str) -> str:
    return _TO_ISO.get(code, code)


def _get_factory():
    """langdetect's profile factory, loaded once (≈ 0.2–0.6 s) on first use."""
    global _factory
    if _factory is None:
        with _lock:
            if _factory is None:
                from langdetect import DetectorFactory
                from langdetect.detector_factory import init_factory
                from langdetect import detector_factory as df

                DetectorFactory.seed = SEED
                init_factory()
                f = df._factory
                f.set_seed(SEED)
                _factory = f
    return _factory


_RS = None


def _rust_backend():
    """langdetect-rs, a compiled drop-in with bit-identical results (about 30x
    faster here; tests/test_language.py checks that both agree), when installed."""
    global _RS
    if _RS is None:
        try:
            import langdetect_rs

            langdetect_rs.DetectorFactory.seed = SEED
            _RS = langdetect_rs
        except Exception:  # not installed on this platform: use langdetect
            _RS = False
    return _RS or None


def detect(text: str, backend: str = "auto") -> list[tuple[str, float]]:
    """langdetect's languages for ``text``, most probable first, as
    ``[(iso639_1, prob)]``; ``[]`` for text without letters.

    Deterministic: a fresh detector seeded with :data:`SEED` per call, so the
    result does not depend on what was detected before. ``backend``: "auto"
    (langdetect-rs when installed), "python" (langdetect) or "rust"."""
    if not text or not _HAS_LETTER.search(text):
        return []
    rs = _rust_backend() if backend in ("auto", "rust") else None
    if backend == "rust" and rs is None:
        raise RuntimeError("langdetect-rs is not installed")
    if rs is not None:
        try:
            rs.DetectorFactory.seed = SEED
            probs = rs.detect_langs(text)
        except rs.LangDetectException:
            return []
        return _collect(probs)
    factory = _get_factory()
    from langdetect.lang_detect_exception import LangDetectException

    try:
        det = factory.create()
        det.seed = SEED  # in case someone reset the factory's seed
        det.append(text)
        probs = det.get_probabilities()
    except LangDetectException:
        return []
    return _collect(probs)


def _collect(probs) -> list[tuple[str, float]]:
    out: dict[str, float] = {}
    for p in probs:
        iso = to_iso(p.lang)
        out[iso] = out.get(iso, 0.0) + p.prob
    return sorted(out.items(), key=lambda kv: (-kv[1], kv[0]))


@lru_cache(maxsize=200_000)
def zipf(word: str, lang: str) -> float:
    """wordfreq's Zipf frequency of ``word`` (or its lower-case form) in ``lang``;
    0.0 for a rare or unknown word or a language wordfreq does not cover."""
    return _wf_zipf(word, lang)


_TABLES: dict[str, dict[str, float]] = {}


def zipf_table(lang: str) -> dict[str, float]:
    """A plain dict cache of :func:`zipf` for ``lang`` (hot loops: ``t.get(w)``), bounded."""
    t = _TABLES.get(lang)
    if t is None or len(t) > 200_000:
        t = _TABLES[lang] = {}
    return t


def zipf_cached(word: str, lang: str, table: dict[str, float]) -> float:
    z = table.get(word)
    if z is None:
        z = table[word] = zipf(word, lang)
    return z


def has_wordlist(lang: str) -> bool:
    """Does wordfreq have a word list for ``lang``?"""
    return _wf_has(lang)


def common_share(words: Iterable[str], lang: str) -> float:
    """Share of ``words`` that are common words of ``lang`` (Zipf ≥ 3)."""
    words = list(words)
    if not words:
        return 0.0
    t = zipf_table(lang)
    return sum(1 for w in words if zipf_cached(w, lang, t) >= COMMON_ZIPF) / len(words)


def preference(words: Iterable[str], a: str, b: str, margin: float = 0.5) -> float:
    """Share of ``words`` clearly more frequent in ``a`` than in ``b`` (by ``margin``
    Zipf points). Head to head, this separates languages far better than
    :func:`common_share`, since wordfreq lists hold many foreign words (English
    ones especially): an English paragraph prefers English over Dutch for ≈ 90 % of
    its words and Dutch over English for none; a Dutch paragraph the reverse."""
    words = list(words)
    if not words:
        return 0.0
    return sum(1 for w in words if zipf(w, a) >= zipf(w, b) + margin) / len(words)


# --- the document's language ------------------------------------------------------
_CAPWORD_MID = regex.compile(r"(?<=[\p{L}\p{M},;:]\s+)\p{Lu}[\p{L}\p{M}'’-]*")
_DOC_MIN_WORDS = 12  # a paragraph shorter than this says little about the article
_DOC_MAX_PARAS = 12  # the longest paragraphs are enough


def mask(text: str, spans: Iterable[tuple[int, int]], offset: int = 0) -> str:
    """``text`` (starting at ``offset`` in the document) with ``spans`` blanked."""
    chars = list(text)
    n = len(chars)
    for s, e in spans:
        s, e = max(s - offset, 0), min(e - offset, n)
        for i in range(s, e):
            chars[i] = " "
    return "".join(chars)


def detect_document_language(doc: DocumentLike) -> str | None:
    """The language the article is written in (ISO 639-1), or None if unsure.

    Uses the longest paragraphs (at least 12 words) with URLs, already-known
    glossary names and mid-sentence capitalised words (names, mostly) blanked;
    each votes for its language, weighted by its length. The winner needs a
    probability ≥ 0.8 on average and at least 60 % of the weight."""
    spans = list(doc.protected_spans)
    known = doc.known_name_spans  # never trigger the name matcher from here:
    if known:  # it would cache matches made before the language is known
        spans += list(known)
    cands = []
    for p in doc.paragraphs:
        masked = mask(p.text, spans, p.start)
        masked = _CAPWORD_MID.sub(lambda m: " " * len(m.group()), masked)
        words = WORD.findall(masked)
        if len(words) >= _DOC_MIN_WORDS:
            cands.append((len(words), masked))
    if not cands:
        # a short text: all of it together, if there is enough
        masked = _CAPWORD_MID.sub(lambda m: " " * len(m.group()), mask(doc.text, spans))
        words = WORD.findall(masked)
        if len(words) < 6:
            return None
        cands = [(len(words), masked)]
    cands.sort(key=lambda c: -c[0])
    votes: dict[str, float] = {}
    probs: dict[str, list[float]] = {}
    total = 0.0
    for n, masked in cands[:_DOC_MAX_PARAS]:
        total += n
        res = detect(masked)
        if not res:
            continue
        lang, p = res[0]
        votes[lang] = votes.get(lang, 0.0) + n
        probs.setdefault(lang, []).append(p)
    if not votes or total == 0:
        return None
    lang = max(sorted(votes), key=lambda k: votes[k])
    mean_p = sum(probs[lang]) / len(probs[lang])
    if votes[lang] / total >= 0.6 and mean_p >= 0.8:
        return lang
    return None
