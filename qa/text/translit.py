"""How each language's press spells Cyrillic names, computed from the native form.

Tables are data: for each press language a map from a Cyrillic letter to its
spellings (first = usual), with context rules for the iotated vowels (at the
start of a word, after a vowel or a soft/hard sign), Ukrainian and Belarusian
letters, and a few conventions no letter table yields (French ``-ine`` for
``-ин``: Poutine). ``variants()`` expands the alternatives into a bounded set.
See field-notes and docs/names.md for sources.
"""
from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

PRESS_LANGS = ("en", "nl", "de", "fr", "pl", "cs", "sv", "es", "it", "pt", "ro", "hu", "tr", "fi")
CYRILLIC_SOURCES = ("ru", "uk", "be", "bg", "kk", "sr", "mk", "ky", "tg", "mn")

VOWELS = set("аеёиоуыэюяіїєў")
IOTATED = set("еёюяєї")
SIGNS = set("ьъʼ'’")

# Letters spelled alike everywhere (unless a table overrides them).
_COMMON = {
    "а": ["a"], "б": ["b"], "в": ["v"], "г": ["g"], "д": ["d"], "з": ["z"], "к": ["k"],
    "л": ["l"], "м": ["m"], "н": ["n"], "о": ["o"], "п": ["p"], "р": ["r"], "с": ["s"],
    "т": ["t"], "ф": ["f"], "ы": ["y"], "э": ["e"], "ь": [""], "ъ": [""], "ʼ": [""], "'": [""], "’": [""],
    "ґ": ["g"], "і": ["i"],
    # Kazakh and other Cyrillic alphabets
    "ә": ["a", "ä"], "ғ": ["g", "gh"], "қ": ["k", "q"], "ң": ["n", "ng"], "ө": ["o", "ö"],
    "ұ": ["u"], "ү": ["u", "ü"], "һ": ["h"], "ђ": ["đ", "dj"], "ј": ["j"], "љ": ["lj"], "њ": ["nj"],
    "ћ": ["ć"], "џ": ["dž"], "ѓ": ["gj"], "ќ": ["kj"], "ѕ": ["dz"],
}

