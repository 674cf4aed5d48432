"""`copydesk glossary lint`: the glossary's own problems, linter-style."""
from __future__ import annotations

import json

import pytest

from qa.cli.main import main
from qa.services.glossary_lint import common_word, mixed_script

HEAD = '[glossary]\nname = "lint"\nformat = 1\n'

CLEAN = HEAD + """
[[term]]
id = "kyiv"
kind = "place"
forms.en = "Kyiv"
forms.de = "Kyjiw"
native.uk = "Київ"
wrong.en = ["Kiev"]

[[term]]
id = "dmytro-kuleba"
kind = "person"
forms.en = "Dmytro Kuleba"
native.uk = "Дмитро Кулеба"
"""

PROBLEMS = HEAD + """
[[term]]
id = "odesa"
kind = "place"
forms.en = "Odesa"
native.uk = "Одеса"
native.ru = "Одесса"

[[term]]
id = "odessa-texas"
kind = "place"
forms.en = "Odessa"

[[term]]
id = "vitali-klitschko"
kind = "person"
forms.en = "Vitali Klitschko"

[[term]]
id = "wladimir-klitschko"
kind = "person"
forms.en = "Wladimir Klitschko"

[[term]]
id = "kyiv"
kind = "place"
forms.en = "Kyiv"
wrong.en = ["Nice"]

[[term]]
id = "kyiv-oblast"
kind = "place"
forms.en = "Kyiv"
wrong.en = ["Odessa"]

[[term]]
id = "john-will"
kind = "person"
forms.en = "John Will"

[[term]]
id = "kharkiv"
kind = "place"
forms.en = "Kharkіv"
"""


def lint(capsys, *argv):
    rc = main(["glossary", "lint", "--no-config", *argv])
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_a_clean_glossary_passes(tmp_path, capsys):
    (tmp_path / "g.toml").write_text(CLEAN, encoding="utf-8")
    rc, out, _ = lint(capsys, str(tmp_path / "g.toml"))
    assert rc == 0
    assert out == "1 glossary file: no problems.\n"


def test_each_problem_is_reported_with_file_line_and_code(tmp_path, capsys):
    g = tmp_path / "g.toml"
    g.write_text(PROBLEMS, encoding="utf-8")
    rc, out, _ = lint(capsys, str(g))
    assert rc == 1
    lines = out.splitlines()
    assert lines[-1] == "Found 7 problems in 1 glossary file."
    got = {(ln.split(": ", 1)[0].rsplit(":", 1)[1], ln.split(": ", 1)[1].split(" ", 1)[0]) for ln in lines[:-1]}
    assert got == {
        ("10", "computed-collision"),  # native.ru Одесса -> Odessa, accepted for Odessa, Texas
        ("25", "shared-surname"),  # the Klitschko brothers
        ("31", "common-word"),  # wrong.en Nice
        ("36", "duplicate-form"),  # Kyiv for two terms
        ("37", "wrong-accepted"),  # Odessa wrong for one term, accepted for another
        ("42", "common-word"),  # the surname Will, matched alone
        ("47", "mixed-script"),  # Cyrillic і in Kharkіv
    }
    assert all(ln.startswith(f"{g}:") for ln in lines[:-1])
    assert "'Odessa', computed from native.ru 'Одесса'" in out and "'odessa-texas'" in out
    assert "Cyrillic 'і' (U+0456)" in out


def test_json_format_and_ignore(tmp_path, capsys):
    g = tmp_path / "g.toml"
    g.write_text(PROBLEMS, encoding="utf-8")
    rc, out, _ = lint(capsys, "--format", "json", "--ignore", "common-word,mixed-script", str(g))
    data = json.loads(out)
    assert data["schema"] == "copydesk.glossary-lint/1" and data["count"] == 4
    assert {p["code"] for p in data["problems"]} == {"computed-collision", "shared-surname", "duplicate-form",
                                                      "wrong-accepted"}
    p = next(p for p in data["problems"] if p["code"] == "shared-surname")
    assert p == {"path": str(g), "line": 25, "code": "shared-surname", "term": "wladimir-klitschko",
                 "message": p["message"]} and "Klitschko" in p["message"]
    assert rc == 1


def test_duplicate_ids_across_files_and_parse_errors(tmp_path, capsys):
    (tmp_path / "a.toml").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "b.toml").write_text(HEAD + '\n[[term]]\nid = "kyiv"\nforms.en = "Kyiv"\n', encoding="utf-8")
    (tmp_path / "c.toml").write_text(HEAD + '\n[[term]]\nid = "x"\nkind = "planet"\nforms.en = "X"\n', encoding="utf-8")
    rc, out, _ = lint(capsys, str(tmp_path))
    assert rc == 1
    assert f"{tmp_path / 'b.toml'}:6: duplicate-id term id 'kyiv' is also defined at {tmp_path / 'a.toml'}:5" in out
    assert f"{tmp_path / 'b.toml'}:7: duplicate-form 'Kyiv'" in out
    assert f"{tmp_path / 'c.toml'}:7: parse-error kind 'planet' is not one of" in out
    assert out.splitlines()[-1] == "Found 3 problems in 3 glossary files."


def test_common_words_are_words_not_frequent_names():
    assert common_word("Will", "en") is not None
    assert common_word("Nice", "en") is not None
    assert common_word("Putin", "en") is None  # frequent, but a name in every language
    assert common_word("Paris", "en") is None
    assert common_word("Kuleba", "en") is None
    assert common_word("Bild", "de") is not None and common_word("Bild", "en") is None


def test_mixed_script():
    assert mixed_script("Kyiv") is None and mixed_script("Київ") is None
    assert mixed_script("Кyiv") == "'Кyiv' mixes Latin with Cyrillic 'К' (U+041A)"
    assert mixed_script("Kyiv Київ") is not None


def test_lint_uses_the_configured_glossary(tmp_path, capsys, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "desk.toml").write_text(PROBLEMS, encoding="utf-8")
    (tmp_path / "copydesk.toml").write_text('glossary = "desk.toml"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    rc = main(["glossary", "lint"])
    assert rc == 1 and "desk.toml:10: computed-collision" in capsys.readouterr().out


@pytest.mark.parametrize("zipf, expected", [(4.5, 2), (7.0, 0)])
def test_zipf_threshold(tmp_path, capsys, zipf, expected):
    (tmp_path / "g.toml").write_text(PROBLEMS, encoding="utf-8")
    rc, out, _ = lint(capsys, "--zipf", str(zipf), "--format", "json", str(tmp_path / "g.toml"))
    assert sum(p["code"] == "common-word" for p in json.loads(out)["problems"]) == expected
