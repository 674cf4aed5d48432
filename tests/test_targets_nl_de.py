"""Dutch and German targets: articles of our own, written with each language's
press spellings, corrupted the way MT corrupts them (another language's
spelling, a typo, a foreign genitive, both), and scored per category the way
the development corpus is (recall of the injected errors, and the fix
restoring the clean text). The clean articles must give no finding at all."""
from __future__ import annotations

from collections import defaultdict

import pytest

from qa.engine.checker import Checker
from qa.text.glossary import load_glossaries
from qa.text.index import GlossaryIndex

ARTICLES = {
    "de": (
        "Selenskyj trifft Scholz in Berlin\n\n"
        "Der ukrainische Präsident Wolodymyr Selenskyj ist am Montag in Berlin mit Bundeskanzler Olaf Scholz "
        "zusammengetroffen. Außenminister Dmytro Kuleba begleitete ihn. Nach Angaben aus Kiew ging es um "
        "Luftabwehr für Charkiw und Odessa.\n\n"
        "Kremlsprecher Dmitri Peskow sagte, Moskau verfolge die Gespräche genau. Der russische Außenminister "
        "Sergej Lawrow warf dem Westen vor, den Krieg zu verlängern. Putins Sprecher wies Berichte über "
        "Verhandlungen zurück.\n\n"
        "In Cherson und Saporischschja ging der Beschuss weiter. Auch in Donezk und Luhansk wurden Angriffe "
        "gemeldet. Lawrows Äußerungen stießen in Warschau auf Kritik.\n"
    ),
    "nl": (
        "Zelensky ontmoet Rutte in Den Haag\n\n"
        "De Oekraïense president Volodymyr Zelensky heeft maandag in Den Haag gesproken met Mark Rutte. "
        "Minister van Buitenlandse Zaken Dmytro Koeleba was erbij. Volgens Kyiv ging het over luchtafweer "
        "voor Charkiv en Odesa.\n\n"
        "Kremlinwoordvoerder Dmitri Peskov zei dat Moskou de gesprekken volgt. De Russische minister Sergej "
        "Lavrov verweet het Westen de oorlog te rekken. Poetins woordvoerder ontkende berichten over "
        "onderhandelingen.\n\n"
        "In Cherson en Zaporizja ging de beschieting door. Ook in Donetsk en Loehansk werden aanvallen "
        "gemeld. Koeleba's uitspraken kregen steun in Warschau.\n"
    ),
}

# (category, clean text, corrupted text): each replaces one occurrence in the article
ERRORS = {
    "de": [
        ("translit", "Wolodymyr Selenskyj ist", "Volodymyr Zelensky ist"),
        ("translit", "Kuleba begleitete", "Koeleba begleitete"),
        ("translit", "für Charkiw", "für Kharkiv"),
        ("translit", "Dmitri Peskow", "Dmitry Peskov"),
        ("translit", "Sergej Lawrow warf", "Sergej Lavrov warf"),  # Sergei is a German spelling too
        ("translit", "In Cherson", "In Kherson"),
        ("translit", "und Saporischschja", "und Zaporizhzhia"),
        ("typo", "Bundeskanzler Olaf Scholz", "Bundeskanzler Olaf Schloz"),
        ("typo", "Auch in Donezk", "Auch in Donnezk"),
        ("typo", "Selenskyj trifft", "Selenskjy trifft"),
        ("possessive", "Putins Sprecher", "Putin's Sprecher"),
        ("possessive", "Lawrows Äußerungen", "Lawrow's Äußerungen"),
        ("translit+poss", "Putins Sprecher", "Poetins Sprecher"),
        ("translit+poss", "Lawrows Äußerungen", "Lavrov's Äußerungen"),
        ("typo+poss", "Lawrows Äußerungen", "Larwows Äußerungen"),
    ],
    "nl": [
        ("translit", "Dmytro Koeleba was", "Dmytro Kuleba was"),
        ("translit", "voor Charkiv", "voor Kharkiv"),
        ("translit", "Sergej Lavrov verweet", "Sergej Lawrow verweet"),  # Sergei is a Dutch spelling too
        ("translit", "In Cherson", "In Kherson"),
        ("translit", "en Zaporizja", "en Zaporizhzhia"),
        ("translit", "en Loehansk", "en Luhansk"),
        ("typo", "met Mark Rutte", "met Mark Rtute"),
        ("typo", "Ook in Donetsk", "Ook in Donestk"),
        ("typo", "Zelensky ontmoet", "Zelenksy ontmoet"),
        ("possessive", "Poetins woordvoerder", "Poetin's woordvoerder"),
        ("possessive", "Koeleba's uitspraken", "Koelebas uitspraken"),
        ("translit+poss", "Poetins woordvoerder", "Putin's woordvoerder"),
        ("translit+poss", "Koeleba's uitspraken", "Kuleba's uitspraken"),
        ("typo+poss", "Poetins woordvoerder", "Poetuns woordvoerder"),
    ],
}

_CHECKERS: dict[str, Checker] = {}


def checker(lang):
    if lang not in _CHECKERS:
        g = load_glossaries()
        _CHECKERS[lang] = Checker(index=GlossaryIndex.build(g, lang), lang=lang, select=["name"], glossary=g)
    return _CHECKERS[lang]


@pytest.mark.parametrize("lang", sorted(ARTICLES))
def test_clean_article_has_no_finding(lang):
    fs, _ = checker(lang).check_text(ARTICLES[lang])
    assert [(f.rule, f.text) for f in fs] == []


@pytest.mark.parametrize("lang", sorted(ARTICLES))
def test_recall_and_fix_per_category(lang):
    clean = ARTICLES[lang]
    n, hit, fixed = defaultdict(int), defaultdict(int), defaultdict(int)
    misses = []
    for cat, right, wrong in ERRORS[lang]:
        assert right in clean, right
        text = clean.replace(right, wrong, 1)
        start = text.index(wrong)
        fs, _ = checker(lang).check_text(text)
        n[cat] += 1
        over = [f for f in fs if f.start < start + len(wrong) and start < f.end]
        if not over:
            misses.append((cat, wrong))
            continue
        hit[cat] += 1
        edits = sorted((e for f in over if f.fix for e in f.fix.edits), key=lambda e: -e.start)
        out = text
        for e in edits:
            out = out[:e.start] + e.replacement + out[e.end:]
        if out.replace("'", "’") == clean.replace("'", "’"):
            fixed[cat] += 1
            continue
        misses.append((cat, wrong, [f.fix for f in over]))
    for cat in n:
        assert hit[cat] / n[cat] >= 0.98, (cat, misses)
        assert fixed[cat] / n[cat] >= 0.98, (cat, misses)
