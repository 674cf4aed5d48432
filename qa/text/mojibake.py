"""Detect and repair mojibake: UTF-8 text that went through a wrong single-byte decode.

Pure logic (no rule registration here; see :mod:`qa.rules.encoding`).

For each supported code page we know which character stands for which byte.
A stretch of characters whose bytes form valid UTF-8 multi-byte sequences
(a lead byte C2–F4 followed by continuation bytes 80–BF) is a candidate; it
is decoded back and kept only when the result is made of plausible characters
that fit their neighbours. Lossy corruption (a continuation byte the code page
has no character for was dropped, or replaced by ``?``/U+FFFD, or a NBSP
became a space) is repaired by trying the bytes that could have been lost and
ranking the candidates by context. The code page is chosen per paragraph
(the one explaining most of it), and a paragraph is only repaired when the
explained mojibake outweighs the non-ASCII characters left unexplained, which
keeps genuine Thai, Cyrillic, Greek or accented Latin text untouched.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator

from ftfy.badness import is_bad

__all__ = ["Repair", "CODEPAGES", "find_mojibake", "find_controls", "repair_text", "C1_TO_CP1252"]


# --------------------------------------------------------------------------- code pages
@dataclass(frozen=True, slots=True)
class Codepage:
    name: str  # label reported in findings
    enc: dict[str, int]  # character -> byte (bytes >= 0x80 only)
    missing: frozenset[int]  # continuation bytes the code page cannot produce (lost when decoding)
    missing_alt: frozenset[int] | None  # cp874 without the cp1252 fallback
    fallback_chars: frozenset[str]  # cp874: characters that came from the cp1252 fallback
    strict_re: re.Pattern
    c1_is_latin1: bool = False  # C1 controls here mean "read as latin-1"
    sloppy_c1: frozenset[str] = frozenset()  # C1 controls standing for a byte the code page has a character for
    lead_re: re.Pattern | None = None  # any lead-byte character
    lossy_re: re.Pattern | None = None  # a lead followed by too few continuation characters
    pair_re: re.Pattern | None = None  # a lead followed by a continuation (or ? / U+FFFD): cheap gate


def _cls(chars: Iterable[str]) -> str:
    return "".join(re.escape(c) for c in sorted(set(chars)))


def _decode_byte(b: int, codec: str) -> str | None:
    try:
        return bytes([b]).decode(codec)
    except UnicodeDecodeError:
        return None


def _make(name: str, codec: str, fallback: str | None = None, c1: bool = False) -> Codepage:
    enc: dict[str, int] = {}
    undefined: set[int] = set()
    native_undefined: set[int] = set()
    fallback_chars: set[str] = set()
    for b in range(0x80, 0x100):
        ch = _decode_byte(b, codec)
        if ch is None:
            native_undefined.add(b)
            if fallback:
                ch = _decode_byte(b, fallback)
                if ch is not None:
                    fallback_chars.add(ch)
        if ch is None:
            undefined.add(b)
            if c1:
                enc.setdefault(chr(b), b)  # "sloppy" decoders keep the byte as a C1 control
            continue
        enc.setdefault(ch, b)
    if c1:  # the ISO sibling of a Windows code page: 80–9F read as C1 controls
        for b in range(0x80, 0xA0):
            enc.setdefault(chr(b), b)
    by_range: dict[str, list[str]] = {"2": [], "3": [], "4": [], "c": []}
    for ch, b in enc.items():
        if 0x80 <= b <= 0xBF:
            by_range["c"].append(ch)
        elif 0xC2 <= b <= 0xDF:
            by_range["2"].append(ch)
        elif 0xE0 <= b <= 0xEF:
            by_range["3"].append(ch)
        elif 0xF0 <= b <= 0xF4:
            by_range["4"].append(ch)
    c = _cls(by_range["c"])
    pat = (f"(?:[{_cls(by_range['2'])}][{c}]|[{_cls(by_range['3'])}][{c}]{{1,2}}"
           f"|[{_cls(by_range['4'])}][{c}]{{1,3}})+")
    miss = frozenset(b for b in undefined if b <= 0xBF)
    miss_alt = frozenset(b for b in native_undefined if b <= 0xBF) if fallback else None
    sloppy = frozenset(chr(b) for b in range(0x80, 0xA0) if b not in undefined) if c1 else frozenset()
    leads = _cls(by_range["2"] + by_range["3"] + by_range["4"])
    lossy = f"[{_cls(by_range['3'])}][{c}]|[{_cls(by_range['4'])}][{c}]{{1,2}}|[{leads}](?=[?\ufffd])"
    return Codepage(name, enc, miss, miss_alt, frozenset(fallback_chars), re.compile(pat),
                    c1_is_latin1=(codec == "cp1252"), sloppy_c1=sloppy,
                    lead_re=re.compile(f"[{leads}]"), lossy_re=re.compile(lossy),
                    pair_re=re.compile(f"[{leads}][{c}?\ufffd]"))


# Order = preference when two code pages explain a paragraph equally well.
CODEPAGES: tuple[Codepage, ...] = (
    _make("cp1252", "cp1252", c1=True),  # also latin-1 (C1 controls kept)
    _make("cp874", "cp874", fallback="cp1252", c1=True),  # Thai, falling back to cp1252 for bytes it lacks
    _make("mac_roman", "mac_roman"),
    _make("cp1251", "cp1251", c1=True),
    _make("cp1250", "cp1250", c1=True),
    _make("iso8859_2", "iso8859_2"),
    _make("koi8_r", "koi8_r"),
    _make("cp437", "cp437"),
    _make("cp1257", "cp1257", c1=True),
    _make("cp1253", "cp1253", c1=True),
)
_BY_NAME = {cp.name: cp for cp in CODEPAGES}

C1_TO_CP1252 = {chr(b): ch for b in range(0x80, 0xA0) if (ch := _decode_byte(b, "cp1252")) is not None}

# characters that are a UTF-8 lead byte in some code page, followed by one that is a continuation byte
_ALL_LEAD = set()
_ALL_CONT = set()
for _cp in CODEPAGES:
    for _ch, _b in _cp.enc.items():
        if 0xC2 <= _b <= 0xF4:
            _ALL_LEAD.add(_ch)
        elif _b <= 0xBF:
            _ALL_CONT.add(_ch)
_PREFILTER = re.compile(f"[{_cls(_ALL_LEAD)}][{_cls(_ALL_CONT)}?\ufffd]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_PARA_SPLIT = re.compile(r"(?:\r?\n|\r)[ \t]*(?:\r?\n|\r)")

# --------------------------------------------------------------------------- character plausibility
_LATIN_EXTRA = {0x0218, 0x0219, 0x021A, 0x021B, 0x01A0, 0x01A1, 0x01AF, 0x01B0}
_LATIN_BAD = {0x0138, 0x0149, 0x017F}
_ALLOWED_SYMBOLS = (
    (0x00A1, 0x00BF), (0x00D7, 0x00D7), (0x00F7, 0x00F7), (0x0192, 0x0192), (0x02C6, 0x02C7),
    (0x02D8, 0x02DD), (0x2010, 0x2027), (0x2030, 0x203E), (0x2044, 0x2044), (0x2070, 0x209F),
    (0x20A0, 0x20C0), (0x2100, 0x214F), (0x2150, 0x218F), (0x2190, 0x21FF), (0x2200, 0x22FF),
    (0x2300, 0x23FF), (0x2460, 0x24FF), (0x2500, 0x25FF), (0x2600, 0x27BF), (0x2B00, 0x2BFF),
    (0x3000, 0x303F), (0xFF01, 0xFF5E), (0x1F000, 0x1FAFF),
)
_INVISIBLE = {0x00A0, 0x00AD, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0xFE0F}

COMMON_LETTERS = (
    "éáíóúèàüöäçñãõâêôëïìòùûýåøæœßÿ"
    "ÉÁÍÓÚÈÀÜÖÄÇÑÃÕÂÊÔËÏÌÒÙÛÝÅØÆŒ"
    "čšžćřěůďťňłśźżńąęőűăîșțşţğıİāēīūėįųđľĺŕģķļņ"
    "ČŠŽĆŘĚŮĎŤŇŁŚŹŻŃĄĘŐŰĂÎȘȚŞŢĞĀĒĪŪĖĮŲĐĽĹŔĢĶĻŅ"
)
_LETTER_RANK = {c: i for i, c in enumerate(COMMON_LETTERS)}
COMMON_PUNCT = set("“”‘’–—…•€£¥©®°±×÷«»„‚™§¶½¼¾²³¹·¢¡¿‹›†‡‰′″№¤") | {"\ufffd"}
_PUNCT_RANK = {c: i for i, c in enumerate("”“’‘–—…•€™„‚«»‹›†‡‰′″")}
STANDALONE_OK = set("àèéáóòÀÉÈ")
_NORMAL_AFTER_LETTER = set("’‘“”™")
_QUOTES_OPEN = set("“‘„‚«‹")
_QUOTES_CLOSE = set("”’»›")


@lru_cache(maxsize=4096)
def char_class(c: str) -> str | None:
    """'latin' / 'cyrl' / 'grek' / 'other' (letters), 'punct', 'invisible' or None (implausible)."""
    o = ord(c)
    if o < 0x80:
        return "ascii"
    if o in _INVISIBLE:
        return "invisible"
    if o == 0xFFFD:
        return "punct"
    if (0x00C0 <= o <= 0x017F and o not in (0xD7, 0xF7) and o not in _LATIN_BAD) or o in _LATIN_EXTRA \
            or 0x1E00 <= o <= 0x1EFF:
        return "latin"
    if 0x0400 <= o <= 0x045F or o in (0x0490, 0x0491):
        return "cyrl"
    if 0x0386 <= o <= 0x03CE and unicodedata.category(c).startswith("L"):
        return "grek"
    if (0x05D0 <= o <= 0x05EA or 0x0621 <= o <= 0x064A or 0x0E01 <= o <= 0x0E4E) and \
            unicodedata.category(c) in ("Lo", "Mn"):
        return "other"
    for lo, hi in _ALLOWED_SYMBOLS:
        if lo <= o <= hi:
            return "punct" if not unicodedata.category(c).startswith(("C", "M")) else None
    return None


def _script(c: str) -> str | None:
    if not c.isalpha():
        return None
    if ord(c) < 0x80:
        return "latin"
    k = char_class(c)
    if k in ("latin", "cyrl", "grek", "other"):
        return k
    n = unicodedata.name(c, "")
    if n.startswith("LATIN"):
        return "latin"
    if n.startswith("CYRILLIC"):
        return "cyrl"
    if n.startswith("GREEK"):
        return "grek"
    return "other"


# --------------------------------------------------------------------------- results
@dataclass(slots=True)
class Repair:
    start: int
    end: int
    text: str  # the mojibake
    replacement: str | None  # None: no fix known (a symbol-font character without a visible equivalent)
    codepage: str
    alternatives: tuple[str, ...] = ()
    safe: bool = True
    lossy: bool = False
    how: str = ""  # "UTF-8 read as Windows-1252, a byte lost": the message's explanation


@dataclass(slots=True)
class _Piece:
    start: int
    end: int
    cands: list[str]  # ranked decodings; cands[0] is the choice
    weight: float
    lossy: bool
    safe: bool = True
    c1: bool = False
    needs_word: bool = False  # a lone lead kept on little evidence: its reading must form a known word
    twice: bool = False  # encoded twice (or more)
    evident: bool = False  # mojibake on its own ("â€", "โ€"): kept whatever the rest of the paragraph is


# A letter directly followed by one of these never occurs in genuine text, but "â€", "โ€" (a closing
# quote whose last byte was lost) do: such a run is reported on its own, however correct its neighbours
# look (the opening quote of the pair, accented or Thai text in the paragraph).
_EVIDENT_AFTER_LETTER = frozenset("€‚„†‡‰‹›")


# ... nor does a Thai, Cyrillic, Greek, Hebrew or Arabic letter directly followed by one of these ("รฉ")
_EVIDENT_AFTER_NON_LATIN = frozenset("©®±¤¦§¨ª¬¯´¶·¸º¼½¾¿µ") | _EVIDENT_AFTER_LETTER


def _evident(orig: str, left: str = "", right: str = "") -> bool:
    if len(orig) < 2 or not orig[0].isalpha() or any(c.isspace() for c in orig):
        return False
    if (left.isascii() and left.isalpha() or right.isascii() and right.isalpha()) and \
            (all(_script(c) not in (None, "latin") for c in orig if c.isalpha())
             or _script(orig[0]) not in (None, "latin")):
        # Thai or Cyrillic letters inside a Latin word ("cafรฉ", "mГ©dicament"), also where the byte
        # after the lead reads as a Latin letter ("StraรŸe": C3 9F through cp874's cp1252 fallback)
        return True
    if orig[1] in _EVIDENT_AFTER_LETTER:
        return True
    if orig[1] in _EVIDENT_AFTER_NON_LATIN and _script(orig[0]) != "latin":
        return True
    return is_bad(orig)  # ftfy's own judgement: "Ã©", "Ð¼", "à¸"


# --------------------------------------------------------------------------- decoding
def _utf8_len(b: int) -> int:
    if 0xC2 <= b <= 0xDF:
        return 1
    if 0xE0 <= b <= 0xEF:
        return 2
    if 0xF0 <= b <= 0xF4:
        return 3
    return -1


def _sequences(cp: Codepage, text: str, s: int, e: int) -> Iterator[tuple[int, int, str]]:
    """Valid complete UTF-8 sequences in text[s:e] (code page ``cp``): (start, end, decoded)."""
    enc = cp.enc
    i = s
    while i < e:
        b = enc.get(text[i])
        n = _utf8_len(b) if b is not None else -1
        if n > 0 and i + 1 + n <= e:
            bs = [b]
            for k in range(1, n + 1):
                bs.append(enc.get(text[i + k], 0))
            try:
                ch = bytes(bs).decode("utf-8")
            except UnicodeDecodeError:
                ch = None
            if ch is not None:
                yield i, i + 1 + n, ch
                i += 1 + n
                continue
        i += 1


def _redecode(cp: Codepage, s: str) -> str:
    """Undo repeated mojibake: decode again while the whole string is itself mojibake."""
    for _ in range(3):
        try:
            bs = bytes(cp.enc[c] if ord(c) >= 0x80 else ord(c) for c in s)
            t = bs.decode("utf-8")
        except (KeyError, UnicodeDecodeError, ValueError):
            return s
        if t == s or not _NON_ASCII.search(s):
            return s
        s = t
    return s


def _plausible(dec: str) -> bool:
    return all(char_class(c) is not None for c in dec) and not all(char_class(c) == "ascii" for c in dec)


def _strict_pieces(cp: Codepage, text: str) -> list[_Piece]:
    out: list[_Piece] = []
    for m in cp.strict_re.finditer(text):
        seqs = list(_sequences(cp, text, m.start(), m.end()))
        # group consecutive sequences
        groups: list[list[tuple[int, int, str]]] = []
        for sq in seqs:
            if groups and groups[-1][-1][1] == sq[0]:
                groups[-1].append(sq)
            else:
                groups.append([sq])
        for g in groups:
            whole = "".join(x[2] for x in g)
            dec = _redecode(cp, whole)
            if dec != whole and _plausible(dec):
                out.append(_piece_for(cp, text, g[0][0], g[-1][1], dec))
                out[-1].twice = True
                continue
            # single decodes, consecutive plausible ones
            for a, b, ch in g:
                if _plausible(ch):
                    out.append(_piece_for(cp, text, a, b, ch))
    return out


def _piece_for(cp: Codepage, text: str, a: int, b: int, dec: str) -> _Piece:
    orig = text[a:b]
    c1 = any(0x80 <= ord(c) <= 0x9F for c in orig)
    if len(orig) >= 3 or c1:
        w = 2.0
    elif orig[-1] in _NORMAL_AFTER_LETTER and (b >= len(text) or not text[b].isupper()):
        w = 0.0  # "Ã’s", "AHÅ™,": an apostrophe or a trade mark after a capital is normal text
    else:
        w = 1.0 if all(c in COMMON_LETTERS or c in COMMON_PUNCT or char_class(c) in ("cyrl", "grek")
                       for c in dec) else 0.0
    return _Piece(a, b, [dec], w, False, True, c1,
                  evident=_evident(orig, text[a - 1] if a else "", text[b] if b < len(text) else ""))


# --------------------------------------------------------------------------- lossy pieces
def _rank_key(c: str, left: str, right: str, open_double: bool) -> tuple:
    lw, rw = left.isalnum(), right.isalnum()
    if c.isalpha():
        fit = 0 if (lw or rw) else (0 if c in STANDALONE_OK else 2)
        if lw and rw and left.islower() and right.islower() and c.isupper():
            fit = 3
        return (fit, 1, _LETTER_RANK.get(c, 999))
    # punctuation
    if c in ("’",) and lw and rw:
        fit = 0
    elif c in _QUOTES_OPEN:
        fit = 0 if (not lw and rw or left in "([{ \t\n\u00a0" and not right.isspace()) else 2
        if c == "“" and not open_double:
            fit -= 0.5
    elif c in _QUOTES_CLOSE:
        fit = 0 if (not rw and (lw or left in ".,;:!?)…")) else 2
        if c == "”" and open_double:
            fit -= 0.5
        if c == "’" and lw and not rw and not open_double:
            fit -= 0.25
    elif c in "–—":
        fit = 0 if (left.isspace() and right.isspace()) or (left.isdigit() and right.isdigit()) else 1
    elif c in COMMON_PUNCT:
        fit = 1
    else:
        fit = 3
    return (fit, 0, _PUNCT_RANK.get(c, 99))


def _lossy_candidates(cp: Codepage, lead: int, conts: list[int], slot_choices: list[int],
                      positions: Iterable[int]) -> list[str]:
    out = []
    for pos in positions:
        for mb in slot_choices:
            bs = [lead] + conts[:pos] + [mb] + conts[pos:]
            try:
                ch = bytes(bs).decode("utf-8")
            except UnicodeDecodeError:
                continue
            k = char_class(ch)
            if k is None or k == "invisible":
                continue
            if k == "punct" and ch not in COMMON_PUNCT and ch != "\u2010":
                continue
            if k in ("latin",) and ch not in _LETTER_RANK:
                continue
            if k == "other":
                continue
            if ch not in out:
                out.append(ch)
    return out


def _lossy_pieces(cp: Codepage, text: str, covered: bytearray, missing: frozenset[int],
                  lead_only: bool) -> list[_Piece]:
    """Sequences missing one continuation byte (dropped, or replaced by ? / U+FFFD / a space)."""
    enc = cp.enc
    out: list[_Piece] = []
    n_text = len(text)
    slots = sorted(missing) or list(range(0x80, 0xC0))
    last = 0
    for m in (cp.lead_re if lead_only else cp.lossy_re).finditer(text):
        i = m.start()
        if i < last or covered[i]:
            continue
        c = text[i]
        b = enc.get(c)
        n = _utf8_len(b) if b is not None else -1
        if n <= 0:
            continue
        conts: list[int] = []
        j = i + 1
        while j < n_text and len(conts) < n and not covered[j]:
            cb = enc.get(text[j])
            if cb is None or not 0x80 <= cb <= 0xBF:
                break
            conts.append(cb)
            j += 1
        k = len(conts)
        if k != n - 1 or (k == 0 and not lead_only):
            continue
        nxt = text[j] if j < n_text else ""
        end = j
        if nxt in ("?", "\ufffd") and (k >= 1 or nxt == "\ufffd"):
            if not missing:  # this code page has a character for every byte: nothing was lost
                i += 1
                continue
            cands = _lossy_candidates(cp, b, conts, slots, [k])
            end = j + 1
        else:
            choices = list(slots)
            if k == 0 and nxt.isspace() and 0xA0 not in choices:
                choices.append(0xA0)  # the NBSP of à (C3 A0) became a plain space
            cands = _lossy_candidates(cp, b, conts, choices, range(k + 1))
        if not cands:
            continue
        out.append(_Piece(i, end, cands, 1.0 if k >= 1 else 0.0, True, evident=_evident(text[i:end], text[i - 1] if i else "",
                                                                       text[end] if end < n_text else "")))
        last = end
    return out


# --------------------------------------------------------------------------- paragraph analysis
@dataclass(slots=True)
class _Run:
    start: int
    end: int
    pieces: list[_Piece]
    weight: float = 0.0


def _merge(pieces: list[_Piece]) -> list[_Run]:
    runs: list[_Run] = []
    for p in sorted(pieces, key=lambda p: p.start):
        if runs and runs[-1].end == p.start:
            runs[-1].pieces.append(p)
            runs[-1].end = p.end
        else:
            runs.append(_Run(p.start, p.end, [p]))
    for r in runs:
        r.weight = sum(p.weight for p in r.pieces)
    return runs


def _context_ok(text: str, run: _Run, dec: str) -> bool:
    left = text[run.start - 1] if run.start > 0 else " "
    right = text[run.end] if run.end < len(text) else " "
    for nb in (left, right):
        if ord(nb) >= 0x80 and nb.isalpha():
            return False  # an unexplained non-ASCII letter next to it
    scripts = {s for c in dec if (s := _script(c))}
    if len(scripts) > 1:
        return False
    letters = [c for c in dec if c.isalpha()]
    if scripts:
        sc = next(iter(scripts))
        for nb in (left, right):
            if nb.isalpha() and sc != "latin":
                return False
        if sc == "latin" and len(letters) == 1 and not left.isalpha() and not right.isalpha() \
                and letters[0] not in STANDALONE_OK:
            return False
        if sc == "other" and len(letters) < 2:
            return False
        if len(letters) == 1 and len(dec) == 1:
            c = letters[0]
            left2 = text[max(0, run.start - 2):run.start]
            if c.islower() and len(left2) == 2 and left2.isupper() and left2.isalpha():
                return False  # "AHÅ™" → "AHř", "NICIODATĂ\xa0" → "NICIODATà"
            if c.isupper() and left.islower() and right.islower():
                return False
    else:
        # punctuation only: a two-character run needs a word next to it or other evidence
        if run.weight < 2 and not (left.isalnum() or right.isalnum()):
            run.weight = min(run.weight, 0.0) if len(run.pieces) == 1 else run.weight
    return True


def _word_at(text: str, i: int) -> int:
    """Where the whitespace-delimited word holding ``text[i]`` starts."""
    while i > 0 and not text[i - 1].isspace():  # words are short: never a scan to the text's start
        i -= 1
    return i


def _analyse(cp: Codepage, text: str, use_alt_missing: bool,
             nonascii: list[int] | None = None) -> tuple[float, list[_Run]]:
    if not cp.pair_re.search(text):
        return 0.0, []
    if nonascii is None:
        nonascii = [m.start() for m in _NON_ASCII.finditer(text)]
    strict = _strict_pieces(cp, text)
    covered = bytearray(len(text))
    for p in strict:
        covered[p.start:p.end] = b"\x01" * (p.end - p.start)
    missing = cp.missing_alt if (use_alt_missing and cp.missing_alt is not None) else cp.missing
    lossy = _lossy_pieces(cp, text, covered, missing, lead_only=False)
    if not strict and not lossy:
        return 0.0, []
    pieces = strict + lossy
    for p in lossy:
        covered[p.start:p.end] = b"\x01" * (p.end - p.start)
    # cheap bound: context checks only lower the score and raise the unexplained count
    weight = sum(p.weight for p in pieces)
    left = sum(1 for i in nonascii if not covered[i])
    evident = any(p.evident for p in pieces)
    if evident:  # the other pieces of a word with evident mojibake are mojibake too ("Ã…ngstrÃ¶m")
        words = {_word_at(text, p.start) for p in pieces if p.evident}
        for p in pieces:
            if not p.evident and _word_at(text, p.start) in words:
                p.evident = True
    if not evident and (weight <= 0 or (weight <= left and not (weight >= 2 and weight >= left))):
        if weight <= 0 or left > len(cp.lead_re.findall(text)):
            return 0.0, []
    # lone lead characters: only in a paragraph that is otherwise fully explained
    leads = _lossy_pieces(cp, text, covered, missing, lead_only=True) if weight >= 1 and left else []
    leads = [p for p in leads if p.end - p.start == 1 or text[p.start + 1:p.end] in ("?", "\ufffd")]
    if weight < 2 and not evident:  # one weak run only: a lone lead must sit inside a word whose reading is a known word
        leads = [p for p in leads if p.start > 0 and text[p.start - 1].isalpha() and p.end < len(text)
                 and text[p.end].isalpha()]
        for p in leads:
            p.needs_word = True
    if leads:
        lead_cov = bytearray(covered)
        for p in leads:
            lead_cov[p.start:p.end] = b"\x01" * (p.end - p.start)
        if not any(not lead_cov[i] for i in nonascii):
            pieces += leads
            covered = lead_cov
        else:
            # otherwise a lone lead glued to a read run of the same word ("ÅÃ³dÅº": Ł lost its 81)
            # is read whatever the rest of the paragraph is
            edges = {q.start for q in pieces if q.weight > 0} | {q.end for q in pieces if q.weight > 0}
            glued = [p for p in leads if p.end in edges or p.start in edges]
            for p in glued:
                covered[p.start:p.end] = b"\x01" * (p.end - p.start)
            pieces += glued
    runs = _merge(pieces)
    kept: list[_Run] = []
    open_double, pos, prev_word = False, 0, ""

    def right_of(k: int) -> str:
        # the text after run k up to the end of its word, with the following runs decoded roughly
        out, at = [], runs[k].end
        for j in range(k + 1, len(runs)):  # no copy of the rest: many runs in a long paragraph
            r2 = runs[j]
            seg = text[at:r2.start]
            m = _WORD_START.match(seg)
            out.append(m.group())
            if m.end() < len(seg):
                return "".join(out)
            out.append("".join(q.cands[0] for q in r2.pieces))
            at = r2.end
        out.append(_WORD_START.match(text, at).group())
        return "".join(out)

    for k, r in enumerate(runs):
        seg = text[pos:r.start]
        open_double = _quote_state(open_double, seg)
        left_word = _WORD_END.search(prev_word + seg if not seg or seg[0].isalnum() or seg[0] == "_" else seg).group()
        _rank_run(text, r, open_double, left_word, right_of(k) if any(q.lossy for q in r.pieces) else "")
        if any(not q.cands for q in r.pieces):
            continue
        dec = "".join(p.cands[0] for p in r.pieces)
        open_double, pos = _quote_state(open_double, dec), r.end
        prev_word = _WORD_END.search(left_word + dec).group()
        if _context_ok(text, r, dec):
            kept.append(r)
    cov = bytearray(len(text))
    for r in kept:
        cov[r.start:r.end] = b"\x01" * (r.end - r.start)
    unexplained = sum(1 for i in nonascii if not cov[i])
    score = sum(r.weight for r in kept)
    if score <= 0 or (score <= unexplained and not (score >= 2 and score >= unexplained)):
        kept = [r for r in kept if any(p.evident for p in r.pieces)]
        if not kept:
            return 0.0, []
        score = 0.5 * len(kept)
    # ties between code pages: prefer the one that needs no C1 control for a byte it has a character for
    sloppy = sum(1 for r in kept for c in text[r.start:r.end] if 0x80 <= ord(c) <= 0x9F and c in cp.sloppy_c1)
    return score - 0.01 * sloppy, kept


_LETTER_LANGS = {}
for _langs, _letters in (
    (("fr",), "éèàùâêîôûëïüçœÉÈÀÙÂÊÎÔÛËÏÜÇŒ"), (("de",), "äöüßÄÖÜ"), (("es",), "áéíóúñüÁÉÍÓÚÑ"),
    (("pt",), "áàâãéêíóôõúçÁÀÂÃÉÊÍÓÔÕÚÇ"), (("it",), "àèéìòùÀÈÉÌÒÙ"), (("nl",), "éëïöÉËÏÖ"),
    (("pl",), "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"), (("cs", "sk"), "áčďéěíňóřšťúůýžÁČĎÉĚÍŇÓŘŠŤÚŮÝŽäľĺôŕÄĽĹÔŔ"),
    (("sh", "sl"), "čćđšžČĆĐŠŽ"), (("ro",), "ăâîșțşţĂÂÎȘȚŞŢ"), (("hu",), "áéíóöőúüűÁÉÍÓÖŐÚÜŰ"),
    (("tr",), "çğıöşüÇĞİÖŞÜ"), (("lv", "lt"), "āčēģīķļņšūžąęėįųĀČĒĢĪĶĻŅŠŪŽĄĘĖĮŲ"),
    (("sv", "da", "nb", "fi"), "åäöæøÅÄÖÆØ"),
):
    for _c in _letters:
        _LETTER_LANGS.setdefault(_c, set()).update(_langs)
_CYRL_LANGS = ("ru", "uk", "bg")


@lru_cache(maxsize=4096)
def _word_score(word: str, letter: str) -> float:
    """How common ``word`` (containing the candidate ``letter``) is in a language that uses that letter."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - wordfreq is a dependency
        return 0.0
    sc = _script(letter)
    if sc == "cyrl":
        langs: Iterable[str] = _CYRL_LANGS if letter not in "іїєґІЇЄҐ" else ("uk",)
    elif sc == "latin":
        langs = sorted(_LETTER_LANGS.get(letter, ())) + ["en"]
    else:
        return 0.0
    w = word.lower()
    return max(zipf_frequency(w, lang) for lang in langs)


