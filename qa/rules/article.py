"""``article/*``: hygiene of scraped or pasted articles — repeated paragraphs,
web boilerplate, doubled spaces and doubled words."""
from __future__ import annotations

import bisect

import re
from dataclasses import dataclass
from itertools import repeat
from operator import eq
from typing import Iterable, Sequence

import regex

from qa.engine.document import Document
from qa.model.findings import Applicability, Finding, Fix, Severity
from qa.engine.registry import Example, check, rule
from qa.text.wordfreqs import has_wordlist, zipf

# --- article/duplicate-paragraph ---------------------------------------------------
DUP_MIN_WORDS = 4  # shorter repeated blocks ("* * *", "News") are separators or labels, not content

rule(
    "article/duplicate-paragraph", Severity.WARNING,
    "A paragraph or a block of lines repeated verbatim (a scraping or pasting accident).",
    explanation=(
        "Scraped pages repeat whole blocks: a teaser headline, the headline, the body. A run of lines "
        "identical to an earlier run (white space normalised, blank lines skipped, at least 4 words in all "
        "and one line of 4 words or more) is one finding on the later copy, and the safe fix removes the "
        "whole block with the blank line(s) before it, so no orphan headline or blank-line pile-up remains. "
        "A headline printed twice in a row counts as a repeat; a headline followed by a first sentence that "
        "begins with it is news style and is not flagged (the lines differ). Lines shorter than 4 words "
        "repeated on their own ('* * *', 'News') are separators or labels: article/boilerplate's business. "
        "Written twice on purpose, not flagged: a heading reused as a section title (one heading-like line, "
        "not printed twice in a row, over different text each time) and a refrain of one or two lines "
        "inside a list of steps ('Tap Save and wait.' after each step, between other lines both times, or "
        "after a numbered step both times); repeated bullet points, and any block of three or more lines, "
        "are a duplicate."),
    examples=[
        Example("Kyiv was quiet on Sunday morning.\n\nThe talks resume on Monday in Geneva.\n\n"
                "The talks resume on Monday in Geneva.\n", True,
                "Kyiv was quiet on Sunday morning.\n\nThe talks resume on Monday in Geneva.\n"),
        Example("Deal signed in Kyiv today\n\nThe deal was signed on Monday.\n\nMore\n"
                "Deal signed in Kyiv today\n\nThe deal was signed on Monday.\n", True,
                "Deal signed in Kyiv today\n\nThe deal was signed on Monday.\n\nMore\n"),
        Example("Talks resume in Geneva\n\nTalks resume in Geneva on Monday, the foreign ministry said.\n", False),
    ],
    fix="always", applicability=("safe",),
)

_WORDS = regex.compile(r"[\p{L}\p{N}]+")
_TEXT_LINE = regex.compile(r"[^\r\n]+")


# Earlier copies of a line compared with the current one: the first copy and the most recent
# ones. Comparing every earlier copy made a text of N repeats of one article cost O(N²) (each
# copy extended against all the earlier ones: a 50 MB article of a 1.7 KB one took 44× the
# time of 5 MB); with a bounded number the cost is linear, each extension being at most as
# long as the block it finds (the best one is consumed). A line seen more than this many
# times is furniture or the text is one thing repeated, where the first copy (the longest
# room to extend) and the nearest ones find the same blocks.
DUP_CANDIDATES = 8


def _candidates(seen: list[int]) -> Sequence[int]:
    if len(seen) <= DUP_CANDIDATES:
        return seen
    return [seen[0], *seen[1 - DUP_CANDIDATES:]]


