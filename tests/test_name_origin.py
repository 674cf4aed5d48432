"""Issue 27, name classes on Dutch and German copy: a name's own language and
script (``origin`` / a Latin-script ``native.L``) decides which spellings each
press accepts. Examples of our own, positive and negative, per target."""
from __future__ import annotations

import pytest

from qa.engine.checker import Checker
from qa.rules import load_builtin_rules
from qa.text.glossary import GlossaryError, load_glossaries, parse_glossary
from qa.text.index import GlossaryIndex, ascii_letters, name_origins

load_builtin_rules()
_CHECKERS: dict[str, Checker] = {}


def names_in(text: str, lang: str) -> list[tuple[str, str | None]]:
    if lang not in _CHECKERS:
        _CHECKERS[lang] = Checker(index=GlossaryIndex.build(load_glossaries(), lang), lang=lang, select=["name"])
    fs, _ = _CHECKERS[lang].check_text(text)
    return [(f.text, f.fix_after) for f in fs]


# --- Latin-script places and people are written as their own language writes them ---
@pytest.mark.parametrize("lang,text", [
    ("nl", "De top vond plaats in Istanbul, daarna reisde hij door naar Vilnius en Riga."),
    ("nl", "In Chișinău en in Chisinau sprak hij met president Maia Sandu."),
    ("de", "Der Gipfel fand in Vilnius statt; danach reiste er nach Tallinn und Rīga."),
    ("de", "Präsidentin Maia Sandu empfing ihn in Chișinău."),
    ("nl", "Mark Rutte en Olaf Scholz spraken met Antony Blinken."),
    ("de", "Olaf Scholz traf Recep Tayyip Erdoğan in İstanbul."),
    ("en", "The talks in Istanbul and Vilnius went on; Maia Sandu spoke in Chișinău."),
])
def test_latin_script_names_are_not_respelled_through_cyrillic_tables(lang, text):
    assert names_in(text, lang) == []


@pytest.mark.parametrize("lang,text,wrong,fix", [
    # a re-transliteration from the Russian form (what MT from Russian produces) is still wrong
    ("nl", "De top vond plaats in Vilnjoes.", "Vilnjoes", "Vilnius"),
    ("de", "Der Gipfel fand in Wilnjus statt.", "Wilnjus", "Vilnius"),
    ("nl", "Hij sprak met Olaf Sjolts over wapens.", "Sjolts", "Scholz"),
])
def test_cyrillic_respellings_of_latin_names_stay_findings(lang, text, wrong, fix):
    assert (wrong, fix) in names_in(text, lang)


# --- a person's own Cyrillic language: the other language's spelling is a finding ---
@pytest.mark.parametrize("lang,text,wrong,fix", [
    ("nl", "De Russische minister Sergei Lavrov sprak.", "Sergei", "Sergej"),  # Dutch press: й → j
    ("nl", "Minister Aleksej Reznikov bezocht het front.", "Aleksej", "Oleksij"),  # a Ukrainian: no Russian given name
])
def test_given_name_in_another_press_spelling_is_flagged(lang, text, wrong, fix):
    assert (wrong, fix) in names_in(text, lang)


@pytest.mark.parametrize("lang,text", [
    ("nl", "De Russische minister Sergej Lavrov sprak."),
    ("de", "Der russische Außenminister Sergej Lawrow sprach."),
    ("de", "Der russische Außenminister Sergei Lawrow sprach."),  # German press: й → j or i
    ("en", "Foreign Minister Sergei Lavrov spoke."),
    ("nl", "Minister Oleksij Reznikov bezocht het front."),
])
def test_own_press_spelling_is_accepted(lang, text):
    assert names_in(text, lang) == []


# --- the glossary model ---
def _one(toml_term: str):
    return parse_glossary('[glossary]\nformat = 1\n\n[[term]]\n' + toml_term, "t.toml").terms[0]


def test_origin_is_declared_inferred_or_unknown():
    assert name_origins(_one('id = "a"\nkind = "place"\nforms.en = "Vilnius"\nnative.lt = "Vilnius"\nnative.ru = "Вильнюс"\n')) == ("lt",)
    assert name_origins(_one('id = "a"\nkind = "person"\nforms.en = "Dmytro Kuleba"\nnative.uk = "Дмитро Кулеба"\nnative.ru = "Дмитрий Кулеба"\n')) == ("uk",)
    assert name_origins(_one('id = "a"\nkind = "person"\nforms.en = "Sergei Lavrov"\nnative.uk = "Сергій Лавров"\nnative.ru = "Сергей Лавров"\n')) == ("ru",)
    assert name_origins(_one('id = "a"\nkind = "person"\nforms.en = "Mark Rutte"\nnative.ru = "Марк Рютте"\norigin = "nl"\n')) == ("nl",)
    # a place whose English form is an exonym (Moscow) is no Latin-script name
    assert name_origins(_one('id = "a"\nkind = "place"\nforms.en = "Moscow"\nnative.ru = "Москва"\n')) == ()


def test_origin_must_be_a_language_code():
    with pytest.raises(GlossaryError, match="origin"):
        _one('id = "a"\nforms.en = "X"\norigin = "Lithuanian"\n')


def test_ascii_letters_drops_only_diacritics():
    assert ascii_letters("Chișinău") == "Chisinau"
    assert ascii_letters("İstanbul") == "Istanbul"
    assert ascii_letters("Łódź") == "Lodz"
    assert ascii_letters("Kyiv") == "Kyiv"


def test_shipped_latin_places_declare_their_origin():
    by_id = load_glossaries().by_id()
    for tid in ("vilnius", "riga", "tallinn", "istanbul", "chisinau"):
        o = name_origins(by_id[tid])
        assert o and o[0] not in ("ru", "uk", "be"), tid


def test_toml_export_keeps_the_origin():
    from qa.services.interchange import to_toml

    t = _one('id = "a"\nkind = "place"\nforms.en = "Vilnius"\nnative.ru = "Вильнюс"\norigin = "lt"\n')
    again = parse_glossary(to_toml([t], "x"), "x.toml").terms[0]
    assert again.origin == "lt" and name_origins(again) == ("lt",)


def test_a_note_less_western_name_is_not_taken_for_a_transliteration():
    # Марк Рютте → Mark Ryutte is one edit from Mark Rutte: without a note that places him,
    # only an exact transliteration makes a Cyrillic origin
    rutte = _one('id = "a"\nkind = "person"\nforms.en = "Mark Rutte"\nnative.ru = "Марк Рютте"\n')
    assert name_origins(rutte) == ("latin",)
    idx = GlossaryIndex.build(parse_glossary('[glossary]\nformat = 1\n\n[[term]]\nid = "a"\nkind = "person"\n'
                                             'forms.en = "Mark Rutte"\nnative.ru = "Марк Рютте"\n', "t.toml"), "de")
    assert idx._accepted_forms(idx.glossary.terms[0])[0][0] == "Mark Rutte"
    peskov = _one('id = "a"\nkind = "person"\nforms.en = "Dmitry Peskov"\nnative.ru = "Дмитрий Песков"\nnote = "Kremlin spokesman"\n')
    assert name_origins(peskov) == ("ru",)
