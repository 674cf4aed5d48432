"""What else the text says about a word that only *resembles* a glossary name.

One edit or one skeleton key from a name is weak evidence on its own: real
text is full of other people and places with similar names (Bizen ware, Nick
Faldo, Sports Hochi, Warsaw's Brodno district). A resemblance is believed only
when the article supports it, and weighed against what speaks for another
name. Each piece of evidence has a short human reason, which the finding's
message quotes.

For:
- the term is mentioned elsewhere in the article (in any form);
- the word follows one of the term's own given names, in any spelling (Joe
  Baden, Sergey Sobanin, Vladimir Zelinsky);
- a role the glossary's note gives the term stands right before it (US
  President Baden, Moscow mayor Sobanin; reports/writes before a news agency);
- no dictionary knows the word, in the target language or in the other
  languages of the press (wordfreq's large lists): a typo, not a rare word;
- the article is on the glossary's beat (it names other glossary terms).

Against:
- another capitalised word of the same name stands before it (Nick Faldo,
  Shuntaro Naito, Sports Hochi): a different name;
- the word is a known word of the target language.

Why not a named-entity recogniser: none that installs from wheels without a
model download knows which of two similar names an article means; the
glossary's own notes and the article's other mentions are the evidence here.
"""
from __future__ import annotations

import bisect
import hashlib
import re
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

from qa.text.wordfreqs import freq_dict, map_file

# Languages whose large word lists tell a real (foreign) word or name from a typo.
# The Latin-script press languages with large wordfreq lists.
KNOWN_WORD_LANGS = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "cs", "sv", "fi", "hu", "tr", "ro")

# Titles and honorifics that may stand before a person's name without being a
# given name (lower-case; compared case-insensitively, final '.' stripped).
TITLES: frozenset[str] = frozenset("""
president vice prime minister ministers chancellor secretary general gen lt lieutenant colonel col major maj
captain capt admiral adm marshal commander chief head leader spokesman spokeswoman spokesperson speaker
mayor governor senator sen rep representative ambassador envoy deputy foreign defence defense interior
finance justice state us u.s uk eu nato un russian ukrainian belarusian american german french polish
british dutch kremlin white house mr mrs ms miss dr prof professor father fr rev reverend patriarch
metropolitan archbishop bishop pope king queen prince princess sheikh emir president-elect ex former
acting first lady premier sir lord dame judge justice prosecutor ombudsman chairman chairwoman chair
director ceo founder oligarch tycoon businessman opposition activist blogger journalist commissioner
präsident präsidentin kanzler kanzlerin bundeskanzler bundeskanzlerin außenminister aussenminister
außenministerin verteidigungsminister ministerin ministerpräsident bürgermeister bürgermeisterin herr frau
sprecher sprecherin regierungschef staatschef kremlchef oppositionsführer generalsekretär
minister-president premier burgemeester meneer mevrouw woordvoerder staatshoofd oppositieleider
buitenlandminister defensieminister
président présidente ministre chancelier maire porte-parole monsieur madame
""".split())

# Words that begin sentences and stand capitalised before a name without being
# part of it ("In Khersn", "But Poetin", "Gestern Selenskyj"). A closed list: a
# frequency threshold cannot tell these from common given names (Nick, Mark).
OPENERS: frozenset[str] = frozenset("""
a an the this that these those in on at of for from to by with without about after before during since until
under over between against among into onto near through across behind beyond despite
and but or nor so yet then now later earlier today yesterday tomorrow meanwhile however also still even only
when while where if as because although though once after unless whether why how what who which whose
here there thus hence instead indeed perhaps maybe certainly already again soon finally first second last next
his her its their our my your he she it they we you i mr
according like unlike per via both either neither each every all some many most no not never nearly almost
de het een in op bij van voor na met zonder over onder tussen tegen door en maar of dus toen nu later eerder
vandaag gisteren morgen intussen ook zelfs alleen wanneer als terwijl waar omdat hoewel volgens
der die das ein eine einen einem einer im am auf bei vom von für nach mit ohne über unter zwischen gegen durch
und aber oder also dann jetzt später früher heute gestern morgen inzwischen auch sogar nur wenn als während
wo weil obwohl laut zudem dabei damit
le la les un une des du en dans sur chez pour avec sans sous entre contre par et mais ou donc puis alors
maintenant aujourd'hui hier demain aussi même seulement quand lorsque si selon
""".split())