def duplicate_blocks(doc: Document) -> list[tuple[int, int, int, int]]:
    """Repeated blocks: (start, end, first_start, cut) per later copy, where ``cut``
    is where its removal begins (the end of the content before it)."""
    text = doc.text
    # (start, end, key, words) of non-blank lines. The key is the line with its white space
    # normalised, kept as text only where another line has the same hash: a copy of every
    # line of a long article would double its memory. A line whose hash is unique gets a
    # key of its own (an int) that equals no other.
    raw = []
    seen_hash: dict[int, int] = {}
    for m in _TEXT_LINE.finditer(text):
        g = m.group()
        if g.isspace():
            continue
        h = hash(" ".join(g.split()))
        seen_hash[h] = seen_hash.get(h, 0) + 1
        s = m.start() + (len(g) - len(g.lstrip()))
        raw.append((s, s + len(g.strip()), h))
    lines = []
    canon: dict[str, tuple[str, int]] = {}  # one key object (and word count) per distinct line:
    for n, (s, e, h) in enumerate(raw):    # an article repeated five times holds one copy, not five
        if seen_hash[h] > 1:
            key = " ".join(text[s:e].split())
            hit = canon.get(key)
            if hit is None:
                hit = canon[key] = (key, len(_WORDS.findall(key)))
            lines.append((s, e, hit[0], hit[1]))
        else:  # a unique line is never part of a repeated block: its word count is never asked
            lines.append((s, e, -1 - n, 0))
    del raw, seen_hash, canon
    where: dict[str, list[int]] = {}
    out = []
    i = 0
    while i < len(lines):
        best_j, best_len = -1, 0
        for j in _candidates(where.get(lines[i][2], ())):
            n = 0
            while i + n < len(lines) and j + n < i and lines[j + n][2] == lines[i + n][2]:
                n += 1
            if n > best_len:
                best_j, best_len = j, n
        if best_len:
            block = lines[i:i + best_len]
            words = sum(x[3] for x in block)
            if words >= DUP_MIN_WORDS and max(x[3] for x in block) >= DUP_MIN_WORDS:
                prev_end = lines[i - 1][1] if i else 0
                gap = text[prev_end:block[0][0]]
                nl = regex.search(r"\r\n|\r|\n", gap)
                cut = prev_end + (nl.start() if nl else 0) if i else block[0][0]
                if not _reused(text, lines, i, best_j, best_len):
                    out.append((block[0][0], block[-1][1], lines[best_j][0], cut))
                for k in range(i, i + best_len):
                    where.setdefault(lines[k][2], []).append(k)
                i += best_len
                continue
        where.setdefault(lines[i][2], []).append(i)
        i += 1
    return out


REUSED_MAX_LINES = 2  # a refrain or a reused heading is one or two lines; a longer repeat is a duplicate
_HEADING_MAX_WORDS = 12
_SENTENCE_END = regex.compile(r"[.!?:;…]['\"’”»)]*\Z")


_LIST_ITEM = regex.compile(r"(?:\d{1,2}[.)]\s|[-•*▪–]\s|(?:step|stap|schritt)\s*\d)", regex.IGNORECASE)


def _adjacent(text: str, a_end: int, b_start: int) -> bool:
    """No blank line between a line ending at ``a_end`` and one starting at ``b_start``?"""
    gap = text[a_end:b_start]
    return gap.count("\n") + gap.replace("\r\n", "").count("\r") <= 1


def _reused(text: str, lines, i: int, j: int, n: int) -> bool:
    """Is the later copy ``lines[i:i+n]`` of ``lines[j:j+n]`` text written twice on purpose?

    * a heading reused as a section title (the article's title repeated as a subheading, a
      subheading repeated): one heading-like line (no sentence end, at most 12 words) that is not
      printed twice in a row, whose two copies head different text;
    * a refrain inside a list (help or product text: "Tap Save and confirm." after each step): one
      or two lines that sit, both times, inside a list between other, different lines.
    A block of three or more lines (a repeated block of bullet points, a teaser and its body) is a
    duplicate, as is a copy printed right after its original."""
    if n > REUSED_MAX_LINES or j + n >= i:
        return False
    if any(_LIST_ITEM.match(text, lines[k][0]) for k in range(i, i + n)):
        return False  # the block is bullet points or numbered steps itself: a repeated block
    after_i = lines[i + n] if i + n < len(lines) else None  # None: the copy ends the text
    after_j = lines[j + n]
    if after_i is not None and after_i[2] == after_j[2]:
        return False
    if n == 1 and after_i is not None:
        line = text[lines[i][0]:lines[i][1]]
        if lines[i][3] <= _HEADING_MAX_WORDS and not _SENTENCE_END.search(line):
            return True
    if i == 0 or j == 0:
        return False
    before_i, before_j = lines[i - 1], lines[j - 1]
    if before_i[2] == before_j[2]:
        return False
    if _LIST_ITEM.match(text, before_i[0]) and _LIST_ITEM.match(text, before_j[0]):
        return True  # each copy follows a numbered step, blank lines or not
    # the last step's refrain may end the text; the earlier copy must sit inside the list
    return (_adjacent(text, before_i[1], lines[i][0])
            and (after_i is None or _adjacent(text, lines[i + n - 1][1], after_i[0]))
            and _adjacent(text, before_j[1], lines[j][0]) and _adjacent(text, lines[j + n - 1][1], after_j[0]))


