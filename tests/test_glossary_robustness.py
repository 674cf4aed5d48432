"""The glossary loader must not crash on native names with unusual punctuation
(GeoNames has "Санта - Анита"), and a form the compiler cannot handle is a
located glossary error (``file:line: …``), never a traceback or exit 1."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from qa.text.cache import compile_glossary
from qa.text.glossary import GlossaryError, parse_glossary
from qa.text.index import GlossaryIndex
from qa.text.translit import press_spellings

ROOT = Path(__file__).resolve().parent.parent


def _toml(native: str, en: str = "Santa Anita", src: str = "ru") -> str:
    esc = native.replace("\\", "\\\\").replace('"', '\\"')
    return ('[glossary]\nformat = 1\nname = "t"\n\n[[term]]\nid = "t1"\nkind = "place"\n'
            f'forms.en = "{en}"\nnative.{src} = "{esc}"\n')


@pytest.mark.parametrize("native", [
    "Санта - Анита", "Санта -Анита", "Санта- Анита", "Санта--Анита", "Ки-", "-Ки", "- Ки -",
    "Санта ‐ Анита", "Санта – Анита", "Ь", "ь-ъ", "Санта (Анита)", "Санта, Анита", "«Анита»",
    "Санта / Анита", "Анита’", "Сан'та", "Ки-ев-", "Санта . Анита",
])
def test_native_punctuation_compiles(native):
    g = parse_glossary(_toml(native), "t.toml")
    for lang in ("en", "fr", "de", "nl"):
        idx = GlossaryIndex.build(g, lang)
        assert idx.term_shapes("t1"), native


def test_spaced_hyphen_is_kept_as_written():
    # the crash case of issue 10: a spaced hyphen is a word of its own
    assert press_spellings("Санта - Анита", "ru", ("en",))["en"][0] == "Santa - Anita"
    assert press_spellings("Ки-", "ru", ("en",))["en"][0] == "Ki-"


_CYR = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґўАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯІЇЄҐ"
_PUNCT = " -‐–—'’ʼ.,()/«»\"!?&:;"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(native=st.text(alphabet=_CYR + _PUNCT, min_size=1, max_size=24)
       .filter(lambda s: s.strip() and any(c.isalpha() for c in s)),
       src=st.sampled_from(["ru", "uk", "be", "bg"]))
def test_any_punctuated_native_compiles(native, src):
    g = parse_glossary(_toml(native, src=src), "t.toml")
    for lang in ("en", "pl", "fr"):
        GlossaryIndex.build(g, lang)  # never raises


def test_compiler_failure_is_a_located_glossary_error(monkeypatch):
    import qa.text.index as index_mod

    def boom(*a, **k):
        raise IndexError("list index out of range")

    monkeypatch.setattr(index_mod, "press_spellings", boom)
    g = parse_glossary(_toml("Санта Анита"), "places.toml")
    with pytest.raises(GlossaryError) as e:
        compile_glossary([("places.toml", _toml("Санта Анита"))], "en", use_cache=False)
    msg = str(e.value)
    assert msg.startswith("places.toml:5: term 't1'"), msg
    assert "IndexError" in msg and "\n" not in msg
    assert g.terms[0].line == 5


def test_cli_punctuated_natives_exit_clean(tmp_path):
    gl = tmp_path / "g.toml"
    gl.write_text(_toml("Санта - Анита") + '\n[[term]]\nid = "t2"\nkind = "place"\nforms.en = "Ki"\n'
                  'native.ru = "- Ки -"\n', encoding="utf-8")
    art = tmp_path / "a.txt"
    art.write_text("The mayor of Santa Anita met officials on Monday.\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "qa", "check", "--glossary", str(gl), str(art)],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