# Roles a glossary note may give a term, and the words that announce them in
# text, per target language. A role in the note makes these words evidence.
ROLE_CUES: dict[str, dict[str, tuple[str, ...]]] = {
    "president": {"en": ("president", "leader", "head of state"), "de": ("präsident", "präsidentin", "staatschef"),
                  "nl": ("president", "staatshoofd"), "fr": ("président", "présidente")},
    "prime minister": {"en": ("prime minister", "premier", "pm"), "de": ("ministerpräsident", "premierminister", "regierungschef"),
                       "nl": ("premier", "minister-president"), "fr": ("premier ministre",)},
    "chancellor": {"en": ("chancellor",), "de": ("kanzler", "kanzlerin", "bundeskanzler", "bundeskanzlerin"),
                   "nl": ("kanselier", "bondskanselier"), "fr": ("chancelier", "chancelière")},
    "minister": {"en": ("minister", "head of the ministry", "secretary"), "de": ("minister", "ministerin"),
                 "nl": ("minister",), "fr": ("ministre",)},
    "secretary": {"en": ("secretary",), "de": ("minister", "ministerin", "sekretär"), "nl": ("minister", "secretaris"),
                  "fr": ("secrétaire",)},
    "mayor": {"en": ("mayor",), "de": ("bürgermeister", "bürgermeisterin"), "nl": ("burgemeester",), "fr": ("maire",)},
    "governor": {"en": ("governor",), "de": ("gouverneur",), "nl": ("gouverneur",), "fr": ("gouverneur",)},
    "spokesman": {"en": ("spokesman", "spokesperson", "press secretary", "spokeswoman"),
                  "de": ("sprecher", "sprecherin"), "nl": ("woordvoerder",), "fr": ("porte-parole",)},
    "general": {"en": ("general", "gen", "commander", "chief"), "de": ("general", "oberbefehlshaber"),
                "nl": ("generaal", "opperbevelhebber"), "fr": ("général",)},
    "commander": {"en": ("commander", "commander-in-chief", "general"), "de": ("oberbefehlshaber", "kommandeur"),
                  "nl": ("opperbevelhebber", "commandant"), "fr": ("commandant",)},
    "speaker": {"en": ("speaker",), "de": ("parlamentspräsident",), "nl": ("voorzitter",), "fr": ("président",)},
    "opposition": {"en": ("opposition leader", "opposition", "activist", "critic"), "de": ("oppositionsführer", "kremlkritiker"),
                   "nl": ("oppositieleider",), "fr": ("opposant",)},
    "patriarch": {"en": ("patriarch",), "de": ("patriarch",), "nl": ("patriarch",), "fr": ("patriarche",)},
    "news agency": {"en": ("reports", "reported", "writes", "wrote", "according to", "agency", "told", "by", "cited", "quoted", "in"),
                    "de": ("berichtet", "meldet", "meldete", "agentur", "laut", "zufolge"),
                    "nl": ("meldt", "meldde", "persbureau", "volgens", "bericht"), "fr": ("rapporte", "selon", "agence")},
    "newspaper": {"en": ("reports", "reported", "writes", "wrote", "according to", "newspaper", "told"),
                  "de": ("berichtet", "zeitung", "laut"), "nl": ("meldt", "krant", "volgens"), "fr": ("selon", "journal")},
}
# note words that mean a role (the note is free English text)
_NOTE_ROLES = [(re.compile(r"\b" + re.escape(k) + r"\b", re.I), k) for k in ROLE_CUES]

_SENTENCE_END = re.compile(r"(?:^|[.!?…:;]['\"’”»)]*\s+|\n\s*|^\s*[\"“„«‘'(\[-]\s*)$")


@lru_cache(maxsize=4096)
def note_roles(note: str) -> tuple[str, ...]:
    """The roles a term's glossary note mentions ("US president 2021-2025" -> president)."""
    return tuple(k for rx, k in _NOTE_ROLES if rx.search(note or ""))