def _first_line(text: str, start: int, end: int) -> str:
    nl = text.find("\n", start, end)  # no slice of the block: it may be most of a 50 MB text
    return text[start:nl if nl >= 0 else end]


def _duplicates(doc: Document, blocks) -> Iterable[Finding]:
    for start, end, first, cut in blocks:
        line, _ = doc.line_col(first)
        here, _ = doc.line_col(start)
        last, _ = doc.line_col(end)
        what = (f"lines {here}–{last} repeat the block from line {line}" if last > here
                else f"paragraph repeats the one on line {line}")
        yield Finding(
            "article/duplicate-paragraph", Severity.WARNING, start, end, what,
            text=doc.text[start:end] if last == here else _first_line(doc.text, start, end),
            fix=Fix.replace(cut, end, "", Applicability.SAFE),
            data={"first": first},
        )


# --- article/boilerplate --------------------------------------------------------------
@dataclass(frozen=True)
class Boilerplate:
    pattern: str  # a regular expression matched against the whole (trimmed) line, case-insensitive
    kind: str  # navigation | promo | share | ad | newsletter | cookie | caption | credit
    langs: tuple[str, ...] = ()  # () = any target language
    example: str = ""


# Web furniture that scraping leaves in an article. Whole lines only: a sentence that
# merely contains "read more" is not boilerplate. Captions and credits are reported
# as info (they may be intended); the rest as warnings.
BOILERPLATE: tuple[Boilerplate, ...] = (
    Boilerplate(r"related (?:articles?|stories|news|content|posts|topics|coverage)|related|more on this( story| topic)?",
                "navigation", example="Related articles"),
    Boilerplate(r"editor['’]?s['’]? (?:choice|picks?)|top stories|most (?:popular|read|viewed|shared)|popular( now| today)?"
                r"|trending( now)?|latest( news)?|news|in other news|recommended( for you)?|you may also like"
                r"|see also|also read|read (?:more|also|next|further)(?:\s*[:»›>].*)?|more (?:news|stories)",
                "navigation", example="Editor's choice"),
    Boilerplate(r"share (?:this|the) (?:article|story|page|post)|share( on (?:facebook|twitter|x|linkedin|whatsapp))?"
                r"|(?:tweet|print|e-?mail)( this( article)?)?|copy link|comments?( \(\d+\))?|leave a (?:comment|reply)"
                r"|show comments|follow us on .{1,40}", "share", example="Share this article"),
    Boilerplate(r"advertisement|advertising|sponsored( content)?|ad|anzeige|werbung|advertentie|publicité",
                "ad", example="Advertisement"),
    Boilerplate(r"(?:sign up|subscribe) (?:for|to) (?:our|the) .{0,40}newsletters?.{0,40}|newsletter",
                "newsletter", example="Sign up for our newsletter"),
    Boilerplate(r".{0,60}\b(?:we|this (?:web)?site|our (?:web)?site) uses? cookies\b.*|accept (?:all )?cookies"
                r"|cookie (?:settings|policy|preferences)", "cookie", example="This website uses cookies."),
    Boilerplate(r"(?:photo|foto|image|picture|pic|bild|beeld|illustration)s?\s*(?:credit)?\s*[:|©]\s*.+"
                r"|.{1,250}[\s(](?:photo|foto|bild|image)s?\s*(?:credit)?\s*[:©]\s*[\p{Lu}][\p{L}\p{M} .&/-]{0,40}\)?",
                "caption", example="photo: The president at the ceremony. AFP"),
    Boilerplate(r"(?:sources?|bron|quelle|credits?)\s*:\s*.{1,120}", "credit",
                example="source: commonspace.eu with TASS and agencies"),
    Boilerplate(r"(?:lees (?:ook|meer)|gerelateerde artikelen|meest gelezen|deel dit artikel)(?:\s*[:»›>].*)?",
                "navigation", ("nl",), example="Lees ook"),
    Boilerplate(r"(?:mehr zum thema|lesen sie auch|lesen sie mehr|das könnte sie auch interessieren|meistgelesen"
                r"|artikel teilen)(?:\s*[:»›>].*)?", "navigation", ("de",), example="Lesen Sie auch"),
    Boilerplate(r"(?:lire aussi|à lire aussi|voir aussi|les plus lus|partager cet article)(?:\s*[:»›>].*)?",
                "navigation", ("fr",), example="Lire aussi"),
)
_INFO_KINDS = {"caption", "credit"}
_BP_TAIL = r"[\s.:!»›>|-]*"
_BP_COMPILED = [(b, regex.compile(r"(?:" + b.pattern + r")" + _BP_TAIL, regex.IGNORECASE)) for b in BOILERPLATE]
# one pass over each line first (most lines match nothing)
_BP_ANY = regex.compile(r"(?:" + "|".join(f"(?:{b.pattern})" for b in BOILERPLATE) + r")" + _BP_TAIL,
                        regex.IGNORECASE)