# Per press language: plain letters, and iotated vowels in two contexts:
# "i" = word start / after vowel / after sign; "c" = after a consonant.
TABLES: dict[str, dict[str, list[str]]] = {
    "en": {
        "ж": ["zh"], "х": ["kh", "h"], "ц": ["ts"], "ч": ["ch"], "ш": ["sh"], "щ": ["shch"],
        "й": ["y", "i", ""], "у": ["u"], "и": ["i"], "ы": ["y"], "ь": ["", "'"], "ў": ["w", "u"],
        "е:i": ["ye", "e"], "е:c": ["e"], "ё:i": ["yo"], "ё:c": ["yo", "e", "io"],
        "ю:i": ["yu"], "ю:c": ["yu", "iu"], "я:i": ["ya"], "я:c": ["ya", "ia"],
        "є:i": ["ye"], "є:c": ["ie", "ye"], "ї:i": ["yi"], "ї:c": ["i", "yi"],
    },
    "nl": {
        "ж": ["zj"], "х": ["ch"], "ц": ["ts"], "ч": ["tsj"], "ш": ["sj"], "щ": ["sjtsj"],
        "й": ["j", "i"], "у": ["oe"], "и": ["i"], "ы": ["y", "i"], "ў": ["w"], "в": ["v", "w"],
        "е:i": ["je", "e"], "е:c": ["e"], "ё:i": ["jo"], "ё:c": ["jo", "o"],
        "ю:i": ["joe"], "ю:c": ["joe", "ioe"], "я:i": ["ja"], "я:c": ["ja", "ia"],
        "є:i": ["je"], "є:c": ["je"], "ї:i": ["ji"], "ї:c": ["i", "ji"],
    },
    "de": {
        "ж": ["sch", "sh"], "х": ["ch"], "ц": ["z"], "ч": ["tsch"], "ш": ["sch"], "щ": ["schtsch"],
        "й": ["j", "i"], "у": ["u"], "и": ["i"], "ы": ["y"], "в": ["w"], "з": ["s"], "ў": ["w"],
        "е:i": ["je", "e"], "е:c": ["e"], "ё:i": ["jo"], "ё:c": ["jo", "o"],
        "ю:i": ["ju"], "ю:c": ["ju"], "я:i": ["ja"], "я:c": ["ja"],
        "є:i": ["je"], "є:c": ["je"], "ї:i": ["ji"], "ї:c": ["i", "ji"],
    },
    "fr": {
        "ж": ["j"], "х": ["kh"], "ц": ["ts"], "ч": ["tch"], "ш": ["ch"], "щ": ["chtch"],
        "й": ["ï", "i", "y"], "у": ["ou"], "и": ["i"], "ы": ["y", "i"], "ў": ["ou"],
        "е:i": ["ie", "e"], "е:c": ["e", "ie"], "ё:i": ["io"], "ё:c": ["io", "e"],
        "ю:i": ["iou"], "ю:c": ["iou"], "я:i": ["ia"], "я:c": ["ia"],
        "є:i": ["ie"], "є:c": ["ie"], "ї:i": ["ï"], "ї:c": ["ï", "i"],
    },
    "pl": {
        "ж": ["ż"], "х": ["ch"], "ц": ["c"], "ч": ["cz"], "ш": ["sz"], "щ": ["szcz"],
        "й": ["j"], "у": ["u"], "и": ["i", "y"], "ы": ["y"], "в": ["w"], "л": ["ł", "l"], "ў": ["ł", "w"],
        "е:i": ["je"], "е:c": ["e", "ie"], "ё:i": ["jo"], "ё:c": ["io", "jo", "o"],
        "ю:i": ["ju"], "ю:c": ["iu", "ju"], "я:i": ["ja"], "я:c": ["ia", "ja"],
        "є:i": ["je"], "є:c": ["ie", "je"], "ї:i": ["ji"], "ї:c": ["i", "ji"],
    },
    "cs": {
        "ж": ["ž"], "х": ["ch"], "ц": ["c"], "ч": ["č"], "ш": ["š"], "щ": ["šč"],
        "й": ["j"], "у": ["u"], "и": ["i"], "ы": ["y"], "ў": ["u", "w"],
        "е:i": ["je", "e"], "е:c": ["e"], "ё:i": ["jo"], "ё:c": ["jo", "o"],
        "ю:i": ["ju"], "ю:c": ["ju"], "я:i": ["ja"], "я:c": ["ja"],
        "є:i": ["je"], "є:c": ["je"], "ї:i": ["ji"], "ї:c": ["ji", "i"],
    },
    "sv": {
        "ж": ["zj"], "х": ["ch", "k"], "ц": ["ts"], "ч": ["tj", "tsj"], "ш": ["sj"], "щ": ["sjtj", "sjtsj"],
        "й": ["j"], "у": ["u"], "и": ["i"], "ы": ["y"], "ў": ["w", "u"],
        "е:i": ["je", "e"], "е:c": ["e"], "ё:i": ["jo"], "ё:c": ["jo", "o"],
        "ю:i": ["ju"], "ю:c": ["ju"], "я:i": ["ja"], "я:c": ["ja"],
        "є:i": ["je"], "є:c": ["je"], "ї:i": ["ji"], "ї:c": ["ji", "i"],
    },
    "es": {
        "ж": ["zh", "y"], "х": ["j"], "ц": ["ts"], "ч": ["ch"], "ш": ["sh"], "щ": ["shch"],
        "й": ["i", "y"], "у": ["u"], "и": ["i"], "ы": ["y", "i"], "ў": ["w", "u"],
        "е:i": ["ie", "e", "ye"], "е:c": ["e"], "ё:i": ["io", "yo"], "ё:c": ["io", "yo"],
        "ю:i": ["iu", "yu"], "ю:c": ["iu"], "я:i": ["ia", "ya"], "я:c": ["ia"],
        "є:i": ["ie", "ye"], "є:c": ["ie"], "ї:i": ["yi", "i"], "ї:c": ["i"],
    },
    "it": {
        "ж": ["zh", "j"], "х": ["ch", "kh"], "ц": ["ts", "z"], "ч": ["c", "ch"], "ш": ["sh", "sc"], "щ": ["shch", "sc"],
        "й": ["j", "i"], "у": ["u"], "и": ["i"], "ы": ["y", "i"], "ў": ["w", "u"],
        "е:i": ["e", "je"], "е:c": ["e"], "ё:i": ["jo", "io"], "ё:c": ["io", "jo"],
        "ю:i": ["ju", "iu"], "ю:c": ["iu", "ju"], "я:i": ["ja", "ia"], "я:c": ["ia", "ja"],
        "є:i": ["je", "ie"], "є:c": ["ie"], "ї:i": ["ji", "i"], "ї:c": ["i"],
    },
    "pt": {
        "ж": ["j", "zh"], "х": ["kh", "j"], "ц": ["ts"], "ч": ["tch", "ch"], "ш": ["ch", "sh"], "щ": ["chtch", "shch"],
        "й": ["i"], "у": ["u"], "и": ["i"], "ы": ["y", "i"], "ў": ["u"],
        "е:i": ["ie", "e"], "е:c": ["e"], "ё:i": ["io"], "ё:c": ["io"],
        "ю:i": ["iu"], "ю:c": ["iu"], "я:i": ["ia"], "я:c": ["ia"],
        "є:i": ["ie"], "є:c": ["ie"], "ї:i": ["i"], "ї:c": ["i"],
    },
    "ro": {
        "ж": ["j"], "х": ["h"], "ц": ["ț", "ţ", "ts"], "ч": ["ci", "ce"], "ш": ["ș", "ş", "sh"], "щ": ["șci", "şci"],
        "й": ["i"], "у": ["u"], "и": ["i"], "ы": ["î", "i"], "ў": ["u"],
        "е:i": ["ie", "e"], "е:c": ["e"], "ё:i": ["io"], "ё:c": ["io"],
        "ю:i": ["iu"], "ю:c": ["iu"], "я:i": ["ia"], "я:c": ["ia"],
        "є:i": ["ie"], "є:c": ["ie"], "ї:i": ["ii", "i"], "ї:c": ["i"],
    },
    "hu": {
        "ж": ["zs"], "х": ["h"], "ц": ["c"], "ч": ["cs"], "ш": ["s"], "щ": ["scs"], "с": ["sz"],
        "й": ["j"], "у": ["u"], "и": ["i"], "ы": ["i", "ij"], "ў": ["u"],
        "е:i": ["je"], "е:c": ["e"], "ё:i": ["jo"], "ё:c": ["jo", "o"],
        "ю:i": ["ju"], "ю:c": ["ju"], "я:i": ["ja"], "я:c": ["ja"],
        "є:i": ["je"], "є:c": ["je"], "ї:i": ["ji"], "ї:c": ["ji", "i"],
    },
    "tr": {
        "ж": ["j"], "х": ["h"], "ц": ["ts"], "ч": ["ç"], "ш": ["ş"], "щ": ["şç"],
        "й": ["y"], "у": ["u"], "и": ["i"], "ы": ["ı", "i"], "ў": ["u"],
        "е:i": ["ye", "e"], "е:c": ["e"], "ё:i": ["yo"], "ё:c": ["yo", "o"],
        "ю:i": ["yu"], "ю:c": ["yu"], "я:i": ["ya"], "я:c": ["ya"],
        "є:i": ["ye"], "є:c": ["ye"], "ї:i": ["yi"], "ї:c": ["i", "yi"],
    },
    "fi": {
        "ж": ["ž", "zh"], "х": ["h"], "ц": ["ts"], "ч": ["tš", "tsh"], "ш": ["š", "sh"], "щ": ["štš"],
        "й": ["i", "j"], "у": ["u"], "и": ["i"], "ы": ["y"], "ў": ["u"],
        "е:i": ["je", "e"], "е:c": ["e"], "ё:i": ["jo"], "ё:c": ["jo", "o"],
        "ю:i": ["ju"], "ю:c": ["ju"], "я:i": ["ja"], "я:c": ["ja"],
        "є:i": ["je"], "є:c": ["je"], "ї:i": ["ji"], "ї:c": ["i", "ji"],
    },
}