def role_before(text: str, start: int, roles: tuple[str, ...], lang: str, window: int = 40) -> str | None:
    """A cue for one of ``roles`` in the few words before ``start``, if any."""
    if not roles:
        return None
    before = text[max(0, start - window):start].lower()
    words = re.findall(r"[\w.-]+", before)[-4:]
    tail = " ".join(w.rstrip(".") for w in words)
    for role in roles:
        for cue in ROLE_CUES[role].get(lang, ROLE_CUES[role].get("en", ())):
            # "Moscow mayor X", "US Secretary of State X": the role word within the last few words
            if re.search(r"(?:^|\s)" + re.escape(cue) + r"$", tail) or (
                    " " not in cue and cue in words[-3:]):
                return cue
    return None


# Callings announced before a person's name, by family, and the note words that make
# a glossary person one of them: "Fr. Vladimir Zelensky" is a priest, not the president
# whose note says nothing of the church.
CALLINGS = {
    "clergy": ({"en": ("fr", "father", "rev", "reverend", "archpriest", "priest", "bishop", "archbishop",
                       "metropolitan", "abbot", "hegumen", "deacon", "pastor", "hieromonk", "monk"),
                "de": ("pater", "pfarrer", "priester", "bischof", "erzbischof", "erzpriester", "metropolit",
                       "diakon", "abt", "mönch", "pastor"),
                "nl": ("pater", "pastoor", "priester", "dominee", "ds", "bisschop", "aartsbisschop",
                       "aartspriester", "metropoliet", "diaken", "abt", "monnik")},
               r"priest|church|clergy|orthodox|bishop|metropolitan|patriarch|monk"),
    "sport": ({"en": ("footballer", "striker", "goalkeeper", "midfielder", "defender", "winger", "boxer",
                      "skater", "swimmer", "tennis", "chess", "grandmaster", "cyclist", "athlete"),
               "de": ("fußballer", "torwart", "stürmer", "mittelfeldspieler", "verteidiger", "boxer",
                      "schachspieler", "großmeister", "radfahrer", "athlet", "tennisspieler"),
               "nl": ("voetballer", "doelman", "keeper", "spits", "middenvelder", "verdediger", "bokser",
                      "schaker", "grootmeester", "wielrenner", "atleet", "tennisser")},
              r"sport|football|boxing|boxer|champion|chess|athlete|player|olympic"),
    "arts": ({"en": ("actor", "actress", "singer", "painter", "poet", "novelist", "composer", "conductor",
                     "pianist", "violinist", "dancer", "ballerina", "director", "filmmaker", "rapper"),
              "de": ("schauspieler", "schauspielerin", "sänger", "sängerin", "maler", "dichter", "komponist",
                     "dirigent", "pianist", "tänzer", "regisseur", "rapper"),
              "nl": ("acteur", "actrice", "zanger", "zangeres", "schilder", "dichter", "componist", "dirigent",
                     "pianist", "danser", "regisseur", "rapper")},
             r"actor|actress|comedian|singer|artist|painter|poet|writer|composer|film|music"),
}


def other_calling(text: str, start: int, note: str, lang: str) -> str | None:
    """A calling (priest, footballer, actor) announced right before a person's name
    that the glossary note does not give the term: another person of that name."""
    m = re.search(r"([\w-]+)\.?[ \u00a0]+$", text[max(0, start - 30):start])
    if m is None:
        return None
    word = m.group(1).lower()
    for cues, note_words in CALLINGS.values():
        if word in cues.get(lang, cues["en"]) or word in cues["en"]:
            return None if re.search(note_words, note or "", re.I) else m.group(0).strip()
    return None


REPORTING_VERBS = {
    "en": ("reports", "reported", "writes", "wrote", "says", "said", "quotes", "quoted", "cites", "informs", "notes"),
    "de": ("berichtet", "berichtete", "meldet", "meldete", "schreibt", "schrieb", "zitiert"),
    "nl": ("meldt", "meldde", "schrijft", "schreef", "bericht", "citeert"),
    "fr": ("rapporte", "écrit", "annonce", "cite"),
}
_MEDIA_ROLES = ("news agency", "newspaper")