_LINE = regex.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")
_BP_MAX_LEN = 300

rule(
    "article/boilerplate", Severity.WARNING,
    "A line of web page furniture (Related articles, Read more, Advertisement, photo credits...).",
    explanation=(
        "Lines that a scraper or a careless paste carries over from the web page: navigation "
        "('Related articles', 'Editor's choice', 'Popular', 'Read more'), sharing and comment widgets, "
        "advertisement labels, newsletter and cookie notices (warning), and photo captions / 'source:' "
        "credit lines (info: a caption may be intended). The phrase table BOILERPLATE in "
        "qa/rules/article.py is data, per language where useful (nl 'Lees ook', de 'Mehr zum Thema', "
        "fr 'Lire aussi'). Only whole lines match. The fix removes the line and is unsafe: a reviewer decides."),
    examples=[
        Example("Talks resume on Monday.\nRelated articles\nThe ministers met in Geneva.\n", True,
                "Talks resume on Monday.\nThe ministers met in Geneva.\n"),
        Example("Readers can read more about the talks in our archive.\n", False),
        Example("De ministers vergaderen maandag.\nLees ook: Oekraïne wil meer luchtafweer\n", True,
                "De ministers vergaderen maandag.\n", "nl"),
    ],
    fix="always", applicability=("unsafe",),
)


_LEADING_SPACE = re.compile(r"\s*")
_BLANK_LINE_END = regex.compile(r"(?:\r\n|\r|\n)[ \t\u00a0]*(?:\r\n|\r|\n)\Z")


def _blank_before(text: str, pos: int) -> bool:
    """Is the line before ``pos`` (a line start) blank, or is ``pos`` the start of the text?"""
    if _LEADING_SPACE.match(text, 0, pos).end() == pos:  # not text[:pos].strip(): a copy per line, O(n²)
        return True
    return _BLANK_LINE_END.search(text, max(0, pos - 200), pos) is not None


def _boilerplate(doc: Document) -> Iterable[Finding]:
    text = doc.text
    lang = doc.lang
    for m in _LINE.finditer(text):
        raw = m.group()
        if not raw:
            break
        content = raw.rstrip("\r\n")
        stripped = content.strip()
        if not stripped or len(stripped) > _BP_MAX_LEN or not _BP_ANY.fullmatch(stripped):
            continue
        for b, rx in _BP_COMPILED:
            if b.langs and lang not in b.langs:
                continue
            if rx.fullmatch(stripped):
                s = m.start() + (len(content) - len(content.lstrip()))
                e = s + len(stripped)
                sev = Severity.INFO if b.kind in _INFO_KINDS else Severity.WARNING
                # the engine drops findings that touch a URL: point at the part before it
                urls = [ps for ps, pe in doc.protected_spans if ps < e and s < pe]
                if urls:
                    e = s + len(text[s:min(urls)].rstrip())
                    if e <= s:
                        break
                # remove the whole line with its line break (or the break before it at the end of the text)
                cut_s, cut_e = m.start(), m.end()
                if cut_e == len(text) and raw == content and cut_s > 0:
                    nl = 2 if text[cut_s - 2:cut_s] == "\r\n" else 1
                    cut_s -= nl
                elif _blank_before(text, cut_s):
                    # a line standing alone as a paragraph: take the blank lines after it too
                    while True:
                        nxt = _LINE.match(text, cut_e)
                        if nxt is None or not nxt.group() or nxt.group().strip() or nxt.end() == len(text) \
                                and not nxt.group().endswith(("\n", "\r")):
                            break
                        cut_e = nxt.end()
                yield Finding("article/boilerplate", sev, s, e,
                              f"web page {b.kind} line, not article text",
                              text=text[s:e], fix=Fix.replace(cut_s, cut_e, "", Applicability.UNSAFE),
                              data={"kind": b.kind})
                break