# Ukrainian and Belarusian letters that differ from Russian in every press language.
_UK = {"г": ["h"], "и": None, "е:i": None, "е:c": ["e"]}  # и: "y" in most, see below
_UK_Y = {"en": ["y"], "nl": ["y", "i"], "de": ["y", "i"], "fr": ["y", "i"], "pl": ["y"],
         "cs": ["y", "i"], "sv": ["y", "i"], "es": ["y", "i"], "it": ["y", "i"], "pt": ["y", "i"],
         "ro": ["î", "i", "y"], "hu": ["i", "ij"], "tr": ["ı", "i", "y"], "fi": ["y", "i"]}
_UK_G = {"pl": ["h"], "cs": ["h"], "es": ["h", "j"]}


def _strip_marks(s: str) -> str:
    s = s.replace("ł", "l").replace("Ł", "L").replace("ß", "ss").replace("ø", "o").replace("đ", "d").replace("ı", "i")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def _letter_options(word: str, i: int, src: str, press: str) -> list[str]:
    ch = word[i]
    table = TABLES[press]
    prev = word[i - 1] if i > 0 else ""
    if ch in IOTATED or (ch == "е" and src != "uk") or ch in ("ю", "я", "ё"):
        ctx = "i" if (not prev or prev in VOWELS or prev in SIGNS) else "c"
        if src == "uk" and ch == "е":
            return ["e"]
        if src == "be" and ch == "е" and ctx == "c":
            return ["e", "ie"] if press in ("pl", "fr", "es") else ["e"]
        if ch in ("я", "ю") and prev in ("и", "і") and press in ("nl", "es", "it", "fr", "en", "pl"):
            base = table.get(f"{ch}:{ctx}", [])
            tail = "a" if ch == "я" else ("oe" if press == "nl" else "ou" if press == "fr" else "u")
            return list(dict.fromkeys(base + [tail]))
        key = f"{ch}:{ctx}"
        if key in table:
            return table[key]
    if src in ("uk", "be"):
        if ch == "г":
            return _UK_G.get(press, ["h"])
        if ch == "и" and src == "uk":
            return _UK_Y[press]
        if ch == "ь" and press == "pl" and i + 1 < len(word) and word[i + 1] in VOWELS:
            return ["", "i"]
    if press == "hu" and ch in "тдн" and i + 1 < len(word) and word[i + 1] in "иіеьяюєё":
        # Hungarian palatals: Путин -> Putyin, Медведев -> Medvegyev
        return {"т": ["ty", "t"], "д": ["gy", "d"], "н": ["ny", "n"]}[ch]
    if ch in table:
        return table[ch]
    if ch in _COMMON:
        return _COMMON[ch]
    return [ch]