def reporting_after(text: str, end: int, roles: tuple[str, ...], lang: str) -> str | None:
    """A reporting verb right after a news medium's name (TASS reports)."""
    if not any(r in _MEDIA_ROLES for r in roles):
        return None
    m = re.match(r"[\s,]*(\w+)", text[end:end + 30])
    if m and m.group(1).lower() in REPORTING_VERBS.get(lang, REPORTING_VERBS["en"]):
        return m.group(1)
    return None


# Words that make the next (or previous) capitalised word a place: "the mayor of
# Buchha", "the Khersn region". Per target language.
PLACE_BEFORE = {
    "en": ("mayor of", "governor of", "residents of", "city of", "town of", "village of", "outskirts of",
           "shelling of", "battle for", "liberation of", "occupation of"),
    "de": ("bürgermeister von", "gouverneur von", "umgebung von"),
    "nl": ("burgemeester van", "gouverneur van", "buurt van"),
    "fr": ("maire de", "gouverneur de", "ville de", "village de"),
}
PLACE_AFTER = {
    "en": ("region", "oblast"),
    "de": ("region", "gebiet", "oblast"),
    "nl": ("regio", "oblast"),
    "fr": ("région", "oblast"),
}


def place_cue(text: str, start: int, end: int, lang: str) -> str | None:
    """“mayor of X”, “X region”: the word names a place."""
    before = " ".join(re.findall(r"[\w-]+", text[max(0, start - 30):start].lower())[-3:])
    for cue in PLACE_BEFORE.get(lang, PLACE_BEFORE["en"]):
        if before.endswith(cue):
            return f"after ‘{cue}’"
    m = re.match(r"\s+(\w+)", text[end:end + 20])
    if m and m.group(1).lower() in PLACE_AFTER.get(lang, PLACE_AFTER["en"]):
        return f"before ‘{m.group(1)}’"
    return None


def is_title(word: str) -> bool:
    return word.lower().rstrip(".") in TITLES


def is_opener(word: str) -> bool:
    return word.lower() in OPENERS


def sentence_initial(text: str, start: int) -> bool:
    """Does a sentence (or paragraph, or quotation) begin at ``start``?"""
    return bool(_SENTENCE_END.search(text[max(0, start - 6):start]))


_KNOWN_CACHE: dict[str, float] = {}
_TABLE = None
# Zipf levels kept for the press languages' known words: the rules only ask "known
# at all", "at least 1.5" and "at least 2.0".
_LEVELS = (0.0, 1.5, 2.0)
_TABLE_FORMAT = 2


def _hash(word: str) -> int:
    """A stable 64-bit hash (two C checksums: fast enough to hash 3.5 M words in about a second)."""
    b = word.encode("utf-8")
    return (zlib.crc32(b) << 32) | zlib.adler32(b[::-1])


def _known_table():
    """Sorted 64-bit hashes of every word the press languages' large word lists know,
    per Zipf level. Loading 14 large lists costs seconds and ~1 GB of dicts; the hash
    table (about 28 MB per level set) is built once, kept in the copydesk cache
    directory, and loads in milliseconds. A hash collision (≈ 1e-12 per look-up)
    could at worst make a typo look like a known word."""
    global _TABLE
    if _TABLE is not None:
        return _TABLE
    import os
    from array import array

    try:  # the installed version, without importing wordfreq (0.1 s; it has no __version__ either)
        from importlib.metadata import version as _dist_version

        version = _dist_version("wordfreq")
    except Exception:
        version = "?"
    from qa.text.cache import cache_dir, write_cache_file

    key = hashlib.sha256(f"{_TABLE_FORMAT} {version} {KNOWN_WORD_LANGS} {_LEVELS}".encode()).hexdigest()[:16]
    path = cache_dir() / f"known-words-{key}.bin"
    use_cache = os.environ.get("COPYDESK_NO_CACHE") != "1"
    if use_cache:
        try:
            # mapped, not read: a look-up touches a few pages of the 56 MB, so the
            # process's memory does not carry the whole table
            data = map_file(path)
            sizes = data[:8 * len(_LEVELS)].cast("Q")
            tables, pos = [], 8 * len(_LEVELS)
            for n in sizes:
                if pos + 8 * n > len(data):
                    raise ValueError("truncated")
                tables.append(data[pos:pos + 8 * n].cast("Q"))
                pos += 8 * n
            if len(tables) == len(_LEVELS):
                _TABLE = tables
                return _TABLE
        except (OSError, ValueError, TypeError):
            pass
    tables = _build_known_tables()
    _TABLE = tables
    if use_cache:
        try:
            head = array("Q", [len(t) for t in tables]).tobytes()
            write_cache_file(path, head + b"".join(t.tobytes() for t in tables))
        except Exception:  # a cache is an optimisation
            pass
    return _TABLE


