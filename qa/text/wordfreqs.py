"""Word frequencies (wordfreq), loaded once per language and looked up directly.

Every threshold copydesk uses is at Zipf 3 or above ("a common word"), so the
``small`` word lists (words at least once per million) are enough: they load
several times faster and take a fraction of the memory of the ``large`` ones.

Building wordfreq's dict for a language costs 0.05–0.15 s per list, more than
the rest of a one-file check. So each list is also kept in the copydesk cache
directory as two flat arrays (sorted 64-bit word hashes and their frequencies)
that load in a millisecond and are searched with ``bisect``; wordfreq's own
dict is built only to write that file, or for :meth:`FreqTable.items`. A hash
collision (≈ 1e-12 per look-up) could at worst give a word another's frequency.
"""
from __future__ import annotations

import hashlib
import math
import os
import threading
import zlib
from array import array
from bisect import bisect_left

WORDLIST = "small"
_CODES = {"no": "nb", "tl": "fil", "hr": "sh", "sr": "sh", "bs": "sh"}
_DICTS: dict[tuple[str, str], "FreqTable"] = {}
_LOCK = threading.Lock()


def wordfreq_code(lang: str) -> str:
    return _CODES.get(lang, lang)


def _hash(word: str) -> int:
    b = word.encode("utf-8")
    return (zlib.crc32(b) << 32) | zlib.adler32(b[::-1])


class FreqTable:
    """``word -> frequency`` for one word list, read-only: ``get``, ``in``, ``bool``,
    ``len`` and (building wordfreq's dict on first use) ``items``."""

    __slots__ = ("lang", "wordlist", "_dict", "_hashes", "_values", "_memo")

    def __init__(self, lang: str, wordlist: str, d: dict[str, float] | None = None,
                 hashes=None, values=None):  # arrays or memoryviews of a mapped file
        self.lang, self.wordlist, self._dict = lang, wordlist, d
        self._hashes, self._values = hashes, values
        self._memo: dict[str, float | None] = {}

    def get(self, word: str, default=None):
        if self._dict is not None:
            return self._dict.get(word, default)
        memo = self._memo
        if word in memo:
            f = memo[word]
        else:
            h = _hash(word)
            hs = self._hashes
            i = bisect_left(hs, h)
            f = self._values[i] if i < len(hs) and hs[i] == h else None
            if len(memo) > 500_000:
                memo.clear()
            memo[word] = f
        return default if f is None else f

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def __len__(self) -> int:
        return len(self._dict) if self._dict is not None else len(self._hashes)

    def __bool__(self) -> bool:
        return len(self) > 0

    def items(self):
        if self._dict is None:
            self._dict = _wordfreq_dict(self.lang, self.wordlist)
        return self._dict.items()


def map_file(path) -> memoryview:
    """A cache file mapped read-only (pages are read on use and shared, not copied)."""
    import mmap

    with open(path, "rb") as fh:
        if os.fstat(fh.fileno()).st_size == 0:
            raise ValueError("empty")
        mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    return memoryview(mm)


def _wordfreq_dict(lang: str, wordlist: str) -> dict[str, float]:
    try:
        from wordfreq import available_languages, get_frequency_dict

        code = wordfreq_code(lang)
        return get_frequency_dict(code, wordlist=wordlist) if code in available_languages(wordlist) else {}
    except Exception:
        return {}


_FORMAT = 1


def _table_path(lang: str, wordlist: str):
    try:
        from importlib.metadata import version

        wf = version("wordfreq")
    except Exception:
        wf = "?"
    from qa.text.cache import cache_dir

    key = hashlib.sha256(f"{_FORMAT} {wf} {lang} {wordlist}".encode()).hexdigest()[:16]
    return cache_dir() / f"wordfreq-{lang}-{wordlist}-{key}.bin"


def _load_table(lang: str, wordlist: str) -> FreqTable:
    use_cache = os.environ.get("COPYDESK_NO_CACHE", "") in ("", "0")
    path = _table_path(lang, wordlist) if use_cache else None
    if path is not None:
        try:
            data = map_file(path)
            n = int.from_bytes(data[:8], "little")
            if len(data) == 8 + 16 * n:
                return FreqTable(lang, wordlist, hashes=data[8:8 + 8 * n].cast("Q"),
                                 values=data[8 + 8 * n:8 + 16 * n].cast("d"))
        except (OSError, ValueError, TypeError):
            pass
    d = _wordfreq_dict(lang, wordlist)
    if path is not None:
        try:
            best: dict[int, float] = {}
            for w, f in d.items():
                h = _hash(w)
                if f > best.get(h, 0.0):
                    best[h] = f
            keys = sorted(best)
            from qa.text.cache import write_cache_file

            write_cache_file(path, len(keys).to_bytes(8, "little") + array("Q", keys).tobytes()
                               + array("d", [best[k] for k in keys]).tobytes())
        except Exception:  # a cache is an optimisation
            pass
    return FreqTable(lang, wordlist, d=d)


def freq_dict(lang: str, wordlist: str = WORDLIST) -> FreqTable:
    """wordfreq's ``word -> frequency`` for ``lang`` (empty for a language it lacks).
    ``wordlist="best"`` (the large list) also knows rare words: the name rules
    use it, for the target language only, to tell a typo from a rare word."""
    d = _DICTS.get((lang, wordlist))
    if d is None:
        with _LOCK:
            d = _DICTS.get((lang, wordlist))
            if d is None:
                d = _DICTS[(lang, wordlist)] = _load_table(lang, wordlist)
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