def _fr_conventions(word_cyr: str, outs: list[str]) -> list[str]:
    # Путин -> Poutine, Ленин -> Lénine: French adds -e after a final -ин / -ын.
    if re.search(r"[иы]н$", word_cyr):
        outs = outs + [o + "e" for o in outs]
    return outs


def _expand(options: list[list[str]], cap: int) -> list[str]:
    """All combinations in order of how many non-first choices they make, capped."""
    multi = [i for i, o in enumerate(options) if len(o) > 1]
    if not multi:
        return ["".join(o[0] for o in options)]
    out: list[str] = []
    seen: set[str] = set()
    for k in range(len(multi) + 1):
        for combo in itertools.combinations(multi, k):
            choice_lists = [options[i][1:] if i in combo else [options[i][0]] for i in range(len(options))]
            for pick in itertools.product(*choice_lists):
                s = "".join(pick)
                if s not in seen:
                    seen.add(s)
                    out.append(s)
                    if len(out) >= cap:
                        return out
    return out


def _case_like(src_word: str, latin: str) -> str:
    if not latin:
        return latin
    if src_word.isupper() and len(src_word) > 1:
        return latin.upper()
    if src_word[:1].isupper():
        return latin[:1].upper() + latin[1:]
    return latin


@lru_cache(maxsize=8192)
def transliterate_word(word: str, src: str, press: str, cap: int = 24) -> tuple[str, ...]:
    """Spellings of one Cyrillic word (no spaces) as ``press`` prints it."""
    if press not in TABLES:
        raise ValueError(f"no press table for {press!r}")
    if "-" not in word and "‐" not in word:
        low = word.lower()
        outs = _expand([_letter_options(low, i, src, press) for i in range(len(low))], cap)
        if press == "fr":
            outs = _fr_conventions(low, outs)
        return tuple(dict.fromkeys(_case_like(word, o) for o in outs if o))
    parts = re.split(r"([-‐])", word)
    per_part: list[list[str]] = []
    for part in parts:
        if part in ("-", "‐"):
            per_part.append(["-"])
            continue
        low = part.lower()
        options = [_letter_options(low, i, src, press) for i in range(len(low))]
        outs = _expand(options, cap)
        if press == "fr":
            outs = _fr_conventions(low, outs)
        # an empty part (a lone or doubled hyphen: "Санта - Анита", "Ки-") or one that
        # spells as nothing (a lone soft sign) contributes nothing, but must not leave
        # an empty choice list: _expand needs at least one choice per position
        per_part.append([_case_like(part, o) for o in outs if o] or [""])
    combos = _expand(per_part, cap) if per_part else []
    return tuple(dict.fromkeys(c for c in combos if c))


