"""``copydesk glossary suggest``: names in a corpus that the glossary lacks.

A desk grows its glossary from its own archive: capitalised names that no
glossary term explains, that are not words of the target language, and that
look like transliterations from Cyrillic (Slavic endings such as -enko, -ov,
-sky, -yuk, -ivka, letter groups such as kh, zh, shch, yu, ya), ranked by how
often they occur, each with an example context. Multi-word names (given name
and surname, "Nova Kakhovka") are reported whole.

Why not a named-entity recogniser: the ones on the package index need a
downloaded model; the capitalised-run scan the name rules already use, plus
the target language's word list, finds the same candidates for this job.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from qa.text.evidence import is_opener, is_title
from qa.text.index import GlossaryIndex
from qa.text.name_plans import CHUNK, _tokens
from qa.text.wordfreqs import zipf

# word shapes of transliterated Slavic (and Caucasian, Central Asian) names
_TRANSLIT = re.compile(
    r"(?:enko|chuk|yuk|iuk|uk|chyk|ov|ova|ev|eva|yov|in|ina|yn|yna|sky|skyi|skiy|ska|skaya|ski|ich|vich|ovych|"
    r"evych|yan|ian|ets|ko|ovsk|sk|ivka|ovka|ino|ovo|evo|yi|iy|yy|ai|yuk|dze|shvili|bek|ov[a-z]?)$"
    r"|kh|zh|shch|sch|yu|ya|ye|yi|ts|iy|yy|ii", re.IGNORECASE)


@dataclass
class Suggestion:
    name: str
    count: int
    files: int
    example: str
    kind_hint: str
    forms: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict:
        return {"name": self.name, "count": self.count, "files": self.files,
                "kind": self.kind_hint, "example": self.example,
                "spellings": dict(self.forms.most_common(5))}


_PLACE_CUES = re.compile(r"\b(?:in|near|of|from|to|outside|village|town|city|region|oblast|district|river)\s+$", re.I)


def _looks_translit(word: str) -> bool:
    return bool(_TRANSLIT.search(word))


def suggest(texts: Iterable[tuple[str, str]], index: GlossaryIndex, limit: int = 50,
            min_count: int = 2) -> list[Suggestion]:
    """Rank the candidate names in ``texts`` ((key, text) pairs)."""
    lang = index.lang
    counts: Counter = Counter()
    files: dict[str, set] = defaultdict(set)
    example: dict[str, str] = {}
    place_votes: Counter = Counter()
    person_votes: Counter = Counter()
    spellings: dict[str, Counter] = defaultdict(Counter)
    for key, text in texts:
        for cm in CHUNK.finditer(text):
            toks = _tokens(cm.group(), cm.start())
            # drop sentence openers and titles at the front of the run
            while toks and (is_opener(toks[0].text) or is_title(toks[0].text)):
                toks = toks[1:]
            if not toks or len(toks) > 3:
                continue
            last = toks[-1]
            if last.key in index.by_token or (last.gen_base and last.gen_base in index.by_token):
                continue  # the glossary explains it (a given name it knows may go with a new surname)
            last = toks[-1]
            if len(last.key) < 4 or last.text.isupper():
                continue
            if zipf(last.text, lang, "best") >= 2.5 or not _looks_translit(last.text):
                continue
            if len(toks) > 1 and any(zipf(t.text, lang, "best") >= 3.5 for t in toks[:-1]):
                toks = toks[-1:]  # "Kremlin Peskov"-like runs: keep the unknown name
            name = " ".join(t.text for t in toks)
            canon = name.casefold()
            counts[canon] += 1
            files[canon].add(key)
            spellings[canon][name] += 1
            if canon not in example:
                a, b = max(0, cm.start() - 60), min(len(text), cm.end() + 60)
                example[canon] = " ".join(text[a:b].split())
            if len(toks) >= 2:
                person_votes[canon] += 1
            if _PLACE_CUES.search(text[max(0, cm.start() - 20):cm.start()]):
                place_votes[canon] += 1
    # a surname seen alone and with its given name counts once, under the full name
    full_of: dict[str, str] = {}
    for canon in counts:
        parts = canon.split()
        if len(parts) >= 2:
            full_of.setdefault(parts[-1], canon)
    for sur, full in full_of.items():
        if sur in counts and sur != full:
            counts[full] += counts.pop(sur)
            files[full] |= files.pop(sur, set())
            spellings[full].update(spellings.pop(sur, {}))
    out = []
    for canon, n in counts.most_common():
        if n < min_count:
            continue
        kind = "person" if person_votes[canon] else ("place" if place_votes[canon] * 2 >= n else "term")
        words = len(canon.split())
        best = next(w for w, _ in spellings[canon].most_common() if len(w.split()) == words)
        out.append(Suggestion(best, n, len(files[canon]), example.get(canon, ""), kind, spellings[canon]))
        if len(out) >= limit:
            break
    return out


def read_corpus(paths: Iterable[str]) -> Iterable[tuple[str, str]]:
    """(key, text) for every article the source layer finds under ``paths``
    (text, HTML, JSON Lines records); unreadable ones are skipped."""
    from qa.sources.items import InputError, expand, load

    for it in expand(list(paths)):
        try:
            yield it.item, load(it)
        except InputError:
            continue