# --- article/double-space -------------------------------------------------------------
rule(
    "article/double-space", Severity.INFO,
    "Two or more spaces between words.",
    explanation=(
        "A run of two or more spaces (or no-break spaces) between two non-space characters on a line, "
        "also after a sentence end (a typewriter habit, collapsed by browsers anyway). Indentation and "
        "trailing spaces are not flagged; tabs are left alone (tables). Safe fix: one space."),
    examples=[
        Example("The talks  resume on Monday.\n", True, "The talks resume on Monday.\n"),
        Example("    Indented line with single spaces.\n", False),
    ],
    fix="always", applicability=("safe",),
)
_DOUBLE_SPACE = regex.compile(r"(?<=\S)(?:[ \u00a0]{2,})(?=\S)")


def _double_spaces(doc: Document) -> Iterable[Finding]:
    for m in _DOUBLE_SPACE.finditer(doc.text):
        yield Finding("article/double-space", Severity.INFO, m.start(), m.end(),
                      f"{len(m.group())} spaces between words", text=m.group(),
                      fix=Fix.replace(m.start(), m.end(), " ", Applicability.SAFE))


# --- article/doubled-word -------------------------------------------------------------
# Words that legitimately follow themselves ("had had", "that that", "gave her her
# book"; Dutch/German relative "die die", French reflexive "nous nous").
DOUBLE_OK: dict[str, frozenset[str]] = {
    "*": frozenset({"ha", "haha", "bla", "blah", "bye", "no", "yes", "tut", "knock", "chop", "hush", "there",
                    "now", "well", "very", "really", "so", "many", "far", "long", "boo", "go", "pom",
                    "cha", "ta", "tsk", "hip", "la", "na", "mm", "hmm", "oh", "ah", "ooh", "ho", "wow"}),
    "en": frozenset({"had", "that", "is", "her", "do", "did", "bye", "what", "who", "whom", "more"}),
    # subject pronoun + the same word as reflexive or possessive ("dat je je vergist", "zodat je je
    # fiets", "kunt u u aanmelden", "als ze ze nodig hebben", "hebben jullie jullie"), object +
    # possessive or noun ("gaf haar haar boek", "kamt haar haar"), pronoun + article ("of het het
    # waard is"), the idiom "via via" and emphatic or greeting doublings ("zo zo", "dag dag", "nee nee").
    # Not "hun hun": as subject "hun" is colloquial, and a doubled "hun" is a slip.
    # "zijn" as verb + possessive ("in staat zijn zijn keuze te maken", "daarvoor zijn zijn schouders").
    "nl": frozenset({"die", "dat", "er", "heel", "ik", "te", "je", "u", "ze", "jullie", "haar", "het", "via",
                     "zijn", "zo", "dag", "ja", "nee", "nou", "hoi", "doei", "erg", "zeer", "veel", "tja",
                     "enzovoort", "enzovoorts"}),
    # relative + article ("die die", "in dem dem Unternehmen"), pronoun + pronoun or possessive ("ob sie
    # sie", "habt ihr ihr Geld"), emphatic intensifiers and greetings ("sehr sehr", "hallo hallo").
    "de": frozenset({"die", "der", "das", "dem", "den", "sie", "ihr", "ganz", "sehr", "viel", "viele", "ja",
                     "nein", "nee", "hallo", "tschüss", "servus", "moin", "hey", "danke", "bitte", "schnell",
                     "gut", "immer", "weit", "lange", "tschau", "ciao"}),
    "fr": frozenset({"nous", "vous", "très", "si"}),
    "es": frozenset({"que", "muy"}),
    "pl": frozenset({"to"}),
}
# The Dutch pronoun doublings above need a verb or a conjunction before them ("of het het waard is",
# "heb je je fiets"): after a preposition or at the start of a sentence the second copy is a slip
# ("in het het huis", "met je je fiets", "Het het plan"). Not "haar" and "zijn", which are also a noun
# and a verb: "door haar haar strelen", "Haar haar leek blonder", "zijn zijn behoud".
_PRONOUN_DOUBLES: dict[str, frozenset[str]] = {"nl": frozenset({"je", "u", "ze", "het", "jullie"})}
_PREPOSITIONS: dict[str, frozenset[str]] = {
    "nl": frozenset("in op aan van met voor naar bij uit over door om tot tegen onder na zonder tussen achter "
                    "naast binnen buiten tijdens sinds via per rond boven langs volgens vanaf".split()),
}
# A slip doubles a function word (the the, to to); in English content words are
# repeated on purpose (ylang ylang, Canada plus plus). Function words are approximated by
# the language's most frequent words, which is where they all are.
FUNCTION_WORD_ZIPF = 5.0
# In Dutch and German a doubled verb, adverb or noun is a slip too ("sind sind", "vor vier
# Jahren Jahren", "gekauft gekauft"): the rule there is a list of the correct doublings above
# plus grammar evidence (below), and only words too rare to judge (Zipf < 3: names, coinages
# such as "Roa Roa", "Saba Saba") are left alone.
CONTENT_DOUBLE_LANGS: dict[str, float] = {"nl": 3.0, "de": 3.0}
# German capitalises nouns: a capitalised word mid-sentence followed by the same word in lower
# case is a noun and its verb ("wenn Fliegen fliegen", "die Weine weine"), not a slip.
_NOUN_CAPS_LANGS = frozenset({"de"})
# Two capitalised copies are a name (Walla Walla, Abdullah Abdullah, "nach Baden Baden") unless a
# determiner or a number makes them a noun phrase ("vor vier Jahren Jahren", "die Polizei Polizei").
_DETERMINERS: dict[str, frozenset[str]] = {
    "de": frozenset("der die das den dem des ein eine einen einem einer eines kein keine keinen keinem keiner "
                    "dieser diese dieses diesen diesem jeder jede jedes jeden jedem alle allen mein meine "
                    "dein deine sein seine seinen seinem seiner ihre ihren ihrem ihrer unser unsere euer eure "
                    "zwei drei vier fünf sechs sieben acht neun zehn zwölf zwanzig hundert tausend vielen "
                    "mehreren einigen wenigen beiden".split()),
    "nl": frozenset("de het een die deze dat dit mijn jouw je zijn haar ons onze hun uw elk elke ieder iedere "
                    "geen twee drie vier vijf zes zeven acht negen tien".split()),
    "en": frozenset("the a an this that these those my your his her its our their every each no two three "
                    "four five six seven eight nine ten".split()),
}
# Dutch sets no comma between a verb-final clause and the main clause's verb: "Voor hij het park
# uit was was zijn woede gezakt", "hij die vee heeft heeft het recht". A doubled finite verb after a
# subordinator or relative earlier in the sentence is that; without one it is a slip.
_CLAUSE_VERBS: dict[str, frozenset[str]] = {
    "nl": frozenset("is was waren heeft hebben had hadden wordt worden werd werden kan kon kunnen zal zou "
                    "zullen moet moest moeten wil wilde willen mag mocht".split()),
}
_SUBORDINATOR = {
    "nl": re.compile(r"\b(?:als|toen|voor|voordat|nadat|omdat|wat|wie|die|dat|zodra|terwijl|nu|hoewel|of"
                     r"|indien|wanneer|waar|zoals|doordat|sinds|totdat|tot|zodat)\b", re.IGNORECASE),
}
_SENTENCE_HEAD = re.compile(r"[^.!?;:\n]{0,200}\Z")
# A doubling standing alone between punctuation or a sentence start and a comma or exclamation mark
# is said on purpose ("Goed goed, ik stel het simpel", "God god, waarom", "genoeg genoeg, overdaad
# schaadt"); a slip sits inside a phrase ("in de de raadzaal").
_STANDALONE_AFTER = re.compile(r"[ \t]*(?:[,!…]|[-–—](?!\w))")
# "om om te keren", "om om negen uur te beginnen": the infinitive marker followed by a preposition
# or separable prefix; correct when a "te" follows in the clause.
_INFINITIVE_MARKER = {"nl": ("om", "te"), "de": ("um", "zu")}
_CLAUSE_TAIL = re.compile(r"[^.!?;:\n]{0,80}")
# A doubled word one keystroke from another word that fits the same place: "appels een een peer"
# is "appels en een peer", not a doubled article. When the word before the pair is a lower-case
# content word (a noun or a verb, not a function word), deleting the copy is only a guess (unsafe).
TYPO_FOR: dict[str, dict[str, str]] = {"nl": {"een": "en"}, "de": {"ein": "in"}, "en": {"an": "and"}}
# stdlib re: ≈ 3× faster than the regex module here
_DOUBLED = re.compile(
    r"(?<![\w'’-])([^\W\d_]+)([ \t\u00a0]+(?:\r\n|\r|\n)?[ \t\u00a0]*|(?:\r\n|\r|\n)[ \t\u00a0]*)"
    r"(\1)(?![\w'’-])", re.IGNORECASE)
