"""Issue 27's name classes: acronyms, brands, words built on names, compounds,
callings that contradict the glossary note, German press variants. Examples of
our own, positive (still found) and negative (no false alarm), per target."""
from __future__ import annotations

import pytest

from qa.engine.checker import Checker
from qa.rules import load_builtin_rules
from qa.text.glossary import load_glossaries
from qa.text.index import GlossaryIndex

load_builtin_rules()
_CHECKERS: dict[str, Checker] = {}


def names_in(text: str, lang: str) -> list[tuple[str, str | None]]:
    if lang not in _CHECKERS:
        _CHECKERS[lang] = Checker(index=GlossaryIndex.build(load_glossaries(), lang), lang=lang, select=["name"])
    fs, _ = _CHECKERS[lang].check_text(text)
    return [(f.text, f.fix_after) for f in fs]


NEGATIVE = [
    # an international acronym is not the letters of the Russian one (IAEA, not MAHATE)
    ("de", "Die Atomenergiebehörde IAEA prüft die Anlage; die IAEA-Inspektoren reisen morgen."),
    ("nl", "Het atoomagentschap IAEA stuurt inspecteurs; de IAEA meldt niets."),
    ("en", "The IAEA said its inspectors would return."),
    # a brand's own writing in any case (PrivatBank), and the common noun
    ("de", "Die Privatbank aus Kiew, die PrivatBank, wurde verstaatlicht. Eine Privatbank in Hamburg auch."),
    ("nl", "De PrivatBank werd genationaliseerd."),
    # inflected and derived words built on a name
    ("de", "Ein Mitglied des Föderationsrates und zwei Abgeordnete des Bundesrates stimmten zu."),
    ("de", "Der Kasache, die Moldauerin und drei Litauer reisten mit Kiewer Beamten nach Donezker Gebiet."),
    ("nl", "Twee Litouwers en een Kazach spraken met Kyivse ambtenaren."),
    # hyphenated compounds and coinages ending in a word of the language
    ("de", "Der Kreml-Chef lobte die Wagner-Söldner; das Asow-Regiment und die Putin-Versteher schwiegen."),
    ("nl", "De Wagner-groep en de Kremlin-woordvoerder; Poetin-fans juichten."),
    # a calling the glossary note does not give the term: another person of that name
    ("en", "The sermon by Fr. Vladimir Zelensky, a parish priest in Tver, was read aloud."),
    ("en", "The goalkeeper Vladimir Zelensky saved a penalty."),
    ("de", "Pater Wladimir Selenskyj predigte am Sonntag."),
    # German press: the Ukrainian-based press spelling of a Ukrainian beside the glossary's form
    ("de", "Wiktor Janukowytsch floh 2014 nach Russland. Janukowytsch lebt seither dort."),
]


@pytest.mark.parametrize("lang,text", NEGATIVE)
def test_no_false_alarm(lang, text):
    assert names_in(text, lang) == []


POSITIVE = [
    # the letters of the Russian or Ukrainian acronym stay wrong
    ("en", "The MAGATE inspectors arrived.", ("MAGATE", "IAEA")),
    ("de", "Die MAHATE prüft die Anlage.", ("MAHATE", "IAEA")),
    # misspellings that look like a derived word or a compound are still misspellings
    ("de", "In Sibiren schneit es seit Tagen.", ("Sibiren", "Sibirien")),
    ("en", "Rocket fire hit Roston-on-Don overnight.", ("Roston-on-Don", "Rostov-on-Don")),
    # the president's given name in its Russian form, without a contradicting calling
    ("en", "President Vladimir Zelensky spoke in Kyiv.", ("Vladimir", "Volodymyr")),
    # a misspelt surname after a calling is still the surname's misspelling
    ("en", "Zelensky spoke. Fr. Vladimir Zelinsky, a priest, replied.", ("Zelinsky", "Zelensky")),
    # German press: a Russian-based spelling of a Ukrainian's given name stays wrong
    ("de", "Minister Aleksej Resnikow besuchte die Front.", ("Aleksej", "Oleksij")),
    # another language's spelling of a German press name stays wrong
    ("de", "Wiktor Janoekovytsj floh nach Russland.", None),
]


