"""``article/*``: hygiene of scraped or pasted articles — repeated paragraphs,
web boilerplate, doubled spaces and doubled words."""
from __future__ import annotations

import bisect

import re
from dataclasses import dataclass
from itertools import repeat
from operator import eq
from typing import Iterable

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
        "repeated on their own ('* * *', 'News') are separators or labels: article/boilerplate's business."),
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
        for j in where.get(lines[i][2], ()):
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
                out.append((block[0][0], block[-1][1], lines[best_j][0], cut))
                for k in range(i, i + best_len):
                    where.setdefault(lines[k][2], []).append(k)
                i += best_len
                continue
        where.setdefault(lines[i][2], []).append(i)
        i += 1
    return out


def _duplicates(doc: Document, blocks) -> Iterable[Finding]:
    for start, end, first, cut in blocks:
        line, _ = doc.line_col(first)
        here, _ = doc.line_col(start)
        last, _ = doc.line_col(end)
        what = (f"lines {here}–{last} repeat the block from line {line}" if last > here
                else f"paragraph repeats the one on line {line}")
        yield Finding(
            "article/duplicate-paragraph", Severity.WARNING, start, end, what,
            text=doc.text[start:end] if last == here else doc.text[start:doc.text.find("\n", start) if "\n" in doc.text[start:end] else end],
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


_BLANK_LINE_END = regex.compile(r"(?:\r\n|\r|\n)[ \t\u00a0]*(?:\r\n|\r|\n)\Z")


def _blank_before(text: str, pos: int) -> bool:
    """Is the line before ``pos`` (a line start) blank, or is ``pos`` the start of the text?"""
    if not text[:pos].strip():
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
    "nl": frozenset({"die", "dat", "er", "heel", "ik", "te"}),
    "de": frozenset({"die", "der", "das", "dem", "den", "sie", "ganz", "sehr"}),
    "fr": frozenset({"nous", "vous", "très", "si"}),
    "es": frozenset({"que", "muy"}),
    "pl": frozenset({"to"}),
}
# A slip doubles a function word (the the, to to, je je); content words are
# repeated on purpose (ylang ylang, Canada plus plus). Function words are
# approximated by the language's most frequent words, which is where they all are.
FUNCTION_WORD_ZIPF = 5.0
# stdlib re: ≈ 3× faster than the regex module here
_DOUBLED = re.compile(
    r"(?<![\w'’-])([^\W\d_]+)([ \t\u00a0]+(?:\r\n|\r|\n)?[ \t\u00a0]*|(?:\r\n|\r|\n)[ \t\u00a0]*)"
    r"(\1)(?![\w'’-])", re.IGNORECASE)

rule(
    "article/doubled-word", Severity.WARNING,
    "The same word twice in a row ('the the').",
    explanation=(
        "The same word twice with only white space between (case-insensitive, also across a line break). "
        "Not flagged: words that can legitimately repeat (en 'had had', 'that that', 'gave her her book'; "
        "nl/de relative 'die die'; fr reflexive 'nous nous'; 'bye bye', 'very very'), and repeated "
        "capitalised words (Walla Walla, Bora Bora, Sirhan Sirhan: names) unless the word is a "
        "common lower-case word written in both cases ('The the'); a lower-case word followed by its "
        "capitalised copy (a headline run into the first sentence: 'shares Shares'); and words that are not "
        "among the language's most frequent words (Zipf < 5: content words repeated on purpose, 'ylang "
        "ylang', 'plus plus'). Hyphenated doubles (Baden-Baden) are one word. Safe fix: remove the second copy."),
    examples=[
        Example("They met in in Geneva on Monday.\n", True, "They met in Geneva on Monday.\n"),
        Example("The the talks resumed.\n", True, "The talks resumed.\n"),
        Example("He had had enough of Walla Walla and Baden-Baden.\n", False),
        Example("It smelt of ylang ylang.\n", False),
        Example("Apple shares Shares in Apple rose.\n", False),
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


def _doubled_words(doc: Document) -> Iterable[Finding]:
    ok = DOUBLE_OK["*"] | DOUBLE_OK.get(doc.lang, frozenset())
    known = has_wordlist(doc.lang)
    if not _doubled_candidates(doc.text):
        return
    for m in _DOUBLED.finditer(doc.text):
        a, b = m.group(1), m.group(3)
        low = a.lower()
        if low in ok:
            continue
        if a[0].isupper() and b[0].isupper():
            continue  # Walla Walla, Bora Bora: a name (or an all-caps heading)
        if a.isupper() and b.isupper():
            continue
        if a[0].islower() and b[0].isupper():
            continue  # "shares Shares": a headline run into the first sentence, not a slip
        if known and len(low) > 2 and zipf(low, doc.lang) < FUNCTION_WORD_ZIPF:
            continue  # ylang ylang, plus plus: a content word repeated on purpose
        yield Finding("article/doubled-word", Severity.WARNING, m.start(), m.end(3),
                      f"'{a}' twice", text=m.group(),
                      fix=Fix.replace(m.end(1), m.end(3), "", Applicability.SAFE),
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