_WORD_BEFORE = re.compile(r"([^\W\d_]+|\d+)[^\w\n]{0,3}\Z")

rule(
    "article/doubled-word", Severity.WARNING,
    "The same word twice in a row ('the the').",
    explanation=(
        "The same word twice with only white space between (case-insensitive, also across a line break). "
        "Not flagged: words that can legitimately repeat (en 'had had', 'that that', 'gave her her book'; "
        "nl 'dat je je vergist', 'of het het waard is', 'via via', 'om om te keren'; de relative 'die die', "
        "'Hallo hallo', 'sehr sehr'; fr reflexive 'nous nous'; 'bye bye'), an acronym followed by the same "
        "letters as a lower-case word ('het OM om'), and repeated capitalised words (Walla Walla, Bora Bora: "
        "names) unless the word is a common lower-case word written in both cases ('The the') or, in German, "
        "a noun after a determiner ('vor vier Jahren Jahren'); a lower-case word followed by its capitalised "
        "copy (a headline run into the first sentence: 'shares Shares'); in German a noun followed by its "
        "verb ('wenn Fliegen fliegen'). In English, words that are not among the language's most frequent "
        "words (Zipf < 5: content words repeated on purpose, 'ylang ylang', 'plus plus') are left alone; in "
        "Dutch and German a doubled verb, noun or adverb is found too, rare words (names) aside. Hyphenated "
        "doubles (Baden-Baden) are one word. Fix: remove the second copy; unsafe where the doubled word is "
        "one letter from another that fits ('appels een een peer' for 'en een')."),
    examples=[
        Example("They met in in Geneva on Monday.\n", True, "They met in Geneva on Monday.\n"),
        Example("The the talks resumed.\n", True, "The talks resumed.\n"),
        Example("He had had enough of Walla Walla and Baden-Baden.\n", False),
        Example("It smelt of ylang ylang.\n", False),
        Example("Apple shares Shares in Apple rose.\n", False),
        Example("Het is niet de bedoeling dat je je hele leven wacht.\n", False, lang="nl"),
        Example("Het overleg begint in de de raadzaal.\n", True, "Het overleg begint in de raadzaal.\n", "nl"),
        Example("Die Ermittlungen sind sind noch nicht beendet.\n", True,
                "Die Ermittlungen sind noch nicht beendet.\n", "de"),
    ],
    fix="always", applicability=("safe",),
)