@pytest.mark.parametrize("lang,text,expected", POSITIVE)
def test_still_found(lang, text, expected):
    found = names_in(text, lang)
    if expected is None:
        assert found
    else:
        assert any(f[0] == expected[0] and (f[1] or "").startswith(expected[1]) for f in found), found


# --- MT recall on unseen pairs (Ukrainian/Russian → English) ---
MT_POSITIVE = [
    ("en", "Russian troops left their positions in Irpeni last spring.", ("Irpeni", "Irpin")),
    ("en", "The governor of Voronezha region spoke.", ("Voronezha", "Voronezh")),
    ("en", "The talks in Kharkova failed again.", ("Kharkova", "Kharkiv")),
    ("en", "The minister Kulebi said the talks had failed.", ("Kulebi", "Kuleba")),
    # a place cut short where the text says a place stands, the full name in the article
    ("en", "Residents of Sumy fled. In the city, shelling went on; in Sum the sirens sounded again.", ("Sum", "Sumy")),
    # a German press form left in English MT
    ("en", "Shelling hit Charkiw overnight.", ("Charkiw", "Kharkiv")),
    # a letter-by-letter acronym in an article on the desk's beat
    ("en", "Near Izium and Kupiansk, the ZSU pushed on towards Lyman.", ("ZSU", "AFU")),
]


@pytest.mark.parametrize("lang,text,expected", MT_POSITIVE)
def test_mt_classes_found(lang, text, expected):
    found = names_in(text, lang)
    assert any(f[0] == expected[0] and (f[1] or "").startswith(expected[1]) for f in found), found


MT_NEGATIVE = [
    ("en", "The sum was paid in Kyiv. Sum totals were published."),  # no Sumy named
    ("en", "Residents of Sumy fled. Sum totals were published."),  # a sentence's first word, no place cue
    ("en", "Maria Lavrova, a chemist, spoke."),  # a feminine surname is another person, not an inflection
    ("en", "The VSU campus reopened; the ZSU-23-4 gun was shown."),  # not on the beat / a weapon's name
    ("de", "Die Bewohner von Butscha lasen in Buch und Zeitung."),  # a German noun after "in"
]


@pytest.mark.parametrize("lang,text", MT_NEGATIVE)
def test_mt_classes_no_false_alarm(lang, text):
    assert names_in(text, lang) == []


# --- English inside Dutch or German copy ---
@pytest.mark.parametrize("lang,text", [
    ("de", "Das berichtete die Zeitung Kyiv Post. Laut Kyiv Independent griff Russland an."),
    ("de", "Die Kampagne \"Stand with Ukraine\" und das Motto „Kyiv not Kiev“ gingen um die Welt."),
    ("nl", "Volgens de Kyiv Independent viel Rusland aan; het programma Ukraine Today zond het uit."),
    ("nl", "De rubriek \"Letter from Kharkiv\" verschijnt wekelijks."),
])
def test_english_names_and_quotes_in_dutch_and_german_copy(lang, text):
    assert names_in(text, lang) == []


@pytest.mark.parametrize("lang,text,expected", [
    ("nl", "Minister Shoigu sprak in Moskou.", ("Shoigu", "Sjojgoe")),  # a person's English spelling
    ("de", "Verteidigungsminister Shoigu sprach.", ("Shoigu", "Schoigu")),
    ("de", "In Kyiv wurde gekämpft.", ("Kyiv", "Kiew")),  # the English form in German prose
    ("de", "Er sagte: \"Kyiv wird nicht fallen\".", ("Kyiv", "Kiew")),  # a German quotation
    ("nl", "In Kharkiv werd gevochten.", ("Kharkiv", "Charkiv")),
])
def test_english_forms_in_dutch_and_german_prose_stay_findings(lang, text, expected):
    found = names_in(text, lang)
    assert any(f[0] == expected[0] and (f[1] or "").startswith(expected[1]) for f in found), found