_WORD_END = re.compile(r"\w*\Z")
_WORD_START = re.compile(r"\w*")


def _rank_run(text: str, run: _Run, open_double: bool, left_word: str = "", right_text: str = "") -> None:
    """Order each lossy piece's candidates by how well they fit their context; mark ambiguous ones unsafe."""
    if not any(p.lossy for p in run.pieces):
        return
    left_ctx = text[run.start - 1] if run.start > 0 else " "
    right_ctx = text[run.end] if run.end < len(text) else " "
    for idx, p in enumerate(run.pieces):
        if not p.lossy:
            continue
        left = run.pieces[idx - 1].cands[0][-1:] if idx > 0 else left_ctx
        right = run.pieces[idx + 1].cands[0][:1] if idx + 1 < len(run.pieces) else right_ctx
        keys = {c: _rank_key(c, left, right, open_double) for c in p.cands}
        letters = [c for c in p.cands if c.isalpha() and keys[c][0] <= 1]
        freq: dict[str, float] = {}
        if len(letters) > 1 and (left.isalpha() or right.isalpha()):
            before = left_word + "".join(q.cands[0] for q in run.pieces[:idx])
            after = "".join(q.cands[0] for q in run.pieces[idx + 1:]) + right_text
            lw = _WORD_END.search(before).group()
            rw = _WORD_START.match(after).group()
            for c in letters:
                freq[c] = _word_score(lw + c + rw, c)
        p.cands.sort(key=lambda c: (keys[c][0], -freq.get(c, 0.0), keys[c][1:]))
        if p.needs_word and (not freq or max(freq.values()) <= 0):
            p.cands.clear()
            return
        fits = [c for c in p.cands if keys[c][0] <= 1]
        if freq:
            best = max(freq.values())
            others = [v for c, v in freq.items() if c != p.cands[0]]
            p.safe = best >= 2.5 and all(v == 0 for v in others) and len(fits) == len(letters)
        else:
            p.safe = len(fits) <= 1