_EDGE_PUNCT = ".,;:!?\"'’“”‘„()[]{}«»‹›<>*_–—-"


def _doubled_candidates(text: str) -> bool:
    """Cheap pre-check (whitespace split, ≈ 3× faster than the regex): any token
    equal to the next one, punctuation aside?"""
    p = _EDGE_PUNCT
    prev: list[str] = []
    pos, n = 0, len(text)
    while pos < n:  # in slices cut at white space: the whole text's token list is 10x its size
        end = min(n, pos + _SLICE)
        while end < n and not text[end].isspace():
            end += 1
        toks = prev + text[pos:end].lower().split()
        nxt = toks[1:]
        # the pairwise tests as C-level maps: a generator of two method calls per
        # word pair cost 1.7 s on 10 MB
        if any(map(eq, toks, nxt)) or any(map(eq, map(str.lstrip, toks, repeat(p)), map(str.rstrip, nxt, repeat(p)))):
            return True
        prev = toks[-1:]
        pos = end
    return False


_SLICE = 1 << 16


def _sentence_start(text: str, pos: int, also: str = "") -> bool:
    """Does a sentence (or a line, a quotation; or after one of ``also``) begin at ``pos``?"""
    i = pos - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    return i < 0 or text[i] in ".!?:;\n\r\"„“”«»‘’'(–—-" or text[i] in also


def _word_before(text: str, pos: int) -> str | None:
    m = _WORD_BEFORE.search(text, max(0, pos - 60), pos)
    return m.group(1) if m else None


