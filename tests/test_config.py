"""Project configuration: copydesk.toml and [tool.copydesk] in pyproject.toml."""
from __future__ import annotations

import json

import pytest

from qa.cli.main import main
from qa.project.config import ConfigError, find_config, load_config

GLOSSARY = """
[glossary]
name = "config test"
format = 1

[[term]]
id = "kyiv"
kind = "place"
forms.en = "Kyiv"
wrong.en = ["Kiev"]
"""

ARTICLE = "The minister spoke in Kiev on Monday. The the talks went on.\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()  # the search for a configuration stops here
    (tmp_path / "glossaries").mkdir()
    (tmp_path / "glossaries" / "desk.toml").write_text(GLOSSARY, encoding="utf-8")
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "news" / "old").mkdir()
    (tmp_path / "news" / "old" / "b.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *argv):
    rc = main(["audit", "--no-progress", "--format", "json", *argv])
    out = capsys.readouterr()
    return rc, (json.loads(out.out) if out.out else None), out.err


def test_copydesk_toml_is_found_from_a_subfolder_and_applied(project, capsys, monkeypatch):
    (project / "copydesk.toml").write_text(
        'glossary = "glossaries/desk.toml"\nselect = ["name"]\nexclude = ["news/old"]\njobs = 1\n'
        '[severity]\n"name/wrong-form" = "warning"\n', encoding="utf-8")
    monkeypatch.chdir(project / "news")
    assert find_config() == project / "copydesk.toml"
    rc, data, _ = run(capsys, ".")
    assert [f["path"] for f in data["files"]] == ["a.txt"]  # news/old excluded, paths relative to the config
    assert [(f["rule"], f["severity"]) for f in data["files"][0]["findings"]] == [("name/wrong-form", "warning")]
    assert rc == 0  # only a warning, and fail-on defaults to error
    assert data["summary"]["jobs"] == 1


def test_command_line_flags_win(project, capsys):
    (project / "copydesk.toml").write_text(
        'glossary = ["glossaries/desk.toml"]\nselect = ["name"]\nfail-on = "never"\n', encoding="utf-8")
    rc, data, _ = run(capsys, "news/a.txt")
    assert rc == 0 and data["summary"]["findings"] == 1
    rc, data, _ = run(capsys, "news/a.txt", "--select", "article", "--fail-on", "warning")
    assert {f["rule"] for f in data["files"][0]["findings"]} == {"article/doubled-word"}
    assert rc == 1


def test_pyproject_tool_table(project, capsys):
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.copydesk]\nglossary = ["glossaries/desk.toml"]\nselect = ["name"]\n'
        'lang = "en"\n\n[tool.copydesk.severity]\nname = "info"\n', encoding="utf-8")
    assert find_config() == project / "pyproject.toml"
    rc, data, _ = run(capsys, "news/a.txt")
    assert [f["severity"] for f in data["files"][0]["findings"]] == ["info"]
    assert rc == 0


def test_a_pyproject_without_the_table_is_not_a_configuration(project):
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config() is None


@pytest.mark.parametrize("text, message", [
    ('globs = ["x"]\n', "copydesk.toml:1: unknown key 'globs'"),
    ('lang = "en"\nfail_on = "error"\n', "copydesk.toml:2: unknown key 'fail_on' (did you mean 'fail-on'?)"),
    ('select = ["name", "nonsense"]\n', "copydesk.toml:1: select: unknown rule or family 'nonsense'"),
    ('jobs = 0\n', "copydesk.toml:1: jobs must be a positive integer, not 0"),
    ('[severity]\n"name/wrong-form" = "fatal"\n', "copydesk.toml:2: severity of 'name/wrong-form' must be one of"),
    ('[severity]\n"name/nope" = "info"\n', "copydesk.toml:2: severity: unknown rule or family 'name/nope'"),
    ('lang = "english"\n', "copydesk.toml:1: "),
    ('lang = \n', "copydesk.toml:1: TOML syntax"),
    ('fail-on = "always"\n', "copydesk.toml:1: fail-on must be one of error, warning, never"),
])
def test_bad_configuration_is_one_line_and_exit_2(project, capsys, text, message):
    (project / "copydesk.toml").write_text(text, encoding="utf-8")
    rc = main(["audit", "--no-progress", "news/a.txt"])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.count("\n") == 1 and err.startswith("copydesk: error: configuration: ")
    assert message in err


def test_explicit_config_and_no_config(project, capsys):
    (project / "other.toml").write_text('select = ["article"]\nglossary = "glossaries/desk.toml"\n', encoding="utf-8")
    (project / "copydesk.toml").write_text('bogus = 1\n', encoding="utf-8")
    rc, data, _ = run(capsys, "--config", "other.toml", "news/a.txt")
    assert {f["rule"] for f in data["files"][0]["findings"]} == {"article/doubled-word"}
    rc, data, _ = run(capsys, "--no-config", "-g", "glossaries/desk.toml", "--select", "name", "news/a.txt")
    assert data["summary"]["findings"] == 1


def test_load_config_resolves_paths_relative_to_the_file(project):
    (project / "conf").mkdir()
    (project / "conf" / "copydesk.toml").write_text(
        'glossary = "../glossaries/desk.toml"\nexclude = ["drafts/**", "*.tmp"]\n', encoding="utf-8")
    cfg = load_config(project / "conf" / "copydesk.toml", cwd=project)
    assert cfg.glossary == ["glossaries/desk.toml"]
    assert cfg.exclude == [(project / "conf").resolve().as_posix() + "/drafts/**", "*.tmp"]
    with pytest.raises(ConfigError):
        load_config(project / "missing.toml")
