"""Lint the shipped glossaries (the way codespell tests its own dictionaries),
and check that format errors are reported as ``file:line: message``."""
from __future__ import annotations

import tomllib
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from qa.text.glossary import GlossaryError, load_glossaries, load_glossary_file, shipped_glossary_files

CYRILLIC_NATIVE = ("uk", "ru", "be", "kk")
NATIVE_PUNCT = set(" -ʼ’")
# Letters a language does not have: the classic slip is Russian и/ы for
# Ukrainian і/и, or a Ukrainian і in a Russian name.
FOREIGN_LETTERS = {
    "ru": set("іїєґў"),
    "uk": set("ыэёъ"),
    "be": set("ищъ"),
}


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def files() -> list[Path]:
    return shipped_glossary_files()


@pytest.fixture(scope="module")
def terms(files):
    out = []
    for f in files:
        out += load_glossary_file(f).terms
    return out


@pytest.fixture(scope="module")
def raw_terms(files):
    """The terms as written: the loader strips and de-duplicates forms, so
    whitespace and repeated forms can only be seen in the raw TOML."""
    out = []
    for f in files:
        data = tomllib.loads(f.read_text(encoding="utf-8"))
        out += [(f, t) for t in data.get("term", [])]
    return out


def _values(v) -> list[str]:
    return [v] if isinstance(v, str) else list(v)


def _where(t) -> str:
    return f"{t.path}:{t.line}: {t.id}"


# ---------------------------------------------------------------- loading

def test_there_are_shipped_glossaries(files):
    assert files, "no *.toml in glossaries/"
    assert any(f.name == "ukraine-desk.toml" for f in files)


def test_every_shipped_file_loads(files):
    errors = []
    for f in files:
        try:
            load_glossary_file(f)
        except GlossaryError as e:
            errors.append(str(e))
    assert not errors, "\n".join(errors)


def test_all_shipped_glossaries_load_together():
    g = load_glossaries()  # merging raises on an id used in two files
    assert len(g.terms) >= 150


def test_enough_terms(terms):
    assert len(terms) >= 150, f"only {len(terms)} terms"
    kinds = Counter(t.kind for t in terms)
    for kind in ("person", "place", "org"):
        assert kinds[kind] >= 20, f"only {kinds[kind]} terms of kind {kind}"


def test_ids_unique_across_files(terms):
    seen: dict[str, str] = {}
    dups = []
    for t in terms:
        if t.id in seen:
            dups.append(f"{_where(t)} (first at {seen[t.id]})")
        seen.setdefault(t.id, f"{t.path}:{t.line}")
    assert not dups, "\n".join(dups)


def test_ids_are_lower_case_ascii(terms):
    bad = [_where(t) for t in terms if not (t.id.isascii() and t.id == t.id.lower() and " " not in t.id)]
    assert not bad, "\n".join(bad)


# ---------------------------------------------------------------- scripts

def test_every_term_has_an_english_form(terms):
    bad = [_where(t) for t in terms if not t.forms.get("en")]
    assert not bad, "\n".join(bad)


def _non_cyrillic(s: str) -> list[str]:
    out = []
    for ch in s:
        if ch in NATIVE_PUNCT:
            continue
        name = unicodedata.name(ch, "?")
        if not name.startswith("CYRILLIC "):
            out.append(f"{ch!r} ({name})")
    return out


def test_native_forms_are_pure_cyrillic(terms):
    """No Latin look-alikes (a, e, o, i, c, p, x ...) inside a Cyrillic word."""
    bad = []
    for t in terms:
        for lang in CYRILLIC_NATIVE:
            for n in t.native.get(lang, ()):
                odd = _non_cyrillic(n)
                if odd:
                    bad.append(f"{_where(t)}: native.{lang} {n!r} has {', '.join(odd)}")
    assert not bad, "\n".join(bad)


def _has_cyrillic(s: str) -> bool:
    return any(unicodedata.name(ch, "").startswith("CYRILLIC ") for ch in s)


def test_forms_and_wrong_forms_have_no_cyrillic(terms):
    bad = []
    for t in terms:
        for what, table in (("forms", t.forms), ("wrong", t.wrong)):
            for lang, values in table.items():
                bad += [f"{_where(t)}: {what}.{lang} {v!r}" for v in values if _has_cyrillic(v)]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("lang", sorted(FOREIGN_LETTERS))