def _doubled_words(doc: Document) -> Iterable[Finding]:
    lang = doc.lang
    ok = DOUBLE_OK["*"] | DOUBLE_OK.get(lang, frozenset())
    known = has_wordlist(lang)
    content_min = CONTENT_DOUBLE_LANGS.get(lang)
    text = doc.text
    if not _doubled_candidates(text):
        return
    for m in _DOUBLED.finditer(text):
        a, b = m.group(1), m.group(3)
        low = a.lower()
        if low in ok:
            if low not in _PRONOUN_DOUBLES.get(lang, ()):
                continue
            before = _word_before(text, m.start())
            if not (_sentence_start(text, m.start())
                    or before is not None and before.lower() in _PREPOSITIONS.get(lang, ())):
                continue  # "dat je je vergist", "of het het waard is"
        if len(a) > 1 and a.isupper() and b.islower():
            continue  # an acronym and a word: "het OM om opheldering gevraagd", "the IT it needs"
        if _STANDALONE_AFTER.match(text, m.end()) and _sentence_start(text, m.start(), ","):
            continue  # "Goed goed, ik stel het simpel": an exclamation
        verbs = _CLAUSE_VERBS.get(lang)
        if verbs and low in verbs and b.islower():
            head = _SENTENCE_HEAD.search(text, max(0, m.start() - 200), m.start()).group()
            if _SUBORDINATOR[lang].search(head):
                continue  # "voor hij het park uit was was zijn woede gezakt"
        marker = _INFINITIVE_MARKER.get(lang)
        if marker and low == marker[0] and b.islower() \
                and re.search(rf"\b{marker[1]}\b", _CLAUSE_TAIL.match(text, m.end()).group()):
            continue  # "om om te keren", "om om negen uur te beginnen"
        if a[0].isupper() and b[0].isupper():
            if a.isupper() and b.isupper():
                continue  # an all-caps heading, initials
            det = _DETERMINERS.get(lang) if lang in _NOUN_CAPS_LANGS else None
            before = _word_before(text, m.start()) if det else None
            if not (det and before and before.lower() in det and zipf(low, lang) >= (content_min or 0)):
                continue  # Walla Walla, Bora Bora: a name
        elif a[0].islower() and b[0].isupper():
            continue  # "shares Shares": a headline run into the first sentence, not a slip
        elif a[0].isupper() and lang in _NOUN_CAPS_LANGS and not _sentence_start(text, m.start()):
            continue  # "wenn Fliegen fliegen": a noun and its verb
        if known:
            z = zipf(low, lang)
            if content_min is not None:
                if z < content_min:
                    continue  # too rare to judge: a name or a coinage ("Roa Roa")
                if z < FUNCTION_WORD_ZIPF and zipf(low, "en") > z:
                    continue  # an English word or name quoted in the copy ("Canada plus plus", "bye bye")
            elif len(low) > 2 and z < FUNCTION_WORD_ZIPF:
                continue  # ylang ylang, plus plus: a content word repeated on purpose
        safety = Applicability.SAFE
        other = TYPO_FOR.get(lang, {}).get(low)
        if other:
            before = _word_before(text, m.start())
            if before and before.islower() and zipf(before, lang) < FUNCTION_WORD_ZIPF:
                # a bare content word before the pair, as in a list ("appels een een peer": maybe
                # "en een"); after a noun phrase with its article ("de bond een een detective") the
                # second copy is a plain slip
                det = _DETERMINERS.get(lang, frozenset())
                start = text.rfind(before, max(0, m.start() - 60), m.start())
                earlier = _word_before(text, start)
                if not (earlier and earlier.lower() in det):
                    safety = Applicability.UNSAFE
        yield Finding("article/doubled-word", Severity.WARNING, m.start(), m.end(3),
                      f"'{a}' twice" + (f" (or a slip for '{other} {low}')" if safety is Applicability.UNSAFE
                                        else ""), text=m.group(),
                      fix=Fix.replace(m.end(1), m.end(3), "", safety),
                      data={"word": low})


# Runs before the name matcher (order 20; it needs nothing of it): its transient tables
# (the repeated lines' keys) are freed before the matches are made, and the matcher
# reuses that memory (a 50 MB article peaked at 493 MB with this check last, 444 MB first).
@check("article", rules=["article/duplicate-paragraph", "article/boilerplate", "article/double-space",
                         "article/doubled-word"], order=15)
def check_article(doc: Document) -> Iterable[Finding]:
    enabled = doc.enabled

    def on(r: str) -> bool:
        return enabled is None or r in enabled

    blocks = duplicate_blocks(doc) if on("article/duplicate-paragraph") else []
    if blocks:
        yield from _duplicates(doc, blocks)
    if on("article/boilerplate"):
        inside = sorted((s, e) for s, e, _, _ in blocks)  # disjoint: later copies, in text order
        starts = [s for s, _ in inside]

        def in_block(f) -> bool:
            i = bisect.bisect_right(starts, f.start) - 1
            return i >= 0 and f.end <= inside[i][1]

        # a line inside a repeated block goes with the block
        yield from (f for f in _boilerplate(doc) if not (inside and in_block(f)))
    if on("article/double-space"):
        yield from _double_spaces(doc)
    if on("article/doubled-word"):
        yield from _doubled_words(doc)