def transliterate(text: str, src: str, press: str, cap: int = 24) -> tuple[str, ...]:
    """Spellings of a (multi-word) Cyrillic name; words keep their order."""
    words = text.split()
    per_word = [list(transliterate_word(w, src, press, cap)) for w in words]
    return tuple(" ".join(p) for p in itertools.islice(itertools.product(*per_word), cap))


def is_cyrillic(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all("CYRILLIC" in unicodedata.name(c, "") for c in letters)


def press_spellings(native: str, src: str, langs=PRESS_LANGS, cap: int = 24) -> dict[str, tuple[str, ...]]:
    """``{press_lang: spellings}`` for a native-script name written in ``src``."""
    if not is_cyrillic(native):
        return {}
    return {lang: transliterate(native, src, lang, cap) for lang in langs}


# --- skeleton keys --------------------------------------------------------------
# Language-specific spellings of one sound fold to one symbol: the sh-sounds
# (sch, sz, sj, sh, š) to S, the ch-sounds (tsch, tsj, tch, cz, č) to C, kh/ch to H,
# oe/ou to u, w to v, y/j to i; then doubled letters and a French final -e go.
_MULTI = re.compile(r"schtsch|sjtsj|shch|chtch|szcz|sjtj|tsch|tsj|tch|sch|sz|sj|sh|cz|zh|zj|kh|ch|ts|tz|oe|ou|ph|ck|sc(?=[ei])")
_MULTI_MAP = {"schtsch": "S", "sjtsj": "S", "shch": "S", "chtch": "S", "szcz": "S", "sjtj": "S", "sc": "S",
              "tsch": "C", "tsj": "C", "tch": "C", "cz": "C", "sch": "S", "sz": "S", "sj": "S", "sh": "S",
              "zh": "Z", "zj": "Z", "kh": "H", "ch": "H", "ts": "C", "tz": "C", "oe": "u", "ou": "u",
              "ph": "f", "ck": "k"}
_SINGLE = str.maketrans({"w": "v", "q": "k", "x": "ks", "y": "i", "j": "i"})
_NON_AZ = re.compile(r"[^a-z]")
_DOUBLED = re.compile(r"(.)\1+")
_FINAL_E = re.compile(r"(?<=[^aeiou])e$")


@lru_cache(maxsize=50000)
def skeleton(word: str) -> str:
    """A coarse phonetic key that brings press spellings of one name together:
    Koeleba, Kouleba, Kułeba -> "kuleba"; Sjojgoe, Schoigu -> "Soigu"."""
    s = word.casefold()
    if not s.isascii():
        s = _strip_marks(s)
    s = _NON_AZ.sub("", s)
    s = _MULTI.sub(lambda m: _MULTI_MAP[m.group()], s)
    s = s.translate(_SINGLE).replace("ie", "e").replace("ii", "i")
    s = _DOUBLED.sub(r"\1", s)
    if len(s) > 4:
        s = _FINAL_E.sub("", s)
    return s


def fold(word: str) -> str:
    """Case-insensitive look-up key. Accents count: Kułeba is not Kuleba in
    English text (the skeleton key is the accent-blind one)."""
    return unicodedata.normalize("NFC", word.casefold())