def test_native_letters_belong_to_the_language(terms, lang):
    foreign = FOREIGN_LETTERS[lang]
    bad = []
    for t in terms:
        for n in t.native.get(lang, ()):
            found = sorted({ch for ch in n.lower() if ch in foreign})
            if found:
                bad.append(f"{_where(t)}: native.{lang} {n!r} has {' '.join(found)}")
    assert not bad, "\n".join(bad)


def test_ukrainian_apostrophe_is_the_modifier_letter(terms):
    """Ukrainian names use ʼ (U+02BC), never the ASCII ' (TOML quoting, word splitting)."""
    bad = [f"{_where(t)}: {n!r}" for t in terms for lang in CYRILLIC_NATIVE
           for n in t.native.get(lang, ()) if "'" in n]
    assert not bad, "\n".join(bad)


# ---------------------------------------------------------------- forms

def test_no_form_listed_twice(raw_terms):
    bad = []
    for f, raw in raw_terms:
        for what in ("forms", "native", "wrong"):
            for lang, v in (raw.get(what) or {}).items():
                counts = Counter(unicodedata.normalize("NFC", x.strip()).casefold() for x in _values(v))
                bad += [f"{f}: {raw.get('id')}: {what}.{lang} lists {x!r} {n} times"
                        for x, n in counts.items() if n > 1]
    assert not bad, "\n".join(bad)


def test_no_wrong_form_is_accepted_by_any_term(terms):
    accepted: dict[tuple[str, str], list[str]] = defaultdict(list)
    for t in terms:
        for lang, forms in t.forms.items():
            for f in forms:
                accepted[(lang, f.casefold())].append(t.id)
    bad = []
    for t in terms:
        for lang, ws in t.wrong.items():
            for w in ws:
                owners = accepted.get((lang, w.casefold()))
                if owners:
                    bad.append(f"{_where(t)}: wrong.{lang} {w!r} is accepted by {', '.join(owners)}")
    assert not bad, "\n".join(bad)


def test_preferred_english_forms_are_unique(terms):
    seen: dict[str, str] = {}
    bad = []
    for t in terms:
        key = t.forms["en"][0].casefold()
        if key in seen:
            bad.append(f"{_where(t)}: preferred forms.en {t.forms['en'][0]!r} is also {seen[key]}'s")
        seen.setdefault(key, t.id)
    assert not bad, "\n".join(bad)


def test_no_stray_whitespace(raw_terms):
    bad = []
    for f, raw in raw_terms:
        for what in ("forms", "native", "wrong"):
            for lang, v in (raw.get(what) or {}).items():
                for x in _values(v):
                    if x != x.strip() or "  " in x or any(c.isspace() and c != " " for c in x):
                        bad.append(f"{f}: {raw.get('id')}: {what}.{lang} {x!r}")
                    elif unicodedata.normalize("NFC", x) != x:
                        bad.append(f"{f}: {raw.get('id')}: {what}.{lang} {x!r} is not NFC")
    assert not bad, "\n".join(bad)


def test_english_forms_start_upper_case(terms):
    bad = [f"{_where(t)}: {f!r}" for t in terms for f in t.forms["en"] if not f[:1].isupper()]
    assert not bad, "\n".join(bad)


SEEDS = {
    # preferred English form: a token that must be in it
    "Vladimir Putin": "Putin",
    "Dmytro Kuleba": "Kuleba",
    "Volodymyr Zelensky": "Zelensky",
    "Antony Blinken": "Blinken",
    "Sergei Lavrov": "Lavrov",
    "Jens Stoltenberg": "Stoltenberg",
    "Luhansk": "Luhansk",
    "Donetsk": "Donetsk",
    "Crimea": "Crimea",
    "Kyiv": "Kyiv",
    "Moscow": "Moscow",
    "Stockholm": "Stockholm",
    "Latvia": "Latvia",
}


@pytest.mark.parametrize("form", sorted(SEEDS))
def test_seed_terms_present(terms, form):
    preferred = {t.forms["en"][0]: t for t in terms}
    assert form in preferred, f"no term with preferred forms.en {form!r}"
    t = preferred[form]
    assert t.native, f"{_where(t)} has no native spelling"


