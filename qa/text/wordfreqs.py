"""Word frequencies (wordfreq), loaded once per language and looked up directly.

Every threshold copydesk uses is at Zipf 3 or above ("a common word"), so the
``small`` word lists (words at least once per million) are enough: they load
several times faster and take a fraction of the memory of the ``large`` ones.
"""
from __future__ import annotations

import math
import threading

WORDLIST = "small"
_CODES = {"no": "nb", "tl": "fil", "hr": "sh", "sr": "sh", "bs": "sh"}
_DICTS: dict[tuple[str, str], dict[str, float]] = {}
_LOCK = threading.Lock()


def wordfreq_code(lang: str) -> str:
    return _CODES.get(lang, lang)


def freq_dict(lang: str, wordlist: str = WORDLIST) -> dict[str, float]:
    """wordfreq's ``word -> frequency`` for ``lang`` ({} for a language it lacks).
    ``wordlist="best"`` (the large list) also knows rare words: the name rules
    use it, for the target language only, to tell a typo from a rare word."""
    d = _DICTS.get((lang, wordlist))
    if d is None:
        with _LOCK:
            d = _DICTS.get((lang, wordlist))
            if d is None:
                try:
                    from wordfreq import available_languages, get_frequency_dict

                    code = wordfreq_code(lang)
                    d = get_frequency_dict(code, wordlist=wordlist) if code in available_languages(wordlist) else {}
                except Exception:
                    d = {}
                _DICTS[(lang, wordlist)] = d
    return d


def zipf(word: str, lang: str, wordlist: str = WORDLIST) -> float:
    """Zipf frequency of ``word`` (case-insensitive) in ``lang``; 0.0 when rare or unknown."""
    d = freq_dict(lang, wordlist)
    f = d.get(word)
    if f is None:
        f = d.get(word.casefold())
    return math.log10(f) + 9 if f else 0.0


def has_wordlist(lang: str) -> bool:
    return bool(freq_dict(lang))
