from __future__ import annotations

from pathlib import Path

import pytest

from qa.rules import load_builtin_rules

# The engine runs whatever rules are registered; the project layer registers the
# built-in ones. Tests that build a Checker by hand need them registered too.
load_builtin_rules()

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
EVAL_DEV = SHARED / "eval-dev"


from support import need_shared, seed  # noqa: E402  (the data may be required: see tests/support.py)


@pytest.fixture(scope="session")
def seed000() -> Path:
    return seed("000")


@pytest.fixture(scope="session")
def seed004() -> Path:
    return seed("004")


@pytest.fixture(scope="session")
def eval_dev() -> Path:
    need_shared(EVAL_DEV / "labels.json", "development corpus")
    return EVAL_DEV


MINI_GLOSSARY = """
[glossary]
name = "test desk"
format = 1

[[term]]
id = "dmytro-kuleba"
kind = "person"
forms.en = "Dmytro Kuleba"
forms.nl = "Dmytro Koeleba"
native.uk = "Дмитро Кулеба"
native.ru = "Дмитрий Кулеба"
wrong.en = ["Dmitry Kuleba"]

[[term]]
id = "vladimir-putin"
kind = "person"
forms.en = "Vladimir Putin"
forms.nl = "Vladimir Poetin"
forms.de = "Wladimir Putin"
native.ru = "Владимир Путин"
native.uk = "Володимир Путін"

[[term]]
id = "volodymyr-zelensky"
kind = "person"
forms.en = ["Volodymyr Zelensky", "Volodymyr Zelenskyy"]
forms.de = "Wolodymyr Selenskyj"
native.uk = "Володимир Зеленський"
native.ru = "Владимир Зеленский"

[[term]]
id = "antony-blinken"
kind = "person"
forms.en = "Antony Blinken"
native.ru = "Энтони Блинкен"

[[term]]
id = "sergei-shoigu"
kind = "person"
forms.en = "Sergei Shoigu"
native.ru = "Сергей Шойгу"

[[term]]
id = "luhansk"
kind = "place"
forms.en = "Luhansk"
native.uk = "Луганськ"
native.ru = "Луганск"

[[term]]
id = "kyiv"
kind = "place"
forms.en = "Kyiv"
forms.de = "Kiew"
native.uk = "Київ"
native.ru = "Киев"
wrong.en = ["Kiev"]

[[term]]
id = "shakhtar-donetsk"
kind = "org"
forms.en = "Shakhtar Donetsk"
native.uk = "Шахтар Донецьк"

[[term]]
id = "moldova"
kind = "place"
forms.en = "Moldova"
native.ru = "Молдова"

[[term]]
id = "donetsk"
kind = "place"
forms.en = "Donetsk"
native.uk = "Донецьк"
native.ru = "Донецк"
"""


@pytest.fixture(scope="session")
def mini_glossary_path(tmp_path_factory) -> Path:
    p = tmp_path_factory.mktemp("gl") / "mini.toml"
    p.write_text(MINI_GLOSSARY, encoding="utf-8")
    return p


@pytest.fixture(scope="session")
def mini_glossary():
    from qa.text.glossary import parse_glossary

    return parse_glossary(MINI_GLOSSARY, "mini.toml")


@pytest.fixture(scope="session")
def checker_for(mini_glossary):
    from qa.engine.checker import Checker
    from qa.text.index import GlossaryIndex

    cache = {}

    def make(lang="en", select=("name",)):
        key = (lang, tuple(select) if select else None)
        if key not in cache:
            cache[key] = Checker(index=GlossaryIndex.build(mini_glossary, lang), lang=lang,
                                 select=list(select) if select else None)
        return cache[key]

    return make