def test_seed_wrong_forms(terms):
    by_id = {t.id: t for t in terms}
    assert "Kiev" in by_id["kyiv"].wrong["en"]
    assert by_id["olena-zelenska"].forms["en"][0] == "Olena Zelenska"
    assert by_id["wladimir-klitschko"].forms["en"][0] == "Wladimir Klitschko"
    assert by_id["chornobyl"].forms["en"] == ("Chornobyl", "Chernobyl")


# ---------------------------------------------------------------- format errors

HEAD = '[glossary]\nname = "test"\nformat = 1\n\n'  # lines 1-4; the first [[term]] is line 5

BAD = {
    # name: (text, expected line, words the message must contain)
    "toml-syntax": (HEAD + '[[term]]\nid = "kyiv"\nforms.en = "Kyiv\nnote = "x"\n', 7, ["TOML syntax"]),
    "unknown-key": (HEAD + '[[term]]\nid = "kyiv"\nforms.en = "Kyiv"\ncolour = "blue"\n', 8,
                    ["unknown key", "colour"]),
    "duplicate-id": (HEAD + '[[term]]\nid = "kyiv"\nforms.en = "Kyiv"\n\n[[term]]\nid = "kyiv"\nforms.en = "Kiev"\n',
                     10, ["duplicate", "kyiv", "line 5"]),
    "accepted-and-wrong": (HEAD + '[[term]]\nid = "kyiv"\nforms.en = "Kyiv"\nnative.uk = "Київ"\n'
                                  'wrong.en = ["Kiev", "kyiv"]\n', 9, ["both accepted", "wrong"]),
    "bad-language": (HEAD + '[[term]]\nid = "kyiv"\nforms.en = "Kyiv"\nforms.english = "Kyiv"\n', 8,
                     ["english", "ISO 639-1"]),
    "missing-forms": (HEAD + '[[term]]\nid = "kyiv"\nkind = "place"\nnative.uk = "Київ"\n', 5, ["no forms", "kyiv"]),
    "bad-kind": (HEAD + '[[term]]\nid = "kyiv"\nkind = "city"\nforms.en = "Kyiv"\n', 7, ["kind", "city"]),
    "format-2": ('[glossary]\nname = "test"\nformat = 2\n', 1, ["format", "2"]),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_format_error_reported_at_file_line(tmp_path, name):
    text, line, words = BAD[name]
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError) as e:
        load_glossaries([path])
    msg = str(e.value)
    assert msg.startswith(f"{path}:{line}: "), msg
    for w in words:
        assert w in msg, msg


def test_duplicate_id_across_files(tmp_path):
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(HEAD + '[[term]]\nid = "kyiv"\nforms.en = "Kyiv"\n', encoding="utf-8")
    b.write_text(HEAD + '[[term]]\nid = "lviv"\nforms.en = "Lviv"\n\n[[term]]\nid = "kyiv"\nforms.en = "Kiev"\n',
                 encoding="utf-8")
    load_glossaries([a])
    load_glossaries([b])  # each file alone is fine
    for paths in ([a, b], [tmp_path]):  # a directory loads every *.toml in it
        with pytest.raises(GlossaryError) as e:
            load_glossaries(paths)
        msg = str(e.value)
        # the second file's [[term]] line (Term.line), naming where the first one is
        assert msg.startswith(f"{b}:9: "), msg
        assert "duplicate" in msg and "'kyiv'" in msg and f"{a}:5" in msg, msg


@pytest.mark.parametrize("text,line", [
    (HEAD + '[[term]]\nid = "kyiv"\n# forms to be added\nnative.uk = "Київ"\n', 5),
    (HEAD + '[[term]]\nid = "kyiv"\n\n[term.forms]\nen = "Kyiv"\n\n[term.wrong]\nen = "Kyiv"\n', 12),
    (HEAD + '[[term]]\nid = "a"\nforms.en = "A"\nnote = "x\u2028y"\n\n[[term]]\nid = "b"\nforms.en = "B"\n'
            'wrong.en = "B"\n', 13),
], ids=["missing-forms-with-comment", "sub-tables", "line-separator-in-note"])
def test_line_of_key_when_the_text_misleads_the_search(tmp_path, text, line):
    path = tmp_path / "g.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError) as e:
        load_glossaries([path])
    assert str(e.value).startswith(f"{path}:{line}: "), str(e.value)