def _build_known_tables() -> list:
    """The level tables straight from wordfreq's packed lists, one language at a
    time. wordfreq's own ``get_frequency_dict`` would build a 300,000-entry dict
    of floats per language, and its ``get_frequency_list`` keeps every list in an
    ``lru_cache`` (together 1.3 GB and 30 s for the 14 languages); a pack is a
    list of buckets whose index is the frequency in centibels (bucket ``i`` holds
    the words of Zipf ``9 - i/100``), so a level is a slice of buckets, and the
    words are hashed in C (``map``) without a Python loop per word, and sorted
    with numpy (already installed: sacrebleu needs it)."""
    import operator
    from array import array
    from itertools import chain, repeat

    try:
        from wordfreq import available_languages, read_cBpack
        from qa.text.wordfreqs import wordfreq_code

        paths = available_languages("best")
    except Exception:  # no wordfreq data: nothing is known, every test below stays undecided
        return [array("Q") for _ in _LEVELS]
    # the last bucket a level reaches: Zipf >= z  <=>  index <= (9 - z) * 100
    last = [None if z <= 0 else int(round((9 - z) * 100)) for z in _LEVELS]
    found = [array("Q") for _ in _LEVELS]
    crc, adler, rev = zlib.crc32, zlib.adler32, slice(None, None, -1)
    for lang in KNOWN_WORD_LANGS:
        path = paths.get(wordfreq_code(lang))
        if path is None:
            continue
        buckets = read_cBpack(path)
        enc = list(map(str.encode, chain.from_iterable(buckets)))  # most frequent first
        # the same hash as _hash(): crc32 of the UTF-8 bytes, adler32 of them reversed
        hashes = array("Q", map(operator.or_, map(operator.lshift, map(crc, enc), repeat(32)),
                                map(adler, map(operator.getitem, enc, repeat(rev)))))
        for lvl, end in enumerate(last):  # a level is a prefix of the list
            found[lvl].extend(hashes if end is None else hashes[:sum(map(len, buckets[:end + 1]))])
        del buckets
    import numpy  # sorts and de-duplicates 4.6 M 64-bit hashes in C (Python's sorted(set()): 15 s)

    out = []
    for a in found:
        x = numpy.sort(numpy.frombuffer(a, dtype=numpy.uint64))  # sort + mask: numpy 2's unique() hashes, 15x slower here
        t = array("Q")
        t.frombytes(x[numpy.concatenate(([True], x[1:] != x[:-1]))].tobytes())
        out.append(t)
    return out


def _member(table, h: int) -> bool:
    i = bisect.bisect_left(table, h)
    return i < len(table) and table[i] == h


def known_anywhere(word: str) -> float:
    """How well the press languages' large word lists know ``word``: 0.0 (no list
    knows it), else the highest of the levels 0.5 (rare), 1.5 or 2.0 it reaches
    in some list. Only words that every other test left undecided get here."""
    key = word.casefold()
    z = _KNOWN_CACHE.get(key)
    if z is None:
        tables = _known_table()
        h = _hash(key)
        z = 0.0
        if _member(tables[0], h):
            z = 0.5
            if _member(tables[1], h):
                z = 1.5
                if _member(tables[2], h):
                    z = 2.0
        if len(_KNOWN_CACHE) > 200_000:
            _KNOWN_CACHE.clear()
        _KNOWN_CACHE[key] = z
    return z


@dataclass
class Evidence:
    """The case for reading a word as a misspelt glossary name."""
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    against: list[str] = field(default_factory=list)

    def add(self, points: int, reason: str) -> None:
        self.score += points
        (self.reasons if points > 0 else self.against).append(reason)

    @property
    def credible(self) -> bool:
        return self.score >= 2

    def because(self) -> str:
        return "; ".join(self.reasons)
