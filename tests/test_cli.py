"""The command line: output formats, exit codes, one-line errors."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from qa.cli.main import main


def run_cli(*args):
    p = subprocess.run([sys.executable, "-m", "qa", *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


@pytest.fixture
def article(tmp_path):
    p = tmp_path / "article.txt"
    p.write_text("Minister Koeleba met Glinken in Kyiv.\nThey discussed Putins plan.\n", encoding="utf-8")
    return p


def test_exit_codes(article, tmp_path, mini_glossary_path, capsys):
    clean = tmp_path / "clean.txt"
    clean.write_text("Minister Kuleba met Blinken in Kyiv.\n", encoding="utf-8")
    g = ["--glossary", str(mini_glossary_path)]
    assert main(["check", *g, str(clean)]) == 0
    assert main(["check", *g, str(article)]) == 1
    out = capsys.readouterr().out
    assert f"{article}:1:10: name/transliteration" in out
    assert "'Koeleba' → 'Kuleba'" in out


def test_json_contract(article, mini_glossary_path, capsys):
    assert main(["check", "--format", "json", "--glossary", str(mini_glossary_path), str(article)]) == 1
    rep = json.loads(capsys.readouterr().out)
    assert rep["schema"] == "copydesk.check/1"
    (f,) = rep["files"]
    assert f["path"] == str(article) and f["language"] == "en" and f["error"] is None
    texts = [(x["text"], x["fix"]["replacement"], x["rule"]) for x in f["findings"]]
    assert texts == [("Koeleba", "Kuleba", "name/transliteration"), ("Glinken", "Blinken", "name/near-miss"),
                     ("Putins", "Putin’s", "name/possessive")]
    first = f["findings"][0]
    src = article.read_text(encoding="utf-8")
    assert src[first["start"]:first["end"]] == "Koeleba"
    for key in ("rule", "severity", "start", "end", "line", "column", "text", "message", "fix", "alternatives", "term"):
        assert key in first
    assert first["fix"]["applicability"] in ("safe", "unsafe")
    assert first["term"] == "dmytro-kuleba"


def test_select_and_ignore(article, mini_glossary_path, capsys):
    g = ["--glossary", str(mini_glossary_path), "--format", "json"]
    main(["check", *g, "--select", "name/near-miss", str(article)])
    rules = {x["rule"] for x in json.loads(capsys.readouterr().out)["files"][0]["findings"]}
    assert rules == {"name/near-miss"}
    main(["check", *g, "--ignore", "name", str(article)])
    rules = {x["rule"] for x in json.loads(capsys.readouterr().out)["files"][0]["findings"]}
    assert not any(r.startswith("name/") for r in rules)


def test_unreadable_and_non_utf8_files_are_reported_and_others_checked(article, tmp_path, mini_glossary_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Caf\xe9 Koeleba".encode("latin-1"))
    rc, out, err = run_cli("check", "--format", "json", "--glossary", str(mini_glossary_path),
                           str(bad), str(tmp_path / "missing.txt"), str(article))
    assert rc == 2
    rep = json.loads(out)
    errors = {f["path"]: f["error"] for f in rep["files"]}
    assert "not valid UTF-8" in errors[str(bad)]
    assert "no such file" in errors[str(tmp_path / "missing.txt")]
    assert errors[str(article)] is None
    assert len(rep["files"][2]["findings"]) == 3  # the good file was still checked
    assert "Traceback" not in err
    assert f"{bad}: error: not valid UTF-8" in err


@pytest.mark.parametrize("body, needle, line", [
    ("[glossary]\nformat = 1\n[[term]]\nid = \"x\"\nforms.en = \"X\"\ncolour = 1\n", "unknown key 'colour'", 6),
    ("[glossary]\nformat = 1\n[[term]]\nid = \"x\"\nforms.english = \"X\"\n", "not an ISO 639-1", 5),
    ("[glossary]\nformat = 1\n[[term]]\nid = \"x\"\nforms.en = \"X\"\n[[term]]\nid = \"x\"\nforms.en = \"Y\"\n", "duplicate term id", 7),
    ("[glossary]\nformat = 1\n[[term]]\nid = \"x\"\nforms.en = \"X\"\nwrong.en = [\"X\"]\n", "both accepted", 6),
    ("[glossary]\nformat = 1\n[[term\nid = 1\n", "TOML syntax", 3),
])
def test_bad_glossary_is_one_line_file_line_error(tmp_path, article, body, needle, line):
    g = tmp_path / "bad.toml"
    g.write_text(body, encoding="utf-8")
    rc, out, err = run_cli("check", "--glossary", str(g), str(article))
    assert rc == 2
    assert len(err.strip().splitlines()) == 1, err
    assert f"{g}:{line}:" in err and needle in err
    assert "Traceback" not in err


def test_unknown_language_and_rule(article):
    rc, _, err = run_cli("check", "--lang", "english", str(article))
    assert rc == 2 and "unknown language code 'english'" in err and "Traceback" not in err
    rc, _, err = run_cli("check", "--select", "name/nonsense", str(article))
    assert rc == 2 and "unknown rule" in err


def test_glossary_directory_and_repeatable(tmp_path, article, mini_glossary_path, capsys):
    d = tmp_path / "gls"
    d.mkdir()
    (d / "a.toml").write_text(mini_glossary_path.read_text(encoding="utf-8"), encoding="utf-8")
    (d / "b.toml").write_text('[glossary]\nformat = 1\n[[term]]\nid = "riga"\nkind = "place"\nforms.en = "Riga"\n'
                              'native.ru = "Рига"\n', encoding="utf-8")
    assert main(["check", "--glossary", str(d), str(article)]) == 1
    # the same file twice: a duplicate id across files is an error with its place
    assert main(["check", "--glossary", str(d), "--glossary", str(d / "b.toml"), str(article)]) == 2
    assert "duplicate term id 'riga'" in capsys.readouterr().err


def test_fix_diff_and_stdout(article, mini_glossary_path, capsys):
    g = ["--glossary", str(mini_glossary_path)]
    main(["fix", *g, str(article)])
    out = capsys.readouterr().out
    assert out == "Minister Kuleba met Blinken in Kyiv.\nThey discussed Putin’s plan.\n"
    main(["fix", *g, "--diff", str(article)])
    out = capsys.readouterr().out
    assert "-Minister Koeleba met Glinken in Kyiv." in out and "+Minister Kuleba met Blinken in Kyiv." in out
    assert article.read_text(encoding="utf-8").startswith("Minister Koeleba")  # untouched


def test_variants_command(capsys):
    assert main(["glossary", "variants", "Кулеба", "--native-lang", "uk"]) == 0
    out = capsys.readouterr().out
    for spelling in ("Koeleba", "Kouleba", "Kułeba"):
        assert spelling in out
    rc, _, err = run_cli("glossary", "variants", "Kuleba", "--native-lang", "uk")
    assert rc == 2 and "Cyrillic" in err


def test_shipped_glossary_is_the_default(article, capsys):
    main(["check", "--format", "json", str(article)])
    rep = json.loads(capsys.readouterr().out)
    assert any(f["text"] == "Koeleba" for f in rep["files"][0]["findings"])


def test_lang_auto_checks_names_in_the_detected_language(tmp_path, mini_glossary_path, capsys):
    """A German article: with --lang auto the German forms are the accepted ones."""
    p = tmp_path / "de.txt"
    p.write_text(
        "Präsident Wolodymyr Selenskyj hat die Verbündeten am Montag in Kiew um zusätzliche "
        "Luftabwehrsysteme gebeten. Die Angriffe auf die Energieversorgung hätten in den vergangenen "
        "Wochen stark zugenommen, sagte er nach einem Treffen mit den Außenministern.\n\n"
        "Später sprach auch Präsident Zelensky mit Journalisten über die Lage im Osten des Landes, "
        "wo die Kämpfe nach Angaben der Armee weiter andauern.\n", encoding="utf-8")
    assert main(["check", "--lang", "auto", "--format", "json", "--glossary", str(mini_glossary_path), str(p)]) == 1
    f = json.loads(capsys.readouterr().out)["files"][0]
    assert f["language"] == "de"
    assert [(x["text"], x["fix"]["replacement"]) for x in f["findings"]] == [("Zelensky", "Selenskyj")]


def test_wheel_ships_glossaries_and_styles(tmp_path):
    """The shipped glossaries and the review UI's .tcss must be in the wheel, not only in a checkout."""
    import zipfile
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                        "-w", str(tmp_path), str(root)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {r.stderr.strip()[-200:]}")
    (wheel,) = tmp_path.glob("copydesk-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "glossaries/ukraine-desk.toml" in names
    assert any(n.startswith("tui/") and n.endswith(".tcss") for n in names)
    shipped = {str(f.relative_to(root)) for d in ("qa", "tui") for f in (root / d).rglob("*.py")}
    assert shipped - set(names) == set(), "modules missing from the wheel (pyproject packages list)"
