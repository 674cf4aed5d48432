"""Language codes (ISO 639-1) and per-language facts the rules share."""
from __future__ import annotations

ISO_639_1 = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy
da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu
hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb
lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om
or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw
ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
""".split())


# English names of the languages copydesk detects (langdetect's) and writes about (the
# glossaries'): the one table for messages, the review screen and `glossary` listings
LANGUAGE_NAMES = {
    "af": "Afrikaans", "ar": "Arabic", "be": "Belarusian", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan",
    "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek", "en": "English",
    "es": "Spanish", "et": "Estonian", "fa": "Persian", "fi": "Finnish", "fr": "French",
    "gu": "Gujarati", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian",
    "id": "Indonesian", "it": "Italian", "ja": "Japanese", "kk": "Kazakh", "kn": "Kannada", "ko": "Korean",
    "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian", "ml": "Malayalam", "mr": "Marathi",
    "ne": "Nepali", "nl": "Dutch", "no": "Norwegian", "nb": "Norwegian", "pa": "Punjabi",
    "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sk": "Slovak",
    "sl": "Slovenian", "so": "Somali", "sq": "Albanian", "sr": "Serbian", "sv": "Swedish", "sw": "Swahili",
    "ta": "Tamil", "te": "Telugu", "th": "Thai", "tl": "Tagalog", "tr": "Turkish",
    "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese", "zh": "Chinese",
}


def language_name(code: str) -> str:
    """The English name of a language code ("nl" → "Dutch"); the code itself when unknown."""
    return LANGUAGE_NAMES.get(code, code)


def is_language_code(code: object) -> bool:
    return isinstance(code, str) and code in ISO_639_1


class LanguageError(ValueError):
    pass


class LocatedError(Exception):
    """An error in a file the user wrote: ``str(e)`` is ``file:line: what is wrong``."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")


def parse_language_code(code: str, allow_auto: bool = False) -> str:
    """``code`` as copydesk uses it (trimmed, lower case), or :class:`LanguageError`
    (one line) when it is no ISO 639-1 code (``auto`` too with ``allow_auto``).
    (The rule that finds text in another language is :func:`qa.rules.language.check_language`.)"""
    c = (code or "").strip().lower()
    if allow_auto and c == "auto":
        return c
    if not is_language_code(c):
        raise LanguageError(f"unknown language code {code!r} (use an ISO 639-1 code such as en, nl, de{', or auto' if allow_auto else ''})")
    return c