def _quote_state(open_double: bool, segment: str) -> bool:
    for c in segment:
        if c == "“":
            open_double = True
        elif c == "”":
            open_double = False
        elif c == '"':
            open_double = not open_double
    return open_double


def _finalise(cp: Codepage, text: str, run: _Run, offset: int, label: str) -> Repair:
    """The replacement of a run and, when a lost byte leaves several readings, the alternatives."""
    parts = [p.cands for p in run.pieces]
    safe = all(p.safe for p in run.pieces)
    main = "".join(ps[0] for ps in parts)
    alts: list[str] = []
    if not safe:
        for i, ps in enumerate(parts):
            for alt in ps[1:4]:
                cand = "".join(parts[j][0] if j != i else alt for j in range(len(parts)))
                if cand != main and cand not in alts:
                    alts.append(cand)
    lossy = any(p.lossy for p in run.pieces)
    return Repair(offset + run.start, offset + run.end, text[run.start:run.end], main, label,
                  tuple(alts), safe, lossy, "twice" if any(p.twice for p in run.pieces) else "")


def _paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for m in _PARA_SPLIT.finditer(text):
        yield pos, m.start()
        pos = m.end()
    yield pos, len(text)


def find_mojibake(text: str, paragraphs: Iterable[tuple[int, int]] | None = None,
                  codepages: Iterable[Codepage] = CODEPAGES) -> list[Repair]:
    """Every repairable mojibake run in ``text`` (code-point offsets), in order."""
    cps = tuple(codepages)
    hits = [m.start() for m in _PREFILTER.finditer(text)]
    if not hits:
        return []
    spans = list(paragraphs) if paragraphs is not None else list(_paragraph_spans(text))
    # cp874 with the cp1252 fallback, unless the document shows no sign of that fallback
    cp874 = _BY_NAME.get("cp874")
    fb = cp874.fallback_chars if cp874 else frozenset()
    import bisect

    results: list[Repair] = []
    chosen: list[tuple[int, int, Codepage, list[_Run], bool]] = []
    uses_fallback = False
    starts = [s for s, _ in spans]
    todo = sorted({bisect.bisect_right(starts, h) - 1 for h in hits})
    for k in todo:
        if k < 0:
            continue
        s, e = spans[k]
        ptext = text[s:e]
        best: tuple[float, int, Codepage, list[_Run]] | None = None
        gated = [cp for cp in cps if cp.pair_re.search(ptext)]
        nonascii = [m.start() for m in _NON_ASCII.finditer(ptext)] if gated else []
        tried = []
        for rank, cp in enumerate(gated):
            score, runs = _analyse(cp, ptext, False, nonascii)
            if runs:
                tried.append((cp, runs))
            if runs and (best is None or score > best[0]):
                best = (score, rank, cp, runs)
        if best is None:
            continue
        cp, runs = best[2], best[3]
        if cp.name == "cp874" and any(c in fb for r in runs for c in ptext[r.start:r.end]):
            uses_fallback = True
        chosen.append((s, e, cp, runs, True))
        # evident runs of other code pages (a line of Thai-page mojibake in a cp1252 paragraph)
        if len(tried) > 1:
            taken = bytearray(len(ptext))
            for r in runs:
                taken[r.start:r.end] = b"\x01" * (r.end - r.start)
            for cp2, runs2 in tried:
                if cp2 is cp:
                    continue
                extra = [r for r in runs2 if any(p.evident for p in r.pieces) and not any(taken[r.start:r.end])]
                for r in extra:
                    taken[r.start:r.end] = b"\x01" * (r.end - r.start)
                if extra:
                    chosen.append((s, e, cp2, extra, False))
    for s, e, cp, runs, primary in chosen:
        ptext = text[s:e]
        if cp.name == "cp874" and not uses_fallback and primary:
            _, runs2 = _analyse(cp, ptext, use_alt_missing=True)
            runs = runs2 or runs
        label = cp.name
        if cp.c1_is_latin1:
            latin1 = any(0x80 <= ord(c) <= 0x9F and c in C1_TO_CP1252 for r in runs for c in ptext[r.start:r.end])
            label = "latin-1" if latin1 else "cp1252"
        for r in runs:
            results.append(_finalise(cp, ptext, r, s, label))
    results.sort(key=lambda r: r.start)
    return results


def find_controls(text: str, skip: Iterable[tuple[int, int]] = ()) -> list[tuple[int, str, str | None]]:
    """C1 control characters and U+FFFD outside ``skip`` spans: (offset, char, cp1252 reading or None)."""
    out = []
    spans = sorted(skip)
    import bisect

    starts = [s for s, _ in spans]
    for m in re.finditer("[\x80-\x9f\ufffd]", text):
        i = m.start()
        k = bisect.bisect_right(starts, i) - 1
        if k >= 0 and spans[k][0] <= i < spans[k][1]:
            continue
        c = m.group()
        out.append((i, c, C1_TO_CP1252.get(c)))
    return out


def repair_text(text: str, unsafe: bool = True) -> str:
    """``text`` with every repair applied (a convenience for tests and scripts)."""
    out, pos = [], 0
    for r in find_mojibake(text):
        if not r.safe and not unsafe:
            continue
        out.append(text[pos:r.start])
        out.append(r.replacement)
        pos = r.end
    out.append(text[pos:])
    return "".join(out)
